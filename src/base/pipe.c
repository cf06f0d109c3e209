/* base/pipe.c: blocks of results from one thread to another (pipe.h).
 *
 * Block `made % nblocks` is the producer's to fill while made - taken <
 * nblocks; block `taken % nblocks` is the consumer's while taken < made.
 * Only the producer moves `made` and only the consumer `taken`, each with
 * a release store after its block is done with, each reading the other's
 * with an acquire load: a block changes hands without a lock.
 *
 * A side that finds nothing to do looks again for a while (SPIN: pauses of
 * the processor, then yields of it), then sleeps on a condition variable
 * under mu after saying so in its `waits` flag and looking once more; the other
 * side, after its store, looks at the flag (both sequentially consistent,
 * so one of the two sees the other) and wakes it under mu, but only once
 * half the ring is ready (or free): waking a thread on an idle processor
 * takes about as long as a block takes to make, so a wake-up a block would
 * cost about what the pipe saves, while with half the ring at hand the
 * woken side has work for longer than the other side needs to fill the
 * rest. Publishing (tt_pipe_publish) wakes at once.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/pipe.h"

/* Each side's own place is on a cache line of its own: written at every
 * slot, it would otherwise move between the two processors' caches at
 * every slot (false sharing). */
#define LINE 64
/* A side that finds nothing to do looks again SPIN times before it
 * sleeps: SPIN_PAUSES times after a pause of the processor (some ten
 * microseconds), then after handing the processor over (sched_yield():
 * some hundred more on an idle machine; where the two threads share one
 * processor, the other side runs meanwhile instead of waiting for a
 * spinning one, which made replay four times slower there) */
#define SPIN 600
#define SPIN_PAUSES 400

struct tt_pipe {
	/* the consumer's, first (pipe.h: tt_pipe_next reads it in place) */
	_Alignas(LINE) struct tt_pipe_cursor cur; /* block taken % nblocks, while held */
	uint64_t cons_taken;            /* its own copy of taken */
	/* the producer's */
	_Alignas(LINE) unsigned char *prod_blk; /* block made % nblocks, while it holds it */
	unsigned fill;                  /* slots filled there */
	uint64_t prod_made;             /* its own copy of made */
	/* shared */
	_Alignas(LINE) _Atomic uint64_t made, taken;   /* blocks */
	_Atomic int stop;
	_Atomic int prod_waits, cons_waits;
	pthread_mutex_t mu;
	pthread_cond_t room;            /* the producer waits: room */
	pthread_cond_t data;            /* the consumer waits: blocks */
	/* set once, or by one side before its store of made */
	size_t size;                    /* the producer's copy of cur.size: the
	                                   cursor's line is the consumer's */
	unsigned per_block, nblocks;
	unsigned *n;                    /* slots in each block made */
	pthread_t thread;               /* the one tt_pipe_run started */
	int running;
	unsigned char *slots;
};

_Static_assert(offsetof(struct tt_pipe, cur) == 0, "pipe.h's tt_pipe_next reads the cursor first");

static unsigned char *
block_at(const struct tt_pipe *p, uint64_t block)
{
	return p->slots + (size_t)(block % p->nblocks) * p->per_block * p->size;
}

struct tt_pipe *
tt_pipe_new(size_t size, unsigned per_block, unsigned nblocks)
{
	struct tt_pipe *p;

	if (size == 0 || per_block == 0 || nblocks < 2 ||
	    (size_t)per_block * nblocks > SIZE_MAX / size ||
	    (p = aligned_alloc(LINE, sizeof *p)) == NULL)
		return NULL;
	memset(p, 0, sizeof *p);
	atomic_init(&p->made, 0);
	atomic_init(&p->taken, 0);
	atomic_init(&p->stop, 0);
	atomic_init(&p->prod_waits, 0);
	atomic_init(&p->cons_waits, 0);
	p->size = size;
	p->cur.size = size;
	p->per_block = per_block;
	p->nblocks = nblocks;
	p->n = calloc(nblocks, sizeof *p->n);
	/* slots of a whole number of lines begin on lines, so that each
	 * moves between processors in as few of them as it can */
	p->slots = aligned_alloc(LINE, ((size_t)per_block * nblocks * size + LINE - 1) / LINE * LINE);
	if (p->n == NULL || p->slots == NULL)
		goto fail;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->room, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	if (pthread_cond_init(&p->data, NULL) != 0) {
		pthread_cond_destroy(&p->room);
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	free(p->n);
	free(p->slots);
	free(p);
	return NULL;
}

int
tt_pipe_run(struct tt_pipe *p, void *(*fn)(void *), void *arg)
{
	if (p->running || pthread_create(&p->thread, NULL, fn, arg) != 0)
		return -1;
	p->running = 1;
	return 0;
}

/* The producer's next slot is NULL, the consumer's next is NULL, and
 * whichever waits stops waiting. */
static void
stop(struct tt_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->stop, 1);
	pthread_cond_broadcast(&p->room);
	pthread_cond_broadcast(&p->data);
	pthread_mutex_unlock(&p->mu);
}

void
tt_pipe_free(struct tt_pipe *p)
{
	if (p == NULL)
		return;
	stop(p);
	if (p->running)
		pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->data);
	pthread_cond_destroy(&p->room);
	pthread_mutex_destroy(&p->mu);
	free(p->n);
	free(p->slots);
	free(p);
}

/* The producer: is there room for one more block, `want` blocks still
 * with the consumer at most? */
