/* tutor/cover.c: the transitions of the "cover every transition" challenge,
 * what a run covered, and the learner's file of what was ever covered. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "tutor/cover.h"
#include "tutor/store.h"

#define B(s) (1u << TT_##s)
#define C(c) (1u << TT_COVER_CAUSE_##c)
#define SYNCHRONIZED                                                                     \
	(B(ESTABLISHED) | B(FIN_WAIT_1) | B(FIN_WAIT_2) | B(CLOSE_WAIT) | B(CLOSING) |        \
	 B(LAST_ACK) | B(TIME_WAIT))

/* The one list. Each state change of the engine under RFC 9293's rules is
 * exactly one of these (tests/check_cover.c runs every bundled scenario to
 * hold it to that); lessons/scenarios/cover-*.scenario take them all. */
static const struct tt_cover_item list[] = {
	/* RFC 9293 Figure 5 */
	{ "passive-open", B(CLOSED), NULL, TT_LISTEN, C(CALL), 1, N_("passive OPEN (listen)"),
	  N_("act as the server and press l: listen") },
	{ "active-open", B(CLOSED), NULL, TT_SYN_SENT, C(CALL), 1, N_("active OPEN: send SYN"),
	  N_("act as the client and press c: connect") },
	{ "listen-rcv-syn", B(LISTEN), NULL, TT_SYN_RECEIVED, C(SEGMENT), 1,
	  N_("rcv SYN, send SYN,ACK"),
	  N_("with the server listening, connect from the client and deliver the SYN (n)") },
	{ "listen-send", B(LISTEN), NULL, TT_SYN_SENT, C(CALL), 0, N_("SEND on a listener: send SYN"),
	  N_("press c on a host that only listens: its listener sends a SYN") },
	{ "listen-close", B(LISTEN), NULL, TT_CLOSED, C(CALL), 0, N_("CLOSE a listener"),
	  N_("press x on a host that only listens: the listener is deleted") },
	{ "syn-sent-rcv-syn", B(SYN_SENT), NULL, TT_SYN_RECEIVED, C(SEGMENT), 1,
	  N_("rcv SYN: simultaneous open"),
	  N_("both hosts connect (c, h, c) before either SYN arrives, then n") },
	{ "syn-sent-rcv-syn-ack", B(SYN_SENT), NULL, TT_ESTABLISHED, C(SEGMENT), 1,
	  N_("rcv SYN,ACK, send ACK"),
	  N_("connect to a listening server and deliver the SYN and the SYN,ACK (n, n)") },
	{ "syn-sent-close", B(SYN_SENT), NULL, TT_CLOSED, C(CALL), 0, N_("CLOSE before the answer"),
	  N_("connect (c), then press x before the SYN,ACK arrives") },
	{ "syn-received-rcv-ack", B(SYN_RECEIVED), NULL, TT_ESTABLISHED, C(SEGMENT), 1,
	  N_("rcv ACK of SYN"), N_("deliver the client's ACK of the SYN,ACK to the server (n)") },
	{ "syn-received-close", B(SYN_RECEIVED), NULL, TT_FIN_WAIT_1, C(CALL), 0,
	  N_("CLOSE in SYN-RECEIVED: send FIN"),
	  N_("after the SYN reached the server, press f on the server before the ACK arrives") },
	{ "established-close", B(ESTABLISHED), NULL, TT_FIN_WAIT_1, C(CALL), 1,
	  N_("CLOSE: send FIN"), N_("on an established host press f (shutdown) or x (close)") },
	{ "established-rcv-fin", B(ESTABLISHED), NULL, TT_CLOSE_WAIT, C(SEGMENT), 1,
	  N_("rcv FIN, send ACK"), N_("deliver one host's FIN to the other, established one (n)") },
	{ "fin-wait-1-rcv-ack", B(FIN_WAIT_1), NULL, TT_FIN_WAIT_2, C(SEGMENT), 1,
	  N_("rcv ACK of FIN"), N_("after f, deliver the FIN and then the peer's ACK of it (n, n)") },
	{ "fin-wait-1-rcv-fin", B(FIN_WAIT_1), NULL, TT_CLOSING, C(SEGMENT), 1,
	  N_("rcv FIN, send ACK: simultaneous close"),
	  N_("both hosts press f before either FIN arrives, then n") },
	{ "fin-wait-2-rcv-fin", B(FIN_WAIT_2), NULL, TT_TIME_WAIT, C(SEGMENT), 1,
	  N_("rcv FIN, send ACK"), N_("in FIN-WAIT-2, let the other host close too (h, f) and deliver its FIN") },
	{ "closing-rcv-ack", B(CLOSING), NULL, TT_TIME_WAIT, C(SEGMENT), 1, N_("rcv ACK of FIN"),
	  N_("after a simultaneous close, deliver the ACKs of the FINs (w)") },
	{ "close-wait-close", B(CLOSE_WAIT), NULL, TT_LAST_ACK, C(CALL), 1, N_("CLOSE: send FIN"),
	  N_("on the host in CLOSE-WAIT press f or x") },
	{ "last-ack-rcv-ack", B(LAST_ACK), NULL, TT_CLOSED, C(SEGMENT), 1, N_("rcv ACK of FIN"),
	  N_("deliver the ACK of the last FIN (n)") },
	{ "time-wait-timeout", B(TIME_WAIT), NULL, TT_CLOSED, C(TIMEOUT), 1,
	  N_("timeout = 2MSL: delete the TCB"),
	  N_("in TIME-WAIT advance the clock (t) by 2MSL, 240 s") },
	/* beside the figure: RFC 9293 §3.10.7.4, §3.10.5, §3.8.3 and §3.10.8
	 * (the first of them drawn in the screen's diagram too) */
	{ "fin-wait-1-rcv-fin-ack", B(FIN_WAIT_1), NULL, TT_TIME_WAIT, C(SEGMENT), 1,
	  N_("rcv FIN that acknowledges our FIN"),
	  N_("after f and n, drop the peer's ACK (d), then h, f: its FIN,ACK acknowledges yours") },
	{ "syn-received-reset-listen", B(SYN_RECEIVED), NULL, TT_LISTEN, C(RST) | C(SEGMENT), 0,
	  N_("rcv RST: back to LISTEN (passive open)"),
	  N_("deliver the SYN, abort the client (h, r), then deliver: the SYN,ACK is answered "
	     "with a RST") },
	{ "syn-received-refused", B(SYN_RECEIVED), NULL, TT_CLOSED, C(RST), 0,
	  N_("rcv RST: refused (active open)"),
	  N_("after a simultaneous open's SYNs arrived, abort one host (r), drop both SYN,ACKs (d, d) and deliver its RST (w)") },
	{ "syn-sent-refused", B(SYN_SENT), NULL, TT_CLOSED, C(RST), 0,
	  N_("rcv RST,ACK: connection refused"),
	  N_("connect to a host that does not listen and deliver (n, n)") },
	{ "syn-sent-give-up", B(SYN_SENT), NULL, TT_CLOSED, C(TIMEOUT), 0,
	  N_("SYN retries run out: give up"),
	  N_("connect, then drop the SYN (d) and advance to the next try (t), 8 times, then t") },
	{ "give-up", B(SYN_RECEIVED) | (SYNCHRONIZED & ~B(TIME_WAIT)), N_("open"), TT_CLOSED,
	  C(TIMEOUT), 0, N_("retransmissions or keep-alive run out: give up"),
	  N_("drop (d) each retransmission and advance (t) until the sender gives up: 7 tries "
	     "for a SYN,ACK, 15 for data") },
	{ "reset", SYNCHRONIZED, N_("synchronized"), TT_CLOSED, C(RST), 0,
	  N_("rcv RST: connection reset"),
	  N_("abort one host of a connection (r) and deliver its RST to the other (n)") },
	{ "abort", B(LISTEN) | B(SYN_SENT) | B(SYN_RECEIVED) | SYNCHRONIZED, N_("open"), TT_CLOSED,
	  C(ABORT), 0, N_("ABORT, or close() with data unread: send RST"),
	  N_("press r (abort) on a host with a connection") },
};

