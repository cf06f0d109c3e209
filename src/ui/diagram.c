/* ui/diagram.c: the ladder and the state diagram. Both are pure drawing
 * from the steps they are handed; neither keeps state between calls. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui/diagram.h"

/* ---- the RFC 9293 state diagram ---------------------------------------------
 * The art is drawn cell by cell; the mask says what each cell belongs to:
 * an upper-case letter a state's name, a lower-case letter an edge. */
static const char *const states_art[UI_STATES_H] = {
	"                  CLOSED                                 ",
	"       passive╭──────┴──────╮active                      ",
	"           LISTEN       SYN-SENT                         ",
	"      rcv SYN │             │rcv SYN,ACK                 ",
	"        SYN-RECEIVED◀rcv SYN┤                            ",
	"      rcv ACK ╰──────────╮  │                            ",
	"                       ESTABLISHED─rcv FIN─▶CLOSE-WAIT   ",
	"         close╭─────────╯                        │close  ",
	"         FIN-WAIT-1 ─rcv FIN─▶ CLOSING       LAST-ACK    ",
	"      rcv ACK ├─rcv FIN,ACK──────▶│rcv ACK       │rcv ACK",
	"         FIN-WAIT-2 ─rcv FIN─▶TIME-WAIT          ▼       ",
	"                                  ╰──2MSL───▶ CLOSED     ",
};
static const char *const states_mask[UI_STATES_H] = {
	"                  AAAAAA                                 ",
	"       aaaaaaaaaaaaaaabbbbbbbbbbbbb                      ",
	"           BBBBBB       CCCCCCCC                         ",
	"      ccccccc c             dddddddddddd                 ",
	"        DDDDDDDDDDDDooooooood                            ",
	"      eeeeeee eeeeeeeeeeee  d                            ",
	"                       EEEEEEEEEEEffffffffffFFFFFFFFFF   ",
	"         gggggggggggggggg                        hhhhhh  ",
	"         GGGGGGGGGG iiiiiiiiii IIIIIII       HHHHHHHH    ",
	"      jjjjjjj jpppppppppppppppppppkkkkkkkk       llllllll",
	"         JJJJJJJJJJ mmmmmmmmmmKKKKKKKKK          l       ",
	"                                  nnnnnnnnnnn LLLLLL     ",
};

/* Mask letters of the states, A.. in order; 'L' is the second CLOSED. */
static const enum tt_state node_state[] = {
	TT_CLOSED, TT_LISTEN, TT_SYN_SENT, TT_SYN_RECEIVED, TT_ESTABLISHED, TT_CLOSE_WAIT,
	TT_FIN_WAIT_1, TT_LAST_ACK, TT_CLOSING, TT_FIN_WAIT_2, TT_TIME_WAIT, TT_CLOSED,
};

/* Mask letters of the edges, a.. in order. */
static const struct {
	enum tt_state from, to;
} edges[] = {
	{ TT_CLOSED, TT_LISTEN }, { TT_CLOSED, TT_SYN_SENT }, { TT_LISTEN, TT_SYN_RECEIVED },
	{ TT_SYN_SENT, TT_ESTABLISHED }, { TT_SYN_RECEIVED, TT_ESTABLISHED },
	{ TT_ESTABLISHED, TT_CLOSE_WAIT }, { TT_ESTABLISHED, TT_FIN_WAIT_1 },
	{ TT_CLOSE_WAIT, TT_LAST_ACK }, { TT_FIN_WAIT_1, TT_CLOSING }, { TT_FIN_WAIT_1, TT_FIN_WAIT_2 },
	{ TT_CLOSING, TT_TIME_WAIT }, { TT_LAST_ACK, TT_CLOSED }, { TT_FIN_WAIT_2, TT_TIME_WAIT },
	{ TT_TIME_WAIT, TT_CLOSED },
	/* simultaneous open (Figure 5: rcv SYN, snd SYN,ACK), and a FIN that
	 * also acknowledges ours in FIN-WAIT-1 (§3.10.7.4, FIN-WAIT-1): the
	 * closes Linux makes most */
	{ TT_SYN_SENT, TT_SYN_RECEIVED }, { TT_FIN_WAIT_1, TT_TIME_WAIT },
};

