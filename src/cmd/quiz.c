/* cmd/quiz.c: the 'quiz' subcommand. Loads the bank from DATADIR/quiz,
 * then lists it (--list), runs a scripted sitting (--batch: answers read
 * from stdin, one per line; with --format tsv or json one row per answered
 * question instead of the dialogue) or hands the sitting to the quiz screen.
 * Progress lives in $XDG_DATA_HOME/tcptutor/quiz-progress and is saved
 * after every answer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "i18n.h"
#include "cmd/paths.h"
#include "sim/sim.h"
#include "tutor/catalog.h"
#include "tutor/lesson.h"
#include "tutor/quiz.h"
#include "ui/quizui.h"
#include "ui/ui.h"

#define PROGRESS_FILE "quiz-progress"
#define NPRACTICE 3  /* generated questions at the end of a full sitting */

/* ---- listing ---- */

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
list_row(const struct tt_cli *cli, const struct tt_question *q, int lang)
{
	char lesson[48];
	const char *langs = q->title.s[TT_ZH] != NULL ? "en,zh_CN" : "en";
	const char *title = tt_qtext_get(&q->title, lang);

	snprintf(lesson, sizeof lesson, "%s:%u", q->show_lesson, q->show_step);
	switch (cli->format) {
	case TT_FMT_TSV:
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", q->id, q->topic, tt_quiz_kind_word(q->kind), lesson,
		       langs, title);
		break;
	case TT_FMT_JSON:
		printf("{\"id\":");
		json_str(stdout, q->id);
		printf(",\"topic\":");
		json_str(stdout, q->topic);
		printf(",\"kind\":");
		json_str(stdout, tt_quiz_kind_word(q->kind));
		printf(",\"lesson\":");
		json_str(stdout, lesson);
		printf(",\"languages\":");
		json_str(stdout, langs);
		printf(",\"title\":");
		json_str(stdout, title);
		printf("}\n");
		break;
	case TT_FMT_TEXT:
		printf("%-28s %-14s %-9s %-14s %-9s %s\n", q->id, q->topic,
		       tt_quiz_kind_word(q->kind), lesson, langs, title);
		break;
	}
}

static int
list_bank(const struct tt_cli *cli, const struct tt_quiz *qz)
{
	int lang = cli->zh ? TT_ZH : TT_EN;
	int practice = cli->topic != NULL && strcmp(cli->topic, TT_PRACTICE_TOPIC) == 0;
	int all = cli->topic == NULL || strcmp(cli->topic, "all") == 0;

	if (cli->format == TT_FMT_TSV)
		printf("id\ttopic\tkind\tlesson\tlanguages\ttitle\n");
	else if (cli->format == TT_FMT_TEXT)
		printf("%-28s %-14s %-9s %-14s %-9s %s\n", "id", "topic", "kind", "lesson", "languages",
		       "title");
	for (size_t i = 0; i < tt_quiz_count(qz) && !practice; i++) {
		const struct tt_question *q = tt_quiz_get(qz, i);

		if (all || strcmp(q->topic, cli->topic) == 0)
			list_row(cli, q, lang);
	}
	if (all || practice) {
		for (size_t t = 0; t < tt_practice_ntemplates(); t++) {
			struct tt_question q;

			tt_practice_describe(t, &q);
			list_row(cli, &q, lang);
		}
	}
	return fflush(stdout) == 0 ? TT_EXIT_OK : TT_EXIT_FAIL;
}

/* ---- a batch sitting ---- */

/* Reads one line without its newline; 0 at end of input. */
static int
read_line(char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return 0;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == len - 1) {
		int c;

		while ((c = getchar()) != EOF && c != '\n')
			continue;
	}
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 1;
}

