/*
 * test_mention_model.c: a taxonomy's mention-polarity model
 * (mention_model.c): the `model:` line, load errors that name the file and
 * the problem, a declared but missing file failing the taxonomy load,
 * TEMA_OPT_NO_MODEL meaning rules only, what a loaded model does to mention
 * labels and scores, and the sign of the "opinions nearer to this aspect"
 * feature.  The model files are written here by hand, so the expected
 * values follow from the format in engine/src/mention_model.c.
 */
#include <math.h>
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

#include "datadir.h"
#include "engine.h"
#include "mention_model.h"
#include "taxonomy.h"

static char root[256];  /* data folder: lexicons/ linked from TEMA_DATA, models/ our own */
static char tax[512];   /* taxonomy declaring models/mm.bin */
static char mm[512];    /* where that model goes */

#define NB 16u

/* Categories the test models name, unless a test sets 'cats'. */
static const char *cats = "food,staff";

/* A model for the categories in 'cats' whose only non-zero weight is 'w'
 * for the bias feature (dense index 0, always 1) in class 'cls', plus
 * logit offsets 'bias'. */
static void write_model(const char *path, int cls, float w, const float bias[3], uint32_t nb,
                        const char *magic, long cut)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    uint32_t nd = TEMA__MM_DENSE, nc = 3, lang = TEMA_LANG_EN, nnz = 1, bk = 5;
    float dense[TEMA__MM_DENSE * 3] = {0}, wb[3] = {0, 0, 0};
    dense[cls] = w;
    fwrite(magic, 1, 8, f);
    fwrite(&nb, 4, 1, f);
    fwrite(&nd, 4, 1, f);
    fwrite(&nc, 4, 1, f);
    fwrite(&lang, 4, 1, f);
    uint32_t ncat = 1;
    for (const char *p = cats; *p; p++)
        ncat += *p == ',';
    fwrite(&ncat, 4, 1, f);
    for (const char *p = cats; *p;) {
        const char *q = strchr(p, ',');
        unsigned char len = (unsigned char)(q ? (size_t)(q - p) : strlen(p));
        fwrite(&len, 1, 1, f);
        fwrite(p, 1, len, f);
        p += len + (q != NULL);
    }
    fwrite(bias, 4, 3, f);
    fwrite(dense, sizeof dense, 1, f);
    fwrite(&nnz, 4, 1, f);
    fwrite(&bk, 4, 1, f);
    fwrite(wb, sizeof wb, 1, f);
    fwrite("END1", 1, 4, f);
    fclose(f);
    if (cut >= 0)
        assert_int_equal(truncate(path, cut), 0);
}

static int setup(void **state)
{
    (void)state;
    if (datadir_create(root, sizeof root, "mm-test") != 0)
        return -1;
    snprintf(tax, sizeof tax, "%s/t.tema", root);
    FILE *f = fopen(tax, "w");
    assert_non_null(f);
    fputs("# test taxonomy\nmodel: models/mm.bin\n"
          "[food]\ntouchpoint: food\nphase: after\nlabel: en=Food\nen: pasta\n"
          "[staff]\ntouchpoint: staff\nphase: after\nlabel: en=Staff\nen: waiter\n",
          f);
    fclose(f);
    snprintf(mm, sizeof mm, "%s/models/mm.bin", root);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return datadir_remove(root);
}

static tema_status new_engine(unsigned options, tema_engine **e)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = options;
    cfg.data_dir = root;
    cfg.base_taxonomy = tax;
    return tema_engine_new(&cfg, e);
}

/* Label and sentiment of the mention of 'theme' in 'text'. */
static void mention_of(tema_engine *e, const char *text, const char *theme, tema_label *label,
                       float *sentiment)
{
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.lang = TEMA_LANG_EN};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    bool found = false;
    for (size_t k = 0; k < tema_doc_mention_count(d); k++) {
        tema_mention m;
        assert_int_equal(tema_doc_mention(d, k, &m), TEMA_OK);
        if (strcmp(m.theme, theme) == 0) {
            *label = m.label;
            *sentiment = m.sentiment;
            found = true;
        }
    }
    assert_true(found);
    tema_doc_free(d);
}

static void test_missing_model_fails_taxonomy_load(void **state)
{
    (void)state;
    unlink(mm);
    tema_engine *e = NULL;
    assert_int_equal(new_engine(0, &e), TEMA_ERR_NOTFOUND);
    assert_non_null(strstr(tema_errmsg(e), "models/mm.bin"));
    assert_non_null(strstr(tema_errmsg(e), "cannot open"));
    tema_engine_free(e);
}

static void test_no_model_option_keeps_rules(void **state)
{
    (void)state;
    unlink(mm);
    tema_engine *e = NULL;
    assert_int_equal(new_engine(TEMA_OPT_NO_MODEL, &e), TEMA_OK);
    assert_null(e->taxonomy->mmodel);
    assert_non_null(strstr(e->taxonomy->model, "/models/mm.bin"));
    tema_label l;
    float s;
    mention_of(e, "The pasta was awful.", "food", &l, &s);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE); /* the rules: "awful" */
    assert_true(s < 0);
    tema_engine_free(e);
}

