/*
 * jsonl.c: JSON objects as records, for JSON Lines (one object per line) and
 * for the elements of a JSON array (jsonarr.c).  RFC 8259 grammar, strict
 * except that raw control characters inside strings are accepted, since
 * exporters emit raw tabs.  Strings are unescaped (\uXXXX with surrogate
 * pairs; a lone surrogate becomes U+FFFD), numbers and true/false are kept
 * as written, null is an empty field.  A nested object is flattened into
 * columns with dotted names ("rating.score"); an array of scalars is one
 * field joined with "; "; an array holding objects or arrays is skipped.
 * Nesting is limited to 64 levels so a hostile record cannot exhaust the
 * stack.  A JSON Lines line may hold several objects one after another
 * ({"id":1}{"id":2}, as `jq -c` output joined without newlines), read as
 * jq reads them: one record each, all on that line.
 */
#include "reader.h"

#include "utf8.h"

#define MAX_DEPTH 64

typedef struct jp {
    tema_reader *r;             /* the reader: fields, header, rejection */
    const unsigned char *s;     /* parse position */
    const unsigned char *e;     /* end of the record */
    const unsigned char *line;  /* start of the record, for positions */
    uint64_t col0;              /* columns before 'line' on its physical line */
    const char *unit;           /* "line" or "element", for messages */
    uint64_t leaf;              /* ordinal of the next column value in the record */
    tema_status st;             /* TEMA_ERR_NOMEM when an append failed */
    int more;                   /* JSON Lines: another object may follow on the line */
    const unsigned char *next;  /* where that object starts; NULL when none does */
    const unsigned char *vend;  /* end of the value, before the white space after it */
} jp;

/* Line and column of 'at': an array element may span lines, so the line
 * breaks before it are counted (only on the error path). */
static void where(const jp *j, const unsigned char *at, uint64_t *line, uint64_t *col)
{
    const unsigned char *ls = j->line;
    uint64_t l = j->r->rec_line, c0 = j->col0;
    for (const unsigned char *p = j->line; p < at; p++)
        if (*p == '\n') {
            l++;
            ls = p + 1;
            c0 = 0;
        }
    *line = l;
    *col = c0 + (uint64_t)(at - ls) + 1;
}

static int jfail(jp *j, const unsigned char *at, tema_reject why, const char *what)
{
    uint64_t line, col;
    where(j, at, &line, &col);
    tema__reader_reject(j->r, 0, why, 0, line, col, "%s", what);
    return -1;
}

static int put(jp *j, tema__buf *out, const void *p, size_t n)
{
    if (out && tema__buf_append(out, p, n) != TEMA_OK) {
        j->st = TEMA_ERR_NOMEM;
        return -1;
    }
    return 0;
}

static void ws(jp *j)
{
    while (j->s < j->e && (*j->s == ' ' || *j->s == '\t' || *j->s == '\r' || *j->s == '\n'))
        j->s++;
}

static int32_t hex4(const unsigned char *p)
{
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i];
        int d = c >= '0' && c <= '9' ? (int)(c - '0')
              : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (int)((c | 0x20) - 'a' + 10) : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A string at j->s (which is '"'), unescaped into 'out' (NULL: validate). */