static void
print_indented(const char *text, const char *indent)
{
	const char *p = text;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		printf("%s%.*s\n", indent, (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void
print_question(const struct tt_quiz *qz, const struct tt_question *q, size_t num, size_t planned,
               int lang)
{
	const char *topic = strcmp(q->topic, TT_PRACTICE_TOPIC) == 0 ? _("generated practice")
	                    : tt_quiz_topic_name(qz, q->topic, lang);

	if (planned > 0)
		printf(_("Question %zu of %zu"), num, planned);
	else
		printf(_("Question %zu"), num);
	printf(" \xc2\xb7 %s \xc2\xb7 %s  [%s]\n", topic, _(tt_quiz_kind_name(q->kind)), q->id);
	printf("%s\n", tt_qtext_get(&q->title, lang));
	print_indented(tt_qtext_get(&q->prompt, lang), "  ");
	switch (q->kind) {
	case TT_QK_SINGLE:
	case TT_QK_MULTIPLE:
		for (size_t i = 0; i < q->nchoices; i++)
			printf("    %c) %s\n", (char)('a' + i), tt_qtext_get(&q->choice[i], lang));
		printf("%s\n", q->kind == TT_QK_SINGLE ? _("Answer with one letter.")
		                                       : _("Answer with every right letter, e.g. a c."));
		break;
	case TT_QK_ORDER:
		for (size_t i = 0; i < q->nchoices; i++)
			printf("    %zu. %s\n", i + 1, tt_qtext_get(&q->choice[i], lang));
		printf("%s\n", _("Answer with the item numbers in the right order, e.g. 3 1 2 4."));
		break;
	case TT_QK_NUMBER:
		printf("%s\n", _("Answer with a number."));
		break;
	case TT_QK_STATE:
		printf("%s\n", _("Answer with an RFC 9293 state name, e.g. SYN-SENT."));
		break;
	case TT_QK_OPEN:
		printf("%s\n", _("Answer in your own words on one line; then grade yourself "
		                 "against the key points with y or n."));
		break;
	case TT_QK_NKINDS:
		break;
	}
}

static void
print_show(const struct tt_question *q)
{
	printf(_("Show me: tcptutor lesson %s (step %u)\n"), q->show_lesson, q->show_step);
	if (q->scenario != NULL) {
		printf(_("This question's own scenario (step %u shows the answer; run it with "
		         "tcptutor sandbox --batch):\n"), q->scenario_step);
		print_indented(q->scenario, "    ");
	}
}

static void
print_feedback(const struct tt_question *q, const char *norm, int right, int lang)
{
	const struct tt_qwrong *w[TT_QUIZ_MAXITEMS];
	size_t nw;
	char ans[64];

	if (q->kind == TT_QK_OPEN)
		printf("%s\n", right ? _("Graded right.") : _("Graded wrong: study the key points."));
	else if (right)
		printf("%s\n", _("Right."));
	else {
		tt_quiz_answer_text(q, ans, sizeof ans);
		printf(_("Wrong. The answer is %s.\n"), ans);
		if (q->kind == TT_QK_SINGLE || q->kind == TT_QK_MULTIPLE)
			for (size_t i = 0; i < q->nchoices; i++)
				if (q->answer_mask & (1u << i))
					printf("    %c) %s\n", (char)('a' + i), tt_qtext_get(&q->choice[i], lang));
		if (q->kind == TT_QK_ORDER)
			for (size_t i = 0; i < q->nchoices; i++)
				printf("    %zu. %s\n", (size_t)q->order[i] + 1,
				       tt_qtext_get(&q->choice[q->order[i]], lang));
		nw = tt_quiz_wrong_for(q, norm, w, TT_QUIZ_MAXITEMS);
		for (size_t i = 0; i < nw; i++)
			printf(_("Why %s is wrong: %s\n"), w[i]->match, tt_qtext_get(&w[i]->text, lang));
	}
	printf("%s\n", _("Explanation:"));
	print_indented(tt_qtext_get(&q->explain, lang), "  ");
	nw = 0;
	for (size_t i = 0; i < q->nwrong; i++)
		if (q->wrong[i].match[0] == '\0') {
			if (nw++ == 0)
				printf("%s\n", _("Common wrong answers:"));
			printf("  - %s\n", tt_qtext_get(&q->wrong[i].text, lang));
		}
	print_show(q);
}

static void
print_summary(const struct tt_quiz *qz, const struct tt_quiz_session *s, const char *path, int lang)
{
	unsigned asked, right;

	tt_quiz_session_score(s, NULL, &asked, &right);
	printf("\n");
	printf(_("Score: %u of %u right\n"), right, asked);
	for (size_t i = 0; i < tt_quiz_session_ntopics(s); i++) {
		const char *t = tt_quiz_session_topic(s, i);
		const char *name = strcmp(t, TT_PRACTICE_TOPIC) == 0 ? _("generated practice")
		                   : tt_quiz_topic_name(qz, t, lang);

		tt_quiz_session_score(s, t, &asked, &right);
		printf("  %-14s %u/%u  %s\n", t, right, asked, name);
	}
	tt_quiz_session_score(s, NULL, &asked, &right);
	if (path != NULL && asked > 0)
		printf(_("Progress saved in %s\n"), path);
}

/* A TSV field: tabs and line breaks would split the row. */
static void
tsv_field(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* --format tsv|json: one answered question per row, instead of the dialogue.
 * "expected" is the right answer (none for an open question). */
static void
print_answer_row(enum tt_format fmt, const struct tt_question *q, size_t num, const char *answer,
                 int right)
{
	char buf[64];
	const char *expected = q->kind == TT_QK_OPEN ? NULL : tt_quiz_answer_text(q, buf, sizeof buf);

	if (fmt == TT_FMT_TSV) {
		printf("%zu\t%s\t%s\t%s\t", num, q->id, q->topic, tt_quiz_kind_word(q->kind));
		tsv_field(answer);
		printf("\t%s\t%s\n", right ? "yes" : "no", expected != NULL ? expected : "-");
		return;
	}
	printf("{\"question\":%zu,\"id\":", num);
	json_str(stdout, q->id);
	printf(",\"topic\":");
	json_str(stdout, q->topic);
	printf(",\"kind\":");
	json_str(stdout, tt_quiz_kind_word(q->kind));
	printf(",\"answer\":");
	json_str(stdout, answer);
	printf(",\"right\":%s,\"expected\":", right ? "true" : "false");
	if (expected != NULL)
		json_str(stdout, expected);
	else
		printf("null");
	printf("}\n");
}

/* Reads an answer (and an open question's self-grade) into line; words gets
 * the learner's own words. 0 at the end of input. */
static int
read_answer(const struct tt_question *q, int text, int lang, char *line, char *words, size_t len)
{
	if (!read_line(line, len)) {
		if (text)
			printf("%s\n", _("(end of input: the sitting ends here)"));
		return 0;
	}
	snprintf(words, len, "%s", line);
	if (text)
		printf(_("Your answer: %s\n"), line);
	if (q->kind != TT_QK_OPEN)
		return 1;
	if (text) {
		printf("%s\n", _("Key points of the model answer:"));
		for (size_t i = 0; i < q->nkeys; i++)
			printf("  - %s\n", tt_qtext_get(&q->key[i], lang));
		printf("%s\n", _("Did your answer cover them? (y/n)"));
	}
	if (!read_line(line, len)) {
		if (text)
			printf("%s\n", _("(end of input: the sitting ends here)"));
		return 0;
	}
	if (text)
		printf(_("Self-grade: %s\n"), line);
	return 1;
}

static int
batch_sitting(const struct tt_cli *cli, const struct tt_quiz *qz, struct tt_quiz_session *s,
              const char *path)
{
	int lang = cli->zh ? TT_ZH : TT_EN, text = cli->format == TT_FMT_TEXT;
	char line[1024], words[1024], norm[64], err[512];
	size_t num = 0;
	const struct tt_question *q;
	int rc = TT_EXIT_OK, unsaved = 0, said = 0;

	if (cli->format == TT_FMT_TSV)
		printf("question\tid\ttopic\tkind\tanswer\tright\texpected\n");
	while ((q = tt_quiz_session_next(s, err, sizeof err)) != NULL) {
		int right;

		if (text && num > 0)
			printf("\n");
		num++;
		if (text)
			print_question(qz, q, num, tt_quiz_session_planned(s), lang);
		if (!read_answer(q, text, lang, line, words, sizeof line))
			break;
		right = tt_quiz_check(q, line, norm, sizeof norm, err, sizeof err);
		if (right < 0) {
			if (text)
				printf(_("Could not read that answer (%s); it counts as wrong.\n"), _(err));
			right = 0;
		}
		if (text)
			print_feedback(q, norm, right, lang);
		else
			print_answer_row(cli->format, q, num, words, right);
		fflush(stdout);
		/* A failed save is said once; the sitting goes on and every later
		 * answer tries again (the unsaved answers are kept for it). */
		if (tt_quiz_session_answer(s, right, err, sizeof err) == -1) {
			if (!said)
				tt_warn(_("progress not saved: %s"), err);
			said = unsaved = 1;
		} else {
			unsaved = 0;
		}
	}
	if (err[0] != '\0' && q == NULL && rc == TT_EXIT_OK) {
		tt_warn("%s", err);
		rc = TT_EXIT_FAIL;
	}
	if (unsaved)
		rc = TT_EXIT_FAIL;
	if (text)
		print_summary(qz, s, unsaved ? NULL : path, lang);
	if (fflush(stdout) != 0)
		rc = TT_EXIT_FAIL;
	return rc;
}

/* ---- "show me" for the quiz screen ---- */

struct showctx {
	const struct tt_cli *cli;
	struct lesson *lesson;
};

static const char *
lesson_narration(void *ctx, size_t i)
{
	struct showctx *c = ctx;
	const struct lesson_part *p = lesson_part_of_step(c->lesson, i);

	return p != NULL ? p->say[c->cli->zh ? LESSON_ZH : LESSON_EN] : NULL;
}

static int
lesson_view_cb(void *ctx, size_t i)
{
	return tt_lesson_view(((struct showctx *)ctx)->lesson, i);
}

static const char *
lesson_endpoint_cb(void *ctx, size_t i, int h)
{
	return tt_lesson_endpoint(((struct showctx *)ctx)->lesson, i, h);
}

static const char *
lesson_summary_cb(void *ctx)
{
	struct showctx *c = ctx;

	return lesson_summary(c->lesson, c->cli->zh ? LESSON_ZH : LESSON_EN);
}

/* Opens the lesson (or the generated scenario) at the step that shows the
 * answer; called by the quiz screen, which is suspended meanwhile. */
static int
show_me(void *ctx, const struct tt_question *q, int own_scenario, char *err, size_t errlen)
{
	const struct tt_cli *cli = ctx;
	struct ui_opts opts;
	struct ui_story story;
	char path[4096], ep[2][64];
	int rc;

	memset(&story, 0, sizeof story);
	tt_ui_opts(cli, &opts);
	if (own_scenario && q->scenario != NULL) {
		struct tt_scenario *sc = tt_scenario_parse(q->scenario, strlen(q->scenario), q->id, err,
		                                           errlen);
		struct tt_sim *sim;

		if (sc == NULL)
			return -1;
		sim = tt_scenario_run(sc, NULL, err, errlen);
		tt_scenario_free(sc);
		if (sim == NULL)
			return -1;
		story.title = tt_qtext_get(&q->title, cli->zh ? TT_ZH : TT_EN);
		story.endpoint[0] = tt_sim_endpoint(sim, TT_CLIENT, ep[0], sizeof ep[0]);
		story.endpoint[1] = tt_sim_endpoint(sim, TT_SERVER, ep[1], sizeof ep[1]);
		story.nsteps = tt_sim_nsteps(sim);
		story.steps = story.nsteps ? tt_sim_step(sim, 0) : NULL;
		story.start = q->scenario_step ? q->scenario_step - 1 : 0;
		rc = tt_ui_result(ui_stepview(&story, &opts));
		tt_sim_free(sim);
		return rc == 0 ? 0 : -1;
	}
	tt_catalog_path(cli->datadir, q->show_lesson, path, sizeof path);
	struct showctx c = { cli, lesson_load(path, err, errlen) };

	if (c.lesson == NULL)
		return -1;
	if (lesson_run(c.lesson, cli->datadir, err, errlen) == -1) {
		lesson_free(c.lesson);
		return -1;
	}
	story.title = lesson_title(c.lesson, cli->zh ? LESSON_ZH : LESSON_EN);
	story.endpoint[0] = lesson_endpoint(c.lesson, 0);
	story.endpoint[1] = lesson_endpoint(c.lesson, 1);
	story.nsteps = lesson_nsteps(c.lesson);
	story.steps = lesson_steps(c.lesson);
	story.replay = lesson_capture(c.lesson) != NULL;
	story.start = q->show_step > 0 && q->show_step <= story.nsteps ? q->show_step - 1 : 0;
	story.ctx = &c;
	story.narration = lesson_narration;
	story.view = lesson_view_cb;
	story.endpoint_of = lesson_endpoint_cb;
	story.summary = lesson_summary_cb;
	rc = tt_ui_result(ui_stepview(&story, &opts));
	lesson_free(c.lesson);
	return rc == 0 ? 0 : -1;
}

/* ---- the subcommand ---- */

static int
topic_known(const struct tt_quiz *qz, const char *t)
{
	if (strcmp(t, "all") == 0 || strcmp(t, TT_PRACTICE_TOPIC) == 0)
		return 1;
	for (size_t i = 0; i < tt_quiz_ntopics(qz); i++)
		if (strcmp(tt_quiz_topic(qz, i), t) == 0)
			return 1;
	return 0;
}

int
cmd_quiz(const struct tt_cli *cli, int argc, char **argv)
{
	struct tt_quiz *qz = NULL;
	struct tt_progress *p = NULL;
	struct tt_quiz_session *s = NULL;
	char dir[4096], state[4096], path[4200], err[1024], warn[1024], moved[4200];
	unsigned long seed;
	struct ui_quiz_opts o;
	const char *topic;
	int rc = TT_EXIT_FAIL;

	if (argc > 0) {
		tt_warn(_("quiz: unexpected argument '%s'"), argv[0]);
		fprintf(stderr, _("Try 'tcptutor --help' for more information.\n"));
		return TT_EXIT_USAGE;
	}
	qz = tt_quiz_new();
	if (qz == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	snprintf(dir, sizeof dir, "%s/quiz", cli->datadir);
	if (tt_quiz_load_dir(qz, dir, err, sizeof err) == -1) {
		tt_warn("%s", err);
		goto out;
	}
	if (cli->topic != NULL && !topic_known(qz, cli->topic)) {
		tt_warn(_("unknown quiz topic '%s'"), cli->topic);
		fprintf(stderr, "%s", _("Topics:"));
		for (size_t i = 0; i < tt_quiz_ntopics(qz); i++)
			fprintf(stderr, " %s", tt_quiz_topic(qz, i));
		fprintf(stderr, " %s all\n", TT_PRACTICE_TOPIC);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	if (cli->list) {
		rc = list_bank(cli, qz);
		goto out;
	}
	if (tt_path_statedir(state, sizeof state, err, sizeof err) == -1) {
		tt_warn("%s", err);
		goto out;
	}
	snprintf(path, sizeof path, "%s/%s", state, PROGRESS_FILE);
	p = tt_progress_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	if (p == NULL) {
		tt_warn("%s", err);
		goto out;
	}
	if (warn[0] != '\0' && moved[0] != '\0')
		tt_warn(_("%s: the progress file is damaged; it was moved to %s and fresh progress "
		          "started"), warn, moved);
	else if (warn[0] != '\0')
		tt_warn(_("%s: skipped; every other record was kept"), warn);
	seed = cli->has_seed ? cli->seed : (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	memset(&o, 0, sizeof o);
	o.zh = cli->zh;
	o.present = cli->present;
	o.show = show_me;
	o.show_ctx = (void *)cli;
	o.progress_path = path;
	topic = cli->topic;
	if (!cli->batch && topic == NULL) {
		topic = ui_quiz_pick_topic(qz, p, &o);
		if (topic == NULL) {
			/* cancelled, or no terminal to choose on */
			rc = ui_error()[0] != '\0' ? tt_ui_result(TT_EXIT_FAIL) : TT_EXIT_OK;
			goto out;
		}
	}
	/* "practice" alone never runs out: it goes on until the learner stops. */
	s = tt_quiz_session_new(qz, p, path, topic, seed,
	                        strcmp(topic != NULL ? topic : "", TT_PRACTICE_TOPIC) == 0 ? 0 : NPRACTICE,
	                        err, sizeof err);
	if (s == NULL) {
		tt_warn("%s", err);
		goto out;
	}
	rc = cli->batch ? batch_sitting(cli, qz, s, path) : tt_ui_result(ui_quiz(qz, s, &o));
out:
	tt_quiz_session_free(s);
	tt_progress_free(p);
	tt_quiz_free(qz);
	return rc;
}
