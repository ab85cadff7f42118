/*
 * taxonomy.c: loads and validates theme taxonomies (docs/formats.md).
 * Terms are tokenised and stemmed here, once, with the same tokenizer and
 * Snowball stemmers as the comments, so matching a comment compares stems
 * and never re-analyses a term.  A block whose id already exists replaces
 * that theme's rules, which is how --taxonomy files override the default.
 * Every error of a file is collected as "file:line: message" before the
 * load fails, so an analyst fixes a file in one round.
 */
#include "taxonomy.h"

/* Limits on taxonomy files (docs/reliability.md): one line, and themes in
 * the whole taxonomy. */
#define TEMA__TAXONOMY_MAX_LINE 65536
#define TEMA__TAXONOMY_MAX_THEMES 100000

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mention_model.h"
#include "model.h"
#include "tokenize.h"

#include <utf8proc.h>

/* Loader state for one engine. */
typedef struct loader {
    tema_engine *e;                          /* for errmsg */
    tema__taxonomy *t;                       /* being built */
    const char *file;                        /* current file */
    int line;                                /* current line */
    int nerrors;                             /* errors in the current file */
    size_t errlen;                           /* bytes in e->errmsg */
    int32_t cur;                             /* theme of the current block, -1 before any */
    int cur_line;                            /* line of its [id] */
    bool cur_err;                            /* the block header was invalid: skip its keys */
    tema__stemmer *stem[TEMA_LANG_COUNT];    /* per language */
    tema__tokvec toks;                       /* term tokenisation */
    tema__buf norm;                          /* normalised term text */
    tema__norm_scratch ns;                   /* utf8proc scratch */
    tema__strmap alias_tp;                   /* alias -> touchpoint, for duplicate checks */
    tema__buf alias_tps;                     /* NUL-terminated touchpoints for alias_tp values */
    tema__strmap gsets;                      /* "<lang>:<name>" of a named guard set
                                                (`sv.guards parcel:`) -> its words' offset in
                                                'gtext' */
    tema__buf gtext;                         /* guard sets as written: a uint32 length, then
                                                the comma-separated words */
} loader;

/* A guard list after parsing ("!C !D ..." or "!!C !!@set ..."), its named
 * sets expanded for one language. */
#define TEMA__GUARD_MAX 255 /* words in one guard list, sets expanded (tema__rule.nguard) */
typedef struct guards {
    const char *w[TEMA__GUARD_MAX]; /* the words as written ("=toget", "pakke") */
    size_t wn[TEMA__GUARD_MAX];     /* their bytes */
    size_t n;                       /* words in use */
    int comment;                    /* 1: "!!", the whole comment; 0: "!", the match's sentence
                                       (or clause, as the theme's scope: key says) */
} guards;

/* Temporary posting lists while the indexes are built. */
typedef struct plist {
    uint32_t *v;  /* postings */
    size_t n;     /* in use */
    size_t cap;   /* allocated */
} plist;

static const char *const kind_key[TEMA__R_KIND_COUNT] = {
    "", "", "part", "exclude", "complaint", "near", "near", "regex"};

static void error(loader *L, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void error(loader *L, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->nerrors++;
    char *buf = L->e->errmsg;
    size_t cap = sizeof L->e->errmsg;
    if (L->errlen + 1 >= cap)
        return;
    int n = snprintf(buf + L->errlen, cap - L->errlen, "%s%s:%d: %s", L->errlen ? "\n" : "",
                     L->file, line, msg);
    if (n > 0)
        L->errlen = L->errlen + (size_t)n < cap ? L->errlen + (size_t)n : cap - 1;
}

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void trim(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static bool valid_id_segment(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static bool valid_id(const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (!valid_id_segment(s + start, i - start))
                return false;
            start = i + 1;
        }
    }
    return true;
}

/* The language prefixes of taxonomy lines, by tema_lang ('*': every language). */
static const char *const codes[TEMA_LANG_COUNT] = {"*", "sv", "da", "no", "en"};

static int parse_lang(const char *s, size_t n)
{
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
        if (strlen(codes[l]) == n && memcmp(codes[l], s, n) == 0)
            return l; /* 0 (TEMA_LANG_UND) stands for '*' */
    return -1;
}

static void theme_clear_rules(tema__theme *th)
{
    for (size_t i = 0; i < th->nr; i++)
        tema__regex_free(th->rules[i].re);
    th->nr = 0;
    memset(th->nrules, 0, sizeof th->nrules);
}

static void theme_free(tema__theme *th)
{
    theme_clear_rules(th);
    free(th->rules);
    free(th->id);
    free(th->touchpoint);
    free(th->phase);
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
        free(th->label[l]);
}

void tema__taxonomy_free(tema__taxonomy *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nthemes; i++)
        theme_free(&t->themes[i]);
    free(t->themes);
    for (size_t i = 0; i < t->nrules; i++)
        tema__regex_free(t->rules[i].re);
    free(t->rules);
    free(t->terms);
    free(t->lists);
    tema__buf_free(&t->text);
    tema__strmap_free(&t->ids);
    tema__strmap_free(&t->aliases);
    tema__strmap_free(&t->touchpoints);
    for (int l = 0; l < TEMA_LANG_COUNT; l++) {
        tema__strmap_free(&t->index[l].stem);
        tema__strmap_free(&t->index[l].exact);
        tema__strmap_free(&t->index[l].part);
        free(t->index[l].regex);
        free(t->index[l].regex_pre);
        free(t->index[l].regex_by_bit);
    }
    free(t->model);
    free(t->sentmodel);
    tema__mentmodel_free(t->mmodel);
    free(t);
}

static tema_status add_theme(loader *L, const char *id, size_t n, int32_t parent, int32_t *out)
{
    tema__taxonomy *t = L->t;
    if (t->nthemes == t->capthemes) {
        size_t cap = t->capthemes ? t->capthemes * 2 : 64;
        tema__theme *v = realloc(t->themes, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        t->themes = v;
        t->capthemes = cap;
    }
    tema__theme *th = &t->themes[t->nthemes];
    memset(th, 0, sizeof *th);
    th->parent = parent;
    if (!(th->id = dupn(id, n)))
        return TEMA_ERR_NOMEM;
    if (tema__strmap_put(&t->ids, id, n, (uint32_t)t->nthemes, NULL) != TEMA_OK) {
        free(th->id);
        return TEMA_ERR_NOMEM;
    }
    *out = (int32_t)t->nthemes++;
    return TEMA_OK;
}

static tema_status set_str(char **dst, const char *s, size_t n)
{
    char *p = dupn(s, n);
    if (!p)
        return TEMA_ERR_NOMEM;
    free(*dst);
    *dst = p;
    return TEMA_OK;
}

/* Checks the block that just ended: what a theme must have. */
static void end_block(loader *L)
{
    if (L->cur < 0 || L->cur_err)
        return;
    tema__theme *th = &L->t->themes[L->cur];
    if (th->parent < 0 && !th->touchpoint)
        error(L, L->cur_line, "top-level theme '%s' has no touchpoint", th->id);
    if (th->parent < 0 && !th->phase)
        error(L, L->cur_line, "top-level theme '%s' has no phase", th->id);
    if (!th->label[TEMA_LANG_EN])
        error(L, L->cur_line, "theme '%s' has no en label", th->id);
}

static tema_status start_block(loader *L, const char *s, size_t n)
{
    end_block(L);
    L->cur = -1;
    L->cur_err = true;
    L->cur_line = L->line;
    if (n < 2 || s[n - 1] != ']') {
        error(L, L->line, "expected '[id]'");
        return TEMA_OK;
    }
    const char *id = s + 1;
    size_t idn = n - 2;
    trim(&id, &idn);
    if (!valid_id(id, idn)) {
        error(L, L->line, "bad theme id '%.*s' (lower-case letters, digits and _, levels joined "
                          "with '.')", (int)idn, id);
        return TEMA_OK;
    }
    tema__taxonomy *t = L->t;
    tema__strmap_entry *ex = tema__strmap_get(&t->ids, id, idn);
    if (ex) {
        /* An existing id: this block replaces the theme's rules. */
        L->cur = (int32_t)ex->value;
        tema__theme *th = &t->themes[L->cur];
        theme_clear_rules(th);
        snprintf(th->file, sizeof th->file, "%s", L->file);
        th->line = L->line;
        L->cur_err = false;
        return TEMA_OK;
    }
    int32_t parent = -1;
    const char *dot = NULL;
    for (size_t i = idn; i-- > 0;)
        if (id[i] == '.') {
            dot = id + i;
            break;
        }
    if (dot) {
        tema__strmap_entry *p = tema__strmap_get(&t->ids, id, (size_t)(dot - id));
        if (!p) {
            error(L, L->line, "parent '%.*s' of '%.*s' is not defined (it must come earlier)",
                  (int)(dot - id), id, (int)idn, id);
            return TEMA_OK;
        }
        parent = (int32_t)p->value;
    }
    tema_status st = add_theme(L, id, idn, parent, &L->cur);
    if (st != TEMA_OK)
        return st;
    tema__theme *th = &t->themes[L->cur];
    snprintf(th->file, sizeof th->file, "%s", L->file);
    th->line = L->line;
    if (parent >= 0) {
        const tema__theme *p = &t->themes[parent];
        if ((p->touchpoint && (st = set_str(&th->touchpoint, p->touchpoint, strlen(p->touchpoint)))) ||
            (p->phase && (st = set_str(&th->phase, p->phase, strlen(p->phase)))))
            return st;
        th->scope = p->scope;
    }
    L->cur_err = false;
    return TEMA_OK;
}

static tema_status push_rule(tema__theme *th, const tema__rule *r)
{
    if (th->nr == th->capr) {
        size_t cap = th->capr ? th->capr * 2 : 16;
        tema__rule *v = realloc(th->rules, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        th->rules = v;
        th->capr = cap;
    }
    th->rules[th->nr++] = *r;
    return TEMA_OK;
}

static tema_status push_term(tema__taxonomy *t, const char *s, size_t n, bool exact)
{
    if (t->nterms == t->capterms) {
        size_t cap = t->capterms ? t->capterms * 2 : 1024;
        tema__term *v = realloc(t->terms, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        t->terms = v;
        t->capterms = cap;
    }
    tema__term *tm = &t->terms[t->nterms++];
    memset(tm, 0, sizeof *tm);
    tm->off = (uint32_t)t->text.len;
    tm->len = (uint32_t)n;
    tm->exact = exact;
    return tema__buf_append(&t->text, s, n);
}

/* Turns one term ("leverans", "=ok", "tog två veckor", "\#fail") into
 * terms for 'lang': one per token, stemmed unless written with '=' or not
 * a word.  '*count' receives the number of terms (0 for an empty term). */
static tema_status compile_term(loader *L, tema_lang lang, const char *s, size_t n, bool by_stem,
                                uint32_t *first, uint32_t *count)
{
    tema__taxonomy *t = L->t;
    *first = (uint32_t)t->nterms;
    *count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i)
            break;
        const char *w = s + i;
        size_t wn = j - i;
        bool exact = !by_stem;
        if (*w == '=') {
            exact = true;
            w++;
            wn--;
        } else if (*w == '~') {
            exact = false;
            w++;
            wn--;
        }
        if (wn && *w == '\\') { /* "\#fail": a leading '#' would start a comment */
            w++;
            wn--;
        }
        size_t repairs;
        tema_status st = tema__tokenize(w, wn, &L->toks, &L->norm, &L->ns, &repairs);
        if (st != TEMA_OK)
            return st;
        for (size_t k = 0; k < L->toks.n; k++) {
            const tema__token *tk = &L->toks.v[k];
            const char *nm = L->norm.p + tk->norm_off;
            size_t nl = tk->norm_len;
            if (tk->type == TEMA_TOK_WORD && !exact) {
                const char *stem;
                size_t stem_len;
                if ((st = tema__stem(L->stem[lang], nm, nl, &stem, &stem_len)) != TEMA_OK ||
                    (st = push_term(t, stem, stem_len, false)) != TEMA_OK)
                    return st;
            } else if ((st = push_term(t, nm, nl, true)) != TEMA_OK) {
                return st;
            }
            (*count)++;
        }
        i = j;
    }
    return TEMA_OK;
}

/* Splits 'v' at 'sep' and calls 'fn' on each trimmed piece. */
typedef tema_status (*piece_fn)(loader *L, int lang, int kind, const char *s, size_t n);

static tema_status each_piece(loader *L, int lang, int kind, const char *v, size_t n, char sep,
                              piece_fn fn)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && v[i] != sep)
            continue;
        const char *p = v + start;
        size_t pn = i - start;
        trim(&p, &pn);
        start = i + 1;
        if (pn == 0) {
            error(L, L->line, "empty %s in list", sep == '|' ? "entry" : "term");
            continue;
        }
        tema_status st = fn(L, lang, kind, p, pn);
        if (st != TEMA_OK)
            return st;
    }
    return TEMA_OK;
}

