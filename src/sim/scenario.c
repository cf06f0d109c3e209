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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sim/scenario.h"

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
			snprintf(err, errlen, _("too many words on the line (at most %d)"),
			         MAXWORDS);
			return -1;
		}
		if (*p == '"') {
			char *q = strchr(p + 1, '"');

			if (q == NULL) {
				snprintf(err, errlen, "%s", _("unterminated quote"));
				return -1;
			}
			if (q[1] != '\0' && !is_blank(q[1])) {
				snprintf(err, errlen, "%s",
				         _("a closing quote must end the word (a blank after it)"));
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
			snprintf(err, errlen, _("stray quote in '%s' (quote a whole word: "
			         "\"text\")"), start);
			return -1;
		}
		ws->quoted[ws->n] = 0;
		ws->w[ws->n++] = start;
	}
}

int
sim_scn_host_index(const char *w)
{
	if (strcmp(w, "client") == 0)
		return TT_CLIENT;
	if (strcmp(w, "server") == 0)
		return TT_SERVER;
	return -1;
}

/* The most seconds a scenario may give (about 31 years). */
#define MAX_SECONDS 1000000000u

/* Seconds into microseconds: 0, -1 for what is no number of seconds (a
 * word, a negative number), -2 for more than MAX_SECONDS. */
static int
parse_seconds(const char *w, tt_time *t)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(w, &end);
	if (end == w || *end != '\0' || !(d >= 0))
		return -1;
	if (d > MAX_SECONDS)     /* an overflow (ERANGE) too */
		return -2;
	if (errno != 0)
		return -1;
	*t = (tt_time)(d * 1e6 + 0.5);
	return 0;
}

int
sim_scn_seconds(const char *w, tt_time *t)
{
	return parse_seconds(w, t) == 0 ? 0 : -1;
}

int
sim_scn_u32(const char *w, uint32_t *v)
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

int
sim_scn_onoff(const char *w)
{
	if (strcmp(w, "on") == 0 || strcmp(w, "yes") == 0 || strcmp(w, "1") == 0)
		return 1;
	if (strcmp(w, "off") == 0 || strcmp(w, "no") == 0 || strcmp(w, "0") == 0)
		return 0;
	return -1;
}

/* A flag list like SYN,ACK (tt_flags_parse): its flags (0 for "none"), -1
 * when it is no flag list, -2 when it names a flag twice, with the word
 * that named it again in dup. */
static int
parse_flags(const char *w, char *dup, size_t duplen)
{
	int all = tt_flags_parse_twice(w, dup, duplen);

	return all > 0 && dup[0] != '\0' ? -2 : all;
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
				snprintf(err, errlen, _("'to' given twice (%s)"), use);
				return -1;
			}
			if (i + 1 == n) {
				snprintf(err, errlen, "%s",
				         _("'to' needs a host (client or server)"));
				return -1;
			}
			if ((a->toward = sim_scn_host_index(w[++i])) < 0) {
				snprintf(err, errlen, _("unknown host '%s' (use client or server)"),
				         w[i]);
				return -1;
			}
		} else if (w[i][0] == '#' && (allow & M_NTH)) {
			uint32_t v;

			if (sim_scn_u32(w[i] + 1, &v) == -1 || v == 0) {
				snprintf(err, errlen, _("'%s' is not a segment count like #2"),
				         w[i]);
				return -1;
			}
			if (have_nth++) {
				snprintf(err, errlen, _("'%s': #N given twice (%s)"), w[i], use);
				return -1;
			}
			a->nth = v - 1;
		} else if (allow & M_FLAGS) {
			char dup[8];
			int f = parse_flags(w[i], dup, sizeof dup);

			if (f == -2) {
				snprintf(err, errlen, _("'%s' names the flag %s twice"), w[i], dup);
				return -1;
			}
			if (f <= 0 || f > 0xff) {
				snprintf(err, errlen, _("'%s' is not a flag list like "
				         "SYN,ACK (%s)"), w[i], use);
				return -1;
			}
			if (have_flags++) {
				snprintf(err, errlen, _("'%s': flags given twice (%s)"), w[i], use);
				return -1;
			}
			a->flags_match = (unsigned)f;
		} else {
			snprintf(err, errlen, _("unexpected '%s' (%s)"), w[i], use);
			return -1;
		}
	}
	return 0;
}

