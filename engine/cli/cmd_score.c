/*
 * cmd_score.c: `tema score`: the sentiment (and theme mentions) of each
 * input line, one output line per input line, in order.  The JSON Lines
 * output is a contract (issue 6): keys lang, sentiment, label, themes in
 * that order, then explain with --explain.
 *
 * Like `tema lang`, the first CLI_PRIOR_SAMPLE lines (bounded in bytes)
 * are read ahead to find the run's language mix (cli_lines_prior()), which
 * leans short, ambiguous comments toward the main language; then every
 * line is scored in order.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static void help(void)
{
    printf("Usage: tema score [OPTIONS] [FILE]\n"
           "Reads one comment per line (FILE or standard input) and prints its sentiment,\n"
           "one line per input line, in order:\n"
           "  {\"lang\":\"sv\",\"sentiment\":-0.62,\"label\":\"negative\",\"themes\":[...]}\n"
           "sentiment is in [-1, 1] (2 decimals); label is positive, neutral or negative\n"
           "(thresholds in docs/sentiment.md).  span offsets are bytes of the line as UTF-8\n"
           "(after gzip and any --encoding conversion).  FILE may be gzipped, UTF-16 (by its\n"
           "byte order mark) or another --encoding; lines end with LF or CRLF.\n"
           "\n"
           "  -l, --lang LANG       score every line as this language (sv, da, no, en)\n"
           "  -f, --format FMT      jsonl (default) or tsv: lang, sentiment, label, themes\n"
           "  -e, --explain         add the words and rules that contributed, with weights\n"
           "      --no-model        rules and lexicons only (no learned model)\n"
           "      --no-themes       sentiment only, faster: no taxonomy, themes is [], and the\n"
           "                        comment score misses implicit complaints (\"took two weeks\");\n"
           "                        it uses models/sentiment.bin, not the taxonomy's\n"
           "                        sentiment-model (cx.tema: models/sentiment-cx.bin), so\n"
           "                        scores can differ from a run with themes\n"
           "      --lexicon FILE    extra lexicon entries (repeatable; docs/formats.md)\n"
           "      --taxonomy FILE   extra or overriding themes (repeatable; docs/formats.md)\n"
           "      --no-lang-prior   do not lean short comments toward the main language\n"
           "      --data DIR        folder holding lexicons/ and models/\n"
           CLI_ENCODING_HELP("                        ")
           "  -h, --help            show this help\n"
           "\n"
           "Exit codes: 0 ok, 1 unreadable input or bad lexicon or taxonomy, 2 invalid command line.\n");
}

/* The JSON of a mention up to its sentiment, for one theme: the theme
 * strings are the engine's and stay put until tema_engine_free(), so the
 * id's address identifies a theme (its touchpoint and phase come with it)
 * and each head is escaped once per run, not per line. */
typedef struct mention_head {
    const char *theme;      /* tema_mention.theme; NULL for a free slot */
    size_t off;             /* the JSON in score_state.heads_text */
    size_t len;             /* its length */
} mention_head;

#define HEAD_SLOTS 512 /* about 4x the bundled taxonomy; themes beyond are written uncached */
#define HEAD_SLACK 128 /* bytes kept allocated after the last head (find_head()) */

/* Lines are analysed in batches, stage by stage (tema_doc_analyze_batch()),
 * of up to BATCH_LINES lines and BATCH_BYTES bytes (a longer line is a batch
 * of its own): enough lines to keep each stage's code in the instruction
 * cache, few enough bytes to keep their tokens in the data cache. */
#define BATCH_LINES 64
#define BATCH_BYTES (64u << 10)

