/*
 * json.c: JSON and TSV field writers for the CLI.  UTF-8 is validated here
 * (overlong forms, surrogates and code points above U+10FFFF are invalid,
 * as in the library) so that one bad byte in a comment never produces a
 * line that JSON parsers reject.
 */
#include "json.h"

#include <math.h>
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

void json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
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
            fwrite(p + i, 1, run - i, out);
            i = run;
            continue;
        }
        unsigned char c = p[i++];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c < 0x20) {
            switch (c) {
            case '\n': fputs("\\n", out); break;
            case '\t': fputs("\\t", out); break;
            case '\r': fputs("\\r", out); break;
            case '\b': fputs("\\b", out); break;
            case '\f': fputs("\\f", out); break;
            default: fprintf(out, "\\u%04x", c); break;
            }
        } else {
            fputs("\xEF\xBF\xBD", out); /* invalid UTF-8: one U+FFFD per byte */
        }
    }
    putc('"', out);
}

void json_cstring(FILE *out, const char *s)
{
    json_string(out, s ? s : "", s ? strlen(s) : 0);
}

void json_number(FILE *out, double x, int decimals)
{
    char buf[64];
    if (!isfinite(x))
        x = 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    snprintf(buf, sizeof buf, "%.*f", decimals, x);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    fputs(strcmp(buf, "-0") == 0 ? "0" : buf, out);
}

void tsv_field(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == '\t' || c == '\n' || c == '\r') {
            putc(' ', out);
            i++;
        } else if (c < 0x80) {
            putc(c, out);
            i++;
        } else {
            size_t n = utf8_valid(p + i, len - i);
            if (n) {
                fwrite(p + i, 1, n, out);
                i += n;
            } else {
                fputs("\xEF\xBF\xBD", out);
                i++;
            }
        }
    }
}
