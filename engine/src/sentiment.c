/*
 * sentiment.c: the rule-based scorer.  One pass over the tokens of a
 * comment, clause by clause: lexicon words, phrases and emoji give units
 * with a valence; compound prefixes, intensifiers, dampeners, ALL CAPS,
 * negation (forward and post-position), contrast, exclamation marks and
 * questions adjust them; a completion verb a negator denies is a failure
 * ("har inte levererats", "dekket ikke skaden": cues.txt `done`, `remedy`);
 * requests, wishes and sarcasm (requests.txt) keep politeness and wishes
 * from counting as praise.  Every constant is documented in
 * docs/sentiment.md; the normalisation x / sqrt(x^2 + alpha) follows VADER
 * (Hutto & Gilbert, ICWSM 2014).  No allocation per token: clause and explanation arrays
 * grow once and are reused.
 */
#include <math.h>
#include <stdlib.h>

#include "engine.h"
#include "lexicon.h"

/* ---- constants (docs/sentiment.md) ------------------------------------ */

#define NEG_FACTOR      (-0.74f) /* a negated unit keeps 74% of its strength, flipped */
#define NEG_SCOPE       3        /* a negator reaches units starting up to 3 tokens after it */
#define POST_NEG_SCOPE  3        /* ...or, unused, the unit ending up to 3 tokens before it */
#define BOTH_NEG_SCOPE  6        /* "neither" reaches both members of "neither X nor Y" */
#define IRONY_FACTOR    -0.74f   /* praise in scare quotes: flipped like a negation */
#define IRONY_SPANS     4        /* sentences with irony marks told apart; later ones join the last */
#define MOD_SCOPE       2        /* a modifier reaches a unit starting up to 2 tokens after it */
#define CAPS_BOOST      0.733f   /* added to |valence| of an ALL CAPS word in mixed-case text */
#define EXCLAIM_BOOST   0.292f   /* added to |clause sum| per '!' ... */
#define EXCLAIM_MAX     4        /* ... for at most 4 marks */
#define QUESTION_FACTOR 0.6f     /* a clause ending in '?' keeps 60% */
#define CONTRAST_BEFORE 0.5f     /* weight of the clauses before a contrast word */
#define CONTRAST_AFTER  1.5f     /* weight of the clauses from it to the end of its sentence */
#define REPEAT_BOOST    0.5f     /* added to |valence| per repeated emoticon mark ":)))" ... */
#define REPEAT_MAX      2        /* ... for at most 2 repeats */
#define ALPHA           TEMA__SENTIMENT_ALPHA /* normalisation x / sqrt(x^2 + ALPHA) */
#define LABEL_THRESHOLD TEMA__LABEL_CUT       /* score >= +t positive, <= -t negative */

#define EXPLAIN_MAX     64       /* explanation items kept per comment */
#define CLAUSE_UNITS    32       /* units per clause eligible for post-position negation */
#define ELIDED_WORDS    4        /* words after the negator of an elided clause ("men inte med priset") */
#define CLAUSE_NEGS     4        /* negators per clause tracked */
#define ACT_SPANS       4        /* requests, complaints and sarcastic openings kept per comment */
#define REQUEST_VALENCE (-1.5f)  /* a requested fix or a bare improvement wish: a mild complaint */
/* Words without which a sentence is no request or wish (find_acts()). */
#define ACT_TRIGGERS    (TEMA__ACT_PLEASE | TEMA__ACT_GLADLY | TEMA__ACT_MODAL | TEMA__ACT_WISH | \
                         TEMA__ACT_COND | TEMA__ACT_FIX | TEMA__ACT_MORE | TEMA__ACT_SEQ)
#define DONE_VALENCE    3.0f     /* a completion verb that a negator denies: 3 x -0.74 = -2.22,
                                    about what one implicit complaint adds (-0.5 alone) */
#define DONE_BEFORE     2        /* tokens a completion verb may stand before its negator
                                    ("kom paketet inte", "dekket de ikke") */
#define DONE_AFTER      2        /* ... or after it ("has not been collected"); further on
                                    it is another verb's ("not expecting to receive") */

/* Which negations reach a unit (add_unit()). */
typedef enum reach {
    NEGATABLE,     /* forward and post-position */
    FORWARD_ONLY,  /* a phrase holding a negator: "not without problems", never "... inte" */
    FEELING        /* an emoji: the customer's own feeling, never negated */
} reach;

/* One unit of the current clause. */
typedef struct unit {
    uint32_t first;    /* first token */
    uint32_t end;      /* one past the last token */
    float v;           /* contribution so far */
    bool negatable;    /* by a negator after it: false for phrases that contain one */
    bool negated;      /* flipped already */
} unit;

/* A negator seen in the current clause. */
typedef struct negator {
    uint32_t tok;      /* its token */
    bool used;         /* reached a unit after it */
    bool forward;      /* TEMA__LEX_NEG_FORWARD: no post-position flip across its own noun */
    bool both;         /* TEMA__LEX_NEG_BOTH: "neither", whose reach covers "nor Y" too */
    bool remedy;       /* 'verb' remedies a problem: the negator reaches nothing after it */
    uint32_t verb;     /* the completion verb it denies (cues.txt `done`, `remedy`), or
                          UINT32_MAX: "har inte levererats", "dekket ikke skaden" */
} negator;

/* State of one scoring pass. */
typedef struct run {
    tema_doc *d;
    const struct tema__lexicon *lx;   /* the comment language's lexicon (NULL for und) */
    const struct tema__lexicon *all;  /* lexicons/all */
    bool caps_ok;                     /* text has lower-case words, so CAPS is emphasis */
    uint32_t cfirst;                  /* first token of the current clause */
    unit units[CLAUSE_UNITS];         /* units of the current clause */
    size_t nunits;                    /* in 'units' */
    float over_pos, over_neg;         /* units beyond CLAUSE_UNITS */
    uint16_t nover;                   /* how many */
    negator negs[CLAUSE_NEGS];        /* negators of the current clause */
    size_t nnegs;                     /* in 'negs' */
    float mod;                        /* pending modifier product, 1 for none */
    uint32_t mod_tok;                 /* token of the last pending modifier */
    bool contrast;                    /* the current clause starts with a contrast word */
    bool concessive;                  /* ...a concessive one: it weighs CONTRAST_BEFORE */
    bool after_contrast;              /* a contrast word came earlier in this sentence */
    size_t sent_first;                /* first clause of the current sentence */
    size_t prev_sent_first;           /* first clause of the sentence before */
    uint32_t irony[IRONY_SPANS][2];   /* token spans [from, to) irony marks cover ... */
    size_t nirony;                    /* ... in use */
    size_t signoff;                   /* first token of a closing sign-off, or toks.n */
    float last_v;                     /* the last unit of the clauses closed so far ... */
    bool last_negated;                /* ... whether a negator flipped it ... */
    size_t last_clause;               /* ... and its clause, SIZE_MAX for none (elision) */
    uint32_t quiet[ACT_SPANS][2];     /* token spans [from, to) of requests and wishes ... */
    size_t nquiet;                    /* ... in use */
    uint32_t complaint[ACT_SPANS];    /* tokens of requested fixes and bare wishes ... */
    size_t ncomplaint;                /* ... in use */
    uint32_t sarcasm[ACT_SPANS];      /* praise words opening a sarcastic sentence ... */
    size_t nsarcasm;                  /* ... in use */
    bool request;                     /* the comment asks or wishes: its thanks are politeness */
} run;

const char *tema_label_name(tema_label label)
{
    switch (label) {
    case TEMA_LABEL_POSITIVE: return "positive";
    case TEMA_LABEL_NEGATIVE: return "negative";
    default: return "neutral";
    }
}

static float signf(float x)
{
    return x > 0 ? 1.0f : x < 0 ? -1.0f : 0.0f;
}

static void explain(tema_doc *d, uint32_t start, uint32_t end, const char *rule, float weight)
{
    if (d->nexplain == d->capexplain) {
        if (d->capexplain >= EXPLAIN_MAX)
            return;
        size_t cap = d->capexplain ? d->capexplain * 2 : 16;
        tema__explain *v = realloc(d->explain, cap * sizeof *v);
        if (!v)
            return;  /* explanations are best effort; the score does not depend on them */
        d->explain = v;
        d->capexplain = cap;
    }
    tema__explain *x = &d->explain[d->nexplain++];
    x->start = start;
    x->end = end;
    x->rule = rule;
    x->weight = weight;
}

void tema__sentiment_explain(tema_doc *d, uint32_t start, uint32_t end, const char *rule,
                             float weight)
{
    explain(d, start, end, rule, weight);
}

static void explain_tok(tema_doc *d, uint32_t tok, const char *rule, float weight)
{
    explain(d, d->toks.v[tok].start, d->toks.v[tok].end, rule, weight);
}

static const tema__word *word_alt(run *r, tema__token *t);

/* The word record of a token, falling back to the elongation alternative
 * ("sooo" -> "so") when the normalised form is unknown to the lexicon.
 * Inline: it runs for every token, and the fallback is rare. */
static inline const tema__word *word_of(run *r, size_t i)
{
    tema_doc *d = r->d;
    tema__token *t = &d->toks.v[i];
    if (t->word < 0)
        return NULL;
    const tema__word *w = &d->wc->wordv[t->word];
    if (w->cls || !t->alt_len || !r->lx)
        return w;
    return word_alt(r, t);
}

static const tema__word *word_alt(run *r, tema__token *t)
{
    tema_doc *d = r->d;
    int32_t a = tema__doc_word(d, d->lang, d->norm.p + t->alt_off, t->alt_len);
    if (a < 0)
        return &d->wc->wordv[t->word];
    if (d->wc->wordv[a].cls)
        t->word = a;
    return &d->wc->wordv[t->word];
}

/* Tries the phrases starting with token 'i'; returns the longest match's
 * length in tokens (0 for none). */
