/* trace/trace.c: the step types' helpers and the relative-numbering rule
 * (trace/trace.h). */
#include "config.h"

#include <stdlib.h>

#include "trace/trace.h"

static const char *const note_names[] = {
#define TT_NOTE_NAME(id, name) name,
	TT_NOTES(TT_NOTE_NAME)
#undef TT_NOTE_NAME
};

char *
tt_notes_format(unsigned notes, char *buf, size_t len)
{
	tt_bits_format(notes, note_names, TT_NNOTES, buf, len);
	return buf;
}

int
tt_trace_bases(const struct tt_step *steps, size_t n, size_t nstreams,
               const uint32_t fallback[2], uint32_t (*base)[2])
{
	/* what set base[k][h]: 0 the fallback, 1 a segment, 2 a SYN */
	unsigned char (*have)[2] = calloc(nstreams ? nstreams : 1, sizeof *have);

	for (size_t k = 0; k < nstreams; k++) {
		base[k][0] = fallback[0];
		base[k][1] = fallback[1];
	}
	for (size_t i = 0; i < n && have != NULL; i++) {
		const struct tt_step *st = &steps[i];
		unsigned char want, *h;

		if (st->kind != TT_STEP_SEGMENT || st->stream >= nstreams)
			continue;
		h = &have[st->stream][st->dir & 1];
		want = (st->seg.flags & TT_SYN) ? 2 : 1;
		if (*h == 0 || (want == 2 && *h == 1)) {
			base[st->stream][st->dir & 1] = st->seg.seq;
			*h = want;
		}
	}
	if (have == NULL)
		return -1;
	free(have);
	return 0;
}

void
tt_trace_rel(const struct tt_step *st, const uint32_t base[2], uint32_t *seq, uint32_t *ack)
{
	int from = st->dir & 1;

	*seq = st->seg.seq - base[from];
	*ack = st->seg.ack - base[!from];
	if ((st->seg.flags & TT_RST) && st->seg.seq == 0 && st->tcb[from].state == TT_CLOSED)
		*seq = 0;
}
