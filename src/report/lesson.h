/* report/lesson.h: lessons in batch form (tcptutor lesson --batch,
 * lesson --list). Each writes only to the FILE * it is given. */
#ifndef TT_REPORT_LESSON_H
#define TT_REPORT_LESSON_H

#include <stddef.h>
#include <stdio.h>

#include "report/report.h"

struct tt_lesson;
struct tt_lesson_progress;

/* The lesson as text in language lang (TT_EN, TT_ZH): title,
 * endpoints, each part's narration, checkpoint and steps (rows and
 * events), the summary. Returns 0, or -1 when out of memory. */
int tt_report_lesson_text(FILE *f, const struct tt_lesson *l, int lang, int absolute, int tcb);
/* Its segment table alone, as TSV or JSON lines; 0 or -1 (out of memory). */
int tt_report_lesson_table(FILE *f, const struct tt_lesson *l, enum tt_format fmt,
                           int absolute, int tcb);
/* One row per lesson; text shows the learner's best score from prog
 * (NULL: none). */
void tt_report_lessons(FILE *f, enum tt_format fmt, struct tt_lesson *const *v, size_t n,
                       int lang, const struct tt_lesson_progress *prog);

#endif
