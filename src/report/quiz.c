/* report/quiz.c: the quiz in batch form: the bank's list, and a scripted
 * sitting's words (each question, the feedback on an answer, the score) or
 * its rows (TSV, JSON lines). Writes only to the FILE * it is given. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "report/quiz.h"
#include "report/report.h"
#include "tutor/quiz.h"

static void
list_row(FILE *f, enum tt_format fmt, const struct tt_quiz_question *q, int lang)
{
	char lesson[48];
	const char *langs = q->title.s[TT_ZH] != NULL ? "en,zh_CN" : "en";
	const char *title = tt_quiz_text_get(&q->title, lang);

	snprintf(lesson, sizeof lesson, "%s:%u", q->show_lesson, q->show_step);
	switch (fmt) {
	case TT_FMT_TSV:
		fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\n", q->id, q->topic, tt_quiz_kind_word(q->kind), lesson,
		       langs, title);
		break;
	case TT_FMT_JSON:
		fprintf(f, "{\"id\":");
		tt_json_string(f, q->id);
		fprintf(f, ",\"topic\":");
		tt_json_string(f, q->topic);
		fprintf(f, ",\"kind\":");
		tt_json_string(f, tt_quiz_kind_word(q->kind));
		fprintf(f, ",\"lesson\":");
		tt_json_string(f, lesson);
		fprintf(f, ",\"languages\":");
		tt_json_string(f, langs);
		fprintf(f, ",\"title\":");
		tt_json_string(f, title);
		fprintf(f, "}\n");
		break;
	case TT_FMT_TEXT:
		fprintf(f, "%-28s %-14s %-9s %-19s %-9s %s\n", q->id, q->topic,
		       tt_quiz_kind_word(q->kind), lesson, langs, title);
		break;
	}
}

void
tt_report_quiz_list(FILE *f, enum tt_format fmt, const struct tt_quiz *qz,
                    const char *topic, int lang)
{
	int practice = topic != NULL && strcmp(topic, TT_PRACTICE_TOPIC) == 0;
	int all = topic == NULL || strcmp(topic, "all") == 0;

	if (fmt == TT_FMT_TSV)
		fprintf(f, "id\ttopic\tkind\tlesson\tlanguages\ttitle\n");
	else if (fmt == TT_FMT_TEXT)
		/* lesson: a lesson's name (14 at most) and a step */
		fprintf(f, "%-28s %-14s %-9s %-19s %-9s %s\n", "id", "topic", "kind", "lesson", "languages",
		       "title");
	for (size_t i = 0; i < tt_quiz_count(qz) && !practice; i++) {
		const struct tt_quiz_question *q = tt_quiz_get(qz, i);

		if (all || strcmp(q->topic, topic) == 0)
			list_row(f, fmt, q, lang);
	}
	if (all || practice) {
		for (size_t t = 0; t < tt_practice_ntemplates(); t++) {
			struct tt_quiz_question q;

			tt_practice_describe(t, &q);
			list_row(f, fmt, &q, lang);
		}
	}
}

