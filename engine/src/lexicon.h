/*
 * lexicon.h: the sentiment lexicons (words and phrases with a valence,
 * negators, intensifiers and dampeners, compound prefixes, contrast words,
 * stopwords), loaded once per engine from lexicons/<lang>/ and --lexicon
 * files, and looked up once per distinct word by tema__lexicon_resolve().
 */
#ifndef TEMA_LEXICON_H
#define TEMA_LEXICON_H

#include "engine.h"

/* Lexical class bits, in tema__lexent.cls and tema__word.cls. */
#define TEMA__LEX_VALENCE  (1u << 0) /* carries a sentiment valence */
#define TEMA__LEX_NEGATOR  (1u << 1) /* flips the valence of what follows (or precedes) */
#define TEMA__LEX_MODIFIER (1u << 2) /* intensifier or dampener: 'mult' */
#define TEMA__LEX_CONTRAST (1u << 3) /* starts a clause that outweighs the one before */
#define TEMA__LEX_STOPWORD (1u << 4) /* function word */
#define TEMA__LEX_COMPOUND (1u << 5) /* word records only: valence from a compound prefix
                                        ('mult') times the valence of the rest */
/* Complaint cues (cues.txt; read by cues.c).  No valence of their own: they
 * only say what a word is, so cues.c can find structures such as a number
 * followed by a unit of time without looking at the text again. */
#define TEMA__LEX_CUE_NUMBER  (1u << 6)  /* a number word: två, to, two */
#define TEMA__LEX_CUE_TIME    (1u << 7)  /* a unit of time: minut, dag, uke, week */
#define TEMA__LEX_CUE_TIMES   (1u << 8)  /* counts occasions: gånger, gange, times */
#define TEMA__LEX_CUE_ORDINAL (1u << 9)  /* an ordinal: tredje, third */
#define TEMA__LEX_CUE_STILL   (1u << 10) /* persistence: fortfarande, stadig, still */
#define TEMA__LEX_CUE_YET     (1u << 11) /* ännu, endnu, ennå, yet: with a negator */
#define TEMA__LEX_CUE_WITHIN  (1u << 12) /* inom, inden, innen, within: a promise */
#define TEMA__LEX_CUE_MONTH   (1u << 13) /* a month name */
#define TEMA__LEX_CUE_DAY     (1u << 14) /* a weekday name */
#define TEMA__LEX_CUE_SINCE   (1u << 15) /* sedan, siden, since */
#define TEMA__LEX_CUE_FROM    (1u << 16) /* från, fra, from: a price move's start */
#define TEMA__LEX_CUE_TO      (1u << 17) /* till, til, to: its end */
#define TEMA__LEX_CUE_REALLY  (1u << 18) /* allvarligt, seriøst, seriously: alone with '?' */
#define TEMA__LEX_CUE_SHORT   (1u << 19) /* a short unit of time (minute, hour, day): a lapse
                                            only from three of them on ("took two minutes") */
#define TEMA__LEX_CUE_FEW     (1u << 20) /* a number word below three: två, to, two */
#define TEMA__LEX_CUE_CONTACT (1u << 21) /* a contact counted: samtal, mejl, calls, emails */
/* Speed stated as fact (cues.c, "Speed"): how a duration reads. */
#define TEMA__LEX_CUE_SPEED   (1u << 26) /* på, in: the time a thing took ("på fem minuter") */
#define TEMA__LEX_CUE_ONLY    (1u << 27) /* bara, kun, bare, only, under, än: between the
                                            preposition and the count, keeps it short */
#define TEMA__LEX_CUE_LONG    (1u << 28) /* först, hela, hele, över, over, kö: makes even
                                            two of a unit a lapse ("först efter två dagar") */
#define TEMA__LEX_CUE_SOME    (1u << 29) /* en, ett, a, få, par, few: a small count as a word */
#define TEMA__LEX_CUE_DAYS    (1u << 30) /* a unit of days (dag, døgn, day): short up to 3 */
#define TEMA__LEX_CUE_UNDONE  (1u << 31) /* no report of what was done: a verb of trying
                                            (använt, used: "haven't used it yet" is no
                                            complaint), a promise (lovade, promised) or a
                                            wait (kö, ventetid, queue): a duration in its
                                            clause is no speed ("telefonkö på 20 minuter") */
/* Failures stated as fact (sentiment.c, cues.c; cues.txt kinds `done`,
 * `remedy`, `hours`, `reply`).  Above bit 31: the class is 64 bits wide. */
#define TEMA__LEX_CUE_DONE    (1ull << 32) /* a completion verb (levererats, hentet, collected):
                                             negated it is a failure ("har inte levererats") */
