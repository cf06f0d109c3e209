/* sim/deliver.c: arrivals and the flow of time. A segment that arrives is
 * demultiplexed to a TCB of its receiver (a connection, the listener with
 * its queues and SYN cookies, or the TCB of ports nothing uses); timers
 * fire in time order between arrivals; every action is held to the
 * simulator's limit of work.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "i18n.h"
#include "sim/internal.h"

/* What a host's listener does with an arriving segment beyond handing it
 * to a TCB: its queues' rules (sim/host.h) and SYN cookies. */
enum arrival {
	ARRIVE_TCB,              /* to the TCB demux found, as always */
	ARRIVE_SYN_DROP,         /* the SYN is dropped (reason in *why) */
	ARRIVE_COOKIE_SYN,       /* answered with a cookie from LISTEN */
	ARRIVE_COOKIE_OPEN,      /* a valid cookie: a new child, ESTABLISHED */
	ARRIVE_COOKIE_BAD,       /* no valid cookie: then LISTEN takes it */
	ARRIVE_COOKIE_FULL       /* a valid cookie, the accept queue full: dropped */
};

/* The cookie's 4-tuple for stream k, the client's end as the source. */
static void
cookie_id(const struct tt_sim *s, unsigned k, struct tt_cookie_id *id)
{
	char a[48];

	memset(id, 0, sizeof *id);
	for (int h = 0; h < 2; h++) {
		uint8_t *to = h == TT_CLIENT ? id->saddr : id->daddr;

		tt_sim_stream_addr(s, k, h, a, sizeof a);
		if (inet_pton(AF_INET, a, to) != 1 && inet_pton(AF_INET6, a, to) != 1)
			memset(to, 0, 16);
	}
	id->sport = s->streams[k].port[TT_CLIENT];
	id->dport = s->streams[k].port[TT_SERVER];
}

/* The TCB a segment of stream k reaches at host h: the connection on its
 * ports; for a SYN that finds none (or only a CLOSED one), the listener's
 * new child, when its queues let it (*arr says what else happens); else
 * the listener, else the TCB of a port nothing uses. *mss: a valid
 * cookie's MSS. */
static struct tt_conn *
demux(struct tt_sim *s, int h, unsigned k, const struct tt_seg *seg, enum arrival *arr,
      enum tt_reason *why, uint16_t *mss)
{
	struct sim_host *hh = &s->host[h];
	const struct stream *st = &s->streams[k];
	uint16_t lport = st->port[h], rport = st->port[!h];
	int i = sim_host_find(hh, lport, rport);
	int syn = (seg->flags & (TT_SYN | TT_ACK | TT_RST)) == TT_SYN;
	int listening = hh->listener >= 0 && hh->socks[hh->listener].lport == lport &&
	                tt_conn_state(hh->socks[hh->listener].c) == TT_LISTEN;
	int fresh = i < 0 || tt_conn_state(hh->socks[i].c) == TT_CLOSED;

