/*
 * tokenize.c: the tokenizer.  One left-to-right pass over the original
 * bytes; at each position the first matching rule wins, in this order:
 * space, URL, e-mail, keycap emoji, @mention, #hashtag, emoticon, number or
 * amount, currency-first amount, abbreviation, bare domain, word, emoji
 * grapheme, punctuation run, symbol (docs/tokens.md has the exact rules).  ASCII is classified by table;
 * other code points by their Unicode category and grapheme-break class
 * from utf8proc.  Invalid UTF-8 decodes to U+FFFD, which counts as a letter
 * so that a mis-encoded "f\xF6rsenad" stays one word.
 *
 * Elongation rule (documented in docs/tokens.md): in a word, a run of three
 * or more identical letters is cut to two in the normalised form
 * ("sooooo" -> "soo", "jätteeee" -> "jättee") and to one in the alternative
 * form ("so", "jätte"); U+FFFD never counts.  Words are looked up by the two-letter form first
 * and by the alternative when that is unknown, since both kinds of word
 * exist ("cool", "snabb" vs "so", "bra").
 */
#include "tokenize.h"

#include <pthread.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "utf8.h"

/* Character classes for the tokenizer. */
enum cclass {
    C_OTHER = 0,  /* symbol */
    C_SPACE,
    C_NEWLINE,
    C_LETTER,
    C_MARK,       /* combining mark: continues a word */
    C_DIGIT,
    C_SENT,       /* . ! ? … */
    C_CLAUSE,     /* , ; : */
    C_DASH,       /* - – — */
    C_BRACKET,    /* ( ) [ ] { } */
    C_QUOTE,      /* " ' « » “ ” ‘ ’ „ */
    C_PUNCT,      /* other punctuation: / * & § ... */
    C_EMOJI,      /* Extended_Pictographic or regional indicator */
    C_FORMAT      /* ZWJ, variation selectors, BOM, soft hyphen: never start a token */
};

static void index_emoticons(void);
static unsigned char ascii_class[128];
static bool emoticon_start[128];  /* first characters of the emoticons below */
static unsigned char ascii_word_fold[256]; /* ASCII letters and digits, lower-cased; else 0 */
/* Folded form of U+00C0..U+00FF (input C3 80..C3 BF): length, then up to two
 * bytes; a copy of tema__fast_fold() so fast_word() needs no call per letter. */
static unsigned char latin1_fold[64][3];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;
/* Set (release) once the tables are built, so each comment pays one load
 * instead of a pthread_once() call. */
static int ascii_ready;

static void init_ascii(void)
{
    for (int c = 0; c < 128; c++) {
        unsigned char k = C_OTHER;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            k = C_SPACE;
        else if (c == '\n')
            k = C_NEWLINE;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            k = C_LETTER;
        else if (c >= '0' && c <= '9')
            k = C_DIGIT;
        else if (c == '.' || c == '!' || c == '?')
            k = C_SENT;
        else if (c == ',' || c == ';' || c == ':')
            k = C_CLAUSE;
        else if (c == '-')
            k = C_DASH;
        else if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}')
            k = C_BRACKET;
        else if (c == '"' || c == '\'' || c == '`')
            k = C_QUOTE;
        else if (c == '/' || c == '*' || c == '\\' || c == '_' || c == '@' || c == '#')
            k = C_PUNCT;
        else if (c < 32 || c == 127)
            k = C_SPACE;  /* control characters separate tokens */
        ascii_class[c] = k;
    }
    for (int c = 0; c < 128; c++)
        if (ascii_class[c] == C_LETTER || ascii_class[c] == C_DIGIT)
            ascii_word_fold[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    for (int k = 0; k < 64; k++) {
        size_t fl;
        const char *f = tema__fast_fold(0xC0 + k, &fl);
        if (fl <= 2) {
            latin1_fold[k][0] = (unsigned char)fl;
            memcpy(latin1_fold[k] + 1, f, fl);
        }
    }
    index_emoticons();
    for (const char *e = ":;=<>^-oOT8BxX"; *e; e++)
        emoticon_start[(unsigned char)*e] = true;
    __atomic_store_n(&ascii_ready, 1, __ATOMIC_RELEASE);
}

static enum cclass uclass(int32_t cp)
{
    if (cp < 128)
        return (enum cclass)ascii_class[cp];
    if (cp == TEMA__REPLACEMENT)
        return C_LETTER;
    if (cp == 0x2026)
        return C_SENT;
    if (cp == 0x201E || cp == 0x201A)
        return C_QUOTE;  /* „ and ‚ open quotes (Ps in Unicode, but not brackets) */
    if (cp == 0x2013 || cp == 0x2014 || cp == 0x2010 || cp == 0x2011 || cp == 0x2212)
        return C_DASH;
    if (cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0x00AD ||
        cp == 0x200B || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F) ||
        (cp >= 0x1F3FB && cp <= 0x1F3FF))
        return C_FORMAT;
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    if (pr->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
        pr->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR) {
        /* ©, ®, ‼ and friends are pictographic but read as text unless a
         * variation selector asks for emoji; handled by the caller. */
        return C_EMOJI;
    }
    switch (pr->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
        return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return C_NEWLINE;
    case UTF8PROC_CATEGORY_CC:
        return C_SPACE;
    case UTF8PROC_CATEGORY_CF:
        return C_FORMAT;
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
        return C_BRACKET;
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
        return C_QUOTE;
    case UTF8PROC_CATEGORY_PD:
        return C_DASH;
    case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_PC:
        return C_PUNCT;
    default:
        return C_OTHER;
    }
}

