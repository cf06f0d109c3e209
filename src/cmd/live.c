/* cmd/live.c: the 'live' subcommand.
 *
 * Opens the pipeline (cmd/live_pipe.c: a live capture through the stream
 * table, each row settled with the kernel's word), starts the command of
 * `live -- COMMAND`, then prints each row as it is settled (batch, through
 * report/) or hands the pipeline to the step view (cmd/live_tui.c).
 */
#include "config.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "cmd/cmd.h"
#include "cmd/live.h"
#include "i18n.h"
#include "kernel/kernel.h"
#include "report/report.h"
#include "report/streams.h"

static volatile sig_atomic_t stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

/* ---- batch ------------------------------------------------------------------ */

struct batch {
	struct tt_report *rep;
};

static void
batch_emit(struct live *lv, const struct cap_seg *seg, unsigned stream, const char *src,
           const char *dst, const struct live_word *kw, const struct cap_pkt *pkt)
{
	struct batch *b = lv->ctx;
	struct tt_probe_fig fig[2];
	struct tt_seg_word w = { { NULL, NULL }, NULL, { NULL, NULL } };

	(void)pkt;
	if (lv->cli->streams)
		return;
	if (lv->cli->stream >= 0 && (unsigned)lv->cli->stream != stream)
		return;
	for (int h = 0; kw != NULL && h < 2; h++) {
		const struct kn_probe *p = kw->probe[h];

		if (p == NULL)
			continue;
		fig[h] = (struct tt_probe_fig){ p->cwnd, p->ssthresh, p->srtt_us, p->snd_wnd };
		w.probe[h] = &fig[h];
	}
	if (kw != NULL) {
		w.kernel[0] = kw->state[0];
		w.kernel[1] = kw->state[1];
		w.why = kw->why;
	}
	tt_report_seg(b->rep, seg, stream, src, dst, lv->cli->absolute, kw != NULL ? &w : NULL);
	fflush(stdout);
}

static void
batch_note(struct live *lv, uint64_t frame, const char *why)
{
	tt_warn(_("%s: frame %" PRIu64 ": note: %s"), lv->iface, frame, _(why));
}

/* Without packets: the kernel's transitions as they come. */
static void
print_records(struct live *lv, uint64_t *cursor)
{
	struct kn_record r;
	char a[64], b[64];

	while (kn_next_record(lv->k, cursor, &r)) {
		if (r.old < 0)
			continue;       /* what was there before we started */
		cap_endpoint(r.ipver, r.addr, r.port, a, sizeof a);
		cap_endpoint(r.ipver, r.peer, r.pport, b, sizeof b);
		tt_report_kernel_change(stdout, lv->cli->format, r.t - lv->start_ns, a, b,
		                        (enum tt_state)r.old, (enum tt_state)r.now);
		fflush(stdout);
	}
}

/* What the kernel view lacks, and (as tcpdump says "listening on") that
 * from here on nothing is missed. */
static void
say_start(struct live *lv)
{
	if (lv->kernel_note[0] != '\0')
		tt_warn("%s", lv->kernel_note);
	if (lv->probe_note[0] != '\0' && lv->rd != NULL)
		tt_warn("%s", lv->probe_note);
	if (lv->rd != NULL)
		tt_warn(_("capturing on %s; the kernel's states: %s"), lv->iface,
		        kn_source_of(lv->k) == KN_TRACE && lv->probe_note[0] == '\0' ?
		        _("tracepoint sock:inet_sock_set_state, figures from tcp:tcp_probe") :
		        kn_source_of(lv->k) == KN_TRACE ? _("tracepoint sock:inet_sock_set_state") :
		        kn_source_of(lv->k) == KN_DIAG ? _("sock_diag polling") : _("none"));
}

