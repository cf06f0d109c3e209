/* tests/check_observe.c: the observer (engine/observer.c), in smoltcp's
 * style: a connection brought to a state by the segments a capture shows,
 * then what arrives, and exactly which state changes (with their RFC 9293
 * reasons) each endpoint goes through at which row. Every state change is
 * also checked against RFC 9293's state diagram. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "engine/tcp.h"
#include "tests/tt_check.h"

#define MAXROWS 64
#define MAXTR 8

/* What the test sees of each row, built from the effects as the capture
 * layer builds its rows: state changes at their rows, states from there on. */
struct row {
	enum tt_state state[2];
	unsigned ntr[2];
	struct tt_event tr[2][MAXTR];   /* state changes only */
	unsigned flags;                 /* TT_OBS_* of effects at this row */
	uint64_t arrived_after;         /* crossed: the row it arrived at */
	unsigned nwhy[2];
	enum tt_reason why[2][MAXTR];   /* every event's reason */
};

static struct tt_obs *o;
static struct tt_obs_out out = { .views = 1 };
static struct row rows[MAXROWS + 1];
static uint64_t nrow;

static void
setup(void)
{
	o = tt_obs_new();
	ck_assert_ptr_nonnull(o);
	memset(rows, 0, sizeof rows);
	nrow = 0;
}

static void
teardown(void)
{
	tt_obs_free(o);
}

static void
apply(void)
{
	for (unsigned i = 0; i < out.n; i++) {
		const struct tt_obs_effect *e = &out.e[i];
		struct row *r;

		ck_assert_uint_ge(e->row, 1);
		ck_assert_uint_le(e->row, nrow);
		ck_assert_msg(!(e->flags & TT_OBS_TRUNCATED), "row %llu: an effect was cut",
		              (unsigned long long)e->row);
		/* nothing changes a row the observer called final */
		r = &rows[e->row];
		r->flags |= e->flags;
		if (e->flags & TT_OBS_LOST)
			continue;
		if (e->flags & TT_OBS_CROSSED)
			rows[e->arrived].arrived_after = e->row;
		for (unsigned k = 0; k < e->nev; k++) {
			const struct tt_event *ev = &e->ev[k];

			if (r->nwhy[e->host] < MAXTR)
				r->why[e->host][r->nwhy[e->host]++] = ev->reason;
			if (ev->from == ev->to)
				continue;
			ck_assert_uint_lt(r->ntr[e->host], MAXTR);
			r->tr[e->host][r->ntr[e->host]++] = *ev;
		}
		for (uint64_t k = e->row; k <= nrow; k++)
			rows[k].state[e->host] = e->tcb.state;
	}
	out.n = 0;
}

static uint64_t settled_before;

/* A segment seen from `from` (0 client, 1 server). */
static unsigned
seen(int from, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	struct tt_seg s;
	unsigned r;

	memset(&s, 0, sizeof s);
	s.flags = (uint16_t)flags;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.wnd = 65535;
	ck_assert_uint_lt(nrow, MAXROWS);
	nrow++;
	rows[nrow].state[0] = tt_obs_state(o, 0);
	rows[nrow].state[1] = tt_obs_state(o, 1);
	settled_before = tt_obs_settled(o);
	r = tt_obs_segment(o, from, &s, nrow, (tt_time)nrow * 1000, &out);
	for (unsigned i = 0; i < out.n; i++)
		ck_assert_uint_ge(out.e[i].row, settled_before < nrow ? settled_before : nrow);
	apply();
	return r;
}

static void
flush(void)
{
	tt_obs_flush(o, (tt_time)(nrow + 1) * 1000, &out);
	apply();
	ck_assert_uint_eq(tt_obs_settled(o), UINT64_MAX);
}

#define ROW(n, c, s)                                                                      \
	do {                                                                              \
		ck_assert_str_eq(tt_state_name(rows[n].state[0]), tt_state_name(c));     \
		ck_assert_str_eq(tt_state_name(rows[n].state[1]), tt_state_name(s));     \
	} while (0)