static const char *
ascii_of(unsigned cp)
{
	switch (cp) {
	case 0x2500: return "-";
	case 0x2502: return "|";
	case 0x25b6: return ">";
	case 0x25bc: return "v";
	case 0x25c0: return "<";
	default: return "+";
	}
}

/* Which drawn CLOSED a host in CLOSED sits on: the lower one when it got
 * there along a drawn edge ending there. */
static int
closed_node(enum tt_state from)
{
	return from == TT_LAST_ACK || from == TT_TIME_WAIT ? 'L' : 'A';
}

/* Whether mask row m has blanks in columns [c0, c1). */
static int
blank(const char *m, int c0, int c1)
{
	int n = (int)strlen(m);

	if (c0 < 0 || c1 > n)
		return 0;
	for (int c = c0; c < c1; c++)
		if (m[c] != ' ')
			return 0;
	return 1;
}

/* Writes mark beside the state drawn with mask letter node: on its right
 * (`right`) or left side when there is room there, else on the other. */
static void
mono_mark(WINDOW *w, int y, int x, int h, int wd, int node, const char *mark, int right,
          attr_t a)
{
	int len = (int)strlen(mark);

	for (int r = 0; r < UI_STATES_H && r < h; r++) {
		const char *m = states_mask[r], *p = strchr(m, node);
		int c0, c1, at = -1;

		if (p == NULL)
			continue;
		c0 = (int)(p - m);
		for (c1 = c0; m[c1] == node; c1++)
			;
		for (int side = 0; side < 2 && at < 0; side++) {
			int on_right = side == 0 ? right : !right;

			if (on_right && c1 + len < wd && blank(m, c1, c1 + len + 1))
				at = c1 + 1;
			else if (!on_right && blank(m, c0 - len - 1, c0))
				at = c0 - len - 1;
		}
		if (at >= 0)
			ui_text(w, y + r, x + at, len, a, mark);
		return;
	}
}

void
ui_states_draw(WINDOW *w, int y, int x, int h, int wd, const enum tt_state st[2],
               const enum tt_state from[2], const enum tt_state to[2],
               const struct ui_taken *taken)
{
	int lit[2], mark[2], done[sizeof edges / sizeof edges[0]];

	for (int k = 0; k < 2; k++) {
		lit[k] = 0;
		for (int n = 0; n < (int)(sizeof node_state / sizeof node_state[0]); n++)
			if (node_state[n] == st[k] && st[k] != TT_CLOSED)
				lit[k] = 'A' + n;
		if (st[k] == TT_CLOSED)
			lit[k] = closed_node(from[k] != TT_NSTATES && to[k] == TT_CLOSED ? from[k] : TT_NSTATES);
		mark[k] = 0;
		for (int e = 0; e < (int)(sizeof edges / sizeof edges[0]); e++)
			if (from[k] == edges[e].from && to[k] == edges[e].to)
				mark[k] = 'a' + e;
	}
	for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
		done[e] = taken != NULL && taken->edge(taken->ctx, edges[e].from, edges[e].to);
	for (int r = 0; r < UI_STATES_H && r < h; r++) {
		const char *s = states_art[r], *m = states_mask[r];
		int col = 0;

		while (*s != '\0' && col < wd) {
			unsigned cp = (unsigned char)*s;
			int len = 1, ch = m[col];
			attr_t a;
			char one[8];

			if (cp >= 0xc0) {
				len = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : 2;
				cp = 0;
				{
					const unsigned char *u = (const unsigned char *)s;

					if (len == 3)
						cp = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
					else if (len == 2)
						cp = ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
				}
			}
			if (ch >= 'A' && ch <= 'Z') {
				if (ch == lit[0] && ch == lit[1])
					a = ui_attr(UI_R_BOTH_LIT);
				else if (ch == lit[0])
					a = ui_attr(UI_R_CLIENT_LIT);
				else if (ch == lit[1])
					a = ui_attr(UI_R_SERVER_LIT);
				else
					a = A_BOLD;
			} else if (ch >= 'a' && ch <= 'z') {
				a = ch == mark[0] || ch == mark[1] ? ui_attr(UI_R_MARK) | A_REVERSE :
				    done[ch - 'a'] ? ui_attr(UI_R_OK) | A_BOLD | A_UNDERLINE : ui_attr(UI_R_DIM);
			} else {
				a = 0;
			}
			if (cp >= 0x80 && !ui_unicode()) {
				ui_text(w, y + r, x + col, 1, a, ascii_of(cp));
			} else {
				memcpy(one, s, (size_t)len);
				one[len] = '\0';
				ui_text(w, y + r, x + col, 1, a, one);
			}
			s += len;
			col++;
		}
	}
	/* C, S (or CS for a state both share) beside the lit states, so that
	 * monochrome screens tell them apart. */
	for (int k = 0; k < 2 && !ui_has_color(); k++) {
		int both = lit[0] == lit[1];

		if (!lit[k] || (both && k == 1))
			continue;
		mono_mark(w, y, x, h, wd, lit[k], both ? "CS" : k == 0 ? "C" : "S", k == 1 && !both,
		          ui_attr(both ? UI_R_HEADING : k == 0 ? UI_R_CLIENT : UI_R_SERVER));
	}
}