#define NLIST (sizeof list / sizeof list[0])

size_t
tt_cover_nitems(void)
{
	return NLIST;
}

const struct tt_cover_item *
tt_cover_item(size_t i)
{
	return i < NLIST ? &list[i] : NULL;
}

const char *
tt_cover_item_from(const struct tt_cover_item *t)
{
	if (t->from_name != NULL)
		return t->from_name;
	for (int s = 0; s < TT_NSTATES; s++)
		if (t->from == 1u << s)
			return tt_state_name((enum tt_state)s);
	return "?";
}

enum tt_cover_cause
tt_cover_cause_of(enum tt_reason r)
{
	switch (r) {
	case TT_R_OPEN_PASSIVE: case TT_R_OPEN_ACTIVE: case TT_R_OPEN_LISTEN_ACTIVE:
	case TT_R_CLOSE_LISTEN: case TT_R_CLOSE_SYN_SENT: case TT_R_CLOSE_SEND_FIN:
	case TT_R_SHUTDOWN_SEND_FIN:
		return TT_COVER_CAUSE_CALL;
	case TT_R_LISTEN_SYN: case TT_R_SYNSENT_SYN_ACK: case TT_R_SYNSENT_SYN:
	case TT_R_SYNRCVD_ACK: case TT_R_FW1_FIN_ACKED: case TT_R_CLOSING_FIN_ACKED:
	case TT_R_LASTACK_FIN_ACKED: case TT_R_FIN_EST: case TT_R_FIN_FW1:
	case TT_R_FIN_FW1_ACKED: case TT_R_FIN_FW2: case TT_R_SYN_SYNRCVD_PASSIVE:
		return TT_COVER_CAUSE_SEGMENT;
	case TT_R_SYNSENT_RST: case TT_R_RST_SYNRCVD_PASSIVE: case TT_R_RST_SYNRCVD_ACTIVE:
	case TT_R_RST_RESET: case TT_R_RST_CLOSE:
		return TT_COVER_CAUSE_RST;
	case TT_R_ABORT: case TT_R_ABORT_QUIET: case TT_R_CLOSE_UNREAD_RST:
	case TT_R_DATA_AFTER_CLOSE:
		return TT_COVER_CAUSE_ABORT;
	case TT_R_TIME_WAIT_EXPIRED: case TT_R_RTX_GIVE_UP: case TT_R_USER_TIMEOUT:
	case TT_R_KEEPALIVE_GIVE_UP: case TT_R_ZERO_WINDOW_GIVE_UP:
		return TT_COVER_CAUSE_TIMEOUT;
	/* a crash (sim), the two-way what-if, RFC 1122's TIME-WAIT reopen,
	 * Linux's FIN-WAIT-2 timeout, its listen queue's RST and a connection
	 * rebuilt from a SYN cookie: settings or events beyond RFC 9293 */
	case TT_R_HOST_CRASH: case TT_R_LISTEN_SYN_TWO_WAY: case TT_R_TW_REOPEN:
	case TT_R_FIN_WAIT_2_TIMEOUT: case TT_R_ACCEPTQ_FULL_RST: case TT_R_COOKIE_ACK:
		return TT_COVER_CAUSE_OUTSIDE;
	default:
		return TT_COVER_CAUSE_NONE;
	}
}

