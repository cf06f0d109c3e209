/* tutor/quiz.c: the question bank (questions and topics as quiz_parse.c
 * reads them), their texts, and answer checking: the normal forms of
 * answers, right or wrong, and the explanations that fit a wrong one.
 * Library code: never prints. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "engine/tcp.h"
#include "i18n.h"
#include "tutor/quiz.h"
#include "tutor/quiz_bank.h"

static const char *const kind_words[] = {
#define TT_QUIZ_KIND_WORD(id, word, name) word,
	TT_QUIZ_KINDS(TT_QUIZ_KIND_WORD)
#undef TT_QUIZ_KIND_WORD
};

static const char *const kind_names[] = {
#define TT_QUIZ_KIND_NAME(id, word, name) name,
	TT_QUIZ_KINDS(TT_QUIZ_KIND_NAME)
#undef TT_QUIZ_KIND_NAME
};

const char *
tt_quiz_kind_word(enum tt_quiz_kind k)
{
	return (unsigned)k < TT_QUIZ_NKINDS ? kind_words[k] : "?";
}

const char *
tt_quiz_kind_name(enum tt_quiz_kind k)
{
	return (unsigned)k < TT_QUIZ_NKINDS ? kind_names[k] : "?";
}

const char *
tt_quiz_text_get(const struct tt_quiz_text *t, int lang)
{
	if (lang == TT_ZH && t->s[TT_ZH] != NULL)
		return t->s[TT_ZH];
	return t->s[TT_EN] != NULL ? t->s[TT_EN] : "";
}

/* ---- the bank ---- */

struct tt_quiz *
tt_quiz_new(void)
{
	return calloc(1, sizeof(struct tt_quiz));
}

static void
qtext_clear(struct tt_quiz_text *t)
{
	for (int l = 0; l < TT_NLANG; l++) {
		free(t->s[l]);
		t->s[l] = NULL;
	}
}

void
tt_quiz_question_clear(struct tt_quiz_question *q)
{
	qtext_clear(&q->title);
	qtext_clear(&q->prompt);
	qtext_clear(&q->explain);
	for (size_t i = 0; i < TT_QUIZ_MAXCHOICES; i++)
		qtext_clear(&q->choice[i]);
	for (size_t i = 0; i < TT_QUIZ_MAXITEMS; i++) {
		qtext_clear(&q->key[i]);
		qtext_clear(&q->wrong[i].text);
	}
	free(q->scenario);
	free(q->file);
	memset(q, 0, sizeof *q);
}

void
tt_quiz_question_free(struct tt_quiz_question *q)
{
	if (q == NULL)
		return;
	tt_quiz_question_clear(q);
	free(q);
}

void
tt_quiz_free(struct tt_quiz *qz)
{
	if (qz == NULL)
		return;
	for (size_t i = 0; i < qz->n; i++)
		tt_quiz_question_clear(&qz->q[i]);
	free(qz->q);
	for (size_t i = 0; i < qz->ntopic; i++)
		for (int l = 0; l < TT_NLANG; l++)
			free(qz->topic[i].name[l]);
	free(qz->topic);
	free(qz);
}

size_t
tt_quiz_count(const struct tt_quiz *qz)
{
	return qz->n;
}

const struct tt_quiz_question *
tt_quiz_get(const struct tt_quiz *qz, size_t i)
{
	return i < qz->n ? &qz->q[i] : NULL;
}

const struct tt_quiz_question *
tt_quiz_find(const struct tt_quiz *qz, const char *id)
{
	for (size_t i = 0; i < qz->n; i++)
		if (strcmp(qz->q[i].id, id) == 0)
			return &qz->q[i];
	return NULL;
}

static struct tt_quiz_topic *
topic_find(const struct tt_quiz *qz, const char *id)
{
	for (size_t i = 0; i < qz->ntopic; i++)
		if (strcmp(qz->topic[i].id, id) == 0)
			return &qz->topic[i];
	return NULL;
}

struct tt_quiz_topic *
tt_quiz_topic_add(struct tt_quiz *qz, const char *id)
{
	struct tt_quiz_topic *t = topic_find(qz, id);

	if (t != NULL)
		return t;
	if (TT_GROW(qz->topic, qz->ntopic, qz->topiccap, 16) < 0)
		return NULL;
	t = &qz->topic[qz->ntopic++];
	memset(t, 0, sizeof *t);
	snprintf(t->id, sizeof t->id, "%s", id);
	return t;
}

size_t
tt_quiz_ntopics(const struct tt_quiz *qz)
{
	size_t n = 0;

	/* Topics named by topic-name but without questions are not listed. */
	for (size_t i = 0; i < qz->ntopic; i++)
		for (size_t j = 0; j < qz->n; j++)
			if (strcmp(qz->q[j].topic, qz->topic[i].id) == 0) {
				n++;
				break;
			}
	return n;
}

