/*
 * jsonout.h: a small streaming JSON writer for the CLI's --format json:
 * it tracks nesting to place commas, escapes strings, and writes
 * non-finite numbers as null.  No tree is built, so output streams.
 */
#ifndef TEMA_JSONOUT_H
#define TEMA_JSONOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONOUT_MAX_DEPTH 32

typedef struct jsonout {
    FILE *f;                             /* destination */
    int depth;                           /* open arrays and objects */
    unsigned char first[JSONOUT_MAX_DEPTH]; /* 1 until the level has a member */
    int after_key;                       /* a key was written; its value comes next */
} jsonout;

void jo_init(jsonout *j, FILE *f);
void jo_object(jsonout *j);
void jo_object_end(jsonout *j);
void jo_array(jsonout *j);
void jo_array_end(jsonout *j);
/* An object key; the next call writes its value. */
void jo_key(jsonout *j, const char *key);
/* A string of 'len' bytes (UTF-8 is passed through; controls escaped). */
void jo_strn(jsonout *j, const char *s, size_t len);
/* A NUL-terminated string, or null for NULL. */
void jo_str(jsonout *j, const char *s);
void jo_int(jsonout *j, int64_t v);
/* A number with up to 6 significant digits; NAN and infinities as null. */
void jo_num(jsonout *j, double v);
void jo_null(jsonout *j);
void jo_bool(jsonout *j, int v);

#endif
