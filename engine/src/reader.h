/*
 * reader.h: the reader object shared by reader.c (window, TSV, public API),
 * csv.c and jsonl.c.  Input sits in one window buffer that holds at most
 * the current record plus one read chunk; field bytes are copied (and
 * unescaped) into a reusable field buffer.  Private to the library.
 */
#ifndef TEMA_READER_H
#define TEMA_READER_H

#include <stdint.h>
#include <stdlib.h>

#include "common.h"
#include "input.h"

#define TEMA__READ_CHUNK (64u * 1024u)  /* bytes asked of the input per read */

/* Default limits (documented in tema.h and docs/input.md). */
#define TEMA__MAX_FIELD   (64u * 1024u)
#define TEMA__MAX_COLUMNS 1024u
#define TEMA__MAX_RECORD  (1024u * 1024u)

/* A field of the current record, as an offset into the field buffer. */
typedef struct tema__fspan {
    size_t off;  /* offset in 'fbuf'; SIZE_MAX for a missing JSON key */
    size_t len;  /* bytes */
} tema__fspan;

/* CSV scanner states (csv.c). */
enum { TEMA__CSV_START, TEMA__CSV_UNQ, TEMA__CSV_QUOTED, TEMA__CSV_QSEEN };

struct tema_reader {
    tema_reader_opts o;          /* options, defaults filled in */
    tema_format fmt;             /* format in use */
    char delim;                  /* field delimiter (CSV, TSV) */
    char sep;                    /* delimiter of a skipped "sep=" first line, 0 if none */
    tema__input *in;             /* byte source (input.c) */
    char name[512];              /* file name for messages ("<stdin>" for "-") */
    char errmsg[1024];           /* last message */
    tema_status fatal;           /* sticky fatal error, TEMA_OK if none */

    /* Window over the decoded input. */
    char *buf;                   /* bytes [0, end) are valid */
    size_t cap;                  /* allocated */
    size_t limit;                /* largest 'cap' allowed: max_record + one chunk */
    size_t beg;                  /* start of the current record */
    size_t pos;                  /* scan position */
    size_t end;                  /* end of valid bytes */
    int eof;                     /* the input has no more bytes */
    uint64_t base;               /* stream offset of buf[0] */
    uint64_t line;               /* physical line at 'pos' (1-based) */
    uint64_t line_abs;           /* stream offset where that line starts */

    /* Header. */
    tema__buf hnames;            /* column names, each NUL-terminated */
    size_t *hoff;                /* offset of each name in 'hnames' */
    size_t ncols;                /* columns */
    size_t caphoff;              /* allocated entries in 'hoff' */
    tema__strmap hmap;           /* name -> column (JSON Lines keys) */
    int have_header;             /* the header has been read */

    /* The current record. */
    tema__buf fbuf;              /* field bytes, each field NUL-terminated */
    tema__fspan *fv;             /* fields */
    size_t nf;                   /* fields seen (also counted once rejected) */
    size_t capf;                 /* allocated entries in 'fv' */
    tema_field *out;             /* fields handed to the caller */
    size_t capout;               /* allocated entries in 'out' */
    tema__buf keybuf;            /* JSON key scratch */
    uint64_t rec_line;           /* line where the record starts */
    size_t raw_len;              /* raw record bytes at buf + beg */
    int skipping;                /* record exceeded max_record; bytes are discarded */
    int started;                 /* the record has consumed a byte */

    /* Field being built. */
    size_t fstart;               /* its offset in 'fbuf' */
    size_t ftotal;               /* its length, counted even when not stored */
    size_t unq_from;             /* 'fbuf' offset of its unquoted tail (CR stripping) */
    uint64_t fline, fcol;        /* where it starts */
    uint64_t xline, xcol;        /* where the first field beyond the header starts */

    /* CSV scanner (csv.c). */
    int cst;                     /* TEMA__CSV_* */
    uint64_t qline, qcol;        /* the opening quote of the current quoted field */

