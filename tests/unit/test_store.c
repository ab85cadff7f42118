/*
 * test_store.c: the write side of the store.  The schema must be the one
 * docs/store.md prints, character for character; a run is one transaction
 * (abort, close and failures leave nothing); inputs already stored are
 * refused at commit, or replaced with TEMA_RUN_REPLACE.  The database is
 * inspected with SQLite directly, as an analyst would.  Content-hash
 * vectors: CRC-32 and FNV-1a 64 of "" and "a" are the published check
 * values (zlib; Fowler/Noll/Vo test suite).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "tema.h"

#include "storedb.h"

static void test_open_flags(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("missing"), 0, &st), TEMA_ERR_NOTFOUND);
    assert_non_null(st);
    assert_non_null(strstr(tema_store_errmsg(st), "missing.db"));
    tema_store_close(st);
    assert_int_equal(access(dbpath, F_OK), -1);  /* a reader creates nothing */
    tema_store_close(NULL);
    tema_store_run_abort(NULL);
    assert_non_null(tema_store_errmsg(NULL));
}

/* Every CREATE statement of docs/store.md is stored verbatim. */
static void test_schema_is_the_documented_one(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("schema"), TEMA_STORE_WRITE, &st), TEMA_OK);
    tema_store_close(st);
    char doc[400];
    const char *data = getenv("TEMA_DATA");
    snprintf(doc, sizeof doc, "%s/docs/store.md", data && *data ? data : ".");
    FILE *f = fopen(doc, "rb");
    assert_non_null(f);
    static char md[65536];
    size_t n = fread(md, 1, sizeof md - 1, f);
    fclose(f);
    md[n] = '\0';
    char *p = strstr(md, "```sql\n");
    assert_non_null(p);
    char *end = strstr(p + 7, "```");
    assert_non_null(end);
    *end = '\0';
    int statements = 0;
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (char *c = strstr(p, "CREATE "); c; c = strstr(c + 1, "CREATE ")) {
        char *semi = strchr(c, ';');
        assert_non_null(semi);
        char stmt[4096];
        snprintf(stmt, sizeof stmt, "%.*s", (int)(semi - c), c);
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE sql = ?1",
                                            -1, &q, NULL), SQLITE_OK);
        sqlite3_bind_text(q, 1, stmt, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        if (sqlite3_column_int(q, 0) != 1)
            fail_msg("not stored verbatim: %s", stmt);
        sqlite3_finalize(q);
        statements++;
    }
    sqlite3_close(db);
    assert_int_equal(statements, 16);  /* 7 tables, 9 indexes (rollup, rollup_segment, mentions_examples for reports) */
    assert_int_equal(scalar(dbpath, "SELECT value FROM meta WHERE key = 'schema_version'"), 1);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                                    "name = 'mentions_touchpoint'"),
                     0);
    /* a store made before mentions_examples took over loses the old index */
    assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE INDEX mentions_touchpoint ON mentions(touchpoint, label)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_READ, &st), TEMA_OK);
    tema_store_close(st);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM sqlite_master WHERE name = 'mentions_touchpoint'"), 1);
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_WRITE, &st), TEMA_OK);
    tema_store_close(st);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM sqlite_master WHERE name = 'mentions_touchpoint'"), 0);
}

static void test_other_schema_version_refused(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("version"), TEMA_STORE_WRITE, &st), TEMA_OK);
    tema_store_close(st);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = '2'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(tema_store_open(dbpath, 0, &st), TEMA_ERR_STORE);
    assert_non_null(strstr(tema_store_errmsg(st), "version '2'"));
    tema_store_close(st);
}

static const tema_mention ments[2] = {
    {"delivery.late", "delivery", "after", -0.6, TEMA_LABEL_NEGATIVE, 0, 9, 1},
    {"app.crash", "app", "during", -0.2, TEMA_LABEL_NEGATIVE, 12, 20, 0},
};

/* Adds 'n' comments (two mentions and a segment each) to the open run. */
static void add_comments(tema_store *st, const char *source, int n, const char *touchpoint)
{
    tema_store_segment seg = {"market", "SE", 2};
    for (int i = 0; i < n; i++) {
        tema_store_comment c = {0};
        c.source = source;
        c.line = (uint64_t)i + 2;
        c.ext_id = "id-7";
        c.ext_id_len = 2;  /* "id" only: lengths are honoured */
        c.date = "2026-04-03";
        c.touchpoint_raw = "Leverans";
        c.touchpoint_raw_len = 8;
        c.touchpoint = touchpoint;
        c.score_type = "nps";
        c.has_score = i == 0;
        c.score = 9;
        c.text = "Försenad leverans";
        c.text_len = strlen(c.text);
        c.segments = &seg;
        c.nsegments = 1;
        c.lang = TEMA_LANG_SV;
        c.sentiment = -0.5;
        c.label = TEMA_LABEL_NEGATIVE;
        c.mentions = ments;
        c.nmentions = 2;
        assert_int_equal(tema_store_run_comment(st, &c, NULL), TEMA_OK);
    }
}

