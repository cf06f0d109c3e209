/* capture/analysis.h: Wireshark's TCP analysis notes, private to capture/.
 * One struct cap_flow per direction of a stream, as Wireshark's tcp_flow. */
#ifndef TT_CAPTURE_ANALYSIS_H
#define TT_CAPTURE_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

struct cap_flow {
	uint32_t nextseq;         /* highest seq + len seen (0: none yet) */
	uint32_t maxseqtobeacked;
	uint32_t lastack;
	uint32_t window;          /* last raw window, UINT32_MAX before any */
	uint32_t dupacknum;
	int64_t nextseqtime, lastacktime;
	unsigned lastsegflags;    /* analysis bits of the last segment */
};

struct cap_analysis {
	struct cap_flow flow[2];  /* indexed by sender: 0 client, 1 server */
	int64_t ts_mru_syn;       /* last SYN without ACK (0: none) */
	int64_t ts_first_rtt;     /* SYN to the handshake's ACK (0: unknown) */
};

void cap_analysis_init(struct cap_analysis *a);

/* Bytes in flight as Wireshark's tcp.analysis.bytes_in_flight
 * (flight.c): per direction the segments seen and not yet acknowledged
 * (seq to next seq, a SYN or FIN counting one), at most CAP_FLIGHT_MAX of
 * them, as its tcp_unacked list, in ordered sets rather than a list.
 * Kept only for runs whose rows show it. */
#define CAP_FLIGHT_MAX 10000    /* Wireshark's TCP_MAX_UNACKED_SEGMENTS */
#define CAP_FLIGHT_SACK 3       /* SACK blocks it keeps of a segment */

#define CAP_FLIGHT_SMALL 32     /* a list this short is walked, as Wireshark's */

struct cap_fl_tree;             /* flight.c's ordered sets */

struct cap_flight {
	size_t n;                 /* segments in the list */
	uint32_t (*small)[2];     /* a short list: seq, next seq, in order of arrival */
	size_t small_cap;
	struct cap_fl_tree *tree; /* a long one's ordered sets (NULL while short) */
	uint32_t ref;             /* the base the sets' values are relative to */
	uint32_t sacked;          /* bytes in the SACK blocks of this side's last segment */
};

struct cap_flights {
	struct cap_flight dir[2]; /* by sender */
};

void cap_flights_init(struct cap_flights *f);
void cap_flights_free(struct cap_flights *f);
/* One segment sent by `dir`: `base` is its sender's relative base, `notes`
 * what cap_analysis_segment() said of it, sack[nsack] its SACK blocks.
 * Returns the bytes in flight after it, or -1 where Wireshark has none (a
 * segment without payload, after a hole, ...); -2 when out of memory. */
int64_t cap_flights_segment(struct cap_flights *f, int dir, uint32_t base, uint32_t seq,
                            uint32_t ack, uint32_t seglen, unsigned flags, unsigned notes,
                            const uint32_t (*sack)[2], unsigned nsack);
/* Returns TT_NOTE() bits for one segment sent by `dir` at time `now` (ns). */
unsigned cap_analysis_segment(struct cap_analysis *a, int dir, int64_t now, uint32_t seq,
                              uint32_t ack, uint32_t seglen, unsigned flags, uint32_t window);

#endif
