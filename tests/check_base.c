/* tests/check_base.c: base/'s helpers through base/base.h alone: growing an
 * array (and refusing a size that would overflow), reading a whole file
 * (missing, empty, past the limit, larger than one read), and the display
 * width of UTF-8 text (ASCII, CJK, invalid bytes).
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tt_check.h"
#include "base/base.h"
#include "base/pipe.h"

/* ---- tt_grow / TT_GROW -------------------------------------------------- */

START_TEST(test_grow_starts_at_first_and_doubles)
{
	int *a = NULL;
	size_t cap = 0;

	ck_assert_int_eq(tt_grow(&a, &cap, 1, sizeof *a, 4), 0);
	ck_assert_uint_eq(cap, 4);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(tt_grow(&a, &cap, 4, sizeof *a, 4), 0);
	ck_assert_uint_eq(cap, 4);              /* room enough: unchanged */
	ck_assert_int_eq(tt_grow(&a, &cap, 5, sizeof *a, 4), 0);
	ck_assert_uint_eq(cap, 8);
	ck_assert_int_eq(tt_grow(&a, &cap, 100, sizeof *a, 4), 0);
	ck_assert_uint_eq(cap, 128);
	a[127] = 7;                             /* all of it is ours */
	free(a);
}
END_TEST

START_TEST(test_grow_without_a_first_size_starts_at_sixteen)
{
	char *p = NULL;
	size_t cap = 0;

	ck_assert_int_eq(tt_grow(&p, &cap, 1, 1, 0), 0);
	ck_assert_uint_eq(cap, 16);
	free(p);
}
END_TEST

START_TEST(test_grow_keeps_the_contents)
{
	int *a = NULL;
	size_t n = 0, cap = 0;

	for (int i = 0; i < 1000; i++) {
		ck_assert_int_eq(TT_GROW(a, n, cap, 8), 0);
		a[n++] = i;
	}
	ck_assert_uint_ge(cap, 1000);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(a[i], i);
	free(a);
}
END_TEST

START_TEST(test_grow_refuses_an_overflowing_size_and_keeps_the_array)
{
	uint64_t *a = NULL, *was;
	size_t cap = 0, n = SIZE_MAX / 2 + 1;

	ck_assert_int_eq(tt_grow(&a, &cap, 3, sizeof *a, 4), 0);
	was = a;
	/* the count itself would overflow as it doubles */
	ck_assert_int_eq(tt_grow(&a, &cap, SIZE_MAX, sizeof *a, 4), -1);
	ck_assert_ptr_eq(a, was);
	ck_assert_uint_eq(cap, 4);
	/* the count fits, its bytes do not */
	ck_assert_int_eq(tt_grow(&a, &cap, SIZE_MAX / 4, sizeof *a, 4), -1);
	ck_assert_ptr_eq(a, was);
	ck_assert_uint_eq(cap, 4);
	/* TT_GROW says the same */
	ck_assert_int_eq(TT_GROW(a, n, cap, 4), -1);
	ck_assert_ptr_eq(a, was);
	ck_assert_uint_eq(cap, 4);
	free(a);
}
END_TEST

/* ---- tt_read_file / tt_read_stream -------------------------------------- */

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/check_base.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Writes n bytes of `c` to DIR/name; returns the path (static). */
static const char *
put_file(const char *name, int c, size_t n)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fputc(c, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static void
remove_dir(const char *name)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	rmdir(dir);
}

START_TEST(test_read_file_missing_is_null_with_enoent)
{
	char path[128];
	size_t len = 99;

	make_dir();
	snprintf(path, sizeof path, "%s/none", dir);
	errno = 0;
	ck_assert_ptr_null(tt_read_file(path, 1024, &len));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(len, 99);             /* untouched */
	rmdir(dir);
}
END_TEST

