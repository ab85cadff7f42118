/*
 * store.c: the SQLite store (docs/store.md): opening and creating it with
 * its schema, checking the schema version, and a thin statement wrapper so
 * that this is the only file that includes sqlite3.h.  Sections: open and
 * close; schema; statements (the read side); writing runs (reserved for
 * `tema analyze`).
 */
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common.h"

struct tema_store {
    sqlite3 *db;        /* the connection; NULL when opening failed */
    unsigned flags;     /* TEMA_STORE_* given to tema_store_open() */
    char errmsg[1024];  /* last detailed error, "" if none */
};

/* ------------------------------------------------------------------ */
/* Schema                                                             */
/* ------------------------------------------------------------------ */

/* docs/store.md, verbatim apart from the indexes marked "reports", which
 * let `tema top` answer from covering index scans (docs/store.md lists them
 * too).  IF NOT EXISTS everywhere: opening an older store read-write adds
 * missing indexes and touches nothing else. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS runs (\n"
    "  run_id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,\n"
    "  tema_version TEXT NOT NULL, options TEXT NOT NULL, rows_read INTEGER NOT NULL,\n"
    "  rows_analysed INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,\n"
    "  warnings INTEGER NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS inputs (\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,\n"
    "  path TEXT NOT NULL, size INTEGER NOT NULL, content_hash TEXT NOT NULL,\n"
    "  PRIMARY KEY (run_id, path));\n"
    "CREATE INDEX IF NOT EXISTS inputs_hash ON inputs(content_hash);\n"
    "CREATE TABLE IF NOT EXISTS comments (\n"
    "  comment_id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,\n"
    "  source TEXT NOT NULL, line INTEGER NOT NULL, ext_id TEXT, date TEXT,\n"
    "  lang TEXT NOT NULL, touchpoint_raw TEXT, touchpoint TEXT, score REAL,\n"
    "  score_type TEXT, sentiment REAL NOT NULL, label TEXT NOT NULL, text TEXT NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS comments_run ON comments(run_id);\n"
    "CREATE INDEX IF NOT EXISTS comments_date ON comments(date);\n"
    "CREATE INDEX IF NOT EXISTS comments_touchpoint ON comments(touchpoint);\n"
    "CREATE TABLE IF NOT EXISTS segments (\n"
    "  comment_id INTEGER NOT NULL REFERENCES comments(comment_id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (comment_id, name));\n"
    "CREATE INDEX IF NOT EXISTS segments_name_value ON segments(name, value);\n"
    "CREATE TABLE IF NOT EXISTS mentions (\n"
    "  mention_id INTEGER PRIMARY KEY,\n"
    "  comment_id INTEGER NOT NULL REFERENCES comments(comment_id) ON DELETE CASCADE,\n"
    "  theme TEXT NOT NULL, touchpoint TEXT NOT NULL, phase TEXT NOT NULL,\n"
    "  sentiment REAL NOT NULL, label TEXT NOT NULL, span_start INTEGER NOT NULL,\n"
    "  span_end INTEGER NOT NULL, implicit INTEGER NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS mentions_comment ON mentions(comment_id);\n"
    "CREATE INDEX IF NOT EXISTS mentions_theme ON mentions(theme, label);\n"
    "CREATE INDEX IF NOT EXISTS mentions_touchpoint ON mentions(touchpoint, label);\n"
    /* reports: example quotes, most negative first, per touchpoint and theme */
    "CREATE INDEX IF NOT EXISTS mentions_examples ON mentions(touchpoint, theme, label, sentiment);\n"
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS rollup (\n"
    "  run_id INTEGER NOT NULL, lang TEXT NOT NULL, month TEXT, touchpoint TEXT NOT NULL,\n"
    "  theme TEXT NOT NULL, mentions INTEGER NOT NULL, complaints INTEGER NOT NULL,\n"
    "  mention_rows INTEGER NOT NULL, sentiment_sum REAL NOT NULL, cell BLOB NOT NULL);\n";

/* Reads meta.schema_version: TEMA_OK when it is ours, else a message. */
static tema_status check_version(tema_store *s, const char *path)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return tema__store_fail(s, TEMA_ERR_STORE, "%s: not a tema store (%s)", path,
                                sqlite3_errmsg(s->db));
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return tema__store_fail(s, TEMA_ERR_STORE, "%s: not a tema store (no schema_version)",
                                    path);
        return tema__store_fail(s, TEMA_ERR_STORE, "%s: %s", path, sqlite3_errmsg(s->db));
    }
    const char *v = (const char *)sqlite3_column_text(st, 0);
    long version = v ? strtol(v, NULL, 10) : 0;
    sqlite3_finalize(st);
    if (version != TEMA__SCHEMA_VERSION)
        return tema__store_fail(s, TEMA_ERR_STORE,
                                "%s: store schema version %ld, this tema reads version %d", path,
                                version, TEMA__SCHEMA_VERSION);
    return TEMA_OK;
}

