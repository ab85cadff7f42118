/*
 * cues.c: complaints stated as facts.  "58 minuter i telefonkö", "Beställde
 * 3/11, paketet kom 19/11", "Har ringt tre gånger", "still no refund",
 * "£4.99 postage for plasters??", "Nässprayen gick från 49 till 69 kr" hold
 * no opinion word, and the phrases of the taxonomy (implicit.c) catch only
 * the wordings they copy.  What such comments share is structure: time
 * counted in numbers, contacts counted, persistence, rhetorical punctuation,
 * a price going up.  Those structures are found here over the tokens and
 * the cue classes the lexicon gave each word (lexicons/<lang>/cues.txt), so
 * the check costs a pass over the tokens of the few comments it applies to
 * and never touches the text again.
 *
 * A cue counts only on the theme pass (a taxonomy loaded), in a comment
 * with no positive opinion unit and no implicit complaint already counted
 * (requiring a theme mention as well cost accuracy): then it adds one
 * implicit-complaint unit to the comment (as implicit.c does for a
 * phrase), and the comment is scored and labelled again.  Praise with the
 * same structure ("Levererades på 2 dagar, toppen", "Still the best shop in
 * town") carries an opinion word and is left alone.  docs/sentiment.md has
 * the rules and the figures behind them.
 *
 * The same structure also states praise: a short duration after a speed
 * preposition ("Aktiverat på fem minuter", "svar inom 2 minuter", "same
 * day") is a fast service, and in a comment with no opinion word at all it
 * adds one positive unit instead (cue-speed).  Not for what is still to
 * come ("It arrives in a few days": `promise`), and an hour waiting for an
 * answer is already a lapse ("Det tog 2 timmar att få svar": `reply`).
 */
#include "engine.h"
#include "lexicon.h"

/* One cue adds what one implicit complaint adds: alone it scores the
 * comment -0.5 (implicit.c). */
#define CUE_UNIT (-2.2360679774997898)
/* Two dates at least this many days apart state a lapse of time ("3/11 ...
 * 19/11"); closer ones may be praise ("beställde 3/11, kom 5/11"). */
#define CUE_MIN_DAYS 5
/* How many tokens a negator may stand from ännu / yet. */
#define YET_REACH 3
/* After a speed preposition, up to this many minutes or hours are fast
 * ("på 20 minuter", "innen 24 timer"); more are the lapse they were
 * ("på 45 minuter" is a queue). */
#define SPEED_MAX_MINUTES 30
/* ... and up to this many days ("på 2 dagar", "in 3 days", "samma dag"):
 * a delivery or refund in three days is fast, in a week it is not. */
#define SPEED_MAX_DAYS 3
/* Above this many days after a speed preposition the duration is a lapse
 * again ("kom på 12 dagar"); in between it is neither. */
#define SPEED_QUIET_DAYS 7

/* How a count before a unit of time reads. */
typedef enum dur_kind {
    DUR_NONE,  /* no duration, or one that says nothing ("took two minutes") */
    DUR_LAPSE, /* a lapse of time: cue-duration */
    DUR_SPEED, /* a fast service: cue-speed */
    DUR_QUIET  /* a promise or an ordinary wait: no cue ("inom 3 dagar") */
} dur_kind;

/* A date found in the comment: day, and month or 0 when not given. */
typedef struct cue_date {
    int day;   /* 1..31 */
    int month; /* 1..12, 0 unknown */
} cue_date;

static uint64_t cls_of(const tema_doc *d, size_t i)
{
    const tema__token *t = &d->toks.v[i];
    return t->type == TEMA_TOK_WORD && t->word >= 0 ? d->wc->wordv[t->word].cls : 0;
}

static const char *norm_of(const tema_doc *d, size_t i, size_t *len)
{
    const tema__token *t = &d->toks.v[i];
    *len = t->norm_len;
    return d->norm.p + t->norm_off;
}

/* The value of a number or amount token ("49", "1 148 kr", "5.299", "£4.99",
 * "99,-"): a separator followed by exactly three digits groups thousands,
 * any other ends the integer part.  -1 when the token holds no digit. */
