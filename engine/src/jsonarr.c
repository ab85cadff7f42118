/*
 * jsonarr.c: JSON documents as API exports write them: one array of record
 * objects, or an object that wraps it ({"responses": [...], "page": 2}), or
 * no array at all but pretty-printed objects one after another, as `jq
 * '.[]'` and some export tools print them.  A lone object with an array of
 * objects among its members may also be one record (is_record()).
 * The document is never held whole: a bracket scanner finds where each
 * element ends, streaming through the window, and only the element at hand
 * is parsed (jsonl.c).  Members before and after the records array are
 * skipped the same way.  The scanner understands strings and brackets and
 * nothing else, so it can resynchronise after a broken element.
 */
#include "reader.h"

#include <stdio.h>

/* Where the scan of the records array is. */
enum { TEMA__JA_OPEN, TEMA__JA_ELEM, TEMA__JA_COMMA, TEMA__JA_END };

/* Bracket scanner state, resumable across window fills. */
typedef struct jscan {
    int started;   /* the first byte of the value was seen */
    int scalar;    /* the value is a number, literal or garbage: ends at , ] } or space */
    int instr;     /* inside a string */
    int esc;       /* the previous string byte was a backslash */
    int depth;     /* open brackets */
    uint64_t objs; /* bit d: bracket d (0-based, the first 64) is '{' */
} jscan;

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Feeds the value bytes [p, e) to 'sc'; returns the bytes used and sets
 * '*done' when the value ended within them.  A closing bracket of the wrong
 * kind closes the innermost bracket of its kind (a lost ']' does not swallow
 * the rest of the array); one that matches no open bracket ends the value
 * before it, so the array can take it. */
static size_t scan(jscan *sc, const unsigned char *p, const unsigned char *e, int *done)
{
    *done = 0;
    for (const unsigned char *q = p; q < e; q++) {
        if (sc->instr) {
            if (sc->esc) {
                sc->esc = 0;
                continue;
            }
            q = tema__scan(q, e, '"', '\\', '"');
            if (q == e)
                break;
            if (*q == '\\') {
                sc->esc = 1;
                continue;
            }
            sc->instr = 0;
            if (sc->depth == 0) {
                *done = 1;
                return (size_t)(q + 1 - p);
            }
            continue;
        }
        unsigned char c = *q;
        if (!sc->started) {
            sc->started = 1;
            sc->scalar = c != '{' && c != '[' && c != '"';
        }
        if (sc->scalar) {
            if (is_ws(c) || c == ',' || c == ']' || c == '}') {
                *done = 1;
                return (size_t)(q - p);
            }
            continue;
        }
        if (c == '"') {
            sc->instr = 1;
        } else if (c == '{' || c == '[') {
            if (sc->depth < 64) {
                if (c == '{')
                    sc->objs |= 1ull << sc->depth;
                else
                    sc->objs &= ~(1ull << sc->depth);
            }
            sc->depth++;
        } else if (c == '}' || c == ']') {
            if (sc->depth > 64) {
                sc->depth--;
            } else {
                uint64_t want = c == '}';
                int d = sc->depth - 1;
                while (d >= 0 && ((sc->objs >> d) & 1) != want)
                    d--;
                if (d < 0) {
                    *done = 1;
                    return (size_t)(q - p);
                }
                sc->depth = d;
            }
            if (sc->depth == 0) {
                *done = 1;
                return (size_t)(q + 1 - p);
            }
        }
    }
    return (size_t)(e - p);
}

const char *tema__json_value_end(const char *s, const char *e)
{
    jscan sc = {0};
    int done;
    size_t n = scan(&sc, (const unsigned char *)s, (const unsigned char *)e, &done);
    return done ? s + n : NULL;
}

/* Consumes window bytes up to offset 'to', counting the lines passed. */
static void advance(tema_reader *r, size_t to)
{
    const char *p = r->buf + r->pos, *e = r->buf + to;
    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        r->line++;
        p++;
        r->line_abs = r->base + (uint64_t)(p - r->buf);
    }
    r->pos = to;
}

static uint64_t col_here(const tema_reader *r)
{
    return r->base + r->pos - r->line_abs + 1;
}