/* Creates the schema (idempotent) and stamps the version, in one transaction. */
static tema_status create_schema(tema_store *s, const char *path)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(s->db, schema_sql, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(s->db,
                     "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1')",
                     NULL, NULL, &err) != SQLITE_OK) {
        tema__store_fail(s, TEMA_ERR_STORE, "%s: creating the schema: %s", path,
                         err ? err : sqlite3_errmsg(s->db));
        sqlite3_free(err);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return TEMA_ERR_STORE;
    }
    tema_status st = check_version(s, path);
    if (sqlite3_exec(s->db, st == TEMA_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, &err) !=
        SQLITE_OK) {
        st = tema__store_fail(s, TEMA_ERR_STORE, "%s: %s", path, err ? err : "commit failed");
        sqlite3_free(err);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* Open and close                                                     */
/* ------------------------------------------------------------------ */

tema_status tema_store_open(const char *path, unsigned flags, tema_store **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    tema_store *s = calloc(1, sizeof *s);
    if (!s)
        return TEMA_ERR_NOMEM;
    *out = s;
    s->flags = flags;
    if (!path || !*path)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "no store path given");
    struct stat sb;
    /* SQLite would create an empty file for a read-write open; a reader must
     * instead say plainly that there is no store. */
    if (!(flags & TEMA_STORE_WRITE) && stat(path, &sb) != 0)
        return tema__store_fail(s, errno == ENOENT ? TEMA_ERR_NOTFOUND : TEMA_ERR_IO,
                                "%s: %s (run 'tema analyze --db %s' first)", path,
                                strerror(errno), path);
    int oflags = (flags & TEMA_STORE_WRITE) ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                            : SQLITE_OPEN_READONLY;
    /* A reader that may keep the report rollup fresh writes when the file
     * lets it and quietly reads otherwise. */
    if ((flags & (TEMA_STORE_WRITE | TEMA_STORE_CACHE)) == TEMA_STORE_CACHE &&
        access(path, W_OK) == 0)
        oflags = SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        tema_status st = tema__store_fail(s, TEMA_ERR_STORE, "%s: %s", path,
                                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        s->db = NULL;
        return st;
    }
    /* A reader may meet a writer's open transaction: wait for it rather than
     * fail at once. */
    sqlite3_busy_timeout(s->db, 5000);
    tema_status st;
    if (flags & TEMA_STORE_WRITE) {
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        st = create_schema(s, path);
    } else {
        st = check_version(s, path);
    }
    if (st != TEMA_OK) {
        sqlite3_close(s->db);
        s->db = NULL;
    }
    return st;
}

const char *tema_store_errmsg(const tema_store *store)
{
    return store ? store->errmsg : "no store";
}

void tema_store_close(tema_store *store)
{
    if (!store)
        return;
    sqlite3_close(store->db);
    free(store);
}

