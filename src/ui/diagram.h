/* ui/diagram.h: the two drawings of the step view: the ladder (time runs
 * down, one slanted arrow per segment) and the RFC 9293 state diagram with
 * both endpoints lit. For ui/ only. */
#ifndef TT_UI_DIAGRAM_H
#define TT_UI_DIAGRAM_H

#include "ui/term.h"

/* The state diagram's size in cells. */
enum { UI_STATES_W = 57, UI_STATES_H = 12 };

/* Draws the diagram at (y, x), clipped to h rows and w columns. st[h] is
 * host h's state (0 client, 1 server); from[h]/to[h] the transition host h
 * just took (TT_NSTATES when none), marked where the diagram has its edge.
 * taken (may be NULL) says which edges the challenge has covered: those
 * are drawn bold and underlined, also without colours. */
struct ui_taken {
	int (*edge)(void *ctx, enum tt_state from, enum tt_state to);
	void *ctx;
};
void ui_states_draw(WINDOW *w, int y, int x, int h, int wd, const enum tt_state st[2],
                    const enum tt_state from[2], const enum tt_state to[2],
                    const struct ui_taken *taken);

struct ui_ladder {
	int y, x, h, w;                 /* the box to draw in */
	const struct tt_step *steps;
	size_t nsteps, cur;             /* steps 0..cur are drawn */
	int empty;                      /* no step at all */
	int back;                       /* rows scrolled up from the newest */
	int absolute;                   /* raw sequence numbers */
	const char *left, *right;       /* "client addr:port", "server addr:port" */
	const char *(*event_label)(enum tt_reason r);
	const uint32_t *base;           /* 2 per step: each side's ISN, or NULL: the TCBs' ISS */
};

/* Draws the ladder; returns the scroll position actually used (back clamped,
 * as ui_ladder_back() says it will be). */
int ui_ladder_draw(const struct ui_ladder *L);
int ui_ladder_back(const struct ui_ladder *L);

#endif
