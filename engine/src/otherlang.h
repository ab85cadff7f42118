/*
 * otherlang.h: word lists of languages other than sv, da, no and en, the
 * evidence langid.c uses to call a comment in another language `und`.
 */
#ifndef TEMA_OTHERLANG_H
#define TEMA_OTHERLANG_H

#include "engine.h"

/* Other languages a list may name; bit i of a word's set is language i. */
#define TEMA__OTHERLANG_COUNT 11

typedef struct tema__otherlang tema__otherlang;

/* Loads lexicons/all/other-languages.txt (format in docs/formats.md) into
 * '*out'.  A missing file gives *out = NULL and TEMA_OK (no evidence, the
 * model alone decides); an invalid line is TEMA_ERR_PARSE with file:line in
 * tema_errmsg(e), and nothing is loaded. */
tema_status tema__otherlang_load(tema_engine *e, tema__otherlang **out);
void tema__otherlang_free(tema__otherlang *o);

/* The set of other languages (bit i: tema__otherlang_code(i)) whose list
 * holds the normalised word 'w', 0 for none or when 'o' is NULL.  'hash' is
 * tema__hash_padded(w, len), and 'w' must be followed by TEMA__HASH_SLACK - 1
 * readable bytes, as the doc's word forms are: one probe, no hashing. */
uint32_t tema__otherlang_find(const tema__otherlang *o, const char *w, size_t len,
                              uint64_t hash);

/* The code ("de", "fi", ...) of other language 'i', or NULL out of range.  Static. */
const char *tema__otherlang_code(int i);

/* Words listed in 'o' (0 for NULL). */
size_t tema__otherlang_count(const tema__otherlang *o);

#endif
