/*
 * test_api.c: the public life-cycle and small functions of tema.h:
 * version, status names, language codes, engine and doc create/free,
 * tokens through the doc, stemming through the doc's cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tema.h"

static void test_version_matches_macros(void **s)
{
    (void)s;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", TEMA_VERSION_MAJOR, TEMA_VERSION_MINOR,
             TEMA_VERSION_PATCH);
    assert_string_equal(tema_version(), want);
}

static void test_every_status_has_a_name(void **s)
{
    (void)s;
    for (int st = TEMA_OK; st <= TEMA_ERR_AMBIGUOUS; st++)
        assert_string_not_equal(tema_errstr((tema_status)st), "unknown status");
    assert_string_equal(tema_errstr((tema_status)999), "unknown status");
    assert_string_equal(tema_errstr(TEMA_ERR_NOMEM), "out of memory");
}

static void test_language_codes_round_trip(void **s)
{
    (void)s;
    for (int l = TEMA_LANG_UND; l < TEMA_LANG_COUNT; l++) {
        const char *code = tema_lang_code((tema_lang)l);
        tema_lang back;
        assert_int_equal(tema_lang_parse(code, strlen(code), &back), TEMA_OK);
        assert_int_equal(back, l);
    }
    tema_lang l;
    assert_int_equal(tema_lang_parse("NB", 2, &l), TEMA_OK);
    assert_int_equal(l, TEMA_LANG_NO);
    assert_int_equal(tema_lang_parse("nn", 2, &l), TEMA_OK);
    assert_int_equal(l, TEMA_LANG_NO);
    assert_int_equal(tema_lang_parse("dk", 2, &l), TEMA_OK);
    assert_int_equal(l, TEMA_LANG_DA);
    assert_int_equal(tema_lang_parse("fi", 2, &l), TEMA_ERR_NOTFOUND);
    assert_int_equal(tema_lang_parse("svx", 2, &l), TEMA_OK); /* length-bounded */
    assert_string_equal(tema_lang_code((tema_lang)42), "und");
}

static void test_type_and_label_names(void **s)
{
    (void)s;
    assert_string_equal(tema_token_type_name(TEMA_TOK_WORD), "word");
    assert_string_equal(tema_token_type_name(TEMA_TOK_EMOTICON), "emoticon");
    assert_string_equal(tema_token_type_name(TEMA_TOK_TYPE_COUNT), "unknown");
    assert_string_equal(tema_label_name(TEMA_LABEL_NEGATIVE), "negative");
    assert_string_equal(tema_label_name(TEMA_LABEL_POSITIVE), "positive");
    assert_string_equal(tema_label_name(TEMA_LABEL_NEUTRAL), "neutral");
}

static tema_engine *text_engine(void)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_TEXT_ONLY;
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_OK);
    return e;
}

static void test_free_functions_accept_null(void **s)
{
    (void)s;
    tema_engine_free(NULL);
    tema_doc_free(NULL);
    tema_free(NULL);
    assert_int_equal(tema_engine_new(NULL, NULL), TEMA_ERR_MISUSE);
    tema_doc *d = (tema_doc *)1;
    assert_int_equal(tema_doc_new(NULL, &d), TEMA_ERR_MISUSE);
    assert_null(d);
}

static void test_wrong_config_version_is_misuse_with_message(void **s)
{
    (void)s;
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.version = 99;
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_ERR_MISUSE);
    assert_non_null(e);
    assert_non_null(strstr(tema_errmsg(e), "version 99"));
    tema_engine_free(e);
}

static void test_missing_data_dir_names_the_folder(void **s)
{
    (void)s;
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = "/nonexistent/tema-data";
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_ERR_NOTFOUND);
    assert_non_null(strstr(tema_errmsg(e), "/nonexistent/tema-data"));
    tema_engine_free(e);
}