static int
room_for(struct tt_pipe *p, uint64_t want)
{
	return p->prod_made - atomic_load(&p->taken) <= want;
}

/* A moment's pause in a loop that waits for the other side, the i-th
 * time round: first a few pauses of the processor, then the processor
 * handed over to whatever else may run on it (the other side itself, when
 * both threads share one processor: spinning there would only hold it
 * back). */
static inline void
relax(unsigned i)
{
	if (i >= SPIN_PAUSES) {
		sched_yield();
		return;
	}
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* The producer waits until at most `want` blocks are with the consumer
 * (or the pipe stops). */
static void
wait_room(struct tt_pipe *p, uint64_t want)
{
	/* first a while on its feet (SPIN): the other side is mostly a block
	 * from done, and a thread put to sleep takes much longer than that to
	 * wake (on a virtual machine most of all) */
	for (unsigned i = 0; i < SPIN; i++) {
		if (room_for(p, p->nblocks - 1) || atomic_load_explicit(&p->stop, memory_order_relaxed))
			return;
		relax(i);
	}
	pthread_mutex_lock(&p->mu);
	atomic_store(&p->prod_waits, 1);
	while (!room_for(p, want) && !atomic_load(&p->stop))
		pthread_cond_wait(&p->room, &p->mu);
	atomic_store(&p->prod_waits, 0);
	pthread_mutex_unlock(&p->mu);
}

void *
tt_pipe_slot(struct tt_pipe *p)
{
	if (p->prod_blk == NULL) {
		if (!room_for(p, p->nblocks - 1))
			wait_room(p, p->nblocks / 2);
		if (atomic_load_explicit(&p->stop, memory_order_relaxed))
			return NULL;
		p->prod_blk = block_at(p, p->prod_made);
		p->fill = 0;
	}
	return p->prod_blk + (size_t)p->fill * p->size;
}

void *
tt_pipe_try_slot(struct tt_pipe *p)
{
	if (p->prod_blk == NULL && !room_for(p, p->nblocks - 1))
		return NULL;
	return tt_pipe_slot(p);
}

void *
tt_pipe_slot_meanwhile(struct tt_pipe *p, void (*meanwhile)(void *), void *arg)
{
	const struct timespec nap = { 0, 50000 };
	void *s;

	for (unsigned i = 0;; i++) {
		if ((s = tt_pipe_try_slot(p)) != NULL || atomic_load(&p->stop))
			return s;
		meanwhile(arg);
		if (i < SPIN)
			relax(i);
		else
			nanosleep(&nap, NULL);
	}
}

/* The producer's block goes over (if it holds one with slots filled), and
 * a sleeping consumer is woken: at once when `now`, even when the last
 * block went over full a moment before (tt_pipe_push handed it over
 * without waking anybody: half the ring was not ready), else once half
 * the ring is ready. */
static void
hand_over(struct tt_pipe *p, int now)
{
	if (p->prod_blk != NULL && p->fill > 0) {
		p->n[p->prod_made % p->nblocks] = p->fill;
		atomic_store(&p->made, ++p->prod_made);
		p->prod_blk = NULL;
	} else if (!now) {
		return;
	}
	if (atomic_load(&p->cons_waits) &&
	    (now || p->prod_made - atomic_load(&p->taken) >= p->nblocks / 2)) {
		pthread_mutex_lock(&p->mu);
		pthread_cond_signal(&p->data);
		pthread_mutex_unlock(&p->mu);
	}
}

void
tt_pipe_push(struct tt_pipe *p)
{
	if (++p->fill == p->per_block)
		hand_over(p, 0);
}

void
tt_pipe_publish(struct tt_pipe *p)
{
	hand_over(p, 1);
}

/* The consumer: is a block there? */
static int
block_ready(struct tt_pipe *p)
{
	return atomic_load(&p->made) != p->cons_taken;
}

const void *
tt_pipe_next_block(struct tt_pipe *p, int wait)
{
	struct tt_pipe_cursor *c = &p->cur;

	if (c->blk != NULL && c->pos == c->end) {
		/* the block is used up: back to the producer, woken when it
		 * waits and half the ring is free */
		uint64_t made;

		atomic_store(&p->taken, ++p->cons_taken);
		c->blk = NULL;
		made = atomic_load(&p->made);
		if (atomic_load(&p->prod_waits) && made - p->cons_taken <= p->nblocks / 2) {
			pthread_mutex_lock(&p->mu);
			pthread_cond_signal(&p->room);
			pthread_mutex_unlock(&p->mu);
		}
	}
	if (c->blk == NULL) {
		if (!block_ready(p)) {
			if (!wait)
				return NULL;
			for (unsigned i = 0; i < SPIN && !block_ready(p); i++)
				relax(i);
		}
		if (!block_ready(p)) {
			pthread_mutex_lock(&p->mu);
			atomic_store(&p->cons_waits, 1);
			while (!block_ready(p) && !atomic_load(&p->stop))
				pthread_cond_wait(&p->data, &p->mu);
			atomic_store(&p->cons_waits, 0);
			pthread_mutex_unlock(&p->mu);
		}
		if (atomic_load_explicit(&p->stop, memory_order_relaxed))
			return NULL;
		c->end = p->n[p->cons_taken % p->nblocks];
		c->blk = block_at(p, p->cons_taken);
		c->pos = 0;
	}
	return c->blk + (size_t)c->pos++ * c->size;
}
