/* sim/host.h: a simulated host's sockets, private to src/sim.
 *
 * A host has a listening socket (at most one, on its configured port), any
 * number of connection sockets, each one TCB of the engine bound to a pair
 * of ports, and a TCB that never opens, which answers segments for ports
 * nothing uses (RFC 9293 §3.10.7.1). A SYN for a pair of ports with no
 * connection makes the listener's child: a copy of the listening TCB, which
 * then takes the SYN as LISTEN does, while the listener goes on listening.
 * All the host's TCBs share one ISN clock (RFC 9293 §3.4.1).
 */
#ifndef TT_SIM_HOST_H
#define TT_SIM_HOST_H

#include "sim/sim.h"

struct sim_sock {
	struct tt_conn *c;
	uint16_t lport, rport;   /* rport 0: the listener */
	int stream;              /* the stream it belongs to now; -1: none yet */
	int opened;              /* an OPEN was ever called on it */
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
/* Brackets every engine call on one of the host's TCBs: the TCB reads the
 * host's ISN clock before, and a clock it started is the host's after. */
void sim_host_clock_in(struct sim_host *h, struct tt_conn *c);
void sim_host_clock_out(struct sim_host *h, const struct tt_conn *c);
/* The TCB a user call without a stream goes to: the current connection,
 * else the listener, else the one that never opens. */
struct tt_conn *sim_host_default(const struct sim_host *h);

#endif
