/* tutor/lesson.c: a parsed lesson (lesson_parse.c reads the format of
 * doc/lesson-format.md) as the rest of the program sees it. tt_lesson_run()
 * runs the scenario, scene by scene, or loads the capture, and reads each
 * checkpoint's answer off the steps; the accessors hand out the result.
 * Every error is "FILE:LINE: message"; nothing here prints.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "i18n.h"
#include "tutor/lesson.h"
#include "tutor/lesson_impl.h"

/* ---- small helpers ------------------------------------------------------- */

int
tt_lesson_fail(char *err, size_t errlen, const char *fname, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = line ? snprintf(err, errlen, "%s:%u: ", fname, line)
	             : snprintf(err, errlen, "%s: ", fname);

	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- accessors ------------------------------------------------------------ */

const char *
tt_lesson_check_kind_name(enum tt_lesson_check_kind k)
{
	static const char *const names[] = {
#define TT_LESSON_CHECK_NAME(id, name) name,
		TT_LESSON_CHECK_KINDS(TT_LESSON_CHECK_NAME)
#undef TT_LESSON_CHECK_NAME
	};

	return (unsigned)k < TT_LESSON_NCHECK_KINDS ? names[k] : "?";
}

const char *tt_lesson_name(const struct tt_lesson *l) { return l->name; }
int tt_lesson_order(const struct tt_lesson *l) { return l->order; }
const char *tt_lesson_capture(const struct tt_lesson *l) { return l->capture; }

const char *
tt_lesson_title(const struct tt_lesson *l, int lang)
{
	return l->title[lang == TT_ZH ? TT_ZH : TT_EN];
}

const char *
tt_lesson_summary(const struct tt_lesson *l, int lang)
{
	return l->summary[lang == TT_ZH ? TT_ZH : TT_EN];
}

size_t tt_lesson_nsteps(const struct tt_lesson *l) { return l->nsteps; }
const struct tt_step *tt_lesson_steps(const struct tt_lesson *l) { return l->steps; }
size_t tt_lesson_nparts(const struct tt_lesson *l) { return l->nparts; }
size_t tt_lesson_nchecks(const struct tt_lesson *l) { return l->nchecks; }

size_t tt_lesson_nscenes(const struct tt_lesson *l) { return l->capture ? 1 : l->nscs; }

const char *
tt_lesson_scene_endpoint(const struct tt_lesson *l, unsigned scene, int host)
{
	if (!l->ran || scene >= tt_lesson_nscenes(l))
		return "";
	return l->endpoint[scene][host == TT_SERVER];
}

const char *
tt_lesson_stream_endpoint(const struct tt_lesson *l, unsigned stream, int host)
{
	if (!l->ran || stream >= l->nstreams)
		return "";
	return l->sendpoint[stream][host == TT_SERVER];
}

unsigned
tt_lesson_step_scene(const struct tt_lesson *l, size_t i)
{
	return l->ran && i < l->nsteps ? l->step_scene[i] : 0;
}

const struct tt_scenario *
tt_lesson_scene_scenario(const struct tt_lesson *l, unsigned scene)
{
	return l->capture == NULL && scene < l->nscs ? l->scs[scene] : NULL;
}

const struct tt_lesson_part *
tt_lesson_part(const struct tt_lesson *l, size_t i)
{
	return i < l->nparts ? &l->parts[i].pub : NULL;
}

const struct tt_lesson_check *
tt_lesson_check(const struct tt_lesson *l, size_t i)
{
	return i < l->nchecks ? &l->checks[i].pub : NULL;
}

const struct tt_lesson_part *
tt_lesson_part_of_step(const struct tt_lesson *l, size_t i)
{
	if (!l->ran || i >= l->nsteps || l->step_part[i] == NULL)
		return NULL;
	return &l->step_part[i]->pub;
}

const struct tt_lesson_check *
tt_lesson_check_before(const struct tt_lesson *l, size_t i)
{
	if (!l->ran || i >= l->nsteps || l->step_check[i] == NULL)
		return NULL;
	return &l->step_check[i]->pub;
}

/* The bases of segment step st's numbers: a capture's steps carry them in
 * their TCB views; a simulated step counts by its stream (add_streams). */
static void
step_bases(const struct tt_lesson *l, const struct tt_step *st, uint32_t b[2])
{
	size_t i = (size_t)(st - l->steps);
	unsigned sc = i < l->nsteps ? l->step_scene[i] : 0;

	for (int h = 0; h < 2; h++) {
		if (l->capture_steps)
			b[h] = st->tcb[h].iss;
		else if (st->stream < l->nstreams)
			b[h] = l->sbase[st->stream][h];
		else
			b[h] = l->iss[sc][h];
	}
}

void
tt_lesson_relative(const struct tt_lesson *l, const struct tt_step *st, uint32_t *seq, uint32_t *ack)
{
	uint32_t b[2];

	step_bases(l, st, b);
	tt_trace_rel(st, b, seq, ack);
}

const uint32_t *
tt_lesson_step_bases(const struct tt_lesson *l)
{
	return l->step_base;
}

int
tt_lesson_check_correct(const struct tt_lesson_check *c, const char *answer)
{
	char buf[64];
	size_t n;

	while (tt_lesson_is_blank(*answer))
		answer++;
	n = strlen(answer);
	while (n > 0 && (tt_lesson_is_blank(answer[n - 1]) || answer[n - 1] == '\n'))
		n--;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, answer, n);
	buf[n] = '\0';
	for (char *q = buf; *q != '\0'; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	if (c->kind == TT_LESSON_CHECK_STATE) {
		int s = tt_state_from_name(buf);

		return s >= 0 && strcmp(tt_state_name((enum tt_state)s), c->answer) == 0;
	}
	if (c->kind == TT_LESSON_CHECK_FLAGS) {
		int f = tt_flags_parse(buf);
		char norm[64];

		return f >= 0 && strcmp(tt_flags_format((unsigned)f, norm, sizeof norm), c->answer) == 0;
	}
	return strcmp(buf, c->answer) == 0;
}

/* ---- freeing -------------------------------------------------------------- */

void
tt_lesson_free(struct tt_lesson *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nparts; i++)
		for (int g = 0; g < TT_NLANG; g++)
			free(l->parts[i].say[g]);
	for (size_t i = 0; i < l->nchecks; i++) {
		for (int g = 0; g < TT_NLANG; g++) {
			free(l->checks[i].ask[g]);
			free(l->checks[i].why[g]);
		}
		for (unsigned k = 0; k < l->checks[i].nauthor; k++)
			free(l->checks[i].author[k]);
	}
	for (int g = 0; g < TT_NLANG; g++) {
		free(l->title[g]);
		free(l->summary[g]);
	}
	free(l->parts);
	free(l->checks);
	free(l->fname);
	free(l->name);
	free(l->capture);
	free(l->steps);
	free(l->step_part);
	free(l->step_check);
	for (size_t i = 0; i < l->nscs; i++)
		tt_scenario_free(l->scs[i]);
	free(l->scs);
	free(l->endpoint);
	free(l->iss);
	free(l->sendpoint);
	free(l->sbase);
	free(l->step_base);
	free(l->step_scene);
	free(l);
}

