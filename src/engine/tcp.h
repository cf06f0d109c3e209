/* engine/tcp.h: one TCP connection as RFC 9293 §3.10 describes it.
 *
 * Pure and deterministic: no I/O, no globals, no clock. Time comes in as an
 * argument (microseconds of a virtual clock), segments come in as values, and
 * everything that happens comes out in a struct tt_out: the segments to put on
 * the wire and the events (state changes, drops, errors) with the rule that
 * caused them. Any number of connections can live side by side.
 */
#ifndef TT_ENGINE_TCP_H
#define TT_ENGINE_TCP_H

#include <stddef.h>
#include <stdint.h>

/* Time on the virtual clock, in microseconds. */
typedef int64_t tt_time;
#define TT_NEVER INT64_MAX
#define TT_MS(x) ((tt_time)(x) * 1000)
#define TT_SEC(x) ((tt_time)(x) * 1000000)

/* RFC 9293 §3.3.2 connection states. One list makes the enum and the names. */
#define TT_STATES(_)                                                     \
	_(CLOSED, "CLOSED") _(LISTEN, "LISTEN") _(SYN_SENT, "SYN-SENT")  \
	_(SYN_RECEIVED, "SYN-RECEIVED") _(ESTABLISHED, "ESTABLISHED")    \
	_(FIN_WAIT_1, "FIN-WAIT-1") _(FIN_WAIT_2, "FIN-WAIT-2")          \
	_(CLOSE_WAIT, "CLOSE-WAIT") _(CLOSING, "CLOSING")                \
	_(LAST_ACK, "LAST-ACK") _(TIME_WAIT, "TIME-WAIT")

enum tt_state {
#define TT_STATE_ENUM(id, name) TT_##id,
	TT_STATES(TT_STATE_ENUM)
#undef TT_STATE_ENUM
	TT_NSTATES
};

const char *tt_state_name(enum tt_state s);
/* Returns the state named exactly as RFC 9293 writes it, or -1. */
int tt_state_from_name(const char *name);

/* Flag bits as they sit in the TCP header's 13th/14th bytes. */
enum {
	TT_FIN = 0x01,
	TT_SYN = 0x02,
	TT_RST = 0x04,
	TT_PSH = 0x08,
	TT_ACK = 0x10,
	TT_URG = 0x20,
	TT_ECE = 0x40,
	TT_CWR = 0x80,
	TT_AE = 0x100
};

/* Writes the names of the set bits (bit i named names[i]) comma-joined into
 * buf; returns the length written (0: no bit set, buf is ""). */
size_t tt_bits_format(unsigned bits, const char *const *names, unsigned nnames, char *buf,
                      size_t len);
/* Writes "FIN,PSH,ACK" (Wireshark's order) or "none"; returns buf. */
char *tt_flags_format(unsigned flags, char *buf, size_t len);
/* Writes the classic texts' form: "SYN=1,ACK=0" for the SYN/ACK/FIN/RST bits set
 * or relevant; returns buf. */
char *tt_flags_format_bits(unsigned flags, char *buf, size_t len);
/* Parses "SYN,ACK" / "syn|ack" / "none"; returns -1 on an unknown name. */
int tt_flags_parse(const char *s);
/* The same, with the first flag the list names again, as written, in
 * twice ("" when none). */
int tt_flags_parse_twice(const char *s, char *twice, size_t len);

/* Wraparound-safe sequence space comparisons (RFC 9293 §3.4). */
#define TT_SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define TT_SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define TT_SEQ_GT(a, b) TT_SEQ_LT(b, a)
#define TT_SEQ_GEQ(a, b) TT_SEQ_LEQ(b, a)

/* A segment as the state machine sees it: header fields and payload. */
struct tt_seg {
	uint32_t seq;
	uint32_t ack;
	uint32_t wnd;           /* window field as sent (unscaled) */
	uint16_t flags;
	uint16_t mss;           /* MSS option, 0 when absent */
	uint16_t up;            /* urgent pointer */
	uint8_t wsopt;          /* window scale option (RFC 7323 §2.2): the shift + 1,
	                           0 when absent */
	uint8_t ecn;            /* the IP header's ECN field (RFC 3168 §5): TT_NOT_ECT,
	                           TT_ECT0, TT_ECT1 or TT_CE */
	uint32_t len;           /* payload bytes */
	const uint8_t *data;    /* payload, may be NULL when only len matters */
};

/* RFC 3168 §5: the two ECN bits of the IP header. */
enum { TT_NOT_ECT = 0, TT_ECT1 = 1, TT_ECT0 = 2, TT_CE = 3 };

/* Segment length as RFC 9293 counts it: payload plus one each for SYN, FIN. */
uint32_t tt_seg_seqlen(const struct tt_seg *seg);

/* Why something happened. Each reason names the RFC 9293 section whose rule
 * applied and carries a one-line English explanation (translated by the
 * caller through gettext; the strings are marked for xgettext with N_). */
