/* tests/check_sim.c: the simulated wire, the scenario reader and the
 * bundled scenarios, plus seeded random scenarios checked for invariants. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tt_check.h"
#include "sim/internal.h"
#include "sim/sim.h"
#include "trace/session.h"

static char err[512];

static struct tt_sim *
run_text(const char *text)
{
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "test", err, sizeof err);
	struct tt_sim *s;

	ck_assert_msg(sc != NULL, "parse: %s", err);
	s = tt_scenario_run(sc, NULL, err, sizeof err);
	ck_assert_msg(s != NULL, "run: %s", err);
	tt_scenario_free(sc);
	return s;
}

static struct tt_sim *
run_file(const char *name)
{
	char path[1024];
	static char buf[65536];
	const char *dir = getenv("TCPTUTOR_DATADIR");
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "%s/lessons/scenarios/%s.scenario", dir ? dir : ".", name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return run_text(buf);
}

/* The sequence of distinct states host h passed through, as one string. */
static const char *
path_of(const struct tt_sim *s, int h)
{
	static char buf[512];
	int last = -1;

	buf[0] = '\0';
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned k = 0; k < st->nev; k++) {
			const struct tt_event *ev = &st->ev[k].ev;

			if (st->ev[k].host != h || ev->from == ev->to)
				continue;
			if (last == -1) {
				strcat(buf, tt_state_name(ev->from));
				last = (int)ev->from;
			}
			if ((int)ev->to != last) {
				strcat(buf, " ");
				strcat(buf, tt_state_name(ev->to));
				last = (int)ev->to;
			}
		}
	}
	return buf;
}

static unsigned
count_segments(const struct tt_sim *s, unsigned flags, unsigned notes)
{
	unsigned n = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && (st->seg.flags & 0xff) == flags &&
		    (st->notes & notes) == notes)
			n++;
	}
	return n;
}

/* ---- the scenario reader ------------------------------------------------ */

static void
expect_parse_error(const char *text, const char *want)
{
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "x.scenario", err, sizeof err);

	ck_assert_msg(sc == NULL, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
}

START_TEST(test_scenario_errors_name_file_and_line)
{
	expect_parse_error("listen server\nfrobnicate\n", "x.scenario:2: unknown keyword 'frobnicate'");
	expect_parse_error("listen mars\n", "x.scenario:1: unknown host 'mars'");
	expect_parse_error("# c\n\nsend client\n", "x.scenario:3:");
	expect_parse_error("advance soon\n", "needs a number of seconds");
	expect_parse_error("drop SYN,BOGUS\n", "not a flag list");
	expect_parse_error("listen server\nset both msl 30\n", "must come before the first action");
	expect_parse_error("host client 1.2.3.4 99999\n", "not a port");
	expect_parse_error("set client rto banana\n", "not a number of seconds");
	expect_parse_error("set client cubic on\n", "unknown setting 'cubic'");
	expect_parse_error("send client \"unterminated\n", "unterminated quote");
	expect_parse_error("inject client SYN ack=3\n", "inject needs seq=N");
}
END_TEST

START_TEST(test_scenario_run_error_names_line)
{
	struct tt_scenario *sc = tt_scenario_parse("listen server\ndeliver\n", 22, "y.scenario", err,
	                                           sizeof err);

	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_null(tt_scenario_run(sc, NULL, err, sizeof err));
	ck_assert_msg(strstr(err, "y.scenario:2: deliver: nothing on the wire") != NULL, "%s", err);
	tt_scenario_free(sc);
}
END_TEST

START_TEST(test_scenario_survives_garbage)
{
	/* bytes that are not text at all must give an error, never a crash */
	char buf[4096];
	unsigned x = 12345;

	for (int round = 0; round < 200; round++) {
		struct tt_scenario *sc;

		for (size_t i = 0; i < sizeof buf; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(x >> 16);
		}
		sc = tt_scenario_parse(buf, sizeof buf, "junk", err, sizeof err);
		if (sc != NULL) {
			struct tt_sim *s = tt_scenario_run(sc, NULL, err, sizeof err);

			tt_sim_free(s);
			tt_scenario_free(sc);
		}
	}
}
END_TEST

/* The dropped segment steps of a run. */
static const struct tt_step *
nth_dropped(const struct tt_sim *s, unsigned k)
{
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && (st->notes & TT_NOTE(DROPPED)) && k-- == 0)
			return st;
	}
	return NULL;
}

/* "#N" is the segment count of drop/duplicate/delay, not a comment. */
START_TEST(test_hash_n_picks_the_nth_segment)
{
	struct tt_sim *s = run_text("set both mss 100\nlisten server\nconnect client\nrun\n"
	                            "send client 300\ndrop to server #3 # the last of three\nrun\n");
	const struct tt_step *st = nth_dropped(s, 0);
	struct tt_tcb_view v;

	ck_assert_ptr_nonnull(st);
	ck_assert_uint_eq(st->seg.seq, 1000 + 1 + 200);    /* the third, not the first */
	ck_assert_ptr_null(nth_dropped(s, 1));
	tt_sim_view(s, TT_SERVER, &v);
	ck_assert_uint_eq(v.rcv_queued, 200);              /* the first two arrived */
	tt_sim_free(s);

	/* a fault armed before the segments are sent counts the same way */
	s = run_text("set both mss 100\nlisten server\nconnect client\nrun\n"
	             "duplicate to server #2\nsend client 300\nrun\n");
	ck_assert_uint_eq(count_segments(s, TT_ACK, TT_NOTE(DUPLICATE)), 1);
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *d = tt_sim_step(s, i);

		if (d->kind == TT_STEP_SEGMENT && (d->notes & TT_NOTE(DUPLICATE)))
			ck_assert_uint_eq(d->seg.seq, 1000 + 1 + 100);
	}
	tt_sim_free(s);
}
END_TEST

START_TEST(test_comments_still_work)
{
	const char *text = "# a comment line\n"
	                   "  #2 a comment too: '#' opens the line\n"
	                   "listen server   # trailing comment\n"
	                   "connect client #no blank after the hash\n"
	                   "drop SYN,ACK # #3 inside a comment\n"
	                   "advance 3 #\n";
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "c", err, sizeof err);

	ck_assert_msg(sc != NULL, "%s", err);
	ck_assert_uint_eq(tt_scenario_nactions(sc), 4);
	ck_assert_uint_eq(tt_scenario_action(sc, 2)->nth, 0);
	ck_assert_uint_eq(tt_scenario_action(sc, 2)->flags_match, TT_SYN | TT_ACK);
	tt_scenario_free(sc);
}
END_TEST

/* Every word is used or is an error: nothing is skipped silently. */
START_TEST(test_unusable_words_are_errors)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "listen server now\n", "x.scenario:1: unexpected 'now'" },
		{ "shutdown client at once\n", "unexpected 'at'" },
		{ "send client 10 loud\n", "unexpected 'loud'" },
		{ "send client 17000000\n", "is not a byte count" },
		{ "send client 12abc\n", "'12abc' is not a byte count" },
		{ "send client -5\n", "'-5' is not a byte count" },
		{ "send client \"ab\"c\n", "closing quote must end the word" },
		{ "send client ab\"c\"\n", "stray quote" },
		{ "keepalive client maybe\n", "use: keepalive client on|off" },
		{ "deliver #2\n", "'#2' is not a count of segments" },
		{ "deliver 3 4\n", "unexpected '4'" },
		{ "deliver 0\n", "not a count of segments" },
		{ "deliver soon\n", "'soon' is not a count of segments" },
		{ "run now\n", "unexpected 'now'" },
		{ "deliver all #2\n", "unexpected '#2'" },
		{ "advance 5 more\n", "unexpected 'more'" },
		{ "drop SYN ACK\n", "flags given twice" },
		{ "drop to\n", "'to' needs a host" },
		{ "drop to server to client\n", "'to' given twice" },
		{ "drop #0\n", "'#0' is not a segment count" },
		{ "drop #2 #3\n", "#N given twice" },
		{ "delay 0.5 SYN soon\n", "'soon' is not a flag list" },
		{ "crash client loudly\n", "unexpected 'loudly'" },
		{ "inject client SYN seq=1 seq=2\n", "seq= given twice" },
		{ "inject client SYN seq=1 len=70000\n", "len must be 0 to 65535" },
		{ "inject client SYN seq=1 urg=1\n", "unknown field 'urg'" },
		{ "host client 1.2.3 80\n", "not an IPv4 or IPv6 address" },
		{ "host client 192.0.2.1 80 iss=1 iss=2\n", "use: host" },
		{ "set seed 7 8\n", "use: set seed" },
		{ "set delay\n", "use: set delay" },
		{ "set both window 2000000000\n", "window must be a number from 0 to 1073741824" },
		{ "set both wscale 15\n", "wscale must be off or a shift from 0 to 14" },
		{ "set both syn-retries 1000\n", "syn-retries must be a number from 0 to 255" },
		{ "set both rto 0\n", "rto must be more than 0 seconds" },
		{ "set both ka-probes 0\n", "ka-probes must be a number from 1 to 255" },
		{ "set both tw-reuse maybe\n", "'maybe' is not on or off" },
		{ "set both fin-timeout soon\n", "'soon' is not a number of seconds" },
		{ "set client delack 0.6\n", "RFC 9293 §3.8.6.3" },
		{ "set client delack 0.5\n", "MUST be less than 0.5 s" },
		{ "listen a b c d e f g h i j k l m n o p q\n", "too many words" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_parse_error(bad[i].text, bad[i].want);
}
END_TEST

/* advance and delay tell a word or a negative number from one too large
 * (the limit is 1e9 seconds); a flag list names each flag once. */
START_TEST(test_seconds_and_flag_lists_are_checked)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "advance -1\n", "x.scenario:1: 'advance' needs a number of seconds, 0 or more, not '-1'" },
		{ "advance soon\n", "'advance' needs a number of seconds, 0 or more, not 'soon'" },
		{ "advance 1e10\n", "x.scenario:1: '1e10' is too long: advance takes at most 1000000000 seconds" },
		{ "advance 1000000000.5\n", "'1000000000.5' is too long: advance takes at most" },
		{ "delay -0.5 SYN\n", "'delay' needs a number of seconds, 0 or more, not '-0.5'" },
		{ "delay 1e10 SYN\n", "'1e10' is too long: delay takes at most 1000000000 seconds" },
		{ "drop SYN,SYN\n", "x.scenario:1: 'SYN,SYN' names the flag SYN twice" },
		{ "duplicate SYN,ACK,FIN,ack to server\n", "'SYN,ACK,FIN,ack' names the flag ack twice" },
		{ "delay 1 FIN+FIN\n", "'FIN+FIN' names the flag FIN twice" },
		{ "inject client RST,RST seq=1\n", "'RST,RST' names the flag RST twice" },
	};
	const char *good = "advance 1000000000\nadvance 0\ndelay 0.5 SYN,ACK\ndrop FIN|ACK to server\n"
	                   "inject client RST,ACK seq=1\n";
	struct tt_scenario *sc;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_parse_error(bad[i].text, bad[i].want);
	sc = tt_scenario_parse(good, strlen(good), "g", err, sizeof err);
	ck_assert_msg(sc != NULL, "%s", err);
	ck_assert_int_eq(tt_scenario_action(sc, 0)->amount, TT_SEC(1000000000));
	ck_assert_uint_eq(tt_scenario_action(sc, 2)->flags_match, TT_SYN | TT_ACK);
	ck_assert_uint_eq(tt_scenario_action(sc, 3)->flags_match, TT_FIN | TT_ACK);
	ck_assert_uint_eq(tt_scenario_action(sc, 4)->inject.flags, TT_RST | TT_ACK);
	tt_scenario_free(sc);
}
END_TEST

