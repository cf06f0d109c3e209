/* capture/analysis.c: the notes Wireshark's TCP analysis puts on segments.
 *
 * Follows the rules of Wireshark's tcp_analyze_sequence_number() so that a
 * capture annotated here reads like it does there: zero window, previous
 * segment not captured, keep-alive (and its ACK), window update, duplicate
 * ACK, retransmission (fast and spurious ones included) and out-of-order.
 * The tests run in tshark 4.0's order, each of its conditions as it has
 * them: zero window probe, zero window, lost segment, keep-alive, window
 * update, keep-alive ACK, zero window probe ACK, duplicate ACK; then fast
 * retransmission, spurious retransmission, out-of-order, retransmission.
 * Where its source leaves a doubt, tshark's own output decided
 * (tests/replay/notes-agree.py over tests/replay/good, whose wire-*.pcap were
 * recorded for this). Windows are compared raw: Wireshark compares scaled
 * ones, but one scale per direction keeps them equal or not alike.
 * Sequence numbers are absolute; 0 stands for "not seen yet" as there.
 * Per direction a few words of state, nothing allocated.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "capture/analysis.h"
#include "engine/tcp.h"
#include "trace/trace.h"

/* Internal bits besides the TT_NOTE() ones, never returned. */
#define ZWP (1u << 30)          /* zero window probe */
#define ZWP_ACK (1u << 29)
#define NOT_NOTES (ZWP | ZWP_ACK)

#define UNSET INT64_MIN

void
cap_analysis_init(struct cap_analysis *a)
{
	static const struct cap_analysis zero;  /* see zero_pkt in decode.c */

	memcpy(a, &zero, sizeof *a);
	a->flow[0].window = a->flow[1].window = UINT32_MAX;
	a->ts_mru_syn = a->ts_first_rtt = UNSET;
}

unsigned
cap_analysis_segment(struct cap_analysis *a, int dir, int64_t now, uint32_t seq, uint32_t ack,
                     uint32_t seglen, unsigned flags, uint32_t window)
{
	struct cap_flow *fwd = &a->flow[dir], *rev = &a->flow[!dir];
	unsigned n = 0;
	uint32_t nextseq;
	const unsigned sfr = TT_SYN | TT_FIN | TT_RST;

	/* zero window probe: one byte at the next seq into a closed window */
	if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
		n |= ZWP;
		goto finished_fwd;
	}
	if (window == 0 && !(flags & sfr))
		n |= TT_NOTE(ZERO_WINDOW);
	/* a hole before this segment: something was not captured */
	if (fwd->nextseq && TT_SEQ_GT(seq, fwd->nextseq) && !(flags & TT_RST))
		n |= TT_NOTE(LOST_SEGMENT);
	/* keep-alive: 0 or 1 byte one before the next seq (RFC 9293 §3.8.4) */
	if (seglen <= 1 && seq == fwd->nextseq - 1 && !(flags & sfr))
		n |= TT_NOTE(KEEP_ALIVE);
	if (seglen == 0 && window != 0 && window != fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && !(flags & sfr))
		n |= TT_NOTE(WINDOW_UPDATE);
	if (seglen == 0 && window != 0 && window == fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastsegflags & TT_NOTE(KEEP_ALIVE)) && !(flags & sfr)) {
		n |= TT_NOTE(KEEP_ALIVE_ACK);
		goto finished_fwd;
	}
	if (seglen == 0 && window == 0 && window == fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && (rev->lastsegflags & ZWP) && !(flags & sfr)) {
		n |= ZWP_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && window != 0 && window == fwd->window && seq == fwd->nextseq &&
	    ack == fwd->lastack && !(flags & sfr)) {
		fwd->dupacknum++;
		n |= TT_NOTE(DUP_ACK);
	}
finished_fwd:
	/* the count of duplicate ACKs runs until the ACK moves (data between
	 * them does not reset it) */
	if (ack != fwd->lastack)
		fwd->dupacknum = 0;
	/* an ACK of something never seen: move on so it is noted once */
	if (rev->maxseqtobeacked && TT_SEQ_GT(ack, rev->maxseqtobeacked) && (flags & TT_ACK))
		rev->maxseqtobeacked = rev->nextseq;

	if ((seglen > 0 || (flags & (TT_SYN | TT_FIN))) && !(n & TT_NOTE(KEEP_ALIVE))) {
		/* behind the next seq; tshark 4.0 lets a segment of 2 bytes or more
		 * that starts at next seq - 1 (where a keep-alive would) pass as
		 * new data, neither retransmitted nor out of order */
		int not_advanced = fwd->nextseq && TT_SEQ_LT(seq, fwd->nextseq) &&
		                   !(seglen > 1 && seq == fwd->nextseq - 1);
		int64_t thres = a->ts_first_rtt == UNSET ? 3000000 : a->ts_first_rtt;

		if (not_advanced && rev->dupacknum >= 2 && rev->lastack == seq &&
		    now - rev->lastacktime < 20000000) {
			n |= TT_NOTE(RETRANSMISSION);           /* fast retransmission */
		} else if (seglen > 0 && rev->lastack && TT_SEQ_LEQ(seq + seglen, rev->lastack)) {
			n |= TT_NOTE(RETRANSMISSION);           /* spurious retransmission */
		} else if (not_advanced && now - fwd->nextseqtime < thres &&
		           fwd->nextseq != seq + seglen + !!(flags & (TT_SYN | TT_FIN))) {
			n |= TT_NOTE(OUT_OF_ORDER);
		} else if (not_advanced) {
			n |= TT_NOTE(RETRANSMISSION);
		}
	}

	nextseq = seq + seglen;
	if (flags & (TT_SYN | TT_FIN))
		nextseq++;
	if (TT_SEQ_GT(nextseq, fwd->nextseq) || !fwd->nextseq) {
		if (!(n & ZWP)) {
			fwd->nextseq = nextseq;
			fwd->nextseqtime = now;
		}
	}
	if (seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) {
		if (!(n & ZWP))
			fwd->maxseqtobeacked = fwd->nextseq;
	}
	fwd->window = window;
	fwd->lastack = ack;
	fwd->lastacktime = now;
	fwd->lastsegflags = n;

	/* the first RTT: from the last SYN to the ACK that completes it */
	if ((flags & (TT_SYN | TT_ACK)) == TT_SYN)
		a->ts_mru_syn = now;
	else if ((flags & (TT_SYN | TT_ACK)) == TT_ACK && a->ts_mru_syn != UNSET &&
	         a->ts_first_rtt == UNSET)
		a->ts_first_rtt = now - a->ts_mru_syn;
	return n & ~NOT_NOTES;
}
