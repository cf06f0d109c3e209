/* tests/check_prop.c: a random property test of the engine and the simulator.
 *
 * Thousands of random scenarios (random host settings, random user calls,
 * faults on the wire, hand-made segments with numbers near the real ones)
 * from a fixed seed; after every action, the steps it added to the trace are
 * checked against these invariants:
 *
 *   1. every state change is an edge of RFC 9293's state diagram (or one of
 *      the few extra edges below), and follows from the state before it;
 *   2. no host sends data beyond the right edge of the window its peer
 *      advertised (a one-byte probe of a zero window excepted);
 *   3. no host acknowledges a sequence number its peer never sent;
 *   4. ACKs that answer unacceptable segments without payload or FIN are
 *      rate-limited: at most 1 + 1 s / oow_ratelimit of them in any second;
 *   5. every action ends (tt_sim_do never returns -2);
 *   6. TCB views are sane: SND.UNA =< SND.NXT, states and reasons in range,
 *      no more bytes waiting unread than the buffer holds (and less than
 *      one unit of the window scale more: an offer rounded up);
 *   7. replay's observer, given the run's segments as a capture on the wire
 *      shows them (each where it arrived, a lost one where it was sent),
 *      goes through invariant 1's edges only, each from where the endpoint
 *      was (engine/observer.c: whatever the segments, the inferred states
 *      move as RFC 9293 allows);
 *   8. (no sanitizer report: automatic in the sanitizer build.)
 *
 * Segments made by hand (inject) are known by their fields; they are not
 * held to 2 and 3 as senders, but what they carry counts as sent (3), and
 * the window they offer counts (2) only when the receiver took it. Windows
 * are kept per incarnation of the sender's connection (by its ISS).
 *
 * A failure is shrunk to a minimal scenario (actions removed one at a time,
 * numbers and host settings simplified, re-running from scratch each time
 * while the same invariant still fails first) and printed in the scenario
 * file language with the seed that found it.
 *
 * Environment: TT_PROP_SEEDS=N runs seeds 1..N (default 3000);
 * TT_PROP_SEED=S runs only seed S (and prints its whole scenario);
 * TT_PROP_TRACE=1 with TT_PROP_SEED also prints every step of the trace.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "tt_check.h"
#include "sim/sim.h"

#define DEFAULT_SEEDS 20000
#define MAXACT 64               /* actions in one scenario */
#define MAXINC 64               /* incarnations remembered per host */
#define OOW_RING 64             /* replies to unacceptable segments remembered */
#define MAX_REPORTS 5           /* distinct failures shrunk and printed */

static const char *const host_name[2] = { "client", "server" };

/* ---- random numbers: splitmix64 (base.h) ---------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	return tt_next64(&r->s);
}

/* 0 .. n-1 */
static uint32_t
rn(struct rng *r, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(rng_next(r) % n);
}

/* lo .. hi, inclusive */
static uint32_t
rrange(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rn(r, hi - lo + 1);
}

static int
chance(struct rng *r, unsigned pct)
{
	return rn(r, 100) < pct;
}

/* A time between lo and hi milliseconds, on a whole millisecond. */
static tt_time
rms(struct rng *r, uint32_t lo, uint32_t hi)
{
	return TT_MS(rrange(r, lo, hi));
}

/* ---- scenarios -------------------------------------------------------------- */

struct scen {
	struct tt_sim_config cfg;
	size_t nact;
	struct tt_action act[MAXACT];
};

/* The engine settings, with their keywords in scenario files (`set HOST
 * NAME VALUE`): what the printer writes and the shrinker simplifies. */
enum ftype { F_TIME, F_UINT, F_U32, F_U16, F_BOOL, F_NOTBOOL, F_SHIFT, F_CC, F_ECN };

