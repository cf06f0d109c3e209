/* tests/check_quiz.c: the quiz: the parser (every kind, every error with its
 * file and line), answer checking, Leitner boxes, the progress files (atomic,
 * a damaged line costing only itself, CRLF read, files with nothing of ours
 * moved aside, a directory in the way named, two sittings at once merged,
 * stale temporaries removed), the bundled bank (the four classic questions,
 * 40 more, both languages, every "show me" an existing lesson step) and the
 * generated practice questions (answers equal to the arithmetic and to the
 * engine's own steps, "mod 2^32" said exactly when the arithmetic wraps). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "base/base.h"
#include "engine/tcp.h"
#include "sim/sim.h"
#include "tt_check.h"
#include "tutor/lesson.h"
#include "tutor/progress.h"
#include "tutor/quiz.h"
#include "tutor/store.h"

/* ---- helpers ---- */

static struct tt_quiz *
parse_ok(const char *text)
{
	struct tt_quiz *qz = tt_quiz_new();
	char err[512];

	ck_assert_ptr_nonnull(qz);
	ck_assert_msg(tt_quiz_parse(qz, text, strlen(text), "t.quiz", err, sizeof err) == 0, "%s",
	              err);
	return qz;
}

/* Parses text that must fail; returns the message. */
static const char *
parse_err(const char *text)
{
	static char err[512];
	struct tt_quiz *qz = tt_quiz_new();
	int rc = tt_quiz_parse(qz, text, strlen(text), "t.quiz", err, sizeof err);

	ck_assert_msg(rc == -1, "parsed, but should fail:\n%s", text);
	ck_assert_uint_eq(tt_quiz_count(qz), 0);
	tt_quiz_free(qz);
	return err;
}

#define HEAD(id, kind)                                                     \
	"question " id "\ntopic t\nkind " kind "\n"                        \
	"title.en T\ntitle.zh 标题\nprompt.en P\nprompt.zh 问\n"           \
	"explain.en E\nexplain.zh 解释\nshow handshake 1\n"

#define CHOICES3                                                           \
	"choice.en A\nchoice.zh 甲\nchoice.en B\nchoice.zh 乙\n"           \
	"choice.en C\nchoice.zh 丙\n"

static const char *const kinds_text =
	"# every kind once\n"
	"topic-name.en t Topic\ntopic-name.zh t 主题\n"
	HEAD("s1", "single") CHOICES3 "answer b\n"
	"wrong.en [A] why a\nwrong.zh [a] 为何 a\nwrong.en general\nwrong.zh 一般\n"
	HEAD("m1", "multiple") CHOICES3 "answer c,a\n"
	"wrong.en [b] b is wrong\nwrong.zh b 错\nwrong.en [c] c is right\nwrong.zh c 对\n"
	HEAD("n1", "number") "answer 1001\nwrong.en [1000] off by one\nwrong.zh [1000] 差一\n"
	HEAD("o1", "order") CHOICES3 "choice.en D\nchoice.zh 丁\nanswer 3 1 4 2\n"
	HEAD("st1", "state") "answer syn_rcvd\nwrong.en [established] no\nwrong.zh 不对\n"
	HEAD("op1", "open") "key.en k1\nkey.zh 要点1\nkey.en k2\nkey.zh 要点2\n"
	"prompt.en second line\nprompt.zh 第二行\n";

/* ---- the parser ---- */

START_TEST(test_parser_reads_every_kind)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	const struct tt_quiz_question *q;

	ck_assert_uint_eq(tt_quiz_count(qz), 6);
	ck_assert_uint_eq(tt_quiz_ntopics(qz), 1);
	ck_assert_str_eq(tt_quiz_topic_name(qz, "t", TT_ZH), "主题");
	q = tt_quiz_find(qz, "s1");
	ck_assert_int_eq(q->kind, TT_QUIZ_SINGLE);
	ck_assert_uint_eq(q->nchoices, 3);
	ck_assert_uint_eq(q->answer_mask, 2);
	ck_assert_str_eq(q->wrong[0].match, "a");
	ck_assert_str_eq(q->wrong[0].text.s[TT_ZH], "为何 a");
	ck_assert_str_eq(q->wrong[1].match, "");
	ck_assert_str_eq(q->show_lesson, "handshake");
	ck_assert_uint_eq(q->show_step, 1);
	ck_assert_uint_eq(q->line, 4);
	q = tt_quiz_find(qz, "m1");
	ck_assert_uint_eq(q->answer_mask, 5);
	ck_assert_str_eq(q->wrong[0].match, "b");
	q = tt_quiz_find(qz, "n1");
	ck_assert_uint_eq(q->answer_num, 1001);
	q = tt_quiz_find(qz, "o1");
	ck_assert_uint_eq(q->nchoices, 4);
	ck_assert_int_eq(q->order[0], 2);
	ck_assert_int_eq(q->order[3], 1);
	q = tt_quiz_find(qz, "st1");
	ck_assert_int_eq(q->state, TT_SYN_RECEIVED);
	ck_assert_str_eq(q->wrong[0].match, "ESTABLISHED");
	q = tt_quiz_find(qz, "op1");
	ck_assert_uint_eq(q->nkeys, 2);
	ck_assert_str_eq(q->prompt.s[TT_EN], "P\nsecond line");
	ck_assert_str_eq(tt_quiz_text_get(&q->prompt, TT_ZH), "问\n第二行");
	tt_quiz_free(qz);
}
END_TEST

START_TEST(test_parser_errors_name_file_and_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "frobnicate x\n", "t.quiz:1: '" },
		{ HEAD("a", "single") CHOICES3 "answer b\nbogus.en x\n", "t.quiz:18: unknown keyword 'bogus.en'" },
		{ "question a\ntopic t\nkind single\ntitle.en T\nprompt.en P\nprompt.zh P\n"
		  "explain.en E\nexplain.zh E\nchoice.en A\nchoice.zh A\nchoice.en B\nchoice.zh B\n"
		  "answer a\nshow x 1\n", "t.quiz:1: question a: no title.zh" },
		{ HEAD("a", "single") CHOICES3 "choice.en D\nanswer b\n", "choice.en but" },
		{ HEAD("a", "single") CHOICES3 "answer d\n", "t.quiz:17: answer: there is no such choice" },
		{ HEAD("a", "single") CHOICES3 "answer a b\n", "give one choice only" },
		{ HEAD("a", "state") "answer FINISHED\n", "not an RFC 9293 state name" },
		{ HEAD("a", "order") CHOICES3 "answer 1 1 2\n", "item number once" },
		{ HEAD("a", "number") "answer 99999999999\n", "4294967295" },
		{ HEAD("a", "open") "answer 3\nkey.en k\nkey.zh k\n", "t.quiz:11: question a: an open question has key points" },
		{ HEAD("a", "open"), "needs key points" },
		{ HEAD("a", "kinda"), "t.quiz:3: unknown kind 'kinda'" },
		{ HEAD("a", "number"), "question a: no answer" },
		{ HEAD("a", "number") "answer 5\n" HEAD("a", "number") "answer 6\n",
		  "t.quiz:12: question a already defined at t.quiz:1" },
		{ "question Bad!\n", "t.quiz:1: question id 'Bad!'" },
		{ HEAD("a", "number") "answer 1\nshow handshake zero\n", "show: expected LESSON STEP" },
		{ HEAD("a", "number") "answer 1\nwrong.en [x] t\nwrong.zh t\n", "wrong [x]" },
		{ HEAD("a", "number") "answer 1\nwrong.en [1] t\nwrong.zh [2] t\n", "differs" },
		{ "question a\ntopic all\n", "reserved" },
		{ "question a\ntopic t\nkind number\ntitle.en T\ntitle.zh T\nprompt.en P\nprompt.zh P\n"
		  "explain.en E\nexplain.zh E\nanswer 1\n", "no show" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *e = parse_err(cases[i].text);

		ck_assert_msg(strstr(e, cases[i].want) != NULL, "case %zu: got '%s', want '%s'", i, e,
		              cases[i].want);
		ck_assert_msg(strncmp(e, "t.quiz:", 7) == 0, "case %zu: no file:line in '%s'", i, e);
	}
}
END_TEST

START_TEST(test_failed_parse_leaves_the_bank_as_it_was)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	const char *bad = HEAD("new1", "number") "answer 1\n" HEAD("new2", "number");
	char err[256];

	ck_assert_int_eq(tt_quiz_parse(qz, bad, strlen(bad), "b.quiz", err, sizeof err), -1);
	ck_assert_uint_eq(tt_quiz_count(qz), 6);
	ck_assert_ptr_null(tt_quiz_find(qz, "new1"));
	tt_quiz_free(qz);
}
END_TEST

