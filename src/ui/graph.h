/* ui/graph.h: the step view's pictures of numbers (ui/window.c, ui/chart.c):
 * the windows over the sequence space and the charts over time. Each draws
 * into a rectangle of stdscr from the steps up to and including the current
 * one, so stepping back shows the earlier picture. Not for use outside ui/. */
#ifndef TT_UI_GRAPH_H
#define TT_UI_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

/* Charts drawn once for a long capture are kept here, so that stepping
 * through it redraws only the cursor (one per screen; NULL: none). */
struct ui_graph_cache;
struct ui_graph_cache *ui_graph_cache_new(void);
void ui_graph_cache_free(struct ui_graph_cache *c);

struct ui_graph {
	struct ui_graph_cache *cache;
	const struct tt_step *steps;
	size_t nsteps;
	size_t cur;             /* the current step */
	size_t upto;            /* steps [0, upto) may be drawn (the rest is still
	                           to come in a lesson: nothing of it is shown) */
	const uint32_t *base;   /* per step, 2 values: each side's base for
	                           relative numbers; NULL: each TCB's ISS */
	int absolute;           /* raw sequence numbers */
	int replay;             /* a capture: no cwnd, ssthresh, SRTT or RTO */
	int y, x, h, w;         /* where to draw, below the panel's heading */
};

/* RFC 9293 Figures 3 and 4 for the current step: each host's send sequence
 * space (acknowledged, sent and unacknowledged, usable window, not yet
 * allowed; SND.UNA, SND.NXT, cwnd's limit and SND.UNA+SND.WND marked) and
 * receive sequence space (RCV.NXT and RCV.NXT+RCV.WND marked). With little
 * room only the current segment's sender's send space and its receiver's
 * receive space. */
void ui_windows_draw(const struct ui_graph *g);
/* Where host h's relative sequence numbers start at step i (0 with
 * absolute numbers). */
uint32_t ui_graph_base(const struct ui_graph *g, size_t i, int h);

/* The host or direction a chart is about at the current step: the host
 * whose data the current step is about. */
int ui_graph_data_host(const struct ui_graph *g);

/* cwnd (a line) and ssthresh (dashed) over time, per host; a capture: the
 * bytes in flight and the window the peer advertised. A cursor marks the
 * current step. */
void ui_chart_cwnd_draw(const struct ui_graph *g);

/* Stevens/tcptrace time-sequence graph of one direction (the current
 * step's data's): each data segment a vertical tick from seq to seq+len
 * at its time, the receiver's ACK line and the window line (ack + window). */
void ui_chart_tseq_draw(const struct ui_graph *g);

#endif
