/* tutor/lesson.h: lesson files (doc/lesson-format.md): parse, validate, run.
 *
 * A lesson is a scenario (handed line by line to sim/'s scenario reader) or
 * a bundled capture, plus narration in two languages and checkpoints. The
 * parser takes a buffer (so a fuzzer can call it) and reports problems as
 * "FILE:LINE: message". tt_lesson_run() runs the scenario in the engine (or
 * loads the capture) and computes every checkpoint's answer from the steps:
 * nothing a learner is told is typed by hand in the file. Nothing here
 * prints.
 */
#ifndef TT_LESSON_H
#define TT_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "i18n.h"
#include "sim/sim.h"

#define TT_LESSON_CHECK_KINDS(_)                                  \
	_(STATE, "state") _(FLAGS, "flags") _(SEQ, "seq")      \
	_(ACK, "ack") _(LEN, "len")

enum tt_lesson_check_kind {
#define TT_LESSON_CHECK_ENUM(id, name) TT_LESSON_CHECK_##id,
	TT_LESSON_CHECK_KINDS(TT_LESSON_CHECK_ENUM)
#undef TT_LESSON_CHECK_ENUM
	TT_LESSON_NCHECK_KINDS
};

#define TT_LESSON_MAX_CHOICES 8

/* A checkpoint as the learner meets it (read-only view). */
struct tt_lesson_check {
	unsigned line;                 /* the `check` line */
	enum tt_lesson_check_kind kind;
	int host;                      /* state: the host asked about; else the segment's sender */
	size_t step;                   /* asked before this step is shown */
	size_t answer_step;            /* the step the answer is read from */
	const char *ask[TT_NLANG];
	const char *why[TT_NLANG];
	size_t nchoices;               /* 0: the learner types a number */
	const char *choices[TT_LESSON_MAX_CHOICES];
	size_t answer_choice;          /* index of the answer in choices */
	char answer[32];               /* "SYN-RECEIVED", "SYN,ACK", "1" */
};

/* One action (or `frames` range) with what is attached to it. */
/* The panel a `view` line asks for while an action's steps are shown. */
enum tt_lesson_view { TT_LESSON_VIEW_KEEP, TT_LESSON_VIEW_LADDER, TT_LESSON_VIEW_WINDOWS, TT_LESSON_VIEW_CWND,
                   TT_LESSON_VIEW_SEQUENCE };

struct tt_lesson_part {
	unsigned line;                 /* the action's line */
	size_t first, end;             /* the steps it produced: [first, end) */
	const char *say[TT_NLANG];     /* narration or NULL */
	int check;                     /* index of its checkpoint, or -1 */
	enum tt_lesson_view view;         /* TT_LESSON_VIEW_KEEP unless a `view` line came */
};

struct tt_lesson;

/* Parses a lesson from a buffer; NULL with "FILE:LINE: message" in err. */
struct tt_lesson *tt_lesson_parse(const char *buf, size_t len, const char *fname, char *err,
                            size_t errlen);
/* Reads and parses a file; NULL with "FILE:LINE: message" or "FILE: ..." */
struct tt_lesson *tt_lesson_load(const char *path, char *err, size_t errlen);
void tt_lesson_free(struct tt_lesson *l);

const char *tt_lesson_name(const struct tt_lesson *l);
int tt_lesson_order(const struct tt_lesson *l);
const char *tt_lesson_title(const struct tt_lesson *l, int lang);
const char *tt_lesson_summary(const struct tt_lesson *l, int lang);
/* The capture a capture lesson walks through (as written), else NULL. */
const char *tt_lesson_capture(const struct tt_lesson *l);

/* Runs the scenario in the engine, or loads the capture (a relative path is
 * taken from datadir), and computes every checkpoint's answer. 0, or -1
 * with "FILE:LINE: message" in err. */
int tt_lesson_run(struct tt_lesson *l, const char *datadir, char *err, size_t errlen);

/* After tt_lesson_run(): the steps, in order. */
size_t tt_lesson_nsteps(const struct tt_lesson *l);
const struct tt_step *tt_lesson_steps(const struct tt_lesson *l);
/* Scenario lessons may hold several scenes (`scene`: a fresh pair of hosts,
 * a new TCP stream in the table); capture lessons have one. */
size_t tt_lesson_nscenes(const struct tt_lesson *l);
const char *tt_lesson_scene_endpoint(const struct tt_lesson *l, unsigned scene, int host);
/* Host h's "addr:port" in stream k of the lesson (streams numbered through
 * the lesson), "" when there is none. */
const char *tt_lesson_stream_endpoint(const struct tt_lesson *l, unsigned stream, int host);
unsigned tt_lesson_step_scene(const struct tt_lesson *l, size_t i);
/* The scenario of one scene (what tt_lesson_run() ran in a simulation of its
 * own; running it again gives the same steps), NULL for a capture lesson. */
const struct tt_scenario *tt_lesson_scene_scenario(const struct tt_lesson *l, unsigned scene);
/* Relative sequence and acknowledgment numbers of a segment step
 * (tt_trace_rel): each stream counts from its bases as the simulator picks
 * them (tt_trace_bases), the scene's own connection from the hosts'
 * configured ISSs, as its narration does. */
void tt_lesson_relative(const struct tt_lesson *l, const struct tt_step *st, uint32_t *seq,
                     uint32_t *ack);
/* After tt_lesson_run: those bases, two per step (client's, server's), for
 * the step view (struct ui_story's base). */
const uint32_t *tt_lesson_step_bases(const struct tt_lesson *l);

size_t tt_lesson_nparts(const struct tt_lesson *l);
const struct tt_lesson_part *tt_lesson_part(const struct tt_lesson *l, size_t i);
/* The part that produced step i, or NULL. */
const struct tt_lesson_part *tt_lesson_part_of_step(const struct tt_lesson *l, size_t i);

size_t tt_lesson_nchecks(const struct tt_lesson *l);
const struct tt_lesson_check *tt_lesson_check(const struct tt_lesson *l, size_t i);
/* The checkpoint asked before step i, or NULL. */
const struct tt_lesson_check *tt_lesson_check_before(const struct tt_lesson *l, size_t i);
/* Whether a learner's answer is right: a choice's text, or a typed number
 * (blanks around it allowed). */
int tt_lesson_check_correct(const struct tt_lesson_check *c, const char *answer);

const char *tt_lesson_check_kind_name(enum tt_lesson_check_kind k);

#endif
