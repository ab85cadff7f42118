/*
 * jsonout.c: the streaming JSON writer (see jsonout.h).  Output is compact
 * (one line per document) because it is meant for jq and programs; numbers
 * use %.6g, which keeps shares and scores exact enough and never prints
 * locale-dependent separators under the C locale the CLI runs in.
 */
#include "jsonout.h"

#include "json.h"

#include <math.h>
#include <string.h>

void jo_init(jsonout *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->after_key = 0;
    j->first[0] = 1;
}

/* Writes the comma before a value where one is due. */
static void sep(jsonout *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0 && !j->first[j->depth])
        fputc(',', j->f);
    j->first[j->depth] = 0;
}

static void open(jsonout *j, char c)
{
    sep(j);
    fputc(c, j->f);
    if (j->depth < JSONOUT_MAX_DEPTH - 1)
        j->depth++;
    j->first[j->depth] = 1;
}

static void close_(jsonout *j, char c)
{
    fputc(c, j->f);
    if (j->depth > 0)
        j->depth--;
    if (j->depth == 0)
        fputc('\n', j->f);
}

void jo_object(jsonout *j) { open(j, '{'); }
void jo_object_end(jsonout *j) { close_(j, '}'); }
void jo_array(jsonout *j) { open(j, '['); }
void jo_array_end(jsonout *j) { close_(j, ']'); }

void jo_key(jsonout *j, const char *key)
{
    sep(j);
    json_string(j->f, key, strlen(key));
    fputc(':', j->f);
    j->after_key = 1;
}

void jo_strn(jsonout *j, const char *s, size_t len)
{
    sep(j);
    json_string(j->f, s, len); /* escapes and repairs invalid UTF-8 */
}

void jo_str(jsonout *j, const char *s)
{
    if (!s) {
        jo_null(j);
        return;
    }
    jo_strn(j, s, strlen(s));
}

void jo_int(jsonout *j, int64_t v)
{
    sep(j);
    fprintf(j->f, "%lld", (long long)v);
}

void jo_num(jsonout *j, double v)
{
    if (!isfinite(v)) {
        jo_null(j);
        return;
    }
    sep(j);
    if (v == 0.0)
        v = 0.0; /* no "-0" */
    fprintf(j->f, "%.6g", v);
}

void jo_null(jsonout *j)
{
    sep(j);
    fputs("null", j->f);
}

void jo_bool(jsonout *j, int v)
{
    sep(j);
    fputs(v ? "true" : "false", j->f);
}
