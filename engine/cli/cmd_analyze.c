/*
 * cmd_analyze.c: `tema analyze [OPTIONS] FILE...`: reads exports, analyses
 * every comment and stores the results as one run in the SQLite store,
 * with an optional flat --out export.  This file reads, validates, keeps
 * the books (rows read = analysed + rejected) and writes; the analysis runs
 * in workers.c.  Every rejected row goes to the rejects file, every run
 * ends with a summary on stderr, and an interrupted or failed run is rolled
 * back so the store never holds half a run.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "cli.h"

#define MAX_SEGMENTS 32
#define PRIOR_SAMPLE_ROWS 2000  /* rows the language prior is taken from */
#define SAMPLE_BATCHES 6        /* batches held back while sampling (< ring size) */
#define PEEK_ROWS 200           /* rows read to find the longest column */

/* Why a row was rejected: the reader's reasons, then the score checks. */
enum { REJ_SCORE_NAN = TEMA_REJECT_JSON_NOT_OBJECT + 1, REJ_SCORE_RANGE, REJ_COUNT };

/* Kinds of warnings (rows kept, something noted). */
enum { W_UTF8, W_DATE, W_SCORE, W_EMPTY, W_LANG, W_QUOTES, W_KEYS, W_REGEX, W_SHORT, W_SEP,
       W_COUNT };
static const char *const warn_names[W_COUNT] = {
    "invalid UTF-8 repaired", "unparseable date (kept without date)",
    "bad score kept without score (--lenient-scores)", "empty comment",
    "unknown language in the language column", "stray quotes kept as text",
    "JSON keys not in the header (ignored)",
    "regex searches stopped by the match limit (that rule skipped for the comment)",
    "files with fewer rows than --skip-rows",
    "files whose sep= line names another delimiter than --delimiter"};

enum { OUT_NONE, OUT_CSV, OUT_JSONL };

/* Set by the signal handler; the reading loop stops at the next record. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

/* Columns of the file being read; -1 when not mapped. */
typedef struct an_cols {
    long text, id, date, tp, score, lang;  /* column indices */
    long seg[MAX_SEGMENTS];                /* --segment-column indices */
} an_cols;

/* A record read ahead while guessing the text column (deep copy). */
typedef struct peeked {
    tema_status st;      /* TEMA_OK or TEMA_ERR_ROW */
    tema_record rec;     /* pointers into the copies below */
    tema_field *fields;  /* copied fields */
    char *raw;           /* copied raw record */
    char *msg;           /* the reader's message for a rejected row */
} peeked;

/* Everything `tema analyze` holds: options, then the run. */
typedef struct an_state {
    /* Options. */
    const char *db;                       /* --db */
    const char *text_col, *id_col, *date_col, *tp_col, *score_col, *lang_col; /* --*-column */
    const char *seg_col[MAX_SEGMENTS];    /* --segment-column */
    size_t nseg;                          /* number of 'seg_col' */
    const char *score_type;               /* nps, csat, ces (given or guessed) */
    bool score_type_given;                /* --score-type was given (else guessed per file) */
    tema_reader_opts ro;                  /* --format, --delimiter, --encoding, --max-field */
    bool enc_given;                       /* --encoding was given (a UTF-16 mark must agree) */
    const char *rejects_path;             /* --rejects, or beside the database */
    char rejects_default[4096];           /* storage for the default */
    bool strict, lenient, keep_pii, replace, quiet, no_prior; /* the flags of those names */
    int threads;                          /* --threads */
    tema_lang lang;                       /* --lang, or UND */
    long skip_rows;                       /* --skip-rows N, or -1 to detect (the default) */
    const char *out_path;                 /* --out */
    int out_fmt;                          /* OUT_* */
    cli_engine_opts eo;                   /* --data, --lexicon, --taxonomy, --no-model */
    char **files;                         /* inputs */
    int nfiles;                           /* number of 'files' */

    /* The run. */
    tema_engine *engine;                  /* the analysis engine */
    tema_store *store;                    /* the store the run goes to */
    an_pool *pool;                        /* analysis workers (workers.c) */
    FILE *rej;                            /* rejects file */
    FILE *out;                            /* --out file */
    bool out_regular;                     /* --out is a regular file (removed on failure) */
    an_cols c;                            /* columns of the current file */
    char (*segnames)[MAX_SEGMENTS][256];  /* per file: segment column names as in the header */
    an_batch *cur;                        /* batch being filled */
    bool sampling;                        /* collecting the language sample */
    an_batch *held[SAMPLE_BATCHES];       /* sample batches not yet submitted */
    size_t nheld;                         /* number of 'held' */
    size_t sample_rows;                   /* rows in the sample so far */
    size_t lang_counts[TEMA_LANG_COUNT];  /* confident languages in the sample */
    tema_doc *sdoc;                       /* the sampling doc */
    double prior[TEMA_LANG_COUNT];        /* the run's language prior */
    int src;                              /* index of the current file */
    uint64_t rowno;                       /* records of the current file so far */

    /* Books. */
    uint64_t read, analysed, rejected;    /* rows; read = analysed + rejected */
    uint64_t skipped[3];                  /* header rows skipped, by tema_survey_tool
                                             (TEMA_SURVEY_PLAIN: by --skip-rows) */
    uint64_t rej_by[REJ_COUNT];           /* rejected rows by reason */
    uint64_t warn_by[W_COUNT];            /* warnings by kind (W_*) */
    uint64_t langs[TEMA_LANG_COUNT];      /* analysed rows by language */
    uint64_t invalid_utf8, cp1252_like;   /* over all files, for the encoding hint */
    uint64_t bytes_done;                  /* bytes of the files finished */
    uint64_t bytes_total;                 /* sizes of the files (0 when unknown) */
    const tema_reader *reader;            /* the reader in use (progress) */
    double t0, last_progress;             /* start, last progress line (seconds) */
    bool progress_shown;                  /* a progress line is on the terminal */
} an_state;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void help(void)
{
    printf(
        "Usage: tema analyze [OPTIONS] FILE...\n"
        "Analyses every comment of the exports (CSV, TSV, JSON Lines or a JSON array of\n"
        "records, optionally gzipped; '-' reads standard input) and stores the results as\n"
        "one run in the store.\n"
        "\n"
        "Store and output:\n"
        "      --db PATH              the store (default tema.db; created when missing)\n"
        "      --replace              re-analyse inputs already in the store, replacing them\n"
        "      --out FILE.csv|FILE.jsonl  also write one line per comment, in input order\n"
        "      --rejects PATH         rejected rows (default: DB.rejects.tsv beside the store)\n"
        "      --keep-pii             store the text as it is (default: redact e-mail, phone,\n"
        "                             ID, card and IBAN numbers and names)\n"
        "Columns (names as in the header; matched exactly, then ignoring case; a name\n"
        "that matches two columns is an error; '#N' is the Nth column, from 1; in JSON a\n"
        "nested value is named by its dotted path, as rating.score):\n"
        "      --text-column NAME     the comment (default: guessed, and said on stderr)\n"
        "      --id-column NAME       the export's row id\n"
        "      --date-column NAME     response date (ISO 8601, dd.mm.yyyy, yyyy/mm/dd)\n"
        "      --touchpoint-column NAME  channel or touchpoint of the response\n"
        "      --score-column NAME    NPS, CSAT or CES score\n"
        "      --score-type nps|csat|ces  its scale: 0-10, 1-5, 1-7 (default: guessed from\n"
        "                             the name, with '#N' from the header name there)\n"
        "      --lang-column NAME     language of each row (sv, da, no, en)\n"
        "      --segment-column NAME  a column to group by (market, product line); repeatable\n"
        "Reading:\n"
        "      --format csv|tsv|jsonl|json  override format detection (json: one array of\n"
        "                             records, an object holding one, or objects one\n"
        "                             after another as jq prints them; by content '[')\n"
        "      --records KEY          JSON object input: the member holding the records\n"
        "                             (dotted for deeper ones, data.items; default: the\n"
        "                             first array of objects that is no bookkeeping like\n"
        "                             links; a lone record with one is read as a record)\n"
        "      --delimiter C          CSV delimiter (, ; | or tab; default: a 'sep=' first\n"
        "                             line, else detected); wins over a 'sep=' line\n"
        "      --encoding ENC         input encoding: utf8 (default), cp1252, latin1,\n"
        "                             utf16le, utf16be, or utf16 (byte order by the mark);\n"
        "                             a byte order mark (Excel \"Unicode Text\") is detected\n"
        "      --max-field BYTES      longest field (default 65536; longer rejects the row)\n"
        "      --skip-rows N          N more header rows under the header, not responses\n"
        "                             (default: Qualtrics' and SurveyMonkey's are detected\n"
        "                             and skipped; 0 turns that off; CSV and TSV only)\n"
        "      --lenient-scores       keep rows with a bad score, without the score\n"
        "      --strict               exit 3 when any row was rejected\n"
        "Analysis:\n"
        "      --lang LANG            treat every comment as sv, da, no or en\n"
        "      --no-lang-prior        do not lean short comments toward the run's main language\n"
        "      --no-model             lexicon rules only, no learned sentiment or mention model\n"
        "      --lexicon FILE         extra sentiment lexicon (repeatable)\n"
        "      --taxonomy FILE        extra theme taxonomy (repeatable)\n"
        "      --data DIR             folder holding lexicons/ and models/\n"
        "      --threads N            analysis threads (default: all cores; same results)\n"
        "  -q, --quiet                no progress line and no column notes (summary stays)\n"
        "  -h, --help                 show this help\n"
        "\n"
        "A summary goes to stderr at the end of every run: rows read = analysed + rejected.\n"
        "\n"
        "Exit codes:\n"
        "  0    the run completed and was stored (rejected rows are allowed)\n"
        "  1    fatal: missing or unreadable file or header, unknown column, a score\n"
        "       column whose header names no scale (without --score-type), store not\n"
        "       writable, input already in the store (without --replace), a JSON document\n"
        "       whose structure breaks (cut off, no ',' between elements); nothing stored\n"
        "  2    invalid command line\n"
        "  3    --strict and some rows were rejected (the run was stored)\n"
        "  130  interrupted by SIGINT (143: SIGTERM); the run was rolled back\n");
}

