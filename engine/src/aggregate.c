/*
 * aggregate.c: statistics for the reports.  Intervals and tests follow the
 * textbook forms: Wilson (1927) for a proportion, the pooled two-proportion
 * z-test, Welch (1947) for two means with the Welch-Satterthwaite degrees of
 * freedom, and the incomplete beta continued fraction (Numerical Recipes
 * 6.4) for Student's t.  Scores arrive as integer histograms so that every
 * summary is exact and "without" is a subtraction.
 */
#include "aggregate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tema__wilson(size_t k, size_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0.0;
        *hi = 1.0;
        return;
    }
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double centre = (p + z2 / (2.0 * nn)) / denom;
    double half = z / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    *lo = centre - half;
    *hi = centre + half;
    /* Rounding can leave -1e-17 at k = 0; an interval of a share is in [0, 1]. */
    if (*lo < 0.0)
        *lo = 0.0;
    if (*hi > 1.0)
        *hi = 1.0;
}

double tema__normal_cdf(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

void tema__two_prop_test(size_t k1, size_t n1, size_t k2, size_t n2, double *z, double *p)
{
    *z = *p = NAN;
    if (n1 == 0 || n2 == 0)
        return;
    double p1 = (double)k1 / (double)n1, p2 = (double)k2 / (double)n2;
    double pool = (double)(k1 + k2) / (double)(n1 + n2);
    double se = sqrt(pool * (1.0 - pool) * (1.0 / (double)n1 + 1.0 / (double)n2));
    if (!(se > 0.0))
        return;
    *z = (p1 - p2) / se;
    *p = erfc(fabs(*z) / sqrt(2.0));
}

#define CF_TINY 1e-300 /* keeps the continued fraction's terms off zero */

/* One term 'aa' of the continued fraction into Lentz's 'c' and 'd'
 * (modified Lentz; Numerical Recipes 6.4). */
static void lentz_step(double aa, double *c, double *d)
{
    *d = 1.0 + aa * *d;
    if (fabs(*d) < CF_TINY)
        *d = CF_TINY;
    *c = 1.0 + aa / *c;
    if (fabs(*c) < CF_TINY)
        *c = CF_TINY;
    *d = 1.0 / *d;
}

/* Continued fraction of I_x(a, b); converges fast for x < (a+1)/(a+b+2). */
static double betacf(double a, double b, double x)
{
    const double eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < CF_TINY)
        d = CF_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        lentz_step(m * (b - m) * x / ((qam + m2) * (a + m2)), &c, &d);
        h *= d * c;
        lentz_step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), &c, &d);
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

double tema__betai(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * betacf(a, b, x) / a;
    return 1.0 - bt * betacf(b, a, 1.0 - x) / b;
}

double tema__t_pvalue(double t, double df)
{
    if (isnan(t) || !(df > 0.0))
        return NAN;
    return tema__betai(df / 2.0, 0.5, df / (df + t * t));
}

void tema__welch_test(double n1, double mean1, double var1, double n2, double mean2, double var2,
                      double *t, double *p)
{
    *t = *p = NAN;
    if (n1 < 2.0 || n2 < 2.0)
        return;
    double a = var1 / n1, b = var2 / n2, se2 = a + b;
    if (!(se2 > 0.0))
        return;
    *t = (mean1 - mean2) / sqrt(se2);
    double df = se2 * se2 / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
    *p = tema__t_pvalue(*t, df);
}

/* ------------------------------------------------------------------ */
/* Score cells                                                        */
/* ------------------------------------------------------------------ */

static const int scale_lo[TEMA_SCORE_TYPE_COUNT] = {0, 0, 1, 1};
static const int scale_hi[TEMA_SCORE_TYPE_COUNT] = {-1, 10, 5, 7};

void tema__cell_add_score(tema__cell *c, tema_score_type type, double score, uint64_t n)
{
    if (type <= TEMA_SCORE_NONE || type >= TEMA_SCORE_TYPE_COUNT || !isfinite(score))
        return;
    double r = floor(score + 0.5);
    if (r < scale_lo[type] || r > scale_hi[type])
        return;
    c->score[type].count[(int)r] += n;
}

void tema__cell_add(tema__cell *a, const tema__cell *b)
{
    for (int t = 0; t < TEMA_SCORE_TYPE_COUNT; t++)
        for (int i = 0; i < 11; i++)
            a->score[t].count[i] += b->score[t].count[i];
    a->comments += b->comments;
    a->negative += b->negative;
    a->sent_sum += b->sent_sum;
    a->sent_sumsq += b->sent_sumsq;
}

