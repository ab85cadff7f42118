/*
 * test_tokenize.c: the tokenizer against the case table in
 * tests/spec/tokens.txt, plus properties that must hold for any input.
 *
 * Expected lines are "TYPE<TAB>NORM[<TAB>FLAGS]".  FLAGS, when given, must
 * equal the token's flags exactly (ignoring 'capitalised' unless listed);
 * "-" means none.  "alt=X" among the flags checks the elongation variant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "spec.h"
#include "tokenize.h"

static const struct { unsigned bit; const char *name; } flag_names[] = {
    {TEMA_TOKF_ALLCAPS, "allcaps"},   {TEMA_TOKF_ELONGATED, "elongated"},
    {TEMA_TOKF_SENT_END, "sent_end"}, {TEMA_TOKF_CLAUSE_END, "clause_end"},
    {TEMA_TOKF_EXCLAIM, "exclaim"},   {TEMA_TOKF_QUESTION, "question"},
    {TEMA_TOKF_REPAIRED, "repaired"}, {TEMA_TOKF_CAPITALISED, "capitalised"}};

static void describe(const tema__tokvec *tv, const tema__buf *norm, size_t i, char *out, size_t cap,
                     const char *want_flags)
{
    const tema__token *t = &tv->v[i];
    int n = snprintf(out, cap, "%s\t%.*s", tema_token_type_name((tema_token_type)t->type),
                     (int)t->norm_len, norm->p + t->norm_off);
    if (!want_flags)
        return;
    bool want_cap = strstr(want_flags, "capitalised") != NULL;
    char flags[256] = "";
    size_t f = 0;
    for (size_t k = 0; k < sizeof flag_names / sizeof flag_names[0]; k++) {
        if (!(t->flags & flag_names[k].bit))
            continue;
        if (flag_names[k].bit == TEMA_TOKF_CAPITALISED && !want_cap)
            continue;
        f += (size_t)snprintf(flags + f, sizeof flags - f, "%s%s", f ? "," : "", flag_names[k].name);
    }
    if (t->count > 1)
        f += (size_t)snprintf(flags + f, sizeof flags - f, "%scount=%u", f ? "," : "", t->count);
    if (t->alt_len)
        f += (size_t)snprintf(flags + f, sizeof flags - f, "%salt=%.*s", f ? "," : "",
                              (int)t->alt_len, norm->p + t->alt_off);
    snprintf(out + n, cap - (size_t)n, "\t%s", f ? flags : "-");
}

/* Flags in the table may be listed in any order: compare as sets. */
static bool same_flags(const char *a, const char *b)
{
    char x[512], y[512];
    snprintf(x, sizeof x, ",%s,", a);
    snprintf(y, sizeof y, ",%s,", b);
    int na = 0, nb = 0;
    for (char *p = x; *p; p++) na += *p == ',';
    for (char *p = y; *p; p++) nb += *p == ',';
    if (na != nb)
        return false;
    char *save = NULL;
    for (char *tok = strtok_r(x, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char needle[256];
        snprintf(needle, sizeof needle, ",%s,", tok);
        if (!strstr(y, needle))
            return false;
    }
    return true;
}

static void test_table(void **state)
{
    (void)state;
    FILE *f = spec_open("tokens.txt");
    assert_non_null(f);
    static spec_case c;
    int lineno = 0, cases = 0, failures = 0;
    tema__tokvec tv = {0};
    tema__buf norm = {0};
    tema__norm_scratch ns = {0};
    while (spec_next(f, &c, &lineno)) {
        cases++;
        size_t repairs;
        assert_int_equal(tema__tokenize(c.input, c.input_len, &tv, &norm, &ns, &repairs), TEMA_OK);
        bool ok = (size_t)c.n_expect == tv.n;
        for (size_t i = 0; ok && i < tv.n; i++) {
            char want[512], got[512];
            snprintf(want, sizeof want, "%s", c.expect[i]);
            char *tab1 = strchr(want, '\t');
            char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
            if (tab2)
                *tab2 = '\0';
            describe(&tv, &norm, i, got, sizeof got, tab2 ? tab2 + 1 : NULL);
            char *gtab = strchr(got, '\t');
            gtab = gtab ? strchr(gtab + 1, '\t') : NULL;
            if (gtab)
                *gtab = '\0';
            if (strcmp(want, got) != 0 || (tab2 && !same_flags(tab2 + 1, gtab + 1)))
                ok = false;
        }
        if (!ok) {
            failures++;
            fprintf(stderr, "tokens.txt:%d: case '%s' failed; got:\n", c.line, c.name);
            for (size_t i = 0; i < tv.n; i++) {
                char got[512];
                describe(&tv, &norm, i, got, sizeof got, "x");
                fprintf(stderr, "    %s\n", got);
            }
        }
    }
    fclose(f);
    tema__tokvec_free(&tv);
    tema__buf_free(&norm);
    tema__norm_scratch_free(&ns);
    fprintf(stderr, "tokens.txt: %d cases, %d failed\n", cases, failures);
    assert_true(cases >= 150);
    assert_int_equal(failures, 0);
}

/* Offsets are monotonic, inside the input, and cover no whitespace-only
 * span, for arbitrary bytes. */
static void test_offsets_hold_on_random_bytes(void **state)
{
    (void)state;
    tema__tokvec tv = {0};
    tema__buf norm = {0};
    tema__norm_scratch ns = {0};
    unsigned long long x = 88172645463325252ull;
    char buf[512];
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 500);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            /* Mix ASCII punctuation, letters, currency and abbreviation bits,
             * UTF-8 lead bytes (euro, keycap, selector, soft hyphen, NBSP) and junk. */
            static const char alphabet[] = "aZ0 .!?:-)(<3@#/\xc3\xa5\xe2\x80\x99\xf0\x9f\x98\xa1\xff\n"
                                           "krsSEKtnse,*$\xe2\x82\xac\xe2\x83\xa3\xef\xb8\x8f\xc2\xad\xc2\xa0";
            buf[i] = (x & 3) ? alphabet[x % (sizeof alphabet - 1)] : (char)(x >> 8);
        }
        size_t repairs;
        assert_int_equal(tema__tokenize(buf, len, &tv, &norm, &ns, &repairs), TEMA_OK);
        uint32_t prev_end = 0;
        for (size_t i = 0; i < tv.n; i++) {
            assert_true(tv.v[i].start >= prev_end);
            assert_true(tv.v[i].end > tv.v[i].start);
            assert_true(tv.v[i].end <= len);
            assert_true(tv.v[i].norm_off + tv.v[i].norm_len <= norm.len);
            prev_end = tv.v[i].end;
        }
    }
    tema__tokvec_free(&tv);
    tema__buf_free(&norm);
    tema__norm_scratch_free(&ns);
}

