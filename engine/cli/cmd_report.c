/*
 * cmd_report.c: `tema top`, `tema scores` and `tema drivers`: read the
 * store through tema_top(), tema_scores() and tema_drivers() and print the
 * report as an aligned table (fits 100 columns unless a theme id is
 * longer than 28 characters), CSV (RFC 4180, header
 * row), JSON (one document; the shape of `tema top` is a contract, see
 * docs/reports.md), GitHub Markdown or a self-contained HTML page (the
 * Markdown and HTML tables share their row loops).  No statistics happen
 * here.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonout.h"

typedef enum fmt { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MD, FMT_HTML } fmt;

/* Which command an option belongs to. */
enum { FOR_TOP = 1, FOR_SCORES = 2, FOR_DRIVERS = 4, FOR_ALL = 7 };

#define MAX_SEGMENTS 16

/* Everything the three commands parse from their command lines. */
typedef struct report_cli {
    const char *cmd;                          /* "top ", "scores ", "drivers " for messages */
    const char *db;                           /* --db */
    fmt format;                               /* --format */
    tema_report_opts o;                       /* filters and settings for the library */
    tema_segment_filter seg[MAX_SEGMENTS];    /* --segment NAME=VALUE */
    char *seg_buf[MAX_SEGMENTS];              /* their copies, split at '=' */
    const char *lang_code;                    /* canonical code of --lang */
} report_cli;

enum {
    OPT_DB = 256, OPT_FORMAT, OPT_TOUCHPOINT, OPT_THEME, OPT_LANG, OPT_SINCE, OPT_UNTIL,
    OPT_SEGMENT, OPT_RUN, OPT_MIN_MENTIONS, OPT_LIMIT, OPT_PERIOD, OPT_COMPARE, OPT_EXAMPLES,
    OPT_BY, OPT_METRIC, OPT_CSAT_TOP, OPT_CES_SCALE, OPT_CES_DIRECTION, OPT_CES_FORMULA,
    OPT_HELP
};

static const struct option longopts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"touchpoint", required_argument, NULL, OPT_TOUCHPOINT},
    {"theme", required_argument, NULL, OPT_THEME},
    {"lang", required_argument, NULL, OPT_LANG},
    {"since", required_argument, NULL, OPT_SINCE},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"segment", required_argument, NULL, OPT_SEGMENT},
    {"run", required_argument, NULL, OPT_RUN},
    {"min-mentions", required_argument, NULL, OPT_MIN_MENTIONS},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"compare", required_argument, NULL, OPT_COMPARE},
    {"examples", required_argument, NULL, OPT_EXAMPLES},
    {"by", required_argument, NULL, OPT_BY},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"csat-top", required_argument, NULL, OPT_CSAT_TOP},
    {"ces-scale", required_argument, NULL, OPT_CES_SCALE},
    {"ces-direction", required_argument, NULL, OPT_CES_DIRECTION},
    {"ces-formula", required_argument, NULL, OPT_CES_FORMULA},
    {"help", no_argument, NULL, OPT_HELP},
    {0, 0, 0, 0}};

/* Commands each option is valid for, indexed by option - OPT_DB. */
static const unsigned char opt_for[] = {
    FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL,
    FOR_TOP | FOR_DRIVERS, FOR_TOP, FOR_TOP | FOR_SCORES, FOR_TOP, FOR_TOP, FOR_SCORES,
    FOR_DRIVERS, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL, FOR_ALL};

static const char filter_help[] =
    "Scope (which comments count):\n"
    "      --db PATH            the store (default tema.db)\n"
    "      --lang L             only comments in language L (sv, da, no, en)\n"
    "      --since DATE         only comments dated DATE (YYYY-MM-DD) or later\n"
    "      --until DATE         only comments dated DATE or earlier\n"
    "      --segment COL=VALUE  only comments whose segment column COL is VALUE (repeatable)\n"
    "      --run N              only comments of analyze run N\n"
    "Rows:\n"
    "      --touchpoint T       only touchpoint T\n"
    "      --theme ID           only theme ID\n";

static const char scale_help[] =
    "Scales:\n"
    "      --csat-top N         CSAT counts scores N..5 as satisfied (default 4)\n"
    "      --ces-scale 1-7|1-5  CES scale (default 1-7)\n"
    "      --ces-direction higher-is-better|lower-is-better   (default higher-is-better)\n"
    "      --ces-formula mean|top-box   CES as the mean score or the % on the easy side\n"
    "Output:\n"
    "      --format F           table (default), csv, json, md or html\n"
    "  -h, --help               show this help\n"
    "Exit status: 0 ok, 1 the store is missing or unreadable, 2 invalid command line.\n";

static void help(unsigned which)
{
    if (which == FOR_TOP) {
        printf("Usage: tema top [OPTIONS]\n"
               "Touchpoints ranked by complaints (comments with a negative mention), and within\n"
               "each its irritant themes: complaints, mentions, complaint share (complaints /\n"
               "comments in scope) with a 95%% Wilson interval, mean mention sentiment, the\n"
               "score of comments with versus without it, and up to three negative quotes\n"
               "with the mention marked: \xc2\xabthis\xc2\xbb in tables, **this** in Markdown,\n"
               "<mark> in HTML and in the JSON field examples_html.\n\n");
        printf("%s", filter_help);
        printf("      --min-mentions N     leave out touchpoints and themes mentioned by fewer\n"
               "                           than N comments (default 1)\n"
               "      --limit N            irritants per touchpoint (default 5, 0 = all)\n"
               "      --examples N         quotes per irritant, 0-3 (default 3)\n"
               "Trend:\n"
               "      --period P           split counts by month, quarter or week (ISO)\n"
               "      --compare PREV       compare the latest period's complaint shares with\n"
               "                           period PREV (e.g. 2025-Q1), or 'prev' for the period\n"
               "                           before it; a two-proportion z-test flags significant\n"
               "                           changes (p < 0.05)\n");
    } else if (which == FOR_SCORES) {
        printf("Usage: tema scores [OPTIONS]\n"
               "NPS (promoters 9-10 minus detractors 0-6, with counts and a 95%% margin of\n"
               "error), CSAT (share of satisfied on 1-5) and CES (mean, 1-7 by default),\n"
               "overall and per group.\n\n");
        printf("%s", filter_help);
        printf("      --by touchpoint|segment:COL|period:month|period:quarter|period:week\n"
               "                           groups after the overall row\n");
    } else {
        printf("Usage: tema drivers [OPTIONS]\n"
               "Key drivers: for each theme mentioned by enough comments, its impact on the\n"
               "overall score, n_t * (score_t - score_all) / (N - n_t): removing the comments\n"
               "with the theme would move the overall score by minus that much.  With the\n"
               "theme's own score, its share of all detractors and Welch's t-test of the\n"
               "score with versus without it.  This is association, not causation.\n\n");
        printf("%s", filter_help);
        printf("      --metric M           nps (default), csat, ces or sentiment\n"
               "      --min-mentions N     themes mentioned by at least N comments (default 10)\n");
    }
    printf("%s", scale_help);
}

