/*
 * test_implicit.c: implicit complaints in the comment score (implicit.c),
 * and mentions without an opinion of their own taking the comment's
 * (tema__themes_settle in theme.c), both run after the themes.
 * A small taxonomy of our own keeps the cases independent of cx.tema.
 * Expected values are worked out from docs/sentiment.md: one implicit
 * complaint alone scores the comment -0.5, weighed by its clause.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture.h"
#include "tema.h"

static const char taxonomy[] =
    "[delivery]\n"
    "touchpoint: delivery\n"
    "phase: after\n"
    "label: en=Delivery\n"
    "sv: leverans\n"
    "da: levering\n"
    "\n"
    "[delivery.late]\n"
    "label: en=Late delivery\n"
    "sv.complaint: tog två veckor\n"
    "da.complaint: har ringet tilbage\n" /* overlaps "ingen har ringet" without nesting in it */
    "\n"
    "[customer_service]\n"
    "touchpoint: customer_service\n"
    "phase: after\n"
    "label: en=Customer service\n"
    "da.complaint: ingen har ringet\n"
    "\n"
    "[product]\n"
    "touchpoint: product\n"
    "phase: after\n"
    "label: en=Product\n"
    "sv: produkt\n";

static tema_engine *no_themes;
static char path[64];

static int setup(void **s)
{
    (void)s;
    snprintf(path, sizeof path, "/tmp/tema-implicit-%d.tema", (int)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(taxonomy, f);
    fclose(f);
    const char *data = getenv("TEMA_DATA");
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = data && *data ? data : ".";
    cfg.options = TEMA_OPT_NO_MODEL;
    cfg.base_taxonomy = path;
    if (fixture_open(&cfg) != 0) {
        remove(path);
        return -1;
    }
    cfg.options = TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES;
    if (tema_engine_new(&cfg, &no_themes) == TEMA_OK)
        return 0;
    /* cmocka runs no group teardown after a failed setup: free here */
    tema_doc_free(doc);
    tema_engine_free(engine);
    remove(path);
    return -1;
}

static int teardown(void **s)
{
    tema_engine_free(no_themes);
    remove(path);
    return fixture_teardown(s);
}

static void analyze(tema_doc *d, tema_lang lang, const char *text)
{
    tema_analyze_opts o = {.lang = lang};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
}

static size_t count_rule(const tema_doc *d, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < tema_doc_explain_count(d); i++) {
        tema_explain_item x;
        assert_int_equal(tema_doc_explain(d, i, &x), TEMA_OK);
        n += strcmp(x.rule, rule) == 0;
    }
    return n;
}

static void test_a_complaint_without_opinion_words_is_negative(void **s)
{
    (void)s;
    const char *text = "Det tog två veckor.";
    /* the sentiment rules alone see nothing */
    tema_doc *plain = NULL;
    assert_int_equal(tema_doc_new(no_themes, &plain), TEMA_OK);
    analyze(plain, TEMA_LANG_SV, text);
    assert_int_equal(tema_doc_label(plain), TEMA_LABEL_NEUTRAL);
    assert_true(tema_doc_sentiment(plain) == 0.0);
    tema_doc_free(plain);
    /* with the themes, the mention and the comment are negative: -0.5 */
    analyze(doc, TEMA_LANG_SV, text);
    assert_int_equal(tema_doc_mention_count(doc), 1);
    tema_mention m;
    assert_int_equal(tema_doc_mention(doc, 0, &m), TEMA_OK);
    assert_true(m.implicit);
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_NEGATIVE);
    assert_true(fabs(tema_doc_sentiment(doc) + 0.5) < 1e-9);
    assert_int_equal(count_rule(doc, "implicit-complaint"), 1);
}

static void test_contrast_weighs_the_complaint(void **s)
{
    (void)s;
    /* "bra" alone is positive; after "men" the complaint weighs 1.5 and the
     * clause before it 0.5, so the comment ends negative */
    analyze(doc, TEMA_LANG_SV, "Bra produkt.");
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_POSITIVE);
    double praise = tema_doc_sentiment(doc);
    analyze(doc, TEMA_LANG_SV, "Bra produkt men leveransen tog två veckor.");
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_NEGATIVE);
    assert_true(tema_doc_sentiment(doc) < -0.3);
    assert_true(tema_doc_sentiment(doc) > -1.0);
    assert_true(praise > 0.05);
}