START_TEST(test_quoted_number_is_text)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\nsend client \"100\"\nrun\n");
	struct tt_tcb_view v;

	tt_sim_view(s, TT_SERVER, &v);
	ck_assert_uint_eq(v.rcv_queued, 3);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_new_settings_reach_the_engine)
{
	const char *text = "set client synack-retries 3\nset client fin-timeout 30\n"
	                   "set client tw-reuse on\nset client rst-ack yes\n"
	                   "set client oow-ratelimit 0\nset server oow-ratelimit 1.5\n"
	                   "set server delack 0.2\nset server challenge-ack off\n";
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "s", err, sizeof err);
	const struct tt_config *c, *sv;

	ck_assert_msg(sc != NULL, "%s", err);
	c = &tt_scenario_config(sc)->host[TT_CLIENT].tcp;
	sv = &tt_scenario_config(sc)->host[TT_SERVER].tcp;
	ck_assert_uint_eq(c->synack_retries, 3);
	ck_assert_int_eq(c->fin_timeout, TT_SEC(30));
	ck_assert_int_eq(c->tw_reuse, 1);
	ck_assert_int_eq(c->rst_ack, 1);
	ck_assert_int_eq(c->oow_ratelimit, 0);
	ck_assert_int_eq(sv->oow_ratelimit, TT_MS(1500));
	ck_assert_int_eq(sv->delack, TT_MS(200));
	ck_assert_int_eq(sv->no_challenge_ack, 1);
	ck_assert_int_eq(sv->tw_reuse, 0);
	tt_scenario_free(sc);
}
END_TEST

START_TEST(test_shutdown_close_and_urgent_actions)
{
	const char *text = "shutdown client\nclose server\nsend client 5 urgent\n"
	                   "send client \"hi\" urgent\nsend client urgent\n";
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "u", err, sizeof err);

	ck_assert_msg(sc != NULL, "%s", err);
	ck_assert_int_eq(tt_scenario_action(sc, 0)->kind, TT_A_SHUTDOWN);
	ck_assert_int_eq(tt_scenario_action(sc, 0)->host, TT_CLIENT);
	ck_assert_int_eq(tt_scenario_action(sc, 1)->kind, TT_A_CLOSE);
	ck_assert_int_eq(tt_scenario_action(sc, 2)->urgent, 1);
	ck_assert_uint_eq(tt_scenario_action(sc, 2)->count, 5);
	ck_assert_int_eq(tt_scenario_action(sc, 3)->urgent, 1);
	ck_assert_str_eq(tt_scenario_action(sc, 3)->text, "hi");
	/* a lone word after the host is the text, "urgent" included */
	ck_assert_int_eq(tt_scenario_action(sc, 4)->urgent, 0);
	ck_assert_str_eq(tt_scenario_action(sc, 4)->text, "urgent");
	ck_assert_str_eq(tt_action_name(TT_A_SHUTDOWN), "shutdown");
	ck_assert_str_eq(tt_action_name(TT_A_CLOSE), "close");
	tt_scenario_free(sc);
}
END_TEST

/* shutdown is RFC 9293's CLOSE: a FIN, and the data already there stays
 * readable; close() with that data unread resets (RFC 2525 §2.17). */
START_TEST(test_shutdown_sends_fin_close_with_unread_data_resets)
{
	const char *head = "listen server\nconnect client\nrun\nsend client 10\nrun\n";
	char text[256];
	struct tt_sim *s;
	struct tt_tcb_view v;

	snprintf(text, sizeof text, "%sshutdown server\nrun\n", head);
	s = run_text(text);
	ck_assert_uint_eq(count_segments(s, TT_FIN | TT_ACK, 0), 1);
	ck_assert_uint_eq(count_segments(s, TT_RST, 0) + count_segments(s, TT_RST | TT_ACK, 0), 0);
	tt_sim_view(s, TT_SERVER, &v);
	ck_assert_int_eq(v.state, TT_FIN_WAIT_2);
	ck_assert_uint_eq(v.rcv_queued, 10);
	tt_sim_free(s);

	snprintf(text, sizeof text, "%sclose server\nrun\n", head);
	s = run_text(text);
	ck_assert_uint_eq(count_segments(s, TT_FIN | TT_ACK, 0), 0);
	ck_assert_uint_eq(count_segments(s, TT_RST, 0) + count_segments(s, TT_RST | TT_ACK, 0), 1);
	tt_sim_view(s, TT_SERVER, &v);
	ck_assert_int_eq(v.state, TT_CLOSED);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_send_urgent_sets_urg)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\nsend client 10 urgent\nrun\n");
	int urg = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && st->dir == TT_CLIENT && st->seg.len == 10)
			urg = (st->seg.flags & TT_URG) != 0;
	}
	ck_assert_int_eq(urg, 1);
	tt_sim_free(s);
}
END_TEST

/* A crash deletes the TCB through the engine and keeps the host's ISN
 * clock: the rebooted host starts its next connection at another ISS. */
START_TEST(test_crash_keeps_the_isn_clock)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\ncrash client\n"
	                            "advance 10\nconnect client\n");
	uint32_t syn[2];
	unsigned n = 0;
	const struct tt_step *crash = NULL;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_EVENT && st->nev > 0 && st->ev[0].ev.reason == TT_R_HOST_CRASH)
			crash = st;
	}
	ck_assert_ptr_nonnull(crash);
	ck_assert_int_eq(crash->ev[0].ev.from, TT_ESTABLISHED);
	ck_assert_int_eq(crash->ev[0].ev.to, TT_CLOSED);
	ck_assert_int_eq(crash->tcb[TT_CLIENT].state, TT_CLOSED);
	tt_sim_free(s);
	s = run_text("listen server\nconnect client\nrun\ncrash client\nadvance 10\n"
	             "connect client\nrun\n");
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && st->dir == TT_CLIENT && st->seg.flags == TT_SYN &&
		    n < 2)
			syn[n++] = st->seg.seq;
	}
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_ne(syn[0], syn[1]);
	ck_assert_uint_eq(count_segments(s, TT_SYN, TT_NOTE(RETRANSMISSION)), 0);
	tt_sim_free(s);
}
END_TEST

/* The run of a scenario whose hosts never settle fails, naming the line. */
static void
expect_run_limit(const char *text, const char *want)
{
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "loop.scenario", err,
	                                           sizeof err);

	ck_assert_msg(sc != NULL, "parse: %s", err);
	ck_assert_ptr_null(tt_scenario_run(sc, NULL, err, sizeof err));
	ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
	ck_assert_msg(strstr(err, "did not settle") != NULL, "%s", err);
	tt_scenario_free(sc);
}

/* An ACK war (RFC 5961 §7): data injected in the client's name moves the
 * server's RCV.NXT past what the client sent. The server's ACK acknowledges
 * data the client never sent (answered by an ACK), whose sequence number is
 * below the server's window (answered by an ACK), for ever, unless the
 * replies are rate-limited; oow-ratelimit 0 turns that off. */
#define ACK_WAR "set both oow-ratelimit 0\nlisten server\nconnect client\nrun\n" \
	"inject client PSH,ACK seq=1001 ack=5001 len=10\n"

START_TEST(test_endless_exchange_hits_the_limit)
{
	struct tt_sim *s;
	struct tt_action a;

	expect_run_limit(ACK_WAR "run\n",
	                 "loop.scenario:6: run: the hosts did not settle: 100000 segments delivered "
	                 "and the wire is still not empty");
	expect_run_limit(ACK_WAR "advance 100000\n", "loop.scenario:6: advance: the hosts did not "
	                 "settle: 200000 arrivals and timers in one action");
	/* tt_sim_do itself says -2 */
	s = run_text(ACK_WAR);
	memset(&a, 0, sizeof a);
	a.kind = TT_A_DELIVER_ALL;
	a.host = a.toward = -1;
	ck_assert_int_eq(tt_sim_do(s, &a, err, sizeof err), -2);
	ck_assert_uint_gt(tt_sim_in_flight(s), 0);
	tt_sim_free(s);
}
END_TEST

/* The limits hold for one action: many actions may do more in all, and a
 * long action full of finite work is no failure. */
START_TEST(test_limit_is_counted_per_action)
{
	struct tt_sim *s = run_text(ACK_WAR "deliver 8000\ndeliver 8000\ndeliver 8000\n");

	ck_assert_uint_gt(tt_sim_nsteps(s), 24000);
	tt_sim_free(s);
	/* a keep-alive probe and its ACK every 1.1 s for 10000 s */
	s = run_text("set both ka-idle 1\nlisten server\nconnect client\nrun\n"
	             "keepalive client on\nadvance 10000\n");
	ck_assert_uint_gt(count_segments(s, TT_ACK, TT_NOTE(KEEP_ALIVE)), 8000);
	ck_assert_int_eq(tt_sim_now(s), TT_MS(150) + TT_SEC(10000));
	tt_sim_free(s);
}
END_TEST

START_TEST(test_first_step_maps_actions_to_steps)
{
	const char *text = "listen server\nconnect client\ndeliver\nrun\n";
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "m", err, sizeof err);
	size_t first[5];
	struct tt_sim *s = tt_scenario_run(sc, first, err, sizeof err);

	ck_assert_uint_eq(first[0], 0);
	ck_assert_uint_eq(first[1], 1);
	ck_assert_uint_eq(first[2], 2);
	ck_assert_uint_eq(first[3], 3);
	ck_assert_uint_eq(first[4], tt_sim_nsteps(s));
	ck_assert_uint_eq(tt_sim_nsteps(s), 5);
	tt_sim_free(s);
	tt_scenario_free(sc);
}
END_TEST

START_TEST(test_seed_derives_repeatable_iss)
{
	struct tt_sim *a = run_text("set seed 7\nconnect client\n");
	struct tt_sim *b = run_text("set seed 7\nconnect client\n");
	struct tt_sim *c = run_text("set seed 8\nconnect client\n");
	struct tt_sim *d = run_text("host client 10.0.0.1 1000 iss=42\nset seed 7\nconnect client\n");

	ck_assert_uint_eq(tt_sim_config(a)->host[0].iss, tt_sim_config(b)->host[0].iss);
	ck_assert_uint_ne(tt_sim_config(a)->host[0].iss, tt_sim_config(c)->host[0].iss);
	ck_assert_uint_ne(tt_sim_config(a)->host[0].iss, tt_sim_config(a)->host[1].iss);
	ck_assert_uint_eq(tt_sim_config(d)->host[0].iss, 42);      /* explicit wins */
	tt_sim_free(a);
	tt_sim_free(b);
	tt_sim_free(c);
	tt_sim_free(d);
}
END_TEST

/* ---- the wire ------------------------------------------------------------- */

