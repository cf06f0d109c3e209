/* ui/stepview.c: the step view, the one screen that lessons, the sandbox
 * and replay share. It walks over an array of struct tt_step; everything on
 * screen (table row, ladder, lit states, TCB values, explanation) is computed
 * from the steps up to the current one, so stepping back shows exactly the
 * earlier state. Panels: the segment table, the ladder diagram, the RFC 9293
 * state diagram, both TCBs, and the explanation; how many are visible
 * depends on the terminal size (layout()). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "ui/bigtext.h"
#include "ui/diagram.h"
#include "ui/graph.h"
#include "ui/stepview.h"

enum panel { P_TABLE, P_LADDER, P_STATES, P_TCB, P_EXPL, P_GRAPH, P_N };

/* What the graph panel shows in the ladder's place (b and m): nothing, the
 * windows over the bytes, or one of the two charts. */
enum graph { G_NONE, G_WINDOWS, G_CWND, G_TSEQ };

/* The smallest terminal the step view draws in. */
enum { MIN_W = 64, MIN_H = 16 };
/* The narrowest terminal that shows the presenter's big letters: two state
 * names side by side, the long ones as RFC 9293's Figure 5 writes them. */
enum { BIG_MIN_W = 110 };

enum tcbrow {
	T_STATE, T_ISS, T_IRS, T_SUNA, T_SNXT, T_SWND, T_RNXT, T_RWND, T_CWND, T_SSTH, T_RTT,
	T_TIMERS, T_N
};

struct rect {
	int y, x, h, w, on;
};

struct para {
	const char *text;
	attr_t a;
};

/* The segment table's columns; `conn` only when the story has several
 * connections (a lesson's scenes, a scenario's streams). */
enum col { C_CONN, C_FRAME, C_TIME, C_DIR, C_FLAGS, C_SEQ, C_ACK, C_LEN, C_WIN, C_CST, C_SST, C_NOTES, C_N };

struct sv {
	const struct ui_story *st;
	const struct ui_opts *o;
	const struct sv_ext *ext;
	size_t cur;                 /* current step (when there is one) */
	int focus;                  /* enum panel */
	int swap;                   /* compact/presenter: the panel in the middle slot */
	int graph;                  /* enum graph: shown in the ladder's place */
	struct ui_graph_cache *gcache; /* replay: the charts drawn, kept while only the
	                               cursor moves (a story that grows or is run
	                               again has none) */
	int table_top;              /* first table row shown */
	int expl_skip, expl_lines, expl_h;
	int ladder_back;            /* ladder rows scrolled up from the current step */
	int auto_on, interval;      /* auto-play and its step interval (ms) */
	long long due;
	unsigned char *asked;       /* checkpoint answered, per step */
	size_t nasked;
	long ask;                   /* step whose checkpoint is open, or -1 */
	int ask_state;              /* 0 open, 1 right, 2 wrong, 3 revealed */
	int ask_choice;             /* what was picked (-1 typed) */
	char ask_typed[128];
	char msg[256];              /* one-off status message */
	char search[128];
	int at_end;                 /* stepped past the last step */
	int follow;                 /* live: the view stays on the newest step */
	long long poll_due;
	int quit;
	struct rect r[P_N];
	struct rect big;            /* presenter: both states in big letters */
	uint32_t *base;             /* per step, 2 values: each side's ISN for relative numbers */
	size_t nbase;
	int colw[C_N];              /* replay: column widths over every row, once */
	int colw_ok;
	int conn_known, conn_on;    /* the story has more than one stream */
	/* The explanation of the step on screen, built before the layout so that
	 * the layout can give it the room it needs. */
	struct para e_p[12];
	size_t e_np;
	char e_head[512], e_evs[2048], e_extra[1024], e_states[160], e_status[256], e_q[1024];
	char e_cross[512];
};

static size_t
nsteps(const struct sv *v)
{
	return v->st->nsteps;
}

/* Auto-play waits while a checkpoint is open and not yet answered. */
static int
paused(const struct sv *v)
{
	return v->ask >= 0 && v->ask_state == 0;
}

static const struct tt_step *
step_at(const struct sv *v, size_t i)
{
	return &v->st->steps[i];
}

/* Steps on screen: those up to the current one; while a checkpoint is
 * asked, those before its step, so none when it comes before the first. */
static size_t
shown(const struct sv *v)
{
	if (nsteps(v) == 0)
		return 0;
	if (v->ask >= 0)
		return (size_t)v->ask;
	return v->cur + 1;
}

/* Replay lists the whole capture, later rows dimmed; a story that asks
 * questions never shows what is still to come. */
static int
shows_future(const struct sv *v)
{
	return v->st->replay && v->st->checkpoint == NULL;
}

/* ---- numbers and words -------------------------------------------------- */

/* Relative numbers count from the bases the batch table uses: the story's
 * own (a lesson's), else tt_trace_bases() over the story's streams with
 * the first step's TCBs' ISSs as the fallback. Replay steps carry the
 * ISNs seen in their TCB views already. Recomputed when the story grows. */
