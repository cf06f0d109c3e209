/* sim/wire.c: segments in flight. A segment a host emits goes through the
 * faults armed for it (drop, duplicate, delay), then its sender's
 * bottleneck (rate, drop-tail queue, CE marking, seeded random loss), and
 * waits on the wire, one delay long, until it is delivered.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

/* ---- the wire ----------------------------------------------------------- */

int
sim_fault_matches(const struct fault *f, int from, const struct tt_seg *seg)
{
	if (f->toward >= 0 && f->toward == from)
		return 0;
	return f->flags == 0 || (seg->flags & 0xff) == f->flags;
}

/* Takes the first armed fault of one kind that matches this segment; a
 * fault still counting segments (#N) lets it pass and counts it. */
static int
take_fault(struct tt_sim *s, enum tt_fault_kind kind, int from, const struct tt_seg *seg,
           tt_time *amount)
{
	int taken = 0;

	for (size_t i = 0; i < s->nfaults && !taken; i++) {
		if (s->faults[i].kind != kind || !sim_fault_matches(&s->faults[i], from, seg))
			continue;
		if (s->faults[i].skip > 0) {
			s->faults[i].skip--;
			continue;
		}
		if (amount != NULL)
			*amount = s->faults[i].amount;
		memmove(&s->faults[i], &s->faults[i + 1], (s->nfaults - i - 1) * sizeof s->faults[0]);
		s->nfaults--;
		taken = 1;
	}
	return taken;
}

/* Puts a segment in flight (the flight's data now belongs to the wire);
 * -1 and the data freed when out of memory. */
static int
push_flight(struct tt_sim *s, struct flight *f)
{
	if (TT_GROW(s->fl, s->nfl, s->capfl, 16) < 0) {
		free(f->data);
		return -1;
	}
	f->order = s->order++;
	s->fl[s->nfl++] = *f;
	return 0;
}

/* A second copy of f, one delay behind it. */
int
sim_push_duplicate(struct tt_sim *s, const struct flight *f)
{
	struct flight copy = *f;

	if (f->data != NULL) {
		copy.data = malloc(f->seg.len);
		if (copy.data == NULL)
			return -1;
		memcpy(copy.data, f->data, f->seg.len);
	}
	copy.arrive += s->cfg.delay[f->from];
	copy.left = s->now;     /* made past the bottleneck: it takes no room there */
	copy.notes = (copy.notes | TT_NOTE(DUPLICATE)) & ~TT_NOTE(RETRANSMISSION);
	return push_flight(s, &copy);
}

/* A segment lost on the wire: a step noted "dropped", its data freed. */
void
sim_lose(struct tt_sim *s, struct flight *f, tt_time arrival)
{
	struct tt_step *st = sim_new_step(s, TT_STEP_SEGMENT, f->from, (int)f->stream);

	f->notes |= TT_NOTE(DROPPED);
	if (st != NULL) {
		sim_segment_step_fill(s, st, f);
		st->arrival = arrival;
		sim_finish_step(s, st);
	}
	free(f->data);
}

/* Segments from `from` still in its bottleneck's queue at `now` (waiting
 * behind the one being sent, which left or leaves last of those before). */
static unsigned
link_waiting(const struct tt_sim *s, int from)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->nfl; i++)
		if (s->fl[i].from == from && s->fl[i].left > s->now)
			n++;
	return n > 0 ? n - 1 : 0;
}

static uint64_t
rng_next(struct tt_sim *s)
{
	uint64_t x = s->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return s->rng = x;
}

/* The sender's bottleneck (struct tt_link): random loss, the drop-tail
 * queue, the CE mark, then the time the segment takes to leave it. -1: the
 * segment is lost (f->notes says why). */
