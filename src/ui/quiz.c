/* ui/quiz.c: the quiz screen. One screen in four phases: the question (a
 * list of choices to move through, or a line to type in), the self-grade of
 * an open answer against the key points, the feedback (right or wrong, why,
 * the explanation, "show me"), and the closing score per topic. The sitting
 * itself (what to ask, checking, saving after every answer) is tutor/'s. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/base.h"
#include "engine/tcp.h"
#include "i18n.h"
#include "ui/quizui.h"
#include "ui/term.h"

enum phase { PH_ASK, PH_SELFGRADE, PH_FEEDBACK, PH_SUMMARY };

struct qscreen {
	const struct tt_quiz *qz;
	struct tt_quiz_session *s;
	const struct ui_quiz_opts *o;
	int lang;
	const struct tt_quiz_question *q;
	size_t num;
	enum phase phase;
	size_t cur;              /* highlighted choice */
	unsigned sel;            /* multiple choice: ticked choices */
	wchar_t in[256];         /* typed answer */
	size_t inlen;
	char typed[1024];        /* open question: the learner's own words */
	int right;
	char norm[64];
	char msg[512];           /* a one-line notice (unreadable answer, error) */
	int unsaved;             /* the last save failed: the summary says so */
	int scroll;              /* first line of the scrollable part shown */
	int body_lines;          /* wrapped lines of the scrollable part at the last draw */
	int body_rows;           /* how many of them were on screen */
	char verdict[128];       /* "Wrong. The answer is ..." */
	char *fb;                /* feedback under the verdict */
};

static int
is_choice_kind(const struct tt_quiz_question *q)
{
	return q->kind == TT_QUIZ_SINGLE || q->kind == TT_QUIZ_MULTIPLE || q->kind == TT_QUIZ_STATE;
}

static size_t
nchoices(const struct tt_quiz_question *q)
{
	return q->kind == TT_QUIZ_STATE ? (size_t)TT_NSTATES : q->nchoices;
}

static const char *
choice_text(const struct qscreen *x, size_t i)
{
	if (x->q->kind == TT_QUIZ_STATE)
		return tt_state_name((enum tt_state)i);
	return tt_quiz_text_get(&x->q->choice[i], x->lang);
}

/* ---- a growing string ---- */

struct sb {
	char *s;
	size_t n, cap;
};

static void sb_add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->n;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->s != NULL && (size_t)n < room) {
			b->n += (size_t)n;
			return;
		}
		if (tt_grow(&b->s, &b->cap, b->n + (size_t)n + 1, 1, 1024) != 0)
			ui_fatal("%s", _("out of memory"));
	}
}

/* ---- moving on ---- */

static void
next_question(struct qscreen *x)
{
	char err[512];

	free(x->fb);
	x->fb = NULL;
	x->msg[0] = '\0';
	x->cur = 0;
	x->sel = 0;
	x->inlen = 0;
	x->in[0] = 0;
	x->typed[0] = '\0';
	x->scroll = 0;
	x->q = tt_quiz_session_next(x->s, err, sizeof err);
	if (x->q == NULL) {
		x->phase = PH_SUMMARY;
		if (err[0] != '\0')
			snprintf(x->msg, sizeof x->msg, "%s", err);
		return;
	}
	x->num++;
	x->phase = PH_ASK;
}

