/*
 * normalize.c: Unicode NFKC with full case folding, through utf8proc, plus
 * a table-driven fast path for U+0000..U+024F.
 *
 * The fast path is exact, not an approximation: its table holds what
 * utf8proc itself returns for each of those code points, and a run of such
 * code points normalises to the concatenation of their tables because none
 * of them is a combining mark and none composes with a following starter.
 * A combining mark (>= U+0300) anywhere in the text sends the whole text
 * down the utf8proc path, where composition can happen (a + U+030A -> å).
 * tests/unit/test_normalize.c checks both paths against utf8proc_map().
 */
#include "normalize.h"

#include <pthread.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "utf8.h"

#define NORM_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)

typedef struct fold_entry {
    unsigned char len;     /* bytes in 'bytes' */
    char bytes[15];        /* normalised UTF-8 */
} fold_entry;

static fold_entry fold_table[TEMA__FAST_MAX + 1];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void build_fold_table(void)
{
    for (int32_t cp = 0; cp <= TEMA__FAST_MAX; cp++) {
        char in[4];
        size_t n = tema__utf8_encode(cp, in);
        utf8proc_uint8_t *out = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n, &out,
                                          NORM_OPTIONS);
        fold_entry *e = &fold_table[cp];
        if (m >= 0 && (size_t)m <= sizeof e->bytes) {
            memcpy(e->bytes, out, (size_t)m);
            e->len = (unsigned char)m;
        } else {  /* cannot happen for these code points; keep the input */
            memcpy(e->bytes, in, n);
            e->len = (unsigned char)n;
        }
        free(out);
    }
}

const char *tema__fast_fold(int32_t cp, size_t *len)
{
    pthread_once(&fold_once, build_fold_table);
    *len = fold_table[cp].len;
    return fold_table[cp].bytes;
}

void tema__norm_scratch_free(tema__norm_scratch *s)
{
    free(s->cp);
    s->cp = NULL;
    s->cap = 0;
    tema__buf_free(&s->repaired);
}

static tema_status scratch_reserve(tema__norm_scratch *s, size_t need)
{
    if (need <= s->cap)
        return TEMA_OK;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap *= 2;
    int32_t *p = realloc(s->cp, cap * sizeof *p);
    if (!p)
        return TEMA_ERR_NOMEM;
    s->cp = p;
    s->cap = cap;
    return TEMA_OK;
}

/* The utf8proc path: repair invalid UTF-8 (utf8proc rejects it), then let
 * utf8proc decompose (compatibility + case fold) and canonically order into
 * the scratch array, compose, and encode. */
static tema_status full_path(tema__buf *out, tema__norm_scratch *s, const unsigned char *p,
                             size_t len, size_t *repairs)
{
    s->repaired.len = 0;
    if (tema__buf_reserve(&s->repaired, len * 3 + 1) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    size_t rlen = 0, nrep = 0;
    tema_utf8_repair((const char *)p, len, s->repaired.p, s->repaired.cap, &rlen, &nrep);
    if (repairs)
        *repairs += nrep;
    for (;;) {
        utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)s->repaired.p,
                                                (utf8proc_ssize_t)rlen, s->cp,
                                                (utf8proc_ssize_t)s->cap, NORM_OPTIONS);
        if (k < 0)
            return TEMA_ERR_UTF8;
        if ((size_t)k <= s->cap) {
            utf8proc_ssize_t m = utf8proc_normalize_utf32(s->cp, k, NORM_OPTIONS);
            if (m < 0)
                return TEMA_ERR_UTF8;
            if (tema__buf_reserve(out, (size_t)m * 4) != TEMA_OK)
                return TEMA_ERR_NOMEM;
            for (utf8proc_ssize_t j = 0; j < m; j++)
                out->len += tema__utf8_encode(s->cp[j], out->p + out->len);
            return TEMA_OK;
        }
        if (scratch_reserve(s, (size_t)k) != TEMA_OK)
            return TEMA_ERR_NOMEM;
    }
}

tema_status tema__normalize_append(tema__buf *out, tema__norm_scratch *s, const char *text,
                                   size_t len, unsigned flags, size_t *repairs)
{
    const unsigned char *p = (const unsigned char *)text;
    if (!(flags & TEMA_NORM_FULL)) {
        /* Fast path when every code point is <= U+024F. */
        size_t i = 0, adv;
        int bad = 0;
        while (i < len) {
            if (p[i] < 0x80) {
                i++;
                continue;
            }
            int32_t cp = tema__utf8_decode(p + i, len - i, &adv, &bad);
            if (bad || cp > TEMA__FAST_MAX)
                break;
            i += adv;
        }
        if (i == len) {
            size_t start = out->len;
            if (tema__buf_reserve(out, len * 2) != TEMA_OK)
                return TEMA_ERR_NOMEM;
            for (i = 0; i < len;) {
                if (p[i] < 0x80) {
                    unsigned char c = p[i++];
                    out->p[out->len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                    continue;
                }
                int32_t cp = tema__utf8_decode(p + i, len - i, &adv, &bad);
                i += adv;
                size_t k;
                const char *f = tema__fast_fold(cp, &k);
                if (out->len + k > out->cap) {
                    if (tema__buf_reserve(out, k + (len - i) * 2) != TEMA_OK) {
                        out->len = start;
                        return TEMA_ERR_NOMEM;
                    }
                }
                memcpy(out->p + out->len, f, k);
                out->len += k;
            }
            return TEMA_OK;
        }
    }
    return full_path(out, s, p, len, repairs);
}

tema_status tema_normalize(const char *text, size_t len, char *out, size_t cap, size_t *out_len,
                           unsigned flags)
{
    tema__buf b = {0};
    tema__norm_scratch s = {0};
    if (!text && len)
        return TEMA_ERR_MISUSE;
    tema_status st = tema__normalize_append(&b, &s, text ? text : "", len, flags, NULL);
    tema__norm_scratch_free(&s);
    if (st != TEMA_OK) {
        tema__buf_free(&b);
        return st;
    }
    if (out_len)
        *out_len = b.len;
    if (b.len > cap) {
        tema__buf_free(&b);
        return TEMA_ERR_LIMIT;
    }
    if (b.len)
        memcpy(out, b.p, b.len);
    tema__buf_free(&b);
    return TEMA_OK;
}