static void
ensure_bases(struct sv *v)
{
	size_t n = nsteps(v), nstr = 1;
	uint32_t (*sb)[2], iss[2];

	if (v->st->replay || v->st->base != NULL || (v->base != NULL && v->nbase == n) || n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (step_at(v, i)->stream + 1 > nstr)
			nstr = step_at(v, i)->stream + 1;
	free(v->base);
	v->base = malloc(n * 2 * sizeof *v->base);
	sb = malloc(nstr * sizeof *sb);
	iss[0] = step_at(v, 0)->tcb[0].iss;
	iss[1] = step_at(v, 0)->tcb[1].iss;
	if (v->base == NULL || sb == NULL || tt_trace_bases(v->st->steps, n, nstr, iss, sb) < 0)
		ui_fatal("%s", _("out of memory"));
	v->nbase = n;
	for (size_t i = 0; i < n; i++) {
		v->base[2 * i] = sb[step_at(v, i)->stream][0];
		v->base[2 * i + 1] = sb[step_at(v, i)->stream][1];
	}
	free(sb);
}

/* Each side's bases, 2 per step, or NULL: the TCBs' ISSs. */
static const uint32_t *
bases(const struct sv *v)
{
	if (v->st->replay)
		return NULL;
	if (v->st->base != NULL)
		return v->st->base;
	return v->base != NULL && v->nbase == nsteps(v) ? v->base : NULL;
}

static void
seg_numbers(const struct sv *v, const struct tt_step *s, uint32_t *seq, uint32_t *ack)
{
	const uint32_t *b = bases(v);
	uint32_t iss[2] = { s->tcb[0].iss, s->tcb[1].iss };

	*seq = s->seg.seq;
	*ack = s->seg.ack;
	if (!v->o->absolute)
		tt_trace_rel(s, b != NULL ? &b[2 * (size_t)(s - v->st->steps)] : iss, seq, ack);
}

static double
secs(tt_time t)
{
	return (double)t / 1e6;
}

/* The time the TCB view of a step belongs to. */
static tt_time
step_now(const struct tt_step *s)
{
	return s->kind == TT_STEP_SEGMENT ? s->arrival : s->time;
}

/* A short word for what happened at a host, for the ladder's event marks. */
static const char *
event_label(enum tt_reason r)
{
	switch (r) {
	case TT_R_OPEN_PASSIVE: return _("listen");
	case TT_R_OPEN_ACTIVE:
	case TT_R_OPEN_LISTEN_ACTIVE: return _("connect");
	case TT_R_SEND_QUEUED:
	case TT_R_SEND_DATA:
	case TT_R_SEND_URGENT:
	case TT_R_SEND_MORE: return _("send");
	case TT_R_SHUTDOWN_SEND_FIN: return _("shutdown");
	case TT_R_ACCEPT:
	case TT_R_ACCEPT_EMPTY: return _("accept");
	case TT_R_FIN_WAIT_2_TIMEOUT: return _("FIN-WAIT-2 timer");
	case TT_R_ZERO_WINDOW_GIVE_UP: return _("window probe");
	case TT_R_RECEIVE_DATA: return _("receive");
	case TT_R_CLOSE_LISTEN:
	case TT_R_CLOSE_SYN_SENT:
	case TT_R_CLOSE_SEND_FIN:
	case TT_R_CLOSE_QUEUED: return _("close");
	case TT_R_ABORT:
	case TT_R_ABORT_QUIET: return _("abort");
	case TT_R_RTX_TIMEOUT:
	case TT_R_RTX_GIVE_UP: return _("retransmission timer");
	case TT_R_USER_TIMEOUT: return _("user timeout");
	case TT_R_TIME_WAIT_EXPIRED: return _("2MSL timer");
	case TT_R_KEEPALIVE_PROBE:
	case TT_R_KEEPALIVE_GIVE_UP: return _("keep-alive timer");
	case TT_R_DELAYED_ACK: return _("delayed-ACK timer");
	case TT_R_ZERO_WINDOW_PROBE: return _("window probe");
	case TT_R_HOST_CRASH: return _("crash");
	default: return _("error");
	}
}

static const char *
error_text(enum tt_error e)
{
	switch (e) {
	case TT_E_EXISTS: return _("connection already exists");
	case TT_E_NO_CONN: return _("connection does not exist");
	case TT_E_CLOSING: return _("connection closing");
	case TT_E_REFUSED: return _("connection refused");
	case TT_E_RESET: return _("connection reset");
	case TT_E_TIMEOUT: return _("connection aborted due to user or retransmission timeout");
	case TT_E_FOREIGN: return _("foreign socket unspecified");
	case TT_E_RESOURCES: return _("insufficient resources");
	default: return "";
	}
}

/* "RFC 9293 §3.10.7.2", or the simulator's / a what-if rule's name. */
static void
rule_name(enum tt_reason r, char *buf, size_t len)
{
	const char *sec = tt_reason_rfc(r);

	if (sec == NULL || *sec == '\0')
		buf[0] = '\0';
	else if (strcmp(sec, "sim") == 0)
		snprintf(buf, len, "%s", _("the simulator"));
	else if (strcmp(sec, "what-if") == 0)
		snprintf(buf, len, "%s", _("a what-if rule, not RFC 9293"));
	else if (sec[0] >= '0' && sec[0] <= '9')
		snprintf(buf, len, "RFC 9293 \u00a7%s", sec);
	else
		snprintf(buf, len, "%s", sec);
}

/* One line naming the segment: "SYN,ACK seq=0 ack=1 len=0". */
static void
seg_label(const struct sv *v, const struct tt_step *s, int terse, char *buf, size_t len)
{
	char fl[64];
	uint32_t seq, ack;
	size_t at;

	seg_numbers(v, s, &seq, &ack);
	tt_flags_format(s->seg.flags, fl, sizeof fl);
	if (terse)
		at = (size_t)snprintf(buf, len, "%s %u", fl, seq);
	else
		at = (size_t)snprintf(buf, len, "%s seq=%u", fl, seq);
	if (at < len && (s->seg.flags & TT_ACK))
		at += (size_t)snprintf(buf + at, len - at, terse ? "/%u" : " ack=%u", ack);
	if (at < len && s->seg.len > 0)
		snprintf(buf + at, len - at, terse ? " +%u" : " len=%u", s->seg.len);
}

/* ---- layout ------------------------------------------------------------- */

static size_t
collect_keys(const struct sv *v, struct ui_keyhint *keys, size_t max)
{
	size_t nk = 0;

	if (v->ext != NULL && v->ext->hints != NULL)
		nk = v->ext->hints(v->ext->ctx, keys, max > 12 ? max - 12 : 0);
	/* Beside the sandbox's keys, small screens keep the essential ones. */
	int all = nk == 0 || COLS >= 100;

	if (nk > 0)
		keys[nk++] = (struct ui_keyhint){ NULL, NULL };   /* the sandbox's own bar */

	keys[nk++] = (struct ui_keyhint){ "n", _("next") };
	keys[nk++] = (struct ui_keyhint){ "p", _("back") };
	if (all)
		keys[nk++] = (struct ui_keyhint){ "g", _("go to") };
	if (all) {
		keys[nk++] = (struct ui_keyhint){ "Enter", _("detail") };
		keys[nk++] = (struct ui_keyhint){ "a", v->auto_on ? _("stop") : _("auto") };
	}
	if (!(COLS >= 120 && LINES >= 40) || v->o->present)
		keys[nk++] = (struct ui_keyhint){ "v", _("view") };
	keys[nk++] = (struct ui_keyhint){ "?", _("help") };
	keys[nk++] = (struct ui_keyhint){ "q", _("quit") };
	keys[nk++] = (struct ui_keyhint){ "b", _("window") };
	keys[nk++] = (struct ui_keyhint){ "m", _("chart") };
	if (all) {
		keys[nk++] = (struct ui_keyhint){ "Tab", _("focus") };
		keys[nk++] = (struct ui_keyhint){ "/", _("search") };
	}
	return nk;
}

/* Rows of key bars: one, or as many as the sandbox's extra keys need. */
static int
bars(const struct sv *v)
{
	struct ui_keyhint keys[40];
	size_t nk;
	int rows;

	if (v->ext == NULL || v->ext->hints == NULL)
		return 1;
	nk = collect_keys(v, keys, sizeof keys / sizeof keys[0]);
	rows = ui_keyflow(-1, 4, keys, nk);
	return rows < 1 ? 1 : rows;
}

static void
set(struct rect *r, int y, int x, int h, int w)
{
	r->y = y;
	r->x = x;
	r->h = h;
	r->w = w;
	r->on = h > 0 && w > 0;
}

static size_t table_rows(const struct sv *v, size_t *rows, size_t max);
static int expl_need(const struct sv *v, int w);

/* How many rows the table would show. */
static int
table_count(const struct sv *v)
{
	size_t last = shows_future(v) ? nsteps(v) : shown(v), k = 0;

	for (size_t i = 0; i < last; i++)
		k += step_at(v, i)->kind == TT_STEP_SEGMENT;
	return (int)k;
}

/* Presenter mode: rows of big letters the terminal has room for (0: none,
 * the states are then spelled out in the explanation). */
static int
big_rows(const struct sv *v)
{
	if (!v->o->present || COLS < BIG_MIN_W)
		return 0;
	if (LINES >= 40)
		return UI_BIG_TALL;
	if (LINES >= 30 && ui_unicode())
		return UI_BIG_SHORT;
	return 0;
}

/* Decides where each panel goes; returns -1 when the terminal is too small. */
static int
layout(struct sv *v)
{
	int W = COLS, H = LINES, top = 1, avail = H - 1 - bars(v), th, eh, mid;
	struct rect *r = v->r;

	memset(v->r, 0, sizeof v->r);
	memset(&v->big, 0, sizeof v->big);
	if (W < MIN_W || H < MIN_H)
		return -1;
	if (v->o->present) {
		int bh = big_rows(v);

		if (bh > 0) {
			/* the label row, the letters, a blank row under them */
			set(&v->big, top, 0, bh + 1, W);
			top += bh + 2;
			avail -= bh + 2;
		}
		eh = avail * 2 / 5;
		mid = avail - eh;
		if (W >= 110 && mid >= 14) {
			int rw = UI_STATES_W + 2;

			set(&r[v->graph ? P_GRAPH : v->swap], top, 0, mid, W - rw - 1);
			set(&r[P_STATES], top, W - rw, mid, rw);
		} else {
			set(&r[v->graph ? P_GRAPH : v->swap], top, 0, mid, W);
		}
		set(&r[P_EXPL], top + mid, 0, eh, W);
	} else if (W >= 120 && H >= 40) {
		int rw = UI_STATES_W + 2, sh = UI_STATES_H + 2;

		int need = 1 + expl_need(v, W - 2);

		th = 2 + avail * 26 / 100;
		eh = avail / 5;
		if (need > eh) {
			int more = need - eh < th - 6 ? need - eh : th - 6;

			if (more > 0) {
				th -= more;
				eh += more;
			}
		}
		mid = avail - th - eh;
		/* the TCBs one variable a row, whole, below the state diagram:
		 * the table lends the rows they lack */
		int lend = sh + 1 + T_N - mid;

		/* a simulation's TCBs have the congestion control rows too: the
		 * table lends what it can spare of the rows they lack */
		if (lend > th - 8)
			lend = th - 8;
		if (!v->st->replay && lend > 0) {
			th -= lend;
			mid += lend;
		}
		set(&r[P_TABLE], top, 0, th, W);
		set(&r[v->graph ? P_GRAPH : P_LADDER], top + th, 0, mid, W - rw - 1);
		if (mid - sh < 6)
			sh = mid - 6;
		set(&r[P_STATES], top + th, W - rw, sh, rw);
		set(&r[P_TCB], top + th + sh, W - rw, mid - sh, rw);
		set(&r[P_EXPL], top + th + mid, 0, eh, W);
	} else {
		int need = 1 + expl_need(v, W - 2), rows = table_count(v);

		eh = avail / 4 > 4 ? avail / 4 : 4;
		if (need > eh)
			eh = need < avail / 2 ? need : avail / 2;
		if (v->graph)
			mid = avail * 45 / 100 > 11 ? avail * 45 / 100 : 11;
		else if (v->swap == P_STATES)
			mid = UI_STATES_H + 1;
		else
			mid = avail * 45 / 100;
		th = avail - eh - mid;
		/* A short table lends its rows to the explanation. */
		if (th > 3 + (rows > 0 ? rows : 1) && need > eh) {
			int spare = th - 3 - (rows > 0 ? rows : 1);

			if (spare > need - eh)
				spare = need - eh;
			th -= spare;
			eh += spare;
		}
		if (th < 4 && eh > 4) {   /* the explanation gives a little first */
			int give = 4 - th < eh - 4 ? 4 - th : eh - 4;

			eh -= give;
			th += give;
		}
		if (th < 4) {
			th = 4;
			mid = avail - eh - th;
		}
		set(&r[P_TABLE], top, 0, th, W);
		set(&r[v->graph ? P_GRAPH : v->swap], top + th, 0, mid, W);
		set(&r[P_EXPL], top + th + mid, 0, eh, W);
	}
	if (!r[v->focus].on)
		v->focus = r[P_TABLE].on ? P_TABLE : P_EXPL;
	return 0;
}

/* A panel's heading: a rule with the title in it. */
static void
heading(const struct sv *v, const struct rect *r, const char *title, const char *right)
{
	int focused = v->focus == (int)(r - v->r);
	attr_t a = focused ? ui_attr(UI_R_FOCUS) : ui_attr(UI_R_DIM);
	int x;

	ui_hline(stdscr, r->y, r->x, r->w, a);
	x = r->x + 1;
	x += ui_text(stdscr, r->y, x, r->w - 2, a, " ");
	x += ui_text(stdscr, r->y, x, r->w - 4, focused ? ui_attr(UI_R_FOCUS) : ui_attr(UI_R_HEADING),
	             title);
	ui_text(stdscr, r->y, x, 1, a, " ");
	if (right != NULL) {
		int rw = ui_width(right) + 2;

		if (x + rw + 2 < r->x + r->w) {
			ui_text(stdscr, r->y, r->x + r->w - rw - 1, 1, a, " ");
			ui_text(stdscr, r->y, r->x + r->w - rw, rw, ui_attr(UI_R_DIM), right);
		}
	}
}

/* ---- the segment table ---------------------------------------------------- */


/* Segment step index at or before i, or -1. */
static long
segment_at_or_before(const struct sv *v, size_t i)
{
	for (long k = (long)i; k >= 0; k--)
		if (step_at(v, (size_t)k)->kind == TT_STEP_SEGMENT)
			return k;
	return -1;
}

static void
cell(const struct sv *v, const struct tt_step *s, enum col c, char *buf, size_t len)
{
	uint32_t seq, ack;

	seg_numbers(v, s, &seq, &ack);
	switch (c) {
	case C_CONN: snprintf(buf, len, "%u", s->stream); break;
	case C_FRAME: snprintf(buf, len, "%llu", (unsigned long long)s->frame); break;
	case C_TIME: snprintf(buf, len, "%.6f", secs(s->time)); break;
	case C_DIR: snprintf(buf, len, "%s", s->dir == TT_SERVER ? "S>C" : "C>S"); break;
	case C_FLAGS: tt_flags_format(s->seg.flags, buf, len); break;
	case C_SEQ: snprintf(buf, len, "%u", seq); break;
	case C_ACK:
		if (s->seg.flags & TT_ACK)
			snprintf(buf, len, "%u", ack);
		else
			snprintf(buf, len, "-");
		break;
	case C_LEN: snprintf(buf, len, "%u", s->seg.len); break;
	case C_WIN: snprintf(buf, len, "%u", s->seg.wnd); break;
	case C_CST: snprintf(buf, len, "%s", tt_state_name(s->tcb[TT_CLIENT].state)); break;
	case C_SST: snprintf(buf, len, "%s", tt_state_name(s->tcb[TT_SERVER].state)); break;
	case C_NOTES: tt_notes_format(s->notes, buf, len); break;
	default: buf[0] = '\0';
	}
}

static const char *
col_title(enum col c)
{
	switch (c) {
	case C_CONN: return _("conn");
	case C_FRAME: return "#";
	case C_TIME: return _("time");
	case C_DIR: return _("dir");
	case C_FLAGS: return _("flags");
	case C_SEQ: return _("seq");
	case C_ACK: return _("ack");
	case C_LEN: return _("len");
	case C_WIN: return _("win");
	case C_CST: return _("client");
	case C_SST: return _("server");
	case C_NOTES: return _("notes");
	default: return "";
	}
}

static int
col_right(enum col c)
{
	return c == C_CONN || c == C_FRAME || c == C_TIME || c == C_SEQ || c == C_ACK || c == C_LEN || c == C_WIN;
}

/* Table rows: indexes of segment steps that are shown (all in replay, up to
 * the current step otherwise). */
static size_t
table_rows(const struct sv *v, size_t *rows, size_t max)
{
	size_t n = 0, last = shows_future(v) ? nsteps(v) : shown(v);

	for (size_t i = 0; i < last && n < max; i++)
		if (step_at(v, i)->kind == TT_STEP_SEGMENT)
			rows[n++] = i;
	return n;
}

/* Column widths from the titles and the data, and which columns are on:
 * those that do not fit in w are dropped (the notes first narrowed). */
static void
table_widths(struct sv *v, const size_t *rows, size_t nrows, int w, int width[C_N], int on[C_N])
{
	static const enum col drop_order[] = { C_TIME, C_WIN, C_LEN, C_NOTES };
	char buf[128];
	int total;

	for (int c = 0; c < C_N; c++) {
		width[c] = ui_width(col_title((enum col)c));
		on[c] = 1;
	}
	if (!v->conn_known) {
		v->conn_known = 1;
		for (size_t i = 1; i < nsteps(v) && !v->conn_on; i++)
			v->conn_on = step_at(v, i)->stream != step_at(v, 0)->stream;
	}
	on[C_CONN] = v->conn_on;
	/* A capture can hold many thousand rows: their widths are measured once. */
	if (shows_future(v) && v->colw_ok) {
		memcpy(width, v->colw, sizeof v->colw);
	} else {
		for (size_t k = 0; k < nrows; k++) {
			const struct tt_step *s = step_at(v, rows[k]);

			for (int c = 0; c < C_N; c++) {
				int wd;

				cell(v, s, (enum col)c, buf, sizeof buf);
				wd = ui_width(buf);
				if (wd > width[c])
					width[c] = wd;
			}
		}
		if (shows_future(v)) {
			memcpy(v->colw, width, sizeof v->colw);
			v->colw_ok = 1;
		}
	}
	if (width[C_FLAGS] < 7)
		width[C_FLAGS] = 7;
	if (width[C_CST] < 11)
		width[C_CST] = 11;
	if (width[C_SST] < 11)
		width[C_SST] = 11;
	if (width[C_NOTES] > 30)
		width[C_NOTES] = 30;
	for (size_t d = 0;; d++) {
		total = -1;
		for (int c = 0; c < C_N; c++)
			if (on[c])
				total += width[c] + 1;
		if (total <= w || d >= sizeof drop_order / sizeof drop_order[0])
			break;
		if (drop_order[d] == C_NOTES && total - width[C_NOTES] + 6 <= w) {
			width[C_NOTES] -= total - w;
			break;
		}
		on[drop_order[d]] = 0;
	}
}

/* Host h's "addr:port" for step s: its connection's (live), else the
 * story's, with the port of the step's own connection where a simulation
 * has several. */
static const char *
endpoint_at(const struct sv *v, const struct tt_step *s, int h, char *buf, size_t len)
{
	const char *ep = v->st->endpoint[h & 1], *colon;

	if (s != NULL && v->st->endpoint_of != NULL) {
		const char *own = v->st->endpoint_of(v->st->ctx, (size_t)(s - v->st->steps), h & 1);

		if (own != NULL)
			return own;
	}
	if (ep == NULL || s == NULL || v->st->replay || s->port[h & 1] == 0 ||
	    (colon = strrchr(ep, ':')) == NULL)
		return ep;
	snprintf(buf, len, "%.*s:%u", (int)(colon - ep), ep, s->port[h & 1]);
	return buf;
}

static void
draw_table(struct sv *v, const struct rect *r)
{
	int width[C_N], on[C_N], y, nrows_shown;
	size_t *rows, nrows, n = nsteps(v);
	long cur_row = -1, curseg;
	char buf[128];

	heading(v, r, _("Segments"), NULL);
	rows = malloc((n > 0 ? n : 1) * sizeof *rows);
	if (rows == NULL)
		ui_fatal("%s", _("out of memory"));
	nrows = n > 0 ? table_rows(v, rows, n) : 0;
	curseg = shown(v) > 0 ? segment_at_or_before(v, v->cur) : -1;
	for (size_t k = 0; k < nrows; k++)
		if ((long)rows[k] == curseg)
			cur_row = (long)k;
	table_widths(v, rows, nrows, r->w - 2, width, on);
	/* Header row under the heading. */
	y = r->y + 1;
	{
		int x = r->x + 1;

		for (int c = 0; c < C_N; c++) {
			if (!on[c])
				continue;
			if (col_right((enum col)c))
				ui_text_right(stdscr, y, x, width[c], ui_attr(UI_R_HEADING), col_title((enum col)c));
			else
				ui_text(stdscr, y, x, width[c], ui_attr(UI_R_HEADING), col_title((enum col)c));
			x += width[c] + 1;
		}
	}
	nrows_shown = r->h - 3;   /* heading, header, detail line */
	if (nrows_shown < 1)
		nrows_shown = 1;
	if (cur_row >= 0) {
		if (cur_row < v->table_top)
			v->table_top = (int)cur_row;
		if (cur_row >= v->table_top + nrows_shown)
			v->table_top = (int)cur_row - nrows_shown + 1;
	}
	if (v->table_top > (int)nrows - nrows_shown)
		v->table_top = (int)nrows - nrows_shown;
	if (v->table_top < 0)
		v->table_top = 0;
	if (nrows == 0)
		ui_text(stdscr, y + 1, r->x + 2, r->w - 4, ui_attr(UI_R_DIM), _("(no segment yet)"));
	for (int k = 0; k < nrows_shown && v->table_top + k < (int)nrows; k++) {
		size_t si = rows[v->table_top + k];
		const struct tt_step *s = step_at(v, si);
		int x = r->x + 1, iscur = (long)(v->table_top + k) == cur_row;
		attr_t base = iscur ? ui_attr(UI_R_CURRENT) : 0;

		if (!iscur && si > v->cur)
			base = ui_attr(UI_R_DIM);
		if (iscur)
			ui_fill(stdscr, y + 1 + k, r->x, r->w, base);
		if (iscur)
			ui_text(stdscr, y + 1 + k, r->x, 1, base, ui_glyph(UI_G_CURSOR));
		for (int c = 0; c < C_N; c++) {
			attr_t a = base;

			if (!on[c])
				continue;
			cell(v, s, (enum col)c, buf, sizeof buf);
			if (!iscur) {
				if (c == C_DIR || c == C_CST)
					a = c == C_CST ? ui_attr(UI_R_CLIENT) : a;
				if (c == C_SST)
					a = ui_attr(UI_R_SERVER);
				if (c == C_NOTES && (s->notes & TT_NOTE(DROPPED)))
					a = ui_attr(UI_R_DROP);
				if (si > v->cur)
					a = ui_attr(UI_R_DIM);
			}
			if (col_right((enum col)c))
				ui_text_right(stdscr, y + 1 + k, x, width[c], a, buf);
			else
				ui_text(stdscr, y + 1 + k, x, width[c], a, buf);
			x += width[c] + 1;
		}
	}
	/* The detail line: the current segment as the classic texts write it. */
	if (curseg >= 0) {
		const struct tt_step *s = step_at(v, (size_t)curseg);
		char bits[64], line[320], nt[128];
		uint32_t seq, ack;
		char epf[96], ept[96];
		const char *from = endpoint_at(v, s, s->dir == TT_SERVER, epf, sizeof epf);
		const char *to = endpoint_at(v, s, s->dir != TT_SERVER, ept, sizeof ept);
		char ackbuf[24], win[48];
		int shift = s->tcb[s->dir == TT_SERVER].rcv_shift;

		seg_numbers(v, s, &seq, &ack);
		/* RFC 7323: the field as sent, and the window it means */
		if (shift > 0 && !(s->seg.flags & (TT_SYN | TT_RST)))
			snprintf(win, sizeof win, "%u<<%d=%u", s->seg.wnd, shift, s->seg.wnd << shift);
		else
			snprintf(win, sizeof win, "%u", s->seg.wnd);
		tt_flags_format_bits(s->seg.flags, bits, sizeof bits);
		tt_notes_format(s->notes, nt, sizeof nt);
		if (s->seg.flags & TT_ACK)
			snprintf(ackbuf, sizeof ackbuf, " ack=%u", ack);
		else
			ackbuf[0] = '\0';
		snprintf(line, sizeof line, "#%llu  %s %s %s  %s  seq=%u%s  win=%s len=%u%s%s",
		         (unsigned long long)s->frame, from ? from : ui_host_name(s->dir),
		         ui_glyph(UI_G_RIGHTWARDS), to ? to : ui_host_name(!s->dir), bits, seq, ackbuf,
		         win, s->seg.len, *nt ? "  " : "", nt);
		if (ui_width(line) > r->w - 2)
			snprintf(line, sizeof line, "#%llu  %s %s %s  %s  seq=%u%s  win=%s len=%u%s%s",
			         (unsigned long long)s->frame, ui_host_name(s->dir), ui_glyph(UI_G_RIGHTWARDS),
			         ui_host_name(!s->dir), bits, seq, ackbuf, win, s->seg.len,
			         *nt ? "  " : "", nt);
		ui_text(stdscr, r->y + r->h - 1, r->x + 1, r->w - 2, ui_attr(UI_R_HEADING), line);
	}
	free(rows);
}

/* ---- ladder ---------------------------------------------------------------- */

static void
draw_ladder(struct sv *v, const struct rect *r)
{
	char left[96], right[96], ep[2][96];
	size_t n = nsteps(v);
	const struct tt_step *at = n > 0 ? step_at(v, v->cur < n ? v->cur : n - 1) : NULL;
	const char *e0 = endpoint_at(v, at, 0, ep[0], sizeof ep[0]);
	const char *e1 = endpoint_at(v, at, 1, ep[1], sizeof ep[1]);

	snprintf(left, sizeof left, "%s %s", _("client"), e0 ? e0 : "");
	snprintf(right, sizeof right, "%s %s", _("server"), e1 ? e1 : "");
	heading(v, r, _("Ladder"), NULL);
	{
		struct ui_ladder L;

		memset(&L, 0, sizeof L);
		L.y = r->y + 1;
		L.x = r->x;
		L.h = r->h - 1;
		L.w = r->w;
		L.steps = v->st->steps;
		L.nsteps = n;
		L.cur = shown(v) > 0 ? v->cur : 0;
		L.empty = shown(v) == 0;
		L.back = v->ladder_back;
		L.absolute = v->o->absolute;
		L.left = left;
		L.right = right;
		L.event_label = event_label;
		L.base = bases(v);
		v->ladder_back = ui_ladder_draw(&L);
	}
}

/* ---- windows and charts (ui/window.c, ui/chart.c) ------------------------- */

static void
draw_graph(struct sv *v, const struct rect *r)
{
	static const char *const titles[] = {
		"", N_("Windows over the bytes"), N_("cwnd and ssthresh over time"),
		N_("Time-sequence graph")
	};
	static const char *const titles_replay[] = {
		"", N_("Windows over the bytes"), N_("Bytes in flight and window over time"),
		N_("Time-sequence graph")
	};
	struct ui_graph g;

	heading(v, r, _((v->st->replay ? titles_replay : titles)[v->graph]),
	        v->graph == G_WINDOWS ? _("b: back to the ladder") : _("m: next chart"));
	memset(&g, 0, sizeof g);
	if (v->st->replay && v->gcache == NULL && (v->gcache = ui_graph_cache_new()) == NULL)
		ui_fatal("%s", _("out of memory"));
	g.cache = v->st->replay ? v->gcache : NULL;
	g.steps = v->st->steps;
	g.nsteps = shows_future(v) ? nsteps(v) : shown(v);
	g.upto = shows_future(v) ? nsteps(v) : shown(v);
	g.cur = v->cur;
	g.base = bases(v);
	g.absolute = v->o->absolute;
	g.replay = v->st->replay;
	g.y = r->y + 1;
	g.x = r->x;
	g.h = r->h - 1;
	g.w = r->w;
	if (shown(v) == 0 || g.cur >= g.nsteps) {
		g.upto = 0;
		g.nsteps = 0;
		g.cur = 0;
	}
	switch (v->graph) {
	case G_WINDOWS: ui_windows_draw(&g); break;
	case G_CWND: ui_chart_cwnd_draw(&g); break;
	case G_TSEQ: ui_chart_tseq_draw(&g); break;
	default: break;
	}
}

/* ---- state diagram --------------------------------------------------------- */

static void
transitions(const struct tt_step *s, int host, enum tt_state *from, enum tt_state *to)
{
	*from = *to = TT_NSTATES;
	for (unsigned k = 0; k < s->nev && k < TT_STEP_EVENTS; k++) {
		if (s->ev[k].host != host || s->ev[k].ev.from == s->ev[k].ev.to)
			continue;
		if (*from == TT_NSTATES)
			*from = s->ev[k].ev.from;
		*to = s->ev[k].ev.to;
	}
}

/* The legend, right-aligned in the heading: " client server both " in
 * their colours ("C client S server CS both" without colours, as the
 * diagram marks them), one rule cell after it. */
static void
states_legend(const struct rect *r)
{
	const struct { enum ui_role role; const char *mark, *name; } e[] = {
		{ UI_R_CLIENT_LIT, "C ", _("client") },
		{ UI_R_SERVER_LIT, "S ", _("server") },
		{ UI_R_BOTH_LIT, "CS ", _("both") },
	};
	int mono = !ui_has_color(), need = 1, lx;

	for (size_t i = 0; i < sizeof e / sizeof e[0]; i++)
		need += 1 + (mono ? (int)strlen(e[i].mark) : 0) + ui_width(e[i].name);
	if (r->w < ui_width(_("RFC 9293 states")) + need + 6)
		return;
	lx = r->x + r->w - 1 - need;
	for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
		lx += ui_text(stdscr, r->y, lx, r->w, ui_attr(UI_R_DIM), " ");
		lx += ui_textf(stdscr, r->y, lx, r->w, ui_attr(e[i].role), "%s%s", mono ? e[i].mark : "",
		               e[i].name);
	}
	ui_text(stdscr, r->y, lx, 1, ui_attr(UI_R_DIM), " ");
}

