/*
 * json.c: JSON and TSV field writers for the CLI.  UTF-8 is validated here
 * (overlong forms, surrogates and code points above U+10FFFF are invalid,
 * as in the library) so that one bad byte in a comment never produces a
 * line that JSON parsers reject.  Numbers are formatted here too, without
 * printf: json_format_fixed() rounds the exact binary value the way glibc's
 * printf does, so the output stays byte-identical to "%.*f".
 */
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at 'p', or 0 when it is invalid. */
static size_t utf8_valid(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; min = 0x80; cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; min = 0x800; cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; min = 0x10000; cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void jb_init(json_buf *b, FILE *out, char *mem, size_t cap)
{
    b->out = out;
    b->mem = mem;
    b->len = 0;
    b->cap = cap;
}

bool jb_flush(json_buf *b)
{
    size_t n = b->len;
    b->len = 0;
    return n == 0 || fwrite(b->mem, 1, n, b->out) == n;
}

void jb_write_slow(json_buf *b, const void *s, size_t n)
{
    jb_flush(b);
    if (n > b->cap) {
        fwrite(s, 1, n, b->out);
        return;
    }
    memcpy(b->mem, s, n);
    b->len = n;
}

void jb_json_string(json_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    jb_putc(b, '"');
    size_t i = 0;
    while (i < len) {
        /* the common case: a run of bytes written as they are, in one call */
        size_t run = i;
        for (;;) {
            if (run >= len)
                break;
            unsigned char c = p[run];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                run++;
                continue;
            }
            size_t n = c >= 0x80 ? utf8_valid(p + run, len - run) : 0;
            if (!n)
                break;
            run += n;
        }
        if (run > i) {
            jb_write(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = p[i++];
        if (c == '"' || c == '\\') {
            jb_putc(b, '\\');
            jb_putc(b, (char)c);
        } else if (c < 0x20) {
            switch (c) {
            case '\n': JB_LIT(b, "\\n"); break;
            case '\t': JB_LIT(b, "\\t"); break;
            case '\r': JB_LIT(b, "\\r"); break;
            case '\b': JB_LIT(b, "\\b"); break;
            case '\f': JB_LIT(b, "\\f"); break;
            default: {
                static const char hex[] = "0123456789abcdef";
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                jb_write(b, u, sizeof u);
                break;
            }
            }
        } else {
            JB_LIT(b, "\xEF\xBF\xBD"); /* invalid UTF-8: one U+FFFD per byte */
        }
    }
    jb_putc(b, '"');
}

/* printf("%.*f") with the trailing zeros dropped: the slow path for numbers
 * too large for json_format_fixed()'s exact arithmetic. */
static size_t format_printf(char *buf, double x, int decimals)
{
    snprintf(buf, JSON_NUMBER_MAX, "%.*f", decimals, x);
    size_t n = strlen(buf);
    char *dot = strchr(buf, '.');
    if (dot) {
        while (buf + n > dot + 1 && buf[n - 1] == '0')
            buf[--n] = '\0';
        if (buf + n == dot + 1)
            buf[--n] = '\0';
    }
    if (strcmp(buf, "-0") == 0) {
        buf[0] = '0';
        buf[1] = '\0';
        n = 1;
    }
    return n;
}

size_t json_format_fixed(char *buf, double x, int decimals)
{
    static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    static const uint64_t iscale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (!isfinite(x))
        x = 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    double ax = fabs(x), s = scale[decimals];
    double p = ax * s;
    /* Doubles hold integers exactly up to 2^53; leave a margin below it. */
    if (!(p < 1e15))
        return format_printf(buf, x, decimals);
    /* The exact product is ax * s = p + err, where err = fma(ax, s, -p) is
     * exact too.  Away from a half, |err| <= ulp(p)/2 cannot carry the value
     * across one, so p's fraction decides; only when p lies exactly on a
     * half does err's sign (or, for an exact tie, evenness) decide. */
    uint64_t u = (uint64_t)p; /* p >= 0: truncation is floor */
    double frac = p - (double)u; /* exact: both are within the same binade or p < 1 */
    if (frac > 0.5) {
        u++;
    } else if (frac == 0.5) {
        double err = fma(ax, s, -p);
        if (err > 0 || (err == 0 && (u & 1)))
            u++;
    }
    char tmp[24];
    size_t t = 0, len = 0;
    if (u != 0 && x < 0)
        buf[len++] = '-';
    uint64_t ip = u / iscale[decimals], fp = u % iscale[decimals];
    if (ip < 10) {
        buf[len++] = (char)('0' + ip); /* sentiments and weights: one digit */
    } else {
        do {
            tmp[t++] = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
        while (t)
            buf[len++] = tmp[--t];
    }
    if (fp) {
        int digits = decimals;
        while (fp % 10 == 0) { /* trailing zeros are dropped */
            fp /= 10;
            digits--;
        }
        buf[len++] = '.';
        for (int k = digits - 1; k >= 0; k--) {
            buf[len + (size_t)k] = (char)('0' + fp % 10);
            fp /= 10;
        }
        len += (size_t)digits;
    }
    buf[len] = '\0';
    return len;
}

/* jb_small_uint's rows, built by the preprocessor: 0-9, 10-99, 100-999. */
#define U1(a) {a, 0, 0, 1}
#define U2(a, b) {a, b, 0, 2}
#define U3(a, b, c) {a, b, c, 3}
#define ONES1 U1('0'), U1('1'), U1('2'), U1('3'), U1('4'), U1('5'), U1('6'), U1('7'), U1('8'), U1('9')
#define ONES2(a) U2(a, '0'), U2(a, '1'), U2(a, '2'), U2(a, '3'), U2(a, '4'), U2(a, '5'), \
    U2(a, '6'), U2(a, '7'), U2(a, '8'), U2(a, '9')
#define ONES3(a, b) U3(a, b, '0'), U3(a, b, '1'), U3(a, b, '2'), U3(a, b, '3'), U3(a, b, '4'), \
    U3(a, b, '5'), U3(a, b, '6'), U3(a, b, '7'), U3(a, b, '8'), U3(a, b, '9')
#define TENS3(a) ONES3(a, '0'), ONES3(a, '1'), ONES3(a, '2'), ONES3(a, '3'), ONES3(a, '4'), \
    ONES3(a, '5'), ONES3(a, '6'), ONES3(a, '7'), ONES3(a, '8'), ONES3(a, '9')

const char jb_small_uint[1000][4] = {
    ONES1,
    ONES2('1'), ONES2('2'), ONES2('3'), ONES2('4'), ONES2('5'), ONES2('6'), ONES2('7'),
    ONES2('8'), ONES2('9'),
    TENS3('1'), TENS3('2'), TENS3('3'), TENS3('4'), TENS3('5'), TENS3('6'), TENS3('7'),
    TENS3('8'), TENS3('9'),
};

#undef U1
#undef U2
#undef U3
#undef ONES1
#undef ONES2
#undef ONES3
#undef TENS3

/* jb_hundredths' rows: "0.tu" without its trailing zeros, then "1". */
#define H(t, u) {'0', (t) == '0' && (u) == '0' ? 0 : '.', t, (u) == '0' ? 0 : (u), 0, 0, 0, \
                 (u) != '0' ? 4 : (t) != '0' ? 3 : 1}
#define HROW(t) H(t, '0'), H(t, '1'), H(t, '2'), H(t, '3'), H(t, '4'), H(t, '5'), H(t, '6'), \
    H(t, '7'), H(t, '8'), H(t, '9')

const char jb_hundredths[101][8] = {
    HROW('0'), HROW('1'), HROW('2'), HROW('3'), HROW('4'),
    HROW('5'), HROW('6'), HROW('7'), HROW('8'), HROW('9'),
    {'1', 0, 0, 0, 0, 0, 0, 1},
};

#undef H
#undef HROW

void jb_uint_slow(json_buf *b, uint64_t v)
{
    if (b->cap - b->len >= 20) {
        /* room for any value: the digits go straight into the buffer */
        size_t n = 1;
        for (uint64_t r = v; r >= 10; r /= 10)
            n++;
        char *o = b->mem + b->len;
        b->len += n;
        do {
            o[--n] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        return;
    }
    char tmp[20];
    size_t t = sizeof tmp;
    do {
        tmp[--t] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    jb_write(b, tmp + t, sizeof tmp - t);
}

void jb_json_number(json_buf *b, double x, int decimals)
{
    if (b->cap - b->len >= JSON_NUMBER_MAX) {
        /* formatted in place (its NUL lands in the free room) */
        b->len += json_format_fixed(b->mem + b->len, x, decimals);
        return;
    }
    char buf[JSON_NUMBER_MAX];
    jb_write(b, buf, json_format_fixed(buf, x, decimals));
}

void jb_tsv_field(json_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == '\t' || c == '\n' || c == '\r') {
            jb_putc(b, ' ');
            i++;
        } else if (c < 0x80) {
            jb_putc(b, (char)c);
            i++;
        } else {
            size_t n = utf8_valid(p + i, len - i);
            if (n) {
                jb_write(b, p + i, n);
                i += n;
            } else {
                JB_LIT(b, "\xEF\xBF\xBD");
                i++;
            }
        }
    }
}

/* The FILE writers: the buffered ones over a small stack buffer. */

void json_string(FILE *out, const char *s, size_t len)
{
    char mem[512];
    json_buf b;
    jb_init(&b, out, mem, sizeof mem);
    jb_json_string(&b, s, len);
    jb_flush(&b);
}

void json_cstring(FILE *out, const char *s)
{
    json_string(out, s ? s : "", s ? strlen(s) : 0);
}

void json_number(FILE *out, double x, int decimals)
{
    char buf[JSON_NUMBER_MAX];
    fwrite(buf, 1, json_format_fixed(buf, x, decimals), out);
}

void tsv_field(FILE *out, const char *s, size_t len)
{
    char mem[512];
    json_buf b;
    jb_init(&b, out, mem, sizeof mem);
    jb_tsv_field(&b, s, len);
    jb_flush(&b);
}