static int jstring(jp *j, tema__buf *out)
{
    const unsigned char *open = j->s++;
    for (;;) {
        const unsigned char *t = tema__scan(j->s, j->e, '"', '\\', '"');
        if (t > j->s && put(j, out, j->s, (size_t)(t - j->s)))
            return -1;
        if (t == j->e)
            return jfail(j, open, TEMA_REJECT_JSON_SYNTAX, "a string is not closed");
        if (*t == '"') {
            j->s = t + 1;
            return 0;
        }
        if (t + 1 == j->e)
            return jfail(j, open, TEMA_REJECT_JSON_SYNTAX, "a string is not closed");
        char o;
        switch (t[1]) {
        case '"': o = '"'; break;
        case '\\': o = '\\'; break;
        case '/': o = '/'; break;
        case 'b': o = '\b'; break;
        case 'f': o = '\f'; break;
        case 'n': o = '\n'; break;
        case 'r': o = '\r'; break;
        case 't': o = '\t'; break;
        case 'u': {
            int32_t cp = j->e - t >= 6 ? hex4(t + 2) : -1;
            if (cp < 0)
                return jfail(j, t, TEMA_REJECT_JSON_SYNTAX, "a \\u escape needs four hex digits");
            j->s = t + 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int32_t lo = j->e - j->s >= 6 && j->s[0] == '\\' && j->s[1] == 'u' ? hex4(j->s + 2) : -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    j->s += 6;
                } else {
                    cp = TEMA__REPLACEMENT;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = TEMA__REPLACEMENT;
            }
            char u[4];
            if (put(j, out, u, tema__utf8_encode(cp, u)))
                return -1;
            continue;
        }
        default:
            return jfail(j, t, TEMA_REJECT_JSON_SYNTAX, "invalid escape sequence in a string");
        }
        if (put(j, out, &o, 1))
            return -1;
        j->s = t + 2;
    }
}

static int jnumber(jp *j)
{
    const unsigned char *p = j->s, *e = j->e;
#define DIGIT(q) ((q) < e && *(q) >= '0' && *(q) <= '9')
    if (p < e && *p == '-')
        p++;
    if (p < e && *p == '0')
        p++;
    else if (DIGIT(p))
        while (DIGIT(p))
            p++;
    else
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "invalid number");
    if (p < e && *p == '.') {
        p++;
        if (!DIGIT(p))
            return jfail(j, p, TEMA_REJECT_JSON_SYNTAX, "invalid number: digits must follow '.'");
        while (DIGIT(p))
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (!DIGIT(p))
            return jfail(j, p, TEMA_REJECT_JSON_SYNTAX, "invalid number: no exponent digits");
        while (DIGIT(p))
            p++;
    }
#undef DIGIT
    j->s = p;
    return 0;
}

static int jvalue(jp *j, int depth, tema__buf *out);

/* An array or object at j->s, validated only. */
static int jcontainer(jp *j, int depth)
{
    unsigned char close = *j->s == '[' ? ']' : '}';
    j->s++;
    ws(j);
    if (j->s < j->e && *j->s == close) {
        j->s++;
        return 0;
    }
    for (;;) {
        ws(j);
        if (close == '}') {
            if (!(j->s < j->e && *j->s == '"'))
                return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected a string key");
            if (jstring(j, NULL))
                return -1;
            ws(j);
            if (!(j->s < j->e && *j->s == ':'))
                return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected ':' after a key");
            j->s++;
        }
        if (jvalue(j, depth, NULL))
            return -1;
        ws(j);
        if (j->s < j->e && *j->s == ',') {
            j->s++;
            continue;
        }
        if (j->s < j->e && *j->s == close) {
            j->s++;
            return 0;
        }
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX,
                     close == ']' ? "expected ',' or ']' in an array" : "expected ',' or '}' in an object");
    }
}

static int literal(jp *j, const char *word, tema__buf *out, int keep)
{
    size_t n = strlen(word);
    if ((size_t)(j->e - j->s) < n || memcmp(j->s, word, n) != 0)
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "unexpected character");
    j->s += n;
    return keep ? put(j, out, word, n) : 0;
}

/* A value; scalars are stored in 'out' as described at the top of the file. */
static int jvalue(jp *j, int depth, tema__buf *out)
{
    ws(j);
    if (j->s == j->e)
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "a value is missing");
    const unsigned char *start = j->s;
    switch (*j->s) {
    case '"':
        return jstring(j, out);
    case '{':
    case '[':
        if (depth >= MAX_DEPTH)
            return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "nested more than 64 levels deep");
        if (jcontainer(j, depth + 1))
            return -1;
        return put(j, out, start, (size_t)(j->s - start));
    case 't':
        return literal(j, "true", out, 1);
    case 'f':
        return literal(j, "false", out, 1);
    case 'n':
        return literal(j, "null", out, 0);
    default:
        if (*j->s == '-' || (*j->s >= '0' && *j->s <= '9')) {
            if (jnumber(j))
                return -1;
            return put(j, out, start, (size_t)(j->s - start));
        }
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "unexpected character");
    }
}

