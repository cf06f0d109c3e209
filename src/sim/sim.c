/* sim/sim.c: making a simulation and reading it: the default hosts, the
 * seeded secrets, new/free, and the accessors of sim.h (steps, payloads,
 * endpoints, streams, the hosts' views).
 *
 * Two hosts, a wire with per-direction delay and faults, and a virtual
 * clock, driven one action at a time (actions.c); every action appends
 * steps to the trace (record.c). Segments in flight wait on the wire
 * (wire.c) until they are delivered: `deliver` takes the one that arrives
 * first, `advance` lets time flow and delivers whatever arrives on the way,
 * firing the hosts' timers in order (deliver.c). Faults are armed for "the
 * next segment" that matches and spent when one does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

static const char *const action_names[TT_A_NACTIONS] = {
	[TT_A_LISTEN] = "listen", [TT_A_CONNECT] = "connect", [TT_A_SEND] = "send",
	[TT_A_RECEIVE] = "receive", [TT_A_CLOSE] = "close", [TT_A_SHUTDOWN] = "shutdown",
	[TT_A_ABORT] = "abort",
	[TT_A_KEEPALIVE] = "keepalive", [TT_A_DELIVER] = "deliver", [TT_A_DELIVER_ALL] = "run",
	[TT_A_DROP] = "drop", [TT_A_DUPLICATE] = "duplicate", [TT_A_DELAY] = "delay",
	[TT_A_ADVANCE] = "advance", [TT_A_CRASH] = "crash", [TT_A_INJECT] = "inject",
	[TT_A_ACCEPT] = "accept", [TT_A_FLOOD] = "flood",
};

const char *
tt_action_name(enum tt_action_kind k)
{
	return (unsigned)k < TT_A_NACTIONS ? action_names[k] : "?";
}

void
tt_sim_config_default(struct tt_sim_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	/* RFC 5737 documentation addresses */
	snprintf(cfg->host[0].name, sizeof cfg->host[0].name, "client");
	snprintf(cfg->host[0].addr, sizeof cfg->host[0].addr, "192.0.2.1");
	cfg->host[0].port = 49152;
	cfg->host[0].iss = 1000;
	snprintf(cfg->host[1].name, sizeof cfg->host[1].name, "server");
	snprintf(cfg->host[1].addr, sizeof cfg->host[1].addr, "198.51.100.2");
	cfg->host[1].port = 80;
	cfg->host[1].iss = 5000;
	tt_config_default(&cfg->host[0].tcp);
	tt_config_default(&cfg->host[1].tcp);
	for (int h = 0; h < 2; h++) {
		/* no queues unless a backlog is set; Linux's defaults otherwise */
		cfg->host[h].listen.backlog = -1;
		cfg->host[h].listen.max_syn_backlog = 128;
		cfg->host[h].listen.abort_on_overflow = 0;
		cfg->host[h].listen.syncookies = 1;
		tt_sim_secret(0, h, &cfg->host[h].secret);
	}
	cfg->delay[0] = cfg->delay[1] = TT_MS(50);
}

void
tt_sim_secret(uint64_t seed, int host, struct tt_cookie_secret *sec)
{
	uint64_t z = tt_mix64(seed ^ (0x5eed0000ull + (uint64_t)host));

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			sec->k[i][j] = z = tt_mix64(z);
}

struct tt_sim *
tt_sim_new(const struct tt_sim_config *cfg)
{
	struct tt_sim *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->cfg = *cfg;
	s->rng = cfg->loss_seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (s->rng == 0)
		s->rng = 1;
	for (int i = 0; i < 2; i++) {
		if (sim_host_init(&s->host[i], &cfg->host[i]) == -1) {
			tt_sim_free(s);
			return NULL;
		}
	}
	return s;
}

void
tt_sim_free(struct tt_sim *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < 2; i++)
		sim_host_free(&s->host[i]);
	for (size_t i = 0; i < s->nfl; i++)
		free(s->fl[i].data);
	free(s->fl);
	free(s->steps);
	free(s->payload);
	free(s->bytes);
	free(s->streams);
	free(s);
}

size_t
tt_sim_nsteps(const struct tt_sim *s)
{
	return s->nsteps;
}

const struct tt_step *
tt_sim_step(const struct tt_sim *s, size_t i)
{
	return i < s->nsteps ? &s->steps[i] : NULL;
}

const uint8_t *
tt_sim_payload(const struct tt_sim *s, size_t i)
{
	if (i >= s->nsteps || s->payload[i] == NO_PAYLOAD)
		return NULL;
	return s->bytes + s->payload[i];
}

tt_time
tt_sim_now(const struct tt_sim *s)
{
	return s->now;
}

size_t
tt_sim_in_flight(const struct tt_sim *s)
{
	return s->nfl;
}

const struct tt_sim_config *
tt_sim_config(const struct tt_sim *s)
{
	return &s->cfg;
}

static char *
endpoint(const struct tt_host_config *h, uint16_t port, char *buf, size_t len)
{
	if (strchr(h->addr, ':') != NULL)
		snprintf(buf, len, "[%s]:%u", h->addr, port);
	else
		snprintf(buf, len, "%s:%u", h->addr, port);
	return buf;
}

char *
tt_sim_endpoint(const struct tt_sim *s, int host, char *buf, size_t len)
{
	return endpoint(&s->cfg.host[host & 1], s->cfg.host[host & 1].port, buf, len);
}

/* Spoofed source n (from 1): RFC 2544's benchmarking range for IPv4,
 * documentation addresses (RFC 3849) for IPv6. */
static void
spoof_addr(const struct tt_sim *s, unsigned n, char *buf, size_t len)
{
	if (strchr(s->cfg.host[TT_SERVER].addr, ':') != NULL)
		snprintf(buf, len, "2001:db8:ffff::%x", n);
	else
		snprintf(buf, len, "198.%u.%u.%u", 18 + ((n >> 16) & 1), (n >> 8) & 255, n & 255);
}

const char *
tt_sim_stream_addr(const struct tt_sim *s, unsigned stream, int host, char *buf, size_t len)
{
	if (stream < s->nstreams && s->streams[stream].spoof && (host & 1) == TT_CLIENT)
		spoof_addr(s, s->streams[stream].spoof, buf, len);
	else
		snprintf(buf, len, "%s", s->cfg.host[host & 1].addr);
	return buf;
}

char *
tt_sim_stream_endpoint(const struct tt_sim *s, unsigned stream, int host, char *buf,
                       size_t len)
{
	uint16_t port = stream < s->nstreams ? s->streams[stream].port[host & 1]
	                                      : s->cfg.host[host & 1].port;
	struct tt_host_config h = s->cfg.host[host & 1];

	tt_sim_stream_addr(s, stream, host, h.addr, sizeof h.addr);
	return endpoint(&h, port, buf, len);
}

size_t
tt_sim_nstreams(const struct tt_sim *s)
{
	return s->nstreams;
}

void
tt_sim_seq_bases(const struct tt_sim *s, uint32_t (*base)[2])
{
	uint32_t iss[2] = { s->cfg.host[0].iss, s->cfg.host[1].iss };

	tt_trace_bases(s->steps, s->nsteps, s->nstreams, iss, base);
}

void
tt_sim_view(const struct tt_sim *s, int host, struct tt_tcb_view *v)
{
	tt_conn_view(sim_host_default(&s->host[host & 1]), v);
}

