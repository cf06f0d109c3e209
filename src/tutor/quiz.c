/* tutor/quiz.c: the quiz bank parser (takes a buffer, so a fuzzer can call
 * it), answer checking, Leitner boxes, the progress file and a sitting.
 * Library code: never prints; errors come back in err as "FILE:LINE: msg".
 * The file format is described in doc/quiz-format.md. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tcp.h"
#include "i18n.h"
#include "tutor/quiz.h"
#include "tutor/store.h"

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
	return (unsigned)k < TT_QK_NKINDS ? kind_words[k] : "?";
}

const char *
tt_quiz_kind_name(enum tt_quiz_kind k)
{
	return (unsigned)k < TT_QK_NKINDS ? kind_names[k] : "?";
}

const char *
tt_qtext_get(const struct tt_qtext *t, int lang)
{
	if (lang == TT_ZH && t->s[TT_ZH] != NULL)
		return t->s[TT_ZH];
	return t->s[TT_EN] != NULL ? t->s[TT_EN] : "";
}

/* ---- the bank ---- */

struct topic {
	char id[32];
	char *name[TT_NLANG];
};

struct tt_quiz {
	struct tt_question *q;
	size_t n, cap;
	struct topic *topic;
	size_t ntopic, topiccap;
};

struct tt_quiz *
tt_quiz_new(void)
{
	return calloc(1, sizeof(struct tt_quiz));
}

static void
qtext_clear(struct tt_qtext *t)
{
	for (int l = 0; l < TT_NLANG; l++) {
		free(t->s[l]);
		t->s[l] = NULL;
	}
}

static void
question_clear(struct tt_question *q)
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
tt_question_free(struct tt_question *q)
{
	if (q == NULL)
		return;
	question_clear(q);
	free(q);
}