typedef struct score_state {
    bool tsv;            /* --format tsv */
    bool explain;        /* --explain */
    tema_doc *doc;       /* the document being printed: one of 'docs' */
    tema_doc *docs[BATCH_LINES]; /* docs[0] is the run's; the others its siblings */
    char *batch;         /* the batch's lines, one after the other */
    size_t batch_len;    /* bytes used in 'batch' */
    size_t batch_cap;    /* allocated */
    size_t line_off[BATCH_LINES]; /* where each line of the batch starts in 'batch' */
    size_t line_len[BATCH_LINES]; /* its length */
    size_t nlines;       /* lines in the batch */
    json_buf out;        /* standard output, written in large blocks */
    mention_head *heads; /* HEAD_SLOTS, open addressing by theme address */
    char *heads_text;    /* their JSON */
    size_t heads_len;    /* bytes used in 'heads_text' */
    size_t heads_cap;    /* allocated */
    char tails[3][40];   /* per label: ',"label":"negative","span":[' (names from the library) */
    unsigned char tail_len[3]; /* their lengths */
} score_state;

#define OUT_BUFFER (1u << 16)

/* Appends a NUL-terminated name from the library (a language code, label,
 * or rule name: plain ASCII, never quoted or escaped). */
static void put_name(json_buf *o, const char *s)
{
    if (s)
        jb_write(o, s, strlen(s));
}

static void put_jstr(json_buf *o, const char *s)
{
    jb_json_string(o, s ? s : "", s ? strlen(s) : 0);
}

static void put_mention_fields(json_buf *o, const tema_mention *m)
{
    JB_LIT(o, "{\"theme\":");
    put_jstr(o, m->theme);
    JB_LIT(o, ",\"touchpoint\":");
    put_jstr(o, m->touchpoint);
    JB_LIT(o, ",\"phase\":");
    put_jstr(o, m->phase);
    JB_LIT(o, ",\"sentiment\":");
}

/* The cached head of 'm', made on first use; NULL when it cannot be cached. */
static const mention_head *find_head(score_state *s, const tema_mention *m)
{
    if (!s->heads || !m->theme)
        return NULL;
    size_t k = ((uintptr_t)m->theme >> 3) % HEAD_SLOTS;
    for (size_t probes = 0; probes < HEAD_SLOTS; probes++, k = (k + 1) % HEAD_SLOTS) {
        mention_head *h = &s->heads[k];
        if (h->theme == m->theme)
            return h;
        if (h->theme)
            continue;
        if (!m->touchpoint || !m->phase)
            return NULL; /* the library gives "" for none; written uncached */
        /* A new theme: escaping can at most make each byte six ("\u0001");
         * HEAD_SLACK more stay allocated after the last head for
         * put_mention()'s fixed-size copy. */
        size_t need = 64 + 6 * (strlen(m->theme) + strlen(m->touchpoint) + strlen(m->phase));
        if (s->heads_cap - s->heads_len < need + HEAD_SLACK) {
            size_t cap = s->heads_cap ? s->heads_cap * 2 : 4096;
            while (cap - s->heads_len < need + HEAD_SLACK)
                cap *= 2;
            char *t = realloc(s->heads_text, cap);
            if (!t)
                return NULL;
            memset(t + s->heads_cap, 0, cap - s->heads_cap); /* the copy's overrun reads it */
            s->heads_text = t;
            s->heads_cap = cap;
        }
        /* a buffer that is large enough never flushes, so it needs no FILE */
        json_buf b;
        jb_init(&b, NULL, s->heads_text + s->heads_len, need);
        put_mention_fields(&b, m);
        *h = (mention_head){m->theme, s->heads_len, b.len};
        s->heads_len += b.len;
        return h;
    }
    return NULL;
}

/* Each label's tail, made once from the library's names. */
static void make_label_tails(score_state *s)
{
    for (int l = 0; l < 3; l++) {
        json_buf b;
        jb_init(&b, NULL, s->tails[l], sizeof s->tails[l]);
        JB_LIT(&b, ",\"label\":\"");
        put_name(&b, tema_label_name((tema_label)l));
        JB_LIT(&b, "\",\"span\":[");
        s->tail_len[l] = (unsigned char)b.len;
    }
}

/* Room put_mention()'s fast path needs past the head: the number
 * (JSON_NUMBER_MAX when json_format_fixed() writes it), a label tail, two
 * 4-byte offsets, ',', "]}" and the head copy's overrun. */
#define MENTION_ROOM (JSON_NUMBER_MAX + sizeof ((score_state *)0)->tails[0] + 16 + HEAD_SLACK)

