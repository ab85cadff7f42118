/*
 * rollup.c: builds the rollup table (docs/store.md), the reports' counts
 * per run, language, month, touchpoint and theme, over all comments and per
 * segment value.  One accumulator fed one comment at a time serves both
 * `tema analyze` (the rows of the run it writes, from the rows as they are
 * stored) and the reports (the whole table again from the base tables), so
 * the two give the same rows.  report.c reads the table.
 */
#include "rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "common.h"
#include "store.h"

/* Segment rows beyond this many rows of a run (about 7 MB of
 * accumulators) are given up: every segment column of the run is left to
 * the live queries, which keeps `tema analyze` within its memory budget
 * whatever the segment columns hold.  Rows over all comments have no cap,
 * as before segments. */
#define ROWS_CAP 65536

/* One rollup row being summed: what tema__cell holds, in 32-bit counts (a
 * run of more than 4 billion comments is out of reach) and with one
 * scale's histogram in place (a run has one score column; the others, for
 * hand-made stores, go to 'xhist'), so that the rows of a big run stay in
 * cache: every comment updates a dozen of them.  Written out as a
 * tema__cell. */
typedef struct racc {
    uint32_t block;           /* index in 'blocks': segment, language, month */
    uint32_t pair;            /* index in 'pairs': touchpoint, theme */
    uint32_t mentions;        /* comments mentioning it */
    uint32_t complaints;      /* comments with a negative mention of it */
    uint32_t rows;            /* mention rows */
    uint32_t comments;        /* comments counted (tema__cell.comments) */
    uint32_t negative;        /* of those, labelled negative */
    uint32_t htype;           /* the scale of 'hist' (tema_score_type), 0 = none yet */
    uint32_t xh;              /* index + 1 in 'xhist' of the other scales, 0 = none */
    double sent_sum;          /* sum of the mention rows' sentiment */
    double csum;              /* sum of the comments' sentiment */
    double csumsq;            /* sum of its squares */
    uint32_t hist[11];        /* responses per score on scale 'htype' */
} racc;

/* Histograms of a row's scales other than its 'htype'. */
typedef struct rxhist {
    uint32_t count[TEMA_SCORE_TYPE_COUNT][11];  /* per scale and score */
} rxhist;

/* A mention row accumulator the current comment touched. */
typedef struct rtouch {
    uint32_t acc;  /* index in 'accs' */
    uint8_t neg;   /* a negative mention of it in this comment */
} rtouch;

/* The rows of one block, by pair index. */
typedef struct rblock {
    uint32_t *row;  /* pair index -> row index + 1, 0 = none yet */
    size_t len;     /* entries in 'row' */
} rblock;

/* A row is (block, pair): 'blocks' keys are the segment id (4 bytes, 0 =
 * all comments, else index in 'val_col' + 1) and "lang\x1emonth", 'pairs'
 * keys "touchpoint\x1ftheme".  Both maps are small (hundreds of entries)
 * and hot; a row is then found by direct indexing, a block's array by
 * pair, with no hashing and no key compare. */
struct tema__rollup {
    int64_t run_id;          /* the run the rows belong to */
    tema__strmap blocks;     /* segment id + "lang\x1emonth" -> block index */
    tema__strmap pairs;      /* "touchpoint\x1ftheme" -> pair index */
    uint32_t *pup;           /* per pair (T, X): index + 1 of (T, '') and of ('', X),
                                two entries; 0 = not looked up yet */
    size_t cappup;           /* pairs 'pup' has room for */
    long all_pair;           /* the pair ('', ''), -1 until known */
    rblock *bl;              /* per block: its rows by pair */
    size_t capbl;            /* blocks allocated */
    racc *accs;              /* the rows, in order of first sight */
    rxhist *xhist;           /* second scales of rows (racc.xh) */
    size_t nxh;              /* in use */
    size_t capxh;            /* allocated */
    size_t n;                /* rows in use */
    size_t cap;              /* rows allocated */
    tema__strmap cols;       /* segment column name -> column index (insertion order) */
    uint8_t *over;           /* per column: left to the live queries */
    uint32_t *nvalues;       /* per column: distinct values given ids */
    size_t capcols;          /* columns allocated */
    tema__strmap vals;       /* column index (4 bytes) + value -> segment id - 1 */
    uint32_t *val_col;       /* segment id - 1 -> column index */
    size_t capvals;          /* ids allocated */
    int no_segments;         /* ROWS_CAP was reached: every column is live */
    int open;                /* a comment is being accumulated */
    int stype;               /* its score's scale (tema_score_type), 0 for none */
    int sbin;                /* its score rounded */
    double sent;             /* its sentiment */
    int neg;                 /* it is labelled negative */
    tema__buf pre;           /* its "lang\x1emonth" */
    tema__buf ctp;           /* its touchpoint column ("" if none) */
    int col_hit;             /* it has a mention row at that touchpoint */
    uint32_t *seg;           /* its segment ids, 0 first */
    uint32_t *blk;           /* the block of each of them */
    size_t nseg;             /* in use */
    size_t capseg;           /* 'seg' allocated */
    size_t capblk;           /* 'blk' allocated */
    rtouch *cur;             /* mention accumulators it touched, distinct */
    size_t ncur;             /* in use */
    size_t capcur;           /* allocated */
    tema__buf key;           /* key being built */
};

