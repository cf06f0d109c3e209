/* ui/svtcb.c: the step view's TCB panel: both hosts' variables after the
 * step on screen, those that changed in it highlighted. A tall panel
 * shows one variable a row; a short one two a row, relative to ISS and IRS
 * when they would not fit, and leaves out what still does not. A capture
 * shows "-" for what it cannot know. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui/svdraw.h"

enum tcbrow {
	T_STATE, T_ISS, T_IRS, T_SUNA, T_SNXT, T_SWND, T_RNXT, T_RWND, T_CWND, T_SSTH, T_RTT,
	T_TIMERS, T_N
};

static const char *const tcb_names[T_N] = {
	/* the RFC's names as they are; the two words translated where shown */
	N_("state"), "ISS", "IRS", "SND.UNA", "SND.NXT", "SND.WND", "RCV.NXT", "RCV.WND", "cwnd",
	"ssthresh", "SRTT/RTO", N_("timers")
};

/* How the numbers are written: as they are, relative to ISS and IRS (so
 * that they fit a narrow panel), or hidden while a checkpoint asks for one. */
enum tcbmode { TM_ABS, TM_REL };

struct tcbshow {
	enum tcbmode mode;
	int hide;                   /* numbers hidden: a checkpoint asks for one */
	int maxw;                   /* the widest a value may be (timers are fitted) */
	int cc;                     /* the rows cwnd, ssthresh, SRTT/RTO: not for a
	                               capture, which cannot know them */
};

static int
synced_rcv(enum tt_state s)
{
	return s != TT_CLOSED && s != TT_LISTEN && s != TT_SYN_SENT;
}

/* The rows of host h's TCB at step i that have a value. A capture knows a
 * host's own numbers and window only from segments it sent, and its peer's
 * (IRS, SND.WND, RCV.NXT) from segments the peer sent; the rest is "-". */
static unsigned
tcb_known(const struct sv *v, size_t i, int h)
{
	int sent = 0, heard = 0, own_ack = 0, peer_ack = 0;

	if (!v->st->replay)
		return ~0u;
	for (size_t k = i + 1; k-- > 0 && !(sent && heard && own_ack && peer_ack);) {
		const struct tt_step *s = sv_step(v, k);
		int ack = (s->seg.flags & TT_ACK) != 0;

		if (s->kind != TT_STEP_SEGMENT)
			continue;
		if ((s->dir == TT_SERVER) == h)
			sent = 1, own_ack |= ack;
		else
			heard = 1, peer_ack |= ack;
	}
	return 1u << T_STATE | 1u << T_TIMERS | (sent || peer_ack ? 1u << T_ISS : 0) |
	       (heard || own_ack ? 1u << T_IRS : 0) |
	       (sent ? 1u << T_SUNA | 1u << T_SNXT | 1u << T_RWND : 0) |
	       (heard ? 1u << T_SWND | 1u << T_RNXT : 0);
}

/* The running timers, "RTX 1s 2MSL 240s" (the retransmission timer called
 * PERSIST while the peer's window is zero), in at most maxw columns: those
 * that do not fit are left out, and an ellipsis says so. */
static void
tcb_timers(const struct tt_tcb_view *t, tt_time now, int maxw, char *buf, size_t len)
{
	const struct { tt_time at; const char *name; } tm[] = {
		{ t->rtx_at, t->persist ? "PERSIST" : "RTX" }, { t->tw_at, "2MSL" }, { t->ka_at, "KA" },
		{ t->delack_at, "DACK" }, { t->user_at, "UTO" },
	};
	size_t at = 0, keep[sizeof tm / sizeof tm[0]], nk = 0;
	char one[sizeof tm / sizeof tm[0]][48];

	for (size_t i = 0; i < sizeof tm / sizeof tm[0]; i++)
		if (tm[i].at != TT_NEVER)
			snprintf(one[nk], sizeof one[nk], _("%s %gs"), tm[i].name, sv_secs(tm[i].at - now)),
			        keep[nk++] = i;
	if (nk == 0) {
		snprintf(buf, len, "-");
		return;
	}
	for (size_t n = nk; n > 0; n--) {
		at = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < n && at < len; i++)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "", one[i]);
		if (n < nk && at < len)
			snprintf(buf + at, len - at, " %s", ui_glyph(UI_G_ELLIPSIS));
		if (ui_width(buf) <= maxw)
			return;
	}
	snprintf(buf, len, "%s", ui_glyph(UI_G_ELLIPSIS));
	(void)keep;
}

