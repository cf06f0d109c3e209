/* tutor/practice_impl.h: what the two halves of generated practice share:
 * practice.c draws the numbers and writes the scenario, practice_answer.c
 * reads the answer off the steps and writes the question's text. Private
 * to tutor/. */
#ifndef TT_PRACTICE_IMPL_H
#define TT_PRACTICE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"
#include "tutor/quiz.h"

enum {
	P_SYNACK_ACK, P_HANDSHAKE_ACK, P_DATA_ACK, P_DATA_SEQ2, P_FIN_SEQ, P_FIN_ACK,
	P_HALFCLOSE_ACK, P_SERVER_DATA_ACK, P_TEARDOWN_STATE,
	P_USABLE_WND, P_SLOW_START, P_SSTHRESH_LOSS, P_CWND_LOSS, P_RTO, P_NTEMPLATES
};

struct sbuf {
	char s[2048];
	size_t n;
};

void tt_practice_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct build {
	struct sbuf scen, pen, pzh, een, ezh;
	uint32_t x, y, n1, n2;   /* client ISS, server ISS, byte counts */
	int host;
	unsigned stop;
	/* The newer templates' numbers (kept in tt_quiz_gen.p in this order):
	 * usable window: MSS, window in segments, initial window, segments
	 *   sent, segments delivered, ACKs delivered;
	 * slow start: MSS, initial window, round trips;
	 * loss: MSS, segments in flight, 1 for fast retransmit (0 timeout);
	 * RTO: the samples in ms (2 or 3; 0 for none). */
	uint32_t p[6];
};

/* The teardown for the state question, action by action, with words. */
struct tt_practice_step {
	const char *action, *en, *zh;
};
extern const struct tt_practice_step tt_practice_teardown[];

static inline uint32_t
min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Reads the answer of template t off the steps of sim and writes the
 * prompt and explanation into b; 0, or -1 with err when the scenario did
 * not produce the steps the template asks about. */
int tt_practice_read_answer(size_t t, struct build *b, const struct tt_sim *sim,
                            struct tt_quiz_question *q, char *err, size_t errlen);

#endif
