/*
 * cli.c: helpers shared by the subcommands: error messages, finding the
 * data folder, opening inputs, checking that output was written.
 */
#include "cli.h"

#include <errno.h>
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
