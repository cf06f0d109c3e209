/* tutor/lesson.h: lesson files (doc/lesson-format.md): parse, validate, run.
 *
 * A lesson is a scenario (handed line by line to sim/'s scenario reader) or
 * a bundled capture, plus narration in two languages and checkpoints. The
 * parser takes a buffer (so a fuzzer can call it) and reports problems as
 * "FILE:LINE: message". lesson_run() runs the scenario in the engine (or
 * loads the capture) and computes every checkpoint's answer from the steps:
 * nothing a learner is told is typed by hand in the file. Nothing here
 * prints.
 */
#ifndef TT_LESSON_H
#define TT_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"

/* Languages of the content: index 0 English, 1 Simplified Chinese. */
enum { LESSON_EN = 0, LESSON_ZH = 1, LESSON_NLANG = 2 };

#define LESSON_CHECK_KINDS(_)                                  \
	_(STATE, "state") _(FLAGS, "flags") _(SEQ, "seq")      \
	_(ACK, "ack") _(LEN, "len")

enum lesson_check_kind {
#define LESSON_CHECK_ENUM(id, name) LESSON_CHECK_##id,
	LESSON_CHECK_KINDS(LESSON_CHECK_ENUM)
#undef LESSON_CHECK_ENUM
	LESSON_NCHECK_KINDS
};

#define LESSON_MAX_CHOICES 8

/* A checkpoint as the learner meets it (read-only view). */
struct lesson_check {
	unsigned line;                 /* the `check` line */
	enum lesson_check_kind kind;
	int host;                      /* state: the host asked about; else the segment's sender */
	size_t step;                   /* asked before this step is shown */
	size_t answer_step;            /* the step the answer is read from */
	const char *ask[LESSON_NLANG];
	const char *why[LESSON_NLANG];
	size_t nchoices;               /* 0: the learner types a number */
	const char *choices[LESSON_MAX_CHOICES];
	size_t answer_choice;          /* index of the answer in choices */
	char answer[32];               /* "SYN-RECEIVED", "SYN,ACK", "1" */
};

/* One action (or `frames` range) with what is attached to it. */
/* The panel a `view` line asks for while an action's steps are shown. */
enum lesson_view { LESSON_VIEW_KEEP, LESSON_VIEW_LADDER, LESSON_VIEW_WINDOWS, LESSON_VIEW_CWND,
                   LESSON_VIEW_SEQUENCE };

struct lesson_part {
	unsigned line;                 /* the action's line */
	size_t first, end;             /* the steps it produced: [first, end) */
	const char *say[LESSON_NLANG]; /* narration or NULL */
	int check;                     /* index of its checkpoint, or -1 */
	enum lesson_view view;         /* LESSON_VIEW_KEEP unless a `view` line came */
};

struct lesson;

/* Parses a lesson from a buffer; NULL with "FILE:LINE: message" in err. */
struct lesson *lesson_parse(const char *buf, size_t len, const char *fname, char *err,
                            size_t errlen);
/* Reads and parses a file; NULL with "FILE:LINE: message" or "FILE: ..." */
struct lesson *lesson_load(const char *path, char *err, size_t errlen);
void lesson_free(struct lesson *l);

const char *lesson_name(const struct lesson *l);
const char *lesson_file(const struct lesson *l);
int lesson_order(const struct lesson *l);
const char *lesson_title(const struct lesson *l, int lang);
const char *lesson_summary(const struct lesson *l, int lang);
/* The capture a capture lesson walks through (as written), else NULL. */
const char *lesson_capture(const struct lesson *l);

/* Runs the scenario in the engine, or loads the capture (a relative path is
 * taken from datadir), and computes every checkpoint's answer. 0, or -1
 * with "FILE:LINE: message" in err. */
int lesson_run(struct lesson *l, const char *datadir, char *err, size_t errlen);

/* After lesson_run(): the steps, in order. */
size_t lesson_nsteps(const struct lesson *l);
const struct tt_step *lesson_steps(const struct lesson *l);
/* "addr:port" of the client (0) or server (1) (of the first scene). */
const char *lesson_endpoint(const struct lesson *l, int host);
/* Scenario lessons may hold several scenes (`scene`: a fresh pair of hosts,
 * a new TCP stream in the table); capture lessons have one. */
size_t lesson_nscenes(const struct lesson *l);
const char *lesson_scene_endpoint(const struct lesson *l, unsigned scene, int host);
/* Host h's "addr:port" in stream k of the lesson (streams numbered through
 * the lesson), "" when there is none. */
const char *lesson_stream_endpoint(const struct lesson *l, unsigned stream, int host);
unsigned lesson_step_scene(const struct lesson *l, size_t i);
/* The scenario of one scene (what lesson_run() ran in a simulation of its
 * own; running it again gives the same steps), NULL for a capture lesson. */
const struct tt_scenario *lesson_scene_scenario(const struct lesson *l, unsigned scene);
/* Relative sequence and acknowledgment numbers of a segment step
 * (tt_trace_rel): each stream counts from its bases as the simulator picks
 * them (tt_trace_bases), the scene's own connection from the hosts'
 * configured ISSs, as its narration does. */
void lesson_relative(const struct lesson *l, const struct tt_step *st, uint32_t *seq,
                     uint32_t *ack);
/* After lesson_run: those bases, two per step (client's, server's), for
 * the step view (struct ui_story's base). */
const uint32_t *lesson_step_bases(const struct lesson *l);

size_t lesson_nparts(const struct lesson *l);
const struct lesson_part *lesson_part(const struct lesson *l, size_t i);
/* The part that produced step i, or NULL. */
const struct lesson_part *lesson_part_of_step(const struct lesson *l, size_t i);

size_t lesson_nchecks(const struct lesson *l);
const struct lesson_check *lesson_check(const struct lesson *l, size_t i);
/* The checkpoint asked before step i, or NULL. */
const struct lesson_check *lesson_check_before(const struct lesson *l, size_t i);
/* Whether a learner's answer is right: a choice's text, or a typed number
 * (blanks around it allowed). */
int lesson_check_correct(const struct lesson_check *c, const char *answer);

const char *lesson_check_kind_name(enum lesson_check_kind k);

#endif
