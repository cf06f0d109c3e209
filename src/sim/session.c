/* sim/session.c: the simulation seen from outside the simulator.
 *
 * Two adapters: the trace as plain data (struct tt_trace, for the batch
 * report) and a session the sandbox drives (struct tt_session), each
 * action one tt_sim_do() and a reset a new simulation. Nothing here knows
 * TCP; it only translates (trace/trace.h, trace/session.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sim/sim.h"

static char *
trace_endpoint(const void *src, unsigned stream, int host, char *buf, size_t len)
{
	return tt_sim_stream_endpoint(src, stream, host, buf, len);
}

static const uint8_t *
trace_payload(const void *src, size_t i)
{
	return tt_sim_payload(src, i);
}

void
tt_sim_trace(const struct tt_sim *s, struct tt_trace *t)
{
	const struct tt_sim_config *cfg = tt_sim_config(s);

	memset(t, 0, sizeof *t);
	t->nsteps = tt_sim_nsteps(s);
	t->steps = t->nsteps ? tt_sim_step(s, 0) : NULL;
	t->nstreams = tt_sim_nstreams(s);
	for (int h = 0; h < 2; h++) {
		t->name[h] = cfg->host[h].name;
		t->iss[h] = cfg->host[h].iss;
	}
	t->src = s;
	t->endpoint = trace_endpoint;
	t->payload = trace_payload;
}

/* ---- the sandbox's session ------------------------------------------------ */

struct session {
	struct tt_sim_config cfg;
	struct tt_sim *sim;
};

/* The simulator's action for each of the session's. */
static const enum tt_action_kind kinds[] = {
	[TT_SA_LISTEN] = TT_A_LISTEN, [TT_SA_CONNECT] = TT_A_CONNECT, [TT_SA_SEND] = TT_A_SEND,
	[TT_SA_SHUTDOWN] = TT_A_SHUTDOWN, [TT_SA_CLOSE] = TT_A_CLOSE, [TT_SA_ABORT] = TT_A_ABORT,
	[TT_SA_CRASH] = TT_A_CRASH, [TT_SA_ACCEPT] = TT_A_ACCEPT, [TT_SA_FLOOD] = TT_A_FLOOD,
	[TT_SA_DROP] = TT_A_DROP, [TT_SA_DUPLICATE] = TT_A_DUPLICATE, [TT_SA_DELAY] = TT_A_DELAY,
	[TT_SA_DELIVER] = TT_A_DELIVER, [TT_SA_DELIVER_ALL] = TT_A_DELIVER_ALL,
	[TT_SA_ADVANCE] = TT_A_ADVANCE, [TT_SA_RECEIVE] = TT_A_RECEIVE,
	[TT_SA_KEEPALIVE] = TT_A_KEEPALIVE,
};

static int
ses_reset(void *ctx)
{
	struct session *ss = ctx;

	if (ss == NULL)
		return -1;
	tt_sim_free(ss->sim);
	ss->sim = tt_sim_new(&ss->cfg);
	return ss->sim != NULL ? 0 : -1;
}

_Static_assert(TT_SEND_MAX == 16777216, "ses_act's message names the limit");

static int
ses_act(void *ctx, const struct tt_session_action *sa, char *err, size_t errlen)
{
	struct session *ss = ctx;
	struct tt_action a;

	if ((size_t)sa->kind >= sizeof kinds / sizeof kinds[0]) {
		snprintf(err, errlen, "%s", _("unknown action"));
		return -1;
	}
	if (sa->kind == TT_SA_SEND && sa->text[0] == '\0' && (sa->count == 0 || sa->count > TT_SEND_MAX)) {
		snprintf(err, errlen, "%s", _("a send takes 1 to 16777216 bytes"));
		return -1;
	}
	memset(&a, 0, sizeof a);
	a.kind = kinds[sa->kind];
	a.host = sa->host;
	a.toward = -1;
	a.count = sa->count;
	a.on = sa->kind == TT_SA_KEEPALIVE ? sa->on : sa->cookies;
	a.amount = sa->amount;
	memcpy(a.text, sa->text, sizeof a.text);
	a.text[sizeof a.text - 1] = '\0';
	return tt_sim_do(ss->sim, &a, err, errlen);
}

static size_t
ses_nsteps(const void *ctx)
{
	return tt_sim_nsteps(((const struct session *)ctx)->sim);
}

static const struct tt_step *
ses_step(const void *ctx, size_t i)
{
	return tt_sim_step(((const struct session *)ctx)->sim, i);
}

static tt_time
ses_now(const void *ctx)
{
	return tt_sim_now(((const struct session *)ctx)->sim);
}

static size_t
ses_in_flight(const void *ctx)
{
	return tt_sim_in_flight(((const struct session *)ctx)->sim);
}

static void
ses_view(const void *ctx, int host, struct tt_tcb_view *v)
{
	tt_sim_view(((const struct session *)ctx)->sim, host, v);
}

static char *
ses_endpoint(const void *ctx, unsigned stream, int host, char *buf, size_t len)
{
	const struct tt_sim *s = ((const struct session *)ctx)->sim;

	if (stream == (unsigned)-1)
		return tt_sim_endpoint(s, host, buf, len);
	return tt_sim_stream_endpoint(s, stream, host, buf, len);
}

static const struct tt_session_ops ses_ops = {
	ses_reset, ses_act, ses_nsteps, ses_step, ses_now, ses_in_flight, ses_view, ses_endpoint,
};

void
tt_sim_session(const struct tt_sim_config *cfg, struct tt_session *ses)
{
	struct session *ss = calloc(1, sizeof *ss);

	ses->ops = &ses_ops;
	ses->ctx = ss;
	if (ss == NULL)
		return;         /* its first reset says so */
	if (cfg != NULL)
		ss->cfg = *cfg;
	else
		tt_sim_config_default(&ss->cfg);
}

void
tt_sim_session_end(struct tt_session *ses)
{
	struct session *ss = ses->ctx;

	if (ss != NULL)
		tt_sim_free(ss->sim);
	free(ss);
	ses->ctx = NULL;
}
