/* tutor/lesson.c: the lesson format of doc/lesson-format.md.
 *
 * Parsing is one pass over a buffer: lines the lesson format owns (lesson,
 * title, say, check, ...) are handled here, every other line goes to the
 * scenario reader. Narration and checkpoints collect until the next action
 * and are attached to it. lesson_run() then runs the scenario (or loads the
 * capture) and reads each checkpoint's answer off the steps. Every error is
 * "FILE:LINE: message"; nothing here prints.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "tutor/lesson.h"

struct check {
	struct lesson_check pub;
	unsigned nauthor;             /* choices given by the author */
	char *author[LESSON_MAX_CHOICES];
	unsigned choices_line;
	char *ask[LESSON_NLANG], *why[LESSON_NLANG];
	unsigned ask_line, why_line;
	size_t part;
};

struct part {
	struct lesson_part pub;
	unsigned scene;               /* scenario lessons: which scene */
	int carry;                    /* a fault line: its steps belong to the next action */
	char *say[LESSON_NLANG];
	uint64_t flo, fhi;            /* capture lessons: the frame range */
};

struct lesson {
	char *fname;
	char *name;
	int order;
	char *title[LESSON_NLANG];
	char *summary[LESSON_NLANG];
	unsigned title_line, summary_line;
	struct tt_scenario **scs;     /* one per scene; the last one is being read */
	size_t nscs;
	char *capture;
	unsigned capture_line;
	unsigned stream;

	struct part *parts;
	size_t nparts, capparts;
	struct check *checks;
	size_t nchecks, capchecks;

	/* after lesson_run */
	int ran;
	struct tt_step *steps;
	size_t nsteps;
	char (*endpoint)[2][64];      /* per scene */
	uint32_t (*iss)[2];           /* per scene */
	/* per stream (numbered through the lesson): each host's address and
	 * the base of its relative numbers, as the simulator gives them
	 * (tt_sim_stream_endpoint, tt_sim_seq_bases) */
	char (*sendpoint)[2][64];
	uint32_t (*sbase)[2];
	size_t nstreams;
	uint32_t *step_base;          /* 2 per step: its stream's bases (step_bases) */
	unsigned *step_scene;         /* nsteps entries */
	int capture_steps;            /* steps carry their own ISS views */
	const struct part **step_part; /* nsteps entries */
	const struct check **step_check;
};

/* ---- small helpers ------------------------------------------------------- */

static int
fail(char *err, size_t errlen, const char *fname, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
fail(char *err, size_t errlen, const char *fname, unsigned line, const char *fmt, ...)
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

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Appends one line of text: a blank between words when either side is
 * ASCII, nothing between two Chinese characters, "\n" for an empty line. */
static int
text_append(char **dst, const char *add)
{
	size_t old = *dst ? strlen(*dst) : 0, n = strlen(add);
	const char *sep = "";
	char *p;

	if (n == 0) {
		if (old == 0 || (*dst)[old - 1] == '\n')
			return 0;
		sep = "\n";
	} else if (old > 0 && (*dst)[old - 1] != '\n') {
		unsigned char last = (unsigned char)(*dst)[old - 1], first = (unsigned char)add[0];

		/* full-width punctuation (U+3000-303F, U+FF00-FFEF) needs no blank */
		const unsigned char *e = (const unsigned char *)*dst + old;
		int fullwidth = old >= 3 && ((e[-3] == 0xe3 && e[-2] >= 0x80 && e[-2] <= 0x80) ||
		                             (e[-3] == 0xef && (e[-2] == 0xbc || e[-2] == 0xbd)));

		if ((last < 0x80 || first < 0x80) && !fullwidth)
			sep = " ";
	}
	p = realloc(*dst, old + strlen(sep) + n + 1);
	if (p == NULL)
		return -1;
	memcpy(p + old, sep, strlen(sep));
	memcpy(p + old + strlen(sep), add, n + 1);
	*dst = p;
	return 0;
}

/* Drops a trailing paragraph break left by an empty last line. */
static void
text_trim(char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int
lang_index(const char *w)
{
	if (strcmp(w, "en") == 0)
		return LESSON_EN;
	if (strcmp(w, "zh") == 0 || strcmp(w, "zh_CN") == 0)
		return LESSON_ZH;
	return -1;
}

/* Valid UTF-8, no NUL, no control characters except tab. */
static int
line_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3;
		else
			return 0;
		for (size_t j = 1; j <= k; j++)
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return 0;
		if (c == 0xe0 && s[i + 1] < 0xa0)
			return 0;
		if (c == 0xed && s[i + 1] >= 0xa0)
			return 0;
		if (c == 0xf0 && s[i + 1] < 0x90)
			return 0;
		if (c == 0xf4 && s[i + 1] >= 0x90)
			return 0;
		i += k + 1;
	}
	return 1;
}

/* ---- accessors ------------------------------------------------------------ */