size_t tema__cell_pack(const tema__cell *c, unsigned char *out)
{
    _Static_assert(TEMA_SCORE_TYPE_COUNT <= 8 && 33 + 88 * TEMA_SCORE_TYPE_COUNT <=
                                                      TEMA__CELL_PACKED_MAX,
                   "a packed cell holds every scale");
    _Static_assert(sizeof c->score[0].count == 88, "11 64-bit counts per scale");
    size_t n = 0;
    memcpy(out + n, &c->comments, 8), n += 8;
    memcpy(out + n, &c->negative, 8), n += 8;
    memcpy(out + n, &c->sent_sum, 8), n += 8;
    memcpy(out + n, &c->sent_sumsq, 8), n += 8;
    unsigned char mask = 0;
    size_t at = n++;
    for (int t = 0; t < TEMA_SCORE_TYPE_COUNT; t++) {
        int any = 0;
        for (int b = 0; b < 11; b++)
            any |= c->score[t].count[b] != 0;
        if (!any)
            continue;
        mask |= (unsigned char)(1u << t);
        memcpy(out + n, c->score[t].count, 88);
        n += 88;
    }
    out[at] = mask;
    return n;
}

int tema__cell_unpack(const void *p, size_t len, tema__cell *c)
{
    const unsigned char *in = p;
    if (!in || len < 33)
        return -1;
    memset(c, 0, sizeof *c);
    memcpy(&c->comments, in, 8);
    memcpy(&c->negative, in + 8, 8);
    memcpy(&c->sent_sum, in + 16, 8);
    memcpy(&c->sent_sumsq, in + 24, 8);
    unsigned mask = in[32];
    size_t n = 33;
    for (int t = 0; t < 8; t++) {
        if (!(mask & (1u << t)))
            continue;
        if (t >= TEMA_SCORE_TYPE_COUNT || len < n + 88)
            return -1;
        memcpy(c->score[t].count, in + n, 88);
        n += 88;
    }
    return n == len ? 0 : -1;
}

tema_status tema__rollup_new(int64_t run_id, tema__rollup **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return TEMA_ERR_NOMEM;
    (*out)->run_id = run_id;
    (*out)->all_pair = -1;
    tema__strmap_init(&(*out)->blocks);
    tema__strmap_init(&(*out)->pairs);
    tema__strmap_init(&(*out)->cols);
    tema__strmap_init(&(*out)->vals);
    return TEMA_OK;
}

void tema__rollup_free(tema__rollup *r)
{
    if (!r)
        return;
    tema__strmap_free(&r->blocks);
    tema__strmap_free(&r->pairs);
    tema__strmap_free(&r->cols);
    tema__strmap_free(&r->vals);
    for (size_t i = 0; i < r->capbl; i++)  /* unused entries are zeroed */
        free(r->bl[i].row);
    free(r->bl);
    free(r->pup);
    free(r->accs);
    free(r->xhist);
    free(r->over);
    free(r->nvalues);
    free(r->val_col);
    free(r->seg);
    free(r->blk);
    free(r->cur);
    tema__buf_free(&r->pre);
    tema__buf_free(&r->ctp);
    tema__buf_free(&r->key);
    free(r);
}

/* The index of 'key' in 'm', added on first sight; -1 without memory. */
static long intern(tema__strmap *m, const char *key, size_t len)
{
    tema__strmap_entry *e = tema__strmap_get(m, key, len);
    if (e)
        return (long)e->value;
    uint32_t v = (uint32_t)m->count;
    return tema__strmap_put(m, key, len, v, NULL) == TEMA_OK ? (long)v : -1;
}

