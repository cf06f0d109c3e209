/* report/quiz.h: the quiz in batch form (tcptutor quiz --list, and a
 * sitting with --batch). Each writes only to the FILE * it is given; lang
 * is TT_EN or TT_ZH. */
#ifndef TT_REPORT_QUIZ_H
#define TT_REPORT_QUIZ_H

#include <stddef.h>
#include <stdio.h>

#include "report/report.h"

struct tt_quiz;
struct tt_quiz_question;
struct tt_quiz_session;

/* The bank's questions of topic (NULL or "all": every one, with the
 * generated practice templates; "practice": those alone), a header first. */
void tt_report_quiz_list(FILE *f, enum tt_format fmt, const struct tt_quiz *qz,
                         const char *topic, int lang);
/* Question num (of planned, 0: open-ended), its choices and how to answer. */
void tt_report_question(FILE *f, const struct tt_quiz *qz, const struct tt_quiz_question *q,
                        size_t num, size_t planned, int lang);
/* An open question's key points and the self-grade it asks for. */
void tt_report_quiz_keys(FILE *f, const struct tt_quiz_question *q, int lang);
/* Right or wrong (norm: the answer as checked), the explanation, where
 * the answer is shown. */
void tt_report_feedback(FILE *f, const struct tt_quiz_question *q, const char *norm, int right,
                        int lang);
/* The score, per topic, and where progress was saved (path NULL: not). */
void tt_report_quiz_summary(FILE *f, const struct tt_quiz *qz, const struct tt_quiz_session *s,
                            const char *path, int lang);
/* --format tsv|json: one answered question per row instead of the words
 * (the header: TSV only). */
void tt_report_answer_header(FILE *f, enum tt_format fmt);
void tt_report_answer_row(FILE *f, enum tt_format fmt, const struct tt_quiz_question *q,
                          size_t num, const char *answer, int right);

#endif
