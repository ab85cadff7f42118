/*
 * input.h: the byte source under the readers.  It opens a file or standard
 * input, undoes gzip when the magic bytes say so, drops a byte order mark
 * and transcodes Windows-1252, Latin-1 or UTF-16, so the readers above it
 * only ever see UTF-8 bytes.  Private to the library.
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

/* tema__input_open() without the content hash, for tema_lines: hashing
 * every byte (CRC-32 and FNV-1a) would cost more than cutting the lines,
 * and nothing there stores the input.  tema__input_hash() is then not
 * meaningful. */
tema_status tema__input_open_text(const char *path, tema_encoding enc, tema__input **out,
                                  char *msg, size_t cap);

/* Reads up to 'cap' (>= 4) bytes of UTF-8 into 'dst'; '*n' is 0 only at the
 * end of the input.  On failure 'msg' holds the reason; the error is sticky. */
tema_status tema__input_read(tema__input *in, char *dst, size_t cap, size_t *n, char *msg,
                             size_t msgcap);

/* Bytes read from the file so far (compressed bytes for gzip). */
uint64_t tema__input_bytes_in(const tema__input *in);

/* Writes the content hash of the bytes read so far, "crc32-fnv64-size" in
 * lower-case hex plus a NUL (at most 42 bytes; docs/store.md). */
void tema__input_hash(const tema__input *in, char out[42]);

/* The encoding in use once the first read has looked at the byte order
 * mark (before that, the requested one). */
tema_encoding tema__input_encoding(const tema__input *in);

/* UTF-16 code units (and an odd last byte) replaced by U+FFFD so far. */
uint64_t tema__input_utf16_repairs(const tema__input *in);

/* 1 when the input is gzip-compressed. */
int tema__input_is_gzip(const tema__input *in);

/* Closes the file (not stdin) and frees 'in'.  Accepts NULL. */
void tema__input_close(tema__input *in);

/* Transcodes 'n' bytes of 'enc' (CP1252 or LATIN1) into 'out', which must
 * have room for 3 * 'n' bytes; returns the bytes written.  Exposed for the
 * unit tests. */
size_t tema__transcode(tema_encoding enc, const unsigned char *src, size_t n, char *out);

/* UTF-16 decoding state carried from one read to the next, so that a code
 * unit or a surrogate pair split between two reads decodes whole.  Zero it,
 * then set 'be'. */
typedef struct tema__utf16 {
    int be;            /* 1 for big-endian, 0 for little-endian */
    int has_byte;      /* 'byte' holds the first half of a code unit */
    unsigned char byte;/* that half */
    uint16_t high;     /* a high surrogate waiting for its low half; 0 if none */
    uint64_t repairs;  /* U+FFFD written for unpaired surrogates and an odd last byte */
} tema__utf16;

/* Decodes UTF-16 bytes from 'src' ('n' bytes) into UTF-8 at 'out' ('cap'
 * bytes), stopping when the input is used up or fewer than 4 bytes of room
 * are left.  '*used' is the input consumed (all of it unless 'out' filled);
 * returns the bytes written, which may be 0 when the input ended inside a
 * character.  Exposed for the unit tests. */
size_t tema__utf16_decode(tema__utf16 *d, const unsigned char *src, size_t n, size_t *used,
                          char *out, size_t cap);

/* At the end of the input: writes U+FFFD for a high surrogate and an odd
 * byte still pending, as far as 'cap' allows (3 bytes each); returns the
 * bytes written, 0 once nothing is pending. */
size_t tema__utf16_finish(tema__utf16 *d, char *out, size_t cap);

#endif