static void
build_feedback(struct qscreen *x)
{
	const struct tt_quiz_question *q = x->q;
	const struct tt_quiz_wrong *w[TT_QUIZ_MAXITEMS];
	struct sb b = { NULL, 0, 0 };
	char ans[64];
	size_t nw;

	/* the verdict is a line of its own (draw_body); this is what follows */
	x->verdict[0] = '\0';
	if (q->kind == TT_QUIZ_OPEN)
		sb_add(&b, _("Your answer: %s"), x->typed);
	else if (!x->right) {
		tt_quiz_answer_text(q, ans, sizeof ans);
		snprintf(x->verdict, sizeof x->verdict, _("Wrong. The answer is %s.\n"), ans);
		x->verdict[strcspn(x->verdict, "\n")] = '\0';
		if (q->kind == TT_QUIZ_SINGLE || q->kind == TT_QUIZ_MULTIPLE)
			for (size_t i = 0; i < q->nchoices; i++)
				if (q->answer_mask & (1u << i))
					sb_add(&b, "  %c) %s\n", (char)('a' + i), tt_quiz_text_get(&q->choice[i], x->lang));
		if (q->kind == TT_QUIZ_ORDER)
			for (size_t i = 0; i < q->nchoices; i++)
				sb_add(&b, "  %zu. %s\n", (size_t)q->order[i] + 1,
				       tt_quiz_text_get(&q->choice[q->order[i]], x->lang));
		nw = tt_quiz_wrong_for(q, x->norm, w, TT_QUIZ_MAXITEMS);
		for (size_t i = 0; i < nw; i++)
			sb_add(&b, _("Why %s is wrong: %s\n"), w[i]->match, tt_quiz_text_get(&w[i]->text, x->lang));
	}
	if (q->kind == TT_QUIZ_OPEN) {
		sb_add(&b, "\n\n%s\n", _("Key points of the model answer:"));
		for (size_t i = 0; i < q->nkeys; i++)
			sb_add(&b, "  - %s\n", tt_quiz_text_get(&q->key[i], x->lang));
	}
	sb_add(&b, "%s%s\n%s\n", b.n > 0 ? "\n" : "", _("Explanation:"),
	       tt_quiz_text_get(&q->explain, x->lang));
	nw = 0;
	for (size_t i = 0; i < q->nwrong; i++)
		if (q->wrong[i].match[0] == '\0') {
			if (nw++ == 0)
				sb_add(&b, "\n%s\n", _("Common wrong answers:"));
			sb_add(&b, "  - %s\n", tt_quiz_text_get(&q->wrong[i].text, x->lang));
		}
	sb_add(&b, "\n");
	sb_add(&b, _("Show me (s): lesson %s, step %u"), q->show_lesson, q->show_step);
	if (q->scenario != NULL)
		sb_add(&b, "\n%s", _("This question's own scenario (g): the run the answer was computed from"));
	x->fb = b.s;
}

static void
grade(struct qscreen *x, const char *answer)
{
	char err[512];
	int r = tt_quiz_check(x->q, answer, x->norm, sizeof x->norm, err, sizeof err);

	if (r < 0) {
		/* On screen an unreadable answer is simply asked again. */
		snprintf(x->msg, sizeof x->msg, "%s", _(err));
		return;
	}
	x->right = r;
	x->msg[0] = '\0';
	x->unsaved = tt_quiz_session_answer(x->s, r, err, sizeof err) == -1;
	if (x->unsaved)
		snprintf(x->msg, sizeof x->msg, _("progress not saved: %s"), err);
	x->phase = PH_FEEDBACK;
	x->scroll = 0;
	build_feedback(x);
}

static void
submit(struct qscreen *x)
{
	char ans[1024];

	if (is_choice_kind(x->q)) {
		if (x->q->kind == TT_QUIZ_STATE)
			snprintf(ans, sizeof ans, "%s", tt_state_name((enum tt_state)x->cur));
		else if (x->q->kind == TT_QUIZ_SINGLE)
			snprintf(ans, sizeof ans, "%c", (char)('a' + x->cur));
		else {
			size_t n = 0;

			for (size_t i = 0; i < x->q->nchoices; i++)
				if (x->sel & (1u << i))
					ans[n++] = (char)('a' + i);
			ans[n] = '\0';
			if (n == 0) {
				snprintf(x->msg, sizeof x->msg, "%s",
				         _("tick every right choice with Space, then press Enter"));
				return;
			}
		}
		grade(x, ans);
		return;
	}
	if (wcstombs(ans, x->in, sizeof ans) == (size_t)-1)
		ans[0] = '\0';
	if (x->q->kind == TT_QUIZ_OPEN) {
		if (ans[0] == '\0') {
			snprintf(x->msg, sizeof x->msg, "%s", _("write your answer first, then press Enter"));
			return;
		}
		snprintf(x->typed, sizeof x->typed, "%s", ans);
		x->phase = PH_SELFGRADE;
		x->scroll = 0;
		x->msg[0] = '\0';
		return;
	}
	grade(x, ans);
}

/* ---- drawing ---- */

