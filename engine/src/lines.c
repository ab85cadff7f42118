/*
 * lines.c: text read one line at a time through the input layer, for
 * callers whose input is one comment per line (the `tema score`, `lang`,
 * `tokens`, `stem` and `themes --coverage` commands).  The bytes come from
 * input.c, so gzip, byte order marks and the encodings work exactly as for
 * tema_reader_*; lines are then cut with memchr in one buffer and handed
 * out in place, without a copy or an allocation per line.  The buffer
 * grows only for a line longer than it (so memory is about twice the
 * longest line, never the file).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "input.h"
#include "tema.h"

#define LINES_CHUNK (64u * 1024u) /* the buffer to start with */
#define LINES_MIN_READ 4096u      /* room asked of the input layer per read (at least 4) */

struct tema_lines {
    tema__input *in;   /* the byte source; NULL when opening failed */
    char *buf;         /* lines as read, UTF-8 */
    size_t cap;        /* bytes allocated in 'buf' */
    size_t pos;        /* start of the next line in 'buf' */
    size_t len;        /* bytes of 'buf' in use */
    size_t scan;       /* no LF in buf[pos, scan): where the next search starts */
    int eof;           /* the input layer reported the end */
    tema_status fail;  /* sticky error, TEMA_OK if none */
    char name[256];    /* the path for messages, "<stdin>" for standard input */
    char errmsg[768];  /* the last failure ("" if none) */
};

/* Records a fatal error with its message, prefixed by the input's name. */
static tema_status lines_fail(tema_lines *l, tema_status st, const char *msg)
{
    tema__setmsg(l->errmsg, sizeof l->errmsg, "%s: %s", l->name, msg);
    return l->fail = st;
}

/* Makes room and reads more bytes after 'len'; sets 'eof' when none came. */
static tema_status lines_fill(tema_lines *l)
{
    if (l->pos > 0) {
        /* The start of the next line moves to the front; most refills move
         * less than one line. */
        memmove(l->buf, l->buf + l->pos, l->len - l->pos);
        l->len -= l->pos;
        l->scan -= l->pos;
        l->pos = 0;
    }
    /* One byte stays free for the NUL after a last line without LF. */
    if (l->cap - l->len < LINES_MIN_READ + 1 || l->len > l->cap / 2) {
        if (l->cap > SIZE_MAX / 2)
            return lines_fail(l, TEMA_ERR_NOMEM, "out of memory");
        char *p = realloc(l->buf, 2 * l->cap);
        if (!p)
            return lines_fail(l, TEMA_ERR_NOMEM, "out of memory");
        l->buf = p;
        l->cap *= 2;
    }
    char msg[512];
    size_t n;
    tema_status st = tema__input_read(l->in, l->buf + l->len, l->cap - l->len - 1, &n, msg,
                                      sizeof msg);
    if (st != TEMA_OK)
        return lines_fail(l, st, msg);
    if (!n)
        l->eof = 1;
    l->len += n;
    return TEMA_OK;
}

tema_status tema_lines_open(const char *path, tema_encoding encoding, tema_lines **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    if (!path || (unsigned)encoding > TEMA_ENC_UTF16)
        return TEMA_ERR_MISUSE;
    tema_lines *l = calloc(1, sizeof *l);
    if (!l)
        return TEMA_ERR_NOMEM;
    *out = l;
    snprintf(l->name, sizeof l->name, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    if (!(l->buf = malloc(LINES_CHUNK))) {
        l->fail = TEMA_ERR_NOMEM;
        return lines_fail(l, TEMA_ERR_NOMEM, "out of memory");
    }
    l->cap = LINES_CHUNK;
    char msg[512];
    tema_status st = tema__input_open_text(path, encoding, &l->in, msg, sizeof msg);
    if (st != TEMA_OK)
        return lines_fail(l, st, msg);
    /* The first read looks at the byte order mark, so a contradicting
     * --encoding fails here and tema_lines_encoding() is settled. */
    return lines_fill(l);
}

tema_status tema_lines_next(tema_lines *l, const char **line, size_t *len)
{
    if (!l || !line || !len)
        return TEMA_ERR_MISUSE;
    *line = "";
    *len = 0;
    if (l->fail != TEMA_OK)
        return l->fail;
    for (;;) {
        char *start = l->buf + l->pos;
        char *nl = memchr(l->buf + l->scan, '\n', l->len - l->scan);
        size_t n;
        if (nl) {
            n = (size_t)(nl - start);
            l->pos += n + 1;
        } else if (l->eof) {
            if (l->pos == l->len)
                return TEMA_DONE;
            n = l->len - l->pos; /* the last line, without a line break */
            l->pos = l->len;
        } else {
            l->scan = l->len;
            tema_status st = lines_fill(l);
            if (st != TEMA_OK)
                return st;
            continue;
        }
        l->scan = l->pos;
        /* CRLF ends a line as LF does; a CR at the very end of the input
         * is dropped too, as the commands always did (docs/input.md). */
        if (n > 0 && start[n - 1] == '\r')
            n--;
        start[n] = '\0';
        *line = start;
        *len = n;
        return TEMA_OK;
    }
}

const char *tema_lines_errmsg(const tema_lines *l)
{
    return l ? l->errmsg : "";
}

tema_encoding tema_lines_encoding(const tema_lines *l)
{
    return l ? tema__input_encoding(l->in) : TEMA_ENC_UTF8;
}

void tema_lines_close(tema_lines *l)
{
    if (!l)
        return;
    tema__input_close(l->in);
    free(l->buf);
    free(l);
}