static void
print_indented(FILE *f, const char *text, const char *indent)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		fprintf(f, "%s%.*s\n", indent, (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

void
tt_report_question(FILE *f, const struct tt_quiz *qz, const struct tt_quiz_question *q, size_t num,
                   size_t planned, int lang)
{
	const char *topic = strcmp(q->topic, TT_PRACTICE_TOPIC) == 0 ? _("generated practice")
	                    : tt_quiz_topic_name(qz, q->topic, lang);

	if (planned > 0)
		fprintf(f, _("Question %zu of %zu"), num, planned);
	else
		fprintf(f, _("Question %zu"), num);
	fprintf(f, " \xc2\xb7 %s \xc2\xb7 %s  [%s]\n", topic, _(tt_quiz_kind_name(q->kind)), q->id);
	fprintf(f, "%s\n", tt_quiz_text_get(&q->title, lang));
	print_indented(f, tt_quiz_text_get(&q->prompt, lang), "  ");
	switch (q->kind) {
	case TT_QUIZ_SINGLE:
	case TT_QUIZ_MULTIPLE:
		for (size_t i = 0; i < q->nchoices; i++)
			fprintf(f, "    %c) %s\n", (char)('a' + i), tt_quiz_text_get(&q->choice[i], lang));
		fprintf(f, "%s\n", q->kind == TT_QUIZ_SINGLE ? _("Answer with one letter.")
		                                       : _("Answer with every right letter, e.g. a c."));
		break;
	case TT_QUIZ_ORDER:
		for (size_t i = 0; i < q->nchoices; i++)
			fprintf(f, "    %zu. %s\n", i + 1, tt_quiz_text_get(&q->choice[i], lang));
		fprintf(f, "%s\n", _("Answer with the item numbers in the right order, e.g. 3 1 2 4."));
		break;
	case TT_QUIZ_NUMBER:
		fprintf(f, "%s\n", _("Answer with a number."));
		break;
	case TT_QUIZ_STATE:
		fprintf(f, "%s\n", _("Answer with an RFC 9293 state name, e.g. SYN-SENT."));
		break;
	case TT_QUIZ_OPEN:
		fprintf(f, "%s\n", _("Answer in your own words on one line; then grade yourself "
		                 "against the key points with y or n."));
		break;
	case TT_QUIZ_NKINDS:
		break;
	}
}

static void
print_show(FILE *f, const struct tt_quiz_question *q)
{
	fprintf(f, _("Show me: tcptutor lesson %s (step %u)\n"), q->show_lesson, q->show_step);
	if (q->scenario != NULL) {
		fprintf(f, _("This question's own scenario (step %u shows the answer; run it with "
		         "tcptutor sandbox --batch):\n"), q->scenario_step);
		print_indented(f, q->scenario, "    ");
	}
}

void
tt_report_feedback(FILE *f, const struct tt_quiz_question *q, const char *norm, int right, int lang)
{
	const struct tt_quiz_wrong *w[TT_QUIZ_MAXITEMS];
	size_t nw;
	char ans[64];

	if (q->kind == TT_QUIZ_OPEN)
		fprintf(f, "%s\n", right ? _("Graded right.") : _("Graded wrong: study the key points."));
	else if (right)
		fprintf(f, "%s\n", _("Right."));
	else {
		tt_quiz_answer_text(q, ans, sizeof ans);
		fprintf(f, _("Wrong. The answer is %s.\n"), ans);
		if (q->kind == TT_QUIZ_SINGLE || q->kind == TT_QUIZ_MULTIPLE)
			for (size_t i = 0; i < q->nchoices; i++)
				if (q->answer_mask & (1u << i))
					fprintf(f, "    %c) %s\n", (char)('a' + i), tt_quiz_text_get(&q->choice[i], lang));
		if (q->kind == TT_QUIZ_ORDER)
			for (size_t i = 0; i < q->nchoices; i++)
				fprintf(f, "    %zu. %s\n", (size_t)q->order[i] + 1,
				       tt_quiz_text_get(&q->choice[q->order[i]], lang));
		nw = tt_quiz_wrong_for(q, norm, w, TT_QUIZ_MAXITEMS);
		for (size_t i = 0; i < nw; i++)
			fprintf(f, _("Why %s is wrong: %s\n"), w[i]->match, tt_quiz_text_get(&w[i]->text, lang));
	}
	fprintf(f, "%s\n", _("Explanation:"));
	print_indented(f, tt_quiz_text_get(&q->explain, lang), "  ");
	nw = 0;
	for (size_t i = 0; i < q->nwrong; i++)
		if (q->wrong[i].match[0] == '\0') {
			if (nw++ == 0)
				fprintf(f, "%s\n", _("Common wrong answers:"));
			fprintf(f, "  - %s\n", tt_quiz_text_get(&q->wrong[i].text, lang));
		}
	print_show(f, q);
}

void
tt_report_quiz_summary(FILE *f, const struct tt_quiz *qz, const struct tt_quiz_session *s,
                       const char *path, int lang)
{
	unsigned asked, right;

	tt_quiz_session_score(s, NULL, &asked, &right);
	fprintf(f, "\n");
	fprintf(f, _("Score: %u of %u right\n"), right, asked);
	for (size_t i = 0; i < tt_quiz_session_ntopics(s); i++) {
		const char *t = tt_quiz_session_topic(s, i);
		const char *name = strcmp(t, TT_PRACTICE_TOPIC) == 0 ? _("generated practice")
		                   : tt_quiz_topic_name(qz, t, lang);

		tt_quiz_session_score(s, t, &asked, &right);
		fprintf(f, "  %-14s %u/%u  %s\n", t, right, asked, name);
	}
	tt_quiz_session_score(s, NULL, &asked, &right);
	if (path != NULL && asked > 0)
		fprintf(f, _("Progress saved in %s\n"), path);
}

/* A TSV field: tabs and line breaks would split the row. */
static void
tsv_field(FILE *f, const char *s)
{
	for (; *s; s++)
		putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* --format tsv|json: one answered question per row, instead of the dialogue.
 * "expected" is the right answer (none for an open question). */
void
tt_report_answer_row(FILE *f, enum tt_format fmt, const struct tt_quiz_question *q,
                     size_t num, const char *answer, int right)
{
	char buf[64];
	const char *expected = q->kind == TT_QUIZ_OPEN ? NULL : tt_quiz_answer_text(q, buf, sizeof buf);

	if (fmt == TT_FMT_TSV) {
		fprintf(f, "%zu\t%s\t%s\t%s\t", num, q->id, q->topic, tt_quiz_kind_word(q->kind));
		tsv_field(f, answer);
		fprintf(f, "\t%s\t%s\n", right ? "yes" : "no", expected != NULL ? expected : "-");
		return;
	}
	fprintf(f, "{\"question\":%zu,\"id\":", num);
	tt_json_string(f, q->id);
	fprintf(f, ",\"topic\":");
	tt_json_string(f, q->topic);
	fprintf(f, ",\"kind\":");
	tt_json_string(f, tt_quiz_kind_word(q->kind));
	fprintf(f, ",\"answer\":");
	tt_json_string(f, answer);
	fprintf(f, ",\"right\":%s,\"expected\":", right ? "true" : "false");
	if (expected != NULL)
		tt_json_string(f, expected);
	else
		fputs("null", f);
	fprintf(f, "}\n");
}

void
tt_report_answer_header(FILE *f, enum tt_format fmt)
{
	if (fmt == TT_FMT_TSV)
		fputs("question\tid\ttopic\tkind\tanswer\tright\texpected\n", f);
}

void
tt_report_quiz_keys(FILE *f, const struct tt_quiz_question *q, int lang)
{
	fprintf(f, "%s\n", _("Key points of the model answer:"));
	for (size_t i = 0; i < q->nkeys; i++)
		fprintf(f, "  - %s\n", tt_quiz_text_get(&q->key[i], lang));
	fprintf(f, "%s\n", _("Did your answer cover them? (y/n)"));
}
