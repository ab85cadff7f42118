/*
 * model.c: the learned sentiment layer on top of the rules.  Per language a
 * multinomial logistic regression over the rule features of the comment
 * (d->sfeat, clause scores, length) and hashed stems, negated stems, stem
 * bigrams and, per language, last-clause stems, stem affixes and byte
 * n-grams of words; the comment score becomes a blend of p(pos) - p(neg)
 * and the rule score, the label a threshold on it (both chosen by
 * cross-validation inside the training split; models/README.md).  Scoring
 * is one pass over the tokens already in the doc and does not allocate.
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lexicon.h"

/* Version 2 adds the quiet floor to each language's header; a version 1
 * file is read as one with quiet floor 0 (no such guard). */
#define MAGIC "TEMASNT2"
#define MAGIC_V1 "TEMASNT1"
#define END_MARK "END1"
#define MAX_BUCKETS (1u << 22)

/* One language's weights. */
typedef struct sm_lang {
    uint32_t flags;  /* TEMA__SMF_* */
    float blend;     /* score = blend x (p(pos) - p(neg)) + (1 - blend) x rule score */
    float thr_pos;   /* label positive when score >= thr_pos */
    float thr_neg;   /* label negative when score <= -thr_neg */
    float conf;      /* the model overrides the rules' label only with max p >= conf */
    float quiet;     /* where the rules found no opinion (tema__sentmodel_quiet), the model
                        changes their label only with max p >= quiet (0: no such guard,
                        above 1: never); chosen by the trainer (models/README.md) */
    float dense[TEMA__SM_DENSE * TEMA__SM_CLASSES]; /* rule-feature weights */
    float scale;     /* hashed weight = q x scale */
    int8_t *q;       /* nbuckets x 4 quantised hashed weights (3 classes + padding, so a
                        bucket is 4 aligned bytes and the table a twelfth of floats'
                        size: it stays in cache), NULL: no model for the language */
} sm_lang;

struct tema__sentmodel {
    uint32_t nbuckets;             /* hashed feature buckets per language (power of two) */
    sm_lang lang[TEMA_LANG_COUNT]; /* [UND] unused */
};

/* ---- features ---------------------------------------------------------- */

/* Salts that keep the kinds of hashed feature apart. */
#define SALT_NEGATED 0x6e65676174656421ull
#define SALT_BIGRAM  0x9e3779b97f4a7c15ull
#define SALT_PREFIX  0x7072656669783a31ull
#define SALT_SUFFIX  0x7375666669783a32ull
#define SALT_LAST    0x6c617374636c3a33ull
#define AFFIX_MIN    7  /* stems of at least 7 bytes get prefix and suffix features */
#define AFFIX_LEN    5  /* of 5 bytes each (may cut a UTF-8 sequence: only hashed) */
#define SALT_CHAR    0x63686172677261ull /* start of each CHARGRAM n-gram's FNV-1a hash */
/* CHARGRAM: byte n-grams of 3 to 5 (may cut a UTF-8 sequence: only hashed);
 * 3-4, 4-5, or n-grams weighted 0.5 or 2 against the stems were no better in
 * cross-validation (models/README.md). */
#define NGRAM_MIN    3u
#define NGRAM_MAX    5u
#define CHAR_MAXWORD 40 /* longer words give their n-grams of the first 40 bytes only */
#define NEG_REACH    3  /* a stem within 3 tokens after a negator is hashed as negated */

static inline uint32_t bucket(uint64_t h, uint32_t nbuckets)
{
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return (uint32_t)(h >> 32) & (nbuckets - 1);
}

/* tema__hash() of the AFFIX_LEN bytes at s, without a call or the byte
 * loop: copied into a zeroed word so that tema__hash_padded() may read past
 * them, and the length being a constant, it inlines to a few instructions
 * (67,000 calls on the 2 MB slice). */
static inline uint64_t affix_hash(const char *s)
{
    unsigned char b[TEMA__HASH_SLACK] = {0};
    memcpy(b, s, AFFIX_LEN);
    return tema__hash_padded(b, AFFIX_LEN);
}

