/*
 * test_model.c: the sentiment model loader (a good file, a truncated file,
 * a wrong magic, a missing file meaning rules only) and what a loaded model
 * does to scores: it changes them only when loaded, only for the languages
 * it has, and TEMA_OPT_NO_MODEL keeps the rule scores.  The model files are
 * written here by hand, so the expected scores follow from the format in
 * engine/src/model.c, not from running the code.
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
#include "handmodel.h"
#include "engine.h"
#include "model.h"

static char root[256];  /* a data folder: lexicons/ linked from TEMA_DATA, models/ our own */
static char good[512];  /* a hand-made model file */
static long good_len;   /* its size */

/* A model with Swedish only: bias weights (0, 0, 5) so every Swedish
 * comment gets p(pos) = e^5 / (2 + e^5), blend 1, thresholds 0.1, and
 * overrides a rule label it disagrees with from p >= 'conf' (0.5 unless a
 * test says otherwise).  Bucket 3 holds (0.5, 0, 0). */
static void write_model_with(const char *path, uint32_t flags, float conf)
{
    handmodel m = {TEMA__SM_POS, flags, conf, 3, {0.5f, 0, 0}, 0};
    good_len = handmodel_write(path, &m);
    assert_true(good_len > 0);
}

static void write_model(const char *path)
{
    write_model_with(path, 0, 0.5f);
}

static int setup(void **state)
{
    (void)state;
    if (datadir_create(root, sizeof root, "model-test") != 0)
        return -1;
    snprintf(good, sizeof good, "%s/good.bin", root);
    write_model(good);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return datadir_remove(root);
}

static tema_engine *new_engine(unsigned options)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = options | TEMA_OPT_NO_THEMES;
    cfg.data_dir = root;
    tema_engine *e = NULL;
    tema_status st = tema_engine_new(&cfg, &e);
    if (st != TEMA_OK)
        fprintf(stderr, "engine: %s\n", tema_errmsg(e));
    assert_int_equal(st, TEMA_OK);
    return e;
}

static double score(tema_engine *e, tema_lang lang, const char *text, tema_label *label)
{
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = lang};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
    double s = tema_doc_sentiment(d);
    if (label)
        *label = tema_doc_label(d);
    tema_doc_free(d);
    return s;
}

static void copy_prefix(const char *to, long n, const char *magic)
{
    FILE *in = fopen(good, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    for (long i = 0; i < n; i++) {
        int c = fgetc(in);
        if (magic && i < 8)
            c = magic[i];
        fputc(c, out);
    }
    fclose(in);
    fclose(out);
}

static void test_good_file_loads(void **state)
{
    (void)state;
    tema_engine *e = new_engine(TEMA_OPT_NO_MODEL);
    assert_null(e->sentmodel);
    assert_int_equal(tema__sentmodel_load_file(e, good), TEMA_OK);
    assert_non_null(e->sentmodel);
    tema_engine_free(e);
}

static void test_truncated_file_is_a_parse_error(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/short.bin", root);
    /* every cut, from inside the header to just before the end mark */
    for (long n = 0; n < good_len; n += n < 40 ? 1 : 37) {
        copy_prefix(p, n, NULL);
        tema_engine *e = new_engine(TEMA_OPT_NO_MODEL);
        assert_int_equal(tema__sentmodel_load_file(e, p), TEMA_ERR_PARSE);
        assert_null(e->sentmodel);
        assert_non_null(strstr(tema_errmsg(e), "short.bin"));
        tema_engine_free(e);
    }
}

static void test_wrong_magic_is_a_parse_error(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/magic.bin", root);
    copy_prefix(p, good_len, "TEMALID2");
    tema_engine *e = new_engine(TEMA_OPT_NO_MODEL);
    assert_int_equal(tema__sentmodel_load_file(e, p), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_errmsg(e), "not a tema sentiment model"));
    tema_engine_free(e);
}

static void test_bad_model_in_data_folder_fails_the_engine(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    copy_prefix(p, good_len - 2, NULL);
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_NO_THEMES;
    cfg.data_dir = root;
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_errmsg(e), "sentiment.bin"));
    tema_engine_free(e);
    /* --no-model never opens it */
    e = new_engine(TEMA_OPT_NO_MODEL);
    assert_null(e->sentmodel);
    tema_engine_free(e);
    unlink(p);
}