static int parse_size(report_cli *c, const char *opt, const char *v, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || v[0] == '-' || n > max) {
        cli_usage_error(c->cmd, "%s needs a whole number up to %zu, not '%s'", opt, max, v);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

/* Parses the command line into 'c'.  Returns -1 to go on, else an exit code. */
static int parse(report_cli *c, unsigned which, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->cmd = which == FOR_TOP ? "top " : which == FOR_SCORES ? "scores " : "drivers ";
    c->db = "tema.db";
    tema_report_opts_init(&c->o);
    int opt;
    size_t n;
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (opt == 'h' || opt == OPT_HELP) {
            help(which);
            return cli_finish(EXIT_OK);
        }
        if (opt == ':')
            return cli_usage_error(c->cmd, "option '%s' needs a value", argv[optind - 1]);
        if (opt >= OPT_DB && opt <= OPT_HELP && !(opt_for[opt - OPT_DB] & which)) {
            for (const struct option *lo = longopts; lo->name; lo++)
                if (lo->val == opt)
                    return cli_usage_error(c->cmd, "unknown option '--%s'", lo->name);
        }
        if (opt < OPT_DB || opt > OPT_HELP)
            return cli_usage_error(c->cmd, "unknown option '%s'", argv[optind - 1]);
        const char *v = optarg;
        switch (opt) {
        case OPT_DB: c->db = v; break;
        case OPT_FORMAT:
            if (strcmp(v, "table") == 0)
                c->format = FMT_TABLE;
            else if (strcmp(v, "csv") == 0)
                c->format = FMT_CSV;
            else if (strcmp(v, "json") == 0)
                c->format = FMT_JSON;
            else if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0)
                c->format = FMT_MD;
            else if (strcmp(v, "html") == 0)
                c->format = FMT_HTML;
            else
                return cli_usage_error(c->cmd, "unknown format '%s' (use table, csv, json, md, html)",
                                       v);
            break;
        case OPT_TOUCHPOINT: c->o.touchpoint = v; break;
        case OPT_THEME: c->o.theme = v; break;
        case OPT_LANG: {
            tema_lang l;
            if (tema_lang_parse(v, strlen(v), &l) != TEMA_OK)
                return cli_usage_error(c->cmd, "unknown language '%s' (use sv, da, no or en)", v);
            c->o.lang = tema_lang_code(l);
            break;
        }
        case OPT_SINCE: c->o.since = v; break;
        case OPT_UNTIL: c->o.until = v; break;
        case OPT_SEGMENT: {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v)
                return cli_usage_error(c->cmd, "--segment needs COLUMN=VALUE, not '%s'", v);
            if (c->o.n_segments == MAX_SEGMENTS)
                return cli_usage_error(c->cmd, "at most %d --segment filters", MAX_SEGMENTS);
            char *copy = strdup(v);
            if (!copy) {
                cli_error("out of memory");
                return EXIT_FATAL;
            }
            c->seg_buf[c->o.n_segments] = copy;
            copy[eq - v] = '\0';
            c->seg[c->o.n_segments].name = copy;
            c->seg[c->o.n_segments].value = copy + (eq - v) + 1;
            c->o.n_segments++;
            c->o.segments = c->seg;
            break;
        }
        case OPT_RUN:
            if (parse_size(c, "--run", v, (size_t)1 << 62, &n))
                return EXIT_USAGE;
            if (n == 0)
                return cli_usage_error(c->cmd, "--run needs a run id (1 or more)");
            c->o.run_id = (int64_t)n;
            break;
        case OPT_MIN_MENTIONS:
            if (parse_size(c, "--min-mentions", v, 1000000000, &c->o.min_mentions))
                return EXIT_USAGE;
            break;
        case OPT_LIMIT:
            if (parse_size(c, "--limit", v, 1000000, &c->o.limit))
                return EXIT_USAGE;
            break;
        case OPT_EXAMPLES:
            if (parse_size(c, "--examples", v, 3, &c->o.max_examples))
                return EXIT_USAGE;
            break;
        case OPT_PERIOD:
            if (strcmp(v, "month") == 0)
                c->o.period = TEMA_PERIOD_MONTH;
            else if (strcmp(v, "quarter") == 0)
                c->o.period = TEMA_PERIOD_QUARTER;
            else if (strcmp(v, "week") == 0)
                c->o.period = TEMA_PERIOD_WEEK;
            else
                return cli_usage_error(c->cmd, "unknown period '%s' (use month, quarter, week)",
                                       v);
            break;
        case OPT_COMPARE:
            c->o.compare = (strcmp(v, "prev") == 0 || strcmp(v, "previous") == 0) ? "" : v;
            break;
        case OPT_BY:
            if (strcmp(v, "touchpoint") == 0) {
                c->o.by = TEMA_BY_TOUCHPOINT;
            } else if (strncmp(v, "segment:", 8) == 0 && v[8]) {
                c->o.by = TEMA_BY_SEGMENT;
                c->o.by_segment = v + 8;
            } else if (strcmp(v, "period:month") == 0 || strcmp(v, "month") == 0) {
                c->o.by = TEMA_BY_PERIOD;
                c->o.period = TEMA_PERIOD_MONTH;
            } else if (strcmp(v, "period:quarter") == 0 || strcmp(v, "quarter") == 0) {
                c->o.by = TEMA_BY_PERIOD;
                c->o.period = TEMA_PERIOD_QUARTER;
            } else if (strcmp(v, "period:week") == 0 || strcmp(v, "week") == 0) {
                c->o.by = TEMA_BY_PERIOD;
                c->o.period = TEMA_PERIOD_WEEK;
            } else {
                return cli_usage_error(c->cmd,
                                       "unknown grouping '%s' (use touchpoint, segment:COLUMN, "
                                       "period:month, period:quarter or period:week)",
                                       v);
            }
            break;
        case OPT_METRIC:
            if (strcmp(v, "nps") == 0)
                c->o.metric = TEMA_METRIC_NPS;
            else if (strcmp(v, "csat") == 0)
                c->o.metric = TEMA_METRIC_CSAT;
            else if (strcmp(v, "ces") == 0)
                c->o.metric = TEMA_METRIC_CES;
            else if (strcmp(v, "sentiment") == 0)
                c->o.metric = TEMA_METRIC_SENTIMENT;
            else
                return cli_usage_error(c->cmd,
                                       "unknown metric '%s' (use nps, csat, ces, sentiment)", v);
            break;
        case OPT_CSAT_TOP:
            if (parse_size(c, "--csat-top", v, 5, &n))
                return EXIT_USAGE;
            if (n < 1)
                return cli_usage_error(c->cmd, "--csat-top must be 1-5");
            c->o.csat_top = (int)n;
            break;
        case OPT_CES_SCALE:
            if (strcmp(v, "1-7") == 0 || strcmp(v, "7") == 0)
                c->o.ces_max = 7;
            else if (strcmp(v, "1-5") == 0 || strcmp(v, "5") == 0)
                c->o.ces_max = 5;
            else
                return cli_usage_error(c->cmd, "unknown CES scale '%s' (use 1-7 or 1-5)", v);
            break;
        case OPT_CES_DIRECTION:
            if (strcmp(v, "higher-is-better") == 0)
                c->o.ces_lower_better = 0;
            else if (strcmp(v, "lower-is-better") == 0)
                c->o.ces_lower_better = 1;
            else
                return cli_usage_error(
                    c->cmd, "unknown CES direction '%s' (higher-is-better, lower-is-better)", v);
            break;
        case OPT_CES_FORMULA:
            if (strcmp(v, "mean") == 0)
                c->o.ces_formula = TEMA_CES_MEAN;
            else if (strcmp(v, "top-box") == 0)
                c->o.ces_formula = TEMA_CES_TOP_BOX;
            else
                return cli_usage_error(c->cmd, "unknown CES formula '%s' (mean, top-box)", v);
            break;
        default: return cli_usage_error(c->cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(c->cmd, "unexpected argument '%s'", argv[optind]);
    if (c->o.compare && c->o.period == TEMA_PERIOD_NONE)
        return cli_usage_error(c->cmd, "--compare needs --period");
    return -1;
}

static void report_cli_free(report_cli *c)
{
    for (size_t i = 0; i < MAX_SEGMENTS; i++)
        free(c->seg_buf[i]);
}

/* Opens the store read-only; prints why not and returns NULL. */
static int run_report(int kind, int argc, char **argv);

static tema_store *open_store(const report_cli *c, unsigned flags)
{
    tema_store *s = NULL;
    tema_status st = tema_store_open(c->db, flags, &s);
    if (st != TEMA_OK) {
        const char *msg = s ? tema_store_errmsg(s) : "";
        cli_error("%s", *msg ? msg : tema_errstr(st));
        tema_store_close(s);
        return NULL;
    }
    return s;
}

/* Exit code for a failed report: bad options are usage errors. */
static int report_failed(tema_store *s, tema_status st)
{
    const char *msg = tema_store_errmsg(s);
    cli_error("%s", *msg ? msg : tema_errstr(st));
    return st == TEMA_ERR_MISUSE ? EXIT_USAGE : EXIT_FATAL;
}

/* ------------------------------------------------------------------ */
/* Formatting helpers                                                 */
/* ------------------------------------------------------------------ */

/* CSV text field per RFC 4180: quoted when it holds a comma, quote or line
 * break.  These files are opened in spreadsheets, and a cell that starts
 * with = + - @ TAB or CR is run there as a formula (OWASP "CSV Injection"),
 * so such text, a customer's quote or segment value, gets a leading single
 * quote as OWASP advises; numbers never come through here. */
static void csv_field(const char *s, size_t len, int last)
{
    int quote = 0;
    int defuse = len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                             s[0] == '\t' || s[0] == '\r');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (quote) {
        putchar('"');
        if (defuse)
            putchar('\'');
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '"')
                putchar('"');
            putchar(s[i]);
        }
        putchar('"');
    } else {
        if (defuse)
            putchar('\'');
        fwrite(s, 1, len, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

static void csv_str(const char *s) { csv_field(s ? s : "", s ? strlen(s) : 0, 0); }

static void csv_num(double v, const char *f)
{
    if (isfinite(v))
        printf(f, v);
    putchar(',');
}

static void csv_int(size_t v) { printf("%zu,", v); }

/* "18.8%", or "-" for NAN. */
static const char *pct(double share, char *buf, size_t cap)
{
    if (!isfinite(share))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.1f%%", 100.0 * share);
    return buf;
}

/* A score in its usual unit: NPS "+12", CSAT "84%", CES "5.31". */
static const char *score_str(const tema_score_summary *s, char *buf, size_t cap)
{
    if (s->n == 0 || !isfinite(s->value))
        snprintf(buf, cap, "-");
    else if (s->type == TEMA_SCORE_NPS)
        snprintf(buf, cap, "%+.0f", s->value);
    else if (s->type == TEMA_SCORE_CSAT)
        snprintf(buf, cap, "%.0f%%", s->value);
    else
        snprintf(buf, cap, "%.2f", s->value);
    return buf;
}

static const char *score_label(tema_score_type t)
{
    return t == TEMA_SCORE_NPS ? "NPS" : t == TEMA_SCORE_CSAT ? "CSAT" : t == TEMA_SCORE_CES ? "CES"
                                                                                             : "score";
}

/* Code points in UTF-8 'len' bytes (the display width, near enough for
 * the Latin scripts of the four languages). */
static size_t width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Bytes of the first 'maxw' code points of 's'. */
static size_t cut(const char *s, size_t len, size_t maxw)
{
    size_t w = 0, i = 0;
    while (i < len) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (w == maxw)
                break;
            w++;
        }
        i++;
    }
    return i;
}