START_TEST(test_parser_survives_binary_garbage)
{
	char buf[4096], err[256];
	uint64_t x = 42;

	for (int round = 0; round < 200; round++) {
		struct tt_quiz *qz = tt_quiz_new();
		size_t len = (size_t)(round * 19 % (int)sizeof buf);

		for (size_t i = 0; i < len; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			buf[i] = (char)(x >> 56);
			if (i % 7 == 0)
				buf[i] = "\nq e #[]"[x % 8];
		}
		tt_quiz_parse(qz, buf, len, "g.quiz", err, sizeof err);
		tt_quiz_free(qz);
	}
}
END_TEST

/* ---- answers ---- */

static int
check(const struct tt_quiz *qz, const char *id, const char *answer)
{
	char norm[64], err[256];

	return tt_quiz_check(tt_quiz_find(qz, id), answer, norm, sizeof norm, err, sizeof err);
}

START_TEST(test_answers_in_every_form)
{
	struct tt_quiz *qz = parse_ok(kinds_text);

	ck_assert_int_eq(check(qz, "s1", "b"), 1);
	ck_assert_int_eq(check(qz, "s1", " B "), 1);
	ck_assert_int_eq(check(qz, "s1", "2"), 1);
	ck_assert_int_eq(check(qz, "s1", "a"), 0);
	ck_assert_int_eq(check(qz, "s1", "z"), -1);
	ck_assert_int_eq(check(qz, "s1", "a b"), -1);
	ck_assert_int_eq(check(qz, "s1", ""), -1);
	ck_assert_int_eq(check(qz, "m1", "a c"), 1);
	ck_assert_int_eq(check(qz, "m1", "ca"), 1);
	ck_assert_int_eq(check(qz, "m1", "c,a"), 1);
	ck_assert_int_eq(check(qz, "m1", "a"), 0);
	ck_assert_int_eq(check(qz, "m1", "a b c"), 0);
	ck_assert_int_eq(check(qz, "n1", "1001"), 1);
	ck_assert_int_eq(check(qz, "n1", " 1001 "), 1);
	ck_assert_int_eq(check(qz, "n1", "1000"), 0);
	ck_assert_int_eq(check(qz, "n1", "ten"), -1);
	ck_assert_int_eq(check(qz, "n1", "-1"), -1);
	ck_assert_int_eq(check(qz, "o1", "3 1 4 2"), 1);
	ck_assert_int_eq(check(qz, "o1", "3142"), 1);
	ck_assert_int_eq(check(qz, "o1", "3,1,4,2"), 1);
	ck_assert_int_eq(check(qz, "o1", "1 2 3 4"), 0);
	ck_assert_int_eq(check(qz, "o1", "3 1 4"), -1);
	ck_assert_int_eq(check(qz, "o1", "3 1 4 4"), -1);
	ck_assert_int_eq(check(qz, "st1", "SYN-RECEIVED"), 1);
	ck_assert_int_eq(check(qz, "st1", "syn-rcvd"), 1);
	ck_assert_int_eq(check(qz, "st1", "SYN_RECEIVED"), 1);
	ck_assert_int_eq(check(qz, "st1", "LISTEN"), 0);
	ck_assert_int_eq(check(qz, "st1", "WAITING"), -1);
	ck_assert_int_eq(check(qz, "op1", "y"), 1);
	ck_assert_int_eq(check(qz, "op1", "yes"), 1);
	ck_assert_int_eq(check(qz, "op1", "是"), 1);
	ck_assert_int_eq(check(qz, "op1", "n"), 0);
	ck_assert_int_eq(check(qz, "op1", "maybe"), -1);
	tt_quiz_free(qz);
}
END_TEST

START_TEST(test_wrong_answer_explanations_match_the_answer_given)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	const struct tt_quiz_wrong *w[8];
	char buf[64];

	ck_assert_uint_eq(tt_quiz_wrong_for(tt_quiz_find(qz, "s1"), "a", w, 8), 1);
	ck_assert_str_eq(w[0]->text.s[TT_EN], "why a");
	ck_assert_uint_eq(tt_quiz_wrong_for(tt_quiz_find(qz, "s1"), "c", w, 8), 0);
	/* Multiple: b wrongly ticked, c wrongly left out. */
	ck_assert_uint_eq(tt_quiz_wrong_for(tt_quiz_find(qz, "m1"), "a b", w, 8), 2);
	ck_assert_uint_eq(tt_quiz_wrong_for(tt_quiz_find(qz, "n1"), "1000", w, 8), 1);
	ck_assert_str_eq(tt_quiz_answer_text(tt_quiz_find(qz, "m1"), buf, sizeof buf), "a c");
	ck_assert_str_eq(tt_quiz_answer_text(tt_quiz_find(qz, "o1"), buf, sizeof buf), "3 1 4 2");
	ck_assert_str_eq(tt_quiz_answer_text(tt_quiz_find(qz, "st1"), buf, sizeof buf), "SYN-RECEIVED");
	tt_quiz_free(qz);
}
END_TEST

/* ---- Leitner boxes and progress ---- */

START_TEST(test_right_answers_climb_boxes_and_wrong_ones_fall_to_box_1)
{
	struct tt_leitner *p = tt_leitner_new();
	struct tt_leitner_record r;

	r = tt_leitner_get(p, "x");
	ck_assert_uint_eq(r.box, 1);
	ck_assert(tt_leitner_due(&r, 1));
	tt_leitner_begin_session(p);
	for (int i = 0; i < 7; i++)
		tt_leitner_answer(p, "x", 1);
	r = tt_leitner_get(p, "x");
	ck_assert_uint_eq(r.box, TT_LEITNER_BOXES);
	ck_assert_uint_eq(r.asked, 7);
	ck_assert_uint_eq(r.right, 7);
	tt_leitner_answer(p, "x", 0);
	r = tt_leitner_get(p, "x");
	ck_assert_uint_eq(r.box, 1);
	ck_assert_uint_eq(r.right, 7);
	ck_assert_uint_eq(r.last_session, 1);
	/* Box k is due 2^(k-1) sittings after it was last asked. */
	r.box = 3;
	r.last_session = 10;
	ck_assert(!tt_leitner_due(&r, 13));
	ck_assert(tt_leitner_due(&r, 14));
	r.box = 1;
	ck_assert(tt_leitner_due(&r, 11));
	tt_leitner_free(p);
}
END_TEST

START_TEST(test_progress_text_round_trips)
{
	struct tt_leitner *p = tt_leitner_new(), *q = tt_leitner_new();
	char *text, *again, err[256];
	size_t len, len2;

	tt_leitner_begin_session(p);
	tt_leitner_answer(p, "a", 1);
	tt_leitner_answer(p, "b", 0);
	tt_leitner_begin_session(p);
	tt_leitner_answer(p, "a", 1);
	text = tt_leitner_format(p, &len);
	ck_assert_msg(tt_leitner_parse(q, text, len, err, sizeof err) == 0, "%s", err);
	again = tt_leitner_format(q, &len2);
	ck_assert_str_eq(text, again);
	ck_assert_uint_eq(tt_leitner_session(q), 2);
	ck_assert_uint_eq(tt_leitner_get(q, "a").box, 3);
	free(text);
	free(again);
	tt_leitner_free(p);
	tt_leitner_free(q);
}
END_TEST