/* Adds a rule for 'lang' ('*' = every language: one rule per language). */
static tema_status add_rule(loader *L, int lang, int kind, const char *a, size_t an,
                            const char *b, size_t bn, unsigned dist)
{
    tema__taxonomy *t = L->t;
    tema__theme *th = &t->themes[L->cur];
    for (int l = lang ? lang : TEMA_LANG_SV; l <= (lang ? lang : TEMA_LANG_EN); l++) {
        tema__rule r = {.kind = (uint8_t)kind, .lang = (uint8_t)l, .dist = (uint8_t)dist,
                        .theme = L->cur};
        uint32_t na, nb = 0, fb;
        /* Exclusions compare exact forms unless written ~word. */
        bool by_stem = kind != TEMA__R_EXCLUDE;
        tema_status st = compile_term(L, (tema_lang)l, a, an, by_stem, &r.term, &na);
        if (st != TEMA_OK)
            return st;
        if (b && (st = compile_term(L, (tema_lang)l, b, bn, true, &fb, &nb)) != TEMA_OK)
            return st;
        if (na == 0 || (b && nb == 0)) {
            error(L, L->line, "term '%.*s' has no words", (int)(na ? bn : an), na ? b : a);
            return TEMA_OK;
        }
        if ((kind == TEMA__R_NEAR || kind == TEMA__R_NOT || kind == TEMA__R_EXCLUDE ||
             kind == TEMA__R_PART) && (na != 1 || nb > 1)) {
            error(L, L->line, "%s: '%.*s' must be a single word", kind_key[kind],
                  (int)(na != 1 ? an : bn), na != 1 ? a : b);
            return TEMA_OK;
        }
        if (kind == TEMA__R_PART) {
            /* A part is looked up as written and by its stem: split parts
             * are written forms, heads are stems. */
            uint32_t fx, nx;
            if ((st = compile_term(L, (tema_lang)l, a, an, false, &fx, &nx)) != TEMA_OK)
                return st;
            nb = nx;
        }
        if (na > 32) {
            error(L, L->line, "phrase '%.*s' has more than 32 words", (int)an, a);
            return TEMA_OK;
        }
        r.nterms = na + nb;
        if (kind == TEMA__R_WORD && na > 1)
            r.kind = TEMA__R_PHRASE;
        if ((st = push_rule(th, &r)) != TEMA_OK)
            return st;
        th->nrules[r.kind]++;
    }
    return TEMA_OK;
}

/* The next item of the comma-separated list v[0..vn), trimmed (empty
 * items too); '*pos' is where it starts, 0 for the first.  False when the
 * list is done. */
static bool next_item(const char *v, size_t vn, size_t *pos, const char **p, size_t *pn)
{
    if (*pos > vn)
        return false;
    size_t k = *pos;
    while (k < vn && v[k] != ',')
        k++;
    *p = v + *pos;
    *pn = k - *pos;
    *pos = k + 1;
    trim(p, pn);
    return true;
}

/* Parses the guard list "!B !C ..." or "!!B !!@set ..." (n bytes at 's')
 * for 'lang': the only parser of such lists (phrase guards, near-pair
 * guards, A !B rules).  At most TEMA__NOT_MAX items, each one word without
 * '!' or a named set "@name" defined earlier (`<lang>.guards name:`), which
 * stands for its words; "!" and "!!" are not mixed.  Returns 1 when parsed,
 * 0 on bad syntax (the caller reports it), -1 after reporting an unknown
 * set or too many words. */
static int parse_guards(loader *L, tema_lang lang, const char *s, size_t n, guards *g)
{
    size_t items = 0;
    g->n = 0;
    g->comment = -1;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        int two = s[i] == '!' && i + 1 < n && s[i + 1] == '!';
        if (s[i] != '!' || (g->comment >= 0 && g->comment != two) || items == TEMA__NOT_MAX)
            return 0;
        g->comment = two;
        i += two ? 2u : 1u;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i || memchr(s + i, '!', j - i))
            return 0;
        items++;
        const char *w = s + i;
        size_t wn = j - i;
        i = j;
        if (*w != '@') {
            if (g->n == TEMA__GUARD_MAX)
                goto too_many;
            g->w[g->n] = w;
            g->wn[g->n++] = wn;
            continue;
        }
        if (wn == 1) {
            error(L, L->line, "guard set name missing after '%s@' (write '%s@name')",
                  two ? "!!" : "!", two ? "!!" : "!");
            return -1;
        }
        char key[128];
        int kl = snprintf(key, sizeof key, "%s:%.*s", codes[lang], (int)wn - 1, w + 1);
        tema__strmap_entry *e = kl > 0 && (size_t)kl < sizeof key && wn > 1
                                    ? tema__strmap_get(&L->gsets, key, (size_t)kl)
                                    : NULL;
        if (!e) {
            error(L, L->line, "unknown guard set '%.*s' for %s (define it first: '%s.guards %.*s: "
                  "word, word, ...')", (int)wn, w, codes[lang], codes[lang], (int)wn - 1, w + 1);
            return -1;
        }
        uint32_t len;
        memcpy(&len, L->gtext.p + e->value, sizeof len);
        const char *v = L->gtext.p + e->value + sizeof len;
        size_t pos = 0;
        const char *p;
        size_t pn;
        while (next_item(v, len, &pos, &p, &pn)) {
            if (g->n == TEMA__GUARD_MAX)
                goto too_many;
            g->w[g->n] = p;
            g->wn[g->n++] = pn;
        }
    }
    return g->n > 0;
too_many:
    error(L, L->line, "more than %d guard words in '%.*s'", TEMA__GUARD_MAX, (int)n, s);
    return -1;
}

/* `<lang>.guards name: word, word, ...`: a named guard set, written "!@name"
 * or "!!@name" in the guard lists of later lines and files.  Each word is
 * one word, as a guard is (by stem, =form exact); a later definition of the
 * name for the language replaces the earlier. */
static tema_status define_guards(loader *L, int lang, const char *name, size_t nn, const char *v,
                                 size_t vn)
{
    if (lang == 0 || !valid_id_segment(name, nn)) {
        error(L, L->line, "bad guard set '%.*s': expected '<lang>.guards name: word, word, ...' "
              "(sv, da, no or en; name of lower-case letters, digits and _)", (int)nn, name);
        return TEMA_OK;
    }
    size_t pos = 0;
    const char *p;
    size_t pn;
    while (next_item(v, vn, &pos, &p, &pn)) {
        if (pn == 0 || memchr(p, ' ', pn) || memchr(p, '!', pn) || *p == '@') {
            error(L, L->line, "guard set '%.*s': '%.*s' is not a single word", (int)nn, name,
                  (int)pn, p);
            return TEMA_OK;
        }
        /* one token too, as compile_term() will split it where the set is
         * used ("ab/cd" is three): the error belongs to this line */
        const char *w = p;
        size_t wn = pn;
        if (*w == '=' || *w == '~') {
            w++;
            wn--;
        }
        if (wn && *w == '\\') {
            w++;
            wn--;
        }
        size_t repairs;
        tema_status st = tema__tokenize(w, wn, &L->toks, &L->norm, &L->ns, &repairs);
        if (st != TEMA_OK)
            return st;
        if (L->toks.n != 1) {
            error(L, L->line, "guard set '%.*s': '%.*s' is not a single word", (int)nn, name,
                  (int)pn, p);
            return TEMA_OK;
        }
    }
    char key[128];
    int kl = snprintf(key, sizeof key, "%s:%.*s", codes[lang], (int)nn, name);
    if (kl <= 0 || (size_t)kl >= sizeof key) {
        error(L, L->line, "guard set name '%.*s' too long", (int)nn, name);
        return TEMA_OK;
    }
    uint32_t off = (uint32_t)L->gtext.len, len = (uint32_t)vn;
    tema_status st;
    if ((st = tema__buf_append(&L->gtext, &len, sizeof len)) != TEMA_OK ||
        (st = tema__buf_append(&L->gtext, v, vn)) != TEMA_OK)
        return st;
    return tema__strmap_put(&L->gsets, key, (size_t)kl, off, NULL);
}

/* Compiles the single-word terms 'ws' for 'lang', consecutively from
 * '*first'.  A word that is not one token is an error: TEMA_OK, reported. */
