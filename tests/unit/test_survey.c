/*
 * test_survey.c: which rows under a header tema_survey_header_rows() takes
 * for a survey tool's extra header rows (Qualtrics, SurveyMonkey), and the
 * responses it must never take for them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tema.h"

#define MAXF 8

/* A row of NUL-terminated strings as reader fields. */
typedef struct row {
    tema_field f[MAXF];  /* fields */
    size_t n;            /* number of fields */
} row;

static row mk(size_t n, const char *const *v)
{
    row r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < n && i < MAXF; i++) {
        r.f[i].ptr = v[i];
        r.f[i].len = strlen(v[i]);
    }
    r.n = n;
    return r;
}
#define ROW(...) mk(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *), \
                    (const char *[]){__VA_ARGS__})

static void detect(const row *r2, const row *r3, size_t text, tema_survey_tool want_tool,
                   size_t want_skip)
{
    tema_survey_tool tool = (tema_survey_tool)99;
    size_t skip = 99;
    assert_int_equal(tema_survey_header_rows(r2 ? r2->f : NULL, r2 ? r2->n : 0, r3 ? r3->f : NULL,
                                             r3 ? r3->n : 0, text, &tool, &skip),
                     TEMA_OK);
    assert_int_equal(tool, want_tool);
    assert_int_equal(skip, want_skip);
}

static void test_qualtrics_import_ids_skip_two_rows(void **s)
{
    (void)s;
    row r2 = ROW("Start Date", "Response ID", "Vad kan vi göra bättre?");
    row r3 = ROW("{\"ImportId\":\"startDate\",\"timeZone\":\"Europe/Stockholm\"}",
                 "{\"ImportId\":\"_recordId\"}", " { \"ImportId\" : \"QID2_TEXT\" } ");
    detect(&r2, &r3, SIZE_MAX, TEMA_SURVEY_QUALTRICS, 2);
    detect(&r2, &r3, 2, TEMA_SURVEY_QUALTRICS, 2);
    /* the key after another one */
    row r3b = ROW("{\"timeZone\":\"UTC\",\"ImportId\":\"endDate\"}", "", "{\"ImportId\":\"QID1\"}");
    detect(&r2, &r3b, SIZE_MAX, TEMA_SURVEY_QUALTRICS, 2);
}

static void test_qualtrics_needs_every_nonempty_cell(void **s)
{
    (void)s;
    row r2 = ROW("fråga", "Vad kan vi göra bättre?");
    row mixed = ROW("{\"ImportId\":\"QID1\"}", "Bra, men {\"ImportId\":\"x\"} stod i mejlet");
    detect(&r2, &mixed, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
    row value = ROW("{\"note\":\"ImportId\"}", "{\"ImportId\":\"QID2\"}");
    detect(&r2, &value, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
    row nocolon = ROW("{\"ImportId\" \"QID1\"}", "{\"ImportId\":\"QID2\"}");
    detect(&r2, &nocolon, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
    row empty = ROW("", " ");
    detect(&r2, &empty, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
    /* row 3 missing or rejected */
    detect(&r2, NULL, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
}

static void test_surveymonkey_sublabels_skip_one_row(void **s)
{
    (void)s;
    row r2 = ROW("", "", "Response", "Open-Ended Response");
    row r3 = ROW("114230001", "4301", "9", "Bra");
    detect(&r2, &r3, SIZE_MAX, TEMA_SURVEY_SURVEYMONKEY, 1);
    detect(&r2, &r3, 3, TEMA_SURVEY_SURVEYMONKEY, 1);
    detect(&r2, &r3, 2, TEMA_SURVEY_SURVEYMONKEY, 1);  /* "Response" over a text box */
    detect(&r2, NULL, SIZE_MAX, TEMA_SURVEY_SURVEYMONKEY, 1);
    /* answer options of a matrix question beside it */
    row opts = ROW("", "Very satisfied", "Somewhat satisfied", "Open-Ended Response");
    detect(&opts, NULL, 3, TEMA_SURVEY_SURVEYMONKEY, 1);
}

static void test_surveymonkey_label_must_sit_over_the_text(void **s)
{
    (void)s;
    row r2 = ROW("", "", "Response", "Open-Ended Response");
    detect(&r2, NULL, 0, TEMA_SURVEY_PLAIN, 0);  /* the text column's cell is empty */
    detect(&r2, NULL, 7, TEMA_SURVEY_PLAIN, 0);  /* no such column */
}

static void test_responses_are_not_sublabels(void **s)
{
    (void)s;
    /* a first comment that reads "Response", with an id and a date */
    row dated = ROW("1", "2026-03-01", "Response");
    detect(&dated, NULL, 2, TEMA_SURVEY_PLAIN, 0);
    detect(&dated, NULL, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
    /* no digits, but no empty metadata cell and no "Open-Ended Response" */
    row names = ROW("Anna", "Response");
    detect(&names, NULL, 1, TEMA_SURVEY_PLAIN, 0);
    /* a long text beside the label */
    row longtext = ROW("", "Response",
                       "Leveransen tog en vecka och ingen svarade när jag ringde kundtjänst");
    detect(&longtext, NULL, 1, TEMA_SURVEY_PLAIN, 0);
    /* a label with different case or extra words is a comment */
    row lower = ROW("", "response");
    detect(&lower, NULL, 1, TEMA_SURVEY_PLAIN, 0);
    row more = ROW("", "Response time was slow");
    detect(&more, NULL, 1, TEMA_SURVEY_PLAIN, 0);
    /* a line break inside a cell */
    row multi = ROW("", "Open-Ended Response", "Bra\nmen dyrt");
    detect(&multi, NULL, 1, TEMA_SURVEY_PLAIN, 0);
    /* a single column */
    row one = ROW("Open-Ended Response");
    detect(&one, NULL, 0, TEMA_SURVEY_PLAIN, 0);
    detect(NULL, NULL, SIZE_MAX, TEMA_SURVEY_PLAIN, 0);
}

static void test_misuse(void **s)
{
    (void)s;
    tema_survey_tool tool;
    size_t skip;
    tema_field f = {"x", 1};
    assert_int_equal(tema_survey_header_rows(&f, 1, NULL, 0, 0, NULL, &skip), TEMA_ERR_MISUSE);
    assert_int_equal(tema_survey_header_rows(&f, 1, NULL, 0, 0, &tool, NULL), TEMA_ERR_MISUSE);
    skip = 5;
    assert_int_equal(tema_survey_header_rows(NULL, 2, NULL, 0, 0, &tool, &skip), TEMA_ERR_MISUSE);
    assert_int_equal(tool, TEMA_SURVEY_PLAIN);
    assert_int_equal(skip, 0);
}

static void test_tool_names(void **s)
{
    (void)s;
    assert_string_equal(tema_survey_tool_name(TEMA_SURVEY_QUALTRICS), "Qualtrics");
    assert_string_equal(tema_survey_tool_name(TEMA_SURVEY_SURVEYMONKEY), "SurveyMonkey");
    assert_string_equal(tema_survey_tool_name(TEMA_SURVEY_PLAIN), "plain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qualtrics_import_ids_skip_two_rows),
        cmocka_unit_test(test_qualtrics_needs_every_nonempty_cell),
        cmocka_unit_test(test_surveymonkey_sublabels_skip_one_row),
        cmocka_unit_test(test_surveymonkey_label_must_sit_over_the_text),
        cmocka_unit_test(test_responses_are_not_sublabels),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_tool_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