static int
live_batch(const struct tt_cli *cli, struct live *lv)
{
	struct batch b;
	struct sigaction sa, old_int, old_term;
	char err[512];
	int status = TT_EXIT_OK;
	int64_t deadline;
	uint64_t cursor = 0;

	memset(&b, 0, sizeof b);
	lv->ctx = &b;
	lv->emit = batch_emit;
	lv->note = batch_note;
	b.rep = tt_report_new(stdout, cli->format);
	if (b.rep == NULL) {
		tt_warn("%s", _("out of memory"));
		return TT_EXIT_FAIL;
	}
	if (lv->k != NULL)
		tt_report_kernel(b.rep);
	if (lv->rd == NULL) {
		tt_warn("%s", lv->no_capture);
		tt_warn("%s", _("showing the kernel's TCP state changes only (sock_diag), without packets"));
		tt_report_kernel_header(stdout, cli->format);
	} else if (!cli->streams) {
		tt_report_header(b.rep);
	}
	say_start(lv);
	fflush(stdout);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	lv->start_ns = kn_now();
	deadline = cli->seconds_ms ? lv->start_ns + cli->seconds_ms * 1000000 : 0;
	while (!stop_signal && !lv->capture_done) {
		int64_t now = kn_now();
		int wait = 1000;

		if (deadline && now >= deadline)
			break;
		if (deadline && (deadline - now) / 1000000 < wait)
			wait = (int)((deadline - now) / 1000000) + 1;
		/* after the command: until its last segments are in */
		if (lv->child_done) {
			if (now - lv->last_wall > (int64_t)LIVE_IDLE_MS * 1000000 * 2 &&
			    now - lv->child_done_at > (int64_t)LIVE_IDLE_MS * 1000000 * 2)
				break;
			if (wait > LIVE_IDLE_MS)
				wait = LIVE_IDLE_MS;
		}
		if (live_pump(lv, wait, err, sizeof err) < 0) {
			tt_warn("%s: %s", lv->iface, err);
			status = TT_EXIT_FAIL;
			break;
		}
		if (lv->rd == NULL)
			print_records(lv, &cursor);
	}
	live_finish(lv);
	if (lv->rd == NULL)
		print_records(lv, &cursor);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (cli->streams && lv->rd != NULL) {
		/* the streams shown, numbered as shown */
		size_t n = cap_replay_nstreams(lv->r);
		int *map = calloc(n ? n : 1, sizeof *map);

		if (map != NULL) {
			for (size_t i = 0; i < n; i++)
				map[i] = i < lv->nmap && lv->map[i] != LIVE_UNDECIDED ? lv->map[i] :
				         lv->following ? -1 : (int)i;
			tt_report_streams(stdout, cli->format, lv->r, cli->stream, map);
			free(map);
		}
	}
	if (lv->odd > LIVE_MAX_NOTES)
		tt_warn(_("%s: %lu more frames with notes"), lv->iface, lv->odd - LIVE_MAX_NOTES);
	if (lv->kernel_broke)
		tt_warn("%s", lv->kernel_err);
	if (lv->rd != NULL && cap_reader_drops(lv->rd) > 0)
		tt_warn(_("%s: the system dropped %" PRIu64 " packets the capture did not read in "
		          "time; the rows may miss segments"), lv->iface, cap_reader_drops(lv->rd));
	if (tt_flush_output() < 0)
		status = TT_EXIT_FAIL;
	tt_report_free(b.rep);
	return status;
}

int
cmd_live(const struct tt_cli *cli, int argc, char **argv)
{
	struct live lv;
	char err[512];
	int rc;

	if (cli->write_path != NULL) {
		tt_warn("%s", _("--write is for 'lesson' and 'sandbox'"));
		return tt_usage_hint();
	}
	if (live_open(&lv, cli, argc, argv, err, sizeof err) < 0) {
		tt_warn("%s", err);
		live_close(&lv);
		return TT_EXIT_FAIL;
	}
	if (cli->command != NULL &&
	    live_start_command(&lv, cli->command, !(cli->batch || cli->streams), err, sizeof err) < 0) {
		tt_warn("%s", err);
		live_close(&lv);
		return TT_EXIT_FAIL;
	}
	if (cli->batch || cli->streams)
		rc = live_batch(cli, &lv);
	else
		rc = live_tui(cli, &lv);
	live_close(&lv);
	return rc;
}