static const struct field {
	const char *name;
	size_t off;
	enum ftype type;
} fields[] = {
	{ "rto", offsetof(struct tt_config, rto_initial), F_TIME },
	{ "rto-min", offsetof(struct tt_config, rto_min), F_TIME },
	{ "rto-max", offsetof(struct tt_config, rto_max), F_TIME },
	{ "syn-retries", offsetof(struct tt_config, syn_retries), F_UINT },
	{ "synack-retries", offsetof(struct tt_config, synack_retries), F_UINT },
	{ "retries", offsetof(struct tt_config, data_retries), F_UINT },
	{ "user-timeout", offsetof(struct tt_config, user_timeout), F_TIME },
	{ "msl", offsetof(struct tt_config, msl), F_TIME },
	{ "ka-idle", offsetof(struct tt_config, ka_idle), F_TIME },
	{ "ka-interval", offsetof(struct tt_config, ka_interval), F_TIME },
	{ "ka-probes", offsetof(struct tt_config, ka_probes), F_UINT },
	{ "delack", offsetof(struct tt_config, delack), F_TIME },
	{ "window", offsetof(struct tt_config, rcv_wnd), F_U32 },
	{ "mss", offsetof(struct tt_config, mss), F_U16 },
	{ "two-way-handshake", offsetof(struct tt_config, two_way_handshake), F_BOOL },
	{ "challenge-ack", offsetof(struct tt_config, no_challenge_ack), F_NOTBOOL },
	{ "oow-ratelimit", offsetof(struct tt_config, oow_ratelimit), F_TIME },
	{ "fin-timeout", offsetof(struct tt_config, fin_timeout), F_TIME },
	{ "tw-reuse", offsetof(struct tt_config, tw_reuse), F_BOOL },
	{ "nagle", offsetof(struct tt_config, nagle), F_BOOL },
	{ "congestion", offsetof(struct tt_config, congestion), F_BOOL },
	{ "initial-window", offsetof(struct tt_config, initial_window), F_UINT },
	{ "rst-ack", offsetof(struct tt_config, rst_ack), F_BOOL },
	{ "wscale", offsetof(struct tt_config, wscale), F_SHIFT },
	{ "cc", offsetof(struct tt_config, cc), F_CC },
	{ "ecn", offsetof(struct tt_config, ecn), F_ECN },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static int64_t
fget(const struct tt_config *c, const struct field *f)
{
	const char *p = (const char *)c + f->off;

	switch (f->type) {
	case F_TIME: {
		tt_time t;

		memcpy(&t, p, sizeof t);
		return t;
	}
	case F_UINT: {
		unsigned u;

		memcpy(&u, p, sizeof u);
		return u;
	}
	case F_U32: {
		uint32_t u;

		memcpy(&u, p, sizeof u);
		return u;
	}
	case F_U16: {
		uint16_t u;

		memcpy(&u, p, sizeof u);
		return u;
	}
	default: {
		int b;

		memcpy(&b, p, sizeof b);
		return b;
	}
	}
}

static void
fset(struct tt_config *c, const struct field *f, int64_t v)
{
	char *p = (char *)c + f->off;

	switch (f->type) {
	case F_TIME: {
		tt_time t = v;

		memcpy(p, &t, sizeof t);
		break;
	}
	case F_UINT: {
		unsigned u = (unsigned)v;

		memcpy(p, &u, sizeof u);
		break;
	}
	case F_U32: {
		uint32_t u = (uint32_t)v;

		memcpy(p, &u, sizeof u);
		break;
	}
	case F_U16: {
		uint16_t u = (uint16_t)v;

		memcpy(p, &u, sizeof u);
		break;
	}
	default: {
		int b = (int)v;

		memcpy(p, &b, sizeof b);
		break;
	}
	}
}

/* "1.5", "0.001", "300" */
static char *
fmt_secs(tt_time t, char *buf, size_t len)
{
	int neg = t < 0;
	unsigned long long u = (unsigned long long)(neg ? -t : t);
	size_t n;

	snprintf(buf, len, "%s%llu.%06llu", neg ? "-" : "", u / 1000000, u % 1000000);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

static void
fmt_value(const struct field *f, int64_t v, char *buf, size_t len)
{
	switch (f->type) {
	case F_TIME:
		fmt_secs(v, buf, len);
		break;
	case F_BOOL:
		snprintf(buf, len, "%s", v ? "on" : "off");
		break;
	case F_NOTBOOL:
		snprintf(buf, len, "%s", v ? "off" : "on");
		break;
	case F_CC:
		snprintf(buf, len, "%s", v == TT_CC_CUBIC ? "cubic" : "reno");
		break;
	case F_ECN:
		snprintf(buf, len, "%s", v == 2 ? "accept" : v ? "on" : "off");
		break;
	case F_SHIFT:
		if (v < 0)
			snprintf(buf, len, "off");
		else
			snprintf(buf, len, "%lld", (long long)v);
		break;
	default:
		snprintf(buf, len, "%lld", (long long)v);
		break;
	}
}

/* The optional "[FLAGS] [to HOST] [#N]" tail of the wire actions. */
static size_t
fmt_match(const struct tt_action *a, int flags_ok, char *buf, size_t len)
{
	size_t n = strlen(buf);
	char f[64];

	if (flags_ok && a->flags_match != 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s",
		                      tt_flags_format(a->flags_match, f, sizeof f));
	if (a->toward >= 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " to %s", host_name[a->toward & 1]);
	if (a->nth > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " #%u", a->nth + 1);
	return n;
}

/* One action as a scenario line. */
static char *
fmt_action(const struct tt_action *a, char *buf, size_t len)
{
	char h[24], t[32], f[64];

	if (a->conn > 0)
		snprintf(h, sizeof h, "%s:%u", host_name[a->host & 1], a->conn - 1);
	else
		snprintf(h, sizeof h, "%s", host_name[a->host & 1]);
	buf[0] = '\0';
	switch (a->kind) {
	case TT_A_LISTEN:
		snprintf(buf, len, "listen %s", h);
		break;
	case TT_A_CONNECT:
		snprintf(buf, len, "connect %s%s", h, a->fresh ? " new" : "");
		break;
	case TT_A_SEND:
		snprintf(buf, len, "send %s %u%s", h, a->count, a->urgent ? " urgent" : "");
		break;
	case TT_A_RECEIVE:
		snprintf(buf, len, "receive %s", h);
		break;
	case TT_A_CLOSE:
		snprintf(buf, len, "close %s", h);
		break;
	case TT_A_SHUTDOWN:
		snprintf(buf, len, "shutdown %s", h);
		break;
	case TT_A_ABORT:
		snprintf(buf, len, "abort %s", h);
		break;
	case TT_A_KEEPALIVE:
		snprintf(buf, len, "keepalive %s %s", h, a->on ? "on" : "off");
		break;
	case TT_A_DELIVER:
		if (a->count > 1)
			snprintf(buf, len, "deliver %u", a->count);
		else
			snprintf(buf, len, "deliver");
		fmt_match(a, 0, buf, len);
		break;
	case TT_A_DELIVER_ALL:
		snprintf(buf, len, "run");
		fmt_match(a, 0, buf, len);
		break;
	case TT_A_DROP:
		snprintf(buf, len, "drop");
		fmt_match(a, 1, buf, len);
		break;
	case TT_A_DUPLICATE:
		snprintf(buf, len, "duplicate");
		fmt_match(a, 1, buf, len);
		break;
	case TT_A_DELAY:
		snprintf(buf, len, "delay %s", fmt_secs(a->amount, t, sizeof t));
		fmt_match(a, 1, buf, len);
		break;
	case TT_A_ADVANCE:
		snprintf(buf, len, "advance %s", fmt_secs(a->amount, t, sizeof t));
		break;
	case TT_A_CRASH:
		snprintf(buf, len, "crash %s%s", h, a->on ? " silent" : "");
		break;
	case TT_A_INJECT:
		snprintf(buf, len, "inject %s %s seq=%u ack=%u len=%u win=%u", h,
		         tt_flags_format(a->inject.flags, f, sizeof f), a->inject.seq, a->inject.ack,
		         a->inject.len, a->inject.wnd);
		break;
	case TT_A_ACCEPT:
		snprintf(buf, len, "accept %s", h);
		break;
	case TT_A_FLOOD:
		snprintf(buf, len, "flood %s %u", h, a->count);
		break;
	default:
		snprintf(buf, len, "# action kind %d", (int)a->kind);
		break;
	}
	return buf;
}

/* The settings of one host that differ from a base (RFC defaults or the
 * Linux preset, whichever needs fewer lines). */
static void
print_host_settings(FILE *fp, const char *prefix, int h, const struct tt_config *c)
{
	struct tt_config def, lin;
	const struct tt_config *base;
	unsigned ndef = 0, nlin = 0;
	char v[32];

	tt_config_default(&def);
	tt_config_linux(&lin);
	for (size_t i = 0; i < NFIELDS; i++) {
		ndef += fget(c, &fields[i]) != fget(&def, &fields[i]);
		nlin += fget(c, &fields[i]) != fget(&lin, &fields[i]);
	}
	base = &def;
	if (nlin + 1 < ndef) {
		base = &lin;
		fprintf(fp, "%sset %s preset linux\n", prefix, host_name[h]);
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		int64_t x = fget(c, &fields[i]);

		if (x == fget(base, &fields[i]))
			continue;
		fmt_value(&fields[i], x, v, sizeof v);
		fprintf(fp, "%sset %s %s %s\n", prefix, host_name[h], fields[i].name, v);
	}
}

static void
print_scenario(FILE *fp, const char *prefix, const struct scen *sc, const int *rc)
{
	struct tt_sim_config def;
	char buf[256], t[32];

	tt_sim_config_default(&def);
	for (int h = 0; h < 2; h++)
		fprintf(fp, "%shost %s %s %u iss=%u\n", prefix, host_name[h], sc->cfg.host[h].addr,
		        sc->cfg.host[h].port, sc->cfg.host[h].iss);
	if (sc->cfg.delay[0] == sc->cfg.delay[1]) {
		if (sc->cfg.delay[0] != def.delay[0])
			fprintf(fp, "%sset delay %s\n", prefix, fmt_secs(sc->cfg.delay[0], t, sizeof t));
	} else {
		for (int h = 0; h < 2; h++)
			fprintf(fp, "%sset delay %s %s\n", prefix, host_name[h],
			        fmt_secs(sc->cfg.delay[h], t, sizeof t));
	}
	if (sc->cfg.loss_seed != 0 && (sc->cfg.link[0].loss_ppm || sc->cfg.link[1].loss_ppm))
		fprintf(fp, "%s# random loss from seed %llu (the scenario file's 'set seed' would "
		        "also move the ISSs)\n", prefix, (unsigned long long)sc->cfg.loss_seed);
	for (int h = 0; h < 2; h++) {
		const struct tt_link *l = &sc->cfg.link[h];

		if (l->rate)
			fprintf(fp, "%sset rate %s %llubit\n", prefix, host_name[h],
			        (unsigned long long)l->rate);
		if (l->queue)
			fprintf(fp, "%sset queue %s %u\n", prefix, host_name[h], l->queue);
		if (l->mark)
			fprintf(fp, "%sset mark %s %u\n", prefix, host_name[h], l->mark);
		if (l->loss_ppm)
			fprintf(fp, "%sset loss %s %u.%04u%%\n", prefix, host_name[h],
			        l->loss_ppm / 10000, l->loss_ppm % 10000);
	}
	for (int h = 0; h < 2; h++) {
		const struct tt_listen_config *l = &sc->cfg.host[h].listen, *d = &def.host[h].listen;

		print_host_settings(fp, prefix, h, &sc->cfg.host[h].tcp);
		if (l->backlog != d->backlog)
			fprintf(fp, "%sset %s backlog %d\n", prefix, host_name[h], l->backlog);
		if (l->max_syn_backlog != d->max_syn_backlog)
			fprintf(fp, "%sset %s syn-backlog %u\n", prefix, host_name[h],
			        l->max_syn_backlog);
		if (l->abort_on_overflow != d->abort_on_overflow)
			fprintf(fp, "%sset %s abort-on-overflow %s\n", prefix, host_name[h],
			        l->abort_on_overflow ? "on" : "off");
		if (l->syncookies != d->syncookies)
			fprintf(fp, "%sset %s syncookies %d\n", prefix, host_name[h], l->syncookies);
	}
	for (size_t i = 0; i < sc->nact; i++) {
		fmt_action(&sc->act[i], buf, sizeof buf);
		if (rc != NULL && rc[i] == -1)
			fprintf(fp, "%s# %s    (not possible here: returned %d)\n", prefix, buf, rc[i]);
		else
			fprintf(fp, "%s%s\n", prefix, buf);
	}
}

/* ---- generation ----------------------------------------------------------- */

static void
gen_host(struct rng *r, struct tt_host_config *hc)
{
	struct tt_config *c = &hc->tcp;
	int lnx = chance(r, 20);
	unsigned u;

	if (lnx)
		tt_config_linux(c);
	else
		tt_config_default(c);
	hc->iss = chance(r, 50) ? 0xFFFFF000u + rn(r, 0x1000) : (uint32_t)rng_next(r);
	if (chance(r, 35)) {
		/* the listener's queues (sim/host.h): small, so that they fill */
		hc->listen.backlog = (int)rn(r, 4);
		hc->listen.syncookies = (int)rn(r, 3);
		hc->listen.abort_on_overflow = chance(r, 30);
		if (chance(r, 30))
			hc->listen.max_syn_backlog = rrange(r, 1, 12);
	} else if (chance(r, 10)) {
		hc->listen.syncookies = 2;      /* cookies always, without queues */
	}
	u = rn(r, 100);
	if (u < 8) {
		c->rcv_wnd = 0;
	} else if (u < 22) {
		static const uint32_t tiny[] = { 1, 100, 500 };

		c->rcv_wnd = tiny[rn(r, 3)];
	} else if (u < 35) {
		c->rcv_wnd = rrange(r, 1, 3000);
	} else {
		c->rcv_wnd = rn(r, 65536);
	}
	c->mss = (uint16_t)(chance(r, 30) ? rrange(r, 1, 100) : rrange(r, 1, 1460));
	/* RFC 7323: offered by either, both or neither; a buffer beyond 64 KiB
	 * only means something with a shift */
	if (chance(r, 35))
		c->wscale = chance(r, 20) ? 14 : (int)rn(r, 15);
	else if (chance(r, 15))
		c->wscale = -1;
	if (c->wscale > 0 && chance(r, 40))
		c->rcv_wnd = rrange(r, 65536, 1u << 22);
	if (chance(r, 30))
		c->cc = chance(r, 50) ? TT_CC_CUBIC : TT_CC_RENO;
	if (chance(r, 30))
		c->ecn = (int)rn(r, 3);
	if (lnx && chance(r, 50))
		return;                 /* the preset's own (long) timers */
	c->rto_initial = rms(r, 200, 3000);
	c->rto_min = rms(r, 10, (uint32_t)(c->rto_initial / 1000));
	c->rto_max = rms(r, (uint32_t)(c->rto_initial / 1000), 60000);
	c->syn_retries = rrange(r, 1, 7);
	c->synack_retries = rrange(r, 1, 7);
	c->data_retries = rrange(r, 1, 15);
	c->ka_idle = rms(r, 1000, 100000);
	c->ka_interval = rms(r, 1000, 10000);
	c->ka_probes = rrange(r, 1, 10);
	c->msl = rms(r, 1000, 60000);
	c->delack = chance(r, 50) ? 0 : rms(r, 10, 490);
	c->user_timeout = chance(r, 60) ? 0 : rms(r, 5000, 100000);
	c->oow_ratelimit = chance(r, 70) ? TT_MS(500) : rms(r, 500, 2000);
	c->fin_timeout = chance(r, 50) ? 0 : rms(r, 1000, 60000);
	if (!lnx) {
		c->tw_reuse = chance(r, 50);
		c->rst_ack = chance(r, 50);
		c->nagle = chance(r, 30);
		c->congestion = !chance(r, 20);
		c->initial_window = chance(r, 70) ? 0 : rrange(r, 1, 10);
	}
	c->no_challenge_ack = chance(r, 10);
}

static void
gen_config(struct rng *r, struct tt_sim_config *cfg)
{
	tt_sim_config_default(cfg);
	for (int h = 0; h < 2; h++) {
		gen_host(r, &cfg->host[h]);
		cfg->delay[h] = rms(r, 1, 300);
		/* a bottleneck now and then: rate, queue, CE marks, loss */
		if (chance(r, 20)) {
			cfg->link[h].rate = rrange(r, 8000, 100000000);
			cfg->link[h].queue = chance(r, 30) ? 0 : rn(r, 20);
			cfg->link[h].mark = chance(r, 50) ? 0 : rn(r, 10);
		}
		if (chance(r, 10))
			cfg->link[h].loss_ppm = rn(r, 300001);
	}
	cfg->loss_seed = rng_next(r);
}

static unsigned
gen_flags(struct rng *r)
{
	static const struct {
		unsigned flags, weight;
	} common[] = {
		{ TT_ACK, 20 }, { TT_SYN, 12 }, { TT_SYN | TT_ACK, 8 }, { TT_RST, 10 },
		{ TT_RST | TT_ACK, 8 }, { TT_FIN | TT_ACK, 8 }, { TT_PSH | TT_ACK, 10 },
		{ TT_FIN, 3 }, { 0, 3 }, { TT_FIN | TT_PSH | TT_ACK, 4 },
	};
	unsigned total = 0, x;

	if (chance(r, 15))
		return rn(r, 0x40);     /* any mix of FIN SYN RST PSH ACK URG */
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
		total += common[i].weight;
	x = rn(r, total);
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
		if (x < common[i].weight)
			return common[i].flags;
		x -= common[i].weight;
	}
	return TT_ACK;
}

static int
small(struct rng *r, int k)
{
	return (int)rn(r, (uint32_t)(2 * k + 1)) - k;
}

static int
has_tcb(const struct tt_tcb_view *v)
{
	return v->state != TT_CLOSED && v->state != TT_LISTEN;
}

/* A hand-made segment "from" host h's address toward the other host, with
 * numbers near what the receiver expects most of the time. */
static void
gen_inject(struct rng *r, const struct tt_tcb_view v[2], struct tt_action *a)
{
	const struct tt_tcb_view *rv = &v[!a->host], *sv = &v[a->host];
	struct tt_seg *g = &a->inject;
	unsigned u;

	g->flags = (uint16_t)gen_flags(r);
	u = rn(r, 100);
	if (u < 55 && has_tcb(rv))
		g->seq = rv->rcv_nxt + (uint32_t)small(r, chance(r, 70) ? 3 : (int)(rv->rcv_wnd + 2));
	else if (u < 65 && has_tcb(rv))
		g->seq = rv->rcv_nxt + rv->rcv_wnd + (uint32_t)small(r, 2);
	else if (u < 80 && has_tcb(sv))
		g->seq = sv->snd_nxt + (uint32_t)small(r, 3);
	else
		g->seq = (uint32_t)rng_next(r);
	u = rn(r, 100);
	if (u < 50 && has_tcb(rv))
		g->ack = rv->snd_nxt + (uint32_t)small(r, 2);
	else if (u < 62 && has_tcb(rv))
		g->ack = rv->snd_una + (uint32_t)small(r, 2);
	else if (u < 70 && has_tcb(rv))
		g->ack = rv->snd_una - rrange(r, 1, 200000);    /* old: RFC 5961 §5.2 */
	else if (u < 80 && has_tcb(rv))
		g->ack = rv->snd_nxt + rrange(r, 1, 100000);    /* of unsent data */
	else
		g->ack = (uint32_t)rng_next(r);
	u = rn(r, 100);
	g->len = u < 60 ? 0 : u < 85 ? rrange(r, 1, 100) : rrange(r, 1, 2000);
	u = rn(r, 100);
	g->wnd = u < 15 ? 0 : u < 30 ? rn(r, 100) : rn(r, 65536);
}

static void
gen_fault(struct rng *r, struct tt_action *a)
{
	static const unsigned fl[] = {
		TT_ACK, TT_SYN, TT_SYN | TT_ACK, TT_FIN | TT_ACK, TT_PSH | TT_ACK, TT_RST,
		TT_RST | TT_ACK, TT_FIN | TT_PSH | TT_ACK,
	};

	a->flags_match = chance(r, 50) ? 0 : fl[rn(r, sizeof fl / sizeof fl[0])];
	a->toward = (int)rn(r, 3) - 1;
	a->nth = chance(r, 80) ? 0 : rrange(r, 1, 3);
}

/* A burst: the same hand-made segment again and again, a little time
 * between (what the rate limit of invariant 4 is about). */
struct gen {
	struct tt_action burst;
	unsigned left;          /* actions of the burst still to come */
	tt_time gap;
};

static void
gen_action(struct gen *gs, struct rng *r, const struct tt_sim *s, struct tt_action *a)
{
	struct tt_tcb_view v[2];
	unsigned w = rn(r, 100);
	size_t fl = tt_sim_in_flight(s);

	if (gs->left > 0) {
		if (gs->left-- % 2 == 0) {
			memset(a, 0, sizeof *a);
			a->kind = TT_A_ADVANCE;
			a->host = gs->burst.host;
			a->toward = -1;
			a->amount = gs->gap;
		} else {
			*a = gs->burst;
			if (chance(r, 30))
				a->inject.seq += (uint32_t)small(r, 2);
		}
		return;
	}
	memset(a, 0, sizeof *a);
	a->host = (int)rn(r, 2);
	a->toward = -1;
	if (tt_sim_nstreams(s) > 1 && chance(r, 25))
		a->conn = 1 + rn(r, (uint32_t)tt_sim_nstreams(s));
	tt_sim_view(s, 0, &v[0]);
	tt_sim_view(s, 1, &v[1]);
	if (w < 18) {
		a->kind = TT_A_DELIVER;
		a->count = 1;
		if (chance(r, 25))
			a->toward = (int)rn(r, 2);
		else if (fl > 1)        /* never more than is on the wire */
			a->count = 1 + rn(r, fl < 4 ? (uint32_t)fl : 4);
	} else if (w < 24) {
		a->kind = TT_A_DELIVER_ALL;
		if (chance(r, 15))
			a->toward = (int)rn(r, 2);
	} else if (w < 34) {
		unsigned u = rn(r, 100);

		a->kind = TT_A_ADVANCE;
		a->amount = u < 25 ? rms(r, 0, 1000) : u < 90 ? rms(r, 0, 10000)
		          : u < 96 ? rms(r, 10000, 60000) : rms(r, 60000, 300000);
	} else if (w < 46) {
		a->kind = TT_A_SEND;
		a->count = chance(r, 30) ? rrange(r, 1, 100) : rrange(r, 1, 4000);
		a->urgent = chance(r, 15);
	} else if (w < 53) {
		a->kind = TT_A_RECEIVE;
	} else if (w < 57) {
		a->kind = TT_A_CLOSE;
	} else if (w < 60) {
		a->kind = TT_A_SHUTDOWN;
	} else if (w < 62) {
		a->kind = TT_A_ABORT;
	} else if (w < 64) {
		a->kind = TT_A_KEEPALIVE;
		a->on = chance(r, 70);
	} else if (w < 69) {
		a->kind = TT_A_DROP;
		gen_fault(r, a);
	} else if (w < 72) {
		a->kind = TT_A_DUPLICATE;
		gen_fault(r, a);
	} else if (w < 76) {
		a->kind = TT_A_DELAY;
		a->amount = rms(r, 1, 3000);
		gen_fault(r, a);
	} else if (w < 78) {
		a->kind = TT_A_CRASH;
		a->on = chance(r, 50);
	} else if (w < 81) {
		a->kind = chance(r, 50) ? TT_A_LISTEN : TT_A_CONNECT;
		if (a->kind == TT_A_CONNECT && chance(r, 30))
			a->fresh = 1;   /* another connection, on the next port */
	} else if (w < 84) {
		a->kind = TT_A_ACCEPT;
	} else if (w < 86) {
		a->kind = TT_A_FLOOD;
		a->host = TT_SERVER;
		a->conn = 0;
		a->count = chance(r, 70) ? rrange(r, 1, 6) : rrange(r, 7, 40);
	} else {
		a->kind = TT_A_INJECT;
		gen_inject(r, v, a);
		if (chance(r, 20)) {
			gs->burst = *a;
			gs->left = 2 * rrange(r, 2, 6);
			gs->gap = chance(r, 50) ? rms(r, 0, 50) : rms(r, 100, 600);
		}
	}
}

/* The first actions: mostly a connection being opened. */
static size_t
gen_prologue(struct rng *r, struct tt_action *act)
{
	unsigned u = rn(r, 100);
	size_t n = 0;

	for (int i = 0; i < 2; i++) {
		memset(&act[i], 0, sizeof act[i]);
		act[i].toward = -1;
	}
	if (u < 85) {
		act[n].kind = TT_A_LISTEN;
		act[n++].host = TT_SERVER;
		act[n].kind = TT_A_CONNECT;
		act[n++].host = TT_CLIENT;
	} else if (u < 92) {
		act[n].kind = TT_A_CONNECT;       /* simultaneous open */
		act[n++].host = TT_CLIENT;
		act[n].kind = TT_A_CONNECT;
		act[n++].host = TT_SERVER;
	}
	return n;
}

/* ---- invariants ------------------------------------------------------------ */

enum {
	INV_DIAGRAM = 1, INV_WINDOW, INV_ACK, INV_RATE, INV_END, INV_TCB, INV_OBSERVE, NINV
};

static const char *const inv_name[NINV] = {
	"",
	"state changes are edges of RFC 9293's state diagram",
	"no segment beyond the peer's advertised window",
	"no ACK of bytes never sent",
	"replies to unacceptable segments are rate-limited",
	"every run ends",
	"TCB views are sane",
	"the observer's state changes are diagram edges",
};

/* Invariant 1's edges: tt_check_edge_allowed() (tests/tt_check.h). */

/* Invariant 4: the reasons whose ACK answers an unacceptable segment. */
static int
oow_reason(enum tt_reason r)
{
	return r == TT_R_UNACCEPTABLE || r == TT_R_RST_CHALLENGE || r == TT_R_SYN_CHALLENGE ||
	       r == TT_R_ACK_TOO_FAR || r == TT_R_ACK_TOO_OLD;
}

struct violation {
	int inv;                /* 0: none */
	char key[96];           /* what must still fail while shrinking */
	char detail[1024];      /* what went wrong */
	char msg[2048];         /* where: the step, its action, and the detail */
	size_t step;            /* index of the step in the trace */
	size_t action;          /* index of the action it came after */
};

/* One incarnation of a host's connection (by its ISS), for invariant 2. */
struct inc {
	uint32_t iss;
	uint32_t hi;            /* highest SND.NXT seen */
	uint32_t edge;          /* largest right edge (ack + wnd) the peer advertised */
	uint32_t edge_ack, edge_wnd;
	int have_edge;
	int zero;               /* a zero window was heard at that edge: a
	                           one-byte probe past it is allowed */
	uint8_t heard_ws;       /* RFC 7323: the window scale option of the peer's
	                           SYN it took (shift + 1) */
};

/* Sequence space a host put on the wire, for invariant 3. */
struct ivl {
	uint32_t a, b;
};

/* A segment made by hand (inject), known by its fields. */
struct sig {
	int from;
	uint32_t seq, ack, wnd, len;
	uint16_t flags;
};

/* How often each check had something to look at (the main runs only). */
static struct stats {
	unsigned long changes, data, probes, acks, oow, limited, oow_max, injected, impossible;
	unsigned long overflows, cookies, cookie_opens; /* the listen queues' rules */
} stats;
static int counting;

#define MAXSOCK 256             /* sockets a host makes in one scenario, at most */

struct checker {
	const struct tt_sim_config *cfg;
	enum tt_state cur[2][MAXSOCK];  /* each socket's state, by the events */
	unsigned char seen[2][MAXSOCK];
	struct inc inc[2][MAXINC];
	unsigned ninc[2];
	unsigned char spoofed[1024];    /* streams of a flood's spoofed sources */
	struct ivl *ivl[2];
	size_t nivl[2], capivl[2];
	struct sig inj[MAXACT];
	size_t ninj;
	tt_time oow[2][OOW_RING];
	unsigned oow_epoch[2][OOW_RING];
	unsigned noow[2];
	unsigned epoch[2];      /* connections (TCBs) each host has had */
	size_t checked;         /* steps already looked at */
};

static void
ck_init(struct checker *ck, const struct tt_sim_config *cfg)
{
	memset(ck, 0, sizeof *ck);
	ck->cfg = cfg;
}

static void
ck_free(struct checker *ck)
{
	free(ck->ivl[0]);
	free(ck->ivl[1]);
}

static void
ck_injected(struct checker *ck, const struct tt_action *a)
{
	struct sig *g;

	if (ck->ninj == MAXACT)
		return;
	g = &ck->inj[ck->ninj++];
	g->from = a->host;
	g->seq = a->inject.seq;
	g->ack = a->inject.ack;
	g->wnd = a->inject.wnd;
	g->len = a->inject.len;
	g->flags = a->inject.flags;
}

static int
is_injected(const struct checker *ck, const struct tt_step *st)
{
	for (size_t i = 0; i < ck->ninj; i++) {
		const struct sig *g = &ck->inj[i];

		if (g->from == st->dir && g->seq == st->seg.seq && g->len == st->seg.len &&
		    g->flags == st->seg.flags && g->wnd == st->seg.wnd &&
		    ((g->flags & TT_ACK) ? g->ack == st->seg.ack : 1))
			return 1;
	}
	return 0;
}

static int
in_ivl(uint32_t x, uint32_t a, uint32_t b)
{
	return TT_SEQ_LEQ(a, x) && TT_SEQ_LEQ(x, b);
}

static void
ivl_add(struct checker *ck, int h, uint32_t a, uint32_t b)
{
	for (size_t i = ck->nivl[h]; i-- > 0;) {
		struct ivl *v = &ck->ivl[h][i];

		if (in_ivl(a, v->a, v->b) || in_ivl(b, v->a, v->b) || in_ivl(v->a, a, b)) {
			if (TT_SEQ_LT(a, v->a))
				v->a = a;
			if (TT_SEQ_GT(b, v->b))
				v->b = b;
			return;
		}
	}
	if (ck->nivl[h] == ck->capivl[h]) {
		size_t ncap = ck->capivl[h] ? 2 * ck->capivl[h] : 32;
		struct ivl *n = realloc(ck->ivl[h], ncap * sizeof *n);

		if (n == NULL)
			abort();
		ck->ivl[h] = n;
		ck->capivl[h] = ncap;
	}
	ck->ivl[h][ck->nivl[h]].a = a;
	ck->ivl[h][ck->nivl[h]].b = b;
	ck->nivl[h]++;
}

static int
ivl_covers(const struct checker *ck, int h, uint32_t x)
{
	for (size_t i = 0; i < ck->nivl[h]; i++)
		if (in_ivl(x, ck->ivl[h][i].a, ck->ivl[h][i].b))
			return 1;
	return 0;
}

static struct inc *
inc_by_iss(struct checker *ck, int h, uint32_t iss)
{
	for (unsigned i = ck->ninc[h]; i-- > 0;)
		if (ck->inc[h][i].iss == iss)
			return &ck->inc[h][i];
	return NULL;
}

/* Records what a TCB view says about the host's current incarnation. */
static void
inc_touch(struct checker *ck, int h, const struct tt_tcb_view *v)
{
	struct inc *k;

	if (!has_tcb(v))
		return;
	k = inc_by_iss(ck, h, v->iss);
	if (k == NULL) {
		if (ck->ninc[h] == MAXINC) {
			memmove(&ck->inc[h][0], &ck->inc[h][1], (MAXINC - 1) * sizeof ck->inc[h][0]);
			ck->ninc[h]--;
		}
		k = &ck->inc[h][ck->ninc[h]++];
		memset(k, 0, sizeof *k);
		k->iss = v->iss;
		k->hi = v->snd_nxt;
	}
	if (TT_SEQ_GT(v->snd_nxt, k->hi))
		k->hi = v->snd_nxt;
}

/* The incarnation whose sent range holds [seq, end]: the nearest ISS below. */
static struct inc *
inc_by_seq(struct checker *ck, int h, uint32_t seq, uint32_t end)
{
	struct inc *best = NULL;

	for (unsigned i = 0; i < ck->ninc[h]; i++) {
		struct inc *k = &ck->inc[h][i];

		if (!TT_SEQ_LEQ(k->iss, seq) || !TT_SEQ_LEQ(end, k->hi))
			continue;
		if (best == NULL || seq - k->iss <= seq - best->iss)
			best = k;
	}
	return best;
}

static char *
fmt_seg(const struct tt_step *st, int injected, char *buf, size_t len)
{
	char f[64], notes[128], t1[32], t2[32], up[24];

	tt_notes_format(st->notes, notes, sizeof notes);
	snprintf(up, sizeof up, " up=%u", st->seg.up);
	snprintf(buf, len, "%s>%s %s seq=%u ack=%u len=%u win=%u%s (sent %s s, %s %s s)%s%s%s",
	         host_name[st->dir & 1], host_name[!st->dir], tt_flags_format(st->seg.flags, f, sizeof f),
	         st->seg.seq, st->seg.ack, st->seg.len, st->seg.wnd, (st->seg.flags & TT_URG) ? up : "",
	         fmt_secs(st->time, t1, sizeof t1),
	         (st->notes & TT_NOTE(DROPPED)) ? "lost" : "arrived", fmt_secs(st->arrival, t2, sizeof t2),
	         injected ? " [injected]" : "", notes[0] ? " notes: " : "", notes);
	return buf;
}

static void
fmt_ev(const struct tt_step_event *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s: %s -> %s", host_name[e->host & 1],
	         (unsigned)e->ev.reason < TT_NREASONS ? tt_reason_id(e->ev.reason) : "?",
	         (unsigned)e->ev.from < TT_NSTATES ? tt_state_name(e->ev.from) : "?",
	         (unsigned)e->ev.to < TT_NSTATES ? tt_state_name(e->ev.to) : "?");
}