START_TEST(test_read_file_empty_is_an_empty_string)
{
	size_t len = 99;
	char *s;

	make_dir();
	s = tt_read_file(put_file("empty", 'x', 0), 1024, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(s, "");
	free(s);
	remove_dir("empty");
}
END_TEST

START_TEST(test_read_file_past_the_limit_is_efbig)
{
	const char *path;
	size_t len = 0;
	char *s;

	make_dir();
	path = put_file("ten", 'a', 10);
	errno = 0;
	ck_assert_ptr_null(tt_read_file(path, 9, &len));
	ck_assert_int_eq(errno, EFBIG);
	s = tt_read_file(path, 10, &len);       /* exactly the limit is fine */
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(s, "aaaaaaaaaa");
	free(s);
	/* a large file stops early, without reading it all */
	path = put_file("big", 'b', 1 << 20);
	errno = 0;
	ck_assert_ptr_null(tt_read_file(path, 5000, &len));
	ck_assert_int_eq(errno, EFBIG);
	unlink(path);
	remove_dir("ten");
}
END_TEST

START_TEST(test_read_file_larger_than_one_read_is_whole)
{
	size_t len = 0, n = 100000;
	char *s;

	make_dir();
	s = tt_read_file(put_file("large", 'z', n), 1 << 20, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, n);
	ck_assert_uint_eq(strlen(s), n);
	ck_assert_int_eq(s[0], 'z');
	ck_assert_int_eq(s[n - 1], 'z');
	free(s);
	remove_dir("large");
}
END_TEST

START_TEST(test_read_stream_keeps_nul_bytes_and_counts_them)
{
	FILE *f = tmpfile();
	size_t len = 0;
	char *s;

	ck_assert_ptr_nonnull(f);
	fwrite("a\0b\n", 1, 4, f);
	rewind(f);
	s = tt_read_stream(f, 64, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(memcmp(s, "a\0b\n", 5), 0);    /* and the NUL after them */
	free(s);
	fclose(f);
}
END_TEST

/* ---- tt_text_width ------------------------------------------------------ */

static void
utf8_locale(void)
{
	ck_assert_msg(setlocale(LC_CTYPE, "C.UTF-8") != NULL ||
	              setlocale(LC_CTYPE, "en_US.UTF-8") != NULL,
	              "no UTF-8 locale (C.UTF-8 or en_US.UTF-8) to measure text in");
}

START_TEST(test_width_of_ascii_is_its_length)
{
	utf8_locale();
	ck_assert_int_eq(tt_text_width(""), 0);
	ck_assert_int_eq(tt_text_width("SYN-RECEIVED"), 12);
	ck_assert_int_eq(tt_text_nwidth("SYN-RECEIVED", 3), 3);
}
END_TEST

START_TEST(test_width_of_cjk_is_two_a_character)
{
	utf8_locale();
	ck_assert_int_eq(tt_text_width("三次握手"), 8);
	ck_assert_int_eq(tt_text_width("TCP 三次握手"), 12);
	/* the first n bytes: one whole character of three bytes, then a cut one */
	ck_assert_int_eq(tt_text_nwidth("三次", 3), 2);
	ck_assert_int_eq(tt_text_nwidth("三次", 4), 3);
}
END_TEST

START_TEST(test_width_counts_an_invalid_byte_as_one)
{
	utf8_locale();
	ck_assert_int_eq(tt_text_width("\xff\xfe"), 2);
	ck_assert_int_eq(tt_text_width("a\xe4\xb8"), 3);        /* a cut sequence */
	ck_assert_int_eq(tt_text_width("\xc3(ok"), 4);          /* bad, then ASCII again */
	ck_assert_int_eq(tt_text_width("\xff三"), 3);           /* and CJK again */
}
END_TEST

START_TEST(test_fmt_secs_writes_six_decimals)
{
	char buf[32];

	ck_assert_str_eq(tt_fmt_secs(0, buf, sizeof buf), "0.000000");
	ck_assert_str_eq(tt_fmt_secs(1500001, buf, sizeof buf), "1.500001");
	ck_assert_str_eq(tt_fmt_secs(-250000, buf, sizeof buf), "-0.250000");
	ck_assert_str_eq(tt_fmt_secs(INT64_MAX, buf, sizeof buf), "9223372036854.775807");
	ck_assert_str_eq(tt_fmt_secs(INT64_MIN, buf, sizeof buf), "-9223372036854.775808");
}
END_TEST

START_TEST(test_fmt_decimal_writes_every_digit)
{
	char buf[TT_DECIMAL];

	ck_assert_str_eq(tt_fmt_decimal(buf, 0), "0");
	ck_assert_str_eq(tt_fmt_decimal(buf, 19999), "19999");
	ck_assert_str_eq(tt_fmt_decimal(buf, UINT64_MAX), "18446744073709551615");
}
END_TEST

/* ---- pipe ---------------------------------------------------------------- */

struct feed {
	struct tt_pipe *p;
	unsigned n;             /* numbers to send, 1..n */
	unsigned publish_every; /* hand over a part-filled block now and then */
	unsigned sent;          /* how many went in before a stop */
	unsigned late_ms;       /* a pause first: mostly, the consumer is asleep by then */
};

static void *
producer(void *arg)
{
	struct feed *f = arg;
	struct timespec pause = { 0, (long)f->late_ms * 1000 * 1000 };

	if (f->late_ms > 0)
		nanosleep(&pause, NULL);
	for (unsigned i = 1; i <= f->n; i++) {
		unsigned *slot = tt_pipe_slot(f->p);

		if (slot == NULL)
			return NULL;    /* stopped */
		*slot = i;
		tt_pipe_push(f->p);
		f->sent = i;
		if (f->publish_every && i % f->publish_every == 0)
			tt_pipe_publish(f->p);
	}
	tt_pipe_publish(f->p);
	return NULL;
}

/* A thread's numbers come out in order and whole, across full blocks,
 * blocks handed over part-filled and the ring's wrapping around (a
 * hand-over a slot wakes the other thread each time: fewer of those, so
 * that a busy machine's slow wake-ups keep it short). */
/* The producer of f runs in its thread; this one takes 1..f->n in order. */
static void
take_in_order(struct feed *f)
{
	const unsigned *got;

	ck_assert_ptr_nonnull(f->p);
	ck_assert_int_eq(tt_pipe_run(f->p, producer, f), 0);
	for (unsigned want = 1; want <= f->n; want++) {
		ck_assert_ptr_nonnull(got = tt_pipe_next(f->p));
		ck_assert_uint_eq(*got, want);
	}
	tt_pipe_free(f->p);
}

START_TEST(test_pipe_hands_every_slot_over_in_order)
{
	const unsigned every[] = { 0, 1, 7, 64 };

	for (size_t k = 0; k < sizeof every / sizeof every[0]; k++) {
		struct feed f = { tt_pipe_new(sizeof(unsigned), 16, 4), every[k] == 1 ? 2000 : 10000,
		                  every[k], 0, 0 };

		take_in_order(&f);
	}
}
END_TEST

/* A producer that fills the ring while nobody takes is stopped by free. */
START_TEST(test_pipe_free_stops_a_producer_waiting_for_room)
{
	struct feed f = { tt_pipe_new(sizeof(unsigned), 4, 2), 1000000, 0, 0, 0 };

	ck_assert_ptr_nonnull(f.p);
	ck_assert_int_eq(tt_pipe_run(f.p, producer, &f), 0);
	ck_assert_ptr_nonnull(tt_pipe_next(f.p));
	tt_pipe_free(f.p);
	ck_assert_uint_lt(f.sent, 1000000);
	ck_assert_ptr_null(tt_pipe_new(0, 4, 2));
	ck_assert_ptr_null(tt_pipe_new(4, 4, 1));
}
END_TEST

/* The producer's last slot fills its block exactly, then it publishes:
 * the consumer, asleep on an empty pipe since before, gets the block
 * (the block is less than half the ring, so only the publish wakes it). */
START_TEST(test_pipe_publish_wakes_a_consumer_after_a_full_last_block)
{
	struct feed f = { tt_pipe_new(sizeof(unsigned), 8, 4), 8, 0, 0, 100 };

	take_in_order(&f);
}
END_TEST

/* The non-waiting calls: nothing before a hand-over, no slot while the
 * ring is full, and what a hand-over gives, in order. */
START_TEST(test_pipe_try_takes_only_what_was_handed_over)
{
	struct tt_pipe *p = tt_pipe_new(sizeof(unsigned), 4, 2);
	const unsigned *got;
	unsigned *slot;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(tt_pipe_try_next(p));
	ck_assert_ptr_nonnull(slot = tt_pipe_try_slot(p));
	*slot = 1;
	tt_pipe_push(p);
	ck_assert_ptr_null(tt_pipe_try_next(p));       /* still the producer's */
	tt_pipe_publish(p);
	ck_assert_ptr_nonnull(got = tt_pipe_try_next(p));
	ck_assert_uint_eq(*got, 1);
	/* the consumer holds that block; the other one fills */
	for (unsigned i = 2; i <= 5; i++) {
		ck_assert_ptr_nonnull(slot = tt_pipe_try_slot(p));
		*slot = i;
		tt_pipe_push(p);
	}
	ck_assert_ptr_null(tt_pipe_try_slot(p));        /* full */
	for (unsigned want = 2; want <= 5; want++) {
		ck_assert_ptr_nonnull(got = tt_pipe_try_next(p));
		ck_assert_uint_eq(*got, want);
	}
	ck_assert_ptr_nonnull(tt_pipe_try_slot(p));     /* the first block came back */
	ck_assert_ptr_null(tt_pipe_try_next(p));
	tt_pipe_free(p);
}
END_TEST

/* Two pipes in a loop, each with room for a few slots: this thread feeds
 * numbers to an echoing thread through one and takes them back through
 * the other. Waiting for room with tt_pipe_slot alone, the two would wait
 * for each other for ever once both rings are full; taking the echoes
 * meanwhile, every number comes back, in order. */
struct echo {
	struct tt_pipe *to, *from;
	unsigned next;          /* the next number wanted back */
};

static void *
echo_main(void *arg)
{
	struct echo *e = arg;
	const unsigned *in;
	unsigned *out;

	while ((in = tt_pipe_next(e->to)) != NULL) {
		unsigned v = *in;

		if ((out = tt_pipe_slot(e->from)) == NULL)
			return NULL;
		*out = v;
		tt_pipe_push(e->from);
		tt_pipe_publish(e->from);
		if (v == 0)
			break;          /* the end */
	}
	return NULL;
}

static void
take_echoes(void *arg)
{
	struct echo *e = arg;
	const unsigned *got;

	while ((got = tt_pipe_try_next(e->from)) != NULL) {
		ck_assert_uint_eq(*got, e->next);
		e->next++;
	}
}

START_TEST(test_pipe_slot_meanwhile_takes_while_it_waits)
{
	struct echo e = { tt_pipe_new(sizeof(unsigned), 2, 2), tt_pipe_new(sizeof(unsigned), 2, 2), 1 };
	const unsigned n = 20000;
	const unsigned *got;
	unsigned *slot;

	ck_assert_ptr_nonnull(e.to);
	ck_assert_ptr_nonnull(e.from);
	ck_assert_int_eq(tt_pipe_run(e.to, echo_main, &e), 0);
	for (unsigned i = 1; i <= n + 1; i++) {
		ck_assert_ptr_nonnull(slot = tt_pipe_slot_meanwhile(e.to, take_echoes, &e));
		*slot = i <= n ? i : 0;
		tt_pipe_push(e.to);
	}
	tt_pipe_publish(e.to);
	while ((got = tt_pipe_next(e.from)) != NULL && *got != 0) {
		ck_assert_uint_eq(*got, e.next);
		e.next++;
	}
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(e.next, n + 1);
	tt_pipe_free(e.to);
	tt_pipe_free(e.from);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("base");
	TCase *grow = tcase_create("grow"), *read = tcase_create("read"),
	      *width = tcase_create("width"), *pipe = tcase_create("pipe");

	tcase_add_test(grow, test_grow_starts_at_first_and_doubles);
	tcase_add_test(grow, test_grow_without_a_first_size_starts_at_sixteen);
	tcase_add_test(grow, test_grow_keeps_the_contents);
	tcase_add_test(grow, test_grow_refuses_an_overflowing_size_and_keeps_the_array);
	tcase_add_test(read, test_read_file_missing_is_null_with_enoent);
	tcase_add_test(read, test_read_file_empty_is_an_empty_string);
	tcase_add_test(read, test_read_file_past_the_limit_is_efbig);
	tcase_add_test(read, test_read_file_larger_than_one_read_is_whole);
	tcase_add_test(read, test_read_stream_keeps_nul_bytes_and_counts_them);
	tcase_add_test(width, test_width_of_ascii_is_its_length);
	tcase_add_test(width, test_width_of_cjk_is_two_a_character);
	tcase_add_test(width, test_width_counts_an_invalid_byte_as_one);
	tcase_add_test(width, test_fmt_secs_writes_six_decimals);
	tcase_add_test(width, test_fmt_decimal_writes_every_digit);
	suite_add_tcase(s, grow);
	suite_add_tcase(s, read);
	tcase_add_test(pipe, test_pipe_hands_every_slot_over_in_order);
	tcase_add_test(pipe, test_pipe_free_stops_a_producer_waiting_for_room);
	tcase_add_test(pipe, test_pipe_publish_wakes_a_consumer_after_a_full_last_block);
	tcase_add_test(pipe, test_pipe_try_takes_only_what_was_handed_over);
	tcase_add_test(pipe, test_pipe_slot_meanwhile_takes_while_it_waits);
	suite_add_tcase(s, width);
	tcase_set_timeout(pipe, 120);  /* threads on a busy machine: a hang guard only */
	suite_add_tcase(s, pipe);
	return tt_check_run(s);
}
