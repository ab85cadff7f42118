/*
 * test_common.c: the string map and buffers everything else stands on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "common.h"

static void test_map_finds_what_was_put_and_nothing_else(void **s)
{
    (void)s;
    tema__strmap m;
    tema__strmap_init(&m);
    char key[32];
    for (uint32_t i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "ord%u", i);
        assert_int_equal(tema__strmap_put(&m, key, (size_t)n, i * 3, NULL), TEMA_OK);
    }
    assert_int_equal(m.count, 5000);
    for (uint32_t i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "ord%u", i);
        tema__strmap_entry *e = tema__strmap_get(&m, key, (size_t)n);
        assert_non_null(e);
        assert_int_equal(e->value, i * 3);
        assert_memory_equal(tema__strmap_key(&m, e), key, (size_t)n);
    }
    assert_null(tema__strmap_get(&m, "ord5000", 7));
    assert_null(tema__strmap_get(&m, "ord1", 3)); /* prefix of a key */
    tema__strmap_free(&m);
}

static void test_put_replaces_value_of_existing_key(void **s)
{
    (void)s;
    tema__strmap m;
    tema__strmap_init(&m);
    size_t i1, i2;
    assert_int_equal(tema__strmap_put(&m, "bra", 3, 1, &i1), TEMA_OK);
    assert_int_equal(tema__strmap_put(&m, "bra", 3, 7, &i2), TEMA_OK);
    assert_int_equal(i1, i2);
    assert_int_equal(m.count, 1);
    assert_int_equal(tema__strmap_get(&m, "bra", 3)->value, 7);
    tema__strmap_free(&m);
}

static void test_clear_forgets_keys_but_stays_usable(void **s)
{
    (void)s;
    tema__strmap m;
    tema__strmap_init(&m);
    assert_int_equal(tema__strmap_put(&m, "a", 1, 1, NULL), TEMA_OK);
    tema__strmap_clear(&m);
    assert_null(tema__strmap_get(&m, "a", 1));
    assert_int_equal(tema__strmap_put(&m, "b", 1, 2, NULL), TEMA_OK);
    assert_int_equal(tema__strmap_get(&m, "b", 1)->value, 2);
    tema__strmap_free(&m);
}

/* Regression (fuzz_reader): a map holding only the empty key still has
 * key storage, so tema__strmap_key() never offsets a NULL pointer. */
static void test_only_empty_keys_have_storage(void **s)
{
    (void)s;
    tema__strmap m;
    tema__strmap_init(&m);
    assert_int_equal(tema__strmap_put(&m, "", 0, 5, NULL), TEMA_OK);
    tema__strmap_entry *e = tema__strmap_get(&m, "", 0);
    assert_non_null(e);
    assert_non_null(m.keys.p);
    assert_ptr_equal(tema__strmap_key(&m, e), m.keys.p);
    tema__strmap_free(&m);
}

static void test_empty_key_and_binary_keys(void **s)
{
    (void)s;
    tema__strmap m;
    tema__strmap_init(&m);
    assert_null(tema__strmap_get(&m, "", 0));
    assert_int_equal(tema__strmap_put(&m, "", 0, 9, NULL), TEMA_OK);
    assert_int_equal(tema__strmap_put(&m, "a\0b", 3, 4, NULL), TEMA_OK);
    assert_int_equal(tema__strmap_get(&m, "", 0)->value, 9);
    assert_int_equal(tema__strmap_get(&m, "a\0b", 3)->value, 4);
    assert_null(tema__strmap_get(&m, "a\0c", 3));
    tema__strmap_free(&m);
}

static void test_hash_depends_on_every_byte_and_length(void **s)
{
    (void)s;
    assert_true(tema__hash("abcdefghij", 10) != tema__hash("abcdefghik", 10));
    assert_true(tema__hash("a", 1) != tema__hash("a\0", 2));
    assert_int_equal(tema__hash("leverans", 8), tema__hash("leverans", 8));
}

/* The word lookup hashes with tema__hash_padded() and the map stores
 * tema__hash() values: they must agree for every length, whatever garbage
 * follows the key, or every cached word would be missed. */
static void test_padded_hash_equals_hash_whatever_follows(void **s)
{
    (void)s;
    unsigned char a[64 + TEMA__HASH_SLACK], b[64 + TEMA__HASH_SLACK];
    for (size_t i = 0; i < sizeof a; i++) {
        a[i] = (unsigned char)(i * 37 + 11);
        b[i] = a[i];
    }
    for (size_t len = 0; len <= 64; len++) {
        /* different bytes after the key in the two copies */
        for (size_t k = len; k < sizeof b; k++)
            b[k] = (unsigned char)~a[k];
        assert_true(tema__hash_padded(a, len) == tema__hash(a, len));
        assert_true(tema__hash_padded(b, len) == tema__hash(a, len));
        for (size_t k = len; k < sizeof b; k++)
            b[k] = a[k];
    }
}

