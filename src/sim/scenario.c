/* sim/scenario.c: scenario files, the action part of a lesson.
 *
 * One record per line, '#' starts a comment (but "#2" after the keyword is
 * a segment count). Settings (host, set) come first, then actions;
 * doc/scenario-format.md describes every keyword. The parser works on a
 * buffer and reports errors as "FILE:LINE: message"; a word it cannot use
 * is always an error, never skipped.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "sim/sim.h"

#define MAXWORDS 16

struct tt_scenario {
	struct tt_sim_config cfg;
	struct tt_action *act;
	unsigned *line;          /* where each action was written */
	size_t nact, cap;
	char fname[256];
	unsigned cur_line;
	int iss_set[2];          /* iss= given on the host line */
};

/* An ISS derived from a seed (splitmix64), so "set seed N" gives varied but
 * repeatable initial sequence numbers. */
static uint32_t
seeded_iss(uint64_t seed, int host)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull * (uint64_t)(host + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

void
tt_scenario_at(struct tt_scenario *sc, const char *fname, unsigned line)
{
	snprintf(sc->fname, sizeof sc->fname, "%s", fname);
	sc->cur_line = line;
}

struct tt_scenario *
tt_scenario_new(void)
{
	struct tt_scenario *sc = calloc(1, sizeof *sc);

	if (sc != NULL)
		tt_sim_config_default(&sc->cfg);
	return sc;
}

void
tt_scenario_free(struct tt_scenario *sc)
{
	if (sc == NULL)
		return;
	free(sc->act);
	free(sc->line);
	free(sc);
}

size_t
tt_scenario_nactions(const struct tt_scenario *sc)
{
	return sc->nact;
}

const struct tt_action *
tt_scenario_action(const struct tt_scenario *sc, size_t i)
{
	return i < sc->nact ? &sc->act[i] : NULL;
}

const struct tt_sim_config *
tt_scenario_config(const struct tt_scenario *sc)
{
	return &sc->cfg;
}

/* The words of one line. A double-quoted word may hold blanks (and '#'). */
struct words {
	int n;
	char *w[MAXWORDS];
	unsigned char quoted[MAXWORDS];
};

/* A '#' that begins a word starts a comment, except in a word made of '#'
 * and digits only ("#2", the segment count of drop/duplicate/delay) that
 * is not the first word of the line. */
static int
starts_comment(const char *p, int first)
{
	size_t d;

	if (*p != '#')
		return 0;
	if (first)
		return 1;
	d = strspn(p + 1, "0123456789");
	return d == 0 || (p[1 + d] != '\0' && strchr(" \t\r\n", p[1 + d]) == NULL);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits a line into words; returns 0, or -1 with a message. */
static int
split(char *line, struct words *ws, char *err, size_t errlen)
{
	char *p = line;

	ws->n = 0;
	for (;;) {
		char *start;

		while (is_blank(*p))
			p++;
		if (*p == '\0' || starts_comment(p, ws->n == 0))
			return 0;
		if (ws->n == MAXWORDS) {
			snprintf(err, errlen, "too many words on the line (at most %d)", MAXWORDS);
			return -1;
		}
		if (*p == '"') {
			char *q = strchr(p + 1, '"');

			if (q == NULL) {
				snprintf(err, errlen, "unterminated quote");
				return -1;
			}
			if (q[1] != '\0' && !is_blank(q[1])) {
				snprintf(err, errlen, "a closing quote must end the word (a blank after it)");
				return -1;
			}
			*q = '\0';
			ws->quoted[ws->n] = 1;
			ws->w[ws->n++] = p + 1;
			p = q + 1;
			continue;
		}
		start = p;
		while (*p != '\0' && !is_blank(*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (strchr(start, '"') != NULL) {
			snprintf(err, errlen, "stray quote in '%s' (quote a whole word: \"text\")", start);
			return -1;
		}
		ws->quoted[ws->n] = 0;
		ws->w[ws->n++] = start;
	}
}

static int
host_index(const char *w)
{
	if (strcmp(w, "client") == 0)
		return TT_CLIENT;
	if (strcmp(w, "server") == 0)
		return TT_SERVER;
	return -1;
}

static int
parse_seconds(const char *w, tt_time *t)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(w, &end);
	if (end == w || *end != '\0' || errno != 0 || !(d >= 0) || d > 1e9)
		return -1;
	*t = (tt_time)(d * 1e6 + 0.5);
	return 0;
}

static int
parse_u32(const char *w, uint32_t *v)
{
	char *end;
	unsigned long long x;

	if (!isdigit((unsigned char)w[0]))
		return -1;
	errno = 0;
	x = strtoull(w, &end, 10);
	if (*end != '\0' || errno != 0 || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int
parse_onoff(const char *w)
{
	if (strcmp(w, "on") == 0 || strcmp(w, "yes") == 0 || strcmp(w, "1") == 0)
		return 1;
	if (strcmp(w, "off") == 0 || strcmp(w, "no") == 0 || strcmp(w, "0") == 0)
		return 0;
	return -1;
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
	  "RFC 9293 §3.8.6.3: the delay of an ACK MUST be less than 0.5 s" },
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

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static int
set_time_param(struct tt_config *c, size_t i, const char *val, char *err, size_t errlen)
{
	tt_time t;

	if (parse_seconds(val, &t) == -1) {
		snprintf(err, errlen, "'%s' is not a number of seconds", val);
		return -1;
	}
	if (t < time_params[i].min) {
		snprintf(err, errlen, "%s must be more than 0 seconds", time_params[i].name);
		return -1;
	}
	if (time_params[i].below > 0 && t >= time_params[i].below) {
		snprintf(err, errlen, "%s %s is too long (%s)", time_params[i].name, val,
		         time_params[i].why);
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
		if (parse_u32(val, &v) == -1 || v < count_params[i].min || v > count_params[i].max) {
			snprintf(err, errlen, "%s must be a number from %u to %u, not '%s'", name,
			         (unsigned)count_params[i].min, (unsigned)count_params[i].max, val);
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
		if ((b = parse_onoff(val)) < 0) {
			snprintf(err, errlen, "'%s' is not on or off", val);
			return -1;
		}
		*(int *)(void *)((char *)c + bool_params[i].off) = bool_params[i].invert ? !b : b;
		return 0;
	}
	if (strcmp(name, "mss") == 0) {
		if (parse_u32(val, &v) == -1 || v == 0 || v > 65495) {
			snprintf(err, errlen, "mss must be a number from 1 to 65495, not '%s'", val);
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
			snprintf(err, errlen, "cc must be reno or cubic, not '%s'", val);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "ecn") == 0) {
		/* RFC 3168: on asks and agrees; accept only agrees (Linux's
		 * tcp_ecn=2) */
		if (strcmp(val, "accept") == 0)
			c->ecn = 2;
		else if ((b = parse_onoff(val)) >= 0)
			c->ecn = b;
		else {
			snprintf(err, errlen, "ecn must be on, off or accept, not '%s'", val);
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
		if (parse_u32(val, &v) == -1 || v > 14) {
			snprintf(err, errlen, "wscale must be off or a shift from 0 to 14 "
			         "(RFC 7323 §2.3), not '%s'", val);
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
			snprintf(err, errlen, "unknown preset '%s' (use rfc or linux)", val);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown setting '%s'", name);
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
		if (parse_u32(val, &v) == -1 || v > 65535 || (name[0] == 's' && v == 0)) {
			snprintf(err, errlen, "%s must be a number from %d to 65535, not '%s'", name,
			         name[0] == 's', val);
			return -1;
		}
		if (name[0] == 'b')
			h->listen.backlog = (int)v;
		else
			h->listen.max_syn_backlog = v;
		return 0;
	}
	if (strcmp(name, "abort-on-overflow") == 0) {
		if ((b = parse_onoff(val)) < 0) {
			snprintf(err, errlen, "'%s' is not on or off", val);
			return -1;
		}
		h->listen.abort_on_overflow = b;
		return 0;
	}
	if (strcmp(name, "syncookies") == 0) {
		if (strlen(val) != 1 || val[0] < '0' || val[0] > '2') {
			snprintf(err, errlen, "syncookies is 0 (never), 1 (when the SYN queue "
			         "overflows) or 2 (always), not '%s'", val);
			return -1;
		}
		h->listen.syncookies = val[0] - '0';
		return 0;
	}
	return set_param(&h->tcp, name, val, err, errlen);
}

enum { M_FLAGS = 1, M_NTH = 2 };   /* what a match tail may hold beside "to HOST" */

/* Reads the optional "[FLAGS] [to HOST] [#N]" tail of drop/duplicate/delay
 * (deliver and run take "to HOST" only); each part at most once. */
static int
parse_match(struct tt_action *a, char *const *w, int n, unsigned allow, const char *use, char *err,
            size_t errlen)
{
	int have_to = 0, have_nth = 0, have_flags = 0;

	for (int i = 0; i < n; i++) {
		if (strcmp(w[i], "to") == 0) {
			if (have_to++) {
				snprintf(err, errlen, "'to' given twice (%s)", use);
				return -1;
			}
			if (i + 1 == n) {
				snprintf(err, errlen, "'to' needs a host (client or server)");
				return -1;
			}
			if ((a->toward = host_index(w[++i])) < 0) {
				snprintf(err, errlen, "unknown host '%s' (use client or server)", w[i]);
				return -1;
			}
		} else if (w[i][0] == '#' && (allow & M_NTH)) {
			uint32_t v;

			if (parse_u32(w[i] + 1, &v) == -1 || v == 0) {
				snprintf(err, errlen, "'%s' is not a segment count like #2", w[i]);
				return -1;
			}
			if (have_nth++) {
				snprintf(err, errlen, "'%s': #N given twice (%s)", w[i], use);
				return -1;
			}
			a->nth = v - 1;
		} else if (allow & M_FLAGS) {
			int f = tt_flags_parse(w[i]);

			if (f <= 0 || f > 0xff) {
				snprintf(err, errlen, "'%s' is not a flag list like SYN,ACK (%s)", w[i], use);
				return -1;
			}
			if (have_flags++) {
				snprintf(err, errlen, "'%s': flags given twice (%s)", w[i], use);
				return -1;
			}
			a->flags_match = (unsigned)f;
		} else {
			snprintf(err, errlen, "unexpected '%s' (%s)", w[i], use);
			return -1;
		}
	}
	return 0;
}

static int
need_host(struct tt_action *a, char *const *w, int n, char *err, size_t errlen)
{
	if (n < 2) {
		snprintf(err, errlen, "'%s' needs a host (client or server)", w[0]);
		return -1;
	}
	if ((a->host = host_index(w[1])) < 0) {
		const char *colon = strchr(w[1], ':');
		char name[16];
		uint32_t sn;

		/* HOST:N, the host's connection in stream N */
		if (colon != NULL && (size_t)(colon - w[1]) < sizeof name) {
			memcpy(name, w[1], (size_t)(colon - w[1]));
			name[colon - w[1]] = '\0';
			a->host = host_index(name);
			if (a->host >= 0 && parse_u32(colon + 1, &sn) == 0 && sn < 65535) {
				a->conn = sn + 1;
				return 0;
			}
			if (a->host >= 0) {
				snprintf(err, errlen, "'%s': after the ':' comes a stream number", w[1]);
				return -1;
			}
		}
		snprintf(err, errlen, "unknown host '%s' (use client or server, or client:N "
		         "for its connection in stream N)", w[1]);
		return -1;
	}
	return 0;
}

/* send HOST N|"text" [urgent] */
static int
parse_send(struct tt_action *a, const struct words *ws, char *err, size_t errlen)
{
	char *const *w = ws->w;
	const char *x;

	a->kind = TT_A_SEND;
	if (need_host(a, ws->w, ws->n, err, errlen) == -1)
		return -1;
	if (ws->n < 3) {
		snprintf(err, errlen, "'send' needs a byte count or \"text\": send %s 100", w[1]);
		return -1;
	}
	if (ws->n > 4 || (ws->n == 4 && strcmp(w[3], "urgent") != 0)) {
		snprintf(err, errlen, "unexpected '%s' (send %s N|\"text\" [urgent])", w[3], w[1]);
		return -1;
	}
	a->urgent = ws->n == 4;
	x = w[2];
	if (!ws->quoted[2] && (isdigit((unsigned char)x[0]) || x[0] == '-' || x[0] == '+')) {
		if (parse_u32(x, &a->count) == -1 || a->count == 0 || a->count > TT_SEND_MAX) {
			snprintf(err, errlen, "'%s' is not a byte count: send 1 to 16777216 bytes at a time "
			         "(text in quotes: \"%s\")", x, x);
			return -1;
		}
		return 1;
	}
	if (strlen(x) == 0 || strlen(x) >= sizeof a->text) {
		snprintf(err, errlen, "text to send must be 1 to %zu bytes", sizeof a->text - 1);
		return -1;
	}
	snprintf(a->text, sizeof a->text, "%s", x);
	a->count = (uint32_t)strlen(a->text);
	return 1;
}

/* deliver [N] [to HOST], deliver all [to HOST], run [to HOST] */
static int
parse_deliver(struct tt_action *a, char *const *w, int n, char *err, size_t errlen)
{
	const char *use = "use: deliver [N] [to HOST]";

	a->kind = TT_A_DELIVER;
	a->count = 1;
	if (strcmp(w[0], "run") == 0 || (n > 1 && strcmp(w[1], "all") == 0)) {
		int skip = strcmp(w[0], "run") == 0 ? 1 : 2;

		a->kind = TT_A_DELIVER_ALL;
		use = skip == 1 ? "use: run [to HOST]" : "use: deliver all [to HOST]";
		return parse_match(a, w + skip, n - skip, 0, use, err, errlen) == -1 ? -1 : 1;
	}
	if (n > 1 && strcmp(w[1], "to") != 0) {
		if (parse_u32(w[1], &a->count) == -1 || a->count == 0 || a->count > 10000) {
			snprintf(err, errlen, "'%s' is not a count of segments (1 to 10000)", w[1]);
			return -1;
		}
		w++;
		n--;
	}
	return parse_match(a, w + 1, n - 1, 0, use, err, errlen) == -1 ? -1 : 1;
}

/* drop|duplicate [FLAGS] [to HOST] [#N], delay SECONDS [...], advance SECONDS */
static int
parse_fault(struct tt_action *a, char *const *w, int n, char *err, size_t errlen)
{
	if (strcmp(w[0], "drop") == 0 || strcmp(w[0], "duplicate") == 0) {
		a->kind = w[0][1] == 'r' ? TT_A_DROP : TT_A_DUPLICATE;
		return parse_match(a, w + 1, n - 1, M_FLAGS | M_NTH,
		                   a->kind == TT_A_DROP ? "use: drop [FLAGS] [to HOST] [#N]" :
		                   "use: duplicate [FLAGS] [to HOST] [#N]", err, errlen) == -1 ? -1 : 1;
	}
	a->kind = w[0][0] == 'd' ? TT_A_DELAY : TT_A_ADVANCE;
	if (n < 2 || parse_seconds(w[1], &a->amount) == -1) {
		snprintf(err, errlen, "'%s' needs a number of seconds", w[0]);
		return -1;
	}
	if (a->kind == TT_A_ADVANCE && n > 2) {
		snprintf(err, errlen, "unexpected '%s' (use: advance SECONDS)", w[2]);
		return -1;
	}
	return parse_match(a, w + 2, n - 2, M_FLAGS | M_NTH,
	                   "use: delay SECONDS [FLAGS] [to HOST] [#N]", err, errlen) == -1 ? -1 : 1;
}

/* inject HOST FLAGS seq=N [ack=N] [len=N] [win=N] */
static int
parse_inject(struct tt_action *a, char *const *w, int n, char *err, size_t errlen)
{
	static const char *const fields[] = { "seq", "ack", "len", "win" };
	int f, have[4] = { 0, 0, 0, 0 };

	a->kind = TT_A_INJECT;
	if (need_host(a, w, n, err, errlen) == -1)
		return -1;
	if (n < 3 || (f = tt_flags_parse(w[2])) < 0) {
		snprintf(err, errlen, "use: inject %s FLAGS seq=N [ack=N] [len=N] [win=N]", w[1]);
		return -1;
	}
	a->inject.flags = (uint16_t)f;
	a->inject.wnd = 65535;
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');
		size_t k;
		uint32_t v;

		if (eq == NULL || parse_u32(eq + 1, &v) == -1) {
			snprintf(err, errlen, "'%s' is not NAME=NUMBER", w[i]);
			return -1;
		}
		*eq = '\0';
		for (k = 0; k < 4 && strcmp(w[i], fields[k]) != 0; k++)
			;
		if (k == 4) {
			snprintf(err, errlen, "unknown field '%s' (seq, ack, len, win)", w[i]);
			return -1;
		}
		if (have[k]++) {
			snprintf(err, errlen, "%s= given twice", w[i]);
			return -1;
		}
		if (k >= 2 && v > 65535) {
			snprintf(err, errlen, "%s must be 0 to 65535", w[i]);
			return -1;
		}
		if (k == 0)
			a->inject.seq = v;
		else if (k == 1)
			a->inject.ack = v;
		else if (k == 2)
			a->inject.len = v;
		else
			a->inject.wnd = v;
	}
	if (!have[0]) {
		snprintf(err, errlen, "inject needs seq=N");
		return -1;
	}
	return 1;
}

/* Returns 1 with the action filled in, 0 when w[0] is no action keyword,
 * -1 on an error. */
static int
parse_action(struct tt_action *a, const struct words *ws, char *err, size_t errlen)
{
	static const struct {
		const char *word;
		enum tt_action_kind kind;
	} calls[] = {
		{ "listen", TT_A_LISTEN }, { "connect", TT_A_CONNECT }, { "receive", TT_A_RECEIVE },
		{ "close", TT_A_CLOSE }, { "shutdown", TT_A_SHUTDOWN }, { "abort", TT_A_ABORT },
	};
	char *const *w = ws->w;
	int n = ws->n;

	memset(a, 0, sizeof *a);
	a->host = -1;
	a->toward = -1;
	for (size_t i = 0; i < NELEM(calls); i++) {
		if (strcmp(w[0], calls[i].word) != 0)
			continue;
		a->kind = calls[i].kind;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		/* connect HOST [new] [cc=reno|cubic]: another connection, and
		 * its own congestion control (setsockopt TCP_CONGESTION) */
		if (a->kind == TT_A_CONNECT) {
			for (int k = 2; k < n; k++) {
				if (strcmp(w[k], "new") == 0 && a->conn == 0 && !a->fresh && !a->cc) {
					a->fresh = 1;
				} else if (strcmp(w[k], "cc=reno") == 0 && !a->cc) {
					a->cc = TT_CC_RENO + 1;
				} else if (strcmp(w[k], "cc=cubic") == 0 && !a->cc) {
					a->cc = TT_CC_CUBIC + 1;
				} else {
					snprintf(err, errlen, "unexpected '%s' (use: connect %s [new] "
					         "[cc=reno|cubic])", w[k], w[1]);
					return -1;
				}
			}
			return 1;
		}
		if (a->kind == TT_A_LISTEN && a->conn > 0) {
			snprintf(err, errlen, "'%s': a host listens on its own port, not in a stream",
			         w[1]);
			return -1;
		}
		if (n > 2) {
			snprintf(err, errlen, "unexpected '%s' (use: %s %s)", w[2], w[0], w[1]);
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "send") == 0)
		return parse_send(a, ws, err, errlen);
	if (strcmp(w[0], "keepalive") == 0) {
		a->kind = TT_A_KEEPALIVE;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		if (n != 3 || (a->on = parse_onoff(w[2])) < 0) {
			snprintf(err, errlen, "use: keepalive %s on|off", w[1]);
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "deliver") == 0 || strcmp(w[0], "run") == 0)
		return parse_deliver(a, w, n, err, errlen);
	if (strcmp(w[0], "drop") == 0 || strcmp(w[0], "duplicate") == 0 ||
	    strcmp(w[0], "delay") == 0 || strcmp(w[0], "advance") == 0)
		return parse_fault(a, w, n, err, errlen);
	if (strcmp(w[0], "crash") == 0) {
		a->kind = TT_A_CRASH;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		if (n == 3 && strcmp(w[2], "silent") == 0)
			a->on = 1;
		else if (n > 2) {
			snprintf(err, errlen, "unexpected '%s' (use: crash %s [silent])", w[2], w[1]);
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "inject") == 0)
		return parse_inject(a, w, n, err, errlen);
	if (strcmp(w[0], "accept") == 0) {
		a->kind = TT_A_ACCEPT;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		if (n > 2 || a->conn > 0) {
			snprintf(err, errlen, "use: accept client|server (the oldest connection of "
			         "its accept queue)");
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "flood") == 0) {
		a->kind = TT_A_FLOOD;
		if (n != 3 || strcmp(w[1], "server") != 0 || parse_u32(w[2], &a->count) == -1 ||
		    a->count == 0 || a->count > 10000) {
			snprintf(err, errlen, "use: flood server N (1 to 10000 SYNs from spoofed "
			         "addresses)");
			return -1;
		}
		a->host = TT_SERVER;
		return 1;
	}
	return 0;
}

/* host client|server ADDRESS PORT [iss=N] */
static int
parse_host(struct tt_scenario *sc, char *const *w, int n, char *err, size_t errlen)
{
	struct tt_host_config *h;
	unsigned char addr[16];
	uint32_t v;
	int i;

	if (n < 4 || n > 5 || (i = host_index(w[1])) < 0) {
		snprintf(err, errlen, "use: host client|server ADDRESS PORT [iss=N]");
		return -1;
	}
	h = &sc->cfg.host[i];
	if (strlen(w[2]) >= sizeof h->addr ||
	    (inet_pton(AF_INET, w[2], addr) != 1 && inet_pton(AF_INET6, w[2], addr) != 1)) {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", w[2]);
		return -1;
	}
	if (parse_u32(w[3], &v) == -1 || v == 0 || v > 65535) {
		snprintf(err, errlen, "'%s' is not a port (1-65535)", w[3]);
		return -1;
	}
	if (n == 5 && (strncmp(w[4], "iss=", 4) != 0 || parse_u32(w[4] + 4, &h->iss) == -1)) {
		snprintf(err, errlen, "'%s' is not iss=NUMBER", w[4]);
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
			snprintf(err, errlen, "'%s' is not a rate (2mbit, 500kbit, 1gbit, or off)", val);
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
			snprintf(err, errlen, "loss must be a percentage from 0 to 100, not '%s'", val);
			return -1;
		}
		l->loss_ppm = (uint32_t)(pc * 10000 + 0.5);
		return 0;
	}
	if (parse_u32(val, &v) == -1 || v > 100000) {
		snprintf(err, errlen, "%s must be a number of segments from 0 to 100000, not '%s'",
		         name, val);
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
static int
parse_set(struct tt_scenario *sc, char *const *w, int n, char *err, size_t errlen)
{
	int i;

	if (n >= 2 && strcmp(w[1], "seed") == 0) {
		uint32_t seed;

		if (n != 3 || parse_u32(w[2], &seed) == -1) {
			snprintf(err, errlen, "use: set seed N (a number)");
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

		if (n == 4 && (from = host_index(w[2])) < 0) {
			snprintf(err, errlen, "unknown host '%s' (use client or server)", w[2]);
			return -1;
		}
		if (n < 3 || n > 4) {
			snprintf(err, errlen, "use: set %s [client|server] VALUE", w[1]);
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

		if (n < 3 || n > 4 || parse_seconds(w[n - 1], &t) == -1) {
			snprintf(err, errlen, "use: set delay [client|server] SECONDS");
			return -1;
		}
		if (n == 3) {
			sc->cfg.delay[0] = sc->cfg.delay[1] = t;
		} else if ((i = host_index(w[2])) >= 0) {
			sc->cfg.delay[i] = t;
		} else {
			snprintf(err, errlen, "unknown host '%s' (use client or server)", w[2]);
			return -1;
		}
		return 1;
	}
	if (n != 4) {
		snprintf(err, errlen, "use: set client|server|both SETTING VALUE");
		return -1;
	}
	if (strcmp(w[1], "both") == 0) {
		for (i = 0; i < 2; i++)
			if (set_host_param(&sc->cfg.host[i], w[2], w[3], err, errlen) == -1)
				return -1;
		return 1;
	}
	if ((i = host_index(w[1])) < 0) {
		snprintf(err, errlen, "unknown host '%s' (use client, server or both)", w[1]);
		return -1;
	}
	return set_host_param(&sc->cfg.host[i], w[2], w[3], err, errlen) == -1 ? -1 : 1;
}

static int
add_action(struct tt_scenario *sc, const struct tt_action *a, char *err, size_t errlen)
{
	if (sc->nact == sc->cap) {
		size_t ncap = sc->cap ? sc->cap * 2 : 32;
		struct tt_action *na = realloc(sc->act, ncap * sizeof *na);
		unsigned *nl;

		if (na == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		sc->act = na;
		nl = realloc(sc->line, ncap * sizeof *nl);
		if (nl == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		sc->line = nl;
		sc->cap = ncap;
	}
	sc->line[sc->nact] = sc->cur_line;
	sc->act[sc->nact++] = *a;
	return 1;
}

int
tt_scenario_line(struct tt_scenario *sc, const char *line, char *err, size_t errlen)
{
	char buf[1024];
	struct words ws;
	struct tt_action a;
	int r;

	if (strlen(line) >= sizeof buf) {
		snprintf(err, errlen, "line too long");
		return -1;
	}
	strcpy(buf, line);
	if (split(buf, &ws, err, errlen) == -1)
		return -1;
	if (ws.n == 0)
		return 1;
	if (strcmp(ws.w[0], "host") == 0 || strcmp(ws.w[0], "set") == 0) {
		if (sc->nact > 0) {
			snprintf(err, errlen, "'%s' must come before the first action", ws.w[0]);
			return -1;
		}
		if (ws.w[0][0] == 'h')
			return parse_host(sc, ws.w, ws.n, err, errlen);
		return parse_set(sc, ws.w, ws.n, err, errlen);
	}
	r = parse_action(&a, &ws, err, errlen);
	if (r != 1)
		return r;
	return add_action(sc, &a, err, errlen);
}

struct tt_scenario *
tt_scenario_parse(const char *buf, size_t len, const char *fname, char *err, size_t errlen)
{
	struct tt_scenario *sc = tt_scenario_new();
	size_t at = 0;
	unsigned lineno = 0;

	if (sc == NULL) {
		snprintf(err, errlen, "%s: out of memory", fname);
		return NULL;
	}
	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - (buf + at)) : len - at;
		char line[1024], msg[256];
		int r;

		lineno++;
		if (n >= sizeof line) {
			snprintf(err, errlen, "%s:%u: line too long", fname, lineno);
			tt_scenario_free(sc);
			return NULL;
		}
		memcpy(line, buf + at, n);
		line[n] = '\0';
		at += n + 1;
		if (memchr(line, '\0', n) != NULL) {
			snprintf(err, errlen, "%s:%u: NUL byte in line", fname, lineno);
			tt_scenario_free(sc);
			return NULL;
		}
		tt_scenario_at(sc, fname, lineno);
		r = tt_scenario_line(sc, line, msg, sizeof msg);
		if (r == 0) {
			char word[32];

			sscanf(line, " %31s", word);
			snprintf(err, errlen, "%s:%u: unknown keyword '%s'", fname, lineno, word);
			tt_scenario_free(sc);
			return NULL;
		}
		if (r < 0) {
			snprintf(err, errlen, "%s:%u: %s", fname, lineno, msg);
			tt_scenario_free(sc);
			return NULL;
		}
	}
	return sc;
}

struct tt_sim *
tt_scenario_run(const struct tt_scenario *sc, size_t *first_step, char *err, size_t errlen)
{
	struct tt_sim *s = tt_sim_new(&sc->cfg);

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < sc->nact; i++) {
		char msg[200];

		if (first_step != NULL)
			first_step[i] = tt_sim_nsteps(s);
		/* -1: the action cannot be done; -2: it hit the simulator's
		 * limit (the hosts did not settle). Either way the run fails. */
		if (tt_sim_do(s, &sc->act[i], msg, sizeof msg) != 0) {
			if (sc->fname[0] != '\0' && sc->line[i] > 0)
				snprintf(err, errlen, "%s:%u: %s: %s", sc->fname, sc->line[i],
				         tt_action_name(sc->act[i].kind), msg);
			else
				snprintf(err, errlen, "action %zu (%s): %s", i + 1,
				         tt_action_name(sc->act[i].kind), msg);
			tt_sim_free(s);
			return NULL;
		}
	}
	if (first_step != NULL)
		first_step[sc->nact] = tt_sim_nsteps(s);
	return s;
}
