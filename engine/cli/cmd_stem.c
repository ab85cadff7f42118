/*
 * cmd_stem.c: `tema stem --lang L [FILE]`: one word per input line, its
 * Snowball stem per output line, in order.  Words are normalised (NFKC,
 * case folding) first, as in the analysis pipeline.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(void)
{
    printf("Usage: tema stem --lang LANG [FILE]\n"
           "Reads one word per line (FILE or standard input) and prints its Snowball stem,\n"
           "one per line, in order.  Words are normalised (NFKC, case folding) first.\n"
           "\n"
           "  -l, --lang LANG   sv, da, no or en (required)\n"
           CLI_ENCODING_HELP("                    ")
           "  -h, --help        show this help\n");
}

int cmd_stem(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, 'l'},
        CLI_ENCODING_OPTION,
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    tema_lang lang = TEMA_LANG_UND;
    cli_encoding enc = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (!cli_parse_lang("stem ", optarg, &lang))
                return EXIT_USAGE;
            break;
        case CLI_OPT_ENCODING:
            if (!cli_parse_encoding("stem ", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h':
            help();
            return cli_finish(EXIT_OK);
        default:
            return cli_bad_option("stem ", c, argv);
        }
    }
    if (lang == TEMA_LANG_UND)
        return cli_usage_error("stem ", "--lang is required");
    cli_engine_opts eo = {.options = TEMA_OPT_TEXT_ONLY};
    cli_text run;
    int code = cli_text_begin(&run, "stem ", argc, argv, &eo, &enc);
    if (code != EXIT_OK)
        return cli_text_end(&run, code);
    cli_lines in = {.in = run.in};
    const char *line;
    char *norm = NULL;
    size_t norm_cap = 0;
    long n;
    while ((n = cli_lines_next(&in, &line)) >= 0) {
        size_t need;
        tema_status st;
        while ((st = tema_normalize(line, (size_t)n, norm, norm_cap, &need, 0)) == TEMA_ERR_LIMIT) {
            char *p = realloc(norm, need);
            if (!p) {
                st = TEMA_ERR_NOMEM;
                break;
            }
            norm = p;
            norm_cap = need;
        }
        const char *stem = "";
        size_t stem_len = 0;
        if (st == TEMA_OK && need > 0)
            st = tema_doc_stem(run.doc, lang, norm, need, &stem, &stem_len);
        if (st != TEMA_OK) {
            cli_error("%s", tema_errstr(st));
            code = EXIT_FATAL;
            break;
        }
        fwrite(stem, 1, stem_len, stdout);
        putchar('\n');
    }
    if (cli_lines_failed(&in))
        code = EXIT_FATAL;
    cli_lines_free(&in);
    free(norm);
    return cli_text_end(&run, code);
}
