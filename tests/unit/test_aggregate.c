/*
 * test_aggregate.c: the statistics of the reports against values worked
 * out by hand from the textbook formulas (and the usual printed tables for
 * Student's t), plus the store's open/close contract.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "aggregate.h"
#include "report.h"
#include "store.h"

#define near(a, b, eps) assert_true(fabs((a) - (b)) < (eps))

/* The store's scale names read back as the scales tema_score_type_name()
 * names; anything else is no scale. */
static void test_score_type_names_round_trip(void **s)
{
    (void)s;
    for (int t = TEMA_SCORE_NPS; t < TEMA_SCORE_TYPE_COUNT; t++)
        assert_int_equal(tema__score_type_of(tema_score_type_name((tema_score_type)t)), t);
    assert_int_equal(tema__score_type_of("NPS"), TEMA_SCORE_NONE);
    assert_int_equal(tema__score_type_of(""), TEMA_SCORE_NONE);
}

static void test_wilson_10_of_50(void **s)
{
    (void)s;
    /* p = .2, z² = 3.8415: centre .238415/1.076829 = .22140,
     * half = 1.96/1.076829 · sqrt(.0032 + .00038415) = .10897 */
    double lo, hi;
    tema__wilson(10, 50, TEMA__Z95, &lo, &hi);
    near(lo, 0.11243, 1e-4);
    near(hi, 0.33037, 1e-4);
}

static void test_wilson_zero_successes_starts_at_zero(void **s)
{
    (void)s;
    /* k = 0: [0, z²/(n + z²)] = [0, 3.8415/13.8415] */
    double lo, hi;
    tema__wilson(0, 10, TEMA__Z95, &lo, &hi);
    assert_true(lo == 0.0);
    near(hi, 0.27753, 1e-4);
    tema__wilson(0, 0, TEMA__Z95, &lo, &hi);
    assert_true(lo == 0.0 && hi == 1.0);
}

static void test_two_proportion_test(void **s)
{
    (void)s;
    /* 30/100 vs 15/100: pooled .225, se = sqrt(.225 · .775 · .02) = .059055,
     * z = .15/.059055 = 2.540, p = erfc(2.540/√2) = .0111 */
    double z, p;
    tema__two_prop_test(30, 100, 15, 100, &z, &p);
    near(z, 2.5400, 1e-3);
    near(p, 0.0111, 2e-4);
    tema__two_prop_test(15, 100, 30, 100, &z, &p);
    near(z, -2.5400, 1e-3);
    tema__two_prop_test(3, 10, 0, 0, &z, &p);
    assert_true(isnan(z) && isnan(p));
    tema__two_prop_test(0, 10, 0, 10, &z, &p); /* pooled 0: untestable */
    assert_true(isnan(p));
}

static void test_t_pvalue_matches_printed_tables(void **s)
{
    (void)s;
    /* two-sided 5% critical values: df 10 -> 2.228, df 18 -> 2.101, df 1 -> 12.706 */
    near(tema__t_pvalue(2.228, 10), 0.05, 5e-4);
    near(tema__t_pvalue(2.101, 18), 0.05, 5e-4);
    near(tema__t_pvalue(12.706, 1), 0.05, 5e-4);
    near(tema__t_pvalue(0.0, 5), 1.0, 1e-12);
    near(tema__betai(3.0, 3.0, 0.5), 0.5, 1e-12); /* symmetric */
}

static void test_welch_equal_variances(void **s)
{
    (void)s;
    /* means 5 and 3, variances 4, n 10 each: t = 2/sqrt(.8) = 2.2361, df 18 */
    double t, p;
    tema__welch_test(10, 5, 4, 10, 3, 4, &t, &p);
    near(t, 2.23607, 1e-4);
    assert_true(p > 0.03 && p < 0.05); /* between the 2.101 (5%) and 2.552 (2%) rows */
    tema__welch_test(1, 5, 0, 10, 3, 4, &t, &p);
    assert_true(isnan(t) && isnan(p));
}

static void test_nps_summary(void **s)
{
    (void)s;
    tema__cell c;
    memset(&c, 0, sizeof c);
    tema_report_opts o;
    tema_report_opts_init(&o);
    /* 50 promoters (9, 10), 30 passives (7, 8), 20 detractors (0-6); 12 invalid */
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 10, 30);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 9.2, 20);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 8, 10);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 7, 20);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 6.5, 5); /* rounds half up to 7: passive */
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 0, 20);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 11, 7);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, -1, 5);
    tema_score_summary sm;
    tema__summarise(&c, TEMA_SCORE_NPS, &o, &sm);
    assert_int_equal(sm.n, 105);
    assert_int_equal(sm.promoters, 50);
    assert_int_equal(sm.passives, 35);
    assert_int_equal(sm.detractors, 20);
    /* 100 (50 - 20)/105 = 28.571; MoE = 196 sqrt(((70 - 30²/105)/105)/105) */
    near(sm.value, 28.5714, 1e-3);
    double pp = 50.0 / 105, pd = 20.0 / 105;
    near(sm.moe95, 100 * 1.96 * sqrt((pp + pd - (pp - pd) * (pp - pd)) / 105), 0.01);
}

