/*
 * doc.c: the per-thread analysis object and the pipeline that runs a
 * comment, or a batch of comments stage by stage, through the stages.
 * Every buffer lives here and is reused, so after the first few comments
 * the hot path does not allocate.
 */
#include <stdlib.h>

#include "compound.h"
#include "engine.h"
#include "langid.h"
#include "model.h"
#include "pii.h"
#include "taxonomy.h"

tema_status tema_doc_new(const tema_engine *engine, tema_doc **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    if (!engine)
        return TEMA_ERR_MISUSE;
    tema_doc *d = calloc(1, sizeof *d);
    if (!d)
        return TEMA_ERR_NOMEM;
    d->engine = engine;
    d->wc = &d->own;
    for (int i = 0; i < TEMA_LANG_COUNT; i++)
        tema__strmap_init(&d->own.words[i]);
    tema__strmap_init(&d->own.lid_words);
    *out = d;
    return TEMA_OK;
}

void tema_doc_free(tema_doc *d)
{
    if (!d)
        return;
    tema__tokvec_free(&d->toks);
    tema__buf_free(&d->norm);
    tema__norm_scratch_free(&d->ns);
    for (int i = 0; i < TEMA_LANG_COUNT; i++) {
        tema__stemmer_free(d->own.stemmers[i]);
        tema__strmap_free(&d->own.words[i]);
    }
    free(d->own.wordv);
    tema__buf_free(&d->own.wtext);
    tema__strmap_free(&d->own.lid_words);
    free(d->own.lid_v);
    free(d->tok_hash);
    free(d->tok_lid);
    tema__sentiment_doc_free(d);
    tema__themes_doc_free(d);
    tema__pii_doc_free(d);
    free(d);
}

static void reset_words(tema_doc *d)
{
    for (int i = 0; i < TEMA_LANG_COUNT; i++)
        tema__strmap_clear(&d->wc->words[i]);
    d->wc->nwords = 0;
    d->wc->wtext.len = 0;
    /* the language evidence outlives the records: unlink it from them */
    for (size_t i = 0; i < d->wc->lid_n; i++)
        for (int l = 0; l < 4; l++)
            d->wc->lid_v[i].word[l] = -1;
}

/* Empties the word records before a comment (or a batch) that could take a
 * language's cache past TEMA__WORD_CACHE_MAX, never inside one: a token holds the
 * index of its record, and after a reset in mid-comment the words that
 * follow would overwrite records that earlier tokens point to, so the
 * comment's analysis would depend on the comments before it (and on which
 * thread of `tema analyze --threads` saw them).  'words' bounds the records
 * the comment can add to one language: per word token its form, its
 * elongation alternative and the form language id checks (a hashtag's
 * without its '#'). */
static void make_room(tema_doc *d, size_t words)
{
    for (int i = 0; i < TEMA_LANG_COUNT; i++)
        if (d->wc->words[i].count + words >= TEMA__WORD_CACHE_MAX) {
            reset_words(d);
            return;
        }
}

int32_t tema__doc_word(tema_doc *d, tema_lang lang, const char *norm, size_t len)
{
    tema__strmap *m = &d->wc->words[lang];
    tema__strmap_entry *e = tema__strmap_get(m, norm, len);
    if (e)
        return (int32_t)e->value;
    if (!d->wc->stemmers[lang] && tema__stemmer_new(lang, &d->wc->stemmers[lang]) != TEMA_OK)
        return -1;
    const char *stem;
    size_t stem_len;
    if (tema__stem(d->wc->stemmers[lang], norm, len, &stem, &stem_len) != TEMA_OK)
        return -1;
    if (d->wc->nwords == d->wc->capwords) {
        size_t cap = d->wc->capwords ? d->wc->capwords * 2 : 1024;
        tema__word *v = realloc(d->wc->wordv, cap * sizeof *v);
        if (!v)
            return -1;
        d->wc->wordv = v;
        d->wc->capwords = cap;
    }
    tema__word *w = &d->wc->wordv[d->wc->nwords];
    memset(w, 0, sizeof *w);
    w->stem_off = (uint32_t)d->wc->wtext.len;
    w->stem_len = (uint32_t)stem_len;
    w->mult = 1.0f;
    w->phrase = -1;
    w->themes = -1;
    if (tema__buf_append(&d->wc->wtext, stem, stem_len) != TEMA_OK)
        return -1;
    w->norm_hash = tema__hash(norm, len);
    w->stem_hash = tema__hash(stem, stem_len);
    tema__compound_resolve(d->engine, d, lang, w, norm, len);
    tema__lexicon_resolve(d->engine, d, lang, w, norm, len);
    tema__theme_resolve(d->engine, d, lang, w, norm, len);
    /* Past the hard limit the record is made but not cached: emptying the
     * cache here would hand the indices that earlier tokens of this comment
     * (or batch) hold to other words.  Only a comment of hundreds of
     * thousands of new words gets here; make_room() empties the cache
     * before the next one. */
    if (m->count < TEMA__WORD_CACHE_HARD) {
        if (tema__strmap_put(m, norm, len, (uint32_t)d->wc->nwords, NULL) != TEMA_OK)
            return -1;
        /* stem_tokens() reads each cached key with whole-word loads */
        if (tema__buf_reserve(&m->keys, TEMA__HASH_SLACK) != TEMA_OK)
            return -1;
    }
    return (int32_t)d->wc->nwords++;
}