START_TEST(test_deliver_follows_arrival_time_and_delay)
{
	struct tt_sim *s = run_text("set delay client 0.3\nlisten server\nconnect client\ndeliver\n");
	const struct tt_step *st = tt_sim_step(s, 2);

	ck_assert_int_eq(st->kind, TT_STEP_SEGMENT);
	ck_assert_int_eq(st->time, 0);
	ck_assert_int_eq(st->arrival, TT_MS(300));
	ck_assert_int_eq(tt_sim_now(s), TT_MS(300));
	ck_assert_uint_eq(st->frame, 1);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_duplicate_delivers_twice)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\nsend client 10\n"
	                            "duplicate\nrun\n");

	ck_assert_uint_eq(count_segments(s, TT_PSH | TT_ACK, TT_NOTE(DUPLICATE)), 1);
	ck_assert_uint_eq(count_segments(s, TT_PSH | TT_ACK, 0), 2);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_delay_reorders_segments)
{
	struct tt_sim *s = run_text("set both mss 100\nlisten server\nconnect client\nrun\n"
	                            "send client 200\ndelay 0.5\nrun\n");
	struct tt_tcb_view v;

	ck_assert_uint_eq(count_segments(s, TT_ACK, TT_NOTE(DELAYED)), 1);
	tt_sim_view(s, TT_SERVER, &v);
	ck_assert_uint_eq(v.rcv_queued, 200);     /* reassembled */
	tt_sim_free(s);
}
END_TEST

START_TEST(test_advance_delivers_and_fires_timers_in_order)
{
	struct tt_sim *s = run_text("listen server\nconnect client\ndrop\nadvance 5\n");

	/* SYN dropped, retransmitted at 1 s, handshake done during the advance */
	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT ESTABLISHED");
	ck_assert_str_eq(path_of(s, TT_SERVER), "CLOSED LISTEN SYN-RECEIVED ESTABLISHED");
	ck_assert_int_eq(tt_sim_now(s), TT_SEC(5));
	tt_sim_free(s);
}
END_TEST

START_TEST(test_same_actions_give_same_trace)
{
	const char *text = "listen server\nconnect client\nrun\nsend client 3000\ndrop\n"
	                   "advance 3\nclose client\nrun\nclose server\nrun\nadvance 300\n";
	struct tt_sim *a = run_text(text), *b = run_text(text);

	ck_assert_uint_eq(tt_sim_nsteps(a), tt_sim_nsteps(b));
	for (size_t i = 0; i < tt_sim_nsteps(a); i++)
		ck_assert_int_eq(memcmp(tt_sim_step(a, i), tt_sim_step(b, i), sizeof(struct tt_step)), 0);
	tt_sim_free(a);
	tt_sim_free(b);
}
END_TEST

/* ---- the bundled scenarios: the paths RFC 9293 prescribes ----------------- */

START_TEST(test_bundled_handshake)
{
	struct tt_sim *s = run_file("handshake");

	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT ESTABLISHED");
	ck_assert_str_eq(path_of(s, TT_SERVER), "CLOSED LISTEN SYN-RECEIVED ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_client_first_close)
{
	struct tt_sim *s = run_file("close-client-first");

	ck_assert_str_eq(path_of(s, TT_CLIENT),
	                 "CLOSED SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT");
	ck_assert_str_eq(path_of(s, TT_SERVER),
	                 "CLOSED LISTEN SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_server_first_close)
{
	struct tt_sim *s = run_file("close-server-first");

	ck_assert_str_eq(path_of(s, TT_SERVER),
	                 "CLOSED LISTEN SYN-RECEIVED ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT");
	ck_assert_str_eq(path_of(s, TT_CLIENT),
	                 "CLOSED SYN-SENT ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_fin_ack_close_takes_three_segments)
{
	struct tt_sim *s = run_file("close-fin-ack");

	ck_assert_uint_eq(count_segments(s, TT_FIN | TT_ACK, 0), 2);
	ck_assert_uint_eq(count_segments(s, TT_ACK, 0), 2);     /* handshake ACK + last ACK */
	ck_assert_str_eq(path_of(s, TT_CLIENT),
	                 "CLOSED SYN-SENT ESTABLISHED FIN-WAIT-1 TIME-WAIT");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_simultaneous_open)
{
	struct tt_sim *s = run_file("simultaneous-open");

	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED");
	ck_assert_str_eq(path_of(s, TT_SERVER), "CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_simultaneous_close_passes_closing_on_both_ends)
{
	struct tt_sim *s = run_file("simultaneous-close");

	for (int h = 0; h < 2; h++)
		ck_assert_msg(strstr(path_of(s, h), "FIN-WAIT-1 CLOSING TIME-WAIT CLOSED") != NULL,
		              "%s", path_of(s, h));
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_half_close_sends_in_close_wait)
{
	struct tt_sim *s = run_file("half-close");
	struct tt_tcb_view v;
	int sent_in_close_wait = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && st->dir == TT_SERVER && st->seg.len > 0 &&
		    st->tcb[TT_SERVER].state == TT_CLOSE_WAIT)
			sent_in_close_wait += (int)st->seg.len;
	}
	ck_assert_int_eq(sent_in_close_wait, 1400);
	tt_sim_view(s, TT_CLIENT, &v);
	ck_assert_uint_eq(v.rcv_queued, 1400);
	ck_assert_int_eq(v.state, TT_TIME_WAIT);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_lost_syn_backs_off)
{
	struct tt_sim *s = run_file("lost-syn");
	tt_time want[] = { 0, TT_SEC(1), TT_SEC(3), TT_SEC(7) };
	size_t k = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && st->seg.flags == TT_SYN) {
			ck_assert_uint_lt(k, 4);
			ck_assert_int_eq(st->time, want[k]);
			k++;
		}
	}
	ck_assert_uint_eq(k, 4);
	ck_assert_uint_eq(count_segments(s, TT_SYN, TT_NOTE(RETRANSMISSION)), 3);
	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_lost_syn_ack)
{
	struct tt_sim *s = run_file("lost-syn-ack");

	ck_assert_uint_eq(count_segments(s, TT_SYN | TT_ACK, TT_NOTE(DROPPED)), 1);
	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT ESTABLISHED");
	ck_assert_str_eq(path_of(s, TT_SERVER), "CLOSED LISTEN SYN-RECEIVED ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_lost_final_ack_answered_from_time_wait)
{
	struct tt_sim *s = run_file("lost-final-ack");
	int fin_again = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned k = 0; k < st->nev; k++)
			if (st->ev[k].ev.reason == TT_R_TW_FIN_AGAIN)
				fin_again++;
	}
	ck_assert_int_eq(fin_again, 1);
	ck_assert_uint_eq(count_segments(s, TT_FIN | TT_ACK, TT_NOTE(RETRANSMISSION)), 1);
	ck_assert_str_eq(path_of(s, TT_SERVER),
	                 "CLOSED LISTEN SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_time_wait_expires_after_two_msl)
{
	struct tt_sim *s = run_file("time-wait-expiry");
	const struct tt_step *last = tt_sim_step(s, tt_sim_nsteps(s) - 1);

	ck_assert_int_eq(last->kind, TT_STEP_EVENT);
	ck_assert_int_eq(last->ev[0].ev.reason, TT_R_TIME_WAIT_EXPIRED);
	ck_assert_int_eq(last->tcb[TT_CLIENT].state, TT_CLOSED);
	/* TIME-WAIT began when the server's FIN arrived (0.3 s) */
	ck_assert_int_eq(last->time, TT_MS(300) + TT_SEC(240));
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_closed_port_is_refused)
{
	struct tt_sim *s = run_file("closed-port-rst");

	ck_assert_uint_eq(count_segments(s, TT_RST | TT_ACK, 0), 1);
	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT CLOSED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_abort_sends_rst_and_both_close)
{
	struct tt_sim *s = run_file("abort-rst");
	struct tt_tcb_view v;

	ck_assert_uint_eq(count_segments(s, TT_RST, 0), 1);
	tt_sim_view(s, TT_SERVER, &v);
	ck_assert_int_eq(v.state, TT_CLOSED);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_half_open_found_by_keepalive)
{
	struct tt_sim *s = run_file("half-open-keepalive");

	ck_assert_uint_eq(count_segments(s, TT_ACK, TT_NOTE(KEEP_ALIVE)), 1);
	ck_assert_uint_eq(count_segments(s, TT_RST, 0), 1);
	ck_assert_str_eq(path_of(s, TT_SERVER), "CLOSED LISTEN SYN-RECEIVED ESTABLISHED CLOSED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_keepalive_gives_up_on_a_dead_host)
{
	struct tt_sim *s = run_file("keepalive-timeout");

	ck_assert_uint_eq(count_segments(s, TT_ACK, TT_NOTE(KEEP_ALIVE)), 9);   /* Linux: 9 */
	ck_assert_str_eq(path_of(s, TT_SERVER), "CLOSED LISTEN SYN-RECEIVED ESTABLISHED CLOSED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_old_duplicate_syn_recovers)
{
	struct tt_sim *s = run_file("old-duplicate-syn");

	ck_assert_str_eq(path_of(s, TT_SERVER),
	                 "CLOSED LISTEN SYN-RECEIVED LISTEN SYN-RECEIVED ESTABLISHED");
	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT ESTABLISHED");
	ck_assert_uint_eq(count_segments(s, TT_RST, 0), 1);
	tt_sim_free(s);
}
END_TEST

/* ---- hosts with sockets --------------------------------------------------- */

/* The segments of one stream, as "FLAGS FLAGS ..." in row order. */
static unsigned
rows_in_stream(const struct tt_sim *s, unsigned stream)
{
	unsigned n = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		n += st->kind == TT_STEP_SEGMENT && st->stream == stream;
	}
	return n;
}

/* A listener serves two clients at once: `connect client new` opens a second
 * connection from the next port, a stream of its own, and the listener's
 * second child answers it while the first is still established. */
START_TEST(test_listener_serves_two_connections)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\nconnect client new\nrun\n"
	                            "send client:0 10\nsend client:1 20\nrun\n");
	const struct tt_step *last = tt_sim_step(s, tt_sim_nsteps(s) - 1);
	char ep[64];

	ck_assert_uint_eq(tt_sim_nstreams(s), 2);
	ck_assert_str_eq(tt_sim_stream_endpoint(s, 0, TT_CLIENT, ep, sizeof ep), "192.0.2.1:49152");
	ck_assert_str_eq(tt_sim_stream_endpoint(s, 1, TT_CLIENT, ep, sizeof ep), "192.0.2.1:49153");
	ck_assert_str_eq(tt_sim_stream_endpoint(s, 1, TT_SERVER, ep, sizeof ep), "198.51.100.2:80");
	ck_assert_uint_eq(rows_in_stream(s, 0), 5);  /* SYN, SYN,ACK, ACK, data, ACK */
	ck_assert_uint_eq(rows_in_stream(s, 1), 5);
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && st->seg.len > 0)
			ck_assert_uint_eq(st->seg.len, st->stream == 0 ? 10 : 20);
	}
	ck_assert_int_eq(last->tcb[TT_SERVER].state, TT_ESTABLISHED);
	ck_assert_int_ne(last->sock[TT_SERVER], -1);
	tt_sim_free(s);
}
END_TEST

/* The listener keeps listening after a connection ends or is reset: a new
 * connection is accepted, and a segment for a port nothing listens on is
 * still refused. */
START_TEST(test_listener_keeps_listening_after_a_reset)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\nabort client\nrun\n"
	                            "connect client\nrun\n");
	const struct tt_step *last = tt_sim_step(s, tt_sim_nsteps(s) - 1);

	ck_assert_uint_eq(tt_sim_nstreams(s), 2);
	ck_assert_uint_eq(last->stream, 1);
	ck_assert_int_eq(last->tcb[TT_CLIENT].state, TT_ESTABLISHED);
	ck_assert_int_eq(last->tcb[TT_SERVER].state, TT_ESTABLISHED);
	/* the host's states in order, over its sockets: the second child starts
	 * in LISTEN as a copy of the listener, so path_of shows no step there */
	ck_assert_str_eq(path_of(s, TT_SERVER),
	                 "CLOSED LISTEN SYN-RECEIVED ESTABLISHED CLOSED SYN-RECEIVED ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

/* A new incarnation on the same ports (after TIME-WAIT) is a new stream,
 * with a new ISS from the ISN clock and no "retransmission" note. */
START_TEST(test_new_incarnation_is_a_new_stream)
{
	struct tt_sim *s = run_text("listen server\nconnect client\nrun\nsend client 10\nrun\n"
	                            "receive server\nclose client\nclose server\nrun\nadvance 241\n"
	                            "connect client\nrun\n");
	uint32_t syn[2] = { 0, 0 };

	ck_assert_uint_eq(tt_sim_nstreams(s), 2);
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT)
			continue;
		if (st->seg.flags == TT_SYN)
			syn[st->stream] = st->seg.seq;
		if (st->stream == 1)
			ck_assert_uint_eq(st->notes & TT_NOTE(RETRANSMISSION), 0);
	}
	ck_assert_uint_eq(syn[0], 1000);
	/* 241.35 s later on a clock of one tick per 4 us */
	ck_assert_uint_eq(syn[1], 1000 + 241350000 / 4);
	tt_sim_free(s);
}
END_TEST

/* HOST:N picks the host's connection in stream N; one it lacks is an error
 * with the line; listen takes no stream. */
START_TEST(test_user_calls_pick_a_stream)
{
	const char *text = "listen server\nconnect client\nrun\nsend client:3 10\n";
	struct tt_scenario *sc = tt_scenario_parse(text, strlen(text), "x.scenario", err,
	                                           sizeof err);

	ck_assert_ptr_nonnull(sc);
	ck_assert_ptr_null(tt_scenario_run(sc, NULL, err, sizeof err));
	ck_assert_msg(strstr(err, "x.scenario:4: send: the client has no connection in stream 3"),
	              "%s", err);
	tt_scenario_free(sc);
	expect_parse_error("listen server:0\n", "a host listens on its own port");
	expect_parse_error("send client:x 10\n", "after the ':' comes a stream number");
	sc = tt_scenario_parse("connect client new\n", 19, "x", err, sizeof err);
	ck_assert_ptr_nonnull(sc);
	ck_assert_int_eq(tt_scenario_action(sc, 0)->fresh, 1);
	tt_scenario_free(sc);
}
END_TEST

/* Keep-alive with data outstanding to a silent peer: the retransmission
 * timer rules (no probe while data waits), gives up, and no payload it
 * sent is read after the TCB is gone (ASan watches this run). */
START_TEST(test_keepalive_waits_for_outstanding_data)
{
	struct tt_sim *s = run_text("set client ka-idle 1\nset client ka-interval 1\n"
	                            "set client ka-probes 1\nset client retries 3\n"
	                            "listen server\nconnect client\nrun\nkeepalive client on\n"
	                            "crash server silent\nsend client 100\nadvance 100\n");
	int gave_up = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned k = 0; k < st->nev; k++) {
			ck_assert_int_ne(st->ev[k].ev.reason, TT_R_KEEPALIVE_PROBE);
			gave_up |= st->ev[k].ev.reason == TT_R_RTX_GIVE_UP;
		}
		if (st->kind == TT_STEP_SEGMENT && st->seg.len > 0)
			ck_assert(memcmp(st->preview, "xxxxxxxx", 8) == 0);
	}
	ck_assert(gave_up);
	tt_sim_free(s);
}
END_TEST

/* ---- seeded random scenarios -------------------------------------------- */

static uint32_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (uint32_t)(*x >> 11);
}

