/* engine/tcp.c: RFC 9293 §3.10 event processing for one connection.
 *
 * Pure: no I/O, no clock, no globals. Every entry point takes the current
 * virtual time and a struct tt_out that receives the segments to send and
 * the events that explain what happened. Sequence numbers are compared only
 * with the wraparound-safe TT_SEQ_* macros.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tcb.h"

/* ---- small helpers ---------------------------------------------------- */

void
tcb_emit(struct tt_conn *c, struct tt_out *out, uint32_t seq, uint32_t ack, unsigned flags,
     const uint8_t *data, uint32_t len)
{
	struct tt_seg *s;
	uint32_t end = seq + len + !!(flags & TT_SYN) + !!(flags & TT_FIN);
	int fresh = len > 0 && !TT_SEQ_LT(seq, c->snd_max);  /* new data, not sent before */

	if (!c->cfg.observer && out->nseg >= TT_OUT_SEGS) {
		out->truncated++;
		return;
	}
	/* what sending does to the TCB */
	if (!(flags & TT_RST) && TT_SEQ_GT(end, c->snd_max))
		c->snd_max = end;
	if ((flags & TT_ACK) && !(flags & TT_RST)) {
		c->ack_pending = 0;
		c->full_segs = 0;
		c->delack_at = TT_NEVER;
	}
	/* an observer's endpoint puts nothing on the wire: the capture shows
	 * what it sent */
	if (c->cfg.observer)
		return;
	s = &out->seg[out->nseg++];
	memset(s, 0, sizeof *s);
	s->seq = seq;
	s->ack = (flags & TT_ACK) ? ack : 0;
	/* RFC 9293 §3.8.5: URG while the urgent pointer is ahead of this segment */
	if (c->snd_urg && !(flags & (TT_RST | TT_SYN)) && TT_SEQ_GT(c->snd_up, seq)) {
		uint32_t up = c->snd_up - seq;

		if (up <= 65535) {
			flags |= TT_URG;
			s->up = (uint16_t)up;
		}
	}
	/* RFC 3168 §6.1: once agreed, an ACK echoes a CE mark with ECE until
	 * a CWR; the first new data after a reduction carries CWR; data goes
	 * ECN-capable, except sent again (§6.1.5) or a window probe (§6.1.6),
	 * and a pure ACK never (§6.1.4) */
	if (c->ecn_ok && !(flags & (TT_SYN | TT_RST))) {
		if (c->ece_pending && (flags & TT_ACK))
			flags |= TT_ECE;
		if (c->cwr_pending && fresh) {
			flags |= TT_CWR;
			c->cwr_pending = 0;
		}
		if (fresh && !c->probing)
			s->ecn = TT_ECT0;
	}
	s->flags = (uint16_t)flags;
	/* RFC 7323 §2.3: the window field is RCV.WND >> Rcv.Wind.Shift, except
	 * on a SYN, where it is never scaled */
	s->wnd = (flags & TT_RST) ? 0 : tcb_adv_wnd(c, (flags & TT_SYN) != 0);
	if (!(flags & TT_SYN))
		s->wnd >>= c->rcv_shift;
	if (flags & TT_SYN) {
		s->mss = c->cfg.mss;
		/* §2.2: a SYN offers it; a SYN,ACK only answers an offer */
		if (c->cfg.wscale >= 0 && (!(flags & TT_ACK) || c->peer_wsopt != 0))
			s->wsopt = (uint8_t)(c->cfg.wscale > TT_WS_MAX ? TT_WS_MAX : c->cfg.wscale) + 1;
	}
	s->data = data;
	s->len = len;
}

/* RFC 7323 §2.2: the peer's SYN says whether windows are scaled. Scaling
 * is on only when both SYNs carry the option (ours goes out from
 * cfg.wscale); then the windows we receive are shifted by the peer's shift
 * (at most 14, §2.3), the windows we send by ours. An observer is told the
 * windows already scaled (engine/tcp.h). */
void
tcb_take_wscale(struct tt_conn *c, const struct tt_seg *syn, struct tt_out *out)
{
	c->peer_wsopt = syn->wsopt;
	c->ws_on = 0;
	c->snd_shift = c->rcv_shift = 0;
	if (c->cfg.wscale < 0 || c->cfg.observer)
		return;
	if (syn->wsopt == 0) {
		tcb_note(c, out, TT_R_WSCALE_OFF);
		return;
	}
	c->ws_on = 1;
	c->snd_shift = (uint8_t)(syn->wsopt - 1 > TT_WS_MAX ? TT_WS_MAX : syn->wsopt - 1);
	c->rcv_shift = (uint8_t)(c->cfg.wscale > TT_WS_MAX ? TT_WS_MAX : c->cfg.wscale);
	tcb_note(c, out, TT_R_WSCALE_ON);
}

uint32_t
tcb_sws_thresh(const struct tt_conn *c)
{
	uint32_t t = c->cfg.rcv_wnd / 2 < c->cfg.mss ? c->cfg.rcv_wnd / 2 : c->cfg.mss;

	return t > 0 ? t : 1;
}