/* ---- running and answering ------------------------------------------------------ */

/* Plausible wrong states for each right one (a learner's usual mix-ups). */
static const enum tt_state state_distractors[TT_NSTATES][3] = {
	[TT_CLOSED] = { TT_LISTEN, TT_SYN_SENT, TT_TIME_WAIT },
	[TT_LISTEN] = { TT_CLOSED, TT_SYN_SENT, TT_SYN_RECEIVED },
	[TT_SYN_SENT] = { TT_LISTEN, TT_SYN_RECEIVED, TT_ESTABLISHED },
	[TT_SYN_RECEIVED] = { TT_LISTEN, TT_SYN_SENT, TT_ESTABLISHED },
	[TT_ESTABLISHED] = { TT_SYN_SENT, TT_SYN_RECEIVED, TT_CLOSE_WAIT },
	[TT_FIN_WAIT_1] = { TT_FIN_WAIT_2, TT_CLOSE_WAIT, TT_CLOSING },
	[TT_FIN_WAIT_2] = { TT_FIN_WAIT_1, TT_CLOSE_WAIT, TT_TIME_WAIT },
	[TT_CLOSE_WAIT] = { TT_FIN_WAIT_2, TT_CLOSING, TT_LAST_ACK },
	[TT_CLOSING] = { TT_FIN_WAIT_2, TT_LAST_ACK, TT_TIME_WAIT },
	[TT_LAST_ACK] = { TT_CLOSED, TT_CLOSE_WAIT, TT_TIME_WAIT },
	[TT_TIME_WAIT] = { TT_CLOSED, TT_FIN_WAIT_2, TT_LAST_ACK },
};

