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

/* Appends 'len' bytes of 's' as a quoted JSON string. */
void jb_json_string(json_buf *b, const char *s, size_t len);
/* Appends 'v' in decimal. */
void jb_uint(json_buf *b, uint64_t v);
/* Appends 'x' as json_number() writes it. */
void jb_json_number(json_buf *b, double x, int decimals);
/* Appends 'len' bytes of 's' as tsv_field() writes them. */
void jb_tsv_field(json_buf *b, const char *s, size_t len);

/* Writes 'x' rounded to 'decimals' (0-6) places into 'buf' (JSON_NUMBER_MAX
 * bytes), exactly as printf("%.*f") would under the C locale (the exact
 * binary value rounded, ties to even), then drops trailing zeros and the
 * point, and never writes "-0" (NaN and infinities become "0").  Returns
 * the length; 'buf' is NUL-terminated. */
size_t json_format_fixed(char *buf, double x, int decimals);

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