static void test_run_writes_every_table(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("run"), TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(tema_store_run_id(st), 0);
    assert_int_equal(tema_store_run_begin(st, "{\"x\":1}", 0), TEMA_OK);
    assert_int_equal(tema_store_run_id(st), 1);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_ERR_MISUSE);  /* one at a time */
    assert_int_equal(tema_store_run_input(st, "a.csv", 123, "00000000-cbf29ce484222325-0"),
                     TEMA_OK);
    assert_int_equal(tema_store_run_input(st, "a.csv", 123, "x"), TEMA_ERR_MISUSE);
    add_comments(st, "a.csv", 3, NULL);
    add_comments(st, "a.csv", 1, "delivery");
    tema_run_counts n = {5, 4, 1, 2};
    assert_int_equal(tema_store_run_finish(st, &n), TEMA_OK);
    assert_int_equal(tema_store_run_id(st), 0);
    tema_store_close(st);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM comments"), 4);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM mentions"), 8);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM segments"), 4);
    assert_int_equal(scalar(dbpath, "SELECT rows_read * 1000 + rows_analysed * 100 + "
                                    "rows_rejected * 10 + warnings FROM runs"), 5412);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM comments WHERE score IS NULL"), 2);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM mentions WHERE implicit = 1"), 4);
    char t[256];
    text_of(dbpath, "SELECT ext_id || '|' || date || '|' || lang || '|' || label || '|' || text "
                    "FROM comments LIMIT 1", t, sizeof t);
    assert_string_equal(t, "id|2026-04-03|sv|negative|Försenad leverans");
    text_of(dbpath, "SELECT json_extract(options, '$.x') || tema_version FROM runs", t, sizeof t);
    assert_string_equal(t, "10.1.0");
    /* a mention takes the comment's mapped touchpoint when there is one */
    text_of(dbpath, "SELECT group_concat(touchpoint, ' ') FROM (SELECT touchpoint FROM mentions "
                    "ORDER BY mention_id)", t, sizeof t);
    assert_string_equal(t, "delivery app delivery app delivery app delivery delivery");
    text_of(dbpath, "SELECT span_start || '-' || span_end || ' ' || phase || ' ' || label FROM "
                    "mentions WHERE mention_id = 2", t, sizeof t);
    assert_string_equal(t, "12-20 during negative");
}

static void test_abort_and_close_leave_nothing(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("abort"), TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_OK);
    add_comments(st, "a.csv", 5, NULL);
    tema_store_run_abort(st);
    tema_store_run_abort(st);  /* no run: no-op */
    tema_run_counts n = {0};
    assert_int_equal(tema_store_run_finish(st, &n), TEMA_ERR_MISUSE);
    tema_store_comment c = {.source = "a.csv"};
    assert_int_equal(tema_store_run_comment(st, &c, NULL), TEMA_ERR_MISUSE);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_OK);
    add_comments(st, "b.csv", 5, NULL);
    tema_store_close(st);  /* open run: rolled back */
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM runs"), 0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM comments"), 0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM mentions"), 0);
    /* read-only stores take no runs */
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_READ, &st), TEMA_OK);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_ERR_MISUSE);
    tema_store_close(st);
}

static void one_run(tema_store *st, const char *path, const char *hash, int n, unsigned flags,
                    tema_status want)
{
    assert_int_equal(tema_store_run_begin(st, NULL, flags), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, path, 10, hash), TEMA_OK);
    add_comments(st, path, n, NULL);
    tema_run_counts c = {(uint64_t)n, (uint64_t)n, 0, 0};
    assert_int_equal(tema_store_run_finish(st, &c), want);
    assert_int_equal(tema_store_run_id(st), 0);
}

