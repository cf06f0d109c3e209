/* cmd_live_tui.c: the step view of `tcptutor live`.
 *
 * Every settled row of the live pipeline (live.h) becomes a step, as
 * replay's story makes them (capture/story.c): all streams in one story,
 * the conn column telling them apart, the newest stream's endpoints over
 * the ladder. The narration of a step is the kernel's word on it. The
 * view polls the pipeline every POLL_MS and follows the newest step until
 * the user steps back (ui_live).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"
#include "i18n.h"
#include "live.h"
#include "ui/ui.h"

#define POLL_MS 100

struct tui {
	struct live *lv;
	struct ui_story story;
	struct tt_step *steps;
	size_t nsteps, cap;
	struct kinfo {              /* per step: the kernel's word */
		signed char k[2];   /* enum tt_state, -1: not local / none */
		const char *why;    /* translated, or NULL */
	} *kin;
	uint32_t (*base)[2];        /* per shown stream: each side's ISN, if known */
	unsigned char (*known)[2];
	size_t nbase;
	char ep[2][64];
	char title[256];
	char nar[1024];
	char err[512];
	int broke;
};

static int
grow(struct tui *t)
{
	size_t n = t->cap ? t->cap * 2 : 256;
	struct tt_step *s = realloc(t->steps, n * sizeof *s);
	struct kinfo *k;

	if (s == NULL)
		return -1;
	t->steps = s;
	if ((k = realloc(t->kin, n * sizeof *k)) == NULL)
		return -1;
	t->kin = k;
	t->cap = n;
	return 0;
}

static int
grow_base(struct tui *t, unsigned stream)
{
	size_t n = t->nbase ? t->nbase : 16;
	uint32_t (*b)[2];
	unsigned char (*k)[2];

	while (n <= stream)
		n *= 2;
	if ((b = realloc(t->base, n * sizeof *b)) == NULL)
		return -1;
	t->base = b;
	if ((k = realloc(t->known, n * sizeof *k)) == NULL)
		return -1;
	t->known = k;
	memset(t->known + t->nbase, 0, (n - t->nbase) * sizeof *k);
	t->nbase = n;
	return 0;
}

static void
tui_emit(struct live *lv, const struct cap_seg *row, unsigned stream, const char *src,
         const char *dst, const char *const *kernel, const char *why, const struct cap_pkt *pkt)
{
	struct tui *t = lv->ctx;
	struct tt_step *st;

	if ((t->nsteps == t->cap && grow(t) < 0) || (stream >= t->nbase && grow_base(t, stream) < 0)) {
		t->broke = 1;
		return;
	}
	/* the newest stream's endpoints head the ladder */
	snprintf(t->ep[row->dir], sizeof t->ep[0], "%s", src);
	snprintf(t->ep[!row->dir], sizeof t->ep[0], "%s", dst);
	if (!t->known[stream][row->dir]) {
		t->base[stream][row->dir] = row->seq - row->rel_seq;
		t->known[stream][row->dir] = 1;
	}
	if (!t->known[stream][!row->dir] && (row->flags & TT_ACK)) {
		t->base[stream][!row->dir] = row->ack - row->rel_ack;
		t->known[stream][!row->dir] = 1;
	}
	st = &t->steps[t->nsteps];
	memset(st, 0, sizeof *st);
	st->kind = TT_STEP_SEGMENT;
	st->frame = row->frame;
	st->time = row->time_ns / 1000;
	st->arrival = st->time;
	st->dir = row->dir;
	st->stream = stream;
	st->seg.seq = row->seq;
	st->seg.ack = row->ack;
	st->seg.wnd = row->win;
	st->seg.flags = row->flags;
	st->seg.len = row->len;
	if (pkt != NULL) {
		st->seg.mss = pkt->opt.mss;
		st->seg.up = pkt->urp;
	}
	st->notes = row->notes;
	for (unsigned k = 0; k < row->nev && k < TT_STEP_EVENTS; k++) {
		st->ev[st->nev].host = row->ev[k].host;
		st->ev[st->nev].ev = row->ev[k].ev;
		st->nev++;
	}
	st->crossed_after = row->arrived_after;
	st->inferred = (row->obs & TT_OBS_INFERRED) != 0;
	st->lost = (row->obs & TT_OBS_LOST) != 0;
	for (int d = 0; d < 2; d++) {
		struct tt_tcb_view *v = &st->tcb[d];

		*v = row->tcb[d];
		if (t->known[stream][d])
			v->iss = t->base[stream][d];
		if (t->known[stream][!d])
			v->irs = t->base[stream][!d];
		v->rto = 0;
		v->rtx_at = v->tw_at = v->ka_at = v->delack_at = v->user_at = v->fw2_at = TT_NEVER;
	}
	for (int h = 0; h < 2; h++)
		t->kin[t->nsteps].k[h] = (signed char)(kernel != NULL && kernel[h] != NULL ?
		                                       tt_state_from_name(kernel[h]) : -1);
	t->kin[t->nsteps].why = why;
	t->nsteps++;
}