static int
through_link(struct tt_sim *s, struct flight *f)
{
	const struct tt_link *l = &s->cfg.link[f->from];
	tt_time start, tx;
	unsigned waiting;

	if (l->loss_ppm > 0 && rng_next(s) % 1000000 < l->loss_ppm)
		return -1;
	if (l->rate == 0)
		return 0;
	waiting = s->link_free[f->from] > s->now ? link_waiting(s, f->from) : 0;
	if (l->queue > 0 && waiting >= l->queue) {
		f->notes |= TT_NOTE(QUEUE_FULL);
		return -1;
	}
	if (l->mark > 0 && waiting >= l->mark && f->seg.ecn != TT_NOT_ECT) {
		f->seg.ecn = TT_CE;
		f->notes |= TT_NOTE(CE);
	}
	start = s->link_free[f->from] > s->now ? s->link_free[f->from] : s->now;
	tx = (tt_time)(((uint64_t)(f->seg.len + TT_LINK_HEADER) * 8 * 1000000 + l->rate - 1) /
	               l->rate);
	f->left = start + tx;
	s->link_free[f->from] = f->left;
	f->arrive = f->left + s->cfg.delay[f->from];
	return 0;
}

void
sim_put_on_wire(struct tt_sim *s, int from, unsigned stream, const struct tt_seg *seg, int probe,
            int injected)
{
	struct flight f;
	tt_time extra = 0;

	memset(&f, 0, sizeof f);
	f.from = from;
	f.stream = stream;
	f.sent = s->now;
	f.arrive = s->now + s->cfg.delay[from];
	f.left = s->now;
	f.seg = *seg;
	f.notes = injected ? 0 : sim_sender_notes(&s->streams[stream], from, seg, probe);
	if (seg->len > 0) {
		f.data = malloc(seg->len);
		if (f.data == NULL)
			return;
		if (seg->data != NULL)
			memcpy(f.data, seg->data, seg->len);
		else
			memset(f.data, 'x', seg->len);
	}
	f.seg.data = NULL;
	if (take_fault(s, TT_FAULT_DROP, from, seg, NULL)) {
		sim_lose(s, &f, f.arrive);
		return;
	}
	if (through_link(s, &f) == -1) {
		sim_lose(s, &f, s->now);
		return;
	}
	if (take_fault(s, TT_FAULT_DELAY, from, seg, &extra)) {
		f.arrive += extra;
		f.notes |= TT_NOTE(DELAYED);
	}
	if (push_flight(s, &f) == 0 && take_fault(s, TT_FAULT_DUPLICATE, from, seg, NULL))
		sim_push_duplicate(s, &f);
}

/* Records what a host's TCB did in st, then puts what it emitted on the
 * wire, in stream k. */
void
sim_collect(struct tt_sim *s, int host, const struct tt_conn *c, unsigned k,
        const struct tt_out *out, struct tt_step *st)
{
	int probe = 0;

	s->cut += out->truncated;
	for (unsigned i = 0; i < out->nev; i++)
		if (out->ev[i].reason == TT_R_KEEPALIVE_PROBE)
			probe = 1;
	if (st != NULL) {
		sim_add_events(st, host, sim_sock_of(s, host, c), out);
		sim_finish_step(s, st);
	}
	if (k >= s->nstreams)
		return;                 /* a TCB with no stream sends nothing */
	for (unsigned i = 0; i < out->nseg; i++)
		sim_put_on_wire(s, host, k, &out->seg[i], probe && (out->seg[i].flags == TT_ACK), 0);
}

/* The in-flight segment that arrives first (toward `to`, or any if -1). */
long
sim_next_flight(const struct tt_sim *s, int to)
{
	long best = -1;

	for (size_t i = 0; i < s->nfl; i++) {
		const struct flight *f = &s->fl[i];

		if (to >= 0 && f->from == to)
			continue;
		if (best < 0 || f->arrive < s->fl[best].arrive ||
		    (f->arrive == s->fl[best].arrive && f->order < s->fl[best].order))
			best = (long)i;
	}
	return best;
}

void
sim_remove_flight(struct tt_sim *s, size_t i, struct flight *f)
{
	*f = s->fl[i];
	memmove(&s->fl[i], &s->fl[i + 1], (s->nfl - i - 1) * sizeof s->fl[0]);
	s->nfl--;
}

