/* engine/observer.c: both endpoints of a captured connection, inferred by
 * this engine itself (doc/design.md, "The observer").
 *
 * A capture shows each segment once, somewhere between the two hosts. Each
 * endpoint is one engine connection in observer mode. What the wire shows an
 * endpoint sending is a user call (tt_conn_sent: a SYN is OPEN, a FIN CLOSE,
 * a RST ABORT, RFC 9293 §3.10.1-3.10.5); what it receives goes through
 * SEGMENT ARRIVES (tt_conn_input, §3.10.7), the same code lessons run. The
 * rules of what sending implies (tt_conn_sent) live here and nowhere else;
 * the rest of this file decides only when each segment reached its
 * receiver, from the evidence of the ACKs, and what the ACKs say the
 * capture missed.
 *
 * A segment that takes sequence space waits in flight until its receiver's
 * next segment: if that one's ACK covers it, it had arrived before (it is
 * delivered at its own row); if not, the two crossed on the wire and it
 * arrives after (at the receiver's row). Segments without sequence space
 * follow the ones before them (a path keeps order) or arrive at once.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine/tcb.h"

/* A window not seen yet is taken as open: as wide as sequence arithmetic
 * allows without wrapping (RFC 7323 §2.3: 2^30). */
#define OPEN_WND (1u << 30)

struct pend {
	struct tt_seg seg;      /* data is NULL */
	uint64_t row;           /* where it was seen */
	uint64_t point;         /* the earliest row it can have arrived at */
	unsigned flags;         /* TT_OBS_INFERRED */
	int refuted;            /* the receiver's ACK since did not cover it */
};

struct tt_obs {
	struct tt_conn *tcb[2];   /* &conn[0], &conn[1] */
	unsigned nq[2];
	int started;
	int spoke[2];           /* the endpoint was seen sending */
	int presumed[2];        /* it was sent a SYN before it spoke: it listens,
	                           unless its first word says it never did */
	int unknown[2];         /* mid-stream: its sequence numbers are not known */
	/* h's ACK went past all !h was seen sending (missed): held until !h's
	 * next segment tells whether !h sent that much (settle_claim) */
	int claim[2];
	uint32_t claim_ack[2];
	uint64_t claim_row[2];  /* the first such ACK's row */
	uint64_t last_row;      /* of the last segment seen */
	/* from here on tt_obs_reset clears nothing wholesale */
	struct tt_conn conn[2];   /* one block: the two TCBs beside each other */
	struct pend q[2][TT_OBS_PENDING]; /* q[d]: sent by d, not yet at !d */
};

/* ---- what sending a segment says about its sender ---------------------- */

/* The send variables reach `end`: the bytes were sent, the queue is empty
 * there (an observer keeps none). */
void
tcb_sent_to(struct tt_conn *c, uint32_t end)
{
	if (TT_SEQ_GT(end, c->snd_nxt))
		c->snd_nxt = end;
	if (TT_SEQ_GT(end, c->snd_max))
		c->snd_max = end;
	if (c->slen == 0)
		c->sbuf_seq = c->snd_nxt;
}

/* The ISS is the one the wire shows, whatever the ISN clock picked. */
static void
adopt_iss(struct tt_conn *c, uint32_t iss)
{
	uint32_t d = iss - c->iss;

	c->iss = iss;
	c->snd_una += d;
	c->snd_nxt += d;
	c->snd_max += d;
	c->sbuf_seq += d;
	c->obs_iss_seen = 1;
}

/* A RST from an endpoint with a TCB is ABORT (§3.10.5), unless it answers
 * an unacceptable ACK in SYN-RECEIVED or SYN-SENT (§3.10.7.3, fifth of
 * §3.10.7.4: <SEQ=SEG.ACK><CTL=RST>, the TCB stays); from one without a
 * TCB it answers a segment (§3.10.7.1-2) and changes nothing. */
static void
rst_sent(struct tt_conn *c, const struct tt_seg *seg, struct tt_out *out)
{
	switch (c->state) {
	case TT_CLOSED: case TT_LISTEN: case TT_SYN_SENT:
		return;
	case TT_SYN_RECEIVED:
		if (TT_SEQ_LT(seg->seq, c->snd_una) || TT_SEQ_GT(seg->seq, c->snd_max))
			return;
		break;
	default:
		break;
	}
	tcb_set_state(c, out, TT_CLOSED, TT_R_ABORT, TT_E_NONE);
	tcb_delete(c);
}

