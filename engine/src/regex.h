/*
 * regex.h: the PCRE2 adapter.  regex.c is the only file that includes
 * pcre2.h; match and depth limits are set there, so no pattern from a user
 * taxonomy can hang a run.
 */
#ifndef TEMA_REGEX_H
#define TEMA_REGEX_H

#include "common.h"

typedef struct tema__regex tema__regex;    /* compiled pattern: read-only, shareable */
typedef struct tema__rmatch tema__rmatch;  /* per-thread match state */

#define TEMA__RE_CASELESS (1u << 0)

/* Compiles 'pattern' (UTF-8, UCP) and JIT-compiles it when the platform
 * allows.  On a syntax error writes a message with the offset to 'err'. */
tema_status tema__regex_compile(const char *pattern, size_t len, unsigned flags, tema__regex **out,
                                char *err, size_t errcap);
void tema__regex_free(tema__regex *re);

tema_status tema__rmatch_new(tema__rmatch **out);
void tema__rmatch_free(tema__rmatch *m);

/* Replaces the match limit (TEMA__RE_MATCH_LIMIT); for tests. */
void tema__rmatch_set_match_limit(tema__rmatch *m, uint32_t limit);

/* Searches 'subject' from byte 'start'.  Returns 1 on a match (group 0 in
 * '*mstart', '*mend'), 0 when there is none, -1 when the match or depth
 * limit stopped the search (reported and counted by the caller). */
int tema__regex_search(const tema__regex *re, tema__rmatch *m, const char *subject, size_t len,
                       size_t start, size_t *mstart, size_t *mend);

/* The span of capture group 'group' of the last match; false if unset. */
bool tema__regex_group(const tema__rmatch *m, unsigned group, size_t *start, size_t *end);

/* Limits (documented in docs/reliability.md). */
#define TEMA__RE_MATCH_LIMIT 200000u
#define TEMA__RE_DEPTH_LIMIT 2000u

#endif
