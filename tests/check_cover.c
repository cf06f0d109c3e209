/* tests/check_cover.c: the challenge's list of transitions (tutor/cover.h)
 * held against the engine: every state change of every bundled scenario is
 * in the list (or one of the named kinds the challenge does not count), the
 * cover-*.scenario files take every entry, entries never overlap and each
 * is an edge tests/tt_check.h allows; coverage of hand-built steps; the
 * learner's cover-progress file. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/sim.h"
#include "tt_check.h"
#include "tutor/cover.h"

static const char *
datadir(void)
{
	const char *d = getenv("TCPTUTOR_DATADIR");

	return d != NULL ? d : ".";
}

static struct tt_sim *
run_path(const char *path)
{
	static char buf[1 << 16];
	char err[512];
	struct tt_scenario *sc;
	struct tt_sim *s;
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	sc = tt_scenario_parse(buf, n, path, err, sizeof err);
	ck_assert_msg(sc != NULL, "%s", err);
	s = tt_scenario_run(sc, NULL, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	tt_scenario_free(sc);
	return s;
}

/* Calls fn on the run of every bundled scenario; returns how many. */
static int
each_scenario(void (*fn)(const char *name, const struct tt_sim *s, void *ctx), void *ctx)
{
	char dir[1024], path[2048];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%s/lessons/scenarios", datadir());
	d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		struct tt_sim *s;

		if (l < 10 || strcmp(de->d_name + l - 9, ".scenario") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		s = run_path(path);
		fn(de->d_name, s, ctx);
		tt_sim_free(s);
		n++;
	}
	closedir(d);
	return n;
}

static void
check_events(const char *name, const struct tt_sim *s, void *ctx)
{
	int *changes = ctx;

	for (size_t i = 0; i < tt_sim_nsteps(s); i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		for (unsigned k = 0; k < st->nev; k++) {
			const struct tt_event *ev = &st->ev[k].ev;
			int t = tt_cover_item_of(ev);

			if (ev->from == ev->to)
				continue;
			(*changes)++;
			ck_assert_msg(t != -3, "%s: step %zu: %s -> %s (%s) is not in the list", name, i,
			              tt_state_name(ev->from), tt_state_name(ev->to),
			              tt_reason_id(ev->reason));
			ck_assert_msg(tt_check_edge_allowed(ev->from, ev->to, ev->reason),
			              "%s: %s -> %s (%s) is no edge of RFC 9293's diagram", name,
			              tt_state_name(ev->from), tt_state_name(ev->to),
			              tt_reason_id(ev->reason));
		}
	}
}

START_TEST(test_every_transition_of_the_scenarios_is_listed)
{
	int changes = 0;

	ck_assert_int_ge(each_scenario(check_events, &changes), 20);
	ck_assert_int_gt(changes, 100);
}
END_TEST

static void
collect(const char *name, const struct tt_sim *s, void *ctx)
{
	tt_cover_set *all = ctx;
	size_t n = tt_sim_nsteps(s);

	if (strncmp(name, "cover-", 6) == 0)
		*all |= tt_cover_steps(n ? tt_sim_step(s, 0) : NULL, n, NULL, NULL);
}

START_TEST(test_the_cover_scenarios_take_every_entry)
{
	tt_cover_set all = 0;

	each_scenario(collect, &all);
	for (size_t i = 0; i < tt_cover_nitems(); i++)
		ck_assert_msg((all >> i) & 1, "no cover-*.scenario takes %s", tt_cover_item(i)->id);
	ck_assert(all == tt_cover_all());
}
END_TEST

/* No two entries share a (from, to, cause); each entry's every from state
 * is an edge the independent list of tests/tt_check.h allows. */
START_TEST(test_entries_are_distinct_and_allowed)
{
	ck_assert_uint_le(tt_cover_nitems(), 64);
	for (int f = 0; f < TT_NSTATES; f++)
		for (int t = 0; t < TT_NSTATES; t++)
			for (int c = 0; c < TT_COVER_CAUSE_OUTSIDE; c++) {
				int n = 0;

				for (size_t i = 0; i < tt_cover_nitems(); i++) {
					const struct tt_cover_item *e = tt_cover_item(i);

					n += (e->from & (1u << f)) && (int)e->to == t && (e->causes & (1u << c));
				}
				ck_assert_msg(n <= 1, "%d entries for %s -> %s (%s)", n,
				              tt_state_name((enum tt_state)f), tt_state_name((enum tt_state)t),
				              tt_cover_cause_name((enum tt_cover_cause)c));
			}
	for (size_t i = 0; i < tt_cover_nitems(); i++) {
		const struct tt_cover_item *e = tt_cover_item(i);

		ck_assert(e->id != NULL && e->label != NULL && e->how != NULL && e->from != 0);
		ck_assert_msg(strpbrk(e->label, "\"\\\t\n") == NULL, "%s: label not plain", e->id);
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(tt_cover_item(j)->id, e->id);
		for (int f = 0; f < TT_NSTATES; f++) {
			int ok = 0;

			if (!(e->from & (1u << f)))
				continue;
			for (int r = 0; r < TT_NREASONS && !ok; r++)
				ok = (e->causes & (1u << tt_cover_cause_of((enum tt_reason)r))) &&
				     tt_check_edge_allowed((enum tt_state)f, e->to, (enum tt_reason)r);
			ck_assert_msg(ok, "%s from %s is no allowed edge", e->id,
			              tt_state_name((enum tt_state)f));
		}
	}
}
END_TEST