/* ---- the ladder -------------------------------------------------------------- */

static tt_time
key_time(const struct tt_step *s)
{
	return s->kind == TT_STEP_SEGMENT ? s->arrival : s->time;
}

struct canvas {
	int y, x, h, w;     /* visible box */
	int first;          /* ladder row shown on the box's first row */
};

static void
put(const struct canvas *c, int row, int col, attr_t a, const char *s)
{
	int yy = row - c->first;

	if (yy < 0 || yy >= c->h || col < c->x || col >= c->x + c->w)
		return;
	ui_text(stdscr, c->y + yy, col, c->x + c->w - col, a, s);
}

/* The parts of a segment's label: its flags, and the relative (or raw)
 * numbers. */
static void
label_parts(const struct ui_ladder *L, const struct tt_step *s, char *fl, size_t fllen,
            uint32_t *seq, uint32_t *ack)
{
	uint32_t iss[2] = { s->tcb[0].iss, s->tcb[1].iss };

	*seq = s->seg.seq;
	*ack = s->seg.ack;
	if (!L->absolute)
		tt_trace_rel(s, L->base != NULL ? &L->base[2 * (size_t)(s - L->steps)] : iss, seq,
		             ack);
	tt_flags_format(s->seg.flags, fl, fllen);
}

/* The label of an arrow: "PSH,ACK seq=1 ack=1 len=100" within `full`
 * columns, else the narrow form "PSH,ACK 1/1 +100" within `max`, else that
 * form with the last parts left out and an ellipsis saying so; a number is
 * never cut. Returns the columns used (0: no room). */
static int
arrow_label(const struct ui_ladder *L, const struct tt_step *s, int full, int max, char *buf,
            size_t len)
{
	char fl[64], part[3][24];
	uint32_t seq, ack;
	int np = 0, w;
	const char *more = ui_glyph(UI_G_ELLIPSIS);

	label_parts(L, s, fl, sizeof fl, &seq, &ack);
	snprintf(buf, len, "%s seq=%u", fl, seq);
	if (s->seg.flags & TT_ACK)
		snprintf(buf + strlen(buf), len - strlen(buf), " ack=%u", ack);
	if (s->seg.len > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), " len=%u", s->seg.len);
	if ((w = ui_width(buf)) <= full && w <= max)
		return w;
	snprintf(part[np++], sizeof part[0], " %u", seq);
	if (s->seg.flags & TT_ACK)
		snprintf(part[np++], sizeof part[0], "/%u", ack);
	if (s->seg.len > 0)
		snprintf(part[np++], sizeof part[0], " +%u", s->seg.len);
	for (int keep = np; keep >= 0; keep--) {
		snprintf(buf, len, "%s", fl);
		for (int k = 0; k < keep; k++)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s", part[k]);
		if (keep < np)
			snprintf(buf + strlen(buf), len - strlen(buf), " %s", more);
		if ((w = ui_width(buf)) <= max)
			return w;
	}
	/* not even the flags fit: as many as do, then the ellipsis */
	if (max < 2)
		return 0;
	snprintf(buf, len, "%s", fl);
	while (strlen(buf) > 0 && ui_width(buf) + 1 > max)
		buf[strlen(buf) - 1] = '\0';
	snprintf(buf + strlen(buf), len - strlen(buf), "%s", more);
	return ui_width(buf);
}