START_TEST(test_damaged_progress_lines_cost_only_themselves)
{
	static const struct {
		const char *text;
		int rc;                 /* -1: not a progress file; else damaged lines */
		size_t kept;
		unsigned session;
	} cases[] = {
		{ "", -1, 0, 0 },
		{ "garbage\n", -1, 0, 0 },
		{ "tcptutor-quiz-progress 2\nsession 2\nend\n", -1, 0, 0 },       /* another version */
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 1 1 1 1\n", 1, 1, 2 }, /* no end: cut short */
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 9 1 1 1\nq b 1 1 1 1\nend\n", 1, 1, 2 },
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 1 1 1 2\nend\n", 1, 0, 2 },  /* right > asked */
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 1 5 1 1\nq b 2 2 1 1\nend\n", 1, 1, 2 },
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 1 1 1 1\nq a 1 1 1 1\nend\n", 1, 1, 2 },
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 1 1 1 1\nq b 1 1 1 x\nend\n", 1, 1, 2 },
		/* one flipped byte in the session line: rebuilt from the records */
		{ "tcptutor-quiz-progress 1\nsessiom 4\nq a 1 3 1 1\nq b 2 1 1 1\nend\n", 2, 2, 3 },
		/* ... or in the first line: the records are still ours */
		{ "tcptutor-quiz-progresz 1\nsession 2\nq a 1 1 1 1\nend\n", 1, 1, 2 },
		{ "tcptutor-quiz-progress 1\r\nsession 2\r\nq a 1 1 1 1\r\nq b 3 2 4 2\r\nend\r\n", 0, 2, 2 },
		{ "tcptutor-quiz-progress 1\nsession 2\nq a 1 1 1 1\nend\n\0\0\0\n", 1, 1, 2 },
	};
	char err[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tt_leitner *p = tt_leitner_new();
		size_t len = strlen(cases[i].text);
		int rc;

		if (i == sizeof cases / sizeof cases[0] - 1)
			len += 4;       /* the NULs and the newline after them */
		err[0] = '\0';
		rc = tt_leitner_parse(p, cases[i].text, len, err, sizeof err);
		ck_assert_msg(rc == cases[i].rc, "case %zu: %d, want %d (%s)", i, rc, cases[i].rc, err);
		if (rc >= 0) {
			ck_assert_msg(tt_leitner_count(p) == cases[i].kept, "case %zu: %zu kept", i,
			              tt_leitner_count(p));
			ck_assert_uint_eq(tt_leitner_session(p), cases[i].session);
		}
		if (rc != 0)
			ck_assert_msg(strncmp(err, "line ", 5) == 0 || strcmp(err, "empty") == 0,
			              "case %zu: %s", i, err);
		tt_leitner_free(p);
	}
}
END_TEST

static char tmpdir[256];

static void
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/tests/out/check_quiz.XXXXXX", TT_BUILDDIR);
	mkdir(TT_BUILDDIR "/tests", 0700);
	mkdir(TT_BUILDDIR "/tests/out", 0700);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_corrupt_progress_is_moved_aside_and_a_fresh_one_started)
{
	char path[512], moved[600], warn[600], err[256], other[512];
	struct tt_leitner *p;
	struct stat st;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	snprintf(other, sizeof other, "%s/progress", tmpdir);
	write_file(other, "lesson progress stays\n");
	/* Missing: empty, no warning. */
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_leitner_count(p), 0);
	tt_leitner_free(p);
	/* Nothing of ours in it: moved to .corrupt-1, warning, empty progress. */
	write_file(path, "this is not progress\n");
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(strstr(warn, "quiz-progress: line 1: not a tcptutor quiz progress file") != NULL,
	              "%s", warn);
	ck_assert_msg(strstr(moved, "quiz-progress.corrupt-1") != NULL, "%s", moved);
	ck_assert_int_eq(stat(moved, &st), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(stat(other, &st), 0);
	ck_assert_uint_eq(tt_leitner_session(p), 0);
	/* Saving writes a good file that loads back without a warning. */
	tt_leitner_begin_session(p);
	tt_leitner_answer(p, "q1", 1);
	ck_assert_msg(tt_leitner_save(p, path, err, sizeof err) == 0, "%s", err);
	tt_leitner_free(p);
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_leitner_get(p, "q1").box, 2);
	tt_leitner_free(p);
}
END_TEST

START_TEST(test_progress_file_round_trips_through_save_and_load)
{
	static const char *const ids[] = { "a", "syn-ack", "q_3", "time-wait-2msl" };
	char path[512], moved[600], warn[600], err[256];
	struct tt_leitner *p = tt_leitner_new(), *q;
	char *before, *after, *ondisk;
	size_t lb, la, ld;
	struct tt_leitner_record want[4];

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	ck_assert_ptr_nonnull(p);
	/* Five sessions that leave each question in a different box. */
	for (unsigned s = 1; s <= 5; s++) {
		tt_leitner_begin_session(p);
		for (size_t i = 0; i < 4; i++)
			if (i < s)
				ck_assert_int_eq(tt_leitner_answer(p, ids[i], (s + i) % 3 != 0), 0);
	}
	for (size_t i = 0; i < 4; i++)
		want[i] = tt_leitner_get(p, ids[i]);
	before = tt_leitner_format(p, &lb);
	ck_assert_ptr_nonnull(before);
	ck_assert_msg(tt_leitner_save(p, path, err, sizeof err) == 0, "%s", err);
	/* The file holds exactly the text of the progress saved... */
	ondisk = tt_read_file(path, 1 << 20, &ld);
	ck_assert_ptr_nonnull(ondisk);
	ck_assert_uint_eq(ld, lb);
	ck_assert(memcmp(ondisk, before, lb) == 0);
	/* ... and loads back to the same boxes, counts and session. */
	q = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_msg(q != NULL, "%s", err);
	ck_assert_str_eq(warn, "");
	ck_assert_str_eq(moved, "");
	ck_assert_uint_eq(tt_leitner_session(q), 5);
	ck_assert_uint_eq(tt_leitner_count(q), 4);
	for (size_t i = 0; i < 4; i++) {
		struct tt_leitner_record r = tt_leitner_get(q, ids[i]);

		ck_assert_msg(r.box == want[i].box && r.last_session == want[i].last_session &&
		              r.asked == want[i].asked && r.right == want[i].right,
		              "%s: box %u last %u asked %u right %u", ids[i], r.box, r.last_session,
		              r.asked, r.right);
	}
	ck_assert_uint_ne(want[0].box, want[1].box); /* the boxes differ */
	after = tt_leitner_format(q, &la);
	ck_assert_ptr_nonnull(after);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(after, before, lb) == 0);
	free(before);
	free(after);
	free(ondisk);
	tt_leitner_free(p);
	tt_leitner_free(q);
}
END_TEST

START_TEST(test_a_damaged_line_or_crlf_keeps_every_good_record)
{
	char path[512], moved[600], warn[600], err[256];
	struct tt_leitner *p;
	struct stat st;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	/* CRLF line endings (the file went through an editor on Windows). */
	write_file(path, "tcptutor-quiz-progress 1\r\nsession 3\r\nq a 2 3 4 3\r\nq c 3 3 2 2\r\nend\r\n");
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_leitner_count(p), 2);
	ck_assert_uint_eq(tt_leitner_get(p, "c").box, 3);
	tt_leitner_free(p);
	/* One damaged byte: that record goes, the others stay, one warning,
	 * nothing moved aside. */
	write_file(path, "tcptutor-quiz-progress 1\nsession 3\nq a 2 3 4 3\nq b 1 2 1 \x01\n"
	                 "q c 3 3 2 2\nend\n");
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(strstr(warn, "quiz-progress: line 4: not a progress line") != NULL, "%s", warn);
	ck_assert_str_eq(moved, "");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(tt_leitner_count(p), 2);
	ck_assert_uint_eq(tt_leitner_get(p, "a").asked, 4);
	ck_assert_uint_eq(tt_leitner_get(p, "c").right, 2);
	ck_assert_uint_eq(tt_leitner_session(p), 3);
	/* The next save writes a clean file. */
	tt_leitner_begin_session(p);
	tt_leitner_answer(p, "a", 1);
	ck_assert_msg(tt_leitner_save(p, path, err, sizeof err) == 0, "%s", err);
	tt_leitner_free(p);
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_leitner_get(p, "a").asked, 5);
	ck_assert_uint_eq(tt_leitner_count(p), 2);
	tt_leitner_free(p);
}
END_TEST

START_TEST(test_two_sittings_at_once_keep_every_answer)
{
	char path[512], moved[600], warn[600], err[256];
	struct tt_leitner *p1, *p2, *back;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	write_file(path, "tcptutor-quiz-progress 1\nsession 1\nq a 2 1 1 1\nend\n");
	p1 = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	p2 = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	tt_leitner_begin_session(p1);
	tt_leitner_begin_session(p2);
	/* Interleaved: each saves after every answer from what it loaded. */
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(tt_leitner_answer(p1, "a", 1), 0);
		ck_assert_msg(tt_leitner_save(p1, path, err, sizeof err) == 0, "%s", err);
		ck_assert_int_eq(tt_leitner_answer(p2, i == 0 ? "a" : "b", 0), 0);
		ck_assert_msg(tt_leitner_save(p2, path, err, sizeof err) == 0, "%s", err);
	}
	back = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_leitner_get(back, "a").asked, 1 + 3 + 1);
	ck_assert_uint_eq(tt_leitner_get(back, "a").right, 1 + 3);
	ck_assert_uint_eq(tt_leitner_get(back, "b").asked, 2);
	ck_assert_uint_eq(tt_leitner_session(back), 2);
	/* Each sitting now sees the other's answers too. */
	ck_assert_uint_eq(tt_leitner_get(p1, "b").asked, 1);
	ck_assert_uint_eq(tt_leitner_get(p2, "a").asked, 5);
	tt_leitner_free(back);
	tt_leitner_free(p1);
	tt_leitner_free(p2);
}
END_TEST

