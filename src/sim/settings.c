/* sim/settings.c: the settings part of a scenario: `host` lines (name,
 * address, port, ISS and the listener's queues) and `set` lines (the
 * engine's settings, the links, the seed), each checked against the
 * values it accepts (doc/scenario-format.md).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "i18n.h"
#include "sim/internal.h"
#include "sim/scenario.h"

/* An ISS derived from a seed, so "set seed N" gives varied but repeatable
 * initial sequence numbers: splitmix64's (host + 1)th number from it. */
static uint32_t
seeded_iss(uint64_t seed, int host)
{
	return (uint32_t)tt_mix64(seed + 0x9e3779b97f4a7c15ull * (uint64_t)host);
}

/* Engine settings given in seconds, with the values they accept. */
static const struct {
	const char *name;
	size_t off;
	tt_time min;             /* the least value accepted */
	tt_time below;           /* values must be less than this (0: no bound) */
	const char *why;         /* the rule the bound comes from */
} time_params[] = {
	{ "rto", offsetof(struct tt_config, rto_initial), 1, 0, NULL },
	{ "rto-min", offsetof(struct tt_config, rto_min), 1, 0, NULL },
	{ "rto-max", offsetof(struct tt_config, rto_max), 1, 0, NULL },
	{ "msl", offsetof(struct tt_config, msl), 0, 0, NULL },
	{ "ka-idle", offsetof(struct tt_config, ka_idle), 1, 0, NULL },
	{ "ka-interval", offsetof(struct tt_config, ka_interval), 1, 0, NULL },
	{ "delack", offsetof(struct tt_config, delack), 0, TT_MS(500),
	  N_("RFC 9293 §3.8.6.3: the delay of an ACK MUST be less than 0.5 s") },
	{ "user-timeout", offsetof(struct tt_config, user_timeout), 0, 0, NULL },
	{ "fin-timeout", offsetof(struct tt_config, fin_timeout), 0, 0, NULL },
	{ "oow-ratelimit", offsetof(struct tt_config, oow_ratelimit), 0, 0, NULL },
};

/* Engine settings that are counts. */
static const struct {
	const char *name;
	size_t off;
	uint32_t min, max;
} count_params[] = {
	{ "syn-retries", offsetof(struct tt_config, syn_retries), 0, 255 },
	{ "synack-retries", offsetof(struct tt_config, synack_retries), 0, 255 },
	{ "retries", offsetof(struct tt_config, data_retries), 0, 255 },
	{ "ka-probes", offsetof(struct tt_config, ka_probes), 1, 255 },
	{ "window", offsetof(struct tt_config, rcv_wnd), 0, 1u << 30 },
	{ "initial-window", offsetof(struct tt_config, initial_window), 0, 100 },
};

/* Engine settings that are on or off (stored as an int). */
static const struct {
	const char *name;
	size_t off;
	int invert;              /* the field holds the opposite */
} bool_params[] = {
	{ "two-way-handshake", offsetof(struct tt_config, two_way_handshake), 0 },
	{ "challenge-ack", offsetof(struct tt_config, no_challenge_ack), 1 },
	{ "tw-reuse", offsetof(struct tt_config, tw_reuse), 0 },
	{ "rst-ack", offsetof(struct tt_config, rst_ack), 0 },
	{ "nagle", offsetof(struct tt_config, nagle), 0 },
	{ "congestion", offsetof(struct tt_config, congestion), 0 },
	{ "nodelay", offsetof(struct tt_config, nagle), 1 },
};


static int
set_time_param(struct tt_config *c, size_t i, const char *val, char *err, size_t errlen)
{
	tt_time t;

	if (sim_scn_seconds(val, &t) == -1) {
		snprintf(err, errlen, _("'%s' is not a number of seconds"), val);
		return -1;
	}
	if (t < time_params[i].min) {
		snprintf(err, errlen, _("%s must be more than 0 seconds"), time_params[i].name);
		return -1;
	}
	if (time_params[i].below > 0 && t >= time_params[i].below) {
		snprintf(err, errlen, _("%s %s is too long (%s)"), time_params[i].name, val,
		         _(time_params[i].why));
		return -1;
	}
	*(tt_time *)(void *)((char *)c + time_params[i].off) = t;
	if (strcmp(time_params[i].name, "rto") == 0 && c->rto_min > c->rto_initial)
		c->rto_min = c->rto_initial;
	return 0;
}

