/*
 * test_store_rollup.c: the rollup rows a run writes (rollup.c, docs/store.md
 * "The rollup"), worked out by hand for three comments: every row kind,
 * over all comments and per segment value; a segment column over the
 * 100-value bound gets a marker instead; a rebuild from the base tables
 * gives the very same rows; a run into a stale rollup leaves it stale; a
 * dropped table, or one of an older layout, is no rollup.
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

#include "aggregate.h"
#include "rollup.h"
#include "store.h"
#include "tema.h"

#include "storedb.h"

static void exec(const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The cell of the rollup row selected by 'where'. */
static tema__cell cell_of(const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT cell FROM rollup WHERE %s", where);
    sqlite3 *db;
    sqlite3_stmt *q;
    tema__cell c;
    memset(&c, 0, sizeof c);
    assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(tema__cell_unpack(sqlite3_column_blob(q, 0),
                                       (size_t)sqlite3_column_bytes(q, 0), &c), 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return c;
}

/* "mentions,complaints,mention_rows,sentiment_sum" of one row, or "". */
static const char *counts(const char *where)
{
    static char out[128];
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT mentions || ',' || complaints || ',' || mention_rows || ',' || "
             "round(sentiment_sum, 6) FROM rollup WHERE %s",
             where);
    text_of(dbpath, sql, out, sizeof out);
    return out;
}

static const tema_store_segment web[] = {{"channel", "web", 3}};
static const tema_store_segment app[] = {{"channel", "app", 3}};

/* Three comments of March 2025 in Swedish:
 *   A: web, NPS 9, -0.5 negative, delivery.late at delivery twice
 *      (negative -0.6, neutral -0.1);
 *   B: app, touchpoint column delivery, NPS 3, +0.25 positive, price.high
 *      (its own touchpoint price, stored as delivery: the column wins), +0.3;
 *   C: web, touchpoint column app, NPS 10, +0.8 positive, no mention. */
static void three_comments(tema_store *st, const char *path, const char *hash)
{
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, path, 10, hash), TEMA_OK);
    tema_mention ma[2] = {
        {.theme = "delivery.late", .touchpoint = "delivery", .phase = "after", .sentiment = -0.6,
         .label = TEMA_LABEL_NEGATIVE},
        {.theme = "delivery.late", .touchpoint = "delivery", .phase = "after", .sentiment = -0.1,
         .label = TEMA_LABEL_NEUTRAL}};
    tema_mention mb = {.theme = "price.high", .touchpoint = "price", .phase = "before",
                       .sentiment = 0.3, .label = TEMA_LABEL_POSITIVE};
    tema_store_comment a = {.source = path, .line = 2, .date = "2025-03-10", .score_type = "nps",
                            .has_score = 1, .score = 9, .text = "a", .text_len = 1,
                            .segments = web, .nsegments = 1, .lang = TEMA_LANG_SV,
                            .sentiment = -0.5, .label = TEMA_LABEL_NEGATIVE, .mentions = ma,
                            .nmentions = 2};
    tema_store_comment b = {.source = path, .line = 3, .date = "2025-03-20",
                            .touchpoint = "delivery", .score_type = "nps", .has_score = 1,
                            .score = 3, .text = "b", .text_len = 1, .segments = app,
                            .nsegments = 1, .lang = TEMA_LANG_SV, .sentiment = 0.25,
                            .label = TEMA_LABEL_POSITIVE, .mentions = &mb, .nmentions = 1};
    tema_store_comment c = {.source = path, .line = 4, .date = "2025-03-05", .touchpoint = "app",
                            .score_type = "nps", .has_score = 1, .score = 10, .text = "c",
                            .text_len = 1, .segments = web, .nsegments = 1,
                            .lang = TEMA_LANG_SV, .sentiment = 0.8,
                            .label = TEMA_LABEL_POSITIVE};
    assert_int_equal(tema_store_run_comment(st, &a, NULL), TEMA_OK);
    assert_int_equal(tema_store_run_comment(st, &b, NULL), TEMA_OK);
    assert_int_equal(tema_store_run_comment(st, &c, NULL), TEMA_OK);
    tema_run_counts n = {.rows_read = 3, .rows_analysed = 3};
    assert_int_equal(tema_store_run_finish(st, &n), TEMA_OK);
}

