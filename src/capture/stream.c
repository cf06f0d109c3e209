/* capture/stream.c: a frame's way through the stream table.
 *
 * Streams are numbered as Wireshark's tcp.stream: in order of first
 * appearance, and a SYN (without ACK) whose seq differs from the one that
 * opened the current stream of its 4-tuple starts a new stream (port reuse).
 * Per stream one fixed-size record (kept in blocks, never moved) and one
 * slot in an open-addressing hash table keyed by the 4-tuple, hashed with
 * a key drawn per run (SipHash, libsodium's crypto_shorthash) so that no
 * capture can be crafted to collide; nothing is allocated per packet.
 * Each segment goes through Wireshark's analysis rules (analysis.c) and the
 * engine's observer (engine/observer.c): two engine connections that infer
 * both endpoints' RFC 9293 states. A row waits in a ring until the observer
 * says its states are final (its segment's arrival may be decided only by
 * the receiver's next segment). Here is what every frame goes through:
 * finding its stream, counting it, its row, its observer; table.c keeps
 * the table up (growing it, the observers at rest) and hands rows out.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stream.h"

/* The 4-tuple's keyed hash, the same in both directions: the two
 * endpoints (address, port) in a fixed order, then SipHash. */
uint32_t
cap_stream_hash_tuple(const unsigned char *key, int ipver, const uint8_t *a, uint16_t ap,
                      const uint8_t *b, uint16_t bp)
{
	size_t alen = ipver == 4 ? 4 : 16;
	unsigned char in[1 + 2 * (16 + 2)], out[crypto_shorthash_BYTES];
	int c = memcmp(a, b, alen);
	size_t n = 0;
	uint32_t h;

	if (c > 0 || (c == 0 && ap > bp)) {
		const uint8_t *t = a;
		uint16_t tp = ap;

		a = b;
		ap = bp;
		b = t;
		bp = tp;
	}
	in[n++] = (unsigned char)ipver;
	memcpy(in + n, a, alen);
	n += alen;
	in[n++] = (unsigned char)(ap >> 8);
	in[n++] = (unsigned char)ap;
	memcpy(in + n, b, alen);
	n += alen;
	in[n++] = (unsigned char)(bp >> 8);
	in[n++] = (unsigned char)bp;
	crypto_shorthash(out, in, n, key);
	memcpy(&h, out, sizeof h);
	return h;
}

/* The same in both directions, unkeyed: only a hint (cap_replay_frame). */
static inline uint32_t
cheap_hash(const struct cap_pkt *p)
{
	uint32_t x = (uint32_t)(p->sport ^ p->dport), a, b;

	for (int k = 0; k < (p->ipver == 4 ? 1 : 4); k++) {
		memcpy(&a, p->src + 4 * k, 4);
		memcpy(&b, p->dst + 4 * k, 4);
		x ^= a ^ b;
	}
	x *= 0x9e3779b1u;
	return x ^ (x >> 16);
}

static uint32_t
tuple_hash(const struct cap_replay *r, const struct cap_pkt *p)
{
	return cap_stream_hash_tuple(r->key, p->ipver, p->src, p->sport, p->dst, p->dport);
}

uint32_t
cap_replay_hash(const struct cap_replay *r, const struct cap_pkt *pkt)
{
	return tuple_hash(r, pkt);
}

/* -1: not this stream; else the sender's side (0 client, 1 server). */
static inline int
tuple_side(const struct stream *s, const struct cap_pkt *p)
{
	size_t alen = p->ipver == 4 ? 4 : 16;

	if (ipver_of(s) != p->ipver)
		return -1;
	if (alen == 4) {
		uint32_t a0, a1, ps, pd;

		memcpy(&a0, s->addr[0], 4);
		memcpy(&a1, s->addr[1], 4);
		memcpy(&ps, p->src, 4);
		memcpy(&pd, p->dst, 4);
		for (int d = 0; d < 2; d++)
			if (s->port[d] == p->sport && s->port[!d] == p->dport &&
			    (d ? a1 : a0) == ps && (d ? a0 : a1) == pd)
				return d;
		return -1;
	}
	for (int d = 0; d < 2; d++)
		if (s->port[d] == p->sport && s->port[!d] == p->dport &&
		    memcmp(s->addr[d], p->src, alen) == 0 && memcmp(s->addr[!d], p->dst, alen) == 0)
			return d;
	return -1;
}

