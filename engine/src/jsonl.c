/*
 * jsonl.c: JSON Lines records.  Each line is one object (RFC 8259 grammar,
 * strict except that raw control characters inside strings are accepted,
 * since exporters emit raw tabs).  Strings are unescaped (\uXXXX with
 * surrogate pairs; a lone surrogate becomes U+FFFD), numbers and true/false
 * are kept as written, null is an empty field, and a nested array or object
 * is kept as its JSON text.  Nesting is limited to 64 levels so a hostile
 * line cannot exhaust the stack.
 */
#include "reader.h"

#include "utf8.h"

#define MAX_DEPTH 64

typedef struct jp {
    tema_reader *r;             /* the reader: fields, header, rejection */
    const unsigned char *s;     /* parse position */
    const unsigned char *e;     /* end of the line */
    const unsigned char *line;  /* start of the line, for columns */
    tema_status st;             /* TEMA_ERR_NOMEM when an append failed */
} jp;

static int jfail(jp *j, const unsigned char *at, tema_reject why, const char *what)
{
    tema__reader_reject(j->r, 0, why, 0, j->r->rec_line, (uint64_t)(at - j->line) + 1, "%s", what);
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

/* The column of the key in 'keybuf' whose ordinal in the object is 'k';
 * SIZE_MAX when the header has no such key.  Rows usually repeat the
 * header's key order, so the ordinal is tried before the hash. */
static size_t column_of(tema_reader *r, size_t k)
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

/* The object on one line.  In header mode its keys become the columns and
 * values are only validated. */
static int jobject(jp *j, int header, uint64_t *extra)
{
    tema_reader *r = j->r;
    ws(j);
    if (*j->s != '{') {
        const unsigned char *at = j->s;
        if (jvalue(j, 0, NULL))
            return -1;
        ws(j);
        if (j->s != j->e)
            return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "text after the JSON value");
        return jfail(j, at, TEMA_REJECT_JSON_NOT_OBJECT,
                     *at == '[' ? "the line is a JSON array, not an object"
                                : "the line is a JSON scalar, not an object");
    }
    j->s++;
    ws(j);
    if (j->s < j->e && *j->s == '}') {
        j->s++;
    } else {
        for (size_t k = 0;; k++) {
            ws(j);
            if (!(j->s < j->e && *j->s == '"'))
                return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected a string key");
            r->keybuf.len = 0;
            if (jstring(j, &r->keybuf))
                return -1;
            ws(j);
            if (!(j->s < j->e && *j->s == ':'))
                return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "expected ':' after a key");
            j->s++;
            ws(j);
            const unsigned char *vstart = j->s;
            if (header) {
                if (jvalue(j, 0, NULL))
                    return -1;
                const char *kp = r->keybuf.p ? r->keybuf.p : ""; /* "" may leave it NULL */
                if (!tema__strmap_get(&r->hmap, kp, r->keybuf.len)) {
                    size_t idx;
                    if (r->ncols == r->o.max_columns)
                        return jfail(j, j->line, TEMA_REJECT_TOO_MANY_COLUMNS,
                                     "the object has more keys than max_columns");
                    if (tema__reader_add_column(r, kp, r->keybuf.len, &idx) != TEMA_OK ||
                        tema__strmap_put(&r->hmap, kp, r->keybuf.len, (uint32_t)idx, NULL) !=
                            TEMA_OK) {
                        j->st = TEMA_ERR_NOMEM;
                        return -1;
                    }
                }
            } else {
                size_t off = r->fbuf.len;
                if (jvalue(j, 0, &r->fbuf))
                    return -1;
                size_t len = r->fbuf.len - off;
                if (put(j, &r->fbuf, "", 1))
                    return -1;
                size_t col = column_of(r, k);
                if (col == SIZE_MAX) {
                    (*extra)++;
                } else {
                    if (len > r->o.max_field) {
                        tema__reader_reject(r, 0, TEMA_REJECT_FIELD_TOO_LONG, col + 1, r->rec_line,
                                            (uint64_t)(vstart - j->line) + 1,
                                            "field %zu is longer than max_field (%zu bytes)",
                                            col + 1, r->o.max_field);
                        return -1;
                    }
                    r->fv[col].off = off;  /* a repeated key: the last value wins */
                    r->fv[col].len = len;
                }
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
    }
    ws(j);
    if (j->s != j->e)
        return jfail(j, j->s, TEMA_REJECT_JSON_SYNTAX, "text after the object");
    return 0;
}

static int is_blank(const unsigned char *s, const unsigned char *e)
{
    for (; s < e; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return 0;
    return 1;
}

tema_status tema__jsonl_line(tema_reader *r, size_t ls, size_t le, int *blank)
{
    const unsigned char *s = (const unsigned char *)r->buf + ls, *e = (const unsigned char *)r->buf + le;
    *blank = is_blank(s, e);
    if (*blank)
        return TEMA_OK;
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
    jp j = {r, s, e, s, TEMA_OK};
    uint64_t extra = 0;
    jobject(&j, 0, &extra);
    if (j.st != TEMA_OK)
        return j.st;
    if (r->rej == TEMA_REJECT_NONE)
        r->st.extra_keys += extra;
    r->nf = r->ncols;
    return TEMA_OK;
}

tema_status tema__jsonl_header(tema_reader *r)
{
    size_t o = r->pos, scan = r->pos;
    uint64_t line = r->line;
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
                snprintf(r->errmsg, sizeof r->errmsg,
                         "%s: no valid JSON object in the first %zu bytes (max_record)%s%s",
                         r->name, r->o.max_record, first[0] ? "; first error: " : "", first);
                return r->fatal = TEMA_ERR_PARSE;
            }
            scan = r->end;
            /* r->beg is 0 here, so filling never moves the bytes under 'o'. */
            tema_status st = tema__reader_fill(r);
            if (st != TEMA_OK)
                return r->fatal = st;
            continue;
        }
        const unsigned char *s = (const unsigned char *)r->buf + o, *e = (const unsigned char *)r->buf + le;
        if (!is_blank(s, e)) {
            r->rec_line = line;
            r->rej = TEMA_REJECT_NONE;
            jp j = {r, s, e, s, TEMA_OK};
            jobject(&j, 1, NULL);
            if (j.st != TEMA_OK)
                return r->fatal = j.st;
            if (r->rej == TEMA_REJECT_NONE)
                return TEMA_OK;
            if (!first[0])
                snprintf(first, sizeof first, "%llu:%llu: %s", (unsigned long long)r->rej_line,
                         (unsigned long long)r->rej_col, r->rej_text);
            r->ncols = 0;
            r->hnames.len = 0;
            tema__strmap_clear(&r->hmap);
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