#define ALL "segment = '' AND "
#define WEB "segment = 'channel' AND segment_value = 'web' AND "
#define APP "segment = 'channel' AND segment_value = 'app' AND "

static void test_run_writes_its_rows(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("rows"), TEMA_STORE_WRITE, &st), TEMA_OK);
    three_comments(st, "a.csv", "h1");
    tema_store_close(st);
    /* over all comments 7 rows: all, delivery, delivery/late, late anywhere,
     * delivery/price.high, price.high anywhere, app/#column; web (A, C) 5:
     * no price.high; app (B) 4: no delivery.late, no #column */
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment = ''"), 7);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment_value = 'web'"), 5);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment_value = 'app'"), 4);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE run_id <> 1 OR lang <> 'sv' OR "
                            "month <> '2025-03'"),
                     0);
    tema__cell c = cell_of(ALL "touchpoint = '' AND theme = ''");
    assert_int_equal(c.comments, 3);
    assert_int_equal(c.negative, 1);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[9], 1);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[3], 1);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[10], 1);
    assert_true(c.sent_sum > 0.5499 && c.sent_sum < 0.5501);  /* -0.5 + 0.25 + 0.8 */
    /* delivery: A (two rows, one negative) and B (one positive row) */
    assert_string_equal(counts(ALL "touchpoint = 'delivery' AND theme = ''"), "2,1,3,-0.4");
    assert_string_equal(counts(ALL "touchpoint = 'delivery' AND theme = 'delivery.late'"),
                        "1,1,2,-0.7");
    assert_string_equal(counts(ALL "touchpoint = '' AND theme = 'delivery.late'"), "1,1,2,-0.7");
    assert_string_equal(counts(ALL "touchpoint = 'delivery' AND theme = 'price.high'"),
                        "1,0,1,0.3");
    assert_string_equal(counts(ALL "touchpoint = '' AND theme = 'price.high'"), "1,0,1,0.3");
    /* C's column says app and it has no mention there; B's says delivery,
     * where its mention is */
    assert_string_equal(counts(ALL "touchpoint = 'app' AND theme = '#column'"), "0,0,0,0.0");
    c = cell_of(ALL "touchpoint = 'app' AND theme = '#column'");
    assert_int_equal(c.comments, 1);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[10], 1);
    c = cell_of(ALL "touchpoint = 'delivery' AND theme = ''");
    assert_int_equal(c.comments, 2);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[9] + c.score[TEMA_SCORE_NPS].count[3], 2);
    /* per segment value: web is A and C, app is B */
    c = cell_of(WEB "touchpoint = '' AND theme = ''");
    assert_int_equal(c.comments, 2);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[10], 1);
    assert_string_equal(counts(WEB "touchpoint = 'delivery' AND theme = ''"), "1,1,2,-0.7");
    assert_string_equal(counts(APP "touchpoint = 'delivery' AND theme = ''"), "1,0,1,0.3");
    assert_string_equal(counts(APP "touchpoint = 'delivery' AND theme = 'delivery.late'"), "");
    c = cell_of(APP "touchpoint = '' AND theme = ''");
    assert_int_equal(c.comments, 1);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[3], 1);
    /* the stamp is the base tables' now: a report would not rebuild */
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_WRITE, &st), TEMA_OK);
    char now[256], built[256];
    assert_int_equal(tema__rollup_stamp(st, now, sizeof now), TEMA_OK);
    tema__rollup_built(st, built, sizeof built);
    assert_string_equal(now, built);
    assert_int_equal(strncmp(now, "rollup-3:", 9), 0);
    tema_store_close(st);
}

