/*
 * taxonomy.h: the loaded theme taxonomy (taxonomy.c) as the matcher
 * (theme.c) reads it: themes, their rules compiled per language, and per
 * language indexes from a word's stem, exact form or compound part to the
 * rules that word takes part in.
 */
#ifndef TEMA_TAXONOMY_H
#define TEMA_TAXONOMY_H

#include "engine.h"
#include "regex.h"

/* Rule kinds, one per taxonomy key. */
typedef enum tema__rule_kind {
    TEMA__R_WORD = 0,   /* <lang>: single word (by stem, or exact with =) */
    TEMA__R_PHRASE,     /* <lang>: words in a row */
    TEMA__R_PART,       /* <lang>.part: compound part */
    TEMA__R_EXCLUDE,    /* <lang>.exclude: word on which the theme must not fire */
    TEMA__R_COMPLAINT,  /* <lang>.complaint: implicit-complaint phrase */
    TEMA__R_NEAR,       /* <lang>.near: A ~N B */
    TEMA__R_NOT,        /* <lang>.near: A !B */
    TEMA__R_REGEX,      /* <lang>.regex: PCRE2 pattern */
    TEMA__R_KIND_COUNT
} tema__rule_kind;

/* One token matcher: a stem, or an exact normalised form. */
typedef struct tema__term {
    uint32_t off;    /* text in taxonomy->text */
    uint32_t len;    /* bytes */
    uint8_t exact;   /* 1: compare with the normalised form, 0: with the stem */
    uint8_t pad[3];  /* keeps the array packed */
    uint32_t hash;   /* low 32 bits of tema__hash() of the text, for the terms theme.c's
                        tok_matches() reads (phrases, complaints, guards; set when the
                        index is built): a word's cached hashes tell most mismatches
                        without a memcmp */
} tema__term;

/* Regex prefilters (taxonomy.c): a clause is a mask of bits, one per
 * literal of the language's table plus one for "a digit"; a comment's mask
 * has the bits of what its tokens contain. */
#define TEMA__PRE_CLAUSES 4          /* clauses kept per regex rule */
#define TEMA__RELIT_DIGIT 0          /* bit: a decimal digit (\d under PCRE2_UCP) */
#define TEMA__RELIT_MAX 62           /* literal bits 1..62 */
#define TEMA__RELIT_OVERFLOW 63      /* bit for literals past the table: always set */
#define TEMA__PRE_STRIDE (3 * TEMA__PRE_CLAUSES) /* masks per rule in tema__tindex.regex_pre */

/* One compiled rule for one language. */
typedef struct tema__rule {
    uint8_t kind;      /* tema__rule_kind */
    uint8_t lang;      /* tema_lang */
    uint8_t dist;      /* NEAR: the N of A ~N B (at most 50); NOT: 1 for A !!B (B anywhere
                          in the comment), 0 for A !B (in the theme's scope) */
    uint8_t anchor;    /* PHRASE, COMPLAINT: the word the phrase is indexed by */
    int32_t theme;     /* owning theme */
    uint32_t term;     /* first term (phrase words in order; NEAR: A then B; NOT: A then
                          each B) */
    uint32_t nterms;   /* number of terms */
    tema__regex *re;   /* REGEX: compiled pattern, else NULL */
    uint64_t pre[TEMA__PRE_CLAUSES]; /* REGEX: prefilter clauses every matching comment
                                        meets, each a mask of TEMA__RELIT_* bits of which one
                                        must occur (taxonomy.c), so PCRE2 runs less ... */
    uint64_t spre[TEMA__PRE_CLAUSES]; /* ... or of which one must occur starting a token */
    uint8_t npre;      /* REGEX: clauses in 'pre'; 0: the pattern always runs */
    uint8_t ord[TEMA__PRE_CLAUSES]; /* REGEX: clauses of 'pre' whose literals every match
                                       holds in this order, each in the token of the one
                                       before or a later one (taxonomy.c) */
    uint8_t nord;      /* REGEX: clauses in 'ord'; 0 (never 1): no order known */
    uint64_t first;    /* REGEX: TEMA__RELIT_* bits one of which every match begins with
                          (taxonomy.c), so a search starts at the first token holding one;
                          0: unknown, the search starts at the comment's beginning */
    uint32_t slot;     /* NEAR/NOT: its per-comment state, 0..nslots-1 (theme.c) */
    uint32_t guard;    /* PHRASE/COMPLAINT/NEAR: first of 'nguard' single-word terms none of
                          which may occur in the match's sentence ("har inte kommit !mejl",
                          "=toget ~6 forsinket !@parcel") or, with 'gcomment', anywhere in
                          the comment ("!!mejl") */
    uint8_t nguard;    /* 0: no guard */
    uint8_t gcomment;  /* 1: the guards were written "!!" (the whole comment), 0: "!" (the
                          match's sentence, or clause under the theme's scope: clause) */
} tema__rule;

