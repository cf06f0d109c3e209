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
 * made when it passes CAP_FLIGHT_SMALL and given up when an ACK leaves it
 * a quarter of that. Sequence numbers are kept relative to one reference
 * (the sender's base), so the lowest seq and highest end
 * are the least key of one set and the greatest of another. The ACK's
 * tests are modular (RFC 9293 §3.4): an end that is not after the ACK,
 * and a seq before it, each lie on an arc of the sequence circle, which
 * is one or two ranges of keys. Entries (by end) leave the end set a range
 * at a time; their seqs are in groups of equal value in the seq set, and
 * trimming merges every group of the arc into one whose value is the ACK
 * (union-find), so a trim costs a step per group it merges and a group is
 * merged once. The sets are treaps with priorities from a seed of their
 * own. Every step is a logarithm, amortized; tests/check_capture
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

/* A node of the ordered sets (an end, or a group of equal seqs). */
struct cap_fl_node {
	uint32_t value;
	uint32_t prio;
	int32_t l, r;
};

/* A long list's ordered sets, relative to cap_flight.ref. */
struct cap_fl_tree {
	/* the ends, by entry; each entry's group of seqs */
	struct cap_fl_node *ent;
	int32_t *group_of, *free_ent;
	size_t nent, nfree, ent_cap, gof_cap, free_cap;
	/* the groups of seqs, merged by ACKs (union-find) */
	struct cap_fl_node *grp;
	int32_t *parent;
	uint32_t *count;          /* entries in a group (at its root) */
	size_t ngrp, grp_cap, parent_cap, count_cap;
	int32_t ends, seqs;       /* the two trees' roots */
	uint64_t rng;
};

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
	fl->tree->rng ^= fl->tree->rng >> 12;
	fl->tree->rng ^= fl->tree->rng << 25;
	fl->tree->rng ^= fl->tree->rng >> 27;
	return (uint32_t)((fl->tree->rng * 0x2545f4914f6cdd1dull) >> 32);
}

/* ---- one direction's list ----------------------------------------------------- */

/* The group a seq belongs to, now (path halving). */
static int32_t
find(struct cap_flight *fl, int32_t g)
{
	while (fl->tree->parent[g] != g) {
		fl->tree->parent[g] = fl->tree->parent[fl->tree->parent[g]];
		g = fl->tree->parent[g];
	}
	return g;
}

/* The sets empty, their arrays kept. */
static void
tree_clear(struct cap_fl_tree *t)
{
	t->nent = t->nfree = t->ngrp = 0;
	t->ends = t->seqs = NIL;
}

/* The list short again (or empty): the sets go. */
static void
tree_free(struct cap_flight *fl)
{
	struct cap_fl_tree *t = fl->tree;

	if (t == NULL)
		return;
	free(t->ent);
	free(t->group_of);
	free(t->free_ent);
	free(t->grp);
	free(t->parent);
	free(t->count);
	free(t);
	fl->tree = NULL;
}

/* Room for one more entry and one more group; -1 when out of memory. */
static int
room(struct cap_flight *fl)
{
	if (fl->tree->nfree == 0 &&
	    (TT_GROW(fl->tree->ent, fl->tree->nent, fl->tree->ent_cap, 16) < 0 ||
	     TT_GROW(fl->tree->group_of, fl->tree->nent, fl->tree->gof_cap, 16) < 0 ||
	     TT_GROW(fl->tree->free_ent, fl->tree->nent, fl->tree->free_cap, 16) < 0))
		return -1;
	if (TT_GROW(fl->tree->grp, fl->tree->ngrp, fl->tree->grp_cap, 16) < 0 ||
	    TT_GROW(fl->tree->parent, fl->tree->ngrp, fl->tree->parent_cap, 16) < 0 ||
	    TT_GROW(fl->tree->count, fl->tree->ngrp, fl->tree->count_cap, 16) < 0)
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
	x = fl->tree->nfree > 0 ? fl->tree->free_ent[--fl->tree->nfree] : (int32_t)fl->tree->nent++;
	g = (int32_t)fl->tree->ngrp++;
	fl->tree->ent[x].value = e;
	fl->tree->ent[x].prio = next_prio(fl);
	insert(fl->tree->ent, &fl->tree->ends, x);
	fl->tree->grp[g].value = s;
	fl->tree->grp[g].prio = next_prio(fl);
	insert(fl->tree->grp, &fl->tree->seqs, g);
	fl->tree->parent[g] = g;
	fl->tree->count[g] = 1;
	fl->tree->group_of[x] = g;
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

	if (fl->tree == NULL) {
		for (size_t i = 0; i < n; i++) {
			fl->small[i][0] += shift;
			fl->small[i][1] += shift;
		}
		return 0;
	}
	ids = malloc((n ? n : 1) * sizeof *ids);
	seg = malloc((n ? n : 1) * sizeof *seg);
	if (ids == NULL || seg == NULL) {
		free(ids);
		free(seg);
		return -1;
	}
	k = collect(fl->tree->ent, fl->tree->ends, ids, 0);
	for (size_t i = 0; i < k; i++) {
		seg[i][0] = fl->tree->grp[find(fl, fl->tree->group_of[ids[i]])].value + shift;
		seg[i][1] = fl->tree->ent[ids[i]].value + shift;
	}
	tree_clear(fl->tree);
	fl->n = 0;
	for (size_t i = 0; i < k; i++)
		if (tree_add(fl, seg[i][0], seg[i][1]) < 0)
			break;  /* cannot fail: the arrays hold as many already */
	free(ids);
	free(seg);
	return 0;
}

