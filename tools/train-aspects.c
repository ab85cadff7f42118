/*
 * train-aspects.c: builds a taxonomy's mention-polarity model (the file its
 * `model:` line names, e.g. models/aspects-restaurant.bin for
 * lexicons/themes/restaurant.tema), which engine/src/mention_model.c
 * applies after the rules.
 *
 *   train-aspects --train mams-acsa-train.tsv --out FILE [--taxonomy FILE]
 *                 [--folds-only]
 *
 * The TSV has columns id, categories ("food:positive|place:neutral"), text.
 * Every sentence goes through the engine itself (rules on, models off) and
 * tema__mentmodel_features(), so training and scoring see the same
 * features.  Each mention whose category is in the sentence's gold labels
 * is a training row with that polarity.  Hyper-parameters (L2, epochs,
 * class weighting) and then a logit offset per class are chosen by 5-fold
 * cross-validation inside the file, folds by a hash of the text, scored as
 * tools/eval-aspects scores (per category, the label of the mention with
 * the largest |p(pos) - p(neg)|).  Fixed seeds and a fixed order make the
 * output byte-identical run to run.  Only the training split is read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "mention_model.h"
#include "sgd.h"
#include "taxonomy.h"
#include "tsv.h"

#ifndef NBUCKETS
#define NBUCKETS (1u << 18)
#endif
#define NW (((size_t)TEMA__MM_DENSE + NBUCKETS) * 3)
#define FOLDS 5
#define SEED 0x5eed5eedu
#define MAXCAT 32

/* One training row: a mention of a gold category. */
typedef struct ex {
    int label;      /* TEMA__SM_NEG / NEU / POS */
    int fold;       /* 0..FOLDS-1 */
    size_t group;   /* (sentence, category): the eval scores one label per group */
} ex;

/* One hyper-parameter setting. */
typedef struct hp {
    double l2;      /* L2 strength */
    int epochs;     /* passes */
    int balanced;   /* classes weighted by inverse frequency */
} hp;

static feats F;
static const char *catv[MAXCAT];  /* top-level theme ids with training rows, in order seen */
static uint32_t ncats;
static ex *E;
static size_t nE, capE, ngroups;

static void die(const char *m)
{
    fprintf(stderr, "train-aspects: %s\n", m);
    exit(1);
}

static uint32_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* Trains 'w' (zeroed here) on the rows with fold != 'skip'. */
static void train(float *w, float *g2, int skip, const hp *h)
{
    memset(w, 0, NW * sizeof *w);
    memset(g2, 0, NW * sizeof *g2);
    double cw[3] = {1, 1, 1};
    if (h->balanced) {
        double cnt[3] = {0, 0, 0}, tot = 0;
        for (size_t i = 0; i < nE; i++)
            if (E[i].fold != skip) {
                cnt[E[i].label]++;
                tot++;
            }
        for (int k = 0; k < 3; k++)
            cw[k] = cnt[k] > 0 ? tot / (3 * cnt[k]) : 1;
    }
    size_t *order = malloc(nE * sizeof *order);
    if (!order)
        die("out of memory");
    for (size_t i = 0; i < nE; i++)
        order[i] = i;
    rng_state = SEED;
    for (int ep = 0; ep < h->epochs; ep++) {
        sgd_shuffle(order, nE, rnd);
        for (size_t oi = 0; oi < nE; oi++) {
            size_t i = order[oi];
            if (E[i].fold != skip)
                sgd_step(w, g2, NULL, &F, i, E[i].label, cw[E[i].label], h->l2);
        }
    }
    free(order);
}

/* Accuracy as tools/eval-aspects counts it, from logits 'Z' (3 per row)
 * plus offsets 'bias': per group, the label of the row with the largest
 * |p(pos) - p(neg)| (the first on ties).  'conf' gets the confusion
 * matrix [gold][pred] when not NULL. */
