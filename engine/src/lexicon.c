/*
 * lexicon.c: loading and validating the sentiment lexicons (format in
 * docs/formats.md), and resolving one word against them.  Every entry is
 * run through the comment tokenizer and stemmed with the language's
 * Snowball stemmer at load time, so lookups compare like with like and the
 * per-token work is one probe of the doc's word cache.
 */
#include "lexicon.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Phrase words are stored with a one-byte length. */
#define MAX_WORD 255
/* Limits on one lexicon file (docs/reliability.md). */
#define TEMA__LEXICON_MAX_LINE 4096
#define TEMA__LEXICON_MAX_ENTRIES 1000000
/* Longest phrase, in tokens: bounds the matcher's look-ahead. */
#define MAX_PHRASE 8
/* The rest of a compound after its prefix must be at least this many bytes,
 * so that "top-" does not turn "toppen" into "pen". */
#define MIN_COMPOUND_REST 3

/* Which file of a language folder is being read. */
typedef enum lexkind {
    K_SENTIMENT,  /* term<TAB>valence */
    K_NEGATORS,   /* term[<TAB>forward|both] */
    K_MODIFIERS,  /* term<TAB>multiplier; term- is a compound prefix */
    K_CONTRAST,   /* term[<TAB>concessive] */
    K_STOPWORDS,  /* term */
    K_BARRIERS,   /* term */
    K_CUES,       /* term<TAB>cue kind (number, time, ...) */
    K_SIGNOFFS,   /* a sign-off of 1-4 words, exact forms */
    K_REQUESTS,   /* term<TAB>act kind (please, thanks, fix, ...); 2-3 words: exact forms */
    K_EXTRA       /* term<TAB>valence[<TAB>lang]: --lexicon */
} lexkind;

/* State of a load: scratch for the tokenizer and one stemmer per language. */
typedef struct loader {
    tema_engine *e;                           /* errors go here */
    tema__stemmer *stem[TEMA_LANG_COUNT];     /* created on first use */
    tema__tokvec toks;                        /* tokens of one term */
    tema__buf norm;                           /* their normalised text */
    tema__norm_scratch ns;                    /* normaliser scratch */
    tema__buf key;                            /* encoded term */
    const char *path;                         /* file being read */
    size_t line;                              /* line number, 1-based */
} loader;

/* An encoded term: 'key' holds kind/len/bytes per token. */
typedef struct term {
    size_t ntok;      /* tokens */
    bool emoticon;    /* a single emoticon */
    unsigned repeat;  /* its repeat count (":)))" -> 3) */
} term;

static tema_status fail(loader *L, tema_status st, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return tema__fail(L->e, st, "%s:%zu: %s", L->path, L->line, msg);
}

static tema_status get_stemmer(loader *L, tema_lang lang, tema__stemmer **out)
{
    if (!L->stem[lang]) {
        tema_status st = tema__stemmer_new_memo(lang, &L->stem[lang]);
        if (st != TEMA_OK)
            return st;
    }
    *out = L->stem[lang];
    return TEMA_OK;
}

