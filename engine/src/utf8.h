/*
 * utf8.h: UTF-8 decoding with repair.  Invalid input never stops the
 * pipeline: each maximal invalid subpart decodes as one U+FFFD (the
 * practice Unicode recommends in chapter 3, "U+FFFD Substitution of Maximal
 * Subparts"), so byte offsets stay exact.
 */
#ifndef TEMA_UTF8_H
#define TEMA_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define TEMA__REPLACEMENT 0xFFFD

/* Decodes the code point at 'p' ('len' > 0 bytes available).  Sets '*adv' to
 * the bytes consumed and '*bad' to 1 when the sequence was invalid (the
 * result is then U+FFFD). */
static inline int32_t tema__utf8_decode(const unsigned char *p, size_t len, size_t *adv, int *bad)
{
    unsigned c = p[0];
    *bad = 0;
    if (c < 0x80) {
        *adv = 1;
        return (int32_t)c;
    }
    size_t need;
    uint32_t cp, min_second = 0x80, max_second = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0)
            min_second = 0xA0;  /* no overlongs */
        else if (c == 0xED)
            max_second = 0x9F;  /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0)
            min_second = 0x90;
        else if (c == 0xF4)
            max_second = 0x8F;  /* <= U+10FFFF */
    } else {
        *adv = 1;
        *bad = 1;
        return TEMA__REPLACEMENT;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= len) {
            *adv = i;
            *bad = 1;
            return TEMA__REPLACEMENT;
        }
        unsigned b = p[i];
        unsigned lo = i == 1 ? min_second : 0x80, hi = i == 1 ? max_second : 0xBF;
        if (b < lo || b > hi) {
            *adv = i;
            *bad = 1;
            return TEMA__REPLACEMENT;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    *adv = need + 1;
    return (int32_t)cp;
}

/* Encodes 'cp' into 'out' (4 bytes room); returns the byte count. */
static inline size_t tema__utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

#endif