static void test_nps_margin_of_error_textbook(void **s)
{
    (void)s;
    /* 50/30/20 of 100: var = .7 - .09 = .61, MoE = 1.96 sqrt(.0061) = 15.31 points */
    tema__cell c;
    memset(&c, 0, sizeof c);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 9, 50);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 8, 30);
    tema__cell_add_score(&c, TEMA_SCORE_NPS, 3, 20);
    tema_score_summary sm;
    tema__summarise(&c, TEMA_SCORE_NPS, NULL, &sm);
    near(sm.value, 30.0, 1e-9);
    near(sm.moe95, 15.308, 0.01);
    double n, mean, var, bad;
    tema__metric_stats(&c, TEMA_METRIC_NPS, NULL, &n, &mean, &var, &bad);
    /* per comment +100/0/-100: mean 30, s² = (10000 · 70 - 100 · 900)/99 */
    near(mean, 30.0, 1e-9);
    near(var, 610000.0 / 99.0, 1e-6);
    near(bad, 20.0, 1e-9);
}

static void test_csat_and_ces(void **s)
{
    (void)s;
    tema__cell c;
    memset(&c, 0, sizeof c);
    tema_report_opts o;
    tema_report_opts_init(&o);
    tema__cell_add_score(&c, TEMA_SCORE_CSAT, 5, 50);
    tema__cell_add_score(&c, TEMA_SCORE_CSAT, 4, 30);
    tema__cell_add_score(&c, TEMA_SCORE_CSAT, 3, 10);
    tema__cell_add_score(&c, TEMA_SCORE_CSAT, 1, 10);
    tema__cell_add_score(&c, TEMA_SCORE_CSAT, 0, 10); /* off the 1-5 scale */
    tema_score_summary sm;
    tema__summarise(&c, TEMA_SCORE_CSAT, &o, &sm);
    assert_int_equal(sm.n, 100);
    near(sm.value, 80.0, 1e-9);
    near(sm.moe95, 196 * sqrt(0.8 * 0.2 / 100), 0.01); /* 7.84 */
    o.csat_top = 5;
    tema__summarise(&c, TEMA_SCORE_CSAT, &o, &sm);
    near(sm.value, 50.0, 1e-9);

    /* CES 7, 7, 6, 6, 6, 5, 5, 5, 5, 4: mean 5.6; s² = (322 - 313.6)/9 */
    memset(&c, 0, sizeof c);
    tema__cell_add_score(&c, TEMA_SCORE_CES, 7, 2);
    tema__cell_add_score(&c, TEMA_SCORE_CES, 6, 3);
    tema__cell_add_score(&c, TEMA_SCORE_CES, 5, 4);
    tema__cell_add_score(&c, TEMA_SCORE_CES, 4, 1);
    tema_report_opts_init(&o);
    tema__summarise(&c, TEMA_SCORE_CES, &o, &sm);
    assert_int_equal(sm.n, 10);
    near(sm.value, 5.6, 1e-9);
    near(sm.moe95, 1.959964 * sqrt(8.4 / 9) / sqrt(10), 1e-4);
    assert_int_equal(sm.promoters, 9); /* above the midpoint 4 */
    assert_int_equal(sm.passives, 1);
    o.ces_formula = TEMA_CES_TOP_BOX;
    tema__summarise(&c, TEMA_SCORE_CES, &o, &sm);
    near(sm.value, 90.0, 1e-9);
    o.ces_formula = TEMA_CES_MEAN;
    o.ces_lower_better = 1;
    tema__summarise(&c, TEMA_SCORE_CES, &o, &sm);
    assert_int_equal(sm.detractors, 9);
    o.ces_lower_better = 0;
    o.ces_max = 5; /* 6 and 7 are off a 1-5 scale: 5 x 4 and 4 x 1 remain */
    tema__summarise(&c, TEMA_SCORE_CES, &o, &sm);
    assert_int_equal(sm.n, 5);
    near(sm.value, 4.8, 1e-9);
}

static void test_cells_subtract_to_the_rest(void **s)
{
    (void)s;
    tema__cell all, part;
    memset(&all, 0, sizeof all);
    memset(&part, 0, sizeof part);
    tema__cell_add_score(&all, TEMA_SCORE_NPS, 10, 4);
    tema__cell_add_score(&all, TEMA_SCORE_NPS, 2, 6);
    tema__cell_add_score(&part, TEMA_SCORE_NPS, 2, 5);
    tema__cell_sub(&all, &part);
    tema_score_summary sm;
    tema__summarise(&all, TEMA_SCORE_NPS, NULL, &sm);
    assert_int_equal(sm.n, 5);
    near(sm.value, 60.0, 1e-9); /* 4 promoters, 1 detractor of 5 */
}

