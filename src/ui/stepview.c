/* ui/stepview.c: the step view, the one screen that lessons, the sandbox
 * and replay share. It walks over an array of struct tt_step; everything on
 * screen (table row, ladder, lit states, TCB values, explanation) is computed
 * from the steps up to the current one, so stepping back shows exactly the
 * earlier state. Panels: the segment table, the ladder diagram, the RFC 9293
 * state diagram, both TCBs, and the explanation; how many are visible
 * depends on the terminal size.
 *
 * This file is the screen: a frame first measures (the explanation, the
 * key bars, the table's columns) and lets the model (ui/svmodel.c) decide
 * the layout, then paints from the model without changing it; a key goes
 * through the key table (ui/svkeys.c) to the model, and the dialogs the
 * model asks for (go to, search, a typed answer, detail, help) are opened
 * here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui/bigtext.h"
#include "ui/diagram.h"
#include "ui/graph.h"
#include "ui/stepview.h"
#include "ui/svdraw.h"

_Static_assert(SV_STAY == (int)UI_STAY && SV_REDRAW == (int)UI_REDRAW && SV_BACK == (int)UI_BACK &&
               SV_DONE == (int)UI_DONE && SV_QUIT == (int)UI_QUIT,
               "the model's first results are the screen's");

/* The narrowest terminal that shows the presenter's big letters: two state
 * names side by side, the long ones as RFC 9293's Figure 5 writes them. */
enum { BIG_MIN_W = 110 };

struct sv_screen {
	struct sv v;
	struct sv_frame f;
};

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

/* A panel's heading: a rule with the title in it. */
void
sv_heading(const struct sv *v, const struct sv_rect *r, const char *title, const char *right)
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

static const char *
col_title(enum sv_col c)
{
	switch (c) {
	case SV_C_CONN: return _("conn");
	case SV_C_FRAME: return "#";
	case SV_C_TIME: return _("time");
	case SV_C_DIR: return _("dir");
	case SV_C_FLAGS: return _("flags");
	case SV_C_SEQ: return _("seq");
	case SV_C_ACK: return _("ack");
	case SV_C_LEN: return _("len");
	case SV_C_WIN: return _("win");
	case SV_C_CST: return _("client");
	case SV_C_SST: return _("server");
	case SV_C_NOTES: return _("notes");
	default: return "";
	}
}

static int
col_right(enum sv_col c)
{
	return c == SV_C_CONN || c == SV_C_FRAME || c == SV_C_TIME || c == SV_C_SEQ || c == SV_C_ACK || c == SV_C_LEN || c == SV_C_WIN;
}

/* The steps the table lists: the segments up to `last`. */
static size_t
table_last(const struct sv *v)
{
	return sv_shows_future(v) ? sv_nsteps(v) : sv_shown(v);
}

/* Column widths from the titles and the data, and which columns are on:
 * those that do not fit in w are dropped (the notes first narrowed). */
