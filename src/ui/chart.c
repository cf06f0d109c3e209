/* ui/chart.c: charts over time in the terminal. A canvas of dots, 2 x 4 per
 * cell drawn as braille (U+2800..U+28FF) where the locale is UTF-8, else one
 * per cell in ASCII (`*`, `|`, `-`). Only the steps of the current step's
 * connection are plotted, and of those only what may be shown (a lesson
 * never shows what is still to come); a cursor marks the current step. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui/graph.h"
#include "ui/term.h"

enum { CV_COLS = 320, CV_ROWS = 96, LEFT = 9 };

/* What a dot belongs to; a cell takes the look of the last one drawn. */
enum kind { K_NONE, K_MAIN, K_DASH, K_ACK, K_TICK, K_LOST };

/* The charts, for the cache's keys. */
enum { G_CC = 1, G_TS };

struct canvas {
	int cols, rows;         /* cells */
	int pw, ph;             /* dots */
	int braille;
	unsigned char dots[CV_ROWS][CV_COLS];
	unsigned char kind[CV_ROWS][CV_COLS];
	int cursor;             /* cell column of the cursor, -1 none */
	/* the axes: time from t0 to t1, values from 0 to ymax */
	tt_time t0, t1;
	double ymin, ymax;
};

/* What a drawn canvas depends on besides the cursor. */
struct chart_key {
	const struct tt_step *steps;
	size_t nsteps, upto;
	unsigned stream;
	int who, kind, cols, rows, braille, absolute;
	const uint32_t *base;
};

struct ui_graph_cache {
	struct slot {
		int valid;
		struct chart_key key;
		struct canvas c;
		int any, above;
	} slot[2];
};

struct ui_graph_cache *
ui_graph_cache_new(void)
{
	return calloc(1, sizeof(struct ui_graph_cache));
}

void
ui_graph_cache_free(struct ui_graph_cache *c)
{
	free(c);
}

static void
key_of(const struct ui_graph *g, int who, int kind, const struct canvas *c, struct chart_key *k)
{
	memset(k, 0, sizeof *k);
	k->steps = g->steps;
	k->nsteps = g->nsteps;
	k->upto = g->upto;
	k->stream = g->steps[g->cur].stream;
	k->who = who;
	k->kind = kind;
	k->cols = c->cols;
	k->rows = c->rows;
	k->braille = c->braille;
	k->absolute = g->absolute;
	k->base = g->base;
}

/* Fills c (and *any, *above) from the cache when it holds this chart. */
static int
cache_get(const struct ui_graph *g, int n, const struct chart_key *k, struct canvas *c, int *any,
          int *above)
{
	struct slot *sl;

	if (g->cache == NULL)
		return 0;
	sl = &g->cache->slot[n];
	if (!sl->valid || memcmp(&sl->key, k, sizeof *k) != 0)
		return 0;
	*c = sl->c;
	*any = sl->any;
	*above = sl->above;
	return 1;
}

static void
cache_put(const struct ui_graph *g, int n, const struct chart_key *k, const struct canvas *c,
          int any, int above)
{
	struct slot *sl;

	if (g->cache == NULL)
		return;
	sl = &g->cache->slot[n];
	sl->valid = 1;
	sl->key = *k;
	sl->c = *c;
	sl->any = any;
	sl->above = above;
}

uint32_t
ui_graph_base(const struct ui_graph *g, size_t i, int h)
{
	if (g->absolute)
		return 0;
	if (g->base != NULL)
		return g->base[2 * i + h];
	return g->steps[i].tcb[h].iss;
}

static tt_time
step_time(const struct ui_graph *g, const struct tt_step *s)
{
	return s->kind == TT_STEP_SEGMENT && !g->replay ? s->arrival : s->time;
}