/* Receiver SWS avoidance (RFC 9293 §3.8.6.2.2) as BSD and Linux keep it:
 * a window smaller than tcb_sws_thresh() is not offered, 0 instead, so a
 * slow reader never invites a sliver of a segment; and the right edge
 * offered before never moves back (§3.8.6: the window should not shrink).
 * What is offered is what is taken (tcb_rcv_offered): a window offered as
 * 0 takes no text, as Linux (TCPZeroWindowDrop) and RCV.WND in the RFC.
 * With window scaling the field carries whole units of 2^Rcv.Wind.Shift
 * (RFC 7323 §2.3): the room offered is rounded up to one, as Linux's
 * __tcp_select_window() does so that a small buffer's window is not
 * scaled away to 0 for ever (so a reader may be sent less than a unit
 * past its room, once), and capped at what the field can carry (a SYN's
 * window is never scaled, §2.2); an edge held is offered rounded down. */
uint32_t
tcb_adv_wnd(struct tt_conn *c, int syn)
{
	uint32_t free = tcb_rcv_wnd(c), shift = syn ? 0 : c->rcv_shift;
	uint64_t wnd, unit = (uint64_t)1 << shift, cap = (uint64_t)65535 << shift;
	int64_t held;

	/* an observer is told its windows already scaled (its shift is 0);
	 * before the peer's ISN is known (a SYN of our own) there is no edge */
	if (c->cfg.observer || !tcb_synchronized(c->state))
		return free > cap ? (uint32_t)cap : free;
	held = tcb_adv_left(c);
	wnd = free < tcb_sws_thresh(c) ? 0 : (free + unit - 1) & ~(unit - 1);
	if (wnd > cap)
		wnd = cap;
	if (held > 0 && wnd < (uint64_t)held) {
		/* the edge offered before stays (the window does not shrink)
		 * and is what is taken; the field says it in whole units
		 * rounded down (RFC 7323 §2.4: the peer may see it retract by
		 * less than a unit). Rounded up, as Linux does, each segment
		 * short of a unit would move the edge on and a reader that
		 * never reads would be sent without end (Linux stops that by
		 * dropping what its memory cannot hold). */
		wnd = (uint32_t)held & ~(uint32_t)(unit - 1);
		c->adv_zero = wnd == 0;
		return (uint32_t)wnd;
	}
	c->rcv_adv = c->rcv_nxt + (uint32_t)wnd;
	c->adv_irs = c->irs;    /* the edge of this incarnation only */
	c->adv_set = 1;
	c->adv_zero = wnd == 0;
	return (uint32_t)wnd;
}

/* RFC 3168 §6.1.1: an ECN-setup SYN has ECE and CWR set; a SYN,ACK
 * agreeing to it has ECE alone. A listener agrees when configured to (1 or
 * 2); an active opener asked when configured to ask (1) and takes the
 * answer. Simultaneous opens stay without ECN. */
void
tcb_take_ecn(struct tt_conn *c, const struct tt_seg *syn, struct tt_out *out)
{
	unsigned setup = syn->flags & (TT_ECE | TT_CWR);

	c->ecn_ok = c->ecn_asked = 0;
	if (c->cfg.ecn == 0 || c->cfg.observer)
		return;
	if (!(syn->flags & TT_ACK))
		c->ecn_ok = c->ecn_asked = setup == (TT_ECE | TT_CWR);
	else
		c->ecn_ok = c->cfg.ecn == 1 && setup == TT_ECE;
	if (c->ecn_ok)
		tcb_note(c, out, TT_R_ECN_ON);
}

void
tcb_ecn_arrived(struct tt_conn *c, const struct tt_seg *seg, struct tt_out *out)
{
	if (!c->ecn_ok)
		return;
	if ((seg->flags & TT_CWR) && c->ece_pending) {
		c->ece_pending = 0;
		tcb_note(c, out, TT_R_ECN_CWR);
	}
	if (seg->ecn == TT_CE && !c->ece_pending) {
		c->ece_pending = 1;
		tcb_note(c, out, TT_R_ECN_CE);
	}
}

/* A reset in reply to a segment, never from our TCB: RFC 9293 §3.10.7.1. */
void
tcb_emit_rst_for(struct tt_conn *c, struct tt_out *out, const struct tt_seg *seg)
{
	if (seg->flags & TT_ACK)
		tcb_emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
	else
		tcb_emit(c, out, 0, seg->seq + tcb_seqlen(seg), TT_RST | TT_ACK, NULL, 0);
}

/* A reset from our TCB (ABORT, close() with unread data, data after close):
 * <SEQ=SND.NXT><CTL=RST>, and Linux's ACK on it where configured. */
void
tcb_emit_rst_ours(struct tt_conn *c, struct tt_out *out)
{
	if (c->cfg.rst_ack)
		tcb_emit(c, out, c->snd_nxt, c->rcv_nxt, TT_RST | TT_ACK, NULL, 0);
	else
		tcb_emit(c, out, c->snd_nxt, 0, TT_RST, NULL, 0);
}

