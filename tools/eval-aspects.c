/*
 * eval-aspects.c: the public aspect benchmark.  Runs tema with the
 * restaurant taxonomy (lexicons/themes/restaurant.tema, whose top-level ids
 * are the MAMS categories) over MAMS-ACSA sentences and reports category
 * micro precision, recall and F1, and, for categories found correctly, how
 * often the mention's label matches the gold polarity.
 *
 *   eval-aspects FILE.tsv [--taxonomy FILE] [--errors N]
 *
 * FILE.tsv has columns id, categories ("food:positive|place:neutral"), text.
 * Tune on mams-acsa-train.tsv; report on mams-acsa-val.tsv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tema.h"
#include "tsv.h"

#define NCAT 8
static const char *const cats[NCAT] = {"food",  "service", "staff", "price",
                                       "ambience", "menu", "place", "miscellaneous"};

static int cat_index(const char *s, size_t n)
{
    for (int i = 0; i < NCAT; i++)
        if (strlen(cats[i]) == n && memcmp(cats[i], s, n) == 0)
            return i;
    return -1;
}

/* The top-level part of a theme id ("food.taste" -> "food"). */
static int theme_cat(const char *theme)
{
    const char *dot = strchr(theme, '.');
    return cat_index(theme, dot ? (size_t)(dot - theme) : strlen(theme));
}

static int polarity_index(const char *s, size_t n)
{
    if (n == 8 && memcmp(s, "positive", 8) == 0)
        return TEMA_LABEL_POSITIVE;
    if (n == 8 && memcmp(s, "negative", 8) == 0)
        return TEMA_LABEL_NEGATIVE;
    return TEMA_LABEL_NEUTRAL;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *taxonomy = "lexicons/themes/restaurant.tema";
    int show_errors = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--taxonomy") == 0 && i + 1 < argc)
            taxonomy = argv[++i];
        else if (strcmp(argv[i], "--errors") == 0 && i + 1 < argc)
            show_errors = atoi(argv[++i]);
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else {
            fprintf(stderr, "usage: eval-aspects FILE.tsv [--taxonomy FILE] [--errors N]\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: eval-aspects FILE.tsv [--taxonomy FILE] [--errors N]\n");
        return 2;
    }
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.base_taxonomy = taxonomy;
    tema_engine *e = NULL;
    tema_doc *d = NULL;
    if (tema_engine_new(&cfg, &e) != TEMA_OK || tema_doc_new(e, &d) != TEMA_OK) {
        fprintf(stderr, "eval-aspects: %s\n", e ? tema_errmsg(e) : "out of memory");
        return 1;
    }
    tsv_reader tsv;
    if (tsv_open(&tsv, path) != 0)
        return 1;
    size_t tp[NCAT] = {0}, fp[NCAT] = {0}, fn[NCAT] = {0}, pol_ok = 0, pol_n = 0, sentences = 0;
    size_t conf[3][3] = {{0}}; /* [gold][predicted] label, for found categories */
    char *col[3]; /* id, categories, text */
    while (tsv_next(&tsv, col, 3) == 0) {
        const char *labels = col[1], *labels_end = col[1] + strlen(col[1]), *text = col[2];
        int gold[NCAT];
        for (int i = 0; i < NCAT; i++)
            gold[i] = -1;
        for (const char *p = labels; p < labels_end;) {
            const char *end = memchr(p, '|', (size_t)(labels_end - p));
            if (!end)
                end = labels_end;
            const char *colon = memchr(p, ':', (size_t)(end - p));
            if (colon) {
                int ci = cat_index(p, (size_t)(colon - p));
                if (ci >= 0)
                    gold[ci] = polarity_index(colon + 1, (size_t)(end - colon - 1));
            }
            p = end + 1;
        }
        tema_analyze_opts o = {.lang = TEMA_LANG_EN};
        if (tema_doc_analyze(d, text, strlen(text), &o) != TEMA_OK)
            continue;
        sentences++;
        /* per category, the label of its strongest mention */
        int pred[NCAT];
        double strength[NCAT];
        for (int i = 0; i < NCAT; i++) {
            pred[i] = -1;
            strength[i] = -1;
        }
        for (size_t k = 0; k < tema_doc_mention_count(d); k++) {
            tema_mention m;
            tema_doc_mention(d, k, &m);
            int ci = theme_cat(m.theme);
            if (ci < 0)
                continue;
            double s = m.sentiment < 0 ? -m.sentiment : m.sentiment;
            if (s > strength[ci]) {
                strength[ci] = s;
                pred[ci] = (int)m.label;
            }
        }
        int wrong = 0;
        for (int i = 0; i < NCAT; i++) {
            if (gold[i] >= 0 && pred[i] >= 0) {
                tp[i]++;
                pol_n++;
                pol_ok += gold[i] == pred[i];
                conf[gold[i]][pred[i]]++;
                if (gold[i] != pred[i] && show_errors > 0 && getenv("EVAL_POLARITY")) {
                    show_errors--;
                    static const char *const pn[3] = {"neutral", "positive", "negative"};
                    fprintf(stderr, "%s: gold %s, tema %s | %s\n", cats[i], pn[gold[i]],
                            pn[pred[i]], text);
                }
            } else if (pred[i] >= 0) {
                fp[i]++;
                wrong = 1;
            } else if (gold[i] >= 0) {
                fn[i]++;
                wrong = 1;
            }
        }
        if (wrong && show_errors > 0) {
            show_errors--;
            fprintf(stderr, "gold %s | predicted", labels);
            for (int i = 0; i < NCAT; i++)
                if (pred[i] >= 0)
                    fprintf(stderr, " %s", cats[i]);
            fprintf(stderr, " | %s\n", text);
        }
    }
    tsv_close(&tsv);
    size_t TP = 0, FP = 0, FN = 0;
    printf("Sentences: %zu\n\n| category | precision | recall | F1 |\n|---|---:|---:|---:|\n",
           sentences);
    for (int i = 0; i < NCAT; i++) {
        double p = tp[i] + fp[i] ? (double)tp[i] / (double)(tp[i] + fp[i]) : 0;
        double r = tp[i] + fn[i] ? (double)tp[i] / (double)(tp[i] + fn[i]) : 0;
        printf("| %s | %.3f | %.3f | %.3f |\n", cats[i], p, r, p + r ? 2 * p * r / (p + r) : 0);
        TP += tp[i];
        FP += fp[i];
        FN += fn[i];
    }
    double P = TP + FP ? (double)TP / (double)(TP + FP) : 0;
    double R = TP + FN ? (double)TP / (double)(TP + FN) : 0;
    printf("| **micro** | **%.3f** | **%.3f** | **%.3f** |\n\n", P, R, P + R ? 2 * P * R / (P + R) : 0);
    printf("Polarity accuracy on correctly found categories: %.3f (%zu of %zu)\n",
           pol_n ? (double)pol_ok / (double)pol_n : 0, pol_ok, pol_n);
    printf("\n| gold \\ predicted | neutral | positive | negative |\n|---|---:|---:|---:|\n");
    static const char *const names[3] = {"neutral", "positive", "negative"};
    for (int g = 0; g < 3; g++)
        printf("| %s | %zu | %zu | %zu |\n", names[g], conf[g][0], conf[g][1], conf[g][2]);
    tema_doc_free(d);
    tema_engine_free(e);
    return 0;
}