static int
set_param(struct tt_config *c, const char *name, const char *val, char *err, size_t errlen)
{
	uint32_t v;
	int b;

	for (size_t i = 0; i < NELEM(time_params); i++)
		if (strcmp(name, time_params[i].name) == 0)
			return set_time_param(c, i, val, err, errlen);
	for (size_t i = 0; i < NELEM(count_params); i++) {
		if (strcmp(name, count_params[i].name) != 0)
			continue;
		if (sim_scn_u32(val, &v) == -1 || v < count_params[i].min || v > count_params[i].max) {
			snprintf(err, errlen, _("%s must be a number from %u to %u, not '%s'"),
			         name, (unsigned)count_params[i].min, (unsigned)count_params[i].max,
			         val);
			return -1;
		}
		if (strcmp(name, "window") == 0)
			c->rcv_wnd = v;
		else
			*(unsigned *)(void *)((char *)c + count_params[i].off) = v;
		return 0;
	}
	for (size_t i = 0; i < NELEM(bool_params); i++) {
		if (strcmp(name, bool_params[i].name) != 0)
			continue;
		if ((b = sim_scn_onoff(val)) < 0) {
			snprintf(err, errlen, _("'%s' is not on or off"), val);
			return -1;
		}
		*(int *)(void *)((char *)c + bool_params[i].off) = bool_params[i].invert ? !b : b;
		return 0;
	}
	if (strcmp(name, "mss") == 0) {
		if (sim_scn_u32(val, &v) == -1 || v == 0 || v > 65495) {
			snprintf(err, errlen, _("mss must be a number from 1 to 65495, not '%s'"),
			         val);
			return -1;
		}
		c->mss = (uint16_t)v;
		return 0;
	}
	if (strcmp(name, "cc") == 0) {
		if (strcmp(val, "reno") == 0)
			c->cc = TT_CC_RENO;
		else if (strcmp(val, "cubic") == 0)
			c->cc = TT_CC_CUBIC;
		else {
			snprintf(err, errlen, _("cc must be reno or cubic, not '%s'"), val);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "ecn") == 0) {
		/* RFC 3168: on asks and agrees; accept only agrees (Linux's
		 * tcp_ecn=2) */
		if (strcmp(val, "accept") == 0)
			c->ecn = 2;
		else if ((b = sim_scn_onoff(val)) >= 0)
			c->ecn = b;
		else {
			snprintf(err, errlen, _("ecn must be on, off or accept, not '%s'"), val);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "wscale") == 0) {
		/* RFC 7323 §2.3: shifts 0 to 14 */
		if (strcmp(val, "off") == 0 || strcmp(val, "no") == 0) {
			c->wscale = -1;
			return 0;
		}
		if (sim_scn_u32(val, &v) == -1 || v > 14) {
			snprintf(err, errlen, _("wscale must be off or a shift from 0 to 14 "
			         "(RFC 7323 §2.3), not '%s'"), val);
			return -1;
		}
		c->wscale = (int)v;
		return 0;
	}
	if (strcmp(name, "preset") == 0) {
		if (strcmp(val, "linux") == 0)
			tt_config_linux(c);
		else if (strcmp(val, "rfc") == 0)
			tt_config_default(c);
		else {
			snprintf(err, errlen, _("unknown preset '%s' (use rfc or linux)"), val);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, _("unknown setting '%s'"), name);
	return -1;
}

/* The listener's queues (the host's, not the engine's): backlog,
 * syn-backlog (tcp_max_syn_backlog), abort-on-overflow, syncookies; else
 * an engine setting. */
static int
set_host_param(struct tt_host_config *h, const char *name, const char *val, char *err,
               size_t errlen)
{
	uint32_t v;
	int b;

	if (strcmp(name, "backlog") == 0 || strcmp(name, "syn-backlog") == 0) {
		if (sim_scn_u32(val, &v) == -1 || v > 65535 || (name[0] == 's' && v == 0)) {
			snprintf(err, errlen, _("%s must be a number from %d to 65535, not '%s'"),
			         name, name[0] == 's', val);
			return -1;
		}
		if (name[0] == 'b')
			h->listen.backlog = (int)v;
		else
			h->listen.max_syn_backlog = v;
		return 0;
	}
	if (strcmp(name, "abort-on-overflow") == 0) {
		if ((b = sim_scn_onoff(val)) < 0) {
			snprintf(err, errlen, _("'%s' is not on or off"), val);
			return -1;
		}
		h->listen.abort_on_overflow = b;
		return 0;
	}
	if (strcmp(name, "syncookies") == 0) {
		if (strlen(val) != 1 || val[0] < '0' || val[0] > '2') {
			snprintf(err, errlen, _("syncookies is 0 (never), 1 (when the SYN queue "
			         "overflows) or 2 (always), not '%s'"), val);
			return -1;
		}
		h->listen.syncookies = val[0] - '0';
		return 0;
	}
	return set_param(&h->tcp, name, val, err, errlen);
}

/* host client|server ADDRESS PORT [iss=N] */
int
sim_scn_host(struct tt_scenario *sc, char *const *w, int n, char *err, size_t errlen)
{
	struct tt_host_config *h;
	unsigned char addr[16];
	uint32_t v;
	int i;

	if (n < 4 || n > 5 || (i = sim_scn_host_index(w[1])) < 0) {
		snprintf(err, errlen, "%s", _("use: host client|server ADDRESS PORT [iss=N]"));
		return -1;
	}
	h = &sc->cfg.host[i];
	if (strlen(w[2]) >= sizeof h->addr ||
	    (inet_pton(AF_INET, w[2], addr) != 1 && inet_pton(AF_INET6, w[2], addr) != 1)) {
		snprintf(err, errlen, _("'%s' is not an IPv4 or IPv6 address"), w[2]);
		return -1;
	}
	if (sim_scn_u32(w[3], &v) == -1 || v == 0 || v > 65535) {
		snprintf(err, errlen, _("'%s' is not a port (1-65535)"), w[3]);
		return -1;
	}
	if (n == 5 && (strncmp(w[4], "iss=", 4) != 0 || sim_scn_u32(w[4] + 4, &h->iss) == -1)) {
		snprintf(err, errlen, _("'%s' is not iss=NUMBER"), w[4]);
		return -1;
	}
	snprintf(h->addr, sizeof h->addr, "%s", w[2]);
	h->port = (uint16_t)v;
	if (n == 5)
		sc->iss_set[i] = 1;
	return 1;
}

/* The wire's bottleneck settings (struct tt_link), per sending host. */
static int
is_link_setting(const char *w)
{
	return strcmp(w, "rate") == 0 || strcmp(w, "queue") == 0 || strcmp(w, "mark") == 0 ||
	       strcmp(w, "loss") == 0;
}

/* "2mbit", "500kbit", "1gbit" or bits per second: the rate in bit/s. */
static int
parse_rate(const char *w, uint64_t *bps)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(w, &end);
	if (end == w || errno != 0 || !(x > 0))
		return -1;
	if (strcmp(end, "kbit") == 0)
		x *= 1e3;
	else if (strcmp(end, "mbit") == 0)
		x *= 1e6;
	else if (strcmp(end, "gbit") == 0)
		x *= 1e9;
	else if (strcmp(end, "bit") != 0 && *end != '\0')
		return -1;
	if (x < 8 || x > 1e12)
		return -1;
	*bps = (uint64_t)x;
	return 0;
}

