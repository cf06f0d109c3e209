/* sim/sim.h: two hosts, a wire between them and a virtual clock.
 *
 * The simulation is driven one action at a time (listen, connect, send,
 * deliver, drop, advance time, ...). Every action appends steps to a trace:
 * a step is either a segment that crossed (or was lost on) the wire, or an
 * event at one host with no segment (a user call, a timer, a crash). Each
 * step keeps both TCBs of its stream as they were after it, so a viewer can
 * move back and forth without re-running anything. A host has sockets: a
 * listener whose SYNs make child connections, and any number of
 * connections, each a stream of the trace (sim/host.h). Deterministic:
 * same actions, same trace.
 */
#ifndef TT_SIM_H
#define TT_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/tcp.h"
#include "trace/session.h"
#include "trace/trace.h"

/* A fault armed on the wire for a future segment. */
enum tt_fault_kind { TT_FAULT_DROP, TT_FAULT_DUPLICATE, TT_FAULT_DELAY };

/* A listening socket's queues, as Linux keeps them (sim/host.h): the SYN
 * queue of half-open children, the accept queue of established ones the
 * application has not accepted yet. */
struct tt_listen_config {
	int backlog;             /* listen(fd, backlog); -1: no queues at all, every
	                            connection accepted as it is made */
	unsigned max_syn_backlog; /* net.ipv4.tcp_max_syn_backlog */
	int abort_on_overflow;   /* net.ipv4.tcp_abort_on_overflow */
	int syncookies;          /* net.ipv4.tcp_syncookies: 0 never, 1 when the SYN
	                            queue overflows, 2 always */
};

struct tt_host_config {
	char name[16];           /* "client", "server" */
	char addr[48];           /* "192.0.2.1" or "2001:db8::1" */
	uint16_t port;
	uint32_t iss;
	struct tt_config tcp;
	struct tt_listen_config listen;
	struct tt_cookie_secret secret; /* the host's SYN cookie key (from the seed) */
};

/* A bottleneck on the way from one host to the other: segments leave it one
 * after another at `rate` and wait in a drop-tail queue while one is being
 * sent. A segment that finds `queue` waiting is dropped; one that finds
 * `mark` waiting is marked CE instead when it is ECN-capable (RFC 3168 §5);
 * `loss` loses segments at random (seeded: the same run every time). */
struct tt_link {
	uint64_t rate;           /* bits per second; 0: no bottleneck */
	unsigned queue;          /* segments that may wait; 0: no limit */
	unsigned mark;           /* CE-mark ECT segments when this many wait; 0: never */
	uint32_t loss_ppm;       /* random loss, parts per million */
};
/* What the bottleneck counts of a segment: its payload and 40 bytes of IP
 * and TCP headers. */
#define TT_LINK_HEADER 40

struct tt_sim_config {
	struct tt_host_config host[2];
	tt_time delay[2];        /* one-way delay of segments sent by host i */
	struct tt_link link[2];  /* the bottleneck of segments sent by host i */
	uint64_t loss_seed;      /* the random loss's sequence */
};

void tt_sim_config_default(struct tt_sim_config *cfg);
/* A host's SYN cookie secret derived from a seed (scenario `set seed`). */
void tt_sim_secret(uint64_t seed, int host, struct tt_cookie_secret *sec);

enum tt_action_kind {
	TT_A_LISTEN, TT_A_CONNECT, TT_A_SEND, TT_A_RECEIVE, TT_A_CLOSE, TT_A_SHUTDOWN,
	TT_A_ABORT, TT_A_KEEPALIVE, TT_A_DELIVER, TT_A_DELIVER_ALL, TT_A_DROP, TT_A_DUPLICATE,
	TT_A_DELAY, TT_A_ADVANCE, TT_A_CRASH, TT_A_INJECT, TT_A_ACCEPT, TT_A_FLOOD,
	TT_A_NACTIONS
};

/* The most bytes one `send N` hands over: 16 MiB, a bulk transfer's worth. */
#define TT_SEND_MAX (16u << 20)

struct tt_action {
	enum tt_action_kind kind;
	int host;                /* TT_CLIENT / TT_SERVER; -1 where not used */
	int toward;              /* deliver/drop/...: -1 any direction, else the receiving host */
	unsigned nth;            /* drop/duplicate/delay: 0 the next in-flight segment, n: the nth */
	unsigned flags_match;    /* drop/...: nonzero: the next segment with exactly these flags */
	unsigned count;          /* send: byte count; deliver, flood: how many;
	                            listen: the backlog + 2 (1: no queues at all,
	                            0: the host's setting as it is) */
	tt_time amount;          /* advance / delay: microseconds */
	struct tt_seg inject;    /* inject: a hand-made segment sent by `host` (e.g. an old SYN) */
	int on;                  /* keepalive on/off; crash: silent; listen:
	                            tcp_syncookies + 1 (0: the host's setting) */
	int urgent;              /* send: with the URGENT flag (RFC 9293 §3.8.5) */
	unsigned conn;           /* user calls: 0 the host's current connection; N + 1
	                            its connection in stream N */
	int fresh;               /* connect: a new connection from the next free port */
	int cc;                  /* connect: 0 the host's congestion control; else
	                            TT_CC_* + 1 for this connection (TCP_CONGESTION) */
	char text[64];           /* send: the bytes, when given as text */
};

