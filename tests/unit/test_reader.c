/*
 * test_reader.c: the CSV, TSV and JSON Lines readers.  Every expected value
 * was worked out by hand from RFC 4180, RFC 8259, the Windows-1252 table
 * and docs/input.md.  Small inputs are written to a temporary folder;
 * byte-exact fixtures (BOM, CRLF, Windows-1252) live in tests/data/readers/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "tema.h"
#include "input.h"

#define TMPFILES_PREFIX "tema-reader"
#include "tmpfiles.h"

static const char *fixture(const char *name)
{
    static char p[600];
    const char *d = getenv("TEMA_DATA");
    snprintf(p, sizeof p, "%s/tests/data/readers/%s", d && *d ? d : ".", name);
    return p;
}

static tema_reader *open_with(const char *path, const tema_reader_opts *o)
{
    tema_reader *r = NULL;
    tema_status st = tema_reader_open(path, o, &r);
    if (st != TEMA_OK)
        fail_msg("open %s: %s: %s", path, tema_errstr(st), r ? tema_reader_errmsg(r) : "");
    return r;
}

static tema_reader *open_ok(const char *path)
{
    return open_with(path, NULL);
}

/* Expects a good row at 'line' with exactly the given fields. */
static void expect_row(tema_reader *r, uint64_t line, size_t n, ...)
{
    tema_record rec;
    tema_status st = tema_reader_next(r, &rec);
    if (st != TEMA_OK)
        fail_msg("expected a row at line %llu, got %s: %s", (unsigned long long)line,
                 tema_errstr(st), tema_reader_errmsg(r));
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.reject, TEMA_REJECT_NONE);
    assert_int_equal(rec.nfields, n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        assert_int_equal(rec.fields[i].len, strlen(want));
        assert_memory_equal(rec.fields[i].ptr, want, strlen(want));
        assert_int_equal(rec.fields[i].ptr[rec.fields[i].len], '\0');
    }
    va_end(ap);
}

/* Expects a rejected row; 'msg' must occur in the message. */
static tema_record expect_reject(tema_reader *r, uint64_t line, tema_reject why, size_t column,
                                 const char *msg)
{
    tema_record rec;
    tema_status st = tema_reader_next(r, &rec);
    if (st != TEMA_ERR_ROW)
        fail_msg("expected a rejected row at line %llu, got %s", (unsigned long long)line,
                 tema_errstr(st));
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.reject, why);
    assert_int_equal(rec.column, column);
    assert_int_equal(rec.nfields, 0);
    assert_null(rec.fields);
    if (!strstr(tema_reader_errmsg(r), msg))
        fail_msg("message \"%s\" lacks \"%s\"", tema_reader_errmsg(r), msg);
    return rec;
}

static void expect_done(tema_reader *r)
{
    tema_record rec;
    assert_int_equal(tema_reader_next(r, &rec), TEMA_DONE);
    assert_int_equal(tema_reader_next(r, &rec), TEMA_DONE);
}

static void expect_header(tema_reader *r, size_t n, ...)
{
    assert_int_equal(tema_reader_columns(r), n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(tema_reader_column_name(r, i), va_arg(ap, const char *));
    va_end(ap);
    assert_null(tema_reader_column_name(r, n));
}

/* ---- CSV: RFC 4180 ------------------------------------------------- */

static void test_csv_plain_fields_and_final_line_without_newline(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("plain.csv", "a,b,c\n1,2,3\n x ,y y,z"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_CSV);
    assert_int_equal(tema_reader_delimiter(r), ',');
    expect_header(r, 3, "a", "b", "c");
    expect_row(r, 2, 3, "1", "2", "3");
    expect_row(r, 3, 3, " x ", "y y", "z");  /* spaces are data (RFC 4180 2.4) */
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_quoted_fields_doubled_quotes_and_delimiters_inside(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("quoted.csv", "\"id\",\"text\"\n\"1\",\"sa \"\"hej\"\", ok\"\n"
                                                 "2,\"\"\"\"\n"));
    expect_header(r, 2, "id", "text");
    expect_row(r, 2, 2, "1", "sa \"hej\", ok");
    expect_row(r, 3, 2, "2", "\"");
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_line_breaks_inside_quotes_keep_line_numbers(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("nl.csv", "id,text\n1,\"rad ett\nrad två\n\nrad fyra\"\n2,x\n"));
    expect_row(r, 2, 2, "1", "rad ett\nrad två\n\nrad fyra");
    expect_row(r, 6, 2, "2", "x");
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_crlf_is_stripped_but_cr_inside_quotes_is_kept(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("crlf.csv", "a,b\r\n1,\"x\r\ny\"\r\n2,\"z\r\"\r\n3,w\r"));
    expect_header(r, 2, "a", "b");
    expect_row(r, 2, 2, "1", "x\r\ny");
    expect_row(r, 4, 2, "2", "z\r");
    expect_row(r, 5, 2, "3", "w");
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_empty_fields_and_blank_lines(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("empty.csv", "a,b,c\n\n,,\n\"\",\"\",x\n\r\n"));
    expect_row(r, 3, 3, "", "", "");
    expect_row(r, 4, 3, "", "", "x");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.blank_lines, 2);
    assert_int_equal(st.rows, 2);
    tema_reader_close(r);
    /* the input ends just after a delimiter: the last field is empty */
    r = open_ok(WRITE("empty2.csv", "a,b\nxy,"));
    expect_row(r, 2, 2, "xy", "");
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_single_column_quoted_empty_line_is_a_row(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("one.csv", "kommentar\n\"\"\n\nbra\n"));
    assert_int_equal(tema_reader_columns(r), 1);
    expect_row(r, 2, 1, "");
    expect_row(r, 4, 1, "bra");
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_header_only_file_has_no_rows(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("hdr.csv", "id,text\n"));
    expect_header(r, 2, "id", "text");
    expect_done(r);
    tema_reader_close(r);
}

static void test_csv_lenient_quotes_are_kept_as_text(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("lenient.csv", "a,b\n5\" skärm,\"citat\" efter\n"));
    expect_row(r, 2, 2, "5\" skärm", "citat efter");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.lenient_quotes, 2);
    tema_reader_close(r);
}

static void test_csv_unterminated_quote_reports_the_opening_quote(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("unterm.csv", "a,b\n1,ok\n2,\"aldrig\nstängd\n"));
    expect_row(r, 2, 2, "1", "ok");
    tema_record rec = expect_reject(r, 3, TEMA_REJECT_UNTERMINATED_QUOTE, 2,
                                    "unterm.csv:3:3: the quote that opens field 2 is never closed");
    assert_int_equal(rec.raw_len, strlen("2,\"aldrig\nstängd"));
    assert_memory_equal(rec.raw, "2,\"aldrig\nstängd", rec.raw_len);
    assert_non_null(strstr(tema_reader_errmsg(r), "(column \"b\") [unterminated-quote]"));
    expect_done(r);
    tema_reader_close(r);
}

/* ---- Excel's "sep=" first line ------------------------------------- */

static void test_sep_line_after_bom_with_crlf_sets_delimiter_and_is_skipped(void **s)
{
    (void)s;
    /* The comment's commas would win detection without the line: 2 commas
     * against 1 semicolon per row. */
    tema_reader *r = open_ok(WRITE("sep.csv", "\xEF\xBB\xBFsep=;\r\nid;text\r\n"
                                              "1;sent, trasigt, dyrt\r\n2;ok\r\n"));
    assert_int_equal(tema_reader_sep_line(r), ';');
    assert_int_equal(tema_reader_delimiter(r), ';');
    expect_header(r, 2, "id", "text");
    expect_row(r, 3, 2, "1", "sent, trasigt, dyrt");
    expect_row(r, 4, 2, "2", "ok");
    expect_done(r);
    tema_reader_close(r);
}

static void test_sep_line_quoted_lf_and_rejects_keep_physical_positions(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("sepq.txt", "\"sep=,\"\nid,text\n1,a;b\n2,x,y\n"));
    assert_int_equal(tema_reader_sep_line(r), ',');
    assert_int_equal(tema_reader_delimiter(r), ',');
    expect_header(r, 2, "id", "text");
    expect_row(r, 3, 2, "1", "a;b");
    /* "2,x,y": the extra field starts at byte column 5 of line 4 */
    expect_reject(r, 4, TEMA_REJECT_MORE_FIELDS, 3, "sepq.txt:4:5: the row has 3 fields");
    expect_done(r);
    tema_reader_close(r);
}

static void test_sep_line_as_excel_saves_it_back_and_tab(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("sepx.csv", "\"sep=;\";;\nid;a;b\n1;2;3\n"));
    assert_int_equal(tema_reader_sep_line(r), ';');
    expect_header(r, 3, "id", "a", "b");
    expect_row(r, 3, 3, "1", "2", "3");
    expect_done(r);
    tema_reader_close(r);
    r = open_ok(WRITE("sept.txt", "SEP=\t\nid\ttext\n1\tx, y; z | w\n"));
    assert_int_equal(tema_reader_sep_line(r), '\t');
    assert_int_equal(tema_reader_delimiter(r), '\t');
    expect_row(r, 3, 2, "1", "x, y; z | w");
    tema_reader_close(r);
}