static int
set_link(struct tt_link *l, const char *name, const char *val, char *err, size_t errlen)
{
	uint32_t v;

	if (strcmp(name, "rate") == 0) {
		if (strcmp(val, "off") == 0) {
			l->rate = 0;
			return 0;
		}
		if (parse_rate(val, &l->rate) == -1) {
			snprintf(err, errlen, _("'%s' is not a rate (2mbit, 500kbit, 1gbit, "
			         "or off)"), val);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "loss") == 0) {
		char *end;
		double pc;

		errno = 0;
		pc = strtod(val, &end);
		if (end == val || errno != 0 || (*end != '\0' && strcmp(end, "%") != 0) ||
		    !(pc >= 0 && pc <= 100)) {
			snprintf(err, errlen, _("loss must be a percentage from 0 to 100, "
			         "not '%s'"), val);
			return -1;
		}
		l->loss_ppm = (uint32_t)(pc * 10000 + 0.5);
		return 0;
	}
	if (sim_scn_u32(val, &v) == -1 || v > 100000) {
		snprintf(err, errlen, _("%s must be a number of segments from 0 "
		         "to 100000, not '%s'"), name, val);
		return -1;
	}
	if (strcmp(name, "queue") == 0)
		l->queue = v;
	else
		l->mark = v;
	return 0;
}

