/* engine/tcb.h: the transmission control block, shared by the engine's
 * parts (tcp.c: user calls and output; input.c: SEGMENT ARRIVES; timer.c:
 * timeouts). Not for use outside src/engine: the API is engine/tcp.h. */
#ifndef TT_ENGINE_TCB_H
#define TT_ENGINE_TCB_H

#include "base/base.h"
#include "engine/tcp.h"

/* RFC 9293 §3.7.1 (RFC 1122 §4.2.2.6): the MSS a host must assume when
 * the peer's SYN carried no MSS option. */
#define TT_DEFAULT_MSS 536
/* The first size of a byte queue (send and receive); it doubles as needed. */
#define TCB_QUEUE_FIRST 256
/* RFC 6528: the ISN clock ticks once every 4 microseconds. */
#define ISN_TICK 4
/* RFC 6298 §5.7: the RTO after a SYN timed out, when data transfer begins. */
#define RTO_AFTER_SYN_TIMEOUT TT_SEC(3)
/* RFC 6298 §2: the gains of SRTT and RTTVAR are 1/8 and 1/4, K = 4; G, the
 * clock granularity, is the virtual clock's microsecond. */
#define RTT_K 4
#define RTT_G 1
/* RFC 9293 §3.8.6.3 (MUST-40): an ACK is delayed less than 0.5 s. */
#define DELACK_MAX (TT_MS(500) - 1)

struct ooo {                    /* a segment that arrived ahead of RCV.NXT */
	uint32_t seq, len;
	int fin;
	uint8_t *data;
};

/* The fields every segment reads or writes come first, close together (a
 * replay runs two of these per captured connection); what outlives the TCB
 * and the configuration come last. */
struct tt_conn {
	enum tt_state state;
	/* RFC 9293 §3.3.1 send and receive sequence variables */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2, snd_max_wnd;
	uint32_t snd_max;       /* highest sequence number sent + 1 */
	uint32_t rcv_nxt;
	uint32_t sbuf_seq;      /* the send queue starts here (below) */
	uint32_t fin_seq;
	uint32_t rtx_hi;        /* nothing below this was sent only once (rtx_any) */
	uint32_t rtt_seq;       /* the timed segment ends here (rtt_at) */
	uint32_t obs_wnd;       /* observer mode: the window last seen advertised */
	uint32_t cwnd, ssthresh; /* RFC 5681 (cc.c); cwnd 0: not started yet */
	uint32_t recover;       /* RFC 6582: the highest sequence number sent when fast
	                           recovery began */
	uint16_t peer_mss;
	uint8_t peer_wsopt;     /* the window scale option of the peer's SYN (wsopt) */
	uint8_t ws_on;          /* RFC 7323 §2.2: both SYNs carried the option */
	uint8_t snd_shift;      /* Snd.Wind.Shift: applied to the windows received */
	uint8_t rcv_shift;      /* Rcv.Wind.Shift: applied to the windows sent */
	uint8_t ecn_ok;         /* RFC 3168 §6.1.1: ECN agreed on the SYNs */
	uint8_t ecn_asked;      /* the peer's SYN asked for ECN (ECE and CWR) */
	uint8_t ece_pending;    /* §6.1.3: a CE arrived; ACKs carry ECE until a CWR */
	uint8_t cwr_pending;    /* §6.1.2: the window was reduced; CWR on the next data */
	uint8_t ecn_window;     /* a reduction's window is open until SND.UNA passes
	                           ecn_recover */
	uint32_t ecn_recover;   /* no second reduction before SND.UNA passes this */
	uint32_t rcv_adv;       /* RCV.NXT + RCV.WND as last advertised (adv_set), */
	uint32_t adv_irs;       /* ... in the incarnation of this IRS */
	uint8_t adv_set;
	uint8_t adv_zero;       /* the last segment sent offered a zero window */
	/* RFC 9438 CUBIC (cc.c): the window before the last reduction, the
	 * Reno-friendly estimate, the current epoch's start and K (TT_NEVER:
	 * no epoch yet), all windows in bytes */
	uint32_t w_max, w_est, cwnd_epoch;
	tt_time epoch_at, cubic_k;
	uint8_t passive;        /* opened by LISTEN: SYN-RECEIVED falls back to LISTEN */
	uint8_t close_pending;  /* CLOSE called: FIN goes after the queued data */
	uint8_t closed;         /* close(): the application reads no more */
	uint8_t fin_sent, fin_rcvd;
	uint8_t probing;        /* a window probe's byte is outstanding */
	uint8_t rtx_any;        /* something was retransmitted (rtx_hi) */
	uint8_t syn_timed_out;  /* RFC 6298 §5.7 */
	uint8_t keepalive, ack_pending;
	uint8_t rtt_valid;      /* srtt and rttvar hold a measurement */
	uint8_t obs_iss_seen;   /* observer mode: ISS is the wire's, not the clock's */
	uint8_t snd_urg, rcv_urg;
	uint8_t nagle_said;     /* the data waiting for Nagle was explained */
	uint8_t sws_said;       /* the data waiting for the window was explained */
	uint8_t dupacks;        /* duplicate ACKs in a row (RFC 5681 §2) */
	uint8_t in_recovery;    /* fast recovery (RFC 6582) */
	unsigned retries, probes, ka_sent;
	unsigned full_segs;     /* full-sized segments received since our last ACK */

