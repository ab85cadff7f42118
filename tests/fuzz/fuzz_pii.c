/*
 * fuzz_pii.c: libFuzzer target for personal-data redaction: spans must be
 * ordered, disjoint and inside the input, and the output must be the input
 * with exactly those spans replaced by their tags.
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
        tema_config cfg;
        tema_config_init(&cfg);
        cfg.options = TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES;
        if (tema_engine_new(&cfg, &engine) != TEMA_OK || tema_doc_new(engine, &doc) != TEMA_OK)
            abort();
    }
    const char *text = (const char *)data, *out;
    size_t out_len, expect = size, prev = 0;
    if (tema_doc_redact(doc, text, size, &out, &out_len) != TEMA_OK)
        abort();
    for (size_t i = 0; i < tema_doc_pii_count(doc); i++) {
        tema_pii_span sp;
        if (tema_doc_pii(doc, i, &sp) != TEMA_OK || sp.start < prev || sp.end <= sp.start ||
            sp.end > size)
            abort();
        prev = sp.end;
        expect = expect - (sp.end - sp.start) + strlen(tema_pii_tag(sp.kind));
    }
    if (out_len != expect || out[out_len] != '\0')
        abort();
    return 0;
}