static void
draw_summary(struct qscreen *x)
{
	struct sb b = { NULL, 0, 0 };
	unsigned asked, right;
	struct ui_keyhint keys[] = { { "Enter", _("done") } };

	tt_quiz_session_score(x->s, NULL, &asked, &right);
	sb_add(&b, _("Score: %u of %u right\n"), right, asked);
	for (size_t i = 0; i < tt_quiz_session_ntopics(x->s); i++) {
		const char *t = tt_quiz_session_topic(x->s, i);
		const char *name = strcmp(t, TT_PRACTICE_TOPIC) == 0 ? _("generated practice")
		                   : tt_quiz_topic_name(x->qz, t, x->lang);

		tt_quiz_session_score(x->s, t, &asked, &right);
		sb_add(&b, "  %u/%u  %s\n", right, asked, name);
	}
	if (x->o->progress_path != NULL && x->unsaved)
		sb_add(&b, "\n%s\n%s\n", _("Progress could not be saved in"), x->o->progress_path);
	else if (x->o->progress_path != NULL)
		sb_add(&b, "\n%s\n%s\n", _("Progress saved in"), x->o->progress_path);
	if (x->msg[0] != '\0')
		sb_add(&b, "\n%s\n", x->msg);
	ui_titlebar(_("Quiz: the end of this sitting"), "tcptutor");
	ui_wrap(stdscr, 2, 2, LINES - 4, COLS - 4, 0, b.s ? b.s : "", 0, x->o->present);
	ui_keybar(LINES - 1, keys, 1);
	free(b.s);
}

/* The title bar, the question's title and its prompt; returns the next row.
 * Once answered, the prompt gets less room: the feedback needs it. */
static int
draw_head(struct qscreen *x)
{
	const struct tt_quiz_question *q = x->q;
	char left[256], right[64];
	unsigned asked, nright;
	size_t planned = tt_quiz_session_planned(x->s);
	const char *topic = strcmp(q->topic, TT_PRACTICE_TOPIC) == 0 ? _("generated practice")
	                    : tt_quiz_topic_name(x->qz, q->topic, x->lang);
	int y = 2, h = x->phase == PH_ASK ? LINES / 3 : LINES / 5, used;

	if (planned > 0)
		snprintf(left, sizeof left, _("Quiz \xc2\xb7 %s \xc2\xb7 question %zu of %zu \xc2\xb7 %s"),
		         topic, x->num, planned, _(tt_quiz_kind_name(q->kind)));
	else
		snprintf(left, sizeof left, _("Quiz \xc2\xb7 %s \xc2\xb7 question %zu \xc2\xb7 %s"), topic,
		         x->num, _(tt_quiz_kind_name(q->kind)));
	tt_quiz_session_score(x->s, NULL, &asked, &nright);
	snprintf(right, sizeof right, _("score %u/%u"), nright, asked);
	ui_titlebar(left, right);
	ui_text(stdscr, y++, 2, COLS - 4, ui_attr(UI_R_HEADING), tt_quiz_text_get(&q->title, x->lang));
	y++;
	if (h < 2)
		h = 2;
	used = ui_wrap(stdscr, y, 2, h, COLS - 4, 0, tt_quiz_text_get(&q->prompt, x->lang), 0, x->o->present);
	if (used * (1 + x->o->present) > h)     /* cut: say so */
		ui_text(stdscr, y + h - 1, COLS - 2, 1, ui_attr(UI_R_DIM), ui_glyph(UI_G_ELLIPSIS));
	used *= 1 + x->o->present;
	return y + (used > h ? h : used) + 1;
}

/* The attribute of choice i: current, or after the answer the right one
 * and the wrong one given. */
static attr_t
choice_attr(const struct qscreen *x, size_t i)
{
	const struct tt_quiz_question *q = x->q;

	if (x->phase == PH_FEEDBACK && (q->kind == TT_QUIZ_SINGLE || q->kind == TT_QUIZ_MULTIPLE) &&
	    (q->answer_mask & (1u << i)))
		return ui_attr(UI_R_OK);
	if (x->phase == PH_FEEDBACK && q->kind == TT_QUIZ_STATE && (int)i == q->state)
		return ui_attr(UI_R_OK);
	if (x->phase == PH_FEEDBACK && (q->kind == TT_QUIZ_STATE || q->kind == TT_QUIZ_SINGLE) &&
	    i == x->cur)
		return ui_attr(UI_R_BAD);       /* the answer given, and wrong */
	return x->phase == PH_ASK && is_choice_kind(q) && i == x->cur ? ui_attr(UI_R_CURRENT) : 0;
}