/* log(1 + k) for the small counts almost every comment has; libm beyond. */
static float log1p_count(uint16_t k)
{
    static const float t[16] = {0.0f,      0.693147f, 1.098612f, 1.386294f, 1.609438f, 1.791759f,
                                1.945910f, 2.079442f, 2.197225f, 2.302585f, 2.397895f, 2.484907f,
                                2.564949f, 2.639057f, 2.708050f, 2.772589f};
    return k < 16 ? t[k] : log1pf((float)k);
}

static inline float squash(float x)
{
    return x > 3.0f ? 3.0f : x < -3.0f ? -3.0f : x;
}

/* The byte 3-, 4- and 5-grams of "<word>" (boundaries marked, so prefixes
 * and suffixes differ from inner n-grams), each hashed by extending one
 * FNV-1a hash per start byte: five multiplications a byte, no copy, no
 * allocation (bucket() mixes the bits afterwards). */
static inline __attribute__((always_inline)) void chargrams(const char *s, size_t n, uint32_t nbuckets, float v, tema__sm_emit emit,
                      void *ctx)
{
    if (n > CHAR_MAXWORD)
        n = CHAR_MAXWORD;
    size_t m = n + 2;  /* with the marks at 0 and n + 1 */
    for (size_t i = 0; i + NGRAM_MIN <= m; i++) {
        uint64_t h = SALT_CHAR;
        for (size_t g = 0; g < NGRAM_MAX && i + g < m; g++) {
            size_t at = i + g;
            unsigned char c = at == 0 ? '<' : at == n + 1 ? '>' : (unsigned char)s[at - 1];
            h = (h ^ c) * 0x100000001b3ull;
            if (g + 1 >= NGRAM_MIN)
                emit(ctx, TEMA__SM_DENSE + bucket(h, nbuckets), v);
        }
    }
}

/* The body of tema__sentmodel_features(), inlined into each caller so that
 * scoring, which passes add() below (itself always inlined), calls no
 * function per feature (754,000 indirect calls on the 2 MB slice, 7 M
 * instructions).  The trainer and tests keep the out-of-line entry. */
