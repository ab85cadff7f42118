/*
 * aggregate.h: the statistics behind the reports: Wilson intervals, the
 * two-proportion z-test, Welch's t-test, NPS/CSAT/CES summaries from score
 * histograms, and period labels of dates.  Pure functions, no store.
 */
#ifndef TEMA_AGGREGATE_H
#define TEMA_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "tema.h"

/* z for a two-sided 95% interval. */
#define TEMA__Z95 1.959963984540054

/* Wilson score interval of k successes in n trials at normal quantile 'z'.
 * n = 0 gives [0, 1]. */
void tema__wilson(size_t k, size_t n, double z, double *lo, double *hi);

/* Standard normal CDF. */
double tema__normal_cdf(double x);

/* Two-proportion z-test of k1/n1 against k2/n2 with the pooled variance.
 * '*z' > 0 when the first proportion is higher; '*p' is two-sided.  Both
 * NAN when n1 or n2 is 0 or the pooled proportion is 0 or 1. */
void tema__two_prop_test(size_t k1, size_t n1, size_t k2, size_t n2, double *z, double *p);

/* Regularised incomplete beta function I_x(a, b), by the continued fraction
 * of Numerical Recipes (6.4) evaluated with the modified Lentz method. */
double tema__betai(double a, double b, double x);

/* Two-sided p-value of Student's t with 'df' degrees of freedom. */
double tema__t_pvalue(double t, double df);

/* Welch's two-sample t-test from counts, means and sample variances.  NAN
 * results when either group has fewer than 2 values or both variances are 0. */
void tema__welch_test(double n1, double mean1, double var1, double n2, double mean2, double var2,
                      double *t, double *p);

/* Responses per integer score (index = score, 0-10) of one scale. */
typedef struct tema__hist {
    uint64_t count[11];  /* responses rounded to each score */
} tema__hist;

/* Everything a report needs to know about the scores of a set of comments;
 * cells add and subtract, so "without" = scope minus "with". */
typedef struct tema__cell {
    tema__hist score[TEMA_SCORE_TYPE_COUNT]; /* per scale; [TEMA_SCORE_NONE] unused */
    uint64_t comments;     /* comments counted */
    uint64_t negative;     /* comments labelled negative */
    double sent_sum;       /* sum of comment sentiment */
    double sent_sumsq;     /* sum of its squares */
} tema__cell;

/* The scale named "nps", "csat" or "ces" (as the store holds it, and as
 * tema_score_type_name() writes it); TEMA_SCORE_NONE for anything else. */
tema_score_type tema__score_type_of(const char *name);

/* Adds 'n' responses of score 'score' on scale 'type'; out-of-range scores
 * (NPS 0-10, CSAT 1-5, CES 1-7) are ignored.  Scores are rounded half up. */
void tema__cell_add_score(tema__cell *c, tema_score_type type, double score, uint64_t n);
/* a += b; a -= b (b must be part of a). */
void tema__cell_add(tema__cell *a, const tema__cell *b);
void tema__cell_sub(tema__cell *a, const tema__cell *b);

/* Summarises scale 'type' of 'c' under 'opts' (csat_top, ces_max, ...). */
void tema__summarise(const tema__cell *c, tema_score_type type, const tema_report_opts *opts,
                     tema_score_summary *out);

/* The per-comment values of 'metric' in 'c': count, mean, sample variance,
 * and the number on the bad side (tema_driver.detractors). */
void tema__metric_stats(const tema__cell *c, tema_metric metric, const tema_report_opts *opts,
                        double *n, double *mean, double *var, double *bad);

/* The label of the period holding 'date' ("YYYY-MM-DD...") into 'out'
 * (at least 9 bytes).  Returns 0, or -1 for a date it cannot read. */
int tema__period_label(const char *date, size_t len, tema_period period, char out[16]);

/* The label of the period before 'label' ("2025-Q1" -> "2024-Q4").
 * Returns 0, or -1 when 'label' is not a label of 'period'. */
int tema__period_prev(const char *label, tema_period period, char out[16]);

#endif
