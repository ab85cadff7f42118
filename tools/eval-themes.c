/*
 * eval-themes.c: precision, recall and F1 of theme detection against a
 * labelled file (corpora/themes/<lang>.tsv: "themes<TAB>text"), per language
 * and overall, as Markdown on stdout for docs/accuracy.md.
 *
 *   eval-themes [--half tune|test|all] [--taxonomy FILE] [--base-taxonomy FILE]
 *               [--detect] [--errors] [--exact-errors] [--min-f1 F] FILE...
 *
 * Scores are micro-averaged over (comment, theme) pairs.  Two levels: exact
 * theme ids, and touchpoints (every id replaced by its touchpoint, so a
 * predicted delivery.late is right for a labelled delivery and the other way
 * round).  The label "other" and the engine's other* mentions mean "no
 * theme": they add no pair, so false themes on such comments cost precision.
 * The language comes from the file name (sv.tsv ...) unless --detect.
 * --errors lists, on stderr, the comments with a wrong or missing touchpoint;
 * --exact-errors also those whose touchpoints are right but whose theme ids
 * are not (a parent where a sub-theme was labelled, a confused sub-theme).
 *
 * Files may also carry sentiment (corpora/themes/holdout/):
 * "sentiment<TAB>id:polarity,...<TAB>text", with the comment's overall label
 * and each theme's own.  Then a second table gives the comment labels'
 * accuracy and macro-F1 over the three classes (a class that neither the
 * labels nor the predictions of a file use counts as F1 0), and, for every labelled
 * touchpoint the matcher also found, how often the found mention's label
 * (the first mention of that touchpoint) equals the labelled polarity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tema.h"

#define MAX_SET 64 /* themes per comment; more is a broken label line */

/* Counts of one language (or of all). */
typedef struct counts {
    size_t comments;      /* comments evaluated */
    size_t tp, fp, fn;    /* exact theme ids */
    size_t ttp, tfp, tfn; /* touchpoints */
    size_t none;          /* comments labelled "other" */
    size_t none_ok;       /* ... of which got no real theme */
    size_t conf[3][3];    /* comment labels, [gold][predicted], in tema_label order */
    size_t pol_found;     /* labelled touchpoints found, in files with polarities */
    size_t pol_right;     /* ... whose found mention has the labelled polarity */
} counts;

/* A set of strings (ids or touchpoints), deduplicated. */
typedef struct set {
    const char *s[MAX_SET]; /* NUL-terminated strings, owned elsewhere */
    size_t n;               /* used */
} set;

static const tema_engine *eng;

static int set_has(const set *a, const char *s)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->s[i], s) == 0)
            return 1;
    return 0;
}

static void set_add(set *a, const char *s)
{
    if (a->n < MAX_SET && !set_has(a, s))
        a->s[a->n++] = s;
}

/* The touchpoint of theme 'id', or NULL for an unknown id. */
static const char *touchpoint_of(const char *id)
{
    size_t n = tema_theme_count(eng);
    for (size_t i = 0; i < n; i++) {
        tema_theme_info info;
        if (tema_theme_get(eng, i, TEMA_LANG_UND, &info) == TEMA_OK && strcmp(info.id, id) == 0)
            return info.touchpoint;
    }
    return NULL;
}

/* Adds |a & b|, |a - b| and |b - a| ('a' predicted, 'b' gold). */
static void score(const set *pred, const set *gold, size_t *tp, size_t *fp, size_t *fn)
{
    for (size_t i = 0; i < pred->n; i++)
        *(set_has(gold, pred->s[i]) ? tp : fp) += 1;
    for (size_t i = 0; i < gold->n; i++)
        *fn += !set_has(pred, gold->s[i]);
}