static void test_doc_tokens_have_offsets_into_the_input(void **s)
{
    (void)s;
    tema_engine *e = text_engine();
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    const char *text = "Hej! Leveransen var SEN";
    tema_analyze_opts o = {.stage = TEMA_STAGE_STEM, .lang = TEMA_LANG_SV};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    assert_int_equal(tema_doc_token_count(d), 5);
    tema_token t;
    assert_int_equal(tema_doc_token(d, 2, &t), TEMA_OK);
    assert_int_equal(t.start, 5);
    assert_int_equal(t.end, 15);
    assert_memory_equal(t.norm, "leveransen", 10);
    assert_int_equal(t.stem_len, 8);
    assert_memory_equal(t.stem, "leverans", 8);
    assert_int_equal(tema_doc_token(d, 4, &t), TEMA_OK);
    assert_true(t.flags & TEMA_TOKF_ALLCAPS);
    assert_int_equal(tema_doc_token(d, 5, &t), TEMA_ERR_MISUSE);
    assert_int_equal(tema_doc_lang(d), TEMA_LANG_SV);
    double sc[TEMA_LANG_COUNT];
    tema_doc_lang_scores(d, sc);
    assert_true(sc[TEMA_LANG_SV] == 1.0);
    assert_int_equal(tema_doc_repairs(d), 0);
    /* reuse for a second comment: results are replaced, not appended */
    assert_int_equal(tema_doc_analyze(d, "ok \xff", 4, &o), TEMA_OK);
    assert_int_equal(tema_doc_token_count(d), 2);
    assert_int_equal(tema_doc_repairs(d), 1);
    tema_doc_free(d);
    tema_engine_free(e);
}

static void test_doc_stem_uses_language_and_cache(void **s)
{
    (void)s;
    tema_engine *e = text_engine();
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    const char *st;
    size_t n;
    assert_int_equal(tema_doc_stem(d, TEMA_LANG_EN, "connections", 11, &st, &n), TEMA_OK);
    assert_int_equal(n, 7);
    assert_memory_equal(st, "connect", 7);
    assert_int_equal(tema_doc_stem(d, TEMA_LANG_DA, "leveringer", 10, &st, &n), TEMA_OK);
    assert_memory_equal(st, "levering", n);
    /* the second lookup hits the cache and must give the same answer */
    assert_int_equal(tema_doc_stem(d, TEMA_LANG_EN, "connections", 11, &st, &n), TEMA_OK);
    assert_memory_equal(st, "connect", 7);
    assert_int_equal(tema_doc_stem(d, TEMA_LANG_UND, "x", 1, &st, &n), TEMA_ERR_MISUSE);
    tema_doc_free(d);
    tema_engine_free(e);
}

static void test_analyze_rejects_bad_arguments(void **s)
{
    (void)s;
    tema_engine *e = text_engine();
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    assert_int_equal(tema_doc_analyze(d, NULL, 3, NULL), TEMA_ERR_MISUSE);
    tema_analyze_opts o = {.lang = (tema_lang)17};
    assert_int_equal(tema_doc_analyze(d, "x", 1, &o), TEMA_ERR_MISUSE);
    assert_int_equal(tema_doc_analyze(d, NULL, 0, NULL), TEMA_OK);
    assert_int_equal(tema_doc_token_count(d), 0);
    tema_doc_free(d);
    tema_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_matches_macros),
        cmocka_unit_test(test_every_status_has_a_name),
        cmocka_unit_test(test_language_codes_round_trip),
        cmocka_unit_test(test_type_and_label_names),
        cmocka_unit_test(test_free_functions_accept_null),
        cmocka_unit_test(test_wrong_config_version_is_misuse_with_message),
        cmocka_unit_test(test_missing_data_dir_names_the_folder),
        cmocka_unit_test(test_doc_tokens_have_offsets_into_the_input),
        cmocka_unit_test(test_doc_stem_uses_language_and_cache),
        cmocka_unit_test(test_analyze_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