static inline __attribute__((always_inline)) void
features(const tema_doc *d, uint32_t nbuckets, unsigned flags, tema__sm_emit emit, void *ctx)
{
    const tema__sentfeat *f = &d->sfeat;
    size_t nwords = 0, clause_start = 0, last_start = 0;
    for (size_t i = 0; i < d->toks.n; i++) {
        if (d->toks.v[i].type == TEMA_TOK_WORD) {
            nwords++;
            last_start = clause_start;  /* the last clause that has a word */
        }
        if (d->toks.v[i].flags & TEMA_TOKF_CLAUSE_END)
            clause_start = i + 1;
    }
    float last = 0, worst = 0;
    for (size_t c = 0; c < d->nclauses; c++) {
        if (d->clauses[c].nunits)
            last = d->clauses[c].score;
        if (d->clauses[c].score < worst)
            worst = d->clauses[c].score;
    }
    /* Dense rule features: counts through log1p so one long comment does
     * not dominate; sums scaled to about [-1, 1]. */
    emit(ctx, 0, 1.0f);
    emit(ctx, 1, f->rule_score);
    emit(ctx, 2, squash(f->pos / 4.0f));
    emit(ctx, 3, squash(f->neg / 4.0f));
    const uint16_t counts[] = {f->npos,     f->nneg,    f->nnegated, f->nintensified,
                               f->ndampened, f->nphrase, f->nemoji,   f->ncaps,
                               f->nexclaim,  f->nquestion, f->ncontrast, f->nclauses};
    for (uint32_t k = 0; k < 12; k++)
        if (counts[k])
            emit(ctx, 4 + k, log1p_count(counts[k]));
    emit(ctx, nwords <= 3 ? 16 : nwords <= 8 ? 17 : nwords <= 20 ? 18 : 19, 1.0f);
    if (f->rule_score >= 0.05f)
        emit(ctx, 20, 1.0f);
    if (f->rule_score <= -0.05f)
        emit(ctx, 21, 1.0f);
    emit(ctx, 22, last);
    emit(ctx, 23, worst);
    if (!nbuckets)
        return;
    /* Hashed stems: 1/sqrt(n) each, so the bag of a long review weighs as
     * much as that of a short comment. */
    float v = 1.0f / sqrtf((float)(d->toks.n ? d->toks.n : 1));
    uint64_t prev = 0;
    size_t last_neg = SIZE_MAX;
    for (size_t i = 0; i < d->toks.n; i++) {
        const tema__token *t = &d->toks.v[i];
        const char *s = d->norm.p + t->norm_off;
        size_t n = t->norm_len;
        uint64_t cls = 0;
        const uint64_t *known = NULL; /* the word record's tema__hash() of the stem */
        switch (t->type) {
        case TEMA_TOK_WORD:
            if (t->word >= 0) {
                const tema__word *w = &d->wc->wordv[t->word];
                s = d->wc->wtext.p + w->stem_off;
                n = w->stem_len;
                cls = w->cls;
                known = &w->stem_hash;
            }
            break;
        case TEMA_TOK_EMOJI: case TEMA_TOK_EMOTICON: case TEMA_TOK_HASHTAG: break;
        case TEMA_TOK_MENTION: s = "@"; n = 1; break;
        case TEMA_TOK_URL: s = "//"; n = 2; break;
        case TEMA_TOK_NUMBER: case TEMA_TOK_AMOUNT: s = "0"; n = 1; break;
        default: s = NULL; break;
        }
        if (s) {
            bool lex = cls & (TEMA__LEX_VALENCE | TEMA__LEX_NEGATOR | TEMA__LEX_MODIFIER);
            if (cls & TEMA__LEX_NEGATOR)
                last_neg = i;
            if (lex && !(flags & TEMA__SMF_LEXWORDS)) {
                /* The rules already weigh this word; leaving it out keeps the
                 * rule orderings (jättebra > bra) intact. */
                prev = 0;
            } else {
                uint64_t h = known ? *known : tema__hash(s, n);
                bool negated = last_neg != SIZE_MAX && i > last_neg && i - last_neg <= NEG_REACH;
                emit(ctx, TEMA__SM_DENSE + bucket(negated ? h ^ SALT_NEGATED : h, nbuckets), v);
                if ((flags & TEMA__SMF_BIGRAMS) && prev)
                    emit(ctx, TEMA__SM_DENSE + bucket(prev * SALT_BIGRAM ^ h, nbuckets), v);
                if ((flags & TEMA__SMF_LAST) && i >= last_start)
                    emit(ctx, TEMA__SM_DENSE + bucket(h ^ SALT_LAST, nbuckets), v);
                if ((flags & TEMA__SMF_AFFIX) && t->type == TEMA_TOK_WORD && n >= AFFIX_MIN) {
                    emit(ctx, TEMA__SM_DENSE +
                                  bucket(affix_hash(s) ^ SALT_PREFIX, nbuckets), v);
                    emit(ctx, TEMA__SM_DENSE +
                                  bucket(affix_hash(s + n - AFFIX_LEN) ^ SALT_SUFFIX, nbuckets),
                         v);
                }
                if ((flags & TEMA__SMF_CHARGRAM) && t->type == TEMA_TOK_WORD)
                    chargrams(d->norm.p + t->norm_off, t->norm_len, nbuckets, v, emit, ctx);
                prev = h;
            }
        }
        if (t->flags & TEMA_TOKF_CLAUSE_END) {
            prev = 0;
            last_neg = SIZE_MAX;
        }
    }
}

void tema__sentmodel_features(const tema_doc *d, uint32_t nbuckets, unsigned flags,
                              tema__sm_emit emit, void *ctx)
{
    features(d, nbuckets, flags, emit, ctx);
}

/* ---- loading ----------------------------------------------------------- */

void tema__sentmodel_free(struct tema__sentmodel *m)
{
    if (!m)
        return;
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
        free(m->lang[l].q);
    free(m);
}

static bool rd(FILE *f, void *p, size_t n)
{
    return fread(p, 1, n, f) == n;
}