/* Scopes of near and ! rules. */
#define TEMA__SCOPE_SENTENCE 0
#define TEMA__SCOPE_CLAUSE 1
#define TEMA__SCOPE_COMMENT 2 /* A !!B rules only, not a theme's scope: key */
#define TEMA__NOT_MAX 16      /* Bs in one A !B !C ... rule */

typedef struct tema__theme {
    char *id;                          /* "delivery.late" */
    int32_t parent;                    /* parent theme index, -1 at top level */
    char *touchpoint;                  /* own or inherited touchpoint id */
    char *phase;                       /* "before", "during", "after" ("" for `other`) */
    char *label[TEMA_LANG_COUNT];      /* labels by language ([UND] unused) */
    uint8_t scope;                     /* TEMA__SCOPE_* */
    uint8_t problem;                   /* `polarity: negative`: the theme names a problem, so a
                                          mention with no opinion counts as a complaint */
    uint8_t builtin;                   /* the `other` themes the loader adds */
    uint32_t nrules[TEMA__R_KIND_COUNT]; /* rules per kind, all languages */
    tema__rule *rules;                 /* while loading: this theme's rules */
    size_t nr, capr;                   /* while loading: in use, allocated */
    char file[256];                    /* where the (last) block was defined, for messages */
    int line;                          /* its line */
} tema__theme;

/* Per-language lookup from a word to the rules it takes part in. */
typedef struct tema__tindex {
    tema__strmap stem;     /* stem -> posting list */
    tema__strmap exact;    /* normalised form -> posting list */
    tema__strmap part;     /* compound part (form or stem) -> posting list */
    uint32_t *regex;       /* REGEX rule indexes */
    uint64_t *regex_pre;   /* their prefilters, per rule TEMA__PRE_CLAUSES masks of literals
                              anywhere (unused ones all ones), then as many of literals
                              starting a token (unused ones 0), then the rule's 'ord'
                              (unused ones 0): together, so a comment's test stays in a
                              few cache lines */
    size_t nregex;         /* their number */
    uint64_t *regex_by_bit; /* with 1-64 rules: [b * TEMA__PRE_CLAUSES + c] the rules (bit k
                               for rule k) whose clause c holds literal bit b anywhere, then
                               [(64 + b) * TEMA__PRE_CLAUSES + c] at a token start; else NULL */
    uint32_t relit_off[TEMA__RELIT_MAX]; /* prefilter literal i + 1, in taxonomy->text */
    uint8_t relit_len[TEMA__RELIT_MAX];  /* its bytes (2..255) */
    unsigned nrelit;                     /* literals in the table */
    uint64_t relit_first[256];           /* literal bits by first byte */
} tema__tindex;

/* A posting: rule index << 1 | side (0: first word / A, 1: B of a NEAR or NOT). */
typedef uint32_t tema__posting;

typedef struct tema__taxonomy {
    tema__theme *themes;              /* in load order */
    size_t nthemes, capthemes;
    tema__strmap ids;                 /* theme id -> index */
    tema__rule *rules;                /* every rule, grouped by theme */
    size_t nrules;
    tema__term *terms;                /* every term */
    size_t nterms, capterms;
    tema__buf text;                   /* term bytes */
    tema__tindex index[TEMA_LANG_COUNT]; /* per language ([UND] unused) */
    uint32_t *lists;                  /* posting lists: [count, postings...] runs */
    size_t nlists;                    /* uint32 in use */
    tema__strmap aliases;             /* normalised alias -> theme index */
    tema__strmap touchpoints;         /* touchpoint id -> top-level theme index */
    int32_t other[4];                 /* `other`, `other.before`, `.during`, `.after` */
    bool has_regex;                   /* any REGEX rule at all */
    size_t nslots;                    /* NEAR and NOT rules (their 'slot's) */
    char *model;                      /* mention model a file declared (`model:`), resolved
                                         path; NULL: none */
    struct tema__mentmodel *mmodel;   /* it, loaded (mention_model.c); NULL: rules only */
    char *sentmodel;                  /* comment sentiment model a file declared
                                         (`sentiment-model:`), resolved path; NULL: none,
                                         models/sentiment.bin stays (model.c) */
} tema__taxonomy;

/* Loads the base taxonomy (cfg->base_taxonomy or lexicons/themes/cx.tema)
 * and cfg->taxonomies on top into e->taxonomy.  Errors go to e->errmsg as
 * "file:line: message" lines (several, when a file has several). */
tema_status tema__taxonomy_load(tema_engine *e, const tema_config *cfg);
void tema__taxonomy_free(tema__taxonomy *t);

/* Regex searches the PCRE2 limits stopped in the last comment (theme.c). */
size_t tema__themes_regex_limit_hits(const tema_doc *d);

/* The theme matcher's comment-filter bit of a stem (theme.c): a word sets
 * the bits of its stem and its base form's stem, a posting needs the bits of
 * its rule's other words. */
uint16_t tema__tfilter_bit(const char *stem, size_t len);

/* The term text of 'term'. */
static inline const char *tema__term_text(const tema__taxonomy *t, const tema__term *term)
{
    return t->text.p + term->off;
}

#endif
