/*
 * reader.c: the public reader API, the input window, format and delimiter
 * detection, and the TSV scanner (CSV is in csv.c, JSON Lines in jsonl.c).
 * Memory is bounded by the limits, not the file: the window holds the
 * current record plus one read chunk and never more than max_record + 64
 * KiB; all buffers are reused from record to record, so a warmed-up reader
 * does not allocate.
 */
#include "reader.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <strings.h>

#include "utf8.h"

void tema_reader_opts_init(tema_reader_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->version = TEMA_READER_OPTS_VERSION;
    o->max_field = TEMA__MAX_FIELD;
    o->max_columns = TEMA__MAX_COLUMNS;
    o->max_record = TEMA__MAX_RECORD;
}

const char *tema_reject_name(tema_reject reason)
{
    switch (reason) {
    case TEMA_REJECT_NONE: return "none";
    case TEMA_REJECT_FEWER_FIELDS: return "fewer-fields";
    case TEMA_REJECT_MORE_FIELDS: return "more-fields";
    case TEMA_REJECT_UNTERMINATED_QUOTE: return "unterminated-quote";
    case TEMA_REJECT_FIELD_TOO_LONG: return "field-too-long";
    case TEMA_REJECT_TOO_MANY_COLUMNS: return "too-many-columns";
    case TEMA_REJECT_RECORD_TOO_LONG: return "record-too-long";
    case TEMA_REJECT_JSON_SYNTAX: return "json-syntax";
    case TEMA_REJECT_JSON_NOT_OBJECT: return "json-not-object";
    }
    return "unknown";
}

void tema__reader_reject(tema_reader *r, int force, tema_reject why, size_t field, uint64_t line,
                         uint64_t col, const char *fmt, ...)
{
    if (r->rej != TEMA_REJECT_NONE && !force)
        return;
    r->rej = why;
    r->rej_field = field;
    r->rej_line = line;
    r->rej_col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->rej_text, sizeof r->rej_text, fmt, ap);
    va_end(ap);
}

