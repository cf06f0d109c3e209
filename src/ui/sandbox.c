/* ui/sandbox.c: free play. Both hosts of a session (trace/session.h: a
 * simulation, for tcptutor sandbox) are under the
 * user's keys (listen, connect, send, shutdown, close, abort) and so is the wire (drop,
 * duplicate or delay the next segment, advance the clock, crash a host).
 * It is the step view with extra keys: every action appends steps, and
 * stepping forward past the last step delivers the next segment in flight.
 *
 * Going back and then acting rewinds the world: the session is rebuilt
 * from the actions that led to the step on screen (it is deterministic), so
 * what the user sees is exactly the state the new action starts from. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "ui/challenge.h"
#include "ui/stepview.h"

struct sandbox {
	const struct tt_session *ses;
	struct tt_session_action *log; /* actions applied, in order */
	size_t nlog, caplog;
	struct tt_step *steps;      /* copies of the simulation's steps */
	size_t capsteps;
	struct ui_story story;
	int host;                   /* the host the user acts as */
	int backlog[2];             /* B: each host's next listen(), -1 no queues,
	                               -2 not set (the host's) */
	int cookies[2];             /* K: its tcp_syncookies then, -1 not set */
	char ep[2][64];
	char own[2][64];            /* the step's own connection (endpoint_of) */
	char status[1024];
	struct ui_chal chal;        /* cover every transition (o) */
};

static size_t
nsteps_now(const struct sandbox *sb)
{
	return sb->ses->ops->nsteps(sb->ses->ctx);
}

static size_t
in_flight(const struct sandbox *sb)
{
	return sb->ses->ops->in_flight(sb->ses->ctx);
}

/* Host h's address in step i's own connection: another port of the
 * client, a flood's spoofed source. */
static const char *
sb_endpoint(void *ctx, size_t i, int h)
{
	struct sandbox *sb = ctx;

	if (i >= nsteps_now(sb))
		return NULL;
	return sb->ses->ops->endpoint(sb->ses->ctx, sb->ses->ops->step(sb->ses->ctx, i)->stream, h,
	                              sb->own[h], sizeof sb->own[h]);
}

static void
sync_steps(struct sandbox *sb)
{
	size_t n = nsteps_now(sb);

	if (tt_grow(&sb->steps, &sb->capsteps, n, sizeof *sb->steps, 64) != 0)
		ui_fatal("%s", _("out of memory"));
	for (size_t i = 0; i < n; i++)
		sb->steps[i] = *sb->ses->ops->step(sb->ses->ctx, i);
	sb->story.steps = sb->steps;
	sb->story.nsteps = n;
}

static int
record(struct sandbox *sb, const struct tt_session_action *a)
{
	if (TT_GROW(sb->log, sb->nlog, sb->caplog, 32) != 0)
		ui_fatal("%s", _("out of memory"));
	sb->log[sb->nlog++] = *a;
	return 0;
}

/* Rebuilds the session from the first `keep` actions. */
static void
rewind_to(struct sandbox *sb, size_t keep)
{
	char err[512];

	if (sb->ses->ops->reset(sb->ses->ctx) < 0)
		ui_fatal("%s", _("out of memory"));
	for (size_t i = 0; i < keep && i < sb->nlog; i++)
		sb->ses->ops->act(sb->ses->ctx, &sb->log[i], err, sizeof err);
	sb->nlog = keep < sb->nlog ? keep : sb->nlog;
}

/* The user went back past the last action: the session is rebuilt up to
 * the step on screen (what the next action continues from), and said so.
 * 1 when it was. */
static int
rewind_to_screen(struct sandbox *sb, size_t cur)
{
	size_t n = nsteps_now(sb);

	/* (a step of the last action itself continues after it) */
	if (n == 0 || cur + 1 >= n || sb->steps[cur].action + 1 >= sb->nlog)
		return 0;
	rewind_to(sb, sb->steps[cur].action + 1);
	snprintf(sb->status, sizeof sb->status, "%s",
	         _("Rewound to the step on screen; later steps were discarded."));
	return 1;
}