static void test_missing_file_means_rules_only(void **state)
{
    (void)state;
    tema_engine *e = new_engine(0);  /* root/models/ has no sentiment.bin */
    assert_null(e->sentmodel);
    tema_label l;
    /* "Bra" is +2 in lexicons/sv: 2 / sqrt(4 + 15) (docs/sentiment.md) */
    assert_true(fabs(score(e, TEMA_LANG_SV, "Bra", &l) - 2 / sqrt(19)) < 1e-6);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
    e = new_engine(TEMA_OPT_NO_MODEL);
    assert_int_equal(tema__sentmodel_load_file(e, "/nonexistent/sentiment.bin"), TEMA_ERR_IO);
    assert_null(e->sentmodel);
    tema_engine_free(e);
}

static void test_model_changes_scores_only_when_loaded(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    write_model(p);
    tema_engine *with = new_engine(0), *without = new_engine(TEMA_OPT_NO_MODEL);
    assert_non_null(with->sentmodel);
    assert_null(without->sentmodel);
    const char *neutral = "Jag beställde en jacka i måndags";
    tema_label l;
    /* rules: no sentiment word, 0 and neutral */
    assert_true(score(without, TEMA_LANG_SV, neutral, &l) == 0);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    /* model: logits (0, 0, 5) from the bias alone (bucket 3 gets weight
     * 0.5 for negative, but no word of this comment need land there, so
     * allow for it: at most 0.5 x 1/sqrt(6) per token) */
    double s = score(with, TEMA_LANG_SV, neutral, &l);
    double pp = exp(5.0) / (2 + exp(5.0)), pn = 1 / (2 + exp(5.0));
    assert_true(s > 0.9 && s <= pp - pn + 1e-6);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    /* the language without a model keeps its rule score */
    assert_true(score(with, TEMA_LANG_EN, "I ordered a jacket", &l) == 0);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    assert_true(fabs(score(with, TEMA_LANG_EN, "Good", NULL) -
                     score(without, TEMA_LANG_EN, "Good", NULL)) < 1e-12);
    /* an empty comment (no word tokens): exactly the bias */
    assert_true(fabs(score(with, TEMA_LANG_SV, "", NULL) - (pp - pn)) < 1e-6);
    tema_engine_free(with);
    tema_engine_free(without);
    unlink(p);
}

static void test_model_adds_an_explanation_item(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    write_model(p);
    tema_engine *e = new_engine(0);
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = TEMA_LANG_SV};
    const char *t = "Bra";
    assert_int_equal(tema_doc_analyze(d, t, 3, &o), TEMA_OK);
    bool found = false;
    for (size_t i = 0; i < tema_doc_explain_count(d); i++) {
        tema_explain_item x;
        assert_int_equal(tema_doc_explain(d, i, &x), TEMA_OK);
        if (!strcmp(x.rule, "model")) {
            found = true;
            assert_int_equal(x.start, 0);
            assert_int_equal(x.end, 3);
            assert_true(x.weight > 0.9);
        }
    }
    assert_true(found);
    /* the clause keeps its rule score */
    assert_int_equal(d->nclauses, 1);
    assert_true(fabs(d->clauses[0].score - 2 / sqrt(19)) < 1e-6);
    tema_doc_free(d);
    tema_engine_free(e);
    unlink(p);
}

/* TEMA__SMF_SCORE with a floor no probability reaches (conf 2): labels
 * stay the rules', and the score becomes the model's only on comments of
 * more than TEMA__SM_SCORE_WORDS words whose rule label the model shares. */
static void test_score_mode_scores_long_agreeing_comments_only(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    write_model_with(p, TEMA__SMF_SCORE, 2.0f);
    tema_engine *with = new_engine(0), *without = new_engine(TEMA_OPT_NO_MODEL);
    double pp = exp(5.0) / (2 + exp(5.0)), pn = 1 / (2 + exp(5.0));
    tema_label l;
    /* short (1 word), positive by the rules: the rule score stays */
    const char *shortc = "Bra";
    double r = score(without, TEMA_LANG_SV, shortc, NULL);
    assert_true(r > 0.05);
    assert_true(fabs(score(with, TEMA_LANG_SV, shortc, &l) - r) < 1e-12);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    /* 10 words, positive by the rules, the model agrees: its score (the
     * bias (0, 0, 5) plus at most 0.5 x 1/sqrt(10) per token from bucket 3) */
    const char *longc = "Jag beställde en jacka i måndags och den var bra";
    assert_true(score(without, TEMA_LANG_SV, longc, NULL) > 0.05);
    double s = score(with, TEMA_LANG_SV, longc, &l);
    assert_true(s > 0.9 && s <= pp - pn + 1e-6);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    /* 9 words, neutral by the rules: the model disagrees, so nothing changes */
    const char *neutral = "Jag beställde en jacka i måndags och en mössa";
    assert_true(score(with, TEMA_LANG_SV, neutral, &l) == 0);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    tema_engine_free(with);
    tema_engine_free(without);
    unlink(p);
}