static void
tcb_value(const struct tt_tcb_view *t, enum tcbrow row, tt_time now, unsigned known,
          const struct tcbshow *sh, char *buf, size_t len)
{
	int snd = t->state != TT_CLOSED && t->state != TT_LISTEN, rcv = synced_rcv(t->state);
	int on = (known >> row) & 1, rel = sh->mode == TM_REL;
	uint32_t val = 0;

	switch (row) {
	case T_STATE: snprintf(buf, len, "%s", tt_state_name(t->state)); return;
	case T_TIMERS: tcb_timers(t, now, sh->maxw, buf, len); return;
	case T_ISS: on &= snd; val = t->iss; break;
	case T_IRS: on &= rcv; val = t->irs; break;
	case T_SUNA: on &= snd; val = t->snd_una - (rel ? t->iss : 0); break;
	case T_SNXT: on &= snd; val = t->snd_nxt - (rel ? t->iss : 0); break;
	case T_SWND: on &= rcv; val = t->snd_wnd; break;
	case T_RNXT: on &= rcv; val = t->rcv_nxt - (rel ? t->irs : 0); break;
	case T_RWND: on &= t->state != TT_CLOSED; val = t->rcv_wnd; break;
	case T_CWND:
		/* RFC 5681: 0 until congestion control starts (a capture shows none) */
		if (!snd || t->cwnd == 0 || !((known >> row) & 1)) {
			snprintf(buf, len, "-");
			return;
		}
		if (sh->hide)
			snprintf(buf, len, "?");
		else
			snprintf(buf, len, "%u", t->cwnd);
		if (t->in_recovery) {
			size_t at = strlen(buf);

			snprintf(buf + at, len - at, " %s", _("recovery"));
		}
		return;
	case T_SSTH:
		/* "arbitrarily high" until the first loss (RFC 5681 §3.1) */
		on &= snd && t->cwnd != 0;
		if (on && !tt_ssthresh_known(t)) {
			snprintf(buf, len, "%s", ui_glyph(UI_G_INFINITY));
			return;
		}
		val = t->ssthresh;
		break;
	case T_RTT:
		if (!snd || !((known >> row) & 1)) {
			snprintf(buf, len, "-");
			return;
		}
		/* RFC 6298: SRTT once a round trip was measured */
		if (t->rtt_valid)
			snprintf(buf, len, _("%gs / %gs"), sv_secs(t->srtt), sv_secs(t->rto));
		else
			snprintf(buf, len, _("- / %gs"), sv_secs(t->rto));
		return;
	default: on = 0;
	}
	if (!on)
		snprintf(buf, len, "-");
	else if (sh->hide)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%u", val);
}

/* The rows shown relative to ISS and IRS: those two are the bases, left
 * out; a capture's TCBs have no congestion control rows. */
static int
tcb_row_shown(enum tcbrow row, const struct tcbshow *sh)
{
	return (sh->mode == TM_ABS || (row != T_ISS && row != T_IRS)) &&
	       (sh->cc || row < T_CWND || row > T_RTT);
}

/* Rows of the tall panel. */
static int
tcb_nrows(const struct tcbshow *sh)
{
	return sh->cc ? T_N : T_N - (T_RTT - T_CWND + 1);
}

struct tcbpair {
	const struct tt_tcb_view *now, *before;
	tt_time tnow, tbefore;
	unsigned known, kbefore;
	int live;                   /* the last row: the kernel's figures */
	char kp[6][32];
	size_t nk;
};

/* The name of a row ("kernel" for the last one in live) */
static const char *
tcb_name(const struct tcbpair *hp, enum tcbrow row)
{
	return row == T_TIMERS && hp->live ? _("kernel") : _(tcb_names[row]);
}

/* The kernel's figures, as many as fit in maxw columns, an ellipsis for
 * the rest. */
static void
tcb_kernel_text(const struct tcbpair *hp, int maxw, char *buf, size_t len)
{
	for (size_t n = hp->nk; n > 0; n--) {
		size_t at = 0;

		buf[0] = '\0';
		for (size_t i = 0; i < n && at < len; i++)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "", hp->kp[i]);
		if (n < hp->nk && at < len)
			snprintf(buf + at, len - at, " %s", ui_glyph(UI_G_ELLIPSIS));
		if (ui_width(buf) <= maxw)
			return;
	}
	snprintf(buf, len, "%s", hp->nk > 0 ? ui_glyph(UI_G_ELLIPSIS) : "-");
}

