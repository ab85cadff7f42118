/*
 * theme.c: placeholder until theme matching lands (issue 7): no mentions.
 */
#include <stdlib.h>

#include "engine.h"

void tema__theme_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                         const char *norm, size_t len)
{
    (void)e; (void)d; (void)lang; (void)w; (void)norm; (void)len;
}

tema_status tema__themes_run(tema_doc *d)
{
    d->nmentions = 0;
    return TEMA_OK;
}

void tema__themes_doc_free(tema_doc *d)
{
    free(d->mentions);
}

size_t tema_doc_mention_count(const tema_doc *d)
{
    return d ? d->nmentions : 0;
}

tema_status tema_doc_mention(const tema_doc *d, size_t i, tema_mention *m)
{
    (void)m;
    if (!d || i >= d->nmentions)
        return TEMA_ERR_MISUSE;
    return TEMA_ERR_MISUSE;
}