START_TEST(test_a_failed_save_keeps_the_answers_for_the_next_one)
{
	char dir[600], path[700], moved[800], warn[800], err[800];
	struct tt_leitner *p = tt_leitner_new(), *back;

	make_tmpdir();
	snprintf(dir, sizeof dir, "%s/later", tmpdir);
	snprintf(path, sizeof path, "%s/quiz-progress", dir);
	tt_leitner_begin_session(p);
	tt_leitner_answer(p, "a", 1);
	ck_assert_int_eq(tt_leitner_save(p, path, err, sizeof err), -1);
	tt_leitner_answer(p, "b", 1);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_msg(tt_leitner_save(p, path, err, sizeof err) == 0, "%s", err);
	back = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_uint_eq(tt_leitner_get(back, "a").asked, 1);
	ck_assert_uint_eq(tt_leitner_get(back, "b").asked, 1);
	tt_leitner_free(back);
	tt_leitner_free(p);
}
END_TEST

START_TEST(test_a_directory_in_the_way_is_named)
{
	char path[512], moved[600], warn[900], err[900];
	struct tt_lesson_progress *lp;
	struct tt_leitner *p;
	size_t len;
	int missing;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_ptr_null(tt_store_read(path, &len, &missing, err, sizeof err));
	ck_assert_int_eq(missing, 0);
	ck_assert_msg(strstr(err, "quiz-progress is a directory, not a file") != NULL, "%s", err);
	p = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
	ck_assert_ptr_null(p);
	ck_assert_msg(strstr(err, "quiz-progress is a directory, not a file") != NULL, "%s", err);
	ck_assert_int_eq(tt_store_write(path, "x", 1, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "quiz-progress is a directory, not a file") != NULL, "%s", err);
	/* The lessons' file: a warning, an empty start, and a save that says why. */
	snprintf(path, sizeof path, "%s/progress", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	lp = tt_lesson_progress_load(tmpdir, warn, sizeof warn);
	ck_assert_ptr_nonnull(lp);
	ck_assert_msg(strstr(warn, "/progress is a directory, not a file") != NULL, "%s", warn);
	ck_assert_int_eq(tt_lesson_progress_finish(lp, "handshake", 1, 2), 0);
	ck_assert_int_eq(tt_lesson_progress_save(lp, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "/progress is a directory, not a file") != NULL, "%s", err);
	tt_lesson_progress_free(lp);
}
END_TEST

/* A number that no process has: a child that has been reaped. */
static pid_t
dead_pid(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

START_TEST(test_stale_temporaries_are_removed_by_the_next_save)
{
	char path[512], dead[600], live[600], odd[600], other[600], err[256];
	struct stat st;
	struct utimbuf ut;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	snprintf(dead, sizeof dead, "%s.tmp.%ld", path, (long)dead_pid());
	snprintf(live, sizeof live, "%s.tmp.%ld", path, (long)getppid());     /* a writer at work */
	snprintf(odd, sizeof odd, "%s.tmp.12ab", path);
	snprintf(other, sizeof other, "%s/progress.tmp.%ld", tmpdir, (long)dead_pid());
	write_file(dead, "half");
	write_file(live, "half");
	write_file(odd, "mine");
	write_file(other, "not this file's");
	ck_assert_int_eq(tt_store_write(path, "x\n", 2, err, sizeof err), 0);
	ck_assert_msg(stat(dead, &st) == -1, "the temporary of a writer that is gone is still there");
	ck_assert_msg(stat(live, &st) == 0, "a live writer's temporary was removed");
	ck_assert_int_eq(stat(odd, &st), 0);
	ck_assert_int_eq(stat(other, &st), 0);
	/* The live number's file untouched for an hour: stale whoever has it. */
	ut.actime = ut.modtime = time(NULL) - 3600;
	ck_assert_int_eq(utime(live, &ut), 0);
	ck_assert_int_eq(tt_store_write(path, "y\n", 2, err, sizeof err), 0);
	ck_assert_msg(stat(live, &st) == -1, "an hour-old temporary is still there");
}
END_TEST

START_TEST(test_lesson_progress_keeps_good_lines_and_merges_two_runs)
{
	char path[512], warn[900], err[256];
	struct tt_lesson_progress *a, *b;
	struct tt_lesson_progress_record r;

	make_tmpdir();
	snprintf(path, sizeof path, "%s/progress", tmpdir);
	write_file(path, "tcptutor-progress 1\r\nlesson handshake finished=2 best=3 last=1 of=3\r\n"
	                 "lesson teardown finished=1 best=9 last=1 of=3\r\n"
	                 "lesson data finished=1 best=1 last=1 of=2\r\n");
	a = tt_lesson_progress_load(tmpdir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, "progress:3: 1 damaged line skipped") != NULL, "%s", warn);
	ck_assert_int_eq(tt_lesson_progress_get(a, "handshake", &r), 1);
	ck_assert_uint_eq(r.finished, 2);
	ck_assert_int_eq(tt_lesson_progress_get(a, "data", &r), 1);
	ck_assert_int_eq(tt_lesson_progress_get(a, "teardown", &r), 0);
	/* Two lessons at once, each saving what it finished. */
	b = tt_lesson_progress_load(tmpdir, warn, sizeof warn);
	ck_assert_int_eq(tt_lesson_progress_finish(a, "handshake", 3, 3), 0);
	ck_assert_int_eq(tt_lesson_progress_finish(b, "data", 2, 2), 0);
	ck_assert_msg(tt_lesson_progress_save(a, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tt_lesson_progress_save(b, err, sizeof err) == 0, "%s", err);
	tt_lesson_progress_free(a);
	tt_lesson_progress_free(b);
	a = tt_lesson_progress_load(tmpdir, warn, sizeof warn);
	ck_assert_str_eq(warn, "");
	tt_lesson_progress_get(a, "handshake", &r);
	ck_assert_uint_eq(r.finished, 3);
	ck_assert_uint_eq(r.best, 3);
	tt_lesson_progress_get(a, "data", &r);
	ck_assert_uint_eq(r.finished, 2);
	ck_assert_uint_eq(r.best, 2);
	tt_lesson_progress_free(a);
	/* Nothing of ours: moved aside as before. */
	write_file(path, "garbage\n");
	a = tt_lesson_progress_load(tmpdir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, "moved to") != NULL, "%s", warn);
	ck_assert_uint_eq(tt_lesson_progress_nfinished(a), 0);
	tt_lesson_progress_free(a);
}
END_TEST

/* ---- sittings ---- */

START_TEST(test_sitting_asks_due_questions_lowest_box_first_in_seed_order)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	struct tt_leitner *p = tt_leitner_new();
	struct tt_quiz_session *s;
	const struct tt_quiz_question *q;
	char err[256], first[6][48];
	size_t n = 0;

	/* A fresh learner: all six, in an order fixed by the seed. */
	s = tt_quiz_session_new(qz, p, NULL, "t", 7, 0, err, sizeof err);
	ck_assert_uint_eq(tt_quiz_session_planned(s), 6);
	while ((q = tt_quiz_session_next(s, err, sizeof err)) != NULL) {
		snprintf(first[n++], sizeof first[0], "%s", q->id);
		/* s1 right, the rest wrong. */
		ck_assert_int_eq(tt_quiz_session_answer(s, strcmp(q->id, "s1") == 0, err, sizeof err), 0);
	}
	ck_assert_uint_eq(n, 6);
	tt_quiz_session_free(s);
	tt_leitner_free(p);

	/* The same seed and the same state give the same order. */
	p = tt_leitner_new();
	s = tt_quiz_session_new(qz, p, NULL, NULL, 7, 0, err, sizeof err);
	for (size_t i = 0; i < 6; i++) {
		q = tt_quiz_session_next(s, err, sizeof err);
		ck_assert_str_eq(q->id, first[i]);
		ck_assert_int_eq(tt_quiz_session_answer(s, strcmp(q->id, "s1") == 0, err, sizeof err), 0);
	}
	ck_assert_ptr_null(tt_quiz_session_next(s, err, sizeof err));
	tt_quiz_session_free(s);

	/* Sitting 2: s1 is in box 2 and not due (asked in sitting 1). */
	s = tt_quiz_session_new(qz, p, NULL, NULL, 7, 0, err, sizeof err);
	ck_assert_uint_eq(tt_quiz_session_planned(s), 5);
	while ((q = tt_quiz_session_next(s, err, sizeof err)) != NULL) {
		ck_assert_str_ne(q->id, "s1");
		tt_quiz_session_answer(s, 1, err, sizeof err);
	}
	tt_quiz_session_free(s);
	/* Sitting 3: s1 (box 2, two sittings later) is due again; the others
	 * are in box 2, asked one sitting ago: not due. */
	s = tt_quiz_session_new(qz, p, NULL, NULL, 7, 0, err, sizeof err);
	ck_assert_uint_eq(tt_quiz_session_planned(s), 1);
	q = tt_quiz_session_next(s, err, sizeof err);
	ck_assert_str_eq(q->id, "s1");
	tt_quiz_session_free(s);
	tt_leitner_free(p);
	tt_quiz_free(qz);
}
END_TEST

