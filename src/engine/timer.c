/* engine/timer.c: the timeouts of RFC 9293 §3.10.8 and the persist timer
 * (§3.8.6.1) for one connection. Pure, as the rest of the engine. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/tcb.h"

/* ---- timers, RFC 9293 §3.10.8 ----------------------------------------- */

tt_time
tt_conn_next_timer(const struct tt_conn *c)
{
	tt_time t = c->rtx_at;

	if (c->tw_at < t)
		t = c->tw_at;
	if (c->ka_at < t)
		t = c->ka_at;
	if (c->delack_at < t)
		t = c->delack_at;
	if (c->user_at < t)
		t = c->user_at;
	if (c->fw2_at < t)
		t = c->fw2_at;
	if (c->more_at < t)
		t = c->more_at;
	return t;
}

/* Karn (RFC 6298 §3) after a retransmission: no round-trip sample from what
 * was sent again, and a backed-off RTO stays until data sent once is
 * acknowledged (beyond rtx_hi: everything sent so far may go twice). */
void
tcb_karn(struct tt_conn *c)
{
	c->rtt_at = TT_NEVER;
	c->rtx_any = 1;
	c->rtx_hi = c->snd_max;
}

/* Sends the oldest unacknowledged thing again: SYN, SYN,ACK, data or FIN.
 * Returns where the data sent again ends (SND.NXT when it was not data). */
uint32_t
tcb_retransmit(struct tt_conn *c, struct tt_out *out)
{
	uint32_t mss = tcb_eff_mss(c);

	if (c->state == TT_SYN_SENT) {
		tcb_send_syn(c, out, 0);
		return c->snd_nxt;
	}
	if (c->snd_una == c->iss) {
		tcb_send_syn(c, out, 1);    /* SYN-RECEIVED, or two-way what-if */
		return c->snd_nxt;
	}
	if (TT_SEQ_LT(c->snd_una, tcb_send_end(c)) && TT_SEQ_LT(c->snd_una, c->snd_nxt)) {
		uint32_t n = tcb_send_end(c) - c->snd_una;

		if (TT_SEQ_LT(c->snd_nxt, c->snd_una + n))
			n = c->snd_nxt - c->snd_una;
		if (n > mss)
			n = mss;
		tcb_emit(c, out, c->snd_una, c->rcv_nxt, TT_ACK | TT_PSH,
		     c->sbuf + (c->snd_una - c->sbuf_seq), n);
		return c->snd_una + n;
	}
	if (c->fin_sent && !tcb_fin_acked(c))
		tcb_emit(c, out, c->fin_seq, c->rcv_nxt, TT_FIN | TT_ACK, NULL, 0);
	return c->snd_nxt;
}

static void
timeout_abort(struct tt_conn *c, struct tt_out *out, enum tt_reason r)
{
	tcb_set_state(c, out, TT_CLOSED, r, TT_E_TIMEOUT);
	tcb_delete(c);
}

/* RFC 6298 §5.5: back off the timer. */
static void
backoff(struct tt_conn *c, tt_time now)
{
	c->rto *= 2;
	if (c->rto > c->cfg.rto_max)
		c->rto = c->cfg.rto_max;
	c->rtx_at = now + c->rto;
}

/* The persist timer (RFC 9293 §3.8.6.1): the peer's window is zero. The
 * first probe is one new byte past the window, and SND.NXT moves past it
 * (so the ACK that takes it is an ACK of sent data); later probes resend
 * what is outstanding. A peer that keeps answering is probed for ever; one
 * that answers no probe in cfg.data_retries is presumed dead. */
static void
persist_fire(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	if (c->probes >= c->cfg.data_retries) {
		timeout_abort(c, out, TT_R_ZERO_WINDOW_GIVE_UP);
		return;
	}
	c->probes++;
	tcb_note(c, out, TT_R_ZERO_WINDOW_PROBE);
	if (c->snd_una == c->snd_nxt) {
		tcb_emit(c, out, c->snd_nxt, c->rcv_nxt, TT_ACK, c->sbuf + (c->snd_nxt - c->sbuf_seq), 1);
		c->snd_nxt++;
		c->probing = 1;
	} else {
		tcb_retransmit(c, out);
	}
	backoff(c, now);
}

