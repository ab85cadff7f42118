/*
 * report.c: the reports read from the store: top irritants per touchpoint
 * (tema_top), NPS/CSAT/CES (tema_scores) and key drivers (tema_drivers).
 * SQL does the filtering and the comment-level sums; mention rows stream in
 * comment order so that each comment counts once per theme and touchpoint
 * however often it names them, with no allocation per row.  Statistics are
 * in aggregate.c; formatting is the CLI's business.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "common.h"
#include "rollup.h"
#include "store.h"

/* ------------------------------------------------------------------ */
/* Report memory                                                      */
/* ------------------------------------------------------------------ */

/* Every block a report hands out hangs off one list and is freed with it;
 * the blocks are few (items, strings, quotes), never one per row. */
typedef struct pool {
    void **blocks;  /* allocated blocks */
    size_t n;       /* blocks in use */
    size_t cap;     /* slots in 'blocks' */
} pool;

static void *pool_calloc(pool *p, size_t n, size_t size)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        void **b = realloc(p->blocks, cap * sizeof *b);
        if (!b)
            return NULL;
        p->blocks = b;
        p->cap = cap;
    }
    void *m = calloc(n ? n : 1, size ? size : 1);
    if (m)
        p->blocks[p->n++] = m;
    return m;
}

static char *pool_strndup(pool *p, const char *s, size_t len)
{
    char *d = pool_calloc(p, len + 1, 1);
    if (d)
        memcpy(d, s, len);
    return d;
}

static void pool_free(pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->blocks[i]);
    free(p->blocks);
    p->blocks = NULL;
    p->n = p->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Options and filters                                                */
/* ------------------------------------------------------------------ */

void tema_report_opts_init(tema_report_opts *o)
{
    memset(o, 0, sizeof *o);
    o->version = TEMA_REPORT_OPTS_VERSION;
    o->limit = 5;
    o->max_examples = 3;
    o->csat_top = 4;
    o->ces_max = 7;
}

const char *tema_score_type_name(tema_score_type type)
{
    switch (type) {
    case TEMA_SCORE_NPS: return "nps";
    case TEMA_SCORE_CSAT: return "csat";
    case TEMA_SCORE_CES: return "ces";
    default: return "";
    }
}

/* The ISO week is the week of its Thursday: "-3 days, weekday 4" moves any
 * day of a Monday-to-Sunday week to that Thursday. */
const char *tema__period_sql(tema_period period)
{
    switch (period) {
    case TEMA_PERIOD_MONTH: return "substr(c.date, 1, 7)";
    case TEMA_PERIOD_QUARTER:
        return "(substr(c.date, 1, 4) || '-Q' || ((CAST(substr(c.date, 6, 2) AS INTEGER) + 2) / 3))";
    case TEMA_PERIOD_WEEK:
        return "(strftime('%Y', c.date, '-3 days', 'weekday 4') || '-W' || "
               "printf('%02d', (CAST(strftime('%j', c.date, '-3 days', 'weekday 4') AS INTEGER)"
               " - 1) / 7 + 1))";
    default: return "NULL";
    }
}

#define MAX_BINDS 40

/* SQL text being built and the values of its '?' in order. */
typedef struct query {
    tema__buf sql;                 /* NUL-terminated after each append */
    const char *text[MAX_BINDS];   /* text value, or NULL for an integer */
    int64_t num[MAX_BINDS];        /* integer value */
    int n;                         /* values */
} query;

static tema_status q_add(query *q, const char *s)
{
    if (tema__buf_append(&q->sql, s, strlen(s) + 1) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    q->sql.len--; /* keep the NUL out of the length, so appends overwrite it */
    return TEMA_OK;
}

static tema_status q_text(query *q, const char *sql, const char *v)
{
    if (q->n == MAX_BINDS)
        return TEMA_ERR_LIMIT;
    q->text[q->n++] = v;
    return q_add(q, sql);
}

static tema_status q_int(query *q, const char *sql, int64_t v)
{
    if (q->n == MAX_BINDS)
        return TEMA_ERR_LIMIT;
    q->text[q->n] = NULL;
    q->num[q->n++] = v;
    return q_add(q, sql);
}

/* Adds the scope filters on comments 'c' as " AND ..." clauses.  A segment
 * filter is a list of comment ids, built once per query: right when the
 * query reads many comments.  'per_row' makes it a lookup per row of 'c'
 * instead (the segments key), for queries that stop after a few rows. */
static tema_status q_scope_as(query *q, const tema_report_opts *o, int per_row)
{
    tema_status st = TEMA_OK;
    if (o->run_id && st == TEMA_OK)
        st = q_int(q, " AND c.run_id = ?", o->run_id);
    if (o->lang && st == TEMA_OK)
        st = q_text(q, " AND c.lang = ?", o->lang);
    if (o->since && st == TEMA_OK)
        st = q_text(q, " AND c.date >= ?", o->since);
    if (o->until && st == TEMA_OK)
        st = q_text(q, " AND c.date <= ?", o->until);
    for (size_t i = 0; i < o->n_segments && st == TEMA_OK; i++) {
        st = q_text(q,
                    per_row ? " AND EXISTS (SELECT 1 FROM segments g WHERE g.comment_id ="
                              " c.comment_id AND g.name = ?"
                            : " AND c.comment_id IN (SELECT comment_id FROM segments"
                              " WHERE name = ?",
                    o->segments[i].name);
        if (st == TEMA_OK)
            st = q_text(q, " AND value = ?)", o->segments[i].value);
    }
    return st;
}

static tema_status q_scope(query *q, const tema_report_opts *o)
{
    return q_scope_as(q, o, 0);
}

/* Adds the row filters on mentions 'm'. */
static tema_status q_rows(query *q, const tema_report_opts *o)
{
    tema_status st = TEMA_OK;
    if (o->touchpoint)
        st = q_text(q, " AND m.touchpoint = ?", o->touchpoint);
    if (o->theme && st == TEMA_OK)
        st = q_text(q, " AND m.theme = ?", o->theme);
    return st;
}

static void q_free(query *q)
{
    tema__buf_free(&q->sql);
}

/* Prepares the query and binds its values. */
static tema_status q_prepare(tema_store *s, query *q, tema__stmt **out)
{
    tema_status st = tema__store_prepare(s, q->sql.p, out);
    for (int i = 0; i < q->n && st == TEMA_OK; i++)
        st = q->text[i] ? tema__stmt_bind_text(*out, i + 1, q->text[i])
                        : tema__stmt_bind_int64(*out, i + 1, q->num[i]);
    if (st != TEMA_OK && *out) {
        tema__store_dberr(s, st);
        tema__stmt_finalize(*out);
        *out = NULL;
    }
    return st;
}

static int is_date(const char *s)
{
    char label[16];
    return strlen(s) == 10 && tema__period_label(s, 10, TEMA_PERIOD_MONTH, label) == 0;
}

static tema_status check_opts(tema_store *s, const tema_report_opts *o)
{
    if (o->version != TEMA_REPORT_OPTS_VERSION)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "report options: unknown version %u",
                                o->version);
    if (o->since && !is_date(o->since))
        return tema__store_fail(s, TEMA_ERR_MISUSE, "bad date '%s' (use YYYY-MM-DD)", o->since);
    if (o->until && !is_date(o->until))
        return tema__store_fail(s, TEMA_ERR_MISUSE, "bad date '%s' (use YYYY-MM-DD)", o->until);
    for (size_t i = 0; i < o->n_segments; i++)
        if (!o->segments || !o->segments[i].name || !o->segments[i].value)
            return tema__store_fail(s, TEMA_ERR_MISUSE, "segment filter %zu is incomplete", i);
    if (o->n_segments > 16)
        return tema__store_fail(s, TEMA_ERR_LIMIT, "at most 16 segment filters");
    if (o->period < TEMA_PERIOD_NONE || o->period > TEMA_PERIOD_WEEK)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "unknown period");
    if (o->compare && o->period == TEMA_PERIOD_NONE)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "a comparison needs a period");
    char prev[16];
    if (o->compare && *o->compare && tema__period_prev(o->compare, o->period, prev) != 0)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "'%s' is not a period of that kind",
                                o->compare);
    if (o->ces_max != 5 && o->ces_max != 7)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "CES scale must be 1-5 or 1-7");
    if (o->csat_top < 1 || o->csat_top > 5)
        return tema__store_fail(s, TEMA_ERR_MISUSE, "CSAT top box must be 1-5");
    return TEMA_OK;
}