void
tcb_emit_ack(struct tt_conn *c, struct tt_out *out)
{
	tcb_emit(c, out, c->snd_nxt, c->rcv_nxt, TT_ACK, NULL, 0);
}

/* RFC 5961 §7 (and Linux's tcp_invalid_ratelimit): an ACK that answers an
 * out-of-window or otherwise unacceptable segment, a challenge, or an ACK of
 * unsent data, goes out at most once per cfg.oow_ratelimit, and the gap
 * doubles with each such reply until an acceptable ACK arrives: two hosts
 * whose numbers disagree (after an injected segment, say) stop answering
 * each other instead of trading ACKs for ever. A segment that carries data
 * or a FIN is always answered: that answer is how a lost ACK is repaired.
 * A keep-alive probe (SEQ = RCV.NXT - 1, RFC 9293 §3.8.4) must be answered
 * too (RFC 1122 §4.2.3.6): it is held to the plain limit, no doubling. */
void
tcb_emit_oow_ack(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	int carries = (seg->len > 0 || (seg->flags & TT_FIN)) && !(seg->flags & TT_SYN);
	int probe = seg->len == 0 && !(seg->flags & (TT_SYN | TT_FIN | TT_RST)) &&
	            seg->seq == c->rcv_nxt - 1;

	if (!carries && c->cfg.oow_ratelimit > 0) {
		struct tt_oow_limit *l = c->oow;
		tt_time gap = l->gap && !probe ? l->gap : c->cfg.oow_ratelimit;

		if (l->replied && now - l->at < gap) {
			tcb_note(c, out, TT_R_OOW_RATE_LIMITED);
			return;
		}
		l->replied = 1;
		l->at = now;
		if (!probe)
			l->gap = gap < TT_SEC(3600) ? 2 * gap : gap;
	}
	tcb_emit_ack(c, out);
}

static void
free_rcv(struct tt_conn *c)
{
	free(c->rbuf);
	for (size_t i = 0; i < c->nooo; i++)
		free(c->ooo[i].data);
	free(c->ooo);
	c->rbuf = NULL;
	c->ooo = NULL;
	c->rlen = c->rcap = 0;
	c->nooo = c->capooo = 0;
}

static const struct tt_conn zero_tcb;

/* The TCB is deleted: RFC 9293 "delete the TCB, enter the CLOSED state".
 * The connection object stays, in CLOSED, answering segments with RST; the
 * ISN clock and the send queue's memory stay with it. */
void
tcb_delete(struct tt_conn *c)
{
	/* what outlives the TCB inside the part that is cleared */
	uint32_t obs_wnd = c->obs_wnd;
	uint8_t *sbuf = c->sbuf;
	size_t scap = c->scap;

	free_rcv(c);
	/* copied from zeros rather than cleared with memset, which compilers
	 * turn into a string instruction slow to start; this runs at every
	 * connection's end */
	memcpy(c, &zero_tcb, offsetof(struct tt_conn, cfg_iss));
	memcpy(&c->snd_up, &zero_tcb.snd_up, sizeof *c - offsetof(struct tt_conn, snd_up));
	c->sbuf = sbuf;
	c->scap = scap;
	if (c->oow == NULL)
		c->oow = &c->own_oow;   /* the reply limit is the socket's, or the host's */
	c->obs_wnd = obs_wnd;
	c->state = TT_CLOSED;
	c->rto_base = c->cfg.rto_initial;
	if (c->rto_base < c->cfg.rto_min)
		c->rto_base = c->cfg.rto_min;
	if (c->rto_base > c->cfg.rto_max)
		c->rto_base = c->cfg.rto_max;
	c->rto = c->rto_base;
	c->rtx_at = c->tw_at = c->ka_at = c->delack_at = c->user_at = c->fw2_at = TT_NEVER;
	c->more_at = TT_NEVER;
	c->rtt_at = TT_NEVER;
	c->epoch_at = TT_NEVER;
}

/* Sequence number just past the last byte handed to SEND. */
uint32_t
tcb_send_end(const struct tt_conn *c)
{
	return c->sbuf_seq + (uint32_t)c->slen;
}

/* The largest segment we send: the peer's MSS (RFC 9293 §3.7.1: 536 when
 * it sent none), never more than our own. */
uint32_t
tcb_eff_mss(const struct tt_conn *c)
{
	uint32_t mss = c->peer_mss ? c->peer_mss : TT_DEFAULT_MSS;

	return mss > c->cfg.mss ? c->cfg.mss : mss;
}

void
tcb_arm_rtx(struct tt_conn *c, tt_time now)
{
	if (c->rtx_at == TT_NEVER)
		c->rtx_at = now + c->rto;
	if (c->cfg.user_timeout > 0 && c->user_at == TT_NEVER)
		c->user_at = now + c->cfg.user_timeout;
	/* RFC 6298 §3: time what was just sent, unless a segment is timed
	 * already or something was sent again (Karn: its ACK would not say
	 * which copy it answers). What was just sent ends at SND.MAX only when
	 * SND.NXT is there: the persist timer armed after a refused probe
	 * (SND.NXT pulled back) sends nothing, and the probe byte goes again */
	if (c->rtt_at == TT_NEVER && !c->rtx_any && TT_SEQ_GT(c->snd_max, c->snd_una) &&
	    c->snd_nxt == c->snd_max) {
		c->rtt_at = now;
		c->rtt_seq = c->snd_max;
	}
}

