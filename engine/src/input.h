/*
 * input.h: the byte source under the readers.  It opens a file or standard
 * input, undoes gzip when the magic bytes say so, drops a UTF-8 byte order
 * mark and transcodes Windows-1252 or Latin-1, so the readers above it only
 * ever see UTF-8 bytes.  Private to the library.
 */
#ifndef TEMA_INPUT_H
#define TEMA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "tema.h"

typedef struct tema__input tema__input;

/* Opens 'path' ("-" = stdin).  On failure '*out' is NULL and 'msg' (of 'cap'
 * bytes) holds the reason. */
tema_status tema__input_open(const char *path, tema_encoding enc, tema__input **out, char *msg,
                             size_t cap);

/* Reads up to 'cap' (>= 4) bytes of UTF-8 into 'dst'; '*n' is 0 only at the
 * end of the input.  On failure 'msg' holds the reason; the error is sticky. */
tema_status tema__input_read(tema__input *in, char *dst, size_t cap, size_t *n, char *msg,
                             size_t msgcap);

/* Bytes read from the file so far (compressed bytes for gzip). */
uint64_t tema__input_bytes_in(const tema__input *in);

/* Writes the content hash of the bytes read so far, "crc32-fnv64-size" in
 * lower-case hex plus a NUL (at most 42 bytes; docs/store.md). */
void tema__input_hash(const tema__input *in, char out[42]);

/* 1 when the input is gzip-compressed. */
int tema__input_is_gzip(const tema__input *in);

/* Closes the file (not stdin) and frees 'in'.  Accepts NULL. */
void tema__input_close(tema__input *in);

/* Transcodes 'n' bytes of 'enc' (CP1252 or LATIN1) into 'out', which must
 * have room for 3 * 'n' bytes; returns the bytes written.  Exposed for the
 * unit tests. */
size_t tema__transcode(tema_encoding enc, const unsigned char *src, size_t n, char *out);

#endif