static tema_status broken(tema_reader *r, uint64_t line, uint64_t col, const char *what)
{
    snprintf(r->errmsg, sizeof r->errmsg, "%s:%llu:%llu: %s", r->name, (unsigned long long)line,
             (unsigned long long)col, what);
    return r->fatal = TEMA_ERR_PARSE;
}

/* Skips white space (consumed) and sets '*c' to the next byte, -1 at the
 * end of the input. */
static tema_status peek(tema_reader *r, int *c)
{
    for (;;) {
        while (r->pos < r->end && is_ws((unsigned char)r->buf[r->pos]))
            advance(r, r->pos + 1);
        r->beg = r->pos;
        if (r->pos < r->end) {
            *c = (unsigned char)r->buf[r->pos];
            return TEMA_OK;
        }
        if (r->eof) {
            *c = -1;
            return TEMA_OK;
        }
        tema_status st = tema__reader_fill(r);
        if (st != TEMA_OK)
            return r->fatal = st;
    }
}

/* Consumes the value at r->pos, however long, keeping none of it. */
static tema_status skip_value(tema_reader *r, jscan *sc)
{
    uint64_t line = r->line, col = col_here(r);
    for (;;) {
        int done;
        r->beg = r->pos;
        size_t used = scan(sc, (const unsigned char *)r->buf + r->pos,
                           (const unsigned char *)r->buf + r->end, &done);
        advance(r, r->pos + used);
        if (done)
            return TEMA_OK;
        if (r->eof) {
            if (sc->scalar)
                return TEMA_OK;
            return broken(r, line, col, "the value that starts here is not closed at the end of "
                                        "the input (is the file cut off?)");
        }
        tema_status st = tema__reader_fill(r);
        if (st != TEMA_OK)
            return r->fatal = st;
    }
}

/* Scans the value at window offset *at without consuming it (r->beg stays
 * where the caller put it); '*at' ends past the value.  Returns 1 when the
 * value is complete, 0 when the input ended inside it or it outgrew the
 * limit ('*toolong'), or -1 on a fatal error. */
static int lookahead(tema_reader *r, size_t *at, size_t *start, int *toolong)
{
    jscan sc = {0};
    *toolong = 0;
    for (;;) {
        int done;
        *at += scan(&sc, (const unsigned char *)r->buf + *at, (const unsigned char *)r->buf + r->end,
                    &done);
        if (done)
            return 1;
        if (r->eof)
            return sc.scalar;
        if (r->end - r->beg >= r->o.max_record) {
            *toolong = 1;
            return 0;
        }
        size_t shift = r->beg;
        if (tema__reader_fill(r) != TEMA_OK)
            return -1;
        *at -= shift;
        *start -= shift;
    }
}

/* Reads the member name at r->pos (a string) into r->keybuf. */
static tema_status read_key(tema_reader *r)
{
    uint64_t line = r->line, col = col_here(r);
    size_t at = r->pos, start = r->pos;
    int toolong, k = lookahead(r, &at, &start, &toolong);
    if (k < 0)
        return r->fatal ? r->fatal : (r->fatal = TEMA_ERR_IO);
    if (!k || tema__json_key(r, r->buf + r->pos, r->buf + at, &r->keybuf) != TEMA_OK)
        return broken(r, line, col, "a member name is not a valid JSON string");
    advance(r, at);
    return TEMA_OK;
}

/* Names of an API response's bookkeeping members (paging, counts, status):
 * their text says nothing about what the object is. */
static const char *const meta_names[] = {
    "count", "total", "totalcount", "totalitems", "totalresults", "page", "pages", "pagecount",
    "perpage", "pagesize", "limit", "offset", "next", "nextpage", "nexturl", "nextcursor",
    "previous", "previouspage", "prev", "cursor", "hasmore", "links", "link", "meta",
    "metadata", "pagination", "paging", "status", "success", "ok", "error", "errors", "code",
    "took", "timedout", "type", "object", "url", "href", "self", "version", "requestid", NULL,
};

static int named(const unsigned char *k, size_t n, const char *const *list)
{
    char low[24];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '_' || k[i] == '-')
            continue;
        if (m == sizeof low - 1)
            return 0;
        low[m++] = (char)(k[i] >= 'A' && k[i] <= 'Z' ? k[i] + 32 : k[i]);
    }
    low[m] = '\0';
    for (; *list; list++)
        if (strcmp(low, *list) == 0)
            return 1;
    return 0;
}