static double value_of(const tema_doc *d, size_t i)
{
    const tema__token *t = &d->toks.v[i];
    if (t->type != TEMA_TOK_NUMBER && t->type != TEMA_TOK_AMOUNT)
        return -1;
    size_t n;
    const char *s = norm_of(d, i, &n);
    size_t k = 0;
    while (k < n && (s[k] < '0' || s[k] > '9'))
        k++;
    if (k == n)
        return -1;
    double v = 0;
    while (k < n) {
        if (s[k] >= '0' && s[k] <= '9') {
            v = v * 10 + (s[k++] - '0');
            continue;
        }
        size_t g = 0;
        while (k + 1 + g < n && g < 4 && s[k + 1 + g] >= '0' && s[k + 1 + g] <= '9')
            g++;
        if ((s[k] == ' ' || s[k] == '.' || s[k] == ',') && g == 3) {
            k++;
            continue;
        }
        double f = 0.1;
        if ((s[k] == '.' || s[k] == ',') && g > 0)
            for (size_t j = 0; j < g && j < 2; j++, f /= 10)
                v += f * (s[k + 1 + j] - '0');
        break;
    }
    return v;
}

/* A count: a number token of digits only, or a number word. */
static bool is_count(const tema_doc *d, size_t i)
{
    if (cls_of(d, i) & (TEMA__LEX_CUE_NUMBER | TEMA__LEX_CUE_FEW))
        return true;
    const tema__token *t = &d->toks.v[i];
    if (t->type != TEMA_TOK_NUMBER)
        return false;
    size_t n;
    const char *s = norm_of(d, i, &n);
    for (size_t k = 0; k < n; k++)
        if ((s[k] < '0' || s[k] > '9') && !(k == n - 1 && s[k] == '.'))
            return false; /* "2-4" is a promise, "16.30" a time of day */
    return n > 0;
}

/* Parses up to 2 digits at s[*k]; -1 if none. */
static int digits2(const char *s, size_t n, size_t *k)
{
    int v = -1;
    for (int m = 0; m < 2 && *k < n && s[*k] >= '0' && s[*k] <= '9'; m++, (*k)++)
        v = (v < 0 ? 0 : v * 10) + (s[*k] - '0');
    return v;
}

/* Token 'i' as a date: "19/11", "12.9", "3." or "3" next to a month name,
 * "17th" / "3rd".  Returns true and fills 'out'; '*used' is the last token
 * it took (a month name after the number). */
static bool date_at(const tema_doc *d, size_t i, cue_date *out, size_t *used)
{
    const tema__token *t = &d->toks.v[i];
    size_t n, k = 0;
    const char *s = norm_of(d, i, &n);
    *used = i;
    int day = digits2(s, n, &k);
    if (day < 1 || day > 31)
        return false;
    out->day = day;
    out->month = 0;
    if (t->type == TEMA_TOK_NUMBER && k < n && (s[k] == '/' || s[k] == '.') && k + 1 < n) {
        k++;
        int m = digits2(s, n, &k);
        if (m < 1 || m > 12 || (k < n && s[k] != '.' && s[k] != '/'))
            return false; /* "16.30", "4.99" */
        out->month = m;
        return true;
    }
    bool ordinal = t->type == TEMA_TOK_WORD && n - k == 2 &&
                   (!memcmp(s + k, "st", 2) || !memcmp(s + k, "nd", 2) ||
                    !memcmp(s + k, "rd", 2) || !memcmp(s + k, "th", 2));
    bool plain = t->type == TEMA_TOK_NUMBER && (k == n || (k == n - 1 && s[k] == '.'));
    if (!ordinal && !plain)
        return false;
    /* the month name: next, or after a '.' ("3.mars"), or before ("March 3") */
    size_t j = i + 1;
    if (j < d->toks.n && d->toks.v[j].type == TEMA_TOK_PUNCT && d->toks.v[j].norm_len == 1 &&
        d->norm.p[d->toks.v[j].norm_off] == '.')
        j++;
    size_t mi = SIZE_MAX;
    if (j < d->toks.n && (cls_of(d, j) & TEMA__LEX_CUE_MONTH))
        mi = j;
    else if (i > 0 && (cls_of(d, i - 1) & TEMA__LEX_CUE_MONTH))
        mi = i - 1;
    if (mi == SIZE_MAX)
        return ordinal; /* "the 17th" alone is a date, "17" alone is not */
    /* Which month: the names of all four languages begin alike ("mars",
     * "marts", "march"; "maj", "mai", "may"; "okt", "oct"; "dec", "des"). */
    static const char *const mon[] = {"jan", "feb", "mar", "apr", "ma",  "jun", "jul",
                                      "aug", "sep", "okt", "nov", "de",  "oct"};
    size_t mn;
    const char *ms = norm_of(d, mi, &mn);
    for (int m = 0; m < 13 && !out->month; m++) {
        size_t l = strlen(mon[m]);
        if (mn >= l && memcmp(ms, mon[m], l) == 0)
            out->month = m < 12 ? m + 1 : 10;
    }
    if (mi > i)
        *used = mi;
    return true;
}

