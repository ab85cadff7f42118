/*
 * train-langid.c: builds models/langid.bin, the naive Bayes language model
 * that engine/src/langid.c reads.
 *
 *   train-langid --out models/langid.bin [--ud ud-dev.tsv]
 *                [--words LANG FILE]... [--text LANG FILE]...
 *
 * --ud      Universal Dependencies sentences, "lang<TAB>text" with a header;
 *           the fifth of sentences that tema__langid_heldout() selects is
 *           skipped here and left to tools/eval-langid.
 * --words   a word list (the first TAB-separated field of each line that is
 *           not a comment): Snowball vocabularies, the project's lexicons.
 * --text    text the project wrote, one sentence or comment per line.
 *
 * Every text goes through the engine's own tokenizer and feature function,
 * so training and detection see identical features.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "langid.h"

#define LANGS 4
#define NBUCKETS (1u << 20)
#define NWORDS (1u << 20)
#define ALPHA 0.1

static float *counts;            /* NBUCKETS * LANGS */
static uint8_t *known;           /* NWORDS: language bits of words seen */
static double totals[LANGS];     /* feature mass per language */
static size_t texts[LANGS];      /* texts per language */
static tema_doc *doc;
static float ud_weight = 1.0f;  /* running text teaches function words; weigh it over word lists */

static int lang_index(const char *code, size_t len)
{
    tema_lang l;
    if (tema_lang_parse(code, len, &l) != TEMA_OK || l == TEMA_LANG_UND)
        return -1;
    return (int)l - TEMA_LANG_SV;
}

static void add_text(int lang, const char *text, size_t len, float weight)
{
    tema_analyze_opts o = {.stage = TEMA_STAGE_TOKENS};
    if (tema_doc_analyze(doc, text, len, &o) != TEMA_OK)
        return;
    uint32_t feats[512];
    for (size_t t = 0; t < doc->toks.n; t++) {
        const tema__token *tok = &doc->toks.v[t];
        if (tok->type != TEMA_TOK_WORD)
            continue;
        size_t nf = tema__langid_features(doc->norm.p + tok->norm_off, tok->norm_len, feats, 512);
        for (size_t k = 0; k < nf; k++) {
            counts[(size_t)(feats[k] & (NBUCKETS - 1)) * LANGS + (size_t)lang] += weight;
            totals[lang] += weight;
        }
        known[feats[nf - 1] & (NWORDS - 1)] |= (uint8_t)(1u << lang);
    }
    texts[lang]++;
}

static int read_lines(const char *path, int lang, int words_only, int ud)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int first = 1;
    size_t used = 0, held = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (ud) {
            if (first) { first = 0; continue; }
            char *tab = strchr(line, '\t');
            if (!tab)
                continue;
            int l = lang_index(line, (size_t)(tab - line));
            const char *text = tab + 1;
            if (l < 0)
                continue;
            if (tema__langid_heldout(text, strlen(text))) {
                held++;
                continue;
            }
            add_text(l, text, strlen(text), ud_weight);
            used++;
            continue;
        }
        if (n == 0 || line[0] == '#')
            continue;
        if (words_only) {
            char *tab = strchr(line, '\t');
            if (tab)
                *tab = '\0';
            char *w = line[0] == '=' ? line + 1 : line;
            add_text(lang, w, strlen(w), 1.0f);
        } else {
            add_text(lang, line, (size_t)n, ud_weight);
        }
        used++;
    }
    free(line);
    fclose(f);
    fprintf(stderr, "%s: %zu texts used%s", path, used, ud ? "" : "\n");
    if (ud)
        fprintf(stderr, ", %zu held out for evaluation\n", held);
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_TEXT_ONLY;
    tema_engine *e = NULL;
    if (tema_engine_new(&cfg, &e) != TEMA_OK || tema_doc_new(e, &doc) != TEMA_OK)
        return 1;
    counts = calloc((size_t)NBUCKETS * LANGS, sizeof *counts);
    known = calloc(NWORDS, 1);
    if (!counts || !known)
        return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--ud-weight") == 0 && i + 1 < argc) {
            ud_weight = (float)atof(argv[++i]);
        } else if (strcmp(argv[i], "--ud") == 0 && i + 1 < argc) {
            if (read_lines(argv[++i], 0, 0, 1) < 0)
                return 1;
        } else if ((strcmp(argv[i], "--words") == 0 || strcmp(argv[i], "--text") == 0) &&
                   i + 2 < argc) {
            int words = argv[i][2] == 'w';
            int l = lang_index(argv[i + 1], strlen(argv[i + 1]));
            if (l < 0) {
                fprintf(stderr, "unknown language %s\n", argv[i + 1]);
                return 2;
            }
            if (read_lines(argv[i + 2], l, words, 0) < 0)
                return 1;
            i += 2;
        } else {
            fprintf(stderr, "usage: train-langid --out FILE [--ud FILE] [--words LANG FILE]... "
                            "[--text LANG FILE]...\n");
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "train-langid: --out is required\n");
        return 2;
    }
    /* log P(feature | language) with additive smoothing, quantised to int16. */
    float *logp = malloc((size_t)NBUCKETS * LANGS * sizeof *logp);
    if (!logp)
        return 1;
    double lo = 0;
    for (int l = 0; l < LANGS; l++) {
        double denom = totals[l] + ALPHA * NBUCKETS;
        for (size_t b = 0; b < NBUCKETS; b++) {
            double v = log((counts[b * LANGS + (size_t)l] + ALPHA) / denom);
            logp[b * LANGS + (size_t)l] = (float)v;
            if (v < lo)
                lo = v;
        }
    }
    float scale = (float)(-lo / 32767.0);
    FILE *f = fopen(out, "wb");
    if (!f) {
        perror(out);
        return 1;
    }
    uint32_t nb = NBUCKETS;
    float bias[LANGS] = {0, 0, 0, 0}; /* uniform: the run prior carries the mix */
    fwrite("TEMALID2", 1, 8, f);
    fwrite(&nb, 4, 1, f);
    fwrite(&scale, 4, 1, f);
    fwrite(bias, 4, LANGS, f);
    for (size_t i = 0; i < (size_t)NBUCKETS * LANGS; i++) {
        long q = lround(logp[i] / scale);
        int16_t v = (int16_t)(q < -32767 ? -32767 : q > 0 ? 0 : q);
        fwrite(&v, 2, 1, f);
    }
    uint32_t nw = NWORDS;
    fwrite(&nw, 4, 1, f);
    fwrite(known, 1, NWORDS, f);
    if (fclose(f) != 0) {
        perror(out);
        return 1;
    }
    fprintf(stderr, "wrote %s: %u buckets x %d languages; texts sv %zu da %zu no %zu en %zu\n", out,
            nb, LANGS, texts[0], texts[1], texts[2], texts[3]);
    free(logp);
    free(counts);
    free(known);
    tema_doc_free(doc);
    tema_engine_free(e);
    return 0;
}