static void
table_widths(const struct sv *v, struct sv_frame *f, int w)
{
	/* narrow: the notes give room down to NOTES_KEEP columns first (each
	 * cut one ends in an ellipsis; the detail line has them whole), then
	 * time, win and len go, then the notes give the rest down to 6 */
	static const enum sv_col drop_order[] = { SV_C_NOTES, SV_C_TIME, SV_C_WIN, SV_C_LEN,
	                                          SV_C_NOTES };
	enum { NOTES_KEEP = 12 };
	int *width = f->width, *on = f->on;
	char buf[128];
	int total;

	for (int c = 0; c < SV_NCOLS; c++) {
		width[c] = ui_width(col_title((enum sv_col)c));
		on[c] = 1;
	}
	on[SV_C_CONN] = v->conn_on;
	if (f->colw_grown != v->grown) {
		f->colw_ok = 0;
		f->colw_grown = v->grown;
	}
	/* A capture can hold many thousand rows: their widths are measured once. */
	if (sv_shows_future(v) && f->colw_ok) {
		memcpy(width, f->colw, sizeof f->colw);
	} else {
		/* over every step, those still to come too (a lesson's), so that
		 * no column comes or goes as the rows do */
		for (size_t i = 0, last = sv_nsteps(v); i < last; i++) {
			const struct tt_step *s = sv_step(v, i);

			if (s->kind != TT_STEP_SEGMENT)
				continue;
			for (int c = 0; c < SV_NCOLS; c++) {
				int wd;

				sv_cell(v, s, (enum sv_col)c, buf, sizeof buf);
				wd = ui_width(buf);
				if (wd > width[c])
					width[c] = wd;
			}
		}
		if (sv_shows_future(v)) {
			memcpy(f->colw, width, sizeof f->colw);
			f->colw_ok = 1;
		}
	}
	/* a story that grows under the user's keys (the sandbox, live) gets
	 * room for rows 10 to 999 from the start, for the same reason */
	if (v->ext != NULL && width[SV_C_FRAME] < 3)
		width[SV_C_FRAME] = 3;
	if (width[SV_C_FLAGS] < 7)
		width[SV_C_FLAGS] = 7;
	if (width[SV_C_CST] < 11)
		width[SV_C_CST] = 11;
	if (width[SV_C_SST] < 11)
		width[SV_C_SST] = 11;
	if (width[SV_C_NOTES] > 30)
		width[SV_C_NOTES] = 30;
	for (size_t d = 0;; d++) {
		total = -1;
		for (int c = 0; c < SV_NCOLS; c++)
			if (on[c])
				total += width[c] + 1;
		if (total <= w || d >= sizeof drop_order / sizeof drop_order[0])
			break;
		if (drop_order[d] == SV_C_NOTES) {
			int keep = d == 0 ? NOTES_KEEP : 6;

			if (width[SV_C_NOTES] <= keep)
				continue;
			if (total - width[SV_C_NOTES] + keep <= w) {
				width[SV_C_NOTES] -= total - w;
				break;
			}
			if (d == 0) {
				total -= width[SV_C_NOTES] - keep;
				width[SV_C_NOTES] = keep;
				continue;
			}
		}
		on[drop_order[d]] = 0;
	}
}

/* The header row under the heading. */
static void
table_header(const struct sv_frame *f, int y, int x)
{
	for (int c = 0; c < SV_NCOLS; c++) {
		if (!f->on[c])
			continue;
		if (col_right((enum sv_col)c))
			ui_text_right(stdscr, y, x, f->width[c], ui_attr(UI_R_HEADING), col_title((enum sv_col)c));
		else
			ui_text(stdscr, y, x, f->width[c], ui_attr(UI_R_HEADING), col_title((enum sv_col)c));
		x += f->width[c] + 1;
	}
}

/* One row: step si, the current one highlighted, those to come dimmed. */
static void
table_row(const struct sv *v, const struct sv_frame *f, const struct sv_rect *r, int y, size_t si,
          int iscur)
{
	const struct tt_step *s = sv_step(v, si);
	attr_t base = iscur ? ui_attr(UI_R_CURRENT) : 0;
	int x = r->x + 1;
	char buf[128];

	if (!iscur && si > v->cur)
		base = ui_attr(UI_R_DIM);
	if (iscur)
		ui_fill(stdscr, y, r->x, r->w, base);
	if (iscur)
		ui_text(stdscr, y, r->x, 1, base, ui_glyph(UI_G_CURSOR));
	for (int c = 0; c < SV_NCOLS; c++) {
		attr_t a = base;

		if (!f->on[c])
			continue;
		sv_cell(v, s, (enum sv_col)c, buf, sizeof buf);
		if (!iscur) {
			if (c == SV_C_DIR || c == SV_C_CST)
				a = c == SV_C_CST ? ui_attr(UI_R_CLIENT) : a;
			if (c == SV_C_SST)
				a = ui_attr(UI_R_SERVER);
			if (c == SV_C_NOTES && tt_step_lost(s))
				a = ui_attr(UI_R_DROP);
			if (si > v->cur)
				a = ui_attr(UI_R_DIM);
		}
		if (col_right((enum sv_col)c))
			ui_text_right(stdscr, y, x, f->width[c], a, buf);
		else
			ui_text_cut(stdscr, y, x, f->width[c], a, a, buf);
		x += f->width[c] + 1;
	}
}