/* Flag combinations in the order choices are shown, with each one's usual
 * mix-ups. */
static const unsigned flag_pool[] = {
	TT_SYN, TT_SYN | TT_ACK, TT_ACK, TT_PSH | TT_ACK, TT_FIN | TT_ACK,
	TT_FIN | TT_PSH | TT_ACK, TT_RST, TT_RST | TT_ACK,
};
#define NPOOL (sizeof flag_pool / sizeof flag_pool[0])

static const struct {
	unsigned flags;
	unsigned wrong[3];
} flag_distractors[] = {
	{ TT_SYN, { TT_SYN | TT_ACK, TT_ACK, TT_RST } },
	{ TT_SYN | TT_ACK, { TT_SYN, TT_ACK, TT_RST | TT_ACK } },
	{ TT_ACK, { TT_SYN | TT_ACK, TT_PSH | TT_ACK, TT_FIN | TT_ACK } },
	{ TT_PSH | TT_ACK, { TT_ACK, TT_FIN | TT_ACK, TT_SYN | TT_ACK } },
	{ TT_FIN | TT_ACK, { TT_ACK, TT_PSH | TT_ACK, TT_RST | TT_ACK } },
	{ TT_FIN | TT_PSH | TT_ACK, { TT_FIN | TT_ACK, TT_PSH | TT_ACK, TT_ACK } },
	{ TT_RST, { TT_RST | TT_ACK, TT_ACK, TT_SYN | TT_ACK } },
	{ TT_RST | TT_ACK, { TT_RST, TT_ACK, TT_FIN | TT_ACK } },
};

static const char *const flag_names_pool[] = {
	"SYN", "SYN,ACK", "ACK", "PSH,ACK", "FIN,ACK", "FIN,PSH,ACK", "RST", "RST,ACK",
};

/* Fills the checkpoint's choices: the author's, or the answer plus three
 * distractors in a fixed order (so goldens are stable). */
static int
make_choices(struct tt_lesson *l, struct check *c, char *err, size_t errlen)
{
	struct tt_lesson_check *pc = &c->pub;

	pc->nchoices = 0;
	if (pc->kind != TT_LESSON_CHECK_STATE && pc->kind != TT_LESSON_CHECK_FLAGS)
		return 0;
	if (c->nauthor > 0) {
		for (unsigned i = 0; i < c->nauthor; i++) {
			if (strcmp(c->author[i], pc->answer) == 0)
				pc->answer_choice = i;
			pc->choices[pc->nchoices++] = c->author[i];
		}
		for (unsigned i = 0; i < c->nauthor; i++)
			if (strcmp(c->author[i], pc->answer) == 0)
				return 0;
		return tt_lesson_fail(err, errlen, l->fname, c->choices_line,
		            _("choices do not include the engine's answer '%s'"), pc->answer);
	}
	if (pc->kind == TT_LESSON_CHECK_STATE) {
		int right = tt_state_from_name(pc->answer);
		int use[TT_NSTATES] = { 0 };

		use[right] = 1;
		for (int i = 0; i < 3; i++)
			use[state_distractors[right][i]] = 1;
		for (int s = 0; s < TT_NSTATES; s++)
			if (use[s]) {
				if (s == right)
					pc->answer_choice = pc->nchoices;
				pc->choices[pc->nchoices++] = tt_state_name((enum tt_state)s);
			}
		return 0;
	} else {
		int right = tt_flags_parse(pc->answer);
		int use[NPOOL] = { 0 }, found = -1;
		const unsigned *wrong = NULL;

		for (size_t i = 0; i < sizeof flag_distractors / sizeof flag_distractors[0]; i++)
			if (flag_distractors[i].flags == (unsigned)right)
				wrong = flag_distractors[i].wrong;
		for (size_t i = 0; i < NPOOL; i++) {
			if (flag_pool[i] == (unsigned)right)
				found = (int)i;
			for (int k = 0; wrong != NULL && k < 3; k++)
				if (wrong[k] == flag_pool[i])
					use[i] = 1;
		}
		if (wrong == NULL) {   /* an unusual combination: the common ones */
			use[1] = use[2] = use[7] = 1;
		}
		if (found >= 0)
			use[found] = 1;
		for (size_t i = 0; i < NPOOL; i++)
			if (use[i]) {
				if ((int)i == found)
					pc->answer_choice = pc->nchoices;
				pc->choices[pc->nchoices++] = flag_names_pool[i];
			}
		if (found < 0) {
			/* The answer text lives in pc->answer; offer it last. */
			pc->answer_choice = pc->nchoices;
			pc->choices[pc->nchoices++] = pc->answer;
		}
	}
	return 0;
}

