/* tests/check_store.c: the learner's lesson progress file through
 * tutor/progress.h and tutor/store.h alone: what is saved is read back, a
 * damaged file keeps its good lines and says which it skipped, a file with
 * nothing of ours is moved aside, and a folder that cannot be written
 * fails the save with the reason while the runs wait for the next one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tt_check.h"
#include "base/base.h"
#include "tutor/progress.h"
#include "tutor/store.h"

static char dir[64];
static char path[128];          /* DIR/progress */
static char warn[1024], err[1024];

static void
setup(void)
{
	strcpy(dir, "/tmp/check_store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/progress", dir);
}

static void
teardown(void)
{
	char cmd[200];

	chmod(dir, 0700);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *text)
{
	char e[256];

	ck_assert_msg(tt_store_write(path, text, strlen(text), e, sizeof e) == 0, "%s", e);
}

/* The file's text now (freed by the caller). */
static char *
file_text(void)
{
	size_t len;

	return tt_read_file(path, 1 << 20, &len);
}

#define RECORD_IS(p, name, f, b, l, o)                                         \
	do {                                                                   \
		struct tt_lesson_progress_record r_;                                       \
		ck_assert_int_eq(tt_lesson_progress_get((p), (name), &r_), 1);    \
		ck_assert_uint_eq(r_.finished, (f));                           \
		ck_assert_uint_eq(r_.best, (b));                               \
		ck_assert_uint_eq(r_.last, (l));                               \
		ck_assert_uint_eq(r_.of, (o));                                 \
	} while (0)

START_TEST(test_missing_file_is_a_fresh_start)
{
	struct tt_lesson_progress *p = tt_lesson_progress_load(dir, warn, sizeof warn);
	struct tt_lesson_progress_record r;

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 0);
	ck_assert_int_eq(tt_lesson_progress_get(p, "handshake", &r), 0);
	ck_assert_uint_eq(r.finished, 0);
	tt_lesson_progress_free(p);
}
END_TEST

START_TEST(test_saved_runs_are_read_back)
{
	struct tt_lesson_progress *p = tt_lesson_progress_load(dir, warn, sizeof warn);
	char *text;

	ck_assert_int_eq(tt_lesson_progress_finish(p, "handshake", 2, 3), 0);
	ck_assert_int_eq(tt_lesson_progress_finish(p, "handshake", 3, 3), 0);
	ck_assert_int_eq(tt_lesson_progress_finish(p, "handshake", 1, 3), 0);
	ck_assert_int_eq(tt_lesson_progress_finish(p, "errors", 0, 4), 0);
	ck_assert_msg(tt_lesson_progress_save(p, err, sizeof err) == 0, "%s", err);
	tt_lesson_progress_free(p);

	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_str_eq(warn, "");
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 2);
	RECORD_IS(p, "handshake", 3, 3, 1, 3);  /* best of three, the latest last */
	RECORD_IS(p, "errors", 1, 0, 0, 4);
	tt_lesson_progress_free(p);
	text = file_text();
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_eq(strstr(text, "tcptutor-progress 1\n"), text);
	ck_assert_ptr_nonnull(strstr(text, "lesson handshake finished=3 best=3 last=1 of=3\n"));
	ck_assert_ptr_nonnull(strstr(text, "lesson errors finished=1 best=0 last=0 of=4\n"));
	free(text);
}
END_TEST

/* Two learners' sittings saving one after the other: the second adds to
 * what the first saved, it does not overwrite it. */
