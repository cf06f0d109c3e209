/* engine/input.c: SEGMENT ARRIVES, RFC 9293 §3.10.7, for one connection.
 * Pure, as the rest of the engine (see tcb.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/tcb.h"

/* ---- SEGMENT ARRIVES, RFC 9293 §3.10.7 --------------------------------- */

static enum tt_reason
close_reason(const struct tt_conn *c)
{
	return c->closed || c->cfg.observer ? TT_R_CLOSE_SEND_FIN : TT_R_SHUTDOWN_SEND_FIN;
}

/* §3.10.7.4 fifth, SND.WND: the window the peer offers and where it was
 * learnt (SND.WL1, SND.WL2). */
static void
set_window(struct tt_conn *c, const struct tt_seg *seg)
{
	c->snd_wnd = tcb_seg_wnd(c, seg);
	if (c->snd_wnd > c->snd_max_wnd)
		c->snd_max_wnd = c->snd_wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
}

/* RST or SYN in the SYN-RECEIVED state of a passive open: the TCB goes and
 * the listening connection stays (§3.10.7.4 second and fourth). */
static void
back_to_listen(struct tt_conn *c, struct tt_out *out, enum tt_reason r)
{
	tcb_set_state(c, out, TT_LISTEN, r, TT_E_NONE);
	tcb_delete(c);
	c->state = TT_LISTEN;
	c->passive = 1;
}

/* RFC 9293 §3.10.7.2: "any other control or text should be queued for
 * processing later": text and FIN on a SYN wait, trimmed to the window,
 * until the connection is established. */
static void keep_ooo(struct tt_conn *c, uint32_t seq, const uint8_t *data, uint32_t len, int fin);
static void take_queued_text(struct tt_conn *c, tt_time now, struct tt_out *out);

static void
queue_syn_text(struct tt_conn *c, const struct tt_seg *seg)
{
	uint32_t len = seg->len;
	int fin = !!(seg->flags & TT_FIN);

	if (len > tcb_rcv_offered(c)) {
		len = tcb_rcv_offered(c);
		fin = 0;
	}
	if (len > 0 || fin)
		keep_ooo(c, seg->seq + 1, seg->data, len, fin);
}

/* SYN-RECEIVED becomes ESTABLISHED: the window from this segment, a CLOSE
 * that waited is carried out, text queued with the SYN is processed. */
static void
establish(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	tcb_set_state(c, out, TT_ESTABLISHED, TT_R_SYNRCVD_ACK, TT_E_NONE);
	set_window(c, seg);
	tcb_idle_restart(c, now);
	if (c->close_pending && !c->fin_sent)
		tcb_set_state(c, out, TT_FIN_WAIT_1, close_reason(c), TT_E_NONE);
}

static void
ack_our_syn(struct tt_conn *c)
{
	/* RFC 6298 §5.7: a SYN that timed out leaves an RTO of 3 s */
	if (c->syn_timed_out && c->rto_base < RTO_AFTER_SYN_TIMEOUT)
		c->rto_base = RTO_AFTER_SYN_TIMEOUT;
	if (c->rto_base > c->cfg.rto_max)
		c->rto_base = c->cfg.rto_max;
	c->retries = 0;
	c->rto = c->rto_base;
	c->rtx_at = TT_NEVER;
	c->user_at = TT_NEVER;
	c->rtx_any = 0;
}

/* A SYN accepted in LISTEN (or, reopening, in TIME-WAIT): IRS recorded,
 * SYN,ACK sent, SYN-RECEIVED (§3.10.7.2). */
static void
accept_syn(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out,
           enum tt_reason r)
{
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->snd_wnd = seg->wnd;
	c->snd_max_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->peer_mss = seg->mss;
	if (c->cfg.two_way_handshake) {
		/* what-if: the server counts the connection open on the SYN alone */
		c->snd_wl2 = c->iss;
		tcb_set_state(c, out, TT_ESTABLISHED, TT_R_LISTEN_SYN_TWO_WAY, TT_E_NONE);
	} else {
		tcb_set_state(c, out, TT_SYN_RECEIVED, r, TT_E_NONE);
	}
	tcb_take_wscale(c, seg, out);
	tcb_take_ecn(c, seg, out);
	tcb_send_syn(c, out, 1);
	c->retries = 0;
	c->rto = c->rto_base;
	tcb_arm_rtx(c, now);
	queue_syn_text(c, seg);
	if (c->state == TT_ESTABLISHED)
		take_queued_text(c, now, out);
}

