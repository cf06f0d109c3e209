/* engine/tcp.c: RFC 9293 §3.10 event processing for one connection.
 *
 * Pure: no I/O, no clock, no globals. Every entry point takes the current
 * virtual time and a struct tt_out that receives the segments to send and
 * the events that explain what happened. Sequence numbers are compared only
 * with the wraparound-safe TT_SEQ_* macros.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "engine/tcp.h"

#define OOO_MAX 8

struct ooo {                    /* a segment that arrived ahead of RCV.NXT */
	uint32_t seq, len;
	int fin;
	uint8_t *data;
};

struct tt_conn {
	struct tt_config cfg;
	enum tt_state state;
	int passive;            /* opened by LISTEN: SYN-RECEIVED falls back to LISTEN */
	uint32_t cfg_iss;

	/* RFC 9293 §3.3.1 send and receive sequence variables */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2, snd_max_wnd;
	uint32_t rcv_nxt;
	uint16_t peer_mss;

	/* send queue: bytes from sequence number sbuf_seq onward, acked ones dropped */
	uint8_t *sbuf;
	size_t slen, scap;
	uint32_t sbuf_seq;
	int close_pending;      /* CLOSE called: FIN goes after the queued data */
	int fin_sent, fin_acked;
	uint32_t fin_seq;

	/* receive queue: in-order bytes not yet read, and what arrived early */
	uint8_t *rbuf;
	size_t rlen, rcap;
	int fin_rcvd;
	unsigned nooo;
	struct ooo ooo[OOO_MAX];
	uint64_t delivered;

	/* timers: deadlines on the virtual clock, TT_NEVER when off */
	tt_time rto, rtx_at, tw_at, ka_at, delack_at, user_at;
	unsigned retries, ka_sent;
	int keepalive, ack_pending;
};

/* ---- small helpers ---------------------------------------------------- */

static void
event(struct tt_out *out, enum tt_reason r, enum tt_state from, enum tt_state to, enum tt_error e)
{
	if (out->nev < TT_OUT_EVENTS) {
		out->ev[out->nev].reason = r;
		out->ev[out->nev].from = from;
		out->ev[out->nev].to = to;
		out->ev[out->nev].error = e;
		out->nev++;
	}
}

/* Records a reason without a state change. */
static void
note(struct tt_conn *c, struct tt_out *out, enum tt_reason r)
{
	event(out, r, c->state, c->state, TT_E_NONE);
}

static void
set_state(struct tt_conn *c, struct tt_out *out, enum tt_state to, enum tt_reason r,
          enum tt_error e)
{
	event(out, r, c->state, to, e);
	c->state = to;
}

static uint32_t
rcv_wnd(const struct tt_conn *c)
{
	return c->rlen >= c->cfg.rcv_wnd ? 0 : c->cfg.rcv_wnd - (uint32_t)c->rlen;
}

static void
emit(struct tt_conn *c, struct tt_out *out, uint32_t seq, uint32_t ack, unsigned flags,
     const uint8_t *data, uint32_t len)
{
	struct tt_seg *s;

	if (out->nseg >= TT_OUT_SEGS)
		return;
	s = &out->seg[out->nseg++];
	memset(s, 0, sizeof *s);
	s->seq = seq;
	s->ack = (flags & TT_ACK) ? ack : 0;
	s->flags = (uint16_t)flags;
	s->wnd = (flags & TT_RST) ? 0 : rcv_wnd(c);
	if (s->wnd > 65535)
		s->wnd = 65535;
	if (flags & TT_SYN)
		s->mss = c->cfg.mss;
	s->data = data;
	s->len = len;
	if ((flags & TT_ACK) && !(flags & TT_RST)) {
		c->ack_pending = 0;
		c->delack_at = TT_NEVER;
	}
}

/* A reset in reply to a segment, never from our TCB: RFC 9293 §3.10.7.1. */
static void
emit_rst_for(struct tt_conn *c, struct tt_out *out, const struct tt_seg *seg)
{
	if (seg->flags & TT_ACK)
		emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
	else
		emit(c, out, 0, seg->seq + tt_seg_seqlen(seg), TT_RST | TT_ACK, NULL, 0);
}

static void
emit_ack(struct tt_conn *c, struct tt_out *out)
{
	emit(c, out, c->snd_nxt, c->rcv_nxt, TT_ACK, NULL, 0);
}

static void
free_queues(struct tt_conn *c)
{
	free(c->sbuf);
	free(c->rbuf);
	for (unsigned i = 0; i < c->nooo; i++)
		free(c->ooo[i].data);
	c->sbuf = c->rbuf = NULL;
	c->slen = c->scap = c->rlen = c->rcap = 0;
	c->nooo = 0;
}

/* The TCB is deleted: RFC 9293 "delete the TCB, enter the CLOSED state".
 * The connection object stays, in CLOSED, answering segments with RST. */
static void
delete_tcb(struct tt_conn *c)
{
	uint32_t cfg_iss = c->cfg_iss;
	struct tt_config cfg = c->cfg;

	free_queues(c);
	memset(c, 0, sizeof *c);
	c->cfg = cfg;
	c->cfg_iss = cfg_iss;
	c->state = TT_CLOSED;
	c->rto = cfg.rto_initial;
	c->rtx_at = c->tw_at = c->ka_at = c->delack_at = c->user_at = TT_NEVER;
}

