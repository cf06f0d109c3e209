/* capture/pump.c: a capture file through the stream table, the reading
 * and the rows' printing in the caller's thread, the table in one of its
 * own (doc/design.md, "Performance").
 *
 * Reading a frame (libpcap, the decoder) and printing a row cost about
 * what the table and the observer cost between them, so the caller's
 * thread does the two ends and a second thread the middle: frames go to
 * it through one pipe (base/pipe.h), finished rows come back through
 * another, with each stream's endpoint strings once before its rows (the
 * two sides keep the same small table of them). The rows are the same,
 * in the same order, as cap_replay_frame, cap_replay_row and
 * cap_replay_finish give in one thread, which is what runs when no
 * thread can start or the input is live.
 *
 * Neither side can wait for the other for ever: the table's thread waits
 * for room for rows only, or for frames after handing over its rows; the
 * caller's thread, while it waits for room for frames, takes the rows that
 * are ready (tt_pipe_slot_meanwhile), and waits for rows only once every
 * frame went over.
 */
#include "config.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pipe.h"
#include "capture/stream.h"
#include "i18n.h"

/* Frames: blocks of FRAME_SLOTS, FRAME_BLOCKS of them; rows: blocks of
 * ROW_SLOTS, ROW_BLOCKS of them (both rings within a processor's cache). */
#define FRAME_SLOTS 256
#define FRAME_BLOCKS 8
#define ROW_SLOTS 256
#define ROW_BLOCKS 16

/* The endpoint strings of a stream, kept for the last few: a small table
 * indexed by the stream number. Streams that are busy at the same time
 * were mostly opened near each other, so their numbers rarely share a
 * slot. */
#define NAMES 512

/* A frame goes over as what the table reads of it (stream.c, table.c,
 * analysis.c, flight.c), in one cache line for IPv4 without SACK blocks,
 * most of a capture: each line handed from one processor to the other
 * costs about as much as the table's work on it. The second line only
 * for IPv6 addresses and SACK blocks. */
struct frame_slot {
	_Alignas(64) uint64_t number;
	int64_t time_ns;
	uint32_t seq, ack, len, caplen_payload;
	uint16_t sport, dport, flags, win, urp, mss;
	int16_t wscale;
	uint8_t ipver, nsack, sack_ok, bad, end;
	uint8_t src4[4], dst4[4];
	/* the second line */
	_Alignas(64) uint8_t src[16], dst[16];
	uint32_t sack[CAP_MAX_SACK][2];
};

/* The fields copied one by one, each as (slot's name, cap_pkt's): the one
 * list of what goes over beside the addresses and the SACK blocks. */
#define FRAME_FIELDS(X)                                                        \
	X(seq, seq) X(ack, ack) X(len, len) X(caplen_payload, caplen_payload)   \
	X(sport, sport) X(dport, dport) X(flags, flags) X(win, win) X(urp, urp) \
	X(mss, opt.mss) X(wscale, opt.wscale) X(ipver, ipver)                   \
	X(nsack, opt.nsack) X(sack_ok, opt.sack_ok) X(bad, opt.bad)

static void
pack(struct frame_slot *s, uint64_t number, int64_t time_ns, const struct cap_pkt *p)
{
#define PACK(slot, pkt) s->slot = p->pkt;
	FRAME_FIELDS(PACK)
#undef PACK
	s->number = number;
	s->time_ns = time_ns;
	s->end = 0;
	if (p->ipver == 4) {
		memcpy(s->src4, p->src, 4);
		memcpy(s->dst4, p->dst, 4);
	} else {
		memcpy(s->src, p->src, 16);
		memcpy(s->dst, p->dst, 16);
	}
	if (p->opt.nsack > 0)
		memcpy(s->sack, p->opt.sack, (size_t)p->opt.nsack * sizeof s->sack[0]);
}

/* Into p, whose other fields the table does not read. */
static void
unpack(struct cap_pkt *p, const struct frame_slot *s)
{
#define UNPACK(slot, pkt) p->pkt = s->slot;
	FRAME_FIELDS(UNPACK)
#undef UNPACK
	if (s->ipver == 4) {
		memcpy(p->src, s->src4, 4);
		memcpy(p->dst, s->dst4, 4);
	} else {
		memcpy(p->src, s->src, 16);
		memcpy(p->dst, s->dst, 16);
	}
	if (s->nsack > 0)
		memcpy(p->opt.sack, s->sack, (size_t)s->nsack * sizeof s->sack[0]);
}

enum { ROW, NAMES_CLIENT, NAMES_SERVER, END };

struct row_slot {
	unsigned kind;          /* ROW ... END */
	unsigned stream;        /* NAMES_*: whose */
	union {
		struct cap_seg seg;     /* the first row_bytes of it */
		char ep[56];
	} u;
};

