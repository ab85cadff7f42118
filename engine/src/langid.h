/*
 * langid.h: language identification for sv, da, no and en.
 */
#ifndef TEMA_LANGID_H
#define TEMA_LANGID_H

#include "engine.h"

typedef struct tema__langid tema__langid;

/* Loads models/langid.model into e->langid (absent model: detection off). */
tema_status tema__langid_load(tema_engine *e);
void tema__langid_free(tema__langid *m);

/* Scores the tokens of 'd' and returns the most probable language; fills
 * 'scores' with probabilities.  'prior' (may be NULL) leans short, ambiguous
 * comments toward a run's main language. */
tema_lang tema__langid_classify(const tema__langid *m, const tema_doc *d, const double *prior,
                                double scores[TEMA_LANG_COUNT]);

#endif
