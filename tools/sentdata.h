/*
 * sentdata.h: the labelled sentiment sets of ../shared/corpora/sentiment and
 * their fixed train/test splits, shared by tools/train-sentiment.c and
 * tools/eval-sentiment.c so the two can never disagree on which row is
 * held out.  A header, not a .c file, because each .c file under tools/ is one program.
 */
#ifndef TEMA_TOOLS_SENTDATA_H
#define TEMA_TOOLS_SENTDATA_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tsv.h"

/* Which rows of a file a split takes. */
enum { ROWS_NONE, ROWS_ALL, ROWS_TRAIN, ROWS_TEST };

/* One labelled file. */
typedef struct sd_source {
    tema_lang lang;     /* language of its texts */
    const char *path;   /* under corpora/sentiment/ */
    const char *name;   /* short name for reports */
    int train_rows;     /* ROWS_* used for training */
    int test_rows;      /* ROWS_* held out for evaluation */
} sd_source;

/* sv and en: a hash of the text holds out a fifth (da: two fifths, see
 * tema__sentiment_heldout); no: NoReC's own train and dev files. */
static const sd_source sd_sources[] = {
    {TEMA_LANG_SV, "sv/swe-sentiment-train.tsv", "sv tweets", ROWS_TRAIN, ROWS_TEST},
    {TEMA_LANG_DA, "da/europarl-da.tsv", "da europarl", ROWS_TRAIN, ROWS_TEST},
    {TEMA_LANG_NO, "no/norec-sentence-train.tsv", "no norec-train", ROWS_ALL, ROWS_NONE},
    {TEMA_LANG_NO, "no/norec-sentence-dev.tsv", "no norec-dev", ROWS_NONE, ROWS_ALL},
    {TEMA_LANG_EN, "en/vader-tweets.tsv", "en tweets", ROWS_TRAIN, ROWS_TEST},
    {TEMA_LANG_EN, "en/vader-movieReviewSnippets.tsv", "en movie snippets", ROWS_TRAIN,
     ROWS_TEST},
};
#define SD_NSOURCES (sizeof sd_sources / sizeof sd_sources[0])

/* One labelled text. */
typedef struct sd_row {
    char *text;        /* the comment (owned) */
    size_t len;        /* its bytes */
    int label;         /* TEMA__SM_NEG, _NEU or _POS */
    double score;      /* human score, NAN when the set has none */
    int source;        /* index in sd_sources */
} sd_row;

typedef struct sd_rows {
    sd_row *v;         /* rows */
    size_t n, cap;     /* in use, allocated */
} sd_rows;

/* Appends a copy of a row to 'out' (aborts when out of memory: a trainer
 * has nothing to fall back on). */
static void sd_push(sd_rows *out, const char *text, size_t len, int label, double score,
                    int source)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 1024;
        out->v = realloc(out->v, out->cap * sizeof *out->v);
        if (!out->v)
            abort();
    }
    sd_row *r = &out->v[out->n++];
    if (!(r->text = strdup(text)))
        abort();
    r->len = len;
    r->label = label;
    r->score = score;
    r->source = source;
}

static int sd_label(const char *s)
{
    return !strcmp(s, "positive") ? TEMA__SM_POS
           : !strcmp(s, "negative") ? TEMA__SM_NEG
           : !strcmp(s, "neutral")  ? TEMA__SM_NEU
                                    : -1;
}

/* Appends the rows of source 'src' that 'which' (ROWS_*) selects.
 * Returns the number added, or -1 when the file cannot be read. */
static long sd_load(const char *corpora, int src, int which, sd_rows *out)
{
    if (which == ROWS_NONE)
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/sentiment/%s", corpora, sd_sources[src].path);
    tsv_reader tsv;
    if (tsv_open(&tsv, path) != 0)
        return -1;
    long added = 0;
    char *col[4]; /* id, label, score, text */
    while (tsv_next(&tsv, col, 4) == 0) {
        int label = sd_label(col[1]);
        const char *text = col[3];
        size_t len = strlen(text);
        if (label < 0 || !len)
            continue;
        bool held = tema__sentiment_heldout(sd_sources[src].lang, text, len);
        if ((which == ROWS_TRAIN && held) || (which == ROWS_TEST && !held))
            continue;
        sd_push(out, text, len, label, col[2][0] ? atof(col[2]) : NAN, src);
        added++;
    }
    tsv_close(&tsv);
    return added;
}

static void sd_free(sd_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].text);
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Macro-F1 over the three classes of a confusion matrix [truth][pred]. */
static double sd_macro_f1(const long cm[3][3])
{
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        long tp = cm[k][k], fp = 0, fn = 0;
        for (int j = 0; j < 3; j++)
            if (j != k) {
                fp += cm[j][k];
                fn += cm[k][j];
            }
        sum += tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0.0;
    }
    return sum / 3;
}

#endif