static void
canvas_init(struct canvas *c, int cols, int rows)
{
	c->cols = cols < CV_COLS ? cols : CV_COLS;
	c->rows = rows < CV_ROWS ? rows : CV_ROWS;
	if (c->cols < 1)
		c->cols = 1;
	if (c->rows < 1)
		c->rows = 1;
	c->braille = ui_unicode();
	c->pw = c->cols * (c->braille ? 2 : 1);
	c->ph = c->rows * (c->braille ? 4 : 1);
	c->cursor = -1;
	for (int r = 0; r < c->rows; r++) {
		memset(c->dots[r], 0, (size_t)c->cols);
		memset(c->kind[r], 0, (size_t)c->cols);
	}
}

/* A dot at (px, py), py counted from the bottom; outside: nothing. */
static void
dot(struct canvas *c, int px, int py, enum kind k)
{
	static const unsigned char bit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };
	int dy, col, row;

	if (px < 0 || py < 0 || px >= c->pw || py >= c->ph)
		return;
	dy = c->ph - 1 - py;
	if (c->braille) {
		col = px / 2;
		row = dy / 4;
		c->dots[row][col] |= bit[px % 2][dy % 4];
	} else {
		col = px;
		row = dy;
		c->dots[row][col] = 1;
	}
	if (k >= c->kind[row][col] || c->kind[row][col] == K_DASH)
		c->kind[row][col] = (unsigned char)k;
}

static int
px_of(const struct canvas *c, tt_time t)
{
	if (c->t1 <= c->t0)
		return 0;
	return (int)((double)(t - c->t0) * (c->pw - 1) / (double)(c->t1 - c->t0) + 0.5);
}

static int
py_of(const struct canvas *c, double v)
{
	if (c->ymax <= c->ymin)
		return 0;
	return (int)((v - c->ymin) * (c->ph - 1) / (c->ymax - c->ymin) + 0.5);
}

/* A straight line of dots; dashed: two on, two off. */
static void
line(struct canvas *c, int x0, int y0, int x1, int y1, enum kind k, int dashed)
{
	int dx = x1 > x0 ? x1 - x0 : x0 - x1, dy = y1 > y0 ? y1 - y0 : y0 - y1;
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx - dy, n = 0;

	/* long lines off the canvas are cut to it first */
	if (y0 > c->ph + 1 && y1 > c->ph + 1)
		return;
	if (dy > 4 * (c->ph + 2) && dx == 0) {
		if (y0 > y1) {
			int t = y0;

			y0 = y1;
			y1 = t;
			sy = 1;
		}
		if (y0 < -1)
			y0 = -1;
		if (y1 > c->ph + 1)
			y1 = c->ph + 1;
		dy = y1 - y0;
		err = -dy;
	}
	for (;;) {
		if (!dashed || n % 4 < 2)
			dot(c, x0, y0, k);
		n++;
		if (x0 == x1 && y0 == y1)
			break;
		int e2 = 2 * err;

		if (e2 > -dy) {
			err -= dy;
			x0 += sx;
		}
		if (e2 < dx) {
			err += dx;
			y0 += sy;
		}
	}
}

/* A value over time drawn as a step line. Per dot column it keeps the
 * lowest and highest value taken there and the last one, so that a long
 * capture costs one pass over its steps and one over the columns. */
struct series {
	unsigned char touched[CV_COLS * 2];
	int lo[CV_COLS * 2], hi[CV_COLS * 2], last[CV_COLS * 2]; /* dots; -1: none */
	int end;                /* the last column the line runs to */
};

static void
series_init(struct series *s, const struct canvas *c)
{
	memset(s->touched, 0, (size_t)c->pw);
	s->end = c->pw - 1;
}

/* The value at column px is py from now on (-1: no value). */
static void
series_add(struct series *s, int px, int py)
{
	if (px < 0 || px >= CV_COLS * 2)
		return;
	if (!s->touched[px]) {
		s->touched[px] = 1;
		s->lo[px] = s->hi[px] = -1;
	}
	if (py >= 0 && (s->lo[px] < 0 || py < s->lo[px]))
		s->lo[px] = py;
	if (py > s->hi[px])
		s->hi[px] = py;
	s->last[px] = py;
}

