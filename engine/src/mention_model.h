/*
 * mention_model.h: the learned mention-polarity layer of a taxonomy: a
 * multinomial logistic regression (negative, neutral, positive) over the
 * context of each theme mention, declared by a taxonomy's `model:` line and
 * applied after the rule-based mention sentiment (see models/README.md,
 * docs/themes.md).
 */
#ifndef TEMA_MENTION_MODEL_H
#define TEMA_MENTION_MODEL_H

#include "engine.h"
#include "model.h"

/* Dense features come first in the feature space; hashed features follow
 * at TEMA__MM_DENSE + bucket.  Classes are TEMA__SM_NEG/NEU/POS. */
#define TEMA__MM_DENSE 16

struct tema__mentmodel;

/* The features of mention 'k' of the analysed comment in 'd', before the
 * model has changed its sentiment (the rule score is a feature).  Shared by
 * tools/train-aspects and the scorer, so they cannot disagree.  'nbuckets'
 * is a power of two.  One pass over the comment's tokens; no allocation. */
void tema__mentmodel_features(const tema_doc *d, size_t k, uint32_t nbuckets,
                              tema__sm_emit emit, void *ctx);

/* Loads the mention model at 'path' for the taxonomy in e->taxonomy (its
 * themes fully loaded) into '*out'.  Errors name the file and the problem (e->errmsg): a missing file
 * is TEMA_ERR_NOTFOUND, a malformed one TEMA_ERR_PARSE. */
tema_status tema__mentmodel_load(tema_engine *e, const char *path, struct tema__mentmodel **out);
void tema__mentmodel_free(struct tema__mentmodel *m);

/* Replaces the sentiment and label of every theme mention of 'd' whose
 * top-level theme is one of the model's categories (never the built-in
 * `other`) by the model's, when the taxonomy has a model and the
 * comment is English (the only language the shipped model knows; the file
 * says which).  No allocation. */
void tema__mentmodel_apply(tema_doc *d);

/* Will tema__mentmodel_apply() decide the polarity of a mention of 'theme'
 * in 'd'? */
bool tema__mentmodel_covers(const tema_doc *d, int32_t theme);

#endif