/* Every row's changes are diagram edges that lead from the previous row's
 * state to this row's. */
static void
check_diagram(void)
{
	enum tt_state prev[2] = { TT_CLOSED, TT_CLOSED };

	for (uint64_t n = 1; n <= nrow; n++)
		for (int h = 0; h < 2; h++) {
			enum tt_state at = n == 1 && rows[n].ntr[h] == 0 ? rows[n].state[h] : prev[h];

			if (n == 1 && rows[n].ntr[h] > 0)
				at = rows[n].tr[h][0].from;
			for (unsigned k = 0; k < rows[n].ntr[h]; k++) {
				const struct tt_event *ev = &rows[n].tr[h][k];

				ck_assert_msg(ev->from == at, "row %llu host %d: %s, then from %s",
				              (unsigned long long)n, h, tt_state_name(at),
				              tt_state_name(ev->from));
				ck_assert_msg(tt_check_edge_allowed(ev->from, ev->to, ev->reason),
				              "row %llu host %d: %s -> %s",
				              (unsigned long long)n, h, tt_state_name(ev->from),
				              tt_state_name(ev->to));
				at = ev->to;
			}
			ck_assert_msg(at == rows[n].state[h], "row %llu host %d: ends %s, shows %s",
			              (unsigned long long)n, h, tt_state_name(at),
			              tt_state_name(rows[n].state[h]));
			prev[h] = rows[n].state[h];
		}
}

/* The state changes of host h at row n, as "A>B:REASON A>B:REASON". */
static const char *
changes(uint64_t n, int h)
{
	static char buf[512];
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < rows[n].ntr[h]; k++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s>%s:%s", k ? " " : "",
		                       tt_state_name(rows[n].tr[h][k].from),
		                       tt_state_name(rows[n].tr[h][k].to),
		                       tt_reason_id(rows[n].tr[h][k].reason));
	return buf;
}

/* client ISS 100, server ISS 300 */
static void
handshake(void)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	seen(0, TT_ACK, 101, 301, 0);
}

/* ---- LISTEN / SYN-SENT -------------------------------------------------- */

START_TEST(test_handshake_arrives_at_once_when_answered)
{
	seen(0, TT_SYN, 100, 0, 0);
	/* the SYN's arrival waits for the server's word */
	ck_assert_uint_eq(tt_obs_settled(o), 1);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	ck_assert_uint_gt(tt_obs_settled(o), 1);
	seen(0, TT_ACK, 101, 301, 0);
	flush();
	ROW(1, TT_SYN_SENT, TT_SYN_RECEIVED);
	ROW(2, TT_ESTABLISHED, TT_SYN_RECEIVED);
	ROW(3, TT_ESTABLISHED, TT_ESTABLISHED);
	ck_assert_str_eq(changes(1, 0), "CLOSED>SYN-SENT:OPEN_ACTIVE");
	ck_assert_str_eq(changes(1, 1), "CLOSED>LISTEN:OPEN_PASSIVE LISTEN>SYN-RECEIVED:LISTEN_SYN");
	ck_assert_str_eq(changes(2, 0), "SYN-SENT>ESTABLISHED:SYNSENT_SYN_ACK");
	ck_assert_str_eq(changes(3, 1), "SYN-RECEIVED>ESTABLISHED:SYNRCVD_ACK");
	check_diagram();
}
END_TEST

START_TEST(test_refused_syn_finds_the_server_closed_all_along)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_RST | TT_ACK, 0, 101, 0);
	flush();
	ROW(1, TT_SYN_SENT, TT_CLOSED);
	ROW(2, TT_CLOSED, TT_CLOSED);
	ck_assert_str_eq(changes(1, 1), "");
	ck_assert_str_eq(changes(2, 0), "SYN-SENT>CLOSED:SYNSENT_RST");
	check_diagram();
}
END_TEST

START_TEST(test_unanswered_syn_is_presumed_to_reach_a_listener)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(0, TT_SYN, 100, 0, 0);      /* retransmitted */
	flush();
	ROW(1, TT_SYN_SENT, TT_SYN_RECEIVED);
	ROW(2, TT_SYN_SENT, TT_SYN_RECEIVED);
	check_diagram();
}
END_TEST

