/* tutor/quiz_session.c: one sitting of the quiz: which questions, in what
 * order (the Leitner boxes, then a seeded shuffle), generated practice after
 * them, the score per topic, and progress saved after every answer.
 * Library code: never prints. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "tutor/quiz.h"

struct tscore {
	char topic[32];
	unsigned asked, right;
};

struct tt_quiz_session {
	const struct tt_quiz *qz;
	struct tt_leitner *p;
	char *path;
	unsigned long seed;
	size_t *plan, nplan, at;
	unsigned npractice, practice_done;
	int endless;
	struct tt_quiz_question **gen;
	size_t ngen, capgen;
	const struct tt_quiz_question *cur;
	struct tscore *score;
	size_t nscore, capscore;
	int answered_cur;
};

/* FNV-1a of a question's id: a sitting's order under a seed follows the
 * ids, so that adding questions elsewhere in the bank leaves it alone. */
static uint64_t
id_hash(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 0x100000001b3ULL;
	return h;
}

struct rank {
	size_t idx;
	unsigned box, last;
	uint64_t r;
};

static int
cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;

	if (x->box != y->box)
		return x->box < y->box ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	if (x->r != y->r)
		return x->r < y->r ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct tt_quiz_session *
tt_quiz_session_new(const struct tt_quiz *qz, struct tt_leitner *p, const char *progress_path,
                    const char *topic, unsigned long seed, unsigned npractice, char *err,
                    size_t errlen)
{
	struct tt_quiz_session *s = calloc(1, sizeof *s);
	struct rank *rk = NULL;
	size_t nr = 0, ndue = 0, nq = tt_quiz_count(qz);
	int all = topic == NULL || strcmp(topic, "all") == 0;
	int practice = topic != NULL && strcmp(topic, TT_PRACTICE_TOPIC) == 0;

	if (s == NULL)
		goto oom;
	s->qz = qz;
	s->p = p;
	s->seed = seed;
	if (progress_path != NULL && (s->path = strdup(progress_path)) == NULL)
		goto oom;
	tt_leitner_begin_session(p);
	if (practice) {
		s->endless = npractice == 0;
		s->npractice = npractice;
		return s;
	}
	s->npractice = all ? npractice : 0;
	if (nq > 0 && (rk = calloc(nq, sizeof *rk)) == NULL)
		goto oom;
	for (size_t i = 0; i < nq; i++) {
		const struct tt_quiz_question *q = tt_quiz_get(qz, i);
		struct tt_leitner_record r;

		if (!all && strcmp(q->topic, topic) != 0)
			continue;
		r = tt_leitner_get(p, q->id);
		rk[nr].idx = i;
		rk[nr].box = r.box;
		rk[nr].last = tt_leitner_due(&r, tt_leitner_session(p)) ? 0 : 1;
		rk[nr].r = tt_mix64(seed ^ id_hash(q->id));
		ndue += rk[nr].last == 0;
		nr++;
	}
	/* Due questions first, lowest box first, ties in the seed's order; when
	 * nothing is due, the sitting asks everything, soonest-due first. */
	for (size_t i = 0; i < nr; i++) {
		if (ndue == 0) {
			struct tt_leitner_record r = tt_leitner_get(p, tt_quiz_get(qz, rk[i].idx)->id);

			rk[i].last = r.last_session;
		}
	}
	qsort(rk, nr, sizeof *rk, cmp_rank);
	if (nr > 0 && (s->plan = calloc(nr, sizeof *s->plan)) == NULL)
		goto oom;
	for (size_t i = 0; i < nr; i++)
		if (ndue == 0 || rk[i].last == 0)
			s->plan[s->nplan++] = rk[i].idx;
	free(rk);
	return s;
oom:
	free(rk);
	tt_quiz_session_free(s);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void
tt_quiz_session_free(struct tt_quiz_session *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ngen; i++)
		tt_quiz_question_free(s->gen[i]);
	free(s->gen);
	free(s->plan);
	free(s->path);
	free(s->score);
	free(s);
}

size_t
tt_quiz_session_planned(const struct tt_quiz_session *s)
{
	return s->endless ? 0 : s->nplan + s->npractice;
}

const struct tt_quiz_question *
tt_quiz_session_next(struct tt_quiz_session *s, char *err, size_t errlen)
{
	struct tt_quiz_question *q;

	err[0] = '\0';
	s->cur = NULL;
	s->answered_cur = 0;
	if (s->at < s->nplan) {
		s->cur = tt_quiz_get(s->qz, s->plan[s->at++]);
		return s->cur;
	}
	if (!s->endless && s->practice_done >= s->npractice)
		return NULL;
	/* each seed's own sequence (seed + k would make seed + 1's sitting the
	 * same one shifted by a question) */
	q = tt_practice_new((size_t)-1,
	                    (unsigned long)tt_mix64(tt_mix64(s->seed ^ 0x51ed) + s->practice_done), err,
	                    errlen);
	if (q == NULL)
		return NULL;
	if (TT_GROW(s->gen, s->ngen, s->capgen, 8) < 0) {
		tt_quiz_question_free(q);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->gen[s->ngen++] = q;
	s->practice_done++;
	s->cur = q;
	return q;
}

static struct tscore *
score_for(struct tt_quiz_session *s, const char *topic)
{
	struct tscore *t;

	for (size_t i = 0; i < s->nscore; i++)
		if (strcmp(s->score[i].topic, topic) == 0)
			return &s->score[i];
	if (TT_GROW(s->score, s->nscore, s->capscore, 8) < 0)
		return NULL;
	t = &s->score[s->nscore++];
	memset(t, 0, sizeof *t);
	snprintf(t->topic, sizeof t->topic, "%s", topic);
	return t;
}

int
tt_quiz_session_answer(struct tt_quiz_session *s, int right, char *err, size_t errlen)
{
	struct tscore *sc;
	const char *id;

	if (s->cur == NULL || s->answered_cur) {
		snprintf(err, errlen, "no question to answer");
		return -1;
	}
	s->answered_cur = 1;
	/* Generated questions are filed under their template. */
	id = s->cur->scenario != NULL ? tt_practice_template_id((size_t)s->cur->gen.template_)
	                              : s->cur->id;
	if ((sc = score_for(s, s->cur->topic)) == NULL ||
	    tt_leitner_answer(s->p, id, right) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sc->asked++;
	sc->right += right != 0;
	if (s->path == NULL)
		return 0;
	return tt_leitner_save(s->p, s->path, err, errlen);
}

void
tt_quiz_session_score(const struct tt_quiz_session *s, const char *topic, unsigned *asked,
                      unsigned *right)
{
	*asked = *right = 0;
	for (size_t i = 0; i < s->nscore; i++)
		if (topic == NULL || strcmp(s->score[i].topic, topic) == 0) {
			*asked += s->score[i].asked;
			*right += s->score[i].right;
		}
}

size_t
tt_quiz_session_ntopics(const struct tt_quiz_session *s)
{
	return s->nscore;
}

const char *
tt_quiz_session_topic(const struct tt_quiz_session *s, size_t i)
{
	return i < s->nscore ? s->score[i].topic : NULL;
}
