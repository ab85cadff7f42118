/*
 * stem.h: the Snowball adapter.  The only file that includes libstemmer.h,
 * so a change in libstemmer's API is absorbed here.
 */
#ifndef TEMA_STEM_H
#define TEMA_STEM_H

#include "common.h"

typedef struct tema__stemmer tema__stemmer;

/* A stemmer for 'lang' (not thread-safe) that remembers every word it
 * stems, so its memory grows with the distinct words: for loaders, which
 * are freed when loading ends. */
tema_status tema__stemmer_new(tema_lang lang, tema__stemmer **out);
/* A stemmer for 'lang' that remembers nothing (one per tema_doc, whose own
 * bounded cache asks once per distinct word). */
tema_status tema__stemmer_new_plain(tema_lang lang, tema__stemmer **out);
void tema__stemmer_free(tema__stemmer *st);
/* Stems 'word'; '*stem' is owned by the stemmer until its next call. */
tema_status tema__stem(tema__stemmer *st, const char *word, size_t len, const char **stem,
                       size_t *stem_len);

#endif