/* ------------------------------------------------------------------ */
/* Small writers                                                      */
/* ------------------------------------------------------------------ */

static void json_str(FILE *f, const char *s, size_t n)
{
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc(c, f);
        } else if (c == '\n') {
            fputs("\\n", f);
        } else if (c == '\r') {
            fputs("\\r", f);
        } else if (c == '\t') {
            fputs("\\t", f);
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(f, "\\u%04x", c);
        } else {
            putc(c, f);
        }
    }
    putc('"', f);
}

/* An RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_str(FILE *f, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
        fwrite(s, 1, n, f);
        return;
    }
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            putc('"', f);
        putc(s[i], f);
    }
    putc('"', f);
}

/* A rejects-file field: TSV escapes, so one rejected row is one line and
 * the file reads back with `tema analyze --format tsv`. */
static void tsv_str(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\0': fputs("\\0", f); break;
        default: putc(c, f);
        }
    }
}

/* Sentiment with three decimals, never "-0.000". */
static void put_sentiment(FILE *f, double v)
{
    if (fabs(v) < 0.0005)
        v = 0;
    fprintf(f, "%.3f", v);
}

/* ------------------------------------------------------------------ */
/* Rows                                                               */
/* ------------------------------------------------------------------ */

static const char *reject_name(int why)
{
    if (why == REJ_SCORE_NAN)
        return "score-not-numeric";
    if (why == REJ_SCORE_RANGE)
        return "score-out-of-range";
    return tema_reject_name((tema_reject)why);
}

static void reject_row(an_state *S, uint64_t line, int why, const char *msg, const char *raw,
                       size_t raw_len)
{
    S->rejected++;
    S->rej_by[why]++;
    if (!S->rej)
        return;
    const char *file = S->files[S->src];
    tsv_str(S->rej, file, strlen(file));
    fprintf(S->rej, "\t%llu\t%s\t", (unsigned long long)line, reject_name(why));
    tsv_str(S->rej, msg, strlen(msg));
    putc('\t', S->rej);
    tsv_str(S->rej, raw, raw_len);
    putc('\n', S->rej);
}

/* Parses a score: digits with an optional '.' or ',' decimal part, spaces
 * around allowed.  Returns false when it is not such a number. */
static bool parse_score(const char *s, size_t n, double *out)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return false;
    size_t i = 0, digits = 0;
    bool dot = false;
    if (s[0] == '-' || s[0] == '+')
        i++;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if ((s[i] == '.' || s[i] == ',') && !dot && digits)
            dot = true;
        else
            return false;
    }
    if (!digits || s[n - 1] == '.' || s[n - 1] == ',')
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '.';
    *out = strtod(buf, NULL);
    return true;
}

static void score_range(const char *type, double *lo, double *hi)
{
    *lo = strcmp(type, "nps") == 0 ? 0 : 1;
    *hi = strcmp(type, "nps") == 0 ? 10 : strcmp(type, "csat") == 0 ? 5 : 7;
}

/* Copies a field into the batch, repairing invalid UTF-8 (the store and
 * the JSON output hold valid UTF-8 only). */
static an_span put_field(an_batch *b, const tema_field *f)
{
    if (!tema_utf8_invalid_count(f->ptr, f->len))
        return an_batch_put(b, f->ptr, f->len);
    char stackbuf[1024];
    size_t cap = 3 * f->len + 1;
    char *tmp = cap <= sizeof stackbuf ? stackbuf : malloc(cap);
    an_span s = {UINT32_MAX, 0};
    if (!tmp)
        return s;
    size_t n;
    tema_utf8_repair(f->ptr, f->len, tmp, cap, &n, NULL);
    s = an_batch_put(b, tmp, n);
    if (tmp != stackbuf)
        free(tmp);
    return s;
}

/* The taxonomy touchpoint an export's touchpoint value stands for, through
 * the taxonomy's aliases in the four languages ("Leverans", "Kundeservice");
 * NULL when none matches, so the mention keeps its theme's touchpoint and
 * touchpoint_raw keeps the export's value. */
static const char *map_touchpoint(const tema_engine *e, const char *raw, size_t len)
{
    const char *tp = NULL;
    if (!raw || !len || tema_touchpoint_from_alias(e, raw, len, &tp) != TEMA_OK)
        return NULL;
    return tp;
}

static void progress(an_state *S, bool final);
static int write_batch(an_state *S, an_batch *b);

/* Collects the oldest analysed batch and writes it. */
static int write_oldest(an_state *S)
{
    an_batch *b = an_pool_collect(S->pool);
    if (!b) {
        cli_error("internal error: no batch to collect");
        return EXIT_FATAL;
    }
    int code = write_batch(S, b);
    an_pool_release(S->pool, b);
    return code;
}

/* Ends the language sample: fixes the prior and queues the held batches. */
static void end_sample(an_state *S)
{
    if (!S->sampling)
        return;
    S->sampling = false;
    tema_lang_prior(S->lang_counts, S->prior);
    an_pool_set_prior(S->pool, S->prior);
    for (size_t i = 0; i < S->nheld; i++)
        an_pool_submit(S->pool, S->held[i]);
    S->nheld = 0;
}

/* Closes the batch being filled: queued, or held while sampling. */
static int close_batch(an_state *S)
{
    an_batch *b = S->cur;
    S->cur = NULL;
    if (!b)
        return EXIT_OK;
    if (S->sampling) {
        S->held[S->nheld++] = b;
        if (S->nheld == SAMPLE_BATCHES)
            end_sample(S);
        return EXIT_OK;
    }
    an_pool_submit(S->pool, b);
    return EXIT_OK;
}

static int need_batch(an_state *S)
{
    while (!S->cur) {
        S->cur = an_pool_free_batch(S->pool);
        if (!S->cur) {
            int code = write_oldest(S);
            if (code != EXIT_OK)
                return code;
        }
    }
    return EXIT_OK;
}

/* One good record: validate the score, copy the mapped fields into the
 * batch. */
static int good_row(an_state *S, const tema_record *rec)
{
    const tema_field *F = rec->fields;
    bool has_score = false;
    double score = 0;
    if (S->c.score >= 0 && F[S->c.score].len) {
        const tema_field *f = &F[S->c.score];
        double lo, hi;
        score_range(S->score_type, &lo, &hi);
        int why = 0;
        if (!parse_score(f->ptr, f->len, &score))
            why = REJ_SCORE_NAN;
        else if (score < lo || score > hi)
            why = REJ_SCORE_RANGE;
        if (why && !S->lenient) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s:%llu: column \"%s\": %s score '%.*s' %s [%s]",
                     S->files[S->src], (unsigned long long)rec->line, S->score_col,
                     S->score_type, (int)(f->len > 40 ? 40 : f->len), f->ptr,
                     why == REJ_SCORE_NAN ? "is not a number" : "is outside its scale",
                     reject_name(why));
            reject_row(S, rec->line, why, msg, rec->raw, rec->raw_len);
            return EXIT_OK;
        }
        if (why)
            S->warn_by[W_SCORE]++;
        has_score = !why;
    }
    int code = need_batch(S);
    if (code != EXIT_OK)
        return code;
    an_batch *b = S->cur;
    an_row *rows = an_grow(b->rows, &b->caprows, b->nrows + 1, sizeof *b->rows);
    if (!rows)
        goto nomem;
    b->rows = rows;
    an_row *r = &b->rows[b->nrows];
    memset(r, 0, sizeof *r);
    r->src = (uint32_t)S->src;
    r->line = rec->line;
    r->rowno = S->rowno;
    r->has_score = has_score;
    r->score = score;
    r->text = an_batch_put(b, F[S->c.text].ptr, F[S->c.text].len);
    r->id.off = r->tp.off = UINT32_MAX;
    if (S->c.id >= 0)
        r->id = put_field(b, &F[S->c.id]);
    if (S->c.tp >= 0 && F[S->c.tp].len)
        r->tp = put_field(b, &F[S->c.tp]);
    if (r->text.off == UINT32_MAX || (S->c.id >= 0 && r->id.off == UINT32_MAX))
        goto nomem;
    if (S->c.date >= 0 && F[S->c.date].len &&
        tema_date_parse(F[S->c.date].ptr, F[S->c.date].len, r->date) != TEMA_OK) {
        r->date[0] = '\0';
        S->warn_by[W_DATE]++;
    }
    r->force = S->lang;
    if (r->force == TEMA_LANG_UND && S->c.lang >= 0 && F[S->c.lang].len) {
        tema_lang l;
        if (tema_lang_parse(F[S->c.lang].ptr, F[S->c.lang].len, &l) == TEMA_OK)
            r->force = l;
        else
            S->warn_by[W_LANG]++;
    }
    if (S->nseg) {
        an_span *segs = an_grow(b->segs, &b->capsegs, b->nsegs + S->nseg, sizeof *b->segs);
        if (!segs)
            goto nomem;
        b->segs = segs;
        r->seg_first = (uint32_t)b->nsegs;
        for (size_t k = 0; k < S->nseg; k++)
            b->segs[b->nsegs++] = put_field(b, &F[S->c.seg[k]]);
    }
    b->nrows++;
    if (S->sampling && r->force == TEMA_LANG_UND) {
        tema_analyze_opts ao = {.stage = TEMA_STAGE_LANG};
        if (tema_doc_analyze(S->sdoc, b->data + r->text.off, r->text.len, &ao) == TEMA_OK &&
            tema_doc_lang_confident(S->sdoc))
            S->lang_counts[tema_doc_lang(S->sdoc)]++;
        if (++S->sample_rows >= PRIOR_SAMPLE_ROWS)
            end_sample(S);
    }
    if (b->nrows >= AN_BATCH_ROWS || b->len >= AN_BATCH_BYTES)
        return close_batch(S);
    return EXIT_OK;