static tema_status compile_words(loader *L, tema_lang lang, const char *const *ws,
                                 const size_t *wns, size_t nw, const char *what, uint32_t *first)
{
    for (size_t k = 0; k < nw; k++) {
        uint32_t f, n;
        tema_status st = compile_term(L, lang, ws[k], wns[k], true, &f, &n);
        if (st != TEMA_OK)
            return st;
        if (n != 1) {
            error(L, L->line, "%s '%.*s' must be a single word", what, (int)wns[k], ws[k]);
            return TEMA_OK;
        }
        if (k == 0)
            *first = f;
    }
    return TEMA_OK;
}

/* Checks the guard list "!C !D ..." or "!!C !!D ..." (n bytes at 's') of
 * 'what' for every language of 'lang' ('*': all), before any rule is added;
 * false after reporting an error. */
static bool guards_ok(loader *L, int lang, const char *s, size_t n, const char *what, size_t wn,
                      bool not_rule)
{
    guards g;
    for (int l = lang ? lang : TEMA_LANG_SV; l <= (lang ? lang : TEMA_LANG_EN); l++) {
        int ok = parse_guards(L, (tema_lang)l, s, n, &g);
        if (ok == 0 && not_rule)
            error(L, L->line,
                  "bad ! rule '%.*s': expected 'A !B', 'A !B !C ...' or 'A !!B !!C ...' "
                  "(single words or @sets)", (int)wn, what);
        else if (ok == 0)
            error(L, L->line,
                  "bad guards in '%.*s': expected '... !C !D ...' or '... !!C !!D ...' (at most "
                  "%d single words or @sets)", (int)wn, what, TEMA__NOT_MAX);
        if (ok <= 0)
            return false;
    }
    return true;
}

/* Compiles the guards (n bytes at 's', checked by guards_ok()) onto the
 * rules of the current theme from index 'from' on (one per language, just
 * added): the rule then does not fire where any of them occurs, in the
 * match's sentence ("!") or anywhere in the comment ("!!"). */
static tema_status add_guards(loader *L, size_t from, const char *s, size_t n)
{
    tema__theme *th = &L->t->themes[L->cur];
    tema_status st = TEMA_OK;
    guards g;
    for (size_t k = from; k < th->nr && st == TEMA_OK; k++) {
        tema__rule *r = &th->rules[k];
        if (parse_guards(L, (tema_lang)r->lang, s, n, &g) <= 0)
            return TEMA_OK; /* reported by guards_ok() */
        st = compile_words(L, (tema_lang)r->lang, g.w, g.wn, g.n, "guard", &r->guard);
        r->nguard = (uint8_t)g.n;
        r->gcomment = (uint8_t)g.comment;
    }
    return st;
}

/* A term, or a phrase with guards: "har inte kommit !kod !mejl" is the
 * phrase unless one of the guard words occurs in its sentence ("!!": anywhere
 * in the comment); a single word takes guards as a near rule, A !B. */
static tema_status term_piece(loader *L, int lang, int kind, const char *s, size_t n)
{
    size_t cut = n;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ' ' && s[i + 1] == '!') {
            cut = i;
            break;
        }
    if (cut == n)
        return add_rule(L, lang, kind, s, n, NULL, 0, 0);
    if (!guards_ok(L, lang, s + cut, n - cut, s, n, false))
        return TEMA_OK;
    tema__theme *th = &L->t->themes[L->cur];
    size_t before = th->nr;
    tema_status st = add_rule(L, lang, kind, s, cut, NULL, 0, 0);
    /* the rules just added (one per language): guard each */
    for (size_t k = before; k < th->nr && st == TEMA_OK; k++) {
        tema__rule *r = &th->rules[k];
        if (r->kind != TEMA__R_PHRASE && r->kind != TEMA__R_COMPLAINT) {
            error(L, L->line, "'%.*s': guards need a phrase (for one word write the near "
                  "rule '%.*s%.*s' on a '%s.near:' line)", (int)n, s, (int)cut, s,
                  (int)(n - cut), s + cut,
                  lang > 0 ? tema_lang_code((tema_lang)lang) : "<lang>");
            return TEMA_OK;
        }
    }
    if (st == TEMA_OK)
        st = add_guards(L, before, s + cut, n - cut);
    return st;
}

/* "A !B1 !B2 ..." (or "!!" throughout): A unless one of the Bs occurs in
 * the theme's scope (with "!!": anywhere in the comment).  One rule of
 * 1 + n single-word terms; every B posts on the B side (taxonomy index). */
static tema_status not_piece(loader *L, int lang, const char *a, size_t an, const char *s,
                             size_t n)
{
    tema__theme *th = &L->t->themes[L->cur];
    /* check the Bs once, before adding any term */
    if (!guards_ok(L, lang, s, n, a, (size_t)(s + n - a), true))
        return TEMA_OK;
    guards g;
    for (int l = lang ? lang : TEMA_LANG_SV; l <= (lang ? lang : TEMA_LANG_EN); l++) {
        parse_guards(L, (tema_lang)l, s, n, &g);
        tema__rule r = {.kind = TEMA__R_NOT, .lang = (uint8_t)l, .dist = (uint8_t)g.comment,
                        .theme = L->cur};
        uint32_t first;
        const char *as[1] = {a};
        size_t ans[1] = {an};
        int errors = L->nerrors;
        tema_status st = compile_words(L, (tema_lang)l, as, ans, 1, "!:", &r.term);
        if (st == TEMA_OK && L->nerrors == errors)
            st = compile_words(L, (tema_lang)l, g.w, g.wn, g.n, "!:", &first);
        if (st != TEMA_OK || L->nerrors != errors)
            return st;
        r.nterms = 1 + (uint32_t)g.n;
        if ((st = push_rule(th, &r)) != TEMA_OK)
            return st;
        th->nrules[r.kind]++;
    }
    return TEMA_OK;
}

/* "A ~N B" (optionally "A ~N B !C !D ...": not in a sentence holding C or
 * D, "!!C !!D": not in such a comment, as a phrase's guards) or "A !B ...". */
static tema_status near_piece(loader *L, int lang, int kind, const char *s, size_t n)
{
    (void)kind;
    size_t i = 0;
    while (i < n && s[i] != ' ')
        i++;
    const char *a = s;
    size_t an = i;
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && s[i] == '!') {
        return not_piece(L, lang, a, an, s + i, n - i);
    } else if (i < n && s[i] == '~') {
        i++;
        unsigned d = 0;
        size_t digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            d = d * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        const char *b = s + i;
        size_t bn = n - i;
        trim(&b, &bn);
        /* guards after B: "B !!C !!D" */
        const char *g = NULL;
        size_t gn = 0;
        const char *sp = bn ? memchr(b, ' ', bn) : NULL;
        if (sp) {
            g = sp;
            gn = (size_t)(b + bn - sp);
            bn = (size_t)(sp - b);
        }
        if (digits && d >= 1 && d <= 50 && i < n && s[i] == ' ' && bn &&
            (!g || memchr(g, '!', gn))) {
            if (g && !guards_ok(L, lang, g, gn, s, n, false))
                return TEMA_OK;
            tema__theme *th = &L->t->themes[L->cur];
            size_t before = th->nr;
            tema_status st = add_rule(L, lang, TEMA__R_NEAR, a, an, b, bn, d);
            if (st != TEMA_OK || !g)
                return st;
            return add_guards(L, before, g, gn);
        }
    }
    error(L, L->line, "bad near rule '%.*s': expected 'A ~N B' (N from 1 to 50) or 'A !B'",
          (int)n, s);
    return TEMA_OK;
}

/* Aliases compare after normalisation and trimming. */
static tema_status norm_text(loader *L, const char *s, size_t n, tema__buf *out)
{
    out->len = 0;
    return tema__normalize_append(out, &L->ns, s, n, 0, NULL);
}

/* ------------------------------------------------------------------ */
/* Regex prefilters                                                   */
/* ------------------------------------------------------------------ */

/* A regex rule's prefilter is a few clauses every comment it can match
 * satisfies, each "one of these literals occurs" (a literal may be \d, "a
 * digit occurs"): "\\d+ (min|minuter) (i )?kö" needs a digit, "min" and
 * "kö"; "(\\d+|två|tre) veckor" needs a digit, "två" or "tre", and
 * "veckor".  Derived from the pattern's syntax: a sequence needs what each
 * of its non-optional items needs, an alternation the union of one clause
 * per branch.  Conservative: any construct not understood here ((?x),
 * lookarounds, \p, backreferences, ...) gives no prefilter for the pattern,
 * which only means it always runs.
 *
 * A literal may also be marked as starting a token: "\\s+sena?" needs a
 * token beginning with "sen", which "leveransen" is not, and
 * "\\s+(i\\s+)?(kassa)?kö" one beginning with "kassa" or "kö", which
 * "telefonkö" is not.  "Starting a token" is as the matcher tests it: at
 * the token's first byte or after a byte that is not an ASCII letter, digit
 * or '_', which is where any match after \\s, after \\b (before a letter or
 * digit), after '^' or after a space begins.  So the parser follows where
 * such a boundary is sure, and which literals every path from it begins
 * with: (kassa)? is skipped or begins with "kassa", so what follows the
 * boundary begins with "kassa" or with what comes after the group. */

#define PF_ALTS 8      /* literals per clause; a wider union is too weak to keep */
#define PF_CLAUSES 8   /* clauses per sequence while parsing */
#define PF_DEPTH 32    /* group nesting the parser follows */

/* One literal of a clause: pattern bytes, or len 0 for \d. */
typedef struct pf_lit {
    uint32_t off;   /* start in the pattern */
    uint32_t len;   /* bytes; 0: a digit */
    uint32_t start; /* 1: it occurs starting a token (see above), 0: anywhere */
} pf_lit;

/* How sure the parser is that the position is a token start, in order:
 * not sure; after \b (sure before a letter or digit); after \s, a space
 * or '^' (sure). */
#define PF_BND_NONE 0
#define PF_BND_WORD 1
#define PF_BND_ANY 2

/* "One of these occurs". */
typedef struct pf_clause {
    pf_lit lit[PF_ALTS];  /* the literals */
    unsigned n;           /* in use */
} pf_clause;

/* "All of these clauses hold". */
typedef struct pf_cnf {
    pf_clause c[PF_CLAUSES];  /* the clauses */
    unsigned n;               /* in use */
} pf_cnf;

/* Parser position. */
typedef struct pf_parse {
    const char *p;  /* pattern */
    size_t n;       /* its length */
    size_t i;       /* next byte */
    int depth;      /* groups open */
} pf_parse;

