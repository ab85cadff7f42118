/*
 * columns.c: guessing which column of an export holds the comment, and
 * which score scale a score column uses, from header names as Nordic and
 * English survey tools write them.  The longest-average-value fallback
 * needs rows, so it lives in cmd_analyze.c next to the reading.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "analyze.h"

/* Header names that mean "the free-text answer", in sv, da, no and en.
 * Exact names first: an export with both "comment" and "comment_id" must
 * pick "comment". */
static const char *const text_names[] = {
    "comment", "comments", "kommentar", "kommentarer", "kommentaar", "text", "tekst",
    "fritext", "fritekst", "free text", "freetext", "feedback", "svar", "answer", "response",
    "tilbakemelding", "tilbagemelding", "besked", "message", "meddelande", "melding", "verbatim",
    "beskrivning", "beskrivelse", "description", "omdöme", "anmeldelse", "review", "body",
    "åsikt", "mening", "synspunkt", "remarks", "open answer", "öppet svar", "åbent svar",
    "åpent svar",
};

/* Words that, inside a longer header ("NPS comment", "Q3_fritext"), still
 * name the free text. */
static const char *const text_parts[] = {
    "comment", "kommentar", "fritext", "fritekst", "feedback", "tilbakemelding",
    "tilbagemelding", "verbatim", "freetext", "free text", "open answer", "öppet svar",
};

/* Lower-cases ASCII letters; UTF-8 bytes pass through (the names above
 * have their non-ASCII letters in lower case already). */
static void lower(const char *s, char *out, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

/* Trims spaces, '_' and '-' into spaces so "free_text" = "free text". */
static void simplify(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '_' || *p == '-')
            *p = ' ';
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] == ' ')
        k++;
    memmove(s, s + k, n - k + 1);
}

long an_guess_text_column_by_name(const tema_reader *r)
{
    size_t n = tema_reader_columns(r);
    char name[256];
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            lower(tema_reader_column_name(r, i), name, sizeof name);
            simplify(name);
            if (pass == 0) {
                /* a nested JSON value ("review.text") is named by its last key */
                const char *leaf = strrchr(name, '.');
                leaf = leaf ? leaf + 1 : name;
                for (size_t k = 0; k < sizeof text_names / sizeof text_names[0]; k++)
                    if (strcmp(name, text_names[k]) == 0 || strcmp(leaf, text_names[k]) == 0)
                        return (long)i;
            } else {
                /* "comment id" is an id, not the text. */
                if (strstr(name, " id") || strstr(name, "date") || strstr(name, "datum"))
                    continue;
                for (size_t k = 0; k < sizeof text_parts / sizeof text_parts[0]; k++)
                    if (strstr(name, text_parts[k]))
                        return (long)i;
            }
        }
    }
    return -1;
}

long an_column_position(const char *name)
{
    if (!name || name[0] != '#' || !name[1])
        return -1;
    long n = 0;
    for (const char *p = name + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        n = n > (LONG_MAX - 9) / 10 ? LONG_MAX : n * 10 + (*p - '0');
    }
    return n;
}

size_t an_same_name_columns(const tema_reader *r, size_t col, size_t *first)
{
    const char *name = tema_reader_column_name(r, col);
    size_t n = 0;
    if (!name)
        return 0;
    for (size_t i = 0; i < tema_reader_columns(r); i++)
        if (strcasecmp(tema_reader_column_name(r, i), name) == 0 && !n++ && first)
            *first = i;
    return n;
}

/* 'word' occurs in 's' on its own, not inside another word ("ces" in
 * "ces score", not in "process" or "services"). */
static bool has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
        bool left = p == s || !isalnum((unsigned char)p[-1]);
        bool right = !isalnum((unsigned char)p[n]);
        if (left && right)
            return true;
    }
    return false;
}

const char *an_guess_score_type(const char *column_name)
{
    char name[256];
    lower(column_name, name, sizeof name);
    simplify(name);
    static const struct {
        const char *part;
        const char *type;
    } parts[] = {
        {"nps", "nps"},          {"recommend", "nps"}, {"rekommend", "nps"},
        {"anbefal", "nps"},      {"csat", "csat"},     {"satisf", "csat"},
        {"nöjd", "csat"},        {"tilfreds", "csat"}, {"fornøyd", "csat"},
        {"ces", "ces"},          {"effort", "ces"},    {"ansträng", "ces"},
        {"indsats", "ces"},      {"innsats", "ces"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (strlen(parts[i].part) <= 4 ? has_word(name, parts[i].part)
                                       : strstr(name, parts[i].part) != NULL)
            return parts[i].type;
    return NULL;
}

/* How open questions are phrased in sv, da, no and en ("What could we do
 * better?", "Vad kan vi göra bättre?", "Hvorfor gav du den score?",
 * "Anything else you want to tell us?").  Closed questions ("How likely
 * are you to recommend ...", "Hur nöjd är du ...") use none of them. */
static const char *const question_parts[] = {
    "better", "bättre", "bedre", "improve", "förbättr", "forbedr", "tell us", "berätta",
    "fortæl", "fortell", "anything else", "något annat", "något mer", "noget andet",
    "noget mere", "noe annet", "noe mer", "övrig", "describe", "beskriv", "in your own words",
    "med egna ord", "med egne ord", "what could we", "vad kan vi", "hvad kan vi", "hva kan vi",
};
/* Whole words only: "why" not in "whyever", "varför" on its own. */
static const char *const question_words[] = {"why", "varför", "hvorfor", "comments", "comment"};

long an_guess_text_column_by_question(const char *const *questions, size_t n)
{
    char q[512];
    for (size_t i = 0; i < n; i++) {
        if (!questions[i])
            continue;
        lower(questions[i], q, sizeof q);
        simplify(q);
        for (size_t k = 0; k < sizeof text_parts / sizeof text_parts[0]; k++)
            if (strstr(q, text_parts[k]))
                return (long)i;
        for (size_t k = 0; k < sizeof question_parts / sizeof question_parts[0]; k++)
            if (strstr(q, question_parts[k]))
                return (long)i;
        for (size_t k = 0; k < sizeof question_words / sizeof question_words[0]; k++)
            if (has_word(q, question_words[k]))
                return (long)i;
    }
    return -1;
}
