/* capture/stream.c: the stream table that turns decoded frames into rows.
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
 * the receiver's next segment); a stream whose connection has ended gives
 * its observer back (and so does one not seen lately, when many are live)
 * and keeps its numbers in a few bytes until a later segment wakes them.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capture/analysis.h"
#include "capture/capture.h"

/* A stream at rest after its first segment keeps that segment rather than
 * its observer's ends: the observer is what the segment made of a new one,
 * so waking feeds it again (a SYN flood's stream never speaks twice, and
 * this is a third of struct tt_obs_rest). */
struct first_seg {
	uint32_t seq, ack, wnd, len;  /* as the observer was given them (wnd scaled) */
	uint16_t flags, mss, up;
	uint8_t side;             /* its sender */
	uint8_t states;           /* the observer's states after it: client | server << 4 */
};

/* One per stream, for the whole run: so it is kept small (a SYN flood of a
 * million streams is a million of these). Its index is its place in the
 * blocks; what only rows need is kept apart (struct stream_rows). */
struct stream {
	uint8_t addr[2][16];      /* client, server */
	uint16_t port[2];
	uint32_t base_seq[2];     /* Wireshark's relative bases (tt_trace_learn) */
	unsigned base_set : 2;    /* bit d: base_seq[d] is known */
	unsigned v6 : 1;          /* IPv6, else IPv4 */
	unsigned wscale0 : 4, wscale1 : 4; /* RFC 7323 shift each side offered on its
	                           * SYN (0-14), WS_NONE: none */
	unsigned saw_syn : 1, saw_synack : 1, handshake : 1, midstream : 1, rst : 1,
	         refused : 1;
	unsigned fin : 2, syn_seen : 2, spoke : 2; /* bit d: sent by side d */
	unsigned used : 1;        /* a segment since the clock hand last passed */
	unsigned live : 1;        /* it holds an observer, at clock[at] */
	uint64_t packets, bytes[2], first_frame, last_frame;
	int64_t first_ns, last_ns;
	uint32_t at;              /* live: its place on the clock */
	union {
		struct first_seg first;   /* one segment seen: that segment (kept from
		                           * then on, used at rest) */
		uint32_t rest;            /* more seen, not live: the observer's ends at
		                           * rests[rest] */
	} u;
	uint32_t hash;            /* the 4-tuple's keyed hash (tuple_hash) */
};

/* What only a run with rows keeps per stream: Wireshark's analysis and
 * where its newest row waits. */
struct stream_rows {
	struct cap_analysis an;
	uint32_t last_row;        /* its newest row in the ring (row id, low bits) */
};

#define BLOCK_SHIFT 12
#define BLOCK (1u << BLOCK_SHIFT)

/* The recent table keeps the hash beside the index; the big one keeps a
 * byte of it (the tag, never 0: 0 marks a free slot) in an array of its
 * own beside the indexes, so that a probe reads that small array and
 * touches an index and a stream record only on a likely match; 5 bytes a
 * slot. */
#define TAG(h) ((uint8_t)((h) >> 24) != 0 ? (uint8_t)((h) >> 24) : (uint8_t)1)

struct slot {
	uint32_t hash;
	uint32_t idx;             /* stream index + 1, 0: free */
};

/* Streams seen lately, direct-mapped by hash: segments of one connection
 * come in bursts, and this small table stays in the cache where the big
 * one does not. */
#define RECENT 1024

/* A probe past this many slots means the keys collide more than chance
 * allows at a load of at most one half: the table takes a new key. */
#define PROBE_LIMIT 48

/* A row while it waits: struct cap_seg without the TCB views (kept apart,
 * with CAP_VIEWS only) and with events in a few bytes each, so that the
 * ring stays small in the cache. */
struct held_ev {
	uint64_t arrived;         /* frame, 0: a send */
	uint8_t host, flags, reason, from, to, error;
};

struct held {
	uint64_t frame, arrived_after;
	int64_t time_ns;
	unsigned stream, notes, obs;
	int dir;
	uint32_t seq, ack, len, rel_seq, rel_ack;
	uint16_t flags, win;
	uint8_t state[2], nev, lost_events;
	struct held_ev ev[TT_STEP_EVENTS];
};