/* TEMA__SMF_LONGONLY with ALWAYS: the model (every comment positive,
 * p(pos) - p(neg) about 0.98 against threshold 0.1) labels comments of more
 * than TEMA__SM_SCORE_WORDS words, and shorter ones keep the rules' score
 * and label; with ALWAYS alone the short one turns positive too. */
static void test_longonly_leaves_short_comments_to_the_rules(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    const char *shortc = "Jag beställde en jacka";                         /* 4 words */
    const char *longc = "Jag beställde en jacka i måndags och en mössa";  /* 9 words */
    tema_label l;
    write_model_with(p, TEMA__SMF_ALWAYS | TEMA__SMF_LONGONLY, 0);
    tema_engine *e = new_engine(0);
    assert_true(score(e, TEMA_LANG_SV, shortc, &l) == 0);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    assert_true(score(e, TEMA_LANG_SV, longc, &l) > 0.9);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
    write_model_with(p, TEMA__SMF_ALWAYS, 0);
    e = new_engine(0);
    assert_true(score(e, TEMA_LANG_SV, shortc, &l) > 0.9);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    tema_engine_free(e);
    unlink(p);
}

/* The test model calls every Swedish comment positive and overrides the
 * rules wherever it disagrees; it may not relabel a comment the rules are
 * confident about (|rule score| >= 0.75). */
static void test_confident_rules_keep_their_label(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    write_model(p);
    tema_engine *with = new_engine(0), *without = new_engine(TEMA_OPT_NO_MODEL);
    const char *strong = "Urusel service och helt värdelös support";
    const char *mild = "Lite trög service";
    tema_label l;
    /* preconditions from the rules alone */
    double rs = score(without, TEMA_LANG_SV, strong, &l);
    assert_true(rs <= -0.75);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE);
    double rm = score(without, TEMA_LANG_SV, mild, &l);
    assert_true(rm < -0.05 && rm > -0.75);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE);
    /* the confident verdict stands, score and label */
    assert_true(score(with, TEMA_LANG_SV, strong, &l) == rs);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE);
    /* the mild one is the model's */
    assert_true(score(with, TEMA_LANG_SV, mild, &l) > 0.9);
    assert_int_equal(l, TEMA_LABEL_POSITIVE);
    tema_engine_free(with);
    tema_engine_free(without);
    unlink(p);
}

/* The quiet floor (issue 6, version 2 files): where the rules found no
 * opinion, the model (p about 0.974 for its class, from the bias) changes
 * the label only with p at least the floor; where they found one, only the
 * confidence floor (0.5) applies. */
static void test_quiet_floor_guards_comments_without_opinion(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/models/sentiment.bin", root);
    const char *plain = "Jag beställde en jacka i måndags";  /* no opinion: 0, neutral */
    const char *praise = "Leveransen var bra";              /* 2 / sqrt(19), positive */
    double pp = exp(5.0) / (2 + exp(5.0)), pn = 1 / (2 + exp(5.0));
    tema_label l;
    /* a floor above 0.974: the plain statement keeps the rules' 0 */
    handmodel m = {TEMA__SM_NEG, 0, 0.5f, -1, {0, 0, 0}, 0.99f};
    assert_true(handmodel_write(p, &m) > 0);
    tema_engine *e = new_engine(0);
    assert_true(score(e, TEMA_LANG_SV, plain, &l) == 0);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    /* ... and praise the rules found is still the model's to overrule
     * (rule score 0.46 is below the confident 0.75): exactly the bias */
    assert_true(fabs(score(e, TEMA_LANG_SV, praise, &l) - (pn - pp)) < 1e-6);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE);
    tema_engine_free(e);
    /* a floor below 0.974: the model labels the plain statement */
    m.quiet = 0.9f;
    assert_true(handmodel_write(p, &m) > 0);
    e = new_engine(0);
    assert_true(fabs(score(e, TEMA_LANG_SV, plain, &l) - (pn - pp)) < 1e-6);
    assert_int_equal(l, TEMA_LABEL_NEGATIVE);
    tema_engine_free(e);
    /* with ALWAYS too the floor keeps the rules' score and label */
    m.flags = TEMA__SMF_ALWAYS;
    m.quiet = 1.5f;
    assert_true(handmodel_write(p, &m) > 0);
    e = new_engine(0);
    assert_true(score(e, TEMA_LANG_SV, plain, &l) == 0);
    assert_int_equal(l, TEMA_LABEL_NEUTRAL);
    tema_engine_free(e);
    /* a floor outside [0, 2] is a malformed file */
    m.quiet = 3;
    assert_true(handmodel_write(p, &m) > 0);
    e = new_engine(TEMA_OPT_NO_MODEL);
    assert_int_equal(tema__sentmodel_load_file(e, p), TEMA_ERR_PARSE);
    assert_non_null(strstr(tema_errmsg(e), "bad language header"));
    tema_engine_free(e);
    unlink(p);
}

