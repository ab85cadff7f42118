/*
 * tokenize.h: splits a comment into typed tokens with byte offsets into the
 * original text, normalising each token into a shared buffer.
 */
#ifndef TEMA_TOKENIZE_H
#define TEMA_TOKENIZE_H

#include "common.h"
#include "normalize.h"

/* A token as the pipeline keeps it: offsets instead of pointers, so the
 * buffers behind them may grow while a comment is being analysed. */
typedef struct tema__token {
    uint32_t start;     /* input byte offset */
    uint32_t end;       /* input byte offset, exclusive */
    uint32_t norm_off;  /* normalised form in the norm buffer */
    uint32_t norm_len;  /* its length in bytes */
    uint32_t alt_off;   /* elongated words: every stretched letter kept once ("so") */
    uint32_t alt_len;   /* 0 when there is no alternative */
    int32_t word;       /* index of the word record in the doc's word cache, or -1 */
    uint16_t type;      /* tema_token_type */
    uint16_t flags;     /* TEMA_TOKF_* */
    uint16_t count;     /* marks in a punctuation run; emoticon repeats */
    uint16_t pad;       /* keeps the struct 8-byte aligned */
} tema__token;

typedef struct tema__tokvec {
    tema__token *v;  /* tokens */
    size_t n;        /* in use */
    size_t cap;      /* allocated */
} tema__tokvec;

void tema__tokvec_free(tema__tokvec *tv);

/* Tokenises 'text' into 'out' (cleared first), appending normalised forms
 * to 'norm' (cleared first).  '*repairs' receives the count of invalid
 * UTF-8 sequences.  Texts longer than 4 GiB are rejected with
 * TEMA_ERR_LIMIT because offsets are 32-bit. */
tema_status tema__tokenize(const char *text, size_t len, tema__tokvec *out, tema__buf *norm,
                           tema__norm_scratch *scratch, size_t *repairs);

#endif
