/*
 * json.h: small JSON writers shared by the subcommands that print JSON
 * Lines (score, analyze, top).  Output is always valid JSON, whatever the
 * input bytes: strings are escaped and invalid UTF-8 becomes U+FFFD.
 *
 * The jb_* writers append to a caller's buffer that goes to the FILE in
 * large writes: `tema score` prints a line per comment, and stdio's per-call
 * locking and printf's format parsing cost more than the formatting itself.
 */
#ifndef TEMA_CLI_JSON_H
#define TEMA_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Longest result of json_format_fixed(), NUL included. */
#define JSON_NUMBER_MAX 64

typedef struct json_buf {
    FILE *out;  /* where full buffers go */
    char *mem;  /* the caller's storage */
    size_t len; /* bytes waiting in 'mem' */
    size_t cap; /* size of 'mem' */
} json_buf;

/* Starts an empty buffer over 'mem' ('cap' bytes, at least 16) for 'out'. */
void jb_init(json_buf *b, FILE *out, char *mem, size_t cap);
/* Writes the waiting bytes to the FILE; false when the write failed. */
bool jb_flush(json_buf *b);
/* Appends 'n' bytes (large ones go straight to the FILE). */
void jb_write_slow(json_buf *b, const void *s, size_t n);

static inline void jb_write(json_buf *b, const void *s, size_t n)
{
    if (n <= b->cap - b->len) {
        memcpy(b->mem + b->len, s, n);
        b->len += n;
    } else {
        jb_write_slow(b, s, n);
    }
}

static inline void jb_putc(json_buf *b, char c)
{
    if (b->len == b->cap)
        jb_flush(b);
    b->mem[b->len++] = c;
}

/* A string literal, its length known at compile time. */
#define JB_LIT(b, lit) jb_write((b), (lit), sizeof(lit) - 1)

/* Writes 'x' rounded to 'decimals' (0-6) places into 'buf' (JSON_NUMBER_MAX
 * bytes), exactly as printf("%.*f") would under the C locale (the exact
 * binary value rounded, ties to even), then drops trailing zeros and the
 * point, and never writes "-0" (NaN and infinities become "0").  Returns
 * the length; 'buf' is NUL-terminated. */
size_t json_format_fixed(char *buf, double x, int decimals);

/* Appends 'len' bytes of 's' as a quoted JSON string. */
void jb_json_string(json_buf *b, const char *s, size_t len);
/* Appends 'v' in decimal: the general case of jb_uint(). */
void jb_uint_slow(json_buf *b, uint64_t v);
/* Appends 'x' as json_number() writes it. */
void jb_json_number(json_buf *b, double x, int decimals);

/* The decimal digits of 0-999, left-aligned, with their count in the last
 * byte: one 4-byte copy writes a span offset (`tema score` writes two per
 * theme mention). */
extern const char jb_small_uint[1000][4];

/* Appends 'v' in decimal. */
static inline void jb_uint(json_buf *b, uint64_t v)
{
    if (v < 1000 && b->cap - b->len >= 4) {
        /* the count byte lands in the free room and is overwritten later */
        memcpy(b->mem + b->len, jb_small_uint[v], 4);
        b->len += (unsigned char)jb_small_uint[v][3];
        return;
    }
    jb_uint_slow(b, v);
}

/* The text of u / 100 for u = 0-100 as json_format_fixed() writes it ("0",
 * "0.01", ..., "0.5", ..., "1"), with its length in the last byte. */
extern const char jb_hundredths[101][8];

/* Writes 'x' as json_format_fixed(o, x, 2) does, into 'o' (JSON_NUMBER_MAX
 * bytes of room; no NUL), and returns the length.  Sentiments (|x| <= 1)
 * take the inline path: the same rounding as json_format_fixed() (the
 * fraction of the rounded product decides), then the digits from
 * jb_hundredths.  The rare exact half, which needs the product's rounding
 * error, and |x| > 1, NaN and infinities are left to it. */
static inline size_t json_fixed2(char *o, double x)
{
    double ax = x < 0 ? -x : x;
    if (ax <= 1) {
        double p = ax * 100; /* at most 100, so u is too */
        unsigned u = (unsigned)p; /* p >= 0: truncation is floor */
        double frac = p - (double)u; /* exact, as in json_format_fixed() */
        if (frac != 0.5) {
            u += frac > 0.5;
            size_t neg = u != 0 && x < 0; /* never "-0" */
            o[0] = '-';
            memcpy(o + neg, jb_hundredths[u], 8);
            return neg + (unsigned char)jb_hundredths[u][7];
        }
    }
    return json_format_fixed(o, x, 2);
}

/* Appends 'x' as jb_json_number(b, x, 2) does, by json_fixed2(). */
static inline void jb_json_number2(json_buf *b, double x)
{
    if (b->cap - b->len >= JSON_NUMBER_MAX)
        b->len += json_fixed2(b->mem + b->len, x);
    else
        jb_json_number(b, x, 2);
}

/* Appends 'len' bytes of 's' as tsv_field() writes them. */
void jb_tsv_field(json_buf *b, const char *s, size_t len);

/* Writes 'len' bytes of 's' as a quoted JSON string. */
void json_string(FILE *out, const char *s, size_t len);
/* Writes a NUL-terminated string as a quoted JSON string. */
void json_cstring(FILE *out, const char *s);
/* Writes 'x' rounded to 'decimals' (0-6) places, without trailing zeros
 * and never as "-0" (JSON has no NaN or infinity: those print as 0). */
void json_number(FILE *out, double x, int decimals);
/* Writes 'len' bytes of 's' for a TSV field: TAB, CR and LF become spaces,
 * invalid UTF-8 becomes U+FFFD. */
void tsv_field(FILE *out, const char *s, size_t len);

#endif