static void
draw_states(struct sv *v, const struct rect *r)
{
	enum tt_state st[2] = { TT_CLOSED, TT_CLOSED }, from[2], to[2];
	struct ui_taken taken = { NULL, NULL };
	char line[256];

	heading(v, r, _("RFC 9293 states"), NULL);
	states_legend(r);
	from[0] = from[1] = to[0] = to[1] = TT_NSTATES;
	if (shown(v) > 0) {
		const struct tt_step *s = step_at(v, v->cur);

		st[0] = s->tcb[0].state;
		st[1] = s->tcb[1].state;
		transitions(s, 0, &from[0], &to[0]);
		transitions(s, 1, &from[1], &to[1]);
	}
	if (v->ext != NULL && v->ext->edge_taken != NULL) {
		taken.edge = v->ext->edge_taken;
		taken.ctx = v->ext->ctx;
	}
	ui_states_draw(stdscr, r->y + 1, r->x + 1, r->h - 1, r->w - 1, st, from, to,
	               taken.edge != NULL ? &taken : NULL);
	/* What moved, in words, on the last row if there is room under the art. */
	line[0] = '\0';
	for (int h = 0; h < 2; h++) {
		if (from[h] == TT_NSTATES)
			continue;
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s: %s %s %s",
		         line[0] ? "   " : "", ui_host_name(h), tt_state_name(from[h]),
		         ui_glyph(UI_G_RIGHTWARDS), tt_state_name(to[h]));
	}
	if (line[0] && r->h - 1 > UI_STATES_H)
		ui_text(stdscr, r->y + 1 + UI_STATES_H, r->x + 1, r->w - 2, ui_attr(UI_R_MARK), line);
}

