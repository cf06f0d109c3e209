/* ui/quizui.h: the quiz screen. Plain C (no curses), so cmd/quiz.c can call
 * it: the sitting (questions, checking, Leitner boxes, saving) lives in
 * tutor/quiz.h; this screen only asks, shows feedback and the score. */
#ifndef TT_UI_QUIZUI_H
#define TT_UI_QUIZUI_H

#include <stddef.h>

#include "tutor/quiz.h"

struct ui_quiz_opts {
	int zh;                  /* Chinese text */
	int present;             /* presenter mode */
	const char *progress_path; /* shown in the summary */
	/* "Show me": opens the lesson step (own_scenario 0) or a generated
	 * question's own scenario (1) in the step view; 0, or -1 with err. */
	int (*show)(void *ctx, const struct tt_quiz_question *q, int own_scenario, char *err,
	            size_t errlen);
	void *show_ctx;
};

/* Picks a topic: returns "all", "practice" or a topic id of the bank (a
 * pointer into the bank or a literal), or NULL when the learner backs out. */
const char *ui_quiz_pick_topic(const struct tt_quiz *qz, const struct tt_leitner *p,
                               const struct ui_quiz_opts *o);
/* Runs the sitting until it ends or the learner quits; an exit status. */
int ui_quiz(const struct tt_quiz *qz, struct tt_quiz_session *s, const struct ui_quiz_opts *o);

#endif