nomem:
    cli_error("out of memory");
    return EXIT_FATAL;
}

static int handle_record(an_state *S, tema_status st, const tema_record *rec, const char *msg)
{
    S->read++;
    S->rowno++;
    if (st == TEMA_ERR_ROW) {
        reject_row(S, rec->line, (int)rec->reject, msg, rec->raw, rec->raw_len);
        return EXIT_OK;
    }
    return good_row(S, rec);
}

/* ------------------------------------------------------------------ */
/* Writing                                                            */
/* ------------------------------------------------------------------ */

static void out_row(an_state *S, const an_batch *b, const an_row *r)
{
    FILE *f = S->out;
    const char *src = S->files[r->src];
    char rowno[32];
    snprintf(rowno, sizeof rowno, "%llu", (unsigned long long)r->rowno);
    const char *id = r->id.off != UINT32_MAX ? b->data + r->id.off : rowno;
    size_t id_len = r->id.off != UINT32_MAX ? r->id.len : strlen(rowno);
    const tema_mention *m = b->ments + r->ment_first;
    if (S->out_fmt == OUT_JSONL) {
        fputs("{\"id\":", f);
        json_str(f, id, id_len);
        fputs(",\"source\":", f);
        json_str(f, src, strlen(src));
        fprintf(f, ",\"line\":%llu,\"lang\":\"%s\",\"sentiment\":", (unsigned long long)r->line,
                tema_lang_code(r->lang));
        put_sentiment(f, r->sentiment);
        fprintf(f, ",\"label\":\"%s\"", tema_label_name(r->label));
        if (S->c.score >= 0) {
            fputs(",\"score\":", f);
            if (r->has_score)
                fprintf(f, "%.15g", r->score);
            else
                fputs("null", f);
        }
        fputs(",\"themes\":[", f);
        for (uint32_t i = 0; i < r->nment; i++) {
            fprintf(f, "%s{\"theme\":", i ? "," : "");
            json_str(f, m[i].theme, strlen(m[i].theme));
            fputs(",\"touchpoint\":", f);
            json_str(f, m[i].touchpoint, strlen(m[i].touchpoint));
            fputs(",\"phase\":", f);
            json_str(f, m[i].phase, strlen(m[i].phase));
            fputs(",\"sentiment\":", f);
            put_sentiment(f, m[i].sentiment);
            fprintf(f, ",\"label\":\"%s\",\"span\":[%zu,%zu]}", tema_label_name(m[i].label),
                    m[i].start, m[i].end);
        }
        fputs("]}\n", f);
        return;
    }
    csv_str(f, id, id_len);
    putc(',', f);
    csv_str(f, src, strlen(src));
    fprintf(f, ",%llu,%s,", (unsigned long long)r->line, tema_lang_code(r->lang));
    put_sentiment(f, r->sentiment);
    fprintf(f, ",%s,", tema_label_name(r->label));
    if (r->has_score)
        fprintf(f, "%.15g", r->score);
    putc(',', f);
    for (uint32_t i = 0; i < r->nment; i++)
        fprintf(f, "%s%s", i ? " " : "", m[i].theme);
    fputs("\r\n", f);
}

static int write_batch(an_state *S, an_batch *b)
{
    if (b->status != TEMA_OK) {
        cli_error("analysis failed: %s", tema_errstr(b->status));
        return EXIT_FATAL;
    }
    tema_store_segment segs[MAX_SEGMENTS];
    for (size_t i = 0; i < b->nrows; i++) {
        const an_row *r = &b->rows[i];
        S->analysed++;
        S->langs[r->lang]++;
        if (r->repairs)
            S->warn_by[W_UTF8]++;
        S->warn_by[W_REGEX] += r->regex_stops;
        if (r->text.len == 0)
            S->warn_by[W_EMPTY]++;
        if (interrupted)
            continue;  /* rolled back anyway; only the books matter now */
        tema_store_comment c = {0};
        c.source = S->files[r->src];
        c.line = r->line;
        if (r->id.off != UINT32_MAX) {
            c.ext_id = b->data + r->id.off;
            c.ext_id_len = r->id.len;
        }
        c.date = r->date[0] ? r->date : NULL;
        if (r->tp.off != UINT32_MAX) {
            c.touchpoint_raw = b->data + r->tp.off;
            c.touchpoint_raw_len = r->tp.len;
            c.touchpoint = map_touchpoint(S->engine, c.touchpoint_raw, c.touchpoint_raw_len);
        }
        c.score_type = S->c.score >= 0 ? S->score_type : NULL;
        c.has_score = r->has_score;
        c.score = r->score;
        c.text = b->res + r->stored.off;
        c.text_len = r->stored.len;
        size_t ns = 0;
        for (size_t k = 0; k < S->nseg; k++) {
            an_span v = b->segs[r->seg_first + k];
            if (v.off == UINT32_MAX || v.len == 0)
                continue;  /* an empty segment value is unknown: no row */
            segs[ns].name = S->segnames[r->src][k];
            segs[ns].value = b->data + v.off;
            segs[ns].value_len = v.len;
            ns++;
        }
        c.segments = segs;
        c.nsegments = ns;
        c.lang = r->lang;
        c.sentiment = r->sentiment;
        c.label = r->label;
        c.mentions = b->ments + r->ment_first;
        c.nmentions = r->nment;
        if (tema_store_run_comment(S->store, &c, NULL) != TEMA_OK) {
            cli_error("%s", tema_store_errmsg(S->store));
            return EXIT_FATAL;
        }
        if (S->out)
            out_row(S, b, r);
    }
    progress(S, false);
    return EXIT_OK;
}

/* Queues what is left and writes everything still in flight. */
static int drain(an_state *S)
{
    end_sample(S);
    int code = close_batch(S);
    while (code == EXIT_OK && an_pool_pending(S->pool))
        code = write_oldest(S);
    return code;
}

/* ------------------------------------------------------------------ */
/* Progress and summary                                               */
/* ------------------------------------------------------------------ */

static void progress(an_state *S, bool final)
{
    if (S->quiet || !isatty(STDERR_FILENO))
        return;
    double t = now();
    if (final) {
        if (S->progress_shown)
            fputs("\r\033[K", stderr);
        return;
    }
    if (t - S->t0 < 2.0 || t - S->last_progress < 0.5)
        return;
    S->last_progress = t;
    S->progress_shown = true;
    tema_reader_stats rs;
    tema_reader_get_stats(S->reader, &rs);
    double done = (double)(S->bytes_done + (S->reader ? rs.bytes_in : 0));
    double el = t - S->t0;
    fprintf(stderr, "\r\033[K%llu rows  %.1f MB  %.0f rows/s", (unsigned long long)S->read,
            done / 1e6, (double)S->read / el);
    if (S->bytes_total && done > 0 && done < (double)S->bytes_total) {
        double eta = el * ((double)S->bytes_total - done) / done;
        fprintf(stderr, "  ETA %d:%02d", (int)eta / 60, (int)eta % 60);
    }
    fflush(stderr);
}

/* "  header rows skipped: 2 (Qualtrics)": by tool, or by --skip-rows; a
 * mix of files names each kind with its count. */