void
tt_conn_sent(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	uint32_t text = seg->seq + !!(seg->flags & TT_SYN), end = text + seg->len;

	if (seg->flags & TT_RST) {
		rst_sent(c, seg, out);
		return;
	}
	c->obs_wnd = seg->wnd;
	if (seg->flags & TT_SYN) {
		/* OPEN (active), §3.10.1: a bare SYN from CLOSED or LISTEN */
		if (!(seg->flags & TT_ACK) && (c->state == TT_CLOSED || c->state == TT_LISTEN))
			tt_conn_open(c, 1, now, out);
		if ((c->state == TT_SYN_SENT || c->state == TT_SYN_RECEIVED) && !c->obs_iss_seen)
			adopt_iss(c, seg->seq);
	}
	if (c->state == TT_CLOSED || c->state == TT_LISTEN)
		return;                 /* no TCB: a reply, nothing to learn */
	tcb_sent_to(c, (seg->flags & TT_FIN) && !c->fin_sent ? end : end + !!(seg->flags & TT_FIN));
	if ((seg->flags & TT_FIN) && !c->fin_sent) {
		/* CLOSE, §3.10.4: the FIN goes where the wire shows it */
		c->snd_nxt = end;
		c->sbuf_seq = end;
		tt_conn_shutdown(c, now, out);
	}
}

/* ---- the observer ------------------------------------------------------- */

struct tt_obs *
tt_obs_new(void)
{
	struct tt_obs *o = calloc(1, sizeof *o);
	struct tt_config cfg;

	if (o == NULL)
		return NULL;
	tt_config_default(&cfg);
	cfg.observer = 1;
	cfg.oow_ratelimit = 0;          /* what the real host answered is on the wire */
	for (int h = 0; h < 2; h++)
		o->conn[h].cfg = cfg;
	tt_obs_reset(o);
	return o;
}

void
tt_obs_reset(struct tt_obs *o)
{
	memset(o, 0, offsetof(struct tt_obs, conn));
	for (int h = 0; h < 2; h++) {
		struct tt_conn *c = &o->conn[h];

		o->tcb[h] = c;
		tcb_delete(c);
		c->cfg_iss = 0;
		c->iss_clock_set = 0;
		c->obs_wnd = OPEN_WND;          /* not seen yet: open */
	}
}

void
tt_obs_free(struct tt_obs *o)
{
	if (o == NULL)
		return;
	for (int h = 0; h < 2; h++) {
		tcb_delete(&o->conn[h]);        /* what it kept of segments ahead */
		free(o->conn[h].sbuf);
	}
	free(o);
}

enum tt_state
tt_obs_state(const struct tt_obs *o, int host)
{
	return o->tcb[host & 1]->state;
}

void
tt_obs_view(const struct tt_obs *o, int host, struct tt_tcb_view *v)
{
	tt_conn_view(o->tcb[host & 1], v);
}

uint64_t
tt_obs_settled(const struct tt_obs *o)
{
	uint64_t s = UINT64_MAX;

	/* a segment in flight: its own row waits too, to say where it arrived */
	for (int d = 0; d < 2; d++)
		if (o->nq[d] > 0 && o->q[d][0].row < s)
			s = o->q[d][0].row;
	return s;
}

/* Records what one call on endpoint h did at row `row`. */
static inline void
effect(struct tt_obs *o, struct tt_obs_out *out, int h, uint64_t row, uint64_t arrived,
       unsigned flags, const struct tt_out *tout)
{
	struct tt_obs_effect *e;

	if (out == NULL)
		return;
	if (out->n >= TT_OBS_EFFECTS) {
		out->e[TT_OBS_EFFECTS - 1].flags |= TT_OBS_TRUNCATED;
		return;
	}
	e = &out->e[out->n++];
	e->row = row;
	e->host = h;
	e->arrived = arrived;
	e->flags = flags | (tout->truncated ? TT_OBS_TRUNCATED : 0);
	e->nev = out->no_events ? 0 : tout->nev;
	for (unsigned k = 0; k < e->nev; k++)   /* mostly none or one: no memcpy call */
		e->ev[k] = tout->ev[k];
	if (out->views)
		tt_conn_view(o->tcb[h], &e->tcb);
	else
		e->tcb.state = o->tcb[h]->state;
}

