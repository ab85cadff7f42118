/*
 * engine.c: creating and freeing the engine: resolving the data folder and
 * loading each module's data once.  After tema_engine_new() the engine is
 * never written again, which is what makes it safe to share.
 */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "compound.h"
#include "langid.h"
#include "lexicon.h"
#include "model.h"
#include "pii.h"
#include "taxonomy.h"

void tema_config_init(tema_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->version = TEMA_CONFIG_VERSION;
}

tema_status tema__fail(tema_engine *e, tema_status st, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->errmsg, sizeof e->errmsg, fmt, ap);
        va_end(ap);
    }
    return st;
}

tema_status tema__data_path(const tema_engine *e, const char *rel, char *out)
{
    int n = snprintf(out, PATH_MAX, "%s/%s", e->data_dir, rel);
    return n > 0 && n < PATH_MAX ? TEMA_OK : TEMA_ERR_LIMIT;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static tema_status resolve_data_dir(tema_engine *e, const tema_config *cfg)
{
    const char *dir = cfg->data_dir;
    if (!dir || !*dir)
        dir = getenv("TEMA_DATA");
    if (!dir || !*dir)
        dir = TEMA_DATADIR;
    if (strlen(dir) >= sizeof e->data_dir - 32)
        return tema__fail(e, TEMA_ERR_LIMIT, "data folder path too long: %s", dir);
    snprintf(e->data_dir, sizeof e->data_dir, "%s", dir);
    char lex[PATH_MAX];
    tema__data_path(e, "lexicons", lex);
    if (!(cfg->options & TEMA_OPT_TEXT_ONLY) && !is_dir(lex))
        return tema__fail(e, TEMA_ERR_NOTFOUND,
                          "%s: no lexicons folder here (set TEMA_DATA or --data to the folder "
                          "holding lexicons/ and models/)",
                          e->data_dir);
    return TEMA_OK;
}

tema_status tema_engine_new(const tema_config *cfg, tema_engine **out)
{
    tema_config defaults;
    if (!out)
        return TEMA_ERR_MISUSE;
    *out = NULL;
    if (!cfg) {
        tema_config_init(&defaults);
        cfg = &defaults;
    }
    tema_engine *e = calloc(1, sizeof *e);
    if (!e)
        return TEMA_ERR_NOMEM;
    *out = e;
    if (cfg->version != TEMA_CONFIG_VERSION)
        return tema__fail(e, TEMA_ERR_MISUSE, "tema_config version %u, expected %u", cfg->version,
                          TEMA_CONFIG_VERSION);
    e->options = cfg->options;
    tema_status st = resolve_data_dir(e, cfg);
    if (st != TEMA_OK)
        return st;
    if (e->options & TEMA_OPT_TEXT_ONLY)
        return TEMA_OK;
    char err[256];
    if ((st = tema__pii_new(&e->pii, err, sizeof err)) != TEMA_OK)
        return tema__fail(e, st, "personal-data patterns: %s", err);
    if ((st = tema__langid_load(e)) != TEMA_OK)
        return st;
    for (tema_lang l = TEMA_LANG_SV; l <= TEMA_LANG_NO; l++)
        if ((st = tema__compound_load(e->data_dir, l, &e->compound[l], err, sizeof err)) != TEMA_OK)
            return tema__fail(e, st, "%s", err);
    if ((st = tema__lexicon_load(e, cfg)) != TEMA_OK)
        return st;
    /* The taxonomy first: a `sentiment-model:` line in it loads that model
     * instead of models/sentiment.bin (one model per engine, loaded once). */
    if (!(e->options & TEMA_OPT_NO_THEMES) && (st = tema__taxonomy_load(e, cfg)) != TEMA_OK)
        return st;
    if (!(e->options & TEMA_OPT_NO_MODEL) && !e->sentmodel && (st = tema__sentmodel_load(e)) != TEMA_OK)
        return st;
    return TEMA_OK;
}

void tema_engine_free(tema_engine *e)
{
    if (!e)
        return;
    tema__langid_free(e->langid);
    tema__pii_free(e->pii);
    tema__sentmodel_free(e->sentmodel);
    for (int l = 0; l < TEMA_LANG_COUNT; l++)
    {
        tema__lexicon_free(e->lexicon[l]);
        tema__compound_free(e->compound[l]);
    }
    tema__taxonomy_free(e->taxonomy);
    free(e);
}

const char *tema_errmsg(const tema_engine *e)
{
    return e ? e->errmsg : "no engine";
}
