/*
 * main.c: the tema command: dispatches to one cmd_* function per
 * subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;              /* subcommand */
    int (*run)(int argc, char **argv);
    const char *summary;           /* one line for `tema --help` */
} command;

static const command commands[] = {
    {"stem", cmd_stem, "stem one word per line with Snowball"},
    {"tokens", cmd_tokens, "show the tokens of each input line (for debugging)"},
    {"lang", cmd_lang, "identify the language of each input line"},
    {"score", cmd_score, "sentiment (and theme mentions) of each input line"},
    {"themes", cmd_themes, "list, check or measure the coverage of the theme taxonomy"},
    {"top", cmd_top, "top irritants per touchpoint, from the store"},
    {"scores", cmd_scores, "NPS, CSAT and CES overall and per group, from the store"},
    {"drivers", cmd_drivers, "key drivers: themes associated with the score, from the store"},
    {"analyze", cmd_analyze, "analyse exports into the store (tema.db)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: tema COMMAND [OPTIONS] [FILE...]\n"
            "Text analytics for customer feedback in Swedish, Danish, Norwegian and English.\n"
            "\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nRun 'tema COMMAND --help' for the options of a command.\n"
            "\nExit codes:\n"
            "  0  success\n"
            "  1  fatal error (missing or unreadable file, bad data file, store failure)\n"
            "  2  invalid command line\n"
            "  3  analyze --strict: some rows were rejected\n"
            "  130, 143  analyze interrupted by SIGINT, SIGTERM (the run was rolled back)\n"
            "\nEnvironment:\n"
            "  TEMA_DATA  folder holding lexicons/ and models/ (default: beside the binary,\n"
            "             then the install prefix's share/tema)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return cli_finish(EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("tema %s\n", tema_version());
        return cli_finish(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (cmd[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", cmd);
    return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
