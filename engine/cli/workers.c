/*
 * workers.c: the analysis pool of `tema analyze`.  The reading thread
 * fills batches of rows; N worker threads, each with its own tema_docs
 * (sharing one word cache), analyse whole batches; the reading thread
 * collects them strictly in submission order and writes them.  Results do
 * not depend on which worker took a batch (the engine is read-only, the
 * language prior is fixed before the first batch), so any --threads gives
 * byte-identical output.  Memory is a fixed ring of batches whose buffers
 * are reused.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

enum { B_FREE, B_QUEUED, B_TAKEN, B_DONE };

/* A worker analyses its batch in runs of up to RUN_ROWS rows and RUN_BYTES
 * bytes of text (a longer row is a run of its own), each stage over the
 * whole run (tema_doc_analyze_batch_each()), as `tema score` does with its
 * lines: enough rows to keep each stage's code in the instruction cache,
 * few enough bytes to keep their tokens in the data cache. */
#define RUN_ROWS 64
#define RUN_BYTES (64u << 10)

/* One worker's state. */
typedef struct an_worker {
    struct an_pool *pool;     /* back pointer */
    tema_doc *docs[RUN_ROWS]; /* its analysis objects: docs[0] and its siblings */
    size_t ndocs;             /* of them made (the pool's run length) */
    char *fix;                /* UTF-8 repairs of the run's texts, one after the other */
    size_t fixcap;            /* bytes allocated */
    pthread_t th;             /* the thread (pools with threads only) */
} an_worker;

struct an_pool {
    an_work_opts o;         /* settings */
    size_t run;             /* rows a worker analyses together (1..RUN_ROWS) */
    int nthreads;           /* worker threads; 0 = analyse in an_pool_submit */
    size_t nw;              /* workers with a doc (nthreads, or 1) */
    an_worker *w;           /* workers (one when nthreads is 0) */
    an_batch *ring;         /* batches */
    size_t cap;             /* batches in the ring */
    uint64_t nsub;          /* batches submitted */
    uint64_t ntake;         /* batches taken by workers */
    uint64_t ncol;          /* batches collected */
    uint64_t nfill;         /* batches handed out to fill */
    int stop;               /* workers must exit */
    pthread_mutex_t mu;     /* guards the counters and batch states */
    pthread_cond_t work;    /* a batch was queued, or stop */
    pthread_cond_t done;    /* a batch was analysed */
};

an_span an_batch_put(an_batch *b, const char *p, size_t n)
{
    an_span s = {UINT32_MAX, 0};
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return s;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->data[b->len + n] = '\0';
    s.off = (uint32_t)b->len;
    s.len = (uint32_t)n;
    b->len += n + 1;
    return s;
}

void an_batch_reset(an_batch *b)
{
    b->nrows = b->len = b->nsegs = b->nments = b->reslen = 0;
    b->status = TEMA_OK;
}

void an_batch_free(an_batch *b)
{
    free(b->rows);
    free(b->data);
    free(b->segs);
    free(b->ments);
    free(b->res);
}

void *an_grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap && p)
        return p;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(p, c * size);
    if (q)
        *cap = c;
    return q;
}

static tema_status put_res(an_batch *b, const char *p, size_t n, an_span *out)
{
    char *q = an_grow(b->res, &b->rescap, b->reslen + n + 1, 1);
    if (!q)
        return TEMA_ERR_NOMEM;
    b->res = q;
    memcpy(b->res + b->reslen, p, n);
    b->res[b->reslen + n] = '\0';
    out->off = (uint32_t)b->reslen;
    out->len = (uint32_t)n;
    b->reslen += n + 1;
    return TEMA_OK;
}

/* Collects the results of 'r' from 'd', which analysed 'text' (its
 * repaired text), and stores the text, redacted unless --keep-pii. */