/* set seed N, set delay [HOST] SECONDS, set rate|queue|mark|loss [HOST]
 * VALUE, set HOST|both SETTING VALUE */
int
sim_scn_set(struct tt_scenario *sc, char *const *w, int n, char *err, size_t errlen)
{
	int i;

	if (n >= 2 && strcmp(w[1], "seed") == 0) {
		uint32_t seed;

		if (n != 3 || sim_scn_u32(w[2], &seed) == -1) {
			snprintf(err, errlen, "%s", _("use: set seed N (a number)"));
			return -1;
		}
		for (i = 0; i < 2; i++) {
			if (!sc->iss_set[i])
				sc->cfg.host[i].iss = seeded_iss(seed, i);
			tt_sim_secret(seed, i, &sc->cfg.host[i].secret);
		}
		sc->cfg.loss_seed = seed;
		return 1;
	}
	if (n >= 2 && is_link_setting(w[1])) {
		int from = -1;

		if (n == 4 && (from = sim_scn_host_index(w[2])) < 0) {
			snprintf(err, errlen, _("unknown host '%s' (use client or server)"), w[2]);
			return -1;
		}
		if (n < 3 || n > 4) {
			snprintf(err, errlen, _("use: set %s [client|server] VALUE"), w[1]);
			return -1;
		}
		for (i = 0; i < 2; i++)
			if ((from < 0 || from == i) &&
			    set_link(&sc->cfg.link[i], w[1], w[n - 1], err, errlen) == -1)
				return -1;
		return 1;
	}
	if (n >= 2 && strcmp(w[1], "delay") == 0) {
		tt_time t;

		if (n < 3 || n > 4 || sim_scn_seconds(w[n - 1], &t) == -1) {
			snprintf(err, errlen, "%s", _("use: set delay [client|server] SECONDS"));
			return -1;
		}
		if (n == 3) {
			sc->cfg.delay[0] = sc->cfg.delay[1] = t;
		} else if ((i = sim_scn_host_index(w[2])) >= 0) {
			sc->cfg.delay[i] = t;
		} else {
			snprintf(err, errlen, _("unknown host '%s' (use client or server)"), w[2]);
			return -1;
		}
		return 1;
	}
	if (n != 4) {
		snprintf(err, errlen, "%s", _("use: set client|server|both SETTING VALUE"));
		return -1;
	}
	if (strcmp(w[1], "both") == 0) {
		for (i = 0; i < 2; i++)
			if (set_host_param(&sc->cfg.host[i], w[2], w[3], err, errlen) == -1)
				return -1;
		return 1;
	}
	if ((i = sim_scn_host_index(w[1])) < 0) {
		snprintf(err, errlen, _("unknown host '%s' (use client, server or both)"), w[1]);
		return -1;
	}
	return set_host_param(&sc->cfg.host[i], w[2], w[3], err, errlen) == -1 ? -1 : 1;
}