/* Entries whose end is on [lo, hi] leave (their groups count one less). */
static void
drop_ends(struct cap_flight *fl, uint32_t lo, uint32_t hi)
{
	int32_t m = take(fl->tree->ent, &fl->tree->ends, lo, hi);

	/* the nodes taken, in no order: each leaves */
	while (m != NIL) {
		int32_t x = m, g;

		/* unlink the root of the subtree, merging its children */
		m = merge(fl->tree->ent, fl->tree->ent[x].l, fl->tree->ent[x].r);
		g = find(fl, fl->tree->group_of[x]);
		if (--fl->tree->count[g] == 0)
			erase(fl->tree->grp, &fl->tree->seqs, g);
		fl->tree->free_ent[fl->tree->nfree++] = x;
		fl->n--;
	}
}

/* Groups whose seq is on [lo, hi] join group g (value d). */
static void
trim_seqs(struct cap_flight *fl, uint32_t lo, uint32_t hi, int32_t g)
{
	int32_t m = take(fl->tree->grp, &fl->tree->seqs, lo, hi);

	while (m != NIL) {
		int32_t x = m;

		m = merge(fl->tree->grp, fl->tree->grp[x].l, fl->tree->grp[x].r);
		fl->tree->parent[x] = g;
		fl->tree->count[g] += fl->tree->count[x];
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

	if (lo <= d) {
		drop_ends(fl, lo, d);
	} else {
		drop_ends(fl, lo, UINT32_MAX);
		drop_ends(fl, 0, d);
	}
	if (fl->n == 0) {
		tree_free(fl);          /* a list again, empty */
		return 0;
	}
	/* the trimmed seqs, if any, become one group of value d */
	if (room(fl) < 0)
		return -1;
	g = (int32_t)fl->tree->ngrp++;
	fl->tree->grp[g].value = d;
	fl->tree->grp[g].prio = next_prio(fl);
	fl->tree->parent[g] = g;
	fl->tree->count[g] = 0;
	lo = d - HALF;
	if (d != 0 && lo <= d - 1) {
		trim_seqs(fl, lo, d - 1, g);
	} else {
		trim_seqs(fl, lo, UINT32_MAX, g);
		if (d != 0)
			trim_seqs(fl, 0, d - 1, g);
	}
	if (fl->tree->count[g] > 0)
		insert(fl->tree->grp, &fl->tree->seqs, g);
	else
		fl->tree->ngrp--;             /* nothing trimmed: the group was not needed */
	/* groups are made by every ACK and merged away once: a rebuild now
	 * and then keeps them near the entries in number */
	if (fl->tree->ngrp > 4 * fl->n + 64)
		return rebuild(fl, 0);
	return 0;
}

/* ---- the list, short or long ------------------------------------------------- */

/* The short list moves into the sets (it is full). */
static int
grow_to_tree(struct cap_flight *fl)
{
	size_t n = fl->n;

	if ((fl->tree = calloc(1, sizeof *fl->tree)) == NULL)
		return -1;
	tree_clear(fl->tree);
	/* a seed of the sets' own (their address differs from run to run):
	 * the trees' shape does not follow the capture's numbers */
	fl->tree->rng = ((uint64_t)(uintptr_t)fl->tree * 0x9e3779b97f4a7c15ull) | 1;
	fl->n = 0;
	for (size_t i = 0; i < n; i++)
		if (tree_add(fl, fl->small[i][0], fl->small[i][1]) < 0)
			return -1;
	return 0;
}

/* The sets, short again, go back to a list (in the order of the ends:
 * the walk's results do not depend on the order). The list's array has
 * room: it held CAP_FLIGHT_SMALL before the sets were made. */
static void
shrink_to_list(struct cap_flight *fl)
{
	int32_t ids[CAP_FLIGHT_SMALL];
	size_t k = collect(fl->tree->ent, fl->tree->ends, ids, 0);

	for (size_t i = 0; i < k; i++) {
		fl->small[i][0] = fl->tree->grp[find(fl, fl->tree->group_of[ids[i]])].value;
		fl->small[i][1] = fl->tree->ent[ids[i]].value;
	}
	tree_free(fl);
	fl->n = k;
}

static int
add(struct cap_flight *fl, uint32_t s, uint32_t e)
{
	if (fl->tree == NULL && fl->n == CAP_FLIGHT_SMALL && grow_to_tree(fl) < 0)
		return -1;
	if (fl->tree != NULL)
		return tree_add(fl, s, e);
	if (TT_GROW(fl->small, fl->n, fl->small_cap, 4) < 0)
		return -1;
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

	if (fl->tree != NULL) {
		if (tree_ack(fl, d) < 0)
			return -1;
		if (fl->tree != NULL && fl->n <= CAP_FLIGHT_SMALL / 4)
			shrink_to_list(fl);
		return 0;
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
	if (fl->tree != NULL) {
		*lo = least(fl->tree->grp, fl->tree->seqs);
		*hi = greatest(fl->tree->ent, fl->tree->ends);
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
}

void
cap_flights_free(struct cap_flights *f)
{
	for (int d = 0; d < 2; d++) {
		tree_free(&f->dir[d]);
		free(f->dir[d].small);
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
