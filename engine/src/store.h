/*
 * store.h: the SQLite store seen from the rest of the library.  store.c is
 * the only file that includes sqlite3.h; other modules run their queries
 * through the thin statement wrapper declared here, so a change of SQLite
 * API is absorbed in one file.
 */
#ifndef TEMA_STORE_H
#define TEMA_STORE_H

#include <stdint.h>

#include "tema.h"

/* A prepared statement (an sqlite3_stmt underneath). */
typedef struct tema__stmt tema__stmt;

/* The schema version this library reads and writes (meta.schema_version). */
#define TEMA__SCHEMA_VERSION 1

/* Prepares 'sql'.  On failure '*out' is NULL and the store's message says why. */
tema_status tema__store_prepare(tema_store *store, const char *sql, tema__stmt **out);
/* Copies SQLite's last error into the store's message after a failed step;
 * returns 'status'. */
tema_status tema__store_dberr(tema_store *store, tema_status status);
/* 1 when the connection may write (TEMA_STORE_WRITE, or TEMA_STORE_CACHE on a
 * writable file). */
int tema__store_writable(tema_store *store);
/* Runs SQL without results (several statements allowed). */
tema_status tema__store_exec(tema_store *store, const char *sql);
/* Sets the store's message (printf-style); returns 'status'. */
tema_status tema__store_fail(tema_store *store, tema_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Drops the rollup table (a cache, docs/store.md) and creates it again,
 * empty, with the documented layout.  Within the caller's transaction. */
tema_status tema__store_rollup_reset(tema_store *store);
/* 1 when the rollup table exists with the layout tema__store_rollup_reset()
 * creates (not dropped by hand, not an older tema's). */
int tema__store_rollup_current(tema_store *store);

/* Binding: 'idx' is 1-based as in SQLite.  A NULL 'v' binds SQL NULL.  The
 * text is copied (SQLITE_TRANSIENT), so it need not outlive the call. */
tema_status tema__stmt_bind_text(tema__stmt *st, int idx, const char *v);
tema_status tema__stmt_bind_int64(tema__stmt *st, int idx, int64_t v);
/* Binds 'len' bytes of text (copied); no NUL needed. */
tema_status tema__stmt_bind_textn(tema__stmt *st, int idx, const char *v, size_t len);
tema_status tema__stmt_bind_double(tema__stmt *st, int idx, double v);
/* Binds 'len' bytes as a BLOB (copied). */
tema_status tema__stmt_bind_blob(tema__stmt *st, int idx, const void *p, size_t len);
/* Clears bindings and rewinds, for reuse with new values. */
void tema__stmt_reset(tema__stmt *st);
/* TEMA_OK with a row, TEMA_DONE at the end, TEMA_ERR_STORE (message on the store). */
tema_status tema__stmt_step(tema__stmt *st);
int tema__stmt_is_null(tema__stmt *st, int col);
int64_t tema__stmt_int64(tema__stmt *st, int col);
double tema__stmt_double(tema__stmt *st, int col);
/* Column text ("" for NULL); owned by SQLite until the next step or reset.
 * '*len' (may be NULL) receives its byte length. */
const char *tema__stmt_text(tema__stmt *st, int col, size_t *len);
/* Column BLOB; owned by SQLite until the next step or reset.  NULL when empty. */
const void *tema__stmt_blob(tema__stmt *st, int col, size_t *len);
/* Finalises 'st'.  Accepts NULL. */
void tema__stmt_finalize(tema__stmt *st);

#endif
