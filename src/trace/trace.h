/* trace/trace.h: what every view of a connection is made of.
 *
 * A trace is a list of steps: a segment that crossed (or was lost on) the
 * wire, or an event at one host with no segment (a user call, a timer, a
 * crash), each with both TCBs of its stream as they were after it. The
 * simulator makes traces, replay makes them from captures, and the report,
 * the lessons and the screens read them (doc/design.md, "Parts").
 */
#ifndef TT_TRACE_H
#define TT_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/tcp.h"

enum { TT_CLIENT = 0, TT_SERVER = 1 };

/* Annotations on a step; names as in the batch table's notes column. */
#define TT_NOTES(_)                                                          \
	_(RETRANSMISSION, "retransmission") _(OUT_OF_ORDER, "out-of-order")  \
	_(LOST_SEGMENT, "lost-segment") _(DUP_ACK, "dup-ack")                \
	_(KEEP_ALIVE, "keep-alive") _(KEEP_ALIVE_ACK, "keep-alive-ack")      \
	_(ZERO_WINDOW, "zero-window") _(WINDOW_UPDATE, "window-update")      \
	_(MID_STREAM, "mid-stream") _(TRUNCATED, "truncated")                \
	_(DROPPED, "dropped") _(DUPLICATE, "duplicate") _(DELAYED, "delayed")  \
	_(KERNEL_DIFFERS, "kernel-differs") _(QUEUE_FULL, "queue-full")      \
	_(CE, "ce") _(SPOOFED, "spoofed") _(NO_HOST, "no-host")              \
	_(EVENTS_CUT, "events-cut")

enum {
#define TT_NOTE_BIT(id, name) TT_NOTE_BIT_##id,
	TT_NOTES(TT_NOTE_BIT)
#undef TT_NOTE_BIT
	TT_NNOTES
};
#define TT_NOTE(id) (1u << TT_NOTE_BIT_##id)

/* Writes the comma-joined note names (empty string for none); returns buf. */
char *tt_notes_format(unsigned notes, char *buf, size_t len);

enum tt_step_kind { TT_STEP_SEGMENT, TT_STEP_EVENT };

#define TT_STEP_EVENTS 8
#define TT_PREVIEW 24

struct tt_step {
	enum tt_step_kind kind;
	unsigned action;         /* index of the action that produced it */
	uint64_t frame;          /* segment rows: 1-based row number (replay: frame in the file) */
	tt_time time;            /* segment: when it was sent; event: when it happened */
	tt_time arrival;         /* segment: when it arrived (or was lost) */
	int dir;                 /* segment: sender (TT_CLIENT: C>S); event: the host */
	struct tt_seg seg;       /* seg.data is NULL; see preview */
	uint8_t preview[TT_PREVIEW]; /* first payload bytes (all: tt_sim_payload()) */
	unsigned notes;          /* TT_NOTE() bits */
	unsigned nev;            /* what the hosts did in this step (at most
	                            TT_STEP_EVENTS; ev_lost says how many more) */
	unsigned ev_lost;        /* events the step could not keep: then it is
	                            noted events-cut; 0 */
	struct tt_step_event {
		int host;
		int sock;        /* the host's socket (0, 1, ... as made), -1: a port
		                    nothing uses */
		struct tt_event ev;
	} ev[TT_STEP_EVENTS];
	struct tt_tcb_view tcb[2]; /* both endpoints of its stream after the step */
	unsigned stream;         /* the connection (simulation: a pair of ports and an
	                            incarnation; replay: Wireshark's tcp.stream) */
	uint16_t port[2];        /* simulation: the client's and the server's port */
	int sock[2];             /* simulation: whose TCB tcb[h] is (as ev[].sock) */
	uint64_t crossed_after;  /* replay: the segment arrived only after this frame,
	                            which its receiver sent first (they crossed); 0 */
	int inferred;            /* replay: a segment the capture missed is inferred here */
	int lost;                /* replay: this segment never arrived (it was sent again
	                            after its receiver showed it lacked it) */
	int32_t flight;          /* replay: the sender's bytes in flight after it, as
	                            Wireshark's tcp.analysis.bytes_in_flight; -1 none */
};

/* A whole trace as plain data, for whoever shows it without making it (the
 * batch report): its steps, and what the steps do not say themselves. */
struct tt_trace {
	const struct tt_step *steps;
	size_t nsteps;
	size_t nstreams;         /* streams 0 .. nstreams - 1 */
	const char *name[2];     /* each host's name: "client", "server" */
	uint32_t iss[2];         /* each host's configured ISS: tt_trace_bases()'s fallback */
	const void *src;         /* what the accessors below read */
	/* Host h's "addr:port" in a stream; returns buf. */
	char *(*endpoint)(const void *src, unsigned stream, int host, char *buf, size_t len);
	/* The whole payload of segment step i (seg.len bytes), or NULL. */
	const uint8_t *(*payload)(const void *src, size_t i);
};

/* ---- relative numbering: the one rule every view uses ----
 * Relative numbers count from a base per host and stream, as Wireshark
 * shows them. For a trace known whole (the simulator's, a lesson's), a
 * host's base in a stream is the sequence number of the first SYN it sent
 * there, else of its first segment there (a RST from a host with no TCB,
 * say), else the caller's fallback (the configured ISS, the observer's
 * ISS). base[k][h] for every stream k < nstreams; steps of streams past
 * nstreams are not looked at. Returns 0, or -1 when memory runs out (then
 * every base is the fallback). */
int tt_trace_bases(const struct tt_step *steps, size_t n, size_t nstreams,
                   const uint32_t fallback[2], uint32_t (*base)[2]);
/* Whether a segment step never reached its receiver: dropped on the
 * simulated wire, or, in a capture, shown lost by what came after it. */
static inline int
tt_step_lost(const struct tt_step *s)
{
	return (s->notes & TT_NOTE(DROPPED)) != 0 || s->lost;
}

/* The same rule learnt segment by segment from a capture, which may start
 * mid-stream (Wireshark's tcp_analyze_sequence_number): the sender's base
 * is its SYN's seq, else seq - 1 (the first byte seen counts 1); the
 * receiver's, before it sent anything, ack - 1 of the first ACK. Bit d of
 * `set` says base[d] is known; returns the new bits. Inline: a capture's
 * every segment asks, and after the first two the answer is "known". */
static inline unsigned
tt_trace_learn(uint32_t base[2], unsigned set, int dir, uint32_t seq, uint32_t ack,
               unsigned flags)
{
	unsigned fwd = 1u << dir, rev = 2u >> dir;

	if (!(set & fwd)) {
		base[dir] = (flags & TT_SYN) ? seq : seq - 1;
		set |= fwd;
	}
	if (!(set & rev) && (flags & TT_ACK)) {
		base[!dir] = ack - 1;
		set |= rev;
	}
	return set;
}
/* A segment step's seq and ack relative to its stream's bases (base[h]:
 * host h's). RFC 9293 §3.10.7.1: a RST with SEQ=0 from a host with no
 * connection answers a segment without ACK; it is in nobody's sequence
 * space and stays 0. */
void tt_trace_rel(const struct tt_step *st, const uint32_t base[2], uint32_t *seq,
                  uint32_t *ack);

#endif
