/* tests/check_engine.c: the RFC 9293 engine, transition by transition.
 *
 * Each fixture builds a connection in one state by driving it through real
 * segments; ARRIVES hands it a segment, EMITS_EXACTLY says the whole list of
 * what must leave (EMITS one segment of it), STATE_IS where it must be. Every
 * call's output is checked whole (tt_out.truncated 0). Our ISS is 1000, the
 * peer's 5000.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tt_check.h"
#include "engine/tcp.h"

#define OUR_ISS 1000u
#define PEER_ISS 5000u

static struct tt_out out;
static tt_time now;
static struct tt_config cfg;

static void
setup(void)
{
	tt_out_clear(&out);
	now = 0;
	tt_config_default(&cfg);
}

/* A segment arrives: its fields, a window scale option (shift + 1; 0:
 * none) and the IP header's ECN bits. */
static void
arrive_opts(struct tt_conn *c, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
            uint32_t wnd, uint8_t wsopt, uint8_t ecn)
{
	struct tt_seg s;

	memset(&s, 0, sizeof s);
	s.flags = (uint16_t)flags;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.wnd = wnd;
	s.wsopt = wsopt;
	s.ecn = ecn;
	tt_out_clear(&out);
	tt_conn_input(c, &s, now, &out);
	ck_assert_uint_eq(out.truncated, 0);    /* every list whole */
}

static void
arrive(struct tt_conn *c, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len, uint32_t wnd)
{
	arrive_opts(c, flags, seq, ack, len, wnd, 0, TT_NOT_ECT);
}

#define arrive_ws(c, flags, seq, ack, wnd, wsopt) \
	arrive_opts((c), (flags), (seq), (ack), 0, (wnd), (wsopt), TT_NOT_ECT)
#define arrive_ecn(c, flags, seq, ack, len, ecn) \
	arrive_opts((c), (flags), (seq), (ack), (len), 65535, 0, (ecn))

#define ARRIVES(c, flags, seq, ack) arrive((c), (flags), (seq), (ack), 0, 65535)
#define ARRIVES_DATA(c, flags, seq, ack, len) arrive((c), (flags), (seq), (ack), (len), 65535)
#define STATE_IS(c, st) ck_assert_str_eq(tt_state_name(tt_conn_state(c)), tt_state_name(st))
#define EMITS_NOTHING() ck_assert_uint_eq(out.nseg, 0)
#define EMITS(k, fl, sq, ak)                                                    \
	do {                                                                    \
		char want_[64], got_[64];                                      \
		ck_assert_uint_gt(out.nseg, (k));                              \
		ck_assert_str_eq(tt_flags_format(out.seg[k].flags, got_, 64),  \
		                 tt_flags_format((fl), want_, 64));            \
		ck_assert_uint_eq(out.seg[k].seq, (uint32_t)(sq));             \
		if ((fl) & TT_ACK)                                             \
			ck_assert_uint_eq(out.seg[k].ack, (uint32_t)(ak));     \
	} while (0)
#define REASON_IS(r) ck_assert_msg(has_reason(r), "reason %s not reported", tt_reason_id(r))

/* The whole output list, as smoltcp's recv! and recv_nothing!: the
 * segments that left, in order, each with exactly these flags, numbers,
 * length and window, and no others:
 *     EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
 * A failure prints both lists. EMITS_NOTHING() is the empty list. */
struct want_seg {
	unsigned flags;
	uint32_t seq, ack, len, wnd;
};

#define SEG(fl, sq, ak, ln, wn) \
	{ (unsigned)(fl), (uint32_t)(sq), (uint32_t)(ak), (uint32_t)(ln), (uint32_t)(wn) }

static const char *
seg_list(char *buf, size_t cap, const struct want_seg *w, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		char fl[64];
		int k = snprintf(buf + used, cap - used, "%s%s seq=%u ack=%u len=%u win=%u",
		                 i ? "; " : "", tt_flags_format(w[i].flags, fl, sizeof fl),
		                 (unsigned)w[i].seq, (unsigned)w[i].ack, (unsigned)w[i].len,
		                 (unsigned)w[i].wnd);

		if (k < 0)
			break;
		used += (size_t)k;
	}
	return buf;
}

static const char *
out_list(char *buf, size_t cap)
{
	struct want_seg got[TT_OUT_SEGS];

	for (unsigned i = 0; i < out.nseg; i++) {
		got[i].flags = out.seg[i].flags;
		got[i].seq = out.seg[i].seq;
		got[i].ack = out.seg[i].ack;
		got[i].len = out.seg[i].len;
		got[i].wnd = out.seg[i].wnd;
	}
	return seg_list(buf, cap, got, out.nseg);
}

#define EMITS_EXACTLY(...)                                                       \
	do {                                                                     \
		const struct want_seg want_[] = { __VA_ARGS__ };                 \
		char wbuf_[2048], gbuf_[2048];                                   \
		out_list(gbuf_, sizeof gbuf_);                                   \
		seg_list(wbuf_, sizeof wbuf_, want_, sizeof want_ / sizeof want_[0]); \
		ck_assert_msg(strcmp(gbuf_, wbuf_) == 0, "emitted: %s\n  wanted: %s", \
		              gbuf_, wbuf_);                                     \
	} while (0)

/* Only how many left, with EMITS_SEG for those that matter (a long flight). */
#define EMITS_COUNT(n) ck_assert_uint_eq(out.nseg, (n))
#define EMITS_SEG(k, fl, sq, ak, ln, wn)                                         \
	do {                                                                     \
		EMITS((k), (fl), (sq), (ak));                                    \
		ck_assert_uint_eq(out.seg[k].len, (uint32_t)(ln));               \
		ck_assert_uint_eq(out.seg[k].wnd, (uint32_t)(wn));               \
	} while (0)

static void
tick_at(struct tt_conn *c, tt_time t)
{
	now = t;
	tt_out_clear(&out);
	tt_conn_tick(c, now, &out);
	ck_assert_uint_eq(out.truncated, 0);
}

static void
view(const struct tt_conn *c, struct tt_tcb_view *v)
{
	tt_conn_view(c, v);
}

static int
has_reason(enum tt_reason r)
{
	for (unsigned i = 0; i < out.nev; i++)
		if (out.ev[i].reason == r)
			return 1;
	return 0;
}

static struct tt_conn *
conn_closed(void)
{
	return tt_conn_new(&cfg, OUR_ISS);
}

static struct tt_conn *
conn_listen(void)
{
	struct tt_conn *c = conn_closed();

	tt_conn_open(c, 0, now, &out);
	return c;
}

static struct tt_conn *
conn_syn_sent(void)
{
	struct tt_conn *c = conn_closed();

	tt_out_clear(&out);
	tt_conn_open(c, 1, now, &out);
	return c;
}

/* passive: LISTEN got SYN(5000) and answered SYN,ACK(1000, ack 5001) */
static struct tt_conn *
conn_syn_received(void)
{
	struct tt_conn *c = conn_listen();

	ARRIVES(c, TT_SYN, PEER_ISS, 0);
	return c;
}

/* active open: SND.NXT = 1001, RCV.NXT = 5001 */
static struct tt_conn *
conn_established(void)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	return c;
}

/* CLOSE: FIN 1001 sent, SND.NXT = 1002 */
static struct tt_conn *
conn_fin_wait_1(void)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	tt_conn_shutdown(c, now, &out);
	return c;
}

static struct tt_conn *
conn_fin_wait_2(void)
{
	struct tt_conn *c = conn_fin_wait_1();

	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2);
	return c;
}

/* peer's FIN 5001 received: RCV.NXT = 5002 */
static struct tt_conn *
conn_close_wait(void)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	return c;
}

static struct tt_conn *
conn_closing(void)
{
	struct tt_conn *c = conn_fin_wait_1();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	return c;
}

static struct tt_conn *
conn_last_ack(void)
{
	struct tt_conn *c = conn_close_wait();

	tt_out_clear(&out);
	tt_conn_shutdown(c, now, &out);
	return c;
}

static struct tt_conn *
conn_time_wait(void)
{
	struct tt_conn *c = conn_fin_wait_2();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 2);
	return c;
}

/* ---- Tests for the fixtures themselves: every state reachable ---------- */

START_TEST(test_fixtures_reach_every_state)
{
	struct tt_conn *(*mk[])(void) = { conn_closed, conn_listen, conn_syn_sent,
		conn_syn_received, conn_established, conn_fin_wait_1, conn_fin_wait_2,
		conn_close_wait, conn_closing, conn_last_ack, conn_time_wait };
	enum tt_state want[] = { TT_CLOSED, TT_LISTEN, TT_SYN_SENT, TT_SYN_RECEIVED,
		TT_ESTABLISHED, TT_FIN_WAIT_1, TT_FIN_WAIT_2, TT_CLOSE_WAIT, TT_CLOSING,
		TT_LAST_ACK, TT_TIME_WAIT };

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		struct tt_conn *c = mk[i]();

		STATE_IS(c, want[i]);
		tt_conn_free(c);
	}
}
END_TEST

/* ---- Tests for the CLOSED state -------------------------------------- */

START_TEST(test_closed_passive_open_enters_listen)
{
	struct tt_conn *c = conn_closed();

	ck_assert_int_eq(tt_conn_open(c, 0, now, &out), TT_E_NONE);
	STATE_IS(c, TT_LISTEN);
	EMITS_NOTHING();
	REASON_IS(TT_R_OPEN_PASSIVE);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_closed_active_open_sends_syn_and_enters_syn_sent)
{
	struct tt_conn *c = conn_syn_sent();
	struct tt_tcb_view v;

	STATE_IS(c, TT_SYN_SENT);
	EMITS_EXACTLY(SEG(TT_SYN, OUR_ISS, 0, 0, 65535));
	ck_assert_uint_eq(out.seg[0].mss, 1460);
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.snd_una, OUR_ISS);
	ck_assert_uint_eq(v.snd_nxt, OUR_ISS + 1);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_closed_answers_ack_with_rst_at_its_ack)
{
	struct tt_conn *c = conn_closed();

	ARRIVES(c, TT_ACK, 7, 42);
	EMITS_EXACTLY(SEG(TT_RST, 42, 0, 0, 0));
	REASON_IS(TT_R_CLOSED_RST);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_closed_answers_syn_with_rst_ack_covering_it)
{
	struct tt_conn *c = conn_closed();

	ARRIVES_DATA(c, TT_SYN, 300, 0, 10);
	/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN counted */
	EMITS_EXACTLY(SEG(TT_RST | TT_ACK, 0, 311, 0, 0));
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_closed_discards_rst)
{
	struct tt_conn *c = conn_closed();

	ARRIVES(c, TT_RST, 7, 0);
	EMITS_NOTHING();
	REASON_IS(TT_R_CLOSED_DROP_RST);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_closed_user_calls_report_no_connection)
{
	struct tt_conn *c = conn_closed();
	size_t got;

	ck_assert_int_eq(tt_conn_send(c, (const uint8_t *)"x", 1, now, &out), TT_E_NO_CONN);
	ck_assert_int_eq(tt_conn_shutdown(c, now, &out), TT_E_NO_CONN);
	ck_assert_int_eq(tt_conn_abort(c, now, &out), TT_E_NO_CONN);
	ck_assert_int_eq(tt_conn_receive(c, NULL, 0, &got, now, &out), TT_E_NO_CONN);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the LISTEN state -------------------------------------- */

START_TEST(test_listen_syn_sends_syn_ack_and_enters_syn_received)
{
	struct tt_conn *c = conn_syn_received();
	struct tt_tcb_view v;

	STATE_IS(c, TT_SYN_RECEIVED);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_LISTEN_SYN);
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.irs, PEER_ISS);
	ck_assert_uint_eq(v.rcv_nxt, PEER_ISS + 1);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_listen_ignores_rst)
{
	struct tt_conn *c = conn_listen();

	ARRIVES(c, TT_RST, 1, 0);
	EMITS_NOTHING();
	STATE_IS(c, TT_LISTEN);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_listen_answers_ack_with_rst)
{
	struct tt_conn *c = conn_listen();

	ARRIVES(c, TT_ACK, 1, 99);
	EMITS_EXACTLY(SEG(TT_RST, 99, 0, 0, 0));
	STATE_IS(c, TT_LISTEN);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_listen_drops_segment_without_syn)
{
	struct tt_conn *c = conn_listen();

	ARRIVES_DATA(c, TT_PSH, 1, 0, 5);
	EMITS_NOTHING();
	REASON_IS(TT_R_LISTEN_DROP);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_listen_close_returns_to_closed)
{
	struct tt_conn *c = conn_listen();

	tt_conn_shutdown(c, now, &out);
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_listen_send_is_an_error)
{
	struct tt_conn *c = conn_listen();

	ck_assert_int_eq(tt_conn_send(c, (const uint8_t *)"x", 1, now, &out), TT_E_FOREIGN);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_listen_active_open_sends_syn)
{
	struct tt_conn *c = conn_listen();

	tt_out_clear(&out);
	tt_conn_open(c, 1, now, &out);
	STATE_IS(c, TT_SYN_SENT);
	EMITS_EXACTLY(SEG(TT_SYN, OUR_ISS, 0, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_open_on_existing_connection_is_an_error)
{
	struct tt_conn *c = conn_established();

	ck_assert_int_eq(tt_conn_open(c, 1, now, &out), TT_E_EXISTS);
	STATE_IS(c, TT_ESTABLISHED);
	tt_conn_free(c);
	c = conn_listen();
	ck_assert_int_eq(tt_conn_open(c, 0, now, &out), TT_E_EXISTS);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the SYN-SENT state ------------------------------------ */

START_TEST(test_syn_sent_syn_ack_sends_ack_and_enters_established)
{
	struct tt_conn *c = conn_established();

	STATE_IS(c, TT_ESTABLISHED);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_SYNSENT_SYN_ACK);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_syn_enters_syn_received_simultaneous_open)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_SYN, PEER_ISS, 0);
	STATE_IS(c, TT_SYN_RECEIVED);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	/* Figure 7 line 6: the peer's SYN,ACK completes it */
	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_bad_ack_answered_with_rst)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, 91);  /* acks an old SYN (Figure 8) */
	EMITS_EXACTLY(SEG(TT_RST, 91, 0, 0, 0));
	STATE_IS(c, TT_SYN_SENT);
	REASON_IS(TT_R_SYNSENT_BAD_ACK);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_bad_ack_with_rst_is_dropped)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_RST | TT_ACK, 0, 91);
	EMITS_NOTHING();
	STATE_IS(c, TT_SYN_SENT);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_rst_acking_syn_means_refused)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_RST | TT_ACK, 0, OUR_ISS + 1);
	STATE_IS(c, TT_CLOSED);
	ck_assert_int_eq(out.ev[0].error, TT_E_REFUSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_rst_without_ack_is_dropped)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_RST, 0, 0);
	STATE_IS(c, TT_SYN_SENT);
	REASON_IS(TT_R_SYNSENT_DROP_RST);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_drops_segment_without_syn_or_rst)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_ACK, PEER_ISS, OUR_ISS + 1);
	EMITS_NOTHING();
	STATE_IS(c, TT_SYN_SENT);
	REASON_IS(TT_R_SYNSENT_DROP);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_close_deletes_connection)
{
	struct tt_conn *c = conn_syn_sent();

	tt_conn_shutdown(c, now, &out);
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_send_is_queued_until_established)
{
	struct tt_conn *c = conn_syn_sent();

	tt_out_clear(&out);
	ck_assert_int_eq(tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out), TT_E_NONE);
	EMITS_NOTHING();
	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535),
	              SEG(TT_PSH | TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 5, 65535));
	ck_assert_int_eq(memcmp(out.seg[1].data, "hello", 5), 0);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_sent_retransmits_syn_with_backoff_then_gives_up)
{
	struct tt_conn *c = conn_syn_sent();
	tt_time expect[] = { TT_SEC(1), TT_SEC(3), TT_SEC(7), TT_SEC(15), TT_SEC(31), TT_SEC(63),
		TT_SEC(123) };

	/* MUST-23: retransmitted for at least 3 minutes */
	for (size_t i = 0; i < 7; i++) {
		ck_assert_int_eq(tt_conn_next_timer(c), expect[i]);
		now = expect[i];
		tt_out_clear(&out);
		tt_conn_tick(c, now, &out);
		EMITS_EXACTLY(SEG(TT_SYN, OUR_ISS, 0, 0, 65535));
		REASON_IS(TT_R_RTX_TIMEOUT);
	}
	now = tt_conn_next_timer(c);
	ck_assert_int_eq(now, TT_SEC(123) + TT_SEC(60));   /* capped at rto_max */
	tt_out_clear(&out);
	tt_conn_tick(c, now, &out);
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_RTX_GIVE_UP);
	ck_assert_int_eq(out.ev[0].error, TT_E_TIMEOUT);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the SYN-RECEIVED state -------------------------------- */

