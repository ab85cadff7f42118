/*
 * store.c: the SQLite store (docs/store.md), and the only file that
 * includes sqlite3.h.  Sections: schema; open and close; statements (a thin
 * wrapper the read side uses); writing runs (one transaction per run of
 * `tema analyze`, prepared statements reused for every row, duplicate
 * inputs found by content hash at commit time).
 */
#include "store.h"

#include <errno.h>
#include <time.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common.h"
#include "rollup.h"

/* Statements of a write run, prepared once per run. */
enum {
    ST_INPUT,     /* INSERT INTO inputs */
    ST_COMMENT,   /* INSERT INTO comments */
    ST_SEGMENT,   /* INSERT INTO segments */
    ST_MENTION,   /* INSERT INTO mentions */
    ST_COUNT
};

struct tema_store {
    sqlite3 *db;                  /* the connection; NULL when opening failed */
    unsigned flags;               /* TEMA_STORE_* given to tema_store_open() */
    char path[1024];              /* file name for messages */
    char errmsg[1024];            /* last detailed error, "" if none */
    int in_run;                   /* a run transaction is open */
    unsigned run_flags;           /* TEMA_RUN_* of the open run */
    int64_t run_id;               /* run_id of the open run */
    sqlite3_stmt *st[ST_COUNT];   /* prepared write statements (ST_*) */
    tema__buf deferred;           /* CREATE INDEX statements to run at the end of the run */
    tema__rollup *rollup;         /* the open run's rollup rows; NULL when not kept up */
    int rollup_empty;             /* the run started in an empty store: new rollup table */
    int rollup_stale;             /* the rollup was stale when the run started */
};

/* ------------------------------------------------------------------ */
/* Schema                                                             */
/* ------------------------------------------------------------------ */

/* The schema, character for character as in docs/store.md (a unit test
 * compares the two), so the CREATE statements stored in sqlite_master are
 * the documented ones.  Created once, in an empty database. */
static const char base_sql[] =
    "-- One row per completed run of `tema analyze`.\n"
    "CREATE TABLE runs (\n"
    "  run_id         INTEGER PRIMARY KEY,\n"
    "  started_at     TEXT NOT NULL,      -- ISO 8601 UTC, e.g. 2026-11-24T19:40:00Z\n"
    "  finished_at    TEXT NOT NULL,\n"
    "  tema_version   TEXT NOT NULL,\n"
    "  options        TEXT NOT NULL,      -- JSON object: the options the run was given\n"
    "  rows_read      INTEGER NOT NULL,   -- = rows_analysed + rows_rejected\n"
    "  rows_analysed  INTEGER NOT NULL,\n"
    "  rows_rejected  INTEGER NOT NULL,\n"
    "  warnings       INTEGER NOT NULL\n"
    ");\n"
    "\n"
    "-- The input files of each run.\n"
    "CREATE TABLE inputs (\n"
    "  run_id        INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,\n"
    "  path          TEXT NOT NULL,       -- as given on the command line (\"-\" for stdin)\n"
    "  size          INTEGER NOT NULL,    -- bytes of the file as stored (compressed size for .gz)\n"
    "  content_hash  TEXT NOT NULL,       -- hash of the bytes, see below\n"
    "  PRIMARY KEY (run_id, path)\n"
    ");\n"
    "CREATE INDEX inputs_hash ON inputs(content_hash);\n"
    "\n"
    "-- One row per analysed comment.\n"
    "CREATE TABLE comments (\n"
    "  comment_id     INTEGER PRIMARY KEY,\n"
    "  run_id         INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,\n"
    "  source         TEXT NOT NULL,      -- input path\n"
    "  line           INTEGER NOT NULL,   -- physical line where the record starts\n"
    "  ext_id         TEXT,               -- the export's id column, if mapped\n"
    "  date           TEXT,               -- ISO date YYYY-MM-DD, NULL when missing or unparseable\n"
    "  lang           TEXT NOT NULL,      -- sv, da, no, en, und\n"
    "  touchpoint_raw TEXT,               -- the export's touchpoint column value, if mapped\n"
    "  touchpoint     TEXT,               -- that value mapped to a taxonomy touchpoint id (aliases), or NULL\n"
    "  score          REAL,               -- the score column (NPS 0-10, CSAT 1-5, CES 1-7), NULL if none\n"
    "  score_type     TEXT,               -- nps, csat, ces, or NULL\n"
    "  sentiment      REAL NOT NULL,      -- comment sentiment, [-1, 1]\n"
    "  label          TEXT NOT NULL,      -- positive, neutral, negative\n"
    "  text           TEXT NOT NULL       -- the comment, PII redacted unless --keep-pii\n"
    ");\n"
    "CREATE INDEX comments_run ON comments(run_id);\n"
    "CREATE INDEX comments_date ON comments(date);\n"
    "CREATE INDEX comments_touchpoint ON comments(touchpoint);\n"
    "\n"
    "-- Segment columns (--segment-column), one row per comment and column.\n"
    "CREATE TABLE segments (\n"
    "  comment_id  INTEGER NOT NULL REFERENCES comments(comment_id) ON DELETE CASCADE,\n"
    "  name        TEXT NOT NULL,         -- column name as in the header\n"
    "  value       TEXT NOT NULL,\n"
    "  PRIMARY KEY (comment_id, name)\n"
    ");\n"
    "CREATE INDEX segments_name_value ON segments(name, value);\n"
    "\n"
    "-- One row per theme mention.\n"
    "CREATE TABLE mentions (\n"
    "  mention_id  INTEGER PRIMARY KEY,\n"
    "  comment_id  INTEGER NOT NULL REFERENCES comments(comment_id) ON DELETE CASCADE,\n"
    "  theme       TEXT NOT NULL,         -- theme id, e.g. delivery.late\n"
    "  touchpoint  TEXT NOT NULL,         -- the comment's mapped touchpoint column if any, else the theme's\n"
    "  phase       TEXT NOT NULL,         -- before, during, after\n"
    "  sentiment   REAL NOT NULL,         -- sentiment of the mention's clause, [-1, 1]\n"
    "  label       TEXT NOT NULL,         -- positive, neutral, negative (\"complaint\" = negative)\n"
    "  span_start  INTEGER NOT NULL,      -- byte offsets of the matched words in the ORIGINAL text\n"
    "  span_end    INTEGER NOT NULL,\n"
    "  implicit    INTEGER NOT NULL       -- 1 when an implicit-complaint phrase made it negative\n"
    ");\n"
    "CREATE INDEX mentions_comment ON mentions(comment_id);\n"
    "CREATE INDEX mentions_theme ON mentions(theme, label);\n"
    "\n"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);  -- schema_version = 1\n";

