/*
 * implicit.c: implicit complaints in the comment score.  A theme mention
 * made negative by an implicit-complaint phrase or a problem theme
 * ("tog två veckor", "still waiting", "fick aldrig svar") says that the
 * customer is unhappy although no opinion word does, and the sentiment
 * rules, which run before the themes, cannot see it.  Each clause holding
 * such a mention adds one negative unit to the comment's clause-weighted
 * sum, weighed like its clause (so contrast counts: "Bra produkt men
 * leveransen tog två veckor" ends negative, as it would with "... var
 * dålig"), and the comment is scored and labelled again.  The sentiment
 * benchmarks run without themes and are not affected.
 */
#include <math.h>

#include "engine.h"

/* One implicit complaint alone scores the comment -0.5, the sentiment its
 * mention gets (theme.c): -0.5 = u / sqrt(u^2 + alpha) for u = -sqrt(alpha / 3). */
#define IMPLICIT_UNIT (-2.2360679774997898)

/* The clause holding token 'tok', or d->nclauses.  Clauses are in token
 * order and do not overlap: the last one starting at or before 'tok'. */
static size_t clause_of(const tema_doc *d, uint32_t tok)
{
    size_t lo = 0, hi = d->nclauses;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->clauses[mid].first <= tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && tok < d->clauses[lo - 1].end ? lo - 1 : d->nclauses;
}

/* Was clause 'c' counted for an earlier mention of the first 'upto'? */
static bool counted_before(const tema_doc *d, size_t upto, size_t c)
{
    for (size_t i = 0; i < upto; i++)
        if (d->mentions[i].implicit && clause_of(d, d->mentions[i].tok) == c)
            return true;
    return false;
}

void tema__implicit_apply(tema_doc *d)
{
    double add = 0;
    /* Mentions are in text order, so their clauses ascend and an earlier
     * mention of the same clause is the last one counted; counted_before()
     * is only for a mention out of that order (a comment of thousands of
     * complaints made this quadratic in mentions times clauses). */
    size_t last = SIZE_MAX;
    uint32_t prev_tok = 0;
    bool ordered = true;
    for (size_t i = 0; i < d->nmentions; i++) {
        const tema__mention *m = &d->mentions[i];
        if (!m->implicit)
            continue;
        ordered = ordered && m->tok >= prev_tok;
        prev_tok = m->tok;
        size_t c = clause_of(d, m->tok);
        if (c == d->nclauses || (ordered ? c == last : counted_before(d, i, c)))
            continue;
        last = c;
        double unit = d->clauses[c].weight * IMPLICIT_UNIT;
        add += unit;
        tema__sentiment_explain(d, m->start, m->end, "implicit-complaint", (float)unit);
    }
    tema__implicit_rescore(d, add);
}

void tema__implicit_rescore(tema_doc *d, double add)
{
    if (add == 0)
        return;
    /* Back from the score to the sum it normalises (the score may come
     * from the learned model; it stands for the sum all the same). */
    double s = d->sentiment;
    if (s > 0.999)
        s = 0.999;
    if (s < -0.999)
        s = -0.999;
    double x = s * sqrt(TEMA__SENTIMENT_ALPHA / (1 - s * s)) + add;
    double score = x / sqrt(x * x + TEMA__SENTIMENT_ALPHA);
    /* A complaint makes the comment only more negative: it stays positive
     * only if it was.  Praise (cues.c, cue-speed) may make it positive. */
    d->sentiment = score;
    d->label = score <= -TEMA__LABEL_CUT ? TEMA_LABEL_NEGATIVE
               : score >= TEMA__LABEL_CUT && (d->label == TEMA_LABEL_POSITIVE || add > 0)
                   ? TEMA_LABEL_POSITIVE
                   : TEMA_LABEL_NEUTRAL;
}
