/*
 * test_utf8.c: UTF-8 validation and repair: every class of invalid
 * sequence becomes exactly one U+FFFD per maximal invalid subpart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tema.h"

static void check_repair(const char *in, size_t len, const char *want, size_t want_repl)
{
    char out[256];
    size_t n = 0, repl = 99;
    assert_int_equal(tema_utf8_repair(in, len, out, sizeof out, &n, &repl), TEMA_OK);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);
    assert_int_equal(repl, want_repl);
    assert_int_equal(tema_utf8_invalid_count(in, len), want_repl);
}

#define FFFD "\xef\xbf\xbd"

static void test_valid_text_is_unchanged(void **s)
{
    (void)s;
    check_repair("blåbär æøå ÉÜ 😀", strlen("blåbär æøå ÉÜ 😀"), "blåbär æøå ÉÜ 😀", 0);
}

static void test_latin1_byte_becomes_one_replacement(void **s)
{
    (void)s;
    check_repair("f\xf6rsenad", 8, "f" FFFD "rsenad", 1);
}

static void test_overlong_and_surrogates_are_invalid(void **s)
{
    (void)s;
    check_repair("\xc0\xaf", 2, FFFD FFFD, 2);           /* C0 is never valid */
    check_repair("\xe0\x80\xaf", 3, FFFD FFFD FFFD, 3);  /* overlong 3-byte */
    check_repair("\xed\xa0\x80", 3, FFFD FFFD FFFD, 3);  /* surrogate D800 */
    check_repair("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4); /* > U+10FFFF */
}

static void test_truncated_sequence_is_one_replacement(void **s)
{
    (void)s;
    check_repair("ab\xe2\x82", 4, "ab" FFFD, 1);         /* maximal subpart E2 82 */
    check_repair("\xf0\x9f\x98x", 4, FFFD "x", 1);
}

static void test_buffer_too_small_reports_needed_length(void **s)
{
    (void)s;
    char out[2];
    size_t n = 0;
    assert_int_equal(tema_utf8_repair("\xff\xff", 2, out, sizeof out, &n, NULL), TEMA_ERR_LIMIT);
    assert_int_equal(n, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_text_is_unchanged),
        cmocka_unit_test(test_latin1_byte_becomes_one_replacement),
        cmocka_unit_test(test_overlong_and_surrogates_are_invalid),
        cmocka_unit_test(test_truncated_sequence_is_one_replacement),
        cmocka_unit_test(test_buffer_too_small_reports_needed_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