const char *
lesson_check_kind_name(enum lesson_check_kind k)
{
	static const char *const names[] = {
#define LESSON_CHECK_NAME(id, name) name,
		LESSON_CHECK_KINDS(LESSON_CHECK_NAME)
#undef LESSON_CHECK_NAME
	};

	return (unsigned)k < LESSON_NCHECK_KINDS ? names[k] : "?";
}

const char *lesson_name(const struct lesson *l) { return l->name; }
const char *lesson_file(const struct lesson *l) { return l->fname; }
int lesson_order(const struct lesson *l) { return l->order; }
const char *lesson_capture(const struct lesson *l) { return l->capture; }

const char *
lesson_title(const struct lesson *l, int lang)
{
	return l->title[lang == LESSON_ZH ? LESSON_ZH : LESSON_EN];
}

const char *
lesson_summary(const struct lesson *l, int lang)
{
	return l->summary[lang == LESSON_ZH ? LESSON_ZH : LESSON_EN];
}

size_t lesson_nsteps(const struct lesson *l) { return l->nsteps; }
const struct tt_step *lesson_steps(const struct lesson *l) { return l->steps; }
size_t lesson_nparts(const struct lesson *l) { return l->nparts; }
size_t lesson_nchecks(const struct lesson *l) { return l->nchecks; }

const char *
lesson_endpoint(const struct lesson *l, int host)
{
	return l->ran ? l->endpoint[0][host == TT_SERVER] : "";
}

size_t lesson_nscenes(const struct lesson *l) { return l->capture ? 1 : l->nscs; }

const char *
lesson_scene_endpoint(const struct lesson *l, unsigned scene, int host)
{
	if (!l->ran || scene >= lesson_nscenes(l))
		return "";
	return l->endpoint[scene][host == TT_SERVER];
}

const char *
lesson_stream_endpoint(const struct lesson *l, unsigned stream, int host)
{
	if (!l->ran || stream >= l->nstreams)
		return "";
	return l->sendpoint[stream][host == TT_SERVER];
}

unsigned
lesson_step_scene(const struct lesson *l, size_t i)
{
	return l->ran && i < l->nsteps ? l->step_scene[i] : 0;
}

const struct tt_scenario *
lesson_scene_scenario(const struct lesson *l, unsigned scene)
{
	return l->capture == NULL && scene < l->nscs ? l->scs[scene] : NULL;
}

const struct lesson_part *
lesson_part(const struct lesson *l, size_t i)
{
	return i < l->nparts ? &l->parts[i].pub : NULL;
}

const struct lesson_check *
lesson_check(const struct lesson *l, size_t i)
{
	return i < l->nchecks ? &l->checks[i].pub : NULL;
}

const struct lesson_part *
lesson_part_of_step(const struct lesson *l, size_t i)
{
	if (!l->ran || i >= l->nsteps || l->step_part[i] == NULL)
		return NULL;
	return &l->step_part[i]->pub;
}

const struct lesson_check *
lesson_check_before(const struct lesson *l, size_t i)
{
	if (!l->ran || i >= l->nsteps || l->step_check[i] == NULL)
		return NULL;
	return &l->step_check[i]->pub;
}

/* The bases of segment step st's numbers: a capture's steps carry them in
 * their TCB views; a simulated step counts by its stream (add_streams). */
static void
step_bases(const struct lesson *l, const struct tt_step *st, uint32_t b[2])
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
lesson_relative(const struct lesson *l, const struct tt_step *st, uint32_t *seq, uint32_t *ack)
{
	uint32_t b[2];

	step_bases(l, st, b);
	tt_trace_rel(st, b, seq, ack);
}

const uint32_t *
lesson_step_bases(const struct lesson *l)
{
	return l->step_base;
}

int
lesson_check_correct(const struct lesson_check *c, const char *answer)
{
	char buf[64];
	size_t n;

	while (is_blank(*answer))
		answer++;
	n = strlen(answer);
	while (n > 0 && (is_blank(answer[n - 1]) || answer[n - 1] == '\n'))
		n--;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, answer, n);
	buf[n] = '\0';
	for (char *q = buf; *q != '\0'; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char)(*q - 'a' + 'A');
	if (c->kind == LESSON_CHECK_STATE) {
		int s = tt_state_from_name(buf);

		return s >= 0 && strcmp(tt_state_name((enum tt_state)s), c->answer) == 0;
	}
	if (c->kind == LESSON_CHECK_FLAGS) {
		int f = tt_flags_parse(buf);
		char norm[64];

		return f >= 0 && strcmp(tt_flags_format((unsigned)f, norm, sizeof norm), c->answer) == 0;
	}
	return strcmp(buf, c->answer) == 0;
}

/* ---- freeing -------------------------------------------------------------- */