/* Prints 's' padded or cut to 'w' columns. */
static void cell(const char *s, size_t w)
{
    size_t len = strlen(s), b = cut(s, len, w);
    fwrite(s, 1, b, stdout);
    for (size_t k = width(s, b); k < w; k++)
        putchar(' ');
}

/* Writes example 'e' with the mention between 'open' and 'close'; line
 * breaks become spaces.  'maxw' > 0 cuts the text to about that many
 * columns around the mention, with "..." marks. */
static void put_example(const tema_example *e, const char *open, const char *close, size_t maxw,
                        void (*emit)(const char *, size_t))
{
    size_t a = e->hl_start, b = e->hl_end, from = 0, to = e->len;
    int hl = b > a;
    if (maxw && width(e->text, e->len) > maxw) {
        /* keep the mention in view: start up to a third of the width before it */
        if (hl && width(e->text, a) > maxw / 3) {
            size_t skip = width(e->text, a) - maxw / 3;
            from = cut(e->text, e->len, skip);
        }
        to = from + cut(e->text + from, e->len - from, maxw - 6);
        if (hl && b > to)
            hl = 0;
    }
    if (from > 0)
        emit("...", 3);
    size_t i = from;
    while (i < to) {
        if (hl && i == a)
            emit(open, strlen(open));
        if (hl && i == b)
            emit(close, strlen(close));
        if (e->text[i] == '\n' || e->text[i] == '\r') {
            emit(" ", 1);
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < to && e->text[j] != '\n' && e->text[j] != '\r' && !(hl && (j == a || j == b)))
            j++;
        emit(e->text + i, j - i);
        i = j;
    }
    if (hl && b == to)
        emit(close, strlen(close));
    if (to < e->len)
        emit("...", 3);
}

static void emit_stdout(const char *s, size_t n) { fwrite(s, 1, n, stdout); }

/* Markdown table cells must not hold '|' or line breaks. */
static void emit_md(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|')
            fputs("\\|", stdout);
        else
            putchar(s[i]);
    }
}


/* A growable string, for JSON fields built from pieces. */
typedef struct sbuf {
    char *p;     /* bytes */
    size_t len;  /* in use */
    size_t cap;  /* allocated */
} sbuf;

static sbuf *emit_target;
static void emit_sbuf(const char *s, size_t n)
{
    sbuf *b = emit_target;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Writes 's' HTML-escaped (& < > " ') through 'emit': the one escaper of
 * the JSON field examples_html and the HTML pages.  The store holds valid
 * UTF-8, but a page must stay valid whatever it holds, so invalid
 * sequences become U+FFFD (the copy is made only then; without memory for
 * it the text is left out rather than written invalid). */
static void html_escape(const char *s, size_t n, void (*emit)(const char *, size_t))
{
    char *fixed = NULL;
    if (tema_utf8_invalid_count(s, n)) {
        size_t cap = 3 * n, len = 0; /* enough, says tema_utf8_repair() */
        fixed = malloc(cap);
        if (!fixed || tema_utf8_repair(s, n, fixed, cap, &len, NULL) != TEMA_OK) {
            free(fixed);
            return;
        }
        s = fixed;
        n = len;
    }
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < n; i++) {
        const char *ent = s[i] == '&'    ? "&amp;"
                          : s[i] == '<'  ? "&lt;"
                          : s[i] == '>'  ? "&gt;"
                          : s[i] == '"'  ? "&quot;"
                          : s[i] == '\'' ? "&#39;"
                                         : NULL;
        if (ent) {
            emit(s + run, i - run);
            emit(ent, strlen(ent));
            run = i + 1;
        }
    }
    emit(s + run, n - run);
    free(fixed);
}

static void emit_html_stdout(const char *s, size_t n) { html_escape(s, n, emit_stdout); }

/* Example 'e' as HTML: escaped, the mention (when known) in <mark>. */
static void example_html(const tema_example *e, void (*emit)(const char *, size_t))
{
    if (e->hl_end > e->hl_start) {
        html_escape(e->text, e->hl_start, emit);
        emit("<mark>", 6);
        html_escape(e->text + e->hl_start, e->hl_end - e->hl_start, emit);
        emit("</mark>", 7);
        html_escape(e->text + e->hl_end, e->len - e->hl_end, emit);
    } else {
        html_escape(e->text, e->len, emit);
    }
}

/* ------------------------------------------------------------------ */
/* Tables in Markdown or HTML                                         */
/* ------------------------------------------------------------------ */

/* A table head: 'n' column titles, the first 'left' of them left-aligned
 * and the rest (numbers) right-aligned.  Markdown titles are written as
 * they are (they come from the program and from period names). */
static void tbl_head(fmt f, const char *const *cols, size_t n, size_t left)
{
    if (f == FMT_HTML) {
        fputs("<table>\n<thead><tr>", stdout);
        for (size_t i = 0; i < n; i++) {
            fputs(i < left ? "<th>" : "<th class=\"n\">", stdout);
            emit_html_stdout(cols[i], strlen(cols[i]));
            fputs("</th>", stdout);
        }
        fputs("</tr></thead>\n<tbody>\n", stdout);
        return;
    }
    putchar('|');
    for (size_t i = 0; i < n; i++)
        printf(" %s |", cols[i]);
    printf("\n|");
    for (size_t i = 0; i < n; i++)
        fputs(i < left ? "---|" : "---:|", stdout);
    putchar('\n');
}

static void tbl_end(fmt f)
{
    if (f == FMT_HTML)
        fputs("</tbody>\n</table>\n", stdout);
}

/* Opens a row; 'cls' names its kind for the page's style (HTML only). */
static void row_open(fmt f, const char *cls)
{
    if (f != FMT_HTML)
        putchar('|');
    else if (cls)
        printf("<tr class=\"%s\">", cls);
    else
        fputs("<tr>", stdout);
}

static void row_close(fmt f) { fputs(f == FMT_HTML ? "</tr>\n" : "\n", stdout); }

/* A cell of text from the store, escaped for the format. */
static void cell_text(fmt f, const char *s)
{
    if (f == FMT_HTML) {
        fputs("<td>", stdout);
        emit_html_stdout(s, strlen(s));
        fputs("</td>", stdout);
    } else {
        putchar(' ');
        emit_md(s, strlen(s));
        fputs(" |", stdout);
    }
}

/* A right-aligned cell of the program's own formatting (no escaping). */
static void cell_num(fmt f, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void cell_num(fmt f, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fputs(f == FMT_HTML ? "<td class=\"n\">" : " ", stdout);
    vprintf(format, ap);
    fputs(f == FMT_HTML ? "</td>" : " |", stdout);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* The HTML page                                                      */
/* ------------------------------------------------------------------ */

/* Small and readable, printable, no external resources. */
static const char html_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;margin:2em;"
    "color:#222;line-height:1.4}\n"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:.8em 0}\n"
    "th,td{border:1px solid #bbb;padding:.3em .6em;vertical-align:top}\n"
    "th{background:#eee;text-align:left}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tr.touchpoint td{background:#f4f4f4;font-weight:bold}\n"
    "tr.irritant td:not(.n):not(:empty){padding-left:1.6em}\n"
    "tr.quotes ul{margin:.1em 0;padding-left:1.2em}\n"
    "mark{background:#ffe27a;padding:0 .1em}\n"
    ".note{color:#555;font-size:.9em}\n";

/* The filters of the scope, escaped: "lang sv, since 2025-04-01, ...", or
 * "none". */
static void html_filters(const report_cli *c)
{
    const char *names[] = {"lang ", "since ", "until ", "touchpoint ", "theme "};
    const char *vals[] = {c->o.lang, c->o.since, c->o.until, c->o.touchpoint, c->o.theme};
    int any = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!vals[i])
            continue;
        fputs(any++ ? ", " : "", stdout);
        fputs(names[i], stdout);
        emit_html_stdout(vals[i], strlen(vals[i]));
    }
    for (size_t i = 0; i < c->o.n_segments; i++) {
        fputs(any++ ? ", " : "", stdout);
        emit_html_stdout(c->seg[i].name, strlen(c->seg[i].name));
        fputs(" = ", stdout);
        emit_html_stdout(c->seg[i].value, strlen(c->seg[i].value));
    }
    if (c->o.run_id)
        printf("%srun %lld", any++ ? ", " : "", (long long)c->o.run_id);
    if (!any)
        fputs("none", stdout);
}

