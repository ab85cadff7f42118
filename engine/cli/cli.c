/*
 * cli.c: helpers shared by the subcommands: error messages, finding the
 * data folder, opening inputs, checking that output was written, and the
 * set-up and line reading of the commands that take one comment per line.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("tema: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("tema: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'tema %s--help' for more information.\n", cmd ? cmd : "");
    return EXIT_USAGE;
}

static bool has_lexicons(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/lexicons", dir) >= (int)sizeof path)
        return false;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The data folder when none is given: $TEMA_DATA, then the source tree the
 * binary was built in (build/tema -> .), then the installed share/tema
 * beside bin/, then the library's compiled-in default (NULL). */
static const char *default_data_dir(void)
{
    static char dir[PATH_MAX];
    const char *env = getenv("TEMA_DATA");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    static const char *const rel[] = {"..", "../..", "../share/tema"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        if (snprintf(dir, sizeof dir, "%s/%s", exe, rel[i]) >= (int)sizeof dir)
            continue;
        if (has_lexicons(dir))
            return dir;
    }
    return NULL;
}

tema_engine *cli_engine_new(const cli_engine_opts *o)
{
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = o->options;
    cfg.data_dir = o->data_dir ? o->data_dir : default_data_dir();
    cfg.lexicons = o->lexicons;
    cfg.n_lexicons = o->n_lexicons;
    cfg.taxonomies = o->taxonomies;
    cfg.n_taxonomies = o->n_taxonomies;
    cfg.base_taxonomy = o->base_taxonomy;
    tema_engine *e = NULL;
    tema_status st = tema_engine_new(&cfg, &e);
    if (st != TEMA_OK) {
        const char *msg = e ? tema_errmsg(e) : "";
        cli_error("%s", *msg ? msg : tema_errstr(st));
        tema_engine_free(e);
        return NULL;
    }
    return e;
}

int cli_finish(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing output failed: %s", strerror(errno));
        return EXIT_FATAL;
    }
    return code;
}

bool cli_parse_lang(const char *cmd, const char *value, tema_lang *lang)
{
    if (value && tema_lang_parse(value, strlen(value), lang) == TEMA_OK &&
        *lang != TEMA_LANG_UND)
        return true;
    cli_usage_error(cmd, "unknown language '%s' (use sv, da, no or en)", value ? value : "");
    return false;
}

bool cli_parse_encoding(const char *cmd, const char *value, cli_encoding *e)
{
    static const struct {
        const char *name, *alias; /* the name, and the one other tools use */
        tema_encoding enc;
    } names[] = {{"utf8", "utf-8", TEMA_ENC_UTF8},          {"cp1252", "windows-1252", TEMA_ENC_CP1252},
                 {"latin1", "iso-8859-1", TEMA_ENC_LATIN1}, {"utf16le", "utf-16le", TEMA_ENC_UTF16LE},
                 {"utf16be", "utf-16be", TEMA_ENC_UTF16BE}, {"utf16", "utf-16", TEMA_ENC_UTF16}};
    for (size_t i = 0; value && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(value, names[i].name) == 0 || strcmp(value, names[i].alias) == 0) {
            e->enc = names[i].enc;
            e->given = true;
            return true;
        }
    cli_usage_error(cmd, "--encoding must be utf8, cp1252, latin1, utf16le, utf16be or utf16, "
                         "not '%s'",
                    value ? value : "");
    return false;
}