/* "negative" -> TEMA_LABEL_NEGATIVE ...; -1 for anything else. */
static int label_of(const char *s, size_t n)
{
    static const struct { const char *name; tema_label label; } names[] = {
        {"negative", TEMA_LABEL_NEGATIVE}, {"neutral", TEMA_LABEL_NEUTRAL},
        {"positive", TEMA_LABEL_POSITIVE}};
    for (size_t i = 0; i < 3; i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
            return (int)names[i].label;
    return -1;
}

static void print_set(FILE *f, const set *a)
{
    if (!a->n)
        fputs("-", f);
    for (size_t i = 0; i < a->n; i++)
        fprintf(f, "%s%s", i ? "," : "", a->s[i]);
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

static double f1(size_t tp, size_t fp, size_t fn)
{
    double p = ratio(tp, tp + fp), r = ratio(tp, tp + fn);
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static void row(const char *name, const counts *c)
{
    printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %zu/%zu |\n", name, c->comments,
           ratio(c->tp, c->tp + c->fp), ratio(c->tp, c->tp + c->fn), f1(c->tp, c->fp, c->fn),
           ratio(c->ttp, c->ttp + c->tfp), ratio(c->ttp, c->ttp + c->tfn),
           f1(c->ttp, c->tfp, c->tfn), c->none_ok, c->none);
}

/* The language named by the file's base name ("corpora/themes/sv.tsv" -> sv). */
static int lang_of_path(const char *path, tema_lang *lang)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    return tema_lang_parse(base, dot ? (size_t)(dot - base) : strlen(base), lang) == TEMA_OK &&
           *lang != TEMA_LANG_UND;
}

/* Evaluates one file; returns 0, or 1 after printing a file:line message. */
static int eval_file(tema_doc *doc, const char *path, int half, int detect, int errors, counts *c)
{
    tema_lang lang = TEMA_LANG_UND;
    if (!detect && !lang_of_path(path, &lang)) {
        fprintf(stderr, "eval-themes: %s: name the file after its language (sv.tsv) or use --detect\n",
                path);
        return 1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = 0, with_sentiment = -1;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        /* The file's format, from its first line: with sentiment when that
         * line starts with a label or its second field holds id:polarity
         * items; otherwise "themes<TAB>text", whose text may hold TABs. */
        if (with_sentiment < 0 && len) {
            char *tab2 = tab ? strchr(tab + 1, '\t') : NULL;
            with_sentiment = tab && (label_of(line, (size_t)(tab - line)) >= 0 ||
                                     (tab2 && memchr(tab + 1, ':', (size_t)(tab2 - tab - 1))));
        }
        /* The fixed split: odd lines tune, even lines test. */
        if ((half == 1 && lineno % 2 == 0) || (half == 2 && lineno % 2 == 1))
            continue;
        if (!len)
            continue;
        if (!tab) {
            fprintf(stderr, "%s:%zu: no TAB between themes and text\n", path, lineno);
            rc = 1;
            break;
        }
        *tab = '\0';
        char *ids = line;
        const char *text = tab + 1;
        int gold_label = -1;
        char *tab2 = with_sentiment == 1 ? strchr(text, '\t') : NULL;
        if (with_sentiment == 1 && !tab2) {
            fprintf(stderr, "%s:%zu: expected sentiment<TAB>themes<TAB>text\n", path, lineno);
            rc = 1;
            break;
        }
        if (tab2) {
            gold_label = label_of(line, (size_t)(tab - line));
            if (gold_label < 0) {
                fprintf(stderr, "%s:%zu: '%s' is not positive, neutral or negative\n", path,
                        lineno, line);
                rc = 1;
                break;
            }
            *tab2 = '\0';
            ids = tab + 1;
            text = tab2 + 1;
        }
        set gold = {.n = 0}, gold_tp = {.n = 0}, pred = {.n = 0}, pred_tp = {.n = 0};
        int gold_pol[MAX_SET]; /* per gold_tp entry: the first labelled polarity of it */
        int labelled_none = 0;
        for (char *save = NULL, *id = strtok_r(ids, ", ", &save); id; id = strtok_r(NULL, ", ", &save)) {
            int pol = -1;
            char *colon = strchr(id, ':');
            if (gold_label >= 0) {
                if (!colon || (pol = label_of(colon + 1, strlen(colon + 1))) < 0) {
                    fprintf(stderr, "%s:%zu: '%s' is not id:positive|neutral|negative\n", path,
                            lineno, id);
                    rc = 1;
                    break;
                }
                *colon = '\0';
            }
            if (strcmp(id, "other") == 0) {
                labelled_none = 1;
                continue;
            }
            const char *tp = touchpoint_of(id);
            if (!tp) {
                fprintf(stderr, "%s:%zu: unknown theme '%s'\n", path, lineno, id);
                rc = 1;
                break;
            }
            set_add(&gold, id);
            if (!set_has(&gold_tp, tp) && gold_tp.n < MAX_SET)
                gold_pol[gold_tp.n] = pol;
            set_add(&gold_tp, tp);
        }
        if (rc)
            break;
        if (labelled_none && gold.n) {
            fprintf(stderr, "%s:%zu: 'other' together with themes\n", path, lineno);
            rc = 1;
            break;
        }
        tema_analyze_opts o = {.stage = TEMA_STAGE_ALL, .lang = lang};
        if (tema_doc_analyze(doc, text, strlen(text), &o) != TEMA_OK) {
            fprintf(stderr, "%s:%zu: analysis failed\n", path, lineno);
            rc = 1;
            break;
        }
        for (size_t i = 0, n = tema_doc_mention_count(doc); i < n; i++) {
            tema_mention m;
            if (tema_doc_mention(doc, i, &m) != TEMA_OK || strcmp(m.touchpoint, "other") == 0)
                continue;
            set_add(&pred, m.theme);
            set_add(&pred_tp, m.touchpoint);
        }
        if (gold_label >= 0) {
            c->conf[gold_label][tema_doc_label(doc)]++;
            for (size_t g = 0; g < gold_tp.n; g++)
                for (size_t k = 0, n = tema_doc_mention_count(doc); k < n; k++) {
                    tema_mention m;
                    if (tema_doc_mention(doc, k, &m) == TEMA_OK &&
                        strcmp(m.touchpoint, gold_tp.s[g]) == 0) {
                        c->pol_found++;
                        c->pol_right += (int)m.label == gold_pol[g];
                        break;
                    }
                }
        }
        c->comments++;
        if (!gold.n) {
            c->none++;
            c->none_ok += !pred.n;
        }
        score(&pred, &gold, &c->tp, &c->fp, &c->fn);
        score(&pred_tp, &gold_tp, &c->ttp, &c->tfp, &c->tfn);
        if (errors) {
            size_t a = 0, b = 0, d = 0;
            score(&pred_tp, &gold_tp, &a, &b, &d);
            if (errors > 1)
                score(&pred, &gold, &a, &b, &d);
            if (b || d) {
                fprintf(stderr, "%s:%zu: gold ", path, lineno);
                print_set(stderr, &gold);
                fputs(" pred ", stderr);
                print_set(stderr, &pred);
                /* The words behind each wrong touchpoint, to see which term fired. */
                for (size_t k = 0, n = tema_doc_mention_count(doc); k < n; k++) {
                    tema_mention m;
                    if (tema_doc_mention(doc, k, &m) == TEMA_OK && strcmp(m.touchpoint, "other") != 0 &&
                        !set_has(errors > 1 ? &gold : &gold_tp, errors > 1 ? m.theme : m.touchpoint))
                        fprintf(stderr, " [%s: %.*s]", m.theme, (int)(m.end - m.start), text + m.start);
                }
                fprintf(stderr, " | %s\n", text);
            }
        }
    }
    free(line);
    fclose(f);
    return rc;
}

static void add(counts *to, const counts *c)
{
    to->comments += c->comments;
    to->tp += c->tp, to->fp += c->fp, to->fn += c->fn;
    to->ttp += c->ttp, to->tfp += c->tfp, to->tfn += c->tfn;
    to->none += c->none, to->none_ok += c->none_ok;
    for (int g = 0; g < 3; g++)
        for (int p = 0; p < 3; p++)
            to->conf[g][p] += c->conf[g][p];
    to->pol_found += c->pol_found, to->pol_right += c->pol_right;
}

static size_t labelled(const counts *c)
{
    size_t n = 0;
    for (int g = 0; g < 3; g++)
        for (int p = 0; p < 3; p++)
            n += c->conf[g][p];
    return n;
}

static void sentiment_row(const char *name, const counts *c)
{
    size_t right = 0, n = labelled(c);
    double macro = 0;
    for (int k = 0; k < 3; k++) {
        size_t tp = c->conf[k][k], fp = 0, fn = 0;
        for (int o = 0; o < 3; o++)
            if (o != k) {
                fp += c->conf[o][k];
                fn += c->conf[k][o];
            }
        right += tp;
        macro += f1(tp, fp, fn) / 3;
    }
    printf("| %s | %zu | %.3f | %.3f | %zu | %.3f |\n", name, n, ratio(right, n), macro,
           c->pol_found, ratio(c->pol_right, c->pol_found));
}

static int usage(void)
{
    fprintf(stderr, "usage: eval-themes [--half tune|test|all] [--taxonomy FILE] "
                    "[--base-taxonomy FILE] [--detect] [--errors] [--exact-errors] "
                    "[--min-f1 F] FILE...\n");
    return 2;
}

int main(int argc, char **argv)
{
    int half = 0, detect = 0, errors = 0;
    double min_f1 = -1;
    const char *taxonomies[16];
    size_t n_tax = 0;
    tema_config cfg;
    tema_config_init(&cfg);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--half") == 0 && i + 1 < argc) {
            const char *h = argv[++i];
            half = strcmp(h, "tune") == 0 ? 1 : strcmp(h, "test") == 0 ? 2 : strcmp(h, "all") == 0 ? 0 : -1;
            if (half < 0)
                return usage();
        } else if (strcmp(a, "--taxonomy") == 0 && i + 1 < argc && n_tax < 16) {
            taxonomies[n_tax++] = argv[++i];
        } else if (strcmp(a, "--base-taxonomy") == 0 && i + 1 < argc) {
            cfg.base_taxonomy = argv[++i];
        } else if (strcmp(a, "--min-f1") == 0 && i + 1 < argc) {
            min_f1 = strtod(argv[++i], NULL);
        } else if (strcmp(a, "--detect") == 0) {
            detect = 1;
        } else if (strcmp(a, "--errors") == 0) {
            errors = errors > 1 ? errors : 1;
        } else if (strcmp(a, "--exact-errors") == 0) {
            errors = 2;
        } else {
            return usage();
        }
    }
    if (i == argc)
        return usage();
    cfg.taxonomies = taxonomies;
    cfg.n_taxonomies = n_tax;
    tema_engine *e = NULL;
    tema_doc *doc = NULL;
    if (tema_engine_new(&cfg, &e) != TEMA_OK || tema_doc_new(e, &doc) != TEMA_OK) {
        fprintf(stderr, "eval-themes: %s\n", e ? tema_errmsg(e) : "out of memory");
        tema_engine_free(e);
        return 1;
    }
    eng = e;
    counts all = {0}, per[64];
    const char *names[64];
    int nfiles = 0, rc = 0;
    for (; i < argc && nfiles < 64; i++, nfiles++) {
        memset(&per[nfiles], 0, sizeof per[nfiles]);
        const char *base = strrchr(argv[i], '/');
        names[nfiles] = base ? base + 1 : argv[i];
        if (eval_file(doc, argv[i], half, detect, errors, &per[nfiles])) {
            rc = 1;
            break;
        }
        add(&all, &per[nfiles]);
    }
    if (!rc) {
        printf("| file | comments | exact P | exact R | exact F1 | touchpoint P | touchpoint R "
               "| touchpoint F1 | no theme right |\n");
        printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int k = 0; k < nfiles; k++) {
            row(names[k], &per[k]);
            if (f1(per[k].ttp, per[k].tfp, per[k].tfn) < min_f1)
                rc = 3;
        }
        if (nfiles > 1)
            row("all", &all);
        if (labelled(&all)) {
            printf("\n| file | comments with sentiment | sentiment accuracy | sentiment macro-F1 "
                   "| labelled touchpoints found | their polarity right |\n");
            printf("|---|---:|---:|---:|---:|---:|\n");
            for (int k = 0; k < nfiles; k++)
                if (labelled(&per[k]))
                    sentiment_row(names[k], &per[k]);
            if (nfiles > 1)
                sentiment_row("all", &all);
        }
        if (f1(all.ttp, all.tfp, all.tfn) < min_f1)
            rc = 3;
        if (rc == 3)
            fprintf(stderr, "eval-themes: touchpoint F1 below %.3f\n", min_f1);
    }
    tema_doc_free(doc);
    tema_engine_free(e);
    return rc;
}
