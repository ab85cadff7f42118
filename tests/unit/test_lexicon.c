/*
 * test_lexicon.c: the lexicon loader: a small hand-written data folder that
 * loads and behaves as docs/formats.md says (stems, exact forms, phrases,
 * emoticons that start with '=', hashtags, compound prefixes), overrides
 * through --lexicon files, and every kind of error reported as file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tema.h"
#include "lexicon.h"

static char root[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/tema-lexicon-test-%ld", (long)getpid());
    char p[512];
    mkdir(root, 0755);
    snprintf(p, sizeof p, "%s/lexicons", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lexicons/en", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lexicons/all", root);
    mkdir(p, 0755);
    write_file("lexicons/en/sentiment.txt",
               "# test lexicon\n"
               "\n"
               "good\t2\n"
               "=ok\t1\n"
               "Rude\t-2.5\n"
               "not bad\t2\n"
               "waste of =money\t-3\n"
               "\\#fail\t-2\n"
               "best\t3\n");
    write_file("lexicons/en/negators.txt", "not\nnever\nno\tforward\n");
    write_file("lexicons/en/modifiers.txt", "very\t1.5\nslightly\t0.5\nsuper-\t1.5\n");
    write_file("lexicons/en/contrast.txt", "but\n");
    write_file("lexicons/en/barriers.txt", "that\n");
    write_file("lexicons/en/signoffs.txt", "best\nkind regards\n");
    write_file("lexicons/all/sentiment.txt", ":)\t1.5\n=)\t1\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Builds an engine over the test folder with extra lexicon files. */
static tema_status make_engine(const char *const *extra, size_t n, tema_engine **e)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_NO_THEMES | TEMA_OPT_NO_MODEL;
    cfg.data_dir = root;
    cfg.lexicons = extra;
    cfg.n_lexicons = n;
    return tema_engine_new(&cfg, e);
}

static double score(tema_engine *e, tema_lang lang, const char *text)
{
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = lang};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    double s = tema_doc_sentiment(d);
    tema_doc_free(d);
    return s;
}

static void test_good_folder_loads_and_matches_as_documented(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    assert_int_equal(make_engine(NULL, 0, &e), TEMA_OK);
    assert_true(score(e, TEMA_LANG_EN, "goods") > 0);            /* by stem */
    assert_true(score(e, TEMA_LANG_EN, "ok") > 0);               /* exact form */
    assert_true(score(e, TEMA_LANG_EN, "okay") == 0);            /* ... only */
    assert_true(score(e, TEMA_LANG_EN, "RUDE people") < 0);      /* case folded */
    assert_true(score(e, TEMA_LANG_EN, "not bad") > 0);          /* phrase wins */
    assert_true(score(e, TEMA_LANG_EN, "a waste of money") < 0);
    assert_true(score(e, TEMA_LANG_EN, "a waste of moneys") == 0); /* '=' in a phrase */
    assert_true(score(e, TEMA_LANG_EN, "#fail") < 0);            /* \# escapes a hashtag */
    assert_true(score(e, TEMA_LANG_EN, "=)") > 0);               /* emoticon, not a marker */
    assert_true(score(e, TEMA_LANG_EN, ":)") > 0);
    assert_true(score(e, TEMA_LANG_EN, "supergood") > score(e, TEMA_LANG_EN, "good"));
    assert_true(score(e, TEMA_LANG_EN, "very good") > score(e, TEMA_LANG_EN, "good"));
    assert_true(score(e, TEMA_LANG_EN, "not good") < 0);
    assert_true(score(e, TEMA_LANG_EN, "no good") < 0);          /* a forward negator... */
    assert_true(score(e, TEMA_LANG_EN, "good it was not") < 0);  /* post-position */
    assert_true(score(e, TEMA_LANG_EN, "good it was no") < 0);   /* ...ending its clause too */
    assert_true(score(e, TEMA_LANG_EN, "good and not x") < 0);
    assert_true(score(e, TEMA_LANG_EN, "good and no x") > 0);    /* not across its noun */
    assert_true(score(e, TEMA_LANG_EN, "good that it was not") > 0); /* barriers.txt */
    /* signoffs.txt: a closing sign-off, with or without a name, is no praise */
    double bad = score(e, TEMA_LANG_EN, "not good.");
    assert_true(bad < 0);
    assert_true(score(e, TEMA_LANG_EN, "not good. Best, Sam") == bad);
    assert_true(score(e, TEMA_LANG_EN, "not good. Kind regards, Sam Smith!") == bad);
    assert_true(score(e, TEMA_LANG_EN, "not good. Best of all, Sam") > bad); /* not a sign-off */
    assert_true(score(e, TEMA_LANG_EN, "not good, best") > bad);  /* not its own sentence */
    assert_true(score(e, TEMA_LANG_EN, "Best, Sam") > 0);          /* the whole comment */
    assert_true(score(e, TEMA_LANG_DA, "good") == 0);            /* no da files here */
    tema_engine_free(e);
}