static struct tt_step
event_step(int host, enum tt_state from, enum tt_state to, enum tt_reason r)
{
	struct tt_step s;

	memset(&s, 0, sizeof s);
	s.kind = TT_STEP_EVENT;
	s.dir = host;
	s.nev = 1;
	s.ev[0].host = host;
	s.ev[0].ev.from = from;
	s.ev[0].ev.to = to;
	s.ev[0].ev.reason = r;
	return s;
}

static int
index_of(const char *id)
{
	for (size_t i = 0; i < tt_cover_nitems(); i++)
		if (strcmp(tt_cover_item(i)->id, id) == 0)
			return (int)i;
	ck_abort_msg("no transition %s", id);
	return -1;
}

START_TEST(test_coverage_of_steps)
{
	struct tt_step st[5];
	unsigned host[64], outside;
	tt_cover_set s;
	int po = index_of("passive-open"), ao = index_of("active-open"), ab = index_of("abort");

	st[0] = event_step(TT_SERVER, TT_CLOSED, TT_LISTEN, TT_R_OPEN_PASSIVE);
	st[1] = event_step(TT_CLIENT, TT_CLOSED, TT_SYN_SENT, TT_R_OPEN_ACTIVE);
	st[2] = event_step(TT_SERVER, TT_LISTEN, TT_SYN_SENT, TT_R_OPEN_LISTEN_ACTIVE);
	st[2].ev[1] = st[1].ev[0];      /* a second event in one step */
	st[2].ev[1].host = TT_SERVER;
	st[2].nev = 2;
	st[3] = event_step(TT_CLIENT, TT_SYN_SENT, TT_SYN_SENT, TT_R_RTX_TIMEOUT);  /* no change */
	st[4] = event_step(TT_CLIENT, TT_SYN_SENT, TT_CLOSED, TT_R_HOST_CRASH);     /* not counted */
	s = tt_cover_steps(st, 5, host, &outside);
	ck_assert_uint_eq(tt_cover_count(s), 3);
	ck_assert(((s >> po) & 1) && ((s >> ao) & 1) && !((s >> ab) & 1));
	ck_assert_uint_eq(host[po], 2);
	ck_assert_uint_eq(host[ao], 3);  /* both hosts */
	ck_assert_uint_eq(outside, 1);
	ck_assert(tt_cover_steps(st, 0, NULL, NULL) == 0);
	/* the diagram's edges: drawn ones only */
	ck_assert(tt_cover_edge(s, TT_CLOSED, TT_LISTEN));
	ck_assert(!tt_cover_edge(s, TT_LISTEN, TT_SYN_SENT));
	ck_assert(!tt_cover_edge(tt_cover_all(), TT_LISTEN, TT_SYN_SENT));
	ck_assert(tt_cover_edge(tt_cover_all(), TT_TIME_WAIT, TT_CLOSED));
	/* the two edges the screen's diagram draws beside the RFC figure's */
	ck_assert(tt_cover_edge(tt_cover_all(), TT_SYN_SENT, TT_SYN_RECEIVED));
	ck_assert(tt_cover_edge(tt_cover_all(), TT_FIN_WAIT_1, TT_TIME_WAIT));
	ck_assert_int_eq(tt_cover_next(s), index_of("listen-rcv-syn"));
	ck_assert_int_eq(tt_cover_next(tt_cover_all()), -1);
	/* a reset from a synchronized state and an abort from LISTEN */
	st[0] = event_step(TT_CLIENT, TT_LAST_ACK, TT_CLOSED, TT_R_RST_CLOSE);
	st[1] = event_step(TT_CLIENT, TT_LISTEN, TT_CLOSED, TT_R_ABORT_QUIET);
	ck_assert_int_eq(tt_cover_item_of(&st[0].ev[0].ev), index_of("reset"));
	ck_assert_int_eq(tt_cover_item_of(&st[1].ev[0].ev), ab);
	/* an engine state change the list does not know */
	st[2] = event_step(TT_CLIENT, TT_ESTABLISHED, TT_LISTEN, TT_R_ACK_NEW);
	ck_assert_int_eq(tt_cover_item_of(&st[2].ev[0].ev), -3);
}
END_TEST