/* Our SYN is not acknowledged yet: what the timer sends again is it. */
static int
in_handshake(const struct tt_conn *c)
{
	return c->state == TT_SYN_SENT || c->snd_una == c->iss;
}

int
tcb_persisting(const struct tt_conn *c)
{
	return !in_handshake(c) && c->snd_wnd == 0 &&
	       (c->snd_una != c->snd_nxt || TT_SEQ_LT(c->snd_nxt, tcb_send_end(c)));
}

static void
rtx_fire(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	int handshake = in_handshake(c);
	unsigned limit = c->state == TT_SYN_SENT ? c->cfg.syn_retries
	               : handshake ? c->cfg.synack_retries : c->cfg.data_retries;

	if (tcb_persisting(c)) {
		persist_fire(c, now, out);
		return;
	}
	if (c->snd_una == c->snd_nxt) {
		c->rtx_at = TT_NEVER;   /* nothing outstanding, nothing to probe */
		return;
	}
	if (c->retries >= limit) {
		timeout_abort(c, out, TT_R_RTX_GIVE_UP);
		return;
	}
	c->retries++;
	if (handshake)
		c->syn_timed_out = 1;
	tcb_note(c, out, TT_R_RTX_TIMEOUT);
	tcb_cc_timeout(c);
	tcb_karn(c);
	/* RFC 5681 §3.1: after a timeout everything unacknowledged is taken as
	 * lost and goes again in slow start from SND.UNA (as BSD resets
	 * SND.NXT and Linux marks the whole flight lost): the oldest segment
	 * now, the rest as ACKs open the window. SND.MAX keeps the highest
	 * number sent. */
	c->snd_nxt = tcb_retransmit(c, out);
	backoff(c, now);
}

void
tt_conn_tick(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	if (c->tw_at <= now) {
		tcb_set_state(c, out, TT_CLOSED, TT_R_TIME_WAIT_EXPIRED, TT_E_NONE);
		tcb_delete(c);
		return;
	}
	if (c->fw2_at <= now) {
		tcb_set_state(c, out, TT_CLOSED, TT_R_FIN_WAIT_2_TIMEOUT, TT_E_NONE);
		tcb_delete(c);
		return;
	}
	if (c->user_at <= now) {
		timeout_abort(c, out, TT_R_USER_TIMEOUT);
		return;
	}
	if (c->more_at <= now) {
		c->more_at = TT_NEVER;
		tcb_note(c, out, TT_R_SEND_MORE);
		tcb_output(c, now, out);
	}
	if (c->rtx_at <= now) {
		rtx_fire(c, now, out);
		if (c->state == TT_CLOSED)
			return;
	}
	if (c->delack_at <= now) {
		c->delack_at = TT_NEVER;
		if (c->ack_pending) {
			tcb_note(c, out, TT_R_DELAYED_ACK);
			tcb_emit_ack(c, out);
		}
	}
	if (c->ka_at <= now) {
		if (c->snd_una != c->snd_nxt || c->slen > 0) {
			c->ka_at = TT_NEVER;    /* not idle: the retransmission timer rules */
			return;
		}
		if (c->ka_sent >= c->cfg.ka_probes) {
			timeout_abort(c, out, TT_R_KEEPALIVE_GIVE_UP);
			return;
		}
		/* RFC 9293 §3.8.4: <SEQ=SND.UNA-1><ACK=RCV.NXT>, no data */
		c->ka_sent++;
		tcb_note(c, out, TT_R_KEEPALIVE_PROBE);
		tcb_emit(c, out, c->snd_una - 1, c->rcv_nxt, TT_ACK, NULL, 0);
		c->ka_at = now + c->cfg.ka_interval;
	}
}
