/*
 * eval-langid.c: accuracy of language identification on the sentences
 * tools/train-langid held out (tema__langid_heldout()), overall, per
 * language and by length, with a confusion matrix; Markdown on stdout for
 * docs/accuracy.md.
 *
 *   eval-langid ud-dev.tsv
 *
 * Each held-out sentence is tested whole and as its word-boundary prefixes
 * of under 20 and of 20-40 characters, because feedback comments are short.
 * No run prior is used: these are the figures for a comment on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "langid.h"

enum { B_SHORT, B_MID, B_LONG, NB };
static const char *const bucket_names[NB] = {"under 20", "20-40", "over 40"};
static size_t conf[NB][TEMA_LANG_COUNT][TEMA_LANG_COUNT]; /* [bucket][truth][predicted] */
static tema_doc *doc;

static size_t chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static void test(tema_lang truth, const char *text, size_t len)
{
    size_t c = chars(text, len);
    int b = c < 20 ? B_SHORT : c <= 40 ? B_MID : B_LONG;
    tema_analyze_opts o = {.stage = TEMA_STAGE_LANG};
    if (tema_doc_analyze(doc, text, len, &o) != TEMA_OK)
        return;
    conf[b][truth][tema_doc_lang(doc)]++;
    if (getenv("EVAL_ERRORS") && tema_doc_lang(doc) != truth && b == B_LONG)
        fprintf(stderr, "%s -> %s: %.*s\n", tema_lang_code(truth), tema_lang_code(tema_doc_lang(doc)),
                (int)len, text);
}

/* The longest prefix ending at a space with at most 'max' characters. */
static size_t prefix(const char *s, size_t len, size_t max)
{
    size_t best = 0, nchars = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            nchars++;
        if (nchars > max)
            break;
        if (s[i] == ' ')
            best = i;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: eval-langid ud-dev.tsv\n");
        return 2;
    }
    tema_engine *e = NULL;
    if (tema_engine_new(NULL, &e) != TEMA_OK || !e->langid || tema_doc_new(e, &doc) != TEMA_OK) {
        fprintf(stderr, "eval-langid: %s\n", e ? tema_errmsg(e) : "no engine");
        return 1;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t sentences = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *tab = strchr(line, '\t');
        tema_lang truth;
        if (!tab || tema_lang_parse(line, (size_t)(tab - line), &truth) != TEMA_OK)
            continue;
        const char *text = tab + 1;
        size_t len = strlen(text);
        if (!tema__langid_heldout(text, len))
            continue;
        sentences++;
        test(truth, text, len);
        size_t p = prefix(text, len, 40);
        if (p && chars(text, p) >= 20 && p < len)
            test(truth, text, p);
        p = prefix(text, len, 19);
        if (p && chars(text, p) >= 8 && p < len)
            test(truth, text, p);
    }
    free(line);
    fclose(f);
    printf("Held-out sentences: %zu (with their prefixes: tests below)\n\n", sentences);
    printf("| length (characters) | tests | accuracy | sv | da | no | en | da/no confusions |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    size_t all_ok = 0, all_n = 0;
    for (int b = 0; b < NB; b++) {
        size_t ok = 0, tot = 0, dano = 0;
        double per[TEMA_LANG_COUNT] = {0};
        for (int t = TEMA_LANG_SV; t < TEMA_LANG_COUNT; t++) {
            size_t lt = 0;
            for (int p = 0; p < TEMA_LANG_COUNT; p++)
                lt += conf[b][t][p];
            per[t] = lt ? (double)conf[b][t][t] / (double)lt : 0;
            ok += conf[b][t][t];
            tot += lt;
        }
        dano = conf[b][TEMA_LANG_DA][TEMA_LANG_NO] + conf[b][TEMA_LANG_NO][TEMA_LANG_DA];
        printf("| %s | %zu | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %zu |\n", bucket_names[b],
               tot, tot ? 100.0 * (double)ok / (double)tot : 0, 100 * per[1], 100 * per[2],
               100 * per[3], 100 * per[4], dano);
        all_ok += ok;
        all_n += tot;
    }
    printf("| all | %zu | %.1f%% | | | | | |\n\n", all_n,
           all_n ? 100.0 * (double)all_ok / (double)all_n : 0);
    printf("Confusion matrix, all lengths (rows: truth, columns: predicted)\n\n");
    printf("| | und | sv | da | no | en |\n|---|---:|---:|---:|---:|---:|\n");
    for (int t = TEMA_LANG_SV; t < TEMA_LANG_COUNT; t++) {
        printf("| %s |", tema_lang_code((tema_lang)t));
        for (int p = 0; p < TEMA_LANG_COUNT; p++) {
            size_t v = 0;
            for (int b = 0; b < NB; b++)
                v += conf[b][t][p];
            printf(" %zu |", v);
        }
        printf("\n");
    }
    tema_doc_free(doc);
    tema_engine_free(e);
    return 0;
}