/* §3.10.7.2 */
static void
input_listen(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	if (seg->flags & TT_RST) {
		tcb_note(c, out, TT_R_LISTEN_DROP_RST);
		return;
	}
	if (seg->flags & TT_ACK) {
		tcb_note(c, out, TT_R_LISTEN_RST_ACK);
		tcb_emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
		return;
	}
	if (!(seg->flags & TT_SYN)) {
		tcb_note(c, out, TT_R_LISTEN_DROP);
		return;
	}
	tcb_choose_iss(c, now);
	accept_syn(c, seg, now, out, TT_R_LISTEN_SYN);
}

static void process_text_fin(struct tt_conn *c, const struct tt_seg *seg, tt_time now,
                             struct tt_out *out);

/* §3.10.7.3 */
static void
input_syn_sent(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	int ack_ok = 0;

	if (seg->flags & TT_ACK) {
		if (TT_SEQ_LEQ(seg->ack, c->iss) || TT_SEQ_GT(seg->ack, c->snd_nxt)) {
			if (seg->flags & TT_RST) {
				tcb_note(c, out, TT_R_SYNSENT_BAD_ACK_DROP);
			} else {
				tcb_note(c, out, TT_R_SYNSENT_BAD_ACK);
				tcb_emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
			}
			return;
		}
		ack_ok = TT_SEQ_LEQ(c->snd_una, seg->ack) && TT_SEQ_LEQ(seg->ack, c->snd_nxt);
	}
	if (seg->flags & TT_RST) {
		if (ack_ok) {
			tcb_set_state(c, out, TT_CLOSED, TT_R_SYNSENT_RST, TT_E_REFUSED);
			tcb_delete(c);
		} else {
			tcb_note(c, out, TT_R_SYNSENT_DROP_RST);
		}
		return;
	}
	if (!(seg->flags & TT_SYN)) {
		tcb_note(c, out, TT_R_SYNSENT_DROP);
		return;
	}
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->peer_mss = seg->mss;
	if (ack_ok) {
		tcb_rtt_ack(c, seg->ack, now);
		c->snd_una = seg->ack;
	}
	set_window(c, seg);
	if (TT_SEQ_GT(c->snd_una, c->iss)) {
		unsigned nseg;

		tcb_set_state(c, out, TT_ESTABLISHED, TT_R_SYNSENT_SYN_ACK, TT_E_NONE);
		tcb_take_wscale(c, seg, out);
		tcb_take_ecn(c, seg, out);
		ack_our_syn(c);
		tcb_idle_restart(c, now);
		/* "continue processing at the sixth step below where the URG
		 * bit is checked": text and FIN on the SYN,ACK count */
		nseg = out->nseg;
		if (seg->len > 0 || (seg->flags & (TT_FIN | TT_URG)))
			process_text_fin(c, seg, now, out);
		/* (no CLOSE can be pending: CLOSE in SYN-SENT deletes the TCB) */
		if (out->nseg == nseg)
			tcb_emit_ack(c, out);
		tcb_output(c, now, out);
	} else {
		/* simultaneous open, RFC 9293 Figure 7; text waits (§3.10.7.3) */
		tcb_set_state(c, out, TT_SYN_RECEIVED, TT_R_SYNSENT_SYN, TT_E_NONE);
		tcb_take_wscale(c, seg, out);
		tcb_send_syn(c, out, 1);
		c->retries = 0;
		c->rto = c->rto_base;
		c->rtx_at = now + c->rto;
		queue_syn_text(c, seg);
	}
}

/* §3.10.7.4 first: the four cases of the acceptability test. With a zero
 * window a segment at RCV.NXT is still taken for its ACK, URG and RST (the
 * "special allowance"); its text is refused later. */