/* Inside the object at r->pos ('{', consumed here), finds the member that
 * holds the records: the path 'path' ("data.items", by levels), or with no
 * path the first member whose value is an array starting with an object,
 * bookkeeping members (meta_names) passed over.
 * Leaves r->pos at the array's '['. */
static tema_status find_records(tema_reader *r, const char *path)
{
    char names[300] = "";
    size_t nnames = 0;
    int c;
    tema_status st;
    for (;;) { /* one object level per turn */
        uint64_t oline = r->line, ocol = col_here(r);
        advance(r, r->pos + 1);
        r->jnest++;
        const char *comp = path;
        size_t clen = path ? strcspn(path, ".") : 0;
        for (;;) {
            if ((st = peek(r, &c)) != TEMA_OK)
                return st;
            if (c == '}' || c == -1) {
                if (c == -1)
                    return broken(r, oline, ocol, "the object that starts here is not closed at "
                                                  "the end of the input");
                if (path) {
                    snprintf(r->rej_text, sizeof r->rej_text, "records '%s': no member '%.*s'",
                             r->o.records, (int)clen, comp);
                    return broken(r, oline, ocol, r->rej_text);
                }
                snprintf(r->rej_text, sizeof r->rej_text,
                         "no member of the top-level object is an array of objects%s%s%s; name "
                         "the member that holds the records (--records KEY)",
                         nnames ? " (members: " : "", names, nnames ? ")" : "");
                return broken(r, oline, ocol, r->rej_text);
            }
            if (c != '"')
                return broken(r, r->line, col_here(r), "expected a member name (a string)");
            if ((st = read_key(r)) != TEMA_OK)
                return st;
            if ((st = peek(r, &c)) != TEMA_OK)
                return st;
            if (c != ':')
                return broken(r, r->line, col_here(r), "expected ':' after a member name");
            advance(r, r->pos + 1);
            if ((st = peek(r, &c)) != TEMA_OK)
                return st;
            const char *key = r->keybuf.p ? r->keybuf.p : "";
            size_t klen = r->keybuf.len;
            if (nnames < 8 && strlen(names) + klen + 6 < sizeof names)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s'%.*s'",
                         nnames++ ? ", " : "", (int)klen, key);
            if (path && klen == clen && memcmp(key, comp, clen) == 0) {
                int last = path[clen] == '\0';
                if (c != (last ? '[' : '{')) {
                    snprintf(r->rej_text, sizeof r->rej_text, "records '%s': member '%.*s' is not %s",
                             r->o.records, (int)clen, comp, last ? "an array" : "an object");
                    return broken(r, r->line, col_here(r), r->rej_text);
                }
                if (last)
                    goto found;
                path += clen + 1;
                break; /* down one level */
            }
            /* A bookkeeping array ("links", "errors") is never the records:
             * Trustpilot-style responses put their links first. */
            if (!path && c == '[' && !named((const unsigned char *)key, klen, meta_names)) {
                size_t at = r->pos + 1;
                for (;;) { /* the first byte inside, without consuming */
                    while (at < r->end && is_ws((unsigned char)r->buf[at]))
                        at++;
                    if (at < r->end || r->eof || r->end - r->beg >= r->o.max_record)
                        break;
                    size_t shift = r->beg;
                    if ((st = tema__reader_fill(r)) != TEMA_OK)
                        return r->fatal = st;
                    at -= shift;
                }
                if (at < r->end && r->buf[at] == '{') {
                    snprintf(r->records, sizeof r->records, "%.*s", (int)klen, key);
                    goto found;
                }
            }
            jscan sc = {0};
            if ((st = skip_value(r, &sc)) != TEMA_OK)
                return st;
            if ((st = peek(r, &c)) != TEMA_OK)
                return st;
            if (c == ',') {
                advance(r, r->pos + 1);
                continue;
            }
            if (c != '}')
                return broken(r, r->line, col_here(r), "expected ',' or '}' after a member");
        }
    }