/* Additions for the reports (docs/store.md, "Added for reports"): an index
 * for example quotes and the rollup summary table.  IF NOT EXISTS: a store
 * made before them gets them the next time it is opened for writing. */
static const char extras_sql[] =
    "CREATE INDEX IF NOT EXISTS mentions_examples ON mentions(touchpoint, theme, label, sentiment);\n"
    /* Stores made before 2026-11-24 have it; mentions_examples serves its
     * queries (touchpoint = ?, then label within the index), and it was a
     * fifth of the index work of every run. */
    "DROP INDEX IF EXISTS mentions_touchpoint;\n";

/* The rollup, the reports' summary (docs/store.md): a cache that tema
 * drops and creates again whenever its layout changes (rollup.c). */
static const char rollup_sql[] =
    "CREATE TABLE IF NOT EXISTS rollup (\n"
    "  run_id        INTEGER NOT NULL,\n"
    "  lang          TEXT NOT NULL,\n"
    "  month         TEXT,                 -- substr(date, 1, 7), NULL for comments without a date\n"
    "  touchpoint    TEXT NOT NULL,\n"
    "  theme         TEXT NOT NULL,\n"
    "  mentions      INTEGER NOT NULL,     -- comments mentioning it\n"
    "  complaints    INTEGER NOT NULL,     -- comments with a negative mention of it\n"
    "  mention_rows  INTEGER NOT NULL,\n"
    "  sentiment_sum REAL NOT NULL,        -- sum of the mention rows' sentiment\n"
    "  cell          BLOB NOT NULL,        -- score histograms and comment sentiment sums of those\n"
    "                                      -- comments (tema's internal layout, not for analysts)\n"
    "  segment       TEXT NOT NULL,        -- '' for all comments, else a segment column\n"
    "  segment_value TEXT                  -- the comments with this value of it (NULL: see below)\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS rollup_segment ON rollup(segment, segment_value);\n";