struct pump {
	struct cap_replay *r;
	long only;              /* the stream whose rows go out, or -1 */
	struct tt_pipe *frames, *rows;
	size_t row_bytes;       /* of a cap_seg: what this table's rows fill */
	unsigned named[NAMES];  /* the table's thread: stream + 1 the caller has there */
	_Atomic int failed;     /* the table ran out of memory */
	uint64_t failed_frame;
};

/* ---- the table's thread ---------------------------------------------------- */

static struct row_slot *
row_slot(struct pump *pm)
{
	return tt_pipe_slot(pm->rows);  /* never NULL: only tt_pipe_free stops it */
}

/* Stream i's endpoint strings go over, unless the caller has them. */
static void
send_names(struct pump *pm, unsigned i)
{
	struct cap_stream_info si;
	struct row_slot *s;

	if (pm->named[i % NAMES] == i + 1)
		return;
	pm->named[i % NAMES] = i + 1;
	cap_replay_stream(pm->r, i, &si);
	for (unsigned side = 0; side < 2; side++) {
		s = row_slot(pm);
		s->kind = side == 0 ? NAMES_CLIENT : NAMES_SERVER;
		s->stream = i;
		memcpy(s->u.ep, si.endpoint[side], sizeof s->u.ep);
		tt_pipe_push(pm->rows);
	}
}

/* The finished rows go over, each written in its slot by cap_replay_row
 * (which fills no more than row_bytes of it), its stream's names first. */
static void
send_rows(struct pump *pm)
{
	struct row_slot *s;
	struct cap_seg seg;

	while (cap_replay_row(pm->r, &(s = row_slot(pm))->u.seg)) {
		unsigned i = s->u.seg.stream;

		if (pm->only >= 0 && (unsigned long)pm->only != i)
			continue;       /* the slot is filled again */
		if (pm->named[i % NAMES] != i + 1) {
			memcpy(&seg, &s->u.seg, pm->row_bytes);
			send_names(pm, i);
			memcpy(&(s = row_slot(pm))->u.seg, &seg, pm->row_bytes);
		}
		s->kind = ROW;
		tt_pipe_push(pm->rows);
	}
}

static void *
table_main(void *arg)
{
	struct pump *pm = arg;
	const struct frame_slot *f;
	struct cap_pkt pkt;
	struct row_slot *s;

	memset(&pkt, 0, sizeof pkt);

	for (;;) {
		if ((f = tt_pipe_try_next(pm->frames)) == NULL) {
			/* the caller is behind: what is done goes to it meanwhile */
			tt_pipe_publish(pm->rows);
			if ((f = tt_pipe_next(pm->frames)) == NULL)
				return NULL;    /* stopped */
		}
		if (f->end)
			break;
		if (atomic_load_explicit(&pm->failed, memory_order_relaxed))
			continue;
		unpack(&pkt, f);
		if (cap_replay_frame(pm->r, f->number, f->time_ns, &pkt) < 0) {
			pm->failed_frame = f->number;
			atomic_store(&pm->failed, 1);
			continue;
		}
		send_rows(pm);
	}
	cap_replay_finish(pm->r);
	send_rows(pm);
	s = row_slot(pm);
	s->kind = END;
	tt_pipe_push(pm->rows);
	tt_pipe_publish(pm->rows);
	return NULL;
}

/* ---- the caller's thread ------------------------------------------------- */

struct names {
	unsigned stream[NAMES];   /* stream number + 1; 0: empty */
	char ep[NAMES][2][56];    /* client, server */
};

struct taker {
	struct pump *pm;
	const struct cap_pump_ops *ops;
	void *arg;
	struct names nm;
	struct cap_seg seg;       /* past row_bytes: as the slots leave it */
};

/* The endpoint strings of stream i, formatted here (no thread). */
static const char (*names_of(struct names *nm, const struct cap_replay *r, unsigned i))[56]
{
	size_t k = i % NAMES;

	if (nm->stream[k] != i + 1) {
		struct cap_stream_info si;

		cap_replay_stream(r, i, &si);
		memcpy(nm->ep[k], si.endpoint, sizeof nm->ep[k]);
		nm->stream[k] = i + 1;
	}
	return (const char (*)[56])nm->ep[k];
}

/* Hands out one slot of rows; 0 at the end. */
static int
take(struct taker *t, const struct row_slot *s)
{
	size_t k = s->stream % NAMES;

	switch (s->kind) {
	case NAMES_CLIENT:
	case NAMES_SERVER:
		memcpy(t->nm.ep[k][s->kind == NAMES_SERVER], s->u.ep, sizeof s->u.ep);
		t->nm.stream[k] = s->stream + 1;
		return 1;
	case ROW:
		memcpy(&t->seg, &s->u.seg, t->pm->row_bytes);
		t->ops->row(t->arg, &t->seg, (const char (*)[56])t->nm.ep[t->seg.stream % NAMES]);
		return 1;
	default:
		return 0;
	}
}