void
tt_quiz_free(struct tt_quiz *qz)
{
	if (qz == NULL)
		return;
	for (size_t i = 0; i < qz->n; i++)
		question_clear(&qz->q[i]);
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

const struct tt_question *
tt_quiz_get(const struct tt_quiz *qz, size_t i)
{
	return i < qz->n ? &qz->q[i] : NULL;
}

const struct tt_question *
tt_quiz_find(const struct tt_quiz *qz, const char *id)
{
	for (size_t i = 0; i < qz->n; i++)
		if (strcmp(qz->q[i].id, id) == 0)
			return &qz->q[i];
	return NULL;
}

static struct topic *
topic_find(const struct tt_quiz *qz, const char *id)
{
	for (size_t i = 0; i < qz->ntopic; i++)
		if (strcmp(qz->topic[i].id, id) == 0)
			return &qz->topic[i];
	return NULL;
}

static struct topic *
topic_add(struct tt_quiz *qz, const char *id)
{
	struct topic *t = topic_find(qz, id);

	if (t != NULL)
		return t;
	if (qz->ntopic == qz->topiccap) {
		size_t cap = qz->topiccap ? qz->topiccap * 2 : 16;
		struct topic *nt = realloc(qz->topic, cap * sizeof *nt);

		if (nt == NULL)
			return NULL;
		qz->topic = nt;
		qz->topiccap = cap;
	}
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
	struct topic *t = topic_find(qz, id);

	if (t == NULL)
		return id;
	if (lang == TT_ZH && t->name[TT_ZH] != NULL)
		return t->name[TT_ZH];
	return t->name[TT_EN] != NULL ? t->name[TT_EN] : id;
}

/* ---- parsing ---- */

struct parser {
	struct tt_quiz *qz;
	const char *fname;
	unsigned line;
	char *err;
	size_t errlen;
	struct tt_question *q;   /* the question being read, or NULL */
	size_t nchoice[TT_NLANG], nkey[TT_NLANG], nwrong[TT_NLANG];
	char answer[256];
	unsigned answer_line, kind_set, show_set;
	char zhmatch[TT_QUIZ_MAXITEMS][32]; /* wrong.zh [..] as written, checked at the end */
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->fname, ps->line);

	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Sets or extends (with a newline) a text. */
static int
text_append(char **dst, const char *s)
{
	size_t old = *dst ? strlen(*dst) : 0, add = strlen(s);
	char *n = realloc(*dst, old + add + 2);

	if (n == NULL)
		return -1;
	if (*dst == NULL)
		memcpy(n, s, add + 1);
	else {
		n[old] = '\n';
		memcpy(n + old + 1, s, add + 1);
	}
	*dst = n;
	return 0;
}

static int
valid_id(const char *s)
{
	if (*s == '\0' || strlen(s) >= 32)
		return 0;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* Normal forms of answers; shared by the file's `answer`/`wrong [..]` and
 * by the learner's input. Return 0 or -1 with a message (no file:line). */
static int
norm_choices(const struct tt_question *q, const char *in, unsigned *mask, char *err, size_t errlen)
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
	if (q->kind == TT_QK_SINGLE && (*mask & (*mask - 1)) != 0) {
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
norm_order(const struct tt_question *q, const char *in, int *order, char *err, size_t errlen)
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

/* Normalizes an answer for q; fills norm. 0 or -1 with err. */
static int
normalize(const struct tt_question *q, const char *in, char *norm, size_t normlen, unsigned *mask,
          uint32_t *num, int *order, int *state, char *err, size_t errlen)
{
	norm[0] = '\0';
	switch (q->kind) {
	case TT_QK_SINGLE:
	case TT_QK_MULTIPLE:
		if (norm_choices(q, in, mask, err, errlen) == -1)
			return -1;
		mask_text(*mask, norm, normlen);
		return 0;
	case TT_QK_NUMBER:
		if (norm_number(in, num, err, errlen) == -1)
			return -1;
		snprintf(norm, normlen, "%" PRIu32, *num);
		return 0;
	case TT_QK_ORDER:
		if (norm_order(q, in, order, err, errlen) == -1)
			return -1;
		order_text(order, q->nchoices, norm, normlen);
		return 0;
	case TT_QK_STATE:
		if (norm_state(in, state, err, errlen) == -1)
			return -1;
		snprintf(norm, normlen, "%s", tt_state_name((enum tt_state)*state));
		return 0;
	case TT_QK_OPEN:
	case TT_QK_NKINDS:
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
tt_quiz_check(const struct tt_question *q, const char *answer, char *norm, size_t normlen,
              char *err, size_t errlen)
{
	unsigned mask = 0;
	uint32_t num = 0;
	int order[TT_QUIZ_MAXCHOICES], state = -1;

	if (normalize(q, answer, norm, normlen, &mask, &num, order, &state, err, errlen) == -1)
		return -1;
	switch (q->kind) {
	case TT_QK_SINGLE:
	case TT_QK_MULTIPLE:
		return mask == q->answer_mask;
	case TT_QK_NUMBER:
		return num == q->answer_num;
	case TT_QK_ORDER:
		return memcmp(order, q->order, q->nchoices * sizeof order[0]) == 0;
	case TT_QK_STATE:
		return state == q->state;
	case TT_QK_OPEN:
	case TT_QK_NKINDS:
		break;
	}
	return strcmp(norm, "y") == 0;
}

char *
tt_quiz_answer_text(const struct tt_question *q, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (q->kind) {
	case TT_QK_SINGLE:
	case TT_QK_MULTIPLE:
		mask_text(q->answer_mask, buf, len);
		break;
	case TT_QK_NUMBER:
		snprintf(buf, len, "%" PRIu32, q->answer_num);
		break;
	case TT_QK_ORDER:
		order_text(q->order, q->nchoices, buf, len);
		break;
	case TT_QK_STATE:
		snprintf(buf, len, "%s", tt_state_name((enum tt_state)q->state));
		break;
	case TT_QK_OPEN:
	case TT_QK_NKINDS:
		break;
	}
	return buf;
}

size_t
tt_quiz_wrong_for(const struct tt_question *q, const char *norm, const struct tt_qwrong **out,
                  size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < q->nwrong && n < max; i++)
		if (q->wrong[i].match[0] != '\0' && strcmp(q->wrong[i].match, norm) == 0)
			out[n++] = &q->wrong[i];
	if (q->kind != TT_QK_MULTIPLE)
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

/* Checks a finished question; -1 with err. */
static int
finish_question(struct parser *ps)
{
	struct tt_question *q = ps->q;
	unsigned mask = 0;
	uint32_t num = 0;
	int state = -1, order[TT_QUIZ_MAXCHOICES];
	char norm[64], e[160];
	static const char *const lang[] = { "en", "zh" };

	if (q == NULL)
		return 0;
	ps->line = q->line;
	if (q->topic[0] == '\0')
		return perr(ps, "question %s: no topic", q->id);
	if (!ps->kind_set)
		return perr(ps, "question %s: no kind", q->id);
	for (int l = 0; l < TT_NLANG; l++) {
		if (q->title.s[l] == NULL)
			return perr(ps, "question %s: no title.%s", q->id, lang[l]);
		if (q->prompt.s[l] == NULL)
			return perr(ps, "question %s: no prompt.%s", q->id, lang[l]);
		if (q->explain.s[l] == NULL)
			return perr(ps, "question %s: no explain.%s", q->id, lang[l]);
	}
	if (ps->nchoice[0] != ps->nchoice[1])
		return perr(ps, "question %s: %zu choice.en but %zu choice.zh", q->id, ps->nchoice[0],
		            ps->nchoice[1]);
	if (ps->nkey[0] != ps->nkey[1])
		return perr(ps, "question %s: %zu key.en but %zu key.zh", q->id, ps->nkey[0], ps->nkey[1]);
	if (ps->nwrong[0] != ps->nwrong[1])
		return perr(ps, "question %s: %zu wrong.en but %zu wrong.zh", q->id, ps->nwrong[0],
		            ps->nwrong[1]);
	q->nchoices = ps->nchoice[0];
	q->nkeys = ps->nkey[0];
	q->nwrong = ps->nwrong[0];
	if (!ps->show_set)
		return perr(ps, "question %s: no show (the lesson step that demonstrates it)", q->id);
	switch (q->kind) {
	case TT_QK_SINGLE:
	case TT_QK_MULTIPLE:
	case TT_QK_ORDER:
		if (q->nchoices < 2)
			return perr(ps, "question %s: a %s question needs at least two choices", q->id,
			            kind_words[q->kind]);
		break;
	case TT_QK_OPEN:
		if (q->nkeys == 0)
			return perr(ps, "question %s: an open question needs key points (key.en/key.zh)",
			            q->id);
		if (ps->answer[0] != '\0') {
			ps->line = ps->answer_line;
			return perr(ps, "question %s: an open question has key points, not an answer",
			            q->id);
		}
		break;
	default:
		break;
	}
	if (q->kind != TT_QK_OPEN) {
		if (ps->answer[0] == '\0')
			return perr(ps, "question %s: no answer", q->id);
		ps->line = ps->answer_line;
		if (normalize(q, ps->answer, norm, sizeof norm, &mask, &num, order, &state, e,
		              sizeof e) == -1)
			return perr(ps, "answer: %s", e);
		q->answer_mask = mask;
		q->answer_num = num;
		q->state = state;
		if (q->kind == TT_QK_ORDER)
			memcpy(q->order, order, sizeof order);
	}
	/* Wrong-answer matches in normal form; a [..] on wrong.zh must say
	 * the same as the one on wrong.en. */
	for (size_t i = 0; i < q->nwrong; i++) {
		char *m = q->wrong[i].match, zn[64];

		if (ps->zhmatch[i][0] != '\0') {
			if (m[0] == '\0' ||
			    (q->kind != TT_QK_OPEN &&
			     (normalize(q, ps->zhmatch[i], zn, sizeof zn, &mask, &num, order, &state, e,
			                sizeof e) == -1 ||
			      normalize(q, m, norm, sizeof norm, &mask, &num, order, &state, e,
			                sizeof e) == -1 ||
			      strcmp(zn, norm) != 0)))
				return perr(ps, "question %s: wrong.zh [%s] differs from wrong.en's [%s]",
				            q->id, ps->zhmatch[i], m);
		}
		if (m[0] == '\0')
			continue;
		if (q->kind == TT_QK_OPEN)
			return perr(ps, "question %s: wrong [%s]: open questions take general wrong "
			            "answers only", q->id, m);
		if (normalize(q, m, norm, sizeof norm, &mask, &num, order, &state, e, sizeof e) == -1)
			return perr(ps, "question %s: wrong [%s]: %s", q->id, m, e);
		if (strlen(norm) >= sizeof q->wrong[i].match)
			return perr(ps, "question %s: wrong [%s]: too long", q->id, m);
		memcpy(m, norm, strlen(norm) + 1);
	}
	ps->q = NULL;
	return 0;
}

static int
start_question(struct parser *ps, const char *id)
{
	struct tt_question *q;
	unsigned line = ps->line;

	if (finish_question(ps) == -1)
		return -1;
	ps->line = line;
	if (!valid_id(id))
		return perr(ps, "question id '%s': use 1-31 of a-z 0-9 - _", id);
	if (tt_quiz_find(ps->qz, id) != NULL) {
		const struct tt_question *o = tt_quiz_find(ps->qz, id);

		return perr(ps, "question %s already defined at %s:%u", id, o->file, o->line);
	}
	if (ps->qz->n == ps->qz->cap) {
		size_t cap = ps->qz->cap ? ps->qz->cap * 2 : 64;
		struct tt_question *nq = realloc(ps->qz->q, cap * sizeof *nq);

		if (nq == NULL)
			return perr(ps, "out of memory");
		ps->qz->q = nq;
		ps->qz->cap = cap;
	}
	q = &ps->qz->q[ps->qz->n++];
	memset(q, 0, sizeof *q);
	snprintf(q->id, sizeof q->id, "%s", id);
	q->file = strdup(ps->fname);
	q->line = ps->line;
	q->state = -1;
	ps->q = q;
	memset(ps->nchoice, 0, sizeof ps->nchoice);
	memset(ps->nkey, 0, sizeof ps->nkey);
	memset(ps->nwrong, 0, sizeof ps->nwrong);
	memset(ps->zhmatch, 0, sizeof ps->zhmatch);
	ps->answer[0] = '\0';
	ps->kind_set = ps->show_set = 0;
	return q->file == NULL ? perr(ps, "out of memory") : 0;
}

/* Splits "key.en" into key and language; -1 when no known suffix. */
static int
split_lang(const char *word, char *key, size_t keylen)
{
	size_t n = strlen(word);
	int lang = -1;

	if (n > 3 && strcmp(word + n - 3, ".en") == 0)
		lang = TT_EN;
	else if (n > 3 && strcmp(word + n - 3, ".zh") == 0)
		lang = TT_ZH;
	if (lang < 0 || n - 3 >= keylen)
		return -1;
	memcpy(key, word, n - 3);
	key[n - 3] = '\0';
	return lang;
}

static int
parse_line(struct parser *ps, char *line)
{
	char word[40], key[40];
	char *rest;
	size_t wl;
	int lang;
	struct tt_question *q = ps->q;

	/* Trim the end; skip blank lines and comments. */
	wl = strlen(line);
	while (wl > 0 && isspace((unsigned char)line[wl - 1]))
		line[--wl] = '\0';
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '\0' || *line == '#')
		return 0;
	wl = strcspn(line, " \t");
	if (wl >= sizeof word)
		return perr(ps, "unknown keyword '%.*s'", 40, line);
	memcpy(word, line, wl);
	word[wl] = '\0';
	rest = line + wl;
	while (*rest == ' ' || *rest == '\t')
		rest++;

	if (strcmp(word, "question") == 0)
		return start_question(ps, rest);
	lang = split_lang(word, key, sizeof key);
	if (lang >= 0 && strcmp(key, "topic-name") == 0) {
		char id[32];
		size_t il = strcspn(rest, " \t");
		struct topic *t;

		if (il == 0 || il >= sizeof id)
			return perr(ps, "topic-name: expected TOPIC NAME");
		memcpy(id, rest, il);
		id[il] = '\0';
		if (!valid_id(id))
			return perr(ps, "topic '%s': use 1-31 of a-z 0-9 - _", id);
		rest += il;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (*rest == '\0')
			return perr(ps, "topic-name: expected TOPIC NAME");
		if ((t = topic_add(ps->qz, id)) == NULL)
			return perr(ps, "out of memory");
		free(t->name[lang]);
		t->name[lang] = strdup(rest);
		return t->name[lang] == NULL ? perr(ps, "out of memory") : 0;
	}
	if (q == NULL)
		return perr(ps, "'%s' outside a question (start one with: question ID)", word);

	if (strcmp(word, "topic") == 0) {
		if (!valid_id(rest))
			return perr(ps, "topic '%s': use 1-31 of a-z 0-9 - _", rest);
		if (strcmp(rest, TT_PRACTICE_TOPIC) == 0 || strcmp(rest, "all") == 0)
			return perr(ps, "topic '%s' is reserved", rest);
		snprintf(q->topic, sizeof q->topic, "%s", rest);
		return topic_add(ps->qz, rest) == NULL ? perr(ps, "out of memory") : 0;
	}
	if (strcmp(word, "kind") == 0) {
		for (int k = 0; k < TT_QK_NKINDS; k++)
			if (strcmp(rest, kind_words[k]) == 0) {
				q->kind = (enum tt_quiz_kind)k;
				ps->kind_set = 1;
				return 0;
			}
		return perr(ps, "unknown kind '%s' (single, multiple, number, order, state, open)",
		            rest);
	}
	if (strcmp(word, "answer") == 0) {
		if (*rest == '\0')
			return perr(ps, "answer: nothing given");
		if (ps->answer[0] != '\0')
			return perr(ps, "question %s: a second answer", q->id);
		snprintf(ps->answer, sizeof ps->answer, "%s", rest);
		ps->answer_line = ps->line;
		return 0;
	}
	if (strcmp(word, "show") == 0) {
		char name[32];
		unsigned step;
		int used = 0;

		if (sscanf(rest, "%31s %u %n", name, &step, &used) != 2 || rest[used] != '\0' ||
		    step == 0 || !valid_id(name))
			return perr(ps, "show: expected LESSON STEP (a lesson name and a step from 1)");
		snprintf(q->show_lesson, sizeof q->show_lesson, "%s", name);
		q->show_step = step;
		ps->show_set = 1;
		return 0;
	}
	if (lang < 0)
		return perr(ps, "unknown keyword '%s'", word);

	if (strcmp(key, "title") == 0) {
		if (q->title.s[lang] != NULL)
			return perr(ps, "question %s: a second %s", q->id, word);
		q->title.s[lang] = strdup(rest);
		return q->title.s[lang] == NULL ? perr(ps, "out of memory") : 0;
	}
	if (strcmp(key, "prompt") == 0)
		return text_append(&q->prompt.s[lang], rest) == -1 ? perr(ps, "out of memory") : 0;
	if (strcmp(key, "explain") == 0)
		return text_append(&q->explain.s[lang], rest) == -1 ? perr(ps, "out of memory") : 0;
	if (strcmp(key, "choice") == 0 || strcmp(key, "key") == 0) {
		int choice = key[0] == 'c';
		size_t *n = choice ? &ps->nchoice[lang] : &ps->nkey[lang];
		size_t max = choice ? TT_QUIZ_MAXCHOICES : TT_QUIZ_MAXITEMS;
		struct tt_qtext *t = choice ? q->choice : q->key;

		if (*rest == '\0')
			return perr(ps, "%s: empty", word);
		if (*n >= max)
			return perr(ps, "question %s: more than %zu %s lines", q->id, max, word);
		t[*n].s[lang] = strdup(rest);
		(*n)++;
		return t[*n - 1].s[lang] == NULL ? perr(ps, "out of memory") : 0;
	}
	if (strcmp(key, "wrong") == 0) {
		size_t i = ps->nwrong[lang];
		char match[32] = "";
		struct tt_qwrong *w = &q->wrong[i];

		if (i >= TT_QUIZ_MAXITEMS)
			return perr(ps, "question %s: more than %d %s lines", q->id, TT_QUIZ_MAXITEMS,
			            word);
		if (*rest == '[') {
			size_t ml = strcspn(rest + 1, "]");

			if (rest[1 + ml] != ']' || ml == 0 || ml >= sizeof match)
				return perr(ps, "%s: expected [ANSWER] TEXT", word);
			memcpy(match, rest + 1, ml);
			match[ml] = '\0';
			rest += ml + 2;
			while (*rest == ' ' || *rest == '\t')
				rest++;
		}
		if (*rest == '\0')
			return perr(ps, "%s: empty", word);
		if (lang == TT_EN)
			memcpy(w->match, match, sizeof match);
		else
			memcpy(ps->zhmatch[i], match, sizeof match);
		w->text.s[lang] = strdup(rest);
		ps->nwrong[lang]++;
		return w->text.s[lang] == NULL ? perr(ps, "out of memory") : 0;
	}
	return perr(ps, "unknown keyword '%s'", word);
}

int
tt_quiz_parse(struct tt_quiz *qz, const char *buf, size_t len, const char *fname, char *err,
              size_t errlen)
{
	struct parser ps;
	size_t old_n = qz->n, old_topics = qz->ntopic, at = 0;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	memset(&ps, 0, sizeof ps);
	ps.qz = qz;
	ps.fname = fname;
	ps.err = err;
	ps.errlen = errlen;
	while (at < len && rc == 0) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - (buf + at)) : len - at;

		ps.line++;
		if (ll + 1 > cap) {
			char *nb = realloc(line, ll + 1);

			if (nb == NULL) {
				rc = perr(&ps, "out of memory");
				break;
			}
			line = nb;
			cap = ll + 1;
		}
		memcpy(line, buf + at, ll);
		line[ll] = '\0';
		at += ll + (nl != NULL);
		if (memchr(line, '\0', ll) != NULL) {
			rc = perr(&ps, "NUL byte in a text file");
			break;
		}
		rc = parse_line(&ps, line);
	}
	if (rc == 0)
		rc = finish_question(&ps);
	free(line);
	if (rc != 0) {
		/* Leave the bank as it was. */
		while (qz->n > old_n)
			question_clear(&qz->q[--qz->n]);
		while (qz->ntopic > old_topics) {
			qz->ntopic--;
			for (int l = 0; l < TT_NLANG; l++)
				free(qz->topic[qz->ntopic].name[l]);
		}
		return -1;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
tt_quiz_load_dir(struct tt_quiz *qz, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".quiz") != 0 || de->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nn = realloc(names, nc * sizeof *nn);

			if (nn == NULL) {
				rc = -1;
				snprintf(err, errlen, "%s: out of memory", dir);
				break;
			}
			names = nn;
			cap = nc;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = -1;
			snprintf(err, errlen, "%s: out of memory", dir);
			break;
		}
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[4096];
		size_t len;
		int missing;
		char *buf;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		buf = tt_store_read(path, &len, &missing, err, errlen);
		if (buf == NULL) {
			rc = -1;
			break;
		}
		rc = tt_quiz_parse(qz, buf, len, path, err, errlen);
		free(buf);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---- progress ----
 * Every answer is applied to the boxes in memory and also kept in a list of
 * answers not yet saved. A save takes the file's lock, reads what is there
 * now (another sitting may have saved meanwhile), replays the unsaved
 * answers onto it, writes the result and adopts it; so two sittings at once
 * keep every answer. A damaged line costs only itself. */

struct prec {
	char id[48];
	unsigned line;           /* while parsing: where it was read */
	struct tt_qrecord r;
};

struct panswer {             /* an answer not saved yet */
	char id[48];
	unsigned session;
	int right;
};

struct tt_progress {
	unsigned session;
	struct prec *rec;
	size_t n, cap;
	struct panswer *pend;
	size_t npend, cappend;
};

#define PROGRESS_MAGIC "tcptutor-quiz-progress 1"
#define PROGRESS_FAMILY "tcptutor-quiz-progress "

struct tt_progress *
tt_progress_new(void)
{
	return calloc(1, sizeof(struct tt_progress));
}

void
tt_progress_free(struct tt_progress *p)
{
	if (p == NULL)
		return;
	free(p->rec);
	free(p->pend);
	free(p);
}

unsigned
tt_progress_session(const struct tt_progress *p)
{
	return p->session;
}

void
tt_progress_begin_session(struct tt_progress *p)
{
	p->session++;
}

size_t
tt_progress_count(const struct tt_progress *p)
{
	return p->n;
}

static struct prec *
prec_find(const struct tt_progress *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->rec[i].id, id) == 0)
			return &p->rec[i];
	return NULL;
}

static struct prec *
prec_add(struct tt_progress *p, const char *id)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct prec *nr = realloc(p->rec, cap * sizeof *nr);

		if (nr == NULL)
			return NULL;
		p->rec = nr;
		p->cap = cap;
	}
	memset(&p->rec[p->n], 0, sizeof p->rec[p->n]);
	snprintf(p->rec[p->n].id, sizeof p->rec[p->n].id, "%s", id);
	p->rec[p->n].r.box = 1;
	return &p->rec[p->n++];
}