#define TEMA__LEX_CUE_REMEDY  (1ull << 33) /* a verb that remedies a problem (löste, dekket,
                                             fix): negated it is a failure, and its negator
                                             does not flip the problem after it ("dekket
                                             ikke skaden") */
#define TEMA__LEX_CUE_HOURS   (1ull << 34) /* a unit of hours (timme, time, hour) */
#define TEMA__LEX_CUE_REPLY   (1ull << 35) /* waiting for a reply or a person (svar, svarte,
                                             get through, ventede): in its sentence an hour
                                             is a lapse ("tog 2 timmar att få svar") */
/* A negator that denies a verb or an adjective and is no verb itself
 * (negators.txt `plain`: inte, ikke, not; not "ingen", "don't", "never"):
 * the only kind an elided clause opens with ("men inte med priset"). */
#define TEMA__LEX_NEG_PLAIN   (1ull << 36)
/* Negated completion, what keeps a negator from a verb (sentiment.c;
 * cues.txt `subject`, `infinitive`, `even`, `idiom`, `chore`). */
#define TEMA__LEX_CUE_APART   (1ull << 37) /* a subject pronoun or infinitive marker (they, de,
                                             to, att, at, å): a negator before it denies
                                             another verb ("not expecting to receive") */
#define TEMA__LEX_CUE_EVEN    (1ull << 38) /* ens, even, engang, (en) gang: skipped between a
                                             negator and the wait after it */
#define TEMA__LEX_CUE_IDIOM   (1ull << 39) /* right after a `done`/`remedy` verb, makes it no
                                             service: "couldn't help smiling", "don't get why" */
#define TEMA__LEX_CUE_CHORE   (1ull << 40) /* the customer's own effort (ringa, ringe, call):
                                             after a negated verb, what was not needed ("Fick
                                             inte ens ringa") */
#define TEMA__LEX_CUE_ARRIVAL (1ull << 41) /* the present tense of an arrival (kommer, arrives):
                                             a promise (with TEMA__LEX_CUE_UNDONE) unless ... */
#define TEMA__LEX_CUE_HABIT   (1ull << 42) /* ... alltid, altid, always is in its clause: "It
                                             always arrives in 2 days" reports a fast service */
#define TEMA__LEX_CUE_TOOK    (1ull << 43) /* tog, tok, took: "tog två veckor" is the lapse of
                                             the process the clause names (theme.c) */
#define TEMA__LEX_CUE_NAMED   (1ull << 44) /* modell, model, variant: a noun a quoted name
                                             stands after ('modellen "Bästa Val"', sentiment.c) */
/* Excess and unfavourable comparison (cues.c, "Excess and comparison";
 * cues.txt kinds `excess`, `dimension`, `more`, `than`, `measure`). */
#define TEMA__LEX_CUE_EXCESS  (1ull << 45) /* för, alltför, for, altfor, too: a degree of excess
                                             before a `dimension` word ("för lång") */
#define TEMA__LEX_CUE_DIM     (1ull << 46) /* an adjective of a dimension (lång, hög, slow, many):
                                             neutral alone, a complaint after an excess word */
#define TEMA__LEX_CUE_MORE    (1ull << 47) /* högre, längre, higher, longer: a comparative that,
                                             with a `than` word, is worse about a `measure` */
#define TEMA__LEX_CUE_THAN    (1ull << 48) /* än, end, enn, than */
#define TEMA__LEX_CUE_MEASURE (1ull << 49) /* what is worse higher or longer: pris, avgift,
                                             väntetid, leveranstid, price, fee, wait */
#define TEMA__LEX_CUE_QUANT   (1ull << 50) /* många, many, få, few: a `dimension` that counts, so
                                             "för få kassor" is an excess before its noun */
#define TEMA__LEX_CUE_MONEY   (1ull << 51) /* pengar, penge, money: after a quantity, a price paid
                                             ("för lite pengar"), no excess */
#define TEMA__LEX_CUE_SPAN    (1ull << 52) /* tid, time: a `measure` that a comparison makes worse
                                             only beside a `took` word ("tog längre tid än") */
#define TEMA__LEX_CUE_WORTH   (1ull << 53) /* gärna, sålde, would, trade: a higher price that is
                                             paid gladly or got, so no complaint */
#define TEMA__LEX_CUE_ANY     ((0xFFFFull << 6) | (0x3Full << 26) | (0xFull << 32) | \
                               (0x1FFFFull << 37)) /* every cue bit */
/* A negator that belongs to the word after it (negators.txt `forward`:
 * ingen, no, without): it flips a word before it only when it ends its
 * clause ("det hjälpte inget"), never across its own noun ("bra pris och
 * ingen frakt", "great app without ads"). */
