/*
 * mention_model.c: the learned polarity of theme mentions.  A taxonomy may
 * declare a model (`model: models/aspects-restaurant.bin`); it is a
 * multinomial logistic regression over the context of one mention: the
 * rule-based mention and clause scores, the opinion units of the comment
 * bucketed by distance to the mention and by whether a contrast word, a
 * clause boundary or another aspect lies between, and hashed stems around
 * the mention by relative position, some crossed with the mention's
 * category (stem bigrams were tried and lost accuracy in cross-validation:
 * models/README.md).  Which aspect a word belongs to is the hard part of
 * sentences with several aspects ("great pasta, slow waiter"), so most
 * features say whether a word is nearer to this mention than to any other.
 * Scoring reads only what the doc already holds; no allocation.
 */
#include "mention_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lexicon.h"
#include "taxonomy.h"

#define MAGIC "TEMAMNT1"
#define END_MARK "END1"
#define MAX_BUCKETS (1u << 22)

struct tema__mentmodel {
    uint32_t nbuckets;   /* hashed feature buckets (power of two) */
    uint32_t lang;       /* tema_lang the model was trained for */
    float bias[TEMA__SM_CLASSES];  /* calibration added to the logits (cross-validated) */
    float dense[TEMA__MM_DENSE * TEMA__SM_CLASSES]; /* dense weights */
    float scale;         /* hashed weight = q x scale */
    uint8_t *known;      /* per theme of the taxonomy: 1 when its top-level id is one of the
                            model's categories; only those mentions are relabelled, so a
                            taxonomy loaded on top of another leaves the other's themes alone */
    int8_t *q;           /* nbuckets x 4 quantised hashed weights (3 classes + padding, as
                            in model.c: 4 aligned bytes a bucket) */
};

/* ---- features ---------------------------------------------------------- */

/* Salts that keep the kinds of hashed feature apart. */
enum {
    F_POS = 1,  /* stem x side x distance bucket */
    F_OWN,      /* stem x who is nearer */
    F_BAR,      /* stem x barrier between x aspect between */
    F_CAT,      /* stem x category, near and unblocked */
    F_NEG,      /* negated stem x who is nearer */
    F_SELF,     /* the mention's own words */
    F_SELFCAT,  /* the mention's own words x category */
    F_CATB,     /* category bias */
    F_CATRULE,  /* category x rule label */
    F_UNIT,     /* opinion unit: sign x distance x nearer x barrier */
    F_UNITCAT   /* opinion unit sign x nearer x category */
};
#define NEG_REACH 3  /* a word within 3 tokens after a negator is negated */

static inline uint32_t bucket(uint64_t h, uint32_t nbuckets)
{
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return (uint32_t)(h >> 32) & (nbuckets - 1);
}

/* Mixes small integers into a hash (feature kind, buckets, flags). */
static inline uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static inline float squash(float x)
{
    return x > 3.0f ? 3.0f : x < -3.0f ? -3.0f : x;
}

/* Distance bucket: touching, 2-3, 4-6, 7-10, further. */
static inline unsigned dist_bucket(uint32_t g)
{
    return g <= 1 ? 0 : g <= 3 ? 1 : g <= 6 ? 2 : g <= 10 ? 3 : 4;
}

/* The top-level theme id's hash: the category, independent of which
 * sub-theme matched and of the theme's index. */
static uint64_t category(const tema__taxonomy *t, int32_t th)
{
    while (t->themes[th].parent >= 0)
        th = t->themes[th].parent;
    return tema__hash(t->themes[th].id, strlen(t->themes[th].id));
}

/* The last token of a mention (it ends at byte 'end'). */
static uint32_t last_token(const tema_doc *d, const tema__mention *m)
{
    uint32_t i = m->tok;
    while (i + 1 < d->toks.n && d->toks.v[i + 1].end <= m->end)
        i++;
    return i;
}

static inline uint32_t span_gap(uint32_t i, uint32_t a, uint32_t b)
{
    return i < a ? a - i : i > b ? i - b : 0;
}

/* The hash of token 'i' as a feature word (stem, number class), or 0 for
 * tokens that say nothing by themselves. */
