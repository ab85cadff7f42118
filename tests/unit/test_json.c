/*
 * test_json.c: the CLI's JSON and TSV writers (engine/cli/json.c, compiled
 * into this test: the CLI is not part of libtema).  The number cases are
 * worked out by hand from the exact binary values of the doubles, e.g.
 * 0.015 is 0.01499999999999999944..., 0.125 is exact (a tie: to even).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "../../engine/cli/json.c"

static void check_fixed(double x, int decimals, const char *want)
{
    char buf[JSON_NUMBER_MAX];
    size_t n = json_format_fixed(buf, x, decimals);
    if (strcmp(buf, want) != 0)
        fail_msg("%.17g with %d decimals: got \"%s\", want \"%s\"", x, decimals, buf, want);
    assert_int_equal(n, strlen(want));
    if (decimals == 2) {
        /* the inline two-decimal writer `tema score` uses gives the same */
        char o[JSON_NUMBER_MAX + 1];
        size_t m = json_fixed2(o, x);
        o[m] = '\0';
        if (strcmp(o, want) != 0)
            fail_msg("json_fixed2(%.17g): got \"%s\", want \"%s\"", x, o, want);
    }
}

static void test_fixed_plain_values_and_signs(void **s)
{
    (void)s;
    check_fixed(0, 2, "0");
    check_fixed(-0.0, 2, "0");
    check_fixed(1, 2, "1");
    check_fixed(-1, 2, "-1");
    check_fixed(0.5, 2, "0.5");
    check_fixed(-0.62, 2, "-0.62");
    check_fixed(0.05, 2, "0.05");
    check_fixed(-0.05, 2, "-0.05");
    check_fixed(0.1, 6, "0.1");
    check_fixed(0.1 + 0.2, 3, "0.3");
    check_fixed(-2.5, 3, "-2.5");
    check_fixed(123.456, 1, "123.5");
}

static void test_fixed_drops_trailing_zeros_and_point(void **s)
{
    (void)s;
    check_fixed(0.999, 2, "1");
    check_fixed(-0.999, 2, "-1");
    check_fixed(1.005, 2, "1");   /* 1.00499999999999989... */
    check_fixed(0.104, 2, "0.1"); /* 0.10 */
    check_fixed(2.0, 0, "2");
}

static void test_fixed_rounds_the_exact_binary_value(void **s)
{
    (void)s;
    check_fixed(0.015, 2, "0.01");   /* 0.01499999999999999944 */
    check_fixed(0.025, 2, "0.03");   /* 0.02500000000000000138 */
    check_fixed(0.045, 2, "0.04");   /* 0.04499999999999999833 */
    check_fixed(0.05, 1, "0.1");     /* 0.05000000000000000277: x*10 rounds to 0.5 */
    check_fixed(0.15, 1, "0.1");     /* 0.14999999999999999445: x*10 rounds to 1.5 */
    check_fixed(0.35, 1, "0.3");     /* 0.34999999999999997780 */
    check_fixed(0.45, 1, "0.5");     /* 0.45000000000000001110 */
    check_fixed(0.0005, 3, "0.001"); /* 0.00050000000000000001 */
    check_fixed(-0.005, 2, "-0.01"); /* -0.00500000000000000010 */
}

static void test_fixed_exact_ties_go_to_even(void **s)
{
    (void)s;
    check_fixed(0.125, 2, "0.12");
    check_fixed(0.375, 2, "0.38");
    check_fixed(-0.125, 2, "-0.12");
    check_fixed(0.5, 0, "0");
    check_fixed(1.5, 0, "2");
    check_fixed(2.5, 0, "2");
    check_fixed(3.5, 0, "4");
}

static void test_fixed_never_writes_minus_zero(void **s)
{
    (void)s;
    check_fixed(-0.004, 2, "0");
    check_fixed(-0.0004, 3, "0");
    check_fixed(-0.4, 0, "0");
    check_fixed(-0.5, 0, "0"); /* a tie, to the even 0 */
}

static void test_fixed_odd_inputs(void **s)
{
    (void)s;
    check_fixed(NAN, 2, "0");
    check_fixed(INFINITY, 2, "0");
    check_fixed(-INFINITY, 3, "0");
    check_fixed(1e20, 2, "100000000000000000000"); /* beyond exact integers: printf */
    check_fixed(-1e20, 2, "-100000000000000000000");
    check_fixed(0.1234567, 9, "0.123457"); /* at most 6 decimals */
    check_fixed(0.6, -1, "1");             /* at least 0 */
}

