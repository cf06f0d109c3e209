/* engine/observer.c: the engine's observer mode, for captures.
 *
 * A capture shows each segment once, somewhere between the two hosts. The
 * observer applies the RFC 9293 rules twice per segment: first what sending
 * it says about the sender (a SYN means OPEN, a FIN means CLOSE, a RST means
 * ABORT: §3.10.1-3.10.5), then what receiving it does to the receiver
 * (SEGMENT ARRIVES, §3.10.7), with the receiver's sequence variables learnt
 * from what it sent. No segment is emitted, nothing is allocated: a capture
 * of a hundred thousand connections keeps one small struct per connection.
 */
#include "config.h"

#include <string.h>

#include "engine/tcp.h"

void
tt_obs_init(struct tt_obs *o)
{
	memset(o, 0, sizeof *o);
	o->side[0].state = TT_CLOSED;
	o->side[1].state = TT_CLOSED;
}

/* What sending seg tells about the sender (§3.10.1-3.10.5). */
static void
sent(struct tt_obs_side *a, const struct tt_obs_side *b, const struct tt_seg *seg)
{
	uint32_t end = seg->seq + tt_seg_seqlen(seg);

	if (seg->flags & TT_RST) {
		/* §3.10.5 ABORT, or a reset for a segment this side had no TCB for */
		a->state = TT_CLOSED;
		return;
	}
	if (seg->flags & TT_SYN) {
		if (!a->syn_sent) {
			a->syn_sent = 1;
			a->iss = seg->seq;
			a->snd_una = seg->seq;
			a->snd_nxt = seg->seq + 1;
		}
		if (!(seg->flags & TT_ACK) && a->state == TT_CLOSED)
			a->state = TT_SYN_SENT;                 /* OPEN (active) */
		if (!(seg->flags & TT_ACK))
			a->passive = 0;    /* a bare SYN: this side opened actively */
		else if ((seg->flags & TT_ACK) && (a->state == TT_CLOSED || a->state == TT_LISTEN))
			a->state = TT_SYN_RECEIVED;            /* answered a SYN in LISTEN */
	}
	if (a->syn_sent && TT_SEQ_GT(end, a->snd_nxt))
		a->snd_nxt = end;
	if ((seg->flags & TT_FIN) && !a->fin_sent) {
		a->fin_sent = 1;
		a->fin_seq = seg->seq + !!(seg->flags & TT_SYN) + seg->len;
		/* §3.10.4 CLOSE */
		if (a->state == TT_ESTABLISHED || a->state == TT_SYN_RECEIVED)
			a->state = TT_FIN_WAIT_1;
		else if (a->state == TT_CLOSE_WAIT && b->fin_sent &&
		         (!(seg->flags & TT_ACK) || TT_SEQ_LEQ(seg->ack, b->fin_seq)))
			/* the FIN does not ack the peer's: the two FINs crossed
			 * (simultaneous close): FIN-WAIT-1, then CLOSING */
			a->state = TT_CLOSING;
		else if (a->state == TT_CLOSE_WAIT)
			a->state = TT_LAST_ACK;
	}
}

/* What receiving seg does to the receiver b (§3.10.7). Returns TT_OBS_IGNORED
 * when b would discard it without a state change. */
