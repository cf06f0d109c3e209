/* tutor/quiz_bank.h: the question bank's insides, shared by quiz.c (the
 * bank, topics and answer checking) and quiz_parse.c (the file parser).
 * Private to tutor/. */
#ifndef TT_QUIZ_BANK_H
#define TT_QUIZ_BANK_H

#include <stddef.h>
#include <stdint.h>

#include "tutor/quiz.h"

struct tt_quiz_topic {
	char id[32];
	char *name[TT_NLANG];
};

struct tt_quiz {
	struct tt_quiz_question *q;
	size_t n, cap;
	struct tt_quiz_topic *topic;
	size_t ntopic, topiccap;
};

/* The topic of that id, added (without names) if new; NULL when out of memory. */
struct tt_quiz_topic *tt_quiz_topic_add(struct tt_quiz *qz, const char *id);
/* Frees what a question holds and zeroes it. */
void tt_quiz_question_clear(struct tt_quiz_question *q);
/* Normalizes an answer for q (the file's `answer`/`wrong [..]` and the
 * learner's input alike); fills norm and the parsed value. 0 or -1 with a
 * message in err (no file:line). */
int tt_quiz_normalize(const struct tt_quiz_question *q, const char *in, char *norm, size_t normlen,
                      unsigned *mask, uint32_t *num, int *order, int *state, char *err,
                      size_t errlen);

#endif