#define TT_REASONS(_)                                                                 \
	_(NONE, "", "")                                                               \
	_(OPEN_PASSIVE, "3.10.1", "OPEN (passive): the application listens; the connection waits for a SYN")     \
	_(OPEN_ACTIVE, "3.10.1", "OPEN (active): the application connects; a SYN carrying the ISS is sent")     \
	_(OPEN_LISTEN_ACTIVE, "3.10.1", "OPEN (active) on a listening connection: it becomes active and sends a SYN") \
	_(OPEN_EXISTS, "3.10.1", "error: connection already exists")                    \
	_(SEND_QUEUED, "3.10.2", "SEND: the data is queued until the connection is established") \
	_(SEND_DATA, "3.10.2", "SEND: the data is segmented and sent")                 \
	_(SEND_CLOSING, "3.10.2", "error: connection closing (this side already sent its FIN)") \
	_(SEND_NO_CONN, "3.10.2", "error: connection does not exist")                  \
	_(SEND_LISTEN, "3.10.2", "error: foreign socket unspecified (a listening connection cannot send)") \
	_(SEND_RESOURCES, "3.10.2", "error: insufficient resources (no room to keep the data to send)") \
	_(RECEIVE_DATA, "3.10.3", "RECEIVE: the application reads the bytes that arrived in order") \
	_(RECEIVE_WAIT, "3.10.3", "RECEIVE: nothing has arrived to read yet: the call waits for data") \
	_(RECEIVE_NO_CONN, "3.10.3", "error: connection does not exist")               \
	_(CLOSE_LISTEN, "3.10.4", "CLOSE in LISTEN: the listening connection is deleted")           \
	_(CLOSE_SYN_SENT, "3.10.4", "CLOSE in SYN-SENT: the connection is deleted before it was established") \
	_(CLOSE_SEND_FIN, "3.10.4", "CLOSE: a FIN is sent after any queued data; this side will send no more data") \
	_(CLOSE_QUEUED, "3.10.4", "CLOSE: queued until the data already queued has been sent") \
	_(CLOSE_CLOSING, "3.10.4", "error: connection closing")                        \
	_(CLOSE_NO_CONN, "3.10.4", "error: connection does not exist")                 \
	_(ABORT_NO_CONN, "3.10.5", "error: connection does not exist")                 \
	_(ABORT, "3.10.5", "ABORT: a RST is sent and the connection is deleted at once") \
	_(ABORT_QUIET, "3.10.5", "ABORT: the connection is deleted; nothing is sent in this state") \
	_(CLOSED_RST, "3.10.7.1", "segment to a CLOSED port: answered with a RST")      \
	_(CLOSED_DROP_RST, "3.10.7.1", "a RST arriving at a CLOSED port is discarded")  \
	_(LISTEN_DROP_RST, "3.10.7.2", "LISTEN ignores a RST")                           \
	_(LISTEN_RST_ACK, "3.10.7.2", "an ACK arriving in LISTEN is bad: answered with a RST") \
	_(LISTEN_SYN, "3.10.7.2", "SYN in LISTEN: IRS recorded, SYN,ACK sent, enter SYN-RECEIVED") \
	_(LISTEN_SYN_TWO_WAY, "what-if", "two-way handshake rule: SYN in LISTEN, SYN,ACK sent and the connection counted as ESTABLISHED at once") \
	_(LISTEN_DROP, "3.10.7.2", "segment without SYN in LISTEN: discarded")           \
	_(SYNSENT_BAD_ACK, "3.10.7.3", "SYN-SENT got an ACK for something never sent: answered with a RST") \
	_(SYNSENT_BAD_ACK_DROP, "3.10.7.3", "SYN-SENT got a RST with an unacceptable ACK: discarded") \
	_(SYNSENT_RST, "3.10.7.3", "RST acknowledging our SYN: connection refused, enter CLOSED") \
	_(SYNSENT_DROP_RST, "3.10.7.3", "RST without ACK in SYN-SENT: discarded")        \
	_(SYNSENT_SYN_ACK, "3.10.7.3", "SYN,ACK acknowledging our SYN: ACK sent, enter ESTABLISHED") \
	_(SYNSENT_SYN, "3.10.7.3", "SYN without ACK in SYN-SENT (simultaneous open): SYN,ACK sent, enter SYN-RECEIVED") \
	_(SYNSENT_DROP, "3.10.7.3", "neither SYN nor RST in SYN-SENT: discarded")      \
	_(UNACCEPTABLE, "3.10.7.4", "segment not acceptable (outside the receive window): an ACK is sent and the segment dropped") \
	_(UNACCEPTABLE_RST, "3.10.7.4", "unacceptable RST: discarded")                   \
	_(RST_CHALLENGE, "3.10.7.4", "RST in the window but not at RCV.NXT: a challenge ACK is sent (RFC 5961)") \
	_(RST_SYNRCVD_PASSIVE, "3.10.7.4", "RST in SYN-RECEIVED of a passive open: back to LISTEN") \
	_(RST_SYNRCVD_ACTIVE, "3.10.7.4", "RST in SYN-RECEIVED of an active open: connection refused, enter CLOSED") \
	_(RST_RESET, "3.10.7.4", "RST: connection reset, enter CLOSED")                  \
	_(RST_CLOSE, "3.10.7.4", "RST while closing: enter CLOSED")                      \
	_(SYN_SYNRCVD_PASSIVE, "3.10.7.4", "SYN in SYN-RECEIVED of a passive open: back to LISTEN") \
	_(SYN_CHALLENGE, "3.10.7.4", "SYN in a synchronized state: a challenge ACK is sent (RFC 5961)") \
	_(NO_ACK_DROP, "3.10.7.4", "ACK bit off: the segment is discarded")              \
	_(SYNRCVD_ACK, "3.10.7.4", "ACK of our SYN in SYN-RECEIVED: enter ESTABLISHED")   \
	_(SYNRCVD_BAD_ACK, "3.10.7.4", "unacceptable ACK in SYN-RECEIVED: answered with a RST") \
	_(ACK_NEW, "3.10.7.4", "ACK of new data: SND.UNA advances, acknowledged bytes leave the retransmission queue") \
	_(ACK_DUP, "3.10.7.4", "duplicate ACK (SEG.ACK < SND.UNA or nothing new): ignored") \
	_(ACK_TOO_FAR, "3.10.7.4", "ACK of something not yet sent: an ACK is sent and the segment dropped") \
	_(ACK_WINDOW, "3.10.7.4", "send window updated (SND.WND, SND.WL1, SND.WL2)")     \
	_(FW1_FIN_ACKED, "3.10.7.4", "our FIN is acknowledged in FIN-WAIT-1: enter FIN-WAIT-2") \
	_(CLOSING_FIN_ACKED, "3.10.7.4", "our FIN is acknowledged in CLOSING: enter TIME-WAIT") \
	_(LASTACK_FIN_ACKED, "3.10.7.4", "our FIN is acknowledged in LAST-ACK: the connection is deleted, enter CLOSED") \
	_(TW_FIN_AGAIN, "3.10.7.4", "a retransmitted FIN in TIME-WAIT: acknowledged again and the 2MSL timer restarted") \
	_(DATA_ACCEPT, "3.10.7.4", "data accepted in order: RCV.NXT advances and an ACK is due") \
	_(DATA_OUT_OF_ORDER, "3.10.7.4", "data beyond RCV.NXT: kept for later, a duplicate ACK is sent") \
	_(DATA_IGNORED, "3.10.7.4", "data after the peer's FIN: ignored")                \
	_(FIN_EST, "3.10.7.4", "FIN in ESTABLISHED: acknowledged, enter CLOSE-WAIT (the application is told; this side may still send)") \
	_(FIN_FW1, "3.10.7.4", "FIN in FIN-WAIT-1 before our FIN was acknowledged (simultaneous close): acknowledged, enter CLOSING") \
	_(FIN_FW1_ACKED, "3.10.7.4", "FIN that also acknowledges our FIN in FIN-WAIT-1: acknowledged, enter TIME-WAIT") \
	_(FIN_FW2, "3.10.7.4", "FIN in FIN-WAIT-2: acknowledged, enter TIME-WAIT and start the 2MSL timer") \
	_(FIN_AGAIN, "3.10.7.4", "a FIN seen again: acknowledged, no state change")      \
	_(RTX_TIMEOUT, "3.8.1", "retransmission timeout: the oldest unacknowledged segment is sent again and the timeout doubled") \
	_(RTX_GIVE_UP, "3.8.3", "too many retransmissions: the connection is aborted, enter CLOSED") \
	_(USER_TIMEOUT, "3.10.8", "user timeout: nothing acknowledged for too long, the connection is aborted") \
	_(TIME_WAIT_EXPIRED, "3.10.8", "the 2MSL timer expired: TIME-WAIT ends, the connection is deleted") \
	_(KEEPALIVE_PROBE, "3.8.4", "keep-alive: the connection was idle, a probe (seq = SND.UNA - 1) asks the peer to answer") \
	_(KEEPALIVE_GIVE_UP, "3.8.4", "keep-alive: no answer to the probes, the peer is presumed dead; connection aborted") \
	_(DELAYED_ACK, "3.8.6.3", "delayed ACK timer: the pending acknowledgment is sent") \
	_(ZERO_WINDOW_PROBE, "3.8.6.1", "the peer's window is zero: a one-byte window probe is sent") \
	_(HOST_CRASH, "sim", "the host crashed: its TCB is lost without a segment being sent") \
	_(SHUTDOWN_SEND_FIN, "3.10.4", "shutdown (CLOSE): a FIN is sent after any queued data; this side still receives") \
	_(CLOSE_UNREAD_RST, "RFC 2525 \u00a72.17", "close() with data the application never read: a RST is sent instead of a FIN and the connection is deleted") \
	_(DATA_AFTER_CLOSE, "RFC 2525 \u00a72.17", "new data after the application closed the socket: nobody can read it, a RST is sent and the connection is deleted") \
	_(FIN_WAIT_2_TIMEOUT, "Linux tcp_fin_timeout", "FIN-WAIT-2 timeout (tcp_fin_timeout): the socket was closed and the peer never sent its FIN; the connection is deleted") \
	_(DATA_BEYOND_WINDOW, "3.10.7.4", "the receive window is zero: the data is not accepted (its ACK still is), an ACK repeats the window") \
	_(OOW_RATE_LIMITED, "RFC 5961 \u00a77", "the reply to this segment is rate-limited: one ACK already answered such a segment moments ago") \
	_(ACK_TOO_OLD, "RFC 5961 \u00a75.2", "ACK older than SND.UNA minus the largest window the peer ever offered: a challenge ACK is sent and the segment dropped") \
	_(TW_REOPEN, "RFC 1122 \u00a74.2.2.13", "a new SYN with a higher sequence number in TIME-WAIT: the old incarnation ends and the new connection is accepted (SYN,ACK sent)") \
	_(URG_RECEIVED, "3.8.5", "URG: the urgent pointer moved (RCV.UP); the application is told that urgent data lies ahead") \
	_(SEND_URGENT, "3.8.5", "SEND with URGENT: the urgent pointer (SND.UP) marks the end of this data; segments carry URG until it is acknowledged") \
	_(ZERO_WINDOW_GIVE_UP, "3.8.6.1", "window probes unanswered too many times: the peer is presumed dead; connection aborted") \
	_(DELAYED_ACK_SECOND, "3.8.6.3", "a second full-sized segment arrived: it is acknowledged at once (an ACK at least every second full-sized segment)") \
	_(NAGLE_WAIT, "RFC 1122 \u00a74.2.3.4", "Nagle: data smaller than a full segment waits while earlier data is unacknowledged (TCP_NODELAY turns this off)") \
	_(FAST_RETRANSMIT, "RFC 5681 \u00a73.2", "third duplicate ACK: the missing segment is sent again at once, ssthresh drops (Reno: to half the data in flight) and fast recovery begins") \
	_(RECOVERY_PARTIAL, "RFC 6582 \u00a73.2", "partial ACK in fast recovery: the next missing segment is sent again (NewReno)") \
	_(RECOVERY_END, "RFC 6582 \u00a73.2", "the ACK covers all that was in flight when recovery began: fast recovery ends, cwnd = ssthresh") \
	_(SWS_WAIT, "3.8.6.2.1", "sender silly window avoidance: the window leaves room only for a segment shorter than the MSS, so the data waits for the ACKs in flight to open it further") \
	_(WSCALE_ON, "RFC 7323 \u00a72.2", "window scaling is on (both SYNs offered it): each later window field is the window shifted right by its sender's offered shift") \
	_(ECN_ON, "RFC 3168 \u00a76.1.1", "ECN is on: the SYN asked for it (ECE and CWR set) and the SYN,ACK agreed (ECE alone); data segments will be sent ECN-capable (ECT)") \
	_(ECN_CE, "RFC 3168 \u00a76.1.3", "this segment arrived marked CE (a router's queue is filling): every ACK now carries ECE until a segment with CWR says the sender has slowed down") \
	_(ECN_REDUCE, "RFC 3168 \u00a76.1.2", "ECE: the network marked congestion, so the sender reacts as to a loss without one: ssthresh drops (Reno: max(FlightSize / 2, 2 SMSS)), cwnd = ssthresh, CWR on the next new data; at most once per window") \
	_(ECN_CWR, "RFC 3168 \u00a76.1.3", "CWR: the sender has reduced its window, so the receiver stops setting ECE") \
	_(CUBIC_REDUCE, "RFC 9438 \u00a74.6", "CUBIC: ssthresh is 0.7 of the data in flight (beta_cubic), not half, and W_max remembers the window at the loss; the window then grows as a cubic function of the time since") \
	_(SEND_MORE, "3.10.2", "more of the queued data goes out at the same moment: the window allows more segments than one batch of the engine's output holds (16)") \
	_(WSCALE_OFF, "RFC 7323 \u00a72.2", "the peer's SYN offered no window scaling: neither side scales, so no window can exceed 65,535 bytes") \
	_(SYNQ_FULL_DROP, "Linux tcp_conn_request", "SYN queue full (more half-open connections than the backlog) and no SYN cookies: the SYN is dropped without an answer; the client will send it again") \
	_(SYNQ_RESERVED_DROP, "Linux tcp_max_syn_backlog", "without SYN cookies the last quarter of tcp_max_syn_backlog is kept for peers already proven alive: this SYN from an unknown peer is dropped") \
	_(ACCEPTQ_FULL_SYN_DROP, "Linux tcp_conn_request", "accept queue full (the application has not accepted enough connections): a new SYN is dropped without an answer") \
	_(ACCEPTQ_FULL_ACK_IGNORED, "Linux tcp_abort_on_overflow", "accept queue full: the final ACK of the handshake is ignored (tcp_abort_on_overflow=0); the connection stays in SYN-RECEIVED and sends its SYN,ACK again on its timer, while the client thinks it is established") \
	_(ACCEPTQ_FULL_RST, "Linux tcp_abort_on_overflow", "accept queue full and tcp_abort_on_overflow=1: the final ACK of the handshake is answered with a RST and the half-open connection is deleted") \
	_(ACCEPTQ_FULL_COOKIE_DROP, "Linux cookie_v4_check", "a valid SYN cookie came back, but the accept queue is full: the ACK is dropped") \
	_(ACCEPT, "Linux inet_csk_accept", "accept(): the application takes the oldest established connection off the accept queue") \
	_(ACCEPT_EMPTY, "Linux inet_csk_accept", "accept(): the accept queue is empty; a blocking accept() would wait for a connection") \
	_(ACCEPT_INVALID, "Linux inet_csk_accept", "accept(): error: the socket is not listening (EINVAL)") \
	_(COOKIE_SENT, "RFC 4987 \u00a73.6", "SYN cookie: the listener keeps no state and stays in LISTEN; the SYN,ACK's sequence number is the cookie (a keyed hash of addresses and ports, a minute counter, an index of the MSS)") \
	_(COOKIE_ACK, "RFC 4987 \u00a73.6", "SYN cookie returned: ACK - 1 is a valid cookie, so the connection is rebuilt directly in ESTABLISHED with the MSS the cookie encoded; window scale and SACK of the SYN are lost (Linux keeps them only in a timestamp, which this engine does not send)") \
	_(COOKIE_BAD, "RFC 4987 \u00a73.6", "ACK to the listener whose ACK - 1 is no valid cookie (forged, or more than two minutes old): it is an ACK in LISTEN") \
	_(NO_HOST, "sim", "no host has this address (a flood's spoofed source): the segment is lost where it arrives, and nothing answers it, not even a RST")