found:
    if (r->o.records)
        snprintf(r->records, sizeof r->records, "%s", r->o.records);
    return TEMA_OK;
}

/* ---- a record or a wrapper of records --------------------------------
 * An object with an array of objects among its members is usually an API
 * response wrapping the records ({"data": [...], "page": 2}), but it may
 * be one record that has such a member ({"id": 1, "comment": "Bra
 * service", "answers": [{"q": "nps", "v": 9}]}).  The rule, documented in
 * docs/input.md: the array's name first, then which side holds the free
 * text, then whether the object has members other than an API's
 * bookkeeping.  Names are compared ignoring ASCII case, '_' and '-'. */

/* Names of the member that holds the records in API responses. */
static const char *const list_names[] = {
    "data", "items", "results", "records", "responses", "rows", "entries", "elements", "hits",
    "reviews", "tickets", "submissions", "conversations", "value", "list", "comments", "feedback",
    NULL,
};

/* A string's raw bytes [p, e) (no quotes) read as free text: a letter, white
 * space, then another letter ("Bra service", not "ok", an id, a date or a
 * URL).  Non-ASCII bytes and \u escapes count as letters. */
static int free_text(const unsigned char *p, const unsigned char *e)
{
    int state = 0; /* 0: no letter yet; 1: after a letter; 2: after a letter and a space */
    for (; p < e; p++) {
        int letter, space;
        if (*p == '\\' && p + 1 < e) {
            p++;
            letter = *p == 'u';
            space = *p == 'n' || *p == 't' || *p == 'r';
            if (letter) {
                size_t k = (size_t)(e - p - 1);
                p += k < 4 ? k : 4;
            }
        } else {
            letter = *p >= 0x80 || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
            space = is_ws(*p);
        }
        if (letter && state == 2)
            return 1;
        if (letter)
            state = 1;
        else if (space && state == 1)
            state = 2;
    }
    return 0;
}

/* What walk() learns of an object. */
typedef struct shape {
    int text;                  /* strings of free text, nested objects included, arrays not */
    int plain;                 /* a top-level member that is neither bookkeeping nor an array */
    const unsigned char *arr;  /* the first top-level array of objects: its first '{' */
    const unsigned char *name; /* that member's raw name */
    size_t nlen;               /* its length */
} shape;

static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *e)
{
    while (p < e && is_ws(*p))
        p++;
    return p;
}

/* Walks the members of the object at 'p' ('{') within [p, e); returns the
 * end of the object, or NULL when it is not well formed.  Nested objects
 * are walked too, up to a few levels; bookkeeping members are passed
 * over. */
static const unsigned char *walk(const unsigned char *p, const unsigned char *e, int depth,
                                 shape *sh)
{
    for (p = skip_ws(p + 1, e); p < e && *p != '}';) {
        int done;
        jscan ks = {0};
        if (*p != '"')
            return NULL;
        size_t n = scan(&ks, p, e, &done);
        if (!done)
            return NULL;
        const unsigned char *k = p + 1;
        size_t klen = n - 2;
        p = skip_ws(p + n, e);
        if (p == e || *p != ':')
            return NULL;
        p = skip_ws(p + 1, e);
        if (p == e)
            return NULL;
        const unsigned char *v = p;
        int meta = named(k, klen, meta_names);
        if (*v == '{' && !meta && depth < 8) {
            if (!(p = walk(v, e, depth + 1, sh)))
                return NULL;
        } else {
            jscan vs = {0};
            p += scan(&vs, v, e, &done);
            if (!done)
                return NULL;
            if (*v == '"' && !meta && free_text(v + 1, p - 1))
                sh->text++;
            if (depth == 0 && *v == '[' && !sh->arr && !meta) {
                const unsigned char *q = skip_ws(v + 1, e);
                if (q < e && *q == '{') {
                    sh->arr = q;
                    sh->name = k;
                    sh->nlen = klen;
                }
            }
        }
        if (depth == 0 && !meta && *v != '[')
            sh->plain = 1;
        p = skip_ws(p, e);
        if (p < e && *p == ',')
            p = skip_ws(p + 1, e);
        else if (p == e || *p != '}')
            return NULL;
    }
    return p < e ? p + 1 : NULL;
}