static void
series_draw(struct canvas *c, const struct series *s, enum kind k, int dashed)
{
	int carry = -1;

	for (int col = 0; col < c->pw && col <= s->end; col++) {
		if (s->touched[col]) {
			int a = s->lo[col], b = s->hi[col];

			if (carry >= 0 && (a < 0 || carry < a))
				a = carry;
			if (carry > b)
				b = carry;
			for (int py = a < 0 ? 0 : a; a >= 0 && py <= b && py < c->ph; py++)
				if (!dashed || py % 4 < 2 || a == b)
					dot(c, col, py, k);
			carry = s->last[col];
		} else if (carry >= 0 && (!dashed || col % 4 < 2)) {
			dot(c, col, carry, k);
		}
	}
}

static attr_t
kind_attr(enum kind k)
{
	switch (k) {
	case K_MAIN:
	case K_TICK: return ui_attr(UI_R_CLIENT);
	case K_DASH: return ui_attr(UI_R_SERVER);
	case K_ACK: return ui_attr(UI_R_OK);
	case K_LOST: return ui_attr(UI_R_DROP);
	default: return 0;
	}
}

static const char *
kind_ascii(enum kind k)
{
	switch (k) {
	case K_DASH: return "-";
	case K_TICK: return "|";
	case K_LOST: return "x";
	default: return "*";
	}
}

/* Paints the canvas with its value axis on the left and its time axis in
 * the row below. */
static void
canvas_paint(const struct canvas *c, int y, int x, int left)
{
	char buf[64];

	for (int r = 0; r < c->rows; r++) {
		for (int col = 0; col < c->cols; col++) {
			unsigned m = c->dots[r][col];
			attr_t a = kind_attr((enum kind)c->kind[r][col]);

			if (m != 0 && c->braille) {
				unsigned u = 0x2800 + m;

				buf[0] = (char)(0xe0 | (u >> 12));
				buf[1] = (char)(0x80 | ((u >> 6) & 0x3f));
				buf[2] = (char)(0x80 | (u & 0x3f));
				buf[3] = '\0';
				ui_text(stdscr, y + r, x + left + col, 1, a, buf);
			} else if (m != 0) {
				ui_text(stdscr, y + r, x + left + col, 1, a,
				        kind_ascii((enum kind)c->kind[r][col]));
			} else if (col == c->cursor) {
				ui_text(stdscr, y + r, x + left + col, 1, ui_attr(UI_R_CURRENT),
				        ui_glyph(UI_G_VLINE));
			}
		}
		ui_text(stdscr, y + r, x + left - 1, 1, ui_attr(UI_R_DIM), ui_glyph(UI_G_VLINE));
	}
	snprintf(buf, sizeof buf, "%.0f", c->ymax);
	ui_text_right(stdscr, y, x, left - 1, ui_attr(UI_R_DIM), buf);
	snprintf(buf, sizeof buf, "%.0f", c->ymin);
	ui_text_right(stdscr, y + c->rows - 1, x, left - 1, ui_attr(UI_R_DIM), buf);
	ui_hline(stdscr, y + c->rows, x + left, c->cols, ui_attr(UI_R_DIM));
	/* the two times at the ends of the axis, moved off the cursor's mark
	 * (the right one left out when they would meet) */
	{
		char end[64];
		int lw, rw, from = 0, to = c->cols;

		snprintf(buf, sizeof buf, _("%.3f s"), (double)c->t0 / 1e6);
		snprintf(end, sizeof end, _("%.3f s"), (double)c->t1 / 1e6);
		lw = ui_width(buf);
		rw = ui_width(end);
		if (c->cursor >= 0 && c->cursor < lw)
			from = c->cursor + 1;
		if (c->cursor >= c->cols - rw && c->cursor < c->cols)
			to = c->cursor;
		ui_text(stdscr, y + c->rows, x + left + from, c->cols - from, ui_attr(UI_R_DIM), buf);
		if (to - rw > from + lw)
			ui_text(stdscr, y + c->rows, x + left + to - rw, rw, ui_attr(UI_R_DIM), end);
	}
	if (c->cursor >= 0)
		ui_text(stdscr, y + c->rows, x + left + c->cursor, 1, ui_attr(UI_R_CURRENT),
		        ui_glyph(UI_G_MARK_UP));
}