enum tt_reason {
#define TT_REASON_ENUM(id, sec, text) TT_R_##id,
	TT_REASONS(TT_REASON_ENUM)
#undef TT_REASON_ENUM
	TT_NREASONS
};

const char *tt_reason_id(enum tt_reason r);      /* "LISTEN_SYN" */
/* "3.10.7.2" (a section of RFC 9293), "sim", "what-if", or a whole citation
 * of another document ("RFC 5961 §7", "Linux tcp_fin_timeout"). */
const char *tt_reason_rfc(enum tt_reason r);
const char *tt_reason_text(enum tt_reason r);    /* English; translate with _() */
/* Where the rule comes from, as a line citing it says it: "RFC 9293
 * §3.10.7.2", "RFC 5961 §7", "simulation", "what-if rule" (English:
 * translate with _() when not empty), or "" when none is recorded. Written
 * into buf, which is returned. */
const char *tt_reason_source(enum tt_reason r, char *buf, size_t len);

/* What the application is told (RFC 9293 §3.10 error messages). */
enum tt_error {
	TT_E_NONE = 0,
	TT_E_EXISTS,            /* connection already exists */
	TT_E_NO_CONN,           /* connection does not exist */
	TT_E_CLOSING,           /* connection closing */
	TT_E_REFUSED,           /* connection refused */
	TT_E_RESET,             /* connection reset */
	TT_E_TIMEOUT,           /* connection aborted due to user or retransmission timeout */
	TT_E_FOREIGN,           /* foreign socket unspecified */
	TT_E_RESOURCES          /* insufficient resources (the send buffer could not grow) */
};