/* A seed's order follows the questions' ids: a question added elsewhere in
 * the bank (before them, in another topic) leaves a topic's order alone. */
static void
order_of(const char *text, const char *topic, unsigned long seed, char out[][48], size_t n)
{
	struct tt_quiz *qz = parse_ok(text);
	struct tt_leitner *p = tt_leitner_new();
	struct tt_quiz_session *s;
	const struct tt_quiz_question *q;
	char err[256];

	s = tt_quiz_session_new(qz, p, NULL, topic, seed, 0, err, sizeof err);
	for (size_t i = 0; i < n; i++) {
		q = tt_quiz_session_next(s, err, sizeof err);
		ck_assert_ptr_nonnull(q);
		snprintf(out[i], 48, "%s", q->id);
		tt_quiz_session_answer(s, 1, err, sizeof err);
	}
	tt_quiz_session_free(s);
	tt_leitner_free(p);
	tt_quiz_free(qz);
}

START_TEST(test_seed_order_stays_when_questions_are_added_elsewhere)
{
	static const char extra[] = "topic-name.en u Other\ntopic-name.zh u 其他\n"
	                            "question x1\ntopic u\nkind number\ntitle.en X\ntitle.zh 甲\n"
	                            "prompt.en p\nprompt.zh 问\nexplain.en e\nexplain.zh 解\n"
	                            "show handshake 1\n"
	                            "answer 1\nwrong.en [2] no\nwrong.zh [2] 不\n\n";
	char *more = malloc(sizeof extra + strlen(kinds_text));
	char a[6][48], b[6][48];

	ck_assert_ptr_nonnull(more);
	strcpy(more, extra);
	strcat(more, kinds_text);
	for (unsigned long seed = 1; seed < 40; seed++) {
		order_of(kinds_text, "t", seed, a, 6);
		order_of(more, "t", seed, b, 6);
		for (size_t i = 0; i < 6; i++)
			ck_assert_str_eq(a[i], b[i]);
	}
	free(more);
}
END_TEST

/* Consecutive seeds give practice sittings of their own, not the same
 * questions shifted by one. */
START_TEST(test_practice_sittings_of_consecutive_seeds_differ)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	unsigned shifted = 0;

	for (unsigned long seed = 1; seed <= 20; seed++) {
		char ids[2][5][96];
		char err[256];

		for (int k = 0; k < 2; k++) {
			struct tt_leitner *p = tt_leitner_new();
			struct tt_quiz_session *s = tt_quiz_session_new(qz, p, NULL, TT_PRACTICE_TOPIC,
			                                                seed + (unsigned long)k, 5, err,
			                                                sizeof err);
			const struct tt_quiz_question *q;

			ck_assert_ptr_nonnull(s);
			for (int i = 0; i < 5; i++) {
				q = tt_quiz_session_next(s, err, sizeof err);
				ck_assert_msg(q != NULL, "%s", err);
				snprintf(ids[k][i], sizeof ids[k][i], "%s", q->id);
				tt_quiz_session_answer(s, 0, err, sizeof err);
			}
			tt_quiz_session_free(s);
			tt_leitner_free(p);
		}
		if (strcmp(ids[0][1], ids[1][0]) == 0 && strcmp(ids[0][2], ids[1][1]) == 0 &&
		    strcmp(ids[0][3], ids[1][2]) == 0)
			shifted++;
	}
	ck_assert_uint_eq(shifted, 0);
	tt_quiz_free(qz);
}
END_TEST

START_TEST(test_sitting_with_nothing_due_still_asks_the_topic)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	struct tt_leitner *p = tt_leitner_new();
	struct tt_quiz_session *s;
	char err[256];

	tt_leitner_begin_session(p);
	for (size_t i = 0; i < tt_quiz_count(qz); i++)
		for (int k = 0; k < 4; k++)
			tt_leitner_answer(p, tt_quiz_get(qz, i)->id, 1);
	s = tt_quiz_session_new(qz, p, NULL, "t", 1, 0, err, sizeof err);
	ck_assert_uint_eq(tt_quiz_session_planned(s), 6);
	tt_quiz_session_free(s);
	tt_leitner_free(p);
	tt_quiz_free(qz);
}
END_TEST

START_TEST(test_sitting_saves_progress_after_every_answer)
{
	struct tt_quiz *qz = parse_ok(kinds_text);
	struct tt_leitner *p = tt_leitner_new(), *back;
	struct tt_quiz_session *s;
	char path[512], err[256], warn[512], moved[512];

	make_tmpdir();
	snprintf(path, sizeof path, "%s/quiz-progress", tmpdir);
	s = tt_quiz_session_new(qz, p, path, NULL, 3, 0, err, sizeof err);
	for (unsigned i = 1; i <= 3; i++) {
		unsigned asked = 0;

		ck_assert_ptr_nonnull(tt_quiz_session_next(s, err, sizeof err));
		ck_assert_int_eq(tt_quiz_session_answer(s, 1, err, sizeof err), 0);
		back = tt_leitner_load(path, warn, sizeof warn, moved, sizeof moved, err, sizeof err);
		ck_assert_ptr_nonnull(back);
		ck_assert_str_eq(warn, "");
		for (size_t k = 0; k < tt_quiz_count(qz); k++)
			asked += tt_leitner_get(back, tt_quiz_get(qz, k)->id).asked;
		ck_assert_uint_eq(asked, i);
		tt_leitner_free(back);
	}
	/* Answering twice is refused. */
	ck_assert_int_eq(tt_quiz_session_answer(s, 1, err, sizeof err), -1);
	tt_quiz_session_free(s);
	tt_leitner_free(p);
	tt_quiz_free(qz);
}
END_TEST

/* ---- the bundled bank ---- */

static struct tt_quiz *
load_bank(void)
{
	struct tt_quiz *qz = tt_quiz_new();
	char err[1024];

	ck_assert_msg(tt_quiz_load_dir(qz, TT_SRCDIR "/quiz", err, sizeof err) == 0, "%s", err);
	return qz;
}

static void
both_languages(const struct tt_quiz_question *q, const struct tt_quiz_text *t, const char *what)
{
	ck_assert_msg(t->s[TT_EN] != NULL && t->s[TT_EN][0] != '\0', "%s: %s has no English", q->id,
	              what);
	ck_assert_msg(t->s[TT_ZH] != NULL && t->s[TT_ZH][0] != '\0', "%s: %s has no Chinese", q->id,
	              what);
}

START_TEST(test_bank_has_the_four_classic_questions)
{
	static const char *const classic[] = {
		"classic-three-vs-four",  /* why three segments to connect, four to close */
		"classic-time-wait",      /* why TIME-WAIT lasts 2MSL */
		"classic-why-not-two",    /* why two segments cannot open a connection */
		"classic-client-dies",    /* what happens when a connected client dies */
	};
	struct tt_quiz *qz = load_bank();

	for (size_t i = 0; i < 4; i++) {
		const struct tt_quiz_question *q = tt_quiz_find(qz, classic[i]);
		size_t general = 0;

		ck_assert_msg(q != NULL, "missing %s", classic[i]);
		ck_assert_int_eq(q->kind, TT_QUIZ_OPEN);
		ck_assert_msg(q->nkeys >= 3, "%s: a full model answer has at least 3 key points", q->id);
		for (size_t k = 0; k < q->nwrong; k++)
			general += q->wrong[k].match[0] == '\0';
		ck_assert_msg(general >= 2, "%s: explain at least two common wrong answers", q->id);
	}
	tt_quiz_free(qz);
}
END_TEST

