/*
 * fuzz_reader.c: libFuzzer target for the export readers (CSV, TSV, JSON
 * Lines, JSON documents, gzip, encodings).  The first byte chooses format, encoding,
 * delimiter and small limits; the rest is written to a scratch file and
 * read to the end.  Accounting must hold: every record is either a row or
 * a rejection, and the reader's counters agree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/tema-fuzz-reader-%d", (int)getpid());
    if (size == 0)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    tema_reader_opts o;
    tema_reader_opts_init(&o);
    o.format = (tema_format)(data[0] & 3);
    /* bits 2-3: UTF-8, CP1252, Latin-1, or one of the three UTF-16 choices
     * (picked by the delimiter bits, which matter little to it) */
    unsigned e = (data[0] >> 2) & 3;
    o.encoding = e < 3 ? (tema_encoding)e : (tema_encoding)(TEMA_ENC_UTF16LE + (data[0] >> 4) % 3);
    static const char delims[] = {0, ',', ';', '\t', '|', 0, 0, 0};
    o.delimiter = delims[(data[0] >> 4) & 7];
    /* the delimiter slots 5-7 (no delimiter) pick the JSON document reader:
     * a top-level array or the first array of objects, or a named member */
    if (((data[0] >> 4) & 7) >= 5)
        o.format = TEMA_FORMAT_JSON;
    if (((data[0] >> 4) & 7) == 6)
        o.records = "data.items";
    if (data[0] & 0x80) {
        o.max_field = 16;
        o.max_columns = 4;
        o.max_record = 64;
    }
    tema_reader *r = NULL;
    if (tema_reader_open(path, &o, &r) != TEMA_OK) {
        tema_reader_close(r);
        return 0;
    }
    tema_record rec;
    size_t ok = 0, rejected = 0;
    tema_status st;
    while ((st = tema_reader_next(r, &rec)) == TEMA_OK || st == TEMA_ERR_ROW) {
        if (st == TEMA_OK) {
            ok++;
            if (rec.nfields != tema_reader_columns(r))
                abort();
            for (size_t i = 0; i < rec.nfields; i++)
                if (rec.fields[i].len && !rec.fields[i].ptr)
                    abort();
        } else {
            rejected++;
        }
    }
    tema_reader_stats stats;
    tema_reader_get_stats(r, &stats);
    if (st == TEMA_DONE && stats.rows != ok + rejected)
        abort();
    /* decoded UTF-16 is valid UTF-8 whatever the input bytes */
    tema_encoding used = tema_reader_encoding(r);
    if ((used == TEMA_ENC_UTF16LE || used == TEMA_ENC_UTF16BE) && stats.invalid_utf8)
        abort();
    tema_reader_close(r);
    return 0;
}