/* Appends mention 'm' as a JSON object.  The usual case (a cached head,
 * offsets below 1,000, room in the buffer) is written straight into the
 * buffer after one room test: the head and the label's tail in one
 * fixed-size copy each, the sentiment by json_fixed2(), the offsets from
 * jb_small_uint; about 150 instructions, 400 before (docs/performance.md).
 * Everything else goes through the general writers, with the same bytes. */
static void put_mention(score_state *s, const tema_mention *m)
{
    json_buf *o = &s->out;
    const mention_head *h = find_head(s, m);
    if (h && (unsigned)m->label < 3 && m->start < 1000 && m->end < 1000 &&
        o->cap - o->len >= h->len + MENTION_ROOM) {
        char *p = o->mem + o->len;
        const char *src = s->heads_text + h->off;
        if (h->len <= HEAD_SLACK)
            memcpy(p, src, HEAD_SLACK); /* a fixed size: moves, not a call */
        else
            memcpy(p, src, h->len);
        p += h->len;
        p += json_fixed2(p, m->sentiment);
        memcpy(p, s->tails[m->label], sizeof s->tails[0]);
        p += s->tail_len[m->label];
        memcpy(p, jb_small_uint[m->start], 4);
        p += (unsigned char)jb_small_uint[m->start][3];
        *p++ = ',';
        memcpy(p, jb_small_uint[m->end], 4);
        p += (unsigned char)jb_small_uint[m->end][3];
        memcpy(p, "]}", 2);
        o->len = (size_t)(p + 2 - o->mem);
        return;
    }
    if (h)
        jb_write(o, s->heads_text + h->off, h->len);
    else
        put_mention_fields(o, m);
    jb_json_number2(o, m->sentiment);
    JB_LIT(o, ",\"label\":\"");
    put_name(o, tema_label_name(m->label));
    JB_LIT(o, "\",\"span\":[");
    jb_uint(o, m->start);
    jb_putc(o, ',');
    jb_uint(o, m->end);
    JB_LIT(o, "]}");
}

/* The words of explain item 'x': its span of 'line', clamped to the line. */
static const char *explain_text(const tema_explain_item *x, const char *line, size_t len,
                                size_t *n)
{
    size_t a = x->start <= len ? x->start : len, b = x->end <= len ? x->end : len;
    *n = b > a ? b - a : 0;
    return line + a;
}

static void print_json(score_state *s, const char *line, size_t len)
{
    tema_doc *d = s->doc;
    json_buf *o = &s->out;
    JB_LIT(o, "{\"lang\":\"");
    put_name(o, tema_lang_code(tema_doc_lang(d)));
    JB_LIT(o, "\",\"sentiment\":");
    jb_json_number2(o, tema_doc_sentiment(d));
    JB_LIT(o, ",\"label\":\"");
    put_name(o, tema_label_name(tema_doc_label(d)));
    JB_LIT(o, "\",\"themes\":[");
    size_t nm = tema_doc_mention_count(d);
    for (size_t i = 0; i < nm; i++) {
        tema_mention m;
        if (tema_doc_mention(d, i, &m) != TEMA_OK)
            continue;
        if (i)
            jb_putc(o, ',');
        put_mention(s, &m);
    }
    jb_putc(o, ']');
    if (s->explain) {
        JB_LIT(o, ",\"explain\":[");
        size_t nx = tema_doc_explain_count(d);
        for (size_t i = 0; i < nx; i++) {
            tema_explain_item x;
            if (tema_doc_explain(d, i, &x) != TEMA_OK)
                continue;
            if (i)
                jb_putc(o, ',');
            JB_LIT(o, "{\"text\":");
            size_t n;
            const char *text = explain_text(&x, line, len, &n);
            jb_json_string(o, text, n);
            JB_LIT(o, ",\"rule\":");
            put_jstr(o, x.rule);
            JB_LIT(o, ",\"weight\":");
            jb_json_number(o, x.weight, 3);
            jb_putc(o, '}');
        }
        jb_putc(o, ']');
    }
    JB_LIT(o, "}\n");
}

