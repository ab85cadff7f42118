/*
 * test_normalize.c: NFKC + case folding.  The fast path must give the same
 * bytes as the utf8proc path, for every code point up to U+024F alone and in
 * context, and for random text; both must agree with utf8proc_map().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "tema.h"
#include "utf8.h"

static size_t norm(const char *in, size_t len, char *out, size_t cap, unsigned flags)
{
    size_t n = 0;
    assert_int_equal(tema_normalize(in, len, out, cap, &n, flags), TEMA_OK);
    return n;
}

static void check(const char *in, const char *want)
{
    char out[256];
    size_t n = norm(in, strlen(in), out, sizeof out, 0);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);
}

static void test_examples(void **s)
{
    (void)s;
    check("FÖRSENAD", "försenad");
    check("ÆØÅ æøå ÄÖÜ É", "æøå æøå äöü é");  /* letters keep their accents */
    check("Straße", "strasse");
    check("ﬁne", "fine");
    check("ＡＢＣ１２", "abc12");               /* fullwidth */
    check("a\xcc\x8a", "å");                     /* a + combining ring composes */
    check("½", "1⁄2");
    check("\xc2\xa0", " ");                       /* NBSP -> space */
}

static void compare_paths(const char *in, size_t len)
{
    char fast[1024], full[1024];
    size_t a = norm(in, len, fast, sizeof fast, TEMA_NORM_DEFAULT);
    size_t b = norm(in, len, full, sizeof full, TEMA_NORM_FULL);
    assert_int_equal(a, b);
    assert_memory_equal(fast, full, a);
    utf8proc_uint8_t *ref = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, &ref,
                                      UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                          UTF8PROC_CASEFOLD);
    assert_true(r >= 0);
    assert_int_equal((size_t)r, a);
    assert_memory_equal(ref, fast, a);
    free(ref);
}

static void test_fast_path_matches_full_path_per_code_point(void **s)
{
    (void)s;
    for (int32_t cp = 1; cp <= 0x24F; cp++) {
        char in[16];
        size_t n = tema__utf8_encode(cp, in);
        compare_paths(in, n);
        /* in context: between letters, and before a combining mark */
        char ctx[32];
        size_t k = 0;
        ctx[k++] = 'x';
        k += tema__utf8_encode(cp, ctx + k);
        ctx[k++] = 'Y';
        compare_paths(ctx, k);
        k = tema__utf8_encode(cp, ctx);
        k += tema__utf8_encode(0x0301, ctx + k);
        compare_paths(ctx, k);
    }
}

static void test_fast_path_matches_full_path_on_random_text(void **s)
{
    (void)s;
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int round = 0; round < 20000; round++) {
        char in[256];
        size_t k = 0;
        int n = 1 + round % 40;
        for (int i = 0; i < n; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            int32_t cp;
            switch (x % 6) {
            case 0: case 1: cp = (int32_t)(0x20 + (x >> 8) % 0x5F); break;   /* ASCII */
            case 2: case 3: cp = (int32_t)(0xA0 + (x >> 8) % 0x1B0); break;  /* Latin */
            case 4: cp = (int32_t)(0x300 + (x >> 8) % 0x70); break;          /* marks */
            default: cp = (int32_t)(0x370 + (x >> 8) % 0x2000); break;       /* beyond */
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 'a';
            k += tema__utf8_encode(cp, in + k);
        }
        compare_paths(in, k);
    }
}

static void test_invalid_bytes_become_replacement(void **s)
{
    (void)s;
    char out[64];
    size_t n = norm("A\xff" "B", 3, out, sizeof out, 0);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "a\xef\xbf\xbd" "b", 5);
}

static void test_small_buffer_reports_needed_length(void **s)
{
    (void)s;
    char out[2];
    size_t n = 0;
    assert_int_equal(tema_normalize("Straße", strlen("Straße"), out, sizeof out, &n, 0),
                     TEMA_ERR_LIMIT);
    assert_int_equal(n, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_fast_path_matches_full_path_per_code_point),
        cmocka_unit_test(test_fast_path_matches_full_path_on_random_text),
        cmocka_unit_test(test_invalid_bytes_become_replacement),
        cmocka_unit_test(test_small_buffer_reports_needed_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