/* The row (block, pair), created on first sight; -1 without memory. */
static long row_acc(tema__rollup *r, uint32_t block, long pair)
{
    if (pair < 0)
        return -1;
    rblock *b = &r->bl[block];
    if ((size_t)pair < b->len && b->row[pair])
        return (long)b->row[pair] - 1;
    if ((size_t)pair >= b->len) {
        size_t len = b->len ? b->len : 32;
        while (len <= (size_t)pair)
            len *= 2;
        uint32_t *row = realloc(b->row, len * sizeof *row);
        if (!row)
            return -1;
        memset(row + b->len, 0, (len - b->len) * sizeof *row);
        b->row = row;
        b->len = len;
    }
    if (tema__grow((void **)&r->accs, &r->cap, r->n + 1, sizeof *r->accs) != TEMA_OK)
        return -1;
    racc *a = &r->accs[r->n];
    memset(a, 0, sizeof *a);
    a->block = block;
    a->pair = (uint32_t)pair;
    b->row[pair] = (uint32_t)++r->n;
    return (long)r->n - 1;
}

/* The pair index of (touchpoint, theme); -1 without memory. */
static long pair_of(tema__rollup *r, const char *tp, size_t tplen, const char *th, size_t thlen)
{
    r->key.len = 0;
    if (tema__buf_append(&r->key, tp, tplen) != TEMA_OK ||
        tema__buf_putc(&r->key, '\x1f') != TEMA_OK ||
        tema__buf_append(&r->key, th, thlen) != TEMA_OK)
        return -1;
    return intern(&r->pairs, r->key.p, r->key.len);
}

