/* cmd/replay.c: the 'replay' subcommand.
 *
 * Batch mode streams the capture once: each frame is decoded, passed through
 * the stream table and printed as a segment-table row (or, with --streams,
 * summed up into one row per stream at the end). The TUI mode loads the
 * capture as a story, lets the user pick a stream and steps through it.
 * Damage in the file ends the table where it happened: the rows before it
 * are printed, the message names the frame, the exit status is 1; on screen
 * the title, the stream list and the first and last steps say so too. A
 * capture with no TCP stream, or without the --stream asked for, is an
 * error in both modes, with the same message.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "capture/capture.h"
#include "cmd/cmd.h"
#include "i18n.h"
#include "report/report.h"
#include "report/streams.h"
#include "ui/ui.h"

/* The bundled sample opened when no file is given. */
#define SAMPLE "assets/01-normal.pcap"
/* Frames whose IP header says TCP but whose segment cannot be shown (a
 * fragment, a cut-off or broken header) are reported on stderr, up to this
 * many; the rest are counted. */
#define MAX_NOTES 10

/* Appends text to buf padded with blanks to `width` screen columns (wide
 * characters count two); width 0 appends it as it is. */
static void
pad_cell(char *buf, size_t len, const char *text, int width)
{
	size_t at = strlen(buf);
	int cols = tt_text_width(text);

	snprintf(buf + at, len - at, "%s", text);
	at = strlen(buf);
	while (cols < width && at + 1 < len) {
		buf[at++] = ' ';
		buf[at] = '\0';
		cols++;
	}
}

/* How a stream ended, in the picker's words (replay --streams prints the
 * ids of cap_end_name, which stay English). */
static const char *
end_label(enum cap_end e)
{
	switch (e) {
	case CAP_END_FIN: return _("closed");
	case CAP_END_HALF: return _("half-closed");
	case CAP_END_RST: return _("reset");
	case CAP_END_REFUSED: return _("refused");
	case CAP_END_OPEN: break;
	}
	return _("still open");
}

/* How messages name the capture: standard input is not "-". */
static const char *
source_name(const char *path)
{
	return strcmp(path, "-") == 0 ? _("standard input") : path;
}

/* The capture comes from a pipe, a socket or a terminal (tcpdump -U -w - |):
 * each row is written as soon as it is known. */
static int
live_input(const char *path)
{
	struct stat st;
	int r = strcmp(path, "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(path, &st);

	return r == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode));
}

/* Nothing to show: the same message in batch and on screen. */
static void
warn_no_tcp(const char *name, const char *filter)
{
	if (filter != NULL && *filter != '\0')
		tt_warn(_("%s: no TCP stream passes the filter '%s'"), name, filter);
	else
		tt_warn(_("%s: no TCP stream in the capture"), name);
}

static void
warn_no_stream(const char *name, int stream, size_t n)
{
	if (n == 1)
		tt_warn(_("%s: no stream %d (the capture has one stream, 0)"), name, stream);
	else
		tt_warn(_("%s: no stream %d (the capture's streams are 0 to %zu)"), name, stream, n - 1);
}

/* The report (its header goes out with the first row); -1 when out of
 * memory. */
static int
rows_open(const struct tt_cli *cli, struct tt_report **repp)
{
	struct tt_report *rep = tt_report_new(stdout, cli->format);

	if (rep == NULL)
		return -1;
	if (cli->tcb)
		tt_report_tcb(rep);
	*repp = rep;
	return 0;
}

/* What batch mode does with the pump's rows and notes. A note comes as
 * its frame is read, before the rows of the frames ahead of it are out
 * (they wait for the table, or for their ACKs): it waits too, and goes out
 * between the rows of the frames before and after it, as the order of
 * the file has it. */
struct batch {
	const struct tt_cli *cli;
	const char *name;
	struct tt_report *rep;  /* NULL: --streams, only counting */
	unsigned long odd;      /* frames with notes */
	int headed;             /* the table's header is out: a run that ends in
	                           an error before any row prints none */
	unsigned nheld, said;   /* notes held; of them, out */
	struct {
		uint64_t frame;
		const char *why;        /* static, untranslated */
	} held[MAX_NOTES];
};