static uint64_t tok_hash(const tema_doc *d, size_t i, uint64_t *cls)
{
    const tema__token *t = &d->toks.v[i];
    *cls = 0;
    switch (t->type) {
    case TEMA_TOK_WORD:
        if (t->word >= 0) {
            const tema__word *w = &d->wc->wordv[t->word];
            *cls = w->cls;
            return tema__hash(d->wc->wtext.p + w->stem_off, w->stem_len);
        }
        return tema__hash(d->norm.p + t->norm_off, t->norm_len);
    case TEMA_TOK_EMOJI:
    case TEMA_TOK_EMOTICON:
        return tema__hash(d->norm.p + t->norm_off, t->norm_len);
    case TEMA_TOK_NUMBER:
    case TEMA_TOK_AMOUNT:
        return tema__hash("0", 1);
    default:
        if (t->flags & TEMA_TOKF_EXCLAIM)
            return tema__hash("!", 1);
        if (t->flags & TEMA_TOKF_QUESTION)
            return tema__hash("?", 1);
        return 0;
    }
}

/* Who is nearer to token span [a, b]: 2 mention 'k', 1 a tie, 0 another
 * aspect (of another category).  Mention j spans tokens [lo[j], hi[j]]
 * (lo[j] = UINT32_MAX: not a competitor).  'between' is set when another
 * aspect lies between the span and mention 'k'. */
static unsigned nearer(const uint32_t *lo, const uint32_t *hi, size_t nm, size_t k, uint32_t a,
                       uint32_t b, bool *between)
{
    uint32_t mine = a > hi[k] ? a - hi[k] : lo[k] > b ? lo[k] - b : 0;
    uint32_t best = UINT32_MAX;
    *between = false;
    for (size_t j = 0; j < nm; j++) {
        if (j == k || lo[j] == UINT32_MAX)
            continue; /* the mention itself, its category, or not an aspect */
        uint32_t g = a > hi[j] ? a - hi[j] : lo[j] > b ? lo[j] - b : 0;
        if (g < best)
            best = g;
        if ((lo[j] > b && hi[j] < lo[k]) || (hi[j] < a && lo[j] > hi[k]))
            *between = true;
    }
    return mine < best ? 2 : mine == best ? 1 : 0;
}

/* At most this many mentions take part as competitors; more are ignored
 * (a sentence has a handful). */
#define MAX_COMPETITORS 32

