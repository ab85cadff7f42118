/*
 * test_batch.c: tema_doc_new_sibling(), tema_doc_analyze_batch() and
 * tema_doc_analyze_batch_each().  A batch must leave every document exactly
 * as tema_doc_analyze() on that comment alone would: the same language,
 * score, label, explanation, tokens and theme mentions, whatever the other
 * comments of the batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tema.h"

static tema_engine *engine; /* the whole pipeline: model and themes */

static int setup(void **state)
{
    (void)state;
    tema_config cfg;
    tema_config_init(&cfg);
    return tema_engine_new(&cfg, &engine) == TEMA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tema_engine_free(engine);
    return 0;
}

/* Comments of every kind the stages treat differently: four languages, an
 * empty line, emoji only, contrast, a complaint phrase, a regex rule, a
 * compound, a repeated comment and one that is not Nordic or English. */
static const char *const comments[] = {
    "Bra produkt men leveransen tog två veckor",
    "",
    "Pakken kom aldrig frem og kundeservice svarede ikke 😡",
    "Kjempefornøyd med appen, men fakturagebyret er frekt!!",
    "The refund took three weeks and nobody ever called back",
    "👍👍",
    "Väntade 45 minuter i telefonkö. Inte okej.",
    "Bra produkt men leveransen tog två veckor",
    "Servicio muy lento, no me devolvieron el dinero",
    "Kundeservicemedarbejderen var super hjælpsom",
    "Jag blev debiterad två gånger för samma order",
    "ok",
};
#define NCOMMENTS (sizeof comments / sizeof comments[0])

/* Everything a caller can read of a document, as one string. */
static char *describe(const tema_doc *d)
{
    size_t cap = 1 << 14, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    len += (size_t)snprintf(out + len, cap - len, "%s %.6f %s|", tema_lang_code(tema_doc_lang(d)),
                            tema_doc_sentiment(d), tema_label_name(tema_doc_label(d)));
    for (size_t i = 0; i < tema_doc_token_count(d) && len < cap; i++) {
        tema_token t;
        assert_int_equal(tema_doc_token(d, i, &t), TEMA_OK);
        len += (size_t)snprintf(out + len, cap - len, "%zu-%zu:%.*s/%.*s ", t.start, t.end,
                                (int)t.norm_len, t.norm, (int)t.stem_len, t.stem);
    }
    for (size_t i = 0; i < tema_doc_explain_count(d) && len < cap; i++) {
        tema_explain_item x;
        assert_int_equal(tema_doc_explain(d, i, &x), TEMA_OK);
        len += (size_t)snprintf(out + len, cap - len, "[%zu-%zu %s %.6f]", x.start, x.end, x.rule,
                                x.weight);
    }
    for (size_t i = 0; i < tema_doc_mention_count(d) && len < cap; i++) {
        tema_mention m;
        assert_int_equal(tema_doc_mention(d, i, &m), TEMA_OK);
        len += (size_t)snprintf(out + len, cap - len, "{%s %s %.6f %s %zu-%zu %u}", m.theme,
                                m.touchpoint, m.sentiment, tema_label_name(m.label), m.start,
                                m.end, m.implicit);
    }
    assert_true(len < cap);
    return out;
}

/* Each comment alone, on a fresh document: what the batch must match. */
static char **expected_alone(void)
{
    char **want = calloc(NCOMMENTS, sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < NCOMMENTS; i++) {
        tema_doc *d;
        assert_int_equal(tema_doc_new(engine, &d), TEMA_OK);
        assert_int_equal(tema_doc_analyze(d, comments[i], strlen(comments[i]), NULL), TEMA_OK);
        want[i] = describe(d);
        tema_doc_free(d);
    }
    return want;
}

static void free_all(char **v)
{
    for (size_t i = 0; i < NCOMMENTS; i++)
        free(v[i]);
    free(v);
}

static void test_batch_equals_one_at_a_time(void **s)
{
    (void)s;
    char **want = expected_alone();
    tema_doc *docs[NCOMMENTS];
    assert_int_equal(tema_doc_new(engine, &docs[0]), TEMA_OK);
    for (size_t i = 1; i < NCOMMENTS; i++)
        assert_int_equal(tema_doc_new_sibling(docs[0], &docs[i]), TEMA_OK);
    const char *texts[NCOMMENTS];
    size_t lens[NCOMMENTS];
    for (size_t i = 0; i < NCOMMENTS; i++) {
        texts[i] = comments[i];
        lens[i] = strlen(comments[i]);
    }
    /* twice: the second batch finds every word already cached */
    for (int round = 0; round < 2; round++) {
        assert_int_equal(tema_doc_analyze_batch(docs, texts, lens, NCOMMENTS, NULL), TEMA_OK);
        for (size_t i = 0; i < NCOMMENTS; i++) {
            char *got = describe(docs[i]);
            assert_string_equal(got, want[i]);
            free(got);
        }
    }
    /* a smaller batch of the same documents, in another order of comments */
    const char *rev[3] = {comments[6], comments[4], comments[0]};
    size_t rlen[3] = {strlen(rev[0]), strlen(rev[1]), strlen(rev[2])};
    assert_int_equal(tema_doc_analyze_batch(docs, rev, rlen, 3, NULL), TEMA_OK);
    char *got = describe(docs[0]);
    assert_string_equal(got, want[6]);
    free(got);
    got = describe(docs[2]);
    assert_string_equal(got, want[0]);
    free(got);
    /* a sibling analysed alone uses the shared cache, with the same result */
    assert_int_equal(tema_doc_analyze(docs[5], comments[3], strlen(comments[3]), NULL), TEMA_OK);
    got = describe(docs[5]);
    assert_string_equal(got, want[3]);
    free(got);
    for (size_t i = NCOMMENTS; i-- > 0;)
        tema_doc_free(docs[i]);
    free_all(want);
}