/* The per-token caches probe with tema__strmap_find_padded(): the same
 * entries as tema__strmap_get(), keys compared whole-word with the bytes
 * after them ignored. */
static void test_padded_find_agrees_with_get(void **s)
{
    (void)s;
    tema__strmap m;
    tema__strmap_init(&m);
    /* keys of 1 to 20 bytes: short, exactly 8 and 16, and longer */
    static const char *const keys[] = {"a", "ab", "leverans", "leveranser", "kundtjänsten",
                                       "abcdefghijklmnop", "abcdefghijklmnopqrst"};
    size_t nkeys = sizeof keys / sizeof keys[0];
    for (uint32_t i = 0; i < nkeys; i++) {
        assert_int_equal(tema__strmap_put(&m, keys[i], strlen(keys[i]), i, NULL), TEMA_OK);
        assert_int_equal(tema__buf_reserve(&m.keys, TEMA__HASH_SLACK), TEMA_OK);
    }
    char probe[64];
    for (uint32_t i = 0; i < nkeys; i++) {
        size_t n = strlen(keys[i]);
        /* the probe key is followed by other bytes, as in the norm buffer */
        memset(probe, 'x', sizeof probe);
        memcpy(probe, keys[i], n);
        const tema__strmap_entry *e =
            tema__strmap_find_padded(&m, probe, n, tema__hash_padded(probe, n));
        assert_non_null(e);
        assert_int_equal(e->value, i);
        assert_ptr_equal(e, tema__strmap_get(&m, keys[i], n));
    }
    /* a prefix of a key, and a key with one byte changed in its last word */
    memset(probe, 0, sizeof probe);
    memcpy(probe, "leveranse", 9);
    assert_null(tema__strmap_find_padded(&m, probe, 9, tema__hash_padded(probe, 9)));
    memcpy(probe, "abcdefghijklmnopqrsu", 20);
    assert_null(tema__strmap_find_padded(&m, probe, 20, tema__hash_padded(probe, 20)));
    /* the compare itself */
    static const char x[24] = "abcdefghi", y[24] = "abcdefghj", z[24] = "abcdefghiQRS";
    assert_false(tema__same_padded(x, y, 9));
    assert_true(tema__same_padded(x, z, 9)); /* bytes after the keys do not count */
    tema__strmap_free(&m);
    tema__strmap empty;
    tema__strmap_init(&empty);
    static const char a[8] = "a";
    assert_null(tema__strmap_find_padded(&empty, a, 1, tema__hash_padded(a, 1)));
}

static void test_buffer_grows_and_keeps_content(void **s)
{
    (void)s;
    tema__buf b = {0};
    for (int i = 0; i < 10000; i++)
        assert_int_equal(tema__buf_putc(&b, (char)('a' + i % 26)), TEMA_OK);
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.p[27], 'b');
    assert_int_equal(tema__buf_append(&b, "xyz", 3), TEMA_OK);
    assert_memory_equal(b.p + 10000, "xyz", 3);
    tema__buf_free(&b);
    assert_null(b.p);
}

/* tema__grow: capacity doubles from 16 until it holds 'need', the contents
 * stay, and a size that cannot be allocated leaves the array as it was. */
static void test_grow_doubles_and_keeps_contents(void **st)
{
    (void)st;
    int *v = NULL;
    size_t cap = 0;
    assert_int_equal(tema__grow((void **)&v, &cap, 1, sizeof *v), TEMA_OK);
    assert_int_equal(cap, 16);
    for (int i = 0; i < 16; i++)
        v[i] = i;
    assert_int_equal(tema__grow((void **)&v, &cap, 16, sizeof *v), TEMA_OK);
    assert_int_equal(cap, 16); /* enough already */
    assert_int_equal(tema__grow((void **)&v, &cap, 40, sizeof *v), TEMA_OK);
    assert_int_equal(cap, 64); /* 16 -> 32 -> 64 */
    for (int i = 0; i < 16; i++)
        assert_int_equal(v[i], i);
    int *before = v;
    assert_int_equal(tema__grow((void **)&v, &cap, SIZE_MAX / 2, sizeof *v), TEMA_ERR_NOMEM);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 64);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_doubles_and_keeps_contents),
        cmocka_unit_test(test_map_finds_what_was_put_and_nothing_else),
        cmocka_unit_test(test_put_replaces_value_of_existing_key),
        cmocka_unit_test(test_clear_forgets_keys_but_stays_usable),
        cmocka_unit_test(test_empty_key_and_binary_keys),
        cmocka_unit_test(test_only_empty_keys_have_storage),
        cmocka_unit_test(test_hash_depends_on_every_byte_and_length),
        cmocka_unit_test(test_padded_hash_equals_hash_whatever_follows),
        cmocka_unit_test(test_padded_find_agrees_with_get),
        cmocka_unit_test(test_buffer_grows_and_keeps_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