/* SND.UNA reaches ack: if that covers the timed segment, a round-trip
 * sample R updates SRTT and RTTVAR and the RTO (RFC 6298 §2.2-2.4), which
 * also ends a backoff: the sample is from data sent once (§5, Karn). */
void
tcb_rtt_ack(struct tt_conn *c, uint32_t ack, tt_time now)
{
	tt_time r, var;

	if (c->rtt_at == TT_NEVER || TT_SEQ_LT(ack, c->rtt_seq))
		return;
	r = now > c->rtt_at ? now - c->rtt_at : 0;
	c->rtt_at = TT_NEVER;
	if (!c->rtt_valid) {
		c->srtt = r;                    /* (2.2) */
		c->rttvar = r / 2;
		c->rtt_valid = 1;
	} else {
		tt_time d = c->srtt > r ? c->srtt - r : r - c->srtt;

		c->rttvar = (3 * c->rttvar + d) / 4;    /* (2.3): beta 1/4, then */
		c->srtt = (7 * c->srtt + r) / 8;        /* alpha 1/8 */
	}
	var = RTT_K * c->rttvar;
	c->rto_base = c->srtt + (var > RTT_G ? var : RTT_G);
	if (c->rto_base < c->cfg.rto_min)       /* (2.4) */
		c->rto_base = c->cfg.rto_min;
	if (c->rto_base > c->cfg.rto_max)       /* (2.5) */
		c->rto_base = c->cfg.rto_max;
	c->rto = c->rto_base;
	c->rtx_any = 0;
}

/* The keep-alive timer runs only on an idle synchronized connection: never
 * while data or a FIN waits for its acknowledgment (Linux does the same). */
void
tcb_idle_restart(struct tt_conn *c, tt_time now)
{
	c->ka_sent = 0;
	if (c->keepalive && tcb_synchronized(c->state) && c->state != TT_TIME_WAIT &&
	    c->snd_una == c->snd_nxt && c->slen == 0)
		c->ka_at = now + c->cfg.ka_idle;
	else
		c->ka_at = TT_NEVER;
}

void
tcb_enter_time_wait(struct tt_conn *c, tt_time now)
{
	c->rtx_at = c->ka_at = c->user_at = c->delack_at = c->fw2_at = TT_NEVER;
	c->tw_at = now + 2 * c->cfg.msl;
}

/* Our FIN has been acknowledged when SND.UNA passed it. */
int
tcb_fin_acked(const struct tt_conn *c)
{
	return c->fin_sent && TT_SEQ_GT(c->snd_una, c->fin_seq);
}

/* ---- construction ----------------------------------------------------- */

struct tt_conn *
tt_conn_new(const struct tt_config *cfg, uint32_t iss)
{
	struct tt_conn *c = calloc(1, sizeof *c);
	struct tt_config def;

	if (c == NULL)
		return NULL;
	if (cfg == NULL) {
		tt_config_default(&def);
		cfg = &def;
	}
	c->cfg = *cfg;
	if (c->cfg.delack > DELACK_MAX)
		c->cfg.delack = DELACK_MAX;
	c->cfg_iss = iss;
	tcb_delete(c);
	return c;
}

void
tt_conn_set_cc(struct tt_conn *c, int cc)
{
	c->cfg.cc = cc == TT_CC_CUBIC ? TT_CC_CUBIC : TT_CC_RENO;
}

void
tt_conn_share_oow_limit(struct tt_conn *c, struct tt_oow_limit *l)
{
	c->oow = l != NULL ? l : &c->own_oow;
}

int
tt_conn_isn_clock(const struct tt_conn *c, tt_time *epoch)
{
	*epoch = c->iss_epoch;
	return c->iss_clock_set;
}

void
tt_conn_set_isn_clock(struct tt_conn *c, tt_time epoch)
{
	c->iss_clock_set = 1;
	c->iss_epoch = epoch;
}

void
tt_conn_free(struct tt_conn *c)
{
	if (c == NULL)
		return;
	free_rcv(c);
	free(c->sbuf);
	free(c);
}

static uint8_t *
dup_bytes(const uint8_t *p, size_t len, size_t cap)
{
	uint8_t *q;

	if (cap == 0)
		return NULL;
	q = malloc(cap);
	if (q != NULL && len > 0)
		memcpy(q, p, len);
	return q;
}