/* The steps of the current step's connection that may be drawn. */
static int
same_stream(const struct ui_graph *g, size_t i)
{
	return g->steps[i].stream == g->steps[g->cur].stream;
}

static void
time_range(const struct ui_graph *g, struct canvas *c)
{
	int any = 0;

	c->t0 = c->t1 = 0;
	for (size_t i = 0; i < g->nsteps; i++) {
		tt_time t;

		if (!same_stream(g, i))
			continue;
		t = step_time(g, &g->steps[i]);
		if (g->steps[i].time < t)
			t = g->steps[i].time;
		if (!any || t < c->t0)
			c->t0 = t;
		t = step_time(g, &g->steps[i]);
		if (!any || t > c->t1)
			c->t1 = t;
		any = 1;
	}
	if (c->t1 <= c->t0)
		c->t1 = c->t0 + 1;
}

/* ---- cwnd and ssthresh ----------------------------------------------------- */

/* The two values charted for host h after step i: cwnd and ssthresh in a
 * simulation, the bytes in flight and the peer's window from a capture;
 * -1 where there is none, HELD where the line keeps the value before. */
#define HELD (-2.0)
static void
cc_values(const struct ui_graph *g, size_t i, int h, double *a, double *b)
{
	const struct tt_tcb_view *v = &g->steps[i].tcb[h];

	*a = *b = -1;
	if (v->state == TT_CLOSED || v->state == TT_LISTEN)
		return;
	if (g->replay) {
		const struct tt_step *st = &g->steps[i];

		/* Wireshark's count, on the host's own data segments only: the
		 * line holds it until the next (HELD: no point here) */
		*a = st->kind == TT_STEP_SEGMENT && st->dir == h && st->flight >= 0 ? st->flight
		                                                                      : HELD;
		*b = v->snd_wnd;
		return;
	}
	if (v->cwnd == 0)
		return;
	*a = v->cwnd;
	if (tt_ssthresh_known(v))
		*b = v->ssthresh;
}

/* Plots host h's two values over the steps that may be shown. */
static void
cc_plot(const struct ui_graph *g, int h, struct canvas *c, int *any)
{
	struct series *sa = malloc(sizeof *sa), *sb = malloc(sizeof *sb);
	double a, b;
	int px0 = 0;

	if (sa == NULL || sb == NULL)
		ui_fatal("%s", _("out of memory"));
	time_range(g, c);
	c->ymin = 0;
	c->ymax = 1;
	for (size_t i = 0; i < g->upto; i++) {
		if (!same_stream(g, i))
			continue;
		cc_values(g, i, h, &a, &b);
		if (a > c->ymax)
			c->ymax = a;
		if (b > c->ymax)
			c->ymax = b;
	}
	c->ymax *= 1.1;
	series_init(sa, c);
	series_init(sb, c);
	for (size_t i = 0; i < g->upto; i++) {
		int px;

		if (!same_stream(g, i))
			continue;
		cc_values(g, i, h, &a, &b);
		px = px_of(c, step_time(g, &g->steps[i]));
		if (px < px0)
			px = px0;
		if (a != HELD)
			series_add(sa, px, a >= 0 ? py_of(c, a) : -1);
		series_add(sb, px, b >= 0 ? py_of(c, b) : -1);
		px0 = px;
		*any |= a >= 0;
	}
	series_draw(c, sb, K_DASH, 1);
	series_draw(c, sa, K_MAIN, 0);
	free(sa);
	free(sb);
}