static void header_rows_line(const an_state *S, FILE *e)
{
    uint64_t total = 0;
    int kinds = 0;
    for (int i = 0; i < 3; i++) {
        total += S->skipped[i];
        kinds += S->skipped[i] > 0;
    }
    if (!total && S->skip_rows <= 0)
        return;
    fprintf(e, "  header rows skipped: %llu (", (unsigned long long)total);
    if (!total)
        fprintf(e, "--skip-rows %ld", S->skip_rows);
    for (int i = 0, first = 1; i < 3; i++) {
        if (!S->skipped[i])
            continue;
        fputs(first ? "" : ", ", e);
        if (i == TEMA_SURVEY_PLAIN)
            fprintf(e, "--skip-rows %ld", S->skip_rows);
        else
            fputs(tema_survey_tool_name((tema_survey_tool)i), e);
        if (kinds > 1)
            fprintf(e, " %llu", (unsigned long long)S->skipped[i]);
        first = 0;
    }
    fputs(")\n", e);
}

static void summary(an_state *S, const char *outcome)
{
    progress(S, true);
    double el = now() - S->t0;
    if (el <= 0)
        el = 1e-9;
    FILE *e = stderr;
    fprintf(e, "tema analyze: %llu rows read: %llu analysed, %llu rejected\n",
            (unsigned long long)S->read, (unsigned long long)S->analysed,
            (unsigned long long)S->rejected);
    header_rows_line(S, e);
    if (S->rejected) {
        fputs("  rejected:", e);
        const char *sep = " ";
        for (int i = 0; i < REJ_COUNT; i++)
            if (S->rej_by[i]) {
                fprintf(e, "%s%llu %s", sep, (unsigned long long)S->rej_by[i], reject_name(i));
                sep = ", ";
            }
        fprintf(e, " (see %s)\n", S->rejects_path);
    }
    uint64_t nw = 0;
    for (int i = 0; i < W_COUNT; i++)
        nw += S->warn_by[i];
    fprintf(e, "  warnings: %llu", (unsigned long long)nw);
    for (int i = 0, first = 1; i < W_COUNT; i++)
        if (S->warn_by[i]) {
            fprintf(e, "%s%llu %s", first ? " (" : ", ", (unsigned long long)S->warn_by[i],
                    warn_names[i]);
            first = 0;
        }
    fputs(nw ? ")\n" : "\n", e);
    if (S->invalid_utf8 && S->cp1252_like * 2 > S->invalid_utf8 &&
        S->ro.encoding == TEMA_ENC_UTF8)
        fprintf(e, "  hint: the invalid bytes look like Windows-1252 (old Excel); "
                   "try --encoding cp1252\n");
    fputs("  languages:", e);
    for (int l = TEMA_LANG_SV; l <= TEMA_LANG_COUNT; l++) {
        int k = l % TEMA_LANG_COUNT;  /* und last */
        if (S->langs[k])
            fprintf(e, " %s %llu", tema_lang_code((tema_lang)k), (unsigned long long)S->langs[k]);
    }
    fputs(S->analysed ? "\n" : " none\n", e);
    double mb = (double)S->bytes_done / 1e6;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    fprintf(e, "  time: %.2f s, %.1f MB/s, %.0f rows/s; CPU %.2f s (%.1f MB per CPU second); "
               "peak RSS %ld MB\n",
            el, mb / el, (double)S->read / el, cpu, cpu > 0 ? mb / cpu : 0.0,
            ru.ru_maxrss / 1024);
    fprintf(e, "  %s\n", outcome);
}

/* ------------------------------------------------------------------ */
/* Files                                                              */
/* ------------------------------------------------------------------ */

/* Resolves column option 'opt' ("--text-column") given as 'name' against
 * the header of 'r': "#N" by position (1-based), else by name, exactly and
 * then ignoring ASCII case.  A name that matches several columns by the
 * rule that found it is an error listing them, since any pick could be
 * the wrong one. */
static bool find_col(an_state *S, tema_reader *r, const char *opt, const char *name, long *idx)
{
    size_t i, n = tema_reader_columns(r);
    *idx = -1;
    if (!name)
        return true;
    long pos = an_column_position(name);
    if (pos > 0 && (size_t)pos <= n) {
        *idx = pos - 1;
        return true;
    }
    if (pos > 0) {
        cli_error("%s: %s '%s': the header has %zu column%s", S->files[S->src], opt, name, n,
                  n == 1 ? "" : "s");
        return false;
    }
    tema_status st = tema_reader_column_index(r, name, strlen(name), &i);
    if (st == TEMA_OK) {
        *idx = (long)i;
        return true;
    }
    if (st == TEMA_ERR_AMBIGUOUS) {
        /* List the columns of the rule that matched: exact names if any. */
        bool exact = strcmp(tema_reader_column_name(r, i), name) == 0;
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            m += exact ? strcmp(tema_reader_column_name(r, k), name) == 0
                       : strcasecmp(tema_reader_column_name(r, k), name) == 0;
        fprintf(stderr, "tema: error: %s: %s '%s' matches %zu columns%s:", S->files[S->src], opt,
                name, m, exact ? "" : " (ignoring case)");
        m = 0;
        for (size_t k = 0; k < n; k++) {
            const char *c = tema_reader_column_name(r, k);
            if (exact ? strcmp(c, name) == 0 : strcasecmp(c, name) == 0)
                fprintf(stderr, "%s#%zu '%s'", m++ ? ", " : " ", k + 1, c);
        }
        fprintf(stderr, "; give one by position, e.g. %s '#%zu'\n", opt, i + 1);
        return false;
    }
    fprintf(stderr, "tema: error: %s: no column '%s'; the header has:", S->files[S->src], name);
    for (size_t k = 0; k < n; k++)
        fprintf(stderr, "%s'%s'", k ? ", " : " ", tema_reader_column_name(r, k));
    fputc('\n', stderr);
    return false;
}

/* Copies 'len' bytes plus a NUL. */
static char *dup_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* Frees the copies held by peeked records and clears them. */
static void free_peeked_fields(peeked *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        if (p[i].fields)
            for (size_t f = 0; f < p[i].rec.nfields; f++)
                free((char *)p[i].fields[f].ptr);
        free(p[i].fields);
        free(p[i].raw);
        free(p[i].msg);
        memset(&p[i], 0, sizeof p[i]);
    }
}

/* Reads the next record into '*k' as a deep copy.  Returns the reader's
 * status; '*k' holds a record for TEMA_OK and TEMA_ERR_ROW only.
 * TEMA_ERR_NOMEM when a copy fails (what was copied is freed). */
static tema_status peek_one(tema_reader *r, peeked *k)
{
    tema_record rec;
    tema_status st = tema_reader_next(r, &rec);
    if (st != TEMA_OK && st != TEMA_ERR_ROW)
        return st;
    memset(k, 0, sizeof *k);
    k->st = st;
    k->rec = rec;
    k->rec.nfields = 0;  /* counts the copies made, for freeing */
    k->raw = dup_bytes(rec.raw, rec.raw_len);
    k->msg = dup_bytes(tema_reader_errmsg(r), strlen(tema_reader_errmsg(r)));
    if (!k->raw || !k->msg)
        goto nomem;
    k->rec.raw = k->raw;
    if (st == TEMA_OK) {
        k->fields = calloc(rec.nfields ? rec.nfields : 1, sizeof *k->fields);
        if (!k->fields)
            goto nomem;
        k->rec.fields = k->fields;
        for (size_t i = 0; i < rec.nfields; i++) {
            char *v = dup_bytes(rec.fields[i].ptr, rec.fields[i].len);
            if (!v)
                goto nomem;
            k->fields[i].ptr = v;
            k->fields[i].len = rec.fields[i].len;
            k->rec.nfields++;
        }
    }
    return st;
nomem:
    free_peeked_fields(k, 1);
    return TEMA_ERR_NOMEM;
}

/* No header name says "comment": read ahead until 'p' holds PEEK_ROWS
 * records (it may hold some already) and take the column with the longest
 * average value.  The records read are kept and processed afterwards. */
static int guess_by_length(an_state *S, tema_reader *r, peeked *p, size_t *n, tema_status *end)
{
    size_t ncols = tema_reader_columns(r);
    double *sum = calloc(ncols ? ncols : 1, sizeof *sum);
    if (!sum) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    while (*end == TEMA_OK && *n < PEEK_ROWS && !interrupted) {
        tema_status st = peek_one(r, &p[*n]);
        if (st == TEMA_ERR_NOMEM) {
            free(sum);
            cli_error("out of memory");
            return EXIT_FATAL;
        }
        if (st != TEMA_OK && st != TEMA_ERR_ROW)
            *end = st;
        else
            (*n)++;
    }
    size_t good = 0;
    for (size_t k = 0; k < *n; k++) {
        if (p[k].st != TEMA_OK)
            continue;
        good++;
        for (size_t i = 0; i < p[k].rec.nfields && i < ncols; i++)
            sum[i] += (double)p[k].fields[i].len;
    }
    long best = 0;
    for (size_t i = 1; i < ncols; i++)
        if (sum[i] > sum[best])
            best = (long)i;
    S->c.text = best;
    if (!S->quiet) {
        /* A repeated name does not say which of them was taken. */
        char at[32] = "";
        if (an_same_name_columns(r, (size_t)best, NULL) > 1)
            snprintf(at, sizeof at, " #%ld", best + 1);
        fprintf(stderr, "tema: %s: text column '%s'%s (longest values%s; --text-column to choose)\n",
                S->files[S->src], tema_reader_column_name(r, (size_t)best), at,
                good ? "" : ", no rows to judge by");
    }
    free(sum);
    return EXIT_OK;
}