static void
check_invariants(const struct tt_sim *s, uint64_t seed)
{
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (int h = 0; h < 2; h++) {
			const struct tt_tcb_view *v = &st->tcb[h];

			ck_assert_msg((unsigned)v->state < TT_NSTATES, "seed %llu: bad state",
			              (unsigned long long)seed);
			if (v->state != TT_CLOSED && v->state != TT_LISTEN)
				ck_assert_msg(TT_SEQ_LEQ(v->snd_una, v->snd_nxt),
				              "seed %llu step %zu: SND.UNA > SND.NXT",
				              (unsigned long long)seed, i);
		}
		for (unsigned k = 0; k < st->nev; k++)
			ck_assert((unsigned)st->ev[k].ev.reason < TT_NREASONS);
	}
}

/* Thousands of scenarios with random user calls and faults: whatever
 * happens, the engine stays in valid states and never crashes. */
START_TEST(test_random_scenarios_keep_invariants)
{
	for (uint64_t seed = 1; seed <= 2000; seed++) {
		uint64_t x = seed * 0x9e3779b97f4a7c15ull;
		struct tt_sim_config cfg;
		struct tt_sim *s;

		tt_sim_config_default(&cfg);
		cfg.host[0].iss = rnd(&x);
		cfg.host[1].iss = rnd(&x);
		cfg.host[0].tcp.mss = (uint16_t)(100 + rnd(&x) % 1400);
		cfg.host[1].tcp.rcv_wnd = 500 + rnd(&x) % 65000;
		cfg.delay[0] = TT_MS(1 + rnd(&x) % 200);
		cfg.delay[1] = TT_MS(1 + rnd(&x) % 200);
		s = tt_sim_new(&cfg);
		for (int n = 0; n < 40; n++) {
			struct tt_action a;

			memset(&a, 0, sizeof a);
			a.kind = (enum tt_action_kind)(rnd(&x) % TT_A_NACTIONS);
			a.host = (int)(rnd(&x) % 2);
			a.toward = (int)(rnd(&x) % 3) - 1;
			a.count = 1 + rnd(&x) % 3000;
			a.amount = TT_MS(rnd(&x) % 5000);
			a.on = (int)(rnd(&x) % 2);
			a.inject.flags = (uint16_t)(rnd(&x) & 0x3f);
			a.inject.seq = rnd(&x);
			a.inject.ack = rnd(&x);
			a.inject.wnd = rnd(&x) % 65536;
			if (a.kind == TT_A_DELIVER)
				a.count = 1 + a.count % 3;
			if (a.kind == TT_A_FLOOD)
				a.count = 1 + a.count % 20;     /* each SYN is a connection */
			tt_sim_do(s, &a, err, sizeof err);
		}
		check_invariants(s, seed);
		tt_sim_free(s);
	}
}
END_TEST

/* Without faults, every byte sent arrives, in order, once. */
START_TEST(test_random_transfers_deliver_every_byte)
{
	for (uint64_t seed = 1; seed <= 500; seed++) {
		uint64_t x = seed * 0x2545f4914f6cdd1dull;
		struct tt_sim_config cfg;
		struct tt_sim *s;
		struct tt_action a;
		uint64_t sent[2] = { 0, 0 };
		struct tt_tcb_view v[2];

		tt_sim_config_default(&cfg);
		cfg.host[0].iss = rnd(&x);
		cfg.host[1].iss = rnd(&x);
		cfg.host[0].tcp.mss = (uint16_t)(100 + rnd(&x) % 1400);
		cfg.host[1].tcp.mss = (uint16_t)(100 + rnd(&x) % 1400);
		cfg.host[0].tcp.rcv_wnd = 65535;
		cfg.host[1].tcp.rcv_wnd = 65535;
		s = tt_sim_new(&cfg);
		memset(&a, 0, sizeof a);
		a.toward = -1;
		a.kind = TT_A_LISTEN;
		a.host = TT_SERVER;
		tt_sim_do(s, &a, err, sizeof err);
		a.kind = TT_A_CONNECT;
		a.host = TT_CLIENT;
		tt_sim_do(s, &a, err, sizeof err);
		for (int n = 0; n < 20; n++) {
			a.kind = (rnd(&x) % 3) ? TT_A_SEND : TT_A_RECEIVE;
			a.host = (int)(rnd(&x) % 2);
			a.count = 1 + rnd(&x) % 4000;
			if (tt_sim_do(s, &a, err, sizeof err) == 0 && a.kind == TT_A_SEND) {
				struct tt_tcb_view w;

				tt_sim_view(s, a.host, &w);
				if (w.state == TT_ESTABLISHED || w.state == TT_SYN_SENT ||
				    w.state == TT_SYN_RECEIVED)
					sent[a.host] += a.count;
			}
			a.kind = TT_A_DELIVER_ALL;
			if (rnd(&x) % 2)
				tt_sim_do(s, &a, err, sizeof err);
			a.kind = TT_A_RECEIVE;
			a.host = (int)(rnd(&x) % 2);
			tt_sim_do(s, &a, err, sizeof err);
		}
		a.kind = TT_A_ADVANCE;
		a.amount = TT_SEC(30);
		tt_sim_do(s, &a, err, sizeof err);
		check_invariants(s, seed);
		tt_sim_view(s, 0, &v[0]);
		tt_sim_view(s, 1, &v[1]);
		for (int h = 0; h < 2; h++)
			ck_assert_msg(v[h].delivered + v[h].rcv_queued == sent[!h],
			              "seed %llu: host %d got %llu of %llu bytes",
			              (unsigned long long)seed, h,
			              (unsigned long long)(v[h].delivered + v[h].rcv_queued),
			              (unsigned long long)sent[!h]);
		tt_sim_free(s);
	}
}
END_TEST


/* ---- the bottleneck (struct tt_link) ---- */

/* The data segments of a run, in row order: index k of those the client sent. */
static const struct tt_step *
client_data(const struct tt_sim *s, unsigned k)
{
	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT && st->dir == TT_CLIENT && st->seg.len > 0 && k-- == 0)
			return st;
	}
	return NULL;
}

/* 1 Mbit/s: a segment of 1000 bytes plus 40 of headers takes 8320 us to
 * leave; the next waits for it; each then takes the 10 ms delay. */
START_TEST(test_link_rate_spaces_segments_by_their_size)
{
	struct tt_sim *s = run_text("set delay 0.01\nset rate client 1mbit\nset both mss 1000\n"
	                            "set client initial-window 4\n"
	                            "listen server\nconnect client\nrun\nsend client 3000\nrun\n");
	const struct tt_step *a = client_data(s, 0), *b = client_data(s, 1), *c = client_data(s, 2);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(b->time, a->time);                     /* sent together */
	ck_assert_int_eq(a->arrival - a->time, 8320 + TT_MS(10));
	ck_assert_int_eq(b->arrival - a->arrival, 8320);
	ck_assert_int_eq(c->arrival - b->arrival, 8320);
	tt_sim_free(s);
}
END_TEST

/* A drop-tail queue of 2: with one segment on the link and two waiting,
 * the fourth and fifth of a burst are dropped, noted queue-full. */
