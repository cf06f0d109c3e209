/* ui/pick.c: the small screens every part can use: a list to choose from
 * (with '/' to filter), one line of input, and a message. Each brackets
 * itself with ui_begin()/ui_end(), so it works alone or from the menu.
 *
 * Every item of a list has one number, shown in front of it and typed to
 * choose it: its position from 1, or, when every item starts with a number
 * of its own (a stream index), that number. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base.h"
#include "i18n.h"
#include "ui/term.h"

struct pick {
	const char *title, *help;
	const char *const *items;
	size_t n;
	size_t *shown;          /* indexes of the items that match the filter */
	size_t nshown;
	size_t cur, top;        /* positions in shown[] */
	char filter[128];
	int filtering;          /* typing into the filter */
	int rows;               /* list rows at the last draw */
	int chosen;
	unsigned long *num;     /* each item's number */
	int own;                /* the items carry their numbers themselves */
	int numw;               /* columns of the widest number */
	char typed[16];         /* digits typed so far */
};

/* Case-insensitive substring match (ASCII case; other text as is). */
static int
matches(const char *item, const char *filter)
{
	size_t fl = strlen(filter);

	if (fl == 0)
		return 1;
	for (const char *p = item; *p != '\0'; p++)
		if (strncasecmp(p, filter, fl) == 0)
			return 1;
	return 0;
}

/* The number an item starts with ("12  ..."), or -1. */
static long
own_number(const char *item)
{
	unsigned long v = 0;
	const char *q = item;

	while (*q >= '0' && *q <= '9' && q - item < 9)
		v = v * 10 + (unsigned long)(*q++ - '0');
	return q > item && *q == ' ' ? (long)v : -1;
}

static int
cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Every item has a number of its own and no two the same (sorted, not
 * compared pairwise: a capture's list can have a million streams). */
static int
own_numbers(struct pick *p)
{
	unsigned long *sorted;
	int unique = 1;

	for (size_t i = 0; i < p->n; i++) {
		long v = own_number(p->items[i]);

		if (v < 0)
			return 0;
		p->num[i] = (unsigned long)v;
	}
	if ((sorted = malloc(p->n * sizeof *sorted)) == NULL)
		return 0;       /* numbered by position instead: never wrong */
	memcpy(sorted, p->num, p->n * sizeof *sorted);
	qsort(sorted, p->n, sizeof *sorted, cmp_ulong);
	for (size_t i = 1; i < p->n && unique; i++)
		unique = sorted[i] != sorted[i - 1];
	free(sorted);
	return unique;
}

/* Numbers the items: their own when every one has a different one. */
static void
number_items(struct pick *p)
{
	unsigned long max = 0;

	p->own = own_numbers(p);
	for (size_t i = 0; i < p->n; i++) {
		if (!p->own)
			p->num[i] = i + 1;
		if (p->num[i] > max)
			max = p->num[i];
	}
	for (p->numw = 1; max >= 10; max /= 10)
		p->numw++;
}

/* A digit typed: moves to the item of that number, and chooses it when no
 * other number starts with the digits typed so far. */
static enum ui_next
type_digit(struct pick *p, int key)
{
	size_t len = strlen(p->typed);

	for (int round = 0; round < 2; round++) {
		unsigned long want;
		long at = -1;
		int longer = 0;

		if (len + 1 >= sizeof p->typed)
			len = 0;
		p->typed[len] = (char)key;
		p->typed[len + 1] = '\0';
		want = strtoul(p->typed, NULL, 10);
		for (size_t k = 0; k < p->nshown; k++) {
			char buf[TT_DECIMAL];
			unsigned long v = p->num[p->shown[k]];
			const char *d = tt_fmt_decimal(buf, v);

			if (v == want && strcmp(d, p->typed) == 0)
				at = (long)k;
			else if (strncmp(d, p->typed, len + 1) == 0)
				longer = 1;
		}
		if (at >= 0) {
			p->cur = (size_t)at;
			if (longer)
				return UI_REDRAW;
			p->typed[0] = '\0';
			p->chosen = (int)p->shown[at];
			return UI_DONE;
		}
		if (longer)
			return UI_REDRAW;
		len = 0;          /* no such number: the digit starts a new one */
	}
	p->typed[0] = '\0';
	return UI_REDRAW;
}

static void
refilter(struct pick *p)
{
	size_t keep = p->nshown > 0 ? p->shown[p->cur] : 0;

	p->nshown = 0;
	p->cur = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (!matches(p->items[i], p->filter))
			continue;
		if (i == keep)
			p->cur = p->nshown;
		p->shown[p->nshown++] = i;
	}
	p->top = 0;
}

