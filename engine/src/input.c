/*
 * input.c: the byte source under the readers, and the only file that
 * includes zlib.h.  gzip is recognised by its magic bytes (1F 8B), not the
 * file name, so it works on stdin too; concatenated members (what `cat a.gz
 * b.gz` and parallel gzip produce) are read one after another, as gzip(1)
 * does.  Memory is fixed: one compressed-input buffer and one staging
 * buffer for transcoding, whatever the file size.
 */
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "common.h"
#include "utf8.h"

#define RAW_CAP (256u * 1024u)  /* compressed or untranscoded bytes per fread */
#define FNV_BASIS 0xcbf29ce484222325ull  /* FNV-1a 64-bit offset basis */

/* Adds 'n' bytes to the two halves of a content hash. */
static void hash_bytes(uint32_t *crc, uint64_t *fnv, const unsigned char *p, size_t n)
{
    *crc = (uint32_t)crc32(*crc, p, (uInt)n);
    uint64_t h = *fnv;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    *fnv = h;
}

static void format_hash(uint32_t crc, uint64_t fnv, uint64_t bytes, char out[TEMA_HASH_SIZE])
{
    snprintf(out, TEMA_HASH_SIZE, "%08x-%016llx-%llx", (unsigned)crc, (unsigned long long)fnv,
             (unsigned long long)bytes);
}

struct tema__input {
    FILE *fp;                 /* the file, or stdin */
    int own_fp;               /* 1 when fp must be closed */
    int eof;                  /* fp reached end of file */
    int gz;                   /* gzip-compressed */
    int zinit;                /* 'zs' initialised */
    int member_done;          /* a gzip member ended; another may follow */
    int started;              /* the byte order mark check has run */
    tema_status fail;         /* sticky error, TEMA_OK if none */
    tema_encoding enc;        /* source encoding */
    z_stream zs;              /* inflate state */
    unsigned char *raw;       /* bytes as read from fp */
    size_t raw_pos;           /* next unread byte in 'raw' */
    size_t raw_len;           /* bytes in 'raw' */
    unsigned char *stage;     /* decompressed bytes awaiting transcoding */
    size_t stage_pos;         /* next unconsumed byte in 'stage' */
    size_t stage_len;         /* bytes in 'stage' */
    uint64_t bytes_in;        /* bytes read from fp */
    uint32_t crc;             /* CRC-32 of the bytes read from fp (content hash) */
    uint64_t fnv;             /* 64-bit FNV-1a of the same bytes (content hash) */
};

/* Windows-1252 0x80-0x9F; 0 marks the five undefined bytes.  Source: the
 * WHATWG Encoding Standard index-windows-1252 (identical to Microsoft's
 * bestfit1252 for these positions). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

size_t tema__transcode(tema_encoding enc, const unsigned char *src, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = src[i];
        if (c < 0x80) {
            out[o++] = (char)c;
            continue;
        }
        int32_t cp = (int32_t)c;
        if (enc == TEMA_ENC_CP1252 && c < 0xA0)
            cp = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : TEMA__REPLACEMENT;
        o += tema__utf8_encode(cp, out + o);
    }
    return o;
}

static tema_status fill_raw(tema__input *in, char *msg, size_t cap)
{
    in->raw_pos = in->raw_len = 0;
    if (in->eof)
        return TEMA_OK;
    size_t n = fread(in->raw, 1, RAW_CAP, in->fp);
    if (n < RAW_CAP) {
        if (ferror(in->fp)) {
            tema__setmsg(msg, cap, "read error: %s", strerror(errno));
            return in->fail = TEMA_ERR_IO;
        }
        in->eof = 1;
    }
    in->raw_len = n;
    in->bytes_in += n;
    /* The content hash covers the file as stored, so a re-run of the same
     * export is recognised before any decoding choice (docs/store.md). */
    hash_bytes(&in->crc, &in->fnv, in->raw, n);
    return TEMA_OK;
}