/* Before endpoint h receives anything: a SYN came to it before it spoke,
 * so it was listening (its answers would show otherwise). */
static inline void
materialize(struct tt_obs *o, int h, uint64_t row, tt_time now, struct tt_obs_out *out)
{
	struct tt_out tout;

	if (!o->presumed[h])
		return;
	o->presumed[h] = 0;
	tt_out_clear(&tout);
	tt_conn_open(o->tcb[h], 0, now, &tout);
	effect(o, out, h, row, 0, 0, &tout);
}

/* A segment seen at row `seen` reaches endpoint h at row `point`. */
static inline void
deliver_seg(struct tt_obs *o, int h, const struct tt_seg *seg, uint64_t seen, unsigned flags,
            uint64_t point, tt_time now, struct tt_obs_out *out)
{
	struct tt_out tout;

	materialize(o, h, point, now, out);
	tt_out_clear(&tout);
	tt_conn_input(o->tcb[h], seg, now, &tout);
	effect(o, out, h, point, seen, flags | (point != seen ? TT_OBS_CROSSED : 0), &tout);
}

static inline void
deliver(struct tt_obs *o, int h, const struct pend *p, uint64_t point, tt_time now,
        struct tt_obs_out *out)
{
	deliver_seg(o, h, &p->seg, p->row, p->flags, point, now, out);
}

/* The first n segments in flight toward h arrive. */
static inline void
arrive(struct tt_obs *o, int h, unsigned n, tt_time now, struct tt_obs_out *out)
{
	int d = !h;

	if (n == 0)
		return;
	for (unsigned i = 0; i < n; i++)
		deliver(o, h, &o->q[d][i], o->q[d][i].point, now, out);
	/* mostly all of them arrive: then nothing is left to move */
	if (o->nq[d] > n)
		memmove(o->q[d], o->q[d] + n, (o->nq[d] - n) * sizeof o->q[d][0]);
	o->nq[d] -= n;
}

/* Endpoint h sends seg at `row`: what is in flight toward it and covered
 * by seg's ACK arrived before; the rest arrives after this row at the
 * earliest. */
static void infer(struct tt_obs *o, int d, unsigned flags, uint32_t seq, uint32_t ack,
                  uint32_t len, int sent, unsigned ahead, uint64_t row, tt_time now,
                  struct tt_obs_out *out);

/* infer's `ahead`: all that is on its way to the sender arrives first */
#define ALL_AHEAD UINT_MAX

/* Whether an endpoint in this state can have sent bytes the capture did
 * not show: one that sends text, or one in SYN-RECEIVED whose handshake's
 * last ACK the capture missed too. */
static inline int
may_send_unseen(enum tt_state s)
{
	return s == TT_ESTABLISHED || s == TT_CLOSE_WAIT || s == TT_SYN_RECEIVED;
}

/* Whether one of the first n segments of q starts at or before rcv_nxt
 * and reaches past it. */
static int
fills(const struct pend *q, unsigned n, uint32_t rcv_nxt)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t at = q[i].seg.seq + !!(q[i].seg.flags & TT_SYN);

		if (TT_SEQ_LEQ(at, rcv_nxt) && TT_SEQ_GT(q[i].seg.seq + tcb_seqlen(&q[i].seg), rcv_nxt))
			return 1;
	}
	return 0;
}

static void
evidence(struct tt_obs *o, int h, const struct tt_seg *seg, uint64_t row, tt_time now,
         struct tt_obs_out *out)
{
	struct tt_conn *c = o->tcb[h];
	int d = !h, refutes;
	unsigned n = 0;