static void
choice_lead(const struct qscreen *x, size_t i, char *lead, size_t len)
{
	if (x->q->kind == TT_QUIZ_ORDER)
		snprintf(lead, len, "%zu. ", i + 1);
	else if (x->q->kind == TT_QUIZ_MULTIPLE)
		snprintf(lead, len, "[%c] %c) ", (x->sel & (1u << i)) ? 'x' : ' ', (char)('a' + i));
	else
		snprintf(lead, len, "%c) ", (char)('a' + i));
}

/* Rows the choices take one per row (long ones wrap, up to three rows), or
 * laid out in columns when they are short; *cols says how many. */
static int
choice_rows(const struct qscreen *x, int avail, int *cols)
{
	size_t n = nchoices(x->q);
	int rows = 0, widest = 0, colw;
	char lead[32];

	for (size_t i = 0; i < n; i++) {
		int w, used;

		choice_lead(x, i, lead, sizeof lead);
		w = ui_width(lead);
		used = ui_wrap(NULL, 0, 0, 0, COLS - 5 - w, 0, choice_text(x, i), 0, 0);
		rows += used < 1 ? 1 : used > 3 ? 3 : used;
		w += ui_width(choice_text(x, i));
		if (w > widest)
			widest = w;
	}
	*cols = 1;
	if (rows <= avail || avail < 1)
		return rows;
	colw = widest + 4;
	if (colw * 2 > COLS - 4)
		return rows;                 /* too wide for columns: cut */
	*cols = (int)((n + (size_t)avail - 1) / (size_t)avail);
	if (*cols * colw > COLS - 4)
		*cols = (COLS - 4) / colw;
	return (int)((n + (size_t)*cols - 1) / (size_t)*cols);
}

/* The choices (or the items to order) from row y; returns the next row. */
static int
draw_choices(struct qscreen *x, int y, int avail)
{
	size_t n = nchoices(x->q);
	int cols, rows = choice_rows(x, avail, &cols), colw = (COLS - 4) / cols;
	int y0 = y;

	for (size_t i = 0; i < n; i++) {
		attr_t a = choice_attr(x, i);
		int col = cols > 1 ? (int)i / rows : 0, lx = 3 + col * colw, used;
		char lead[32];

		if (cols > 1)
			y = y0 + (int)i % rows;
		if (y >= y0 + avail)
			break;
		if (a == ui_attr(UI_R_CURRENT) && a != 0)
			ui_text(stdscr, y, lx - 2, 1, ui_attr(UI_R_FOCUS), ui_glyph(UI_G_CURSOR));
		choice_lead(x, i, lead, sizeof lead);
		lx += ui_text(stdscr, y, lx, colw, a, lead);
		used = ui_wrap(stdscr, y, lx, cols > 1 ? 1 : 3, (cols > 1 ? 3 + (col + 1) * colw : COLS - 2) - lx,
		               a, choice_text(x, i), 0, 0);
		if (cols == 1)
			y += used < 1 ? 1 : used > 3 ? 3 : used;
	}
	return (cols > 1 ? y0 + rows : y) + 1;
}

/* After the answer, instead of every choice: the one given (and the body
 * names the right one). */
static int
draw_given(struct qscreen *x, int y)
{
	const struct tt_quiz_question *q = x->q;
	char text[1100] = "";
	size_t at = 0;

	if (q->kind == TT_QUIZ_STATE)
		snprintf(text, sizeof text, "%s", choice_text(x, x->cur));
	else if (q->kind == TT_QUIZ_SINGLE)
		snprintf(text, sizeof text, "%c) %s", (char)('a' + x->cur), choice_text(x, x->cur));
	else if (q->kind == TT_QUIZ_MULTIPLE)
		for (size_t i = 0; i < q->nchoices && at < sizeof text; i++)
			if (x->sel & (1u << i))
				at += (size_t)snprintf(text + at, sizeof text - at, "%s%c) %s", at ? ", " : "",
				                       (char)('a' + i), choice_text(x, i));
	if (q->kind == TT_QUIZ_ORDER || q->kind == TT_QUIZ_NUMBER)
		if (wcstombs(text, x->in, sizeof text) == (size_t)-1)
			text[0] = '\0';
	{
		char line[1200];
		int used;

		snprintf(line, sizeof line, _("Your answer: %s"), text);
		used = ui_wrap(stdscr, y, 2, 2, COLS - 4, ui_attr(x->right ? UI_R_OK : UI_R_DIM), line, 0, 0);
		return y + (used > 2 ? 2 : used) + 1;
	}
}