static int
acceptable(const struct tt_conn *c, const struct tt_seg *seg)
{
	uint32_t wnd = tcb_rcv_offered(c);
	uint32_t len = tcb_seqlen(seg);

	if (len == 0 && wnd == 0)
		return seg->seq == c->rcv_nxt;
	if (len == 0)
		return TT_SEQ_LEQ(c->rcv_nxt, seg->seq) && TT_SEQ_LT(seg->seq, c->rcv_nxt + wnd);
	if (wnd == 0)
		return seg->seq == c->rcv_nxt;
	return (TT_SEQ_LEQ(c->rcv_nxt, seg->seq) && TT_SEQ_LT(seg->seq, c->rcv_nxt + wnd)) ||
	       (TT_SEQ_LEQ(c->rcv_nxt, seg->seq + len - 1) &&
	        TT_SEQ_LT(seg->seq + len - 1, c->rcv_nxt + wnd));
}

/* Drops acknowledged bytes from the send queue. */
static void
drop_acked(struct tt_conn *c)
{
	uint32_t end = tcb_fin_acked(c) ? c->fin_seq : c->snd_una;
	uint32_t n;

	if (!TT_SEQ_GT(end, c->sbuf_seq))
		return;
	n = end - c->sbuf_seq;
	if (n > c->slen)
		n = (uint32_t)c->slen;
	if (n > 0 && c->slen > n)
		memmove(c->sbuf, c->sbuf + n, c->slen - n);
	c->slen -= n;
	c->sbuf_seq += n;
}

/* SND.UNA advances to SEG.ACK: acknowledged bytes leave the queue, the
 * retransmission timer restarts. Karn (RFC 6298 §5, "Karn's algorithm"): a
 * backed-off RTO stays until an ACK covers data that was sent only once. */
static void
ack_new(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	int syn_acked = c->snd_una == c->iss;
	uint32_t acked = seg->ack - c->snd_una;

	tcb_rtt_ack(c, seg->ack, now);
	c->snd_una = seg->ack;
	c->probing = 0;
	if (TT_SEQ_GT(seg->ack, c->snd_nxt))
		c->snd_nxt = seg->ack;  /* a window probe that went back was taken */
	drop_acked(c);
	tcb_cc_ack(c, acked, seg->ack, now, out);
	if (syn_acked)
		ack_our_syn(c);
	if (c->snd_urg && TT_SEQ_GEQ(c->snd_una, c->snd_up))
		c->snd_urg = 0;
	c->retries = 0;
	if (!c->rtx_any || TT_SEQ_GT(seg->ack, c->rtx_hi)) {
		c->rto = c->rto_base;
		c->rtx_any = 0;
	}
	c->rtx_at = c->snd_una == c->snd_nxt ? TT_NEVER : now + c->rto;
	c->user_at = c->snd_una == c->snd_nxt || c->cfg.user_timeout == 0
	                     ? TT_NEVER : now + c->cfg.user_timeout;
	if (!syn_acked || seg->ack != c->iss + 1)
		tcb_note(c, out, TT_R_ACK_NEW);
}

/* §3.10.7.4 fifth, the window update. The RFC's test (SND.WL1 < SEG.SEQ or
 * SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK) is widened as Linux does: an
 * ACK that advances SND.UNA always updates, or a stale SND.WND would apply
 * from the new SND.UNA (an ACK riding on retransmitted old data). */
static void
update_window(struct tt_conn *c, const struct tt_seg *seg, int advanced, struct tt_out *out)
{
	uint32_t old = c->snd_wnd, wnd = tcb_seg_wnd(c, seg);

	if (!TT_SEQ_LEQ(c->snd_una, seg->ack))
		return;
	if (!advanced && !TT_SEQ_LT(c->snd_wl1, seg->seq) &&
	    !(c->snd_wl1 == seg->seq && TT_SEQ_LEQ(c->snd_wl2, seg->ack)))
		return;
	if (old != wnd)
		tcb_note(c, out, TT_R_ACK_WINDOW);
	set_window(c, seg);
	/* the window reopened while a probe byte was refused: it goes again
	 * as the first byte of the next segment (as BSD pulls SND.NXT back) */
	if (old == 0 && wnd > 0 && c->probing && TT_SEQ_LT(c->snd_una, c->snd_nxt)) {
		c->snd_nxt = c->snd_una;
		c->rtx_at = TT_NEVER;
		c->probing = 0;
	}
}

/* §3.10.7.4 fifth: the ACK field. Returns 0 to go on, -1 when the segment
 * is finished with (dropped, or the connection is gone). */