/* Counts one probe sequence of `len` slots. */
static void
probed(struct cap_replay *r, unsigned len)
{
	r->stats.lookups++;
	r->stats.probes += len;
	if (len > r->stats.longest)
		r->stats.longest = len;
	if (len > PROBE_LIMIT)
		r->rekey_due = 1;
}

/* The sender of a SYN,ACK is the server; of anything else that opens a
 * stream, the client (doc/design.md: the client sent the first SYN). */
static int
opener_is_client(const struct cap_pkt *p)
{
	return (p->flags & (TT_SYN | TT_ACK)) != (TT_SYN | TT_ACK);
}

/* Probes the table for p's stream (hash h): the stream, the sender's side
 * in *side and its slot in *slot; or NULL with the free slot where it
 * would go. */
static struct stream *
probe(struct cap_replay *r, const struct cap_pkt *p, uint32_t h, size_t *slot, int *side)
{
	struct stream *s = NULL;
	unsigned len = 0;
	size_t j;

	for (j = h & (r->nslots - 1); r->stag[j] != 0; j = (j + 1) & (r->nslots - 1)) {
		len++;
		if (r->stag[j] != TAG(h))
			continue;
		s = stream_at(r, r->sidx[j] - 1);
		if (s->hash != h)
			continue;
		*side = tuple_side(s, p);
		if (*side >= 0)
			break;
	}
	probed(r, len);
	*slot = j;
	return r->stag[j] != 0 ? s : NULL;
}

/* A new stream for p in the free slot j (the table doubled first when it
 * would pass half full); its index in *idx, the sender's side in *side. */
static struct stream *
add_stream(struct cap_replay *r, const struct cap_pkt *p, uint32_t h, size_t j, size_t *idx,
           int *side)
{
	struct stream *s;

	if ((r->nstreams + 1) * 2 > r->nslots) {
		if (cap_table_rebuild(r, r->nslots * 2, 0) < 0)
			return NULL;
		for (j = h & (r->nslots - 1); r->stag[j] != 0; j = (j + 1) & (r->nslots - 1))
			;
	}
	s = cap_table_new_stream(r, p, opener_is_client(p));
	if (s == NULL)
		return NULL;
	*idx = r->nstreams - 1;
	s->hash = h;
	r->sidx[j] = (uint32_t)r->nstreams;
	r->stag[j] = TAG(h);
	*side = opener_is_client(p) ? 0 : 1;
	return s;
}

/* The stream p belongs to, found or made: its index in *idx, the sender's
 * side in *side. NULL when out of memory. */
static struct stream *
find_stream(struct cap_replay *r, const struct cap_pkt *p, size_t *idx, int *side)
{
	int syn_only = (p->flags & (TT_SYN | TT_ACK)) == TT_SYN;
	struct stream *s;
	struct slot *rc;
	uint32_t h, *seen;
	size_t j;

	/* a long probe last time: a new key before going on (rarely twice in
	 * a row: after a rebuild under a random key it takes new collisions) */
	if (r->rekey_due) {
		r->rekey_due = 0;
		if (cap_table_rebuild(r, r->nslots, 1) < 0)
			return NULL;
	}
	/* a stream seen lately, unless this SYN may start a new one: found by
	 * a cheap hash and checked against the whole tuple, so a crafted file
	 * can only make it miss, never make it slow */
	seen = &r->seen[cheap_hash(p) & (RECENT - 1)];
	if (*seen != 0 && !syn_only) {
		s = stream_at(r, *seen - 1);
		if ((*side = tuple_side(s, p)) >= 0) {
			*idx = *seen - 1;
			return s;
		}
	}
	h = tuple_hash(r, p);
	rc = &r->recent[h & (RECENT - 1)];
	if (rc->idx != 0 && rc->hash == h && !syn_only) {
		s = stream_at(r, rc->idx - 1);
		if ((*side = tuple_side(s, p)) >= 0) {
			*idx = rc->idx - 1;
			goto hit;
		}
	}
	if ((s = probe(r, p, h, &j, side)) == NULL) {
		s = add_stream(r, p, h, j, idx, side);
	} else if (syn_only && (s->base_set & (1u << *side)) && p->seq != s->base_seq[*side]) {
		/* Wireshark: a new SYN with another ISN on a known 4-tuple is
		 * port reuse and starts a new stream */
		s = cap_table_new_stream(r, p, 1);
		if (s != NULL) {
			*idx = r->nstreams - 1;
			s->hash = h;
			r->sidx[j] = (uint32_t)r->nstreams;
			*side = 0;
		}
	} else {
		*idx = r->sidx[j] - 1;
	}
	if (s == NULL)
		return NULL;
hit:
	rc->hash = h;
	rc->idx = (uint32_t)*idx + 1;
	*seen = (uint32_t)*idx + 1;
	return s;
}