void tema__mentmodel_features(const tema_doc *d, size_t k, uint32_t nbuckets,
                              tema__sm_emit emit, void *ctx)
{
    const tema__taxonomy *t = d->engine->taxonomy;
    const tema__mention *m = &d->mentions[k];
    size_t n = d->toks.n;
    if (!t || !n || m->theme < 0 || (size_t)m->theme >= t->nthemes)
        return;
    uint64_t cat = category(t, m->theme);
    /* Spans of the competing aspects (other categories); same-category and
     * built-in mentions are marked absent. */
    uint32_t lo[MAX_COMPETITORS], hi[MAX_COMPETITORS];
    size_t nm = d->nmentions < MAX_COMPETITORS ? d->nmentions : MAX_COMPETITORS;
    size_t ncomp = 0;
    for (size_t j = 0; j < nm; j++) {
        const tema__mention *o = &d->mentions[j];
        lo[j] = hi[j] = UINT32_MAX;
        if (j == k || t->themes[o->theme].builtin || category(t, o->theme) == cat)
            continue;
        lo[j] = o->tok;
        hi[j] = last_token(d, o);
        ncomp++;
    }
    if (k >= nm)
        return; /* past the competitor table: no features, the rules stand */
    uint32_t a = m->tok, b = last_token(d, m);
    lo[k] = a;
    hi[k] = b;
    /* the mention's clause */
    const tema__clause *cl = NULL;
    for (size_t c = 0; c < d->nclauses && !cl; c++)
        if (a >= d->clauses[c].first && a < d->clauses[c].end)
            cl = &d->clauses[c];
    float rule = m->implicit ? 0 : m->sentiment; /* implicit: the rule score was replaced */
    int rule_label = m->label;
    emit(ctx, 0, 1.0f);
    emit(ctx, 1, rule);
    if (cl)
        emit(ctx, 2, cl->score);
    emit(ctx, 3, d->sfeat.rule_score);
    if (m->implicit)
        emit(ctx, 7, 1.0f);
    if (rule_label == TEMA_LABEL_POSITIVE)
        emit(ctx, 8, 1.0f);
    if (rule_label == TEMA_LABEL_NEGATIVE)
        emit(ctx, 9, 1.0f);
    emit(ctx, 10, log1pf((float)ncomp));
    emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(F_CATB, cat), 0), nbuckets), 1.0f);
    emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(F_CATRULE, cat), (uint64_t)rule_label), nbuckets),
         1.0f);
    /* Opinion units. */
    float own = 0, same = 0, all = 0, close = 0;
    for (size_t u = 0; u < d->nsunits; u++) {
        const tema__sunit *su = &d->sunits[u];
        uint32_t ua = su->first, ub = su->end ? su->end - 1 : su->first;
        bool between;
        unsigned who = nearer(lo, hi, nm, k, ua, ub, &between);
        uint32_t g = ua > b ? ua - b : a > ub ? a - ub : 0;
        bool in_clause = cl && ua >= cl->first && su->end <= cl->end;
        /* a contrast word between unit and mention */
        bool contrast = false;
        uint32_t x0 = ua > b ? b + 1 : ub + 1, x1 = ua > b ? ua : a;
        for (uint32_t i = x0; i < x1 && i < n; i++) {
            int32_t w = d->toks.v[i].word;
            if (w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_CONTRAST))
                contrast = true;
        }
        all += su->v;
        if (in_clause)
            same += su->v;
        if (who == 2)
            own += su->v;
        if (g <= 3 && !between)
            close += su->v;
        unsigned sign = su->v > 0 ? 1 : 0;
        float val = fabsf(su->v) / 2.0f;
        uint64_t h = mix(mix(mix(mix(mix(F_UNIT, sign), dist_bucket(g)), who),
                             (uint64_t)contrast * 2 + in_clause), between);
        emit(ctx, TEMA__MM_DENSE + bucket(h, nbuckets), val);
        emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(mix(F_UNITCAT, sign), who), cat), nbuckets),
             val);
    }
    emit(ctx, 4, squash(own / 4.0f));
    emit(ctx, 5, squash(same / 4.0f));
    emit(ctx, 6, squash(all / 4.0f));
    if (d->nsunits == 0)
        emit(ctx, 11, 1.0f);
    emit(ctx, 12, squash(close / 4.0f));
    /* Words around the mention, walking outwards on each side so what lies
     * between (contrast, clause ends, other aspects) is known. */
    for (int side = 0; side < 2; side++) {
        bool contrast = false, boundary = false;
        for (uint32_t s = 0;; s++) {
            uint32_t i;
            if (side == 0) {
                if (s >= a)
                    break;
                i = a - 1 - s;
            } else {
                if (b + 1 + s >= n)
                    break;
                i = b + 1 + s;
            }
            const tema__token *tk = &d->toks.v[i];
            /* a boundary token ends the region it closes: on the left it
             * separates words before it, on the right words after it */
            if (side == 0 && (tk->flags & (TEMA_TOKF_CLAUSE_END | TEMA_TOKF_SENT_END)))
                boundary = true;
            uint64_t cls;
            uint64_t h = tok_hash(d, i, &cls);
            if (h) {
                bool between;
                unsigned who = nearer(lo, hi, nm, k, i, i, &between);
                uint32_t g = span_gap(i, a, b);
                unsigned db = dist_bucket(g);
                /* negated: a negator up to NEG_REACH tokens before the word */
                bool negated = false;
                for (uint32_t q = 1; q <= NEG_REACH && q <= i && !negated; q++) {
                    int32_t w = d->toks.v[i - q].word;
                    negated = w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_NEGATOR);
                }
                emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(mix(h, F_POS), (uint64_t)side), db),
                                                  nbuckets), 1.0f);
                emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(h, F_OWN), who), nbuckets), 1.0f);
                emit(ctx, TEMA__MM_DENSE +
                              bucket(mix(mix(mix(h, F_BAR), (uint64_t)contrast * 2 + boundary),
                                         between), nbuckets), 1.0f);
                if (db <= 2 && !between)
                    emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(h, F_CAT), cat), nbuckets), 1.0f);
                if (negated)
                    emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(h, F_NEG), who), nbuckets), 1.0f);
            }
            if (cls & TEMA__LEX_CONTRAST)
                contrast = true;
            if (side == 1 && (tk->flags & (TEMA_TOKF_CLAUSE_END | TEMA_TOKF_SENT_END)))
                boundary = true;
        }
    }
    /* The mention's own words. */
    for (uint32_t i = a; i <= b && i < n; i++) {
        uint64_t cls;
        uint64_t h = tok_hash(d, i, &cls);
        if (!h)
            continue;
        emit(ctx, TEMA__MM_DENSE + bucket(mix(h, F_SELF), nbuckets), 1.0f);
        emit(ctx, TEMA__MM_DENSE + bucket(mix(mix(h, F_SELFCAT), cat), nbuckets), 1.0f);
    }
}