static void test_invalid_utf8_is_counted_not_dropped(void **state)
{
    (void)state;
    tema__tokvec tv = {0};
    tema__buf norm = {0};
    tema__norm_scratch ns = {0};
    size_t repairs = 0;
    const char text[] = "f\xf6rsenad leverans";  /* Latin-1 ö */
    assert_int_equal(tema__tokenize(text, sizeof text - 1, &tv, &norm, &ns, &repairs), TEMA_OK);
    assert_int_equal(repairs, 1);
    assert_int_equal(tv.n, 2);
    assert_true(tv.v[0].flags & TEMA_TOKF_REPAIRED);
    assert_int_equal(tv.v[0].end, 8);
    assert_memory_equal(norm.p + tv.v[0].norm_off, "f\xef\xbf\xbdrsenad", 10);
    tema__tokvec_free(&tv);
    tema__buf_free(&norm);
    tema__norm_scratch_free(&ns);
}

/* Tokenises 'text' into the shared fixture; tests below read 'fx'. */
static struct {
    tema__tokvec tv;        /* tokens of the last tok() */
    tema__buf norm;         /* their normalised forms */
    tema__norm_scratch ns;  /* normaliser scratch */
    size_t repairs;         /* invalid UTF-8 sequences in the last text */
} fx;

static size_t tok(const char *text)
{
    assert_int_equal(tema__tokenize(text, strlen(text), &fx.tv, &fx.norm, &fx.ns, &fx.repairs),
                     TEMA_OK);
    return fx.tv.n;
}

