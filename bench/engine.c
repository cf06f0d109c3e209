/* bench/engine.c: how many segment arrivals per second the engine takes.
 *
 * Two connections talk directly (no simulator): a handshake, then the client
 * streams data in MSS-sized segments and the server acknowledges each, then
 * both close. Every segment one side emits is handed to the other. The clock
 * is the process CPU time; the result is segments processed per second. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/tcp.h"

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Hands what one side emitted to the other, back and forth until both are
 * quiet; `first` was emitted by a. Counts arrivals. */
static unsigned long
pump(struct tt_conn *a, struct tt_conn *b, struct tt_out *first, tt_time now)
{
	struct tt_out q[2];
	struct tt_conn *c[2] = { a, b };
	unsigned long n = 0;
	int side = 1;

	q[0] = *first;
	for (;;) {
		if (q[0].nseg == 0)
			break;
		tt_out_clear(&q[1]);
		for (unsigned i = 0; i < q[0].nseg; i++) {
			tt_conn_input(c[side], &q[0].seg[i], now, &q[1]);
			n++;
		}
		q[0] = q[1];
		side = !side;
	}
	return n;
}

int
main(int argc, char **argv)
{
	unsigned long conns = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	unsigned long segs = 0;
	static uint8_t data[1460 * 8];
	struct tt_config cfg;
	double t0, t1;

	tt_config_default(&cfg);
	t0 = cpu_seconds();
	for (unsigned long k = 0; k < conns; k++) {
		struct tt_conn *cl = tt_conn_new(&cfg, (uint32_t)k * 7919u);
		struct tt_conn *sv = tt_conn_new(&cfg, (uint32_t)k * 104729u);
		struct tt_out out;

		tt_out_clear(&out);
		tt_conn_open(sv, 0, 0, &out);
		tt_out_clear(&out);
		tt_conn_open(cl, 1, 0, &out);
		segs += pump(cl, sv, &out, 0);
		for (int r = 0; r < 8; r++) {
			tt_out_clear(&out);
			tt_conn_send(cl, data, sizeof data, 0, &out);
			segs += pump(cl, sv, &out, 0);
		}
		tt_out_clear(&out);
		tt_conn_close(cl, 0, &out);
		segs += pump(cl, sv, &out, 0);
		tt_out_clear(&out);
		tt_conn_close(sv, 0, &out);
		segs += pump(sv, cl, &out, 0);
		tt_conn_free(cl);
		tt_conn_free(sv);
	}
	t1 = cpu_seconds();
	printf("engine: %lu connections, %lu segment arrivals in %.3f s CPU: %.2f million/s\n",
	       conns, segs, t1 - t0, (double)segs / (t1 - t0) / 1e6);
	return 0;
}