static size_t match_phrase(const run *r, int32_t head, size_t i, const tema__phrase **out)
{
    const tema_doc *d = r->d;
    const struct tema__lexicon *lx = r->lx;
    if (i + 1 >= d->toks.n)
        return 0;
    /* The next token's hashes, by stem and by exact form: a word's are in
     * its record (unless word_of() swapped in the elongation alternative,
     * whose key is not the token's form); other tokens are hashed here. */
    const tema__token *t1 = &d->toks.v[i + 1];
    uint64_t hn, hs;
    if (t1->word >= 0) {
        const tema__word *w = &d->wc->wordv[t1->word];
        hs = w->stem_hash;
        hn = t1->alt_len ? tema__hash_padded(d->norm.p + t1->norm_off, t1->norm_len)
                         : w->norm_hash;
    } else {
        /* the forms are followed by hash_words()'s zeroed slack (doc.c) */
        hn = hs = tema__hash_padded(d->norm.p + t1->norm_off, t1->norm_len);
    }
    /* Most first words start phrases none of whose second words follow:
     * one bit test each instead of the walk. */
    uint64_t follow = lx->ph[head].follow;
    if (!((follow >> (hs >> 58)) & 1) && !((follow >> (hn >> 58)) & 1))
        return 0;
    for (int32_t p = head; p >= 0; p = lx->ph[p].next) {
        const tema__phrase *ph = &lx->ph[p];
        if ((ph->stem2 ? hs : hn) != ph->h2 || i + ph->nwords > d->toks.n)
            continue;
        const unsigned char *enc = (const unsigned char *)lx->text.p + ph->words;
        enc += 2 + enc[1];  /* the first word matched through the word record */
        bool ok = true;
        for (size_t k = 1; k < ph->nwords && ok; k++) {
            const tema__token *t = &d->toks.v[i + k];
            const char *s = d->norm.p + t->norm_off;
            size_t n = t->norm_len;
            if (enc[0] == '~' && t->word >= 0) {
                const tema__word *w = &d->wc->wordv[t->word];
                s = d->wc->wtext.p + w->stem_off;
                n = w->stem_len;
            }
            ok = n == enc[1] && memcmp(s, enc + 2, n) == 0;
            enc += 2 + enc[1];
        }
        if (ok) {
            *out = ph;
            return ph->nwords;
        }
    }
    return 0;
}

/* Does a unit start within MOD_SCOPE tokens after 'i' (in the clause)? */
static bool unit_follows(run *r, size_t i)
{
    tema_doc *d = r->d;
    for (size_t k = i + 1; k <= i + MOD_SCOPE && k < d->toks.n; k++) {
        const tema__word *w = word_of(r, k);
        if (w && (w->cls & TEMA__LEX_VALENCE || w->phrase >= 0))
            return true;
        if (d->toks.v[k - 1].flags & TEMA_TOKF_CLAUSE_END)
            return false;
    }
    return false;
}

/* Within the reach of "neither", the "nor" after it negates the same
 * thing again: a unit starting at 'first' is negated once, by "neither".
 * The index of that "neither" among r->negs, or r->nnegs. */
static size_t both_negator(const run *r, uint32_t first)
{
    size_t both = r->nnegs;
    for (size_t k = 0; k < r->nnegs && both == r->nnegs; k++)
        if (r->negs[k].both && first - r->negs[k].tok <= BOTH_NEG_SCOPE)
            both = k;
    return both;
}

/* How many `even` words (ens, engang, even) lie in (from, to)? */
static uint32_t evens_between(const tema_doc *d, uint32_t from, uint32_t to)
{
    uint32_t n = 0;
    for (uint32_t j = from + 1; j < to; j++) {
        int32_t w = d->toks.v[j].word;
        n += w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_CUE_EVEN);
    }
    return n;
}

/* Does negator k reach a unit starting at 'first' (add_unit(),
 * negation_sign())?  Within NEG_SCOPE tokens after it (BOTH_NEG_SCOPE for
 * the "neither" at 'both'), an `even` word between not counted ("didn't
 * even have to wait", "behövde inte ens vänta"); a remedy's negator only
 * its verb ("dekket ikke skaden", "didn't fix the problem": the negator
 * denies the remedy, not the problem after it). */
static bool negator_reaches(const run *r, size_t k, uint32_t first, size_t both)
{
    const negator *n = &r->negs[k];
    uint32_t gap = first - n->tok, scope = k == both ? BOTH_NEG_SCOPE : NEG_SCOPE;
    if (gap > scope && gap <= scope + 2)
        gap -= evens_between(r->d, n->tok, first);
    return gap <= scope && !(n->remedy && first != n->verb);
}

static void add_unit(run *r, uint32_t first, uint32_t end, float v, reach negation,
                     const char *rule, float base)
{
    tema_doc *d = r->d;
    tema__sentfeat *f = &d->sfeat;
    explain(d, d->toks.v[first].start, d->toks.v[end - 1].end, rule, base);
    if (r->mod != 1.0f && first - r->mod_tok <= MOD_SCOPE) {
        v *= r->mod;
        explain_tok(d, r->mod_tok, r->mod > 1 ? "intensifier" : "dampener", r->mod);
        if (r->mod > 1)
            f->nintensified++;
        else
            f->ndampened++;
    }
    r->mod = 1.0f;
    /* Forward negation reaches phrases too: the negator inside "without
     * problems" is part of its valence, a "not" before it is a second
     * negation ("not without problems" is negative). */
    bool negated = false;
    /* An emoji is the customer's own feeling, never what a negator denies:
     * "Ingen mat 😡" is angry, not pleased. */
    if (negation != FEELING) {
        size_t both = both_negator(r, first);
        for (size_t k = 0; k < r->nnegs; k++) {
            if (!negator_reaches(r, k, first, both))
                continue;
            r->negs[k].used = true;
            if (both < k)
                continue;
            v *= NEG_FACTOR;
            negated = true;
            explain_tok(d, r->negs[k].tok, "negation", NEG_FACTOR);
        }
        if (negated)
            f->nnegated++;
    }
    if (r->nunits < CLAUSE_UNITS) {
        unit *u = &r->units[r->nunits++];
        u->first = first;
        u->end = end;
        u->v = v;
        u->negatable = negation == NEGATABLE;
        u->negated = negated;
    } else {
        if (v > 0)
            r->over_pos += v;
        else
            r->over_neg += v;
        r->nover++;
    }
}

static tema_status grow_clauses(tema_doc *d)
{
    size_t cap = d->capclauses ? d->capclauses * 2 : 16;
    tema__clause *v = realloc(d->clauses, cap * sizeof *v);
    if (!v)
        return TEMA_ERR_NOMEM;
    d->clauses = v;
    d->capclauses = cap;
    return TEMA_OK;
}

/* Is there a word token in (tok, end)? */
static bool word_follows(const tema_doc *d, uint32_t tok, uint32_t end)
{
    for (uint32_t j = tok + 1; j < end; j++)
        if (d->toks.v[j].type == TEMA_TOK_WORD)
            return true;
    return false;
}

/* Is token 'i' a quotation mark? */
static bool is_quote(const tema_doc *d, size_t i)
{
    const tema__token *t = &d->toks.v[i];
    if (t->type != TEMA_TOK_PUNCT)
        return false;
    const unsigned char *s = (const unsigned char *)d->norm.p + t->norm_off;
    switch (t->norm_len) {
    case 1: return s[0] == '"' || s[0] == '\'';
    case 2: return s[0] == 0xC2 && (s[1] == 0xAB || s[1] == 0xBB);           /* « » */
    case 3: return s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x98 && s[2] <= 0x9E &&
                   s[2] != 0x9A && s[2] != 0x9B;                             /* ‘ ’ “ ” „ */
    default: return false;
    }
}

/* Is the word token 'k' a plain noun-like word: no function word, no
 * opinion word, no cue word ("tog", "kommer")?  Only a named noun cue
 * (modell, model) may be one. */
static bool plain_head(const tema_doc *d, size_t k)
{
    const tema__token *tk = &d->toks.v[k];
    if (tk->type != TEMA_TOK_WORD || tk->word < 0 ||
        (tk->flags & (TEMA_TOKF_CAPITALISED | TEMA_TOKF_ALLCAPS)))
        return false;
    const tema__word *w = &d->wc->wordv[tk->word];
    return !(w->cls & (TEMA__LEX_STOPWORD | (TEMA__LEX_CUE_ANY & ~TEMA__LEX_CUE_NAMED))) &&
           !((w->cls & TEMA__LEX_VALENCE) && w->valence != 0);
}

static inline uint32_t acts1(const run *r, size_t i);

/* Does the sentence around the quote [open, close) say it is the company's
 * claim: a `claim` word of requests.txt in it ("you advertise", "So much
 * for", "såkallade"), a `thanks` word (thanks for a capitalised praise,
 * 'Tak for den "Hurtige Levering"', is sarcasm), a `yours` word right
 * before the opening quote ('Er "Snabba Leverans"'), or a negative word
 * outside the quote (a complaint about what the quote promised)?  Only read for capitalised quotes. */
static bool claimed(const run *r, size_t open, size_t close)
{
    const tema_doc *d = r->d;
    if (open >= 2 && (acts1(r, open - 2) & TEMA__ACT_YOURS))
        return true;
    size_t s = open - 1, e = close;
    while (s > 0 && !(d->toks.v[s - 1].flags & TEMA_TOKF_SENT_END))
        s--;
    while (e < d->toks.n && !(d->toks.v[e].flags & TEMA_TOKF_SENT_END))
        e++;
    e = e < d->toks.n ? e + 1 : e;
    for (size_t k = s; k < e; k++) {
        if (d->toks.v[k].type != TEMA_TOK_WORD)
            continue;
        if (acts1(r, k) & (TEMA__ACT_CLAIM | TEMA__ACT_THANKS))
            return true;
        int32_t w = d->toks.v[k].word;
        if ((k < open || k >= close) && w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_VALENCE) &&
            d->wc->wordv[w].valence < 0)
            return true;
    }
    return false;
}