	if (o->nq[d] == 0)
		return;         /* nothing in flight toward h: nothing to decide */
	/* An ACK that repeats RCV.NXT while a segment beyond it is in flight
	 * does not say that segment had not arrived: a segment beyond a hole
	 * is answered at once with just such an ACK (RFC 9293 §3.10.7.4, RFC
	 * 5681 §4.2). So the first of them arrived before it, out of order;
	 * one per such ACK, as a receiver sends them. */
	if ((seg->flags & TT_ACK) && !(seg->flags & (TT_SYN | TT_FIN | TT_RST)) && seg->len == 0 &&
	    seg->ack == c->rcv_nxt && tcb_synchronized(c->state) && c->state != TT_TIME_WAIT) {
		for (unsigned i = 0; i < o->nq[d]; i++) {
			struct pend *q = &o->q[d][i];

			if (tcb_seqlen(&q->seg) == 0 || (q->seg.flags & (TT_SYN | TT_RST)) ||
			    !TT_SEQ_GT(q->seg.seq, c->rcv_nxt))
				continue;
			deliver(o, h, q, q->point, now, out);
			memmove(q, q + 1, (o->nq[d] - i - 1) * sizeof *q);
			o->nq[d]--;
			break;
		}
	}
	if (seg->flags & TT_ACK) {
		for (unsigned i = 0; i < o->nq[d]; i++)
			if (TT_SEQ_GEQ(seg->ack, o->q[d][i].seg.seq + tcb_seqlen(&o->q[d][i].seg)))
				n = i + 1;
	}
	/* a RST from SYN-SENT with SEQ = SEG.ACK of a SYN,ACK in flight answers
	 * it (§3.10.7.3): that ACK was not for this host's SYN, so the SYN the
	 * capture showed was an old duplicate (RFC 9293 Figure 9), not its own */
	if ((seg->flags & (TT_RST | TT_ACK)) == TT_RST && c->state == TT_SYN_SENT) {
		for (unsigned i = 0; i < o->nq[d]; i++) {
			const struct tt_seg *q = &o->q[d][i].seg;

			if ((q->flags & (TT_SYN | TT_ACK)) == (TT_SYN | TT_ACK) && q->ack == seg->seq) {
				n = i + 1;
				adopt_iss(c, seg->seq);
			}
		}
	}
	/* what has no sequence space follows the ones before it */
	while (n < o->nq[d] && tcb_seqlen(&o->q[d][n].seg) == 0)
		n++;
	/* a covered segment beyond a hole: the hole's bytes, never captured,
	 * came before it, unless a covered one sent later fills it (the
	 * hole's segment sent again after those beyond it) */
	if (n > 0 && tcb_synchronized(c->state) && c->state != TT_TIME_WAIT &&
	    tcb_synchronized(o->tcb[d]->state) && !fills(o->q[d], n, c->rcv_nxt)) {
		const struct pend *first = &o->q[d][0];
		uint32_t at = first->seg.seq + !!(first->seg.flags & TT_SYN);

		if (TT_SEQ_GT(at, c->rcv_nxt) && TT_SEQ_GEQ(seg->ack, at))
			infer(o, d, TT_ACK, c->rcv_nxt, o->tcb[d]->rcv_nxt, at - c->rcv_nxt, 0, 0,
			      first->point, now, out);
	}
	arrive(o, h, n, now, out);
	/* an ACK that does not cover them, or a SYN sent again from SYN-SENT,
	 * says they had not arrived yet */
	refutes = (seg->flags & TT_ACK) ||
	          ((seg->flags & (TT_SYN | TT_ACK)) == TT_SYN && c->state == TT_SYN_SENT &&
	           c->obs_iss_seen && seg->seq == c->iss);
	for (unsigned i = 0; i < o->nq[d]; i++) {
		if (o->q[d][i].point < row)
			o->q[d][i].point = row;
		if (refutes)
			o->q[d][i].refuted = 1;
	}
}

/* An endpoint's first word settles whether it was listening: a RST in
 * answer to the SYN, or a SYN of its own, says it was not (§3.10.7.1). */
static inline void
first_word(struct tt_obs *o, int h, const struct tt_seg *seg)
{
	if (o->spoke[h])
		return;
	o->spoke[h] = 1;
	if (o->presumed[h] && ((seg->flags & TT_RST) || (seg->flags & (TT_SYN | TT_ACK)) == TT_SYN))
		o->presumed[h] = 0;
}

/* A synthesized segment from d, inferred from the ACKs (the capture missed
 * it): d sends it (when `sent`, after the first `ahead` segments on their
 * way to d arrived), and it arrives at the other endpoint at `row`. */