static int
process_ack(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	uint32_t floor = c->snd_una - c->snd_max_wnd;
	int advanced;

	if (c->state == TT_SYN_RECEIVED) {
		if (!(TT_SEQ_LT(c->snd_una, seg->ack) && TT_SEQ_LEQ(seg->ack, c->snd_max))) {
			tcb_note(c, out, TT_R_SYNRCVD_BAD_ACK);
			tcb_emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
			return -1;
		}
		establish(c, seg, now, out);
	}
	if (c->state == TT_TIME_WAIT) {
		/* only a retransmitted FIN can arrive; handled below as FIN */
		return 0;
	}
	/* RFC 9293: an ACK for data never sent */
	if (TT_SEQ_GT(seg->ack, c->snd_max)) {
		tcb_note(c, out, TT_R_ACK_TOO_FAR);
		tcb_emit_oow_ack(c, seg, now, out);
		return -1;
	}
	/* RFC 5961 §5.2: (SND.UNA - MAX.SND.WND) =< SEG.ACK */
	if (TT_SEQ_LT(seg->ack, floor)) {
		tcb_note(c, out, TT_R_ACK_TOO_OLD);
		tcb_emit_oow_ack(c, seg, now, out);
		return -1;
	}
	c->probes = 0;          /* the peer is alive */
	advanced = TT_SEQ_LT(c->snd_una, seg->ack);
	if (advanced) {
		ack_new(c, seg, now, out);
	} else if (seg->len == 0 && !(seg->flags & TT_FIN) && c->snd_una == c->snd_nxt &&
	           tcb_seg_wnd(c, seg) == c->snd_wnd) {
		/* a pure duplicate: nothing new to learn from it */
		tcb_note(c, out, TT_R_ACK_DUP);
	} else if (seg->len == 0 && !(seg->flags & (TT_FIN | TT_SYN)) && seg->ack == c->snd_una &&
	           tcb_seg_wnd(c, seg) == c->snd_wnd && c->snd_wnd != 0) {
		/* RFC 5681 §2: a duplicate ACK, data in flight. Not with the
		 * window closed: what is outstanding then is a window probe,
		 * refused by flow control, not lost (tshark's dup-ACK test also
		 * wants a nonzero window) */
		tcb_cc_dupack(c, now, out);
	}
	if ((seg->flags & TT_ECE) && c->ecn_ok)
		tcb_cc_ecn(c, out);     /* RFC 3168 §6.1.2 */
	update_window(c, seg, advanced, out);
	/* the peer refused the probe byte (its window is still zero): it goes
	 * again with the next probe, and our ACKs carry SEQ = RCV.NXT there */
	if (c->probing && c->snd_wnd == 0 && seg->ack == c->snd_una) {
		c->snd_nxt = c->snd_una;
		c->probing = 0;
	}
	c->oow->gap = 0;        /* an acceptable ACK: the reply limit starts over */
	switch (c->state) {
	case TT_FIN_WAIT_1:
		/* a FIN that also acks ours goes straight to TIME-WAIT below */
		if (tcb_fin_acked(c) && !((seg->flags & TT_FIN) && seg->seq + seg->len == c->rcv_nxt)) {
			tcb_set_state(c, out, TT_FIN_WAIT_2, TT_R_FW1_FIN_ACKED, TT_E_NONE);
			tcb_arm_fin_timeout(c, now);
		}
		break;
	case TT_CLOSING:
		if (tcb_fin_acked(c)) {
			tcb_set_state(c, out, TT_TIME_WAIT, TT_R_CLOSING_FIN_ACKED, TT_E_NONE);
			tcb_enter_time_wait(c, now);
		}
		return 0;
	case TT_LAST_ACK:
		if (tcb_fin_acked(c)) {
			tcb_set_state(c, out, TT_CLOSED, TT_R_LASTACK_FIN_ACKED, TT_E_NONE);
			tcb_delete(c);
			return -1;
		}
		return 0;
	default:
		break;
	}
	return 0;
}

/* Moves early segments that RCV.NXT has reached into the receive queue
 * (the queue is sorted by sequence number); *fin is set when a FIN kept
 * with them is now in order. A FIN that text already ran past is stale (as
 * Linux drops it), and nothing after an in-order FIN is text. */