static void test_one_unit_per_clause(void **s)
{
    (void)s;
    /* two implicit mentions in one clause count once: still -0.5 */
    analyze(doc, TEMA_LANG_DA, "Ingen har ringet tilbage.");
    assert_int_equal(tema_doc_mention_count(doc), 2);
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_NEGATIVE);
    assert_true(fabs(tema_doc_sentiment(doc) + 0.5) < 1e-9);
    assert_int_equal(count_rule(doc, "implicit-complaint"), 1);
}

static void test_comments_without_complaints_are_unchanged(void **s)
{
    (void)s;
    tema_doc *plain = NULL;
    assert_int_equal(tema_doc_new(no_themes, &plain), TEMA_OK);
    const char *texts[] = {"Bra produkt.", "Leveransen var dålig.", "Leveransen kom i tid."};
    for (size_t i = 0; i < 3; i++) {
        analyze(plain, TEMA_LANG_SV, texts[i]);
        analyze(doc, TEMA_LANG_SV, texts[i]);
        assert_true(tema_doc_sentiment(doc) == tema_doc_sentiment(plain));
        assert_int_equal(tema_doc_label(doc), tema_doc_label(plain));
        assert_int_equal(count_rule(doc, "implicit-complaint"), 0);
    }
    tema_doc_free(plain);
}

static void mention(const tema_doc *d, size_t i, tema_mention *m)
{
    assert_int_equal(tema_doc_mention(d, i, m), TEMA_OK);
}

static void test_unopinionated_mentions_take_the_comments_feeling(void **s)
{
    (void)s;
    tema_mention m, p;
    /* the opinion is in another sentence: the delivery mention takes it */
    analyze(doc, TEMA_LANG_SV, "Leveransen kom i tisdags. Helt värdelöst!");
    assert_int_equal(tema_doc_mention_count(doc), 1);
    mention(doc, 0, &m);
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_NEGATIVE);
    assert_int_equal(m.label, TEMA_LABEL_NEGATIVE);
    assert_true(m.sentiment == (float)tema_doc_sentiment(doc));
    /* no opinion anywhere: neutral stays neutral */
    analyze(doc, TEMA_LANG_SV, "Leveransen kom i tisdags.");
    mention(doc, 0, &m);
    assert_int_equal(m.label, TEMA_LABEL_NEUTRAL);
    assert_true(m.sentiment == 0.0f);
    /* a mention with its own opinion keeps it although the comment, by the
     * contrast, leans the other way */
    analyze(doc, TEMA_LANG_SV, "Leveransen var dålig men produkten var bra!");
    assert_int_equal(tema_doc_mention_count(doc), 2);
    mention(doc, 0, &m);
    mention(doc, 1, &p);
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_POSITIVE);
    assert_string_equal(m.theme, "delivery");
    assert_int_equal(m.label, TEMA_LABEL_NEGATIVE);
    assert_string_equal(p.theme, "product");
    assert_int_equal(p.label, TEMA_LABEL_POSITIVE);
}

static void test_a_top_level_theme_without_opinion_is_context(void **s)
{
    (void)s;
    tema_mention m;
    /* the opinion is about the product; the delivery is only named */
    analyze(doc, TEMA_LANG_SV, "Leveransen kom i tisdags. Produkten är dålig.");
    assert_int_equal(tema_doc_mention_count(doc), 1);
    mention(doc, 0, &m);
    assert_string_equal(m.theme, "product");
    assert_int_equal(m.label, TEMA_LABEL_NEGATIVE);
    /* a sub-theme is specific enough to stay, here by its implicit complaint */
    analyze(doc, TEMA_LANG_SV, "Det tog två veckor. Produkten är dålig.");
    assert_int_equal(tema_doc_mention_count(doc), 2);
    mention(doc, 0, &m);
    assert_string_equal(m.theme, "delivery.late");
    /* with no opinion anywhere nothing is dropped */
    analyze(doc, TEMA_LANG_SV, "Leveransen kom i tisdags med produkten.");
    assert_int_equal(tema_doc_mention_count(doc), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_complaint_without_opinion_words_is_negative),
        cmocka_unit_test(test_contrast_weighs_the_complaint),
        cmocka_unit_test(test_one_unit_per_clause),
        cmocka_unit_test(test_comments_without_complaints_are_unchanged),
        cmocka_unit_test(test_unopinionated_mentions_take_the_comments_feeling),
        cmocka_unit_test(test_a_top_level_theme_without_opinion_is_context),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