START_TEST(test_syn_received_ack_enters_established)
{
	struct tt_conn *c = conn_syn_received();

	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	EMITS_NOTHING();
	REASON_IS(TT_R_SYNRCVD_ACK);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_bad_ack_answered_with_rst)
{
	struct tt_conn *c = conn_syn_received();

	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 77);
	EMITS_EXACTLY(SEG(TT_RST, OUR_ISS + 77, 0, 0, 0));
	STATE_IS(c, TT_SYN_RECEIVED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_rst_returns_to_listen)
{
	struct tt_conn *c = conn_syn_received();

	ARRIVES(c, TT_RST, PEER_ISS + 1, 0);
	STATE_IS(c, TT_LISTEN);
	REASON_IS(TT_R_RST_SYNRCVD_PASSIVE);
	/* and it can take the next SYN */
	ARRIVES(c, TT_SYN, 9000, 0);
	STATE_IS(c, TT_SYN_RECEIVED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_rst_of_active_open_is_refused)
{
	struct tt_conn *c = conn_syn_sent();

	ARRIVES(c, TT_SYN, PEER_ISS, 0);
	ARRIVES(c, TT_RST, PEER_ISS + 1, 0);
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_RST_SYNRCVD_ACTIVE);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_syn_of_passive_open_returns_to_listen)
{
	struct tt_conn *c = conn_syn_received();

	ARRIVES(c, TT_SYN, PEER_ISS + 1, 0);
	STATE_IS(c, TT_LISTEN);
	REASON_IS(TT_R_SYN_SYNRCVD_PASSIVE);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_close_sends_fin_and_enters_fin_wait_1)
{
	struct tt_conn *c = conn_syn_received();

	tt_out_clear(&out);
	tt_conn_shutdown(c, now, &out);
	STATE_IS(c, TT_FIN_WAIT_1);
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_fin_enters_close_wait)
{
	struct tt_conn *c = conn_syn_received();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	STATE_IS(c, TT_CLOSE_WAIT);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_received_retransmits_syn_ack)
{
	struct tt_conn *c = conn_syn_received();

	now = tt_conn_next_timer(c);
	ck_assert_int_eq(now, TT_SEC(1));
	tt_out_clear(&out);
	tt_conn_tick(c, now, &out);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_two_way_handshake_rule_establishes_on_syn)
{
	struct tt_conn *c;

	cfg.two_way_handshake = 1;
	c = conn_syn_received();
	STATE_IS(c, TT_ESTABLISHED);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_LISTEN_SYN_TWO_WAY);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the synchronized states: the acceptability test -------- */

START_TEST(test_unacceptable_segment_is_acked_and_dropped)
{
	struct tt_conn *c = conn_established();

	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1 + 70000, OUR_ISS + 1, 10);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_UNACCEPTABLE);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS - 20, OUR_ISS + 1, 10);   /* wholly old */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_acceptability_four_cases)
{
	struct tt_conn *c = conn_established();

	/* len 0, window > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND */
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	ck_assert(!has_reason(TT_R_UNACCEPTABLE));
	ARRIVES(c, TT_ACK, PEER_ISS, OUR_ISS + 1);
	REASON_IS(TT_R_UNACCEPTABLE);
	/* len > 0, window > 0: the tail in the window is enough */
	ARRIVES_DATA(c, TT_ACK, PEER_ISS - 4, OUR_ISS + 1, 10);
	ck_assert(!has_reason(TT_R_UNACCEPTABLE));
	REASON_IS(TT_R_DATA_ACCEPT);
	tt_conn_free(c);
	/* window 0: only SEG.SEQ = RCV.NXT, and then only for its ACK */
	cfg.rcv_wnd = 10;
	c = conn_established();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	REASON_IS(TT_R_DATA_ACCEPT);
	ck_assert_uint_eq(out.seg[0].wnd, 0);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 11, OUR_ISS + 1, 1);
	ck_assert(!has_reason(TT_R_UNACCEPTABLE));
	REASON_IS(TT_R_DATA_BEYOND_WINDOW);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 12, OUR_ISS + 1, 1);
	REASON_IS(TT_R_UNACCEPTABLE);
	ARRIVES(c, TT_ACK, PEER_ISS + 11, OUR_ISS + 1);
	ck_assert(!has_reason(TT_R_UNACCEPTABLE));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rst_at_rcv_nxt_resets_established)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_RST, PEER_ISS + 1, 0);
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_RST_RESET);
	ck_assert_int_eq(out.ev[0].error, TT_E_RESET);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rst_in_window_not_exact_gets_challenge_ack)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_RST, PEER_ISS + 100, 0);
	STATE_IS(c, TT_ESTABLISHED);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_RST_CHALLENGE);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rst_outside_window_is_dropped_silently)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_RST, PEER_ISS + 100000, 0);
	EMITS_NOTHING();
	STATE_IS(c, TT_ESTABLISHED);
	REASON_IS(TT_R_UNACCEPTABLE_RST);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rst_in_closing_states_enters_closed)
{
	struct tt_conn *(*mk[])(void) = { conn_closing, conn_last_ack, conn_time_wait };

	for (size_t i = 0; i < 3; i++) {
		struct tt_conn *c = mk[i]();

		ARRIVES(c, TT_RST, PEER_ISS + 2, 0);
		STATE_IS(c, TT_CLOSED);
		REASON_IS(TT_R_RST_CLOSE);
		tt_conn_free(c);
	}
}
END_TEST

START_TEST(test_rst_in_fin_wait_and_close_wait_resets)
{
	struct tt_conn *c = conn_fin_wait_2();

	ARRIVES(c, TT_RST, PEER_ISS + 1, 0);
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
	c = conn_close_wait();
	ARRIVES(c, TT_RST, PEER_ISS + 2, 0);
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_syn_in_established_gets_challenge_ack)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_SYN, PEER_ISS + 1, 0);
	STATE_IS(c, TT_ESTABLISHED);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_SYN_CHALLENGE);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_segment_without_ack_is_dropped)
{
	struct tt_conn *c = conn_established();

	ARRIVES_DATA(c, TT_PSH, PEER_ISS + 1, 0, 4);
	EMITS_NOTHING();
	REASON_IS(TT_R_NO_ACK_DROP);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the ESTABLISHED state --------------------------------- */

START_TEST(test_established_send_segments_by_mss_and_window)
{
	struct tt_conn *c;
	uint8_t data[4000];
	struct tt_tcb_view v;

	cfg.congestion = 0;             /* only MSS and the peer's window (cc: group cc) */
	c = conn_established();

	memset(data, 'a', sizeof data);
	tt_out_clear(&out);
	tt_conn_send(c, data, sizeof data, now, &out);
	/* peer MSS unknown (no option on the SYN,ACK): 536 */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK, OUR_ISS + 1 + 1 * 536, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK, OUR_ISS + 1 + 2 * 536, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK, OUR_ISS + 1 + 3 * 536, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK, OUR_ISS + 1 + 4 * 536, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK, OUR_ISS + 1 + 5 * 536, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK, OUR_ISS + 1 + 6 * 536, PEER_ISS + 1, 536, 65535),
	              SEG(TT_ACK | TT_PSH, OUR_ISS + 1 + 7 * 536, PEER_ISS + 1, 4000 - 7 * 536, 65535));
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.snd_nxt, OUR_ISS + 1 + 4000);
	ck_assert_uint_eq(v.snd_una, OUR_ISS + 1);
	/* a cumulative ACK of the first 1000 bytes */
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1001);
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.snd_una, OUR_ISS + 1001);
	ck_assert_uint_eq(v.snd_queued, 3000);
	REASON_IS(TT_R_ACK_NEW);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_data_advances_rcv_nxt_and_is_acked)
{
	struct tt_conn *c = conn_established();
	uint8_t buf[64];
	size_t got;

	ARRIVES_DATA(c, TT_ACK | TT_PSH, PEER_ISS + 1, OUR_ISS + 1, 100);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 101, 0, 65535 - 100));
	ck_assert_uint_eq(out.seg[0].wnd, 65535 - 100);
	tt_conn_receive(c, buf, sizeof buf, &got, now, &out);
	ck_assert_uint_eq(got, 64);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_out_of_order_data_waits_for_the_hole)
{
	struct tt_conn *c = conn_established();
	struct tt_tcb_view v;

	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 101, OUR_ISS + 1, 100);
	REASON_IS(TT_R_DATA_OUT_OF_ORDER);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));     /* duplicate ACK */
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 100);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 201, 0, 65535 - 200));   /* both, cumulatively */
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.rcv_queued, 200);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_ack_of_unsent_data_is_acked_and_dropped)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 500);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_ACK_TOO_FAR);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_duplicate_ack_is_ignored)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	EMITS_NOTHING();
	REASON_IS(TT_R_ACK_DUP);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_window_update_follows_wl1_wl2)
{
	struct tt_conn *c = conn_established();
	struct tt_tcb_view v;

	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 1000);
	REASON_IS(TT_R_ACK_WINDOW);
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.snd_wnd, 1000);
	ck_assert_uint_eq(v.snd_wl1, PEER_ISS + 1);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_zero_window_is_probed_after_the_rto)
{
	struct tt_conn *c = conn_established();

	struct tt_tcb_view v;

	view(c, &v);
	ck_assert(!v.persist);
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 0);
	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"abc", 3, now, &out);
	EMITS_NOTHING();
	view(c, &v);
	ck_assert(v.persist);           /* the timer running is the persist timer */
	now = tt_conn_next_timer(c);
	ck_assert_int_eq(now, TT_SEC(1));
	tt_out_clear(&out);
	tt_conn_tick(c, now, &out);
	REASON_IS(TT_R_ZERO_WINDOW_PROBE);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 1, 65535));
	ck_assert_uint_eq(out.seg[0].len, 1);
	view(c, &v);
	ck_assert(v.persist);
	/* the window opens: the probe byte is taken, the rest goes, and the
	 * timer is the retransmission timer again */
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2, 0, 1000);
	view(c, &v);
	ck_assert(!v.persist);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_data_is_retransmitted_on_timeout)
{
	struct tt_conn *c = conn_established();

	tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out);
	tick_at(c, tt_conn_next_timer(c));
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 1, PEER_ISS + 1, 5, 65535));
	ck_assert_uint_eq(out.seg[0].len, 5);
	ck_assert_int_eq(tt_conn_next_timer(c), now + TT_SEC(2));
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 6);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_close_sends_fin_and_enters_fin_wait_1)
{
	struct tt_conn *c = conn_fin_wait_1();

	STATE_IS(c, TT_FIN_WAIT_1);
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_close_sends_fin_after_queued_data)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"data", 4, now, &out);
	tt_conn_shutdown(c, now, &out);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 1, PEER_ISS + 1, 4, 65535),
	              SEG(TT_FIN | TT_ACK, OUR_ISS + 5, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_fin_enters_close_wait)
{
	struct tt_conn *c = conn_close_wait();

	STATE_IS(c, TT_CLOSE_WAIT);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
	REASON_IS(TT_R_FIN_EST);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_abort_sends_rst)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	tt_conn_abort(c, now, &out);
	EMITS_EXACTLY(SEG(TT_RST, OUR_ISS + 1, 0, 0, 0));
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_established_fin_after_hole_waits)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 11, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	STATE_IS(c, TT_CLOSE_WAIT);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 12, 0, 65535 - 10));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_delayed_ack_rides_on_the_fin)
{
	struct tt_conn *c;

	cfg.delack = TT_MS(200);
	c = conn_established();
	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	STATE_IS(c, TT_CLOSE_WAIT);
	EMITS_NOTHING();
	tt_out_clear(&out);
	tt_conn_shutdown(c, now, &out);
	STATE_IS(c, TT_LAST_ACK);
	ck_assert_uint_eq(out.nseg, 1);
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_delayed_ack_timer_sends_the_ack)
{
	struct tt_conn *c;

	cfg.delack = TT_MS(200);
	c = conn_established();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	EMITS_NOTHING();
	now = tt_conn_next_timer(c);
	ck_assert_int_eq(now, TT_MS(200));
	tt_out_clear(&out);
	tt_conn_tick(c, now, &out);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 11, 0, 65535 - 10));
	REASON_IS(TT_R_DELAYED_ACK);
	tt_conn_free(c);
}
END_TEST

