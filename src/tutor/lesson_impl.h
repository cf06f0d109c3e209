/* tutor/lesson_impl.h: a lesson's insides, shared by lesson_parse.c (which
 * fills them from the file) and lesson.c (which runs the lesson, answers its
 * checkpoints and hands it out). Private to tutor/. */
#ifndef TT_LESSON_IMPL_H
#define TT_LESSON_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "tutor/lesson.h"

struct check {
	struct tt_lesson_check pub;
	unsigned nauthor;             /* choices given by the author */
	char *author[TT_LESSON_MAX_CHOICES];
	unsigned choices_line;
	char *ask[TT_NLANG], *why[TT_NLANG];
	unsigned ask_line, why_line;
	size_t part;
};

struct part {
	struct tt_lesson_part pub;
	unsigned scene;               /* scenario lessons: which scene */
	int carry;                    /* a fault line: its steps belong to the next action */
	char *say[TT_NLANG];
	uint64_t flo, fhi;            /* capture lessons: the frame range */
};

struct tt_lesson {
	char *fname;
	char *name;
	int order;
	char *title[TT_NLANG];
	char *summary[TT_NLANG];
	unsigned title_line, summary_line;
	struct tt_scenario **scs;     /* one per scene; the last one is being read */
	size_t nscs, capscs;
	char *capture;
	unsigned capture_line;
	unsigned stream;

	struct part *parts;
	size_t nparts, capparts;
	struct check *checks;
	size_t nchecks, capchecks;

	/* after tt_lesson_run */
	int ran;
	struct tt_step *steps;
	size_t nsteps;
	char (*endpoint)[2][64];      /* per scene */
	uint32_t (*iss)[2];           /* per scene */
	/* per stream (numbered through the lesson): each host's address and
	 * the base of its relative numbers, as the simulator gives them
	 * (tt_sim_stream_endpoint, tt_sim_seq_bases) */
	char (*sendpoint)[2][64];
	uint32_t (*sbase)[2];
	size_t nstreams;
	uint32_t *step_base;          /* 2 per step: its stream's bases (step_bases) */
	unsigned *step_scene;         /* nsteps entries */
	int capture_steps;            /* steps carry their own ISS views */
	const struct part **step_part; /* nsteps entries */
	const struct check **step_check;
};

/* Fills err with "FNAME:LINE: message" ("FNAME: message" for line 0);
 * returns -1. */
int tt_lesson_fail(char *err, size_t errlen, const char *fname, unsigned line, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

static inline int
tt_lesson_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

#endif