static void print_tsv(score_state *s, const char *line, size_t len)
{
    tema_doc *d = s->doc;
    json_buf *o = &s->out;
    put_name(o, tema_lang_code(tema_doc_lang(d)));
    jb_putc(o, '\t');
    jb_json_number2(o, tema_doc_sentiment(d));
    jb_putc(o, '\t');
    put_name(o, tema_label_name(tema_doc_label(d)));
    jb_putc(o, '\t');
    size_t nm = tema_doc_mention_count(d);
    for (size_t i = 0; i < nm; i++) {
        tema_mention m;
        if (tema_doc_mention(d, i, &m) == TEMA_OK) {
            if (i)
                jb_putc(o, ',');
            put_name(o, m.theme);
        }
    }
    if (s->explain) {
        /* a fifth column: text/rule/weight items joined by " | " */
        jb_putc(o, '\t');
        size_t nx = tema_doc_explain_count(d);
        for (size_t i = 0; i < nx; i++) {
            tema_explain_item x;
            if (tema_doc_explain(d, i, &x) != TEMA_OK)
                continue;
            size_t n;
            const char *text = explain_text(&x, line, len, &n);
            if (i)
                JB_LIT(o, " | ");
            jb_tsv_field(o, text, n);
            jb_putc(o, '/');
            put_name(o, x.rule);
            jb_putc(o, '/');
            jb_json_number(o, x.weight, 3);
        }
    }
    jb_putc(o, '\n');
}

/* Analyses and prints the lines of the batch, in order. */
static bool score_batch(score_state *s, const tema_analyze_opts *ao)
{
    const char *texts[BATCH_LINES];
    for (size_t i = 0; i < s->nlines; i++)
        texts[i] = s->batch + s->line_off[i];
    /* A failed batch (out of memory) is analysed again line by line, so
     * every line before the one that fails is still printed. */
    bool whole = tema_doc_analyze_batch(s->docs, texts, s->line_len, s->nlines, ao) == TEMA_OK;
    for (size_t i = 0; i < s->nlines; i++) {
        s->doc = s->docs[i];
        tema_status st;
        if (!whole && (st = tema_doc_analyze(s->doc, texts[i], s->line_len[i], ao)) != TEMA_OK) {
            cli_error("analysing a line failed: %s", tema_errstr(st));
            return false;
        }
        if (s->tsv)
            print_tsv(s, texts[i], s->line_len[i]);
        else
            print_json(s, texts[i], s->line_len[i]);
    }
    s->nlines = 0;
    s->batch_len = 0;
    return true;
}

/* Adds a line to the batch (the reader's buffer is reused by the next
 * line), scoring the batch first when it is full. */
static bool add_line(score_state *s, const tema_analyze_opts *ao, const char *line, size_t len)
{
    if (s->nlines && (s->nlines == BATCH_LINES || s->batch_len + len > BATCH_BYTES) &&
        !score_batch(s, ao))
        return false;
    if (s->batch_len + len + 1 > s->batch_cap) {
        size_t cap = s->batch_cap ? s->batch_cap : BATCH_BYTES;
        while (cap < s->batch_len + len + 1)
            cap *= 2;
        char *p = realloc(s->batch, cap);
        if (!p) {
            cli_error("out of memory");
            return false;
        }
        s->batch = p;
        s->batch_cap = cap;
    }
    memcpy(s->batch + s->batch_len, line, len);
    s->line_off[s->nlines] = s->batch_len;
    s->line_len[s->nlines++] = len;
    s->batch_len += len + 1; /* + 1: a line's text never runs into the next's */
    return true;
}

