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

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "i18n.h"
#include "cmd/paths.h"
#include "report/report.h"
#include "sim/sim.h"
#include "tutor/lesson.h"
#include "tutor/progress.h"
#include "ui/ui.h"

#define WRAP 78

/* ---- finding lessons ------------------------------------------------------- */

static int
is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Loads and runs one lesson; NULL after printing the error. */
static struct lesson *
open_lesson(const char *path, const char *datadir)
{
	char err[1024];
	struct lesson *l = lesson_load(path, err, sizeof err);

	if (l == NULL || lesson_run(l, datadir, err, sizeof err) < 0) {
		tt_warn("%s", err);
		lesson_free(l);
		return NULL;
	}
	return l;
}

static int
by_order(const void *a, const void *b)
{
	const struct lesson *x = *(struct lesson *const *)a, *y = *(struct lesson *const *)b;

	if (lesson_order(x) != lesson_order(y))
		return lesson_order(x) < lesson_order(y) ? -1 : 1;
	return strcmp(lesson_name(x), lesson_name(y));
}

static void
free_all(struct lesson **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lesson_free(v[i]);
	free(v);
}

/* Every lesson of datadir/lessons, run and in order; -1 after an error. */
static int
load_all(const char *datadir, struct lesson ***out, size_t *nout)
{
	char dir[4096], path[4400];
	struct lesson **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/lessons", datadir);
	if ((d = opendir(dir)) == NULL) {
		tt_warn(_("%s: no lessons found"), dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct lesson *l;

		if (len <= 7 || strcmp(de->d_name + len - 7, ".lesson") != 0 || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((l = open_lesson(path, datadir)) == NULL) {
			closedir(d);
			free_all(v, n);
			return -1;
		}
		if (n == cap) {
			struct lesson **nv;

			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof *nv)) == NULL) {
				lesson_free(l);
				closedir(d);
				free_all(v, n);
				tt_warn("%s", _("out of memory"));
				return -1;
			}
			v = nv;
		}
		v[n++] = l;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, by_order);
	*out = v;
	*nout = n;
	return 0;
}

/* ---- text output --------------------------------------------------------- */

/* Display width of the UTF-8 character at s (CJK and full-width forms are
 * two columns); *len gets its byte length. */
