/* tutor/lesson_parse.c: the lesson format of doc/lesson-format.md.
 *
 * Parsing is one pass over a buffer: lines the lesson format owns (lesson,
 * title, say, check, ...) are handled here, every other line goes to the
 * scenario reader. Narration and checkpoints collect until the next action
 * and are attached to it. Every error is "FILE:LINE: message"; nothing here
 * prints.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "tutor/lesson.h"
#include "tutor/lesson_impl.h"

#define TT_LESSON_MAX_BYTES ((size_t)16 << 20)

/* ---- small helpers ------------------------------------------------------- */

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
		return TT_EN;
	if (strcmp(w, "zh") == 0 || strcmp(w, "zh_CN") == 0)
		return TT_ZH;
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

/* ---- parsing ------------------------------------------------------------------ */

struct parser {
	struct tt_lesson *l;
	const char *fname;
	char *err;
	size_t errlen;
	unsigned line;
	char *say[TT_NLANG];      /* narration waiting for its action */
	unsigned say_line;
	enum tt_lesson_view view;        /* a `view` waiting for its action */
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
	return tt_lesson_fail(p->err, p->errlen, p->fname, line, "%s", msg);
}

static int
oom(struct parser *p)
{
	return perr(p, p->line, _("out of memory"));
}

/* Splits off the next word of *s (blanks separate); returns it or NULL. */
static char *
next_word(char **s)
{
	char *w = *s, *e;

	while (tt_lesson_is_blank(*w))
		w++;
	if (*w == '\0')
		return NULL;
	e = w;
	while (*e != '\0' && !tt_lesson_is_blank(*e))
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

	while (tt_lesson_is_blank(*s))
		s++;
	n = strlen(s);
	while (n > 0 && tt_lesson_is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Both languages of a text pair, or an error at line. */
static int
need_both(struct parser *p, char *const v[TT_NLANG], unsigned line, const char *what)
{
	if (v[TT_EN] == NULL)
		return perr(p, line, _("%s has no English text (%s en)"), what, what);
	if (v[TT_ZH] == NULL)
		return perr(p, line, _("%s has no Chinese text (%s zh)"), what, what);
	return 0;
}

static int
check_complete(struct parser *p)
{
	struct check *c;

	if (p->check < 0)
		return 0;
	c = &p->l->checks[p->check];
	if (c->ask[TT_EN] == NULL && c->ask[TT_ZH] == NULL)
		return perr(p, c->pub.line, _("checkpoint has no question (ask en, ask zh)"));
	if (need_both(p, c->ask, c->ask_line, "ask") < 0)
		return -1;
	if (c->why[TT_EN] == NULL && c->why[TT_ZH] == NULL)
		return perr(p, c->pub.line, _("checkpoint has no reason (why en, why zh)"));
	if (need_both(p, c->why, c->why_line, "why") < 0)
		return -1;
	if (c->nauthor > 0 && c->pub.kind != TT_LESSON_CHECK_STATE && c->pub.kind != TT_LESSON_CHECK_FLAGS)
		return perr(p, c->choices_line, _("choices are only for state and flags checkpoints"));
	return 0;
}

/* An action (scenario action or `frames` line) takes the waiting narration
 * and checkpoint. */
static int
new_part(struct parser *p, struct part **out)
{
	struct tt_lesson *l = p->l;
	struct part *pt;

	if (p->say[TT_EN] != NULL || p->say[TT_ZH] != NULL)
		if (need_both(p, p->say, p->say_line, "say") < 0)
			return -1;
	if (check_complete(p) < 0)
		return -1;
	if (TT_GROW(l->parts, l->nparts, l->capparts, 16) < 0)
		return oom(p);
	pt = &l->parts[l->nparts];
	memset(pt, 0, sizeof *pt);
	pt->pub.line = p->line;
	pt->pub.check = p->check;
	for (int g = 0; g < TT_NLANG; g++) {
		text_trim(p->say[g]);
		pt->say[g] = p->say[g];
		pt->pub.say[g] = p->say[g];
		p->say[g] = NULL;
	}
	pt->pub.view = p->view;
	p->view = TT_LESSON_VIEW_KEEP;
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
	struct tt_lesson *l = p->l;
	struct part *pt;

	if (TT_GROW(l->parts, l->nparts, l->capparts, 16) < 0)
		return oom(p);
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
	struct tt_lesson *l = p->l;
	struct check *c;
	char *kind = next_word(&args), *host = next_word(&args);
	int k = -1, h = -1;

	if (p->check >= 0)
		return perr(p, p->line,
		            _("only one checkpoint per action (the one on line %u has no action yet)"),
		            l->checks[p->check].pub.line);
	if (kind == NULL)
		return perr(p, p->line, _("check needs a kind: state HOST, flags, seq, ack or len"));
	for (int i = 0; i < TT_LESSON_NCHECK_KINDS; i++)
		if (strcmp(kind, tt_lesson_check_kind_name((enum tt_lesson_check_kind)i)) == 0)
			k = i;
	if (k < 0)
		return perr(p, p->line,
		            _("unknown checkpoint '%s' (state HOST, flags, seq, ack or len)"), kind);
	if (k == TT_LESSON_CHECK_STATE) {
		if (host == NULL)
			return perr(p, p->line, _("check state needs a host: client or server"));
		if (strcmp(host, "client") == 0)
			h = TT_CLIENT;
		else if (strcmp(host, "server") == 0)
			h = TT_SERVER;
		else
			return perr(p, p->line, _("unknown host '%s' (client or server)"), host);
	} else if (host != NULL) {
		return perr(p, p->line, _("check %s takes no argument"), kind);
	}
	if (next_word(&args) != NULL)
		return perr(p, p->line, _("too many words after check"));
	if (TT_GROW(l->checks, l->nchecks, l->capchecks, 8) < 0)
		return oom(p);
	c = &l->checks[l->nchecks];
	memset(c, 0, sizeof *c);
	c->pub.line = p->line;
	c->pub.kind = (enum tt_lesson_check_kind)k;
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
		return perr(p, p->line, _("choices without a checkpoint (check ...) before it"));
	c = &p->l->checks[p->check];
	if (c->nauthor > 0)
		return perr(p, p->line, _("choices given twice"));
	c->choices_line = p->line;
	for (;;) {
		char *bar = strchr(s, '|'), *w;
		char norm[64];

		if (bar != NULL)
			*bar = '\0';
		w = rest_text(s);
		if (*w == '\0')
			return perr(p, p->line, _("empty choice"));
		if (c->nauthor == TT_LESSON_MAX_CHOICES)
			return perr(p, p->line, _("at most %d choices"), TT_LESSON_MAX_CHOICES);
		if (c->pub.kind == TT_LESSON_CHECK_STATE) {
			int st = tt_state_from_name(w);

			if (st < 0)
				return perr(p, p->line, _("'%s' is not an RFC 9293 state"), w);
			snprintf(norm, sizeof norm, "%s", tt_state_name((enum tt_state)st));
		} else if (c->pub.kind == TT_LESSON_CHECK_FLAGS) {
			int f = tt_flags_parse(w);

			if (f < 0)
				return perr(p, p->line, _("'%s' is not a set of TCP flags"), w);
			tt_flags_format((unsigned)f, norm, sizeof norm);
		} else {
			return perr(p, p->line, _("choices are only for state and flags checkpoints"));
		}
		for (unsigned i = 0; i < c->nauthor; i++)
			if (strcmp(c->author[i], norm) == 0)
				return perr(p, p->line, _("choice '%s' given twice"), norm);
		if ((c->author[c->nauthor] = strdup(norm)) == NULL)
			return oom(p);
		c->nauthor++;
		if (bar == NULL)
			break;
		s = bar + 1;
	}
	if (c->nauthor < 2)
		return perr(p, p->line, _("choices need at least two entries separated by '|'"));
	return 0;
}

/* `say`, `title`, `summary`, `ask`, `why`: KEYWORD LANG TEXT. */
static int
lang_text(struct parser *p, const char *kw, char *args)
{
	struct tt_lesson *l = p->l;
	char *lw = next_word(&args), *text;
	int g;
	char **slot;

	if (lw == NULL || (g = lang_index(lw)) < 0)
		return perr(p, p->line,
		            _("%s needs a language first: '%s en TEXT' or '%s zh TEXT'"), kw, kw, kw);
	text = rest_text(args);
	if (strcmp(kw, "say") == 0) {
		if (p->say[TT_EN] == NULL && p->say[TT_ZH] == NULL)
			p->say_line = p->line;
		slot = &p->say[g];
	} else if (strcmp(kw, "summary") == 0) {
		if (l->summary_line == 0)
			l->summary_line = p->line;
		slot = &l->summary[g];
	} else if (strcmp(kw, "title") == 0) {
		if (p->actions)
			return perr(p, p->line, _("title belongs before the first action"));
		if (l->title[g] != NULL)
			return perr(p, p->line, _("title %s given twice"), lw);
		if (*text == '\0')
			return perr(p, p->line, _("empty title"));
		if (l->title_line == 0)
			l->title_line = p->line;
		slot = &l->title[g];
	} else {
		struct check *c;

		if (p->check < 0)
			return perr(p, p->line, _("%s without a checkpoint (check ...) before it"), kw);
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
		return perr(p, p->line, _("empty %s text"), kw);
	if (text_append(slot, text) < 0)
		return oom(p);
	if (*slot == NULL && (*slot = strdup("")) == NULL)
		return oom(p);
	return 0;
}

static int
parse_frames(struct parser *p, const char *kw, char *args)
{
	struct tt_lesson *l = p->l;
	char *w = next_word(&args), *end;
	unsigned long long lo, hi;
	struct part *pt;

	if (l->capture == NULL)
		return perr(p, p->line, _("%s belongs to a capture lesson (capture FILE first)"), kw);
	if (w == NULL)
		return perr(p, p->line, _("%s needs a frame number or a range A-B"), kw);
	errno = 0;
	lo = strtoull(w, &end, 10);
	hi = lo;
	if (*end == '-') {
		char *e2;

		hi = strtoull(end + 1, &e2, 10);
		end = e2;
	}
	if (errno != 0 || *end != '\0' || w[0] < '0' || w[0] > '9' || lo == 0 || hi < lo)
		return perr(p, p->line, _("'%s' is not a frame number or a range A-B"), w);
	if (next_word(&args) != NULL)
		return perr(p, p->line, _("too many words after %s"), kw);
	if (lo <= p->last_frame)
		return perr(p, p->line, _("frames must move forward (frame %llu was already shown)"),
		            (unsigned long long)p->last_frame);
	if (new_part(p, &pt) < 0)
		return -1;
	pt->flo = lo;
	pt->fhi = hi;
	p->last_frame = hi;
	return 0;
}

/* view ladder|windows|cwnd|sequence: the panel for the next action */
static int
parse_view(struct parser *p, char *args)
{
	static const char *const names[] = { "", "ladder", "windows", "cwnd", "sequence" };
	char *w = next_word(&args);
	int k;

	if (p->view != TT_LESSON_VIEW_KEEP)
		return perr(p, p->line, _("two views before one action"));
	for (k = 1; k < 5 && w != NULL && strcmp(w, names[k]) != 0; k++)
		;
	if (w == NULL || k == 5 || next_word(&args) != NULL)
		return perr(p, p->line, _("use: view ladder|windows|cwnd|sequence"));
	p->view = (enum tt_lesson_view)k;
	p->view_line = p->line;
	return 0;
}

/* Everything else is the scenario reader's: an action becomes a part that
 * the narration, view and checkpoint waiting for it are attached to. */
static int
scenario_line(struct parser *p, char *line, char *kw, char *args)
{
	struct tt_lesson *l = p->l;
	char serr[256];
	struct tt_scenario *sc;
	enum tt_action_kind kind;
	size_t before;
	int r;

	/* The keyword was cut off by next_word(); put the blank back for it. */
	if (args != kw + strlen(kw))
		kw[strlen(kw)] = ' ';
	sc = l->scs[l->nscs - 1];
	before = tt_scenario_nactions(sc);
	serr[0] = '\0';
	r = tt_scenario_line(sc, line, serr, sizeof serr);
	if (r < 0)
		return perr(p, p->line, "%s", serr[0] ? serr : _("bad scenario line"));
	if (r == 0) {
		char *w = line;

		w = next_word(&w);
		return perr(p, p->line, _("unknown keyword '%s'"), w ? w : "");
	}
	if (tt_scenario_nactions(sc) > before) {
		struct part *pt;

		if (l->capture != NULL)
			return perr(p, p->line, _("scenario actions cannot be mixed with a capture"));
		if (tt_scenario_nactions(sc) != before + 1)
			return perr(p, p->line, _("one line made several actions"));
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

static int
parse_line(struct parser *p, char *line)
{
	struct tt_lesson *l = p->l;
	char *args = line, *kw = next_word(&args);

	if (kw == NULL || kw[0] == '#')
		return 0;
	if (l->name == NULL && strcmp(kw, "lesson") != 0)
		return perr(p, p->line, _("a lesson starts with 'lesson NAME'"));
	if (strcmp(kw, "lesson") == 0) {
		char *name = next_word(&args);

		if (l->name != NULL)
			return perr(p, p->line, _("'lesson' given twice"));
		if (name == NULL)
			return perr(p, p->line, _("lesson needs a name"));
		if (next_word(&args) != NULL)
			return perr(p, p->line, _("too many words after lesson"));
		for (const char *c = name; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
				return perr(p, p->line,
				            _("lesson name '%s': use a-z, 0-9 and '-'"), name);
		if ((l->name = strdup(name)) == NULL)
			return oom(p);
		return 0;
	}
	if (strcmp(kw, "order") == 0) {
		char *w = next_word(&args), *end;
		long v;

		if (w == NULL)
			return perr(p, p->line, _("order needs a number"));
		errno = 0;
		v = strtol(w, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 || v > 1000000 || next_word(&args) != NULL)
			return perr(p, p->line, _("'%s' is not an order number (0-1000000)"), w);
		l->order = (int)v;
		return 0;
	}
	if (strcmp(kw, "title") == 0 || strcmp(kw, "say") == 0 || strcmp(kw, "summary") == 0 ||
	    strcmp(kw, "ask") == 0 || strcmp(kw, "why") == 0)
		return lang_text(p, kw, args);
	if (strcmp(kw, "view") == 0)
		return parse_view(p, args);
	if (strcmp(kw, "check") == 0)
		return new_check(p, args);
	if (strcmp(kw, "choices") == 0)
		return set_choices(p, args);
	if (strcmp(kw, "capture") == 0) {
		char *w = next_word(&args);

		if (l->capture != NULL)
			return perr(p, p->line, _("capture given twice"));
		if (p->actions)
			return perr(p, p->line, _("scenario actions cannot be mixed with a capture"));
		if (w == NULL || next_word(&args) != NULL)
			return perr(p, p->line, _("capture needs one file name"));
		if ((l->capture = strdup(w)) == NULL)
			return oom(p);
		l->capture_line = p->line;
		return 0;
	}
	if (strcmp(kw, "stream") == 0) {
		char *w = next_word(&args), *end;
		unsigned long v;

		if (l->capture == NULL)
			return perr(p, p->line,
			            _("stream belongs to a capture lesson (capture FILE first)"));
		if (w == NULL)
			return perr(p, p->line, _("stream needs a number"));
		errno = 0;
		v = strtoul(w, &end, 10);
		if (errno != 0 || *end != '\0' || w[0] < '0' || w[0] > '9' || v > 1000000 ||
		    next_word(&args) != NULL)
			return perr(p, p->line, _("'%s' is not a stream number"), w);
		l->stream = (unsigned)v;
		return 0;
	}
	if (strcmp(kw, "frames") == 0 || strcmp(kw, "frame") == 0)
		return parse_frames(p, kw, args);
	if (strcmp(kw, "scene") == 0) {
		if (next_word(&args) != NULL)
			return perr(p, p->line, _("scene takes no argument"));
		if (l->capture != NULL)
			return perr(p, p->line,
			            _("scene belongs to scenario lessons, not to a capture"));
		if (tt_scenario_nactions(l->scs[l->nscs - 1]) == 0)
			return perr(p, p->line, _("the scene before this one has no action"));
		if (TT_GROW(l->scs, l->nscs, l->capscs, 4) < 0)
			return oom(p);
		if ((l->scs[l->nscs] = tt_scenario_new()) == NULL)
			return oom(p);
		l->nscs++;
		return 0;
	}

	return scenario_line(p, line, kw, args);
}

struct tt_lesson *
tt_lesson_parse(const char *buf, size_t len, const char *fname, char *err, size_t errlen)
{
	struct parser p;
	struct tt_lesson *l = calloc(1, sizeof *l);
	char *line = NULL;
	size_t cap = 0, at = 0;
	int rc = 0;

	if (l == NULL || (l->fname = strdup(fname)) == NULL ||
	    (l->scs = calloc(1, sizeof *l->scs)) == NULL || (l->scs[0] = tt_scenario_new()) == NULL) {
		tt_lesson_fail(err, errlen, fname, 0, _("out of memory"));
		tt_lesson_free(l);
		return NULL;
	}
	l->nscs = l->capscs = 1;
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
		if (tt_grow(&line, &cap, n + 1, 1, 128) < 0) {
			rc = oom(&p);
			break;
		}
		memcpy(line, buf + at, n);
		line[n] = '\0';
		at += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (p.line == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, (n -= 3) + 1);
		if (!line_ok((const unsigned char *)line, n)) {
			rc = perr(&p, p.line, _("not UTF-8 text (or a control character)"));
			break;
		}
		rc = parse_line(&p, line);
	}
	free(line);
	if (rc == 0) {
		unsigned last = p.line ? p.line : 1;

		if (l->name == NULL)
			rc = perr(&p, 1, _("a lesson starts with 'lesson NAME'"));
		else if (p.check >= 0)
			rc = perr(&p, l->checks[p.check].pub.line,
			          _("checkpoint is not followed by an action"));
		else if (p.say[TT_EN] != NULL || p.say[TT_ZH] != NULL)
			rc = perr(&p, p.say_line, _("narration is not followed by an action"));
		else if (p.view != TT_LESSON_VIEW_KEEP)
			rc = perr(&p, p.view_line, _("view is not followed by an action"));
		else if (l->title[TT_EN] == NULL && l->title[TT_ZH] == NULL)
			rc = perr(&p, last, _("the lesson has no title (title en, title zh)"));
		else if (need_both(&p, l->title, l->title_line, "title") < 0)
			rc = -1;
		else if (l->summary[TT_EN] == NULL && l->summary[TT_ZH] == NULL)
			rc = perr(&p, last, _("the lesson has no summary (summary en, summary zh)"));
		else if (need_both(&p, l->summary, l->summary_line, "summary") < 0)
			rc = -1;
		else if (l->nparts == 0)
			rc = perr(&p, last, _("the lesson has no action"));
	}
	for (int g = 0; g < TT_NLANG; g++)
		free(p.say[g]);
	if (rc != 0) {
		tt_lesson_free(l);
		return NULL;
	}
	for (int g = 0; g < TT_NLANG; g++)
		text_trim(l->summary[g]);
	for (size_t i = 0; i < l->nchecks; i++)
		for (int g = 0; g < TT_NLANG; g++) {
			text_trim(l->checks[i].ask[g]);
			text_trim(l->checks[i].why[g]);
			l->checks[i].pub.ask[g] = l->checks[i].ask[g];
			l->checks[i].pub.why[g] = l->checks[i].why[g];
		}
	return l;
}

struct tt_lesson *
tt_lesson_load(const char *path, char *err, size_t errlen)
{
	size_t len = 0;
	char *buf;
	struct tt_lesson *l;

	/* tt_read_file() reads "-" as standard input; here it is a file's name */
	buf = tt_read_file(strcmp(path, "-") == 0 ? "./-" : path, TT_LESSON_MAX_BYTES, &len);
	if (buf == NULL) {
		if (errno == EFBIG)
			tt_lesson_fail(err, errlen, path, 0, _("file too large for a lesson"));
		else if (errno == ENOMEM)
			tt_lesson_fail(err, errlen, path, 0, _("out of memory"));
		else
			tt_lesson_fail(err, errlen, path, 0, "%s", strerror(errno));
		return NULL;
	}
	l = tt_lesson_parse(buf, len, path, err, errlen);
	free(buf);
	return l;
}