static tema_status put_word(tema__buf *b, char kind, const char *p, size_t n)
{
    unsigned char hdr[2] = {(unsigned char)kind, (unsigned char)n};
    if (tema__buf_append(b, hdr, 2) != TEMA_OK || tema__buf_append(b, p, n) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    return TEMA_OK;
}

static bool starts_alpha(const char *p, size_t n)
{
    unsigned char c = n ? (unsigned char)p[0] : 0;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Tokenises 'text' (one field) the way comments are tokenised and encodes
 * it into L->key.  Words are stored by stem unless marked `=word`; in
 * lexicons/all (lang UND) everything is an exact form. */
static tema_status encode_term(loader *L, tema_lang lang, const char *text, size_t len, term *t)
{
    memset(t, 0, sizeof *t);
    L->key.len = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ')
            i++;
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        if (j == i)
            break;
        const char *chunk = text + i;
        size_t clen = j - i;
        i = j;
        bool exact = false;
        /* `=word` marks an exact form; `=)` and `=(` are emoticons. */
        if (clen > 1 && chunk[0] == '=' && starts_alpha(chunk + 1, clen - 1)) {
            exact = true;
            chunk++;
            clen--;
        }
        if (clen > 1 && chunk[0] == '\\' && chunk[1] == '#') {
            chunk++;
            clen--;
        }
        size_t repairs = 0;
        tema_status st = tema__tokenize(chunk, clen, &L->toks, &L->norm, &L->ns, &repairs);
        if (st != TEMA_OK)
            return st;
        for (size_t k = 0; k < L->toks.n; k++) {
            const tema__token *tk = &L->toks.v[k];
            const char *w = L->norm.p + tk->norm_off;
            size_t wl = tk->norm_len;
            char kind = '=';
            if (tk->type == TEMA_TOK_WORD && !exact && lang != TEMA_LANG_UND) {
                tema__stemmer *sm;
                if ((st = get_stemmer(L, lang, &sm)) != TEMA_OK ||
                    (st = tema__stem(sm, w, wl, &w, &wl)) != TEMA_OK)
                    return st;
                kind = '~';
            }
            if (wl == 0 || wl > MAX_WORD)
                return fail(L, TEMA_ERR_PARSE, "word too long (at most 255 bytes): %s", w);
            if ((st = put_word(&L->key, kind, w, wl)) != TEMA_OK)
                return st;
            if (tk->type == TEMA_TOK_EMOTICON) {
                t->emoticon = true;
                t->repeat = tk->count;
            }
            t->ntok++;
        }
    }
    if (t->ntok != 1)
        t->emoticon = false;
    return TEMA_OK;
}

static tema_status lexicon_new(tema_lang lang, struct tema__lexicon **out)
{
    struct tema__lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return TEMA_ERR_NOMEM;
    lx->lang = lang;
    tema__strmap_init(&lx->stems);
    tema__strmap_init(&lx->exact);
    tema__strmap_init(&lx->phkeys);
    tema__strmap_init(&lx->signoffs);
    tema__strmap_init(&lx->actseq);
    *out = lx;
    return TEMA_OK;
}

void tema__lexicon_free(struct tema__lexicon *lx)
{
    if (!lx)
        return;
    tema__strmap_free(&lx->stems);
    tema__strmap_free(&lx->exact);
    tema__strmap_free(&lx->phkeys);
    tema__strmap_free(&lx->signoffs);
    tema__strmap_free(&lx->actseq);
    free(lx->ent);
    free(lx->ph);
    free(lx->pre);
    tema__buf_free(&lx->text);
    free(lx);
}

/* The entry for one encoded word (kind byte, length byte, bytes), created
 * empty when absent.  Returns its index or -1 on allocation failure. */
static int32_t entry_for(struct tema__lexicon *lx, const unsigned char *enc)
{
    tema__strmap *m = enc[0] == '~' ? &lx->stems : &lx->exact;
    const char *w = (const char *)enc + 2;
    size_t n = enc[1];
    tema__strmap_entry *me = tema__strmap_get(m, w, n);
    if (me)
        return (int32_t)me->value;
    if (lx->nent == lx->capent) {
        size_t cap = lx->capent ? lx->capent * 2 : 1024;
        tema__lexent *v = realloc(lx->ent, cap * sizeof *v);
        if (!v)
            return -1;
        lx->ent = v;
        lx->capent = cap;
    }
    tema__lexent *x = &lx->ent[lx->nent];
    x->cls = 0;
    x->acts = 0;
    x->valence = 0;
    x->mult = 1;
    x->phrases = -1;
    if (tema__strmap_put(m, w, n, (uint32_t)lx->nent, NULL) != TEMA_OK)
        return -1;
    return (int32_t)lx->nent++;
}

/* How many of the 'nwords' encoded words at 'enc' match by exact form
 * (every word not marked '~', which matches by stem). */
static unsigned exact_words(const unsigned char *enc, size_t nwords)
{
    unsigned n = 0;
    for (size_t k = 0; k < nwords; k++) {
        n += enc[0] != '~';
        enc += 2 + enc[1];
    }
    return n;
}

static tema_status add_phrase(loader *L, struct tema__lexicon *lx, const term *t, float valence)
{
    if (lx->lang == TEMA_LANG_UND)
        return fail(L, TEMA_ERR_PARSE,
                    "lexicons/all takes single tokens (emoji, emoticons); write phrases in a "
                    "language's sentiment.txt%s", NULL);
    if (t->ntok > MAX_PHRASE)
        return fail(L, TEMA_ERR_PARSE, "phrase longer than 8 tokens%s", NULL);
    tema__strmap_entry *me = tema__strmap_get(&lx->phkeys, L->key.p, L->key.len);
    if (me) {
        lx->ph[me->value].valence = valence;
        return TEMA_OK;
    }
    int32_t head = entry_for(lx, (const unsigned char *)L->key.p);
    if (head < 0)
        return TEMA_ERR_NOMEM;
    if (lx->nph == lx->capph) {
        size_t cap = lx->capph ? lx->capph * 2 : 256;
        tema__phrase *v = realloc(lx->ph, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        lx->ph = v;
        lx->capph = cap;
    }
    size_t off = lx->text.len;
    if (tema__buf_append(&lx->text, L->key.p, L->key.len) != TEMA_OK ||
        tema__strmap_put(&lx->phkeys, L->key.p, L->key.len, (uint32_t)lx->nph, NULL) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    tema__phrase *p = &lx->ph[lx->nph];
    p->words = (uint32_t)off;
    p->bytes = (uint32_t)L->key.len;
    p->nwords = (uint16_t)t->ntok;
    p->negator = 0;
    p->valence = valence;
    const unsigned char *w2 = (const unsigned char *)L->key.p;
    w2 += 2 + w2[1];
    p->h2 = tema__hash(w2 + 2, w2[1]);
    p->stem2 = w2[0] == '~';
    /* Keep each first-word list longest first, so the matcher takes the
     * longest phrase that fits; among phrases of one length, the one with
     * more exact forms first ("svar =hurtigere" is meant for fewer texts
     * than "svar hurtig"), and of two equally specific ones the later
     * (an analyst's --lexicon file is read after the shipped lists). */
    unsigned exact = exact_words((const unsigned char *)L->key.p, p->nwords);
    int32_t *link = &lx->ent[head].phrases;
    while (*link >= 0 &&
           (lx->ph[*link].nwords > p->nwords ||
            (lx->ph[*link].nwords == p->nwords &&
             exact_words((const unsigned char *)lx->text.p + lx->ph[*link].words, p->nwords) >
                 exact)))
        link = &lx->ph[*link].next;
    p->next = *link;
    *link = (int32_t)lx->nph++;
    return TEMA_OK;
}

/* A sign-off ("med vänliga hälsningar", "best"): its words as exact forms,
 * the encoding tema__lexicon_signoff() builds from a comment's tokens. */
static tema_status add_signoff(loader *L, struct tema__lexicon *lx, const char *text, size_t len)
{
    term t;
    tema_status st = encode_term(L, TEMA_LANG_UND, text, len, &t);
    if (st != TEMA_OK)
        return st;
    if (t.ntok < 1 || t.ntok > TEMA__SIGNOFF_WORDS)
        return fail(L, TEMA_ERR_PARSE, "a sign-off is 1 to 4 words%s", NULL);
    return tema__strmap_put(&lx->signoffs, L->key.p, L->key.len, 1, NULL);
}

/* Words in the longest sequence words_get() looks up: a sign-off or a
 * multiword requests.txt entry. */
#define SEQ_WORDS 4
_Static_assert(TEMA__SIGNOFF_WORDS <= SEQ_WORDS && TEMA__ACTSEQ_WORDS <= SEQ_WORDS,
               "words_get() key too short");

/* The entry of map 'm' for the 'n' normalised words words[0..n), encoded
 * as encode_term() encodes exact forms ('=', length, bytes per word), or
 * NULL.  One lookup for sign-offs and multiword requests.txt entries. */
static tema__strmap_entry *words_get(const tema__strmap *m, const char *const *words,
                                     const size_t *lens, size_t n)
{
    char key[SEQ_WORDS * (2 + MAX_WORD)];
    size_t at = 0;
    for (size_t w = 0; w < n; w++) {
        if (lens[w] == 0 || lens[w] > MAX_WORD)
            return NULL;
        key[at++] = '=';
        key[at++] = (char)lens[w];
        memcpy(key + at, words[w], lens[w]);
        at += lens[w];
    }
    return tema__strmap_get(m, key, at);
}

bool tema__lexicon_signoff(const struct tema__lexicon *lx, const char *const *words,
                           const size_t *lens, size_t n)
{
    if (!lx || !lx->signoffs.count || n < 1 || n > TEMA__SIGNOFF_WORDS)
        return false;
    return words_get(&lx->signoffs, words, lens, n) != NULL;
}

/* The TEMA__ACT_* bit of an act kind named in requests.txt, or 0. */
static uint32_t act_bit(const char *s, size_t n)
{
    static const struct { const char *name; uint32_t bit; } kinds[] = {
        {"please", TEMA__ACT_PLEASE}, {"gladly", TEMA__ACT_GLADLY}, {"modal", TEMA__ACT_MODAL},
        {"you", TEMA__ACT_YOU},       {"self", TEMA__ACT_SELF},     {"thanks", TEMA__ACT_THANKS},
        {"for", TEMA__ACT_FOR},       {"fix", TEMA__ACT_FIX},       {"wish", TEMA__ACT_WISH},
        {"cond", TEMA__ACT_COND},     {"more", TEMA__ACT_MORE},     {"than", TEMA__ACT_THAN},
        {"interjection", TEMA__ACT_INTERJ}, {"again", TEMA__ACT_AGAIN},
        {"object", TEMA__ACT_OBJECT}, {"loyal", TEMA__ACT_LOYAL},
        {"idiom", TEMA__ACT_IDIOM},   {"if", TEMA__ACT_IF},
        {"claim", TEMA__ACT_CLAIM},   {"yours", TEMA__ACT_YOURS},
        {"unreal", TEMA__ACT_UNREAL},
        {"customer", TEMA__ACT_CUSTOMER}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i].name) == n && memcmp(kinds[i].name, s, n) == 0)
            return kinds[i].bit;
    return 0;
}

/* A requests.txt line.  One word: its kind goes on the word's entry (by
 * stem, `=word` exact).  Two or three words ("hade varit", "nok en gang"):
 * exact forms, kept whole in 'actseq', and the first word's exact entry is
 * marked TEMA__ACT_SEQ so the scorer looks the sequence up only there. */
static tema_status add_act(loader *L, struct tema__lexicon *lx, const char *text, size_t len,
                           uint32_t bit)
{
    term t;
    tema_status st = encode_term(L, lx->lang, text, len, &t);
    if (st != TEMA_OK)
        return st;
    if (t.ntok == 1) {
        int32_t i = entry_for(lx, (const unsigned char *)L->key.p);
        if (i < 0)
            return TEMA_ERR_NOMEM;
        lx->ent[i].acts |= bit;
        return TEMA_OK;
    }
    if (t.ntok < 1 || t.ntok > TEMA__ACTSEQ_WORDS)
        return fail(L, TEMA_ERR_PARSE, "a requests.txt entry is 1 to 3 words%s", NULL);
    if ((st = encode_term(L, TEMA_LANG_UND, text, len, &t)) != TEMA_OK)
        return st;
    tema__strmap_entry *me = tema__strmap_get(&lx->actseq, L->key.p, L->key.len);
    if (me) {
        me->value |= bit;
    } else if (tema__strmap_put(&lx->actseq, L->key.p, L->key.len, bit, NULL) != TEMA_OK) {
        return TEMA_ERR_NOMEM;
    }
    unsigned char first[2 + MAX_WORD];
    memcpy(first, L->key.p, 2 + (unsigned char)L->key.p[1]);
    int32_t i = entry_for(lx, first);
    if (i < 0)
        return TEMA_ERR_NOMEM;
    lx->ent[i].acts |= TEMA__ACT_SEQ;
    return TEMA_OK;
}

uint32_t tema__lexicon_actseq(const struct tema__lexicon *lx, const char *const *words,
                              const size_t *lens, size_t n)
{
    if (!lx || !lx->actseq.count || n < 2 || n > TEMA__ACTSEQ_WORDS)
        return 0;
    tema__strmap_entry *me = words_get(&lx->actseq, words, lens, n);
    return me ? me->value : 0;
}

static tema_status add_prefix(loader *L, struct tema__lexicon *lx, float mult)
{
    /* The prefix is stored as its normalised text, never stemmed. */
    const char *w = L->key.p + 2;
    size_t n = (unsigned char)L->key.p[1];
    for (size_t i = 0; i < lx->npre; i++)
        if (lx->pre[i].len == n && memcmp(lx->text.p + lx->pre[i].off, w, n) == 0) {
            lx->pre[i].mult = mult;
            return TEMA_OK;
        }
    if (lx->npre == lx->cappre) {
        size_t cap = lx->cappre ? lx->cappre * 2 : 16;
        tema__prefix *v = realloc(lx->pre, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        lx->pre = v;
        lx->cappre = cap;
    }
    lx->pre[lx->npre].off = (uint32_t)lx->text.len;
    lx->pre[lx->npre].len = (uint32_t)n;
    lx->pre[lx->npre].mult = mult;
    lx->npre++;
    (void)L;
    return tema__buf_append(&lx->text, w, n);
}

double tema__parse_decimal(const char *s, size_t n, bool *ok)
{
    /* Clinger's fast path: up to 15 digits are an exact integer m, 10^k for
     * k <= 22 is an exact power, so m / 10^k is the correctly rounded
     * quotient, the value strtod() gives for these digits. */
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = 0;
    bool neg = false;
    *ok = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    uint64_t m = 0;
    size_t digits = 0, frac = 0, before = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, before++)
        m = m * 10 + (uint64_t)(s[i] - '0');
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, frac++)
            m = m * 10 + (uint64_t)(s[i] - '0');
        if (frac == 0)
            return 0;
    }
    if (i != n || before == 0 || digits > 15)
        return 0; /* exponents, ".5", "1.", long numbers, other text: strtod() */
    *ok = true;
    double q = (double)m / pow10[frac];
    return neg ? -q : q;
}

