/*
 * normalize.h: NFKC + full case folding.  The tokenizer normalises each
 * token into the doc's buffer with tema__normalize_append(); the public
 * tema_normalize() wraps the same code.
 */
#ifndef TEMA_NORMALIZE_H
#define TEMA_NORMALIZE_H

#include "common.h"

/* Scratch space for the utf8proc path, owned by the caller and reused. */
typedef struct tema__norm_scratch {
    int32_t *cp;       /* decomposed code points */
    size_t cap;        /* capacity of 'cp' in code points */
    tema__buf repaired; /* the input with invalid UTF-8 replaced */
} tema__norm_scratch;

void tema__norm_scratch_free(tema__norm_scratch *s);

/* Highest code point the fast path handles by table (U+0000..U+024F: ASCII,
 * Latin-1, Latin Extended-A and -B).  Above it utf8proc does the work. */
#define TEMA__FAST_MAX 0x24F

/* Appends the normalisation of 'text' to 'out'.  Invalid UTF-8 becomes
 * U+FFFD; '*repairs' (may be NULL) is incremented per replacement. */
tema_status tema__normalize_append(tema__buf *out, tema__norm_scratch *s, const char *text,
                                   size_t len, unsigned flags, size_t *repairs);

/* The normalised bytes of one code point <= TEMA__FAST_MAX, from a table
 * built once with utf8proc.  Valid for the life of the process. */
const char *tema__fast_fold(int32_t cp, size_t *len);

#endif
