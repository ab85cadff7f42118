/*
 * analyze.h: what the parts of `tema analyze` share: the batches that carry
 * rows from the reading thread to the analysis workers and back to the
 * writer (workers.c), and the column guessing (columns.c).  Private to the
 * command.
 */
#ifndef TEMA_CLI_ANALYZE_H
#define TEMA_CLI_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tema.h"

/* A batch closes at this many rows or bytes of field data, whichever comes
 * first: large enough that the queue lock is rare, small enough that the
 * in-flight batches stay a few MB. */
#define AN_BATCH_ROWS 512
#define AN_BATCH_BYTES (512u * 1024u)

/* A byte range in a batch's 'data'. */
typedef struct an_span {
    uint32_t off;  /* offset in the batch buffer */
    uint32_t len;  /* bytes */
} an_span;

/* One row to analyse, then its results. */
typedef struct an_row {
    uint32_t src;          /* input file index */
    uint64_t line;         /* physical line where the record starts */
    uint64_t rowno;        /* 1-based record number in its file (the id when no id column) */
    an_span text;          /* the comment */
    an_span id;            /* id column value (len 0 and off UINT32_MAX: none) */
    an_span tp;            /* touchpoint column value (off UINT32_MAX: none) */
    uint32_t seg_first;    /* first of the batch's 'segs' for this row */
    char date[11];         /* YYYY-MM-DD, or "" when missing or unparseable */
    bool has_score;        /* 'score' holds a value */
    double score;          /* the score column, validated */
    tema_lang force;       /* language from --lang or --lang-column, UND to detect */
    /* Results, filled by the worker: */
    tema_lang lang;        /* language */
    double sentiment;      /* comment sentiment */
    tema_label label;      /* its label */
    uint32_t ment_first;   /* first of the batch's 'ments' */
    uint32_t nment;        /* mentions of this row */
    an_span stored;        /* text to store (redacted unless --keep-pii), in 'res' */
    uint32_t repairs;      /* invalid UTF-8 sequences repaired in the text */
    uint32_t regex_stops;  /* regex searches stopped by the PCRE2 limits (rule skipped) */
} an_row;

/* A batch of rows, reused from batch to batch (buffers keep their size). */
typedef struct an_batch {
    an_row *rows;          /* rows */
    size_t nrows, caprows; /* in use, allocated */
    char *data;            /* field bytes of every row */
    size_t len, cap;       /* in use, allocated */
    an_span *segs;         /* segment values, 'nseg' per row */
    size_t nsegs, capsegs; /* in use, allocated */
    tema_mention *ments;   /* theme mentions of every row */
    size_t nments, capments; /* in use, allocated */
    char *res;             /* stored texts */
    size_t reslen, rescap; /* in use, allocated */
    int state;             /* workers.c: free, queued, taken, done */
    tema_status status;    /* TEMA_OK, or why the analysis failed */
} an_batch;

/* Settings the workers need. */
typedef struct an_work_opts {
    const tema_engine *engine;  /* shared, read-only */
    bool keep_pii;              /* store the text unredacted */
    const double *prior;        /* language prior, or NULL */
    size_t run_rows;            /* rows a worker analyses stage by stage together; 0 for
                                   the default (workers.c), 1 for one at a time */
} an_work_opts;

/* Grows the array 'p' of 'size'-byte items to hold 'need' (doubling);
 * returns the new array and updates '*cap', or NULL on failure ('p' is then
 * still valid). */
void *an_grow(void *p, size_t *cap, size_t need, size_t size);
/* Appends 'n' bytes to the batch data; returns the span, or a span with
 * off UINT32_MAX on allocation failure. */
an_span an_batch_put(an_batch *b, const char *p, size_t n);
/* Empties 'b' for reuse. */
void an_batch_reset(an_batch *b);
void an_batch_free(an_batch *b);

/* The analysis pool: 'nthreads' workers (0: analyse on the calling thread
 * at submit time).  Batches come back in submission order. */
typedef struct an_pool an_pool;
tema_status an_pool_new(const an_work_opts *o, int nthreads, an_pool **out);
/* The prior is fixed once the first sample is seen: set it before the
 * first submit. */
void an_pool_set_prior(an_pool *p, const double *prior);
/* A batch to fill, or NULL when the oldest must be collected first. */
an_batch *an_pool_free_batch(an_pool *p);
/* Queues the batch that an_pool_free_batch() returned. */
void an_pool_submit(an_pool *p, an_batch *b);
/* Batches queued and not yet collected. */
size_t an_pool_pending(const an_pool *p);
/* Waits for the oldest queued batch and returns it (NULL when none); the
 * caller hands it back with an_pool_release() after writing it. */
an_batch *an_pool_collect(an_pool *p);
void an_pool_release(an_pool *p, an_batch *b);
/* Stops the workers and frees everything.  Accepts NULL. */
void an_pool_free(an_pool *p);

/* Column guessing (columns.c). */

/* The column whose header names a comment ("comment", "kommentar",
 * "fritekst", ...) in any of the four languages, or -1. */
long an_guess_text_column_by_name(const tema_reader *r);
/* The first of 'n' question texts (a survey tool's question row; NULL
 * entries skipped) that asks for free text by the header-name rules or by
 * the phrasing of open questions ("What could we do better?", "Vad kan vi
 * göra bättre?"), or -1. */
long an_guess_text_column_by_question(const char *const *questions, size_t n);
/* N for a column given by position, "#N" (1-based; 0 for "#0", LONG_MAX
 * when too large), or -1 when 'name' is a name. */
long an_column_position(const char *name);
/* How many columns have the name of column 'col', ignoring ASCII case (1
 * when it is unique); '*first' (may be NULL) gets the first of them. */
size_t an_same_name_columns(const tema_reader *r, size_t col, size_t *first);
/* The score type named by a column header ("NPS", "csat_score",
 * "Customer effort"), or NULL. */
const char *an_guess_score_type(const char *column_name);

#endif
