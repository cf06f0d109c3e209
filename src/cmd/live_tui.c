/* cmd/live_tui.c: the step view of `tcptutor live`.
 *
 * Every settled row of the live pipeline (live.h) becomes a step, as
 * replay's story makes them (capture/story.c): all streams in one story,
 * the conn column telling them apart, the endpoints of the current step's
 * stream over the ladder. The narration of a step is the kernel's word on it. The
 * view polls the pipeline every POLL_MS and follows the newest step until
 * the user steps back (ui_live).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/base.h"
#include "cmd/cmd.h"
#include "i18n.h"
#include "cmd/live.h"
#include "ui/ui.h"

#define POLL_MS 20        /* a burst waits in the capture's ring meanwhile */

struct tui {
	struct live *lv;
	struct ui_story story;
	struct tt_step *steps;
	size_t nsteps, cap;
	struct kinfo {              /* per step: the kernel's word */
		signed char k[2];   /* enum tt_state, -1: not local / none */
		unsigned char has[2]; /* pr[h] is tcp:tcp_probe's at host h */
		const char *why;    /* translated, or NULL */
		long last[2];       /* the latest step of this stream with pr[h], -1 */
		long prev;          /* the step before in this stream, -1 */
		struct kn_probe pr[2];
	} *kin;
	uint32_t (*base)[2];        /* per shown stream: each side's ISN, if known */
	unsigned char (*known)[2];
	long (*lastp)[2];           /* per shown stream: its latest step with a probe */
	long *lasts;                /* per shown stream: its latest step */
	char (*eps)[2][64];         /* per shown stream: client's, server's addr:port */
	size_t nbase;
	char ep[2][64];
	char title[256];
	char nar[2048];
	struct cap_pkt *pkts;       /* per step: the decoded packet, for the detail view */
	unsigned char *haspkt;
	char det[8192];
	char err[512];
	int broke;
};

/* Room for one more step in each per-step array (they grow alike). */
static int
grow(struct tui *t)
{
	size_t c[4] = { t->cap, t->cap, t->cap, t->cap }, need = t->cap + 1;

	if (tt_grow(&t->steps, &c[0], need, sizeof *t->steps, 256) < 0 ||
	    tt_grow(&t->kin, &c[1], need, sizeof *t->kin, 256) < 0 ||
	    tt_grow(&t->pkts, &c[2], need, sizeof *t->pkts, 256) < 0 ||
	    tt_grow(&t->haspkt, &c[3], need, 1, 256) < 0)
		return -1;
	t->cap = c[0];
	return 0;
}

/* Room for stream `stream` in each per-stream array, the new ones empty. */
static int
grow_base(struct tui *t, unsigned stream)
{
	size_t c[5] = { t->nbase, t->nbase, t->nbase, t->nbase, t->nbase }, need = stream + 1;

	if (tt_grow(&t->base, &c[0], need, sizeof *t->base, 16) < 0 ||
	    tt_grow(&t->known, &c[1], need, sizeof *t->known, 16) < 0 ||
	    tt_grow(&t->lastp, &c[2], need, sizeof *t->lastp, 16) < 0 ||
	    tt_grow(&t->lasts, &c[3], need, sizeof *t->lasts, 16) < 0 ||
	    tt_grow(&t->eps, &c[4], need, sizeof *t->eps, 16) < 0)
		return -1;
	memset(t->known + t->nbase, 0, (c[0] - t->nbase) * sizeof *t->known);
	for (size_t i = t->nbase; i < c[0]; i++) {
		t->lastp[i][0] = t->lastp[i][1] = t->lasts[i] = -1;
		t->eps[i][0][0] = t->eps[i][1][0] = '\0';
	}
	t->nbase = c[0];
	return 0;
}

/* The kernel's word and figures of the step just added (tui_emit). */
static void
keep_word(struct tui *t, unsigned stream, const struct live_word *kw)
{
	struct kinfo *ki = &t->kin[t->nsteps];

	memset(ki, 0, sizeof *ki);
	for (int h = 0; h < 2; h++) {
		ki->k[h] = (signed char)(kw != NULL && kw->state[h] != NULL ?
		                         tt_state_from_name(kw->state[h]) : -1);
		if (kw != NULL && kw->probe[h] != NULL) {
			ki->pr[h] = *kw->probe[h];
			ki->has[h] = 1;
			t->lastp[stream][h] = (long)t->nsteps;
		}
		ki->last[h] = t->lastp[stream][h];
	}
	ki->why = kw != NULL ? kw->why : NULL;
	ki->prev = t->lasts[stream];
	t->lasts[stream] = (long)t->nsteps;
}