static void test_sep_line_decides_where_detection_would_differ(void **s)
{
    (void)s;
    /* Both delimiters split every line consistently; detection would take
     * ';' (more header fields), the line says ','. */
    tema_reader *r = open_ok(WRITE("sepw.csv", "sep=,\nq;1,q;2\nx;y,z;w\n"));
    assert_int_equal(tema_reader_delimiter(r), ',');
    expect_header(r, 2, "q;1", "q;2");
    expect_row(r, 3, 2, "x;y", "z;w");
    expect_done(r);
    tema_reader_close(r);
    r = open_ok(WRITE("nosep.csv", "q;1,q;2\nx;y,z;w\n"));
    assert_int_equal(tema_reader_delimiter(r), ';');
    tema_reader_close(r);
}

static void test_sep_line_loses_to_an_explicit_delimiter(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.delimiter = ';';
    tema_reader *r = open_with(WRITE("sepd.csv", "sep=,\nid;text\n1;a,b\n"), &o);
    assert_int_equal(tema_reader_sep_line(r), ',');
    assert_int_equal(tema_reader_delimiter(r), ';');
    expect_header(r, 2, "id", "text");
    expect_row(r, 3, 2, "1", "a,b");
    expect_done(r);
    tema_reader_close(r);
}

static void test_lines_that_are_not_sep_lines_stay_the_header(void **s)
{
    (void)s;
    /* a letter is no delimiter; text after it; not on the first line */
    tema_reader *r = open_ok(WRITE("nsep1.csv", "sep=x\n1\n"));
    assert_int_equal(tema_reader_sep_line(r), 0);
    expect_header(r, 1, "sep=x");
    expect_row(r, 2, 1, "1");
    tema_reader_close(r);
    r = open_ok(WRITE("nsep2.csv", "sep=;x,y\n1,2\n"));
    assert_int_equal(tema_reader_sep_line(r), 0);
    expect_header(r, 2, "sep=;x", "y");
    tema_reader_close(r);
    r = open_ok(WRITE("nsep3.csv", "a,b\nsep=;\n"));
    assert_int_equal(tema_reader_sep_line(r), 0);
    expect_reject(r, 2, TEMA_REJECT_FEWER_FIELDS, 0, "nsep3.csv:2:1:");
    tema_reader_close(r);
    /* a sep line and nothing else: no header */
    tema_reader *e = NULL;
    assert_int_equal(tema_reader_open(WRITE("sepo.csv", "sep=;\r\n"), NULL, &e), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(e), "no header line"));
    tema_reader_close(e);
}

static void test_column_index_refuses_a_name_that_matches_two_columns(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("dup.csv", "id,Comment,Comment,Score,SCORE,score,Note,NOTE\n"
                                              "1,a,b,1,2,3,x,y\n"));
    size_t i = 99;
    /* two exact matches */
    assert_int_equal(tema_reader_column_index(r, "Comment", 7, &i), TEMA_ERR_AMBIGUOUS);
    assert_int_equal(i, 1);
    /* one exact match wins over the two that differ in case */
    assert_int_equal(tema_reader_column_index(r, "SCORE", 5, &i), TEMA_OK);
    assert_int_equal(i, 4);
    /* no exact match: the case-insensitive rule finds two */
    i = 99;
    assert_int_equal(tema_reader_column_index(r, "note", 4, &i), TEMA_ERR_AMBIGUOUS);
    assert_int_equal(i, 6);
    /* "comment" matches the two only ignoring case: still ambiguous */
    assert_int_equal(tema_reader_column_index(r, "comment", 7, &i), TEMA_ERR_AMBIGUOUS);
    assert_int_equal(i, 1);
    assert_int_equal(tema_reader_column_index(r, "ID", 2, &i), TEMA_OK);
    assert_int_equal(i, 0);
    tema_reader_close(r);
}

static void test_csv_bom_semicolon_crlf_fixture(void **s)
{
    (void)s;
    tema_reader *r = open_ok(fixture("semicolon_bom_crlf.csv"));
    assert_int_equal(tema_reader_delimiter(r), ';');
    expect_header(r, 3, "id", "kommentar", "betyg");
    expect_row(r, 2, 3, "1", "Bra service, snabb leverans", "5");
    expect_row(r, 3, 3, "2", "Paketet kom \"sent\"\r\nmen helt", "2");
    expect_row(r, 5, 3, "3", "", "4");
    expect_done(r);
    size_t i = 99;
    assert_int_equal(tema_reader_column_index(r, "kommentar", 9, &i), TEMA_OK);
    assert_int_equal(i, 1);
    assert_int_equal(tema_reader_column_index(r, "BETYG", 5, &i), TEMA_OK);
    assert_int_equal(i, 2);
    assert_int_equal(tema_reader_column_index(r, "text", 4, &i), TEMA_ERR_NOTFOUND);
    tema_reader_close(r);
}

/* ---- delimiter detection -------------------------------------------- */

static void test_delimiter_detection(void **s)
{
    (void)s;
    struct {
        const char *name, *text;
        char delim;
        size_t cols;
    } cases[] = {
        /* commas inside the comments must not outvote the semicolons */
        {"d1.csv", "id;kommentar\n1;Bra, men dyrt, tyvärr\n2;ok\n", ';', 2},
        {"d2.csv", "id\ttext\tscore\n1\ta, b; c\t3\n", '\t', 3},
        {"d3.csv", "id|text\n1|x,y\n", '|', 2},
        /* a delimiter inside a quoted header name does not count */
        {"d4.csv", "id,\"Vad tycker du; egentligen?\"\n1,bra\n", ',', 2},
        /* the header has more semicolons than commas, but only commas are consistent */
        {"d5.csv", "id,namn;efternamn;titel,text\n1,a;b,c\n2,d,e\n3,f,g\n", ',', 3},
        /* no candidate at all: one column */
        {"d6.csv", "kommentar\nbra\n", ',', 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tema_reader *r = open_ok(write_tmp(cases[i].name, cases[i].text, strlen(cases[i].text)));
        if (tema_reader_delimiter(r) != cases[i].delim)
            fail_msg("%s: detected '%c'", cases[i].name, tema_reader_delimiter(r));
        assert_int_equal(tema_reader_columns(r), cases[i].cols);
        tema_reader_close(r);
    }
}

static void test_delimiter_override(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.delimiter = ';';
    tema_reader *r = open_with(WRITE("over.csv", "a,b;c\n1,2;3\n"), &o);
    expect_header(r, 2, "a,b", "c");
    expect_row(r, 2, 2, "1,2", "3");
    tema_reader_close(r);
}

/* ---- ragged rows and row accounting --------------------------------- */

static void test_ragged_rows_are_rejected_not_padded(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("ragged.csv", "a,b,c\n1,2\n1,2,3,4\n1,2,3\n"));
    tema_record rec = expect_reject(r, 2, TEMA_REJECT_FEWER_FIELDS, 0,
                                    "ragged.csv:2:1: the row has 2 fields but the header has 3 "
                                    "[fewer-fields]");
    assert_int_equal(rec.raw_len, 3);
    assert_memory_equal(rec.raw, "1,2", 3);
    expect_reject(r, 3, TEMA_REJECT_MORE_FIELDS, 4,
                  "ragged.csv:3:7: the row has 4 fields but the header has 3 [more-fields]");
    expect_row(r, 4, 3, "1", "2", "3");
    expect_done(r);
    tema_reader_close(r);
}

static void test_row_accounting_on_file_with_known_bad_rows(void **s)
{
    (void)s;
    tema_reader *r = open_ok(fixture("bad_rows.csv"));
    expect_header(r, 3, "id", "text", "score");
    expect_row(r, 2, 3, "1", "ok", "5");
    expect_reject(r, 3, TEMA_REJECT_FEWER_FIELDS, 0, ":3:1: ");
    expect_reject(r, 4, TEMA_REJECT_MORE_FIELDS, 4, ":4:7: ");
    expect_row(r, 5, 3, "4", "fine, quoted", "3");
    expect_row(r, 7, 3, "5", "multi\nline", "1");
    expect_row(r, 9, 3, "6", "x\"y", "2");
    expect_row(r, 10, 3, "7", "ab", "2");
    tema_record rec = expect_reject(r, 11, TEMA_REJECT_UNTERMINATED_QUOTE, 2, ":11:3: ");
    assert_int_equal(rec.raw_len, strlen("8,\"never closed,1\n9,z,1"));
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.ok, 5);
    assert_int_equal(st.rejected, 3);
    assert_int_equal(st.rows, st.ok + st.rejected);
    assert_int_equal(st.blank_lines, 1);
    assert_int_equal(st.lenient_quotes, 2);
    tema_reader_close(r);
}