/* ---- presenter: big letters ----------------------------------------------- */

/* A line of n cells pointing right (dir 0) or left, ending in a cross when
 * the segment was lost on the wire. */
static void
big_arrow(int y, int x, int n, int dir, int lost, attr_t a)
{
	if (n < 2)
		return;
	ui_hline(stdscr, y, x, n, a);
	if (lost)
		ui_text(stdscr, y, dir ? x : x + n - 1, 1, ui_attr(UI_R_DROP), ui_glyph(UI_G_CROSS));
	else
		ui_text(stdscr, y, dir ? x : x + n - 1, 1, a,
		        ui_glyph(dir ? UI_G_ARROW_L : UI_G_ARROW_R));
}

static const char *
big_short_name(const char *state)
{
	if (strcmp(state, "SYN-RECEIVED") == 0)
		return "SYN-RCVD";
	if (strcmp(state, "ESTABLISHED") == 0)
		return "ESTAB";
	return state;
}

/* Both endpoints' states in big letters, client on the left and server on
 * the right, the current segment's flags between them with an arrow its way
 * over them. Whatever does not fit is written in plain bold text instead. */
static void
draw_big(struct sv *v, const struct rect *r)
{
	const struct tt_step *s = shown(v) > 0 ? step_at(v, v->cur) : NULL;
	const char *cs = tt_state_name(s != NULL ? s->tcb[0].state : TT_CLOSED);
	const char *ss = tt_state_name(s != NULL ? s->tcb[1].state : TT_CLOSED);
	int rows = r->h - 1, y = r->y + 1, W = r->w, wc, ws, mx, mw;
	attr_t ac = ui_attr(UI_R_CLIENT) | A_BOLD, as = ui_attr(UI_R_SERVER) | A_BOLD;
	char lab[128], fl[64];
	const char *e0 = v->st->endpoint[0], *e1 = v->st->endpoint[1];

	if (s != NULL && v->st->endpoint_of != NULL) {
		e0 = v->st->endpoint_of(v->st->ctx, v->cur, 0);
		e1 = v->st->endpoint_of(v->st->ctx, v->cur, 1);
	}

	snprintf(lab, sizeof lab, "%s %s", _("client"), e0 ? e0 : "");
	ui_text(stdscr, r->y, r->x + 1, W / 2 - 2, ac, lab);
	snprintf(lab, sizeof lab, "%s %s", _("server"), e1 ? e1 : "");
	ui_text_right(stdscr, r->y, r->x + W / 2 + 1, W / 2 - 2, as, lab);
	wc = ui_big_width(cs);
	ws = ui_big_width(ss);
	if (wc + ws + 6 > W - 2) {
		/* RFC 9293's Figure 5 writes the two long names shorter */
		cs = big_short_name(cs);
		ss = big_short_name(ss);
		wc = ui_big_width(cs);
		ws = ui_big_width(ss);
	}
	if (wc < 0 || ws < 0 || wc + ws + 6 > W - 2) {
		/* too long a pair for this width: plain text on the middle row */
		wc = ui_text(stdscr, y + rows / 2, r->x + 1, W / 2 - 2, ac, cs);
		ws = ui_text_right(stdscr, y + rows / 2, r->x + W / 2 + 1, W / 2 - 2, as, ss);
		ws = ui_width(ss);
	} else {
		ui_big_draw(stdscr, y, r->x + 1, wc, rows, ac, cs);
		ui_big_draw(stdscr, y, r->x + W - 1 - ws, ws, rows, as, ss);
	}
	/* the middle: the segment's flags, or what the hosts did */
	mx = r->x + 1 + wc + 3;
	mw = W - 2 - wc - ws - 6;
	if (s == NULL || mw < 6)
		return;
	if (s->kind == TT_STEP_SEGMENT) {
		int lost = (s->notes & TT_NOTE(DROPPED)) != 0, fw;
		attr_t a = ui_attr(s->dir == TT_SERVER ? UI_R_SERVER : UI_R_CLIENT) | A_BOLD;

		tt_flags_format(s->seg.flags, fl, sizeof fl);
		fw = ui_big_width(fl);
		if (fw > 0 && fw <= mw) {
			ui_big_draw(stdscr, y, mx + (mw - fw) / 2, fw, rows, a, fl);
			big_arrow(r->y, mx + (mw - fw) / 2, fw, s->dir == TT_SERVER, lost, a);
		} else {
			fw = ui_width(fl);
			if (fw > mw)
				fw = mw;
			ui_text(stdscr, y + rows / 2 - 1, mx + (mw - fw) / 2, fw, a, fl);
			big_arrow(y + rows / 2, mx, mw, s->dir == TT_SERVER, lost, a);
		}
	} else if (s->nev > 0 && s->ev[0].ev.reason != TT_R_NONE) {
		snprintf(lab, sizeof lab, "%s: %s", ui_host_name(s->ev[0].host), event_label(s->ev[0].ev.reason));
		ui_text_center(stdscr, y + rows / 2, mx, mw, ui_attr(UI_R_DIM), lab);
	}
}

/* ---- TCBs ------------------------------------------------------------------ */