static tema_status collect_row(an_worker *w, an_batch *b, an_row *r, tema_doc *d,
                               const char *text, size_t len)
{
    r->lang = tema_doc_lang(d);
    r->sentiment = tema_doc_sentiment(d);
    r->label = tema_doc_label(d);
    size_t nm = tema_doc_mention_count(d);
    if (nm) {
        tema_mention *q = an_grow(b->ments, &b->capments, b->nments + nm, sizeof *b->ments);
        if (!q)
            return TEMA_ERR_NOMEM;
        b->ments = q;
    }
    r->ment_first = (uint32_t)b->nments;
    r->nment = 0;
    for (size_t i = 0; i < nm; i++)
        if (tema_doc_mention(d, i, &b->ments[b->nments]) == TEMA_OK) {
            b->nments++;
            r->nment++;
        }
    r->regex_stops = (uint32_t)tema_doc_regex_stops(d);
    if (w->pool->o.keep_pii)
        return put_res(b, text, len, &r->stored);
    const char *red;
    size_t red_len;
    tema_status st = tema_doc_redact(d, text, len, &red, &red_len);
    if (st != TEMA_OK)
        return st;
    /* now the analysis's stops plus the redaction's */
    r->regex_stops = (uint32_t)tema_doc_regex_stops(d);
    return put_res(b, red, red_len, &r->stored);
}

/* Analyses the 'n' rows of a run, each with its own options (language,
 * touchpoint).  Invalid UTF-8 is repaired first, so the stored text, the
 * --out spans and the analysis all see the same valid text. */
static tema_status analyse_run(an_worker *w, an_batch *b, an_row *rows, size_t n)
{
    const char *texts[RUN_ROWS];
    size_t lens[RUN_ROWS], fixoff[RUN_ROWS], fixlen = 0;
    tema_analyze_opts ao[RUN_ROWS];
    const an_work_opts *o = &w->pool->o;
    if (n == 0)
        return TEMA_OK; /* (analyse_batch() never asks; gcc cannot tell) */
    for (size_t j = 0; j < n; j++) {
        an_row *r = &rows[j];
        texts[j] = b->data + r->text.off;
        lens[j] = r->text.len;
        fixoff[j] = SIZE_MAX;
        r->repairs = 0;
        if (tema_utf8_invalid_count(texts[j], lens[j])) {
            char *q = an_grow(w->fix, &w->fixcap, fixlen + 3 * lens[j] + 1, 1);
            if (!q)
                return TEMA_ERR_NOMEM;
            w->fix = q;
            size_t fixed, replaced;
            tema_utf8_repair(texts[j], lens[j], w->fix + fixlen, w->fixcap - fixlen, &fixed,
                             &replaced);
            fixoff[j] = fixlen;
            lens[j] = fixed;
            fixlen += fixed;
            r->repairs = (uint32_t)replaced;
        }
        ao[j] = (tema_analyze_opts){.stage = TEMA_STAGE_ALL, .lang = r->force,
                                    .lang_prior = r->force == TEMA_LANG_UND ? o->prior : NULL};
        /* The export's touchpoint column tells the journey phase of
         * opinions that match no theme (other.before/during/after). */
        if (r->tp.off != UINT32_MAX && r->tp.len &&
            tema_touchpoint_from_alias(o->engine, b->data + r->tp.off, r->tp.len,
                                       &ao[j].touchpoint) != TEMA_OK)
            ao[j].touchpoint = NULL;
    }
    /* only now: the repair buffer may have moved while it grew */
    for (size_t j = 0; j < n; j++)
        if (fixoff[j] != SIZE_MAX)
            texts[j] = w->fix + fixoff[j];
    tema_status st = tema_doc_analyze_batch_each(w->docs, texts, lens, n, ao);
    for (size_t j = 0; j < n && st == TEMA_OK; j++)
        st = collect_row(w, b, &rows[j], w->docs[j], texts[j], lens[j]);
    return st;
}

static void analyse_batch(an_worker *w, an_batch *b)
{
    b->nments = b->reslen = 0;
    for (size_t i = 0, n; i < b->nrows && b->status == TEMA_OK; i += n) {
        size_t bytes = b->rows[i].text.len;
        for (n = 1; i + n < b->nrows && n < w->pool->run &&
                    bytes + b->rows[i + n].text.len <= RUN_BYTES;
             n++)
            bytes += b->rows[i + n].text.len;
        b->status = analyse_run(w, b, &b->rows[i], n);
    }
}