/* Skips the extra header rows of the file: --skip-rows N records, or, by
 * default, the rows tema_survey_header_rows() recognises among the first
 * two records.  Records read and not skipped stay in 'p' ('*n' of them) for
 * processing; the first skipped record, when kept (the question or
 * sub-label row), goes to '*row2' for the text column guess.  '*end' gets
 * the reader's status when the input ended or failed. */
static int skip_header_rows(an_state *S, tema_reader *r, peeked *p, size_t *n,
                            tema_status *end, tema_survey_tool *tool, peeked *row2)
{
    const char *path = S->files[S->src];
    *tool = TEMA_SURVEY_PLAIN;
    if (tema_reader_format(r) == TEMA_FORMAT_JSONL || tema_reader_format(r) == TEMA_FORMAT_JSON) {
        /* Each record is an object with its own keys: there is no header
         * row to repeat, so nothing to skip (docs/input.md). */
        if (S->skip_rows > 0 && !S->quiet)
            fprintf(stderr, "tema: %s: %s has no header rows; --skip-rows ignored\n", path,
                    tema_reader_format(r) == TEMA_FORMAT_JSON ? "JSON" : "JSON Lines");
        return EXIT_OK;
    }
    if (S->skip_rows > 0) {
        long k = 0;
        uint64_t first = 0;
        for (; k < S->skip_rows && !interrupted; k++) {
            tema_record rec;
            tema_status st = tema_reader_next(r, &rec);
            if (st != TEMA_OK && st != TEMA_ERR_ROW) {
                *end = st;
                break;
            }
            if (!first)
                first = rec.line;
            S->skipped[TEMA_SURVEY_PLAIN]++;
        }
        if (*end == TEMA_DONE) {
            fprintf(stderr, "tema: warning: %s: %ld row%s after the header, fewer than "
                            "--skip-rows %ld: no rows read\n",
                    path, k, k == 1 ? "" : "s", S->skip_rows);
            S->warn_by[W_SHORT]++;
        } else if (k && !S->quiet) {
            fprintf(stderr, "tema: %s: skipped %ld header row%s from line %llu (--skip-rows)\n",
                    path, k, k == 1 ? "" : "s", (unsigned long long)first);
        }
        return EXIT_OK;
    }
    if (S->skip_rows == 0)
        return EXIT_OK;
    while (*n < 2 && *end == TEMA_OK && !interrupted) {
        tema_status st = peek_one(r, &p[*n]);
        if (st == TEMA_ERR_NOMEM) {
            cli_error("out of memory");
            return EXIT_FATAL;
        }
        if (st != TEMA_OK && st != TEMA_ERR_ROW)
            *end = st;
        else
            (*n)++;
    }
    /* SurveyMonkey's label must sit over the comment: the column given,
     * else the one named like a comment, else any. */
    long text = S->c.text >= 0 ? S->c.text : an_guess_text_column_by_name(r);
    const tema_field *f2 = *n > 0 && p[0].st == TEMA_OK ? p[0].rec.fields : NULL;
    size_t n2 = f2 ? p[0].rec.nfields : 0;
    const tema_field *f3 = *n > 1 && p[1].st == TEMA_OK ? p[1].rec.fields : NULL;
    size_t n3 = f3 ? p[1].rec.nfields : 0;
    size_t skip = 0;
    if (tema_survey_header_rows(f2, n2, f3, n3, text >= 0 ? (size_t)text : SIZE_MAX, tool,
                                &skip) != TEMA_OK || !skip)
        return EXIT_OK;
    if (!S->quiet)
        fprintf(stderr, "tema: %s: %s export: skipped %zu header row%s (%s) from line %llu "
                        "(--skip-rows 0 keeps them)\n",
                path, tema_survey_tool_name(*tool), skip, skip > 1 ? "s" : "",
                *tool == TEMA_SURVEY_QUALTRICS ? "question texts, import ids" : "sub-labels",
                (unsigned long long)p[0].rec.line);
    S->skipped[*tool] += skip;
    *row2 = p[0];
    free_peeked_fields(p + 1, skip - 1);
    memmove(p, p + skip, (*n - skip) * sizeof *p);
    memset(p + (*n - skip), 0, skip * sizeof *p);
    *n -= skip;
    return EXIT_OK;
}

/* How much of a question to quote in a note: its first line, at most 80
 * bytes, not cutting a UTF-8 sequence. */