/* What --streams tells of a stream: counts, times, the handshake and how
 * it ended. */
static void
count_segment(struct stream *s, int side, uint64_t frame, int64_t time_ns, const struct cap_pkt *p)
{
	if (s->packets == 0) {
		s->first_frame = frame;
		s->first_ns = time_ns;
	}
	s->packets++;
	s->last_frame = frame;
	s->last_ns = time_ns;
	s->bytes[side] += p->len;
	if ((p->flags & (TT_SYN | TT_ACK)) == TT_SYN && side == 0) {
		s->saw_syn = 1;
	} else if ((p->flags & (TT_SYN | TT_ACK)) == (TT_SYN | TT_ACK) && side == 1) {
		s->saw_synack = s->saw_syn;
	} else if (s->saw_synack && !s->handshake && side == 0 && (p->flags & TT_ACK) &&
	           !(p->flags & (TT_SYN | TT_RST)) && p->seq == s->base_seq[0] + 1) {
		s->handshake = 1;
	}
	if (p->flags & TT_RST)
		s->rst = 1;
	if (p->flags & TT_FIN)
		s->fin |= 1u << side;
	/* the server's first word is a RST to the SYN: it never listened */
	if (side == 1 && !(s->spoke & 2) && s->saw_syn && !s->saw_synack && (p->flags & TT_RST))
		s->refused = 1;
	s->spoke |= 1u << side;
}

/* ---- the frame's row and its observer -------------------------------------- */

/* What the observer said: events at their rows, and each endpoint's TCB
 * after them on every row of the stream from there on (per endpoint the
 * effects come in row order, so the last word on a row is the right one). */
void
cap_stream_apply(struct cap_replay *r, const struct tt_obs_out *oo)
{
	for (unsigned i = 0; i < oo->n; i++) {
		const struct tt_obs_effect *e = &oo->e[i];
		struct held *row;

		if (e->row < r->head || e->row > r->tail)
			continue;       /* out already: cannot happen (tt_obs_settled) */
		row = ring_at(r, e->row);
		if (e->flags & TT_OBS_LOST) {   /* says nothing of states */
			row->obs |= TT_OBS_LOST;
			continue;
		}
		if (e->flags & TT_OBS_INFERRED)
			row->obs |= TT_OBS_INFERRED;
		if ((e->flags & TT_OBS_CROSSED) && e->arrived >= r->head) {
			struct held *sent = ring_at(r, e->arrived);

			sent->obs |= TT_OBS_CROSSED;
			sent->arrived_after = row->frame;
		}
		for (unsigned k = 0; k < e->nev; k++) {
			struct held_ev *ce;

			if (row->nev == TT_STEP_EVENTS) {
				if (row->lost_events < UINT8_MAX)
					row->lost_events++;
				continue;
			}
			ce = &row->ev[row->nev++];
			ce->host = (uint8_t)e->host;
			ce->arrived = e->arrived >= r->head && e->arrived != 0
			                      ? ring_at(r, e->arrived)->frame : 0;
			ce->flags = (uint8_t)e->flags;
			ce->reason = (uint8_t)e->ev[k].reason;
			ce->from = (uint8_t)e->ev[k].from;
			ce->to = (uint8_t)e->ev[k].to;
			ce->error = (uint8_t)e->ev[k].error;
		}
		/* the stream's rows from there on, linked through next_row */
		for (uint64_t id = e->row; id != 0 && id <= r->tail; id = r->next_row[id % RING]) {
			ring_at(r, id)->state[e->host] = (uint8_t)e->tcb.state;
			if (r->views != NULL)
				r->views[id % RING][e->host] = e->tcb;
		}
	}
}