static double group_accuracy(const double *Z, const double bias[3], size_t conf[3][3])
{
    size_t ok = 0, n = 0;
    for (size_t i = 0; i < nE;) {
        size_t j = i, best = i;
        double bs = -1;
        int bl = 0;
        for (; j < nE && E[j].group == E[i].group; j++) {
            double z[3], mx = -INFINITY, p[3], s = 0;
            int arg = 0;
            for (int c = 0; c < 3; c++) {
                z[c] = Z[j * 3 + (size_t)c] + bias[c];
                mx = fmax(mx, z[c]);
            }
            for (int c = 0; c < 3; c++) {
                s += p[c] = exp(z[c] - mx);
                if (z[c] > z[arg])
                    arg = c;
            }
            double strength = fabs(p[2] - p[0]) / s;
            if (strength > bs) {
                bs = strength;
                best = j;
                bl = arg;
            }
        }
        n++;
        ok += bl == E[best].label;
        if (conf)
            conf[E[best].label][bl]++;
        i = j;
    }
    return n ? (double)ok / (double)n : 0;
}

static int polarity(const char *s, size_t n)
{
    if (n == 8 && memcmp(s, "positive", 8) == 0)
        return TEMA__SM_POS;
    if (n == 8 && memcmp(s, "negative", 8) == 0)
        return TEMA__SM_NEG;
    return TEMA__SM_NEU;
}