/* ---- limits ---------------------------------------------------------- */

static void test_field_longer_than_max_field_rejects_the_row(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.max_field = 10;
    tema_reader *r = open_with(WRITE("long.csv", "id,text\n1,0123456789\n2,\"01234567890\"\n3,x\n"),
                               &o);
    expect_row(r, 2, 2, "1", "0123456789");  /* exactly max_field is fine */
    tema_record rec = expect_reject(r, 3, TEMA_REJECT_FIELD_TOO_LONG, 2,
                                    "long.csv:3:3: field 2 is longer than max_field (10 bytes) "
                                    "(column \"text\") [field-too-long]");
    assert_int_equal(rec.raw_len, 15);  /* the raw row is whole, never truncated */
    expect_row(r, 4, 2, "3", "x");
    expect_done(r);
    tema_reader_close(r);
}

static void test_more_than_max_columns_rejects_the_row(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.max_columns = 3;
    tema_reader *r = open_with(WRITE("cols.csv", "a,b,c\n1,2,3,4,5\n1,2,3\n"), &o);
    expect_reject(r, 2, TEMA_REJECT_TOO_MANY_COLUMNS, 4, "cols.csv:2:7: the row has more than "
                                                         "max_columns (3) fields");
    expect_row(r, 3, 3, "1", "2", "3");
    tema_reader_close(r);
    /* a header wider than the limit cannot be read at all */
    tema_reader *bad = NULL;
    assert_int_equal(tema_reader_open(WRITE("cols2.csv", "a,b,c,d\n"), &o, &bad), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(bad), "cols2.csv: 1:7: header: the row has more"));
    tema_reader_close(bad);
}

static void test_record_longer_than_max_record_in_the_window(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.max_record = 12;
    tema_reader *r = open_with(WRITE("rec.csv", "a,b\n1,\"1234567890\"\n2,\"1234567\n\"\n3,x\n"),
                               &o);
    tema_record rec = expect_reject(r, 2, TEMA_REJECT_RECORD_TOO_LONG, 0,
                                    "rec.csv:2:1: the record is longer than max_record (12 bytes)");
    assert_int_equal(rec.raw_len, 0);
    expect_row(r, 3, 2, "2", "1234567\n");  /* 2,"1234567<LF>" is exactly 12 bytes */
    expect_row(r, 5, 2, "3", "x");
    expect_done(r);
    tema_reader_close(r);
}

/* Builds "id,text\n1,a\n2,\"<n bytes with a line break every 100>\"\n3,b\n". */
static char *huge_record_file(size_t n, int close_quote, size_t *len)
{
    char *p = malloc(n + 64);
    assert_non_null(p);
    size_t k = (size_t)sprintf(p, "id,text\n1,a\n2,\"");
    for (size_t i = 0; i < n; i++)
        p[k++] = i % 100 == 99 ? '\n' : 'x';
    k += (size_t)sprintf(p + k, close_quote ? "\"\n3,b\n" : "\n3,b\n");
    *len = k;
    return p;
}

static void test_record_longer_than_max_record_streams_past_without_growing(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.max_record = 4096;
    size_t len;
    char *text = huge_record_file(300000, 1, &len);  /* several read chunks */
    tema_reader *r = open_with(write_tmp("huge.csv", text, len), &o);
    free(text);
    expect_row(r, 2, 2, "1", "a");
    expect_reject(r, 3, TEMA_REJECT_RECORD_TOO_LONG, 0, "huge.csv:3:1:");
    /* 300000 bytes with a line break every 100: the record spans 3001 lines */
    expect_row(r, 3 + 3000 + 1, 2, "3", "b");
    expect_done(r);
    tema_reader_close(r);

    /* The same without the closing quote runs to the end of the input. */
    text = huge_record_file(300000, 0, &len);
    r = open_with(write_tmp("huge2.csv", text, len), &o);
    free(text);
    expect_row(r, 2, 2, "1", "a");
    expect_reject(r, 3, TEMA_REJECT_UNTERMINATED_QUOTE, 2, "huge2.csv:3:3:");
    expect_done(r);
    tema_reader_close(r);
}

/* ---- TSV ---------------------------------------------------------------- */

static void test_tsv_escapes(void **s)
{
    (void)s;
    tema_reader *r = open_ok(fixture("escapes.tsv"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_TSV);
    assert_int_equal(tema_reader_delimiter(r), '\t');
    expect_header(r, 2, "id", "text");
    expect_row(r, 2, 2, "1", "a\tb\nc\\d\\x");
    expect_row(r, 3, 2, "2", "");  /* \N */
    expect_row(r, 4, 2, "3", "");
    expect_done(r);
    tema_reader_close(r);
}

static void test_tsv_quotes_are_data_and_ragged_rows_rejected(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = TEMA_FORMAT_TSV;
    tema_reader *r = open_with(WRITE("q.txt", "a\tb\r\n\"x\t\"y\r\n1\t2\t3\r\n"), &o);
    expect_row(r, 2, 2, "\"x", "\"y");
    expect_reject(r, 3, TEMA_REJECT_MORE_FIELDS, 3, "q.txt:3:5: the row has 3 fields");
    expect_done(r);
    tema_reader_close(r);
}

/* ---- JSON Lines ------------------------------------------------------- */

static void test_jsonl_fixture(void **s)
{
    (void)s;
    tema_reader *r = open_ok(fixture("comments.jsonl"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSONL);
    assert_int_equal(tema_reader_delimiter(r), 0);
    expect_header(r, 4, "id", "text", "score", "ok");
    expect_row(r, 1, 4, "1", "Bra \xc3\xa4r \"citat\" och \\ snedstreck/", "4.5", "true");
    expect_row(r, 2, 4, "2", "emoji \xf0\x9f\x98\x80 ensam \xef\xbf\xbd slut", "", "");
    expect_reject(r, 3, TEMA_REJECT_JSON_SYNTAX, 0, "comments.jsonl:3:1: unexpected character");
    expect_row(r, 5, 4, "3", "ordning", "-1.5e3", "false");
    expect_reject(r, 6, TEMA_REJECT_JSON_NOT_OBJECT, 0, ":6:1: the line is a JSON array");
    expect_reject(r, 7, TEMA_REJECT_JSON_SYNTAX, 0, ":7:19: a string is not closed [json-syntax]");
    expect_reject(r, 8, TEMA_REJECT_JSON_SYNTAX, 0, ":8:35: expected ',' or '}' after a value");
    expect_row(r, 9, 4, "6", "tab\there\nny rad", "", "");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.ok, 4);
    assert_int_equal(st.rejected, 4);
    assert_int_equal(st.blank_lines, 1);
    /* "extra" on line 2; "tags" on line 5 holds an object, so it is skipped
     * whatever the header says, not counted */
    assert_int_equal(st.extra_keys, 1);
    tema_reader_close(r);
}

static void test_jsonl_header_from_first_valid_object_and_nested_values_flattened(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("n.ndjson", "{\"id\": 1, \"text\": \n"
                                               "{\"id\":1,\"meta\":{\"a\":[1, \"x\", null, true],"
                                               "\"o\":{\"b\":null},\"l\":[{\"q\":1}]},"
                                               "\"t\":\"\\u00C5\\u00e5\"}\n"
                                               "{\"meta\":[],\"id\":2,\"id\":3,\"t\":[]}\n"
                                               "{\"meta\":{\"a\":[[1]],\"o\":{\"b\":\"B\"}},\"t\":[2,3]}\n"));
    /* objects flatten to dotted names; meta.l, an array of objects, is no column */
    expect_header(r, 4, "id", "meta.a", "meta.o.b", "t");
    expect_reject(r, 1, TEMA_REJECT_JSON_SYNTAX, 0, "n.ndjson:1:19: a value is missing");
    /* scalars of an array joined with "; ", null left out */
    expect_row(r, 2, 4, "1", "1; x; true", "", "\xc3\x85\xc3\xa5");
    /* a repeated key: the last value wins; "meta" as an array is not a column */
    expect_row(r, 3, 4, "3", "", "", "");
    /* an array holding an array is skipped: meta.a stays empty */
    expect_row(r, 4, 4, "", "", "B", "2; 3");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.extra_keys, 1); /* "meta" on line 3 */
    tema_reader_close(r);
}

/* Issue 4: `jq -c` output joined without newlines puts several objects on
 * one line; each is a record of that line, as jq reads them. */
