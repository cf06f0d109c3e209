/* sim/scenario.c: scenario files, the action part of a lesson.
 *
 * One record per line, '#' starts a comment. Settings (host, set) come
 * first, then actions; doc/lesson-format.md describes every keyword. The
 * parser works on a buffer and reports errors as "FILE:LINE: message".
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Splits a line into words; a double-quoted word may hold spaces. Returns
 * the number of words, or -1 for an unterminated quote. */
static int
split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n == max)
			return n;
		if (*p == '"') {
			char *q = strchr(p + 1, '"');

			if (q == NULL)
				return -1;
			*p = '\0';
			w[n++] = p + 1;
			*q = '\0';
			p = q + 1;
			continue;
		}
		w[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
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

static int
set_param(struct tt_config *c, const char *name, const char *val, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} times[] = {
		{ "rto", offsetof(struct tt_config, rto_initial) },
		{ "rto-min", offsetof(struct tt_config, rto_min) },
		{ "rto-max", offsetof(struct tt_config, rto_max) },
		{ "msl", offsetof(struct tt_config, msl) },
		{ "ka-idle", offsetof(struct tt_config, ka_idle) },
		{ "ka-interval", offsetof(struct tt_config, ka_interval) },
		{ "delack", offsetof(struct tt_config, delack) },
		{ "user-timeout", offsetof(struct tt_config, user_timeout) },
	};
	uint32_t v;
	int b;

	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		if (strcmp(name, times[i].name) != 0)
			continue;
		if (parse_seconds(val, (tt_time *)(void *)((char *)c + times[i].off)) == -1) {
			snprintf(err, errlen, "'%s' is not a number of seconds", val);
			return -1;
		}
		if (strcmp(name, "rto") == 0 && c->rto_min > c->rto_initial)
			c->rto_min = c->rto_initial;
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
	if (strcmp(name, "two-way-handshake") == 0 || strcmp(name, "challenge-ack") == 0) {
		if ((b = parse_onoff(val)) < 0) {
			snprintf(err, errlen, "'%s' is not on or off", val);
			return -1;
		}
		if (name[0] == 't')
			c->two_way_handshake = b;
		else
			c->no_challenge_ack = !b;
		return 0;
	}
	if (strcmp(name, "syn-retries") != 0 && strcmp(name, "retries") != 0 &&
	    strcmp(name, "ka-probes") != 0 && strcmp(name, "window") != 0 &&
	    strcmp(name, "mss") != 0) {
		snprintf(err, errlen, "unknown setting '%s'", name);
		return -1;
	}
	if (parse_u32(val, &v) == -1) {
		snprintf(err, errlen, "'%s' is not a number", val);
		return -1;
	}
	if (strcmp(name, "syn-retries") == 0)
		c->syn_retries = v;
	else if (strcmp(name, "retries") == 0)
		c->data_retries = v;
	else if (strcmp(name, "ka-probes") == 0)
		c->ka_probes = v;
	else if (strcmp(name, "window") == 0) {
		if (v > 65535) {
			snprintf(err, errlen, "window must be 0 to 65535");
			return -1;
		}
		c->rcv_wnd = v;
	} else if (strcmp(name, "mss") == 0) {
		if (v == 0 || v > 65495) {
			snprintf(err, errlen, "mss must be 1 to 65495");
			return -1;
		}
		c->mss = (uint16_t)v;
	} else {
		snprintf(err, errlen, "unknown setting '%s'", name);
		return -1;
	}
	return 0;
}

/* Reads the optional "[FLAGS] [to HOST] [#N]" tail of drop/duplicate/delay/deliver. */
static int
parse_match(struct tt_action *a, char **w, int n, int flags_ok, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(w[i], "to") == 0 && i + 1 < n) {
			if ((a->toward = host_index(w[++i])) < 0) {
				snprintf(err, errlen, "unknown host '%s' (use client or server)", w[i]);
				return -1;
			}
		} else if (w[i][0] == '#') {
			uint32_t v;

			if (parse_u32(w[i] + 1, &v) == -1 || v == 0) {
				snprintf(err, errlen, "'%s' is not a segment count like #2", w[i]);
				return -1;
			}
			a->nth = v - 1;
		} else if (strcmp(w[i], "next") == 0) {
			continue;
		} else if (flags_ok) {
			int f = tt_flags_parse(w[i]);

			if (f <= 0) {
				snprintf(err, errlen, "'%s' is not a flag list like SYN,ACK", w[i]);
				return -1;
			}
			a->flags_match = (unsigned)f;
		} else {
			snprintf(err, errlen, "unexpected '%s'", w[i]);
			return -1;
		}
	}
	return 0;
}