struct tt_event {
	enum tt_reason reason;
	enum tt_state from, to;  /* equal when the state did not change */
	enum tt_error error;     /* what the user call or the application learns */
};

#define TT_OUT_SEGS 16
#define TT_OUT_EVENTS 8

/* What one call did. Segment payloads point into the connection's send
 * queue and stay valid until the next call on the same connection.
 * `truncated` counts the segments and events that did not fit: 0 means the
 * lists are whole. The windows' segments never count (what does not fit
 * goes from a timer due at once, SEND_MORE); a caller that shows every step
 * treats a nonzero count as a run it cannot explain. */
struct tt_out {
	unsigned nseg;
	struct tt_seg seg[TT_OUT_SEGS];
	unsigned nev;
	struct tt_event ev[TT_OUT_EVENTS];
	unsigned truncated;
};

/* Empties an output (here, not in names.c: it runs at every segment). */
static inline void
tt_out_clear(struct tt_out *out)
{
	out->nseg = 0;
	out->nev = 0;
	out->truncated = 0;
}

/* Appends an event, or counts it in `truncated` when the list is full: for
 * the engine and for a host that reports its own (a listen queue's). */
static inline void
tt_out_event(struct tt_out *out, enum tt_reason r, enum tt_state from, enum tt_state to,
             enum tt_error e)
{
	if (out->nev == TT_OUT_EVENTS) {
		out->truncated++;
		return;
	}
	out->ev[out->nev].reason = r;
	out->ev[out->nev].from = from;
	out->ev[out->nev].to = to;
	out->ev[out->nev].error = e;
	out->nev++;
}