	*arr = ARRIVE_TCB;
	if (syn && listening && fresh) {
		static const enum tt_reason drops[] = {
			[SIM_SYN_DROP_SYNQ] = TT_R_SYNQ_FULL_DROP,
			[SIM_SYN_DROP_ACCEPTQ] = TT_R_ACCEPTQ_FULL_SYN_DROP,
			[SIM_SYN_DROP_RESERVED] = TT_R_SYNQ_RESERVED_DROP,
		};
		enum sim_syn_verdict v = sim_host_syn_verdict(hh, !st->spoof && hh->proven);

		if (v == SIM_SYN_COOKIE) {
			*arr = ARRIVE_COOKIE_SYN;
			return hh->socks[hh->listener].c;
		}
		if (v != SIM_SYN_CHILD) {
			*arr = ARRIVE_SYN_DROP;
			*why = drops[v];
			return hh->socks[hh->listener].c;
		}
		i = sim_host_child(hh, lport, rport);
		if (i >= 0 && hh->socks[i].accepted && !st->spoof)
			hh->cur = i;    /* no queues: accept() takes it at once (a
			                   flood's never completes, so never) */
	} else if (listening && fresh && (seg->flags & (TT_SYN | TT_RST | TT_ACK)) == TT_ACK &&
	           sim_host_cookies_on(hh, s->now)) {
		/* Linux cookie_v4_check: an ACK for no connection may be the
		 * answer to a cookie */
		struct tt_cookie_id id;

		cookie_id(s, k, &id);
		*mss = tt_cookie_check(&hh->secret, &id, seg->seq - 1, seg->ack - 1, s->now);
		if (*mss == 0) {
			*arr = ARRIVE_COOKIE_BAD;
			return hh->socks[hh->listener].c;
		}
		if (sim_host_acceptq_full(hh)) {
			*arr = ARRIVE_COOKIE_FULL;
			return hh->socks[hh->listener].c;
		}
		*arr = ARRIVE_COOKIE_OPEN;
		i = sim_host_child(hh, lport, rport);
		if (i >= 0 && hh->socks[i].accepted && !st->spoof)
			hh->cur = i;
	}
	if (i >= 0) {
		sim_join(s, h, i, (int)k);
		return hh->socks[i].c;
	}
	if (*arr == ARRIVE_COOKIE_OPEN)
		*arr = ARRIVE_TCB;      /* out of memory: as before */
	return listening ? hh->socks[hh->listener].c : hh->nobody;
}

void
sim_out_event(struct tt_out *out, enum tt_reason r, enum tt_state from, enum tt_state to)
{
	tt_out_event(out, r, from, to, TT_E_NONE);
}

/* Linux tcp_check_req: the segment that would take child c past the
 * handshake finds the accept queue full. Whether it would is the engine's
 * to say, so a copy of the TCB takes it first (the host's shared reply
 * limit kept as it was). */
static int
would_overflow(struct tt_sim *s, int h, struct tt_conn *c, const struct tt_seg *seg)
{
	struct sim_host *hh = &s->host[h];
	struct tt_oow_limit keep = hh->oow;
	struct tt_conn *copy;
	struct tt_out out;
	int past;

	if (tt_conn_state(c) != TT_SYN_RECEIVED || !sim_host_acceptq_full(hh))
		return 0;
	if ((copy = tt_conn_clone(c)) == NULL)
		return 0;
	tt_out_clear(&out);
	tt_conn_input(copy, seg, s->now, &out);
	past = tt_conn_state(copy) >= TT_ESTABLISHED;
	tt_conn_free(copy);
	hh->oow = keep;
	return past;
}