#define TEMA__LEX_NEG_FORWARD (1u << 22)
/* The first word of "neither X nor Y" (negators.txt `both`: varken,
 * hverken, verken, neither): it reaches both members, and X and Y are
 * each negated once, so "neither good nor bad" is neutral while "neither
 * fast nor cheap" is negative. */
#define TEMA__LEX_NEG_BOTH (1u << 23)
/* A word a negator does not reach back across (barriers.txt: att, at,
 * that, som, selvom, because): "Bra att ni inte tog betalt" keeps "bra",
 * "Tråkigt att ni inte svarar" keeps "tråkigt". */
#define TEMA__LEX_BARRIER (1u << 24)
/* A contrast word that concedes (contrast.txt `concessive`: although,
 * though): the clause it starts weighs less than the rest of the
 * sentence, "I love it even though it was late" is praise. */
#define TEMA__LEX_CONCESSIVE (1u << 25)

/* Speech-act classes (requests.txt; read by sentiment.c, "Requests, wishes
 * and sarcasm" in docs/sentiment.md).  Kept apart from the class bits
 * above (which were 32 bits, all taken, when these came; they are 64 now):
 * a word's 'acts' say what it does in a request, a wish or a sarcastic
 * interjection, and only the request rules read them. */
#define TEMA__ACT_PLEASE (1u << 0)  /* please, snälla, venligst: the sentence is a request */
#define TEMA__ACT_GLADLY (1u << 1)  /* gärna, gerne, gjerne: a request when it opens the
                                       sentence or the comment closes with thanks */
#define TEMA__ACT_MODAL  (1u << 2)  /* kan, kunne, can, could: with 'you' after it, opening
                                       a sentence, a request ("Kan ni ...") */
#define TEMA__ACT_YOU    (1u << 3)  /* ni, du, dere, I, you */
#define TEMA__ACT_SELF   (1u << 4)  /* jag, jeg, I, we: "I wish" is a wish like "Wish" */
#define TEMA__ACT_THANKS (1u << 5)  /* tack, takk, tak, thanks: politeness after a request */
#define TEMA__ACT_FOR    (1u << 6)  /* för, for, til: "tack för X" thanks for something done */
#define TEMA__ACT_FIX    (1u << 7)  /* fixa, fikse, fix: requested, a complaint about its object */
#define TEMA__ACT_WISH   (1u << 8)  /* önskar, savner, wish: opening a sentence, a wish */
#define TEMA__ACT_COND   (1u << 9)  /* vore, hade varit, would be: praise after it is wished for */
#define TEMA__ACT_MORE   (1u << 10) /* fler, bättre, more, better: opening a sentence with no
                                       comparison, an improvement wish ("Fler kassor") */
#define TEMA__ACT_THAN   (1u << 11) /* än, end, enn, than: "Bättre än väntat" is a comparison */
#define TEMA__ACT_INTERJ (1u << 12) /* oh, åh, just: may come before a sarcastic praise word */
#define TEMA__ACT_AGAIN  (1u << 13) /* igen, igjen, again, another: "Great, another update" */
#define TEMA__ACT_OBJECT (1u << 14) /* med, if, att, to: after a conditional, what is wished
                                       for ("would be easier if ..."), so it is a wish */
#define TEMA__ACT_SEQ    (1u << 15) /* first word of a multiword entry (tema__lexicon_actseq()) */
#define TEMA__ACT_LOYAL  (1u << 16) /* rekommendera, anbefale, recommend, "come back": said by
                                       the writer in a wish, a stated loyalty, not a wish */
#define TEMA__ACT_IDIOM  (1u << 17) /* "laga mat", "fix dinner": a fix verb that repairs nothing */
#define TEMA__ACT_IF     (1u << 18) /* om, hvis, if: after a `loyal` word, loyalty on a condition
                                       ("would recommend you if ..."), a wish again */
#define TEMA__ACT_CLAIM  (1u << 19) /* advertise, so-called, "so much for": in the sentence of a
                                       capitalised quote, it is a claim in scare quotes */
#define TEMA__ACT_YOURS  (1u << 20) /* er, jeres, your: right before a capitalised quote, the
                                       company's claim in scare quotes ('Er "Snabba Leverans"') */
#define TEMA__ACT_UNREAL (1u << 21) /* were, vore, var, gick: a past form in an `if` clause, the
                                       condition is contrary to fact ("if the queues were shorter") */
#define TEMA__ACT_CUSTOMER (1u << 22) /* kund, kunde, customer: after an opinion word in a sign-off's
                                         "name", a self-description ("Regards, Angry Customer") */

/* One key of a lexicon: a stem (single words written plainly) or an exact
 * normalised form (`=word`, emoji, emoticons). */
