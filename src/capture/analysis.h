/* capture/analysis.h: Wireshark's TCP analysis notes, private to capture/.
 * One struct cap_flow per direction of a stream, as Wireshark's tcp_flow. */
#ifndef TT_CAPTURE_ANALYSIS_H
#define TT_CAPTURE_ANALYSIS_H

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
/* Returns TT_NOTE() bits for one segment sent by `dir` at time `now` (ns). */
unsigned cap_analysis_segment(struct cap_analysis *a, int dir, int64_t now, uint32_t seq,
                              uint32_t ack, uint32_t seglen, unsigned flags, uint32_t window);

#endif