const char *
tt_cover_cause_name(enum tt_cover_cause c)
{
	static const char *const names[] = { "call", "segment", "rst", "abort", "timeout",
	                                     "outside", "none" };

	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

int
tt_cover_item_of(const struct tt_event *ev)
{
	enum tt_cover_cause c;

	if (ev->from == ev->to)
		return -1;
	c = tt_cover_cause_of(ev->reason);
	if (c == TT_COVER_CAUSE_OUTSIDE)
		return -2;
	for (size_t i = 0; i < NLIST; i++)
		if ((list[i].from & (1u << ev->from)) && list[i].to == ev->to &&
		    (list[i].causes & (1u << c)))
			return (int)i;
	return -3;
}

tt_cover_set
tt_cover_steps(const struct tt_step *steps, size_t n, unsigned *host, unsigned *outside)
{
	tt_cover_set s = 0;

	if (host != NULL)
		memset(host, 0, NLIST * sizeof *host);
	if (outside != NULL)
		*outside = 0;
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < steps[i].nev && k < TT_STEP_EVENTS; k++) {
			const struct tt_step_event *e = &steps[i].ev[k];
			int t = tt_cover_item_of(&e->ev);

			if (t >= 0) {
				s |= (tt_cover_set)1 << t;
				if (host != NULL && (e->host == TT_CLIENT || e->host == TT_SERVER))
					host[t] |= 1u << e->host;
			} else if (t != -1 && outside != NULL) {
				(*outside)++;
			}
		}
	return s;
}

size_t
tt_cover_count(tt_cover_set s)
{
	size_t n = 0;

	for (; s != 0; s &= s - 1)
		n++;
	return n;
}

tt_cover_set
tt_cover_all(void)
{
	return ((tt_cover_set)1 << NLIST) - 1;
}

int
tt_cover_edge(tt_cover_set s, enum tt_state from, enum tt_state to)
{
	for (size_t i = 0; i < NLIST; i++)
		if (list[i].drawn && list[i].from == 1u << from && list[i].to == to)
			return (s >> i) & 1;
	return 0;
}

int
tt_cover_next(tt_cover_set s)
{
	for (size_t i = 0; i < NLIST; i++)
		if (!((s >> i) & 1))
			return (int)i;
	return -1;
}

