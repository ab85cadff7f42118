/*
 * tsv.h: the row reader for the labelled TSV files of ../shared/corpora (a
 * header line, then one tab-separated row per line), shared by
 * tools/sentdata.h, tools/train-aspects.c and tools/eval-aspects.c.  A
 * header, not a .c file, because each .c file under tools/ is one program.
 */
#ifndef TEMA_TOOLS_TSV_H
#define TEMA_TOOLS_TSV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tsv_reader {
    FILE *f;        /* the open file */
    char *line;     /* the current row, line end stripped (owned) */
    size_t cap;     /* size of 'line' */
    int header;     /* the header line is still to be skipped */
} tsv_reader;

/* Opens 'path'; returns -1, with the reason printed, when it cannot. */
static int tsv_open(tsv_reader *t, const char *path)
{
    *t = (tsv_reader){.header = 1};
    if (!(t->f = fopen(path, "r"))) {
        perror(path);
        return -1;
    }
    return 0;
}

/* The next row with at least 'ncols' columns (shorter rows are passed
 * over): col[0..ncols-1] point at its columns, each NUL-terminated, the
 * last running to the end of the line, tabs and all.  Returns 0, or -1 at
 * the end of the file. */
static int tsv_next(tsv_reader *t, char **col, int ncols)
{
    ssize_t n;
    while ((n = getline(&t->line, &t->cap, t->f)) > 0) {
        while (n && (t->line[n - 1] == '\n' || t->line[n - 1] == '\r'))
            t->line[--n] = '\0';
        if (t->header) {
            t->header = 0;
            continue;
        }
        col[0] = t->line;
        int k = 1;
        for (char *tab; k < ncols && (tab = strchr(col[k - 1], '\t')) != NULL; k++) {
            *tab = '\0';
            col[k] = tab + 1;
        }
        if (k == ncols)
            return 0;
    }
    return -1;
}

static void tsv_close(tsv_reader *t)
{
    free(t->line);
    fclose(t->f);
}

#endif