/* Where an arrow of dy + 1 rows turns: row 0 runs from the sender to t[1],
 * row k from t[k] to t[k + 1], row dy from t[dy] to the receiver. The
 * label rides on row 0 (its width returned, its text in lab). With *cx >= 0
 * the arrow crosses another's first row, the row before its own last: it
 * comes down at column *cx and goes straight through that row, so the two
 * lines meet in one cell, and its last row stays clear of the other's.
 * When that leaves no room (the label, or the turns before it, would reach
 * *cx), *cx becomes -1 and the arrow is drawn as any other. */
static int
arrow_turns(const struct ui_ladder *L, const struct tt_step *s, int x0, int x1, int dy, int *cx,
            int *t, char *lab, size_t len)
{
	int dir = s->dir != TT_SERVER ? 1 : -1;
	int xs = dir > 0 ? x0 + 1 : x1 - 1, xe = dir > 0 ? x1 - 1 : x0 + 1;
	int D = abs(xe - xs), lw;

	if (*cx >= 0 && (dy < 2 || dir * (*cx - xs) < 4 || dir * (xe - *cx) < 3))
		*cx = -1;       /* no room to go through */
	if (*cx >= 0) {
		int span = abs(*cx - xs), ok = 1;

		lw = arrow_label(L, s, span - 2, span - 2, lab, len);
		for (int k = 1; k <= dy; k++) {
			/* toward cx, reached on the row before the last */
			t[k] = k >= dy - 1 ? *cx : xs + dir * (k * span / dy);
			if (k == 1 && k < dy - 1 && abs(t[1] - xs) < lw + 2)
				t[1] = xs + dir * (lw + 2);     /* past the label */
			if (k > 1 && k < dy - 1 && dir * (t[k] - t[k - 1]) < 1)
				t[k] = t[k - 1] + dir;
			/* the turns before the crossing row stay short of it */
			if (k < dy - 1 && dir * (*cx - t[k]) < 1)
				ok = 0;
		}
		if (dy - 1 == 1 && span < lw + 2)
			ok = 0;
		if (ok)
			return lw;
		*cx = -1;
	}
	lw = arrow_label(L, s, D / 2 + D / 4, D - 6, lab, len);
	for (int k = 1; k <= dy; k++) {
		t[k] = xs + dir * (k * D / (dy + 1));
		if (k == 1 && abs(t[1] - xs) < lw + 2)
			t[1] = xs + dir * (lw + 2);
		if (k > 1 && dir * (t[k] - t[k - 1]) < 1)
			t[k] = t[k - 1] + dir;
		if (dir * (xe - t[k]) < 2)
			t[k] = xe - 2 * dir;
	}
	return lw;
}

/* A segment's arrow from row ys to row ya; one still on the wire at the
 * current step (`flying`: replay, it arrives after a later frame) stops
 * half-way, as a lost one does, but without the cross. cx: see
 * arrow_turns(). */
