/*
 * input.c: the byte source under the readers, and the only file that
 * includes zlib.h.  gzip is recognised by its magic bytes (1F 8B), not the
 * file name, so it works on stdin too; concatenated members (what `cat a.gz
 * b.gz` and parallel gzip produce) are read one after another, as gzip(1)
 * does.  Memory is fixed: one compressed-input buffer and one staging
 * buffer for transcoding, whatever the file size.  Plain UTF-8 skips the
 * staging copy; only Windows-1252, Latin-1 and UTF-16 pass through it.
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
    int no_hash;              /* 1: no content hash (tema__input_open_text()) */
    tema__utf16 u16;          /* UTF-16 decoder state (enc UTF16LE or UTF16BE) */
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

/* Writes U+FFFD for an unpaired surrogate or an odd last byte. */
static size_t utf16_repair(tema__utf16 *d, char *out)
{
    d->repairs++;
    return tema__utf8_encode(TEMA__REPLACEMENT, out);
}

size_t tema__utf16_decode(tema__utf16 *d, const unsigned char *src, size_t n, size_t *used,
                          char *out, size_t cap)
{
    size_t i = 0, o = 0;
    const size_t lo = d->be ? 1 : 0, hi = 1 - lo;  /* byte offsets within a unit */
    while (cap - o >= 4) {
        /* ASCII runs (most of a survey export) one unit per step, no branches
         * on surrogates. */
        if (!d->has_byte && !d->high)
            while (n - i >= 2 && cap - o >= 4 && src[i + hi] == 0 && src[i + lo] < 0x80) {
                out[o++] = (char)src[i + lo];
                i += 2;
            }
        if (cap - o < 4)
            break;
        unsigned b0, b1;
        size_t take;  /* bytes of 'src' in this unit */
        if (d->has_byte) {
            if (i == n)
                break;
            b0 = d->byte;
            b1 = src[i];
            take = 1;
        } else if (n - i >= 2) {
            b0 = src[i];
            b1 = src[i + 1];
            take = 2;
        } else {
            if (i < n) {  /* half a unit: kept for the next call */
                d->byte = src[i++];
                d->has_byte = 1;
            }
            break;
        }
        unsigned u = d->be ? (b0 << 8 | b1) : (b1 << 8 | b0);
        if (d->high) {
            if (u >= 0xDC00 && u <= 0xDFFF) {
                int32_t cp = 0x10000 + (int32_t)(((unsigned)d->high - 0xD800) << 10) +
                             (int32_t)(u - 0xDC00);
                o += tema__utf8_encode(cp, out + o);
            } else {
                /* The high surrogate is unpaired; 'u' is decoded on the next
                 * step, so it is not consumed here. */
                o += utf16_repair(d, out + o);
                take = 0;
            }
            d->high = 0;
        } else if (u >= 0xD800 && u <= 0xDBFF) {
            d->high = (uint16_t)u;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            o += utf16_repair(d, out + o);
        } else {
            o += tema__utf8_encode((int32_t)u, out + o);
        }
        if (take) {
            i += take;
            d->has_byte = 0;
        }
    }
    *used = i;
    return o;
}