/* ---- DIR/cover-progress ---- */

static char *
tempdir(void)
{
	static char dir[64];

	snprintf(dir, sizeof dir, "/tmp/tt-cover-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void
put(const char *dir, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/cover-progress", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_progress_round_trip_merge_and_reset)
{
	char *dir = tempdir(), warn[512], err[512];
	struct tt_cover_progress *a, *b;
	tt_cover_set one = 1, two = 2;

	a = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(warn, "");
	ck_assert(tt_cover_progress_get(a) == 0);
	b = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert(tt_cover_progress_add(a, one | two) == (one | two));
	ck_assert(tt_cover_progress_add(a, one) == 0);
	ck_assert_int_eq(tt_cover_progress_save(a, err, sizeof err), 0);
	/* a second sitting that loaded before keeps the first one's too */
	tt_cover_progress_add(b, 4);
	ck_assert_int_eq(tt_cover_progress_save(b, err, sizeof err), 0);
	ck_assert(tt_cover_progress_get(b) == 7);
	tt_cover_progress_free(b);
	b = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert(tt_cover_progress_get(b) == 7);
	/* reset: forgotten, also on disk */
	tt_cover_progress_reset(b);
	ck_assert(tt_cover_progress_get(b) == 0);
	ck_assert_int_eq(tt_cover_progress_save(b, err, sizeof err), 0);
	tt_cover_progress_free(b);
	b = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert(tt_cover_progress_get(b) == 0);
	tt_cover_progress_free(a);
	tt_cover_progress_free(b);
}
END_TEST

START_TEST(test_progress_damaged_foreign_and_unwritable)
{
	char *dir = tempdir(), warn[512], err[512], path[256];
	struct tt_cover_progress *p;
	struct stat sb;

	/* a damaged line: skipped, said once, the rest kept */
	put(dir, "tcptutor-cover 1\ntaken passive-open\ntaken no-such-edge\r\ntaken reset\r\n");
	p = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, ":3: 1 damaged line skipped") != NULL, "%s", warn);
	ck_assert_uint_eq(tt_cover_count(tt_cover_progress_get(p)), 2);
	tt_cover_progress_free(p);
	/* nothing of ours: moved aside, a fresh start */
	put(dir, "\x7f" "ELF garbage\n");
	p = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, "moved to") != NULL, "%s", warn);
	ck_assert(tt_cover_progress_get(p) == 0);
	tt_cover_progress_free(p);
	snprintf(path, sizeof path, "%s/cover-progress.corrupt-1", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	/* another version: not ours, moved aside too */
	put(dir, "tcptutor-cover 2\ntaken passive-open\n");
	p = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert(tt_cover_progress_get(p) == 0);
	tt_cover_progress_free(p);
	/* a directory where the file belongs */
	snprintf(path, sizeof path, "%s/cover-progress", dir);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	p = tt_cover_progress_load(dir, warn, sizeof warn);
	ck_assert_msg(strstr(warn, "is a directory") != NULL, "%s", warn);
	tt_cover_progress_add(p, 1);
	ck_assert_int_eq(tt_cover_progress_save(p, err, sizeof err), -1);
	ck_assert(tt_cover_progress_get(p) == 1);   /* kept for the next try */
	tt_cover_progress_free(p);
	rmdir(path);
	/* a folder that cannot be written (root may write anyway) */
	if (geteuid() != 0) {
		chmod(dir, 0500);
		p = tt_cover_progress_load(dir, warn, sizeof warn);
		tt_cover_progress_add(p, 1);
		ck_assert_int_eq(tt_cover_progress_save(p, err, sizeof err), -1);
		ck_assert_msg(strstr(err, "cannot write") != NULL, "%s", err);
		tt_cover_progress_free(p);
		chmod(dir, 0700);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cover");
	TCase *tc = tcase_create("cover");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_transition_of_the_scenarios_is_listed);
	tcase_add_test(tc, test_the_cover_scenarios_take_every_entry);
	tcase_add_test(tc, test_entries_are_distinct_and_allowed);
	tcase_add_test(tc, test_coverage_of_steps);
	tcase_add_test(tc, test_progress_round_trip_merge_and_reset);
	tcase_add_test(tc, test_progress_damaged_foreign_and_unwritable);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
