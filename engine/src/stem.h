/*
 * stem.h: the Snowball adapter.  The only file that includes libstemmer.h,
 * so a change in libstemmer's API is absorbed here.
 */
#ifndef TEMA_STEM_H
#define TEMA_STEM_H

#include "common.h"

typedef struct tema__stemmer tema__stemmer;

/* A stemmer for 'lang' (not thread-safe: one per tema_doc, whose own
 * bounded word cache asks once per distinct word). */
tema_status tema__stemmer_new(tema_lang lang, tema__stemmer **out);
/* The same, remembering every word it stems: its memory grows with the
 * distinct words, so it is for loaders, freed when loading ends (the
 * lexicons and the taxonomy stem each distinct word about three times). */
tema_status tema__stemmer_new_memo(tema_lang lang, tema__stemmer **out);
void tema__stemmer_free(tema__stemmer *st);
/* Stems 'word'; '*stem' is owned by the stemmer until its next call. */
tema_status tema__stem(tema__stemmer *st, const char *word, size_t len, const char **stem,
                       size_t *stem_len);

#endif