/* Are the words [open, close) of a quote a name: two or more, every one
 * capitalised (Title Case or ALL CAPS), and either used attributively (a
 * plain lower-case noun right after the closing quote, 'Jag köpte "Perfect
 * Fit" jeansen', or a `named` noun of cues.txt right before the opening
 * one, 'modellen "Bästa Val"') or with no claim in its sentence (claimed():
 * 'I bought "Best Choice" at your store', 'Ordered "Perfect Fit" in
 * blue').  A claimed one is a scare quote ('So much for "Fast Delivery"',
 * 'The "Great Service" you advertise', 'Er "Snabba Leverans" tog två
 * veckor'), and so is a single capitalised word ('a "Fantastic"
 * experience').  The quote marks are open - 1 and close. */
static bool quoted_name(const run *r, size_t open, size_t close)
{
    const tema_doc *d = r->d;
    if (close - open < 2)
        return false;
    for (size_t k = open; k < close; k++)
        if (!(d->toks.v[k].flags & (TEMA_TOKF_CAPITALISED | TEMA_TOKF_ALLCAPS)))
            return false;
    if (close + 1 < d->toks.n && plain_head(d, close + 1))
        return true;
    int32_t w = open >= 2 ? d->toks.v[open - 2].word : -1;
    if (open >= 2 && d->toks.v[open - 2].type == TEMA_TOK_WORD && w >= 0 &&
        (d->wc->wordv[w].cls & TEMA__LEX_CUE_NAMED))
        return true;
    return !claimed(r, open, close);
}

/* How many words a scare quote holds at most: 'another "exciting update"'
 * is one, a quoted sentence ('they said "we will be happy to help you"')
 * is a report of what was said. */
#define SCARE_QUOTE_WORDS 3

/* Is the word at 'i' in scare quotes ('a "fantastic" experience', 'another
 * "exciting update"')?  The quotes hold at most SCARE_QUOTE_WORDS words and
 * nothing else.  A comment that opens with the quote ('"Bra"', as some
 * survey tools export answers) is an answer in quotes, not irony, so the
 * opening quote must follow something. */
static bool scare_quoted(const run *r, size_t i)
{
    const tema_doc *d = r->d;
    size_t open = i, close = i + 1;
    while (open > 0 && i + 1 - open < SCARE_QUOTE_WORDS &&
           d->toks.v[open - 1].type == TEMA_TOK_WORD)
        open--;
    while (close < d->toks.n && close - open < SCARE_QUOTE_WORDS &&
           d->toks.v[close].type == TEMA_TOK_WORD)
        close++;
    return open > 1 && close < d->toks.n && is_quote(d, open - 1) && is_quote(d, close) &&
           !quoted_name(r, open, close);
}

/* Does token 'k' carry an opinion of its own (a word of nonzero valence)? */
static bool opinion_word(const tema_doc *d, size_t k)
{
    int32_t w = d->toks.v[k].word;
    return w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_VALENCE) && d->wc->wordv[w].valence != 0;
}

/* Are the words [at, end) after the sign-off [start, at) a name?  A comma
 * after the sign-off sets the name apart, whatever it means ("Kind
 * regards, Joy", "Best, Sam"), unless an opinion word comes before a
 * `customer` word of requests.txt: "Regards, Very Disappointed Customer",
 * "Mvh, Arg Kund" describe the writer, and their words count.  Without one, a sign-off that is itself an
 * opinion word ("Best") needs a name with no opinion word ("Fast
 * delivery. Best Service Ever!" is praise, not "Best" signed by "Service
 * Ever"); after any other sign-off a name of two or more words must not
 * start with one ("Kom i tid. Mvh Bra Jobbat" is signed by no one, "Mvh
 * Anna Glad" by Anna).  No phrase of sentiment.txt that starts in the
 * sign-off may reach into the name either. */
static bool plain_name(const run *r, size_t start, size_t at, size_t end)
{
    const tema_doc *d = r->d;
    if (at >= end)
        return true;
    if (tema__is_comma(d, at - 1)) {
        bool opinion = false; /* an opinion word came before */
        for (size_t k = at; k < end; k++) {
            if (opinion && (acts1(r, k) & TEMA__ACT_CUSTOMER))
                return false;
            opinion = opinion || opinion_word(d, k);
        }
        return true;
    }
    bool judging = false; /* the sign-off holds an opinion word */
    for (size_t k = start; k < at && !judging; k++)
        judging = opinion_word(d, k);
    size_t upto = judging ? end : end - at > 1 ? at + 1 : at;
    for (size_t k = at; k < upto; k++)
        if (opinion_word(d, k))
            return false;
    for (size_t k = start; k < at; k++) {
        int32_t w = d->toks.v[k].word;
        const tema__phrase *ph = NULL;
        if (w >= 0 && d->wc->wordv[w].phrase >= 0 &&
            k + match_phrase(r, d->wc->wordv[w].phrase, k, &ph) > at && ph->valence != 0)
            return false;
    }
    return true;
}

/* The first token of the sign-off that closes the comment ("... Best, Sam",
 * "Mvh Anna", "Cheers!"), or toks.n.  A sign-off of signoffs.txt counts
 * when it starts a sentence other than the first and is followed only by
 * an optional comma, up to three capitalised words (a name) and closing
 * punctuation.  Its words are politeness, not praise: "Best" and "Vennlig"
 * made complaints in support tickets positive. */
static size_t find_signoff(const run *r)
{
    const tema_doc *d = r->d;
    size_t n = d->toks.n, end = n;
    if (!r->lx)
        return n;
    while (end > 0 && d->toks.v[end - 1].type == TEMA_TOK_PUNCT)
        end--;
    for (size_t names = 0; names <= 3 && names < end; names++) {
        size_t at = end - names;
        if (names && !(d->toks.v[at].type == TEMA_TOK_WORD &&
                       (d->toks.v[at].flags & TEMA_TOKF_CAPITALISED)))
            break;
        size_t stop = at > 0 && tema__is_comma(d, at - 1) ? at - 1 : at;
        const char *words[TEMA__SIGNOFF_WORDS];
        size_t lens[TEMA__SIGNOFF_WORDS];
        for (size_t m = 1; m <= TEMA__SIGNOFF_WORDS && m < stop; m++) {
            size_t start = stop - m;
            const tema__token *t = &d->toks.v[start];
            if (t->type != TEMA_TOK_WORD)
                break;
            /* words[] holds the sign-off from 'start' on, in order */
            memmove(words + 1, words, (m - 1) * sizeof *words);
            memmove(lens + 1, lens, (m - 1) * sizeof *lens);
            words[0] = d->norm.p + t->norm_off;
            lens[0] = t->norm_len;
            if ((d->toks.v[start - 1].flags & TEMA_TOKF_SENT_END) &&
                tema__lexicon_signoff(r->lx, words, lens, m) && plain_name(r, start, at, end))
                return start;
        }
    }
    return n;
}

/* Is token 'i' the last word of its clause ("late though.")? */
static bool ends_clause(const tema_doc *d, size_t i)
{
    if (d->toks.v[i].flags & TEMA_TOKF_CLAUSE_END)
        return true;
    for (size_t j = i + 1; j < d->toks.n; j++) {
        const tema__token *t = &d->toks.v[j];
        if (t->type == TEMA_TOK_WORD)
            return false;
        if (t->flags & (TEMA_TOKF_CLAUSE_END | TEMA_TOKF_SENT_END))
            return true;
    }
    return true;
}

/* The emoji that mark what they follow as irony: 🙃 (upside-down face)
 * and 🙄 (rolling eyes).  In customer comments they follow praise the
 * customer does not mean ("Great, another update 🙃", "Fantastic. 🙄"). */
static bool irony_mark(const tema_doc *d, const tema__token *t)
{
    static const char *const marks[] = {"\xf0\x9f\x99\x83", "\xf0\x9f\x99\x84"};
    if (t->type != TEMA_TOK_EMOJI || t->norm_len < 4)
        return false;
    const char *s = d->norm.p + t->norm_off;
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
        if (memcmp(marks[k], s, 4) == 0)
            return true;
    return false;
}

/* The tokens an irony mark covers: its sentence, from the last contrast
 * word before the mark in it ("Good staff, but the app 🙄": the staff
 * were good), or, when the mark's sentence has no words ("Fantastic. 🙃"),
 * the sentence before it too.  Each sentence with a mark is a span of its
 * own, so a sentence between two marked ones keeps its praise. */
static void find_irony(run *r)
{
    tema_doc *d = r->d;
    size_t i = 0;
    while (i < d->toks.n && !irony_mark(d, &d->toks.v[i]))
        i++;
    if (i == d->toks.n)
        return;  /* the usual case: one pass over the token types */
    size_t sent = 0, prev_sent = 0, cut = SIZE_MAX, mark_cut = SIZE_MAX;
    bool words = false, marked = false;
    for (i = 0; i < d->toks.n; i++) {
        const tema__token *t = &d->toks.v[i];
        if (t->type == TEMA_TOK_WORD) {
            const tema__word *w = r->lx ? word_of(r, i) : NULL;
            if (w && (w->cls & TEMA__LEX_CONTRAST) && !ends_clause(d, i))
                cut = i;
            words = true;
        } else if (irony_mark(d, t) && !marked) {
            marked = true;
            mark_cut = cut;
        }
        if ((t->flags & TEMA_TOKF_SENT_END) || i + 1 == d->toks.n) {
            if (marked) {
                size_t from = mark_cut != SIZE_MAX ? mark_cut : words ? sent : prev_sent;
                if (r->nirony == IRONY_SPANS)
                    r->irony[IRONY_SPANS - 1][1] = (uint32_t)(i + 1);
                else {
                    r->irony[r->nirony][0] = (uint32_t)from;
                    r->irony[r->nirony++][1] = (uint32_t)(i + 1);
                }
            }
            prev_sent = sent;
            sent = i + 1;
            words = marked = false;
            cut = mark_cut = SIZE_MAX;
        }
    }
}

/* Is token 'i' under an irony mark? */
static bool under_irony_mark(const run *r, size_t i)
{
    for (size_t k = 0; k < r->nirony; k++)
        if (i >= r->irony[k][0] && i < r->irony[k][1])
            return true;
    return false;
}

/* Is token 'i' praise the customer does not mean: in scare quotes or
 * under an irony mark? */
static bool ironic(const run *r, size_t i)
{
    return scare_quoted(r, i) || under_irony_mark(r, i);
}