static bool parse_number(const char *s, size_t n, double lo, double hi, double *out)
{
    bool fast;
    double fv = tema__parse_decimal(s, n, &fast);
    if (fast) {
        if (fv < lo || fv > hi)
            return false;
        *out = fv;
        return true;
    }
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end == buf || *end || errno || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Splits 'line' at TABs into at most 'max' fields (trimmed of spaces).
 * Returns the number of fields, or max + 1 when there are more. */
static size_t split(const char *line, size_t len, const char **f, size_t *fl, size_t max)
{
    size_t n = 0, i = 0;
    for (;;) {
        size_t j = i;
        while (j < len && line[j] != '\t')
            j++;
        if (n == max)
            return max + 1;
        size_t a = i, b = j;
        while (a < b && line[a] == ' ')
            a++;
        while (b > a && line[b - 1] == ' ')
            b--;
        f[n] = line + a;
        fl[n] = b - a;
        n++;
        if (j >= len)
            return n;
        i = j + 1;
    }
}

/* Adds one single-token or phrase entry with a valence to 'lx'. */
static tema_status add_sentiment(loader *L, struct tema__lexicon *lx, const char *text, size_t len,
                                 float valence)
{
    term t;
    tema_status st = encode_term(L, lx->lang, text, len, &t);
    if (st != TEMA_OK)
        return st;
    if (t.ntok == 0)
        return fail(L, TEMA_ERR_PARSE, "empty term%s", NULL);
    if (t.ntok > 1)
        return add_phrase(L, lx, &t, valence);
    /* ":)))" is ":)" written with emphasis; the scorer adds emphasis for
     * repeats, so only the plain form carries a valence. */
    if (t.emoticon && t.repeat > 1)
        return TEMA_OK;
    int32_t i = entry_for(lx, (const unsigned char *)L->key.p);
    if (i < 0)
        return TEMA_ERR_NOMEM;
    lx->ent[i].cls |= TEMA__LEX_VALENCE;
    lx->ent[i].valence = valence;
    return TEMA_OK;
}

/* The class bits of a cue kind named in cues.txt, or 0. */
static uint64_t cue_bit(const char *s, size_t n)
{
    static const struct { const char *name; uint64_t bit; } kinds[] = {
        {"number", TEMA__LEX_CUE_NUMBER},   {"time", TEMA__LEX_CUE_TIME},
        {"times", TEMA__LEX_CUE_TIMES},     {"ordinal", TEMA__LEX_CUE_ORDINAL},
        {"still", TEMA__LEX_CUE_STILL},     {"yet", TEMA__LEX_CUE_YET},
        {"within", TEMA__LEX_CUE_WITHIN},   {"month", TEMA__LEX_CUE_MONTH},
        {"day", TEMA__LEX_CUE_DAY},         {"since", TEMA__LEX_CUE_SINCE},
        {"from", TEMA__LEX_CUE_FROM},       {"to", TEMA__LEX_CUE_TO},
        {"really", TEMA__LEX_CUE_REALLY},   {"short", TEMA__LEX_CUE_SHORT},
        {"few", TEMA__LEX_CUE_FEW},         {"contact", TEMA__LEX_CUE_CONTACT},
        {"speed", TEMA__LEX_CUE_SPEED},     {"only", TEMA__LEX_CUE_ONLY},
        {"long", TEMA__LEX_CUE_LONG},       {"some", TEMA__LEX_CUE_SOME},
        {"days", TEMA__LEX_CUE_DAYS},       {"untried", TEMA__LEX_CUE_UNDONE},
        {"promise", TEMA__LEX_CUE_UNDONE},  {"wait", TEMA__LEX_CUE_UNDONE},
        {"done", TEMA__LEX_CUE_DONE},       {"remedy", TEMA__LEX_CUE_REMEDY},
        {"hours", TEMA__LEX_CUE_HOURS},     {"reply", TEMA__LEX_CUE_REPLY},
        {"subject", TEMA__LEX_CUE_APART},   {"infinitive", TEMA__LEX_CUE_APART},
        {"even", TEMA__LEX_CUE_EVEN},       {"idiom", TEMA__LEX_CUE_IDIOM},
        {"chore", TEMA__LEX_CUE_CHORE},
        {"arrival", TEMA__LEX_CUE_UNDONE | TEMA__LEX_CUE_ARRIVAL},
        {"habit", TEMA__LEX_CUE_HABIT},     {"took", TEMA__LEX_CUE_TOOK},
        {"named", TEMA__LEX_CUE_NAMED},
        {"excess", TEMA__LEX_CUE_EXCESS},   {"dimension", TEMA__LEX_CUE_DIM},
        {"more", TEMA__LEX_CUE_MORE},       {"than", TEMA__LEX_CUE_THAN},
        {"measure", TEMA__LEX_CUE_MEASURE},
        {"quantity", TEMA__LEX_CUE_DIM | TEMA__LEX_CUE_QUANT},
        {"money", TEMA__LEX_CUE_MONEY},
        {"span", TEMA__LEX_CUE_MEASURE | TEMA__LEX_CUE_SPAN},
        {"worth", TEMA__LEX_CUE_WORTH},
        /* "samma dag", "same day": a count that is its own preposition */
        {"same", TEMA__LEX_CUE_SOME | TEMA__LEX_CUE_SPEED}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i].name) == n && memcmp(kinds[i].name, s, n) == 0)
            return kinds[i].bit;
    return 0;
}