static int
answer_checks(struct tt_lesson *l, char *err, size_t errlen)
{
	for (size_t i = 0; i < l->nchecks; i++) {
		struct check *c = &l->checks[i];
		struct tt_lesson_check *pc = &c->pub;
		const struct part *pt = &l->parts[c->part];
		size_t first = pt->pub.first, end = pt->pub.end, k;

		pc->step = first;
		if (first >= end)
			return tt_lesson_fail(err, errlen, l->fname, pc->line,
			            _("check %s: the action on line %u produces no step"),
			            tt_lesson_check_kind_name(pc->kind), pt->pub.line);
		if (pc->kind == TT_LESSON_CHECK_STATE) {
			pc->answer_step = end - 1;
			snprintf(pc->answer, sizeof pc->answer, "%s",
			         tt_state_name(l->steps[end - 1].tcb[pc->host].state));
		} else {
			const struct tt_step *st;
			uint32_t seq, ack;

			for (k = first; k < end && l->steps[k].kind != TT_STEP_SEGMENT; k++)
				;
			if (k == end)
				return tt_lesson_fail(err, errlen, l->fname, pc->line,
				            _("check %s: the action on line %u produces no segment"),
				            tt_lesson_check_kind_name(pc->kind), pt->pub.line);
			st = &l->steps[k];
			pc->answer_step = k;
			pc->host = st->dir;
			tt_lesson_relative(l, st, &seq, &ack);
			switch (pc->kind) {
			case TT_LESSON_CHECK_FLAGS:
				tt_flags_format(st->seg.flags, pc->answer, sizeof pc->answer);
				break;
			case TT_LESSON_CHECK_SEQ:
				snprintf(pc->answer, sizeof pc->answer, "%" PRIu32, seq);
				break;
			case TT_LESSON_CHECK_ACK:
				if (!(st->seg.flags & TT_ACK))
					return tt_lesson_fail(err, errlen, l->fname, pc->line,
					            _("check ack: the segment of line %u has no ACK flag"),
					            pt->pub.line);
				snprintf(pc->answer, sizeof pc->answer, "%" PRIu32, ack);
				break;
			default:
				snprintf(pc->answer, sizeof pc->answer, "%" PRIu32, st->seg.len);
				break;
			}
		}
		if (make_choices(l, c, err, errlen) < 0)
			return -1;
		if (l->step_check[first] != NULL)
			return tt_lesson_fail(err, errlen, l->fname, pc->line,
			            _("two checkpoints before the same step"));
		l->step_check[first] = c;
	}
	return 0;
}

/* Runs one scene and appends its steps; parts[*pi..] are its actions. */
static int add_streams(struct tt_lesson *l, const struct tt_sim *sim, size_t first);