/* The column of the dotted key in 'keybuf' whose ordinal among the
 * record's values is 'k'; SIZE_MAX when the header has no such key.  Rows
 * usually repeat the header's key order, so the ordinal is tried before
 * the hash. */
static size_t column_of(tema_reader *r, uint64_t k)
{
    /* an empty key ("") may leave the buffer unallocated */
    const char *key = r->keybuf.p ? r->keybuf.p : "";
    size_t len = r->keybuf.len;
    if (k < r->hmap.count) {
        const tema__strmap_entry *e = &r->hmap.entries[k];
        if (e->key_len == len && memcmp(tema__strmap_key(&r->hmap, e), key, len) == 0)
            return e->value;
    }
    const tema__strmap_entry *e = tema__strmap_get(&r->hmap, key, len);
    return e ? e->value : SIZE_MAX;
}

/* Header mode: the dotted key in 'keybuf' becomes a column unless it is one. */
static int add_key(jp *j)
{
    tema_reader *r = j->r;
    const char *kp = r->keybuf.p ? r->keybuf.p : ""; /* "" may leave it NULL */
    if (tema__strmap_get(&r->hmap, kp, r->keybuf.len))
        return 0;
    size_t idx;
    if (r->ncols == r->o.max_columns)
        return jfail(j, j->line, TEMA_REJECT_TOO_MANY_COLUMNS,
                     "the object has more keys than max_columns");
    if (tema__reader_add_column(r, kp, r->keybuf.len, &idx) != TEMA_OK ||
        tema__strmap_put(&r->hmap, kp, r->keybuf.len, (uint32_t)idx, NULL) != TEMA_OK) {
        j->st = TEMA_ERR_NOMEM;
        return -1;
    }
    return 0;
}

/* Record mode: the value just written to fbuf[off..] goes to the column of
 * the key in 'keybuf'. */
static int store(jp *j, size_t off, const unsigned char *vstart, uint64_t *extra)
{
    tema_reader *r = j->r;
    size_t len = r->fbuf.len - off;
    if (put(j, &r->fbuf, "", 1))
        return -1;
    size_t col = column_of(r, j->leaf++);
    if (col == SIZE_MAX) {
        (*extra)++;
        return 0;
    }
    if (len > r->o.max_field) {
        uint64_t line, c;
        where(j, vstart, &line, &c);
        tema__reader_reject(r, 0, TEMA_REJECT_FIELD_TOO_LONG, col + 1, line, c,
                            "field %zu is longer than max_field (%zu bytes)", col + 1,
                            r->o.max_field);
        return -1;
    }
    r->fv[col].off = off; /* a repeated key: the last value wins */
    r->fv[col].len = len;
    return 0;
}

/* An array value at j->s: one field, its scalars joined with "; " (null
 * elements left out); with an object or array inside it is skipped, since
 * no one column could hold it.  'out' is NULL in header mode.  Sets
 * '*skip' for a skipped array. */
