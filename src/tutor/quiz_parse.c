/* tutor/quiz_parse.c: the quiz file parser (doc/quiz-format.md). It takes
 * a buffer, so a fuzzer can call it; errors come back in err as
 * "FILE:LINE: msg", and a file that fails leaves the bank as it was.
 * Library code: never prints. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "tutor/quiz.h"
#include "tutor/quiz_bank.h"
#include "tutor/store.h"

struct parser {
	struct tt_quiz *qz;
	const char *fname;
	unsigned line;
	char *err;
	size_t errlen;
	struct tt_quiz_question *q;   /* the question being read, or NULL */
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


/* Checks a finished question; -1 with err. */
static int
finish_question(struct parser *ps)
{
	struct tt_quiz_question *q = ps->q;
	unsigned mask = 0;
	uint32_t num = 0;
	int state = -1, order[TT_QUIZ_MAXCHOICES];
	char norm[64], e[160];
	static const char *const lang[] = { "en", "zh" };

	if (q == NULL)
		return 0;
	ps->line = q->line;
	if (q->topic[0] == '\0')
		return perr(ps, _("question %s: no topic"), q->id);
	if (!ps->kind_set)
		return perr(ps, _("question %s: no kind"), q->id);
	for (int l = 0; l < TT_NLANG; l++) {
		if (q->title.s[l] == NULL)
			return perr(ps, _("question %s: no title.%s"), q->id, lang[l]);
		if (q->prompt.s[l] == NULL)
			return perr(ps, _("question %s: no prompt.%s"), q->id, lang[l]);
		if (q->explain.s[l] == NULL)
			return perr(ps, _("question %s: no explain.%s"), q->id, lang[l]);
	}
	if (ps->nchoice[0] != ps->nchoice[1])
		return perr(ps,
		            _("question %s: %zu choice.en but %zu choice.zh"), q->id, ps->nchoice[0],
		            ps->nchoice[1]);
	if (ps->nkey[0] != ps->nkey[1])
		return perr(ps,
		            _("question %s: %zu key.en but %zu key.zh"),
		            q->id, ps->nkey[0], ps->nkey[1]);
	if (ps->nwrong[0] != ps->nwrong[1])
		return perr(ps, _("question %s: %zu wrong.en but %zu wrong.zh"), q->id, ps->nwrong[0],
		            ps->nwrong[1]);
	q->nchoices = ps->nchoice[0];
	q->nkeys = ps->nkey[0];
	q->nwrong = ps->nwrong[0];
	if (!ps->show_set)
		return perr(ps,
		            _("question %s: no show (the lesson step that demonstrates it)"), q->id);
	switch (q->kind) {
	case TT_QUIZ_SINGLE:
	case TT_QUIZ_MULTIPLE:
	case TT_QUIZ_ORDER:
		if (q->nchoices < 2)
			return perr(ps,
			            _("question %s: a %s question needs at least two choices"), q->id,
			            tt_quiz_kind_word(q->kind));
		break;
	case TT_QUIZ_OPEN:
		if (q->nkeys == 0)
			return perr(ps,
			            _("question %s: an open question needs key points (key.en/key.zh)"),
			            q->id);
		if (ps->answer[0] != '\0') {
			ps->line = ps->answer_line;
			return perr(ps,
			            _("question %s: an open question has key points, not an answer"),
			            q->id);
		}
		break;
	default:
		break;
	}
	if (q->kind != TT_QUIZ_OPEN) {
		if (ps->answer[0] == '\0')
			return perr(ps, _("question %s: no answer"), q->id);
		ps->line = ps->answer_line;
		if (tt_quiz_normalize(q, ps->answer, norm, sizeof norm, &mask, &num, order, &state, e,
		              sizeof e) == -1)
			return perr(ps, _("answer: %s"), _(e));
		q->answer_mask = mask;
		q->answer_num = num;
		q->state = state;
		if (q->kind == TT_QUIZ_ORDER)
			memcpy(q->order, order, sizeof order);
	}
	/* Wrong-answer matches in normal form; a [..] on wrong.zh must say
	 * the same as the one on wrong.en. */
	for (size_t i = 0; i < q->nwrong; i++) {
		char *m = q->wrong[i].match, zn[64];

		if (ps->zhmatch[i][0] != '\0') {
			if (m[0] == '\0' ||
			    (q->kind != TT_QUIZ_OPEN &&
			     (tt_quiz_normalize(q, ps->zhmatch[i], zn, sizeof zn, &mask, &num, order, &state, e,
			                sizeof e) == -1 ||
			      tt_quiz_normalize(q, m, norm, sizeof norm, &mask, &num, order, &state, e,
			                sizeof e) == -1 ||
			      strcmp(zn, norm) != 0)))
				return perr(ps,
				            _("question %s: wrong.zh [%s] differs from wrong.en's [%s]"),
				            q->id, ps->zhmatch[i], m);
		}
		if (m[0] == '\0')
			continue;
		if (q->kind == TT_QUIZ_OPEN)
			return perr(ps, _("question %s: wrong [%s]: open questions take general wrong "
			            "answers only"), q->id, m);
		if (tt_quiz_normalize(q, m, norm, sizeof norm, &mask, &num, order, &state, e, sizeof e) == -1)
			return perr(ps, _("question %s: wrong [%s]: %s"), q->id, m, _(e));
		if (strlen(norm) >= sizeof q->wrong[i].match)
			return perr(ps, _("question %s: wrong [%s]: too long"), q->id, m);
		memcpy(m, norm, strlen(norm) + 1);
	}
	ps->q = NULL;
	return 0;
}