tema_status tema__sentmodel_load_file(tema_engine *e, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return tema__fail(e, TEMA_ERR_IO, "%s: cannot open sentiment model", path);
    struct tema__sentmodel *m = calloc(1, sizeof *m);
    if (!m) {
        fclose(f);
        return TEMA_ERR_NOMEM;
    }
    tema_status st = TEMA_ERR_PARSE;
    const char *why = "truncated";
    float *w = NULL;  /* one language's weights as floats, while reading */
    uint32_t *bl = NULL; /* the buckets the language's entries name, in file order */
    char magic[8];
    uint32_t nb = 0, ndense = 0, nlangs = 0;
    if (!rd(f, magic, 8) || (memcmp(magic, MAGIC, 8) != 0 && memcmp(magic, MAGIC_V1, 8) != 0)) {
        why = "not a tema sentiment model";
        goto out;
    }
    bool v2 = memcmp(magic, MAGIC, 8) == 0;
    if (!rd(f, &nb, 4) || !rd(f, &ndense, 4) || !rd(f, &nlangs, 4))
        goto out;
    if (nb == 0 || (nb & (nb - 1)) || nb > MAX_BUCKETS || ndense != TEMA__SM_DENSE ||
        nlangs > 4) {
        why = "bad header";
        goto out;
    }
    m->nbuckets = nb;
    size_t nw = ((size_t)TEMA__SM_DENSE + nb) * TEMA__SM_CLASSES;
    for (uint32_t k = 0; k < nlangs; k++) {
        uint32_t code = 0, nnz = 0;
        sm_lang tmp;
        if (!rd(f, &code, 4) || !rd(f, &tmp.flags, 4) || !rd(f, &tmp.blend, 4) ||
            !rd(f, &tmp.thr_pos, 4) || !rd(f, &tmp.thr_neg, 4) || !rd(f, &tmp.conf, 4))
            goto out;
        tmp.quiet = 0;
        if (v2 && !rd(f, &tmp.quiet, 4))
            goto out;
        if (code <= TEMA_LANG_UND || code >= TEMA_LANG_COUNT || m->lang[code].q ||
            !(tmp.blend >= 0 && tmp.blend <= 1) || !(tmp.thr_pos >= 0 && tmp.thr_pos < 1) ||
            !(tmp.thr_neg >= 0 && tmp.thr_neg < 1) || !(tmp.conf >= 0 && tmp.conf <= 2) ||
            !(tmp.quiet >= 0 && tmp.quiet <= 2)) {
            why = "bad language header";
            goto out;
        }
        sm_lang *L = &m->lang[code];
        tmp.q = NULL;
        *L = tmp;
        free(w);
        free(bl);
        bl = NULL;
        if (!(w = calloc(nw, sizeof *w)) || !(L->q = calloc((size_t)nb * 4, sizeof *L->q))) {
            st = TEMA_ERR_NOMEM;
            goto out;
        }
        if (!rd(f, w, (size_t)TEMA__SM_DENSE * TEMA__SM_CLASSES * sizeof *w) || !rd(f, &nnz, 4))
            goto out;
        if (nnz > nb) {
            why = "bad weight count";
            goto out;
        }
        if (!(bl = malloc(((size_t)nnz + 1) * sizeof *bl))) {
            st = TEMA_ERR_NOMEM;
            goto out;
        }
        /* The entries are read a block at a time: one fread per entry
         * (340,000 of them in the two shipped models) cost 70 M
         * instructions of stdio, a fifth of the engine's load. */
        enum { ENTRY = 4 + sizeof(float) * TEMA__SM_CLASSES, BLOCK = 1024 };
        unsigned char blk[ENTRY * BLOCK];
        for (uint32_t j = 0; j < nnz;) {
            uint32_t n = nnz - j < BLOCK ? nnz - j : BLOCK;
            if (!rd(f, blk, (size_t)n * ENTRY))
                goto out;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t b;
                memcpy(&b, blk + (size_t)i * ENTRY, 4);
                if (b >= nb) {
                    why = "bucket out of range";
                    goto out;
                }
                bl[j + i] = b;
                memcpy(w + ((size_t)TEMA__SM_DENSE + b) * TEMA__SM_CLASSES,
                       blk + (size_t)i * ENTRY + 4, sizeof(float) * TEMA__SM_CLASSES);
            }
            j += n;
        }
        /* Only the dense weights and the buckets the file names can be
         * other than zero, and a zero weight quantises to the 0 calloc()
         * left in q, so the checks and the quantising visit those alone
         * (all nb buckets of every language cost 20 M instructions). */
        for (size_t j = 0; j < (size_t)TEMA__SM_DENSE * TEMA__SM_CLASSES; j++)
            if (!isfinite(w[j])) {
                why = "weight not finite";
                goto out;
            }
        float mx = 0;
        for (uint32_t j = 0; j < nnz; j++) {
            const float *wb = w + ((size_t)TEMA__SM_DENSE + bl[j]) * TEMA__SM_CLASSES;
            for (int c = 0; c < TEMA__SM_CLASSES; c++) {
                if (!isfinite(wb[c])) {
                    why = "weight not finite";
                    goto out;
                }
                if (fabsf(wb[c]) > mx)
                    mx = fabsf(wb[c]);
            }
        }
        memcpy(L->dense, w, sizeof L->dense);
        L->scale = mx > 0 ? mx / 127.0f : 1.0f;
        for (uint32_t j = 0; j < nnz; j++)
            for (int c = 0; c < TEMA__SM_CLASSES; c++)
                L->q[(size_t)bl[j] * 4 + (size_t)c] = (int8_t)lrintf(
                    w[((size_t)TEMA__SM_DENSE + bl[j]) * TEMA__SM_CLASSES + (size_t)c] / L->scale);
    }
    free(w);
    w = NULL;
    free(bl);
    bl = NULL;
    char end[4];
    if (!rd(f, end, 4) || memcmp(end, END_MARK, 4) != 0)
        goto out;
    fclose(f);
    tema__sentmodel_free(e->sentmodel);
    e->sentmodel = m;
    return TEMA_OK;
