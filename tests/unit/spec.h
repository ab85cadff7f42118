/*
 * spec.h: reads the plain-text case files in tests/spec/.  A case is
 *
 *     === name
 *     input line (escapes: \n \r \t \\ \xHH \u{HHHH})
 *     ---
 *     expected line
 *     ...
 *
 * ending at a blank line or the next "===".  Lines starting with '#'
 * outside a case are comments.  Header-only helpers for the unit tests.
 */
#ifndef TEMA_TEST_SPEC_H
#define TEMA_TEST_SPEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec_case {
    char name[256];        /* after "=== " */
    int line;              /* line of the "===" in the file */
    char input[8192];      /* unescaped input */
    size_t input_len;      /* bytes in input */
    char expect[128][512]; /* expected lines */
    int n_expect;          /* number of expected lines */
} spec_case;

static size_t spec_put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

static size_t spec_unescape(const char *in, char *out)
{
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        if (*p != '\\' || !p[1]) { out[o++] = *p; continue; }
        p++;
        if (*p == 'n') out[o++] = '\n';
        else if (*p == 't') out[o++] = '\t';
        else if (*p == 'r') out[o++] = '\r';
        else if (*p == '\\') out[o++] = '\\';
        else if (*p == 'x') { char h[3] = {p[1], p[2], 0}; out[o++] = (char)strtoul(h, NULL, 16); p += 2; }
        else if (*p == 'u' && p[1] == '{') {
            char *end; unsigned long cp = strtoul(p + 2, &end, 16);
            o += spec_put_utf8(out + o, cp); p = end;
        } else { out[o++] = '\\'; out[o++] = *p; }
    }
    out[o] = '\0';
    return o;
}

/* Reads the next case; returns 0 at end of file. */
static int spec_next(FILE *f, spec_case *c, int *lineno)
{
    char buf[8192];
    int state = 0; /* 0 seeking, 1 input, 2 expect */
    memset(c, 0, sizeof *c);
    long pos = ftell(f);
    while (fgets(buf, sizeof buf, f)) {
        size_t n = strlen(buf);
        while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
        (*lineno)++;
        if (strncmp(buf, "=== ", 4) == 0) {
            if (state == 2) { fseek(f, pos, SEEK_SET); (*lineno)--; return 1; }
            snprintf(c->name, sizeof c->name, "%s", buf + 4);
            c->line = *lineno;
            state = 1;
        } else if (state == 1) {
            if (strcmp(buf, "---") == 0) state = 2;
            else c->input_len = spec_unescape(buf, c->input);
        } else if (state == 2) {
            if (n == 0) return 1;
            if (c->n_expect < 128) snprintf(c->expect[c->n_expect++], 512, "%s", buf);
        }
        pos = ftell(f);
    }
    return state == 2;
}

/* Opens tests/spec/NAME relative to $TEMA_DATA or the current folder. */
static FILE *spec_open(const char *name)
{
    char path[4096];
    const char *root = getenv("TEMA_DATA");
    snprintf(path, sizeof path, "%s/tests/spec/%s", root && *root ? root : ".", name);
    FILE *f = fopen(path, "r");
    if (!f) fprintf(stderr, "cannot open %s\n", path);
    return f;
}

#endif