/* The line being typed, wrapped; when it is longer than the rows it may
 * take, its end (where the cursor is) stays on screen. */
static int
draw_typing(struct qscreen *x, int y, int avail)
{
	const struct tt_quiz_question *q = x->q;
	char text[1100], line[1200];
	int maxr = avail < 4 ? avail : 4, need, skip;

	if (wcstombs(text, x->in, sizeof text) == (size_t)-1)
		text[0] = '\0';
	ui_text(stdscr, y, 2, COLS - 4, ui_attr(UI_R_DIM),
	        q->kind == TT_QUIZ_NUMBER ? _("Type a number and press Enter:")
	        : q->kind == TT_QUIZ_ORDER ? _("Type the item numbers in order (e.g. 3 1 2 4) and press Enter:")
	        : _("Answer in your own words and press Enter:"));
	y++;
	snprintf(line, sizeof line, "> %s_", text);
	need = ui_wrap(NULL, 0, 0, 0, COLS - 4, 0, line, 0, 0);
	if (maxr < 1)
		maxr = 1;
	skip = need > maxr ? need - maxr : 0;
	for (int r = 0; r < (need < maxr ? need : maxr); r++)
		ui_text_pad(stdscr, y + r, 2, COLS - 4, ui_attr(UI_R_CURRENT), "");
	ui_wrap(stdscr, y, 2, maxr, COLS - 4, ui_attr(UI_R_CURRENT), line, skip, 0);
	return y + (need < maxr ? need : maxr) + 1;
}

/* The scrollable part under the answer: the key points to grade against, or
 * the feedback; x->body_rows lines of it show. */
static void
draw_body(struct qscreen *x, int y)
{
	const struct tt_quiz_question *q = x->q;
	int gap = x->o->present, rows;
	struct sb b = { NULL, 0, 0 };
	const char *text = x->fb;

	if (x->phase == PH_FEEDBACK) {
		const char *verdict = q->kind == TT_QUIZ_OPEN
		                      ? (x->right ? _("Graded right.") : _("Graded wrong: study the key points."))
		                      : x->right ? _("Right.") : x->verdict;

		ui_text(stdscr, y, 2, COLS - 4, ui_attr(x->right ? UI_R_OK : UI_R_BAD), verdict);
		y += 2;
	} else {
		sb_add(&b, _("Your answer: %s"), x->typed);
		sb_add(&b, "\n\n%s\n", _("Key points of the model answer:"));
		for (size_t i = 0; i < q->nkeys; i++)
			sb_add(&b, "  - %s\n", tt_quiz_text_get(&q->key[i], x->lang));
		sb_add(&b, "\n%s", _("Did your answer cover them? (y/n)"));
		text = b.s;
	}
	rows = LINES - 2 - y;
	x->body_rows = rows > 0 ? (rows + gap) / (1 + gap) : 0;
	x->body_lines = 0;
	if (rows > 0 && text != NULL) {
		if (x->scroll > 0 && x->scroll + x->body_rows > ui_wrap(NULL, 0, 0, 0, COLS - 4, 0, text, 0, 0))
			x->scroll = ui_wrap(NULL, 0, 0, 0, COLS - 4, 0, text, 0, 0) - x->body_rows;
		if (x->scroll < 0)
			x->scroll = 0;
		x->body_lines = ui_wrap(stdscr, y, 2, rows, COLS - 4, 0, text, x->scroll, gap);
		if (x->body_lines > x->body_rows)
			ui_textf(stdscr, LINES - 2, COLS - 14, 13, ui_attr(UI_R_DIM), "%d/%d",
			         x->scroll + x->body_rows < x->body_lines ? x->scroll + x->body_rows
			                                                  : x->body_lines,
			         x->body_lines);
	}
	free(b.s);
}

