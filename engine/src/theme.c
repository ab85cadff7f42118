/*
 * theme.c: finds theme mentions in a comment.  All per-word work (which
 * rules a word starts or takes part in, exclusions, compound parts) is done
 * once per distinct word in tema__theme_resolve() and cached in the doc's
 * word record, so scanning a comment costs one cached list per token.
 * Phrases are checked forward from their first word, near and ! rules pair
 * up occurrences within a sentence or clause, and PCRE2 runs only for the
 * languages that have regex rules.  Each mention takes the sentiment of its
 * clause (d->clauses, from sentiment.c).
 */
#include <math.h>
#include <stdlib.h>

#include "compound.h"
#include "lexicon.h"
#include "mention_model.h"
#include "regex.h"
#include "taxonomy.h"
#include "utf8.h"

/* Label thresholds on a clause score; the same cut as the comment label
 * (VADER's +-0.05 on a normalised score). */
#define POS_CUT 0.05f
#define NEG_CUT -0.05f
/* Sentiment of a mention made negative by an implicit-complaint phrase in a
 * clause that is not negative by itself. */
#define IMPLICIT_SENTIMENT -0.5f
/* Postings kept per word; more would mean a pathological taxonomy. */
#define MAX_WORD_POSTINGS 256
/* The comment filter: one bit per stem that occurs in the comment, from a
 * hash of the stem (TFILTER_BITS - 1 bits; the last bit is always set and
 * stands for "no need").  A posting whose other words' bits are not all set
 * cannot match in this comment and is skipped before any other work. */
#define TFILTER_BITS 1024
#define TFILTER_NONE (TFILTER_BITS - 1)
/* tema__word.tbits holds three filter bits of 10 bits each, at 0, 10, 20. */
#define TBITS_SHIFT 10
#define TBITS_MASK (TFILTER_BITS - 1)

/* A theme match before clause resolution. */
typedef struct cand {
    int32_t theme;     /* theme index */
    uint32_t first;    /* first token */
    uint32_t last;     /* last token (inclusive) */
    uint32_t clause;   /* clause id of the first token */
    uint8_t implicit;  /* found by an implicit-complaint phrase */
    uint8_t drop;      /* superseded by a sub-theme or an earlier match */
    uint8_t near;      /* found by a near rule (a pair of words, not a phrase) */
    uint8_t pad;       /* alignment */
    uint32_t list;     /* the last member of the enumeration it is in ("Leveransen, appen och
                          priset var toppen"; find_lists()), NONE when in none */
} cand;

/* A cached posting: what the scan needs without touching the rule table. */
typedef struct wpost {
    uint32_t rule;    /* rule index; NEAR/NOT: the rule's state slot */
    uint32_t term;    /* PHRASE/COMPLAINT: the phrase's first term; NEAR: the rule index
                         when the rule has guards, else NONE */
    int32_t theme;    /* its theme */
    uint8_t kind;     /* tema__rule_kind */
    uint8_t side;     /* NEAR/NOT: 0 for A, 1 for B */
    uint8_t anchor;   /* PHRASE/COMPLAINT: position of this word in the phrase */
    uint8_t nterms;   /* PHRASE/COMPLAINT: words in the phrase (capped at 255) */
    uint32_t lens;    /* PHRASE/COMPLAINT: byte w is the length of term w (w < 4; 0 when
                         over 255), so most misses never touch the term table */
    uint8_t needpos;  /* PHRASE/COMPLAINT: positions in the phrase of the words whose filter
                         bits the posting's wneed holds (low nibble: its low 16 bits, high
                         nibble: its high 16), NEEDPOS_NONE for none */
    uint8_t pad[3];   /* alignment */
} wpost;
#define NEEDPOS_NONE 15

/* Next to each cached posting, the comment-filter bits (low and high 16)
 * of two other words its rule needs (NEAR: B for A and A for B; NOT: A for
 * B; PHRASE/COMPLAINT: two of the other words), TFILTER_NONE for none or
 * for a word matched by its exact form, which the filter does not hold.
 * A word's needs end with one more, NEED_PASS, that every comment passes:
 * the scan's skip loop then needs no bound test (most postings fail). */
typedef uint32_t wneed;
#define NEED_PASS ((wneed)TFILTER_NONE | (wneed)TFILTER_NONE << 16)

/* Per-rule state of a near or ! rule while one comment is scanned, indexed
 * by the rule's slot; valid only when 'stamp' equals the doc's current
 * comment number, so nothing is cleared between comments.  Kept to 16
 * bytes: common words take part in many near rules. */
typedef struct rstate {
    uint32_t stamp;          /* comment number this state belongs to */
    union {
        struct {
            uint32_t last_a; /* last token of side A, or NONE */
            uint32_t last_b; /* last token of side B, or NONE */
        } near;              /* NEAR */
        struct {
            uint32_t scope;  /* scope id of the occurrences seen last */
            uint32_t a_tok;  /* first A in that scope, or NONE */
        } not;               /* NOT */
    } u;                     /* by rule kind */
    uint8_t b_seen;          /* NOT: a B occurred in that scope */
    uint8_t done;            /* a candidate was emitted for this rule */
    uint16_t pad;            /* alignment */
} rstate;

/* guarded()'s last answer for one rule in this comment.  The answer depends
 * only on the rule and on the sentences (clauses) of the match's two ends, so
 * a pair or phrase repeated in one long sentence scans it once, not once per
 * occurrence, which would be quadratic in the sentence's length. */
typedef struct gmemo {
    uint32_t stamp;   /* comment number the answer belongs to */
    uint32_t from;    /* scope id of the match's first token + 1 (0: the whole comment) */
    uint32_t to;      /* scope id of its last token + 1 (0: the whole comment) */
    uint32_t guarded; /* the answer */
} gmemo;

/* Per theme, while the candidates of one clause are resolved: valid only
 * when its stamp equals the current group's, so nothing is cleared. */
typedef struct tgroup {
    uint32_t best_stamp;  /* group in which 'best' was set */
    uint32_t best;        /* that group's earliest candidate of this theme */
    uint32_t anc_stamp;   /* group in which a candidate's theme descends from this one */
    uint32_t e_stamp;     /* comment number the next three belong to */
    uint32_t e_clause;    /* clause of the earliest candidate so far (the latest clause seen) */
    uint32_t e_first;     /* its first token */
    uint32_t e_last;      /* its last token */
} tgroup;

/* A token whose word has cached postings, for the posting scan. */
typedef struct thit {
    uint32_t tok;   /* token index */
    uint32_t run;   /* its word's cached run in d->wc->wtext (tema__word.themes) */
} thit;

/* A ! rule seen in this comment, finished at its end. */
typedef struct touched_not {
    uint32_t slot;   /* its state */
    int32_t theme;   /* its theme */
} touched_not;

#define NONE UINT32_MAX

struct tema__themes_doc {
    uint32_t *sent;           /* sentence id per token */
    uint32_t *clause;         /* clause id per token */
    uint32_t *toff;           /* token start in 'text' (regex) */
    uint64_t *tmask;          /* regex prefilter bits per token (languages with regex rules) */
    uint64_t *sfx;            /* regex prefilter bits of tokens i..n-1 (after a match) */
    thit *hit;                /* the tokens with cached postings, in order */
    size_t captok;            /* tokens the per-token arrays hold */
    cand *c;                  /* candidates */
    size_t nc, capc;
    rstate *rs;               /* per near / ! rule, indexed by its slot */
    size_t caprs;             /* slots 'rs' holds */
    gmemo *gm;                /* per rule of the taxonomy, for guarded() */
    size_t capgm;             /* rules 'gm' holds */
    uint32_t stamp;           /* current comment number */
    touched_not *touched;     /* ! rules seen in this comment, to finish at the end */
    size_t ntouched, captouched;
    uint32_t *order;          /* candidate indexes grouped by clause, each group ascending */
    uint32_t *group;          /* per candidate: its group's start in 'order' */
    size_t caporder;          /* candidates 'order' and 'group' hold */
    tgroup *tg;               /* per theme, for the clause groups */
    uint32_t gstamp;          /* current clause group's stamp */
    uint8_t seen[TFILTER_BITS]; /* comment filter: 1 for the bits of the stems that occur
                                   (a byte each: one load per test) */
    bool any_implicit;        /* a candidate came from an implicit-complaint phrase */
    bool any_list;            /* find_lists() found an enumeration */
    uint32_t *lscr;           /* find_lists()'s tables (lists_scratch), reused across comments */
    size_t caplscr;           /* uint32 'lscr' holds */
    tema__buf text;           /* the normalised comment for regex rules */
};

/* Could the text hold a decimal digit (\d under PCRE2_UCP is \p{Nd})?  ASCII
 * digits answer yes; code points from blocks without any Nd (Latin, Greek,
 * Cyrillic, Hebrew, punctuation and symbols, emoji) are skipped; anything
 * else answers "maybe", which only means the pattern runs. */
static bool maybe_digit(const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            if (p[i] >= '0' && p[i] <= '9')
                return true;
            i++;
            continue;
        }
        size_t adv;
        int bad;
        int32_t cp = tema__utf8_decode(p + i, n - i, &adv, &bad);
        i += adv;
        if (bad || cp <= 0x05FF || (cp >= 0x2000 && cp <= 0x2BFF) ||
            (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F000 && cp <= 0x1FAFF))
            continue;
        return true;
    }
    return false;
}

/* Can a match begin at byte 'i' of a token 'p' right after \\s or \\b
 * (taxonomy.c's "starting a token")?  At its first byte, or after a byte
 * that is not an ASCII letter, digit or '_' (a byte of a multi-byte
 * character may be a non-word character's: counted as a start). */
