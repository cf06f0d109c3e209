/* tests/check_lesson.c: the lesson parser, its answers and the progress file.
 * Answers must come from the engine; errors must be FILE:LINE; the parser
 * must survive any bytes; every bundled lesson narrates every step in both
 * languages. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tt_check.h"
#include "tutor/lesson.h"
#include "tutor/progress.h"

#define HEAD "lesson t\ntitle en T\ntitle zh 测\n"
#define TAIL "summary en S\nsummary zh 结\n"
#define ASK "ask en q\nask zh 问\nwhy en w\nwhy zh 因\n"

static struct tt_lesson *
parse_run(const char *text, char *err, size_t errlen)
{
	struct tt_lesson *l = tt_lesson_parse(text, strlen(text), "t.lesson", err, errlen);

	if (l != NULL && tt_lesson_run(l, NULL, err, errlen) < 0) {
		tt_lesson_free(l);
		return NULL;
	}
	return l;
}

START_TEST(test_handshake_checkpoints_are_answered_by_the_engine)
{
	char err[512] = "";
	struct tt_lesson *l = parse_run(HEAD "listen server\n"
	                             "check state client\n" ASK "connect client\n"
	                             "check state server\n" ASK "deliver\n"
	                             "check flags\n" ASK "deliver\n"
	                             "check ack\n" ASK "deliver\n" TAIL, err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(tt_lesson_nchecks(l), 4);
	ck_assert_str_eq(tt_lesson_check(l, 0)->answer, "SYN-SENT");
	ck_assert_str_eq(tt_lesson_check(l, 1)->answer, "SYN-RECEIVED");
	ck_assert_str_eq(tt_lesson_check(l, 2)->answer, "SYN,ACK");
	ck_assert_str_eq(tt_lesson_check(l, 3)->answer, "1");
	ck_assert_uint_eq(tt_lesson_check(l, 3)->nchoices, 0);
	ck_assert_uint_eq(tt_lesson_check(l, 0)->nchoices, 4);
	ck_assert_str_eq(tt_lesson_check(l, 0)->choices[tt_lesson_check(l, 0)->answer_choice], "SYN-SENT");
	ck_assert(tt_lesson_check_correct(tt_lesson_check(l, 1), " syn_rcvd "));
	ck_assert(tt_lesson_check_correct(tt_lesson_check(l, 2), "syn|ack"));
	ck_assert(!tt_lesson_check_correct(tt_lesson_check(l, 2), "ACK"));
	ck_assert(tt_lesson_check_correct(tt_lesson_check(l, 3), "1\n"));
	ck_assert(tt_lesson_check_before(l, tt_lesson_check(l, 1)->step) == tt_lesson_check(l, 1));
	tt_lesson_free(l);
}
END_TEST

START_TEST(test_narration_joins_lines_per_language)
{
	char err[512] = "";
	struct tt_lesson *l = parse_run(HEAD "say en one\nsay en two\nsay en\nsay en three\n"
	                             "say zh 第一\nsay zh 第二\nlisten server\n" TAIL, err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(tt_lesson_part(l, 0)->say[TT_EN], "one two\nthree");
	ck_assert_str_eq(tt_lesson_part(l, 0)->say[TT_ZH], "第一第二");
	ck_assert_str_eq(tt_lesson_part_of_step(l, 0)->say[TT_ZH], "第一第二");
	tt_lesson_free(l);
}
END_TEST

START_TEST(test_fault_lines_pass_narration_to_the_sending_action)
{
	char err[512] = "";
	struct tt_lesson *l = parse_run(HEAD "listen server\nconnect client\n"
	                             "drop SYN,ACK to client\nsay en lost\nsay zh 丢\n"
	                             "check flags\n" ASK "deliver\n" TAIL, err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(tt_lesson_check(l, 0)->answer, "SYN");
	ck_assert_str_eq(tt_lesson_part_of_step(l, tt_lesson_nsteps(l) - 1)->say[TT_EN], "lost");
	tt_lesson_free(l);
}
END_TEST


START_TEST(test_view_lines_choose_the_panel_of_their_action)
{
	char err[512] = "";
	struct tt_lesson *l = parse_run(HEAD "listen server\nview windows\nconnect client\n"
	                             "drop SYN,ACK to client\nview cwnd\nrun\n" TAIL, err, sizeof err);

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_int_eq(tt_lesson_part(l, 0)->view, TT_LESSON_VIEW_KEEP);
	ck_assert_int_eq(tt_lesson_part(l, 1)->view, TT_LESSON_VIEW_WINDOWS);
	/* carried over the fault line, to the action that sends */
	ck_assert_int_eq(tt_lesson_part_of_step(l, tt_lesson_nsteps(l) - 1)->view, TT_LESSON_VIEW_CWND);
	tt_lesson_free(l);
}
END_TEST

