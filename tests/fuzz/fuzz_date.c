/*
 * fuzz_date.c: libFuzzer target for tema_date_parse: never reads past the
 * input, and every accepted date is a real calendar date in ISO form.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1); /* exact size: ASan catches over-reads */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    char out[11];
    if (tema_date_parse(copy, size, out) == TEMA_OK) {
        if (strlen(out) != 10 || out[4] != '-' || out[7] != '-')
            abort();
        char again[11];
        if (tema_date_parse(out, 10, again) != TEMA_OK || memcmp(out, again, 11) != 0)
            abort(); /* ISO output must parse to itself */
    }
    free(copy);
    return 0;
}