/* The page up to its heading 'report', with 'comments' in scope in the
 * title; the caller writes the body, then html_end(). */
/* The page up to its first table; 'counted' says what 'comments' are
 * ("in scope", or for drivers "with a score" of the metric). */
static void html_begin(const char *report, size_t comments, const char *counted,
                       const report_cli *c)
{
    printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>%s: %zu comments %s, filters: ",
           report, comments, counted);
    html_filters(c);
    printf("</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>%s</h1>\n", html_style, report);
    printf("<p class=\"scope\">%zu comments %s. Filters: ", comments, counted);
    html_filters(c);
    fputs(".</p>\n", stdout);
}

static void html_end(void) { fputs("</body>\n</html>\n", stdout); }

/* ------------------------------------------------------------------ */
/* tema top                                                           */
/* ------------------------------------------------------------------ */

static const char *flag_word(int flag)
{
    return flag > 0 ? "rise" : flag < 0 ? "fall" : "";
}

/* The name column fits the longest id in the report (sub-themes indented
 * by two), so an id is never cut, within these bounds. */
#define NAME_W_MIN 30
#define NAME_W_MAX 60
static size_t name_w = NAME_W_MIN;

static void fit_name_column(const tema_top_report *r)
{
    name_w = NAME_W_MIN;
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        for (size_t i = 0; i <= tp->n_irritants; i++) {
            const tema_top_item *it = i == 0 ? tp : &tp->irritants[i - 1];
            size_t w = width(it->id, strlen(it->id)) + (i ? 2 : 0);
            if (w > name_w)
                name_w = w < NAME_W_MAX ? w : NAME_W_MAX;
        }
    }
}

/* The name column of the top tables: an irritant is indented under its
 * touchpoint. */
static void name_cell(const char *name, int indent)
{
    /* no copy: a 60-column id of å, ä, ö is more bytes than any small buffer */
    if (indent)
        fputs("  ", stdout);
    cell(name, name_w - (indent ? 2 : 0));
}

static void top_table_row(size_t rank, const char *name, int indent, const tema_top_item *it,
                          tema_score_type scale)
{
    char a[16], lo[16], hi[16], ci[40], sw[16], so[16];
    if (rank)
        printf("%2zu ", rank);
    else
        printf("   ");
    name_cell(name, indent);
    snprintf(ci, sizeof ci, "%s-%s", pct(it->share_lo, lo, sizeof lo), pct(it->share_hi, hi,
                                                                           sizeof hi));
    char sv[16] = "-";
    if (isfinite(it->sentiment))
        snprintf(sv, sizeof sv, "%+.2f", it->sentiment);
    printf(" %6zu %6zu %7s  %-13s %6s", it->complaints, it->mentions, pct(it->share, a, sizeof a),
           ci, sv);
    if (scale != TEMA_SCORE_NONE)
        printf("  %5s / %s", score_str(&it->with_score, sw, sizeof sw),
               score_str(&it->without_score, so, sizeof so));
    putchar('\n');
}

/* The complaint share of 'it' in period 'p', or 'none' without comments. */
static const char *period_share(const tema_top_item *it, size_t p, const char *none, char *buf,
                                size_t cap)
{
    return it->trend[p].comments
               ? pct((double)it->trend[p].complaints / (double)it->trend[p].comments, buf, cap)
               : none;
}

/* The change and p of 'it' between the two periods, 'none' where undefined. */
static void change_texts(const tema_top_item *it, const char *none, char ch[24], char pv[24])
{
    if (isfinite(it->change.change))
        snprintf(ch, 24, "%+.1f pp", 100.0 * it->change.change);
    else
        snprintf(ch, 24, "%s", none);
    if (isfinite(it->change.p))
        snprintf(pv, 24, "%.4f", it->change.p);
    else
        snprintf(pv, 24, "%s", none);
}

/* The complaint share per period of 'it' from period 'first' on. */
static void trend_cells(const tema_top_report *r, const tema_top_item *it, size_t first)
{
    char a[16];
    for (size_t p = first; p < r->n_periods; p++)
        printf(" %8s", period_share(it, p, "-", a, sizeof a));
    putchar('\n');
}

/* The comparison of the two periods for 'it'. */
static void change_cells(const tema_top_item *it)
{
    char a[16], b[16], ch[24], pv[24];
    change_texts(it, "-", ch, pv);
    printf(" %8s %8s %9s %8s  %s\n", pct(it->change.prev_share, a, sizeof a),
           pct(it->change.share, b, sizeof b), ch, pv, flag_word(it->change.flag));
}

/* A line per touchpoint and per irritant under it: the name column, then
 * the share per period from 'first' on, or with 'compare' the comparison
 * of the two periods. */
static void top_table_items(const tema_top_report *r, size_t first, bool compare)
{
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        for (size_t i = 0; i <= tp->n_irritants; i++) {
            const tema_top_item *it = i == 0 ? tp : &tp->irritants[i - 1];
            printf("   ");
            name_cell(it->id, i > 0);
            if (compare)
                change_cells(it);
            else
                trend_cells(r, it, first);
        }
    }
}

static void top_table(const tema_top_report *r, const report_cli *c)
{
    printf("%zu comments in scope", r->comments);
    if (r->score_type != TEMA_SCORE_NONE)
        printf("; %s of comments with / without each item", score_label(r->score_type));
    printf(".\nShare = comments complaining / comments in scope, with its 95%% Wilson interval.\n\n");
    fit_name_column(r);
    if (r->n_touchpoints == 0) {
        printf("No theme mentions in scope.\n");
        return;
    }
    printf("   ");
    cell("Touchpoint / irritant", name_w);
    printf(" %6s %6s %7s  %-13s %6s", "Compl.", "Ment.", "Share", "95% CI", "Sent.");
    if (r->score_type != TEMA_SCORE_NONE) {
        char h[24];
        snprintf(h, sizeof h, "%s with / w/o", score_label(r->score_type));
        printf("  %s", h);
    }
    putchar('\n');
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        top_table_row(t + 1, tp->id, 0, tp, r->score_type);
        for (size_t i = 0; i < tp->n_irritants; i++) {
            const tema_top_item *it = &tp->irritants[i];
            top_table_row(0, it->id, 1, it, r->score_type);
            for (size_t e = 0; e < it->n_examples; e++) {
                printf("       \"");
                put_example(&it->examples[e], "\xc2\xab", "\xc2\xbb", 88, emit_stdout);
                printf("\"\n");
            }
        }
    }
    if (r->n_periods && !r->current) {
        /* the latest periods that fit in 100 columns (with ids of up to 28) */
        size_t show = r->n_periods < 8 ? r->n_periods : 8, first = r->n_periods - show;
        printf("\nComplaint share by period%s\n   ", first ? " (latest 8; all in --format csv)" : "");
        cell("Touchpoint / irritant", name_w);
        for (size_t p = first; p < r->n_periods; p++)
            printf(" %8s", r->periods[p]);
        putchar('\n');
        top_table_items(r, first, false);
    }
    if (r->current) {
        printf("\nComplaint share %s vs %s (two-proportion z-test; flagged when p < 0.05)\n   ",
               r->current, r->previous);
        cell("Touchpoint / irritant", name_w);
        printf(" %8s %8s %9s %8s  %s\n", r->previous, r->current, "Change", "p", "Flag");
        top_table_items(r, 0, true);
    }
    (void)c;
}