void
lesson_free(struct lesson *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nparts; i++)
		for (int g = 0; g < LESSON_NLANG; g++)
			free(l->parts[i].say[g]);
	for (size_t i = 0; i < l->nchecks; i++) {
		for (int g = 0; g < LESSON_NLANG; g++) {
			free(l->checks[i].ask[g]);
			free(l->checks[i].why[g]);
		}
		for (unsigned k = 0; k < l->checks[i].nauthor; k++)
			free(l->checks[i].author[k]);
	}
	for (int g = 0; g < LESSON_NLANG; g++) {
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

/* ---- parsing ------------------------------------------------------------------ */

struct parser {
	struct lesson *l;
	const char *fname;
	char *err;
	size_t errlen;
	unsigned line;
	char *say[LESSON_NLANG];      /* narration waiting for its action */
	unsigned say_line;
	enum lesson_view view;        /* a `view` waiting for its action */
	unsigned view_line;
	int check;                    /* checkpoint waiting for its action, or -1 */
	int actions;                  /* an action has been seen */
	uint64_t last_frame;
};

static int
perr(struct parser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fail(p->err, p->errlen, p->fname, line, "%s", msg);
}

static int
oom(struct parser *p)
{
	return perr(p, p->line, "out of memory");
}

/* Splits off the next word of *s (blanks separate); returns it or NULL. */
static char *
next_word(char **s)
{
	char *w = *s, *e;

	while (is_blank(*w))
		w++;
	if (*w == '\0')
		return NULL;
	e = w;
	while (*e != '\0' && !is_blank(*e))
		e++;
	if (*e != '\0')
		*e++ = '\0';
	*s = e;
	return w;
}

/* The rest of the line after one blank run, with trailing blanks removed. */
static char *
rest_text(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Both languages of a text pair, or an error at line. */
static int
need_both(struct parser *p, char *const v[LESSON_NLANG], unsigned line, const char *what)
{
	if (v[LESSON_EN] == NULL)
		return perr(p, line, "%s has no English text (%s en)", what, what);
	if (v[LESSON_ZH] == NULL)
		return perr(p, line, "%s has no Chinese text (%s zh)", what, what);
	return 0;
}

static int
check_complete(struct parser *p)
{
	struct check *c;

	if (p->check < 0)
		return 0;
	c = &p->l->checks[p->check];
	if (c->ask[LESSON_EN] == NULL && c->ask[LESSON_ZH] == NULL)
		return perr(p, c->pub.line, "checkpoint has no question (ask en, ask zh)");
	if (need_both(p, c->ask, c->ask_line, "ask") < 0)
		return -1;
	if (c->why[LESSON_EN] == NULL && c->why[LESSON_ZH] == NULL)
		return perr(p, c->pub.line, "checkpoint has no reason (why en, why zh)");
	if (need_both(p, c->why, c->why_line, "why") < 0)
		return -1;
	if (c->nauthor > 0 && c->pub.kind != LESSON_CHECK_STATE && c->pub.kind != LESSON_CHECK_FLAGS)
		return perr(p, c->choices_line, "choices are only for state and flags checkpoints");
	return 0;
}

/* An action (scenario action or `frames` line) takes the waiting narration
 * and checkpoint. */
static int
new_part(struct parser *p, struct part **out)
{
	struct lesson *l = p->l;
	struct part *pt;

	if (p->say[LESSON_EN] != NULL || p->say[LESSON_ZH] != NULL)
		if (need_both(p, p->say, p->say_line, "say") < 0)
			return -1;
	if (check_complete(p) < 0)
		return -1;
	if (l->nparts == l->capparts) {
		size_t cap = l->capparts ? l->capparts * 2 : 16;
		struct part *np = realloc(l->parts, cap * sizeof *np);

		if (np == NULL)
			return oom(p);
		l->parts = np;
		l->capparts = cap;
	}
	pt = &l->parts[l->nparts];
	memset(pt, 0, sizeof *pt);
	pt->pub.line = p->line;
	pt->pub.check = p->check;
	for (int g = 0; g < LESSON_NLANG; g++) {
		text_trim(p->say[g]);
		pt->say[g] = p->say[g];
		pt->pub.say[g] = p->say[g];
		p->say[g] = NULL;
	}
	pt->pub.view = p->view;
	p->view = LESSON_VIEW_KEEP;
	if (p->check >= 0)
		l->checks[p->check].part = l->nparts;
	p->check = -1;
	p->actions = 1;
	l->nparts++;
	*out = pt;
	return 0;
}

/* A part that takes nothing waiting (a fault armed on the wire). */
static int
bare_part(struct parser *p, struct part **out)
{
	struct lesson *l = p->l;
	struct part *pt;

	if (l->nparts == l->capparts) {
		size_t cap = l->capparts ? l->capparts * 2 : 16;
		struct part *np = realloc(l->parts, cap * sizeof *np);

		if (np == NULL)
			return oom(p);
		l->parts = np;
		l->capparts = cap;
	}
	pt = &l->parts[l->nparts++];
	memset(pt, 0, sizeof *pt);
	pt->pub.line = p->line;
	pt->pub.check = -1;
	p->actions = 1;
	*out = pt;
	return 0;
}

static int
new_check(struct parser *p, char *args)
{
	struct lesson *l = p->l;
	struct check *c;
	char *kind = next_word(&args), *host = next_word(&args);
	int k = -1, h = -1;

	if (p->check >= 0)
		return perr(p, p->line, "only one checkpoint per action (the one on line %u has no action yet)",
		            l->checks[p->check].pub.line);
	if (kind == NULL)
		return perr(p, p->line, "check needs a kind: state HOST, flags, seq, ack or len");
	for (int i = 0; i < LESSON_NCHECK_KINDS; i++)
		if (strcmp(kind, lesson_check_kind_name((enum lesson_check_kind)i)) == 0)
			k = i;
	if (k < 0)
		return perr(p, p->line, "unknown checkpoint '%s' (state HOST, flags, seq, ack or len)", kind);
	if (k == LESSON_CHECK_STATE) {
		if (host == NULL)
			return perr(p, p->line, "check state needs a host: client or server");
		if (strcmp(host, "client") == 0)
			h = TT_CLIENT;
		else if (strcmp(host, "server") == 0)
			h = TT_SERVER;
		else
			return perr(p, p->line, "unknown host '%s' (client or server)", host);
	} else if (host != NULL) {
		return perr(p, p->line, "check %s takes no argument", kind);
	}
	if (next_word(&args) != NULL)
		return perr(p, p->line, "too many words after check");
	if (l->nchecks == l->capchecks) {
		size_t cap = l->capchecks ? l->capchecks * 2 : 8;
		struct check *nc = realloc(l->checks, cap * sizeof *nc);

		if (nc == NULL)
			return oom(p);
		l->checks = nc;
		l->capchecks = cap;
	}
	c = &l->checks[l->nchecks];
	memset(c, 0, sizeof *c);
	c->pub.line = p->line;
	c->pub.kind = (enum lesson_check_kind)k;
	c->pub.host = h;
	p->check = (int)l->nchecks++;
	return 0;
}

static int
set_choices(struct parser *p, char *args)
{
	struct check *c;
	char *s = args;

	if (p->check < 0)
		return perr(p, p->line, "choices without a checkpoint (check ...) before it");
	c = &p->l->checks[p->check];
	if (c->nauthor > 0)
		return perr(p, p->line, "choices given twice");
	c->choices_line = p->line;
	for (;;) {
		char *bar = strchr(s, '|'), *w;
		char norm[64];

		if (bar != NULL)
			*bar = '\0';
		w = rest_text(s);
		if (*w == '\0')
			return perr(p, p->line, "empty choice");
		if (c->nauthor == LESSON_MAX_CHOICES)
			return perr(p, p->line, "at most %d choices", LESSON_MAX_CHOICES);
		if (c->pub.kind == LESSON_CHECK_STATE) {
			int st = tt_state_from_name(w);

			if (st < 0)
				return perr(p, p->line, "'%s' is not an RFC 9293 state", w);
			snprintf(norm, sizeof norm, "%s", tt_state_name((enum tt_state)st));
		} else if (c->pub.kind == LESSON_CHECK_FLAGS) {
			int f = tt_flags_parse(w);

			if (f < 0)
				return perr(p, p->line, "'%s' is not a set of TCP flags", w);
			tt_flags_format((unsigned)f, norm, sizeof norm);
		} else {
			return perr(p, p->line, "choices are only for state and flags checkpoints");
		}
		for (unsigned i = 0; i < c->nauthor; i++)
			if (strcmp(c->author[i], norm) == 0)
				return perr(p, p->line, "choice '%s' given twice", norm);
		if ((c->author[c->nauthor] = xstrdup(norm)) == NULL)
			return oom(p);
		c->nauthor++;
		if (bar == NULL)
			break;
		s = bar + 1;
	}
	if (c->nauthor < 2)
		return perr(p, p->line, "choices need at least two entries separated by '|'");
	return 0;
}

/* `say`, `title`, `summary`, `ask`, `why`: KEYWORD LANG TEXT. */
static int
lang_text(struct parser *p, const char *kw, char *args)
{
	struct lesson *l = p->l;
	char *lw = next_word(&args), *text;
	int g;
	char **slot;

	if (lw == NULL || (g = lang_index(lw)) < 0)
		return perr(p, p->line, "%s needs a language first: '%s en TEXT' or '%s zh TEXT'", kw, kw, kw);
	text = rest_text(args);
	if (strcmp(kw, "say") == 0) {
		if (p->say[LESSON_EN] == NULL && p->say[LESSON_ZH] == NULL)
			p->say_line = p->line;
		slot = &p->say[g];
	} else if (strcmp(kw, "summary") == 0) {
		if (l->summary_line == 0)
			l->summary_line = p->line;
		slot = &l->summary[g];
	} else if (strcmp(kw, "title") == 0) {
		if (p->actions)
			return perr(p, p->line, "title belongs before the first action");
		if (l->title[g] != NULL)
			return perr(p, p->line, "title %s given twice", lw);
		if (*text == '\0')
			return perr(p, p->line, "empty title");
		if (l->title_line == 0)
			l->title_line = p->line;
		slot = &l->title[g];
	} else {
		struct check *c;

		if (p->check < 0)
			return perr(p, p->line, "%s without a checkpoint (check ...) before it", kw);
		c = &l->checks[p->check];
		if (strcmp(kw, "ask") == 0) {
			if (c->ask_line == 0)
				c->ask_line = p->line;
			slot = &c->ask[g];
		} else {
			if (c->why_line == 0)
				c->why_line = p->line;
			slot = &c->why[g];
		}
	}
	if (*text == '\0' && *slot == NULL && strcmp(kw, "say") != 0 && strcmp(kw, "summary") != 0)
		return perr(p, p->line, "empty %s text", kw);
	if (text_append(slot, text) < 0)
		return oom(p);
	if (*slot == NULL && (*slot = xstrdup("")) == NULL)
		return oom(p);
	return 0;
}

static int
parse_frames(struct parser *p, const char *kw, char *args)
{
	struct lesson *l = p->l;
	char *w = next_word(&args), *end;
	unsigned long long lo, hi;
	struct part *pt;

	if (l->capture == NULL)
		return perr(p, p->line, "%s belongs to a capture lesson (capture FILE first)", kw);
	if (w == NULL)
		return perr(p, p->line, "%s needs a frame number or a range A-B", kw);
	errno = 0;
	lo = strtoull(w, &end, 10);
	hi = lo;
	if (*end == '-') {
		char *e2;

		hi = strtoull(end + 1, &e2, 10);
		end = e2;
	}
	if (errno != 0 || *end != '\0' || w[0] < '0' || w[0] > '9' || lo == 0 || hi < lo)
		return perr(p, p->line, "'%s' is not a frame number or a range A-B", w);
	if (next_word(&args) != NULL)
		return perr(p, p->line, "too many words after %s", kw);
	if (lo <= p->last_frame)
		return perr(p, p->line, "frames must move forward (frame %llu was already shown)",
		            (unsigned long long)p->last_frame);
	if (new_part(p, &pt) < 0)
		return -1;
	pt->flo = lo;
	pt->fhi = hi;
	p->last_frame = hi;
	return 0;
}

static int
parse_line(struct parser *p, char *line)
{
	struct lesson *l = p->l;
	char *args = line, *kw = next_word(&args);
	char serr[256];
	struct tt_scenario *sc;
	enum tt_action_kind kind;
	size_t before;
	int r;

	if (kw == NULL || kw[0] == '#')
		return 0;
	if (l->name == NULL && strcmp(kw, "lesson") != 0)
		return perr(p, p->line, "a lesson starts with 'lesson NAME'");
	if (strcmp(kw, "lesson") == 0) {
		char *name = next_word(&args);

		if (l->name != NULL)
			return perr(p, p->line, "'lesson' given twice");
		if (name == NULL)
			return perr(p, p->line, "lesson needs a name");
		if (next_word(&args) != NULL)
			return perr(p, p->line, "too many words after lesson");
		for (const char *c = name; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
				return perr(p, p->line, "lesson name '%s': use a-z, 0-9 and '-'", name);
		if ((l->name = xstrdup(name)) == NULL)
			return oom(p);
		return 0;
	}
	if (strcmp(kw, "order") == 0) {
		char *w = next_word(&args), *end;
		long v;

		if (w == NULL)
			return perr(p, p->line, "order needs a number");
		errno = 0;
		v = strtol(w, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > 1000000 || next_word(&args) != NULL)
			return perr(p, p->line, "'%s' is not an order number (0-1000000)", w);
		l->order = (int)v;
		return 0;
	}
	if (strcmp(kw, "title") == 0 || strcmp(kw, "say") == 0 || strcmp(kw, "summary") == 0 ||
	    strcmp(kw, "ask") == 0 || strcmp(kw, "why") == 0)
		return lang_text(p, kw, args);
	if (strcmp(kw, "view") == 0) {
		/* view ladder|windows|cwnd|sequence: the panel for the next action */
		static const char *const names[] = { "", "ladder", "windows", "cwnd", "sequence" };
		char *w = next_word(&args);
		int k;

		if (p->view != LESSON_VIEW_KEEP)
			return perr(p, p->line, "two views before one action");
		for (k = 1; k < 5 && w != NULL && strcmp(w, names[k]) != 0; k++)
			;
		if (w == NULL || k == 5 || next_word(&args) != NULL)
			return perr(p, p->line, "use: view ladder|windows|cwnd|sequence");
		p->view = (enum lesson_view)k;
		p->view_line = p->line;
		return 0;
	}
	if (strcmp(kw, "check") == 0)
		return new_check(p, args);
	if (strcmp(kw, "choices") == 0)
		return set_choices(p, args);
	if (strcmp(kw, "capture") == 0) {
		char *w = next_word(&args);

		if (l->capture != NULL)
			return perr(p, p->line, "capture given twice");
		if (p->actions)
			return perr(p, p->line, "scenario actions cannot be mixed with a capture");
		if (w == NULL || next_word(&args) != NULL)
			return perr(p, p->line, "capture needs one file name");
		if ((l->capture = xstrdup(w)) == NULL)
			return oom(p);
		l->capture_line = p->line;
		return 0;
	}
	if (strcmp(kw, "stream") == 0) {
		char *w = next_word(&args), *end;
		unsigned long v;

		if (l->capture == NULL)
			return perr(p, p->line, "stream belongs to a capture lesson (capture FILE first)");
		if (w == NULL)
			return perr(p, p->line, "stream needs a number");
		errno = 0;
		v = strtoul(w, &end, 10);
		if (errno != 0 || *end != '\0' || w[0] < '0' || w[0] > '9' || v > 1000000 ||
		    next_word(&args) != NULL)
			return perr(p, p->line, "'%s' is not a stream number", w);
		l->stream = (unsigned)v;
		return 0;
	}
	if (strcmp(kw, "frames") == 0 || strcmp(kw, "frame") == 0)
		return parse_frames(p, kw, args);
	if (strcmp(kw, "scene") == 0) {
		struct tt_scenario **ns;

		if (next_word(&args) != NULL)
			return perr(p, p->line, "scene takes no argument");
		if (l->capture != NULL)
			return perr(p, p->line, "scene belongs to scenario lessons, not to a capture");
		if (tt_scenario_nactions(l->scs[l->nscs - 1]) == 0)
			return perr(p, p->line, "the scene before this one has no action");
		if ((ns = realloc(l->scs, (l->nscs + 1) * sizeof *ns)) == NULL)
			return oom(p);
		l->scs = ns;
		if ((l->scs[l->nscs] = tt_scenario_new()) == NULL)
			return oom(p);
		l->nscs++;
		return 0;
	}

	/* Everything else is the scenario reader's. The keyword was cut off
	 * by next_word(); put the blank back for it. */
	if (args != kw + strlen(kw))
		kw[strlen(kw)] = ' ';
	sc = l->scs[l->nscs - 1];
	before = tt_scenario_nactions(sc);
	serr[0] = '\0';
	r = tt_scenario_line(sc, line, serr, sizeof serr);
	if (r < 0)
		return perr(p, p->line, "%s", serr[0] ? serr : "bad scenario line");
	if (r == 0) {
		char *w = line;

		w = next_word(&w);
		return perr(p, p->line, "unknown keyword '%s'", w ? w : "");
	}
	if (tt_scenario_nactions(sc) > before) {
		struct part *pt;

		if (l->capture != NULL)
			return perr(p, p->line, "scenario actions cannot be mixed with a capture");
		if (tt_scenario_nactions(sc) != before + 1)
			return perr(p, p->line, "one line made several actions");
		kind = tt_scenario_action(sc, before)->kind;
		if (kind == TT_A_DROP || kind == TT_A_DUPLICATE || kind == TT_A_DELAY) {
			/* Arming a fault makes no step: the narration and checkpoint
			 * waiting here belong to the action that sends the segment. */
			if (bare_part(p, &pt) < 0)
				return -1;
			pt->carry = 1;
		} else if (new_part(p, &pt) < 0) {
			return -1;
		}
		pt->scene = (unsigned)(l->nscs - 1);
	}
	return 0;
}

struct lesson *
lesson_parse(const char *buf, size_t len, const char *fname, char *err, size_t errlen)
{
	struct parser p;
	struct lesson *l = calloc(1, sizeof *l);
	char *line = NULL;
	size_t cap = 0, at = 0;
	int rc = 0;

	if (l == NULL || (l->fname = xstrdup(fname)) == NULL ||
	    (l->scs = calloc(1, sizeof *l->scs)) == NULL || (l->scs[0] = tt_scenario_new()) == NULL) {
		fail(err, errlen, fname, 0, "out of memory");
		lesson_free(l);
		return NULL;
	}
	l->nscs = 1;
	l->order = 1000;
	memset(&p, 0, sizeof p);
	p.l = l;
	p.fname = fname;
	p.err = err;
	p.errlen = errlen;
	p.check = -1;
	while (at < len && rc == 0) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;

		p.line++;
		if (n + 1 > cap) {
			char *nlb = realloc(line, n + 1);

			if (nlb == NULL) {
				rc = oom(&p);
				break;
			}
			line = nlb;
			cap = n + 1;
		}
		memcpy(line, buf + at, n);
		line[n] = '\0';
		at += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (p.line == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, (n -= 3) + 1);
		if (!line_ok((const unsigned char *)line, n)) {
			rc = perr(&p, p.line, "not UTF-8 text (or a control character)");
			break;
		}
		rc = parse_line(&p, line);
	}
	free(line);
	if (rc == 0) {
		unsigned last = p.line ? p.line : 1;

		if (l->name == NULL)
			rc = perr(&p, 1, "a lesson starts with 'lesson NAME'");
		else if (p.check >= 0)
			rc = perr(&p, l->checks[p.check].pub.line, "checkpoint is not followed by an action");
		else if (p.say[LESSON_EN] != NULL || p.say[LESSON_ZH] != NULL)
			rc = perr(&p, p.say_line, "narration is not followed by an action");
		else if (p.view != LESSON_VIEW_KEEP)
			rc = perr(&p, p.view_line, "view is not followed by an action");
		else if (l->title[LESSON_EN] == NULL && l->title[LESSON_ZH] == NULL)
			rc = perr(&p, last, "the lesson has no title (title en, title zh)");
		else if (need_both(&p, l->title, l->title_line, "title") < 0)
			rc = -1;
		else if (l->summary[LESSON_EN] == NULL && l->summary[LESSON_ZH] == NULL)
			rc = perr(&p, last, "the lesson has no summary (summary en, summary zh)");
		else if (need_both(&p, l->summary, l->summary_line, "summary") < 0)
			rc = -1;
		else if (l->nparts == 0)
			rc = perr(&p, last, "the lesson has no action");
	}
	for (int g = 0; g < LESSON_NLANG; g++)
		free(p.say[g]);
	if (rc != 0) {
		lesson_free(l);
		return NULL;
	}
	for (int g = 0; g < LESSON_NLANG; g++)
		text_trim(l->summary[g]);
	for (size_t i = 0; i < l->nchecks; i++)
		for (int g = 0; g < LESSON_NLANG; g++) {
			text_trim(l->checks[i].ask[g]);
			text_trim(l->checks[i].why[g]);
			l->checks[i].pub.ask[g] = l->checks[i].ask[g];
			l->checks[i].pub.why[g] = l->checks[i].why[g];
		}
	return l;
}

struct lesson *
lesson_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct lesson *l;

	if (f == NULL) {
		fail(err, errlen, path, 0, "%s", strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t n;

		if (len + 4096 > cap) {
			char *nb;

			if (cap > (size_t)16 << 20) {
				fclose(f);
				free(buf);
				fail(err, errlen, path, 0, "file too large for a lesson");
				return NULL;
			}
			cap = cap ? cap * 2 : 16384;
			if ((nb = realloc(buf, cap)) == NULL) {
				fclose(f);
				free(buf);
				fail(err, errlen, path, 0, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fail(err, errlen, path, 0, "%s", strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	l = lesson_parse(buf ? buf : "", len, path, err, errlen);
	free(buf);
	return l;
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
make_choices(struct lesson *l, struct check *c, char *err, size_t errlen)
{
	struct lesson_check *pc = &c->pub;

	pc->nchoices = 0;
	if (pc->kind != LESSON_CHECK_STATE && pc->kind != LESSON_CHECK_FLAGS)
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
		return fail(err, errlen, l->fname, c->choices_line,
		            "choices do not include the engine's answer '%s'", pc->answer);
	}
	if (pc->kind == LESSON_CHECK_STATE) {
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
answer_checks(struct lesson *l, char *err, size_t errlen)
{
	for (size_t i = 0; i < l->nchecks; i++) {
		struct check *c = &l->checks[i];
		struct lesson_check *pc = &c->pub;
		const struct part *pt = &l->parts[c->part];
		size_t first = pt->pub.first, end = pt->pub.end, k;

		pc->step = first;
		if (first >= end)
			return fail(err, errlen, l->fname, pc->line,
			            "check %s: the action on line %u produces no step",
			            lesson_check_kind_name(pc->kind), pt->pub.line);
		if (pc->kind == LESSON_CHECK_STATE) {
			pc->answer_step = end - 1;
			snprintf(pc->answer, sizeof pc->answer, "%s",
			         tt_state_name(l->steps[end - 1].tcb[pc->host].state));
		} else {
			const struct tt_step *st;
			uint32_t seq, ack;

			for (k = first; k < end && l->steps[k].kind != TT_STEP_SEGMENT; k++)
				;
			if (k == end)
				return fail(err, errlen, l->fname, pc->line,
				            "check %s: the action on line %u produces no segment",
				            lesson_check_kind_name(pc->kind), pt->pub.line);
			st = &l->steps[k];
			pc->answer_step = k;
			pc->host = st->dir;
			lesson_relative(l, st, &seq, &ack);
			switch (pc->kind) {
			case LESSON_CHECK_FLAGS:
				tt_flags_format(st->seg.flags, pc->answer, sizeof pc->answer);
				break;
			case LESSON_CHECK_SEQ:
				snprintf(pc->answer, sizeof pc->answer, "%" PRIu32, seq);
				break;
			case LESSON_CHECK_ACK:
				if (!(st->seg.flags & TT_ACK))
					return fail(err, errlen, l->fname, pc->line,
					            "check ack: the segment of line %u has no ACK flag",
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
			return fail(err, errlen, l->fname, pc->line,
			            "two checkpoints before the same step");
		l->step_check[first] = c;
	}
	return 0;
}

/* Runs one scene and appends its steps; parts[*pi..] are its actions. */
static int add_streams(struct lesson *l, const struct tt_sim *sim, size_t first);

static int
run_scene(struct lesson *l, unsigned scene, size_t *pi, char *err, size_t errlen)
{
	const struct tt_scenario *sc = l->scs[scene];
	size_t na = tt_scenario_nactions(sc), *fs, base = l->nsteps, n;
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
		return fail(err, errlen, l->fname, 0, "internal error: more actions than parts");
	if ((fs = calloc(na + 1, sizeof *fs)) == NULL)
		return fail(err, errlen, l->fname, 0, "out of memory");
	serr[0] = '\0';
	sim = tt_scenario_run(sc, fs, serr, sizeof serr);
	if (sim == NULL) {
		unsigned long k = 0;
		unsigned line = 0;
		const char *msg = serr;

		/* "action N: message", N counted from 1 */
		if (sscanf(serr, "action %lu", &k) == 1 && strchr(serr, ':') != NULL) {
			if (k >= 1 && k <= na)
				line = l->parts[*pi + k - 1].pub.line;
			msg = strchr(serr, ':') + 1;
			while (*msg == ' ')
				msg++;
		}
		free(fs);
		return fail(err, errlen, l->fname, line, "%s", *msg ? msg : "the scenario failed");
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
		return fail(err, errlen, l->fname, 0, "out of memory");
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
		return fail(err, errlen, l->fname, 0, "out of memory");
	}
	free(fs);
	tt_sim_free(sim);
	return 0;
}

/* The streams of one scene's run, from lesson stream `first` on: their
 * addresses and relative bases. */
static int
add_streams(struct lesson *l, const struct tt_sim *sim, size_t first)
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
run_scenario(struct lesson *l, char *err, size_t errlen)
{
	size_t pi = 0;

	l->endpoint = calloc(l->nscs, sizeof *l->endpoint);
	l->iss = calloc(l->nscs, sizeof *l->iss);
	if (l->endpoint == NULL || l->iss == NULL)
		return fail(err, errlen, l->fname, 0, "out of memory");
	for (unsigned sc = 0; sc < l->nscs; sc++)
		if (run_scene(l, sc, &pi, err, errlen) < 0)
			return -1;
	if (pi != l->nparts)
		return fail(err, errlen, l->fname, 0, "internal error: %zu actions, %zu parts", pi,
		            l->nparts);
	return 0;
}

static int
run_capture(struct lesson *l, const char *datadir, char *err, size_t errlen)
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
		return fail(err, errlen, l->fname, l->capture_line, "%s: %s", l->capture, cerr);
	if (l->stream >= cap_story_nstreams(cs)) {
		cap_story_free(cs);
		return fail(err, errlen, l->fname, l->capture_line, "%s has no stream %u", l->capture,
		            l->stream);
	}
	if (cap_story_select(cs, l->stream, cerr, sizeof cerr) < 0) {
		cap_story_free(cs);
		return fail(err, errlen, l->fname, l->capture_line, "%s: %s", l->capture, cerr);
	}
	info = cap_story_stream(cs, l->stream);
	l->endpoint = calloc(1, sizeof *l->endpoint);
	l->iss = calloc(1, sizeof *l->iss);
	if (l->endpoint == NULL || l->iss == NULL) {
		cap_story_free(cs);
		return fail(err, errlen, l->fname, 0, "out of memory");
	}
	snprintf(l->endpoint[0][0], sizeof l->endpoint[0][0], "%s", info->endpoint[0]);
	snprintf(l->endpoint[0][1], sizeof l->endpoint[0][1], "%s", info->endpoint[1]);
	n = cap_story_nsteps(cs);
	st = cap_story_steps(cs);
	l->steps = calloc(n ? n : 1, sizeof *l->steps);
	l->step_scene = calloc(n ? n : 1, sizeof *l->step_scene);
	if (l->steps == NULL || l->step_scene == NULL) {
		cap_story_free(cs);
		return fail(err, errlen, l->fname, 0, "out of memory");
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
			return fail(err, errlen, l->fname, pt->pub.line,
			            "stream %u of %s has no frame in %" PRIu64 "-%" PRIu64, l->stream,
			            l->capture, pt->flo, pt->fhi);
	}
	return 0;
}

int
lesson_run(struct lesson *l, const char *datadir, char *err, size_t errlen)
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
		return fail(err, errlen, l->fname, 0, "out of memory");
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