static int jarray(jp *j, int depth, tema__buf *out, int *skip)
{
    size_t off = out ? out->len : 0;
    int n = 0;
    *skip = 0;
    if (depth >= MAX_DEPTH)
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "nested more than 64 levels deep");
    j->s++;
    ws(j);
    if (j->s < j->e && *j->s == ']') {
        j->s++;
        return 0;
    }
    for (;;) {
        ws(j);
        if (j->s < j->e && (*j->s == '{' || *j->s == '[')) {
            *skip = 1;
            if (jvalue(j, depth + 1, NULL))
                return -1;
        } else if (j->s < j->e && *j->s == 'n') {
            if (literal(j, "null", NULL, 0))
                return -1;
        } else {
            if (n++ && !*skip && put(j, out, "; ", 2))
                return -1;
            if (jvalue(j, depth + 1, *skip ? NULL : out))
                return -1;
        }
        ws(j);
        if (j->s < j->e && *j->s == ',') {
            j->s++;
            continue;
        }
        if (j->s < j->e && *j->s == ']') {
            j->s++;
            break;
        }
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected ',' or ']' in an array");
    }
    if (*skip && out)
        out->len = off;
    return 0;
}

/* The members of the object at j->s ('{'), at 'depth'; 'keybuf' holds the
 * dotted prefix of its keys.  In header mode keys become columns and values
 * are only validated. */
static int jmembers(jp *j, int depth, int header, uint64_t *extra)
{
    tema_reader *r = j->r;
    size_t prefix = r->keybuf.len;
    if (depth > MAX_DEPTH) /* 'depth' is that of the members, one below the object */
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "nested more than 64 levels deep");
    j->s++;
    ws(j);
    if (j->s < j->e && *j->s == '}') {
        j->s++;
        return 0;
    }
    for (;;) {
        ws(j);
        if (!(j->s < j->e && *j->s == '"'))
            return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected a string key");
        r->keybuf.len = prefix;
        if (prefix && put(j, &r->keybuf, ".", 1))
            return -1;
        if (jstring(j, &r->keybuf))
            return -1;
        ws(j);
        if (!(j->s < j->e && *j->s == ':'))
            return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected ':' after a key");
        j->s++;
        ws(j);
        const unsigned char *vstart = j->s;
        unsigned char c = j->s < j->e ? *j->s : 0;
        if (c == '{') {
            if (jmembers(j, depth + 1, header, extra))
                return -1;
        } else if (c == '[') {
            size_t off = r->fbuf.len;
            int skip;
            if (jarray(j, depth, header ? NULL : &r->fbuf, &skip))
                return -1;
            if (!skip && (header ? add_key(j) : store(j, off, vstart, extra)))
                return -1;
        } else if (header) {
            if (jvalue(j, depth, NULL) || add_key(j))
                return -1;
        } else {
            size_t off = r->fbuf.len;
            if (jvalue(j, depth, &r->fbuf) || store(j, off, vstart, extra))
                return -1;
        }
        ws(j);
        if (j->s < j->e && *j->s == ',') {
            j->s++;
            continue;
        }
        if (j->s < j->e && *j->s == '}') {
            j->s++;
            break;
        }
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected ',' or '}' after a value");
    }
    r->keybuf.len = prefix;
    return 0;
}

/* The object that is the whole record [j->s, j->e). */
static int jobject(jp *j, int header, uint64_t *extra)
{
    ws(j);
    if (j->s == j->e || *j->s != '{') {
        const unsigned char *at = j->s;
        if (jvalue(j, 0, NULL))
            return -1;
        j->vend = j->s;
        ws(j);
        if (j->s != j->e && !(j->more && *j->s == '{'))
            return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "text after the JSON value");
        char what[64];
        snprintf(what, sizeof what, "the %s is a JSON %s, not an object", j->unit,
                 *at == '[' ? "array" : "scalar");
        return jfail(j, at, TEMA_REJECT_JSON_NOT_OBJECT, what);
    }
    j->r->keybuf.len = 0;
    if (jmembers(j, 0, header, extra))
        return -1;
    j->vend = j->s;
    ws(j);
    if (j->s != j->e) {
        if (j->more && *j->s == '{') {
            j->next = j->s;
            return 0;
        }
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "text after the object");
    }
    return 0;
}