struct tt_config {
	/* read for nearly every segment: first, in one cache line */
	int observer;           /* observer mode (below): no bytes kept, no timers */
	uint32_t rcv_wnd;       /* receive buffer and advertised window */
	tt_time delack;         /* 0: acknowledge at once; else delay a lone ACK this long */
	tt_time user_timeout;   /* 0: none; else abort when nothing is acked this long */
	uint16_t mss;           /* our MSS (option sent on SYN) */
	tt_time rto_initial;    /* RFC 6298 §2.1: 1 s */
	tt_time rto_min;        /* RFC 6298 §2.4: 1 s (Linux: 200 ms) */
	tt_time rto_max;        /* 60 s (Linux: 120 s) */
	unsigned syn_retries;   /* SYN retransmissions before giving up (MUST-23: >= 3 min) */
	unsigned synack_retries; /* SYN,ACK retransmissions (Linux tcp_synack_retries: 5) */
	unsigned data_retries;  /* retransmissions of data or FIN, and unanswered window
	                           probes, before giving up */
	tt_time msl;            /* RFC 9293 §3.4.2: 2 minutes; TIME-WAIT lasts 2 * msl */
	tt_time ka_idle;        /* keep-alive: idle time before the first probe */
	tt_time ka_interval;    /* between unanswered probes */
	unsigned ka_probes;     /* unanswered probes before the peer is declared dead */
	int two_way_handshake;  /* what-if: LISTEN goes to ESTABLISHED on SYN */
	int no_challenge_ack;   /* RFC 793 behaviour: RST in window resets at once */
	tt_time oow_ratelimit;  /* RFC 5961 §7: least time between two ACKs that answer
	                           out-of-window pure segments, challenges, ACKs of unsent
	                           data (Linux tcp_invalid_ratelimit: 500 ms); 0: none */
	tt_time fin_timeout;    /* after close(): how long FIN-WAIT-2 waits for the peer's
	                           FIN (Linux tcp_fin_timeout: 60 s); 0: for ever (RFC) */
	int tw_reuse;           /* RFC 1122 §4.2.2.13: a new SYN reopens TIME-WAIT (Linux) */
	int rst_ack;            /* ABORT's RST also carries ACK (Linux); RFC: bare RST */
	int congestion;         /* RFC 5681 congestion control with RFC 6582 fast recovery
	                           (on; off: only the peer's window limits) */
	unsigned initial_window; /* segments; 0: RFC 5681's 2-4 by MSS (Linux: 10, RFC 6928) */
	int wscale;             /* RFC 7323 §2: the shift offered on our SYN (0-14),
	                           -1 no option (the RFC preset: windows stay within
	                           64 KiB); scaling is on when both SYNs carry it */
	int cc;                 /* the congestion avoidance algorithm: TT_CC_RENO
	                           (RFC 5681) or TT_CC_CUBIC (RFC 9438; Linux's) */
	int ecn;                /* RFC 3168 ECN: 0 off, 1 asked for on our SYN and
	                           accepted, 2 accepted when the peer asks (Linux's
	                           tcp_ecn default) */
	int nagle;              /* RFC 896, RFC 1122 §4.2.3.4: no segment smaller than the
	                           MSS while data is unacknowledged (off: TCP_NODELAY;
	                           off by default, so that each send is a segment as the
	                           lessons draw them; on in the Linux preset) */
};