/* The class bit of the optional second field of a negators.txt or
 * contrast.txt line ("ingen<TAB>forward"), or 0 for an unknown one. */
static uint64_t marker_bit(lexkind kind, const char *s, size_t n)
{
    static const struct { lexkind kind; const char *name; uint64_t bit; } markers[] = {
        {K_NEGATORS, "forward", TEMA__LEX_NEG_FORWARD},
        {K_NEGATORS, "both", TEMA__LEX_NEG_BOTH},
        {K_NEGATORS, "plain", TEMA__LEX_NEG_PLAIN},
        {K_CONTRAST, "concessive", TEMA__LEX_CONCESSIVE}};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (markers[i].kind == kind && strlen(markers[i].name) == n &&
            memcmp(markers[i].name, s, n) == 0)
            return markers[i].bit;
    return 0;
}

static tema_status handle_line(loader *L, lexkind kind, struct tema__lexicon **lexes,
                               const char *line, size_t len)
{
    const char *f[4];
    size_t fl[4];
    size_t want = kind == K_SENTIMENT || kind == K_MODIFIERS || kind == K_CUES ||
                          kind == K_NEGATORS || kind == K_CONTRAST || kind == K_REQUESTS
                      ? 2
                  : kind == K_EXTRA ? 3
                                    : 1;
    size_t n = split(line, len, f, fl, want);
    if (n > want)
        return fail(L, TEMA_ERR_PARSE, "too many fields (a term%s)",
                    kind == K_SENTIMENT   ? ", a TAB and a valence"
                    : kind == K_MODIFIERS ? ", a TAB and a multiplier"
                    : kind == K_EXTRA     ? ", a TAB, a valence, optionally a TAB and a language"
                    : kind == K_CUES      ? ", a TAB and a cue kind"
                    : kind == K_REQUESTS  ? ", a TAB and an act kind"
                    : kind == K_NEGATORS  ? ", optionally a TAB and 'forward', 'both' or 'plain'"
                    : kind == K_CONTRAST  ? ", optionally a TAB and 'concessive'"
                                          : " alone on its line");
    if (fl[0] == 0)
        return fail(L, TEMA_ERR_PARSE, "empty term%s", NULL);
    if (tema_utf8_invalid_count(line, len))
        return fail(L, TEMA_ERR_PARSE, "invalid UTF-8%s", NULL);
    if ((kind == K_SENTIMENT || kind == K_EXTRA || kind == K_MODIFIERS) && (n < 2 || fl[1] == 0))
        return fail(L, TEMA_ERR_PARSE, "missing %s after the term (separate them with a TAB)",
                    kind == K_MODIFIERS ? "multiplier" : "valence");
    if (kind == K_CUES && (n < 2 || fl[1] == 0))
        return fail(L, TEMA_ERR_PARSE, "missing cue kind after the term%s", NULL);
    if (kind == K_REQUESTS) {
        uint32_t act = n > 1 ? act_bit(f[1], fl[1]) : 0;
        if (!act) {
            char bad[80];
            snprintf(bad, sizeof bad, "%.*s", (int)(n > 1 && fl[1] < 60 ? fl[1] : 60),
                     n > 1 ? f[1] : "");
            return fail(L, TEMA_ERR_PARSE, "missing or unknown act kind '%s'", bad);
        }
        return add_act(L, lexes[0], f[0], fl[0], act);
    }
    uint64_t cue = 0;
    if (kind == K_CUES && !(cue = cue_bit(f[1], fl[1]))) {
        char bad[80];
        snprintf(bad, sizeof bad, "%.*s", (int)(fl[1] < 60 ? fl[1] : 60), f[1]);
        return fail(L, TEMA_ERR_PARSE, "unknown cue kind '%s'", bad);
    }
    uint64_t marker = 0;
    if ((kind == K_NEGATORS || kind == K_CONTRAST) && n > 1 && fl[1] > 0 &&
        !(marker = marker_bit(kind, f[1], fl[1]))) {
        char bad[80];
        snprintf(bad, sizeof bad, "%.*s", (int)(fl[1] < 60 ? fl[1] : 60), f[1]);
        return fail(L, TEMA_ERR_PARSE,
                    kind == K_NEGATORS ? "unknown negator kind '%s' (forward, both or plain)"
                                       : "unknown contrast kind '%s' (only 'concessive')",
                    bad);
    }
    double v = 0;
    if (kind == K_SENTIMENT || kind == K_EXTRA) {
        if (!parse_number(f[1], fl[1], -4, 4, &v)) {
            char bad[80];
            snprintf(bad, sizeof bad, "%.*s", (int)(fl[1] < 60 ? fl[1] : 60), f[1]);
            return fail(L, TEMA_ERR_PARSE, "valence '%s' is not a number from -4 to 4", bad);
        }
    }
    if (kind == K_EXTRA) {
        tema_lang lang = TEMA_LANG_UND;
        bool all = n < 3 || fl[2] == 0 || (fl[2] == 3 && memcmp(f[2], "all", 3) == 0);
        if (!all && (tema_lang_parse(f[2], fl[2], &lang) != TEMA_OK || lang == TEMA_LANG_UND)) {
            char bad[40];
            snprintf(bad, sizeof bad, "%.*s", (int)(fl[2] < 30 ? fl[2] : 30), f[2]);
            return fail(L, TEMA_ERR_PARSE, "unknown language '%s' (use sv, da, no, en or all)",
                        bad);
        }
        for (int l = TEMA_LANG_SV; l < TEMA_LANG_COUNT; l++) {
            if (!all && l != (int)lang)
                continue;
            tema_status st = add_sentiment(L, lexes[l], f[0], fl[0], (float)v);
            if (st != TEMA_OK)
                return st;
        }
        return TEMA_OK;
    }
    struct tema__lexicon *lx = lexes[0];
    if (kind == K_SENTIMENT)
        return add_sentiment(L, lx, f[0], fl[0], (float)v);
    if (kind == K_SIGNOFFS)
        return add_signoff(L, lx, f[0], fl[0]);
    bool prefix = false;
    if (kind == K_MODIFIERS) {
        if (!parse_number(f[1], fl[1], 0.01, 4, &v)) {
            char bad[80];
            snprintf(bad, sizeof bad, "%.*s", (int)(fl[1] < 60 ? fl[1] : 60), f[1]);
            return fail(L, TEMA_ERR_PARSE, "multiplier '%s' is not a number above 0 and up to 4",
                        bad);
        }
        if (fl[0] > 1 && f[0][fl[0] - 1] == '-') {
            prefix = true;
            fl[0]--;
        }
    }
    term t;
    /* Prefixes are matched as written (normalised, not stemmed). */
    tema_status st = encode_term(L, prefix ? TEMA_LANG_UND : lx->lang, f[0], fl[0], &t);
    if (st != TEMA_OK)
        return st;
    if (t.ntok != 1)
        return fail(L, TEMA_ERR_PARSE, "%s must be a single word",
                    kind == K_NEGATORS   ? "a negator"
                    : kind == K_CONTRAST ? "a contrast word"
                    : kind == K_STOPWORDS ? "a stopword"
                    : kind == K_BARRIERS  ? "a barrier word"
                    : kind == K_CUES      ? "a cue"
                    : prefix              ? "a compound prefix"
                                          : "a modifier (write phrases in sentiment.txt)");
    if (prefix)
        return add_prefix(L, lx, (float)v);
    int32_t i = entry_for(lx, (const unsigned char *)L->key.p);
    if (i < 0)
        return TEMA_ERR_NOMEM;
    tema__lexent *x = &lx->ent[i];
    switch (kind) {
    case K_NEGATORS: x->cls |= TEMA__LEX_NEGATOR | marker; break;
    case K_CONTRAST: x->cls |= TEMA__LEX_CONTRAST | marker; break;
    case K_STOPWORDS: x->cls |= TEMA__LEX_STOPWORD; break;
    case K_BARRIERS: x->cls |= TEMA__LEX_BARRIER; break;
    case K_CUES: x->cls |= cue; break;
    default:
        x->cls |= TEMA__LEX_MODIFIER;
        x->mult = (float)v;
        break;
    }
    return TEMA_OK;
}

