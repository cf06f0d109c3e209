/* tests/check_fuzz_replay.c: the replay fuzz harness (tests/fuzz_replay.c)
 * run from fixed seeds inside make check, so that what it holds the stream
 * table to is checked on every build, not only when someone fuzzes:
 * whatever the segments, rows with TCBs, TSV rows and --streams agree on
 * every state, every frame gives its row once and in order, and a stream
 * followed alone (replay --stream, the TUI) gives the whole run's rows.
 *
 * Like the harness, this program is built with 8 observers awake at once
 * (LIVE_MAX), so that its 16 connections rest and wake all the time, as
 * thousands do in a real capture. The inputs are random but biased toward
 * sense: most segments start where their sender's last one ended and
 * acknowledge what the other side sent, some are off by a little, a few
 * are anything. A violation aborts inside the harness; the seed is written
 * to standard error first, and TT_FUZZ_SEED=S runs only that one (for a
 * debugger). TT_FUZZ_SEEDS=N runs seeds 1..N (default 1000).
 */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "tt_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC 10

static uint64_t
next(uint64_t *s)
{
	return tt_next64(s);
}

/* A small offset most of the time, sometimes a wild one. */
static uint16_t
offset(uint64_t *s)
{
	unsigned r = (unsigned)(next(s) % 100);

	if (r < 75)
		return 0;
	if (r < 95)
		return (uint16_t)(int16_t)((int)(next(s) % 21) - 10);
	return (uint16_t)next(s);
}

/* One input: a few connections opened, talking and closing in random
 * order, with damage sprinkled in. */
static size_t
make_input(uint64_t seed, uint8_t *buf, size_t cap)
{
	uint64_t s = seed;
	size_t n = 1 + (size_t)(next(&s) % (cap / REC));
	/* every other seed: few connections and few SYNs (each new ISN on a
	 * known 4-tuple starts a stream), so that no more streams than
	 * observers awake and the followed stream is compared with the whole */
	int few = seed % 2 == 0;
	unsigned conns = 1 + (unsigned)(next(&s) % (few ? 4 : 16));
	/* one seed in ten is long, past the rows the table holds (CAP_HELD) */
	if (seed % 10 == 4)
		n = cap / REC;

	for (size_t i = 0; i < n; i++) {
		uint8_t *b = buf + i * REC;
		uint16_t so = offset(&s), ao = offset(&s), win = (uint16_t)(next(&s) % 4 ? 65535 : next(&s));
		unsigned r = (unsigned)(next(&s) % 100);
		/* flag sets of the harness: 0 SYN, 1 SYN,ACK, 2 ACK, 3 PSH,ACK, 4 FIN,ACK,
		 * 5 RST, 6 RST,ACK, the rest rarer; above 15 raw flag bits */
		unsigned fsel = r < 8 ? 0 : r < 16 ? 1 : r < 50 ? 2 : r < 75 ? 3 : r < 85 ? 4 :
		                r < 88 ? 5 : r < 91 ? 6 : (unsigned)(next(&s) % 64);

		/* few: SYNs only to open, no raw flag bits */
		if (few && (fsel > 15 || (fsel <= 1 && i >= 2 * conns)))
			fsel = 2 + r % 3;

		b[0] = (uint8_t)(next(&s) % conns);
		b[1] = (uint8_t)(fsel << 1 | (next(&s) & 1));
		b[2] = (uint8_t)(so >> 8);
		b[3] = (uint8_t)so;
		b[4] = (uint8_t)(ao >> 8);
		b[5] = (uint8_t)ao;
		b[6] = fsel == 3 ? (uint8_t)(1 + next(&s) % 200) : 0;
		b[7] = (uint8_t)(win >> 8);
		b[8] = (uint8_t)win;
		b[9] = (uint8_t)next(&s);
	}
	return n * REC;
}

static volatile sig_atomic_t current;

/* The harness aborts on a violation: the seed goes to standard error
 * (with write(2), as a signal handler may), then the abort goes on. */
static void
say_seed(int sig)
{
	char msg[64] = "check_fuzz_replay: TT_FUZZ_SEED=", num[24];
	size_t at = strlen(msg), k = 0;
	unsigned long v = (unsigned long)current;

	do
		num[k++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && k < sizeof num);
	while (k > 0)
		msg[at++] = num[--k];
	msg[at++] = '\n';
	(void)!write(STDERR_FILENO, msg, at);
	signal(sig, SIG_DFL);
	raise(sig);
}

START_TEST(test_random_segments_agree_in_every_kind_of_run)
{
	static uint8_t buf[REC * 5000];
	const char *one = getenv("TT_FUZZ_SEED"), *e = getenv("TT_FUZZ_SEEDS");
	unsigned long first = 1, last = e != NULL ? strtoul(e, NULL, 10) : 1000;

	if (one != NULL)
		first = last = strtoul(one, NULL, 10);
	/* the handler reads the seed as a sig_atomic_t */
	ck_assert_msg(last <= INT_MAX, "seeds go up to %d", INT_MAX);
	signal(SIGABRT, say_seed);
	for (unsigned long seed = first; seed <= last; seed++) {
		current = (sig_atomic_t)seed;
		LLVMFuzzerTestOneInput(buf, make_input(seed, buf, sizeof buf));
	}
	signal(SIGABRT, SIG_DFL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fuzz_replay");
	TCase *tc = tcase_create("seeds");

	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, test_random_segments_agree_in_every_kind_of_run);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