static void assert_norm(size_t i, const char *want)
{
    assert_true(i < fx.tv.n);
    assert_int_equal(fx.tv.v[i].norm_len, strlen(want));
    assert_memory_equal(fx.norm.p + fx.tv.v[i].norm_off, want, strlen(want));
}

static int fx_teardown(void **state)
{
    (void)state;
    tema__tokvec_free(&fx.tv);
    tema__buf_free(&fx.norm);
    tema__norm_scratch_free(&fx.ns);
    return 0;
}

/* Every skin tone and the emoji selector drop out of the normal form, while
 * the token still spans all the bytes of the input. */
static void test_emoji_norm_ignores_skin_tone_and_selector(void **state)
{
    (void)state;
    static const char *const tones[] = {"\xF0\x9F\x8F\xBB", "\xF0\x9F\x8F\xBC",
                                        "\xF0\x9F\x8F\xBD", "\xF0\x9F\x8F\xBE",
                                        "\xF0\x9F\x8F\xBF"};
    char text[32];
    for (size_t k = 0; k < 5; k++) {
        snprintf(text, sizeof text, "\xF0\x9F\x91\x8D%s\xEF\xB8\x8F", tones[k]); /* thumbs up */
        assert_int_equal(tok(text), 1);
        assert_int_equal(fx.tv.v[0].type, TEMA_TOK_EMOJI);
        assert_int_equal(fx.tv.v[0].start, 0);
        assert_int_equal(fx.tv.v[0].end, 11);
        assert_norm(0, "\xF0\x9F\x91\x8D");
    }
}

/* ":-)))" spans five bytes, looks up as ":-)" and counts three. */
static void test_emoticon_repeats_become_count(void **state)
{
    (void)state;
    assert_int_equal(tok("ok :-)))"), 2);
    assert_int_equal(fx.tv.v[1].type, TEMA_TOK_EMOTICON);
    assert_int_equal(fx.tv.v[1].start, 3);
    assert_int_equal(fx.tv.v[1].end, 8);
    assert_int_equal(fx.tv.v[1].count, 3);
    assert_norm(1, ":-)");
}

/* Swedish "SJ:s" must not produce the negative emoticon ":s". */
static void test_colon_ending_is_no_emoticon(void **state)
{
    (void)state;
    static const char *const texts[] = {"SJ:s", "tv:n", "sms:et", "ICA:s.", "Telia:s,"};
    for (size_t k = 0; k < 5; k++) {
        tok(texts[k]);
        for (size_t i = 0; i < fx.tv.n; i++)
            assert_int_not_equal(fx.tv.v[i].type, TEMA_TOK_EMOTICON);
        assert_int_equal(fx.tv.v[0].type, TEMA_TOK_WORD);
        assert_int_equal(fx.tv.v[0].end, strcspn(texts[k], ".,"));
    }
}

/* A currency before the number is part of the amount's span. */
static void test_currency_first_amount_offsets(void **state)
{
    (void)state;
    assert_int_equal(tok("Betalt kr 299,- idag"), 3);
    assert_int_equal(fx.tv.v[1].type, TEMA_TOK_AMOUNT);
    assert_int_equal(fx.tv.v[1].start, 7);
    assert_int_equal(fx.tv.v[1].end, 15);
    /* lower-case "nok" is the Norwegian word, the upper-case code a currency */
    assert_int_equal(tok("nok 3"), 2);
    assert_int_equal(tok("NOK 3"), 1);
    assert_int_equal(fx.tv.v[0].type, TEMA_TOK_AMOUNT);
}

/* Non-ASCII currency signs after a number (the byte compare once failed on
 * signed char). */
static void test_currency_sign_after_number(void **state)
{
    (void)state;
    static const char *const texts[] = {"15\xE2\x82\xAC", "15 \xE2\x82\xAC", "15\xC2\xA3",
                                        "15 \xC2\xA3"};
    for (size_t k = 0; k < 4; k++) {
        assert_int_equal(tok(texts[k]), 1);
        assert_int_equal(fx.tv.v[0].type, TEMA_TOK_AMOUNT);
        assert_int_equal(fx.tv.v[0].end, strlen(texts[k]));
    }
}