/* The notes held of frames before `frame` go out (all: UINT64_MAX). */
static void
notes_before(struct batch *b, uint64_t frame)
{
	for (; b->said < b->nheld && b->held[b->said].frame < frame; b->said++)
		tt_warn(_("%s: frame %" PRIu64 ": note: %s"), b->name, b->held[b->said].frame,
		        _(b->held[b->said].why));
}

static void
batch_note(void *arg, uint64_t frame, const char *why)
{
	struct batch *b = arg;

	if (b->odd++ < MAX_NOTES) {
		b->held[b->nheld].frame = frame;
		b->held[b->nheld++].why = why;
	}
}

static void
batch_row(void *arg, const struct cap_seg *seg, const char (*ep)[56])
{
	struct batch *b = arg;

	if (b->rep == NULL)
		return;
	if (b->said < b->nheld && b->held[b->said].frame < seg->frame) {
		tt_report_flush(b->rep);
		notes_before(b, seg->frame);
	}
	if (!b->headed)
		tt_report_header(b->rep);
	b->headed = 1;
	tt_report_seg(b->rep, seg, seg->stream, ep[seg->dir], ep[!seg->dir], b->cli->absolute, NULL);
}

static int
replay_batch(const struct tt_cli *cli, const char *path, const char *filter)
{
	const char *name = source_name(path);
	static const struct cap_pump_ops ops = { batch_note, batch_row };
	char err[512];
	struct cap_reader *f;
	struct cap_replay *r;
	struct tt_report *rep = NULL;
	struct batch b = { .cli = cli, .name = name };
	size_t n;
	int rc, status = TT_EXIT_OK;
	static char obuf[1 << 16];

	if (cap_reader_open(path, filter, &f, err, sizeof err) < 0) {
		tt_warn("%s: %s", name, err);
		return TT_EXIT_FAIL;
	}
	/* TSV rows show no state changes of their own: none are recorded */
	r = cap_replay_new(cli->streams ? 0
	                   : (cli->tcb ? CAP_ROWS | CAP_VIEWS : CAP_ROWS) |
	                             (cli->format == TT_FMT_TSV ? CAP_NO_EVENTS : 0));
	if (r == NULL || (!cli->streams && rows_open(cli, &rep) < 0)) {
		cap_replay_free(r);
		cap_reader_close(f);
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	/* one stream: the others are only numbered, not observed */
	if (cli->stream >= 0)
		cap_replay_follow(r, (size_t)cli->stream);
	/* rows from a pipe or a terminal go out one by one, as the packets come
	 * (tcpdump -U -w - | tcptutor replay --batch -); from a file they go
	 * in big writes, unless they go to a terminal */
	if (live_input(path))
		setvbuf(stdout, NULL, _IOLBF, 0);
	else if (!isatty(STDOUT_FILENO) && rep != NULL && cli->format == TT_FMT_TSV)
		tt_report_buffer(rep);  /* gathered, 64 KiB a write past stdio's buffer */
	else if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	/* a file's table runs in a thread of its own beside the reading and
	 * printing (or here, just slower); a pipe's packets are taken one by
	 * one as they come */
	b.rep = rep;
	rc = cap_replay_pump(f, r, cli->stream, !live_input(path), &ops, &b, err, sizeof err);
	n = cap_replay_nstreams(r);
	/* nothing to show: the message alone, no empty table before it */
	if (rc >= 0 && (n == 0 || (cli->stream >= 0 && (size_t)cli->stream >= n)))
		status = TT_EXIT_FAIL;
	tt_report_flush(rep);
	notes_before(&b, UINT64_MAX);   /* the frames' notes before the streams' table */
	if (status == TT_EXIT_OK && cli->streams)
		tt_report_streams(stdout, cli->format, r, cli->stream, NULL);
	else if (status == TT_EXIT_OK && !b.headed && rc >= 0)
		tt_report_header(rep);
	tt_report_flush(rep);
	if (b.odd > MAX_NOTES)
		tt_warn(_("%s: %lu more frames with notes"), name, b.odd - MAX_NOTES);
	fflush(stdout);
	if (rc < 0) {
		tt_warn("%s: %s", name, err);
		status = TT_EXIT_FAIL;
	} else if (n == 0) {
		warn_no_tcp(name, filter);
	} else if (cli->stream >= 0 && (size_t)cli->stream >= n) {
		warn_no_stream(name, cli->stream, n);
	}
	tt_report_free(rep);
	cap_replay_free(r);
	cap_reader_close(f);
	if (tt_flush_output() < 0)
		status = TT_EXIT_FAIL;
	return status;
}

/* ---- the step view -------------------------------------------------------- */

/* What the step view's callbacks see: the capture, and where it is damaged. */
struct view {
	struct cap_story *s;
	const char *damage;       /* the sentence shown, or NULL */
	size_t last;              /* the last step */
};

static const char *
story_detail(void *ctx, size_t i)
{
	struct view *v = ctx;

	return cap_story_detail(v->s, i);
}

/* A damaged capture says so where the story starts and where it ends. */
static const char *
story_narration(void *ctx, size_t i)
{
	struct view *v = ctx;

	return i == 0 || i == v->last ? v->damage : NULL;
}

/* The stream list, its column heads, and the damage above them when there
 * is any; the chosen index, or -1. */
static int
pick_stream(struct cap_story *s, const char *damage, size_t start, const struct ui_opts *opts)
{
	size_t n = cap_story_nstreams(s), i;
	char **items = calloc(n, sizeof *items);
	char head[1400];
	int ew = 9, got = -1;

	if (items == NULL)
		return -1;
	/* endpoint columns as wide as the widest endpoint */
	for (i = 0; i < n; i++) {
		const struct cap_stream_info *si = cap_story_stream(s, i);

		for (int k = 0; k < 2; k++)
			if ((int)strlen(si->endpoint[k]) > ew)
				ew = (int)strlen(si->endpoint[k]);
	}
	/* what tells streams apart, narrow enough for 80 columns
	 * (packet counts and handshakes: replay --streams) */
	snprintf(head, sizeof head, "%s%s   ", damage != NULL ? damage : "", damage != NULL ? "\n" : "");
	pad_cell(head, sizeof head, "#", 5);
	pad_cell(head, sizeof head, _("client"), ew + 1);
	pad_cell(head, sizeof head, _("server"), ew + 1);
	pad_cell(head, sizeof head, _("end"), 11);
	pad_cell(head, sizeof head, _("final states"), 0);
	for (i = 0; i < n; i++) {
		const struct cap_stream_info *si = cap_story_stream(s, i);
		char line[400], states[64];

		items[i] = malloc(sizeof line + 64);
		if (items[i] == NULL)
			break;
		snprintf(line, sizeof line, "%-4u %-*s %-*s ", si->index, ew, si->endpoint[0], ew,
		         si->endpoint[1]);
		pad_cell(line, sizeof line, end_label(si->end), 11);
		snprintf(states, sizeof states, "%s/%s", tt_state_name(si->final[0]),
		         tt_state_name(si->final[1]));
		snprintf(items[i], sizeof line + 64, "%s%s", line, states);
	}
	if (i == n)
		got = ui_pick_ex(_("Pick a TCP stream"), head, (const char *const *)items, n, start, opts);
	for (i = 0; i < n; i++)
		free(items[i]);
	free(items);
	return got;
}

/* Steps through stream `pick`; an exit status. */
static int
view_stream(struct cap_story *s, size_t pick, const char *name, const char *damage,
            const char *frame, const struct ui_opts *opts)
{
	const struct cap_stream_info *si = cap_story_stream(s, pick);
	struct ui_story story;
	struct view v = { s, damage, 0 };
	char title[512];

	/* the file's own name: a long path would push the rest off the bar */
	if (strrchr(name, '/') != NULL && strrchr(name, '/')[1] != '\0')
		name = strrchr(name, '/') + 1;
	if (damage == NULL)
		snprintf(title, sizeof title, _("%s, stream %zu"), name, pick);
	else if (frame[0] != '\0')
		snprintf(title, sizeof title, _("%s, stream %zu, damaged at frame %s"), name, pick, frame);
	else
		snprintf(title, sizeof title, _("%s, stream %zu, damaged"), name, pick);
	memset(&story, 0, sizeof story);
	story.title = title;
	story.endpoint[0] = si->endpoint[0];
	story.endpoint[1] = si->endpoint[1];
	story.nsteps = cap_story_nsteps(s);
	story.steps = cap_story_steps(s);
	story.replay = 1;
	story.ctx = &v;
	story.detail = story_detail;
	v.last = story.nsteps > 0 ? story.nsteps - 1 : 0;
	if (damage != NULL)
		story.narration = story_narration;
	return tt_ui_result(ui_stepview(&story, opts));
}

static int
replay_tui(const struct tt_cli *cli, const char *path, const char *filter)
{
	const char *name = source_name(path);
	char err[512], damage[700], frame[24], warnbuf[512];
	const char *warning = NULL;
	struct cap_story *s;
	struct ui_opts opts;
	size_t n, pick = 0;
	int rc;

	rc = cap_story_open(path, filter, &s, err, sizeof err);
	if (rc == -2)
		warn_no_tcp(name, filter);
	else if (rc < 0)
		tt_warn("%s: %s", name, err);
	if (rc < 0)
		return TT_EXIT_FAIL;
	n = cap_story_nstreams(s);
	if (cli->stream >= 0 && (size_t)cli->stream >= n) {
		warn_no_stream(name, cli->stream, n);
		cap_story_free(s);
		return TT_EXIT_FAIL;
	}
	/* the capture came through standard input: the keys come from the
	 * terminal itself */
	if (strcmp(path, "-") == 0 && !isatty(STDIN_FILENO) &&
	    freopen("/dev/tty", "r", stdin) == NULL) {
		tt_warn("%s", _("no terminal to read keys from (use --batch)"));
		cap_story_free(s);
		return TT_EXIT_FAIL;
	}
	tt_ui_opts(cli, &opts);
	opts.absolute = 0;          /* as before: --absolute is for replay's tables */
	/* the damage is said where the story starts and ends, and in the title
	 * (the warning names the frame already: "frame N: what") */
	/* a copy: selecting a stream reads the file again and renews the story's */
	if (cap_story_warning(s) != NULL) {
		snprintf(warnbuf, sizeof warnbuf, "%s", cap_story_warning(s));
		warning = warnbuf;
	}
	if (warning != NULL)
		snprintf(damage, sizeof damage,
		         _("The capture is damaged: %s. Nothing after it could be read."), warning);
	frame[0] = '\0';
	if (cap_story_damage_frame(s) > 0)
		snprintf(frame, sizeof frame, "%" PRIu64, cap_story_damage_frame(s));
	if (cli->stream >= 0)
		pick = (size_t)cli->stream;
	for (;;) {
		/* q in a stream chosen from the list comes back to the list */
		int listed = cli->stream < 0 && n > 1;

		if (listed) {
			int got = pick_stream(s, warning != NULL ? damage : NULL, pick, &opts);

			if (got < 0) {
				/* cancelled, or no terminal to choose on */
				rc = ui_error()[0] != '\0' ? tt_ui_result(TT_EXIT_FAIL) : TT_EXIT_OK;
				break;
			}
			pick = (size_t)got;
		}
		if (cap_story_select(s, pick, err, sizeof err) < 0) {
			tt_warn("%s: %s", name, err);
			cap_story_free(s);
			return TT_EXIT_FAIL;
		}
		rc = view_stream(s, pick, name, warning != NULL ? damage : NULL, frame, &opts);
		if (!listed || rc != 0)
			break;
	}
	/* damage is an error on screen as in batch: said again, status 1 */
	if (warning != NULL) {
		tt_warn("%s: %s", name, warning);
		if (rc == TT_EXIT_OK)
			rc = TT_EXIT_FAIL;
	}
	cap_story_free(s);
	return rc;
}

int
cmd_replay(const struct tt_cli *cli, int argc, char **argv)
{
	char sample[4096];
	const char *path;
	char *filter;
	int rc;

	if (argc > 0) {
		path = argv[0];
	} else {
		snprintf(sample, sizeof sample, "%s/%s", cli->datadir, SAMPLE);
		path = sample;
	}
	/* a capture on standard input comes from a pipe or a file: from the
	 * terminal, replay would only wait for bytes nobody types */
	if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO)) {
		tt_warn("%s", _("standard input is a terminal: give a capture file, or pipe one in "
		                "(tcpdump -U -w - | tcptutor replay -)"));
		tt_usage_hint();
		return TT_EXIT_USAGE;
	}
	filter = tt_join_words(argc > 1 ? argc - 1 : 0, argv + 1);
	if (filter == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	if (cli->batch || cli->streams)
		rc = replay_batch(cli, path, filter);
	else
		rc = replay_tui(cli, path, filter);
	free(filter);
	return rc;
}