/* Is the database empty (a new file)? */
static int is_empty(tema_store *s)
{
    sqlite3_stmt *q = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n == 0;
}

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
    char text[32];
    snprintf(text, sizeof text, "%s", v ? v : "");
    long version = strtol(text, NULL, 10);
    sqlite3_finalize(st);
    if (version != TEMA__SCHEMA_VERSION)
        return tema__store_fail(s, TEMA_ERR_STORE,
                                "%s: store schema version '%s', this tema reads version %d", path,
                                text, TEMA__SCHEMA_VERSION);
    return TEMA_OK;
}

/* Does the query 'sql' give a row? */
static int has_row(tema_store *s, const char *sql)
{
    sqlite3_stmt *q = NULL;
    int row = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK &&
              sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    return row;
}

int tema__store_rollup_current(tema_store *s)
{
    /* the column the last change of layout added (segment rows, rollup-3) */
    return has_row(s, "SELECT 1 FROM pragma_table_info('rollup') WHERE name = 'segment_value'");
}

/* A rollup table of an older layout (before its segment rows) is dropped:
 * its stamp names the older format, so it would be rebuilt anyway. */
static int old_rollup(tema_store *s)
{
    return has_row(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup'") &&
           !tema__store_rollup_current(s);
}

/* Is there no rollup table (never built, or dropped by hand, which
 * docs/store.md allows)?  Its stamp must then go with it: a stamp that still
 * matched would let `tema analyze` add its run's rows to the empty table
 * created here and call the rollup current with one run in it. */
static int no_rollup(tema_store *s)
{
    return has_row(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta' AND NOT "
                      "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup')");
}

tema_status tema__store_rollup_reset(tema_store *s)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, "DROP TABLE IF EXISTS rollup", NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(s->db, rollup_sql, NULL, NULL, &err) != SQLITE_OK) {
        tema__store_fail(s, TEMA_ERR_STORE, "%s: rollup: %s", s->path,
                         err ? err : sqlite3_errmsg(s->db));
        sqlite3_free(err);
        return TEMA_ERR_STORE;
    }
    return TEMA_OK;
}

/* Creates the schema (idempotent) and stamps the version, in one transaction. */
static tema_status create_schema(tema_store *s, const char *path)
{
    char *err = NULL;
    int empty = 0;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK ||
        ((empty = is_empty(s)) &&
         (sqlite3_exec(s->db, base_sql, NULL, NULL, &err) != SQLITE_OK ||
          sqlite3_exec(s->db, "INSERT INTO meta(key, value) VALUES ('schema_version', '1')",
                       NULL, NULL, &err) != SQLITE_OK)) ||
        sqlite3_exec(s->db, extras_sql, NULL, NULL, &err) != SQLITE_OK ||
        (old_rollup(s) && sqlite3_exec(s->db, "DROP TABLE rollup", NULL, NULL, &err) != SQLITE_OK) ||
        (no_rollup(s) && sqlite3_exec(s->db, "DELETE FROM meta WHERE key = 'rollup_stamp'", NULL,
                                      NULL, &err) != SQLITE_OK) ||
        sqlite3_exec(s->db, rollup_sql, NULL, NULL, &err) != SQLITE_OK) {
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

/* Messages for the write side, naming the file. */
static tema_status fail(tema_store *s, tema_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tema_status fail(tema_store *s, tema_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
    va_end(ap);
    return st;
}

/* Fails with the connection's own message, prefixed by the file name. */
static tema_status fail_db(tema_store *s, const char *what)
{
    return fail(s, TEMA_ERR_STORE, "%s: %s: %s", s->path, what,
                s->db ? sqlite3_errmsg(s->db) : "cannot open");
}

static tema_status exec(tema_store *s, const char *sql, const char *what)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) == SQLITE_OK)
        return TEMA_OK;
    fail(s, TEMA_ERR_STORE, "%s: %s: %s", s->path, what, err ? err : sqlite3_errmsg(s->db));
    sqlite3_free(err);
    return TEMA_ERR_STORE;
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
    snprintf(s->path, sizeof s->path, "%s", path ? path : "");
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
    sqlite3_busy_timeout(s->db, 10000);
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
    tema_store_run_abort(store); /* a run still open is rolled back */
    sqlite3_close(store->db);
    tema__buf_free(&store->deferred);
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