tema_status tema__reader_add_column(tema_reader *r, const char *name, size_t len, size_t *index)
{
    if (r->ncols == r->caphoff) {
        size_t cap = r->caphoff ? r->caphoff * 2 : 16;
        size_t *v = realloc(r->hoff, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        r->hoff = v;
        r->caphoff = cap;
    }
    r->hoff[r->ncols] = r->hnames.len;
    if (tema__buf_append(&r->hnames, name, len) != TEMA_OK ||
        tema__buf_putc(&r->hnames, '\0') != TEMA_OK)
        return TEMA_ERR_NOMEM;
    if (index)
        *index = r->ncols;
    r->ncols++;
    return TEMA_OK;
}

tema_status tema__reader_fill(tema_reader *r)
{
    if (r->beg > 0) {
        memmove(r->buf, r->buf + r->beg, r->end - r->beg);
        r->base += r->beg;
        r->pos -= r->beg;
        r->end -= r->beg;
        r->beg = 0;
    }
    if (r->cap - r->end < 4) {  /* 4: room for one transcoded character */
        if (r->cap >= r->limit) {
            tema__setmsg(r->errmsg, sizeof r->errmsg, "%s: internal error: window full", r->name);
            return TEMA_ERR_LIMIT;
        }
        size_t cap = r->cap * 2 < r->limit ? r->cap * 2 : r->limit;
        char *p = realloc(r->buf, cap);
        if (!p)
            return TEMA_ERR_NOMEM;
        r->buf = p;
        r->cap = cap;
    }
    size_t want = r->cap - r->end, n;
    if (want > TEMA__READ_CHUNK)
        want = TEMA__READ_CHUNK;
    char msg[512];
    tema_status st = tema__input_read(r->in, r->buf + r->end, want, &n, msg, sizeof msg);
    if (st != TEMA_OK) {
        tema__setmsg(r->errmsg, sizeof r->errmsg, "%s: %s", r->name, msg);
        return st;
    }
    if (!n)
        r->eof = 1;
    r->end += n;
    return TEMA_OK;
}

/* The next physical line [*ls, *le) of the window, without its LF and a CR
 * before it.  A line longer than max_record is discarded as it streams by
 * and comes back empty with 'skipping' set. */
static tema_status next_line(tema_reader *r, size_t *ls, size_t *le)
{
    r->beg = r->pos;
    r->rec_line = r->line;
    r->skipping = 0;
    size_t scan = r->pos;
    for (;;) {
        char *nl = memchr(r->buf + scan, '\n', r->end - scan);
        if (nl) {
            *le = (size_t)(nl - r->buf);
            r->pos = *le + 1;
            r->line++;
            r->line_abs = r->base + r->pos;
            break;
        }
        if (r->eof) {
            if (r->end == r->beg && !r->skipping)
                return TEMA_DONE;
            *le = r->pos = r->end;
            break;
        }
        if (r->end - r->beg > r->o.max_record + 1)  /* + 1: a CR before the LF */
            r->skipping = 1;
        if (r->skipping)
            r->beg = r->end;
        scan = r->end - r->beg;
        tema_status st = tema__reader_fill(r);
        if (st != TEMA_OK)
            return st;
    }
    *ls = r->beg;
    if (*le > *ls && r->buf[*le - 1] == '\r')
        (*le)--;
    if (r->skipping)
        *ls = *le;
    return TEMA_OK;
}

static void start_record(tema_reader *r)
{
    r->nf = 0;
    r->fbuf.len = 0;
    r->rej = TEMA_REJECT_NONE;
}

static void reject_too_long(tema_reader *r)
{
    tema__reader_reject(r, 1, TEMA_REJECT_RECORD_TOO_LONG, 0, r->rec_line, 1,
                        "the record is longer than max_record (%zu bytes); skipped to the next "
                        "record",
                        r->o.max_record);
    r->raw_len = 0;
}

/* TSV: one line per record, fields split at TAB, no quoting; backslash
 * escapes as PostgreSQL COPY and the IANA text/tab-separated-values note
 * use them: \t \n \r \\, and a field that is exactly \N (NULL) is empty.
 * Any other backslash is kept as it is. */
static tema_status tsv_record(tema_reader *r)
{
    tema_status st;
    for (;;) {
        size_t ls, le;
        if ((st = next_line(r, &ls, &le)) != TEMA_OK)
            return st;
        start_record(r);
        if (r->skipping) {
            reject_too_long(r);
            return TEMA_OK;
        }
        r->raw_len = le - ls;
        if (ls == le) {
            r->st.blank_lines++;
            continue;
        }
        const char *b = r->buf, *end = b + le;
        const char *fs = b + ls;
        for (;;) {
            const char *tab = memchr(fs, '\t', (size_t)(end - fs));
            const char *fe = tab ? tab : end;
            tema__field_begin(r, r->rec_line, (uint64_t)(fs - (b + ls)) + 1);
            if (!(fe - fs == 2 && fs[0] == '\\' && fs[1] == 'N')) {
                const char *q = fs;
                while (q < fe) {
                    const char *bs = memchr(q, '\\', (size_t)(fe - q));
                    if (!bs) {
                        st = tema__field_put(r, q, (size_t)(fe - q));
                        break;
                    }
                    if (bs > q && (st = tema__field_put(r, q, (size_t)(bs - q))) != TEMA_OK)
                        return st;
                    if (bs + 1 == fe) {
                        st = tema__field_put(r, bs, 1);
                        break;
                    }
                    char c = bs[1];
                    char o = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '\\' ? '\\' : 0;
                    st = o ? tema__field_put(r, &o, 1) : tema__field_put(r, bs, 2);
                    if (st != TEMA_OK)
                        return st;
                    q = bs + 2;
                }
                if (st != TEMA_OK)
                    return st;
            }
            if ((st = tema__field_end(r)) != TEMA_OK)
                return st;
            if (!tab)
                break;
            fs = tab + 1;
        }
        return TEMA_OK;
    }
}

static tema_status jsonl_record(tema_reader *r)
{
    tema_status st;
    if (r->jl_next) { /* the line of the last record holds another object */
        start_record(r);
        return tema__jsonl_next(r);
    }
    for (;;) {
        size_t ls, le;
        if ((st = next_line(r, &ls, &le)) != TEMA_OK)
            return st;
        start_record(r);
        if (r->skipping) {
            reject_too_long(r);
            r->nf = 0;
            return TEMA_OK;
        }
        r->raw_len = le - ls;
        int blank = 0;
        if ((st = tema__jsonl_line(r, ls, le, &blank)) != TEMA_OK)
            return st;
        if (!blank)
            return TEMA_OK;
        r->st.blank_lines++;
    }
}

/* Counts invalid UTF-8 in a returned record, and how many of the invalid
 * sequences are a lone byte 0x80-0xFF next to an ASCII letter: the mark of
 * Windows-1252 text ("f\xF6rsenad") rather than of damaged UTF-8.  ASCII is
 * skipped eight bytes at a time. */
static void count_utf8(tema_reader *r, const unsigned char *p, size_t n)
{
    size_t i = 0, adv;
    int bad;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            uint64_t hi = w & 0x8080808080808080ull;
            if (hi) { /* skip to the first non-ASCII byte (little-endian, see tema__scan) */
                i += (size_t)(__builtin_ctzll(hi) >> 3);
                break;
            }
            i += 8;
        }
        if (i >= n)
            break;
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* Fast path for the two-byte letters of Nordic text (å ä ö æ ø é). */
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        tema__utf8_decode(p + i, n - i, &adv, &bad);
        if (bad) {
            r->st.invalid_utf8++;
#define ASCII_LETTER(c) ((unsigned)(((c) | 0x20) - 'a') < 26u)
            if (adv == 1 && ((i > 0 && ASCII_LETTER(p[i - 1])) || (i + 1 < n && ASCII_LETTER(p[i + 1]))))
                r->st.cp1252_like++;
#undef ASCII_LETTER
        }
        i += adv;
    }
}

