/* sim/host.c: a simulated host's sockets (see host.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sim/host.h"

int
sim_host_init(struct sim_host *h, const struct tt_host_config *cfg)
{
	memset(h, 0, sizeof *h);
	h->cfg = cfg->tcp;
	h->iss = cfg->iss;
	h->port = cfg->port;
	h->listener = h->cur = -1;
	h->lq = cfg->listen;
	h->secret = cfg->secret;
	h->nobody = tt_conn_new(&h->cfg, h->iss);
	if (h->nobody == NULL)
		return -1;
	tt_conn_share_oow_limit(h->nobody, &h->oow);
	return 0;
}

void
sim_host_free(struct sim_host *h)
{
	for (size_t i = 0; i < h->nsocks; i++)
		tt_conn_free(h->socks[i].c);
	free(h->socks);
	tt_conn_free(h->nobody);
	memset(h, 0, sizeof *h);
}

static int
grow(struct sim_host *h)
{
	return TT_GROW(h->socks, h->nsocks, h->capsocks, 4);
}

int
sim_host_add(struct sim_host *h, uint16_t lport, uint16_t rport)
{
	struct sim_sock *k;

	if (grow(h) == -1)
		return -1;
	k = &h->socks[h->nsocks];
	memset(k, 0, sizeof *k);
	k->c = tt_conn_new(&h->cfg, h->iss);
	if (k->c == NULL)
		return -1;
	tt_conn_share_oow_limit(k->c, &h->oow);
	k->lport = lport;
	k->rport = rport;
	k->stream = -1;
	return (int)h->nsocks++;
}

int
sim_host_find(const struct sim_host *h, uint16_t lport, uint16_t rport)
{
	for (size_t i = h->nsocks; i-- > 0;)
		if ((int)i != h->listener && h->socks[i].lport == lport && h->socks[i].rport == rport)
			return (int)i;
	return -1;
}

int
sim_host_in_stream(const struct sim_host *h, int stream)
{
	for (size_t i = h->nsocks; i-- > 0;)
		if ((int)i != h->listener && h->socks[i].stream == stream)
			return (int)i;
	return -1;
}

uint16_t
sim_host_free_port(const struct sim_host *h)
{
	uint16_t p = h->port;

	for (;;) {
		size_t i;

		for (i = 0; i < h->nsocks && h->socks[i].lport != p; i++)
			;
		if (i == h->nsocks)
			return p;
		p = p == 65535 ? 1024 : (uint16_t)(p + 1);
	}
}

int
sim_host_child(struct sim_host *h, uint16_t lport, uint16_t rport)
{
	struct tt_conn *c = tt_conn_clone(h->socks[h->listener].c);
	int i;

	if (c == NULL)
		return -1;
	if (grow(h) == -1) {
		tt_conn_free(c);
		return -1;
	}
	i = (int)h->nsocks++;
	memset(&h->socks[i], 0, sizeof h->socks[i]);
	h->socks[i].stream = -1;
	h->socks[i].c = c;
	h->socks[i].lport = lport;
	h->socks[i].rport = rport;
	h->socks[i].opened = 1;
	h->socks[i].child = 1;
	h->socks[i].accepted = h->lq.backlog < 0;
	return i;
}

/* Linux: listen() takes min(backlog, net.core.somaxconn), 4096 by default */
#define SOMAXCONN 4096

static unsigned
max_backlog(const struct sim_host *h)
{
	return h->lq.backlog > SOMAXCONN ? SOMAXCONN : (unsigned)h->lq.backlog;
}

unsigned
sim_host_synq_len(const struct sim_host *h)
{
	unsigned n = 0;

	for (size_t i = 0; i < h->nsocks; i++)
		if (h->socks[i].child && tt_conn_state(h->socks[i].c) == TT_SYN_RECEIVED)
			n++;
	return n;
}

unsigned
sim_host_acceptq_len(const struct sim_host *h)
{
	unsigned n = 0;

	for (size_t i = 0; i < h->nsocks; i++)
		if (h->socks[i].queued && !h->socks[i].accepted &&
		    tt_conn_state(h->socks[i].c) != TT_CLOSED)
			n++;
	return n;
}

int
sim_host_acceptq_full(const struct sim_host *h)
{
	/* include/net/sock.h sk_acceptq_is_full: more than the backlog */
	return h->lq.backlog >= 0 && sim_host_acceptq_len(h) > max_backlog(h);
}

enum sim_syn_verdict
sim_host_syn_verdict(const struct sim_host *h, int proven)
{
	int cookie = 0;
	unsigned synq, msb = h->lq.max_syn_backlog;

	if (h->lq.backlog < 0)
		return h->lq.syncookies == 2 ? SIM_SYN_COOKIE : SIM_SYN_CHILD;
	synq = sim_host_synq_len(h);
	/* inet_csk_reqsk_queue_is_full: more half-open children than the backlog */
	if (h->lq.syncookies == 2 || synq > max_backlog(h)) {
		if (h->lq.syncookies == 0)
			return SIM_SYN_DROP_SYNQ;
		cookie = 1;
	}
	if (sim_host_acceptq_full(h))
		return SIM_SYN_DROP_ACCEPTQ;
	/* "Without syncookies last quarter of backlog is filled with
	 * destinations, proven to be alive." */
	if (!cookie && h->lq.syncookies == 0 && (msb < synq || msb - synq < (msb >> 2)) && !proven)
		return SIM_SYN_DROP_RESERVED;
	return cookie ? SIM_SYN_COOKIE : SIM_SYN_CHILD;
}

int
sim_host_cookies_on(const struct sim_host *h, tt_time now)
{
	if (h->lq.syncookies == 2)
		return 1;
	/* TCP_SYNCOOKIE_VALID: two minutes */
	return h->lq.syncookies == 1 && h->overflowed &&
	       now - h->last_overflow <= TT_COOKIE_MAX_AGE * TT_COOKIE_PERIOD;
}

void
sim_host_after(struct sim_host *h, int i, int spoofed)
{
	struct sim_sock *k;

	if (i < 0 || (size_t)i >= h->nsocks || !h->socks[i].child)
		return;
	k = &h->socks[i];
	if (k->queued || tt_conn_state(k->c) < TT_ESTABLISHED)
		return;
	k->queued = ++h->queued;
	if (!spoofed)
		h->proven = 1;
}

int
sim_host_accept(struct sim_host *h)
{
	int best = -1;

	for (size_t i = 0; i < h->nsocks; i++) {
		const struct sim_sock *k = &h->socks[i];

		if (k->queued && !k->accepted && tt_conn_state(k->c) != TT_CLOSED &&
		    (best < 0 || k->queued < h->socks[best].queued))
			best = (int)i;
	}
	if (best >= 0) {
		h->socks[best].accepted = 1;
		h->cur = best;
	}
	return best;
}

void
sim_host_clock_in(struct sim_host *h, struct tt_conn *c)
{
	if (h->clock_set)
		tt_conn_set_isn_clock(c, h->epoch);
}

void
sim_host_clock_out(struct sim_host *h, const struct tt_conn *c)
{
	if (!h->clock_set)
		h->clock_set = tt_conn_isn_clock(c, &h->epoch);
}

struct tt_conn *
sim_host_default(const struct sim_host *h)
{
	if (h->cur >= 0)
		return h->socks[h->cur].c;
	if (h->listener >= 0)
		return h->socks[h->listener].c;
	return h->nobody;
}