/* ---- requests, wishes and sarcasm (requests.txt; docs/sentiment.md) ---- */

/* The TEMA__ACT_* kinds of the multiword requests.txt entry starting at
 * token 'i' with those of its word ('a', which has TEMA__ACT_SEQ).  Out of
 * line: few words start such entries. */
static __attribute__((noinline)) uint32_t acts_seq(const run *r, size_t i, uint32_t a)
{
    const tema_doc *d = r->d;
    const char *words[TEMA__ACTSEQ_WORDS];
    size_t lens[TEMA__ACTSEQ_WORDS], n = 0;
    for (size_t k = i; k < d->toks.n && n < TEMA__ACTSEQ_WORDS; k++) {
        const tema__token *u = &d->toks.v[k];
        if (u->type != TEMA_TOK_WORD)
            break;
        words[n] = d->norm.p + u->norm_off;
        lens[n++] = u->norm_len;
    }
    for (; n >= 2; n--) {
        uint32_t s = tema__lexicon_actseq(r->lx, words, lens, n);
        if (s)
            return (a & ~TEMA__ACT_SEQ) | s;
    }
    return a & ~TEMA__ACT_SEQ;
}

/* The TEMA__ACT_* kinds of token 'i': its word's, or with those of the
 * multiword requests.txt entry starting there. */
static inline uint32_t acts1(const run *r, size_t i)
{
    int32_t w = r->d->toks.v[i].word;
    if (w < 0)
        return 0;
    uint32_t a = r->d->wc->wordv[w].acts;
    return a & TEMA__ACT_SEQ ? acts_seq(r, i, a) : a;
}

/* The next word token at or after 'i' and before 'end', or 'end'. */
static size_t next_word(const tema_doc *d, size_t i, size_t end)
{
    while (i < end && d->toks.v[i].type != TEMA_TOK_WORD)
        i++;
    return i;
}

/* One past the clause that token 'i' is in (its clause end, or before a
 * contrast word), at most 'end'. */
static size_t clause_after(const run *r, size_t i, size_t end)
{
    const tema_doc *d = r->d;
    for (size_t j = i; j < end; j++) {
        if (j > i && d->toks.v[j].type == TEMA_TOK_WORD) {
            const tema__word *w = word_of((run *)r, j);
            if (w && (w->cls & TEMA__LEX_CONTRAST))
                return j;
        }
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            return j + 1;
    }
    return end;
}

static bool waits_next(const run *r, uint32_t tok);
static bool only_next(const tema_doc *d, size_t tok);

/* Does an opinion word or phrase start within NEG_SCOPE tokens after the
 * negator at 'neg', in its clause?  The negator then negates that opinion,
 * as add_unit() does, and a `done` verb is no failure: "paketet kom inte
 * skadat" is good news. */
static bool opinion_after(const run *r, size_t neg)
{
    const tema_doc *d = r->d;
    for (size_t j = neg + 1; j < d->toks.n && j - neg <= NEG_SCOPE; j++) {
        if (d->toks.v[j - 1].flags & TEMA_TOKF_CLAUSE_END)
            break;
        int32_t w = d->toks.v[j].word;
        if (w < 0)
            continue;
        const tema__word *x = &d->wc->wordv[w];
        const tema__phrase *ph = NULL;
        if (((x->cls & TEMA__LEX_VALENCE) && x->valence != 0) ||
            (x->phrase >= 0 && match_phrase(r, x->phrase, j, &ph) && ph->valence != 0))
            return true;
    }
    return false;
}

/* Words that keep a negator from a completion verb between them (cues.txt
 * `subject`, `infinitive`, another verb of cues.txt): denied_verb(),
 * bind_verb_after(). */
#define VERB_APART (TEMA__LEX_CUE_APART | TEMA__LEX_CUE_DONE | TEMA__LEX_CUE_REMEDY | \
                    TEMA__LEX_CUE_UNDONE)

/* The class bits of token 'j''s word, 0 for none. */
static uint64_t cls_at(const tema_doc *d, size_t j)
{
    int32_t w = d->toks.v[j].word;
    return w >= 0 ? d->wc->wordv[w].cls : 0;
}

/* Is class 'c' a negator that may deny a verb by its kind: neither
 * `forward` nor `both` (denies_verbs() adds the "not only" test)? */
static bool verb_negator(uint64_t c)
{
    return (c & TEMA__LEX_NEGATOR) && !(c & (TEMA__LEX_NEG_FORWARD | TEMA__LEX_NEG_BOTH));
}

/* Is an `idiom` word right after token 'i' ("couldn't help smiling")? */
static bool idiom_next(const tema_doc *d, size_t i)
{
    return i + 1 < d->toks.n && d->toks.v[i + 1].word >= 0 &&
           (d->wc->wordv[d->toks.v[i + 1].word].cls & TEMA__LEX_CUE_IDIOM);
}

/* The negator at 'neg' denies the completion verb it is bound to, whose
 * waiting is looked for after 'wait' (denied_verb()): no wait or chore
 * after it ("fick inte ens vänta"), no "not only", and for a `done` verb
 * no opinion the negator reaches ("kom inte skadat"). */
static bool denies_done(const run *r, size_t wait, size_t neg, bool done)
{
    return !waits_next(r, (uint32_t)wait) && !only_next(r->d, neg) &&
           !(done && opinion_after(r, neg));
}

/* Is the word at 'k', a completion verb (cues.txt `done`, `remedy`), denied
 * by a negator as negated completion would bind it (bind_verb_after(),
 * bind_verb_before(), waits_next(); a `done` verb's negator that reaches an
 * opinion negates that instead): "it never arrived", "paketet kom aldrig",
 * "hasn't been delivered", but not "kom inte skadat"?  Only from token
 * 'from' on. */
static bool denied_verb(const run *r, size_t k, size_t from)
{
    const tema_doc *d = r->d;
    const bool done = !(d->wc->wordv[d->toks.v[k].word].cls & TEMA__LEX_CUE_REMEDY);
    if (idiom_next(d, k))
        return false;
    for (size_t j = k; j-- > from && k - j <= DONE_AFTER;) {
        uint64_t c = cls_at(d, j);
        if (verb_negator(c))
            return denies_done(r, k, j, done);
        if (d->toks.v[j].type != TEMA_TOK_WORD || (c & VERB_APART))
            break;
    }
    for (size_t j = k + 1; j < d->toks.n && j - k <= DONE_BEFORE; j++) {
        if (d->toks.v[j].type != TEMA_TOK_WORD)
            break;
        if (verb_negator(cls_at(d, j)))
            return denies_done(r, j, j, done);
    }
    return false;
}

/* Does a negator deny the negative word at 'k', as far as sarcasm is
 * concerned: one within NEG_SCOPE tokens before it, an
 * `even` word between not counted ("Great, I didn't even have to wait",
 * "Toppen, behövde inte ens vänta")?  A negated wait or trouble is good
 * news, no complaint.  Only from token 'from' on. */
static bool negated_trouble(const run *r, size_t k, size_t from)
{
    const tema_doc *d = r->d;
    size_t scope = NEG_SCOPE;
    for (size_t j = k; j-- > from && k - j <= scope;) {
        int32_t w = d->toks.v[j].word;
        uint64_t c = w >= 0 ? d->wc->wordv[w].cls : 0;
        if (c & TEMA__LEX_NEGATOR)
            return true;
        if (c & TEMA__LEX_CUE_EVEN)
            scope++;
    }
    return false;
}

/* Is the word at 'k' a complaint: a negative word or phrase no negator
 * reaches (a phrase may hold its own: "fungerar inte", "doesn't work"), a
 * completion verb a negator denies ("Great, it never arrived"), or a word
 * of repetition (igen, another, "nok en gang")? */
static bool complaint_word(const run *r, size_t k, size_t from)
{
    if (acts1(r, k) & TEMA__ACT_AGAIN)
        return true;
    const tema__word *w = word_of((run *)r, k);
    if (!w)
        return false;
    if ((w->cls & (TEMA__LEX_CUE_DONE | TEMA__LEX_CUE_REMEDY)) && denied_verb(r, k, from))
        return true;
    bool neg = (w->cls & TEMA__LEX_VALENCE) && w->valence < 0;
    const tema__phrase *ph = NULL;
    if (!neg && w->phrase >= 0 && match_phrase(r, w->phrase, k, &ph))
        neg = ph->valence < 0;
    if (!neg)
        return false;
    return !negated_trouble(r, k, from);
}

/* Sarcasm without a mark: a sentence that opens with a short praise word
 * (after an interjection such as "oh" or "just") standing alone before a
 * comma, and goes on to a complaint ("Oh great, another update that breaks
 * everything", "Toppen, nu funkar inget igen"); or such a word alone in
 * its sentence followed by a sentence that opens with one ("Just great.
 * Broken again.").  A contrast word or thanks before the complaint, or
 * praise anywhere after the word (not in scare quotes), make it plain
 * praise ("Super, men leveransen var sen", "Great, thanks again", "Yay.
 * Another good interview"), and an opinion word right after the comma
 * makes a list ("Funny, somber, absurd").  Returns the praise word's
 * token, or SIZE_MAX. */
