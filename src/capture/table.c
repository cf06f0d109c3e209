/* capture/table.c: the stream table's upkeep.
 *
 * Making and freeing the table; its hash slots (rebuilt twice as large at
 * half full, or under a new key after a long probe) and stream blocks; the
 * observers: at most LIVE_MAX streams hold one, a clock hand puts the least
 * lately seen to rest (struct tt_obs_rest, or just its first segment), and
 * a stream whose connection has ended gives its observer back and keeps its
 * numbers in a few bytes until a later segment wakes them; settling streams
 * so that their rows are final, and handing rows and stream summaries out.
 * stream.c is the per-frame path.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "capture/stream.h"

struct cap_replay *
cap_replay_new(unsigned opts)
{
	struct cap_replay *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->opts = opts;
	r->follow = SIZE_MAX;
	r->oout = malloc(sizeof *r->oout);
	if (r->oout != NULL) {
		r->oout->views = (opts & CAP_VIEWS) != 0;
		r->oout->no_events = (opts & CAP_NO_EVENTS) != 0;
	}
	r->ring = (opts & CAP_ROWS) ? calloc(RING, sizeof *r->ring) : NULL;
	r->next_row = (opts & CAP_ROWS) ? calloc(RING, sizeof *r->next_row) : NULL;
	r->views = (opts & CAP_VIEWS) ? calloc(RING, sizeof *r->views) : NULL;
	r->head = r->tail = 1;
	r->nslots = 1024;
	r->sidx = calloc(r->nslots, sizeof *r->sidx);
	r->stag = calloc(r->nslots, sizeof *r->stag);
	if (sodium_init() < 0 || r->oout == NULL || r->sidx == NULL || r->stag == NULL ||
	    ((opts & CAP_ROWS) && (r->ring == NULL || r->next_row == NULL)) ||
	    ((opts & CAP_VIEWS) && r->views == NULL)) {
		cap_replay_free(r);     /* what was made so far */
		return NULL;
	}
	randombytes_buf(r->key, sizeof r->key);
	return r;
}

void
cap_replay_follow(struct cap_replay *r, size_t i)
{
	r->follow = i;
}

void
cap_replay_set_key(struct cap_replay *r, const uint8_t *key)
{
	memcpy(r->key, key, sizeof r->key);
}

void
cap_replay_probe_stats(const struct cap_replay *r, struct cap_probe_stats *st)
{
	*st = r->stats;
}

void
cap_replay_free(struct cap_replay *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nclock; i++)
		tt_obs_free(r->clock[i].obs);
	for (size_t i = 0; i < r->nspare; i++)
		tt_obs_free(r->spare[i]);
	if (r->rblocks != NULL)
		for (size_t i = 0; i < r->nstreams; i++) {
			struct stream_rows *sr = rows_at(r, i);

			if (sr->fl != NULL)
				cap_flights_free(sr->fl);
			free(sr->fl);
		}
	for (size_t i = 0; i < r->nblocks; i++) {
		free(r->blocks[i]);
		if (r->rblocks != NULL)
			free(r->rblocks[i]);
	}
	free(r->blocks);
	free(r->rblocks);
	free(r->rests);
	free(r->free_rests);
	free(r->sidx);
	free(r->stag);
	free(r->oout);
	free(r->ring);
	free(r->next_row);
	free(r->views);
	free(r);
}

/* Rebuilds the table with n slots; with `rekey`, under a new random key
 * (every slot's hash computed again from its stream's 4-tuple). */
int
cap_table_rebuild(struct cap_replay *r, size_t n, int rekey)
{
	uint32_t *sidx = calloc(n, sizeof *sidx);
	uint8_t *stag = calloc(n, sizeof *stag);

	if (sidx == NULL || stag == NULL) {
		free(sidx);
		free(stag);
		return -1;
	}
	if (rekey) {
		randombytes_buf(r->key, sizeof r->key);
		memset(r->recent, 0, sizeof r->recent);
		memset(r->seen, 0, sizeof r->seen);
		r->stats.rekeys++;
	}
	for (size_t i = 0; i < r->nslots; i++) {
		struct stream *s;
		size_t j;

		if (r->stag[i] == 0)
			continue;
		s = stream_at(r, r->sidx[i] - 1);
		if (rekey)
			s->hash = cap_stream_hash_tuple(r->key, ipver_of(s), s->addr[0], s->port[0],
			                                s->addr[1], s->port[1]);
		for (j = s->hash & (n - 1); stag[j] != 0; j = (j + 1) & (n - 1))
			;
		sidx[j] = r->sidx[i];
		stag[j] = TAG(s->hash);
	}
	free(r->sidx);
	free(r->stag);
	r->sidx = sidx;
	r->stag = stag;
	r->nslots = n;
	return 0;
}