/* Every row as text, in a fixed order. */
static void all_rows(char *out, size_t cap)
{
    text_of(dbpath, "SELECT group_concat(r, '|') FROM (SELECT run_id || ',' || lang || ',' || "
         "ifnull(month, '-') || ',' || touchpoint || ',' || theme || ',' || mentions || ',' || "
         "complaints || ',' || mention_rows || ',' || sentiment_sum || ',' || hex(cell) || ',' "
         "|| segment || ',' || ifnull(segment_value, '-') AS r FROM rollup ORDER BY r)",
         out, cap);
}

static void test_rebuild_gives_the_same_rows(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("rebuild"), TEMA_STORE_WRITE, &st), TEMA_OK);
    three_comments(st, "a.csv", "h1");
    three_comments(st, "b.csv", "h2");
    static char inc[65536], full[65536];
    all_rows(inc, sizeof inc);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup"), 32);
    assert_int_equal(tema__store_exec(st, "BEGIN IMMEDIATE"), TEMA_OK);
    assert_int_equal(tema__rollup_rebuild(st), TEMA_OK);
    assert_int_equal(tema__store_exec(st, "COMMIT"), TEMA_OK);
    all_rows(full, sizeof full);
    assert_string_equal(inc, full);
    /* one run's rows again (--replace of one of its inputs) changes nothing */
    assert_int_equal(tema__store_exec(st, "BEGIN IMMEDIATE"), TEMA_OK);
    assert_int_equal(tema__rollup_run_rows(st, 2), TEMA_OK);
    assert_int_equal(tema__store_exec(st, "COMMIT"), TEMA_OK);
    all_rows(full, sizeof full);
    assert_string_equal(inc, full);
    tema_store_close(st);
}

static void test_many_values_leave_a_column_live(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("many"), TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, "m.csv", 1, "hm"), TEMA_OK);
    /* customer: 101 values (one per comment); shop: 100 (comment i % 100) */
    for (int i = 0; i < 101; i++) {
        char cust[16], shop[16];
        snprintf(cust, sizeof cust, "c%d", i);
        snprintf(shop, sizeof shop, "s%d", i % 100);
        tema_store_segment g[2] = {{"customer", cust, strlen(cust)}, {"shop", shop, strlen(shop)}};
        tema_store_comment c = {.source = "m.csv", .line = (uint64_t)i + 2, .text = "x",
                                .text_len = 1, .segments = g, .nsegments = 2,
                                .lang = TEMA_LANG_EN, .label = TEMA_LABEL_NEUTRAL};
        assert_int_equal(tema_store_run_comment(st, &c, NULL), TEMA_OK);
    }
    tema_run_counts n = {.rows_read = 101, .rows_analysed = 101};
    assert_int_equal(tema_store_run_finish(st, &n), TEMA_OK);
    tema_store_close(st);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment = 'customer'"), 1);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment = 'customer' AND theme = "
                            "'#live' AND segment_value IS NULL AND lang = ''"),
                     1);
    assert_int_equal(scalar(dbpath, "SELECT count(DISTINCT segment_value) FROM rollup WHERE segment = "
                            "'shop'"),
                     100);
    /* s0 is comments 0 and 100, without a date */
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment_value = 's0' AND "
                            "month IS NULL"),
                     1);
    tema__cell c = cell_of("segment_value = 's0'");
    assert_int_equal(c.comments, 2);
}

/* Past 65,536 rows of a run the segment rows go, every column gets its
 * marker, and the rows over all comments stay complete.  Each comment here
 * has its own month, three segment values and 20 themes at one touchpoint:
 * 42 rows over all comments (all, the touchpoint, 20 themes there, 20
 * anywhere) and as many per segment value, 168 in all, so the cap falls
 * within 450 comments. */