/* RFC 5681 §4.2: "an immediate ACK SHOULD be sent when a segment fills in
 * all or part of a gap in the sequence space", delayed ACKs or not. */
START_TEST(test_delayed_ack_not_for_a_segment_that_fills_a_hole)
{
	struct tt_conn *c;

	cfg.delack = TT_MS(200);
	c = conn_established();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 101, OUR_ISS + 1, 100);
	REASON_IS(TT_R_DATA_OUT_OF_ORDER);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));     /* duplicate ACK */
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 100);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 201, 0, 65535 - 200));
	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);  /* nothing left to delay */
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the FIN-WAIT-1 state ---------------------------------- */

START_TEST(test_fin_wait_1_ack_of_fin_enters_fin_wait_2)
{
	struct tt_conn *c = conn_fin_wait_2();

	STATE_IS(c, TT_FIN_WAIT_2);
	REASON_IS(TT_R_FW1_FIN_ACKED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_fin_wait_1_fin_enters_closing)
{
	struct tt_conn *c = conn_closing();

	STATE_IS(c, TT_CLOSING);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 2, PEER_ISS + 2, 0, 65535));
	REASON_IS(TT_R_FIN_FW1);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_fin_wait_1_fin_acking_our_fin_enters_time_wait)
{
	struct tt_conn *c = conn_fin_wait_1();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 2);
	STATE_IS(c, TT_TIME_WAIT);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 2, PEER_ISS + 2, 0, 65535));
	REASON_IS(TT_R_FIN_FW1_ACKED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_fin_wait_1_send_is_an_error)
{
	struct tt_conn *c = conn_fin_wait_1();

	ck_assert_int_eq(tt_conn_send(c, (const uint8_t *)"x", 1, now, &out), TT_E_CLOSING);
	ck_assert_int_eq(tt_conn_shutdown(c, now, &out), TT_E_CLOSING);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_fin_wait_1_retransmits_fin)
{
	struct tt_conn *c = conn_fin_wait_1();

	tick_at(c, tt_conn_next_timer(c));
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the FIN-WAIT-2 state ---------------------------------- */

START_TEST(test_fin_wait_2_fin_enters_time_wait)
{
	struct tt_conn *c = conn_time_wait();

	STATE_IS(c, TT_TIME_WAIT);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 2, PEER_ISS + 2, 0, 65535));
	REASON_IS(TT_R_FIN_FW2);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_fin_wait_2_still_receives_data)
{
	struct tt_conn *c = conn_fin_wait_2();

	ARRIVES_DATA(c, TT_ACK | TT_PSH, PEER_ISS + 1, OUR_ISS + 2, 50);
	STATE_IS(c, TT_FIN_WAIT_2);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 2, PEER_ISS + 51, 0, 65535 - 50));
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the CLOSE-WAIT state ---------------------------------- */

START_TEST(test_close_wait_can_still_send)
{
	struct tt_conn *c = conn_close_wait();

	tt_out_clear(&out);
	ck_assert_int_eq(tt_conn_send(c, (const uint8_t *)"late", 4, now, &out), TT_E_NONE);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 1, PEER_ISS + 2, 4, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_close_wait_close_sends_fin_and_enters_last_ack)
{
	struct tt_conn *c = conn_last_ack();

	STATE_IS(c, TT_LAST_ACK);
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_close_wait_ignores_data_and_reacks_fin)
{
	struct tt_conn *c = conn_close_wait();

	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 1);   /* FIN again */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
	STATE_IS(c, TT_CLOSE_WAIT);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_close_wait_receive_drains_then_reports_closing)
{
	struct tt_conn *c = conn_established();
	uint8_t buf[16];
	size_t got;

	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 5);
	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 6, OUR_ISS + 1);
	STATE_IS(c, TT_CLOSE_WAIT);
	ck_assert_int_eq(tt_conn_receive(c, buf, sizeof buf, &got, now, &out), TT_E_NONE);
	ck_assert_uint_eq(got, 5);
	ck_assert_int_eq(tt_conn_receive(c, buf, sizeof buf, &got, now, &out), TT_E_CLOSING);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the CLOSING state ------------------------------------- */

START_TEST(test_closing_ack_of_fin_enters_time_wait)
{
	struct tt_conn *c = conn_closing();

	ARRIVES(c, TT_ACK, PEER_ISS + 2, OUR_ISS + 2);
	STATE_IS(c, TT_TIME_WAIT);
	REASON_IS(TT_R_CLOSING_FIN_ACKED);
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the LAST-ACK state ------------------------------------ */

START_TEST(test_last_ack_ack_of_fin_enters_closed)
{
	struct tt_conn *c = conn_last_ack();

	ARRIVES(c, TT_ACK, PEER_ISS + 2, OUR_ISS + 2);
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_LASTACK_FIN_ACKED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_last_ack_retransmits_fin_until_acked)
{
	struct tt_conn *c = conn_last_ack();

	tick_at(c, tt_conn_next_timer(c));
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 2, 0, 65535));
	tt_conn_free(c);
}
END_TEST

/* ---- Tests for the TIME-WAIT state ----------------------------------- */

START_TEST(test_time_wait_lasts_two_msl_then_closed)
{
	struct tt_conn *c = conn_time_wait();

	ck_assert_int_eq(tt_conn_next_timer(c), 2 * cfg.msl);
	tick_at(c, 2 * cfg.msl - 1);
	STATE_IS(c, TT_TIME_WAIT);
	now = 2 * cfg.msl;
	tt_conn_tick(c, now, &out);
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_TIME_WAIT_EXPIRED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_time_wait_retransmitted_fin_is_acked_and_restarts_timer)
{
	struct tt_conn *c = conn_time_wait();

	now = TT_SEC(10);
	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 1, OUR_ISS + 2);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 2, PEER_ISS + 2, 0, 65535));
	REASON_IS(TT_R_TW_FIN_AGAIN);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_SEC(10) + 2 * cfg.msl);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_time_wait_linux_preset_is_sixty_seconds)
{
	struct tt_conn *c;

	tt_config_linux(&cfg);
	c = conn_time_wait();
	ck_assert_int_eq(tt_conn_next_timer(c), TT_SEC(60));
	ck_assert_uint_eq(cfg.ka_probes, 9);
	tt_conn_free(c);
}
END_TEST

/* ---- keep-alive ------------------------------------------------------ */

START_TEST(test_keepalive_is_off_unless_enabled)
{
	struct tt_conn *c = conn_established();

	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);
	tt_conn_keepalive(c, 1, now);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_SEC(7200));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_keepalive_probes_then_gives_up)
{
	struct tt_conn *c = conn_established();

	tt_conn_keepalive(c, 1, now);
	for (unsigned i = 0; i < cfg.ka_probes; i++) {
		now = tt_conn_next_timer(c);
		ck_assert_int_eq(now, TT_SEC(7200) + (tt_time)i * TT_SEC(75));
		tt_out_clear(&out);
		tt_conn_tick(c, now, &out);
		/* <SEQ=SND.UNA-1><ACK=RCV.NXT> */
		EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
		REASON_IS(TT_R_KEEPALIVE_PROBE);
	}
	tick_at(c, tt_conn_next_timer(c));
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_KEEPALIVE_GIVE_UP);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_keepalive_answer_restarts_idle_timer)
{
	struct tt_conn *c = conn_established();

	tt_conn_keepalive(c, 1, now);
	now = tt_conn_next_timer(c);
	tt_conn_tick(c, now, &out);
	now += TT_MS(50);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	ck_assert_int_eq(tt_conn_next_timer(c), now + TT_SEC(7200));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_keepalive_probe_is_answered_by_peer)
{
	struct tt_conn *c = conn_established();

	/* the peer sees <SEQ=RCV.NXT-1>: unacceptable, so it answers with an ACK */
	ARRIVES(c, TT_ACK, PEER_ISS, OUR_ISS + 1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	STATE_IS(c, TT_ESTABLISHED);
	tt_conn_free(c);
}
END_TEST

/* ---- the rest of the user calls -------------------------------------- */

START_TEST(test_abort_in_closing_states_sends_nothing)
{
	struct tt_conn *c = conn_time_wait();

	tt_out_clear(&out);
	tt_conn_abort(c, now, &out);
	EMITS_NOTHING();
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_clone_is_independent)
{
	struct tt_conn *c = conn_established(), *d;

	tt_conn_send(c, (const uint8_t *)"abc", 3, now, &out);
	d = tt_conn_clone(c);
	tt_conn_abort(c, now, &out);
	STATE_IS(c, TT_CLOSED);
	STATE_IS(d, TT_ESTABLISHED);
	tt_conn_free(c);
	tt_conn_free(d);
}
END_TEST

START_TEST(test_sequence_compare_wraps_around)
{
	ck_assert(TT_SEQ_LT(0xfffffff0u, 0x10u));
	ck_assert(TT_SEQ_GT(0x10u, 0xfffffff0u));
	ck_assert(TT_SEQ_LEQ(5u, 5u));
	ck_assert(!TT_SEQ_LT(5u, 5u));
}
END_TEST

START_TEST(test_handshake_across_sequence_wrap)
{
	struct tt_conn *c = tt_conn_new(&cfg, 0xffffffffu);
	struct tt_tcb_view v;

	tt_conn_open(c, 1, now, &out);
	ARRIVES(c, TT_SYN | TT_ACK, 0xfffffff0u, 0);
	STATE_IS(c, TT_ESTABLISHED);
	ARRIVES_DATA(c, TT_ACK, 0xfffffff1u, 0, 100);
	tt_conn_view(c, &v);
	ck_assert_uint_eq(v.rcv_nxt, 0xfffffff1u + 100);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_names_round_trip)
{
	char buf[64];

	for (int i = 0; i < TT_NSTATES; i++)
		ck_assert_int_eq(tt_state_from_name(tt_state_name(i)), i);
	ck_assert_int_eq(tt_state_from_name("SYN_RCVD"), TT_SYN_RECEIVED);
	ck_assert_int_eq(tt_state_from_name("nonsense"), -1);
	ck_assert_str_eq(tt_flags_format(TT_FIN | TT_PSH | TT_ACK, buf, sizeof buf), "FIN,PSH,ACK");
	ck_assert_str_eq(tt_flags_format(0, buf, sizeof buf), "none");
	ck_assert_int_eq(tt_flags_parse("syn,ack"), TT_SYN | TT_ACK);
	ck_assert_int_eq(tt_flags_parse("SYN,BOGUS"), -1);
	ck_assert_str_eq(tt_flags_format_bits(TT_SYN, buf, sizeof buf), "SYN=1,ACK=0");
	for (int r = 0; r < TT_NREASONS; r++)
		ck_assert_ptr_nonnull(tt_reason_text(r));
}
END_TEST

/* Zero-window probe: the byte goes out at SND.NXT and SND.NXT moves past it,
 * so the ACK that takes it is an ACK of sent data, not of "unsent data". */
START_TEST(test_window_probe_byte_is_sent_data)
{
	struct tt_conn *c = conn_established();
	struct tt_tcb_view v;

	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 0);
	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out);
	EMITS_NOTHING();
	tick_at(c, tt_conn_next_timer(c));
	REASON_IS(TT_R_ZERO_WINDOW_PROBE);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 1, 65535));
	view(c, &v);
	ck_assert_uint_eq(v.snd_nxt, OUR_ISS + 2);
	/* the window reopened at the peer, which took the byte */
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2, 0, 100);
	ck_assert(!has_reason(TT_R_ACK_TOO_FAR));
	REASON_IS(TT_R_ACK_NEW);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 2, PEER_ISS + 1, 4, 65535));
	tt_conn_free(c);
}
END_TEST

/* A refused probe byte goes again as the first byte once the window opens. */
START_TEST(test_refused_probe_byte_is_sent_again_when_window_opens)
{
	struct tt_conn *c = conn_established();

	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 0);
	tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out);
	tick_at(c, tt_conn_next_timer(c));
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 0);   /* refused */
	EMITS_NOTHING();
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 100); /* window update */
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 1, PEER_ISS + 1, 5, 65535));
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 6, 0, 100);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);
	tt_conn_free(c);
}
END_TEST

/* A peer that answers every probe with a zero window is probed for ever; a
 * peer that answers none is given up on after data_retries probes. */
START_TEST(test_window_probes_give_up_only_on_a_silent_peer)
{
	struct tt_conn *c;

	cfg.data_retries = 3;
	c = conn_established();
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 0);
	tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out);
	for (int i = 0; i < 10; i++) {
		tick_at(c, tt_conn_next_timer(c));
		REASON_IS(TT_R_ZERO_WINDOW_PROBE);
		arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 0, 0);
	}
	STATE_IS(c, TT_ESTABLISHED);
	for (int i = 0; i < 3; i++) {
		tick_at(c, tt_conn_next_timer(c));
		REASON_IS(TT_R_ZERO_WINDOW_PROBE);
	}
	tick_at(c, tt_conn_next_timer(c));
	REASON_IS(TT_R_ZERO_WINDOW_GIVE_UP);
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST

/* RFC 1122 §4.2.3.3: with a buffer smaller than the MSS the reopened window
 * is announced once it is buffer/2, not when it crosses the MSS. */
START_TEST(test_small_buffer_announces_reopened_window)
{
	struct tt_conn *c;
	uint8_t buf[600];
	size_t got;

	cfg.rcv_wnd = 500;
	c = conn_established();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 500);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 501, 0, 0);
	tt_out_clear(&out);
	tt_conn_receive(c, buf, sizeof buf, &got, now, &out);
	ck_assert_uint_eq(got, 500);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 501, 0, 500));
	tt_conn_free(c);
}
END_TEST

/* Keep-alive waits while data is outstanding; the retransmission timer
 * rules, and its give-up leaves every emitted payload readable. */
START_TEST(test_keepalive_waits_while_data_is_outstanding)
{
	struct tt_conn *c;
	struct tt_tcb_view v;
	int gave_up = 0;

	cfg.ka_idle = TT_SEC(1);
	cfg.ka_interval = TT_SEC(1);
	cfg.ka_probes = 1;
	cfg.data_retries = 3;
	c = conn_established();
	tt_conn_keepalive(c, 1, now);
	tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out);
	view(c, &v);
	ck_assert_int_eq(v.ka_at, TT_NEVER);
	for (int i = 0; i < 10 && !gave_up; i++) {
		tick_at(c, tt_conn_next_timer(c));
		ck_assert(!has_reason(TT_R_KEEPALIVE_PROBE));
		for (unsigned k = 0; k < out.nseg; k++)
			if (out.seg[k].len > 0)
				ck_assert(memcmp(out.seg[k].data, "hello", out.seg[k].len) == 0);
		gave_up = has_reason(TT_R_RTX_GIVE_UP);
	}
	ck_assert(gave_up);
	tt_conn_free(c);
}
END_TEST