/* How strong a clause is: its shortest literal (a digit counts as 3 bytes,
 * it is rare in feedback and cheap to test). */
static unsigned pf_strength(const pf_clause *c)
{
    unsigned s = UINT32_MAX;
    for (unsigned k = 0; k < c->n; k++) {
        /* a literal at a token start is a little rarer than anywhere */
        unsigned l = (c->lit[k].len ? c->lit[k].len : 3) + c->lit[k].start;
        if (l < s)
            s = l;
    }
    return c->n ? s : 0;
}

static void pf_add(pf_cnf *f, const pf_clause *c)
{
    if (f->n < PF_CLAUSES) {
        f->c[f->n++] = *c;
        return;
    }
    /* full: replace the weakest clause if this one is stronger (dropping a
     * clause only weakens the filter) */
    unsigned w = 0;
    for (unsigned k = 1; k < f->n; k++)
        if (pf_strength(&f->c[k]) < pf_strength(&f->c[w]))
            w = k;
    if (pf_strength(c) > pf_strength(&f->c[w]))
        f->c[w] = *c;
}

static void pf_add_lit(pf_cnf *f, uint32_t off, uint32_t len)
{
    pf_clause c = {.n = 1};
    c.lit[0].off = off;
    c.lit[0].len = len;
    pf_add(f, &c);
}

/* A quantifier at P->i, consumed: 0 none, 1 "at least once", 2 "maybe
 * never", -1 something this parser does not follow. */
static int pf_quant(pf_parse *P)
{
    const char *p = P->p;
    size_t n = P->n, i = P->i;
    int q;
    if (i >= n)
        return 0;
    if (p[i] == '?' || p[i] == '*') {
        q = 2;
        i++;
    } else if (p[i] == '+') {
        q = 1;
        i++;
    } else if (p[i] == '{') {
        size_t j = i + 1;
        unsigned long lo = 0;
        bool digits = false;
        while (j < n && p[j] >= '0' && p[j] <= '9') {
            lo = lo * 10 + (unsigned long)(p[j++] - '0');
            digits = true;
            if (lo > 100000)
                return -1;
        }
        if (j < n && p[j] == ',') {
            j++;
            while (j < n && p[j] >= '0' && p[j] <= '9')
                j++;
        }
        if (j >= n || p[j] != '}')
            return -1; /* a literal '{', or an odd form: give up */
        q = digits && lo >= 1 ? 1 : 2;
        i = j + 1;
    } else {
        return 0;
    }
    if (i < n && (p[i] == '?' || p[i] == '+'))
        i++; /* lazy or possessive */
    P->i = i;
    return q;
}

static bool pf_alt(pf_parse *P, pf_cnf *out, int bnd_in, int *bnd_out, pf_clause *lead);

/* Bytes a literal character of the pattern takes (UTF-8; the pattern
 * compiled, so it is valid). */
static size_t pf_charlen(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

/* Is the pattern character at 's' a letter or a digit (so that \b before
 * it means the byte before it is not a letter, digit or '_')? */
static bool pf_wordchar(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp) <= 0)
        return false;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

/* The literals what follows a sure token start begins with, collected
 * item by item: 'pend' for the clauses a sequence adds (restarted at each
 * sure start), 'lead' for what the whole sequence begins with (its
 * group's caller uses that). */
typedef struct pf_starts {
    pf_clause pend;  /* begins with one of these or with what comes next */
    bool coll;       /* collecting 'pend' */
    int plev;        /* PF_BND_* where 'pend' is anchored */
    pf_clause lead;  /* the same from the sequence's beginning */
    bool lcoll;      /* collecting 'lead' */
    int llev;        /* PF_BND_* where the sequence begins */
    bool lead_ok;    /* 'lead' is complete: the sequence begins with one of it */
} pf_starts;

/* Appends 'b' to 'a'; false when it does not fit. */
/* Does every token holding literal 'b' of pattern 's' hold 'a'?  Then 'b'
 * adds nothing to a union that has 'a': "debiterades" to "debiterad".  By
 * the pattern's bytes, for an ASCII 'a' only (its case-folded form is then
 * inside b's, whatever b's other characters fold to). */
static bool pf_lit_covers(const char *s, const pf_lit *a, const pf_lit *b)
{
    if (!a->len || !b->len)
        return a->len == b->len; /* \d only covers \d */
    if (a->len > b->len || (a->start && !b->start))
        return false;
    for (uint32_t k = 0; k < a->len; k++)
        if ((unsigned char)s[a->off + k] >= 0x80)
            return false;
    /* one that starts a token is covered by a prefix that does */
    uint32_t last = a->start ? 0 : b->len - a->len;
    for (uint32_t at = 0; at <= last; at++)
        if (memcmp(s + b->off + at, s + a->off, a->len) == 0)
            return true;
    return false;
}

/* Adds literal 'b' to the union 'lit' ('*n' of them, room for 'cap'),
 * keeping only literals no other one covers.  False when it has no room. */
static bool pf_merge_lit(const char *s, pf_lit *lit, unsigned *n, unsigned cap, const pf_lit *b)
{
    for (unsigned k = 0; k < *n; k++)
        if (pf_lit_covers(s, &lit[k], b))
            return true;
    unsigned m = 0;
    for (unsigned k = 0; k < *n; k++)
        if (!pf_lit_covers(s, b, &lit[k]))
            lit[m++] = lit[k];
    *n = m;
    if (m >= cap)
        return false;
    lit[(*n)++] = *b;
    return true;
}

static bool pf_union(pf_clause *a, const pf_clause *b)
{
    if (a->n + b->n > PF_ALTS)
        return false;
    for (unsigned k = 0; k < b->n; k++)
        a->lit[a->n++] = b->lit[k];
    return true;
}

/* An item that may be skipped, beginning with one of 'l' (NULL: unknown;
 * 'word': they begin with a letter or digit, or sure starts were checked
 * for them already). */
static void pf_opt_item(pf_starts *S, const pf_clause *l, bool word)
{
    if (S->coll && (!l || (!word && S->plev != PF_BND_ANY) || !pf_union(&S->pend, l)))
        S->coll = false;
    if (S->lcoll && (!l || (!word && S->llev != PF_BND_ANY) || !pf_union(&S->lead, l)))
        S->lcoll = false;
}

/* An item that must occur, beginning with one of 'l' (as above): what the
 * collection so far or 'l' begins with is a clause. */
static void pf_req_item(pf_starts *S, pf_cnf *out, const pf_clause *l, bool word)
{
    bool anchored = false;
    for (unsigned k = 0; l && k < l->n; k++)
        anchored |= l->lit[k].start != 0;
    if (S->coll && l && (word || S->plev == PF_BND_ANY) && (S->pend.n || anchored) &&
        pf_union(&S->pend, l))
        pf_add(out, &S->pend);
    if (S->lcoll && l && (word || S->llev == PF_BND_ANY) && pf_union(&S->lead, l))
        S->lead_ok = true;
    S->coll = S->lcoll = false;
}

/* After an item, with the token-start certainty 'bnd' now: a sure start
 * begins a new collection. */
static void pf_after(pf_starts *S, int bnd)
{
    if (bnd != PF_BND_NONE) {
        S->coll = true;
        S->pend.n = 0;
        S->plev = bnd;
    }
}

/* A sequence up to '|', ')' or the end, beginning at a position whose
 * token-start certainty is 'bnd_in'.  Sets '*bnd_out' to it at the end,
 * and 'lead' to the literals one of which every match of the sequence
 * begins with at a token start (n 0: not known). */
static bool pf_seq(pf_parse *P, pf_cnf *out, int bnd_in, int *bnd_out, pf_clause *lead)
{
    const char *p = P->p;
    size_t run_off = 0, run_len = 0;
    int bnd = bnd_in;
    bool run_starts = false; /* the run is the next item after a sure start */
    pf_starts S = {.coll = bnd_in != PF_BND_NONE, .plev = bnd_in,
                   .lcoll = bnd_in != PF_BND_NONE, .llev = bnd_in};
    out->n = 0;
    lead->n = 0;
/* the run ends: its literal, and at a token start the start clauses */
#define PF_END_RUN()                                                                    \
    do {                                                                                \
        pf_add_lit(out, (uint32_t)run_off, (uint32_t)run_len);                          \
        if (run_starts) {                                                               \
            pf_clause l = {.n = 1};                                                     \
            l.lit[0] = (pf_lit){(uint32_t)run_off, (uint32_t)run_len, 1};               \
            pf_req_item(&S, out, &l, pf_wordchar(p + run_off, P->n - run_off));         \
        }                                                                               \
        run_len = 0;                                                                    \
        run_starts = false;                                                             \
    } while (0)
    while (P->i < P->n && p[P->i] != '|' && p[P->i] != ')') {
        unsigned char c = (unsigned char)p[P->i];
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            size_t at = P->i, cl = pf_charlen(c);
            if (at + cl > P->n)
                return false;
            P->i += cl;
            int q = pf_quant(P);
            if (q < 0)
                return false;
            if (!run_len && (S.coll || S.lcoll)) {
                if (q == 2)
                    pf_opt_item(&S, NULL, true); /* an optional first letter: not followed */
                else
                    run_starts = true;
            }
            bnd = PF_BND_NONE;
            if (q != 2) {
                if (!run_len)
                    run_off = (uint32_t)at;
                run_len += cl;
            }
            if (q != 0 && run_len)
                PF_END_RUN(); /* a quantified character ends the run */
            continue;
        }
        if (run_len)
            PF_END_RUN();
        bool digit = false;
        uint32_t item = (uint32_t)P->i; /* where \d is, for the clause order (regex_prefilter()) */
        int ends = PF_BND_NONE; /* certainty after the item */
        if (c == '\\') {
            if (P->i + 1 >= P->n)
                return false;
            char e = p[P->i + 1];
            if (e == 'd')
                digit = true;
            else if (!strchr("DsSwWbB", e) && !(e > ' ' && e < 0x7f && !(((e | 0x20) >= 'a' &&
                                                                              (e | 0x20) <= 'z') ||
                                                                             (e >= '0' && e <= '9'))))
                return false; /* \p, \x, \Q, backreferences, ...: not followed */
            P->i += 2;
            if (e == 'b') {
                /* zero-width: not an item */
                if (pf_quant(P) != 0)
                    return false;
                if (bnd == PF_BND_NONE) {
                    bnd = PF_BND_WORD;
                    pf_after(&S, bnd);
                }
                continue;
            }
            ends = e == 's' || e == 'W' ? PF_BND_ANY : PF_BND_NONE;
        } else if (c == '[') {
            size_t j = P->i + 1;
            if (j < P->n && p[j] == '^')
                j++;
            if (j < P->n && p[j] == ']')
                j++;
            while (j < P->n && p[j] != ']') {
                if (p[j] == '[')
                    return false; /* POSIX classes: not followed */
                j += p[j] == '\\' ? 2 : 1;
            }
            if (j >= P->n)
                return false;
            P->i = j + 1;
        } else if (c == '(') {
            if (P->i + 1 < P->n && (p[P->i + 1] == '?' || p[P->i + 1] == '*')) {
                if (P->i + 2 < P->n && p[P->i + 1] == '?' && p[P->i + 2] == ':')
                    P->i += 3;
                else
                    return false; /* lookarounds, options, names, verbs */
            } else {
                P->i++;
            }
            if (++P->depth > PF_DEPTH)
                return false;
            size_t body = P->i;
            pf_cnf sub;
            pf_clause sub_lead;
            int sub_out;
            if (!pf_alt(P, &sub, bnd, &sub_out, &sub_lead) || P->i >= P->n || p[P->i] != ')')
                return false;
            P->i++;
            int q = pf_quant(P);
            if (q < 0)
                return false;
            if (q != 0) {
                /* a repeat begins where the last one ended: the certainty
                 * at the end is the lower of both */
                size_t after = P->i;
                pf_cnf tmp;
                pf_clause tmp_lead;
                int out0;
                P->i = body;
                if (!pf_alt(P, &tmp, PF_BND_NONE, &out0, &tmp_lead))
                    return false;
                P->i = after;
                if (out0 < sub_out)
                    sub_out = out0;
            }
            P->depth--;
            if (q != 2) {
                for (unsigned k = 0; k < sub.n; k++)
                    pf_add(out, &sub.c[k]);
                pf_req_item(&S, out, sub_lead.n ? &sub_lead : NULL, true);
                bnd = sub_out;
            } else {
                pf_opt_item(&S, sub_lead.n ? &sub_lead : NULL, true);
                bnd = sub_out < bnd ? sub_out : bnd;
            }
            pf_after(&S, bnd);
            continue;
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            return false; /* a quantifier with nothing before it */
        } else if (c == '^') {
            P->i++; /* zero-width: the subject's start, a token start */
            if (pf_quant(P) != 0)
                return false;
            bnd = PF_BND_ANY;
            pf_after(&S, bnd);
            continue;
        } else {
            ends = c == ' ' ? PF_BND_ANY : PF_BND_NONE;
            P->i++; /* '.', '$', a space or other punctuation */
        }
        int q = pf_quant(P);
        if (q < 0)
            return false;
        pf_clause dl = {.n = 1}; /* \d: the digit literal */
        dl.lit[0].off = item;
        if (q == 2) {
            pf_opt_item(&S, digit ? &dl : NULL, true);
            bnd = ends < bnd ? ends : bnd;
        } else {
            if (digit)
                pf_add_lit(out, item, 0);
            pf_req_item(&S, out, digit ? &dl : NULL, true);
            bnd = ends;
        }
        pf_after(&S, bnd);
    }
    if (run_len)
        PF_END_RUN();
