/* sim/internal.h: the simulation's state and what its files share,
 * private to src/sim.
 *
 * sim.c makes and reads a simulation; record.c keeps its trace (streams,
 * steps, payloads, the sender's notes); wire.c the segments in flight (the
 * faults, the bottleneck); deliver.c their arrival at the hosts and the
 * flow of time; actions.c the actions of tt_sim_do(). One struct tt_sim,
 * passed to all of them; no file-level state.
 */
#ifndef TT_SIM_INTERNAL_H
#define TT_SIM_INTERNAL_H

#include "base/base.h"
#include "sim/host.h"

struct flight {
	int from;
	unsigned stream;
	tt_time sent, arrive;
	tt_time left;            /* when it left the bottleneck (its sender's link) */
	struct tt_seg seg;
	uint8_t *data;
	unsigned notes;
	unsigned long order;     /* tie-break: first sent, first delivered */
};

struct fault {
	enum tt_fault_kind kind;
	unsigned flags;          /* 0: any segment */
	int toward;              /* -1: either direction */
	tt_time amount;
	unsigned skip;           /* matching segments still to let pass (#N) */
};

/* One stream: a pair of ports and one incarnation of the connection on it,
 * with what each side has put on the wire there (for the notes). */
struct stream {
	uint16_t port[2];        /* the client's, the server's */
	int sock[2];             /* each host's socket in it, or -1 */
	uint32_t sent_max[2];
	int sent_any[2];
	uint32_t last_ack[2], last_wnd[2];
	int last_ack_valid[2];   /* the host's last segment was a pure ACK */
	unsigned last_flags[2];
	int probe_out[2];        /* a keep-alive probe from host i is in flight */
	unsigned spoof;          /* a flood's stream: its source is spoofed address N
	                            (from 1), no host; 0: the client's */
};

struct tt_sim {
	struct tt_sim_config cfg;
	struct sim_host host[2];
	int down[2];             /* powered off: segments to it vanish */
	tt_time now;
	unsigned action;

	struct flight *fl;
	size_t nfl, capfl;
	unsigned long order;

	struct fault faults[16];
	size_t nfaults;

	struct tt_step *steps;
	size_t nsteps, capsteps;
	uint64_t rows;
	/* the payload that crossed the wire in each segment step, beside the
	 * steps (one per step): an offset into one byte arena, NO_PAYLOAD
	 * for none (seg.len is its length) */
	size_t *payload, cappayload;
	uint8_t *bytes;
	size_t nbytes, capbytes;

	struct stream *streams;
	size_t nstreams, capstreams;
	unsigned last_stream;    /* of the latest step: where listener events go */

	unsigned long work;      /* arrivals and timers in the current action */
	unsigned long cut;       /* segments and events of the current action that
	                            did not fit in a struct tt_out */
	tt_time link_free[2];    /* each bottleneck is busy sending until then */
	uint64_t rng;            /* the random loss's state (xorshift64) */
	unsigned nspoof;         /* spoofed sources a flood used so far */
};

/* The simulator's limits, counted per action: an action that gets there has
 * hosts that do not settle (segments or timers without end), and tt_sim_do
 * says so instead of running for ever. */
#define SIM_MAX_DELIVERIES 100000   /* segments one run (deliver all) delivers */
#define SIM_MAX_WORK 200000         /* arrivals and timers in one action */

#define NO_PAYLOAD ((size_t)-1)

/* ---- record.c: the trace ---- */

/* A new stream on these ports (the client's, the server's), or -1. */
int sim_new_stream(struct tt_sim *s, uint16_t cport, uint16_t sport);
/* Socket i of host h belongs to stream k from now on. */
void sim_join(struct tt_sim *s, int h, int i, int k);
/* The index of TCB c among host h's sockets, -1 for the unused ports' one. */
int sim_sock_of(const struct tt_sim *s, int h, const struct tt_conn *c);
/* A new step of the current action in `stream` (-1: the latest step's),
 * or NULL when memory runs out. */
struct tt_step *sim_new_step(struct tt_sim *s, enum tt_step_kind kind, int dir, int stream);
/* Both TCBs of st's stream into the step, as they are now. */
void sim_finish_step(struct tt_sim *s, struct tt_step *st);
/* What host's TCB (socket sock) did, into st's events. Past
 * TT_STEP_EVENTS the step keeps the count in ev_lost and is noted
 * "events-cut": nothing is lost without a word. */
void sim_add_events(struct tt_step *st, int host, int sock, const struct tt_out *out);
/* A segment step of flight f: its segment, times, preview, payload. */
void sim_segment_step_fill(struct tt_sim *s, struct tt_step *st, const struct flight *f);
/* Notes a sender-side observer would make (Wireshark's analysis terms),
 * from what this side sent before in the same stream. */
unsigned sim_sender_notes(struct stream *k, int from, const struct tt_seg *seg, int probe);

/* ---- wire.c: segments in flight ---- */

int sim_fault_matches(const struct fault *f, int from, const struct tt_seg *seg);
/* Puts what host's TCB emitted on the wire (stream k), after recording
 * what it did in st (NULL: nothing to record). */
void sim_collect(struct tt_sim *s, int host, const struct tt_conn *c, unsigned k,
                 const struct tt_out *out, struct tt_step *st);
/* One segment onto the wire from `from` in `stream`, through the faults
 * armed and the bottleneck. */
void sim_put_on_wire(struct tt_sim *s, int from, unsigned stream, const struct tt_seg *seg,
                     int probe, int injected);
/* A second copy of f, one delay behind it; 0, or -1 out of memory. */
int sim_push_duplicate(struct tt_sim *s, const struct flight *f);
/* A segment lost on the wire: a step noted "dropped", its data freed. */
void sim_lose(struct tt_sim *s, struct flight *f, tt_time arrival);
/* The in-flight segment that arrives first (toward `to`, or any if -1). */
long sim_next_flight(const struct tt_sim *s, int to);
/* Takes flight i off the wire into *f. */
void sim_remove_flight(struct tt_sim *s, size_t i, struct flight *f);

/* ---- deliver.c: arrivals and time ---- */

/* An event of a host rather than of one TCB's call (a queue, a cookie). */
void sim_out_event(struct tt_out *out, enum tt_reason r, enum tt_state from, enum tt_state to);
/* Lets time flow to `until`: arrivals and timers happen in time order (an
 * arrival first when both fall at the same instant). -2 with a message when
 * the action's limit was hit before `until`. */
int sim_advance_to(struct tt_sim *s, tt_time until, char *err, size_t errlen);
/* deliver N: the next N segments (toward `to`, or any), timers due before
 * each arrival first. */
int sim_deliver_some(struct tt_sim *s, unsigned n, int to, char *err, size_t errlen);
/* run: deliver until the wire (toward `to`) is empty. */
int sim_deliver_all(struct tt_sim *s, int to, char *err, size_t errlen);

#endif