tema_status tema__stmt_bind_textn(tema__stmt *st, int idx, const char *v, size_t len)
{
    return bind_rc(sqlite3_bind_text64(ST(st), idx, v ? v : "", (sqlite3_uint64)len,
                                       SQLITE_TRANSIENT, SQLITE_UTF8));
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
/* writing runs                                                       */
/* ------------------------------------------------------------------ */

static const char *const write_sql[ST_COUNT] = {
    [ST_INPUT] = "INSERT INTO inputs (run_id, path, size, content_hash) VALUES (?1, ?2, ?3, ?4)",
    [ST_COMMENT] = ("INSERT INTO comments (run_id, source, line, ext_id, date, lang, "
                    "touchpoint_raw, touchpoint, score, score_type, sentiment, label, text) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
    [ST_SEGMENT] = "INSERT OR REPLACE INTO segments (comment_id, name, value) VALUES (?1, ?2, ?3)",
    [ST_MENTION] = ("INSERT INTO mentions (comment_id, theme, touchpoint, phase, sentiment, label, "
                    "span_start, span_end, implicit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
};

/* The current time as ISO 8601 UTC, "2026-11-24T19:40:00Z". */
static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void finalize_all(tema_store *s)
{
    for (int i = 0; i < ST_COUNT; i++) {
        sqlite3_finalize(s->st[i]);
        s->st[i] = NULL;
    }
}

/* Ends the open run without keeping anything.  Keeps 'errmsg'. */
static void rollback(tema_store *s)
{
    finalize_all(s);
    s->deferred.len = 0; /* the rollback restores the dropped indexes itself */
    if (s->in_run && s->db && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (s->db)
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    s->in_run = 0;
    s->run_id = 0;
    tema__rollup_free(s->rollup);
    s->rollup = NULL;
}

/* Fails the open run: rolls it back and returns 'st'. */
static tema_status fail_run(tema_store *s, tema_status st)
{
    rollback(s);
    return st;
}

/* Loading into an empty store: drop the indexes of the comment tables now
 * and build each once at the end of the run, by sorting, instead of
 * updating them row by row (most of a first run's time otherwise).  The
 * statements are kept exactly as sqlite_master has them, so the schema
 * stays the documented one; a rolled-back run gets them back with the
 * rollback.  Runs into a store with comments keep the indexes, since
 * rebuilding them would cost more than the run. */
static tema_status defer_indexes(tema_store *s)
{
    s->deferred.len = 0;
    sqlite3_stmt *q = NULL;
    int rc;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM comments LIMIT 1", -1, &q, NULL) != SQLITE_OK)
        return fail_db(s, "cannot read the store");
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_ROW ? TEMA_OK : fail_db(s, "cannot read the store");
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS "
                           "NOT NULL AND tbl_name IN ('comments', 'segments', 'mentions') "
                           "ORDER BY name",
                           -1, &q, NULL) != SQLITE_OK)
        return fail_db(s, "cannot read the schema");
    tema__buf drops = {0};
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *sql = (const char *)sqlite3_column_text(q, 1);
        if (tema__buf_append(&s->deferred, sql, strlen(sql)) ||
            tema__buf_append(&s->deferred, ";\n", 2) ||
            tema__buf_append(&drops, "DROP INDEX \"", 12) ||
            tema__buf_append(&drops, name, strlen(name)) || tema__buf_append(&drops, "\";\n", 3)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(q);
    tema_status st = TEMA_OK;
    if (rc != SQLITE_DONE)
        st = fail_db(s, "cannot read the schema");
    else if (drops.len && (tema__buf_putc(&drops, '\0') || tema__buf_putc(&s->deferred, '\0')))
        st = TEMA_ERR_NOMEM;
    else if (drops.len)
        st = exec(s, drops.p, "cannot prepare the store for loading");
    if (st != TEMA_OK || !drops.len)
        s->deferred.len = 0;
    tema__buf_free(&drops);
    return st;
}

/* Keeps the rollup current through the run when it was current before
 * (or the store was empty): the run's rows are summed as they are stored
 * and written at the end, a small part of the run, so the first report
 * after it answers at once.  A stale rollup is left stale, for the first
 * report.  Called before the run's own runs row changes the stamp. */
static void rollup_begin(tema_store *s)
{
    char now[256], built[256];
    s->rollup_stale = 0;
    /* asked this way round so that a failed query means "not empty" */
    s->rollup_empty = has_row(s, "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM comments)");
    if (!s->rollup_empty) {
        tema__rollup_built(s, built, sizeof built);
        s->rollup_stale = tema__rollup_stamp(s, now, sizeof now) != TEMA_OK ||
                          strcmp(now, built) != 0;
    }
    s->errmsg[0] = '\0';
}

/* The rollup could not keep up (no memory): it is left stale for the
 * first report to rebuild, and the run goes on. */
static void rollup_drop(tema_store *s)
{
    tema__rollup_free(s->rollup);
    s->rollup = NULL;
    s->rollup_stale = 1;
}

tema_status tema_store_run_begin(tema_store *s, const char *options_json, unsigned flags)
{
    if (!s || !s->db || s->in_run || !(s->flags & TEMA_STORE_WRITE))
        return s ? fail(s, TEMA_ERR_MISUSE, "%s: cannot start a run (%s)", s->path,
                        s->in_run ? "one is open" : "store opened read-only")
                 : TEMA_ERR_MISUSE;
    s->errmsg[0] = '\0';
    /* A run is one large append-mostly transaction.  The rollback journal
     * then records only the few existing pages a run changes, where WAL
     * would write every new page twice (WAL, then checkpoint): measured
     * 12.4 s against 14.8 s of CPU for a 60 MB export.  synchronous=NORMAL
     * keeps the store consistent after a crash; the 16 MiB cache holds the
     * hot index pages and keeps `tema analyze` under its 100 MB RSS budget. */
    /* Foreign keys off for the run (the pragma only takes effect outside a
     * transaction): tema writes each comment before its mentions and
     * segments, so checking every child row against its parent only
     * costs, about a third of the inserts' work.  --replace deletes the
     * children itself; rollback() and run_finish turn the checks back on. */
    tema_status st = exec(s, "PRAGMA foreign_keys = OFF; "
                             "PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL; "
                             "PRAGMA cache_size = -16384; PRAGMA journal_size_limit = 67108864",
                          "cannot configure the store");
    if (st != TEMA_OK)
        return st;
    if ((st = exec(s, "BEGIN IMMEDIATE", "cannot start the run (is the store writable?)")) !=
        TEMA_OK)
        return st;
    s->in_run = 1;
    s->run_flags = flags;
    if ((st = defer_indexes(s)) != TEMA_OK)
        return fail_run(s, st);
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, write_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK)
            return fail_run(s, fail_db(s, "cannot prepare the run"));
    rollup_begin(s);
    char now[32];
    utc_now(now);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs (started_at, finished_at, tema_version, options, "
                           "rows_read, rows_analysed, rows_rejected, warnings) "
                           "VALUES (?1, ?1, ?2, ?3, 0, 0, 0, 0)",
                           -1, &q, NULL) != SQLITE_OK)
        return fail_run(s, fail_db(s, "cannot start the run"));
    sqlite3_bind_text(q, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, tema_version(), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, options_json ? options_json : "{}", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return fail_run(s, fail_db(s, "cannot start the run"));
    s->run_id = sqlite3_last_insert_rowid(s->db);
    if (!s->rollup_stale && tema__rollup_new(s->run_id, &s->rollup) != TEMA_OK)
        s->rollup_stale = 1;
    return TEMA_OK;
}

int64_t tema_store_run_id(const tema_store *s)
{
    return s && s->in_run ? s->run_id : 0;
}

/* Steps an INSERT and resets it; the bound pointers need only live for
 * the step (SQLITE_STATIC), so no row is copied. */
static tema_status step(tema_store *s, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc == SQLITE_DONE)
        return TEMA_OK;
    return fail_db(s, what);
}

tema_status tema_store_run_input(tema_store *s, const char *path, uint64_t size,
                                 const char *content_hash)
{
    if (!s || !s->in_run || !path || !content_hash)
        return s ? fail(s, TEMA_ERR_MISUSE, "%s: no run open, or no path or hash", s->path)
                 : TEMA_ERR_MISUSE;
    sqlite3_stmt *q = s->st[ST_INPUT];
    sqlite3_bind_int64(q, 1, s->run_id);
    sqlite3_bind_text(q, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)size);
    sqlite3_bind_text(q, 4, content_hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc == SQLITE_CONSTRAINT)
        return fail(s, TEMA_ERR_MISUSE, "%s: input '%s' given twice in one run", s->path, path);
    return rc == SQLITE_DONE ? TEMA_OK : fail_db(s, "cannot record an input");
}

