/*
 * rollup.h: building the rollup table, the reports' summary of the store
 * (docs/store.md).  The same accumulator serves `tema analyze`, which adds
 * the rows of the run it writes, and the reports, which rebuild the table
 * from the base tables when it is stale; report.c reads it.
 */
#ifndef TEMA_ROLLUP_H
#define TEMA_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "tema.h"

/* Names the rollup's layout and the tema__cell blob: part of the stamp, so
 * a rollup an older tema built is rebuilt.  rollup-3: segment rows. */
#define TEMA__ROLLUP_FORMAT "rollup-3"

/* The theme of the touchpoint-column rows: no theme id can be it
 * (taxonomy ids are lower-case letters, digits, '_' and '.'). */
#define TEMA__ROLLUP_COLUMN "#column"

/* The theme of a marker row: this segment column of this run has more
 * than TEMA__ROLLUP_MAX_VALUES values and is left to the live queries. */
#define TEMA__ROLLUP_LIVE "#live"

/* Segment columns with at most this many distinct values in a run get
 * rollup rows per value; above it their filters stay live queries. */
#define TEMA__ROLLUP_MAX_VALUES 100

struct tema__cell;

/* The rollup's cell BLOB: a tema__cell without its empty histograms (most
 * rows have one scale or none): counts and sums, a byte of the scales
 * present, then each one's 11 counts, in this machine's layout.  A third of
 * the bytes of the whole cell, in the table and in every report's read. */
#define TEMA__CELL_PACKED_MAX (33 + 88 * 4)
/* Packs 'c' into 'out' (TEMA__CELL_PACKED_MAX bytes); returns the length. */
size_t tema__cell_pack(const struct tema__cell *c, unsigned char *out);
/* Unpacks 'len' bytes at 'p' into '*c'.  0, or -1 when they are no cell. */
int tema__cell_unpack(const void *p, size_t len, struct tema__cell *c);

/* Rollup rows of one run being accumulated. */
typedef struct tema__rollup tema__rollup;

/* One comment as it is stored (the comments row). */
typedef struct tema__rollup_comment {
    const char *lang;        /* language code, NUL-terminated */
    const char *date;        /* ISO date, or NULL */
    size_t date_len;         /* bytes of 'date' */
    const char *touchpoint;  /* the mapped touchpoint column, or NULL */
    size_t touchpoint_len;   /* bytes of 'touchpoint' */
    const char *score_type;  /* "nps", "csat", "ces", or NULL for none */
    int has_score;           /* 'score' is set */
    double score;            /* the score column */
    double sentiment;        /* comment sentiment */
    int negative;            /* labelled negative */
} tema__rollup_comment;

/* A new accumulator for the rows of run 'run_id'. */
tema_status tema__rollup_new(int64_t run_id, tema__rollup **out);
/* Accepts NULL. */
void tema__rollup_free(tema__rollup *r);

/* Starts the next comment (in comment_id order); then come its segments,
 * then its mention rows.  Texts are not retained after the call. */
tema_status tema__rollup_comment_add(tema__rollup *r, const tema__rollup_comment *c);
tema_status tema__rollup_segment(tema__rollup *r, const char *name, size_t name_len,
                                 const char *value, size_t value_len);
tema_status tema__rollup_mention(tema__rollup *r, const char *touchpoint, size_t tp_len,
                                 const char *theme, size_t theme_len, int negative,
                                 double sentiment);

/* Inserts the accumulated rows into the rollup table (the caller holds the
 * write transaction).  The store's message says why on failure. */
tema_status tema__rollup_write(tema_store *s, tema__rollup *r);

/* Deletes run 'run_id''s rollup rows and, when the run still has comments,
 * computes them again from the base tables (--replace of one of its inputs).
 * Within the caller's write transaction. */
tema_status tema__rollup_run_rows(tema_store *s, int64_t run_id);

/* Rebuilds the whole table from the base tables and records the stamp,
 * within the caller's write transaction. */
tema_status tema__rollup_rebuild(tema_store *s);

/* The stamp of the base tables now ("rollup-3:...", see rollup.c). */
tema_status tema__rollup_stamp(tema_store *s, char *out, size_t cap);
/* The stamp the rollup was built for; "" when none or the table is gone. */
void tema__rollup_built(tema_store *s, char *out, size_t cap);
/* Records the current stamp as the rollup's. */
tema_status tema__rollup_set_stamp(tema_store *s);

#endif