START_TEST(test_link_queue_drops_the_tail)
{
	struct tt_sim *s = run_text("set delay 0.01\nset rate client 1mbit\nset queue client 2\n"
	                            "set both mss 1000\nset client initial-window 5\n"
	                            "listen server\nconnect client\nrun\nsend client 5000\n"
	                            "deliver 3 to server\n");
	unsigned dropped = 0, full = 0;
	uint32_t first = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s) && first == 0; i++)
		if (tt_sim_step(s, i)->kind == TT_STEP_SEGMENT && tt_sim_step(s, i)->dir == TT_CLIENT)
			first = tt_sim_step(s, i)->seg.seq + 1;        /* after the SYN */

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT || st->seg.len == 0)
			continue;
		dropped += !!(st->notes & TT_NOTE(DROPPED));
		full += !!(st->notes & TT_NOTE(QUEUE_FULL));
		if (st->notes & TT_NOTE(QUEUE_FULL))
			ck_assert_uint_ge(st->seg.seq - first, 3000);
		if (st->notes & TT_NOTE(QUEUE_FULL))
			ck_assert_uint_lt(st->seg.seq - first, 5000);
	}
	ck_assert_uint_eq(dropped, 2);
	ck_assert_uint_eq(full, 2);
	tt_sim_free(s);
}
END_TEST

/* A marking threshold of 1: an ECN-capable segment that finds one waiting
 * is marked CE instead of dropped, and the receiver echoes it (ECE). */
START_TEST(test_link_marks_ce_on_ect_segments)
{
	struct tt_sim *s = run_text("set delay 0.01\nset rate client 1mbit\nset mark client 1\n"
	                            "set both ecn on\nset both mss 1000\nset client initial-window 4\n"
	                            "listen server\nconnect client\nrun\nsend client 4000\nrun\n");
	unsigned ce = 0, ece = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT)
			continue;
		if (st->notes & TT_NOTE(CE)) {
			ce++;
			ck_assert_uint_eq(st->seg.ecn, TT_CE);
		}
		if (st->dir == TT_SERVER && (st->seg.flags & TT_ECE) && !(st->seg.flags & TT_SYN))
			ece++;
	}
	/* the third and fourth find one waiting (the first is on the link) */
	ck_assert_uint_eq(ce, 2);
	ck_assert_uint_gt(ece, 0);
	tt_sim_free(s);
}
END_TEST

/* Random loss is seeded: the same seed loses the same segments. */
START_TEST(test_link_random_loss_is_repeatable)
{
	const char *text = "set seed 7\nset loss client 30%\nset both mss 100\n"
	                   "listen server\nconnect client\nrun\nsend client 3000\nrun\n";
	struct tt_sim *a = run_text(text), *b = run_text(text);
	unsigned lost = 0;

	ck_assert_uint_eq(tt_sim_nsteps(a), tt_sim_nsteps(b));
	for (size_t i = 0; i < tt_sim_nsteps(a); i++) {
		ck_assert_uint_eq(tt_sim_step(a, i)->notes, tt_sim_step(b, i)->notes);
		lost += !!(tt_sim_step(a, i)->notes & TT_NOTE(DROPPED));
	}
	ck_assert_uint_gt(lost, 0);
	tt_sim_free(a);
	tt_sim_free(b);
}
END_TEST


/* The Nagle/delayed-ACK stall: the second piece leaves only when the
 * server's delayed ACK (0.2 s) reaches the client. */
START_TEST(test_bundled_nagle_waits_for_the_delayed_ack)
{
	struct tt_sim *s = run_file("nagle-delayed-ack");
	tt_time first = -1, second = -1, ack = -1;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT)
			continue;
		if (st->dir == TT_CLIENT && st->seg.len == 16)
			first = st->time;
		if (st->dir == TT_CLIENT && st->seg.len == 8)
			second = st->time;
		if (st->dir == TT_SERVER && st->seg.len == 0 && ack < 0 && first >= 0)
			ack = st->time;
	}
	ck_assert_int_ge(first, 0);
	ck_assert_int_eq(ack, first + TT_MS(50) + TT_MS(200));   /* delayed 0.2 s */
	ck_assert_int_eq(second, ack + TT_MS(50));               /* held until it came */
	tt_sim_free(s);
}
END_TEST

/* Window probes into a closed window back off as the RTO does: 1 s, 2 s,
 * 4 s after the zero window; the reader's window update lets data go. */
START_TEST(test_bundled_zero_window_probes_back_off)
{
	struct tt_sim *s = run_file("zero-window");
	tt_time probes[8];
	size_t n = 0, updates = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned e = 0; e < st->nev; e++)
			if (st->ev[e].ev.reason == TT_R_ZERO_WINDOW_PROBE && n < 8)
				probes[n++] = st->time;
		if (st->kind == TT_STEP_SEGMENT && (st->notes & TT_NOTE(WINDOW_UPDATE)))
			updates++;
		/* a refused probe is no duplicate ACK: nothing is sent again fast */
		ck_assert(!(st->kind == TT_STEP_SEGMENT && (st->notes & TT_NOTE(DUP_ACK))));
	}
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(probes[1] - probes[0], TT_SEC(2));
	ck_assert_int_eq(probes[2] - probes[1], TT_SEC(4));
	ck_assert_uint_ge(updates, 1);
	ck_assert_uint_eq(count_segments(s, TT_ACK, TT_NOTE(ZERO_WINDOW)), 4);
	tt_sim_free(s);
}
END_TEST

/* Karn (RFC 6298 §3) through a zero window: the probe byte goes several
 * times, and the time the window stayed shut is no round trip. Every real
 * one here is 0.1 s: SRTT stays there to the end. */
START_TEST(test_zero_window_probes_take_no_rtt_sample)
{
	struct tt_sim *s = run_file("zero-window");
	const struct tt_step *last = tt_sim_step(s, tt_sim_nsteps(s) - 1);
	size_t probes = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned e = 0; e < st->nev; e++)
			probes += st->ev[e].ev.reason == TT_R_ZERO_WINDOW_PROBE;
		if (st->tcb[TT_CLIENT].rtt_valid)
			ck_assert_msg(st->tcb[TT_CLIENT].srtt == TT_MS(100),
			              "step %zu: client SRTT %lld us, the round trips are 100 ms", i,
			              (long long)st->tcb[TT_CLIENT].srtt);
	}
	ck_assert_uint_eq(probes, 3);
	ck_assert(last->tcb[TT_CLIENT].rtt_valid);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_bundled_rto_backs_off)
{
	struct tt_sim *s = run_file("rto-backoff");
	tt_time want[] = { TT_MS(150), TT_MS(1150), TT_MS(3150), TT_MS(7150) };
	size_t k = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		/* the first 100 bytes, four times; then the next 100 */
		if (st->kind == TT_STEP_SEGMENT && st->dir == TT_CLIENT && st->seg.len == 100 && k < 4)
			ck_assert_int_eq(st->time, want[k++]);
	}
	ck_assert_uint_eq(k, 4);
	tt_sim_free(s);
}
END_TEST

/* The bottleneck: slow start overflows the queue, and the losses are
 * repaired by fast retransmit (and a timeout for the tail), every byte
 * acknowledged in the end. */
START_TEST(test_bundled_bottleneck_overflows_and_recovers)
{
	struct tt_sim *s = run_file("bottleneck");
	const struct tt_step *last = tt_sim_step(s, tt_sim_nsteps(s) - 1);
	int fast = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++)
		for (unsigned e = 0; e < tt_sim_step(s, i)->nev; e++)
			fast |= tt_sim_step(s, i)->ev[e].ev.reason == TT_R_FAST_RETRANSMIT;
	ck_assert(fast);
	ck_assert_uint_gt(count_segments(s, TT_ACK, TT_NOTE(QUEUE_FULL)), 0);
	ck_assert_uint_eq(last->tcb[TT_CLIENT].snd_una - last->tcb[TT_CLIENT].iss, 120001);
	tt_sim_free(s);
}
END_TEST

/* ECN: CE marks instead of losses; ECE echoed, CWR sent, nothing lost. */
START_TEST(test_bundled_ecn_marks_instead_of_dropping)
{
	struct tt_sim *s = run_file("ecn");
	const struct tt_step *last = tt_sim_step(s, tt_sim_nsteps(s) - 1);
	unsigned ce = 0, ece = 0, cwr = 0, lost = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT)
			continue;
		ce += !!(st->notes & TT_NOTE(CE));
		lost += !!(st->notes & TT_NOTE(DROPPED));
		if (!(st->seg.flags & TT_SYN)) {
			ece += !!(st->seg.flags & TT_ECE);
			cwr += !!(st->seg.flags & TT_CWR);
		}
	}
	ck_assert_uint_gt(ce, 0);
	ck_assert_uint_gt(ece, 0);
	ck_assert_uint_gt(cwr, 0);
	ck_assert_uint_eq(lost, 0);
	ck_assert_uint_eq(last->tcb[TT_CLIENT].snd_una - last->tcb[TT_CLIENT].iss, 120001);
	tt_sim_free(s);
}
END_TEST

/* Reno and CUBIC on one bottleneck, two connections of one client: each
 * keeps its own algorithm (CUBIC's reduction is CUBIC's alone; its 0.7 is
 * pinned in check_engine), and CUBIC takes the larger share: its 240 KB
 * are acknowledged first. */
START_TEST(test_bundled_reno_vs_cubic_on_one_bottleneck)
{
	struct tt_sim *s = run_file("reno-vs-cubic");
	unsigned fast[2] = { 0, 0 }, cubic[2] = { 0, 0 };
	tt_time done[2] = { 0, 0 };

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);
		unsigned k = st->stream;

		if (k > 1)
			continue;
		for (unsigned e = 0; e < st->nev; e++) {
			if (st->ev[e].host != TT_CLIENT)
				continue;
			fast[k] += st->ev[e].ev.reason == TT_R_FAST_RETRANSMIT;
			cubic[k] += st->ev[e].ev.reason == TT_R_CUBIC_REDUCE;
		}
		if (done[k] == 0 && st->kind == TT_STEP_SEGMENT && st->dir == TT_SERVER &&
		    st->seg.ack - st->tcb[TT_CLIENT].iss == 240001)
			done[k] = st->time;
	}
	ck_assert_uint_gt(fast[0], 0);
	ck_assert_uint_gt(fast[1], 0);
	ck_assert_uint_eq(cubic[0], 0);
	ck_assert_uint_eq(cubic[1], fast[1]);
	ck_assert_int_gt(done[0], 0);
	ck_assert_msg(done[1] > 0 && done[1] < done[0], "cubic done at %lld, reno at %lld",
	              (long long)done[1], (long long)done[0]);
	tt_sim_free(s);
}
END_TEST


/* ---- the listen queues, SYN floods and SYN cookies ----------------------
 * Each fixture is a scenario that leaves the server in one situation; the
 * step where the segment arrived says what happened to it (its reason and
 * states), and the segments after it what left. */

/* The index of the last step with an event of reason r, or -1. */
static long
step_with(const struct tt_sim *s, enum tt_reason r)
{
	for (size_t i = tt_sim_nsteps(s); i-- > 0;) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned k = 0; k < st->nev; k++)
			if (st->ev[k].ev.reason == r)
				return (long)i;
	}
	return -1;
}

/* The first segment step after step i in the same stream, or NULL. */
static const struct tt_step *
next_segment(const struct tt_sim *s, long i)
{
	const struct tt_step *at = tt_sim_step(s, (size_t)i);

	for (size_t k = (size_t)i + 1; k < tt_sim_nsteps(s); k++) {
		const struct tt_step *st = tt_sim_step(s, k);

		if (st->kind == TT_STEP_SEGMENT && st->stream == at->stream)
			return st;
	}
	return NULL;
}