static void test_jsonl_objects_one_after_another_on_a_line(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("cc.jsonl",
                                   "{\"id\":1,\"t\":\"Bra service\"}{\"id\":2,\"t\":\"D\xc3\xa5lig\"} {\"id\":3}\n"
                                   "{\"id\":4,\"t\":\"a\"}x{\"id\":5}\n"     /* 'x' at 1 + 16 */
                                   "{\"id\":6,,\"t\":\"b\"}{\"id\":7,\"t\":\"c\"}\r\n" /* ',' at 9 */
                                   "{\"id\":8,\"t\":\"d\"}{\"id\":9,\"t\":\"cut"));  /* '"' at 16 + 13 */
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSONL);
    expect_header(r, 2, "id", "t");
    /* the raw text of each is its own object, not the line */
    tema_record rec;
    assert_int_equal(tema_reader_next(r, &rec), TEMA_OK);
    assert_int_equal(rec.line, 1);
    assert_int_equal(rec.raw_len, strlen("{\"id\":1,\"t\":\"Bra service\"}"));
    assert_memory_equal(rec.raw, "{\"id\":1,\"t\":\"Bra service\"}", rec.raw_len);
    assert_memory_equal(rec.fields[1].ptr, "Bra service", 12);
    assert_int_equal(tema_reader_next(r, &rec), TEMA_OK);
    assert_int_equal(rec.line, 1);
    assert_int_equal(rec.raw_len, strlen("{\"id\":2,\"t\":\"D\xc3\xa5lig\"}"));
    assert_memory_equal(rec.raw, "{\"id\":2,\"t\":\"D\xc3\xa5lig\"}", rec.raw_len);
    expect_row(r, 1, 2, "3", "");
    /* text between two objects: the one before it is rejected with the
     * rest of its line, so nothing after the garbage is guessed at */
    rec = expect_reject(r, 2, TEMA_REJECT_JSON_SYNTAX, 0, "cc.jsonl:2:17: text after the object");
    assert_int_equal(rec.raw_len, strlen("{\"id\":4,\"t\":\"a\"}x{\"id\":5}"));
    /* a broken object: its end is found by brackets, the next one is read */
    rec = expect_reject(r, 3, TEMA_REJECT_JSON_SYNTAX, 0, "cc.jsonl:3:9: expected a string key");
    assert_int_equal(rec.raw_len, strlen("{\"id\":6,,\"t\":\"b\"}"));
    expect_row(r, 3, 2, "7", "c");
    /* a cut-off last object is a rejected row, as a cut-off last line is */
    expect_row(r, 4, 2, "8", "d");
    rec = expect_reject(r, 4, TEMA_REJECT_JSON_SYNTAX, 0, "cc.jsonl:4:29: a string is not closed");
    assert_int_equal(rec.raw_len, strlen("{\"id\":9,\"t\":\"cut"));
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.ok, 5);
    assert_int_equal(st.rejected, 3);
    tema_reader_close(r);

    /* the header comes from the first valid object, here the line's second */
    r = open_ok(WRITE("h.jsonl", "{\"id\":1,,}  {\"id\":2,\"t\":\"x\"}\n"));
    expect_header(r, 2, "id", "t");
    expect_reject(r, 1, TEMA_REJECT_JSON_SYNTAX, 0, "h.jsonl:1:9: expected a string key");
    expect_row(r, 1, 2, "2", "x");
    expect_done(r);
    tema_reader_close(r);

    /* asked for as JSON Lines; a value that is no object before them is a
     * rejected row of its own (after an object, only an object may follow) */
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = TEMA_FORMAT_JSONL;
    r = open_with(WRITE("f.txt", "[2] {\"id\":1}{\"id\":3}\n{\"id\":4}[5]\n"), &o);
    expect_reject(r, 1, TEMA_REJECT_JSON_NOT_OBJECT, 0, "f.txt:1:1: the line is a JSON array");
    expect_row(r, 1, 1, "1");
    expect_row(r, 1, 1, "3");
    expect_reject(r, 2, TEMA_REJECT_JSON_SYNTAX, 0, "f.txt:2:9: text after the object");
    expect_done(r);
    tema_reader_close(r);
}

/* A whole export joined without newlines: the first line is longer than
 * max_record, so it cannot be one JSON Lines record; its objects are read
 * as a stream instead, each within the limit, even as JSON Lines. */
static void test_jsonl_first_line_longer_than_max_record_of_objects_is_a_stream(void **s)
{
    (void)s;
    enum { N = 10000 }; /* over 100 KB: more than the first read of 64 KiB */
    char *text = malloc(N * 16);
    assert_non_null(text);
    size_t n = 0;
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(text + n, "{\"id\":%d}", i);
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = TEMA_FORMAT_JSONL;
    o.max_record = 64;
    tema_reader *r = open_with(write_tmp("all.jsonl", text, n), &o);
    free(text);
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    assert_string_equal(tema_reader_records(r), "");
    expect_header(r, 1, "id");
    expect_row(r, 1, 1, "0");
    tema_record rec;
    size_t rows = 1;
    tema_status st;
    while ((st = tema_reader_next(r, &rec)) == TEMA_OK)
        if (++rows == N) {
            assert_int_equal(rec.fields[0].len, 4);
            assert_memory_equal(rec.fields[0].ptr, "9999", 4);
        }
    assert_int_equal(st, TEMA_DONE);
    assert_int_equal(rows, N);
    tema_reader_close(r);
}

/* ---- JSON documents ------------------------------------------------- */

static void test_json_array_pretty_printed_elements_over_lines(void **s)
{
    (void)s;
    tema_reader *r = open_ok(WRITE("a.txt", "[\n"
                                            "  {\n"
                                            "    \"id\": 1,\n"
                                            "    \"rating\": {\"score\": 4}\n"
                                            "  },\n"
                                            "  {\"id\": 2,\n"
                                            "   \"rating\": {\"score\": 5,}},\n" /* '}' at 7:26 */
                                            "  [1],\n"
                                            "  {\"id\": \"a]}\", \"x\": 1} ,{\"id\": 4}\n"
                                            "]\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    assert_string_equal(tema_reader_records(r), "");
    assert_int_equal(tema_reader_delimiter(r), 0);
    expect_header(r, 2, "id", "rating.score");
    expect_row(r, 2, 2, "1", "4");
    tema_record rec = expect_reject(r, 6, TEMA_REJECT_JSON_SYNTAX, 0,
                                    "a.txt:7:26: expected a string key [json-syntax]");
    const char *raw = "{\"id\": 2,\n   \"rating\": {\"score\": 5,}}";
    assert_int_equal(rec.raw_len, strlen(raw));
    assert_memory_equal(rec.raw, raw, strlen(raw));
    expect_reject(r, 8, TEMA_REJECT_JSON_NOT_OBJECT, 0,
                  "a.txt:8:3: the element is a JSON array, not an object");
    expect_row(r, 9, 2, "a]}", "");
    expect_row(r, 9, 2, "4", "");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.rows, 5);
    assert_int_equal(st.rejected, 2);
    assert_int_equal(st.extra_keys, 1); /* "x" */
    tema_reader_close(r);
}

static void test_json_wrapped_object_first_array_of_objects_or_named_member(void **s)
{
    (void)s;
    const char *doc = "{\"total\": 2, \"tags\": [\"x\"], \"empty\": [],\n"
                      " \"meta\": {\"items\": [{\"id\": \"m\"}]},\n"
                      " \"responses\": [{\"id\": 1}, {\"id\": 2}],\n"
                      " \"after\": {\"s\": \"]}\"}}\n";
    tema_reader *r = open_ok(write_tmp("w.json", doc, strlen(doc)));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    assert_string_equal(tema_reader_records(r), "responses");
    expect_header(r, 1, "id");
    expect_row(r, 3, 1, "1");
    expect_row(r, 3, 1, "2");
    expect_done(r);
    tema_reader_close(r);

    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.records = "meta.items";
    r = open_with(write_tmp("w.json", doc, strlen(doc)), &o);
    assert_string_equal(tema_reader_records(r), "meta.items");
    expect_row(r, 2, 1, "m");
    expect_done(r);
    tema_reader_close(r);

    o.records = "meta.nope";
    assert_int_equal(tema_reader_open(write_tmp("w.json", doc, strlen(doc)), &o, &r), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "w.json:2:10: records 'meta.nope': no member 'nope'"));
    tema_reader_close(r);
    o.records = "total";
    assert_int_equal(tema_reader_open(write_tmp("w.json", doc, strlen(doc)), &o, &r), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "w.json:1:11: records 'total': member 'total' is not an array"));
    tema_reader_close(r);
}

