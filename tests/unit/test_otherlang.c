/*
 * test_otherlang.c: loading lexicons/all/other-languages.txt: entries
 * normalised like comments, a word of several languages, comment and blank
 * lines, a missing file, and each kind of invalid line with its line number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "otherlang.h"

static char dir[64];
static char path[128];
static tema_engine *engine;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tema-test-otherlang-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char p[128];
    snprintf(p, sizeof p, "%s/lexicons", dir);
    if (mkdir(p, 0700) != 0)
        return -1;
    snprintf(p, sizeof p, "%s/lexicons/all", dir);
    if (mkdir(p, 0700) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/lexicons/all/other-languages.txt", dir);
    /* a text-only engine: the loader needs only its data folder and errmsg */
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = dir;
    cfg.options = TEMA_OPT_TEXT_ONLY;
    return tema_engine_new(&cfg, &engine) == TEMA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tema_engine_free(engine);
    unlink(path);
    char p[128];
    snprintf(p, sizeof p, "%s/lexicons/all", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/lexicons", dir);
    rmdir(p);
    rmdir(dir);
    return 0;
}

static tema_status load(const char *text, tema__otherlang **o)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    return tema__otherlang_load(engine, o);
}

/* The language set of a normalised word, looked up as langid.c does: with
 * its padded hash and readable slack after it. */
static uint32_t find(const tema__otherlang *o, const char *w)
{
    char buf[64] = {0};
    size_t n = strlen(w);
    assert_true(n + TEMA__HASH_SLACK <= sizeof buf);
    memcpy(buf, w, n);
    return tema__otherlang_find(o, buf, n, tema__hash_padded(buf, n));
}

static int bit(const char *code)
{
    for (int i = 0; tema__otherlang_code(i); i++)
        if (strcmp(tema__otherlang_code(i), code) == 0)
            return 1 << i;
    fail_msg("no language %s", code);
    return 0;
}

static void test_entries_are_normalised_like_comments(void **s)
{
    (void)s;
    tema__otherlang *o = NULL;
    assert_int_equal(load("# German\n\nÜBER\tde\nc\xE2\x80\x99" "est\tfr\n  # indented comment\n"
                          "Schön\tde\r\n",
                          &o),
                     TEMA_OK);
    assert_non_null(o);
    assert_int_equal(tema__otherlang_count(o), 3);
    assert_int_equal(find(o, "über"), bit("de"));
    assert_int_equal(find(o, "c'est"), bit("fr")); /* typographic apostrophe folded */
    assert_int_equal(find(o, "schön"), bit("de"));
    assert_int_equal(find(o, "schon"), 0); /* accents are kept: a different word */
    assert_int_equal(find(o, "und"), 0);
    tema__otherlang_free(o);
}

static void test_a_word_of_several_languages_has_each(void **s)
{
    (void)s;
    tema__otherlang *o = NULL;
    assert_int_equal(load("para\tes\npara\tpt\nmuito\tpt\n", &o), TEMA_OK);
    assert_int_equal(tema__otherlang_count(o), 2);
    assert_int_equal(find(o, "para"), bit("es") | bit("pt"));
    assert_int_equal(find(o, "muito"), bit("pt"));
    tema__otherlang_free(o);
}

static void test_missing_file_is_no_list(void **s)
{
    (void)s;
    unlink(path);
    tema__otherlang *o = (tema__otherlang *)1;
    assert_int_equal(tema__otherlang_load(engine, &o), TEMA_OK);
    assert_null(o);
    assert_int_equal(find(NULL, "danke"), 0);
    assert_int_equal(tema__otherlang_count(NULL), 0);
}

static void expect_error(const char *text, const char *msg_end)
{
    tema__otherlang *o = (tema__otherlang *)1;
    assert_int_equal(load(text, &o), TEMA_ERR_PARSE);
    assert_null(o);
    const char *msg = tema_errmsg(engine);
    size_t n = strlen(msg), m = strlen(msg_end);
    if (n < m || strcmp(msg + n - m, msg_end) != 0)
        fail_msg("message [%s] does not end with [%s]", msg, msg_end);
    assert_non_null(strstr(msg, "other-languages.txt:"));
}

static void test_invalid_lines_name_their_line(void **s)
{
    (void)s;
    expect_error("# list\n\nok\tde\ndanke\n", ":4: expected word<TAB>language");
    expect_error("zwei wörter\tde\n", ":1: not one word");
    expect_error("y\tes\n", ":1: a word needs at least two letters");
    expect_error("wort\tdk\n", ":1: unknown language (de fi fr es nl pl it pt et is tr)");
    expect_error("ok\tde\nwort\tde\textra\n", ":2: too many fields (expected word<TAB>language)");
    expect_error("wort\t\n", ":1: unknown language (de fi fr es nl pl it pt et is tr)");
    expect_error("\tde\n", ":1: not one word");
    expect_error("w\xFF" "rt\tde\n", ":1: invalid UTF-8");
}

static void test_codes_in_bit_order(void **s)
{
    (void)s;
    assert_string_equal(tema__otherlang_code(0), "de");
    assert_string_equal(tema__otherlang_code(TEMA__OTHERLANG_COUNT - 1), "tr");
    assert_null(tema__otherlang_code(TEMA__OTHERLANG_COUNT));
    assert_null(tema__otherlang_code(-1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_are_normalised_like_comments),
        cmocka_unit_test(test_a_word_of_several_languages_has_each),
        cmocka_unit_test(test_missing_file_is_no_list),
        cmocka_unit_test(test_invalid_lines_name_their_line),
        cmocka_unit_test(test_codes_in_bit_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