static size_t sarcastic_opening(const run *r, size_t s, size_t e)
{
    const tema_doc *d = r->d;
    size_t p = next_word(d, s, e);
    if (p < e && (acts1(r, p) & TEMA__ACT_INTERJ))
        p = next_word(d, p + 1, e);
    if (p >= e)
        return SIZE_MAX;
    const tema__word *w = word_of((run *)r, p);
    if (!w || !(w->cls & TEMA__LEX_VALENCE) || w->valence <= 0)
        return SIZE_MAX;
    size_t from;
    if (p + 1 < e && tema__is_comma(d, p + 1)) {
        from = p + 2;
        /* "Vakker, sår, morsom": a list of adjectives, not an interjection */
        const tema__word *nx = from < e ? word_of((run *)r, from) : NULL;
        if (nx && (nx->cls & TEMA__LEX_VALENCE))
            return SIZE_MAX;
    } else if (next_word(d, p + 1, e) == e && e < d->toks.n) {
        from = e; /* "Just great." and the sentence after it */
        while (e < d->toks.n && !(d->toks.v[e].flags & TEMA_TOKF_SENT_END))
            e++;
        e = e < d->toks.n ? e + 1 : e;
    } else {
        return SIZE_MAX;
    }
    /* Praise after it ("Yay. Another good phone interview.") means it,
     * unless in scare quotes ("another 'exciting update'"). */
    bool complaint = false;
    for (size_t k = from; k < e; k++) {
        if (d->toks.v[k].type != TEMA_TOK_WORD)
            continue;
        const tema__word *x = word_of((run *)r, k);
        if (!complaint && ((x && (x->cls & TEMA__LEX_CONTRAST)) ||
                           (acts1(r, k) & TEMA__ACT_THANKS)))
            return SIZE_MAX;
        if (x && (x->cls & TEMA__LEX_VALENCE) && x->valence > 0 && !scare_quoted(r, k))
            return SIZE_MAX;
        complaint = complaint || complaint_word(r, k, from);
    }
    return complaint ? p : SIZE_MAX;
}

/* Does what is wished for follow the conditional at 'k' in its clause
 * ("would be easier if ...", "skulle vara smidigt att kunna ...", "det
 * ville være praktisk med ...")?  Without it a conditional is often a
 * judgement ("That would be very cool", "would be a good fit for me").
 * '*end' is set to the end of the clause scanned: when nothing is wished
 * for after 'k', nothing is after a later conditional of that clause
 * either, so find_acts() asks no more there ("it would be nice it would be
 * nice ..." costs one pass, not one per conditional). */
static bool wished_object(const run *r, size_t k, size_t e, size_t *end)
{
    *end = clause_after(r, k, e);
    for (size_t j = k + 1; j < *end; j++)
        if (acts1(r, j) & TEMA__ACT_OBJECT)
            return true;
    return false;
}

/* Does the `if` word at 'j' open a condition on the praise before it: its
 * clause (up to 'e') holds a contrary-to-fact past form (`unreal`: "if the
 * queues were shorter", "om leveransen gick fortare"), a comparative
 * (`more` of requests.txt or cues.txt), a fix verb ("if they fix the app")
 * or a negation?  "I recommend this shop if you are looking for good
 * service", "om jag behöver något", "hvis du mangler en god frisør" say
 * for whom, and keep the loyalty. */
static bool real_condition(const run *r, size_t j, size_t e)
{
    size_t end = clause_after(r, j, e);
    for (size_t k = j + 1; k < end; k++) {
        int32_t w = r->d->toks.v[k].word;
        if (w < 0)
            continue;
        if ((acts1(r, k) & (TEMA__ACT_UNREAL | TEMA__ACT_MORE | TEMA__ACT_FIX)) ||
            (r->d->wc->wordv[w].cls & (TEMA__LEX_NEGATOR | TEMA__LEX_CUE_MORE)))
            return true;
    }
    return false;
}

/* Does the sentence [s, e) state the writer's loyalty: a `self` word
 * (jag, jeg, I, we) and after it a `loyal` one (rekommendera, anbefale,
 * recommend, "komme tilbake", "buy again") with no `you` word between
 * ("I would like you to recommend ..." asks someone else) and no `if`
 * word after it (a condition keeps the wish)?  Called only
 * for sentences with a request frame and a self word. */
static bool loyalty_stated(const run *r, size_t s, size_t e)
{
    bool self = false;
    for (size_t k = s; k < e; k++) {
        uint32_t a = acts1(r, k);
        if (a & TEMA__ACT_SELF)
            self = true;
        else if (a & TEMA__ACT_YOU)
            self = false;
        if (self && (a & TEMA__ACT_LOYAL)) {
            /* "I would be happy to recommend the store if the queues were
             * shorter": loyalty on a condition is still a wish */
            for (size_t j = k + 1; j < e; j++)
                if ((acts1(r, j) & TEMA__ACT_IF) && real_condition(r, j, e))
                    return false;
            return true;
        }
    }
    return false;
}

/* The `loyal` word that a `self` word comes before and an `if` word after
 * in the sentence [s, e), no `you` word between self and loyal ("Jeg vil
 * gjerne anbefale dere hvis køene var kortere"), or SIZE_MAX. */
static size_t conditional_loyalty(const run *r, size_t s, size_t e)
{
    bool self = false;
    size_t loyal = SIZE_MAX;
    for (size_t k = s; k < e; k++) {
        uint32_t a = acts1(r, k);
        if (loyal != SIZE_MAX) {
            if ((a & TEMA__ACT_IF) && real_condition(r, k, e))
                return loyal;
        } else if (a & TEMA__ACT_SELF)
            self = true;
        else if (a & TEMA__ACT_YOU)
            self = false;
        if (loyal == SIZE_MAX && self && (a & TEMA__ACT_LOYAL))
            loyal = k;
    }
    return SIZE_MAX;
}

/* Is the fix verb at 'k' a repair asked for: neither the first word of an
 * `idiom` ("laga mat" cooks) nor followed by a preposition (`for`,
 * `object` words: "Fix for the screen arrived broken", a noun)? */
static bool repairs(const run *r, size_t k, size_t e)
{
    if (acts1(r, k) & TEMA__ACT_IDIOM)
        return false;
    size_t n = next_word(r->d, k + 1, e);
    return n >= e || n != k + 1 || !(acts1(r, n) & (TEMA__ACT_FOR | TEMA__ACT_OBJECT));
}

/* Finds the requests, wishes and sarcasm of the comment before scoring
 * (docs/sentiment.md, "Requests, wishes and sarcasm"):
 *  - a request or polite wish (a sentence opening with please, gärna,
 *    önskar, savner, "kan ni", "I wish"; please anywhere, or a conditional,
 *    "hade varit", "would be", before what is wished for) makes the
 *    praise from its marker to the end of its clause wished for, not
 *    given: a span in r->quiet;
 *  - a fix verb opening a sentence or in such a span ("Kan ni fixa
 *    inloggningen", "Fix the login") is a complaint about its object, and
 *    so is a comparative opening the comment's first sentence with no
 *    comparison or negator in it ("Fler kassor öppna", "Bedre skiltning",
 *    also before please or thanks: "Snabbare leveranser tack"): a token in
 *    r->complaint, scored REQUEST_VALENCE;
 *  - either makes closing thanks politeness (r->request);
 *  - sarcastic openings (sarcastic_opening()) go to r->sarcasm.
 * A comment with no word of requests.txt and no sentence opening with a
 * praise word before a comma costs one pass over its tokens. */
static void find_acts(run *r)
{
    tema_doc *d = r->d;
    if (!r->lx)
        return;
    size_t last = d->toks.n;
    while (last > 0 && d->toks.v[last - 1].type != TEMA_TOK_WORD)
        last--;
    bool closing_thanks = last > 0 && (acts1(r, last - 1) & TEMA__ACT_THANKS);
    bool first = true;
    for (size_t s = 0; s < d->toks.n;) {
        size_t e = s;
        uint32_t any = 0; /* the acts of the sentence's words */
        for (; e < d->toks.n && !(d->toks.v[e].flags & TEMA_TOKF_SENT_END); e++)
            if (d->toks.v[e].word >= 0)
                any |= d->wc->wordv[d->toks.v[e].word].acts;
        e = e < d->toks.n ? e + 1 : e;
        size_t w0 = next_word(d, s, e);
        if (w0 == e) {
            s = e;
            continue;
        }
        if (r->nsarcasm < ACT_SPANS) {
            size_t p = sarcastic_opening(r, w0, e);
            if (p != SIZE_MAX)
                r->sarcasm[r->nsarcasm++] = (uint32_t)p;
        }
        if (!(any & ACT_TRIGGERS)) {
            s = e;
            first = false;
            continue;
        }
        size_t w1 = next_word(d, w0 + 1, e);
        uint32_t a0 = acts1(r, w0), a1 = w1 < e ? acts1(r, w1) : 0;
        /* "Fler kassor öppna", "Bedre skiltning", "More staff at checkout
         * please": a bare improvement wish, even with please or thanks.
         * Not with a comparison ("Bättre än väntat"), a negator ("Nemmere
         * bliver det ikke" is praise), or a conditional or wish word: "...
         * vore bra", "... önskas" are polite wishes, neutral. */
        /* What is wished for names a thing right after the comparative:
         * "Better and better every time", "Bättre nu efter uppdateringen"
         * are praise, with a function word (stopwords.txt) or a second
         * comparative there. */
        const tema__word *x1 = w1 < e ? word_of(r, w1) : NULL;
        if (first && (a0 & TEMA__ACT_MORE) && w1 < clause_after(r, w0, e) &&
            !(x1 && (x1->cls & TEMA__LEX_STOPWORD)) && !(a1 & TEMA__ACT_MORE)) {
            bool plain = true;
            for (size_t k = w1; k < e && plain; k++) {
                int32_t wi = d->toks.v[k].word;
                plain = !(acts1(r, k) & (TEMA__ACT_THAN | TEMA__ACT_COND | TEMA__ACT_WISH)) &&
                        !(wi >= 0 && (d->wc->wordv[wi].cls & TEMA__LEX_NEGATOR));
            }
            if (plain) {
                if (r->ncomplaint < ACT_SPANS)
                    r->complaint[r->ncomplaint++] = (uint32_t)w0;
                r->request = true;
                first = false;
                s = e;
                continue;
            }
        }
        size_t frame = SIZE_MAX;
        if (a0 & (TEMA__ACT_PLEASE | TEMA__ACT_GLADLY | TEMA__ACT_WISH | TEMA__ACT_COND))
            frame = w0;
        else if ((a0 & TEMA__ACT_MODAL) && (a1 & TEMA__ACT_YOU))
            frame = w0;
        else if ((a0 & TEMA__ACT_SELF) && (a1 & TEMA__ACT_WISH))
            frame = w1;
        size_t no_object = 0; /* conditionals before this token have no object */
        for (size_t k = w0; k < e && frame == SIZE_MAX; k++) {
            uint32_t a = acts1(r, k);
            if ((a & TEMA__ACT_PLEASE) || ((a & TEMA__ACT_GLADLY) && closing_thanks) ||
                ((a & TEMA__ACT_COND) && k >= no_object && wished_object(r, k, e, &no_object)))
                frame = k;
        }
        /* "Jag skulle gärna rekommendera er om leveransen gick fortare":
         * loyalty on a condition is a wish even with no frame before it */
        if (frame == SIZE_MAX && (any & TEMA__ACT_IF) && (any & TEMA__ACT_SELF))
            frame = conditional_loyalty(r, w0, e);
        /* "I would be happy to recommend them", "Jeg vil gerne anbefale
         * jer": the writer's own willingness to come back or recommend is
         * loyalty stated, not a wish (not "Kan ni rekommendera ...", nor
         * "I wish I could recommend them") */
        if (frame != SIZE_MAX && !(a0 & TEMA__ACT_WISH) && !(acts1(r, frame) & TEMA__ACT_WISH) &&
            !((a0 & TEMA__ACT_MODAL) && (a1 & TEMA__ACT_YOU)) && (any & TEMA__ACT_SELF) &&
            loyalty_stated(r, w0, e))
            frame = SIZE_MAX;
        size_t qend = frame != SIZE_MAX ? clause_after(r, frame, e) : e;
        if (frame != SIZE_MAX && r->nquiet < ACT_SPANS) {
            r->quiet[r->nquiet][0] = (uint32_t)frame;
            r->quiet[r->nquiet++][1] = (uint32_t)qend;
            r->request = true;
        }
        /* a fix verb opening the sentence (an imperative) or asked for,
         * with an object after it: "Fix for the screen" is a noun, "Laga
         * mat" cooks (repairs()) */
        for (size_t k = w0; k < e; k++) {
            if (!(acts1(r, k) & TEMA__ACT_FIX) ||
                !(k == w0 || (frame != SIZE_MAX && k > frame && k < qend)) || !repairs(r, k, e))
                continue;
            if (r->ncomplaint < ACT_SPANS)
                r->complaint[r->ncomplaint++] = (uint32_t)k;
            r->request = true;
            break;
        }
        first = false;
        s = e;
    }
}

