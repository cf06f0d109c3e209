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
#include "report/quiz.h"
#include "cmd/paths.h"
#include "sim/sim.h"
#include "tutor/catalog.h"
#include "tutor/lesson.h"
#include "tutor/quiz.h"
#include "ui/quizui.h"
#include "ui/ui.h"

#define PROGRESS_FILE "quiz-progress"
#define NPRACTICE 3  /* generated questions at the end of a full sitting */

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

/* Reads an answer (and an open question's self-grade) into line; words gets
 * the learner's own words. 0 at the end of input. */
static int
read_answer(const struct tt_quiz_question *q, int text, int lang, char *line, char *words, size_t len)
{
	if (!read_line(line, len)) {
		if (text)
			printf("%s\n", _("(end of input: the sitting ends here)"));
		return 0;
	}
	snprintf(words, len, "%s", line);
	if (text)
		printf(_("Your answer: %s\n"), line);
	if (q->kind != TT_QUIZ_OPEN)
		return 1;
	if (text)
		tt_report_quiz_keys(stdout, q, lang);
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
	const struct tt_quiz_question *q;
	int rc = TT_EXIT_OK, unsaved = 0, said = 0;

	tt_report_answer_header(stdout, cli->format);
	while ((q = tt_quiz_session_next(s, err, sizeof err)) != NULL) {
		int right;

		if (text && num > 0)
			printf("\n");
		num++;
		if (text)
			tt_report_question(stdout, qz, q, num, tt_quiz_session_planned(s), lang);
		if (!read_answer(q, text, lang, line, words, sizeof line))
			break;
		right = tt_quiz_check(q, line, norm, sizeof norm, err, sizeof err);
		if (right < 0) {
			if (text)
				printf(_("Could not read that answer (%s); it counts as wrong.\n"), _(err));
			right = 0;
		}
		if (text)
			tt_report_feedback(stdout, q, norm, right, lang);
		else
			tt_report_answer_row(stdout, cli->format, q, num, words, right);
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
		tt_report_quiz_summary(stdout, qz, s, unsaved ? NULL : path, lang);
	if (fflush(stdout) != 0)
		rc = TT_EXIT_FAIL;
	return rc;
}

/* ---- "show me" for the quiz screen ---- */

struct showctx {
	const struct tt_cli *cli;
	struct tt_lesson *lesson;
};

static const char *
lesson_narration(void *ctx, size_t i)
{
	struct showctx *c = ctx;
	const struct tt_lesson_part *p = tt_lesson_part_of_step(c->lesson, i);

	return p != NULL ? p->say[c->cli->zh ? TT_ZH : TT_EN] : NULL;
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

	return tt_lesson_summary(c->lesson, c->cli->zh ? TT_ZH : TT_EN);
}

/* Opens the lesson (or the generated scenario) at the step that shows the
 * answer; called by the quiz screen, which is suspended meanwhile. */
static int
show_me(void *ctx, const struct tt_quiz_question *q, int own_scenario, char *err, size_t errlen)
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
		story.title = tt_quiz_text_get(&q->title, cli->zh ? TT_ZH : TT_EN);
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
	struct showctx c = { cli, tt_catalog_open(path, cli->datadir, err, errlen) };

	if (c.lesson == NULL)
		return -1;
	story.title = tt_lesson_title(c.lesson, cli->zh ? TT_ZH : TT_EN);
	story.endpoint[0] = tt_lesson_scene_endpoint(c.lesson, 0, 0);
	story.endpoint[1] = tt_lesson_scene_endpoint(c.lesson, 0, 1);
	story.nsteps = tt_lesson_nsteps(c.lesson);
	story.steps = tt_lesson_steps(c.lesson);
	story.replay = tt_lesson_capture(c.lesson) != NULL;
	story.base = tt_lesson_step_bases(c.lesson);
	story.start = q->show_step > 0 && q->show_step <= story.nsteps ? q->show_step - 1 : 0;
	story.ctx = &c;
	story.narration = lesson_narration;
	story.view = lesson_view_cb;
	story.endpoint_of = lesson_endpoint_cb;
	story.summary = lesson_summary_cb;
	rc = tt_ui_result(ui_stepview(&story, &opts));
	tt_lesson_free(c.lesson);
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
	struct tt_leitner *p = NULL;
	struct tt_quiz_session *s = NULL;
	char dir[4096], state[4096], path[4200], err[1024], warn[1024], moved[4200];
	unsigned long seed;
	struct ui_quiz_opts o;
	const char *topic;
	int rc = TT_EXIT_FAIL;

	if (argc > 0) {
		tt_warn(_("quiz: unexpected argument '%s'"), argv[0]);
		return tt_usage_hint();
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
		tt_report_quiz_list(stdout, cli->format, qz, cli->topic, cli->zh ? TT_ZH : TT_EN);
		rc = fflush(stdout) == 0 ? TT_EXIT_OK : TT_EXIT_FAIL;
		goto out;
	}
	if (tt_path_statedir(state, sizeof state, err, sizeof err) == -1) {
		tt_warn("%s", err);
		goto out;
	}
	snprintf(path, sizeof path, "%s/%s", state, PROGRESS_FILE);
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
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
	tt_leitner_free(p);
	tt_quiz_free(qz);
	return rc;
}
