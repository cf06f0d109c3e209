/* tutor/quiz.h: the interview quiz. A question bank parsed from the quiz/ folder
 * (doc/quiz-format.md; quiz_parse.c), the bank and answer checking (quiz.c),
 * a sitting that asks what the Leitner boxes say is due and saves after every
 * answer (quiz_session.c; the boxes and their file are tutor/leitner.h).
 * Generated practice questions (practice.c) are built from a seeded
 * scenario that the simulator runs, so their answers come from the engine.
 *
 * Library code: nothing here prints. Failing calls return -1 (or NULL) and
 * fill an error buffer; parse errors read "FILE:LINE: message". */
#ifndef TT_QUIZ_H
#define TT_QUIZ_H

#include <stddef.h>
#include <stdint.h>

#include "i18n.h"
#include "tutor/leitner.h"

/* Question kinds: identifier, file keyword, English name (marked with N_
 * for xgettext). */
#define TT_QUIZ_KINDS(_)                                              \
	_(SINGLE, "single", N_("single choice"))                      \
	_(MULTIPLE, "multiple", N_("multiple choice"))                \
	_(NUMBER, "number", N_("number"))                             \
	_(ORDER, "order", N_("ordering"))                             \
	_(STATE, "state", N_("state prediction"))                     \
	_(OPEN, "open", N_("open question"))

enum tt_quiz_kind {
#define TT_QUIZ_KIND_ENUM(id, word, name) TT_QUIZ_##id,
	TT_QUIZ_KINDS(TT_QUIZ_KIND_ENUM)
#undef TT_QUIZ_KIND_ENUM
	TT_QUIZ_NKINDS
};

const char *tt_quiz_kind_word(enum tt_quiz_kind k);  /* "single" */
const char *tt_quiz_kind_name(enum tt_quiz_kind k);  /* "single choice"; translate with _() */

#define TT_QUIZ_MAXCHOICES 8
#define TT_QUIZ_MAXITEMS 12  /* key points, wrong answers */

/* One text in both languages; each may hold several lines joined by '\n'. */
struct tt_quiz_text {
	char *s[TT_NLANG];
};

/* A common wrong answer and why it is wrong. `match` is the answer it
 * explains in normal form ("b", "4001", "TIME-WAIT", "3 1 2 4"), or empty
 * for a general misconception shown with every explanation. */
struct tt_quiz_wrong {
	char match[32];
	struct tt_quiz_text text;
};

/* Parameters of a generated practice question, so tests can redo the
 * arithmetic independently of the engine. */
struct tt_quiz_gen {
	int template_;           /* index into the practice templates */
	uint32_t iss[2];         /* client, server ISS */
	uint32_t n[2];           /* byte counts used by the template */
	int host;                /* the host asked about */
	unsigned stop;           /* state questions: segments delivered */
	uint32_t p[6];           /* the window, congestion and RTO templates' own
	                            numbers (practice.c says which is which) */
};

struct tt_quiz_question {
	char id[48];
	char topic[32];
	enum tt_quiz_kind kind;
	struct tt_quiz_text title, prompt, explain;
	size_t nchoices;         /* choices, or the items to put in order */
	struct tt_quiz_text choice[TT_QUIZ_MAXCHOICES];
	unsigned answer_mask;    /* single/multiple: bit i = choice i is right */
	uint32_t answer_num;     /* number */
	int order[TT_QUIZ_MAXCHOICES]; /* order: 0-based item index at each position */
	int state;               /* state: enum tt_state */
	size_t nkeys;            /* open: key points of the model answer */
	struct tt_quiz_text key[TT_QUIZ_MAXITEMS];
	size_t nwrong;
	struct tt_quiz_wrong wrong[TT_QUIZ_MAXITEMS];
	char show_lesson[32];    /* "show me": lesson name from lessons/ ... */
	unsigned show_step;      /* ... and its 1-based step */
	/* Generated practice only (NULL/0 for bank questions): the scenario
	 * the simulator ran, and the 1-based step that shows the answer. */
	char *scenario;
	unsigned scenario_step;
	struct tt_quiz_gen gen;
	char *file;              /* where it was defined (bank questions) */
	unsigned line;
};

/* ---- the bank ---- */
struct tt_quiz;

struct tt_quiz *tt_quiz_new(void);
void tt_quiz_free(struct tt_quiz *qz);
/* Adds the questions of one file held in buf (need not be NUL-terminated).
 * On error returns -1 with "FNAME:LINE: message"; the bank keeps what it
 * had before this call. Ids must be unique across the bank. */
int tt_quiz_parse(struct tt_quiz *qz, const char *buf, size_t len, const char *fname,
                  char *err, size_t errlen);