/* 1 when the complete object [p, e) has a member that is an array of
 * objects and is nevertheless one record, not a wrapper of the records in
 * that member. */
static int is_record(const unsigned char *p, const unsigned char *e)
{
    shape obj = {0}, first = {0};
    if (!walk(p, e, 0, &obj) || !obj.arr || named(obj.name, obj.nlen, list_names) ||
        !walk(obj.arr, e, 0, &first))
        return 0;
    if (obj.text != first.text)
        return obj.text > first.text;
    return obj.plain;
}

/* 1 when the complete object [p, e) wraps records: it has a member that is
 * an array of objects and is not a record itself. */
static int wraps(const unsigned char *p, const unsigned char *e)
{
    shape obj = {0};
    return walk(p, e, 0, &obj) && obj.arr && !is_record(p, e);
}

/* A complete object at r->pos followed by another '{' is not an API
 * response but the first of a stream of records (jq prints arrays so);
 * one that is a record itself (is_record()) is a stream of one.  Reads
 * ahead without consuming.  An object longer than max_record cannot be a
 * record, and one that is not closed is left to find_records(), which
 * says where it starts. */
static tema_status sniff_stream(tema_reader *r, int *seq)
{
    *seq = 0;
    size_t at = r->pos, start = r->pos;
    int toolong, k = lookahead(r, &at, &start, &toolong);
    if (k < 0)
        return r->fatal ? r->fatal : (r->fatal = TEMA_ERR_IO);
    if (k == 0)
        return TEMA_OK;
    int record = is_record((const unsigned char *)r->buf + start, (const unsigned char *)r->buf + at);
    for (;;) {
        while (at < r->end && is_ws((unsigned char)r->buf[at]))
            at++;
        if (at < r->end) {
            *seq = r->buf[at] == '{' || record;
            return TEMA_OK;
        }
        if (r->eof || r->end - r->beg >= r->o.max_record) {
            *seq = record;
            return TEMA_OK;
        }
        size_t shift = r->beg;
        tema_status st = tema__reader_fill(r);
        if (st != TEMA_OK)
            return r->fatal = st;
        at -= shift;
    }
}

tema_status tema__json_sniff(tema_reader *r, int *doc)
{
    *doc = 0;
    size_t at = r->pos;
    while (at < r->end && is_ws((unsigned char)r->buf[at]))
        at++;
    if (at == r->end || r->buf[at] != '{')
        return TEMA_OK;
    /* The first line, filled in up to max_record (r->beg is 0: nothing moves). */
    char *nl;
    while (!(nl = memchr(r->buf + at, '\n', r->end - at)) && !r->eof) {
        if (r->end >= r->o.max_record) {
            *doc = 1; /* longer than any JSON Lines record may be */
            return TEMA_OK;
        }
        tema_status st = tema__reader_fill(r);
        if (st != TEMA_OK)
            return r->fatal = st;
    }
    size_t le = nl ? (size_t)(nl - r->buf) : r->end;
    jscan sc = {0};
    int done;
    size_t x = at + scan(&sc, (const unsigned char *)r->buf + at, (const unsigned char *)r->buf + le,
                         &done);
    if (!done) {
        /* Pretty-printed: the first line ends inside the object, after an
         * opening bracket, a comma or a colon ("{", "  \"items\": ["). */
        size_t k = le;
        while (k > at && is_ws((unsigned char)r->buf[k - 1]))
            k--;
        char last = r->buf[k - 1];
        *doc = last == '{' || last == '[' || last == ',' || last == ':';
        return TEMA_OK;
    }
    /* One complete object: a document only if nothing follows it, on its
     * line (objects one after another are JSON Lines) or after, and it
     * wraps records (a compact API response). */
    for (size_t k = x; k < le; k++)
        if (!is_ws((unsigned char)r->buf[k]))
            return TEMA_OK;
    for (size_t k = le; !r->eof || k < r->end;) {
        if (k < r->end) {
            if (!is_ws((unsigned char)r->buf[k]))
                return TEMA_OK;
            k++;
        } else if (r->end >= r->o.max_record) {
            return TEMA_OK;
        } else {
            tema_status st = tema__reader_fill(r);
            if (st != TEMA_OK)
                return r->fatal = st;
        }
    }
    *doc = wraps((const unsigned char *)r->buf + at, (const unsigned char *)r->buf + x);
    return TEMA_OK;
}

