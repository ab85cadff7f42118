/*
 * test_report.c: tema_top(), tema_scores() and tema_drivers() on a store
 * written through the public run API, with every expected value worked out
 * by hand:
 *
 *   comments 1-4   NPS 2   delivery.late, negative
 *   comments 5-6   NPS 10  delivery.tracking, positive
 *   comments 7-8   NPS 5   customer_service.wait_time, negative
 *   comments 9-10  NPS 9   no mention
 *
 *   NPS overall: promoters 4 (5, 6, 9, 10), detractors 6 -> (4 - 6) / 10 = -20
 *   delivery: 4 complaints, 6 mentions, share 4/10 with Wilson 95% interval
 *     centre (0.4 + 1.96^2/20) / (1 + 1.96^2/10) = 0.42775,
 *     half 1.96 sqrt(0.024 + 0.009604) / 1.38416 = 0.25958 -> [0.16817, 0.68733]
 *   drivers, delivery.late: n 4, NPS -100, impact 4 (-100 + 20) / (10 - 4) = -53.33
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

#include "tema.h"

static char dbpath[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/tema-test-report-%d.db", (int)getpid());
    unlink(dbpath);
    tema_store *s = NULL;
    if (tema_store_open(dbpath, TEMA_STORE_WRITE, &s) != TEMA_OK)
        return -1;
    if (tema_store_run_begin(s, "{}", TEMA_RUN_DEFAULT) != TEMA_OK ||
        tema_store_run_input(s, "t.csv", 100, "hash-of-t") != TEMA_OK)
        return -1;
    for (int i = 1; i <= 10; i++) {
        tema_mention m = {0};
        size_t nm = 0;
        double score = 9;
        if (i <= 4) {
            m = (tema_mention){"delivery.late", "delivery", "after", -0.6, TEMA_LABEL_NEGATIVE, 0, 4, 0};
            nm = 1;
            score = 2;
        } else if (i <= 6) {
            m = (tema_mention){"delivery.tracking", "delivery", "after", 0.5, TEMA_LABEL_POSITIVE, 0, 4, 0};
            nm = 1;
            score = 10;
        } else if (i <= 8) {
            m = (tema_mention){"customer_service.wait_time", "customer_service", "after", -0.4,
                               TEMA_LABEL_NEGATIVE, 0, 4, 0};
            nm = 1;
            score = 5;
        }
        char text[64];
        snprintf(text, sizeof text, "Comment number %d, long enough to quote.", i);
        tema_store_comment c = {.source = "t.csv", .line = (uint64_t)i + 1, .date = "2025-03-01",
                                .score_type = "nps", .has_score = 1, .score = score,
                                .text = text, .text_len = strlen(text), .lang = TEMA_LANG_EN,
                                .sentiment = nm ? m.sentiment : 0, .label = nm ? m.label : 0,
                                .mentions = nm ? &m : NULL, .nmentions = nm};
        if (tema_store_run_comment(s, &c, NULL) != TEMA_OK)
            return -1;
    }
    tema_run_counts counts = {10, 10, 0, 0};
    if (tema_store_run_finish(s, &counts) != TEMA_OK)
        return -1;
    tema_store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(dbpath);
    return 0;
}

static tema_store *open_read(void)
{
    tema_store *s = NULL;
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_READ, &s), TEMA_OK);
    return s;
}

static void test_top_ranks_touchpoints_by_complaints(void **state)
{
    (void)state;
    tema_store *s = open_read();
    tema_report_opts o;
    tema_report_opts_init(&o);
    tema_top_report *r = NULL;
    assert_int_equal(tema_top(s, &o, &r), TEMA_OK);
    assert_int_equal(r->comments, 10);
    assert_int_equal(r->score_type, TEMA_SCORE_NPS);
    assert_true(r->n_touchpoints >= 2);
    const tema_top_item *d = &r->touchpoints[0];
    assert_string_equal(d->id, "delivery");
    assert_int_equal(d->complaints, 4);
    assert_int_equal(d->mentions, 6);
    assert_int_equal(d->comments, 10);
    assert_float_equal(d->share, 0.4, 1e-9);
    assert_float_equal(d->share_lo, 0.16817, 1e-4);
    assert_float_equal(d->share_hi, 0.68733, 1e-4);
    assert_string_equal(d->irritants[0].id, "delivery.late");
    assert_int_equal(d->irritants[0].complaints, 4);
    assert_string_equal(r->touchpoints[1].id, "customer_service");
    assert_int_equal(r->touchpoints[1].complaints, 2);
    tema_top_free(r);
    /* a filter that matches nothing gives an empty, valid report */
    o.lang = "sv";
    assert_int_equal(tema_top(s, &o, &r), TEMA_OK);
    assert_int_equal(r->comments, 0);
    tema_top_free(r);
    tema_top_free(NULL);
    tema_store_close(s);
}

static void test_scores_nps_by_hand(void **state)
{
    (void)state;
    tema_store *s = open_read();
    tema_report_opts o;
    tema_report_opts_init(&o);
    tema_scores_report *r = NULL;
    assert_int_equal(tema_scores(s, &o, &r), TEMA_OK);
    assert_string_equal(r->groups[0].key, "all");
    assert_int_equal(r->groups[0].nps.promoters, 4);
    assert_int_equal(r->groups[0].nps.detractors, 6);
    assert_float_equal(r->groups[0].nps.value, -20.0, 1e-9);
    tema_scores_free(r);
    tema_scores_free(NULL);
    tema_store_close(s);
}

static void test_drivers_impact_by_hand(void **state)
{
    (void)state;
    tema_store *s = open_read();
    tema_report_opts o;
    tema_report_opts_init(&o);
    o.metric = TEMA_METRIC_NPS;
    o.min_mentions = 1;
    tema_drivers_report *r = NULL;
    assert_int_equal(tema_drivers(s, &o, &r), TEMA_OK);
    assert_int_equal(r->n, 10);
    assert_float_equal(r->score, -20.0, 1e-9);
    const tema_driver *late = NULL;
    for (size_t i = 0; i < r->n_drivers; i++)
        if (strcmp(r->drivers[i].theme, "delivery.late") == 0)
            late = &r->drivers[i];
    assert_non_null(late);
    assert_int_equal(late->n, 4);
    assert_float_equal(late->score, -100.0, 1e-9);
    assert_float_equal(late->impact, -53.3333, 1e-3);
    assert_string_equal(r->drivers[0].theme, "delivery.late"); /* most harmful first */
    tema_drivers_free(r);
    tema_drivers_free(NULL);
    tema_store_close(s);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(tema_score_type_name(TEMA_SCORE_NPS), "nps");
    assert_string_equal(tema_score_type_name(TEMA_SCORE_CSAT), "csat");
    assert_string_not_equal(tema_reject_name(TEMA_REJECT_FEWER_FIELDS),
                            tema_reject_name(TEMA_REJECT_MORE_FIELDS));
    assert_non_null(tema_reject_name(TEMA_REJECT_NONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_ranks_touchpoints_by_complaints),
        cmocka_unit_test(test_scores_nps_by_hand),
        cmocka_unit_test(test_drivers_impact_by_hand),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