static int note_len(const char *q)
{
    size_t n = strcspn(q, "\r\n");
    if (n > 80) {
        n = 80;
        while (n && ((unsigned char)q[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

/* Guesses the text column of a survey-tool export from its question row:
 * Qualtrics' row 2 under column ids, SurveyMonkey's header of question
 * texts, then SurveyMonkey's "Open-Ended Response" label.  -1 when none
 * says; '*why' names the evidence. */
static long guess_by_question(tema_reader *r, tema_survey_tool tool, const peeked *row2,
                              const char **why)
{
    size_t ncols = tema_reader_columns(r);
    const char **q = calloc(ncols ? ncols : 1, sizeof *q);
    long col = -1;
    if (!q)
        return -1;
    for (size_t i = 0; i < ncols; i++)
        q[i] = tool == TEMA_SURVEY_QUALTRICS
                   ? (row2->fields && i < row2->rec.nfields ? row2->fields[i].ptr : NULL)
                   : tema_reader_column_name(r, i);
    col = an_guess_text_column_by_question(q, ncols);
    *why = "its question asks for free text";
    if (col < 0 && tool == TEMA_SURVEY_SURVEYMONKEY && row2->fields) {
        for (size_t i = 0; i < ncols && i < row2->rec.nfields && col < 0; i++)
            if (strcmp(row2->fields[i].ptr, "Open-Ended Response") == 0)
                col = (long)i;
        *why = "its sub-label 'Open-Ended Response'";
    }
    free(q);
    return col;
}

/* The fatal message for a reader failure, with file and, for data, line. */
static int reader_fatal(an_state *S, const tema_reader *r, tema_status st)
{
    const char *msg = r ? tema_reader_errmsg(r) : "";
    if (*msg)
        cli_error("%s", msg);
    else
        cli_error("%s: %s", S->files[S->src], tema_errstr(st));
    return EXIT_FATAL;
}

/* Refuses, before any analysis, a run whose file inputs are already stored
 * or given twice: the commit would refuse it anyway (the store compares
 * content hashes there, which also covers standard input), but only after
 * the whole export was analysed.  A file that cannot be read is left to the
 * reader, which names the problem. */
static int refuse_stored_inputs(an_state *S)
{
    char (*hash)[TEMA_HASH_SIZE] = calloc((size_t)S->nfiles, TEMA_HASH_SIZE);
    if (!hash) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    int code = EXIT_OK;
    for (int i = 0; i < S->nfiles && code == EXIT_OK; i++) {
        if (strcmp(S->files[i], "-") == 0 ||
            tema_file_content_hash(S->files[i], hash[i]) != TEMA_OK) {
            hash[i][0] = '\0';
            continue;
        }
        for (int j = 0; j < i && code == EXIT_OK; j++)
            if (hash[j][0] && strcmp(hash[j], hash[i]) == 0) {
                cli_error("%s: inputs '%s' and '%s' have the same content; nothing was stored",
                          S->db, S->files[i], S->files[j]);
                code = EXIT_FATAL;
            }
        if (code != EXIT_OK || S->replace)
            continue;
        char old[512];
        int64_t run = tema_store_find_input(S->store, hash[i], old, sizeof old);
        if (run < 0) {
            cli_error("%s", tema_store_errmsg(S->store));
            code = EXIT_FATAL;
        } else if (run > 0) {
            cli_error("%s: input '%s' is already in the store (same content as '%s' of run %lld); "
                      "nothing was stored (use --replace to analyse it again)",
                      S->db, S->files[i], old, (long long)run);
            code = EXIT_FATAL;
        }
    }
    free(hash);
    return code;
}

/* A delimiter for messages: "';'", or TAB by name. */
static const char *delim_name(char d, char *buf, size_t cap)
{
    if (d == '\t')
        return "TAB";
    snprintf(buf, cap, "'%c'", d);
    return buf;
}

/* Says that Excel's "sep=" first line was skipped (a note), or, when the
 * delimiter in use is another one (--delimiter wins; TSV always splits at
 * TAB), warns: one of the two is wrong and the rows will show which. */
static void note_sep_line(an_state *S, const tema_reader *r)
{
    char sep = tema_reader_sep_line(r), used = tema_reader_delimiter(r);
    char a[8], b[8];
    if (!sep)
        return;
    if (sep == used) {
        if (!S->quiet)
            fprintf(stderr, "tema: %s: line 1 'sep=' sets the delimiter %s (Excel's hint; "
                            "skipped, the header is line 2)\n",
                    S->files[S->src], delim_name(sep, a, sizeof a));
        return;
    }
    fprintf(stderr, "tema: warning: %s: line 1 'sep=' names the delimiter %s, but %s is used "
                    "(%s); the line is skipped\n",
            S->files[S->src], delim_name(sep, a, sizeof a), delim_name(used, b, sizeof b),
            tema_reader_format(r) == TEMA_FORMAT_TSV ? "TSV" : "--delimiter");
    S->warn_by[W_SEP]++;
}

/* The scale of the score column when --score-type is not given, guessed
 * from its header name by the rules of a name given on the command line
 * (an_guess_score_type()) and noted on stderr like the text column.  Given
 * by position ('#3'), the name is the header's at that position in each
 * file, and every file of the run must name the same scale: one run holds
 * one scale, and a header that names none is an error naming the file
 * (exit 1, like a position beyond the header). */
static bool score_type_of(an_state *S, tema_reader *r, const char *path)
{
    if (S->score_type_given || S->c.score < 0)
        return true;
    const char *name = tema_reader_column_name(r, (size_t)S->c.score);
    bool by_pos = an_column_position(S->score_col) > 0;
    if (by_pos) {
        const char *t = an_guess_score_type(name);
        if (!t) {
            cli_error("%s: cannot tell the scale of score column %s '%.*s' from its name: give "
                      "--score-type nps, csat or ces",
                      path, S->score_col, note_len(name), name);
            return false;
        }
        if (S->score_type && strcmp(t, S->score_type) != 0) {
            cli_error("%s: score column %s '%.*s' is %s by its name, but %s in an earlier file: "
                      "give --score-type",
                      path, S->score_col, note_len(name), name, t, S->score_type);
            return false;
        }
        S->score_type = t;
    }
    if (!S->quiet) {
        double lo, hi;
        score_range(S->score_type, &lo, &hi);
        fprintf(stderr, "tema: %s: score column %s%s'%.*s': %s, %g-%g (by its name; --score-type "
                        "to choose)\n",
                path, by_pos ? S->score_col : "", by_pos ? " " : "", note_len(name), name,
                S->score_type, lo, hi);
    }
    return true;
}

static int analyze_file(an_state *S)
{
    const char *path = S->files[S->src];
    tema_reader *r = NULL;
    tema_status st = tema_reader_open(path, &S->ro, &r);
    if (st != TEMA_OK) {
        int code = reader_fatal(S, r, st);
        tema_reader_close(r);
        return code;
    }
    /* A UTF-16 byte order mark decides the encoding unless the user named
     * one; the library cannot tell an explicit utf8 from the default, so
     * that contradiction is caught here. */
    tema_encoding got = tema_reader_encoding(r);
    if (got == TEMA_ENC_UTF16LE || got == TEMA_ENC_UTF16BE) {
        const char *name = got == TEMA_ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE";
        const cli_encoding asked = {S->ro.encoding, S->enc_given};
        if (!cli_encoding_agrees(path, &asked, got)) {
            tema_reader_close(r);
            return EXIT_FATAL;
        }
        if ((!S->enc_given || S->ro.encoding == TEMA_ENC_UTF16) && !S->quiet)
            fprintf(stderr, "tema: %s: %s (by its byte order mark; --encoding to choose)\n", path,
                    name);
    }
    note_sep_line(S, r);
    /* Which member of a JSON object the records come from, like the column
     * notes: a wrong guess is visible before the results are. */
    const char *rk = tema_reader_records(r);
    if (rk && *rk && !S->quiet)
        fprintf(stderr, "tema: %s: JSON records from member '%s'%s\n", path, rk,
                S->ro.records ? "" : " (the first array of records; --records to choose)");
    S->reader = r;
    S->rowno = 0;
    an_cols *c = &S->c;
    bool ok = find_col(S, r, "--text-column", S->text_col, &c->text) &&
              find_col(S, r, "--id-column", S->id_col, &c->id) &&
              find_col(S, r, "--date-column", S->date_col, &c->date) &&
              find_col(S, r, "--touchpoint-column", S->tp_col, &c->tp) &&
              find_col(S, r, "--score-column", S->score_col, &c->score) &&
              find_col(S, r, "--lang-column", S->lang_col, &c->lang) &&
              score_type_of(S, r, path);
    for (size_t k = 0; ok && k < S->nseg; k++) {
        ok = find_col(S, r, "--segment-column", S->seg_col[k], &c->seg[k]);
        if (ok)
            snprintf(S->segnames[S->src][k], sizeof S->segnames[S->src][k], "%s",
                     tema_reader_column_name(r, (size_t)c->seg[k]));
    }
    int code = ok ? EXIT_OK : EXIT_FATAL;
    peeked *pk = calloc(PEEK_ROWS, sizeof *pk);
    peeked row2 = {0};
    size_t npk = 0;
    tema_status end = TEMA_OK;
    tema_survey_tool tool = TEMA_SURVEY_PLAIN;
    if (!pk) {
        cli_error("out of memory");
        code = EXIT_FATAL;
    }
    if (code == EXIT_OK)
        code = skip_header_rows(S, r, pk, &npk, &end, &tool, &row2);
    if (code == EXIT_OK && !S->text_col) {
        const char *why = "by its name";
        c->text = an_guess_text_column_by_name(r);
        if (c->text < 0 && tool != TEMA_SURVEY_PLAIN)
            c->text = guess_by_question(r, tool, &row2, &why);
        size_t first = 0;
        size_t same = c->text >= 0 ? an_same_name_columns(r, (size_t)c->text, &first) : 0;
        if (same > 1) {
            /* Two columns named "Comment": either could be the answer (an
             * open question asked twice, a translated copy), so no guess. */
            fprintf(stderr, "tema: error: %s: the text column would be '%s', but %zu columns "
                            "have that name (ignoring case):",
                    path, tema_reader_column_name(r, (size_t)c->text), same);
            for (size_t k = first, m = 0; k < tema_reader_columns(r); k++)
                if (strcasecmp(tema_reader_column_name(r, k),
                               tema_reader_column_name(r, (size_t)c->text)) == 0)
                    fprintf(stderr, "%s#%zu", m++ ? ", " : " ", k + 1);
            fprintf(stderr, "; give one with --text-column '#%zu'\n", first + 1);
            code = EXIT_FATAL;
        } else if (c->text >= 0) {
            if (!S->quiet) {
                fprintf(stderr, "tema: %s: text column '%s' (%s", path,
                        tema_reader_column_name(r, (size_t)c->text), why);
                if (tool == TEMA_SURVEY_QUALTRICS && row2.fields &&
                    (size_t)c->text < row2.rec.nfields)
                    fprintf(stderr, ": \"%.*s\"", note_len(row2.fields[c->text].ptr),
                            row2.fields[c->text].ptr);
                fputs("; --text-column to choose)\n", stderr);
            }
        } else {
            code = guess_by_length(S, r, pk, &npk, &end);
        }
    }
    free_peeked_fields(&row2, 1);
    for (size_t i = 0; code == EXIT_OK && i < npk; i++)
        code = handle_record(S, pk[i].st, &pk[i].rec, pk[i].msg);
    free_peeked_fields(pk, npk);
    free(pk);
    if (code == EXIT_OK && end != TEMA_OK && end != TEMA_DONE && !interrupted)
        code = reader_fatal(S, r, end);
    while (code == EXIT_OK && end != TEMA_DONE && !interrupted) {
        tema_record rec;
        st = tema_reader_next(r, &rec);
        if (st == TEMA_DONE)
            break;
        if (st != TEMA_OK && st != TEMA_ERR_ROW) {
            if (!interrupted)
                code = reader_fatal(S, r, st);
            break;
        }
        code = handle_record(S, st, &rec, tema_reader_errmsg(r));
    }
    tema_reader_stats rs;
    tema_reader_get_stats(r, &rs);
    S->bytes_done += rs.bytes_in;
    S->invalid_utf8 += rs.invalid_utf8;
    S->cp1252_like += rs.cp1252_like;
    /* U+FFFD written while decoding UTF-16 is a repair like that of invalid
     * UTF-8 (which is counted per row when the text is repaired). */
    S->warn_by[W_UTF8] += rs.invalid_utf16;
    S->warn_by[W_QUOTES] += rs.lenient_quotes;
    S->warn_by[W_KEYS] += rs.extra_keys;
    if (code == EXIT_OK && !interrupted) {
        char hash[TEMA_HASH_SIZE];
        tema_reader_content_hash(r, hash);
        if (tema_store_run_input(S->store, path, rs.bytes_in, hash) != TEMA_OK) {
            cli_error("%s", tema_store_errmsg(S->store));
            code = EXIT_FATAL;
        }
    }
    S->reader = NULL;
    tema_reader_close(r);
    return code;
}

/* ------------------------------------------------------------------ */
/* Options                                                            */
/* ------------------------------------------------------------------ */

static void opt_json(FILE *f, bool *first, const char *key, const char *val)
{
    if (!val)
        return;
    fprintf(f, "%s\"%s\":", *first ? "" : ",", key);
    json_str(f, val, strlen(val));
    *first = false;
}

static void opt_list(FILE *f, bool *first, const char *key, const char *const *v, size_t n)
{
    if (!n)
        return;
    fprintf(f, "%s\"%s\":[", *first ? "" : ",", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', f);
        json_str(f, v[i], strlen(v[i]));
    }
    putc(']', f);
    *first = false;
}

/* The options that shape the results, as the JSON object of runs.options. */
static char *options_json(const an_state *S)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    bool first = true;
    putc('{', f);
    opt_json(f, &first, "text_column", S->text_col);
    opt_json(f, &first, "id_column", S->id_col);
    opt_json(f, &first, "date_column", S->date_col);
    opt_json(f, &first, "touchpoint_column", S->tp_col);
    opt_json(f, &first, "score_column", S->score_col);
    opt_json(f, &first, "score_type", S->score_col ? S->score_type : NULL);
    opt_json(f, &first, "lang_column", S->lang_col);
    opt_list(f, &first, "segment_columns", S->seg_col, S->nseg);
    opt_json(f, &first, "lang", S->lang != TEMA_LANG_UND ? tema_lang_code(S->lang) : NULL);
    opt_list(f, &first, "lexicons", S->eo.lexicons, S->eo.n_lexicons);
    opt_list(f, &first, "taxonomies", S->eo.taxonomies, S->eo.n_taxonomies);
    static const char *const enc[] = {"utf8", "cp1252", "latin1", "utf16le", "utf16be", "utf16"};
    opt_json(f, &first, "encoding", enc[S->ro.encoding]);
    if (S->skip_rows >= 0) {
        fprintf(f, "%s\"skip_rows\":%ld", first ? "" : ",", S->skip_rows);
        first = false;
    }
    fprintf(f, "%s\"keep_pii\":%s,\"lenient_scores\":%s,\"lang_prior\":%s,\"model\":%s,"
               "\"replace\":%s}",
            first ? "" : ",", S->keep_pii ? "true" : "false", S->lenient ? "true" : "false",
            S->no_prior ? "false" : "true",
            (S->eo.options & TEMA_OPT_NO_MODEL) ? "false" : "true",
            S->replace ? "true" : "false");
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

enum {
    O_DB = 256, O_TEXT, O_ID, O_DATE, O_TP, O_SCORE, O_STYPE, O_LANGCOL, O_SEG, O_DELIM,
    O_FORMAT, O_ENC, O_MAXFIELD, O_REJECTS, O_STRICT, O_LENIENT, O_KEEPPII, O_REPLACE,
    O_THREADS, O_LANG, O_NOPRIOR, O_NOMODEL, O_LEXICON, O_TAXONOMY, O_DATA, O_OUT, O_SKIPROWS,
    O_RECORDS
};

static int parse_options(an_state *S, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, O_DB},
        {"text-column", required_argument, NULL, O_TEXT},
        {"id-column", required_argument, NULL, O_ID},
        {"date-column", required_argument, NULL, O_DATE},
        {"touchpoint-column", required_argument, NULL, O_TP},
        {"score-column", required_argument, NULL, O_SCORE},
        {"score-type", required_argument, NULL, O_STYPE},
        {"lang-column", required_argument, NULL, O_LANGCOL},
        {"segment-column", required_argument, NULL, O_SEG},
        {"delimiter", required_argument, NULL, O_DELIM},
        {"format", required_argument, NULL, O_FORMAT},
        {"encoding", required_argument, NULL, O_ENC},
        {"max-field", required_argument, NULL, O_MAXFIELD},
        {"rejects", required_argument, NULL, O_REJECTS},
        {"strict", no_argument, NULL, O_STRICT},
        {"lenient-scores", no_argument, NULL, O_LENIENT},
        {"keep-pii", no_argument, NULL, O_KEEPPII},
        {"replace", no_argument, NULL, O_REPLACE},
        {"threads", required_argument, NULL, O_THREADS},
        {"quiet", no_argument, NULL, 'q'},
        {"lang", required_argument, NULL, O_LANG},
        {"no-lang-prior", no_argument, NULL, O_NOPRIOR},
        {"no-model", no_argument, NULL, O_NOMODEL},
        {"lexicon", required_argument, NULL, O_LEXICON},
        {"taxonomy", required_argument, NULL, O_TAXONOMY},
        {"data", required_argument, NULL, O_DATA},
        {"out", required_argument, NULL, O_OUT},
        {"skip-rows", required_argument, NULL, O_SKIPROWS},
        {"records", required_argument, NULL, O_RECORDS},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *cmd = "analyze ";
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case O_DB: S->db = optarg; break;
        case O_TEXT: S->text_col = optarg; break;
        case O_ID: S->id_col = optarg; break;
        case O_DATE: S->date_col = optarg; break;
        case O_TP: S->tp_col = optarg; break;
        case O_SCORE: S->score_col = optarg; break;
        case O_STYPE:
            if (strcmp(optarg, "nps") && strcmp(optarg, "csat") && strcmp(optarg, "ces"))
                return cli_usage_error(cmd, "--score-type must be nps, csat or ces, not '%s'",
                                       optarg);
            S->score_type = optarg;
            S->score_type_given = true;
            break;
        case O_LANGCOL: S->lang_col = optarg; break;
        case O_SEG:
            if (S->nseg == MAX_SEGMENTS)
                return cli_usage_error(cmd, "at most %d --segment-column", MAX_SEGMENTS);
            S->seg_col[S->nseg++] = optarg;
            break;
        case O_DELIM:
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                S->ro.delimiter = '\t';
            else if (strlen(optarg) == 1 && strchr(",;|\t", optarg[0]))
                S->ro.delimiter = optarg[0];
            else
                return cli_usage_error(cmd, "--delimiter must be one of , ; | tab, not '%s'",
                                       optarg);
            break;
        case O_FORMAT:
            if (strcmp(optarg, "csv") == 0)
                S->ro.format = TEMA_FORMAT_CSV;
            else if (strcmp(optarg, "tsv") == 0)
                S->ro.format = TEMA_FORMAT_TSV;
            else if (strcmp(optarg, "jsonl") == 0)
                S->ro.format = TEMA_FORMAT_JSONL;
            else if (strcmp(optarg, "json") == 0)
                S->ro.format = TEMA_FORMAT_JSON;
            else
                return cli_usage_error(cmd, "--format must be csv, tsv, jsonl or json, not '%s'",
                                       optarg);
            break;
        case O_RECORDS:
            if (!*optarg || optarg[0] == '.' || optarg[strlen(optarg) - 1] == '.' ||
                strstr(optarg, "..") || strlen(optarg) > 255)
                return cli_usage_error(cmd, "--records needs a member name or a dotted path "
                                            "(data.items), not '%s'", optarg);
            S->ro.records = optarg;
            break;
        case O_ENC: {
            cli_encoding e = {0};
            if (!cli_parse_encoding(cmd, optarg, &e))
                return EXIT_USAGE;
            S->ro.encoding = e.enc;
            S->enc_given = true;
            break;
        }
        case O_MAXFIELD: {
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || *end || v == 0 || optarg[0] == '-')
                return cli_usage_error(cmd, "--max-field needs a positive number of bytes");
            S->ro.max_field = (size_t)v;
            break;
        }
        case O_REJECTS: S->rejects_path = optarg; break;
        case O_STRICT: S->strict = true; break;
        case O_LENIENT: S->lenient = true; break;
        case O_KEEPPII: S->keep_pii = true; break;
        case O_REPLACE: S->replace = true; break;
        case O_THREADS: {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256)
                return cli_usage_error(cmd, "--threads needs a number from 1 to 256");
            S->threads = (int)v;
            break;
        }
        case 'q': S->quiet = true; break;
        case O_LANG:
            if (!cli_parse_lang(cmd, optarg, &S->lang))
                return EXIT_USAGE;
            break;
        case O_NOPRIOR: S->no_prior = true; break;
        case O_NOMODEL: S->eo.options |= TEMA_OPT_NO_MODEL; break;
        case O_LEXICON:
            if (S->eo.n_lexicons == 16)
                return cli_usage_error(cmd, "at most 16 --lexicon");
            S->eo.lexicons[S->eo.n_lexicons++] = optarg;
            break;
        case O_TAXONOMY:
            if (S->eo.n_taxonomies == 16)
                return cli_usage_error(cmd, "at most 16 --taxonomy");
            S->eo.taxonomies[S->eo.n_taxonomies++] = optarg;
            break;
        case O_DATA: S->eo.data_dir = optarg; break;
        case O_OUT: {
            S->out_path = optarg;
            size_t n = strlen(optarg);
            if (n > 4 && strcmp(optarg + n - 4, ".csv") == 0)
                S->out_fmt = OUT_CSV;
            else if (n > 6 && strcmp(optarg + n - 6, ".jsonl") == 0)
                S->out_fmt = OUT_JSONL;
            else
                return cli_usage_error(cmd, "--out must name a .csv or .jsonl file");
            break;
        }
        case O_SKIPROWS: {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || !*optarg || v < 0 || v > 1000000)
                return cli_usage_error(cmd, "--skip-rows needs a number from 0 to 1000000");
            S->skip_rows = v;
            break;
        }
        case 'h': help(); return -1;
        default: return cli_bad_option(cmd, c, argv);
        }
    }
    S->files = argv + optind;
    S->nfiles = argc - optind;
    if (S->nfiles == 0)
        return cli_usage_error(cmd, "no input file (use '-' for standard input)");
    int dashes = 0;
    for (int i = 0; i < S->nfiles; i++)
        dashes += strcmp(S->files[i], "-") == 0;
    if (dashes > 1)
        return cli_usage_error(cmd, "standard input ('-') can be read only once");
    if (S->skip_rows > 0 && (S->ro.format == TEMA_FORMAT_JSONL || S->ro.format == TEMA_FORMAT_JSON))
        return cli_usage_error(cmd, "--skip-rows applies to CSV and TSV; %s has no header rows",
                               S->ro.format == TEMA_FORMAT_JSON ? "JSON" : "JSON Lines");
    if (S->ro.records && S->ro.format && S->ro.format != TEMA_FORMAT_JSON)
        return cli_usage_error(cmd, "--records applies to JSON input (--format json)");
    const struct {
        const char *opt, *val;
    } cols[] = {{"--text-column", S->text_col},        {"--id-column", S->id_col},
                {"--date-column", S->date_col},        {"--touchpoint-column", S->tp_col},
                {"--score-column", S->score_col},      {"--lang-column", S->lang_col}};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0] + S->nseg; k++) {
        const char *opt = k < 6 ? cols[k].opt : "--segment-column";
        const char *val = k < 6 ? cols[k].val : S->seg_col[k - 6];
        if (an_column_position(val) == 0)
            return cli_usage_error(cmd, "%s '%s': column positions start at 1", opt, val);
    }
    if (S->score_type && !S->score_col)
        return cli_usage_error(cmd, "--score-type needs --score-column");
    /* A name given here tells the scale now; a position only once each
     * file's header is read (score_type_of()). */
    if (S->score_col && !S->score_type && an_column_position(S->score_col) < 0 &&
        !(S->score_type = an_guess_score_type(S->score_col)))
        return cli_usage_error(cmd, "cannot tell the scale of score column '%s' from its name: "
                                    "give --score-type nps, csat or ces",
                               S->score_col);
    return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* The command                                                        */