/* The connection has ended and nothing is in flight: the observer goes,
 * its endpoints' last numbers stay (a late segment wakes them). */
static inline void
maybe_retire(struct cap_replay *r, struct stream *s)
{
	struct tt_obs *obs = obs_of(r, s);
	enum tt_state a, b;

	/* a connection ends with a FIN or a RST */
	if ((!s->fin && !s->rst) || tt_obs_settled(obs) != UINT64_MAX)
		return;
	a = tt_obs_state(obs, 0);
	b = tt_obs_state(obs, 1);
	if ((a != TT_CLOSED && a != TT_TIME_WAIT) || (b != TT_CLOSED && b != TT_TIME_WAIT))
		return;
	(void)cap_table_give_back(r, s);  /* out of memory: it stays live, which is never wrong */
}

void
cap_stream_retire(struct cap_replay *r, struct stream *s)
{
	maybe_retire(r, s);
}

/* The windows as the two SYNs agreed (RFC 7323 §2.2: a SYN is never
 * scaled, and only when both offered the option); when the SYNs were not
 * captured the scale is not known and the widest is assumed. */
static inline uint32_t
scaled_window(const struct stream *s, int side, const struct cap_pkt *p)
{
	int sh;

	if (p->flags & TT_SYN)
		return p->win;
	if (s->syn_seen == 3)
		sh = wscale_of(s, 0) >= 0 && wscale_of(s, 1) >= 0 ? wscale_of(s, side) : 0;
	else if ((s->syn_seen & (1u << side)) && wscale_of(s, side) < 0)
		sh = 0;
	else
		sh = 14;
	return (uint32_t)p->win << (sh > 14 ? 14 : sh);
}

/* p goes to the stream's observer (woken first when it rests); row takes
 * the states before it and what the observer makes of it. 0, or -1 when
 * out of memory. */
static inline int
observe(struct cap_replay *r, size_t idx, struct stream *s, int side, const struct cap_pkt *p,
        int64_t time_ns, struct held *row)
{
	struct tt_obs_out *oo = (r->opts & CAP_ROWS) ? r->oout : NULL;
	struct tt_obs *obs;
	struct tt_seg seg;

	s->used = 1;
	if (!s->live && cap_table_wake(r, idx, s) < 0)
		return -1;
	obs = r->clock[s->at].obs;
	if (p->flags & TT_SYN) {
		s->syn_seen |= 1u << side;
		set_wscale(s, side, p->opt.wscale);
	}
	memset(&seg, 0, sizeof seg);
	seg.seq = p->seq;
	seg.ack = p->ack;
	seg.wnd = scaled_window(s, side, p);
	seg.flags = p->flags;
	seg.mss = p->opt.mss;
	seg.up = p->urp;
	seg.len = p->len;
	if (s->packets == 1)
		s->u.first = (struct first_seg){ seg.seq, seg.ack, seg.wnd, seg.len, seg.flags, seg.mss,
		                                 seg.up, (uint8_t)side, 0 };
	for (int h = 0; h < 2 && (r->opts & CAP_ROWS); h++) {
		row->state[h] = (uint8_t)tt_obs_state(obs, h);
		if (r->views != NULL)
			tt_obs_view(obs, h, &r->views[r->tail % RING][h]);
	}
	if (oo != NULL)
		oo->n = 0;
	row->obs = tt_obs_segment(obs, side, &seg, r->tail, time_ns / 1000, oo);
	if (oo != NULL)
		cap_stream_apply(r, oo);
	maybe_retire(r, s);
	return 0;
}

