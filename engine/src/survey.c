/*
 * survey.c: recognises the extra header rows survey tools put under the
 * header of their CSV exports, so they are not analysed as responses.
 * Qualtrics writes question texts in row 2 and JSON import ids in row 3;
 * SurveyMonkey writes sub-labels ("Response", "Open-Ended Response", answer
 * options) in row 2.  The rules are conservative: a real customer comment
 * taken for a header row is lost, a header row left in is only noise.
 */
#include <string.h>

#include "common.h"

/* Sub-labels longer than this are not SurveyMonkey's: its labels are
 * "Open-Ended Response", "Response", answer option names. */
#define SUBLABEL_MAX 60

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims white space around 'f'. */
static void trim(const tema_field *f, const char **s, size_t *n)
{
    const char *p = f->ptr;
    size_t len = f->len;
    while (len && is_space(*p))
        p++, len--;
    while (len && is_space(p[len - 1]))
        len--;
    *s = p;
    *n = len;
}

/* A JSON object with an "ImportId" key, as Qualtrics writes row 3:
 * {"ImportId":"QID2_TEXT"} or {"ImportId":"startDate","timeZone":"..."}.
 * The key must open the object or follow a comma, and be followed by a
 * colon, so a comment that merely quotes the word is not taken for one. */
static bool is_import_id(const char *s, size_t n)
{
    static const char key[] = "\"ImportId\"";
    const size_t klen = sizeof key - 1;
    if (n < klen + 3 || s[0] != '{' || s[n - 1] != '}')
        return false;
    for (size_t i = 1; i + klen < n; i++) {
        if (memcmp(s + i, key, klen) != 0)
            continue;
        size_t b = i;
        while (b > 1 && is_space(s[b - 1]))
            b--;
        if (s[b - 1] != '{' && s[b - 1] != ',')
            continue;
        size_t a = i + klen;
        while (a < n && is_space(s[a]))
            a++;
        if (a < n && s[a] == ':')
            return true;
    }
    return false;
}

static bool is_qualtrics_ids(const tema_field *row, size_t n)
{
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        trim(&row[i], &s, &len);
        if (!len)
            continue;
        if (!is_import_id(s, len))
            return false;
        seen++;
    }
    return seen > 0;
}

static bool equals(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* The sub-labels SurveyMonkey writes over a free-text answer. */
static bool is_text_label(const tema_field *f)
{
    const char *s;
    size_t n;
    trim(f, &s, &n);
    return equals(s, n, "Open-Ended Response") || equals(s, n, "Response");
}

/* Short, one line, no digits: an answer option or sub-label, not a
 * response (responses carry ids, dates and scores). */
static bool is_short_label(const char *s, size_t n)
{
    if (n > SUBLABEL_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '\n' || s[i] == '\r')
            return false;
    return true;
}

static bool is_surveymonkey_labels(const tema_field *row, size_t n, size_t text_column)
{
    if (n < 2)
        return false;
    if (text_column != SIZE_MAX && (text_column >= n || !is_text_label(&row[text_column])))
        return false;
    size_t empty = 0, labels = 0, open_ended = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t len;
        trim(&row[i], &s, &len);
        if (!len) {
            empty++;
            continue;
        }
        if (!is_short_label(s, len))
            return false;
        if (is_text_label(&row[i]))
            labels++;
        if (equals(s, len, "Open-Ended Response"))
            open_ended++;
    }
    /* A bare "Response" in an otherwise digit-free row is not enough: the
     * export also leaves its metadata columns (Respondent ID, Start Date)
     * empty in row 2, or names an open-ended answer outright. */
    return labels > 0 && (open_ended > 0 || empty > 0);
}

tema_status tema_survey_header_rows(const tema_field *row2, size_t n2, const tema_field *row3,
                                    size_t n3, size_t text_column, tema_survey_tool *tool,
                                    size_t *skip)
{
    if (tool)
        *tool = TEMA_SURVEY_PLAIN;
    if (skip)
        *skip = 0;
    if (!tool || !skip || (n2 && !row2) || (n3 && !row3))
        return TEMA_ERR_MISUSE;
    if (n2 && n3 && is_qualtrics_ids(row3, n3)) {
        *tool = TEMA_SURVEY_QUALTRICS;
        *skip = 2;
    } else if (n2 && is_surveymonkey_labels(row2, n2, text_column)) {
        *tool = TEMA_SURVEY_SURVEYMONKEY;
        *skip = 1;
    }
    return TEMA_OK;
}

const char *tema_survey_tool_name(tema_survey_tool tool)
{
    switch (tool) {
    case TEMA_SURVEY_QUALTRICS: return "Qualtrics";
    case TEMA_SURVEY_SURVEYMONKEY: return "SurveyMonkey";
    case TEMA_SURVEY_PLAIN: break;
    }
    return "plain";
}