/* ---- loading ----------------------------------------------------------- */

void tema__mentmodel_free(struct tema__mentmodel *m)
{
    if (!m)
        return;
    free(m->q);
    free(m->known);
    free(m);
}

static bool rd(FILE *f, void *p, size_t n)
{
    return fread(p, 1, n, f) == n;
}

tema_status tema__mentmodel_load(tema_engine *e, const char *path, struct tema__mentmodel **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tema__fail(e, TEMA_ERR_NOTFOUND, "%s: cannot open mention model (declared by the taxonomy's model: line)", path);
    struct tema__mentmodel *m = calloc(1, sizeof *m);
    float *w = NULL;
    tema_status st = TEMA_ERR_PARSE;
    const char *why = "truncated";
    char magic[8];
    uint32_t nb = 0, ndense = 0, nclasses = 0, nnz = 0;
    if (!m) {
        st = TEMA_ERR_NOMEM;
        goto out;
    }
    if (!rd(f, magic, 8) || memcmp(magic, MAGIC, 8) != 0) {
        why = "not a tema mention model";
        goto out;
    }
    if (!rd(f, &nb, 4) || !rd(f, &ndense, 4) || !rd(f, &nclasses, 4) || !rd(f, &m->lang, 4))
        goto out;
    if (nb == 0 || (nb & (nb - 1)) || nb > MAX_BUCKETS || ndense != TEMA__MM_DENSE ||
        nclasses != TEMA__SM_CLASSES || m->lang <= TEMA_LANG_UND || m->lang >= TEMA_LANG_COUNT) {
        why = "bad header";
        goto out;
    }
    m->nbuckets = nb;
    /* the categories: top-level theme ids, each as a length byte and bytes */
    uint32_t ncat = 0;
    const tema__taxonomy *t = e->taxonomy;
    if (!rd(f, &ncat, 4))
        goto out;
    if (ncat > 4096) {
        why = "bad category count";
        goto out;
    }
    if (!(m->known = calloc(t && t->nthemes ? t->nthemes : 1, 1))) {
        st = TEMA_ERR_NOMEM;
        goto out;
    }
    for (uint32_t c = 0; c < ncat; c++) {
        unsigned char len;
        char id[256];
        if (!rd(f, &len, 1) || !rd(f, id, len))
            goto out;
        for (size_t th = 0; t && th < t->nthemes; th++) {
            int32_t top = (int32_t)th;
            while (t->themes[top].parent >= 0)
                top = t->themes[top].parent;
            if (strlen(t->themes[top].id) == len && memcmp(t->themes[top].id, id, len) == 0)
                m->known[th] = 1;
        }
    }
    if (!rd(f, m->bias, sizeof m->bias) || !rd(f, m->dense, sizeof m->dense) || !rd(f, &nnz, 4))
        goto out;
    if (nnz > nb) {
        why = "bad weight count";
        goto out;
    }
    if (!(w = calloc((size_t)nb * TEMA__SM_CLASSES, sizeof *w)) ||
        !(m->q = calloc((size_t)nb * 4, 1))) {
        st = TEMA_ERR_NOMEM;
        goto out;
    }
    for (uint32_t j = 0; j < nnz; j++) {
        uint32_t bk;
        float wv[TEMA__SM_CLASSES];
        if (!rd(f, &bk, 4) || !rd(f, wv, sizeof wv))
            goto out;
        if (bk >= nb) {
            why = "bucket out of range";
            goto out;
        }
        memcpy(w + (size_t)bk * TEMA__SM_CLASSES, wv, sizeof wv);
    }
    float mx = 0;
    for (size_t j = 0; j < (size_t)nb * TEMA__SM_CLASSES; j++) {
        if (!isfinite(w[j])) {
            why = "weight not finite";
            goto out;
        }
        if (fabsf(w[j]) > mx)
            mx = fabsf(w[j]);
    }
    for (size_t j = 0; j < TEMA__MM_DENSE * TEMA__SM_CLASSES; j++)
        if (!isfinite(m->dense[j]) || (j < TEMA__SM_CLASSES && !isfinite(m->bias[j]))) {
            why = "weight not finite";
            goto out;
        }
    m->scale = mx > 0 ? mx / 127.0f : 1.0f;
    for (size_t j = 0; j < (size_t)nb; j++)
        for (int c = 0; c < TEMA__SM_CLASSES; c++)
            m->q[j * 4 + (size_t)c] = (int8_t)lrintf(w[j * TEMA__SM_CLASSES + (size_t)c] / m->scale);
    char end[4];
    if (!rd(f, end, 4) || memcmp(end, END_MARK, 4) != 0)
        goto out;
    free(w);
    fclose(f);
    *out = m;
    return TEMA_OK;
out:
    fclose(f);
    free(w);
    tema__mentmodel_free(m);
    if (st == TEMA_ERR_NOMEM)
        return tema__fail(e, st, "%s: out of memory", path);
    return tema__fail(e, st, "%s: %s", path, why);
}