/* Counts the current comment in row 'a'. */
static tema_status add_comment(tema__rollup *r, racc *a)
{
    a->comments++;
    a->negative += (uint32_t)r->neg;
    a->csum += r->sent;
    a->csumsq += r->sent * r->sent;
    if (r->stype <= 0)
        return TEMA_OK;
    if (!a->htype)
        a->htype = (uint32_t)r->stype;
    if (a->htype == (uint32_t)r->stype) {
        a->hist[r->sbin]++;
        return TEMA_OK;
    }
    if (!a->xh) {
        if (tema__grow((void **)&r->xhist, &r->capxh, r->nxh + 1, sizeof *r->xhist) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        memset(&r->xhist[r->nxh], 0, sizeof r->xhist[r->nxh]);
        a->xh = (uint32_t)++r->nxh;
    }
    r->xhist[a->xh - 1].count[r->stype][r->sbin]++;
    return TEMA_OK;
}

static tema_status touch(tema__rollup *r, long a, int neg)
{
    for (size_t i = 0; i < r->ncur; i++)
        if (r->cur[i].acc == (uint32_t)a) {
            r->cur[i].neg |= (uint8_t)neg;
            return TEMA_OK;
        }
    if (tema__grow((void **)&r->cur, &r->capcur, r->ncur + 1, sizeof *r->cur) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    r->cur[r->ncur].acc = (uint32_t)a;
    r->cur[r->ncur++].neg = (uint8_t)neg;
    return TEMA_OK;
}

/* The current comment is complete: each row it belongs to counts it once. */
static tema_status flush(tema__rollup *r)
{
    if (!r->open)
        return TEMA_OK;
    r->open = 0;
    if (r->all_pair < 0)
        r->all_pair = pair_of(r, "", 0, "", 0);
    long all = r->all_pair, col = -1;
    if (r->ctp.len && !r->col_hit)
        col = pair_of(r, r->ctp.p, r->ctp.len, TEMA__ROLLUP_COLUMN,
                      strlen(TEMA__ROLLUP_COLUMN));
    for (size_t i = 0; i < r->nseg; i++) {
        long a = row_acc(r, r->blk[i], all);
        if (a < 0 || add_comment(r, &r->accs[a]) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        if (r->ctp.len && !r->col_hit &&
            ((a = row_acc(r, r->blk[i], col)) < 0 || add_comment(r, &r->accs[a]) != TEMA_OK))
            return TEMA_ERR_NOMEM;
    }
    for (size_t i = 0; i < r->ncur; i++) {
        racc *a = &r->accs[r->cur[i].acc];
        a->mentions++;
        a->complaints += r->cur[i].neg;
        if (add_comment(r, a) != TEMA_OK)
            return TEMA_ERR_NOMEM;
    }
    r->ncur = 0;
    return TEMA_OK;
}

/* The segment id of a block. */
static uint32_t block_seg(const tema__rollup *r, uint32_t block)
{
    uint32_t seg;
    memcpy(&seg, tema__strmap_key(&r->blocks, &r->blocks.entries[block]), sizeof seg);
    return seg;
}

/* ROWS_CAP reached: keeps the rows over all comments only, and leaves
 * every segment column of the run to the live queries. */
static tema_status shed_segments(tema__rollup *r)
{
    /* cannot fail: it only drops rows */
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        racc *a = &r->accs[i];
        rblock *b = &r->bl[a->block];
        if (block_seg(r, a->block) == 0) {
            b->row[a->pair] = (uint32_t)n + 1;
            r->accs[n++] = *a;
        } else {
            b->row[a->pair] = 0;
        }
    }
    r->n = n;
    r->no_segments = 1;
    for (size_t c = 0; c < r->cols.count; c++)
        r->over[c] = 1;
    return TEMA_OK;
}

/* The block of segment id 'seg' for the current comment; -1 without memory. */
static long block_of(tema__rollup *r, uint32_t seg)
{
    r->key.len = 0;
    if (tema__buf_append(&r->key, &seg, sizeof seg) != TEMA_OK ||
        tema__buf_append(&r->key, r->pre.p, r->pre.len) != TEMA_OK)
        return -1;
    long b = intern(&r->blocks, r->key.p, r->key.len);
    size_t old = r->capbl;
    if (b < 0 || tema__grow((void **)&r->bl, &r->capbl, (size_t)b + 1, sizeof *r->bl) != TEMA_OK)
        return -1;
    memset(r->bl + old, 0, (r->capbl - old) * sizeof *r->bl);
    return b;
}

tema_status tema__rollup_comment_add(tema__rollup *r, const tema__rollup_comment *c)
{
    tema_status rc = flush(r);
    if (rc == TEMA_OK && r->n > ROWS_CAP && !r->no_segments)
        rc = shed_segments(r);
    if (rc != TEMA_OK)
        return rc;
    size_t mlen = c->date ? (c->date_len < 7 ? c->date_len : 7) : 0;
    r->pre.len = 0;
    r->ctp.len = 0;
    if (tema__buf_append(&r->pre, c->lang, strlen(c->lang)) != TEMA_OK ||
        tema__buf_putc(&r->pre, '\x1e') != TEMA_OK ||
        tema__buf_append(&r->pre, c->date ? c->date : "", mlen) != TEMA_OK ||
        (c->touchpoint &&
         tema__buf_append(&r->ctp, c->touchpoint, c->touchpoint_len) != TEMA_OK) ||
        tema__grow((void **)&r->seg, &r->capseg, 1, sizeof *r->seg) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    /* the bin tema__cell_add_score() would count (rounding, scale bounds) */
    tema__cell one;
    memset(&one, 0, sizeof one);
    r->stype = 0;
    r->sbin = 0;
    if (c->has_score && c->score_type)
        tema__cell_add_score(&one, tema__score_type_of(c->score_type), c->score, 1);
    for (int t = 1; t < TEMA_SCORE_TYPE_COUNT && !r->stype; t++)
        for (int b = 0; b < 11; b++)
            if (one.score[t].count[b]) {
                r->stype = t;
                r->sbin = b;
                break;
            }
    r->sent = c->sentiment;
    r->neg = c->negative != 0;
    long b = block_of(r, 0);
    if (b < 0 || tema__grow((void **)&r->blk, &r->capblk, 1, sizeof *r->blk) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    r->seg[0] = 0;
    r->blk[0] = (uint32_t)b;
    r->nseg = 1;
    r->col_hit = 0;
    r->open = 1;
    return TEMA_OK;
}

tema_status tema__rollup_segment(tema__rollup *r, const char *name, size_t name_len,
                                 const char *value, size_t value_len)
{
    if (!name_len)
        return TEMA_OK;  /* '' names the rows over all comments: such a column stays live */
    tema__strmap_entry *e = tema__strmap_get(&r->cols, name, name_len);
    uint32_t col;
    if (e) {
        col = e->value;
    } else {
        col = (uint32_t)r->cols.count;
        size_t capn = r->capcols;
        if (tema__grow((void **)&r->over, &r->capcols, col + 1, sizeof *r->over) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        if (r->capcols != capn) {
            uint32_t *nv = realloc(r->nvalues, r->capcols * sizeof *nv);
            if (!nv)
                return TEMA_ERR_NOMEM;
            r->nvalues = nv;
        }
        if (tema__strmap_put(&r->cols, name, name_len, col, NULL) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        r->over[col] = (uint8_t)r->no_segments;
        r->nvalues[col] = 0;
    }
    if (r->over[col])
        return TEMA_OK;
    r->key.len = 0;
    if (tema__buf_append(&r->key, &col, sizeof col) != TEMA_OK ||
        tema__buf_append(&r->key, value, value_len) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    uint32_t id;
    if ((e = tema__strmap_get(&r->vals, r->key.p, r->key.len)) != NULL) {
        id = e->value;
    } else if (r->nvalues[col] == TEMA__ROLLUP_MAX_VALUES) {
        r->over[col] = 1;  /* its rows so far are skipped by tema__rollup_write() */
        return TEMA_OK;
    } else {
        id = (uint32_t)r->vals.count;
        if (tema__grow((void **)&r->val_col, &r->capvals, id + 1, sizeof *r->val_col) != TEMA_OK ||
            tema__strmap_put(&r->vals, r->key.p, r->key.len, id, NULL) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        r->val_col[id] = col;
        r->nvalues[col]++;
    }
    long b = block_of(r, id + 1);
    if (b < 0)
        return TEMA_ERR_NOMEM;
    /* one value per column and comment (the segments table's key) */
    for (size_t i = 1; i < r->nseg; i++)
        if (r->val_col[r->seg[i] - 1] == col) {
            r->seg[i] = id + 1;
            r->blk[i] = (uint32_t)b;
            return TEMA_OK;
        }
    if (tema__grow((void **)&r->seg, &r->capseg, r->nseg + 1, sizeof *r->seg) != TEMA_OK ||
        tema__grow((void **)&r->blk, &r->capblk, r->nseg + 1, sizeof *r->blk) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    r->seg[r->nseg] = id + 1;
    r->blk[r->nseg++] = (uint32_t)b;
    return TEMA_OK;
}

tema_status tema__rollup_mention(tema__rollup *r, const char *touchpoint, size_t tp_len,
                                 const char *theme, size_t theme_len, int negative,
                                 double sentiment)
{
    if (!r->open)
        return TEMA_ERR_MISUSE;
    if (r->ctp.len == tp_len && memcmp(r->ctp.p, touchpoint, tp_len) == 0)
        r->col_hit = 1;
    /* the touchpoint, the theme there, the theme anywhere (drivers): the
     * last two found from the first, once per pair */
    long p[3];
    p[1] = pair_of(r, touchpoint, tp_len, theme, theme_len);
    if (p[1] < 0)
        return TEMA_ERR_NOMEM;
    size_t need = (size_t)p[1] + 1, old = r->cappup;
    if (need > r->cappup) {
        if (tema__grow((void **)&r->pup, &r->cappup, need, 2 * sizeof *r->pup) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        memset(r->pup + 2 * old, 0, 2 * (r->cappup - old) * sizeof *r->pup);
    }
    uint32_t *up = &r->pup[2 * p[1]];
    if (!up[0]) {
        p[0] = pair_of(r, touchpoint, tp_len, "", 0);
        p[2] = pair_of(r, "", 0, theme, theme_len);
        if (p[0] < 0 || p[2] < 0)
            return TEMA_ERR_NOMEM;
        up[0] = (uint32_t)p[0] + 1;
        up[1] = (uint32_t)p[2] + 1;
    }
    p[0] = (long)up[0] - 1;
    p[2] = (long)up[1] - 1;
    for (size_t i = 0; i < r->nseg; i++)
        for (int k = 0; k < 3; k++) {
            long a = row_acc(r, r->blk[i], p[k]);
            if (a < 0)
                return TEMA_ERR_NOMEM;
            r->accs[a].rows++;
            r->accs[a].sent_sum += sentiment;
            if (touch(r, a, negative != 0) != TEMA_OK)
                return TEMA_ERR_NOMEM;
        }
    return TEMA_OK;
}

/* Binds "lang\x1emonth" and "touchpoint\x1ftheme" as columns 2 to 5. */
static tema_status bind_key(tema__stmt *ins, const char *b, size_t blen, const char *p,
                            size_t plen)
{
    const char *sep1 = memchr(b, '\x1e', blen), *sep2 = memchr(p, '\x1f', plen);
    if (!sep1 || !sep2)
        return TEMA_ERR_STORE;
    size_t ml = blen - (size_t)(sep1 + 1 - b);
    tema_status rc = tema__stmt_bind_textn(ins, 2, b, (size_t)(sep1 - b));
    if (rc == TEMA_OK)
        rc = ml ? tema__stmt_bind_textn(ins, 3, sep1 + 1, ml) : tema__stmt_bind_text(ins, 3, NULL);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_textn(ins, 4, p, (size_t)(sep2 - p));
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_textn(ins, 5, sep2 + 1, plen - (size_t)(sep2 + 1 - p));
    return rc;
}

static tema_status insert_row(tema_store *s, tema__stmt *ins, const tema__rollup *r,
                              const racc *a, const char *seg, size_t seglen, const char *val,
                              size_t vallen)
{
    tema__cell cell;
    memset(&cell, 0, sizeof cell);
    for (int t = 0; a->xh && t < TEMA_SCORE_TYPE_COUNT; t++)
        for (int b = 0; b < 11; b++)
            cell.score[t].count[b] = r->xhist[a->xh - 1].count[t][b];
    for (int b = 0; a->htype && b < 11; b++)
        cell.score[a->htype].count[b] += a->hist[b];
    cell.comments = a->comments;
    cell.negative = a->negative;
    cell.sent_sum = a->csum;
    cell.sent_sumsq = a->csumsq;
    unsigned char packed[TEMA__CELL_PACKED_MAX];
    size_t plen = tema__cell_pack(&cell, packed);
    tema_status rc = tema__stmt_bind_int64(ins, 1, r->run_id);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_int64(ins, 6, (int64_t)a->mentions);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_int64(ins, 7, (int64_t)a->complaints);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_int64(ins, 8, (int64_t)a->rows);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_double(ins, 9, a->sent_sum);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_blob(ins, 10, packed, plen);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_textn(ins, 11, seg, seglen);
    if (rc == TEMA_OK)
        rc = val ? tema__stmt_bind_textn(ins, 12, val, vallen) : tema__stmt_bind_text(ins, 12, NULL);
    if (rc == TEMA_OK && (rc = tema__stmt_step(ins)) == TEMA_DONE)
        rc = TEMA_OK;
    if (rc != TEMA_OK)
        tema__store_dberr(s, rc);
    tema__stmt_reset(ins);
    return rc;
}

tema_status tema__rollup_write(tema_store *s, tema__rollup *r)
{
    tema_status rc = flush(r);
    if (rc != TEMA_OK)
        return tema__store_fail(s, rc, "rollup: out of memory");
    tema__stmt *ins = NULL;
    rc = tema__store_prepare(
        s, "INSERT INTO rollup VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins);
    for (size_t i = 0; i < r->n && rc == TEMA_OK; i++) {
        const racc *a = &r->accs[i];
        const tema__strmap_entry *be = &r->blocks.entries[a->block];
        const tema__strmap_entry *pe = &r->pairs.entries[a->pair];
        const char *bk = tema__strmap_key(&r->blocks, be);
        uint32_t seg;
        memcpy(&seg, bk, sizeof seg);
        const char *name = "", *val = "";
        size_t nlen = 0, vlen = 0;
        if (seg) {
            uint32_t col = r->val_col[seg - 1];
            if (r->over[col])
                continue;
            const tema__strmap_entry *ce = &r->cols.entries[col];
            const tema__strmap_entry *ve = &r->vals.entries[seg - 1];
            name = tema__strmap_key(&r->cols, ce);
            nlen = ce->key_len;
            val = tema__strmap_key(&r->vals, ve) + sizeof col;
            vlen = ve->key_len - sizeof col;
        }
        rc = bind_key(ins, bk + sizeof seg, be->key_len - sizeof seg,
                      tema__strmap_key(&r->pairs, pe), pe->key_len);
        if (rc == TEMA_OK)
            rc = insert_row(s, ins, r, a, name, nlen, val, vlen);
        else
            tema__store_fail(s, rc, "rollup: bad key");
    }
    /* a marker per column left live: readers see it and query live */
    racc zero;
    memset(&zero, 0, sizeof zero);
    for (size_t c = 0; c < r->cols.count && rc == TEMA_OK; c++) {
        if (!r->over[c])
            continue;
        const tema__strmap_entry *ce = &r->cols.entries[c];
        rc = tema__stmt_bind_text(ins, 2, "");
        if (rc == TEMA_OK)
            rc = tema__stmt_bind_text(ins, 3, NULL);
        if (rc == TEMA_OK)
            rc = tema__stmt_bind_text(ins, 4, "");
        if (rc == TEMA_OK)
            rc = tema__stmt_bind_text(ins, 5, TEMA__ROLLUP_LIVE);
        if (rc == TEMA_OK)
            rc = insert_row(s, ins, r, &zero, tema__strmap_key(&r->cols, ce),
                            ce->key_len, NULL, 0);
    }
    tema__stmt_finalize(ins);
    return rc;
}

/* ------------------------------------------------------------------ */
/* From the base tables                                               */
/* ------------------------------------------------------------------ */

/* Runs one statement with an optional integer parameter. */
static tema_status run_sql(tema_store *s, const char *sql, int64_t v)
{
    tema__stmt *st = NULL;
    tema_status rc = tema__store_prepare(s, sql, &st);
    if (rc == TEMA_OK && strchr(sql, '?'))
        rc = tema__stmt_bind_int64(st, 1, v);
    if (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_DONE)
        rc = TEMA_OK;
    if (rc != TEMA_OK)
        tema__store_dberr(s, rc);
    tema__stmt_finalize(st);
    return rc;
}

/* Feeds every comment of run 'run' to 'r', in comment_id order and each
 * comment's mentions in mention_id order, as `tema analyze` stored them;
 * the segments come from a second cursor in step with the first. */
static tema_status feed_run(tema_store *s, tema__rollup *r, int64_t run)
{
    tema__stmt *st = NULL, *sg = NULL;
    tema_status rc = tema__store_prepare(
        s,
        "SELECT c.comment_id, c.lang, c.date, c.touchpoint, c.score_type, c.score, "
        "c.sentiment, c.label = 'negative', m.touchpoint, m.theme, m.label = 'negative', "
        "m.sentiment FROM comments c LEFT JOIN mentions m ON m.comment_id = c.comment_id "
        "WHERE c.run_id = ?1 ORDER BY c.comment_id, m.mention_id",
        &st);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_int64(st, 1, run);
    if (rc == TEMA_OK)
        rc = tema__store_prepare(
            s,
            "SELECT g.comment_id, g.name, g.value FROM segments g WHERE g.comment_id "
            "BETWEEN (SELECT min(comment_id) FROM comments WHERE run_id = ?1) AND "
            "(SELECT max(comment_id) FROM comments WHERE run_id = ?1) ORDER BY g.comment_id",
            &sg);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_int64(sg, 1, run);
    tema_status src = rc == TEMA_OK ? tema__stmt_step(sg) : rc;
    int64_t cur = INT64_MIN;
    while (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK) {
        int64_t id = tema__stmt_int64(st, 0);
        if (id != cur) {
            cur = id;
            tema__rollup_comment c = {0};
            c.lang = tema__stmt_text(st, 1, NULL);
            if (!tema__stmt_is_null(st, 2))
                c.date = tema__stmt_text(st, 2, &c.date_len);
            if (!tema__stmt_is_null(st, 3))
                c.touchpoint = tema__stmt_text(st, 3, &c.touchpoint_len);
            if (!tema__stmt_is_null(st, 4))
                c.score_type = tema__stmt_text(st, 4, NULL);
            c.has_score = !tema__stmt_is_null(st, 5);
            c.score = tema__stmt_double(st, 5);
            c.sentiment = tema__stmt_double(st, 6);
            c.negative = tema__stmt_int64(st, 7) != 0;
            if ((rc = tema__rollup_comment_add(r, &c)) != TEMA_OK)
                break;
            while (src == TEMA_OK && tema__stmt_int64(sg, 0) < id)
                src = tema__stmt_step(sg);
            while (src == TEMA_OK && tema__stmt_int64(sg, 0) == id) {
                size_t nl, vl;
                const char *n = tema__stmt_text(sg, 1, &nl), *v = tema__stmt_text(sg, 2, &vl);
                if ((rc = tema__rollup_segment(r, n, nl, v, vl)) != TEMA_OK)
                    break;
                src = tema__stmt_step(sg);
            }
            if (rc != TEMA_OK)
                break;
            if (src != TEMA_OK && src != TEMA_DONE) {
                rc = src;
                break;
            }
        }
        if (tema__stmt_is_null(st, 9))
            continue;  /* a comment without mentions */
        size_t tpl, thl;
        const char *tp = tema__stmt_text(st, 8, &tpl), *th = tema__stmt_text(st, 9, &thl);
        rc = tema__rollup_mention(r, tp, tpl, th, thl, tema__stmt_int64(st, 10) != 0,
                                  tema__stmt_double(st, 11));
    }
    if (rc == TEMA_DONE)
        rc = TEMA_OK;
    else if (rc == TEMA_ERR_STORE)
        tema__store_dberr(s, rc);
    else if (rc != TEMA_OK)
        tema__store_fail(s, rc, "rollup: %s", tema_errstr(rc));
    tema__stmt_finalize(st);
    tema__stmt_finalize(sg);
    return rc;
}

tema_status tema__rollup_run_rows(tema_store *s, int64_t run_id)
{
    tema_status rc = run_sql(s, "DELETE FROM rollup WHERE run_id = ?", run_id);
    tema__rollup *r = NULL;
    if (rc == TEMA_OK && (rc = tema__rollup_new(run_id, &r)) != TEMA_OK)
        return tema__store_fail(s, rc, "rollup: out of memory");
    if (rc == TEMA_OK)
        rc = feed_run(s, r, run_id);
    if (rc == TEMA_OK)
        rc = tema__rollup_write(s, r);
    tema__rollup_free(r);
    return rc;
}

tema_status tema__rollup_rebuild(tema_store *s)
{
    tema_status rc = tema__store_rollup_reset(s);
    int64_t *runs = NULL;
    size_t n = 0, cap = 0;
    tema__stmt *st = NULL;
    /* comments decide, not runs: a hand-made store may lack runs rows */
    if (rc == TEMA_OK)
        rc = tema__store_prepare(s, "SELECT DISTINCT run_id FROM comments ORDER BY 1", &st);
    while (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK) {
        if (tema__grow((void **)&runs, &cap, n + 1, sizeof *runs) != TEMA_OK) {
            rc = tema__store_fail(s, TEMA_ERR_NOMEM, "rollup: out of memory");
            break;
        }
        runs[n++] = tema__stmt_int64(st, 0);
    }
    if (rc == TEMA_DONE)
        rc = TEMA_OK;
    else if (rc == TEMA_ERR_STORE)
        tema__store_dberr(s, rc);
    tema__stmt_finalize(st);
    for (size_t i = 0; i < n && rc == TEMA_OK; i++)
        rc = tema__rollup_run_rows(s, runs[i]);
    free(runs);
    if (rc == TEMA_OK)
        rc = tema__rollup_set_stamp(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The stamp                                                          */
/* ------------------------------------------------------------------ */

/* A stamp of the base tables that changes whenever a run is added or
 * removed (with its comments, ON DELETE CASCADE) or rows are appended.  It
 * reads only the small runs table and two rowid maxima: counting a million
 * rows would cost more than the whole report.  Hand edits that delete
 * comments of a kept run are not noticed: docs/store.md says to drop the
 * stamp then. */
tema_status tema__rollup_stamp(tema_store *s, char *out, size_t cap)
{
    tema__stmt *st = NULL;
    tema_status rc = tema__store_prepare(
        s,
        "SELECT (SELECT count(*) || ':' || ifnull(max(run_id), 0) || ':' || "
        "total(rows_analysed) FROM runs) || ':' || "
        "ifnull((SELECT max(comment_id) FROM comments), 0) || ':' || "
        "ifnull((SELECT max(mention_id) FROM mentions), 0)",
        &st);
    if (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_OK)
        snprintf(out, cap, "%s:%zu:%s", TEMA__ROLLUP_FORMAT, sizeof(tema__cell),
                 tema__stmt_text(st, 0, NULL));
    else if (rc != TEMA_OK)
        rc = tema__store_dberr(s, TEMA_ERR_STORE);
    tema__stmt_finalize(st);
    return rc;
}

/* A stamp without its table (DROP TABLE rollup), or with a table of
 * another layout, is no rollup. */
void tema__rollup_built(tema_store *s, char *out, size_t cap)
{
    tema__stmt *st = NULL;
    out[0] = '\0';
    if (tema__store_rollup_current(s) &&
        tema__store_prepare(s, "SELECT value FROM meta WHERE key = 'rollup_stamp'", &st) ==
            TEMA_OK &&
        tema__stmt_step(st) == TEMA_OK)
        snprintf(out, cap, "%s", tema__stmt_text(st, 0, NULL));
    tema__stmt_finalize(st);
}

tema_status tema__rollup_set_stamp(tema_store *s)
{
    char now[256];
    tema__stmt *st = NULL;
    tema_status rc = tema__rollup_stamp(s, now, sizeof now);
    if (rc == TEMA_OK)
        rc = tema__store_prepare(
            s, "INSERT OR REPLACE INTO meta(key, value) VALUES ('rollup_stamp', ?)", &st);
    if (rc == TEMA_OK)
        rc = tema__stmt_bind_text(st, 1, now);
    if (rc == TEMA_OK && (rc = tema__stmt_step(st)) == TEMA_DONE)
        rc = TEMA_OK;
    if (rc != TEMA_OK)
        tema__store_dberr(s, rc);
    tema__stmt_finalize(st);
    return rc;
}