out:
    fclose(f);
    free(w);
    free(bl);
    tema__sentmodel_free(m);
    if (st == TEMA_ERR_NOMEM)
        return st;
    return tema__fail(e, st, "%s: %s", path, why);
}

tema_status tema__sentmodel_load(tema_engine *e)
{
    char path[PATH_MAX];
    if (tema__data_path(e, "models/sentiment.bin", path) != TEMA_OK)
        return tema__fail(e, TEMA_ERR_LIMIT, "path too long");
    FILE *f = fopen(path, "rb");
    if (!f)
        return TEMA_OK; /* no model: the rules alone */
    fclose(f);
    return tema__sentmodel_load_file(e, path);
}

/* ---- scoring ----------------------------------------------------------- */

typedef struct acc {
    const struct sm_lang *L;       /* the language's weights */
    float z[TEMA__SM_CLASSES];     /* logits from the rule features */
    int64_t zq[TEMA__SM_CLASSES];  /* hashed logits in quantised units, per unit of value */
    float v;                       /* the value every hashed feature of a comment has */
    bool longc;                    /* more than TEMA__SM_SCORE_WORDS words (length feature) */
} acc;

static inline __attribute__((always_inline)) void add(void *ctx, uint32_t index, float value)
{
    acc *a = ctx;
    if (index < TEMA__SM_DENSE) {
        const float *w = a->L->dense + (size_t)index * TEMA__SM_CLASSES;
        for (int k = 0; k < TEMA__SM_CLASSES; k++)
            a->z[k] += w[k] * value;
        if (index == TEMA__SM_LONG_FROM || index == TEMA__SM_LONG_FROM + 1)
            a->longc = true;
    } else {
        const int8_t *q = a->L->q + (size_t)(index - TEMA__SM_DENSE) * 4;
        for (int k = 0; k < TEMA__SM_CLASSES; k++)
            a->zq[k] += q[k];
        a->v = value;
    }
}

unsigned tema__sentmodel_kept(const tema_doc *d, unsigned flags)
{
    const tema__sentfeat *f = &d->sfeat;
    unsigned fired = (f->nphrase ? TEMA__SMF_KEEP_PHRASE : 0u) |
                     (f->nnegated ? TEMA__SMF_KEEP_NEGATION : 0u) |
                     (f->nintensified || f->ndampened ? TEMA__SMF_KEEP_MODIFIER : 0u);
    return fired & flags;
}