/* ------------------------------------------------------------------ */

static int open_outputs(an_state *S)
{
    if (!S->rejects_path) {
        if (snprintf(S->rejects_default, sizeof S->rejects_default, "%s.rejects.tsv", S->db) >=
            (int)sizeof S->rejects_default) {
            cli_error("%s: path too long", S->db);
            return EXIT_FATAL;
        }
        S->rejects_path = S->rejects_default;
    }
    S->rej = fopen(S->rejects_path, "w");
    if (!S->rej) {
        cli_error("%s: %s", S->rejects_path, strerror(errno));
        return EXIT_FATAL;
    }
    fputs("file\tline\treason\tmessage\trecord\n", S->rej);
    if (S->out_path) {
        S->out = fopen(S->out_path, "w");
        if (!S->out) {
            cli_error("%s: %s", S->out_path, strerror(errno));
            return EXIT_FATAL;
        }
        struct stat sb;
        S->out_regular = fstat(fileno(S->out), &sb) == 0 && S_ISREG(sb.st_mode);
        setvbuf(S->out, NULL, _IOFBF, 1 << 20);
        if (S->out_fmt == OUT_CSV)
            fputs("id,source,line,lang,sentiment,label,score,themes\r\n", S->out);
    }
    return EXIT_OK;
}

