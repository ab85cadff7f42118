/*
 * common.h: small building blocks shared by every module: growable byte
 * buffers, a string hash, and an open-addressing string map whose keys live
 * in one arena.  Private to the library.
 */
#ifndef TEMA_COMMON_H
#define TEMA_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tema.h"

/* Growable byte buffer.  Reused across comments: 'len' is reset, 'cap' kept. */
typedef struct tema__buf {
    char *p;     /* bytes (not NUL-terminated unless a caller adds one) */
    size_t len;  /* bytes in use */
    size_t cap;  /* bytes allocated */
} tema__buf;

tema_status tema__buf_reserve(tema__buf *b, size_t extra);

/* Makes the array *p of *cap elements of 'size' bytes hold at least 'need'
 * (doubling, from 16); TEMA_ERR_NOMEM, the array untouched, when it cannot. */
tema_status tema__grow(void **p, size_t *cap, size_t need, size_t size);
tema_status tema__buf_append(tema__buf *b, const void *data, size_t len);
void tema__buf_free(tema__buf *b);

static inline tema_status tema__buf_putc(tema__buf *b, char c)
{
    if (b->len == b->cap && tema__buf_reserve(b, 1) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    b->p[b->len++] = c;
    return TEMA_OK;
}

/* 64-bit hash of a byte string: fast on the short keys tema stores (words). */
uint64_t tema__hash(const void *data, size_t len);

/* The same value as tema__hash(), for hot paths whose key is followed by at
 * least 7 readable bytes (tema__HASH_SLACK): the last partial word is read
 * with one load and masked instead of byte by byte.  The bytes past the key
 * never change the result.  Inline so the word lookup pays no call. */
#define TEMA__HASH_SLACK 8
static inline uint64_t tema__hash_padded(const void *data, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const unsigned char *p = data;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xFF51AFD7ED558CCDull);
    while (len >= 8) {
        uint64_t k;
        memcpy(&k, p, 8);
        h = (h ^ k) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        p += 8;
        len -= 8;
    }
    uint64_t k = 0;
    if (len) {
        memcpy(&k, p, 8);
        k &= ~0ull >> (64 - 8 * len);
    }
    h = (h ^ k) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
#else
    return tema__hash(data, len);  /* byte order differs: the portable loop */
#endif
}

/* Map from byte strings to 32-bit values.  Keys are copied into an arena, so
 * a lookup is one hash and one probe sequence with no allocation. */
typedef struct tema__strmap_entry {
    uint64_t hash;      /* full hash, to skip most key compares */
    uint32_t key_off;   /* key offset in 'keys' */
    uint32_t key_len;   /* key length */
    uint32_t value;     /* caller's payload */
} tema__strmap_entry;

typedef struct tema__strmap {
    uint32_t *slots;               /* 0 = empty, else entry index + 1 */
    size_t nslots;                 /* power of two */
    tema__strmap_entry *entries;   /* insertion order */
    size_t count;                  /* entries in use */
    size_t cap;                    /* entries allocated */
    tema__buf keys;                /* key bytes */
} tema__strmap;

void tema__strmap_init(tema__strmap *m);
void tema__strmap_free(tema__strmap *m);
/* Forgets every entry but keeps the memory. */
void tema__strmap_clear(tema__strmap *m);
/* Inserts or replaces.  '*index' (may be NULL) receives the entry index. */
tema_status tema__strmap_put(tema__strmap *m, const char *key, size_t len, uint32_t value,
                             size_t *index);
/* Returns the entry, or NULL when 'key' is absent. */
tema__strmap_entry *tema__strmap_find(const tema__strmap *m, const char *key, size_t len,
                                      uint64_t hash);
static inline tema__strmap_entry *tema__strmap_get(const tema__strmap *m, const char *key,
                                                   size_t len)
{
    return tema__strmap_find(m, key, len, tema__hash(key, len));
}
static inline const char *tema__strmap_key(const tema__strmap *m, const tema__strmap_entry *e)
{
    return m->keys.p + e->key_off;
}

/* memcmp(a, b, len) == 0 for two keys that are each followed by at least
 * TEMA__HASH_SLACK - 1 readable bytes: whole-word loads, the last one masked,
 * instead of a library call per word. */
static inline bool tema__same_padded(const char *a, const char *b, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x, y;
    for (; len >= 8; a += 8, b += 8, len -= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
    }
    if (!len)
        return true;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return ((x ^ y) & (~0ull >> (64 - 8 * len))) == 0;
#else
    return memcmp(a, b, len) == 0;
#endif
}

/* tema__strmap_find() inlined for the per-token caches, whose 'hash' is
 * tema__hash_padded(key, len): 'key' and every key of 'm' must be followed
 * by TEMA__HASH_SLACK - 1 readable bytes (reserve them after each put). */
static inline const tema__strmap_entry *tema__strmap_find_padded(const tema__strmap *m,
                                                                 const char *key, size_t len,
                                                                 uint64_t hash)
{
    if (!m->nslots)
        return NULL;
    size_t mask = m->nslots - 1;
    for (size_t k = hash & mask;; k = (k + 1) & mask) {
        uint32_t slot = m->slots[k];
        if (!slot)
            return NULL;
        const tema__strmap_entry *e = &m->entries[slot - 1];
        if (e->hash == hash && e->key_len == len &&
            tema__same_padded(m->keys.p + e->key_off, key, len))
            return e;
    }
}

/* Reads one line of a data file (lexicon, taxonomy) into 'buf' without its
 * line end, NUL-terminated; '*len' receives its length (it may contain NUL
 * bytes).  TEMA_DONE at end of file; TEMA_ERR_LIMIT when the line does not
 * fit in 'cap' - 1 bytes (the rest of the line is skipped, so memory stays
 * bounded whatever the file holds); TEMA_ERR_IO on a read error. */
tema_status tema__read_line(FILE *f, char *buf, size_t cap, size_t *len);

/* Copies at most 'cap'-1 bytes of a formatted message into 'dst'. */
void tema__setmsg(char *dst, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