START_TEST(test_bank_has_forty_more_in_every_kind_and_both_languages)
{
	struct tt_quiz *qz = load_bank();
	unsigned kinds[TT_QUIZ_NKINDS] = { 0 };

	ck_assert_msg(tt_quiz_count(qz) >= 44, "only %zu questions", tt_quiz_count(qz));
	for (size_t i = 0; i < tt_quiz_count(qz); i++) {
		const struct tt_quiz_question *q = tt_quiz_get(qz, i);

		kinds[q->kind]++;
		both_languages(q, &q->title, "title");
		both_languages(q, &q->prompt, "prompt");
		both_languages(q, &q->explain, "explanation");
		for (size_t k = 0; k < q->nchoices; k++)
			both_languages(q, &q->choice[k], "a choice");
		for (size_t k = 0; k < q->nkeys; k++)
			both_languages(q, &q->key[k], "a key point");
		for (size_t k = 0; k < q->nwrong; k++)
			both_languages(q, &q->wrong[k].text, "a wrong answer");
		ck_assert_msg(q->nwrong > 0, "%s: explain at least one common wrong answer", q->id);
		ck_assert_str_ne(tt_quiz_topic_name(qz, q->topic, TT_ZH), q->topic);
	}
	for (int k = 0; k < TT_QUIZ_NKINDS; k++)
		ck_assert_msg(kinds[k] > 0, "no %s question", tt_quiz_kind_word((enum tt_quiz_kind)k));
	tt_quiz_free(qz);
}
END_TEST

/* Every "show me" (bank and practice templates) must name an existing step
 * of a bundled lesson. All dangling references are reported together. */
START_TEST(test_every_show_me_opens_an_existing_lesson_step)
{
	struct tt_quiz *qz = load_bank();
	struct {
		char name[32];
		long nsteps;            /* -1: missing or failing */
		char why[256];
	} seen[32];
	size_t nseen = 0, n = tt_quiz_count(qz) + tt_practice_ntemplates();
	char report[8192] = "";
	size_t at = 0, bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct tt_quiz_question tq;
		const struct tt_quiz_question *q;
		size_t k;

		if (i < tt_quiz_count(qz))
			q = tt_quiz_get(qz, i);
		else {
			tt_practice_describe(i - tt_quiz_count(qz), &tq);
			q = &tq;
		}
		for (k = 0; k < nseen; k++)
			if (strcmp(seen[k].name, q->show_lesson) == 0)
				break;
		if (k == nseen) {
			char path[512], err[256];
			struct tt_lesson *l;

			ck_assert_uint_lt(nseen, 32);
			snprintf(seen[k].name, sizeof seen[k].name, "%s", q->show_lesson);
			snprintf(path, sizeof path, "%s/lessons/%s.lesson", TT_SRCDIR, q->show_lesson);
			seen[k].nsteps = -1;
			l = tt_lesson_load(path, err, sizeof err);
			if (l == NULL)
				snprintf(seen[k].why, sizeof seen[k].why, "%s", err);
			else if (tt_lesson_run(l, TT_SRCDIR, err, sizeof err) == -1)
				snprintf(seen[k].why, sizeof seen[k].why, "%s", err);
			else
				seen[k].nsteps = (long)tt_lesson_nsteps(l);
			tt_lesson_free(l);
			nseen++;
		}
		if (seen[k].nsteps < 0 || (long)q->show_step > seen[k].nsteps) {
			bad++;
			if (at < sizeof report - 200) {
				if (seen[k].nsteps < 0)
					at += (size_t)snprintf(report + at, sizeof report - at,
					                       "\n  %s: show %s %u: lesson unavailable (%s)",
					                       q->id, q->show_lesson, q->show_step, seen[k].why);
				else
					at += (size_t)snprintf(report + at, sizeof report - at,
					                       "\n  %s: show %s %u: the lesson has %ld steps",
					                       q->id, q->show_lesson, q->show_step, seen[k].nsteps);
			}
		}
	}
	ck_assert_msg(bad == 0, "%zu dangling \"show me\" references:%s", bad, report);
	tt_quiz_free(qz);
}
END_TEST

/* ---- generated practice ---- */

static const struct tt_step *
run_and_get_step(const struct tt_quiz_question *q, struct tt_sim **simp)
{
	char err[256];
	struct tt_scenario *sc = tt_scenario_parse(q->scenario, strlen(q->scenario), q->id, err,
	                                           sizeof err);
	struct tt_sim *sim;

	ck_assert_msg(sc != NULL, "%s", err);
	sim = tt_scenario_run(sc, NULL, err, sizeof err);
	tt_scenario_free(sc);
	ck_assert_msg(sim != NULL, "%s", err);
	ck_assert_uint_ge(q->scenario_step, 1);
	ck_assert_uint_le(q->scenario_step, tt_sim_nsteps(sim));
	*simp = sim;
	return tt_sim_step(sim, q->scenario_step - 1);
}

/* The states after the first k actions of the practice teardown (close
 * client, FIN arrives, its ACK arrives, close server, FIN arrives, ACK
 * arrives): RFC 9293 §3.10.7.4 by hand. */
static const int teardown_states[7][2] = {
	{ TT_ESTABLISHED, TT_ESTABLISHED },
	{ TT_FIN_WAIT_1, TT_ESTABLISHED },
	{ TT_FIN_WAIT_1, TT_CLOSE_WAIT },
	{ TT_FIN_WAIT_2, TT_CLOSE_WAIT },
	{ TT_FIN_WAIT_2, TT_LAST_ACK },
	{ TT_TIME_WAIT, TT_LAST_ACK },
	{ TT_TIME_WAIT, TT_CLOSED },
};

/* Whether text holds the decimal number v as a number of its own. */
static int
has_number(const char *text, uint32_t v)
{
	char num[16];
	size_t n;

	snprintf(num, sizeof num, "%" PRIu32, v);
	n = strlen(num);
	for (const char *p = text; (p = strstr(p, num)) != NULL; p++)
		if ((p == text || p[-1] < '0' || p[-1] > '9') && (p[n] < '0' || p[n] > '9'))
			return 1;
	return 0;
}