static unsigned
received(struct tt_obs_side *b, const struct tt_seg *seg)
{
	int acks_all = (seg->flags & TT_ACK) && b->syn_sent && TT_SEQ_GEQ(seg->ack, b->snd_nxt);

	if ((seg->flags & TT_ACK) && b->syn_sent && TT_SEQ_GT(seg->ack, b->snd_una) &&
	    TT_SEQ_LEQ(seg->ack, b->snd_nxt))
		b->snd_una = seg->ack;
	switch (b->state) {
	case TT_CLOSED:
		return TT_OBS_IGNORED;          /* §3.10.7.1: answered by a RST */
	case TT_LISTEN:
		if ((seg->flags & (TT_SYN | TT_ACK | TT_RST)) == TT_SYN) {
			b->state = TT_SYN_RECEIVED;    /* §3.10.7.2 */
			b->passive = 1;
			b->syn_rcvd = 1;
			b->irs = seg->seq;
			b->rcv_nxt = seg->seq + 1;
			return 0;
		}
		return TT_OBS_IGNORED;
	case TT_SYN_SENT:
		/* §3.10.7.3 */
		if (seg->flags & TT_RST) {
			if ((seg->flags & TT_ACK) && seg->ack == b->snd_nxt) {
				b->state = TT_CLOSED;  /* connection refused */
				return 0;
			}
			return TT_OBS_IGNORED;
		}
		if (!(seg->flags & TT_SYN))
			return TT_OBS_IGNORED;
		if ((seg->flags & TT_ACK) && seg->ack != b->snd_nxt)
			return TT_OBS_IGNORED;      /* answered by a RST */
		b->syn_rcvd = 1;
		b->irs = seg->seq;
		b->rcv_nxt = seg->seq + 1;
		b->state = (seg->flags & TT_ACK) ? TT_ESTABLISHED : TT_SYN_RECEIVED;
		return 0;
	default:
		break;
	}
	/* §3.10.7.4, synchronized states */
	if (seg->flags & TT_RST) {
		if (b->state == TT_SYN_RECEIVED && b->passive)
			b->state = TT_LISTEN;
		else
			b->state = TT_CLOSED;
		return 0;
	}
	if (seg->flags & TT_SYN) {
		if (b->state == TT_SYN_RECEIVED && !(seg->flags & TT_ACK) && b->passive)
			return TT_OBS_IGNORED;      /* a retransmitted SYN */
		if (b->state == TT_SYN_RECEIVED && (seg->flags & TT_ACK) && acks_all) {
			b->state = TT_ESTABLISHED;  /* simultaneous open completes */
			return 0;
		}
		if (!(seg->flags & TT_ACK))
			return TT_OBS_IGNORED;
	}
	if (!(seg->flags & TT_ACK))
		return TT_OBS_IGNORED;
	if (b->state == TT_SYN_RECEIVED) {
		if (!b->syn_sent || TT_SEQ_GT(seg->ack, b->iss))
			b->state = TT_ESTABLISHED;
		else
			return TT_OBS_IGNORED;
	}
	if (b->fin_sent && TT_SEQ_GT(seg->ack, b->fin_seq))
		b->fin_acked = 1;
	switch (b->state) {
	case TT_FIN_WAIT_1:
		if (b->fin_acked)
			b->state = TT_FIN_WAIT_2;
		break;
	case TT_CLOSING:
		if (b->fin_acked)
			b->state = TT_TIME_WAIT;
		break;
	case TT_LAST_ACK:
		if (b->fin_acked) {
			b->state = TT_CLOSED;
			return 0;
		}
		break;
	default:
		break;
	}
	if (seg->flags & TT_FIN) {
		uint32_t fin_at = seg->seq + !!(seg->flags & TT_SYN) + seg->len;

		if (b->fin_rcvd)
			return 0;                   /* a retransmitted FIN */
		b->fin_rcvd = 1;
		b->rcv_nxt = fin_at + 1;
		switch (b->state) {
		case TT_ESTABLISHED:
			b->state = TT_CLOSE_WAIT;
			break;
		case TT_FIN_WAIT_1:
			b->state = b->fin_acked ? TT_TIME_WAIT : TT_CLOSING;
			break;
		case TT_FIN_WAIT_2:
			b->state = TT_TIME_WAIT;
			break;
		default:
			break;
		}
	} else if (TT_SEQ_GT(seg->seq + seg->len, b->rcv_nxt)) {
		b->rcv_nxt = seg->seq + seg->len;
	}
	return 0;
}

/* A capture can miss segments. When what `from` sends acknowledges a SYN
 * or a FIN the observer never saw, that segment was sent (and received):
 * replay it first, so both states move as the real ones did. Returns 1
 * when a missed segment was inferred. */