/* Rows wait here in frame order until final; row ids count every frame
 * fed, so row id k sits at ring[k % RING]. A power of two (room for
 * CAP_HELD and the one being added), so that the index is a mask, not a
 * division, on every row. */
#define RING (2 * CAP_HELD)
/* Observers kept for reuse: a busy capture opens and ends connections all
 * the time, and each observer is two TCBs and its segments in flight. */
#define SPARE 64
/* At most this many streams hold an observer; past it the one least lately
 * seen (a clock hand over them) settles and rests (struct tt_obs_rest): a
 * SYN flood of a million streams keeps a million small records, not a
 * million observers. */
#define LIVE_MAX 2048

struct cap_replay {
	unsigned opts;            /* CAP_ROWS, CAP_VIEWS */
	struct held *ring;
	struct tt_tcb_view (*views)[2]; /* beside ring, with CAP_VIEWS */
	uint64_t *next_row;       /* beside ring: the stream's next row id, 0 none */
	uint64_t head, tail;      /* row ids: [head, tail) wait */
	int finishing;
	struct tt_obs_out *oout;  /* one call's effects */
	struct tt_obs *spare[SPARE]; /* observers given back, for the next streams */
	size_t nspare;
	uint32_t seen[RECENT];    /* stream index + 1 by a cheap hash of the tuple */
	struct {
		uint32_t stream;  /* stream + 1, 0: none */
		struct tt_obs *obs;
	} clock[LIVE_MAX];        /* the streams that hold an observer */
	size_t nclock, hand;
	struct tt_obs_rest *rests; /* observers at rest, of streams past one segment */
	uint32_t *free_rests;     /* places in rests given back by streams that woke */
	size_t nrests, nfree, rests_cap;
	struct stream **blocks;
	struct stream_rows **rblocks; /* beside blocks, with CAP_ROWS */
	size_t nblocks, nstreams;
	struct slot recent[RECENT];
	uint32_t *sidx;           /* open addressing, linear probing: stream + 1 */
	uint8_t *stag;            /* beside sidx: TAG() of the stream's hash, 0 free */
	size_t nslots;            /* power of two */
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct cap_probe_stats stats;
	int rekey_due;            /* a probe went past PROBE_LIMIT */
};

static struct stream *
stream_at(const struct cap_replay *r, size_t i)
{
	return &r->blocks[i >> BLOCK_SHIFT][i & (BLOCK - 1)];
}

#define WS_NONE 15

static int
ipver_of(const struct stream *s)
{
	return s->v6 ? 6 : 4;
}

/* The shift side offered (RFC 7323 §2.3: past 14 it counts as 14), -1 none. */
static int
wscale_of(const struct stream *s, int side)
{
	unsigned w = side ? s->wscale1 : s->wscale0;

	return w == WS_NONE ? -1 : (int)w;
}

static void
set_wscale(struct stream *s, int side, int shift)
{
	unsigned w = shift < 0 ? WS_NONE : shift > 14 ? 14 : (unsigned)shift;

	if (side)
		s->wscale1 = w & 15;
	else
		s->wscale0 = w & 15;
}

static struct stream_rows *
rows_at(const struct cap_replay *r, size_t i)
{
	return &r->rblocks[i >> BLOCK_SHIFT][i & (BLOCK - 1)];
}

static struct tt_obs *
obs_of(const struct cap_replay *r, const struct stream *s)
{
	return s->live ? r->clock[s->at].obs : NULL;
}

