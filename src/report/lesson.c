/* report/lesson.c: a lesson in batch form: its narration wrapped to 78
 * columns (CJK text breaks between characters, not before its closing
 * punctuation), checkpoints with their answers, the events of each step
 * and its segment table (text); the table alone (TSV, JSON lines); and the
 * list of lessons. Writes only to the FILE * it is given. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "report/lesson.h"
#include "report/report.h"
#include "tutor/lesson.h"
#include "tutor/progress.h"

#define WRAP 78

/* Display width of the UTF-8 character at s (base/: wcwidth in the
 * current locale); *len gets its byte length. */
static int
char_width(const unsigned char *s, size_t *len)
{
	size_t k = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;

	for (size_t i = 1; i < k; i++)
		if (s[i] == '\0')
			k = 1;
	*len = k;
	return tt_text_nwidth((const char *)s, k);
}

/* Chinese punctuation that must not begin a line. */
static int
no_line_start(const unsigned char *s)
{
	static const char *const marks[] = { "，", "。", "、", "；", "：", "？", "！", "）", "」",
	                                     "》", "”", "’", "…" };

	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp((const char *)s, marks[i], strlen(marks[i])) == 0)
			return 1;
	return *s == ',' || *s == '.' || *s == ')' || *s == ';' || *s == ':';
}

/* Prints text wrapped to WRAP columns: the first line starts with prefix,
 * the others with `indent` blanks; '\n' in the text starts a new paragraph
 * (a blank line between). Lines break at blanks, or between two wide
 * characters. */
static void
print_wrapped_p(FILE *f, const char *prefix, const char *text, int indent)
{
	const unsigned char *s = (const unsigned char *)text;
	int first = 1;

	while (*s != '\0') {
		const unsigned char *line = s, *brk = NULL, *p = s;
		int col = indent, lastwide = 0;

		if (first && prefix != NULL) {
			for (const unsigned char *q = (const unsigned char *)prefix; *q != '\0';) {
				size_t len;

				col += char_width(q, &len) - (q == (const unsigned char *)prefix ? indent : 0);
				q += len;
			}
		}
		while (*p != '\0' && *p != '\n') {
			size_t len;
			int w = char_width(p, &len);

			if (*p == ' ')
				brk = p;
			else if (w == 2 && lastwide && p > line && !no_line_start(p))
				brk = p;
			if (col + w > WRAP && brk != NULL && brk > line)
				break;
			lastwide = (w == 2);
			col += w;
			p += len;
		}
		if (*p != '\0' && *p != '\n' && brk != NULL && brk > line)
			p = brk;
		if (first && prefix != NULL)
			fprintf(f, "%s%.*s\n", prefix, (int)(p - line), (const char *)line);
		else
			fprintf(f, "%*s%.*s\n", indent, "", (int)(p - line), (const char *)line);
		first = 0;
		s = p;
		while (*s == ' ')
			s++;
		if (*s == '\n') {
			s++;
			if (*s != '\0')
				fputc('\n', f);
		}
	}
}

static void
print_wrapped(FILE *f, const char *text, int indent)
{
	print_wrapped_p(f, NULL, text, indent);
}

/* The events of one step, one line each. */
static void
print_events(FILE *f, const struct tt_step *st)
{
	char when[32];

	tt_fmt_secs(st->time, when, sizeof when);
	if (st->kind == TT_STEP_EVENT && st->nev == 0)
		fprintf(f, "%18s  %s\n", when, tt_report_host(st->dir));
	for (unsigned i = 0; i < st->nev && i < TT_STEP_EVENTS; i++) {
		const struct tt_event *ev = &st->ev[i].ev;
		char src[64], rule[72], states[64];
		const char *text = tt_reason_text(ev->reason);

		if (*tt_reason_source(ev->reason, src, sizeof src))
			snprintf(rule, sizeof rule, _(" (%s)"), _(src));
		else
			rule[0] = '\0';
		if (ev->from != ev->to)
			snprintf(states, sizeof states, "%s -> %s", tt_state_name(ev->from),
			         tt_state_name(ev->to));
		else
			snprintf(states, sizeof states, "%s", tt_state_name(ev->to));
		fprintf(f, "%18s  %s: %s: %s%s\n", st->kind == TT_STEP_EVENT && i == 0 ? when : "",
		        tt_report_host(st->ev[i].host), states, text && *text ? _(text) : "", rule);
	}
}

