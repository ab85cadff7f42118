/*
 * pii.c: finds personal data in a comment and writes a redacted copy:
 * e-mail addresses, phone numbers, Swedish personnummer, Danish CPR
 * numbers, Norwegian fødselsnummer, payment card numbers, IBANs and names
 * after greetings ("Hälsningar Anna").
 *
 * PCRE2 finds candidates; C decides, with the checksums the numbers carry
 * (Luhn for cards and personnummer, the two mod-11 control digits of a
 * fødselsnummer, mod 97 for IBAN) and calendar checks for the dates inside
 * ID numbers, so order numbers, dates, prices and postcodes stay readable.
 * Eight-digit Danish and Norwegian numbers are phones only when written in
 * the usual groups (20 12 34 56, 912 34 567) or after a word like "tlf".
 * Earlier kinds win where spans would overlap.
 */
#include "pii.h"

#include <stdlib.h>
#include <string.h>

#include "regex.h"

struct tema__pii {
    tema__regex *email;    /* e-mail addresses */
    tema__regex *iban;     /* IBAN candidates */
    tema__regex *digits;   /* runs of digits with single spaces or hyphens */
    tema__regex *name;     /* sign-off + name at the end of a line */
    tema__regex *intro;    /* "jag heter X", "my name is X" */
};

static const char *const tags[TEMA_PII_KIND_COUNT] = {"[EMAIL]", "[PHONE]", "[ID]",      "[CARD]",
                                                      "[IBAN]",  "[NAME]",  "[REDACTED]"};

const char *tema_pii_tag(tema_pii_kind kind)
{
    return kind >= 0 && kind < TEMA_PII_KIND_COUNT ? tags[kind] : "[PII]";
}

static const char RE_EMAIL[] =
    "[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}";
static const char RE_IBAN[] = "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b";
/* A leading + or 00, then 7 to 19 digits with single separators. */
static const char RE_DIGITS[] = "(?<![\\w+\\-/.,:])\\+?\\d(?:[ \\-]?\\d){6,18}(?![\\w\\-/]|[.,:]\\d)";
static const char RE_NAME[] =
    "(?:^|[\\s,.!])(?:med vänliga hälsningar|vänliga hälsningar|vänligen|hälsningar|hälsning|mvh|"
    "med venlig hilsen|venlig hilsen|de bedste hilsner|bedste hilsner|mange hilsner|hilsen|"
    "med vennlig hilsen|vennlig hilsen|beste hilsen|best regards|kind regards|warm regards|"
    "regards|cheers|thanks|thank you|tack|tak|takk)[\\s,.!:;\\-]*"
    "(\\p{Lu}\\p{Ll}+(?:[ \\-]\\p{Lu}\\p{Ll}+)?)[ \\t.!]*(?:\\n|$)";
static const char RE_INTRO[] = "(?:jag heter|mitt namn är|jeg hedder|mit navn er|jeg heter|"
                               "mitt navn er|my name is|i am called)\\s+"
                               "(\\p{Lu}\\p{Ll}+(?:[ \\-]\\p{Lu}\\p{Ll}+)?)";

tema_status tema__pii_new(tema__pii **out, char *err, size_t errcap)
{
    tema__pii *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return TEMA_ERR_NOMEM;
    tema_status st;
    if ((st = tema__regex_compile(RE_EMAIL, sizeof RE_EMAIL - 1, 0, &p->email, err, errcap)) ||
        (st = tema__regex_compile(RE_IBAN, sizeof RE_IBAN - 1, 0, &p->iban, err, errcap)) ||
        (st = tema__regex_compile(RE_DIGITS, sizeof RE_DIGITS - 1, 0, &p->digits, err, errcap)) ||
        (st = tema__regex_compile(RE_NAME, sizeof RE_NAME - 1, TEMA__RE_CASELESS, &p->name, err,
                                  errcap)) ||
        (st = tema__regex_compile(RE_INTRO, sizeof RE_INTRO - 1, TEMA__RE_CASELESS, &p->intro,
                                  err, errcap))) {
        tema__pii_free(p);
        return st;
    }
    *out = p;
    return TEMA_OK;
}