static void test_model_sets_label_and_score(void **state)
{
    (void)state;
    const float zero[3] = {0, 0, 0};
    write_model(mm, TEMA__SM_POS, 3.0f, zero, NB, "TEMAMNT1", -1);
    tema_engine *e = NULL;
    assert_int_equal(new_engine(0, &e), TEMA_OK);
    assert_non_null(e->taxonomy->mmodel);
    tema_label l;
    float s;
    /* logits (0, 0, 3): p(pos) - p(neg) = (e^3 - 1) / (e^3 + 2) */
    mention_of(e, "The pasta was awful.", "food", &l, &s);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    assert_float_equal(s, (exp(3.0) - 1) / (exp(3.0) + 2), 1e-5);
    tema_engine_free(e);
    /* offsets: neutral +5 outweighs the positive 3 */
    const float off[3] = {0, 5, 0};
    write_model(mm, TEMA__SM_POS, 3.0f, off, NB, "TEMAMNT1", -1);
    assert_int_equal(new_engine(0, &e), TEMA_OK);
    mention_of(e, "The waiter was lovely.", "staff", &l, &s);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    /* logits (0, 5, 3): (e^3 - 1) / (1 + e^5 + e^3) */
    assert_float_equal(s, (exp(3.0) - 1) / (1 + exp(5.0) + exp(3.0)), 1e-5);
    tema_engine_free(e);
}

/* Only mentions of the model's categories change: a taxonomy loaded on top
 * of another leaves the other's themes to the rules. */
static void test_only_known_categories(void **state)
{
    (void)state;
    const float zero[3] = {0, 0, 0};
    cats = "food";
    write_model(mm, TEMA__SM_POS, 3.0f, zero, NB, "TEMAMNT1", -1);
    cats = "food,staff";
    tema_engine *e = NULL;
    assert_int_equal(new_engine(0, &e), TEMA_OK);
    tema_label l;
    float s;
    mention_of(e, "The pasta was awful.", "food", &l, &s);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    mention_of(e, "The waiter was awful.", "staff", &l, &s);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE); /* the rules: "awful" */
    tema_engine_free(e);
}

static void expect_parse_error(const char *what)
{
    tema_engine *e = NULL;
    assert_int_equal(new_engine(0, &e), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_errmsg(e), "models/mm.bin"));
    assert_non_null(strstr(tema_errmsg(e), what));
    tema_engine_free(e);
}

static void test_bad_files(void **state)
{
    (void)state;
    const float zero[3] = {0, 0, 0};
    write_model(mm, 0, 1, zero, NB, "TEMASNT1", -1);
    expect_parse_error("not a tema mention model");
    write_model(mm, 0, 1, zero, 3, "TEMAMNT1", -1); /* not a power of two */
    expect_parse_error("bad header");
    write_model(mm, 0, 1, zero, NB, "TEMAMNT1", 40);
    expect_parse_error("truncated");
    /* header, 2 categories ("food", "staff"), offsets, dense, one bucket; no END1 */
    write_model(mm, 0, 1, zero, NB, "TEMAMNT1", 24 + 4 + 5 + 6 + 12 + TEMA__MM_DENSE * 12 + 4 + 16);
    expect_parse_error("truncated"); /* no END1 */
    write_model(mm, 0, 1, zero, 2, "TEMAMNT1", -1); /* bucket 5 >= 2, and 1 weight <= 2 */
    expect_parse_error("bucket out of range");
    const float inf[3] = {INFINITY, 0, 0};
    write_model(mm, 0, 1, inf, NB, "TEMAMNT1", -1);
    expect_parse_error("not finite");
}

/* Feature capture: the value of dense feature 'want'. */
typedef struct cap {
    uint32_t want;  /* dense index */
    float v;        /* its value */
    int seen;       /* times emitted */
} cap;

static void capture(void *ctx, uint32_t index, float value)
{
    cap *c = ctx;
    if (index == c->want) {
        c->v = value;
        c->seen++;
    }
}

static void test_opinions_go_to_the_nearer_aspect(void **state)
{
    (void)state;
    tema_engine *e = NULL;
    assert_int_equal(new_engine(TEMA_OPT_NO_MODEL, &e), TEMA_OK);
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    const char *text = "The pasta was great but the waiter was rude.";
    tema_analyze_opts o = {.lang = TEMA_LANG_EN};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    assert_int_equal(d->nmentions, 2);
    for (size_t k = 0; k < 2; k++) {
        bool pasta = d->toks.v[d->mentions[k].tok].start == 4;
        /* dense 4: opinion units nearer to this mention than to the other
         * aspect: "great" for the pasta (positive), "rude" for the waiter */
        cap c = {4, 0, 0};
        tema__mentmodel_features(d, k, NB, capture, &c);
        assert_int_equal(c.seen, 1);
        assert_true(pasta ? c.v > 0 : c.v < 0);
        /* dense 10: log(1 + other aspects) = log 2 */
        cap n = {10, 0, 0};
        tema__mentmodel_features(d, k, NB, capture, &n);
        assert_float_equal(n.v, log(2.0), 1e-6);
        /* dense 0: the bias, always 1 */
        cap b = {0, 0, 0};
        tema__mentmodel_features(d, k, NB, capture, &b);
        assert_float_equal(b.v, 1.0, 0);
    }
    tema_doc_free(d);
    tema_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_model_fails_taxonomy_load),
        cmocka_unit_test(test_no_model_option_keeps_rules),
        cmocka_unit_test(test_model_sets_label_and_score),
        cmocka_unit_test(test_only_known_categories),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_opinions_go_to_the_nearer_aspect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
