/*
 * otherlang.c: loading the word lists of other languages
 * (lexicons/all/other-languages.txt) and looking a word up in them.  Each
 * entry is run through the comment tokenizer at load time, so a lookup is
 * one probe with the hash the doc already computed for the word form.
 * langid.c weighs the hits against the winning language's own words.
 */
#include "otherlang.h"
#include "langid.h"

#include <stdio.h>
#include <stdlib.h>

/* Longest line accepted; entries are single words. */
#define MAX_LINE 1024

struct tema__otherlang {
    tema__strmap words;  /* normalised word -> set of other languages (bit i) */
};

/* In bit order; docs/formats.md lists the same codes. */
static const char *const codes[TEMA__OTHERLANG_COUNT] = {"de", "fi", "fr", "es", "nl", "pl",
                                                         "it", "pt", "et", "is", "tr"};

const char *tema__otherlang_code(int i)
{
    return i >= 0 && i < TEMA__OTHERLANG_COUNT ? codes[i] : NULL;
}

size_t tema__otherlang_count(const tema__otherlang *o)
{
    return o ? o->words.count : 0;
}

void tema__otherlang_free(tema__otherlang *o)
{
    if (!o)
        return;
    tema__strmap_free(&o->words);
    free(o);
}

uint32_t tema__otherlang_find(const tema__otherlang *o, const char *w, size_t len,
                              uint64_t hash)
{
    if (!o)
        return 0;
    const tema__strmap_entry *e = tema__strmap_find_padded(&o->words, w, len, hash);
    return e ? e->value : 0;
}

static int code_index(const char *s, size_t n)
{
    for (int i = 0; i < TEMA__OTHERLANG_COUNT; i++)
        if (strlen(codes[i]) == n && memcmp(codes[i], s, n) == 0)
            return i;
    return -1;
}

/* Scratch of one load. */
typedef struct loader {
    tema__tokvec toks;     /* tokens of one entry */
    tema__buf norm;        /* their normalised text */
    tema__norm_scratch ns; /* normaliser scratch */
} loader;

/* Parses one non-comment line into 'o'.  Returns TEMA_OK, TEMA_ERR_NOMEM,
 * or TEMA_ERR_PARSE with the reason in 'why'. */
static tema_status add_line(tema__otherlang *o, loader *L, const char *line, size_t n,
                            const char **why)
{
    const char *tab = memchr(line, '\t', n);
    if (!tab) {
        *why = "expected word<TAB>language";
        return TEMA_ERR_PARSE;
    }
    const char *code = tab + 1;
    size_t clen = n - (size_t)(code - line);
    if (memchr(code, '\t', clen)) {
        *why = "too many fields (expected word<TAB>language)";
        return TEMA_ERR_PARSE;
    }
    int li = code_index(code, clen);
    if (li < 0) {
        *why = "unknown language (de fi fr es nl pl it pt et is tr)";
        return TEMA_ERR_PARSE;
    }
    size_t repairs = 0;
    tema_status st = tema__tokenize(line, (size_t)(tab - line), &L->toks, &L->norm, &L->ns,
                                    &repairs);
    if (st == TEMA_ERR_NOMEM)
        return st;
    if (st != TEMA_OK || repairs) {
        *why = "invalid UTF-8";
        return TEMA_ERR_PARSE;
    }
    if (L->toks.n != 1 || L->toks.v[0].type != TEMA_TOK_WORD) {
        *why = "not one word";
        return TEMA_ERR_PARSE;
    }
    const char *w = L->norm.p + L->toks.v[0].norm_off;
    size_t wl = L->toks.v[0].norm_len;
    /* one-letter words (y, e, w, z) are in too many languages to tell */
    if (tema__langid_letters(w, wl) < 2) {
        *why = "a word needs at least two letters";
        return TEMA_ERR_PARSE;
    }
    tema__strmap_entry *e = tema__strmap_get(&o->words, w, wl);
    if (e) {
        e->value |= 1u << li;
        return TEMA_OK;
    }
    /* find_padded() reads past the last key: keep the slack after it */
    if (tema__strmap_put(&o->words, w, wl, 1u << li, NULL) != TEMA_OK ||
        tema__buf_reserve(&o->words.keys, TEMA__HASH_SLACK) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    memset(o->words.keys.p + o->words.keys.len, 0, TEMA__HASH_SLACK);
    return TEMA_OK;
}

tema_status tema__otherlang_load(tema_engine *e, tema__otherlang **out)
{
    char path[PATH_MAX];
    *out = NULL;
    if (tema__data_path(e, "lexicons/all/other-languages.txt", path) != TEMA_OK)
        return tema__fail(e, TEMA_ERR_LIMIT, "path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return TEMA_OK; /* like a missing lexicon file: an empty list */
    tema__otherlang *o = calloc(1, sizeof *o);
    if (!o) {
        fclose(f);
        return TEMA_ERR_NOMEM;
    }
    tema__strmap_init(&o->words);
    loader L;
    memset(&L, 0, sizeof L);
    char line[MAX_LINE];
    size_t n, lineno = 0;
    tema_status st;
    const char *why = NULL;
    while ((st = tema__read_line(f, line, sizeof line, &n)) != TEMA_DONE) {
        lineno++;
        if (st == TEMA_ERR_LIMIT) {
            why = "line too long";
            st = TEMA_ERR_PARSE;
        } else if (st != TEMA_OK) {
            why = "read error";
            break;
        } else {
            size_t i = 0;
            while (i < n && (line[i] == ' ' || line[i] == '\t'))
                i++;
            if (i == n || line[i] == '#')
                continue;
            st = add_line(o, &L, line, n, &why);
        }
        if (st != TEMA_OK)
            break;
    }
    fclose(f);
    tema__tokvec_free(&L.toks);
    tema__buf_free(&L.norm);
    tema__norm_scratch_free(&L.ns);
    if (st == TEMA_DONE) {
        *out = o;
        return TEMA_OK;
    }
    tema__otherlang_free(o);
    if (st == TEMA_ERR_NOMEM)
        return st;
    return tema__fail(e, st, "%s:%zu: %s", path, lineno, why ? why : tema_errstr(st));
}