void tema__pii_free(tema__pii *p)
{
    if (!p)
        return;
    tema__regex_free(p->email);
    tema__regex_free(p->iban);
    tema__regex_free(p->digits);
    tema__regex_free(p->name);
    tema__regex_free(p->intro);
    free(p);
}

/* ---- checks ------------------------------------------------------------ */

static bool luhn(const int *d, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++) {
        int v = d[n - 1 - i];
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

static bool valid_date(int yy, int mm, int dd)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    (void)yy;
    return mm >= 1 && mm <= 12 && dd >= 1 && dd <= days[mm - 1];
}

/* Swedish personnummer / samordningsnummer: YYMMDD-NNNC (optionally with
 * the century), Luhn over the ten digits. */
static bool personnummer(const int *d, int n)
{
    if (n == 12) {
        if (!((d[0] == 1 && d[1] == 9) || (d[0] == 2 && d[1] == 0)))
            return false;
        d += 2;
        n = 10;
    }
    if (n != 10)
        return false;
    int yy = d[0] * 10 + d[1], mm = d[2] * 10 + d[3], dd = d[4] * 10 + d[5];
    if (dd > 60)
        dd -= 60; /* samordningsnummer */
    return valid_date(yy, mm, dd) && luhn(d, 10);
}

/* Norwegian fødselsnummer / D-nummer: DDMMYY + three digits + two mod-11
 * control digits. */
static bool fodselsnummer(const int *d, int n)
{
    static const int w1[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
    static const int w2[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    if (n != 11)
        return false;
    int dd = d[0] * 10 + d[1], mm = d[2] * 10 + d[3];
    if (dd > 40)
        dd -= 40; /* D-nummer */
    if (!valid_date(0, mm, dd))
        return false;
    int s = 0;
    for (int i = 0; i < 9; i++)
        s += w1[i] * d[i];
    int k1 = 11 - s % 11;
    if (k1 == 11)
        k1 = 0;
    if (k1 == 10 || k1 != d[9])
        return false;
    s = 0;
    for (int i = 0; i < 10; i++)
        s += w2[i] * d[i];
    int k2 = 11 - s % 11;
    if (k2 == 11)
        k2 = 0;
    return k2 != 10 && k2 == d[10];
}

/* Danish CPR: DDMMYY-SSSS.  Numbers issued before 2007 pass a mod-11
 * check; later ones do not, so without it the hyphenated form or the word
 * "CPR" nearby is required. */
static bool cpr(const int *d, int n, bool hyphen, bool context)
{
    static const int w[10] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
    if (n != 10)
        return false;
    if (!valid_date(0, d[2] * 10 + d[3], d[0] * 10 + d[1]))
        return false;
    int s = 0;
    for (int i = 0; i < 10; i++)
        s += w[i] * d[i];
    return s % 11 == 0 || (hyphen && context);
}

static bool iban_valid(const char *s, size_t len)
{
    char buf[64];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof buf; i++)
        if (s[i] != ' ')
            buf[n++] = s[i];
    if (n < 15 || n > 34)
        return false;
    /* move the first four characters to the end; letters A=10 ... Z=35 */
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = buf[(k + 4) % n];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c >= '0' && c <= '9')
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else if (c >= 'A' && c <= 'Z')
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            return false;
    }
    return rem == 1;
}

/* Is one of 'words' within 'window' bytes before 'pos'? (case-insensitive ASCII) */
static bool context_before(const char *text, size_t pos, size_t window, const char *const *words)
{
    size_t from = pos > window ? pos - window : 0;
    for (const char *const *w = words; *w; w++) {
        size_t wl = strlen(*w);
        for (size_t i = from; i + wl <= pos; i++) {
            size_t k = 0;
            while (k < wl && (text[i + k] | 0x20) == (*w)[k])
                k++;
            if (k == wl)
                return true;
        }
    }
    return false;
}