static void count_hashed(void *ctx, uint32_t index, float value)
{
    (void)value;
    if (index >= TEMA__SM_DENSE)
        ++*(int *)ctx;
}

/* The extra hashed features: LAST hashes every token of the last clause
 * once more; AFFIX adds a prefix and a suffix for each stem of at least 7
 * bytes (leveransen -> leverans; var and bra are shorter). */
static void test_last_clause_and_affix_features(void **state)
{
    (void)state;
    tema_engine *e = new_engine(TEMA_OPT_NO_MODEL);
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = TEMA_LANG_SV};
    const char *t = "Leveransen var bra";
    assert_int_equal(tema_doc_analyze(d, t, strlen(t), &o), TEMA_OK);
    int base = 0, last = 0, affix = 0;
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS, count_hashed, &base);
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS | TEMA__SMF_LAST, count_hashed, &last);
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS | TEMA__SMF_AFFIX, count_hashed,
                             &affix);
    assert_int_equal(base, 3);
    assert_int_equal(last, 6);
    assert_int_equal(affix, 5);
    tema_doc_free(d);
    tema_engine_free(e);
}

/* CHARGRAM adds the byte 3-, 4- and 5-grams of each word with boundary
 * marks: a word of n bytes is n + 2 marked bytes, so n + (n - 1) + (n - 2)
 * n-grams: leveransen 10 + 9 + 8, var and bra 3 + 2 + 1 each. */
static void test_chargram_features(void **state)
{
    (void)state;
    tema_engine *e = new_engine(TEMA_OPT_NO_MODEL);
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = TEMA_LANG_NO};
    const char *t = "Leveransen var bra";
    assert_int_equal(tema_doc_analyze(d, t, strlen(t), &o), TEMA_OK);
    int base = 0, grams = 0;
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS, count_hashed, &base);
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS | TEMA__SMF_CHARGRAM, count_hashed,
                             &grams);
    assert_int_equal(base, 3);
    assert_int_equal(grams, 3 + 27 + 6 + 6);
    /* a two-letter word: "<ok" and "ok>", and "<ok>" */
    t = "ok";
    assert_int_equal(tema_doc_analyze(d, t, strlen(t), &o), TEMA_OK);
    base = grams = 0;
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS, count_hashed, &base);
    tema__sentmodel_features(d, 1u << 16, TEMA__SMF_LEXWORDS | TEMA__SMF_CHARGRAM, count_hashed,
                             &grams);
    assert_int_equal(base, 1);
    assert_int_equal(grams, 1 + 3);
    tema_doc_free(d);
    tema_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file_loads),
        cmocka_unit_test(test_truncated_file_is_a_parse_error),
        cmocka_unit_test(test_wrong_magic_is_a_parse_error),
        cmocka_unit_test(test_bad_model_in_data_folder_fails_the_engine),
        cmocka_unit_test(test_missing_file_means_rules_only),
        cmocka_unit_test(test_model_changes_scores_only_when_loaded),
        cmocka_unit_test(test_model_adds_an_explanation_item),
        cmocka_unit_test(test_score_mode_scores_long_agreeing_comments_only),
        cmocka_unit_test(test_last_clause_and_affix_features),
        cmocka_unit_test(test_chargram_features),
        cmocka_unit_test(test_longonly_leaves_short_comments_to_the_rules),
        cmocka_unit_test(test_confident_rules_keep_their_label),
        cmocka_unit_test(test_quiet_floor_guards_comments_without_opinion),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