const char *
tt_quiz_topic(const struct tt_quiz *qz, size_t want)
{
	size_t n = 0;

	for (size_t i = 0; i < qz->ntopic; i++)
		for (size_t j = 0; j < qz->n; j++)
			if (strcmp(qz->q[j].topic, qz->topic[i].id) == 0) {
				if (n++ == want)
					return qz->topic[i].id;
				break;
			}
	return NULL;
}

const char *
tt_quiz_topic_name(const struct tt_quiz *qz, const char *id, int lang)
{
	struct tt_quiz_topic *t = topic_find(qz, id);

	if (t == NULL)
		return id;
	if (lang == TT_ZH && t->name[TT_ZH] != NULL)
		return t->name[TT_ZH];
	return t->name[TT_EN] != NULL ? t->name[TT_EN] : id;
}


/* ---- answers ---- */

/* Normal forms of answers; shared by the file's `answer`/`wrong [..]` and
 * by the learner's input. Return 0 or -1 with a message (no file:line). */
static int
norm_choices(const struct tt_quiz_question *q, const char *in, unsigned *mask, char *err, size_t errlen)
{
	*mask = 0;
	for (const char *p = in; *p != '\0'; p++) {
		int c = tolower((unsigned char)*p), i;

		if (c == ' ' || c == ',' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			i = c - 'a';
		else if (c >= '1' && c <= '9')
			i = c - '1';
		else {
			snprintf(err, errlen, "%s", N_("not a choice letter"));
			return -1;
		}
		if ((size_t)i >= q->nchoices) {
			snprintf(err, errlen, "%s", N_("there is no such choice"));
			return -1;
		}
		*mask |= 1u << i;
	}
	if (*mask == 0) {
		snprintf(err, errlen, "%s", N_("no choice given"));
		return -1;
	}
	if (q->kind == TT_QUIZ_SINGLE && (*mask & (*mask - 1)) != 0) {
		snprintf(err, errlen, "%s", N_("give one choice only"));
		return -1;
	}
	return 0;
}

static void
mask_text(unsigned mask, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < TT_QUIZ_MAXCHOICES && at + 3 < len; i++)
		if (mask & (1u << i)) {
			if (at > 0)
				buf[at++] = ' ';
			buf[at++] = (char)('a' + i);
			buf[at] = '\0';
		}
}