static void
make_row(const struct tt_lesson *l, const struct tt_step *st, int absolute, char *notes,
         size_t nlen, struct tt_row *row)
{
	unsigned scene = tt_lesson_step_scene(l, (size_t)(st - tt_lesson_steps(l)));

	memset(row, 0, sizeof *row);
	row->stream = st->stream;   /* numbered through the lesson, scene after scene */
	row->frame = st->frame;
	row->time_ns = st->time * 1000;
	row->dir = st->dir == TT_SERVER;
	row->src = tt_lesson_stream_endpoint(l, st->stream, st->dir);
	row->dst = tt_lesson_stream_endpoint(l, st->stream, !st->dir);
	if (*row->src == '\0' || *row->dst == '\0') {
		row->src = tt_lesson_scene_endpoint(l, scene, st->dir);
		row->dst = tt_lesson_scene_endpoint(l, scene, !st->dir);
	}
	row->flags = st->seg.flags;
	if (absolute) {
		row->seq = st->seg.seq;
		row->ack = st->seg.ack;
	} else {
		tt_lesson_relative(l, st, &row->seq, &row->ack);
	}
	row->len = st->seg.len;
	row->win = st->seg.wnd;
	row->cstate = st->tcb[TT_CLIENT].state;
	row->sstate = st->tcb[TT_SERVER].state;
	row->notes = tt_notes_format(st->notes, notes, nlen);
	/* --tcb: each host's numbers on the row's relative bases (those of
	 * the sender's seq and of the receiver's ack) */
	row->tcb[0] = &st->tcb[TT_CLIENT];
	row->tcb[1] = &st->tcb[TT_SERVER];
	row->tcb_base[st->dir] = st->seg.seq - row->seq;
	row->tcb_base[!st->dir] = st->seg.ack - row->ack;
}

static void
print_check(FILE *f, const struct tt_lesson *l, const struct tt_lesson_check *c, size_t idx, int lang)
{
	char head[160];

	snprintf(head, sizeof head, _("Checkpoint %zu of %zu:"), idx + 1, tt_lesson_nchecks(l));
	fprintf(f, "? %s\n", head);
	print_wrapped(f, c->ask[lang], 2);
	if (c->nchoices > 0) {
		for (size_t k = 0; k < c->nchoices; k++)
			fprintf(f, "%s%c) %s", k ? "   " : "    ", (int)('a' + k), c->choices[k]);
		fputc('\n', f);
		fprintf(f, "  %s %c) %s\n", _("Answer:"), (int)('a' + c->answer_choice), c->answer);
	} else {
		fprintf(f, "    %s\n", _("(type a number)"));
		fprintf(f, "  %s %s\n", _("Answer:"), c->answer);
	}
	snprintf(head, sizeof head, "  %s ", _("Why:"));
	print_wrapped_p(f, head, c->why[lang], 4);
	fputc('\n', f);
}

static void
underline(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	while (*p != '\0') {
		size_t len;

		w += char_width(p, &len);
		p += len;
	}
	for (int i = 0; i < w; i++)
		fputc('=', f);
	fputc('\n', f);
}

int
tt_report_lesson_text(FILE *f, const struct tt_lesson *l, int lang, int absolute, int tcb)
{
	const struct tt_step *steps = tt_lesson_steps(l);
	struct tt_report *rep = tt_report_new(f, TT_FMT_TEXT);
	int header = 0;
	char notes[256];

	if (rep == NULL)
		return -1;
	if (tcb)
		tt_report_tcb(rep);
	fprintf(f, "%s\n", tt_lesson_title(l, lang));
	underline(f, tt_lesson_title(l, lang));
	fprintf(f, "%s %s   %s %s\n\n", _("client"), tt_lesson_scene_endpoint(l, 0, TT_CLIENT), _("server"),
	        tt_lesson_scene_endpoint(l, 0, TT_SERVER));
	for (size_t i = 0; i < tt_lesson_nparts(l); i++) {
		const struct tt_lesson_part *pt = tt_lesson_part(l, i);

		if (pt->say[lang] != NULL && *pt->say[lang] != '\0') {
			print_wrapped(f, pt->say[lang], 0);
			fputc('\n', f);
		}
		if (pt->check >= 0)
			print_check(f, l, tt_lesson_check(l, (size_t)pt->check), (size_t)pt->check, lang);
		for (size_t s = pt->first; s < pt->end; s++) {
			const struct tt_step *st = &steps[s];

			if (st->kind == TT_STEP_SEGMENT) {
				struct tt_row row;

				if (!header) {
					tt_report_header(rep);
					header = 1;
				}
				make_row(l, st, absolute, notes, sizeof notes, &row);
				tt_report_row(rep, &row);
			}
			print_events(f, st);
		}
		if (pt->end > pt->first)
			fputc('\n', f);
	}
	fprintf(f, "%s\n", _("Summary"));
	underline(f, _("Summary"));
	print_wrapped(f, tt_lesson_summary(l, lang), 0);
	tt_report_free(rep);
	return 0;
}

