/* cmd/lesson.c: the 'lesson' subcommand.
 *
 *   tcptutor lesson [NAME|FILE]          the step view (no NAME: a picker)
 *   tcptutor lesson NAME --batch         narration, table, events, checkpoints
 *   tcptutor lesson NAME --format tsv    the plain segment table
 *   tcptutor lesson --list               one row per bundled lesson
 *   tcptutor lesson NAME --write F.pcap  also the segments as a capture
 *
 * Lessons come from tutor/lesson.h (parsed, run in the engine, answers
 * computed); this file only chooses them, prints them, and hands them to
 * the step view with the learner's progress.
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"
#include "cmd/cmd.h"
#include "i18n.h"
#include "cmd/paths.h"
#include "report/lesson.h"
#include "report/report.h"
#include "sim/sim.h"
#include "tutor/catalog.h"
#include "tutor/lesson.h"
#include "tutor/progress.h"
#include "ui/ui.h"

/* ---- finding lessons ------------------------------------------------------- */

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Loads and runs one lesson; NULL after printing the error. */
static struct tt_lesson *
open_lesson(const char *path, const char *datadir)
{
	char err[1024];
	struct tt_lesson *l = tt_catalog_open(path, datadir, err, sizeof err);

	if (l == NULL)
		tt_warn("%s", err);
	return l;
}

/* Every lesson of the catalogue; -1 after saying why not. */
static int
load_all(const char *datadir, struct tt_lesson ***out, size_t *n)
{
	char err[1024];

	if (tt_catalog_load(datadir, out, n, err, sizeof err) < 0) {
		tt_warn("%s", err);
		return -1;
	}
	return 0;
}

/* The narration and table (text), or the table alone (TSV, JSON). */
static int
print_lesson(const struct tt_lesson *l, const struct tt_cli *cli)
{
	char *ctype = NULL;
	int rc;

	/* lesson files are UTF-8 in every locale: their text is wrapped by its
	 * width in a UTF-8 character type (C.UTF-8 where the locale's is not) */
	if (cli->format == TT_FMT_TEXT && strcmp(nl_langinfo(CODESET), "UTF-8") != 0 &&
	    (ctype = strdup(setlocale(LC_CTYPE, NULL))) != NULL)
		setlocale(LC_CTYPE, "C.UTF-8");
	if (cli->format == TT_FMT_TEXT)
		rc = tt_report_lesson_text(stdout, l, cli->zh ? TT_ZH : TT_EN, cli->absolute,
		                           cli->tcb);
	else
		rc = tt_report_lesson_table(stdout, l, cli->format, cli->absolute,
		                            cli->tcb);
	if (ctype != NULL) {
		setlocale(LC_CTYPE, ctype);
		free(ctype);
	}
	if (rc < 0) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	return TT_EXIT_OK;
}

/* --write: every scene's segments (each scene run again in a simulation of
 * its own: the same steps), or a capture lesson's frames from its capture. */
