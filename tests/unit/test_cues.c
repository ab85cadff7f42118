/*
 * test_cues.c: complaint cues without opinion words (cues.c), with the
 * default lexicons and taxonomy and the rules alone.  The cases live in
 * tests/spec/cues.txt, one a line: language, the cue that must fire (or
 * "none": no cue may), the comment's label, the comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "tema.h"

static int setup(void **s)
{
    (void)s;
    const char *data = getenv("TEMA_DATA");
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = data && *data ? data : ".";
    cfg.options = TEMA_OPT_NO_MODEL;
    return fixture_open(&cfg);
}

static void analyze(tema_doc *d, tema_lang lang, const char *text)
{
    tema_analyze_opts o = {.lang = lang};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
}

/* The first cue-* rule of the explanation, or "none". */
static const char *cue_of(const tema_doc *d)
{
    for (size_t i = 0; i < tema_doc_explain_count(d); i++) {
        tema_explain_item x;
        assert_int_equal(tema_doc_explain(d, i, &x), TEMA_OK);
        if (strncmp(x.rule, "cue-", 4) == 0)
            return x.rule;
    }
    return "none";
}

static tema_label label_named(const char *s)
{
    if (strcmp(s, "negative") == 0)
        return TEMA_LABEL_NEGATIVE;
    if (strcmp(s, "positive") == 0)
        return TEMA_LABEL_POSITIVE;
    assert_string_equal(s, "neutral");
    return TEMA_LABEL_NEUTRAL;
}

static void test_spec_cases(void **s)
{
    (void)s;
    const char *data = getenv("TEMA_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/spec/cues.txt", data && *data ? data : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    int lineno = 0, cases = 0, failed = 0;
    unsigned seen[TEMA_LANG_COUNT] = {0};
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *lang_s = strtok(line, "\t"), *rule = strtok(NULL, "\t");
        char *label = strtok(NULL, "\t"), *text = strtok(NULL, "");
        assert_non_null(text);
        tema_lang lang;
        assert_int_equal(tema_lang_parse(lang_s, strlen(lang_s), &lang), TEMA_OK);
        analyze(doc, lang, text);
        const char *got = cue_of(doc);
        tema_label want = label_named(label);
        if (strcmp(got, rule) != 0 || tema_doc_label(doc) != want) {
            print_error("cues.txt:%d: %s: want %s %s, got %s label %d (%.2f)\n", lineno, text,
                        rule, label, got, (int)tema_doc_label(doc), tema_doc_sentiment(doc));
            failed++;
        }
        if (strcmp(rule, "none") != 0)
            seen[lang] |= 1u;
        else
            seen[lang] |= 2u;
        cases++;
    }
    fclose(f);
    assert_int_equal(failed, 0);
    assert_true(cases >= 60);
    /* every language has cases where a cue fires and where none may */
    for (int l = TEMA_LANG_SV; l < TEMA_LANG_COUNT; l++)
        assert_int_equal(seen[l], 3u);
}

/* The sentiment stage alone (the benchmarks' path) and an engine without
 * themes never apply cues: they belong to the theme pass. */
static void test_no_cues_without_themes(void **s)
{
    (void)s;
    const char *text = "58 minuter i telefonkö.";
    tema_analyze_opts o = {.lang = TEMA_LANG_SV, .stage = TEMA_STAGE_SENTIMENT};
    assert_int_equal(tema_doc_analyze(doc, text, strlen(text), &o), TEMA_OK);
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_NEUTRAL);
    assert_string_equal(cue_of(doc), "none");
    tema_engine *e = NULL;
    tema_doc *d = NULL;
    tema_config cfg;
    tema_config_init(&cfg);
    const char *data = getenv("TEMA_DATA");
    cfg.data_dir = data && *data ? data : ".";
    cfg.options = TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_OK);
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    analyze(d, TEMA_LANG_SV, text);
    assert_int_equal(tema_doc_label(d), TEMA_LABEL_NEUTRAL);
    assert_true(tema_doc_sentiment(d) == 0.0);
    tema_doc_free(d);
    tema_engine_free(e);
}

/* A cue alone is one implicit-complaint unit: u = -sqrt(15 / 3), score
 * u / sqrt(u^2 + 15) = -0.5 (docs/sentiment.md); opinion words keep it off. */
static void test_cue_unit_and_praise(void **s)
{
    (void)s;
    analyze(doc, TEMA_LANG_SV, "Beställde 4/10, paketet kom 21/10.");
    assert_string_equal(cue_of(doc), "cue-dates");
    assert_true(tema_doc_sentiment(doc) > -0.5 - 1e-6 && tema_doc_sentiment(doc) < -0.5 + 1e-6);
    /* the praise is an opinion unit: no cue, whatever the numbers say */
    analyze(doc, TEMA_LANG_EN, "Brilliant service, sorted in 58 minutes.");
    assert_string_equal(cue_of(doc), "none");
    assert_int_equal(tema_doc_label(doc), TEMA_LABEL_POSITIVE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_cases),
        cmocka_unit_test(test_no_cues_without_themes),
        cmocka_unit_test(test_cue_unit_and_praise),
    };
    return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