/* Applies an action at the step on screen. *cur moves to the last step the
 * action made: that is where the hosts are now, and the step the next
 * action continues from (stopping on an earlier one would make the next
 * action rewind). p steps back through what the action did. */
static enum ui_next
act(struct sandbox *sb, struct tt_session_action *a, size_t *cur)
{
	char err[512];
	int r;

	if (!rewind_to_screen(sb, *cur))
		sb->status[0] = '\0';
	r = sb->ses->ops->act(sb->ses->ctx, a, err, sizeof err);
	if (r == -1) {
		snprintf(sb->status, sizeof sb->status, "%s", err);      /* translated */
		sync_steps(sb);
		if (sb->story.nsteps > 0 && *cur >= sb->story.nsteps)
			*cur = sb->story.nsteps - 1;
		return UI_REDRAW;
	}
	/* -2: the action stopped at the simulator's limit; its steps stay
	 * (a rewind repeats them exactly), and the user is told why. */
	if (r == -2)
		snprintf(sb->status, sizeof sb->status, "%s",
		         _("The hosts did not settle (segments or timers without end): the action "
		           "stopped at the simulator's limit."));
	record(sb, a);
	sync_steps(sb);
	if (sb->story.nsteps > 0)
		*cur = sb->story.nsteps - 1;
	ui_chal_update(&sb->chal, sb->steps, sb->story.nsteps, sb->status, sizeof sb->status);
	return UI_REDRAW;
}

static void
init_action(struct tt_session_action *a, enum tt_session_kind k, int host)
{
	memset(a, 0, sizeof *a);
	a->kind = k;
	a->host = host;
}

/* The earliest running timer of either host, relative to now, or -1. */
static tt_time
next_timer_in(const struct sandbox *sb)
{
	tt_time best = TT_NEVER, now = sb->ses->ops->now(sb->ses->ctx);

	for (int h = 0; h < 2; h++) {
		struct tt_tcb_view v;
		tt_time t[5];

		sb->ses->ops->view(sb->ses->ctx, h, &v);
		t[0] = v.rtx_at, t[1] = v.tw_at, t[2] = v.ka_at, t[3] = v.delack_at, t[4] = v.user_at;
		for (int k = 0; k < 5; k++)
			if (t[k] < best)
				best = t[k];
	}
	return best == TT_NEVER ? -1 : (best > now ? best - now : 0);
}

/* s: asks for the bytes to send: text, or a number of bytes (the
 * engine's filler bytes), so that a window can fill from the keyboard. As
 * in a scenario's send, a word that begins with a digit, + or - is a
 * count, and text in double quotes is text. */
