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

/* A date found in the comment: day, and month or 0 when not given. */
typedef struct cue_date {
    int day;   /* 1..31 */
    int month; /* 1..12, 0 unknown */
} cue_date;

static uint32_t cls_of(const tema_doc *d, size_t i)
{
    const tema__token *t = &d->toks.v[i];
    return t->type == TEMA_TOK_WORD && t->word >= 0 ? d->wordv[t->word].cls : 0;
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

/* The first cue of the comment: its name (the --explain rule) and the
 * tokens [*a, *b] that show it, or NULL. */
static const char *find_cue(const tema_doc *d, size_t *a, size_t *b)
{
    size_t n = d->toks.n;
    cue_date first = {0, 0};
    size_t first_tok = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const tema__token *t = &d->toks.v[i];
        uint32_t c = cls_of(d, i);
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
        if ((c & TEMA__LEX_CUE_YET) && negated_near(d, i))
            return "cue-still";
        if (i + 1 < n) {
            uint32_t c1 = cls_of(d, i + 1);
            /* "58 minuter", "i sex dagar", "3 uker", unless "inom 2 dagar";
             * a short unit only from three on ("took two minutes" is praise) */
            bool few = (c & TEMA__LEX_CUE_FEW) || (v >= 0 && v < 3);
            if (((c1 & TEMA__LEX_CUE_TIME) || ((c1 & TEMA__LEX_CUE_SHORT) && !few)) &&
                is_count(d, i) &&
                !(i > 0 && (cls_of(d, i - 1) & TEMA__LEX_CUE_WITHIN)) &&
                !(i > 1 && (cls_of(d, i - 2) & TEMA__LEX_CUE_WITHIN))) {
                *b = i + 1;
                return "cue-duration";
            }
            /* "tre gånger", "3 times", "tredje gången", "for the third time" */
            if ((c1 & TEMA__LEX_CUE_TIMES) && (is_count(d, i) || (c & TEMA__LEX_CUE_ORDINAL))) {
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
    size_t a, b;
    const char *rule = find_cue(d, &a, &b);
    if (!rule)
        return;
    tema__sentiment_explain(d, d->toks.v[a].start, d->toks.v[b].end, rule, (float)CUE_UNIT);
    tema__implicit_rescore(d, CUE_UNIT);
}