static int
reserve(uint8_t **buf, size_t *cap, size_t need)
{
	size_t ncap;
	uint8_t *nb;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 256;
	while (ncap < need)
		ncap *= 2;
	nb = realloc(*buf, ncap);
	if (nb == NULL)
		return -1;
	*buf = nb;
	*cap = ncap;
	return 0;
}

static int
synchronized(enum tt_state s)
{
	return s >= TT_ESTABLISHED || s == TT_SYN_RECEIVED;
}

/* Sequence number just past the last byte handed to SEND. */
static uint32_t
send_end(const struct tt_conn *c)
{
	return c->sbuf_seq + (uint32_t)c->slen;
}

static void
arm_rtx(struct tt_conn *c, tt_time now)
{
	if (c->rtx_at == TT_NEVER)
		c->rtx_at = now + c->rto;
	if (c->cfg.user_timeout > 0 && c->user_at == TT_NEVER)
		c->user_at = now + c->cfg.user_timeout;
}

static void
idle_restart(struct tt_conn *c, tt_time now)
{
	c->ka_sent = 0;
	if (c->keepalive && synchronized(c->state) && c->state != TT_TIME_WAIT)
		c->ka_at = now + c->cfg.ka_idle;
	else
		c->ka_at = TT_NEVER;
}

/* ---- construction ----------------------------------------------------- */

void
tt_config_default(struct tt_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->rto_initial = TT_SEC(1);   /* RFC 6298 §2.1 */
	cfg->rto_min = TT_SEC(1);
	cfg->rto_max = TT_SEC(60);
	cfg->syn_retries = 6;
	cfg->data_retries = 15;
	cfg->msl = TT_SEC(120);         /* RFC 9293 §3.4.2: MSL of 2 minutes */
	cfg->ka_idle = TT_SEC(7200);    /* RFC 1122 §4.2.3.6: no less than two hours */
	cfg->ka_interval = TT_SEC(75);
	cfg->ka_probes = 10;
	cfg->delack = 0;
	cfg->rcv_wnd = 65535;
	cfg->mss = 1460;
}

void
tt_config_linux(struct tt_config *cfg)
{
	tt_config_default(cfg);
	cfg->ka_idle = TT_SEC(7200);    /* net.ipv4.tcp_keepalive_time */
	cfg->ka_interval = TT_SEC(75);  /* tcp_keepalive_intvl */
	cfg->ka_probes = 9;             /* tcp_keepalive_probes */
	cfg->msl = TT_SEC(30);          /* TCP_TIMEWAIT_LEN is a fixed 60 s */
	cfg->rto_min = TT_MS(200);
	cfg->rto_max = TT_SEC(120);
	cfg->syn_retries = 6;
}

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
	c->cfg_iss = iss;
	delete_tcb(c);
	return c;
}

void
tt_conn_free(struct tt_conn *c)
{
	if (c == NULL)
		return;
	free_queues(c);
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
	n->sbuf = dup_bytes(c->sbuf, c->slen, c->scap);
	n->rbuf = dup_bytes(c->rbuf, c->rlen, c->rcap);
	for (unsigned i = 0; i < c->nooo; i++)
		n->ooo[i].data = dup_bytes(c->ooo[i].data, c->ooo[i].len, c->ooo[i].len);
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
	v->rcv_wnd = c->state == TT_CLOSED ? 0 : rcv_wnd(c);
	v->snd_queued = (uint32_t)c->slen;
	v->rcv_queued = (uint32_t)c->rlen;
	v->delivered = c->delivered;
	v->fin_sent = c->fin_sent;
	v->fin_rcvd = c->fin_rcvd;
	v->keepalive = c->keepalive;
	v->retries = c->retries;
	v->rto = c->rto;
	v->rtx_at = c->rtx_at;
	v->tw_at = c->tw_at;
	v->ka_at = c->ka_at;
	v->delack_at = c->delack_at;
	v->user_at = c->user_at;
}

/* ---- output ----------------------------------------------------------- */

/* Sends what the window allows of the queued data, then the FIN when CLOSE
 * has been called and the queue is drained, then a pending ACK. */
static void
output(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	uint32_t mss = c->peer_mss ? c->peer_mss : 536;

	if (mss > c->cfg.mss)
		mss = c->cfg.mss;
	if (c->state != TT_ESTABLISHED && c->state != TT_CLOSE_WAIT &&
	    c->state != TT_FIN_WAIT_1 && c->state != TT_LAST_ACK && c->state != TT_CLOSING) {
		return;
	}
	while (TT_SEQ_LT(c->snd_nxt, send_end(c))) {
		uint32_t wnd_end = c->snd_una + c->snd_wnd;
		uint32_t n = send_end(c) - c->snd_nxt;
		unsigned flags = TT_ACK;

		if (!TT_SEQ_LT(c->snd_nxt, wnd_end)) {
			/* zero window: RFC 9293 §3.8.6.1 persist, probe after the RTO */
			if (c->snd_una == c->snd_nxt)
				arm_rtx(c, now);
			break;
		}
		if (n > wnd_end - c->snd_nxt)
			n = wnd_end - c->snd_nxt;
		if (n > mss)
			n = mss;
		if (c->snd_nxt + n == send_end(c))
			flags |= TT_PSH;
		emit(c, out, c->snd_nxt, c->rcv_nxt, flags, c->sbuf + (c->snd_nxt - c->sbuf_seq), n);
		c->snd_nxt += n;
		arm_rtx(c, now);
		if (out->nseg >= TT_OUT_SEGS)
			return;
	}
	if (c->close_pending && !c->fin_sent && c->snd_nxt == send_end(c)) {
		c->fin_seq = c->snd_nxt;
		c->fin_sent = 1;
		emit(c, out, c->snd_nxt, c->rcv_nxt, TT_FIN | TT_ACK, NULL, 0);
		c->snd_nxt++;
		arm_rtx(c, now);
	}
}