/* Whether every number of both hosts fits "NAME value" in cw columns. */
static int
tcb_fits(const struct tcbpair hp[2], enum tcbmode m, int cw, int cc)
{
	struct tcbshow sh = { m, 0, cw, cc };
	char a[96];

	for (int h = 0; h < 2; h++)
		for (int row = T_ISS; row < T_TIMERS; row++) {
			/* cwnd and SRTT/RTO take a whole row when they must */
			if (!tcb_row_shown((enum tcbrow)row, &sh) || row == T_CWND || row == T_RTT)
				continue;
			tcb_value(hp[h].now, (enum tcbrow)row, hp[h].tnow, hp[h].known, &sh, a, sizeof a);
			if (ui_width(_(tcb_names[row])) + 1 + ui_width(a) > cw)
				return 0;
		}
	return 1;
}

/* One value, highlighted when it changed in this step. */
static void
tcb_cell(const struct tcbpair *hp, enum tcbrow row, const struct tcbshow *sh, int y, int x,
         int w, attr_t plain)
{
	char a[224], b[96];

	if (row == T_TIMERS && hp->live) {
		tcb_kernel_text(hp, w, a, sizeof a);
		ui_text(stdscr, y, x, w, plain, a);
		return;
	}
	tcb_value(hp->now, row, hp->tnow, hp->known, sh, a, sizeof a);
	tcb_value(hp->before, row, hp->tbefore, hp->kbefore, sh, b, sizeof b);
	ui_text(stdscr, y, x, w, strcmp(a, b) != 0 && row != T_TIMERS ? ui_attr(UI_R_CHANGED) : plain, a);
}

/* A tall panel: one row per variable, a column per host. With one row too
 * few the host names go into the state row. */
static void
tcb_table(const struct sv_rect *r, const struct tcbpair hp[2], const struct tcbshow *sh0)
{
	int x0 = r->x + 1, colw = (r->w - 2 - 9) / 2, y = r->y + 1;
	struct tcbshow sh = *sh0;

	sh.maxw = colw - 1;
	if (r->h - 1 > tcb_nrows(&sh)) {
		ui_text(stdscr, y, x0 + 9, colw, ui_attr(UI_R_CLIENT), _("client"));
		ui_text(stdscr, y, x0 + 9 + colw, colw, ui_attr(UI_R_SERVER), _("server"));
		y++;
	}
	for (int row = 0; row < T_N && y < r->y + r->h; row++) {
		if (!tcb_row_shown((enum tcbrow)row, &sh))
			continue;
		ui_text(stdscr, y, x0, 8, ui_attr(UI_R_HEADING), tcb_name(&hp[0], (enum tcbrow)row));
		for (int h = 0; h < 2; h++) {
			int x = x0 + 9 + h * colw, w = colw - 1;

			if (row == T_STATE && r->h - 1 <= tcb_nrows(&sh)) {
				int used = ui_text(stdscr, y, x, w, ui_attr(h ? UI_R_SERVER : UI_R_CLIENT),
				                   ui_host_name(h));

				x += used + 1;
				w -= used + 1;
			}
			tcb_cell(&hp[h], (enum tcbrow)row, &sh, y, x, w,
			         row == T_STATE ? ui_attr(h ? UI_R_SERVER : UI_R_CLIENT) : 0);
		}
		y++;
	}
}

/* A short panel: client on the left half, server on the right, `per` values
 * per row (2, or 1 when two do not fit); rows that do not fit are left out,
 * and an ellipsis on the last row says so. */
