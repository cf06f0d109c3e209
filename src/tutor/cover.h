/* tutor/cover.h: the "cover every transition" challenge. One list of the
 * state transitions the engine can take under RFC 9293's rules: every edge
 * of RFC 9293 Figure 5 and the RST, ABORT and timeout edges beside it, each
 * with an id, a short label and a hint (English, marked N_() for gettext).
 * Which of them a run took is computed from its steps; the set ever taken
 * is kept in DIR/cover-progress like lesson progress (tutor/store.h).
 * Nothing here prints. */
#ifndef TT_COVER_H
#define TT_COVER_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

/* What made a state change, as far as the list tells transitions apart. */
enum tt_cover_cause {
	TT_COVER_CAUSE_CALL,          /* a user call: OPEN, CLOSE (shutdown or close) */
	TT_COVER_CAUSE_SEGMENT,       /* a segment arrived (not a RST) */
	TT_COVER_CAUSE_RST,           /* a RST arrived */
	TT_COVER_CAUSE_ABORT,         /* the host reset it: ABORT, close() with data unread */
	TT_COVER_CAUSE_TIMEOUT,       /* a timer: 2MSL, or giving up */
	TT_COVER_CAUSE_OUTSIDE,       /* not counted: a crash, a what-if or non-RFC 9293 setting */
	TT_COVER_CAUSE_NONE           /* the reason never changes a state */
};

enum tt_cover_cause tt_cover_cause_of(enum tt_reason r);
const char *tt_cover_cause_name(enum tt_cover_cause c);     /* "call", "segment", ... */

struct tt_cover_item {
	const char *id;         /* stable: "listen-rcv-syn" */
	unsigned from;          /* one bit per state it leaves (1u << state) */
	const char *from_name;  /* a group's name ("synchronized"), NULL: one state */
	enum tt_state to;
	unsigned causes;        /* one bit per enum tt_cover_cause */
	int drawn;              /* an edge of the step view's state diagram */
	const char *label;      /* N_(): "rcv SYN, send SYN,ACK" */
	const char *how;        /* N_(): a suggestion of the keys that take it */
};

/* The list, in a stable order (Figure 5 first). */
size_t tt_cover_nitems(void);
const struct tt_cover_item *tt_cover_item(size_t i);
/* The from column: the state's name or the group's. */
const char *tt_cover_item_from(const struct tt_cover_item *t);

/* The transition an event takes: its index in the list; -1 when the state
 * did not change, -2 when it changed in a way the challenge does not count
 * (TT_COVER_CAUSE_OUTSIDE), -3 when the list has no such transition (a bug). */
int tt_cover_item_of(const struct tt_event *ev);

/* Sets of transitions: bit i is tt_cover_item(i). */
typedef uint64_t tt_cover_set;

/* What a run covered, both hosts together: the union over the steps'
 * events. host[i] (if not NULL, tt_cover_nitems() long) gets bit 0 when the
 * client took transition i, bit 1 the server; *outside (if not NULL) the
 * number of state changes not counted. Pure. */
tt_cover_set tt_cover_steps(const struct tt_step *steps, size_t n, unsigned *host,
                            unsigned *outside);
size_t tt_cover_count(tt_cover_set s);
tt_cover_set tt_cover_all(void);
/* Whether s holds the drawn transition from -> to (the diagram's edge). */
int tt_cover_edge(tt_cover_set s, enum tt_state from, enum tt_state to);
/* The first transition not in s (the one the hint suggests), or -1. */
int tt_cover_next(tt_cover_set s);

/* ---- the learner's file: DIR/cover-progress ----
 *     tcptutor-cover 1
 *     taken ID
 * As tutor/progress.h: damaged lines skipped and said once, a file with
 * nothing of ours moved aside, a save under the file's lock merges what
 * another sitting saved meanwhile. */
struct tt_cover_progress;

/* Never NULL but when out of memory; *warn says what went wrong. */
struct tt_cover_progress *tt_cover_progress_load(const char *dir, char *warn, size_t warnlen);
void tt_cover_progress_free(struct tt_cover_progress *p);
tt_cover_set tt_cover_progress_get(const struct tt_cover_progress *p);
/* Adds transitions; returns the ones that were new. */
tt_cover_set tt_cover_progress_add(struct tt_cover_progress *p, tt_cover_set s);
/* Forgets every transition (the next save writes an empty file). */
void tt_cover_progress_reset(struct tt_cover_progress *p);
/* 0, or -1 with err (what was added stays to be saved next time). */
int tt_cover_progress_save(struct tt_cover_progress *p, char *err, size_t errlen);

#endif