static void
infer(struct tt_obs *o, int d, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
      int sent, unsigned ahead, uint64_t row, tt_time now, struct tt_obs_out *out)
{
	struct pend p;
	struct tt_out tout;

	memset(&p, 0, sizeof p);
	p.seg.flags = (uint16_t)flags;
	p.seg.seq = seq;
	p.seg.ack = ack;
	p.seg.len = len;
	p.seg.wnd = o->tcb[d]->obs_wnd;
	p.row = row;
	p.point = row;
	p.flags = TT_OBS_INFERRED;
	if (sent) {
		/* what was on its way to d arrived before d sent this */
		arrive(o, d, ahead < o->nq[!d] ? ahead : o->nq[!d], now, out);
		if (flags & TT_ACK)
			p.seg.ack = o->tcb[d]->rcv_nxt;
		tt_out_clear(&tout);
		tt_conn_sent(o->tcb[d], &p.seg, now, &tout);
		effect(o, out, d, row, 0, TT_OBS_INFERRED, &tout);
	}
	deliver(o, !d, &p, row, now, out);
}

/* What h's ACK says it received that the capture did not show arriving:
 * a SYN,ACK or a FIN it missed (RFC 9293 §3.4: each takes one number), or
 * bytes. Returns TT_OBS_INFERRED when something was inferred; *held is
 * set when the ACK waits for the other end's next segment (a claim). */
static unsigned
missed(struct tt_obs *o, int h, const struct tt_seg *seg, uint64_t row, tt_time now,
       struct tt_obs_out *out, int *held)
{
	struct tt_conn *a = o->tcb[h], *b = o->tcb[!h];
	uint32_t ack = seg->ack;

	if (!(seg->flags & TT_ACK) || (seg->flags & TT_RST))
		return 0;
	/* an ACK (not a SYN) from SYN-SENT: the SYN,ACK it answers was missed;
	 * the SYN reached b before b sent it */
	if (a->state == TT_SYN_SENT && !(seg->flags & TT_SYN)) {
		arrive(o, !h, o->nq[h], now, out);
		if (b->state != TT_SYN_RECEIVED)
			return 0;
		infer(o, !h, TT_SYN | TT_ACK, ack - 1, a->snd_nxt, 0, 1, ALL_AHEAD, row, now, out);
		return TT_OBS_INFERRED;
	}
	if (!tcb_synchronized(a->state) || !tcb_synchronized(b->state) || a->state == TT_TIME_WAIT)
		return 0;
	if (!TT_SEQ_GT(ack, a->rcv_nxt))
		return 0;
	/* the window a offers in this segment reaches past SEG.ACK: what it
	 * says it took fits in it */
	a->obs_wnd = (ack - a->rcv_nxt) + seg->wnd;
	/* one number past everything b was seen sending, from an endpoint that
	 * is closing itself: b's FIN (a lost 1-byte segment looks the same, so
	 * an endpoint that is not closing is believed to have got bytes) */
	if (!b->fin_sent && !a->fin_rcvd && ack == b->snd_max + 1 && a->rcv_nxt == b->snd_max &&
	    (b->state == TT_ESTABLISHED || b->state == TT_CLOSE_WAIT) &&
	    (a->fin_sent || (seg->flags & TT_FIN))) {
		infer(o, !h, TT_FIN | TT_ACK, b->snd_max, b->rcv_nxt, 0, 1, ALL_AHEAD, row, now, out);
		return TT_OBS_INFERRED;
	}
	if (b->fin_sent && ack == b->fin_seq + 1) {
		/* b's FIN was seen sent; what came before it arrived too */
		uint32_t len = b->fin_seq - a->rcv_nxt;

		infer(o, !h, TT_FIN | TT_ACK, a->rcv_nxt, b->rcv_nxt, len, 0, 0, row, now, out);
		return TT_OBS_INFERRED;
	}
	/* bytes b was seen sending, that reached a unseen */
	if (!TT_SEQ_GT(ack, b->snd_max)) {
		infer(o, !h, TT_ACK, a->rcv_nxt, b->rcv_nxt, ack - a->rcv_nxt, 0, 0, row, now, out);
		return TT_OBS_INFERRED;
	}
	/* past all b was seen sending: bytes the capture missed, or an ACK of
	 * data never sent (RFC 5961 §5.2), which b answers with an ACK and
	 * drops (RFC 9293 §3.10.7.4, fifth). b's next segment tells which:
	 * the ACK waits in flight until then (settle_claim). */
	if (!may_send_unseen(b->state))
		return 0;
	/* b never seen speaking: the capture shows one direction only, and
	 * the ACKs are all there is to go by */
	if (!o->spoke[!h]) {
		infer(o, !h, TT_ACK, a->rcv_nxt, b->rcv_nxt, ack - a->rcv_nxt, 1, ALL_AHEAD, row, now,
		      out);
		return TT_OBS_INFERRED;
	}
	if (!o->claim[h]) {
		o->claim[h] = 1;
		o->claim_row[h] = row;
		o->claim_ack[h] = ack;
	} else if (TT_SEQ_GT(ack, o->claim_ack[h])) {
		o->claim_ack[h] = ack;
	}
	*held = 1;
	return 0;
}