/* Reads one file.  'optional': a missing file is an empty lexicon. */
static tema_status load_file(loader *L, const char *path, lexkind kind,
                             struct tema__lexicon **lexes, bool optional)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (optional && errno == ENOENT)
            return TEMA_OK;
        return tema__fail(L->e, errno == ENOENT ? TEMA_ERR_NOTFOUND : TEMA_ERR_IO, "%s: %s", path,
                          strerror(errno));
    }
    L->path = path;
    L->line = 0;
    char *line = malloc(TEMA__LEXICON_MAX_LINE + 1);
    size_t len = 0, entries = 0;
    tema_status st = line ? TEMA_OK : TEMA_ERR_NOMEM, rd;
    while (st == TEMA_OK &&
           (rd = tema__read_line(f, line, TEMA__LEXICON_MAX_LINE + 1, &len)) != TEMA_DONE) {
        L->line++;
        if (rd == TEMA_ERR_IO)
            break;
        if (rd == TEMA_ERR_LIMIT) {
            st = fail(L, TEMA_ERR_LIMIT, "line longer than 4096 bytes%s", NULL);
            break;
        }
        if (++entries > TEMA__LEXICON_MAX_ENTRIES) {
            st = fail(L, TEMA_ERR_LIMIT, "more than 1000000 lines in one lexicon file%s", NULL);
            break;
        }
        size_t a = 0;
        while (a < len && (line[a] == ' ' || line[a] == '\t'))
            a++;
        if (a == len || line[a] == '#')
            continue;
        /* A leading TAB means an empty term, so only spaces are skipped. */
        a = 0;
        while (a < len && line[a] == ' ')
            a++;
        if (memchr(line, '\0', len))
            st = fail(L, TEMA_ERR_PARSE, "NUL byte in line%s", NULL);
        else
            st = handle_line(L, kind, lexes, line + a, len - a);
        if (st == TEMA_OK)
            lexes[kind == K_EXTRA ? TEMA_LANG_SV : 0]->nterms++;
    }
    if (st == TEMA_OK && ferror(f))
        st = tema__fail(L->e, TEMA_ERR_IO, "%s: read error", path);
    free(line);
    fclose(f);
    return st;
}

