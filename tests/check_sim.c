/* tests/check_sim.c: the simulated wire, the scenario reader and the
 * bundled scenarios, plus seeded random scenarios checked for invariants. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tt_check.h"
#include "sim/sim.h"

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
	expect_parse_error("set client nagle on\n", "unknown setting 'nagle'");
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
	tcase_add_test(tc, test_scenario_survives_garbage);
	tcase_add_test(tc, test_first_step_maps_actions_to_steps);
	tcase_add_test(tc, test_seed_derives_repeatable_iss);
	suite_add_tcase(s, tc);
	tcase_add_test(wire, test_deliver_follows_arrival_time_and_delay);
	tcase_add_test(wire, test_duplicate_delivers_twice);
	tcase_add_test(wire, test_delay_reorders_segments);
	tcase_add_test(wire, test_advance_delivers_and_fires_timers_in_order);
	tcase_add_test(wire, test_same_actions_give_same_trace);
	suite_add_tcase(s, wire);
	tcase_add_test(bundled, test_bundled_handshake);
	tcase_add_test(bundled, test_bundled_client_first_close);
	tcase_add_test(bundled, test_bundled_server_first_close);
	tcase_add_test(bundled, test_bundled_fin_ack_close_takes_three_segments);
	tcase_add_test(bundled, test_bundled_simultaneous_open);
	tcase_add_test(bundled, test_bundled_simultaneous_close_passes_closing_on_both_ends);
	tcase_add_test(bundled, test_bundled_half_close_sends_in_close_wait);
	tcase_add_test(bundled, test_bundled_lost_syn_backs_off);
	tcase_add_test(bundled, test_bundled_lost_syn_ack);
	tcase_add_test(bundled, test_bundled_lost_final_ack_answered_from_time_wait);
	tcase_add_test(bundled, test_bundled_time_wait_expires_after_two_msl);
	tcase_add_test(bundled, test_bundled_closed_port_is_refused);
	tcase_add_test(bundled, test_bundled_abort_sends_rst_and_both_close);
	tcase_add_test(bundled, test_bundled_half_open_found_by_keepalive);
	tcase_add_test(bundled, test_bundled_keepalive_gives_up_on_a_dead_host);
	tcase_add_test(bundled, test_bundled_old_duplicate_syn_recovers);
	suite_add_tcase(s, bundled);
	tcase_add_test(random, test_random_scenarios_keep_invariants);
	tcase_add_test(random, test_random_transfers_deliver_every_byte);
	tcase_set_timeout(random, 600);
	suite_add_tcase(s, random);
	return tt_check_run(s);
}
