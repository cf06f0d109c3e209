/* trace/session.h: a trace that grows under a user's actions.
 *
 * The sandbox screen plays both hosts of a connection without knowing what
 * makes its steps: it asks a session to do an action (listen, connect,
 * send, drop the next segment, ...) and reads the steps that came of it.
 * The simulator provides one (tt_sim_session() in sim/sim.h). A session is
 * deterministic: reset, then the same actions, give the same trace, which
 * is how the sandbox goes back in time. Plain data and callbacks: no
 * simulator header is needed to drive one.
 */
#ifndef TT_TRACE_SESSION_H
#define TT_TRACE_SESSION_H

#include <stddef.h>

#include "engine/tcp.h"
#include "trace/trace.h"

/* What a user can do: host calls, then the wire's and the clock's. */
enum tt_session_kind {
	TT_SA_LISTEN, TT_SA_CONNECT, TT_SA_SEND, TT_SA_SHUTDOWN, TT_SA_CLOSE, TT_SA_ABORT,
	TT_SA_CRASH, TT_SA_ACCEPT, TT_SA_FLOOD, TT_SA_RECEIVE, TT_SA_KEEPALIVE,
	TT_SA_DROP, TT_SA_DUPLICATE, TT_SA_DELAY, TT_SA_DELIVER, TT_SA_DELIVER_ALL,
	TT_SA_ADVANCE
};

struct tt_session_action {
	enum tt_session_kind kind;
	int host;                /* the host that acts; -1 for the wire and the clock */
	unsigned count;          /* send: bytes (text empty); flood: SYNs; deliver: segments;
	                            listen: the backlog + 2 (1: no queues at all),
	                            0: the host's setting as it is */
	int cookies;             /* listen: net.ipv4.tcp_syncookies + 1 (0, 1, 2),
	                            0: the host's configured */
	int on;                  /* keepalive: SO_KEEPALIVE on (1) or off (0) */
	tt_time amount;          /* delay, advance: microseconds */
	char text[64];           /* send: the bytes */
};

struct tt_session_ops {
	/* Starts again from nothing: both hosts CLOSED, no step. 0, or -1 when
	 * memory runs out. */
	int (*reset)(void *ctx);
	/* Does one action: 0; -1 with a message in err (English, to be
	 * translated) when it cannot be done; -2 when it stopped at the
	 * session's limit (the hosts did not settle; its steps stay). */
	int (*act)(void *ctx, const struct tt_session_action *a, char *err, size_t errlen);
	size_t (*nsteps)(const void *ctx);
	const struct tt_step *(*step)(const void *ctx, size_t i);
	tt_time (*now)(const void *ctx);
	/* Segments on the wire now. */
	size_t (*in_flight)(const void *ctx);
	/* Host h's current connection now. */
	void (*view)(const void *ctx, int host, struct tt_tcb_view *v);
	/* Host h's "addr:port" in a stream ((unsigned)-1: its configured one);
	 * returns buf. */
	char *(*endpoint)(const void *ctx, unsigned stream, int host, char *buf, size_t len);
};

struct tt_session {
	const struct tt_session_ops *ops;
	void *ctx;
};

#endif
