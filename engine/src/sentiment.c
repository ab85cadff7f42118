/*
 * sentiment.c: placeholder until the lexicon-and-rules scorer lands
 * (issue 6): every comment is neutral.
 */
#include <stdlib.h>

#include "engine.h"

const char *tema_label_name(tema_label label)
{
    switch (label) {
    case TEMA_LABEL_POSITIVE: return "positive";
    case TEMA_LABEL_NEGATIVE: return "negative";
    default: return "neutral";
    }
}

void tema__lexicon_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                           const char *norm, size_t len)
{
    (void)e; (void)d; (void)lang; (void)w; (void)norm; (void)len;
}

tema_status tema__sentiment_run(tema_doc *d)
{
    d->sentiment = 0;
    d->label = TEMA_LABEL_NEUTRAL;
    return TEMA_OK;
}

void tema__sentiment_doc_free(tema_doc *d)
{
    free(d->clauses);
    free(d->explain);
}

double tema_doc_sentiment(const tema_doc *d)
{
    return d ? d->sentiment : 0;
}

tema_label tema_doc_label(const tema_doc *d)
{
    return d ? d->label : TEMA_LABEL_NEUTRAL;
}

size_t tema_doc_explain_count(const tema_doc *d)
{
    return d ? d->nexplain : 0;
}

tema_status tema_doc_explain(const tema_doc *d, size_t i, tema_explain_item *item)
{
    if (!d || !item || i >= d->nexplain)
        return TEMA_ERR_MISUSE;
    const tema__explain *x = &d->explain[i];
    item->start = x->start;
    item->end = x->end;
    item->rule = x->rule;
    item->weight = x->weight;
    return TEMA_OK;
}