/* ---- scoring ----------------------------------------------------------- */

typedef struct acc {
    const struct tema__mentmodel *M;  /* the weights */
    float z[TEMA__SM_CLASSES];        /* dense logits */
    float zq[TEMA__SM_CLASSES];       /* hashed logits in quantised units */
    unsigned nf;                      /* features seen */
} acc;

static void add(void *ctx, uint32_t index, float value)
{
    acc *a = ctx;
    a->nf++;
    if (index < TEMA__MM_DENSE) {
        const float *w = a->M->dense + (size_t)index * TEMA__SM_CLASSES;
        for (int c = 0; c < TEMA__SM_CLASSES; c++)
            a->z[c] += w[c] * value;
    } else {
        const int8_t *q = a->M->q + (size_t)(index - TEMA__MM_DENSE) * 4;
        for (int c = 0; c < TEMA__SM_CLASSES; c++)
            a->zq[c] += q[c] * value;
    }
}

bool tema__mentmodel_covers(const tema_doc *d, int32_t theme)
{
    const tema__taxonomy *t = d->engine->taxonomy;
    const struct tema__mentmodel *M = t ? t->mmodel : NULL;
    return M && (uint32_t)d->lang == M->lang && !t->themes[theme].builtin && M->known[theme];
}

void tema__mentmodel_apply(tema_doc *d)
{
    const tema__taxonomy *t = d->engine->taxonomy;
    const struct tema__mentmodel *M = t ? t->mmodel : NULL;
    if (!M || (uint32_t)d->lang != M->lang)
        return;
    for (size_t k = 0; k < d->nmentions; k++) {
        tema__mention *m = &d->mentions[k];
        if (t->themes[m->theme].builtin || !M->known[m->theme])
            continue;
        acc a = {.M = M};
        tema__mentmodel_features(d, k, M->nbuckets, add, &a);
        if (!a.nf)
            continue; /* no features (a comment with very many mentions): the rules stand */
        double z[TEMA__SM_CLASSES], mx = -INFINITY, p[TEMA__SM_CLASSES], sum = 0;
        for (int c = 0; c < TEMA__SM_CLASSES; c++) {
            z[c] = a.z[c] + a.zq[c] * M->scale + M->bias[c];
            mx = fmax(mx, z[c]);
        }
        int best = 0;
        for (int c = 0; c < TEMA__SM_CLASSES; c++) {
            sum += p[c] = exp(z[c] - mx);
            if (z[c] > z[best])
                best = c;
        }
        m->sentiment = (float)((p[TEMA__SM_POS] - p[TEMA__SM_NEG]) / sum);
        m->label = best == TEMA__SM_POS   ? TEMA_LABEL_POSITIVE
                   : best == TEMA__SM_NEG ? TEMA_LABEL_NEGATIVE
                                          : TEMA_LABEL_NEUTRAL;
        m->implicit = m->implicit && m->label == TEMA_LABEL_NEGATIVE;
    }
}
