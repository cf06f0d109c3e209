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
 * engine's observer (engine/observer.c), which infers both endpoints' RFC
 * 9293 states.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "capture/analysis.h"
#include "capture/capture.h"

struct stream {
	uint32_t index;
	uint8_t addr[2][16];      /* client, server */
	uint16_t port[2];
	uint8_t ipver;
	uint8_t saw_syn, saw_synack, handshake, midstream, rst, refused;
	uint8_t fin[2];
	uint32_t syn_seq;         /* the client's SYN, for the handshake's ACK */
	struct tt_obs obs;
	struct cap_analysis an;
	uint64_t packets, bytes[2], first_frame, last_frame;
	int64_t first_ns, last_ns;
};

#define BLOCK_SHIFT 12
#define BLOCK (1u << BLOCK_SHIFT)

/* The hash is kept beside the index so that probing and growing the table
 * touch stream records only on a real match. */
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

struct cap_replay {
	struct stream **blocks;
	size_t nblocks, nstreams;
	struct slot recent[RECENT];
	struct slot *slot;        /* open addressing, linear probing */
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

struct cap_replay *
cap_replay_new(void)
{
	struct cap_replay *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	if (sodium_init() < 0) {
		free(r);
		return NULL;
	}
	randombytes_buf(r->key, sizeof r->key);
	r->nslots = 1024;
	r->slot = calloc(r->nslots, sizeof *r->slot);
	if (r->slot == NULL) {
		free(r);
		return NULL;
	}
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
	for (size_t i = 0; i < r->nblocks; i++)
		free(r->blocks[i]);
	free(r->blocks);
	free(r->slot);
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
static int
tuple_side(const struct stream *s, const struct cap_pkt *p)
{
	size_t alen = p->ipver == 4 ? 4 : 16;

	if (s->ipver != p->ipver)
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
	struct slot *slot = calloc(n, sizeof *slot);

	if (slot == NULL)
		return -1;
	if (rekey) {
		randombytes_buf(r->key, sizeof r->key);
		memset(r->recent, 0, sizeof r->recent);
		r->stats.rekeys++;
	}
	for (size_t i = 0; i < r->nslots; i++) {
		size_t j;

		if (r->slot[i].idx == 0)
			continue;
		if (rekey) {
			const struct stream *s = stream_at(r, r->slot[i].idx - 1);

			r->slot[i].hash = hash_tuple(r->key, s->ipver, s->addr[0], s->port[0],
			                             s->addr[1], s->port[1]);
		}
		for (j = r->slot[i].hash & (n - 1); slot[j].idx != 0; j = (j + 1) & (n - 1))
			;
		slot[j] = r->slot[i];
	}
	free(r->slot);
	r->slot = slot;
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

static struct stream *
new_stream(struct cap_replay *r, const struct cap_pkt *p, int sender_is_client)
{
	struct stream *s;
	int c = sender_is_client ? 0 : 1;

	if ((r->nstreams & (BLOCK - 1)) == 0 && (r->nstreams >> BLOCK_SHIFT) == r->nblocks) {
		struct stream **b = realloc(r->blocks, (r->nblocks + 1) * sizeof *b);

		if (b == NULL)
			return NULL;
		r->blocks = b;
		b[r->nblocks] = malloc(BLOCK * sizeof **b);
		if (b[r->nblocks] == NULL)
			return NULL;
		r->nblocks++;
	}
	s = stream_at(r, r->nstreams);
	memset(s, 0, sizeof *s);
	s->index = (uint32_t)r->nstreams;
	s->ipver = p->ipver;
	memcpy(s->addr[c], p->src, 16);
	memcpy(s->addr[!c], p->dst, 16);
	s->port[c] = p->sport;
	s->port[!c] = p->dport;
	tt_obs_init(&s->obs);
	cap_analysis_init(&s->an);
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

int
cap_replay_frame(struct cap_replay *r, uint64_t frame, int64_t time_ns, const struct cap_pkt *p,
                 struct cap_seg *out)
{
	uint32_t h;
	size_t j;
	unsigned len = 0;
	struct stream *s = NULL;
	int side = -1, unheard;
	struct tt_seg seg;
	struct slot *rc;

	/* a long probe last time: a new key before going on (rarely twice in
	 * a row: after a rebuild under a random key it takes new collisions) */
	if (r->rekey_due) {
		r->rekey_due = 0;
		if (rebuild_slots(r, r->nslots, 1) < 0)
			return -1;
	}
	h = tuple_hash(r, p);
	rc = &r->recent[h & (RECENT - 1)];

	/* a stream seen lately, unless this SYN may start a new one */
	if (rc->idx != 0 && rc->hash == h && (p->flags & (TT_SYN | TT_ACK)) != TT_SYN) {
		s = stream_at(r, rc->idx - 1);
		side = tuple_side(s, p);
		if (side >= 0)
			goto found;
	}
	for (j = h & (r->nslots - 1); r->slot[j].idx != 0; j = (j + 1) & (r->nslots - 1)) {
		len++;
		if (r->slot[j].hash != h)
			continue;
		s = stream_at(r, r->slot[j].idx - 1);
		side = tuple_side(s, p);
		if (side >= 0)
			break;
	}
	probed(r, len);
	if (r->slot[j].idx != 0) {
		struct cap_flow *fwd = &s->an.flow[side];

		/* Wireshark: a new SYN with another ISN on a known 4-tuple is
		 * port reuse and starts a new stream */
		if ((p->flags & (TT_SYN | TT_ACK)) == TT_SYN && fwd->base_set && p->seq != fwd->base_seq) {
			s = new_stream(r, p, 1);
			if (s == NULL)
				return -1;
			r->slot[j].idx = (uint32_t)r->nstreams;
			side = 0;
		}
	} else {
		if ((r->nstreams + 1) * 2 > r->nslots) {
			if (rebuild_slots(r, r->nslots * 2, 0) < 0)
				return -1;
			for (j = h & (r->nslots - 1); r->slot[j].idx != 0; j = (j + 1) & (r->nslots - 1))
				;
		}
		s = new_stream(r, p, opener_is_client(p));
		if (s == NULL)
			return -1;
		r->slot[j].hash = h;
		r->slot[j].idx = (uint32_t)r->nstreams;
		side = opener_is_client(p) ? 0 : 1;
	}

	rc->hash = h;
	rc->idx = s->index + 1;
found:
	memset(out, 0, sizeof *out);
	out->frame = frame;
	out->time_ns = time_ns;
	out->stream = s->index;
	out->dir = side;
	out->pkt = p;

	if (s->packets == 0) {
		s->first_frame = frame;
		s->first_ns = time_ns;
	}
	s->packets++;
	s->last_frame = frame;
	s->last_ns = time_ns;
	s->bytes[side] += p->len;

	cap_analysis_bases(&s->an, side, p->seq, p->ack, p->flags);
	out->notes = cap_analysis_segment(&s->an, side, time_ns, p->seq, p->ack, p->len, p->flags,
	                                  p->win);
	out->rel_seq = p->seq - s->an.flow[side].base_seq;
	out->rel_ack = (p->flags & TT_ACK) ? p->ack - s->an.flow[!side].base_seq : 0;

	/* handshake and ending, for --streams */
	if ((p->flags & (TT_SYN | TT_ACK)) == TT_SYN && side == 0) {
		s->saw_syn = 1;
		s->syn_seq = p->seq;
	} else if ((p->flags & (TT_SYN | TT_ACK)) == (TT_SYN | TT_ACK) && side == 1) {
		s->saw_synack = s->saw_syn;
	} else if (s->saw_synack && !s->handshake && side == 0 && (p->flags & TT_ACK) &&
	           !(p->flags & (TT_SYN | TT_RST)) && p->seq == s->syn_seq + 1) {
		s->handshake = 1;
	}
	if (p->flags & TT_RST)
		s->rst = 1;
	if (p->flags & TT_FIN)
		s->fin[side] = 1;

	memset(&seg, 0, sizeof seg);
	seg.seq = p->seq;
	seg.ack = p->ack;
	seg.wnd = p->win;
	seg.flags = p->flags;
	seg.mss = p->opt.mss;
	seg.up = p->urp;
	seg.len = p->len;
	unheard = s->obs.side[1].passive && !s->obs.side[1].syn_sent;
	out->obs = tt_obs_segment(&s->obs, side, &seg);
	out->refused = unheard && side == 1 && (p->flags & TT_RST) &&
	               s->obs.side[1].state == TT_CLOSED;
	out->presumed = s->obs.side[1].passive && !s->obs.side[1].syn_sent &&
	                s->obs.side[1].state == TT_SYN_RECEIVED;
	if (out->refused)
		s->refused = 1;
	if (out->obs & TT_OBS_MIDSTREAM) {
		s->midstream = 1;
		out->notes |= TT_NOTE(MID_STREAM);
	}
	if (p->caplen_payload < p->len || p->opt.bad)
		out->notes |= TT_NOTE(TRUNCATED);
	out->state[0] = s->obs.side[0].state;
	out->state[1] = s->obs.side[1].state;
	out->tcbs = &s->obs;
	return 0;
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
	cap_endpoint(s->ipver, s->addr[0], s->port[0], info->endpoint[0], sizeof info->endpoint[0]);
	cap_endpoint(s->ipver, s->addr[1], s->port[1], info->endpoint[1], sizeof info->endpoint[1]);
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
	else if (s->fin[0] && s->fin[1])
		info->end = CAP_END_FIN;
	else if (s->fin[0] || s->fin[1])
		info->end = CAP_END_HALF;
	else
		info->end = CAP_END_OPEN;
	info->final[0] = s->obs.side[0].state;
	info->final[1] = s->obs.side[1].state;
}
