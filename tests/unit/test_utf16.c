/*
 * test_utf16.c: the UTF-16 decoder of the input layer (input.c).  Every
 * expected byte was worked out by hand from the Unicode standard (UTF-16
 * surrogates D800-DBFF high, DC00-DFFF low; U+10000 + (hi - D800) * 400h +
 * (lo - DC00)) and the UTF-8 bit patterns; nothing was produced by running
 * the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tema.h"
#include "input.h"

/* Decodes 'n' bytes fed as two pieces split at 'split', with 'cap' bytes of
 * room per call (the decoder is called again while a piece has bytes
 * left), then finishes.  Returns the UTF-8 length in 'out'. */
static size_t decode(int be, const unsigned char *src, size_t n, size_t split, size_t cap,
                     char *out, size_t outcap, uint64_t *repairs)
{
    tema__utf16 d;
    memset(&d, 0, sizeof d);
    d.be = be;
    size_t o = 0;
    const size_t bounds[3] = {0, split, n};
    for (int piece = 0; piece < 2; piece++) {
        size_t i = bounds[piece], end = bounds[piece + 1];
        int guard = 0;
        while (i < end) {
            size_t used;
            assert_true(outcap - o >= cap);
            o += tema__utf16_decode(&d, src + i, end - i, &used, out + o, cap);
            i += used;
            assert_true(++guard < 1000);  /* progress on every call */
        }
    }
    size_t k;
    while (outcap - o >= cap && (k = tema__utf16_finish(&d, out + o, cap)) > 0)
        o += k;
    *repairs = d.repairs;
    return o;
}

#define EXPECT(be, in, want, nrep)                                                         \
    do {                                                                                   \
        char out_[256];                                                                    \
        uint64_t rep_;                                                                     \
        size_t n_ = decode(be, (const unsigned char *)(in), sizeof(in) - 1, 0, 64, out_,     \
                           sizeof out_, &rep_);                                            \
        assert_int_equal(n_, sizeof(want) - 1);                                            \
        assert_memory_equal(out_, want, n_);                                               \
        assert_int_equal(rep_, nrep);                                                      \
    } while (0)

static void test_ascii(void **s)
{
    (void)s;
    EXPECT(0, "H\0e\0j\0\t\0!\0\r\0\n\0", "Hej\t!\r\n", 0);
    EXPECT(1, "\0H\0e\0j\0\t\0!\0\r\0\n", "Hej\t!\r\n", 0);
}

static void test_nordic_letters_le_and_be(void **s)
{
    (void)s;
    /* å U+00E5, ä U+00E4, ö U+00F6, æ U+00E6, ø U+00F8, Å U+00C5: 110xxxxx 10xxxxxx */
    EXPECT(0, "\xe5\0\xe4\0\xf6\0\xe6\0\xf8\0\xc5\0",
           "\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xa6\xc3\xb8\xc3\x85", 0);
    EXPECT(1, "\0\xe5\0\xe4\0\xf6\0\xe6\0\xf8\0\xc5",
           "\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xa6\xc3\xb8\xc3\x85", 0);
    /* € U+20AC: three bytes E2 82 AC; U+FFFD in the text is kept and not a repair */
    EXPECT(0, "\xac\x20\xfd\xff", "\xe2\x82\xac\xef\xbf\xbd", 0);
    EXPECT(1, "\x20\xac\xff\xfd", "\xe2\x82\xac\xef\xbf\xbd", 0);
}