/* Days from date a to date b, months of 30 days; an unknown month is the
 * other's, and a later day of an unknown month may fall in the next. */
static int days_between(cue_date a, cue_date b)
{
    if (!a.month || !b.month) {
        int g = b.day - a.day;
        return g >= 0 ? g : g + 30;
    }
    int g = (b.month - a.month) * 30 + b.day - a.day;
    return g >= 0 ? g : g + 360;
}

/* Is there a negator within YET_REACH tokens of 'i' in its clause? */
static bool negated_near(const tema_doc *d, size_t i)
{
    for (size_t j = i; j-- > 0 && i - j <= YET_REACH;) {
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_NEGATOR)
            return true;
    }
    for (size_t j = i + 1; j < d->toks.n && j - i <= YET_REACH; j++) {
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_NEGATOR)
            return true;
    }
    return false;
}

/* Is there a word of what was not done (cues.txt `untried`, `promise`,
 * `wait`) within 'reach' tokens of 'i' in its clause?  Next to ännu / yet,
 * a verb of trying makes "not ... yet" a remark ("haven't used it yet");
 * anywhere in the clause of a duration, a promise or a wait makes it no
 * report of speed ("skulle ringa tillbaka inom 24 timmar", "telefonkö på
 * 20 minuter"). */
static bool undone_near(const tema_doc *d, size_t i, size_t reach)
{
    for (size_t j = i; j-- > 0 && i - j <= reach;) {
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_CUE_UNDONE)
            return true;
    }
    for (size_t j = i + 1; j < d->toks.n && j - i <= reach; j++) {
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_CUE_UNDONE)
            return true;
    }
    return false;
}

/* Does the clause of token 'i' end with a question mark ("Kan man få svar
 * inom 2 minuter?" asks for speed, it does not report it)? */
static bool in_question(const tema_doc *d, size_t i)
{
    for (size_t j = i + 1; j < d->toks.n; j++)
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            return (d->toks.v[j].flags & TEMA_TOKF_QUESTION) != 0;
    return false;
}

/* The class of token 'j' when it is in the clause that token 'i' (> j)
 * is in, else 0. */
static uint64_t cls_before(const tema_doc *d, size_t j, size_t i)
{
    for (size_t k = j; k < i; k++)
        if (d->toks.v[k].flags & TEMA_TOKF_CLAUSE_END)
            return 0;
    return cls_of(d, j);
}

/* Does a unit of time follow the occasions word at 'i' within two tokens
 * of its clause ("gånger i veckan", "times a week", "ganger i måneden")?
 * The count is then how often something happens, not how often the
 * customer had to try; "tre gånger på två dagar" keeps its unit three
 * tokens away and stays a repeat. */
static bool frequency_after(const tema_doc *d, size_t i)
{
    for (size_t j = i + 1; j < d->toks.n && j <= i + 2; j++) {
        if (d->toks.v[j - 1].flags & TEMA_TOKF_CLAUSE_END)
            return false;
        if (cls_of(d, j) & (TEMA__LEX_CUE_TIME | TEMA__LEX_CUE_SHORT))
            return true;
    }
    return false;
}

/* Is there a word of waiting for a reply or a person (cues.txt `reply`:
 * svar, kö, ventede, get through) in the sentence of token 'i'?  There an
 * hour is long: "Det tog 2 timmar att få svar". */
static bool reply_near(const tema_doc *d, size_t i)
{
    for (size_t j = i; j-- > 0 && !(d->toks.v[j].flags & TEMA_TOKF_SENT_END);)
        if (cls_of(d, j) & TEMA__LEX_CUE_REPLY)
            return true;
    for (size_t j = i + 1; j < d->toks.n; j++) {
        if (cls_of(d, j) & TEMA__LEX_CUE_REPLY)
            return true;
        if (d->toks.v[j].flags & TEMA_TOKF_SENT_END)
            break;
    }
    return false;
}

/* What duration_at() found of the clause and the sentence of a count, kept
 * by find_cue() for the next count in them: each is scanned once however
 * many counts it holds ("2 hours and 2 hours and ..." was quadratic). */