static int
violated(struct violation *v, int inv, size_t step, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
violated(struct violation *v, int inv, size_t step, const char *key, const char *fmt, ...)
{
	va_list ap;

	v->inv = inv;
	v->step = step;
	snprintf(v->key, sizeof v->key, "%d %s", inv, key);
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof v->detail, fmt, ap);
	va_end(ap);
	return 1;
}

/* Checks one step of the trace; returns 1 with v filled on a violation. */
static int
check_step(struct checker *ck, const struct tt_step *st, size_t idx, struct violation *v)
{
	char sb[400], eb[160];
	int injected = st->kind == TT_STEP_SEGMENT && is_injected(ck, st);
	int spoofed;

	if ((st->notes & TT_NOTE(SPOOFED)) && st->stream < sizeof ck->spoofed)
		ck->spoofed[st->stream] = 1;
	spoofed = st->stream < sizeof ck->spoofed && ck->spoofed[st->stream];

	/* 6: views and events in range, SND.UNA =< SND.NXT */
	for (int h = 0; h < 2; h++) {
		const struct tt_tcb_view *w = &st->tcb[h];

		if ((unsigned)w->state >= TT_NSTATES)
			return violated(v, INV_TCB, idx, "state", "host %s: TCB state %d is no state",
			            host_name[h], (int)w->state);
		if (has_tcb(w) && !TT_SEQ_LEQ(w->snd_una, w->snd_nxt))
			return violated(v, INV_TCB, idx, "una>nxt",
			            "host %s in %s: SND.UNA %u > SND.NXT %u", host_name[h],
			            tt_state_name(w->state), w->snd_una, w->snd_nxt);
		/* a receiver holds no more unread bytes than its buffer, and less
		 * than one unit of its window scale more (an offer rounded up) */
		if (has_tcb(w)) {
			uint64_t unit = w->rcv_shift > 0 ? (uint64_t)1 << w->rcv_shift : 1;
			uint64_t room = ck->cfg->host[h].tcp.rcv_wnd;

			if ((uint64_t)w->rcv_queued > room + unit - 1)
				return violated(v, INV_TCB, idx, "buffer",
				            "host %s in %s: %u unread bytes in a buffer of %llu (scale unit %llu)",
				            host_name[h], tt_state_name(w->state), w->rcv_queued,
				            (unsigned long long)room, (unsigned long long)unit);
		}
	}
	for (unsigned k = 0; k < st->nev; k++) {
		const struct tt_step_event *e = &st->ev[k];

		if ((unsigned)e->ev.reason >= TT_NREASONS || (unsigned)e->ev.from >= TT_NSTATES ||
		    (unsigned)e->ev.to >= TT_NSTATES || (e->host != 0 && e->host != 1))
			return violated(v, INV_TCB, idx, "event", "event %u: host %d reason %d %d -> %d out of range",
			            k, e->host, (int)e->ev.reason, (int)e->ev.from, (int)e->ev.to);
	}

	/* 1: each state change an edge of the diagram, from the state before */
	for (unsigned k = 0; k < st->nev; k++) {
		const struct tt_step_event *e = &st->ev[k];
		int h = e->host;

		if (e->ev.reason >= TT_R_SYNQ_FULL_DROP && e->ev.reason <= TT_R_ACCEPTQ_FULL_COOKIE_DROP)
			stats.overflows++;
		stats.cookies += e->ev.reason == TT_R_COOKIE_SENT;
		stats.cookie_opens += e->ev.reason == TT_R_COOKIE_ACK;
		if (e->ev.reason == TT_R_HOST_CRASH)
			ck->noow[h] = 0;        /* a rebooted host forgets its rate limit */
		if (e->ev.from == e->ev.to)
			continue;
		if (e->ev.to == TT_CLOSED || e->ev.to == TT_LISTEN || e->ev.reason == TT_R_TW_REOPEN)
			ck->epoch[h]++;
		fmt_ev(e, eb, sizeof eb);
		if (e->sock < 0 || e->sock >= MAXSOCK)
			return violated(v, INV_DIAGRAM, idx, "socket",
			            "event \"%s\" changes the state of socket %d of the %s", eb,
			            e->sock, host_name[h]);
		/* a socket starts CLOSED, or LISTEN (a listener's child) */
		if (!ck->seen[h][e->sock]) {
			ck->seen[h][e->sock] = 1;
			ck->cur[h][e->sock] = e->ev.from == TT_LISTEN ? TT_LISTEN : TT_CLOSED;
		}
		if (e->ev.from != ck->cur[h][e->sock]) {
			char key[64];

			snprintf(key, sizeof key, "continuity %s", tt_reason_id(e->ev.reason));
			return violated(v, INV_DIAGRAM, idx, key,
			            "event \"%s\" starts from %s, but socket %d of the %s was in %s",
			            eb, tt_state_name(e->ev.from), e->sock, host_name[h],
			            tt_state_name(ck->cur[h][e->sock]));
		}
		if (!tt_check_edge_allowed(e->ev.from, e->ev.to, e->ev.reason)) {
			char key[80];

			snprintf(key, sizeof key, "%s->%s %s", tt_state_name(e->ev.from),
			         tt_state_name(e->ev.to), tt_reason_id(e->ev.reason));
			return violated(v, INV_DIAGRAM, idx, key,
			            "event \"%s\": %s -> %s is not an edge of the state diagram", eb,
			            tt_state_name(e->ev.from), tt_state_name(e->ev.to));
		}
		ck->cur[h][e->sock] = e->ev.to;
		stats.changes += counting;
	}
	/* the TCBs the step shows are where their events left them */
	for (int h = 0; h < 2; h++) {
		int i = st->sock[h];
		enum tt_state was;

		if (i < 0 || i >= MAXSOCK)
			continue;
		was = ck->seen[h][i] ? ck->cur[h][i] : TT_CLOSED;
		if (st->tcb[h].state != was)
			return violated(v, INV_DIAGRAM, idx, "silent",
			            "socket %d of the %s went from %s to %s without a state-change "
			            "event", i, host_name[h], tt_state_name(was),
			            tt_state_name(st->tcb[h].state));
	}

	/* A flood's children send no data, and share their ISS with whatever
	 * else the host opened at that instant: they are no incarnation to
	 * follow (and would push the real ones out of the list) */
	for (int h = 0; h < 2 && !spoofed; h++)
		inc_touch(ck, h, &st->tcb[h]);
	if (st->kind != TT_STEP_SEGMENT)
		return 0;

	{
		const struct tt_seg *g = &st->seg;
		int from = st->dir & 1, to = !from;
		int lost = !!(st->notes & TT_NOTE(DROPPED));
		uint32_t seqlen = tt_seg_seqlen(g);
		const struct tt_tcb_view *tv = &st->tcb[to];

		/* 2: data within the largest window the peer advertised */
		if (!injected && g->len > 0 && !(g->flags & TT_RST)) {
			struct inc *k = inc_by_seq(ck, from, g->seq, g->seq + g->len);

			if (k != NULL && !k->have_edge)
				return violated(v, INV_WINDOW, idx, "no window",
				            "the %s sent data before the %s advertised any window: %s",
				            host_name[from], host_name[to],
				            fmt_seg(st, injected, sb, sizeof sb));
			if (k != NULL) {
				uint32_t lim = k->edge + (g->len == 1 && k->zero ? 1 : 0);

				stats.data += counting;
				if (counting && TT_SEQ_GT(g->seq + g->len, k->edge) &&
				    !TT_SEQ_GT(g->seq + g->len, lim))
					stats.probes++;

				if (TT_SEQ_GT(g->seq + g->len, lim))
					return violated(v, INV_WINDOW, idx, "beyond",
					            "the %s sent seq+len=%u, %u past the largest right edge %u "
					            "the %s advertised (ack %u + win %u%s): %s",
					            host_name[from], g->seq + g->len, g->seq + g->len - k->edge,
					            k->edge, host_name[to], k->edge_ack, k->edge_wnd,
					            k->zero ? "; the window closed there, a 1-byte probe allowed" : "",
					            fmt_seg(st, injected, sb, sizeof sb));
			}
		}
		/* 3: acknowledges only what the peer put on the wire */
		if (counting && !injected && (g->flags & TT_ACK) && !(g->flags & TT_RST))
			stats.acks++;
		if (counting && injected && !lost)
			stats.injected++;
		if (!injected && (g->flags & TT_ACK) && !(g->flags & TT_RST) &&
		    !ivl_covers(ck, to, g->ack))
			return violated(v, INV_ACK, idx, "ack",
			            "the %s acknowledges %u, which the %s never sent: %s", host_name[from],
			            g->ack, host_name[to], fmt_seg(st, injected, sb, sizeof sb));
		if (seqlen > 0 && !(g->flags & TT_RST))
			ivl_add(ck, from, g->seq, g->seq + seqlen);
		/* a SYN cookie vouches for a SYN at seq - 1 (RFC 4987 §3.6); a
		 * hand-made ACK whose seq and ack are both off by the same amount
		 * passes the check too, as in Linux, whose construction only adds
		 * the peer's ISN, and then the SYN it stands for was never sent */
		for (unsigned k = 0; k < st->nev; k++)
			if (st->ev[k].ev.reason == TT_R_COOKIE_ACK)
				ivl_add(ck, from, g->seq - 1, g->seq);

		/* RFC 7323 §2.2: windows are scaled when both SYNs carried the
		 * option; the checker reads that off the SYNs themselves */
		if ((g->flags & TT_SYN) && !(g->flags & TT_RST) && !injected && !spoofed) {
			if (!lost && has_tcb(tv) && tv->irs == g->seq) {
				struct inc *kr = inc_by_iss(ck, to, tv->iss);

				if (kr != NULL)
					kr->heard_ws = g->wsopt;
			}
		}
		/* the receiver learns the window: real segments always count,
		 * hand-made ones only when the receiver took their window */
		if (!lost && (g->flags & TT_ACK) && !(g->flags & TT_RST) && has_tcb(tv)) {
			struct inc *k = inc_by_iss(ck, to, tv->iss);
			uint32_t wnd = g->wnd;

			/* its own SYN offered one when it was configured to (a
			 * SYN,ACK only in answer to one): known before that SYN
			 * arrives anywhere, which an injected ACK may precede */
			if (k != NULL && ck->cfg->host[to].tcp.wscale >= 0 && k->heard_ws &&
			    !(g->flags & TT_SYN))
				wnd <<= k->heard_ws - 1 > 14 ? 14 : k->heard_ws - 1;
			if (k != NULL && TT_SEQ_GT(g->ack, k->iss) && TT_SEQ_LEQ(g->ack, k->hi) &&
			    (!injected || (tv->snd_wl1 == g->seq && tv->snd_wl2 == g->ack &&
			                   tv->snd_wnd == wnd))) {
				uint32_t edge = g->ack + wnd;

				if (!k->have_edge || TT_SEQ_GT(edge, k->edge)) {
					k->edge = edge;
					k->edge_ack = g->ack;
					k->edge_wnd = wnd;
					k->zero = wnd == 0;
				} else if (edge == k->edge && wnd == 0) {
					k->zero = 1;    /* the window closed at that edge */
				}
				k->have_edge = 1;
			}
		}

		/* 4: ACKs answering unacceptable pure segments, per second */
		if (!lost && g->len == 0 && !(g->flags & TT_FIN)) {
			int replied = 0, limited = 0;
			enum tt_reason why = TT_R_NONE;

			for (unsigned k = 0; k < st->nev; k++) {
				if (st->ev[k].host != to)
					continue;
				if (oow_reason(st->ev[k].ev.reason)) {
					replied = 1;
					why = st->ev[k].ev.reason;
				}
				if (st->ev[k].ev.reason == TT_R_OOW_RATE_LIMITED)
					limited = 1;
			}
			if (replied && limited)
				stats.limited += counting;
			if (replied && !limited) {
				tt_time rl = ck->cfg->host[to].tcp.oow_ratelimit;
				unsigned bound = rl > 0 ? 1 + (unsigned)(TT_SEC(1) / rl) : 1000000;
				unsigned n = 0, same = 0, have;
				char t[32];

				ck->oow[to][ck->noow[to] % OOW_RING] = st->arrival;
				ck->oow_epoch[to][ck->noow[to] % OOW_RING] = ck->epoch[to];
				ck->noow[to]++;
				have = ck->noow[to] < OOW_RING ? ck->noow[to] : OOW_RING;
				for (unsigned k = 0; k < have; k++) {
					if (ck->oow[to][k] >= st->arrival - TT_SEC(1)) {
						n++;
						same += ck->oow_epoch[to][k] == ck->epoch[to];
					}
				}
				stats.oow += counting;
				if (counting && n > stats.oow_max)
					stats.oow_max = n;
				if (n > bound)
					return violated(v, INV_RATE, idx,
					            same > bound ? "rate" : "rate across connections",
					            "the %s answered %u unacceptable segments without payload "
					            "within 1 s (up to %s s; at most %u with oow_ratelimit %s s), "
					            "%u of them in this connection, this one %s: %s",
					            host_name[to], n, fmt_secs(st->arrival, t, sizeof t), bound,
					            fmt_secs(rl, eb, sizeof eb), same, tt_reason_id(why),
					            fmt_seg(st, injected, sb, sizeof sb));
			}
		}
	}
	return 0;
}