int64_t tema_store_find_input(tema_store *s, const char *content_hash, char *path, size_t cap)
{
    if (!s || !s->db || !content_hash) {
        if (s)
            fail(s, TEMA_ERR_MISUSE, "%s: no store or no hash", s->path);
        return -1;
    }
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT run_id, path FROM inputs WHERE content_hash = ?1 "
                           "ORDER BY run_id, rowid LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK) {
        fail_db(s, "cannot look up an input");
        return -1;
    }
    sqlite3_bind_text(q, 1, content_hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int64_t run = 0;
    if (rc == SQLITE_ROW) {
        run = sqlite3_column_int64(q, 0);
        if (path && cap)
            snprintf(path, cap, "%s", (const char *)sqlite3_column_text(q, 1));
    } else if (rc != SQLITE_DONE) {
        run = -1;
    }
    sqlite3_finalize(q);
    if (run < 0)
        fail_db(s, "cannot look up an input");
    else if (run == 0 && path && cap)
        path[0] = '\0';
    return run;
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *p, size_t len)
{
    if (p)
        sqlite3_bind_text64(q, i, p, len, SQLITE_STATIC, SQLITE_UTF8);
    else
        sqlite3_bind_null(q, i);
}

static tema_status add_mention(tema_store *s, int64_t comment_id, const tema_store_comment *c,
                               const tema_mention *m)
{
    sqlite3_stmt *q = s->st[ST_MENTION];
    sqlite3_bind_int64(q, 1, comment_id);
    sqlite3_bind_text(q, 2, m->theme, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, c->touchpoint ? c->touchpoint : m->touchpoint, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, m->phase, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 5, m->sentiment);
    sqlite3_bind_text(q, 6, tema_label_name(m->label), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, (sqlite3_int64)m->start);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)m->end);
    sqlite3_bind_int(q, 9, m->implicit ? 1 : 0);
    return step(s, q, "cannot store a theme mention");
}