static int prefix_cmp(const void *a, const void *b)
{
    const tema__prefix *x = a, *y = b;
    return (x->len < y->len) - (x->len > y->len);
}

/* The 'follow' bits of every phrase: its own and those of the phrases after
 * it in its list (each phrase is in the list of one entry). */
static void follow_bits(struct tema__lexicon *lx)
{
    int32_t *chain = lx->nph ? malloc(lx->nph * sizeof *chain) : NULL;
    if (!chain) {
        for (size_t i = 0; i < lx->nph; i++)
            lx->ph[i].follow = ~0ull; /* no memory: every list is walked */
        return;
    }
    for (size_t e = 0; e < lx->nent; e++) {
        size_t n = 0;
        for (int32_t p = lx->ent[e].phrases; p >= 0 && n < lx->nph; p = lx->ph[p].next)
            chain[n++] = p;
        uint64_t acc = 0;
        while (n-- > 0) {
            tema__phrase *ph = &lx->ph[chain[n]];
            acc |= 1ull << (ph->h2 >> 58);
            ph->follow = acc;
        }
    }
    free(chain);
}

/* Marks phrases that contain a negator (they are not negated again) and
 * orders compound prefixes longest first. */
static void finish(struct tema__lexicon *lx)
{
    for (size_t i = 0; i < lx->nph; i++) {
        const unsigned char *p = (const unsigned char *)lx->text.p + lx->ph[i].words;
        for (unsigned k = 0; k < lx->ph[i].nwords; k++) {
            const tema__strmap *m = p[0] == '~' ? &lx->stems : &lx->exact;
            tema__strmap_entry *me = tema__strmap_get(m, (const char *)p + 2, p[1]);
            if (me && (lx->ent[me->value].cls & TEMA__LEX_NEGATOR))
                lx->ph[i].negator = 1;
            p += 2 + p[1];
        }
    }
    follow_bits(lx);
    if (lx->npre > 1)
        qsort(lx->pre, lx->npre, sizeof *lx->pre, prefix_cmp);
}