/* ---- running -------------------------------------------------------------- */

struct run {
	int rc[MAXACT];
	int invalid;            /* an action failed after doing something */
	size_t nsteps;
};

static void
print_trace(FILE *fp, const struct tt_sim *s, size_t from, size_t to, const struct checker *ck)
{
	char buf[400], t[32];

	for (size_t i = from; i < to; i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind == TT_STEP_SEGMENT)
			fprintf(fp, "    [%zu] %s\n", i, fmt_seg(st, is_injected(ck, st), buf, sizeof buf));
		else
			fprintf(fp, "    [%zu] event at %s s, %s\n", i, fmt_secs(st->time, t, sizeof t),
			        host_name[st->dir & 1]);
		for (unsigned k = 0; k < st->nev; k++) {
			fmt_ev(&st->ev[k], buf, sizeof buf);
			fprintf(fp, "          %s\n", buf);
		}
		for (int h = 0; h < 2; h++)
			fprintf(fp, "          %s %s una=%u nxt=%u wnd=%u rcv.nxt=%u rcv.wnd=%u\n",
			        host_name[h], tt_state_name(st->tcb[h].state), st->tcb[h].snd_una,
			        st->tcb[h].snd_nxt, st->tcb[h].snd_wnd, st->tcb[h].rcv_nxt,
			        st->tcb[h].rcv_wnd);
	}
}