static void
drain_ooo(struct tt_conn *c, int *fin)
{
	unsigned k = 0;

	while (k < c->nooo && !TT_SEQ_GT(c->ooo[k].seq, c->rcv_nxt)) {
		struct ooo *o = &c->ooo[k++];
		uint32_t skip = c->rcv_nxt - o->seq;

		if (skip < o->len && c->cfg.observer) {
			c->delivered += o->len - skip;   /* read at once */
			c->rcv_nxt += o->len - skip;
		} else if (skip < o->len &&
		           tt_grow(&c->rbuf, &c->rcap, c->rlen + o->len - skip, 1, TCB_QUEUE_FIRST) == 0) {
			memcpy(c->rbuf + c->rlen, o->data + skip, o->len - skip);
			c->rlen += o->len - skip;
			c->rcv_nxt += o->len - skip;
		}
		if (o->fin && c->rcv_nxt == o->seq + o->len) {
			*fin = 1;
			k = c->nooo;
		}
	}
	if (k == 0)
		return;
	for (unsigned i = 0; i < k; i++)
		free(c->ooo[i].data);
	memmove(c->ooo, c->ooo + k, (c->nooo - k) * sizeof *c->ooo);
	c->nooo -= k;
}

/* Keeps a segment that arrived ahead of RCV.NXT, in sequence order (found
 * from the back: segments mostly arrive in order). The queue holds only
 * what lies inside the window, so it needs no limit of its own. */
static void
keep_ooo(struct tt_conn *c, uint32_t seq, const uint8_t *data, uint32_t len, int fin)
{
	struct ooo *o;
	size_t i = c->nooo;

	while (i > 0 && TT_SEQ_GT(c->ooo[i - 1].seq, seq))
		i--;
	if (i > 0 && c->ooo[i - 1].seq == seq && c->ooo[i - 1].len >= len &&
	    (c->ooo[i - 1].fin || !fin))
		return;                 /* a copy of what is kept */
	if (TT_GROW(c->ooo, c->nooo, c->capooo, 8) == -1)
		return;                 /* the peer retransmits it */
	o = &c->ooo[i];
	memmove(o + 1, o, (c->nooo - i) * sizeof *o);
	/* an observer keeps where the bytes go, not the bytes */
	o->data = c->cfg.observer ? NULL : malloc(len ? len : 1);
	if (o->data == NULL && !c->cfg.observer) {
		memmove(o, o + 1, (c->nooo - i) * sizeof *o);
		return;
	}
	if (len > 0 && o->data != NULL) {
		if (data != NULL)
			memcpy(o->data, data, len);
		else
			memset(o->data, 'x', len);
	}
	o->seq = seq;
	o->len = len;
	o->fin = fin;
	c->nooo++;
}

static void
process_fin(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	c->rcv_nxt++;
	c->fin_rcvd = 1;
	switch (c->state) {
	case TT_ESTABLISHED:
		tcb_set_state(c, out, TT_CLOSE_WAIT, TT_R_FIN_EST, TT_E_NONE);
		break;
	case TT_FIN_WAIT_1:
		if (tcb_fin_acked(c)) {
			tcb_set_state(c, out, TT_TIME_WAIT, TT_R_FIN_FW1_ACKED, TT_E_NONE);
			tcb_enter_time_wait(c, now);
		} else {
			tcb_set_state(c, out, TT_CLOSING, TT_R_FIN_FW1, TT_E_NONE);
		}
		break;
	case TT_FIN_WAIT_2:
		tcb_set_state(c, out, TT_TIME_WAIT, TT_R_FIN_FW2, TT_E_NONE);
		tcb_enter_time_wait(c, now);
		break;
	default:
		tcb_note(c, out, TT_R_FIN_AGAIN);
		break;
	}
	if (c->state == TT_TIME_WAIT || c->state == TT_CLOSING)
		tcb_emit_ack(c, out);       /* nothing more will come to ride on */
	else
		tcb_ack_now_or_later(c, now, out);
}

/* Text and FIN that waited (on a SYN, or ahead of a hole) and are now in
 * order. */
static void
take_queued_text(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	uint32_t before = c->rcv_nxt;
	int fin = 0;

	if (c->nooo == 0)
		return;
	drain_ooo(c, &fin);
	if (c->rcv_nxt != before)
		tcb_note(c, out, TT_R_DATA_ACCEPT);
	if (fin && !c->fin_rcvd)
		process_fin(c, now, out);
	else if (c->rcv_nxt != before)
		tcb_ack_now_or_later(c, now, out);
}