static void top_csv_row(const tema_top_report *r, const char *level, size_t rank, const char *tp,
                        const tema_top_item *it)
{
    csv_str(level);
    csv_int(rank);
    csv_str(tp);
    csv_str(strcmp(level, "irritant") == 0 ? it->id : "");
    csv_int(it->complaints);
    csv_int(it->mentions);
    csv_int(it->comments);
    csv_num(it->share, "%.4f");
    csv_num(it->share_lo, "%.4f");
    csv_num(it->share_hi, "%.4f");
    csv_num(it->sentiment, "%.3f");
    csv_str(tema_score_type_name(r->score_type));
    csv_num(it->with_score.value, "%.2f");
    csv_int(it->with_score.n);
    csv_num(it->without_score.value, "%.2f");
    csv_int(it->without_score.n);
    for (size_t p = 0; p < r->n_periods; p++) {
        csv_int(it->trend[p].complaints);
        csv_int(it->trend[p].mentions);
        csv_int(it->trend[p].comments);
    }
    if (r->current) {
        csv_num(it->change.prev_share, "%.4f");
        csv_num(it->change.share, "%.4f");
        csv_num(it->change.change, "%.4f");
        csv_num(it->change.z, "%.3f");
        csv_num(it->change.p, "%.4f");
        csv_str(flag_word(it->change.flag));
    }
    for (size_t e = 0; e < 3; e++) {
        const char *s = e < it->n_examples ? it->examples[e].text : "";
        size_t len = e < it->n_examples ? it->examples[e].len : 0;
        csv_field(s, len, e == 2);
    }
}

static void top_csv(const tema_top_report *r)
{
    printf("level,rank,touchpoint,theme,complaints,mentions,comments,share,share_lo,share_hi,"
           "sentiment,score_type,score_with,n_with,score_without,n_without,");
    for (size_t p = 0; p < r->n_periods; p++)
        printf("complaints_%s,mentions_%s,comments_%s,", r->periods[p], r->periods[p],
               r->periods[p]);
    if (r->current)
        printf("share_%s,share_%s,change,z,p,flag,", r->previous, r->current);
    printf("example_1,example_2,example_3\r\n");
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        top_csv_row(r, "touchpoint", t + 1, tp->id, tp);
        for (size_t i = 0; i < tp->n_irritants; i++)
            top_csv_row(r, "irritant", i + 1, tp->id, &tp->irritants[i]);
    }
}

static void json_score(jsonout *j, const tema_score_summary *s)
{
    jo_object(j);
    jo_key(j, "type");
    jo_str(j, tema_score_type_name(s->type));
    jo_key(j, "value");
    jo_num(j, s->value);
    jo_key(j, "moe95");
    jo_num(j, s->moe95);
    jo_key(j, "n");
    jo_int(j, (int64_t)s->n);
    jo_key(j, "promoters");
    jo_int(j, (int64_t)s->promoters);
    jo_key(j, "passives");
    jo_int(j, (int64_t)s->passives);
    jo_key(j, "detractors");
    jo_int(j, (int64_t)s->detractors);
    jo_object_end(j);
}

static void top_json_item(jsonout *j, const tema_top_report *r, const tema_top_item *it, int tp)
{
    jo_object(j);
    jo_key(j, tp ? "touchpoint" : "theme");
    jo_str(j, it->id);
    jo_key(j, "complaints");
    jo_int(j, (int64_t)it->complaints);
    jo_key(j, "mentions");
    jo_int(j, (int64_t)it->mentions);
    jo_key(j, "comments");
    jo_int(j, (int64_t)it->comments);
    jo_key(j, "share");
    jo_num(j, it->share);
    jo_key(j, "share_ci95");
    jo_array(j);
    jo_num(j, it->share_lo);
    jo_num(j, it->share_hi);
    jo_array_end(j);
    jo_key(j, "sentiment");
    jo_num(j, it->sentiment);
    jo_key(j, "mention_rows");
    jo_int(j, (int64_t)it->mention_rows);
    if (r->score_type != TEMA_SCORE_NONE) {
        jo_key(j, "score_with");
        json_score(j, &it->with_score);
        jo_key(j, "score_without");
        json_score(j, &it->without_score);
    }
    if (r->n_periods) {
        jo_key(j, "trend");
        jo_array(j);
        for (size_t p = 0; p < r->n_periods; p++) {
            const tema_trend_point *t = &it->trend[p];
            jo_object(j);
            jo_key(j, "period");
            jo_str(j, r->periods[p]);
            jo_key(j, "complaints");
            jo_int(j, (int64_t)t->complaints);
            jo_key(j, "mentions");
            jo_int(j, (int64_t)t->mentions);
            jo_key(j, "comments");
            jo_int(j, (int64_t)t->comments);
            jo_key(j, "share");
            jo_num(j, t->comments ? (double)t->complaints / (double)t->comments : NAN);
            jo_object_end(j);
        }
        jo_array_end(j);
    }
    if (r->current) {
        jo_key(j, "change");
        jo_object(j);
        jo_key(j, "previous_share");
        jo_num(j, it->change.prev_share);
        jo_key(j, "share");
        jo_num(j, it->change.share);
        jo_key(j, "change");
        jo_num(j, it->change.change);
        jo_key(j, "z");
        jo_num(j, it->change.z);
        jo_key(j, "p");
        jo_num(j, it->change.p);
        jo_key(j, "flag");
        jo_str(j, it->change.flag ? flag_word(it->change.flag) : NULL);
        jo_object_end(j);
    }
    if (!tp) {
        jo_key(j, "examples");
        jo_array(j);
        for (size_t e = 0; e < it->n_examples; e++)
            jo_strn(j, it->examples[e].text, it->examples[e].len);
        jo_array_end(j);
        jo_key(j, "examples_html");
        jo_array(j);
        sbuf b = {0};
        emit_target = &b;
        for (size_t e = 0; e < it->n_examples; e++) {
            b.len = 0;
            emit_sbuf("", 0);
            example_html(&it->examples[e], emit_sbuf);
            jo_strn(j, b.p ? b.p : "", b.len);
        }
        free(b.p);
        jo_array_end(j);
        jo_key(j, "highlights");
        jo_array(j);
        for (size_t e = 0; e < it->n_examples; e++) {
            const tema_example *ex = &it->examples[e];
            if (ex->hl_end > ex->hl_start) {
                jo_array(j);
                jo_int(j, (int64_t)ex->hl_start);
                jo_int(j, (int64_t)ex->hl_end);
                jo_array_end(j);
            } else {
                jo_null(j);
            }
        }
        jo_array_end(j);
    } else {
        jo_key(j, "irritants");
        jo_array(j);
        for (size_t i = 0; i < it->n_irritants; i++)
            top_json_item(j, r, &it->irritants[i], 0);
        jo_array_end(j);
    }
    jo_object_end(j);
}

static void json_scope(jsonout *j, const report_cli *c)
{
    jo_key(j, "db");
    jo_str(j, c->db);
    jo_key(j, "lang");
    jo_str(j, c->o.lang);
    jo_key(j, "since");
    jo_str(j, c->o.since);
    jo_key(j, "until");
    jo_str(j, c->o.until);
    jo_key(j, "run");
    if (c->o.run_id)
        jo_int(j, c->o.run_id);
    else
        jo_null(j);
    jo_key(j, "segments");
    jo_object(j);
    for (size_t i = 0; i < c->o.n_segments; i++) {
        jo_key(j, c->seg[i].name);
        jo_str(j, c->seg[i].value);
    }
    jo_object_end(j);
    jo_key(j, "touchpoint");
    jo_str(j, c->o.touchpoint);
    jo_key(j, "theme");
    jo_str(j, c->o.theme);
}