START_TEST(test_scenes_restart_the_hosts_as_new_streams)
{
	char err[512] = "";
	struct tt_lesson *l = parse_run(HEAD "listen server\nconnect client\nrun\nscene\n"
	                             "host client 192.0.2.9 40000 iss=7\nconnect client\n"
	                             "check state client\n" ASK "run\n" TAIL, err, sizeof err);
	size_t n;

	ck_assert_msg(l != NULL, "%s", err);
	n = tt_lesson_nsteps(l);
	ck_assert_uint_eq(tt_lesson_nscenes(l), 2);
	ck_assert_uint_eq(tt_lesson_step_scene(l, n - 1), 1);
	ck_assert_str_eq(tt_lesson_scene_endpoint(l, 1, 0), "192.0.2.9:40000");
	ck_assert_str_eq(tt_lesson_check(l, 0)->answer, "CLOSED");   /* refused: nobody listens */
	tt_lesson_free(l);
}
END_TEST

struct bad {
	const char *text, *msg;
};

START_TEST(test_broken_lessons_report_file_and_line)
{
	static const struct bad bad[] = {
		{ HEAD "sey en x\nlisten server\n" TAIL, "t.lesson:4: unknown keyword 'sey'" },
		{ HEAD "say en x\nlisten server\n" TAIL, "t.lesson:4: say has no Chinese text (say zh)" },
		{ HEAD "listen server\ncheck state server\n" ASK TAIL,
		  "t.lesson:5: checkpoint is not followed by an action" },
		{ HEAD "listen server\ncheck state server\nask en q\nask zh 问\nconnect client\n" TAIL,
		  "t.lesson:5: checkpoint has no reason (why en, why zh)" },
		{ HEAD "listen server\nconnect client\ncheck state server\n" ASK
		  "choices LISTEN | CLOSED\ndeliver\n" TAIL,
		  "t.lesson:11: choices do not include the engine's answer 'SYN-RECEIVED'" },
		{ HEAD "listen server\ncheck seq\n" ASK "connect client\n" TAIL,
		  "t.lesson:5: check seq: the action on line 10 produces no segment" },
		{ HEAD "check state nobody\n", "t.lesson:4: unknown host 'nobody' (client or server)" },
		{ "title en x\n", "t.lesson:1: a lesson starts with 'lesson NAME'" },
		{ HEAD "listen server\n", "t.lesson:4: the lesson has no summary (summary en, summary zh)" },
		{ HEAD "listen server\nsay en a\nsay zh 甲\n" TAIL, "t.lesson:5: narration is not followed by an action" },
		{ HEAD "listen server\nconnect client\ncheck state client\nask en q\n", "t.lesson:6: checkpoint is not followed by an action" },
		{ HEAD "listen server\nconnect client\ncheck state client\nask en q\n" "why en w\nwhy zh 因\ndeliver\n" TAIL,
		  "t.lesson:7: ask has no Chinese text (ask zh)" },
		{ HEAD "view charts\nlisten server\n" TAIL, "t.lesson:4: use: view ladder|windows|cwnd|sequence" },
		{ HEAD "view cwnd\nview windows\nlisten server\n" TAIL, "t.lesson:5: two views before one action" },
		{ HEAD "listen server\nview cwnd\n" TAIL, "t.lesson:5: view is not followed by an action" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[512] = "";
		struct tt_lesson *l = parse_run(bad[i].text, err, sizeof err);

		ck_assert_msg(l == NULL, "case %zu accepted", i);
		ck_assert_str_eq(err, bad[i].msg);
	}
}
END_TEST

START_TEST(test_parser_survives_any_bytes)
{
	static const char *words[] = { "lesson t\n", "title en T\n", "title zh T\n", "say en x\n",
	                               "say zh y\n", "check flags\n", "ask en q\n", "why zh w\n",
	                               "deliver\n", "listen server\n", "connect client\n", "scene\n",
	                               "choices SYN | ACK\n", "\xff", "\0", "#", "\n", "frames 1-2\n",
	                               "summary en s\n", "summary zh s\n", "run\n", "capture x\n" };
	unsigned seed = 12345;
	char buf[2048];

	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		char err[256];
		struct tt_lesson *l;
		int n = (int)(seed % 24);

		for (int k = 0; k < n; k++) {
			const char *w;
			size_t wl;

			seed = seed * 1103515245u + 12345u;
			w = words[(seed >> 8) % (sizeof words / sizeof words[0])];
			wl = w[0] == '\0' ? 1 : strlen(w);
			if (len + wl >= sizeof buf)
				break;
			memcpy(buf + len, w, wl);
			len += wl;
		}
		seed = seed * 1103515245u + 12345u;
		l = tt_lesson_parse(buf, len, "fuzz", err, sizeof err);
		if (l != NULL) {
			(void)tt_lesson_run(l, NULL, err, sizeof err);
			tt_lesson_free(l);
		} else {
			ck_assert_msg(strncmp(err, "fuzz:", 5) == 0, "%s", err);
		}
	}
}
END_TEST