	/* timers: deadlines on the virtual clock, TT_NEVER when off */
	tt_time rto, rto_base, rtx_at, tw_at, ka_at, delack_at, user_at, fw2_at;
	tt_time more_at;        /* a call filled its struct tt_out while the window
	                           allowed more: the rest goes at this moment */
	/* RFC 6298 §2: the smoothed round-trip time and its variation, from one
	 * segment timed at a time (sent at rtt_at, acked once SND.UNA passes
	 * rtt_seq; TT_NEVER: none timed) */
	tt_time srtt, rttvar, rtt_at;

	/* from cfg_iss to oow the TCB's deletion keeps everything (tcb_delete):
	 * the configuration, its often read head next to the timers, ... */
	uint32_t cfg_iss;         /* the host's ISN clock (RFC 9293 §3.4.1) */
	int iss_clock_set;
	struct tt_config cfg;
	tt_time iss_epoch;
	struct tt_oow_limit own_oow;
	struct tt_oow_limit *oow; /* &own_oow, or the host's shared limit */

	/* ... and from here on it clears again (the send queue's memory kept) */
	uint32_t snd_up, rcv_up; /* urgent pointers, RFC 9293 §3.8.5 */

	/* send queue: bytes from sequence number sbuf_seq onward, acked ones
	 * dropped. Its memory outlives the TCB, since segments in a struct
	 * tt_out point into it until the next call. */
	uint8_t *sbuf;
	size_t slen, scap;

	/* receive queue: in-order bytes not yet read, and what arrived early */
	uint8_t *rbuf;
	size_t rlen, rcap;
	size_t nooo, capooo;
	struct ooo *ooo;
	uint64_t delivered;

};


/* Small measures, inline: they run for every segment (an observer's too). */
static inline uint32_t
tcb_seqlen(const struct tt_seg *seg)
{
	return seg->len + !!(seg->flags & TT_SYN) + !!(seg->flags & TT_FIN);
}

static inline int
tcb_synchronized(enum tt_state s)
{
	return s >= TT_ESTABLISHED || s == TT_SYN_RECEIVED;
}

/* The free room of the receive buffer (what tcb_adv_wnd offers from; the
 * RCV.WND segments are taken against is tcb_rcv_offered), or (an observer) the
 * window the endpoint was seen advertising. */
static inline uint32_t
tcb_rcv_wnd(const struct tt_conn *c)
{
	if (c->cfg.observer)
		return c->obs_wnd;
	return c->rlen >= c->cfg.rcv_wnd ? 0 : c->cfg.rcv_wnd - (uint32_t)c->rlen;
}

/* What is left of the window last offered (tcb_adv_wnd): its right edge -
 * RCV.NXT; -1 when none was offered in this incarnation. */