static void test_json_one_line_object_is_jsonl_unless_it_wraps_records(void **s)
{
    (void)s;
    /* two lines, each an object: JSON Lines, as before */
    tema_reader *r = open_ok(WRITE("l.json", "{\"id\":1,\"l\":[{\"a\":1}]}\n{\"id\":2}\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSONL);
    assert_null(tema_reader_records(r));
    tema_reader_close(r);
    /* one line holding an array of objects: a compact API response */
    r = open_ok(WRITE("z.txt", "{\"tickets\":[{\"id\":7},{\"id\":8}],\"next_page\":null}\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    assert_string_equal(tema_reader_records(r), "tickets");
    expect_row(r, 1, 1, "7");
    expect_row(r, 1, 1, "8");
    expect_done(r);
    tema_reader_close(r);
    /* a first line that ends inside the object: pretty-printed */
    r = open_ok(WRITE("p.txt", "{\n \"data\": [\n  {\"id\": 9}\n ]\n}\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    expect_row(r, 3, 1, "9");
    expect_done(r);
    tema_reader_close(r);
}

/* Issue 4: a lone object whose member is an array of objects is one record
 * when it reads like one (docs/input.md, "A record or a wrapper"). */
static void test_json_lone_object_with_array_of_objects_record_or_wrapper(void **s)
{
    (void)s;
    /* free text in the object, none in the array's first object: a record
     * (JSON Lines, since it is one line); the array is no column */
    tema_reader *r = open_ok(WRITE("r.json", "{\"id\":1,\"comment\":\"Bra service\","
                                             "\"answers\":[{\"q\":\"nps\",\"v\":9}]}\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSONL);
    assert_null(tema_reader_records(r));
    expect_header(r, 2, "id", "comment");
    expect_row(r, 1, 2, "1", "Bra service");
    expect_done(r);
    tema_reader_close(r);
    /* the same with --format json: a stream of one object */
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = TEMA_FORMAT_JSON;
    r = open_with(WRITE("r.json", "{\"id\":1,\"comment\":\"Bra service\","
                                  "\"answers\":[{\"q\":\"nps\",\"v\":9}]}\n"), &o);
    assert_string_equal(tema_reader_records(r), "");
    expect_row(r, 1, 2, "1", "Bra service");
    expect_done(r);
    tema_reader_close(r);
    /* pretty-printed, the array before the text, the text in a nested object */
    r = open_ok(WRITE("p.json", "{\n \"id\": \"r1\",\n \"replies\": [{\"by\": \"shop\", \"text\": \"Tack\"}],\n"
                                " \"review\": {\"text\": \"Mycket bra pris\"}\n}\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    assert_string_equal(tema_reader_records(r), "");
    expect_header(r, 2, "id", "review.text");
    expect_row(r, 1, 2, "r1", "Mycket bra pris");
    expect_done(r);
    tema_reader_close(r);
    /* no free text on either side: a record, for it has members that are
     * no bookkeeping ("id", "comment") */
    r = open_ok(WRITE("o.json", "{\"id\":1,\"comment\":\"Bra\",\"answers\":[{\"q\":\"nps\"}]}"));
    expect_row(r, 1, 2, "1", "Bra");
    expect_done(r);
    tema_reader_close(r);

    /* wrappers */
    static const struct {
        const char *doc, *records, *first;
    } wrap[] = {
        /* only bookkeeping beside the array */
        {"{\"page\":1,\"list\":[{\"id\":\"a\",\"t\":\"Bra\"}],\"next\":null}\n", "list", "a"},
        /* bookkeeping is passed over even when it holds free text */
        {"{\"meta\":{\"note\":\"all is well\"},\"list\":[{\"id\":\"b\"}]}\n", "list", "b"},
        /* a usual name for the records wins over the object's own text */
        {"{\"survey\":\"Kundn\xc3\xb6jdhet 2024\",\"responses\":[{\"id\":\"c\",\"t\":\"Bra\"}]}\n",
         "responses", "c"},
        /* a usual name, though the object has a title and the first answer is short */
        {"{\"survey\":\"Kundn\xc3\xb6jdhet 2024\",\"comments\":[{\"id\":\"e\",\"t\":\"Bra\"}]}\n",
         "comments", "e"},
        {"{\"survey_id\":\"s-19\",\"list\":[{\"id\":\"g\",\"comment\":\"ok\"}]}\n", "list", "g"},
        /* more free text in the array's first object than in the object */
        {"{\"id\":\"s1\",\"questions\":[{\"id\":\"d\",\"t\":\"Hur n\xc3\xb6jd \xc3\xa4r du\"}]}\n",
         "questions", "d"},
    };
    for (size_t i = 0; i < sizeof wrap / sizeof wrap[0]; i++) {
        r = open_ok(write_tmp("w.json", wrap[i].doc, strlen(wrap[i].doc)));
        assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
        assert_string_equal(tema_reader_records(r), wrap[i].records);
        tema_record rec;
        assert_int_equal(tema_reader_next(r, &rec), TEMA_OK);
        assert_int_equal(rec.fields[0].len, 1);
        assert_memory_equal(rec.fields[0].ptr, wrap[i].first, 1);
        expect_done(r);
        tema_reader_close(r);
    }
}

static void test_json_stream_of_pretty_printed_objects(void **s)
{
    (void)s;
    /* `jq '.[]' export.json` prints the records one after another, each
     * over several lines, with no array around them */
    tema_reader *r = open_ok(WRITE("jq.json", "{\n"
                                              "  \"id\": 1,\n"
                                              "  \"text\": \"Sen leverans\"\n"
                                              "}\n"
                                              "{\n"
                                              "  \"id\": 2, \"text\": \"x\",,\n" /* ',' at 6:24 */
                                              "}\n"
                                              "[3]\n"
                                              "{\"id\": 4, \"text\": \"}{\"} {\"id\": 5}\n"));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSON);
    assert_string_equal(tema_reader_records(r), "");
    expect_header(r, 2, "id", "text");
    expect_row(r, 1, 2, "1", "Sen leverans");
    expect_reject(r, 5, TEMA_REJECT_JSON_SYNTAX, 0, "jq.json:6:24: ");
    expect_reject(r, 8, TEMA_REJECT_JSON_NOT_OBJECT, 0, "jq.json:8:1: the element is a JSON array");
    expect_row(r, 9, 2, "4", "}{");
    expect_row(r, 9, 2, "5", "");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.rows, 5);
    assert_int_equal(st.ok, 3);
    assert_int_equal(st.rejected, 2);
    tema_reader_close(r);

    /* --format json on JSON Lines: the same stream, one object per line */
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = TEMA_FORMAT_JSON;
    r = open_with(WRITE("l.txt", "{\"id\":1}\n{\"id\":2}\n"), &o);
    expect_row(r, 1, 1, "1");
    expect_row(r, 2, 1, "2");
    expect_done(r);
    tema_reader_close(r);

    /* a stray bracket between the objects breaks the stream: fatal, with its place */
    tema_record rec;
    r = open_ok(WRITE("s.json", "{\n \"id\": 1\n}\n{\"id\": 2}\n]\n{\"id\": 3}\n"));
    expect_row(r, 1, 1, "1");
    expect_row(r, 4, 1, "2");
    assert_int_equal(tema_reader_next(r, &rec), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "/s.json:5:1: expected '{' (the input is JSON "
                                                  "objects one after another)"));
    tema_reader_close(r);

    /* one pretty-printed object alone is still an API response that must
     * hold its records */
    assert_int_equal(tema_reader_open(WRITE("o.json", "{\n \"id\": 1\n}\n"), NULL, &r),
                     TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "no member of the top-level object is an array"));
    tema_reader_close(r);
}

static void test_json_broken_structure_is_fatal_with_position(void **s)
{
    (void)s;
    tema_record rec;
    /* no comma between elements */
    tema_reader *r = open_ok(WRITE("b.json", "[{\"id\":1},\n {\"id\":2} {\"id\":3}]"));
    expect_row(r, 1, 1, "1");
    expect_row(r, 2, 1, "2");
    assert_int_equal(tema_reader_next(r, &rec), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r),
                           "/b.json:2:11: expected ',' or ']' after an array element"));
    assert_int_equal(tema_reader_next(r, &rec), TEMA_ERR_PARSE);
    tema_reader_close(r);
    /* cut off inside an element */
    r = open_ok(WRITE("c.json", "[{\"id\":1},\n  {\"id\":\"2"));
    expect_row(r, 1, 1, "1");
    assert_int_equal(tema_reader_next(r, &rec), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "c.json:2:3: the array element that starts here "
                                                  "is not closed"));
    tema_reader_close(r);
    /* text after the document */
    r = open_ok(WRITE("t.json", "[{\"id\":1}]\n]"));
    expect_row(r, 1, 1, "1");
    assert_int_equal(tema_reader_next(r, &rec), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "/t.json:2:1: text after the end of the JSON document"));
    tema_reader_close(r);
    /* an empty array has no header */
    assert_int_equal(tema_reader_open(WRITE("e.json", " [ ] "), NULL, &r), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "the array is empty"));
    tema_reader_close(r);
}

static void test_json_element_longer_than_max_record_is_skipped(void **s)
{
    (void)s;
    char text[400];
    int n = snprintf(text, sizeof text, "[{\"id\":1},\n{\"id\":\"%0200d\"},\n{\"id\":3}]", 0);
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = TEMA_FORMAT_JSON;
    o.max_record = 64;
    tema_reader *r = open_with(write_tmp("long.txt", text, (size_t)n), &o);
    expect_row(r, 1, 1, "1");
    tema_record rec = expect_reject(r, 2, TEMA_REJECT_RECORD_TOO_LONG, 0, "long.txt:2:1:");
    assert_int_equal(rec.raw_len, 0);
    expect_row(r, 3, 1, "3");
    expect_done(r);
    tema_reader_close(r);
}

static void test_reader_opts_version_1_is_still_accepted(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.version = 1;
    o.records = "ignored: a version 1 struct has no such member";
    tema_reader *r = open_with(WRITE("v1.csv", "a\nx\n"), &o);
    expect_row(r, 2, 1, "x");
    tema_reader_close(r);
}

static void test_jsonl_bad_escapes_numbers_and_depth(void **s)
{
    (void)s;
    char deep[200];
    size_t k = (size_t)sprintf(deep, "{\"id\":\"d\",\"x\":");
    for (int i = 0; i < 65; i++)
        deep[k++] = '[';
    for (int i = 0; i < 65; i++)
        deep[k++] = ']';
    deep[k++] = '}';
    deep[k++] = '\n';
    char text[600];
    int n = snprintf(text, sizeof text,
                     "{\"id\":\"a\",\"x\":1}\n"
                     "{\"id\":\"\\q\"}\n"          /* invalid escape at column 8 */
                     "{\"id\":\"\\u12G4\"}\n"      /* bad \u at column 8 */
                     "{\"id\":1.}\n"               /* digits must follow '.', column 9 */
                     "{\"id\":-}\n"                /* invalid number at column 7 */
                     "{\"id\":1} x\n"              /* text after the object, column 10 */
                     "{\"id\":\"ok\",}\n"          /* a trailing comma: '}' at column 12 */
                     "%.*s"
                     "{\"id\":\"end\"}",           /* no final newline */
                     (int)k, deep);
    tema_reader *r = open_ok(write_tmp("e.jsonl", text, (size_t)n));
    expect_row(r, 1, 2, "a", "1");
    expect_reject(r, 2, TEMA_REJECT_JSON_SYNTAX, 0, ":2:8: invalid escape");
    expect_reject(r, 3, TEMA_REJECT_JSON_SYNTAX, 0, ":3:8: a \\u escape needs four hex digits");
    expect_reject(r, 4, TEMA_REJECT_JSON_SYNTAX, 0, ":4:9: invalid number");
    expect_reject(r, 5, TEMA_REJECT_JSON_SYNTAX, 0, ":5:7: invalid number");
    expect_reject(r, 6, TEMA_REJECT_JSON_SYNTAX, 0, ":6:10: text after the object");
    expect_reject(r, 7, TEMA_REJECT_JSON_SYNTAX, 0, ":7:12: expected a string key");
    expect_reject(r, 8, TEMA_REJECT_JSON_SYNTAX, 0, ":8:79: nested more than 64 levels deep");
    expect_row(r, 9, 2, "end", "");
    expect_done(r);
    tema_reader_close(r);
}

static void test_jsonl_limits(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.max_field = 4;
    o.max_record = 30;
    tema_reader *r = open_with(WRITE("lim.jsonl", "{\"id\":\"1\",\"t\":\"abcd\"}\n"
                                                  "{\"id\":\"2\",\"t\":\"abcde\"}\n"
                                                  "{\"id\":\"3\",\"t\":\"abcd\",\"xxxxxxxxxxx\":1}\n"
                                                  "{\"t\":\"z\",\"id\":\"4\"}\n"),
                               &o);
    expect_row(r, 1, 2, "1", "abcd");
    expect_reject(r, 2, TEMA_REJECT_FIELD_TOO_LONG, 2, "lim.jsonl:2:15: field 2 is longer than "
                                                       "max_field (4 bytes) (column \"t\")");
    expect_reject(r, 3, TEMA_REJECT_RECORD_TOO_LONG, 0, "lim.jsonl:3:1: the record is longer");
    expect_row(r, 4, 2, "4", "z");
    expect_done(r);
    tema_reader_close(r);
}

static void test_jsonl_without_any_object_fails_to_open(void **s)
{
    (void)s;
    tema_reader *r = NULL;
    assert_int_equal(tema_reader_open(WRITE("none.jsonl", "[1]\nnope\n"), NULL, &r),
                     TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "none.jsonl: no line is a valid JSON object; "
                                                  "first error: 1:1: the line is a JSON array"));
    tema_reader_close(r);
}