/* Hashes the normalised form of every word token once, for the two caches
 * keyed by it (langid.c's evidence, the word records): whole-word loads,
 * made safe by zeroed slack after the last form. */
static tema_status hash_words(tema_doc *d)
{
    if (tema__buf_reserve(&d->norm, TEMA__HASH_SLACK) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    memset(d->norm.p + d->norm.len, 0, TEMA__HASH_SLACK);
    if (d->toks.n > d->cap_tok_hash) {
        size_t cap = d->cap_tok_hash ? d->cap_tok_hash : 256;
        while (cap < d->toks.n)
            cap *= 2;
        uint64_t *v = realloc(d->tok_hash, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        d->tok_hash = v;
        uint32_t *li = realloc(d->tok_lid, cap * sizeof *li);
        if (!li)
            return TEMA_ERR_NOMEM;
        d->tok_lid = li;
        d->cap_tok_hash = cap;
    }
    d->tok_lid_gen = 0; /* language identification links this text's words, if it runs */
    for (size_t i = 0; i < d->toks.n; i++) {
        const tema__token *t = &d->toks.v[i];
        if (t->type == TEMA_TOK_WORD)
            d->tok_hash[i] = tema__hash_padded(d->norm.p + t->norm_off, t->norm_len);
    }
    return TEMA_OK;
}

static tema_status stem_tokens(tema_doc *d)
{
    if (d->lang == TEMA_LANG_UND)
        return TEMA_OK;
    /* Almost every word is already cached, so the lookup is the whole cost
     * of this stage: one probe with the hash hash_words() computed; only a
     * miss takes tema__doc_word(). */
    const tema__strmap *m = &d->wc->words[d->lang];
    /* Where language identification ran on this text, each word token is
     * linked to its form's language evidence, which remembers the form's
     * record per language: then a token costs no probe at all, and a form
     * pays one the first time in a language. */
    tema__lidword *lv = d->tok_lid_gen == d->wc->lid_gen + 1 ? d->wc->lid_v : NULL;
    for (size_t i = 0; i < d->toks.n; i++) {
        tema__token *t = &d->toks.v[i];
        if (t->type != TEMA_TOK_WORD)
            continue;
        int32_t *link = lv ? &lv[d->tok_lid[i]].word[d->lang - TEMA_LANG_SV] : NULL;
        if (link && *link >= 0) {
            t->word = *link;
            continue;
        }
        const char *key = d->norm.p + t->norm_off;
        size_t len = t->norm_len;
        const tema__strmap_entry *e = tema__strmap_find_padded(m, key, len, d->tok_hash[i]);
        int32_t w = e ? (int32_t)e->value : -1;
        if (w < 0 && (w = tema__doc_word(d, d->lang, key, len)) < 0)
            return TEMA_ERR_NOMEM;
        t->word = w;
        if (link)
            *link = w;
    }
    return TEMA_OK;
}

tema_status tema_doc_analyze(tema_doc *d, const char *text, size_t len,
                             const tema_analyze_opts *opts)
{
    if (!d || (!text && len))
        return TEMA_ERR_MISUSE;
    const char *texts[1] = {text ? text : ""};
    return tema_doc_analyze_batch(&d, texts, &len, 1, opts);
}

tema_status tema_doc_new_sibling(tema_doc *first, tema_doc **out)
{
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    if (!first)
        return TEMA_ERR_MISUSE;
    tema_status st = tema_doc_new(first->engine, out);
    if (st == TEMA_OK)
        (*out)->wc = first->wc;
    return st;
}

/* The stages run one after the other over the whole batch, not comment by
 * comment: the code of all stages together does not fit a core's
 * instruction cache, so running one comment through all of them fetches
 * every stage's code again for each comment (docs/performance.md).  A
 * comment's result does not depend on the others of its batch: the shared
 * word cache holds what is known about a word form, the same for every
 * comment, and it is emptied only before the batch (make_room()), never
 * between two comments of it, since their tokens already point into it.
 * 'opts' is one set of options for the whole batch ('step' 0) or one per
 * comment ('step' 1); the stage is the same for all, since each stage runs
 * over the whole batch. */
static tema_status analyze_batch(tema_doc *const *dv, const char *const *texts,
                                 const size_t *lens, size_t k, const tema_analyze_opts *opts,
                                 size_t step)
{
    tema_stage stage = opts->stage ? opts->stage : TEMA_STAGE_ALL;
    if (k && (!dv || !texts || !lens))
        return TEMA_ERR_MISUSE;
    for (size_t b = 0; b < (step ? k : 1); b++) {
        const tema_analyze_opts *o = &opts[b * step];
        if (o->lang < TEMA_LANG_UND || o->lang >= TEMA_LANG_COUNT ||
            (o->stage ? o->stage : TEMA_STAGE_ALL) != stage)
            return TEMA_ERR_MISUSE;
    }
    for (size_t b = 0; b < k; b++)
        if (!dv[b] || (!texts[b] && lens[b]) || dv[b]->wc != dv[0]->wc)
            return TEMA_ERR_MISUSE;
    tema_status st = TEMA_OK;
    size_t words = 0;
    for (size_t b = 0; b < k; b++) {
        tema_doc *d = dv[b];
        d->text = texts[b] ? texts[b] : "";
        d->len = lens[b];
        d->touchpoint = opts[b * step].touchpoint;
        d->stage = stage;
        d->lang = TEMA_LANG_UND;
        for (int i = 0; i < TEMA_LANG_COUNT; i++)
            d->lang_scores[i] = i == TEMA_LANG_UND;
        d->lang_letters = 0;
        d->sentiment = 0;
        d->label = TEMA_LABEL_NEUTRAL;
        d->nclauses = d->nexplain = d->nmentions = d->nsunits = 0;
        st = tema__tokenize(d->text, d->len, &d->toks, &d->norm, &d->ns, &d->repairs);
        if (st != TEMA_OK)
            goto out;
        if (stage < TEMA_STAGE_LANG)
            continue;
        if ((st = hash_words(d)) != TEMA_OK)
            goto out;
        words += 3 * d->toks.n + 8;
    }
    if (stage < TEMA_STAGE_LANG)
        goto out;
    if (k)
        make_room(dv[0], words);
    for (size_t b = 0; b < k; b++) {
        tema_doc *d = dv[b];
        const tema_analyze_opts *o = &opts[b * step];
        if (o->lang != TEMA_LANG_UND) {
            d->lang = o->lang;
            for (int i = 0; i < TEMA_LANG_COUNT; i++)
                d->lang_scores[i] = i == (int)o->lang;
        } else {
            d->lang = tema__langid_classify(d->engine->langid, d, o->lang_prior, d->lang_scores);
        }
    }
    if (stage < TEMA_STAGE_STEM)
        goto out;
    for (size_t b = 0; b < k; b++)
        if ((st = stem_tokens(dv[b])) != TEMA_OK)
            goto out;
    if (stage < TEMA_STAGE_SENTIMENT)
        goto out;
    for (size_t b = 0; b < k; b++)
        if ((st = tema__sentiment_run(dv[b])) != TEMA_OK)
            goto out;
    for (size_t b = 0; b < k; b++)
        tema__sentmodel_apply(dv[b]);
    if (stage < TEMA_STAGE_THEMES)
        goto out;
    for (size_t b = 0; b < k; b++)
        if ((st = tema__themes_run(dv[b])) != TEMA_OK)
            goto out;
    for (size_t b = 0; b < k; b++)
        tema__implicit_apply(dv[b]);
    for (size_t b = 0; b < k; b++)
        tema__cues_apply(dv[b]);
    for (size_t b = 0; b < k; b++)
        tema__themes_settle(dv[b]);
out:
    for (size_t b = 0; b < k; b++)
        dv[b]->text = NULL;
    return st;
}

tema_status tema_doc_analyze_batch(tema_doc *const *dv, const char *const *texts,
                                   const size_t *lens, size_t k, const tema_analyze_opts *opts)
{
    static const tema_analyze_opts defaults;
    return analyze_batch(dv, texts, lens, k, opts ? opts : &defaults, 0);
}

tema_status tema_doc_analyze_batch_each(tema_doc *const *dv, const char *const *texts,
                                        const size_t *lens, size_t k,
                                        const tema_analyze_opts *opts)
{
    static const tema_analyze_opts defaults;
    if (!k)
        return TEMA_OK; /* nothing to check 'opts' against */
    return analyze_batch(dv, texts, lens, k, opts ? opts : &defaults, opts ? 1 : 0);
}

size_t tema_doc_token_count(const tema_doc *d)
{
    return d ? d->toks.n : 0;
}

tema_status tema_doc_token(const tema_doc *d, size_t i, tema_token *tok)
{
    if (!d || !tok || i >= d->toks.n)
        return TEMA_ERR_MISUSE;
    const tema__token *t = &d->toks.v[i];
    tok->start = t->start;
    tok->end = t->end;
    tok->norm = d->norm.p + t->norm_off;
    tok->norm_len = t->norm_len;
    if (t->word >= 0) {
        const tema__word *w = &d->wc->wordv[t->word];
        tok->stem = d->wc->wtext.p + w->stem_off;
        tok->stem_len = w->stem_len;
    } else {
        tok->stem = tok->norm;
        tok->stem_len = tok->norm_len;
    }
    tok->type = (tema_token_type)t->type;
    tok->flags = t->flags;
    tok->count = t->count;
    return TEMA_OK;
}

size_t tema_doc_repairs(const tema_doc *d)
{
    return d ? d->repairs : 0;
}

tema_lang tema_doc_lang(const tema_doc *d)
{
    return d ? d->lang : TEMA_LANG_UND;
}

void tema_doc_lang_scores(const tema_doc *d, double scores[TEMA_LANG_COUNT])
{
    for (int i = 0; i < TEMA_LANG_COUNT; i++)
        scores[i] = d ? d->lang_scores[i] : i == TEMA_LANG_UND;
}

tema_status tema_doc_stem(tema_doc *d, tema_lang lang, const char *word, size_t len,
                          const char **stem, size_t *stem_len)
{
    if (!d || !stem || !stem_len || (!word && len) || lang <= TEMA_LANG_UND ||
        lang >= TEMA_LANG_COUNT)
        return TEMA_ERR_MISUSE;
    make_room(d, 1);
    int32_t w = tema__doc_word(d, lang, word ? word : "", len);
    if (w < 0)
        return TEMA_ERR_NOMEM;
    *stem = d->wc->wtext.p + d->wc->wordv[w].stem_off;
    *stem_len = d->wc->wordv[w].stem_len;
    return TEMA_OK;
}

int tema_doc_lang_confident(const tema_doc *d)
{
    return d && d->lang != TEMA_LANG_UND && d->lang_letters >= TEMA__LANG_CONFIDENT_LETTERS &&
           d->lang_scores[d->lang] >= 0.9;
}

void tema_lang_prior(const size_t counts[TEMA_LANG_COUNT], double prior[TEMA_LANG_COUNT])
{
    /* Add-one smoothing: a language never seen in the sample keeps a
     * small weight, so the prior tips ties but never forbids. */
    double total = 0;
    for (int l = TEMA_LANG_SV; l < TEMA_LANG_COUNT; l++)
        total += (double)counts[l] + 1.0;
    prior[TEMA_LANG_UND] = 0;
    for (int l = TEMA_LANG_SV; l < TEMA_LANG_COUNT; l++)
        prior[l] = ((double)counts[l] + 1.0) / total;
}

size_t tema_doc_regex_stops(const tema_doc *d)
{
    return d ? tema__themes_regex_limit_hits(d) + d->pii_limit_hits : 0;
}
