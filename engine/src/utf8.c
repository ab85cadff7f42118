/*
 * utf8.c: the public UTF-8 validation and repair functions.  The decoder
 * itself is inline in utf8.h because the tokenizer calls it per code point.
 */
#include "utf8.h"

#include "common.h"

size_t tema_utf8_invalid_count(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = 0, i = 0, adv;
    int bad;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        tema__utf8_decode(p + i, len - i, &adv, &bad);
        n += (size_t)bad;
        i += adv;
    }
    return n;
}

tema_status tema_utf8_repair(const char *text, size_t len, char *out, size_t cap,
                             size_t *out_len, size_t *replaced)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0, o = 0, n = 0, adv;
    int bad;
    while (i < len) {
        int32_t cp = tema__utf8_decode(p + i, len - i, &adv, &bad);
        char tmp[4];
        size_t k = bad ? tema__utf8_encode(TEMA__REPLACEMENT, tmp) : adv;
        const char *src = bad ? tmp : text + i;
        (void)cp;
        if (o + k <= cap)
            memcpy(out + o, src, k);
        o += k;
        n += (size_t)bad;
        i += adv;
    }
    if (out_len)
        *out_len = o;
    if (replaced)
        *replaced = n;
    return o <= cap ? TEMA_OK : TEMA_ERR_LIMIT;
}