static const char *const phone_words[] = {"tlf", "tel", "telefon", "mobil", "ring", "nummer",
                                          "nr", "phone", "call", "sms", "number", NULL};
static const char *const cpr_words[] = {"cpr", NULL};

/* Classifies a run of digits; returns the kind, or -1 to leave it. */
static int classify_digits(const char *text, size_t start, size_t end)
{
    int d[24] = {0}, n = 0, groups[24] = {0}, ng = 0, cur = 0;
    bool plus = text[start] == '+', hyphen = false, space = false;
    for (size_t i = start; i < end; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            if (n < 24)
                d[n++] = c - '0';
            cur++;
        } else {
            hyphen |= c == '-';
            space |= c == ' ';
            if (cur && ng < 24)
                groups[ng++] = cur;
            cur = 0;
        }
    }
    if (cur && ng < 24)
        groups[ng++] = cur;
    if (n < 7 || n > 19)
        return -1;
    /* Dates written with hyphens (2026-03-04 is caught by the pattern's
     * look-around; 04-03-2026 here). */
    if (ng == 3 && hyphen && !space &&
        ((groups[0] == 4 && groups[1] == 2 && groups[2] == 2) ||
         (groups[0] == 2 && groups[1] == 2 && groups[2] == 4)))
        return -1;
    if (plus || (n >= 10 && d[0] == 0 && d[1] == 0))
        return n >= 8 && n <= 15 ? TEMA_PII_PHONE : -1;
    if (n >= 13 && n <= 19 && d[0] >= 2 && d[0] <= 6 && luhn(d, n))
        return TEMA_PII_CARD;
    if ((n == 10 || n == 12) && personnummer(d, n))
        return TEMA_PII_ID;
    if (n == 11 && ng <= 2 && fodselsnummer(d, n))
        return TEMA_PII_ID;
    if (n == 10 && ng <= 2 &&
        cpr(d, n, hyphen && groups[0] == 6, context_before(text, start, 24, cpr_words)))
        return TEMA_PII_ID;
    /* Nordic and UK numbers with a trunk 0: 070-123 45 67, 08-123 456 78, 07700 900481 */
    if (d[0] == 0 && d[1] != 0 && n >= 9 && n <= 11)
        return TEMA_PII_PHONE;
    /* Danish and Norwegian eight-digit numbers */
    if (n == 8) {
        bool pairs = ng == 4 && groups[0] == 2 && groups[1] == 2 && groups[2] == 2;
        bool no_style = ng == 3 && groups[0] == 3 && groups[1] == 2 && groups[2] == 3;
        bool halves = ng == 2 && groups[0] == 4 && groups[1] == 4 && space;
        if (pairs || no_style || halves || context_before(text, start, 24, phone_words))
            return TEMA_PII_PHONE;
    }
    return -1;
}

/* ---- spans and output --------------------------------------------------- */

static bool overlaps(const tema_doc *d, size_t s, size_t e)
{
    for (size_t i = 0; i < d->npii; i++)
        if (s < d->pii[i].end && d->pii[i].start < e)
            return true;
    return false;
}