static int
need_host(struct tt_action *a, char *const *w, int n, char *err, size_t errlen)
{
	if (n < 2) {
		snprintf(err, errlen, _("'%s' needs a host (client or server)"), w[0]);
		return -1;
	}
	if ((a->host = sim_scn_host_index(w[1])) < 0) {
		const char *colon = strchr(w[1], ':');
		char name[16];
		uint32_t sn;

		/* HOST:N, the host's connection in stream N */
		if (colon != NULL && (size_t)(colon - w[1]) < sizeof name) {
			memcpy(name, w[1], (size_t)(colon - w[1]));
			name[colon - w[1]] = '\0';
			a->host = sim_scn_host_index(name);
			if (a->host >= 0 && sim_scn_u32(colon + 1, &sn) == 0 && sn < 65535) {
				a->conn = sn + 1;
				return 0;
			}
			if (a->host >= 0) {
				snprintf(err, errlen, _("'%s': after the ':' comes a stream "
				         "number"), w[1]);
				return -1;
			}
		}
		snprintf(err, errlen, _("unknown host '%s' (use client or server, or client:N "
		         "for its connection in stream N)"), w[1]);
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
		snprintf(err, errlen, _("'send' needs a byte count or \"text\": send %s 100"),
		         w[1]);
		return -1;
	}
	if (ws->n > 4 || (ws->n == 4 && strcmp(w[3], "urgent") != 0)) {
		snprintf(err, errlen, _("unexpected '%s' (send %s N|\"text\" [urgent])"),
		         w[3], w[1]);
		return -1;
	}
	a->urgent = ws->n == 4;
	x = w[2];
	if (!ws->quoted[2] && (isdigit((unsigned char)x[0]) || x[0] == '-' || x[0] == '+')) {
		if (sim_scn_u32(x, &a->count) == -1 || a->count == 0 || a->count > TT_SEND_MAX) {
			snprintf(err, errlen, _("'%s' is not a byte count: send 1 to 16777216 "
			         "bytes at a time (text in quotes: \"%s\")"), x, x);
			return -1;
		}
		return 1;
	}
	if (strlen(x) == 0 || strlen(x) >= sizeof a->text) {
		snprintf(err, errlen, _("text to send must be 1 to %zu bytes"), sizeof a->text - 1);
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
	const char *use = _("use: deliver [N] [to HOST]");

	a->kind = TT_A_DELIVER;
	a->count = 1;
	if (strcmp(w[0], "run") == 0 || (n > 1 && strcmp(w[1], "all") == 0)) {
		int skip = strcmp(w[0], "run") == 0 ? 1 : 2;

		a->kind = TT_A_DELIVER_ALL;
		use = skip == 1 ? _("use: run [to HOST]") : _("use: deliver all [to HOST]");
		return parse_match(a, w + skip, n - skip, 0, use, err, errlen) == -1 ? -1 : 1;
	}
	if (n > 1 && strcmp(w[1], "to") != 0) {
		if (sim_scn_u32(w[1], &a->count) == -1 || a->count == 0 || a->count > 10000) {
			snprintf(err, errlen, _("'%s' is not a count of segments (1 to 10000)"),
			         w[1]);
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
		                   a->kind == TT_A_DROP ? _("use: drop [FLAGS] [to HOST] [#N]") :
		                   _("use: duplicate [FLAGS] [to HOST] [#N]"),
		                   err, errlen) == -1 ? -1 : 1;
	}
	a->kind = w[0][0] == 'd' ? TT_A_DELAY : TT_A_ADVANCE;
	if (n < 2) {
		snprintf(err, errlen, _("'%s' needs a number of seconds"), w[0]);
		return -1;
	}
	switch (parse_seconds(w[1], &a->amount)) {
	case -1:
		snprintf(err, errlen, _("'%s' needs a number of seconds, 0 or more, not '%s'"),
		         w[0], w[1]);
		return -1;
	case -2:
		snprintf(err, errlen, _("'%s' is too long: %s takes at most %u seconds"),
		         w[1], w[0], MAX_SECONDS);
		return -1;
	}
	if (a->kind == TT_A_ADVANCE && n > 2) {
		snprintf(err, errlen, _("unexpected '%s' (use: advance SECONDS)"), w[2]);
		return -1;
	}
	return parse_match(a, w + 2, n - 2, M_FLAGS | M_NTH,
	                   _("use: delay SECONDS [FLAGS] [to HOST] [#N]"),
	                   err, errlen) == -1 ? -1 : 1;
}

/* inject HOST FLAGS seq=N [ack=N] [len=N] [win=N] */
static int
parse_inject(struct tt_action *a, char *const *w, int n, char *err, size_t errlen)
{
	static const char *const fields[] = { "seq", "ack", "len", "win" };
	int f, have[4] = { 0, 0, 0, 0 };
	char dup[8];

	a->kind = TT_A_INJECT;
	if (need_host(a, w, n, err, errlen) == -1)
		return -1;
	if (n >= 3 && (f = parse_flags(w[2], dup, sizeof dup)) == -2) {
		snprintf(err, errlen, _("'%s' names the flag %s twice"), w[2], dup);
		return -1;
	}
	if (n < 3 || f < 0) {
		snprintf(err, errlen, _("use: inject %s FLAGS seq=N [ack=N] [len=N] [win=N]"),
		         w[1]);
		return -1;
	}
	a->inject.flags = (uint16_t)f;
	a->inject.wnd = 65535;
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');
		size_t k;
		uint32_t v;

		if (eq == NULL || sim_scn_u32(eq + 1, &v) == -1) {
			snprintf(err, errlen, _("'%s' is not NAME=NUMBER"), w[i]);
			return -1;
		}
		*eq = '\0';
		for (k = 0; k < 4 && strcmp(w[i], fields[k]) != 0; k++)
			;
		if (k == 4) {
			snprintf(err, errlen, _("unknown field '%s' (seq, ack, len, win)"), w[i]);
			return -1;
		}
		if (have[k]++) {
			snprintf(err, errlen, _("%s= given twice"), w[i]);
			return -1;
		}
		if (k >= 2 && v > 65535) {
			snprintf(err, errlen, _("%s must be 0 to 65535"), w[i]);
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
		snprintf(err, errlen, "%s", _("inject needs seq=N"));
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
					snprintf(err, errlen, _("unexpected '%s' (use: connect %s "
					         "[new] [cc=reno|cubic])"), w[k], w[1]);
					return -1;
				}
			}
			return 1;
		}
		if (a->kind == TT_A_LISTEN && a->conn > 0) {
			snprintf(err, errlen, _("'%s': a host listens on its own port, "
			         "not in a stream"), w[1]);
			return -1;
		}
		if (n > 2) {
			snprintf(err, errlen, _("unexpected '%s' (use: %s %s)"), w[2], w[0], w[1]);
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
		if (n != 3 || (a->on = sim_scn_onoff(w[2])) < 0) {
			snprintf(err, errlen, _("use: keepalive %s on|off"), w[1]);
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
			snprintf(err, errlen, _("unexpected '%s' (use: crash %s [silent])"),
			         w[2], w[1]);
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
			snprintf(err, errlen, "%s", _("use: accept client|server (the oldest "
			         "connection of "
			         "its accept queue)"));
			return -1;
		}
		return 1;
	}
	if (strcmp(w[0], "flood") == 0) {
		a->kind = TT_A_FLOOD;
		if (n != 3 || strcmp(w[1], "server") != 0 || sim_scn_u32(w[2], &a->count) == -1 ||
		    a->count == 0 || a->count > 10000) {
			snprintf(err, errlen, "%s", _("use: flood server N (1 to 10000 SYNs from "
			         "spoofed "
			         "addresses)"));
			return -1;
		}
		a->host = TT_SERVER;
		return 1;
	}
	return 0;
}

