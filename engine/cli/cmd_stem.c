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
           "  -h, --help        show this help\n");
}

int cmd_stem(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    tema_lang lang = TEMA_LANG_UND;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (!cli_parse_lang("stem ", optarg, &lang))
                return EXIT_USAGE;
            break;
        case 'h':
            help();
            return cli_finish(EXIT_OK);
        case ':':
            return cli_usage_error("stem ", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("stem ", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (lang == TEMA_LANG_UND)
        return cli_usage_error("stem ", "--lang is required");
    if (argc - optind > 1)
        return cli_usage_error("stem ", "at most one input file");
    FILE *in = cli_open_input(optind < argc ? argv[optind] : NULL);
    if (!in)
        return EXIT_FATAL;
    cli_engine_opts eo = {.options = TEMA_OPT_TEXT_ONLY};
    tema_engine *e = cli_engine_new(&eo);
    tema_doc *d = NULL;
    int code = EXIT_OK;
    if (!e || tema_doc_new(e, &d) != TEMA_OK) {
        code = EXIT_FATAL;
        goto done;
    }
    char *line = NULL, *norm = NULL;
    size_t cap = 0, norm_cap = 0;
    long n;
    while ((n = cli_getline(&line, &cap, in)) >= 0) {
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
            st = tema_doc_stem(d, lang, norm, need, &stem, &stem_len);
        if (st != TEMA_OK) {
            cli_error("%s", tema_errstr(st));
            code = EXIT_FATAL;
            break;
        }
        fwrite(stem, 1, stem_len, stdout);
        putchar('\n');
    }
    if (ferror(in)) {
        cli_error("reading input failed");
        code = EXIT_FATAL;
    }
    free(line);
    free(norm);
done:
    tema_doc_free(d);
    tema_engine_free(e);
    cli_close_input(in);
    return cli_finish(code);
}