static const char *const tcb_names[T_N] = {
	"state", "ISS", "IRS", "SND.UNA", "SND.NXT", "SND.WND", "RCV.NXT", "RCV.WND", "cwnd",
	"ssthresh", "SRTT/RTO", "timers"
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
		const struct tt_step *s = step_at(v, k);
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

/* The running timers, "RTX 1s 2MSL 240s", in at most maxw columns: those
 * that do not fit are left out, and an ellipsis says so. */
static void
tcb_timers(const struct tt_tcb_view *t, tt_time now, int maxw, char *buf, size_t len)
{
	const struct { tt_time at; const char *name; } tm[] = {
		{ t->rtx_at, "RTX" }, { t->tw_at, "2MSL" }, { t->ka_at, "KA" },
		{ t->delack_at, "DACK" }, { t->user_at, "UTO" },
	};
	size_t at = 0, keep[sizeof tm / sizeof tm[0]], nk = 0;
	char one[sizeof tm / sizeof tm[0]][48];

	for (size_t i = 0; i < sizeof tm / sizeof tm[0]; i++)
		if (tm[i].at != TT_NEVER)
			snprintf(one[nk], sizeof one[nk], "%s %gs", tm[i].name, secs(tm[i].at - now)),
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
			snprintf(buf, len, "%gs / %gs", secs(t->srtt), secs(t->rto));
		else
			snprintf(buf, len, "- / %gs", secs(t->rto));
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
	return row == T_TIMERS && hp->live ? _("kernel") : tcb_names[row];
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
			if (ui_width(tcb_names[row]) + 1 + ui_width(a) > cw)
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
tcb_table(const struct rect *r, const struct tcbpair hp[2], const struct tcbshow *sh0)
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
tcb_halves(const struct rect *r, const struct tcbpair hp[2], const struct tcbshow *sh0, int per)
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
			if (ui_width(tcb_names[row]) + 1 + ui_width(a) > cw)
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
			used = ui_text(stdscr, yy, xx, ww, ui_attr(UI_R_DIM), tcb_names[row]);
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
static void
draw_tcb(struct sv *v, const struct rect *r)
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
		if (hp[h].live && shown(v) > 0)
			hp[h].nk = v->st->tcb_kernel(v->st->ctx, v->cur, h, hp[h].kp, 6);
		if (shown(v) > 0) {
			const struct tt_step *s = step_at(v, v->cur);

			hp[h].now = &s->tcb[h];
			hp[h].tnow = step_now(s);
			hp[h].known = tcb_known(v, v->cur, h);
			if (v->cur > 0) {
				hp[h].before = &step_at(v, v->cur - 1)->tcb[h];
				hp[h].tbefore = step_now(step_at(v, v->cur - 1));
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
	heading(v, r, _("TCBs"), right);
	if (rows >= tcb_nrows(&sh))
		tcb_table(r, hp, &sh);
	else
		tcb_halves(r, hp, &sh, per);
}

/* ---- explanation ------------------------------------------------------------ */

/* Draws paragraphs one after another with a common scroll; returns lines. */
static int
draw_paras(const struct para *p, size_t n, int y, int x, int h, int w, int skip, int gap)
{
	int line = 0;

	for (size_t i = 0; i < n; i++) {
		int need = ui_wrap(NULL, 0, 0, 0, w, 0, p[i].text, 0, 0);
		int first = line, rows_before = (first - skip) * (1 + gap);

		if (first + need > skip && rows_before < h) {
			int s0 = skip > first ? skip - first : 0;
			int yy = y + (first > skip ? rows_before : 0);

			ui_wrap(stdscr, yy, x, h - (yy - y), w, p[i].a, p[i].text, s0, gap);
		}
		line += need;
	}
	return line;
}

static void
step_headline(const struct sv *v, const struct tt_step *s, size_t i, char *buf, size_t len)
{
	char lab[160], nt[128];

	if (s->kind == TT_STEP_SEGMENT) {
		seg_label(v, s, 0, lab, sizeof lab);
		tt_notes_format(s->notes, nt, sizeof nt);
		snprintf(buf, len, _("Step %zu of %zu: %s %s %s: %s%s%s%s"), i + 1, nsteps(v),
		         ui_host_name(s->dir), ui_glyph(UI_G_RIGHTWARDS), ui_host_name(!s->dir),
		         lab, *nt ? "  [" : "", nt, *nt ? "]" : "");
	} else {
		snprintf(buf, len, _("Step %zu of %zu: at the %s"), i + 1, nsteps(v), ui_host_name(s->dir));
	}
}

/* One sentence per annotation of a segment. */
static const char *
note_text(unsigned bit)
{
	switch (bit) {
	case TT_NOTE(RETRANSMISSION):
		return _("Retransmission: this segment carries sequence numbers sent before.");
	case TT_NOTE(OUT_OF_ORDER):
		return _("Out of order: it arrived after a segment with higher sequence numbers.");
	case TT_NOTE(LOST_SEGMENT):
		return _("A previous segment was not captured: there is a gap in the sequence numbers.");
	case TT_NOTE(DUP_ACK):
		return _("Duplicate ACK: the same acknowledgment again, nothing new acknowledged.");
	case TT_NOTE(KEEP_ALIVE):
		return _("Keep-alive probe: one byte (or none) below SND.NXT to ask whether the peer is still there.");
	case TT_NOTE(KEEP_ALIVE_ACK):
		return _("The answer to a keep-alive probe.");
	case TT_NOTE(ZERO_WINDOW):
		return _("Zero window: the sender's receive buffer is full; the peer must stop sending.");
	case TT_NOTE(WINDOW_UPDATE):
		return _("Window update: only the advertised window changed.");
	case TT_NOTE(MID_STREAM):
		return _("The capture starts after the handshake: the states are inferred from here on.");
	case TT_NOTE(TRUNCATED):
		return _("The packet was truncated in the capture.");
	case TT_NOTE(DROPPED):
		return _("The segment was lost on the wire: the receiver never saw it.");
	case TT_NOTE(DUPLICATE):
		return _("The wire delivered a second copy of this segment.");
	case TT_NOTE(DELAYED):
		return _("The wire held this segment back: it arrives later than sent.");
	case TT_NOTE(KERNEL_DIFFERS):
		return _("The kernel's own state differs from the inferred one (see above).");
	case TT_NOTE(SPOOFED):
		return _("A flood's SYN, from an address no host has (spoofed): nobody will answer its SYN,ACK.");
	case TT_NOTE(NO_HOST):
		return _("Sent to an address no host has: the segment is lost there, and nothing, not even a RST, comes back.");
	case TT_NOTE(QUEUE_FULL):
		return _("The bottleneck's queue was full: a drop-tail router threw this segment away.");
	case TT_NOTE(EVENTS_CUT):
		return _("More happened in this step than a step keeps: some of its events are not shown.");
	case TT_NOTE(CE):
		return _("The bottleneck's queue was long: the router marked this ECN-capable segment CE (Congestion Experienced, RFC 3168) instead of dropping it.");
	default:
		return "";
	}
}

/* What the hosts did in step s (prev: the step before, or NULL), one line
 * per event. Without events (a capture) the state changes are described. */
static void
step_events(const struct tt_step *s, const struct tt_step *prev, char *buf, size_t len)
{
	size_t at = 0;
	int said = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < s->nev && k < TT_STEP_EVENTS && at < len; k++) {
		const struct tt_event *e = &s->ev[k].ev;
		const char *why = tt_reason_text(e->reason);
		char rule[96], chg[96];

		if (e->reason == TT_R_NONE)
			continue;
		said = 1;
		rule_name(e->reason, rule, sizeof rule);
		if (e->from != e->to)
			snprintf(chg, sizeof chg, _("%s %s %s. "), tt_state_name(e->from),
			         ui_glyph(UI_G_RIGHTWARDS), tt_state_name(e->to));
		else
			chg[0] = '\0';
		at += (size_t)snprintf(buf + at, len - at, "%s", at ? "\n" : "");
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, _("%s: "), ui_host_name(s->ev[k].host));
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", chg, *why ? _(why) : "");
		if (at < len && *rule)
			at += (size_t)snprintf(buf + at, len - at, _(" (%s)"), rule);
		if (at < len && e->error != TT_E_NONE)
			at += (size_t)snprintf(buf + at, len - at, _(" The application is told: %s."),
			                       error_text(e->error));
	}
	for (int h = 0; h < 2 && !said && at < len; h++) {
		enum tt_state was = prev != NULL ? prev->tcb[h].state : TT_CLOSED;

		if (s->tcb[h].state == was)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s", at ? "\n" : "");
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, _("%s: "), ui_host_name(h));
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, _("%s %s %s (inferred from the segments seen)."),
			                       tt_state_name(was), ui_glyph(UI_G_RIGHTWARDS),
			                       tt_state_name(s->tcb[h].state));
	}
	for (unsigned b = 0; b < TT_NNOTES && at < len; b++) {
		if (!(s->notes & (1u << b)))
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "\n" : "", note_text(1u << b));
	}
}

static int
word_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == ',' || c == '-' || c == '_';
}

/* Puts mark in place of every whole-word `word` in buf (in place: mark is
 * never longer than the words it stands for here). */
static void
mask_word(char *buf, const char *word, const char *mark)
{
	size_t al = strlen(word), ml = strlen(mark);

	if (al < ml)
		return;
	for (char *p = buf; (p = strstr(p, word)) != NULL;) {
		if ((p > buf && word_char((unsigned char)p[-1])) || word_char((unsigned char)p[al])) {
			p += al;
			continue;
		}
		memcpy(p, mark, ml);
		memmove(p + ml, p + al, strlen(p + al) + 1);
		p += ml;
	}
}

/* The engine's reasons say what a host sends ("SYN,ACK sent"): while the
 * checkpoint after the step on screen is still to be asked, its answer is
 * left out of them (an ellipsis stands in), unless it is a state that is on
 * screen anyway. */
static void
hide_next_answer(const struct sv *v, char *buf)
{
	const struct ui_checkpoint *cp;
	const struct tt_step *s = step_at(v, v->cur);
	const char *mark = ui_glyph(UI_G_ELLIPSIS);
	size_t i = v->cur + 1, al, ml = strlen(mark);

	if (v->st->checkpoint == NULL || i >= nsteps(v) || (i < v->nasked && v->asked[i]))
		return;
	cp = v->st->checkpoint(v->st->ctx, i);
	if (cp == NULL || cp->nchoices == 0 || cp->answer == NULL || (al = strlen(cp->answer)) < ml)
		return;
	if (strcmp(cp->answer, tt_state_name(s->tcb[0].state)) == 0 ||
	    strcmp(cp->answer, tt_state_name(s->tcb[1].state)) == 0)
		return;
	mask_word(buf, cp->answer, mark);
	/* a flags answer ("RST,ACK"): each of its flags is part of the answer
	 * ("answered with a RST" would give half of it away) */
	if (strchr(cp->answer, ',') != NULL) {
		char flag[16];
		const char *a = cp->answer;

		while (*a != '\0') {
			size_t n = strcspn(a, ",");

			if (n > 0 && n < sizeof flag) {
				memcpy(flag, a, n);
				flag[n] = '\0';
				mask_word(buf, flag, mark);
			}
			a += n + (a[n] == ',');
		}
	}
}

static int
choice_correct(const struct ui_checkpoint *cp, int k, const char *typed)
{
	char num[16];
	const char *given = typed;

	if (cp->answer == NULL)
		return 0;
	if (k >= 0) {
		snprintf(num, sizeof num, "%d", k + 1);
		if (strcmp(cp->answer, num) == 0)
			return 1;
		given = cp->choices[k];
	}
	while (*given == ' ')
		given++;
	{
		size_t gl = strlen(given), al = strlen(cp->answer);

		while (gl > 0 && given[gl - 1] == ' ')
			gl--;
		return gl == al && strncasecmp(given, cp->answer, gl) == 0;
	}
}

/* Replay: where a segment crossed another on the wire (its receiver sent
 * the other one before this arrived, so its ACK does not cover it), or a
 * segment the capture missed was inferred. Returns 0 when none. */
static int
crossing(const struct sv *v, size_t i, char *buf, size_t len)
{
	const struct tt_step *s = step_at(v, i);
	size_t at = 0;

	buf[0] = '\0';
	if (!v->st->replay || s->kind != TT_STEP_SEGMENT)
		return 0;
	if (s->crossed_after != 0)
		at += (size_t)snprintf(buf + at, len - at,
		                       _("Crossed on the wire: the %s sent frame %llu before this "
		                         "segment reached it (that frame's ACK does not cover it), "
		                         "so it arrives only after frame %llu."),
		                       ui_host_name(!s->dir), (unsigned long long)s->crossed_after,
		                       (unsigned long long)s->crossed_after);
	for (size_t k = 0; k < i && at < len; k++) {
		const struct tt_step *o = step_at(v, k);

		if (o->kind == TT_STEP_SEGMENT && o->crossed_after == s->frame)
			at += (size_t)snprintf(buf + at, len - at,
			                       _("%sFrame %llu, which crossed this one on the wire, "
			                         "arrives at the %s now."), at ? " " : "",
			                       (unsigned long long)o->frame, ui_host_name(!o->dir));
	}
	for (unsigned k = 0; k < s->nev && at < len; k++)
		if (s->ev[k].ev.reason == TT_R_OPEN_PASSIVE) {
			at += (size_t)snprintf(buf + at, len - at,
			                       _("%sNo capture shows a listen(): the %s is taken to have "
			                         "been listening since it was sent a SYN (its first answer "
			                         "would show otherwise: a RST, or a SYN of its own)."),
			                       at ? " " : "", ui_host_name(s->ev[k].host));
			break;
		}
	if (s->lost && at < len)
		at += (size_t)snprintf(buf + at, len - at,
		                       _("%sLost on the way: the %s spoke afterwards without "
		                         "acknowledging it, and it was sent again."), at ? " " : "",
		                       ui_host_name(!s->dir));
	if (s->inferred && at < len)
		snprintf(buf + at, len - at,
		         _("%sThe capture missed a segment here: what acknowledges it shows it was "
		           "sent and received, so the engine takes it as if seen."), at ? " " : "");
	return buf[0] != '\0';
}

