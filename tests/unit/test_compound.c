/*
 * test_compound.c: loading the compound part lists: comment and empty
 * lines, the order check (which bisection depends on) with its line
 * numbers, the length limit, and a split through a loaded list.
 */
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

#include "compound.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tema-test-compound-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char p[128];
    snprintf(p, sizeof p, "%s/build", dir);
    return mkdir(p, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char p[128];
    snprintf(p, sizeof p, "%s/build/compound-sv.txt", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/build", dir);
    rmdir(p);
    rmdir(dir);
    return 0;
}

/* Writes 'text' as the Swedish list and loads it. */
static tema_status load(const char *text, size_t len, tema__compound **c, char *err, size_t cap)
{
    char p[128];
    snprintf(p, sizeof p, "%s/build/compound-sv.txt", dir);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    err[0] = '\0';
    return tema__compound_load(dir, TEMA_LANG_SV, c, err, cap);
}

static void expect_error(const char *text, const char *msg_end)
{
    tema__compound *c = NULL;
    char err[512];
    assert_int_equal(load(text, strlen(text), &c, err, sizeof err), TEMA_ERR_PARSE);
    assert_null(c);
    size_t n = strlen(err), m = strlen(msg_end);
    assert_true(n >= m);
    assert_string_equal(err + n - m, msg_end);
}

static void test_sorted_list_loads(void **state)
{
    (void)state;
    /* 6 entries: comments and empty lines are skipped, a prefix sorts
     * before its extensions, the last line has no newline */
    const char *text = "# parts\n\nab\nabc\nabcdefghij\nabcdefghik\nkund\ntj\xc3\xa4nst";
    tema__compound *c = NULL;
    char err[512];
    assert_int_equal(load(text, strlen(text), &c, err, sizeof err), TEMA_OK);
    assert_non_null(c);
    assert_int_equal(tema__compound_size(c), 6);
    /* kund + tjänst, both from the list (4 + 7 bytes) */
    tema__split sp;
    assert_int_equal(tema__compound_split(c, "kundtj\xc3\xa4nst", 11, &sp), 2);
    assert_string_equal(sp.text, "kund");
    assert_string_equal(sp.text + 5, "tj\xc3\xa4nst");
    tema__compound_free(c);
}

static void test_order_errors_name_the_line(void **state)
{
    (void)state;
    expect_error("abc\nab\n", ":2: entries not in byte order");          /* prefix after */
    expect_error("# c\nkund\nkund\n", ":3: entries not in byte order");  /* duplicate */
    expect_error("abcdefghik\nabcdefghij\n", ":2: entries not in byte order"); /* 10th byte */
    expect_error("a\nb\n\nbb\nba\n", ":5: entries not in byte order");
    /* bytes compare unsigned: "ä" (C3 A4) sorts after "z" */
    expect_error("\xc3\xa4\nz\n", ":2: entries not in byte order");
}

static void test_entry_longer_than_255_bytes(void **state)
{
    (void)state;
    char text[300];
    memset(text, 'a', 256);
    memcpy(text + 256, "\n", 2);
    expect_error(text, ":1: entry longer than 255 bytes");
    text[255] = '\n'; /* 255 bytes: allowed */
    text[256] = '\0';
    tema__compound *c = NULL;
    char err[512];
    assert_int_equal(load(text, strlen(text), &c, err, sizeof err), TEMA_OK);
    assert_int_equal(tema__compound_size(c), 1);
    tema__compound_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_list_loads),
        cmocka_unit_test(test_order_errors_name_the_line),
        cmocka_unit_test(test_entry_longer_than_255_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