/* The ACK h's claim rests on went past all !h was seen sending (missed);
 * seg is !h's next segment (NULL: none is to come, or h's ACKs can wait
 * no longer, and the capture is taken to have missed the bytes). A
 * segment that starts below the ACK says !h never sent that much, as
 * does a RST from SYN-RECEIVED: the ACK was of data never sent (or, in
 * SYN-RECEIVED, not acceptable), and arrives as it is. Else the capture missed
 * the bytes: !h sent them after what h had sent before that ACK arrived,
 * and they reached h before it. Known only now, they are said at `row`
 * (the TCBs' states at the rows between are those already said). */
static void
settle_claim(struct tt_obs *o, int h, const struct tt_seg *seg, uint64_t row, tt_time now,
             struct tt_obs_out *out)
{
	struct tt_conn *a = o->tcb[h], *b = o->tcb[!h];
	uint32_t ack = o->claim_ack[h], wnd = a->obs_wnd;
	unsigned ahead = 0;

	if (!o->claim[h])
		return;
	o->claim[h] = 0;
	/* below the ACK, or (in SYN-RECEIVED) the RST that answers an
	 * unacceptable ACK, <SEQ=SEG.ACK><CTL=RST> (§3.10.7.4, fifth) */
	if ((seg != NULL && (TT_SEQ_LT(seg->seq, ack) ||
	                     (b->state == TT_SYN_RECEIVED && (seg->flags & TT_RST)))) ||
	    !TT_SEQ_GT(ack, a->rcv_nxt) || !may_send_unseen(b->state))
		return;
	while (ahead < o->nq[h] && o->q[h][ahead].row < o->claim_row[h])
		ahead++;
	/* the window a offered reaches past the ACK: what it took fits in it */
	a->obs_wnd = (ack - a->rcv_nxt) + wnd;
	infer(o, !h, TT_ACK, a->rcv_nxt, b->rcv_nxt, ack - a->rcv_nxt, 1, ahead, row, now, out);
	a->obs_wnd = wnd;
}

/* Mid-stream: what this endpoint sends starts after iss; what it receives
 * after irs. */
static void
assume_send(struct tt_conn *c, uint32_t iss)
{
	c->iss = iss;
	c->snd_una = c->snd_nxt = c->snd_max = c->sbuf_seq = iss + 1;
}

static void
assume_receive(struct tt_conn *c, uint32_t irs)
{
	c->irs = irs;
	c->rcv_nxt = irs + 1;
}

/* Both endpoints taken to be ESTABLISHED when the capture began: their
 * numbers from this first segment (the other's, if it carries no ACK, from
 * its own first segment later). */
static void
assume_established(struct tt_conn *c, uint32_t iss, int snd_known, uint32_t irs, int rcv_known)
{
	c->state = TT_ESTABLISHED;
	c->obs_iss_seen = 1;
	if (snd_known)
		assume_send(c, iss);
	if (rcv_known)
		assume_receive(c, irs);
	c->snd_wnd = c->snd_max_wnd = OPEN_WND;
	c->peer_mss = 0;
}

static unsigned
start(struct tt_obs *o, int from, const struct tt_seg *seg, uint64_t row, tt_time now,
      struct tt_obs_out *out)
{
	unsigned ctl = seg->flags & (TT_SYN | TT_ACK | TT_RST);