/* Invariant 7. */
struct wire_at {
	tt_time t;
	size_t step;
};

static int
by_wire_time(const void *a, const void *b)
{
	const struct wire_at *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->step < y->step ? -1 : x->step > y->step;
}

static int
obs_effects(const struct tt_obs_out *out, int (*at)[2], unsigned stream, size_t step,
            struct violation *v)
{
	for (unsigned i = 0; i < out->n; i++) {
		const struct tt_obs_effect *e = &out->e[i];

		for (unsigned k = 0; k < e->nev; k++) {
			const struct tt_event *ev = &e->ev[k];
			int *now = &at[stream][e->host];

			if (ev->from == ev->to)
				continue;
			if (*now >= 0 && *now != (int)ev->from)
				return violated(v, INV_OBSERVE, step, "observer chain",
				                "stream %u %s: observer was %s, then %s -> %s (%s)", stream,
				                host_name[e->host], tt_state_name((enum tt_state)*now),
				                tt_state_name(ev->from), tt_state_name(ev->to),
				                tt_reason_id(ev->reason));
			if (!tt_check_edge_allowed(ev->from, ev->to, ev->reason))
				return violated(v, INV_OBSERVE, step, "observer edge",
				                "stream %u %s: observer %s -> %s (%s) is no edge", stream,
				                host_name[e->host], tt_state_name(ev->from),
				                tt_state_name(ev->to), tt_reason_id(ev->reason));
			*now = (int)ev->to;
		}
	}
	return 0;
}

