/* ui/svmodel.c: the step view's model (ui/svmodel.h): the cursor over the
 * steps, checkpoints, the panels' places, search, auto-play and the live
 * follow mode. No curses and no clock of its own (the screen hands in
 * one): everything here is decided from the story, the options and the
 * sizes the screen measured, so a test can drive it without a terminal. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base.h"
#include "i18n.h"
#include "ui/svmodel.h"

size_t
sv_nsteps(const struct sv *v)
{
	return v->st->nsteps;
}

const struct tt_step *
sv_step(const struct sv *v, size_t i)
{
	return &v->st->steps[i];
}

/* Auto-play waits while a checkpoint is open and not yet answered. */
int
sv_paused(const struct sv *v)
{
	return v->ask >= 0 && v->ask_state == 0;
}

/* Steps on screen: those up to the current one; while a checkpoint is
 * asked, those before its step, so none when it comes before the first. */
size_t
sv_shown(const struct sv *v)
{
	if (sv_nsteps(v) == 0)
		return 0;
	if (v->ask >= 0)
		return (size_t)v->ask;
	return v->cur + 1;
}

/* Replay lists the whole capture, later rows dimmed; a story that asks
 * questions never shows what is still to come. */
int
sv_shows_future(const struct sv *v)
{
	return v->st->replay && v->st->checkpoint == NULL;
}

const struct ui_checkpoint *
sv_checkpoint(const struct sv *v)
{
	return v->ask >= 0 ? v->st->checkpoint(v->st->ctx, (size_t)v->ask) : NULL;
}

/* ---- relative numbers ------------------------------------------------------ */

/* Relative numbers count from the bases the batch table uses: the story's
 * own (a lesson's), else tt_trace_bases() over the story's streams with
 * the first step's TCBs' ISSs as the fallback. Replay steps carry the
 * ISNs seen in their TCB views already. Recomputed when the story grows. */
