/*
 * cmd_lang.c: `tema lang [--scores] [--lang L] [--no-lang-prior] [FILE]`:
 * one language code per input line, in order.
 *
 * The run prior comes from a first look at up to CLI_PRIOR_SAMPLE lines
 * (cli_lines_prior()): the languages detected confidently there lean later
 * short, ambiguous lines toward the run's main language.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
           CLI_ENCODING_HELP("                      ")
           "  -h, --help          show this help\n");
}

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
                                             CLI_ENCODING_OPTION,
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    bool scores = false, use_prior = true;
    tema_lang lang = TEMA_LANG_UND;
    cli_engine_opts eo = {.options = TEMA_OPT_NO_THEMES | TEMA_OPT_NO_MODEL};
    cli_encoding enc = {0};
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
        case CLI_OPT_ENCODING:
            if (!cli_parse_encoding("lang ", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h': help(); return cli_finish(EXIT_OK);
        default: return cli_bad_option("lang ", c, argv);
        }
    }
    cli_text run;
    int code = cli_text_begin(&run, "lang ", argc, argv, &eo, &enc);
    cli_lines in = {.in = run.in};
    const char *line;
    long n;
    if (code != EXIT_OK)
        goto done;
    tema_analyze_opts ao = {.stage = TEMA_STAGE_LANG, .lang = lang};
    double prior[TEMA_LANG_COUNT];
    if (use_prior && lang == TEMA_LANG_UND) {
        if (!cli_lines_prior(&in, run.doc, prior)) {
            code = EXIT_FATAL;
            goto done;
        }
        ao.lang_prior = prior;
    }
    while ((n = cli_lines_next(&in, &line)) >= 0) {
        if (tema_doc_analyze(run.doc, line, (size_t)n, &ao) != TEMA_OK) {
            code = EXIT_FATAL;
            goto done;
        }
        print_result(run.doc, scores);
    }
    if (cli_lines_failed(&in))
        code = EXIT_FATAL;
done:
    cli_lines_free(&in);
    return cli_text_end(&run, code);
}