static void *worker_main(void *arg)
{
    an_worker *w = arg;
    an_pool *p = w->pool;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->ntake == p->nsub && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->ntake == p->nsub)
            break;
        an_batch *b = &p->ring[p->ntake++ % p->cap];
        b->state = B_TAKEN;
        pthread_mutex_unlock(&p->mu);
        analyse_batch(w, b);
        pthread_mutex_lock(&p->mu);
        b->state = B_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

tema_status an_pool_new(const an_work_opts *o, int nthreads, an_pool **out)
{
    *out = NULL;
    an_pool *p = calloc(1, sizeof *p);
    if (!p)
        return TEMA_ERR_NOMEM;
    p->o = *o;
    p->nthreads = nthreads < 0 ? 0 : nthreads;
    /* Two batches per worker keep every worker busy while the reading
     * thread writes; the floor leaves room for the language sample. */
    p->cap = (size_t)p->nthreads * 2 + 2;
    if (p->cap < 8)
        p->cap = 8;
    p->ring = calloc(p->cap, sizeof *p->ring);
    size_t nw = p->nthreads ? (size_t)p->nthreads : 1;
    p->nw = nw;
    p->w = calloc(nw, sizeof *p->w);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    if (!p->ring || !p->w) {
        an_pool_free(p);
        return TEMA_ERR_NOMEM;
    }
    p->run = o->run_rows && o->run_rows < RUN_ROWS ? o->run_rows : RUN_ROWS;
    for (size_t i = 0; i < nw; i++) {
        an_worker *w = &p->w[i];
        w->pool = p;
        tema_status st = tema_doc_new(o->engine, &w->docs[0]);
        for (w->ndocs = 1; st == TEMA_OK && w->ndocs < p->run; w->ndocs++)
            st = tema_doc_new_sibling(w->docs[0], &w->docs[w->ndocs]);
        if (st != TEMA_OK) {
            p->nthreads = 0;  /* none started yet */
            an_pool_free(p);
            return st;
        }
    }
    for (int i = 0; i < p->nthreads; i++)
        if (pthread_create(&p->w[i].th, NULL, worker_main, &p->w[i]) != 0) {
            /* Threads that started are joined; run with those. */
            p->nthreads = i;
            if (i == 0) {
                an_pool_free(p);
                return TEMA_ERR_NOMEM;
            }
            break;
        }
    *out = p;
    return TEMA_OK;
}

void an_pool_set_prior(an_pool *p, const double *prior)
{
    p->o.prior = prior;
}

an_batch *an_pool_free_batch(an_pool *p)
{
    if (p->nfill - p->ncol == p->cap)
        return NULL;
    an_batch *b = &p->ring[p->nfill++ % p->cap];
    an_batch_reset(b);
    b->state = B_FREE;
    return b;
}

void an_pool_submit(an_pool *p, an_batch *b)
{
    if (p->nthreads == 0) {
        analyse_batch(&p->w[0], b);
        b->state = B_DONE;
        p->nsub++;
        p->ntake++;
        return;
    }
    pthread_mutex_lock(&p->mu);
    b->state = B_QUEUED;
    p->nsub++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

size_t an_pool_pending(const an_pool *p)
{
    return (size_t)(p->nsub - p->ncol);
}

an_batch *an_pool_collect(an_pool *p)
{
    if (p->ncol == p->nsub)
        return NULL;
    an_batch *b = &p->ring[p->ncol % p->cap];
    if (p->nthreads) {
        pthread_mutex_lock(&p->mu);
        while (b->state != B_DONE)
            pthread_cond_wait(&p->done, &p->mu);
        pthread_mutex_unlock(&p->mu);
    }
    return b;
}

void an_pool_release(an_pool *p, an_batch *b)
{
    b->state = B_FREE;
    p->ncol++;
}

void an_pool_free(an_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->w[i].th, NULL);
    for (size_t i = 0; p->w && i < p->nw; i++) {
        for (size_t j = p->w[i].ndocs; j-- > 0;)  /* docs[0] last: the others share its cache */
            tema_doc_free(p->w[i].docs[j]);
        free(p->w[i].fix);
    }
    for (size_t i = 0; p->ring && i < p->cap; i++)
        an_batch_free(&p->ring[i]);
    free(p->ring);
    free(p->w);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