static int
start_question(struct parser *ps, const char *id)
{
	struct tt_quiz_question *q;
	unsigned line = ps->line;

	if (finish_question(ps) == -1)
		return -1;
	ps->line = line;
	if (!valid_id(id))
		return perr(ps, _("question id '%s': use 1-31 of a-z 0-9 - _"), id);
	if (tt_quiz_find(ps->qz, id) != NULL) {
		const struct tt_quiz_question *o = tt_quiz_find(ps->qz, id);

		return perr(ps, _("question %s already defined at %s:%u"), id, o->file, o->line);
	}
	if (TT_GROW(ps->qz->q, ps->qz->n, ps->qz->cap, 64) < 0)
		return perr(ps, _("out of memory"));
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
	return q->file == NULL ? perr(ps, _("out of memory")) : 0;
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

/* topic-name.LANG TOPIC NAME */
static int
parse_topic_name(struct parser *ps, int lang, const char *rest)
{
	char id[32];
	size_t il = strcspn(rest, " \t");
	struct tt_quiz_topic *t;

	if (il == 0 || il >= sizeof id)
		return perr(ps, _("topic-name: expected TOPIC NAME"));
	memcpy(id, rest, il);
	id[il] = '\0';
	if (!valid_id(id))
		return perr(ps, _("topic '%s': use 1-31 of a-z 0-9 - _"), id);
	rest += il;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest == '\0')
		return perr(ps, _("topic-name: expected TOPIC NAME"));
	if ((t = tt_quiz_topic_add(ps->qz, id)) == NULL)
		return perr(ps, _("out of memory"));
	free(t->name[lang]);
	t->name[lang] = strdup(rest);
	return t->name[lang] == NULL ? perr(ps, _("out of memory")) : 0;
}

/* The keywords with a language: title, prompt, explain, choice, key, wrong. */
static int
parse_text(struct parser *ps, struct tt_quiz_question *q, const char *word, const char *key, int lang,
           const char *rest)
{
	if (strcmp(key, "title") == 0) {
		if (q->title.s[lang] != NULL)
			return perr(ps, _("question %s: a second %s"), q->id, word);
		q->title.s[lang] = strdup(rest);
		return q->title.s[lang] == NULL ? perr(ps, _("out of memory")) : 0;
	}
	if (strcmp(key, "prompt") == 0)
		return text_append(&q->prompt.s[lang], rest) == -1 ? perr(ps, _("out of memory")) : 0;
	if (strcmp(key, "explain") == 0)
		return text_append(&q->explain.s[lang], rest) == -1 ? perr(ps, _("out of memory")) : 0;
	if (strcmp(key, "choice") == 0 || strcmp(key, "key") == 0) {
		int choice = key[0] == 'c';
		size_t *n = choice ? &ps->nchoice[lang] : &ps->nkey[lang];
		size_t max = choice ? TT_QUIZ_MAXCHOICES : TT_QUIZ_MAXITEMS;
		struct tt_quiz_text *t = choice ? q->choice : q->key;

		if (*rest == '\0')
			return perr(ps, _("%s: empty"), word);
		if (*n >= max)
			return perr(ps, _("question %s: more than %zu %s lines"), q->id, max, word);
		t[*n].s[lang] = strdup(rest);
		(*n)++;
		return t[*n - 1].s[lang] == NULL ? perr(ps, _("out of memory")) : 0;
	}
	if (strcmp(key, "wrong") == 0) {
		size_t i = ps->nwrong[lang];
		char match[32] = "";
		struct tt_quiz_wrong *w = &q->wrong[i];

		if (i >= TT_QUIZ_MAXITEMS)
			return perr(ps,
			            _("question %s: more than %d %s lines"), q->id, TT_QUIZ_MAXITEMS,
			            word);
		if (*rest == '[') {
			size_t ml = strcspn(rest + 1, "]");

			if (rest[1 + ml] != ']' || ml == 0 || ml >= sizeof match)
				return perr(ps, _("%s: expected [ANSWER] TEXT"), word);
			memcpy(match, rest + 1, ml);
			match[ml] = '\0';
			rest += ml + 2;
			while (*rest == ' ' || *rest == '\t')
				rest++;
		}
		if (*rest == '\0')
			return perr(ps, _("%s: empty"), word);
		if (lang == TT_EN)
			memcpy(w->match, match, sizeof match);
		else
			memcpy(ps->zhmatch[i], match, sizeof match);
		w->text.s[lang] = strdup(rest);
		ps->nwrong[lang]++;
		return w->text.s[lang] == NULL ? perr(ps, _("out of memory")) : 0;
	}
	return perr(ps, _("unknown keyword '%s'"), word);
}