static void
tui_emit(struct live *lv, const struct cap_seg *row, unsigned stream, const char *src,
         const char *dst, const struct live_word *kw, const struct cap_pkt *pkt)
{
	struct tui *t = lv->ctx;
	struct tt_step *st;

	if ((t->nsteps == t->cap && grow(t) < 0) || (stream >= t->nbase && grow_base(t, stream) < 0)) {
		t->broke = 1;
		return;
	}
	/* each stream's endpoints head the ladder at its steps */
	snprintf(t->eps[stream][row->dir], sizeof t->eps[0][0], "%s", src);
	snprintf(t->eps[stream][!row->dir], sizeof t->eps[0][0], "%s", dst);
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
	t->haspkt[t->nsteps] = pkt != NULL;
	if (pkt != NULL) {
		st->seg.mss = pkt->opt.mss;
		st->seg.up = pkt->urp;
		t->pkts[t->nsteps] = *pkt;
	}
	cap_step_fill(st, row, t->base[stream], t->known[stream]);
	keep_word(t, stream, kw);
	t->nsteps++;
}

static const char *
tui_endpoint(void *ctx, size_t i, int h)
{
	struct tui *t = ctx;

	if (i >= t->nsteps || t->steps[i].stream >= t->nbase)
		return NULL;
	return t->eps[t->steps[i].stream][h & 1];
}

static int
tui_poll(void *ctx)
{
	struct tui *t = ctx;
	size_t before = t->nsteps;

	if (!t->lv->capture_done && !t->broke && t->lv->rd != NULL &&
	    live_pump(t->lv, 0, t->err, sizeof t->err) < 0)
		t->broke = 1;
	if (t->lv->rd == NULL || t->lv->capture_done)
		live_reap(t->lv, kn_now());     /* no capture: the command may still end */
	if (t->lv->cli->seconds_ms &&
	    kn_now() - t->lv->start_ns >= t->lv->cli->seconds_ms * 1000000 && !t->lv->capture_done) {
		live_finish(t->lv);
		t->lv->capture_done = 1;
	}
	t->story.steps = t->steps;
	t->story.nsteps = t->nsteps;
	return t->nsteps != before;
}

/* A note of the status line as a sentence of its own. */
static size_t
add_note(char *buf, size_t at, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (at >= len || n == 0)
		return at;
	if (s[n - 1] == '.' || (n >= 3 && strcmp(s + n - 3, "。") == 0))
		return at + (size_t)snprintf(buf + at, len - at, "%s ", s);
	return at + (size_t)snprintf(buf + at, len - at, _("%s. "), s);
}

static void
tui_status(void *ctx, char *buf, size_t len)
{
	struct tui *t = ctx;
	struct live *lv = t->lv;
	size_t at = 0;

	buf[0] = '\0';
	if (lv->rd == NULL)
		at = add_note(buf, at, len, lv->no_capture);
	if (t->broke && at < len)
		at += (size_t)snprintf(buf + at, len - at, _("The capture stopped: %s. "), t->err);
	at = add_note(buf, at, len, lv->kernel_note);
	if (lv->rd != NULL)
		at = add_note(buf, at, len, lv->probe_note);
	if (lv->rd != NULL && cap_reader_drops(lv->rd) > 0 && at < len)
		at += (size_t)snprintf(buf + at, len - at, _("The system dropped %" PRIu64 " packets "
		                                             "the capture did not read in time: segments "
		                                             "may be missing. "),
		                       cap_reader_drops(lv->rd));
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

/* "17 us", "1.2 ms" (sp: the space between) */
static void
fmt_us(uint64_t us, const char *sp, char *buf, size_t len)
{
	if (us < 10000)
		snprintf(buf, len, "%" PRIu64 "%sus", us, sp);
	else
		snprintf(buf, len, "%.1f%sms", (double)us / 1000, sp);
}

static void
fmt_count(uint32_t v, char *buf, size_t len)
{
	if (v >= KN_NO_SSTHRESH)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRIu32, v);
}

static size_t
tui_tcb_kernel(void *ctx, size_t i, int h, char (*piece)[32], size_t max)
{
	struct tui *t = ctx;
	const struct kn_probe *p;
	char a[20];

	if (i >= t->nsteps || t->kin[i].last[h] < 0 || max < 4)
		return 0;
	p = &t->kin[t->kin[i].last[h]].pr[h];
	/* the most telling first: what does not fit is left out */
	snprintf(piece[0], sizeof piece[0], "cwnd %" PRIu32, p->cwnd);
	fmt_us(p->srtt_us, "", a, sizeof a);
	snprintf(piece[1], sizeof piece[1], "SRTT %s", a);
	fmt_count(p->ssthresh, a, sizeof a);
	snprintf(piece[2], sizeof piece[2], "ssthresh %s", a);
	snprintf(piece[3], sizeof piece[3], "SND.WND %" PRIu32, p->snd_wnd);
	return 4;
}