static inline int64_t
tcb_adv_left(const struct tt_conn *c)
{
	if (!c->adv_set || c->adv_irs != c->irs)
		return -1;
	return TT_SEQ_GT(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
}

/* RCV.WND as the acceptability test and the trimming of text take it
 * (RFC 9293 §3.10.7.4, RFC 1122 §4.2.3.3): up to the right edge offered
 * (tcb_adv_wnd), as Linux's tcp_receive_window(), so that what was offered
 * is taken even where rounding to the scale's unit offered a little more
 * than the room (the buffer grows by it, as Linux's receive memory does);
 * none while the last segment sent offered a zero window ("If the RCV.WND
 * is zero, no segments will be acceptable"), even where the buffer or an
 * edge held has a little room. Before anything was offered, the room; an
 * observer: the window the endpoint was seen advertising. */
static inline uint32_t
tcb_rcv_offered(const struct tt_conn *c)
{
	int64_t left = tcb_adv_left(c);

	if (c->cfg.observer || left < 0)
		return tcb_rcv_wnd(c);
	return c->adv_zero ? 0 : (uint32_t)left;
}

/* RFC 7323 §2.2 and §2.3: the largest shift; a larger one offered is taken
 * as 14. */
#define TT_WS_MAX 14

/* SND.WND from a segment's window field: scaled by the peer's shift, except
 * on a SYN, whose window is never scaled (RFC 7323 §2.2). */
static inline uint32_t
tcb_seg_wnd(const struct tt_conn *c, const struct tt_seg *seg)
{
	return (seg->flags & TT_SYN) ? seg->wnd : seg->wnd << c->snd_shift;
}

/* ECN from the peer's SYN; a segment's CE and CWR on arrival (tcp.c). */
void tcb_take_ecn(struct tt_conn *c, const struct tt_seg *syn, struct tt_out *out);
void tcb_ecn_arrived(struct tt_conn *c, const struct tt_seg *seg, struct tt_out *out);
/* ECE on an ACK: the once-per-window reduction (cc.c). */
void tcb_cc_ecn(struct tt_conn *c, struct tt_out *out);

/* Window scaling from the peer's SYN (tcp.c). */
void tcb_take_wscale(struct tt_conn *c, const struct tt_seg *syn, struct tt_out *out);

/* RFC 9293 §3.8.6.2.2 (RFC 1122 §4.2.3.3): the least window a receiver
 * offers, min(RCV.BUFF / 2, MSS), and the window a segment advertises, in
 * bytes, as its window field will carry it (tcp.c). */
uint32_t tcb_sws_thresh(const struct tt_conn *c);
uint32_t tcb_adv_wnd(struct tt_conn *c, int syn);

/* Events: what happened and why (tcp.c). */
/* Records a reason without a state change. */
static inline void
tcb_note(struct tt_conn *c, struct tt_out *out, enum tt_reason r)
{
	tt_out_event(out, r, c->state, c->state, TT_E_NONE);
}

static inline void
tcb_set_state(struct tt_conn *c, struct tt_out *out, enum tt_state to, enum tt_reason r,
              enum tt_error e)
{
	tt_out_event(out, r, c->state, to, e);
	c->state = to;
}

/* Segments out: a segment, a RST (in reply, or from our TCB), an ACK, an ACK
 * answering an out-of-window segment (rate-limited), SYN, FIN, what the
 * window allows of the queue, an ACK now or delayed (tcp.c). */
void tcb_emit(struct tt_conn *c, struct tt_out *out, uint32_t seq, uint32_t ack, unsigned flags, const uint8_t *data, uint32_t len);
void tcb_emit_rst_for(struct tt_conn *c, struct tt_out *out, const struct tt_seg *seg);
void tcb_emit_rst_ours(struct tt_conn *c, struct tt_out *out);
void tcb_emit_ack(struct tt_conn *c, struct tt_out *out);
void tcb_emit_oow_ack(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out);
void tcb_output(struct tt_conn *c, tt_time now, struct tt_out *out);
void tcb_ack_now_or_later(struct tt_conn *c, tt_time now, struct tt_out *out);
void tcb_send_syn(struct tt_conn *c, struct tt_out *out, int with_ack);
void tcb_send_fin(struct tt_conn *c, tt_time now, struct tt_out *out);

/* The TCB's life and measures (tcp.c). */
void tcb_delete(struct tt_conn *c);
uint32_t tcb_send_end(const struct tt_conn *c);
/* The retransmission timer is the persist timer now (timer.c): the peer's
 * window is zero while there is data to send or a probe out. */
int tcb_persisting(const struct tt_conn *c);
uint32_t tcb_eff_mss(const struct tt_conn *c);
void tcb_choose_iss(struct tt_conn *c, tt_time now);
void tcb_reset_and_delete(struct tt_conn *c, struct tt_out *out, enum tt_reason r);
int tcb_fin_acked(const struct tt_conn *c);

/* Observer mode (observer.c): what was sent moves the send variables. */
void tcb_sent_to(struct tt_conn *c, uint32_t end);

/* Timers armed from the user calls and from input (tcp.c). */
void tcb_arm_rtx(struct tt_conn *c, tt_time now);
void tcb_rtt_ack(struct tt_conn *c, uint32_t ack, tt_time now);

/* Congestion control, RFC 5681 and RFC 6582 (cc.c): the window, and what
 * a new ACK, a duplicate ACK and a timeout do to it. */
uint32_t tcb_cc_window(struct tt_conn *c);
void tcb_cc_ack(struct tt_conn *c, uint32_t acked, uint32_t ack, tt_time now, struct tt_out *out);
void tcb_cc_dupack(struct tt_conn *c, tt_time now, struct tt_out *out);
void tcb_cc_timeout(struct tt_conn *c);
/* Sends the oldest unacknowledged thing again; after a timeout or a fast
 * retransmit, Karn's rule applies to it (timer.c). */
uint32_t tcb_retransmit(struct tt_conn *c, struct tt_out *out);
void tcb_karn(struct tt_conn *c);
void tcb_idle_restart(struct tt_conn *c, tt_time now);
void tcb_arm_fin_timeout(struct tt_conn *c, tt_time now);
void tcb_enter_time_wait(struct tt_conn *c, tt_time now);

#endif