/* An ACK that advances SND.UNA updates SND.WND even when it rides on old,
 * retransmitted data (SEG.SEQ < SND.WL1). */
START_TEST(test_ack_advancing_snd_una_updates_the_window)
{
	struct tt_conn *c = conn_established();
	uint8_t data[3000];
	struct tt_tcb_view v;

	memset(data, 'a', sizeof data);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	ARRIVES(c, TT_ACK, PEER_ISS + 11, OUR_ISS + 1);      /* SND.WL1 = 5011 */
	tt_out_clear(&out);
	tt_conn_send(c, data, 1000, now, &out);
	/* retransmitted from 5001 with ten new bytes: acceptable, SEG.SEQ < WL1 */
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1001, 20, 500);
	view(c, &v);
	ck_assert_uint_eq(v.snd_una, OUR_ISS + 1001);
	ck_assert_uint_eq(v.snd_wnd, 500);
	tt_out_clear(&out);
	tt_conn_send(c, data, 1000, now, &out);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1001, PEER_ISS + 21, 500, 65515));
	tt_conn_free(c);
}
END_TEST

/* RFC 5961 §7: replies to out-of-window pure segments are rate-limited;
 * a segment carrying data is always answered. */
START_TEST(test_out_of_window_replies_are_rate_limited)
{
	struct tt_conn *c = conn_established();

	ARRIVES(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	now += TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1);
	EMITS_NOTHING();
	REASON_IS(TT_R_OOW_RATE_LIMITED);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 5);       /* ACK of unsent data */
	EMITS_NOTHING();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1, 10);
	EMITS_COUNT(1);
	/* the gap doubles with each reply: 1 s now, then 2 s */
	now += TT_MS(500);
	ARRIVES(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1);
	EMITS_NOTHING();
	now += TT_MS(500);
	ARRIVES(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1);
	EMITS_COUNT(1);
	now += TT_MS(1500);
	ARRIVES(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1);
	EMITS_NOTHING();
	/* a keep-alive probe is answered at the plain limit */
	ARRIVES(c, TT_ACK, PEER_ISS, OUR_ISS + 1);
	EMITS_COUNT(1);
	/* an acceptable ACK: the gap starts over at 500 ms */
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	now += TT_MS(600);
	ARRIVES(c, TT_ACK, PEER_ISS - 100, OUR_ISS + 1);
	EMITS_COUNT(1);
	tt_conn_free(c);
}
END_TEST

/* §3.10.7.4: a zero window still takes the ACK of a data segment, and a bare
 * FIN at RCV.NXT (as Linux does). */
START_TEST(test_zero_window_takes_acks_and_a_bare_fin)
{
	struct tt_conn *c;
	struct tt_tcb_view v;

	cfg.rcv_wnd = 10;
	c = conn_established();
	tt_conn_send(c, (const uint8_t *)"hello", 5, now, &out);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 11, OUR_ISS + 6, 5);
	REASON_IS(TT_R_DATA_BEYOND_WINDOW);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 6, PEER_ISS + 11, 0, 0);
	view(c, &v);
	ck_assert_uint_eq(v.snd_una, OUR_ISS + 6);
	ARRIVES(c, TT_FIN | TT_ACK, PEER_ISS + 11, OUR_ISS + 6);
	STATE_IS(c, TT_CLOSE_WAIT);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 6, PEER_ISS + 12, 0, 0));
	tt_conn_free(c);
}
END_TEST

/* RFC 9293 §3.4.1 MUST-8: the ISS follows a clock (one tick per 4 us) over
 * incarnations and over a crash. */
START_TEST(test_iss_follows_the_clock_across_incarnations)
{
	struct tt_conn *c = conn_closed();
	struct tt_tcb_view v;

	now = TT_SEC(2);
	tt_conn_open(c, 1, now, &out);
	view(c, &v);
	ck_assert_uint_eq(v.iss, OUR_ISS);               /* the first: as configured */
	tt_conn_abort(c, now, &out);
	now = TT_SEC(12);
	tt_conn_open(c, 1, now, &out);
	view(c, &v);
	ck_assert_uint_eq(v.iss, OUR_ISS + 2500000);
	tt_conn_crash(c, now, &out);
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_HOST_CRASH);
	now = TT_SEC(22);
	tt_conn_open(c, 1, now, &out);
	view(c, &v);
	ck_assert_uint_eq(v.iss, OUR_ISS + 5000000);
	tt_conn_free(c);
}
END_TEST

/* RFC 6298: RTO.min is honoured, and Karn's backed-off RTO survives the ACK
 * of a retransmitted segment; only an ACK of data sent once resets it. */
START_TEST(test_rto_min_and_backoff_survive_until_new_data_is_acked)
{
	struct tt_conn *c;

	cfg.rto_initial = TT_MS(100);
	cfg.rto_min = TT_SEC(1);
	c = conn_established();
	tt_conn_send(c, (const uint8_t *)"a", 1, now, &out);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_SEC(1));
	tick_at(c, TT_SEC(1));                          /* RTO 2 s */
	tick_at(c, TT_SEC(3));                          /* RTO 4 s */
	now = TT_SEC(3) + TT_MS(500);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2);  /* acks the retransmission */
	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"b", 1, now, &out);
	ck_assert_int_eq(tt_conn_next_timer(c), now + TT_SEC(4));
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 3);  /* data sent once */
	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"c", 1, now, &out);
	ck_assert_int_eq(tt_conn_next_timer(c), now + TT_SEC(1));
	tt_conn_free(c);
}
END_TEST

/* RFC 6298 §5.7: after the SYN timed out, data starts with an RTO of 3 s. */
START_TEST(test_rto_is_three_seconds_after_a_syn_timeout)
{
	struct tt_conn *c = conn_syn_sent();

	tick_at(c, TT_SEC(1));
	EMITS_EXACTLY(SEG(TT_SYN, OUR_ISS, 0, 0, 65535));
	now = TT_MS(1500);
	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"a", 1, now, &out);
	ck_assert_int_eq(tt_conn_next_timer(c), now + TT_SEC(3));
	tt_conn_free(c);
}
END_TEST

/* Out-of-order text is trimmed at the window's right edge, and the queue
 * keeps more than eight segments. */
START_TEST(test_out_of_order_text_is_trimmed_at_the_right_edge)
{
	struct tt_conn *c;
	struct tt_tcb_view v;

	cfg.rcv_wnd = 2000;
	c = conn_established();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1001, OUR_ISS + 1, 3000);
	REASON_IS(TT_R_DATA_OUT_OF_ORDER);
	for (uint32_t i = 0; i < 12; i++)
		ARRIVES_DATA(c, TT_ACK, PEER_ISS + 101 + 10 * i, OUR_ISS + 1, 5);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 100);
	view(c, &v);
	/* 100 in order + 12 x 5 that then lie in order up to 166 */
	ck_assert_uint_eq(v.rcv_nxt, PEER_ISS + 106);
	for (uint32_t i = 0; i < 12; i++)
		ARRIVES_DATA(c, TT_ACK, PEER_ISS + 106 + 10 * i, OUR_ISS + 1, 5);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 221, OUR_ISS + 1, 780);
	view(c, &v);
	ck_assert_uint_eq(v.rcv_nxt, PEER_ISS + 2001);   /* the right edge, not 3000 more */
	ck_assert_uint_eq(v.rcv_queued, 2000);
	tt_conn_free(c);
}
END_TEST

/* RFC 1122 §4.2.2.13 with tw_reuse: a SYN above RCV.NXT reopens TIME-WAIT,
 * the new ISS above anything the old incarnation sent. */
START_TEST(test_time_wait_reopens_on_a_new_syn_when_allowed)
{
	struct tt_conn *c;
	struct tt_tcb_view v;

	c = conn_time_wait();
	ARRIVES(c, TT_SYN, PEER_ISS + 100000, 0);
	STATE_IS(c, TT_TIME_WAIT);                       /* off: a challenge ACK */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 2, PEER_ISS + 2, 0, 65535));
	tt_conn_free(c);
	cfg.tw_reuse = 1;
	c = conn_time_wait();
	ARRIVES(c, TT_SYN, PEER_ISS + 1, 0);             /* not above RCV.NXT: old */
	STATE_IS(c, TT_TIME_WAIT);
	ARRIVES(c, TT_SYN, PEER_ISS + 100000, 0);
	STATE_IS(c, TT_SYN_RECEIVED);
	REASON_IS(TT_R_TW_REOPEN);
	ck_assert_int_eq(out.ev[0].from, TT_TIME_WAIT);
	view(c, &v);
	ck_assert(TT_SEQ_GEQ(v.iss, OUR_ISS + 2 + 65535 + 2));
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, v.iss, PEER_ISS + 100001, 0, 65535));
	tt_conn_free(c);
}
END_TEST

static void
arrive_text(struct tt_conn *c, unsigned flags, uint32_t seq, uint32_t ack, const char *text)
{
	struct tt_seg s;

	memset(&s, 0, sizeof s);
	s.flags = (uint16_t)flags;
	s.seq = seq;
	s.ack = ack;
	s.wnd = 65535;
	s.data = (const uint8_t *)text;
	s.len = (uint32_t)strlen(text);
	tt_out_clear(&out);
	tt_conn_input(c, &s, now, &out);
}

/* §3.10.7.3: text and FIN on a SYN,ACK are processed from the sixth step. */
START_TEST(test_syn_sent_takes_text_and_fin_on_the_syn_ack)
{
	struct tt_conn *c = conn_syn_sent();
	struct tt_tcb_view v;

	arrive_text(c, TT_SYN | TT_ACK | TT_FIN, PEER_ISS, OUR_ISS + 1, "hello");
	STATE_IS(c, TT_CLOSE_WAIT);
	view(c, &v);
	ck_assert_uint_eq(v.rcv_queued, 5);
	ck_assert_uint_eq(v.rcv_nxt, PEER_ISS + 7);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 7, 0, 65530));
	tt_conn_free(c);
}
END_TEST

/* §3.10.7.2: text on a SYN waits until the connection is established. */
START_TEST(test_listen_keeps_text_on_a_syn_until_established)
{
	struct tt_conn *c = conn_listen();
	struct tt_tcb_view v;

	arrive_text(c, TT_SYN, PEER_ISS, 0, "hello");
	STATE_IS(c, TT_SYN_RECEIVED);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	view(c, &v);
	ck_assert_uint_eq(v.rcv_queued, 5);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 6, 0, 65535 - 5));
	tt_conn_free(c);
}
END_TEST

/* A SYN,ACK in a passive SYN-RECEIVED does not complete the open: it is old
 * (SEG.SEQ < RCV.NXT), answered with an ACK and dropped. */
START_TEST(test_syn_received_passive_does_not_take_a_syn_ack)
{
	struct tt_conn *c = conn_syn_received();

	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	STATE_IS(c, TT_SYN_RECEIVED);
	REASON_IS(TT_R_UNACCEPTABLE);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

/* RFC 9293 §3.8.5: the urgent pointer, sent and received. */
START_TEST(test_urgent_pointer_sent_and_received)
{
	struct tt_conn *c = conn_established();
	struct tt_tcb_view v;
	struct tt_seg s;
	uint8_t buf[16];
	size_t got;

	tt_out_clear(&out);
	tt_conn_send_urgent(c, (const uint8_t *)"abc", 3, now, &out);
	REASON_IS(TT_R_SEND_URGENT);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH | TT_URG, OUR_ISS + 1, PEER_ISS + 1, 3, 65535));
	ck_assert_uint_eq(out.seg[0].up, 3);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 4);
	tt_out_clear(&out);
	tt_conn_send(c, (const uint8_t *)"d", 1, now, &out);
	ck_assert_uint_eq(out.seg[0].flags & TT_URG, 0);
	memset(&s, 0, sizeof s);
	s.flags = TT_ACK | TT_URG;
	s.seq = PEER_ISS + 1;
	s.ack = OUR_ISS + 5;
	s.wnd = 65535;
	s.len = 4;
	s.up = 2;
	tt_out_clear(&out);
	tt_conn_input(c, &s, now, &out);
	REASON_IS(TT_R_URG_RECEIVED);
	view(c, &v);
	ck_assert(v.rcv_urg);
	ck_assert_uint_eq(v.rcv_up, PEER_ISS + 3);
	tt_conn_receive(c, buf, sizeof buf, &got, now, &out);
	view(c, &v);
	ck_assert(!v.rcv_urg);
	tt_conn_free(c);
}
END_TEST

/* RFC 5961 §5.2: an ACK below SND.UNA - MAX.SND.WND is challenged, dropped. */
START_TEST(test_ack_below_the_lower_bound_is_challenged)
{
	struct tt_conn *c = conn_syn_sent();
	uint8_t data[300];
	struct tt_tcb_view v;

	memset(data, 'z', sizeof data);
	arrive(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 0, 100);
	tt_conn_send(c, data, 300, now, &out);
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 101, 0, 100);
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 201, 0, 100);
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 301, 0, 100);
	arrive_text(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 150, "data");
	REASON_IS(TT_R_ACK_TOO_OLD);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 301, PEER_ISS + 1, 0, 65535));
	view(c, &v);
	ck_assert_uint_eq(v.rcv_queued, 0);
	arrive_text(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 250, "data");
	ck_assert(!has_reason(TT_R_ACK_TOO_OLD));
	view(c, &v);
	ck_assert_uint_eq(v.rcv_queued, 4);
	tt_conn_free(c);
}
END_TEST

/* SYN,ACK retransmissions have their own limit (Linux tcp_synack_retries). */
START_TEST(test_syn_ack_retries_have_their_own_limit)
{
	struct tt_conn *c;
	int n = 0;

	cfg.synack_retries = 2;
	c = conn_syn_received();
	while (tt_conn_state(c) == TT_SYN_RECEIVED && n < 20) {
		tick_at(c, tt_conn_next_timer(c));
		n++;
	}
	ck_assert_int_eq(n, 3);
	REASON_IS(TT_R_RTX_GIVE_UP);
	tt_conn_free(c);
}
END_TEST

/* RFC 9293 §3.8.6.3: an ACK at least every second full-sized segment, and
 * no delay of 0.5 s or more. */