typedef struct cue_scope {
    size_t clause_lo;  /* first token of the clause known ... */
    size_t clause_hi;  /* ... and its clause-end token (or toks.n): no token
                          in [lo, hi) ends a clause; lo == hi for none */
    bool question;     /* that clause ends with a question mark */
    unsigned undone;   /* words of what was not done (undone_near()) in [lo, hi), not
                          counting arrivals (`arrival`) when 'habit' */
    bool habit;        /* a `habit` word in [lo, hi): "It always arrives in 2 days" */
    bool foil;         /* ... that a contrast word after the clause's first count sets
                          against this time: "Usually arrives in 2 days but ..." */
    size_t sent_lo;    /* first token of the sentence known ... */
    size_t sent_hi;    /* ... and its sentence-end token (or toks.n): no token
                          in [lo, hi) ends a sentence; lo == hi for none */
    unsigned reply;    /* reply words in [lo, hi] (reply_near()) */
} cue_scope;

/* in_question(d, i) and undone_near(d, i, SIZE_MAX), the clause scanned
 * once per clause into 'sc'; '*habitual' and '*foil' as cue_scope.habit
 * and .foil (false for a count that ends its clause). */
static void clause_facts(const tema_doc *d, size_t i, cue_scope *sc, bool *question,
                         bool *undone, bool *habitual, bool *foil)
{
    if (d->toks.v[i].flags & TEMA_TOKF_CLAUSE_END) {
        /* the count ends its clause: rare, and no span to keep */
        *question = in_question(d, i);
        *undone = undone_near(d, i, SIZE_MAX);
        *habitual = *foil = false;
        return;
    }
    if (i < sc->clause_lo || i >= sc->clause_hi) {
        size_t lo = i, hi = i + 1;
        while (lo > 0 && !(d->toks.v[lo - 1].flags & TEMA_TOKF_CLAUSE_END))
            lo--;
        while (hi < d->toks.n && !(d->toks.v[hi].flags & TEMA_TOKF_CLAUSE_END))
            hi++;
        sc->clause_lo = lo;
        sc->clause_hi = hi;
        sc->question = hi < d->toks.n && (d->toks.v[hi].flags & TEMA_TOKF_QUESTION);
        unsigned words = 0, arrivals = 0;
        bool habit = false;
        for (size_t j = lo; j < hi; j++) {
            uint64_t c = cls_of(d, j);
            words += (c & TEMA__LEX_CUE_UNDONE) != 0;
            arrivals += (c & TEMA__LEX_CUE_ARRIVAL) != 0;
            habit = habit || (c & TEMA__LEX_CUE_HABIT);
        }
        /* "Usually arrives in 2 days but this time it took ten": a habit
         * that a contrast word after the count, in its sentence, sets
         * against what happened this time is no report of speed */
        bool against = false;
        for (size_t j = i + 1; habit && !against && j < d->toks.n; j++) {
            against = (cls_of(d, j) & TEMA__LEX_CONTRAST) != 0;
            if (d->toks.v[j].flags & TEMA_TOKF_SENT_END)
                break;
        }
        habit = habit && !against;
        sc->foil = against;
        /* "It always arrives in 2 days": what always happens is reported,
         * not expected, so its arrival is no promise */
        sc->undone = habit ? words - arrivals : words;
        sc->habit = habit;
    }
    *question = sc->question;
    *habitual = sc->habit;
    *foil = sc->foil;
    /* undone_near() looks around the count, not at it */
    uint64_t own = cls_of(d, i);
    *undone = sc->undone > ((own & TEMA__LEX_CUE_UNDONE) &&
                            !(sc->habit && (own & TEMA__LEX_CUE_ARRIVAL)));
}

/* reply_near(d, i), the sentence scanned once per sentence into 'sc'. */
static bool reply_in_sentence(const tema_doc *d, size_t i, cue_scope *sc)
{
    if (d->toks.v[i].flags & TEMA_TOKF_SENT_END)
        return reply_near(d, i);
    if (i < sc->sent_lo || i >= sc->sent_hi) {
        size_t lo = i, hi = i + 1;
        while (lo > 0 && !(d->toks.v[lo - 1].flags & TEMA_TOKF_SENT_END))
            lo--;
        while (hi < d->toks.n && !(d->toks.v[hi].flags & TEMA_TOKF_SENT_END))
            hi++;
        sc->sent_lo = lo;
        sc->sent_hi = hi;
        sc->reply = 0;
        for (size_t j = lo; j <= hi && j < d->toks.n; j++)
            sc->reply += (cls_of(d, j) & TEMA__LEX_CUE_REPLY) != 0;
    }
    return sc->reply > ((cls_of(d, i) & TEMA__LEX_CUE_REPLY) != 0);
}

