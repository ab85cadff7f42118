/*
 * json.h: small JSON writers shared by the subcommands that print JSON
 * Lines (score, analyze, top).  Output is always valid JSON, whatever the
 * input bytes: strings are escaped and invalid UTF-8 becomes U+FFFD.
 */
#ifndef TEMA_CLI_JSON_H
#define TEMA_CLI_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes 'len' bytes of 's' as a quoted JSON string. */
void json_string(FILE *out, const char *s, size_t len);
/* Writes a NUL-terminated string as a quoted JSON string. */
void json_cstring(FILE *out, const char *s);
/* Writes 'x' rounded to 'decimals' (0-6) places, without trailing zeros
 * and never as "-0" (JSON has no NaN or infinity: those print as 0). */
void json_number(FILE *out, double x, int decimals);
/* Writes 'len' bytes of 's' for a TSV field: TAB, CR and LF become spaces,
 * invalid UTF-8 becomes U+FFFD. */
void tsv_field(FILE *out, const char *s, size_t len);

#endif