struct tt_qrecord
tt_progress_get(const struct tt_progress *p, const char *id)
{
	struct prec *r = prec_find(p, id);
	struct tt_qrecord none = { 1, 0, 0, 0 };

	return r != NULL ? r->r : none;
}

static void
apply_answer(struct tt_qrecord *r, int right, unsigned session)
{
	r->asked++;
	if (right) {
		r->right++;
		if (r->box < TT_QUIZ_BOXES)
			r->box++;
	} else {
		r->box = 1;
	}
	r->last_session = session;
}

int
tt_progress_record(struct tt_progress *p, const char *id, int right)
{
	struct prec *r = prec_find(p, id);
	struct panswer *a;

	if (p->npend == p->cappend) {
		size_t cap = p->cappend ? p->cappend * 2 : 16;
		struct panswer *np = realloc(p->pend, cap * sizeof *np);

		if (np == NULL)
			return -1;
		p->pend = np;
		p->cappend = cap;
	}
	if (r == NULL && (r = prec_add(p, id)) == NULL)
		return -1;
	apply_answer(&r->r, right, p->session);
	a = &p->pend[p->npend++];
	snprintf(a->id, sizeof a->id, "%s", id);
	a->session = p->session;
	a->right = right != 0;
	return 0;
}

int
tt_progress_due(const struct tt_qrecord *r, unsigned session)
{
	if (r->last_session == 0)
		return 1;
	return session - r->last_session >= (1u << (r->box - 1));
}

