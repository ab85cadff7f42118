/*
 * test_wordcache.c: a doc's word records are emptied between comments,
 * never inside one.  A token holds the index of its word's record; were the
 * cache reset in mid-comment, the new words after the reset would take the
 * first indices again and overwrite the records of words seen long before
 * ("bra", cached first) that the comment's earlier tokens point to.  So a
 * comment analysed by a doc whose cache is nearly full must score exactly
 * as it does in a fresh doc: that is what makes `tema analyze --threads N`
 * give the results of one thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* Free words no lexicon knows, all different: three syllables of a
 * consonant and a vowel ("bakedu"), after a prefix, so no letter repeats
 * three times (an elongation would add a second record per word). */
static size_t filler(char *out, size_t i)
{
    static const char cons[] = "bdfghjklmnprstvz", vow[] = "aeiou";
    size_t n = 0;
    out[n++] = 'x';
    /* three syllables, more for i >= 80^3 */
    for (int k = 0; k < 3 || i; k++) {
        size_t syl = i % 80;
        i /= 80;
        out[n++] = cons[syl / 5];
        out[n++] = vow[syl % 5];
    }
    return n;
}

/* Appends fillers [from, from + count) to 'buf', separated by spaces. */
static size_t fillers(char *buf, size_t at, size_t from, size_t count)
{
    for (size_t i = from; i < from + count; i++) {
        buf[at++] = ' ';
        at += filler(buf + at, i);
    }
    buf[at] = '\0';
    return at;
}

static tema_engine *engine(void)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_NO_THEMES | TEMA_OPT_NO_MODEL;
    const char *root = getenv("TEMA_DATA");
    cfg.data_dir = root && *root ? root : ".";
    tema_engine *e = NULL;
    assert_int_equal(tema_engine_new(&cfg, &e), TEMA_OK);
    return e;
}

static void analyze_sv(tema_doc *d, const char *text)
{
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT, .lang = TEMA_LANG_SV};
    assert_int_equal(tema_doc_analyze(d, text, strlen(text), &o), TEMA_OK);
}

static void test_comment_at_the_cache_limit_scores_as_in_a_fresh_doc(void **s)
{
    (void)s;
    tema_engine *e = engine();
    static char buf[500 * 8 + 64];
    const size_t limit = TEMA__WORD_CACHE_MAX;
    /* "Bra, 30 new words" in a fresh doc: positive, from "bra" alone */
    const size_t target_from = 400000;
    size_t n = (size_t)snprintf(buf, sizeof buf, "Bra");
    fillers(buf, n, target_from, 30);
    tema_doc *fresh = NULL;
    assert_int_equal(tema_doc_new(e, &fresh), TEMA_OK);
    analyze_sv(fresh, buf);
    double want = tema_doc_sentiment(fresh);
    assert_true(want > 0);

    /* The same comment after "bra" was cached first and fillers took the
     * Swedish cache to 12 short of its limit, each filler comment small
     * enough that no version of the cache empties it on the way. */
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    analyze_sv(d, "bra");
    assert_int_equal(d->wc->words[TEMA_LANG_SV].count, 1);
    size_t next = 0;
    for (;;) {
        size_t count = d->wc->words[TEMA_LANG_SV].count;
        if (count >= limit - 12)
            break;
        size_t k = limit - 12 - count;
        if (k > 500)
            k = 500;
        if (k > (limit - count - 9) / 3)
            k = (limit - count - 9) / 3;
        assert_true(k >= 1);
        fillers(buf, 0, next, k);
        next += k;
        analyze_sv(d, buf + 1);
        assert_int_equal(d->wc->words[TEMA_LANG_SV].count, count + k);
    }
    assert_int_equal(d->wc->words[TEMA_LANG_SV].count, limit - 12);
    n = (size_t)snprintf(buf, sizeof buf, "Bra");
    fillers(buf, n, target_from, 30);
    analyze_sv(d, buf);
    assert_true(tema_doc_sentiment(d) == want);
    assert_int_equal(tema_doc_label(d), TEMA_LABEL_POSITIVE);
    /* and the cache stayed bounded */
    assert_true(d->wc->words[TEMA_LANG_SV].count <= limit);
    tema_doc_free(d);
    tema_doc_free(fresh);
    tema_engine_free(e);
}

/* A comment of more new words than TEMA__WORD_CACHE_HARD: the cache may
 * not be emptied inside it (it was, and "bra", cached first, became a
 * filler), so it scores as its first word says and its first token keeps
 * its stem; the words past the limit are not cached. */
