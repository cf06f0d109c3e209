/* ui/ui.h: the terminal interface. The only part that includes curses, and
 * it does so in its .c files only: this header is plain C so that the
 * subcommands can hand their material to the screens.
 *
 * Every screen that steps through a connection (lesson, sandbox, replay)
 * is the same step view over a struct ui_story: an array of steps (struct
 * tt_step from trace/: the simulator's or a capture's) plus optional
 * narration, checkpoints and detail text supplied through callbacks. */
#ifndef TT_UI_H
#define TT_UI_H

#include <stddef.h>

#include <stdint.h>

#include "trace/session.h"
#include "trace/trace.h"

/* A "predict what happens next" question asked before a step is shown. */
struct ui_checkpoint {
	const char *question;          /* in the chosen language */
	const char *const *choices;    /* NULL/0: the learner types the answer */
	size_t nchoices;
	const char *answer;            /* the right choice's text, or the number */
	const char *why;               /* shown after the answer, right or wrong */
};

enum ui_view { UI_VIEW_KEEP, UI_VIEW_LADDER, UI_VIEW_WINDOWS, UI_VIEW_CWND, UI_VIEW_SEQUENCE };

struct ui_story {
	const char *title;             /* shown in the top bar */
	const char *endpoint[2];       /* client and server "addr:port" */
	size_t nsteps;
	const struct tt_step *steps;   /* nsteps steps */
	int replay;                    /* steps come from a capture (frames, relative numbers) */
	const uint32_t *base;          /* 2 per step: each side's relative base as the batch
	                                  table has it (a lesson's); NULL: tt_trace_bases() */
	size_t start;                  /* step to open at */
	void *ctx;                     /* passed to the callbacks below */
	/* Narration for step i in the chosen language, or NULL. */
	const char *(*narration)(void *ctx, size_t i);
	/* A checkpoint asked before step i is shown, or NULL. */
	const struct ui_checkpoint *(*checkpoint)(void *ctx, size_t i);
	/* The learner answered the checkpoint of step i. */
	void (*answered)(void *ctx, size_t i, int correct);
	/* Full header and options of step i for the detail view, or NULL to let
	 * the UI describe the segment itself. */
	const char *(*detail)(void *ctx, size_t i);
	/* Closing summary shown after the last step, or NULL. */
	const char *(*summary)(void *ctx);
	/* The panel the author chose for step i (a lesson's `view` line):
	 * UI_VIEW_KEEP to leave the learner's choice, else the view to show
	 * when the step is reached from a step with another choice. NULL: none. */
	int (*view)(void *ctx, size_t i);
	/* live: the TCB panel's last row is the kernel's own figures of host h
	 * at step i instead of the timers, as short pieces ("cwnd 10"): returns
	 * how many (0: none known yet). NULL: the timers. */
	size_t (*tcb_kernel)(void *ctx, size_t i, int h, char (*piece)[32], size_t max);
	/* Host h's "addr:port" in step i's own connection when the story holds
	 * several (live), or NULL; NULL callback: endpoint[h]. */
	const char *(*endpoint_of)(void *ctx, size_t i, int h);
};

struct ui_opts {
	int zh;                        /* Chinese text */
	int present;                   /* presenter mode */
	int absolute;                  /* raw sequence numbers, not relative */
	int autoplay;                  /* start auto-playing (presenter: auto-advance) */
	int autoplay_ms;               /* its pace in milliseconds; 0 the default */
};

/* Runs the step view until the user quits; returns an exit status. */
int ui_stepview(const struct ui_story *story, const struct ui_opts *opts);

/* The step view over a story that grows while it is shown (tcptutor
 * live): poll(ctx) is called every poll_ms milliseconds and returns 1 when
 * it appended steps (it may move story->steps and change story->nsteps).
 * The view follows the newest step until the user steps back (p, Left,
 * Home, g, /, Up) and stays there; End follows again. status(ctx) fills a
 * line shown above the explanation (may be NULL); empty is what to say
 * before the first step. Returns an exit status. */
struct ui_live {
	void *ctx;
	int (*poll)(void *ctx);
	int poll_ms;
	void (*status)(void *ctx, char *buf, size_t len);
	const char *empty;
};
int ui_live(const struct ui_story *story, const struct ui_opts *opts, const struct ui_live *live);

/* Sets up the terminal (nested calls only count) / restores it when the
 * outermost caller is done. ui_begin returns 0, or -1 with a message in err
 * when there is no usable terminal (TERM unset, not a tty, unknown TERM).
 * ui_stepview, ui_pick_ex and ui_sandbox call them themselves; a caller that
 * opens several screens in a row (the menu) brackets them to avoid flicker. */
int ui_begin(char *err, size_t errlen);
void ui_end(void);
/* Another process (a child of ours) drew on the terminal between
 * ui_begin and ui_end: the next screen repaints everything in our terminal
 * modes. clean: it left the terminal in the screen mode it found; else
 * (it restored the terminal for the shell, or was killed) the screen is
 * entered again. */
void ui_retake(int clean);
/* The caller changed LC_CTYPE (a language switch): text drawing follows. */
void ui_locale_changed(void);

/* A list to choose from (arrows, Enter; '/' filters, q/Esc cancels); returns
 * the chosen index or -1. Items may hold several columns separated by
 * spaces; they are shown as given. Each item has one number, typed to
 * choose it: its position from 1, shown in front of it; when every item
 * starts with a different number of its own (a stream index, "0  ..."),
 * that number instead, and the list adds none. Callers do not number.
 * help: a line under the title (or NULL); start: the item the cursor starts on. */
int ui_pick_ex(const char *title, const char *help, const char *const *items, size_t n,
               size_t start, const struct ui_opts *o);

/* Asks for one line of text (a file name, a number); returns 0 with the
 * answer in buf (which also holds the initial text), or -1 when cancelled. */
int ui_input(const char *title, const char *prompt, char *buf, size_t len,
             const struct ui_opts *o);

/* Shows a message until a key is pressed; -1 when there is no terminal to
 * show it on (ui_error() says why, and the caller says the message). */
int ui_message(const char *title, const char *text, const struct ui_opts *o);

/* Why the last screen that failed could not be shown ("" when none did):
 * the entry points above return their failure and print nothing. */
const char *ui_error(void);
/* Who says what a screen that cannot go on (out of memory) has to say,
 * just before the process exits 1; the ui library prints nothing. */
void ui_on_fatal(void (*say)(const char *msg));

/* The sandbox's challenge (cover every transition, tutor/cover.h): its
 * progress lives in the learner's folder, which statedir finds (and
 * creates) only when the challenge is opened: 0 with the folder in buf,
 * or -1 with the reason in err. */
struct ui_challenge {
	int (*statedir)(char *buf, size_t len, char *err, size_t errlen);
};

/* The sandbox: both hosts of a session (trace/session.h; tcptutor sandbox
 * gives it a simulation, tt_sim_session()) under the user's keys, in the
 * step view; it resets the session first. ch NULL: no challenge. Returns
 * an exit status. */
int ui_sandbox(const struct tt_session *ses, const struct ui_opts *opts,
               const struct ui_challenge *ch);

#endif