/* §3.10.7.4 sixth: the urgent pointer (RFC 6093: it points just past the
 * last urgent byte). */
static void
process_urg(struct tt_conn *c, const struct tt_seg *seg, struct tt_out *out)
{
	uint32_t up = seg->seq + !!(seg->flags & TT_SYN) + seg->up;

	if (!(seg->flags & TT_URG) || seg->up == 0)
		return;
	if (c->state != TT_ESTABLISHED && c->state != TT_FIN_WAIT_1 && c->state != TT_FIN_WAIT_2)
		return;
	if (c->rcv_urg && !TT_SEQ_GT(up, c->rcv_up))
		return;
	c->rcv_up = up;
	/* ahead of the data consumed: the application is told */
	if (TT_SEQ_GT(up, (uint32_t)(c->rcv_nxt - c->rlen))) {
		c->rcv_urg = 1;
		tcb_note(c, out, TT_R_URG_RECEIVED);
	}
}

/* Text in order goes to the receive queue (a full-sized second segment is
 * acknowledged at once); text ahead of RCV.NXT waits. Returns -1 when the
 * segment is finished with. */
static int
take_text(struct tt_conn *c, uint32_t seq, const uint8_t *data, uint32_t len, int *fin,
          uint32_t *fin_at, tt_time now, struct tt_out *out)
{
	int fin_ooo = 0;
	/* RFC 5681 §4.2: a segment that fills all or part of a hole (text
	 * waits beyond it) is acknowledged at once, never delayed */
	int fills_hole = c->nooo > 0;

	if (seq != c->rcv_nxt) {
		tcb_note(c, out, TT_R_DATA_OUT_OF_ORDER);
		keep_ooo(c, seq, data, len, *fin);
		tcb_emit_ack(c, out);
		return -1;
	}
	if (c->cfg.observer) {
		c->delivered += len;    /* an observer's reader reads at once */
	} else {
		if (tt_grow(&c->rbuf, &c->rcap, c->rlen + len, 1, TCB_QUEUE_FIRST) == -1)
			return -1;      /* not taken: the peer retransmits */
		if (data != NULL)
			memcpy(c->rbuf + c->rlen, data, len);
		else
			memset(c->rbuf + c->rlen, 'x', len);
		c->rlen += len;
	}
	c->rcv_nxt += len;
	if (len >= tcb_eff_mss(c))
		c->full_segs++;
	tcb_note(c, out, TT_R_DATA_ACCEPT);
	drain_ooo(c, &fin_ooo);
	if (fin_ooo)
		*fin_at = c->rcv_nxt;
	*fin |= fin_ooo;
	if (*fin)
		return 0;
	if (fills_hole)
		tcb_emit_ack(c, out);
	else
		tcb_ack_now_or_later(c, now, out);
	return 0;
}

/* §3.10.7.4 sixth to eighth, for a segment whose ACK was processed: URG,
 * the text (trimmed to what is new and fits the window's right edge) and
 * the FIN, processed only once everything before it arrived. */