struct tt_conn *
tt_conn_clone(const struct tt_conn *c)
{
	struct tt_conn *n = malloc(sizeof *n);

	if (n == NULL)
		return NULL;
	*n = *c;
	if (c->oow == &c->own_oow)
		n->oow = &n->own_oow;
	n->sbuf = dup_bytes(c->sbuf, c->slen, c->scap);
	n->rbuf = dup_bytes(c->rbuf, c->rlen, c->rcap);
	n->ooo = c->capooo ? malloc(c->capooo * sizeof *n->ooo) : NULL;
	if ((c->scap && n->sbuf == NULL) || (c->rcap && n->rbuf == NULL) ||
	    (c->capooo && n->ooo == NULL)) {
		free(n->sbuf);
		free(n->rbuf);
		free(n->ooo);
		free(n);
		return NULL;
	}
	for (size_t i = 0; i < c->nooo; i++) {
		n->ooo[i] = c->ooo[i];
		n->ooo[i].data = dup_bytes(c->ooo[i].data, c->ooo[i].len, c->ooo[i].len);
	}
	return n;
}

enum tt_state
tt_conn_state(const struct tt_conn *c)
{
	return c->state;
}

void
tt_conn_view(const struct tt_conn *c, struct tt_tcb_view *v)
{
	memset(v, 0, sizeof *v);
	v->state = c->state;
	v->passive = c->passive;
	v->iss = c->iss;
	v->irs = c->irs;
	v->snd_una = c->snd_una;
	v->snd_nxt = c->snd_nxt;
	v->snd_wnd = c->snd_wnd;
	v->snd_wl1 = c->snd_wl1;
	v->snd_wl2 = c->snd_wl2;
	v->rcv_nxt = c->rcv_nxt;
	/* RCV.WND as the peer was told it (the free room may be more) */
	v->rcv_wnd = c->state == TT_CLOSED ? 0 : c->cfg.observer || tcb_adv_left(c) < 0
	             ? tcb_rcv_wnd(c) : (uint32_t)tcb_adv_left(c);
	v->snd_shift = c->ws_on ? c->snd_shift : -1;
	v->rcv_shift = c->ws_on ? c->rcv_shift : -1;
	v->snd_queued = (uint32_t)c->slen;
	v->rcv_queued = (uint32_t)c->rlen;
	v->delivered = c->delivered;
	v->fin_sent = c->fin_sent;
	v->fin_rcvd = c->fin_rcvd;
	v->keepalive = c->keepalive;
	v->persist = c->rtx_at != TT_NEVER && tcb_persisting(c);
	v->closed = c->closed;
	v->snd_up = c->snd_up;
	v->rcv_up = c->rcv_up;
	v->snd_urg = c->snd_urg;
	v->rcv_urg = c->rcv_urg;
	v->retries = c->retries;
	v->probes = c->probes;
	v->rto = c->rto;
	v->srtt = c->srtt;
	v->rttvar = c->rttvar;
	v->rtt_valid = c->rtt_valid;
	v->cwnd = c->cwnd;
	v->ssthresh = c->ssthresh;
	v->in_recovery = c->in_recovery;
	v->ecn_ok = c->ecn_ok;
	v->ece_pending = c->ece_pending;
	v->rtx_at = c->rtx_at;
	v->tw_at = c->tw_at;
	v->ka_at = c->ka_at;
	v->delack_at = c->delack_at;
	v->user_at = c->user_at;
	v->fw2_at = c->fw2_at;
}

/* ---- output ----------------------------------------------------------- */

void
tcb_send_fin(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	c->fin_seq = c->snd_nxt;
	c->fin_sent = 1;
	c->ka_at = TT_NEVER;
	tcb_emit(c, out, c->snd_nxt, c->rcv_nxt, TT_FIN | TT_ACK, NULL, 0);
	c->snd_nxt++;
	tcb_arm_rtx(c, now);
}

/* Sends what the window allows of the queued data, then the FIN when CLOSE
 * has been called and the queue is drained. The usable window ends at
 * SND.UNA + SND.WND (RFC 9293 §3.8.6). A closed window arms the persist
 * timer (§3.8.6.1): the window probe goes out when it fires. */
static void send_queued(struct tt_conn *c, tt_time now, struct tt_out *out);

/* The FIN after the data; again when sending from SND.UNA after a timeout
 * (timer.c) reached it. */
static int
fin_due(const struct tt_conn *c)
{
	return c->snd_nxt == tcb_send_end(c) &&
	       (c->fin_sent ? c->snd_nxt == c->fin_seq && TT_SEQ_LT(c->snd_nxt, c->snd_max)
	                    : c->close_pending);
}

void
tcb_output(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	if (c->state != TT_ESTABLISHED && c->state != TT_CLOSE_WAIT &&
	    c->state != TT_FIN_WAIT_1 && c->state != TT_LAST_ACK && c->state != TT_CLOSING) {
		return;
	}
	/* mostly nothing waits (always for an observer's endpoints) */
	if (TT_SEQ_LT(c->snd_nxt, tcb_send_end(c)) || fin_due(c))
		send_queued(c, now, out);
}