/* ---- detection ---------------------------------------------------- */

/* Field counts of the first records of 'p' if 'd' were the delimiter
 * (quote-aware, blank lines skipped, an incomplete last record ignored). */
static size_t sample_counts(const char *p, size_t n, int eof, char d, size_t *counts, size_t max)
{
    size_t nrec = 0, fields = 1, i = 0;
    int q = 0, at_start = 1, seen = 0;
    for (; i < n && nrec < max; i++) {
        char c = p[i];
        if (q) {
            if (c == '"') {
                if (i + 1 < n && p[i + 1] == '"')
                    i++;
                else
                    q = 0;
            }
            continue;
        }
        if (c == '"' && at_start) {
            q = 1;
            at_start = 0;
            seen = 1;
        } else if (c == d) {
            fields++;
            at_start = 1;
            seen = 1;
        } else if (c == '\n') {
            if (seen)
                counts[nrec++] = fields;
            fields = 1;
            at_start = 1;
            seen = 0;
        } else {
            if (c != '\r')
                seen = 1;
            at_start = 0;
        }
    }
    if (eof && i >= n && seen && !q && nrec < max)
        counts[nrec++] = fields;
    return nrec;
}

/* Picks the delimiter among , ; TAB | that splits the header into two or
 * more fields and gives (at least 80% of) the sampled records the same
 * number of fields; among those the one giving the most header fields,
 * ties broken in the order listed.  With no consistent candidate, the one
 * with the most header fields; with none at all, a comma (one column). */
static char detect_delim(const char *p, size_t n, int eof)
{
    static const char cand[4] = {',', ';', '\t', '|'};
    size_t counts[64];
    int best = -1, best_cons = 0;
    size_t best_h = 0;
    for (int c = 0; c < 4; c++) {
        size_t nrec = sample_counts(p, n, eof, cand[c], counts, 64);
        if (!nrec || counts[0] < 2)
            continue;
        size_t agree = 0;
        for (size_t i = 1; i < nrec; i++)
            agree += counts[i] == counts[0];
        int cons = nrec == 1 || agree * 5 >= (nrec - 1) * 4;
        if (best < 0 || (cons && !best_cons) || (cons == best_cons && counts[0] > best_h)) {
            best = c;
            best_cons = cons;
            best_h = counts[0];
        }
    }
    return best < 0 ? ',' : cand[best];
}

/* Excel's delimiter hint: a first line "sep=;" (also quoted, "sep=;", and
 * with the delimiter repeated after it, "sep=;";; as Excel saves such a file
 * back), LF or CRLF, or alone at the end of the input.  Returns the
 * delimiter and the bytes the line takes with its line break in '*skip', or
 * 0.  Only TAB, space and ASCII punctuation other than '"' count, so a
 * one-column header that happens to read "sep=x" stays a header. */
