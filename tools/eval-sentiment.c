/*
 * eval-sentiment.c: sentiment figures for docs/accuracy.md on the held-out
 * rows of ../shared/corpora/sentiment (the split of tools/sentdata.h, which
 * tools/train-sentiment never reads), with the learned model and with the
 * rules alone (--no-model), so each one's contribution shows.
 *
 *   eval-sentiment --corpora DIR [--model FILE] [--train] [--errors N] [--all]
 *
 * Per set: accuracy, macro-F1 over the three classes, the confusion matrix,
 * and Pearson r between tema's sentiment and the human score where the set
 * has one.  The language is forced to the set's own, so these figures
 * measure sentiment, not language identification.  --train reports on the
 * training rows instead (for finding lexicon gaps; never for tuning on
 * test figures); --errors N prints N misclassified rows per set (rules);
 * --all makes --errors print every row, right or wrong (word statistics
 * over the training rows).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "model.h"
#include "sentdata.h"

/* Figures of one scorer on one set. */
typedef struct figs {
    long cm[3][3];                       /* [truth][predicted], classes NEG NEU POS */
    double sx, sy, sxx, syy, sxy;        /* sums for Pearson r */
    long nr;                             /* rows with a human score */
} figs;

static int class_of(tema_label l)
{
    return l == TEMA_LABEL_POSITIVE ? TEMA__SM_POS : l == TEMA_LABEL_NEGATIVE ? TEMA__SM_NEG : TEMA__SM_NEU;
}

static void add(figs *f, int truth, tema_label pred, double s, double human)
{
    f->cm[truth][class_of(pred)]++;
    if (!isnan(human)) {
        f->sx += s;
        f->sy += human;
        f->sxx += s * s;
        f->syy += human * human;
        f->sxy += s * human;
        f->nr++;
    }
}

static double pearson(const figs *f)
{
    double n = (double)f->nr;
    double cov = f->sxy - f->sx * f->sy / n, vx = f->sxx - f->sx * f->sx / n,
           vy = f->syy - f->sy * f->sy / n;
    return vx > 0 && vy > 0 ? cov / sqrt(vx * vy) : NAN;
}

static long total(const figs *f)
{
    long t = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            t += f->cm[i][j];
    return t;
}

static double accuracy(const figs *f)
{
    long t = total(f);
    return t ? (double)(f->cm[0][0] + f->cm[1][1] + f->cm[2][2]) / (double)t : 0;
}

static tema_engine *engine(unsigned options, const char *model)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = options | TEMA_OPT_NO_THEMES;
    tema_engine *e = NULL;
    if (tema_engine_new(&cfg, &e) != TEMA_OK) {
        fprintf(stderr, "eval-sentiment: %s\n", tema_errmsg(e));
        exit(1);
    }
    if (model && tema__sentmodel_load_file(e, model) != TEMA_OK) {
        fprintf(stderr, "eval-sentiment: %s\n", tema_errmsg(e));
        exit(1);
    }
    if (!(options & TEMA_OPT_NO_MODEL) && !e->sentmodel) {
        fprintf(stderr, "eval-sentiment: no models/sentiment.bin under the data folder\n");
        exit(1);
    }
    return e;
}

int main(int argc, char **argv)
{
    const char *corpora = NULL, *model = NULL;
    bool on_train = false, all_rows = false;
    int errors = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--corpora") && i + 1 < argc)
            corpora = argv[++i];
        else if (!strcmp(argv[i], "--model") && i + 1 < argc)
            model = argv[++i];
        else if (!strcmp(argv[i], "--errors") && i + 1 < argc)
            errors = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--train"))
            on_train = true;
        else if (!strcmp(argv[i], "--all"))
            all_rows = true;
        else {
            fprintf(stderr, "usage: eval-sentiment --corpora DIR [--model FILE] [--train] "
                            "[--errors N] [--all]\n");
            return 2;
        }
    }
    if (!corpora) {
        fprintf(stderr, "eval-sentiment: --corpora is required\n");
        return 2;
    }
    tema_engine *em = engine(model ? TEMA_OPT_NO_MODEL : 0, model);
    tema_engine *er = engine(TEMA_OPT_NO_MODEL, NULL);
    tema_doc *dm = NULL, *dr = NULL;
    if (tema_doc_new(em, &dm) != TEMA_OK || tema_doc_new(er, &dr) != TEMA_OK)
        return 1;
    static const char *const cls[3] = {"negative", "neutral", "positive"};
    printf("| set | rows | model: accuracy | model: macro-F1 | model: Pearson r | rules: accuracy "
           "| rules: macro-F1 | rules: Pearson r |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    figs all_m[SD_NSOURCES], all_r[SD_NSOURCES];
    memset(all_m, 0, sizeof all_m);
    memset(all_r, 0, sizeof all_r);
    for (size_t s = 0; s < SD_NSOURCES; s++) {
        int which = on_train ? sd_sources[s].train_rows : sd_sources[s].test_rows;
        if (which == ROWS_NONE)
            continue;
        sd_rows R = {0};
        if (sd_load(corpora, (int)s, which, &R) < 0)
            return 1;
        tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = sd_sources[s].lang};
        int shown = 0;
        for (size_t i = 0; i < R.n; i++) {
            const sd_row *r = &R.v[i];
            if (tema_doc_analyze(dm, r->text, r->len, &o) != TEMA_OK ||
                tema_doc_analyze(dr, r->text, r->len, &o) != TEMA_OK)
                return 1;
            add(&all_m[s], r->label, tema_doc_label(dm), tema_doc_sentiment(dm), r->score);
            add(&all_r[s], r->label, tema_doc_label(dr), tema_doc_sentiment(dr), r->score);
            if (shown < errors && (all_rows || class_of(tema_doc_label(dr)) != r->label)) {
                shown++;
                fprintf(stderr, "%s\t%s\trules %+.2f\t%s\n", sd_sources[s].name, cls[r->label],
                        tema_doc_sentiment(dr), r->text);
            }
        }
        const figs *m = &all_m[s], *q = &all_r[s];
        printf("| %s | %ld | %.1f%% | %.3f |", sd_sources[s].name, total(m), 100 * accuracy(m),
               sd_macro_f1(m->cm));
        if (m->nr)
            printf(" %.3f |", pearson(m));
        else
            printf(" |");
        printf(" %.1f%% | %.3f |", 100 * accuracy(q), sd_macro_f1(q->cm));
        if (q->nr)
            printf(" %.3f |\n", pearson(q));
        else
            printf(" |\n");
        sd_free(&R);
    }
    for (int k = 0; k < 2; k++) {
        printf("\nConfusion matrices, %s (rows: truth negative/neutral/positive; columns: "
               "predicted, same order)\n\n| set | | neg | neu | pos |\n|---|---|---:|---:|---:|\n",
               k ? "rules only (--no-model)" : "with the model");
        for (size_t s = 0; s < SD_NSOURCES; s++) {
            const figs *f = k ? &all_r[s] : &all_m[s];
            if (!total(f))
                continue;
            for (int t = 0; t < 3; t++)
                printf("| %s | %s | %ld | %ld | %ld |\n", t ? "" : sd_sources[s].name, cls[t],
                       f->cm[t][0], f->cm[t][1], f->cm[t][2]);
        }
    }
    tema_doc_free(dm);
    tema_doc_free(dr);
    tema_engine_free(em);
    tema_engine_free(er);
    return 0;
}