struct pparse {
	struct tt_progress *p;
	unsigned bad, first_line, first_text;  /* first_text: the first line not blank */
	char first[96];
	int have_magic, have_session, have_end;
};

static void
damaged(struct pparse *ps, unsigned line, const char *why)
{
	if (ps->bad++ == 0) {
		ps->first_line = line;
		snprintf(ps->first, sizeof ps->first, "%s", why);
	}
}

/* One line (CR and LF gone). Returns -1 when the file is not ours to read:
 * another version of the format. */
static int
parse_progress_line(struct pparse *ps, const char *l, unsigned line)
{
	char id[64];
	unsigned a, b, c, d;
	int used = 0;
	struct prec *r;

	if (l[0] == '#' || l[0] == '\0')
		return 0;
	if (ps->first_text == 0)
		ps->first_text = line;
	if (strcmp(l, PROGRESS_MAGIC) == 0 && !ps->have_magic) {
		ps->have_magic = 1;
	} else if (strncmp(l, PROGRESS_FAMILY, strlen(PROGRESS_FAMILY)) == 0 && !ps->have_magic &&
	           ps->p->n == 0) {
		return -1;
	} else if (sscanf(l, "session %u %n", &a, &used) == 1 && l[used] == '\0') {
		if (ps->have_session)
			damaged(ps, line, "a second session line");
		else
			ps->p->session = a;
		ps->have_session = 1;
	} else if (sscanf(l, "q %47s %u %u %u %u %n", id, &a, &b, &c, &d, &used) == 5 &&
	           l[used] == '\0') {
		if (a < 1 || a > TT_QUIZ_BOXES || d > c) {
			damaged(ps, line, "impossible record");
		} else if (prec_find(ps->p, id) != NULL) {
			damaged(ps, line, "recorded twice");
		} else if ((r = prec_add(ps->p, id)) == NULL) {
			return -2;
		} else {
			r->line = line;
			r->r.box = a;
			r->r.last_session = b;
			r->r.asked = c;
			r->r.right = d;
		}
	} else if (strcmp(l, "end") == 0) {
		ps->have_end = 1;
	} else {
		damaged(ps, line, "not a progress line");
	}
	return 0;
}

