/*
 * fuzz_lexicon.c: libFuzzer target for the sentiment lexicon loader (and the
 * scorer running on the loaded entries).
 */
#include "fuzz_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_load("lexicons/sv/sentiment.txt", data, size, TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES);
    return 0;
}