/* Closes the outputs; a run that was not stored leaves no --out file. */
static int close_outputs(an_state *S, bool stored)
{
    int code = EXIT_OK;
    if (S->rej && fclose(S->rej) != 0) {
        cli_error("%s: %s", S->rejects_path, strerror(errno));
        code = EXIT_FATAL;
    }
    S->rej = NULL;
    if (S->out) {
        if (fclose(S->out) != 0 && stored) {
            cli_error("%s: %s", S->out_path, strerror(errno));
            code = EXIT_FATAL;
        }
        S->out = NULL;
        if (!stored && S->out_regular)
            unlink(S->out_path);
    }
    return code;
}

int cmd_analyze(int argc, char **argv)
{
    an_state *S = calloc(1, sizeof *S);
    if (!S) {
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    S->db = "tema.db";
    S->lang = TEMA_LANG_UND;
    S->skip_rows = -1;
    tema_reader_opts_init(&S->ro);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    S->threads = cores > 0 ? (int)cores : 1;
    int code = parse_options(S, argc, argv);
    if (code != EXIT_OK) {
        free(S);
        return code < 0 ? cli_finish(EXIT_OK) : code;
    }
    /* Fail before any work when an input is missing. */
    for (int i = 0; i < S->nfiles; i++) {
        struct stat sb;
        if (strcmp(S->files[i], "-") == 0)
            continue;
        if (stat(S->files[i], &sb) != 0 || access(S->files[i], R_OK) != 0) {
            cli_error("%s: %s", S->files[i], strerror(errno));
            free(S);
            return EXIT_FATAL;
        }
        if (S_ISREG(sb.st_mode))
            S->bytes_total += (uint64_t)sb.st_size;
    }
    S->t0 = now();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;  /* no SA_RESTART: a blocked read returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    char *opts = NULL;
    bool stored = false;
    S->segnames = calloc((size_t)S->nfiles, sizeof *S->segnames);
    if (!S->segnames) {
        cli_error("out of memory");
        code = EXIT_FATAL;
        goto done;
    }
    tema_status st = tema_store_open(S->db, TEMA_STORE_WRITE, &S->store);
    if (st != TEMA_OK) {
        cli_error("%s", S->store ? tema_store_errmsg(S->store) : tema_errstr(st));
        code = EXIT_FATAL;
        goto done;
    }
    if (!(S->engine = cli_engine_new(&S->eo))) {
        code = EXIT_FATAL;
        goto done;
    }
    an_work_opts wo = {.engine = S->engine, .keep_pii = S->keep_pii};
    /* TEMA_ANALYZE_RUN_ROWS=1 analyses one row at a time instead of in runs
     * of rows: only for tests/e2e/analyze_batch.sh, which checks that both
     * store the same; not documented for users. */
    const char *run_rows = getenv("TEMA_ANALYZE_RUN_ROWS");
    if (run_rows)
        wo.run_rows = (size_t)strtoul(run_rows, NULL, 10);
    /* One thread analyses on the reading thread itself: same results, no
     * hand-over cost. */
    if ((st = an_pool_new(&wo, S->threads > 1 ? S->threads : 0, &S->pool)) != TEMA_OK ||
        (st = tema_doc_new(S->engine, &S->sdoc)) != TEMA_OK) {
        cli_error("%s", tema_errstr(st));
        code = EXIT_FATAL;
        goto done;
    }
    S->sampling = S->lang == TEMA_LANG_UND && !S->no_prior;
    if ((code = open_outputs(S)) != EXIT_OK)
        goto done;
    if (!(opts = options_json(S)) || tema_store_run_begin(S->store, opts,
                                                          S->replace ? TEMA_RUN_REPLACE : 0) !=
                                         TEMA_OK) {
        cli_error("%s", opts ? tema_store_errmsg(S->store) : "out of memory");
        code = EXIT_FATAL;
        goto done;
    }
    code = refuse_stored_inputs(S);
    for (S->src = 0; S->src < S->nfiles && code == EXIT_OK && !interrupted; S->src++)
        code = analyze_file(S);
    if (S->src > 0)
        S->src--;  /* messages after the loop name the last file */
    if (code == EXIT_OK || interrupted) {
        int dcode = drain(S);
        if (code == EXIT_OK)
            code = dcode;
    }
    if (interrupted) {
        tema_store_run_abort(S->store);
        close_outputs(S, false);
        summary(S, interrupted == SIGTERM
                       ? "interrupted by SIGTERM: the run was rolled back, nothing was stored"
                       : "interrupted by SIGINT: the run was rolled back, nothing was stored");
        code = 128 + interrupted;
        goto done;
    }
    if (code == EXIT_OK && S->out && (fflush(S->out) != 0 || ferror(S->out))) {
        cli_error("%s: writing failed: %s", S->out_path, strerror(errno));
        code = EXIT_FATAL;
    }
    if (code == EXIT_OK) {
        uint64_t nw = 0;
        for (int i = 0; i < W_COUNT; i++)
            nw += S->warn_by[i];
        tema_run_counts counts = {.rows_read = S->read, .rows_analysed = S->analysed,
                                  .rows_rejected = S->rejected, .warnings = nw};
        int64_t run = tema_store_run_id(S->store);
        st = tema_store_run_finish(S->store, &counts);
        if (st == TEMA_ERR_EXISTS) {
            cli_error("%s; nothing was stored (use --replace to analyse it again)",
                      tema_store_errmsg(S->store));
            code = EXIT_FATAL;
        } else if (st != TEMA_OK) {
            cli_error("%s", tema_store_errmsg(S->store));
            code = EXIT_FATAL;
        } else {
            stored = true;
            int ocode = close_outputs(S, true);
            char msg[4200];
            snprintf(msg, sizeof msg, "stored as run %lld in %s", (long long)run, S->db);
            summary(S, msg);
            code = ocode != EXIT_OK ? ocode : (S->strict && S->rejected) ? EXIT_REJECTS : EXIT_OK;
        }
    }
    if (!stored) {
        tema_store_run_abort(S->store);
        close_outputs(S, false);
        summary(S, "failed: the run was rolled back, nothing was stored");
    }
done:
    close_outputs(S, stored);
    free(opts);
    tema_doc_free(S->sdoc);
    an_pool_free(S->pool);
    tema_engine_free(S->engine);
    tema_store_close(S->store);
    free(S->segnames);
    free(S);
    return cli_finish(code);
}