#define ARRIVED_AS(s, i, fl, from, why, cstate, sstate)                            \
	do {                                                                          \
		const struct tt_step *st_;                                             \
		ck_assert_msg((i) >= 0, "no step with %s", tt_reason_id(why));         \
		st_ = tt_sim_step((s), (size_t)(i));                                   \
		ck_assert_int_eq(st_->kind, TT_STEP_SEGMENT);                          \
		ck_assert_uint_eq(st_->seg.flags & 0xff, (fl));                        \
		ck_assert_int_eq(st_->dir, (from));                                    \
		ck_assert_str_eq(tt_state_name(st_->tcb[0].state), tt_state_name(cstate)); \
		ck_assert_str_eq(tt_state_name(st_->tcb[1].state), tt_state_name(sstate)); \
	} while (0)

/* Tests for a full SYN queue */

START_TEST(test_synq_full_drops_the_client_syn_and_it_comes_again)
{
	struct tt_sim *s = run_text("set server backlog 1\nset server syncookies 0\n"
	                            "listen server\nflood server 3\nrun\n"
	                            "connect client\nrun\n");
	long i = step_with(s, TT_R_SYNQ_FULL_DROP);
	const struct tt_step *st;

	/* backlog 1: two half-open children fit, the flood's third SYN and
	 * then the client's are dropped */
	ck_assert_uint_eq(count_segments(s, TT_SYN, TT_NOTE(SPOOFED)), 3);
	ck_assert_uint_eq(count_segments(s, TT_SYN | TT_ACK, TT_NOTE(NO_HOST)), 2);
	ARRIVED_AS(s, i, TT_SYN, TT_CLIENT, TT_R_SYNQ_FULL_DROP, TT_SYN_SENT, TT_LISTEN);
	ck_assert_uint_eq(tt_sim_step(s, (size_t)i)->notes & TT_NOTE(SPOOFED), 0);
	ck_assert_ptr_null(next_segment(s, i));          /* nothing answered it */
	ck_assert_uint_eq(tt_sim_in_flight(s), 0);
	tt_sim_free(s);

	/* the client's backoff sends it again; the children still hold the queue */
	s = run_text("set server backlog 1\nset server syncookies 0\n"
	             "listen server\nflood server 2\nrun\nconnect client\nrun\nadvance 1.2\n");
	i = step_with(s, TT_R_SYNQ_FULL_DROP);
	st = tt_sim_step(s, (size_t)i);
	ck_assert(st->notes & TT_NOTE(RETRANSMISSION));
	ck_assert_str_eq(tt_state_name(st->tcb[1].state), "LISTEN");
	tt_sim_free(s);
}
END_TEST

/* The sandbox's listen carries listen()'s backlog and the tcp_syncookies
 * of the moment (B and K): hosts with no queues configured get them. */
static long
session_reason(const struct tt_session *ses, enum tt_reason r)
{
	for (size_t i = ses->ops->nsteps(ses->ctx); i-- > 0;) {
		const struct tt_step *st = ses->ops->step(ses->ctx, i);

		for (unsigned k = 0; k < st->nev; k++)
			if (st->ev[k].ev.reason == r)
				return (long)i;
	}
	return -1;
}

static void
session_do(const struct tt_session *ses, enum tt_session_kind k, int host, unsigned count,
           int cookies)
{
	struct tt_session_action a;
	char why[256];

	memset(&a, 0, sizeof a);
	a.kind = k;
	a.host = host;
	a.count = count;
	a.cookies = cookies;
	ck_assert_msg(ses->ops->act(ses->ctx, &a, why, sizeof why) == 0, "%s", why);
}

START_TEST(test_session_listen_sets_backlog_and_cookies)
{
	struct tt_session ses;

	/* listen(fd, 1) without cookies: the flood fills the SYN queue */
	tt_sim_session(NULL, &ses);
	ck_assert_int_eq(ses.ops->reset(ses.ctx), 0);   /* its first simulation */
	session_do(&ses, TT_SA_LISTEN, TT_SERVER, 1 + 2, 0 + 1);
	session_do(&ses, TT_SA_FLOOD, TT_SERVER, 4, 0);
	session_do(&ses, TT_SA_DELIVER_ALL, -1, 0, 0);
	session_do(&ses, TT_SA_CONNECT, TT_CLIENT, 0, 0);
	session_do(&ses, TT_SA_DELIVER_ALL, -1, 0, 0);
	ck_assert_int_ge(session_reason(&ses, TT_R_SYNQ_FULL_DROP), 0);
	/* the same with tcp_syncookies = 2: a cookie answers, nothing is dropped */
	ck_assert_int_eq(ses.ops->reset(ses.ctx), 0);
	session_do(&ses, TT_SA_LISTEN, TT_SERVER, 1 + 2, 2 + 1);
	session_do(&ses, TT_SA_FLOOD, TT_SERVER, 4, 0);
	session_do(&ses, TT_SA_DELIVER_ALL, -1, 0, 0);
	session_do(&ses, TT_SA_CONNECT, TT_CLIENT, 0, 0);
	session_do(&ses, TT_SA_DELIVER_ALL, -1, 0, 0);
	ck_assert_int_lt(session_reason(&ses, TT_R_SYNQ_FULL_DROP), 0);
	{
		struct tt_tcb_view v;

		ses.ops->view(ses.ctx, TT_CLIENT, &v);
		ck_assert_str_eq(tt_state_name(v.state), "ESTABLISHED");
	}
	/* count 0 keeps the host's setting: no queues, every SYN a child */
	ck_assert_int_eq(ses.ops->reset(ses.ctx), 0);
	session_do(&ses, TT_SA_LISTEN, TT_SERVER, 0, 0);
	session_do(&ses, TT_SA_FLOOD, TT_SERVER, 4, 0);
	session_do(&ses, TT_SA_DELIVER_ALL, -1, 0, 0);
	ck_assert_int_lt(session_reason(&ses, TT_R_SYNQ_FULL_DROP), 0);
	tt_sim_session_end(&ses);
}
END_TEST

START_TEST(test_synq_reserves_a_quarter_for_proven_peers)
{
	/* tcp_max_syn_backlog 8: an unknown peer is dropped once 7 half-open
	 * children leave fewer than 2 places */
	struct tt_sim *s = run_text("set server backlog 100\nset server syncookies 0\n"
	                            "set server syn-backlog 8\nlisten server\n"
	                            "flood server 8\nrun\n");

	ARRIVED_AS(s, step_with(s, TT_R_SYNQ_RESERVED_DROP), TT_SYN, TT_CLIENT,
	           TT_R_SYNQ_RESERVED_DROP, TT_CLOSED, TT_LISTEN);
	ck_assert_uint_eq(count_segments(s, TT_SYN | TT_ACK, TT_NOTE(NO_HOST)), 7);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_flood_sources_are_streams_of_their_own)
{
	struct tt_sim *s = run_text("listen server\nflood server 3\nrun\n");
	char a[3][48];

	ck_assert_uint_eq(tt_sim_nstreams(s), 3);
	for (unsigned k = 0; k < 3; k++) {
		tt_sim_stream_addr(s, k, TT_CLIENT, a[k], sizeof a[k]);
		ck_assert_int_eq(strncmp(a[k], "198.18.", 7), 0);
	}
	ck_assert_str_ne(a[0], a[1]);
	ck_assert_str_ne(a[1], a[2]);
	tt_sim_free(s);

	/* without queues the application still gets the real connection, not
	 * a flood's half-open one: the server's calls go to the client's */
	s = run_text("listen server\nconnect client\nrun\nflood server 3\nrun\n"
	             "send server 10\nrun\n");
	ck_assert_int_ge(step_with(s, TT_R_SEND_DATA), 0);
	ck_assert_uint_eq(tt_sim_step(s, (size_t)step_with(s, TT_R_SEND_DATA))->stream, 0);
	ck_assert_int_lt(step_with(s, TT_R_SEND_QUEUED), 0);
	tt_sim_free(s);
	s = run_text("listen server\nflood server 3\nrun\n");
	/* no RST from anyone: the SYN,ACKs are lost where no host is */
	ck_assert_uint_eq(count_segments(s, TT_RST, 0), 0);
	ARRIVED_AS(s, step_with(s, TT_R_NO_HOST), TT_SYN | TT_ACK, TT_SERVER, TT_R_NO_HOST,
	           TT_CLOSED, TT_SYN_RECEIVED);
	ck_assert_uint_eq(count_segments(s, TT_SYN | TT_ACK, TT_NOTE(NO_HOST)), 3);
	tt_sim_free(s);
}
END_TEST

/* Tests for a full accept queue */

static const char accept_full[] =
	"set server backlog 1\nset server syncookies 0\n"
	"listen server\nconnect client\nrun\n"
	"connect client new\nconnect client new\nrun\n";

START_TEST(test_acceptq_full_ignores_the_final_ack_then_synack_again)
{
	struct tt_sim *s = run_text(accept_full);
	long i = step_with(s, TT_R_ACCEPTQ_FULL_ACK_IGNORED);
	const struct tt_step *st;

	ARRIVED_AS(s, i, TT_ACK, TT_CLIENT, TT_R_ACCEPTQ_FULL_ACK_IGNORED, TT_ESTABLISHED,
	           TT_SYN_RECEIVED);
	ck_assert_ptr_null(next_segment(s, i));          /* it emits nothing */
	tt_sim_free(s);

	/* its retransmission timer sends the SYN,ACK again; the client's ACK
	 * is ignored again while the queue stays full */
	s = run_text("set server backlog 1\nset server syncookies 0\n"
	             "listen server\nconnect client\nrun\n"
	             "connect client new\nconnect client new\nrun\nadvance 1.5\n");
	i = step_with(s, TT_R_ACCEPTQ_FULL_ACK_IGNORED);
	st = tt_sim_step(s, (size_t)i - 1);
	ck_assert_uint_eq(st->seg.flags, TT_SYN | TT_ACK);
	ck_assert(st->notes & TT_NOTE(RETRANSMISSION));
	ck_assert_int_eq(st->dir, TT_SERVER);
	ARRIVED_AS(s, i, TT_ACK, TT_CLIENT, TT_R_ACCEPTQ_FULL_ACK_IGNORED, TT_ESTABLISHED,
	           TT_SYN_RECEIVED);
	ck_assert_int_gt(st->time, TT_SEC(1));
	tt_sim_free(s);
}
END_TEST