void tema__sentmodel_apply(tema_doc *d)
{
    const struct tema__sentmodel *m = d->engine->sentmodel;
    if (!m || d->lang <= TEMA_LANG_UND || d->lang >= TEMA_LANG_COUNT || !m->lang[d->lang].q)
        return;
    const sm_lang *L = &m->lang[d->lang];
    if (L->flags & TEMA__SMF_LONGONLY) {
        /* Short comments keep the rules' score and label (below): the
         * model would change nothing, so it is not run and not named in
         * --explain.  The count is the one the length features use. */
        size_t words = 0;
        for (size_t i = 0; i < d->toks.n && words <= TEMA__SM_SCORE_WORDS; i++)
            words += d->toks.v[i].type == TEMA_TOK_WORD;
        if (words <= TEMA__SM_SCORE_WORDS)
            return;
    }
    acc a = {.L = L};
    features(d, m->nbuckets, L->flags, add, &a);
    for (int k = 0; k < TEMA__SM_CLASSES; k++)
        a.z[k] += (float)a.zq[k] * L->scale * a.v;
    double mx = fmax(a.z[0], fmax(a.z[1], a.z[2])), p[TEMA__SM_CLASSES], sum = 0;
    for (int k = 0; k < TEMA__SM_CLASSES; k++)
        sum += p[k] = exp(a.z[k] - mx);
    double ms = (p[TEMA__SM_POS] - p[TEMA__SM_NEG]) / sum;
    double pmax = fmax(p[0], fmax(p[1], p[2])) / sum;
    double s = L->blend * ms + (1.0 - L->blend) * d->sfeat.rule_score;
    s = s > 1 ? 1 : s < -1 ? -1 : s;
    tema_label label = s >= L->thr_pos    ? TEMA_LABEL_POSITIVE
                       : s <= -L->thr_neg ? TEMA_LABEL_NEGATIVE
                                          : TEMA_LABEL_NEUTRAL;
    /* Where the rules fired an explicit pattern the model is told to keep
     * (an idiom, a negation, a modifier), their score and label stand: the
     * hashed features cannot see such patterns, and the rule cases in
     * tests/spec promise them.  Elsewhere the blend decides every comment
     * (TEMA__SMF_ALWAYS), or only where the model disagrees with the rules
     * with a probability of at least conf.  The trainer picks the mode, the
     * kept patterns and conf by cross-validation among the settings that
     * keep every rule case true (models/README.md).  With TEMA__SMF_SCORE
     * the blend also gives the score (not the label) of longer comments
     * where model and rules agree on the label.  With TEMA__SMF_LONGONLY
     * short comments keep the rules' score and label altogether (the
     * early return above). */
    bool replace = L->flags & TEMA__SMF_ALWAYS ? true : label != d->label && pmax >= L->conf;
    /* The models learn from tweets, debates and film reviews, where strong
     * words are often used in jest or to describe a plot; in customer
     * feedback they mean what they say.  Where the rules are confident
     * (two strong opinion words, or one intensified) the model may not
     * change their label: "KUNDESERVICE ER ELENDIG ... HELT UAKSEPTABEL"
     * stays negative (rules -0.87) although the Norwegian model, trained
     * on reviews, calls it neutral. */
    if (fabs(d->sfeat.rule_score) >= TEMA__SM_RULES_CONFIDENT && label != d->label)
        replace = false;
    /* Where the rules found no opinion at all, the model's evidence is the
     * topic words alone, and in the customer comments it learns from, the
     * topics of complaints (kundtjänst, chatt, leverans) outnumber the
     * others: "Fick svar i chatten inom 2 minuter ..." came out strongly
     * negative.  There it may change the label only with a probability of
     * at least the quiet floor, which the trainer chooses by
     * cross-validation on the path the model serves; complaints stated as
     * facts are then left to the cues and implicit complaints of the theme
     * path, which run after the model (doc.c). */
    if (label != d->label && tema__sentmodel_quiet(d) && pmax < L->quiet)
        replace = false;
    if (!tema__sentmodel_kept(d, L->flags)) {
        if (replace) {
            d->sentiment = s;
            d->label = label;
        } else if ((L->flags & TEMA__SMF_SCORE) && label == d->label && a.longc) {
            d->sentiment = s;
        }
    }
    if (d->len)
        tema__sentiment_explain(d, 0, (uint32_t)d->len, "model", (float)ms);
}