/* ---- encodings ------------------------------------------------------- */

static void test_cp1252_and_latin1_are_transcoded(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.encoding = TEMA_ENC_CP1252;
    tema_reader *r = open_with(fixture("cp1252.csv"), &o);
    expect_row(r, 2, 2, "1", "f\xc3\xb6rsenad \xe2\x82\xac 50 \xe2\x80\x9e" "bra\xe2\x80\x9c");
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.invalid_utf8, 0);
    tema_reader_close(r);

    o.encoding = TEMA_ENC_LATIN1;
    r = open_with(fixture("cp1252.csv"), &o);
    expect_row(r, 2, 2, "1", "f\xc3\xb6rsenad \xc2\x80 50 \xc2\x84" "bra\xc2\x93");
    tema_reader_close(r);
}

static void test_cp1252_table(void **s)
{
    (void)s;
    /* € ‚ ƒ „ … then the five undefined bytes, then Ÿ and two Latin-1 letters */
    const unsigned char in[] = {0x80, 0x82, 0x83, 0x84, 0x85, 0x81, 0x8D, 0x8F,
                                0x90, 0x9D, 0x9F, 0xE5, 0xFF, 'a'};
    char out[3 * sizeof in];
    size_t n = tema__transcode(TEMA_ENC_CP1252, in, sizeof in, out);
    const char want[] = "\xe2\x82\xac\xe2\x80\x9a\xc6\x92\xe2\x80\x9e\xe2\x80\xa6"
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                        "\xc5\xb8\xc3\xa5\xc3\xbf" "a";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(out, want, n);
}

static void test_invalid_utf8_is_counted_and_looks_like_cp1252(void **s)
{
    (void)s;
    tema_reader *r = open_ok(fixture("cp1252.csv"));
    /* not a row error: the bytes come through untouched */
    expect_row(r, 2, 2, "1", "f\xf6rsenad \x80 50 \x84" "bra\x93");
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.invalid_utf8, 4);
    assert_int_equal(st.cp1252_like, 3);  /* all but the € between spaces */
    assert_int_equal(st.looks_cp1252, 1);
    tema_reader_close(r);

    /* damaged UTF-8 (a cut 3-byte sequence between spaces) does not look like cp1252 */
    r = open_ok(WRITE("cut.csv", "a\nx \xe2\x82 y \xe2\x82 z\n"));
    expect_row(r, 2, 1, "x \xe2\x82 y \xe2\x82 z");
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.invalid_utf8, 2);
    assert_int_equal(st.cp1252_like, 0);
    assert_int_equal(st.looks_cp1252, 0);
    tema_reader_close(r);
}

static void test_utf8_bom_wins_over_requested_encoding(void **s)
{
    (void)s;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.encoding = TEMA_ENC_CP1252;
    tema_reader *r = open_with(WRITE("bom.csv", "\xef\xbb\xbf" "a\n\xc3\xa5\n"), &o);
    expect_header(r, 1, "a");
    expect_row(r, 2, 1, "\xc3\xa5");
    tema_reader_close(r);
}

static void test_empty_and_missing_files_fail_to_open(void **s)
{
    (void)s;
    tema_reader *r = NULL;
    assert_int_equal(tema_reader_open(WRITE("empty.csv", ""), NULL, &r), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "empty.csv: the input is empty"));
    tema_reader_close(r);
    assert_int_equal(tema_reader_open("/nonexistent/x.csv", NULL, &r), TEMA_ERR_IO);
    assert_non_null(strstr(tema_reader_errmsg(r), "/nonexistent/x.csv: cannot open"));
    tema_reader_close(r);
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.delimiter = '"';
    assert_int_equal(tema_reader_open("x.csv", &o, &r), TEMA_ERR_MISUSE);
    assert_null(r);
    tema_reader_close(NULL);
}

/* ---- gzip -------------------------------------------------------------- */

/* gzip-compresses 'text' into the file 'name' and returns its path. */
static const char *write_gz(const char *name, const char *text)
{
    size_t bound = compressBound((uLong)strlen(text)) + 64;
    unsigned char *out = malloc(bound);
    assert_non_null(out);
    const char *p = write_tmp(name, out, gzip_member(text, strlen(text), out, bound));
    free(out);
    return p;
}