/* The stops inside abbreviations end no sentence. */
static void test_abbreviation_stops_end_nothing(void **state)
{
    (void)state;
    static const char *const texts[] = {"t.ex. bra", "bl.a. pris", "e.g. price", "t.ex bra",
                                        "ca. 3 dagar", "kl. 10", "f.eks. prisen"};
    for (size_t k = 0; k < 7; k++) {
        tok(texts[k]);
        assert_true(fx.tv.n >= 2);
        for (size_t i = 0; i < fx.tv.n; i++)
            assert_false(fx.tv.v[i].flags & (TEMA_TOKF_SENT_END | TEMA_TOKF_CLAUSE_END));
    }
}

/* A soft hyphen changes nothing about the word's normal form. */
static void test_soft_hyphen_is_invisible(void **state)
{
    (void)state;
    assert_int_equal(tok("kund\xC2\xADtj\xC3\xA4nst"), 1);
    assert_int_equal(fx.tv.v[0].end, 13);
    assert_norm(0, "kundtj\xC3\xA4nst");
}

/* U+FFFD from invalid bytes is a letter but never "elongated". */
static void test_replacement_never_elongates(void **state)
{
    (void)state;
    assert_int_equal(tok("\xFF\xFF\xFF\xFF"), 1);
    assert_int_equal(fx.repairs, 4);
    assert_false(fx.tv.v[0].flags & TEMA_TOKF_ELONGATED);
    assert_int_equal(fx.tv.v[0].alt_len, 0);
    assert_int_equal(fx.tv.v[0].norm_len, 12);
}

/* A run of a multi-byte dash is one token counting its marks. */
static void test_multibyte_mark_runs_group(void **state)
{
    (void)state;
    assert_int_equal(tok("a \xE2\x80\x94\xE2\x80\x94\xE2\x80\x94 b"), 3);
    assert_int_equal(fx.tv.v[1].start, 2);
    assert_int_equal(fx.tv.v[1].end, 11);
    assert_int_equal(fx.tv.v[1].count, 3);
}

/* Bare domains are URLs; their trailing stop still ends the sentence. */
static void test_bare_domain_is_url(void **state)
{
    (void)state;
    assert_int_equal(tok("via zalando.se."), 3);
    assert_int_equal(fx.tv.v[1].type, TEMA_TOK_URL);
    assert_int_equal(fx.tv.v[1].start, 4);
    assert_int_equal(fx.tv.v[1].end, 14);
    assert_true(fx.tv.v[2].flags & TEMA_TOKF_SENT_END);
    /* "nu" is a word, not a top-level domain */
    assert_int_equal(tok("bra.nu"), 3);
    assert_int_equal(fx.tv.v[0].type, TEMA_TOK_WORD);
}

/* Numbers with separators keep a glued unit apart; bare digits join it. */
static void test_unit_after_separated_number_is_a_word(void **state)
{
    (void)state;
    assert_int_equal(tok("2,5kg"), 2);
    assert_int_equal(fx.tv.v[0].type, TEMA_TOK_NUMBER);
    assert_int_equal(fx.tv.v[0].end, 3);
    assert_int_equal(fx.tv.v[1].type, TEMA_TOK_WORD);
    assert_int_equal(tok("4G"), 1);
    assert_int_equal(fx.tv.v[0].type, TEMA_TOK_WORD);
    assert_false(fx.tv.v[0].flags & TEMA_TOKF_CAPITALISED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_offsets_hold_on_random_bytes),
        cmocka_unit_test(test_invalid_utf8_is_counted_not_dropped),
        cmocka_unit_test(test_emoji_norm_ignores_skin_tone_and_selector),
        cmocka_unit_test(test_emoticon_repeats_become_count),
        cmocka_unit_test(test_colon_ending_is_no_emoticon),
        cmocka_unit_test(test_currency_first_amount_offsets),
        cmocka_unit_test(test_currency_sign_after_number),
        cmocka_unit_test(test_abbreviation_stops_end_nothing),
        cmocka_unit_test(test_soft_hyphen_is_invisible),
        cmocka_unit_test(test_replacement_never_elongates),
        cmocka_unit_test(test_multibyte_mark_runs_group),
        cmocka_unit_test(test_bare_domain_is_url),
        cmocka_unit_test(test_unit_after_separated_number_is_a_word),
    };
    return cmocka_run_group_tests(tests, NULL, fx_teardown);
}
