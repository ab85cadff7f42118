/*
 * fuzz_otherlang.c: libFuzzer target for the loader of the other-languages
 * word list (lexicons/all/other-languages.txt) and for language
 * identification with the loaded list.  The list loads with the language
 * model, so the real model ($TEMA_DATA/models/langid.bin) is linked into the
 * scratch data folder once.
 */
/* realpath() is XSI, beyond the _POSIX_C_SOURCE the build sets */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "fuzz_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void link_model(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    const char *root = getenv("TEMA_DATA");
    char rel[512], from[PATH_MAX], to[256];
    snprintf(rel, sizeof rel, "%s/models/langid.bin", root && *root ? root : ".");
    /* absolute: a relative link target is read from inside models/ */
    if (!realpath(rel, from))
        abort(); /* without the model the list is never read: the target would test nothing */
    snprintf(to, sizeof to, "%s/models", fuzz_dir());
    mkdir(to, 0700);
    snprintf(to, sizeof to, "%s/models/langid.bin", fuzz_dir());
    if (symlink(from, to) != 0 && errno != EEXIST)
        abort();
    if (access(to, R_OK) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    link_model();
    char path[256];
    snprintf(path, sizeof path, "%s/lexicons/all/other-languages.txt", fuzz_dir());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.data_dir = fuzz_dir();
    cfg.options = TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES;
    tema_engine *e = NULL;
    tema_status st = tema_engine_new(&cfg, &e);
    if (st != TEMA_OK && st != TEMA_ERR_NOMEM && (!e || !*tema_errmsg(e)))
        abort(); /* every failure explains itself */
    tema_doc *d = NULL;
    if (st == TEMA_OK && tema_doc_new(e, &d) == TEMA_OK) {
        /* detection consults the list for every distinct word */
        static const char *const texts[] = {
            "Die Lieferung kam zu spät und der Service war schlecht",
            "Leveransen var inte bra men kundtjänst var jättebra :)", "Kiitos, kaikki toimi hyvin!"};
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            tema_doc_analyze(d, texts[i], strlen(texts[i]), NULL);
        tema_doc_free(d);
    }
    tema_engine_free(e);
    return 0;
}