START_TEST(test_crossed_syns_are_a_simultaneous_open)
{
	/* RFC 9293 Figure 7: each SYN sent before the other arrived */
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN, 300, 0, 0);
	seen(0, TT_SYN | TT_ACK, 100, 301, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	seen(0, TT_ACK, 101, 301, 0);
	flush();
	ROW(1, TT_SYN_SENT, TT_CLOSED);
	ROW(2, TT_SYN_RECEIVED, TT_SYN_RECEIVED);
	ck_assert_str_eq(changes(2, 1), "CLOSED>SYN-SENT:OPEN_ACTIVE SYN-SENT>SYN-RECEIVED:SYNSENT_SYN");
	ck_assert_str_eq(changes(2, 0), "SYN-SENT>SYN-RECEIVED:SYNSENT_SYN");
	ck_assert_uint_eq(rows[1].arrived_after, 2);
	ROW(3, TT_SYN_RECEIVED, TT_ESTABLISHED);
	ROW(4, TT_ESTABLISHED, TT_ESTABLISHED);
	check_diagram();
}
END_TEST

/* RFC 5961 §5.2: an ACK of data the server never sent (its next segment
 * starts below it: a challenge ACK) invents no bytes, and the server's RST
 * later is in the client's window */
START_TEST(test_ack_of_unsent_data_invents_nothing)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	seen(0, TT_ACK, 101, 301, 0);
	seen(0, TT_ACK, 101, 1300, 0);          /* 999 bytes never sent */
	seen(1, TT_ACK, 301, 101, 0);           /* the challenge ACK */
	seen(1, TT_RST | TT_ACK, 301, 101, 0);
	flush();
	ROW(4, TT_ESTABLISHED, TT_ESTABLISHED);
	ROW(5, TT_ESTABLISHED, TT_ESTABLISHED);
	ROW(6, TT_CLOSED, TT_CLOSED);
	check_diagram();
}
END_TEST

/* the same ACK when the capture missed the bytes: the server's next
 * segment starts past them, and the bytes are inferred */
START_TEST(test_ack_past_missed_bytes_is_believed_at_the_next_word)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	seen(0, TT_ACK, 101, 301, 0);
	seen(0, TT_ACK, 101, 1300, 0);          /* bytes 301-1299 not captured */
	seen(1, TT_FIN | TT_ACK, 1300, 101, 0);
	seen(0, TT_ACK, 101, 1301, 0);
	flush();
	ROW(5, TT_CLOSE_WAIT, TT_FIN_WAIT_1);  /* the FIN reached it there: the ACK after covers it */
	ROW(6, TT_CLOSE_WAIT, TT_FIN_WAIT_2);
	check_diagram();
}
END_TEST

/* §3.10.7.4, fifth: an unacceptable ACK in SYN-RECEIVED is answered with
 * <SEQ=SEG.ACK><CTL=RST> and the TCB stays */
START_TEST(test_bad_ack_in_syn_received_is_answered_not_taken)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	seen(0, TT_ACK, 101, 90000, 0);
	seen(1, TT_RST, 90000, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);  /* sent again */
	flush();
	ROW(3, TT_ESTABLISHED, TT_SYN_RECEIVED);
	ROW(4, TT_ESTABLISHED, TT_SYN_RECEIVED);
	ROW(5, TT_ESTABLISHED, TT_SYN_RECEIVED);
	check_diagram();
}
END_TEST

/* a FIN beyond a hole (the server's duplicate ACK shows it waiting) is
 * taken when the bytes before it come */
START_TEST(test_fin_beyond_a_hole_waits_for_it)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);
	seen(0, TT_ACK, 101, 301, 0);
	seen(0, TT_FIN | TT_ACK, 106, 301, 0);
	seen(1, TT_ACK, 301, 101, 0);           /* duplicate ACK */
	seen(0, TT_ACK, 101, 301, 5);           /* the hole */
	seen(1, TT_ACK, 301, 107, 0);
	flush();
	ROW(5, TT_FIN_WAIT_1, TT_ESTABLISHED);
	ROW(6, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	ROW(7, TT_FIN_WAIT_2, TT_CLOSE_WAIT);
	check_diagram();
}
END_TEST