#undef PF_END_RUN
    *bnd_out = bnd;
    if (S.lead_ok)
        *lead = S.lead;
    return true;
}

/* Alternatives up to ')' or the end; 'bnd_in', 'bnd_out' and 'lead' as
 * for pf_seq(), over all of them. */
static bool pf_alt(pf_parse *P, pf_cnf *out, int bnd_in, int *bnd_out, pf_clause *lead)
{
    pf_cnf s;
    if (!pf_seq(P, &s, bnd_in, bnd_out, lead))
        return false;
    if (P->i >= P->n || P->p[P->i] != '|') {
        *out = s;
        return true;
    }
    /* Each branch implies its strongest clause, so the alternation implies
     * their union. */
    pf_clause u = {.n = 0};
    bool ok = true, lead_ok = lead->n != 0;
    for (;;) {
        unsigned best = 0;
        for (unsigned k = 1; k < s.n; k++)
            if (pf_strength(&s.c[k]) > pf_strength(&s.c[best]))
                best = k;
        if (s.n == 0)
            ok = false;
        for (unsigned k = 0; ok && k < s.c[best].n; k++)
            ok = pf_merge_lit(P->p, u.lit, &u.n, PF_ALTS, &s.c[best].lit[k]);
        if (P->i >= P->n || P->p[P->i] != '|')
            break;
        P->i++;
        int b_out;
        pf_clause b_lead;
        if (!pf_seq(P, &s, bnd_in, &b_out, &b_lead))
            return false;
        if (b_out < *bnd_out)
            *bnd_out = b_out;
        lead_ok = lead_ok && b_lead.n && pf_union(lead, &b_lead);
    }
    if (!lead_ok)
        lead->n = 0;
    out->n = 0;
    if (ok)
        pf_add(out, &u);
    return true;
}

/* The bit of a case-folded literal in the language's table, added when
 * new; literals past the table share the always-set overflow bit. */
static tema_status relit_bit(loader *L, tema__tindex *ix, const char *s, size_t n, unsigned *bit)
{
    tema__taxonomy *t = L->t;
    for (unsigned k = 0; k < ix->nrelit; k++)
        if (ix->relit_len[k] == n && memcmp(t->text.p + ix->relit_off[k], s, n) == 0) {
            *bit = k + 1;
            return TEMA_OK;
        }
    if (ix->nrelit >= TEMA__RELIT_MAX) {
        *bit = TEMA__RELIT_OVERFLOW;
        return TEMA_OK;
    }
    ix->relit_off[ix->nrelit] = (uint32_t)t->text.len;
    ix->relit_len[ix->nrelit] = (uint8_t)n;
    tema_status st = tema__buf_append(&t->text, s, n);
    if (st != TEMA_OK)
        return st;
    *bit = ++ix->nrelit;
    ix->relit_first[(unsigned char)s[0]] |= (uint64_t)1 << *bit;
    return TEMA_OK;
}

/* Skips the rest of a branch: up to the '|' or ')' that ends it (not
 * consumed), stepping over escapes, classes and groups.  False on an
 * unbalanced pattern. */
static bool pf_skip_branch(pf_parse *P)
{
    const char *p = P->p;
    int depth = 0;
    while (P->i < P->n) {
        char c = p[P->i];
        if (c == '\\') {
            P->i += 2;
        } else if (c == '[') {
            size_t j = P->i + 1;
            if (j < P->n && p[j] == '^')
                j++;
            if (j < P->n && p[j] == ']')
                j++;
            while (j < P->n && p[j] != ']')
                j += p[j] == '\\' ? 2 : 1;
            if (j >= P->n)
                return false;
            P->i = j + 1;
        } else if (c == '(') {
            depth++;
            P->i++;
        } else if (c == ')' || c == '|') {
            if (depth == 0)
                return true;
            depth -= c == ')';
            P->i++;
        } else {
            P->i++;
        }
    }
    return depth == 0;
}

/* What every match begins with: wider than a clause, as a start hint is
 * used where the literal is, not to skip the pattern. */
#define PF_FIRST_ALTS 16

/* "Every match begins with one of these". */
typedef struct pf_first {
    pf_lit lit[PF_FIRST_ALTS]; /* the literals */
    unsigned n;                /* in use */
} pf_first;

static bool pf_first_alt(pf_parse *P, pf_first *out);

/* What one branch must begin with: after '\b' or '^', a literal run (up to
 * its first optional character), a '\d', or a group whose branches all
 * have one.  False when the parser cannot tell. */
static bool pf_first_seq(pf_parse *P, pf_first *out)
{
    const char *p = P->p;
    out->n = 0;
    while (P->i < P->n && (p[P->i] == '^' || (p[P->i] == '\\' && P->i + 1 < P->n &&
                                              p[P->i + 1] == 'b')))
        P->i += p[P->i] == '^' ? 1 : 2;
    if (P->i >= P->n)
        return false;
    unsigned char c = (unsigned char)p[P->i];
    if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
        size_t off = P->i, len = 0;
        for (;;) {
            c = (unsigned char)p[P->i];
            if (!(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c >= 0x80))
                break;
            size_t at = P->i, cl = pf_charlen(c);
            if (at + cl > P->n)
                return false;
            P->i += cl;
            int q = pf_quant(P);
            if (q < 0 || (q == 2 && len == 0))
                return false; /* an odd quantifier, or an optional first character */
            if (q == 2)
                break;
            len += cl;
            if (q == 1 || P->i >= P->n)
                break;
        }
        out->lit[0] = (pf_lit){(uint32_t)off, (uint32_t)len, 0};
        out->n = 1;
    } else if (c == '\\' && P->i + 1 < P->n && p[P->i + 1] == 'd') {
        P->i += 2;
        int q = pf_quant(P);
        if (q < 0 || q == 2)
            return false;
        out->lit[0] = (pf_lit){0, 0, 0};
        out->n = 1;
    } else if (c == '(') {
        if (P->i + 1 < P->n && (p[P->i + 1] == '?' || p[P->i + 1] == '*')) {
            if (P->i + 2 < P->n && p[P->i + 1] == '?' && p[P->i + 2] == ':')
                P->i += 3;
            else
                return false;
        } else {
            P->i++;
        }
        if (++P->depth > PF_DEPTH || !pf_first_alt(P, out) || P->i >= P->n || p[P->i] != ')')
            return false;
        P->i++;
        P->depth--;
        int q = pf_quant(P);
        if (q < 0 || q == 2)
            return false;
    } else {
        return false;
    }
    return pf_skip_branch(P);
}

/* What every match of the alternatives up to ')' or the end begins with:
 * the union of their branches'. */
static bool pf_first_alt(pf_parse *P, pf_first *out)
{
    out->n = 0;
    for (;;) {
        pf_first b;
        if (!pf_first_seq(P, &b))
            return false;
        for (unsigned k = 0; k < b.n; k++)
            if (!pf_merge_lit(P->p, out->lit, &out->n, PF_FIRST_ALTS, &b.lit[k]))
                return false;
        if (P->i >= P->n || P->p[P->i] != '|')
            return true;
        P->i++;
    }
}

/* Sets r->first from pattern 's': the literal bits (or the digit bit) one
 * of which every match begins with, so the search can start at the first
 * token holding one.  Only literals already in the language's table are
 * used; 0 when the pattern does not tell. */
