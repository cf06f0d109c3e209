/* capture/stream.h: what the stream table's per-frame path (stream.c) and
 * its upkeep (table.c) share: the per-stream records, struct cap_replay and
 * the calls between the two. Private to capture/; capture.h is the API.
 */
#ifndef TT_CAPTURE_STREAM_H
#define TT_CAPTURE_STREAM_H

#include <stddef.h>
#include <stdint.h>

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
	struct cap_flights *fl;   /* with CAP_VIEWS, from its first row: in flight */
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
	int32_t flight;           /* as cap_seg's */
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
#ifndef LIVE_MAX               /* tests/fuzz_replay.c makes it small */
#define LIVE_MAX 2048
#endif

struct cap_replay {
	unsigned opts;            /* CAP_ROWS, CAP_VIEWS */
	size_t follow;            /* the one stream observed (cap_replay_follow),
	                           * SIZE_MAX: all */
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
	uint32_t free_at[LIVE_MAX + 1]; /* places on the clock given back, taken first:
	                           * a stream is put to rest only when every
	                           * place is held (distinct places, and at
	                           * most one the hand took back since) */
	size_t nfree_at;
	struct tt_obs_rest *rests; /* observers at rest, of streams past one segment */
	uint32_t *free_rests;     /* places in rests given back by streams that woke */
	size_t nrests, nfree, rests_cap, free_cap;
	struct stream **blocks;
	struct stream_rows **rblocks; /* beside blocks, with CAP_ROWS */
	size_t nblocks, nstreams, blocks_cap, rblocks_cap;
	struct slot recent[RECENT];
	uint32_t *sidx;           /* open addressing, linear probing: stream + 1 */
	uint8_t *stag;            /* beside sidx: TAG() of the stream's hash, 0 free */
	size_t nslots;            /* power of two */
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct cap_probe_stats stats;
	int rekey_due;            /* a probe went past PROBE_LIMIT */
};

static inline struct stream *
stream_at(const struct cap_replay *r, size_t i)
{
	return &r->blocks[i >> BLOCK_SHIFT][i & (BLOCK - 1)];
}

#define WS_NONE 15

static inline int
ipver_of(const struct stream *s)
{
	return s->v6 ? 6 : 4;
}

/* The shift side offered (RFC 7323 §2.3: past 14 it counts as 14), -1 none. */
static inline int
wscale_of(const struct stream *s, int side)
{
	unsigned w = side ? s->wscale1 : s->wscale0;

	return w == WS_NONE ? -1 : (int)w;
}

static inline void
set_wscale(struct stream *s, int side, int shift)
{
	unsigned w = shift < 0 ? WS_NONE : shift > 14 ? 14 : (unsigned)shift;

	if (side)
		s->wscale1 = w & 15;
	else
		s->wscale0 = w & 15;
}

static inline struct stream_rows *
rows_at(const struct cap_replay *r, size_t i)
{
	return &r->rblocks[i >> BLOCK_SHIFT][i & (BLOCK - 1)];
}

static inline struct tt_obs *
obs_of(const struct cap_replay *r, const struct stream *s)
{
	return s->live ? r->clock[s->at].obs : NULL;
}

static inline struct held *
ring_at(const struct cap_replay *r, uint64_t id)
{
	return &r->ring[id % RING];
}

/* stream.c: the 4-tuple's keyed hash, the same both ways; what an
 * observer said, onto the held rows; a stream whose connection has ended
 * with nothing in flight gives its observer back. */
uint32_t cap_stream_hash_tuple(const unsigned char *key, int ipver, const uint8_t *a, uint16_t ap,
                               const uint8_t *b, uint16_t bp);
void cap_stream_apply(struct cap_replay *r, const struct tt_obs_out *oo);
void cap_stream_retire(struct cap_replay *r, struct stream *s);
/* table.c: the slots rebuilt with n of them (with rekey, under a new key);
 * a new stream record for p; an observer put to rest (0, or -1 when out of
 * memory); the oldest waiting row's stream settled when the ring is full. */
int cap_table_rebuild(struct cap_replay *r, size_t n, int rekey);
struct stream *cap_table_new_stream(struct cap_replay *r, const struct cap_pkt *p,
                                    int sender_is_client);
int cap_table_give_back(struct cap_replay *r, struct stream *s);
void cap_table_settle_oldest(struct cap_replay *r);
/* A stream at rest takes an observer again, woken with what it kept (this
 * segment counted already); 0, or -1 when out of memory. */
int cap_table_wake(struct cap_replay *r, size_t idx, struct stream *s);

#endif