/* Reads token 'i' as the count of a duration whose unit is token i + 1.
 * The words before the count decide: a speed preposition (på, in; inom,
 * within, "inden for", "i løpet av") with bara / only / under between it
 * and the count allowed, or a long marker (först efter, only after, hela,
 * över, "mer än") up to two tokens back.  The boundaries per unit are in
 * docs/sentiment.md, "Speed stated as fact". */
static dur_kind duration_at(const tema_doc *d, size_t i, cue_scope *sc)
{
    if (i + 1 >= d->toks.n)
        return DUR_NONE;
    uint64_t c = cls_of(d, i), u = cls_of(d, i + 1);
    if (!(u & (TEMA__LEX_CUE_TIME | TEMA__LEX_CUE_SHORT)))
        return DUR_NONE;
    bool some = (c & TEMA__LEX_CUE_SOME) != 0;
    if (!is_count(d, i) && !some)
        return DUR_NONE;
    double v = value_of(d, i);
    bool few = (c & (TEMA__LEX_CUE_FEW | TEMA__LEX_CUE_SOME)) || (v >= 0 && v < 3);
    /* p: the first token of "bara 2", "under en", "a few"; x: the word before */
    size_t p = i;
    while (p > 0 && i - p < 3 &&
           (cls_before(d, p - 1, i) & (TEMA__LEX_CUE_ONLY | TEMA__LEX_CUE_SOME)))
        p--;
    uint64_t cx = p > 0 ? cls_before(d, p - 1, i) : 0;
    uint64_t cx1 = p > 1 ? cls_before(d, p - 2, i) : 0;
    /* "hela två timmar", "över 2 timmar", "först efter 2 dagar", "only after" */
    if ((c | cx | cx1) & TEMA__LEX_CUE_LONG)
        return DUR_LAPSE;
    bool only = (cx1 & TEMA__LEX_CUE_ONLY) != 0; /* "redan efter", "already after" */
    bool window = ((cx | cx1) & TEMA__LEX_CUE_WITHIN) != 0;
    bool speed = window || (cx & TEMA__LEX_CUE_SPEED) || (c & TEMA__LEX_CUE_SPEED);
    bool fast = (u & TEMA__LEX_CUE_SHORT) && speed && !negated_near(d, i);
    bool habit = false;
    if (fast) {
        bool question, undone, foil;
        clause_facts(d, i, sc, &question, &undone, &habit, &foil);
        if (foil)
            return DUR_NONE; /* how it usually goes, set against this time */
        fast = !question && !undone;
    }
    if (fast) {
        if (!(u & TEMA__LEX_CUE_DAYS))
            return v <= SPEED_MAX_MINUTES ? DUR_SPEED : window ? DUR_QUIET : DUR_LAPSE;
        /* "inom 3 dagar": how a delivery is promised, unless it is how it
         * always goes ("Den kommer alltid inom två dagar") */
        if (window && !(c & TEMA__LEX_CUE_SPEED) && !habit)
            return DUR_QUIET;
        if (few || (v >= 0 && v <= SPEED_MAX_DAYS))
            return DUR_SPEED;
        return v < 0 || v <= SPEED_QUIET_DAYS ? DUR_QUIET : DUR_LAPSE;
    }
    /* An hour to get an answer or through a queue is long: "Det tog 2
     * timmar att få svar", "ventede en time i telefonkøen"; not "Svar
     * inom 2 timmar" (a window, or speed above), nor with a negator just
     * before the count ("Det tog inte en timme", "inte ens en timme") */
    if ((u & TEMA__LEX_CUE_HOURS) && !window && !((cx | cx1) & TEMA__LEX_NEGATOR) &&
        reply_in_sentence(d, i, sc))
        return DUR_LAPSE;
    if (some)
        return DUR_NONE; /* "en vecka", "a few days": no count to go by */
    /* "redan efter 5 dagar" is no lapse, but no praise either: "batteriet
     * dog redan efter tio minuter" */
    if (only)
        return DUR_QUIET;
    /* "bara 5 minuter", "only 10 minutes": the count is made small */
    if (p < i && (cls_of(d, p) & TEMA__LEX_CUE_ONLY))
        return DUR_QUIET;
    /* "58 minuter", "i sex dagar", "3 uker", unless "inom 2 dagar"; a
     * short unit only from three on ("took two minutes" is praise) */
    if (!(u & TEMA__LEX_CUE_TIME) && few)
        return DUR_NONE;
    return window ? DUR_QUIET : DUR_LAPSE;
}

/* How many tokens after an excess word its dimension may stand: "för
 * lång", "far too slow", and one word between ("för jävla lång", "alt for
 * meget lang"). */
