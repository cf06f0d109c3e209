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
	_(CE, "ce") _(SPOOFED, "spoofed") _(NO_HOST, "no-host")

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
	unsigned nev;            /* what the hosts did in this step */
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

#endif