static const struct stream zero_stream;   /* see zero_pkt in decode.c */

/* One more block of streams (and of their rows' part). */
static int
grow_blocks(struct cap_replay *r)
{
	if (TT_GROW(r->blocks, r->nblocks, r->blocks_cap, 16) < 0)
		return -1;
	if (r->opts & CAP_ROWS) {
		if (TT_GROW(r->rblocks, r->nblocks, r->rblocks_cap, 16) < 0)
			return -1;
		if ((r->rblocks[r->nblocks] = malloc(BLOCK * sizeof **r->rblocks)) == NULL)
			return -1;
	}
	if ((r->blocks[r->nblocks] = malloc(BLOCK * sizeof **r->blocks)) == NULL) {
		if (r->opts & CAP_ROWS)
			free(r->rblocks[r->nblocks]);
		return -1;
	}
	r->nblocks++;
	return 0;
}

struct stream *
cap_table_new_stream(struct cap_replay *r, const struct cap_pkt *p, int sender_is_client)
{
	struct stream *s;
	int c = sender_is_client ? 0 : 1;

	if ((r->nstreams & (BLOCK - 1)) == 0 && (r->nstreams >> BLOCK_SHIFT) == r->nblocks &&
	    grow_blocks(r) < 0)
		return NULL;
	s = stream_at(r, r->nstreams);
	memcpy(s, &zero_stream, sizeof *s);
	s->wscale0 = s->wscale1 = WS_NONE;
	s->v6 = p->ipver == 6;
	memcpy(s->addr[c], p->src, 16);
	memcpy(s->addr[!c], p->dst, 16);
	s->port[c] = p->sport;
	s->port[!c] = p->dport;
	if (r->opts & CAP_ROWS) {
		cap_analysis_init(&rows_at(r, r->nstreams)->an);
		rows_at(r, r->nstreams)->fl = NULL;
	}
	r->nstreams++;
	return s;
}

/* ---- observers: live, at rest, woken ------------------------------------------ */

/* A place in rests; -1 when out of memory. */
static long
rest_place(struct cap_replay *r)
{
	if (r->nfree > 0)
		return (long)r->free_rests[--r->nfree];
	/* free_rests has room for every place there is */
	if (TT_GROW(r->rests, r->nrests, r->rests_cap, 1024) < 0 ||
	    TT_GROW(r->free_rests, r->nrests, r->free_cap, 1024) < 0)
		return -1;
	return (long)r->nrests++;
}

/* The observer goes to rest: its ends kept (its first segment, or a place
 * in rests), itself spare. 0, or -1 when out of memory (it stays live). */
int
cap_table_give_back(struct cap_replay *r, struct stream *s)
{
	struct tt_obs **obs = &r->clock[s->at].obs;

	if (s->packets == 1) {
		s->u.first.states = (uint8_t)(tt_obs_state(*obs, 0) | tt_obs_state(*obs, 1) << 4);
	} else {
		long k = rest_place(r);

		if (k < 0)
			return -1;
		tt_obs_rest(*obs, &r->rests[k]);
		s->u.rest = (uint32_t)k;
	}
	s->live = 0;
	r->free_at[r->nfree_at++] = s->at;     /* at most LIVE_MAX are given back */
	if (r->nspare < SPARE)
		r->spare[r->nspare++] = *obs;
	else
		tt_obs_free(*obs);
	*obs = NULL;
	return 0;
}

static void settle(struct cap_replay *r, struct stream *s, int64_t time_ns);

/* A stream wants an observer: a place on the clock, making room by putting
 * the least lately seen stream to rest when all are taken. SIZE_MAX when
 * out of memory. */
