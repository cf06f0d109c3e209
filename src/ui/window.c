/* ui/window.c: RFC 9293 Figures 3 and 4 as bars over the sequence space,
 * drawn from the current step's TCBs. The acknowledged part and the part
 * not yet allowed have a fixed width (they are unbounded); between them the
 * bytes from SND.UNA (RCV.NXT) to the end of the window are to scale, each
 * part at least one column wide so that none vanishes. Numbers under the
 * marks are relative as in the table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui/graph.h"
#include "ui/term.h"

/* One part of a bar: how many bytes, how many columns, how it looks. */
struct part {
	uint64_t bytes;
	int cols;
	enum ui_glyph glyph;
	attr_t a;
};

struct mark {
	int col;                /* relative to the bar's left end */
	const char *name, *brief;   /* "SND.NXT", "NXT" */
	uint32_t val;
	attr_t a;
};

int
ui_graph_data_host(const struct ui_graph *g)
{
	const struct tt_step *s;
	uint32_t best = 0;
	int host = TT_CLIENT;

	if (g->upto == 0)
		return TT_CLIENT;
	/* the latest data segment up to the current step */
	for (size_t k = g->cur + 1; k-- > 0;) {
		s = &g->steps[k];
		if (s->kind == TT_STEP_SEGMENT && s->seg.len > 0)
			return s->dir == TT_SERVER;
	}
	/* else whoever has sent more so far */
	s = &g->steps[g->cur];
	for (int h = 0; h < 2; h++) {
		uint32_t sent = s->tcb[h].snd_nxt - s->tcb[h].iss;

		if (s->tcb[h].state != TT_CLOSED && s->tcb[h].state != TT_LISTEN && sent > best) {
			best = sent;
			host = h;
		}
	}
	return host;
}

/* Columns for each part: to scale over `cols`, at least one for a part
 * that has bytes; the widest part gives or takes what rounding left. */
static void
fit_parts(struct part *p, int n, int cols)
{
	uint64_t total = 0;
	int used = 0, widest = -1;

	for (int i = 0; i < n; i++)
		total += p[i].bytes;
	for (int i = 0; i < n; i++) {
		p[i].cols = 0;
		if (p[i].bytes == 0 || total == 0)
			continue;
		p[i].cols = (int)((p[i].bytes * (uint64_t)cols + total / 2) / total);
		if (p[i].cols < 1)
			p[i].cols = 1;
		used += p[i].cols;
		if (widest < 0 || p[i].cols > p[widest].cols)
			widest = i;
	}
	if (widest >= 0) {
		p[widest].cols += cols - used;
		if (p[widest].cols < 1)
			p[widest].cols = 1;
	}
}

/* The column of a byte offset from the left end of the parts. */
static int
col_of(const struct part *p, int n, uint64_t off)
{
	int col = 0;

	for (int i = 0; i < n; i++) {
		if (off < p[i].bytes || (off == p[i].bytes && i == n - 1))
			return col + (int)(off * (uint64_t)p[i].cols / (p[i].bytes ? p[i].bytes : 1));
		off -= p[i].bytes;
		col += p[i].cols;
	}
	return col;
}

/* The bar on row y, then its marks' labels on the two rows below. A label
 * starts at its mark (or, near the right end, ends there), on the first row
 * where it does not run into the one before; when neither row has room the
 * short name is tried, and only then the label moves off its mark. */
static int
place(const struct mark *m, const char *name, int w, const int end[2], int *row, int *at,
      char *label, size_t len)
{
	int lw;

	snprintf(label, len, "%s%s %u", ui_glyph(UI_G_MARK_UP), name, m->val);
	lw = ui_width(label);
	*at = m->col;
	if (*at + lw > w) {
		snprintf(label, len, "%s %u%s", name, m->val, ui_glyph(UI_G_MARK_UP));
		*at = m->col + 1 - lw;
	}
	for (*row = 0; *row < 2; (*row)++)
		if (*at >= end[*row] && *at >= 0)
			return 1;
	return 0;
}

static void
bar_draw(int y, int x, int w, const struct part *p, int n, const struct mark *m, int nm)
{
	int col = 0, end[2] = { 0, 0 };

	for (int i = 0; i < n; i++)
		for (int k = 0; k < p[i].cols && col < w; k++, col++)
			ui_text(stdscr, y, x + col, 1, p[i].a, ui_glyph(p[i].glyph));
	for (int i = 0; i < nm; i++) {
		char label[64];
		int at, row;

		if (!place(&m[i], m[i].name, w, end, &row, &at, label, sizeof label) &&
		    !place(&m[i], m[i].brief, w, end, &row, &at, label, sizeof label)) {
			row = 1;
			at = end[1];
		}
		ui_text(stdscr, y + 1 + row, x + at, w - at, m[i].a, label);
		end[row] = at + ui_width(label) + 1;
	}
}