/* tcp:tcp_probe's figures at the receiver of step i, beside the engine's
 * for that endpoint before the step (the probe fires before the kernel
 * handles the segment). */
static void
probe_sentence(const struct tui *t, size_t i, char *buf, size_t len)
{
	const struct kinfo *k = &t->kin[i];
	int h = !t->steps[i].dir;
	const struct kn_probe *p = &k->pr[h];
	const struct tt_tcb_view *e = k->prev >= 0 ? &t->steps[k->prev].tcb[h] : &t->steps[i].tcb[h];
	char kss[64], krtt[24], ess[64], ertt[24];
	size_t at;

	buf[0] = '\0';
	if (!k->has[h])
		return;
	if (p->ssthresh >= KN_NO_SSTHRESH)
		snprintf(kss, sizeof kss, "%s", _("not set yet"));
	else
		snprintf(kss, sizeof kss, "%" PRIu32, p->ssthresh);
	fmt_us(p->srtt_us, " ", krtt, sizeof krtt);
	at = (size_t)snprintf(buf, len,
	                      _(" tcp:tcp_probe at the %s as this segment arrived: cwnd %" PRIu32
	                        " segments, ssthresh %s, SRTT %s, SND.WND %" PRIu32 "."),
	                      h ? _("server") : _("client"), p->cwnd, kss, krtt, p->snd_wnd);
	if (at >= len)
		return;
	if (e->cwnd == 0) {
		snprintf(buf + at, len - at,
		         _(" The engine's model of it: SND.WND %" PRIu32 "; it keeps no cwnd, ssthresh "
		           "or SRTT, as it sees only the wire."), e->snd_wnd);
		return;
	}
	if (e->ssthresh >= KN_NO_SSTHRESH)
		snprintf(ess, sizeof ess, "%s", _("not set yet"));
	else
		snprintf(ess, sizeof ess, "%" PRIu32, e->ssthresh);
	if (e->rtt_valid)
		fmt_us((uint64_t)e->srtt, " ", ertt, sizeof ertt);
	else
		snprintf(ertt, sizeof ertt, "-");
	snprintf(buf + at, len - at,
	         _(" The engine's model of it: cwnd %" PRIu32 " bytes, ssthresh %s, SRTT %s, "
	           "SND.WND %" PRIu32 "."), e->cwnd, ess, ertt, e->snd_wnd);
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

		/* TRANSLATORS: after the kernel's states, the reason they differ */
		snprintf(t->nar + at, sizeof t->nar - at, _(" It differs from the inference: %s"),
		         k->why);
	}
	{
		size_t at = strlen(t->nar);

		probe_sentence(t, i, t->nar + at, sizeof t->nar - at);
	}
	return t->nar;
}

/* Enter: the headers and decoded options as replay shows a capture's,
 * then the kernel's word. */
static const char *
tui_detail(void *ctx, size_t i)
{
	struct tui *t = ctx;
	const char *nar;
	size_t at;

	if (i >= t->nsteps || !t->haspkt[i])
		return NULL;
	at = cap_pkt_detail(&t->pkts[i], &t->steps[i], t->lv->linktype, t->det, sizeof t->det);
	nar = tui_narration(ctx, i);
	if (nar != NULL && at < sizeof t->det)
		snprintf(t->det + at, sizeof t->det - at, "\n%s\n", nar);
	return t->det;
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
	t.story.endpoint_of = tui_endpoint;
	t.story.detail = tui_detail;
	if (lv->k != NULL)
		t.story.tcb_kernel = tui_tcb_kernel;
	tt_ui_opts(cli, &opts);
	opts.autoplay = 0;          /* it follows the newest step instead */
	opts.autoplay_ms = 0;
	memset(&ul, 0, sizeof ul);
	ul.ctx = &t;
	ul.poll = tui_poll;
	ul.poll_ms = POLL_MS;
	ul.status = tui_status;
	ul.empty = lv->rd != NULL ? _("Waiting for the first TCP segment...") :
	           _("No packets can be captured (see above); tcptutor live --batch shows the "
	             "kernel's state changes alone.");
	rc = tt_ui_result(ui_live(&t.story, &opts, &ul));
	if (t.broke)
		tt_warn("%s: %s", lv->iface, t.err);
	free(t.steps);
	free(t.kin);
	free(t.base);
	free(t.known);
	free(t.lastp);
	free(t.lasts);
	free(t.eps);
	free(t.pkts);
	free(t.haspkt);
	return rc != 0 ? rc : t.broke ? TT_EXIT_FAIL : TT_EXIT_OK;
}
