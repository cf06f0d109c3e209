/* tutor/progress.h: what a learner has done in the lessons, kept between
 * runs in one small file (DIR/progress, DIR being $XDG_DATA_HOME/tcptutor)
 * that is replaced atomically through tutor/store.h. A corrupt file is moved
 * aside and the learner starts afresh; nothing here prints. */
#ifndef TT_PROGRESS_H
#define TT_PROGRESS_H

#include <stddef.h>

struct lesson_progress;

/* What is remembered about one lesson. */
struct lesson_record {
	unsigned finished;     /* times the lesson was run to its summary */
	unsigned best;         /* best checkpoint score of a finished run */
	unsigned last;         /* score of the latest finished run */
	unsigned of;           /* checkpoints in the lesson at that time */
};

/* Loads DIR/progress. A missing file is a fresh start. A corrupt one is
 * moved aside (progress.corrupt-N) and *warn filled with what happened.
 * Returns NULL only when out of memory. */
struct lesson_progress *lesson_progress_load(const char *dir, char *warn, size_t warnlen);
void lesson_progress_free(struct lesson_progress *p);
/* Fills r for a lesson (zeros when never finished); 1 when known, else 0. */
int lesson_progress_get(const struct lesson_progress *p, const char *name,
                        struct lesson_record *r);
/* Records a finished run with its score. 0, or -1 when out of memory. */
int lesson_progress_finish(struct lesson_progress *p, const char *name, unsigned correct,
                           unsigned of);
/* Writes DIR/progress atomically. 0, or -1 with err. */
int lesson_progress_save(const struct lesson_progress *p, char *err, size_t errlen);
/* Number of lessons finished at least once. */
size_t lesson_progress_nfinished(const struct lesson_progress *p);

#endif
