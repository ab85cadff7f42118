/*
 * store-sql.c: `store-sql DB [FILE]` creates the store DB (schema included,
 * through tema_store_open) and runs the SQL in FILE or standard input on
 * it.  Tests use it to load hand-written fixtures (tests/data/store/NAME.sql)
 * without depending on the sqlite3 shell.  The whole script is read into
 * memory: fixtures are small.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store.h"
#include "tema.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: store-sql DB [FILE]\n");
        return 2;
    }
    FILE *in = argc == 3 ? fopen(argv[2], "rb") : stdin;
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    size_t len = 0, cap = 1 << 16;
    char *sql = malloc(cap);
    size_t n;
    while (sql && (n = fread(sql + len, 1, cap - len - 1, in)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *p = realloc(sql, cap * 2);
            if (!p) {
                free(sql);
                sql = NULL;
                break;
            }
            sql = p;
            cap *= 2;
        }
    }
    if (in != stdin)
        fclose(in);
    if (!sql) {
        fprintf(stderr, "store-sql: out of memory\n");
        return 1;
    }
    sql[len] = '\0';
    tema_store *s = NULL;
    tema_status st = tema_store_open(argv[1], TEMA_STORE_WRITE, &s);
    if (st == TEMA_OK)
        st = tema__store_exec(s, sql);
    if (st != TEMA_OK)
        fprintf(stderr, "store-sql: %s\n", s ? tema_store_errmsg(s) : tema_errstr(st));
    tema_store_close(s);
    free(sql);
    return st == TEMA_OK ? 0 : 1;
}