static void test_batch_honours_the_options(void **s)
{
    (void)s;
    tema_doc *a, *b;
    assert_int_equal(tema_doc_new(engine, &a), TEMA_OK);
    assert_int_equal(tema_doc_new_sibling(a, &b), TEMA_OK);
    tema_doc *docs[2] = {a, b};
    const char *texts[2] = {"Leveransen var försenad", "Bra pris"};
    size_t lens[2] = {strlen(texts[0]), strlen(texts[1])};
    /* tokens only: no language, no score, no themes, for both */
    tema_analyze_opts o = {.stage = TEMA_STAGE_TOKENS};
    assert_int_equal(tema_doc_analyze_batch(docs, texts, lens, 2, &o), TEMA_OK);
    assert_int_equal(tema_doc_token_count(a), 3);
    assert_int_equal(tema_doc_token_count(b), 2);
    assert_int_equal(tema_doc_lang(b), TEMA_LANG_UND);
    assert_int_equal(tema_doc_mention_count(a), 0);
    /* a forced language reaches every document of the batch */
    tema_analyze_opts en = {.lang = TEMA_LANG_EN};
    assert_int_equal(tema_doc_analyze_batch(docs, texts, lens, 2, &en), TEMA_OK);
    assert_int_equal(tema_doc_lang(a), TEMA_LANG_EN);
    assert_int_equal(tema_doc_lang(b), TEMA_LANG_EN);
    /* and the whole pipeline: a late delivery, and praise of the price */
    assert_int_equal(tema_doc_analyze_batch(docs, texts, lens, 2, NULL), TEMA_OK);
    assert_int_equal(tema_doc_lang(a), TEMA_LANG_SV);
    assert_int_equal(tema_doc_label(a), TEMA_LABEL_NEGATIVE);
    assert_int_equal(tema_doc_label(b), TEMA_LABEL_POSITIVE);
    tema_mention m;
    assert_int_equal(tema_doc_mention(a, 0, &m), TEMA_OK);
    assert_string_equal(m.touchpoint, "delivery");
    assert_int_equal(tema_doc_mention(b, 0, &m), TEMA_OK);
    assert_string_equal(m.touchpoint, "price");
    /* an empty batch does nothing */
    assert_int_equal(tema_doc_analyze_batch(docs, texts, lens, 0, NULL), TEMA_OK);
    tema_doc_free(b);
    tema_doc_free(a);
}

/* tema_doc_analyze_batch_each(): each document takes its own options, as
 * `tema analyze` rows do from their language and touchpoint columns. */
