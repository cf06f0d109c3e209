/* ui/svmodel.h: the step view's model: where the cursor is, which panels
 * are on and where, the open checkpoint, search, auto-play and the live
 * follow mode, and what each action does to them. Plain C, no curses: the
 * screen (ui/stepview.c) measures the terminal and the text, hands the
 * sizes to sv_layout(), maps keys to actions (ui/svkeys.c) and draws from
 * the model without changing it; tests/check_stepview.c drives it without
 * a terminal. Not for use outside ui/ and its test. */
#ifndef TT_UI_SVMODEL_H
#define TT_UI_SVMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"
#include "ui/ui.h"

struct ui_keyhint;

/* What a screen that extends the step view adds (the sandbox: host actions
 * and faults, a story that grows as the user acts; live: a story that
 * grows by itself). */
struct sv_ext {
	void *ctx;
	/* A key the step view does not know. Returns -1 when it is not the
	 * extension's either, else what happens next (enum ui_next). It may
	 * change the story (steps, nsteps) and set *cur to the step to show. */
	int (*key)(void *ctx, int key, size_t *cur);
	/* Called when the user steps forward past the last step: returns 1
	 * when new steps were appended (the view then moves on), 0 if not. */
	int (*more)(void *ctx);
	/* Extra key hints (a second bar) and a status line; both optional.
	 * The status is of the whole run (the command ended, packets were
	 * dropped): it heads the newest step's explanation, not every step's. */
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

enum sv_panel { SV_TABLE, SV_LADDER, SV_STATES, SV_TCB, SV_EXPL, SV_GRAPH, SV_NPANELS };

/* What the graph panel shows in the ladder's place (b and m): nothing, the
 * windows over the bytes, or one of the two charts. */
enum sv_graph { SV_G_NONE, SV_G_WINDOWS, SV_G_CWND, SV_G_TSEQ };

/* The smallest terminal the step view draws in. */
enum { SV_MIN_W = 64, SV_MIN_H = 16 };

/* The segment table's columns; `conn` only when the story has several
 * connections (a lesson's scenes, a scenario's streams). */
enum sv_col {
	SV_C_CONN, SV_C_FRAME, SV_C_TIME, SV_C_DIR, SV_C_FLAGS, SV_C_SEQ, SV_C_ACK, SV_C_LEN,
	SV_C_WIN, SV_C_CST, SV_C_SST, SV_C_NOTES, SV_NCOLS
};

/* What a key asks for (ui/svkeys.c maps keys to these). */
enum sv_action {
	SV_A_NONE, SV_A_NEXT, SV_A_PREV, SV_A_FIRST, SV_A_LAST, SV_A_GOTO, SV_A_DETAIL,
	SV_A_AUTO, SV_A_FASTER, SV_A_SLOWER, SV_A_FOCUS, SV_A_VIEW, SV_A_WINDOWS, SV_A_CHART,
	SV_A_UP, SV_A_DOWN, SV_A_PAGE_UP, SV_A_PAGE_DOWN, SV_A_SEARCH, SV_A_HELP, SV_A_QUIT,
	SV_A_REPAINT,
	SV_A_ANSWER,                /* a checkpoint's choice (arg: 0 for the first) */
	SV_A_REVEAL                 /* a checkpoint's answer */
};

/* What happens next: the first five are enum ui_next's (term.h), the rest
 * ask the screen for a dialog, after which it calls the model again. */
enum sv_result {
	SV_STAY, SV_REDRAW, SV_BACK, SV_DONE, SV_QUIT,
	SV_ASK_GOTO,                /* a frame or step number: sv_goto() */
	SV_ASK_SEARCH,              /* what to find (sv.search proposed): sv_search() */
	SV_ASK_ANSWER,              /* the typed answer to the checkpoint: sv_answer() */
	SV_SHOW_DETAIL,             /* the segment sv_detail_step() in a pager */
	SV_SHOW_HELP,               /* the help in a pager */
	SV_CLEAR                    /* repaint the whole terminal */
};

struct sv_rect {
	int y, x, h, w, on;
};

/* What the screen measured before the layout. */
struct sv_room {
	int cols, lines;            /* the terminal */
	int bars;                   /* rows of key bars */
	int expl_need;              /* rows the explanation needs at cols - 2 */
	int big_rows;               /* presenter: rows of big letters (0: none) */
	int states_w, states_h;     /* the state diagram's size */
	int tcb_rows;               /* the TCB panel's rows, one variable each */
};

struct sv {
	const struct ui_story *st;
	const struct ui_opts *o;
	const struct sv_ext *ext;
	long long (*now)(void);     /* milliseconds on a monotonic clock */
	size_t cur;                 /* current step (when there is one) */
	int focus;                  /* enum sv_panel */
	int focus_back;             /* the panel focused before the layout hid it
	                             * (an open checkpoint), -1: none */
	int swap;                   /* compact/presenter: the panel in the middle slot */
	int graph;                  /* enum sv_graph: shown in the ladder's place */
	int table_top;              /* first table row shown */
	/* set by sv_fit_table(): the table's rows, the current one (-1: none)
	 * and the step of the row table_top */
	size_t table_n, table_top_step;
	long table_cur;
	int expl_skip, expl_lines, expl_h;
	int ladder_back;            /* ladder rows scrolled up from the current step */
	int auto_on, interval;      /* auto-play and its step interval (ms) */
	long long due;
	unsigned char *asked;       /* checkpoint answered, per step */
	size_t nasked;
	long ask;                   /* step whose checkpoint is open, or -1 */
	int ask_state;              /* 0 open, 1 right, 2 wrong, 3 revealed */
	char msg[256];              /* one-off status message */
	char search[128];
	int at_end;                 /* stepped past the last step */
	int follow;                 /* live: the view stays on the newest step */
	long long poll_due;
	unsigned grown;             /* counts the times the story grew by itself */
	struct sv_rect r[SV_NPANELS];
	struct sv_rect big;         /* presenter: both states in big letters */
	uint32_t *base;             /* per step, 2 values: each side's ISN for relative numbers */
	size_t nbase;
	int conn_known, conn_on;    /* the story has more than one stream */
};

/* Sets the model up over a story (ext may be NULL) at its start step,
 * opening a checkpoint asked before the first step; sv_fini() frees it. */
void sv_init(struct sv *v, const struct ui_story *st, const struct ui_opts *o,
             const struct sv_ext *ext, long long (*now)(void));
void sv_fini(struct sv *v);

/* Before a frame: brings what is derived from the steps up to date (the
 * relative numbers' bases, the streams) after the story grew; returns -1
 * when memory ran out (the numbers then count from the TCBs' ISS). */
int sv_sync(struct sv *v);

/* Decides where each panel goes; returns -1 when the terminal is too
 * small. Then sv_fit_table() scrolls the table to the current row. */
int sv_layout(struct sv *v, const struct sv_room *room);
void sv_fit_table(struct sv *v);

/* A key: the raw key goes to an open checkpoint and the extension first,
 * the action (from ui/svkeys.c) to the step view. */
enum sv_result sv_key_do(struct sv *v, int key, enum sv_action a, int arg);
/* The same without a raw key for the extension. */
enum sv_result sv_act(struct sv *v, enum sv_action a, int arg);
/* After the dialogs: go to a frame or step, find the next match, answer
 * the open checkpoint (k: choice, -1 typed). */
enum sv_result sv_goto(struct sv *v, const char *text);
enum sv_result sv_search(struct sv *v, const char *text);
enum sv_result sv_answer(struct sv *v, int k, const char *typed);
/* The segment Enter shows (the one at or before the cursor), or -1. */
long sv_detail_step(const struct sv *v);

/* Auto-play and live polling: milliseconds until sv_tick() is due, or -1. */
int sv_timer(const struct sv *v);
enum sv_result sv_tick(struct sv *v);

/* What is on screen. */
size_t sv_nsteps(const struct sv *v);
const struct tt_step *sv_step(const struct sv *v, size_t i);
size_t sv_shown(const struct sv *v);           /* steps shown */
int sv_shows_future(const struct sv *v);       /* replay: later rows dimmed */
int sv_paused(const struct sv *v);             /* auto-play waits for an answer */
long sv_segment_at_or_before(const struct sv *v, size_t i);
/* Table rows (segment steps shown), and the row of the current segment
 * (-1: none). */
size_t sv_table_nrows(const struct sv *v);
long sv_table_cur_row(const struct sv *v);
/* The table's text of column c for step s. */
void sv_cell(const struct sv *v, const struct tt_step *s, enum sv_col c, char *buf, size_t len);
/* Sequence and acknowledgment numbers as shown: relative to each side's
 * initial sequence number unless the options ask for absolute ones. */
/* Each side's bases, 2 per step, or NULL: the TCBs' ISSs. */
const uint32_t *sv_bases(const struct sv *v);
void sv_seg_numbers(const struct sv *v, const struct tt_step *s, uint32_t *seq, uint32_t *ack);
/* Seconds of a tt_time, and the time the TCB view of a step belongs to. */
double sv_secs(tt_time t);
tt_time sv_step_now(const struct tt_step *s);
/* The open checkpoint, or NULL. */
const struct ui_checkpoint *sv_checkpoint(const struct sv *v);

#endif
