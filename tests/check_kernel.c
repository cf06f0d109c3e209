/* tests/check_kernel.c: which connections are a followed command's
 * (kn_followed, live -- COMMAND), from records as the tracepoint gives
 * them: a connect() before its port was chosen (Linux enters SYN-SENT
 * before it picks one), a connection's later transitions with the whole
 * 4-tuple, a listen(), and another process's records. No kernel is asked:
 * the records are written into the ring as kernel.c adds them.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tt_check.h"
#include "engine/tcp.h"
#include "kernel/kn.h"

#define MS 1000000LL            /* ns */

static const uint8_t CLIENT[4] = { 127, 0, 0, 1 }, SERVER[4] = { 127, 0, 0, 1 };
static struct kn *k;

static void
setup(void)
{
	k = calloc(1, sizeof *k);
	ck_assert_ptr_nonnull(k);
	k->ring = calloc(KN_RING, sizeof *k->ring);
	ck_assert_ptr_nonnull(k->ring);
	k->pids[k->npids++] = 4242;     /* the command */
}

static void
teardown(void)
{
	free(k->ring);
	free(k);
}

/* A record of task pid at time t: local port ap (0: not chosen yet) to
 * the server's port bp, from state `old` to `new`. */
static void
rec(int pid, int64_t t, uint16_t ap, uint16_t bp, enum tt_state old, enum tt_state new)
{
	struct kn_rec r;

	memset(&r, 0, sizeof r);
	r.t = t;
	r.ipver = 4;
	r.old = (int8_t)old;
	r.new = (int8_t)new;
	r.ap = ap;
	r.bp = bp;
	memcpy(r.a, CLIENT, 4);
	memcpy(r.b, SERVER, 4);
	r.pid = pid;
	kn_add_rec(k, &r);
}

/* Is the stream from the client's port cport to the server's 8080, whose
 * first packet was at `opened`, the command's? */
static int
followed(uint16_t cport, int64_t opened)
{
	return kn_followed(k, 4, CLIENT, cport, SERVER, 8080, opened);
}

/* The command's connect() at 1000 ms, before its port (40002) is chosen. */
START_TEST(test_connect_before_its_port_claims_the_stream_after_it)
{
	rec(4242, 1000 * MS, 0, 8080, TT_CLOSED, TT_SYN_SENT);
	ck_assert(followed(40002, 1000 * MS + 20000));  /* its SYN, 20 us later */
	ck_assert(followed(40002, 1000 * MS - MS));     /* clocks 1 ms apart */
}
END_TEST

/* Another process connected to the same server 15 ms before: not the
 * command's, though the record names no port (what live -- COMMAND once
 * followed as the command's when that stream's rows came out late). */
START_TEST(test_connect_before_its_port_leaves_an_earlier_stream_alone)
{
	rec(4242, 1000 * MS, 0, 8080, TT_CLOSED, TT_SYN_SENT);
	ck_assert(!followed(40001, 985 * MS));
	ck_assert(!followed(40003, 2500 * MS));         /* or one long after */
}
END_TEST

/* The connection's next transition names its port: that decides, at any
 * time, for that port only. */
START_TEST(test_a_record_with_the_port_claims_that_connection_only)
{
	rec(4242, 1000 * MS, 0, 8080, TT_CLOSED, TT_SYN_SENT);
	rec(4242, 1000 * MS + 30000, 40002, 8080, TT_SYN_SENT, TT_ESTABLISHED);
	ck_assert(followed(40002, 900 * MS));
	ck_assert(followed(40002, 5000 * MS));
	ck_assert(!followed(40001, 985 * MS));
}
END_TEST

/* What other tasks do is not the command's; a listen() of the command's
 * claims the connections to its port. */
START_TEST(test_other_tasks_and_a_listen)
{
	rec(777, 1000 * MS, 40001, 8080, TT_SYN_SENT, TT_ESTABLISHED);
	rec(777, 999 * MS, 0, 8080, TT_CLOSED, TT_SYN_SENT);
	ck_assert(!followed(40001, 999 * MS));
	rec(4242, 2000 * MS, 9000, 0, TT_CLOSED, TT_LISTEN);
	ck_assert(kn_followed(k, 4, SERVER, 9000, CLIENT, 51000, 3000 * MS));
	ck_assert(!kn_followed(k, 4, SERVER, 9001, CLIENT, 51000, 3000 * MS));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("follow");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_connect_before_its_port_claims_the_stream_after_it);
	tcase_add_test(tc, test_connect_before_its_port_leaves_an_earlier_stream_alone);
	tcase_add_test(tc, test_a_record_with_the_port_claims_that_connection_only);
	tcase_add_test(tc, test_other_tasks_and_a_listen);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