static int
need_host(struct tt_action *a, char **w, int n, char *err, size_t errlen)
{
	if (n < 2) {
		snprintf(err, errlen, "'%s' needs a host (client or server)", w[0]);
		return -1;
	}
	if ((a->host = host_index(w[1])) < 0) {
		snprintf(err, errlen, "unknown host '%s' (use client or server)", w[1]);
		return -1;
	}
	return 0;
}

static int
parse_action(struct tt_action *a, char **w, int n, char *err, size_t errlen)
{
	static const struct {
		const char *word;
		enum tt_action_kind kind;
	} calls[] = {
		{ "listen", TT_A_LISTEN }, { "connect", TT_A_CONNECT }, { "receive", TT_A_RECEIVE },
		{ "close", TT_A_CLOSE }, { "abort", TT_A_ABORT },
	};

	memset(a, 0, sizeof *a);
	a->host = -1;
	a->toward = -1;
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		if (strcmp(w[0], calls[i].word) != 0)
			continue;
		a->kind = calls[i].kind;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		if (n > 2) {
			snprintf(err, errlen, "unexpected '%s'", w[2]);
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "send") == 0) {
		a->kind = TT_A_SEND;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		if (n != 3) {
			snprintf(err, errlen, "'send' needs a byte count or \"text\": send %s 100", w[1]);
			return -1;
		}
		if (parse_u32(w[2], &a->count) == 0) {
			if (a->count == 0 || a->count > 65535) {
				snprintf(err, errlen, "send 1 to 65535 bytes at a time");
				return -1;
			}
		} else {
			if (strlen(w[2]) == 0 || strlen(w[2]) >= sizeof a->text) {
				snprintf(err, errlen, "text to send must be 1 to %zu bytes", sizeof a->text - 1);
				return -1;
			}
			snprintf(a->text, sizeof a->text, "%s", w[2]);
			a->count = (uint32_t)strlen(a->text);
		}
		return 1;
	}
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
	if (strcmp(w[0], "deliver") == 0) {
		a->kind = TT_A_DELIVER;
		a->count = 1;
		if (n > 1 && strcmp(w[1], "all") == 0) {
			a->kind = TT_A_DELIVER_ALL;
			return parse_match(a, w + 2, n - 2, 0, err, errlen) == -1 ? -1 : 1;
		}
		if (n > 1 && isdigit((unsigned char)w[1][0])) {
			if (parse_u32(w[1], &a->count) == -1 || a->count == 0 || a->count > 10000) {
				snprintf(err, errlen, "'%s' is not a count of segments", w[1]);
				return -1;
			}
			w++;
			n--;
		}
		return parse_match(a, w + 1, n - 1, 0, err, errlen) == -1 ? -1 : 1;
	}
	if (strcmp(w[0], "run") == 0) {
		a->kind = TT_A_DELIVER_ALL;
		return parse_match(a, w + 1, n - 1, 0, err, errlen) == -1 ? -1 : 1;
	}
	if (strcmp(w[0], "drop") == 0 || strcmp(w[0], "duplicate") == 0) {
		a->kind = w[0][1] == 'r' ? TT_A_DROP : TT_A_DUPLICATE;
		return parse_match(a, w + 1, n - 1, 1, err, errlen) == -1 ? -1 : 1;
	}
	if (strcmp(w[0], "delay") == 0 || strcmp(w[0], "advance") == 0) {
		a->kind = w[0][0] == 'd' ? TT_A_DELAY : TT_A_ADVANCE;
		if (n < 2 || parse_seconds(w[1], &a->amount) == -1) {
			snprintf(err, errlen, "'%s' needs a number of seconds", w[0]);
			return -1;
		}
		if (a->kind == TT_A_ADVANCE && n > 2) {
			snprintf(err, errlen, "unexpected '%s'", w[2]);
			return -1;
		}
		return parse_match(a, w + 2, n - 2, 1, err, errlen) == -1 ? -1 : 1;
	}
	if (strcmp(w[0], "crash") == 0) {
		a->kind = TT_A_CRASH;
		if (need_host(a, w, n, err, errlen) == -1)
			return -1;
		if (n == 3 && strcmp(w[2], "silent") == 0)
			a->on = 1;
		else if (n > 2) {
			snprintf(err, errlen, "unexpected '%s' (crash %s [silent])", w[2], w[1]);
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "inject") == 0) {
		int f, have_seq = 0;

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
			uint32_t v;

			if (eq == NULL || parse_u32(eq + 1, &v) == -1) {
				snprintf(err, errlen, "'%s' is not NAME=NUMBER", w[i]);
				return -1;
			}
			*eq = '\0';
			if (strcmp(w[i], "seq") == 0) {
				a->inject.seq = v;
				have_seq = 1;
			} else if (strcmp(w[i], "ack") == 0) {
				a->inject.ack = v;
			} else if (strcmp(w[i], "len") == 0 && v <= 65535) {
				a->inject.len = v;
			} else if (strcmp(w[i], "win") == 0 && v <= 65535) {
				a->inject.wnd = v;
			} else {
				snprintf(err, errlen, "unknown field '%s' (seq, ack, len, win)", w[i]);
				return -1;
			}
		}
		if (!have_seq) {
			snprintf(err, errlen, "inject needs seq=N");
			return -1;
		}
		return 1;
	}
	return 0;
}