static inline bool at_start(const unsigned char *p, size_t i)
{
    if (!i)
        return true;
    unsigned char c = p[i - 1];
    return !(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_');
}

/* The prefilter bits of one token's normalised text: the language's
 * literals it contains, and the digit bit; '*starts' gets the literals
 * found starting the token (at_start()). */
static uint64_t relit_mask(const tema__taxonomy *t, const tema__tindex *ix, const char *text,
                           size_t n, uint64_t *starts)
{
    const unsigned char *p = (const unsigned char *)text;
    uint64_t mask = maybe_digit(text, n) ? (uint64_t)1 << TEMA__RELIT_DIGIT : 0, smask = 0;
    for (size_t i = 0; i < n; i++) {
        for (uint64_t m = ix->relit_first[p[i]]; m; m &= m - 1) {
            unsigned bit = (unsigned)__builtin_ctzll(m);
            size_t len = ix->relit_len[bit - 1];
            if (len <= n - i && memcmp(p + i, t->text.p + ix->relit_off[bit - 1], len) == 0) {
                mask |= (uint64_t)1 << bit;
                if (at_start(p, i))
                    smask |= (uint64_t)1 << bit;
            }
        }
    }
    *starts = smask;
    return mask;
}

/* The comment-filter bit of a stem (0 .. TFILTER_NONE - 1). */
uint16_t tema__tfilter_bit(const char *stem, size_t len)
{
    return (uint16_t)(tema__hash(stem, len) % TFILTER_NONE);
}

/* The filter bit a posting needs for term 'k' of rule 'r': its stem's, or
 * TFILTER_NONE for an exact term (matched by the normalised form, which
 * the filter does not hold). */
static uint16_t need_bit(const tema__taxonomy *t, const tema__rule *r, uint32_t k)
{
    const tema__term *tm = &t->terms[r->term + k];
    return tm->exact ? TFILTER_NONE : tema__tfilter_bit(tema__term_text(t, tm), tm->len);
}

/* The prefilter bits of a token that is not a word (punctuation, numbers,
 * emoji).  A one-byte ASCII token holds no literal (they have two bytes or
 * more) and a digit only when it is one. */
static inline uint64_t tok_relits(const tema__taxonomy *t, const tema__tindex *ix,
                                  const tema_doc *d, const tema__token *tk, uint64_t *starts)
{
    const unsigned char *p = (const unsigned char *)d->norm.p + tk->norm_off;
    if (tk->norm_len == 1 && p[0] < 0x80) {
        *starts = 0;
        return p[0] >= '0' && p[0] <= '9' ? (uint64_t)1 << TEMA__RELIT_DIGIT : 0;
    }
    return relit_mask(t, ix, (const char *)p, tk->norm_len, starts);
}

/* ------------------------------------------------------------------ */
/* Per word                                                           */
/* ------------------------------------------------------------------ */

typedef struct collect {
    tema__posting p[MAX_WORD_POSTINGS];  /* postings found */
    size_t n;                            /* in use */
    int32_t excl[32];                    /* themes excluded on this word */
    size_t nexcl;                        /* in use */
} collect;

static void take(const tema__taxonomy *t, const tema__strmap *m, const char *key, size_t len,
                 collect *c)
{
    const tema__strmap_entry *e = tema__strmap_get(m, key, len);
    if (!e)
        return;
    const uint32_t *run = t->lists + e->value;
    for (uint32_t i = 0; i < run[0]; i++) {
        tema__posting p = run[1 + i];
        const tema__rule *r = &t->rules[p >> 1];
        if (r->kind == TEMA__R_EXCLUDE) {
            if (c->nexcl < sizeof c->excl / sizeof c->excl[0])
                c->excl[c->nexcl++] = r->theme;
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < c->n && !dup; k++)
            dup = c->p[k] == p;
        if (!dup && c->n < MAX_WORD_POSTINGS)
            c->p[c->n++] = p;
    }
}

/* Takes the postings of one side of a hyphenated word ("vipps" and
 * "betalingen" of "vipps-betalingen") as a word of its own: its exact form,
 * its stem and its base form's stem.  Only rules one token can stand for
 * are kept: words, parts, near and ! pairs, and phrases that the side
 * starts when it is the last side (the phrase's other words follow the
 * token: "betalingen feilet") or ends when it is the first (they precede
 * it).  Returns the filter bit of the side's stem, which other words'
 * postings may need (the partner of "vipps ~4 feil"). */
static uint16_t take_side(const tema_engine *e, tema_doc *d, tema_lang lang,
                          const tema__taxonomy *t, const tema__tindex *ix, const char *side,
                          size_t len, bool first, bool last, collect *c)
{
    size_t from = c->n;
    take(t, &ix->exact, side, len, c);
    const char *st;
    size_t sl;
    uint16_t bit = TFILTER_NONE;
    if (tema__stem(d->wc->stemmers[lang], side, len, &st, &sl) == TEMA_OK) {
        bit = tema__tfilter_bit(st, sl);
        take(t, &ix->stem, st, sl, c);
    }
    size_t base = tema__compound_base(e->compound[lang], side, len);
    if (base && tema__stem(d->wc->stemmers[lang], side, base, &st, &sl) == TEMA_OK)
        take(t, &ix->stem, st, sl, c);
    size_t k = from;
    for (size_t i = from; i < c->n; i++) {
        const tema__rule *r = &t->rules[c->p[i] >> 1];
        bool phrase = r->kind == TEMA__R_PHRASE || r->kind == TEMA__R_COMPLAINT;
        if (!phrase || (last && r->anchor == 0) || (first && r->anchor + 1u == r->nterms))
            c->p[k++] = c->p[i];
    }
    c->n = k;
    return bit;
}

void tema__theme_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                         const char *norm, size_t len)
{
    w->themes = -1;
    w->relits = w->srelits = 0;
    const tema__taxonomy *t = e ? e->taxonomy : NULL;
    if (!t || lang <= TEMA_LANG_UND || lang >= TEMA_LANG_COUNT)
        return;
    const tema__tindex *ix = &t->index[lang];
    if (ix->nregex)
        w->relits = relit_mask(t, ix, norm, len, &w->srelits);
    const char *stem = d->wc->wtext.p + w->stem_off;
    collect c;
    c.n = c.nexcl = 0;
    take(t, &ix->exact, norm, len, &c);
    take(t, &ix->stem, stem, w->stem_len, &c);
    /* The stem of the dictionary base form, when it differs ("paketet"
     * stems to itself, its base "paket" to "paket"). */
    char alt[128];
    size_t alt_len = 0;
    size_t base = tema__compound_base(e->compound[lang], norm, len);
    const char *bs;
    size_t bsl;
    if (base && d->wc->stemmers[lang] && tema__stem(d->wc->stemmers[lang], norm, base, &bs, &bsl) == TEMA_OK &&
        bsl <= sizeof alt && (bsl != w->stem_len || memcmp(bs, stem, bsl) != 0)) {
        memcpy(alt, bs, bsl);
        alt_len = bsl;
        take(t, &ix->stem, alt, alt_len, &c);
    }
    /* A hyphenated word the taxonomy does not name itself ("vipps-betalingen",
     * split by compound.c) also matches as its sides: the first and last
     * sides' filter bits go in the word's third filter slot and, when no
     * base form took it, the second. */
    uint16_t side_bit[2] = {TFILTER_NONE, TFILTER_NONE};
    if (w->parts_len && c.n == 0 && c.nexcl == 0 && d->wc->stemmers[lang] && memchr(norm, '-', len)) {
        for (size_t s0 = 0; s0 < len;) {
            const char *h = memchr(norm + s0, '-', len - s0);
            size_t e0 = h ? (size_t)(h - norm) : len;
            if (e0 - s0 >= 2) {
                uint16_t b = take_side(e, d, lang, t, ix, norm + s0, e0 - s0, s0 == 0, !h, &c);
                if (s0 == 0)
                    side_bit[0] = b;
                else if (!h)
                    side_bit[1] = b;
            }
            s0 = e0 + 1;
        }
    }
    /* `part:` rules match the word itself and its compound parts, alone or
     * run together (kund + tjänst also gives "kundtjänst"). */
    take(t, &ix->part, norm, len, &c);
    take(t, &ix->part, stem, w->stem_len, &c);
    if (w->parts_len) {
        const char *parts = d->wc->wtext.p + w->parts_off;
        const char *atom[TEMA__COMPOUND_MAX_PARTS];
        size_t alen[TEMA__COMPOUND_MAX_PARTS], n = 0;
        for (size_t o = 0; o < w->parts_len && n < TEMA__COMPOUND_MAX_PARTS;) {
            atom[n] = parts + o;
            alen[n] = strlen(parts + o);
            o += alen[n++] + 1;
        }
        char joined[256];
        for (size_t i = 0; i < n; i++) {
            size_t jl = 0;
            for (size_t j = i; j < n; j++) {
                if (jl + alen[j] > sizeof joined)
                    break;
                memcpy(joined + jl, atom[j], alen[j]);
                jl += alen[j];
                take(t, &ix->part, joined, jl, &c);
            }
        }
    }
    /* An exclusion removes every rule of its theme on this word. */
    size_t k = 0;
    for (size_t i = 0; i < c.n; i++) {
        int32_t th = t->rules[c.p[i] >> 1].theme;
        bool excluded = false;
        for (size_t x = 0; x < c.nexcl && !excluded; x++)
            excluded = c.excl[x] == th;
        if (!excluded)
            c.p[k++] = c.p[i];
    }
    w->tbits = (uint32_t)tema__tfilter_bit(stem, w->stem_len) |
               (uint32_t)(alt_len ? tema__tfilter_bit(alt, alt_len) : side_bit[1]) << TBITS_SHIFT |
               (uint32_t)side_bit[0] << 2 * TBITS_SHIFT;
    if (k == 0 && alt_len == 0)
        return;
    /* Cached as [count][alt_len][need...][NEED_PASS][wpost...][alt stem] in
     * d->wc->wtext: the scan reads the 4-byte needs of every posting and the
     * postings only of those that pass the comment filter. */
    wpost wps[MAX_WORD_POSTINGS];
    wneed needs[MAX_WORD_POSTINGS + 1];
    for (size_t i = 0; i < k; i++) {
        const tema__rule *r = &t->rules[c.p[i] >> 1];
        wpost wp = {r->kind == TEMA__R_NEAR || r->kind == TEMA__R_NOT ? r->slot : c.p[i] >> 1, r->term, r->theme, r->kind, (uint8_t)(c.p[i] & 1), r->anchor,
                    (uint8_t)(r->nterms > 255 ? 255 : r->nterms), 0, NEEDPOS_NONE << 4 | NEEDPOS_NONE, {0}};
        uint16_t need[2] = {TFILTER_NONE, TFILTER_NONE};
        unsigned needpos[2] = {NEEDPOS_NONE, NEEDPOS_NONE};
        if (r->kind == TEMA__R_PHRASE || r->kind == TEMA__R_COMPLAINT)
            for (uint32_t q = 0; q < r->nterms && q < 4; q++)
                if (t->terms[r->term + q].len <= 255)
                    wp.lens |= t->terms[r->term + q].len << (8 * q);
        if (r->kind == TEMA__R_NEAR || r->kind == TEMA__R_NOT) {
            /* the scan then never touches the rule or theme tables */
            wp.anchor = r->dist;
            /* a guarded pair looks its guards up only once it is found */
            wp.term = r->kind == TEMA__R_NEAR && r->nguard ? c.p[i] >> 1 : NONE;
            wp.nterms = r->kind == TEMA__R_NOT && r->dist ? TEMA__SCOPE_COMMENT
                                                          : t->themes[r->theme].scope;
            /* near needs both words; ! needs B only on B's side (an A
             * without any B is what it finds) */
            if (r->nterms >= 2 && (r->kind == TEMA__R_NEAR || wp.side == 1))
                need[0] = need_bit(t, r, wp.side ^ 1u);
        } else if (r->kind == TEMA__R_PHRASE || r->kind == TEMA__R_COMPLAINT) {
            unsigned nn = 0;
            for (uint32_t q = 0; q < r->nterms && nn < 2; q++)
                if (q != r->anchor && !t->terms[r->term + q].exact) {
                    needpos[nn] = q < NEEDPOS_NONE ? q : NEEDPOS_NONE;
                    need[nn++] = need_bit(t, r, q);
                }
        }
        wp.needpos = (uint8_t)(needpos[0] | needpos[1] << 4);
        wps[i] = wp;
        needs[i] = (uint32_t)need[0] | (uint32_t)need[1] << 16;
    }
    needs[k] = NEED_PASS;
    uint32_t off = (uint32_t)d->wc->wtext.len;
    uint32_t head[2] = {(uint32_t)k, (uint32_t)alt_len};
    if (off > INT32_MAX || tema__buf_append(&d->wc->wtext, head, sizeof head) != TEMA_OK ||
        tema__buf_append(&d->wc->wtext, needs, (k + 1) * sizeof *needs) != TEMA_OK ||
        tema__buf_append(&d->wc->wtext, wps, k * sizeof *wps) != TEMA_OK ||
        tema__buf_append(&d->wc->wtext, alt, alt_len) != TEMA_OK)
        return; /* out of memory: the word matches nothing, the comment still runs */
    w->themes = (int32_t)off;
}

/* ------------------------------------------------------------------ */
/* Per comment                                                        */
/* ------------------------------------------------------------------ */