enum { TT_CC_RENO = 0, TT_CC_CUBIC = 1 };

/* RFC 9438 §4.2, in segments and seconds: K, the time CUBIC takes to grow
 * from cwnd_epoch back to W_max (eq. 2), and W_cubic(t) = C (t - K)^3 +
 * W_max (eq. 1), C = 0.4. Pure arithmetic, for the engine and its tests. */
double tt_cubic_k(double w_max, double cwnd_epoch);
double tt_cubic_w(double t, double k, double w_max);

/* Fills the RFC defaults: RTO 1 s..60 s, MSL 2 min, keep-alive 2 h / 75 s / 10. */
void tt_config_default(struct tt_config *cfg);
/* The Linux preset: keep-alive 7200 s / 75 s / 9 probes, TIME-WAIT 60 s, RTO
 * 200 ms..120 s, SYN retries 6 and SYN,ACK retries 5, FIN-WAIT-2 timeout 60 s,
 * TIME-WAIT reopened by a new SYN, RST,ACK on abort, Nagle on. */
void tt_config_linux(struct tt_config *cfg);

/* A read-only copy of a TCB's variables, for tables and tests. */
struct tt_tcb_view {
	enum tt_state state;
	int passive;            /* opened by LISTEN */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
	uint32_t rcv_nxt, rcv_wnd;
	int snd_shift, rcv_shift; /* RFC 7323 window scaling in use: the shifts applied
	                           to the windows received and sent; -1 both when the
	                           SYNs did not both carry the option */
	uint32_t snd_queued;    /* bytes handed to SEND not yet acknowledged */
	uint32_t rcv_queued;    /* bytes received in order, not yet read */
	uint64_t delivered;     /* bytes the application has received so far */
	int fin_sent, fin_rcvd, keepalive;
	int persist;            /* rtx_at is the persist timer (RFC 9293 §3.8.6.1):
	                           the peer's window is zero */
	int closed;             /* the application called close(): it reads no more */
	uint32_t snd_up, rcv_up; /* urgent pointers (RFC 9293 §3.8.5); valid when urg_* */
	int snd_urg, rcv_urg;   /* urgent data is being sent / lies ahead of the reader */
	unsigned retries;       /* retransmissions of the current segment */
	unsigned probes;        /* window probes sent since the peer last answered */
	tt_time rto;            /* current retransmission timeout */
	tt_time srtt, rttvar;   /* RFC 6298: valid once a round trip was measured */
	int rtt_valid;
	uint32_t cwnd, ssthresh; /* RFC 5681; cwnd 0 until data may flow */
	int in_recovery;        /* RFC 6582 fast recovery */
	int ecn_ok;             /* RFC 3168: both SYNs agreed on ECN */
	int ece_pending;        /* a CE mark arrived: our ACKs carry ECE until a CWR */
	tt_time rtx_at, tw_at, ka_at, delack_at, user_at, fw2_at; /* deadlines or TT_NEVER */
};

/* RFC 5681 §3.1: ssthresh starts "arbitrarily high"; this is that start,
 * and a view's ssthresh means something (a loss or a mark set it) only below
 * it. cwnd means something once it is not 0 (set at the first send). */
#define TT_SSTHRESH_INITIAL (UINT32_MAX / 2)
static inline int
tt_ssthresh_known(const struct tt_tcb_view *v)
{
	return v->cwnd != 0 && v->ssthresh < TT_SSTHRESH_INITIAL;
}

struct tt_conn;

/* iss is the ISS of the first connection; later ones follow the ISN clock
 * (RFC 9293 §3.4.1, RFC 6528: one tick every 4 microseconds from then). */
struct tt_conn *tt_conn_new(const struct tt_config *cfg, uint32_t iss);
/* RFC 5961 §7 limits replies to out-of-window segments per system: the
 * connections of one host may share one limit (each has its own until told
 * otherwise). The struct belongs to the caller and must outlive them. */
struct tt_oow_limit {
	int replied;
	tt_time at, gap;        /* the last reply, the gap before the next one */
};
void tt_conn_share_oow_limit(struct tt_conn *c, struct tt_oow_limit *l);

/* The ISN clock belongs to the host, not to one connection: a host with
 * several connections reads it from one and sets it on the others. *epoch
 * is the time at which the clock read the configured ISS; returns 0 while
 * the connection has not picked an ISS yet (the clock starts then). */
int tt_conn_isn_clock(const struct tt_conn *c, tt_time *epoch);
void tt_conn_set_isn_clock(struct tt_conn *c, tt_time epoch);
void tt_conn_free(struct tt_conn *c);
struct tt_conn *tt_conn_clone(const struct tt_conn *c);

enum tt_state tt_conn_state(const struct tt_conn *c);
void tt_conn_view(const struct tt_conn *c, struct tt_tcb_view *v);