/* What every report starts with: 'o' gets a copy of 'opts' (NULL: the
 * defaults), checked. */
static tema_status report_opts(tema_store *store, const tema_report_opts *opts,
                               tema_report_opts *o)
{
    if (!store)
        return TEMA_ERR_MISUSE;
    if (opts)
        *o = *opts;
    else
        tema_report_opts_init(o);
    return check_opts(store, o);
}

/* ------------------------------------------------------------------ */
/* Scope: comment-level sums                                          */
/* ------------------------------------------------------------------ */

/* The comments in scope: a score cell overall and per period. */
typedef struct scope {
    tema__cell all;        /* every comment in scope */
    tema__strmap pmap;     /* period label -> index in 'pcell' (insertion order) */
    tema__cell *pcell;     /* per period */
    size_t np;             /* periods */
    uint32_t *order;       /* period indexes sorted by label */
} scope;

static void scope_free(scope *sc)
{
    tema__strmap_free(&sc->pmap);
    free(sc->pcell);
    free(sc->order);
}

/* Adds one "GROUP BY key, score_type, score" row (columns from 'col'):
 * count, negatives, sentiment sum, sentiment sum of squares. */
static void cell_add_row(tema__cell *c, tema__stmt *st, int col)
{
    uint64_t n = (uint64_t)tema__stmt_int64(st, col + 2);
    c->comments += n;
    c->negative += (uint64_t)tema__stmt_int64(st, col + 3);
    c->sent_sum += tema__stmt_double(st, col + 4);
    c->sent_sumsq += tema__stmt_double(st, col + 5);
    if (!tema__stmt_is_null(st, col) && !tema__stmt_is_null(st, col + 1))
        tema__cell_add_score(c, tema__score_type_of(tema__stmt_text(st, col, NULL)),
                             tema__stmt_double(st, col + 1), n);
}

static const char cell_cols[] =
    "c.score_type, c.score, COUNT(*), SUM(c.label = 'negative'), "
    "TOTAL(c.sentiment), TOTAL(c.sentiment * c.sentiment)";

/* Finds or adds 'key' in a map of cells; returns its index or -1 (no memory). */
static long cell_slot(tema__strmap *map, tema__cell **cells, size_t *n, const char *key,
                      size_t len)
{
    tema__strmap_entry *e = tema__strmap_get(map, key, len);
    if (e)
        return (long)e->value;
    if ((*n & (*n - 1)) == 0) { /* grow at powers of two */
        tema__cell *c = realloc(*cells, (*n ? *n * 2 : 1) * sizeof **cells);
        if (!c)
            return -1;
        *cells = c;
    }
    memset(&(*cells)[*n], 0, sizeof **cells);
    if (tema__strmap_put(map, key, len, (uint32_t)*n, NULL) != TEMA_OK)
        return -1;
    return (long)(*n)++;
}

/* Starts "SELECT key, <cell_cols> from": the rows collect_cells() reads,
 * once filters and " GROUP BY 1, 2, 3" are added. */
static tema_status q_cells(query *q, const char *key, const char *from)
{
    tema_status rc = q_add(q, "SELECT ");
    if (rc == TEMA_OK)
        rc = q_add(q, key);
    if (rc == TEMA_OK)
        rc = q_add(q, ", ");
    if (rc == TEMA_OK)
        rc = q_add(q, cell_cols);
    if (rc == TEMA_OK)
        rc = q_add(q, from);
    return rc;
}

/* Reads every row of 'st' (a key, then the cell columns): each adds to
 * 'all' when given, and to the cell of its key in 'map' and '*cells'
 * (cell_slot()) unless the key is NULL.  Returns TEMA_OK at the end of the
 * rows, TEMA_ERR_NOMEM, or the store's error (its message set). */
static tema_status collect_cells(tema_store *s, tema__stmt *st, tema__cell *all,
                                 tema__strmap *map, tema__cell **cells, size_t *n)
{
    tema_status rc;
    while ((rc = tema__stmt_step(st)) == TEMA_OK) {
        if (all)
            cell_add_row(all, st, 1);
        if (tema__stmt_is_null(st, 0))
            continue;
        size_t len;
        const char *key = tema__stmt_text(st, 0, &len);
        long i = cell_slot(map, cells, n, key, len);
        if (i < 0)
            return TEMA_ERR_NOMEM;
        cell_add_row(&(*cells)[i], st, 1);
    }
    if (rc == TEMA_DONE)
        return TEMA_OK;
    if (rc == TEMA_ERR_STORE)
        tema__store_dberr(s, rc);
    return rc;
}

/* Indexes of 'map' sorted by key (byte order, so period labels come out in
 * time order).  Insertion sort: period and group lists are dozens long. */
static uint32_t *sort_keys(const tema__strmap *map)
{
    uint32_t *o = malloc((map->count ? map->count : 1) * sizeof *o);
    if (!o)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        o[i] = (uint32_t)i;
    for (size_t i = 1; i < map->count; i++) {
        uint32_t v = o[i];
        size_t j = i;
        while (j > 0) {
            const tema__strmap_entry *x = &map->entries[o[j - 1]], *y = &map->entries[v];
            size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
            int c = memcmp(tema__strmap_key(map, x), tema__strmap_key(map, y), n);
            if (c < 0 || (c == 0 && x->key_len <= y->key_len))
                break;
            o[j] = o[j - 1];
            j--;
        }
        o[j] = v;
    }
    return o;
}

static tema_status load_scope(tema_store *s, const tema_report_opts *o, scope *sc)
{
    memset(sc, 0, sizeof *sc);
    tema__strmap_init(&sc->pmap);
    query q = {0};
    tema__stmt *st = NULL;
    tema_status rc = q_cells(&q, tema__period_sql(o->period), " FROM comments c WHERE 1");
    if (rc == TEMA_OK)
        rc = q_scope(&q, o);
    if (rc == TEMA_OK)
        rc = q_add(&q, " GROUP BY 1, 2, 3");
    if (rc == TEMA_OK)
        rc = q_prepare(s, &q, &st);
    if (rc == TEMA_OK)
        rc = collect_cells(s, st, &sc->all, &sc->pmap, &sc->pcell, &sc->np);
    tema__stmt_finalize(st);
    q_free(&q);
    if (rc == TEMA_OK && !(sc->order = sort_keys(&sc->pmap)))
        rc = TEMA_ERR_NOMEM;
    if (rc == TEMA_ERR_NOMEM || rc == TEMA_ERR_LIMIT)
        tema__store_fail(s, rc, "%s", tema_errstr(rc));
    return rc;
}