START_TEST(test_delayed_ack_every_second_full_segment_and_capped)
{
	struct tt_conn *c;

	cfg.delack = TT_SEC(2);
	cfg.mss = 100;
	c = conn_syn_sent();
	arrive(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 0, 65535);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 100);
	EMITS_NOTHING();
	ck_assert_int_lt(tt_conn_next_timer(c), now + TT_MS(500));
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 101, OUR_ISS + 1, 100);
	REASON_IS(TT_R_DELAYED_ACK_SECOND);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 201, 0, 65535 - 200));
	tt_conn_free(c);
}
END_TEST

/* ABORT: RFC's bare RST; Linux's RST,ACK with rst_ack. */
START_TEST(test_abort_rst_carries_ack_in_the_linux_preset)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	tt_conn_abort(c, now, &out);
	EMITS_SEG(0, TT_RST, OUR_ISS + 1, 0, 0, 0);
	tt_conn_free(c);
	tt_config_linux(&cfg);
	c = conn_established();
	tt_out_clear(&out);
	tt_conn_abort(c, now, &out);
	EMITS_SEG(0, TT_RST | TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 0);
	tt_conn_free(c);
}
END_TEST

/* close() with unread data sends a RST (RFC 2525 §2.17); shutdown does not. */
START_TEST(test_close_with_unread_data_resets)
{
	struct tt_conn *c = conn_established();

	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	tt_out_clear(&out);
	tt_conn_close(c, now, &out);
	REASON_IS(TT_R_CLOSE_UNREAD_RST);
	STATE_IS(c, TT_CLOSED);
	EMITS_EXACTLY(SEG(TT_RST, OUR_ISS + 1, 0, 0, 0));
	tt_conn_free(c);
	c = conn_established();
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 10);
	tt_out_clear(&out);
	tt_conn_shutdown(c, now, &out);
	STATE_IS(c, TT_FIN_WAIT_1);
	REASON_IS(TT_R_SHUTDOWN_SEND_FIN);
	EMITS_EXACTLY(SEG(TT_FIN | TT_ACK, OUR_ISS + 1, PEER_ISS + 11, 0, 65535 - 10));
	tt_conn_free(c);
}
END_TEST

/* After close(), new data is answered with a RST; after shutdown it is read. */
START_TEST(test_data_after_close_resets)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	tt_conn_close(c, now, &out);
	STATE_IS(c, TT_FIN_WAIT_1);
	REASON_IS(TT_R_CLOSE_SEND_FIN);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2);
	STATE_IS(c, TT_FIN_WAIT_2);
	ARRIVES_DATA(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2, 10);
	REASON_IS(TT_R_DATA_AFTER_CLOSE);
	STATE_IS(c, TT_CLOSED);
	EMITS_EXACTLY(SEG(TT_RST, OUR_ISS + 2, 0, 0, 0));
	tt_conn_free(c);
}
END_TEST

/* Linux's tcp_fin_timeout: FIN-WAIT-2 after close() ends on its own. */
START_TEST(test_fin_wait_2_times_out_after_close)
{
	struct tt_conn *c;

	cfg.fin_timeout = TT_SEC(60);
	c = conn_fin_wait_2();                          /* by shutdown: no timeout */
	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);
	tt_conn_free(c);
	c = conn_established();
	tt_conn_close(c, now, &out);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 2);
	STATE_IS(c, TT_FIN_WAIT_2);
	ck_assert_int_eq(tt_conn_next_timer(c), now + TT_SEC(60));
	tick_at(c, now + TT_SEC(60));
	STATE_IS(c, TT_CLOSED);
	REASON_IS(TT_R_FIN_WAIT_2_TIMEOUT);
	EMITS_NOTHING();
	tt_conn_free(c);
}
END_TEST

/* ---- RFC 6298: round-trip time and the retransmission timeout ---------- */

/* An active open under the Linux preset (RTO.min 200 ms) whose SYN,ACK
 * comes back after 100 ms. */
static struct tt_conn *
conn_linux_100ms(void)
{
	struct tt_conn *c;

	tt_config_linux(&cfg);
	now = 0;
	c = conn_syn_sent();
	now = TT_MS(100);
	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	return c;
}

/* Sends n bytes at time t; returns the sequence number after them. */
static void
send_at(struct tt_conn *c, tt_time t, size_t n)
{
	now = t;
	tt_out_clear(&out);
	ck_assert_int_eq(tt_conn_send(c, NULL, n, now, &out), TT_E_NONE);
	ck_assert_uint_eq(out.truncated, 0);
}

#define RTT_IS(c, s, v, r)                                              \
	do {                                                            \
		struct tt_tcb_view rv_;                                 \
		view((c), &rv_);                                        \
		ck_assert_int_eq(rv_.rtt_valid, 1);                     \
		ck_assert_int_eq(rv_.srtt, (s));                        \
		ck_assert_int_eq(rv_.rttvar, (v));                      \
		ck_assert_int_eq(rv_.rto, (r));                         \
	} while (0)

START_TEST(test_rtt_first_sample_is_the_handshake)
{
	struct tt_conn *c = conn_linux_100ms();

	/* (2.2): SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 300 ms */
	RTT_IS(c, TT_MS(100), TT_MS(50), TT_MS(300));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rtt_later_samples_are_smoothed)
{
	struct tt_conn *c = conn_linux_100ms();

	send_at(c, TT_SEC(1), 100);
	now = TT_SEC(1) + TT_MS(300);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 101);
	/* (2.3): RTTVAR = 3/4 50 + 1/4 |100 - 300| = 87.5 ms, then
	 * SRTT = 7/8 100 + 1/8 300 = 125 ms; RTO = 125 + 350 ms */
	RTT_IS(c, TT_MS(125), 87500, TT_MS(475));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rto_min_holds_under_rfc_defaults)
{
	struct tt_conn *c;

	now = 0;
	c = conn_syn_sent();
	now = TT_MS(100);
	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	/* (2.4): 300 ms computed, rounded up to RTO.min = 1 s */
	RTT_IS(c, TT_MS(100), TT_MS(50), TT_SEC(1));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rto_is_capped_at_rto_max)
{
	struct tt_conn *c;

	tt_config_linux(&cfg);
	now = 0;
	c = conn_syn_sent();
	cfg.syn_retries = 100;
	now = TT_SEC(100);         /* the SYN's answer took 100 s */
	ARRIVES(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1);
	/* (2.5): 100 + 200 s computed, 120 s at most */
	RTT_IS(c, TT_SEC(100), TT_SEC(50), TT_SEC(120));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_karn_no_sample_from_a_retransmission_and_backoff_kept)
{
	struct tt_conn *c = conn_linux_100ms();
	struct tt_tcb_view v;

	send_at(c, TT_SEC(1), 100);
	tick_at(c, TT_SEC(1) + TT_MS(300));     /* RTO: sent again, RTO doubled */
	REASON_IS(TT_R_RTX_TIMEOUT);
	EMITS_SEG(0, TT_ACK | TT_PSH, OUR_ISS + 1, PEER_ISS + 1, 100, 65535);
	now = TT_SEC(1) + TT_MS(400);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 101);
	/* which copy does it answer? No sample (Karn); the backed-off RTO
	 * stays until data sent once is acknowledged */
	RTT_IS(c, TT_MS(100), TT_MS(50), TT_MS(600));
	/* new data, sent while the backoff lasts: not timed either, but its
	 * ACK ends the backoff */
	send_at(c, TT_SEC(2), 100);
	now = TT_SEC(2) + TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 201);
	RTT_IS(c, TT_MS(100), TT_MS(50), TT_MS(300));
	/* and the next is timed again: R = 100 ms, RTTVAR 37.5 ms */
	send_at(c, TT_SEC(3), 100);
	now = TT_SEC(3) + TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 301);
	RTT_IS(c, TT_MS(100), 37500, TT_MS(250));
	view(c, &v);
	ck_assert_int_eq(v.rtx_at, TT_NEVER);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_rtt_of_a_passive_open_from_the_final_ack)
{
	struct tt_conn *c;

	tt_config_linux(&cfg);
	now = 0;
	c = conn_listen();
	ARRIVES(c, TT_SYN, PEER_ISS, 0);
	now = TT_MS(80);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1);
	STATE_IS(c, TT_ESTABLISHED);
	RTT_IS(c, TT_MS(80), TT_MS(40), TT_MS(240));
	tt_conn_free(c);
}
END_TEST

/* ---- Nagle (RFC 896, RFC 1122 §4.2.3.4) ---------------------------------- */

START_TEST(test_nagle_holds_a_small_segment_until_the_ack)
{
	struct tt_conn *c;

	cfg.nagle = 1;
	c = conn_established();
	send_at(c, 0, 100);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 1, PEER_ISS + 1, 100, 65535));
	send_at(c, 0, 50);              /* the first 100 bytes are unacknowledged */
	EMITS_COUNT(0);
	REASON_IS(TT_R_NAGLE_WAIT);
	send_at(c, 0, 50);              /* still waiting, said once */
	EMITS_COUNT(0);
	ck_assert(!has_reason(TT_R_NAGLE_WAIT));
	now = TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 101);
	/* the ACK lets what waited go, as one segment */
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 101, PEER_ISS + 1, 100, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_nagle_lets_full_segments_go)
{
	struct tt_conn *c;

	cfg.nagle = 1;
	cfg.mss = 100;
	c = conn_established();
	send_at(c, 0, 10);
	EMITS_COUNT(1);
	/* a full segment goes though data is unacknowledged; the rest waits */
	send_at(c, 0, 250);
	EMITS_COUNT(2);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 11, PEER_ISS + 1, 100, 65535);
	EMITS_SEG(1, TT_ACK, OUR_ISS + 111, PEER_ISS + 1, 100, 65535);
	REASON_IS(TT_R_NAGLE_WAIT);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_nodelay_sends_each_piece_at_once)
{
	struct tt_conn *c = conn_established();   /* the RFC column: Nagle off */

	send_at(c, 0, 100);
	send_at(c, 0, 50);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 101, PEER_ISS + 1, 50, 65535));
	ck_assert(!has_reason(TT_R_NAGLE_WAIT));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_nagle_fin_waits_behind_the_held_data)
{
	struct tt_conn *c;

	cfg.nagle = 1;
	c = conn_established();
	send_at(c, 0, 100);
	send_at(c, 0, 50);
	tt_out_clear(&out);
	tt_conn_shutdown(c, now, &out);
	STATE_IS(c, TT_FIN_WAIT_1);
	EMITS_COUNT(0);               /* the FIN goes after the data */
	now = TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 101);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, OUR_ISS + 101, PEER_ISS + 1, 50, 65535),
	              SEG(TT_FIN | TT_ACK, OUR_ISS + 151, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
}
END_TEST

/* ---- RFC 5681 congestion control, RFC 6582 NewReno ------------------------ */

#define SMSS 536u                       /* the peer sent no MSS option */
#define CWND_IS(c, cw, th)                                                   \
	do {                                                                 \
		struct tt_tcb_view cv_;                                      \
		view((c), &cv_);                                             \
		ck_assert_uint_eq(cv_.cwnd, (cw));                           \
		ck_assert_uint_eq(cv_.ssthresh, (th));                       \
	} while (0)
#define HIGH (UINT32_MAX / 2)           /* ssthresh before any loss */

START_TEST(test_cc_initial_window_then_slow_start)
{
	struct tt_conn *c = conn_established();

	send_at(c, 0, 10 * SMSS);
	/* RFC 5681 (1): an MSS of 1095 bytes or less starts with 4 segments */
	EMITS_COUNT(4);
	CWND_IS(c, 4 * SMSS, HIGH);
	now = TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1 + SMSS);
	/* slow start (2): one segment more per ACK: two go, one for the
	 * segment acknowledged and one for the growth */
	CWND_IS(c, 5 * SMSS, HIGH);
	EMITS_COUNT(2);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1 + 4 * SMSS, PEER_ISS + 1, SMSS, 65535);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_cc_linux_starts_with_ten_segments)
{
	struct tt_conn *c;

	tt_config_linux(&cfg);
	cfg.nagle = 0;
	c = conn_established();
	send_at(c, 0, 20 * SMSS);
	EMITS_COUNT(10);              /* RFC 6928 */
	tt_conn_free(c);
}
END_TEST

START_TEST(test_cc_congestion_avoidance_above_ssthresh)
{
	struct tt_conn *c = conn_established();

	cfg.initial_window = 0;
	send_at(c, 0, 40 * SMSS);
	tick_at(c, TT_SEC(1));          /* a timeout: ssthresh = flight / 2 */
	CWND_IS(c, SMSS, 2 * SMSS);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1 + SMSS);
	CWND_IS(c, 2 * SMSS, 2 * SMSS);     /* slow start up to ssthresh */
	ARRIVES(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1 + 2 * SMSS);
	/* above it (3): SMSS * SMSS / cwnd a time, about one per round trip */
	CWND_IS(c, 2 * SMSS + SMSS / 2, 2 * SMSS);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_cc_fast_retransmit_and_newreno_recovery)
{
	struct tt_conn *c;
	uint32_t base = OUR_ISS + 1;

	cfg.initial_window = 10;
	c = conn_established();
	send_at(c, 0, 10 * SMSS);
	EMITS_COUNT(10);
	now = TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);  /* segment 2 was lost */
	CWND_IS(c, 11 * SMSS, HIGH);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	EMITS_COUNT(0);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);  /* the third duplicate */
	REASON_IS(TT_R_FAST_RETRANSMIT);
	EMITS_SEG(0, TT_ACK | TT_PSH, base + SMSS, PEER_ISS + 1, SMSS, 65535);
	/* ssthresh = FlightSize / 2 = 9 * 536 / 2; cwnd = ssthresh + 3 SMSS */
	CWND_IS(c, 9 * SMSS / 2 + 3 * SMSS, 9 * SMSS / 2);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);  /* a fourth: inflate */
	CWND_IS(c, 9 * SMSS / 2 + 4 * SMSS, 9 * SMSS / 2);
	/* a partial ACK (segment 5 was lost too): it goes again at once */
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 4 * SMSS);
	REASON_IS(TT_R_RECOVERY_PARTIAL);
	EMITS_SEG(0, TT_ACK | TT_PSH, base + 4 * SMSS, PEER_ISS + 1, SMSS, 65535);
	/* the full ACK ends recovery: cwnd = ssthresh */
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 10 * SMSS);
	REASON_IS(TT_R_RECOVERY_END);
	CWND_IS(c, 9 * SMSS / 2, 9 * SMSS / 2);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_cc_timeout_takes_cwnd_to_one_segment)
{
	struct tt_conn *c = conn_established();

	send_at(c, 0, 4 * SMSS);
	tick_at(c, TT_SEC(1));
	REASON_IS(TT_R_RTX_TIMEOUT);
	/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 SMSS); cwnd = 1 SMSS */
	CWND_IS(c, SMSS, 2 * SMSS);
	EMITS_COUNT(1);
	tt_conn_free(c);
}
END_TEST