/* User calls, RFC 9293 §3.10.1-3.10.6. Each returns the tt_error the caller
 * would see (TT_E_NONE on success) and records events and segments in out. */
enum tt_error tt_conn_open(struct tt_conn *c, int active, tt_time now, struct tt_out *out);
enum tt_error tt_conn_send(struct tt_conn *c, const uint8_t *data, size_t len, tt_time now,
                           struct tt_out *out);
/* SEND with the URGENT flag (RFC 9293 §3.8.5): SND.UP moves past this data. */
enum tt_error tt_conn_send_urgent(struct tt_conn *c, const uint8_t *data, size_t len,
                                  tt_time now, struct tt_out *out);
/* Copies up to cap bytes received in order into buf; *got says how many. */
enum tt_error tt_conn_receive(struct tt_conn *c, uint8_t *buf, size_t cap, size_t *got,
                              tt_time now, struct tt_out *out);
/* RFC 9293's CLOSE, the socket call shutdown(SHUT_WR): a FIN after the queued
 * data; this side still receives. */
enum tt_error tt_conn_shutdown(struct tt_conn *c, tt_time now, struct tt_out *out);
/* The socket call close(): CLOSE, and the application reads no more. Unread
 * data makes it a RST instead (RFC 2525 §2.17), and so does data arriving
 * later; with cfg.fin_timeout FIN-WAIT-2 ends after that long. */
enum tt_error tt_conn_close(struct tt_conn *c, tt_time now, struct tt_out *out);
enum tt_error tt_conn_abort(struct tt_conn *c, tt_time now, struct tt_out *out);
/* The host crashed: the TCB is lost and nothing is sent. The host's ISN
 * clock (RFC 9293 §3.4.1) keeps running, so the next connection after the
 * reboot starts at another ISS. */
void tt_conn_crash(struct tt_conn *c, tt_time now, struct tt_out *out);
/* Chooses the congestion avoidance algorithm (TT_CC_*) of this connection
 * alone, as setsockopt(TCP_CONGESTION) does; before data flows. */
void tt_conn_set_cc(struct tt_conn *c, int cc);
/* Turns keep-alive on or off (SO_KEEPALIVE); it is off unless asked for. */
void tt_conn_keepalive(struct tt_conn *c, int on, tt_time now);

/* SEGMENT ARRIVES, RFC 9293 §3.10.7. */
void tt_conn_input(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out);

/* Earliest pending timer deadline, or TT_NEVER. */
tt_time tt_conn_next_timer(const struct tt_conn *c);
/* Fires every timer due at or before now (RFC 9293 §3.10.8). */
void tt_conn_tick(struct tt_conn *c, tt_time now, struct tt_out *out);

/* ---- SYN cookies: RFC 4987 §3.6, encoded as Linux does ----
 * (net/ipv4/syncookies.c, engine/cookie.c). A cookie is the ISN of a
 * SYN,ACK that a listener sends without keeping any state: a keyed hash of
 * the 4-tuple plus the peer's ISN, with a counter of minutes in its top 8
 * bits and an index into a table of four MSS values in the hash's low
 * bits. The secret is the caller's (the engine draws nothing at random). */
#define TT_COOKIE_PERIOD TT_SEC(60)     /* Linux TCP_SYNCOOKIE_PERIOD */
#define TT_COOKIE_MAX_AGE 2             /* Linux MAX_SYNCOOKIE_AGE: counts */

struct tt_cookie_secret {
	uint64_t k[2][2];       /* Linux syncookie_secret[2]: two SipHash keys */
};

/* Who the cookie is for: the peer's (s) and our (d) address, as 16 bytes
 * (IPv4 in the first four, the rest zero), and ports. */
struct tt_cookie_id {
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
};

/* The minute counter at `now` (Linux tcp_cookie_time()). */
uint32_t tt_cookie_count(tt_time now);
/* The MSS a cookie can carry for a SYN's MSS option (0: none, 536): the
 * largest of 536, 1300, 1440, 1460 not above it. */
uint16_t tt_cookie_mss(uint16_t mss);
/* The cookie for a SYN with sequence number peer_isn and MSS option mss. */
uint32_t tt_cookie_make(const struct tt_cookie_secret *sec, const struct tt_cookie_id *id,
                        uint32_t peer_isn, uint16_t mss, tt_time now);
/* The MSS encoded in `cookie` (an ACK's ack - 1, its seq - 1 as peer_isn)
 * when it is valid and made in this minute or the one before; else 0. */
uint16_t tt_cookie_check(const struct tt_cookie_secret *sec, const struct tt_cookie_id *id,
                         uint32_t peer_isn, uint32_t cookie, tt_time now);
/* A listening TCB answers a SYN with a SYN,ACK carrying the cookie and
 * stays in LISTEN, keeping nothing (COOKIE_SENT). */
void tt_conn_cookie_synack(struct tt_conn *c, const struct tt_seg *syn, uint32_t cookie,
                           struct tt_out *out);
/* A copy of the listening TCB becomes the connection a valid cookie's ACK
 * stands for, directly ESTABLISHED with the peer's MSS `mss` (COOKIE_ACK);
 * data or FIN on the ACK is then taken as ESTABLISHED takes it. */
void tt_conn_cookie_open(struct tt_conn *c, const struct tt_seg *ack, uint16_t mss, tt_time now,
                         struct tt_out *out);
/* The TCB is deleted with a RST from it, for a rule of its host (the
 * listen queue's ACCEPTQ_FULL_RST). */
