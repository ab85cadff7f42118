/*
 * test_lines.c: tema_lines_*, text one line at a time through the input
 * layer.  The expected lines were written by hand from the rules in tema.h
 * and docs/input.md (LF ends a line, a CR before it is dropped, gzip and
 * byte order marks are undone, Windows-1252 E5 is U+00E5 = C3 A5 in UTF-8,
 * 80 is U+20AC = E2 82 AC); nothing was produced by running the code.
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

#define TMPFILES_PREFIX "tema-lines"
#include "tmpfiles.h"

static tema_lines *open_ok(const char *path, tema_encoding enc)
{
    tema_lines *l = NULL;
    tema_status st = tema_lines_open(path, enc, &l);
    if (st != TEMA_OK)
        fail_msg("open %s: %s: %s", path, tema_errstr(st), tema_lines_errmsg(l));
    return l;
}

/* The next line must be 'want' ('n' bytes), followed by a NUL. */
static void expect_line(tema_lines *l, const char *want, size_t n)
{
    const char *line;
    size_t len;
    assert_int_equal(tema_lines_next(l, &line, &len), TEMA_OK);
    assert_int_equal(len, n);
    assert_memory_equal(line, want, n);
    assert_int_equal(line[len], '\0');
}

#define LINE(l, lit) expect_line(l, lit, sizeof lit - 1)

static void expect_done(tema_lines *l)
{
    const char *line;
    size_t len;
    assert_int_equal(tema_lines_next(l, &line, &len), TEMA_DONE);
    assert_int_equal(len, 0);
    assert_int_equal(tema_lines_next(l, &line, &len), TEMA_DONE); /* and stays done */
}

static void test_lf_crlf_empty_lines_and_a_last_line_without_break(void **s)
{
    (void)s;
    /* LF, CRLF, an empty line, a CR inside a line (kept), a CR CR LF (one CR
     * dropped), a NUL inside a line, and a last line ending in a lone CR. */
    const char *p = WRITE("mixed.txt", "ett\ntv\xc3\xa5\r\n\n\r\nfyra\rfem\nsex\r\r\nsju\0\xc3\xa5tta\nnio\r");
    tema_lines *l = open_ok(p, TEMA_ENC_UTF8);
    assert_int_equal(tema_lines_encoding(l), TEMA_ENC_UTF8);
    LINE(l, "ett");
    LINE(l, "tv\xc3\xa5");
    LINE(l, "");
    LINE(l, "");
    LINE(l, "fyra\rfem");
    LINE(l, "sex\r");
    LINE(l, "sju\0\xc3\xa5tta");
    LINE(l, "nio");
    expect_done(l);
    tema_lines_close(l);

    /* A final line break ends the last line; it starts no empty one. */
    l = open_ok(WRITE("final.txt", "a\nb\n"), TEMA_ENC_UTF8);
    LINE(l, "a");
    LINE(l, "b");
    expect_done(l);
    tema_lines_close(l);

    l = open_ok(WRITE("empty.txt", ""), TEMA_ENC_UTF8);
    expect_done(l);
    tema_lines_close(l);
}

static void test_lines_longer_than_the_buffer(void **s)
{
    (void)s;
    /* 200000 'x' (three times the first buffer), then "y", then 70000 'z'
     * without a final line break. */
    const size_t nx = 200000, nz = 70000;
    char *text = malloc(nx + 3 + nz);
    assert_non_null(text);
    memset(text, 'x', nx);
    memcpy(text + nx, "\ny\n", 3);
    memset(text + nx + 3, 'z', nz);
    tema_lines *l = open_ok(write_tmp("long.txt", text, nx + 3 + nz), TEMA_ENC_UTF8);
    expect_line(l, text, nx);
    LINE(l, "y");
    expect_line(l, text + nx + 3, nz);
    expect_done(l);
    tema_lines_close(l);
    free(text);
}

static void test_gzip_by_magic_bytes_and_concatenated_members(void **s)
{
    (void)s;
    unsigned char buf[512];
    /* The first member ends inside a line: "tv" + "\xc3\xa5\r\n" are one line. */
    size_t a = gzip_member("ett\r\ntv", 7, buf, sizeof buf);
    size_t b = gzip_member("\xc3\xa5\r\ntre", 7, buf + a, sizeof buf - a);
    /* The name says nothing: the magic bytes decide. */
    tema_lines *l = open_ok(write_tmp("comments.txt", buf, a + b), TEMA_ENC_UTF8);
    LINE(l, "ett");
    LINE(l, "tv\xc3\xa5");
    LINE(l, "tre");
    expect_done(l);
    tema_lines_close(l);

    /* A member cut off is a fatal error, and it stays. */
    l = open_ok(write_tmp("cut.txt.gz", buf, a - 4), TEMA_ENC_UTF8);
    const char *line;
    size_t len;
    tema_status st;
    while ((st = tema_lines_next(l, &line, &len)) == TEMA_OK)
        ;
    assert_int_equal(st, TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_lines_errmsg(l), "cut.txt.gz: corrupt gzip data"));
    assert_int_equal(tema_lines_next(l, &line, &len), TEMA_ERR_PARSE);
    tema_lines_close(l);
}

