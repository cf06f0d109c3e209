/* ui/stepview.h: the step view's inside, for the screens that extend it
 * (the sandbox adds host actions and faults, and grows the story as the
 * user acts). Not for use outside ui/. */
#ifndef TT_UI_STEPVIEW_H
#define TT_UI_STEPVIEW_H

#include <stddef.h>

#include "engine/tcp.h"
#include "ui/term.h"

struct sv_ext {
	void *ctx;
	/* A key the step view does not know. Returns -1 when it is not the
	 * extension's either, else what happens next. It may change the story
	 * (steps, nsteps) and set *cur to the step to show. */
	int (*key)(void *ctx, int key, size_t *cur);
	/* Called when the user steps forward past the last step: returns 1
	 * when new steps were appended (the view then moves on), 0 if not. */
	int (*more)(void *ctx);
	/* Extra key hints (a second bar) and a status line; both optional. */
	size_t (*hints)(void *ctx, struct ui_keyhint *k, size_t max);
	void (*status)(void *ctx, char *buf, size_t len);
	/* Help text for the extra keys, appended to '?'. */
	const char *(*help)(void *ctx);
	/* Optional: whether the drawn edge from -> to of the state diagram is
	 * one the challenge has covered (drawn bold and underlined). */
	int (*edge_taken)(void *ctx, enum tt_state from, enum tt_state to);
	/* What to say when there is no step yet. */
	const char *empty;
	/* A story that grows by itself (live): poll() is called every poll_ms
	 * and returns 1 when it appended steps. The view follows the newest
	 * step until the user steps back (p, Left, Home, g, /, Up); End
	 * follows again. */
	int (*poll)(void *ctx);
	int poll_ms;
};

/* The step view over a story that may grow (ext may be NULL). */
int sv_run(const struct ui_story *story, const struct ui_opts *o, const struct sv_ext *ext);

/* For make bench: paints the step view `frames` times (a different step
 * each time) at cols x rows onto a terminal whose output goes to /dev/null,
 * with graph in the ladder's place (0 the ladder, 1 the windows, 2 the cwnd
 * chart, 3 the time-sequence graph: the keys b and m); returns the mean
 * milliseconds per frame, or -1 when no terminal type is known. Not for use
 * while ui_begin() holds the terminal. */
double sv_bench(const struct ui_story *story, int cols, int rows, int frames, int present,
                int graph);

#endif