static void
process_text_fin(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	uint32_t seq = seg->seq + !!(seg->flags & TT_SYN);
	uint32_t len = seg->len, right = c->rcv_nxt + tcb_rcv_offered(c), fin_at;
	const uint8_t *data = seg->data;
	int fin = !!(seg->flags & TT_FIN), refused = 0;

	process_urg(c, seg, out);
	/* a FIN below RCV.NXT that is not the one already taken is stale: text
	 * already ran past it (as Linux drops it) */
	if (fin && TT_SEQ_LT(seq + len, c->rcv_nxt) && !(c->fin_rcvd && seq + len + 1 == c->rcv_nxt))
		fin = 0;
	if (TT_SEQ_LT(seq, c->rcv_nxt)) {
		uint32_t skip = c->rcv_nxt - seq;

		len = skip >= len ? 0 : len - skip;
		if (data != NULL && len > 0)
			data += skip;
		seq = c->rcv_nxt;
	}
	if (len > 0 && TT_SEQ_GT(seq + len, right)) {
		len = TT_SEQ_GT(right, seq) ? right - seq : 0;
		fin = 0;                /* the FIN lies beyond the window */
		refused = 1;
	}
	fin_at = seq + len;
	if (len > 0 && c->closed && (c->state == TT_FIN_WAIT_1 || c->state == TT_FIN_WAIT_2)) {
		/* RFC 2525 §2.17: nobody will read it (later states ignore text) */
		tcb_reset_and_delete(c, out, TT_R_DATA_AFTER_CLOSE);
		return;
	}
	if (len > 0) {
		switch (c->state) {
		case TT_ESTABLISHED: case TT_FIN_WAIT_1: case TT_FIN_WAIT_2:
			if (take_text(c, seq, data, len, &fin, &fin_at, now, out) == -1)
				return;
			break;
		default:
			tcb_note(c, out, TT_R_DATA_IGNORED);
			break;
		}
	} else if (refused) {
		tcb_note(c, out, TT_R_DATA_BEYOND_WINDOW);
		tcb_emit_ack(c, out);
	} else if (fin && fin_at != c->rcv_nxt && !c->fin_rcvd &&
	           (c->state == TT_ESTABLISHED || c->state == TT_FIN_WAIT_1 ||
	            c->state == TT_FIN_WAIT_2)) {
		/* a FIN beyond a hole: keep it until the hole is filled */
		tcb_note(c, out, TT_R_DATA_OUT_OF_ORDER);
		keep_ooo(c, fin_at, NULL, 0, 1);
		tcb_emit_ack(c, out);
		return;
	}
	if (fin && fin_at == c->rcv_nxt && !c->fin_rcvd) {
		process_fin(c, now, out);
	} else if (fin && c->fin_rcvd) {
		tcb_note(c, out, TT_R_FIN_AGAIN);
		tcb_emit_ack(c, out);
	}
}

/* RFC 1122 §4.2.2.13 (and Linux): a SYN above RCV.NXT in TIME-WAIT starts a
 * new incarnation at once, its ISS above anything the old one sent. */
static void
reopen_time_wait(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	uint32_t floor = c->snd_max + 65535 + 2;

	tcb_delete(c);
	c->state = TT_TIME_WAIT;        /* so the event reads TIME-WAIT -> SYN-RECEIVED */
	c->passive = 1;
	tcb_choose_iss(c, now);
	if (TT_SEQ_LT(c->iss, floor)) {
		c->iss = floor;
		c->snd_una = floor;
		c->snd_nxt = c->snd_max = c->sbuf_seq = floor + 1;
	}
	accept_syn(c, seg, now, out, TT_R_TW_REOPEN);
}

/* What comes before the RFC's steps: TIME-WAIT's retransmitted FIN and new
 * SYN, and the SYN,ACK of a simultaneous open. Returns 1 when handled. */
static int
input_special(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	unsigned ctl = seg->flags & (TT_SYN | TT_ACK | TT_RST);

	/* TIME-WAIT: "the only thing that can arrive in this state is a
	 * retransmission of the remote FIN" (§3.10.7.4, fifth, TIME-WAIT). */
	if (c->state == TT_TIME_WAIT && (seg->flags & TT_FIN) && !(seg->flags & TT_RST) &&
	    seg->seq + tcb_seqlen(seg) == c->rcv_nxt) {
		tcb_note(c, out, TT_R_TW_FIN_AGAIN);
		tcb_emit_ack(c, out);
		tcb_enter_time_wait(c, now);
		return 1;
	}
	if (c->state == TT_TIME_WAIT && c->cfg.tw_reuse && ctl == TT_SYN &&
	    TT_SEQ_GT(seg->seq, c->rcv_nxt)) {
		reopen_time_wait(c, seg, now, out);
		return 1;
	}
	/* Simultaneous open (RFC 9293 Figure 7, line 6): the peer's SYN,ACK
	 * repeats the SYN already received; its ACK completes the handshake.
	 * A passive open takes the RFC's path: the SYN,ACK is old, an ACK. */
	if (c->state == TT_SYN_RECEIVED && !c->passive && ctl == (TT_SYN | TT_ACK) &&
	    seg->seq == c->irs && TT_SEQ_LT(c->snd_una, seg->ack) &&
	    TT_SEQ_LEQ(seg->ack, c->snd_nxt)) {
		tcb_rtt_ack(c, seg->ack, now);
		c->snd_una = seg->ack;
		ack_our_syn(c);
		establish(c, seg, now, out);
		take_queued_text(c, now, out);
		tcb_output(c, now, out);
		return 1;
	}
	return 0;
}