static void
build_expl(struct sv *v)
{
	struct para *p = v->e_p;
	size_t np = 0;
	char *head = v->e_head, *evs = v->e_evs, *extra = v->e_extra, *states = v->e_states;
	char *status = v->e_status;
	int present = v->o->present;
	attr_t big = present ? A_BOLD : 0;

	if (v->ext != NULL && v->ext->status != NULL) {
		v->ext->status(v->ext->ctx, status, sizeof v->e_status);
		if (status[0])
			p[np++] = (struct para){ status, ui_attr(UI_R_MARK) };
	}
	if (v->ask >= 0) {
		const struct ui_checkpoint *cp = v->st->checkpoint(v->st->ctx, (size_t)v->ask);
		char *q = v->e_q;
		size_t at = 0;

		p[np++] = (struct para){ _("Checkpoint: predict what happens next."), ui_attr(UI_R_MARK) };
		p[np++] = (struct para){ cp->question, A_BOLD };
		q[0] = '\0';
		for (size_t k = 0; k < cp->nchoices && at < sizeof v->e_q; k++)
			at += (size_t)snprintf(q + at, sizeof v->e_q - at, "%s%zu) %s", k ? "   " : "", k + 1,
			                       cp->choices[k]);
		if (cp->nchoices > 0)
			p[np++] = (struct para){ q, 0 };
		if (v->ask_state == 0) {
			if (present)
				p[np++] = (struct para){ _("Press r to reveal the answer."), ui_attr(UI_R_DIM) };
			else if (cp->nchoices > 0)
				p[np++] = (struct para){ _("Press the number of your answer (r: reveal)."), ui_attr(UI_R_DIM) };
			else
				p[np++] = (struct para){ _("Press Enter to type your answer (r: reveal)."), ui_attr(UI_R_DIM) };
		} else {
			if (v->ask_state == 1)
				snprintf(extra, sizeof v->e_extra, _("Right: %s."), cp->answer);
			else if (v->ask_state == 2)
				snprintf(extra, sizeof v->e_extra, _("Not quite: the answer is %s."), cp->answer);
			else
				snprintf(extra, sizeof v->e_extra, _("The answer: %s."), cp->answer);
			p[np++] = (struct para){ extra, ui_attr(v->ask_state == 2 ? UI_R_BAD : UI_R_OK) };
			if (cp->why != NULL)
				p[np++] = (struct para){ cp->why, 0 };
			p[np++] = (struct para){ _("Press n to see what happens."), ui_attr(UI_R_DIM) };
		}
	} else if (shown(v) == 0) {
		p[np++] = (struct para){ v->ext != NULL && v->ext->empty != NULL ? v->ext->empty :
		                         _("Nothing has happened yet."), 0 };
	} else {
		const struct tt_step *s = step_at(v, v->cur);
		const char *nar = v->st->narration != NULL ? v->st->narration(v->st->ctx, v->cur) : NULL;

		/* past the last step: the summary first, the step just read under it */
		if (v->at_end && (v->ext == NULL || v->ext->more == NULL)) {
			const char *sum = v->st->summary != NULL ? v->st->summary(v->st->ctx) : NULL;

			p[np++] = (struct para){ sum != NULL ? sum : _("This is the last step. Press p to go back, q to leave."),
			                         ui_attr(UI_R_OK) };
		}
		if (present && big_rows(v) == 0) {
			snprintf(states, sizeof v->e_states, "%s: %s    %s: %s", _("client"),
			         tt_state_name(s->tcb[0].state), _("server"), tt_state_name(s->tcb[1].state));
			p[np++] = (struct para){ states, ui_attr(UI_R_MARK) };
		}
		if (nar != NULL && *nar != '\0')
			p[np++] = (struct para){ nar, big };
		step_headline(v, s, v->cur, head, sizeof v->e_head);
		p[np++] = (struct para){ head, ui_attr(UI_R_HEADING) };
		step_events(s, v->cur > 0 ? step_at(v, v->cur - 1) : NULL, evs, sizeof v->e_evs);
		hide_next_answer(v, evs);
		if (evs[0])
			p[np++] = (struct para){ evs, big };
		if (crossing(v, v->cur, v->e_cross, sizeof v->e_cross))
			p[np++] = (struct para){ v->e_cross, ui_attr(UI_R_MARK) };
	}
	if (v->msg[0])
		p[np++] = (struct para){ v->msg, ui_attr(UI_R_BAD) };
	v->e_np = np;
}

/* Rows the explanation needs at width w. */
static int
expl_need(const struct sv *v, int w)
{
	int lines = 0;

	for (size_t i = 0; i < v->e_np; i++)
		lines += ui_wrap(NULL, 0, 0, 0, w, 0, v->e_p[i].text, 0, 0);
	return lines * (v->o->present ? 2 : 1);
}

static void
draw_expl(struct sv *v, const struct rect *r)
{
	const struct para *p = v->e_p;
	size_t np = v->e_np;
	int gap = v->o->present ? 1 : 0;

	heading(v, r, _("What happened"), NULL);
	v->expl_h = r->h - 1;
	v->expl_lines = draw_paras(p, np, r->y + 1, r->x + 1, r->h - 1, r->w - 2, 0, gap);
	if (v->expl_skip > 0) {
		for (int y = r->y + 1; y < r->y + r->h; y++)
			ui_fill(stdscr, y, r->x, r->w, 0);
		draw_paras(p, np, r->y + 1, r->x + 1, r->h - 1, r->w - 2, v->expl_skip, gap);
	}
	if (v->expl_lines * (1 + gap) > r->h - 1)
		ui_textf(stdscr, r->y, r->x + r->w - 10, 9, ui_attr(UI_R_DIM), "[%s%s]",
		         v->expl_skip > 0 ? ui_glyph(UI_G_ARROW_U) : "", ui_glyph(UI_G_ARROW_D));
}

/* ---- whole screen ------------------------------------------------------------- */

static void
sv_draw(void *ctx)
{
	struct sv *v = ctx;
	char right[160];

	ensure_bases(v);
	build_expl(v);
	if (layout(v) != 0) {
		char m[160];

		snprintf(m, sizeof m, _("Please enlarge the terminal to at least %dx%d (now %dx%d)."),
		         MIN_W, MIN_H, COLS, LINES);
		ui_wrap(stdscr, LINES / 2 - 1, 1, LINES - LINES / 2, COLS - 2, A_BOLD, m, 0, 0);
		ui_text(stdscr, LINES - 1, 0, COLS, ui_attr(UI_R_DIM), _("q: quit"));
		return;
	}
	if (nsteps(v) > 0) {
		char pace[64];

		snprintf(pace, sizeof pace, _("  [auto: %.2f s/step]"), v->interval / 1000.0);
		snprintf(right, sizeof right, _("step %zu/%zu  t=%.6f s%s"), shown(v) > 0 ? v->cur + 1 : 0,
		         nsteps(v), shown(v) > 0 ? secs(step_now(step_at(v, v->cur))) : 0.0,
		         v->ext != NULL && v->ext->poll != NULL ?
		         (v->follow ? _("  [live: following]") : _("  [live: End follows]")) :
		         !v->auto_on ? "" : paused(v) ? _("  [auto: waits for the answer]") : pace);
	} else
		snprintf(right, sizeof right, "%s", _("no steps yet"));
	ui_titlebar(v->st->title != NULL ? v->st->title : "tcptutor", right);
	if (v->big.on)
		draw_big(v, &v->big);
	if (v->r[P_TABLE].on)
		draw_table(v, &v->r[P_TABLE]);
	if (v->r[P_LADDER].on)
		draw_ladder(v, &v->r[P_LADDER]);
	if (v->r[P_GRAPH].on)
		draw_graph(v, &v->r[P_GRAPH]);
	if (v->r[P_STATES].on)
		draw_states(v, &v->r[P_STATES]);
	if (v->r[P_TCB].on)
		draw_tcb(v, &v->r[P_TCB]);
	if (v->r[P_EXPL].on)
		draw_expl(v, &v->r[P_EXPL]);
	/* Key bars: the extension's keys first (the sandbox's actions), then
	 * the step view's, flowed over as many rows as bars() gave them. */
	{
		struct ui_keyhint keys[40];
		size_t nk = collect_keys(v, keys, sizeof keys / sizeof keys[0]);
		int nb = bars(v);

		ui_keyflow(LINES - nb, nb, keys, nk);
	}
}

/* ---- moving ----------------------------------------------------------------- */

static void
ensure_asked(struct sv *v)
{
	if (v->nasked >= nsteps(v))
		return;
	v->asked = realloc(v->asked, nsteps(v) + 1);
	if (v->asked == NULL)
		ui_fatal("%s", _("out of memory"));
	memset(v->asked + v->nasked, 0, nsteps(v) + 1 - v->nasked);
	v->nasked = nsteps(v) + 1;
}

/* Opens the checkpoint asked before step i, unless there is none or it was
 * answered; returns 1 when it opened one. */
static int
ask_before(struct sv *v, size_t i)
{
	ensure_asked(v);
	if (v->st->checkpoint == NULL || i >= nsteps(v) || v->asked[i] ||
	    v->st->checkpoint(v->st->ctx, i) == NULL)
		return 0;
	v->ask = (long)i;
	v->ask_state = 0;
	v->expl_skip = 0;
	return 1;
}

/* The panel a lesson chose for step i, or UI_VIEW_KEEP. */
static int
view_of(const struct sv *v, size_t i)
{
	return v->st->view != NULL && i < nsteps(v) ? v->st->view(v->st->ctx, i) : UI_VIEW_KEEP;
}

static void
go_to(struct sv *v, size_t i)
{
	int want;

	if (nsteps(v) == 0)
		return;
	if (i >= nsteps(v))
		i = nsteps(v) - 1;
	/* the author's view takes over where it changes, and the learner's
	 * own choice (b, m) holds until the next change */
	want = view_of(v, i);
	if (want != UI_VIEW_KEEP && (i == v->cur || want != view_of(v, v->cur)))
		v->graph = want == UI_VIEW_WINDOWS ? G_WINDOWS : want == UI_VIEW_CWND ? G_CWND :
		           want == UI_VIEW_SEQUENCE ? G_TSEQ : G_NONE;
	v->cur = i;
	v->due = ui_now_ms() + v->interval;
	v->expl_skip = 0;
	v->ladder_back = 0;
	v->at_end = 0;
	v->ask = -1;
}

static enum ui_next
go_next(struct sv *v)
{
	size_t i;

	v->msg[0] = '\0';
	if (v->ask >= 0) {
		if (v->ask_state == 0)
			return UI_STAY;
		i = (size_t)v->ask;
		go_to(v, i);
		return UI_REDRAW;
	}
	if (nsteps(v) == 0 || v->cur + 1 >= nsteps(v)) {
		size_t before = nsteps(v);

		if (v->ext != NULL && v->ext->more != NULL && v->ext->more(v->ext->ctx)) {
			go_to(v, before == 0 ? 0 : v->cur + 1);
			return UI_REDRAW;
		}
		if (nsteps(v) > 0)
			v->at_end = 1;
		v->auto_on = 0;
		return UI_REDRAW;
	}
	i = v->cur + 1;
	if (!ask_before(v, i))   /* auto-play waits at an open checkpoint */
		go_to(v, i);
	return UI_REDRAW;
}

