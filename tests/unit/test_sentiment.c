/*
 * test_sentiment.c: the sentiment rules against the case tables in
 * tests/spec/sentiment-<lang>.txt (worked out by hand from the lexicons and
 * docs/sentiment.md), plus properties of scores, clauses and explanations.
 *
 * Expected lines of a case:
 *   positive | negative | neutral   the comment's label
 *   not LABEL                       any label but this one ("not negative": a plain
 *                                   statement may be read as praise or as neutral)
 *   > TEXT  /  < TEXT               the score is higher / lower than TEXT's
 *   = TEXT                          the score equals TEXT's (to 1e-6)
 *   rule NAME  /  no rule NAME      an explanation item with this rule (or none)
 * The language is forced from the file name, so no language model is needed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "engine.h"
#include "spec.h"

static tema_engine *engine_with(bool model)
{
    static tema_engine *engines[2];
    tema_engine *e = engines[model];
    if (!e) {
        tema_config cfg;
        tema_config_init(&cfg);
        cfg.options = TEMA_OPT_NO_THEMES | (model ? 0 : TEMA_OPT_NO_MODEL);
        const char *root = getenv("TEMA_DATA");
        cfg.data_dir = root && *root ? root : ".";
        tema_status st = tema_engine_new(&cfg, &e);
        if (st != TEMA_OK)
            fprintf(stderr, "engine: %s\n", tema_errmsg(e));
        assert_int_equal(st, TEMA_OK);
        engines[model] = e;
    }
    return e;
}

static tema_engine *engine(void)
{
    return engine_with(false);
}

static double score(tema_doc *d, tema_lang lang, const char *text, size_t len)
{
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = lang};
    assert_int_equal(tema_doc_analyze(d, text, len, &o), TEMA_OK);
    return tema_doc_sentiment(d);
}

static bool has_rule(const tema_doc *d, const char *rule)
{
    for (size_t i = 0; i < tema_doc_explain_count(d); i++) {
        tema_explain_item x;
        if (tema_doc_explain(d, i, &x) == TEMA_OK && strcmp(x.rule, rule) == 0)
            return true;
    }
    return false;
}

static bool is_label(const char *s)
{
    return !strcmp(s, "positive") || !strcmp(s, "negative") || !strcmp(s, "neutral");
}

/* Checks one expected line; returns false (and says why) on failure. */
static bool check(tema_doc *d, tema_lang lang, const spec_case *c, const char *want)
{
    double s = score(d, lang, c->input, c->input_len);
    const char *label = tema_label_name(tema_doc_label(d));
    if (!strcmp(want, "positive") || !strcmp(want, "negative") || !strcmp(want, "neutral")) {
        if (strcmp(want, label) == 0)
            return true;
        fprintf(stderr, "  label %s (%.3f), want %s\n", label, s, want);
        return false;
    }
    if (!strncmp(want, "not ", 4) && is_label(want + 4)) {
        if (strcmp(want + 4, label) != 0)
            return true;
        fprintf(stderr, "  label %s (%.3f), want another\n", label, s);
        return false;
    }
    if (!strncmp(want, "rule ", 5) || !strncmp(want, "no rule ", 8)) {
        bool neg = want[0] == 'n';
        bool got = has_rule(d, want + (neg ? 8 : 5));
        if (got != neg)
            return true;
        fprintf(stderr, "  %s: %s\n", want, got ? "present" : "absent");
        return false;
    }
    if ((want[0] == '>' || want[0] == '<' || want[0] == '=') && want[1] == ' ') {
        static char other[8192];
        size_t olen = spec_unescape(want + 2, other);
        double o = score(d, lang, other, olen);
        bool ok = want[0] == '>' ? s > o : want[0] == '<' ? s < o : fabs(s - o) < 1e-6;
        if (!ok)
            fprintf(stderr, "  %.3f %c %.3f (\"%s\") does not hold\n", s, want[0], o, other);
        return ok;
    }
    fprintf(stderr, "  unknown expectation '%s'\n", want);
    return false;
}

/* Runs the case table of 'lang' through the rules alone, or with the
 * learned model of models/sentiment.bin: the model must not break a rule
 * case (if it does, its blend with the rule score is wrong). */
static void run_table_with(tema_lang lang, bool model)
{
    const char *code = tema_lang_code(lang);
    char rel[256];
    const char *root = getenv("TEMA_DATA");
    struct stat sb;
    snprintf(rel, sizeof rel, "%s/lexicons/%s/sentiment.txt", root && *root ? root : ".", code);
    if (stat(rel, &sb) != 0) {
        fprintf(stderr, "no %s: %s cases skipped\n", rel, code);
        skip();
    }
    snprintf(rel, sizeof rel, "sentiment-%s.txt", code);
    FILE *f = spec_open(rel);
    assert_non_null(f);
    tema_doc *d = NULL;
    tema_engine *e = engine_with(model);
    if (model && !e->sentmodel) {
        fprintf(stderr, "no models/sentiment.bin: %s cases with the model skipped\n", code);
        fclose(f);
        skip();
    }
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    static spec_case c;
    int lineno = 0, cases = 0, failures = 0;
    while (spec_next(f, &c, &lineno)) {
        cases++;
        bool ok = c.n_expect > 0;
        for (int k = 0; k < c.n_expect; k++) {
            if (!check(d, lang, &c, c.expect[k])) {
                fprintf(stderr, "FAIL %s:%d: %s: [%s]\n", rel, c.line, c.name, c.expect[k]);
                ok = false;
            }
        }
        failures += !ok;
    }
    fclose(f);
    tema_doc_free(d);
    fprintf(stderr, "%s%s: %d cases, %d failed\n", rel, model ? " (model)" : "", cases, failures);
    assert_int_equal(failures, 0);
    assert_true(cases >= 40);
}