START_TEST(test_generated_answers_match_the_arithmetic_and_the_engine)
{
	size_t nt = tt_practice_ntemplates();
	unsigned wraps = 0, fits = 0;

	ck_assert_uint_ge(nt, 5);
	for (size_t t = 0; t < nt; t++) {
		for (unsigned long seed = 1; seed <= 40; seed++) {
			char err[256], norm[64];
			struct tt_quiz_question *q = tt_practice_new(t, seed * 7919 + t, err, sizeof err);
			const char *id = tt_practice_template_id(t);
			const struct tt_step *st;
			struct tt_sim *sim;
			uint32_t x, y, n1, n2, want = 0;
			uint64_t wide = 0;   /* the same sum without the wrap */
			int want_state = -1;

			ck_assert_msg(q != NULL, "%s seed %lu: %s", id, seed, err);
			x = q->gen.iss[0];
			y = q->gen.iss[1];
			n1 = q->gen.n[0];
			n2 = q->gen.n[1];
			both_languages(q, &q->title, "title");
			both_languages(q, &q->prompt, "prompt");
			both_languages(q, &q->explain, "explanation");
			st = run_and_get_step(q, &sim);
			/* Sequence arithmetic modulo 2^32 (uint32_t wraps). */
			if (strcmp(id, "practice-synack-ack") == 0) {
				want = x + 1;
				wide = (uint64_t)x + 1;
				ck_assert_uint_eq(st->seg.flags & (TT_SYN | TT_ACK), TT_SYN | TT_ACK);
				ck_assert_uint_eq(st->seg.ack, want);
			} else if (strcmp(id, "practice-handshake-ack") == 0) {
				want = y + 1;
				wide = (uint64_t)y + 1;
				ck_assert_uint_eq(st->seg.ack, want);
			} else if (strcmp(id, "practice-data-ack") == 0) {
				want = x + 1 + n1;
				wide = (uint64_t)x + 1 + n1;
				ck_assert_uint_eq(st->seg.ack, want);
			} else if (strcmp(id, "practice-data-seq2") == 0) {
				want = x + 1 + n1;
				wide = (uint64_t)x + 1 + n1;
				ck_assert_uint_eq(st->seg.seq, want);
				ck_assert_uint_eq(st->seg.len, n2);
			} else if (strcmp(id, "practice-fin-seq") == 0) {
				want = x + 1 + n1;
				wide = (uint64_t)x + 1 + n1;
				ck_assert(st->seg.flags & TT_FIN);
				ck_assert_uint_eq(st->seg.seq, want);
			} else if (strcmp(id, "practice-fin-ack") == 0) {
				want = x + 1 + n1 + 1;
				wide = (uint64_t)x + 1 + n1 + 1;
				ck_assert_uint_eq(st->seg.ack, want);
			} else if (strcmp(id, "practice-halfclose-ack") == 0) {
				want = y + 1 + n1;
				wide = (uint64_t)y + 1 + n1;
				ck_assert_int_eq(st->dir, TT_CLIENT);
				ck_assert_uint_eq(st->seg.ack, want);
			} else if (strcmp(id, "practice-server-data-ack") == 0) {
				want = y + 1 + n1;
				wide = (uint64_t)y + 1 + n1;
				ck_assert_uint_eq(st->seg.ack, want);
			} else if (strcmp(id, "practice-usable-window") == 0) {
				/* p: MSS, window and cwnd in segments, segments sent,
				 * delivered, ACKs back. The server reads nothing, so
				 * each ACK's window is one segment smaller; each ACK
				 * adds one SMSS to cwnd (slow start). */
				const uint32_t *p = q->gen.p;
				uint32_t una = x + 1 + p[5] * p[0], wnd = (p[1] - p[5]) * p[0];
				uint32_t cwnd = (p[2] + p[5]) * p[0], flight = (p[3] - p[5]) * p[0];

				want = (wnd < cwnd ? wnd : cwnd) - flight;
				wide = (uint64_t)una + flight;
				ck_assert_uint_eq(st->tcb[TT_CLIENT].snd_nxt, una + flight + want);
				ck_assert(has_number(q->prompt.s[TT_EN], wnd) && has_number(q->prompt.s[TT_EN], cwnd));
			} else if (strcmp(id, "practice-slow-start") == 0) {
				const uint32_t *p = q->gen.p;

				want = (p[1] << p[2]) * p[0];   /* IW x 2^k x SMSS */
				ck_assert_uint_eq(st->tcb[TT_CLIENT].cwnd, want);
			} else if (strcmp(id, "practice-ssthresh-loss") == 0 ||
			           strcmp(id, "practice-cwnd-loss") == 0) {
				/* p: SMSS, segments sent, fast retransmit (else a
				 * timeout); the first segment was acknowledged */
				const uint32_t *p = q->gen.p;
				uint32_t flight = (p[1] - 1) * p[0];
				uint32_t ssthresh = flight / 2 > 2 * p[0] ? flight / 2 : 2 * p[0];

				want = id[9] == 's' ? ssthresh : p[2] ? ssthresh + 3 * p[0] : p[0];
				ck_assert_uint_eq(st->tcb[TT_CLIENT].ssthresh, ssthresh);
				ck_assert_uint_eq(p[2] ? p[1] >= 5 : p[1] <= 4, 1);
			} else if (strcmp(id, "practice-rto") == 0) {
				/* RFC 6298 §2.2-2.4 in whole milliseconds (the samples
				 * are multiples of 64 ms, so nothing is rounded) */
				const uint32_t *p = q->gen.p;
				uint32_t srtt = p[0], rttvar = p[0] / 2;

				for (int k = 1; k < 3 && p[k] > 0; k++) {
					uint32_t d = srtt > p[k] ? srtt - p[k] : p[k] - srtt;

					rttvar = (3 * rttvar + d) / 4;
					srtt = (7 * srtt + p[k]) / 8;
				}
				want = srtt + 4 * rttvar < 1000 ? 1000 : srtt + 4 * rttvar;
				ck_assert(has_number(q->explain.s[TT_EN], srtt));
			} else if (strcmp(id, "practice-teardown-state") == 0) {
				ck_assert_uint_le(q->gen.stop, 6);
				want_state = teardown_states[q->gen.stop][q->gen.host];
				ck_assert_int_eq(q->kind, TT_QUIZ_STATE);
				ck_assert_int_eq(st->tcb[q->gen.host].state, want_state);
			} else {
				ck_abort_msg("no independent check for template %s", id);
			}
			if (q->kind == TT_QUIZ_NUMBER) {
				char ans[16];

				ck_assert_uint_eq(q->answer_num, want);
				/* The explanation shows the result, and says "mod 2^32"
				 * exactly when the sum went past 2^32 - 1 (RFC 9293 §3.4). */
				for (int g = 0; g < TT_NLANG; g++) {
					const char *ex = q->explain.s[g];
					const char *mod = g == TT_EN ? "(mod 2^32)" : "（模 2^32）";

					ck_assert_msg(has_number(ex, want), "%s seed %lu: the explanation "
					              "does not show %" PRIu32 ": %s", id, seed, want, ex);
					ck_assert_msg((strstr(ex, mod) != NULL) == (wide > UINT32_MAX),
					              "%s seed %lu: sum %" PRIu64 " %s \"%s\": %s", id, seed,
					              wide, wide > UINT32_MAX ? "wraps but lacks" : "fits but says",
					              mod, ex);
				}
				if (wide > UINT32_MAX)
					wraps++;
				else
					fits++;
				snprintf(ans, sizeof ans, "%" PRIu32, want);
				ck_assert_int_eq(tt_quiz_check(q, ans, norm, sizeof norm, err, sizeof err), 1);
				snprintf(ans, sizeof ans, "%" PRIu32, want - 1);
				ck_assert_int_eq(tt_quiz_check(q, ans, norm, sizeof norm, err, sizeof err), 0);
			} else {
				ck_assert_ptr_null(strstr(q->explain.s[TT_EN], "2^32"));
				ck_assert_int_eq(q->state, want_state);
				ck_assert_int_eq(tt_quiz_check(q, tt_state_name((enum tt_state)want_state), norm,
				                               sizeof norm, err, sizeof err), 1);
			}
			tt_sim_free(sim);
			tt_quiz_question_free(q);
		}
	}
	/* Both kinds of sum were met, or the check above proved nothing. */
	ck_assert_uint_gt(wraps, 0);
	ck_assert_uint_gt(fits, 0);
}
END_TEST

/* Whether a generated question asks a sequence or acknowledgment number
 * (not a window, cwnd, ssthresh or RTO). */
static int
is_sequence_template(const char *id)
{
	static const char *const others[] = { "practice-usable-window", "practice-slow-start",
	                                      "practice-ssthresh-loss", "practice-cwnd-loss",
	                                      "practice-rto" };

	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (strncmp(id, others[i], strlen(others[i])) == 0 && id[strlen(others[i])] == '-')
			return 0;
	return 1;
}

static size_t
template_index(const char *id)
{
	for (size_t t = 0; t < tt_practice_ntemplates(); t++)
		if (strcmp(tt_practice_template_id(t), id) == 0)
			return t;
	ck_abort_msg("no practice template %s", id);
	return 0;
}