static void test_extra_file_adds_and_overrides_per_language(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/extra.txt", root);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# analyst's additions\n"
          "good\t-3\ten\n"        /* overrides the default entry */
          "hurtig\t2\tda\n"       /* Danish only */
          "queue jumping\t-2\n"   /* phrase, all four languages */
          "brilliant\t3\tall\n",
          f);
    fclose(f);
    const char *extra[] = {path};
    tema_engine *e = NULL;
    assert_int_equal(make_engine(extra, 1, &e), TEMA_OK);
    assert_true(score(e, TEMA_LANG_EN, "good") < 0);
    assert_true(score(e, TEMA_LANG_DA, "hurtig") > 0);
    assert_true(score(e, TEMA_LANG_NO, "hurtig") == 0);
    assert_true(score(e, TEMA_LANG_SV, "queue jumping") < 0);
    assert_true(score(e, TEMA_LANG_NO, "brilliant") > 0);
    tema_engine_free(e);
}

/* Writes 'text' to an extra file and checks the load error message. */
static void expect_error(const char *text, tema_status want_st, const char *want_msg)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bad.txt", root);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    const char *extra[] = {path};
    tema_engine *e = NULL;
    assert_int_equal(make_engine(extra, 1, &e), want_st);
    char want[1024];
    snprintf(want, sizeof want, "%s:%s", path, want_msg);
    if (strncmp(tema_errmsg(e), want, strlen(want)) != 0)
        fail_msg("got '%s', want '%s...'", tema_errmsg(e), want);
    tema_engine_free(e);
}

static void test_each_error_names_file_and_line(void **state)
{
    (void)state;
    expect_error("good\t1\nbad\n", TEMA_ERR_PARSE, "2: missing valence");
    expect_error("# c\n\ngood\tvery\n", TEMA_ERR_PARSE, "3: valence 'very' is not a number");
    expect_error("good\t4.5\n", TEMA_ERR_PARSE, "1: valence '4.5' is not a number from -4 to 4");
    expect_error("good\tnan\n", TEMA_ERR_PARSE, "1: valence 'nan'");
    expect_error("good\t1\tklingon\n", TEMA_ERR_PARSE, "1: unknown language 'klingon'");
    expect_error("good\t1\ten\tx\n", TEMA_ERR_PARSE, "1: too many fields");
    expect_error("ok\t1\n\t2\n", TEMA_ERR_PARSE, "2: empty term");
    expect_error("g\xc3\x28od\t1\n", TEMA_ERR_PARSE, "1: invalid UTF-8");
}

