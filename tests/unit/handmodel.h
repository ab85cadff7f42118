/*
 * handmodel.h: a sentiment model file written by hand for the unit tests, in
 * the layout engine/src/model.c reads ("TEMASNT1", sizes, one language's
 * header and dense weights, sparse rows, "END1"; "TEMASNT2" adds the quiet
 * floor after the confidence floor).  Because the tests write
 * the weights themselves, the scores they expect follow from the format,
 * not from running the code.  Header-only, like datadir.h.
 */
#ifndef TEMA_TEST_HANDMODEL_H
#define TEMA_TEST_HANDMODEL_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "model.h"

/* Buckets of every hand-made model. */
#define HANDMODEL_BUCKETS 16u

/* One hand-made model: Swedish only, blend 1, both thresholds 0.1. */
typedef struct handmodel {
    int cls;         /* the class whose bias is 5 (TEMA__SM_NEG ... TEMA__SM_POS); the others 0 */
    uint32_t flags;  /* TEMA__SMF_* */
    float conf;      /* the floor from which the model overrides a rule label */
    int bucket;      /* a sparse row for this bucket, or -1 for none */
    float w[3];      /* the row's weights (negative, neutral, positive) */
    float quiet;     /* > 0: a version 2 file with this quiet floor (where the rules found
                        no opinion); 0: a version 1 file, which has none */
} handmodel;

/* Writes 'm' to 'path'; returns the file's size, or -1 when it cannot be
 * written. */
static long handmodel_write(const char *path, const handmodel *m)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    uint32_t nb = HANDMODEL_BUCKETS, nd = TEMA__SM_DENSE, nl = 1, code = TEMA_LANG_SV;
    uint32_t nnz = m->bucket >= 0, b = (uint32_t)m->bucket;
    float blend = 1, thr = 0.1f, dense[TEMA__SM_DENSE * 3] = {0};
    dense[m->cls] = 5;
    fwrite(m->quiet > 0 ? "TEMASNT2" : "TEMASNT1", 1, 8, f);
    fwrite(&nb, 4, 1, f);
    fwrite(&nd, 4, 1, f);
    fwrite(&nl, 4, 1, f);
    fwrite(&code, 4, 1, f);
    fwrite(&m->flags, 4, 1, f);
    fwrite(&blend, 4, 1, f);
    fwrite(&thr, 4, 1, f);
    fwrite(&thr, 4, 1, f);
    fwrite(&m->conf, 4, 1, f);
    if (m->quiet > 0)
        fwrite(&m->quiet, 4, 1, f);
    fwrite(dense, sizeof dense, 1, f);
    fwrite(&nnz, 4, 1, f);
    if (nnz) {
        fwrite(&b, 4, 1, f);
        fwrite(m->w, sizeof m->w, 1, f);
    }
    fwrite("END1", 1, 4, f);
    long size = ftell(f);
    return fclose(f) == 0 ? size : -1;
}

#endif