/* Is token 'i' a requested fix or a bare wish (find_acts())? */
static bool complaint_at(const run *r, size_t i)
{
    for (size_t k = 0; k < r->ncomplaint; k++)
        if (r->complaint[k] == i)
            return true;
    return false;
}

/* Is the praise word at 'i' sarcastic (find_acts())? */
static bool sarcasm_at(const run *r, size_t i)
{
    for (size_t k = 0; k < r->nsarcasm; k++)
        if (r->sarcasm[k] == i)
            return true;
    return false;
}

/* -1 when the negators before a unit starting at 'first' flip it (as
 * add_unit() counts them), else 1.  With 'use', they are used up. */
static float negation_sign(run *r, uint32_t first, bool use)
{
    size_t both = both_negator(r, first);
    float sign = 1;
    for (size_t k = 0; k < r->nnegs; k++) {
        if (!negator_reaches(r, k, first, both))
            continue;
        if (use)
            r->negs[k].used = true;
        if (both >= k)
            sign = -sign;
    }
    return sign;
}

/* Is the unit [first, end) of valence 'v' not meant as an opinion: praise
 * in a request or wish, the wish word that opens one ("Savner ...": its
 * own valence; a complaint such as "please bring back" stays), or
 * thanks closing a request ("Kan ni fixa inloggningen, tack"; not "tack
 * för ...", thanks for something done)?  In a request, what counts is the
 * valence after negation: "förklara varför leveransen inte var bra" asks
 * about a failure (counted), "fixa appen så att den inte kraschar" wishes
 * for what is missing (not praise, quiet; the negator is used up).  Says
 * so in the explanation. */
static bool unmeant(run *r, size_t first, size_t end, float v)
{
    tema_doc *d = r->d;
    for (size_t k = 0; k < r->nquiet; k++) {
        if (first < r->quiet[k][0] || first >= r->quiet[k][1])
            continue;
        bool wish = first == r->quiet[k][0] && (acts1(r, first) & TEMA__ACT_WISH);
        float sign = r->nnegs ? negation_sign(r, (uint32_t)first, false) : 1;
        if (wish || v * sign > 0) {
            if (sign < 0)
                negation_sign(r, (uint32_t)first, true);
            explain(d, d->toks.v[first].start, d->toks.v[end - 1].end, "request", 0);
            return true;
        }
    }
    if (!r->request || v <= 0)
        return false;
    /* "tack så mycket för hjälpen": the word after the unit counts too */
    bool done = end < d->toks.n && (acts1(r, end) & TEMA__ACT_FOR);
    for (size_t k = first; k < end && !done; k++) {
        if (!(acts1(r, k) & TEMA__ACT_THANKS) ||
            (k + 1 < d->toks.n && (acts1(r, k + 1) & TEMA__ACT_FOR)))
            continue;
        explain(d, d->toks.v[first].start, d->toks.v[end - 1].end, "politeness", 0);
        return true;
    }
    return false;
}

/* Is there a barrier word (barriers.txt) in [from, to)? */
static bool barrier_between(const tema_doc *d, uint32_t from, uint32_t to)
{
    for (uint32_t j = from; j < to; j++) {
        int32_t w = d->toks.v[j].word;
        if (w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_BARRIER))
            return true;
    }
    return false;
}

/* An elided clause: "Nöjd med produkten men inte med priset", "Happy with
 * the product but not with the price", "Bra mat men inte service".  The
 * clause [r->cfirst, end) starts with a contrast word that is followed at
 * once by a plain negator ("inte", "ikke", "not"; "ingen" and "no" deny the
 * noun after them: "Trasig vara men ingen ersättning"), then one to
 * ELIDED_WORDS words with no opinion, modifier or other negator, one of
 * them no function word (stopwords.txt; "but not here" elides nothing).
 * What it negates is the opinion of the clause before, left unsaid.  It
 * then carries that opinion (the last unit before it, in the reach of the
 * contrast word) negated, as if the word were repeated: "men inte nöjd med
 * priset" would score the same.  An opinion that was negated already
 * ("Inte nöjd med X men inte med Y") is left alone.  Returns the negator's
 * token, or UINT32_MAX when the clause is not elided. */
static uint32_t elided_negator(const run *r, uint32_t end)
{
    const tema_doc *d = r->d;
    if (!r->contrast || r->concessive || r->nunits || r->nover || r->nnegs != 1 ||
        r->negs[0].forward || r->negs[0].both || r->negs[0].tok != r->cfirst + 1 ||
        r->last_clause == SIZE_MAX || r->last_negated)
        return UINT32_MAX;
    size_t c = d->nclauses; /* the index this clause will take */
    size_t from = c == r->sent_first ? r->prev_sent_first : r->sent_first;
    if (r->last_clause < from)
        return UINT32_MAX;
    /* negators.txt `plain`: "ingen" and "no" deny the noun after them,
     * "don't" and "never" are verbs of their own */
    const tema__token *nt = &d->toks.v[r->cfirst + 1];
    if (nt->word < 0 || !(d->wc->wordv[nt->word].cls & TEMA__LEX_NEG_PLAIN))
        return UINT32_MAX;
    unsigned words = 0, content = 0;
    for (uint32_t j = r->cfirst + 2; j < end; j++) {
        const tema__token *t = &d->toks.v[j];
        if (t->type != TEMA_TOK_WORD)
            continue;
        uint64_t cls = t->word >= 0 ? d->wc->wordv[t->word].cls : 0;
        if (cls & (TEMA__LEX_NEGATOR | TEMA__LEX_MODIFIER | TEMA__LEX_CONTRAST | TEMA__LEX_VALENCE))
            return UINT32_MAX;
        words++;
        content += !(cls & TEMA__LEX_STOPWORD);
    }
    return content && words <= ELIDED_WORDS ? r->cfirst + 1 : UINT32_MAX;
}

/* Adds the unit of an elided clause (elided_negator()), if it is one: the
 * last opinion before it, reached by the clause's negator as any unit after
 * it is (add_unit()).  It spans the negator and the words it negates, so
 * every theme named there takes it (theme.c).  Rare, so kept out of line:
 * end_clause() runs for every clause. */
static __attribute__((noinline)) void add_elided(run *r, uint32_t end)
{
    tema_doc *d = r->d;
    uint32_t el = elided_negator(r, end);
    if (el == UINT32_MAX)
        return;
    uint32_t last = end - 1;
    while (last > el && d->toks.v[last].type != TEMA_TOK_WORD)
        last--;
    add_unit(r, el, last + 1, r->last_v, NEGATABLE, "elided", r->last_v);
}

/* Is the word after token 'tok' an `only` word (bara, only, just)?  A
 * negator before one says "not only": "kom inte bara i tid utan tidigt",
 * "did not just fix it" deny no service. */
static bool only_next(const tema_doc *d, size_t tok)
{
    int32_t w = tok + 1 < d->toks.n ? d->toks.v[tok + 1].word : -1;
    return w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_CUE_ONLY);
}

/* Can negator 'n' deny a completion verb: no `forward` one ("ingen", "no"
 * deny the noun after them: "fick ingen ersättning" is a phrase's
 * business), no `both`, and none that says "not only"? */
static bool denies_verbs(const run *r, const negator *n)
{
    return !n->forward && !n->both && !only_next(r->d, n->tok);
}

/* Binds a negator just pushed (one that is neither `forward` nor `both`:
 * denies_verbs()) to a completion verb up to DONE_BEFORE
 * tokens before it in its clause ("Paketet kom inte", "Forsikringen dekket
 * ikke skaden", "Det fixede de ikke"). */
static void bind_verb_before(run *r, negator *n)
{
    const tema_doc *d = r->d;
    for (uint32_t j = n->tok; j-- > r->cfirst && n->tok - j <= DONE_BEFORE;) {
        if (d->toks.v[j].type != TEMA_TOK_WORD)
            return;
        const tema__word *w = word_of(r, j);
        if (w && (w->cls & (TEMA__LEX_CUE_DONE | TEMA__LEX_CUE_REMEDY))) {
            n->verb = j;
            n->remedy = (w->cls & TEMA__LEX_CUE_REMEDY) != 0;
            return;
        }
    }
}