/* After a timeout the whole flight goes again from SND.UNA in slow start
 * (RFC 5681 §3.1): the ACK of the segment sent again lets the next two go,
 * and then the rest, old data every one, not a timeout per lost segment. */
START_TEST(test_cc_timeout_sends_the_flight_again_as_acks_come)
{
	struct tt_conn *c = conn_established();
	uint32_t base = OUR_ISS + 1;

	send_at(c, 0, 4 * SMSS);
	EMITS_COUNT(4);
	tick_at(c, TT_SEC(1));          /* all four lost */
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, base, PEER_ISS + 1, SMSS, 65535));
	now = TT_SEC(1) + TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	CWND_IS(c, 2 * SMSS, 2 * SMSS);
	EMITS_COUNT(2);
	EMITS_SEG(0, TT_ACK, base + SMSS, PEER_ISS + 1, SMSS, 65535);
	EMITS_SEG(1, TT_ACK, base + 2 * SMSS, PEER_ISS + 1, SMSS, 65535);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 3 * SMSS);
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, base + 3 * SMSS, PEER_ISS + 1, SMSS, 65535));
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 4 * SMSS);
	EMITS_COUNT(0);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_NEVER);
	tt_conn_free(c);
}
END_TEST

/* The same with a FIN behind the data: it goes again after the data. */
START_TEST(test_cc_timeout_sends_the_fin_again_after_the_data)
{
	struct tt_conn *c = conn_established();
	uint32_t base = OUR_ISS + 1;

	send_at(c, 0, 2 * SMSS);
	tt_conn_shutdown(c, now, &out);
	tick_at(c, TT_SEC(1));
	EMITS_EXACTLY(SEG(TT_ACK | TT_PSH, base, PEER_ISS + 1, SMSS, 65535));
	now = TT_SEC(1) + TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	EMITS_COUNT(2);
	EMITS_SEG(0, TT_ACK | TT_PSH, base + SMSS, PEER_ISS + 1, SMSS, 65535);
	EMITS_SEG(1, TT_FIN | TT_ACK, base + 2 * SMSS, PEER_ISS + 1, 0, 65535);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 2 * SMSS + 1);
	STATE_IS(c, TT_FIN_WAIT_2);
	tt_conn_free(c);
}
END_TEST

/* Sender SWS avoidance (RFC 9293 §3.8.6.2.1): in congestion avoidance cwnd
 * is no whole number of segments; the part of a segment it leaves waits for
 * the ACKs in flight instead of going as a small segment. */
START_TEST(test_sws_a_window_cut_below_the_mss_waits)
{
	struct tt_conn *c = conn_established();
	uint32_t base = OUR_ISS + 1;

	cfg.initial_window = 0;
	send_at(c, 0, 40 * SMSS);
	tick_at(c, TT_SEC(1));
	now = TT_SEC(1) + TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	EMITS_COUNT(2);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 2 * SMSS);
	CWND_IS(c, 2 * SMSS + SMSS / 2, 2 * SMSS);
	/* one full segment fits beside the one in flight, then half of one */
	EMITS_EXACTLY(SEG(TT_ACK, base + 3 * SMSS, PEER_ISS + 1, SMSS, 65535));
	REASON_IS(TT_R_SWS_WAIT);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 3 * SMSS);
	EMITS_EXACTLY(SEG(TT_ACK, base + 4 * SMSS, PEER_ISS + 1, SMSS, 65535));
	tt_conn_free(c);
}
END_TEST

START_TEST(test_cc_off_only_the_peer_window_limits)
{
	struct tt_conn *c;

	cfg.congestion = 0;
	c = conn_established();
	send_at(c, 0, 10 * SMSS);
	EMITS_COUNT(10);
	CWND_IS(c, 0, 0);
	tt_conn_free(c);
}
END_TEST


/* ---- window scaling (RFC 7323 §2) ---- */

#define SHIFTS_ARE(c, snd, rcv)                                              \
	do {                                                                 \
		struct tt_tcb_view sv_;                                      \
		view((c), &sv_);                                             \
		ck_assert_int_eq(sv_.snd_shift, (snd));                      \
		ck_assert_int_eq(sv_.rcv_shift, (rcv));                      \
	} while (0)

/* SYN-SENT: our SYN offers shift 7 with its window unscaled; the SYN,ACK
 * offers 2: its own window is taken as it is, later ones times 4, and our
 * windows go out shifted right by 7. */
START_TEST(test_wscale_syn_sent_negotiates_both_shifts)
{
	struct tt_conn *c;
	struct tt_tcb_view v;

	cfg.wscale = 7;
	cfg.rcv_wnd = 1u << 20;
	c = conn_syn_sent();
	EMITS_EXACTLY(SEG(TT_SYN, OUR_ISS, 0, 0, 65535));
	ck_assert_uint_eq(out.seg[0].wsopt, 8);
	arrive_ws(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 1000, 3);
	STATE_IS(c, TT_ESTABLISHED);
	REASON_IS(TT_R_WSCALE_ON);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, (1u << 20) >> 7));
	ck_assert_uint_eq(out.seg[0].wsopt, 0);
	SHIFTS_ARE(c, 2, 7);
	view(c, &v);
	ck_assert_uint_eq(v.snd_wnd, 1000);     /* the SYN,ACK's window: unscaled */
	arrive_ws(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 1000, 0);
	view(c, &v);
	ck_assert_uint_eq(v.snd_wnd, 4000);
	tt_conn_free(c);
}
END_TEST

/* ---- SYN cookies (RFC 4987 §3.6, Linux's encoding) ---------------------- */

static const struct tt_cookie_secret cookie_key = { { { 1, 2 }, { 3, 4 } } };

static struct tt_cookie_id
cookie_peer(void)
{
	struct tt_cookie_id id;

	memset(&id, 0, sizeof id);
	id.saddr[0] = 192, id.saddr[3] = 1;     /* 192.0.0.1 -> 198.51.100.2 */
	id.daddr[0] = 198, id.daddr[1] = 51, id.daddr[2] = 100, id.daddr[3] = 2;
	id.sport = 49152;
	id.dport = 80;
	return id;
}

START_TEST(test_cookie_round_trip_keeps_the_rounded_mss)
{
	struct tt_cookie_id id = cookie_peer();
	uint32_t c = tt_cookie_make(&cookie_key, &id, PEER_ISS, 1400, TT_SEC(10));

	/* msstab {536, 1300, 1440, 1460}: 1400 rounds down to 1300 */
	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &id, PEER_ISS, c, TT_SEC(10)), 1300);
	ck_assert_uint_eq(tt_cookie_mss(0), 536);
	ck_assert_uint_eq(tt_cookie_mss(100), 536);
	ck_assert_uint_eq(tt_cookie_mss(1460), 1460);
	ck_assert_uint_eq(tt_cookie_mss(9000), 1460);
	ck_assert_uint_eq(tt_cookie_mss(1452), 1440);
	/* the count is in the top 8 bits */
	ck_assert_uint_eq(tt_cookie_count(TT_SEC(10)), 0);
	ck_assert_uint_eq(tt_cookie_count(TT_SEC(61)), 1);
}
END_TEST

START_TEST(test_cookie_is_valid_for_this_minute_and_the_one_before)
{
	struct tt_cookie_id id = cookie_peer();
	uint32_t c = tt_cookie_make(&cookie_key, &id, PEER_ISS, 1460, TT_SEC(59));

	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &id, PEER_ISS, c, TT_SEC(61)), 1460);
	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &id, PEER_ISS, c, TT_SEC(119)), 1460);
	/* Linux MAX_SYNCOOKIE_AGE: two counts later it is stale */
	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &id, PEER_ISS, c, TT_SEC(120)), 0);
}
END_TEST

START_TEST(test_cookie_forged_or_for_another_peer_is_refused)
{
	struct tt_cookie_id id = cookie_peer(), other = cookie_peer();
	struct tt_cookie_secret key2 = cookie_key;
	uint32_t c = tt_cookie_make(&cookie_key, &id, PEER_ISS, 1460, 0);
	unsigned valid = 0;

	other.sport = 49153;
	key2.k[1][0] ^= 1;
	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &other, PEER_ISS, c, 0), 0);
	/* the peer's ISN is added in (as Linux does): one a little off reads
	 * as another MSS index, one further off as none */
	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &id, PEER_ISS + 100, c, 0), 0);
	/* and only the difference counts: an ACK whose seq and ack are both
	 * off by the same amount passes, in Linux's construction too */
	ck_assert_uint_eq(tt_cookie_check(&cookie_key, &id, PEER_ISS - 5, c - 5, 0), 1460);
	ck_assert_uint_eq(tt_cookie_check(&key2, &id, PEER_ISS, c, 0), 0);
	/* a guessed cookie is valid about 4 times in 2^24 x 2: none of 1000 */
	for (uint32_t g = 0; g < 1000; g++)
		valid += tt_cookie_check(&cookie_key, &id, PEER_ISS, c + 1 + g * 7919u, 0) != 0;
	ck_assert_uint_eq(valid, 0);
}
END_TEST

/* Tests for LISTEN answering with a cookie */

START_TEST(test_listen_cookie_syn_ack_keeps_no_state)
{
	struct tt_conn *c = conn_listen();
	struct tt_seg syn;

	memset(&syn, 0, sizeof syn);
	syn.flags = TT_SYN;
	syn.seq = PEER_ISS;
	syn.wnd = 65535;
	tt_out_clear(&out);
	tt_conn_cookie_synack(c, &syn, 777777, &out);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, 777777, PEER_ISS + 1, 0, 65535));
	ck_assert_uint_eq(out.seg[0].mss, 1460);
	REASON_IS(TT_R_COOKIE_SENT);
	STATE_IS(c, TT_LISTEN);
	ck_assert(tt_conn_next_timer(c) == TT_NEVER);   /* nothing to retransmit */
	tt_conn_free(c);
}
END_TEST

START_TEST(test_cookie_ack_rebuilds_an_established_connection)
{
	struct tt_conn *c = conn_listen();
	struct tt_tcb_view v;
	struct tt_seg ack;
	uint8_t data[1400];

	memset(&ack, 0, sizeof ack);
	ack.flags = TT_ACK;
	ack.seq = PEER_ISS + 1;
	ack.ack = 777778;
	ack.wnd = 65535;
	tt_out_clear(&out);
	tt_conn_cookie_open(c, &ack, 1300, now, &out);
	EMITS_NOTHING();
	REASON_IS(TT_R_COOKIE_ACK);
	STATE_IS(c, TT_ESTABLISHED);
	view(c, &v);
	ck_assert_uint_eq(v.iss, 777777);
	ck_assert_uint_eq(v.irs, PEER_ISS);
	ck_assert_uint_eq(v.snd_una, 777778);
	ck_assert_uint_eq(v.snd_nxt, 777778);
	ck_assert_uint_eq(v.rcv_nxt, PEER_ISS + 1);
	/* the MSS the cookie kept cuts what is sent */
	memset(data, 'x', sizeof data);
	tt_out_clear(&out);
	tt_conn_send(c, data, sizeof data, now, &out);
	EMITS_COUNT(2);
	EMITS_SEG(0, TT_ACK, 777778, PEER_ISS + 1, 1300, 65535);
	EMITS_SEG(1, TT_ACK | TT_PSH, 777778 + 1300, PEER_ISS + 1, 100, 65535);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_wscale_scaled_window_is_what_the_sender_fills)
{
	struct tt_conn *c;

	cfg.wscale = 0;
	cfg.congestion = 0;
	c = conn_syn_sent();
	arrive_ws(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 100, 5);
	SHIFTS_ARE(c, 4, 0);
	/* 100 << 4 = 1600 bytes: two segments of 536 and one of 528 */
	arrive_ws(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 100, 0);
	send_at(c, 0, 1600);
	EMITS_COUNT(3);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 536, 65535);
	EMITS_SEG(2, TT_ACK | TT_PSH, OUR_ISS + 1 + 2 * 536, PEER_ISS + 1, 528, 65535);
	tt_conn_free(c);
}
END_TEST

/* A scaled window is offered in whole units of 2^Rcv.Wind.Shift: the room
 * rounded up (as Linux, so that a small room is not scaled away), an edge
 * held rounded down (RFC 7323 §2.4), so that the edge never creeps on; and
 * a window offered as zero takes no probe into the room under one unit. */
START_TEST(test_wscale_window_offered_in_units_and_taken_as_offered)
{
	struct tt_conn *c;
	struct tt_tcb_view v;
	uint32_t seq = PEER_ISS + 1;

	cfg.wscale = 7;
	cfg.rcv_wnd = 2000;
	cfg.mss = 1460;
	c = conn_syn_sent();
	arrive_ws(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 1000, 1);
	SHIFTS_ARE(c, 0, 7);
	/* 2000 free: 16 units of 128 (2048), the edge at 2049 */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 16));
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 1460, 65535);
	/* 540 free, under min(1000, 1460): the edge held, its 588 bytes left
	 * offered as 4 whole units (512) */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1461, 0, 4));
	arrive(c, TT_ACK, PEER_ISS + 1461, OUR_ISS + 1, 512, 65535);
	/* 76 bytes of the edge left, under a unit: offered as 0 */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1973, 0, 0));
	/* offered 0: a probe is refused */
	arrive(c, TT_ACK, PEER_ISS + 1973, OUR_ISS + 1, 1, 65535);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1973, 0, 0));
	tt_conn_free(c);

	/* a reader that never reads, sent segments short of a unit for as
	 * long as it takes them: it takes no more than its room and one unit */
	cfg.rcv_wnd = 1000;
	cfg.mss = 100;
	c = conn_syn_sent();
	arrive_ws(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 1000, 1);
	for (int i = 0; i < 1000; i++) {
		arrive(c, TT_ACK, seq, OUR_ISS + 1, 100, 65535);
		view(c, &v);
		if (v.rcv_nxt == seq)
			break;          /* refused */
		seq = v.rcv_nxt;
	}
	ck_assert_uint_le(seq - (PEER_ISS + 1), 1000 + 127);
	tt_conn_free(c);
}
END_TEST