static int
write_lesson(const struct tt_lesson *l, const struct tt_cli *cli)
{
	const struct tt_scenario **scs;
	size_t n = tt_lesson_nscenes(l);
	int rc;

	if (tt_lesson_capture(l) != NULL) {
		char path[4096];

		/* as tt_lesson_run() found it */
		if (tt_lesson_capture(l)[0] == '/' || cli->datadir == NULL || *cli->datadir == '\0')
			snprintf(path, sizeof path, "%s", tt_lesson_capture(l));
		else
			snprintf(path, sizeof path, "%s/%s", cli->datadir, tt_lesson_capture(l));
		return tt_write_frames(cli->write_path, path, tt_lesson_steps(l), tt_lesson_nsteps(l));
	}
	if ((scs = calloc(n ? n : 1, sizeof *scs)) == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		scs[i] = tt_lesson_scene_scenario(l, (unsigned)i);
	rc = tt_write_scenarios(cli->write_path, scs, n);
	free(scs);
	return rc;
}

/* ---- the list --------------------------------------------------------------- */

static struct tt_lesson_progress *
load_progress(void)
{
	char dir[4096], err[512], warn[1024];
	struct tt_lesson_progress *p;

	if (tt_path_statedir(dir, sizeof dir, err, sizeof err) < 0) {
		tt_warn(_("progress will not be kept: %s"), err);
		return NULL;
	}
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	if (warn[0] != '\0')
		tt_warn("%s", warn);
	return p;
}

static int
list_lessons(const struct tt_cli *cli)
{
	struct tt_lesson **v;
	struct tt_lesson_progress *prog = NULL;
	size_t n;

	if (load_all(cli->datadir, &v, &n) < 0)
		return TT_EXIT_FAIL;
	if (cli->format == TT_FMT_TEXT)
		prog = load_progress();
	tt_report_lessons(stdout, cli->format, v, n, cli->zh ? TT_ZH : TT_EN,
	                  prog);
	tt_lesson_progress_free(prog);
	tt_catalog_free(v, n);
	return TT_EXIT_OK;
}

/* ---- the step view -------------------------------------------------------------- */

struct tui {
	const struct tt_lesson *l;
	int lang;
	struct ui_checkpoint *cp;     /* per checkpoint */
	char *answered;               /* per checkpoint: answered once */
	unsigned correct;
	int finished;
	struct tt_lesson_progress *prog;
	char warn[512];
	char score[160];              /* "Lesson finished: 4 of 5 checkpoints right." */
	char *sum;                    /* the score with the summary under it */
};

static const char *
tui_narration(void *ctx, size_t i)
{
	struct tui *t = ctx;
	const struct tt_lesson_part *pt = tt_lesson_part_of_step(t->l, i);

	if (pt == NULL || pt->say[t->lang] == NULL || *pt->say[t->lang] == '\0')
		return NULL;
	return pt->say[t->lang];
}

int
tt_lesson_view(const struct tt_lesson *l, size_t i)
{
	const struct tt_lesson_part *pt = tt_lesson_part_of_step(l, i);

	switch (pt != NULL ? pt->view : TT_LESSON_VIEW_KEEP) {
	case TT_LESSON_VIEW_LADDER: return UI_VIEW_LADDER;
	case TT_LESSON_VIEW_WINDOWS: return UI_VIEW_WINDOWS;
	case TT_LESSON_VIEW_CWND: return UI_VIEW_CWND;
	case TT_LESSON_VIEW_SEQUENCE: return UI_VIEW_SEQUENCE;
	default: return UI_VIEW_KEEP;
	}
}

const char *
tt_lesson_endpoint(const struct tt_lesson *l, size_t i, int h)
{
	const char *ep = tt_lesson_stream_endpoint(l, tt_lesson_steps(l)[i].stream, h);

	return *ep != '\0' ? ep : NULL;
}

static const char *
tui_endpoint(void *ctx, size_t i, int h)
{
	return tt_lesson_endpoint(((struct tui *)ctx)->l, i, h);
}

static int
tui_view(void *ctx, size_t i)
{
	return tt_lesson_view(((struct tui *)ctx)->l, i);
}

static size_t
check_index(const struct tt_lesson *l, const struct tt_lesson_check *c)
{
	for (size_t k = 0; k < tt_lesson_nchecks(l); k++)
		if (tt_lesson_check(l, k) == c)
			return k;
	return 0;
}

static const struct ui_checkpoint *
tui_checkpoint(void *ctx, size_t i)
{
	struct tui *t = ctx;
	const struct tt_lesson_check *c = tt_lesson_check_before(t->l, i);

	return c != NULL ? &t->cp[check_index(t->l, c)] : NULL;
}

static void
tui_answered(void *ctx, size_t i, int correct)
{
	struct tui *t = ctx;
	const struct tt_lesson_check *c = tt_lesson_check_before(t->l, i);
	size_t k;

	if (c == NULL)
		return;
	k = check_index(t->l, c);
	if (t->answered[k])         /* the first answer counts */
		return;
	t->answered[k] = 1;
	t->correct += correct != 0;
}

/* How many checkpoints were answered right, and the summary under it. The
 * first time it is shown the lesson counts as finished. */
static const char *
tui_summary(void *ctx)
{
	struct tui *t = ctx;
	const char *sum = tt_lesson_summary(t->l, t->lang);
	size_t nc = tt_lesson_nchecks(t->l), len;
	char err[512];

	if (!t->finished) {
		t->finished = 1;
		if (t->prog != NULL &&
		    (tt_lesson_progress_finish(t->prog, tt_lesson_name(t->l), t->correct, (unsigned)nc) < 0 ||
		     tt_lesson_progress_save(t->prog, err, sizeof err) < 0))
			snprintf(t->warn, sizeof t->warn, _("progress not saved: %s"), err);
	}
	if (nc == 0)
		return sum;
	snprintf(t->score, sizeof t->score, _("Lesson finished: %u of %zu checkpoints right."),
	         t->correct, nc);
	len = strlen(sum) + strlen(t->score) + 3;
	free(t->sum);
	if ((t->sum = malloc(len)) == NULL)
		return sum;
	snprintf(t->sum, len, "%s\n\n%s", t->score, sum);
	return t->sum;
}

/* The lesson in the step view. Prints nothing (the caller may hold the
 * terminal): the score line goes to score, a warning to warn. */
static int
run_tui(const struct tt_lesson *l, const struct tt_cli *cli, struct tt_lesson_progress *prog,
        char *score, size_t slen, char *warn, size_t wlen)
{
	struct tui t;
	struct ui_story story;
	struct ui_opts opts;
	size_t nc = tt_lesson_nchecks(l);
	int rc;

	memset(&t, 0, sizeof t);
	t.l = l;
	t.lang = cli->zh ? TT_ZH : TT_EN;
	t.prog = prog;
	t.cp = calloc(nc ? nc : 1, sizeof *t.cp);
	t.answered = calloc(nc ? nc : 1, 1);
	if (t.cp == NULL || t.answered == NULL) {
		free(t.cp);
		free(t.answered);
		snprintf(warn, wlen, "%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	for (size_t k = 0; k < nc; k++) {
		const struct tt_lesson_check *c = tt_lesson_check(l, k);

		t.cp[k].question = c->ask[t.lang];
		t.cp[k].choices = c->nchoices ? c->choices : NULL;
		t.cp[k].nchoices = c->nchoices;
		t.cp[k].answer = c->answer;
		t.cp[k].why = c->why[t.lang];
	}
	memset(&story, 0, sizeof story);
	story.title = tt_lesson_title(l, t.lang);
	story.endpoint[0] = tt_lesson_scene_endpoint(l, 0, TT_CLIENT);
	story.endpoint[1] = tt_lesson_scene_endpoint(l, 0, TT_SERVER);
	story.nsteps = tt_lesson_nsteps(l);
	story.steps = tt_lesson_steps(l);
	story.replay = tt_lesson_capture(l) != NULL;
	story.base = tt_lesson_step_bases(l);
	story.ctx = &t;
	story.narration = tui_narration;
	story.view = tui_view;
	story.endpoint_of = tui_endpoint;
	story.checkpoint = tui_checkpoint;
	story.answered = tui_answered;
	story.summary = tui_summary;
	tt_ui_opts(cli, &opts);
	rc = tt_ui_result(ui_stepview(&story, &opts));
	snprintf(warn, wlen, "%s", t.warn);
	snprintf(score, slen, "%s", t.finished ? t.score : "");
	free(t.cp);
	free(t.answered);
	free(t.sum);
	return rc;
}

/* The list's lines: each title, and the best score of a finished lesson
 * in a column after the longest title. Returns the first unfinished
 * lesson at or after `from` (wrapping around), or `from` when all are. */
static size_t
list_items(struct tt_lesson **v, size_t n, int lang, const struct tt_lesson_progress *prog,
           char **items, size_t from)
{
	int tw = 0;
	size_t first = SIZE_MAX;

	for (size_t i = 0; i < n; i++)
		if (tt_text_width(tt_lesson_title(v[i], lang)) > tw)
			tw = tt_text_width(tt_lesson_title(v[i], lang));
	for (size_t k = 0; k < n; k++) {
		size_t i = (from + k) % n;
		struct tt_lesson_progress_record r;
		const char *title = tt_lesson_title(v[i], lang);
		int done = prog != NULL && tt_lesson_progress_get(prog, tt_lesson_name(v[i]), &r) && r.finished;

		if (!done && first == SIZE_MAX)
			first = i;
		if (done)
			snprintf(items[i], 512, "%s%*s  [%u/%u]", title, tw - tt_text_width(title), "", r.best,
			         r.of);
		else
			snprintf(items[i], 512, "%s", title);
	}
	return first == SIZE_MAX ? from : first;
}

/* No NAME in the TUI: the list of lessons (scores of the finished ones),
 * opening on the first unfinished one; q in a lesson comes back here. */
static int
pick_and_run(const struct tt_cli *cli)
{
	int lang = cli->zh ? TT_ZH : TT_EN;
	struct tt_lesson_progress *prog;
	struct tt_lesson **v;
	struct ui_opts opts;
	char **items, err[256], help[1024], score[160] = "", warn[512];
	size_t n, start;
	int rc = TT_EXIT_OK, oom = 0;

	if (load_all(cli->datadir, &v, &n) < 0)
		return TT_EXIT_FAIL;
	if (n == 0) {
		free(v);
		tt_warn("%s", _("no lessons found"));
		return TT_EXIT_FAIL;
	}
	prog = load_progress();
	items = calloc(n, sizeof *items);
	for (size_t i = 0; items != NULL && i < n; i++)
		if ((items[i] = malloc(512)) == NULL)
			oom = 1;
	if (items == NULL || oom || ui_begin(err, sizeof err) != 0) {
		tt_warn("%s", items == NULL || oom ? _("out of memory") : err);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	tt_ui_opts(cli, &opts);
	start = list_items(v, n, lang, prog, items, 0);
	for (;;) {
		int choice;

		snprintf(help, sizeof help, "%s%s%s", score, *score ? "\n" : "",
		         _("Each lesson runs a scenario on the TCP engine and stops at checkpoints to "
		           "let you predict what happens next."));
		choice = ui_pick_ex(_("Lessons"), help, (const char *const *)items, n, start, &opts);
		if (choice < 0 || (size_t)choice >= n) {
			if (choice < 0 && ui_error()[0] != '\0' && tt_ui_result(-1) != 0)
				rc = TT_EXIT_FAIL;
			break;
		}
		rc = run_tui(v[choice], cli, prog, score, sizeof score, warn, sizeof warn);
		if (warn[0] != '\0' && ui_message(_("Note"), warn, &opts) != 0)
			tt_warn("%s", warn);
		start = list_items(v, n, lang, prog, items, (size_t)choice);
		if (score[0] == '\0')
			start = (size_t)choice;
	}
	ui_end();
out:
	for (size_t i = 0; items != NULL && i < n; i++)
		free(items[i]);
	free(items);
	tt_lesson_progress_free(prog);
	tt_catalog_free(v, n);
	return rc;
}

int
cmd_lesson(const struct tt_cli *cli, int argc, char **argv)
{
	char path[4096];
	struct tt_lesson *l;
	int rc;

	if (argc > 1) {
		tt_warn(_("lesson: one lesson at a time (got '%s' and '%s')"), argv[0], argv[1]);
		return tt_usage_hint();
	}
	if (cli->write_path != NULL && (cli->list || argc == 0)) {
		tt_warn("%s", _("lesson: --write needs a lesson NAME or FILE"));
		return tt_usage_hint();
	}
	if (cli->list)
		return list_lessons(cli);
	if (argc == 0) {
		if (cli->batch)
			return list_lessons(cli);
		return pick_and_run(cli);
	}
	/* a plain scenario: the engine's table without narration */
	if (strlen(argv[0]) > 9 && strcmp(argv[0] + strlen(argv[0]) - 9, ".scenario") == 0)
		return tt_scenario_command(cli, argv[0]);
	if (strchr(argv[0], '/') != NULL || (strlen(argv[0]) > 7 &&
	                                     strcmp(argv[0] + strlen(argv[0]) - 7, ".lesson") == 0))
		snprintf(path, sizeof path, "%s", argv[0]);
	else
		tt_catalog_path(cli->datadir, argv[0], path, sizeof path);
	if (!is_file(path)) {
		struct stat st;

		if (strchr(argv[0], '/') != NULL) {
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				tt_warn(_("%s: a directory, not a lesson file"), argv[0]);
			else
				tt_warn(_("%s: no such lesson file"), argv[0]);
			return TT_EXIT_FAIL;
		}
		tt_warn(_("no lesson named '%s' ('tcptutor lesson --list' shows them)"), argv[0]);
		return TT_EXIT_USAGE;
	}
	if ((l = open_lesson(path, cli->datadir)) == NULL)
		return TT_EXIT_FAIL;
	if (cli->batch) {
		rc = print_lesson(l, cli);
		/* the table first: a file that cannot be written does not hide it */
		if (cli->write_path != NULL && write_lesson(l, cli) != TT_EXIT_OK)
			rc = TT_EXIT_FAIL;
	} else if (cli->write_path != NULL && write_lesson(l, cli) != TT_EXIT_OK) {
		rc = TT_EXIT_FAIL;      /* said before the screen opens */
	} else {
		struct tt_lesson_progress *prog = load_progress();
		char score[160], warn[512];

		rc = run_tui(l, cli, prog, score, sizeof score, warn, sizeof warn);
		tt_lesson_progress_free(prog);
		/* the step view is over and the terminal is the shell's again */
		if (warn[0] != '\0')
			tt_warn("%s", warn);
		else if (score[0] != '\0')
			printf("%s\n", score);
	}
	tt_lesson_free(l);
	if (fflush(stdout) != 0 && rc == TT_EXIT_OK)
		rc = TT_EXIT_FAIL;
	return rc;
}