tema_status tema__lexicon_load(tema_engine *e, const tema_config *cfg)
{
    static const struct { const char *name; lexkind kind; } files[] = {
        {"negators.txt", K_NEGATORS},   {"contrast.txt", K_CONTRAST},
        {"modifiers.txt", K_MODIFIERS}, {"stopwords.txt", K_STOPWORDS},
        {"sentiment.txt", K_SENTIMENT}, {"cues.txt", K_CUES},
        {"barriers.txt", K_BARRIERS},   {"signoffs.txt", K_SIGNOFFS},
        {"requests.txt", K_REQUESTS}};
    loader L;
    memset(&L, 0, sizeof L);
    L.e = e;
    tema_status st = TEMA_OK;
    char rel[64], path[PATH_MAX];
    for (int l = TEMA_LANG_UND; l < TEMA_LANG_COUNT && st == TEMA_OK; l++)
        st = lexicon_new((tema_lang)l, &e->lexicon[l]);
    for (int l = TEMA_LANG_UND; l < TEMA_LANG_COUNT && st == TEMA_OK; l++) {
        struct tema__lexicon *one[1] = {e->lexicon[l]};
        for (size_t k = 0; k < sizeof files / sizeof files[0] && st == TEMA_OK; k++) {
            if (l == TEMA_LANG_UND && files[k].kind != K_SENTIMENT)
                continue;
            snprintf(rel, sizeof rel, "lexicons/%s/%s",
                     l == TEMA_LANG_UND ? "all" : tema_lang_code((tema_lang)l), files[k].name);
            if ((st = tema__data_path(e, rel, path)) == TEMA_OK)
                st = load_file(&L, path, files[k].kind, one, true);
        }
    }
    for (size_t i = 0; cfg && i < cfg->n_lexicons && st == TEMA_OK; i++) {
        if (!cfg->lexicons[i])
            st = tema__fail(e, TEMA_ERR_MISUSE, "tema_config.lexicons[%zu] is NULL", i);
        else
            st = load_file(&L, cfg->lexicons[i], K_EXTRA, e->lexicon, false);
    }
    for (int l = TEMA_LANG_UND; l < TEMA_LANG_COUNT && st == TEMA_OK; l++)
        finish(e->lexicon[l]);
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
        tema__stemmer_free(L.stem[l]);
    tema__tokvec_free(&L.toks);
    tema__buf_free(&L.norm);
    tema__buf_free(&L.key);
    tema__norm_scratch_free(&L.ns);
    if (st == TEMA_ERR_NOMEM)
        tema__fail(e, st, "out of memory loading lexicons");
    return st;
}