void tema__cell_sub(tema__cell *a, const tema__cell *b)
{
    for (int t = 0; t < TEMA_SCORE_TYPE_COUNT; t++)
        for (int i = 0; i < 11; i++)
            a->score[t].count[i] -= b->score[t].count[i];
    a->comments -= b->comments;
    a->negative -= b->negative;
    a->sent_sum -= b->sent_sum;
    a->sent_sumsq -= b->sent_sumsq;
}

static int ces_max(const tema_report_opts *o)
{
    return o && o->ces_max == 5 ? 5 : 7;
}

/* Counts of a scale in three bands (good, middle, bad) and the moments of
 * the raw scores, over the valid range under 'o'. */
typedef struct bands {
    double n, good, mid, bad;  /* responses per band */
    double sum, sumsq;         /* of the raw scores */
} bands;

static bands band(const tema__cell *c, tema_score_type type, const tema_report_opts *o)
{
    bands b = {0};
    const uint64_t *h = c->score[type].count;
    int lo = scale_lo[type], hi = type == TEMA_SCORE_CES ? ces_max(o) : scale_hi[type];
    int top = o && o->csat_top >= 1 && o->csat_top <= 5 ? o->csat_top : 4;
    int mid = (1 + hi) / 2;
    for (int i = lo; i <= hi; i++) {
        double k = (double)h[i];
        b.n += k;
        b.sum += k * i;
        b.sumsq += k * i * i;
        int g;
        if (type == TEMA_SCORE_NPS)
            g = i >= 9 ? 0 : i >= 7 ? 1 : 2;
        else if (type == TEMA_SCORE_CSAT)
            g = i >= top ? 0 : 2;
        else if (i == mid)
            g = 1;
        else
            g = ((i > mid) == !(o && o->ces_lower_better)) ? 0 : 2;
        if (g == 0)
            b.good += k;
        else if (g == 1)
            b.mid += k;
        else
            b.bad += k;
    }
    return b;
}

/* Mean and sample variance of per-comment values: 'hi' for good, 'lo' for
 * bad, 'midv' for the middle band. */
static void band_moments(const bands *b, double hi, double midv, double lo, double *mean,
                         double *var)
{
    double s = b->good * hi + b->mid * midv + b->bad * lo;
    double s2 = b->good * hi * hi + b->mid * midv * midv + b->bad * lo * lo;
    *mean = b->n > 0 ? s / b->n : NAN;
    *var = b->n > 1 ? (s2 - b->n * *mean * *mean) / (b->n - 1.0) : NAN;
    if (*var < 0.0)
        *var = 0.0;
}

void tema__metric_stats(const tema__cell *c, tema_metric metric, const tema_report_opts *o,
                        double *n, double *mean, double *var, double *bad)
{
    bands b;
    switch (metric) {
    case TEMA_METRIC_NPS:
        b = band(c, TEMA_SCORE_NPS, o);
        band_moments(&b, 100.0, 0.0, -100.0, mean, var);
        break;
    case TEMA_METRIC_CSAT:
        b = band(c, TEMA_SCORE_CSAT, o);
        band_moments(&b, 100.0, 0.0, 0.0, mean, var);
        break;
    case TEMA_METRIC_CES:
        b = band(c, TEMA_SCORE_CES, o);
        if (o && o->ces_formula == TEMA_CES_TOP_BOX) {
            band_moments(&b, 100.0, 0.0, 0.0, mean, var);
        } else {
            *mean = b.n > 0 ? b.sum / b.n : NAN;
            *var = b.n > 1 ? (b.sumsq - b.n * *mean * *mean) / (b.n - 1.0) : NAN;
            if (*var < 0.0)
                *var = 0.0;
        }
        break;
    default: {
        double k = (double)c->comments;
        *n = k;
        *mean = k > 0 ? c->sent_sum / k : NAN;
        *var = k > 1 ? (c->sent_sumsq - k * *mean * *mean) / (k - 1.0) : NAN;
        if (*var < 0.0)
            *var = 0.0;
        *bad = (double)c->negative;
        return;
    }
    }
    *n = b.n;
    *bad = b.bad;
}