static int
check_observer(const struct tt_sim *s, struct violation *v)
{
	size_t n = tt_sim_nsteps(s), ns = tt_sim_nstreams(s), nw = 0;
	struct wire_at *w = malloc((n ? n : 1) * sizeof *w);
	struct tt_obs **obs = calloc(ns ? ns : 1, sizeof *obs);
	int (*at)[2] = malloc((ns ? ns : 1) * sizeof *at);
	static struct tt_obs_out out;
	int bad = 0;

	ck_assert_msg(w != NULL && obs != NULL && at != NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT || st->stream >= ns)
			continue;
		w[nw].t = (st->notes & TT_NOTE(DROPPED)) ? st->time : st->arrival;
		w[nw++].step = i;
	}
	qsort(w, nw, sizeof *w, by_wire_time);
	for (size_t i = 0; i < ns; i++)
		at[i][0] = at[i][1] = -1;
	for (size_t k = 0; k < nw && !bad; k++) {
		const struct tt_step *st = tt_sim_step(s, w[k].step);

		if (obs[st->stream] == NULL)
			ck_assert_ptr_nonnull(obs[st->stream] = tt_obs_new());
		out.n = 0;
		tt_obs_segment(obs[st->stream], st->dir, &st->seg, k + 1, w[k].t, &out);
		bad = obs_effects(&out, at, st->stream, w[k].step, v);
	}
	for (size_t i = 0; i < ns; i++) {
		if (obs[i] != NULL && !bad) {
			out.n = 0;
			tt_obs_flush(obs[i], nw ? w[nw - 1].t : 0, &out);
			bad = obs_effects(&out, at, (unsigned)i, n ? n - 1 : 0, v);
		}
		tt_obs_free(obs[i]);
	}
	free(w);
	free(obs);
	free(at);
	return bad;
}

