/*
 * pii.h: personal-data detection and redaction.
 */
#ifndef TEMA_PII_H
#define TEMA_PII_H

#include "engine.h"

typedef struct tema__pii tema__pii;

/* Compiles the patterns (once per engine). */
tema_status tema__pii_new(tema__pii **out, char *err, size_t errcap);
void tema__pii_free(tema__pii *p);
/* Frees the redaction state of a doc. */
void tema__pii_doc_free(tema_doc *d);

/* The patterns tema_doc_redact() must run on a text (pii.c says why each
 * test is safe): a set of TEMA__PII_NEED_* bits.  '*words_from' (if not
 * NULL) gets the offset where the name patterns may start searching. */
enum {
    TEMA__PII_NEED_EMAIL = 1,
    TEMA__PII_NEED_DIGITS = 2,
    TEMA__PII_NEED_IBAN = 4,
    TEMA__PII_NEED_NAME = 8,
    TEMA__PII_NEED_INTRO = 16
};
unsigned tema__pii_needs(const char *text, size_t len, size_t *words_from);

/* tema_doc_redact() running every pattern over the whole text, without
 * the prefilter: the reference the prefilter must agree with (tests, fuzzing). */
tema_status tema__pii_redact_unfiltered(tema_doc *d, const char *text, size_t len,
                                        const char **out, size_t *out_len);

/* Lowers the PCRE2 match limit of 'd''s searches, so tests can reach the
 * stopped-search path on ordinary text.  TEMA_ERR_NOMEM if the match state
 * cannot be made. */
tema_status tema__pii_set_match_limit(tema_doc *d, uint32_t limit);

#endif