/* The detail line: the current segment as the classic texts write it. */
static void
table_detail(const struct sv *v, const struct sv_rect *r, size_t curseg)
{
	const struct tt_step *s = sv_step(v, curseg);
	char bits[64], line[320], nt[128];
	uint32_t seq, ack;
	char epf[96], ept[96];
	const char *from = sv_endpoint_at(v, s, s->dir == TT_SERVER, epf, sizeof epf);
	const char *to = sv_endpoint_at(v, s, s->dir != TT_SERVER, ept, sizeof ept);
	char ackbuf[24], win[48];
	int shift = s->tcb[s->dir == TT_SERVER].rcv_shift;

	sv_seg_numbers(v, s, &seq, &ack);
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
	/* still too wide: cut where it must be, and said so */
	ui_text_cut(stdscr, r->y + r->h - 1, r->x + 1, r->w - 2, ui_attr(UI_R_HEADING),
	            ui_attr(UI_R_DIM), line);
}

static void
draw_table(const struct sv *v, const struct sv_frame *f, const struct sv_rect *r)
{
	int y = r->y + 1, nrows_shown = r->h - 3;   /* heading, header, detail line */
	long curseg, row = v->table_top;

	sv_heading(v, r, _("Segments"), NULL);
	curseg = sv_shown(v) > 0 ? sv_segment_at_or_before(v, v->cur) : -1;
	table_header(f, y, r->x + 1);
	if (nrows_shown < 1)
		nrows_shown = 1;
	if (v->table_n == 0)
		ui_text(stdscr, y + 1, r->x + 2, r->w - 4, ui_attr(UI_R_DIM), _("(no segment yet)"));
	for (size_t i = v->table_top_step, last = table_last(v);
	     v->table_n > 0 && i < last && row < v->table_top + nrows_shown; i++) {
		if (sv_step(v, i)->kind != TT_STEP_SEGMENT)
			continue;
		table_row(v, f, r, y + 1 + (int)(row - v->table_top), i, row == v->table_cur);
		row++;
	}
	/* the detail line only under a row: in three lines (the state diagram
	 * beside at 80x24) the current row is what shows */
	if (curseg >= 0 && r->h >= 4)
		table_detail(v, r, (size_t)curseg);
}

/* ---- ladder ---------------------------------------------------------------- */

/* The ladder as ui/diagram.c draws it, in r; left and right name the
 * hosts (96 bytes each, ep: room for their addresses). */
static void
ladder_of(const struct sv *v, const struct sv_rect *r, struct ui_ladder *L, char *left,
          char *right, char ep[2][96])
{
	size_t n = sv_nsteps(v);
	const struct tt_step *at = n > 0 ? sv_step(v, v->cur < n ? v->cur : n - 1) : NULL;
	const char *e0 = sv_endpoint_at(v, at, 0, ep[0], 96);
	const char *e1 = sv_endpoint_at(v, at, 1, ep[1], 96);

	snprintf(left, 96, "%s %s", _("client"), e0 ? e0 : "");
	snprintf(right, 96, "%s %s", _("server"), e1 ? e1 : "");
	memset(L, 0, sizeof *L);
	L->y = r->y + 1;
	L->x = r->x;
	L->h = r->h - 1;
	L->w = r->w;
	L->steps = v->st->steps;
	L->nsteps = n;
	L->cur = sv_shown(v) > 0 ? v->cur : 0;
	L->empty = sv_shown(v) == 0;
	L->back = v->ladder_back;
	L->absolute = v->o->absolute;
	L->left = left;
	L->right = right;
	L->event_label = sv_event_label;
	L->base = sv_bases(v);
}

static void
draw_ladder(const struct sv *v, const struct sv_rect *r)
{
	char left[96], right[96], ep[2][96];
	struct ui_ladder L;

	sv_heading(v, r, _("Ladder"), NULL);
	ladder_of(v, r, &L, left, right, ep);
	ui_ladder_draw(&L);
}

/* ---- windows and charts (ui/window.c, ui/chart.c) ------------------------- */