static int
send_prompt(struct sandbox *sb, size_t *cur)
{
	struct tt_session_action a;
	char buf[64];
	size_t n;

	snprintf(buf, sizeof buf, "hello");
	if (ui_ask(_("Send"), _("Text to send, or a number of bytes (e.g. 100000):"), buf,
	           sizeof buf) != 0 || buf[0] == '\0')
		return UI_REDRAW;
	init_action(&a, TT_SA_SEND, sb->host);
	n = strlen(buf);
	if (n >= 2 && buf[0] == '"' && buf[n - 1] == '"') {
		snprintf(a.text, sizeof a.text, "%.*s", (int)(n - 2), buf + 1);
		a.count = (unsigned)strlen(a.text);
		if (a.count == 0)
			return UI_REDRAW;
	} else if ((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '+' || buf[0] == '-') {
		const char *d = buf + (buf[0] == '+');

		/* anything but digits counts 0: the session refuses it (and a
		 * count past its limit), saying why */
		a.count = 0;
		if (*d != '\0' && strspn(d, "0123456789") == strlen(d) && strlen(d) <= 9)
			a.count = (unsigned)strtoul(d, NULL, 10);
	} else {
		snprintf(a.text, sizeof a.text, "%s", buf);
		a.count = (unsigned)strlen(a.text);
	}
	return act(sb, &a, cur);
}

/* A: SO_KEEPALIVE on or off at the acting host's connection. */
static int
keepalive_key(struct sandbox *sb, size_t *cur)
{
	const struct tt_session_ops *ops = sb->ses->ops;
	struct tt_session_action a;
	struct tt_tcb_view v;
	int h = sb->host, rewound;
	char said[400];

	/* the toggle is of the state the action starts from: the step on
	 * screen's, once the session is back there */
	rewound = rewind_to_screen(sb, *cur);
	init_action(&a, TT_SA_KEEPALIVE, h);
	ops->view(sb->ses->ctx, h, &v);
	a.on = !v.keepalive;
	act(sb, &a, cur);
	ops->view(sb->ses->ctx, h, &v);
	if (v.keepalive != a.on)
		return UI_REDRAW;       /* act() said why */
	if (!v.keepalive)
		snprintf(said, sizeof said, _("Keep-alive off at the %s."), ui_host_name(h));
	else if (v.ka_at != TT_NEVER)
		snprintf(said, sizeof said,
		         _("Keep-alive on at the %s: if the connection stays idle, it probes the peer "
		           "at %.3f s (t advances the clock)."), ui_host_name(h), v.ka_at / 1e6);
	else
		snprintf(said, sizeof said,
		         _("Keep-alive on at the %s: it probes the peer once an established "
		           "connection is idle (t advances the clock)."), ui_host_name(h));
	snprintf(sb->status, sizeof sb->status, "%s%s",
	         rewound ? _("Rewound to the step on screen; later steps were discarded. ") : "", said);
	return UI_REDRAW;
}

/* The listen queues the acting host's next listen() will have. */
static void
queues_status(struct sandbox *sb)
{
	int h = sb->host, b = sb->backlog[h], k = sb->cookies[h];
	char cook[128];

	if (k < 0)
		snprintf(cook, sizeof cook, "%s", _("SYN cookies as the host is set"));
	else
		snprintf(cook, sizeof cook, k == 0 ? _("no SYN cookies (tcp_syncookies = 0)")
		         : k == 1 ? _("SYN cookies when the SYN queue overflows (tcp_syncookies = 1)")
		                  : _("SYN cookies always (tcp_syncookies = 2)"));
	if (b >= 0)
		snprintf(sb->status, sizeof sb->status,
		         _("The %s's next listen() has backlog %d: a SYN queue and an accept queue "
		           "as Linux keeps them; %s. Press l to listen."), ui_host_name(h), b, cook);
	else
		snprintf(sb->status, sizeof sb->status,
		         _("The %s's next listen() has no queues: every connection is accepted as "
		           "it is made; %s. Press l to listen."), ui_host_name(h), cook);
}

/* B: the backlog of the acting host's next listen(). */
static int
backlog_prompt(struct sandbox *sb)
{
	char buf[16], *end;
	long v;

	buf[0] = '\0';
	if (sb->backlog[sb->host] >= 0)
		snprintf(buf, sizeof buf, "%d", sb->backlog[sb->host]);
	if (ui_ask(_("Backlog"), _("listen() backlog (0-65535; empty: no queues):"), buf,
	           sizeof buf) != 0)
		return UI_REDRAW;
	if (buf[0] == '\0') {
		sb->backlog[sb->host] = -1;
	} else {
		v = strtol(buf, &end, 10);
		if (*end != '\0' || v < 0 || v > 65535) {
			snprintf(sb->status, sizeof sb->status, _("'%s' is not a backlog (0-65535)."),
			         buf);
			return UI_REDRAW;
		}
		sb->backlog[sb->host] = (int)v;
	}
	queues_status(sb);
	return UI_REDRAW;
}

/* K: net.ipv4.tcp_syncookies for the acting host's next listen(): 0, 1, 2. */
static int
cookies_key(struct sandbox *sb)
{
	int *k = &sb->cookies[sb->host];

	*k = *k < 0 ? 0 : (*k + 1) % 3;
	queues_status(sb);
	return UI_REDRAW;
}

/* d, u: the next segment on the wire is dropped / duplicated. */
static int
fault_key(struct sandbox *sb, int key, size_t *cur)
{
	struct tt_session_action a;
	enum ui_next r;

	init_action(&a, key == 'd' ? TT_SA_DROP : TT_SA_DUPLICATE, -1);
	r = act(sb, &a, cur);
	if (sb->status[0] == '\0')
		snprintf(sb->status, sizeof sb->status, "%s", key == 'd' ?
		         _("The next segment on the wire will be dropped.") :
		         _("The next segment on the wire will be duplicated."));
	return r;
}

/* y: asks how long the next segment is held back. */
static int
delay_prompt(struct sandbox *sb, size_t *cur)
{
	struct tt_session_action a;
	enum ui_next r;
	char buf[64], *end;
	double sec;

	snprintf(buf, sizeof buf, "0.5");
	if (ui_ask(_("Delay"), _("Hold the next segment back by how many seconds?"), buf,
	           sizeof buf) != 0)
		return UI_REDRAW;
	sec = strtod(buf, &end);
	if (*end != '\0' || sec < 0 || sec > 86400) {
		snprintf(sb->status, sizeof sb->status, _("'%s' is not a number of seconds."), buf);
		return UI_REDRAW;
	}
	init_action(&a, TT_SA_DELAY, -1);
	a.amount = (tt_time)(sec * 1e6);
	r = act(sb, &a, cur);
	if (sb->status[0] == '\0')
		snprintf(sb->status, sizeof sb->status, "%s", _("The next segment on the wire will be delayed."));
	return r;
}

/* t: asks how far to advance the clock, proposing the next timer. */
static int
advance_prompt(struct sandbox *sb, size_t *cur)
{
	tt_time next = next_timer_in(sb);
	struct tt_session_action a;
	char buf[64], *end;
	double sec;

	buf[0] = '\0';
	if (next >= 0)
		snprintf(buf, sizeof buf, "%g", (double)next / 1e6);
	if (ui_ask(_("Advance time"), _("Advance the clock by how many seconds? (proposed: the next timer)"),
	           buf, sizeof buf) != 0 || buf[0] == '\0')
		return UI_REDRAW;
	sec = strtod(buf, &end);
	if (*end != '\0' || sec < 0 || sec > 1e7) {
		snprintf(sb->status, sizeof sb->status, _("'%s' is not a number of seconds."), buf);
		return UI_REDRAW;
	}
	init_action(&a, TT_SA_ADVANCE, -1);
	a.amount = (tt_time)(sec * 1e6 + 0.5);
	return act(sb, &a, cur);
}

/* o, i, R: the challenge's keys; -1 when the challenge is not there. */
static int
challenge_key(struct sandbox *sb, int key)
{
	if (key == 'o') {
		if (sb->chal.ch == NULL)
			return -1;
		ui_chal_toggle(&sb->chal, sb->steps, sb->story.nsteps, sb->status, sizeof sb->status);
		return UI_REDRAW;
	}
	if (!sb->chal.on)
		return -1;
	if (key == 'i')
		ui_chal_hint(&sb->chal);
	else
		ui_chal_reset(&sb->chal, sb->story.nsteps, sb->status, sizeof sb->status);
	return UI_REDRAW;
}

/* The keys that are one user call at the host the actions go to. */
static const struct {
	int key;
	enum tt_session_kind kind;
} host_keys[] = {
	{ 'l', TT_SA_LISTEN }, { 'c', TT_SA_CONNECT }, { 'f', TT_SA_SHUTDOWN }, { 'x', TT_SA_CLOSE },
	{ 'r', TT_SA_ABORT }, { 'k', TT_SA_CRASH },
	{ 'e', TT_SA_ACCEPT },   /* accept(): the application takes a connection off the queue */
	{ 'G', TT_SA_RECEIVE },  /* receive(): the application reads what arrived */
};

static int
sb_key(void *ctx, int key, size_t *cur)
{
	struct sandbox *sb = ctx;
	struct tt_session_action a;

	for (size_t i = 0; i < sizeof host_keys / sizeof host_keys[0]; i++)
		if (host_keys[i].key == key) {
			init_action(&a, host_keys[i].kind, sb->host);
			if (a.kind == TT_SA_LISTEN) {
				a.count = (unsigned)(sb->backlog[sb->host] + 2);
				a.cookies = sb->cookies[sb->host] + 1;
			}
			return act(sb, &a, cur);
		}
	switch (key) {
	case 'h':
		sb->host = !sb->host;
		return UI_REDRAW;
	case 's':
		return send_prompt(sb, cur);
	case 'A':
		return keepalive_key(sb, cur);
	case 'B':
		return backlog_prompt(sb);
	case 'K':
		return cookies_key(sb);
	case 'F':
		/* four SYNs from spoofed sources toward the server */
		init_action(&a, TT_SA_FLOOD, TT_SERVER);
		a.count = 4;
		return act(sb, &a, cur);
	case 'd':
	case 'u':
		return fault_key(sb, key, cur);
	case 'y':
		return delay_prompt(sb, cur);
	case 't':
		return advance_prompt(sb, cur);
	case 'o':
	case 'i':
	case 'R':
		return challenge_key(sb, key);
	case 'w':
		if (in_flight(sb) == 0) {
			snprintf(sb->status, sizeof sb->status, "%s", _("Nothing is on the wire."));
			return UI_REDRAW;
		}
		init_action(&a, TT_SA_DELIVER_ALL, -1);
		return act(sb, &a, cur);
	default:
		return -1;
	}
}

static int
sb_more(void *ctx)
{
	struct sandbox *sb = ctx;
	struct tt_session_action a;
	size_t before = nsteps_now(sb), cur = before > 0 ? before - 1 : 0;

	if (in_flight(sb) == 0) {
		snprintf(sb->status, sizeof sb->status, "%s",
		         _("Nothing is on the wire: act with the keys in the bar at the bottom."));
		return 0;
	}
	init_action(&a, TT_SA_DELIVER, -1);
	a.count = 1;
	act(sb, &a, &cur);
	return nsteps_now(sb) > before;
}

static size_t
sb_hints(void *ctx, struct ui_keyhint *k, size_t max)
{
	struct sandbox *sb = ctx;
	static char hostlab[64], chal[64];
	size_t n = 0;
	const struct ui_keyhint all[] = {
		{ "h", hostlab }, { "l", _("listen") }, { "c", _("connect") }, { "s", _("send") },
		{ "G", _("receive") }, { "f", _("shutdown") }, { "x", _("close") }, { "r", _("abort") }, { "d", _("drop") }, { "u", _("dup") },
		{ "y", _("delay") }, { "t", _("time") }, { "o", chal }, { "i", _("hint") },
		{ "w", _("run") },
	};

	snprintf(hostlab, sizeof hostlab, _("acting as %s"), sb->host ? _("server") : _("client"));
	snprintf(chal, sizeof chal, _("challenge %zu/%zu"),
	         ui_chal_count(&sb->chal), tt_cover_nitems());
	for (size_t i = 0; i < sizeof all / sizeof all[0] && n < max; i++) {
		/* the challenge's keys only while it is open (? and the menu's help
		 * tell of o; k, e, F, B, K and A are there only) */
		if ((all[i].key[0] == 'o' || all[i].key[0] == 'i') && !sb->chal.on)
			continue;
		k[n++] = all[i];
	}
	return n;
}

static void
sb_status(void *ctx, char *buf, size_t len)
{
	struct sandbox *sb = ctx;
	size_t f = in_flight(sb);

	if (sb->status[0])
		snprintf(buf, len, "%s", sb->status);
	else if (sb->chal.on)
		ui_chal_line(&sb->chal, buf, len);
	else if (f > 0)
		snprintf(buf, len, _("%zu on the wire (n delivers)"), f);
	else
		buf[0] = '\0';
}

static const char *
sb_help(void *ctx)
{
	(void)ctx;
	return _("Sandbox keys (bar at the bottom)\n"
	         "\n"
	         "  h   switch the host you act as (client / server)\n"
	         "  l   listen (passive OPEN)           c   connect (active OPEN)\n"
	         "  s   send text, or a number of bytes G   receive(): read what arrived\n"
	         "      (\"12\" in quotes is text)\n"
	         "  f   shutdown: a FIN, still receives A   keep-alive on or off\n"
	         "  x   close(): FIN (RST if unread)    r   abort (RST)\n"
	         "  k   crash the host (its TCB is lost)\n"
	         "  e   accept(): take a connection off the accept queue\n"
	         "  F   flood: four SYNs to the server from spoofed addresses\n"
	         "  B   the backlog of the next listen()  K   its SYN cookies (0, 1, 2)\n"
	         "  d   drop the next segment           u   duplicate the next segment\n"
	         "  y   delay the next segment          t   advance the clock (timers fire)\n"
	         "  w   deliver everything on the wire\n"
	         "  o   the challenge: take every transition of the state diagram\n"
	         "      (i which remain and a hint, R forget the progress)\n"
	         "  n   at the last step: deliver the next segment on the wire\n"
	         "\n"
	         "After an action the view shows its last step, where the hosts are now;\n"
	         "p steps back through what it did. Going back past an earlier action and\n"
	         "then acting continues from the step on screen: later steps are discarded.\n");
}

static int
sb_edge(void *ctx, enum tt_state from, enum tt_state to)
{
	struct sandbox *sb = ctx;

	return ui_chal_edge(&sb->chal, from, to);
}

int
ui_sandbox(const struct tt_session *ses, const struct ui_opts *opts,
           const struct ui_challenge *ch)
{
	struct sandbox sb;
	struct sv_ext ext;
	struct ui_opts none = { 0, 0, 0, 0, 0 };
	int rc;

	memset(&sb, 0, sizeof sb);
	sb.backlog[0] = sb.backlog[1] = -2;
	sb.cookies[0] = sb.cookies[1] = -1;
	sb.ses = ses;
	if (ses->ops->reset(ses->ctx) < 0) {
		ui_fail("%s", _("out of memory"));
		return 1;
	}
	sb.host = TT_SERVER;
	sb.chal.ch = ch;
	sb.story.title = _("Sandbox");
	sb.story.endpoint[0] = ses->ops->endpoint(ses->ctx, (unsigned)-1, 0, sb.ep[0], sizeof sb.ep[0]);
	sb.story.endpoint[1] = ses->ops->endpoint(ses->ctx, (unsigned)-1, 1, sb.ep[1], sizeof sb.ep[1]);
	sb.story.ctx = &sb;
	sb.story.endpoint_of = sb_endpoint;
	sync_steps(&sb);
	memset(&ext, 0, sizeof ext);
	ext.ctx = &sb;
	ext.key = sb_key;
	ext.more = sb_more;
	ext.hints = sb_hints;
	ext.status = sb_status;
	ext.help = sb_help;
	ext.edge_taken = sb_edge;
	ext.empty = _("Nothing has happened yet. Both hosts are CLOSED. Press l to make the "
	              "server listen, then h to act as the client and c to connect; n delivers "
	              "the next segment on the wire. ? lists every key.");
	rc = sv_run(&sb.story, opts != NULL ? opts : &none, &ext);
	ui_chal_free(&sb.chal);
	free(sb.log);
	free(sb.steps);
	return rc;
}