/* After the last line: records from a session still to come are damaged
 * (the session line, if it is the damaged one, is rebuilt from them). */
static void
parse_progress_end(struct pparse *ps, unsigned lines)
{
	struct tt_progress *p = ps->p;
	size_t k = 0;

	if (!ps->have_session) {
		for (size_t i = 0; i < p->n; i++)
			if (p->rec[i].r.last_session > p->session)
				p->session = p->rec[i].r.last_session;
		if (p->n > 0)
			damaged(ps, lines, "no session line");
	}
	for (size_t i = 0; i < p->n; i++) {
		if (p->rec[i].r.last_session > p->session)
			damaged(ps, p->rec[i].line, "impossible record");
		else
			p->rec[k++] = p->rec[i];
	}
	p->n = k;
	if (!ps->have_magic && ps->bad == 0)
		damaged(ps, 1, "not a tcptutor quiz progress file");
	if (!ps->have_end)
		damaged(ps, lines, "no end line (the file was cut short)");
}

int
tt_progress_parse(struct tt_progress *p, const char *buf, size_t len, char *err, size_t errlen)
{
	struct pparse ps;
	size_t at = 0;
	unsigned line = 0;

	memset(&ps, 0, sizeof ps);
	ps.p = p;
	p->n = 0;
	p->npend = 0;
	p->session = 0;
	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - (buf + at)) : len - at;
		char l[256];
		int rc = 0;

		line++;
		memcpy(l, buf + at, ll < sizeof l ? ll : 0);
		at += ll + (nl != NULL);
		if (ll > 0 && ll < sizeof l && l[ll - 1] == '\r')
			ll--;
		if (ll >= sizeof l || memchr(l, '\0', ll) != NULL) {
			damaged(&ps, line, "not a progress line");
			continue;
		}
		l[ll] = '\0';
		if ((rc = parse_progress_line(&ps, l, line)) == -2) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (rc == -1) {
			snprintf(err, errlen, "line %u: a progress file of another version", line);
			p->n = 0;
			return -1;
		}
	}
	if (!ps.have_magic && p->n == 0 && !ps.have_session) {
		if (ps.first_text == 0)
			snprintf(err, errlen, "empty");
		else
			snprintf(err, errlen, "line %u: not a tcptutor quiz progress file", ps.first_text);
		return -1;
	}
	parse_progress_end(&ps, line);
	if (ps.bad == 1)
		snprintf(err, errlen, "line %u: %s", ps.first_line, ps.first);
	else if (ps.bad > 1)
		snprintf(err, errlen, "line %u: %s (and %u more damaged line%s)", ps.first_line,
		         ps.first, ps.bad - 1, ps.bad == 2 ? "" : "s");
	return (int)ps.bad;
}