/* Binds the completion verb at token 'i' to the last free negator that
 * denies verbs up to DONE_AFTER tokens before it ("har inte levererats",
 * "ble ikke hentet", "has not been collected", "didn't fix").  Not across
 * another verb of cues.txt, a subject pronoun or an infinitive marker
 * (`subject`, `infinitive`: "not expecting to receive", "Never thought
 * they'd fix"), and not when an `idiom` word follows the verb: "couldn't
 * help smiling", "don't get why" deny no service. */
static void bind_verb_after(run *r, size_t i, uint64_t cls)
{
    const tema_doc *d = r->d;
    if (idiom_next(d, i)) {
        /* the idiom holds the negator: "Couldn't help smiling" smiled */
        if (r->nnegs && i - r->negs[r->nnegs - 1].tok <= DONE_AFTER &&
            denies_verbs(r, &r->negs[r->nnegs - 1]))
            r->nnegs--;
        return;
    }
    for (size_t k = r->nnegs; k-- > 0;) {
        negator *n = &r->negs[k];
        if (i - n->tok > DONE_AFTER)
            return;
        if (denies_verbs(r, n) && !n->used && n->verb == UINT32_MAX) {
            for (uint32_t j = n->tok + 1; j < i; j++)
                if (cls_at(d, j) & VERB_APART)
                    return;
            n->verb = (uint32_t)i;
            n->remedy = (cls & TEMA__LEX_CUE_REMEDY) != 0;
            return;
        }
    }
}

/* Is there a unit before a barrier word before token 'tok' in the clause?
 * Then what follows the barrier is what the opinion is about: "Deilig at
 * selgeren ikke ringte" is glad of the call that did not come. */
static bool opinion_on(const run *r, uint32_t tok)
{
    for (size_t u = 0; u < r->nunits; u++)
        if (r->units[u].end <= tok && barrier_between(r->d, r->units[u].end, tok))
            return true;
    return false;
}

/* Is the token after 'tok' a word of waiting (cues.txt `wait`, which holds
 * the verbs too: vänta, vente, wait) or of the customer's own effort
 * (`chore`: ringa, ringe, call)?  Then the verb before is a modal: "Jeg
 * fikk ikke vente lenge" did not have to wait, "Fick inte ens ringa" did
 * not have to call, good things.  An `even` word may come between ("inte
 * ens", "not even"; "en gang": the second word is listed). */
static bool waits_next(const run *r, uint32_t tok)
{
    const tema_doc *d = r->d;
    size_t j = tok + 1;
    for (size_t k = j; k < d->toks.n && k <= tok + 2; k++) {
        int32_t w = d->toks.v[k].word;
        if (w >= 0 && (d->wc->wordv[w].cls & TEMA__LEX_CUE_EVEN)) {
            j = k + 1;
            break;
        }
    }
    if (j >= d->toks.n)
        return false;
    int32_t w = d->toks.v[j].word;
    return w >= 0 && (d->wc->wordv[w].cls & (TEMA__LEX_CUE_UNDONE | TEMA__LEX_CUE_CHORE));
}

/* Negated completion (docs/sentiment.md): a completion verb that a negator
 * of the clause denies is a failure even with no opinion word ("Søpla ble
 * ikke hentet", "Appen löste inte problemet").  A verb with a valence of
 * its own is negated as a unit; one without gets a unit of DONE_VALENCE,
 * negated.  A `done` verb whose negator reached a unit after it leaves the
 * negation there ("Pakken kom ikke skadet" is good news).  Either way the
 * negator is used, so post-position negation does not also flip the
 * subject before it ("Søppel har ikke blitt hentet"). */
static void deny_verbs(run *r)
{
    tema_doc *d = r->d;
    for (size_t k = 0; k < r->nnegs; k++) {
        negator *n = &r->negs[k];
        if (n->verb == UINT32_MAX || (!n->remedy && n->used) || opinion_on(r, n->tok) ||
            waits_next(r, n->verb > n->tok ? n->verb : n->tok))
            continue;
        n->used = true;
        unit *at = NULL;
        for (size_t u = 0; u < r->nunits && !at; u++)
            if (r->units[u].first <= n->verb && n->verb < r->units[u].end)
                at = &r->units[u];
        if (at) {
            if (!at->negated && at->negatable) {
                at->v *= NEG_FACTOR;
                at->negated = true;
                d->sfeat.nnegated++;
                explain_tok(d, n->tok, "negation", NEG_FACTOR);
            }
            continue;
        }
        float v = DONE_VALENCE * NEG_FACTOR;
        explain_tok(d, n->verb, "completion", DONE_VALENCE);
        explain_tok(d, n->tok, "negation", NEG_FACTOR);
        if (r->nunits < CLAUSE_UNITS)
            r->units[r->nunits++] = (unit){n->verb, n->verb + 1, v, false, true};
        else {
            r->over_neg += v;
            r->nover++;
        }
    }
}

/* Closes the clause [r->cfirst, end): post-position negation, question
 * dampening and exclamation emphasis, then its score. */