static int
run_scene(struct tt_lesson *l, unsigned scene, size_t *pi, char *err, size_t errlen)
{
	const struct tt_scenario *sc = l->scs[scene];
	size_t na = tt_scenario_nactions(sc), *fs, base = l->nsteps, n, failed;
	const struct tt_sim_config *cfg = tt_scenario_config(sc);
	uint64_t frame0 = 0;
	unsigned stream0 = 0;
	struct tt_sim *sim;
	struct tt_step *ns;
	unsigned *nsc;
	char serr[256];

	for (size_t i = 0; i < base; i++)
		if (l->steps[i].kind == TT_STEP_SEGMENT && l->steps[i].frame > frame0)
			frame0 = l->steps[i].frame;
	if (*pi + na > l->nparts)
		return tt_lesson_fail(err, errlen, l->fname, 0,
		                      _("internal error: more actions than parts"));
	if ((fs = calloc(na + 1, sizeof *fs)) == NULL)
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	serr[0] = '\0';
	sim = tt_scenario_run_each(sc, fs, &failed, serr, sizeof serr);
	if (sim == NULL) {
		/* the action's own line of the lesson */
		unsigned line = failed < na ? l->parts[*pi + failed].pub.line : 0;

		free(fs);
		return tt_lesson_fail(err, errlen, l->fname, line, "%s",
		                      *serr ? serr : _("the scenario failed"));
	}
	n = tt_sim_nsteps(sim);
	ns = realloc(l->steps, (base + n + 1) * sizeof *ns);
	if (ns != NULL)
		l->steps = ns;
	nsc = realloc(l->step_scene, (base + n + 1) * sizeof *nsc);
	if (nsc != NULL)
		l->step_scene = nsc;
	if (ns == NULL || nsc == NULL) {
		free(fs);
		tt_sim_free(sim);
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	}
	/* streams are numbered through the lesson too: each scene's after the
	 * ones before it */
	for (size_t i = 0; i < base; i++)
		if (l->steps[i].stream + 1 > stream0)
			stream0 = l->steps[i].stream + 1;
	for (size_t i = 0; i < n; i++) {
		l->steps[base + i] = *tt_sim_step(sim, i);
		l->steps[base + i].stream += stream0;
		l->steps[base + i].frame += frame0;   /* rows are numbered through the lesson */
		if (l->steps[base + i].kind != TT_STEP_SEGMENT)
			l->steps[base + i].frame = 0;
		l->step_scene[base + i] = scene;
	}
	l->nsteps = base + n;
	for (size_t i = 0; i < na; i++) {
		l->parts[*pi + i].pub.first = base + fs[i];
		l->parts[*pi + i].pub.end = base + fs[i + 1];
	}
	*pi += na;
	for (int h = 0; h < 2; h++) {
		tt_sim_endpoint(sim, h, l->endpoint[scene][h], sizeof l->endpoint[scene][h]);
		l->iss[scene][h] = cfg->host[h].iss;
	}
	if (add_streams(l, sim, stream0) < 0) {
		free(fs);
		tt_sim_free(sim);
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	}
	free(fs);
	tt_sim_free(sim);
	return 0;
}

/* The streams of one scene's run, from lesson stream `first` on: their
 * addresses and relative bases. */
static int
add_streams(struct tt_lesson *l, const struct tt_sim *sim, size_t first)
{
	size_t nk = tt_sim_nstreams(sim), need = first + nk;
	uint32_t (*b)[2];

	if (need > l->nstreams) {
		char (*ep)[2][64] = realloc(l->sendpoint, need * sizeof *ep);
		uint32_t (*nb)[2];

		if (ep == NULL)
			return -1;
		l->sendpoint = ep;
		nb = realloc(l->sbase, need * sizeof *nb);
		if (nb == NULL)
			return -1;
		l->sbase = nb;
		for (size_t k = l->nstreams; k < need; k++) {
			memset(l->sendpoint[k], 0, sizeof l->sendpoint[k]);
			memset(l->sbase[k], 0, sizeof l->sbase[k]);
		}
		l->nstreams = need;
	}
	if (nk == 0)
		return 0;
	b = malloc(nk * sizeof *b);
	if (b == NULL)
		return -1;
	tt_sim_seq_bases(sim, b);
	/* the scene's own connection counts from the hosts' configured ISSs,
	 * as its narration does (an old duplicate SYN injected first must not
	 * move them); every other one from its first SYNs, as Wireshark */
	for (int h = 0; h < 2; h++)
		b[0][h] = tt_sim_config(sim)->host[h].iss;
	for (size_t k = 0; k < nk; k++) {
		for (int h = 0; h < 2; h++) {
			tt_sim_stream_endpoint(sim, (unsigned)k, h, l->sendpoint[first + k][h],
			                       sizeof l->sendpoint[first + k][h]);
			l->sbase[first + k][h] = b[k][h];
		}
	}
	free(b);
	return 0;
}

static int
run_scenario(struct tt_lesson *l, char *err, size_t errlen)
{
	size_t pi = 0;

	l->endpoint = calloc(l->nscs, sizeof *l->endpoint);
	l->iss = calloc(l->nscs, sizeof *l->iss);
	if (l->endpoint == NULL || l->iss == NULL)
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	for (unsigned sc = 0; sc < l->nscs; sc++)
		if (run_scene(l, sc, &pi, err, errlen) < 0)
			return -1;
	if (pi != l->nparts)
		return tt_lesson_fail(err, errlen, l->fname, 0,
		                      _("internal error: %zu actions, %zu parts"), pi,
		            l->nparts);
	return 0;
}