static char sep_line(const char *p, size_t n, int eof, size_t *skip)
{
    size_t i = n > 0 && p[0] == '"';
    int quoted = (int)i;
    if (n < i + 5 || strncasecmp(p + i, "sep=", 4) != 0)
        return 0;
    i += 4;
    unsigned char d = (unsigned char)p[i++];
    if (!(d == '\t' || d == ' ' || (ispunct(d) && d != '"')))
        return 0;
    if (quoted) {
        if (i >= n || p[i] != '"')
            return 0;
        i++;
    }
    while (i < n && (unsigned char)p[i] == d)
        i++;
    if (i < n && p[i] == '\r')
        i++;
    if (i < n && p[i] == '\n')
        i++;
    else if (!(i == n && eof))
        return 0;
    *skip = i;
    return (char)d;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* The format by file extension (".gz" looked through), else by content:
 * a first non-blank byte '[' means a JSON document, '{' JSON Lines (which
 * tema__json_sniff() may turn into a JSON document), anything else CSV.
 * '*sniff' says whether that second look is allowed. */
static tema_format detect_format(const char *path, const char *p, size_t n, int *sniff)
{
    *sniff = 0;
    size_t len = strlen(path);
    if (ends_with(path, len, ".gz"))
        len -= 3;
    if (ends_with(path, len, ".csv"))
        return TEMA_FORMAT_CSV;
    if (ends_with(path, len, ".tsv") || ends_with(path, len, ".tab"))
        return TEMA_FORMAT_TSV;
    if (ends_with(path, len, ".jsonl") || ends_with(path, len, ".ndjson"))
        return TEMA_FORMAT_JSONL;
    int json = ends_with(path, len, ".json"); /* either kind of JSON, by content */
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
            continue;
        if (p[i] == '[')
            return TEMA_FORMAT_JSON;
        *sniff = p[i] == '{' || json;
        return *sniff ? TEMA_FORMAT_JSONL : TEMA_FORMAT_CSV;
    }
    return json ? TEMA_FORMAT_JSONL : TEMA_FORMAT_CSV;
}

/* ---- public API ----------------------------------------------------- */