static tema_status end_clause(run *r, uint32_t end)
{
    tema_doc *d = r->d;
    tema__sentfeat *f = &d->sfeat;
    if (end <= r->cfirst)
        return TEMA_OK;
    if (r->contrast && !r->nunits)
        add_elided(r, end);
    if (r->nnegs)
        deny_verbs(r);
    /* Post-position negation: "bra var det inte", "jag rekommenderar er inte". */
    for (size_t k = 0; k < r->nnegs; k++) {
        if (r->negs[k].used)
            continue;
        uint32_t nt = r->negs[k].tok;
        if (r->negs[k].forward && word_follows(d, nt, end))
            continue;
        unit *best = NULL;
        for (size_t u = 0; u < r->nunits; u++) {
            unit *x = &r->units[u];
            if (x->end <= nt && nt - (x->end - 1) <= POST_NEG_SCOPE && x->negatable &&
                !x->negated && (!best || x->end > best->end))
                best = x;
        }
        if (best && barrier_between(d, best->end, nt))
            best = NULL;
        if (best) {
            best->v *= NEG_FACTOR;
            best->negated = true;
            f->nnegated++;
            explain_tok(d, nt, "negation", NEG_FACTOR);
        }
    }
    if (d->nclauses == d->capclauses && grow_clauses(d) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    tema__clause *c = &d->clauses[d->nclauses++];
    memset(c, 0, sizeof *c);
    c->first = r->cfirst;
    c->end = end;
    c->pos = r->over_pos;
    c->neg = r->over_neg;
    c->nunits = (uint16_t)(r->nunits + r->nover);
    if (d->nsunits + r->nunits > d->capsunits) {
        size_t cap = d->capsunits ? d->capsunits : 64;
        while (cap < d->nsunits + r->nunits)
            cap *= 2;
        tema__sunit *v = realloc(d->sunits, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        d->sunits = v;
        d->capsunits = cap;
    }
    for (size_t u = 0; u < r->nunits; u++)
        d->sunits[d->nsunits++] = (tema__sunit){r->units[u].first, r->units[u].end, r->units[u].v};
    if (r->nunits && !r->nover) {
        r->last_v = r->units[r->nunits - 1].v;
        r->last_negated = r->units[r->nunits - 1].negated;
        r->last_clause = d->nclauses - 1;
    }
    for (size_t u = 0; u < r->nunits; u++) {
        if (r->units[u].v > 0) {
            c->pos += r->units[u].v;
            f->npos++;
        } else if (r->units[u].v < 0) {
            c->neg += r->units[u].v;
            f->nneg++;
        }
    }
    float s = c->pos + c->neg;
    const tema__token *last = &d->toks.v[end - 1];
    if (last->type == TEMA_TOK_PUNCT && (last->flags & TEMA_TOKF_QUESTION)) {
        c->flags |= TEMA__CLAUSE_QUESTION;
        if (s != 0) {
            s *= QUESTION_FACTOR;
            f->nquestion++;
            explain_tok(d, end - 1, "question", QUESTION_FACTOR);
        }
    }
    if (last->type == TEMA_TOK_PUNCT && (last->flags & TEMA_TOKF_EXCLAIM)) {
        c->flags |= TEMA__CLAUSE_EXCLAIM;
        if (s != 0) {
            unsigned n = last->count < EXCLAIM_MAX ? last->count : EXCLAIM_MAX;
            c->emphasis = signf(s) * EXCLAIM_BOOST * (float)n;
            s += c->emphasis;
            f->nexclaim = (uint16_t)(f->nexclaim + n);
            explain_tok(d, end - 1, "exclamation", c->emphasis);
        }
    }
    if (r->contrast)
        c->flags |= TEMA__CLAUSE_CONTRAST;
    c->sum = s;
    c->score = (float)(s / sqrt((double)s * s + ALPHA));
    c->weight = r->concessive ? CONTRAST_BEFORE : r->after_contrast ? CONTRAST_AFTER : 1.0f;
    f->pos += c->pos;
    f->neg += c->neg;
    r->cfirst = end;
    r->nunits = r->nnegs = 0;
    r->over_pos = r->over_neg = 0;
    r->nover = 0;
    r->mod = 1.0f;
    r->contrast = r->concessive = false;
    return TEMA_OK;
}

/* A contrast word at token 'i' starts clause number d->nclauses. */
static void contrast(run *r, size_t i)
{
    tema_doc *d = r->d;
    size_t c = d->nclauses;
    /* "Bra produkt. Men ..." reaches back into the sentence before. */
    size_t from = c == r->sent_first ? r->prev_sent_first : r->sent_first;
    for (size_t k = from; k < c; k++)
        d->clauses[k].weight = CONTRAST_BEFORE;
    r->after_contrast = true;
    r->contrast = true;
    d->sfeat.ncontrast++;
    explain_tok(d, (uint32_t)i, "contrast", CONTRAST_AFTER);
}

/* The valence of an emoji, emoticon or hashtag token (exact forms), or 0. */
static float emoji_valence(const run *r, const tema__token *t)
{
    const char *s = r->d->norm.p + t->norm_off;
    /* one hash for both lexicons (the form is followed by hash_words()'s
     * zeroed slack, doc.c) */
    uint64_t h = tema__hash_padded(s, t->norm_len);
    const tema__lexent *x = tema__lexicon_exact_hashed(r->lx, s, t->norm_len, h);
    if (!x || !(x->cls & TEMA__LEX_VALENCE))
        x = tema__lexicon_exact_hashed(r->all, s, t->norm_len, h);
    if (!x || !(x->cls & TEMA__LEX_VALENCE))
        return 0;
    float v = x->valence;
    if (t->type == TEMA_TOK_EMOTICON && t->count > 1) {
        unsigned rep = t->count - 1u < REPEAT_MAX ? t->count - 1u : REPEAT_MAX;
        v += signf(v) * REPEAT_BOOST * (float)rep;
    }
    return v;
}

tema_status tema__sentiment_run(tema_doc *d)
{
    const tema_engine *e = d->engine;
    memset(&d->sfeat, 0, sizeof d->sfeat);
    d->sentiment = 0;
    d->label = TEMA_LABEL_NEUTRAL;
    if (!e->lexicon[TEMA_LANG_UND])
        return TEMA_OK;  /* TEMA_OPT_TEXT_ONLY */
    run r;
    memset(&r, 0, sizeof r);
    r.d = d;
    r.lx = d->lang != TEMA_LANG_UND ? e->lexicon[d->lang] : NULL;
    r.all = e->lexicon[TEMA_LANG_UND];
    r.mod = 1.0f;
    r.last_clause = SIZE_MAX;
    for (size_t i = 0; i < d->toks.n; i++) {
        const tema__token *t = &d->toks.v[i];
        if (t->type == TEMA_TOK_WORD && !(t->flags & TEMA_TOKF_ALLCAPS) && t->end - t->start > 1) {
            r.caps_ok = true;
            break;
        }
    }
    find_irony(&r);
    r.signoff = find_signoff(&r);
    find_acts(&r);
    if (r.signoff < d->toks.n)
        explain(d, d->toks.v[r.signoff].start, d->toks.v[d->toks.n - 1].end, "sign-off", 0);
    tema_status st = TEMA_OK;
    for (size_t i = 0; i < d->toks.n && st == TEMA_OK; i++) {
        const tema__token *t = &d->toks.v[i];
        const tema__word *w = r.lx ? word_of(&r, i) : NULL;
        t = &d->toks.v[i];
        if (w && (w->cls & TEMA__LEX_CONTRAST)) {
            if (ends_clause(d, i)) {
                /* "Great sofa. Delivery was late though.": the clause the
                 * word ends is the one that outweighs what came before
                 * (it does not start with a contrast word) */
                contrast(&r, i);
                r.contrast = false;
            } else if (w->cls & TEMA__LEX_CONCESSIVE) {
                if ((st = end_clause(&r, (uint32_t)i)) != TEMA_OK)
                    break;
                r.contrast = r.concessive = true;
                d->sfeat.ncontrast++;
                explain_tok(d, (uint32_t)i, "concession", CONTRAST_BEFORE);
            } else {
                if ((st = end_clause(&r, (uint32_t)i)) != TEMA_OK)
                    break;
                contrast(&r, i);
            }
        }
        if (w && (w->cls & (TEMA__LEX_CUE_DONE | TEMA__LEX_CUE_REMEDY)) && r.nnegs)
            bind_verb_after(&r, i, w->cls);
        const tema__phrase *ph = NULL;
        int32_t head = w ? w->phrase : -1;
        /* Numbers have no word record, so a phrase that starts with one
         * ("1 star", "10 out of 10") is found by the number's form. */
        if (!w && r.lx && t->type == TEMA_TOK_NUMBER) {
            const tema__lexent *x =
                tema__lexicon_exact(r.lx, d->norm.p + t->norm_off, t->norm_len);
            head = x ? x->phrases : -1;
        }
        size_t n = head >= 0 && i < r.signoff ? match_phrase(&r, head, i, &ph) : 0;
        if (r.ncomplaint && complaint_at(&r, i)) {
            /* "Kan ni fixa ...", "Fler kassor": what is asked for is missing */
            add_unit(&r, (uint32_t)i, (uint32_t)i + 1, REQUEST_VALENCE, FEELING,
                     w && (w->acts & TEMA__ACT_FIX) ? "request-fix" : "wish", REQUEST_VALENCE);
        } else if (n && (r.nquiet || r.request) && unmeant(&r, i, i + n, ph->valence)) {
            i += n - 1;
            t = &d->toks.v[i];
        } else if (n) {
            float v = ph->valence;
            d->sfeat.nphrase++;
            for (size_t k = i; k < i + n && r.caps_ok && v != 0; k++)
                if (d->toks.v[k].flags & TEMA_TOKF_ALLCAPS) {
                    v += signf(v) * CAPS_BOOST;
                    d->sfeat.ncaps++;
                    explain_tok(d, (uint32_t)k, "caps", signf(v) * CAPS_BOOST);
                    break;
                }
            /* 'value for money 🙄', 'the "fast delivery"': meant no more
             * than a word would be */
            if (v > 0 && ironic(&r, i)) {
                v *= IRONY_FACTOR;
                explain_tok(d, (uint32_t)i, "irony", IRONY_FACTOR);
            }
            add_unit(&r, (uint32_t)i, (uint32_t)(i + n), v, ph->negator ? FORWARD_ONLY : NEGATABLE,
                     "phrase", ph->valence);
            i += n - 1;
            t = &d->toks.v[i];
        } else if (w && (w->cls & TEMA__LEX_NEGATOR)) {
            if (r.nnegs == CLAUSE_NEGS) {
                memmove(r.negs, r.negs + 1, (CLAUSE_NEGS - 1) * sizeof *r.negs);
                r.nnegs--;
            }
            negator *ng = &r.negs[r.nnegs++];
            *ng = (negator){(uint32_t)i, false, (w->cls & TEMA__LEX_NEG_FORWARD) != 0,
                            (w->cls & TEMA__LEX_NEG_BOTH) != 0, false, UINT32_MAX};
            if (denies_verbs(&r, ng))
                bind_verb_before(&r, ng);
        } else if (w && (w->cls & TEMA__LEX_MODIFIER) &&
                   (!(w->cls & TEMA__LEX_VALENCE) || unit_follows(&r, i))) {
            /* "really very good": modifiers in a row multiply */
            r.mod = (r.mod != 1.0f && i - r.mod_tok <= MOD_SCOPE ? r.mod : 1.0f) * w->mult;
            r.mod_tok = (uint32_t)i;
        } else if (w && (w->cls & TEMA__LEX_VALENCE) && i < r.signoff &&
                   !((r.nquiet || r.request) && unmeant(&r, i, i + 1, w->valence))) {
            float base = w->valence, v = base;
            if (w->cls & TEMA__LEX_COMPOUND) {
                v *= w->mult;
                explain_tok(d, (uint32_t)i,
                            w->mult >= 1 ? "compound-intensifier" : "compound-dampener", w->mult);
                if (w->mult >= 1)
                    d->sfeat.nintensified++;
                else
                    d->sfeat.ndampened++;
            }
            if ((t->flags & TEMA_TOKF_ALLCAPS) && r.caps_ok && v != 0) {
                v += signf(v) * CAPS_BOOST;
                d->sfeat.ncaps++;
                explain_tok(d, (uint32_t)i, "caps", signf(v) * CAPS_BOOST);
            }
            /* Praise in quotation marks is the customer's irony (Tack för
             * en "fantastisk" upplevelse) or someone else's claim, not
             * the customer's praise; so is praise under an irony mark. */
            if (v > 0 && ironic(&r, i)) {
                v *= IRONY_FACTOR;
                explain_tok(d, (uint32_t)i, "irony", IRONY_FACTOR);
            } else if (v > 0 && r.nsarcasm && sarcasm_at(&r, i)) {
                /* "Oh great, another update that breaks everything" */
                v *= IRONY_FACTOR;
                explain_tok(d, (uint32_t)i, "sarcasm", IRONY_FACTOR);
            }
            add_unit(&r, (uint32_t)i, (uint32_t)i + 1, v, NEGATABLE, "lexicon", base);
        } else if (t->type == TEMA_TOK_EMOJI || t->type == TEMA_TOK_EMOTICON ||
                   t->type == TEMA_TOK_HASHTAG) {
            float v = emoji_valence(&r, t);
            if (v != 0) {
                bool tag = t->type == TEMA_TOK_HASHTAG;
                if (!tag)
                    d->sfeat.nemoji++;
                add_unit(&r, (uint32_t)i, (uint32_t)i + 1, v, tag ? NEGATABLE : FEELING,
                         tag ? "lexicon" : "emoji", v);
            }
        }
        if (t->flags & TEMA_TOKF_CLAUSE_END) {
            if ((st = end_clause(&r, (uint32_t)(i + 1))) != TEMA_OK)
                break;
            if (t->flags & TEMA_TOKF_SENT_END) {
                r.prev_sent_first = r.sent_first;
                r.sent_first = d->nclauses;
                r.after_contrast = false;
            }
        }
    }
    if (st == TEMA_OK)
        st = end_clause(&r, (uint32_t)d->toks.n);
    if (st != TEMA_OK)
        return st;
    tema__sentfeat *f = &d->sfeat;
    double total = 0;
    for (size_t c = 0; c < d->nclauses; c++) {
        const tema__clause *cl = &d->clauses[c];
        total += (double)cl->weight * cl->sum;
    }
    double score = total / sqrt(total * total + ALPHA);
    f->raw = (float)total;
    f->rule_score = (float)score;
    f->nclauses = (uint16_t)(d->nclauses > UINT16_MAX ? UINT16_MAX : d->nclauses);
    d->sentiment = score;
    d->label = score >= LABEL_THRESHOLD    ? TEMA_LABEL_POSITIVE
               : score <= -LABEL_THRESHOLD ? TEMA_LABEL_NEGATIVE
                                           : TEMA_LABEL_NEUTRAL;
    return TEMA_OK;
}

void tema__sentiment_doc_free(tema_doc *d)
{
    free(d->clauses);
    free(d->sunits);
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
