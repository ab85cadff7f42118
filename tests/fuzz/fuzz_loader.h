/*
 * fuzz_loader.h: shared by the loader fuzz targets: writes the fuzz input as
 * one data file in a scratch data folder and creates an engine from it, so
 * each input costs one small load instead of the whole default data set.
 */
#ifndef TEMA_FUZZ_LOADER_H
#define TEMA_FUZZ_LOADER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tema.h"

static const char *fuzz_dir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/tema-fuzz-data-%d", (int)getpid());
        char p[128];
        mkdir(dir, 0700);
        snprintf(p, sizeof p, "%s/lexicons", dir);
        mkdir(p, 0700);
        static const char *const sub[] = {"sv", "da", "no", "en", "all", "themes"};
        for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
            snprintf(p, sizeof p, "%s/lexicons/%s", dir, sub[i]);
            mkdir(p, 0700);
        }
    }
    return dir;
}

/* Writes 'data' to 'rel' under the scratch folder, then loads an engine with
 * 'options'; the engine must either load or fail with a message. */
static void fuzz_load(const char *rel, const uint8_t *data, size_t size, unsigned options)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), rel);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = fuzz_dir();
    cfg.options = options;
    tema_engine *e = NULL;
    tema_status st = tema_engine_new(&cfg, &e);
    if (st != TEMA_OK && st != TEMA_ERR_NOMEM && (!e || !*tema_errmsg(e)))
        abort(); /* every failure explains itself */
    if (st == TEMA_OK) {
        /* the loaded data must survive use */
        tema_doc *d = NULL;
        if (tema_doc_new(e, &d) == TEMA_OK) {
            static const char text[] = "Leveransen var inte bra men kundtjänst var jättebra :)";
            tema_analyze_opts o = {.lang = TEMA_LANG_SV};
            tema_doc_analyze(d, text, sizeof text - 1, &o);
            tema_doc_free(d);
        }
    }
    tema_engine_free(e);
}

#endif
