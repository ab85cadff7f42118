/*
 * cmd_lang.c: `tema lang [--scores] [--lang L] [--no-lang-prior] [FILE]`:
 * one language code per input line, in order.
 *
 * The run prior comes from a first look at up to PRIOR_SAMPLE lines: the
 * languages detected confidently there lean later short, ambiguous lines
 * toward the run's main language.  The sample is held in memory (bounded)
 * so standard input works too.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define PRIOR_SAMPLE 2000
#define PRIOR_SAMPLE_BYTES (8u << 20)

static void help(void)
{
    printf("Usage: tema lang [OPTIONS] [FILE]\n"
           "Reads one comment per line (FILE or standard input) and prints its language\n"
           "(sv, da, no, en, or und when undetermined: too few letters, or another\n"
           "language such as German, Finnish or French), one per line, in order.\n"
           "\n"
           "  -s, --scores        add the probability of each language: sv=0.970 da=...\n"
           "  -l, --lang LANG     force a language (sv, da, no, en)\n"
           "      --no-lang-prior do not lean short comments toward the input's main language\n"
           "      --data DIR      folder holding lexicons/ and models/\n"
           "  -h, --help          show this help\n");
}

typedef struct sample {
    char **lines;    /* buffered lines */
    size_t *lens;
    size_t n, bytes; /* count and total size */
} sample;

static void print_result(tema_doc *d, bool scores)
{
    printf("%s", tema_lang_code(tema_doc_lang(d)));
    if (scores) {
        double sc[TEMA_LANG_COUNT];
        tema_doc_lang_scores(d, sc);
        for (int l = TEMA_LANG_SV; l < TEMA_LANG_COUNT; l++)
            printf("\t%s=%.3f", tema_lang_code((tema_lang)l), sc[l]);
    }
    putchar('\n');
}

int cmd_lang(int argc, char **argv)
{
    static const struct option longopts[] = {{"scores", no_argument, NULL, 's'},
                                             {"lang", required_argument, NULL, 'l'},
                                             {"no-lang-prior", no_argument, NULL, 'P'},
                                             {"data", required_argument, NULL, 'D'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    bool scores = false, use_prior = true;
    tema_lang lang = TEMA_LANG_UND;
    cli_engine_opts eo = {.options = TEMA_OPT_NO_THEMES | TEMA_OPT_NO_MODEL};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":sl:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's': scores = true; break;
        case 'l':
            if (!cli_parse_lang("lang ", optarg, &lang))
                return EXIT_USAGE;
            break;
        case 'P': use_prior = false; break;
        case 'D': eo.data_dir = optarg; break;
        case 'h': help(); return cli_finish(EXIT_OK);
        case ':': return cli_usage_error("lang ", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("lang ", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return cli_usage_error("lang ", "at most one input file");
    FILE *in = cli_open_input(optind < argc ? argv[optind] : NULL);
    if (!in)
        return EXIT_FATAL;
    tema_engine *e = cli_engine_new(&eo);
    tema_doc *d = NULL;
    int code = EXIT_OK;
    sample smp = {0};
    char *line = NULL;
    size_t cap = 0;
    long n;
    if (!e || tema_doc_new(e, &d) != TEMA_OK) {
        code = EXIT_FATAL;
        goto done;
    }
    tema_analyze_opts ao = {.stage = TEMA_STAGE_LANG, .lang = lang};
    double prior[TEMA_LANG_COUNT];
    if (use_prior && lang == TEMA_LANG_UND) {
        size_t counts[TEMA_LANG_COUNT] = {0};
        smp.lines = calloc(PRIOR_SAMPLE, sizeof *smp.lines);
        smp.lens = calloc(PRIOR_SAMPLE, sizeof *smp.lens);
        if (!smp.lines || !smp.lens) {
            cli_error("out of memory");
            code = EXIT_FATAL;
            goto done;
        }
        while (smp.n < PRIOR_SAMPLE && smp.bytes < PRIOR_SAMPLE_BYTES &&
               (n = cli_getline(&line, &cap, in)) >= 0) {
            smp.lines[smp.n] = malloc((size_t)n + 1);
            if (!smp.lines[smp.n]) {
                code = EXIT_FATAL;
                goto done;
            }
            memcpy(smp.lines[smp.n], line, (size_t)n + 1);
            smp.lens[smp.n++] = (size_t)n;
            smp.bytes += (size_t)n;
            if (tema_doc_analyze(d, line, (size_t)n, &ao) == TEMA_OK && tema_doc_lang_confident(d))
                counts[tema_doc_lang(d)]++;
        }
        tema_lang_prior(counts, prior);
        ao.lang_prior = prior;
    }
    for (size_t i = 0; i < smp.n; i++) {
        if (tema_doc_analyze(d, smp.lines[i], smp.lens[i], &ao) != TEMA_OK) {
            code = EXIT_FATAL;
            goto done;
        }
        print_result(d, scores);
    }
    while ((n = cli_getline(&line, &cap, in)) >= 0) {
        if (tema_doc_analyze(d, line, (size_t)n, &ao) != TEMA_OK) {
            code = EXIT_FATAL;
            goto done;
        }
        print_result(d, scores);
    }
    if (ferror(in)) {
        cli_error("reading input failed");
        code = EXIT_FATAL;
    }
done:
    for (size_t i = 0; i < smp.n; i++)
        free(smp.lines[i]);
    free(smp.lines);
    free(smp.lens);
    free(line);
    tema_doc_free(d);
    tema_engine_free(e);
    cli_close_input(in);
    return cli_finish(code);
}
