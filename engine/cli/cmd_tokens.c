/*
 * cmd_tokens.c: `tema tokens [--lang L] [FILE]`: each input line is one
 * comment; prints one line per token (type, byte offsets, normalised form,
 * stem, flags) and a blank line after each comment.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(void)
{
    printf("Usage: tema tokens [--lang LANG] [FILE]\n"
           "Reads one comment per line (FILE or standard input) and prints its tokens, one\n"
           "per line, then a blank line:\n"
           "  TYPE <TAB> START <TAB> END <TAB> NORMALISED <TAB> STEM <TAB> FLAGS\n"
           "START and END are byte offsets into the line as UTF-8 (END exclusive).  FLAGS is a\n"
           "comma-separated list (allcaps, elongated, capitalised, sent_end, clause_end,\n"
           "exclaim, question, repaired, count=N) or '-'.\n"
           "\n"
           "  -l, --lang LANG   sv, da, no or en; default: detect per comment\n"
           "      --data DIR    folder holding lexicons/ and models/\n"
           CLI_ENCODING_HELP("                    ")
           "  -h, --help        show this help\n");
}

static void print_flags(const tema_token *t)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{TEMA_TOKF_ALLCAPS, "allcaps"},       {TEMA_TOKF_ELONGATED, "elongated"},
                 {TEMA_TOKF_CAPITALISED, "capitalised"}, {TEMA_TOKF_SENT_END, "sent_end"},
                 {TEMA_TOKF_CLAUSE_END, "clause_end"}, {TEMA_TOKF_EXCLAIM, "exclaim"},
                 {TEMA_TOKF_QUESTION, "question"},     {TEMA_TOKF_REPAIRED, "repaired"}};
    bool any = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (t->flags & names[i].bit) {
            printf("%s%s", any ? "," : "", names[i].name);
            any = true;
        }
    if (t->count > 1) {
        printf("%scount=%u", any ? "," : "", t->count);
        any = true;
    }
    if (!any)
        putchar('-');
}

int cmd_tokens(int argc, char **argv)
{
    static const struct option longopts[] = {{"lang", required_argument, NULL, 'l'},
                                             {"data", required_argument, NULL, 'D'},
                                             CLI_ENCODING_OPTION,
                                             {"help", no_argument, NULL, 'h'},
                                             {0, 0, 0, 0}};
    tema_lang lang = TEMA_LANG_UND;
    cli_engine_opts eo = {.options = TEMA_OPT_NO_THEMES | TEMA_OPT_NO_MODEL};
    cli_encoding enc = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (!cli_parse_lang("tokens ", optarg, &lang))
                return EXIT_USAGE;
            break;
        case 'D':
            eo.data_dir = optarg;
            break;
        case CLI_OPT_ENCODING:
            if (!cli_parse_encoding("tokens ", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h':
            help();
            return cli_finish(EXIT_OK);
        default:
            return cli_bad_option("tokens ", c, argv);
        }
    }
    cli_text run;
    int code = cli_text_begin(&run, "tokens ", argc, argv, &eo, &enc);
    if (code != EXIT_OK)
        return cli_text_end(&run, code);
    tema_analyze_opts ao = {.stage = TEMA_STAGE_STEM, .lang = lang};
    cli_lines in = {.in = run.in};
    const char *line;
    long n;
    while ((n = cli_lines_next(&in, &line)) >= 0) {
        tema_status st = tema_doc_analyze(run.doc, line, (size_t)n, &ao);
        if (st != TEMA_OK) {
            cli_error("%s", tema_errstr(st));
            code = EXIT_FATAL;
            break;
        }
        size_t nt = tema_doc_token_count(run.doc);
        for (size_t i = 0; i < nt; i++) {
            tema_token t;
            tema_doc_token(run.doc, i, &t);
            printf("%s\t%zu\t%zu\t%.*s\t%.*s\t", tema_token_type_name(t.type), t.start, t.end,
                   (int)t.norm_len, t.norm, (int)t.stem_len, t.stem);
            print_flags(&t);
            putchar('\n');
        }
        putchar('\n');
    }
    if (cli_lines_failed(&in))
        code = EXIT_FATAL;
    cli_lines_free(&in);
    return cli_text_end(&run, code);
}