void tema__summarise(const tema__cell *c, tema_score_type type, const tema_report_opts *o,
                     tema_score_summary *out)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    out->value = out->moe95 = NAN;
    if (type <= TEMA_SCORE_NONE || type >= TEMA_SCORE_TYPE_COUNT)
        return;
    bands b = band(c, type, o);
    out->n = (size_t)b.n;
    out->promoters = (size_t)b.good;
    out->passives = (size_t)b.mid;
    out->detractors = (size_t)b.bad;
    if (b.n <= 0)
        return;
    double pg = b.good / b.n, pb = b.bad / b.n;
    if (type == TEMA_SCORE_NPS) {
        /* per response +1/0/-1: variance = (pP + pD) - (pP - pD)^2 */
        out->value = 100.0 * (pg - pb);
        if (b.n >= 2)
            out->moe95 = 100.0 * TEMA__Z95 * sqrt(((pg + pb) - (pg - pb) * (pg - pb)) / b.n);
    } else if (type == TEMA_SCORE_CSAT ||
               (type == TEMA_SCORE_CES && o && o->ces_formula == TEMA_CES_TOP_BOX)) {
        out->value = 100.0 * pg;
        if (b.n >= 2)
            out->moe95 = 100.0 * TEMA__Z95 * sqrt(pg * (1.0 - pg) / b.n);
    } else {
        double mean = b.sum / b.n;
        out->value = mean;
        if (b.n >= 2) {
            double var = (b.sumsq - b.n * mean * mean) / (b.n - 1.0);
            out->moe95 = TEMA__Z95 * sqrt(var > 0.0 ? var : 0.0) / sqrt(b.n);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Periods                                                            */
/* ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static long year_of_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return (long)yoe + era * 400 + (m <= 2);
}

/* ISO week label of day number 'days': the week belongs to the year of its
 * Thursday. */
static void iso_week(long days, char out[16])
{
    long wd = ((days + 3) % 7 + 7) % 7; /* Monday = 0; 1970-01-01 was a Thursday */
    long thu = days - wd + 3;
    long y = year_of_days(thu);
    long week = (thu - days_from_civil(y, 1, 1)) / 7 + 1;
    snprintf(out, 16, "%04ld-W%02ld", y, week);
}

static int digits(const char *s, size_t n, long *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int tema__period_label(const char *date, size_t len, tema_period period, char out[16])
{
    long y, m, d;
    if (len < 10 || digits(date, 4, &y) || date[4] != '-' || digits(date + 5, 2, &m) ||
        date[7] != '-' || digits(date + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    switch (period) {
    case TEMA_PERIOD_MONTH: snprintf(out, 16, "%04ld-%02ld", y, m); return 0;
    case TEMA_PERIOD_QUARTER: snprintf(out, 16, "%04ld-Q%ld", y, (m + 2) / 3); return 0;
    case TEMA_PERIOD_WEEK: iso_week(days_from_civil(y, (unsigned)m, (unsigned)d), out); return 0;
    default: return -1;
    }
}

int tema__period_prev(const char *label, tema_period period, char out[16])
{
    long y, v;
    size_t len = strlen(label);
    if (len < 7 || digits(label, 4, &y) || label[4] != '-')
        return -1;
    switch (period) {
    case TEMA_PERIOD_MONTH:
        if (len != 7 || digits(label + 5, 2, &v) || v < 1 || v > 12)
            return -1;
        if (--v == 0) {
            v = 12;
            y--;
        }
        snprintf(out, 16, "%04ld-%02ld", y, v);
        return 0;
    case TEMA_PERIOD_QUARTER:
        if (len != 7 || label[5] != 'Q' || digits(label + 6, 1, &v) || v < 1 || v > 4)
            return -1;
        if (--v == 0) {
            v = 4;
            y--;
        }
        snprintf(out, 16, "%04ld-Q%ld", y, v);
        return 0;
    case TEMA_PERIOD_WEEK: {
        if (len != 8 || label[5] != 'W' || digits(label + 6, 2, &v) || v < 1 || v > 53)
            return -1;
        long jan4 = days_from_civil(y, 1, 4);
        long monday = jan4 - (((jan4 + 3) % 7 + 7) % 7) + (v - 1) * 7;
        iso_week(monday - 7, out);
        return 0;
    }
    default: return -1;
    }
}

tema_score_type tema__score_type_of(const char *name)
{
    if (strcmp(name, "nps") == 0)
        return TEMA_SCORE_NPS;
    if (strcmp(name, "csat") == 0)
        return TEMA_SCORE_CSAT;
    if (strcmp(name, "ces") == 0)
        return TEMA_SCORE_CES;
    return TEMA_SCORE_NONE;
}
