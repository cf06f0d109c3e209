/* capture/flight.c: bytes in flight as Wireshark counts them
 * (tcp.analysis.bytes_in_flight), in time that no capture can make long.
 *
 * Wireshark keeps per direction the segments not yet acknowledged, at
 * most CAP_FLIGHT_MAX (10,000); an ACK from the other side removes those
 * it covers and trims those it covers in part (their seq becomes the
 * ACK); a segment with payload is in flight by the highest end less the
 * lowest seq of the list, both relative to the sender's base, less the
 * bytes the peer's last segment SACKed. Walking the list at each segment,
 * as Wireshark does, costs up to 10,000 steps a packet, which a capture
 * that never acknowledges anything gets every time.
 *
 * Here a short list (CAP_FLIGHT_SMALL segments, as nearly every
 * connection's) is walked just so; a longer one is kept in ordered sets,
 * and goes back to a list when an ACK leaves it short again. Sequence
 * numbers are kept relative
 * to one reference (the sender's base), so the lowest seq and highest end
 * are the least key of one set and the greatest of another. The ACK's
 * tests are modular (RFC 9293 §3.4): an end that is not after the ACK,
 * and a seq before it, each lie on an arc of the sequence circle, which
 * is one or two ranges of keys. Entries (by end) leave the end set a range
 * at a time; their seqs are in groups of equal value in the seq set, and
 * trimming merges every group of the arc into one whose value is the ACK
 * (union-find), so a trim costs a step per group it merges and a group is
 * merged once. The sets are treaps with priorities from a seed of the
 * list's own. Every step is a logarithm, amortized; tests/check_capture
 * holds the results equal to Wireshark's walk on random and crafted lists.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "capture/analysis.h"
#include "engine/tcp.h"
#include "trace/trace.h"

#define NIL (-1)
#define HALF 0x80000000u

/* ---- treaps of (value, id), the id the node's index ------------------------ */

static uint64_t
key_of(const struct cap_fl_node *t, int32_t x)
{
	return (uint64_t)t[x].value << 32 | (uint32_t)x;
}

/* Splits the tree at x into the keys below k (*a) and the rest (*b). */
static void
split(struct cap_fl_node *t, int32_t x, uint64_t k, int32_t *a, int32_t *b)
{
	if (x == NIL) {
		*a = *b = NIL;
	} else if (key_of(t, x) < k) {
		split(t, t[x].r, k, &t[x].r, b);
		*a = x;
	} else {
		split(t, t[x].l, k, a, &t[x].l);
		*b = x;
	}
}

static int32_t
merge(struct cap_fl_node *t, int32_t a, int32_t b)
{
	if (a == NIL)
		return b;
	if (b == NIL)
		return a;
	if (t[a].prio > t[b].prio) {
		t[a].r = merge(t, t[a].r, b);
		return a;
	}
	t[b].l = merge(t, a, t[b].l);
	return b;
}

static void
insert(struct cap_fl_node *t, int32_t *root, int32_t x)
{
	int32_t a, b;

	t[x].l = t[x].r = NIL;
	split(t, *root, key_of(t, x), &a, &b);
	*root = merge(t, merge(t, a, x), b);
}

static void
erase(struct cap_fl_node *t, int32_t *root, int32_t x)
{
	int32_t a, b, m, c;

	split(t, *root, key_of(t, x), &a, &b);
	split(t, b, key_of(t, x) + 1, &m, &c);
	*root = merge(t, a, c);
}

/* Takes the nodes with values in [lo, hi] out of the tree: their subtree. */
static int32_t
take(struct cap_fl_node *t, int32_t *root, uint32_t lo, uint32_t hi)
{
	int32_t a, b, m, c = NIL;

	split(t, *root, (uint64_t)lo << 32, &a, &b);
	if (hi == UINT32_MAX)
		m = b;
	else
		split(t, b, (uint64_t)(hi + 1) << 32, &m, &c);
	*root = merge(t, a, c);
	return m;
}

static uint32_t
least(const struct cap_fl_node *t, int32_t x)
{
	while (t[x].l != NIL)
		x = t[x].l;
	return t[x].value;
}

static uint32_t
greatest(const struct cap_fl_node *t, int32_t x)
{
	while (t[x].r != NIL)
		x = t[x].r;
	return t[x].value;
}

