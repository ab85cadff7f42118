/*
 * common.c: growable buffers, the string hash and the string map used by the
 * stem cache, lexicons and taxonomy.  The map is open addressing with linear
 * probing at load factor <= 1/2, so a miss usually costs one slot read.
 */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

tema_status tema__buf_reserve(tema__buf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return TEMA_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) {
        if (cap > SIZE_MAX / 2)
            return TEMA_ERR_NOMEM;
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p)
        return TEMA_ERR_NOMEM;
    b->p = p;
    b->cap = cap;
    return TEMA_OK;
}

tema_status tema__buf_append(tema__buf *b, const void *data, size_t len)
{
    if (tema__buf_reserve(b, len) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    if (len)
        memcpy(b->p + b->len, data, len);
    b->len += len;
    return TEMA_OK;
}

void tema__buf_free(tema__buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* A multiply-xorshift hash over 8-byte blocks (in the spirit of wyhash and
 * FxHash): words are short, so the tail handling matters more than the
 * block loop. */
/* Keep in step with tema__hash_padded() in common.h (test_common.c checks). */
uint64_t tema__hash(const void *data, size_t len)
{
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
    for (size_t i = 0; i < len; i++)
        k |= (uint64_t)p[i] << (8 * i);
    h = (h ^ k) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
}

void tema__strmap_init(tema__strmap *m)
{
    memset(m, 0, sizeof *m);
}

void tema__strmap_free(tema__strmap *m)
{
    free(m->slots);
    free(m->entries);
    tema__buf_free(&m->keys);
    memset(m, 0, sizeof *m);
}

void tema__strmap_clear(tema__strmap *m)
{
    if (m->slots)
        memset(m->slots, 0, m->nslots * sizeof *m->slots);
    m->count = 0;
    m->keys.len = 0;
}

tema__strmap_entry *tema__strmap_find(const tema__strmap *m, const char *key, size_t len,
                                      uint64_t hash)
{
    if (!m->nslots)
        return NULL;
    size_t mask = m->nslots - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (!s)
            return NULL;
        tema__strmap_entry *e = &m->entries[s - 1];
        if (e->hash == hash && e->key_len == len && memcmp(m->keys.p + e->key_off, key, len) == 0)
            return e;
    }
}

static tema_status grow(tema__strmap *m)
{
    size_t n = m->nslots ? m->nslots * 2 : 64;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return TEMA_ERR_NOMEM;
    for (size_t j = 0; j < m->count; j++) {
        size_t i = m->entries[j].hash & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)(j + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = n;
    return TEMA_OK;
}

tema_status tema__strmap_put(tema__strmap *m, const char *key, size_t len, uint32_t value,
                             size_t *index)
{
    uint64_t h = tema__hash(key, len);
    tema__strmap_entry *e = tema__strmap_find(m, key, len, h);
    if (e) {
        e->value = value;
        if (index)
            *index = (size_t)(e - m->entries);
        return TEMA_OK;
    }
    if (len > UINT32_MAX || m->keys.len + len > UINT32_MAX || m->count >= UINT32_MAX - 1)
        return TEMA_ERR_LIMIT;
    if ((m->count + 1) * 2 > m->nslots && grow(m) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        tema__strmap_entry *ne = realloc(m->entries, cap * sizeof *ne);
        if (!ne)
            return TEMA_ERR_NOMEM;
        m->entries = ne;
        m->cap = cap;
    }
    size_t off = m->keys.len;
    /* Reserve at least one byte so 'keys.p' is never NULL once a key is
     * stored, even when every key is empty: keys.p + off must be valid. */
    if (tema__buf_reserve(&m->keys, len + 1) != TEMA_OK ||
        tema__buf_append(&m->keys, key, len) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    e = &m->entries[m->count];
    e->hash = h;
    e->key_off = (uint32_t)off;
    e->key_len = (uint32_t)len;
    e->value = value;
    size_t mask = m->nslots - 1, i = h & mask;
    while (m->slots[i])
        i = (i + 1) & mask;
    m->slots[i] = (uint32_t)(m->count + 1);
    if (index)
        *index = m->count;
    m->count++;
    return TEMA_OK;
}

void tema__setmsg(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

tema_status tema__read_line(FILE *f, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    int c;
    bool any = false, over = false;
    /* unlocked: a loader owns its FILE, and the locked getc() was half of
     * the cost of reading the lexicons and the taxonomy */
    while ((c = getc_unlocked(f)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = (char)c;
        else
            over = true;
    }
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    *len = n;
    if (ferror(f))
        return TEMA_ERR_IO;
    if (!any)
        return TEMA_DONE;
    return over ? TEMA_ERR_LIMIT : TEMA_OK;
}

tema_status tema__grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return TEMA_OK;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return TEMA_ERR_NOMEM;
        c *= 2;
    }
    if (c > SIZE_MAX / size)
        return TEMA_ERR_NOMEM;
    void *q = realloc(*p, c * size);
    if (!q)
        return TEMA_ERR_NOMEM;
    *p = q;
    *cap = c;
    return TEMA_OK;
}