static bool is_upper(int32_t cp)
{
    if (cp < 128)
        return cp >= 'A' && cp <= 'Z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

static bool is_lower(int32_t cp)
{
    if (cp < 128)
        return cp >= 'a' && cp <= 'z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Cursor over the input. */
typedef struct scan {
    const unsigned char *p;  /* input */
    size_t len;              /* input length */
    size_t repairs;          /* invalid sequences seen (counted once per position) */
    size_t repaired_upto;    /* positions below this were already counted */
} scan;

static int32_t peek(scan *s, size_t i, size_t *adv)
{
    if (i >= s->len) {
        *adv = 0;
        return -1;
    }
    if (s->p[i] < 0x80) {
        *adv = 1;
        return s->p[i];
    }
    int bad;
    int32_t cp = tema__utf8_decode(s->p + i, s->len - i, adv, &bad);
    if (bad && i >= s->repaired_upto) {
        s->repairs++;
        s->repaired_upto = i + *adv;
    }
    return cp;
}

static enum cclass class_at(scan *s, size_t i)
{
    size_t adv;
    int32_t cp = peek(s, i, &adv);
    return cp < 0 ? C_SPACE : uclass(cp);
}

/* (the table is filled by init_ascii(), which every caller runs after) */
static bool ascii_alnum(int c)
{
    return (unsigned)c < 128 && ascii_word_fold[c];
}

static int lower_ascii(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool starts_with_ci(const scan *s, size_t i, const char *lit)
{
    if (i >= s->len || lower_ascii(s->p[i]) != (unsigned char)lit[0])
        return false;
    size_t n = strlen(lit);
    if (i + n > s->len)
        return false;
    for (size_t k = 0; k < n; k++)
        if (lower_ascii(s->p[i + k]) != (unsigned char)lit[k])
            return false;
    return true;
}

/* Is the code point before 'i' a letter or digit (so 'i' is inside a word)? */
static bool word_before(scan *s, size_t i)
{
    if (i == 0)
        return false;
    size_t j = i - 1;
    while (j > 0 && (s->p[j] & 0xC0) == 0x80)
        j--;
    enum cclass c = class_at(s, j);
    return c == C_LETTER || c == C_DIGIT || c == C_MARK;
}

static bool alnum_at(scan *s, size_t i)
{
    enum cclass c = class_at(s, i);
    return c == C_LETTER || c == C_DIGIT || c == C_MARK;
}

/* ---- URLs, e-mail, mentions, hashtags ---------------------------------- */

/* The end of a URL that starts at 'i' and is known to run at least to 'j'. */
static size_t url_end(scan *s, size_t i, size_t j)
{
    size_t adv;
    int parens = 0;
    while (j < s->len) {
        int32_t cp = peek(s, j, &adv);
        enum cclass c = uclass(cp);
        if (c == C_SPACE || c == C_NEWLINE || cp == '<' || cp == '>' || cp == '"' ||
            (c == C_QUOTE && cp != '\''))
            break;
        if (cp == '(')
            parens++;
        else if (cp == ')' && --parens < 0)
            break;
        j += adv;
    }
    /* Sentence punctuation right after a URL belongs to the sentence. */
    while (j > i && s->p[j - 1] && strchr(".,;:!?'", s->p[j - 1]))
        j--;
    return j;
}

static size_t match_url(scan *s, size_t i)
{
    if (!(starts_with_ci(s, i, "http://") || starts_with_ci(s, i, "https://") ||
          (starts_with_ci(s, i, "www.") && i + 4 < s->len && ascii_alnum(s->p[i + 4]))))
        return 0;
    return url_end(s, i, i) - i;
}

/* A bare domain such as "zalando.se" or "elgiganten.dk/kundeservice":
 * ASCII labels joined by '.', ending in a known lower-case top-level domain.
 * The list is short on purpose: "nu", "is" and "de" are words in Swedish,
 * English and Danish, and "bra.Nu" is a missing space, not a site. */
static size_t match_domain(scan *s, size_t i)
{
    static const char *const tlds[] = {"se", "dk", "no", "fi", "eu", "com", "net", "org", "io",
                                       NULL};
    if (i > 0 && (s->p[i - 1] == '@' || word_before(s, i)))
        return 0;
    size_t j = i, label = i, labels = 0;
    for (;;) {
        while (j < s->len && (ascii_alnum(s->p[j]) || s->p[j] == '-'))
            j++;
        if (j == label)
            return 0;
        if (j < s->len && s->p[j] == '.' && j + 1 < s->len && ascii_alnum(s->p[j + 1])) {
            labels++;
            label = ++j;
            continue;
        }
        break;
    }
    if (labels == 0 || (j < s->len && (alnum_at(s, j) || s->p[j] == '@')))
        return 0;
    bool known = false;
    for (const char *const *t = tlds; *t && !known; t++)
        known = strlen(*t) == j - label && memcmp(s->p + label, *t, j - label) == 0;
    if (!known)
        return 0;
    if (j < s->len && s->p[j] == '/')
        j = url_end(s, i, j);
    return j - i;
}

static bool email_local(int c)
{
    return ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static size_t match_email(scan *s, size_t i)
{
    size_t j = i;
    while (j < s->len && email_local(s->p[j]))
        j++;
    if (j == i || j >= s->len || s->p[j] != '@' || s->p[i] == '.')
        return 0;
    size_t k = j + 1, labels = 0, label_len = 0, last_dot = 0;
    while (k < s->len) {
        int c = s->p[k];
        if (ascii_alnum(c) || c == '-' || c >= 0x80) {
            if (c >= 0x80) {
                /* internationalised domains: any letter */
                if (class_at(s, k) != C_LETTER)
                    break;
                size_t adv;
                peek(s, k, &adv);
                k += adv;
            } else {
                k++;
            }
            label_len++;
        } else if (c == '.' && label_len > 0 && k + 1 < s->len && ascii_alnum(s->p[k + 1])) {
            labels++;
            label_len = 0;
            last_dot = k;
            k++;
        } else {
            break;
        }
    }
    if (labels == 0 || label_len < 2 || last_dot == 0)
        return 0;
    return k - i;
}

/* @name and #name: letters, digits, '_' (and '.' inside mentions). */
static size_t match_tag(scan *s, size_t i, bool mention)
{
    if (word_before(s, i))
        return 0;
    size_t j = i + 1, adv;
    bool letter = false;
    while (j < s->len) {
        int32_t cp = peek(s, j, &adv);
        enum cclass c = uclass(cp);
        if (c == C_LETTER || c == C_MARK)
            letter = true;
        else if (!(c == C_DIGIT || cp == '_' ||
                   (mention && cp == '.' && j + 1 < s->len && ascii_alnum(s->p[j + 1]))))
            break;
        j += adv;
    }
    if (j == i + 1 || (!mention && !letter))
        return 0;
    return j - i;
}

/* ---- emoticons --------------------------------------------------------- */

/* Longest first within a shared prefix, so ":-)" wins over ":-". */
static const char *const emoticons[] = {
    ":'-(", ":'-)", ">:-(", ">:(", ":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-\\", ":-|",
    ":-*", ":-O", ":-o", ":-S", ":-s", ":-]", ":-[", ";-)", ";-(", ";-D", ";-P", ";-p", "=-)",
    "=-(", ":'(", ":')", "</3", "^_^", "^.^", "-_-", "o_O", "O_o", "o_o", "O_O", "T_T",
    "8-)", "B-)", ":)", ":(", ":D", ":P", ":p", ":/", ":\\", ":|", ":*", ":O", ":o", ":S",
    ":s", ":]", ":[", ":$", ";)", ";(", ";D", ";P", ";p", "=)", "=(", "=D", "=]", "=[", "=/",
    "<3", "xD", "XD", "xP", "XP", "^^", NULL};

/* For each first character, the 1-based indexes of the emoticons starting
 * with it, in table order, 0-terminated. */
static unsigned char emoticons_by_first[128][48];

static void index_emoticons(void)
{
    unsigned char fill[128] = {0};
    for (size_t k = 0; emoticons[k]; k++) {
        unsigned char c = (unsigned char)emoticons[k][0];
        if (c < 128 && fill[c] < 47)
            emoticons_by_first[c][fill[c]++] = (unsigned char)(k + 1);
    }
}

static size_t match_emoticon(scan *s, size_t i)
{
    int c0 = s->p[i];
    if (!emoticon_start[c0 & 0x7F])
        return 0;
    for (const unsigned char *x = emoticons_by_first[c0]; *x; x++) {
        const char *const *e = &emoticons[*x - 1];
        if (i + 1 >= s->len || (*e)[1] != (char)s->p[i + 1])
            continue;
        size_t n = strlen(*e);
        if (i + n > s->len || memcmp(s->p + i, *e, n) != 0)
            continue;
        bool alpha_start = ascii_alnum(c0) || c0 == '^' || c0 == '-';
        if (alpha_start && word_before(s, i))
            continue;
        size_t j = i + n;
        /* ":-)))" and ":DDD" are one emoticon. */
        char last = (*e)[n - 1];
        if (last == ')' || last == '(' || last == 'D' || last == '3')
            while (j < s->len && s->p[j] == (unsigned char)last)
                j++;
        if (j < s->len && alnum_at(s, j))
            continue;
        /* "-_-" must not swallow a dash between words: require space before. */
        return j - i;
    }
    return 0;
}

/* ---- numbers and amounts ---------------------------------------------- */

static bool digit_at(const scan *s, size_t i)
{
    return i < s->len && s->p[i] >= '0' && s->p[i] <= '9';
}

static size_t digits_from(const scan *s, size_t i)
{
    size_t j = i;
    while (digit_at(s, j))
        j++;
    return j - i;
}

/* A space inside "1 299": ASCII space, NBSP or narrow NBSP.  Returns its
 * byte length, or 0. */
static size_t group_space(const scan *s, size_t i)
{
    if (i < s->len && s->p[i] == ' ')
        return 1;
    if (i + 1 < s->len && s->p[i] == 0xC2 && s->p[i + 1] == 0xA0)
        return 2;
    if (i + 2 < s->len && s->p[i] == 0xE2 && s->p[i + 1] == 0x80 && s->p[i + 2] == 0xAF)
        return 3;
    return 0;
}

/* Currency written after a number: returns bytes consumed from 'i'
 * (including one optional space), or 0. */
static size_t currency_after(scan *s, size_t i)
{
    static const char *const words[] = {"kronor", "kroner", "krona", "krone", "kr.", "kr",
                                        "sek", "dkk", "nok", "eur", "euro", "euros", "usd",
                                        "gbp", "€", "$", "£", NULL};
    if (i + 1 < s->len && s->p[i] == ':' && s->p[i + 1] == '-')
        return 2;  /* 299:- */
    if (i + 1 < s->len && s->p[i] == ',' && s->p[i + 1] == '-')
        return 2;  /* 299,- */
    size_t sp = group_space(s, i);
    size_t k = i + sp;
    if (k >= s->len)
        return 0;
    unsigned char first = (unsigned char)(s->p[k] | 0x20);
    if (!(first == 'k' || first == 's' || first == 'd' || first == 'n' || first == 'e' ||
          first == 'u' || first == 'g' || s->p[k] == '$' || s->p[k] >= 0x80))
        return 0; /* no currency starts with anything else */
    int c0 = lower_ascii(s->p[k]);
    for (const char *const *w = words; *w; w++) {
        if ((unsigned char)(*w)[0] != c0)
            continue;  /* most entries differ in the first byte: skip them cheaply */
        size_t n = strlen(*w);
        if (!starts_with_ci(s, k, *w))
            continue;
        size_t end = k + n;
        if ((*w)[n - 1] != '.' && end < s->len && alnum_at(s, end))
            continue;
        /* "kr." at the end of a sentence: keep the full stop as punctuation
         * unless more of the sentence follows. */
        if ((*w)[n - 1] == '.' && (end >= s->len || s->p[end] == ' ' || s->p[end] == '\n') &&
            (end >= s->len || end + 1 >= s->len || is_upper(s->p[end + 1])))
            end--;
        if (end < s->len && s->p[end] == ',' && end + 1 < s->len && s->p[end + 1] == '-')
            end += 2;  /* kr 299,- */
        return end - i;
    }
    return 0;
}

/* Scans a number starting at 'i'.  Sets '*is_word' when digits run into
 * letters ("4G", "10min"). */
static size_t match_number(scan *s, size_t i, bool *is_word)
{
    size_t j = i + digits_from(s, i);
    size_t group = j - i;
    bool decimal = false;
    *is_word = false;
    for (;;) {
        size_t sp;
        unsigned char sep = j < s->len ? s->p[j] : 0;
        if ((sep == '.' || sep == ',' || sep == ':' || sep == '/') && digit_at(s, j + 1)) {
            if (s->p[j] == ',' || s->p[j] == '.')
                decimal = true;
            j++;
            group = digits_from(s, j);
            j += group;
        } else if (j + 1 < s->len && s->p[j] == '-' && digit_at(s, j + 1)) {
            j++;
            group = digits_from(s, j);
            j += group;
        } else if (j + 3 < s->len && s->p[j] == 0xE2 && s->p[j + 1] == 0x80 &&
                   s->p[j + 2] == 0x93 && digit_at(s, j + 3)) {
            j += 3;  /* en dash range: 2–3 */
            group = digits_from(s, j);
            j += group;
        } else if (!decimal && group >= 1 && group <= 3 && (sp = group_space(s, j)) &&
                   digits_from(s, j + sp) == 3) {
            j += sp + 3;
            group = 3;
        } else if (j + 2 <= s->len && s->p[j] == ':' && j + 1 < s->len &&
                   (s->p[j + 1] == 'a' || s->p[j + 1] == 'e') &&
                   (j + 2 >= s->len || !alnum_at(s, j + 2))) {
            j += 2;  /* Swedish ordinals 1:a, 3:e */
            break;
        } else {
            break;
        }
    }
    bool joined = j - i != group;
    if (!joined && group <= 2 && j + 2 < s->len && s->p[j] == '.' && s->p[j + 1] == ' ') {
        /* Danish and Norwegian ordinals: "1. maj", "for 3. gang" */
        size_t adv;
        int32_t next = peek(s, j + 2, &adv);
        if (is_lower(next))
            return j + 1 - i;
    }
    /* Bare digits running into letters make a word (4G, 10min); a number with
     * separators keeps its unit apart (2,5kg, 10:30am). */
    if (!joined && j < s->len && class_at(s, j) == C_LETTER && !currency_after(s, j))
        *is_word = true;
    return j - i;
}

/* A currency written before a number: "kr 299,-", "kr. 50", "SEK 500".
 * Returns the length of the amount, or 0.  Three-letter codes count only in
 * upper case: "nok 3" is Norwegian for "probably 3". */
static size_t currency_before(scan *s, size_t i)
{
    static const char *const codes[] = {"SEK", "DKK", "NOK", "EUR", "USD", "GBP", NULL};
    size_t k = 0;
    if (starts_with_ci(s, i, "kr"))
        k = i + 2 + (i + 2 < s->len && s->p[i + 2] == '.');
    for (const char *const *c = codes; *c && !k; c++)
        if (i + 3 <= s->len && memcmp(s->p + i, *c, 3) == 0)
            k = i + 3;
    if (!k)
        return 0;
    size_t sp = group_space(s, k);
    if (!sp || !digit_at(s, k + sp))
        return 0;
    bool is_word;
    size_t n = match_number(s, k + sp, &is_word);
    if (is_word)
        return 0;
    size_t j = k + sp + n;
    if (j + 1 < s->len && (s->p[j] == ':' || s->p[j] == ',') && s->p[j + 1] == '-')
        j += 2;
    return j - i;
}

/* ---- words ------------------------------------------------------------- */

/* Does s[i, i+n) equal the lower-case ASCII 'lit', ignoring case? */
static bool equals_ci(const scan *s, size_t i, size_t n, const char *lit)
{
    return strlen(lit) == n && starts_with_ci(s, i, lit);
}

/* Abbreviations written with full stops keep them, so the stops end no
 * sentence (rules in docs/tokens.md):
 *  - two or more segments of one to three letters, each followed by '.'
 *    ("t.ex.", "bl.a.", "e.g.", "o.s.v."); a later segment with a capital
 *    must be one letter ("E.G.", but not the run-on "Bra.Nu.");
 *  - a few common ones without the final stop ("t.ex", "bl.a");
 *  - a listed single word and one stop, when a digit or lower-case letter
 *    follows ("ca. 3 dagar", "kl. 10"). */
static size_t match_abbrev(scan *s, size_t i)
{
    static const char *const dotless[] = {"t.ex", "bl.a", "e.g",  "i.e", "f.eks",
                                          "p.g.a", "d.v.s", "o.s.v", "m.m", NULL};
    static const char *const single[] = {"ca",  "kl",  "nr",  "st",  "inkl", "exkl", "tel",
                                         "evt", "resp", "jf", "jfr", "vs",   "osv",  "etc",
                                         "mfl", "mht", "pga", "dvs", "bla",  "tex",  NULL};
    size_t j = i, k = i, segments = 0, last = 0;
    bool later_upper = false, long_segment = false;
    for (;;) {
        size_t letters = 0, adv;
        k = j;
        while (k < s->len && letters < 4) {
            int32_t cp = peek(s, k, &adv);
            if (uclass(cp) != C_LETTER)
                break;
            if (segments && is_upper(cp))
                later_upper = true;
            k += adv;
            letters++;
        }
        last = letters;
        if (letters == 0 || letters > 3 || k >= s->len || s->p[k] != '.')
            break;
        long_segment |= letters > 1;
        j = k + 1;
        segments++;
    }
    if (segments >= 1 && last >= 1 && last <= 3 &&
        (k >= s->len || (!alnum_at(s, k) && s->p[k] != '.')))
        for (const char *const *d = dotless; *d; d++)
            if (equals_ci(s, i, k - i, *d))
                return k - i;
    if (segments >= 2 && !(j < s->len && alnum_at(s, j)) && !(later_upper && long_segment))
        return j - i;
    /* one listed word and a stop */
    size_t e = i;
    while (e < s->len && e - i < 5 && ((s->p[e] | 0x20) >= 'a' && (s->p[e] | 0x20) <= 'z'))
        e++;
    if (e == i || e >= s->len || s->p[e] != '.')
        return 0;
    size_t after = e + 1 + (e + 1 < s->len && s->p[e + 1] == ' ');
    size_t adv;
    int32_t next = peek(s, after, &adv);
    if (!(digit_at(s, after) || (next >= 0 && is_lower(next))))
        return 0;
    for (const char *const *w = single; *w; w++)
        if (equals_ci(s, i, e - i, *w))
            return e + 1 - i;
    return 0;
}

/* Swedish writes inflections of abbreviations and loan words after a colon
 * ("SJ:s", "tv:n", "sms:et").  Returns the bytes of ":ending" at 'j' when
 * one of these endings follows and no letter or digit comes after it; this
 * keeps "SJ:s" from reading as the emoticon ":s". */
static size_t colon_ending(scan *s, size_t j)
{
    static const char *const endings[] = {"arna", "erna", "ens", "ets", "en", "et", "ar",
                                          "er",   "na",   "s",   "n",   "t",  NULL};
    for (const char *const *e = endings; *e; e++) {
        size_t n = strlen(*e);
        if (j + 1 + n <= s->len && memcmp(s->p + j + 1, *e, n) == 0 &&
            (j + 1 + n == s->len || !alnum_at(s, j + 1 + n)))
            return 1 + n;
    }
    return 0;
}

typedef struct word_info {
    size_t letters;  /* letters seen */
    size_t upper;    /* upper-case letters */
    size_t lower;    /* lower-case letters */
    bool first_upper; /* the first character is an upper-case letter */
    bool repaired;    /* contains U+FFFD */
} word_info;

static size_t match_word(scan *s, size_t i, word_info *wi)
{
    size_t j = i, adv, n;
    memset(wi, 0, sizeof *wi);
    while (j < s->len) {
        int32_t cp = peek(s, j, &adv);
        enum cclass c = uclass(cp);
        if (c == C_LETTER) {
            if (cp == TEMA__REPLACEMENT)
                wi->repaired = true;
            if (is_upper(cp)) {
                wi->upper++;
                if (j == i)
                    wi->first_upper = true;
            } else if (is_lower(cp)) {
                wi->lower++;
            }
            wi->letters++;
        } else if (c == C_MARK || c == C_DIGIT) {
            /* part of the word */
        } else if (cp == 0x00AD) {
            /* soft hyphen inside a word */
        } else if (cp == ':' && wi->letters > 0 && (n = colon_ending(s, j)) > 0) {
            j += n;
            break;
        } else if ((cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0x2010 || cp == 0x2011) &&
                   j > i) {
            /* internal apostrophe or hyphen: needs a letter or digit on both sides */
            size_t adv2;
            int32_t next = peek(s, j + adv, &adv2);
            enum cclass nc = next < 0 ? C_SPACE : uclass(next);
            bool apostrophe = cp == '\'' || cp == 0x2019;
            if (!(nc == C_LETTER || (!apostrophe && nc == C_DIGIT)))
                break;
        } else {
            break;
        }
        j += adv;
    }
    return j - i;
}

/* Cuts runs of 3+ identical letters in the normalised word at 'off' to two,
 * and appends the one-letter variant.  Returns true when anything changed. */
static tema_status elongation(tema__buf *norm, tema__token *t, bool *changed)
{
    const unsigned char *p = (const unsigned char *)norm->p + t->norm_off;
    size_t n = t->norm_len, i = 0, adv;
    int bad;
    bool any = false;
    /* First pass: is there a run of three? */
    int32_t prev = -1;
    size_t run = 0;
    while (i < n) {
        int32_t cp = tema__utf8_decode(p + i, n - i, &adv, &bad);
        run = cp == prev ? run + 1 : 1;
        if (run >= 3 && cp != TEMA__REPLACEMENT && uclass(cp) == C_LETTER) {
            any = true;
            break;
        }
        prev = cp;
        i += adv;
    }
    *changed = any;
    if (!any)
        return TEMA_OK;
    /* Alternative form (runs of 3+ kept once) appended at the end; the two-letter
     * form is then written over the original in place (it is never longer). */
    if (tema__buf_reserve(norm, n) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    p = (const unsigned char *)norm->p + t->norm_off;
    size_t alt_off = norm->len;
    char *w2 = norm->p + t->norm_off;
    size_t o2 = 0;
    i = 0;
    while (i < n) {
        int32_t cp = tema__utf8_decode(p + i, n - i, &adv, &bad);
        size_t k = i + adv, count = 1;
        while (k + adv <= n && memcmp(p + k, p + i, adv) == 0) {
            k += adv;
            count++;
        }
        bool stretched = count >= 3 && cp != TEMA__REPLACEMENT && uclass(cp) == C_LETTER;
        size_t keep_alt = stretched ? 1 : count, keep_norm = stretched ? 2 : count;
        for (size_t r = 0; r < keep_alt; r++) {
            memcpy(norm->p + norm->len, p + i, adv);
            norm->len += adv;
        }
        for (size_t r = 0; r < keep_norm; r++) {
            memmove(w2 + o2, p + i, adv);
            o2 += adv;
        }
        i = k;
    }
    t->alt_off = (uint32_t)alt_off;
    t->alt_len = (uint32_t)(norm->len - alt_off);
    t->norm_len = (uint32_t)o2;
    return TEMA_OK;
}

/* ---- emoji ------------------------------------------------------------- */

static size_t match_emoji(scan *s, size_t i)
{
    size_t adv;
    int32_t first = peek(s, i, &adv);
    size_t j = i + adv;
    utf8proc_int32_t state = 0;
    int32_t prev = first;
    /* Extend the grapheme cluster (UAX #29): ZWJ sequences, skin tones,
     * variation selectors, flag pairs, keycaps and tag sequences. */
    utf8proc_grapheme_break_stateful(0, first, &state);
    while (j < s->len) {
        size_t a2;
        int32_t cp = peek(s, j, &a2);
        if (utf8proc_grapheme_break_stateful(prev, cp, &state))
            break;
        prev = cp;
        j += a2;
    }
    return j - i;
}

/* Keycap emoji: 0-9, # or * with an optional U+FE0F and then U+20E3. */
static size_t keycap(scan *s, size_t i)
{
    size_t j = i + 1;
    if (j + 3 <= s->len && memcmp(s->p + j, "\xEF\xB8\x8F", 3) == 0)
        j += 3;
    if (j + 3 <= s->len && memcmp(s->p + j, "\xE2\x83\xA3", 3) == 0)
        return j + 3 - i;
    return 0;
}

/* Text-default pictographs (©, ®, ™, ‼, digits with U+20E3) are emoji only
 * with an emoji variation selector or keycap after them. */
static bool text_default(int32_t cp)
{
    return cp < 0x2100 || cp == 0x2122 || cp == 0x2139 || (cp >= 0x2194 && cp <= 0x21AA);
}

/* ---- fast path for plain words --------------------------------------- */

/* Doubles the token vector when it is full (the callers check first, so
 * the common case costs no call). */
static tema_status grow_tokens(tema__tokvec *tv)
{
    size_t cap = tv->cap ? tv->cap * 2 : 64;
    tema__token *v = realloc(tv->v, cap * sizeof *v);
    if (!v)
        return TEMA_ERR_NOMEM;
    tv->v = v;
    tv->cap = cap;
    return TEMA_OK;
}

/* Most tokens are plain words of ASCII and Latin-1 letters ending in a space
 * or simple punctuation.  fast_word() recognises exactly those and copies
 * their normalised form straight into 'norm'; anything that might be a URL,
 * e-mail, domain, abbreviation, emoticon, amount, inflection after a colon,
 * hyphenated or apostrophe word, or elongated word returns 0 and takes the
 * general path, so both paths give the same tokens. */
static bool latin1_letter(unsigned char c2)
{
    /* U+00C0..U+00FF minus the multiplication and division signs */
    return c2 >= 0x80 && c2 <= 0xBF && c2 != 0x97 && c2 != 0xB7;
}

static size_t fast_word(tema__tokvec *tv, tema__buf *norm, const scan *s, size_t i,
                        tema_status *st)
{
    const unsigned char *p = s->p;
    size_t len = s->len, j = i, letters = 0, upper = 0;
    unsigned char prev = 0;  /* previous ASCII byte of the word, 0 after others */
    bool dup = false;        /* two identical ASCII bytes in a row somewhere */
    /* Latin-1 letters fold to at most two bytes ("ß" -> "ss"), never more
     * than the two they take in the input, so the rest of the comment
     * always has room; reserve it once and write while scanning.  Nothing
     * is committed (norm->len stays) until the word is known to be plain. */
    if (norm->len + (len - i) > norm->cap && tema__buf_reserve(norm, len - i) != TEMA_OK) {
        *st = TEMA_ERR_NOMEM;
        return 0;
    }
    char *o = norm->p + norm->len;
    while (j < len) {
        unsigned char c = p[j], l = ascii_word_fold[c];
        if (l) {
            /* case counts and the elongation check are left to the rare
             * words that need them, after the loop */
            dup |= c == prev;
            prev = c;
            *o++ = (char)l;
            j++;
        } else if (c == 0xC3 && j + 1 < len && latin1_letter(p[j + 1])) {
            prev = 0;
            if (j >= i + 4 && p[j - 1] == p[j + 1] && p[j - 2] == c && p[j - 3] == p[j + 1] &&
                p[j - 4] == c)
                return 0;
            /* both bytes always: the two input bytes leave room for them */
            const unsigned char *f = latin1_fold[p[j + 1] - 0x80];
            if (!f[0])
                return 0;
            o[0] = (char)f[1];
            o[1] = (char)f[2];
            o += f[0];
            j += 2;
        } else if (c < 0x80) {
            break;
        } else {
            return 0; /* other scripts, marks, typographic apostrophes: general path */
        }
    }
    if (dup)
        for (size_t k = i + 2; k < j; k++)
            if (p[k] == p[k - 1] && p[k] == p[k - 2] && ascii_word_fold[p[k]] > '9')
                return 0; /* three identical letters in a row: elongation, general path */
    bool first_upper = p[i] < 0x80 ? (p[i] >= 'A' && p[i] <= 'Z')
                                   : (0xC0 + (p[i + 1] - 0x80)) <= 0xDE;
    if (first_upper) {
        /* all capitals is possible only when the first letter is one */
        for (size_t k = i; k < j; k++) {
            unsigned char c = p[k];
            if (c < 0x80) {
                upper += c != ascii_word_fold[c];
                letters += ascii_word_fold[c] > '9';
            } else {
                upper += 0xC0 + (p[k + 1] - 0x80) <= 0xDE;
                letters++;
                k++;
            }
        }
    }
    size_t n = j - i;
    int t = j < len ? p[j] : ' ';
    if (t == '.' || t == ':') {
        /* A full stop or colon that ends the word: "x.y" may be a domain,
         * "SJ:s" an inflection, "ca. 3" or "inkl. frakt" an abbreviation, so
         * only a stop followed by the end, a line break, or a space and then
         * something other than a digit or lower-case letter is plain. */
        if (j + 1 < len && p[j + 1] != '\n') {
            if (p[j + 1] != ' ')
                return 0;
            unsigned char a = j + 2 < len ? p[j + 2] : ' ';
            /* no listed abbreviation is longer than four letters */
            if (n < 5 && ((a >= '0' && a <= '9') || (a >= 'a' && a <= 'z') || a >= 0x80))
                return 0;
        }
    } else if (!(t == ' ' || t == '\n' || t == ',' || t == '!' || t == '?' || t == ';' ||
                 t == ')' || t == '\t' || t == '\r' || t == '"')) {
        return 0;
    }
    if (n == 2 && (p[i] | 0x20) == 'x')
        return 0; /* xD, XP */
    unsigned char f0 = p[i];
    if (t == ' ' && n <= 4 &&
        (f0 == 'k' || f0 == 'K' || f0 == 'S' || f0 == 'D' || f0 == 'N' || f0 == 'E' ||
         f0 == 'U' || f0 == 'G')) {
        /* only these can start a currency before a number (currency_before) */
        size_t k = j;
        while (k < len && p[k] == ' ')
            k++;
        if (k < len && p[k] >= '0' && p[k] <= '9')
            return 0; /* "kr 299", "SEK 500" */
    }
    if (tv->n == tv->cap && grow_tokens(tv) != TEMA_OK) {
        *st = TEMA_ERR_NOMEM;
        return 0;
    }
    tema__token *tok = &tv->v[tv->n++];
    tok->start = (uint32_t)i;
    tok->end = (uint32_t)j;
    tok->norm_off = (uint32_t)norm->len;
    tok->norm_len = (uint32_t)(o - (norm->p + norm->len));
    tok->alt_off = tok->alt_len = 0;
    tok->word = -1;
    tok->type = TEMA_TOK_WORD;
    tok->count = 1;
    tok->pad = 0;
    norm->len = (size_t)(o - norm->p);
    unsigned flags = 0;
    if (letters >= 2 && upper >= 2 && upper == letters)
        flags |= TEMA_TOKF_ALLCAPS;
    if (first_upper)
        flags |= TEMA_TOKF_CAPITALISED;
    tok->flags = (uint16_t)flags;
    *st = TEMA_OK;
    return n;
}

/* ASCII sentence and clause punctuation, the other common token: a run of
 * . ! ? or a single , ; ) (.  Returns 0 when the general path must decide
 * (a following '…', an emoticon such as ";)" or "(:", "...)" runs). */
static size_t fast_punct(tema__tokvec *tv, tema__buf *norm, const scan *s, size_t i,
                         tema_status *st)
{
    const unsigned char *p = s->p;
    size_t j = i;
    unsigned flags, count;
    unsigned char b = p[i];
    if (b == '.' || b == '!' || b == '?') {
        flags = TEMA_TOKF_SENT_END | TEMA_TOKF_CLAUSE_END;
        while (j < s->len && (p[j] == '.' || p[j] == '!' || p[j] == '?')) {
            flags |= p[j] == '!' ? TEMA_TOKF_EXCLAIM : p[j] == '?' ? TEMA_TOKF_QUESTION : 0;
            j++;
        }
        if (j < s->len && p[j] >= 0x80)
            return 0;
    } else if (b == ',' || b == ';') {
        flags = TEMA_TOKF_CLAUSE_END;
        j++;
        if (j < s->len && (p[j] == b || p[j] == ')' || p[j] == '(' || p[j] == '-' ||
                           p[j] == 'D' || p[j] == 'P' || p[j] == 'p' || p[j] >= 0x80))
            return 0;
    } else if (b == '(' || b == ')' || b == '"' || b == ':') {
        /* single brackets, quotes, and a colon before a space (not an
         * emoticon, time or inflection) */
        flags = b == '"' ? 0 : TEMA_TOKF_CLAUSE_END;
        j++;
        if (j < s->len && (p[j] == b || (b == ':' && p[j] != ' ' && p[j] != '\n')))
            return 0;
    } else {
        return 0;
    }
    count = (unsigned)(j - i);
    if (tv->n == tv->cap && grow_tokens(tv) != TEMA_OK) {
        *st = TEMA_ERR_NOMEM;
        return j - i;
    }
    if (norm->len + (j - i) > norm->cap && tema__buf_reserve(norm, j - i) != TEMA_OK) {
        *st = TEMA_ERR_NOMEM;
        return j - i;
    }
    /* mostly one byte: no library call */
    for (size_t k = i; k < j; k++)
        norm->p[norm->len++] = (char)p[k];
    tema__token *tok = &tv->v[tv->n++];
    tok->start = (uint32_t)i;
    tok->end = (uint32_t)j;
    tok->norm_off = (uint32_t)(norm->len - (j - i));
    tok->norm_len = (uint32_t)(j - i);
    tok->alt_off = tok->alt_len = 0;
    tok->word = -1;
    tok->type = TEMA_TOK_PUNCT;
    tok->flags = (uint16_t)flags;
    tok->count = (uint16_t)(count > UINT16_MAX ? UINT16_MAX : count);
    tok->pad = 0;
    *st = TEMA_OK;
    return j - i;
}

/* Plain ASCII numbers ("3", "2024", "45") followed by a space, line end or
 * simple punctuation.  Returns 0 whenever an earlier rule or a longer number
 * might apply, so the general path decides: a following digit after a space
 * (grouping "1 299"), a letter or non-ASCII byte (units, "4G", currencies,
 * keycaps, NBSP), a currency word after a space ("50 kr", "10 SEK", "5 $"),
 * '.' or ',' before a digit (decimals), ':' '-' '/' (times, ranges, "299:-"),
 * '@' and '%' (e-mail), a stop before a space and a lower-case letter
 * (ordinal "1. maj"). */
static size_t fast_number(tema__tokvec *tv, tema__buf *norm, const scan *s, size_t i,
                          tema_status *st)
{
    const unsigned char *p = s->p;
    size_t len = s->len, j = i;
    for (;;) {
        while (j < len && p[j] >= '0' && p[j] <= '9')
            j++;
        /* joined parts, as in match_number: 12.5, 24/7, 10:30, 3341-9128 */
        if (j + 1 < len && p[j + 1] >= '0' && p[j + 1] <= '9' &&
            (p[j] == '.' || p[j] == ',' || p[j] == ':' || p[j] == '/' || p[j] == '-')) {
            j++;
            continue;
        }
        break;
    }
    if (j < len) {
        unsigned char t = p[j], a = j + 1 < len ? p[j + 1] : '\n';
        if (t == ' ') {
            unsigned char f = (unsigned char)(a | 0x20);
            if ((a >= '0' && a <= '9') || a >= 0x80 || a == '$' || a == ':' || a == ',' ||
                f == 'k' || f == 's' || f == 'd' || f == 'n' || f == 'e' || f == 'u' || f == 'g')
                return 0;
        } else if (t == '.') {
            if (a == ' ') {
                unsigned char b = j + 2 < len ? p[j + 2] : '\n';
                if (b >= 0x80 || (b >= 'a' && b <= 'z'))
                    return 0;
            } else if (a != '\n') {
                return 0;
            }
        } else if (t == ',') {
            if ((a >= '0' && a <= '9') || a == '-')
                return 0;
        } else if (!(t == '\n' || t == '!' || t == '?' || t == ')' || t == '"' || t == ';')) {
            return 0;
        }
    }
    if (tv->n == tv->cap && grow_tokens(tv) != TEMA_OK) {
        *st = TEMA_ERR_NOMEM;
        return j - i;
    }
    if (norm->len + (j - i) > norm->cap && tema__buf_reserve(norm, j - i) != TEMA_OK) {
        *st = TEMA_ERR_NOMEM;
        return j - i;
    }
    tema__token *tok = &tv->v[tv->n++];
    tok->start = (uint32_t)i;
    tok->end = (uint32_t)j;
    tok->norm_off = (uint32_t)norm->len;
    tok->norm_len = (uint32_t)(j - i);
    for (size_t k = i; k < j; k++)
        norm->p[norm->len++] = (char)p[k];
    tok->alt_off = tok->alt_len = 0;
    tok->word = -1;
    tok->type = TEMA_TOK_NUMBER;
    tok->flags = 0;
    tok->count = 1;
    tok->pad = 0;
    *st = TEMA_OK;
    return j - i;
}

/* ---- the main loop ----------------------------------------------------- */

static tema_status push(tema__tokvec *tv, tema__buf *norm, tema__norm_scratch *ns, scan *s,
                        size_t start, size_t end, tema_token_type type, unsigned flags,
                        unsigned count)
{
    if (tv->n == tv->cap && grow_tokens(tv) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    tema__token *t = &tv->v[tv->n];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->norm_off = (uint32_t)norm->len;
    t->alt_off = 0;
    t->alt_len = 0;
    t->word = -1;
    t->type = (uint16_t)type;
    t->count = (uint16_t)(count > UINT16_MAX ? UINT16_MAX : count);
    t->pad = 0;
    tema_status st;
    if (type == TEMA_TOK_URL || type == TEMA_TOK_EMOJI || type == TEMA_TOK_EMOTICON) {
        /* URLs keep their case (paths are case-sensitive); emoji and
         * emoticons are compared as written (":D" is not ":d"). */
        st = tema__buf_append(norm, s->p + start, end - start);
    } else if (end - start <= 4 && s->p[start] < 0x80 && (end - start == 1 || s->p[start + 1] < 0x80) &&
               (end - start <= 2 || (s->p[start + 2] < 0x80 && (end - start == 3 || s->p[start + 3] < 0x80)))) {
        /* short ASCII tokens (punctuation, numbers): folding is lower-casing */
        st = tema__buf_reserve(norm, end - start);
        if (st == TEMA_OK)
            for (size_t k = start; k < end; k++) {
                unsigned char c = s->p[k];
                norm->p[norm->len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
    } else {
        st = tema__normalize_append(norm, ns, (const char *)s->p + start, end - start,
                                    TEMA_NORM_DEFAULT, NULL);
    }
    if (st != TEMA_OK)
        return st;
    t->norm_len = (uint32_t)(norm->len - t->norm_off);
    if (type == TEMA_TOK_EMOTICON) {
        /* ":-)))" and ":DD" look up as ":-)" and ":D"; the repeats become the
         * count.  No listed emoticon itself ends in a doubled ) ( D or 3. */
        const char *e = norm->p + t->norm_off;
        unsigned reps = 1;
        while (t->norm_len >= 3 && e[t->norm_len - 1] == e[t->norm_len - 2] &&
               strchr(")(D3", e[t->norm_len - 1])) {
            t->norm_len--;
            reps++;
        }
        norm->len = t->norm_off + t->norm_len;
        t->count = (uint16_t)(reps > UINT16_MAX ? UINT16_MAX : reps);
    } else if (type == TEMA_TOK_EMOJI) {
        /* "❤️" and "❤", "👍🏽" and "👍" carry the same meaning: drop variation
         * selectors (EF B8 8E/8F) and skin-tone modifiers (F0 9F 8F BB..BF). */
        unsigned char *w = (unsigned char *)norm->p + t->norm_off;
        size_t o = 0, n = t->norm_len;
        for (size_t k = 0; k < n; k++) {
            if (k + 2 < n && w[k] == 0xEF && w[k + 1] == 0xB8 && (w[k + 2] == 0x8E || w[k + 2] == 0x8F)) {
                k += 2;
            } else if (k + 3 < n && w[k] == 0xF0 && w[k + 1] == 0x9F && w[k + 2] == 0x8F &&
                       w[k + 3] >= 0xBB && w[k + 3] <= 0xBF && o > 0) {
                k += 3;
            } else {
                w[o++] = w[k];
            }
        }
        if (o > 0) {
            t->norm_len = (uint32_t)o;
            norm->len = t->norm_off + o;
        }
    } else if (type == TEMA_TOK_WORD) {
        /* Typographic apostrophes (don’t, PC’en) match lexicon entries typed
         * with '; soft hyphens (C2 AD, left by NFKC) are invisible line-break
         * hints and must not split "kund\u00ADtjänst" from "kundtjänst". */
        char *w = norm->p + t->norm_off;
        size_t o = 0;
        for (size_t k = 0; k < t->norm_len; k++) {
            if (k + 2 < t->norm_len && (unsigned char)w[k] == 0xE2 &&
                (unsigned char)w[k + 1] == 0x80 && (unsigned char)w[k + 2] == 0x99) {
                w[o++] = '\'';
                k += 2;
            } else if (k + 1 < t->norm_len && (unsigned char)w[k] == 0xC2 &&
                       (unsigned char)w[k + 1] == 0xAD) {
                k += 1;
            } else {
                w[o++] = w[k];
            }
        }
        t->norm_len = (uint32_t)o;
        norm->len = t->norm_off + o;
        bool changed;
        if ((st = elongation(norm, t, &changed)) != TEMA_OK)
            return st;
        if (changed)
            flags |= TEMA_TOKF_ELONGATED;
    }
    t->flags = (uint16_t)flags;
    tv->n++;
    return TEMA_OK;
}

void tema__tokvec_free(tema__tokvec *tv)
{
    free(tv->v);
    tv->v = NULL;
    tv->n = tv->cap = 0;
}

static void mark_boundary(tema__tokvec *tv, unsigned flags)
{
    if (tv->n)
        tv->v[tv->n - 1].flags |= (uint16_t)flags;
}

tema_status tema__tokenize(const char *text, size_t len, tema__tokvec *out, tema__buf *norm,
                           tema__norm_scratch *ns, size_t *repairs)
{
    if (!__atomic_load_n(&ascii_ready, __ATOMIC_ACQUIRE))
        pthread_once(&ascii_once, init_ascii);
    out->n = 0;
    norm->len = 0;
    if (len >= UINT32_MAX)
        return TEMA_ERR_LIMIT;
    scan sc = {(const unsigned char *)text, len, 0, 0};
    scan *s = &sc;
    size_t i = 0;
    tema_status st = TEMA_OK;
    while (i < len && st == TEMA_OK) {
        size_t adv, n;
        unsigned char b = s->p[i];
        if (b == ' ') {
            i++;
            continue;
        }
        if (((b < 0x80 && ascii_class[b] == C_LETTER) || b == 0xC3) &&
            (i == 0 || (s->p[i - 1] < 0x80 ? !ascii_alnum(s->p[i - 1]) : !word_before(s, i))) &&
            (n = fast_word(out, norm, s, i, &st)) != 0) {
            i += n;
            i += i < len && s->p[i] == ' ';  /* the usual single space, without a round */
            continue;
        }
        if ((b == '.' || b == ',' || b == '!' || b == '?' || b == ';' || b == '(' || b == ')' ||
             b == '"' || b == ':') &&
            (n = fast_punct(out, norm, s, i, &st)) != 0) {
            i += n;
            continue;
        }
        if (b >= '0' && b <= '9' && (n = fast_number(out, norm, s, i, &st)) != 0) {
            i += n;
            continue;
        }
        int32_t cp = peek(s, i, &adv);
        enum cclass c = uclass(cp);
        if (c == C_SPACE || c == C_FORMAT) {
            i += adv;
            continue;
        }
        if (c == C_NEWLINE) {
            mark_boundary(out, TEMA_TOKF_SENT_END | TEMA_TOKF_CLAUSE_END);
            i += adv;
            continue;
        }
        if ((cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W') && (n = match_url(s, i))) {
            st = push(out, norm, ns, s, i, i + n, TEMA_TOK_URL, 0, 1);
            i += n;
            continue;
        }
        if (cp < 128 && ascii_alnum(cp) && !word_before(s, i) && (n = match_email(s, i))) {
            st = push(out, norm, ns, s, i, i + n, TEMA_TOK_EMAIL, 0, 1);
            i += n;
            continue;
        }
        if (((cp >= '0' && cp <= '9') || cp == '#' || cp == '*') && (n = keycap(s, i))) {
            st = push(out, norm, ns, s, i, i + n, TEMA_TOK_EMOJI, 0, 1);
            i += n;
            continue;
        }
        if ((cp == '@' || cp == '#') && (n = match_tag(s, i, cp == '@'))) {
            st = push(out, norm, ns, s, i, i + n, cp == '@' ? TEMA_TOK_MENTION : TEMA_TOK_HASHTAG,
                      0, 1);
            i += n;
            continue;
        }
        if (cp < 128 && (n = match_emoticon(s, i))) {
            st = push(out, norm, ns, s, i, i + n, TEMA_TOK_EMOTICON, 0, 1);
            i += n;
            continue;
        }
        if (c == C_DIGIT && cp < 128) {
            /* (other scripts' digits are read as word characters) */
            bool is_word;
            n = match_number(s, i, &is_word);
            if (!is_word) {
                size_t cur = currency_after(s, i + n);
                st = push(out, norm, ns, s, i, i + n + cur, cur ? TEMA_TOK_AMOUNT : TEMA_TOK_NUMBER,
                          0, 1);
                i += n + cur;
                continue;
            }
            /* digits running into letters: a word such as 4G or 10min */
        }
        if (c == C_LETTER || c == C_DIGIT || c == C_MARK) {
            word_info wi;
            if ((cp == 'k' || cp == 'K' || cp == 'S' || cp == 'D' || cp == 'N' || cp == 'E' ||
                 cp == 'U' || cp == 'G') && (n = currency_before(s, i))) {
                st = push(out, norm, ns, s, i, i + n, TEMA_TOK_AMOUNT, 0, 1);
                i += n;
                continue;
            }
            if (c == C_LETTER && (n = match_abbrev(s, i))) {
                st = push(out, norm, ns, s, i, i + n, TEMA_TOK_WORD,
                          is_upper(cp) ? TEMA_TOKF_CAPITALISED : 0, 1);
                i += n;
                continue;
            }
            if (cp < 128 && c == C_LETTER && (n = match_domain(s, i))) {
                st = push(out, norm, ns, s, i, i + n, TEMA_TOK_URL, 0, 1);
                i += n;
                continue;
            }
            n = match_word(s, i, &wi);
            unsigned flags = 0;
            if (wi.letters >= 2 && wi.lower == 0 && wi.upper >= 2)
                flags |= TEMA_TOKF_ALLCAPS;
            if (wi.first_upper)
                flags |= TEMA_TOKF_CAPITALISED;
            if (wi.repaired)
                flags |= TEMA_TOKF_REPAIRED;
            st = push(out, norm, ns, s, i, i + n, TEMA_TOK_WORD, flags, 1);
            i += n;
            continue;
        }
        if (c == C_EMOJI) {
            n = match_emoji(s, i);
            bool emoji = !text_default(cp) || n > adv;
            st = push(out, norm, ns, s, i, i + n, emoji ? TEMA_TOK_EMOJI : TEMA_TOK_SYMBOL, 0, 1);
            i += n;
            continue;
        }
        if (c == C_SENT) {
            /* a run of . ! ? … is one token */
            size_t j = i;
            unsigned count = 0, flags = TEMA_TOKF_SENT_END | TEMA_TOKF_CLAUSE_END;
            for (;;) {
                size_t a2;
                int32_t q = peek(s, j, &a2);
                if (q < 0 || uclass(q) != C_SENT)
                    break;
                if (q == '!')
                    flags |= TEMA_TOKF_EXCLAIM;
                else if (q == '?')
                    flags |= TEMA_TOKF_QUESTION;
                count += q == 0x2026 ? 3 : 1;
                j += a2;
            }
            /* "15 st." inside a sentence still ends a clause at most */
            st = push(out, norm, ns, s, i, j, TEMA_TOK_PUNCT, flags, count);
            i = j;
            continue;
        }
        if (c == C_CLAUSE || c == C_DASH || c == C_BRACKET || c == C_QUOTE || c == C_PUNCT) {
            size_t j = i + adv;
            unsigned count = 1;
            while (j + adv <= len && memcmp(s->p + j, s->p + i, adv) == 0) {
                j += adv;
                count++;
            }
            unsigned flags = 0;
            if (c == C_CLAUSE || c == C_BRACKET)
                flags = TEMA_TOKF_CLAUSE_END;
            else if (c == C_DASH && (i == 0 || !word_before(s, i) || cp != '-'))
                flags = TEMA_TOKF_CLAUSE_END;  /* a free-standing dash */
            if (cp < 128 && (cp == '$' || cp == '#' || cp == '@'))
                flags = 0;
            st = push(out, norm, ns, s, i, j, TEMA_TOK_PUNCT, flags, count);
            i = j;
            continue;
        }
        /* Symbols; a currency sign before a number makes an amount ($20, € 15). */
        if (cp == '$' || cp == 0x20AC || cp == 0xA3) {
            size_t k = i + adv, sp = group_space(s, k);
            if (digit_at(s, k + sp)) {
                bool is_word;
                n = match_number(s, k + sp, &is_word);
                if (!is_word) {
                    st = push(out, norm, ns, s, i, k + sp + n, TEMA_TOK_AMOUNT, 0, 1);
                    i = k + sp + n;
                    continue;
                }
            }
        }
        st = push(out, norm, ns, s, i, i + adv, TEMA_TOK_SYMBOL, 0, 1);
        i += adv;
    }
    if (repairs)
        *repairs = sc.repairs;
    return st;
}