static int
parse_setting(struct tt_scenario *sc, char **w, int n, char *err, size_t errlen)
{
	if (strcmp(w[0], "host") == 0) {
		struct tt_host_config *h;
		uint32_t v;
		int i;

		if (n < 4 || (i = host_index(w[1])) < 0) {
			snprintf(err, errlen, "use: host client|server ADDRESS PORT [iss=N]");
			return -1;
		}
		h = &sc->cfg.host[i];
		if (strlen(w[2]) >= sizeof h->addr || strspn(w[2], "0123456789abcdefABCDEF.:") != strlen(w[2])) {
			snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", w[2]);
			return -1;
		}
		if (parse_u32(w[3], &v) == -1 || v == 0 || v > 65535) {
			snprintf(err, errlen, "'%s' is not a port (1-65535)", w[3]);
			return -1;
		}
		snprintf(h->addr, sizeof h->addr, "%s", w[2]);
		h->port = (uint16_t)v;
		for (int k = 4; k < n; k++) {
			if (strncmp(w[k], "iss=", 4) != 0 || parse_u32(w[k] + 4, &h->iss) == -1) {
				snprintf(err, errlen, "'%s' is not iss=NUMBER", w[k]);
				return -1;
			}
			sc->iss_set[i] = 1;
		}
		return 1;
	}
	if (strcmp(w[0], "set") == 0) {
		int i;

		if (n == 3 && strcmp(w[1], "seed") == 0) {
			uint32_t seed;

			if (parse_u32(w[2], &seed) == -1) {
				snprintf(err, errlen, "'%s' is not a seed (a number)", w[2]);
				return -1;
			}
			for (i = 0; i < 2; i++)
				if (!sc->iss_set[i])
					sc->cfg.host[i].iss = seeded_iss(seed, i);
			return 1;
		}
		if (n >= 3 && strcmp(w[1], "delay") == 0) {
			tt_time t;

			if (parse_seconds(w[n - 1], &t) == -1 || n > 4) {
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
				if (set_param(&sc->cfg.host[i].tcp, w[2], w[3], err, errlen) == -1)
					return -1;
			return 1;
		}
		if ((i = host_index(w[1])) < 0) {
			snprintf(err, errlen, "unknown host '%s' (use client, server or both)", w[1]);
			return -1;
		}
		return set_param(&sc->cfg.host[i].tcp, w[2], w[3], err, errlen) == -1 ? -1 : 1;
	}
	return 0;
}

int
tt_scenario_line(struct tt_scenario *sc, const char *line, char *err, size_t errlen)
{
	char buf[1024], *w[MAXWORDS];
	struct tt_action a;
	int n, r;

	if (strlen(line) >= sizeof buf) {
		snprintf(err, errlen, "line too long");
		return -1;
	}
	strcpy(buf, line);
	n = split(buf, w, MAXWORDS);
	if (n < 0) {
		snprintf(err, errlen, "unterminated quote");
		return -1;
	}
	if (n == 0)
		return 1;
	r = parse_setting(sc, w, n, err, errlen);
	if (r != 0) {
		if (r == 1 && sc->nact > 0) {
			snprintf(err, errlen, "'%s' must come before the first action", w[0]);
			return -1;
		}
		return r;
	}
	r = parse_action(&a, w, n, err, errlen);
	if (r != 1)
		return r;
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
	sc->act[sc->nact++] = a;
	return 1;
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
		if (tt_sim_do(s, &sc->act[i], msg, sizeof msg) == -1) {
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