static tema_status regex_first(loader *L, int lang, const char *s, size_t n, tema__rule *r)
{
    r->first = 0;
    pf_parse P = {.p = s, .n = n};
    pf_first c;
    if (!pf_first_alt(&P, &c) || P.i != n || c.n == 0)
        return TEMA_OK;
    const tema__tindex *ix = &L->t->index[lang];
    uint64_t mask = 0;
    for (unsigned k = 0; k < c.n; k++) {
        if (!c.lit[k].len) {
            mask |= (uint64_t)1 << TEMA__RELIT_DIGIT;
            continue;
        }
        tema_status st = norm_text(L, s + c.lit[k].off, c.lit[k].len, &L->norm);
        if (st != TEMA_OK)
            return st;
        unsigned bit = 0;
        for (unsigned j = 0; j < ix->nrelit && !bit; j++)
            if (ix->relit_len[j] == L->norm.len &&
                memcmp(L->t->text.p + ix->relit_off[j], L->norm.p, L->norm.len) == 0)
                bit = j + 1;
        if (!bit)
            return TEMA_OK; /* one-byte, or not in the table: no start hint */
        mask |= (uint64_t)1 << bit;
    }
    r->first = mask;
    return TEMA_OK;
}

/* Does clause 'a' of pattern 's' imply clause 'b': is each of a's
 * literals one of b's (a literal starting a token also implies the same
 * literal anywhere)?  Such a 'b' adds nothing to the filter. */
static bool pf_implies(const char *s, const pf_clause *a, const pf_clause *b)
{
    for (unsigned i = 0; i < a->n; i++) {
        bool found = false;
        for (unsigned j = 0; j < b->n && !found; j++)
            found = a->lit[i].len == b->lit[j].len && (a->lit[i].start || !b->lit[j].start) &&
                    memcmp(s + a->lit[i].off, s + b->lit[j].off, a->lit[i].len) == 0;
        if (!found)
            return false;
    }
    return a->n != 0;
}

/* Sets r->ord from the kept clauses 'kept' (r->npre of them): clauses
 * whose literals lie in parts of the pattern that do not overlap, in
 * pattern order.  A match passes through the parts of a pattern in order
 * (the parser follows no lookarounds or backreferences), so the literal it
 * holds of an earlier part starts no later than the one of a later part,
 * in the same token or an earlier one: "\\d+ dagar för sen" cannot match
 * "för sent, fem dagar".  The chain is the longest one picked by earliest
 * end (interval scheduling); fewer than two clauses say nothing new. */
static void pf_order(const pf_clause *kept, tema__rule *r)
{
    uint32_t lo[TEMA__PRE_CLAUSES], hi[TEMA__PRE_CLAUSES];
    for (unsigned c = 0; c < r->npre; c++) {
        lo[c] = UINT32_MAX;
        hi[c] = 0;
        for (unsigned k = 0; k < kept[c].n; k++) {
            const pf_lit *l = &kept[c].lit[k];
            uint32_t end = l->off + (l->len ? l->len : 2); /* \d is 2 bytes of pattern */
            lo[c] = l->off < lo[c] ? l->off : lo[c];
            hi[c] = end > hi[c] ? end : hi[c];
        }
    }
    r->nord = 0;
    uint32_t at = 0; /* the chain's last clause ends here */
    bool used[TEMA__PRE_CLAUSES] = {false};
    for (;;) {
        unsigned best = TEMA__PRE_CLAUSES;
        for (unsigned c = 0; c < r->npre; c++)
            if (!used[c] && lo[c] >= at && (best == TEMA__PRE_CLAUSES || hi[c] < hi[best]))
                best = c;
        if (best == TEMA__PRE_CLAUSES)
            break;
        used[best] = true;
        r->ord[r->nord++] = (uint8_t)best;
        at = hi[best];
    }
    if (r->nord < 2)
        r->nord = 0;
}

/* Sets rule 'r''s prefilter from pattern 's': its strongest clauses as
 * masks over the language's literal table, literals case-folded like the
 * text the pattern runs on. */
static tema_status regex_prefilter(loader *L, int lang, const char *s, size_t n, tema__rule *r)
{
    r->npre = 0;
    pf_parse P = {.p = s, .n = n};
    pf_cnf f;
    pf_clause lead;
    int bnd;
    /* a search may begin anywhere: no sure token start */
    if (!pf_alt(&P, &f, PF_BND_NONE, &bnd, &lead) || P.i != n)
        return TEMA_OK;
    tema__tindex *ix = &L->t->index[lang];
    pf_clause kept[TEMA__PRE_CLAUSES];
    while (r->npre < TEMA__PRE_CLAUSES && f.n) {
        unsigned best = 0;
        for (unsigned k = 1; k < f.n; k++)
            if (pf_strength(&f.c[k]) > pf_strength(&f.c[best]))
                best = k;
        pf_clause c = f.c[best];
        f.c[best] = f.c[--f.n];
        bool implied = false;
        for (unsigned k = 0; k < r->npre && !implied; k++)
            implied = pf_implies(s, &kept[k], &c);
        if (implied)
            continue;
        uint64_t mask = 0, smask = 0;
        bool weak = false;
        for (unsigned k = 0; k < c.n && !weak; k++) {
            unsigned bit = TEMA__RELIT_DIGIT;
            if (c.lit[k].len) {
                tema_status st = norm_text(L, s + c.lit[k].off, c.lit[k].len, &L->norm);
                if (st != TEMA_OK)
                    return st;
                /* one-byte literals are in almost every comment */
                weak = L->norm.len < 2 || L->norm.len > 255;
                if (!weak && (st = relit_bit(L, ix, L->norm.p, L->norm.len, &bit)) != TEMA_OK)
                    return st;
            }
            if (c.lit[k].start)
                smask |= (uint64_t)1 << bit;
            else
                mask |= (uint64_t)1 << bit;
        }
        if (!weak && !((mask | smask) & ((uint64_t)1 << TEMA__RELIT_OVERFLOW))) {
            kept[r->npre] = c;
            r->pre[r->npre] = mask; /* a dropped clause only weakens the filter */
            r->spre[r->npre++] = smask;
        }
    }
    pf_order(kept, r);
    return TEMA_OK;
}

static tema_status regex_rule(loader *L, int lang, const char *s, size_t n)
{
    tema__theme *th = &L->t->themes[L->cur];
    for (int l = lang ? lang : TEMA_LANG_SV; l <= (lang ? lang : TEMA_LANG_EN); l++) {
        char err[300];
        tema__rule r = {.kind = TEMA__R_REGEX, .lang = (uint8_t)l, .theme = L->cur};
        tema_status st = tema__regex_compile(s, n, TEMA__RE_CASELESS, &r.re, err, sizeof err);
        if (st == TEMA_ERR_PARSE) {
            error(L, L->line, "bad regex: %s", err);
            return TEMA_OK;
        }
        if (st != TEMA_OK)
            return st;
        if ((st = regex_prefilter(L, l, s, n, &r)) != TEMA_OK ||
            (st = regex_first(L, l, s, n, &r)) != TEMA_OK) {
            tema__regex_free(r.re);
            return st;
        }
        if ((st = push_rule(th, &r)) != TEMA_OK) {
            tema__regex_free(r.re);
            return st;
        }
        th->nrules[TEMA__R_REGEX]++;
    }
    return TEMA_OK;
}

static tema_status label_piece(loader *L, int lang, int kind, const char *s, size_t n)
{
    (void)lang; (void)kind;
    const char *eq = memchr(s, '=', n);
    int l = eq ? parse_lang(s, (size_t)(eq - s)) : -1;
    if (l <= 0) {
        error(L, L->line, "bad label '%.*s': expected lang=text with lang sv, da, no or en",
              (int)n, s);
        return TEMA_OK;
    }
    const char *v = eq + 1;
    size_t vn = n - (size_t)(v - s);
    trim(&v, &vn);
    if (!vn) {
        error(L, L->line, "empty label for %s", tema_lang_code((tema_lang)l));
        return TEMA_OK;
    }
    return set_str(&L->t->themes[L->cur].label[l], v, vn);
}

static tema_status alias_piece(loader *L, int lang, int kind, const char *s, size_t n)
{
    (void)lang; (void)kind;
    tema__taxonomy *t = L->t;
    tema__theme *th = &t->themes[L->cur];
    tema_status st = norm_text(L, s, n, &L->norm);
    if (st != TEMA_OK)
        return st;
    tema__strmap_entry *ex = tema__strmap_get(&L->alias_tp, L->norm.p, L->norm.len);
    const char *tp = th->touchpoint ? th->touchpoint : "";
    if (ex) {
        const char *other = L->alias_tps.p + ex->value;
        if (strcmp(other, tp) != 0) {
            error(L, L->line, "duplicate alias '%.*s' (already an alias of touchpoint '%s')",
                  (int)n, s, other);
            return TEMA_OK;
        }
    }
    uint32_t off = (uint32_t)L->alias_tps.len;
    if ((st = tema__buf_append(&L->alias_tps, tp, strlen(tp) + 1)) != TEMA_OK ||
        (st = tema__strmap_put(&L->alias_tp, L->norm.p, L->norm.len, off, NULL)) != TEMA_OK)
        return st;
    return tema__strmap_put(&t->aliases, L->norm.p, L->norm.len, (uint32_t)L->cur, NULL);
}

