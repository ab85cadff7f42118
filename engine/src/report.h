/*
 * report.h: the reports (tema_top, tema_scores, tema_drivers) are public;
 * this header shares the SQL pieces they are built from with the tests.
 */
#ifndef TEMA_REPORT_H
#define TEMA_REPORT_H

#include "tema.h"

/* The SQL expression giving the period label of comment date 'c.date' (NULL
 * for a missing date), equal to tema__period_label().  "NULL" for
 * TEMA_PERIOD_NONE.  Static string. */
const char *tema__period_sql(tema_period period);

#endif