tema_status tema__store_fail(tema_store *store, tema_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(store->errmsg, sizeof store->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

/* ------------------------------------------------------------------ */
/* Statements (the read side)                                         */
/* ------------------------------------------------------------------ */

/* tema__stmt is never defined: the pointer is an sqlite3_stmt in disguise,
 * which costs no allocation and no indirection per row. */
#define ST(p) ((sqlite3_stmt *)(void *)(p))

tema_status tema__store_prepare(tema_store *store, const char *sql, tema__stmt **out)
{
    *out = NULL;
    if (!store->db)
        return tema__store_fail(store, TEMA_ERR_MISUSE, "the store is not open");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return tema__store_fail(store, TEMA_ERR_STORE, "query failed: %s",
                                sqlite3_errmsg(store->db));
    }
    *out = (tema__stmt *)(void *)st;
    return TEMA_OK;
}

tema_status tema__store_exec(tema_store *store, const char *sql)
{
    char *err = NULL;
    if (!store->db)
        return tema__store_fail(store, TEMA_ERR_MISUSE, "the store is not open");
    if (sqlite3_exec(store->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        tema__store_fail(store, TEMA_ERR_STORE, "%s", err ? err : sqlite3_errmsg(store->db));
        sqlite3_free(err);
        return TEMA_ERR_STORE;
    }
    return TEMA_OK;
}

tema_status tema__store_dberr(tema_store *store, tema_status status)
{
    return tema__store_fail(store, status, "query failed: %s",
                            store->db ? sqlite3_errmsg(store->db) : "store not open");
}

static tema_status bind_rc(int rc)
{
    return rc == SQLITE_OK ? TEMA_OK : rc == SQLITE_NOMEM ? TEMA_ERR_NOMEM : TEMA_ERR_STORE;
}

tema_status tema__stmt_bind_text(tema__stmt *st, int idx, const char *v)
{
    if (!v)
        return bind_rc(sqlite3_bind_null(ST(st), idx));
    return bind_rc(sqlite3_bind_text(ST(st), idx, v, -1, SQLITE_TRANSIENT));
}

tema_status tema__stmt_bind_int64(tema__stmt *st, int idx, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(ST(st), idx, (sqlite3_int64)v));
}

tema_status tema__stmt_bind_double(tema__stmt *st, int idx, double v)
{
    return bind_rc(sqlite3_bind_double(ST(st), idx, v));
}

tema_status tema__stmt_bind_blob(tema__stmt *st, int idx, const void *p, size_t len)
{
    return bind_rc(sqlite3_bind_blob64(ST(st), idx, p, (sqlite3_uint64)len, SQLITE_TRANSIENT));
}

const void *tema__stmt_blob(tema__stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(ST(st), col);
    *len = p ? (size_t)sqlite3_column_bytes(ST(st), col) : 0;
    return p;
}

int tema__store_writable(tema_store *store)
{
    return store->db && sqlite3_db_readonly(store->db, "main") == 0;
}

void tema__stmt_reset(tema__stmt *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

tema_status tema__stmt_step(tema__stmt *st)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return TEMA_OK;
    if (rc == SQLITE_DONE)
        return TEMA_DONE;
    return rc == SQLITE_NOMEM ? TEMA_ERR_NOMEM : TEMA_ERR_STORE;
}

int tema__stmt_is_null(tema__stmt *st, int col)
{
    return sqlite3_column_type(ST(st), col) == SQLITE_NULL;
}

int64_t tema__stmt_int64(tema__stmt *st, int col)
{
    return (int64_t)sqlite3_column_int64(ST(st), col);
}

double tema__stmt_double(tema__stmt *st, int col)
{
    return sqlite3_column_double(ST(st), col);
}

const char *tema__stmt_text(tema__stmt *st, int col, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(ST(st), col);
    if (len)
        *len = t ? (size_t)sqlite3_column_bytes(ST(st), col) : 0;
    return t ? (const char *)t : "";
}

void tema__stmt_finalize(tema__stmt *st)
{
    sqlite3_finalize(ST(st));
}

/* ------------------------------------------------------------------ */
/* Writing runs (reserved for `tema analyze`: begin_run, add_comment,  */
/* finish_run)                                                        */
/* ------------------------------------------------------------------ */