typedef struct tema__lexent {
    uint64_t cls;     /* TEMA__LEX_* */
    uint32_t acts;    /* TEMA__ACT_* (requests.txt) */
    float valence;    /* -4..+4 when cls has TEMA__LEX_VALENCE */
    float mult;       /* multiplier when cls has TEMA__LEX_MODIFIER */
    int32_t phrases;  /* first phrase that starts with this key, or -1 */
} tema__lexent;

/* A multiword entry.  Its words are encoded in the lexicon's 'text' as
 * kind byte ('~' stem, '=' exact form), length byte, bytes. */
typedef struct tema__phrase {
    uint32_t words;   /* offset of the encoded words in 'text' */
    uint32_t bytes;   /* length of the encoding */
    uint16_t nwords;  /* tokens in the phrase, >= 2 */
    uint16_t negator; /* 1 when a word of the phrase is a negator: never negated again */
    float valence;    /* -4..+4 */
    uint64_t h2;      /* tema__hash of the second word, so most candidates are
                         rejected by one integer compare */
    int32_t next;     /* next phrase with the same first word (no shorter ones before
                         longer ones), or -1 */
    uint32_t stem2;   /* 1 when the second word matches by stem ('~'), so h2 is
                         compared without decoding the words */
    uint64_t follow;  /* bit h2 >> 58 of this phrase and of every later one in
                         its list: a next word with neither hash's bit set
                         starts none of them, and the list is not walked */
} tema__phrase;

/* A compound intensifier prefix (`jätte-`). */
typedef struct tema__prefix {
    uint32_t off;     /* normalised prefix in 'text' */
    uint32_t len;     /* its length in bytes */
    float mult;       /* multiplier */
} tema__prefix;

struct tema__lexicon {
    tema_lang lang;        /* language; TEMA_LANG_UND for lexicons/all */
    tema__strmap stems;    /* stem -> index in 'ent' */
    tema__strmap exact;    /* exact normalised form -> index in 'ent' */
    tema__lexent *ent;     /* entries */
    size_t nent, capent;   /* in use, allocated */
    tema__phrase *ph;      /* phrases */
    size_t nph, capph;     /* in use, allocated */
    tema__strmap phkeys;   /* encoded phrase -> index in 'ph' (later entries override) */
    tema__prefix *pre;     /* compound prefixes, longest first once loading ends */
    size_t npre, cappre;   /* in use, allocated */
    tema__buf text;        /* phrase encodings and prefixes */
    tema__strmap signoffs; /* encoded sign-offs (signoffs.txt), exact forms */
    tema__strmap actseq;   /* encoded multiword requests.txt entries -> TEMA__ACT_* */
    size_t nterms;         /* lines loaded (statistics, tests) */
};

/* Loads lexicons/{sv,da,no,en,all} under the data folder and the extra
 * files of 'cfg' into e->lexicon[].  Missing files in lexicons/<lang>/ are
 * empty lexicons; an extra file that cannot be read is an error.  Errors
 * go to tema__fail() as "file:line: message". */
tema_status tema__lexicon_load(tema_engine *e, const tema_config *cfg);
void tema__lexicon_free(struct tema__lexicon *lx);
/* A plain decimal ("-0.75", "2", "+1.5": sign, digits, optional fraction,
 * at most 15 digits) as strtod() would read it, without its cost; '*ok'
 * false (and 0 returned) for anything else, which the caller gives to
 * strtod(). */
double tema__parse_decimal(const char *s, size_t n, bool *ok);

/* The longest sign-off (signoffs.txt), in words. */
#define TEMA__SIGNOFF_WORDS 4

/* Are the 'n' normalised words words[0..n) (lengths 'lens') a sign-off of
 * signoffs.txt ("med vänliga hälsningar", "best")? */
bool tema__lexicon_signoff(const struct tema__lexicon *lx, const char *const *words,
                           const size_t *lens, size_t n);

/* The longest multiword requests.txt entry, in words. */
#define TEMA__ACTSEQ_WORDS 3

/* The TEMA__ACT_* kinds of the 'n' normalised words words[0..n) as a
 * multiword entry of requests.txt ("hade varit", "nok en gang"), or 0. */
uint32_t tema__lexicon_actseq(const struct tema__lexicon *lx, const char *const *words,
                              const size_t *lens, size_t n);

/* The entry of an exact normalised form (emoji, emoticons, `=word`), or NULL. */
const tema__lexent *tema__lexicon_exact(const struct tema__lexicon *lx, const char *norm,
                                        size_t len);
/* The same with the form's tema__hash() already known (one hash for the
 * language's lexicon and lexicons/all). */
const tema__lexent *tema__lexicon_exact_hashed(const struct tema__lexicon *lx, const char *norm,
                                               size_t len, uint64_t hash);

#endif
