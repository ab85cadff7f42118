/*
 * model.h: the learned sentiment layer: per-language multinomial logistic
 * regression (negative, neutral, positive) over the rule features of a
 * comment and hashed stems and stem bigrams, loaded from
 * models/sentiment.bin and applied after the rules (see models/README.md).
 */
#ifndef TEMA_MODEL_H
#define TEMA_MODEL_H

#include "engine.h"

/* Classes, in the order of the weights. */
#define TEMA__SM_NEG 0
#define TEMA__SM_NEU 1
#define TEMA__SM_POS 2
#define TEMA__SM_CLASSES 3

/* Dense (rule) features come first in the feature space; hashed features
 * follow at TEMA__SM_DENSE + bucket. */
#define TEMA__SM_DENSE 24

/* Feature switches of one language's model (tema__sentmodel_lang.flags). */
#define TEMA__SMF_LEXWORDS 1u /* hash lexicon words (valence, negators, modifiers) too */
#define TEMA__SMF_BIGRAMS  2u /* hash stem bigrams */
/* How the model combines with the rules (tema__sentmodel_apply); the
 * feature extraction ignores these bits. */
#define TEMA__SMF_ALWAYS   4u  /* the blend gives score and label of every comment not kept
                                  below (no confidence floor); else only confident
                                  disagreements replace the rules */
#define TEMA__SMF_KEEP_PHRASE 8u    /* the rules stand where a phrase or idiom fired */
#define TEMA__SMF_KEEP_NEGATION 16u /* ... where a negation fired */
#define TEMA__SMF_KEEP_MODIFIER 32u /* ... where an intensifier or dampener fired */
#define TEMA__SMF_SCORE 64u  /* without ALWAYS: where the model agrees with the rules' label
                                on a comment of more than TEMA__SM_SCORE_WORDS words, the score
                                is the blend too (the label stays the same) */
/* More feature switches (issue 6, step 5). */
#define TEMA__SMF_AFFIX 128u /* hash the first and last bytes of long stems: compound heads and
                                modifiers of Norwegian and Danish words the bag has not seen */
#define TEMA__SMF_LAST  256u /* hash the stems of the last clause with words once more: the
                                verdict of a review usually comes last */
/* Issue 6, Norwegian. */
#define TEMA__SMF_LONGONLY 1024u /* the model may change label and score only of comments of
                                    more than TEMA__SM_SCORE_WORDS words: short ones keep the
                                    rules' graded valences, which the rule cases pin down */
#define TEMA__SMF_CHARGRAM 512u /* hash the byte 3-5-grams of each word's normalised form
                                   (with boundary marks): inflections and compounds */

/* TEMA__SMF_SCORE leaves the score of comments of at most this many words
 * to the rules: their graded lexicon valences order short comments
 * (jättebra > bra, the rule cases), where a bag of hashed words is noise;
 * in longer ones plot and judgement mix and the model's probability tracks
 * human scores better (models/README.md).  The length bucket of the dense
 * features (index 17 is 4-8 words). */
#define TEMA__SM_SCORE_WORDS 8
#define TEMA__SM_LONG_FROM 18  /* dense index of the first length bucket above 8 words */

/* The rules' label threshold (sentiment.c, docs/sentiment.md). */
#define TEMA__SM_RULE_THRESHOLD 0.05f
/* A rule score at least this far from 0 is never relabelled by the model:
 * strong words in customer feedback mean what they say (model.c says more).
 * The trainer's calibration applies the same guard. */
#define TEMA__SM_RULES_CONFIDENT 0.75

/* Called once per feature of a comment with its index in the feature space
 * (dense index, or TEMA__SM_DENSE + bucket) and value. */
typedef void (*tema__sm_emit)(void *ctx, uint32_t index, float value);

/* The features of the analysed comment in 'd' (after tema__sentiment_run):
 * the trainer and the scorer share this one function, so they cannot
 * disagree.  'nbuckets' is a power of two.  No allocation. */
void tema__sentmodel_features(const tema_doc *d, uint32_t nbuckets, unsigned flags,
                              tema__sm_emit emit, void *ctx);

/* Loads models/sentiment.bin into e->sentmodel.  A missing file leaves the
 * rules alone (TEMA_OK, no model); a malformed one is TEMA_ERR_PARSE. */
tema_status tema__sentmodel_load(tema_engine *e);
/* Loads a model from 'path' (tests, tools). */
tema_status tema__sentmodel_load_file(tema_engine *e, const char *path);
void tema__sentmodel_free(struct tema__sentmodel *m);

/* Did the rules find no opinion in the analysed comment in 'd' (no
 * positive or negative unit: no lexicon word, phrase, emoji or hashtag
 * with a valence)?  There the model's evidence is topic words alone, and
 * the file's quiet floor applies (tema__sentmodel_apply, issue 6). */
static inline bool tema__sentmodel_quiet(const tema_doc *d)
{
    return d->sfeat.npos == 0 && d->sfeat.nneg == 0;
}

/* The KEEP bits of 'flags' that the rules of the analysed comment in 'd'
 * fired: where one is set, the rules' score and label stand. */
unsigned tema__sentmodel_kept(const tema_doc *d, unsigned flags);

/* Replaces the rule score and label of 'd' by the model's, when the
 * engine has a model for the comment's language.  Clause scores stay. */
void tema__sentmodel_apply(tema_doc *d);

/* Deterministic held-out split shared by tools/train-sentiment and
 * tools/eval-sentiment, by a hash of the text: a fifth of the Swedish and
 * English texts, two fifths of the 190 Danish sentences (so the test part
 * is not trivially small).  Norwegian uses NoReC's own dev split instead. */
static inline bool tema__sentiment_heldout(tema_lang lang, const char *text, size_t len)
{
    uint64_t h = tema__hash(text, len) >> 7;  /* other bits than the langid split */
    return lang == TEMA_LANG_DA ? h % 5 < 2 : h % 5 == 0;
}

#endif