int cmd_score(int argc, char **argv)
{
    static const struct option longopts[] = {{"lang", required_argument, NULL, 'l'},
                                             {"format", required_argument, NULL, 'f'},
                                             {"explain", no_argument, NULL, 'e'},
                                             {"no-model", no_argument, NULL, 'M'},
                                             {"no-themes", no_argument, NULL, 'N'},
                                             {"lexicon", required_argument, NULL, 'L'},
                                             {"taxonomy", required_argument, NULL, 'T'},
                                             {"no-lang-prior", no_argument, NULL, 'P'},
                                             {"data", required_argument, NULL, 'D'},
                                             CLI_ENCODING_OPTION,
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    score_state s = {0};
    bool use_prior = true;
    tema_lang lang = TEMA_LANG_UND;
    cli_engine_opts eo = {0};
    cli_encoding enc = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":l:f:eh", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (!cli_parse_lang("score ", optarg, &lang))
                return EXIT_USAGE;
            break;
        case 'f':
            if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                s.tsv = false;
            else if (strcmp(optarg, "tsv") == 0)
                s.tsv = true;
            else
                return cli_usage_error("score ", "unknown format '%s' (use jsonl or tsv)", optarg);
            break;
        case 'e': s.explain = true; break;
        case 'M': eo.options |= TEMA_OPT_NO_MODEL; break;
        case 'N': eo.options |= TEMA_OPT_NO_THEMES; break;
        case 'L':
            if (eo.n_lexicons == sizeof eo.lexicons / sizeof eo.lexicons[0])
                return cli_usage_error("score ", "at most %zu --lexicon files",
                                       sizeof eo.lexicons / sizeof eo.lexicons[0]);
            eo.lexicons[eo.n_lexicons++] = optarg;
            break;
        case 'T':
            if (eo.n_taxonomies == sizeof eo.taxonomies / sizeof eo.taxonomies[0])
                return cli_usage_error("score ", "at most %zu --taxonomy files",
                                       sizeof eo.taxonomies / sizeof eo.taxonomies[0]);
            eo.taxonomies[eo.n_taxonomies++] = optarg;
            break;
        case 'P': use_prior = false; break;
        case 'D': eo.data_dir = optarg; break;
        case CLI_OPT_ENCODING:
            if (!cli_parse_encoding("score ", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h': help(); return cli_finish(EXIT_OK);
        default: return cli_bad_option("score ", c, argv);
        }
    }
    if ((eo.options & TEMA_OPT_NO_THEMES) && eo.n_taxonomies)
        return cli_usage_error("score ", "--taxonomy and --no-themes exclude each other");
    cli_text run;
    int code = cli_text_begin(&run, "score ", argc, argv, &eo, &enc);
    cli_lines in = {.in = run.in};
    const char *line;
    char *outmem = NULL;
    long n;
    if (code != EXIT_OK)
        goto done; /* a usage or input error keeps its own exit code */
    if (!(outmem = malloc(OUT_BUFFER))) {
        cli_error("out of memory");
        code = EXIT_FATAL;
        goto done;
    }
    jb_init(&s.out, stdout, outmem, OUT_BUFFER);
    s.heads = calloc(HEAD_SLOTS, sizeof *s.heads); /* optional: NULL only costs speed */
    make_label_tails(&s);
    s.doc = run.doc;
    tema_analyze_opts ao = {.stage = TEMA_STAGE_ALL, .lang = lang};
    double prior[TEMA_LANG_COUNT];
    if (use_prior && lang == TEMA_LANG_UND) {
        if (!cli_lines_prior(&in, s.doc, prior)) {
            code = EXIT_FATAL;
            goto done;
        }
        ao.lang_prior = prior;
    }
    s.docs[0] = s.doc;
    for (size_t i = 1; i < BATCH_LINES; i++)
        if (tema_doc_new_sibling(s.doc, &s.docs[i]) != TEMA_OK) {
            cli_error("out of memory");
            code = EXIT_FATAL;
            goto done;
        }
    while ((n = cli_lines_next(&in, &line)) >= 0)
        if (!add_line(&s, &ao, line, (size_t)n)) {
            code = EXIT_FATAL;
            goto done;
        }
    if (s.nlines && !score_batch(&s, &ao)) {
        code = EXIT_FATAL;
        goto done;
    }
    if (cli_lines_failed(&in))
        code = EXIT_FATAL;
done:
    if (outmem)
        jb_flush(&s.out);
    free(outmem);
    for (size_t i = 1; i < BATCH_LINES; i++)
        tema_doc_free(s.docs[i]);
    free(s.batch);
    free(s.heads);
    free(s.heads_text);
    cli_lines_free(&in);
    return cli_text_end(&run, code);
}