static int
tui_poll(void *ctx)
{
	struct tui *t = ctx;
	size_t before = t->nsteps;

	if (!t->lv->capture_done && !t->broke && t->lv->rd != NULL &&
	    live_pump(t->lv, 0, t->err, sizeof t->err) < 0)
		t->broke = 1;
	if (t->lv->rd == NULL || t->lv->capture_done) {
		/* --count reached or no capture: the command may still end */
		if (t->lv->child > 0 && waitpid(t->lv->child, &t->lv->child_status, WNOHANG) == t->lv->child) {
			t->lv->child = -1;
			t->lv->child_done = 1;
		}
	}
	if (t->lv->cli->seconds_ms &&
	    kn_now() - t->lv->start_ns >= t->lv->cli->seconds_ms * 1000000 && !t->lv->capture_done) {
		live_finish(t->lv);
		t->lv->capture_done = 1;
	}
	t->story.steps = t->steps;
	t->story.nsteps = t->nsteps;
	return t->nsteps != before;
}

static void
tui_status(void *ctx, char *buf, size_t len)
{
	struct tui *t = ctx;
	struct live *lv = t->lv;
	size_t at = 0;

	buf[0] = '\0';
	if (lv->rd == NULL)
		at += (size_t)snprintf(buf + at, len - at, "%s ", lv->no_capture);
	if (t->broke && at < len)
		at += (size_t)snprintf(buf + at, len - at, _("The capture stopped: %s. "), t->err);
	if (lv->kernel_note[0] != '\0' && at < len)
		at += (size_t)snprintf(buf + at, len - at, "%s ", lv->kernel_note);
	if (lv->capture_done && at < len)
		at += (size_t)snprintf(buf + at, len - at, "%s ", _("The capture has ended."));
	if (lv->child_done && at < len) {
		int st = lv->child_status;

		if (WIFEXITED(st))
			snprintf(buf + at, len - at, _("The command exited with status %d."), WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			snprintf(buf + at, len - at, _("The command was ended by signal %d."), WTERMSIG(st));
	}
}

static const char *
tui_narration(void *ctx, size_t i)
{
	struct tui *t = ctx;
	const struct kinfo *k;

	if (i >= t->nsteps || t->lv->k == NULL)
		return NULL;
	k = &t->kin[i];
	snprintf(t->nar, sizeof t->nar, _("The kernel (%s): client %s, server %s."),
	         kn_source_of(t->lv->k) == KN_TRACE ? _("tracepoint") : _("sock_diag"),
	         k->k[0] >= 0 ? tt_state_name((enum tt_state)k->k[0]) : "-",
	         k->k[1] >= 0 ? tt_state_name((enum tt_state)k->k[1]) : "-");
	if (k->why != NULL) {
		size_t at = strlen(t->nar);

		snprintf(t->nar + at, sizeof t->nar - at, " %s %s",
		         _("It differs from the inference:"), k->why);
	}
	return t->nar;
}

int
live_tui(const struct tt_cli *cli, struct live *lv)
{
	struct tui t;
	struct ui_opts opts;
	struct ui_live ul;
	int rc;

	memset(&t, 0, sizeof t);
	t.lv = lv;
	lv->ctx = &t;
	lv->emit = tui_emit;
	lv->note = NULL;
	lv->start_ns = kn_now();
	snprintf(t.ep[0], sizeof t.ep[0], "-");
	snprintf(t.ep[1], sizeof t.ep[1], "-");
	if (cli->command != NULL)
		snprintf(t.title, sizeof t.title, _("live on %s: %s"), lv->iface, cli->command[0]);
	else
		snprintf(t.title, sizeof t.title, _("live on %s"), lv->iface);
	t.story.title = t.title;
	t.story.endpoint[0] = t.ep[0];
	t.story.endpoint[1] = t.ep[1];
	t.story.replay = 1;
	t.story.ctx = &t;
	t.story.narration = tui_narration;
	memset(&opts, 0, sizeof opts);
	opts.zh = cli->zh;
	opts.present = cli->present;
	opts.absolute = cli->absolute;
	memset(&ul, 0, sizeof ul);
	ul.ctx = &t;
	ul.poll = tui_poll;
	ul.poll_ms = POLL_MS;
	ul.status = tui_status;
	ul.empty = lv->rd != NULL ? _("Waiting for the first TCP segment...") :
	           _("No packets can be captured (see above); tcptutor live --batch shows the "
	             "kernel's state changes alone.");
	rc = ui_live(&t.story, &opts, &ul);
	if (t.broke)
		tt_warn("%s: %s", lv->iface, t.err);
	free(t.steps);
	free(t.kin);
	free(t.base);
	free(t.known);
	return rc != 0 ? rc : t.broke ? TT_EXIT_FAIL : TT_EXIT_OK;
}
