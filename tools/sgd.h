/*
 * sgd.h: the learner of tools/train-sentiment.c and tools/train-aspects.c:
 * rows of hashed features in CSR form, and multinomial logistic regression
 * over three classes by AdaGrad steps (Duchi, Hazan & Singer 2011) over a
 * shuffled order.  Each trainer keeps its own generator and row selection;
 * the arithmetic is here once, so both models are learnt alike.  A header,
 * not a .c file, because each .c file under tools/ is one program.
 */
#ifndef TEMA_TOOLS_SGD_H
#define TEMA_TOOLS_SGD_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define SGD_ETA 0.1 /* AdaGrad's base step */

/* Features of every row, as CSR. */
typedef struct feats {
    uint32_t *idx;     /* feature indices */
    float *val;        /* values */
    size_t *off;       /* row i: [off[i], off[i + 1]) */
    size_t n, cap;     /* entries in use, allocated */
} feats;

/* Appends a feature to the row being built; 'ctx' is the feats.  The
 * signature of the engine's feature callbacks. */
static void feats_push(void *ctx, uint32_t index, float value)
{
    feats *F = ctx;
    if (F->n == F->cap) {
        F->cap = F->cap ? F->cap * 2 : 65536;
        F->idx = realloc(F->idx, F->cap * sizeof *F->idx);
        F->val = realloc(F->val, F->cap * sizeof *F->val);
        if (!F->idx || !F->val)
            abort();
    }
    F->idx[F->n] = index;
    F->val[F->n] = value;
    F->n++;
}

/* Fisher-Yates over 'order', drawing from the trainer's generator 'rnd'. */
static void sgd_shuffle(size_t *order, size_t n, uint32_t (*rnd)(void))
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rnd() % i, t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}

/* The class scores of row 'i': z[c] = sum of w[3 f + c] x value over its
 * features f, each term also times S[3 f + c] when 'S' is not NULL. */
static void sgd_logits(const float *w, const float *S, const feats *F, size_t i, double z[3])
{
    z[0] = z[1] = z[2] = 0;
    for (size_t k = F->off[i]; k < F->off[i + 1]; k++)
        for (int c = 0; c < 3; c++) {
            size_t j = (size_t)F->idx[k] * 3 + (size_t)c;
            z[c] += (double)w[j] * F->val[k] * (S ? S[j] : 1.0f);
        }
}

/* One AdaGrad step on row 'i' of class 'label': the softmax gradient times
 * 'scale' (class and row weights) and S as in sgd_logits(), plus L2 of
 * strength 'l2' on every weight but feature 0's; 'g2' sums the squared
 * gradients. */
static void sgd_step(float *w, float *g2, const float *S, const feats *F, size_t i, int label,
                     double scale, double l2)
{
    double z[3], p[3], s = 0;
    sgd_logits(w, S, F, i, z);
    double mx = fmax(z[0], fmax(z[1], z[2]));
    for (int c = 0; c < 3; c++)
        s += p[c] = exp(z[c] - mx);
    for (size_t k = F->off[i]; k < F->off[i + 1]; k++) {
        size_t base = (size_t)F->idx[k] * 3;
        for (int c = 0; c < 3; c++) {
            size_t j = base + (size_t)c;
            double gr = (p[c] / s - (c == label)) * scale * F->val[k] * (S ? S[j] : 1.0f);
            if (F->idx[k] != 0)
                gr += l2 * w[j];
            g2[j] += (float)(gr * gr);
            w[j] -= (float)(SGD_ETA * gr / (sqrt(g2[j]) + 1e-8));
        }
    }
}

#endif