static size_t
take_place(struct cap_replay *r, size_t idx)
{
	size_t at;

	if (r->nclock < LIVE_MAX) {
		at = r->nclock++;
		r->clock[at].stream = (uint32_t)idx + 1;
		return at;
	}
	/* a place given back (the hand may have handed it out since) */
	while (r->nfree_at > 0) {
		struct stream *o;

		at = r->free_at[--r->nfree_at];
		o = stream_at(r, r->clock[at].stream - 1);
		if (!o->live || o->at != at) {
			r->clock[at].stream = (uint32_t)idx + 1;
			return at;
		}
	}
	for (;;) {
		struct stream *o = stream_at(r, r->clock[r->hand].stream - 1);

		at = r->hand;
		r->hand = (r->hand + 1) % LIVE_MAX;
		if (!o->live || o->at != at) {
			/* free: its stream gave the observer back (and may
			 * have taken another place since) */
		} else if (o->used) {
			o->used = 0;            /* a second chance */
			continue;
		} else {
			settle(r, o, o->last_ns);
			if (o->live && cap_table_give_back(r, o) < 0)
				return SIZE_MAX;
		}
		r->clock[at].stream = (uint32_t)idx + 1;
		return at;
	}
}

/* Everything in flight in stream s arrives as early as it can have. */
static void
settle(struct cap_replay *r, struct stream *s, int64_t time_ns)
{
	struct tt_obs_out *oo = (r->opts & CAP_ROWS) ? r->oout : NULL;

	if (!s->live)
		return;
	if (oo != NULL)
		oo->n = 0;
	tt_obs_flush(obs_of(r, s), time_ns / 1000, oo);
	if (oo != NULL)
		cap_stream_apply(r, oo);
	cap_stream_retire(r, s);
}

/* The ring is full: the oldest row's stream is settled without waiting
 * for more evidence. */
void
cap_table_settle_oldest(struct cap_replay *r)
{
	struct held *old = ring_at(r, r->head);

	settle(r, stream_at(r, old->stream), old->time_ns);
	/* rows nobody took out: the oldest is dropped rather than overwritten */
	if (r->tail - r->head >= RING - 1)
		r->head++;
}

/* A stream that rested after its first segment wakes: a new observer is
 * given that segment again, then keeps only what resting would have kept
 * of it (struct tt_obs_rest), as a stream that rested later does. */
static void
wake_first(struct tt_obs *obs, const struct first_seg *f, int64_t time_ns)
{
	struct tt_seg seg;
	struct tt_obs_rest rest;
	tt_time now = time_ns / 1000;

	memset(&seg, 0, sizeof seg);
	seg.seq = f->seq;
	seg.ack = f->ack;
	seg.wnd = f->wnd;
	seg.len = f->len;
	seg.flags = f->flags;
	seg.mss = f->mss;
	seg.up = f->up;
	(void)tt_obs_segment(obs, f->side, &seg, 1, now, NULL);
	tt_obs_flush(obs, now, NULL);   /* as it was settled before it rested */
	tt_obs_rest(obs, &rest);
	tt_obs_reset(obs);
	tt_obs_wake(obs, &rest);
}

int
cap_table_wake(struct cap_replay *r, size_t idx, struct stream *s)
{
	struct tt_obs *obs;
	struct tt_obs_rest rest;
	size_t at;

	/* a copy: making room may move rests */
	if (s->packets > 2)
		rest = r->rests[s->u.rest];
	if (r->nspare > 0) {
		obs = r->spare[--r->nspare];
		tt_obs_reset(obs);
	} else if ((obs = tt_obs_new()) == NULL) {
		return -1;
	}
	if ((at = take_place(r, idx)) == SIZE_MAX) {
		tt_obs_free(obs);
		return -1;
	}
	r->clock[at].obs = obs;
	s->at = (uint32_t)at;
	s->live = 1;
	/* it was at rest (this segment is counted already) */
	if (s->packets == 2) {
		wake_first(obs, &s->u.first, s->first_ns);
	} else if (s->packets > 2) {
		r->free_rests[r->nfree++] = s->u.rest;
		tt_obs_wake(obs, &rest);
	}
	return 0;
}

/* ---- rows out, streams described ---------------------------------------------- */

