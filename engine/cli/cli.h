/*
 * cli.h: what the subcommands of the tema command share.  The command is a
 * thin client of tema.h: it parses options, reads and writes files, and
 * calls the library; no analysis happens here.
 */
#ifndef TEMA_CLI_H
#define TEMA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "tema.h"

/* Exit codes (documented in README.md and `tema --help`). */
enum {
    EXIT_OK = 0,      /* success */
    EXIT_FATAL = 1,   /* fatal error: missing or unreadable file, bad data, store failure */
    EXIT_USAGE = 2,   /* invalid command line */
    EXIT_REJECTS = 3  /* `analyze --strict`: rows were rejected */
};

/* Options common to every subcommand that builds an engine. */
typedef struct cli_engine_opts {
    const char *data_dir;         /* --data */
    unsigned options;             /* TEMA_OPT_* */
    const char *lexicons[16];     /* --lexicon (repeatable) */
    size_t n_lexicons;
    const char *taxonomies[16];   /* --taxonomy (repeatable) */
    size_t n_taxonomies;
    const char *base_taxonomy;    /* --base-taxonomy */
} cli_engine_opts;

/* Prints "tema: error: ..." and a hint to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "tema: error: ..." to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Creates the engine, printing the reason on failure (NULL then). */
tema_engine *cli_engine_new(const cli_engine_opts *o);
/* Opens 'path' for reading ("-" or NULL: stdin); prints the error on failure. */
FILE *cli_open_input(const char *path);
void cli_close_input(FILE *f);
/* Flushes and checks stdout; returns 'code', or EXIT_FATAL if writing failed. */
int cli_finish(int code);
/* Parses a language option value; prints a usage error and returns false if invalid. */
bool cli_parse_lang(const char *cmd, const char *value, tema_lang *lang);
/* Reads one line (without its newline) into '*buf'; returns its length or -1 at EOF. */
long cli_getline(char **buf, size_t *cap, FILE *f);

/* Subcommands: argc/argv start at the subcommand name. */
int cmd_stem(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_lang(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_themes(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_scores(int argc, char **argv);
int cmd_drivers(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

#endif