/* Fixed seeds, worked out by hand from the numbers in the prompt. */
START_TEST(test_window_congestion_and_rto_practice_by_hand)
{
	static const struct {
		const char *id;
		unsigned long seed;
		const char *prompt_has[4];
		uint32_t answer;
	} cases[] = {
		/* SND.UNA = SND.NXT (nothing in flight), SND.WND 7300, cwnd 10220:
		 * min(7300, 10220) - 0 = 7300 */
		{ "practice-usable-window", 1, { "SND.WND = 7300", "cwnd = 10220", "SND.NXT = 1640889764" },
		  7300 },
		/* SND.NXT 1324 - SND.UNA 4294967160 = 1324 + 136 = 1460 (mod 2^32) in
		 * flight; min(10220, 7300) - 1460 = 5840 */
		{ "practice-usable-window", 16, { "SND.UNA = 4294967160", "SND.NXT = 1324",
		  "SND.WND = 10220", "cwnd = 7300" }, 5840 },
		/* 1072 in flight, cwnd 1072: min(4288, 1072) - 1072 = 0 */
		{ "practice-usable-window", 5, { "SND.UNA = 2273365668", "SND.NXT = 2273366740",
		  "SND.WND = 4288", "cwnd = 1072" }, 0 },
		/* IW 1, 3 round trips, SMSS 1460: 1 x 2^3 x 1460 = 11680 */
		{ "practice-slow-start", 1, { "SMSS = 1460", "initial window of 1 segment",
		  "after 3 round trips" }, 11680 },
		/* IW 2, 2 round trips, SMSS 1000: 2 x 4 x 1000 = 8000 */
		{ "practice-slow-start", 2, { "SMSS = 1000", "2 segments", "after 2 round trips" }, 8000 },
		/* 4 x 1460 sent, the second lost, 2 duplicates, a timeout: FlightSize
		 * 3 x 1460 = 4380; max(2190, 2920) = 2920 */
		{ "practice-ssthresh-loss", 1, { "SMSS = 1460", "sends 4 segments", "timer expires" },
		  2920 },
		/* 8 x 1000, a fast retransmit: FlightSize 7000; max(3500, 2000) = 3500 */
		{ "practice-ssthresh-loss", 2, { "SMSS = 1000", "sends 8 segments", "fast retransmit" },
		  3500 },
		/* the same timeout: cwnd = 1 SMSS */
		{ "practice-cwnd-loss", 1, { "SMSS = 1460", "timer expires" }, 1460 },
		/* 896 then 704: SRTT 896, RTTVAR 448; RTTVAR = 336 + 192/4 = 384,
		 * SRTT = 784 + 88 = 872; RTO = 872 + 4 x 384 = 2408 */
		{ "practice-rto", 1, { "896 ms, 704 ms" }, 2408 },
		/* 320, 256, 192: 320/160; RTTVAR = 120 + 16 = 136, SRTT = 280 + 32 =
		 * 312; RTTVAR = 102 + 30 = 132, SRTT = 273 + 24 = 297; 297 + 528 =
		 * 825, below RTO.min: 1000 */
		{ "practice-rto", 7, { "320 ms, 256 ms, 192 ms" }, 1000 },
		/* 384, 832, 640: 384/192; RTTVAR = 144 + 112 = 256, SRTT = 336 + 104
		 * = 440; RTTVAR = 192 + 50 = 242, SRTT = 385 + 80 = 465; 465 + 968 =
		 * 1433 */
		{ "practice-rto", 2, { "384 ms, 832 ms, 640 ms" }, 1433 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[256];
		struct tt_quiz_question *q = tt_practice_new(template_index(cases[i].id), cases[i].seed, err,
		                                        sizeof err);

		ck_assert_msg(q != NULL, "%s: %s", cases[i].id, err);
		for (int k = 0; k < 4 && cases[i].prompt_has[k] != NULL; k++)
			ck_assert_msg(strstr(q->prompt.s[TT_EN], cases[i].prompt_has[k]) != NULL,
			              "%s seed %lu: prompt lacks '%s': %s", cases[i].id, cases[i].seed,
			              cases[i].prompt_has[k], q->prompt.s[TT_EN]);
		ck_assert_msg(q->answer_num == cases[i].answer, "%s seed %lu: answer %" PRIu32
		              ", by hand %" PRIu32, cases[i].id, cases[i].seed, q->answer_num,
		              cases[i].answer);
		ck_assert(has_number(q->explain.s[TT_EN], cases[i].answer));
		ck_assert(has_number(q->explain.s[TT_ZH], cases[i].answer));
		tt_quiz_question_free(q);
	}
}
END_TEST

/* Consecutive seeds give other questions (not the same numbers again).
 * The teardown's state question has only 12 forms (six points, two hosts)
 * and is left out. */
START_TEST(test_practice_templates_vary_with_the_seed)
{
	for (size_t t = 0; t < tt_practice_ntemplates(); t++) {
		unsigned same = 0;

		if (strcmp(tt_practice_template_id(t), "practice-teardown-state") == 0)
			continue;

		for (unsigned long seed = 1; seed <= 100; seed++) {
			char err[256];
			struct tt_quiz_question *a = tt_practice_new(t, seed, err, sizeof err);
			struct tt_quiz_question *b = tt_practice_new(t, seed + 1, err, sizeof err);

			ck_assert_ptr_nonnull(a);
			ck_assert_ptr_nonnull(b);
			if (strcmp(a->prompt.s[TT_EN], b->prompt.s[TT_EN]) == 0)
				same++;
			tt_quiz_question_free(a);
			tt_quiz_question_free(b);
		}
		ck_assert_msg(same <= 10, "%s: %u of 100 consecutive seeds ask the same question",
		              tt_practice_template_id(t), same);
	}
}
END_TEST

START_TEST(test_generated_questions_repeat_with_the_seed_and_wrap_around)
{
	char err[256];
	int wrapped = 0;

	for (unsigned long seed = 0; seed < 200; seed++) {
		struct tt_quiz_question *a = tt_practice_new((size_t)-1, seed, err, sizeof err);
		struct tt_quiz_question *b = tt_practice_new((size_t)-1, seed, err, sizeof err);

		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(b);
		ck_assert_str_eq(a->scenario, b->scenario);
		ck_assert_str_eq(a->prompt.s[TT_EN], b->prompt.s[TT_EN]);
		ck_assert_uint_eq(a->answer_num, b->answer_num);
		if (a->kind == TT_QUIZ_NUMBER && is_sequence_template(a->id) &&
		    a->answer_num < a->gen.iss[0] && a->answer_num < a->gen.iss[1])
			wrapped = 1;
		tt_quiz_question_free(a);
		tt_quiz_question_free(b);
	}
	ck_assert_msg(wrapped, "no generated question exercised sequence wraparound");
}
END_TEST

static Suite *
quiz_suite(void)
{
	Suite *s = suite_create("quiz");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, test_parser_reads_every_kind);
	tcase_add_test(tc, test_parser_errors_name_file_and_line);
	tcase_add_test(tc, test_failed_parse_leaves_the_bank_as_it_was);
	tcase_add_test(tc, test_parser_survives_binary_garbage);
	suite_add_tcase(s, tc);
	tc = tcase_create("answers");
	tcase_add_test(tc, test_answers_in_every_form);
	tcase_add_test(tc, test_wrong_answer_explanations_match_the_answer_given);
	suite_add_tcase(s, tc);
	tc = tcase_create("progress");
	tcase_add_test(tc, test_right_answers_climb_boxes_and_wrong_ones_fall_to_box_1);
	tcase_add_test(tc, test_progress_text_round_trips);
	tcase_add_test(tc, test_damaged_progress_lines_cost_only_themselves);
	tcase_add_test(tc, test_corrupt_progress_is_moved_aside_and_a_fresh_one_started);
	tcase_add_test(tc, test_progress_file_round_trips_through_save_and_load);
	tcase_add_test(tc, test_a_damaged_line_or_crlf_keeps_every_good_record);
	tcase_add_test(tc, test_two_sittings_at_once_keep_every_answer);
	tcase_add_test(tc, test_a_failed_save_keeps_the_answers_for_the_next_one);
	tcase_add_test(tc, test_a_directory_in_the_way_is_named);
	tcase_add_test(tc, test_stale_temporaries_are_removed_by_the_next_save);
	tcase_add_test(tc, test_lesson_progress_keeps_good_lines_and_merges_two_runs);
	tcase_add_test(tc, test_sitting_asks_due_questions_lowest_box_first_in_seed_order);
	tcase_add_test(tc, test_sitting_with_nothing_due_still_asks_the_topic);
	tcase_add_test(tc, test_seed_order_stays_when_questions_are_added_elsewhere);
	tcase_add_test(tc, test_practice_sittings_of_consecutive_seeds_differ);
	tcase_add_test(tc, test_sitting_saves_progress_after_every_answer);
	suite_add_tcase(s, tc);
	tc = tcase_create("bank");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_bank_has_the_four_classic_questions);
	tcase_add_test(tc, test_bank_has_forty_more_in_every_kind_and_both_languages);
	tcase_add_test(tc, test_every_show_me_opens_an_existing_lesson_step);
	suite_add_tcase(s, tc);
	tc = tcase_create("practice");
	tcase_add_test(tc, test_window_congestion_and_rto_practice_by_hand);
	tcase_add_test(tc, test_practice_templates_vary_with_the_seed);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_generated_answers_match_the_arithmetic_and_the_engine);
	tcase_add_test(tc, test_generated_questions_repeat_with_the_seed_and_wrap_around);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_check_run(quiz_suite());
}