int
cap_replay_row(struct cap_replay *r, struct cap_seg *seg)
{
	const struct held *row;
	const struct stream *s;

	if (!(r->opts & CAP_ROWS) || r->head == r->tail)
		return 0;
	row = ring_at(r, r->head);
	s = stream_at(r, row->stream);
	if (!r->finishing && s->live && tt_obs_settled(obs_of(r, s)) <= r->head)
		return 0;
	seg->frame = row->frame;
	seg->time_ns = row->time_ns;
	seg->stream = row->stream;
	seg->dir = row->dir;
	seg->seq = row->seq;
	seg->ack = row->ack;
	seg->len = row->len;
	seg->flags = row->flags;
	seg->win = row->win;
	seg->rel_seq = row->rel_seq;
	seg->rel_ack = row->rel_ack;
	seg->notes = row->notes;
	seg->state[0] = (enum tt_state)row->state[0];
	seg->state[1] = (enum tt_state)row->state[1];
	seg->obs = row->obs;
	seg->arrived_after = row->arrived_after;
	seg->nev = row->nev;
	seg->lost_events = row->lost_events;
	if (row->lost_events > 0)
		seg->notes |= TT_NOTE(EVENTS_CUT);  /* said, never silently dropped */
	seg->flight = row->flight;
	for (unsigned k = 0; k < row->nev; k++) {
		const struct held_ev *he = &row->ev[k];

		seg->ev[k] = (struct cap_event){
			.host = he->host, .arrived = he->arrived, .flags = he->flags,
			.ev = { (enum tt_reason)he->reason, (enum tt_state)he->from,
			        (enum tt_state)he->to, (enum tt_error)he->error },
		};
	}
	if (r->views != NULL)
		memcpy(seg->tcb, r->views[r->head % RING], sizeof seg->tcb);
	r->head++;
	return 1;
}

void
cap_replay_finish(struct cap_replay *r)
{
	for (size_t i = 0; i < r->nstreams; i++) {
		struct stream *s = stream_at(r, i);

		settle(r, s, s->last_ns);
	}
	r->finishing = 1;
}

int
cap_replay_settle_older(struct cap_replay *r, int64_t before_ns)
{
	const struct held *old;
	struct stream *s;

	if (!(r->opts & CAP_ROWS) || r->head == r->tail)
		return 0;
	old = ring_at(r, r->head);
	s = stream_at(r, old->stream);
	if (old->time_ns >= before_ns || !s->live || tt_obs_settled(obs_of(r, s)) > r->head)
		return 0;
	settle(r, s, s->last_ns);
	return 1;
}

size_t
cap_replay_nstreams(const struct cap_replay *r)
{
	return r->nstreams;
}

const char *
cap_end_name(enum cap_end e)
{
	switch (e) {
	case CAP_END_FIN: return "fin";
	case CAP_END_HALF: return "half-close";
	case CAP_END_RST: return "rst";
	case CAP_END_REFUSED: return "refused";
	case CAP_END_OPEN: break;
	}
	return "open";
}

void
cap_replay_stream(const struct cap_replay *r, size_t i, struct cap_stream_info *info)
{
	const struct stream *s = stream_at(r, i);

	memset(info, 0, sizeof *info);
	info->index = (unsigned)i;
	cap_endpoint(ipver_of(s), s->addr[0], s->port[0], info->endpoint[0], sizeof info->endpoint[0]);
	cap_endpoint(ipver_of(s), s->addr[1], s->port[1], info->endpoint[1], sizeof info->endpoint[1]);
	info->packets = s->packets;
	info->bytes[0] = s->bytes[0];
	info->bytes[1] = s->bytes[1];
	info->first_frame = s->first_frame;
	info->last_frame = s->last_frame;
	info->first_ns = s->first_ns;
	info->last_ns = s->last_ns;
	info->handshake = s->handshake;
	info->midstream = s->midstream;
	if (s->refused)
		info->end = CAP_END_REFUSED;
	else if (s->rst)
		info->end = CAP_END_RST;
	else if (s->fin == 3)
		info->end = CAP_END_FIN;
	else if (s->fin != 0)
		info->end = CAP_END_HALF;
	else
		info->end = CAP_END_OPEN;
	for (int h = 0; h < 2; h++)
		info->final[h] = r->follow != SIZE_MAX && i != r->follow ? TT_CLOSED  /* not observed */
		                 : s->live ? tt_obs_state(obs_of(r, s), h)
		                 : s->packets == 1 ? (enum tt_state)(s->u.first.states >> 4 * h & 15)
		                 : tt_obs_rest_state(&r->rests[s->u.rest], h);
}
