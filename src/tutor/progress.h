/* tutor/progress.h: what a learner has done in the lessons, kept between
 * runs in one small file (DIR/progress, DIR being $XDG_DATA_HOME/tcptutor)
 * that is replaced atomically through tutor/store.h. A damaged line is
 * skipped and the rest kept; a file with nothing of ours in it is moved
 * aside and the learner starts afresh; nothing here prints. */
#ifndef TT_PROGRESS_H
#define TT_PROGRESS_H

#include <stddef.h>

struct tt_lesson_progress;

/* What is remembered about one lesson. */
struct tt_lesson_progress_record {
	unsigned finished;     /* times the lesson was run to its summary */
	unsigned best;         /* best checkpoint score of a finished run */
	unsigned last;         /* score of the latest finished run */
	unsigned of;           /* checkpoints in the lesson at that time */
};

/* Loads DIR/progress (LF or CRLF lines). A missing file is a fresh start.
 * Damaged lines are skipped, the rest kept, and *warn says so ("PATH:LINE:
 * N damaged lines skipped; ..."); a file with nothing of ours in it is
 * moved aside (progress.corrupt-N) and *warn says that; a file that cannot
 * be read gives an empty start and the reason in *warn ("PATH is a
 * directory, not a file"). Returns NULL only when out of memory. */
struct tt_lesson_progress *tt_lesson_progress_load(const char *dir, char *warn, size_t warnlen);
void tt_lesson_progress_free(struct tt_lesson_progress *p);
/* Fills r for a lesson (zeros when never finished); 1 when known, else 0. */
int tt_lesson_progress_get(const struct tt_lesson_progress *p, const char *name,
                        struct tt_lesson_progress_record *r);
/* Records a finished run with its score. 0, or -1 when out of memory. */
int tt_lesson_progress_finish(struct tt_lesson_progress *p, const char *name, unsigned correct,
                           unsigned of);
/* Saves the runs finished since the last save: under the file's lock it
 * reads DIR/progress as it is now (another lesson may have saved), adds
 * those runs and replaces the file atomically; p then holds what the file
 * does. 0, or -1 with err (the runs stay to be saved next time). */
int tt_lesson_progress_save(struct tt_lesson_progress *p, char *err, size_t errlen);
/* Number of lessons finished at least once. */
size_t tt_lesson_progress_nfinished(const struct tt_lesson_progress *p);

#endif
