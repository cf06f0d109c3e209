/* report/cover.h: sandbox --coverage, the challenge's report. */
#ifndef TT_REPORT_COVER_H
#define TT_REPORT_COVER_H

#include <stdio.h>

#include "report/report.h"

struct tt_step;

/* Which transitions of the challenge's list (tutor/cover.h) the steps of a
 * run took, by which host, and which remain (text: and what to try next);
 * 0, or -1 when out of memory. */
int tt_report_cover(FILE *f, enum tt_format fmt, const struct tt_step *steps, size_t n);

#endif