static void
tcb_halves(const struct sv_rect *r, const struct tcbpair hp[2], const struct tcbshow *sh0, int per)
{
	int colw = (r->w - 2) / 2, cw = colw / per - 1, bottom = r->y + r->h;
	struct tcbshow sh = *sh0;
	char a[96];
	unsigned char span[T_N];

	/* a value too wide for its cell (cwnd in recovery, SRTT/RTO) takes the
	 * whole row, on both sides alike */
	sh.maxw = cw;
	for (int row = T_ISS; row < T_TIMERS; row++) {
		span[row] = 1;
		for (int h = 0; h < 2 && per > 1; h++) {
			tcb_value(hp[h].now, (enum tcbrow)row, hp[h].tnow, hp[h].known, &sh, a, sizeof a);
			if (ui_width(_(tcb_names[row])) + 1 + ui_width(a) > cw)
				span[row] = (unsigned char)per;
		}
	}
	for (int h = 0; h < 2; h++) {
		int x = r->x + 1 + h * colw, y = r->y + 1, k = 0, cut = 0;

		sh.maxw = colw - 1;
		tcb_value(hp[h].now, T_STATE, hp[h].tnow, hp[h].known, &sh, a, sizeof a);
		ui_textf(stdscr, y, x, colw - 1, ui_attr(h ? UI_R_SERVER : UI_R_CLIENT), "%s %s",
		         ui_host_name(h), a);
		sh.maxw = cw;
		/* ssthresh pairs with RCV.WND, the rows that may be whole come last */
		static const enum tcbrow order[] = {
			T_ISS, T_IRS, T_SUNA, T_SNXT, T_SWND, T_RNXT, T_RWND, T_SSTH, T_CWND, T_RTT
		};

		for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
			enum tcbrow row = order[o];
			int yy, xx, used, ww = span[row] * (cw + 1) - 1;

			if (!tcb_row_shown((enum tcbrow)row, &sh))
				continue;
			if (span[row] > 1 && k % per != 0)
				k += per - k % per;
			yy = y + 1 + k / per;
			xx = x + (k % per) * (cw + 1);
			k += span[row];
			if (yy >= bottom) {
				cut = 1;
				continue;
			}
			sh.maxw = ww;
			used = ui_text(stdscr, yy, xx, ww, ui_attr(UI_R_DIM), _(tcb_names[row]));
			tcb_cell(&hp[h], (enum tcbrow)row, &sh, yy, xx + used + 1, ww - used - 1, 0);
		}
		y += 1 + (k + per - 1) / per;
		if (y < bottom) {
			int used = ui_text(stdscr, y, x, colw - 1, ui_attr(UI_R_DIM), tcb_name(&hp[h], T_TIMERS));

			sh.maxw = colw - 2 - used;
			tcb_cell(&hp[h], T_TIMERS, &sh, y, x + used + 1, colw - 2 - used, 0);
		} else {
			cut = 1;
		}
		if (cut)
			ui_text(stdscr, bottom - 1, x + colw - 2, 1, ui_attr(UI_R_DIM), ui_glyph(UI_G_ELLIPSIS));
	}
}

/* A typed-number checkpoint is open: the TCBs would give its answer away. */
static int
tcb_hidden(const struct sv *v)
{
	const struct ui_checkpoint *cp;

	if (v->ask < 0 || v->ask_state != 0)
		return 0;
	cp = v->st->checkpoint(v->st->ctx, (size_t)v->ask);
	return cp != NULL && cp->nchoices == 0;
}

/* Both TCBs. Numbers are never cut: a tall panel shows every variable as it
 * is; a short one two per row, as they are when they fit, else relative to
 * ISS and IRS, else one per row, leaving out what does not fit. */
void
sv_draw_tcb(const struct sv *v, const struct sv_rect *r)
{
	static const struct tt_tcb_view none = { .state = TT_CLOSED, .rtx_at = TT_NEVER,
		.tw_at = TT_NEVER, .ka_at = TT_NEVER, .delack_at = TT_NEVER, .user_at = TT_NEVER };
	struct tcbpair hp[2];
	struct tcbshow sh = { TM_ABS, tcb_hidden(v), 0, !v->st->replay };
	int rows = r->h - 1, half = (r->w - 2) / 2, per = 2;
	const char *right;

	for (int h = 0; h < 2; h++) {
		hp[h].now = hp[h].before = &none;
		hp[h].tnow = hp[h].tbefore = 0;
		hp[h].known = hp[h].kbefore = ~0u;
		hp[h].live = v->st->tcb_kernel != NULL;
		hp[h].nk = 0;
		if (hp[h].live && sv_shown(v) > 0)
			hp[h].nk = v->st->tcb_kernel(v->st->ctx, v->cur, h, hp[h].kp, 6);
		if (sv_shown(v) > 0) {
			const struct tt_step *s = sv_step(v, v->cur);

			hp[h].now = &s->tcb[h];
			hp[h].tnow = sv_step_now(s);
			hp[h].known = tcb_known(v, v->cur, h);
			if (v->cur > 0) {
				hp[h].before = &sv_step(v, v->cur - 1)->tcb[h];
				hp[h].tbefore = sv_step_now(sv_step(v, v->cur - 1));
				hp[h].kbefore = tcb_known(v, v->cur - 1, h);
			}
		}
	}
	if (rows < tcb_nrows(&sh)) {
		if (rows < 2 + (tcb_nrows(&sh) - 1) / 2 || !tcb_fits(hp, TM_ABS, half / 2 - 1, sh.cc))
			sh.mode = TM_REL;
		if (sh.mode == TM_REL && !tcb_fits(hp, TM_REL, half / 2 - 1, sh.cc))
			per = 1;
	}
	if (sh.hide)
		right = _("hidden until you answer");
	else if (sh.mode == TM_REL)
		right = _("relative to ISS and IRS");
	else
		right = v->o->absolute ? NULL : _("absolute numbers");
	sv_heading(v, r, _("TCBs"), right);
	if (rows >= tcb_nrows(&sh))
		tcb_table(r, hp, &sh);
	else
		tcb_halves(r, hp, &sh, per);
}

int
sv_tcb_rows(void)
{
	return T_N;
}
