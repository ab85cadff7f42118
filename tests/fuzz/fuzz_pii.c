/*
 * fuzz_pii.c: libFuzzer target for personal-data redaction: spans must be
 * ordered, disjoint and inside the input, and the output must be the input
 * with exactly those spans replaced by their tags; and the prefilter must
 * give what running every pattern over the whole text gives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pii.h"
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
    char *filtered = malloc(out_len + 1);
    if (!filtered)
        abort();
    memcpy(filtered, out, out_len + 1);
    size_t filtered_len = out_len, filtered_stops = tema_doc_regex_stops(doc);
    if (tema__pii_redact_unfiltered(doc, text, size, &out, &out_len) != TEMA_OK)
        abort();
    /* A search stopped by the PCRE2 limits ends its pattern early, and the
     * two runs start some searches at different places; compare otherwise. */
    if (filtered_stops == 0 && tema_doc_regex_stops(doc) == 0 &&
        (out_len != filtered_len || memcmp(out, filtered, out_len) != 0))
        abort();
    free(filtered);
    return 0;
}