/* Runs a scenario from scratch, checking every step; with r, generates the
 * actions as it goes (into sc). Returns 1 on a violation (in v). */
static int
run_scen(struct scen *sc, struct rng *r, struct violation *v, struct run *out, FILE *trace)
{
	struct checker ck;
	struct tt_sim *s;
	size_t nact = r != NULL ? 0 : sc->nact, want = 0;
	char err[256], buf[256];
	int bad = 0;
	struct gen gs;

	memset(v, 0, sizeof *v);
	if (out != NULL)
		memset(out, 0, sizeof *out);
	s = tt_sim_new(&sc->cfg);
	ck_assert_msg(s != NULL, "tt_sim_new failed");
	ck_init(&ck, tt_sim_config(s));
	memset(&gs, 0, sizeof gs);
	if (r != NULL) {
		nact = gen_prologue(r, sc->act);
		want = nact + 25 + rn(r, 21);
		if (want > MAXACT)
			want = MAXACT;
	}
	for (size_t i = 0;; i++) {
		size_t before = tt_sim_nsteps(s), after;
		int rc;

		if (r != NULL && i == nact) {
			if (nact == want)
				break;
			gen_action(&gs, r, s, &sc->act[nact++]);
		}
		if (i == nact)
			break;
		if (sc->act[i].kind == TT_A_INJECT)
			ck_injected(&ck, &sc->act[i]);
		rc = tt_sim_do(s, &sc->act[i], err, sizeof err);
		after = tt_sim_nsteps(s);
		if (rc == -1)
			stats.impossible += counting;
		if (out != NULL) {
			out->rc[i] = rc;
			if (rc == -1 && after != before)
				out->invalid = 1;
		}
		if (trace != NULL) {
			fprintf(trace, "  %s%s%s\n", fmt_action(&sc->act[i], buf, sizeof buf),
			        rc != 0 ? "    => " : "", rc != 0 ? err : "");
			print_trace(trace, s, before, after, &ck);
		}
		for (size_t k = before; k < after && !bad; k++)
			bad = check_step(&ck, tt_sim_step(s, k), k, v);
		if (!bad && rc == -2)
			bad = violated(v, INV_END, SIZE_MAX, "limit", "tt_sim_do returned -2: %s", err);
		if (bad) {
			v->action = i;
			nact = i + 1;
			break;
		}
	}
	if (!bad && check_observer(s, v)) {
		bad = 1;
		v->action = nact > 0 ? nact - 1 : 0;
	}
	if (r != NULL)
		sc->nact = nact;
	if (bad) {
		/* name the step: its action, its time */
		const struct tt_step *st = tt_sim_step(s, v->step);
		char t[32];

		char where[64];

		if (st != NULL)
			snprintf(where, sizeof where, "at step %zu (t=%s s)", v->step,
			         fmt_secs(st->kind == TT_STEP_SEGMENT ? st->arrival : st->time, t, sizeof t));
		else
			snprintf(where, sizeof where, "after step %zu (t=%s s)", tt_sim_nsteps(s),
			         fmt_secs(tt_sim_now(s), t, sizeof t));
		snprintf(v->msg, sizeof v->msg, "%s, in action %zu \"%s\": %s", where, v->action + 1,
		         fmt_action(&sc->act[v->action], buf, sizeof buf), v->detail);
	}
	if (out != NULL)
		out->nsteps = tt_sim_nsteps(s);
	ck_free(&ck);
	tt_sim_free(s);
	return bad;
}

/* ---- shrinking ------------------------------------------------------------ */

static int
cfg_ok(const struct scen *sc)
{
	for (int h = 0; h < 2; h++) {
		const struct tt_config *c = &sc->cfg.host[h].tcp;

		if (c->rto_min > c->rto_initial || c->rto_initial > c->rto_max ||
		    c->oow_ratelimit <= 0 || c->mss == 0 || c->rcv_wnd > 65535)
			return 0;
	}
	return 1;
}

/* Does the candidate still fail the same way first? Then it replaces *sc. */
static int
try_cand(struct scen *sc, const struct scen *cand, const char *key, struct violation *v)
{
	static struct scen tmp;
	struct violation w;
	struct run ru;

	if (!cfg_ok(cand))
		return 0;
	tmp = *cand;
	if (!run_scen(&tmp, NULL, &w, &ru, NULL) || ru.invalid || strcmp(w.key, key) != 0)
		return 0;
	*sc = tmp;
	sc->nact = w.action + 1;
	*v = w;
	return 1;
}