static uint32_t
next_prio(struct cap_flight *fl)
{
	/* xorshift64* */
	fl->rng ^= fl->rng >> 12;
	fl->rng ^= fl->rng << 25;
	fl->rng ^= fl->rng >> 27;
	return (uint32_t)((fl->rng * 0x2545f4914f6cdd1dull) >> 32);
}

/* ---- one direction's list ----------------------------------------------------- */

/* The group a seq belongs to, now (path halving). */
static int32_t
find(struct cap_flight *fl, int32_t g)
{
	while (fl->parent[g] != g) {
		fl->parent[g] = fl->parent[fl->parent[g]];
		g = fl->parent[g];
	}
	return g;
}

static void
clear(struct cap_flight *fl)
{
	fl->n = 0;
	fl->tree = 0;
	fl->nent = 0;
	fl->ngrp = 0;
	fl->nfree = 0;
	fl->ends = fl->seqs = NIL;
}

/* Room for one more entry and one more group; -1 when out of memory. */
static int
room(struct cap_flight *fl)
{
	if (fl->nfree == 0 &&
	    (TT_GROW(fl->ent, fl->nent, fl->ent_cap, 16) < 0 ||
	     TT_GROW(fl->group_of, fl->nent, fl->gof_cap, 16) < 0 ||
	     TT_GROW(fl->free_ent, fl->nent, fl->free_cap, 16) < 0))
		return -1;
	if (TT_GROW(fl->grp, fl->ngrp, fl->grp_cap, 16) < 0 ||
	    TT_GROW(fl->parent, fl->ngrp, fl->parent_cap, 16) < 0 ||
	    TT_GROW(fl->count, fl->ngrp, fl->count_cap, 16) < 0)
		return -1;
	return 0;
}

/* A segment [s, e) in the reference's terms joins the sets. */
static int
tree_add(struct cap_flight *fl, uint32_t s, uint32_t e)
{
	int32_t x, g;

	if (room(fl) < 0)
		return -1;
	x = fl->nfree > 0 ? fl->free_ent[--fl->nfree] : (int32_t)fl->nent++;
	g = (int32_t)fl->ngrp++;
	fl->ent[x].value = e;
	fl->ent[x].prio = next_prio(fl);
	insert(fl->ent, &fl->ends, x);
	fl->grp[g].value = s;
	fl->grp[g].prio = next_prio(fl);
	insert(fl->grp, &fl->seqs, g);
	fl->parent[g] = g;
	fl->count[g] = 1;
	fl->group_of[x] = g;
	fl->n++;
	return 0;
}

/* Collects the ids of a subtree into out (its size is at most n). */
static size_t
collect(const struct cap_fl_node *t, int32_t x, int32_t *out, size_t k)
{
	while (x != NIL) {
		k = collect(t, t[x].l, out, k);
		out[k++] = x;
		x = t[x].r;
	}
	return k;
}

/* The groups outnumber the entries: everything again, each seq in a group
 * of its own (what the groups stood for stays). Also how the reference
 * changes. 0 or -1. */
static int
rebuild(struct cap_flight *fl, uint32_t shift)
{
	size_t n = fl->n, k;
	int32_t *ids;
	uint32_t (*seg)[2];

	if (!fl->tree) {
		for (size_t i = 0; i < n; i++) {
			fl->small[i][0] += shift;
			fl->small[i][1] += shift;
		}
		return 0;
	}
	if (n == 0) {
		clear(fl);
		return 0;
	}
	ids = malloc(n * sizeof *ids);
	seg = malloc(n * sizeof *seg);
	if (ids == NULL || seg == NULL) {
		free(ids);
		free(seg);
		return -1;
	}
	k = collect(fl->ent, fl->ends, ids, 0);
	for (size_t i = 0; i < k; i++) {
		seg[i][0] = fl->grp[find(fl, fl->group_of[ids[i]])].value + shift;
		seg[i][1] = fl->ent[ids[i]].value + shift;
	}
	clear(fl);
	for (size_t i = 0; i < k; i++)
		if (tree_add(fl, seg[i][0], seg[i][1]) < 0)
			break;  /* cannot fail: the arrays hold as many already */
	fl->tree = 1;
	free(ids);
	free(seg);
	return 0;
}

