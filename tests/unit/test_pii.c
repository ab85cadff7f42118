/*
 * test_pii.c: personal-data redaction against the case table in
 * tests/spec/pii.txt (each input with its redacted text), plus span
 * properties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "spec.h"
#include "tema.h"

static tema_engine *engine;
static tema_doc *doc;

static int setup(void **s)
{
    (void)s;
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES;
    if (tema_engine_new(&cfg, &engine) != TEMA_OK)
        return -1;
    return tema_doc_new(engine, &doc) == TEMA_OK ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    tema_doc_free(doc);
    tema_engine_free(engine);
    return 0;
}

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

static void test_tags(void **s)
{
    (void)s;
    assert_string_equal(tema_pii_tag(TEMA_PII_EMAIL), "[EMAIL]");
    assert_string_equal(tema_pii_tag(TEMA_PII_IBAN), "[IBAN]");
    assert_string_equal(tema_pii_tag(TEMA_PII_KIND_COUNT), "[PII]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_spans_point_into_the_original),
        cmocka_unit_test(test_text_without_pii_is_copied_unchanged),
        cmocka_unit_test(test_tags),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