static void test_row_cap_drops_segment_rows(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("cap"), TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, "cap.csv", 1, "hc"), TEMA_OK);
    static char themes[20][8];
    tema_mention m[20];
    for (int k = 0; k < 20; k++) {
        snprintf(themes[k], sizeof themes[k], "t%d", k);
        m[k] = (tema_mention){.theme = themes[k], .touchpoint = "tp", .phase = "after",
                              .label = TEMA_LABEL_NEGATIVE, .sentiment = -0.5};
    }
    for (int i = 0; i < 450; i++) {
        char date[16], va[8], vb[8], vc[8];
        snprintf(date, sizeof date, "%04d-%02d-01", 1980 + i / 12, i % 12 + 1);
        snprintf(va, sizeof va, "a%d", i % 100);
        snprintf(vb, sizeof vb, "b%d", i % 100);
        snprintf(vc, sizeof vc, "c%d", i % 100);
        tema_store_segment g[3] = {{"a", va, strlen(va)}, {"b", vb, strlen(vb)},
                                   {"c", vc, strlen(vc)}};
        tema_store_comment c = {.source = "cap.csv", .line = (uint64_t)i + 2, .date = date,
                                .text = "x", .text_len = 1, .segments = g, .nsegments = 3,
                                .lang = TEMA_LANG_EN, .label = TEMA_LABEL_NEGATIVE,
                                .mentions = m, .nmentions = 20};
        assert_int_equal(tema_store_run_comment(st, &c, NULL), TEMA_OK);
    }
    tema_run_counts n = {.rows_read = 450, .rows_analysed = 450};
    assert_int_equal(tema_store_run_finish(st, &n), TEMA_OK);
    tema_store_close(st);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment = ''"), 450 * 42);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment <> '' AND theme = '#live' "
                            "AND segment_value IS NULL"),
                     3);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE segment <> ''"), 3);
    assert_int_equal(scalar(dbpath, "SELECT sum(mentions) FROM rollup WHERE segment = '' AND "
                            "touchpoint = 'tp' AND theme = 't7'"),
                     450);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM meta WHERE key = 'rollup_stamp'"), 1);
}

/* A row keeps every scale its comments have (a hand-made store may mix
 * them): NPS 9 and CSAT 4 in one month, and an NPS of 11, off the scale. */
static void test_rows_keep_every_scale(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("scales"), TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(tema_store_run_begin(st, NULL, 0), TEMA_OK);
    assert_int_equal(tema_store_run_input(st, "s.csv", 1, "hs"), TEMA_OK);
    const char *type[3] = {"nps", "csat", "nps"};
    double score[3] = {9, 4, 11};
    for (int i = 0; i < 3; i++) {
        tema_store_comment c = {.source = "s.csv", .line = (uint64_t)i + 2, .date = "2025-01-02",
                                .score_type = type[i], .has_score = 1, .score = score[i],
                                .text = "x", .text_len = 1, .lang = TEMA_LANG_DA,
                                .label = TEMA_LABEL_NEUTRAL};
        assert_int_equal(tema_store_run_comment(st, &c, NULL), TEMA_OK);
    }
    tema_run_counts n = {.rows_read = 3, .rows_analysed = 3};
    assert_int_equal(tema_store_run_finish(st, &n), TEMA_OK);
    tema_store_close(st);
    tema__cell c = cell_of("theme = '' AND touchpoint = ''");
    assert_int_equal(c.comments, 3);
    assert_int_equal(c.score[TEMA_SCORE_NPS].count[9], 1);
    assert_int_equal(c.score[TEMA_SCORE_CSAT].count[4], 1);
    uint64_t total = 0;
    for (int t = 0; t < TEMA_SCORE_TYPE_COUNT; t++)
        for (int b = 0; b < 11; b++)
            total += c.score[t].count[b];
    assert_int_equal(total, 2);
}