tema_status tema_store_run_comment(tema_store *s, const tema_store_comment *c, const tema_doc *doc)
{
    if (!s || !s->in_run || !c || !c->source)
        return s ? fail(s, TEMA_ERR_MISUSE, "%s: no run open, or no comment", s->path)
                 : TEMA_ERR_MISUSE;
    tema_lang lang = doc ? tema_doc_lang(doc) : c->lang;
    double sentiment = doc ? tema_doc_sentiment(doc) : c->sentiment;
    tema_label label = doc ? tema_doc_label(doc) : c->label;
    sqlite3_stmt *q = s->st[ST_COMMENT];
    sqlite3_bind_int64(q, 1, s->run_id);
    sqlite3_bind_text(q, 2, c->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)c->line);
    bind_text_or_null(q, 4, c->ext_id, c->ext_id_len);
    bind_text_or_null(q, 5, c->date, c->date ? strlen(c->date) : 0);
    sqlite3_bind_text(q, 6, tema_lang_code(lang), -1, SQLITE_STATIC);
    bind_text_or_null(q, 7, c->touchpoint_raw, c->touchpoint_raw_len);
    bind_text_or_null(q, 8, c->touchpoint, c->touchpoint ? strlen(c->touchpoint) : 0);
    if (c->has_score)
        sqlite3_bind_double(q, 9, c->score);
    else
        sqlite3_bind_null(q, 9);
    bind_text_or_null(q, 10, c->score_type, c->score_type ? strlen(c->score_type) : 0);
    sqlite3_bind_double(q, 11, sentiment);
    sqlite3_bind_text(q, 12, tema_label_name(label), -1, SQLITE_STATIC);
    sqlite3_bind_text64(q, 13, c->text ? c->text : "", c->text ? c->text_len : 0, SQLITE_STATIC,
                        SQLITE_UTF8);
    tema_status st = step(s, q, "cannot store a comment");
    if (st != TEMA_OK)
        return st;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    if (s->rollup) {
        tema__rollup_comment rc = {
            .lang = tema_lang_code(lang), .date = c->date, .date_len = c->date ? strlen(c->date) : 0,
            .touchpoint = c->touchpoint, .touchpoint_len = c->touchpoint ? strlen(c->touchpoint) : 0,
            .score_type = c->score_type, .has_score = c->has_score, .score = c->score,
            .sentiment = sentiment, .negative = label == TEMA_LABEL_NEGATIVE};
        if (tema__rollup_comment_add(s->rollup, &rc) != TEMA_OK)
            rollup_drop(s);
    }
    for (size_t i = 0; i < c->nsegments; i++) {
        const tema_store_segment *g = &c->segments[i];
        q = s->st[ST_SEGMENT];
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, g->name ? g->name : "", -1, SQLITE_STATIC);
        sqlite3_bind_text64(q, 3, g->value ? g->value : "", g->value ? g->value_len : 0,
                            SQLITE_STATIC, SQLITE_UTF8);
        if ((st = step(s, q, "cannot store a segment")) != TEMA_OK)
            return st;
        if (s->rollup && tema__rollup_segment(s->rollup, g->name ? g->name : "",
                                              g->name ? strlen(g->name) : 0,
                                              g->value ? g->value : "",
                                              g->value ? g->value_len : 0) != TEMA_OK)
            rollup_drop(s);
    }
    size_t n = doc ? tema_doc_mention_count(doc) : c->nmentions;
    for (size_t i = 0; i < n; i++) {
        tema_mention m;
        if (doc) {
            if (tema_doc_mention(doc, i, &m) != TEMA_OK)
                continue;
        } else {
            m = c->mentions[i];
        }
        if ((st = add_mention(s, id, c, &m)) != TEMA_OK)
            return st;
        const char *tp = c->touchpoint ? c->touchpoint : m.touchpoint;
        if (s->rollup && tema__rollup_mention(s->rollup, tp, strlen(tp), m.theme, strlen(m.theme),
                                              m.label == TEMA_LABEL_NEGATIVE,
                                              m.sentiment) != TEMA_OK)
            rollup_drop(s);
    }
    return TEMA_OK;
}

