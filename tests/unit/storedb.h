/*
 * storedb.h: a scratch folder for the store tests' SQLite files, and
 * read-only peeks into a store, shared by test_store.c and
 * test_store_rollup.c.  Include after cmocka.h and sqlite3.h.
 */
#ifndef TEMA_TEST_STOREDB_H
#define TEMA_TEST_STOREDB_H

#include <stdio.h>
#include <stdlib.h>

static char dir[256];     /* the scratch folder, made by setup() */
static char dbpath[300];  /* the path fresh() gave last */

static int setup(void **s)
{
    (void)s;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/tema-store-XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

/* The whole folder: SQLite leaves -wal and -journal files beside a store. */
static int teardown(void **s)
{
    (void)s;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A fresh database path per test. */
static const char *fresh(const char *name)
{
    snprintf(dbpath, sizeof dbpath, "%s/%s.db", dir, name);
    return dbpath;
}

/* The first column of the first row of 'sql' on the store at 'path', -1
 * for no row. */
static long long scalar(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    long long v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* The text of the first column of 'sql' into 'out' ("" for no row). */
static void text_of(const char *path, const char *sql, char *out, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    out[0] = '\0';
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
}

#endif
