/*
 * test_date.c: the date formats exports use, and the ones refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tema.h"

static void ok(const char *in, const char *want)
{
    char out[11] = "";
    if (tema_date_parse(in, strlen(in), out) != TEMA_OK)
        fail_msg("'%s' was refused", in);
    assert_string_equal(out, want);
}

static void refused(const char *in)
{
    char out[11];
    if (tema_date_parse(in, strlen(in), out) != TEMA_ERR_PARSE)
        fail_msg("'%s' was accepted", in);
}

static void test_iso_dates_and_times(void **s)
{
    (void)s;
    ok("2026-04-03", "2026-04-03");
    ok("2026-04-03T14:22:05Z", "2026-04-03");
    ok("2026-04-03T14:22:05.123+02:00", "2026-04-03");
    ok("2026-04-03 14:22", "2026-04-03");
    ok(" 2026-12-31 ", "2026-12-31");
    ok("2026/04/03", "2026-04-03");
}

static void test_day_first_dates(void **s)
{
    (void)s;
    ok("03.04.2026", "2026-04-03");
    ok("3.4.2026", "2026-04-03");
    ok("03-04-2026", "2026-04-03");
    ok("03/04/2026", "2026-04-03");
    ok("31.12.2025 23:59", "2025-12-31");
    ok("29.02.2024", "2024-02-29");
}

static void test_refused(void **s)
{
    (void)s;
    refused("");
    refused("yesterday");
    refused("03.04.26");          /* two-digit year */
    refused("2026-02-30");        /* no such day */
    refused("29.02.2026");        /* not a leap year */
    refused("2026-13-01");
    refused("2026-04-03x");
    refused("2026-04-03T25:00");
    refused("2026-04-03 14");
    refused("04/31/2026");        /* month-first */
    refused("2026-4-3");          /* ISO needs two digits */
    refused("123.04.2026");
    refused("03.04.20261");
}

static void test_misuse(void **s)
{
    (void)s;
    char out[11];
    assert_int_equal(tema_date_parse(NULL, 0, out), TEMA_ERR_MISUSE);
    assert_int_equal(tema_date_parse("2026-01-01", 10, NULL), TEMA_ERR_MISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_dates_and_times),
        cmocka_unit_test(test_day_first_dates),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