static int
add_action(struct tt_scenario *sc, const struct tt_action *a, char *err, size_t errlen)
{
	if (TT_GROW(sc->act, sc->nact, sc->cap, 32) < 0 ||
	    TT_GROW(sc->line, sc->nact, sc->capline, 32) < 0) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
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
		snprintf(err, errlen, "%s", _("line too long"));
		return -1;
	}
	strcpy(buf, line);
	if (split(buf, &ws, err, errlen) == -1)
		return -1;
	if (ws.n == 0)
		return 1;
	if (strcmp(ws.w[0], "host") == 0 || strcmp(ws.w[0], "set") == 0) {
		if (sc->nact > 0) {
			snprintf(err, errlen, _("'%s' must come before the first action"), ws.w[0]);
			return -1;
		}
		if (ws.w[0][0] == 'h')
			return sim_scn_host(sc, ws.w, ws.n, err, errlen);
		return sim_scn_set(sc, ws.w, ws.n, err, errlen);
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
		snprintf(err, errlen, _("%s: out of memory"), fname);
		return NULL;
	}
	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - (buf + at)) : len - at;
		char line[1024], msg[512];
		int r;

		lineno++;
		if (n >= sizeof line) {
			snprintf(err, errlen, "%s:%u: %s", fname, lineno, _("line too long"));
			tt_scenario_free(sc);
			return NULL;
		}
		memcpy(line, buf + at, n);
		line[n] = '\0';
		at += n + 1;
		if (memchr(line, '\0', n) != NULL) {
			snprintf(err, errlen, "%s:%u: %s", fname, lineno, _("NUL byte in line"));
			tt_scenario_free(sc);
			return NULL;
		}
		tt_scenario_at(sc, fname, lineno);
		r = tt_scenario_line(sc, line, msg, sizeof msg);
		if (r == 0) {
			char word[32];

			sscanf(line, " %31s", word);
			snprintf(msg, sizeof msg, _("unknown keyword '%s'"), word);
			snprintf(err, errlen, "%s:%u: %s", fname, lineno, msg);
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
	return tt_scenario_run_each(sc, first_step, NULL, err, errlen);
}