static int
simplify_action(struct scen *sc, size_t i, const char *key, struct violation *v)
{
	static struct scen c;
	struct tt_action *a;
	int changed = 0;

#define TRY(stmt)                                                   \
	do {                                                        \
		c = *sc;                                            \
		a = &c.act[i];                                      \
		stmt;                                               \
		if (memcmp(a, &sc->act[i], sizeof *a) != 0 &&       \
		    try_cand(sc, &c, key, v))                       \
			changed = 1;                                \
	} while (0)

	if (i >= sc->nact)
		return 0;
	switch (sc->act[i].kind) {
	case TT_A_SEND:
		TRY(a->urgent = 0);
		TRY(a->count = 1);
		TRY(a->count = a->count > 100 ? (a->count + 99) / 100 * 100 : a->count);
		TRY(a->count = a->count / 2 ? a->count / 2 : 1);
		break;
	case TT_A_DELIVER:
		TRY(a->count = 1);
		TRY(a->toward = -1);
		break;
	case TT_A_DELIVER_ALL:
		TRY(a->toward = -1);
		break;
	case TT_A_DROP: case TT_A_DUPLICATE: case TT_A_DELAY:
		TRY(a->nth = 0);
		TRY(a->flags_match = 0);
		TRY(a->toward = -1);
		if (sc->act[i].kind == TT_A_DELAY) {
			TRY(a->amount = (a->amount + TT_MS(99)) / TT_MS(100) * TT_MS(100));
			TRY(a->amount = a->amount / 2);
		}
		break;
	case TT_A_ADVANCE:
		TRY(a->amount = (a->amount + TT_MS(99)) / TT_MS(100) * TT_MS(100));
		TRY(a->amount = (a->amount + TT_SEC(1) - 1) / TT_SEC(1) * TT_SEC(1));
		TRY(a->amount = a->amount / 2);
		break;
	case TT_A_CRASH:
		TRY(a->on = 0);
		break;
	case TT_A_INJECT:
		TRY(a->inject.len = 0);
		TRY(a->inject.wnd = 65535);
		TRY(a->inject.flags &= (uint16_t)~(TT_PSH | TT_URG));
		TRY(a->inject.ack = (a->inject.flags & TT_ACK) ? a->inject.ack : 0);
		break;
	default:
		break;
	}
#undef TRY
	return changed;
}

static int
simplify_config(struct scen *sc, const char *key, struct violation *v)
{
	static struct scen c;
	struct tt_sim_config def;
	struct tt_config rfc, lnx;
	int changed = 0;

	tt_sim_config_default(&def);
	tt_config_default(&rfc);
	tt_config_linux(&lnx);
	for (int h = 0; h < 2; h++) {
		c = *sc;
		c.cfg.host[h].tcp = rfc;
		if (memcmp(&c.cfg, &sc->cfg, sizeof c.cfg) != 0 && try_cand(sc, &c, key, v))
			changed = 1;
		for (size_t f = 0; f < NFIELDS; f++) {
			const struct tt_config *bases[2] = { &rfc, &lnx };

			for (int b = 0; b < 2; b++) {
				int64_t x = fget(bases[b], &fields[f]);

				if (fget(&sc->cfg.host[h].tcp, &fields[f]) == x)
					break;
				c = *sc;
				fset(&c.cfg.host[h].tcp, &fields[f], x);
				if (try_cand(sc, &c, key, v)) {
					changed = 1;
					break;
				}
			}
		}
		c = *sc;
		c.cfg.delay[h] = def.delay[h];
		if (c.cfg.delay[h] != sc->cfg.delay[h] && try_cand(sc, &c, key, v))
			changed = 1;
	}
	c = *sc;
	c.cfg.delay[1] = c.cfg.delay[0];
	if (c.cfg.delay[1] != sc->cfg.delay[1] && try_cand(sc, &c, key, v))
		changed = 1;
	return changed;
}

/* Shrinks sc (which fails with v) while the same invariant fails first. */
static void
shrink(struct scen *sc, struct violation *v)
{
	static struct scen c;
	char key[sizeof v->key];
	int changed = 1;

	snprintf(key, sizeof key, "%s", v->key);
	sc->nact = v->action + 1;
	for (int round = 0; changed && round < 20; round++) {
		changed = 0;
		for (size_t chunk = sc->nact / 2; chunk >= 1; chunk /= 2) {
			for (size_t i = 0; i + chunk <= sc->nact;) {
				c = *sc;
				memmove(&c.act[i], &c.act[i + chunk], (c.nact - i - chunk) * sizeof c.act[0]);
				c.nact -= chunk;
				if (c.nact > 0 && try_cand(sc, &c, key, v))
					changed = 1;
				else
					i += chunk;
			}
		}
		for (size_t i = 0; i < sc->nact; i++)
			changed |= simplify_action(sc, i, key, v);
		changed |= simplify_config(sc, key, v);
	}
}

/* ---- the test --------------------------------------------------------------- */

static unsigned long
env_ulong(const char *name, unsigned long dflt, int *given)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (given != NULL)
		*given = 0;
	if (s == NULL || *s == '\0')
		return dflt;
	v = strtoul(s, &end, 0);
	if (*end != '\0')
		return dflt;
	if (given != NULL)
		*given = 1;
	return v;
}

static void
seed_rng(struct rng *r, unsigned long seed)
{
	r->s = (uint64_t)seed * 0xd1342543de82ef95ull + 0x2545f4914f6cdd1dull;
	rng_next(r);
}

START_TEST(test_random_scenarios_hold_invariants)
{
	static struct scen sc, orig;
	struct violation v;
	struct run ru;
	int one, trace = getenv("TT_PROP_TRACE") != NULL;
	unsigned long first = env_ulong("TT_PROP_SEED", 1, &one);
	unsigned long nseeds = one ? 1 : env_ulong("TT_PROP_SEEDS", DEFAULT_SEEDS, NULL);
	unsigned long failed = 0, per_inv[NINV] = { 0 }, steps = 0, actions = 0;
	char reported[MAX_REPORTS][sizeof v.key];
	unsigned nreported = 0;
	char first_msg[256] = "";

	for (unsigned long seed = first; seed < first + nseeds; seed++) {
		struct rng r;
		int bad;

		seed_rng(&r, seed);
		memset(&sc, 0, sizeof sc);
		gen_config(&r, &sc.cfg);
		if (one)
			printf("check_prop: seed %lu\n", seed);
		counting = 1;
		bad = run_scen(&sc, &r, &v, &ru, one && trace ? stdout : NULL);
		counting = 0;
		steps += ru.nsteps;
		actions += sc.nact;
		if (one) {
			printf("scenario (%zu actions, %zu steps):\n", sc.nact, ru.nsteps);
			print_scenario(stdout, "  ", &sc, ru.rc);
		}
		if (!bad)
			continue;
		failed++;
		per_inv[v.inv]++;
		{
			unsigned k;

			for (k = 0; k < nreported; k++)
				if (strcmp(reported[k], v.key) == 0)
					break;
			if (k < nreported || (nreported == MAX_REPORTS && !one)) {
				printf("check_prop: seed %lu: invariant %d (%s) fails too\n", seed, v.inv,
				       v.key + 2);
				continue;
			}
			if (nreported < MAX_REPORTS)
				snprintf(reported[nreported++], sizeof reported[0], "%s", v.key);
		}
		printf("\ncheck_prop: seed %lu: invariant %d (%s) fails\n  %s\n", seed, v.inv,
		       inv_name[v.inv], v.msg);
		orig = sc;
		shrink(&sc, &v);
		run_scen(&sc, NULL, &v, &ru, NULL);
		printf("minimal scenario (%zu of %zu actions; TT_PROP_SEED=%lu replays the seed):\n",
		       sc.nact, orig.nact, seed);
		print_scenario(stdout, "  ", &sc, ru.rc);
		printf("which fails invariant %d (%s)\n  %s\n", v.inv, inv_name[v.inv], v.msg);
		if (trace) {
			printf("its trace:\n");
			run_scen(&sc, NULL, &v, &ru, stdout);
		}
		if (first_msg[0] == '\0')
			snprintf(first_msg, sizeof first_msg, "seed %lu: invariant %d (%s)", seed, v.inv,
			         inv_name[v.inv]);
		fflush(stdout);
	}
	printf("\ncheck_prop: %lu scenarios from seed %lu, %lu actions, %lu steps: %lu failed",
	       nseeds, first, actions, steps, failed);
	for (int i = 1; i < NINV; i++)
		if (per_inv[i])
			printf(", invariant %d: %lu", i, per_inv[i]);
	printf("\ncheck_prop: checked %lu state changes, %lu data segments against the window "
	       "(%lu one-byte probes past a closed one), %lu ACK fields, %lu injected segments "
	       "delivered, %lu replies to unacceptable segments (%lu more rate-limited; at most %lu "
	       "in one second); %lu actions were not possible; %lu segments met a full listen "
	       "queue, %lu SYN cookies sent, %lu came back valid\n",
	       stats.changes, stats.data, stats.probes, stats.acks, stats.injected, stats.oow,
	       stats.limited, stats.oow_max, stats.impossible, stats.overflows, stats.cookies,
	       stats.cookie_opens);
	fflush(stdout);
	ck_assert_msg(failed == 0, "%lu of %lu random scenarios break an invariant; first: %s",
	              failed, nseeds, first_msg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("prop");
	TCase *tc = tcase_create("random");

	tcase_add_test(tc, test_random_scenarios_hold_invariants);
	tcase_set_timeout(tc, 900);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