static size_t read_all(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void test_gzip_file_and_concatenated_members(void **s)
{
    (void)s;
    tema_reader *r = open_ok(write_gz("c.csv.gz", "id;text\n1;gzippad\n"));
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.gzip, 1);
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_CSV);  /* .csv under .gz */
    assert_int_equal(tema_reader_delimiter(r), ';');
    expect_row(r, 2, 2, "1", "gzippad");
    expect_done(r);
    tema_reader_close(r);

    /* two members, as `cat a.gz b.gz` makes; content sniffed (no extension) */
    unsigned char a[512], b[512], both[1024];
    size_t na = read_all(write_gz("a.gz", "{\"id\":1}\n"), a, sizeof a);
    size_t nb = read_all(write_gz("b.gz", "{\"id\":2}\n"), b, sizeof b);
    memcpy(both, a, na);
    memcpy(both + na, b, nb);
    r = open_ok(write_tmp("both", both, na + nb));
    assert_int_equal(tema_reader_format(r), TEMA_FORMAT_JSONL);
    expect_row(r, 1, 1, "1");
    expect_row(r, 2, 1, "2");
    expect_done(r);
    tema_reader_close(r);
}

static void test_gzip_corrupt_and_truncated_are_fatal(void **s)
{
    (void)s;
    /* enough varied text that the damage lands inside the deflate data */
    char text[4000];
    size_t k = (size_t)sprintf(text, "id,text\n");
    for (int i = 0; k < sizeof text - 40; i++)
        k += (size_t)sprintf(text + k, "%d,kommentar nummer %d\n", i, i * 7919);
    unsigned char gz[8192];
    size_t n = read_all(write_gz("ok.csv.gz", text), gz, sizeof gz);
    assert_true(n > 100);

    /* truncated: the last 20 bytes (end of the data and the trailer) are gone */
    tema_reader *r = NULL;
    tema_status st = tema_reader_open(write_tmp("trunc.csv.gz", gz, n - 20), NULL, &r);
    tema_record rec;
    while (st == TEMA_OK && (st = tema_reader_next(r, &rec)) == TEMA_OK)
        ;
    assert_int_equal(st, TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "trunc.csv.gz: corrupt gzip data"));
    if (r)
        assert_int_equal(tema_reader_next(r, &rec), TEMA_ERR_PARSE);  /* sticky */
    tema_reader_close(r);

    /* corrupt: the CRC in the trailer is wrong */
    gz[n - 8] ^= 0xFF;
    r = NULL;
    st = tema_reader_open(write_tmp("crc.csv.gz", gz, n), NULL, &r);
    while (st == TEMA_OK && (st = tema_reader_next(r, &rec)) == TEMA_OK)
        ;
    assert_int_equal(st, TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "crc.csv.gz: corrupt gzip data"));
    tema_reader_close(r);
}

static void test_gzip_on_stdin(void **s)
{
    (void)s;
    const char *p = write_gz("stdin.gz", "a,b\n1,2\n");
    assert_non_null(freopen(p, "rb", stdin));
    tema_reader *r = open_ok("-");
    expect_row(r, 2, 2, "1", "2");
    expect_done(r);
    tema_reader_close(r);
}

/* ---- UTF-16 ------------------------------------------------------------ */

/* Writes code units 'u' as UTF-16 bytes ('be' for big-endian) after an
 * optional byte order mark; returns the byte count. */
static size_t put_u16(unsigned char *out, int bom, int be, const uint16_t *u, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n + (size_t)bom; i++) {
        uint16_t v = i < (size_t)bom ? 0xFEFF : u[i - (size_t)bom];
        out[o++] = (unsigned char)(be ? v >> 8 : v & 0xFF);
        out[o++] = (unsigned char)(be ? v & 0xFF : v >> 8);
    }
    return o;
}

/* What Excel's "Unicode Text" writes: TAB-separated, CRLF, a field with a
 * line break quoted.  "id\ttext\r\n1\tf\xf6rsenad <U+1F600>\r\n2\t\"tv\xe5\r\nrader\"\r\n3\tok\r\n" */
static const uint16_t excel_units[] = {
    'i', 'd', '\t', 't', 'e', 'x', 't', '\r', '\n',
    '1', '\t', 'f', 0xF6, 'r', 's', 'e', 'n', 'a', 'd', ' ', 0xD83D, 0xDE00, '\r', '\n',
    '2', '\t', '"', 't', 'v', 0xE5, '\r', '\n', 'r', 'a', 'd', 'e', 'r', '"', '\r', '\n',
    '3', '\t', 'o', 'k', '\r', '\n'};

static void expect_excel_rows(tema_reader *r)
{
    expect_header(r, 2, "id", "text");
    assert_int_equal(tema_reader_delimiter(r), '\t');
    expect_row(r, 2, 2, "1", "f\xc3\xb6rsenad \xf0\x9f\x98\x80");
    expect_row(r, 3, 2, "2", "tv\xc3\xa5\r\nrader");
    expect_row(r, 5, 2, "3", "ok");  /* lines of the decoded text */
    expect_done(r);
}

static void test_utf16_excel_unicode_text_le_and_be(void **s)
{
    (void)s;
    unsigned char b[256];
    size_t n = put_u16(b, 1, 0, excel_units, sizeof excel_units / 2);
    assert_int_equal(b[0], 0xFF);
    assert_int_equal(b[1], 0xFE);
    const char *p = write_tmp("excel-le.txt", b, n);
    tema_reader *r = open_ok(p);
    assert_int_equal(tema_reader_encoding(r), TEMA_ENC_UTF16LE);
    expect_excel_rows(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.invalid_utf16, 0);
    assert_int_equal(st.invalid_utf8, 0);
    assert_int_equal(st.bytes_in, n);
    /* the content hash is of the bytes as stored, not the decoded text */
    char h1[TEMA_HASH_SIZE], h2[TEMA_HASH_SIZE];
    tema_reader_content_hash(r, h1);
    assert_int_equal(tema_file_content_hash(p, h2), TEMA_OK);
    assert_string_equal(h1, h2);
    tema_reader_close(r);

    n = put_u16(b, 1, 1, excel_units, sizeof excel_units / 2);
    r = open_ok(write_tmp("excel-be.txt", b, n));
    assert_int_equal(tema_reader_encoding(r), TEMA_ENC_UTF16BE);
    expect_excel_rows(r);
    tema_reader_close(r);

    /* a plain UTF-8 file reports UTF-8 */
    r = open_ok(WRITE("plain.csv", "a\n1\n"));
    assert_int_equal(tema_reader_encoding(r), TEMA_ENC_UTF8);
    tema_reader_close(r);
}

static void test_utf16_requested_encoding_and_the_byte_order_mark(void **s)
{
    (void)s;
    unsigned char b[256];
    const size_t nu = sizeof excel_units / 2;
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    tema_reader *r;

    /* no mark: the requested byte order */
    o.encoding = TEMA_ENC_UTF16LE;
    r = open_with(write_tmp("nobom-le.txt", b, put_u16(b, 0, 0, excel_units, nu)), &o);
    expect_excel_rows(r);
    tema_reader_close(r);
    o.encoding = TEMA_ENC_UTF16BE;
    r = open_with(write_tmp("nobom-be.txt", b, put_u16(b, 0, 1, excel_units, nu)), &o);
    expect_excel_rows(r);
    tema_reader_close(r);
    /* a mark that agrees is dropped */
    r = open_with(write_tmp("bom-be.txt", b, put_u16(b, 1, 1, excel_units, nu)), &o);
    expect_excel_rows(r);
    tema_reader_close(r);
    /* "by the mark" */
    o.encoding = TEMA_ENC_UTF16;
    r = open_with(write_tmp("bom-be2.txt", b, put_u16(b, 1, 1, excel_units, nu)), &o);
    assert_int_equal(tema_reader_encoding(r), TEMA_ENC_UTF16BE);
    expect_excel_rows(r);
    tema_reader_close(r);

    /* errors name the file */
    r = NULL;
    assert_int_equal(tema_reader_open(write_tmp("nobom.txt", b, put_u16(b, 0, 0, excel_units, nu)),
                                      &o, &r),
                     TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "nobom.txt: "));
    assert_non_null(strstr(tema_reader_errmsg(r), "has none"));
    tema_reader_close(r);
    const char *le = write_tmp("bom-le.txt", b, put_u16(b, 1, 0, excel_units, nu));
    o.encoding = TEMA_ENC_UTF16BE;
    r = NULL;
    assert_int_equal(tema_reader_open(le, &o, &r), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r),
                           "bom-le.txt: the byte order mark (FF FE) says UTF-16LE, but UTF-16BE "
                           "was asked for"));
    tema_reader_close(r);
    o.encoding = TEMA_ENC_CP1252;
    r = NULL;
    assert_int_equal(tema_reader_open(le, &o, &r), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "says UTF-16LE, but Windows-1252 was asked"));
    tema_reader_close(r);
    o.encoding = TEMA_ENC_UTF16LE;
    r = NULL;
    assert_int_equal(tema_reader_open(WRITE("u8bom.csv", "\xef\xbb\xbf" "a\n"), &o, &r),
                     TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_reader_errmsg(r), "(EF BB BF) says UTF-8, but UTF-16LE"));
    tema_reader_close(r);
}