static int is_blank(const unsigned char *s, const unsigned char *e)
{
    for (; s < e; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return 0;
    return 1;
}

/* Parses the object that starts [s, e) as tema__json_object() does.  With
 * 'more' (a JSON Lines line), another object may follow it: '*next' is
 * set to where it starts (NULL when none does) and '*vend' to the end of
 * this one's text.  After a rejection the bracket scanner finds where the
 * broken value ends, so the objects after it on the line are still read;
 * anything but an object after it leaves the rest of the line to the
 * rejected record. */
static tema_status object(tema_reader *r, const char *s, const char *e, uint64_t col0,
                          int element, int header, int more, const char **next, const char **vend)
{
    jp j = {r, (const unsigned char *)s, (const unsigned char *)e, (const unsigned char *)s,
            col0, element ? "element" : "line", 0, TEMA_OK, more, NULL, NULL};
    uint64_t extra = 0;
    if (more) {
        /* set before the error returns below too: callers read them whatever
         * the status (line_object()) */
        *next = NULL;
        *vend = e;
    }
    if (header) {
        jobject(&j, 1, NULL);
    } else {
        if (r->capf < r->ncols) {
            tema__fspan *v = realloc(r->fv, r->ncols * sizeof *v);
            if (!v)
                return TEMA_ERR_NOMEM;
            r->fv = v;
            r->capf = r->ncols;
        }
        for (size_t i = 0; i < r->ncols; i++) {
            r->fv[i].off = SIZE_MAX;
            r->fv[i].len = 0;
        }
        jobject(&j, 0, &extra);
    }
    if (j.st != TEMA_OK)
        return j.st;
    if (!header) {
        if (r->rej == TEMA_REJECT_NONE)
            r->st.extra_keys += extra;
        r->nf = r->ncols;
    }
    if (!more)
        return TEMA_OK;
    if (r->rej == TEMA_REJECT_NONE) {
        if (j.next) {
            *next = (const char *)j.next;
            *vend = (const char *)j.vend;
        }
        return TEMA_OK;
    }
    j.s = (const unsigned char *)s;
    ws(&j);
    const char *os = (const char *)j.s, *ve = os < e ? tema__json_value_end(os, e) : NULL;
    if (!ve)
        return TEMA_OK;
    j.s = (const unsigned char *)ve;
    ws(&j);
    if (j.s < j.e && *j.s == '{' && (const char *)j.s > os) {
        *next = (const char *)j.s;
        *vend = ve;
    }
    return TEMA_OK;
}

tema_status tema__json_object(tema_reader *r, const char *s, const char *e, uint64_t col0,
                              int element, int header)
{
    return object(r, s, e, col0, element, header, 0, NULL, NULL);
}

tema_status tema__json_key(tema_reader *r, const char *s, const char *e, tema__buf *out)
{
    jp j = {r, (const unsigned char *)s, (const unsigned char *)e, (const unsigned char *)s,
            0, "element", 0, TEMA_OK, 0, NULL, NULL};
    out->len = 0;
    if (jstring(&j, out))
        return j.st != TEMA_OK ? j.st : TEMA_ERR_PARSE;
    return TEMA_OK;
}

/* The object of the current line at window offset 'os' (the line's start
 * for its first object): its raw text runs to the next object, or to the
 * end of the line for the last one. */
static tema_status line_object(tema_reader *r, size_t os)
{
    const char *next, *vend;
    r->beg = os;
    tema_status st = object(r, r->buf + os, r->buf + r->jl_end, os - r->jl_line, 0, 0, 1, &next,
                            &vend);
    r->jl_next = next ? (size_t)(next - r->buf) : 0;
    r->raw_len = (size_t)(vend - (r->buf + os));
    return st;
}

tema_status tema__jsonl_line(tema_reader *r, size_t ls, size_t le, int *blank)
{
    const unsigned char *s = (const unsigned char *)r->buf + ls, *e = (const unsigned char *)r->buf + le;
    r->jl_next = 0;
    *blank = is_blank(s, e);
    if (*blank)
        return TEMA_OK;
    r->jl_line = ls;
    r->jl_end = le;
    return line_object(r, ls);
}

tema_status tema__jsonl_next(tema_reader *r)
{
    return line_object(r, r->jl_next);
}

/* tema__json_header_try() for an object that another may follow on its
 * line ('more'; see object()). */
static tema_status try_header(tema_reader *r, const char *s, const char *e, uint64_t col0,
                              int element, int more, const char **next, char *first,
                              size_t firstsz, int *taken)
{
    const char *vend;
    *taken = 0;
    r->rej = TEMA_REJECT_NONE;
    tema_status st = object(r, s, e, col0, element, 1, more, next, &vend);
    if (st != TEMA_OK)
        return st;
    if (r->rej == TEMA_REJECT_NONE) {
        *taken = 1;
        return TEMA_OK;
    }
    if (!first[0])
        snprintf(first, firstsz, "%llu:%llu: %s", (unsigned long long)r->rej_line,
                 (unsigned long long)r->rej_col, r->rej_text);
    r->ncols = 0;
    r->hnames.len = 0;
    tema__strmap_clear(&r->hmap);
    return TEMA_OK;
}

tema_status tema__json_header_try(tema_reader *r, const char *s, const char *e, uint64_t col0,
                                  int element, char *first, size_t firstsz, int *taken)
{
    return try_header(r, s, e, col0, element, 0, NULL, first, firstsz, taken);
}

/* [s, e) starts, after white space, with a complete object followed by
 * white space and another '{'. */
static int starts_stream(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    if (s == e || *s != '{' || !(s = tema__json_value_end(s, e)))
        return 0;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    return s < e && *s == '{';
}

tema_status tema__jsonl_header(tema_reader *r)
{
    size_t o = r->pos, scan = r->pos;
    uint64_t line = r->line;
    tema_status st;
    char first[700] = "";
    for (;;) {
        char *nl = memchr(r->buf + scan, '\n', r->end - scan);
        size_t le;
        if (nl) {
            le = (size_t)(nl - r->buf);
        } else if (r->eof) {
            le = r->end;
        } else {
            if (r->end >= r->o.max_record) {
                /* A first line too long for a record that starts with
                 * objects one after another (a whole export joined without
                 * newlines) is read as a stream of objects (jsonarr.c),
                 * which needs no line to fit the window. */
                if (!first[0] && starts_stream(r->buf + o, r->buf + r->end)) {
                    r->fmt = TEMA_FORMAT_JSON;
                    return tema__json_header(r);
                }
                snprintf(r->errmsg, sizeof r->errmsg,
                         "%s: no valid JSON object in the first %zu bytes (max_record)%s%s",
                         r->name, r->o.max_record, first[0] ? "; first error: " : "", first);
                return r->fatal = TEMA_ERR_PARSE;
            }
            scan = r->end;
            /* r->beg is 0 here, so filling never moves the bytes under 'o'. */
            if ((st = tema__reader_fill(r)) != TEMA_OK)
                return r->fatal = st;
            continue;
        }
        const unsigned char *s = (const unsigned char *)r->buf + o, *e = (const unsigned char *)r->buf + le;
        if (!is_blank(s, e)) {
            r->rec_line = line;
            /* each object of the line in turn (usually just the one) */
            for (const char *os = (const char *)s; os;) {
                int taken;
                const char *next;
                if ((st = try_header(r, os, (const char *)e, (uint64_t)(os - (const char *)s), 0,
                                     1, &next, first, sizeof first, &taken)) != TEMA_OK)
                    return r->fatal = st;
                if (taken)
                    return TEMA_OK;
                os = next;
            }
        }
        if (!nl) {
            snprintf(r->errmsg, sizeof r->errmsg, "%s: no line is a valid JSON object%s%s",
                     r->name, first[0] ? "; first error: " : " (the input is empty)", first);
            return r->fatal = TEMA_ERR_PARSE;
        }
        o = scan = le + 1;
        line++;
    }
}
