/* engine/cc.c: congestion control, RFC 5681 with NewReno's fast recovery
 * (RFC 6582), for one connection. Pure, as the rest of the engine.
 *
 * The sender keeps a congestion window (cwnd) beside the peer's window:
 * what it may have in flight is the smaller of the two. It starts at the
 * initial window, grows by up to one segment per ACK while below ssthresh
 * (slow start), by about one segment per round trip above it (congestion
 * avoidance); three duplicate ACKs send the missing segment again at once
 * and halve the window (fast retransmit, fast recovery), a timeout takes it
 * back to one segment. An observer's endpoint sends nothing: none of this
 * runs for it.
 */
#include "config.h"

#include "engine/tcb.h"

/* RFC 5681 §3.1 (equation 1): the initial window, by the sender's MSS; RFC
 * 6928's ten segments in the Linux preset; one segment when the SYN or
 * SYN,ACK had to be sent again. */
static uint32_t
initial_window(const struct tt_conn *c)
{
	uint32_t smss = tcb_eff_mss(c);

	if (c->syn_timed_out)
		return smss;
	if (c->cfg.initial_window > 0)
		return c->cfg.initial_window * smss;
	if (smss > 2190)
		return 2 * smss;
	if (smss > 1095)
		return 3 * smss;
	return 4 * smss;
}

/* RFC 5681 equation 4: ssthresh = max(FlightSize / 2, 2 * SMSS). */
static uint32_t
half_flight(const struct tt_conn *c)
{
	uint32_t flight = c->snd_max - c->snd_una, smss = tcb_eff_mss(c);

	return flight / 2 > 2 * smss ? flight / 2 : 2 * smss;
}

/* Congestion control applies: it is on, and the endpoint sends (an
 * observer's does not) and has started (cwnd set at its first send). */
static int
running(const struct tt_conn *c)
{
	return c->cfg.congestion && !c->cfg.observer && c->cwnd != 0;
}

uint32_t
tcb_cc_window(struct tt_conn *c)
{
	if (!c->cfg.congestion || c->cfg.observer)
		return UINT32_MAX;
	if (c->cwnd == 0) {
		c->cwnd = initial_window(c);
		c->ssthresh = UINT32_MAX / 2;   /* "arbitrarily high" (§3.1) */
	}
	return c->cwnd;
}

void
tcb_cc_ack(struct tt_conn *c, uint32_t acked, uint32_t ack, tt_time now, struct tt_out *out)
{
	uint32_t smss = tcb_eff_mss(c);

	if (!running(c))
		return;
	c->dupacks = 0;
	if (c->in_recovery) {
		if (TT_SEQ_GEQ(ack, c->recover)) {
			/* RFC 6582 §3.2 (3): a full ACK ends fast recovery */
			c->in_recovery = 0;
			c->cwnd = c->ssthresh;
			tcb_note(c, out, TT_R_RECOVERY_END);
			return;
		}
		/* (4): a partial ACK: the next hole goes again, the window is
		 * deflated by what was acknowledged, plus one segment */
		tcb_note(c, out, TT_R_RECOVERY_PARTIAL);
		tcb_retransmit(c, out);
		c->cwnd = c->cwnd > acked ? c->cwnd - acked + smss : smss;
		c->rtx_at = now + c->rto;
		return;
	}
	if (c->cwnd < c->ssthresh)
		c->cwnd += acked < smss ? acked : smss;         /* slow start (eq. 2) */
	else
		c->cwnd += smss * smss / c->cwnd > 0 ? smss * smss / c->cwnd : 1; /* eq. 3 */
}

void
tcb_cc_dupack(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	uint32_t smss = tcb_eff_mss(c);

	if (!running(c))
		return;
	if (c->in_recovery) {
		c->cwnd += smss;        /* RFC 6582 §3.2 (2): inflate, send new data */
		return;
	}
	/* RFC 6582 §3.2 (1): a third duplicate that acknowledges beyond the
	 * point of the last recovery starts a new one */
	if (++c->dupacks < 3 || TT_SEQ_LT(c->snd_una, c->recover))
		return;
	c->ssthresh = half_flight(c);
	c->recover = c->snd_max;
	c->in_recovery = 1;
	tcb_note(c, out, TT_R_FAST_RETRANSMIT);
	tcb_retransmit(c, out);
	tcb_karn(c);
	c->cwnd = c->ssthresh + 3 * smss;
	c->rtx_at = now + c->rto;
}

void
tcb_cc_timeout(struct tt_conn *c)
{
	if (!running(c))
		return;
	/* RFC 5681 §3.1: ssthresh from the flight, cwnd to the loss window */
	c->ssthresh = half_flight(c);
	c->cwnd = tcb_eff_mss(c);
	c->in_recovery = 0;
	c->dupacks = 0;
	c->recover = c->snd_max;
}