/* An input of this run whose content is already stored. */
typedef struct dup_input {
    char path[512];      /* the input in this run */
    int64_t old_run;     /* the run that has it, = run_id for a duplicate within the run */
    char old_path[512];  /* its path there */
} dup_input;

/* Finds the inputs of the open run whose content hash is already in the
 * store, up to 'cap'; returns how many, or -1 on a database error. */
static int find_dups(tema_store *s, dup_input *d, int cap)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT i.path, o.run_id, o.path FROM inputs i JOIN inputs o "
                           "ON o.content_hash = i.content_hash "
                           "AND (o.run_id <> i.run_id OR o.path <> i.path) "
                           "WHERE i.run_id = ?1 ORDER BY i.rowid, o.run_id",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, s->run_id);
    int n = 0, rc;
    while (n < cap && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        snprintf(d[n].path, sizeof d[n].path, "%s", (const char *)sqlite3_column_text(q, 0));
        d[n].old_run = sqlite3_column_int64(q, 1);
        snprintf(d[n].old_path, sizeof d[n].old_path, "%s", (const char *)sqlite3_column_text(q, 2));
        n++;
    }
    sqlite3_finalize(q);
    return n;
}

/* Deletes what an earlier run stored for one input (--replace). */
static tema_status replace_input(tema_store *s, const dup_input *d)
{
    static const char *const sql[] = {
        /* Runs write with foreign keys off (tema_store_run_begin), so the
         * comments' mentions and segments go first, by hand. */
        ("DELETE FROM mentions WHERE comment_id IN "
         "(SELECT comment_id FROM comments WHERE run_id = ?1 AND source = ?2)"),
        ("DELETE FROM segments WHERE comment_id IN "
         "(SELECT comment_id FROM comments WHERE run_id = ?1 AND source = ?2)"),
        "DELETE FROM comments WHERE run_id = ?1 AND source = ?2",
        "DELETE FROM inputs WHERE run_id = ?1 AND path = ?2",
        ("DELETE FROM runs WHERE run_id = ?1 AND NOT EXISTS "
         "(SELECT 1 FROM inputs WHERE run_id = ?1)"),
        /* Comments of a kept run changed: any summary the reports keep of
         * the base tables (meta.rollup_stamp on the reports side) is stale. */
        "DELETE FROM meta WHERE key = 'rollup_stamp'",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &q, NULL) != SQLITE_OK)
            return fail_db(s, "cannot replace an earlier run");
        if (sqlite3_bind_parameter_count(q) >= 1)
            sqlite3_bind_int64(q, 1, d->old_run);
        if (sqlite3_bind_parameter_count(q) >= 2)
            sqlite3_bind_text(q, 2, d->old_path, -1, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return fail_db(s, "cannot replace an earlier run");
    }
    return TEMA_OK;
}