static void
ack_now_or_later(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	if (c->cfg.delack > 0) {
		c->ack_pending = 1;
		if (c->delack_at == TT_NEVER)
			c->delack_at = now + c->cfg.delack;
	} else {
		emit_ack(c, out);
	}
}

static void
send_syn(struct tt_conn *c, struct tt_out *out, int with_ack)
{
	emit(c, out, c->iss, c->rcv_nxt, with_ack ? TT_SYN | TT_ACK : TT_SYN, NULL, 0);
}

/* RFC 9293 §3.10.1: select an ISS; SND.UNA = ISS, SND.NXT = ISS+1. The ISS
 * is the host's configured one, so that scenarios stay repeatable. */
static void
choose_iss(struct tt_conn *c)
{
	c->iss = c->cfg_iss;
	c->snd_una = c->iss;
	c->snd_nxt = c->iss + 1;
	c->sbuf_seq = c->iss + 1;
}

/* ---- user calls, RFC 9293 §3.10.1-3.10.6 ------------------------------- */

enum tt_error
tt_conn_open(struct tt_conn *c, int active, tt_time now, struct tt_out *out)
{
	enum tt_state from = c->state;

	if (c->state == TT_LISTEN && active) {
		/* §3.10.1: LISTEN with the foreign socket now specified */
		c->passive = 0;
		choose_iss(c);
		set_state(c, out, TT_SYN_SENT, TT_R_OPEN_LISTEN_ACTIVE, TT_E_NONE);
		send_syn(c, out, 0);
		arm_rtx(c, now);
		return TT_E_NONE;
	}
	if (c->state != TT_CLOSED) {
		event(out, TT_R_OPEN_EXISTS, from, from, TT_E_EXISTS);
		return TT_E_EXISTS;
	}
	delete_tcb(c);
	if (!active) {
		c->passive = 1;
		set_state(c, out, TT_LISTEN, TT_R_OPEN_PASSIVE, TT_E_NONE);
		return TT_E_NONE;
	}
	choose_iss(c);
	set_state(c, out, TT_SYN_SENT, TT_R_OPEN_ACTIVE, TT_E_NONE);
	send_syn(c, out, 0);
	arm_rtx(c, now);
	return TT_E_NONE;
}