size_t tema__utf16_finish(tema__utf16 *d, char *out, size_t cap)
{
    size_t o = 0;
    if (d->high && cap - o >= 3) {
        o += utf16_repair(d, out + o);
        d->high = 0;
    }
    if (d->has_byte && cap - o >= 3) {
        o += utf16_repair(d, out + o);
        d->has_byte = 0;
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
    if (!in->no_hash)
        hash_bytes(&in->crc, &in->fnv, in->raw, n);
    return TEMA_OK;
}

static tema_status input_open(const char *path, tema_encoding enc, int no_hash, tema__input **out,
                              char *msg, size_t cap)
{
    *out = NULL;
    tema__input *in = calloc(1, sizeof *in);
    if (!in || !(in->raw = malloc(RAW_CAP)) || !(in->stage = malloc(RAW_CAP))) {
        tema__input_close(in);
        tema__setmsg(msg, cap, "out of memory");
        return TEMA_ERR_NOMEM;
    }
    in->enc = enc;
    in->no_hash = no_hash;
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

tema_status tema__input_open(const char *path, tema_encoding enc, tema__input **out, char *msg,
                             size_t cap)
{
    return input_open(path, enc, 0, out, msg, cap);
}

tema_status tema__input_open_text(const char *path, tema_encoding enc, tema__input **out,
                                  char *msg, size_t cap)
{
    return input_open(path, enc, 1, out, msg, cap);
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
            if (!in->no_hash)
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

static const char *enc_name(tema_encoding enc)
{
    switch (enc) {
    case TEMA_ENC_UTF8: return "UTF-8";
    case TEMA_ENC_CP1252: return "Windows-1252";
    case TEMA_ENC_LATIN1: return "Latin-1";
    case TEMA_ENC_UTF16LE: return "UTF-16LE";
    case TEMA_ENC_UTF16BE: return "UTF-16BE";
    case TEMA_ENC_UTF16: return "UTF-16";
    }
    return "?";
}

/* Looks at the first bytes once.  A byte order mark is dropped and says
 * what the file is: it decides when UTF-8 (the default) or "UTF-16 by the
 * mark" was asked for, and a UTF-8 mark also overrides Windows-1252 and
 * Latin-1 (older behaviour, docs/input.md).  Any other disagreement with the
 * requested encoding is an error rather than a guess, since one of the two
 * is wrong and decoding would garble every row. */
static tema_status check_bom(tema__input *in, char *msg, size_t msgcap)
{
    in->started = 1;
    tema_status st = fill_stage(in, 3, msg, msgcap);
    if (st != TEMA_OK)
        return st;
    const unsigned char *s = in->stage;
    tema_encoding bom = TEMA_ENC_UTF8;
    size_t skip = 0;
    if (in->stage_len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        skip = 3;
    } else if (in->stage_len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        bom = TEMA_ENC_UTF16LE;
        skip = 2;
    } else if (in->stage_len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        bom = TEMA_ENC_UTF16BE;
        skip = 2;
    }
    tema_encoding want = in->enc;
    if (!skip && want == TEMA_ENC_UTF16) {
        tema__setmsg(msg, msgcap, "UTF-16 by the byte order mark was asked for, but the file "
                                  "has none; say UTF-16LE or UTF-16BE");
        return in->fail = TEMA_ERR_PARSE;
    }
    if (skip) {
        int agrees = want == bom || want == TEMA_ENC_UTF8 ||
                     (want == TEMA_ENC_UTF16 && bom != TEMA_ENC_UTF8) ||
                     (bom == TEMA_ENC_UTF8 && (want == TEMA_ENC_CP1252 || want == TEMA_ENC_LATIN1));
        if (!agrees) {
            tema__setmsg(msg, msgcap, "the byte order mark (%02X %02X%s) says %s, but %s was asked "
                                      "for",
                         s[0], s[1], skip == 3 ? " BF" : "", enc_name(bom), enc_name(want));
            return in->fail = TEMA_ERR_PARSE;
        }
        in->stage_pos = skip;
        in->enc = bom;
    }
    in->u16.be = in->enc == TEMA_ENC_UTF16BE;
    return TEMA_OK;
}

/* UTF-16: decodes staged bytes until some text comes out or the input
 * ends ('*n' = 0 means the end to the caller, so a read that only consumed
 * half a character must not return). */
static tema_status read_utf16(tema__input *in, char *dst, size_t cap, size_t *n, char *msg,
                              size_t msgcap)
{
    while (!*n) {
        if (in->stage_pos == in->stage_len) {
            in->stage_pos = in->stage_len = 0;
            tema_status st = fill_stage(in, 1, msg, msgcap);
            if (st != TEMA_OK)
                return st;
            if (!in->stage_len) {
                *n = tema__utf16_finish(&in->u16, dst, cap);
                return TEMA_OK;
            }
        }
        size_t used;
        *n = tema__utf16_decode(&in->u16, in->stage + in->stage_pos, in->stage_len - in->stage_pos,
                                &used, dst, cap);
        in->stage_pos += used;
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
    if (in->enc == TEMA_ENC_UTF16LE || in->enc == TEMA_ENC_UTF16BE)
        return read_utf16(in, dst, cap, n, msg, msgcap);
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

tema_encoding tema__input_encoding(const tema__input *in)
{
    return in ? in->enc : TEMA_ENC_UTF8;
}

uint64_t tema__input_utf16_repairs(const tema__input *in)
{
    return in ? in->u16.repairs : 0;
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
