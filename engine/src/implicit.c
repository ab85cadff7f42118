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

/* The clause holding token 'tok', or d->nclauses. */
static size_t clause_of(const tema_doc *d, uint32_t tok)
{
    for (size_t c = 0; c < d->nclauses; c++)
        if (tok >= d->clauses[c].first && tok < d->clauses[c].end)
            return c;
    return d->nclauses;
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
    for (size_t i = 0; i < d->nmentions; i++) {
        const tema__mention *m = &d->mentions[i];
        if (!m->implicit)
            continue;
        size_t c = clause_of(d, m->tok);
        if (c == d->nclauses || counted_before(d, i, c))
            continue;
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
