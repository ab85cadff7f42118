/*
 * test_pii.c: personal-data redaction against the case table in
 * tests/spec/pii.txt (each input with its redacted text), plus span
 * properties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "pii.h"
#include "regex.h"
#include "spec.h"
#include "tema.h"

static void test_table(void **s)
{
    (void)s;
    FILE *f = spec_open("pii.txt");
    assert_non_null(f);
    static spec_case c;
    int lineno = 0, cases = 0, failures = 0, lookalikes = 0;
    while (spec_next(f, &c, &lineno)) {
        cases++;
        lookalikes += strstr(c.name, "look-alike") != NULL;
        char want[8192];
        size_t want_len = spec_unescape(c.expect[0], want);
        const char *out;
        size_t out_len;
        assert_int_equal(tema_doc_redact(doc, c.input, c.input_len, &out, &out_len), TEMA_OK);
        if (out_len != want_len || memcmp(out, want, want_len) != 0) {
            failures++;
            fprintf(stderr, "pii.txt:%d: '%s'\n  want: %s\n  got:  %s\n", c.line, c.name, want, out);
        }
        /* the prefilter never changes the result */
        assert_int_equal(tema__pii_redact_unfiltered(doc, c.input, c.input_len, &out, &out_len),
                         TEMA_OK);
        if (out_len != want_len || memcmp(out, want, want_len) != 0) {
            failures++;
            fprintf(stderr, "pii.txt:%d: '%s' without the prefilter\n  want: %s\n  got:  %s\n",
                    c.line, c.name, want, out);
        }
    }
    fclose(f);
    fprintf(stderr, "pii.txt: %d cases (%d look-alikes), %d failed\n", cases, lookalikes, failures);
    assert_true(cases >= 40);
    assert_true(lookalikes >= 10);
    assert_int_equal(failures, 0);
}

static void test_spans_point_into_the_original(void **s)
{
    (void)s;
    const char *text = "Ring 070-123 45 67 eller mejla a@b.se";
    const char *out;
    size_t n;
    assert_int_equal(tema_doc_redact(doc, text, strlen(text), &out, &n), TEMA_OK);
    assert_int_equal(tema_doc_pii_count(doc), 2);
    tema_pii_span sp;
    assert_int_equal(tema_doc_pii(doc, 0, &sp), TEMA_OK);
    assert_int_equal(sp.kind, TEMA_PII_PHONE);
    assert_int_equal(sp.start, 5);
    assert_int_equal(sp.end, 18);
    assert_int_equal(tema_doc_pii(doc, 1, &sp), TEMA_OK);
    assert_int_equal(sp.kind, TEMA_PII_EMAIL);
    assert_memory_equal(text + sp.start, "a@b.se", 6);
    assert_int_equal(tema_doc_pii(doc, 2, &sp), TEMA_ERR_MISUSE);
    assert_string_equal(out, "Ring [PHONE] eller mejla [EMAIL]");
}

static void test_text_without_pii_is_copied_unchanged(void **s)
{
    (void)s;
    const char *out;
    size_t n;
    assert_int_equal(tema_doc_redact(doc, "Bra \xff service", 13, &out, &n), TEMA_OK);
    assert_int_equal(n, 13);
    assert_memory_equal(out, "Bra \xff service", 13);
    assert_int_equal(tema_doc_pii_count(doc), 0);
    assert_int_equal(tema_doc_redact(doc, NULL, 0, &out, &n), TEMA_OK);
    assert_int_equal(n, 0);
}

/* A search stopped by the regex limits must not let unchecked text
 * through: the rest of the comment from where it began is masked. */
static void test_stopped_search_masks_the_rest(void **s)
{
    (void)s;
    const char *text = "Bra service, mejla mig p\xc3\xa5 anna@example.se";
    const char *out;
    size_t n;
    assert_int_equal(tema__pii_set_match_limit(doc, 1), TEMA_OK);
    assert_int_equal(tema_doc_redact(doc, text, strlen(text), &out, &n), TEMA_OK);
    assert_string_equal(out, "[REDACTED]");
    assert_int_equal(tema_doc_regex_stops(doc), 1);
    assert_int_equal(tema_doc_pii_count(doc), 1);
    tema_pii_span sp;
    assert_int_equal(tema_doc_pii(doc, 0, &sp), TEMA_OK);
    assert_int_equal(sp.kind, TEMA_PII_UNCHECKED);
    assert_int_equal(sp.start, 0);
    assert_int_equal(sp.end, strlen(text));
    /* No pattern can match here, so no search runs and nothing is masked. */
    assert_int_equal(tema_doc_redact(doc, "Bra service", 11, &out, &n), TEMA_OK);
    assert_string_equal(out, "Bra service");
    assert_int_equal(tema_doc_regex_stops(doc), 0);
    assert_int_equal(tema__pii_set_match_limit(doc, TEMA__RE_MATCH_LIMIT), TEMA_OK);
    assert_int_equal(tema_doc_redact(doc, text, strlen(text), &out, &n), TEMA_OK);
    assert_string_equal(out, "Bra service, mejla mig p\xc3\xa5 [EMAIL]");
}