bool cli_encoding_agrees(const char *path, const cli_encoding *e, tema_encoding got)
{
    if ((got == TEMA_ENC_UTF16LE || got == TEMA_ENC_UTF16BE) && e->given &&
        e->enc == TEMA_ENC_UTF8) {
        cli_error("%s: the byte order mark says %s, but --encoding utf8 was given", path,
                  got == TEMA_ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE");
        return false;
    }
    return true;
}

tema_lines *cli_lines_open(const char *path, const cli_encoding *e)
{
    if (!path)
        path = "-";
    /* The message `tema analyze` gives for a file it cannot open. */
    struct stat sb;
    if (strcmp(path, "-") != 0 && (stat(path, &sb) != 0 || access(path, R_OK) != 0)) {
        cli_error("%s: %s", path, strerror(errno));
        return NULL;
    }
    tema_lines *l = NULL;
    tema_status st = tema_lines_open(path, e->enc, &l);
    if (st != TEMA_OK) {
        const char *msg = tema_lines_errmsg(l);
        cli_error("%s", *msg ? msg : tema_errstr(st));
        tema_lines_close(l);
        return NULL;
    }
    if (!cli_encoding_agrees(strcmp(path, "-") == 0 ? "<stdin>" : path, e,
                             tema_lines_encoding(l))) {
        tema_lines_close(l);
        return NULL;
    }
    return l;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_text_begin(cli_text *t, const char *cmd, int argc, char **argv,
                   const cli_engine_opts *eo, const cli_encoding *enc)
{
    *t = (cli_text){0};
    if (argc - optind > 1)
        return cli_usage_error(cmd, "at most one input file");
    t->name = optind < argc && strcmp(argv[optind], "-") != 0 ? argv[optind] : "standard input";
    if (!(t->in = cli_lines_open(optind < argc ? argv[optind] : NULL, enc)))
        return EXIT_FATAL;
    if (!(t->engine = cli_engine_new(eo)) || tema_doc_new(t->engine, &t->doc) != TEMA_OK)
        return EXIT_FATAL;
    return EXIT_OK;
}

int cli_text_end(cli_text *t, int code)
{
    tema_doc_free(t->doc);
    tema_engine_free(t->engine);
    tema_lines_close(t->in);
    return cli_finish(code);
}

/* Reads the next line into '*line'; -1 at the end or on an error (r->st). */
static long lines_read(cli_lines *r, const char **line)
{
    size_t n;
    r->st = tema_lines_next(r->in, line, &n);
    return r->st == TEMA_OK ? (long)n : -1;
}

bool cli_lines_prior(cli_lines *r, tema_doc *d, double prior[TEMA_LANG_COUNT])
{
    size_t counts[TEMA_LANG_COUNT] = {0};
    const tema_analyze_opts lo = {.stage = TEMA_STAGE_LANG};
    r->sample = calloc(CLI_PRIOR_SAMPLE, sizeof *r->sample);
    r->lens = calloc(CLI_PRIOR_SAMPLE, sizeof *r->lens);
    if (!r->sample || !r->lens) {
        cli_error("out of memory");
        return false;
    }
    const char *line;
    long n;
    while (r->n < CLI_PRIOR_SAMPLE && r->bytes < CLI_PRIOR_SAMPLE_BYTES &&
           (n = lines_read(r, &line)) >= 0) {
        /* the library's line is valid only until the next read: keep a copy */
        if (!(r->sample[r->n] = malloc((size_t)n + 1))) {
            cli_error("out of memory");
            return false;
        }
        memcpy(r->sample[r->n], line, (size_t)n + 1);
        r->lens[r->n++] = (size_t)n;
        r->bytes += (size_t)n;
        if (tema_doc_analyze(d, line, (size_t)n, &lo) == TEMA_OK && tema_doc_lang_confident(d))
            counts[tema_doc_lang(d)]++;
    }
    tema_lang_prior(counts, prior);
    return true;
}

long cli_lines_next(cli_lines *r, const char **line)
{
    if (r->next < r->n) {
        *line = r->sample[r->next];
        return (long)r->lens[r->next++];
    }
    if (r->st != TEMA_OK) /* the sample ran into the end or an error */
        return -1;
    return lines_read(r, line);
}

bool cli_lines_failed(const cli_lines *r)
{
    if (r->st == TEMA_OK || r->st == TEMA_DONE)
        return false;
    const char *msg = tema_lines_errmsg(r->in);
    cli_error("%s", *msg ? msg : tema_errstr(r->st));
    return true;
}

void cli_lines_free(cli_lines *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->sample[i]);
    free(r->sample);
    free(r->lens);
}