START_TEST(test_a_save_adds_to_what_another_saved)
{
	struct tt_lesson_progress *a = tt_lesson_progress_load(dir, warn, sizeof warn);
	struct tt_lesson_progress *b = tt_lesson_progress_load(dir, warn, sizeof warn);

	tt_lesson_progress_finish(a, "handshake", 1, 3);
	tt_lesson_progress_finish(b, "handshake", 3, 3);
	tt_lesson_progress_finish(b, "close", 2, 2);
	ck_assert_msg(tt_lesson_progress_save(a, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(tt_lesson_progress_save(b, err, sizeof err) == 0, "%s", err);
	tt_lesson_progress_free(a);
	tt_lesson_progress_free(b);
	a = tt_lesson_progress_load(dir, warn, sizeof warn);
	RECORD_IS(a, "handshake", 2, 3, 3, 3);
	RECORD_IS(a, "close", 1, 2, 2, 2);
	tt_lesson_progress_free(a);
}
END_TEST

START_TEST(test_damaged_lines_are_skipped_and_named)
{
	struct tt_lesson_progress *p;
	char want[512];

	put("tcptutor-progress 1\r\n"
	    "lesson handshake finished=2 best=3 last=1 of=3\r\n"
	    "lesson errors finished=x best=1 last=1 of=3\n"          /* line 3: not a number */
	    "lesson close finished=1 best=9 last=1 of=3\n"           /* line 4: best > of */
	    "lesson window finished=1 best=2 last=2 of=2\n");
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_ptr_nonnull(p);
	snprintf(want, sizeof want, "%s:3: 2 damaged lines skipped; every other record kept", path);
	ck_assert_str_eq(warn, want);
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 2);
	RECORD_IS(p, "handshake", 2, 3, 1, 3);
	RECORD_IS(p, "window", 1, 2, 2, 2);
	tt_lesson_progress_free(p);
}
END_TEST

START_TEST(test_a_file_of_someone_else_is_moved_aside)
{
	struct tt_lesson_progress *p;
	char want[512], aside[200];
	struct stat st;

	put("this is not a progress file\n");
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_ptr_nonnull(p);
	snprintf(aside, sizeof aside, "%s.corrupt-1", path);
	snprintf(want, sizeof want, "%s: corrupt progress file moved to %s; starting afresh",
	         path, aside);
	ck_assert_str_eq(warn, want);
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 0);
	ck_assert_int_eq(stat(aside, &st), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	tt_lesson_progress_free(p);
}
END_TEST

START_TEST(test_a_directory_in_its_place_is_said)
{
	struct tt_lesson_progress *p;
	char want[512];

	ck_assert_int_eq(mkdir(path, 0700), 0);
	p = tt_lesson_progress_load(dir, warn, sizeof warn);
	ck_assert_ptr_nonnull(p);
	snprintf(want, sizeof want, "%s is a directory, not a file", path);
	ck_assert_str_eq(warn, want);
	ck_assert_uint_eq(tt_lesson_progress_nfinished(p), 0);
	tt_lesson_progress_free(p);
}
END_TEST

/* A folder that cannot hold the file: the save fails saying where, and the
 * runs stay to be saved once it can. A path below a regular file fails for
 * root too; a read-only folder only for others. */
START_TEST(test_an_unwritable_folder_fails_the_save_and_keeps_the_runs)
{
	struct tt_lesson_progress *p;
	char below[128], want[256];
	FILE *f;

	snprintf(below, sizeof below, "%s/file", dir);
	f = fopen(below, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	p = tt_lesson_progress_load(below, warn, sizeof warn);     /* FILE/progress */
	ck_assert_ptr_nonnull(p);
	tt_lesson_progress_finish(p, "handshake", 2, 3);
	err[0] = '\0';
	ck_assert_int_eq(tt_lesson_progress_save(p, err, sizeof err), -1);
	/* "DIR/file/progress.lock: Not a directory": the file and the reason */
	snprintf(want, sizeof want, "%s/progress.lock: ", below);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0 && err[strlen(want)] != '\0',
	              "err: %s", err);
	/* the run waited: once the folder is there, the next save writes it */
	ck_assert_int_eq(unlink(below), 0);
	ck_assert_int_eq(mkdir(below, 0700), 0);
	ck_assert_msg(tt_lesson_progress_save(p, err, sizeof err) == 0, "%s", err);
	tt_lesson_progress_free(p);
	p = tt_lesson_progress_load(below, warn, sizeof warn);
	RECORD_IS(p, "handshake", 1, 2, 2, 3);
	tt_lesson_progress_free(p);

	if (geteuid() != 0) {
		p = tt_lesson_progress_load(dir, warn, sizeof warn);
		tt_lesson_progress_finish(p, "handshake", 2, 3);
		ck_assert_int_eq(chmod(dir, 0500), 0);
		ck_assert_int_eq(tt_lesson_progress_save(p, err, sizeof err), -1);
		ck_assert_ptr_nonnull(strstr(err, dir));
		ck_assert_int_eq(chmod(dir, 0700), 0);
		ck_assert_msg(tt_lesson_progress_save(p, err, sizeof err) == 0, "%s", err);
		tt_lesson_progress_free(p);
		p = tt_lesson_progress_load(dir, warn, sizeof warn);
		RECORD_IS(p, "handshake", 1, 2, 2, 3);
		tt_lesson_progress_free(p);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("lesson-progress");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_file_is_a_fresh_start);
	tcase_add_test(tc, test_saved_runs_are_read_back);
	tcase_add_test(tc, test_a_save_adds_to_what_another_saved);
	tcase_add_test(tc, test_damaged_lines_are_skipped_and_named);
	tcase_add_test(tc, test_a_file_of_someone_else_is_moved_aside);
	tcase_add_test(tc, test_a_directory_in_its_place_is_said);
	tcase_add_test(tc, test_an_unwritable_folder_fails_the_save_and_keeps_the_runs);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