#define EXCESS_REACH 2
/* How far a `than` word may follow its comparative ("högre än", "higher
 * here than"), and a `measure` word stand from the comparative in its
 * sentence ("Priset är högre än", "higher prices than"). */
#define THAN_REACH 3
#define MEASURE_REACH 6

/* The acts (requests.txt) of token 'i' when it is a word, else 0. */
static uint32_t acts_of(const tema_doc *d, size_t i)
{
    const tema__token *t = &d->toks.v[i];
    return t->type == TEMA_TOK_WORD && t->word >= 0 ? d->wc->wordv[t->word].acts : 0;
}

/* Is the excess word at 'i' ("för", "too") followed, in its clause, by an
 * adjective of a dimension that it makes a complaint ("för lång", "alldeles
 * för dyrt", "way too slow")?  Returns that token, or SIZE_MAX.  Not when
 * the word is a preposition: after thanks ("tack för snabb"), after praise
 * ("bra för små barn"), or when a `since` word follows the dimension ("för
 * lång tid sedan"); not when negated ("inte för lång", "not too long": a
 * mild praise or nothing, never a complaint). */
static size_t excess_at(const tema_doc *d, size_t i)
{
    size_t n = d->toks.n;
    if (d->toks.v[i].flags & TEMA_TOKF_CLAUSE_END)
        return SIZE_MAX;  /* "me too", "it was good too" */
    size_t dim = SIZE_MAX;
    for (size_t j = i + 1; j < n && j <= i + EXCESS_REACH; j++) {
        if (d->toks.v[j].type != TEMA_TOK_WORD)
            break;
        if (cls_of(d, j) & TEMA__LEX_CUE_DIM) {
            dim = j;
            break;
        }
        /* only an intensifier may stand between ("för jävla lång"), so
         * "för att få" is no "för få" */
        if ((d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END) || !(cls_of(d, j) & TEMA__LEX_MODIFIER))
            break;
    }
    if (dim == SIZE_MAX)
        return SIZE_MAX;
    if (i > 0 && !(d->toks.v[i - 1].flags & TEMA_TOKF_CLAUSE_END)) {
        const tema__token *p = &d->toks.v[i - 1];
        if ((acts_of(d, i - 1) & TEMA__ACT_THANKS) ||
            (p->type == TEMA_TOK_WORD && p->word >= 0 && d->wc->wordv[p->word].valence > 0))
            return SIZE_MAX;
    }
    /* a dimension directly before a content word of its clause is the
     * adjective of that noun and "för" a preposition ("för små barn",
     * "for store grupper"), unless the noun is a measure ("för lång tid",
     * "för höga priser") or the dimension counts it and it is no money
     * ("för få kassor", "too many steps"; not "for få penge") */
    if (dim + 1 < n && !(d->toks.v[dim].flags & TEMA_TOKF_CLAUSE_END)) {
        const tema__token *t = &d->toks.v[dim + 1];
        uint64_t cn = cls_of(d, dim + 1);
        bool content = t->type == TEMA_TOK_WORD &&
                       !(cn & (TEMA__LEX_STOPWORD | TEMA__LEX_MODIFIER | TEMA__LEX_NEGATOR));
        if (content && !(cn & TEMA__LEX_CUE_MEASURE) &&
            (!(cls_of(d, dim) & TEMA__LEX_CUE_QUANT) || (cn & TEMA__LEX_CUE_MONEY)))
            return SIZE_MAX;
    }
    /* "för lite mer än en vecka sedan": a time ago, anywhere in the clause */
    for (size_t j = dim + 1; j < n; j++) {
        if (d->toks.v[j - 1].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_CUE_SINCE)
            return SIZE_MAX;
    }
    /* a negator or an `if` word earlier in the clause denies it or makes
     * it a condition ("inte för lång", "can't praise them too highly",
     * "Ingen fråga var för svår", "Om kön är för lång ringer de"), and a
     * question asks it ("Is the wait too long?") */
    for (size_t j = i; j-- > 0;) {
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if ((cls_of(d, j) & TEMA__LEX_NEGATOR) || (acts_of(d, j) & TEMA__ACT_IF))
            return SIZE_MAX;
    }
    if (in_question(d, i))
        return SIZE_MAX;
    return dim;
}

/* Is the comparative at 'i' ("högre", "higher") followed by a `than` word
 * within THAN_REACH tokens of its clause, with a `measure` word (pris,
 * väntetid, price) within MEASURE_REACH tokens of it in its sentence, and
 * not negated?  "Priset är högre än hos alla andra" is a complaint,
 * "högre kvalitet än" names no measure, "lägre priser än" no worse one.
 * Returns the `than` token, or SIZE_MAX. */