static void
deliver_flight(struct tt_sim *s, size_t i)
{
	struct flight f;
	struct tt_step *st;
	struct tt_out out;
	struct tt_conn *c;
	enum arrival arr;
	enum tt_reason why = TT_R_NONE;
	uint16_t mss = 0;
	int to;

	sim_remove_flight(s, i, &f);
	to = !f.from;
	if (f.arrive > s->now)
		s->now = f.arrive;
	st = sim_new_step(s, TT_STEP_SEGMENT, f.from, (int)f.stream);
	if (st == NULL) {
		free(f.data);
		return;
	}
	sim_segment_step_fill(s, st, &f);
	st->arrival = s->now;   /* later than planned when `deliver to` held it back */
	if (s->down[to] || (s->streams[f.stream].spoof && to == TT_CLIENT)) {
		/* a host powered off, or a spoofed address no host has */
		st->notes |= TT_NOTE(DROPPED) | (s->down[to] ? 0 : TT_NOTE(NO_HOST));
		if (!s->down[to]) {
			st->nev = 1;
			st->ev[0].host = to;
			st->ev[0].sock = -1;
			st->ev[0].ev.reason = TT_R_NO_HOST;
			st->ev[0].ev.from = st->ev[0].ev.to = TT_CLOSED;
			st->ev[0].ev.error = TT_E_NONE;
		}
		sim_finish_step(s, st);
		free(f.data);
		return;
	}
	tt_out_clear(&out);
	f.seg.data = f.data;
	c = demux(s, to, f.stream, &f.seg, &arr, &why, &mss);
	sim_host_clock_in(&s->host[to], c);
	switch (arr) {
	case ARRIVE_SYN_DROP:
	case ARRIVE_COOKIE_FULL:
		sim_out_event(&out, arr == ARRIVE_COOKIE_FULL ? TT_R_ACCEPTQ_FULL_COOKIE_DROP : why,
		           TT_LISTEN, TT_LISTEN);
		break;
	case ARRIVE_COOKIE_SYN: {
		struct tt_cookie_id id;

		cookie_id(s, f.stream, &id);
		tt_conn_cookie_synack(c, &f.seg, tt_cookie_make(&s->host[to].secret, &id, f.seg.seq,
		                                                 f.seg.mss, s->now), &out);
		s->host[to].overflowed = 1;      /* Linux tcp_synq_overflow() */
		s->host[to].last_overflow = s->now;
		break;
	}
	case ARRIVE_COOKIE_OPEN:
		tt_conn_cookie_open(c, &f.seg, mss, s->now, &out);
		break;
	case ARRIVE_COOKIE_BAD:
		sim_out_event(&out, TT_R_COOKIE_BAD, TT_LISTEN, TT_LISTEN);
		tt_conn_input(c, &f.seg, s->now, &out);
		break;
	case ARRIVE_TCB:
		if (would_overflow(s, to, c, &f.seg)) {
			if (s->host[to].lq.abort_on_overflow)
				tt_conn_refuse(c, TT_R_ACCEPTQ_FULL_RST, &out);
			else
				sim_out_event(&out, TT_R_ACCEPTQ_FULL_ACK_IGNORED, TT_SYN_RECEIVED,
				           TT_SYN_RECEIVED);
		} else {
			tt_conn_input(c, &f.seg, s->now, &out);
		}
		break;
	}
	sim_host_clock_out(&s->host[to], c);
	sim_host_after(&s->host[to], sim_sock_of(s, to, c), s->streams[f.stream].spoof != 0);
	sim_collect(s, to, c, f.stream, &out, st);
	free(f.data);
}

/* The socket whose timer falls due first, or -1; its host in *host and its
 * deadline in *when. */
static int
next_timer(const struct tt_sim *s, int *host, tt_time *when)
{
	int best = -1;

	*when = TT_NEVER;
	for (int h = 0; h < 2; h++) {
		if (s->down[h])
			continue;
		for (size_t i = 0; i < s->host[h].nsocks; i++) {
			tt_time t = tt_conn_next_timer(s->host[h].socks[i].c);

			if (t < *when) {
				*when = t;
				*host = h;
				best = (int)i;
			}
		}
	}
	return best;
}

static void
fire_timer(struct tt_sim *s, int h, int i, tt_time when)
{
	struct sim_sock *k = &s->host[h].socks[i];
	struct tt_out out;
	struct tt_step *st;

	if (when > s->now)
		s->now = when;
	tt_out_clear(&out);
	sim_host_clock_in(&s->host[h], k->c);
	tt_conn_tick(k->c, s->now, &out);
	if (out.nev == 0 && out.nseg == 0)
		return;
	st = sim_new_step(s, TT_STEP_EVENT, h, k->stream);
	sim_collect(s, h, k->c, k->stream < 0 ? (unsigned)-1 : (unsigned)k->stream, &out, st);
}

/* Counts one arrival or timer of the current action; -1 past the limit. */
static int
spend(struct tt_sim *s)
{
	return ++s->work > SIM_MAX_WORK ? -1 : 0;
}

/* The action hit SIM_MAX_WORK: -2 with the message; `until` is where an
 * advance meant to stop the clock (TT_NEVER: no advance). */