/* Starts the report's JSON document, at its "scope" object (left open). */
static void json_start(jsonout *j)
{
    jo_init(j, stdout);
    jo_object(j);
    jo_key(j, "scope");
    jo_object(j);
}

static void top_json(const tema_top_report *r, const report_cli *c)
{
    jsonout j;
    json_start(&j);
    jo_key(&j, "comments");
    jo_int(&j, (int64_t)r->comments);
    json_scope(&j, c);
    jo_key(&j, "score_type");
    jo_str(&j, r->score_type ? tema_score_type_name(r->score_type) : NULL);
    jo_key(&j, "share_definition");
    jo_str(&j, "complaints / comments in scope; complaints and mentions count comments");
    static const char *const pnames[] = {NULL, "month", "quarter", "week"};
    jo_key(&j, "period");
    jo_str(&j, pnames[r->period]);
    jo_key(&j, "periods");
    jo_array(&j);
    for (size_t p = 0; p < r->n_periods; p++)
        jo_str(&j, r->periods[p]);
    jo_array_end(&j);
    jo_key(&j, "current");
    jo_str(&j, r->current);
    jo_key(&j, "previous");
    jo_str(&j, r->previous);
    jo_object_end(&j);
    jo_key(&j, "touchpoints");
    jo_array(&j);
    for (size_t t = 0; t < r->n_touchpoints; t++)
        top_json_item(&j, r, &r->touchpoints[t], 1);
    jo_array_end(&j);
    jo_object_end(&j);
}

/* The number cells of a top row: complaints, mentions, share with its
 * interval, sentiment, the score with / without (when there is a scale)
 * and, with 'change', the change since the previous period. */
static void top_cells(fmt f, const tema_top_report *r, const tema_top_item *it, bool change)
{
    char a[16], lo[16], hi[16], sw[16], so[16];
    cell_num(f, "%zu", it->complaints);
    cell_num(f, "%zu", it->mentions);
    cell_num(f, "%s (%s–%s)", pct(it->share, a, sizeof a), pct(it->share_lo, lo, sizeof lo),
             pct(it->share_hi, hi, sizeof hi));
    if (isfinite(it->sentiment))
        cell_num(f, "%+.2f", it->sentiment);
    else
        cell_num(f, "–");
    if (r->score_type != TEMA_SCORE_NONE)
        cell_num(f, "%s / %s", score_str(&it->with_score, sw, sizeof sw),
                 score_str(&it->without_score, so, sizeof so));
    if (change) {
        if (isfinite(it->change.change))
            cell_num(f, "%+.1f pp%s", 100.0 * it->change.change,
                     it->change.flag > 0 ? " ▲" : it->change.flag < 0 ? " ▼" : "");
        else
            cell_num(f, "–");
    }
}

/* The head of a top table: the 'nlead' text columns 'lead', then the
 * columns of top_cells(). */
static void top_head(fmt f, const char *const *lead, size_t nlead, const tema_top_report *r,
                     bool change)
{
    char score[32], chg[96];
    const char *cols[8];
    size_t n = 0;
    for (size_t i = 0; i < nlead; i++)
        cols[n++] = lead[i];
    cols[n++] = "Complaints";
    cols[n++] = "Mentions";
    cols[n++] = "Share (95% CI)";
    cols[n++] = "Sentiment";
    if (r->score_type != TEMA_SCORE_NONE) {
        snprintf(score, sizeof score, "%s with / without", score_label(r->score_type));
        cols[n++] = score;
    }
    if (change) {
        snprintf(chg, sizeof chg, "Change %s vs %s", r->current, r->previous);
        cols[n++] = chg;
    }
    tbl_head(f, cols, n, nlead);
}

static void md_row(const char *label, const tema_top_item *it, const tema_top_report *r)
{
    row_open(FMT_MD, NULL);
    cell_text(FMT_MD, label);
    top_cells(FMT_MD, r, it, r->current != NULL);
    row_close(FMT_MD);
}

static void md_header(const char *first, const tema_top_report *r)
{
    top_head(FMT_MD, &first, 1, r, r->current != NULL);
}
static void top_md(const tema_top_report *r)
{
    printf("**Top irritants**: %zu comments in scope. Share = comments complaining / comments in "
           "scope (95%% Wilson interval).",
           r->comments);
    if (r->current)
        printf(" ▲/▼: significant change (two-proportion z-test, p < 0.05).");
    printf("\n\n");
    if (r->n_touchpoints == 0) {
        printf("No theme mentions in scope.\n");
        return;
    }
    md_header("Touchpoint", r);
    for (size_t t = 0; t < r->n_touchpoints; t++)
        md_row(r->touchpoints[t].id, &r->touchpoints[t], r);
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        if (tp->n_irritants == 0)
            continue;
        printf("\n### %zu. ", t + 1);
        emit_md(tp->id, strlen(tp->id));
        printf("\n\n");
        md_header("Irritant", r);
        for (size_t i = 0; i < tp->n_irritants; i++)
            md_row(tp->irritants[i].id, &tp->irritants[i], r);
        int any = 0;
        for (size_t i = 0; i < tp->n_irritants; i++) {
            const tema_top_item *it = &tp->irritants[i];
            for (size_t e = 0; e < it->n_examples; e++) {
                if (!any++)
                    putchar('\n');
                printf("- *%s*: \"", it->id);
                put_example(&it->examples[e], "**", "**", 0, emit_md);
                printf("\"\n");
            }
        }
    }
}

/* The quotes of irritant 'it' under its row, mentions in <mark>. */
static void html_quotes(const tema_top_item *it, size_t span)
{
    if (it->n_examples == 0)
        return;
    printf("<tr class=\"quotes\"><td></td><td colspan=\"%zu\"><ul>\n", span);
    for (size_t e = 0; e < it->n_examples; e++) {
        fputs("<li><q>", stdout);
        example_html(&it->examples[e], emit_stdout);
        fputs("</q></li>\n", stdout);
    }
    fputs("</ul></td></tr>\n", stdout);
}

/* A row of the period or comparison table of 'r' for 'it'. */
static void html_trend_row(const tema_top_report *r, const tema_top_item *it, bool irritant)
{
    char a[16], b[16], ch[24], pv[24];
    row_open(FMT_HTML, irritant ? "irritant" : "touchpoint");
    cell_text(FMT_HTML, it->id);
    if (!r->current) {
        for (size_t p = 0; p < r->n_periods; p++)
            cell_num(FMT_HTML, "%s", period_share(it, p, "–", a, sizeof a));
    } else {
        change_texts(it, "–", ch, pv);
        cell_num(FMT_HTML, "%s", pct(it->change.prev_share, a, sizeof a));
        cell_num(FMT_HTML, "%s", pct(it->change.share, b, sizeof b));
        cell_num(FMT_HTML, "%s", ch);
        cell_num(FMT_HTML, "%s", pv);
        cell_num(FMT_HTML, "%s%s", flag_word(it->change.flag),
                 it->change.flag > 0 ? " ▲" : it->change.flag < 0 ? " ▼" : "");
    }
    row_close(FMT_HTML);
}

/* With --period the complaint share per period, with --compare the
 * comparison of the two periods: a row per touchpoint and irritant. */
static void html_trend(const tema_top_report *r)
{
    const char *const cmp[] = {"Touchpoint / irritant", r->previous, r->current, "Change", "p",
                               "Flag"};
    if (r->current) {
        printf("<h2>Complaint share %s vs %s</h2>\n<p class=\"note\">Two-proportion z-test; "
               "flagged rise or fall when p &lt; 0.05.</p>\n",
               r->current, r->previous);
        tbl_head(FMT_HTML, cmp, sizeof cmp / sizeof *cmp, 1);
    } else {
        /* every period: a page scrolls, unlike the 100-column table */
        fputs("<h2>Complaint share by period</h2>\n<table>\n<thead><tr>"
              "<th>Touchpoint / irritant</th>", stdout);
        for (size_t p = 0; p < r->n_periods; p++) {
            fputs("<th class=\"n\">", stdout);
            emit_html_stdout(r->periods[p], strlen(r->periods[p]));
            fputs("</th>", stdout);
        }
        fputs("</tr></thead>\n<tbody>\n", stdout);
    }
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        html_trend_row(r, tp, false);
        for (size_t i = 0; i < tp->n_irritants; i++)
            html_trend_row(r, &tp->irritants[i], true);
    }
    tbl_end(FMT_HTML);
}