static void test_period_labels(void **s)
{
    (void)s;
    char out[16];
    assert_int_equal(tema__period_label("2025-03-31", 10, TEMA_PERIOD_MONTH, out), 0);
    assert_string_equal(out, "2025-03");
    tema__period_label("2025-03-31", 10, TEMA_PERIOD_QUARTER, out);
    assert_string_equal(out, "2025-Q1");
    tema__period_label("2025-10-01", 10, TEMA_PERIOD_QUARTER, out);
    assert_string_equal(out, "2025-Q4");
    /* ISO weeks: Monday 2024-12-30 starts 2025-W01; Sunday 2021-01-03 is in 2020-W53 */
    tema__period_label("2024-12-30", 10, TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2025-W01");
    tema__period_label("2024-12-29", 10, TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2024-W52");
    tema__period_label("2021-01-03", 10, TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2020-W53");
    tema__period_label("2025-06-15", 10, TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2025-W24");
    assert_int_equal(tema__period_label("2025-3-1", 8, TEMA_PERIOD_MONTH, out), -1);
    assert_int_equal(tema__period_label("2025-13-01", 10, TEMA_PERIOD_MONTH, out), -1);
}

static void test_previous_periods(void **s)
{
    (void)s;
    char out[16];
    assert_int_equal(tema__period_prev("2025-01", TEMA_PERIOD_MONTH, out), 0);
    assert_string_equal(out, "2024-12");
    tema__period_prev("2025-Q1", TEMA_PERIOD_QUARTER, out);
    assert_string_equal(out, "2024-Q4");
    tema__period_prev("2025-Q3", TEMA_PERIOD_QUARTER, out);
    assert_string_equal(out, "2025-Q2");
    tema__period_prev("2021-W01", TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2020-W53");
    tema__period_prev("2025-W01", TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2024-W52");
    tema__period_prev("2025-W10", TEMA_PERIOD_WEEK, out);
    assert_string_equal(out, "2025-W09");
    assert_int_equal(tema__period_prev("2025-Q5", TEMA_PERIOD_QUARTER, out), -1);
    assert_int_equal(tema__period_prev("2025-Q1", TEMA_PERIOD_MONTH, out), -1);
}

/* The SQL period expressions agree with the C labels on awkward dates. */
static void test_sql_periods_match_c(void **s)
{
    (void)s;
    char path[] = "/tmp/tema-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(path, TEMA_STORE_WRITE, &st), TEMA_OK);
    static const char *const dates[] = {"2024-12-29", "2024-12-30", "2021-01-03", "2021-01-04",
                                        "2020-12-31", "2025-06-15", "2026-01-01", "2027-01-01"};
    for (int p = TEMA_PERIOD_MONTH; p <= TEMA_PERIOD_WEEK; p++) {
        for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
            char sql[600], want[16];
            snprintf(sql, sizeof sql, "SELECT %s FROM (SELECT '%s' AS date) c",
                     tema__period_sql((tema_period)p), dates[i]);
            tema__stmt *q = NULL;
            assert_int_equal(tema__store_prepare(st, sql, &q), TEMA_OK);
            assert_int_equal(tema__stmt_step(q), TEMA_OK);
            tema__period_label(dates[i], 10, (tema_period)p, want);
            assert_string_equal(tema__stmt_text(q, 0, NULL), want);
            tema__stmt_finalize(q);
        }
    }
    tema_store_close(st);
    unlink(path);
}

static void test_store_open_contract(void **s)
{
    (void)s;
    char path[] = "/tmp/tema-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    tema_store *st = NULL;
    /* a reader does not create a store */
    assert_int_equal(tema_store_open(path, TEMA_STORE_READ, &st), TEMA_ERR_NOTFOUND);
    assert_non_null(strstr(tema_store_errmsg(st), "No such file"));
    tema_store_close(st);
    assert_int_not_equal(access(path, F_OK), 0);
    /* a writer creates it with version 1; a reader then accepts it */
    assert_int_equal(tema_store_open(path, TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(tema__store_exec(st, "UPDATE meta SET value = '2' WHERE key = "
                                          "'schema_version'"),
                     TEMA_OK);
    tema_store_close(st);
    assert_int_equal(tema_store_open(path, TEMA_STORE_READ, &st), TEMA_ERR_STORE);
    assert_non_null(strstr(tema_store_errmsg(st), "version '2'"));
    tema_store_close(st);
    assert_int_equal(tema_store_open(path, TEMA_STORE_WRITE, &st), TEMA_ERR_STORE);
    tema_store_close(st);
    tema_store_close(NULL);
    tema_top_free(NULL);
    tema_scores_free(NULL);
    tema_drivers_free(NULL);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_type_names_round_trip),
        cmocka_unit_test(test_wilson_10_of_50),
        cmocka_unit_test(test_wilson_zero_successes_starts_at_zero),
        cmocka_unit_test(test_two_proportion_test),
        cmocka_unit_test(test_t_pvalue_matches_printed_tables),
        cmocka_unit_test(test_welch_equal_variances),
        cmocka_unit_test(test_nps_summary),
        cmocka_unit_test(test_nps_margin_of_error_textbook),
        cmocka_unit_test(test_csat_and_ces),
        cmocka_unit_test(test_cells_subtract_to_the_rest),
        cmocka_unit_test(test_period_labels),
        cmocka_unit_test(test_previous_periods),
        cmocka_unit_test(test_sql_periods_match_c),
        cmocka_unit_test(test_store_open_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