static void
cc_chart(const struct ui_graph *g, int n, int h, int y, int x, int w, int rows)
{
	struct canvas c;
	struct chart_key key;
	double ca, cb;
	int any = 0, above = 0;
	char title[256], at[128];

	canvas_init(&c, w - LEFT, rows - 2);
	key_of(g, h, G_CC, &c, &key);
	if (!cache_get(g, n, &key, &c, &any, &above)) {
		cc_plot(g, h, &c, &any);
		cache_put(g, n, &key, &c, any, 0);
	}
	c.cursor = px_of(&c, step_time(g, &g->steps[g->cur])) / (c.braille ? 2 : 1);
	cc_values(g, g->cur, h, &ca, &cb);
	at[0] = '\0';
	if (g->replay) {
		snprintf(title, sizeof title, _("%s: bytes in flight %s, the window offered %s"),
		         ui_host_name(h), c.braille ? "\u2812\u2812" : "*", c.braille ? "\u2810 \u2810" : "-");
		if (ca >= 0)
			snprintf(at, sizeof at, _("here: in flight %.0f, window %.0f"), ca, cb);
	} else {
		snprintf(title, sizeof title, _("%s: cwnd %s and ssthresh %s, bytes"), ui_host_name(h),
		         c.braille ? "\u2812\u2812" : "*", c.braille ? "\u2810 \u2810" : "-");
		if (ca >= 0 && cb >= 0)
			snprintf(at, sizeof at, _("here: cwnd %.0f, ssthresh %.0f"), ca, cb);
		else if (ca >= 0)
			snprintf(at, sizeof at, _("here: cwnd %.0f, ssthresh %s"), ca, ui_glyph(UI_G_INFINITY));
	}
	ui_text(stdscr, y, x, w, ui_attr(h ? UI_R_SERVER : UI_R_CLIENT), title);
	if (at[0] != '\0' && ui_width(title) + ui_width(at) + 3 < w)
		ui_text_right(stdscr, y, x, w, ui_attr(UI_R_CURRENT), at);
	canvas_paint(&c, y + 1, x, LEFT);
	if (!any)
		ui_text(stdscr, y + rows / 2, x + LEFT + 2, w - LEFT - 2, ui_attr(UI_R_DIM),
		        g->replay ? _("Nothing sent yet.")
		                  : _("No congestion window yet: it starts with the first data sent."));
}

void
ui_chart_cwnd_draw(const struct ui_graph *g)
{
	int x = g->x + 1, w = g->w - 2;

	if (g->upto == 0 || g->h < 5) {
		if (g->h >= 1)
			ui_text(stdscr, g->y, x, w, ui_attr(UI_R_DIM), _("No step yet."));
		return;
	}
	if (g->h >= 2 * 8) {
		int half = g->h / 2;

		cc_chart(g, 0, TT_CLIENT, g->y, x, w, half);
		cc_chart(g, 1, TT_SERVER, g->y + half, x, w, g->h - half);
	} else {
		cc_chart(g, 0, ui_graph_data_host(g), g->y, x, w, g->h);
	}
}

/* ---- time-sequence graph ----------------------------------------------------- */