static void
draw_arrow(const struct ui_ladder *L, const struct canvas *c, const struct tt_step *s,
           int ys, int ya, int x0, int x1, int current, int pass, int flying, int cx)
{
	int right = s->dir != TT_SERVER, dir = right ? 1 : -1;
	int xs = right ? x0 + 1 : x1 - 1, xe = right ? x1 - 1 : x0 + 1;
	int lost = tt_step_lost(s), dropped = lost || flying;
	int dy = ya - ys, t[64], lw;
	attr_t la = current ? ui_attr(UI_R_FOCUS) : 0, ta = current ? ui_attr(UI_R_CURRENT) : A_BOLD;
	const char *hl = ui_glyph(UI_G_HLINE);
	const char *up_c = ui_glyph(right ? UI_G_DOWN_R : UI_G_DOWN_L);
	const char *lo_c = ui_glyph(right ? UI_G_UP_R : UI_G_UP_L);
	char lab[128];

	if (dy < 1)
		dy = 1;
	if (dy > 63)
		dy = 63;
	lw = arrow_turns(L, s, x0, x1, dy, &cx, t, lab, sizeof lab);
	for (int k = 0; k <= dy && pass == 0; k++) {
		int row = ys + k, from = k == 0 ? xs : t[k], to = k == dy ? xe : t[k + 1];
		int lo = from < to ? from : to, hi = from < to ? to : from;

		if (k == dy && dropped)
			to = from + dir * (abs(xe - from) / 2), lo = from < to ? from : to, hi = from < to ? to : from;
		if (cx >= 0 && k == dy - 1) {
			/* straight down through this row */
			put(c, row, t[k], la, ui_glyph(UI_G_VLINE));
			continue;
		}
		for (int xx = lo; xx <= hi; xx++)
			put(c, row, xx, la, hl);
		if (k > 0)
			put(c, row, t[k], la, lo_c);
		if (k < dy)
			put(c, row, t[k + 1], la, up_c);
		if (k == dy) {
			if (lost)
				put(c, row, to, ui_attr(UI_R_DROP), ui_glyph(UI_G_CROSS));
			else if (flying)
				put(c, row, to, la, ui_glyph(UI_G_ELLIPSIS));
			else
				put(c, row, xe, la, ui_glyph(right ? UI_G_ARROW_R : UI_G_ARROW_L));
		}
	}
	/* where it goes through another line: drawn over both */
	if (cx >= 0 && pass == 1)
		put(c, ys + dy - 1, cx, la, ui_glyph(UI_G_CROSSING));
	/* The label rides on the first row, next to the sender. */
	if (lw > 0 && pass == 1) {
		int lx = right ? xs + 1 : xs - lw;
		int yy = ys - c->first;

		if (yy >= 0 && yy < c->h)
			ui_text(stdscr, c->y + yy, lx, lw, ta, lab);
	}
}

int
ui_ladder_back(const struct ui_ladder *L)
{
	int total = 0, back = L->back, body = L->h - 1;
	size_t n = L->empty ? 0 : L->cur + 1;

	if (L->h < 2 || L->w < 30)
		return back;
	for (size_t i = 0; i < n; i++)
		total += L->steps[i].kind == TT_STEP_SEGMENT ? 2 : 1;
	if (back > total - body)
		back = total - body;
	return back < 0 ? 0 : back;
}