static void test_duplicate_input_refused_or_replaced(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("dup"), TEMA_STORE_WRITE, &st), TEMA_OK);
    one_run(st, "a.csv", "h1", 3, 0, TEMA_OK);         /* run 1 */
    one_run(st, "b.csv", "h2", 2, 0, TEMA_OK);         /* run 2 */
    one_run(st, "copy.csv", "h1", 4, 0, TEMA_ERR_EXISTS);
    assert_non_null(strstr(tema_store_errmsg(st), "'copy.csv' is already in the store"));
    assert_non_null(strstr(tema_store_errmsg(st), "'a.csv' of run 1"));
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM comments"), 5);
    /* the same content twice in one run */
    assert_int_equal(tema_store_run_begin(st, NULL, TEMA_RUN_REPLACE), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, "x.csv", 1, "h9"), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, "y.csv", 1, "h9"), TEMA_OK);
    tema_run_counts c = {0};
    assert_int_equal(tema_store_run_finish(st, &c), TEMA_ERR_EXISTS);
    assert_non_null(strstr(tema_store_errmsg(st), "same content"));
    /* replace: run 1's comments for that input go, and run 1 with them */
    one_run(st, "copy.csv", "h1", 4, TEMA_RUN_REPLACE, TEMA_OK);
    tema_store_close(st);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM comments"), 6);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM comments WHERE source = 'a.csv'"), 0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM runs WHERE run_id = 1"), 0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM mentions"), 12);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM segments"), 6);
    /* runs write with foreign keys off: no child may outlive its comment */
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM mentions WHERE comment_id NOT IN "
                                    "(SELECT comment_id FROM comments)"),
                     0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM segments WHERE comment_id NOT IN "
                                    "(SELECT comment_id FROM comments)"),
                     0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM inputs WHERE content_hash = 'h1'"), 1);
    /* looking an input up by content */
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_READ, &st), TEMA_OK);
    char path[64] = "x";
    assert_int_equal(tema_store_find_input(st, "h2", path, sizeof path), 2);
    assert_string_equal(path, "b.csv");
    assert_int_equal(tema_store_find_input(st, "h1", path, 4), 3);
    assert_string_equal(path, "cop"); /* truncated to the room given */
    assert_int_equal(tema_store_find_input(st, "nope", path, sizeof path), 0);
    assert_string_equal(path, "");
    assert_int_equal(tema_store_find_input(st, NULL, path, sizeof path), -1);
    tema_store_close(st);
}

static void test_content_hash_vectors(void **s)
{
    (void)s;
    const char *cases[][2] = {{"", "00000000-cbf29ce484222325-0"},
                              {"a", "e8b7be43-af63dc4c8601ec8c-1"}};
    for (size_t i = 0; i < 2; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/h%zu.csv", dir, i);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(cases[i][0], f);
        fclose(f);
        tema_reader *r = NULL;
        tema_status st = tema_reader_open(path, NULL, &r);
        tema_record rec;
        while (st == TEMA_OK && (st = tema_reader_next(r, &rec)) == TEMA_OK)
            ;
        char h[TEMA_HASH_SIZE];
        tema_reader_content_hash(r, h);
        assert_string_equal(h, cases[i][1]);
        tema_reader_close(r);
        /* the same value without a reader, before analysing anything */
        assert_int_equal(tema_file_content_hash(path, h), TEMA_OK);
        assert_string_equal(h, cases[i][1]);
    }
    /* a file larger than one read: both hashes cover every byte once */
    char path[300], a[TEMA_HASH_SIZE], b[TEMA_HASH_SIZE];
    snprintf(path, sizeof path, "%s/big.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("id,text\n", f);
    for (int i = 0; i < 40000; i++)
        fprintf(f, "%d,comment number %d\n", i, i);
    long size = ftell(f);
    fclose(f);
    tema_reader *r = NULL;
    tema_status st = tema_reader_open(path, NULL, &r);
    tema_record rec;
    while (st == TEMA_OK && (st = tema_reader_next(r, &rec)) == TEMA_OK)
        ;
    tema_reader_content_hash(r, a);
    tema_reader_close(r);
    assert_int_equal(tema_file_content_hash(path, b), TEMA_OK);
    assert_string_equal(a, b);
    char want_size[32];
    snprintf(want_size, sizeof want_size, "-%lx", size);
    assert_non_null(strstr(b, want_size));
    snprintf(path, sizeof path, "%s/missing.csv", dir);
    assert_int_equal(tema_file_content_hash(path, b), TEMA_ERR_IO);
    assert_int_equal(tema_file_content_hash(NULL, b), TEMA_ERR_MISUSE);
    /* only regular files are hashed (a FIFO, tested end to end in
     * analyze_store.sh, would be consumed); a directory is not one either */
    assert_int_equal(tema_file_content_hash(dir, b), TEMA_ERR_MISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_flags),
        cmocka_unit_test(test_schema_is_the_documented_one),
        cmocka_unit_test(test_other_schema_version_refused),
        cmocka_unit_test(test_run_writes_every_table),
        cmocka_unit_test(test_abort_and_close_leave_nothing),
        cmocka_unit_test(test_duplicate_input_refused_or_replaced),
        cmocka_unit_test(test_content_hash_vectors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