/* Entries whose end is on [lo, hi] leave (their groups count one less). */
static void
drop_ends(struct cap_flight *fl, uint32_t lo, uint32_t hi)
{
	int32_t m = take(fl->ent, &fl->ends, lo, hi);

	/* the nodes taken, in no order: each leaves */
	while (m != NIL) {
		int32_t x = m, g;

		/* unlink the root of the subtree, merging its children */
		m = merge(fl->ent, fl->ent[x].l, fl->ent[x].r);
		g = find(fl, fl->group_of[x]);
		if (--fl->count[g] == 0)
			erase(fl->grp, &fl->seqs, g);
		fl->free_ent[fl->nfree++] = x;
		fl->n--;
	}
}

/* Groups whose seq is on [lo, hi] join group g (value d). */
static void
trim_seqs(struct cap_flight *fl, uint32_t lo, uint32_t hi, int32_t g)
{
	int32_t m = take(fl->grp, &fl->seqs, lo, hi);

	while (m != NIL) {
		int32_t x = m;

		m = merge(fl->grp, fl->grp[x].l, fl->grp[x].r);
		fl->parent[x] = g;
		fl->count[g] += fl->count[x];
	}
}

/* An ACK from the other side: what it covers leaves; what it covers in
 * part starts at it. In the reference's terms d = ACK: an end e leaves
 * unless SEQ.GT(e, d), i.e. e - d is 0 or past 2^31 (modulo 2^32), e on
 * [d - 2^31 + 1, d]; a seq s is trimmed when SEQ.GT(d, s), i.e. s - d is
 * 2^31 or past it, s on [d - 2^31, d - 1] (TT_SEQ_GT's own edges). */
static int
tree_ack(struct cap_flight *fl, uint32_t d)
{
	uint32_t lo = d - HALF + 1;
	int32_t g;

	if (fl->n == 0)
		return 0;
	if (lo <= d) {
		drop_ends(fl, lo, d);
	} else {
		drop_ends(fl, lo, UINT32_MAX);
		drop_ends(fl, 0, d);
	}
	if (fl->n == 0) {
		clear(fl);
		return 0;
	}
	/* the trimmed seqs, if any, become one group of value d */
	if (room(fl) < 0)
		return -1;
	g = (int32_t)fl->ngrp++;
	fl->grp[g].value = d;
	fl->grp[g].prio = next_prio(fl);
	fl->parent[g] = g;
	fl->count[g] = 0;
	lo = d - HALF;
	if (d != 0 && lo <= d - 1) {
		trim_seqs(fl, lo, d - 1, g);
	} else {
		trim_seqs(fl, lo, UINT32_MAX, g);
		if (d != 0)
			trim_seqs(fl, 0, d - 1, g);
	}
	if (fl->count[g] > 0)
		insert(fl->grp, &fl->seqs, g);
	else
		fl->ngrp--;             /* nothing trimmed: the group was not needed */
	/* groups are made by every ACK and merged away once: a rebuild now
	 * and then keeps them near the entries in number */
	if (fl->ngrp > 4 * fl->n + 64)
		return rebuild(fl, 0);
	return 0;
}

/* ---- the list, short or long ------------------------------------------------- */

/* The short list moves into the sets (it is full). */
static int
grow_to_tree(struct cap_flight *fl)
{
	uint32_t seg[CAP_FLIGHT_SMALL][2];
	size_t n = fl->n;

	memcpy(seg, fl->small, n * sizeof seg[0]);
	clear(fl);
	for (size_t i = 0; i < n; i++)
		if (tree_add(fl, seg[i][0], seg[i][1]) < 0)
			return -1;
	fl->tree = 1;
	return 0;
}

/* The sets, short again, go back to a list (in the order of the ends:
 * the walk's results do not depend on the order). */
static int
shrink_to_list(struct cap_flight *fl)
{
	int32_t ids[CAP_FLIGHT_SMALL];
	uint32_t seg[CAP_FLIGHT_SMALL][2];
	size_t k = collect(fl->ent, fl->ends, ids, 0);

	for (size_t i = 0; i < k; i++) {
		seg[i][0] = fl->grp[find(fl, fl->group_of[ids[i]])].value;
		seg[i][1] = fl->ent[ids[i]].value;
	}
	clear(fl);
	memcpy(fl->small, seg, k * sizeof seg[0]);
	fl->n = k;
	return 0;
}

static int
add(struct cap_flight *fl, uint32_t s, uint32_t e)
{
	if (!fl->tree && fl->n == CAP_FLIGHT_SMALL && grow_to_tree(fl) < 0)
		return -1;
	if (fl->tree)
		return tree_add(fl, s, e);
	fl->small[fl->n][0] = s;
	fl->small[fl->n][1] = e;
	fl->n++;
	return 0;
}

