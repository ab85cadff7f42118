/*
 * fuzz_text.c: libFuzzer target for the text pipeline: UTF-8 repair,
 * normalisation, tokenising, language identification, stemming and (when
 * the data folder has them) sentiment and themes.  The first byte picks the
 * stage and a forced language so every path is reached.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tema.h"

static tema_engine *engine;
static tema_doc *doc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        if (tema_engine_new(NULL, &engine) != TEMA_OK || tema_doc_new(engine, &doc) != TEMA_OK)
            abort();
    }
    if (size == 0)
        return 0;
    tema_analyze_opts o = {.stage = (tema_stage)(1 + data[0] % TEMA_STAGE_ALL),
                           .lang = (tema_lang)((data[0] >> 4) % TEMA_LANG_COUNT)};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (tema_doc_analyze(doc, text, len, &o) != TEMA_OK)
        abort();
    size_t prev_end = 0;
    for (size_t i = 0; i < tema_doc_token_count(doc); i++) {
        tema_token t;
        if (tema_doc_token(doc, i, &t) != TEMA_OK || t.start < prev_end || t.end <= t.start ||
            t.end > len)
            abort();
        prev_end = t.end;
    }
    double s = tema_doc_sentiment(doc);
    if (!(s >= -1.0 && s <= 1.0))
        abort();
    for (size_t i = 0; i < tema_doc_mention_count(doc); i++) {
        tema_mention m;
        if (tema_doc_mention(doc, i, &m) != TEMA_OK || m.end > len || m.start > m.end)
            abort();
    }
    return 0;
}