tema_status tema__json_header(tema_reader *r)
{
    int c;
    tema_status st = peek(r, &c);
    if (st != TEMA_OK)
        return st;
    if (c == -1) {
        snprintf(r->errmsg, sizeof r->errmsg, "%s: the input is empty", r->name);
        return r->fatal = TEMA_ERR_PARSE;
    }
    if (c == '{') {
        if (r->o.records && !*r->o.records)
            r->o.records = NULL;
        if (!r->o.records && (st = sniff_stream(r, &r->jseq)) != TEMA_OK)
            return st;
        if (!r->jseq && (st = find_records(r, r->o.records)) != TEMA_OK)
            return st;
    } else if (c == '[') {
        if (r->o.records && *r->o.records)
            return broken(r, r->line, col_here(r),
                          "the input is a JSON array, so there is no member to take the records "
                          "from (records option)");
    } else {
        return broken(r, r->line, col_here(r),
                      "a JSON document must start with '[' (an array of records) or '{'");
    }
    r->jline = r->line;
    r->jcol = col_here(r);
    if (!r->jseq)
        advance(r, r->pos + 1);
    r->beg = r->pos;
    r->jstate = TEMA__JA_OPEN;

    /* The header is the first valid object; nothing is consumed, so the
     * elements before it come back as rejected rows. */
    size_t at = r->pos;
    uint64_t line = r->line, labs = r->line_abs;
    int state = TEMA__JA_OPEN;
    char first[700] = "";
    for (;;) {
        while (at < r->end && is_ws((unsigned char)r->buf[at])) {
            if (r->buf[at] == '\n') {
                line++;
                labs = r->base + at + 1;
            }
            at++;
        }
        if (at == r->end) {
            if (r->eof && r->jseq) {
                snprintf(r->errmsg, sizeof r->errmsg,
                         "%s: no value of the stream of objects is a valid JSON object; first "
                         "error: %s",
                         r->name, first);
                return r->fatal = TEMA_ERR_PARSE;
            }
            if (r->eof)
                return broken(r, r->jline, r->jcol,
                              "the array that starts here is not closed at the end of the input "
                              "(is the file cut off?)");
            if (r->end - r->beg >= r->o.max_record)
                goto toolong;
            size_t shift = r->beg;
            if ((st = tema__reader_fill(r)) != TEMA_OK)
                return r->fatal = st;
            at -= shift;
            continue;
        }
        c = (unsigned char)r->buf[at];
        uint64_t col = r->base + at - labs + 1;
        if (r->jseq && (c == ']' || c == ',' || c == '}'))
            return broken(r, line, col, "expected '{' (the input is JSON objects one after another)");
        if (state == TEMA__JA_ELEM && !r->jseq) {
            if (c == ',') {
                at++;
                state = TEMA__JA_COMMA;
                continue;
            }
            if (c != ']')
                return broken(r, line, col, "expected ',' or ']' after an array element");
        }
        if (c == ']') {
            snprintf(r->errmsg, sizeof r->errmsg, "%s: no element of the array is a JSON object%s%s",
                     r->name, first[0] ? "; first error: " : " (the array is empty)", first);
            return r->fatal = TEMA_ERR_PARSE;
        }
        if (c == ',' || c == '}')
            return broken(r, line, col, "expected an array element");
        size_t start = at;
        int toolong, k = lookahead(r, &at, &start, &toolong);
        if (k < 0)
            return r->fatal ? r->fatal : (r->fatal = TEMA_ERR_IO);
        if (toolong)
            goto toolong;
        if (!k)
            return broken(r, line, col, "the array element that starts here is not closed at "
                                        "the end of the input (is the file cut off?)");
        int taken;
        r->rec_line = line;
        if ((st = tema__json_header_try(r, r->buf + start, r->buf + at, col - 1, 1, first,
                                        sizeof first, &taken)) != TEMA_OK)
            return r->fatal = st;
        if (taken)
            return TEMA_OK;
        for (const char *p = r->buf + start; (p = memchr(p, '\n', (size_t)(r->buf + at - p)));) {
            line++;
            labs = r->base + (uint64_t)(++p - r->buf);
        }
        state = TEMA__JA_ELEM;
    }
toolong:
    snprintf(r->errmsg, sizeof r->errmsg,
             "%s: no valid JSON object in the first %zu bytes of the %s (max_record)%s%s", r->name,
             r->o.max_record, r->jseq ? "input" : "array", first[0] ? "; first error: " : "", first);
    return r->fatal = TEMA_ERR_PARSE;
}