static void run_table(tema_lang lang) { run_table_with(lang, false); }

static void test_swedish_cases_with_model(void **state) { (void)state; run_table_with(TEMA_LANG_SV, true); }
static void test_danish_cases_with_model(void **state) { (void)state; run_table_with(TEMA_LANG_DA, true); }
static void test_norwegian_cases_with_model(void **state) { (void)state; run_table_with(TEMA_LANG_NO, true); }
static void test_english_cases_with_model(void **state) { (void)state; run_table_with(TEMA_LANG_EN, true); }

static void test_swedish_cases(void **state) { (void)state; run_table(TEMA_LANG_SV); }
static void test_danish_cases(void **state) { (void)state; run_table(TEMA_LANG_DA); }
static void test_norwegian_cases(void **state) { (void)state; run_table(TEMA_LANG_NO); }
static void test_english_cases(void **state) { (void)state; run_table(TEMA_LANG_EN); }

static void test_scores_stay_in_range_and_clauses_cover_tokens(void **state)
{
    (void)state;
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(engine(), &d), TEMA_OK);
    static const char *const texts[] = {
        "PERFECT PERFECT PERFECT amazing awesome excellent!!!!!!!!!! 😍😍😍😍😍😍",
        "terrible awful useless rude broken, horrible; disgusting!!!!! 😡😡😡😡",
        "", "   ", "but but but, not not not never", "?!?!?!", "\xff\xfe bad \xc3"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        double s = score(d, TEMA_LANG_EN, texts[i], strlen(texts[i]));
        assert_true(s >= -1.0 && s <= 1.0);
        uint32_t next = 0;
        for (size_t c = 0; c < d->nclauses; c++) {
            assert_int_equal(d->clauses[c].first, next);
            assert_true(d->clauses[c].end > d->clauses[c].first);
            assert_true(d->clauses[c].score >= -1.0f && d->clauses[c].score <= 1.0f);
            next = d->clauses[c].end;
        }
        assert_int_equal(next, d->toks.n);
    }
    assert_true(score(d, TEMA_LANG_EN, texts[0], strlen(texts[0])) > 0.9);
    assert_true(score(d, TEMA_LANG_EN, texts[1], strlen(texts[1])) < -0.9);
    tema_doc_free(d);
}

static void test_contrast_splits_clauses_with_their_own_sentiment(void **state)
{
    (void)state;
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(engine(), &d), TEMA_OK);
    const char *t = "Great product but the courier was rude";
    score(d, TEMA_LANG_EN, t, strlen(t));
    assert_int_equal(d->nclauses, 2);
    assert_int_equal(d->clauses[0].first, 0);
    assert_int_equal(d->clauses[0].end, 2);   /* "Great product" */
    assert_true(d->clauses[0].score > 0);
    assert_true(d->clauses[1].score < 0);     /* "but the courier was rude" */
    assert_true(d->clauses[0].weight < d->clauses[1].weight);
    assert_int_equal(d->sfeat.npos, 1);
    assert_int_equal(d->sfeat.nneg, 1);
    assert_int_equal(d->sfeat.ncontrast, 1);
    tema_doc_free(d);
}

static void test_explain_spans_point_at_the_words(void **state)
{
    (void)state;
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(engine(), &d), TEMA_OK);
    const char *t = "The staff were very rude";
    score(d, TEMA_LANG_EN, t, strlen(t));
    bool lex = false, intens = false;
    for (size_t i = 0; i < tema_doc_explain_count(d); i++) {
        tema_explain_item x;
        assert_int_equal(tema_doc_explain(d, i, &x), TEMA_OK);
        if (!strcmp(x.rule, "lexicon")) {
            assert_int_equal(x.start, 20);
            assert_int_equal(x.end, 24);
            assert_true(x.weight < 0);
            lex = true;
        }
        if (!strcmp(x.rule, "intensifier")) {
            assert_int_equal(x.start, 15);
            assert_int_equal(x.end, 19);
            assert_true(x.weight > 1);
            intens = true;
        }
    }
    assert_true(lex && intens);
    tema_explain_item x;
    assert_int_equal(tema_doc_explain(d, tema_doc_explain_count(d), &x), TEMA_ERR_MISUSE);
    tema_doc_free(d);
}

static void test_undetermined_language_scores_emoji_only(void **state)
{
    (void)state;
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(engine(), &d), TEMA_OK);
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = TEMA_LANG_UND};
    const char *t = "\xF0\x9F\x98\xA1"; /* 😡 */
    assert_int_equal(tema_doc_analyze(d, t, strlen(t), &o), TEMA_OK);
    if (tema_doc_lang(d) == TEMA_LANG_UND)
        assert_int_equal(tema_doc_label(d), TEMA_LABEL_NEGATIVE);
    tema_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swedish_cases),
        cmocka_unit_test(test_danish_cases),
        cmocka_unit_test(test_norwegian_cases),
        cmocka_unit_test(test_english_cases),
        cmocka_unit_test(test_swedish_cases_with_model),
        cmocka_unit_test(test_danish_cases_with_model),
        cmocka_unit_test(test_norwegian_cases_with_model),
        cmocka_unit_test(test_english_cases_with_model),
        cmocka_unit_test(test_scores_stay_in_range_and_clauses_cover_tokens),
        cmocka_unit_test(test_contrast_splits_clauses_with_their_own_sentiment),
        cmocka_unit_test(test_explain_spans_point_at_the_words),
        cmocka_unit_test(test_undetermined_language_scores_emoji_only),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tema_engine_free(engine());
    return rc;
}