static void
draw_keys(struct qscreen *x)
{
	const struct tt_quiz_question *q = x->q;
	int scrolls = x->body_lines > x->body_rows;

	if (x->phase == PH_ASK) {
		/* a letter answers at once; the arrows mark one for Enter */
		struct ui_keyhint ck[] = { { "\xe2\x86\x91\xe2\x86\x93", _("move") },
		                           { "Enter", _("answer") },
		                           { q->kind == TT_QUIZ_STATE ? "a-k" : q->nchoices > 4 ? "a-h" : "a-d",
		                             _("pick and answer") }, { "q", _("finish") } };
		struct ui_keyhint mk[] = { { "\xe2\x86\x91\xe2\x86\x93", _("move") },
		                           { "Space", _("tick") }, { "Enter", _("answer") },
		                           { "q", _("finish") } };
		struct ui_keyhint tk[] = { { "Enter", _("answer") }, { "Esc", _("finish") } };

		if (!ui_unicode())
			ck[0].key = mk[0].key = "Up/Down";
		if (q->kind == TT_QUIZ_MULTIPLE)
			ui_keybar(LINES - 1, mk, 4);
		else if (is_choice_kind(q))
			ui_keybar(LINES - 1, ck, 4);
		else
			ui_keybar(LINES - 1, tk, 2);
	} else if (x->phase == PH_SELFGRADE) {
		struct ui_keyhint k[] = { { "y", _("covered the key points") }, { "n", _("missed some") },
		                          { "PgDn", _("scroll") }, { "Esc", _("finish") } };

		if (!scrolls)
			k[2] = k[3];
		ui_keybar(LINES - 1, k, scrolls ? 4 : 3);
	} else {
		struct ui_keyhint k[5] = { { "Enter", _("next question") }, { "s", _("show me") } };
		size_t nk = 2;

		if (q->scenario != NULL)
			k[nk++] = (struct ui_keyhint){ "g", _("this scenario") };
		if (scrolls)
			k[nk++] = (struct ui_keyhint){ "PgDn", _("scroll") };
		k[nk++] = (struct ui_keyhint){ "q", _("finish") };
		ui_keybar(LINES - 1, k, nk);
	}
}

static void
draw(void *ctx)
{
	struct qscreen *x = ctx;
	const struct tt_quiz_question *q = x->q;
	int y, list;

	if (x->phase == PH_SUMMARY) {
		draw_summary(x);
		return;
	}
	list = is_choice_kind(q) || q->kind == TT_QUIZ_ORDER;
	y = draw_head(x);
	if (x->phase == PH_ASK) {
		if (list)
			y = draw_choices(x, y, LINES - 3 - y - (is_choice_kind(q) ? 0 : 3));
		if (!is_choice_kind(q) && y < LINES - 3)
			y = draw_typing(x, y, LINES - 3 - y);
	} else if (x->phase == PH_FEEDBACK && list) {
		/* every choice again when the feedback still has room, else only
		 * the answer given */
		int cols, rows = choice_rows(x, LINES, &cols), need = x->fb != NULL ?
		    ui_wrap(NULL, 0, 0, 0, COLS - 4, 0, x->fb, 0, 0) + 2 : 2;

		if (LINES - 2 - (y + rows + 1) >= (need < LINES / 2 ? need : LINES / 2))
			y = draw_choices(x, y, rows);
		else
			y = draw_given(x, y);
	} else if (x->phase == PH_FEEDBACK && q->kind == TT_QUIZ_NUMBER) {
		y = draw_given(x, y);
	}
	if (x->msg[0] != '\0' && y < LINES - 2) {
		ui_text(stdscr, y, 2, COLS - 4, ui_attr(UI_R_BAD), x->msg);
		y += 2;
	}
	x->body_rows = x->body_lines = 0;
	if (x->phase == PH_SELFGRADE || x->phase == PH_FEEDBACK)
		draw_body(x, y);
	draw_keys(x);
}

/* ---- keys ---- */

