/* tests/fuzz_replay.c: libFuzzer harness for the stream table, the
 * observer and the engine behind replay. Built only on demand:
 * `make fuzz-replay && tests/fuzz_replay CORPUS/`.
 *
 * The input is a list of 10-byte records, each one TCP segment of one of
 * 16 IPv4 connections, with numbers near the ones its sender last used so
 * that most segments mean something to the receiver. The table is built
 * to keep 8 observers awake at once (LIVE_MAX), so that streams are put to
 * rest and woken as among thousands in a real capture:
 *
 *   byte 0     the connection (mod 16)
 *   byte 1     bit 0: sent by the server; bits 1-7 pick the flags
 *   bytes 2-3  SEG.SEQ, as an offset from where the sender's last segment ended
 *   bytes 4-5  SEG.ACK, as an offset from where the receiver's last one ended
 *   byte 6     payload length
 *   bytes 7-8  the window field
 *   byte 9     options: bit 0 MSS, bit 1 SACK-permitted, bits 4-7 window scale
 *
 * The same segments are replayed three ways (rows with TCBs, rows without
 * events as the TSV table takes them, and --streams' stream table alone);
 * whatever they are, each way must take every frame, give every row once
 * in frame order with states in range, and all three must agree on the
 * states: those are the engine's, whatever the table shows of them; the
 * two kinds of row also on what else a row says. Then one stream is
 * followed alone (cap_replay_follow): with no more streams than observers
 * awake, none is ever put to rest, and its rows, events and TCBs included,
 * are the whole run's rows of that stream. Past CAP_HELD frames only the
 * two kinds of row are compared (a table with rows may have to settle a
 * stream early for want of room, which the others never do).
 * ASan and UBSan watch the rest.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef LIVE_MAX
#error "build with -DLIVE_MAX=8, as make fuzz-replay does"
#endif
#define NCONN 16
#define REC 10
#define MAXREC 5000

static const uint16_t flag_sets[] = {
	TT_SYN, TT_SYN | TT_ACK, TT_ACK, TT_ACK | TT_PSH, TT_FIN | TT_ACK, TT_RST,
	TT_RST | TT_ACK, TT_ACK, TT_ACK | TT_PSH, TT_ACK, TT_FIN | TT_ACK | TT_PSH,
	TT_ACK | TT_URG, TT_SYN | TT_ECE | TT_CWR, TT_SYN | TT_ACK | TT_ECE, TT_ACK | TT_ECE,
	TT_ACK | TT_CWR
};

static uint16_t
rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Record k as a decoded frame; nxt[c][d] is where d's last segment of
 * connection c ended. */
static void
make_pkt(const uint8_t *b, uint32_t (*nxt)[2], struct cap_pkt *p)
{
	unsigned c = b[0] % NCONN, d = b[1] & 1, fsel = b[1] >> 1;
	uint16_t flags = fsel < 16 ? flag_sets[fsel] : (uint16_t)(fsel & 0x3f);

	memset(p, 0, sizeof *p);
	p->status = CAP_TCP;
	p->ipver = 4;
	p->ipproto = 6;
	p->thlen = 20;
	p->ttl = 64;
	p->src[0] = 10;
	p->src[3] = (uint8_t)c;
	p->dst[0] = 192;
	p->dst[3] = 1;
	p->sport = (uint16_t)(1024 + c);
	p->dport = 443;
	if (d) {
		uint8_t t[16];

		memcpy(t, p->src, 16);
		memcpy(p->src, p->dst, 16);
		memcpy(p->dst, t, 16);
		p->sport = 443;
		p->dport = (uint16_t)(1024 + c);
	}
	p->flags = flags;
	p->seq = nxt[c][d] + (uint32_t)(int16_t)rd16(b + 2);
	p->ack = (flags & TT_ACK) ? nxt[c][!d] + (uint32_t)(int16_t)rd16(b + 4) : 0;
	p->len = (flags & (TT_SYN | TT_RST)) ? 0 : b[6];
	p->caplen_payload = 0;
	p->win = rd16(b + 7);
	p->urp = (flags & TT_URG) ? 1 : 0;
	p->opt.wscale = -1;
	if (flags & TT_SYN) {
		if (b[9] & 1)
			p->opt.mss = 536 + b[6];
		p->opt.sack_ok = (b[9] >> 1) & 1;
		if (b[9] >> 4 != 15)
			p->opt.wscale = (int16_t)(b[9] >> 4);
	}
	{
		uint32_t end = p->seq + p->len + !!(flags & TT_SYN) + !!(flags & TT_FIN);

		if (!(flags & TT_RST) && (int32_t)(end - nxt[c][d]) > 0)
			nxt[c][d] = end;
		if (flags & TT_SYN)
			nxt[c][d] = end;
	}
}

