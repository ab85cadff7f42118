/*
 * engine.h: the engine and analysis-object structures, shared by the
 * pipeline modules.  Each module owns the fields it loads or fills.
 */
#ifndef TEMA_ENGINE_H
#define TEMA_ENGINE_H

#include <limits.h>

#include "common.h"
#include "normalize.h"
#include "stem.h"
#include "tokenize.h"

struct tema__langid;
struct tema__lexicon;
struct tema__sentmodel;
struct tema__taxonomy;
struct tema__compound;
struct tema__pii;
struct tema__rmatch;
struct tema__themes_doc;

struct tema_engine {
    unsigned options;                              /* TEMA_OPT_* */
    char data_dir[PATH_MAX];                       /* folder with lexicons/ and models/ */
    char errmsg[1024];                             /* last detailed error */
    struct tema__langid *langid;                   /* language model (langid.c) */
    struct tema__lexicon *lexicon[TEMA_LANG_COUNT]; /* sentiment lexicons; [UND] = all
                                                      languages (lexicon.c) */
    struct tema__sentmodel *sentmodel;             /* learned sentiment weights (model.c) */
    struct tema__taxonomy *taxonomy;               /* themes (taxonomy.c) */
    struct tema__compound *compound[TEMA_LANG_COUNT]; /* compound parts (compound.c) */
    struct tema__pii *pii;                         /* personal-data patterns (pii.c) */
};

/* Per-word facts, computed once per distinct (language, normalised form)
 * and cached in the doc, so a repeated word costs one hash probe. */
typedef struct tema__word {
    uint32_t stem_off;   /* stem in doc->wtext */
    uint32_t stem_len;
    uint64_t cls;        /* lexical class bits (negator, contrast, stopword, ...; lexicon.c) */
    uint32_t acts;       /* speech-act bits (request, wish, thanks, ...; requests.txt, lexicon.c) */
    float valence;       /* sentiment valence -4..+4, 0 for none (lexicon.c) */
    float mult;          /* intensifier/dampener multiplier, 1 for none (lexicon.c) */
    int32_t phrase;      /* phrase index starting with this word, or -1 (lexicon.c) */
    int32_t themes;      /* theme term list, or -1 (theme.c) */
    uint32_t parts_off;  /* compound parts in doc->wtext, "a\0b\0" (compound.c) */
    uint32_t parts_len;
    uint32_t tbits;      /* theme matcher's comment filter: 10-bit filter bits of the stem
                            (bits 0-9), of the base form's stem or a hyphenated word's last
                            side (10-19) and of its first side (20-29) (theme.c) */
    uint64_t relits;     /* regex prefilter literals and digit the word holds (theme.c) */
    uint64_t srelits;    /* the literals among them that start the word, or follow a byte
                            other than an ASCII letter, digit or '_' in it (theme.c) */
    uint64_t norm_hash;  /* tema__hash() of the normalised form it is cached under ... */
    uint64_t stem_hash;  /* ... and of its stem: phrase checks need no hashing (sentiment.c) */
} tema__word;

/* A word's language evidence, cached per doc (langid.c). */
typedef struct tema__lidword {
    int32_t sum[4];    /* summed quantised log-probabilities for sv, da, no, en */
    uint32_t nfeat;    /* features summed */
    uint32_t letters;  /* letters in the word */
    uint32_t known;    /* bit l: language l has seen this word */
    uint32_t foreign;  /* bit i: the list of other language i holds it (otherlang.h) */
    int32_t word[4];   /* the form's word record (doc.c) in sv, da, no, en, so the word
                          stage needs no second probe; -1: not linked since the records
                          were last emptied */
} tema__lidword;

/* Sentiment of one clause (sentiment.c). */
typedef struct tema__clause {
    uint32_t first;   /* first token index */
    uint32_t end;     /* one past the last token */
    float score;      /* clause sentiment in [-1, 1] */
    float weight;     /* weight in the comment score (contrast) */
    float pos;        /* sum of positive contributions, before emphasis and weight */
    float neg;        /* sum of negative contributions (<= 0), likewise */
    float emphasis;   /* exclamation marks added to the clause sum */
    float sum;        /* clause sum: (pos + neg) x question factor + emphasis */
    uint16_t nunits;  /* sentiment words, phrases and emoji that contributed */
    uint16_t flags;   /* TEMA__CLAUSE_* */
} tema__clause;

/* tema__clause.flags (set by sentiment.c) */
#define TEMA__CLAUSE_QUESTION 1u /* ends in '?' */
#define TEMA__CLAUSE_EXCLAIM  2u /* ends in '!' */
#define TEMA__CLAUSE_CONTRAST 4u /* starts with a contrast word */

/* One sentiment word, phrase or emoji as finally weighed in its clause
 * (after negation and modifiers), kept so theme mentions can take the
 * opinions nearest to them (sentiment.c fills, theme.c reads). */
typedef struct tema__sunit {
    uint32_t first;  /* first token */
    uint32_t end;    /* one past the last token */
    float v;         /* signed contribution */
} tema__sunit;