/* The most common valid scale in 'c' (ties: NPS, CSAT, CES). */
static tema_score_type main_scale(const tema__cell *c, const tema_report_opts *o)
{
    tema_score_type best = TEMA_SCORE_NONE;
    size_t best_n = 0;
    for (int t = TEMA_SCORE_NPS; t < TEMA_SCORE_TYPE_COUNT; t++) {
        tema_score_summary sm;
        tema__summarise(c, (tema_score_type)t, o, &sm);
        if (sm.n > best_n) {
            best_n = sm.n;
            best = (tema_score_type)t;
        }
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* Mention rows, one comment at a time                                */
/* ------------------------------------------------------------------ */

/* A touchpoint or theme being counted. */
typedef struct acc {
    uint32_t key;          /* entry index in the item map */
    int32_t parent;        /* the touchpoint acc of a theme acc; -1 for touchpoints */
    uint64_t mentions;     /* comments mentioning it */
    uint64_t complaints;   /* comments with a negative mention of it */
    uint64_t rows;         /* mention rows */
    double sent_sum;       /* sum of mention sentiment over 'rows' */
    tema__cell with;       /* comments mentioning it */
    uint64_t *trend;       /* per period: complaints, mentions (2 * np); NULL if none */
} acc;

/* One acc touched by the comment being read. */
typedef struct touch {
    uint32_t acc;  /* acc index */
    uint8_t neg;   /* a negative mention of it in this comment */
} touch;

typedef struct counter {
    tema__strmap map;   /* "touchpoint" or "touchpoint\x1ftheme" (or "theme") -> acc */
    acc *accs;          /* accumulators */
    size_t n;           /* in use */
    size_t cap;         /* allocated */
    touch *cur;         /* accs touched by the current comment, distinct */
    size_t ncur;        /* in use */
    size_t capcur;      /* allocated */
    size_t np;          /* periods per trend */
    tema__buf key;      /* key being built */
} counter;

static void counter_free(counter *ct)
{
    for (size_t i = 0; i < ct->n; i++)
        free(ct->accs[i].trend);
    free(ct->accs);
    free(ct->cur);
    tema__strmap_free(&ct->map);
    tema__buf_free(&ct->key);
}

/* The acc of 'key', created on first sight. */
static long counter_acc(counter *ct, const char *key, size_t len, int32_t parent)
{
    tema__strmap_entry *e = tema__strmap_get(&ct->map, key, len);
    if (e)
        return (long)e->value;
    if (ct->n == ct->cap) {
        size_t cap = ct->cap ? ct->cap * 2 : 64;
        acc *a = realloc(ct->accs, cap * sizeof *a);
        if (!a)
            return -1;
        ct->accs = a;
        ct->cap = cap;
    }
    acc *a = &ct->accs[ct->n];
    memset(a, 0, sizeof *a);
    a->parent = parent;
    if (ct->np && !(a->trend = calloc(2 * ct->np, sizeof *a->trend)))
        return -1;
    size_t idx;
    if (tema__strmap_put(&ct->map, key, len, (uint32_t)ct->n, &idx) != TEMA_OK) {
        free(a->trend);
        return -1;
    }
    a->key = (uint32_t)idx;
    return (long)ct->n++;
}

static tema_status touch_acc(counter *ct, uint32_t a, int neg)
{
    for (size_t i = 0; i < ct->ncur; i++)
        if (ct->cur[i].acc == a) {
            ct->cur[i].neg |= (uint8_t)neg;
            return TEMA_OK;
        }
    if (ct->ncur == ct->capcur) {
        size_t cap = ct->capcur ? ct->capcur * 2 : 16;
        touch *t = realloc(ct->cur, cap * sizeof *t);
        if (!t)
            return TEMA_ERR_NOMEM;
        ct->cur = t;
        ct->capcur = cap;
    }
    ct->cur[ct->ncur].acc = a;
    ct->cur[ct->ncur++].neg = (uint8_t)neg;
    return TEMA_OK;
}

/* The current comment is complete: each acc it touched counts it once. */
static void flush_comment(counter *ct, const tema__cell *one, long period)
{
    for (size_t i = 0; i < ct->ncur; i++) {
        acc *a = &ct->accs[ct->cur[i].acc];
        a->mentions++;
        a->complaints += ct->cur[i].neg;
        tema__cell_add(&a->with, one);
        if (period >= 0 && a->trend) {
            a->trend[2 * period] += ct->cur[i].neg;
            a->trend[2 * period + 1]++;
        }
    }
    ct->ncur = 0;
}

/* What count_mentions() keys its accs by. */
enum {
    BY_THEME = 0,       /* theme (tema_drivers) */
    BY_TOUCHPOINT = 1   /* touchpoint, and touchpoint + theme (tema_top) */
};

/* Streams the mention rows in scope into accs keyed as 'mode' says. */
static tema_status count_mentions(tema_store *s, const tema_report_opts *o, const scope *sc,
                                  int mode, counter *ct)
{
    int by_touchpoint = mode != BY_THEME;
    memset(ct, 0, sizeof *ct);
    tema__strmap_init(&ct->map);
    ct->np = sc->np;
    query q = {0};
    tema__stmt *st = NULL;
    tema_status rc = q_add(&q, "SELECT m.comment_id, m.touchpoint, m.theme, "
                               "m.label = 'negative', m.sentiment, ");
    if (rc == TEMA_OK)
        rc = q_add(&q, tema__period_sql(o->period));
    if (rc == TEMA_OK)
        rc = q_add(&q, ", c.score_type, c.score, c.sentiment, c.label = 'negative' "
                       "FROM mentions m JOIN comments c ON c.comment_id = m.comment_id WHERE 1");
    if (rc == TEMA_OK)
        rc = q_scope(&q, o);
    if (rc == TEMA_OK)
        rc = q_rows(&q, o);
    if (rc == TEMA_OK)
        rc = q_add(&q, " ORDER BY m.comment_id");
    if (rc == TEMA_OK)
        rc = q_prepare(s, &q, &st);
    int64_t cur_id = INT64_MIN;
    tema__cell one;
    memset(&one, 0, sizeof one);
    long period = -1;
    while (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK) {
        int64_t id = tema__stmt_int64(st, 0);
        if (id != cur_id) {
            flush_comment(ct, &one, period);
            cur_id = id;
            memset(&one, 0, sizeof one);
            one.comments = 1;
            one.negative = tema__stmt_int64(st, 9) != 0;
            double cs = tema__stmt_double(st, 8);
            one.sent_sum = cs;
            one.sent_sumsq = cs * cs;
            if (!tema__stmt_is_null(st, 6) && !tema__stmt_is_null(st, 7))
                tema__cell_add_score(&one, tema__score_type_of(tema__stmt_text(st, 6, NULL)),
                                     tema__stmt_double(st, 7), 1);
            period = -1;
            if (!tema__stmt_is_null(st, 5)) {
                size_t plen;
                const char *p = tema__stmt_text(st, 5, &plen);
                tema__strmap_entry *e = tema__strmap_get(&sc->pmap, p, plen);
                period = e ? (long)e->value : -1;
            }
        }
        size_t tplen, thlen;
        const char *tp = tema__stmt_text(st, 1, &tplen);
        const char *th = tema__stmt_text(st, 2, &thlen);
        int neg = tema__stmt_int64(st, 3) != 0;
        double sent = tema__stmt_double(st, 4);
        long a, parent = -1;
        ct->key.len = 0;
        if (by_touchpoint) {
            if (tema__buf_append(&ct->key, tp, tplen) != TEMA_OK ||
                (parent = counter_acc(ct, ct->key.p, ct->key.len, -1)) < 0 ||
                tema__buf_putc(&ct->key, '\x1f') != TEMA_OK) {
                rc = TEMA_ERR_NOMEM;
                break;
            }
            ct->accs[parent].rows++;
            ct->accs[parent].sent_sum += sent;
            if (touch_acc(ct, (uint32_t)parent, neg) != TEMA_OK) {
                rc = TEMA_ERR_NOMEM;
                break;
            }
        }
        if (tema__buf_append(&ct->key, th, thlen) != TEMA_OK ||
            (a = counter_acc(ct, ct->key.p, ct->key.len, (int32_t)parent)) < 0 ||
            touch_acc(ct, (uint32_t)a, neg) != TEMA_OK) {
            rc = TEMA_ERR_NOMEM;
            break;
        }
        ct->accs[a].rows++;
        ct->accs[a].sent_sum += sent;
    }
    if (rc == TEMA_DONE) {
        flush_comment(ct, &one, period);
        rc = TEMA_OK;
    } else if (rc == TEMA_ERR_STORE) {
        tema__store_dberr(s, rc);
    } else if (rc != TEMA_OK) {
        tema__store_fail(s, rc, "%s", tema_errstr(rc));
    }
    tema__stmt_finalize(st);
    q_free(&q);
    return rc;
}

/* The id part of an acc's key: after the separator for themes. */
static const char *acc_id(const counter *ct, const acc *a, size_t *len)
{
    const tema__strmap_entry *e = &ct->map.entries[a->key];
    const char *k = tema__strmap_key(&ct->map, e);
    const char *sep = memchr(k, '\x1f', e->key_len);
    if (!sep) {
        *len = e->key_len;
        return k;
    }
    *len = e->key_len - (size_t)(sep + 1 - k);
    return sep + 1;
}

/* ------------------------------------------------------------------ */
/* Example quotes                                                     */
/* ------------------------------------------------------------------ */

/* Quotes are negative mentions at most this positive... */
#define EX_MAX_SENTIMENT (-0.25)
/* ...in comments of this many characters: long enough to say something,
 * short enough to paste into a slide. */
#define EX_MIN_CHARS 20
#define EX_MAX_CHARS 300
/* Candidates read per irritant before giving up on finding distinct ones. */
#define EX_CANDIDATES 40
/* Word-set Jaccard similarity from which two quotes are near-duplicates. */
#define EX_DUP_JACCARD 0.6
#define EX_WORDS 64

/* The sorted distinct word hashes of 'text' (letters and digits, ASCII
 * folded to lower case; bytes >= 0x80 count as letters so å ä ö join). */
static size_t word_set(const char *text, size_t len, uint64_t *out)
{
    size_t n = 0, i = 0;
    char w[64];
    while (i < len && n < EX_WORDS) {
        size_t wl = 0;
        while (i < len) {
            unsigned char ch = (unsigned char)text[i];
            int word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch >= 0x80;
            if (!word)
                break;
            if (wl < sizeof w)
                w[wl++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            i++;
        }
        if (wl) {
            uint64_t h = tema__hash(w, wl);
            size_t j = n;
            while (j > 0 && out[j - 1] > h)
                j--;
            if (!(j > 0 && out[j - 1] == h)) {
                memmove(out + j + 1, out + j, (n - j) * sizeof *out);
                out[j] = h;
                n++;
            }
        } else {
            i++;
        }
    }
    return n;
}

static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            both++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    size_t uni = na + nb - both;
    return uni ? (double)both / (double)uni : 1.0;
}

/* Whether the stored span [start, end) can be trusted in the stored text.
 * Spans are offsets into the original comment; redaction replaces personal
 * data by tags such as "[EMAIL]" of another length, so a span is only
 * known to be right when no tag comes before it. */
static int span_ok(const char *text, size_t len, int64_t start, int64_t end)
{
    static const char *const tags[] = {"[EMAIL]", "[PHONE]", "[ID]", "[CARD]", "[IBAN]",
                                       "[NAME]"};
    if (start < 0 || end <= start || (uint64_t)end > len)
        return 0;
    if (((unsigned char)text[start] & 0xC0) == 0x80 ||
        ((size_t)end < len && ((unsigned char)text[end] & 0xC0) == 0x80))
        return 0;
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        size_t tl = strlen(tags[t]);
        for (const char *p = text; (p = memchr(p, '[', (size_t)(text + start - p))) != NULL;
             p++)
            if ((size_t)(text + len - p) >= tl && memcmp(p, tags[t], tl) == 0)
                return 0;
    }
    return 1;
}

static tema_status load_examples(tema_store *s, const tema_report_opts *o, pool *pl,
                                 const char *tp, const char *theme, tema_top_item *it)
{
    size_t want = o->max_examples < 3 ? o->max_examples : 3;
    if (want == 0)
        return TEMA_OK;
    query q = {0};
    tema__stmt *st = NULL;
    tema_status rc = q_text(&q,
                            "SELECT c.text, m.span_start, m.span_end, c.comment_id, m.sentiment "
                            "FROM mentions m JOIN comments c ON c.comment_id = m.comment_id "
                            "WHERE m.touchpoint = ?",
                            tp);
    char tail[200];
    if (rc == TEMA_OK)
        rc = q_text(&q, " AND m.theme = ?", theme);
    snprintf(tail, sizeof tail,
             " AND m.label = 'negative' AND m.sentiment <= %.2f"
             " AND length(c.text) BETWEEN %d AND %d",
             EX_MAX_SENTIMENT, EX_MIN_CHARS, EX_MAX_CHARS);
    if (rc == TEMA_OK)
        rc = q_add(&q, tail);
    if (rc == TEMA_OK)
        rc = q_scope_as(&q, o, 1);
    snprintf(tail, sizeof tail, " ORDER BY m.sentiment, m.mention_id LIMIT %d", EX_CANDIDATES);
    if (rc == TEMA_OK)
        rc = q_add(&q, tail);
    if (rc == TEMA_OK)
        rc = q_prepare(s, &q, &st);
    tema_example *ex = NULL;
    uint64_t words[3][EX_WORDS];
    size_t nwords[3];
    size_t n = 0;
    if (rc == TEMA_OK && !(ex = pool_calloc(pl, want, sizeof *ex)))
        rc = TEMA_ERR_NOMEM;
    while (rc == TEMA_OK && n < want && (rc = tema__stmt_step(st)) == TEMA_OK) {
        size_t len;
        const char *text = tema__stmt_text(st, 0, &len);
        int64_t id = tema__stmt_int64(st, 3);
        uint64_t *w = words[n];
        nwords[n] = word_set(text, len, w);
        int dup = 0;
        for (size_t i = 0; i < n && !dup; i++)
            dup = ex[i].comment_id == id || jaccard(words[i], nwords[i], w, nwords[n]) >=
                                                EX_DUP_JACCARD;
        if (dup)
            continue;
        tema_example *e = &ex[n];
        if (!(e->text = pool_strndup(pl, text, len))) {
            rc = TEMA_ERR_NOMEM;
            break;
        }
        e->len = len;
        e->comment_id = id;
        e->sentiment = tema__stmt_double(st, 4);
        int64_t a = tema__stmt_int64(st, 1), b = tema__stmt_int64(st, 2);
        if (span_ok(text, len, a, b)) {
            e->hl_start = (size_t)a;
            e->hl_end = (size_t)b;
        }
        n++;
    }
    if (rc == TEMA_DONE || rc == TEMA_OK) {
        rc = TEMA_OK;
        it->examples = ex;
        it->n_examples = n;
    } else if (rc == TEMA_ERR_STORE) {
        tema__store_dberr(s, rc);
    } else {
        tema__store_fail(s, rc, "%s", tema_errstr(rc));
    }
    tema__stmt_finalize(st);
    q_free(&q);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The rollup: the reports' counts per run, language and month        */
/* ------------------------------------------------------------------ */

/* Streaming every mention row of a million comments takes seconds; the
 * rollup table holds the same counts summed per (run, language, month,
 * touchpoint, theme), a few thousand rows, so tema_top(), tema_scores()
 * and tema_drivers() answer in milliseconds.  Each comment falls in
 * exactly one (run, language, month), so sums over rollup rows are exact
 * distinct-comment counts.  Its rows, per (run, language, month):
 *   touchpoint ''  theme ''      every comment
 *   touchpoint T   theme ''      comments with a mention row at T
 *   touchpoint T   theme X       comments with a mention row of X at T
 *   touchpoint ''  theme X       comments with a mention row of X (drivers)
 *   touchpoint T   ROLLUP_COLUMN comments whose touchpoint column is T and
 *                                that have no mention row at T: with the
 *                                second kind, tema_scores' --by touchpoint
 * all with segment = '' (every comment), and again per value V of each
 * segment column S of the run with at most TEMA__ROLLUP_MAX_VALUES values
 * (segment = S, segment_value = V: the comments with that value), so one
 * --segment filter and --by segment:S are served too.  A column with more
 * values has a ROLLUP_LIVE marker row (segment_value NULL) instead, and
 * its filters stay live for the runs in scope.  rollup.c builds it; it is
 * a cache, rebuilt whenever the stamp of the base tables changes, used
 * only for filters it can answer, and safe to drop. */

#define ROLLUP_COLUMN TEMA__ROLLUP_COLUMN

static int last_day_of_month(const char *d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = atoi(d), m = atoi(d + 5), day = atoi(d + 8);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && day == days[m - 1] + (m == 2 && leap);
}

static int rollup_serves(const tema_report_opts *o)
{
    /* an empty id would select rows of another kind (the table above) */
    return o->n_segments <= 1 && o->period != TEMA_PERIOD_WEEK &&
           (!o->touchpoint || *o->touchpoint) && (!o->theme || *o->theme) &&
           (!o->since || strcmp(o->since + 8, "01") == 0) &&
           (!o->until || last_day_of_month(o->until));
}

/* Whether segment column 'name' has rollup rows in every run in scope: no
 * run there marked it live (a run without the column has no comments
 * with it, which its missing rows say correctly). */
static int rollup_has_segment(tema_store *s, const tema_report_opts *o, const char *name)
{
    query q = {0};
    tema__stmt *st = NULL;
    int live = 1;
    tema_status rc = q_text(&q, "SELECT 1 FROM rollup r WHERE r.segment = ?", name);
    if (rc == TEMA_OK)
        rc = q_add(&q, " AND r.segment_value IS NULL AND r.theme = '" TEMA__ROLLUP_LIVE "'");
    if (rc == TEMA_OK && o->run_id)
        rc = q_int(&q, " AND r.run_id = ?", o->run_id);
    if (rc == TEMA_OK)
        rc = q_add(&q, " LIMIT 1");
    if (rc == TEMA_OK && q_prepare(s, &q, &st) == TEMA_OK)
        live = tema__stmt_step(st) != TEMA_DONE;
    tema__stmt_finalize(st);
    q_free(&q);
    return !live;
}

/* Rebuilds the rollup in one write transaction. */
static tema_status rollup_build(tema_store *s)
{
    tema_status rc = tema__store_exec(s, "BEGIN IMMEDIATE");
    if (rc != TEMA_OK)
        return rc;
    char now[256], built[256];
    /* another process may have built it while this one waited */
    rc = tema__rollup_stamp(s, now, sizeof now);
    tema__rollup_built(s, built, sizeof built);
    if (rc == TEMA_OK && strcmp(now, built) != 0)
        rc = tema__rollup_rebuild(s);
    if (rc == TEMA_OK)
        rc = tema__store_exec(s, "COMMIT");
    if (rc != TEMA_OK)
        tema__store_exec(s, "ROLLBACK");
    return rc;
}

/* Whether a report can answer from the rollup, building it when stale
 * and the store is writable.  Failing to build is not an error: the live
 * queries give the same answer, only slower.  'by_segment' is the column
 * of --by segment:COL, or NULL. */
static int rollup_ready(tema_store *s, const tema_report_opts *o, const char *by_segment)
{
    char now[256], built[256];
    if (!rollup_serves(o) || (by_segment && o->n_segments) ||
        tema__rollup_stamp(s, now, sizeof now) != TEMA_OK)
        return 0;
    tema__rollup_built(s, built, sizeof built);
    if (strcmp(now, built) != 0 && (!tema__store_writable(s) || rollup_build(s) != TEMA_OK)) {
        tema__store_fail(s, TEMA_OK, "%s", "");
        return 0;
    }
    /* '' names the rows over all comments, never a column */
    if (o->n_segments && (!*o->segments[0].name || !rollup_has_segment(s, o, o->segments[0].name)))
        return 0;
    return !by_segment || rollup_has_segment(s, o, by_segment);
}

/* The label of 'period' for rollup month 'm' ("2025-03"). */
static int month_period(const char *m, size_t len, tema_period period, char out[16])
{
    char d[16];
    if (len != 7)
        return -1;
    snprintf(d, sizeof d, "%.7s-01", m);
    return tema__period_label(d, 10, period, out);
}

/* Adds the scope filters of the rollup ('r'): whole months only, and the
 * rows of the segment filter (at most one), of every value of segment
 * column 'by_segment' unless NULL, or of every comment. */
static tema_status q_rollup_scope(query *q, const tema_report_opts *o, char since[8],
                                  char until[8], const char *by_segment)
{
    tema_status st = TEMA_OK;
    if (o->run_id)
        st = q_int(q, " AND r.run_id = ?", o->run_id);
    if (o->lang && st == TEMA_OK)
        st = q_text(q, " AND r.lang = ?", o->lang);
    if (o->since && st == TEMA_OK) {
        snprintf(since, 8, "%.7s", o->since);
        st = q_text(q, " AND r.month >= ?", since);
    }
    if (o->until && st == TEMA_OK) {
        snprintf(until, 8, "%.7s", o->until);
        st = q_text(q, " AND r.month <= ?", until);
    }
    if (st == TEMA_OK && by_segment) {
        st = q_text(q, " AND r.segment = ? AND r.segment_value IS NOT NULL", by_segment);
    } else if (st == TEMA_OK && o->n_segments) {
        st = q_text(q, " AND r.segment = ?", o->segments[0].name);
        if (st == TEMA_OK)
            st = q_text(q, " AND r.segment_value = ?", o->segments[0].value);
    } else if (st == TEMA_OK) {
        st = q_add(q, " AND r.segment = ''");
    }
    return st;
}

/* Sums the cells of the rollup rows in scope that match 'where' (and
 * 'touchpoint' unless NULL): each into 'all' when given, and when 'map' is
 * given into the cell of its group in 'map' and '*cells' (cell_slot()):
 * the label of 'period' of its month (rows without a month in none), with
 * 'by_segment' the value of that segment column, or else its touchpoint.
 * The store's message is set on failure. */
static tema_status rollup_cells(tema_store *s, const tema_report_opts *o, const char *where,
                                const char *touchpoint, tema_period period,
                                const char *by_segment, tema__cell *all, tema__strmap *map,
                                tema__cell **cells, size_t *n)
{
    char since[8], until[8], label[16];
    query q = {0};
    tema__stmt *st = NULL;
    tema_status rc =
        q_add(&q, "SELECT r.month, r.touchpoint, r.cell, r.segment_value FROM rollup r WHERE ");
    if (rc == TEMA_OK)
        rc = q_add(&q, where);
    if (rc == TEMA_OK && touchpoint)
        rc = q_text(&q, " AND r.touchpoint = ?", touchpoint);
    if (rc == TEMA_OK)
        rc = q_rollup_scope(&q, o, since, until, by_segment);
    if (rc == TEMA_OK)
        rc = q_prepare(s, &q, &st);
    while (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK) {
        tema__cell cell;
        size_t blen, mlen, tplen;
        const void *b = tema__stmt_blob(st, 2, &blen);
        const char *m = tema__stmt_text(st, 0, &mlen);
        const char *tp = tema__stmt_text(st, 1, &tplen);
        if (tema__cell_unpack(b, blen, &cell) != 0) {
            rc = tema__store_fail(s, TEMA_ERR_STORE, "rollup: bad cell");
            break;
        }
        if (all)
            tema__cell_add(all, &cell);
        if (!map)
            continue;
        if (period != TEMA_PERIOD_NONE) {
            if (month_period(m, mlen, period, label) != 0)
                continue;
            tp = label;
            tplen = strlen(label);
        } else if (by_segment) {
            tp = tema__stmt_text(st, 3, &tplen);
        }
        long i = cell_slot(map, cells, n, tp, tplen);
        if (i < 0)
            rc = TEMA_ERR_NOMEM;
        else
            tema__cell_add(&(*cells)[i], &cell);
    }
    if (rc == TEMA_DONE)
        rc = TEMA_OK;
    else if (rc == TEMA_ERR_STORE && !*tema_store_errmsg(s))
        tema__store_dberr(s, rc);
    else if (rc == TEMA_ERR_NOMEM || rc == TEMA_ERR_LIMIT)
        tema__store_fail(s, rc, "%s", tema_errstr(rc));
    tema__stmt_finalize(st);
    q_free(&q);
    return rc;
}

/* The rows of every comment in scope (see the table above). */
static const char rollup_all_rows[] = "r.touchpoint = '' AND r.theme = ''";

static tema_status rollup_load(tema_store *s, const tema_report_opts *o, scope *sc, counter *ct)
{
    memset(sc, 0, sizeof *sc);
    tema__strmap_init(&sc->pmap);
    memset(ct, 0, sizeof *ct);
    tema__strmap_init(&ct->map);
    char since[8], until[8], label[16];
    query q = {0};
    tema__stmt *st = NULL;
    tema_status rc = rollup_cells(s, o, rollup_all_rows, NULL, o->period, NULL, &sc->all,
                                  o->period != TEMA_PERIOD_NONE ? &sc->pmap : NULL, &sc->pcell,
                                  &sc->np);
    if (rc == TEMA_OK && !(sc->order = sort_keys(&sc->pmap)))
        rc = TEMA_ERR_NOMEM;
    ct->np = sc->np;
    if (rc == TEMA_OK)
        rc = q_add(&q, "SELECT r.month, r.touchpoint, r.theme, r.mentions, r.complaints, "
                       "r.mention_rows, r.sentiment_sum, r.cell FROM rollup r "
                       "WHERE r.touchpoint <> '' AND r.theme <> '" ROLLUP_COLUMN "'");
    if (rc == TEMA_OK && o->touchpoint)
        rc = q_text(&q, " AND r.touchpoint = ?", o->touchpoint);
    /* With --theme the rows are those of the theme alone, and a touchpoint
     * counts the comments mentioning the theme there: exactly the theme's
     * rows, which then fill both levels (as the live query's filter on the
     * mention rows does). */
    if (rc == TEMA_OK && o->theme)
        rc = q_text(&q, " AND r.theme = ?", o->theme);
    if (rc == TEMA_OK)
        rc = q_rollup_scope(&q, o, since, until, NULL);
    if (rc == TEMA_OK)
        rc = q_prepare(s, &q, &st);
    while (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK) {
        size_t mlen, tplen, thlen, blen;
        const char *m = tema__stmt_text(st, 0, &mlen);
        const char *tp = tema__stmt_text(st, 1, &tplen);
        const char *th = tema__stmt_text(st, 2, &thlen);
        const void *b = tema__stmt_blob(st, 7, &blen);
        long period = -1, parent = -1, a;
        tema__cell cell;
        if (tema__cell_unpack(b, blen, &cell) != 0) {
            rc = tema__store_fail(s, TEMA_ERR_STORE, "rollup: bad cell");
            break;
        }
        if (o->period != TEMA_PERIOD_NONE && month_period(m, mlen, o->period, label) == 0) {
            tema__strmap_entry *e = tema__strmap_get(&sc->pmap, label, strlen(label));
            period = e ? (long)e->value : -1;
        }
        ct->key.len = 0;
        if (tema__buf_append(&ct->key, tp, tplen) != TEMA_OK ||
            (a = parent = counter_acc(ct, ct->key.p, ct->key.len, -1)) < 0) {
            rc = TEMA_ERR_NOMEM;
            break;
        }
        if (thlen && (tema__buf_putc(&ct->key, '\x1f') != TEMA_OK ||
                      tema__buf_append(&ct->key, th, thlen) != TEMA_OK ||
                      (a = counter_acc(ct, ct->key.p, ct->key.len, (int32_t)parent)) < 0)) {
            rc = TEMA_ERR_NOMEM;
            break;
        }
        uint64_t mentions = (uint64_t)tema__stmt_int64(st, 3);
        uint64_t complaints = (uint64_t)tema__stmt_int64(st, 4);
        uint64_t rows = (uint64_t)tema__stmt_int64(st, 5);
        double sent_sum = tema__stmt_double(st, 6);
        for (int level = 0; level < (o->theme && a != parent ? 2 : 1); level++) {
            acc *x = &ct->accs[level ? parent : a];
            x->mentions += mentions;
            x->complaints += complaints;
            x->rows += rows;
            x->sent_sum += sent_sum;
            tema__cell_add(&x->with, &cell);
            if (period >= 0 && x->trend) {
                x->trend[2 * period] += complaints;
                x->trend[2 * period + 1] += mentions;
            }
        }
    }
    if (rc == TEMA_DONE)
        rc = TEMA_OK;
    else if (rc == TEMA_ERR_STORE && !*tema_store_errmsg(s))
        tema__store_dberr(s, rc);
    else if (rc == TEMA_ERR_NOMEM || rc == TEMA_ERR_LIMIT)
        tema__store_fail(s, rc, "%s", tema_errstr(rc));
    tema__stmt_finalize(st);
    q_free(&q);
    return rc;
}

/* tema_drivers' scope and theme accs from the rollup: a theme counts the
 * comments mentioning it anywhere (its touchpoint '' rows) or, with
 * --touchpoint, at that touchpoint (its rows there), as count_mentions()
 * filters the mention rows. */
static tema_status rollup_drivers(tema_store *s, const tema_report_opts *o, scope *sc,
                                  counter *ct)
{
    memset(sc, 0, sizeof *sc);
    tema__strmap_init(&sc->pmap);
    memset(ct, 0, sizeof *ct);
    tema__strmap_init(&ct->map);
    char since[8], until[8];
    query q = {0};
    tema__stmt *st = NULL;
    tema_status rc = rollup_cells(s, o, rollup_all_rows, NULL, TEMA_PERIOD_NONE, NULL, &sc->all, NULL,
                                  NULL, NULL);
    if (rc == TEMA_OK && !(sc->order = sort_keys(&sc->pmap)))
        rc = TEMA_ERR_NOMEM;
    if (rc == TEMA_OK)
        rc = q_add(&q, "SELECT r.theme, r.mentions, r.complaints, r.mention_rows, "
                       "r.sentiment_sum, r.cell FROM rollup r WHERE r.theme <> '' AND "
                       "r.theme <> '" ROLLUP_COLUMN "'");
    if (rc == TEMA_OK)
        rc = q_text(&q, " AND r.touchpoint = ?", o->touchpoint ? o->touchpoint : "");
    if (rc == TEMA_OK && o->theme)
        rc = q_text(&q, " AND r.theme = ?", o->theme);
    if (rc == TEMA_OK)
        rc = q_rollup_scope(&q, o, since, until, NULL);
    if (rc == TEMA_OK)
        rc = q_prepare(s, &q, &st);
    while (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK) {
        size_t thlen, blen;
        const char *th = tema__stmt_text(st, 0, &thlen);
        const void *b = tema__stmt_blob(st, 5, &blen);
        tema__cell cell;
        if (tema__cell_unpack(b, blen, &cell) != 0) {
            rc = tema__store_fail(s, TEMA_ERR_STORE, "rollup: bad cell");
            break;
        }
        long a = counter_acc(ct, th, thlen, -1);
        if (a < 0) {
            rc = TEMA_ERR_NOMEM;
            break;
        }
        acc *x = &ct->accs[a];
        x->mentions += (uint64_t)tema__stmt_int64(st, 1);
        x->complaints += (uint64_t)tema__stmt_int64(st, 2);
        x->rows += (uint64_t)tema__stmt_int64(st, 3);
        x->sent_sum += tema__stmt_double(st, 4);
        tema__cell_add(&x->with, &cell);
    }
    if (rc == TEMA_DONE)
        rc = TEMA_OK;
    else if (rc == TEMA_ERR_STORE && !*tema_store_errmsg(s))
        tema__store_dberr(s, rc);
    else if (rc == TEMA_ERR_NOMEM || rc == TEMA_ERR_LIMIT)
        tema__store_fail(s, rc, "%s", tema_errstr(rc));
    tema__stmt_finalize(st);
    q_free(&q);
    return rc;
}

/* ------------------------------------------------------------------ */
/* tema_top                                                           */
/* ------------------------------------------------------------------ */

struct top_state {
    tema_top_report pub;  /* what the caller sees; first, so the pointers coincide */
    pool pool;            /* every block of the report */
};

/* By complaints descending, then id ascending: output is deterministic. */
static int rank_cmp(const counter *ct, uint32_t ia, uint32_t ib)
{
    const acc *a = &ct->accs[ia], *b = &ct->accs[ib];
    if (a->complaints != b->complaints)
        return a->complaints > b->complaints ? -1 : 1;
    size_t la, lb;
    const char *xa = acc_id(ct, a, &la), *xb = acc_id(ct, b, &lb);
    size_t n = la < lb ? la : lb;
    int c = memcmp(xa, xb, n);
    return c ? c : (la > lb) - (la < lb);
}

/* Sorts acc indexes by rank (insertion sort: C11 qsort has no context
 * argument, and the lists are the touchpoints or one touchpoint's themes). */
static void rank_sort(const counter *ct, uint32_t *idx, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = idx[i];
        size_t j = i;
        while (j > 0 && rank_cmp(ct, idx[j - 1], v) > 0) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

static tema_status fill_item(tema_store *s, const tema_report_opts *o, pool *pl, const scope *sc,
                             const counter *ct, const acc *a, tema_score_type scale, long cur,
                             long prev, tema_top_item *it)
{
    size_t len;
    const char *id = acc_id(ct, a, &len);
    if (!(it->id = pool_strndup(pl, id, len)))
        return tema__store_fail(s, TEMA_ERR_NOMEM, "out of memory");
    it->complaints = (size_t)a->complaints;
    it->mentions = (size_t)a->mentions;
    it->comments = (size_t)sc->all.comments;
    it->mention_rows = (size_t)a->rows;
    it->share = it->comments ? (double)it->complaints / (double)it->comments : NAN;
    tema__wilson(it->complaints, it->comments, TEMA__Z95, &it->share_lo, &it->share_hi);
    it->sentiment = a->rows ? a->sent_sum / (double)a->rows : NAN;
    tema__cell without = sc->all;
    tema__cell_sub(&without, &a->with);
    tema__summarise(&a->with, scale, o, &it->with_score);
    tema__summarise(&without, scale, o, &it->without_score);
    if (sc->np) {
        tema_trend_point *tr = pool_calloc(pl, sc->np, sizeof *tr);
        if (!tr)
            return tema__store_fail(s, TEMA_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < sc->np; i++) {
            uint32_t p = sc->order[i];
            tr[i].complaints = (size_t)a->trend[2 * p];
            tr[i].mentions = (size_t)a->trend[2 * p + 1];
            tr[i].comments = (size_t)sc->pcell[p].comments;
        }
        it->trend = tr;
    }
    tema_trend_change *ch = &it->change;
    ch->share = ch->prev_share = ch->change = ch->z = ch->p = NAN;
    if (o->compare && cur >= 0) {
        size_t k1 = (size_t)a->trend[2 * cur], n1 = (size_t)sc->pcell[cur].comments;
        size_t k0 = prev >= 0 ? (size_t)a->trend[2 * prev] : 0;
        size_t n0 = prev >= 0 ? (size_t)sc->pcell[prev].comments : 0;
        if (n1)
            ch->share = (double)k1 / (double)n1;
        if (n0)
            ch->prev_share = (double)k0 / (double)n0;
        ch->change = ch->share - ch->prev_share;
        tema__two_prop_test(k1, n1, k0, n0, &ch->z, &ch->p);
        if (ch->p < 0.05)
            ch->flag = ch->z > 0 ? 1 : -1;
    }
    return TEMA_OK;
}

tema_status tema_top(tema_store *store, const tema_report_opts *opts, tema_top_report **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    tema_report_opts o;
    tema_status rc = report_opts(store, opts, &o);
    if (rc != TEMA_OK)
        return rc;
    opts = &o;
    struct top_state *ts = calloc(1, sizeof *ts);
    if (!ts)
        return TEMA_ERR_NOMEM;
    scope sc;
    counter ct;
    uint32_t *idx = NULL;
    if (rollup_ready(store, opts, NULL)) {
        rc = rollup_load(store, opts, &sc, &ct);
    } else {
        rc = load_scope(store, opts, &sc);
        memset(&ct, 0, sizeof ct);
        tema__strmap_init(&ct.map);
        if (rc == TEMA_OK)
            rc = count_mentions(store, opts, &sc, BY_TOUCHPOINT, &ct);
    }
    if (rc != TEMA_OK)
        goto done;
    tema_top_report *r = &ts->pub;
    pool *pl = &ts->pool;
    r->comments = (size_t)sc.all.comments;
    r->score_type = main_scale(&sc.all, opts);
    r->period = opts->period;
    const char **labels = pool_calloc(pl, sc.np, sizeof *labels);
    if (!labels)
        goto nomem;
    for (size_t i = 0; i < sc.np; i++) {
        const tema__strmap_entry *e = &sc.pmap.entries[sc.order[i]];
        if (!(labels[i] = pool_strndup(pl, tema__strmap_key(&sc.pmap, e), e->key_len)))
            goto nomem;
    }
    r->periods = labels;
    r->n_periods = sc.np;
    /* The comparison: the latest period in scope against the one before it
     * (calendar order, whether or not it has comments) or the one asked. */
    long cur = -1, prev = -1;
    if (opts->compare && sc.np) {
        char pbuf[16];
        cur = (long)sc.order[sc.np - 1];
        r->current = labels[sc.np - 1];
        if (*opts->compare)
            snprintf(pbuf, sizeof pbuf, "%s", opts->compare);
        else if (tema__period_prev(r->current, opts->period, pbuf) != 0)
            pbuf[0] = '\0';
        if (!(r->previous = pool_strndup(pl, pbuf, strlen(pbuf))))
            goto nomem;
        tema__strmap_entry *e = tema__strmap_get(&sc.pmap, pbuf, strlen(pbuf));
        prev = e ? (long)e->value : -1;
    }
    size_t min = opts->min_mentions ? opts->min_mentions : 1;
    if (!(idx = malloc((ct.n ? ct.n : 1) * sizeof *idx)))
        goto nomem;
    size_t ntp = 0;
    for (size_t i = 0; i < ct.n; i++)
        if (ct.accs[i].parent < 0 && ct.accs[i].mentions >= min)
            idx[ntp++] = (uint32_t)i;
    rank_sort(&ct, idx, ntp);
    tema_top_item *tps = pool_calloc(pl, ntp, sizeof *tps);
    if (!tps)
        goto nomem;
    r->touchpoints = tps;
    r->n_touchpoints = ntp;
    uint32_t *sub = malloc((ct.n ? ct.n : 1) * sizeof *sub);
    if (!sub)
        goto nomem;
    for (size_t t = 0; t < ntp && rc == TEMA_OK; t++) {
        rc = fill_item(store, opts, pl, &sc, &ct, &ct.accs[idx[t]], r->score_type, cur, prev,
                       &tps[t]);
        size_t nsub = 0;
        for (size_t i = 0; i < ct.n; i++)
            if (ct.accs[i].parent == (int32_t)idx[t] && ct.accs[i].complaints > 0 &&
                ct.accs[i].mentions >= min)
                sub[nsub++] = (uint32_t)i;
        rank_sort(&ct, sub, nsub);
        if (opts->limit && nsub > opts->limit)
            nsub = opts->limit;
        tema_top_item *irr = pool_calloc(pl, nsub, sizeof *irr);
        if (!irr) {
            rc = TEMA_ERR_NOMEM;
            break;
        }
        tps[t].irritants = irr;
        tps[t].n_irritants = nsub;
        for (size_t j = 0; j < nsub && rc == TEMA_OK; j++) {
            rc = fill_item(store, opts, pl, &sc, &ct, &ct.accs[sub[j]], r->score_type, cur, prev,
                           &irr[j]);
            if (rc == TEMA_OK)
                rc = load_examples(store, opts, pl, tps[t].id, irr[j].id, &irr[j]);
        }
    }
    free(sub);
    if (rc == TEMA_ERR_NOMEM)
        goto nomem;
    goto done;
nomem:
    rc = tema__store_fail(store, TEMA_ERR_NOMEM, "out of memory");
done:
    free(idx);
    counter_free(&ct);
    scope_free(&sc);
    if (rc != TEMA_OK) {
        tema_top_free(&ts->pub);
        return rc;
    }
    *out = &ts->pub;
    return TEMA_OK;
}

void tema_top_free(tema_top_report *report)
{
    if (!report)
        return;
    struct top_state *ts = (struct top_state *)(void *)report;
    pool_free(&ts->pool);
    free(ts);
}

/* ------------------------------------------------------------------ */
/* tema_scores                                                        */
/* ------------------------------------------------------------------ */

struct scores_state {
    tema_scores_report pub;  /* first, so the pointers coincide */
    pool pool;               /* every block of the report */
};

static void summarise_group(const tema__cell *c, const tema_report_opts *o, const char *key,
                            tema_scores_group *g)
{
    g->key = key;
    g->comments = (size_t)c->comments;
    tema__summarise(c, TEMA_SCORE_NPS, o, &g->nps);
    tema__summarise(c, TEMA_SCORE_CSAT, o, &g->csat);
    tema__summarise(c, TEMA_SCORE_CES, o, &g->ces);
}

tema_status tema_scores(tema_store *store, const tema_report_opts *opts,
                        tema_scores_report **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    tema_report_opts o;
    tema_status rc = report_opts(store, opts, &o);
    if (rc != TEMA_OK)
        return rc;
    if (o.by == TEMA_BY_SEGMENT && (!o.by_segment || !*o.by_segment))
        return tema__store_fail(store, TEMA_ERR_MISUSE, "grouping by segment needs its name");
    if (o.by == TEMA_BY_PERIOD && o.period == TEMA_PERIOD_NONE)
        return tema__store_fail(store, TEMA_ERR_MISUSE, "grouping by period needs a period");
    /* The overall row: the scope without periods. */
    tema_period period = o.period;
    o.period = TEMA_PERIOD_NONE;
    o.compare = NULL;
    struct scores_state *ss = calloc(1, sizeof *ss);
    if (!ss)
        return TEMA_ERR_NOMEM;
    scope sc;
    tema__strmap map;
    tema__strmap_init(&map);
    tema__cell *cells = NULL;
    size_t ncells = 0;
    uint32_t *order = NULL;
    query q = {0};
    tema__stmt *st = NULL;
    /* The rollup holds every grouping but weeks: --by touchpoint is the
     * touchpoint's mention rows plus its touchpoint-column rows, as the
     * UNION below; --by segment:COL the rows of each value of COL (when
     * the rollup has them for the runs in scope, and no segment filter). */
    const char *by_seg = o.by == TEMA_BY_SEGMENT ? o.by_segment : NULL;
    if (!(o.by == TEMA_BY_PERIOD && period == TEMA_PERIOD_WEEK) &&
        rollup_ready(store, &o, by_seg)) {
        memset(&sc, 0, sizeof sc);
        tema__strmap_init(&sc.pmap);
        int by_period = o.by == TEMA_BY_PERIOD;
        rc = rollup_cells(store, &o, rollup_all_rows, NULL, by_period ? period : TEMA_PERIOD_NONE,
                          NULL, &sc.all, by_period ? &map : NULL, &cells, &ncells);
        if (rc == TEMA_OK && o.by == TEMA_BY_TOUCHPOINT)
            rc = rollup_cells(store, &o,
                              "r.touchpoint <> '' AND r.theme IN ('', '" ROLLUP_COLUMN "')",
                              o.touchpoint, TEMA_PERIOD_NONE, NULL, NULL, &map, &cells, &ncells);
        if (rc == TEMA_OK && by_seg)
            rc = rollup_cells(store, &o, rollup_all_rows, NULL, TEMA_PERIOD_NONE, by_seg, NULL,
                              &map, &cells, &ncells);
        if (rc != TEMA_OK)
            goto done;
    } else if ((rc = load_scope(store, &o, &sc)) != TEMA_OK) {
        goto done;
    } else if (o.by != TEMA_BY_NONE) {
        if (o.by == TEMA_BY_TOUCHPOINT) {
            rc = q_cells(&q, "g.k",
                         " FROM (SELECT comment_id, touchpoint AS k FROM mentions UNION "
                         "SELECT comment_id, touchpoint FROM comments WHERE touchpoint IS "
                         "NOT NULL) g JOIN comments c ON c.comment_id = g.comment_id WHERE 1");
            if (rc == TEMA_OK && o.touchpoint)
                rc = q_text(&q, " AND g.k = ?", o.touchpoint);
        } else if (o.by == TEMA_BY_SEGMENT) {
            rc = q_cells(&q, "g.value", "");
            if (rc == TEMA_OK)
                rc = q_text(&q,
                            " FROM comments c JOIN segments g ON g.comment_id = c.comment_id "
                            "AND g.name = ? WHERE 1",
                            o.by_segment);
        } else {
            rc = q_cells(&q, tema__period_sql(period), " FROM comments c WHERE c.date IS NOT NULL");
        }
        if (rc == TEMA_OK)
            rc = q_scope(&q, &o);
        if (rc == TEMA_OK)
            rc = q_add(&q, " GROUP BY 1, 2, 3");
        if (rc == TEMA_OK)
            rc = q_prepare(store, &q, &st);
        if (rc == TEMA_OK)
            rc = collect_cells(store, st, NULL, &map, &cells, &ncells);
        if (rc != TEMA_OK && rc != TEMA_ERR_STORE)
            tema__store_fail(store, rc, "%s", tema_errstr(rc));
        if (rc != TEMA_OK)
            goto done;
    }
    if (!(order = sort_keys(&map))) {
        rc = tema__store_fail(store, TEMA_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (o.by != TEMA_BY_PERIOD) {
        /* by comments, descending; the key order of sort_keys breaks ties */
        for (size_t i = 1; i < ncells; i++) {
            uint32_t v = order[i];
            size_t j = i;
            while (j > 0 && cells[order[j - 1]].comments < cells[v].comments) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = v;
        }
    }
    tema_scores_group *g = pool_calloc(&ss->pool, ncells + 1, sizeof *g);
    if (!g) {
        rc = tema__store_fail(store, TEMA_ERR_NOMEM, "out of memory");
        goto done;
    }
    summarise_group(&sc.all, &o, "all", &g[0]);
    for (size_t i = 0; i < ncells; i++) {
        const tema__strmap_entry *e = &map.entries[order[i]];
        char *key = pool_strndup(&ss->pool, tema__strmap_key(&map, e), e->key_len);
        if (!key) {
            rc = tema__store_fail(store, TEMA_ERR_NOMEM, "out of memory");
            goto done;
        }
        summarise_group(&cells[e->value], &o, key, &g[i + 1]);
    }
    ss->pub.groups = g;
    ss->pub.n_groups = ncells + 1;
done:
    tema__stmt_finalize(st);
    q_free(&q);
    free(order);
    free(cells);
    tema__strmap_free(&map);
    scope_free(&sc);
    if (rc != TEMA_OK) {
        tema_scores_free(&ss->pub);
        return rc;
    }
    *out = &ss->pub;
    return TEMA_OK;
}

void tema_scores_free(tema_scores_report *report)
{
    if (!report)
        return;
    struct scores_state *ss = (struct scores_state *)(void *)report;
    pool_free(&ss->pool);
    free(ss);
}

/* ------------------------------------------------------------------ */
/* tema_drivers                                                       */
/* ------------------------------------------------------------------ */

struct drivers_state {
    tema_drivers_report pub;  /* first, so the pointers coincide */
    pool pool;                /* every block of the report */
};

/* Harm first: a negative impact lowers a score where higher is better
 * ('sign' -1 turns that round for CES where lower is better). */
static int driver_cmp(const tema_driver *a, const tema_driver *b, int sign)
{
    double x = sign * a->impact, y = sign * b->impact;
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (!isnan(x) && x != y)
        return x < y ? -1 : 1;
    return strcmp(a->theme, b->theme);
}

tema_status tema_drivers(tema_store *store, const tema_report_opts *opts,
                         tema_drivers_report **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    tema_report_opts o;
    tema_status rc = report_opts(store, opts, &o);
    if (rc != TEMA_OK)
        return rc;
    if (o.metric < TEMA_METRIC_NPS || o.metric > TEMA_METRIC_SENTIMENT)
        return tema__store_fail(store, TEMA_ERR_MISUSE, "unknown metric");
    o.period = TEMA_PERIOD_NONE;
    o.compare = NULL;
    struct drivers_state *ds = calloc(1, sizeof *ds);
    if (!ds)
        return TEMA_ERR_NOMEM;
    scope sc;
    counter ct;
    memset(&ct, 0, sizeof ct);
    tema__strmap_init(&ct.map);
    if (rollup_ready(store, &o, NULL)) {
        rc = rollup_drivers(store, &o, &sc, &ct);
    } else {
        rc = load_scope(store, &o, &sc);
        if (rc == TEMA_OK)
            rc = count_mentions(store, &o, &sc, BY_THEME, &ct);
    }
    if (rc != TEMA_OK)
        goto done;
    double n_all, mean_all, var_all, bad_all;
    tema__metric_stats(&sc.all, o.metric, &o, &n_all, &mean_all, &var_all, &bad_all);
    ds->pub.metric = o.metric;
    ds->pub.n = (size_t)n_all;
    ds->pub.score = mean_all;
    size_t min = o.min_mentions ? o.min_mentions : 10;
    tema_driver *d = pool_calloc(&ds->pool, ct.n, sizeof *d);
    if (!d) {
        rc = tema__store_fail(store, TEMA_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t nd = 0;
    for (size_t i = 0; i < ct.n; i++) {
        const acc *a = &ct.accs[i];
        if (a->mentions < min)
            continue;
        double n, mean, var, bad, n0, mean0, var0, bad0;
        tema__cell without = sc.all;
        tema__cell_sub(&without, &a->with);
        tema__metric_stats(&a->with, o.metric, &o, &n, &mean, &var, &bad);
        tema__metric_stats(&without, o.metric, &o, &n0, &mean0, &var0, &bad0);
        if (n < 1)
            continue;
        tema_driver *x = &d[nd++];
        size_t len;
        const char *id = acc_id(&ct, a, &len);
        if (!(x->theme = pool_strndup(&ds->pool, id, len))) {
            rc = tema__store_fail(store, TEMA_ERR_NOMEM, "out of memory");
            goto done;
        }
        x->n = (size_t)n;
        x->score = mean;
        x->score_without = n0 > 0 ? mean0 : NAN;
        x->impact = n_all > n ? n * (mean - mean_all) / (n_all - n) : NAN;
        x->detractors = (size_t)bad;
        x->detractor_share = bad_all > 0 ? bad / bad_all : NAN;
        tema__welch_test(n, mean, var, n0, mean0, var0, &x->t, &x->p);
    }
    int harm_sign = (o.metric == TEMA_METRIC_CES && o.ces_lower_better &&
                 o.ces_formula == TEMA_CES_MEAN) ? -1 : 1;
    for (size_t i = 1; i < nd; i++) {
        tema_driver v = d[i];
        size_t j = i;
        while (j > 0 && driver_cmp(&d[j - 1], &v, harm_sign) > 0) {
            d[j] = d[j - 1];
            j--;
        }
        d[j] = v;
    }
    ds->pub.drivers = d;
    ds->pub.n_drivers = nd;
done:
    counter_free(&ct);
    scope_free(&sc);
    if (rc != TEMA_OK) {
        tema_drivers_free(&ds->pub);
        return rc;
    }
    *out = &ds->pub;
    return TEMA_OK;
}

void tema_drivers_free(tema_drivers_report *report)
{
    if (!report)
        return;
    struct drivers_state *ds = (struct drivers_state *)(void *)report;
    pool_free(&ds->pool);
    free(ds);
}