static void
pick_draw(void *ctx)
{
	struct pick *p = ctx;
	int y = 2, rows;
	struct ui_keyhint keys[] = {
		{ "\u2191\u2193", _("move") }, { "Enter", _("choose") }, { "/", _("search") },
		{ "q", _("back") },
	};

	if (!ui_unicode())
		keys[0].key = "Up/Down";
	int ix = p->own ? 5 : 3 + p->numw + 1;

	ui_titlebar(p->title, "tcptutor");
	if (p->help != NULL && *p->help != '\0') {
		int used = ui_wrap(stdscr, 2, 2, 3, COLS - 4, ui_attr(UI_R_DIM), p->help, 0, 0);

		y = 2 + (used > 3 ? 3 : used) + 1;
	}
	if (p->filtering || p->filter[0] != '\0') {
		ui_textf(stdscr, y, 2, COLS - 4, ui_attr(UI_R_HEADING), "/%s%s", p->filter,
		         p->filtering ? "_" : "");
		y += 2;
	}
	rows = LINES - 1 - y - 1;
	if (rows < 1)
		rows = 1;
	p->rows = rows;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + (size_t)rows)
		p->top = p->cur - (size_t)rows + 1;
	if (p->nshown == 0)
		ui_text(stdscr, y, 4, COLS - 6, ui_attr(UI_R_DIM), _("(nothing matches)"));
	for (int r = 0; r < rows && p->top + (size_t)r < p->nshown; r++) {
		size_t k = p->top + (size_t)r;
		int cur = k == p->cur;
		attr_t a = cur ? ui_attr(UI_R_CURRENT) : 0;

		if (cur)
			ui_text(stdscr, y + r, 1, 2, ui_attr(UI_R_FOCUS), ui_glyph(UI_G_CURSOR));
		if (!p->own)
			ui_textf(stdscr, y + r, 3, p->numw, ui_attr(UI_R_DIM), "%*lu", p->numw,
			         p->num[p->shown[k]]);
		ui_text_pad(stdscr, y + r, ix, COLS - ix - 2, a, p->items[p->shown[k]]);
	}
	if (p->typed[0] != '\0')
		ui_textf(stdscr, LINES - 2, 2, COLS - 16, ui_attr(UI_R_HEADING), "%s_", p->typed);
	if (p->nshown > (size_t)rows)
		ui_textf(stdscr, LINES - 2, COLS - 12, 11, ui_attr(UI_R_DIM), "%zu/%zu", p->cur + 1,
		         p->nshown);
	ui_keybar(LINES - 1, keys, sizeof keys / sizeof keys[0]);
}

