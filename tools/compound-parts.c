/*
 * compound-parts.c: derives the compound-splitting word lists for sv, da and
 * no from a Debian hunspell dictionary at build time (see docs/themes.md).
 * The lists are generated rather than committed so the dictionaries' own
 * licences stay with the packages and a dictionary update needs no edit.
 *
 *   compound-parts LANG DIC ENCODING OUT
 *
 * ENCODING is the .aff file's SET value (UTF-8 or ISO8859-1).  OUT gets the
 * lower-case headwords (base forms), normalised, sorted in byte order and
 * de-duplicated, one per line.  Names, abbreviations and entries with
 * digits or punctuation are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tema.h"

typedef struct strvec {
    char **v;    /* NUL-terminated strings */
    size_t n;    /* in use */
    size_t cap;  /* allocated */
} strvec;

static int push(strvec *s, const char *p, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c)
        return -1;
    memcpy(c, p, len);
    c[len] = '\0';
    s->v[s->n++] = c;
    return 0;
}

/* Byte order, the order the engine's binary search expects. */
static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void write_sorted(FILE *out, strvec *s)
{
    qsort(s->v, s->n, sizeof *s->v, cmp);
    for (size_t i = 0; i < s->n; i++)
        if (i == 0 || strcmp(s->v[i], s->v[i - 1]) != 0)
            fprintf(out, "%s\n", s->v[i]);
}

/* Latin-1 to UTF-8 (nb_NO.dic is ISO-8859-1). */
static size_t latin1_to_utf8(const char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    return o;
}

/* Headwords that are names (capitalised), abbreviations or contain digits
 * or punctuation would only produce false splits. */
static int usable(const char *w, size_t len)
{
    if (len < 3)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c < 0x80 && !(c >= 'a' && c <= 'z'))
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: compound-parts LANG DIC ENCODING OUT\n");
        return 2;
    }
    tema_lang lang;
    if (tema_lang_parse(argv[1], strlen(argv[1]), &lang) != TEMA_OK || lang == TEMA_LANG_UND) {
        fprintf(stderr, "compound-parts: unknown language %s\n", argv[1]);
        return 2;
    }
    int latin1 = strcmp(argv[3], "UTF-8") != 0;
    FILE *in = fopen(argv[2], "rb");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    strvec words = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    char conv[1024], norm[4096];
    int first = 1;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (first) { /* the entry count */
            first = 0;
            continue;
        }
        size_t len = strcspn(line, "/\t\r\n");
        if (len == 0 || len > 300)
            continue;
        const char *w = line;
        if (latin1) {
            len = latin1_to_utf8(line, len, conv);
            w = conv;
        }
        size_t nlen;
        if (tema_normalize(w, len, norm, sizeof norm, &nlen, 0) != TEMA_OK)
            continue;
        /* Skip capitalised entries: names make false parts ("anders"). */
        if ((unsigned char)w[0] < 0x80 && !(w[0] >= 'a' && w[0] <= 'z'))
            continue;
        if (!usable(norm, nlen))
            continue;
        if (push(&words, norm, nlen)) {
            fprintf(stderr, "compound-parts: out of memory\n");
            return 1;
        }
    }
    free(line);
    fclose(in);
    FILE *out = fopen(argv[4], "wb");
    if (!out) {
        perror(argv[4]);
        return 1;
    }
    fprintf(out, "# compound parts for %s, generated from %s by tools/compound-parts\n", argv[1],
            argv[2]);
    write_sorted(out, &words);
    if (fclose(out) != 0) {
        perror(argv[4]);
        return 1;
    }
    for (size_t i = 0; i < words.n; i++)
        free(words.v[i]);
    free(words.v);
    return 0;
}