static tema_status key_value(loader *L, const char *k, size_t kn, const char *v, size_t vn)
{
    tema__theme *th = &L->t->themes[L->cur];
#define KEY(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
    if (KEY("touchpoint")) {
        if (!valid_id_segment(v, vn)) {
            error(L, L->line, "bad touchpoint '%.*s' (lower-case letters, digits and _)",
                  (int)vn, v);
            return TEMA_OK;
        }
        return set_str(&th->touchpoint, v, vn);
    }
    if (KEY("phase")) {
        if (!((vn == 6 && memcmp(v, "before", 6) == 0) || (vn == 6 && memcmp(v, "during", 6) == 0) ||
              (vn == 5 && memcmp(v, "after", 5) == 0))) {
            error(L, L->line, "bad phase '%.*s' (before, during or after)", (int)vn, v);
            return TEMA_OK;
        }
        return set_str(&th->phase, v, vn);
    }
    if (KEY("scope")) {
        if (vn == 8 && memcmp(v, "sentence", 8) == 0)
            th->scope = TEMA__SCOPE_SENTENCE;
        else if (vn == 6 && memcmp(v, "clause", 6) == 0)
            th->scope = TEMA__SCOPE_CLAUSE;
        else
            error(L, L->line, "bad scope '%.*s' (sentence or clause)", (int)vn, v);
        return TEMA_OK;
    }
    if (KEY("polarity")) {
        if (vn == 8 && memcmp(v, "negative", 8) == 0)
            th->problem = 1;
        else
            error(L, L->line, "bad polarity '%.*s' (only 'negative': the theme names a problem)",
                  (int)vn, v);
        return TEMA_OK;
    }
    if (KEY("label"))
        return each_piece(L, 0, 0, v, vn, '|', label_piece);
    if (KEY("alias")) {
        if (th->parent >= 0) {
            error(L, L->line, "alias: only top-level themes have aliases");
            return TEMA_OK;
        }
        if (!th->touchpoint) {
            error(L, L->line, "alias: set touchpoint before alias");
            return TEMA_OK;
        }
        return each_piece(L, 0, 0, v, vn, '|', alias_piece);
    }
#undef KEY
    /* <lang>[.<kind>] */
    const char *dot = memchr(k, '.', kn);
    int lang = parse_lang(k, dot ? (size_t)(dot - k) : kn);
    int kind = -1;
    if (lang >= 0) {
        if (!dot) {
            kind = TEMA__R_WORD;
        } else {
            const char *sub = dot + 1;
            size_t sn = kn - (size_t)(sub - k);
            for (int i = TEMA__R_PART; i < TEMA__R_KIND_COUNT; i++)
                if (strlen(kind_key[i]) == sn && memcmp(kind_key[i], sub, sn) == 0) {
                    kind = i;
                    break;
                }
        }
    }
    if (kind < 0) {
        error(L, L->line, "unknown key '%.*s'", (int)kn, k);
        return TEMA_OK;
    }
    if (kind == TEMA__R_REGEX)
        return regex_rule(L, lang, v, vn);
    if (kind == TEMA__R_NEAR)
        return each_piece(L, lang, kind, v, vn, '|', near_piece);
    return each_piece(L, lang, kind, v, vn, ',', term_piece);
}

/* `model: FILE` or `sentiment-model: FILE` before the first block: the
 * taxonomy's mention model (mention_model.c) or the comment sentiment model
 * that replaces models/sentiment.bin while this taxonomy is loaded (model.c),
 * a path relative to the data folder unless absolute.  'key' names the line
 * in messages; a later declaration replaces an earlier one in '*slot'. */
static tema_status declare_model(loader *L, const char *key, char **slot, const char *v, size_t vn)
{
    char rel[PATH_MAX], path[PATH_MAX];
    if (vn == 0 || vn >= sizeof rel) {
        error(L, L->line, "%s: expected a file name", key);
        return TEMA_OK;
    }
    memcpy(rel, v, vn);
    rel[vn] = '\0';
    if (rel[0] == '/')
        snprintf(path, sizeof path, "%s", rel);
    else if (tema__data_path(L->e, rel, path) != TEMA_OK) {
        error(L, L->line, "%s: path too long", key);
        return TEMA_OK;
    }
    char *p = dupn(path, strlen(path));
    if (!p)
        return TEMA_ERR_NOMEM;
    free(*slot);
    *slot = p;
    return TEMA_OK;
}

static tema_status parse_line(loader *L, char *s, size_t n)
{
    const char *p = s;
    trim(&p, &n);
    if (n == 0 || *p == '#')
        return TEMA_OK;
    if (*p == '[')
        return start_block(L, p, n);
    const char *colon = memchr(p, ':', n);
    if (!colon) {
        error(L, L->line, "expected 'key: value' or '[id]'");
        return TEMA_OK;
    }
    const char *k = p;
    size_t kn = (size_t)(colon - p);
    trim(&k, &kn);
    const char *v = colon + 1;
    size_t vn = n - (size_t)(v - p);
    trim(&v, &vn);
    /* `<lang>.guards name:` anywhere: a named guard set */
    const char *gk = kn >= 9 ? memchr(k, '.', 3) : NULL;
    if (gk && (size_t)(k + kn - gk) == 7 && memcmp(gk, ".guards", 7) == 0 &&
        parse_lang(k, (size_t)(gk - k)) >= 0) {
        error(L, L->line, "guard set without a name: expected '%.*s name: word, word, ...'",
              (int)kn, k);
        return TEMA_OK;
    }
    if (gk && (size_t)(k + kn - gk) > 8 && memcmp(gk, ".guards ", 8) == 0) {
        int gl = parse_lang(k, (size_t)(gk - k));
        const char *nm = gk + 8;
        size_t nn = kn - (size_t)(nm - k);
        trim(&nm, &nn);
        if (gl < 0) {
            error(L, L->line, "unknown key '%.*s'", (int)kn, k);
            return TEMA_OK;
        }
        return define_guards(L, gl, nm, nn, v, vn);
    }
    if (L->cur < 0 && kn == 5 && memcmp(k, "model", 5) == 0)
        return declare_model(L, "model", &L->t->model, v, vn);
    if (L->cur < 0 && kn == 15 && memcmp(k, "sentiment-model", 15) == 0)
        return declare_model(L, "sentiment-model", &L->t->sentmodel, v, vn);
    if (L->cur < 0) {
        if (!L->cur_err)
            error(L, L->line, "'%.*s' outside a theme block", (int)kn, k);
        return TEMA_OK;
    }
    if (vn == 0) {
        error(L, L->line, "empty value for '%.*s'", (int)kn, k);
        return TEMA_OK;
    }
    return key_value(L, k, kn, v, vn);
}

static tema_status load_file(loader *L, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int err = errno;
        snprintf(L->e->errmsg, sizeof L->e->errmsg, "%s: %s", path, strerror(err));
        return err == ENOENT ? TEMA_ERR_NOTFOUND : TEMA_ERR_IO;
    }
    L->file = path;
    L->line = 0;
    L->cur = -1;
    L->cur_err = false;
    L->nerrors = 0;
    char *line = malloc(TEMA__TAXONOMY_MAX_LINE + 1);
    size_t n = 0;
    tema_status st = line ? TEMA_OK : TEMA_ERR_NOMEM, rd;
    while (st == TEMA_OK &&
           (rd = tema__read_line(f, line, TEMA__TAXONOMY_MAX_LINE + 1, &n)) != TEMA_DONE) {
        L->line++;
        if (rd == TEMA_ERR_IO)
            break;
        if (rd == TEMA_ERR_LIMIT) {
            snprintf(L->e->errmsg, sizeof L->e->errmsg, "%s:%zu: line longer than %d bytes",
                     path, (size_t)L->line, TEMA__TAXONOMY_MAX_LINE);
            st = TEMA_ERR_LIMIT;
            break;
        }
        if (L->t->nthemes > TEMA__TAXONOMY_MAX_THEMES) {
            snprintf(L->e->errmsg, sizeof L->e->errmsg, "%s:%zu: more than %d themes", path,
                     (size_t)L->line, TEMA__TAXONOMY_MAX_THEMES);
            st = TEMA_ERR_LIMIT;
            break;
        }
        if ((st = parse_line(L, line, n)) != TEMA_OK)
            break;
    }
    free(line);
    if (st == TEMA_OK && ferror(f)) {
        snprintf(L->e->errmsg, sizeof L->e->errmsg, "%s: read failed", path);
        st = TEMA_ERR_IO;
    }
    fclose(f);
    if (st == TEMA_OK)
        end_block(L);
    if (st == TEMA_OK && L->nerrors)
        st = TEMA_ERR_PARSE;
    return st;
}

/* The `other` themes for opinions that match no theme. */
static tema_status add_builtins(loader *L)
{
    static const char *const ids[4] = {"other", "other.before", "other.during", "other.after"};
    static const char *const phases[4] = {"", "before", "during", "after"};
    static const char *const labels[4][TEMA_LANG_COUNT] = {
        {NULL, "Övrigt", "Andet", "Annet", "Other"},
        {NULL, "Övrigt före köp", "Andet før køb", "Annet før kjøp", "Other before purchase"},
        {NULL, "Övrigt under köp", "Andet under køb", "Annet under kjøp", "Other during purchase"},
        {NULL, "Övrigt efter köp", "Andet efter køb", "Annet etter kjøp", "Other after purchase"}};
    tema__taxonomy *t = L->t;
    for (int i = 0; i < 4; i++) {
        tema__strmap_entry *ex = tema__strmap_get(&t->ids, ids[i], strlen(ids[i]));
        if (ex) {
            t->other[i] = (int32_t)ex->value;
            continue;
        }
        int32_t idx;
        tema_status st = add_theme(L, ids[i], strlen(ids[i]), i ? t->other[0] : -1, &idx);
        if (st != TEMA_OK)
            return st;
        tema__theme *th = &t->themes[idx];
        th->builtin = 1;
        if ((st = set_str(&th->touchpoint, "other", 5)) || (st = set_str(&th->phase, phases[i],
                                                                           strlen(phases[i]))))
            return st;
        for (int l = 1; l < TEMA_LANG_COUNT; l++)
            if ((st = set_str(&th->label[l], labels[i][l], strlen(labels[i][l]))))
                return st;
        t->other[i] = idx;
    }
    return TEMA_OK;
}

static tema_status plist_add(plist **lists, size_t *nlists, size_t *caplists, tema__strmap *m,
                             const char *key, size_t len, uint32_t posting)
{
    tema__strmap_entry *e = tema__strmap_get(m, key, len);
    uint32_t id;
    if (e) {
        id = e->value;
    } else {
        if (*nlists == *caplists) {
            size_t cap = *caplists ? *caplists * 2 : 1024;
            plist *v = realloc(*lists, cap * sizeof *v);
            if (!v)
                return TEMA_ERR_NOMEM;
            *lists = v;
            *caplists = cap;
        }
        id = (uint32_t)(*nlists)++;
        memset(&(*lists)[id], 0, sizeof(plist));
        tema_status st = tema__strmap_put(m, key, len, id, NULL);
        if (st != TEMA_OK)
            return st;
    }
    plist *p = &(*lists)[id];
    if (p->n && p->v[p->n - 1] == posting)
        return TEMA_OK;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        uint32_t *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = posting;
    return TEMA_OK;
}

/* Sets tema__term.hash for the terms theme.c's tok_matches() compares:
 * those of phrases and complaint phrases, and guards. */
static void hash_terms(tema__taxonomy *t, const tema__rule *r)
{
    uint32_t n = r->kind == TEMA__R_PHRASE || r->kind == TEMA__R_COMPLAINT ? r->nterms : 0;
    for (uint32_t k = 0; k < n; k++) {
        tema__term *tm = &t->terms[r->term + k];
        tm->hash = (uint32_t)tema__hash(tema__term_text(t, tm), tm->len);
    }
    for (uint32_t g = 0; g < r->nguard; g++) {
        tema__term *tm = &t->terms[r->guard + g];
        tm->hash = (uint32_t)tema__hash(tema__term_text(t, tm), tm->len);
    }
}