static void test_surrogate_pair(void **s)
{
    (void)s;
    /* U+1F600 (grinning face) = D83D DE00 = F0 9F 98 80 */
    EXPECT(0, "a\0\x3d\xd8\x00\xde" "b\0", "a\xf0\x9f\x98\x80" "b", 0);
    EXPECT(1, "\0a\xd8\x3d\xde\x00\0b", "a\xf0\x9f\x98\x80" "b", 0);
    /* the extremes: U+10000 = D800 DC00 = F0 90 80 80; U+10FFFF = DBFF DFFF = F4 8F BF BF */
    EXPECT(0, "\x00\xd8\x00\xdc\xff\xdb\xff\xdf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 0);
}

static void test_unpaired_surrogates_become_fffd(void **s)
{
    (void)s;
    /* a high surrogate before a letter: the letter survives */
    EXPECT(0, "\x3d\xd8z\0", "\xef\xbf\xbdz", 1);
    /* a low surrogate alone */
    EXPECT(0, "x\0\x00\xde" "y\0", "x\xef\xbf\xbdy", 1);
    /* two highs in a row, then a pair: the first high alone is replaced */
    EXPECT(1, "\xd8\x3d\xd8\x3d\xde\x00", "\xef\xbf\xbd\xf0\x9f\x98\x80", 1);
    /* a high surrogate at the very end */
    EXPECT(0, "a\0\x3d\xd8", "a\xef\xbf\xbd", 1);
    /* reversed pair: low then high, both unpaired */
    EXPECT(0, "\x00\xde\x3d\xd8", "\xef\xbf\xbd\xef\xbf\xbd", 2);
}

static void test_odd_final_byte_becomes_fffd(void **s)
{
    (void)s;
    EXPECT(0, "a\0b", "a\xef\xbf\xbd", 1);
    EXPECT(1, "\0ab", "a\xef\xbf\xbd", 1);
    /* after a pending high surrogate: one U+FFFD for each */
    EXPECT(0, "\x3d\xd8q", "\xef\xbf\xbd\xef\xbf\xbd", 2);
}

/* 'a' å 😀 € lone-low high+'z' : split after every byte, and decoded with
 * the smallest room the reader ever gives (4 bytes). */
static void test_split_at_every_byte_position(void **s)
{
    (void)s;
    static const unsigned char le[] = {'a', 0, 0xe5, 0, 0x3d, 0xd8, 0x00, 0xde, 0xac, 0x20,
                                       0x00, 0xdc, 0x3d, 0xd8, 'z', 0};
    static const char want[] = "a\xc3\xa5\xf0\x9f\x98\x80\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbdz";
    unsigned char be[sizeof le];
    for (size_t i = 0; i < sizeof le; i += 2) {
        be[i] = le[i + 1];
        be[i + 1] = le[i];
    }
    static const size_t caps[] = {4, 5, 64};
    for (size_t c = 0; c < 3; c++)
        for (size_t split = 0; split <= sizeof le; split++)
            for (int order = 0; order < 2; order++) {
                char out[256];
                uint64_t rep;
                size_t n = decode(order, order ? be : le, sizeof le, split, caps[c], out,
                                  sizeof out, &rep);
                if (n != sizeof want - 1 || memcmp(out, want, n) != 0 || rep != 2)
                    fail_msg("%s, split at %zu, room %zu: %zu bytes, %llu repairs",
                             order ? "BE" : "LE", split, caps[c], n, (unsigned long long)rep);
            }
}

/* An odd final byte split off into its own feed still comes out once. */
static void test_split_odd_tail(void **s)
{
    (void)s;
    static const unsigned char in[] = {0xf8, 0, 'k'};
    for (size_t split = 0; split <= sizeof in; split++) {
        char out[64];
        uint64_t rep;
        size_t n = decode(0, in, sizeof in, split, 4, out, sizeof out, &rep);
        assert_int_equal(n, 5);
        assert_memory_equal(out, "\xc3\xb8\xef\xbf\xbd", 5);
        assert_int_equal(rep, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_nordic_letters_le_and_be),
        cmocka_unit_test(test_surrogate_pair),
        cmocka_unit_test(test_unpaired_surrogates_become_fffd),
        cmocka_unit_test(test_odd_final_byte_becomes_fffd),
        cmocka_unit_test(test_split_at_every_byte_position),
        cmocka_unit_test(test_split_odd_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
