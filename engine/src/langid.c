/*
 * langid.c: placeholder until the trained classifier lands (issue 5):
 * every comment is undetermined unless the caller forces a language.
 */
#include "langid.h"

tema_status tema__langid_load(tema_engine *e)
{
    e->langid = NULL;
    return TEMA_OK;
}

void tema__langid_free(tema__langid *m)
{
    (void)m;
}

tema_lang tema__langid_classify(const tema__langid *m, const tema_doc *d, const double *prior,
                                double scores[TEMA_LANG_COUNT])
{
    (void)m;
    (void)d;
    (void)prior;
    for (int i = 0; i < TEMA_LANG_COUNT; i++)
        scores[i] = i == TEMA_LANG_UND;
    return TEMA_LANG_UND;
}