static enum ui_next
pick_key(void *ctx, int key)
{
	struct pick *p = ctx;
	size_t len = strlen(p->filter);

	if (p->filtering || key < '0' || key > '9')
		p->typed[0] = '\0';
	if (p->filtering) {
		switch (key) {
		case '\r':
		case '\n':
		case UI_FN(KEY_ENTER):
			p->filtering = 0;
			return UI_REDRAW;
		case 27:
			p->filtering = 0;
			p->filter[0] = '\0';
			refilter(p);
			return UI_REDRAW;
		case UI_FN(KEY_BACKSPACE):
		case 127:
		case UI_CTRL('h'):
			if (len > 0) {
				while (len > 0 && (p->filter[len - 1] & 0xc0) == 0x80)
					len--;
				p->filter[len > 0 ? len - 1 : 0] = '\0';
				refilter(p);
			}
			return UI_REDRAW;
		case UI_FN(KEY_UP):
		case UI_FN(KEY_DOWN):
			p->filtering = 0;
			break;
		default:
			if (!UI_IS_FN(key) && key >= 0x20) {
				char mb[8];
				int m = wctomb(mb, (wchar_t)key);

				if (m > 0 && len + (size_t)m + 1 < sizeof p->filter) {
					memcpy(p->filter + len, mb, (size_t)m);
					p->filter[len + (size_t)m] = '\0';
					refilter(p);
				}
			}
			return UI_REDRAW;
		}
	}
	switch (key) {
	case UI_FN(KEY_UP):
	case 'k':
		if (p->cur > 0)
			p->cur--;
		return UI_REDRAW;
	case UI_FN(KEY_DOWN):
	case 'j':
		if (p->cur + 1 < p->nshown)
			p->cur++;
		return UI_REDRAW;
	case UI_FN(KEY_PPAGE):
		p->cur = p->cur > (size_t)p->rows ? p->cur - (size_t)p->rows : 0;
		return UI_REDRAW;
	case UI_FN(KEY_NPAGE):
		p->cur += (size_t)p->rows;
		if (p->cur >= p->nshown)
			p->cur = p->nshown > 0 ? p->nshown - 1 : 0;
		return UI_REDRAW;
	case UI_FN(KEY_HOME):
		p->cur = 0;
		return UI_REDRAW;
	case UI_FN(KEY_END):
		p->cur = p->nshown > 0 ? p->nshown - 1 : 0;
		return UI_REDRAW;
	case '/':
		p->filtering = 1;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case ' ':
	case UI_FN(KEY_ENTER):
	case UI_FN(KEY_RIGHT):
		if (p->nshown == 0)
			return UI_STAY;
		p->chosen = (int)p->shown[p->cur];
		return UI_DONE;
	case 'q':
	case 27:
	case UI_FN(KEY_LEFT):
		return UI_BACK;
	default:
		if (key >= '0' && key <= '9')
			return type_digit(p, key);
		return UI_STAY;
	}
}

int
ui_pick_ex(const char *title, const char *help, const char *const *items, size_t n,
           size_t start, const struct ui_opts *o)
{
	struct pick p;
	struct ui_screen s = { &p, pick_draw, pick_key, NULL, NULL, 0 };
	char err[256];
	enum ui_next r;

	(void)o;
	if (n == 0)
		return -1;
	if (ui_begin(err, sizeof err) != 0) {
		ui_fail("%s", err);
		return -1;
	}
	memset(&p, 0, sizeof p);
	p.title = title;
	p.help = help;
	p.items = items;
	p.n = n;
	p.shown = calloc(n, sizeof *p.shown);
	p.num = calloc(n, sizeof *p.num);
	if (p.shown == NULL || p.num == NULL)
		ui_fatal("%s", _("out of memory"));
	p.chosen = -1;
	number_items(&p);
	refilter(&p);
	if (start < n)
		p.cur = start;
	r = ui_run(&s);
	free(p.shown);
	free(p.num);
	ui_end();
	return r == UI_DONE ? p.chosen : -1;
}

int
ui_input(const char *title, const char *prompt, char *buf, size_t len, const struct ui_opts *o)
{
	char err[256];
	int r;

	(void)o;
	if (ui_begin(err, sizeof err) != 0) {
		ui_fail("%s", err);
		return -1;
	}
	r = ui_ask(title, prompt, buf, len);
	ui_end();
	return r;
}

struct msg {
	const char *title, *text;
};

static void
msg_draw(void *ctx)
{
	struct msg *m = ctx;

	ui_box_text(m->title, m->text, _("press any key"));
}

static enum ui_next
msg_key(void *ctx, int key)
{
	(void)ctx;
	(void)key;
	return UI_BACK;
}

int
ui_message(const char *title, const char *text, const struct ui_opts *o)
{
	struct msg m = { title, text };
	struct ui_screen s = { &m, msg_draw, msg_key, NULL, NULL, 1 };
	char err[256];

	(void)o;
	if (ui_begin(err, sizeof err) != 0) {
		ui_fail("%s", err);
		return -1;
	}
	ui_run(&s);
	ui_end();
	return 0;
}