int main(int argc, char **argv)
{
    const char *train_path = NULL, *out = NULL, *taxonomy = "lexicons/themes/restaurant.tema";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--train") == 0 && i + 1 < argc)
            train_path = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--taxonomy") == 0 && i + 1 < argc)
            taxonomy = argv[++i];
        else
            die("usage: train-aspects --train FILE.tsv --out FILE [--taxonomy FILE]");
    }
    if (!train_path || !out)
        die("usage: train-aspects --train FILE.tsv --out FILE [--taxonomy FILE]");
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.base_taxonomy = taxonomy;
    cfg.options |= TEMA_OPT_NO_MODEL; /* the rule features, not a previous model's output */
    tema_engine *e = NULL;
    tema_doc *d = NULL;
    if (tema_engine_new(&cfg, &e) != TEMA_OK || tema_doc_new(e, &d) != TEMA_OK) {
        fprintf(stderr, "train-aspects: %s\n", e ? tema_errmsg(e) : "out of memory");
        return 1;
    }
    tsv_reader tsv;
    if (tsv_open(&tsv, train_path) != 0)
        return 1;
    if (!(F.off = malloc(sizeof *F.off)))
        die("out of memory");
    F.off[0] = 0;
    size_t sentences = 0;
    char *col[3]; /* id, categories, text */
    while (tsv_next(&tsv, col, 3) == 0) {
        const char *labels = col[1], *labels_end = col[1] + strlen(col[1]), *text = col[2];
        tema_analyze_opts o = {.lang = TEMA_LANG_EN};
        if (tema_doc_analyze(d, text, strlen(text), &o) != TEMA_OK)
            continue;
        sentences++;
        int fold = (int)((tema__hash(text, strlen(text)) >> 11) % FOLDS);
        /* rows grouped by category in order of first mention */
        const tema__taxonomy *t = e->taxonomy;
        size_t gbase = ngroups;
        const char *seen[MAXCAT];
        size_t nseen = 0;
        for (size_t k = 0; k < d->nmentions; k++) {
            int32_t th = d->mentions[k].theme;
            if (t->themes[th].builtin)
                continue;
            while (t->themes[th].parent >= 0)
                th = t->themes[th].parent;
            const char *id = t->themes[th].id;
            size_t idn = strlen(id);
            /* the gold polarity of this category, if any */
            int gold = -1;
            for (const char *p = labels; p < labels_end;) {
                const char *end = memchr(p, '|', (size_t)(labels_end - p));
                if (!end)
                    end = labels_end;
                const char *colon = memchr(p, ':', (size_t)(end - p));
                if (colon && (size_t)(colon - p) == idn && memcmp(p, id, idn) == 0)
                    gold = polarity(colon + 1, (size_t)(end - colon - 1));
                p = end + 1;
            }
            if (gold < 0)
                continue;
            size_t g = 0;
            while (g < nseen && seen[g] != id)
                g++;
            if (g == nseen && nseen < MAXCAT)
                seen[nseen++] = id;
            uint32_t c = 0;
            while (c < ncats && strcmp(catv[c], id) != 0)
                c++;
            if (c == ncats && ncats < MAXCAT && strlen(id) < 256)
                catv[ncats++] = id;
            if (nE == capE) {
                capE = capE ? capE * 2 : 4096;
                E = realloc(E, capE * sizeof *E);
                F.off = realloc(F.off, (capE + 1) * sizeof *F.off);
                if (!E || !F.off)
                    die("out of memory");
            }
            E[nE].label = gold;
            E[nE].fold = fold;
            E[nE].group = gbase + g;
            tema__mentmodel_features(d, k, NBUCKETS, feats_push, &F);
            F.off[++nE] = F.n;
        }
        ngroups = gbase + nseen;
    }
    tsv_close(&tsv);
    /* group rows together (stable), so a group is a run */
    {
        size_t *cnt = calloc(ngroups + 1, sizeof *cnt);
        ex *E2 = malloc(nE * sizeof *E2);
        size_t *off2 = malloc((nE + 1) * sizeof *off2);
        uint32_t *idx2 = malloc(F.n * sizeof *idx2);
        float *val2 = malloc(F.n * sizeof *val2);
        size_t *pos = malloc(nE * sizeof *pos);
        if (!cnt || !E2 || !off2 || !idx2 || !val2 || !pos)
            die("out of memory");
        for (size_t i = 0; i < nE; i++)
            cnt[E[i].group + 1]++;
        for (size_t g = 0; g < ngroups; g++)
            cnt[g + 1] += cnt[g];
        for (size_t i = 0; i < nE; i++)
            pos[cnt[E[i].group]++] = i;
        off2[0] = 0;
        for (size_t r = 0; r < nE; r++) {
            size_t i = pos[r];
            E2[r] = E[i];
            size_t len = F.off[i + 1] - F.off[i];
            memcpy(idx2 + off2[r], F.idx + F.off[i], len * sizeof *idx2);
            memcpy(val2 + off2[r], F.val + F.off[i], len * sizeof *val2);
            off2[r + 1] = off2[r] + len;
        }
        free(E);
        free(F.off);
        free(F.idx);
        free(F.val);
        free(cnt);
        free(pos);
        E = E2;
        F.off = off2;
        F.idx = idx2;
        F.val = val2;
    }
    size_t cls[3] = {0, 0, 0};
    for (size_t i = 0; i < nE; i++)
        cls[E[i].label]++;
    fprintf(stderr, "train-aspects: %zu sentences, %zu mention rows (neg %zu, neu %zu, pos %zu), %zu categories found\n",
            sentences, nE, cls[0], cls[1], cls[2], ngroups);
    float *w = malloc(NW * sizeof *w), *g2 = malloc(NW * sizeof *g2);
    double *Z = malloc(nE * 3 * sizeof *Z), *bestZ = malloc(nE * 3 * sizeof *bestZ);
    if (!w || !g2 || !Z || !bestZ)
        die("out of memory");
    static const hp grid[] = {
        {1e-4, 5, 0},  {1e-5, 10, 0}, {1e-5, 20, 0}, {1e-5, 5, 0}, {1e-4, 10, 0},
        {1e-4, 20, 0}, {1e-6, 10, 0}, {1e-5, 10, 1}, {1e-4, 10, 1}};
    const double zero[3] = {0, 0, 0};
    double best = -1;
    hp besth = grid[0];
    for (size_t g = 0; g < sizeof grid / sizeof grid[0]; g++) {
        for (int fold = 0; fold < FOLDS; fold++) {
            train(w, g2, fold, &grid[g]);
            for (size_t i = 0; i < nE; i++)
                if (E[i].fold == fold)
                    sgd_logits(w, NULL, &F, i, Z + i * 3);
        }
        double acc = group_accuracy(Z, zero, NULL);
        fprintf(stderr, "  l2 %g epochs %d balanced %d: CV polarity accuracy %.4f\n", grid[g].l2,
                grid[g].epochs, grid[g].balanced, acc);
        if (acc > best) {
            best = acc;
            besth = grid[g];
            memcpy(bestZ, Z, nE * 3 * sizeof *Z);
        }
    }
    /* logit offsets for negative and neutral (positive fixed at 0) */
    double bias[3] = {0, 0, 0}, bacc = best;
    for (int a = -10; a <= 10; a++)
        for (int b = -10; b <= 10; b++) {
            double bb[3] = {a * 0.1, b * 0.1, 0};
            double acc = group_accuracy(bestZ, bb, NULL);
            /* a clear gain only, so noise does not pick the offsets */
            if (acc > bacc + 0.002) {
                bacc = acc;
                memcpy(bias, bb, sizeof bias);
            }
        }
    size_t conf[3][3] = {{0}};
    group_accuracy(bestZ, bias, conf);
    fprintf(stderr,
            "train-aspects: chosen l2 %g epochs %d balanced %d, offsets neg %.1f neu %.1f: CV "
            "accuracy %.4f (%.4f without offsets)\n",
            besth.l2, besth.epochs, besth.balanced, bias[0], bias[1], bacc, best);
    fprintf(stderr, "  CV confusion [gold][pred] (neg, neu, pos): neg %zu %zu %zu | neu %zu %zu %zu | pos %zu %zu %zu\n",
            conf[0][0], conf[0][1], conf[0][2], conf[1][0], conf[1][1], conf[1][2], conf[2][0],
            conf[2][1], conf[2][2]);
    /* the final model, on every row */
    train(w, g2, -1, &besth);
    FILE *o = fopen(out, "wb");
    if (!o) {
        perror(out);
        return 1;
    }
    uint32_t nb = NBUCKETS, nd = TEMA__MM_DENSE, nc = 3, lang = TEMA_LANG_EN, nnz = 0;
    float fb[3] = {(float)bias[0], (float)bias[1], (float)bias[2]};
    for (size_t b = 0; b < NBUCKETS; b++) {
        const float *x = w + (TEMA__MM_DENSE + b) * 3;
        nnz += x[0] != 0 || x[1] != 0 || x[2] != 0;
    }
    fwrite("TEMAMNT1", 1, 8, o);
    fwrite(&nb, 4, 1, o);
    fwrite(&nd, 4, 1, o);
    fwrite(&nc, 4, 1, o);
    fwrite(&lang, 4, 1, o);
    /* the categories: the model relabels only mentions of these top-level themes */
    fwrite(&ncats, 4, 1, o);
    for (uint32_t c = 0; c < ncats; c++) {
        unsigned char len = (unsigned char)strlen(catv[c]);
        fwrite(&len, 1, 1, o);
        fwrite(catv[c], 1, len, o);
    }
    fwrite(fb, sizeof fb, 1, o);
    fwrite(w, sizeof *w, TEMA__MM_DENSE * 3, o);
    fwrite(&nnz, 4, 1, o);
    for (uint32_t b = 0; b < NBUCKETS; b++) {
        const float *x = w + (TEMA__MM_DENSE + b) * 3;
        if (x[0] != 0 || x[1] != 0 || x[2] != 0) {
            fwrite(&b, 4, 1, o);
            fwrite(x, sizeof *x, 3, o);
        }
    }
    fwrite("END1", 1, 4, o);
    if (fclose(o) != 0) {
        perror(out);
        return 1;
    }
    free(w);
    free(g2);
    free(Z);
    free(bestZ);
    free(E);
    free(F.off);
    free(F.idx);
    free(F.val);
    tema_doc_free(d);
    tema_engine_free(e);
    return 0;
}