tema_status tema__input_open(const char *path, tema_encoding enc, tema__input **out, char *msg,
                             size_t cap)
{
    *out = NULL;
    tema__input *in = calloc(1, sizeof *in);
    if (!in || !(in->raw = malloc(RAW_CAP)) || !(in->stage = malloc(RAW_CAP))) {
        tema__input_close(in);
        tema__setmsg(msg, cap, "out of memory");
        return TEMA_ERR_NOMEM;
    }
    in->enc = enc;
    in->fnv = FNV_BASIS;
    if (strcmp(path, "-") == 0) {
        in->fp = stdin;
    } else {
        in->fp = fopen(path, "rb");
        if (!in->fp) {
            tema__setmsg(msg, cap, "cannot open: %s", strerror(errno));
            tema__input_close(in);
            return TEMA_ERR_IO;
        }
        in->own_fp = 1;
    }
    tema_status st = fill_raw(in, msg, cap);
    if (st != TEMA_OK) {
        tema__input_close(in);
        return st;
    }
    if (in->raw_len >= 2 && in->raw[0] == 0x1F && in->raw[1] == 0x8B) {
        in->gz = 1;
        /* 15 + 32: the largest window, with gzip/zlib header autodetection. */
        if (inflateInit2(&in->zs, 15 + 32) != Z_OK) {
            tema__setmsg(msg, cap, "cannot initialise zlib");
            tema__input_close(in);
            return TEMA_ERR_NOMEM;
        }
        in->zinit = 1;
    }
    *out = in;
    return TEMA_OK;
}

