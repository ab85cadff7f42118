/*
 * csv.c: the CSV scanner, RFC 4180 as Excel writes it.  A resumable state
 * machine over the window: runs of ordinary bytes are found eight bytes at a
 * time (SWAR, as in musl's memchr) and copied with one memcpy, so the state
 * machine runs once per delimiter, quote or line break, not once per byte.  Leniency (documented in docs/input.md): a quote inside an unquoted
 * field is a literal quote, and text after a closing quote is appended to
 * the field, as Excel does; both are counted in lenient_quotes.
 */
#include "reader.h"

/* Stream offset of window byte 's' as a 1-based column on the current line. */
static inline uint64_t col_of(const tema_reader *r, const unsigned char *s)
{
    return r->base + (uint64_t)(s - (const unsigned char *)r->buf) - r->line_abs + 1;
}

/* Ends the record at the line feed at window offset 'nl' (or at 'end' when
 * the input ends without one).  Returns 1 when the record was a blank line. */
static int finish(tema_reader *r, size_t nl, int has_nl)
{
    /* A CR before the line break belongs to the break (CRLF files); a CR
     * inside quotes was stored before 'unq_from' and is kept. */
    if (r->rej == TEMA_REJECT_NONE && r->fbuf.len > r->unq_from &&
        r->fbuf.p[r->fbuf.len - 1] == '\r')
        r->fbuf.len--;
    size_t raw_end = nl;
    if (raw_end > r->beg && r->buf[raw_end - 1] == '\r')
        raw_end--;
    r->raw_len = r->skipping ? 0 : raw_end - r->beg;
    if (has_nl) {
        r->pos = nl + 1;
        r->line++;
        r->line_abs = r->base + r->pos;
    } else {
        r->pos = nl;
    }
    return r->raw_len == 0 && !r->skipping && r->rej == TEMA_REJECT_NONE;
}

tema_status tema__csv_record(tema_reader *r)
{
    tema_status st;
next_record:
    r->beg = r->pos;
    r->rec_line = r->line;
    r->nf = 0;
    r->fbuf.len = 0;
    r->rej = TEMA_REJECT_NONE;
    r->cst = TEMA__CSV_START;
    r->skipping = 0;
    r->started = 0;
    r->unq_from = 0;
    const unsigned char delim = (unsigned char)r->delim;
    for (;;) {
        const unsigned char *b = (const unsigned char *)r->buf;
        const unsigned char *s = b + r->pos, *e = b + r->end;
        while (s < e) {
            const unsigned char *t;
            switch (r->cst) {
            case TEMA__CSV_START:
                r->started = 1;
                tema__field_begin(r, r->line, col_of(r, s));
                if (*s == '"') {
                    r->qline = r->fline;
                    r->qcol = r->fcol;
                    r->unq_from = SIZE_MAX;  /* nothing to strip until a closing quote */
                    r->cst = TEMA__CSV_QUOTED;
                    s++;
                } else {
                    r->unq_from = r->fbuf.len;
                    r->cst = TEMA__CSV_UNQ;
                }
                break;
            case TEMA__CSV_UNQ:
                t = tema__scan(s, e, delim, '\n', '"');
                if (t > s && (st = tema__field_put(r, s, (size_t)(t - s))) != TEMA_OK)
                    return st;
                s = t;
                if (t == e)
                    break;
                s = t + 1;
                if (*t == delim) {
                    if ((st = tema__field_end(r)) != TEMA_OK)
                        return st;
                    r->cst = TEMA__CSV_START;
                } else if (*t == '\n') {
                    int blank = finish(r, (size_t)(t - b), 1);
                    if ((st = tema__field_end(r)) != TEMA_OK)
                        return st;
                    if (blank && r->nf == 1) {
                        r->st.blank_lines++;
                        goto next_record;
                    }
                    return TEMA_OK;
                } else { /* a quote inside an unquoted field: literal */
                    r->st.lenient_quotes++;
                    if ((st = tema__field_put(r, t, 1)) != TEMA_OK)
                        return st;
                }
                break;
            case TEMA__CSV_QUOTED:
                t = tema__scan(s, e, '"', '\n', '"');
                if (t == e) {
                    if (t > s && (st = tema__field_put(r, s, (size_t)(t - s))) != TEMA_OK)
                        return st;
                    s = t;
                } else if (*t == '\n') { /* a line break inside quotes is data */
                    if ((st = tema__field_put(r, s, (size_t)(t + 1 - s))) != TEMA_OK)
                        return st;
                    s = t + 1;
                    r->line++;
                    r->line_abs = r->base + (uint64_t)(s - b);
                } else {
                    if (t > s && (st = tema__field_put(r, s, (size_t)(t - s))) != TEMA_OK)
                        return st;
                    s = t + 1;
                    r->cst = TEMA__CSV_QSEEN;
                }
                break;
            case TEMA__CSV_QSEEN: /* after a quote inside a quoted field */
                if (*s == '"') { /* doubled quote */
                    if ((st = tema__field_put(r, s, 1)) != TEMA_OK)
                        return st;
                    s++;
                    r->cst = TEMA__CSV_QUOTED;
                } else if (*s == delim) {
                    if ((st = tema__field_end(r)) != TEMA_OK)
                        return st;
                    s++;
                    r->cst = TEMA__CSV_START;
                } else if (*s == '\n') {
                    finish(r, (size_t)(s - b), 1);
                    return tema__field_end(r);
                } else { /* text after the closing quote: appended, as Excel does */
                    if (*s != '\r')
                        r->st.lenient_quotes++;
                    r->unq_from = r->fbuf.len;
                    r->cst = TEMA__CSV_UNQ;
                }
                break;
            }
        }
        r->pos = (size_t)(s - b);
        if (r->eof) {
            if (!r->started)
                return TEMA_DONE;
            if (r->cst == TEMA__CSV_QUOTED) {
                tema__reader_reject(r, 1, TEMA_REJECT_UNTERMINATED_QUOTE, r->nf + 1, r->qline,
                                    r->qcol,
                                    "the quote that opens field %zu is never closed (the field "
                                    "runs to the end of the input)",
                                    r->nf + 1);
                size_t raw_end = r->end;
                if (raw_end > r->beg && r->buf[raw_end - 1] == '\n')
                    raw_end--;
                if (raw_end > r->beg && r->buf[raw_end - 1] == '\r')
                    raw_end--;
                r->raw_len = r->skipping ? 0 : raw_end - r->beg;
                r->pos = r->end;
                return TEMA_OK;
            }
            if (r->cst == TEMA__CSV_START) { /* the input ends just after a delimiter */
                tema__field_begin(r, r->line, col_of(r, (const unsigned char *)r->buf + r->end));
                r->unq_from = r->fbuf.len;
            }
            int blank = finish(r, r->end, 0);
            if ((st = tema__field_end(r)) != TEMA_OK)
                return st;
            if (blank && r->nf == 1) {
                r->st.blank_lines++;
                goto next_record;
            }
            return TEMA_OK;
        }
        if (!r->skipping && r->end - r->beg > r->o.max_record + 1) { /* + 1: CR of a CRLF */
            r->skipping = 1;
            tema__reader_reject(r, 1, TEMA_REJECT_RECORD_TOO_LONG, 0, r->rec_line, 1,
                                "the record is longer than max_record (%zu bytes); skipped to "
                                "the next record",
                                r->o.max_record);
        }
        if (r->skipping)
            r->beg = r->end;  /* discard: only the scanner state is needed */
        if ((st = tema__reader_fill(r)) != TEMA_OK)
            return st;
    }
}