static void top_html(const tema_top_report *r, const report_cli *c)
{
    static const char *const lead[] = {"#", "Touchpoint / irritant"};
    html_begin("Top irritants", r->comments, "in scope", c);
    if (r->score_type != TEMA_SCORE_NONE)
        printf("<p>Scores: %s of the comments with / without each item.</p>\n",
               score_label(r->score_type));
    fputs("<p class=\"note\">Share = comments complaining / comments in scope, with its 95% "
          "Wilson interval.</p>\n",
          stdout);
    if (r->n_touchpoints == 0) {
        fputs("<p>No theme mentions in scope.</p>\n", stdout);
        html_end();
        return;
    }
    top_head(FMT_HTML, lead, 2, r, false);
    size_t span = 5 + (r->score_type != TEMA_SCORE_NONE); /* the columns after '#' */
    for (size_t t = 0; t < r->n_touchpoints; t++) {
        const tema_top_item *tp = &r->touchpoints[t];
        row_open(FMT_HTML, "touchpoint");
        cell_num(FMT_HTML, "%zu", t + 1);
        cell_text(FMT_HTML, tp->id);
        top_cells(FMT_HTML, r, tp, false);
        row_close(FMT_HTML);
        for (size_t i = 0; i < tp->n_irritants; i++) {
            row_open(FMT_HTML, "irritant");
            cell_text(FMT_HTML, "");
            cell_text(FMT_HTML, tp->irritants[i].id);
            top_cells(FMT_HTML, r, &tp->irritants[i], false);
            row_close(FMT_HTML);
            html_quotes(&tp->irritants[i], span);
        }
    }
    tbl_end(FMT_HTML);
    if (r->n_periods)
        html_trend(r);
    html_end();
}

/* Runs tema_top() and prints the report in the chosen format. */
static tema_status print_top(tema_store *s, const report_cli *c)
{
    tema_top_report *r = NULL;
    tema_status st = tema_top(s, &c->o, &r);
    if (st == TEMA_OK) {
        switch (c->format) {
        case FMT_CSV: top_csv(r); break;
        case FMT_JSON: top_json(r, c); break;
        case FMT_MD: top_md(r); break;
        case FMT_HTML: top_html(r, c); break;
        default: top_table(r, c);
        }
    }
    tema_top_free(r);
    return st;
}

int cmd_top(int argc, char **argv)
{
    return run_report(FOR_TOP, argc, argv);
}

/* ------------------------------------------------------------------ */
/* tema scores                                                        */
/* ------------------------------------------------------------------ */

static const char *moe_str(const tema_score_summary *s, char *buf, size_t cap)
{
    if (!isfinite(s->moe95))
        snprintf(buf, cap, "-");
    else if (s->type == TEMA_SCORE_CES && s->value < 10.0)
        snprintf(buf, cap, "%.2f", s->moe95);
    else
        snprintf(buf, cap, "%.1f", s->moe95);
    return buf;
}

static void scores_table(const tema_scores_report *r)
{
    char a[16], b[16], c2[16], d[16], e[16], f[16];
    printf("%-18s %8s %5s %5s %6s %5s %5s %5s %6s %5s %6s %5s %5s %6s\n", "Group", "Comments",
           "NPS", "+/-", "n", "Prom", "Pass", "Detr", "CSAT", "+/-", "n", "CES", "+/-", "n");
    for (size_t i = 0; i < r->n_groups; i++) {
        const tema_scores_group *g = &r->groups[i];
        cell(g->key, 18);
        printf(" %8zu %5s %5s %6zu %5zu %5zu %5zu %6s %5s %6zu %5s %5s %6zu\n", g->comments,
               score_str(&g->nps, a, sizeof a), moe_str(&g->nps, b, sizeof b), g->nps.n,
               g->nps.promoters, g->nps.passives, g->nps.detractors,
               score_str(&g->csat, c2, sizeof c2), moe_str(&g->csat, d, sizeof d), g->csat.n,
               score_str(&g->ces, e, sizeof e), moe_str(&g->ces, f, sizeof f), g->ces.n);
    }
    printf("\nNPS = %% promoters (9-10) - %% detractors (0-6); +/- is the 95%% margin of error.\n");
}

static void scores_csv(const tema_scores_report *r)
{
    printf("group,comments,nps,nps_moe95,nps_n,promoters,passives,detractors,"
           "csat,csat_moe95,csat_n,csat_satisfied,ces,ces_moe95,ces_n\r\n");
    for (size_t i = 0; i < r->n_groups; i++) {
        const tema_scores_group *g = &r->groups[i];
        csv_str(g->key);
        csv_int(g->comments);
        csv_num(g->nps.value, "%.2f");
        csv_num(g->nps.moe95, "%.2f");
        csv_int(g->nps.n);
        csv_int(g->nps.promoters);
        csv_int(g->nps.passives);
        csv_int(g->nps.detractors);
        csv_num(g->csat.value, "%.2f");
        csv_num(g->csat.moe95, "%.2f");
        csv_int(g->csat.n);
        csv_int(g->csat.promoters);
        csv_num(g->ces.value, "%.3f");
        csv_num(g->ces.moe95, "%.3f");
        printf("%zu\r\n", g->ces.n);
    }
}

static void scores_json(const tema_scores_report *r, const report_cli *c)
{
    static const char *const by[] = {"all", "touchpoint", "segment", "period"};
    jsonout j;
    json_start(&j);
    json_scope(&j, c);
    jo_object_end(&j);
    jo_key(&j, "by");
    jo_str(&j, by[c->o.by]);
    if (c->o.by == TEMA_BY_SEGMENT) {
        jo_key(&j, "segment");
        jo_str(&j, c->o.by_segment);
    }
    jo_key(&j, "groups");
    jo_array(&j);
    for (size_t i = 0; i < r->n_groups; i++) {
        const tema_scores_group *g = &r->groups[i];
        jo_object(&j);
        jo_key(&j, "key");
        jo_str(&j, g->key);
        jo_key(&j, "comments");
        jo_int(&j, (int64_t)g->comments);
        jo_key(&j, "nps");
        json_score(&j, &g->nps);
        jo_key(&j, "csat");
        json_score(&j, &g->csat);
        jo_key(&j, "ces");
        json_score(&j, &g->ces);
        jo_object_end(&j);
    }
    jo_array_end(&j);
    jo_object_end(&j);
}

/* The scores table, a row per group. */
static void scores_rows(fmt f, const tema_scores_report *r)
{
    static const char *const cols[] = {"Group",      "Comments", "NPS", "±", "Promoters",
                                       "Passives",   "Detractors", "CSAT", "±", "CES", "±"};
    char a[16], b[16];
    tbl_head(f, cols, sizeof cols / sizeof *cols, 1);
    for (size_t i = 0; i < r->n_groups; i++) {
        const tema_scores_group *g = &r->groups[i];
        row_open(f, NULL);
        cell_text(f, g->key);
        cell_num(f, "%zu", g->comments);
        cell_num(f, "%s", score_str(&g->nps, a, sizeof a));
        cell_num(f, "%s", moe_str(&g->nps, b, sizeof b));
        cell_num(f, "%zu", g->nps.promoters);
        cell_num(f, "%zu", g->nps.passives);
        cell_num(f, "%zu", g->nps.detractors);
        cell_num(f, "%s", score_str(&g->csat, a, sizeof a));
        cell_num(f, "%s", moe_str(&g->csat, b, sizeof b));
        cell_num(f, "%s", score_str(&g->ces, a, sizeof a));
        cell_num(f, "%s", moe_str(&g->ces, b, sizeof b));
        row_close(f);
    }
    tbl_end(f);
}

static const char nps_note[] =
    "NPS = % promoters (9-10) − % detractors (0-6); ± is the 95% margin of error.";

static void scores_md(const tema_scores_report *r)
{
    scores_rows(FMT_MD, r);
    printf("\n%s\n", nps_note);
}

static void scores_html(const tema_scores_report *r, const report_cli *c)
{
    html_begin("NPS, CSAT and CES", r->n_groups ? r->groups[0].comments : 0, "in scope", c);
    scores_rows(FMT_HTML, r);
    printf("<p class=\"note\">%s</p>\n", nps_note);
    html_end();
}

