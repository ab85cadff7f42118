/*
 * test_regex.c: the PCRE2 adapter: matching, groups, compile errors with
 * offsets, and the limits that stop a catastrophic pattern quickly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "regex.h"

static void test_match_and_groups(void **s)
{
    (void)s;
    tema__regex *re;
    tema__rmatch *m;
    char err[128];
    const char pat[] = "(\\d+)\\s*(dagar|veckor)";
    assert_int_equal(tema__regex_compile(pat, sizeof pat - 1, 0, &re, err, sizeof err), TEMA_OK);
    assert_int_equal(tema__rmatch_new(&m), TEMA_OK);
    const char *text = "Det tog 14 dagar och sen 2 veckor";
    size_t a, b, ga, gb;
    assert_int_equal(tema__regex_search(re, m, text, strlen(text), 0, &a, &b), 1);
    assert_int_equal(a, 8);
    assert_int_equal(b, 16);
    assert_true(tema__regex_group(m, 2, &ga, &gb));
    assert_memory_equal(text + ga, "dagar", 5);
    assert_int_equal(tema__regex_search(re, m, text, strlen(text), b, &a, &b), 1);
    assert_memory_equal(text + a, "2 veckor", 8);
    assert_int_equal(tema__regex_search(re, m, text, strlen(text), b, &a, &b), 0);
    assert_false(tema__regex_group(m, 9, &ga, &gb));
    tema__rmatch_free(m);
    tema__regex_free(re);
}

static void test_caseless_and_nordic_letters(void **s)
{
    (void)s;
    tema__regex *re;
    tema__rmatch *m;
    const char pat[] = "\\bkundtjänst\\w*";
    assert_int_equal(tema__regex_compile(pat, sizeof pat - 1, TEMA__RE_CASELESS, &re, NULL, 0),
                     TEMA_OK);
    assert_int_equal(tema__rmatch_new(&m), TEMA_OK);
    const char *text = "KUNDTJÄNSTEN svarade inte";
    size_t a, b;
    assert_int_equal(tema__regex_search(re, m, text, strlen(text), 0, &a, &b), 1);
    assert_int_equal(b - a, strlen("KUNDTJÄNSTEN"));
    tema__rmatch_free(m);
    tema__regex_free(re);
}

static void test_compile_error_names_offset(void **s)
{
    (void)s;
    tema__regex *re = (tema__regex *)1;
    char err[128] = "";
    assert_int_equal(tema__regex_compile("abc(", 4, 0, &re, err, sizeof err), TEMA_ERR_PARSE);
    assert_null(re);
    assert_non_null(strstr(err, "offset 4"));
}

static void test_catastrophic_pattern_stops_at_the_limit(void **s)
{
    (void)s;
    tema__regex *re;
    tema__rmatch *m;
    const char pat[] = "^(a+)+$";
    assert_int_equal(tema__regex_compile(pat, sizeof pat - 1, 0, &re, NULL, 0), TEMA_OK);
    assert_int_equal(tema__rmatch_new(&m), TEMA_OK);
    size_t n = 20000;
    char *text = malloc(n + 2);
    memset(text, 'a', n);
    text[n] = 'b';
    text[n + 1] = '\0';
    size_t a, b;
    clock_t t0 = clock();
    int rc = tema__regex_search(re, m, text, n + 1, 0, &a, &b);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(rc, -1); /* stopped, reported, not hung */
    assert_true(secs < 2.0);
    free(text);
    tema__rmatch_free(m);
    tema__regex_free(re);
}

static void test_invalid_utf8_subject_is_searched_not_rejected(void **s)
{
    (void)s;
    tema__regex *re;
    tema__rmatch *m;
    assert_int_equal(tema__regex_compile("sen", 3, 0, &re, NULL, 0), TEMA_OK);
    assert_int_equal(tema__rmatch_new(&m), TEMA_OK);
    const char text[] = "f\xf6rsen leverans";
    size_t a, b;
    assert_int_equal(tema__regex_search(re, m, text, sizeof text - 1, 0, &a, &b), 1);
    assert_int_equal(a, 3);
    tema__rmatch_free(m);
    tema__regex_free(re);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_and_groups),
        cmocka_unit_test(test_caseless_and_nordic_letters),
        cmocka_unit_test(test_compile_error_names_offset),
        cmocka_unit_test(test_catastrophic_pattern_stops_at_the_limit),
        cmocka_unit_test(test_invalid_utf8_subject_is_searched_not_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
