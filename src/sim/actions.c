/* sim/actions.c: what tt_sim_do() does for each action: the user calls
 * of a host (on its current connection or one of its streams), arming
 * faults on the wire, crashes, hand-made segments, accept() and floods.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sim/internal.h"

/* ---- actions -------------------------------------------------------------- */

/* The stream a new connection on these ports joins: one that the peer's
 * connection on the same ports opened and this host has no socket in yet
 * (a simultaneous open), else a new one; -1 when out of memory. */
static int
stream_for(struct tt_sim *s, int h, uint16_t cport, uint16_t sport)
{
	for (size_t k = s->nstreams; k-- > 0;) {
		const struct stream *st = &s->streams[k];

		if (st->port[0] != cport || st->port[1] != sport)
			continue;
		if (st->sock[h] < 0 && st->sock[!h] >= 0 &&
		    tt_conn_state(s->host[!h].socks[st->sock[!h]].c) != TT_CLOSED)
			return (int)k;
		break;
	}
	return sim_new_stream(s, cport, sport);
}

/* connect: the socket an active OPEN goes to. The host's current
 * connection again (a CLOSED one starts a new incarnation: a new stream on
 * the same ports), else a listener nothing has reached becomes active (RFC
 * 9293 §3.10.1), else a new socket on the host's port (with `fresh`, on its
 * next free port); -1 when out of memory. */
static int
connect_sock(struct tt_sim *s, int h, int fresh)
{
	struct sim_host *hh = &s->host[h];
	uint16_t peer = s->cfg.host[!h].port, me;
	int i = fresh ? -1 : hh->cur, k;

	if (i < 0 && !fresh && (k = sim_host_find(hh, hh->port, peer)) >= 0 &&
	    tt_conn_state(hh->socks[k].c) != TT_CLOSED)
		i = k;  /* the ports are in use (a connection not accepted yet) */
	if (i >= 0) {
		if (tt_conn_state(hh->socks[i].c) != TT_CLOSED || !hh->socks[i].opened)
			return i;
	} else if (!fresh && hh->listener >= 0 && hh->nsocks == 1) {
		i = hh->listener;
		hh->listener = -1;
		hh->socks[i].rport = peer;
	} else {
		i = sim_host_add(hh, fresh ? sim_host_free_port(hh) : hh->port, peer);
		if (i < 0)
			return -1;
	}
	me = hh->socks[i].lport;
	k = stream_for(s, h, h == 0 ? me : peer, h == 0 ? peer : me);
	if (k < 0)
		return -1;
	sim_join(s, h, i, k);
	hh->cur = i;
	return i;
}

/* The socket (or TCB) a user call goes to; NULL with a message in err. */
static struct tt_conn *
call_target(struct tt_sim *s, const struct tt_action *a, int *stream, char *err, size_t errlen)
{
	struct sim_host *hh = &s->host[a->host];
	int i;

	*stream = -1;
	if (a->conn > 0 && a->kind == TT_A_LISTEN) {
		snprintf(err, errlen, "%s", _("a host listens on its own port, not in a stream"));
		return NULL;
	}
	if (a->conn > 0) {
		i = sim_host_in_stream(hh, (int)a->conn - 1);
		if (i < 0) {
			snprintf(err, errlen, a->host == TT_CLIENT ?
			         _("the client has no connection in stream %u") :
			         _("the server has no connection in stream %u"), a->conn - 1);
			return NULL;
		}
	} else if (a->kind == TT_A_LISTEN) {
		/* listen(fd, backlog) with the sysctl as it is then: the queues
		 * of this listener (sim/host.c) */
		if (a->count > 0)
			hh->lq.backlog = a->count > 65537 ? 65535 : (int)a->count - 2;
		if (a->on > 0)
			hh->lq.syncookies = a->on - 1;
		if (hh->listener < 0) {
			hh->listener = sim_host_add(hh, hh->port, 0);
			if (hh->listener < 0) {
				snprintf(err, errlen, "%s", _("out of memory"));
				return NULL;
			}
		}
		i = hh->listener;
	} else if (a->kind == TT_A_CONNECT) {
		i = connect_sock(s, a->host, a->fresh);
		if (i < 0) {
			snprintf(err, errlen, "%s", _("out of memory"));
			return NULL;
		}
		if (a->cc > 0)
			tt_conn_set_cc(hh->socks[i].c, a->cc - 1);
	} else {
		i = hh->cur >= 0 ? hh->cur : hh->listener;
		if (i < 0)
			return hh->nobody;
	}
	if (a->kind == TT_A_LISTEN || a->kind == TT_A_CONNECT)
		hh->socks[i].opened = 1;
	*stream = hh->socks[i].stream;
	return hh->socks[i].c;
}