START_TEST(test_acceptq_full_with_abort_on_overflow_resets)
{
	struct tt_sim *s = run_text("set server backlog 1\nset server syncookies 0\n"
	                            "set server abort-on-overflow on\n"
	                            "listen server\nconnect client\nrun\n"
	                            "connect client new\nconnect client new\nrun\n");
	long i = step_with(s, TT_R_ACCEPTQ_FULL_RST);
	const struct tt_step *ack = tt_sim_step(s, (size_t)i), *rst = next_segment(s, i);

	ARRIVED_AS(s, i, TT_ACK, TT_CLIENT, TT_R_ACCEPTQ_FULL_RST, TT_ESTABLISHED, TT_CLOSED);
	ck_assert_ptr_nonnull(rst);
	ck_assert_uint_eq(rst->seg.flags, TT_RST);
	ck_assert_uint_eq(rst->seg.seq, ack->seg.ack);
	ck_assert_str_eq(tt_state_name(rst->tcb[0].state), "CLOSED");
	ck_assert_int_ge(step_with(s, TT_R_RST_RESET), 0);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_acceptq_full_drops_a_new_syn_until_accept_frees_room)
{
	struct tt_sim *s = run_text("set server backlog 0\nset server syncookies 0\n"
	                            "listen server\nconnect client\nrun\n"
	                            "connect client new\nrun\n");
	long i = step_with(s, TT_R_ACCEPTQ_FULL_SYN_DROP);

	ARRIVED_AS(s, i, TT_SYN, TT_CLIENT, TT_R_ACCEPTQ_FULL_SYN_DROP, TT_SYN_SENT, TT_LISTEN);
	ck_assert_ptr_null(next_segment(s, i));
	tt_sim_free(s);

	s = run_text("set server backlog 0\nset server syncookies 0\n"
	             "listen server\nconnect client\nrun\n"
	             "connect client new\nrun\naccept server\nadvance 1.2\n");
	i = step_with(s, TT_R_ACCEPT);
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(tt_state_name(tt_sim_step(s, (size_t)i)->tcb[1].state), "ESTABLISHED");
	i = step_with(s, TT_R_LISTEN_SYN);
	ck_assert(tt_sim_step(s, (size_t)i)->notes & TT_NOTE(RETRANSMISSION));
	ck_assert_str_eq(tt_state_name(tt_sim_step(s, tt_sim_nsteps(s) - 1)->tcb[1].state),
	                 "ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

START_TEST(test_accept_takes_the_oldest_and_frees_room_for_the_ack)
{
	struct tt_sim *s = run_text("set server backlog 1\nset server syncookies 0\n"
	                            "listen server\nconnect client\nrun\n"
	                            "connect client new\nconnect client new\nrun\n"
	                            "accept server\nadvance 1.5\naccept server\naccept server\n"
	                            "accept server\n");
	long i = step_with(s, TT_R_ACCEPT_EMPTY);
	const struct tt_step *st;
	unsigned accepted = 0;

	for (size_t k = 0; k < tt_sim_nsteps(s); k++) {
		st = tt_sim_step(s, k);
		if (st->kind == TT_STEP_EVENT && st->ev[0].ev.reason == TT_R_ACCEPT) {
			/* oldest first: streams 0, 1, then 2 */
			ck_assert_uint_eq(st->stream, accepted);
			accepted++;
		}
	}
	ck_assert_uint_eq(accepted, 3);
	tt_sim_free(s);

	/* before accept, the server's connect finds the ports in use */
	s = run_text("set server backlog 1\nlisten server\nconnect client\ndeliver\n"
	             "connect server\n");
	ck_assert_int_ge(step_with(s, TT_R_OPEN_EXISTS), 0);
	ck_assert_uint_eq(tt_sim_nstreams(s), 1);
	tt_sim_free(s);
	s = run_text("set server backlog 1\nset server syncookies 0\n"
	             "listen server\nconnect client\nrun\n"
	             "connect client new\nconnect client new\nrun\n"
	             "accept server\nadvance 1.5\naccept server\naccept server\n"
	             "accept server\n");
	ck_assert_int_ge(i, 0);
	/* the third connection got through on the ACK after the first accept */
	i = step_with(s, TT_R_SYNRCVD_ACK);
	st = tt_sim_step(s, (size_t)i);
	ck_assert_uint_eq(st->stream, 2);
	ck_assert_uint_eq(st->seg.flags, TT_ACK);
	ck_assert_str_eq(tt_state_name(st->tcb[1].state), "ESTABLISHED");
	tt_sim_free(s);
}
END_TEST

/* Tests for SYN cookies */

START_TEST(test_cookie_round_trip_establishes_with_the_encoded_mss)
{
	struct tt_sim *s = run_text("set server syncookies 2\nset client mss 1400\n"
	                            "listen server\nconnect client\nrun\n"
	                            "send server 1400\nrun\n");
	long i = step_with(s, TT_R_COOKIE_SENT);
	const struct tt_step *syn = tt_sim_step(s, (size_t)i), *synack = next_segment(s, i);
	const struct tt_step *ack;

	/* the SYN leaves the listener in LISTEN, no child */
	ARRIVED_AS(s, i, TT_SYN, TT_CLIENT, TT_R_COOKIE_SENT, TT_SYN_SENT, TT_LISTEN);
	ck_assert_int_eq(syn->sock[1], 0);      /* the listener's own TCB */
	ck_assert_uint_eq(synack->seg.flags, TT_SYN | TT_ACK);
	ck_assert_uint_eq(synack->seg.ack, syn->seg.seq + 1);
	/* the ACK brings it back: ESTABLISHED at once, ISS the cookie */
	i = step_with(s, TT_R_COOKIE_ACK);
	ack = tt_sim_step(s, (size_t)i);
	ARRIVED_AS(s, i, TT_ACK, TT_CLIENT, TT_R_COOKIE_ACK, TT_ESTABLISHED, TT_ESTABLISHED);
	ck_assert_uint_eq(ack->tcb[1].iss, synack->seg.seq);
	ck_assert_uint_eq(ack->tcb[1].irs, syn->seg.seq);
	ck_assert_int_ne(ack->sock[1], 0);      /* a new child */
	/* 1400 bytes go as 1300 + 100: the MSS the cookie kept */
	ck_assert_uint_eq(count_segments(s, TT_ACK, 0) >= 1, 1);
	for (size_t k = 0; k < tt_sim_nsteps(s); k++) {
		const struct tt_step *st = tt_sim_step(s, k);

		if (st->kind == TT_STEP_SEGMENT && st->dir == TT_SERVER && st->seg.len > 0)
			ck_assert_msg(st->seg.len == 1300 || st->seg.len == 100, "len %u",
			              st->seg.len);
	}
	tt_sim_free(s);
}
END_TEST

START_TEST(test_cookies_on_overflow_let_the_client_through_a_flood)
{
	struct tt_sim *s = run_file("syn-cookies");

	ck_assert_int_ge(step_with(s, TT_R_COOKIE_SENT), 0);
	ck_assert_int_lt(step_with(s, TT_R_SYNQ_FULL_DROP), 0);
	ck_assert_str_eq(path_of(s, TT_CLIENT), "CLOSED SYN-SENT ESTABLISHED");
	ck_assert_int_ge(step_with(s, TT_R_COOKIE_ACK), 0);
	tt_sim_free(s);
	s = run_file("syn-flood");
	ck_assert_int_lt(step_with(s, TT_R_COOKIE_SENT), 0);
	ck_assert_int_ge(step_with(s, TT_R_SYNQ_FULL_DROP), 0);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_forged_cookie_is_answered_as_an_ack_in_listen)
{
	/* no SYN ever reached the server: the ACK's ack - 1 is no cookie */
	struct tt_sim *s = run_text("set server syncookies 2\nlisten server\nconnect client\n"
	                            "drop SYN\ninject client ACK seq=1001 ack=777\nrun\n");
	long i = step_with(s, TT_R_COOKIE_BAD);
	const struct tt_step *rst = next_segment(s, i);

	ck_assert_int_ge(i, 0);
	ck_assert_int_eq(tt_sim_step(s, (size_t)i)->ev[1].ev.reason, TT_R_LISTEN_RST_ACK);
	ck_assert_ptr_nonnull(rst);
	ck_assert_uint_eq(rst->seg.flags, TT_RST);
	ck_assert_uint_eq(rst->seg.seq, 777);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_stale_cookie_is_refused)
{
	/* the ACK is held back three minutes: two minute-counts later the
	 * cookie no longer checks */
	struct tt_sim *s = run_text("set server syncookies 2\nlisten server\nconnect client\n"
	                            "deliver 2\ndelay 180 ACK\nrun\n");
	long i = step_with(s, TT_R_COOKIE_BAD);

	ARRIVED_AS(s, i, TT_ACK, TT_CLIENT, TT_R_COOKIE_BAD, TT_ESTABLISHED, TT_LISTEN);
	ck_assert_uint_eq(next_segment(s, i)->seg.flags, TT_RST);
	ck_assert_int_lt(step_with(s, TT_R_COOKIE_ACK), 0);
	tt_sim_free(s);
}
END_TEST

START_TEST(test_queue_settings_are_checked)
{
	expect_parse_error("set server syncookies 3\n", "syncookies is 0 (never)");
	expect_parse_error("set server backlog x\n", "backlog must be a number");
	expect_parse_error("set server syn-backlog 0\n", "syn-backlog must be a number from 1");
	expect_parse_error("set server abort-on-overflow maybe\n", "not on or off");
	expect_parse_error("flood server\n", "use: flood server N");
	expect_parse_error("flood client 3\n", "use: flood server N");
	expect_parse_error("flood server 10001\n", "use: flood server N");
	expect_parse_error("accept server now\n", "use: accept");
}
END_TEST

/* ---- relative numbering (trace/trace.h): one rule for every view ---- */

/* A segment step sent by `dir` in stream 0, for the numbering tests. */
static struct tt_step
seg_step(int dir, unsigned flags, uint32_t seq, uint32_t ack, enum tt_state sender)
{
	struct tt_step st;

	memset(&st, 0, sizeof st);
	st.kind = TT_STEP_SEGMENT;
	st.dir = dir;
	st.seg.flags = flags;
	st.seg.seq = seq;
	st.seg.ack = ack;
	st.tcb[dir].state = sender;
	st.tcb[!dir].state = TT_ESTABLISHED;
	return st;
}

/* The errors lesson's refused connection: SYN to a port where nothing
 * listens, RST,ACK with SEQ=0 back (RFC 9293 §3.10.7.1). Counted from the
 * configured ISSs, as the lesson's narration does, the RST's seq stays 0
 * and its ack is 1, in the step view as in the batch table. */
START_TEST(test_bases_refused_rst_stays_zero)
{
	struct tt_sim *s = run_file("closed-port-rst");
	const struct tt_sim_config *cfg = tt_sim_config(s);
	uint32_t iss[2] = { cfg->host[0].iss, cfg->host[1].iss }, base[1][2], seq, ack;
	const struct tt_step *rst = NULL;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++)
		if (tt_sim_step(s, i)->kind == TT_STEP_SEGMENT &&
		    (tt_sim_step(s, i)->seg.flags & TT_RST))
			rst = tt_sim_step(s, i);
	ck_assert_ptr_nonnull(rst);
	ck_assert_uint_eq(rst->seg.seq, 0);
	ck_assert_uint_ne(iss[TT_SERVER], 0);
	/* the scene's connection counts from the configured ISSs */
	tt_trace_rel(rst, iss, &seq, &ack);
	ck_assert_uint_eq(seq, 0);
	ck_assert_uint_eq(ack, 1);
	/* by Wireshark's rule the RST, the server's first segment, is its base */
	ck_assert_uint_eq(tt_sim_nstreams(s), 1);
	ck_assert_int_eq(tt_trace_bases(tt_sim_step(s, 0), tt_sim_nsteps(s), 1, iss, base), 0);
	ck_assert_uint_eq(base[0][TT_CLIENT], iss[TT_CLIENT]);
	ck_assert_uint_eq(base[0][TT_SERVER], 0);
	tt_trace_rel(rst, base[0], &seq, &ack);
	ck_assert_uint_eq(seq, 0);
	ck_assert_uint_eq(ack, 1);
	tt_sim_free(s);
}
END_TEST

/* A stream seen from the middle: no SYN from the client, nothing at all
 * from the server. The client counts from its first segment, the server
 * from the fallback; a later SYN still wins over a plain segment. */
START_TEST(test_bases_mid_stream_without_syn)
{
	struct tt_step st[3];
	uint32_t fb[2] = { 7, 9000 }, base[2][2], seq, ack;

	st[0] = seg_step(TT_CLIENT, TT_ACK, 1000, 9001, TT_ESTABLISHED);
	st[1] = seg_step(TT_CLIENT, TT_PSH | TT_ACK, 1000, 9001, TT_ESTABLISHED);
	st[2] = seg_step(TT_SERVER, TT_SYN, 50, 0, TT_SYN_SENT);
	st[2].stream = 1;
	ck_assert_int_eq(tt_trace_bases(st, 3, 2, fb, base), 0);
	ck_assert_uint_eq(base[0][TT_CLIENT], 1000);
	ck_assert_uint_eq(base[0][TT_SERVER], 9000);
	ck_assert_uint_eq(base[1][TT_CLIENT], 7);
	ck_assert_uint_eq(base[1][TT_SERVER], 50);
	tt_trace_rel(&st[1], base[0], &seq, &ack);
	ck_assert_uint_eq(seq, 0);
	ck_assert_uint_eq(ack, 1);
	/* a SYN after a plain segment of the same host moves its base */
	st[2] = seg_step(TT_CLIENT, TT_SYN, 400, 0, TT_SYN_SENT);
	ck_assert_int_eq(tt_trace_bases(st, 3, 1, fb, base), 0);
	ck_assert_uint_eq(base[0][TT_CLIENT], 400);
	/* a RST with SEQ=0 from a host with a connection is no special case */
	st[0] = seg_step(TT_SERVER, TT_RST, 0, 0, TT_ESTABLISHED);
	tt_trace_rel(&st[0], fb, &seq, &ack);
	ck_assert_uint_eq(seq, (uint32_t)(0 - fb[TT_SERVER]));
}
END_TEST

/* A capture that starts mid-stream learns the bases as Wireshark does:
 * the first byte seen counts 1, the receiver's base is the first ACK's
 * ack - 1, and a base once known stays. */
START_TEST(test_bases_learnt_from_a_capture_mid_stream)
{
	uint32_t base[2] = { 0, 0 };
	unsigned set = 0;

	set = tt_trace_learn(base, set, TT_CLIENT, 1000, 5001, TT_ACK | TT_PSH);
	ck_assert_uint_eq(set, 3);
	ck_assert_uint_eq(base[TT_CLIENT], 999);
	ck_assert_uint_eq(base[TT_SERVER], 5000);
	set = tt_trace_learn(base, set, TT_SERVER, 7000, 1, TT_SYN | TT_ACK);
	ck_assert_uint_eq(base[TT_SERVER], 5000);
	ck_assert_uint_eq(base[TT_CLIENT], 999);
	set = tt_trace_learn(base, 0, TT_SERVER, 7000, 0, TT_SYN);
	ck_assert_uint_eq(set, 2);
	ck_assert_uint_eq(base[TT_SERVER], 7000);
}
END_TEST

/* A step keeps TT_STEP_EVENTS events; what comes past them is counted and
 * noted events-cut, never dropped without a word. */
START_TEST(test_step_past_its_events_says_so)
{
	struct tt_step st;
	struct tt_out out;
	char notes[128];

	memset(&st, 0, sizeof st);
	tt_out_clear(&out);
	for (unsigned i = 0; i < 5; i++) {
		out.ev[i].reason = TT_R_OPEN_PASSIVE;
		out.ev[i].from = TT_LISTEN;
		out.ev[i].to = TT_SYN_RECEIVED;
	}
	out.nev = 5;
	sim_add_events(&st, TT_SERVER, 0, &out);
	ck_assert_uint_eq(st.nev, 5);
	ck_assert_uint_eq(st.ev_lost, 0);
	ck_assert_uint_eq(st.notes, 0);
	sim_add_events(&st, TT_SERVER, 1, &out);
	ck_assert_uint_eq(st.nev, TT_STEP_EVENTS);
	ck_assert_uint_eq(st.ev_lost, 10 - TT_STEP_EVENTS);
	ck_assert_uint_eq(st.ev[TT_STEP_EVENTS - 1].sock, 1);
	ck_assert_str_eq(tt_notes_format(st.notes, notes, sizeof notes), "events-cut");
}
END_TEST

/* A crash of a host with more connections than a step keeps events goes
 * on in further steps: every TCB lost is said, and no step is cut. */
START_TEST(test_crash_of_many_connections_keeps_every_event)
{
	struct tt_sim *s = run_text("listen server\nflood server 12\nrun\ncrash server\n");
	unsigned crashed = 0;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		ck_assert_uint_eq(st->ev_lost, 0);
		ck_assert(!(st->notes & TT_NOTE(EVENTS_CUT)));
		for (unsigned k = 0; k < st->nev; k++)
			if (st->ev[k].ev.reason == TT_R_HOST_CRASH && st->ev[k].ev.from != TT_CLOSED)
				crashed++;
	}
	ck_assert_uint_gt(crashed, TT_STEP_EVENTS);
	tt_sim_free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("scenario");
	TCase *wire = tcase_create("wire");
	TCase *bundled = tcase_create("bundled");
	TCase *random = tcase_create("random");

	tcase_add_test(tc, test_scenario_errors_name_file_and_line);
	tcase_add_test(tc, test_scenario_run_error_names_line);
	tcase_add_test(tc, test_zero_window_probes_take_no_rtt_sample);
	tcase_add_test(tc, test_scenario_survives_garbage);
	tcase_add_test(tc, test_hash_n_picks_the_nth_segment);
	tcase_add_test(tc, test_comments_still_work);
	tcase_add_test(tc, test_unusable_words_are_errors);
	tcase_add_test(tc, test_seconds_and_flag_lists_are_checked);
	tcase_add_test(tc, test_quoted_number_is_text);
	tcase_add_test(tc, test_new_settings_reach_the_engine);
	tcase_add_test(tc, test_shutdown_close_and_urgent_actions);
	tcase_add_test(tc, test_first_step_maps_actions_to_steps);
	tcase_add_test(tc, test_seed_derives_repeatable_iss);
	tcase_add_test(tc, test_queue_settings_are_checked);
	tcase_add_test(wire, test_synq_full_drops_the_client_syn_and_it_comes_again);
	tcase_add_test(wire, test_session_listen_sets_backlog_and_cookies);
	tcase_add_test(wire, test_synq_reserves_a_quarter_for_proven_peers);
	tcase_add_test(wire, test_flood_sources_are_streams_of_their_own);
	tcase_add_test(wire, test_acceptq_full_ignores_the_final_ack_then_synack_again);
	tcase_add_test(wire, test_acceptq_full_with_abort_on_overflow_resets);
	tcase_add_test(wire, test_acceptq_full_drops_a_new_syn_until_accept_frees_room);
	tcase_add_test(wire, test_accept_takes_the_oldest_and_frees_room_for_the_ack);
	tcase_add_test(wire, test_cookie_round_trip_establishes_with_the_encoded_mss);
	tcase_add_test(wire, test_forged_cookie_is_answered_as_an_ack_in_listen);
	tcase_add_test(wire, test_stale_cookie_is_refused);
	tcase_add_test(bundled, test_cookies_on_overflow_let_the_client_through_a_flood);
	suite_add_tcase(s, tc);
	tcase_add_test(wire, test_deliver_follows_arrival_time_and_delay);
	tcase_add_test(wire, test_duplicate_delivers_twice);
	tcase_add_test(wire, test_delay_reorders_segments);
	tcase_add_test(wire, test_advance_delivers_and_fires_timers_in_order);
	tcase_add_test(wire, test_same_actions_give_same_trace);
	tcase_add_test(wire, test_shutdown_sends_fin_close_with_unread_data_resets);
	tcase_add_test(wire, test_send_urgent_sets_urg);
	tcase_add_test(wire, test_crash_keeps_the_isn_clock);
	tcase_add_test(wire, test_endless_exchange_hits_the_limit);
	tcase_add_test(wire, test_limit_is_counted_per_action);
	tcase_add_test(wire, test_link_rate_spaces_segments_by_their_size);
	tcase_add_test(wire, test_link_queue_drops_the_tail);
	tcase_add_test(wire, test_link_marks_ce_on_ect_segments);
	tcase_add_test(wire, test_link_random_loss_is_repeatable);
	suite_add_tcase(s, wire);
	tcase_add_test(wire, test_keepalive_waits_for_outstanding_data);
	tcase_add_test(wire, test_listener_serves_two_connections);
	tcase_add_test(wire, test_listener_keeps_listening_after_a_reset);
	tcase_add_test(wire, test_new_incarnation_is_a_new_stream);
	tcase_add_test(tc, test_user_calls_pick_a_stream);
	tcase_add_test(bundled, test_bundled_handshake);
	tcase_add_test(bundled, test_bundled_client_first_close);
	tcase_add_test(bundled, test_bundled_server_first_close);
	tcase_add_test(bundled, test_bundled_fin_ack_close_takes_three_segments);
	tcase_add_test(bundled, test_bundled_simultaneous_open);
	tcase_add_test(bundled, test_bundled_simultaneous_close_passes_closing_on_both_ends);
	tcase_add_test(bundled, test_bundled_half_close_sends_in_close_wait);
	tcase_add_test(bundled, test_bundled_lost_syn_backs_off);
	tcase_add_test(bundled, test_bundled_nagle_waits_for_the_delayed_ack);
	tcase_add_test(bundled, test_bundled_zero_window_probes_back_off);
	tcase_add_test(bundled, test_bundled_rto_backs_off);
	tcase_add_test(bundled, test_bundled_bottleneck_overflows_and_recovers);
	tcase_add_test(bundled, test_bundled_ecn_marks_instead_of_dropping);
	tcase_add_test(bundled, test_bundled_reno_vs_cubic_on_one_bottleneck);
	tcase_add_test(bundled, test_bundled_lost_syn_ack);
	tcase_add_test(bundled, test_bundled_lost_final_ack_answered_from_time_wait);
	tcase_add_test(bundled, test_bundled_time_wait_expires_after_two_msl);
	tcase_add_test(bundled, test_bundled_closed_port_is_refused);
	tcase_add_test(bundled, test_bundled_abort_sends_rst_and_both_close);
	tcase_add_test(bundled, test_bundled_half_open_found_by_keepalive);
	tcase_add_test(bundled, test_bundled_keepalive_gives_up_on_a_dead_host);
	tcase_add_test(bundled, test_bundled_old_duplicate_syn_recovers);
	tcase_add_test(bundled, test_bases_refused_rst_stays_zero);
	tcase_add_test(bundled, test_bases_mid_stream_without_syn);
	tcase_add_test(bundled, test_bases_learnt_from_a_capture_mid_stream);
	tcase_add_test(bundled, test_step_past_its_events_says_so);
	tcase_add_test(bundled, test_crash_of_many_connections_keeps_every_event);
	suite_add_tcase(s, bundled);
	tcase_add_test(random, test_random_scenarios_keep_invariants);
	tcase_add_test(random, test_random_transfers_deliver_every_byte);
	tcase_set_timeout(random, 600);
	suite_add_tcase(s, random);
	return tt_check_run(s);
}