static int
norm_number(const char *in, uint32_t *out, char *err, size_t errlen)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*in))
		in++;
	errno = 0;
	if (!isdigit((unsigned char)*in)) {
		snprintf(err, errlen, "%s", N_("a number from 0 to 4294967295 is expected"));
		return -1;
	}
	v = strtoull(in, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0' || errno != 0 || v > UINT32_MAX) {
		snprintf(err, errlen, "%s", N_("a number from 0 to 4294967295 is expected"));
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
norm_order(const struct tt_quiz_question *q, const char *in, int *order, char *err, size_t errlen)
{
	size_t n = 0;
	unsigned seen = 0;
	int digits_only = 1, has_sep = 0;

	for (const char *p = in; *p != '\0'; p++) {
		if (*p == ' ' || *p == ',' || *p == '\t')
			has_sep = 1;
		else if (!isdigit((unsigned char)*p))
			digits_only = 0;
	}
	if (!digits_only) {
		snprintf(err, errlen, "%s", N_("give every item number once, in order, e.g. 3 1 2 4"));
		return -1;
	}
	for (const char *p = in; *p != '\0';) {
		long v;
		char *end;

		if (*p == ' ' || *p == ',' || *p == '\t') {
			p++;
			continue;
		}
		if (has_sep)
			v = strtol(p, &end, 10);
		else {
			v = *p - '0';
			end = (char *)p + 1;
		}
		p = end;
		if (v < 1 || (size_t)v > q->nchoices) {
			snprintf(err, errlen, "%s", N_("give every item number once, in order, e.g. 3 1 2 4"));
			return -1;
		}
		if (seen & (1u << (v - 1))) {
			snprintf(err, errlen, "%s", N_("give every item number once, in order, e.g. 3 1 2 4"));
			return -1;
		}
		if (n >= q->nchoices)
			break;
		seen |= 1u << (v - 1);
		order[n++] = (int)v - 1;
	}
	if (n != q->nchoices) {
		snprintf(err, errlen, "%s", N_("give every item number once, in order, e.g. 3 1 2 4"));
		return -1;
	}
	return 0;
}

static void
order_text(const int *order, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && at + 4 < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%d", i ? " " : "", order[i] + 1);
}

static int
norm_state(const char *in, int *state, char *err, size_t errlen)
{
	char up[32];
	size_t i = 0;
	int s;

	while (isspace((unsigned char)*in))
		in++;
	for (; in[i] != '\0' && i + 1 < sizeof up; i++)
		up[i] = (char)toupper((unsigned char)in[i]);
	while (i > 0 && isspace((unsigned char)up[i - 1]))
		i--;
	up[i] = '\0';
	for (char *p = up; *p; p++)
		if (*p == ' ')
			*p = '-';
	s = tt_state_from_name(up);
	if (s < 0) {
		snprintf(err, errlen, "%s", N_("not an RFC 9293 state name (e.g. SYN-SENT, TIME-WAIT)"));
		return -1;
	}
	*state = s;
	return 0;
}

int
tt_quiz_normalize(const struct tt_quiz_question *q, const char *in, char *norm, size_t normlen,
                  unsigned *mask, uint32_t *num, int *order, int *state, char *err,
                  size_t errlen)
{
	norm[0] = '\0';
	switch (q->kind) {
	case TT_QUIZ_SINGLE:
	case TT_QUIZ_MULTIPLE:
		if (norm_choices(q, in, mask, err, errlen) == -1)
			return -1;
		mask_text(*mask, norm, normlen);
		return 0;
	case TT_QUIZ_NUMBER:
		if (norm_number(in, num, err, errlen) == -1)
			return -1;
		snprintf(norm, normlen, "%" PRIu32, *num);
		return 0;
	case TT_QUIZ_ORDER:
		if (norm_order(q, in, order, err, errlen) == -1)
			return -1;
		order_text(order, q->nchoices, norm, normlen);
		return 0;
	case TT_QUIZ_STATE:
		if (norm_state(in, state, err, errlen) == -1)
			return -1;
		snprintf(norm, normlen, "%s", tt_state_name((enum tt_state)*state));
		return 0;
	case TT_QUIZ_OPEN:
	case TT_QUIZ_NKINDS:
		break;
	}
	while (isspace((unsigned char)*in))
		in++;
	if (tolower((unsigned char)in[0]) == 'y' || strncmp(in, "是", 3) == 0 ||
	    strncmp(in, "对", 3) == 0)
		snprintf(norm, normlen, "y");
	else if (tolower((unsigned char)in[0]) == 'n' || strncmp(in, "否", 3) == 0 ||
	         strncmp(in, "不", 3) == 0)
		snprintf(norm, normlen, "n");
	else {
		snprintf(err, errlen, "%s", N_("answer y if your answer covered the key points, else n"));
		return -1;
	}
	return 0;
}

int
tt_quiz_check(const struct tt_quiz_question *q, const char *answer, char *norm, size_t normlen,
              char *err, size_t errlen)
{
	unsigned mask = 0;
	uint32_t num = 0;
	int order[TT_QUIZ_MAXCHOICES], state = -1;

	if (tt_quiz_normalize(q, answer, norm, normlen, &mask, &num, order, &state, err, errlen) == -1)
		return -1;
	switch (q->kind) {
	case TT_QUIZ_SINGLE:
	case TT_QUIZ_MULTIPLE:
		return mask == q->answer_mask;
	case TT_QUIZ_NUMBER:
		return num == q->answer_num;
	case TT_QUIZ_ORDER:
		return memcmp(order, q->order, q->nchoices * sizeof order[0]) == 0;
	case TT_QUIZ_STATE:
		return state == q->state;
	case TT_QUIZ_OPEN:
	case TT_QUIZ_NKINDS:
		break;
	}
	return strcmp(norm, "y") == 0;
}

char *
tt_quiz_answer_text(const struct tt_quiz_question *q, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (q->kind) {
	case TT_QUIZ_SINGLE:
	case TT_QUIZ_MULTIPLE:
		mask_text(q->answer_mask, buf, len);
		break;
	case TT_QUIZ_NUMBER:
		snprintf(buf, len, "%" PRIu32, q->answer_num);
		break;
	case TT_QUIZ_ORDER:
		order_text(q->order, q->nchoices, buf, len);
		break;
	case TT_QUIZ_STATE:
		snprintf(buf, len, "%s", tt_state_name((enum tt_state)q->state));
		break;
	case TT_QUIZ_OPEN:
	case TT_QUIZ_NKINDS:
		break;
	}
	return buf;
}

size_t
tt_quiz_wrong_for(const struct tt_quiz_question *q, const char *norm, const struct tt_quiz_wrong **out,
                  size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < q->nwrong && n < max; i++)
		if (q->wrong[i].match[0] != '\0' && strcmp(q->wrong[i].match, norm) == 0)
			out[n++] = &q->wrong[i];
	if (q->kind != TT_QUIZ_MULTIPLE)
		return n;
	/* Letters chosen but wrong, and right letters left out. */
	unsigned mask = 0;

	for (const char *p = norm; *p; p++)
		if (*p >= 'a' && *p < 'a' + TT_QUIZ_MAXCHOICES)
			mask |= 1u << (*p - 'a');
	for (size_t i = 0; i < q->nwrong && n < max; i++) {
		const char *m = q->wrong[i].match;
		unsigned bit;

		if (m[0] < 'a' || m[0] >= 'a' + TT_QUIZ_MAXCHOICES || m[1] != '\0')
			continue;
		bit = 1u << (m[0] - 'a');
		if (((mask & bit) && !(q->answer_mask & bit)) || (!(mask & bit) && (q->answer_mask & bit)))
			if (strcmp(m, norm) != 0)
				out[n++] = &q->wrong[i];
	}
	return n;
}