/* Plots direction d's segments, ACK line and window line. */
static void
ts_plot(const struct ui_graph *g, int d, struct canvas *c, int *any, int *above)
{
	struct series *sack = malloc(sizeof *sack), *swin = malloc(sizeof *swin);
	struct ticks { int lo[CV_COLS * 2], hi[CV_COLS * 2]; } *ticks = malloc(sizeof *ticks);
	double top = 1;
	int px0 = 0;

	if (sack == NULL || swin == NULL || ticks == NULL)
		ui_fatal("%s", _("out of memory"));
	time_range(g, c);
	/* the range: the data and the ACKs; the window line may go off the top */
	for (size_t i = 0; i < g->upto; i++) {
		const struct tt_step *s = &g->steps[i];
		uint32_t b = ui_graph_base(g, i, d);

		if (!same_stream(g, i) || s->kind != TT_STEP_SEGMENT)
			continue;
		if (s->dir == d && tt_seg_seqlen(&s->seg) > 0) {
			double hi = (double)(uint32_t)(s->seg.seq - b) + tt_seg_seqlen(&s->seg);

			if (hi > top)
				top = hi;
		} else if (s->dir != d && (s->seg.flags & TT_ACK) &&
		           (double)(uint32_t)(s->seg.ack - b) > top) {
			top = (double)(uint32_t)(s->seg.ack - b);
		}
	}
	c->ymin = 0;
	c->ymax = top * 1.15;
	series_init(sack, c);
	series_init(swin, c);
	for (int col = 0; col < c->pw; col++)
		ticks->lo[col] = -1;
	for (size_t i = 0; i < g->upto; i++) {
		const struct tt_step *s = &g->steps[i];
		uint32_t b = ui_graph_base(g, i, d);

		if (!same_stream(g, i) || s->kind != TT_STEP_SEGMENT)
			continue;
		if (s->dir == d && tt_seg_seqlen(&s->seg) > 0) {
			int px = px_of(c, s->time);
			uint32_t lo = s->seg.seq - b;
			int lost = (s->notes & TT_NOTE(DROPPED)) || s->lost;
			int y0 = py_of(c, lo), y1 = py_of(c, (double)lo + tt_seg_seqlen(&s->seg));

			*any = 1;
			/* a tick the column already has is not drawn again */
			if (px >= 0 && px < c->pw && !lost && ticks->lo[px] >= 0 && y0 >= ticks->lo[px] &&
			    y1 <= ticks->hi[px])
				continue;
			line(c, px, y0, px, y1, lost ? K_LOST : K_TICK, 0);
			if (px >= 0 && px < c->pw && !lost) {
				ticks->lo[px] = y0;
				ticks->hi[px] = y1;
			}
		} else if (s->dir != d && (s->seg.flags & TT_ACK) && !(s->notes & TT_NOTE(DROPPED)) &&
		           !s->lost) {
			/* the ACK line and the window line, as the sender learns them */
			int px = px_of(c, step_time(g, s));
			double ack = (double)(uint32_t)(s->seg.ack - b);
			double win = ack + s->tcb[d].snd_wnd;

			if (px < px0)
				px = px0;
			series_add(sack, px, py_of(c, ack));
			series_add(swin, px, py_of(c, win) < c->ph + 1 ? py_of(c, win) : c->ph + 1);
			px0 = px;
			*above |= win > c->ymax;
		}
	}
	series_draw(c, swin, K_DASH, 1);
	series_draw(c, sack, K_ACK, 0);
	free(sack);
	free(swin);
	free(ticks);
}

void
ui_chart_tseq_draw(const struct ui_graph *g)
{
	int x = g->x + 1, w = g->w - 2, d, rows = g->h, any = 0, above = 0;
	struct canvas c;
	struct chart_key key;
	char title[256];

	if (g->upto == 0 || g->h < 5) {
		if (g->h >= 1)
			ui_text(stdscr, g->y, x, w, ui_attr(UI_R_DIM), _("No step yet."));
		return;
	}
	d = ui_graph_data_host(g);
	canvas_init(&c, w - LEFT, rows - 2);
	key_of(g, d, G_TS, &c, &key);
	if (!cache_get(g, 0, &key, &c, &any, &above)) {
		ts_plot(g, d, &c, &any, &above);
		cache_put(g, 0, &key, &c, any, above);
	}
	c.cursor = px_of(&c, g->steps[g->cur].time) / (c.braille ? 2 : 1);
	snprintf(title, sizeof title, _("%s %s %s: time-sequence graph: segments %s, ACK %s, ACK + window %s"),
	         ui_host_name(d), ui_glyph(UI_G_RIGHTWARDS), ui_host_name(!d), c.braille ? "\u2847" : "|",
	         c.braille ? "\u2812\u2812" : "*", c.braille ? "\u2810 \u2810" : "-");
	ui_text(stdscr, g->y, x, w, ui_attr(d ? UI_R_SERVER : UI_R_CLIENT), title);
	if (above && ui_width(title) + ui_width(_("(window line above the top)")) + 3 < w)
		ui_text_right(stdscr, g->y, x, w, ui_attr(UI_R_DIM), _("(window line above the top)"));
	canvas_paint(&c, g->y + 1, x, LEFT);
	if (!any)
		ui_text(stdscr, g->y + rows / 2, x + LEFT + 2, w - LEFT - 2, ui_attr(UI_R_DIM),
		        _("No data sent in this direction yet."));
}
