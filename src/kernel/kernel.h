/* kernel/kernel.h: what the local kernel itself says of its TCP endpoints,
 * beside the states the engine infers from the wire (tcptutor live).
 *
 * Two sources, as records of (4-tuple, time, old state, new state):
 *  - the sock:inet_sock_set_state tracepoint, read from trace_pipe of a
 *    tracefs instance of our own (KN_TRACE): every transition, however
 *    short. Setting it up needs root; it is done before the privileges are
 *    dropped, and a small helper process that keeps root does nothing but
 *    wait for us to end, then disables the event and removes the instance.
 *  - polling NETLINK_SOCK_DIAG (SOCK_DIAG_BY_FAMILY, inet_diag_req_v2) every
 *    KN_DIAG_MS (KN_DIAG): no privilege, but a state shorter than the poll
 *    is missed. One dump is also taken when the source opens, so that
 *    sockets older than the first record (a listener) are known.
 * With the tracepoint, tcp:tcp_probe gives the kernel's cwnd, ssthresh,
 * srtt and snd_wnd of the socket a segment reached (below).
 * Times are the system's real-time clock in nanoseconds, as pcap stamps
 * packets (the instance's trace clock is "mono"; its offset to real time is
 * measured when it opens). Linux only: elsewhere kn_open() says "not
 * available on this system". Nothing here prints.
 */
#ifndef TT_KERNEL_H
#define TT_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum kn_source { KN_NONE, KN_TRACE, KN_DIAG };

#define KN_DIAG_MS 50

struct kn;

/* Opens the best source: the tracepoint when try_trace and it can be set
 * up, else sock_diag. *out is NULL only when neither works (message in
 * err). When the tracepoint was tried and not used, why says why (one
 * sentence, with how to fix it: mount tracefs, run as root), else why[0]
 * is '\0'. */
int kn_open(int try_trace, struct kn **out, char *why, size_t whylen, char *err, size_t errlen);
void kn_close(struct kn *k);
enum kn_source kn_source_of(const struct kn *k);
/* trace_pipe, to poll for reading; -1 for sock_diag (call kn_update every
 * KN_DIAG_MS). */
int kn_fd(const struct kn *k);
/* Reads the records that are new; -1 with a message when the source broke. */
int kn_update(struct kn *k, char *err, size_t errlen);
/* The kernel's state of the local endpoint addr:port talking to
 * peer:pport at time t (real time, ns): an enum tt_state, or -1 when the
 * kernel has said nothing of it. Records after t are not looked at. */
int kn_state(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
             const uint8_t *peer, uint16_t pport, int64_t t);
/* The same, but a last transition after `after` into a state of skip
 * (bits 1 << enum tt_state) does not count yet: it is the one the next
 * segment's sending made (close() goes FIN-WAIT-1 before its FIN leaves). */
int kn_state_before(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
                    const uint8_t *peer, uint16_t pport, int64_t t, int64_t after,
                    unsigned skip);
/* Only a listener there at time `opened` (the connection's first segment)
 * answers for an endpoint without records of its own: one opened later on
 * the same port is none of this connection's. */
void kn_set_opened(struct kn *k, int64_t opened);
/* The kernel's last word on that endpoint up to t: the state it left (the
 * old state of its last transition), or -1. For explanations. */
int kn_prev_state(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
                  const uint8_t *peer, uint16_t pport, int64_t t);
/* The records in the order they came, for a view of the states alone
 * (no packets): *cursor starts at 0; 1 with the next one in *r, 0 when
 * there is none yet. Records pushed out of the ring are skipped. */
struct kn_record {
	int64_t t;                /* real time, ns */
	int ipver;
	uint8_t addr[16], peer[16];
	uint16_t port, pport;     /* port 0: a connect() before its port was chosen */
	int old, now;             /* enum tt_state; old -1: as first seen */
};
int kn_next_record(const struct kn *k, uint64_t *cursor, struct kn_record *r);
/* addr is one of this host's addresses. */
int kn_is_local(const struct kn *k, int ipver, const uint8_t *addr);
/* Real time now, nanoseconds. */
int64_t kn_now(void);

/* ---- the kernel's own figures per segment (tcp:tcp_probe) ------------------ */

/* With the tracepoint source, tcp:tcp_probe is enabled in the same instance
 * when this kernel has it (with the fields below in its format file). It
 * fires when a segment reaches a socket in ESTABLISHED (tcp_rcv_established),
 * before the segment is handled: the figures are the receiving socket's
 * as the segment found them. */
struct kn_probe {
	int64_t t;                /* real time, ns */
	uint32_t cwnd;            /* snd_cwnd, in segments */
	uint32_t ssthresh;        /* in segments; KN_NO_SSTHRESH: not set yet */
	uint32_t srtt_us;         /* smoothed RTT in microseconds; 0: no sample yet */
	uint32_t snd_wnd;         /* the peer's window, bytes, scaled */
	uint32_t snd_una, snd_nxt, rcv_wnd;
	uint32_t data_len;        /* the segment's payload */
};
#define KN_NO_SSTHRESH 0x7fffffffu   /* TCP_INFINITE_SSTHRESH */

/* 1 when tcp:tcp_probe is on; else 0, and why says why (one sentence). */
int kn_has_probe(const struct kn *k, char *why, size_t whylen);
/* Takes the oldest probe not yet taken that fired at the local socket
 * addr:port talking to peer:pport no earlier than `from` (real time, ns),
 * for a segment of len payload bytes whose acknowledgment ack (when
 * has_ack) lies between the socket's SND.UNA and SND.NXT: 1 with it in
 * *out, else 0. */
int kn_probe_take(struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
                  const uint8_t *peer, uint16_t pport, int64_t from, uint32_t len, int has_ack,
                  uint32_t ack, struct kn_probe *out);

/* ---- following a command's connections (live -- COMMAND) ------------------ */

/* Marks process pid and everything it starts as followed. */
void kn_follow(struct kn *k, pid_t pid);
/* The connection addr:port <-> peer:pport (either way round), whose first
 * packet was at `opened` (ns since the epoch), is one of the followed
 * processes' own, by what the kernel said so far. */
int kn_followed(struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
                const uint8_t *peer, uint16_t pport, int64_t opened);

/* ---- privileges ------------------------------------------------------------ */

/* Drops to user (a name; NULL: SUDO_UID/SUDO_GID when set, else nothing to
 * drop): supplementary groups, then gid, then uid, real, effective and
 * saved alike, checked afterwards. 0, or -1 with a message. *dropped says
 * whether the ids changed. */
int kn_drop_privileges(const char *user, int *dropped, char *err, size_t errlen);

#endif
