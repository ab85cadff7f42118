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

FILE *cli_open_input(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdin;
    FILE *f = fopen(path, "rb");
    if (!f)
        cli_error("%s: %s", path, strerror(errno));
    return f;
}

void cli_close_input(FILE *f)
{
    if (f && f != stdin)
        fclose(f);
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

long cli_getline(char **buf, size_t *cap, FILE *f)
{
    ssize_t n = getline(buf, cap, f);
    if (n < 0)
        return -1;
    if (n > 0 && (*buf)[n - 1] == '\n')
        (*buf)[--n] = '\0';
    if (n > 0 && (*buf)[n - 1] == '\r')
        (*buf)[--n] = '\0';
    return (long)n;
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_text_begin(cli_text *t, const char *cmd, int argc, char **argv,
                   const cli_engine_opts *eo)
{
    *t = (cli_text){0};
    if (argc - optind > 1)
        return cli_usage_error(cmd, "at most one input file");
    t->name = optind < argc && strcmp(argv[optind], "-") != 0 ? argv[optind] : "standard input";
    if (!(t->in = cli_open_input(optind < argc ? argv[optind] : NULL)))
        return EXIT_FATAL;
    if (!(t->engine = cli_engine_new(eo)) || tema_doc_new(t->engine, &t->doc) != TEMA_OK)
        return EXIT_FATAL;
    return EXIT_OK;
}

int cli_text_end(cli_text *t, int code)
{
    tema_doc_free(t->doc);
    tema_engine_free(t->engine);
    cli_close_input(t->in);
    return cli_finish(code);
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
    long n;
    errno = 0;
    while (r->n < CLI_PRIOR_SAMPLE && r->bytes < CLI_PRIOR_SAMPLE_BYTES &&
           (n = cli_getline(&r->line, &r->cap, r->in)) >= 0) {
        if (!(r->sample[r->n] = malloc((size_t)n + 1))) {
            cli_error("out of memory");
            return false;
        }
        memcpy(r->sample[r->n], r->line, (size_t)n + 1);
        r->lens[r->n++] = (size_t)n;
        r->bytes += (size_t)n;
        if (tema_doc_analyze(d, r->line, (size_t)n, &lo) == TEMA_OK && tema_doc_lang_confident(d))
            counts[tema_doc_lang(d)]++;
    }
    if (ferror(r->in) && errno)
        r->err = errno;
    tema_lang_prior(counts, prior);
    return true;
}

long cli_lines_next(cli_lines *r, const char **line)
{
    if (r->next < r->n) {
        *line = r->sample[r->next];
        return (long)r->lens[r->next++];
    }
    errno = 0;
    long n = cli_getline(&r->line, &r->cap, r->in);
    if (n < 0 && ferror(r->in) && errno)
        r->err = errno;
    *line = r->line;
    return n;
}

bool cli_lines_failed(const cli_lines *r)
{
    if (!ferror(r->in))
        return false;
    cli_error("%s: cannot read: %s", r->name ? r->name : "input",
              r->err ? strerror(r->err) : "read error");
    return true;
}

void cli_lines_free(cli_lines *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->sample[i]);
    free(r->sample);
    free(r->lens);
    free(r->line);
}