	o->started = 1;
	if (ctl == TT_SYN) {
		o->presumed[!from] = 1;
		return 0;
	}
	if (ctl == (TT_SYN | TT_ACK)) {
		/* the SYN was not captured: the other end sent it, from CLOSED */
		o->presumed[from] = 1;
		infer(o, !from, TT_SYN, seg->ack - 1, 0, 0, 1, ALL_AHEAD, row, now, out);
		return TT_OBS_MIDSTREAM | TT_OBS_INFERRED;
	}
	/* the capture starts after the handshake */
	assume_established(o->tcb[from], seg->seq - 1, 1, seg->ack - 1, (seg->flags & TT_ACK) != 0);
	assume_established(o->tcb[!from], seg->ack - 1, (seg->flags & TT_ACK) != 0, seg->seq - 1, 1);
	o->unknown[!from] = !(seg->flags & TT_ACK);
	o->spoke[0] = o->spoke[1] = 1;
	return TT_OBS_MIDSTREAM;
}

static inline void
lost_copies(struct tt_obs *o, int x, const struct tt_seg *seg, struct tt_obs_out *out)
{
	uint32_t len = tcb_seqlen(seg);

	if (len == 0)
		return;
	for (unsigned i = 0; i < o->nq[x]; i++) {
		struct pend *p = &o->q[x][i];

		if (!p->refuted || p->seg.seq != seg->seq || tcb_seqlen(&p->seg) > len ||
		    (p->seg.flags & (TT_SYN | TT_ACK | TT_FIN | TT_RST)) !=
		            (seg->flags & (TT_SYN | TT_ACK | TT_FIN | TT_RST)))
			continue;
		if (out != NULL && out->n < TT_OBS_EFFECTS) {
			struct tt_obs_effect *e = &out->e[out->n++];

			memset(e, 0, offsetof(struct tt_obs_effect, tcb));
			e->row = p->row;
			e->host = !x;
			e->arrived = p->row;
			e->flags = TT_OBS_LOST;
			e->tcb.state = o->tcb[!x]->state;
		}
		memmove(p, p + 1, (o->nq[x] - i - 1) * sizeof *p);
		o->nq[x]--;
		i--;
	}
}

unsigned
tt_obs_segment(struct tt_obs *o, int from, const struct tt_seg *in, uint64_t row, tt_time now,
               struct tt_obs_out *out)
{
	int x = from & 1, y = !x;
	const struct tt_seg *seg = in;  /* its data, if any, is never read */
	struct tt_out tout;
	struct pend *p;
	unsigned r = 0;
	int held = 0;

	o->last_row = row;
	if (!o->started)
		r |= start(o, x, seg, row, now, out);
	if (o->unknown[x] && !(seg->flags & TT_SYN)) {
		/* mid-stream without an ACK at first: now x's numbers are seen */
		o->unknown[x] = 0;
		assume_send(o->tcb[x], seg->seq - 1);
		assume_receive(o->tcb[y], seg->seq - 1);
	}
	first_word(o, x, seg);
	/* still presumed listening: since before the first SYN it was sent */
	materialize(o, x, o->nq[y] > 0 ? o->q[y][0].point : row, now, out);
	/* y's ACK of more than x was seen sending: this segment tells */
	settle_claim(o, y, seg, row, now, out);
	evidence(o, x, seg, row, now, out);
	r |= missed(o, x, seg, row, now, out, &held);
	tt_out_clear(&tout);
	tt_conn_sent(o->tcb[x], seg, now, &tout);
	effect(o, out, x, row, 0, r, &tout);

	/* a copy still in flight that y has since shown it lacks, sent again:
	 * that copy was lost on the way (RFC 9293 §3.8.1) */
	lost_copies(o, x, seg, out);
	/* on its way to y */
	if (o->nq[x] == 0 && tcb_seqlen(seg) == 0 && !held) {
		deliver_seg(o, y, seg, row, 0, row, now, out);
		return r;
	}
	/* no room to wait longer: for y's word on x's claim, then for the
	 * oldest segment's ACK */
	if (o->nq[x] == TT_OBS_PENDING)
		settle_claim(o, x, NULL, row, now, out);
	if (o->nq[x] == TT_OBS_PENDING)
		arrive(o, y, 1, now, out);
	p = &o->q[x][o->nq[x]++];
	p->seg = *seg;
	p->seg.data = NULL;
	p->row = row;
	p->point = row;
	p->flags = 0;
	p->refuted = 0;
	return r;
}