/* Keywords: one list gives the action names used by scenario files. */
const char *tt_action_name(enum tt_action_kind k);

struct tt_sim;

struct tt_sim *tt_sim_new(const struct tt_sim_config *cfg);
void tt_sim_free(struct tt_sim *s);

/* Applies one action; returns 0, or -1 with a message in err for an action
 * that cannot be done (e.g. deliver with nothing on the wire), or -2 when the
 * action hit the simulator's limit (the hosts kept exchanging segments or
 * firing timers without end) or when a call's struct tt_out could not hold all
 * it did (tt_out.truncated): err says so, and the run is not to be trusted.
 * User-call errors (connection exists, ...) are not failures: they show as
 * events. */
int tt_sim_do(struct tt_sim *s, const struct tt_action *a, char *err, size_t errlen);

size_t tt_sim_nsteps(const struct tt_sim *s);
const struct tt_step *tt_sim_step(const struct tt_sim *s, size_t i);
/* The payload of segment step i as it crossed the wire (seg.len bytes: the
 * text sent, or the engine's 'x' bytes for a count), kept by the simulator
 * beside the steps; NULL for a step without payload. Valid while s lives. */
const uint8_t *tt_sim_payload(const struct tt_sim *s, size_t i);
tt_time tt_sim_now(const struct tt_sim *s);
size_t tt_sim_in_flight(const struct tt_sim *s);
const struct tt_sim_config *tt_sim_config(const struct tt_sim *s);
/* "addr:port" or "[addr]:port" with the host's configured port; returns buf. */
char *tt_sim_endpoint(const struct tt_sim *s, int host, char *buf, size_t len);
/* The same for the host's end of one stream. */
char *tt_sim_stream_endpoint(const struct tt_sim *s, unsigned stream, int host, char *buf,
                             size_t len);
/* The address of a host's end of one stream: the host's own, or for a
 * flood's stream the spoofed source (RFC 2544's 198.18.0.0/15, or
 * 2001:db8:ffff::/64 for an IPv6 server), which no host has. */
const char *tt_sim_stream_addr(const struct tt_sim *s, unsigned stream, int host, char *buf,
                               size_t len);
/* Streams so far: each connection a host opened (or that a SYN opened at a
 * listener), a new one for each new incarnation on the same ports. */
size_t tt_sim_nstreams(const struct tt_sim *s);
/* The base of each host's relative sequence numbers in every stream
 * (base[k][host], tt_sim_nstreams() rows): tt_trace_bases() with the
 * hosts' configured ISSs as the fallback. */
void tt_sim_seq_bases(const struct tt_sim *s, uint32_t (*base)[2]);
/* A host's current connection now (its listener, when it has nothing else). */
void tt_sim_view(const struct tt_sim *s, int host, struct tt_tcb_view *v);
/* The trace so far as plain data (trace/trace.h) for whoever only shows it;
 * valid while s lives and takes no action. */
void tt_sim_trace(const struct tt_sim *s, struct tt_trace *t);
/* A session (trace/session.h) over simulations of cfg (NULL: the default
 * hosts), for the sandbox; it has no simulation until its first reset,
 * which fails when memory ran out here. tt_sim_session_end() frees it. */
void tt_sim_session(const struct tt_sim_config *cfg, struct tt_session *ses);
void tt_sim_session_end(struct tt_session *ses);

/* ---- scenario files: the action part of a lesson ----
 * Line-oriented, '#' comments. A scenario collects host settings and a list
 * of actions; tt_scenario_line() takes one line and says whether it was a
 * scenario line, so the lesson parser can hand it everything it does not
 * know itself. */
struct tt_scenario;

struct tt_scenario *tt_scenario_new(void);
void tt_scenario_free(struct tt_scenario *sc);
/* Returns 1 when the line was taken, 0 when its keyword is not a scenario
 * keyword, -1 on an error (message in err, without file:line). */
int tt_scenario_line(struct tt_scenario *sc, const char *line, char *err, size_t errlen);
/* Says where the next lines come from, so that a failing action can be
 * reported as "FILE:LINE: message" by tt_scenario_run(). */
void tt_scenario_at(struct tt_scenario *sc, const char *fname, unsigned line);
/* Parses a whole buffer of scenario lines; errors as "FILE:LINE: message". */
struct tt_scenario *tt_scenario_parse(const char *buf, size_t len, const char *fname,
                                      char *err, size_t errlen);
size_t tt_scenario_nactions(const struct tt_scenario *sc);
const struct tt_action *tt_scenario_action(const struct tt_scenario *sc, size_t i);
const struct tt_sim_config *tt_scenario_config(const struct tt_scenario *sc);
/* Runs every action in a new simulation; on failure returns NULL with
 * "FILE:LINE: action: message" (or "action N (...): message") in err. first_step[i] (if not NULL, nactions+1 long)
 * receives the index of the first step each action produced. */
struct tt_sim *tt_scenario_run(const struct tt_scenario *sc, size_t *first_step,
                               char *err, size_t errlen);
/* The same; with failed not NULL, the failing action's index goes there
 * (SIZE_MAX when none failed, or memory ran out) and err holds only the
 * simulator's message, for a caller that names the place itself. */
struct tt_sim *tt_scenario_run_each(const struct tt_scenario *sc, size_t *first_step,
                                    size_t *failed, char *err, size_t errlen);

#endif
