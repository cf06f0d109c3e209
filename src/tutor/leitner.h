/* tutor/leitner.h: the quiz's Leitner boxes and the learner's quiz progress
 * file (DIR/quiz-progress), replaced atomically through tutor/store.h after
 * every answer. Every answer moves a box in memory and is kept until saved;
 * a save under the file's lock merges what another sitting saved meanwhile.
 * Nothing here prints.
 *
 * Boxes 1..5. A new question is in box 1; a right answer moves it up one
 * box, a wrong one back to box 1. A question in box k is due again when
 * 2^(k-1) sessions have passed since it was last asked (box 1: every
 * session, box 5: every 16th). */
#ifndef TT_LEITNER_H
#define TT_LEITNER_H

#include <stddef.h>

#define TT_LEITNER_BOXES 5

struct tt_leitner;

struct tt_leitner_record {
	unsigned box;            /* 1..TT_LEITNER_BOXES */
	unsigned last_session;   /* 0: never asked */
	unsigned asked, right;
};

struct tt_leitner *tt_leitner_new(void);
void tt_leitner_free(struct tt_leitner *p);
/* Parses a progress file's text (LF or CRLF lines). Every good record is
 * kept; a damaged line is skipped. Returns 0 when all was good, the number
 * of damaged lines (err: "line N: what is wrong", with how many more), or
 * -1 with err when the text is not a progress file at all (nothing in it
 * is progress, or it is another version of the format). */
int tt_leitner_parse(struct tt_leitner *p, const char *buf, size_t len, char *err,
                      size_t errlen);
/* Loads path. A missing file gives empty progress. Damaged lines are
 * skipped and the rest kept: warn gets "PATH: line N: what is wrong" and
 * moved_to is "" (the next save writes a clean file). A file that is not
 * progress at all is moved aside (tt_store_quarantine) and empty progress
 * started: warn gets "PATH: what is wrong" and moved_to the new name. Else
 * both are "". Returns NULL only when the file cannot be read or moved
 * (err, e.g. "PATH is a directory, not a file"). */
struct tt_leitner *tt_leitner_load(const char *path, char *warn, size_t warnlen,
                                     char *moved_to, size_t movedlen, char *err, size_t errlen);
/* Saves the answers recorded since the last save: under the file's lock it
 * reads what the file holds now (another sitting may have saved since),
 * replays those answers onto it, writes the result atomically and makes it
 * p's content. 0, or -1 with err (the answers stay to be saved next time). */
int tt_leitner_save(struct tt_leitner *p, const char *path, char *err, size_t errlen);
/* p as the text of a progress file (malloc'ed; *len its length). */
char *tt_leitner_format(const struct tt_leitner *p, size_t *len);
unsigned tt_leitner_session(const struct tt_leitner *p);
void tt_leitner_begin_session(struct tt_leitner *p);
/* Record of a question id (all zero / box 1 if never asked). */
struct tt_leitner_record tt_leitner_get(const struct tt_leitner *p, const char *id);
/* Moves the question's box after an answer in the current session. */
int tt_leitner_answer(struct tt_leitner *p, const char *id, int right);
size_t tt_leitner_count(const struct tt_leitner *p);
/* Whether a question in this record is due in session `session`. */
int tt_leitner_due(const struct tt_leitner_record *r, unsigned session);

#endif