static int
parse_line(struct parser *ps, char *line)
{
	char word[40], key[40];
	char *rest;
	size_t wl;
	int lang;
	struct tt_quiz_question *q = ps->q;

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
		return perr(ps, _("unknown keyword '%.*s'"), 40, line);
	memcpy(word, line, wl);
	word[wl] = '\0';
	rest = line + wl;
	while (*rest == ' ' || *rest == '\t')
		rest++;

	if (strcmp(word, "question") == 0)
		return start_question(ps, rest);
	lang = split_lang(word, key, sizeof key);
	if (lang >= 0 && strcmp(key, "topic-name") == 0)
		return parse_topic_name(ps, lang, rest);
	if (q == NULL)
		return perr(ps, _("'%s' outside a question (start one with: question ID)"), word);

	if (strcmp(word, "topic") == 0) {
		if (!valid_id(rest))
			return perr(ps, _("topic '%s': use 1-31 of a-z 0-9 - _"), rest);
		if (strcmp(rest, TT_PRACTICE_TOPIC) == 0 || strcmp(rest, "all") == 0)
			return perr(ps, _("topic '%s' is reserved"), rest);
		snprintf(q->topic, sizeof q->topic, "%s", rest);
		return tt_quiz_topic_add(ps->qz, rest) == NULL ? perr(ps, _("out of memory")) : 0;
	}
	if (strcmp(word, "kind") == 0) {
		for (int k = 0; k < TT_QUIZ_NKINDS; k++)
			if (strcmp(rest, tt_quiz_kind_word(k)) == 0) {
				q->kind = (enum tt_quiz_kind)k;
				ps->kind_set = 1;
				return 0;
			}
		return perr(ps, _("unknown kind '%s' (single, multiple, number, order, state, open)"),
		            rest);
	}
	if (strcmp(word, "answer") == 0) {
		if (*rest == '\0')
			return perr(ps, _("answer: nothing given"));
		if (ps->answer[0] != '\0')
			return perr(ps, _("question %s: a second answer"), q->id);
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
			return perr(ps,
			            _("show: expected LESSON STEP (a lesson name and a step from 1)"));
		snprintf(q->show_lesson, sizeof q->show_lesson, "%s", name);
		q->show_step = step;
		ps->show_set = 1;
		return 0;
	}
	if (lang < 0)
		return perr(ps, _("unknown keyword '%s'"), word);
	return parse_text(ps, q, word, key, lang, rest);
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
		if (tt_grow(&line, &cap, ll + 1, 1, 128) < 0) {
			rc = perr(&ps, _("out of memory"));
			break;
		}
		memcpy(line, buf + at, ll);
		line[ll] = '\0';
		at += ll + (nl != NULL);
		if (memchr(line, '\0', ll) != NULL) {
			rc = perr(&ps, _("NUL byte in a text file"));
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
			tt_quiz_question_clear(&qz->q[--qz->n]);
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
		if (TT_GROW(names, n, cap, 16) < 0) {
			rc = -1;
			snprintf(err, errlen, _("%s: out of memory"), dir);
			break;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = -1;
			snprintf(err, errlen, _("%s: out of memory"), dir);
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

