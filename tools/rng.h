/*
 * rng.h: the seeded xorshift generator of the generated benchmark inputs,
 * shared by tools/gen-corpus.c and tools/gen-store.c so both keep giving
 * the same bytes run after run.  A header, not a .c file, because each .c
 * file under tools/ is one program.
 */
#ifndef TEMA_TOOLS_RNG_H
#define TEMA_TOOLS_RNG_H

#include <stdint.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull; /* the state; any odd value seeds it */

/* A number in [0, n). */
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

#endif