static int
too_much_work(const struct tt_sim *s, tt_time until, char *err, size_t errlen)
{
	if (until == TT_NEVER)
		snprintf(err, errlen, _("the hosts did not settle: %d arrivals and timers in one "
		         "action (the simulator's limit), the clock at %.6f s"), SIM_MAX_WORK,
		         (double)s->now / 1e6);
	else
		snprintf(err, errlen, _("the hosts did not settle: %d arrivals and timers in one "
		         "action (the simulator's limit), the clock stopped at %.6f s instead "
		         "of %.6f s"), SIM_MAX_WORK, (double)s->now / 1e6, (double)until / 1e6);
	return -2;
}

/* Fires host timers that fall due before `limit` (strictly), in order;
 * -1 when the action's limit was hit. */
static int
fire_timers_before(struct tt_sim *s, tt_time limit)
{
	tt_time t;
	int h, i;

	while ((i = next_timer(s, &h, &t)) >= 0 && t < limit) {
		if (spend(s) == -1)
			return -1;
		fire_timer(s, h, i, t);
	}
	return 0;
}

/* Lets time flow to `until`: arrivals and timers happen in time order (an
 * arrival first when both fall at the same instant). -2 with a message when
 * the action's limit was hit before `until`. */
int
sim_advance_to(struct tt_sim *s, tt_time until, char *err, size_t errlen)
{
	for (;;) {
		long i = sim_next_flight(s, -1);
		tt_time ta = i >= 0 ? s->fl[i].arrive : TT_NEVER, tt;
		int h = 0, k = next_timer(s, &h, &tt);

		if (!(k >= 0 && tt < ta && tt <= until) && !(i >= 0 && ta <= until))
			break;
		if (spend(s) == -1)
			return too_much_work(s, until, err, errlen);
		if (k >= 0 && tt < ta && tt <= until)
			fire_timer(s, h, k, tt);
		else
			deliver_flight(s, (size_t)i);
	}
	if (until > s->now)
		s->now = until;
	return 0;
}

/* Delivers the segment that arrives first (toward `to`, or any), after the
 * timers due before it: 1 when one was delivered, 0 when nothing was on the
 * wire toward `to`, 2 when the timers left nothing, -2 at the limit. */
static int
deliver_next(struct tt_sim *s, int to, char *err, size_t errlen)
{
	long i = sim_next_flight(s, to);

	if (i < 0)
		return 0;
	if (fire_timers_before(s, s->fl[i].arrive) == -1)
		return too_much_work(s, TT_NEVER, err, errlen);
	i = sim_next_flight(s, to);
	if (i < 0)
		return 2;
	if (spend(s) == -1)
		return too_much_work(s, TT_NEVER, err, errlen);
	deliver_flight(s, (size_t)i);
	return 1;
}

/* deliver N: the next N segments (toward `to`, or any), timers due before
 * each arrival first. */
int
sim_deliver_some(struct tt_sim *s, unsigned n, int to, char *err, size_t errlen)
{
	for (unsigned k = 0; k < n; k++) {
		int r = deliver_next(s, to, err, errlen);

		if (r == 0) {
			snprintf(err, errlen, "%s", _("nothing on the wire to deliver"));
			return -1;
		}
		if (r != 1)
			return r == 2 ? 0 : r;
	}
	return 0;
}

/* run: deliver until the wire (toward `to`) is empty. */
int
sim_deliver_all(struct tt_sim *s, int to, char *err, size_t errlen)
{
	for (unsigned n = 0; sim_next_flight(s, to) >= 0; n++) {
		int r;

		if (n == SIM_MAX_DELIVERIES) {
			snprintf(err, errlen, _("the hosts did not settle: %u segments delivered "
			         "and the wire is still not empty (the simulator's limit for one "
			         "run), the clock at %.6f s"), n, (double)s->now / 1e6);
			return -2;
		}
		if ((r = deliver_next(s, to, err, errlen)) != 1)
			return r == -2 ? -2 : 0;
	}
	return 0;
}