    /* Rejection of the current record (the first reason wins). */
    tema_reject rej;             /* TEMA_REJECT_NONE if the record is fine */
    size_t rej_field;            /* 1-based field, 0 for the whole row */
    uint64_t rej_line, rej_col;  /* position for the message */
    char rej_text[512];          /* reason, without position or code */

    /* JSON document (jsonarr.c). */
    int jstate;                  /* where the scan of the records array is (TEMA__JA_*) */
    int jnest;                   /* objects around the records array */
    int jseq;                    /* no array: top-level objects one after another (jq's output) */
    char records[256];           /* the member holding the records; "" for a top-level array */
    uint64_t jline, jcol;        /* where the records array opens */

    /* JSON Lines line holding several objects (jsonl.c). */
    size_t jl_next;              /* window offset of the line's next object; 0 if none */
    size_t jl_line;              /* window offset where that line starts (for columns) */
    size_t jl_end;               /* and where it ends (without CR LF) */

    tema_reader_stats st;        /* counters */
};

/* Compacts the window to the current record and reads more input.  Sets
 * 'eof' when none is left. */
tema_status tema__reader_fill(tema_reader *r);

/* Records why the current record is rejected, unless a reason is already
 * set (or always, with 'force'). */
void tema__reader_reject(tema_reader *r, int force, tema_reject why, size_t field, uint64_t line,
                         uint64_t col, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Appends a column name to the header; returns its index through '*index'. */
tema_status tema__reader_add_column(tema_reader *r, const char *name, size_t len, size_t *index);

/* Scanners: each reads one record into the field buffer, skipping blank
 * lines.  TEMA_OK (r->rej says whether it is rejected), TEMA_DONE, or a
 * fatal status. */
tema_status tema__csv_record(tema_reader *r);
/* Parses the JSON Lines record in window bytes [ls, le), the line's first
 * object when several follow one another (then r->jl_next is set); sets
 * '*blank' for a line of only white space. */
tema_status tema__jsonl_line(tema_reader *r, size_t ls, size_t le, int *blank);
/* The next object of the line last given to tema__jsonl_line(), when
 * r->jl_next says one follows (objects one after another on a line). */
tema_status tema__jsonl_next(tema_reader *r);
/* Finds the first valid JSON object and takes its keys as the header,
 * without consuming any input. */
tema_status tema__jsonl_header(tema_reader *r);
/* Parses the JSON object that is the whole of [s, e) (a JSON Lines line or
 * an array element; 'element' picks the word in messages), starting at
 * line r->rec_line after 'col0' columns.  With 'header' its keys become the
 * columns; otherwise its values fill the fields.  TEMA_OK (r->rej says
 * whether it was rejected) or TEMA_ERR_NOMEM. */
tema_status tema__json_object(tema_reader *r, const char *s, const char *e, uint64_t col0,
                              int element, int header);
/* One try at the header: parses [s, e) as tema__json_object() with
 * 'header' set; when the object is rejected, keeps the first rejection as
 * "line:col: message" in 'first' (if still empty) and forgets the partial
 * header.  Sets '*taken' when the object gave the header. */
tema_status tema__json_header_try(tema_reader *r, const char *s, const char *e, uint64_t col0,
                                  int element, char *first, size_t firstsz, int *taken);
/* Unescapes the JSON string at [s, e) (s is its opening quote) into 'out'. */
tema_status tema__json_key(tema_reader *r, const char *s, const char *e, tema__buf *out);

/* JSON documents (jsonarr.c).  tema__json_sniff: 1 when input that starts
 * with '{' is one JSON document (pretty-printed, or one line holding an
 * object that wraps records) rather than JSON Lines; reads ahead without
 * consuming.  tema__json_header: finds the records array (a top-level
 * array, or the member of a top-level object named by 'records' or found;
 * or, when the first object is followed by another or is a record itself,
 * the stream of top-level objects),
 * then takes the header from its first valid object.  tema__json_record:
 * the next element. */
tema_status tema__json_sniff(tema_reader *r, int *doc);
/* The end of the JSON value that starts at 's' (not white space), found by
 * the bracket scanner alone (strings and brackets); NULL when it does not
 * end before 'e'. */
const char *tema__json_value_end(const char *s, const char *e);
tema_status tema__json_header(tema_reader *r);
tema_status tema__json_record(tema_reader *r);

#define TEMA__ONES  0x0101010101010101ull
#define TEMA__HIGHS 0x8080808080808080ull

/* The bytes of 'w' equal to the byte repeated in 'pat' get their high bit
 * set; the lowest flagged byte is always a true match (the carry of the
 * classic "has zero byte" trick only ever flags bytes above a real one). */
static inline uint64_t tema__match(uint64_t w, uint64_t pat)
{
    uint64_t x = w ^ pat;
    return (x - TEMA__ONES) & ~x & TEMA__HIGHS;
}

/* The first byte in [t, e) that equals 'a', 'b' or 'c' (pass a twice for
 * two), or 'e'.  Eight bytes per step; little-endian byte order assumed for
 * the count of trailing zeros, checked by the #error below. */
static inline const unsigned char *tema__scan(const unsigned char *t, const unsigned char *e,
                                              unsigned char a, unsigned char b, unsigned char c)
{
    const uint64_t pa = TEMA__ONES * a, pb = TEMA__ONES * b, pc = TEMA__ONES * c;
    while (e - t >= 8) {
        uint64_t w;
        memcpy(&w, t, 8);
        uint64_t m = tema__match(w, pa) | tema__match(w, pb) | tema__match(w, pc);
        if (m)
            return t + (__builtin_ctzll(m) >> 3);
        t += 8;
    }
    while (t < e && *t != a && *t != b && *t != c)
        t++;
    return t;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "reader.h: tema__scan() assumes a little-endian target"
#endif

/* Starts a field at ('line', 'col'): checks max_columns. */
static inline void tema__field_begin(tema_reader *r, uint64_t line, uint64_t col)
{
    r->fstart = r->fbuf.len;
    r->ftotal = 0;
    r->fline = line;
    r->fcol = col;
    if (r->have_header && r->nf == r->ncols) {
        r->xline = line;
        r->xcol = col;
    }
    if (r->nf == r->o.max_columns)
        tema__reader_reject(r, 0, TEMA_REJECT_TOO_MANY_COLUMNS, r->nf + 1, line, col,
                            "the row has more than max_columns (%zu) fields", r->o.max_columns);
}

/* Adds bytes to the current field.  Once the record is rejected nothing is
 * stored: only its raw bytes matter then, and memory stays bounded. */
static inline tema_status tema__field_put(tema_reader *r, const void *s, size_t n)
{
    r->ftotal += n;
    if (r->ftotal > r->o.max_field && r->rej == TEMA_REJECT_NONE)
        tema__reader_reject(r, 0, TEMA_REJECT_FIELD_TOO_LONG, r->nf + 1, r->fline, r->fcol,
                            "field %zu is longer than max_field (%zu bytes)", r->nf + 1,
                            r->o.max_field);
    if (r->rej != TEMA_REJECT_NONE)
        return TEMA_OK;
    if (r->fbuf.cap - r->fbuf.len >= n) { /* the common case, without a call */
        memcpy(r->fbuf.p + r->fbuf.len, s, n);
        r->fbuf.len += n;
        return TEMA_OK;
    }
    return tema__buf_append(&r->fbuf, s, n);
}

/* Ends the current field. */
static inline tema_status tema__field_end(tema_reader *r)
{
    if (r->rej == TEMA_REJECT_NONE) {
        if (r->nf == r->capf) {
            size_t cap = r->capf ? r->capf * 2 : 32;
            tema__fspan *v = realloc(r->fv, cap * sizeof *v);
            if (!v)
                return TEMA_ERR_NOMEM;
            r->fv = v;
            r->capf = cap;
        }
        r->fv[r->nf].off = r->fstart;
        r->fv[r->nf].len = r->fbuf.len - r->fstart;
        if (tema__buf_putc(&r->fbuf, '\0') != TEMA_OK)
            return TEMA_ERR_NOMEM;
    }
    r->nf++;
    return TEMA_OK;
}

#endif