struct tt_sim *
tt_scenario_run_each(const struct tt_scenario *sc, size_t *first_step, size_t *failed,
                     char *err, size_t errlen)
{
	struct tt_sim *s = tt_sim_new(&sc->cfg);

	if (failed != NULL)
		*failed = SIZE_MAX;
	if (s == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	for (size_t i = 0; i < sc->nact; i++) {
		char msg[512];

		if (first_step != NULL)
			first_step[i] = tt_sim_nsteps(s);
		/* -1: the action cannot be done; -2: it hit the simulator's
		 * limit (the hosts did not settle). Either way the run fails. */
		if (tt_sim_do(s, &sc->act[i], msg, sizeof msg) != 0) {
			if (failed != NULL) {
				*failed = i;
				snprintf(err, errlen, "%s", msg);
			} else if (sc->fname[0] != '\0' && sc->line[i] > 0)
				snprintf(err, errlen, "%s:%u: %s: %s", sc->fname, sc->line[i],
				         tt_action_name(sc->act[i].kind), msg);
			else
				snprintf(err, errlen, _("action %zu (%s): %s"), i + 1,
				         tt_action_name(sc->act[i].kind), msg);
			tt_sim_free(s);
			return NULL;
		}
	}
	if (first_step != NULL)
		first_step[sc->nact] = tt_sim_nsteps(s);
	return s;
}