static tema_status print_scores(tema_store *s, const report_cli *c)
{
    tema_scores_report *r = NULL;
    tema_status st = tema_scores(s, &c->o, &r);
    if (st == TEMA_OK) {
        switch (c->format) {
        case FMT_CSV: scores_csv(r); break;
        case FMT_JSON: scores_json(r, c); break;
        case FMT_MD: scores_md(r); break;
        case FMT_HTML: scores_html(r, c); break;
        default: scores_table(r);
        }
    }
    tema_scores_free(r);
    return st;
}

int cmd_scores(int argc, char **argv)
{
    return run_report(FOR_SCORES, argc, argv);
}

/* ------------------------------------------------------------------ */
/* tema drivers                                                       */
/* ------------------------------------------------------------------ */

static const char *const metric_names[] = {"nps", "csat", "ces", "sentiment"};
static const char caveat[] =
    "Association, not causation: these themes go with lower or higher scores in this data;\n"
    "they are not shown to cause them.";

static void drivers_table(const tema_drivers_report *r)
{
    printf("Key drivers of %s: overall %.2f over %zu comments.\n", metric_names[r->metric],
           r->score, r->n);
    printf("Impact = n*(score_theme - score_all)/(N - n): an impact of -5 means the overall\n"
           "score would be 5 higher without the theme's comments.\n%s\n\n", caveat);
    printf("%-32s %6s %8s %8s %8s %6s %7s %8s\n", "Theme", "n", "Score", "Without", "Impact",
           "Detr.", "Share", "p");
    for (size_t i = 0; i < r->n_drivers; i++) {
        const tema_driver *d = &r->drivers[i];
        char a[16], p[16];
        cell(d->theme, 32);
        if (isfinite(d->p))
            snprintf(p, sizeof p, "%.4f%s", d->p, d->p < 0.05 ? "*" : "");
        else
            snprintf(p, sizeof p, "-");
        printf(" %6zu %8.2f %8.2f %+8.2f %6zu %7s %8s\n", d->n, d->score, d->score_without,
               d->impact, d->detractors, pct(d->detractor_share, a, sizeof a), p);
    }
    printf("\n* p < 0.05 (Welch's t-test, with vs without the theme).  Share: of all detractors.\n");
}

static void drivers_csv(const tema_drivers_report *r)
{
    printf("theme,n,score,score_without,impact,detractors,detractor_share,t,p,significant\r\n");
    for (size_t i = 0; i < r->n_drivers; i++) {
        const tema_driver *d = &r->drivers[i];
        csv_str(d->theme);
        csv_int(d->n);
        csv_num(d->score, "%.4f");
        csv_num(d->score_without, "%.4f");
        csv_num(d->impact, "%.4f");
        csv_int(d->detractors);
        csv_num(d->detractor_share, "%.4f");
        csv_num(d->t, "%.4f");
        csv_num(d->p, "%.6f");
        printf("%d\r\n", isfinite(d->p) && d->p < 0.05);
    }
}

static void drivers_json(const tema_drivers_report *r, const report_cli *c)
{
    jsonout j;
    json_start(&j);
    json_scope(&j, c);
    jo_object_end(&j);
    jo_key(&j, "metric");
    jo_str(&j, metric_names[r->metric]);
    jo_key(&j, "n");
    jo_int(&j, (int64_t)r->n);
    jo_key(&j, "score");
    jo_num(&j, r->score);
    jo_key(&j, "note");
    jo_str(&j, "Association, not causation: these themes go with lower or higher scores in "
               "this data; they are not shown to cause them.");
    jo_key(&j, "drivers");
    jo_array(&j);
    for (size_t i = 0; i < r->n_drivers; i++) {
        const tema_driver *d = &r->drivers[i];
        jo_object(&j);
        jo_key(&j, "theme");
        jo_str(&j, d->theme);
        jo_key(&j, "n");
        jo_int(&j, (int64_t)d->n);
        jo_key(&j, "score");
        jo_num(&j, d->score);
        jo_key(&j, "score_without");
        jo_num(&j, d->score_without);
        jo_key(&j, "impact");
        jo_num(&j, d->impact);
        jo_key(&j, "detractors");
        jo_int(&j, (int64_t)d->detractors);
        jo_key(&j, "detractor_share");
        jo_num(&j, d->detractor_share);
        jo_key(&j, "t");
        jo_num(&j, d->t);
        jo_key(&j, "p");
        jo_num(&j, d->p);
        jo_key(&j, "significant");
        jo_bool(&j, isfinite(d->p) && d->p < 0.05);
        jo_object_end(&j);
    }
    jo_array_end(&j);
    jo_object_end(&j);
}

/* The drivers table, a row per theme. */
static void drivers_rows(fmt f, const tema_drivers_report *r)
{
    static const char *const cols[] = {"Theme",  "n",          "Score",
                                       "Without", "Impact",    "Detractors",
                                       "Share of detractors", "p"};
    tbl_head(f, cols, sizeof cols / sizeof *cols, 1);
    for (size_t i = 0; i < r->n_drivers; i++) {
        const tema_driver *d = &r->drivers[i];
        char a[16];
        row_open(f, NULL);
        cell_text(f, d->theme);
        cell_num(f, "%zu", d->n);
        cell_num(f, "%.2f", d->score);
        cell_num(f, "%.2f", d->score_without);
        cell_num(f, "%+.2f", d->impact);
        cell_num(f, "%zu", d->detractors);
        cell_num(f, "%s", pct(d->detractor_share, a, sizeof a));
        if (isfinite(d->p))
            cell_num(f, "%.4f%s", d->p, d->p < 0.05 ? " *" : "");
        else
            cell_num(f, "–");
        row_close(f);
    }
    tbl_end(f);
}

static void drivers_md(const tema_drivers_report *r)
{
    printf("**Key drivers of %s** (overall %.2f, N = %zu). *Association, not causation: these "
           "themes go with lower or higher scores in this data; they are not shown to cause "
           "them.*\n\n",
           metric_names[r->metric], r->score, r->n);
    drivers_rows(FMT_MD, r);
}

static void drivers_html(const tema_drivers_report *r, const report_cli *c)
{
    char title[48];
    snprintf(title, sizeof title, "Key drivers of %s", metric_names[r->metric]);
    char overall[32] = "–";
    if (isfinite(r->score))
        snprintf(overall, sizeof overall, "%.2f", r->score);
    html_begin(title, r->n, "with a score", c);
    printf("<p>Overall %s, N = %zu. Impact = n·(score of the theme − overall score) / (N − n): "
           "an impact of −5 means the overall score would be 5 higher without the theme's "
           "comments.</p>\n<p class=\"note\"><strong>%s</strong></p>\n",
           overall, r->n, caveat);
    drivers_rows(FMT_HTML, r);
    fputs("<p class=\"note\">* p &lt; 0.05 (Welch's t-test, with vs without the theme). Share: "
          "of all detractors.</p>\n",
          stdout);
    html_end();
}

static tema_status print_drivers(tema_store *s, const report_cli *c)
{
    tema_drivers_report *r = NULL;
    tema_status st = tema_drivers(s, &c->o, &r);
    if (st == TEMA_OK) {
        switch (c->format) {
        case FMT_CSV: drivers_csv(r); break;
        case FMT_JSON: drivers_json(r, c); break;
        case FMT_MD: drivers_md(r); break;
        case FMT_HTML: drivers_html(r, c); break;
        default: drivers_table(r);
        }
    }
    tema_drivers_free(r);
    return st;
}

int cmd_drivers(int argc, char **argv)
{
    return run_report(FOR_DRIVERS, argc, argv);
}

/* ------------------------------------------------------------------ */
/* The shared life cycle of the three commands                        */
/* ------------------------------------------------------------------ */

/* Parses the options, opens the store (a report may refresh its rollup
 * when the file is writable), prints the report, and maps failures to exit
 * codes. */
static int run_report(int kind, int argc, char **argv)
{
    report_cli c;
    int code = parse(&c, kind, argc, argv);
    if (code >= 0) {
        report_cli_free(&c);
        return code;
    }
    tema_store *s = open_store(&c, TEMA_STORE_READ | TEMA_STORE_CACHE);
    if (!s) {
        report_cli_free(&c);
        return EXIT_FATAL;
    }
    tema_status st = kind == FOR_TOP      ? print_top(s, &c)
                     : kind == FOR_SCORES ? print_scores(s, &c)
                                          : print_drivers(s, &c);
    code = st == TEMA_OK ? EXIT_OK : report_failed(s, st);
    tema_store_close(s);
    report_cli_free(&c);
    return cli_finish(code);
}