/* Rule features of one comment, for a learned layer on top of the rules
 * (sentiment.c).  Sums are after negation and modifiers, before clause
 * weights and emphasis; 'raw' is the weighted total. */
typedef struct tema__sentfeat {
    float pos;            /* sum of positive contributions */
    float neg;            /* sum of negative contributions (<= 0) */
    float raw;            /* weighted clause sums before normalisation */
    float rule_score;     /* the rule-based score in [-1, 1] */
    uint16_t npos;        /* positive units */
    uint16_t nneg;        /* negative units */
    uint16_t nnegated;    /* units flipped by a negator */
    uint16_t nintensified; /* units scaled by an intensifier (word or prefix) */
    uint16_t ndampened;   /* units scaled by a dampener */
    uint16_t nphrase;     /* units that are phrases */
    uint16_t nemoji;      /* units that are emoji or emoticons */
    uint16_t ncaps;       /* units in ALL CAPS */
    uint16_t nexclaim;    /* exclamation marks that added emphasis */
    uint16_t nquestion;   /* clauses dampened as questions */
    uint16_t ncontrast;   /* contrast words */
    uint16_t nclauses;    /* clauses */
} tema__sentfeat;

/* One theme mention (theme.c). */
typedef struct tema__mention {
    int32_t theme;     /* theme index in the taxonomy */
    uint32_t start;    /* byte span in the input */
    uint32_t end;
    uint32_t tok;      /* first token of the match */
    float sentiment;   /* clause sentiment */
    uint8_t label;     /* tema_label */
    uint8_t implicit;  /* implicit complaint phrase */
    uint8_t unopinionated; /* no opinion in its clause: may take the comment's (theme.c) */
    uint8_t pad;
} tema__mention;

/* One --explain item (sentiment.c). */
typedef struct tema__explain {
    uint32_t start;    /* byte span */
    uint32_t end;
    const char *rule;  /* static name */
    float weight;
} tema__explain;

/* Words cached per language before the cache is reset; bounds memory on
 * inputs with endless distinct tokens (ids, typos).  The word records are
 * reset between comments or batches only (doc.c, make_room()), so a comment
 * may take a language past it by the words it adds; past
 * TEMA__WORD_CACHE_HARD a comment's further new words get records that are
 * not cached (tema__doc_word()), so the map stops growing and no record
 * that a token holds is ever reused. */
#define TEMA__WORD_CACHE_MAX 262144
#define TEMA__WORD_CACHE_HARD (2 * TEMA__WORD_CACHE_MAX)

struct tema__themes_doc;

/* What a document knows about each distinct word form, kept across
 * comments: the stem, lexicon, compound and theme lookups of a form are done
 * once (doc.c, tema__doc_word()), and language evidence once per form
 * (langid.c).  A document owns one; the documents of a batch
 * (tema_doc_analyze_batch()) share their first one's, so a batch warms one
 * cache and keeps one working set. */
typedef struct tema__wordcache {
    tema__stemmer *stemmers[TEMA_LANG_COUNT];  /* created on first use */
    tema__strmap words[TEMA_LANG_COUNT];       /* norm -> index in wordv */
    tema__word *wordv;                         /* word records */
    size_t nwords;                             /* in use */
    size_t capwords;                           /* allocated */
    tema__buf wtext;                           /* stem bytes for word records */
    tema__strmap lid_words;                    /* normalised word -> index in lid_v */
    tema__lidword *lid_v;                      /* cached language evidence per word */
    size_t lid_n, lid_cap;                     /* in use, allocated in lid_v */
    uint64_t lid_gen;                          /* times lid_words was emptied (langid.c) */
    struct tema__themes_doc *th;               /* theme matcher scratch (theme.c): it lives
                                                  within one tema__themes_run() call, so the
                                                  documents of a batch share one too */
} tema__wordcache;