int
tt_report_lesson_table(FILE *f, const struct tt_lesson *l, enum tt_format fmt, int absolute,
                       int tcb)
{
	struct tt_report *rep = tt_report_new(f, fmt);
	const struct tt_step *steps = tt_lesson_steps(l);
	char notes[256];

	if (rep == NULL)
		return -1;
	if (tcb)
		tt_report_tcb(rep);
	tt_report_header(rep);
	for (size_t s = 0; s < tt_lesson_nsteps(l); s++) {
		struct tt_row row;

		if (steps[s].kind != TT_STEP_SEGMENT)
			continue;
		make_row(l, &steps[s], absolute, notes, sizeof notes, &row);
		tt_report_row(rep, &row);
	}
	tt_report_free(rep);
	return 0;
}

/* s in w columns of the terminal, right-aligned (w > 0) or left (w < 0). */
static void
pad(FILE *f, const char *s, int w)
{
	int n = (w < 0 ? -w : w) - tt_text_width(s);

	if (w > 0)
		fprintf(f, "%*s", n > 0 ? n : 0, "");
	fputs(s, f);
	if (w < 0)
		fprintf(f, "%*s", n > 0 ? n : 0, "");
}

void
tt_report_lessons(FILE *f, enum tt_format fmt, struct tt_lesson *const *v, size_t n, int lang,
                  const struct tt_lesson_progress *prog)
{
	int nw = 12;            /* the name column: as wide as the longest name */

	for (size_t i = 0; i < n; i++)
		if (tt_text_width(tt_lesson_name(v[i])) > nw)
			nw = tt_text_width(tt_lesson_name(v[i]));
	if (fmt == TT_FMT_TSV)
		fprintf(f, "name\ttitle\tsteps\tcheckpoints\tlanguages\n");
	else if (fmt == TT_FMT_TEXT) {
		/* the heads in columns, not bytes: a Chinese word takes two a character */
		pad(f, _("name"), -nw);
		pad(f, _("steps"), 6);
		pad(f, _("checks"), 7);
		fputs("  ", f);
		pad(f, _("done"), -11);
		fprintf(f, "%s\n", _("title"));
	}
	for (size_t i = 0; i < n; i++) {
		const struct tt_lesson *l = v[i];

		switch (fmt) {
		case TT_FMT_TSV:
			fprintf(f, "%s\t%s\t%zu\t%zu\ten,zh_CN\n", tt_lesson_name(l), tt_lesson_title(l, lang),
			       tt_lesson_nsteps(l), tt_lesson_nchecks(l));
			break;
		case TT_FMT_JSON:
			fputs("{\"name\":", f);
			tt_json_string(f, tt_lesson_name(l));
			fputs(",\"title\":", f);
			tt_json_string(f, tt_lesson_title(l, lang));
			fprintf(f, ",\"steps\":%zu,\"checkpoints\":%zu,\"languages\":\"en,zh_CN\"}\n",
			       tt_lesson_nsteps(l), tt_lesson_nchecks(l));
			break;
		case TT_FMT_TEXT: {
			struct tt_lesson_progress_record r;
			char done[32] = "-";

			if (prog != NULL && tt_lesson_progress_get(prog, tt_lesson_name(l), &r) && r.finished)
				snprintf(done, sizeof done, "%u/%u", r.best, r.of);
			pad(f, tt_lesson_name(l), -nw);
			fprintf(f, " %5zu %6zu  %-10s %s\n", tt_lesson_nsteps(l),
			       tt_lesson_nchecks(l), done, tt_lesson_title(l, lang));
			break;
		}
		}
	}
}