/* Every bundled lesson: runs, every step has narration in both languages,
 * every checkpoint has its texts in both. */
START_TEST(test_bundled_lessons_narrate_every_step_in_both_languages)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%s/lessons", TT_SRCDIR);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		char path[4400], err[1024] = "";
		size_t len = strlen(de->d_name);
		struct tt_lesson *l;

		if (len <= 7 || strcmp(de->d_name + len - 7, ".lesson") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		l = tt_lesson_load(path, err, sizeof err);
		ck_assert_msg(l != NULL, "%s", err);
		ck_assert_msg(tt_lesson_run(l, TT_SRCDIR, err, sizeof err) == 0, "%s", err);
		ck_assert_msg(strncmp(de->d_name, tt_lesson_name(l), strlen(tt_lesson_name(l))) == 0 &&
		              len == strlen(tt_lesson_name(l)) + 7, "%s: lesson name '%s' is not the file stem",
		              de->d_name, tt_lesson_name(l));
		for (size_t i = 0; i < tt_lesson_nsteps(l); i++) {
			const struct tt_lesson_part *pt = tt_lesson_part_of_step(l, i);

			ck_assert_msg(pt != NULL && pt->say[TT_EN] && *pt->say[TT_EN] &&
			              pt->say[TT_ZH] && *pt->say[TT_ZH],
			              "%s: step %zu has no narration in both languages", de->d_name, i);
		}
		ck_assert_msg(tt_lesson_nchecks(l) >= 3, "%s: fewer than three checkpoints", de->d_name);
		for (size_t i = 0; i < tt_lesson_nchecks(l); i++) {
			const struct tt_lesson_check *c = tt_lesson_check(l, i);

			ck_assert(c->ask[TT_EN] && c->ask[TT_ZH] && c->why[TT_EN] && c->why[TT_ZH]);
			ck_assert(c->answer[0] != '\0');
		}
		ck_assert(*tt_lesson_summary(l, TT_EN) && *tt_lesson_summary(l, TT_ZH));
		tt_lesson_free(l);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 6);
}
END_TEST

/* Whether text states `answer`: a state or flags as a word of its own
 * ("PSH,ACK", not inside "SYN,ACK" or "ACKed"); a number as a number of
 * its own, and when it has fewer than three digits only right after a
 * field's name ("seq 1", "ack = 1", "seq 是 1"), where a small number
 * means that field. */
static int
states_answer(const char *text, const char *answer, int number)
{
	size_t n = strlen(answer);

	for (const char *p = text; (p = strstr(p, answer)) != NULL; p++) {
		unsigned char b = p > text ? (unsigned char)p[-1] : ' ', e = (unsigned char)p[n];

		if (number) {
			const char *q = p;

			if ((b >= '0' && b <= '9') || b == '.' || (e >= '0' && e <= '9') ||
			    (e == '.' && p[n + 1] >= '0' && p[n + 1] <= '9'))
				continue;
			if (n >= 3)
				return 1;
			while (q > text && (q[-1] == ' ' || q[-1] == '='))
				q--;
			if (q - text >= 3 && strncmp(q - 3, "是", 3) == 0)
				for (q -= 3; q > text && q[-1] == ' '; q--)
					;
			if (q - text >= 3 && (strncmp(q - 3, "seq", 3) == 0 || strncmp(q - 3, "ack", 3) == 0 ||
			                      strncmp(q - 3, "len", 3) == 0))
				return 1;
			continue;
		}
		if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == ',' || b == '-' ||
		    (e >= 'A' && e <= 'Z') || (e >= 'a' && e <= 'z') || e == ',' || e == '-')
			continue;
		return 1;
	}
	return 0;
}

/* Checkpoints test what was taught, not what was just read: neither the
 * narration on screen right before a question (that of the step before it)
 * nor the reason given for the checkpoint of that step states the answer,
 * unless the answer is a state one of the hosts is in already (then it is
 * the question's premise). */