void
tt_obs_flush(struct tt_obs *o, tt_time now, struct tt_obs_out *out)
{
	for (int h = 0; h < 2; h++)
		settle_claim(o, h, NULL, o->last_row, now, out);
	for (int h = 0; h < 2; h++)
		arrive(o, h, o->nq[!h], now, out);
}

/* state[0] holds the state in its low bits and whether it started */
#define R_STARTED 0x80
#define R_STATE 0x7f

enum { R_PASSIVE = 1, R_FIN_SENT = 2, R_FIN_RCVD = 4, R_ISS_SEEN = 8, R_CLOSE = 16,
       R_SPOKE = 32, R_PRESUMED = 64, R_UNKNOWN = 128 };

void
tt_obs_rest(const struct tt_obs *o, struct tt_obs_rest *r)
{
	memset(r, 0, sizeof *r);
	for (int h = 0; h < 2; h++) {
		const struct tt_conn *c = o->tcb[h];

		r->state[h] = (uint8_t)c->state;
		r->bits[h] = (uint8_t)((c->passive ? R_PASSIVE : 0) | (c->fin_sent ? R_FIN_SENT : 0) |
		                       (c->fin_rcvd ? R_FIN_RCVD : 0) |
		                       (c->obs_iss_seen ? R_ISS_SEEN : 0) |
		                       (c->close_pending ? R_CLOSE : 0) | (o->spoke[h] ? R_SPOKE : 0) |
		                       (o->presumed[h] ? R_PRESUMED : 0) |
		                       (o->unknown[h] ? R_UNKNOWN : 0));
		if (o->started && h == 0)
			r->state[h] |= R_STARTED;
		r->iss[h] = c->iss;
		r->irs[h] = c->irs;
		r->snd_una[h] = c->snd_una;
		r->snd_nxt[h] = c->snd_nxt;
		r->snd_wnd[h] = c->snd_wnd;
		r->rcv_nxt[h] = c->rcv_nxt;
		r->fin_seq[h] = c->fin_seq;
		r->obs_wnd[h] = c->obs_wnd;
	}
}

enum tt_state
tt_obs_rest_state(const struct tt_obs_rest *r, int host)
{
	return (enum tt_state)(r->state[host & 1] & R_STATE);
}

void
tt_obs_wake(struct tt_obs *o, const struct tt_obs_rest *r)
{
	o->started = (r->state[0] & R_STARTED) != 0;
	for (int h = 0; h < 2; h++) {
		struct tt_conn *c = o->tcb[h];
		unsigned b = r->bits[h];

		c->state = tt_obs_rest_state(r, h);
		c->passive = (b & R_PASSIVE) != 0;
		c->fin_sent = (b & R_FIN_SENT) != 0;
		c->fin_rcvd = (b & R_FIN_RCVD) != 0;
		c->obs_iss_seen = (b & R_ISS_SEEN) != 0;
		c->close_pending = (b & R_CLOSE) != 0;
		o->spoke[h] = (b & R_SPOKE) != 0;
		o->presumed[h] = (b & R_PRESUMED) != 0;
		o->unknown[h] = (b & R_UNKNOWN) != 0;
		c->iss = r->iss[h];
		c->irs = r->irs[h];
		c->snd_una = r->snd_una[h];
		c->snd_nxt = r->snd_nxt[h];
		c->snd_max = r->snd_nxt[h] + (c->fin_sent && r->snd_nxt[h] == r->fin_seq[h]);
		c->sbuf_seq = r->snd_nxt[h];
		c->snd_wnd = r->snd_wnd[h];
		c->snd_max_wnd = OPEN_WND;      /* not kept: the RFC 5961 floor opens */
		c->snd_wl1 = r->rcv_nxt[h] - 1; /* the next segment updates the window */
		c->snd_wl2 = r->snd_una[h];
		c->rcv_nxt = r->rcv_nxt[h];
		c->fin_seq = r->fin_seq[h];
		c->obs_wnd = r->obs_wnd[h];
	}
}