void tt_conn_refuse(struct tt_conn *c, enum tt_reason r, struct tt_out *out);

/* ---- observer mode: both endpoints of a captured connection ----
 * Capture replay infers both endpoints' states with this engine itself: one
 * connection per endpoint, made with cfg.observer set, driven by what the
 * wire shows (engine/observer.c, doc/design.md "The observer"). Such a
 * connection keeps no bytes and runs no timers: tt_conn_sent() says that it
 * sent a segment (a SYN is OPEN, a FIN CLOSE, a RST ABORT: §3.10.1-3.10.5),
 * and the peer's segments go through tt_conn_input() as for any connection,
 * their data counted as read at once; the receive window is the one the
 * endpoint was last seen advertising. */
void tt_conn_sent(struct tt_conn *c, const struct tt_seg *seg, tt_time now, struct tt_out *out);

/* The observer proper. A segment seen on the wire was sent at one moment and
 * received at another; the receiver's own later segments are the evidence of
 * when: one whose ACK covers it was sent after it arrived, one that does not
 * was sent before. So each captured segment is delivered to its receiver at
 * the earliest row the evidence allows: its own row, or just after the last
 * segment its receiver sent without covering it (the two crossed). Until the
 * receiver speaks again the delivery waits, and the rows from there on may
 * still change: tt_obs_settled() says which are final. */
#define TT_OBS_PENDING 16       /* segments held in flight per direction */
#define TT_OBS_EFFECTS (2 * TT_OBS_PENDING + 12)

struct tt_obs;

/* What the observer learnt of one endpoint at one row: the events there and
 * its TCB after them. Per endpoint, effects come in row order. */
struct tt_obs_effect {
	uint64_t row;           /* the caller's row number */
	int host;               /* 0: the client (first SYN), 1: the server */
	uint64_t arrived;       /* a delivery: the row whose segment arrived; 0: a send */
	unsigned flags;         /* TT_OBS_* */
	unsigned nev;
	struct tt_event ev[TT_OUT_EVENTS];
	struct tt_tcb_view tcb;
};

struct tt_obs_out {
	int views;              /* set by the caller: 0 fills only tcb.state */
	int no_events;          /* set by the caller: 1 leaves the events out (nev 0),
	                           for a table that shows none */
	unsigned n;
	struct tt_obs_effect e[TT_OBS_EFFECTS];
};

enum {
	TT_OBS_MIDSTREAM = 1,   /* the capture began after the handshake */
	TT_OBS_INFERRED = 2,    /* a segment the capture missed, inferred from the
	                           ACKs that followed */
	TT_OBS_CROSSED = 4,     /* delivered after a segment its receiver sent
	                           later on the wire (the two crossed) */
	TT_OBS_LOST = 8,        /* never arrived: its receiver spoke without
	                           acknowledging it, and it was sent again */
	TT_OBS_TRUNCATED = 16   /* not all that happened fits: events past
	                           TT_OUT_EVENTS, or effects past TT_OBS_EFFECTS
	                           (then the last effect kept says so) */
};

/* NULL when out of memory. */
struct tt_obs *tt_obs_new(void);
void tt_obs_free(struct tt_obs *o);
/* As new again, for the next connection (no allocation). */
void tt_obs_reset(struct tt_obs *o);
/* A segment seen travelling from side `from` (0 client, 1 server) at the
 * caller's row `row` (increasing); effects are appended to out. Returns
 * TT_OBS_* bits for this segment's own row. seg->wnd is the window scaled
 * as the endpoints agreed (RFC 7323), since the engine does not scale. */
unsigned tt_obs_segment(struct tt_obs *o, int from, const struct tt_seg *seg, uint64_t row,
                        tt_time now, struct tt_obs_out *out);
/* Rows before this one are final: nothing later changes them (a segment in
 * flight holds its own row, which will say where it arrived). UINT64_MAX
 * when nothing is in flight. */
uint64_t tt_obs_settled(const struct tt_obs *o);
/* No more evidence will come (the capture ended, or no room to wait):
 * everything in flight is delivered at the earliest row it can have
 * arrived. */
void tt_obs_flush(struct tt_obs *o, tt_time now, struct tt_obs_out *out);
enum tt_state tt_obs_state(const struct tt_obs *o, int host);
/* An observer at rest: what it knows of both ends in 68 bytes, so that a
 * capture of a million connections keeps a million of these, not a million
 * observers. Nothing in flight is kept (tt_obs_flush first); what arrived
 * ahead of a hole is forgotten (an ACK that covers it later brings it back,
 * as for a segment the capture missed), and so are the urgent pointers,
 * the SND.WL1/WL2 of the last window update and the peer's MSS (an observer
 * sends nothing, so none of them changes a state). */
struct tt_obs_rest {
	uint8_t state[2];         /* tt_obs_rest_state(); state[0] also says started */
	uint8_t bits[2];
	uint32_t iss[2], irs[2], snd_una[2], snd_nxt[2], snd_wnd[2];
	uint32_t rcv_nxt[2], fin_seq[2], obs_wnd[2];
};
void tt_obs_rest(const struct tt_obs *o, struct tt_obs_rest *rest);
enum tt_state tt_obs_rest_state(const struct tt_obs_rest *rest, int host);
/* A new (or reset) observer takes up where the one at rest left off. */
void tt_obs_wake(struct tt_obs *o, const struct tt_obs_rest *rest);
void tt_obs_view(const struct tt_obs *o, int host, struct tt_tcb_view *v);

#endif