/* A SYN,ACK without the option: neither side scales (RFC 7323 §2.2). */
START_TEST(test_wscale_off_when_the_peer_does_not_offer)
{
	struct tt_conn *c;
	struct tt_tcb_view v;

	cfg.wscale = 7;
	cfg.rcv_wnd = 1u << 20;
	c = conn_syn_sent();
	arrive_ws(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 1000, 0);
	STATE_IS(c, TT_ESTABLISHED);
	REASON_IS(TT_R_WSCALE_OFF);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535);
	SHIFTS_ARE(c, -1, -1);
	arrive_ws(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 1000, 0);
	view(c, &v);
	ck_assert_uint_eq(v.snd_wnd, 1000);
	tt_conn_free(c);
}
END_TEST

/* LISTEN: a SYN,ACK carries the option only in answer to one; a shift
 * above 14 is taken as 14 (§2.3). */
START_TEST(test_wscale_listen_answers_only_an_offer)
{
	struct tt_conn *c;

	cfg.wscale = 5;
	c = conn_listen();
	arrive_ws(c, TT_SYN, PEER_ISS, 0, 65535, 0);
	STATE_IS(c, TT_SYN_RECEIVED);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	ck_assert_uint_eq(out.seg[0].wsopt, 0);
	SHIFTS_ARE(c, -1, -1);
	tt_conn_free(c);

	c = conn_listen();
	arrive_ws(c, TT_SYN, PEER_ISS, 0, 65535, 15 + 1);
	EMITS_COUNT(1);
	ck_assert_uint_eq(out.seg[0].wsopt, 5 + 1);
	SHIFTS_ARE(c, 14, 5);
	REASON_IS(TT_R_WSCALE_ON);
	/* the final ACK's window is scaled: 2 << 14 */
	arrive_ws(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 2, 0);
	STATE_IS(c, TT_ESTABLISHED);
	{
		struct tt_tcb_view v;

		view(c, &v);
		ck_assert_uint_eq(v.snd_wnd, 2u << 14);
	}
	tt_conn_free(c);
}
END_TEST

/* Without cfg.wscale (the RFC preset) no option goes out and a peer's
 * offer changes nothing. */
START_TEST(test_wscale_not_offered_by_default)
{
	struct tt_conn *c = conn_listen();

	arrive_ws(c, TT_SYN, PEER_ISS, 0, 65535, 8);
	EMITS_COUNT(1);
	ck_assert_uint_eq(out.seg[0].wsopt, 0);
	ck_assert_msg(!has_reason(TT_R_WSCALE_ON) && !has_reason(TT_R_WSCALE_OFF),
	              "no window scaling event without an offer of ours");
	SHIFTS_ARE(c, -1, -1);
	tt_conn_free(c);
}
END_TEST


/* ---- CUBIC (RFC 9438) ---- */

/* W_cubic(t) = C (t - K)^3 + W_max, C = 0.4, K = cbrt((W_max - cwnd_epoch) / C):
 * from 70 segments after a reduction from 100, K = cbrt(75) = 4.2172 s. */
START_TEST(test_cubic_window_function_at_a_few_points)
{
	double k = tt_cubic_k(100, 70);

	ck_assert_double_eq_tol(k, 4.217163, 1e-6);
	ck_assert_double_eq_tol(tt_cubic_w(0, k, 100), 70, 1e-9);      /* the epoch starts at 70 */
	ck_assert_double_eq_tol(tt_cubic_w(k, k, 100), 100, 1e-12);    /* back at W_max at K */
	ck_assert_double_eq_tol(tt_cubic_w(k + 1, k, 100), 100.4, 1e-9); /* then beyond it */
	ck_assert_double_eq_tol(tt_cubic_w(k - 1, k, 100), 99.6, 1e-9);
	ck_assert_double_eq_tol(tt_cubic_w(k + 2, k, 100), 103.2, 1e-9);
	ck_assert_double_eq_tol(tt_cubic_k(50, 50), 0, 1e-12);
}
END_TEST

/* The reduction is beta_cubic = 0.7 of the flight, not Reno's half. */
START_TEST(test_cubic_fast_retransmit_reduces_to_seven_tenths)
{
	struct tt_conn *c;
	uint32_t base = OUR_ISS + 1;

	cfg.initial_window = 10;
	cfg.cc = TT_CC_CUBIC;
	c = conn_established();
	send_at(c, 0, 10 * SMSS);
	now = TT_MS(100);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	REASON_IS(TT_R_FAST_RETRANSMIT);
	/* the flight is 9 SMSS (the first ACK took one): ssthresh 0.7 of it,
	 * where Reno's is half (test_cc_fast_retransmit_and_newreno_recovery) */
	CWND_IS(c, (uint32_t)(9 * SMSS * 0.7) + 3 * SMSS, (uint32_t)(9 * SMSS * 0.7));
	ARRIVES(c, TT_ACK, PEER_ISS + 1, base + 10 * SMSS);
	REASON_IS(TT_R_RECOVERY_END);
	CWND_IS(c, (uint32_t)(9 * SMSS * 0.7), (uint32_t)(9 * SMSS * 0.7));
	tt_conn_free(c);
}
END_TEST

/* In congestion avoidance CUBIC grows faster than Reno far from W_max:
 * the same ACKs, one RTT after the reduction, give CUBIC the larger cwnd. */
static uint32_t
cwnd_after_avoidance(int cc)
{
	struct tt_conn *c;
	struct tt_tcb_view v;
	uint32_t base = OUR_ISS + 1, next;

	setup();
	cfg.initial_window = 10;
	cfg.cc = cc;
	cfg.rcv_wnd = 65535;
	c = conn_established();
	send_at(c, 0, 60000);
	now = TT_MS(100);
	for (int i = 0; i < 4; i++)
		ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	view(c, &v);
	next = v.snd_nxt;
	ARRIVES(c, TT_ACK, PEER_ISS + 1, next);         /* recovery ends */
	/* ten seconds of ACKs, one segment each */
	for (int i = 1; i <= 100; i++) {
		now = TT_MS(100) + TT_MS(100) * i;
		view(c, &v);
		if (TT_SEQ_GEQ(next, v.snd_nxt))
			break;
		next += SMSS;
		if (TT_SEQ_GT(next, v.snd_nxt))
			next = v.snd_nxt;
		ARRIVES(c, TT_ACK, PEER_ISS + 1, next);
	}
	view(c, &v);
	tt_conn_free(c);
	return v.cwnd;
}

START_TEST(test_cubic_grows_faster_than_reno_after_the_reduction)
{
	uint32_t reno = cwnd_after_avoidance(TT_CC_RENO), cubic = cwnd_after_avoidance(TT_CC_CUBIC);

	ck_assert_msg(cubic > reno, "cubic %u, reno %u", cubic, reno);
}
END_TEST

/* ---- ECN (RFC 3168) ---- */

/* SYN-SENT with ecn on: the ECN-setup SYN has ECE and CWR; a SYN,ACK with
 * ECE alone agrees (§6.1.1). */
static struct tt_conn *
conn_ecn_established(void)
{
	struct tt_conn *c;

	cfg.ecn = 1;
	c = conn_syn_sent();
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ECE | TT_CWR, OUR_ISS, 0, 0, 65535));
	arrive_ecn(c, TT_SYN | TT_ACK | TT_ECE, PEER_ISS, OUR_ISS + 1, 0, TT_NOT_ECT);
	STATE_IS(c, TT_ESTABLISHED);
	REASON_IS(TT_R_ECN_ON);
	/* the final ACK is a pure ACK: no ECE, no ECT */
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 1, 0, 65535));
	ck_assert_uint_eq(out.seg[0].ecn, TT_NOT_ECT);
	return c;
}

START_TEST(test_ecn_negotiated_and_data_sent_ect)
{
	struct tt_conn *c = conn_ecn_established();

	send_at(c, 0, 100);
	EMITS_COUNT(1);
	ck_assert_uint_eq(out.seg[0].ecn, TT_ECT0);
	/* sent again after the timeout: not ECN-capable (§6.1.5) */
	tick_at(c, TT_SEC(1));
	REASON_IS(TT_R_RTX_TIMEOUT);
	EMITS_COUNT(1);
	ck_assert_uint_eq(out.seg[0].ecn, TT_NOT_ECT);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_ecn_not_agreed_without_ece_on_the_syn_ack)
{
	struct tt_conn *c;

	cfg.ecn = 1;
	c = conn_syn_sent();
	arrive_ecn(c, TT_SYN | TT_ACK, PEER_ISS, OUR_ISS + 1, 0, TT_NOT_ECT);
	STATE_IS(c, TT_ESTABLISHED);
	ck_assert(!has_reason(TT_R_ECN_ON));
	send_at(c, 0, 100);
	ck_assert_uint_eq(out.seg[0].ecn, TT_NOT_ECT);
	tt_conn_free(c);
}
END_TEST

/* LISTEN with ecn accept (Linux's tcp_ecn=2): an ECN-setup SYN gets a
 * SYN,ACK with ECE; a plain SYN a plain SYN,ACK. */
START_TEST(test_ecn_listener_agrees_only_when_asked)
{
	struct tt_conn *c;

	cfg.ecn = 2;
	c = conn_listen();
	arrive_ecn(c, TT_SYN | TT_ECE | TT_CWR, PEER_ISS, 0, 0, TT_NOT_ECT);
	EMITS_COUNT(1);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK | TT_ECE, OUR_ISS, PEER_ISS + 1, 0, 65535));
	REASON_IS(TT_R_ECN_ON);
	tt_conn_free(c);
	c = conn_listen();
	arrive_ecn(c, TT_SYN, PEER_ISS, 0, 0, TT_NOT_ECT);
	EMITS_EXACTLY(SEG(TT_SYN | TT_ACK, OUR_ISS, PEER_ISS + 1, 0, 65535));
	tt_conn_free(c);
	/* an active opener with accept only does not ask */
	c = conn_syn_sent();
	EMITS_EXACTLY(SEG(TT_SYN, OUR_ISS, 0, 0, 65535));
	tt_conn_free(c);
}
END_TEST

/* The receiver: a CE mark makes every ACK carry ECE until a CWR arrives
 * (§6.1.3). */
START_TEST(test_ecn_receiver_echoes_ce_until_cwr)
{
	struct tt_conn *c = conn_ecn_established();

	arrive_ecn(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 100, TT_CE);
	REASON_IS(TT_R_ECN_CE);
	EMITS_EXACTLY(SEG(TT_ACK | TT_ECE, OUR_ISS + 1, PEER_ISS + 101, 0, 65435));
	arrive_ecn(c, TT_ACK, PEER_ISS + 101, OUR_ISS + 1, 100, TT_ECT0);
	EMITS_SEG(0, TT_ACK | TT_ECE, OUR_ISS + 1, PEER_ISS + 201, 0, 65335);
	arrive_ecn(c, TT_ACK | TT_CWR, PEER_ISS + 201, OUR_ISS + 1, 100, TT_ECT0);
	REASON_IS(TT_R_ECN_CWR);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 301, 0, 65235);
	tt_conn_free(c);
}
END_TEST

/* The sender: ECE halves the window once per window of data, and the next
 * new data carries CWR (§6.1.2). */
START_TEST(test_ecn_sender_reduces_once_per_window)
{
	struct tt_conn *c;
	uint32_t base = OUR_ISS + 1;

	cfg.initial_window = 10;
	c = conn_ecn_established();
	send_at(c, 0, 20 * SMSS);
	EMITS_COUNT(10);
	now = TT_MS(100);
	arrive_ecn(c, TT_ACK | TT_ECE, PEER_ISS + 1, base + SMSS, 0, TT_NOT_ECT);
	REASON_IS(TT_R_ECN_REDUCE);
	/* flight was 10 SMSS (the ACK came first: 9 left, then ssthresh of
	 * the 9 still out); cwnd = ssthresh: nothing new may go yet */
	CWND_IS(c, 9 * SMSS / 2, 9 * SMSS / 2);
	EMITS_COUNT(0);
	/* a second ECE in the same window: no second reduction */
	arrive_ecn(c, TT_ACK | TT_ECE, PEER_ISS + 1, base + 2 * SMSS, 0, TT_NOT_ECT);
	ck_assert(!has_reason(TT_R_ECN_REDUCE));
	/* the flight drains below cwnd: new data goes, the first with CWR */
	arrive_ecn(c, TT_ACK, PEER_ISS + 1, base + 7 * SMSS, 0, TT_NOT_ECT);
	ck_assert_uint_gt(out.nseg, 0);
	EMITS(0, TT_ACK | TT_CWR, base + 10 * SMSS, PEER_ISS + 1);
	if (out.nseg > 1)
		ck_assert_uint_eq(out.seg[1].flags & TT_CWR, 0);
	/* an ECE on the ACK that ends the old window echoes a mark of that
	 * window: still no second reduction */
	arrive_ecn(c, TT_ACK | TT_ECE, PEER_ISS + 1, base + 10 * SMSS, 0, TT_NOT_ECT);
	ck_assert(!has_reason(TT_R_ECN_REDUCE));
	/* one that covers data sent after the reduction is a new signal */
	arrive_ecn(c, TT_ACK | TT_ECE, PEER_ISS + 1, base + 11 * SMSS, 0, TT_NOT_ECT);
	REASON_IS(TT_R_ECN_REDUCE);
	tt_conn_free(c);
}
END_TEST


/* One call's output holds 16 segments; what the windows allow beyond them
 * goes at the same moment from the timer, never silently later. */
START_TEST(test_output_beyond_one_batch_goes_at_once)
{
	struct tt_conn *c;
	uint32_t base = OUR_ISS + 1;

	cfg.congestion = 0;
	c = conn_established();
	send_at(c, TT_MS(10), 40 * SMSS);
	EMITS_COUNT(16);
	ck_assert_int_eq(tt_conn_next_timer(c), TT_MS(10));
	tick_at(c, TT_MS(10));
	REASON_IS(TT_R_SEND_MORE);
	EMITS_COUNT(16);
	EMITS_SEG(0, TT_ACK, base + 16 * SMSS, PEER_ISS + 1, SMSS, 65535);
	tick_at(c, TT_MS(10));
	/* 65535 bytes of window: 122 segments of 536 would fit; 40 are queued */
	EMITS_COUNT(8);
	EMITS_SEG(7, TT_ACK | TT_PSH, base + 39 * SMSS, PEER_ISS + 1, SMSS, 65535);
	ck_assert_int_gt(tt_conn_next_timer(c), TT_MS(10));    /* the RTO, no more */
	tt_conn_free(c);
}
END_TEST

/* What does not fit in a full output is counted, never dropped unsaid: the
 * caller learns its lists are not whole. */