static void test_utf16_repairs_are_counted(void **s)
{
    (void)s;
    /* "a\n" then a row with a lone high surrogate before 'x', then a row
     * ending in half a code unit (the file has an odd length) */
    const uint16_t u[] = {'a', '\n', 0xD83D, 'x', '\n', 'y'};
    unsigned char b[64];
    size_t n = put_u16(b, 1, 0, u, 6);
    b[n++] = 'z';
    tema_reader *r = open_ok(write_tmp("repair.txt", b, n));
    expect_row(r, 2, 1, "\xef\xbf\xbdx");
    expect_row(r, 3, 1, "y\xef\xbf\xbd");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.invalid_utf16, 2);
    assert_int_equal(st.invalid_utf8, 0);  /* the decoded text is valid UTF-8 */
    tema_reader_close(r);
}

/* The input reads plain files 256 KiB at a time: a surrogate pair at bytes
 * 262142-262145 has its high half in one read and its low half in the
 * next.  BOM (2) + "ab\n" (6) + 65533 rows "x\n" (4 each) = 262140. */
static void test_utf16_pair_split_across_two_reads(void **s)
{
    (void)s;
    size_t cap = 262200, n = 0;
    unsigned char *b = malloc(cap);
    assert_non_null(b);
    const uint16_t head[] = {'a', 'b', '\n'}, row[] = {'x', '\n'},
                   last[] = {'y', 0xD83D, 0xDE00, '\n'};
    n += put_u16(b + n, 1, 0, head, 3);
    for (int i = 0; i < 65533; i++)
        n += put_u16(b + n, 0, 0, row, 2);
    assert_int_equal(n, 262140);
    n += put_u16(b + n, 0, 0, last, 4);
    tema_reader *r = open_ok(write_tmp("split.txt", b, n));
    free(b);
    tema_record rec;
    for (int i = 0; i < 65533; i++) {
        assert_int_equal(tema_reader_next(r, &rec), TEMA_OK);
        assert_int_equal(rec.fields[0].len, 1);
    }
    expect_row(r, 65535, 1, "y\xf0\x9f\x98\x80");
    expect_done(r);
    tema_reader_stats st;
    tema_reader_get_stats(r, &st);
    assert_int_equal(st.invalid_utf16, 0);
    tema_reader_close(r);
}

/* A gzip member ends where one read of decompressed bytes ends, so two
 * members cut in the middle of a code unit (and of a surrogate pair) put
 * the halves into different reads.  Also read from standard input. */
static void test_utf16_unit_split_across_gzip_members(void **s)
{
    (void)s;
    const uint16_t u[] = {'t', '\n', 0xE6, 0xD83D, 0xDE00, 0xF8, '\n'};
    unsigned char b[64];
    size_t n = put_u16(b, 1, 1, u, 7);
    const char *p = NULL;
    for (size_t cut = 1; cut < n; cut++) {
        unsigned char gz[512];
        size_t k = gzip_member(b, cut, gz, sizeof gz);
        k += gzip_member(b + cut, n - cut, gz + k, sizeof gz - k);
        if (!p) {
            p = write_tmp("members.gz", gz, k);
        } else {  /* the same file again: the temporary folder keeps a list of 64 */
            FILE *f = fopen(p, "wb");
            assert_non_null(f);
            assert_int_equal(fwrite(gz, 1, k, f), k);
            assert_int_equal(fclose(f), 0);
        }
        tema_reader *r = open_ok(p);
        assert_int_equal(tema_reader_encoding(r), TEMA_ENC_UTF16BE);
        expect_header(r, 1, "t");
        expect_row(r, 2, 1, "\xc3\xa6\xf0\x9f\x98\x80\xc3\xb8");
        expect_done(r);
        tema_reader_stats st;
        tema_reader_get_stats(r, &st);
        assert_int_equal(st.gzip, 1);
        assert_int_equal(st.invalid_utf16, 0);
        tema_reader_close(r);
        if (cut == 9) {  /* inside the pair: D8 | 3D DE 00 */
            assert_non_null(freopen(p, "rb", stdin));
            r = open_ok("-");
            expect_header(r, 1, "t");
            expect_row(r, 2, 1, "\xc3\xa6\xf0\x9f\x98\x80\xc3\xb8");
            expect_done(r);
            tema_reader_close(r);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_plain_fields_and_final_line_without_newline),
        cmocka_unit_test(test_csv_quoted_fields_doubled_quotes_and_delimiters_inside),
        cmocka_unit_test(test_csv_line_breaks_inside_quotes_keep_line_numbers),
        cmocka_unit_test(test_csv_crlf_is_stripped_but_cr_inside_quotes_is_kept),
        cmocka_unit_test(test_csv_empty_fields_and_blank_lines),
        cmocka_unit_test(test_csv_single_column_quoted_empty_line_is_a_row),
        cmocka_unit_test(test_csv_header_only_file_has_no_rows),
        cmocka_unit_test(test_csv_lenient_quotes_are_kept_as_text),
        cmocka_unit_test(test_csv_unterminated_quote_reports_the_opening_quote),
        cmocka_unit_test(test_csv_bom_semicolon_crlf_fixture),
        cmocka_unit_test(test_column_index_refuses_a_name_that_matches_two_columns),
        cmocka_unit_test(test_sep_line_after_bom_with_crlf_sets_delimiter_and_is_skipped),
        cmocka_unit_test(test_sep_line_quoted_lf_and_rejects_keep_physical_positions),
        cmocka_unit_test(test_sep_line_as_excel_saves_it_back_and_tab),
        cmocka_unit_test(test_sep_line_decides_where_detection_would_differ),
        cmocka_unit_test(test_sep_line_loses_to_an_explicit_delimiter),
        cmocka_unit_test(test_lines_that_are_not_sep_lines_stay_the_header),
        cmocka_unit_test(test_delimiter_detection),
        cmocka_unit_test(test_delimiter_override),
        cmocka_unit_test(test_ragged_rows_are_rejected_not_padded),
        cmocka_unit_test(test_row_accounting_on_file_with_known_bad_rows),
        cmocka_unit_test(test_field_longer_than_max_field_rejects_the_row),
        cmocka_unit_test(test_more_than_max_columns_rejects_the_row),
        cmocka_unit_test(test_record_longer_than_max_record_in_the_window),
        cmocka_unit_test(test_record_longer_than_max_record_streams_past_without_growing),
        cmocka_unit_test(test_tsv_escapes),
        cmocka_unit_test(test_tsv_quotes_are_data_and_ragged_rows_rejected),
        cmocka_unit_test(test_jsonl_fixture),
        cmocka_unit_test(test_jsonl_header_from_first_valid_object_and_nested_values_flattened),
        cmocka_unit_test(test_jsonl_objects_one_after_another_on_a_line),
        cmocka_unit_test(test_jsonl_first_line_longer_than_max_record_of_objects_is_a_stream),
        cmocka_unit_test(test_json_array_pretty_printed_elements_over_lines),
        cmocka_unit_test(test_json_wrapped_object_first_array_of_objects_or_named_member),
        cmocka_unit_test(test_json_one_line_object_is_jsonl_unless_it_wraps_records),
        cmocka_unit_test(test_json_lone_object_with_array_of_objects_record_or_wrapper),
        cmocka_unit_test(test_json_stream_of_pretty_printed_objects),
        cmocka_unit_test(test_json_broken_structure_is_fatal_with_position),
        cmocka_unit_test(test_json_element_longer_than_max_record_is_skipped),
        cmocka_unit_test(test_reader_opts_version_1_is_still_accepted),
        cmocka_unit_test(test_jsonl_bad_escapes_numbers_and_depth),
        cmocka_unit_test(test_jsonl_limits),
        cmocka_unit_test(test_jsonl_without_any_object_fails_to_open),
        cmocka_unit_test(test_cp1252_and_latin1_are_transcoded),
        cmocka_unit_test(test_cp1252_table),
        cmocka_unit_test(test_invalid_utf8_is_counted_and_looks_like_cp1252),
        cmocka_unit_test(test_utf8_bom_wins_over_requested_encoding),
        cmocka_unit_test(test_empty_and_missing_files_fail_to_open),
        cmocka_unit_test(test_utf16_excel_unicode_text_le_and_be),
        cmocka_unit_test(test_utf16_requested_encoding_and_the_byte_order_mark),
        cmocka_unit_test(test_utf16_repairs_are_counted),
        cmocka_unit_test(test_utf16_pair_split_across_two_reads),
        cmocka_unit_test(test_utf16_unit_split_across_gzip_members),
        cmocka_unit_test(test_gzip_file_and_concatenated_members),
        cmocka_unit_test(test_gzip_corrupt_and_truncated_are_fatal),
        cmocka_unit_test(test_gzip_on_stdin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