/* RFC 9293 Figure 3: host h's send sequence space. */
static void
send_draw(const struct ui_graph *g, int h, int y, int x, int w)
{
	const struct tt_tcb_view *v = &g->steps[g->cur].tcb[h];
	uint32_t b = ui_graph_base(g, g->cur, h), una = v->snd_una - b, nxt = v->snd_nxt - b;
	uint32_t wnd = v->snd_wnd, flight = v->snd_nxt - v->snd_una;
	uint32_t cwnd = g->replay ? 0 : v->cwnd, eff = cwnd != 0 && cwnd < wnd ? cwnd : wnd;
	uint32_t usable = eff > flight ? eff - flight : 0;
	attr_t own = ui_attr(h ? UI_R_SERVER : UI_R_CLIENT);
	int side = w / 6, nm = 0;
	char title[256], more[96] = "";
	struct part p[6];
	struct mark m[4];

	if (v->state == TT_CLOSED || v->state == TT_LISTEN) {
		ui_textf(stdscr, y, x, w, own, _("%s sends: nothing yet (%s)"), ui_host_name(h),
		         tt_state_name(v->state));
		return;
	}
	if (cwnd != 0 && cwnd >= wnd)
		snprintf(more, sizeof more, _("  cwnd %u (not the limit)"), cwnd);
	else if (cwnd == 0 && g->replay)
		snprintf(more, sizeof more, "  %s", _("(a capture shows no cwnd)"));
	snprintf(title, sizeof title, _("%s sends (RFC 9293 Fig. 3): in flight %u, usable %u%s"),
	         ui_host_name(h), flight, usable, more);
	if (ui_width(title) > w)
		snprintf(title, sizeof title, _("%s sends (RFC 9293 Fig. 3): in flight %u, usable %u%s"),
		         ui_host_name(h), flight, usable, "");
	ui_text(stdscr, y, x, w, own, title);
	/* the parts between SND.UNA and the end of what is sent or allowed */
	{
		uint64_t to_eff = eff, to_wnd = wnd, sent = flight;
		uint64_t end = sent > to_wnd ? sent : to_wnd;
		uint64_t a1 = sent < end ? sent : end;
		uint64_t a2 = to_eff > a1 ? to_eff : a1;
		uint64_t a3 = to_wnd > a2 ? to_wnd : a2;

		/* below SND.UNA: acknowledged, or before the ISS (nothing yet), which
		 * is no part of the window and is left blank */
		p[0] = (struct part){ 1, side, una > 0 ? UI_G_BLOCK_FULL : UI_G_BLANK, ui_attr(UI_R_DIM) };
		p[1] = (struct part){ a1, 0, UI_G_BLOCK_DARK, own };
		p[2] = (struct part){ a2 - a1, 0, UI_G_BLOCK_LIGHT, ui_attr(UI_R_OK) };
		p[3] = (struct part){ a3 - a2, 0, UI_G_BLOCK_MEDIUM, ui_attr(UI_R_DROP) };
		p[4] = (struct part){ 1, side, UI_G_MIDDOT, ui_attr(UI_R_DIM) };
		fit_parts(p + 1, 3, w - 2 * side);
		if (end == 0)
			p[4].cols += w - 2 * side;
		m[nm++] = (struct mark){ side, "SND.UNA", "UNA", una, ui_attr(UI_R_HEADING) };
		m[nm++] = (struct mark){ side + col_of(p + 1, 3, sent), "SND.NXT", "NXT", nxt, own };
		if (cwnd != 0 && cwnd < wnd)
			m[nm++] = (struct mark){ side + col_of(p + 1, 3, to_eff), "SND.UNA+cwnd",
			                         "+cwnd", una + cwnd, ui_attr(UI_R_DROP) };
		m[nm++] = (struct mark){ side + (end == 0 ? 0 : col_of(p + 1, 3, to_wnd)),
		                         "SND.UNA+SND.WND", "+WND", una + wnd, ui_attr(UI_R_OK) };
		/* marks in column order: SND.NXT may lie beyond the window's end */
		for (int i = 1; i < nm; i++)
			for (int k = i; k > 0 && m[k].col < m[k - 1].col; k--) {
				struct mark t = m[k];

				m[k] = m[k - 1];
				m[k - 1] = t;
			}
		bar_draw(y + 1, x, w, p, 5, m, nm);
	}
}