/* Reads decompressed (or plain) bytes, before transcoding. */
static tema_status read_plain(tema__input *in, unsigned char *dst, size_t cap, size_t *n,
                              char *msg, size_t msgcap)
{
    *n = 0;
    if (!in->gz) {
        if (in->raw_pos == in->raw_len && !in->eof) {
            /* Plain input is read straight into the caller's buffer. */
            size_t k = fread(dst, 1, cap, in->fp);
            if (k < cap) {
                if (ferror(in->fp)) {
                    tema__setmsg(msg, msgcap, "read error: %s", strerror(errno));
                    return in->fail = TEMA_ERR_IO;
                }
                in->eof = 1;
            }
            in->bytes_in += k;
            hash_bytes(&in->crc, &in->fnv, dst, k);
            *n = k;
            return TEMA_OK;
        }
        if (in->raw_pos == in->raw_len) {
            tema_status st = fill_raw(in, msg, msgcap);
            if (st != TEMA_OK)
                return st;
        }
        size_t k = in->raw_len - in->raw_pos;
        if (k > cap)
            k = cap;
        memcpy(dst, in->raw + in->raw_pos, k);
        in->raw_pos += k;
        *n = k;
        return TEMA_OK;
    }
    for (;;) {
        tema_status st;
        if (in->member_done) {
            if (in->raw_pos == in->raw_len && (st = fill_raw(in, msg, msgcap)) != TEMA_OK)
                return st;
            if (in->raw_pos == in->raw_len)
                return TEMA_OK;  /* clean end after the last member */
            if (inflateReset(&in->zs) != Z_OK) {
                tema__setmsg(msg, msgcap, "corrupt gzip data: cannot start the next member");
                return in->fail = TEMA_ERR_PARSE;
            }
            in->member_done = 0;
        }
        if (in->raw_pos == in->raw_len && (st = fill_raw(in, msg, msgcap)) != TEMA_OK)
            return st;
        in->zs.next_in = in->raw + in->raw_pos;
        in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
        in->zs.next_out = dst;
        in->zs.avail_out = (uInt)cap;
        int ret = inflate(&in->zs, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->zs.avail_in;
        size_t produced = cap - in->zs.avail_out;
        if (ret == Z_STREAM_END) {
            in->member_done = 1;
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            tema__setmsg(msg, msgcap, "corrupt gzip data at compressed byte %llu: %s",
                         (unsigned long long)(in->bytes_in - (in->raw_len - in->raw_pos)),
                         in->zs.msg ? in->zs.msg : "inflate failed");
            return in->fail = TEMA_ERR_PARSE;
        }
        if (produced) {
            *n = produced;
            return TEMA_OK;
        }
        if (!in->member_done && in->raw_pos == in->raw_len && in->eof) {
            tema__setmsg(msg, msgcap, "corrupt gzip data: the file ends inside a member "
                                      "(truncated download or copy?)");
            return in->fail = TEMA_ERR_PARSE;
        }
    }
}

/* Fills the staging buffer with at least 'want' bytes unless the input ends. */
static tema_status fill_stage(tema__input *in, size_t want, char *msg, size_t msgcap)
{
    if (in->stage_pos > 0) {
        memmove(in->stage, in->stage + in->stage_pos, in->stage_len - in->stage_pos);
        in->stage_len -= in->stage_pos;
        in->stage_pos = 0;
    }
    while (in->stage_len < want) {
        size_t n;
        tema_status st = read_plain(in, in->stage + in->stage_len, RAW_CAP - in->stage_len, &n,
                                    msg, msgcap);
        if (st != TEMA_OK)
            return st;
        if (!n)
            break;
        in->stage_len += n;
    }
    return TEMA_OK;
}

/* Looks at the first bytes once: a UTF-8 byte order mark is dropped and
 * overrides the requested encoding (the file says what it is); UTF-16 is
 * refused with a message that tells the analyst what to do. */
static tema_status check_bom(tema__input *in, char *msg, size_t msgcap)
{
    in->started = 1;
    tema_status st = fill_stage(in, 3, msg, msgcap);
    if (st != TEMA_OK)
        return st;
    const unsigned char *s = in->stage;
    if (in->stage_len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        in->stage_pos = 3;
        in->enc = TEMA_ENC_UTF8;
    } else if (in->stage_len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        tema__setmsg(msg, msgcap, "the file is UTF-16 (byte order mark %02X %02X), which is not "
                                  "supported; save the export as UTF-8 (Excel: \"CSV UTF-8\")",
                     s[0], s[1]);
        return in->fail = TEMA_ERR_PARSE;
    }
    return TEMA_OK;
}

tema_status tema__input_read(tema__input *in, char *dst, size_t cap, size_t *n, char *msg,
                             size_t msgcap)
{
    *n = 0;
    if (in->fail != TEMA_OK)
        return in->fail;
    tema_status st;
    if (!in->started && (st = check_bom(in, msg, msgcap)) != TEMA_OK)
        return st;
    if (in->stage_pos == in->stage_len) {
        in->stage_pos = in->stage_len = 0;
        /* Plain UTF-8 goes straight to the caller, skipping the staging copy. */
        if (in->enc == TEMA_ENC_UTF8)
            return read_plain(in, (unsigned char *)dst, cap, n, msg, msgcap);
        if ((st = fill_stage(in, 1, msg, msgcap)) != TEMA_OK)
            return st;
    }
    size_t k = in->stage_len - in->stage_pos;
    if (in->enc == TEMA_ENC_UTF8) {
        if (k > cap)
            k = cap;
        memcpy(dst, in->stage + in->stage_pos, k);
        *n = k;
    } else {
        if (k > cap / 3)
            k = cap / 3;  /* each byte becomes at most 3 */
        *n = tema__transcode(in->enc, in->stage + in->stage_pos, k, dst);
    }
    in->stage_pos += k;
    return TEMA_OK;
}

uint64_t tema__input_bytes_in(const tema__input *in)
{
    return in ? in->bytes_in : 0;
}

void tema__input_hash(const tema__input *in, char out[42])
{
    format_hash(in ? in->crc : 0u, in ? in->fnv : 0ull, in ? in->bytes_in : 0ull, out);
}

tema_status tema_file_content_hash(const char *path, char out[TEMA_HASH_SIZE])
{
    if (!path || !out)
        return TEMA_ERR_MISUSE;
    /* A pipe ("<(zcat export.gz)", a FIFO) can be read only once, and even
     * opening one takes its writer's data with it on close: look, do not
     * open. */
    struct stat sb;
    if (stat(path, &sb) != 0)
        return TEMA_ERR_IO;
    if (!S_ISREG(sb.st_mode))
        return TEMA_ERR_MISUSE;
    FILE *f = fopen(path, "rb");
    if (!f)
        return TEMA_ERR_IO;
    unsigned char *buf = malloc(RAW_CAP);
    uint32_t crc = 0;
    uint64_t fnv = FNV_BASIS, bytes = 0;
    size_t n;
    while (buf && (n = fread(buf, 1, RAW_CAP, f)) > 0) {
        hash_bytes(&crc, &fnv, buf, n);
        bytes += n;
    }
    tema_status st = !buf ? TEMA_ERR_NOMEM : ferror(f) ? TEMA_ERR_IO : TEMA_OK;
    free(buf);
    fclose(f);
    if (st == TEMA_OK)
        format_hash(crc, fnv, bytes, out);
    return st;
}

int tema__input_is_gzip(const tema__input *in)
{
    return in ? in->gz : 0;
}

void tema__input_close(tema__input *in)
{
    if (!in)
        return;
    if (in->zinit)
        inflateEnd(&in->zs);
    if (in->own_fp && in->fp)
        fclose(in->fp);
    free(in->raw);
    free(in->stage);
    free(in);
}