struct run {
	unsigned nrow;
	uint64_t (*digest)[2];  /* per frame: the row's other fields, [0] those
	                           every kind of row has, [1] with events and TCBs */
	size_t follow;          /* SIZE_MAX: all */
	long *stream;           /* per frame, its stream */
	uint8_t (*state)[2];    /* per frame, the row's states */
	uint8_t (*final)[2];    /* per stream */
	size_t nstreams;
};

/* FNV-1a over the bytes of a 64-bit word */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	for (int k = 0; k < 8; k++)
		h = (h ^ ((v >> (8 * k)) & 0xff)) * 0x100000001b3ull;
	return h;
}

/* What a row says besides its states: d[0] what every kind of row has,
 * d[1] that and its events, bytes in flight and TCBs. */
static void
digest(const struct cap_seg *g, uint64_t *d)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = mix(h, g->obs);
	h = mix(h, g->notes & ~TT_NOTE(EVENTS_CUT));    /* a row without events cuts none */
	h = mix(h, g->arrived_after);
	h = mix(h, (uint64_t)g->rel_seq << 32 | g->rel_ack);
	d[0] = h;
	h = mix(h, g->notes);
	h = mix(h, g->nev);
	for (unsigned k = 0; k < g->nev; k++)
		h = mix(h, (uint64_t)g->ev[k].host << 48 | (uint64_t)g->ev[k].flags << 40 |
		           (uint64_t)g->ev[k].ev.reason << 16 | (uint64_t)g->ev[k].ev.from << 8 |
		           (uint64_t)g->ev[k].ev.to);
	h = mix(h, (uint64_t)(uint32_t)g->flight);
	for (int k = 0; k < 2; k++)
		h = mix(mix(h, (uint64_t)g->tcb[k].snd_una << 32 | g->tcb[k].snd_nxt),
		        (uint64_t)g->tcb[k].rcv_nxt << 32 | g->tcb[k].snd_wnd);
	d[1] = h;
}

static void
take_rows(struct cap_replay *r, struct run *out, uint64_t *last)
{
	struct cap_seg seg;

	while (cap_replay_row(r, &seg)) {
		if (seg.frame <= *last || seg.state[0] >= TT_NSTATES || seg.state[1] >= TT_NSTATES)
			abort();        /* out of order, twice, or a state out of range */
		*last = seg.frame;
		if (out->follow != SIZE_MAX && seg.stream != out->follow)
			abort();        /* a row of a stream not followed */
		out->state[seg.frame - 1][0] = (uint8_t)seg.state[0];
		out->state[seg.frame - 1][1] = (uint8_t)seg.state[1];
		digest(&seg, out->digest[seg.frame - 1]);
		out->nrow++;
	}
}