/* What ACK d covers leaves the list, what it covers in part starts at d:
 * Wireshark's walk, on the short list; the sets' arcs say the same. */
static int
ack(struct cap_flight *fl, uint32_t d)
{
	size_t k = 0;

	if (fl->tree) {
		if (tree_ack(fl, d) < 0)
			return -1;
		return fl->tree && fl->n <= CAP_FLIGHT_SMALL / 4 ? shrink_to_list(fl) : 0;
	}
	for (size_t i = 0; i < fl->n; i++) {
		uint32_t s = fl->small[i][0], e = fl->small[i][1];

		if (!TT_SEQ_GT(e, d))
			continue;               /* acknowledged (or older) */
		if (TT_SEQ_GT(d, s))
			s = d;                  /* acknowledged in part */
		fl->small[k][0] = s;
		fl->small[k++][1] = e;
	}
	fl->n = k;
	return 0;
}

/* The lowest seq and the highest end of a list that is not empty. */
static void
span(const struct cap_flight *fl, uint32_t *lo, uint32_t *hi)
{
	if (fl->tree) {
		*lo = least(fl->grp, fl->seqs);
		*hi = greatest(fl->ent, fl->ends);
		return;
	}
	*lo = fl->small[0][0];
	*hi = fl->small[0][1];
	for (size_t i = 1; i < fl->n; i++) {
		if (fl->small[i][0] < *lo)
			*lo = fl->small[i][0];
		if (fl->small[i][1] > *hi)
			*hi = fl->small[i][1];
	}
}

/* ---- the two directions ------------------------------------------------------- */

void
cap_flights_init(struct cap_flights *f)
{
	memset(f, 0, sizeof *f);
	for (int d = 0; d < 2; d++) {
		clear(&f->dir[d]);
		/* a seed of the list's own (its address differs from run to run):
		 * the trees' shape does not follow the capture's numbers */
		f->dir[d].rng = ((uint64_t)(uintptr_t)&f->dir[d] * 0x9e3779b97f4a7c15ull) | 1;
	}
}

void
cap_flights_free(struct cap_flights *f)
{
	for (int d = 0; d < 2; d++) {
		struct cap_flight *fl = &f->dir[d];

		free(fl->ent);
		free(fl->group_of);
		free(fl->free_ent);
		free(fl->grp);
		free(fl->parent);
		free(fl->count);
	}
	memset(f, 0, sizeof *f);
}

int64_t
cap_flights_segment(struct cap_flights *f, int dir, uint32_t base, uint32_t seq, uint32_t ack_no,
                    uint32_t seglen, unsigned flags, unsigned notes, const uint32_t (*sack)[2],
                    unsigned nsack)
{
	struct cap_flight *fwd = &f->dir[dir], *rev = &f->dir[!dir];
	int64_t out = -1;

	/* the sender's list counts from its base (a new base: the same list,
	 * its numbers moved) */
	if (fwd->n == 0)
		fwd->ref = base;
	else if (fwd->ref != base) {
		if (rebuild(fwd, fwd->ref - base) < 0)
			return -2;
		fwd->ref = base;
	}
	if ((seglen || (flags & (TT_SYN | TT_FIN))) && fwd->n < CAP_FLIGHT_MAX &&
	    add(fwd, seq - base, seq + seglen + !!(flags & (TT_SYN | TT_FIN)) - base) < 0)
		return -2;
	if ((flags & TT_ACK) && ack(rev, ack_no - rev->ref) < 0)
		return -2;
	/* the highest end less the lowest seq of what is unacknowledged, less
	 * what the peer's last segment said it holds; none on a segment after
	 * a hole (tshark 4.0) */
	if (seglen && fwd->n && !(notes & TT_NOTE(LOST_SEGMENT))) {
		uint32_t lo, hi, in;

		span(fwd, &lo, &hi);
		in = hi - lo - rev->sacked;

		if (in > 0 && in < 2000000000)
			out = (int64_t)in - !!(flags & (TT_SYN | TT_FIN));
	}
	/* this segment's SACK blocks count for the other side's next one (and
	 * a segment without them clears them: tshark 4.0) */
	fwd->sacked = 0;
	for (unsigned i = 0; i < nsack && i < CAP_FLIGHT_SACK; i++)
		fwd->sacked += sack[i][1] - sack[i][0];
	return out;
}
