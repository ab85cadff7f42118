/*
 * store-query.c: runs one SQL statement on a store and prints each row as
 * tab-separated values (NULL as "NULL"), for the end-to-end tests and the
 * benchmark, which must not depend on the sqlite3 shell.  A test tool, not
 * part of the library: the library reaches SQLite only through store.c.
 *
 *   store-query DB SQL
 */
#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: store-query DB SQL\n");
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "store-query: %s: %s\n", argv[1], db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return 1;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, argv[2], -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "store-query: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(q); i++) {
            const unsigned char *v = sqlite3_column_text(q, i);
            printf("%s%s", i ? "\t" : "", v ? (const char *)v : "NULL");
        }
        putchar('\n');
    }
    int code = rc == SQLITE_DONE ? 0 : 1;
    if (code)
        fprintf(stderr, "store-query: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return code;
}