static int
infer_missed(struct tt_obs *o, int from, const struct tt_seg *seg)
{
	struct tt_obs_side *a = &o->side[from & 1], *b = &o->side[!(from & 1)];
	struct tt_seg ph;

	if (!o->started || !(seg->flags & TT_ACK) || (seg->flags & (TT_SYN | TT_RST)))
		return 0;
	memset(&ph, 0, sizeof ph);
	ph.wnd = seg->wnd;
	/* the client ACKs a SYN,ACK that was not captured */
	if (a->state == TT_SYN_SENT && a->syn_sent && !b->syn_sent && seg->ack != 0) {
		ph.flags = TT_SYN | TT_ACK;
		ph.seq = seg->ack - 1;
		ph.ack = a->snd_nxt;
		tt_obs_segment(o, !(from & 1), &ph);
		return 1;
	}
	/* a closing side ACKs one more than the peer was seen sending: the
	 * peer's FIN (it takes one number, RFC 9293 §3.4). A lost one-byte
	 * segment looks the same, so this is believed only from a side that
	 * is closing itself (its FIN sent before, or in this segment). */
	if (b->syn_sent && !b->fin_sent && !a->fin_rcvd && seg->ack == b->snd_nxt + 1 &&
	    (b->state == TT_ESTABLISHED || b->state == TT_CLOSE_WAIT) &&
	    (a->state == TT_FIN_WAIT_1 || a->state == TT_FIN_WAIT_2 ||
	     ((seg->flags & TT_FIN) && (a->state == TT_ESTABLISHED || a->state == TT_CLOSE_WAIT)))) {
		ph.flags = TT_FIN | TT_ACK;
		ph.seq = b->snd_nxt;
		ph.ack = a->snd_una;
		tt_obs_segment(o, !(from & 1), &ph);
		return 1;
	}
	return 0;
}

unsigned
tt_obs_segment(struct tt_obs *o, int from, const struct tt_seg *seg)
{
	struct tt_obs_side *a = &o->side[from & 1], *b = &o->side[!(from & 1)];
	unsigned r = 0;

	if (!o->started) {
		o->started = 1;
		if ((seg->flags & (TT_SYN | TT_ACK | TT_RST)) == TT_SYN) {
			b->state = TT_LISTEN;       /* the peer answers, so it listened */
			b->passive = 1;
		} else if ((seg->flags & (TT_SYN | TT_ACK)) == (TT_SYN | TT_ACK)) {
			/* the SYN was not captured */
			a->state = TT_LISTEN;
			a->passive = 1;
			b->state = TT_SYN_SENT;
			b->syn_sent = 1;
			b->iss = seg->ack - 1;
			b->snd_una = b->iss;
			b->snd_nxt = seg->ack;
			r |= TT_OBS_MIDSTREAM;
		} else {
			/* the capture starts after the handshake */
			a->state = b->state = TT_ESTABLISHED;
			a->syn_sent = b->syn_sent = 1;
			a->iss = seg->seq - 1;
			a->snd_una = a->iss;
			a->snd_nxt = seg->seq;
			if (seg->flags & TT_ACK) {
				b->iss = seg->ack - 1;
				b->snd_una = seg->ack;
				b->snd_nxt = seg->ack;
			}
			o->midstream = 1;
			r |= TT_OBS_MIDSTREAM;
		}
	}
	if (infer_missed(o, from, seg))
		r |= TT_OBS_INFERRED;
	/* the peer that was presumed listening was in fact closed: the answer
	 * to the SYN is a RST, §3.10.7.1 */
	if ((seg->flags & TT_RST) && a->state == TT_SYN_RECEIVED && a->passive && !a->syn_sent) {
		a->state = TT_CLOSED;
		a->passive = 0;
	}
	sent(a, b, seg);
	r |= received(b, seg);
	return r;
}