/* After the records array: the rest of the objects around it is skipped
 * (bracket balance only), then only white space may follow. */
static tema_status finish(tema_reader *r)
{
    r->jstate = TEMA__JA_END;
    tema_status st;
    if (r->jnest > 0) {
        jscan sc = {1, 0, 0, 0, r->jnest, ~0ull};
        if ((st = skip_value(r, &sc)) != TEMA_OK)
            return st;
    }
    int c;
    if ((st = peek(r, &c)) != TEMA_OK)
        return st;
    if (c != -1)
        return broken(r, r->line, col_here(r), "text after the end of the JSON document");
    return TEMA_DONE;
}

tema_status tema__json_record(tema_reader *r)
{
    tema_status st;
    int c;
    r->nf = 0;
    r->fbuf.len = 0;
    r->rej = TEMA_REJECT_NONE;
    r->skipping = 0;
    r->raw_len = 0;
    for (;;) {
        if (r->jstate == TEMA__JA_END)
            return TEMA_DONE;
        if ((st = peek(r, &c)) != TEMA_OK)
            return st;
        if (c == -1 && r->jseq) {
            r->jstate = TEMA__JA_END;
            return TEMA_DONE;
        }
        if (c == -1)
            return broken(r, r->jline, r->jcol,
                          "the array that starts here is not closed at the end of the input (is "
                          "the file cut off?)");
        if (r->jseq && (c == ']' || c == ',' || c == '}'))
            return broken(r, r->line, col_here(r),
                          "expected '{' (the input is JSON objects one after another)");
        if (r->jstate == TEMA__JA_ELEM && !r->jseq) {
            if (c == ',') {
                advance(r, r->pos + 1);
                r->jstate = TEMA__JA_COMMA;
                continue;
            }
            if (c != ']')
                return broken(r, r->line, col_here(r), "expected ',' or ']' after an array element");
        }
        if (c == ']') { /* also after a trailing comma, which loses nothing */
            advance(r, r->pos + 1);
            return finish(r);
        }
        if (c == ',' || c == '}')
            return broken(r, r->line, col_here(r), "expected an array element");
        break;
    }
    /* One element: r->beg stays at its start while it fits the limit. */
    r->rec_line = r->line;
    uint64_t col0 = col_here(r) - 1;
    jscan sc = {0};
    size_t at = r->pos;
    for (;;) {
        int done;
        at += scan(&sc, (const unsigned char *)r->buf + at, (const unsigned char *)r->buf + r->end,
                   &done);
        if (done || (r->eof && sc.scalar))
            break;
        if (r->eof)
            return broken(r, r->rec_line, col0 + 1,
                          "the array element that starts here is not closed at the end of the "
                          "input (is the file cut off?)");
        if (at - r->beg > r->o.max_record) {
            /* Too long to keep: its bytes stream past until it ends. */
            r->skipping = 1;
            advance(r, at);
            r->beg = r->pos;
        }
        size_t shift = r->beg;
        if ((st = tema__reader_fill(r)) != TEMA_OK)
            return st;
        at -= shift;
    }
    if (r->skipping) {
        advance(r, at);
        r->beg = r->pos;
        tema__reader_reject(r, 1, TEMA_REJECT_RECORD_TOO_LONG, 0, r->rec_line, col0 + 1,
                            "the element is longer than max_record (%zu bytes); skipped to the "
                            "next element",
                            r->o.max_record);
        r->raw_len = 0;
    } else {
        r->raw_len = at - r->beg;
        if ((st = tema__json_object(r, r->buf + r->beg, r->buf + at, col0, 1, 0)) != TEMA_OK)
            return st;
        advance(r, at);
    }
    r->nf = r->ncols;
    r->jstate = TEMA__JA_ELEM;
    return TEMA_OK;
}