START_TEST(test_bundled_checkpoints_are_not_answered_by_the_narration_before_them)
{
	char dir[4096], bad[4096];
	size_t at = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/lessons", TT_SRCDIR);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		char path[4400], err[1024] = "";
		size_t len = strlen(de->d_name);
		struct tt_lesson *l;

		if (len <= 7 || strcmp(de->d_name + len - 7, ".lesson") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		l = tt_lesson_load(path, err, sizeof err);
		ck_assert_msg(l != NULL && tt_lesson_run(l, TT_SRCDIR, err, sizeof err) == 0, "%s", err);
		for (size_t k = 0; k < tt_lesson_nchecks(l); k++) {
			const struct tt_lesson_check *c = tt_lesson_check(l, k);
			const struct tt_step *before = tt_lesson_steps(l) + c->step - 1;
			const struct tt_lesson_check *prev;
			const struct tt_lesson_part *pt;

			if (c->step == 0)
				continue;
			pt = tt_lesson_part_of_step(l, c->step - 1);
			if (c->kind == TT_LESSON_CHECK_STATE &&
			    (strcmp(c->answer, tt_state_name(before->tcb[0].state)) == 0 ||
			     strcmp(c->answer, tt_state_name(before->tcb[1].state)) == 0))
				continue;
			prev = tt_lesson_check_before(l, c->step - 1);
			for (int g = 0; g < TT_NLANG; g++) {
				if (states_answer(pt->say[g], c->answer, c->nchoices == 0) && at < sizeof bad)
					at += (size_t)snprintf(bad + at, sizeof bad - at,
					                       "\n%s:%u: the narration before this checkpoint "
					                       "(line %u, %s) states its answer '%s'", de->d_name,
					                       c->line, pt->line, g ? "zh" : "en", c->answer);
				if (prev != NULL && states_answer(prev->why[g], c->answer, c->nchoices == 0) &&
				    at < sizeof bad)
					at += (size_t)snprintf(bad + at, sizeof bad - at,
					                       "\n%s:%u: the reason of the checkpoint before it "
					                       "(line %u, %s) states its answer '%s'", de->d_name,
					                       c->line, prev->line, g ? "zh" : "en", c->answer);
			}
		}
		tt_lesson_free(l);
	}
	closedir(d);
	ck_assert_msg(at == 0, "%s", bad);
}
END_TEST

START_TEST(test_progress_survives_runs_and_corruption)
{
	char dir[] = "/tmp/tt-progress-XXXXXX", path[256], warn[512], err[256];
	struct tt_lesson_progress *p;
	struct tt_lesson_progress_record r;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_str_eq(warn, "");
	ck_assert_int_eq(tt_lesson_progress_finish(p, "handshake", 3, 5), 0);
	ck_assert_int_eq(tt_lesson_progress_finish(p, "handshake", 5, 5), 0);
	ck_assert_int_eq(tt_lesson_progress_finish(p, "data", 1, 3), 0);
	ck_assert_int_eq(tt_lesson_progress_save(p, err, sizeof err), 0);
	tt_lesson_progress_free(p);

	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_str_eq(warn, "");
	ck_assert(tt_lesson_progress_get(p, "handshake", &r));
	ck_assert_uint_eq(r.finished, 2);
	ck_assert_uint_eq(r.best, 5);
	ck_assert_uint_eq(r.of, 5);
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 2);
	tt_lesson_progress_free(p);

	snprintf(path, sizeof path, "%s/progress", dir);
	f = fopen(path, "w");
	/* one damaged line: skipped with a warning, every other record kept */
	fputs("tcptutor-progress 1\r\nlesson handshake finished=x\r\n"
	      "lesson data finished=1 best=1 last=1 of=3\r\n", f);
	fclose(f);
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, "damaged") != NULL, "%s", warn);
	ck_assert(!tt_lesson_progress_get(p, "handshake", &r));
	ck_assert(tt_lesson_progress_get(p, "data", &r));
	ck_assert_uint_eq(r.of, 3);
	tt_lesson_progress_free(p);
	/* nothing of ours in it: moved aside, fresh progress */
	f = fopen(path, "w");
	fputs("not a progress file\n", f);
	fclose(f);
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, "corrupt") != NULL, "%s", warn);
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 0);
	tt_lesson_progress_free(p);
	snprintf(path, sizeof path, "%s/progress.corrupt-1", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	unlink(path);
	snprintf(path, sizeof path, "%s/progress", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/progress.lock", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
lesson_suite(void)
{
	Suite *s = suite_create("lesson");
	TCase *tc = tcase_create("lesson");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_handshake_checkpoints_are_answered_by_the_engine);
	tcase_add_test(tc, test_narration_joins_lines_per_language);
	tcase_add_test(tc, test_fault_lines_pass_narration_to_the_sending_action);
	tcase_add_test(tc, test_view_lines_choose_the_panel_of_their_action);
	tcase_add_test(tc, test_scenes_restart_the_hosts_as_new_streams);
	tcase_add_test(tc, test_broken_lessons_report_file_and_line);
	tcase_add_test(tc, test_parser_survives_any_bytes);
	tcase_add_test(tc, test_bundled_lessons_narrate_every_step_in_both_languages);
	tcase_add_test(tc, test_bundled_checkpoints_are_not_answered_by_the_narration_before_them);
	tcase_add_test(tc, test_progress_survives_runs_and_corruption);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_check_run(lesson_suite());
}
