/*
 * date.c: parses the dates survey exports carry into ISO YYYY-MM-DD:
 * ISO 8601 dates and date-times (2026-04-03, 2026-04-03T14:22:05Z,
 * 2026-04-03 14:22), Nordic day-first dates (03.04.2026, 3.4.2026, 03-04-2026,
 * 03/04/2026) and year-first slashes (2026/04/03).  A time, if present, is
 * accepted and dropped: reports work by day.  Two-digit years and anything
 * ambiguous are refused rather than guessed.
 */
#include <stdio.h>

#include "common.h"

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Reads 1-2 digits; returns the count read (0 on failure). */
static size_t small(const char *s, size_t len, int *out)
{
    size_t n = 0;
    int v = 0;
    while (n < len && n < 2 && s[n] >= '0' && s[n] <= '9')
        v = v * 10 + (s[n++] - '0');
    if (n < len && s[n] >= '0' && s[n] <= '9')
        return 0;
    *out = v;
    return n;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool valid(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && leap(y));
}

/* What may follow a date: nothing, or a time introduced by 'T' or a space. */
static bool time_tail(const char *s, size_t len)
{
    if (len == 0)
        return true;
    if (s[0] != 'T' && s[0] != 't' && s[0] != ' ')
        return false;
    s++;
    len--;
    int hh, mm;
    if (len < 4)
        return false;
    size_t n = small(s, len, &hh);
    if (!n || n >= len || (s[n] != ':' && s[n] != '.'))
        return false;
    if (len < n + 3 || !digits(s + n + 1, 2, &mm))
        return false;
    if (hh > 24 || mm > 59)
        return false;
    /* seconds, fractions, zone: allowed characters only */
    for (size_t i = n + 3; i < len; i++)
        if (!strchr("0123456789:.+-Zz ", s[i]))
            return false;
    return true;
}

tema_status tema_date_parse(const char *text, size_t len, char out[11])
{
    if (!text || !out)
        return TEMA_ERR_MISUSE;
    while (len && (text[0] == ' ' || text[0] == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    int y, m, d;
    bool ok = false;
    size_t used = 0;
    if (len >= 10 && digits(text, 4, &y) && (text[4] == '-' || text[4] == '/') &&
        digits(text + 5, 2, &m) && text[7] == text[4] && digits(text + 8, 2, &d)) {
        ok = true; /* 2026-04-03, 2026/04/03 */
        used = 10;
    } else {
        size_t a = small(text, len, &d);
        if (a && a < len && (text[a] == '.' || text[a] == '-' || text[a] == '/')) {
            char sep = text[a];
            size_t b = small(text + a + 1, len - a - 1, &m);
            size_t at = a + 1 + b;
            if (b && at < len && text[at] == sep && at + 5 <= len && digits(text + at + 1, 4, &y) &&
                (at + 5 == len || text[at + 5] < '0' || text[at + 5] > '9')) {
                ok = true; /* 3.4.2026, 03-04-2026, 03/04/2026 */
                used = at + 5;
            }
        }
    }
    if (!ok || !valid(y, m, d) || !time_tail(text + used, len - used))
        return TEMA_ERR_PARSE;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return TEMA_OK;
}
