/*
 * cmd_themes.c: `tema themes`: lists the loaded theme taxonomy, validates
 * one taxonomy file (--check), or reports on a file of comments how many
 * match at least one theme (--coverage).  The catch-all `other` themes do
 * not count as coverage: they are where unmatched opinions go.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(void)
{
    printf("Usage: tema themes [OPTIONS]\n"
           "       tema themes --check FILE\n"
           "       tema themes --coverage FILE [--lang LANG]\n"
           "Lists the loaded theme taxonomy: id, touchpoint, phase, label and rule counts.\n"
           "\n"
           "  -t, --taxonomy FILE       add or override themes (repeatable)\n"
           "      --base-taxonomy FILE  replace the default lexicons/themes/cx.tema\n"
           "  -l, --lang LANG           labels in LANG (sv, da, no, en; default en); with\n"
           "                            --coverage, analyse every comment as LANG\n"
           "  -f, --format FMT          table (default) or json\n"
           "      --check FILE          validate FILE on top of the default taxonomy: exit 0\n"
           "                            when valid, 1 with file:line messages when not\n"
           "      --coverage FILE       share of comments (one per line; - for standard\n"
           "                            input; gzip, a byte order mark and --encoding as for\n"
           "                            tema score) with at least one theme, overall and per\n"
           "                            language\n"
           "      --encoding ENC        with --coverage: utf8 (default), cp1252, latin1,\n"
           "                            utf16le, utf16be, or utf16 (byte order by the mark)\n"
           "      --data DIR            folder holding lexicons/ (default: $TEMA_DATA)\n"
           "  -h, --help                show this help\n");
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void list(const tema_engine *e, tema_lang lang, bool json)
{
    size_t n = tema_theme_count(e);
    if (json)
        printf("[");
    else
        printf("%-36s %-16s %-6s %5s %5s %5s %5s %5s %5s %5s  %s\n", "id", "touchpoint", "phase",
               "words", "phr", "parts", "excl", "compl", "near", "regex", "label");
    for (size_t i = 0; i < n; i++) {
        tema_theme_info t;
        if (tema_theme_get(e, i, lang, &t) != TEMA_OK)
            continue;
        if (json) {
            printf("%s\n{\"id\":", i ? "," : "");
            json_str(t.id);
            printf(",\"parent\":");
            if (t.parent)
                json_str(t.parent);
            else
                printf("null");
            printf(",\"touchpoint\":");
            json_str(t.touchpoint);
            printf(",\"phase\":");
            json_str(t.phase);
            printf(",\"label\":");
            json_str(t.label);
            printf(",\"words\":%zu,\"phrases\":%zu,\"parts\":%zu,\"excludes\":%zu,"
                   "\"complaints\":%zu,\"near\":%zu,\"regex\":%zu,\"builtin\":%s}",
                   t.words, t.phrases, t.parts, t.excludes, t.complaints, t.near, t.regex,
                   t.builtin ? "true" : "false");
        } else {
            printf("%-36s %-16s %-6s %5zu %5zu %5zu %5zu %5zu %5zu %5zu  %s\n", t.id, t.touchpoint,
                   *t.phase ? t.phase : "-", t.words, t.phrases, t.parts, t.excludes,
                   t.complaints, t.near, t.regex, t.label);
        }
    }
    if (json)
        printf("\n]\n");
}

static bool is_other(const char *id)
{
    return strcmp(id, "other") == 0 || strncmp(id, "other.", 6) == 0;
}

static int coverage(tema_engine *e, const char *path, const cli_encoding *enc, tema_lang lang,
                    bool json)
{
    tema_lines *src = cli_lines_open(path, enc);
    if (!src)
        return EXIT_FATAL;
    tema_doc *d = NULL;
    if (tema_doc_new(e, &d) != TEMA_OK) {
        tema_lines_close(src);
        cli_error("out of memory");
        return EXIT_FATAL;
    }
    size_t total[TEMA_LANG_COUNT] = {0}, hit[TEMA_LANG_COUNT] = {0};
    cli_lines in = {.in = src};
    const char *line;
    long n;
    int code = EXIT_OK;
    while ((n = cli_lines_next(&in, &line)) >= 0) {
        if (n == 0)
            continue;
        tema_analyze_opts o = {.lang = lang};
        tema_status st = tema_doc_analyze(d, line, (size_t)n, &o);
        if (st != TEMA_OK) {
            cli_error("%s", tema_errstr(st));
            code = EXIT_FATAL;
            break;
        }
        tema_lang l = tema_doc_lang(d);
        bool any = false;
        for (size_t i = 0; i < tema_doc_mention_count(d) && !any; i++) {
            tema_mention m;
            any = tema_doc_mention(d, i, &m) == TEMA_OK && !is_other(m.theme);
        }
        total[l]++;
        hit[l] += any;
    }
    if (cli_lines_failed(&in))
        code = EXIT_FATAL;
    cli_lines_free(&in);
    tema_doc_free(d);
    tema_lines_close(src);
    size_t all = 0, allhit = 0;
    for (int l = 0; l < TEMA_LANG_COUNT; l++) {
        all += total[l];
        allhit += hit[l];
    }
    if (json) {
        printf("{\"comments\":%zu,\"with_theme\":%zu,\"share\":%.4f,\"languages\":{", all, allhit,
               all ? (double)allhit / (double)all : 0.0);
        bool first = true;
        for (int l = 0; l < TEMA_LANG_COUNT; l++) {
            if (!total[l])
                continue;
            printf("%s\"%s\":{\"comments\":%zu,\"with_theme\":%zu,\"share\":%.4f}",
                   first ? "" : ",", tema_lang_code((tema_lang)l), total[l], hit[l],
                   (double)hit[l] / (double)total[l]);
            first = false;
        }
        printf("}}\n");
    } else {
        printf("lang\tcomments\twith_theme\tshare\n");
        printf("all\t%zu\t%zu\t%.1f%%\n", all, allhit,
               all ? 100.0 * (double)allhit / (double)all : 0.0);
        for (int l = 0; l < TEMA_LANG_COUNT; l++)
            if (total[l])
                printf("%s\t%zu\t%zu\t%.1f%%\n", tema_lang_code((tema_lang)l), total[l], hit[l],
                       100.0 * (double)hit[l] / (double)total[l]);
    }
    return code;
}

int cmd_themes(int argc, char **argv)
{
    enum { OPT_CHECK = 256, OPT_COVERAGE, OPT_BASE, OPT_DATA };
    static const struct option longopts[] = {
        {"taxonomy", required_argument, NULL, 't'},
        {"base-taxonomy", required_argument, NULL, OPT_BASE},
        {"lang", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"check", required_argument, NULL, OPT_CHECK},
        {"coverage", required_argument, NULL, OPT_COVERAGE},
        {"data", required_argument, NULL, OPT_DATA},
        CLI_ENCODING_OPTION,
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    cli_engine_opts eo = {.options = TEMA_OPT_NO_MODEL};
    tema_lang lang = TEMA_LANG_UND;
    bool json = false;
    const char *check = NULL, *cover = NULL;
    cli_encoding enc = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":t:l:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (eo.n_taxonomies == sizeof eo.taxonomies / sizeof eo.taxonomies[0])
                return cli_usage_error("themes ", "too many --taxonomy files");
            eo.taxonomies[eo.n_taxonomies++] = optarg;
            break;
        case OPT_BASE:
            eo.base_taxonomy = optarg;
            break;
        case OPT_DATA:
            eo.data_dir = optarg;
            break;
        case 'l':
            if (!cli_parse_lang("themes ", optarg, &lang))
                return EXIT_USAGE;
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "table") == 0)
                json = false;
            else
                return cli_usage_error("themes ", "unknown format '%s' (table or json)", optarg);
            break;
        case OPT_CHECK:
            check = optarg;
            break;
        case OPT_COVERAGE:
            cover = optarg;
            break;
        case CLI_OPT_ENCODING:
            if (!cli_parse_encoding("themes ", optarg, &enc))
                return EXIT_USAGE;
            break;
        case 'h':
            help();
            return cli_finish(EXIT_OK);
        default:
            return cli_bad_option("themes ", c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("themes ", "unexpected argument '%s'", argv[optind]);
    if (check && cover)
        return cli_usage_error("themes ", "--check and --coverage do not go together");
    if (enc.given && !cover)
        return cli_usage_error("themes ", "--encoding goes with --coverage (the comments it reads)");
    if (check) {
        if (eo.n_taxonomies == sizeof eo.taxonomies / sizeof eo.taxonomies[0])
            return cli_usage_error("themes ", "too many --taxonomy files");
        eo.taxonomies[eo.n_taxonomies++] = check;
        /* the files a `model:` or `sentiment-model:` line names must load too */
        eo.options &= ~(unsigned)TEMA_OPT_NO_MODEL;
    }
    /* On a bad file cli_engine_new() prints every file:line message. */
    tema_engine *e = cli_engine_new(&eo);
    if (!e)
        return cli_finish(EXIT_FATAL);
    int code = EXIT_OK;
    if (check)
        printf("%s: ok (%zu themes loaded)\n", check, tema_theme_count(e));
    else if (cover)
        code = coverage(e, cover, &enc, lang, json);
    else
        list(e, lang, json);
    tema_engine_free(e);
    return cli_finish(code);
}