static tema_status add_span(tema_doc *d, size_t s, size_t e, tema_pii_kind kind)
{
    if (overlaps(d, s, e))
        return TEMA_OK;
    if (d->npii == d->cappii) {
        size_t cap = d->cappii ? d->cappii * 2 : 8;
        tema_pii_span *v = realloc(d->pii, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        d->pii = v;
        d->cappii = cap;
    }
    d->pii[d->npii].start = s;
    d->pii[d->npii].end = e;
    d->pii[d->npii].kind = kind;
    d->npii++;
    return TEMA_OK;
}

static int by_start(const void *a, const void *b)
{
    const tema_pii_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Runs 're' over the text, handing each match to 'take'. */
static tema_status scan(tema_doc *d, const tema__regex *re, const char *text, size_t len,
                        size_t from, unsigned group, int kind)
{
    size_t pos = from, ms, me;
    int rc;
    while (pos <= len && (rc = tema__regex_search(re, d->rmatch, text, len, pos, &ms, &me)) != 0) {
        if (rc < 0) {
            /* Nothing from 'pos' on is known to be free of this pattern's
             * data: redact() masks it rather than store it unread. */
            d->pii_limit_hits++;
            if (pos < d->pii_unchecked_from)
                d->pii_unchecked_from = pos;
            break;
        }
        size_t s = ms, e = me;
        if (group && !tema__regex_group(d->rmatch, group, &s, &e)) {
            s = ms;
            e = me;
        }
        int k = kind;
        if (kind == TEMA_PII_IBAN) {
            /* the pattern may run into a following word: try shorter ends */
            while (e > s + 15 && !iban_valid(text + s, e - s))
                do
                    e--;
                while (e > s && text[e - 1] == ' ');
            if (!iban_valid(text + s, e - s))
                k = -1;
        }
        else if (kind == TEMA_PII_PHONE)
            k = classify_digits(text, s, e);
        if (k >= 0 && add_span(d, s, e, (tema_pii_kind)k) != TEMA_OK)
            return TEMA_ERR_NOMEM;
        pos = me > ms ? me : me + 1;
    }
    return TEMA_OK;
}

/* ---- prefilter ---------------------------------------------------------- */

/* Which patterns can match at all, from one pass over the bytes.  Most
 * comments hold no '@', fewer than seven digits and no sign-off word, and
 * running five PCRE2 searches over each of them cost more than analysing
 * it.  Each test is a necessary condition of its pattern together with the
 * C checks after it, so skipping a pattern never changes what is redacted:
 * e-mail needs an '@'; a digit run is redacted only with at least seven
 * ASCII digits (classify_digits); an IBAN must start with two ASCII capitals
 * and two ASCII digits (iban_valid); the name patterns need one of their
 * words, found here by an ASCII part of each, ignoring case. */

/* Does 'part' (lower-case ASCII) start at text[i], ignoring ASCII case? */
static bool part_at(const char *text, size_t len, size_t i, const char *part, size_t n)
{
    if (len - i < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if ((text[i + k] | 0x20) != part[k])
            return false;
    return true;
}

/* ASCII parts of the sign-off words of RE_NAME ("lsning" stands for
 * hälsning and hälsningar, "nligen" for vänligen; "tak" covers takk) and
 * of the phrases of RE_INTRO, by first letter.  Keep them in step with
 * the patterns. */
static unsigned parts_at(const char *text, size_t len, size_t i, unsigned char lower)
{
#define PART(s) part_at(text, len, i, s, sizeof s - 1)
    switch (lower) {
    case 'l': return PART("lsning") ? TEMA__PII_NEED_NAME : 0;
    case 'n':
        return PART("nligen")                                      ? TEMA__PII_NEED_NAME
               : PART("namn") || PART("navn") || PART("name") ? TEMA__PII_NEED_INTRO
                                                                    : 0;
    case 'm': return PART("mvh") ? TEMA__PII_NEED_NAME : 0;
    case 'h':
        return PART("hilsen") || PART("hilsner")    ? TEMA__PII_NEED_NAME
               : PART("heter") || PART("hedder") ? TEMA__PII_NEED_INTRO
                                                   : 0;
    case 'r': return PART("regards") ? TEMA__PII_NEED_NAME : 0;
    case 'c':
        return PART("cheers") ? TEMA__PII_NEED_NAME : PART("called") ? TEMA__PII_NEED_INTRO : 0;
    case 't': return PART("thank") || PART("tack") || PART("tak") ? TEMA__PII_NEED_NAME : 0;
    default: return 0;
    }
#undef PART
}

/* Byte classes for the prefilter's one pass. */
enum { B_DIGIT = 1, B_AT = 2, B_UPPER = 4, B_PART = 8, B_ODD = 16 };

#define IS_PART_LETTER(l)                                                                         \
    ((l) == 'l' || (l) == 'n' || (l) == 'm' || (l) == 'h' || (l) == 'r' || (l) == 'c' || (l) == 't')
#define CLS(c)                                                                                    \
    (unsigned char)(((c) >= '0' && (c) <= '9' ? B_DIGIT : 0) | ((c) == '@' ? B_AT : 0) |          \
                    ((c) >= 'A' && (c) <= 'Z' ? B_UPPER : 0) |                                   \
                    ((c) < 0x80 && IS_PART_LETTER((c) | 0x20) ? B_PART : 0) |                     \
                    ((c) == 0xE2 || (c) == 0xC5 ? B_ODD : 0)) /* 0xE2, 0xC5: see below */
#define CLS4(c) CLS(c), CLS((c) + 1), CLS((c) + 2), CLS((c) + 3)
#define CLS16(c) CLS4(c), CLS4((c) + 4), CLS4((c) + 8), CLS4((c) + 12)
#define CLS64(c) CLS16(c), CLS16((c) + 16), CLS16((c) + 32), CLS16((c) + 48)
static const unsigned char cls[256] = {CLS64(0), CLS64(64), CLS64(128), CLS64(192)};
#undef CLS64
#undef CLS16
#undef CLS4
#undef CLS
#undef IS_PART_LETTER

unsigned tema__pii_needs(const char *text, size_t len, size_t *words_from)
{
    const unsigned words = TEMA__PII_NEED_NAME | TEMA__PII_NEED_INTRO;
    unsigned need = 0;
    size_t digits = 0, first_word = len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i], k = cls[c];
        if (!k)
            continue;
        if (k & B_DIGIT)
            digits++;
        else if (k & B_AT)
            need |= TEMA__PII_NEED_EMAIL;
        else if (k & B_ODD) {
            /* KELVIN SIGN and LONG S match k and s when case is ignored:
             * the ASCII parts cannot see them, so let PCRE2 decide. */
            if ((c == 0xE2 && len - i > 2 && (unsigned char)text[i + 1] == 0x84 &&
                 (unsigned char)text[i + 2] == 0xAA) ||
                (c == 0xC5 && len - i > 1 && (unsigned char)text[i + 1] == 0xBF)) {
                need |= words;
                first_word = 0;
            }
            continue;
        }
        if ((k & B_UPPER) && len - i > 3 && (cls[(unsigned char)text[i + 1]] & B_UPPER) &&
            (cls[(unsigned char)text[i + 2]] & B_DIGIT) &&
            (cls[(unsigned char)text[i + 3]] & B_DIGIT))
            need |= TEMA__PII_NEED_IBAN;
        if ((k & B_PART) && (need & words) != words) {
            unsigned w = parts_at(text, len, i, (unsigned char)(c | 0x20));
            if (w && first_word == len)
                first_word = i;
            need |= w;
        }
    }
    if (digits >= 7)
        need |= TEMA__PII_NEED_DIGITS;
    /* No sign-off or intro phrase starts more than 24 bytes before its
     * ASCII part ("med vänliga hälsningar" is 24 bytes), so the name
     * searches may start there. */
    if (words_from)
        *words_from = first_word == len ? 0 : first_word > 24 ? first_word - 24 : 0;
    return need;
}

/* A search stopped by the PCRE2 limits (a pathological comment) leaves the
 * text after its start unchecked for that pattern.  The stored text must
 * not hold personal data, so that rest becomes one TEMA_PII_UNCHECKED span,
 * taking in the span found before it that reaches into it (spans are
 * sorted and disjoint). */
static tema_status mask_unchecked(tema_doc *d, size_t len)
{
    size_t from = d->pii_unchecked_from, keep = 0;
    while (keep < d->npii && d->pii[keep].end <= from)
        keep++;
    if (keep < d->npii && d->pii[keep].start < from)
        from = d->pii[keep].start;
    d->npii = keep;
    return add_span(d, from, len, TEMA_PII_UNCHECKED);
}

/* Redaction with or without the prefilter (tema__pii_redact_unfiltered()
 * exists so tests and the fuzzer can check that the filter changes nothing). */
static tema_status redact(tema_doc *d, const char *text, size_t len, const char **out,
                          size_t *out_len, bool filtered);

tema_status tema_doc_redact(tema_doc *d, const char *text, size_t len, const char **out,
                            size_t *out_len)
{
    return redact(d, text, len, out, out_len, true);
}

tema_status tema__pii_redact_unfiltered(tema_doc *d, const char *text, size_t len,
                                        const char **out, size_t *out_len)
{
    return redact(d, text, len, out, out_len, false);
}

static tema_status redact(tema_doc *d, const char *text, size_t len, const char **out,
                          size_t *out_len, bool filtered)
{
    if (!d || (!text && len) || !out || !out_len)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    *out_len = 0;
    const tema__pii *p = d->engine->pii;
    if (!p)
        return TEMA_ERR_MISUSE; /* engine created with TEMA_OPT_TEXT_ONLY */
    if (!text)
        text = "";
    if (!d->rmatch && tema__rmatch_new(&d->rmatch) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    d->npii = 0;
    d->pii_limit_hits = 0;
    d->pii_unchecked_from = SIZE_MAX;
    tema_status st = TEMA_OK;
    size_t from = 0;
    unsigned need = filtered ? tema__pii_needs(text, len, &from) : ~0u;
    if (((need & TEMA__PII_NEED_EMAIL) &&
         (st = scan(d, p->email, text, len, 0, 0, TEMA_PII_EMAIL))) ||
        ((need & TEMA__PII_NEED_IBAN) && (st = scan(d, p->iban, text, len, 0, 0, TEMA_PII_IBAN))) ||
        ((need & TEMA__PII_NEED_DIGITS) &&
         (st = scan(d, p->digits, text, len, 0, 0, TEMA_PII_PHONE))) ||
        ((need & TEMA__PII_NEED_NAME) && (st = scan(d, p->name, text, len, from, 1, TEMA_PII_NAME))) ||
        ((need & TEMA__PII_NEED_INTRO) &&
         (st = scan(d, p->intro, text, len, from, 1, TEMA_PII_NAME))))
        return st;
    if (d->npii > 1)
        qsort(d->pii, d->npii, sizeof *d->pii, by_start);
    if (d->pii_unchecked_from < len && (st = mask_unchecked(d, len)) != TEMA_OK)
        return st;
    d->redacted.len = 0;
    size_t at = 0;
    for (size_t i = 0; i < d->npii; i++) {
        const char *tag = tags[d->pii[i].kind];
        if (tema__buf_append(&d->redacted, text + at, d->pii[i].start - at) ||
            tema__buf_append(&d->redacted, tag, strlen(tag)))
            return TEMA_ERR_NOMEM;
        at = d->pii[i].end;
    }
    if (tema__buf_append(&d->redacted, text + at, len - at) || tema__buf_putc(&d->redacted, '\0'))
        return TEMA_ERR_NOMEM;
    *out = d->redacted.p;
    *out_len = d->redacted.len - 1;
    return TEMA_OK;
}

tema_status tema__pii_set_match_limit(tema_doc *d, uint32_t limit)
{
    if (!d->rmatch && tema__rmatch_new(&d->rmatch) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    tema__rmatch_set_match_limit(d->rmatch, limit);
    return TEMA_OK;
}

size_t tema_doc_pii_count(const tema_doc *d)
{
    return d ? d->npii : 0;
}

tema_status tema_doc_pii(const tema_doc *d, size_t i, tema_pii_span *span)
{
    if (!d || !span || i >= d->npii)
        return TEMA_ERR_MISUSE;
    *span = d->pii[i];
    return TEMA_OK;
}

void tema__pii_doc_free(tema_doc *d)
{
    tema__rmatch_free(d->rmatch);
    free(d->pii);
    tema__buf_free(&d->redacted);
}