struct cap_replay *
cap_replay_new(unsigned opts)
{
	struct cap_replay *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->opts = opts;
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

/* The 4-tuple's keyed hash, the same in both directions: the two
 * endpoints (address, port) in a fixed order, then SipHash. */
static uint32_t
hash_tuple(const unsigned char *key, int ipver, const uint8_t *a, uint16_t ap,
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
static uint32_t
cheap_hash(const struct cap_pkt *p)
{
	uint32_t x = (uint32_t)(p->sport ^ p->dport), a;

	for (int k = 0; k < (p->ipver == 4 ? 1 : 4); k++) {
		uint32_t b;

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
	return hash_tuple(r->key, p->ipver, p->src, p->sport, p->dst, p->dport);
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


/* Rebuilds the table with n slots; with `rekey`, under a new random key
 * (every slot's hash computed again from its stream's 4-tuple). */
static int
rebuild_slots(struct cap_replay *r, size_t n, int rekey)
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
			s->hash = hash_tuple(r->key, ipver_of(s), s->addr[0], s->port[0], s->addr[1],
			                     s->port[1]);
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

static const struct stream zero_stream;   /* see zero_pkt in decode.c */

/* One more block of streams (and of their rows' part). */
static int
grow_blocks(struct cap_replay *r)
{
	struct stream **b = realloc(r->blocks, (r->nblocks + 1) * sizeof *b);

	if (b == NULL)
		return -1;
	r->blocks = b;
	if (r->opts & CAP_ROWS) {
		struct stream_rows **rb = realloc(r->rblocks, (r->nblocks + 1) * sizeof *rb);

		if (rb == NULL)
			return -1;
		r->rblocks = rb;
		if ((rb[r->nblocks] = malloc(BLOCK * sizeof **rb)) == NULL)
			return -1;
	}
	if ((b[r->nblocks] = malloc(BLOCK * sizeof **b)) == NULL) {
		if (r->opts & CAP_ROWS)
			free(r->rblocks[r->nblocks]);
		return -1;
	}
	r->nblocks++;
	return 0;
}

static struct stream *
new_stream(struct cap_replay *r, const struct cap_pkt *p, int sender_is_client)
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
	if (r->opts & CAP_ROWS)
		cap_analysis_init(&rows_at(r, r->nstreams)->an);
	r->nstreams++;
	return s;
}

/* The sender of a SYN,ACK is the server; of anything else that opens a
 * stream, the client (doc/design.md: the client sent the first SYN). */
static int
opener_is_client(const struct cap_pkt *p)
{
	return (p->flags & (TT_SYN | TT_ACK)) != (TT_SYN | TT_ACK);
}

/* ---- rows and the observer ------------------------------------------ */

static struct held *
ring_at(const struct cap_replay *r, uint64_t id)
{
	return &r->ring[id % RING];
}

/* What the observer said: events at their rows, and each endpoint's TCB
 * after them on every row of the stream from there on (per endpoint the
 * effects come in row order, so the last word on a row is the right one). */
static void
apply(struct cap_replay *r, const struct tt_obs_out *oo)
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

/* A place in rests; -1 when out of memory. */
static long
rest_place(struct cap_replay *r)
{
	if (r->nfree > 0)
		return (long)r->free_rests[--r->nfree];
	if (r->nrests == r->rests_cap) {
		size_t n = r->rests_cap ? 2 * r->rests_cap : 1024;
		struct tt_obs_rest *rs = realloc(r->rests, n * sizeof *rs);
		uint32_t *fr;

		if (rs == NULL)
			return -1;
		r->rests = rs;
		if ((fr = realloc(r->free_rests, n * sizeof *fr)) == NULL)
			return -1;
		r->free_rests = fr;
		r->rests_cap = n;
	}
	return (long)r->nrests++;
}

/* The observer goes to rest: its ends kept (its first segment, or a place
 * in rests), itself spare. 0, or -1 when out of memory (it stays live). */
static int
give_back(struct cap_replay *r, struct stream *s)
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
			if (o->live && give_back(r, o) < 0)
				return SIZE_MAX;
		}
		r->clock[at].stream = (uint32_t)idx + 1;
		return at;
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
	(void)give_back(r, s);  /* out of memory: it stays live, which is never wrong */
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
		apply(r, oo);
	maybe_retire(r, s);
}

/* The ring is full: the oldest row's stream is settled without waiting
 * for more evidence. */
static void
settle_oldest(struct cap_replay *r)
{
	struct held *old = ring_at(r, r->head);

	settle(r, stream_at(r, old->stream), old->time_ns);
	/* rows nobody took out: the oldest is dropped rather than overwritten */
	if (r->tail - r->head >= RING - 1)
		r->head++;
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

static inline int
observe(struct cap_replay *r, size_t idx, struct stream *s, int side, const struct cap_pkt *p,
        int64_t time_ns, struct held *row)
{
	struct tt_obs_out *oo = (r->opts & CAP_ROWS) ? r->oout : NULL;
	struct tt_obs *obs;
	struct tt_seg seg;

	s->used = 1;
	if (!s->live) {
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
	}
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
		apply(r, oo);
	maybe_retire(r, s);
	return 0;
}

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

long
cap_replay_frame(struct cap_replay *r, uint64_t frame, int64_t time_ns, const struct cap_pkt *p)
{
	struct held one, *out = &one;
	uint32_t h;
	size_t j, idx;
	unsigned len = 0;
	struct stream *s = NULL;
	int side = -1;
	struct slot *rc;
	uint32_t *seen;

	/* a long probe last time: a new key before going on (rarely twice in
	 * a row: after a rebuild under a random key it takes new collisions) */
	if (r->rekey_due) {
		r->rekey_due = 0;
		if (rebuild_slots(r, r->nslots, 1) < 0)
			return -1;
	}
	/* a stream seen lately, unless this SYN may start a new one: found by
	 * a cheap hash and checked against the whole tuple, so a crafted file
	 * can only make it miss, never make it slow */
	seen = &r->seen[cheap_hash(p) & (RECENT - 1)];
	if (*seen != 0 && (p->flags & (TT_SYN | TT_ACK)) != TT_SYN) {
		idx = *seen - 1;
		s = stream_at(r, idx);
		side = tuple_side(s, p);
		if (side >= 0)
			goto found;
	}
	h = tuple_hash(r, p);
	rc = &r->recent[h & (RECENT - 1)];
	if (rc->idx != 0 && rc->hash == h && (p->flags & (TT_SYN | TT_ACK)) != TT_SYN) {
		idx = rc->idx - 1;
		s = stream_at(r, idx);
		side = tuple_side(s, p);
		if (side >= 0)
			goto hit;
	}
	for (j = h & (r->nslots - 1); r->stag[j] != 0; j = (j + 1) & (r->nslots - 1)) {
		len++;
		if (r->stag[j] != TAG(h))
			continue;
		s = stream_at(r, r->sidx[j] - 1);
		if (s->hash != h)
			continue;
		side = tuple_side(s, p);
		if (side >= 0)
			break;
	}
	probed(r, len);
	if (r->stag[j] != 0) {
		idx = r->sidx[j] - 1;
		/* Wireshark: a new SYN with another ISN on a known 4-tuple is
		 * port reuse and starts a new stream */
		if ((p->flags & (TT_SYN | TT_ACK)) == TT_SYN && (s->base_set & (1u << side)) &&
		    p->seq != s->base_seq[side]) {
			s = new_stream(r, p, 1);
			if (s == NULL)
				return -1;
			idx = r->nstreams - 1;
			s->hash = h;
			r->sidx[j] = (uint32_t)r->nstreams;
			side = 0;
		}
	} else {
		if ((r->nstreams + 1) * 2 > r->nslots) {
			if (rebuild_slots(r, r->nslots * 2, 0) < 0)
				return -1;
			for (j = h & (r->nslots - 1); r->stag[j] != 0; j = (j + 1) & (r->nslots - 1))
				;
		}
		s = new_stream(r, p, opener_is_client(p));
		if (s == NULL)
			return -1;
		idx = r->nstreams - 1;
		s->hash = h;
		r->sidx[j] = (uint32_t)r->nstreams;
		r->stag[j] = TAG(h);
		side = opener_is_client(p) ? 0 : 1;
	}

hit:
	rc->hash = h;
	rc->idx = (uint32_t)idx + 1;
	*seen = (uint32_t)idx + 1;
found:
	s->base_set = tt_trace_learn(s->base_seq, s->base_set, side, p->seq, p->ack, p->flags);
	if (r->opts & CAP_ROWS) {
		struct stream_rows *sr = rows_at(r, idx);
		uint64_t prev = r->tail - (uint32_t)((uint32_t)r->tail - sr->last_row);

		if (r->tail - r->head >= CAP_HELD)
			settle_oldest(r);
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
	} else {
		out->obs = 0;           /* --streams: no row, no notes */
	}

	if (s->packets == 0) {
		s->first_frame = frame;
		s->first_ns = time_ns;
	}
	s->packets++;
	s->last_frame = frame;
	s->last_ns = time_ns;
	s->bytes[side] += p->len;

	/* handshake and ending, for --streams */
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
		info->final[h] = s->live ? tt_obs_state(obs_of(r, s), h)
		                 : s->packets == 1 ? (enum tt_state)(s->u.first.states >> 4 * h & 15)
		                 : tt_obs_rest_state(&r->rests[s->u.rest], h);
}