static void test_hundredths_table(void **s)
{
    (void)s;
    static const struct {
        int u;
        const char *text;
    } rows[] = {{0, "0"},     {1, "0.01"},  {9, "0.09"},  {10, "0.1"}, {11, "0.11"},
                {50, "0.5"},  {62, "0.62"}, {90, "0.9"},  {99, "0.99"}, {100, "1"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *t = jb_hundredths[rows[i].u];
        size_t n = (unsigned char)t[7];
        assert_int_equal(n, strlen(rows[i].text));
        assert_memory_equal(t, rows[i].text, n);
    }
}

/* json_fixed2()'s table path against the exact formatter, over every
 * hundred-thousandth in [-1.2, 1.2] and both neighbouring doubles: around
 * each half-hundredth the product's rounding can land on .5 either way. */
static void test_fixed2_same_as_the_exact_path(void **s)
{
    (void)s;
    for (int k = -120000; k <= 120000; k++) {
        double base = k / 100000.0;
        double xs[3] = {nextafter(base, -2), base, nextafter(base, 2)};
        for (int j = 0; j < 3; j++) {
            char want[JSON_NUMBER_MAX], got[JSON_NUMBER_MAX + 1];
            json_format_fixed(want, xs[j], 2);
            size_t n = json_fixed2(got, xs[j]);
            got[n] = '\0';
            if (strcmp(got, want) != 0)
                fail_msg("%.17g: got \"%s\", want \"%s\"", xs[j], got, want);
        }
    }
}

/* Reads back what was written to 'f'. */
static const char *contents(FILE *f, char *buf, size_t cap)
{
    fflush(f);
    long n = ftell(f);
    rewind(f);
    size_t got = fread(buf, 1, cap - 1, f);
    assert_int_equal(got, (size_t)n);
    buf[got] = '\0';
    return buf;
}

static void test_buffer_keeps_order_across_flushes(void **s)
{
    (void)s;
    FILE *f = tmpfile();
    assert_non_null(f);
    char mem[16], back[256];
    json_buf b;
    jb_init(&b, f, mem, sizeof mem);
    JB_LIT(&b, "{\"a\":");
    jb_uint(&b, 18446744073709551615u);
    jb_putc(&b, ',');
    jb_write(&b, "a longer piece than the buffer", 30);
    jb_uint(&b, 0);
    jb_json_number(&b, -0.62, 2);
    assert_true(jb_flush(&b));
    assert_string_equal(contents(f, back, sizeof back),
                        "{\"a\":18446744073709551615,a longer piece than the buffer0-0.62");
    fclose(f);
}

/* With room in the buffer, numbers are formatted in place; near its end
 * they go through the copy.  Both give the same text. */
static void test_numbers_in_place_and_near_the_end(void **s)
{
    (void)s;
    FILE *f = tmpfile();
    assert_non_null(f);
    /* 160 bytes: a round is 73, so over the rounds numbers land both with
     * room for any value (formatted in place: JSON_NUMBER_MAX = 64 bytes
     * free) and near the buffer's end (through a small copy) */
    char mem[160], back[512];
    json_buf b;
    jb_init(&b, f, mem, sizeof mem);
    for (int round = 0; round < 3; round++) {
        jb_uint(&b, 0);
        jb_putc(&b, ' ');
        jb_uint(&b, 7);
        jb_putc(&b, ' ');
        jb_uint(&b, 10);
        jb_putc(&b, ' ');
        jb_uint(&b, 99);
        jb_putc(&b, ' ');
        jb_uint(&b, 100);
        jb_putc(&b, ' ');
        jb_uint(&b, 999);
        jb_putc(&b, ' ');
        jb_uint(&b, 1000);
        jb_putc(&b, ' ');
        jb_uint(&b, 12345);
        jb_putc(&b, ' ');
        jb_uint(&b, 18446744073709551615u);
        jb_putc(&b, ' ');
        jb_json_number(&b, -0.62, 2);
        jb_putc(&b, ' ');
        jb_json_number(&b, 0.125, 2); /* exact tie: to even */
        jb_putc(&b, ' ');
        jb_json_number(&b, 12.5, 1);
        jb_putc(&b, ' ');
        jb_json_number(&b, 0.0049, 2);
        jb_putc(&b, ' ');
        jb_json_number2(&b, -0.5);
        jb_putc(&b, '|');
    }
    assert_true(jb_flush(&b));
    const char *one = "0 7 10 99 100 999 1000 12345 18446744073709551615 -0.62 0.12 12.5 0 -0.5|";
    char want[512];
    snprintf(want, sizeof want, "%s%s%s", one, one, one);
    assert_string_equal(contents(f, back, sizeof back), want);
    fclose(f);
}

static void test_json_string_escapes_and_repairs(void **s)
{
    (void)s;
    FILE *f = tmpfile();
    assert_non_null(f);
    char mem[16], back[256];
    json_buf b;
    jb_init(&b, f, mem, sizeof mem);
    /* quote, backslash, newline, tab, 0x01, valid "å", a lone 0xC3, then text */
    jb_json_string(&b, "q\"b\\n\nt\t\x01" "\xC3\xA5" "\xC3" "end", 15);
    jb_tsv_field(&b, "a\tb\r\n\xFF" "c", 7);
    assert_true(jb_flush(&b));
    assert_string_equal(contents(f, back, sizeof back),
                        "\"q\\\"b\\\\n\\nt\\t\\u0001\xC3\xA5\xEF\xBF\xBD" "end\"a b  \xEF\xBF\xBD" "c");
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_plain_values_and_signs),
        cmocka_unit_test(test_fixed_drops_trailing_zeros_and_point),
        cmocka_unit_test(test_fixed_rounds_the_exact_binary_value),
        cmocka_unit_test(test_fixed_exact_ties_go_to_even),
        cmocka_unit_test(test_fixed_never_writes_minus_zero),
        cmocka_unit_test(test_fixed_odd_inputs),
        cmocka_unit_test(test_hundredths_table),
        cmocka_unit_test(test_fixed2_same_as_the_exact_path),
        cmocka_unit_test(test_buffer_keeps_order_across_flushes),
        cmocka_unit_test(test_numbers_in_place_and_near_the_end),
        cmocka_unit_test(test_json_string_escapes_and_repairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