struct tema_doc {
    const tema_engine *engine;                 /* borrowed */
    const char *text;                          /* the comment, during tema_doc_analyze only */
    size_t len;                                /* its length */
    tema_stage stage;                          /* how far the last analysis ran */
    tema__tokvec toks;                         /* tokens */
    tema__buf norm;                            /* normalised token text */
    tema__norm_scratch ns;                     /* utf8proc scratch */
    size_t repairs;                            /* invalid UTF-8 sequences replaced */
    tema__wordcache own;                       /* this document's word cache ... */
    tema__wordcache *wc;                       /* ... or its batch's: the one in use */
    tema_lang lang;                            /* language of the comment */
    double lang_scores[TEMA_LANG_COUNT];       /* language probabilities */
    size_t lang_letters;                       /* letters the language decision saw */
    uint64_t *tok_hash;                        /* word tokens: tema__hash() of the form */
    size_t cap_tok_hash;                       /* allocated in 'tok_hash' and 'tok_lid' */
    uint32_t *tok_lid;                         /* word tokens: the form's entry in wc->lid_v ... */
    uint64_t tok_lid_gen;                      /* ... valid while this is wc->lid_gen + 1;
                                                  0: not set for the current text */
    double lid_prior[4];                       /* last prior value per language (sv..en) ... */
    double lid_prior_log[4];                   /* ... and its log, as langid.c uses it */
    unsigned lid_prior_ok;                     /* bit l: lid_prior[l] holds a value */
    double sentiment;                          /* comment sentiment [-1, 1] */
    tema_label label;                          /* its label */
    tema__sentfeat sfeat;                      /* rule features of the comment */
    tema__clause *clauses;                     /* per-clause sentiment */
    tema__sunit *sunits;                       /* every clause's opinion units, in order */
    size_t nsunits, capsunits;
    size_t nclauses, capclauses;
    tema__explain *explain;                    /* contributions, for --explain */
    size_t nexplain, capexplain;
    tema__mention *mentions;                   /* theme mentions */
    size_t nmentions, capmentions;
    struct tema__rmatch *rmatch;               /* PCRE2 match state for this thread */
    const char *touchpoint;                    /* export's touchpoint id (tema_analyze_opts) */
    size_t regex_limit_hits;                   /* regex searches of the last analysis stopped
                                                  by the PCRE2 limits (theme.c) */
    tema_pii_span *pii;                        /* personal data found by tema_doc_redact() */
    size_t npii, cappii;
    size_t pii_limit_hits;                     /* PII searches stopped by the regex limits */
    size_t pii_unchecked_from;                 /* where the first stopped search began, or SIZE_MAX */
    tema__buf redacted;                        /* the redacted text */
};

/* The comment score is a clause-weighted sum x normalised as
 * x / sqrt(x^2 + alpha) (VADER), labelled by a cut on either side. */
#define TEMA__SENTIMENT_ALPHA 15.0
#define TEMA__LABEL_CUT 0.05

/* Pipeline stages implemented by the modules. */
tema_status tema__sentiment_run(tema_doc *d);  /* sentiment.c */
tema_status tema__themes_run(tema_doc *d);     /* theme.c */
void tema__implicit_apply(tema_doc *d);        /* implicit.c, after the themes */
/* Adds 'add' to the comment's clause-weighted sum and scores and labels it
 * again (implicit.c); with 'add' < 0 a comment stays positive only if it
 * was, 'add' > 0 (cues.c, speed stated as fact) may make it positive. */
void tema__implicit_rescore(tema_doc *d, double add);
/* Complaint cues without opinion words (a duration, two dates, "still",
 * "??", a price going up) in a comment with no positive opinion: one
 * implicit-complaint unit for the comment (cues.c, after
 * tema__implicit_apply). */
void tema__cues_apply(tema_doc *d);
/* Mentions with no opinion of their own (theme.c, after
 * tema__implicit_apply).  Where another mention in the comment carries an
 * opinion, a top-level theme named without one is context, not what the
 * comment is about ("har fått ringa fyra gånger nu": the runaround, not the
 * phone; "skickade tillbaka skorna med PostNord ... fortfarande inga
 * pengar": the refund, not the delivery), and is dropped.  Any other
 * mention without an opinion ("Budet slängde paketet över staketet. Helt
 * oacceptabelt!") takes the comment's final score and label: the feeling
 * the customer expressed elsewhere is the best evidence of how they feel
 * about what they named.  Mentions a mention-polarity model decides are
 * left to it. */
void tema__themes_settle(tema_doc *d);
/* Adds an --explain item (sentiment.c; best effort, capped per comment). */
void tema__sentiment_explain(tema_doc *d, uint32_t start, uint32_t end, const char *rule,
                             float weight);
/* Fills the lexicon and theme fields of a new word record (lexicon.c, theme.c). */
void tema__lexicon_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                           const char *norm, size_t len);
void tema__theme_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                         const char *norm, size_t len);
/* Fills the compound parts of a new word record, before the two above (compound.c). */
void tema__compound_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                            const char *norm, size_t len);
/* Frees what the modules allocated in a doc (sentiment.c, theme.c). */
void tema__sentiment_doc_free(tema_doc *d);
void tema__themes_doc_free(tema_doc *d);

/* Sets the engine's error message; returns 'st' for tail calls. */
tema_status tema__fail(tema_engine *e, tema_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Builds "<data_dir>/<rel>" into 'out' (PATH_MAX). */
tema_status tema__data_path(const tema_engine *e, const char *rel, char *out);

/* Looks up or creates the word record for a normalised word in 'lang'.
 * Returns the record index, or -1 on allocation failure. */
int32_t tema__doc_word(tema_doc *d, tema_lang lang, const char *norm, size_t len);

/* Is token 'i' of the analysed comment in 'd' a comma (sentiment.c, theme.c)? */
static inline bool tema__is_comma(const tema_doc *d, size_t i)
{
    const tema__token *t = &d->toks.v[i];
    return t->type == TEMA_TOK_PUNCT && t->norm_len == 1 && d->norm.p[t->norm_off] == ',';
}

#endif