static tema_status fail_open(tema_reader *r, tema_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tema_status fail_open(tema_reader *r, tema_status st, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(r->errmsg, sizeof r->errmsg, "%s: %s", r->name, msg);
    r->fatal = st;
    return st;
}

static tema_status read_header(tema_reader *r)
{
    tema_status st;
    if (r->fmt == TEMA_FORMAT_JSONL)
        return tema__jsonl_header(r);
    if (r->fmt == TEMA_FORMAT_JSON)
        return tema__json_header(r);
    st = r->fmt == TEMA_FORMAT_CSV ? tema__csv_record(r) : tsv_record(r);
    if (st == TEMA_DONE)
        return fail_open(r, TEMA_ERR_PARSE, "the input is empty: no header line");
    if (st != TEMA_OK)
        return r->fatal = st;
    if (r->raw_len > r->o.max_record)
        reject_too_long(r);
    if (r->rej != TEMA_REJECT_NONE)
        return fail_open(r, TEMA_ERR_PARSE, "%llu:%llu: header: %s [%s]",
                         (unsigned long long)r->rej_line, (unsigned long long)r->rej_col,
                         r->rej_text, tema_reject_name(r->rej));
    for (size_t i = 0; i < r->nf; i++)
        if ((st = tema__reader_add_column(r, r->fbuf.p + r->fv[i].off, r->fv[i].len, NULL)) !=
            TEMA_OK)
            return r->fatal = st;
    return TEMA_OK;
}

tema_status tema_reader_open(const char *path, const tema_reader_opts *opts, tema_reader **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    if (opts) {
        /* Version 1 callers have no 'records' member: copy what they have. */
        if (opts->version == 1)
            memcpy(&o, opts, offsetof(tema_reader_opts, records));
        else if (opts->version == TEMA_READER_OPTS_VERSION)
            o = *opts;
        else
            return TEMA_ERR_MISUSE;
        o.version = TEMA_READER_OPTS_VERSION;
        if (!o.max_field)
            o.max_field = TEMA__MAX_FIELD;
        if (!o.max_columns)
            o.max_columns = TEMA__MAX_COLUMNS;
        if (!o.max_record)
            o.max_record = TEMA__MAX_RECORD;
    }
    if (!path || (unsigned)o.format > TEMA_FORMAT_JSON || (unsigned)o.encoding > TEMA_ENC_UTF16 ||
        o.delimiter == '"' || o.delimiter == '\n' || o.delimiter == '\r' ||
        o.max_record > SIZE_MAX / 4)
        return TEMA_ERR_MISUSE;
    tema_reader *r = calloc(1, sizeof *r);
    if (!r)
        return TEMA_ERR_NOMEM;
    r->o = o;
    r->line = 1;
    tema__strmap_init(&r->hmap);
    snprintf(r->name, sizeof r->name, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    *out = r;

    char msg[512];
    tema_status st = tema__input_open(path, o.encoding, &r->in, msg, sizeof msg);
    if (st != TEMA_OK)
        return fail_open(r, st, "%s", msg);
    r->limit = o.max_record + TEMA__READ_CHUNK;
    r->cap = 2 * TEMA__READ_CHUNK < r->limit ? 2 * TEMA__READ_CHUNK : r->limit;
    if (!(r->buf = malloc(r->cap)))
        return r->fatal = TEMA_ERR_NOMEM;
    /* A first chunk for the detectors to look at. */
    while (!r->eof && r->end < TEMA__READ_CHUNK)
        if ((st = tema__reader_fill(r)) != TEMA_OK)
            return r->fatal = st;
    r->st.gzip = tema__input_is_gzip(r->in);

    int sniff = 0;
    r->fmt = o.format ? o.format : detect_format(path, r->buf, r->end, &sniff);
    if (sniff && o.records && *o.records) {
        r->fmt = TEMA_FORMAT_JSON;
    } else if (sniff) {
        int doc;
        if ((st = tema__json_sniff(r, &doc)) != TEMA_OK)
            return st;
        if (doc)
            r->fmt = TEMA_FORMAT_JSON;
    }
    size_t skip = 0;
    if (r->fmt != TEMA_FORMAT_JSONL && r->fmt != TEMA_FORMAT_JSON &&
        (r->sep = sep_line(r->buf, r->end, r->eof, &skip))) {
        /* The line is a hint to Excel, never data; line numbers stay
         * physical, so the header is on line 2. */
        r->pos = skip;
        if (skip && r->buf[skip - 1] == '\n')
            r->line++;
        r->line_abs = r->base + r->pos;
    }
    if (r->fmt == TEMA_FORMAT_CSV)
        r->delim = o.delimiter ? o.delimiter
                   : r->sep    ? r->sep
                               : detect_delim(r->buf, r->end, r->eof);
    else if (r->fmt == TEMA_FORMAT_TSV)
        r->delim = '\t';

    st = read_header(r);
    r->o.records = NULL; /* not retained after the call */
    if (st != TEMA_OK)
        return st;
    r->have_header = 1;
    r->errmsg[0] = '\0';
    return TEMA_OK;
}

void tema_reader_close(tema_reader *r)
{
    if (!r)
        return;
    tema__input_close(r->in);
    free(r->buf);
    tema__buf_free(&r->hnames);
    free(r->hoff);
    tema__strmap_free(&r->hmap);
    tema__buf_free(&r->fbuf);
    free(r->fv);
    free(r->out);
    tema__buf_free(&r->keybuf);
    free(r);
}

tema_format tema_reader_format(const tema_reader *r)
{
    return r ? r->fmt : TEMA_FORMAT_AUTO;
}

char tema_reader_delimiter(const tema_reader *r)
{
    return r && r->fmt != TEMA_FORMAT_JSONL && r->fmt != TEMA_FORMAT_JSON ? r->delim : 0;
}

size_t tema_reader_columns(const tema_reader *r)
{
    return r ? r->ncols : 0;
}

char tema_reader_sep_line(const tema_reader *r)
{
    return r ? r->sep : 0;
}

const char *tema_reader_records(const tema_reader *r)
{
    return r && r->fmt == TEMA_FORMAT_JSON ? r->records : NULL;
}

tema_encoding tema_reader_encoding(const tema_reader *r)
{
    return r ? tema__input_encoding(r->in) : TEMA_ENC_UTF8;
}

const char *tema_reader_column_name(const tema_reader *r, size_t i)
{
    return r && i < r->ncols ? r->hnames.p + r->hoff[i] : NULL;
}

tema_status tema_reader_column_index(const tema_reader *r, const char *name, size_t len,
                                     size_t *index)
{
    if (!r || !name || !index)
        return TEMA_ERR_MISUSE;
    for (int pass = 0; pass < 2; pass++) {
        size_t found = 0, first = 0;
        for (size_t i = 0; i < r->ncols; i++) {
            const char *c = r->hnames.p + r->hoff[i];
            if (strlen(c) == len &&
                (pass ? strncasecmp(c, name, len) == 0 : memcmp(c, name, len) == 0) &&
                !found++)
                first = i;
        }
        if (found) {
            *index = first;
            return found > 1 ? TEMA_ERR_AMBIGUOUS : TEMA_OK;
        }
    }
    return TEMA_ERR_NOTFOUND;
}

const char *tema_reader_errmsg(const tema_reader *r)
{
    return r ? r->errmsg : "";
}

void tema_reader_get_stats(const tema_reader *r, tema_reader_stats *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    if (!r)
        return;
    *s = r->st;
    s->bytes_in = tema__input_bytes_in(r->in);
    s->invalid_utf16 = tema__input_utf16_repairs(r->in);
    s->looks_cp1252 = s->invalid_utf8 > 0 && s->cp1252_like * 2 > s->invalid_utf8;
}

void tema_reader_content_hash(const tema_reader *r, char out[TEMA_HASH_SIZE])
{
    if (out)
        tema__input_hash(r ? r->in : NULL, out);
}

tema_status tema_reader_next(tema_reader *r, tema_record *rec)
{
    if (!r || !rec)
        return TEMA_ERR_MISUSE;
    memset(rec, 0, sizeof *rec);
    rec->raw = "";
    if (r->fatal != TEMA_OK)
        return r->fatal;
    r->errmsg[0] = '\0';
    tema_status st = r->fmt == TEMA_FORMAT_CSV    ? tema__csv_record(r)
                     : r->fmt == TEMA_FORMAT_TSV  ? tsv_record(r)
                     : r->fmt == TEMA_FORMAT_JSON ? tema__json_record(r)
                                                  : jsonl_record(r);
    if (st == TEMA_DONE)
        return TEMA_DONE;
    if (st != TEMA_OK) {
        if (!r->errmsg[0])
            snprintf(r->errmsg, sizeof r->errmsg, "%s: %s", r->name, tema_errstr(st));
        return r->fatal = st;
    }
    /* The streaming check (csv.c, next_line) fires only when a record
     * outgrows the window; this one makes the limit exact whatever the
     * buffering. */
    if (r->raw_len > r->o.max_record && r->rej != TEMA_REJECT_UNTERMINATED_QUOTE)
        reject_too_long(r);
    if (r->rej == TEMA_REJECT_NONE && r->fmt != TEMA_FORMAT_JSONL && r->fmt != TEMA_FORMAT_JSON &&
        r->nf != r->ncols) {
        if (r->nf < r->ncols)
            tema__reader_reject(r, 0, TEMA_REJECT_FEWER_FIELDS, 0, r->rec_line, 1,
                                "the row has %zu field%s but the header has %zu", r->nf,
                                r->nf == 1 ? "" : "s", r->ncols);
        else
            tema__reader_reject(r, 0, TEMA_REJECT_MORE_FIELDS, r->ncols + 1, r->xline, r->xcol,
                                "the row has %zu fields but the header has %zu", r->nf,
                                r->ncols);
    }
    rec->line = r->rec_line;
    rec->raw = r->raw_len ? r->buf + r->beg : "";
    rec->raw_len = r->raw_len;
    count_utf8(r, (const unsigned char *)rec->raw, rec->raw_len);
    r->st.rows++;
    if (r->rej != TEMA_REJECT_NONE) {
        r->st.rejected++;
        rec->reject = r->rej;
        rec->column = r->rej_field;
        char col[300] = "";
        if (r->rej_field && r->rej_field <= r->ncols)
            snprintf(col, sizeof col, " (column \"%s\")", r->hnames.p + r->hoff[r->rej_field - 1]);
        snprintf(r->errmsg, sizeof r->errmsg, "%s:%llu:%llu: %s%s [%s]", r->name,
                 (unsigned long long)r->rej_line, (unsigned long long)r->rej_col, r->rej_text, col,
                 tema_reject_name(r->rej));
        return TEMA_ERR_ROW;
    }
    if (r->nf > r->capout) {
        tema_field *v = realloc(r->out, r->nf * sizeof *v);
        if (!v)
            return r->fatal = TEMA_ERR_NOMEM;
        r->out = v;
        r->capout = r->nf;
    }
    for (size_t i = 0; i < r->nf; i++) {
        if (r->fv[i].off == SIZE_MAX) {
            r->out[i].ptr = "";
            r->out[i].len = 0;
        } else {
            r->out[i].ptr = r->fbuf.p + r->fv[i].off;
            r->out[i].len = r->fv[i].len;
        }
    }
    rec->fields = r->out;
    rec->nfields = r->nf;
    r->st.ok++;
    return TEMA_OK;
}
