/*
 * test_sentmodel_choice.c: which comment sentiment model an engine uses.
 * A taxonomy's `sentiment-model:` line (before the first block) replaces
 * models/sentiment.bin while that taxonomy is loaded; without a taxonomy
 * (TEMA_OPT_NO_THEMES) or with a taxonomy that declares none the default
 * stays; TEMA_OPT_NO_MODEL uses neither; a missing or malformed declared
 * file fails the engine with its name; a bad line is a file:line error.
 * The two model files are written here by hand with opposite biases, so a
 * comment's label says which one scored it (format: engine/src/model.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "handmodel.h"
#include "engine.h"
#include "model.h"

static char root[256];  /* data folder: lexicons/ linked from TEMA_DATA, models/ our own */
static char tax[512];   /* a taxonomy declaring models/cx.bin */
static char plain[512]; /* the same taxonomy without the line */
static char base[512];  /* models/sentiment.bin: the default model */
static char cx[512];    /* models/cx.bin: the declared one */

/* A Swedish-only model whose only weight is the bias 5 of class 'cls':
 * every Swedish comment without a confident rule gets p(cls) = e^5 / (2 +
 * e^5) > 0.97 and, with flags 0, floor 0.5, blend 1 and thresholds 0.1,
 * that class's label. */
static void write_model(const char *path, int cls)
{
    handmodel m = {cls, 0, 0.5f, -1, {0, 0, 0}, 0};
    assert_true(handmodel_write(path, &m) > 0);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define THEME "[delivery]\ntouchpoint: delivery\nphase: after\nlabel: en=Delivery\nsv: paket\n"

static int setup(void **state)
{
    (void)state;
    if (datadir_create(root, sizeof root, "smc-test") != 0)
        return -1;
    snprintf(tax, sizeof tax, "%s/t.tema", root);
    snprintf(plain, sizeof plain, "%s/plain.tema", root);
    snprintf(base, sizeof base, "%s/models/sentiment.bin", root);
    snprintf(cx, sizeof cx, "%s/models/cx.bin", root);
    write_text(tax, "# test taxonomy\nsentiment-model: models/cx.bin\n" THEME);
    write_text(plain, "# test taxonomy\n" THEME);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return datadir_remove(root);
}

/* Before each test: both models in place, the default positive, the
 * declared one negative. */
static int fresh(void **state)
{
    (void)state;
    write_model(base, TEMA__SM_POS);
    write_model(cx, TEMA__SM_NEG);
    return 0;
}

static tema_status new_engine(const char *taxonomy, unsigned options, tema_engine **e)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = options;
    cfg.data_dir = root;
    cfg.base_taxonomy = taxonomy;
    return tema_engine_new(&cfg, e);
}

/* The label of a Swedish comment with no sentiment word (the rules: 0,
 * neutral), and that the engine analysed it. */
static tema_label label_of(tema_engine *e)
{
    static const char text[] = "Paketet kom i tisdags";
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.lang = TEMA_LANG_SV};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    tema_label l = tema_doc_label(d);
    tema_doc_free(d);
    return l;
}

static void test_declared_model_with_the_taxonomy(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    assert_int_equal(new_engine(tax, 0, &e), TEMA_OK);
    assert_non_null(e->sentmodel);
    assert_int_equal(label_of(e), TEMA_LABEL_NEGATIVE);
    tema_engine_free(e);
}