static void test_comment_past_the_hard_limit_keeps_its_first_words(void **s)
{
    (void)s;
    tema_engine *e = engine();
    const size_t count = TEMA__WORD_CACHE_HARD + 5000;
    char *buf = malloc(count * 12 + 16);
    assert_non_null(buf);
    size_t n = (size_t)snprintf(buf, 16, "Bra");
    fillers(buf, n, 0, count);
    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    analyze_sv(d, buf);
    assert_int_equal(tema_doc_token_count(d), count + 1);
    tema_token t;
    assert_int_equal(tema_doc_token(d, 0, &t), TEMA_OK);
    assert_int_equal(t.stem_len, 3);
    assert_memory_equal(t.stem, "bra", 3);
    assert_true(tema_doc_sentiment(d) > 0);
    assert_int_equal(tema_doc_label(d), TEMA_LABEL_POSITIVE);
    /* the last filler has a record of its own, the cache stopped at the limit */
    assert_int_equal(tema_doc_token(d, count, &t), TEMA_OK);
    char last[32];
    size_t ln = filler(last, count - 1);
    assert_int_equal(t.norm_len, ln);
    assert_memory_equal(t.norm, last, ln);
    /* its stem is its own: a prefix of the form, not another word's */
    assert_true(t.stem_len > 0 && t.stem_len <= ln);
    assert_memory_equal(t.stem, last, t.stem_len);
    assert_true(d->wc->words[TEMA_LANG_SV].count <= TEMA__WORD_CACHE_HARD);
    /* the next comment starts from an emptied cache and is scored alone */
    analyze_sv(d, "Bra");
    assert_int_equal(d->wc->words[TEMA_LANG_SV].count, 1);
    assert_int_equal(tema_doc_label(d), TEMA_LABEL_POSITIVE);
    tema_doc_free(d);
    free(buf);
    tema_engine_free(e);
}

/* With the language detected, each word token is linked to its form's
 * language evidence, which remembers the form's word record (doc.c,
 * stem_tokens()).  When that cache empties in mid-comment, its entries
 * take the first indices again, so the links made before it (to the
 * Swedish words, cached first) name other words: they must not be
 * followed, or a filler would get the record of "jag".  The comment, in
 * Swedish twice around 14 new words, must give every token the stem, and
 * the comment the score, it gets in a fresh doc. */
static void test_language_cache_emptied_in_mid_comment_keeps_the_stems(void **s)
{
    (void)s;
    tema_engine *e = engine();
    static char buf[500 * 8 + 256];
    static const char sv[] = "jag tycker att leveransen var bra och snabb";
    const size_t limit = TEMA__WORD_CACHE_MAX;
    tema_analyze_opts o = {.stage = TEMA_STAGE_SENTIMENT};
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s", sv);
    n = fillers(buf, n, 400000, 14);
    snprintf(buf + n, sizeof buf - n, " %s", sv);
    tema_doc *fresh = NULL;
    assert_int_equal(tema_doc_new(e, &fresh), TEMA_OK);
    assert_int_equal(tema_doc_analyze(fresh, buf, strlen(buf), &o), TEMA_OK);
    assert_int_equal(tema_doc_lang(fresh), TEMA_LANG_SV);

    tema_doc *d = NULL;
    assert_int_equal(tema_doc_new(e, &d), TEMA_OK);
    assert_int_equal(tema_doc_analyze(d, sv, strlen(sv), &o), TEMA_OK);
    assert_int_equal(d->wc->lid_words.count, 8);
    size_t next = 0;
    while (d->wc->lid_words.count < limit - 12) {
        size_t count = d->wc->lid_words.count, k = limit - 12 - count;
        if (k > 500)
            k = 500;
        fillers(buf, 0, next, k);
        next += k;
        assert_int_equal(tema_doc_analyze(d, buf + 1, strlen(buf + 1), &o), TEMA_OK);
        assert_int_equal(d->wc->lid_words.count, count + k);
    }
    uint64_t gen = d->wc->lid_gen;
    n = (size_t)snprintf(buf, sizeof buf, "%s", sv);
    n = fillers(buf, n, 400000, 14);
    snprintf(buf + n, sizeof buf - n, " %s", sv);
    assert_int_equal(tema_doc_analyze(d, buf, strlen(buf), &o), TEMA_OK);
    assert_true(d->wc->lid_gen == gen + 1); /* emptied once, inside the comment */
    assert_int_equal(tema_doc_lang(d), TEMA_LANG_SV);
    assert_int_equal(tema_doc_token_count(d), 30);
    for (size_t i = 0; i < 30; i++) {
        tema_token a, b;
        assert_int_equal(tema_doc_token(d, i, &a), TEMA_OK);
        assert_int_equal(tema_doc_token(fresh, i, &b), TEMA_OK);
        assert_int_equal(a.stem_len, b.stem_len);
        assert_memory_equal(a.stem, b.stem, a.stem_len);
    }
    assert_true(tema_doc_sentiment(d) == tema_doc_sentiment(fresh));
    assert_int_equal(tema_doc_label(d), tema_doc_label(fresh));
    tema_doc_free(d);
    tema_doc_free(fresh);
    tema_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comment_at_the_cache_limit_scores_as_in_a_fresh_doc),
        cmocka_unit_test(test_comment_past_the_hard_limit_keeps_its_first_words),
        cmocka_unit_test(test_language_cache_emptied_in_mid_comment_keeps_the_stems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