static void test_batch_each_takes_its_own_options(void **s)
{
    (void)s;
    tema_doc *docs[3];
    assert_int_equal(tema_doc_new(engine, &docs[0]), TEMA_OK);
    assert_int_equal(tema_doc_new_sibling(docs[0], &docs[1]), TEMA_OK);
    assert_int_equal(tema_doc_new_sibling(docs[0], &docs[2]), TEMA_OK);
    /* praise that names no theme, twice, and a late delivery */
    const char *texts[3] = {"Jättebra, tack!", "Jättebra, tack!", "Leveransen var försenad"};
    size_t lens[3] = {strlen(texts[0]), strlen(texts[1]), strlen(texts[2])};
    const char *delivery;
    assert_int_equal(tema_touchpoint_from_alias(engine, "Leverans", 8, &delivery), TEMA_OK);
    /* the first with the export's touchpoint: its opinion goes under the
     * touchpoint's phase (delivery comes after the purchase); the second
     * without: plain "other"; the third forced to English */
    tema_analyze_opts o[3] = {{.touchpoint = delivery}, {0}, {.lang = TEMA_LANG_EN}};
    assert_int_equal(tema_doc_analyze_batch_each(docs, texts, lens, 3, o), TEMA_OK);
    tema_mention m;
    assert_int_equal(tema_doc_mention_count(docs[0]), 1);
    assert_int_equal(tema_doc_mention(docs[0], 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "other.after");
    assert_int_equal(tema_doc_mention_count(docs[1]), 1);
    assert_int_equal(tema_doc_mention(docs[1], 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "other");
    assert_int_equal(tema_doc_lang(docs[0]), TEMA_LANG_SV);
    assert_int_equal(tema_doc_lang(docs[2]), TEMA_LANG_EN);
    /* each document as tema_doc_analyze() with its options leaves it */
    for (size_t i = 0; i < 3; i++) {
        char *got = describe(docs[i]);
        tema_doc *alone;
        assert_int_equal(tema_doc_new(engine, &alone), TEMA_OK);
        assert_int_equal(tema_doc_analyze(alone, texts[i], lens[i], &o[i]), TEMA_OK);
        char *want = describe(alone);
        assert_string_equal(got, want);
        free(want);
        free(got);
        tema_doc_free(alone);
    }
    /* NULL: the defaults for every document (the language detected) */
    assert_int_equal(tema_doc_analyze_batch_each(docs, texts, lens, 3, NULL), TEMA_OK);
    assert_int_equal(tema_doc_lang(docs[2]), TEMA_LANG_SV);
    assert_int_equal(tema_doc_mention(docs[0], 0, &m), TEMA_OK);
    assert_string_equal(m.theme, "other");
    /* one stage for the whole batch; every language checked */
    tema_analyze_opts stages[3] = {{.stage = TEMA_STAGE_ALL}, {0}, {.stage = TEMA_STAGE_TOKENS}};
    assert_int_equal(tema_doc_analyze_batch_each(docs, texts, lens, 3, stages), TEMA_ERR_MISUSE);
    tema_analyze_opts bad[3] = {{0}, {0}, {.lang = (tema_lang)99}};
    assert_int_equal(tema_doc_analyze_batch_each(docs, texts, lens, 3, bad), TEMA_ERR_MISUSE);
    /* the stage says 0 or TEMA_STAGE_ALL, the same thing */
    tema_analyze_opts same[2] = {{.stage = TEMA_STAGE_ALL}, {0}};
    assert_int_equal(tema_doc_analyze_batch_each(docs, texts, lens, 2, same), TEMA_OK);
    /* an empty batch does nothing, whatever 'opts' points at */
    assert_int_equal(tema_doc_analyze_batch_each(docs, texts, lens, 0, NULL), TEMA_OK);
    for (size_t i = 3; i-- > 0;)
        tema_doc_free(docs[i]);
}

static void test_batch_misuse(void **s)
{
    (void)s;
    tema_doc *a, *b, *stranger;
    assert_int_equal(tema_doc_new(engine, &a), TEMA_OK);
    assert_int_equal(tema_doc_new_sibling(a, &b), TEMA_OK);
    assert_int_equal(tema_doc_new(engine, &stranger), TEMA_OK);
    const char *texts[2] = {"bra", "dålig"};
    size_t lens[2] = {3, 6};
    /* a document with its own word cache cannot join another's batch */
    tema_doc *mixed[2] = {a, stranger};
    assert_int_equal(tema_doc_analyze_batch(mixed, texts, lens, 2, NULL), TEMA_ERR_MISUSE);
    tema_doc *holey[2] = {a, NULL};
    assert_int_equal(tema_doc_analyze_batch(holey, texts, lens, 2, NULL), TEMA_ERR_MISUSE);
    const char *nulltext[2] = {"bra", NULL};
    tema_doc *pair[2] = {a, b};
    assert_int_equal(tema_doc_analyze_batch(pair, nulltext, lens, 2, NULL), TEMA_ERR_MISUSE);
    assert_int_equal(tema_doc_analyze_batch(NULL, texts, lens, 2, NULL), TEMA_ERR_MISUSE);
    tema_analyze_opts bad = {.lang = (tema_lang)99};
    assert_int_equal(tema_doc_analyze_batch(pair, texts, lens, 2, &bad), TEMA_ERR_MISUSE);
    /* a NULL text of length 0 is an empty comment */
    const char *empty[2] = {"bra", NULL};
    size_t elens[2] = {3, 0};
    assert_int_equal(tema_doc_analyze_batch(pair, empty, elens, 2, NULL), TEMA_OK);
    assert_int_equal(tema_doc_token_count(b), 0);
    tema_doc *out = (tema_doc *)1;
    assert_int_equal(tema_doc_new_sibling(NULL, &out), TEMA_ERR_MISUSE);
    assert_null(out);
    assert_int_equal(tema_doc_new_sibling(a, NULL), TEMA_ERR_MISUSE);
    tema_doc_free(stranger);
    tema_doc_free(b);
    tema_doc_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_equals_one_at_a_time),
        cmocka_unit_test(test_batch_honours_the_options),
        cmocka_unit_test(test_batch_each_takes_its_own_options),
        cmocka_unit_test(test_batch_misuse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
