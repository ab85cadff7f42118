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
 * comments toward a run's main language.  d->tok_hash must hold the word
 * tokens' hashes (doc.c computes them after tokenising, with room in
 * d->tok_lid, where this leaves each word token's evidence entry for the
 * word stage). */
tema_lang tema__langid_classify(const tema__langid *m, tema_doc *d, const double *prior,
                                double scores[TEMA_LANG_COUNT]);

/* Features of one normalised word, as hashes (the trainer uses the same
 * function, so training and detection can never disagree).  Returns the
 * count written, at most 'cap'. */
size_t tema__langid_features(const char *word, size_t len, uint32_t *out, size_t cap);

/* The word-table hash of a normalised word; also the last feature that
 * tema__langid_features() writes. */
uint32_t tema__langid_word_hash(const char *word, size_t len);

/* Letters in a normalised word as language identification counts them:
 * ASCII letters and the lead bytes of other code points (the normalised
 * form holds no capitals; digits and punctuation do not count). */
size_t tema__langid_letters(const char *w, size_t len);

/* Deterministic held-out split shared by tools/train-langid and
 * tools/eval-langid: true for the fifth of texts kept for evaluation. */
static inline bool tema__langid_heldout(const char *text, size_t len)
{
    return tema__hash(text, len) % 5 == 0;
}

/* Comments at least this long (letters) count toward a run's language mix. */
#define TEMA__LANG_CONFIDENT_LETTERS 30

#endif