const tema__lexent *tema__lexicon_exact(const struct tema__lexicon *lx, const char *norm,
                                        size_t len)
{
    if (!lx)
        return NULL;
    tema__strmap_entry *me = tema__strmap_get(&lx->exact, norm, len);
    return me ? &lx->ent[me->value] : NULL;
}

const tema__lexent *tema__lexicon_exact_hashed(const struct tema__lexicon *lx, const char *norm,
                                               size_t len, uint64_t hash)
{
    if (!lx)
        return NULL;
    tema__strmap_entry *me = tema__strmap_find(&lx->exact, norm, len, hash);
    return me ? &lx->ent[me->value] : NULL;
}

/* Merges 'x' into the word record: exact forms were applied first and win. */
static void merge(tema__word *w, const tema__lexent *x)
{
    if (!x)
        return;
    if ((x->cls & TEMA__LEX_VALENCE) && !(w->cls & TEMA__LEX_VALENCE))
        w->valence = x->valence;
    if ((x->cls & TEMA__LEX_MODIFIER) && !(w->cls & TEMA__LEX_MODIFIER))
        w->mult = x->mult;
    if (x->phrases >= 0 && w->phrase < 0)
        w->phrase = x->phrases;
    w->cls |= x->cls;
    w->acts |= x->acts;
}

/* "jättebra": a compound prefix followed by a sentiment entry. */
static void compound(const struct tema__lexicon *lx, tema_doc *d, tema_lang lang, tema__word *w,
                     const char *norm, size_t len)
{
    for (size_t i = 0; i < lx->npre; i++) {
        const tema__prefix *p = &lx->pre[i];
        if (len < p->len + MIN_COMPOUND_REST || memcmp(norm, lx->text.p + p->off, p->len) != 0)
            continue;
        const char *rest = norm + p->len;
        size_t rlen = len - p->len;
        if (rest[0] == '-') {  /* "super-bra" */
            rest++;
            rlen--;
        }
        if (rlen < MIN_COMPOUND_REST)
            continue;
        const tema__lexent *x = tema__lexicon_exact(lx, rest, rlen);
        if (!(x && (x->cls & TEMA__LEX_VALENCE)) && d->wc->stemmers[lang]) {
            const char *stem;
            size_t slen;
            if (tema__stem(d->wc->stemmers[lang], rest, rlen, &stem, &slen) != TEMA_OK)
                return;
            tema__strmap_entry *me = tema__strmap_get(&lx->stems, stem, slen);
            x = me ? &lx->ent[me->value] : NULL;
        }
        if (x && (x->cls & TEMA__LEX_VALENCE)) {
            w->cls |= TEMA__LEX_VALENCE | TEMA__LEX_COMPOUND;
            w->valence = x->valence;
            w->mult = p->mult;
            return;
        }
    }
}

void tema__lexicon_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                           const char *norm, size_t len)
{
    if (lang <= TEMA_LANG_UND || lang >= TEMA_LANG_COUNT)
        return;
    const struct tema__lexicon *lx = e->lexicon[lang];
    if (!lx)
        return;
    merge(w, tema__lexicon_exact(lx, norm, len));
    tema__strmap_entry *me = tema__strmap_get(&lx->stems, d->wc->wtext.p + w->stem_off, w->stem_len);
    merge(w, me ? &lx->ent[me->value] : NULL);
    merge(w, tema__lexicon_exact(e->lexicon[TEMA_LANG_UND], norm, len));
    if (!(w->cls & ~TEMA__LEX_CUE_ANY))  /* "tiodagars" is no opinion either way */
        compound(lx, d, lang, w, norm, len);
}