static int
ensure_bases(struct sv *v)
{
	size_t n = sv_nsteps(v), nstr = 1;
	uint32_t (*sb)[2], iss[2];

	if (v->st->replay || v->st->base != NULL || (v->base != NULL && v->nbase == n) || n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (sv_step(v, i)->stream + 1 > nstr)
			nstr = sv_step(v, i)->stream + 1;
	free(v->base);
	v->base = malloc(n * 2 * sizeof *v->base);
	sb = malloc(nstr * sizeof *sb);
	iss[0] = sv_step(v, 0)->tcb[0].iss;
	iss[1] = sv_step(v, 0)->tcb[1].iss;
	if (v->base == NULL || sb == NULL || tt_trace_bases(v->st->steps, n, nstr, iss, sb) < 0) {
		free(v->base);
		free(sb);
		v->base = NULL;
		v->nbase = 0;
		return -1;
	}
	v->nbase = n;
	for (size_t i = 0; i < n; i++) {
		v->base[2 * i] = sb[sv_step(v, i)->stream][0];
		v->base[2 * i + 1] = sb[sv_step(v, i)->stream][1];
	}
	free(sb);
	return 0;
}

const uint32_t *
sv_bases(const struct sv *v)
{
	if (v->st->replay)
		return NULL;
	if (v->st->base != NULL)
		return v->st->base;
	return v->base != NULL && v->nbase == sv_nsteps(v) ? v->base : NULL;
}

void
sv_seg_numbers(const struct sv *v, const struct tt_step *s, uint32_t *seq, uint32_t *ack)
{
	const uint32_t *b = sv_bases(v);
	uint32_t iss[2] = { s->tcb[0].iss, s->tcb[1].iss };

	*seq = s->seg.seq;
	*ack = s->seg.ack;
	if (!v->o->absolute)
		tt_trace_rel(s, b != NULL ? &b[2 * (size_t)(s - v->st->steps)] : iss, seq, ack);
}


/* The streams: whether the table needs its `conn` column. */
static void
find_streams(struct sv *v)
{
	if (v->conn_known)
		return;
	v->conn_known = 1;
	for (size_t i = 1; i < sv_nsteps(v) && !v->conn_on; i++)
		v->conn_on = sv_step(v, i)->stream != sv_step(v, 0)->stream;
}

int
sv_sync(struct sv *v)
{
	find_streams(v);
	if (ensure_bases(v) != 0) {
		if (v->msg[0] == '\0')
			snprintf(v->msg, sizeof v->msg, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

/* ---- the segment table -------------------------------------------------------- */

double
sv_secs(tt_time t)
{
	return (double)t / 1e6;
}

/* The time the TCB view of a step belongs to. */
tt_time
sv_step_now(const struct tt_step *s)
{
	return s->kind == TT_STEP_SEGMENT ? s->arrival : s->time;
}

void
sv_cell(const struct sv *v, const struct tt_step *s, enum sv_col c, char *buf, size_t len)
{
	uint32_t seq, ack;

	sv_seg_numbers(v, s, &seq, &ack);
	switch (c) {
	case SV_C_CONN: snprintf(buf, len, "%u", s->stream); break;
	case SV_C_FRAME: snprintf(buf, len, "%llu", (unsigned long long)s->frame); break;
	case SV_C_TIME: snprintf(buf, len, "%.6f", sv_secs(s->time)); break;
	case SV_C_DIR: snprintf(buf, len, "%s", s->dir == TT_SERVER ? "S>C" : "C>S"); break;
	case SV_C_FLAGS: tt_flags_format(s->seg.flags, buf, len); break;
	case SV_C_SEQ: snprintf(buf, len, "%u", seq); break;
	case SV_C_ACK:
		if (s->seg.flags & TT_ACK)
			snprintf(buf, len, "%u", ack);
		else
			snprintf(buf, len, "-");
		break;
	case SV_C_LEN: snprintf(buf, len, "%u", s->seg.len); break;
	case SV_C_WIN: snprintf(buf, len, "%u", s->seg.wnd); break;
	case SV_C_CST: snprintf(buf, len, "%s", tt_state_name(s->tcb[TT_CLIENT].state)); break;
	case SV_C_SST: snprintf(buf, len, "%s", tt_state_name(s->tcb[TT_SERVER].state)); break;
	case SV_C_NOTES: tt_notes_format(s->notes, buf, len); break;
	default: buf[0] = '\0';
	}
}

/* Segment step index at or before i, or -1. */
long
sv_segment_at_or_before(const struct sv *v, size_t i)
{
	for (long k = (long)i; k >= 0; k--)
		if (sv_step(v, (size_t)k)->kind == TT_STEP_SEGMENT)
			return k;
	return -1;
}

/* Table rows: the segment steps that are shown (all in replay, up to the
 * current step otherwise). */
size_t
sv_table_nrows(const struct sv *v)
{
	size_t last = sv_shows_future(v) ? sv_nsteps(v) : sv_shown(v), k = 0;

	for (size_t i = 0; i < last; i++)
		k += sv_step(v, i)->kind == TT_STEP_SEGMENT;
	return k;
}

long
sv_table_cur_row(const struct sv *v)
{
	long seg = sv_shown(v) > 0 ? sv_segment_at_or_before(v, v->cur) : -1, row = 0;

	if (seg < 0 || (!sv_shows_future(v) && (size_t)seg >= sv_shown(v)))
		return -1;
	for (long i = 0; i < seg; i++)
		row += sv_step(v, (size_t)i)->kind == TT_STEP_SEGMENT;
	return row;
}

/* The table follows the current row. One pass over the steps: a capture
 * has many thousand. */
void
sv_fit_table(struct sv *v)
{
	const struct sv_rect *r = &v->r[SV_TABLE];
	int shown = r->h - 3;   /* heading, header, detail line */
	long seg = sv_shown(v) > 0 ? sv_segment_at_or_before(v, v->cur) : -1;
	size_t last = sv_shows_future(v) ? sv_nsteps(v) : sv_shown(v), k = 0;
	int nrows;

	if (!r->on)
		return;
	v->table_cur = -1;
	for (size_t i = 0; i < last; i++)
		if (sv_step(v, i)->kind == TT_STEP_SEGMENT) {
			if ((long)i == seg)
				v->table_cur = (long)k;
			k++;
		}
	v->table_n = k;
	nrows = (int)k;
	if (shown < 1)
		shown = 1;
	if (v->table_cur >= 0) {
		if (v->table_cur < v->table_top)
			v->table_top = (int)v->table_cur;
		if (v->table_cur >= v->table_top + shown)
			v->table_top = (int)v->table_cur - shown + 1;
	}
	if (v->table_top > nrows - shown)
		v->table_top = nrows - shown;
	if (v->table_top < 0)
		v->table_top = 0;
	v->table_top_step = 0;
	for (size_t i = 0, row = 0; i < last; i++)
		if (sv_step(v, i)->kind == TT_STEP_SEGMENT && row++ == (size_t)v->table_top) {
			v->table_top_step = i;
			break;
		}
}

/* ---- layout --------------------------------------------------------------------- */

static void
set(struct sv_rect *r, int y, int x, int h, int w)
{
	r->y = y;
	r->x = x;
	r->h = h;
	r->w = w;
	r->on = h > 0 && w > 0;
}

/* Presenter mode: the big letters on top, the middle slot (and the states
 * beside it where there is room), the explanation under them. */
static void
layout_present(struct sv *v, const struct sv_room *rm, int top, int avail)
{
	struct sv_rect *r = v->r;
	int W = rm->cols, bh = rm->big_rows, eh, mid;

	if (bh > 0) {
		/* the label row, the letters, a blank row under them */
		set(&v->big, top, 0, bh + 1, W);
		top += bh + 2;
		avail -= bh + 2;
	}
	eh = avail * 2 / 5;
	mid = avail - eh;
	if (W >= 110 && mid >= 14) {
		int rw = rm->states_w + 2;

		set(&r[v->graph ? SV_GRAPH : v->swap], top, 0, mid, W - rw - 1);
		set(&r[SV_STATES], top, W - rw, mid, rw);
	} else {
		set(&r[v->graph ? SV_GRAPH : v->swap], top, 0, mid, W);
	}
	set(&r[SV_EXPL], top + mid, 0, eh, W);
}

/* A big terminal: every panel at once. */
static void
layout_full(struct sv *v, const struct sv_room *rm, int top, int avail)
{
	struct sv_rect *r = v->r;
	int W = rm->cols, rw = rm->states_w + 2, sh = rm->states_h + 2, th, eh, mid;
	int need = 1 + rm->expl_need;

	th = 2 + avail * 26 / 100;
	eh = avail / 5;
	if (need > eh) {
		int more = need - eh < th - 6 ? need - eh : th - 6;

		if (more > 0) {
			th -= more;
			eh += more;
		}
	}
	mid = avail - th - eh;
	/* the TCBs one variable a row, whole, below the state diagram:
	 * the table lends the rows they lack */
	int lend = sh + 1 + rm->tcb_rows - mid;

	/* a simulation's TCBs have the congestion control rows too: the
	 * table lends what it can spare of the rows they lack */
	if (lend > th - 8)
		lend = th - 8;
	if (!v->st->replay && lend > 0) {
		th -= lend;
		mid += lend;
	}
	set(&r[SV_TABLE], top, 0, th, W);
	set(&r[v->graph ? SV_GRAPH : SV_LADDER], top + th, 0, mid, W - rw - 1);
	if (mid - sh < 6)
		sh = mid - 6;
	set(&r[SV_STATES], top + th, W - rw, sh, rw);
	set(&r[SV_TCB], top + th + sh, W - rw, mid - sh, rw);
	set(&r[SV_EXPL], top + th + mid, 0, eh, W);
}

/* A small terminal: the table, one panel in the middle slot (v), the
 * explanation. */
static void
layout_compact(struct sv *v, const struct sv_room *rm, int top, int avail)
{
	struct sv_rect *r = v->r;
	int W = rm->cols, th, eh, mid, tmin;
	int need = 1 + rm->expl_need, rows = (int)sv_table_nrows(v);

	eh = avail / 4 > 4 ? avail / 4 : 4;
	if (need > eh)
		eh = need < avail / 2 ? need : avail / 2;
	if (v->graph)
		mid = avail * 45 / 100 > 11 ? avail * 45 / 100 : 11;
	else if (v->swap == SV_STATES)
		mid = rm->states_h + 1;
	else
		mid = avail * 45 / 100;
	th = avail - eh - mid;
	/* A short table lends its rows to the explanation. */
	if (th > 3 + (rows > 0 ? rows : 1) && need > eh) {
		int spare = th - 3 - (rows > 0 ? rows : 1);

		if (spare > need - eh)
			spare = need - eh;
		th -= spare;
		eh += spare;
	}
	/* the table keeps its heading and two rows; with the state diagram in
	 * the middle, one row (the current one), so that the diagram shows
	 * whole at 80x24 */
	tmin = !v->graph && v->swap == SV_STATES ? 3 : 4;
	if (th < tmin && eh > 4) {   /* the explanation gives a little first */
		int give = tmin - th < eh - 4 ? tmin - th : eh - 4;

		eh -= give;
		th += give;
	}
	if (th < tmin) {
		th = tmin;
		mid = avail - eh - th;
	}
	/* an open checkpoint is what the learner must read now: the middle
	 * panel gives its rows, down to none, so that the question and all
	 * its choices show (it comes back when the learner goes on) */
	if (v->ask >= 0 && need > eh && mid > 0) {
		int take = need - eh < mid ? need - eh : mid;

		if (mid - take < 3)
			take = mid;     /* a panel of a row or two shows only its title */
		mid -= take;
		eh += take;
	}
	set(&r[SV_TABLE], top, 0, th, W);
	set(&r[v->graph ? SV_GRAPH : v->swap], top + th, 0, mid, W);
	set(&r[SV_EXPL], top + th + mid, 0, eh, W);
}

int
sv_layout(struct sv *v, const struct sv_room *rm)
{
	int W = rm->cols, H = rm->lines, top = 1, avail = H - 1 - rm->bars, fallback;

	memset(v->r, 0, sizeof v->r);
	memset(&v->big, 0, sizeof v->big);
	if (W < SV_MIN_W || H < SV_MIN_H)
		return -1;
	if (v->o->present)
		layout_present(v, rm, top, avail);
	else if (W >= 120 && H >= 40)
		layout_full(v, rm, top, avail);
	else
		layout_compact(v, rm, top, avail);
	/* a panel hidden a while gets the focus back, unless the user moved it */
	fallback = v->r[SV_TABLE].on ? SV_TABLE : SV_EXPL;
	if (v->focus_back >= 0 && v->r[v->focus_back].on) {
		if (v->focus == fallback)
			v->focus = v->focus_back;
		v->focus_back = -1;
	}
	if (!v->r[v->focus].on) {
		if (v->focus_back < 0)
			v->focus_back = v->focus;
		v->focus = fallback;
	}
	return 0;
}

/* ---- moving ----------------------------------------------------------------- */

/* A flag per step: its checkpoint was answered. Returns -1 when memory ran
 * out (no checkpoint is then asked beyond those already known). */
static int
ensure_asked(struct sv *v)
{
	size_t cap = v->nasked;

	if (v->nasked >= sv_nsteps(v))
		return 0;
	if (tt_grow(&v->asked, &cap, sv_nsteps(v) + 1, 1, sv_nsteps(v) + 1) != 0)
		return -1;
	memset(v->asked + v->nasked, 0, cap - v->nasked);
	v->nasked = cap;
	return 0;
}

/* Opens the checkpoint asked before step i, unless there is none or it was
 * answered; returns 1 when it opened one. */
static int
ask_before(struct sv *v, size_t i)
{
	ensure_asked(v);
	if (v->st->checkpoint == NULL || i >= sv_nsteps(v) || i >= v->nasked || v->asked[i] ||
	    v->st->checkpoint(v->st->ctx, i) == NULL)
		return 0;
	v->ask = (long)i;
	v->ask_state = 0;
	v->expl_skip = 0;
	return 1;
}

/* The panel a lesson chose for step i, or UI_VIEW_KEEP. */
static int
view_of(const struct sv *v, size_t i)
{
	return v->st->view != NULL && i < sv_nsteps(v) ? v->st->view(v->st->ctx, i) : UI_VIEW_KEEP;
}

static void
go_to(struct sv *v, size_t i)
{
	int want;

	if (sv_nsteps(v) == 0)
		return;
	if (i >= sv_nsteps(v))
		i = sv_nsteps(v) - 1;
	/* the author's view takes over where it changes, and the learner's
	 * own choice (b, m) holds until the next change */
	want = view_of(v, i);
	if (want != UI_VIEW_KEEP && (i == v->cur || want != view_of(v, v->cur)))
		v->graph = want == UI_VIEW_WINDOWS ? SV_G_WINDOWS : want == UI_VIEW_CWND ? SV_G_CWND :
		           want == UI_VIEW_SEQUENCE ? SV_G_TSEQ : SV_G_NONE;
	v->cur = i;
	v->due = v->now() + v->interval;
	v->expl_skip = 0;
	v->ladder_back = 0;
	v->at_end = 0;
	v->ask = -1;
}

static enum sv_result
go_next(struct sv *v)
{
	size_t i;

	v->msg[0] = '\0';
	if (v->ask >= 0) {
		if (v->ask_state == 0)
			return SV_STAY;
		i = (size_t)v->ask;
		go_to(v, i);
		return SV_REDRAW;
	}
	if (sv_nsteps(v) == 0 || v->cur + 1 >= sv_nsteps(v)) {
		size_t before = sv_nsteps(v);

		if (v->ext != NULL && v->ext->more != NULL && v->ext->more(v->ext->ctx)) {
			go_to(v, before == 0 ? 0 : v->cur + 1);
			return SV_REDRAW;
		}
		if (sv_nsteps(v) > 0)
			v->at_end = 1;
		v->auto_on = 0;
		return SV_REDRAW;
	}
	i = v->cur + 1;
	if (!ask_before(v, i))   /* auto-play waits at an open checkpoint */
		go_to(v, i);
	return SV_REDRAW;
}

/* p: back a step, out of an open checkpoint, or off the closing summary. */
static enum sv_result
go_back(struct sv *v)
{
	if (v->ask == 0)      /* nothing before the first step */
		return SV_STAY;
	if (v->ask >= 0) {
		v->ask = -1;
		return SV_REDRAW;
	}
	if (v->at_end && (v->ext == NULL || v->ext->more == NULL)) {
		v->at_end = 0;
		return SV_REDRAW;
	}
	if (v->cur > 0)
		go_to(v, v->cur - 1);
	return SV_REDRAW;
}

/* End: checkpoints on the way are not skipped: stop at the first open one. */
static enum sv_result
go_last(struct sv *v)
{
	while (sv_nsteps(v) > 0 && v->cur + 1 < sv_nsteps(v)) {
		go_next(v);
		if (v->ask >= 0)
			break;
	}
	return SV_REDRAW;
}

/* ---- checkpoints ------------------------------------------------------------- */

static int
choice_correct(const struct ui_checkpoint *cp, int k, const char *typed)
{
	char num[16];
	const char *given = typed;

	if (cp->answer == NULL)
		return 0;
	if (k >= 0) {
		snprintf(num, sizeof num, "%d", k + 1);
		if (strcmp(cp->answer, num) == 0)
			return 1;
		given = cp->choices[k];
	}
	while (*given == ' ')
		given++;
	{
		size_t gl = strlen(given), al = strlen(cp->answer);

		while (gl > 0 && given[gl - 1] == ' ')
			gl--;
		return gl == al && strncasecmp(given, cp->answer, gl) == 0;
	}
}

enum sv_result
sv_answer(struct sv *v, int k, const char *typed)
{
	const struct ui_checkpoint *cp = sv_checkpoint(v);
	int ok;

	if (cp == NULL || k < -1 || (k >= 0 && (size_t)k >= cp->nchoices))
		return SV_STAY;
	ok = choice_correct(cp, k, typed);
	v->ask_state = ok ? 1 : 2;
	v->asked[v->ask] = 1;
	v->due = v->now() + 2 * v->interval;   /* time to read why */
	if (v->st->answered != NULL)
		v->st->answered(v->st->ctx, (size_t)v->ask, ok);
	return SV_REDRAW;
}

/* An action while a checkpoint is open and unanswered: what happens next,
 * or -1 when the action is not the checkpoint's. */
static int
checkpoint_act(struct sv *v, enum sv_action a, int arg)
{
	const struct ui_checkpoint *cp = sv_checkpoint(v);

	switch (a) {
	case SV_A_ANSWER:
		return cp->nchoices > 0 ? (int)sv_answer(v, arg, NULL) : -1;
	case SV_A_REVEAL:
		v->ask_state = 3;
		v->asked[v->ask] = 1;
		v->due = v->now() + 2 * v->interval;
		return SV_REDRAW;
	case SV_A_DETAIL:
		return cp->nchoices == 0 ? SV_ASK_ANSWER : -1;
	case SV_A_PREV:
		return go_back(v);
	case SV_A_NEXT:
		return SV_STAY;
	default:
		return -1;
	}
}

/* ---- finding -------------------------------------------------------------------- */

static int
search_match(const struct sv *v, const struct tt_step *s, const char *q)
{
	char row[512] = "", buf[128];
	size_t ql = strlen(q);

	for (int c = 0; c < SV_NCOLS; c++) {
		sv_cell(v, s, (enum sv_col)c, buf, sizeof buf);
		strncat(row, buf, sizeof row - strlen(row) - 2);
		strcat(row, " ");
	}
	for (const char *p = row; *p; p++)
		if (strncasecmp(p, q, ql) == 0)
			return 1;
	return 0;
}

/* Goes to the next segment that matches; what is still to come is reached
 * step by step, so checkpoints are not skipped. */
enum sv_result
sv_search(struct sv *v, const char *text)
{
	size_t n = sv_nsteps(v);

	v->msg[0] = '\0';      /* the last search's, if it found nothing */
	snprintf(v->search, sizeof v->search, "%s", text);
	for (size_t k = 1; k <= n; k++) {
		size_t i = (v->cur + k) % n;

		if (sv_step(v, i)->kind == TT_STEP_SEGMENT && search_match(v, sv_step(v, i), v->search)) {
			if (!sv_shows_future(v) && i > v->cur) {
				while (v->cur < i && v->ask < 0)
					go_next(v);
			} else {
				go_to(v, i);
			}
			return SV_REDRAW;
		}
	}
	snprintf(v->msg, sizeof v->msg, _("No segment matches '%s'."), v->search);
	return SV_REDRAW;
}

/* A frame (the # column) or, failing that, a step number. */
enum sv_result
sv_goto(struct sv *v, const char *text)
{
	char *end;
	unsigned long k;
	size_t n = sv_nsteps(v);

	v->msg[0] = '\0';
	k = strtoul(text, &end, 10);
	if (*text == '\0' || *end != '\0') {
		snprintf(v->msg, sizeof v->msg, _("'%s' is not a number."), text);
		return SV_REDRAW;
	}
	for (size_t i = 0; i < n; i++)
		if (sv_step(v, i)->kind == TT_STEP_SEGMENT && sv_step(v, i)->frame == k) {
			go_to(v, i);
			return SV_REDRAW;
		}
	if (k >= 1 && k <= n)
		go_to(v, k - 1);
	else
		snprintf(v->msg, sizeof v->msg, _("There is no frame or step %lu."), k);
	return SV_REDRAW;
}

long
sv_detail_step(const struct sv *v)
{
	return sv_shown(v) > 0 ? sv_segment_at_or_before(v, v->cur) : -1;
}

/* ---- panels ------------------------------------------------------------------ */

/* v: the next panel in the middle slot (small screens, presenter mode). */
static void
swap_panel(struct sv *v)
{
	static const int order_c[] = { SV_LADDER, SV_STATES, SV_TCB };
	static const int order_p[] = { SV_LADDER, SV_TABLE, SV_TCB };
	const int *o = v->o->present ? order_p : order_c;
	int k = 0;

	while (k < 3 && o[k] != v->swap)
		k++;
	v->swap = o[(k + 1) % 3];
	v->focus = v->swap;
}

/* Tab: the focus to the next panel on screen. */
static void
next_focus(struct sv *v)
{
	for (int k = 1; k <= SV_NPANELS; k++) {
		int f = (v->focus + k) % SV_NPANELS;

		if (v->r[f].on) {
			v->focus = f;
			break;
		}
	}
}

/* Up and Down in the focused panel: table rows, ladder or text scroll. */
static enum sv_result
up_down(struct sv *v, int up)
{
	size_t n = sv_nsteps(v);

	if (v->focus == SV_TABLE && n > 0 && up) {
		long s = sv_segment_at_or_before(v, v->cur);
		long prev = s > 0 ? sv_segment_at_or_before(v, (size_t)s - 1) : -1;

		if ((size_t)s != v->cur && s >= 0)
			go_to(v, (size_t)s);
		else if (prev >= 0)
			go_to(v, (size_t)prev);
	} else if (v->focus == SV_TABLE && n > 0) {
		for (size_t i = v->cur + 1; i < n; i++)
			if (sv_step(v, i)->kind == TT_STEP_SEGMENT) {
				while (v->cur < i && v->ask < 0)
					go_next(v);
				break;
			}
	} else if (v->focus == SV_LADDER) {
		if (up)
			v->ladder_back++;
		else if (v->ladder_back > 0)
			v->ladder_back--;
	} else if (up && v->expl_skip > 0) {
		v->expl_skip--;
	} else if (!up && v->expl_skip + v->expl_h < v->expl_lines) {
		v->expl_skip++;
	}
	return SV_REDRAW;
}

/* + and -: the pace is in the title bar while playing, and said here. */
static enum sv_result
pace(struct sv *v, int faster)
{
	if (faster && v->interval > 250)
		v->interval /= 2;
	else if (!faster && v->interval < 16000)
		v->interval *= 2;
	snprintf(v->msg, sizeof v->msg, _("Auto-play: one step every %.2f s."), v->interval / 1000.0);
	return SV_REDRAW;
}

/* PgUp, PgDn: the explanation a page up or down. */
static enum sv_result
page(struct sv *v, int up)
{
	if (up) {
		v->expl_skip -= v->expl_h > 1 ? v->expl_h - 1 : 1;
		if (v->expl_skip < 0)
			v->expl_skip = 0;
	} else if (v->expl_skip + v->expl_h < v->expl_lines) {
		v->expl_skip += v->expl_h > 1 ? v->expl_h - 1 : 1;
	}
	return SV_REDRAW;
}

/* ---- actions ------------------------------------------------------------------- */

enum sv_result
sv_act(struct sv *v, enum sv_action a, int arg)
{
	(void)arg;
	switch (a) {
	case SV_A_NEXT: return go_next(v);
	case SV_A_PREV: return go_back(v);
	case SV_A_FIRST:
		go_to(v, 0);
		ask_before(v, 0);
		return SV_REDRAW;
	case SV_A_LAST: return go_last(v);
	case SV_A_GOTO: return sv_nsteps(v) == 0 ? SV_REDRAW : SV_ASK_GOTO;
	case SV_A_DETAIL:
		if (sv_detail_step(v) < 0) {
			snprintf(v->msg, sizeof v->msg, "%s", _("No segment to show yet."));
			return SV_REDRAW;
		}
		return SV_SHOW_DETAIL;
	case SV_A_AUTO:
		v->auto_on = !v->auto_on;
		v->due = v->now() + v->interval;
		return SV_REDRAW;
	case SV_A_FASTER:
	case SV_A_SLOWER: return pace(v, a == SV_A_FASTER);
	case SV_A_FOCUS:
		next_focus(v);
		return SV_REDRAW;
	case SV_A_VIEW:
		v->graph = SV_G_NONE;
		swap_panel(v);
		return SV_REDRAW;
	case SV_A_WINDOWS:
		v->graph = v->graph == SV_G_WINDOWS ? SV_G_NONE : SV_G_WINDOWS;
		return SV_REDRAW;
	case SV_A_CHART:
		v->graph = v->graph == SV_G_CWND ? SV_G_TSEQ : v->graph == SV_G_TSEQ ? SV_G_NONE : SV_G_CWND;
		return SV_REDRAW;
	case SV_A_UP:
	case SV_A_DOWN: return up_down(v, a == SV_A_UP);
	case SV_A_PAGE_UP:
	case SV_A_PAGE_DOWN: return page(v, a == SV_A_PAGE_UP);
	case SV_A_SEARCH: return sv_nsteps(v) == 0 ? SV_REDRAW : SV_ASK_SEARCH;
	case SV_A_HELP: return SV_SHOW_HELP;
	case SV_A_QUIT: return SV_BACK;
	case SV_A_REPAINT: return SV_CLEAR;
	default: return SV_STAY;
	}
}

enum sv_result
sv_key_do(struct sv *v, int key, enum sv_action a, int arg)
{
	int r;

	if (a != SV_A_SEARCH && a != SV_A_GOTO)
		v->msg[0] = '\0';
	/* live: stepping back stays there; End follows the newest again */
	if (v->ext != NULL && v->ext->poll != NULL) {
		if (a == SV_A_PREV || a == SV_A_FIRST || a == SV_A_GOTO || a == SV_A_SEARCH ||
		    a == SV_A_UP)
			v->follow = 0;
		else if (a == SV_A_LAST)
			v->follow = 1;
	}
	/* Checkpoint open: answers first. */
	if (sv_paused(v) && (r = checkpoint_act(v, a, arg)) >= 0)
		return (enum sv_result)r;
	if (v->ext != NULL && v->ext->key != NULL) {
		size_t c = v->cur;

		r = v->ext->key(v->ext->ctx, key, &c);
		if (r >= 0) {
			if (sv_nsteps(v) > 0 && c != v->cur)
				go_to(v, c);
			return (enum sv_result)r;
		}
	}
	return sv_act(v, a, arg);
}

/* ---- time ------------------------------------------------------------------------ */

int
sv_timer(const struct sv *v)
{
	long long left = -1, now = v->now();

	if (v->auto_on && !sv_paused(v))
		left = v->due - now < 0 ? 0 : v->due - now;
	if (v->ext != NULL && v->ext->poll != NULL) {
		long long p = v->poll_due - now < 0 ? 0 : v->poll_due - now;

		if (left < 0 || p < left)
			left = p;
	}
	return (int)left;
}

enum sv_result
sv_tick(struct sv *v)
{
	enum sv_result r;

	if (v->ext != NULL && v->ext->poll != NULL && v->now() >= v->poll_due) {
		int grew = v->ext->poll(v->ext->ctx);

		v->poll_due = v->now() + v->ext->poll_ms;
		if (grew) {
			/* the new rows widen the table's columns, maybe the streams */
			v->grown++;
			v->conn_known = 0;
			ensure_asked(v);
			if (v->follow && sv_nsteps(v) > 0 && v->ask < 0)
				go_to(v, sv_nsteps(v) - 1);
			return SV_REDRAW;
		}
		if (!v->auto_on || v->now() < v->due)
			return SV_STAY;
	}
	if (!v->auto_on || v->now() < v->due || sv_paused(v))
		return SV_STAY;
	r = go_next(v);
	v->due = v->now() + v->interval;
	return r;
}

/* ---- life ------------------------------------------------------------------------ */

void
sv_init(struct sv *v, const struct ui_story *st, const struct ui_opts *o,
        const struct sv_ext *ext, long long (*now)(void))
{
	memset(v, 0, sizeof *v);
	v->st = st;
	v->o = o;
	v->ext = ext;
	v->now = now;
	v->ask = -1;
	v->swap = SV_LADDER;
	v->focus = SV_TABLE;
	v->focus_back = -1;
	v->interval = o->autoplay_ms > 0 ? o->autoplay_ms : o->present ? 3000 : 1500;
	v->auto_on = o->autoplay != 0;
	v->due = now() + v->interval;
	v->follow = ext != NULL && ext->poll != NULL;
	v->poll_due = now();
	if (st->nsteps > 0)
		v->cur = st->start < st->nsteps ? st->start : 0;
	ensure_asked(v);
	if (v->cur == 0)
		ask_before(v, 0);   /* a question before the first step comes first */
}

void
sv_fini(struct sv *v)
{
	free(v->asked);
	free(v->base);
	v->asked = NULL;
	v->base = NULL;
}