static int
char_width(const unsigned char *s, size_t *len)
{
	unsigned c = s[0];
	unsigned long u;

	if (c < 0x80) {
		*len = 1;
		return 1;
	}
	if (c < 0xe0) {
		*len = s[1] ? 2 : 1;
		return 1;
	}
	if (c < 0xf0) {
		*len = (s[1] && s[2]) ? 3 : 1;
		if (*len == 1)
			return 1;
		u = ((c & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
		if ((u >= 0x1100 && u <= 0x115f) || (u >= 0x2e80 && u <= 0xa4cf) ||
		    (u >= 0xac00 && u <= 0xd7a3) || (u >= 0xf900 && u <= 0xfaff) ||
		    (u >= 0xfe30 && u <= 0xfe4f) || (u >= 0xff00 && u <= 0xff60) ||
		    (u >= 0xffe0 && u <= 0xffe6))
			return 2;
		return 1;
	}
	*len = (s[1] && s[2] && s[3]) ? 4 : 1;
	return 2;
}

/* Chinese punctuation that must not begin a line. */
static int
no_line_start(const unsigned char *s)
{
	static const char *const marks[] = { "，", "。", "、", "；", "：", "？", "！", "）", "」",
	                                     "》", "”", "’", "…" };

	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp((const char *)s, marks[i], strlen(marks[i])) == 0)
			return 1;
	return *s == ',' || *s == '.' || *s == ')' || *s == ';' || *s == ':';
}

/* Prints text wrapped to WRAP columns: the first line starts with prefix,
 * the others with `indent` blanks; '\n' in the text starts a new paragraph
 * (a blank line between). Lines break at blanks, or between two wide
 * characters. */
static void
print_wrapped_p(FILE *f, const char *prefix, const char *text, int indent)
{
	const unsigned char *s = (const unsigned char *)text;
	int first = 1;

	while (*s != '\0') {
		const unsigned char *line = s, *brk = NULL, *p = s;
		int col = indent, lastwide = 0;

		if (first && prefix != NULL) {
			for (const unsigned char *q = (const unsigned char *)prefix; *q != '\0';) {
				size_t len;

				col += char_width(q, &len) - (q == (const unsigned char *)prefix ? indent : 0);
				q += len;
			}
		}
		while (*p != '\0' && *p != '\n') {
			size_t len;
			int w = char_width(p, &len);

			if (*p == ' ')
				brk = p;
			else if (w == 2 && lastwide && p > line && !no_line_start(p))
				brk = p;
			if (col + w > WRAP && brk != NULL && brk > line)
				break;
			lastwide = (w == 2);
			col += w;
			p += len;
		}
		if (*p != '\0' && *p != '\n' && brk != NULL && brk > line)
			p = brk;
		if (first && prefix != NULL)
			fprintf(f, "%s%.*s\n", prefix, (int)(p - line), (const char *)line);
		else
			fprintf(f, "%*s%.*s\n", indent, "", (int)(p - line), (const char *)line);
		first = 0;
		s = p;
		while (*s == ' ')
			s++;
		if (*s == '\n') {
			s++;
			if (*s != '\0')
				fputc('\n', f);
		}
	}
}

static void
print_wrapped(FILE *f, const char *text, int indent)
{
	print_wrapped_p(f, NULL, text, indent);
}

static const char *
host_name(int h)
{
	return h == TT_SERVER ? _("server") : _("client");
}

/* "(RFC 9293 §3.10.7.2)", "(what-if rule)", "(simulation)". */
static void
rule_label(enum tt_reason r, char *buf, size_t len)
{
	const char *sec = tt_reason_rfc(r);

	if (sec == NULL || *sec == '\0')
		buf[0] = '\0';
	else if (strcmp(sec, "what-if") == 0)
		snprintf(buf, len, " (%s)", _("what-if rule"));
	else if (strcmp(sec, "sim") == 0)
		snprintf(buf, len, " (%s)", _("simulation"));
	else if (sec[0] >= '0' && sec[0] <= '9')
		snprintf(buf, len, " (RFC 9293 §%s)", sec);
	else
		snprintf(buf, len, " (%s)", sec);
}

/* The events of one step, one line each. */
static void
print_events(FILE *f, const struct tt_step *st)
{
	char when[32];

	snprintf(when, sizeof when, "%" PRId64 ".%06" PRId64, st->time / 1000000, st->time % 1000000);
	if (st->kind == TT_STEP_EVENT && st->nev == 0)
		fprintf(f, "%18s  %s\n", when, host_name(st->dir));
	for (unsigned i = 0; i < st->nev && i < TT_STEP_EVENTS; i++) {
		const struct tt_event *ev = &st->ev[i].ev;
		char rule[64], states[64];
		const char *text = tt_reason_text(ev->reason);

		rule_label(ev->reason, rule, sizeof rule);
		if (ev->from != ev->to)
			snprintf(states, sizeof states, "%s -> %s", tt_state_name(ev->from),
			         tt_state_name(ev->to));
		else
			snprintf(states, sizeof states, "%s", tt_state_name(ev->to));
		fprintf(f, "%18s  %s: %s: %s%s\n", st->kind == TT_STEP_EVENT && i == 0 ? when : "",
		        host_name(st->ev[i].host), states, text && *text ? _(text) : "", rule);
	}
}

static void
make_row(const struct lesson *l, const struct tt_step *st, int absolute, char *notes,
         size_t nlen, struct tt_row *row)
{
	unsigned scene = lesson_step_scene(l, (size_t)(st - lesson_steps(l)));

	memset(row, 0, sizeof *row);
	row->stream = st->stream;   /* numbered through the lesson, scene after scene */
	row->frame = st->frame;
	row->time_ns = st->time * 1000;
	row->dir = st->dir == TT_SERVER;
	row->src = lesson_stream_endpoint(l, st->stream, st->dir);
	row->dst = lesson_stream_endpoint(l, st->stream, !st->dir);
	if (*row->src == '\0' || *row->dst == '\0') {
		row->src = lesson_scene_endpoint(l, scene, st->dir);
		row->dst = lesson_scene_endpoint(l, scene, !st->dir);
	}
	row->flags = st->seg.flags;
	if (absolute) {
		row->seq = st->seg.seq;
		row->ack = st->seg.ack;
	} else {
		lesson_relative(l, st, &row->seq, &row->ack);
	}
	row->len = st->seg.len;
	row->win = st->seg.wnd;
	row->cstate = st->tcb[TT_CLIENT].state;
	row->sstate = st->tcb[TT_SERVER].state;
	row->notes = tt_notes_format(st->notes, notes, nlen);
	/* --tcb: each host's numbers on the row's relative bases (those of
	 * the sender's seq and of the receiver's ack) */
	row->tcb[0] = &st->tcb[TT_CLIENT];
	row->tcb[1] = &st->tcb[TT_SERVER];
	row->tcb_base[st->dir] = st->seg.seq - row->seq;
	row->tcb_base[!st->dir] = st->seg.ack - row->ack;
}

static void
print_check(FILE *f, const struct lesson *l, const struct lesson_check *c, size_t idx, int lang)
{
	char head[160];

	snprintf(head, sizeof head, _("Checkpoint %zu of %zu:"), idx + 1, lesson_nchecks(l));
	fprintf(f, "? %s\n", head);
	print_wrapped(f, c->ask[lang], 2);
	if (c->nchoices > 0) {
		for (size_t k = 0; k < c->nchoices; k++)
			fprintf(f, "%s%c) %s", k ? "   " : "    ", (int)('a' + k), c->choices[k]);
		fputc('\n', f);
		fprintf(f, "  %s %c) %s\n", _("Answer:"), (int)('a' + c->answer_choice), c->answer);
	} else {
		fprintf(f, "    %s\n", _("(type a number)"));
		fprintf(f, "  %s %s\n", _("Answer:"), c->answer);
	}
	snprintf(head, sizeof head, "  %s ", _("Why:"));
	print_wrapped_p(f, head, c->why[lang], 4);
	fputc('\n', f);
}

static void
underline(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	while (*p != '\0') {
		size_t len;

		w += char_width(p, &len);
		p += len;
	}
	for (int i = 0; i < w; i++)
		fputc('=', f);
	fputc('\n', f);
}

static int
batch_text(const struct lesson *l, const struct tt_cli *cli)
{
	int lang = cli->zh ? LESSON_ZH : LESSON_EN;
	const struct tt_step *steps = lesson_steps(l);
	struct tt_report *rep = tt_report_new(stdout, TT_REPORT_TEXT);
	int header = 0;
	char notes[256];

	if (rep == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	if (cli->tcb)
		tt_report_tcb(rep);
	printf("%s\n", lesson_title(l, lang));
	underline(stdout, lesson_title(l, lang));
	printf("%s %s   %s %s\n\n", _("client"), lesson_endpoint(l, TT_CLIENT), _("server"),
	       lesson_endpoint(l, TT_SERVER));
	for (size_t i = 0; i < lesson_nparts(l); i++) {
		const struct lesson_part *pt = lesson_part(l, i);

		if (pt->say[lang] != NULL && *pt->say[lang] != '\0') {
			print_wrapped(stdout, pt->say[lang], 0);
			fputc('\n', stdout);
		}
		if (pt->check >= 0)
			print_check(stdout, l, lesson_check(l, (size_t)pt->check), (size_t)pt->check, lang);
		for (size_t s = pt->first; s < pt->end; s++) {
			const struct tt_step *st = &steps[s];

			if (st->kind == TT_STEP_SEGMENT) {
				struct tt_row row;

				if (!header) {
					tt_report_header(rep);
					header = 1;
				}
				make_row(l, st, cli->absolute, notes, sizeof notes, &row);
				tt_report_row(rep, &row);
			}
			print_events(stdout, st);
		}
		if (pt->end > pt->first)
			fputc('\n', stdout);
	}
	printf("%s\n", _("Summary"));
	underline(stdout, _("Summary"));
	print_wrapped(stdout, lesson_summary(l, lang), 0);
	tt_report_free(rep);
	return TT_EXIT_OK;
}

static int
batch_table(const struct lesson *l, const struct tt_cli *cli)
{
	struct tt_report *rep = tt_report_new(stdout, cli->format == TT_FMT_JSON ? TT_REPORT_JSON
	                                                                         : TT_REPORT_TSV);
	const struct tt_step *steps = lesson_steps(l);
	char notes[256];

	if (rep == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	if (cli->tcb)
		tt_report_tcb(rep);
	tt_report_header(rep);
	for (size_t s = 0; s < lesson_nsteps(l); s++) {
		struct tt_row row;

		if (steps[s].kind != TT_STEP_SEGMENT)
			continue;
		make_row(l, &steps[s], cli->absolute, notes, sizeof notes, &row);
		tt_report_row(rep, &row);
	}
	tt_report_free(rep);
	return TT_EXIT_OK;
}

/* --write: every scene's segments (each scene run again in a simulation of
 * its own: the same steps), or a capture lesson's frames from its capture. */
static int
write_lesson(const struct lesson *l, const struct tt_cli *cli)
{
	const struct tt_scenario **scs;
	size_t n = lesson_nscenes(l);
	int rc;

	if (lesson_capture(l) != NULL) {
		char path[4096];

		/* as lesson_run() found it */
		if (lesson_capture(l)[0] == '/' || cli->datadir == NULL || *cli->datadir == '\0')
			snprintf(path, sizeof path, "%s", lesson_capture(l));
		else
			snprintf(path, sizeof path, "%s/%s", cli->datadir, lesson_capture(l));
		return tt_write_frames(cli->write_path, path, lesson_steps(l), lesson_nsteps(l));
	}
	if ((scs = calloc(n ? n : 1, sizeof *scs)) == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		scs[i] = lesson_scene_scenario(l, (unsigned)i);
	rc = tt_write_scenarios(cli->write_path, scs, n);
	free(scs);
	return rc;
}

/* ---- the list --------------------------------------------------------------- */

static struct lesson_progress *
load_progress(void)
{
	char dir[4096], err[512], warn[1024];
	struct lesson_progress *p;

	if (tt_path_statedir(dir, sizeof dir, err, sizeof err) < 0) {
		tt_warn(_("progress will not be kept: %s"), err);
		return NULL;
	}
	p = lesson_progress_load(dir, warn, sizeof warn);
	if (warn[0] != '\0')
		tt_warn("%s", warn);
	return p;
}

static int
list_lessons(const struct tt_cli *cli)
{
	int lang = cli->zh ? LESSON_ZH : LESSON_EN;
	struct lesson **v;
	struct lesson_progress *prog = NULL;
	size_t n;

	if (load_all(cli->datadir, &v, &n) < 0)
		return TT_EXIT_FAIL;
	if (cli->format == TT_FMT_TEXT)
		prog = load_progress();
	if (cli->format == TT_FMT_TSV)
		printf("name\ttitle\tsteps\tcheckpoints\tlanguages\n");
	else if (cli->format == TT_FMT_TEXT)
		printf("%-12s %5s %6s  %-10s %s\n", _("name"), _("steps"), _("checks"), _("done"),
		       _("title"));
	for (size_t i = 0; i < n; i++) {
		const struct lesson *l = v[i];

		switch (cli->format) {
		case TT_FMT_TSV:
			printf("%s\t%s\t%zu\t%zu\ten,zh_CN\n", lesson_name(l), lesson_title(l, lang),
			       lesson_nsteps(l), lesson_nchecks(l));
			break;
		case TT_FMT_JSON:
			fputs("{\"name\":", stdout);
			tt_json_string(stdout, lesson_name(l));
			fputs(",\"title\":", stdout);
			tt_json_string(stdout, lesson_title(l, lang));
			printf(",\"steps\":%zu,\"checkpoints\":%zu,\"languages\":\"en,zh_CN\"}\n",
			       lesson_nsteps(l), lesson_nchecks(l));
			break;
		case TT_FMT_TEXT: {
			struct lesson_record r;
			char done[32] = "-";

			if (prog != NULL && lesson_progress_get(prog, lesson_name(l), &r) && r.finished)
				snprintf(done, sizeof done, "%u/%u", r.best, r.of);
			printf("%-12s %5zu %6zu  %-10s %s\n", lesson_name(l), lesson_nsteps(l),
			       lesson_nchecks(l), done, lesson_title(l, lang));
			break;
		}
		}
	}
	lesson_progress_free(prog);
	free_all(v, n);
	return TT_EXIT_OK;
}

/* ---- the step view -------------------------------------------------------------- */

struct tui {
	const struct lesson *l;
	int lang;
	struct ui_checkpoint *cp;     /* per checkpoint */
	char *answered;               /* per checkpoint: answered once */
	unsigned correct;
	int finished;
	struct lesson_progress *prog;
	char warn[512];
	char score[160];              /* "Lesson finished: 4 of 5 checkpoints right." */
	char *sum;                    /* the score with the summary under it */
};

static const char *
tui_narration(void *ctx, size_t i)
{
	struct tui *t = ctx;
	const struct lesson_part *pt = lesson_part_of_step(t->l, i);

	if (pt == NULL || pt->say[t->lang] == NULL || *pt->say[t->lang] == '\0')
		return NULL;
	return pt->say[t->lang];
}

int
tt_lesson_view(const struct lesson *l, size_t i)
{
	const struct lesson_part *pt = lesson_part_of_step(l, i);

	switch (pt != NULL ? pt->view : LESSON_VIEW_KEEP) {
	case LESSON_VIEW_LADDER: return UI_VIEW_LADDER;
	case LESSON_VIEW_WINDOWS: return UI_VIEW_WINDOWS;
	case LESSON_VIEW_CWND: return UI_VIEW_CWND;
	case LESSON_VIEW_SEQUENCE: return UI_VIEW_SEQUENCE;
	default: return UI_VIEW_KEEP;
	}
}

const char *
tt_lesson_endpoint(const struct lesson *l, size_t i, int h)
{
	const char *ep = lesson_stream_endpoint(l, lesson_steps(l)[i].stream, h);

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
check_index(const struct lesson *l, const struct lesson_check *c)
{
	for (size_t k = 0; k < lesson_nchecks(l); k++)
		if (lesson_check(l, k) == c)
			return k;
	return 0;
}

static const struct ui_checkpoint *
tui_checkpoint(void *ctx, size_t i)
{
	struct tui *t = ctx;
	const struct lesson_check *c = lesson_check_before(t->l, i);

	return c != NULL ? &t->cp[check_index(t->l, c)] : NULL;
}

static void
tui_answered(void *ctx, size_t i, int correct)
{
	struct tui *t = ctx;
	const struct lesson_check *c = lesson_check_before(t->l, i);
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
	const char *sum = lesson_summary(t->l, t->lang);
	size_t nc = lesson_nchecks(t->l), len;
	char err[512];

	if (!t->finished) {
		t->finished = 1;
		if (t->prog != NULL &&
		    (lesson_progress_finish(t->prog, lesson_name(t->l), t->correct, (unsigned)nc) < 0 ||
		     lesson_progress_save(t->prog, err, sizeof err) < 0))
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
run_tui(const struct lesson *l, const struct tt_cli *cli, struct lesson_progress *prog,
        char *score, size_t slen, char *warn, size_t wlen)
{
	struct tui t;
	struct ui_story story;
	struct ui_opts opts;
	size_t nc = lesson_nchecks(l);
	int rc;

	memset(&t, 0, sizeof t);
	t.l = l;
	t.lang = cli->zh ? LESSON_ZH : LESSON_EN;
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
		const struct lesson_check *c = lesson_check(l, k);

		t.cp[k].question = c->ask[t.lang];
		t.cp[k].choices = c->nchoices ? c->choices : NULL;
		t.cp[k].nchoices = c->nchoices;
		t.cp[k].answer = c->answer;
		t.cp[k].why = c->why[t.lang];
	}
	memset(&story, 0, sizeof story);
	story.title = lesson_title(l, t.lang);
	story.endpoint[0] = lesson_endpoint(l, TT_CLIENT);
	story.endpoint[1] = lesson_endpoint(l, TT_SERVER);
	story.nsteps = lesson_nsteps(l);
	story.steps = lesson_steps(l);
	story.replay = lesson_capture(l) != NULL;
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

/* Columns a UTF-8 string takes (CJK two). */
static int
text_width(const char *s)
{
	int w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
		size_t len;

		w += char_width(p, &len);
		p += len;
	}
	return w;
}

/* The list's lines: each title, and the best score of a finished lesson
 * in a column after the longest title. Returns the first unfinished
 * lesson at or after `from` (wrapping around), or `from` when all are. */
static size_t
list_items(struct lesson **v, size_t n, int lang, const struct lesson_progress *prog,
           char **items, size_t from)
{
	int tw = 0;
	size_t first = SIZE_MAX;

	for (size_t i = 0; i < n; i++)
		if (text_width(lesson_title(v[i], lang)) > tw)
			tw = text_width(lesson_title(v[i], lang));
	for (size_t k = 0; k < n; k++) {
		size_t i = (from + k) % n;
		struct lesson_record r;
		const char *title = lesson_title(v[i], lang);
		int done = prog != NULL && lesson_progress_get(prog, lesson_name(v[i]), &r) && r.finished;

		if (!done && first == SIZE_MAX)
			first = i;
		if (done)
			snprintf(items[i], 512, "%s%*s  [%u/%u]", title, tw - text_width(title), "", r.best,
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
	int lang = cli->zh ? LESSON_ZH : LESSON_EN;
	struct lesson_progress *prog;
	struct lesson **v;
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
	lesson_progress_free(prog);
	free_all(v, n);
	return rc;
}

int
cmd_lesson(const struct tt_cli *cli, int argc, char **argv)
{
	char path[4096];
	struct lesson *l;
	int rc;

	if (argc > 1) {
		tt_warn(_("lesson: one lesson at a time (got '%s' and '%s')"), argv[0], argv[1]);
		return TT_EXIT_USAGE;
	}
	if (cli->write_path != NULL && (cli->list || argc == 0)) {
		tt_warn("%s", _("lesson: --write needs a lesson NAME or FILE"));
		return TT_EXIT_USAGE;
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
		snprintf(path, sizeof path, "%s/lessons/%s.lesson", cli->datadir, argv[0]);
	if (!is_file(path)) {
		if (strchr(argv[0], '/') != NULL) {
			tt_warn(_("%s: no such lesson file"), argv[0]);
			return TT_EXIT_FAIL;
		}
		tt_warn(_("no lesson named '%s' ('tcptutor lesson --list' shows them)"), argv[0]);
		return TT_EXIT_USAGE;
	}
	if ((l = open_lesson(path, cli->datadir)) == NULL)
		return TT_EXIT_FAIL;
	if (cli->batch) {
		rc = cli->format == TT_FMT_TEXT ? batch_text(l, cli) : batch_table(l, cli);
		/* the table first: a file that cannot be written does not hide it */
		if (cli->write_path != NULL && write_lesson(l, cli) != TT_EXIT_OK)
			rc = TT_EXIT_FAIL;
	} else if (cli->write_path != NULL && write_lesson(l, cli) != TT_EXIT_OK) {
		rc = TT_EXIT_FAIL;      /* said before the screen opens */
	} else {
		struct lesson_progress *prog = load_progress();
		char score[160], warn[512];

		rc = run_tui(l, cli, prog, score, sizeof score, warn, sizeof warn);
		lesson_progress_free(prog);
		/* the step view is over and the terminal is the shell's again */
		if (warn[0] != '\0')
			tt_warn("%s", warn);
		else if (score[0] != '\0')
			printf("%s\n", score);
	}
	lesson_free(l);
	if (fflush(stdout) != 0 && rc == TT_EXIT_OK)
		rc = TT_EXIT_FAIL;
	return rc;
}