static enum ui_next
answer(struct sv *v, int k, const char *typed)
{
	const struct ui_checkpoint *cp = v->st->checkpoint(v->st->ctx, (size_t)v->ask);
	int ok;

	if (k < -1 || (k >= 0 && (size_t)k >= cp->nchoices))
		return UI_STAY;
	ok = choice_correct(cp, k, typed);
	v->ask_state = ok ? 1 : 2;
	v->asked[v->ask] = 1;
	v->due = ui_now_ms() + 2 * v->interval;   /* time to read why */
	if (v->st->answered != NULL)
		v->st->answered(v->st->ctx, (size_t)v->ask, ok);
	return UI_REDRAW;
}

static const char *
help_text(const struct sv *v)
{
	static char buf[6144];
	const char *extra = v->ext != NULL && v->ext->help != NULL ? v->ext->help(v->ext->ctx) : NULL;
	int n;

	n = snprintf(buf, sizeof buf,
	             _("Keys of the step view\n"
	               "\n"
	               "  n, Space, Right   next step\n"
	               "  p, Left           previous step (shows exactly the earlier state)\n"
	               "  Home, End         first / last step\n"
	               "  g                 go to a frame (the # column) or step number\n"
	               "  Enter             full header and options of the current segment\n"
	               "  a                 auto-play on/off;  + / -  faster / slower\n"
	               "  Tab               move the focus between panels\n"
	               "  Up, Down          in the focused panel: table rows, ladder or text scroll\n"
	               "  PgUp, PgDn        scroll the explanation\n"
	               "  v                 small screens: switch the middle panel (ladder, states, TCBs)\n"
	               "  b                 the windows over the bytes (RFC 9293 Figures 3 and 4) in\n"
	               "                    the ladder's place, again: back\n"
	               "  m                 charts in the ladder's place: cwnd and ssthresh over time,\n"
	               "                    again: the time-sequence graph, again: back\n"
	               "  /                 search segments (flags, notes, states), again: next match\n"
	               "  ?                 this help\n"
	               "  q                 back / quit\n"
	               "\n"
	               "The table shows one row per segment: # (step or frame), time, direction\n"
	               "(C>S client to server), flags, relative seq and ack (the sender's initial\n"
	               "sequence number counts as 0), payload length, window, and both endpoints'\n"
	               "RFC 9293 states after the segment. The line under it writes the flags as\n"
	               "the classic texts do (SYN=1,ACK=0).\n"
	               "\n"
	               "In the ladder time runs downwards; a cross marks a segment lost on the\n"
	               "wire. Each arrow is labelled with its flags and numbers, as in\n"
	               "\"PSH,ACK seq=1 ack=1 len=100\". A short arrow writes them narrow:\n"
	               "\"PSH,ACK 1/1 +100\" is seq 1, ack 1 (after the slash, only with ACK) and\n"
	               "100 bytes of data (after the +, only when there are any). Where even that\n"
	               "does not fit, the last parts are left out and %s says so; Enter shows\n"
	               "the whole segment.\n"
	               "\n"
	               "In the state diagram the client's state is lit in one colour (marked C\n"
	               "without colours), the server's in another (marked S), a state both are in\n"
	               "in a third (marked CS), and the transition just taken is highlighted. In\n"
	               "the TCBs, values that changed in this step are highlighted; a short panel\n"
	               "writes the numbers relative to ISS and IRS when they would not fit (its\n"
	               "heading says so), and a capture shows - for what it cannot know.\n"
	               "\n"
	               "The windows (b) draw each host's send sequence space as RFC 9293 Figure 3\n"
	               "does: acknowledged, sent and not yet acknowledged, the usable window, and\n"
	               "what is not yet allowed, with SND.UNA, SND.NXT, SND.UNA+SND.WND and, with\n"
	               "congestion control, the limit cwnd sets (usable = min(SND.WND, cwnd) minus\n"
	               "the bytes in flight); and its receive sequence space as Figure 4 does,\n"
	               "with RCV.NXT and RCV.NXT+RCV.WND. Between the marks the bytes are to\n"
	               "scale; the acknowledged part and what lies beyond the window are not.\n"
	               "The charts (m) put a cursor at the current step. A capture cannot know\n"
	               "cwnd: its chart shows the bytes in flight and the window offered instead.\n"),
	             ui_glyph(UI_G_ELLIPSIS));
	if (extra != NULL && n > 0 && (size_t)n < sizeof buf)
		snprintf(buf + n, sizeof buf - (size_t)n, "\n%s", extra);
	return buf;
}

static void
detail_text(const struct sv *v, const struct tt_step *s, char *buf, size_t len)
{
	char fl[64], bits[64], nt[128], evs[2048], hex[3 * TT_PREVIEW + 1], asc[TT_PREVIEW + 1];
	char opts[32];
	uint32_t seq, ack;
	size_t at, np = s->seg.len < TT_PREVIEW ? s->seg.len : TT_PREVIEW;
	char epf[96], ept[96];
	const char *from = endpoint_at(v, s, s->dir == TT_SERVER, epf, sizeof epf);
	const char *to = endpoint_at(v, s, s->dir != TT_SERVER, ept, sizeof ept);

	if (s->seg.mss)
		snprintf(opts, sizeof opts, "MSS=%u", s->seg.mss);
	else
		snprintf(opts, sizeof opts, "%s", _("none"));
	seg_numbers(v, s, &seq, &ack);
	tt_flags_format(s->seg.flags, fl, sizeof fl);
	tt_flags_format_bits(s->seg.flags, bits, sizeof bits);
	tt_notes_format(s->notes, nt, sizeof nt);
	for (size_t i = 0; i < np; i++) {
		snprintf(hex + 3 * i, 4, "%02x ", s->preview[i]);
		asc[i] = s->preview[i] >= 0x20 && s->preview[i] < 0x7f ? (char)s->preview[i] : '.';
	}
	hex[3 * np] = '\0';
	asc[np] = '\0';
	at = (size_t)snprintf(buf, len,
	                      _("Segment #%llu: %s %s %s (%s %s %s)\n"
	                        "Sent at %.6f s, arrives at %.6f s\n\n"
	                        "Flags:             %s   (%s)\n"
	                        "Sequence number:   %u   (absolute %u)\n"
	                        "Acknowledgment:    %s%u   (absolute %u)\n"
	                        "Window:            %u\n"
	                        "Payload length:    %u   (sequence space used: %u)\n"
	                        "Urgent pointer:    %u\n"
	                        "Options:           %s\n"),
	                      (unsigned long long)s->frame, from ? from : ui_host_name(s->dir),
	                      ui_glyph(UI_G_RIGHTWARDS), to ? to : ui_host_name(!s->dir),
	                      ui_host_name(s->dir), ui_glyph(UI_G_RIGHTWARDS),
	                      ui_host_name(!s->dir), secs(s->time), secs(s->arrival), fl, bits, seq,
	                      s->seg.seq, (s->seg.flags & TT_ACK) ? "" : _("(ACK not set) "), ack, s->seg.ack,
	                      s->seg.wnd, s->seg.len, tt_seg_seqlen(&s->seg), s->seg.up, opts);
	if (at < len && np > 0)
		at += (size_t)snprintf(buf + at, len - at, _("Payload (first %zu bytes): %s |%s|\n"), np, hex, asc);
	if (at < len && nt[0])
		at += (size_t)snprintf(buf + at, len - at, _("Notes:             %s\n"), nt);
	step_events(s, NULL, evs, sizeof evs);
	if (at < len && evs[0])
		snprintf(buf + at, len - at, "\n%s\n", evs);
}

static int
search_match(const struct sv *v, const struct tt_step *s, const char *q)
{
	char row[512] = "", buf[128];
	size_t ql = strlen(q);

	for (int c = 0; c < C_N; c++) {
		cell(v, s, (enum col)c, buf, sizeof buf);
		strncat(row, buf, sizeof row - strlen(row) - 2);
		strcat(row, " ");
	}
	for (const char *p = row; *p; p++)
		if (strncasecmp(p, q, ql) == 0)
			return 1;
	return 0;
}

/* v: the next panel in the middle slot (small screens, presenter mode). */
static void
swap_panel(struct sv *v)
{
	static const int order_c[] = { P_LADDER, P_STATES, P_TCB };
	static const int order_p[] = { P_LADDER, P_TABLE, P_TCB };
	const int *o = v->o->present ? order_p : order_c;
	int k = 0;

	while (k < 3 && o[k] != v->swap)
		k++;
	v->swap = o[(k + 1) % 3];
	v->focus = v->swap;
}

/* Enter: the full header and options of the segment on screen. */
static enum ui_next
show_detail(struct sv *v)
{
	long si = shown(v) > 0 ? segment_at_or_before(v, v->cur) : -1;
	char text[8192];
	const char *d = NULL;

	if (si < 0) {
		snprintf(v->msg, sizeof v->msg, "%s", _("No segment to show yet."));
		return UI_REDRAW;
	}
	if (v->st->detail != NULL)
		d = v->st->detail(v->st->ctx, (size_t)si);
	if (d == NULL) {
		detail_text(v, step_at(v, (size_t)si), text, sizeof text);
		d = text;
	}
	ui_pager(_("Segment detail"), d);
	return UI_REDRAW;
}

/* A key while a checkpoint is open and unanswered: what happens next, or
 * -1 when the key is not the checkpoint's. */
static int
checkpoint_key(struct sv *v, int key)
{
	const struct ui_checkpoint *cp = v->st->checkpoint(v->st->ctx, (size_t)v->ask);

	if (key >= '1' && key <= '9' && cp->nchoices > 0)
		return answer(v, key - '1', NULL);
	if (key == 'r') {
		v->ask_state = 3;
		v->asked[v->ask] = 1;
		v->due = ui_now_ms() + 2 * v->interval;
		return UI_REDRAW;
	}
	if ((key == '\r' || key == '\n' || key == UI_FN(KEY_ENTER)) && cp->nchoices == 0) {
		v->ask_typed[0] = '\0';
		if (ui_ask(_("Your answer"), cp->question, v->ask_typed, sizeof v->ask_typed) == 0)
			return answer(v, -1, v->ask_typed);
		return UI_REDRAW;
	}
	if (key == 'p' || key == UI_FN(KEY_LEFT)) {
		if (v->ask == 0)      /* nothing before the first step */
			return UI_STAY;
		v->ask = -1;
		return UI_REDRAW;
	}
	if (key == 'n' || key == ' ' || key == UI_FN(KEY_RIGHT))
		return UI_STAY;
	return -1;
}

/* g: asks for a frame or step number and goes there. */
static enum ui_next
goto_prompt(struct sv *v)
{
	char buf[32] = "";
	char *end;
	unsigned long k;
	size_t n = nsteps(v);

	if (n == 0 || ui_ask(_("Go to"), _("Frame (# column) or step number:"), buf, sizeof buf) != 0)
		return UI_REDRAW;
	k = strtoul(buf, &end, 10);
	if (*buf == '\0' || *end != '\0') {
		snprintf(v->msg, sizeof v->msg, _("'%s' is not a number."), buf);
		return UI_REDRAW;
	}
	for (size_t i = 0; i < n; i++)
		if (step_at(v, i)->kind == TT_STEP_SEGMENT && step_at(v, i)->frame == k) {
			go_to(v, i);
			return UI_REDRAW;
		}
	if (k >= 1 && k <= n)
		go_to(v, k - 1);
	else
		snprintf(v->msg, sizeof v->msg, _("There is no frame or step %lu."), k);
	return UI_REDRAW;
}