/* The bytes in flight after a row's segment, as Wireshark counts them
 * (capture/analysis.h); the stream's list is made at its first row. */
static int
flight_of(struct stream_rows *sr, const struct stream *s, int side, const struct cap_pkt *p,
          struct held *out)
{
	int64_t f;

	if (sr->fl == NULL) {
		if ((sr->fl = malloc(sizeof *sr->fl)) == NULL)
			return -1;
		cap_flights_init(sr->fl);
	}
	f = cap_flights_segment(sr->fl, side, s->base_seq[side], p->seq, p->ack, p->len, p->flags,
	                        out->notes, (const uint32_t(*)[2])p->opt.sack, p->opt.nsack);
	if (f == -2)
		return -1;
	out->flight = (int32_t)f;
	return 0;
}

/* A new row for p at the ring's tail, made before the stream counts p
 * (s->packets is the segments before it); the oldest waiting stream is
 * settled first when CAP_HELD rows wait. NULL when out of memory. */
static struct held *
add_row(struct cap_replay *r, size_t idx, const struct stream *s, int side, uint64_t frame,
        int64_t time_ns, const struct cap_pkt *p)
{
	struct stream_rows *sr = rows_at(r, idx);
	uint64_t prev = r->tail - (uint32_t)((uint32_t)r->tail - sr->last_row);
	struct held *out;

	if (r->tail - r->head >= CAP_HELD)
		cap_table_settle_oldest(r);
	out = &r->ring[r->tail % RING];
	/* linked behind the stream's row before, if that one still waits */
	if (s->packets > 0 && prev >= r->head && prev < r->tail)
		r->next_row[prev % RING] = r->tail;
	r->next_row[r->tail % RING] = 0;
	sr->last_row = (uint32_t)r->tail;
	memset(out, 0, offsetof(struct held, ev));
	out->frame = frame;
	out->time_ns = time_ns;
	out->stream = (unsigned)idx;
	out->dir = side;
	out->seq = p->seq;
	out->ack = p->ack;
	out->len = p->len;
	out->flags = p->flags;
	out->win = p->win;
	out->notes = cap_analysis_segment(&sr->an, side, time_ns, p->seq, p->ack, p->len,
	                                  p->flags, p->win);
	out->rel_seq = p->seq - s->base_seq[side];
	out->rel_ack = (p->flags & TT_ACK) ? p->ack - s->base_seq[!side] : 0;
	if (p->caplen_payload < p->len || p->opt.bad)
		out->notes |= TT_NOTE(TRUNCATED);
	out->flight = -1;
	if (r->views != NULL && flight_of(sr, s, side, p, out) < 0)
		return NULL;
	return out;
}

long
cap_replay_frame(struct cap_replay *r, uint64_t frame, int64_t time_ns, const struct cap_pkt *p)
{
	struct held one, *out = &one;
	struct stream *s;
	size_t idx;
	int side;

	if ((s = find_stream(r, p, &idx, &side)) == NULL)
		return -1;
	s->base_set = tt_trace_learn(s->base_seq, s->base_set, side, p->seq, p->ack, p->flags);
	if (r->follow != SIZE_MAX && idx != r->follow) {
		count_segment(s, side, frame, time_ns, p);      /* another stream: no row */
		return (long)idx;
	}
	if (r->opts & CAP_ROWS) {
		if ((out = add_row(r, idx, s, side, frame, time_ns, p)) == NULL)
			return -1;
	} else
		out->obs = 0;           /* --streams: no row, no notes */
	count_segment(s, side, frame, time_ns, p);
	if (observe(r, idx, s, side, p, time_ns, out) < 0)
		return -1;
	if (out->obs & TT_OBS_MIDSTREAM) {
		s->midstream = 1;
		out->notes |= TT_NOTE(MID_STREAM);
	}
	r->tail++;
	if (!(r->opts & CAP_ROWS))
		r->head = r->tail;
	return (long)idx;
}