int
ui_ladder_draw(const struct ui_ladder *L)
{
	/* room beside each timeline for the longest state name, SYN-RECEIVED */
	int lw = 13, x0 = L->x + lw, x1 = L->x + L->w - lw - 1;
	int *start, total = 0, back = L->back, body = L->h - 1;
	struct canvas c;
	size_t n = L->empty ? 0 : L->cur + 1;

	if (L->h < 2 || L->w < 30)
		return back;
	/* Names above the timelines. */
	ui_text(stdscr, L->y, L->x, L->w / 2 - 1, ui_attr(UI_R_CLIENT), L->left);
	ui_text_right(stdscr, L->y, L->x + L->w / 2, L->w / 2, ui_attr(UI_R_SERVER), L->right);
	start = malloc((n + 1) * sizeof *start);
	if (start == NULL) {      /* out of memory: the names, no ladder this time */
		ui_text(stdscr, L->y + 1, L->x + 1, L->w - 2, ui_attr(UI_R_BAD), _("out of memory"));
		return ui_ladder_back(L);
	}
	for (size_t i = 0; i < n; i++) {
		start[i] = total;
		total += L->steps[i].kind == TT_STEP_SEGMENT ? 2 : 1;
	}
	back = ui_ladder_back(L);
	c.y = L->y + 1;
	c.x = L->x;
	c.h = body;
	c.w = L->w;
	c.first = total - body - back;
	if (c.first < 0)
		c.first = 0;
	for (int r = 0; r < body; r++) {
		ui_text(stdscr, c.y + r, x0, 1, ui_attr(UI_R_CLIENT), ui_glyph(UI_G_VLINE));
		ui_text(stdscr, c.y + r, x1, 1, ui_attr(UI_R_SERVER), ui_glyph(UI_G_VLINE));
	}
	/* Lines first, then labels, so that a crossing line never hides a label. */
	for (int pass = 0; pass < 2; pass++)
	for (size_t i = 0; i < n; i++) {
		const struct tt_step *s = &L->steps[i];
		int cur = i == L->cur, last = start[i] + (s->kind == TT_STEP_SEGMENT ? 1 : 0);

		/* Rows above the view: nothing to draw (a held-back segment is
		 * drawn from where it lands, so it is never skipped). */
		if (last < c.first)
			continue;
		if (s->kind == TT_STEP_SEGMENT) {
			size_t j = i;

			int end = start[i] + 1, flying = s->crossed_after != 0, cx = -1;

			/* A segment the wire held back starts where it was sent. */
			while ((s->notes & TT_NOTE(DELAYED)) && j > 0 &&
			       key_time(&L->steps[j - 1]) > s->time)
				j--;
			/* replay: one that crossed the next segment the other way
			 * lands after it, so the two arrows cross */
			for (size_t k = i + 1; s->crossed_after != 0 && k < n; k++)
				if (L->steps[k].frame == s->crossed_after) {
					const struct tt_step *o = &L->steps[k];
					int to[64];
					char ol[128];

					end = start[k] + 1;
					flying = 0;
					/* through the other's first row, just short of
					 * where it turns down (its label ends before) */
					if (o->kind == TT_STEP_SEGMENT && o->crossed_after == 0 &&
					    o->dir != s->dir) {
						int none = -1;

						arrow_turns(L, o, x0, x1, 1, &none, to, ol, sizeof ol);
						cx = to[1] - (o->dir != TT_SERVER ? 1 : -1);
					}
					break;
				}
			/* not yet: that frame is still to come */
			draw_arrow(L, &c, s, start[j], end, x0, x1, cur, pass, flying, cx);
			if (pass == 0)
				continue;
		} else if (pass == 0) {
			continue;
		} else {
			const char *what = _("event");
			char lab[96];

			for (unsigned k = 0; k < s->nev && k < TT_STEP_EVENTS; k++)
				if (s->ev[k].ev.reason != TT_R_NONE && s->ev[k].host == s->dir) {
					what = L->event_label(s->ev[k].ev.reason);
					break;
				}
			snprintf(lab, sizeof lab, " %s ", what);
			if (s->dir == TT_SERVER) {
				int wl = ui_width(lab);

				put(&c, start[i], x1, ui_attr(UI_R_SERVER), ui_glyph(UI_G_DOT));
				put(&c, start[i], x1 - wl, cur ? ui_attr(UI_R_CURRENT) : ui_attr(UI_R_SERVER), lab);
			} else {
				put(&c, start[i], x0, ui_attr(UI_R_CLIENT), ui_glyph(UI_G_DOT));
				put(&c, start[i], x0 + 1, cur ? ui_attr(UI_R_CURRENT) : ui_attr(UI_R_CLIENT), lab);
			}
		}
		/* Each side's state beside its timeline, where it changes. */
		for (int h = 0; h < 2; h++) {
			enum tt_state now = s->tcb[h].state;
			enum tt_state was = i > 0 ? L->steps[i - 1].tcb[h].state : TT_NSTATES;
			int row = last;

			/* Also on the first row in view, so that a scrolled ladder still says. */
			if (now == was && start[i] != c.first)
				continue;
			if (s->kind == TT_STEP_SEGMENT && h == (s->dir == TT_SERVER))
				row = start[i];   /* the sender changes as it sends */
			{
				const char *nm = tt_state_name(now);
				int yy = row - c.first;

				if (yy < 0 || yy >= c.h)
					continue;
				if (h == 0)
					ui_text_right(stdscr, c.y + yy, L->x, lw - 1, ui_attr(UI_R_CLIENT) | (cur ? A_BOLD : 0), nm);
				else
					ui_text(stdscr, c.y + yy, x1 + 2, lw - 1, ui_attr(UI_R_SERVER) | (cur ? A_BOLD : 0), nm);
			}
		}
	}
	free(start);
	return back;
}
