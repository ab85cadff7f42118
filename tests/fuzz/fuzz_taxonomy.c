/*
 * fuzz_taxonomy.c: libFuzzer target for the theme taxonomy loader (and the
 * matcher running the loaded rules on a comment).
 */
#include "fuzz_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load("lexicons/themes/cx.tema", data, size, TEMA_OPT_NO_MODEL);
    return 0;
}