/* ---- DIR/cover-progress ---------------------------------------------------- */

#define COVER_MAGIC "tcptutor-cover 1"
#define COVER_FAMILY "tcptutor-cover "

struct tt_cover_progress {
	char path[4096];
	tt_cover_set set;       /* what the file held at the last load or save, plus added */
	tt_cover_set pend;      /* added since the last save */
	int reset;              /* forget what the file holds at the next save */
};

/* The file's text: the set, the number of damaged lines (*first the first
 * of them), or -1 when nothing in it is ours. */
static int
parse(const char *buf, size_t len, tt_cover_set *set, unsigned *first)
{
	size_t at = 0;
	unsigned line = 0;
	int magic = 0, bad = 0, good = 0;

	*set = 0;
	while (at < len) {
		char l[128];
		int n = tt_store_line(buf, len, &at, l, sizeof l), ok = 0;

		line++;
		if (n < 0) {
			/* too long: damaged */
		} else if (n == 0 || (!magic && strcmp(l, COVER_MAGIC) == 0)) {
			ok = 1;
			magic |= n > 0;
		} else if (!magic && !good && strncmp(l, COVER_FAMILY, strlen(COVER_FAMILY)) == 0) {
			return -1;      /* another version: not ours to read */
		} else if (strncmp(l, "taken ", 6) == 0 && memchr(l, '\0', (size_t)n) == NULL) {
			for (size_t i = 0; i < NLIST && !ok; i++)
				if (strcmp(l + 6, list[i].id) == 0) {
					*set |= (tt_cover_set)1 << i;
					ok = good = 1;
				}
		}
		if (!ok && bad++ == 0)
			*first = line;
	}
	if (!magic && !good)
		return -1;
	if (!magic && bad == 0) {
		bad = 1;
		*first = 1;
	}
	return bad;
}

static int
parse_into(void *ctx, const char *buf, size_t len, unsigned *first)
{
	return parse(buf, len, ctx, first);
}

struct tt_cover_progress *
tt_cover_progress_load(const char *dir, char *warn, size_t warnlen)
{
	struct tt_cover_progress *p = calloc(1, sizeof *p);

	if (warnlen > 0)
		warn[0] = '\0';
	if (p == NULL)
		return NULL;
	snprintf(p->path, sizeof p->path, "%s/cover-progress", dir);
	if (tt_store_load(p->path, parse_into, &p->set, warn, warnlen) == -1)
		p->set = 0;
	return p;
}

void
tt_cover_progress_free(struct tt_cover_progress *p)
{
	free(p);
}

tt_cover_set
tt_cover_progress_get(const struct tt_cover_progress *p)
{
	return p->set;
}

tt_cover_set
tt_cover_progress_add(struct tt_cover_progress *p, tt_cover_set s)
{
	tt_cover_set fresh = s & ~p->set & tt_cover_all();

	p->set |= fresh;
	p->pend |= fresh;
	return fresh;
}

void
tt_cover_progress_reset(struct tt_cover_progress *p)
{
	p->set = p->pend = 0;
	p->reset = 1;
}

/* tt_store_update(): what the file holds now (none when it is to be
 * forgotten), plus what was added since the last save, as the new text. */
struct save {
	const struct tt_cover_progress *p;
	tt_cover_set d;         /* what the file will hold */
};

static int
save_merge(void *ctx, const char *old, size_t len, char **out, size_t *outlen, char *err,
           size_t errlen)
{
	struct save *sv = ctx;
	const struct tt_cover_progress *p = sv->p;
	tt_cover_set d = 0;
	size_t at = 0, cap = 64 + NLIST * 48;
	unsigned first;
	char *buf;

	if (old != NULL && parse(old, len, &d, &first) == -1) {
		snprintf(err, errlen, "%s: not a progress file any more; left as it is", p->path);
		return -1;
	}
	if ((buf = malloc(cap)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d |= p->pend;
	at += (size_t)snprintf(buf + at, cap - at, "%s\n", COVER_MAGIC);
	for (size_t i = 0; i < NLIST; i++)
		if ((d >> i) & 1)
			at += (size_t)snprintf(buf + at, cap - at, "taken %s\n", list[i].id);
	sv->d = d;
	*out = buf;
	*outlen = at;
	return 0;
}

int
tt_cover_progress_save(struct tt_cover_progress *p, char *err, size_t errlen)
{
	struct save sv = { p, 0 };
	int rc = tt_store_update(p->path, p->reset, save_merge, &sv, err, errlen);

	if (rc == 0) {
		p->set = sv.d;
		p->pend = 0;
		p->reset = 0;
	}
	return rc;
}
