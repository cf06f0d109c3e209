/* sim/host.h: a simulated host's sockets, private to src/sim.
 *
 * A host has a listening socket (at most one, on its configured port), any
 * number of connection sockets, each one TCB of the engine bound to a pair
 * of ports, and a TCB that never opens, which answers segments for ports
 * nothing uses (RFC 9293 §3.10.7.1). A SYN for a pair of ports with no
 * connection makes the listener's child: a copy of the listening TCB, which
 * then takes the SYN as LISTEN does, while the listener goes on listening.
 * All the host's TCBs share one ISN clock (RFC 9293 §3.4.1).
 *
 * With a backlog (tt_listen_config) the listener keeps Linux's two queues
 * (net/ipv4/tcp_input.c tcp_conn_request, tcp_minisocks.c tcp_check_req,
 * include/net/sock.h sk_acceptq_is_full): the SYN queue is its children
 * in SYN-RECEIVED, the accept queue its children that got past the
 * handshake and that the application has not accepted. Each is full when
 * it holds more than the backlog (min(backlog, somaxconn 4096)): a SYN
 * queue of backlog + 1. Without a backlog there are no limits and each
 * connection is accepted as it is made. The cookie arithmetic is the
 * engine's (engine/cookie.c); when to use it is the host's.
 */
#ifndef TT_SIM_HOST_H
#define TT_SIM_HOST_H

#include "sim/sim.h"

struct sim_sock {
	struct tt_conn *c;
	uint16_t lport, rport;   /* rport 0: the listener */
	int stream;              /* the stream it belongs to now; -1: none yet */
	int opened;              /* an OPEN was ever called on it */
	int child;               /* made by the listener for a SYN (or a cookie) */
	int accepted;            /* the application has it (accept(), or no queues) */
	unsigned long queued;    /* when it entered the accept queue (order); 0: not yet */
};

struct sim_host {
	struct tt_config cfg;
	uint32_t iss;
	uint16_t port;           /* the configured port: the listener's, the first connection's */
	struct sim_sock *socks;
	size_t nsocks, capsocks;
	int listener;            /* index of the listening socket, or -1 */
	int cur;                 /* the connection user calls go to, or -1 */
	struct tt_conn *nobody;  /* CLOSED for ever: answers ports nothing uses */
	int clock_set;
	tt_time epoch;           /* the ISN clock: when it read the configured ISS */
	struct tt_oow_limit oow; /* RFC 5961 §7: one reply limit for the whole host */
	struct tt_listen_config lq; /* the listener's queues */
	struct tt_cookie_secret secret;
	unsigned long queued;    /* connections that entered the accept queue so far */
	int overflowed;          /* a SYN cookie was sent, at last_overflow */
	tt_time last_overflow;
	int proven;              /* the real peer completed a handshake here (Linux
	                            tcp_peer_is_proven: its metrics are kept) */
};

/* What the listener does with a SYN that makes no connection of its own
 * (Linux tcp_conn_request, in its order). */
enum sim_syn_verdict {
	SIM_SYN_CHILD,           /* a child in SYN-RECEIVED joins the SYN queue */
	SIM_SYN_COOKIE,          /* a SYN,ACK with a cookie, no state kept */
	SIM_SYN_DROP_SYNQ,       /* SYN queue full, no cookies */
	SIM_SYN_DROP_ACCEPTQ,    /* accept queue full */
	SIM_SYN_DROP_RESERVED    /* the last quarter of tcp_max_syn_backlog */
};

int sim_host_init(struct sim_host *h, const struct tt_host_config *cfg);
void sim_host_free(struct sim_host *h);
/* A new socket on lport towards rport (a new TCB in CLOSED), or -1. */
int sim_host_add(struct sim_host *h, uint16_t lport, uint16_t rport);
/* The connection socket bound to these ports, the newest one; or -1. */
int sim_host_find(const struct sim_host *h, uint16_t lport, uint16_t rport);
/* The socket whose stream is `stream`, or -1. */
int sim_host_in_stream(const struct sim_host *h, int stream);
/* A port no socket of the host uses yet, counting up from its own. */
uint16_t sim_host_free_port(const struct sim_host *h);
/* A new socket for a SYN on (lport, rport): the listener's child, a copy
 * of the listening TCB. Returns its index, or -1. A CLOSED socket on the
 * same ports stays behind it, never used again. */
int sim_host_child(struct sim_host *h, uint16_t lport, uint16_t rport);
/* The listener's SYN queue and accept queue now. */
unsigned sim_host_synq_len(const struct sim_host *h);
unsigned sim_host_acceptq_len(const struct sim_host *h);
/* The accept queue is full (only with a backlog). */
int sim_host_acceptq_full(const struct sim_host *h);
enum sim_syn_verdict sim_host_syn_verdict(const struct sim_host *h, int proven);
/* An ACK reaching the listener without a connection is checked as a SYN
 * cookie: tcp_syncookies 2, or 1 and a cookie sent less than two minutes
 * ago (Linux tcp_synq_no_recent_overflow). */
int sim_host_cookies_on(const struct sim_host *h, tt_time now);
/* After an engine call on socket i: a child past the handshake enters the
 * accept queue (spoofed: its peer does not exist, so it is not proven). */
void sim_host_after(struct sim_host *h, int i, int spoofed);
/* accept(): the oldest connection of the accept queue, now the current
 * one; -1 when the queue is empty. */
int sim_host_accept(struct sim_host *h);
/* Brackets every engine call on one of the host's TCBs: the TCB reads the
 * host's ISN clock before, and a clock it started is the host's after. */
void sim_host_clock_in(struct sim_host *h, struct tt_conn *c);
void sim_host_clock_out(struct sim_host *h, const struct tt_conn *c);
/* The TCB a user call without a stream goes to: the current connection,
 * else the listener, else the one that never opens. */
struct tt_conn *sim_host_default(const struct sim_host *h);

#endif
