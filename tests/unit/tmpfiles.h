/*
 * tmpfiles.h: a temporary folder for a test binary and files written into
 * it, removed by the group teardown, and gzip members to write there.
 * Include after <cmocka.h>; define TMPFILES_PREFIX (the folder name's
 * start) first.
 */
#ifndef TEMA_TEST_TMPFILES_H
#define TEMA_TEST_TMPFILES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define TMPFILES_MAX 128

static char tmpdir[256];
static char tmp_paths[TMPFILES_MAX][300];
static int tmp_npaths;

static int setup(void **s)
{
    (void)s;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/" TMPFILES_PREFIX "-XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    for (int i = 0; i < tmp_npaths; i++)
        unlink(tmp_paths[i]);
    rmdir(tmpdir);
    return 0;
}

/* Writes 'len' bytes to a new file named 'name' in the temporary folder. */
static const char *write_tmp(const char *name, const void *data, size_t len)
{
    assert_true(tmp_npaths < TMPFILES_MAX);
    char *p = tmp_paths[tmp_npaths++];
    snprintf(p, sizeof tmp_paths[0], "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

#define WRITE(name, lit) write_tmp(name, lit, sizeof lit - 1)

/* gzip-compresses 'n' bytes (NULs allowed) as one member into 'out';
 * returns its size.  Members written one after another make a
 * multi-member file, as `cat a.gz b.gz` and pigz do. */
static size_t gzip_member(const void *data, size_t n, unsigned char *out, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (unsigned char *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t k = cap - zs.avail_out;
    deflateEnd(&zs);
    return k;
}

#endif