static inline tema_status add_cand(struct tema__themes_doc *s, const tema_doc *d, int32_t theme,
                                   uint32_t first, uint32_t last, bool implicit)
{
    (void)d;
    if (s->nc == s->capc && tema__grow((void **)&s->c, &s->capc, s->nc + 1, sizeof *s->c) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    uint32_t cl = s->clause[first];
    s->c[s->nc++] = (cand){.theme = theme, .first = first, .last = last,
                           .clause = cl, .implicit = implicit, .list = NONE};
    s->any_implicit |= implicit;
    tgroup *g = &s->tg[theme];
    if (g->e_stamp != s->stamp || g->e_clause != cl || first < g->e_first ||
        (first == g->e_first && last < g->e_last)) {
        g->e_stamp = s->stamp;
        g->e_clause = cl;
        g->e_first = first;
        g->e_last = last;
    }
    return TEMA_OK;
}

/* Would a one-token candidate of 'theme' at token 'i' lose to one already
 * found (same theme and clause, starting earlier, or the same token)?  It
 * is then left out: it would be superseded, and as a word or part match it
 * carries no complaint for the others. */
static inline bool cand_beaten(const struct tema__themes_doc *s, int32_t theme, uint32_t i)
{
    const tgroup *g = &s->tg[theme];
    return g->e_stamp == s->stamp && g->e_clause == s->clause[i] &&
           (g->e_first < i || (g->e_first == i && g->e_last <= i));
}

/* The first posting from 'j' on whose needs are all in the comment
 * ('seen'): one that can match here.  Most postings fail, so this is the
 * scan's hottest loop; the NEED_PASS after a word's last posting stops it
 * without a bound test. */
static inline uint32_t next_passing(const uint8_t *seen, const char *needs, uint32_t j)
{
    const char *q = needs + (size_t)j * sizeof(wneed);
    for (;; q += sizeof(wneed)) {
        uint16_t a, b;
        memcpy(&a, q, sizeof a);
        memcpy(&b, q + sizeof a, sizeof b);
        if (seen[a] & seen[b])
            return (uint32_t)((size_t)(q - needs) / sizeof(wneed));
    }
}

/* Does token 'i' match 'term'?  Exact terms compare the normalised form,
 * the others the stem (words only).  A word's form and stem hashes
 * (d->tok_hash, tema__word.stem_hash) against the term's tell most
 * mismatches before any memcmp. */
static bool tok_matches(const tema_doc *d, const tema__taxonomy *t, size_t i,
                        const tema__term *term)
{
    const tema__token *tk = &d->toks.v[i];
    const char *text;
    size_t len;
    if (term->exact) {
        text = d->norm.p + tk->norm_off;
        len = tk->norm_len;
        /* a word token's form was hashed for the word caches (doc.c) */
        if (tk->word >= 0 && tk->type == TEMA_TOK_WORD && (uint32_t)d->tok_hash[i] != term->hash)
            return false;
    } else {
        if (tk->type != TEMA_TOK_WORD || tk->word < 0)
            return false;
        const tema__word *w = &d->wc->wordv[tk->word];
        text = d->wc->wtext.p + w->stem_off;
        len = w->stem_len;
        if (len == term->len && (uint32_t)w->stem_hash == term->hash &&
            memcmp(text, tema__term_text(t, term), len) == 0)
            return true;
        if (w->themes < 0)
            return false;
        /* The base form's stem, cached by tema__theme_resolve(). */
        uint32_t head[2];
        memcpy(head, d->wc->wtext.p + w->themes, sizeof head);
        text = d->wc->wtext.p + w->themes + sizeof head + (head[0] + 1) * sizeof(wneed) +
               head[0] * sizeof(wpost);
        len = head[1];
    }
    return len == term->len && memcmp(text, tema__term_text(t, term), len) == 0;
}

/* Could token 'i' match a term of 'len' bytes (its normalised form, its
 * stem or its base form's stem has that length)?  Cheaper than
 * tok_matches(), which reads the term. */
static bool len_may_match(const tema_doc *d, size_t i, uint32_t len)
{
    const tema__token *tk = &d->toks.v[i];
    if (tk->norm_len == len)
        return true;
    if (tk->word < 0)
        return false;
    const tema__word *w = &d->wc->wordv[tk->word];
    if (w->stem_len == len)
        return true;
    if (w->themes < 0)
        return false;
    uint32_t head[2];
    memcpy(head, d->wc->wtext.p + w->themes, sizeof head);
    return head[1] == len;
}

/* Could token 'i' match a stem term whose filter bit is 'bit'?  Only a word
 * whose stem or base form's stem has that bit (tema__word.tbits) can: a
 * cheaper neighbour test than tok_matches(), and one that never says no to
 * a token that matches. */
static inline bool tok_has_bit(const tema_doc *d, size_t i, unsigned bit)
{
    int32_t w = d->toks.v[i].word;
    if (w < 0)
        return false;
    uint32_t tb = d->wc->wordv[w].tbits;
    return (tb & TBITS_MASK) == bit || (tb >> TBITS_SHIFT & TBITS_MASK) == bit ||
           tb >> 2 * TBITS_SHIFT == bit;
}

/* Does one of the guard words of rule 'r' (a phrase or a near pair matched
 * at tokens 'first'..'last') occur in the match's sentence (its clause under
 * `scope: clause`), or with "!!" guards anywhere in the comment?  Only asked
 * when a guarded rule has matched, and answered once per rule and pair of
 * sentences (gmemo), so a scan of the tokens is cheap enough; and none is
 * needed when no guard word can occur: each
 * matched by its stem, none with its filter bit in 'seen' (the comment
 * filter: a token matching a stem term sets its bit). */
static bool guarded(struct tema__themes_doc *s, const tema_doc *d, const tema__taxonomy *t,
                    const tema__rule *r, uint32_t first, uint32_t last)
{
    bool maybe = false;
    for (uint32_t g = 0; g < r->nguard && !maybe; g++) {
        const tema__term *tm = &t->terms[r->guard + g];
        maybe = tm->exact || s->seen[tema__tfilter_bit(tema__term_text(t, tm), tm->len)];
    }
    if (!maybe)
        return false;
    size_t from = 0, to = d->toks.n;
    const uint32_t *id = t->themes[r->theme].scope == TEMA__SCOPE_CLAUSE ? s->clause : s->sent;
    uint32_t kfrom = r->gcomment ? 0 : id[first] + 1, kto = r->gcomment ? 0 : id[last] + 1;
    gmemo *m = &s->gm[r - t->rules];
    if (m->stamp == s->stamp && m->from == kfrom && m->to == kto)
        return m->guarded;
    m->stamp = s->stamp;
    m->from = kfrom;
    m->to = kto;
    m->guarded = 1;
    if (!r->gcomment) {
        /* sentences and clauses are runs of tokens with one id */
        from = first;
        while (from > 0 && id[from - 1] == id[first])
            from--;
        to = (size_t)last + 1;
        while (to < d->toks.n && id[to] == id[last])
            to++;
    }
    for (size_t i = from; i < to; i++) {
        if (d->toks.v[i].type != TEMA_TOK_WORD)
            continue;
        for (uint32_t g = 0; g < r->nguard; g++)
            if (tok_matches(d, t, i, &t->terms[r->guard + g]))
                return true;
    }
    m->guarded = 0;
    return false;
}

/* A near or ! occurrence at token 'i'.  Near: the first pair of an A and a
 * B within the rule's distance in one scope, found scanning left to right.
 * Not: an A in a scope with no B; scopes are finished when a later scope
 * starts, or at the end of the comment (finish_not).  Forced inline: the
 * scan's one call site grew past GCC's limit with the third filter slot,
 * and the out-of-line call cost 0.5% of `tema score`'s instructions. */
static inline __attribute__((always_inline)) tema_status
near_or_not(struct tema__themes_doc *s, const tema_doc *d, const tema__taxonomy *t,
            const wpost *p, uint32_t i)
{
    unsigned side = p->side;
    rstate *r = &s->rs[p->rule];
    uint32_t sc = p->nterms == TEMA__SCOPE_CLAUSE    ? s->clause[i]
                  : p->nterms == TEMA__SCOPE_COMMENT ? 0
                                                     : s->sent[i];
    if (r->stamp != s->stamp) {
        memset(r, 0, sizeof *r);
        r->stamp = s->stamp;
        if (p->kind == TEMA__R_NOT) {
            r->u.not.scope = sc;
            r->u.not.a_tok = NONE;
            if (tema__grow((void **)&s->touched, &s->captouched, s->ntouched + 1, sizeof *s->touched))
                return TEMA_ERR_NOMEM;
            s->touched[s->ntouched].slot = p->rule;
            s->touched[s->ntouched++].theme = p->theme;
        } else {
            r->u.near.last_a = r->u.near.last_b = NONE;
        }
    }
    if (r->done)
        return TEMA_OK;
    if (p->kind == TEMA__R_NEAR) {
        uint32_t other = side == 0 ? r->u.near.last_b : r->u.near.last_a;
        uint32_t osc = other == NONE ? 0
                       : p->nterms == TEMA__SCOPE_CLAUSE ? s->clause[other] : s->sent[other];
        if (other != NONE && other != i && osc == sc && i - other <= p->anchor) {
            /* "=toget ~6 forsinket !@parcel": a guard word in the pair's
             * sentence cancels it, and a later pair in another sentence may
             * still fire; with "!!" a guard anywhere in the comment cancels
             * every pair (the same guard holds for them all) */
            const tema__rule *gr = p->term != NONE ? &t->rules[p->term] : NULL;
            if (!gr || !guarded(s, d, t, gr, other, i)) {
                r->done = 1;
                tema_status st = add_cand(s, d, p->theme, other, i, false);
                s->c[s->nc - 1].near = st == TEMA_OK;
                return st;
            }
            if (gr->gcomment) {
                r->done = 1;
                return TEMA_OK;
            }
        }
        if (side == 0)
            r->u.near.last_a = i;
        else
            r->u.near.last_b = i;
        return TEMA_OK;
    }
    if (sc != r->u.not.scope) {
        if (r->u.not.a_tok != NONE && !r->b_seen) {
            r->done = 1;
            return add_cand(s, d, p->theme, r->u.not.a_tok, r->u.not.a_tok, false);
        }
        r->u.not.scope = sc;
        r->u.not.a_tok = NONE;
        r->b_seen = 0;
    }
    if (side == 0 && r->u.not.a_tok == NONE)
        r->u.not.a_tok = i;
    else if (side == 1 && r->u.not.a_tok != i)
        r->b_seen = 1;
    return TEMA_OK;
}

static tema_status finish_not(struct tema__themes_doc *s, const tema_doc *d)
{
    for (size_t k = 0; k < s->ntouched; k++) {
        rstate *r = &s->rs[s->touched[k].slot];
        if (!r->done && r->u.not.a_tok != NONE && !r->b_seen) {
            r->done = 1;
            if (add_cand(s, d, s->touched[k].theme, r->u.not.a_tok, r->u.not.a_tok, false))
                return TEMA_ERR_NOMEM;
        }
    }
    return TEMA_OK;
}

/* Does a comment (or part of one) with prefilter bits 'have', of which
 * 'starts' start a token, meet every clause of a regex rule's prefilter
 * 'pre' (taxonomy.h: its anywhere masks, then its token-start masks)? */
static bool pre_pass(const uint64_t *pre, uint64_t have, uint64_t starts)
{
    bool pass = true;
    for (unsigned c = 0; c < TEMA__PRE_CLAUSES && pass; c++)
        pass = ((have & pre[c]) | (starts & pre[TEMA__PRE_CLAUSES + c])) != 0;
    return pass;
}

/* The rules (bit k for rule k) that pass their prefilter in a comment with
 * bits 'have' and 'starts': pre_pass() for all rules at once, from the
 * index's transposed table (tema__tindex.regex_by_bit).  A clause not in
 * use is all ones, so the always-set overflow bit passes it. */
static uint64_t rules_passing(const uint64_t *by_bit, uint64_t have, uint64_t starts)
{
    uint64_t r[TEMA__PRE_CLAUSES] = {0};
    for (uint64_t m = have; m; m &= m - 1) {
        const uint64_t *row = by_bit + (size_t)__builtin_ctzll(m) * TEMA__PRE_CLAUSES;
        for (unsigned c = 0; c < TEMA__PRE_CLAUSES; c++)
            r[c] |= row[c];
    }
    for (uint64_t m = starts; m; m &= m - 1) {
        const uint64_t *row = by_bit + (size_t)(64 + __builtin_ctzll(m)) * TEMA__PRE_CLAUSES;
        for (unsigned c = 0; c < TEMA__PRE_CLAUSES; c++)
            r[c] |= row[c];
    }
    uint64_t all = r[0];
    for (unsigned c = 1; c < TEMA__PRE_CLAUSES; c++)
        all &= r[c];
    return all;
}

/* Do tokens 'i' on ('tmask', 'n' of them) hold the ordered clauses 'ord'
 * (tema__rule.ord; ends at a 0 mask) in order, each in the token of the
 * one before or a later one? */
static bool in_order(const uint64_t *ord, const uint64_t *tmask, size_t i, size_t n)
{
    for (unsigned c = 0; c < TEMA__PRE_CLAUSES && ord[c]; c++) {
        while (i < n && !(tmask[i] & ord[c]))
            i++;
        if (i == n)
            return false;
    }
    return true;
}

/* Runs the language's regex rules over the normalised comment (tokens
 * joined by single spaces) and maps each match back to its tokens.  The
 * joined text is built only once a rule passes its prefilter. */
static tema_status run_regex(struct tema__themes_doc *s, tema_doc *d, const tema__taxonomy *t,
                             const tema__tindex *ix, uint64_t have, uint64_t starts)
{
    size_t n = d->toks.n;
    bool built = false, sfx_built = false;
    /* with the transposed table, only the rules that pass are visited (in
     * the same order) */
    const uint64_t *by_bit = ix->regex_by_bit;
    uint64_t passing = by_bit ? rules_passing(by_bit, have, starts) : 0;
    for (size_t k = 0; k < ix->nregex; k++) {
        if (by_bit) {
            if (!passing)
                break;
            k = (size_t)__builtin_ctzll(passing);
            passing &= passing - 1;
        }
        const uint64_t *pre = ix->regex_pre + k * TEMA__PRE_STRIDE;
        const uint64_t *ord = pre + 2 * TEMA__PRE_CLAUSES;
        if ((!by_bit && !pre_pass(pre, have, starts)) || (ord[0] && !in_order(ord, s->tmask, 0, n)))
            continue; /* something every match needs is absent or out of order: skip PCRE2 */
        const tema__rule *r = &t->rules[ix->regex[k]];
        if (!built) {
            if (!d->rmatch && tema__rmatch_new(&d->rmatch) != TEMA_OK)
                return TEMA_ERR_NOMEM;
            /* sized first, then copied: one reserve per comment */
            size_t total = n - 1;
            for (size_t i = 0; i < n; i++)
                total += d->toks.v[i].norm_len;
            s->text.len = 0;
            if (tema__buf_reserve(&s->text, total + 1) != TEMA_OK) /* + 1: never NULL */
                return TEMA_ERR_NOMEM;
            char *o = s->text.p;
            for (size_t i = 0; i < n; i++) {
                const tema__token *tk = &d->toks.v[i];
                if (i)
                    *o++ = ' ';
                s->toff[i] = (uint32_t)(o - s->text.p);
                memcpy(o, d->norm.p + tk->norm_off, tk->norm_len);
                o += tk->norm_len;
            }
            s->text.len = total;
            built = true;
        }
        size_t pos = 0, ms, me;
        int rc;
        if (r->first) {
            /* every match begins inside a token holding one of these bits */
            size_t f = 0;
            while (f < n && !(s->tmask[f] & r->first))
                f++;
            if (f == n)
                continue;
            pos = s->toff[f];
        }
        while (pos <= s->text.len &&
               (rc = tema__regex_search(r->re, d->rmatch, s->text.p, s->text.len, pos, &ms, &me)) != 0) {
            if (rc < 0) {
                d->regex_limit_hits++;
                break;
            }
            /* First token ending after ms; last token starting before me. */
            size_t a = 0;
            while (a + 1 < n && s->toff[a] + d->toks.v[a].norm_len <= ms)
                a++;
            size_t b = a;
            while (b + 1 < n && s->toff[b + 1] < me)
                b++;
            if (n && add_cand(s, d, r->theme, (uint32_t)a, (uint32_t)b, false) != TEMA_OK)
                return TEMA_ERR_NOMEM;
            pos = me > ms ? me : ms + 1;
            /* A further match lies in the tokens ending after 'pos' (a
             * literal never spans the space between tokens): skip the
             * search when they miss what every match needs. */
            if (!sfx_built) {
                uint64_t acc = (uint64_t)1 << TEMA__RELIT_OVERFLOW;
                for (size_t i = n; i-- > 0;)
                    s->sfx[i] = acc |= s->tmask[i];
                sfx_built = true;
            }
            size_t f = b;
            while (f < n && s->toff[f] + d->toks.v[f].norm_len <= pos)
                f++;
            /* (a literal starting a token is in its bits: tested as anywhere) */
            uint64_t rest = f < n ? s->sfx[f] : (uint64_t)1 << TEMA__RELIT_OVERFLOW;
            if (!pre_pass(pre, rest, rest) || (ord[0] && !in_order(ord, s->tmask, f, n)))
                break;
            if (r->first) {
                while (f < n && !(s->tmask[f] & r->first))
                    f++;
                if (f == n)
                    break;
                if (s->toff[f] > pos)
                    pos = s->toff[f];
            }
        }
    }
    return TEMA_OK;
}

static int mention_cmp(const void *a, const void *b)
{
    const tema__mention *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->theme - y->theme;
}

/* Is there a negator in the clause of token 'tok'? */
static bool clause_has_negator(const tema_doc *d, uint32_t tok)
{
    uint32_t first = 0, end = (uint32_t)d->toks.n;
    for (size_t k = 0; k < d->nclauses; k++)
        if (tok >= d->clauses[k].first && tok < d->clauses[k].end) {
            first = d->clauses[k].first;
            end = d->clauses[k].end;
            break;
        }
    for (uint32_t i = first; i < end; i++) {
        int32_t w = d->toks.v[i].word;
        if (w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_NEGATOR))
            return true;
    }
    return false;
}

