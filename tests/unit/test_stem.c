/*
 * test_stem.c: the Snowball adapter, with and without the loaders' memory
 * of stems: a remembered stem is the one Snowball gives, also after the
 * table has grown and when the word is a previous answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "stem.h"

static void check(tema__stemmer *st, const char *word, const char *want)
{
    const char *s = NULL;
    size_t n = 0;
    assert_int_equal(tema__stem(st, word, strlen(word), &s, &n), TEMA_OK);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(s, want, n);
}

static void test_remembered_stems_are_snowball_stems(void **state)
{
    (void)state;
    tema__stemmer *st;
    assert_int_equal(tema__stemmer_new_memo(TEMA_LANG_EN, &st), TEMA_OK);
    /* Snowball English: step 1a drops "s", step 4 "ion" after t. */
    check(st, "connections", "connect");
    check(st, "running", "run");
    check(st, "connections", "connect");  /* from memory */
    check(st, "running", "run");
    tema__stemmer_free(st);

    assert_int_equal(tema__stemmer_new_memo(TEMA_LANG_SV, &st), TEMA_OK);
    check(st, "leveranser", "leverans");  /* "er" is a Swedish suffix */
    check(st, "leveranser", "leverans");
    tema__stemmer_free(st);
}

static void test_previous_answer_as_word(void **state)
{
    (void)state;
    tema__stemmer *st;
    assert_int_equal(tema__stemmer_new_memo(TEMA_LANG_EN, &st), TEMA_OK);
    const char *s;
    size_t n;
    assert_int_equal(tema__stem(st, "connections", 11, &s, &n), TEMA_OK);
    /* "connect" again, read from the memory while it is being added to. */
    assert_int_equal(tema__stem(st, s, n, &s, &n), TEMA_OK);
    assert_int_equal(n, 7);
    assert_memory_equal(s, "connect", 7);
    tema__stemmer_free(st);
}

static void test_memory_matches_plain_after_growth(void **state)
{
    (void)state;
    tema__stemmer *mem, *plain;
    assert_int_equal(tema__stemmer_new_memo(TEMA_LANG_EN, &mem), TEMA_OK);
    assert_int_equal(tema__stemmer_new(TEMA_LANG_EN, &plain), TEMA_OK);
    static const char *const tails[] = {"ing", "s", "ed", "ations", "ness", ""};
    char w[32];
    /* 3 x 2,400 words: the table grows from 1,024 slots several times. */
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 2400; i++) {
            snprintf(w, sizeof w, "w%c%cord%s", 'a' + i % 26, 'a' + i / 26 % 26, tails[i / 676 % 6]);
            const char *a, *b;
            size_t an, bn;
            assert_int_equal(tema__stem(mem, w, strlen(w), &a, &an), TEMA_OK);
            char keep[64];
            memcpy(keep, a, an);
            assert_int_equal(tema__stem(plain, w, strlen(w), &b, &bn), TEMA_OK);
            assert_int_equal(an, bn);
            assert_memory_equal(keep, b, an);
        }
    tema__stemmer_free(mem);
    tema__stemmer_free(plain);
    tema__stemmer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remembered_stems_are_snowball_stems),
        cmocka_unit_test(test_previous_answer_as_word),
        cmocka_unit_test(test_memory_matches_plain_after_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
