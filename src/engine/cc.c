/* engine/cc.c: congestion control, RFC 5681 with NewReno's fast recovery
 * (RFC 6582), for one connection. Pure, as the rest of the engine.
 *
 * The sender keeps a congestion window (cwnd) beside the peer's window:
 * what it may have in flight is the smaller of the two. It starts at the
 * initial window, grows by up to one segment per ACK while below ssthresh
 * (slow start), by about one segment per round trip above it (congestion
 * avoidance: Reno's rule, or CUBIC's cubic function of the time since the
 * last reduction, RFC 9438); three duplicate ACKs send the missing segment again at once
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

/* ---- CUBIC, RFC 9438 ---- */

#define CUBIC_C 0.4             /* §5: C */
#define CUBIC_BETA 0.7          /* §4.6: beta_cubic */

/* The cube root by Newton's method: only + - * /, so every machine gets
 * the same bits (a libm cbrt need not). */
static double
cube_root(double v)
{
	double y = v > 1 ? v / 3 : 1;

	if (v <= 0)
		return 0;
	for (int i = 0; i < 100; i++) {
		double n = (2 * y + v / (y * y)) / 3;

		if (n == y)
			break;
		y = n;
	}
	return y;
}

double
tt_cubic_k(double w_max, double cwnd_epoch)
{
	return w_max > cwnd_epoch ? cube_root((w_max - cwnd_epoch) / CUBIC_C) : 0;
}

double
tt_cubic_w(double t, double k, double w_max)
{
	double d = t - k;

	return CUBIC_C * d * d * d + w_max;
}

/* §4.6, §4.7: a congestion event: W_max is the window it happened at (a
 * little less when it is below the last one, so that a newcomer gets room:
 * fast convergence), ssthresh is beta_cubic of what was in flight, and the
 * next epoch starts with the next ACK in congestion avoidance. */
static uint32_t
cubic_reduce(struct tt_conn *c)
{
	uint32_t smss = tcb_eff_mss(c), flight = c->snd_max - c->snd_una, th;

	if (c->w_max != 0 && c->cwnd < c->w_max)
		c->w_max = (uint32_t)(c->cwnd * (1 + CUBIC_BETA) / 2);
	else
		c->w_max = c->cwnd;
	c->epoch_at = TT_NEVER;
	th = (uint32_t)(flight * CUBIC_BETA);
	return th > 2 * smss ? th : 2 * smss;
}

/* §4.2-§4.5: congestion avoidance on a new ACK. The target is W_cubic one
 * RTT ahead, kept within [cwnd, 1.5 cwnd]; cwnd moves toward it by
 * (target - cwnd) / cwnd per ACK; where Reno would be faster (the estimate
 * W_est, growing by alpha_cubic per RTT) cwnd follows Reno instead. */
static void
cubic_avoid(struct tt_conn *c, uint32_t acked, tt_time now)
{
	double smss = tcb_eff_mss(c), cwnd = c->cwnd / smss, t, target, w, alpha;
	tt_time rtt = c->rtt_valid ? c->srtt : c->rto;

	if (c->epoch_at == TT_NEVER) {
		c->epoch_at = now;
		c->cwnd_epoch = c->cwnd;
		if (c->w_max < c->cwnd)
			c->w_max = c->cwnd;
		c->cubic_k = (tt_time)(tt_cubic_k(c->w_max / smss, cwnd) * 1e6);
		c->w_est = c->cwnd;
	}
	t = (double)(now - c->epoch_at + rtt) / 1e6;
	target = tt_cubic_w(t, (double)c->cubic_k / 1e6, c->w_max / smss);
	if (target < cwnd)
		target = cwnd;
	if (target > 1.5 * cwnd)
		target = 1.5 * cwnd;
	/* §4.3: alpha_cubic = 3 (1 - beta) / (1 + beta), and 1 once W_est
	 * has passed the window before the reduction */
	alpha = c->w_est >= c->w_max ? 1 : 3 * (1 - CUBIC_BETA) / (1 + CUBIC_BETA);
	c->w_est += (uint32_t)(alpha * acked / cwnd);
	w = tt_cubic_w((double)(now - c->epoch_at) / 1e6, (double)c->cubic_k / 1e6,
	               c->w_max / smss);
	if (w * smss < c->w_est) {
		c->cwnd = c->w_est;
		return;
	}
	c->cwnd += (uint32_t)((target - cwnd) / cwnd * smss);
}

/* ssthresh after a congestion event (a loss, a timeout, an ECN mark):
 * Reno's half of the flight (RFC 5681 eq. 4), or CUBIC's beta_cubic of it
 * (RFC 9438 §4.6), said as CUBIC_REDUCE when out is given. */
static uint32_t
event_ssthresh(struct tt_conn *c, struct tt_out *out)
{
	if (c->cfg.cc != TT_CC_CUBIC)
		return half_flight(c);
	if (out != NULL)
		tcb_note(c, out, TT_R_CUBIC_REDUCE);
	return cubic_reduce(c);
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
		c->ssthresh = TT_SSTHRESH_INITIAL; /* "arbitrarily high" (§3.1) */
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
	else if (c->cfg.cc == TT_CC_CUBIC)
		cubic_avoid(c, acked, now);
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
	c->ssthresh = event_ssthresh(c, out);
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
	/* RFC 5681 §3.1: ssthresh from the flight, cwnd to the loss window
	 * (CUBIC too, with its own ssthresh: RFC 9438 §4.8) */
	c->ssthresh = event_ssthresh(c, NULL);
	c->cwnd = tcb_eff_mss(c);
	c->in_recovery = 0;
	c->dupacks = 0;
	c->recover = c->snd_max;
}

/* RFC 3168 §6.1.2: an ACK with ECE is a congestion signal without a loss:
 * the window is halved as for a loss, once per window of data (an ECE on an
 * ACK that covers nothing sent after the last reduction echoes a mark of
 * that window), not while fast recovery is already reducing it, and the
 * next new data carries CWR to say so. */
void
tcb_cc_ecn(struct tt_conn *c, struct tt_out *out)
{
	if (!running(c) || c->in_recovery)
		return;
	if (c->ecn_window && TT_SEQ_LEQ(c->snd_una, c->ecn_recover))
		return;
	c->ssthresh = event_ssthresh(c, out);
	c->cwnd = c->ssthresh;
	c->cwr_pending = 1;
	c->ecn_window = 1;
	c->ecn_recover = c->snd_max;
	tcb_note(c, out, TT_R_ECN_REDUCE);
}