START_TEST(test_lost_syn_ack_sent_again_never_arrived)
{
	seen(0, TT_SYN, 100, 0, 0);
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);  /* lost past the capture */
	seen(0, TT_SYN, 100, 0, 0);             /* the client did not get it */
	seen(1, TT_SYN | TT_ACK, 300, 101, 0);  /* sent again */
	seen(0, TT_ACK, 101, 301, 0);
	flush();
	ck_assert_uint_eq(rows[2].flags & TT_OBS_LOST, TT_OBS_LOST);
	ROW(2, TT_SYN_SENT, TT_SYN_RECEIVED);
	ROW(3, TT_SYN_SENT, TT_SYN_RECEIVED);
	ROW(4, TT_ESTABLISHED, TT_SYN_RECEIVED);
	ROW(5, TT_ESTABLISHED, TT_ESTABLISHED);
	check_diagram();
}
END_TEST

START_TEST(test_missed_syn_ack_is_inferred)
{
	seen(0, TT_SYN, 100, 0, 0);
	ck_assert_uint_eq(seen(0, TT_ACK, 101, 301, 0) & TT_OBS_INFERRED, TT_OBS_INFERRED);
	seen(0, TT_FIN | TT_ACK, 101, 301, 0);
	flush();
	ROW(2, TT_ESTABLISHED, TT_ESTABLISHED);
	ROW(3, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	check_diagram();
}
END_TEST

START_TEST(test_capture_starting_at_syn_ack_infers_the_syn)
{
	ck_assert_uint_eq(seen(1, TT_SYN | TT_ACK, 300, 101, 0) & TT_OBS_MIDSTREAM,
	                  TT_OBS_MIDSTREAM);
	seen(0, TT_ACK, 101, 301, 0);
	flush();
	/* the SYN,ACK arrived before the client's ACK */
	ROW(1, TT_ESTABLISHED, TT_SYN_RECEIVED);
	ROW(2, TT_ESTABLISHED, TT_ESTABLISHED);
	check_diagram();
}
END_TEST

/* ---- ESTABLISHED ---------------------------------------------------------- */

START_TEST(test_client_first_close)
{
	handshake();
	seen(0, TT_FIN | TT_ACK, 101, 301, 0);
	seen(1, TT_ACK, 301, 102, 0);
	seen(1, TT_FIN | TT_ACK, 301, 102, 0);
	seen(0, TT_ACK, 102, 302, 0);
	flush();
	ROW(4, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	ROW(5, TT_FIN_WAIT_2, TT_CLOSE_WAIT);
	ROW(6, TT_TIME_WAIT, TT_LAST_ACK);
	ROW(7, TT_TIME_WAIT, TT_CLOSED);
	ck_assert_str_eq(changes(4, 0), "ESTABLISHED>FIN-WAIT-1:CLOSE_SEND_FIN");
	ck_assert_str_eq(changes(4, 1), "ESTABLISHED>CLOSE-WAIT:FIN_EST");
	ck_assert_str_eq(changes(7, 1), "LAST-ACK>CLOSED:LASTACK_FIN_ACKED");
	check_diagram();
}
END_TEST

START_TEST(test_crossed_fins_are_a_simultaneous_close)
{
	/* RFC 9293 Figure 13: neither FIN acknowledges the other */
	handshake();
	seen(0, TT_FIN | TT_ACK, 101, 301, 0);
	seen(1, TT_FIN | TT_ACK, 301, 101, 0);
	seen(1, TT_ACK, 302, 102, 0);
	seen(0, TT_ACK, 102, 302, 0);
	flush();
	ROW(4, TT_FIN_WAIT_1, TT_ESTABLISHED);
	ck_assert_uint_eq(rows[4].arrived_after, 5);
	ROW(5, TT_CLOSING, TT_CLOSING);
	ck_assert_str_eq(changes(5, 1),
	                 "ESTABLISHED>FIN-WAIT-1:CLOSE_SEND_FIN FIN-WAIT-1>CLOSING:FIN_FW1");
	ck_assert_str_eq(changes(5, 0), "FIN-WAIT-1>CLOSING:FIN_FW1");
	ROW(6, TT_TIME_WAIT, TT_CLOSING);
	ROW(7, TT_TIME_WAIT, TT_TIME_WAIT);
	ck_assert_uint_eq(tt_obs_state(o, 0), TT_TIME_WAIT);
	check_diagram();
}
END_TEST

START_TEST(test_fin_that_acks_the_other_closes_in_three_segments)
{
	handshake();
	seen(0, TT_FIN | TT_ACK, 101, 301, 0);
	seen(1, TT_FIN | TT_ACK, 301, 102, 0);
	seen(0, TT_ACK, 102, 302, 0);
	flush();
	ROW(4, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	ROW(5, TT_TIME_WAIT, TT_LAST_ACK);
	ROW(6, TT_TIME_WAIT, TT_CLOSED);
	ck_assert_uint_eq(rows[4].arrived_after, 0);
	check_diagram();
}
END_TEST

START_TEST(test_data_crossing_a_fin_arrives_in_fin_wait_1)
{
	handshake();
	seen(0, TT_PSH | TT_ACK, 101, 301, 10);
	seen(1, TT_FIN | TT_ACK, 301, 101, 0);  /* sent before the data arrived */
	seen(0, TT_ACK, 111, 302, 0);
	seen(1, TT_ACK, 302, 111, 0);
	flush();
	ROW(4, TT_ESTABLISHED, TT_ESTABLISHED);
	ck_assert_uint_eq(rows[4].arrived_after, 5);
	ROW(5, TT_CLOSE_WAIT, TT_FIN_WAIT_1);
	ROW(7, TT_CLOSE_WAIT, TT_FIN_WAIT_2);
	check_diagram();
}
END_TEST

START_TEST(test_data_crossing_a_reset_finds_no_connection)
{
	struct tt_tcb_view v;

	handshake();
	seen(0, TT_PSH | TT_ACK, 101, 301, 10);
	seen(1, TT_RST | TT_ACK, 301, 101, 0);  /* reset before the data came */
	flush();
	ROW(4, TT_ESTABLISHED, TT_ESTABLISHED);
	ROW(5, TT_CLOSED, TT_CLOSED);
	ck_assert_str_eq(changes(5, 1), "ESTABLISHED>CLOSED:ABORT");
	ck_assert_str_eq(changes(5, 0), "ESTABLISHED>CLOSED:RST_RESET");
	tt_obs_view(o, 1, &v);
	ck_assert_uint_eq(v.state, TT_CLOSED);
	check_diagram();
}
END_TEST

START_TEST(test_missed_fin_is_inferred_from_its_ack)
{
	handshake();
	seen(0, TT_FIN | TT_ACK, 101, 301, 0);
	seen(1, TT_ACK, 301, 102, 0);
	/* the server's FIN (301) was lost to the capture; the ACK of 302 shows it */
	ck_assert_uint_eq(seen(0, TT_ACK, 102, 302, 0) & TT_OBS_INFERRED, TT_OBS_INFERRED);
	flush();
	ROW(6, TT_TIME_WAIT, TT_CLOSED);
	check_diagram();
}
END_TEST

START_TEST(test_missed_data_is_inferred_and_the_fin_still_counts)
{
	handshake();
	/* bytes 101..110 were never captured; the server's ACK covers them */
	seen(0, TT_FIN | TT_ACK, 111, 301, 0);
	seen(1, TT_ACK, 301, 112, 0);
	flush();
	ROW(4, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	ROW(5, TT_FIN_WAIT_2, TT_CLOSE_WAIT);
	check_diagram();
}
END_TEST

START_TEST(test_midstream_capture_is_established)
{
	ck_assert_uint_eq(seen(1, TT_PSH | TT_ACK, 777, 333, 20) & TT_OBS_MIDSTREAM,
	                  TT_OBS_MIDSTREAM);
	seen(0, TT_ACK, 333, 797, 0);
	seen(0, TT_FIN | TT_ACK, 333, 797, 0);
	flush();
	ROW(1, TT_ESTABLISHED, TT_ESTABLISHED);
	ROW(3, TT_FIN_WAIT_1, TT_CLOSE_WAIT);
	check_diagram();
}
END_TEST

START_TEST(test_keepalive_probe_is_unacceptable_and_answered)
{
	handshake();
	seen(0, TT_ACK, 100, 301, 0);   /* SEG.SEQ = RCV.NXT - 1 */
	flush();
	ROW(4, TT_ESTABLISHED, TT_ESTABLISHED);
	check_diagram();
}
END_TEST

START_TEST(test_more_in_flight_than_room_still_arrives_in_order)
{
	uint32_t seq = 101;

	handshake();
	for (int i = 0; i < TT_OBS_PENDING + 5; i++) {
		seen(0, TT_ACK, seq, 301, 100);
		seq += 100;
	}
	seen(0, TT_FIN | TT_ACK, seq, 301, 0);
	seen(1, TT_ACK, 301, seq + 1, 0);
	flush();
	ROW(nrow, TT_FIN_WAIT_2, TT_CLOSE_WAIT);
	check_diagram();
}
END_TEST


/* Does host h have an event for reason r at row n? */
static int
has_why(uint64_t n, int h, enum tt_reason r)
{
	for (unsigned k = 0; k < rows[n].nwhy[h]; k++)
		if (rows[n].why[h][k] == r)
			return 1;
	return 0;
}

/* A lost segment, two behind it, the receiver's duplicate ACKs, the
 * retransmission: the two arrived out of order before the duplicates that
 * answer them, and the retransmission fills the hole. */
START_TEST(test_segments_beyond_a_hole_arrive_before_the_dup_acks)
{
	handshake();
	seen(0, TT_ACK, 101, 301, 100);         /* 4: lost */
	seen(0, TT_ACK, 201, 301, 100);         /* 5: beyond the hole */
	seen(1, TT_ACK, 301, 101, 0);           /* 6: a duplicate ACK for it */
	seen(0, TT_ACK, 301, 301, 100);         /* 7 */
	seen(1, TT_ACK, 301, 101, 0);           /* 8 */
	seen(0, TT_ACK, 101, 301, 100);         /* 9: sent again */
	seen(1, TT_ACK, 301, 401, 0);           /* 10: all of it */
	flush();
	ck_assert_uint_eq(rows[4].flags & TT_OBS_LOST, TT_OBS_LOST);
	ck_assert(has_why(5, 1, TT_R_DATA_OUT_OF_ORDER));
	ck_assert(has_why(7, 1, TT_R_DATA_OUT_OF_ORDER));
	ck_assert_uint_eq(rows[5].flags & TT_OBS_CROSSED, 0);
	ck_assert(has_why(9, 1, TT_R_DATA_ACCEPT));
	ck_assert(!has_why(9, 1, TT_R_UNACCEPTABLE));
	ck_assert(has_why(10, 0, TT_R_ACK_NEW));
	ROW(10, TT_ESTABLISHED, TT_ESTABLISHED);
	check_diagram();
}
END_TEST

START_TEST(test_ended_connection_revives_for_a_late_fin)
{
	struct tt_obs_rest e;

	handshake();
	seen(0, TT_FIN | TT_ACK, 101, 301, 0);
	seen(1, TT_FIN | TT_ACK, 301, 102, 0);
	seen(0, TT_ACK, 102, 302, 0);
	flush();
	tt_obs_rest(o, &e);
	tt_obs_reset(o);
	tt_obs_wake(o, &e);
	ck_assert_uint_eq(tt_obs_state(o, 0), TT_TIME_WAIT);
	ck_assert_uint_eq(tt_obs_state(o, 1), TT_CLOSED);
	/* the server's FIN again: TIME-WAIT acknowledges it and stays */
	seen(1, TT_FIN | TT_ACK, 301, 102, 0);
	flush();
	ROW(nrow, TT_TIME_WAIT, TT_CLOSED);
}
END_TEST

/* A caller that keeps more effects than out has room for learns it: the
 * last one kept says TT_OBS_TRUNCATED, nothing is lost unsaid. */
START_TEST(test_effects_past_the_room_are_flagged)
{
	uint32_t cseq = 101, sseq = 301;
	struct tt_seg sg;

	handshake();
	for (unsigned i = 0; i < 200 && out.n < TT_OBS_EFFECTS; i++) {
		memset(&sg, 0, sizeof sg);
		sg.wnd = 65535;
		sg.flags = TT_ACK | TT_PSH;
		sg.len = 10;
		sg.seq = i % 2 ? sseq : cseq;
		sg.ack = i % 2 ? cseq : sseq;
		nrow++;
		tt_obs_segment(o, (int)(i % 2), &sg, nrow, (tt_time)nrow * 1000, &out);
		if (i % 2)
			sseq += 10;
		else
			cseq += 10;
		for (unsigned k = 0; out.n < TT_OBS_EFFECTS && k < out.n; k++)
			ck_assert_uint_eq(out.e[k].flags & TT_OBS_TRUNCATED, 0);    /* room left */
	}
	ck_assert_uint_eq(out.n, TT_OBS_EFFECTS);
	sg.seq = cseq;
	sg.ack = sseq;
	nrow++;
	tt_obs_segment(o, 0, &sg, nrow, (tt_time)nrow * 1000, &out);
	ck_assert_uint_eq(out.n, TT_OBS_EFFECTS);
	ck_assert_uint_eq(out.e[TT_OBS_EFFECTS - 1].flags & TT_OBS_TRUNCATED, TT_OBS_TRUNCATED);
	out.n = 0;
}
END_TEST

static Suite *
observe_suite(void)
{
	Suite *s = suite_create("observe");
	TCase *t = tcase_create("listen and syn-sent");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_handshake_arrives_at_once_when_answered);
	tcase_add_test(t, test_refused_syn_finds_the_server_closed_all_along);
	tcase_add_test(t, test_unanswered_syn_is_presumed_to_reach_a_listener);
	tcase_add_test(t, test_crossed_syns_are_a_simultaneous_open);
	tcase_add_test(t, test_lost_syn_ack_sent_again_never_arrived);
	tcase_add_test(t, test_ack_of_unsent_data_invents_nothing);
	tcase_add_test(t, test_ack_past_missed_bytes_is_believed_at_the_next_word);
	tcase_add_test(t, test_bad_ack_in_syn_received_is_answered_not_taken);
	tcase_add_test(t, test_fin_beyond_a_hole_waits_for_it);
	tcase_add_test(t, test_missed_syn_ack_is_inferred);
	tcase_add_test(t, test_capture_starting_at_syn_ack_infers_the_syn);
	suite_add_tcase(s, t);
	t = tcase_create("established and closing");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, test_client_first_close);
	tcase_add_test(t, test_crossed_fins_are_a_simultaneous_close);
	tcase_add_test(t, test_fin_that_acks_the_other_closes_in_three_segments);
	tcase_add_test(t, test_data_crossing_a_fin_arrives_in_fin_wait_1);
	tcase_add_test(t, test_data_crossing_a_reset_finds_no_connection);
	tcase_add_test(t, test_missed_fin_is_inferred_from_its_ack);
	tcase_add_test(t, test_missed_data_is_inferred_and_the_fin_still_counts);
	tcase_add_test(t, test_midstream_capture_is_established);
	tcase_add_test(t, test_keepalive_probe_is_unacceptable_and_answered);
	tcase_add_test(t, test_more_in_flight_than_room_still_arrives_in_order);
	tcase_add_test(t, test_ended_connection_revives_for_a_late_fin);
	tcase_add_test(t, test_effects_past_the_room_are_flagged);
	tcase_add_test(t, test_segments_beyond_a_hole_arrive_before_the_dup_acks);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return tt_check_run(observe_suite());
}