/* Adds the run's rollup rows and the new stamp in the run's transaction,
 * under a savepoint: a rollup that cannot be written is left stale (the
 * first report rebuilds it) and the run is kept all the same.  --replace
 * removed comments of the runs in 'replaced': theirs are computed again. */
static void rollup_finish(tema_store *s, const int64_t *replaced, size_t n)
{
    if (!s->rollup)
        return;
    tema_status st = exec(s, "SAVEPOINT rollup", "rollup");
    if (st == TEMA_OK && s->rollup_empty)
        st = tema__store_rollup_reset(s);
    for (size_t i = 0; i < n && st == TEMA_OK; i++)
        st = tema__rollup_run_rows(s, replaced[i]);
    if (st == TEMA_OK)
        st = tema__rollup_write(s, s->rollup);
    if (st == TEMA_OK)
        st = tema__rollup_set_stamp(s);
    if (st != TEMA_OK) {
        sqlite3_exec(s->db, "ROLLBACK TO rollup", NULL, NULL, NULL);
        sqlite3_exec(s->db, "DELETE FROM meta WHERE key = 'rollup_stamp'", NULL, NULL, NULL);
    }
    sqlite3_exec(s->db, "RELEASE rollup", NULL, NULL, NULL);
    tema__rollup_free(s->rollup);
    s->rollup = NULL;
    s->errmsg[0] = '\0';
}

tema_status tema_store_run_finish(tema_store *s, const tema_run_counts *counts)
{
    if (!s || !s->in_run || !counts)
        return s ? fail(s, TEMA_ERR_MISUSE, "%s: no run open", s->path) : TEMA_ERR_MISUSE;
    if (s->deferred.len) {
        tema_status st = exec(s, s->deferred.p, "cannot build the indexes");
        s->deferred.len = 0;
        if (st != TEMA_OK)
            return fail_run(s, st);
    }
    /* Few inputs repeat; 64 at a time is plenty, and a replace loop picks
     * up the rest on the next pass. */
    dup_input d[64];
    int64_t replaced[64];  /* kept runs that lost an input: their rollup rows change */
    size_t nreplaced = 0;
    for (;;) {
        int n = find_dups(s, d, 64);
        if (n < 0)
            return fail_run(s, fail_db(s, "cannot check for inputs already stored"));
        if (n == 0)
            break;
        for (int i = 0; i < n; i++) {
            if (d[i].old_run == s->run_id)
                return fail_run(s, fail(s, TEMA_ERR_EXISTS,
                                        "%s: inputs '%s' and '%s' have the same content", s->path,
                                        d[i].path, d[i].old_path));
            if (!(s->run_flags & TEMA_RUN_REPLACE))
                return fail_run(s, fail(s, TEMA_ERR_EXISTS,
                                        "%s: input '%s' is already in the store (same content as "
                                        "'%s' of run %" PRId64 ")",
                                        s->path, d[i].path, d[i].old_path, d[i].old_run));
        }
        for (int i = 0; i < n; i++) {
            tema_status st = replace_input(s, &d[i]);
            if (st != TEMA_OK)
                return fail_run(s, st);
            size_t k = 0;
            while (k < nreplaced && replaced[k] != d[i].old_run)
                k++;
            if (k == nreplaced && nreplaced < 64)
                replaced[nreplaced++] = d[i].old_run;
            else if (k == nreplaced)
                rollup_drop(s);  /* too many to track: the first report rebuilds */
        }
    }
    char now[32];
    utc_now(now);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE runs SET finished_at = ?2, rows_read = ?3, rows_analysed = ?4, "
                           "rows_rejected = ?5, warnings = ?6 WHERE run_id = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return fail_run(s, fail_db(s, "cannot finish the run"));
    sqlite3_bind_int64(q, 1, s->run_id);
    sqlite3_bind_text(q, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)counts->rows_read);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)counts->rows_analysed);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)counts->rows_rejected);
    sqlite3_bind_int64(q, 6, (sqlite3_int64)counts->warnings);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return fail_run(s, fail_db(s, "cannot finish the run"));
    rollup_finish(s, replaced, nreplaced);
    finalize_all(s);
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail_run(s, fail_db(s, "cannot commit the run"));
    s->in_run = 0;
    sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return TEMA_OK;
}

void tema_store_run_abort(tema_store *s)
{
    if (s)
        rollback(s);
}