static void
send_queued(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	uint32_t mss = tcb_eff_mss(c);

	while (TT_SEQ_LT(c->snd_nxt, tcb_send_end(c))) {
		uint32_t cwnd = tcb_cc_window(c);
		uint32_t wnd_end = c->snd_una + (cwnd < c->snd_wnd ? cwnd : c->snd_wnd);
		uint32_t n = tcb_send_end(c) - c->snd_nxt;
		unsigned flags = TT_ACK;

		if (!TT_SEQ_LT(c->snd_nxt, wnd_end)) {
			if (c->snd_una == c->snd_nxt)
				tcb_arm_rtx(c, now);        /* the persist timer */
			break;
		}
		if (n > wnd_end - c->snd_nxt)
			n = wnd_end - c->snd_nxt;
		if (n > mss)
			n = mss;
		/* Nagle (RFC 1122 §4.2.3.4): a segment shorter than the MSS waits
		 * while anything sent is unacknowledged; the ACK, or enough queued
		 * data for a full segment, lets it go */
		if (c->cfg.nagle && n < mss && TT_SEQ_LT(c->snd_una, c->snd_nxt)) {
			if (!c->nagle_said)
				tcb_note(c, out, TT_R_NAGLE_WAIT);
			c->nagle_said = 1;
			break;
		}
		c->nagle_said = 0;
		/* Sender SWS avoidance (RFC 9293 §3.8.6.2.1, MUST-38): a segment
		 * the window (not the data) cut below the MSS waits, unless it is
		 * half the largest window the peer offered or more, or it goes
		 * again (after a timeout); while data is in flight its ACKs open
		 * the window, and with none in flight it goes now (where the RFC's
		 * override timer would send it) */
		if (n < mss && n < tcb_send_end(c) - c->snd_nxt && n < c->snd_max_wnd / 2 &&
		    !TT_SEQ_LT(c->snd_nxt, c->snd_max) && TT_SEQ_LT(c->snd_una, c->snd_nxt)) {
			if (!c->sws_said)
				tcb_note(c, out, TT_R_SWS_WAIT);
			c->sws_said = 1;
			break;
		}
		c->sws_said = 0;
		if (c->snd_nxt + n == tcb_send_end(c))
			flags |= TT_PSH;
		tcb_emit(c, out, c->snd_nxt, c->rcv_nxt, flags, c->sbuf + (c->snd_nxt - c->sbuf_seq), n);
		c->snd_nxt += n;
		c->ka_at = TT_NEVER;
		tcb_arm_rtx(c, now);
		if (out->nseg >= TT_OUT_SEGS) {
			/* this call's output is full: the rest of what the
			 * windows allow goes at once, from tt_conn_tick() */
			c->more_at = now;
			return;
		}
	}
	if (fin_due(c))
		tcb_send_fin(c, now, out);
}

/* RFC 9293 §3.8.6.3: a lone ACK may wait (less than 0.5 s), but every
 * second full-sized segment is acknowledged at once. */
void
tcb_ack_now_or_later(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	if (c->cfg.delack > 0 && c->full_segs < 2) {
		c->ack_pending = 1;
		if (c->delack_at == TT_NEVER)
			c->delack_at = now + c->cfg.delack;
	} else {
		if (c->cfg.delack > 0)
			tcb_note(c, out, TT_R_DELAYED_ACK_SECOND);
		tcb_emit_ack(c, out);
	}
}

void
tcb_send_syn(struct tt_conn *c, struct tt_out *out, int with_ack)
{
	unsigned flags = with_ack ? TT_SYN | TT_ACK : TT_SYN;

	/* RFC 3168 §6.1.1: the ECN-setup SYN, and the SYN,ACK that agrees */
	if (!with_ack && c->cfg.ecn == 1 && !c->cfg.observer)
		flags |= TT_ECE | TT_CWR;
	else if (with_ack && c->ecn_asked && c->state == TT_SYN_RECEIVED && c->passive)
		flags |= TT_ECE;
	tcb_emit(c, out, c->iss, c->rcv_nxt, flags, NULL, 0);
}

/* RFC 9293 §3.4.1, RFC 6528: the ISS comes from a clock that ticks every
 * 4 microseconds and keeps running across connections and crashes. The
 * host's first connection starts at the configured ISS, so scenarios stay
 * repeatable; every later incarnation starts where the clock is then.
 * SND.UNA = ISS, SND.NXT = ISS + 1 (§3.10.1). */
void
tcb_choose_iss(struct tt_conn *c, tt_time now)
{
	if (!c->iss_clock_set) {
		c->iss_clock_set = 1;
		c->iss_epoch = now;
	}
	c->iss = c->cfg_iss + (uint32_t)((uint64_t)(now - c->iss_epoch) / ISN_TICK);
	c->snd_una = c->iss;
	c->snd_nxt = c->iss + 1;
	c->snd_max = c->iss + 1;
	c->sbuf_seq = c->iss + 1;
	c->recover = c->iss;    /* RFC 6582 §3.2: "recover" starts at the ISS */
	c->ecn_recover = c->iss;
}

/* ---- user calls, RFC 9293 §3.10.1-3.10.6 ------------------------------- */