static enum ui_next
key_ask(struct qscreen *x, int key)
{
	const struct tt_quiz_question *q = x->q;
	size_t n = nchoices(q);

	if (is_choice_kind(q)) {
		/* State questions have eleven choices: j and k are letters there. */
		if (q->kind == TT_QUIZ_STATE && key >= 'a' && key < 'a' + (int)n) {
			x->cur = (size_t)(key - 'a');
			submit(x);
			return UI_REDRAW;
		}
		switch (key) {
		case UI_FN(KEY_UP):
		case 'k':
			if (x->cur > 0)
				x->cur--;
			return UI_REDRAW;
		case UI_FN(KEY_DOWN):
		case 'j':
			if (x->cur + 1 < n)
				x->cur++;
			return UI_REDRAW;
		case ' ':
			if (q->kind == TT_QUIZ_MULTIPLE) {
				x->sel ^= 1u << x->cur;
				return UI_REDRAW;
			}
			submit(x);
			return UI_REDRAW;
		case '\r':
		case '\n':
		case UI_FN(KEY_ENTER):
			submit(x);
			return UI_REDRAW;
		case 'q':
		case 27:
			x->phase = PH_SUMMARY;
			return UI_REDRAW;
		default:
			if (key >= 'a' && key < 'a' + (int)n && key != 'j' && key != 'k' && key != 'q') {
				x->cur = (size_t)(key - 'a');
				if (q->kind == TT_QUIZ_MULTIPLE)
					x->sel ^= 1u << x->cur;
				else
					submit(x);
				return UI_REDRAW;
			}
			if (key >= '1' && key <= '9' && (size_t)(key - '1') < n) {
				x->cur = (size_t)(key - '1');
				if (q->kind == TT_QUIZ_MULTIPLE)
					x->sel ^= 1u << x->cur;
				else
					submit(x);
				return UI_REDRAW;
			}
			return UI_STAY;
		}
	}
	switch (key) {
	case '\r':
	case '\n':
	case UI_FN(KEY_ENTER):
		submit(x);
		return UI_REDRAW;
	case 27:
		x->phase = PH_SUMMARY;
		return UI_REDRAW;
	case UI_FN(KEY_BACKSPACE):
	case 127:
	case UI_CTRL('h'):
		if (x->inlen > 0)
			x->in[--x->inlen] = 0;
		return UI_REDRAW;
	case UI_CTRL('u'):
		x->inlen = 0;
		x->in[0] = 0;
		return UI_REDRAW;
	default:
		if (UI_IS_FN(key) || key < 0x20)
			return UI_STAY;
		if (x->inlen + 1 < sizeof x->in / sizeof x->in[0]) {
			x->in[x->inlen++] = (wchar_t)key;
			x->in[x->inlen] = 0;
		}
		return UI_REDRAW;
	}
}

/* Up, Down, PgUp, PgDn (j, k) move the scrollable part: a page is what
 * was on screen less one line, so no line is ever skipped. 1 when k was one
 * of them. */
static int
key_scroll(struct qscreen *x, int k)
{
	int page = x->body_rows > 1 ? x->body_rows - 1 : 1;
	int last = x->body_lines > x->body_rows ? x->body_lines - x->body_rows : 0;

	switch (k) {
	case UI_FN(KEY_DOWN):
	case 'j':
		x->scroll++;
		break;
	case UI_FN(KEY_UP):
	case 'k':
		x->scroll--;
		break;
	case UI_FN(KEY_NPAGE):
		x->scroll += page;
		break;
	case UI_FN(KEY_PPAGE):
		x->scroll -= page;
		break;
	case UI_FN(KEY_HOME):
		x->scroll = 0;
		break;
	case UI_FN(KEY_END):
		x->scroll = last;
		break;
	default:
		return 0;
	}
	if (x->scroll > last)
		x->scroll = last;
	if (x->scroll < 0)
		x->scroll = 0;
	return 1;
}

static enum ui_next
key(void *ctx, int k)
{
	struct qscreen *x = ctx;
	char err[512];

	switch (x->phase) {
	case PH_ASK:
		return key_ask(x, k);
	case PH_SELFGRADE:
		if (k == 'y' || k == 'Y')
			grade(x, "y");
		else if (k == 'n' || k == 'N')
			grade(x, "n");
		else if (k == 27)
			x->phase = PH_SUMMARY;
		else if (!key_scroll(x, k))
			return UI_STAY;
		return UI_REDRAW;
	case PH_FEEDBACK:
		if (key_scroll(x, k))
			return UI_REDRAW;
		switch (k) {
		case '\r':
		case '\n':
		case ' ':
		case 'n':
		case UI_FN(KEY_ENTER):
		case UI_FN(KEY_RIGHT):
			next_question(x);
			return UI_REDRAW;
		case 's':
		case 'g':
			if (x->o->show == NULL || (k == 'g' && x->q->scenario == NULL))
				return UI_STAY;
			if (x->o->show(x->o->show_ctx, x->q, k == 'g', err, sizeof err) == -1)
				snprintf(x->msg, sizeof x->msg, "%s", err);
			clear();
			return UI_REDRAW;
		case 'q':
		case 27:
			x->phase = PH_SUMMARY;
			return UI_REDRAW;
		default:
			return UI_STAY;
		}
	case PH_SUMMARY:
		return UI_DONE;
	}
	return UI_STAY;
}