static void test_byte_order_marks(void **s)
{
    (void)s;
    /* UTF-16LE with its mark and CRLF, as Excel saves "Unicode Text":
     * "på\r\nok\r\n" and U+1F600 as the pair D83D DE00. */
    static const unsigned char le[] = {0xFF, 0xFE, 'p', 0, 0xE5, 0, '\r', 0, '\n', 0, 'o', 0,
                                       'k', 0, '\r', 0, '\n', 0, 0x3D, 0xD8, 0x00, 0xDE};
    tema_lines *l = open_ok(write_tmp("le.txt", le, sizeof le), TEMA_ENC_UTF8);
    assert_int_equal(tema_lines_encoding(l), TEMA_ENC_UTF16LE);
    LINE(l, "p\xc3\xa5");
    LINE(l, "ok");
    LINE(l, "\xf0\x9f\x98\x80");
    expect_done(l);
    tema_lines_close(l);

    /* UTF-16BE, by its mark under "UTF-16 by the mark". */
    static const unsigned char be[] = {0xFE, 0xFF, 0, 'h', 0, 'e', 0, 'j', 0, '\n', 0, 0xE5};
    l = open_ok(write_tmp("be.txt", be, sizeof be), TEMA_ENC_UTF16);
    assert_int_equal(tema_lines_encoding(l), TEMA_ENC_UTF16BE);
    LINE(l, "hej");
    LINE(l, "\xc3\xa5");
    expect_done(l);
    tema_lines_close(l);

    /* A UTF-8 mark is dropped: the first line starts after it. */
    l = open_ok(WRITE("bom8.txt", "\xef\xbb\xbfhej\nd\xc3\xa5\n"), TEMA_ENC_UTF8);
    assert_int_equal(tema_lines_encoding(l), TEMA_ENC_UTF8);
    LINE(l, "hej");
    LINE(l, "d\xc3\xa5");
    expect_done(l);
    tema_lines_close(l);
}

static void test_requested_encodings(void **s)
{
    (void)s;
    /* Windows-1252: E5 is å, 80 is the euro sign; Latin-1: 80 is U+0080
     * (C2 80). */
    const char *p = WRITE("cp.txt", "k\xe5ka\r\n\x80 5\n");
    tema_lines *l = open_ok(p, TEMA_ENC_CP1252);
    assert_int_equal(tema_lines_encoding(l), TEMA_ENC_CP1252);
    LINE(l, "k\xc3\xa5ka");
    LINE(l, "\xe2\x82\xac 5");
    expect_done(l);
    tema_lines_close(l);
    l = open_ok(p, TEMA_ENC_LATIN1);
    LINE(l, "k\xc3\xa5ka");
    LINE(l, "\xc2\x80 5");
    expect_done(l);
    tema_lines_close(l);

    /* UTF-16LE without a mark, when asked for. */
    static const unsigned char le[] = {'a', 0, '\n', 0, 'b', 0};
    l = open_ok(write_tmp("nomark.txt", le, sizeof le), TEMA_ENC_UTF16LE);
    LINE(l, "a");
    LINE(l, "b");
    expect_done(l);
    tema_lines_close(l);
}

static void test_open_errors(void **s)
{
    (void)s;
    tema_lines *l = NULL;
    char missing[320];
    snprintf(missing, sizeof missing, "%s/missing.txt", tmpdir);
    assert_int_equal(tema_lines_open(missing, TEMA_ENC_UTF8, &l), TEMA_ERR_IO);
    assert_non_null(l);
    assert_non_null(strstr(tema_lines_errmsg(l), "missing.txt: cannot open: "));
    tema_lines_close(l);

    /* A mark that contradicts the requested encoding, and "by the mark"
     * without one, fail to open. */
    static const unsigned char le[] = {0xFF, 0xFE, 'a', 0};
    const char *p = write_tmp("contra.txt", le, sizeof le);
    assert_int_equal(tema_lines_open(p, TEMA_ENC_UTF16BE, &l), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_lines_errmsg(l), "says UTF-16LE, but UTF-16BE was asked for"));
    tema_lines_close(l);
    p = WRITE("plain.txt", "a\n");
    assert_int_equal(tema_lines_open(p, TEMA_ENC_UTF16, &l), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_lines_errmsg(l), "has none"));
    tema_lines_close(l);

    /* Misuse, and NULL accepted where documented. */
    assert_int_equal(tema_lines_open(NULL, TEMA_ENC_UTF8, &l), TEMA_ERR_MISUSE);
    assert_null(l);
    assert_int_equal(tema_lines_open(p, (tema_encoding)99, &l), TEMA_ERR_MISUSE);
    assert_null(l);
    assert_int_equal(tema_lines_open(p, TEMA_ENC_UTF8, NULL), TEMA_ERR_MISUSE);
    const char *line;
    size_t len;
    assert_int_equal(tema_lines_next(NULL, &line, &len), TEMA_ERR_MISUSE);
    assert_string_equal(tema_lines_errmsg(NULL), "");
    tema_lines_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lf_crlf_empty_lines_and_a_last_line_without_break),
        cmocka_unit_test(test_lines_longer_than_the_buffer),
        cmocka_unit_test(test_gzip_by_magic_bytes_and_concatenated_members),
        cmocka_unit_test(test_byte_order_marks),
        cmocka_unit_test(test_requested_encodings),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