/* Every row that is ready goes out. */
static void
take_ready(void *arg)
{
	struct taker *t = arg;
	const struct row_slot *s;

	while ((s = tt_pipe_try_next(t->pm->rows)) != NULL)
		(void)take(t, s);       /* END comes only after the last frame */
}

/* The rows of what is finished, in the caller's thread alone. */
static void
rows_here(struct cap_replay *r, long only, struct taker *t)
{
	while (cap_replay_row(r, &t->seg))
		if (only < 0 || (unsigned long)only == t->seg.stream)
			t->ops->row(t->arg, &t->seg, names_of(&t->nm, r, t->seg.stream));
}

/* The same in the caller's thread alone: no thread could start, or the
 * input is live (each row as soon as it is known). */
static int
pump_here(struct cap_reader *f, struct cap_replay *r, long only, struct taker *t, char *err,
          size_t errlen)
{
	const struct cap_frame *fr;
	const struct cap_pkt *pkt;
	int rc;

	while ((rc = cap_reader_take(f, &fr, &pkt, err, errlen)) > 0) {
		if (rc == 2) {
			t->ops->note(t->arg, fr->number, pkt->why);
			continue;
		}
		if (cap_replay_frame(r, fr->number, fr->time_ns, pkt) < 0) {
			snprintf(err, errlen, _("frame %" PRIu64 ": out of memory"), fr->number);
			rc = -1;
			break;
		}
		rows_here(r, only, t);
	}
	cap_replay_finish(r);
	rows_here(r, only, t);
	return rc < 0 ? -1 : 0;
}

/* Reads here, the table in its thread. */
static int
pump_threads(struct pump *pm, struct cap_reader *f, struct taker *t, char *err, size_t errlen)
{
	const struct row_slot *rs;
	const struct cap_frame *fr;
	const struct cap_pkt *pkt;
	struct frame_slot *s;
	unsigned n = 0;
	int rc;

	while ((rc = cap_reader_take(f, &fr, &pkt, err, errlen)) > 0 &&
	       !atomic_load_explicit(&pm->failed, memory_order_relaxed)) {
		if (rc == 2) {
			t->ops->note(t->arg, fr->number, pkt->why);
			continue;
		}
		/* the table behind: its rows go out meanwhile, so that the two
		 * never wait for each other */
		if ((s = tt_pipe_slot_meanwhile(pm->frames, take_ready, t)) == NULL)
			return -1;      /* cannot happen: only tt_pipe_free stops it */
		pack(s, fr->number, fr->time_ns, pkt);
		tt_pipe_push(pm->frames);
		if (++n % FRAME_SLOTS == 0)
			take_ready(t);
	}
	if ((s = tt_pipe_slot_meanwhile(pm->frames, take_ready, t)) == NULL)
		return -1;
	s->end = 1;
	tt_pipe_push(pm->frames);
	tt_pipe_publish(pm->frames);
	while ((rs = tt_pipe_next(pm->rows)) != NULL && take(t, rs))
		;
	if (atomic_load(&pm->failed)) {
		snprintf(err, errlen, _("frame %" PRIu64 ": out of memory"), pm->failed_frame);
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

int
cap_replay_pump(struct cap_reader *f, struct cap_replay *r, long only, int threads,
                const struct cap_pump_ops *ops, void *arg, char *err, size_t errlen)
{
	struct taker *t = calloc(1, sizeof *t);
	struct pump *pm = calloc(1, sizeof *pm);
	int rc;

	if (t == NULL || pm == NULL) {
		free(t);
		free(pm);
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	t->pm = pm;
	t->ops = ops;
	t->arg = arg;
	pm->r = r;
	pm->only = only;
	atomic_init(&pm->failed, 0);
	pm->row_bytes = (r->opts & CAP_VIEWS) ? sizeof(struct cap_seg)
	                : (r->opts & CAP_NO_EVENTS) ? offsetof(struct cap_seg, ev)
	                : offsetof(struct cap_seg, tcb);
	if (threads && cap_reader_fd(f) < 0 &&
	    (pm->frames = tt_pipe_new(sizeof(struct frame_slot), FRAME_SLOTS, FRAME_BLOCKS)) != NULL &&
	    (pm->rows = tt_pipe_new(offsetof(struct row_slot, u) +
	                                    (pm->row_bytes > 56 ? pm->row_bytes : 56),
	                            ROW_SLOTS, (r->opts & CAP_ROWS) ? ROW_BLOCKS : 2)) != NULL &&
	    tt_pipe_run(pm->frames, table_main, pm) == 0) {
		rc = pump_threads(pm, f, t, err, errlen);
	} else {
		rc = pump_here(f, r, only, t, err, errlen);
	}
	/* the frames' pipe waits for the table's thread */
	tt_pipe_free(pm->frames);
	tt_pipe_free(pm->rows);
	free(pm);
	free(t);
	return rc;
}