int
ui_quiz(const struct tt_quiz *qz, struct tt_quiz_session *s, const struct ui_quiz_opts *o)
{
	struct qscreen x;
	struct ui_screen scr = { &x, draw, key, NULL, NULL, 0 };
	char err[256];

	if (ui_begin(err, sizeof err) != 0) {
		ui_fail("%s", err);
		return 1;
	}
	memset(&x, 0, sizeof x);
	x.qz = qz;
	x.s = s;
	x.o = o;
	x.lang = o->zh ? TT_ZH : TT_EN;
	next_question(&x);
	ui_run(&scr);
	free(x.fb);
	ui_end();
	return 0;
}

const char *
ui_quiz_pick_topic(const struct tt_quiz *qz, const struct tt_leitner *p,
                   const struct ui_quiz_opts *o)
{
	size_t nt = tt_quiz_ntopics(qz), n = 0;
	char **items = calloc(nt + 2, sizeof *items);
	const char *ids[64];
	struct ui_opts uo = { o->zh, o->present, 0, 0, 0 };
	int lang = o->zh ? TT_ZH : TT_EN, r, namew = 0, began;
	const char *chosen = NULL;
	char err[256];

	if (items == NULL || nt + 2 > sizeof ids / sizeof ids[0]) {
		free(items);
		return "all";
	}
	/* the terminal first: text widths follow its character set */
	began = ui_begin(err, sizeof err) == 0;
	for (size_t i = 0; i < nt; i++) {
		int w = ui_width(tt_quiz_topic_name(qz, tt_quiz_topic(qz, i), lang));

		if (w > namew)
			namew = w;
	}
	for (size_t i = 0; i < nt + 2; i++) {
		const char *id = i == 0 ? "all" : i == nt + 1 ? TT_PRACTICE_TOPIC : tt_quiz_topic(qz, i - 1);
		unsigned total = 0, due = 0;
		char buf[256];

		for (size_t k = 0; k < tt_quiz_count(qz); k++) {
			const struct tt_quiz_question *q = tt_quiz_get(qz, k);
			struct tt_leitner_record rec;

			if (i != 0 && strcmp(q->topic, id) != 0)
				continue;
			rec = tt_leitner_get(p, q->id);
			total++;
			due += tt_leitner_due(&rec, tt_leitner_session(p) + 1);
		}
		if (i == 0)
			snprintf(buf, sizeof buf, _("All topics  (%u questions, %u due)"), total, due);
		else if (i == nt + 1)
			snprintf(buf, sizeof buf, "%s", _("Generated practice  (numbers computed by the engine; never runs out)"));
		else {
			/* names padded by columns, not bytes: Chinese lines up too */
			const char *name = tt_quiz_topic_name(qz, id, lang);
			char padded[160];
			int pad = namew - ui_width(name);

			snprintf(padded, sizeof padded, "%s%*s", name, pad > 0 ? pad : 0, "");
			snprintf(buf, sizeof buf, _("%s  (%u questions, %u due)"), padded, total, due);
		}
		ids[n] = id;
		items[n++] = strdup(buf);
		if (items[n - 1] == NULL)
			ui_fatal("%s", _("out of memory"));
	}
	r = ui_pick_ex(_("Quiz: pick a topic"),
	               _("Questions due in your Leitner boxes come first; right answers move a "
	                 "question up a box, wrong ones back to box 1."),
	               (const char *const *)items, n, 0, &uo);
	if (r >= 0 && (size_t)r < n)
		chosen = ids[r];
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	if (began)
		ui_end();
	return chosen;
}
