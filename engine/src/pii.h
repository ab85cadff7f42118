/*
 * pii.h: personal-data detection and redaction.
 */
#ifndef TEMA_PII_H
#define TEMA_PII_H

#include "engine.h"

typedef struct tema__pii tema__pii;

/* Compiles the patterns (once per engine). */
tema_status tema__pii_new(tema__pii **out, char *err, size_t errcap);
void tema__pii_free(tema__pii *p);
/* Frees the redaction state of a doc. */
void tema__pii_doc_free(tema_doc *d);

#endif