/* RFC 9293 Figure 4: host h's receive sequence space. */
static void
recv_draw(const struct ui_graph *g, int h, int y, int x, int w)
{
	const struct tt_tcb_view *v = &g->steps[g->cur].tcb[h];
	uint32_t b = ui_graph_base(g, g->cur, !h), nxt = v->rcv_nxt - b, wnd = v->rcv_wnd;
	attr_t own = ui_attr(h ? UI_R_SERVER : UI_R_CLIENT);
	int side = w / 6;
	char title[256];
	struct part p[3];
	struct mark m[2];

	if (v->state == TT_CLOSED || v->state == TT_LISTEN || v->state == TT_SYN_SENT) {
		ui_textf(stdscr, y, x, w, own, _("%s receives: nothing yet (%s)"), ui_host_name(h),
		         tt_state_name(v->state));
		return;
	}
	snprintf(title, sizeof title, _("%s receives (RFC 9293 Fig. 4): RCV.WND %u, %u bytes not yet read"),
	         ui_host_name(h), wnd, v->rcv_queued);
	/* a capture keeps no bytes; a narrow panel leaves them out */
	if (g->replay || ui_width(title) > w)
		snprintf(title, sizeof title, _("%s receives (RFC 9293 Fig. 4): RCV.WND %u"),
		         ui_host_name(h), wnd);
	ui_text(stdscr, y, x, w, own, title);
	p[0] = (struct part){ 1, side, nxt > 0 ? UI_G_BLOCK_FULL : UI_G_BLANK, ui_attr(UI_R_DIM) };
	p[1] = (struct part){ wnd, wnd > 0 ? w - 2 * side : 0, UI_G_BLOCK_LIGHT, ui_attr(UI_R_OK) };
	p[2] = (struct part){ 1, wnd > 0 ? side : w - side, UI_G_MIDDOT, ui_attr(UI_R_DIM) };
	m[0] = (struct mark){ side, "RCV.NXT", "NXT", nxt, ui_attr(UI_R_HEADING) };
	m[1] = (struct mark){ side + p[1].cols, "RCV.NXT+RCV.WND", "+WND", nxt + wnd, ui_attr(UI_R_OK) };
	bar_draw(y + 1, x, w, p, 3, m, 2);
}

void
ui_windows_draw(const struct ui_graph *g)
{
	int y = g->y, x = g->x + 1, w = g->w - 2, bottom = g->y + g->h;
	char legend[512];

	if (g->upto == 0 || g->h < 1) {
		if (g->h >= 1)
			ui_text(stdscr, y, x, w, ui_attr(UI_R_DIM), _("No step yet."));
		return;
	}
	if (g->h >= 4 * 4 + 1) {
		/* all four, in the order the bytes go */
		for (int h = 0; h < 2; h++) {
			send_draw(g, h, y, x, w);
			recv_draw(g, !h, y + 4, x, w);
			y += 8;
		}
	} else {
		int h = ui_graph_data_host(g);

		if (y + 4 <= bottom)
			send_draw(g, h, y, x, w);
		if (y + 8 <= bottom)
			recv_draw(g, !h, y + 4, x, w);
		y += 8;
	}
	if (y < bottom) {
		snprintf(legend, sizeof legend, _("%s acknowledged %s sent, unacknowledged %s usable "
		                                  "%s beyond cwnd %s not yet allowed"),
		         ui_glyph(UI_G_BLOCK_FULL), ui_glyph(UI_G_BLOCK_DARK), ui_glyph(UI_G_BLOCK_LIGHT),
		         ui_glyph(UI_G_BLOCK_MEDIUM), ui_glyph(UI_G_MIDDOT));
		if (ui_width(legend) > w)
			snprintf(legend, sizeof legend, _("%s acked %s in flight %s usable %s over cwnd "
			                                  "%s not allowed"),
			         ui_glyph(UI_G_BLOCK_FULL), ui_glyph(UI_G_BLOCK_DARK),
			         ui_glyph(UI_G_BLOCK_LIGHT), ui_glyph(UI_G_BLOCK_MEDIUM),
			         ui_glyph(UI_G_MIDDOT));
		ui_text(stdscr, bottom - 1, x, w, ui_attr(UI_R_DIM), legend);
	}
}