enum tt_error
tt_conn_open(struct tt_conn *c, int active, tt_time now, struct tt_out *out)
{
	enum tt_state from = c->state;

	if (c->state == TT_LISTEN && active) {
		/* §3.10.1: LISTEN with the foreign socket now specified */
		c->passive = 0;
		tcb_choose_iss(c, now);
		tcb_set_state(c, out, TT_SYN_SENT, TT_R_OPEN_LISTEN_ACTIVE, TT_E_NONE);
		tcb_send_syn(c, out, 0);
		tcb_arm_rtx(c, now);
		return TT_E_NONE;
	}
	if (c->state != TT_CLOSED) {
		tt_out_event(out, TT_R_OPEN_EXISTS, from, from, TT_E_EXISTS);
		return TT_E_EXISTS;
	}
	tcb_delete(c);
	if (!active) {
		c->passive = 1;
		tcb_set_state(c, out, TT_LISTEN, TT_R_OPEN_PASSIVE, TT_E_NONE);
		return TT_E_NONE;
	}
	tcb_choose_iss(c, now);
	tcb_set_state(c, out, TT_SYN_SENT, TT_R_OPEN_ACTIVE, TT_E_NONE);
	tcb_send_syn(c, out, 0);
	tcb_arm_rtx(c, now);
	return TT_E_NONE;
}