/* /: asks what to find and goes to the next segment that matches; what is
 * still to come is reached step by step, so checkpoints are not skipped. */
static enum ui_next
search_prompt(struct sv *v)
{
	char buf[128];
	size_t n = nsteps(v);

	snprintf(buf, sizeof buf, "%s", v->search);
	if (n == 0 || ui_ask(_("Search"), _("Find a segment (flags, note, state, number):"), buf,
	                     sizeof buf) != 0 || buf[0] == '\0')
		return UI_REDRAW;
	snprintf(v->search, sizeof v->search, "%s", buf);
	for (size_t k = 1; k <= n; k++) {
		size_t i = (v->cur + k) % n;

		if (step_at(v, i)->kind == TT_STEP_SEGMENT && search_match(v, step_at(v, i), buf)) {
			if (!shows_future(v) && i > v->cur) {
				while (v->cur < i && v->ask < 0)
					go_next(v);
			} else {
				go_to(v, i);
			}
			return UI_REDRAW;
		}
	}
	snprintf(v->msg, sizeof v->msg, _("No segment matches '%s'."), buf);
	return UI_REDRAW;
}

/* Up and Down in the focused panel: table rows, ladder or text scroll. */
static enum ui_next
up_down(struct sv *v, int up)
{
	size_t n = nsteps(v);

	if (v->focus == P_TABLE && n > 0 && up) {
		long s = segment_at_or_before(v, v->cur);
		long prev = s > 0 ? segment_at_or_before(v, (size_t)s - 1) : -1;

		if ((size_t)s != v->cur && s >= 0)
			go_to(v, (size_t)s);
		else if (prev >= 0)
			go_to(v, (size_t)prev);
	} else if (v->focus == P_TABLE && n > 0) {
		for (size_t i = v->cur + 1; i < n; i++)
			if (step_at(v, i)->kind == TT_STEP_SEGMENT) {
				while (v->cur < i && v->ask < 0)
					go_next(v);
				break;
			}
	} else if (v->focus == P_LADDER) {
		if (up)
			v->ladder_back++;
		else if (v->ladder_back > 0)
			v->ladder_back--;
	} else if (up && v->expl_skip > 0) {
		v->expl_skip--;
	} else if (!up && v->expl_skip + v->expl_h < v->expl_lines) {
		v->expl_skip++;
	}
	return UI_REDRAW;
}

static enum ui_next
sv_key(void *ctx, int key)
{
	struct sv *v = ctx;
	size_t n = nsteps(v);
	int r;

	if (key != '/' && key != 'g')
		v->msg[0] = '\0';
	/* live: stepping back stays there; End follows the newest again */
	if (v->ext != NULL && v->ext->poll != NULL) {
		if (key == 'p' || key == UI_FN(KEY_LEFT) || key == UI_FN(KEY_BACKSPACE) ||
		    key == UI_FN(KEY_HOME) || key == 'g' || key == '/' || key == UI_FN(KEY_UP))
			v->follow = 0;
		else if (key == UI_FN(KEY_END))
			v->follow = 1;
	}
	/* Checkpoint open: answers first. */
	if (v->ask >= 0 && v->ask_state == 0 && (r = checkpoint_key(v, key)) >= 0)
		return (enum ui_next)r;
	if (v->ext != NULL && v->ext->key != NULL) {
		size_t c = v->cur;

		r = v->ext->key(v->ext->ctx, key, &c);
		if (r >= 0) {
			if (nsteps(v) > 0 && c != v->cur)
				go_to(v, c);
			return (enum ui_next)r;
		}
	}
	switch (key) {
	case 'n':
	case ' ':
	case UI_FN(KEY_RIGHT):
		return go_next(v);
	case 'p':
	case UI_FN(KEY_LEFT):
	case UI_FN(KEY_BACKSPACE):
		if (v->ask == 0)
			return UI_STAY;
		if (v->ask >= 0) {
			v->ask = -1;
			return UI_REDRAW;
		}
		if (v->at_end && (v->ext == NULL || v->ext->more == NULL)) {
			v->at_end = 0;
			return UI_REDRAW;
		}
		if (v->cur > 0)
			go_to(v, v->cur - 1);
		return UI_REDRAW;
	case UI_FN(KEY_HOME):
		go_to(v, 0);
		ask_before(v, 0);
		return UI_REDRAW;
	case UI_FN(KEY_END):
		/* Checkpoints on the way are not skipped: stop at the first open one. */
		while (n > 0 && v->cur + 1 < n) {
			go_next(v);
			if (v->ask >= 0)
				break;
		}
		return UI_REDRAW;
	case 'g':
		return goto_prompt(v);
	case '\r':
	case '\n':
	case UI_FN(KEY_ENTER):
		return show_detail(v);
	case 'a':
		v->auto_on = !v->auto_on;
		v->due = ui_now_ms() + v->interval;
		return UI_REDRAW;
	case '+':
	case '=':
	case '-':
		/* the pace is in the title bar while playing, and said here */
		if (key != '-' && v->interval > 250)
			v->interval /= 2;
		else if (key == '-' && v->interval < 16000)
			v->interval *= 2;
		snprintf(v->msg, sizeof v->msg, _("Auto-play: one step every %.2f s."), v->interval / 1000.0);
		return UI_REDRAW;
	case '\t':
		for (int k = 1; k <= P_N; k++) {
			int f = (v->focus + k) % P_N;

			if (v->r[f].on) {
				v->focus = f;
				break;
			}
		}
		return UI_REDRAW;
	case 'v':
		v->graph = G_NONE;
		swap_panel(v);
		return UI_REDRAW;
	case 'b':
		v->graph = v->graph == G_WINDOWS ? G_NONE : G_WINDOWS;
		return UI_REDRAW;
	case 'm':
		v->graph = v->graph == G_CWND ? G_TSEQ : v->graph == G_TSEQ ? G_NONE : G_CWND;
		return UI_REDRAW;
	case UI_FN(KEY_UP):
	case UI_FN(KEY_DOWN):
		return up_down(v, key == UI_FN(KEY_UP));
	case UI_FN(KEY_PPAGE):
		v->expl_skip -= v->expl_h > 1 ? v->expl_h - 1 : 1;
		if (v->expl_skip < 0)
			v->expl_skip = 0;
		return UI_REDRAW;
	case UI_FN(KEY_NPAGE):
		if (v->expl_skip + v->expl_h < v->expl_lines)
			v->expl_skip += v->expl_h > 1 ? v->expl_h - 1 : 1;
		return UI_REDRAW;
	case '/':
		return search_prompt(v);
	case '?':
	case UI_FN(KEY_F(1)):
		ui_pager(_("Help"), help_text(v));
		return UI_REDRAW;
	case 'q':
	case 27:
		return UI_BACK;
	case UI_CTRL('l'):
		clear();
		return UI_REDRAW;
	default:
		return UI_STAY;
	}
}

static int
sv_timer(void *ctx)
{
	struct sv *v = ctx;
	long long left = -1, now = ui_now_ms();

	if (v->auto_on && !paused(v))
		left = v->due - now < 0 ? 0 : v->due - now;
	if (v->ext != NULL && v->ext->poll != NULL) {
		long long p = v->poll_due - now < 0 ? 0 : v->poll_due - now;

		if (left < 0 || p < left)
			left = p;
	}
	return (int)left;
}

static enum ui_next
sv_tick(void *ctx)
{
	struct sv *v = ctx;
	enum ui_next r;

	if (v->ext != NULL && v->ext->poll != NULL && ui_now_ms() >= v->poll_due) {
		int grew = v->ext->poll(v->ext->ctx);

		v->poll_due = ui_now_ms() + v->ext->poll_ms;
		if (grew) {
			/* the new rows widen the table's columns, maybe the streams */
			v->colw_ok = 0;
			v->conn_known = 0;
			ensure_asked(v);
			if (v->follow && nsteps(v) > 0 && v->ask < 0)
				go_to(v, nsteps(v) - 1);
			return UI_REDRAW;
		}
		if (!v->auto_on || ui_now_ms() < v->due)
			return UI_STAY;
	}
	if (!v->auto_on || ui_now_ms() < v->due || paused(v))
		return UI_STAY;
	r = go_next(v);
	v->due = ui_now_ms() + v->interval;
	return r;
}

int
sv_run(const struct ui_story *story, const struct ui_opts *o, const struct sv_ext *ext)
{
	struct sv v;
	struct ui_screen s = { &v, sv_draw, sv_key, sv_timer, sv_tick, 0 };
	char err[256];

	if (ui_begin(err, sizeof err) != 0) {
		ui_fail("%s", err);
		return 1;
	}
	memset(&v, 0, sizeof v);
	v.st = story;
	v.o = o;
	v.ext = ext;
	v.ask = -1;
	v.swap = P_LADDER;
	v.focus = P_TABLE;
	v.interval = o->autoplay_ms > 0 ? o->autoplay_ms : o->present ? 3000 : 1500;
	v.auto_on = o->autoplay != 0;
	v.due = ui_now_ms() + v.interval;
	v.follow = ext != NULL && ext->poll != NULL;
	v.poll_due = ui_now_ms();
	if (story->nsteps > 0)
		v.cur = story->start < story->nsteps ? story->start : 0;
	ensure_asked(&v);
	if (v.cur == 0)
		ask_before(&v, 0);   /* a question before the first step comes first */
	ui_run(&s);
	free(v.asked);
	free(v.base);
	ui_graph_cache_free(v.gcache);
	ui_end();
	return 0;
}

int
ui_stepview(const struct ui_story *story, const struct ui_opts *opts)
{
	struct ui_opts none = { 0, 0, 0, 0, 0 };

	return sv_run(story, opts != NULL ? opts : &none, NULL);
}

double
sv_bench(const struct ui_story *story, int cols, int rows, int frames, int present, int graph)
{
	struct ui_opts o = { 0, present, 0, 0, 0 };
	struct sv v;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *sc;
	long long t0, t1;

	if (out == NULL || in == NULL)
		return -1;
	sc = newterm(getenv("TERM") != NULL ? NULL : "xterm", out, in);
	if (sc == NULL)
		return -1;
	set_term(sc);
	resize_term(rows, cols);
	memset(&v, 0, sizeof v);
	v.st = story;
	v.o = &o;
	v.ask = -1;
	v.swap = P_LADDER;
	v.focus = P_TABLE;
	v.graph = graph >= G_NONE && graph <= G_TSEQ ? graph : G_NONE;
	t0 = ui_now_ms();
	for (int f = 0; f < frames; f++) {
		/* Steps spread over the story, so that long captures are timed deep in. */
		v.cur = story->nsteps > 0 ? ((size_t)f * 7919u) % story->nsteps : 0;
		erase();
		sv_draw(&v);
		refresh();
	}
	t1 = ui_now_ms();
	free(v.base);
	ui_graph_cache_free(v.gcache);
	endwin();
	delscreen(sc);
	fclose(out);
	fclose(in);
	return (double)(t1 - t0) / (frames > 0 ? frames : 1);
}