static void test_default_model_without_a_taxonomy(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    assert_int_equal(new_engine(tax, TEMA_OPT_NO_THEMES, &e), TEMA_OK);
    assert_int_equal(label_of(e), TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
}

static void test_default_model_when_none_is_declared(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    assert_int_equal(new_engine(plain, 0, &e), TEMA_OK);
    assert_int_equal(label_of(e), TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
}

/* A taxonomy loaded on top may declare one too: the last line wins. */
static void test_later_file_replaces_the_declaration(void **state)
{
    (void)state;
    char top[600], other[600];
    snprintf(top, sizeof top, "%s/top.tema", root);
    snprintf(other, sizeof other, "%s/models/other.bin", root);
    write_text(top, "sentiment-model: models/other.bin\n");
    write_model(other, TEMA__SM_POS);
    const char *const tops[] = {top};
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = root;
    cfg.base_taxonomy = tax;
    cfg.taxonomies = tops;
    cfg.n_taxonomies = 1;
    /* the default is broken: a declared model means it is not even read */
    write_text(base, "not a model");
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_OK);
    assert_int_equal(label_of(e), TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
    unlink(top);
    unlink(other);
}

static void test_no_model_uses_neither(void **state)
{
    (void)state;
    unlink(cx); /* not needed either */
    tema_engine *e = NULL;
    assert_int_equal(new_engine(tax, TEMA_OPT_NO_MODEL, &e), TEMA_OK);
    assert_null(e->sentmodel);
    assert_int_equal(label_of(e), TEMA_LABEL_NEUTRAL);
    tema_engine_free(e);
}

static void test_missing_declared_file_is_an_error(void **state)
{
    (void)state;
    unlink(cx);
    tema_engine *e = NULL;
    assert_int_equal(new_engine(tax, 0, &e), TEMA_ERR_NOTFOUND);
    assert_non_null(strstr(tema_errmsg(e), "models/cx.bin"));
    assert_non_null(strstr(tema_errmsg(e), "sentiment-model"));
    tema_engine_free(e);
    /* no silent fall-back, but without a taxonomy it is not looked for */
    e = NULL;
    assert_int_equal(new_engine(tax, TEMA_OPT_NO_THEMES, &e), TEMA_OK);
    assert_int_equal(label_of(e), TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
}

static void test_malformed_declared_file_is_an_error(void **state)
{
    (void)state;
    write_text(cx, "TEMAMNT1 is a mention model's magic");
    tema_engine *e = NULL;
    assert_int_equal(new_engine(tax, 0, &e), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_errmsg(e), "models/cx.bin: not a tema sentiment model"));
    tema_engine_free(e);
}

/* Runs an engine on 'text' as the base taxonomy; returns its status and
 * copies the message. */
static tema_status load_text(const char *text, char *msg, size_t cap)
{
    char p[600];
    snprintf(p, sizeof p, "%s/bad.tema", root);
    write_text(p, text);
    tema_engine *e = NULL;
    tema_status st = new_engine(p, 0, &e);
    snprintf(msg, cap, "%s", tema_errmsg(e));
    tema_engine_free(e);
    unlink(p);
    return st;
}

static void test_bad_lines_are_file_line_errors(void **state)
{
    (void)state;
    char msg[1024];
    assert_int_equal(load_text("# x\nsentiment-model:\n" THEME, msg, sizeof msg), TEMA_ERR_PARSE);
    assert_non_null(strstr(msg, "bad.tema:2: sentiment-model: expected a file name"));
    /* only before the first block: inside one it is no theme key */
    assert_int_equal(load_text(THEME "sentiment-model: models/cx.bin\n", msg, sizeof msg),
                     TEMA_ERR_PARSE);
    assert_non_null(strstr(msg, "bad.tema:6: unknown key 'sentiment-model'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_declared_model_with_the_taxonomy, fresh),
        cmocka_unit_test_setup(test_default_model_without_a_taxonomy, fresh),
        cmocka_unit_test_setup(test_default_model_when_none_is_declared, fresh),
        cmocka_unit_test_setup(test_later_file_replaces_the_declaration, fresh),
        cmocka_unit_test_setup(test_no_model_uses_neither, fresh),
        cmocka_unit_test_setup(test_missing_declared_file_is_an_error, fresh),
        cmocka_unit_test_setup(test_malformed_declared_file_is_an_error, fresh),
        cmocka_unit_test_setup(test_bad_lines_are_file_line_errors, fresh),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