static enum tt_error
send_common(struct tt_conn *c, const uint8_t *data, size_t len, int urgent, tt_time now,
            struct tt_out *out)
{
	switch (c->state) {
	case TT_CLOSED:
		tt_out_event(out, TT_R_SEND_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_LISTEN:
		tt_out_event(out, TT_R_SEND_LISTEN, c->state, c->state, TT_E_FOREIGN);
		return TT_E_FOREIGN;
	case TT_FIN_WAIT_1: case TT_FIN_WAIT_2: case TT_CLOSING: case TT_LAST_ACK:
	case TT_TIME_WAIT:
		tt_out_event(out, TT_R_SEND_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	default:
		break;
	}
	if (c->close_pending) {
		tt_out_event(out, TT_R_SEND_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	}
	if (len == 0)
		return TT_E_NONE;
	if (len > UINT32_MAX / 2 || tt_grow(&c->sbuf, &c->scap, c->slen + len, 1, TCB_QUEUE_FIRST) == -1) {
		tt_out_event(out, TT_R_SEND_RESOURCES, c->state, c->state, TT_E_RESOURCES);
		return TT_E_RESOURCES;
	}
	if (data != NULL)
		memcpy(c->sbuf + c->slen, data, len);
	else
		memset(c->sbuf + c->slen, 'x', len);
	c->slen += len;
	if (urgent) {
		/* §3.8.5: SND.UP points just past the last urgent byte */
		c->snd_up = tcb_send_end(c);
		c->snd_urg = 1;
		tcb_note(c, out, TT_R_SEND_URGENT);
	}
	if (c->state == TT_SYN_SENT || c->state == TT_SYN_RECEIVED) {
		tcb_note(c, out, TT_R_SEND_QUEUED);
		return TT_E_NONE;
	}
	tcb_note(c, out, TT_R_SEND_DATA);
	tcb_output(c, now, out);
	return TT_E_NONE;
}

enum tt_error
tt_conn_send(struct tt_conn *c, const uint8_t *data, size_t len, tt_time now, struct tt_out *out)
{
	return send_common(c, data, len, 0, now, out);
}

enum tt_error
tt_conn_send_urgent(struct tt_conn *c, const uint8_t *data, size_t len, tt_time now,
                    struct tt_out *out)
{
	return send_common(c, data, len, 1, now, out);
}

enum tt_error
tt_conn_receive(struct tt_conn *c, uint8_t *buf, size_t cap, size_t *got, tt_time now,
                struct tt_out *out)
{
	uint32_t wnd_before = tcb_rcv_wnd(c), thresh;
	size_t n;

	*got = 0;
	if (c->closed) {
		tt_out_event(out, TT_R_RECEIVE_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	}
	switch (c->state) {
	case TT_CLOSED:
		tt_out_event(out, TT_R_RECEIVE_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_CLOSE_WAIT: case TT_CLOSING: case TT_LAST_ACK: case TT_TIME_WAIT:
		/* the peer's FIN came: what arrived before it can still be read */
		if (c->rlen == 0) {
			tt_out_event(out, TT_R_CLOSE_CLOSING, c->state, c->state, TT_E_CLOSING);
			return TT_E_CLOSING;
		}
		break;
	default:
		break;
	}
	n = c->rlen < cap ? c->rlen : cap;
	if (n > 0 && buf != NULL)
		memcpy(buf, c->rbuf, n);
	if (n > 0 && c->rlen > n)
		memmove(c->rbuf, c->rbuf + n, c->rlen - n);
	c->rlen -= n;
	c->delivered += n;
	*got = n;
	if (c->rcv_urg && TT_SEQ_GEQ((uint32_t)(c->rcv_nxt - c->rlen), c->rcv_up))
		c->rcv_urg = 0;         /* the reader has passed the urgent data */
	tcb_note(c, out, n > 0 ? TT_R_RECEIVE_DATA : TT_R_RECEIVE_WAIT);
	/* RFC 1122 §4.2.3.3: a window that opened by min(buffer / 2, MSS) from
	 * (nearly) closed is announced at once. */
	thresh = tcb_sws_thresh(c);
	if (tcb_synchronized(c->state) && c->state != TT_TIME_WAIT && wnd_before < thresh &&
	    tcb_rcv_wnd(c) >= thresh)
		tcb_emit_ack(c, out);
	(void)now;
	return TT_E_NONE;
}

enum tt_error
tt_conn_shutdown(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	enum tt_reason r = c->closed || c->cfg.observer ? TT_R_CLOSE_SEND_FIN : TT_R_SHUTDOWN_SEND_FIN;

	switch (c->state) {
	case TT_CLOSED:
		tt_out_event(out, TT_R_CLOSE_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_LISTEN:
		tcb_set_state(c, out, TT_CLOSED, TT_R_CLOSE_LISTEN, TT_E_NONE);
		tcb_delete(c);
		return TT_E_NONE;
	case TT_SYN_SENT:
		tcb_set_state(c, out, TT_CLOSED, TT_R_CLOSE_SYN_SENT, TT_E_NONE);
		tcb_delete(c);
		return TT_E_NONE;
	case TT_SYN_RECEIVED:
		/* §3.10.4: FIN now if nothing is queued, else after ESTABLISHED */
		c->close_pending = 1;
		if (c->slen == 0) {
			tcb_set_state(c, out, TT_FIN_WAIT_1, r, TT_E_NONE);
			tcb_send_fin(c, now, out);
		} else {
			tcb_note(c, out, TT_R_CLOSE_QUEUED);
		}
		return TT_E_NONE;
	case TT_ESTABLISHED:
		c->close_pending = 1;
		tcb_set_state(c, out, TT_FIN_WAIT_1, r, TT_E_NONE);
		tcb_output(c, now, out);
		return TT_E_NONE;
	case TT_CLOSE_WAIT:
		c->close_pending = 1;
		tcb_set_state(c, out, TT_LAST_ACK, r, TT_E_NONE);
		tcb_output(c, now, out);
		return TT_E_NONE;
	default:
		tt_out_event(out, TT_R_CLOSE_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	}
}

/* FIN-WAIT-2 after close() waits for the peer's FIN only cfg.fin_timeout. */
void
tcb_arm_fin_timeout(struct tt_conn *c, tt_time now)
{
	if (c->closed && c->state == TT_FIN_WAIT_2 && c->cfg.fin_timeout > 0 &&
	    c->fw2_at == TT_NEVER)
		c->fw2_at = now + c->cfg.fin_timeout;
}

/* Deletes the TCB with a RST from it: close() with unread data, or data
 * after close() (RFC 2525 §2.17; Linux's tcp_close and tcp_rcv_state_process). */
void
tcb_reset_and_delete(struct tt_conn *c, struct tt_out *out, enum tt_reason r)
{
	tcb_emit_rst_ours(c, out);
	tcb_set_state(c, out, TT_CLOSED, r, TT_E_NONE);
	tcb_delete(c);
}

enum tt_error
tt_conn_close(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	enum tt_error e;

	if (c->closed && c->state != TT_CLOSED) {
		tt_out_event(out, TT_R_CLOSE_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	}
	if (tcb_synchronized(c->state) && c->state != TT_TIME_WAIT && c->rlen > 0) {
		tcb_reset_and_delete(c, out, TT_R_CLOSE_UNREAD_RST);
		return TT_E_NONE;
	}
	c->closed = 1;
	switch (c->state) {
	case TT_FIN_WAIT_1: case TT_FIN_WAIT_2: case TT_CLOSING: case TT_LAST_ACK:
	case TT_TIME_WAIT:
		/* the FIN went out with an earlier shutdown: only reading ends */
		tcb_arm_fin_timeout(c, now);
		return TT_E_NONE;
	default:
		break;
	}
	e = tt_conn_shutdown(c, now, out);
	if (c->state == TT_CLOSED)
		c->closed = 0;
	return e;
}

void
tt_conn_crash(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	(void)now;
	tcb_set_state(c, out, TT_CLOSED, TT_R_HOST_CRASH, TT_E_NONE);
	tcb_delete(c);
}

enum tt_error
tt_conn_abort(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	(void)now;
	switch (c->state) {
	case TT_CLOSED:
		tt_out_event(out, TT_R_ABORT_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_LISTEN: case TT_SYN_SENT: case TT_CLOSING: case TT_LAST_ACK: case TT_TIME_WAIT:
		tcb_set_state(c, out, TT_CLOSED, TT_R_ABORT_QUIET, TT_E_NONE);
		break;
	default:
		/* §3.10.5: <SEQ=SND.NXT><CTL=RST> */
		tcb_set_state(c, out, TT_CLOSED, TT_R_ABORT, TT_E_NONE);
		tcb_emit_rst_ours(c, out);
		break;
	}
	tcb_delete(c);
	return TT_E_NONE;
}

void
tt_conn_keepalive(struct tt_conn *c, int on, tt_time now)
{
	c->keepalive = on;
	tcb_idle_restart(c, now);
}