char *
tt_progress_format(const struct tt_progress *p, size_t *len)
{
	size_t cap = 160 + p->n * 96, at = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	at += (size_t)snprintf(buf + at, cap - at,
	                       "# tcptutor quiz progress: Leitner box, last session, asked, right\n"
	                       PROGRESS_MAGIC "\nsession %u\n", p->session);
	for (size_t i = 0; i < p->n; i++)
		at += (size_t)snprintf(buf + at, cap - at, "q %s %u %u %u %u\n", p->rec[i].id,
		                       p->rec[i].r.box, p->rec[i].r.last_session, p->rec[i].r.asked,
		                       p->rec[i].r.right);
	at += (size_t)snprintf(buf + at, cap - at, "end\n");
	*len = at;
	return buf;
}

/* What is in the file now, plus p's unsaved answers; records the file does
 * not have come from p as they are (they already hold p's answers). */
static int
merge_into(struct tt_progress *d, const struct tt_progress *p)
{
	size_t ondisk = d->n;

	if (p->session > d->session)
		d->session = p->session;
	for (size_t i = 0; i < p->npend; i++) {
		struct prec *r = prec_find(d, p->pend[i].id);

		if (r != NULL && (size_t)(r - d->rec) < ondisk)
			apply_answer(&r->r, p->pend[i].right, p->pend[i].session);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct prec *r;

		if (prec_find(d, p->rec[i].id) != NULL)
			continue;
		if ((r = prec_add(d, p->rec[i].id)) == NULL)
			return -1;
		r->r = p->rec[i].r;
	}
	return 0;
}