static void test_errors_in_the_data_folder(void **state)
{
    (void)state;
    /* Each file of the folder written wrong, then put back as setup() wrote
     * it: the engine fails with the file, the line and what is wrong. */
    static const struct {
        const char *file, *bad, *message, *good;
    } cases[] = {
        {"lexicons/en/modifiers.txt", "very\t1.5\nslightly\t0\n",
         "modifiers.txt:2: multiplier '0'", "very\t1.5\nslightly\t0.5\nsuper-\t1.5\n"},
        {"lexicons/en/negators.txt", "not\nby no means\n",
         "negators.txt:2: a negator must be a single word", "not\nnever\nno\tforward\n"},
        {"lexicons/en/negators.txt", "not\nno\tforwards\n",
         "negators.txt:2: unknown negator kind 'forwards' (forward, both or plain)",
         "not\nnever\nno\tforward\n"},
        {"lexicons/en/negators.txt", "not\nno\tforward\tx\n",
         "negators.txt:2: too many fields (a term, optionally a TAB and 'forward', 'both' or 'plain')",
         "not\nnever\nno\tforward\n"},
        {"lexicons/en/contrast.txt", "but\nthough\tconcede\n",
         "contrast.txt:2: unknown contrast kind 'concede' (only 'concessive')", "but\n"},
        {"lexicons/en/barriers.txt", "that\nso that\n",
         "barriers.txt:2: a barrier word must be a single word", "that\n"},
        {"lexicons/en/signoffs.txt", "best\nthank you very much in advance\n",
         "signoffs.txt:2: a sign-off is 1 to 4 words", "best\nkind regards\n"},
        {"lexicons/all/sentiment.txt", ":)\t1.5\nvery nice\t2\n",
         "all/sentiment.txt:2: lexicons/all takes single", ":)\t1.5\n=)\t1\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tema_engine *e = NULL;
        write_file(cases[i].file, cases[i].bad);
        assert_int_equal(make_engine(NULL, 0, &e), TEMA_ERR_PARSE);
        if (!strstr(tema_errmsg(e), cases[i].message))
            fail_msg("want '%s', got '%s'", cases[i].message, tema_errmsg(e));
        tema_engine_free(e);
        write_file(cases[i].file, cases[i].good);
        assert_int_equal(make_engine(NULL, 0, &e), TEMA_OK);
        tema_engine_free(e);
    }
}

static void test_missing_extra_file_is_an_error(void **state)
{
    (void)state;
    const char *extra[] = {"/nonexistent/tema/extra.txt"};
    tema_engine *e = NULL;
    assert_int_equal(make_engine(extra, 1, &e), TEMA_ERR_NOTFOUND);
    assert_non_null(strstr(tema_errmsg(e), "/nonexistent/tema/extra.txt"));
    tema_engine_free(e);
}

/* Plain decimals are read without strtod(): each value below is the double
 * nearest to the decimal, which is what the C compiler makes of the same
 * literal. */
static void test_parse_decimal_fast_path(void **s)
{
    (void)s;
    bool ok;
    assert_true(tema__parse_decimal("0.75", 4, &ok) == 0.75 && ok);
    assert_true(tema__parse_decimal("-1.5", 4, &ok) == -1.5 && ok);
    assert_true(tema__parse_decimal("+2", 2, &ok) == 2.0 && ok);
    assert_true(tema__parse_decimal("0.1", 3, &ok) == 0.1 && ok);   /* not exact: rounded */
    assert_true(tema__parse_decimal("-0.35", 5, &ok) == -0.35 && ok);
    assert_true(tema__parse_decimal("3.999999999999", 14, &ok) == 3.999999999999 && ok);
    /* the sign of zero survives, as with strtod("-0") */
    double z = tema__parse_decimal("-0", 2, &ok);
    assert_true(ok && z == 0 && signbit(z));
    /* anything else is left to strtod() */
    const char *other[] = {"1e2", ".5", "1.", "-", "", "1,5", " 1", "0x10", "inf",
                           "1234567890.123456"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        tema__parse_decimal(other[i], strlen(other[i]), &ok);
        assert_false(ok);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_folder_loads_and_matches_as_documented),
        cmocka_unit_test(test_extra_file_adds_and_overrides_per_language),
        cmocka_unit_test(test_each_error_names_file_and_line),
        cmocka_unit_test(test_errors_in_the_data_folder),
        cmocka_unit_test(test_missing_extra_file_is_an_error),
        cmocka_unit_test(test_parse_decimal_fast_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