static int
run(const struct cap_pkt *pkts, size_t n, unsigned opts, struct run *out)
{
	static const uint8_t key[CAP_REPLAY_KEY] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct cap_replay *r = cap_replay_new(opts);
	uint64_t last = 0;

	if (r == NULL)
		return -1;
	cap_replay_set_key(r, key);
	if (out->follow != SIZE_MAX)
		cap_replay_follow(r, out->follow);
	for (size_t i = 0; i < n; i++) {
		long s = cap_replay_frame(r, i + 1, (int64_t)i * 1000, &pkts[i]);

		if (s < 0) {
			cap_replay_free(r);
			return -1;      /* out of memory: nothing to judge */
		}
		if ((size_t)s >= cap_replay_nstreams(r) || (out->stream[i] >= 0 && out->stream[i] != s))
			abort();        /* a stream out of range, or another than before */
		out->stream[i] = s;
		if (opts & CAP_ROWS)
			take_rows(r, out, &last);
	}
	cap_replay_finish(r);
	if (opts & CAP_ROWS) {
		take_rows(r, out, &last);
		size_t want = n;

		if (out->follow != SIZE_MAX)
			for (size_t i = 0; i < n; i++)
				want -= (size_t)out->stream[i] != out->follow;
		if (out->nrow != want)
			abort();        /* a frame without its row */
	}
	out->nstreams = cap_replay_nstreams(r);
	for (size_t i = 0; i < out->nstreams && i < NCONN * 2; i++) {
		struct cap_stream_info info;

		cap_replay_stream(r, i, &info);
		if (info.final[0] >= TT_NSTATES || info.final[1] >= TT_NSTATES)
			abort();
		out->final[i][0] = (uint8_t)info.final[0];
		out->final[i][1] = (uint8_t)info.final[1];
	}
	cap_replay_free(r);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cap_pkt pkts[MAXREC];
	static uint8_t st[4][MAXREC][2], fin[4][NCONN * 2][2];
	static uint64_t dg[4][MAXREC][2];
	static long stream[MAXREC];
	static const unsigned opts[3] = { CAP_ROWS | CAP_VIEWS, CAP_ROWS | CAP_NO_EVENTS, 0 };
	uint32_t nxt[NCONN][2];
	size_t n = size / REC;
	struct run rs[4];

	if (n > MAXREC)
		n = MAXREC;
	for (unsigned c = 0; c < NCONN; c++) {
		nxt[c][0] = 0x10000000u * (c & 15) + c;
		nxt[c][1] = 0xf0000000u - 0x01000000u * (c & 15);
	}
	for (size_t i = 0; i < n; i++) {
		make_pkt(data + i * REC, nxt, &pkts[i]);
		stream[i] = -1;
	}
	for (int k = 0; k < 3; k++) {
		memset(&rs[k], 0, sizeof rs[k]);
		rs[k].follow = SIZE_MAX;
		rs[k].stream = stream;
		rs[k].state = st[k];
		rs[k].digest = dg[k];
		rs[k].final = fin[k];
		if (run(pkts, n, opts[k], &rs[k]) < 0)
			return 0;
	}
	if (memcmp(st[0], st[1], n * 2) != 0)
		abort();                /* TSV's rows and the TUI's disagree on a state */
	for (size_t i = 0; i < n; i++)
		if (dg[0][i][0] != dg[1][i][0])
			abort();        /* ... or on what else a row says */
	/* Past CAP_HELD frames a table with rows may have had to settle a
	 * stream early for want of room, which --streams and a followed stream,
	 * holding no other rows, never do (doc/design.md): only the rows agree */
	if (n > CAP_HELD)
		return 0;
	for (int k = 1; k < 3; k++)
		if (rs[k].nstreams != rs[0].nstreams ||
		    memcmp(fin[0], fin[k], (rs[0].nstreams < NCONN * 2 ? rs[0].nstreams : NCONN * 2) * 2))
			abort();        /* --streams and the table disagree */
	/* one stream alone, as replay --stream and the TUI follow it */
	if (n == 0 || rs[0].nstreams > LIVE_MAX)
		return 0;
	memset(&rs[3], 0, sizeof rs[3]);
	rs[3].follow = (size_t)data[size - 1] % rs[0].nstreams;
	rs[3].stream = stream;
	rs[3].state = st[3];
	rs[3].digest = dg[3];
	rs[3].final = fin[3];
	memset(st[3], 0xff, n * 2);
	if (run(pkts, n, CAP_ROWS | CAP_VIEWS, &rs[3]) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((size_t)stream[i] == rs[3].follow &&
		    (memcmp(st[0][i], st[3][i], 2) != 0 || dg[0][i][1] != dg[3][i][1]))
			abort();        /* followed alone, it went otherwise */
	if (memcmp(fin[0][rs[3].follow], fin[3][rs[3].follow], 2) != 0)
		abort();
	return 0;
}