static int
run_capture(struct tt_lesson *l, const char *datadir, char *err, size_t errlen)
{
	struct cap_story *cs = NULL;
	const struct cap_stream_info *info;
	const struct tt_step *st;
	char path[4096], cerr[256];
	size_t n, k = 0;

	if (l->capture[0] == '/' || datadir == NULL || *datadir == '\0')
		snprintf(path, sizeof path, "%s", l->capture);
	else
		snprintf(path, sizeof path, "%s/%s", datadir, l->capture);
	cerr[0] = '\0';
	if (cap_story_open(path, NULL, &cs, cerr, sizeof cerr) < 0)
		return tt_lesson_fail(err, errlen, l->fname, l->capture_line, "%s: %s", l->capture, cerr);
	if (l->stream >= cap_story_nstreams(cs)) {
		cap_story_free(cs);
		return tt_lesson_fail(err, errlen, l->fname, l->capture_line,
		                      _("%s has no stream %u"), l->capture,
		            l->stream);
	}
	if (cap_story_select(cs, l->stream, cerr, sizeof cerr) < 0) {
		cap_story_free(cs);
		return tt_lesson_fail(err, errlen, l->fname, l->capture_line, "%s: %s", l->capture, cerr);
	}
	info = cap_story_stream(cs, l->stream);
	l->endpoint = calloc(1, sizeof *l->endpoint);
	l->iss = calloc(1, sizeof *l->iss);
	if (l->endpoint == NULL || l->iss == NULL) {
		cap_story_free(cs);
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	}
	snprintf(l->endpoint[0][0], sizeof l->endpoint[0][0], "%s", info->endpoint[0]);
	snprintf(l->endpoint[0][1], sizeof l->endpoint[0][1], "%s", info->endpoint[1]);
	n = cap_story_nsteps(cs);
	st = cap_story_steps(cs);
	l->steps = calloc(n ? n : 1, sizeof *l->steps);
	l->step_scene = calloc(n ? n : 1, sizeof *l->step_scene);
	if (l->steps == NULL || l->step_scene == NULL) {
		cap_story_free(cs);
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	}
	memcpy(l->steps, st, n * sizeof *st);
	l->nsteps = n;
	l->capture_steps = 1;
	cap_story_free(cs);
	for (size_t i = 0; i < l->nparts; i++) {
		struct part *pt = &l->parts[i];

		while (k < n && l->steps[k].frame < pt->flo)
			k++;
		pt->pub.first = k;
		while (k < n && l->steps[k].frame <= pt->fhi)
			k++;
		pt->pub.end = k;
		if (pt->pub.first == pt->pub.end)
			return tt_lesson_fail(err, errlen, l->fname, pt->pub.line,
			            _("stream %u of %s has no frame in %" PRIu64 "-%" PRIu64), l->stream,
			            l->capture, pt->flo, pt->fhi);
	}
	return 0;
}

int
tt_lesson_run(struct tt_lesson *l, const char *datadir, char *err, size_t errlen)
{
	int rc;

	if (l->ran)
		return 0;
	rc = l->capture ? run_capture(l, datadir, err, errlen) : run_scenario(l, err, errlen);
	if (rc < 0)
		return -1;
	l->step_part = calloc(l->nsteps ? l->nsteps : 1, sizeof *l->step_part);
	l->step_check = calloc(l->nsteps ? l->nsteps : 1, sizeof *l->step_check);
	l->step_base = malloc((l->nsteps ? l->nsteps : 1) * 2 * sizeof *l->step_base);
	if (l->step_part == NULL || l->step_check == NULL || l->step_base == NULL)
		return tt_lesson_fail(err, errlen, l->fname, 0, _("out of memory"));
	for (size_t i = 0; i < l->nsteps; i++)
		step_bases(l, &l->steps[i], &l->step_base[2 * i]);
	/* A fault armed on a segment already in flight loses it at once: that
	 * step is shown with the narration of the action after the fault. */
	for (size_t i = 0; i + 1 < l->nparts; i++) {
		struct part *f = &l->parts[i], *n = &l->parts[i + 1];

		if (f->carry && f->pub.first < f->pub.end && n->scene == f->scene &&
		    n->pub.first == f->pub.end) {
			n->pub.first = f->pub.first;
			f->pub.end = f->pub.first;
		}
	}
	for (size_t i = 0; i < l->nparts; i++)
		for (size_t s = l->parts[i].pub.first; s < l->parts[i].pub.end && s < l->nsteps; s++)
			l->step_part[s] = &l->parts[i];
	if (answer_checks(l, err, errlen) < 0)
		return -1;
	l->ran = 1;
	return 0;
}