enum tt_error
tt_conn_send(struct tt_conn *c, const uint8_t *data, size_t len, tt_time now, struct tt_out *out)
{
	switch (c->state) {
	case TT_CLOSED:
		event(out, TT_R_SEND_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_LISTEN:
		event(out, TT_R_SEND_LISTEN, c->state, c->state, TT_E_FOREIGN);
		return TT_E_FOREIGN;
	case TT_FIN_WAIT_1: case TT_FIN_WAIT_2: case TT_CLOSING: case TT_LAST_ACK:
	case TT_TIME_WAIT:
		event(out, TT_R_SEND_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	default:
		break;
	}
	if (c->close_pending) {
		event(out, TT_R_SEND_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	}
	if (len == 0)
		return TT_E_NONE;
	if (reserve(&c->sbuf, &c->scap, c->slen + len) == -1)
		return TT_E_NO_CONN;
	if (data != NULL)
		memcpy(c->sbuf + c->slen, data, len);
	else
		memset(c->sbuf + c->slen, 'x', len);
	c->slen += len;
	if (c->state == TT_SYN_SENT || c->state == TT_SYN_RECEIVED) {
		note(c, out, TT_R_SEND_QUEUED);
		return TT_E_NONE;
	}
	note(c, out, TT_R_SEND_DATA);
	output(c, now, out);
	return TT_E_NONE;
}

enum tt_error
tt_conn_receive(struct tt_conn *c, uint8_t *buf, size_t cap, size_t *got, tt_time now,
                struct tt_out *out)
{
	uint32_t wnd_before = rcv_wnd(c);
	size_t n;

	*got = 0;
	switch (c->state) {
	case TT_CLOSED:
		event(out, TT_R_SEND_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_CLOSING: case TT_LAST_ACK: case TT_TIME_WAIT:
		event(out, TT_R_CLOSE_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	case TT_CLOSE_WAIT:
		if (c->rlen == 0) {
			event(out, TT_R_CLOSE_CLOSING, c->state, c->state, TT_E_CLOSING);
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
	note(c, out, TT_R_RECEIVE_DATA);
	/* A window that opened from (nearly) closed is announced at once. */
	if (synchronized(c->state) && wnd_before < c->cfg.mss && rcv_wnd(c) >= c->cfg.mss)
		emit_ack(c, out);
	(void)now;
	return TT_E_NONE;
}

enum tt_error
tt_conn_close(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	switch (c->state) {
	case TT_CLOSED:
		event(out, TT_R_CLOSE_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_LISTEN:
		set_state(c, out, TT_CLOSED, TT_R_CLOSE_LISTEN, TT_E_NONE);
		delete_tcb(c);
		return TT_E_NONE;
	case TT_SYN_SENT:
		set_state(c, out, TT_CLOSED, TT_R_CLOSE_SYN_SENT, TT_E_NONE);
		delete_tcb(c);
		return TT_E_NONE;
	case TT_SYN_RECEIVED:
		/* §3.10.4: FIN now if nothing is queued, else after ESTABLISHED */
		c->close_pending = 1;
		if (c->slen == 0) {
			set_state(c, out, TT_FIN_WAIT_1, TT_R_CLOSE_SEND_FIN, TT_E_NONE);
			c->fin_seq = c->snd_nxt;
			c->fin_sent = 1;
			emit(c, out, c->snd_nxt, c->rcv_nxt, TT_FIN | TT_ACK, NULL, 0);
			c->snd_nxt++;
			arm_rtx(c, now);
		} else {
			note(c, out, TT_R_CLOSE_QUEUED);
		}
		return TT_E_NONE;
	case TT_ESTABLISHED:
		c->close_pending = 1;
		set_state(c, out, TT_FIN_WAIT_1, TT_R_CLOSE_SEND_FIN, TT_E_NONE);
		output(c, now, out);
		return TT_E_NONE;
	case TT_CLOSE_WAIT:
		c->close_pending = 1;
		set_state(c, out, TT_LAST_ACK, TT_R_CLOSE_SEND_FIN, TT_E_NONE);
		output(c, now, out);
		return TT_E_NONE;
	default:
		event(out, TT_R_CLOSE_CLOSING, c->state, c->state, TT_E_CLOSING);
		return TT_E_CLOSING;
	}
}

enum tt_error
tt_conn_abort(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	(void)now;
	switch (c->state) {
	case TT_CLOSED:
		event(out, TT_R_CLOSE_NO_CONN, c->state, c->state, TT_E_NO_CONN);
		return TT_E_NO_CONN;
	case TT_LISTEN: case TT_SYN_SENT: case TT_CLOSING: case TT_LAST_ACK: case TT_TIME_WAIT:
		set_state(c, out, TT_CLOSED, TT_R_ABORT_QUIET, TT_E_NONE);
		break;
	default:
		/* §3.10.5: <SEQ=SND.NXT><CTL=RST> */
		set_state(c, out, TT_CLOSED, TT_R_ABORT, TT_E_NONE);
		emit(c, out, c->snd_nxt, 0, TT_RST, NULL, 0);
		break;
	}
	delete_tcb(c);
	return TT_E_NONE;
}

void
tt_conn_keepalive(struct tt_conn *c, int on, tt_time now)
{
	c->keepalive = on;
	idle_restart(c, now);
}

/* ---- SEGMENT ARRIVES, RFC 9293 §3.10.7 --------------------------------- */

/* §3.10.7.2 */
static void
input_listen(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	if (seg->flags & TT_RST) {
		note(c, out, TT_R_LISTEN_DROP_RST);
		return;
	}
	if (seg->flags & TT_ACK) {
		note(c, out, TT_R_LISTEN_RST_ACK);
		emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
		return;
	}
	if (!(seg->flags & TT_SYN)) {
		note(c, out, TT_R_LISTEN_DROP);
		return;
	}
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	choose_iss(c);
	c->snd_wnd = seg->wnd;
	c->snd_max_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->peer_mss = seg->mss;
	if (c->cfg.two_way_handshake) {
		/* what-if: the server counts the connection open on the SYN alone */
		c->snd_wl2 = c->iss;
		set_state(c, out, TT_ESTABLISHED, TT_R_LISTEN_SYN_TWO_WAY, TT_E_NONE);
	} else {
		set_state(c, out, TT_SYN_RECEIVED, TT_R_LISTEN_SYN, TT_E_NONE);
	}
	send_syn(c, out, 1);
	c->retries = 0;
	c->rto = c->cfg.rto_initial;
	arm_rtx(c, now);
	/* Data on a SYN is queued until the connection is established; this
	 * engine, like most stacks without TCP Fast Open, simply ignores it. */
}

static void
ack_our_syn(struct tt_conn *c, tt_time now)
{
	c->retries = 0;
	c->rto = c->cfg.rto_initial;
	c->rtx_at = TT_NEVER;
	c->user_at = TT_NEVER;
	(void)now;
}

/* §3.10.7.3 */
static void
input_syn_sent(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	int ack_ok = 0;

	if (seg->flags & TT_ACK) {
		if (TT_SEQ_LEQ(seg->ack, c->iss) || TT_SEQ_GT(seg->ack, c->snd_nxt)) {
			if (seg->flags & TT_RST) {
				note(c, out, TT_R_SYNSENT_BAD_ACK_DROP);
			} else {
				note(c, out, TT_R_SYNSENT_BAD_ACK);
				emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
			}
			return;
		}
		ack_ok = TT_SEQ_LEQ(c->snd_una, seg->ack) && TT_SEQ_LEQ(seg->ack, c->snd_nxt);
	}
	if (seg->flags & TT_RST) {
		if (ack_ok) {
			set_state(c, out, TT_CLOSED, TT_R_SYNSENT_RST, TT_E_REFUSED);
			delete_tcb(c);
		} else {
			note(c, out, TT_R_SYNSENT_DROP_RST);
		}
		return;
	}
	if (!(seg->flags & TT_SYN)) {
		note(c, out, TT_R_SYNSENT_DROP);
		return;
	}
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->peer_mss = seg->mss;
	if (ack_ok) {
		c->snd_una = seg->ack;
		c->sbuf_seq = c->iss + 1;
	}
	c->snd_wnd = seg->wnd;
	c->snd_max_wnd = seg->wnd;
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	if (TT_SEQ_GT(c->snd_una, c->iss)) {
		set_state(c, out, TT_ESTABLISHED, TT_R_SYNSENT_SYN_ACK, TT_E_NONE);
		ack_our_syn(c, now);
		emit_ack(c, out);
		idle_restart(c, now);
		output(c, now, out);
		if (c->close_pending && !c->fin_sent) {
			set_state(c, out, TT_FIN_WAIT_1, TT_R_CLOSE_SEND_FIN, TT_E_NONE);
			output(c, now, out);
		}
	} else {
		/* simultaneous open, RFC 9293 Figure 7 */
		set_state(c, out, TT_SYN_RECEIVED, TT_R_SYNSENT_SYN, TT_E_NONE);
		send_syn(c, out, 1);
		c->retries = 0;
		c->rto = c->cfg.rto_initial;
		c->rtx_at = now + c->rto;
	}
}

/* §3.10.7.4 first: the four cases of the acceptability test. */
static int
acceptable(const struct tt_conn *c, const struct tt_seg *seg)
{
	uint32_t wnd = rcv_wnd(c);
	uint32_t len = tt_seg_seqlen(seg);

	if (len == 0 && wnd == 0)
		return seg->seq == c->rcv_nxt;
	if (len == 0)
		return TT_SEQ_LEQ(c->rcv_nxt, seg->seq) && TT_SEQ_LT(seg->seq, c->rcv_nxt + wnd);
	if (wnd == 0)
		return 0;
	return (TT_SEQ_LEQ(c->rcv_nxt, seg->seq) && TT_SEQ_LT(seg->seq, c->rcv_nxt + wnd)) ||
	       (TT_SEQ_LEQ(c->rcv_nxt, seg->seq + len - 1) &&
	        TT_SEQ_LT(seg->seq + len - 1, c->rcv_nxt + wnd));
}

static void
enter_time_wait(struct tt_conn *c, tt_time now)
{
	c->rtx_at = c->ka_at = c->user_at = c->delack_at = TT_NEVER;
	c->tw_at = now + 2 * c->cfg.msl;
}

/* Our FIN has been acknowledged when SND.UNA passed it. */
static int
fin_acked(const struct tt_conn *c)
{
	return c->fin_sent && TT_SEQ_GT(c->snd_una, c->fin_seq);
}

/* Drops acknowledged bytes from the send queue. */
static void
drop_acked(struct tt_conn *c)
{
	uint32_t end = c->fin_sent && TT_SEQ_GT(c->snd_una, c->fin_seq) ? c->fin_seq : c->snd_una;
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

/* §3.10.7.4 fifth: the ACK field. Returns 0 to go on, -1 when the segment
 * is finished with (dropped, or the connection is gone). */
static int
process_ack(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	if (c->state == TT_SYN_RECEIVED) {
		if (TT_SEQ_LT(c->snd_una, seg->ack) && TT_SEQ_LEQ(seg->ack, c->snd_nxt)) {
			set_state(c, out, TT_ESTABLISHED, TT_R_SYNRCVD_ACK, TT_E_NONE);
			c->snd_wnd = seg->wnd;
			if (seg->wnd > c->snd_max_wnd)
				c->snd_max_wnd = seg->wnd;
			c->snd_wl1 = seg->seq;
			c->snd_wl2 = seg->ack;
			idle_restart(c, now);
			if (c->close_pending && !c->fin_sent)
				set_state(c, out, TT_FIN_WAIT_1, TT_R_CLOSE_SEND_FIN, TT_E_NONE);
		} else {
			note(c, out, TT_R_SYNRCVD_BAD_ACK);
			emit(c, out, seg->ack, 0, TT_RST, NULL, 0);
			return -1;
		}
	}
	if (c->state == TT_TIME_WAIT) {
		/* only a retransmitted FIN can arrive; handled below as FIN */
		return 0;
	}
	/* RFC 5961 §5.2 / RFC 9293: an ACK for data never sent */
	if (TT_SEQ_GT(seg->ack, c->snd_nxt)) {
		note(c, out, TT_R_ACK_TOO_FAR);
		emit_ack(c, out);
		return -1;
	}
	if (TT_SEQ_LT(c->snd_una, seg->ack)) {
		int syn_acked = c->snd_una == c->iss;

		c->snd_una = seg->ack;
		drop_acked(c);
		if (syn_acked)
			ack_our_syn(c, now);
		c->retries = 0;
		c->rto = c->cfg.rto_initial;
		c->rtx_at = c->snd_una == c->snd_nxt ? TT_NEVER : now + c->rto;
		c->user_at = c->snd_una == c->snd_nxt || c->cfg.user_timeout == 0
		                     ? TT_NEVER : now + c->cfg.user_timeout;
		if (!syn_acked || seg->ack != c->iss + 1)
			note(c, out, TT_R_ACK_NEW);
	} else if (seg->len == 0 && !(seg->flags & TT_FIN) && c->snd_una == c->snd_nxt &&
	           seg->wnd == c->snd_wnd) {
		/* a pure duplicate: nothing new to learn from it */
		note(c, out, TT_R_ACK_DUP);
	}
	/* window update: SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK) */
	if (TT_SEQ_LEQ(c->snd_una, seg->ack) &&
	    (TT_SEQ_LT(c->snd_wl1, seg->seq) ||
	     (c->snd_wl1 == seg->seq && TT_SEQ_LEQ(c->snd_wl2, seg->ack)))) {
		if (c->snd_wnd != seg->wnd) {
			c->snd_wnd = seg->wnd;
			note(c, out, TT_R_ACK_WINDOW);
		}
		if (seg->wnd > c->snd_max_wnd)
			c->snd_max_wnd = seg->wnd;
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
	}
	switch (c->state) {
	case TT_FIN_WAIT_1:
		/* a FIN that also acks ours goes straight to TIME-WAIT below */
		if (fin_acked(c) && !((seg->flags & TT_FIN) && seg->seq + seg->len == c->rcv_nxt))
			set_state(c, out, TT_FIN_WAIT_2, TT_R_FW1_FIN_ACKED, TT_E_NONE);
		break;
	case TT_CLOSING:
		if (fin_acked(c)) {
			set_state(c, out, TT_TIME_WAIT, TT_R_CLOSING_FIN_ACKED, TT_E_NONE);
			enter_time_wait(c, now);
		}
		return 0;
	case TT_LAST_ACK:
		if (fin_acked(c)) {
			set_state(c, out, TT_CLOSED, TT_R_LASTACK_FIN_ACKED, TT_E_NONE);
			delete_tcb(c);
			return -1;
		}
		return 0;
	default:
		break;
	}
	return 0;
}

/* Moves early segments that RCV.NXT has reached into the receive queue. */
static void
drain_ooo(struct tt_conn *c, int *fin)
{
	int again = 1;

	while (again) {
		again = 0;
		for (unsigned i = 0; i < c->nooo; i++) {
			struct ooo *o = &c->ooo[i];
			uint32_t skip;

			if (TT_SEQ_GT(o->seq, c->rcv_nxt))
				continue;
			skip = c->rcv_nxt - o->seq;
			if (skip < o->len && reserve(&c->rbuf, &c->rcap, c->rlen + o->len - skip) == 0) {
				memcpy(c->rbuf + c->rlen, o->data + skip, o->len - skip);
				c->rlen += o->len - skip;
				c->rcv_nxt += o->len - skip;
			}
			if (o->fin && TT_SEQ_GEQ(c->rcv_nxt, o->seq + o->len))
				*fin = 1;
			free(o->data);
			c->ooo[i] = c->ooo[--c->nooo];
			again = 1;
			break;
		}
	}
}

static void
keep_ooo(struct tt_conn *c, uint32_t seq, const uint8_t *data, uint32_t len, int fin)
{
	struct ooo *o;

	for (unsigned i = 0; i < c->nooo; i++)
		if (c->ooo[i].seq == seq && c->ooo[i].len >= len)
			return;
	if (c->nooo == OOO_MAX)
		return;
	o = &c->ooo[c->nooo];
	o->data = malloc(len ? len : 1);
	if (o->data == NULL)
		return;
	if (len > 0) {
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
	case TT_SYN_RECEIVED:
		set_state(c, out, TT_CLOSE_WAIT, TT_R_FIN_SYNRCVD, TT_E_NONE);
		break;
	case TT_ESTABLISHED:
		set_state(c, out, TT_CLOSE_WAIT, TT_R_FIN_EST, TT_E_NONE);
		break;
	case TT_FIN_WAIT_1:
		if (fin_acked(c)) {
			set_state(c, out, TT_TIME_WAIT, TT_R_FIN_FW1_ACKED, TT_E_NONE);
			enter_time_wait(c, now);
		} else {
			set_state(c, out, TT_CLOSING, TT_R_FIN_FW1, TT_E_NONE);
		}
		break;
	case TT_FIN_WAIT_2:
		set_state(c, out, TT_TIME_WAIT, TT_R_FIN_FW2, TT_E_NONE);
		enter_time_wait(c, now);
		break;
	default:
		note(c, out, TT_R_FIN_AGAIN);
		break;
	}
	if (c->state == TT_TIME_WAIT || c->state == TT_CLOSING)
		emit_ack(c, out);       /* nothing more will come to ride on */
	else
		ack_now_or_later(c, now, out);
}

static void
input_sync(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	uint32_t seqlen = tt_seg_seqlen(seg);
	uint32_t seq, len, fin_at;
	const uint8_t *data;
	int fin, fin_ooo = 0;

	/* TIME-WAIT: "the only thing that can arrive in this state is a
	 * retransmission of the remote FIN" (§3.10.7.4, fifth, TIME-WAIT). */
	if (c->state == TT_TIME_WAIT && (seg->flags & TT_FIN) && !(seg->flags & TT_RST) &&
	    seg->seq + seqlen == c->rcv_nxt) {
		note(c, out, TT_R_TW_FIN_AGAIN);
		emit_ack(c, out);
		enter_time_wait(c, now);
		return;
	}
	/* Simultaneous open (RFC 9293 Figure 7, line 6): the peer's SYN,ACK
	 * repeats the SYN already received; its ACK completes the handshake. */
	if (c->state == TT_SYN_RECEIVED && (seg->flags & (TT_SYN | TT_ACK | TT_RST)) == (TT_SYN | TT_ACK) &&
	    seg->seq == c->irs && TT_SEQ_LT(c->snd_una, seg->ack) && TT_SEQ_LEQ(seg->ack, c->snd_nxt)) {
		c->snd_una = seg->ack;
		ack_our_syn(c, now);
		c->snd_wnd = seg->wnd;
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
		set_state(c, out, TT_ESTABLISHED, TT_R_SYNRCVD_ACK, TT_E_NONE);
		idle_restart(c, now);
		if (c->close_pending && !c->fin_sent)
			set_state(c, out, TT_FIN_WAIT_1, TT_R_CLOSE_SEND_FIN, TT_E_NONE);
		output(c, now, out);
		return;
	}
	/* first: check sequence number */
	if (!acceptable(c, seg)) {
		if (seg->flags & TT_RST) {
			note(c, out, TT_R_UNACCEPTABLE_RST);
		} else {
			note(c, out, TT_R_UNACCEPTABLE);
			emit_ack(c, out);
		}
		return;
	}
	/* second: RST (with RFC 5961 §3.2 challenge ACK) */
	if (seg->flags & TT_RST) {
		if (seg->seq != c->rcv_nxt && !c->cfg.no_challenge_ack) {
			note(c, out, TT_R_RST_CHALLENGE);
			emit_ack(c, out);
			return;
		}
		switch (c->state) {
		case TT_SYN_RECEIVED:
			if (c->passive) {
				set_state(c, out, TT_LISTEN, TT_R_RST_SYNRCVD_PASSIVE, TT_E_NONE);
				delete_tcb(c);
				c->state = TT_LISTEN;
				c->passive = 1;
			} else {
				set_state(c, out, TT_CLOSED, TT_R_RST_SYNRCVD_ACTIVE, TT_E_REFUSED);
				delete_tcb(c);
			}
			return;
		case TT_CLOSING: case TT_LAST_ACK: case TT_TIME_WAIT:
			set_state(c, out, TT_CLOSED, TT_R_RST_CLOSE, TT_E_NONE);
			delete_tcb(c);
			return;
		default:
			set_state(c, out, TT_CLOSED, TT_R_RST_RESET, TT_E_RESET);
			delete_tcb(c);
			return;
		}
	}
	/* fourth: SYN */
	if (seg->flags & TT_SYN) {
		if (c->state == TT_SYN_RECEIVED && c->passive) {
			set_state(c, out, TT_LISTEN, TT_R_SYN_SYNRCVD_PASSIVE, TT_E_NONE);
			delete_tcb(c);
			c->state = TT_LISTEN;
			c->passive = 1;
			return;
		}
		/* a retransmitted SYN,ACK in ESTABLISHED (our ACK was lost) is
		 * answered by the same challenge ACK, which is what repairs it */
		note(c, out, TT_R_SYN_CHALLENGE);
		emit_ack(c, out);
		return;
	}
	/* fifth: ACK */
	if (!(seg->flags & TT_ACK)) {
		note(c, out, TT_R_NO_ACK_DROP);
		return;
	}
	idle_restart(c, now);
	if (process_ack(c, seg, now, out) == -1)
		return;

	/* seventh: segment text, trimmed to what is new and fits the window */
	seq = seg->seq + !!(seg->flags & TT_SYN);
	data = seg->data;
	len = seg->len;
	fin = !!(seg->flags & TT_FIN);
	fin_at = seq + len;
	if (TT_SEQ_LT(seq, c->rcv_nxt)) {
		uint32_t skip = c->rcv_nxt - seq;

		if (skip >= len) {
			len = 0;
		} else {
			len -= skip;
			if (data != NULL)
				data += skip;
		}
		seq = c->rcv_nxt;
	}
	if (len > rcv_wnd(c)) {
		len = rcv_wnd(c);
		fin = 0;                /* the FIN lies beyond the window */
	}
	if (len > 0) {
		switch (c->state) {
		case TT_ESTABLISHED: case TT_FIN_WAIT_1: case TT_FIN_WAIT_2:
			if (seq != c->rcv_nxt) {
				note(c, out, TT_R_DATA_OUT_OF_ORDER);
				keep_ooo(c, seq, data, len, fin);
				emit_ack(c, out);
				return;
			}
			if (reserve(&c->rbuf, &c->rcap, c->rlen + len) == -1)
				return;
			if (data != NULL)
				memcpy(c->rbuf + c->rlen, data, len);
			else
				memset(c->rbuf + c->rlen, 'x', len);
			c->rlen += len;
			c->rcv_nxt += len;
			note(c, out, TT_R_DATA_ACCEPT);
			drain_ooo(c, &fin_ooo);
			if (fin_ooo)
				fin_at = c->rcv_nxt;
			fin |= fin_ooo;
			if (!fin)
				ack_now_or_later(c, now, out);
			break;
		default:
			note(c, out, TT_R_DATA_IGNORED);
			break;
		}
	} else if (fin && fin_at != c->rcv_nxt && !c->fin_rcvd &&
	           (c->state == TT_ESTABLISHED || c->state == TT_FIN_WAIT_1 ||
	            c->state == TT_FIN_WAIT_2)) {
		/* a FIN beyond a hole: keep it until the hole is filled */
		note(c, out, TT_R_DATA_OUT_OF_ORDER);
		keep_ooo(c, fin_at, NULL, 0, 1);
		emit_ack(c, out);
		return;
	}
	/* eighth: FIN, processed only once everything before it arrived */
	if (fin && fin_at == c->rcv_nxt && !c->fin_rcvd)
		process_fin(c, now, out);
	else if (fin && c->fin_rcvd) {
		note(c, out, TT_R_FIN_AGAIN);
		emit_ack(c, out);
	}
	/* data or a FIN may now go out: the window may have opened */
	output(c, now, out);
	if (c->ack_pending && c->cfg.delack == 0)
		emit_ack(c, out);
}

void
tt_conn_input(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out)
{
	switch (c->state) {
	case TT_CLOSED:
		/* §3.10.7.1: all data discarded; anything but a RST gets a RST */
		if (seg->flags & TT_RST) {
			note(c, out, TT_R_CLOSED_DROP_RST);
		} else {
			note(c, out, TT_R_CLOSED_RST);
			emit_rst_for(c, out, seg);
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
	return t;
}

/* Sends the oldest unacknowledged thing again: SYN, SYN,ACK, data or FIN. */
static void
retransmit(struct tt_conn *c, struct tt_out *out)
{
	uint32_t mss = c->peer_mss ? c->peer_mss : 536;

	if (mss > c->cfg.mss)
		mss = c->cfg.mss;
	if (c->state == TT_SYN_SENT) {
		send_syn(c, out, 0);
		return;
	}
	if (c->snd_una == c->iss) {
		send_syn(c, out, 1);    /* SYN-RECEIVED, or two-way what-if */
		return;
	}
	if (TT_SEQ_LT(c->snd_una, send_end(c)) && TT_SEQ_LT(c->snd_una, c->snd_nxt)) {
		uint32_t n = send_end(c) - c->snd_una;

		if (TT_SEQ_LT(c->snd_nxt, c->snd_una + n))
			n = c->snd_nxt - c->snd_una;
		if (n > mss)
			n = mss;
		emit(c, out, c->snd_una, c->rcv_nxt, TT_ACK | TT_PSH,
		     c->sbuf + (c->snd_una - c->sbuf_seq), n);
		return;
	}
	if (c->snd_wnd == 0 && TT_SEQ_LT(c->snd_nxt, send_end(c))) {
		/* persist: a one-byte probe past the closed window */
		note(c, out, TT_R_ZERO_WINDOW_PROBE);
		emit(c, out, c->snd_nxt, c->rcv_nxt, TT_ACK, c->sbuf + (c->snd_nxt - c->sbuf_seq), 1);
		return;
	}
	if (c->fin_sent && !fin_acked(c))
		emit(c, out, c->fin_seq, c->rcv_nxt, TT_FIN | TT_ACK, NULL, 0);
}

static void
timeout_abort(struct tt_conn *c, struct tt_out *out, enum tt_reason r)
{
	set_state(c, out, TT_CLOSED, r, TT_E_TIMEOUT);
	delete_tcb(c);
}

void
tt_conn_tick(struct tt_conn *c, tt_time now, struct tt_out *out)
{
	if (c->tw_at <= now) {
		set_state(c, out, TT_CLOSED, TT_R_TIME_WAIT_EXPIRED, TT_E_NONE);
		delete_tcb(c);
		return;
	}
	if (c->user_at <= now) {
		timeout_abort(c, out, TT_R_USER_TIMEOUT);
		return;
	}
	if (c->rtx_at <= now) {
		int handshake = c->state == TT_SYN_SENT || c->snd_una == c->iss;
		unsigned limit = handshake ? c->cfg.syn_retries : c->cfg.data_retries;
		int persist = c->snd_una == c->snd_nxt;

		if (persist && (c->snd_wnd != 0 || !TT_SEQ_LT(c->snd_nxt, send_end(c)))) {
			c->rtx_at = TT_NEVER;   /* nothing outstanding, nothing to probe */
			goto delack;
		}
		if (!persist && c->retries >= limit) {
			timeout_abort(c, out, TT_R_RTX_GIVE_UP);
			return;
		}
		if (!persist) {
			c->retries++;
			note(c, out, TT_R_RTX_TIMEOUT);
		}
		retransmit(c, out);
		/* RFC 6298 §5.5: back off the timer */
		c->rto *= 2;
		if (c->rto > c->cfg.rto_max)
			c->rto = c->cfg.rto_max;
		c->rtx_at = now + c->rto;
	}
delack:
	if (c->delack_at <= now) {
		c->delack_at = TT_NEVER;
		if (c->ack_pending) {
			note(c, out, TT_R_DELAYED_ACK);
			emit_ack(c, out);
		}
	}
	if (c->ka_at <= now) {
		if (c->ka_sent >= c->cfg.ka_probes) {
			timeout_abort(c, out, TT_R_KEEPALIVE_GIVE_UP);
			return;
		}
		/* RFC 9293 §3.8.4: <SEQ=SND.UNA-1><ACK=RCV.NXT>, no data */
		c->ka_sent++;
		note(c, out, TT_R_KEEPALIVE_PROBE);
		emit(c, out, c->snd_una - 1, c->rcv_nxt, TT_ACK, NULL, 0);
		c->ka_at = now + c->cfg.ka_interval;
	}
}