static void
call(struct tt_conn *c, const struct tt_action *a, tt_time now, struct tt_out *out)
{
	uint8_t buf[65536];
	size_t got;

	switch (a->kind) {
	case TT_A_LISTEN:
		tt_conn_open(c, 0, now, out);
		break;
	case TT_A_CONNECT:
		tt_conn_open(c, 1, now, out);
		break;
	case TT_A_SEND: {
		const uint8_t *data = a->text[0] != '\0' ? (const uint8_t *)a->text : NULL;
		size_t len = a->text[0] != '\0' ? strlen(a->text) : a->count;

		if (a->urgent)
			tt_conn_send_urgent(c, data, len, now, out);
		else
			tt_conn_send(c, data, len, now, out);
		break;
	}
	case TT_A_RECEIVE:
		tt_conn_receive(c, buf, sizeof buf, &got, now, out);
		break;
	case TT_A_CLOSE:
		tt_conn_close(c, now, out);
		break;
	case TT_A_SHUTDOWN:
		tt_conn_shutdown(c, now, out);
		break;
	case TT_A_ABORT:
		tt_conn_abort(c, now, out);
		break;
	default:
		break;
	}
}

static int
user_call(struct tt_sim *s, const struct tt_action *a, char *err, size_t errlen)
{
	struct sim_host *hh = &s->host[a->host];
	struct tt_conn *c;
	struct tt_out out;
	struct tt_step *st;
	int stream;

	if (s->down[a->host]) {
		snprintf(err, errlen, "%s", a->host == TT_CLIENT ? _("the client is powered off") :
		         _("the server is powered off"));
		return -1;
	}
	c = call_target(s, a, &stream, err, errlen);
	if (c == NULL)
		return -1;
	if (a->kind == TT_A_KEEPALIVE) {
		tt_conn_keepalive(c, a->on, s->now);
		return 0;
	}
	tt_out_clear(&out);
	sim_host_clock_in(hh, c);
	call(c, a, s->now, &out);
	sim_host_clock_out(hh, c);
	st = sim_new_step(s, TT_STEP_EVENT, a->host, stream);
	if (st == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	sim_collect(s, a->host, c, stream < 0 ? (unsigned)-1 : (unsigned)stream, &out, st);
	return 0;
}

static int
arm_fault(struct tt_sim *s, const struct tt_action *a, enum tt_fault_kind kind, char *err,
          size_t errlen)
{
	struct fault f = { kind, a->flags_match, a->toward, a->amount, 0 };
	unsigned skip = a->nth;
	unsigned long floor = 0;

	/* A matching segment already in flight is "the next one" (or the
	 * nth, counting in the order they were sent). */
	for (;;) {
		long best = -1;

		for (size_t i = 0; i < s->nfl; i++) {
			const struct flight *fl = &s->fl[i];

			if (!sim_fault_matches(&f, fl->from, &fl->seg) || fl->order < floor)
				continue;
			if (best < 0 || fl->order < s->fl[best].order)
				best = (long)i;
		}
		if (best < 0)
			break;
		if (skip > 0) {
			skip--;
			floor = s->fl[best].order + 1;
			continue;
		}
		switch (kind) {
		case TT_FAULT_DROP: {
			struct flight fl;

			sim_remove_flight(s, (size_t)best, &fl);
			sim_lose(s, &fl, s->now);
			return 0;
		}
		case TT_FAULT_DELAY:
			s->fl[best].arrive += a->amount;
			s->fl[best].notes |= TT_NOTE(DELAYED);
			return 0;
		case TT_FAULT_DUPLICATE:
			return sim_push_duplicate(s, &s->fl[best]);
		}
	}
	/* Otherwise it waits for the next segment sent (after `skip` more
	 * matching ones, when #N reached beyond the wire). */
	f.skip = skip;
	if (s->nfaults == sizeof s->faults / sizeof s->faults[0]) {
		snprintf(err, errlen, "%s", _("too many faults armed at once"));
		return -1;
	}
	s->faults[s->nfaults++] = f;
	return 0;
}

/* The host crashes: the engine deletes every TCB it has (their objects
 * and the host's ISN clock live on, so a rebooted host picks another ISS);
 * silent, it stays powered off. A crash sends nothing. */
static void
crash(struct tt_sim *s, int h, int silent)
{
	struct sim_host *hh = &s->host[h];
	struct tt_conn *cur = sim_host_default(hh);
	struct tt_step *st;
	struct tt_out out;
	enum tt_state from = tt_conn_state(cur);
	int stream = hh->cur >= 0 ? hh->socks[hh->cur].stream : -1;

	st = sim_new_step(s, TT_STEP_EVENT, h, stream);
	for (size_t i = 0; i < hh->nsocks; i++) {
		int said = hh->socks[i].c == cur || tt_conn_state(hh->socks[i].c) != TT_CLOSED;

		if (st != NULL && said && st->nev == TT_STEP_EVENTS) {
			/* many connections (a flood's): the crash goes on in
			 * another step, so that every TCB lost is said */
			sim_finish_step(s, st);
			st = sim_new_step(s, TT_STEP_EVENT, h, stream);
		}
		tt_out_clear(&out);
		tt_conn_crash(hh->socks[i].c, s->now, &out);
		if (st != NULL && said)
			sim_add_events(st, h, (int)i, &out);
	}
	s->down[h] = silent;
	memset(&hh->oow, 0, sizeof hh->oow);    /* a rebooted host forgets its limits */
	/* what the host sent before is no longer its streams' past */
	for (size_t k = 0; k < s->nstreams; k++) {
		s->streams[k].sent_any[h] = 0;
		s->streams[k].last_ack_valid[h] = 0;
		s->streams[k].probe_out[h] = 0;
	}
	if (st == NULL)
		return;
	if (st->nev == 0) {
		/* the step always shows the crash, even of a CLOSED host */
		st->nev = 1;
		st->ev[0].host = h;
		st->ev[0].sock = sim_sock_of(s, h, cur);
		st->ev[0].ev.reason = TT_R_HOST_CRASH;
		st->ev[0].ev.from = from;
		st->ev[0].ev.to = TT_CLOSED;
		st->ev[0].ev.error = TT_E_NONE;
	}
	sim_finish_step(s, st);
}

/* inject: a hand-made segment from the host's address and the ports of its
 * current connection (or of the first stream); it is not from a TCB. */
static void
inject(struct tt_sim *s, const struct tt_action *a)
{
	struct sim_host *hh = &s->host[a->host];
	int k = hh->cur >= 0 ? hh->socks[hh->cur].stream : -1;

	if (a->conn > 0 && a->conn - 1 < s->nstreams)
		k = (int)a->conn - 1;
	if (k < 0) {
		for (size_t i = 0; i < s->nstreams && k < 0; i++)
			if (s->streams[i].port[0] == s->cfg.host[0].port &&
			    s->streams[i].port[1] == s->cfg.host[1].port)
				k = (int)i;
		if (k < 0)
			k = sim_new_stream(s, s->cfg.host[0].port, s->cfg.host[1].port);
		if (k < 0)
			return;
	}
	sim_put_on_wire(s, a->host, (unsigned)k, &a->inject, 0, 1);
}

/* accept(): the application takes the oldest connection off the accept
 * queue, which becomes the host's current connection. */
static int
accept_call(struct tt_sim *s, int h, char *err, size_t errlen)
{
	struct sim_host *hh = &s->host[h];
	int i = sim_host_accept(hh);
	struct tt_conn *c = i >= 0 ? hh->socks[i].c : sim_host_default(hh);
	int stream = i >= 0 ? hh->socks[i].stream : -1;
	struct tt_step *st;
	struct tt_out out;

	if (s->down[h]) {
		snprintf(err, errlen, "%s", h == TT_CLIENT ? _("the client is powered off") :
		         _("the server is powered off"));
		return -1;
	}
	tt_out_clear(&out);
	sim_out_event(&out, i >= 0 ? TT_R_ACCEPT
	                   : tt_conn_state(c) == TT_CLOSED ? TT_R_ACCEPT_INVALID : TT_R_ACCEPT_EMPTY,
	              tt_conn_state(c), tt_conn_state(c));
	st = sim_new_step(s, TT_STEP_EVENT, h, stream);
	if (st == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	sim_collect(s, h, c, stream < 0 ? (unsigned)-1 : (unsigned)stream, &out, st);
	return 0;
}

/* Some socket of the client, or its configured port, uses this port. */
static int
client_port(const struct tt_sim *s, uint16_t port)
{
	if (port == s->cfg.host[TT_CLIENT].port)
		return 1;
	for (size_t i = 0; i < s->host[TT_CLIENT].nsocks; i++)
		if (s->host[TT_CLIENT].socks[i].lport == port)
			return 1;
	return 0;
}

/* flood HOST N: N SYNs sent at once to the host's port, each from a new
 * spoofed source (its own stream), which no host answers for. */
static int
flood(struct tt_sim *s, int h, unsigned n, char *err, size_t errlen)
{
	const struct tt_sim_config *cfg = &s->cfg;

	if (h != TT_SERVER) {
		snprintf(err, errlen, "%s", _("a flood goes to the server (flood server N)"));
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = tt_mix64(cfg->host[TT_SERVER].secret.k[0][0] ^ (0xf100d000ull + s->nspoof));
		struct tt_seg syn;
		uint16_t port;
		int k;

		/* Hosts are told apart by ports here: each source gets a port of
		 * its own below the client's range (28657 is prime to 48128, so
		 * none repeats), never one the client has. */
		do
			port = (uint16_t)(1024 + ((s->nspoof + 1) * 28657ull) % 48128);
		while (client_port(s, port) && ++s->nspoof);
		k = sim_new_stream(s, port, cfg->host[TT_SERVER].port);
		if (k < 0) {
			snprintf(err, errlen, "%s", _("out of memory"));
			return -1;
		}
		s->streams[k].spoof = ++s->nspoof;
		memset(&syn, 0, sizeof syn);
		syn.seq = (uint32_t)r;
		syn.flags = TT_SYN;
		syn.wnd = 65535;
		syn.mss = 1460;
		sim_put_on_wire(s, TT_CLIENT, (unsigned)k, &syn, 0, 1);
	}
	return 0;
}

int
tt_sim_do(struct tt_sim *s, const struct tt_action *a, char *err, size_t errlen)
{
	int r = 0;

	s->work = 0;
	s->cut = 0;
	if (a->host > 1 || ((a->kind <= TT_A_KEEPALIVE || a->kind == TT_A_CRASH ||
	                     a->kind == TT_A_INJECT || a->kind == TT_A_ACCEPT ||
	                     a->kind == TT_A_FLOOD) && a->host < 0)) {
		snprintf(err, errlen, "%s", _("no such host"));
		return -1;
	}
	switch (a->kind) {
	case TT_A_LISTEN: case TT_A_CONNECT: case TT_A_SEND: case TT_A_RECEIVE:
	case TT_A_CLOSE: case TT_A_SHUTDOWN: case TT_A_ABORT: case TT_A_KEEPALIVE:
		if (user_call(s, a, err, errlen) == -1)
			return -1;
		break;
	case TT_A_DELIVER:
		r = sim_deliver_some(s, a->count ? a->count : 1, a->toward, err, errlen);
		break;
	case TT_A_DELIVER_ALL:
		r = sim_deliver_all(s, a->toward, err, errlen);
		break;
	/* a fault armed makes no step, but is an action all the same: a step's
	 * action number counts it (the sandbox rewinds by those numbers) */
	case TT_A_DROP:
		r = arm_fault(s, a, TT_FAULT_DROP, err, errlen);
		break;
	case TT_A_DUPLICATE:
		r = arm_fault(s, a, TT_FAULT_DUPLICATE, err, errlen);
		break;
	case TT_A_DELAY:
		r = arm_fault(s, a, TT_FAULT_DELAY, err, errlen);
		break;
	case TT_A_ADVANCE:
		if (a->amount < 0) {
			snprintf(err, errlen, "%s", _("time cannot go backwards"));
			return -1;
		}
		r = sim_advance_to(s, a->amount > TT_NEVER - s->now ? TT_NEVER : s->now + a->amount,
		               err, errlen);
		break;
	case TT_A_CRASH:
		crash(s, a->host, a->on);
		break;
	case TT_A_INJECT:
		inject(s, a);
		break;
	case TT_A_ACCEPT:
		if (accept_call(s, a->host, err, errlen) == -1)
			return -1;
		break;
	case TT_A_FLOOD:
		if (a->count == 0 || a->count > 10000) {
			snprintf(err, errlen, "%s", _("a flood is 1 to 10000 SYNs"));
			return -1;
		}
		if (flood(s, a->host, a->count, err, errlen) == -1)
			return -1;
		break;
	default:
		snprintf(err, errlen, "%s", _("unknown action"));
		return -1;
	}
	/* -1: nothing was done. -2 (the limit) leaves the steps the action
	 * made, so it still counts as an action. */
	if (r == -1)
		return -1;
	s->action++;
	if (r == 0 && s->cut > 0) {
		/* a step without all its segments or events would be explained
		 * wrongly: the run is not to be trusted, as at the limit */
		snprintf(err, errlen, _("the engine's output did not fit: a call holds at most %d "
		         "segments and %d events, and this action had %lu more"),
		         TT_OUT_SEGS, TT_OUT_EVENTS, s->cut);
		return -2;
	}
	return r;
}

