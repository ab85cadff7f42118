/*
 * fuzz_normalize.c: differential libFuzzer target: the fast normalisation
 * path and the utf8proc path must give identical bytes for any input, and
 * repair must agree with the invalid-sequence count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = size * 18 + 16, a = 0, b = 0, r = 0, repl = 0;
    char *x = malloc(cap), *y = malloc(cap), *z = malloc(size * 3 + 1);
    if (!x || !y || !z)
        abort();
    if (tema_normalize((const char *)data, size, x, cap, &a, TEMA_NORM_DEFAULT) != TEMA_OK ||
        tema_normalize((const char *)data, size, y, cap, &b, TEMA_NORM_FULL) != TEMA_OK ||
        a != b || memcmp(x, y, a) != 0)
        abort();
    if (tema_utf8_repair((const char *)data, size, z, size * 3 + 1, &r, &repl) != TEMA_OK ||
        repl != tema_utf8_invalid_count((const char *)data, size) ||
        tema_utf8_invalid_count(z, r) != 0)
        abort();
    free(x);
    free(y);
    free(z);
    return 0;
}