static tema_status add_mention(tema_doc *d, int32_t theme, uint32_t start, uint32_t end,
                               uint32_t tok, float score, bool complaint)
{
    if (tema__grow((void **)&d->mentions, &d->capmentions, d->nmentions + 1, sizeof *d->mentions) !=
        TEMA_OK)
        return TEMA_ERR_NOMEM;
    tema__mention *m = &d->mentions[d->nmentions++];
    memset(m, 0, sizeof *m);
    m->theme = theme;
    m->start = start;
    m->end = end;
    m->tok = tok;
    m->label = score >= POS_CUT ? TEMA_LABEL_POSITIVE
               : score <= NEG_CUT ? TEMA_LABEL_NEGATIVE
                                  : TEMA_LABEL_NEUTRAL;
    if (complaint && m->label != TEMA_LABEL_NEGATIVE) {
        score = IMPLICIT_SENTIMENT;
        m->label = TEMA_LABEL_NEGATIVE;
        m->implicit = 1;
    }
    m->sentiment = score;
    m->unopinionated = score == 0 && !complaint;
    return TEMA_OK;
}

/* 2^-k, exactly as ldexp(1.0, -k), for 0 <= k <= 90 (no call per pair). */
static double pow2neg(uint32_t k)
{
    uint64_t bits = (uint64_t)(1023 - k) << 52;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Gap in tokens between two token ranges (0 when they touch or overlap). */
static uint32_t gap(uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
    return a1 <= b0 ? b0 - a1 : b1 <= a0 ? a0 - b1 : 0;
}

/* The opinions of the clauses after a mention's clause that has none and
 * is little more than the theme's name, in the same sentence, up to a
 * clause with a theme of its own: "The delivery, sadly, was awful" and
 * "Leveransen, däremot, var usel" split at their commas into clauses whose
 * first names the theme and whose others only judge it. */
static double fragment_opinion(const tema_doc *d, const struct tema__themes_doc *s,
                               const cand *a)
{
    if (a->clause >= d->nclauses)
        return 0; /* clause ids not from the sentiment stage */
    /* only a clause that is the theme's name and little else ("The
     * delivery,"): a longer one says something of its own */
    const tema__clause *own = &d->clauses[a->clause];
    unsigned words = 0;
    for (uint32_t i = own->first; i < own->end; i++)
        words += d->toks.v[i].type == TEMA_TOK_WORD;
    if (words > 3)
        return 0;
    double sum = 0;
    for (uint32_t k = a->clause + 1; k < d->nclauses; k++) {
        const tema__clause *c = &d->clauses[k];
        if (s->sent[c->first] != s->sent[a->first])
            break;
        bool named = false;
        for (size_t i = 0; i < s->nc && !named; i++)
            named = !s->c[i].drop && s->c[i].clause == k;
        if (named)
            break;
        for (size_t u = 0; u < d->nsunits; u++)
            if (d->sunits[u].first >= c->first && d->sunits[u].end <= c->end)
                sum += d->sunits[u].v;
    }
    return sum;
}

/* The share of candidate 'a' in the opinions of clause 'c' (its clause),
 * each opinion shared among the clause's mentions by closeness (weight
 * 2^-3g for a gap of g tokens).  An opinion after the last member of an
 * enumeration (find_lists()) is the list's predicate: every member takes
 * the share of the last one, and the list counts once ("Leveransen och
 * appen var toppen" praises both).  With 'after', only the opinions after
 * 'a' count: 'a' ends a list whose other members lie in earlier clauses.
 * 'grp' lists the 'ng' candidates of the clause. */
static double clause_share(const tema_doc *d, const struct tema__themes_doc *s, const cand *a,
                           const tema__clause *c, const uint32_t *grp, size_t ng, bool after)
{
    double sum = 0;
    for (size_t u = 0; u < d->nsunits; u++) {
        const tema__sunit *su = &d->sunits[u];
        if (su->first < c->first || su->end > c->end || (after && su->first <= a->last))
            continue;
        double mine = 0, all = 0;
        for (size_t j = 0; j < ng; j++) {
            const cand *b = &s->c[grp[j]];
            if (b->drop)
                continue;
            /* after its list, a member stands where the list ends; that
             * last member counts the list once */
            const cand *l = b->list != NONE ? &s->c[b->list] : b;
            bool pred = l != b && l->clause == b->clause && su->first > l->last;
            const cand *at = pred ? l : b;
            uint32_t g = gap(su->first, su->end, at->first, at->last + 1);
            double w = pow2neg(3 * (g > 30 ? 30 : g));
            if (!pred)
                all += w;
            if (b == a)
                mine = w;
        }
        if (all > 0)
            sum += su->v * mine / all;
    }
    return sum;
}

/* The sentiment of one mention: the opinions of its clause, each shared
 * among the clause's mentions by closeness (clause_share()), so in "great
 * food but the waiter was rude" and in "the pasta was cold, the staff
 * friendly" each aspect takes the words that describe it, while the
 * members of an enumeration ("The delivery, the app, and the price were
 * great", "delivery and service were both terrible") all take the
 * predicate after it.  A clause without opinion words gives 0.  The
 * clause's question dampening and exclamation emphasis scale the result as
 * they scale the clause score.  'grp' lists the 'ng' candidates of the
 * mention's clause in candidate order. */
static float mention_score(const tema_doc *d, const struct tema__themes_doc *s, const cand *a,
                           const uint32_t *grp, size_t ng)
{
    const tema__clause *c = NULL;
    /* clause ids are the sentiment stage's clauses when it ran */
    if (a->clause < d->nclauses && a->first >= d->clauses[a->clause].first &&
        a->first < d->clauses[a->clause].end)
        c = &d->clauses[a->clause];
    for (size_t k = 0; k < d->nclauses && !c; k++)
        if (a->first >= d->clauses[k].first && a->first < d->clauses[k].end)
            c = &d->clauses[k];
    if (!c)
        return 0;
    if (d->nsunits == 0)
        return c->score; /* no opinion units recorded: the clause's own score */
    const cand *l = a->list != NONE ? &s->c[a->list] : a;
    double sum;
    if (l->clause != a->clause && l->clause < d->nclauses) {
        /* a member in a clause of its own ("The delivery,"): the list's
         * predicate is in the last member's clause (its own has none) */
        size_t g0 = s->group[a->list], gn = 1;
        while (g0 + gn < s->nc && s->c[s->order[g0 + gn]].clause == l->clause)
            gn++;
        c = &d->clauses[l->clause];
        sum = clause_share(d, s, l, c, s->order + g0, gn, true);
    } else if (s->any_list) {
        sum = clause_share(d, s, a, c, grp, ng, false);
    } else {
        /* no enumeration in the comment: clause_share() without the list
         * tests, inline (it runs for every mention) */
        sum = 0;
        for (size_t u = 0; u < d->nsunits; u++) {
            const tema__sunit *su = &d->sunits[u];
            if (su->first < c->first || su->end > c->end)
                continue;
            double mine = 0, all = 0;
            for (size_t j = 0; j < ng; j++) {
                const cand *b = &s->c[grp[j]];
                if (b->drop)
                    continue;
                uint32_t g = gap(su->first, su->end, b->first, b->last + 1);
                double w = pow2neg(3 * (g > 30 ? 30 : g));
                all += w;
                if (b == a)
                    mine = w;
            }
            if (all > 0)
                sum += su->v * mine / all;
        }
    }
    if (sum == 0)
        sum = fragment_opinion(d, s, l);
    if (sum == 0)
        return 0;
    /* the clause's question dampening and exclamation emphasis, as a ratio */
    double raw = (double)c->pos + c->neg;
    if (raw != 0 && c->sum / raw > 0)
        sum *= c->sum / raw;
    return (float)(sum / sqrt(sum * sum + 15.0)); /* ALPHA in sentiment.c */
}

/* An opinion that matched no theme goes to `other` (per phase when the
 * export's touchpoint is known), so it is counted and visible. */
static tema_status add_other(tema_doc *d, const tema__taxonomy *t)
{
    if (d->label == TEMA_LABEL_NEUTRAL || !t)
        return TEMA_OK;
    int32_t theme = t->other[0];
    if (d->touchpoint) {
        const tema__strmap_entry *e =
            tema__strmap_get(&t->touchpoints, d->touchpoint, strlen(d->touchpoint));
        const char *ph = e ? t->themes[e->value].phase : NULL;
        if (ph && strcmp(ph, "before") == 0)
            theme = t->other[1];
        else if (ph && strcmp(ph, "during") == 0)
            theme = t->other[2];
        else if (ph && strcmp(ph, "after") == 0)
            theme = t->other[3];
    }
    if (tema__grow((void **)&d->mentions, &d->capmentions, 1, sizeof *d->mentions) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    tema__mention *m = &d->mentions[d->nmentions++];
    memset(m, 0, sizeof *m);
    m->theme = theme;
    m->start = 0;
    m->end = (uint32_t)d->len;
    m->sentiment = (float)d->sentiment;
    m->label = (uint8_t)d->label;
    return TEMA_OK;
}

/* Prepositions that make the touchpoint word after them a place: "i
 * butiken", "på hemsidan", "in the store", "hos PostNord". */
typedef struct word_lit {
    const char *s; /* the word, normalised */
    size_t len;    /* its bytes: compared before the text, so most tokens cost one test */
} word_lit;
#define WL(x) {x, sizeof x - 1}

static const word_lit place_words[TEMA_LANG_COUNT][8] = {
    [TEMA_LANG_SV] = {WL("i"), WL("på"), WL("hos"), WL("från"), WL("vid"), WL("via"), {NULL, 0}},
    [TEMA_LANG_DA] = {WL("i"), WL("på"), WL("hos"), WL("fra"), WL("ved"), WL("via"), {NULL, 0}},
    [TEMA_LANG_NO] = {WL("i"), WL("på"), WL("hos"), WL("fra"), WL("ved"), WL("via"), {NULL, 0}},
    [TEMA_LANG_EN] = {WL("in"), WL("at"), WL("on"), WL("from"), WL("via"), WL("inside"),
                      WL("through"), {NULL, 0}},
};

static bool is_word(const tema_doc *d, const tema__token *tk, const word_lit *words)
{
    const char *w = d->norm.p + tk->norm_off;
    for (size_t k = 0; words[k].s; k++)
        if (words[k].len == tk->norm_len && !memcmp(w, words[k].s, tk->norm_len))
            return true;
    return false;
}

/* Words that join the members of an enumeration ("Leveransen, appen och
 * priset", "the delivery, the app, and the price"): conjunctions, which
 * (like a comma) separate two members ... */
static const word_lit list_conj[TEMA_LANG_COUNT][6] = {
    [TEMA_LANG_SV] = {WL("och"), WL("samt"), WL("eller"), WL("&"), WL("+"), {NULL, 0}},
    [TEMA_LANG_DA] = {WL("og"), WL("samt"), WL("eller"), WL("&"), WL("+"), {NULL, 0}},
    [TEMA_LANG_NO] = {WL("og"), WL("samt"), WL("eller"), WL("&"), WL("+"), {NULL, 0}},
    [TEMA_LANG_EN] = {WL("and"), WL("or"), WL("&"), WL("+"), {NULL, 0}},
};

/* ... and the determiners that may open a member ("the app", "både
 * leveransen och ...", "jeres app").  Scandinavian nouns take the definite
 * article as a suffix, so few are needed there.  Anything else (an
 * adjective, a verb) ends the list: "Beställde skor och appen var bra" is
 * no enumeration. */
static const word_lit list_det[TEMA_LANG_COUNT][16] = {
    [TEMA_LANG_SV] = {WL("både"), WL("den"), WL("det"), WL("de"), WL("er"), WL("ert"), WL("era"),
                      WL("min"), WL("mitt"), WL("mina"), WL("vår"), WL("vårt"),
                      WL("våra"), {NULL, 0}},
    [TEMA_LANG_DA] = {WL("både"), WL("den"), WL("det"), WL("de"), WL("jeres"), WL("min"),
                      WL("mit"), WL("mine"), WL("vores"), {NULL, 0}},
    [TEMA_LANG_NO] = {WL("både"), WL("den"), WL("det"), WL("de"), WL("deres"), WL("min"),
                      WL("mitt"), WL("mine"), WL("vår"), WL("vårt"), WL("våre"), {NULL, 0}},
    [TEMA_LANG_EN] = {WL("both"), WL("the"), WL("a"), WL("an"), WL("your"), WL("my"), WL("our"),
                      WL("their"), WL("its"), {NULL, 0}},
};

/* The longest form in list_conj and list_det, in bytes: a longer token
 * after a match ends any list at once. */
#define SEP_MAX 5

/* Is token 'j' a comma or a conjunction?  The cheap first test of
 * find_lists(), for the token after every match. */
static inline bool joins(const tema_doc *d, uint32_t j)
{
    const tema__token *tk = &d->toks.v[j];
    if (tk->norm_len == 1 && d->norm.p[tk->norm_off] == ',')
        return tk->type == TEMA_TOK_PUNCT;
    if (tk->norm_len > SEP_MAX || tk->type == TEMA_TOK_PUNCT ||
        (tk->type == TEMA_TOK_WORD &&
         (tk->word < 0 || !(d->wc->wordv[tk->word].cls & TEMA__LEX_STOPWORD))))
        return false;
    return is_word(d, tk, list_conj[d->lang]);
}

/* What token 'j' is in an enumeration: SEP_JOIN for a comma or a
 * conjunction, SEP_DET for a determiner, SEP_NONE for anything else.  Every
 * list word is a function word (stopwords.txt), so the word record's class
 * rules out most words before the tables are read. */
enum { SEP_NONE, SEP_JOIN, SEP_DET };
static int sep_kind(const tema_doc *d, uint32_t j)
{
    const tema__token *tk = &d->toks.v[j];
    if (tk->norm_len > SEP_MAX)
        return SEP_NONE;
    if (tk->type == TEMA_TOK_WORD) {
        if (tk->word < 0 || !(d->wc->wordv[tk->word].cls & TEMA__LEX_STOPWORD))
            return SEP_NONE;
        return is_word(d, tk, list_conj[d->lang])  ? SEP_JOIN
               : is_word(d, tk, list_det[d->lang]) ? SEP_DET
                                                   : SEP_NONE;
    }
    return tema__is_comma(d, j) || is_word(d, tk, list_conj[d->lang]) ? SEP_JOIN : SEP_NONE;
}

/* Is candidate 'c' coordinated with the earlier match 'o': between them
 * only commas, conjunctions and determiners, at least one comma or
 * conjunction ("Snabb leverans och priset", "the app, and the price")? */
static bool coordinated(const tema_doc *d, const cand *o, const cand *c)
{
    if (o->last >= c->first)
        return false;
    bool sep = false;
    for (uint32_t j = o->last + 1; j < c->first; j++) {
        int k = sep_kind(d, j);
        if (k == SEP_NONE)
            return false;
        sep |= k == SEP_JOIN;
    }
    return sep;
}

/* Is there an opinion in candidate 'c''s clause after its match? */
static bool opinion_after(const tema_doc *d, const cand *c)
{
    if (c->clause >= d->nclauses)
        return false;
    uint32_t end = d->clauses[c->clause].end;
    for (size_t u = 0; u < d->nsunits; u++)
        if (d->sunits[u].first > c->last && d->sunits[u].end <= end)
            return true;
    return false;
}

/* Is the match starting at token 'first' a place: does it start with, or
 * follow, a place preposition ("i butiken", "in the store")? */
static bool is_place_phrase(const tema_doc *d, uint32_t first)
{
    static const word_lit articles[] = {WL("the"), WL("a"),     WL("an"), WL("our"),
                                        WL("your"), WL("their"), WL("my"), {NULL, 0}};
    const word_lit *words = place_words[d->lang];
    if (is_word(d, &d->toks.v[first], words))
        return true;
    for (uint32_t back = 1; back <= 2 && back <= first; back++) {
        const tema__token *tk = &d->toks.v[first - back];
        if (is_word(d, tk, words))
            return true;
        if (d->lang != TEMA_LANG_EN || !is_word(d, tk, articles))
            return false;
    }
    return false;
}

/* Is a top-level theme only the setting of its clause?  A clause that
 * names a specific problem of another touchpoint is about that problem
 * ("personalen i butiken var otrevlig": staff.attitude; "appen kraschar
 * när jag öppnar varukorgen": app.crash), and a bare touchpoint word in it
 * says where, not what: when it is a place ("i butiken", "at checkout")
 * or comes after the problem.  A touchpoint word that opens the clause
 * stays: "the checkout page froze" is about the checkout. */
static bool context_only(const tema_doc *d, const tema__taxonomy *t,
                         const struct tema__themes_doc *s, const uint32_t *grp, size_t ng,
                         const cand *c)
{
    const tema__theme *a = &t->themes[c->theme];
    if (a->parent >= 0 || a->builtin)
        return false;
    int place = -1; /* is_place_phrase(), asked only when a problem of another touchpoint is there */
    for (size_t y = 0; y < ng; y++) {
        const cand *o = &s->c[grp[y]];
        const tema__theme *b = &t->themes[o->theme];
        if (b->parent < 0 || strcmp(b->touchpoint, a->touchpoint) == 0)
            continue;
        /* a theme listed after it with a judgement of its own is a topic,
         * not the setting: "Quick delivery and the price was awful" (but
         * "the warranty and the shop wants 4-6 weeks" stays one complaint) */
        if (o->first < c->first && !(coordinated(d, o, c) && opinion_after(d, c)))
            return true;
        if (place < 0)
            place = is_place_phrase(d, c->first);
        if (place)
            return true;
    }
    return false;
}

/* Are themes 'a' and 'b' the same, or is one an ancestor of the other? */
static bool related(const tema__taxonomy *t, int32_t a, int32_t b)
{
    for (int32_t p = a; p >= 0; p = t->themes[p].parent)
        if (p == b)
            return true;
    for (int32_t p = b; p >= 0; p = t->themes[p].parent)
        if (p == a)
            return true;
    return false;
}

/* Does match 'o' cover match 'c': every token of c, and more? */
static bool covers(const cand *o, const cand *c)
{
    return o->first <= c->first && c->last <= o->last &&
           (o->first != c->first || o->last != c->last);
}

/* Does token 'tok', but not token 'other', lie inside a surviving match
 * (two tokens or more) of a theme unrelated to candidate 'a'? */
static bool in_other_match(const tema__taxonomy *t, const struct tema__themes_doc *s,
                           const uint32_t *grp, size_t ng, const cand *a, uint32_t tok,
                           uint32_t other)
{
    for (size_t y = 0; y < ng; y++) {
        const cand *o = &s->c[grp[y]];
        if (o != a && !o->drop && o->last > o->first && o->first <= tok && tok <= o->last &&
            (other < o->first || other > o->last) && !related(t, a->theme, o->theme))
            return true;
    }
    return false;
}

/* Is theme 'a' theme 'b' or one of its descendants? */
static bool descends(const tema__taxonomy *t, int32_t a, int32_t b)
{
    for (int32_t p = a; p >= 0; p = t->themes[p].parent)
        if (p == b)
            return true;
    return false;
}

/* Candidates are resolved with the clause of their first token, so a near
 * pair across a clause boundary ("My order never arrived, tracking says
 * delivered" pairs "order" with "tracking") never meets the matches of the
 * clause it reaches into: it named its theme a second time over the span
 * of the theme's own match there, and swallowed another theme's phrase in
 * its first clause (one phrase, one theme).  Such a pair is dropped when
 * one of its two words lies inside a match, within one clause, of its own
 * theme or a sub-theme: that match already names the theme, the pair only
 * adds span.  A pair with no such match stays ("Flott butikk, lyst og
 * ryddig"); refusing every pair across a comma lost more right matches
 * than wrong ones on the held-out sets (docs/themes.md).  A pair across a
 * contrast word from a clause with an opinion is dropped too: it joins the
 * praise before "but" to what follows ("Nice products but the website is
 * only partly translated" is no website.design praise), while "Ringde er i
 * lunchen men kön var så lång" keeps its phone queue.  Removes the dropped
 * candidates from s->c; O(candidates) unless a pair crosses. */
static void drop_crossing_near(const tema_doc *d, const tema__taxonomy *t,
                               struct tema__themes_doc *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->nc; i++) {
        const cand *a = &s->c[i];
        bool drop = false;
        uint32_t last = s->clause[a->last];
        if (a->near && last != a->clause && last < d->nclauses &&
            d->clauses[a->clause].nunits > 0)
            for (uint32_t k = a->clause + 1; k <= last && !drop; k++)
                drop = (d->clauses[k].flags & TEMA__CLAUSE_CONTRAST) != 0;
        if (a->near && last != a->clause)
            for (size_t j = 0; j < s->nc && !drop; j++) {
                const cand *o = &s->c[j];
                drop = j != i && s->clause[o->last] == o->clause &&
                       ((o->first <= a->first && a->first <= o->last) ||
                        (o->first <= a->last && a->last <= o->last)) &&
                       descends(t, o->theme, a->theme);
            }
        if (!drop)
            s->c[kept++] = *a;
    }
    s->nc = kept;
}

/* One phrase, one theme, among the surviving candidates of one clause
 * group (themes related by descent were settled before):
 * - a match whose tokens lie inside the longer match of an unrelated
 *   theme is dropped: "ingen svarade i telefon" is phone.queue, not also
 *   customer_service.reachability through "ingen svarade"; "drog avgiften
 *   två gånger" is billing.double_charge, not also billing.fee.  The
 *   longer match takes over a complaint the shorter one carried.  Equal
 *   spans both stay: one word may name two things ("fakturaavgiften" is
 *   billing and a fee), and the taxonomy lists such terms on purpose;
 * - a near pair whose two words lie inside two other matches of unrelated
 *   themes is dropped: it only stitches together words those matches
 *   explain ("leveransen tog två veckor och ingen svarade i telefon" pairs
 *   "veckor" with "svarade" for a slow reply).
 * O(survivors x group): a clause holds few candidates, one survivor per theme. */
static void drop_overlapped(const tema__taxonomy *t, struct tema__themes_doc *s,
                            const uint32_t *grp, size_t ng)
{
    if (ng < 2)
        return; /* both rules need another match in the clause */
    /* stitched near pairs first, so a complaint is not handed to one */
    for (size_t x = 0; x < ng; x++) {
        cand *a = &s->c[grp[x]];
        if (!a->drop && a->near && in_other_match(t, s, grp, ng, a, a->first, a->last) &&
            in_other_match(t, s, grp, ng, a, a->last, a->first))
            a->drop = 1;
    }
    for (size_t x = 0; x < ng; x++) {
        cand *a = &s->c[grp[x]];
        if (a->drop)
            continue;
        for (size_t y = 0; y < ng; y++) {
            cand *o = &s->c[grp[y]];
            if (y == x || o->drop || !covers(o, a) || related(t, a->theme, o->theme))
                continue;
            a->drop = 1;
            o->implicit |= a->implicit;
            break;
        }
    }
}

/* Is candidate 'a' a bare duration: a `took` verb (cues.txt: tog, tok,
 * took) opening a match of at most six tokens that ends in a long unit of
 * time ("tog två veckor", "took over a week")?  It names no process of
 * its own: the lapse is the one its clause names. */
static bool bare_duration(const tema_doc *d, const cand *a)
{
    const tema__token *f = &d->toks.v[a->first], *l = &d->toks.v[a->last];
    return a->last - a->first < 6 && f->word >= 0 && l->word >= 0 &&
           (d->wc->wordv[f->word].cls & TEMA__LEX_CUE_TOOK) &&
           (d->wc->wordv[l->word].cls & TEMA__LEX_CUE_TIME);
}

/* Do themes 'a' and 'b' share a touchpoint? */
static bool same_touchpoint(const tema__taxonomy *t, int32_t a, int32_t b)
{
    return strcmp(t->themes[a].touchpoint, t->themes[b].touchpoint) == 0;
}

/* Is 'p' the subject of the bare duration 'a': at most three tokens
 * between them and none a comma or conjunction ("Nummerflytningen tog",
 * "Aktiveringen af abonnementet tog"), and no opinion unit from p's start
 * on?  After a conjunction the duration is a clause of its own ("Appen är
 * bra och det tog två veckor"), and a process judged in its own words
 * keeps its judgement: the lapse then stays a late delivery.
 * O(tokens between + opinion units). */
static bool duration_subject(const tema_doc *d, const cand *p, const cand *a)
{
    if (a->first - p->last > 4)
        return false;
    for (uint32_t j = p->last + 1; j < a->first; j++)
        if (sep_kind(d, j) == SEP_JOIN)
            return false;
    for (size_t u = 0; u < d->nsunits; u++)
        if (d->sunits[u].first >= p->first && d->sunits[u].first < a->first)
            return false;
    return true;
}

/* A bare duration (bare_duration(): "tog to uger", a delivery.late
 * complaint) is the lapse of what its clause names before it: with a
 * parcel, an order or nothing named it stays ("Paketet tog två veckor",
 * "Det tog två veckor"); after a process of another touchpoint
 * ("Nummerflytningen tog to uger", "Reparationen tog tre veckor") it is
 * dropped and that process's surviving match in the clause takes over the
 * complaint.  A place ("via appen", "i butiken") names no process.
 * O(survivors x group), and nothing for a clause without a `took` verb. */
static void duration_owner(const tema_doc *d, const tema__taxonomy *t,
                           struct tema__themes_doc *s, const uint32_t *grp, size_t ng)
{
    if (ng < 2)
        return;
    for (size_t x = 0; x < ng; x++) {
        cand *a = &s->c[grp[x]];
        if (a->drop || !bare_duration(d, a))
            continue;
        const cand *prev = NULL; /* the nearest other process named before it */
        bool own = false;        /* a match of its own touchpoint in the clause */
        for (size_t y = 0; y < ng && !own; y++) {
            const cand *o = &s->c[grp[y]];
            if (o->theme == a->theme)
                continue;
            if (same_touchpoint(t, o->theme, a->theme))
                own = true; /* before or after: "took two weeks to deliver my order" */
            else if (o->last >= a->first)
                continue;
            else if (t->themes[o->theme].builtin)
                own = true;
            else if (!is_place_phrase(d, o->first) && (!prev || o->last > prev->last))
                prev = o;
        }
        if (own || !prev || !duration_subject(d, prev, a))
            continue;
        a->drop = 1;
        /* the process's surviving match: the one named, or the sub-theme
         * that superseded it in the clause */
        cand *owner = NULL;
        for (size_t y = 0; y < ng && !owner; y++) {
            cand *o = &s->c[grp[y]];
            if (!o->drop && o != a && same_touchpoint(t, o->theme, prev->theme))
                owner = o;
        }
        if (owner)
            owner->implicit |= a->implicit;
    }
}

/* find_lists()'s per-comment tables, in one scratch reused across comments
 * (tema__themes_doc.lscr): per token, and per candidate. */
typedef struct lists_scratch {
    uint32_t *opin;   /* [n + 1] tokens inside an opinion unit before token i */
    uint32_t *cover;  /* [n + 1] members over token i */
    uint32_t *firstbad; /* [nclauses] the first token of the clause that is neither a separator
                           nor inside a member (clause_prefix()), LS_UNSET */
    uint32_t *start;  /* [n] lowest-numbered member starting at token i, NONE when none */
    uint32_t *next;   /* [nc] the member after candidate k (next_member()), LS_UNSET */
    uint32_t *tail;   /* [nc] the last member of the chain from member k, LS_UNSET */
    uint32_t *stack;  /* [nc] chain_tail()'s walk */
} lists_scratch;
#define LS_UNSET (NONE - 1)

/* Can candidate 'a' be a member of an enumeration?  A theme that names a
 * problem ("Leveransen var sen"), an implicit complaint, a near pair and a
 * match holding an opinion word ("Quicker than expected", an opinion unit
 * over one of its tokens: L->opin) carry their own judgement in their
 * words, so they are not bare names. */
static bool list_member(const tema__taxonomy *t, const lists_scratch *L, const cand *a)
{
    return !(a->drop || a->near || a->implicit || t->themes[a->theme].problem ||
             t->themes[a->theme].builtin || L->opin[a->last + 1] != L->opin[a->first]);
}

/* The member that follows candidate 'a' in an enumeration: after a's last
 * token only commas, conjunctions and determiners, at least one comma or
 * conjunction, then the first token of another member (the lowest-numbered
 * one there, so every walk takes the same path).  A comma may end a's
 * clause only when that clause holds no opinion: "The delivery, the app,"
 * are bare names, while in "Leveransen var snabb, appen ..." the first
 * clause says something of its own.  NONE when there is none.  It always
 * starts after 'a' starts, so chains of members end. */
static uint32_t next_member(const tema_doc *d, const struct tema__themes_doc *s,
                            const lists_scratch *L, const cand *a)
{
    size_t n = d->toks.n;
    bool sep = false;
    for (uint32_t j = a->last + 1; j < n; j++) {
        const tema__token *tk = &d->toks.v[j];
        /* a member may start with a determiner of its own ("the app") */
        if (sep && tk->type == TEMA_TOK_WORD) {
            if (s->clause[j] != a->clause &&
                (a->clause >= d->nclauses || d->clauses[a->clause].nunits != 0))
                return NONE;
            if (L->start[j] != NONE)
                return L->start[j];
        }
        int kind = sep_kind(d, j);
        if (kind == SEP_NONE)
            return NONE;
        sep |= kind == SEP_JOIN;
    }
    return NONE;
}

/* The last member of the enumeration chain from member 'k' on (k itself
 * when nothing follows), each link found once per comment (L->next) and
 * each chain's end remembered for every member on it (L->tail), so all
 * walks together are linear in the candidates. */
static uint32_t chain_tail(const tema_doc *d, const struct tema__themes_doc *s,
                           const lists_scratch *L, uint32_t k)
{
    size_t depth = 0;
    while (L->tail[k] == LS_UNSET) {
        if (L->next[k] == LS_UNSET)
            L->next[k] = next_member(d, s, L, &s->c[k]);
        if (L->next[k] == NONE) {
            L->tail[k] = k;
            break;
        }
        L->stack[depth++] = k;
        k = L->next[k];
    }
    uint32_t end = L->tail[k];
    while (depth)
        L->tail[L->stack[--depth]] = end;
    return end;
}

/* Fills the per-token tables of 'L' for the 'n' tokens and the candidates
 * of this comment: running sums (over a difference array in place), so a
 * span's test is one subtraction. */
static void lists_tables(const tema_doc *d, const tema__taxonomy *t,
                         const struct tema__themes_doc *s, const lists_scratch *L, size_t n)
{
    /* opinion units: +1 where one starts, -1 where it ends, then the count
     * of covered tokens before each token */
    memset(L->opin, 0, (n + 1) * sizeof *L->opin);
    for (size_t u = 0; u < d->nsunits; u++) {
        size_t f = d->sunits[u].first, e = d->sunits[u].end < n ? d->sunits[u].end : n;
        if (f < e) {
            L->opin[f]++;
            L->opin[e]--;
        }
    }
    uint32_t depth = 0, count = 0;
    for (size_t i = 0; i <= n; i++) {
        depth += L->opin[i]; /* unsigned wrap-around sums back to the depth */
        L->opin[i] = count;
        count += i < n && depth != 0;
    }
    /* members: where each starts (the lowest-numbered), and which tokens
     * they cover, the same way */
    memset(L->cover, 0, (n + 1) * sizeof *L->cover);
    for (size_t c = 0; c < d->nclauses; c++)
        L->firstbad[c] = LS_UNSET;
    for (size_t i = 0; i < n; i++)
        L->start[i] = NONE;
    for (size_t k = 0; k < s->nc; k++) {
        const cand *c = &s->c[k];
        L->next[k] = L->tail[k] = LS_UNSET;
        if (!list_member(t, L, c))
            continue;
        if (L->start[c->first] == NONE)
            L->start[c->first] = (uint32_t)k;
        L->cover[c->first]++;
        L->cover[c->last + 1]--;
    }
    depth = 0;
    for (size_t i = 0; i <= n; i++) {
        depth += L->cover[i];
        L->cover[i] = depth;
    }
}

/* The first token from the start of clause 'c' on that is neither a
 * comma, a conjunction or a determiner nor inside a member.  Found only for
 * clauses that hold a list, and once: a scan that runs into the next clause
 * goes on there and answers for every clause it crossed, so each token is
 * looked at once per comment (most clauses start with such a token). */
static uint32_t clause_prefix(const tema_doc *d, const lists_scratch *L, uint32_t c)
{
    uint32_t c0 = c, j = d->clauses[c].first;
    while (L->firstbad[c] == LS_UNSET) {
        uint32_t end = c + 1 < d->nclauses ? d->clauses[c + 1].first : (uint32_t)d->toks.n;
        while (j < end && (L->cover[j] != 0 || sep_kind(d, j) != SEP_NONE))
            j++;
        if (j < end || c + 1 >= d->nclauses)
            break;
        c++;
    }
    if (L->firstbad[c] != LS_UNSET)
        j = L->firstbad[c];
    for (uint32_t k = c0; k <= c; k++)
        L->firstbad[k] = j;
    return j;
}

/* Enumerations: theme names listed with commas and "och / og / and"
 * before one shared predicate ("The delivery, the app, and the price were
 * great", "Leveransen, appen och priset var toppen").  The sentiment stage
 * splits such a list at its commas, so every member but the last sat in a
 * clause of its own without an opinion, and was then dropped as mere
 * context (themes_settle()); within one clause the predicate went to the
 * member next to it only.  Each member records the list's last member in
 * 'list' (the last records itself), and takes the predicate's opinion from
 * it (mention_score()).  Only clauses from the sentiment stage, and only
 * when it found opinions.  Linear in tokens and candidates (a 100 KB list
 * of names once ran for minutes when each walk scanned every candidate):
 * per-token tables answer "is a member there" and "is this stretch only
 * separators and members", and each chain is walked once.  The tables live
 * in a scratch reused across comments (no allocation in the steady state). */
static tema_status find_lists(const tema_doc *d, const tema__taxonomy *t,
                              struct tema__themes_doc *s)
{
    s->any_list = false;
    size_t n = d->toks.n;
    if (!d->nsunits || !d->nclauses || s->nc < 2)
        return TEMA_OK;
    /* a member is followed at once by a comma or a conjunction ("the app,
     * and the price"); most candidates are not, and most comments have none */
    bool any = false;
    for (size_t i = 0; i < s->nc && !any; i++) {
        const cand *a = &s->c[i];
        any = !a->drop && !a->near && !a->implicit && a->clause < d->nclauses &&
              a->last + 1 < n && joins(d, a->last + 1);
    }
    if (!any)
        return TEMA_OK;
    size_t need = 3 * (n + 1) + 3 * s->nc + d->nclauses;
    if (need > s->caplscr) {
        size_t cap = s->caplscr;
        if (tema__grow((void **)&s->lscr, &cap, need, sizeof *s->lscr) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        s->caplscr = cap;
    }
    uint32_t *q = s->lscr;
    lists_scratch L = {q, q + (n + 1), q + 3 * (n + 1) + 3 * s->nc, q + 2 * (n + 1),
                       q + 3 * (n + 1), q + 3 * (n + 1) + s->nc, q + 3 * (n + 1) + 2 * s->nc};
    lists_tables(d, t, s, &L, n);
    for (size_t i = 0; i < s->nc; i++) {
        cand *a = &s->c[i];
        if (a->drop || a->near || a->implicit || a->clause >= d->nclauses || a->last + 1 >= n ||
            !joins(d, a->last + 1) || !list_member(t, &L, a))
            continue;
        if (L.next[i] == LS_UNSET)
            L.next[i] = next_member(d, s, &L, a);
        if (L.next[i] == NONE)
            continue;
        uint32_t last = chain_tail(d, s, &L, L.next[i]);
        /* from the start of its clause to its first token, only
         * determiners, conjunctions and the tokens of other members */
        if (clause_prefix(d, &L, a->clause) < a->first)
            continue;
        a->list = last;
        s->c[last].list = last;
        s->any_list = true;
    }
    return TEMA_OK;
}

tema_status tema__themes_run(tema_doc *d)
{
    d->nmentions = 0;
    const tema__taxonomy *t = d->engine->taxonomy;
    if (!t)
        return TEMA_OK;
    if (!d->wc->th && !(d->wc->th = calloc(1, sizeof *d->wc->th)))
        return TEMA_ERR_NOMEM;
    struct tema__themes_doc *s = d->wc->th;
    s->nc = 0;
    s->ntouched = 0;
    s->any_implicit = false;
    s->any_list = false;
    if (t->nslots > s->caprs || !s->rs) {
        rstate *v = calloc(t->nslots ? t->nslots : 1, sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        free(s->rs);
        s->rs = v;
        s->caprs = t->nslots ? t->nslots : 1;
    }
    if (t->nrules > s->capgm || !s->gm) {
        gmemo *v = calloc(t->nrules ? t->nrules : 1, sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        free(s->gm);
        s->gm = v;
        s->capgm = t->nrules ? t->nrules : 1;
    }
    if (!s->tg && !(s->tg = calloc(t->nthemes ? t->nthemes : 1, sizeof *s->tg)))
        return TEMA_ERR_NOMEM;
    if (++s->stamp == 0) { /* wrapped: forget every old state */
        memset(s->rs, 0, s->caprs * sizeof *s->rs);
        memset(s->gm, 0, s->capgm * sizeof *s->gm);
        for (size_t th = 0; th < t->nthemes; th++)
            s->tg[th].e_stamp = 0;
        s->stamp = 1;
    }
    d->regex_limit_hits = 0;
    size_t n = d->toks.n;
    if (d->lang == TEMA_LANG_UND || n == 0)
        return add_other(d, t);
    if (n > s->captok) {
        size_t cap = s->captok;
        if (tema__grow((void **)&s->sent, &cap, n, sizeof *s->sent) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        cap = s->captok;
        if (tema__grow((void **)&s->clause, &cap, n, sizeof *s->clause) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        cap = s->captok;
        if (tema__grow((void **)&s->toff, &cap, n, sizeof *s->toff) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        cap = s->captok;
        if (tema__grow((void **)&s->sfx, &cap, n, sizeof *s->sfx) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        cap = s->captok;
        if (tema__grow((void **)&s->tmask, &cap, n, sizeof *s->tmask) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        cap = s->captok;
        if (tema__grow((void **)&s->hit, &cap, n, sizeof *s->hit) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        s->captok = cap;
    }
    /* Sentence and clause ids.  Clauses are the sentiment module's when it
     * ran (contrast words split them there); otherwise punctuation.  The
     * same pass fills the comment filter, collects what the regex
     * prefilters ask for (words cache it, other tokens are short) and lists
     * the tokens whose words have cached postings. */
    const tema__tindex *ix = &t->index[d->lang];
    uint64_t have = (uint64_t)1 << TEMA__RELIT_OVERFLOW, starts = 0;
    uint32_t sid = 0, cid = 0;
    /* with the sentiment module's clauses, token i is in the first clause
     * (from the previous token's on) that ends after it, or in the last */
    bool by_clauses = d->nclauses != 0;
    uint32_t clast = by_clauses ? (uint32_t)d->nclauses - 1 : 0;
    size_t cend = clast ? d->clauses[0].end : SIZE_MAX; /* where clause 'cid' ends (the last: never) */
    size_t nhit = 0;
    memset(s->seen, 0, sizeof s->seen);
    s->seen[TFILTER_NONE] = 1;
    for (size_t i = 0; i < n; i++) {
        const tema__token *tk = &d->toks.v[i];
        unsigned fl = tk->flags;
        if (tk->word >= 0) {
            const tema__word *w = &d->wc->wordv[tk->word];
            s->seen[w->tbits & TBITS_MASK] = 1;
            s->seen[w->tbits >> TBITS_SHIFT & TBITS_MASK] = 1;
            s->seen[w->tbits >> 2 * TBITS_SHIFT] = 1;
            s->tmask[i] = w->relits;
            starts |= w->srelits;
            /* appended always, kept when the word has postings: no branch */
            s->hit[nhit] = (thit){(uint32_t)i, (uint32_t)w->themes};
            nhit += w->themes >= 0;
        } else {
            uint64_t st = 0;
            s->tmask[i] = ix->nregex ? tok_relits(t, ix, d, tk, &st) : 0;
            starts |= st;
        }
        have |= s->tmask[i];
        s->sent[i] = sid;
        sid += (fl & TEMA_TOKF_SENT_END) != 0;
        while (i >= cend) {
            cid++;
            cend = cid < clast ? d->clauses[cid].end : SIZE_MAX;
        }
        s->clause[i] = cid;
        if (!by_clauses)
            cid += (fl & (TEMA_TOKF_CLAUSE_END | TEMA_TOKF_SENT_END)) != 0;
    }
    /* One pass over the tokens with postings: each word's cached postings. */
    for (size_t h = 0; h < nhit; h++) {
        size_t i = s->hit[h].tok;
        const char *run = d->wc->wtext.p + s->hit[h].run;
        uint32_t head[2];
        memcpy(head, run, sizeof head);
        const char *needs = run + sizeof head, *posts = needs + (head[0] + 1) * sizeof(wneed);
        for (uint32_t j = 0;; j++) {
            j = next_passing(s->seen, needs, j);
            if (j == head[0])
                break;
            wpost p;
            memcpy(&p, posts + j * sizeof p, sizeof p);
            switch (p.kind) {
            case TEMA__R_WORD:
            case TEMA__R_PART:
                if (!cand_beaten(s, p.theme, (uint32_t)i) &&
                    add_cand(s, d, p.theme, (uint32_t)i, (uint32_t)i, false) != TEMA_OK)
                    return TEMA_ERR_NOMEM;
                break;
            case TEMA__R_PHRASE:
            case TEMA__R_COMPLAINT: {
                /* This word is the phrase's anchor; check the others. */
                if (i < p.anchor || i - p.anchor + p.nterms > n)
                    break;
                size_t first = i - p.anchor;
                /* the words the filter checked for must be at their places */
                wneed nd;
                memcpy(&nd, needs + j * sizeof nd, sizeof nd);
                unsigned q0 = p.needpos & 15, q1 = p.needpos >> 4;
                bool ok = (q0 == NEEDPOS_NONE || tok_has_bit(d, first + q0, nd & 0xFFFF)) &&
                          (q1 == NEEDPOS_NONE || tok_has_bit(d, first + q1, nd >> 16));
                for (uint32_t w = 0; w < p.nterms && w < 4 && ok; w++) {
                    uint32_t len = (p.lens >> (8 * w)) & 255;
                    ok = w == p.anchor || !len || len_may_match(d, first + w, len);
                }
                for (uint32_t w = 0; w < p.nterms && ok; w++)
                    ok = w == p.anchor || tok_matches(d, t, first + w, &t->terms[p.term + w]);
                if (ok && t->rules[p.rule].nguard)
                    ok = !guarded(s, d, t, &t->rules[p.rule], (uint32_t)first,
                                  (uint32_t)(first + p.nterms - 1));
                if (ok && add_cand(s, d, p.theme, (uint32_t)first,
                                   (uint32_t)(first + p.nterms - 1),
                                   p.kind == TEMA__R_COMPLAINT) != TEMA_OK)
                    return TEMA_ERR_NOMEM;
                break;
            }
            case TEMA__R_NEAR:
            case TEMA__R_NOT:
                if (near_or_not(s, d, t, &p, (uint32_t)i) != TEMA_OK)
                    return TEMA_ERR_NOMEM;
                break;
            default:
                break;
            }
        }
    }
    if (s->ntouched && finish_not(s, d) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    if (ix->nregex && run_regex(s, d, t, ix, have, starts) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    drop_crossing_near(d, t, s);
    /* Per clause: a sub-theme's match supersedes its ancestors', and each
     * theme keeps its earliest match (a complaint anywhere marks it).  Only
     * candidates of one clause meet, so they are grouped by clause first
     * (stable: a group keeps candidate order). */
    size_t nc = s->nc;
    if (nc > s->caporder) {
        size_t cap = s->caporder;
        if (tema__grow((void **)&s->order, &cap, nc, sizeof *s->order) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        cap = s->caporder;
        if (tema__grow((void **)&s->group, &cap, nc, sizeof *s->group) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        s->caporder = cap;
    }
    uint32_t *ord = s->order;
    for (size_t i = 0; i < nc; i++) {
        /* insertion sort: candidates arrive almost in clause order */
        size_t j = i;
        uint32_t cl = s->c[i].clause;
        while (j > 0 && s->c[ord[j - 1]].clause > cl) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = (uint32_t)i;
    }
    /* A candidate survives when it is its theme's earliest in the clause
     * (by first token, then last token, then candidate order) and its
     * theme is not an ancestor of another candidate's theme there. */
    for (size_t g0 = 0, g1; g0 < nc; g0 = g1) {
        uint32_t cl = s->c[ord[g0]].clause;
        for (g1 = g0 + 1; g1 < nc && s->c[ord[g1]].clause == cl; g1++)
            ;
        if (++s->gstamp == 0) { /* wrapped: forget every old group */
            memset(s->tg, 0, (t->nthemes ? t->nthemes : 1) * sizeof *s->tg);
            s->gstamp = 1;
        }
        uint32_t gs = s->gstamp;
        for (size_t x = g0; x < g1; x++) {
            size_t i = ord[x];
            const cand *a = &s->c[i];
            s->group[i] = (uint32_t)g0;
            tgroup *g = &s->tg[a->theme];
            const cand *b = g->best_stamp == gs ? &s->c[g->best] : NULL;
            if (!b || a->first < b->first || (a->first == b->first && a->last < b->last)) {
                g->best_stamp = gs;
                g->best = (uint32_t)i; /* the group ascends, so ties keep the earlier */
            }
            for (int32_t p = t->themes[a->theme].parent; p >= 0 && s->tg[p].anc_stamp != gs;
                 p = t->themes[p].parent)
                s->tg[p].anc_stamp = gs; /* an ancestor marked before has its own marked */
        }
        for (size_t x = g0; x < g1; x++) {
            cand *a = &s->c[ord[x]];
            const tgroup *g = &s->tg[a->theme];
            a->drop = g->best != ord[x] || g->anc_stamp == gs ||
                      context_only(d, t, s, ord + g0, g1 - g0, a);
        }
        drop_overlapped(t, s, ord + g0, g1 - g0);
        duration_owner(d, t, s, ord + g0, g1 - g0);
    }
    if (find_lists(d, t, s) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    for (size_t i = 0; i < nc; i++) {
        cand *a = &s->c[i];
        if (a->drop)
            continue;
        const uint32_t *grp = ord + s->group[i];
        size_t ng = 1;
        while (s->group[i] + ng < nc && s->c[grp[ng]].clause == a->clause)
            ng++;
        bool complaint = a->implicit;
        for (size_t y = 0; y < ng && s->any_implicit && !complaint; y++)
            if (s->c[grp[y]].theme == a->theme && s->c[grp[y]].implicit)
                complaint = true;
        float score = mention_score(d, s, a, grp, ng);
        /* A theme that names a problem ("late delivery", "app crashes")
         * is a complaint when nothing in its clause says otherwise: no
         * opinion, and no negator ("leveransen var inte sen"). */
        if (!complaint && t->themes[a->theme].problem && score > NEG_CUT && score < POS_CUT &&
            !clause_has_negator(d, a->first))
            complaint = true;
        if (add_mention(d, a->theme, d->toks.v[a->first].start, d->toks.v[a->last].end, a->first,
                        score, complaint) != TEMA_OK)
            return TEMA_ERR_NOMEM;
    }
    if (d->nmentions == 0)
        return add_other(d, t);
    /* Insertion sort: a comment has few mentions, and no two compare equal
     * (one per theme and clause, and a clause is fixed by the first token),
     * so the order is the one qsort gave. */
    for (size_t i = 1; i < d->nmentions; i++) {
        tema__mention m = d->mentions[i];
        size_t j = i;
        for (; j > 0 && mention_cmp(&d->mentions[j - 1], &m) > 0; j--)
            d->mentions[j] = d->mentions[j - 1];
        d->mentions[j] = m;
    }
    tema__mentmodel_apply(d); /* the taxonomy's learned mention polarity, if it has one */
    return TEMA_OK;
}

void tema__themes_settle(tema_doc *d)
{
    const tema__taxonomy *t = d->engine->taxonomy;
    bool opinionated = false;
    for (size_t k = 0; k < d->nmentions && !opinionated; k++)
        opinionated = !d->mentions[k].unopinionated && !t->themes[d->mentions[k].theme].builtin;
    if (opinionated) {
        size_t kept = 0;
        for (size_t k = 0; k < d->nmentions; k++) {
            const tema__mention *m = &d->mentions[k];
            if (m->unopinionated && t->themes[m->theme].parent < 0 &&
                !tema__mentmodel_covers(d, m->theme))
                continue;
            d->mentions[kept++] = *m;
        }
        d->nmentions = kept;
    }
    if (d->label == TEMA_LABEL_NEUTRAL)
        return;
    for (size_t k = 0; k < d->nmentions; k++) {
        tema__mention *m = &d->mentions[k];
        if (!m->unopinionated || t->themes[m->theme].builtin ||
            tema__mentmodel_covers(d, m->theme))
            continue;
        m->sentiment = (float)d->sentiment;
        m->label = (uint8_t)d->label;
    }
}

size_t tema__themes_regex_limit_hits(const tema_doc *d)
{
    return d ? d->regex_limit_hits : 0;
}

void tema__themes_doc_free(tema_doc *d)
{
    free(d->mentions);
    struct tema__themes_doc *s = d->own.th; /* a sibling's is NULL: it uses its first's */
    if (!s)
        return;
    free(s->sent);
    free(s->lscr);
    free(s->clause);
    free(s->toff);
    free(s->sfx);
    free(s->tmask);
    free(s->hit);
    free(s->c);
    free(s->rs);
    free(s->gm);
    free(s->touched);
    free(s->order);
    free(s->group);
    free(s->tg);
    tema__buf_free(&s->text);
    free(s);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */
/* ------------------------------------------------------------------ */

size_t tema_doc_mention_count(const tema_doc *d)
{
    return d ? d->nmentions : 0;
}

tema_status tema_doc_mention(const tema_doc *d, size_t i, tema_mention *m)
{
    if (!d || !m || i >= d->nmentions || !d->engine->taxonomy)
        return TEMA_ERR_MISUSE;
    const tema__mention *x = &d->mentions[i];
    const tema__theme *th = &d->engine->taxonomy->themes[x->theme];
    m->theme = th->id;
    m->touchpoint = th->touchpoint ? th->touchpoint : "";
    m->phase = th->phase ? th->phase : "";
    m->sentiment = x->sentiment;
    m->label = (tema_label)x->label;
    m->start = x->start;
    m->end = x->end;
    m->implicit = x->implicit;
    return TEMA_OK;
}

size_t tema_theme_count(const tema_engine *e)
{
    return e && e->taxonomy ? e->taxonomy->nthemes : 0;
}

tema_status tema_theme_get(const tema_engine *e, size_t i, tema_lang label_lang,
                           tema_theme_info *info)
{
    if (!info || i >= tema_theme_count(e) || label_lang < TEMA_LANG_UND ||
        label_lang >= TEMA_LANG_COUNT)
        return TEMA_ERR_MISUSE;
    const tema__taxonomy *t = e->taxonomy;
    const tema__theme *th = &t->themes[i];
    memset(info, 0, sizeof *info);
    info->id = th->id;
    info->parent = th->parent >= 0 ? t->themes[th->parent].id : NULL;
    info->touchpoint = th->touchpoint ? th->touchpoint : "";
    info->phase = th->phase ? th->phase : "";
    info->label = th->label[label_lang] ? th->label[label_lang] : th->label[TEMA_LANG_EN];
    if (!info->label)
        info->label = th->id;
    info->words = th->nrules[TEMA__R_WORD];
    info->phrases = th->nrules[TEMA__R_PHRASE];
    info->parts = th->nrules[TEMA__R_PART];
    info->excludes = th->nrules[TEMA__R_EXCLUDE];
    info->complaints = th->nrules[TEMA__R_COMPLAINT];
    info->near = th->nrules[TEMA__R_NEAR] + th->nrules[TEMA__R_NOT];
    info->regex = th->nrules[TEMA__R_REGEX];
    info->builtin = th->builtin;
    return TEMA_OK;
}

tema_status tema_touchpoint_from_alias(const tema_engine *e, const char *text, size_t len,
                                       const char **touchpoint)
{
    if (!e || !touchpoint || (!text && len))
        return TEMA_ERR_MISUSE;
    *touchpoint = NULL;
    const tema__taxonomy *t = e->taxonomy;
    if (!t)
        return TEMA_ERR_NOTFOUND;
    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    char buf[512];
    size_t n;
    if (len == 0 || tema_normalize(text, len, buf, sizeof buf, &n, 0) != TEMA_OK)
        return TEMA_ERR_NOTFOUND;
    const tema__strmap_entry *en = tema__strmap_get(&t->aliases, buf, n);
    if (en) {
        *touchpoint = t->themes[en->value].touchpoint;
        return TEMA_OK;
    }
    en = tema__strmap_get(&t->touchpoints, buf, n);
    if (en) {
        *touchpoint = t->themes[en->value].touchpoint;
        return TEMA_OK;
    }
    return TEMA_ERR_NOTFOUND;
}
