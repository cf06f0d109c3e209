/* base/pipe.h: fixed-size results handed from one thread to another in
 * blocks (doc/design.md, "Performance").
 *
 * A pipe is a ring of `nblocks` blocks of `per_block` slots of `size`
 * bytes. The producing thread fills slots one after the other and a block
 * goes over when it is full (or when tt_pipe_publish() hands over what is
 * in it); the consuming thread takes the slots in the same order. A block
 * changes hands without a lock, and a side that waits is woken only when
 * the other has done half the ring's worth (a wake-up a block would cost
 * about what the block saves). One producer, one consumer; the thread
 * that runs either side is the caller's to make (tt_pipe_run starts one).
 */
#ifndef TT_PIPE_H
#define TT_PIPE_H

#include <stddef.h>

struct tt_pipe;

/* NULL when out of memory or when the system has no mutex for it. */
struct tt_pipe *tt_pipe_new(size_t size, unsigned per_block, unsigned nblocks);
/* Runs fn(arg) in a new thread, which tt_pipe_free() waits for. 0, or -1
 * when no thread could start. */
int tt_pipe_run(struct tt_pipe *p, void *(*fn)(void *), void *arg);
/* Stops the pipe (the producer's next slot is NULL, the consumer's next
 * is NULL), waits for the thread tt_pipe_run started and frees it all. */
void tt_pipe_free(struct tt_pipe *p);

/* ---- the producing side ---- */
/* The slot to fill next (waiting for room), or NULL once the pipe is
 * stopped. */
void *tt_pipe_slot(struct tt_pipe *p);
/* The same without waiting: NULL when the ring is full (or stopped). */
void *tt_pipe_try_slot(struct tt_pipe *p);
/* The same, calling meanwhile(arg) while it waits (its thread waits for
 * no other thing then: a thread that both feeds this pipe and takes from
 * one this pipe's consumer fills, taking what is there while it waits,
 * cannot stand still with it). */
void *tt_pipe_slot_meanwhile(struct tt_pipe *p, void (*meanwhile)(void *), void *arg);
/* The slot tt_pipe_slot gave is filled. */
void tt_pipe_push(struct tt_pipe *p);
/* Hands over the slots filled so far without waiting for a full block. */
void tt_pipe_publish(struct tt_pipe *p);

/* ---- the consuming side ---- */
/* The consumer's place in the block it holds. Every pipe begins with one,
 * so that taking a slot from a block at hand is inline (tt_pipe_next); the
 * rest is tt_pipe_next_block's. Nobody else reads or writes it. */
struct tt_pipe_cursor {
	const unsigned char *blk;       /* the block held, or NULL */
	size_t size;                    /* a slot's bytes */
	unsigned pos, end;              /* the next slot there, and how many it has */
};

/* The next slot when the block at hand is used up (or none is held);
 * with `wait` 0, NULL when no block is ready yet. */
const void *tt_pipe_next_block(struct tt_pipe *p, int wait);

/* The next slot filled, valid until the next call: with `wait`, waiting
 * for one (NULL once the pipe is stopped); without, NULL when nothing was
 * handed over yet. */
static inline const void *
tt_pipe_take(struct tt_pipe *p, int wait)
{
	struct tt_pipe_cursor *c = (struct tt_pipe_cursor *)(void *)p;

	if (c->blk != NULL && c->pos != c->end)
		return c->blk + (size_t)c->pos++ * c->size;
	return tt_pipe_next_block(p, wait);
}

static inline const void *
tt_pipe_next(struct tt_pipe *p)
{
	return tt_pipe_take(p, 1);
}

static inline const void *
tt_pipe_try_next(struct tt_pipe *p)
{
	return tt_pipe_take(p, 0);
}

#endif