/* The packed cell: 33 bytes and 88 per scale present, and back. */
static void test_cell_pack_round_trip(void **s)
{
    (void)s;
    tema__cell c, d;
    unsigned char buf[TEMA__CELL_PACKED_MAX];
    memset(&c, 0, sizeof c);
    c.comments = 5;
    c.negative = 2;
    c.sent_sum = -0.75;
    c.sent_sumsq = 1.5;
    assert_int_equal(tema__cell_pack(&c, buf), 33);
    assert_int_equal(tema__cell_unpack(buf, 33, &d), 0);
    assert_memory_equal(&c, &d, sizeof c);
    c.score[TEMA_SCORE_NPS].count[0] = 3;
    c.score[TEMA_SCORE_CES].count[7] = 1;
    assert_int_equal(tema__cell_pack(&c, buf), 33 + 2 * 88);
    assert_int_equal(tema__cell_unpack(buf, 33 + 2 * 88, &d), 0);
    assert_memory_equal(&c, &d, sizeof c);
    /* a cut or padded blob is no cell */
    assert_int_equal(tema__cell_unpack(buf, 33 + 88, &d), -1);
    assert_int_equal(tema__cell_unpack(buf, 32, &d), -1);
    buf[32] = 0;
    assert_int_equal(tema__cell_unpack(buf, 34, &d), -1);
}

static void test_stale_rollup_is_left_stale(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("stale"), TEMA_STORE_WRITE, &st), TEMA_OK);
    three_comments(st, "a.csv", "h1");
    exec("DELETE FROM meta WHERE key = 'rollup_stamp'");
    three_comments(st, "b.csv", "h2");
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM meta WHERE key = 'rollup_stamp'"), 0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup WHERE run_id = 2"), 0);
    /* a dropped table is no rollup, whatever the stamp says */
    assert_int_equal(tema__store_exec(st, "BEGIN IMMEDIATE"), TEMA_OK);
    assert_int_equal(tema__rollup_rebuild(st), TEMA_OK);
    assert_int_equal(tema__store_exec(st, "COMMIT"), TEMA_OK);
    char built[256];
    tema__rollup_built(st, built, sizeof built);
    assert_int_equal(strncmp(built, "rollup-3:", 9), 0);
    exec("DROP TABLE rollup");
    tema__rollup_built(st, built, sizeof built);
    assert_string_equal(built, "");
    tema_store_close(st);
}

/* A rollup table of the layout before segment rows (an older tema's) is no
 * rollup, whatever its stamp; opening the store for writing replaces it
 * with an empty table of the current layout and forgets the stamp. */
static void test_older_layout_is_replaced(void **s)
{
    (void)s;
    tema_store *st = NULL;
    assert_int_equal(tema_store_open(fresh("older"), TEMA_STORE_WRITE, &st), TEMA_OK);
    three_comments(st, "a.csv", "h1");
    char built[256];
    tema__rollup_built(st, built, sizeof built);
    assert_int_equal(strncmp(built, "rollup-3:", 9), 0);
    tema_store_close(st);
    exec("DROP TABLE rollup; CREATE TABLE rollup (run_id INTEGER NOT NULL, lang TEXT NOT NULL, "
         "month TEXT, touchpoint TEXT NOT NULL, theme TEXT NOT NULL, mentions INTEGER NOT NULL, "
         "complaints INTEGER NOT NULL, mention_rows INTEGER NOT NULL, sentiment_sum REAL NOT "
         "NULL, cell BLOB NOT NULL); INSERT INTO rollup VALUES (1, 'sv', NULL, 'x', 'x', 1, 0, "
         "1, 0, x'00')");
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_READ, &st), TEMA_OK);
    tema__rollup_built(st, built, sizeof built);
    assert_string_equal(built, "");
    tema_store_close(st);
    assert_int_equal(tema_store_open(dbpath, TEMA_STORE_WRITE, &st), TEMA_OK);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM pragma_table_info('rollup') WHERE name "
                                    "IN ('segment', 'segment_value')"), 2);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM rollup"), 0);
    assert_int_equal(scalar(dbpath, "SELECT count(*) FROM meta WHERE key = 'rollup_stamp'"), 0);
    tema_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_writes_its_rows),
        cmocka_unit_test(test_rebuild_gives_the_same_rows),
        cmocka_unit_test(test_many_values_leave_a_column_live),
        cmocka_unit_test(test_row_cap_drops_segment_rows),
        cmocka_unit_test(test_rows_keep_every_scale),
        cmocka_unit_test(test_cell_pack_round_trip),
        cmocka_unit_test(test_stale_rollup_is_left_stale),
        cmocka_unit_test(test_older_layout_is_replaced),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