/* §3.10.7.4 for the synchronized states, in the RFC's order; each step the
 * code does not carry out says why where it would be. */
static void
input_sync(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	int was_synrcvd = c->state == TT_SYN_RECEIVED;

	if (input_special(c, seg, now, out))
		return;
	/* first: check sequence number */
	if (!acceptable(c, seg)) {
		if (seg->flags & TT_RST) {
			tcb_note(c, out, TT_R_UNACCEPTABLE_RST);
		} else {
			tcb_note(c, out, TT_R_UNACCEPTABLE);
			tcb_emit_oow_ack(c, seg, now, out);
		}
		return;
	}
	/* second: RST (with RFC 5961 §3.2 challenge ACK) */
	if (seg->flags & TT_RST) {
		if (seg->seq != c->rcv_nxt && !c->cfg.no_challenge_ack) {
			tcb_note(c, out, TT_R_RST_CHALLENGE);
			tcb_emit_oow_ack(c, seg, now, out);
			return;
		}
		switch (c->state) {
		case TT_SYN_RECEIVED:
			if (c->passive) {
				back_to_listen(c, out, TT_R_RST_SYNRCVD_PASSIVE);
			} else {
				tcb_set_state(c, out, TT_CLOSED, TT_R_RST_SYNRCVD_ACTIVE, TT_E_REFUSED);
				tcb_delete(c);
			}
			return;
		case TT_CLOSING: case TT_LAST_ACK: case TT_TIME_WAIT:
			tcb_set_state(c, out, TT_CLOSED, TT_R_RST_CLOSE, TT_E_NONE);
			tcb_delete(c);
			return;
		default:
			tcb_set_state(c, out, TT_CLOSED, TT_R_RST_RESET, TT_E_RESET);
			tcb_delete(c);
			return;
		}
	}
	/* third: security. Nothing to check: segments carry no IP security
	 * option here (RFC 9293 keeps the step only for the MLS option of
	 * RFC 1108), so no segment can fail it. */
	/* fourth: SYN */
	if (seg->flags & TT_SYN) {
		if (c->state == TT_SYN_RECEIVED && c->passive) {
			back_to_listen(c, out, TT_R_SYN_SYNRCVD_PASSIVE);
			return;
		}
		/* a retransmitted SYN,ACK in ESTABLISHED (our ACK was lost) is
		 * answered by the same challenge ACK, which is what repairs it */
		tcb_note(c, out, TT_R_SYN_CHALLENGE);
		tcb_emit_oow_ack(c, seg, now, out);
		return;
	}
	/* fifth: ACK */
	if (!(seg->flags & TT_ACK)) {
		tcb_note(c, out, TT_R_NO_ACK_DROP);
		return;
	}
	tcb_ecn_arrived(c, seg, out);   /* RFC 3168 §6.1.3: CWR, then CE */
	if (process_ack(c, seg, now, out) == -1)
		return;
	tcb_idle_restart(c, now);
	if (was_synrcvd)
		take_queued_text(c, now, out);
	/* sixth to eighth: URG, text, FIN */
	process_text_fin(c, seg, now, out);
	if (c->state == TT_CLOSED)
		return;
	/* data or a FIN may now go out: the window may have opened */
	tcb_output(c, now, out);
	if (c->ack_pending && c->cfg.delack == 0)
		tcb_emit_ack(c, out);
}

void
tt_conn_input(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	switch (c->state) {
	case TT_CLOSED:
		/* §3.10.7.1: all data discarded; anything but a RST gets a RST */
		if (seg->flags & TT_RST) {
			tcb_note(c, out, TT_R_CLOSED_DROP_RST);
		} else {
			tcb_note(c, out, TT_R_CLOSED_RST);
			tcb_emit_rst_for(c, out, seg);
		}
		return;
	case TT_LISTEN:
		input_listen(c, seg, now, out);
		return;
	case TT_SYN_SENT:
		input_syn_sent(c, seg, now, out);
		return;
	default:
		input_sync(c, seg, now, out);
		return;
	}
}

