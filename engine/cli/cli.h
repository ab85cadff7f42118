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
/* Flushes and checks stdout; returns 'code', or EXIT_FATAL if writing failed. */
int cli_finish(int code);
/* Parses a language option value; prints a usage error and returns false if invalid. */
bool cli_parse_lang(const char *cmd, const char *value, tema_lang *lang);
/* The usage error for what getopt_long() returned as 'c' (opterr = 0, ':' first
 * in the short options): ':' a missing value, anything else an unknown
 * option.  Returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);

/* --encoding, shared by `tema analyze` and the line commands: the same
 * names, help and errors everywhere. */
typedef struct cli_encoding {
    tema_encoding enc;   /* TEMA_ENC_UTF8 unless --encoding said otherwise */
    bool given;          /* --encoding was given (then a UTF-16 mark must agree with utf8 too) */
} cli_encoding;
/* getopt_long() value of --encoding; the line commands put CLI_ENCODING_OPTION
 * in their option table and CLI_ENCODING_HELP in their --help. */
#define CLI_OPT_ENCODING 1000
#define CLI_ENCODING_OPTION {"encoding", required_argument, NULL, CLI_OPT_ENCODING}
/* The --help lines of --encoding; 'IND' is a string of spaces up to the
 * command's description column. */
#define CLI_ENCODING_HELP(IND)                                                    \
    "      --encoding ENC\n" IND "utf8 (default), cp1252, latin1, utf16le,\n" IND   \
    "utf16be, or utf16 (byte order by the mark); gzip\n" IND                        \
    "and byte order marks are recognised by themselves\n"
/* Parses an --encoding value into '*e'; prints a usage error (for 'cmd', as
 * in cli_usage_error()) and returns false if it names no encoding. */
bool cli_parse_encoding(const char *cmd, const char *value, cli_encoding *e);
/* After opening 'path': 'got' is the encoding the input is read in.  The
 * library cannot tell an explicit utf8 from the default, so a UTF-16 byte
 * order mark under --encoding utf8 is refused here.  Prints the error and
 * returns false then. */
bool cli_encoding_agrees(const char *path, const cli_encoding *e, tema_encoding got);
/* Opens 'path' (NULL or "-": standard input) for reading one line at a
 * time through the library's input layer (gzip, byte order marks, 'e');
 * prints the error and returns NULL on failure. */
tema_lines *cli_lines_open(const char *path, const cli_encoding *e);

/* What the line commands (stem, tokens, lang, score) set up once their
 * options are parsed. */
typedef struct cli_text {
    tema_lines *in;      /* the input: the one FILE operand, or stdin */
    const char *name;    /* its name for messages */
    tema_engine *engine; /* NULL until created */
    tema_doc *doc;       /* NULL until created */
} cli_text;

/* Checks that argv[optind..] names at most one input file, opens it ('enc'), and
 * creates the engine ('eo') and a document.  Returns EXIT_OK, or the exit
 * code after printing why not; 'cmd' is as for cli_usage_error().  Either
 * way cli_text_end() releases what was set up. */
int cli_text_begin(cli_text *t, const char *cmd, int argc, char **argv,
                   const cli_engine_opts *eo, const cli_encoding *enc);
/* Frees the document and engine, closes the input; returns cli_finish(code). */
int cli_text_end(cli_text *t, int code);

/* The input lines in order.  With cli_lines_prior() the first
 * CLI_PRIOR_SAMPLE lines (at most CLI_PRIOR_SAMPLE_BYTES) are read ahead to
 * find the run's language mix, which leans short, ambiguous comments toward
 * the main language; they are held in memory (bounded) so standard input
 * works too, and cli_lines_next() hands them out first. */
#define CLI_PRIOR_SAMPLE 2000
#define CLI_PRIOR_SAMPLE_BYTES (8u << 20)
typedef struct cli_lines {
    tema_lines *in;  /* where the lines come from */
    tema_status st;  /* TEMA_OK, TEMA_DONE at the end, or the read error */
    char **sample;   /* lines read ahead (owned), NULL without a prior */
    size_t *lens;    /* their lengths */
    size_t n;        /* lines read ahead */
    size_t next;     /* the next of them to hand out */
    size_t bytes;    /* their total size */
} cli_lines;

/* Reads the sample ahead and sets 'prior' (tema_lang_prior()) from the
 * languages 'd' detects confidently in it.  Returns false, with the reason
 * printed, when out of memory. */
bool cli_lines_prior(cli_lines *r, tema_doc *d, double prior[TEMA_LANG_COUNT]);
/* The next line in '*line' (valid until the next call); returns its length,
 * or -1 at the end of the input or on a read error (cli_lines_failed()). */
long cli_lines_next(cli_lines *r, const char **line);
/* After cli_lines_next() returned -1: whether reading failed (then the
 * reason is printed). */
bool cli_lines_failed(const cli_lines *r);
void cli_lines_free(cli_lines *r);

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