static void test_tags(void **s)
{
    (void)s;
    assert_string_equal(tema_pii_tag(TEMA_PII_EMAIL), "[EMAIL]");
    assert_string_equal(tema_pii_tag(TEMA_PII_IBAN), "[IBAN]");
    assert_string_equal(tema_pii_tag(TEMA_PII_UNCHECKED), "[REDACTED]");
    assert_string_equal(tema_pii_tag(TEMA_PII_KIND_COUNT), "[PII]");
}

static unsigned needs(const char *text)
{
    return tema__pii_needs(text, strlen(text), NULL);
}

/* The prefilter may only skip a pattern that cannot produce a span. */
static void test_prefilter_skips_only_what_cannot_match(void **s)
{
    (void)s;
    assert_int_equal(needs("Bra service, snabb leverans"), 0);
    assert_int_equal(needs(""), 0);
    assert_int_equal(needs("skriv till a@b.se"), TEMA__PII_NEED_EMAIL);
    /* six digits never make a phone, card or ID; seven may */
    assert_int_equal(needs("order 123456"), 0);
    assert_int_equal(needs("ring 123 45 67") & TEMA__PII_NEED_DIGITS, TEMA__PII_NEED_DIGITS);
    /* digits spread over the text count too: the pattern decides the rest */
    assert_int_equal(needs("1 2 3 4 5 6 7") & TEMA__PII_NEED_DIGITS, TEMA__PII_NEED_DIGITS);
    assert_int_equal(needs("SE45 5000 0000 0583 9825 7466") & TEMA__PII_NEED_IBAN,
                     TEMA__PII_NEED_IBAN);
    assert_int_equal(needs("se45 5000") & TEMA__PII_NEED_IBAN, 0);
    assert_int_equal(needs("SE4 5"), 0);
    /* sign-off words in any case, including the non-ASCII ones */
    assert_int_equal(needs("MED VÄNLIGA HÄLSNINGAR Anna"), TEMA__PII_NEED_NAME);
    assert_int_equal(needs("Mvh Per"), TEMA__PII_NEED_NAME);
    assert_int_equal(needs("Vennlig hilsen Kari"), TEMA__PII_NEED_NAME);
    assert_int_equal(needs("Thanks, Tom"), TEMA__PII_NEED_NAME);
    assert_int_equal(needs("Takk"), TEMA__PII_NEED_NAME);
    assert_int_equal(needs("jeg hedder Bo"), TEMA__PII_NEED_INTRO);
    assert_int_equal(needs("My NAME is Sue"), TEMA__PII_NEED_INTRO);
    /* a word cut at the end of the text is not a sign-off word */
    assert_int_equal(needs("mv"), 0);
    /* KELVIN SIGN matches k when case is ignored: PCRE2 must decide */
    assert_int_equal(needs("ta\xe2\x84\xaa") & TEMA__PII_NEED_NAME, TEMA__PII_NEED_NAME);
    assert_int_equal(needs("\xc5\xbf"), TEMA__PII_NEED_NAME | TEMA__PII_NEED_INTRO);
    /* the name searches start 24 bytes before the first sign-off part */
    const char *t = "Leveransen var sen och paketet trasigt. Med vänliga hälsningar Eva";
    size_t from = 99;
    assert_int_equal(tema__pii_needs(t, strlen(t), &from), TEMA__PII_NEED_NAME);
    assert_int_equal(from, (size_t)(strstr(t, "lsning") - t) - 24);
    assert_true(from <= (size_t)(strstr(t, " Med") - t));
    from = 99;
    tema__pii_needs("Mvh Eva", 7, &from);
    assert_int_equal(from, 0);
    from = 99;
    tema__pii_needs("Bra", 3, &from);
    assert_int_equal(from, 0);
    from = 99;
    t = "Leveransen var sen och paketet trasigt, tac\xe2\x84\xaa Eva";
    tema__pii_needs(t, strlen(t), &from);
    assert_int_equal(from, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_spans_point_into_the_original),
        cmocka_unit_test(test_text_without_pii_is_copied_unchanged),
        cmocka_unit_test(test_stopped_search_masks_the_rest),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_prefilter_skips_only_what_cannot_match),
    };
    return cmocka_run_group_tests(tests, fixture_setup_text, fixture_teardown);
}