static size_t compare_at(const tema_doc *d, size_t i)
{
    size_t n = d->toks.n, than = SIZE_MAX;
    for (size_t j = i + 1; j < n && j <= i + THAN_REACH; j++) {
        if (d->toks.v[j - 1].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_CUE_THAN) {
            than = j;
            break;
        }
    }
    if (than == SIZE_MAX || negated_near(d, i))
        return SIZE_MAX;
    /* the measure is what the comparative is said of, before it or between
     * it and `than` ("Priset är högre än", "higher prices than"); what
     * follows `than` is the standard ("högre än priset antyder") */
    bool took = false, span = false;
    for (size_t j = i; j-- > 0 && i - j <= MEASURE_REACH;) {
        if (d->toks.v[j].flags & TEMA_TOKF_SENT_END)
            break;
        uint64_t c = cls_of(d, j);
        took = took || (c & TEMA__LEX_CUE_TOOK);
        if (c & TEMA__LEX_CUE_SPAN)
            span = true;
        else if (c & TEMA__LEX_CUE_MEASURE)
            return than;
    }
    /* "betalar gärna ett högre pris", "fick högre pris när jag sålde" */
    for (size_t j = i; j-- > 0 && !(d->toks.v[j].flags & TEMA_TOKF_SENT_END);)
        if (cls_of(d, j) & TEMA__LEX_CUE_WORTH)
            return SIZE_MAX;
    for (size_t j = i + 1; j < n; j++) {
        if (cls_of(d, j) & TEMA__LEX_CUE_WORTH)
            return SIZE_MAX;
        if (d->toks.v[j].flags & TEMA_TOKF_SENT_END)
            break;
    }
    for (size_t j = i + 1; j < than; j++) {
        uint64_t c = cls_of(d, j);
        if (c & TEMA__LEX_CUE_SPAN)
            span = true;
        else if (c & TEMA__LEX_CUE_MEASURE)
            return than;
    }
    /* "tid", "time" only of what took long: "Det tog längre tid än", not
     * "Batteriet räcker längre tid än det gamla" */
    return span && took ? than : SIZE_MAX;
}

/* Is there a comparative within THAN_REACH tokens before 'i' in its
 * clause?  Then "än" there is "than": "Det tog inte längre tid än en kvart". */
static bool more_before(const tema_doc *d, size_t i)
{
    for (size_t j = i; j-- > 0 && i - j <= THAN_REACH;) {
        if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
            break;
        if (cls_of(d, j) & TEMA__LEX_CUE_MORE)
            return true;
    }
    return false;
}

/* The first complaint cue of the comment: its name (the --explain rule)
 * and the tokens [*a, *b] that show it, or NULL.  '*speed' is set to the
 * count of the first fast duration (cue-speed), or SIZE_MAX. */
