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

struct tema_engine {
    unsigned options;                 /* TEMA_OPT_* */
    char data_dir[PATH_MAX];          /* resolved folder with lexicons/ and models/ */
    char errmsg[1024];                /* last detailed error */
    struct tema__langid *langid;      /* language model (langid.c) */
};

/* Per-word facts, computed once per distinct (language, normalised form)
 * and cached in the doc, so a repeated word costs one hash probe. */
typedef struct tema__word {
    uint32_t stem_off;  /* stem in doc->wtext */
    uint32_t stem_len;
} tema__word;

/* Words cached per language before the cache is reset; bounds memory on
 * inputs with endless distinct tokens (ids, typos). */
#define TEMA__WORD_CACHE_MAX 262144

struct tema_doc {
    const tema_engine *engine;                 /* borrowed */
    const char *text;                          /* the comment, during tema_doc_analyze only */
    size_t len;                                /* its length */
    tema_stage stage;                          /* how far the last analysis ran */
    tema__tokvec toks;                         /* tokens */
    tema__buf norm;                            /* normalised token text */
    tema__norm_scratch ns;                     /* utf8proc scratch */
    size_t repairs;                            /* invalid UTF-8 sequences replaced */
    tema__stemmer *stemmers[TEMA_LANG_COUNT];  /* created on first use */
    tema__strmap words[TEMA_LANG_COUNT];       /* norm -> index in wordv */
    tema__word *wordv;                         /* word records */
    size_t nwords;                             /* in use */
    size_t capwords;                           /* allocated */
    tema__buf wtext;                           /* stem bytes for word records */
    tema_lang lang;                            /* language of the comment */
    double lang_scores[TEMA_LANG_COUNT];       /* language probabilities */
};

/* Sets the engine's error message; returns 'st' for tail calls. */
tema_status tema__fail(tema_engine *e, tema_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Builds "<data_dir>/<rel>" into 'out' (PATH_MAX). */
tema_status tema__data_path(const tema_engine *e, const char *rel, char *out);

/* Looks up or creates the word record for a normalised word in 'lang'.
 * Returns the record index, or -1 on allocation failure. */
int32_t tema__doc_word(tema_doc *d, tema_lang lang, const char *norm, size_t len);

#endif