/* The language's regex prefilters transposed (tema__tindex.regex_by_bit),
 * when it has 1 to 64 rules: per literal bit and clause, the rules whose
 * clause holds the bit, so a comment's test is a few ORs per bit it has
 * instead of a test per rule (theme.c). */
static tema_status regex_by_bit(tema__tindex *ix)
{
    if (ix->nregex == 0 || ix->nregex > 64)
        return TEMA_OK;
    uint64_t *v = calloc(2 * 64 * TEMA__PRE_CLAUSES, sizeof *v);
    if (!v)
        return TEMA_ERR_NOMEM;
    for (size_t k = 0; k < ix->nregex; k++) {
        const uint64_t *pre = ix->regex_pre + k * TEMA__PRE_STRIDE;
        for (unsigned b = 0; b < 64; b++)
            for (unsigned c = 0; c < TEMA__PRE_CLAUSES; c++) {
                if (pre[c] >> b & 1)
                    v[b * TEMA__PRE_CLAUSES + c] |= (uint64_t)1 << k;
                if (pre[TEMA__PRE_CLAUSES + c] >> b & 1)
                    v[(64 + b) * TEMA__PRE_CLAUSES + c] |= (uint64_t)1 << k;
            }
    }
    ix->regex_by_bit = v;
    return TEMA_OK;
}

/* Flattens every theme's rules into t->rules and builds the per-language
 * indexes; map values become offsets of "[count, postings...]" runs. */
static tema_status build_index(tema__taxonomy *t)
{
    size_t total = 0;
    for (size_t i = 0; i < t->nthemes; i++)
        total += t->themes[i].nr;
    t->rules = calloc(total ? total : 1, sizeof *t->rules);
    if (!t->rules)
        return TEMA_ERR_NOMEM;
    for (size_t i = 0; i < t->nthemes; i++) {
        tema__theme *th = &t->themes[i];
        if (th->nr)
            memcpy(t->rules + t->nrules, th->rules, th->nr * sizeof *th->rules);
        t->nrules += th->nr;
        th->nr = 0; /* t->rules owns the compiled patterns now */
    }
    plist *lists = NULL;
    size_t nlists = 0, caplists = 0;
    tema_status st = TEMA_OK;
    for (size_t r = 0; r < t->nrules && st == TEMA_OK; r++) {
        const tema__rule *ru = &t->rules[r];
        tema__tindex *ix = &t->index[ru->lang];
        if (ru->kind == TEMA__R_REGEX) {
            uint32_t *v = realloc(ix->regex, (ix->nregex + 1) * sizeof *v);
            if (!v) {
                st = TEMA_ERR_NOMEM;
                break;
            }
            ix->regex = v;
            uint64_t *pv = realloc(ix->regex_pre, (ix->nregex + 1) * TEMA__PRE_STRIDE * sizeof *pv);
            if (!pv) {
                st = TEMA_ERR_NOMEM;
                break;
            }
            ix->regex_pre = pv;
            /* per rule: the clauses' anywhere masks, then their token-start
             * masks, then the ordered chain (taxonomy.h) */
            uint64_t *rp = pv + ix->nregex * TEMA__PRE_STRIDE;
            for (unsigned c = 0; c < TEMA__PRE_CLAUSES; c++) {
                rp[c] = c < ru->npre ? ru->pre[c] : UINT64_MAX;
                rp[TEMA__PRE_CLAUSES + c] = c < ru->npre ? ru->spre[c] : 0;
                rp[2 * TEMA__PRE_CLAUSES + c] =
                    c < ru->nord ? ru->pre[ru->ord[c]] | ru->spre[ru->ord[c]] : 0;
            }
            ix->regex[ix->nregex++] = (uint32_t)r;
            t->has_regex = true;
            continue;
        }
        if (ru->kind == TEMA__R_NEAR || ru->kind == TEMA__R_NOT)
            t->rules[r].slot = (uint32_t)t->nslots++;
        if (ru->kind == TEMA__R_PHRASE || ru->kind == TEMA__R_COMPLAINT || ru->nguard)
            hash_terms(t, ru);
        /* Phrases are found by their longest word, the likeliest to be
         * rare ("väntat i två veckor" by "väntat", not by every "i");
         * NEAR and NOT by either word; PART by its stem or written form. */
        unsigned sides = ru->kind == TEMA__R_NEAR                           ? 2
                         : ru->kind == TEMA__R_NOT || ru->kind == TEMA__R_PART ? ru->nterms
                                                                               : 1;
        if (ru->kind == TEMA__R_PHRASE || ru->kind == TEMA__R_COMPLAINT) {
            unsigned best = 0;
            for (unsigned w = 1; w < ru->nterms && w < 256; w++)
                if (t->terms[ru->term + w].len > t->terms[ru->term + best].len)
                    best = w;
            t->rules[r].anchor = (uint8_t)best;
        }
        for (unsigned s = 0; s < sides && st == TEMA_OK; s++) {
            const tema__term *tm = &t->terms[ru->term + s + ru->anchor];
            const char *key = tema__term_text(t, tm);
            /* A is side 0; B, or each B of a ! rule, side 1 */
            uint32_t posting =
                (uint32_t)r << 1 | (ru->kind == TEMA__R_PART ? 0u : s > 0 ? 1u : 0u);
            tema__strmap *m = ru->kind == TEMA__R_PART ? &ix->part
                              : tm->exact              ? &ix->exact
                                                       : &ix->stem;
            st = plist_add(&lists, &nlists, &caplists, m, key, tm->len, posting);
        }
    }
    for (int l = 0; l < TEMA_LANG_COUNT && st == TEMA_OK; l++)
        st = regex_by_bit(&t->index[l]);
    /* Flatten: count + postings per list, in list id order. */
    size_t words = 0;
    for (size_t i = 0; i < nlists; i++)
        words += 1 + lists[i].n;
    uint32_t *offs = NULL;
    if (st == TEMA_OK) {
        t->lists = malloc((words ? words : 1) * sizeof *t->lists);
        offs = malloc((nlists ? nlists : 1) * sizeof *offs);
        if (!t->lists || !offs)
            st = TEMA_ERR_NOMEM;
    }
    if (st == TEMA_OK) {
        for (size_t i = 0; i < nlists; i++) {
            offs[i] = (uint32_t)t->nlists;
            t->lists[t->nlists++] = (uint32_t)lists[i].n;
            memcpy(t->lists + t->nlists, lists[i].v, lists[i].n * sizeof(uint32_t));
            t->nlists += lists[i].n;
        }
        for (int l = 0; l < TEMA_LANG_COUNT; l++) {
            tema__strmap *maps[3] = {&t->index[l].stem, &t->index[l].exact, &t->index[l].part};
            for (int k = 0; k < 3; k++)
                for (size_t j = 0; j < maps[k]->count; j++)
                    maps[k]->entries[j].value = offs[maps[k]->entries[j].value];
        }
    }
    free(offs);
    for (size_t i = 0; i < nlists; i++)
        free(lists[i].v);
    free(lists);
    return st;
}

static void loader_free(loader *L)
{
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
        tema__stemmer_free(L->stem[l]);
    tema__tokvec_free(&L->toks);
    tema__buf_free(&L->norm);
    tema__norm_scratch_free(&L->ns);
    tema__strmap_free(&L->alias_tp);
    tema__buf_free(&L->alias_tps);
    tema__strmap_free(&L->gsets);
    tema__buf_free(&L->gtext);
}

tema_status tema__taxonomy_load(tema_engine *e, const tema_config *cfg)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.e = e;
    L.cur = -1;
    tema__strmap_init(&L.alias_tp);
    tema__strmap_init(&L.gsets);
    tema__taxonomy *t = calloc(1, sizeof *t);
    if (!t)
        return TEMA_ERR_NOMEM;
    e->taxonomy = t;
    L.t = t;
    tema__strmap_init(&t->ids);
    tema__strmap_init(&t->aliases);
    tema__strmap_init(&t->touchpoints);
    for (int l = 0; l < TEMA_LANG_COUNT; l++) {
        tema__strmap_init(&t->index[l].stem);
        tema__strmap_init(&t->index[l].exact);
        tema__strmap_init(&t->index[l].part);
    }
    tema_status st = TEMA_OK;
    for (tema_lang l = TEMA_LANG_SV; l < TEMA_LANG_COUNT && st == TEMA_OK; l++)
        st = tema__stemmer_new_memo(l, &L.stem[l]);
    char base[PATH_MAX];
    if (st == TEMA_OK) {
        if (cfg->base_taxonomy && *cfg->base_taxonomy)
            snprintf(base, sizeof base, "%s", cfg->base_taxonomy);
        else
            st = tema__data_path(e, "lexicons/themes/cx.tema", base);
    }
    if (st == TEMA_OK)
        st = load_file(&L, base);
    for (size_t i = 0; i < cfg->n_taxonomies && st == TEMA_OK; i++)
        st = load_file(&L, cfg->taxonomies[i]);
    if (st == TEMA_OK)
        st = add_builtins(&L);
    if (st == TEMA_OK)
        st = build_index(t);
    /* A declared model must load (a missing file is an error, not a silent
     * fall-back to the rules); TEMA_OPT_NO_MODEL skips it: rules only. */
    if (st == TEMA_OK && t->model && !(e->options & TEMA_OPT_NO_MODEL))
        st = tema__mentmodel_load(e, t->model, &t->mmodel);
    /* The same for a declared comment sentiment model: it becomes the
     * engine's one model (engine.c then leaves models/sentiment.bin). */
    if (st == TEMA_OK && t->sentmodel && !(e->options & TEMA_OPT_NO_MODEL)) {
        FILE *f = fopen(t->sentmodel, "rb");
        if (!f)
            st = tema__fail(e, TEMA_ERR_NOTFOUND,
                            "%s: cannot open sentiment model (declared by the taxonomy's "
                            "sentiment-model: line)", t->sentmodel);
        else {
            fclose(f);
            st = tema__sentmodel_load_file(e, t->sentmodel);
        }
    }
    for (size_t i = 0; i < t->nthemes && st == TEMA_OK; i++) {
        const tema__theme *th = &t->themes[i];
        if (th->parent < 0 && th->touchpoint &&
            !tema__strmap_get(&t->touchpoints, th->touchpoint, strlen(th->touchpoint)))
            st = tema__strmap_put(&t->touchpoints, th->touchpoint, strlen(th->touchpoint),
                                  (uint32_t)i, NULL);
    }
    loader_free(&L);
    if (st == TEMA_ERR_NOMEM)
        snprintf(e->errmsg, sizeof e->errmsg, "taxonomy: out of memory");
    return st;
}