static const char *find_cue(const tema_doc *d, size_t *a, size_t *b, size_t *speed)
{
    size_t n = d->toks.n;
    cue_date first = {0, 0};
    size_t first_tok = SIZE_MAX;
    cue_scope scope = {0};
    *speed = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const tema__token *t = &d->toks.v[i];
        uint64_t c = cls_of(d, i);
        double v = value_of(d, i);
        *a = *b = i;
        /* "??", "?!": a question that is not asked to be answered */
        if (t->type == TEMA_TOK_PUNCT && (t->flags & TEMA_TOKF_QUESTION) && t->count >= 2)
            return "cue-question";
        /* "Seriously?" as a sentence of its own */
        if ((c & TEMA__LEX_CUE_REALLY) && i + 1 < n && (d->toks.v[i + 1].flags & TEMA_TOKF_QUESTION) &&
            (i == 0 || (d->toks.v[i - 1].flags & TEMA_TOKF_SENT_END)))
            return "cue-question";
        if (c & TEMA__LEX_CUE_STILL)
            return "cue-still";
        /* "för lång", "alt for dyrt", "far too slow" */
        if ((c & TEMA__LEX_CUE_EXCESS) && (*b = excess_at(d, i)) != SIZE_MAX)
            return "cue-excess";
        /* "Priset är högre än hos alla andra" */
        if ((c & TEMA__LEX_CUE_MORE) && (*b = compare_at(d, i)) != SIZE_MAX)
            return "cue-compare";
        *b = i;
        /* not "än" after a comparative: "inte högre än" compares */
        if ((c & TEMA__LEX_CUE_YET) && negated_near(d, i) && !undone_near(d, i, YET_REACH) &&
            !more_before(d, i))
            return "cue-still";
        if (i + 1 < n) {
            uint64_t c1 = cls_of(d, i + 1);
            dur_kind k = duration_at(d, i, &scope);
            if (k == DUR_LAPSE) {
                *b = i + 1;
                return "cue-duration";
            }
            if (k == DUR_SPEED && *speed == SIZE_MAX)
                *speed = i;
            /* "tre gånger", "3 times", "tredje gången", "for the third time";
             * not a frequency ("tre gånger i veckan", "twice a month") */
            if ((c1 & TEMA__LEX_CUE_TIMES) && (is_count(d, i) || (c & TEMA__LEX_CUE_ORDINAL)) &&
                !frequency_after(d, i + 1)) {
                if (v < 0 || v >= 2) {
                    *b = i + 1;
                    return "cue-repeat";
                }
            }
        }
        /* "3 separate calls", "tre mejl", "two chasers": contacts counted */
        if (is_count(d, i) && (v < 0 ? !(c & TEMA__LEX_CUE_FEW) : v >= 3 && v < 100)) {
            for (size_t j = i + 1; j < n && j <= i + 2; j++) {
                if (cls_of(d, j) & TEMA__LEX_CUE_CONTACT) {
                    *b = j;
                    return "cue-repeat";
                }
                if (d->toks.v[j].type != TEMA_TOK_WORD)
                    break;
            }
        }
        /* "sedan i juni", "since June", "siden fredag" */
        if (c & TEMA__LEX_CUE_SINCE) {
            for (size_t j = i + 1; j < n && j <= i + 2; j++) {
                if (d->toks.v[j].flags & TEMA_TOKF_CLAUSE_END)
                    break;
                if (cls_of(d, j) & (TEMA__LEX_CUE_MONTH | TEMA__LEX_CUE_DAY)) {
                    *b = j;
                    return "cue-since";
                }
            }
        }
        /* "från 49 till 69 kr", "from £399 to £449": up, not down */
        if ((c & TEMA__LEX_CUE_FROM) && i + 3 < n &&
            (cls_of(d, i + 2) & TEMA__LEX_CUE_TO)) {
            double x = value_of(d, i + 1), y = value_of(d, i + 3);
            if (x >= 0 && y > x) {
                *b = i + 3;
                return "cue-price";
            }
        }
        /* two dates far apart: "3/11 ... 19/11", "the 2nd ... the 19th" */
        cue_date dt;
        size_t used;
        if ((t->type == TEMA_TOK_NUMBER || t->type == TEMA_TOK_WORD) &&
            date_at(d, i, &dt, &used)) {
            if (first_tok == SIZE_MAX) {
                first = dt;
                first_tok = i;
            } else if (days_between(first, dt) >= CUE_MIN_DAYS) {
                *a = first_tok;
                *b = used;
                return "cue-dates";
            }
            i = used;
        }
    }
    return NULL;
}

void tema__cues_apply(tema_doc *d)
{
    if (d->lang <= TEMA_LANG_UND || d->lang >= TEMA_LANG_COUNT || !d->engine->taxonomy ||
        d->label == TEMA_LABEL_POSITIVE || d->sfeat.npos > 0)
        return;
    for (size_t i = 0; i < d->nmentions; i++)
        if (d->mentions[i].implicit)
            return;
    size_t a, b, speed = SIZE_MAX;
    const char *rule = find_cue(d, &a, &b, &speed);
    if (rule) {
        tema__sentiment_explain(d, d->toks.v[a].start, d->toks.v[b].end, rule, (float)CUE_UNIT);
        tema__implicit_rescore(d, CUE_UNIT);
    } else if (speed != SIZE_MAX && d->sfeat.nneg == 0) {
        /* Praise stated as fact, only where the rules found no opinion at
         * all (no positive unit, above, and no negative one): "snabbt men
         * trasigt" is left to its words.  There the learned model's score
         * rests on topic words alone ("svar i chatten" is mostly said in
         * complaints), so the fact replaces it: the rescoring starts from
         * the rules' neutral reading. */
        d->sentiment = d->sfeat.rule_score;
        d->label = TEMA_LABEL_NEUTRAL;
        tema__sentiment_explain(d, d->toks.v[speed].start, d->toks.v[speed + 1].end, "cue-speed",
                                (float)-CUE_UNIT);
        tema__implicit_rescore(d, -CUE_UNIT);
    }
}