static void
draw_graph(const struct sv *v, const struct sv_frame *f, const struct sv_rect *r)
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

	sv_heading(v, r, _((v->st->replay ? titles_replay : titles)[v->graph]),
	        v->graph == SV_G_WINDOWS ? _("b: back to the ladder") : _("m: next chart"));
	memset(&g, 0, sizeof g);
	g.cache = v->st->replay ? f->gcache : NULL;
	g.steps = v->st->steps;
	g.nsteps = sv_shows_future(v) ? sv_nsteps(v) : sv_shown(v);
	g.upto = sv_shows_future(v) ? sv_nsteps(v) : sv_shown(v);
	g.cur = v->cur;
	g.base = sv_bases(v);
	g.absolute = v->o->absolute;
	g.replay = v->st->replay;
	g.y = r->y + 1;
	g.x = r->x;
	g.h = r->h - 1;
	g.w = r->w;
	if (sv_shown(v) == 0 || g.cur >= g.nsteps) {
		g.upto = 0;
		g.nsteps = 0;
		g.cur = 0;
	}
	switch (v->graph) {
	case SV_G_WINDOWS: ui_windows_draw(&g); break;
	case SV_G_CWND: ui_chart_cwnd_draw(&g); break;
	case SV_G_TSEQ: ui_chart_tseq_draw(&g); break;
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
states_legend(const struct sv_rect *r)
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
draw_states(const struct sv *v, const struct sv_rect *r)
{
	enum tt_state st[2] = { TT_CLOSED, TT_CLOSED }, from[2], to[2];
	struct ui_taken taken = { NULL, NULL };
	char line[256];

	sv_heading(v, r, _("RFC 9293 states"), NULL);
	states_legend(r);
	from[0] = from[1] = to[0] = to[1] = TT_NSTATES;
	if (sv_shown(v) > 0) {
		const struct tt_step *s = sv_step(v, v->cur);

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
	/* What moved, in words, on the last row if there is room under the art;
	 * both hosts' moves tighter when they do not fit so */
	for (int tight = 0; tight < 2; tight++) {
		line[0] = '\0';
		for (int h = 0; h < 2; h++) {
			if (from[h] == TT_NSTATES)
				continue;
			snprintf(line + strlen(line), sizeof line - strlen(line),
			         tight ? "%s%s: %s%s%s" : "%s%s: %s %s %s",
			         line[0] ? (tight ? "  " : "   ") : "", ui_host_name(h),
			         tt_state_name(from[h]), ui_glyph(UI_G_RIGHTWARDS), tt_state_name(to[h]));
		}
		if (ui_width(line) <= r->w - 2)
			break;
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
draw_big(const struct sv *v, const struct sv_rect *r)
{
	const struct tt_step *s = sv_shown(v) > 0 ? sv_step(v, v->cur) : NULL;
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
		int lost = tt_step_lost(s), fw;
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
		snprintf(lab, sizeof lab, "%s: %s", ui_host_name(s->ev[0].host), sv_event_label(s->ev[0].ev.reason));
		ui_text_center(stdscr, y + rows / 2, mx, mw, ui_attr(UI_R_DIM), lab);
	}
}

/* ---- explanation ------------------------------------------------------------ */

/* Draws paragraphs one after another with a common scroll; returns lines. */
static int
draw_paras(const struct sv_para *p, size_t n, int y, int x, int h, int w, int skip, int gap)
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
draw_expl(const struct sv *v, const struct sv_frame *f, const struct sv_rect *r)
{
	int gap = v->o->present ? 1 : 0;

	sv_heading(v, r, _("What happened"), NULL);
	draw_paras(f->e_p, f->e_np, r->y + 1, r->x + 1, r->h - 1, r->w - 2, 0, gap);
	if (v->expl_skip > 0) {
		for (int y = r->y + 1; y < r->y + r->h; y++)
			ui_fill(stdscr, y, r->x, r->w, 0);
		draw_paras(f->e_p, f->e_np, r->y + 1, r->x + 1, r->h - 1, r->w - 2, v->expl_skip, gap);
	}
	if (v->expl_lines * (1 + gap) > r->h - 1)
		ui_textf(stdscr, r->y, r->x + r->w - 10, 9, ui_attr(UI_R_DIM), "[%s%s]",
		         v->expl_skip > 0 ? ui_glyph(UI_G_ARROW_U) : "", ui_glyph(UI_G_ARROW_D));
}

/* ---- whole screen ------------------------------------------------------------- */

/* Everything a frame measures before it paints: the explanation, the
 * layout, the table's columns and scroll, the ladder's scroll, the
 * explanation's lines. Returns -1 when the terminal is too small. */
static int
prepare(struct sv_screen *sc)
{
	struct sv *v = &sc->v;
	struct sv_frame *f = &sc->f;
	struct sv_room room;

	sv_sync(v);
	f->big_rows = big_rows(v);
	sv_build_expl(v, f);
	room.cols = COLS;
	room.lines = LINES;
	room.bars = sv_key_bars(v);
	room.expl_need = sv_expl_need(v, f, COLS - 2);
	room.big_rows = f->big_rows;
	room.states_w = UI_STATES_W;
	room.states_h = UI_STATES_H;
	room.tcb_rows = sv_tcb_rows();
	if (sv_layout(v, &room) != 0)
		return -1;
	if (v->r[SV_TABLE].on) {
		sv_fit_table(v);
		table_widths(v, f, v->r[SV_TABLE].w - 2);
	}
	if (v->r[SV_LADDER].on) {
		char left[96], right[96], ep[2][96];
		struct ui_ladder L;

		ladder_of(v, &v->r[SV_LADDER], &L, left, right, ep);
		v->ladder_back = ui_ladder_back(&L);
	}
	if (v->r[SV_EXPL].on) {
		const struct sv_rect *r = &v->r[SV_EXPL];

		v->expl_h = r->h - 1;
		v->expl_lines = (r->w == COLS ? room.expl_need : sv_expl_need(v, f, r->w - 2)) /
		                (v->o->present ? 2 : 1);
	}
	return 0;
}

static void
title_bar(const struct sv *v)
{
	char right[160];

	if (sv_nsteps(v) > 0) {
		char pace[64];

		snprintf(pace, sizeof pace, _("  [auto: %.2f s/step]"), v->interval / 1000.0);
		snprintf(right, sizeof right, _("step %zu/%zu  t=%.6f s%s"), sv_shown(v) > 0 ? v->cur + 1 : 0,
		         sv_nsteps(v), sv_shown(v) > 0 ? sv_secs(sv_step_now(sv_step(v, v->cur))) : 0.0,
		         v->ext != NULL && v->ext->poll != NULL ?
		         (v->follow ? _("  [live: following]") : _("  [live: End follows]")) :
		         !v->auto_on ? "" : sv_paused(v) ? _("  [auto: waits for the answer]") : pace);
	} else
		snprintf(right, sizeof right, "%s", _("no steps yet"));
	ui_titlebar(v->st->title != NULL ? v->st->title : "tcptutor", right);
}

/* Paints the whole screen from the model and the frame. */
static void
paint(const struct sv *v, const struct sv_frame *f)
{
	struct ui_keyhint keys[SV_MAX_HINTS];
	size_t nk;
	int nb;

	title_bar(v);
	if (v->big.on)
		draw_big(v, &v->big);
	if (v->r[SV_TABLE].on)
		draw_table(v, f, &v->r[SV_TABLE]);
	if (v->r[SV_LADDER].on)
		draw_ladder(v, &v->r[SV_LADDER]);
	if (v->r[SV_GRAPH].on)
		draw_graph(v, f, &v->r[SV_GRAPH]);
	if (v->r[SV_STATES].on)
		draw_states(v, &v->r[SV_STATES]);
	if (v->r[SV_TCB].on)
		sv_draw_tcb(v, &v->r[SV_TCB]);
	if (v->r[SV_EXPL].on)
		draw_expl(v, f, &v->r[SV_EXPL]);
	/* Key bars: the extension's keys first (the sandbox's actions), then
	 * the step view's, flowed over as many rows as they need. */
	nk = sv_key_hints(v, keys, sizeof keys / sizeof keys[0]);
	nb = sv_key_bars(v);
	ui_keyflow(LINES - nb, nb, keys, nk);
}

static void
sv_draw(void *ctx)
{
	struct sv_screen *sc = ctx;

	if (prepare(sc) != 0) {
		char m[160];

		snprintf(m, sizeof m, _("Please enlarge the terminal to at least %dx%d (now %dx%d)."),
		         SV_MIN_W, SV_MIN_H, COLS, LINES);
		ui_wrap(stdscr, LINES / 2 - 1, 1, LINES - LINES / 2, COLS - 2, A_BOLD, m, 0, 0);
		ui_text(stdscr, LINES - 1, 0, COLS, ui_attr(UI_R_DIM), _("q: quit"));
		return;
	}
	paint(&sc->v, &sc->f);
}

/* ---- keys ------------------------------------------------------------------- */

/* Opens the dialog the model asked for and hands it the answer. */
static enum sv_result
dialog(struct sv *v, enum sv_result r)
{
	char buf[128], text[8192];
	const struct ui_checkpoint *cp;
	const char *d = NULL;
	long si;

	switch (r) {
	case SV_ASK_GOTO:
		buf[0] = '\0';
		if (ui_ask(_("Go to"), _("Frame (# column) or step number:"), buf, 32) != 0)
			return SV_REDRAW;
		return sv_goto(v, buf);
	case SV_ASK_SEARCH:
		snprintf(buf, sizeof buf, "%s", v->search);
		if (ui_ask(_("Search"), _("Find a segment (flags, note, state, number):"), buf,
		           sizeof buf) != 0 || buf[0] == '\0')
			return SV_REDRAW;
		return sv_search(v, buf);
	case SV_ASK_ANSWER:
		cp = sv_checkpoint(v);
		buf[0] = '\0';
		if (ui_ask(_("Your answer"), cp->question, buf, sizeof buf) == 0)
			return sv_answer(v, -1, buf);
		return SV_REDRAW;
	case SV_SHOW_DETAIL:
		si = sv_detail_step(v);
		if (v->st->detail != NULL)
			d = v->st->detail(v->st->ctx, (size_t)si);
		if (d == NULL) {
			sv_detail_text(v, sv_step(v, (size_t)si), text, sizeof text);
			d = text;
		}
		ui_pager(_("Segment detail"), d);
		return SV_REDRAW;
	case SV_SHOW_HELP:
		ui_pager(_("Help"), sv_help_text(v, text, sizeof text));
		return SV_REDRAW;
	case SV_CLEAR:
		clear();
		return SV_REDRAW;
	default:
		return r;
	}
}

static enum ui_next
sv_key(void *ctx, int key)
{
	struct sv_screen *sc = ctx;
	int arg;
	enum sv_action a = sv_key_action(key, &arg);

	return (enum ui_next)dialog(&sc->v, sv_key_do(&sc->v, key, a, arg));
}

static int
sv_timer_of(void *ctx)
{
	struct sv_screen *sc = ctx;

	return sv_timer(&sc->v);
}

static enum ui_next
sv_tick_of(void *ctx)
{
	struct sv_screen *sc = ctx;

	return (enum ui_next)sv_tick(&sc->v);
}

int
sv_run(const struct ui_story *story, const struct ui_opts *o, const struct sv_ext *ext)
{
	struct sv_screen *sc;
	struct ui_screen s = { NULL, sv_draw, sv_key, sv_timer_of, sv_tick_of, 0 };
	char err[256];

	if (ui_begin(err, sizeof err) != 0) {
		ui_fail("%s", err);
		return 1;
	}
	if ((sc = calloc(1, sizeof *sc)) == NULL) {
		ui_end();
		ui_fail("%s", _("out of memory"));
		return 1;
	}
	sv_init(&sc->v, story, o, ext, ui_now_ms);
	if (story->replay)
		sc->f.gcache = ui_graph_cache_new();   /* none: the charts are drawn anew */
	s.ctx = sc;
	ui_run(&s);
	sv_fini(&sc->v);
	ui_graph_cache_free(sc->f.gcache);
	free(sc);
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
	struct sv_screen *sc;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	long long t0, t1;

	if (out == NULL || in == NULL || (sc = calloc(1, sizeof *sc)) == NULL) {
		if (out != NULL)
			fclose(out);
		if (in != NULL)
			fclose(in);
		return -1;
	}
	scr = newterm(getenv("TERM") != NULL ? NULL : "xterm", out, in);
	if (scr == NULL) {
		free(sc);
		fclose(out);
		fclose(in);
		return -1;
	}
	set_term(scr);
	resize_term(rows, cols);
	sv_init(&sc->v, story, &o, NULL, ui_now_ms);
	sc->v.ask = -1;
	sc->v.graph = graph >= SV_G_NONE && graph <= SV_G_TSEQ ? graph : SV_G_NONE;
	if (story->replay)
		sc->f.gcache = ui_graph_cache_new();
	t0 = ui_now_ms();
	for (int f = 0; f < frames; f++) {
		/* Steps spread over the story, so that long captures are timed deep in. */
		sc->v.cur = story->nsteps > 0 ? ((size_t)f * 7919u) % story->nsteps : 0;
		erase();
		sv_draw(sc);
		refresh();
	}
	t1 = ui_now_ms();
	sv_fini(&sc->v);
	ui_graph_cache_free(sc->f.gcache);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	free(sc);
	return (double)(t1 - t0) / (frames > 0 ? frames : 1);
}