/* Adds every file DIR/NAME.quiz, in name order. */
int tt_quiz_load_dir(struct tt_quiz *qz, const char *dir, char *err, size_t errlen);
size_t tt_quiz_count(const struct tt_quiz *qz);
const struct tt_quiz_question *tt_quiz_get(const struct tt_quiz *qz, size_t i);
const struct tt_quiz_question *tt_quiz_find(const struct tt_quiz *qz, const char *id);
/* The topics in order of first appearance, and their display names. */
size_t tt_quiz_ntopics(const struct tt_quiz *qz);
const char *tt_quiz_topic(const struct tt_quiz *qz, size_t i);
/* Display name of a topic in a language (the topic id if none was given). */
const char *tt_quiz_topic_name(const struct tt_quiz *qz, const char *topic, int lang);

/* Text of a question in a language (falls back to English). */
const char *tt_quiz_text_get(const struct tt_quiz_text *t, int lang);

/* ---- answers ----
 * Learner input, one line (see doc/quiz-format.md): a choice letter or
 * number, letters for multiple choice, a number, item numbers in order, a
 * state name. Returns 1 right, 0 wrong, -1 unreadable (err gets a fixed
 * English message marked with N_: print it through _(); the answer counts
 * as wrong). norm receives the answer in normal form, used to
 * find the matching wrong-answer explanation. Open questions are graded by
 * the learner: pass "y" or "n". */
int tt_quiz_check(const struct tt_quiz_question *q, const char *answer, char *norm, size_t normlen,
                  char *err, size_t errlen);
/* The right answer in normal form ("b", "a c", "4001", "3 1 2 4", "TIME-WAIT";
 * open questions: empty). */
char *tt_quiz_answer_text(const struct tt_quiz_question *q, char *buf, size_t len);
/* The explanations that fit a wrong answer given in normal form: the one
 * written for exactly that answer, and for multiple choice also those of
 * each letter wrongly chosen or wrongly left out. General misconceptions
 * (empty match) are not included. Returns how many were stored in out. */
size_t tt_quiz_wrong_for(const struct tt_quiz_question *q, const char *norm,
                         const struct tt_quiz_wrong **out, size_t max);

/* Frees a generated question (tt_practice_new): its strings and itself. */
void tt_quiz_question_free(struct tt_quiz_question *q);

/* ---- a quiz session ----
 * Picks the questions of one sitting: the bank questions of the topic (or
 * all; "practice" means generated questions only) that the Leitner boxes
 * say are due, lowest box first, ties in an order fixed by the seed; then
 * `npractice` generated questions. Saves progress after every answer. */
struct tt_quiz_session;

struct tt_quiz_session *tt_quiz_session_new(const struct tt_quiz *qz, struct tt_leitner *p,
                                            const char *progress_path, const char *topic,
                                            unsigned long seed, unsigned npractice,
                                            char *err, size_t errlen);
void tt_quiz_session_free(struct tt_quiz_session *s);
/* The next question, or NULL when the sitting is over. Generated questions
 * stay valid until the session is freed. err is set when making a generated
 * question failed (the session then ends). */
const struct tt_quiz_question *tt_quiz_session_next(struct tt_quiz_session *s, char *err,
                                               size_t errlen);
/* Number of questions planned (generated practice on "practice": 0 = endless). */
size_t tt_quiz_session_planned(const struct tt_quiz_session *s);
/* Records the answer to the question last returned and saves progress. */
int tt_quiz_session_answer(struct tt_quiz_session *s, int right, char *err, size_t errlen);
/* Counts of this sitting for a topic (NULL: all topics). */
void tt_quiz_session_score(const struct tt_quiz_session *s, const char *topic, unsigned *asked,
                           unsigned *right);
/* Topics seen in this sitting, in order. */
size_t tt_quiz_session_ntopics(const struct tt_quiz_session *s);
const char *tt_quiz_session_topic(const struct tt_quiz_session *s, size_t i);

/* ---- generated practice (practice.c) ---- */
#define TT_PRACTICE_TOPIC "practice"
size_t tt_practice_ntemplates(void);
/* Id ("practice-data-ack"), lesson and step, English title of a template. */
const char *tt_practice_template_id(size_t t);
/* A template as a question without numbers, for listings. */
void tt_practice_describe(size_t t, struct tt_quiz_question *q);
/* Builds a question from template t (or a seeded choice when t is
 * (size_t)-1): random numbers from seed, a scenario run by the simulator,
 * the answer read from the resulting steps. NULL with err on failure. */
struct tt_quiz_question *tt_practice_new(size_t t, unsigned long seed, char *err, size_t errlen);

#endif