/* Reads path into d under the lock: 0 (a missing file is empty progress). */
static int
reread(struct tt_progress *d, const char *path, char *err, size_t errlen)
{
	size_t len;
	int missing;
	char *buf = tt_store_read(path, &len, &missing, err, errlen);
	char why[160];

	if (buf == NULL)
		return missing ? 0 : -1;
	if (tt_progress_parse(d, buf, len, why, sizeof why) == -1) {
		snprintf(err, errlen, "%s: %s; left as it is", path, why);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

int
tt_progress_save(struct tt_progress *p, const char *path, char *err, size_t errlen)
{
	struct tt_progress *d = tt_progress_new();
	size_t len;
	char *buf = NULL;
	int lock, rc = -1;

	if (d == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if ((lock = tt_store_lock(path, err, errlen)) == -1) {
		tt_progress_free(d);
		return -1;
	}
	if (reread(d, path, err, errlen) == 0) {
		if (merge_into(d, p) == -1 || (buf = tt_progress_format(d, &len)) == NULL)
			snprintf(err, errlen, "%s: out of memory", path);
		else
			rc = tt_store_write(path, buf, len, err, errlen);
	}
	tt_store_unlock(lock);
	free(buf);
	if (rc == 0) {          /* p becomes what the file holds now */
		struct prec *old = p->rec;

		p->rec = d->rec;
		p->n = d->n;
		p->cap = d->cap;
		p->session = d->session;
		p->npend = 0;
		d->rec = old;
	}
	tt_progress_free(d);
	return rc;
}

struct tt_progress *
tt_progress_load(const char *path, char *warn, size_t warnlen, char *moved_to, size_t movedlen,
                 char *err, size_t errlen)
{
	struct tt_progress *p = tt_progress_new();
	size_t len;
	int missing, bad;
	char *buf, why[200], moved[4096];

	warn[0] = '\0';
	moved_to[0] = '\0';
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	buf = tt_store_read(path, &len, &missing, err, errlen);
	if (buf == NULL) {
		if (missing)
			return p;
		tt_progress_free(p);
		return NULL;
	}
	bad = tt_progress_parse(p, buf, len, why, sizeof why);
	free(buf);
	if (bad > 0) {          /* kept what could be read; the next save is clean */
		snprintf(warn, warnlen, "%s: %s", path, why);
	} else if (bad == -1) {
		p->n = 0;
		p->session = 0;
		if (tt_store_quarantine(path, moved, sizeof moved, err, errlen) == -1) {
			tt_progress_free(p);
			return NULL;
		}
		snprintf(warn, warnlen, "%s: %s", path, why);
		snprintf(moved_to, movedlen, "%s", moved);
	}
	return p;
}

/* ---- a sitting ---- */

struct tscore {
	char topic[32];
	unsigned asked, right;
};

struct tt_quiz_session {
	const struct tt_quiz *qz;
	struct tt_progress *p;
	char *path;
	unsigned long seed;
	size_t *plan, nplan, at;
	unsigned npractice, practice_done;
	int endless;
	struct tt_question **gen;
	size_t ngen;
	const struct tt_question *cur;
	struct tscore *score;
	size_t nscore;
	int answered_cur;
};

/* splitmix64: a small, good seeded generator. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

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
tt_quiz_session_new(const struct tt_quiz *qz, struct tt_progress *p, const char *progress_path,
                    const char *topic, unsigned long seed, unsigned npractice, char *err,
                    size_t errlen)
{
	struct tt_quiz_session *s = calloc(1, sizeof *s);
	struct rank *rk = NULL;
	size_t nr = 0, ndue = 0;
	int all = topic == NULL || strcmp(topic, "all") == 0;
	int practice = topic != NULL && strcmp(topic, TT_PRACTICE_TOPIC) == 0;

	if (s == NULL)
		goto oom;
	s->qz = qz;
	s->p = p;
	s->seed = seed;
	if (progress_path != NULL && (s->path = strdup(progress_path)) == NULL)
		goto oom;
	tt_progress_begin_session(p);
	if (practice) {
		s->endless = npractice == 0;
		s->npractice = npractice;
		return s;
	}
	s->npractice = all ? npractice : 0;
	if (qz->n > 0 && (rk = calloc(qz->n, sizeof *rk)) == NULL)
		goto oom;
	for (size_t i = 0; i < qz->n; i++) {
		struct tt_qrecord r;

		if (!all && strcmp(qz->q[i].topic, topic) != 0)
			continue;
		r = tt_progress_get(p, qz->q[i].id);
		rk[nr].idx = i;
		rk[nr].box = r.box;
		rk[nr].last = tt_progress_due(&r, p->session) ? 0 : 1;
		rk[nr].r = mix(seed ^ id_hash(qz->q[i].id));
		ndue += rk[nr].last == 0;
		nr++;
	}
	/* Due questions first, lowest box first, ties in the seed's order; when
	 * nothing is due, the sitting asks everything, soonest-due first. */
	for (size_t i = 0; i < nr; i++) {
		if (ndue == 0) {
			struct tt_qrecord r = tt_progress_get(p, qz->q[rk[i].idx].id);

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
		tt_question_free(s->gen[i]);
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

const struct tt_question *
tt_quiz_session_next(struct tt_quiz_session *s, char *err, size_t errlen)
{
	struct tt_question *q, **ng;

	err[0] = '\0';
	s->cur = NULL;
	s->answered_cur = 0;
	if (s->at < s->nplan) {
		s->cur = &s->qz->q[s->plan[s->at++]];
		return s->cur;
	}
	if (!s->endless && s->practice_done >= s->npractice)
		return NULL;
	/* each seed's own sequence (seed + k would make seed + 1's sitting the
	 * same one shifted by a question) */
	q = tt_practice_new((size_t)-1,
	                    (unsigned long)mix(mix(s->seed ^ 0x51ed) + s->practice_done), err,
	                    errlen);
	if (q == NULL)
		return NULL;
	ng = realloc(s->gen, (s->ngen + 1) * sizeof *ng);
	if (ng == NULL) {
		tt_question_free(q);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->gen = ng;
	s->gen[s->ngen++] = q;
	s->practice_done++;
	s->cur = q;
	return q;
}

static struct tscore *
score_for(struct tt_quiz_session *s, const char *topic)
{
	struct tscore *ns;

	for (size_t i = 0; i < s->nscore; i++)
		if (strcmp(s->score[i].topic, topic) == 0)
			return &s->score[i];
	ns = realloc(s->score, (s->nscore + 1) * sizeof *ns);
	if (ns == NULL)
		return NULL;
	s->score = ns;
	memset(&ns[s->nscore], 0, sizeof ns[0]);
	snprintf(ns[s->nscore].topic, sizeof ns[0].topic, "%s", topic);
	return &ns[s->nscore++];
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
	    tt_progress_record(s->p, id, right) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sc->asked++;
	sc->right += right != 0;
	if (s->path == NULL)
		return 0;
	return tt_progress_save(s->p, s->path, err, errlen);
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
