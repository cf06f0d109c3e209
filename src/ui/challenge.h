/* ui/challenge.h: the sandbox's challenge, cover every transition
 * (tutor/cover.h): what the runs covered, kept in the learner's folder,
 * the line that counts it, the checklist with a hint, and the diagram's
 * marks. For ui/sandbox.c only. */
#ifndef TT_UI_CHALLENGE_H
#define TT_UI_CHALLENGE_H

#include <stddef.h>

#include "tutor/cover.h"
#include "ui/ui.h"

struct ui_chal {
	const struct ui_challenge *ch;   /* NULL: the sandbox has no challenge */
	int on;                          /* the challenge is open */
	struct tt_cover_progress *prog;  /* loaded when first opened; NULL: not kept */
	tt_cover_set run;                /* what this sandbox's run covers now */
	tt_cover_set local;              /* covered when progress cannot be kept */
	size_t skip;                     /* steps before a reset do not count */
	char warn[512];                  /* why progress is not kept or saved */
};

/* o: opens or closes it; status gets what to say. */
void ui_chal_toggle(struct ui_chal *c, const struct tt_step *steps, size_t n, char *status,
                    size_t len);
/* After an action: counts what the steps cover, saves what is new. */
void ui_chal_update(struct ui_chal *c, const struct tt_step *steps, size_t n, char *status,
                    size_t len);
/* i: the checklist and a hint, in a pager. */
void ui_chal_hint(const struct ui_chal *c);
/* R: forgets the progress after asking; the nsteps steps so far no
 * longer count. */
void ui_chal_reset(struct ui_chal *c, size_t nsteps, char *status, size_t len);
/* "Challenge: 5 of 27 transitions (i: what remains)" */
void ui_chal_line(const struct ui_chal *c, char *buf, size_t len);
/* Transitions taken, ever (this run's and the kept progress). */
size_t ui_chal_count(const struct ui_chal *c);
/* Whether the challenge is open and has taken the drawn edge from -> to. */
int ui_chal_edge(const struct ui_chal *c, enum tt_state from, enum tt_state to);
void ui_chal_free(struct ui_chal *c);

#endif