START_TEST(test_output_full_counts_what_did_not_fit)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	ck_assert_uint_eq(out.truncated, 0);
	out.nseg = TT_OUT_SEGS;
	out.nev = TT_OUT_EVENTS;
	tt_conn_abort(c, now, &out);            /* a RST and an event */
	ck_assert_uint_eq(out.truncated, 2);
	ck_assert_uint_eq(out.nseg, TT_OUT_SEGS);
	ck_assert_uint_eq(out.nev, TT_OUT_EVENTS);
	STATE_IS(c, TT_CLOSED);
	tt_out_clear(&out);
	ck_assert_uint_eq(out.truncated, 0);
	tt_conn_free(c);
}
END_TEST


/* RFC 6582 §3.2: "recover" starts at the initial send sequence number, so
 * that the first fast retransmit is allowed wherever the ISS lies (with 0
 * it never came while SND.UNA was 2^31 or more past 0). */
START_TEST(test_cc_fast_retransmit_with_an_iss_past_half_the_space)
{
	struct tt_conn *c = tt_conn_new(&cfg, 0x90000000u);
	uint32_t iss = 0x90000000u, base = iss + 1;
	struct tt_seg s;

	tt_out_clear(&out);
	tt_conn_open(c, 1, now, &out);
	memset(&s, 0, sizeof s);
	s.flags = TT_SYN | TT_ACK;
	s.seq = PEER_ISS;
	s.ack = iss + 1;
	s.wnd = 65535;
	tt_out_clear(&out);
	tt_conn_input(c, &s, now, &out);
	STATE_IS(c, TT_ESTABLISHED);
	send_at(c, 0, 4 * SMSS);
	now = TT_MS(100);
	for (int i = 0; i < 4; i++)
		ARRIVES(c, TT_ACK, PEER_ISS + 1, base + SMSS);
	REASON_IS(TT_R_FAST_RETRANSMIT);
	EMITS_SEG(0, TT_ACK | TT_PSH, base + SMSS, PEER_ISS + 1, SMSS, 65535);
	tt_conn_free(c);
}
END_TEST


/* RFC 9293 §3.10.2: a SEND the buffer cannot take is "insufficient
 * resources", not "connection does not exist". */
START_TEST(test_send_beyond_the_buffer_is_insufficient_resources)
{
	struct tt_conn *c = conn_established();

	tt_out_clear(&out);
	ck_assert_int_eq(tt_conn_send(c, NULL, (size_t)UINT32_MAX / 2 + 1, now, &out),
	                 TT_E_RESOURCES);
	REASON_IS(TT_R_SEND_RESOURCES);
	EMITS_NOTHING();
	STATE_IS(c, TT_ESTABLISHED);
	tt_conn_free(c);
}
END_TEST

START_TEST(test_refuse_in_syn_received_resets_at_snd_nxt)
{
	struct tt_conn *c = conn_listen();

	ARRIVES(c, TT_SYN, PEER_ISS, 0);
	STATE_IS(c, TT_SYN_RECEIVED);
	tt_out_clear(&out);
	tt_conn_refuse(c, TT_R_ACCEPTQ_FULL_RST, &out);
	EMITS_EXACTLY(SEG(TT_RST, OUR_ISS + 1, 0, 0, 0));
	REASON_IS(TT_R_ACCEPTQ_FULL_RST);
	STATE_IS(c, TT_CLOSED);
	tt_conn_free(c);
}
END_TEST


/* Receiver SWS avoidance (RFC 9293 §3.8.6.2.2): a 4000-byte buffer and an
 * MSS of 1460 offer no window under 1460; a read that frees 500 bytes of
 * a full buffer leaves the window at 0, one that frees 2000 reopens it. */
START_TEST(test_receiver_offers_no_sliver_of_window)
{
	struct tt_conn *c;
	uint8_t buf[4000];
	size_t got;

	cfg.rcv_wnd = 4000;
	c = conn_established();
	arrive(c, TT_ACK, PEER_ISS + 1, OUR_ISS + 1, 1000, 65535);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 1001, 0, 3000);
	arrive(c, TT_ACK, PEER_ISS + 1001, OUR_ISS + 1, 2000, 65535);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 3001, 0, 1000);   /* the edge stays */
	arrive(c, TT_ACK, PEER_ISS + 3001, OUR_ISS + 1, 1000, 65535);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 4001, 0, 0);
	tt_out_clear(&out);
	ck_assert_int_eq(tt_conn_receive(c, buf, 500, &got, now, &out), TT_E_NONE);
	EMITS_NOTHING();                /* 500 free: not worth a window update */
	/* a probe byte past the window offered (0) is refused though the
	 * buffer has room: what is offered is what is taken (RFC 9293
	 * §3.10.7.4, Linux's TCPZeroWindowDrop); and no sliver is offered */
	arrive(c, TT_ACK, PEER_ISS + 4001, OUR_ISS + 1, 1, 65535);
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 4001, 0, 0));
	tt_out_clear(&out);
	ck_assert_int_eq(tt_conn_receive(c, buf, 2000, &got, now, &out), TT_E_NONE);
	/* 2500 free now: announced at once, and then taken */
	EMITS_EXACTLY(SEG(TT_ACK, OUR_ISS + 1, PEER_ISS + 4001, 0, 2500));
	arrive(c, TT_ACK, PEER_ISS + 4001, OUR_ISS + 1, 1, 65535);
	EMITS_SEG(0, TT_ACK, OUR_ISS + 1, PEER_ISS + 4002, 0, 2499);
	tt_conn_free(c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("engine");
	struct {
		const char *name;
		const TTest *tests[40];
	} groups[] = {
		{ "fixtures", { test_fixtures_reach_every_state } },
		{ "closed", { test_closed_passive_open_enters_listen,
			test_closed_active_open_sends_syn_and_enters_syn_sent,
			test_closed_answers_ack_with_rst_at_its_ack,
			test_closed_answers_syn_with_rst_ack_covering_it, test_closed_discards_rst,
			test_closed_user_calls_report_no_connection } },
		{ "cookies", { test_cookie_round_trip_keeps_the_rounded_mss,
			test_cookie_is_valid_for_this_minute_and_the_one_before,
			test_cookie_forged_or_for_another_peer_is_refused,
			test_listen_cookie_syn_ack_keeps_no_state,
			test_cookie_ack_rebuilds_an_established_connection,
			test_refuse_in_syn_received_resets_at_snd_nxt } },
		{ "listen", { test_listen_syn_sends_syn_ack_and_enters_syn_received,
			test_listen_ignores_rst, test_listen_answers_ack_with_rst,
			test_listen_drops_segment_without_syn, test_listen_close_returns_to_closed,
			test_listen_send_is_an_error, test_listen_active_open_sends_syn,
			test_open_on_existing_connection_is_an_error } },
		{ "syn-sent", { test_syn_sent_syn_ack_sends_ack_and_enters_established,
			test_syn_sent_syn_enters_syn_received_simultaneous_open,
			test_syn_sent_bad_ack_answered_with_rst, test_syn_sent_bad_ack_with_rst_is_dropped,
			test_syn_sent_rst_acking_syn_means_refused, test_syn_sent_rst_without_ack_is_dropped,
			test_syn_sent_drops_segment_without_syn_or_rst, test_syn_sent_close_deletes_connection,
			test_syn_sent_send_is_queued_until_established,
			test_syn_sent_retransmits_syn_with_backoff_then_gives_up } },
		{ "syn-received", { test_syn_received_ack_enters_established,
			test_syn_received_bad_ack_answered_with_rst, test_syn_received_rst_returns_to_listen,
			test_syn_received_rst_of_active_open_is_refused,
			test_syn_received_syn_of_passive_open_returns_to_listen,
			test_syn_received_close_sends_fin_and_enters_fin_wait_1,
			test_syn_received_fin_enters_close_wait, test_syn_received_retransmits_syn_ack,
			test_two_way_handshake_rule_establishes_on_syn } },
		{ "acceptability", { test_unacceptable_segment_is_acked_and_dropped,
			test_acceptability_four_cases, test_rst_at_rcv_nxt_resets_established,
			test_rst_in_window_not_exact_gets_challenge_ack,
			test_rst_outside_window_is_dropped_silently, test_rst_in_closing_states_enters_closed,
			test_rst_in_fin_wait_and_close_wait_resets, test_syn_in_established_gets_challenge_ack,
			test_segment_without_ack_is_dropped } },
		{ "established", { test_established_send_segments_by_mss_and_window,
			test_established_data_advances_rcv_nxt_and_is_acked,
			test_established_out_of_order_data_waits_for_the_hole,
			test_delayed_ack_not_for_a_segment_that_fills_a_hole,
			test_established_ack_of_unsent_data_is_acked_and_dropped,
			test_established_duplicate_ack_is_ignored, test_established_window_update_follows_wl1_wl2,
			test_zero_window_is_probed_after_the_rto, test_established_data_is_retransmitted_on_timeout,
			test_established_close_sends_fin_and_enters_fin_wait_1,
			test_established_close_sends_fin_after_queued_data, test_established_fin_enters_close_wait,
			test_established_abort_sends_rst, test_established_fin_after_hole_waits,
			test_send_beyond_the_buffer_is_insufficient_resources,
			test_delayed_ack_rides_on_the_fin, test_delayed_ack_timer_sends_the_ack } },
		{ "fin-wait-1", { test_fin_wait_1_ack_of_fin_enters_fin_wait_2, test_fin_wait_1_fin_enters_closing,
			test_fin_wait_1_fin_acking_our_fin_enters_time_wait, test_fin_wait_1_send_is_an_error,
			test_fin_wait_1_retransmits_fin } },
		{ "fin-wait-2", { test_fin_wait_2_fin_enters_time_wait, test_fin_wait_2_still_receives_data } },
		{ "close-wait", { test_close_wait_can_still_send, test_close_wait_close_sends_fin_and_enters_last_ack,
			test_close_wait_ignores_data_and_reacks_fin,
			test_close_wait_receive_drains_then_reports_closing } },
		{ "closing", { test_closing_ack_of_fin_enters_time_wait } },
		{ "last-ack", { test_last_ack_ack_of_fin_enters_closed, test_last_ack_retransmits_fin_until_acked } },
		{ "time-wait", { test_time_wait_lasts_two_msl_then_closed,
			test_time_wait_retransmitted_fin_is_acked_and_restarts_timer,
			test_time_wait_linux_preset_is_sixty_seconds } },
		{ "keep-alive", { test_keepalive_is_off_unless_enabled, test_keepalive_probes_then_gives_up,
			test_keepalive_answer_restarts_idle_timer, test_keepalive_probe_is_answered_by_peer } },
		{ "misc", { test_abort_in_closing_states_sends_nothing, test_clone_is_independent,
			test_sequence_compare_wraps_around, test_handshake_across_sequence_wrap,
			test_names_round_trip } },
		{ "conformance", { test_window_probe_byte_is_sent_data,
			test_refused_probe_byte_is_sent_again_when_window_opens,
			test_window_probes_give_up_only_on_a_silent_peer,
			test_small_buffer_announces_reopened_window,
			test_receiver_offers_no_sliver_of_window,
			test_keepalive_waits_while_data_is_outstanding,
			test_ack_advancing_snd_una_updates_the_window,
			test_out_of_window_replies_are_rate_limited,
			test_zero_window_takes_acks_and_a_bare_fin,
			test_iss_follows_the_clock_across_incarnations,
			test_rto_min_and_backoff_survive_until_new_data_is_acked,
			test_rto_is_three_seconds_after_a_syn_timeout,
			test_out_of_order_text_is_trimmed_at_the_right_edge,
			test_time_wait_reopens_on_a_new_syn_when_allowed,
			test_syn_sent_takes_text_and_fin_on_the_syn_ack,
			test_listen_keeps_text_on_a_syn_until_established,
			test_syn_received_passive_does_not_take_a_syn_ack,
			test_urgent_pointer_sent_and_received,
			test_ack_below_the_lower_bound_is_challenged,
			test_syn_ack_retries_have_their_own_limit,
			test_delayed_ack_every_second_full_segment_and_capped,
			test_abort_rst_carries_ack_in_the_linux_preset,
			test_close_with_unread_data_resets, test_data_after_close_resets,
			test_fin_wait_2_times_out_after_close } },
		{ "rtt", { test_rtt_first_sample_is_the_handshake, test_rtt_later_samples_are_smoothed,
			test_rto_min_holds_under_rfc_defaults, test_rto_is_capped_at_rto_max,
			test_karn_no_sample_from_a_retransmission_and_backoff_kept,
			test_rtt_of_a_passive_open_from_the_final_ack } },
		{ "cc", { test_cc_initial_window_then_slow_start, test_cc_linux_starts_with_ten_segments,
			test_cc_congestion_avoidance_above_ssthresh,
			test_cc_fast_retransmit_and_newreno_recovery,
			test_cc_timeout_takes_cwnd_to_one_segment,
			test_cc_timeout_sends_the_flight_again_as_acks_come,
			test_cc_timeout_sends_the_fin_again_after_the_data,
			test_sws_a_window_cut_below_the_mss_waits,
			test_cc_off_only_the_peer_window_limits,
			test_output_beyond_one_batch_goes_at_once,
			test_output_full_counts_what_did_not_fit,
			test_cc_fast_retransmit_with_an_iss_past_half_the_space } },
		{ "nagle", { test_nagle_holds_a_small_segment_until_the_ack,
			test_nagle_lets_full_segments_go, test_nodelay_sends_each_piece_at_once,
			test_nagle_fin_waits_behind_the_held_data } },
		{ "wscale", { test_wscale_syn_sent_negotiates_both_shifts,
			test_wscale_window_offered_in_units_and_taken_as_offered,
			test_wscale_scaled_window_is_what_the_sender_fills,
			test_wscale_off_when_the_peer_does_not_offer,
			test_wscale_listen_answers_only_an_offer, test_wscale_not_offered_by_default } },
		{ "cubic", { test_cubic_window_function_at_a_few_points,
			test_cubic_fast_retransmit_reduces_to_seven_tenths,
			test_cubic_grows_faster_than_reno_after_the_reduction } },
		{ "ecn", { test_ecn_negotiated_and_data_sent_ect,
			test_ecn_not_agreed_without_ece_on_the_syn_ack,
			test_ecn_listener_agrees_only_when_asked, test_ecn_receiver_echoes_ce_until_cwr,
			test_ecn_sender_reduces_once_per_window } },
	};

	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		TCase *tc = tcase_create(groups[g].name);

		tcase_add_checked_fixture(tc, setup, NULL);
		for (size_t i = 0; groups[g].tests[i] != NULL; i++)
			tcase_add_test(tc, groups[g].tests[i]);
		suite_add_tcase(s, tc);
	}
	return tt_check_run(s);
}
