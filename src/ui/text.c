/* ui/text.c: UTF-8 text on the screen, for every ui_text*() and ui_wrap()
 * of term.h: decoding, the columns a string takes (double-width CJK count
 * two; outside a UTF-8 locale every non-ASCII character is a one-column
 * '?'), clipped drawing and word wrapping. The terminal itself (setup,
 * signals, the key loop) is term.c's. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/base.h"
#include "ui/term.h"

/* ---- text ---------------------------------------------------------------- */

/* Decodes one UTF-8 character at s (n bytes left); returns its length (at
 * least 1) and the code point in *cp (U+FFFD for a bad sequence). */
static int
utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	int len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		len = 2, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		len = 3, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		len = 4, c &= 0x07;
	else {
		*cp = 0xfffd;
		return 1;
	}
	if ((size_t)len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

/* Columns a code point takes as drawn here: control characters and, outside
 * a UTF-8 locale, everything non-ASCII is shown as a one-column '?'. */
static int
cp_width(unsigned cp)
{
	int w;

	if (cp < 0x20 || cp == 0x7f)
		return 1;
	if (cp < 0x80)
		return 1;
	if (!ui_unicode())
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

static void
put_cp(WINDOW *w, unsigned cp, attr_t a)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && (!ui_unicode() || wcwidth((wchar_t)cp) < 0))) {
		waddch(w, (chtype)'?' | a);
	} else if (cp < 0x80) {
		waddch(w, (chtype)cp | a);
	} else {
		wchar_t ws[2] = { (wchar_t)cp, 0 };
		cchar_t cc;

		setcchar(&cc, ws, a, PAIR_NUMBER(a), NULL);
		wadd_wch(w, &cc);
	}
}

/* Columns bytes [s, s+n) take as drawn here: in a UTF-8 locale what
 * base/ counts (wcwidth, a bad byte one column); outside one every
 * character is drawn as one column. */
static int
span_width(const char *s, size_t n)
{
	int cols = 0;

	if (ui_unicode())
		return tt_text_nwidth(s, n);
	for (size_t i = 0; i < n;) {
		unsigned cp;

		i += (size_t)utf8_next((const unsigned char *)s + i, n - i, &cp);
		cols += cp_width(cp);
	}
	return cols;
}

int
ui_width(const char *s)
{
	return span_width(s, strlen(s));
}

/* Draws bytes [s, s+n) clipped to maxw columns; returns columns used. */
static int
draw_span(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s, size_t n)
{
	int cols = 0, room;

	if (w == NULL || maxw <= 0 || y < 0 || x < 0 || y >= getmaxy(w) || x >= getmaxx(w))
		return 0;
	room = getmaxx(w) - x;
	if (maxw > room)
		maxw = room;
	wmove(w, y, x);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		int cw, len;

		len = utf8_next((const unsigned char *)s + i, n - i, &cp);
		cw = cp_width(cp);
		if (cw == 0) {  /* combining mark: drawn with the previous char by curses */
			i += (size_t)len;
			continue;
		}
		if (cols + cw > maxw)
			break;
		put_cp(w, cp, a);
		cols += cw;
		i += (size_t)len;
	}
	return cols;
}

int
ui_text(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	return draw_span(w, y, x, maxw, a, s, strlen(s));
}

int
ui_text_cut(WINDOW *w, int y, int x, int maxw, attr_t a, attr_t more, const char *s)
{
	int used;

	if (maxw < 2 || ui_width(s) <= maxw)
		return ui_text(w, y, x, maxw, a, s);
	used = ui_text(w, y, x, maxw - 1, a, s);
	return used + ui_text(w, y, x + used, 1, more, ui_glyph(UI_G_ELLIPSIS));
}

int
ui_textf(WINDOW *w, int y, int x, int maxw, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_text(w, y, x, maxw, a, buf);
}

void
ui_fill(WINDOW *w, int y, int x, int n, attr_t a)
{
	if (y < 0 || y >= getmaxy(w) || x < 0)
		return;
	if (x + n > getmaxx(w))
		n = getmaxx(w) - x;
	if (n <= 0)
		return;
	wmove(w, y, x);
	for (int i = 0; i < n; i++)
		waddch(w, ' ' | a);
}

int
ui_text_pad(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	int used = ui_text(w, y, x, maxw, a, s);

	ui_fill(w, y, x + used, maxw - used, a);
	return maxw > 0 ? maxw : 0;
}

int
ui_text_right(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	int tw = ui_width(s);

	if (tw >= maxw)
		return ui_text(w, y, x, maxw, a, s);
	return ui_text(w, y, x + maxw - tw, tw, a, s);
}

int
ui_text_center(WINDOW *w, int y, int x, int maxw, attr_t a, const char *s)
{
	int tw = ui_width(s);

	if (tw >= maxw)
		return ui_text(w, y, x, maxw, a, s);
	return ui_text(w, y, x + (maxw - tw) / 2, tw, a, s);
}

/* ---- wrapping ---------------------------------------------------------------
 * Text comes with hard line breaks, often placed for some other width (help
 * written for 76 columns shown in 68). Lines that fit are drawn as they are.
 * A paragraph with a line that does not fit is reflowed as a whole, so that
 * no orphan like "segment, as" is left between two full rows: its lines are
 * joined, then wrapped again. A paragraph is a line and the lines that
 * continue it: not blank, indented like its continuation rows, and the
 * previous line was broken because the next word did not fit (the widest
 * line of the block standing for the width the text was written for). The
 * continuation rows of an indented line hang under its text ("  key   what
 * it does" under "what", "  - point" under "point"). */


static size_t
line_end(const char *s, size_t n, size_t pos)
{
	const char *nl = memchr(s + pos, '\n', n - pos);

	return nl != NULL ? (size_t)(nl - s) : n;
}

int
ui_widest_line(const char *s)
{
	size_t n = strlen(s);
	int want = 0;

	for (size_t pos = 0; pos < n;) {
		size_t e = line_end(s, n, pos);
		int lw = span_width(s + pos, e - pos);

		if (lw > want)
			want = lw;
		pos = e + 1;
	}
	return want;
}

static int
lead_of(const char *s, size_t a, size_t b)
{
	size_t i = a;

	while (i < b && s[i] == ' ')
		i++;
	return (int)(i - a);
}

static int
is_wide_at(const char *s, size_t i, size_t n)
{
	unsigned cp;

	utf8_next((const unsigned char *)s + i, n - i, &cp);
	return cp_width(cp) == 2;
}

/* Columns of the first word of the line [a, b) (a CJK character is one). */
static int
first_word(const char *s, size_t a, size_t b)
{
	size_t i = a + (size_t)lead_of(s, a, b), j = i;

	if (i < b && is_wide_at(s, i, b))
		return 2;
	while (j < b && s[j] != ' ' && !is_wide_at(s, j, b))
		j++;
	return span_width(s + i, j - i);
}

/* Where the continuation rows of the line [a, b) start: under the text of
 * an indented "key   text" or "- text" line, else under its indent. */
static int
hang_of(const char *s, size_t a, size_t b, int maxw)
{
	int lead = lead_of(s, a, b), hang = lead;
	size_t i = a + (size_t)lead;

	if (lead == 0)
		return 0;
	if (i + 1 < b && (s[i] == '-' || s[i] == '*') && s[i + 1] == ' ') {
		hang = lead + 2;
	} else {
		for (size_t j = i; j + 1 < b; j++) {
			if (s[j] == ' ' && s[j + 1] == ' ') {
				while (j < b && s[j] == ' ')
					j++;
				if (j < b)
					hang = span_width(s + a, j - a);
				break;
			}
		}
	}
	if (hang > maxw / 2)
		hang = lead > maxw / 2 ? 0 : lead;
	return hang;
}

/* The widest line from pos to the next blank line (or the end). */
static int
block_width(const char *s, size_t n, size_t pos, size_t *blk_end)
{
	int wmax = 0;

	while (pos < n) {
		size_t e = line_end(s, n, pos);
		int lw = span_width(s + pos, e - pos);

		if (lead_of(s, pos, e) == (int)(e - pos))
			break;
		if (lw > wmax)
			wmax = lw;
		pos = e + 1;
	}
	*blk_end = pos;
	return wmax;
}

static unsigned
next_cp(const char *s, size_t i, size_t n)
{
	unsigned cp;

	utf8_next((const unsigned char *)s + i, n - i, &cp);
	return cp;
}

/* CJK punctuation that must not start a row / end one. */
static int
closing_cp(unsigned cp)
{
	static const unsigned c[] = { 0x3001, 0x3002, 0x300b, 0x300d, 0x300f, 0x3011, 0xff01,
	                              0xff09, 0xff0c, 0xff1a, 0xff1b, 0xff1f, 0x201d, 0x2019 };

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		if (cp == c[i])
			return 1;
	return 0;
}

static int
opening_cp(unsigned cp)
{
	return cp == 0x300a || cp == 0x300c || cp == 0x300e || cp == 0x3010 || cp == 0xff08 ||
	       cp == 0x201c || cp == 0x2018;
}

/* One row of s[pos, n) in maxw columns: [pos, *end) is drawn, the next row
 * starts at *next, past the spaces of the break. */
static void
wrap_row(const char *s, size_t n, size_t pos, int maxw, size_t *end, size_t *next)
{
	size_t start = pos, brk_end = 0, brk_next = 0;
	int col = 0, have_brk = 0;
	unsigned prev = 0;

	*end = *next = n;
	while (pos < n) {
		unsigned cp;
		int len = utf8_next((const unsigned char *)s + pos, n - pos, &cp);
		int cw = cp_width(cp);

		/* A break may come before a CJK char, not before a closing mark
		 * nor after an opening one. */
		if (cw == 2 && col > 0 && !closing_cp(cp) && !opening_cp(prev)) {
			have_brk = 1;
			brk_end = pos;
			brk_next = pos;
		}
		if (col + cw > maxw) {
			if (have_brk && brk_end > start) {
				*end = brk_end;
				*next = brk_next;
			} else {
				*end = pos > start ? pos : pos + (size_t)len;
				*next = *end;
			}
			while (*next < n && s[*next] == ' ')
				(*next)++;
			return;
		}
		if (cp == ' ') {
			have_brk = 1;
			brk_end = pos;
			brk_next = pos + 1;
		} else if (cw == 2 && !opening_cp(cp) && !(pos + (size_t)len < n &&
		           closing_cp(next_cp(s, pos + (size_t)len, n)))) {
			have_brk = 1;
			brk_end = pos + (size_t)len;
			brk_next = pos + (size_t)len;
		}
		prev = cp;
		col += cw;
		pos += (size_t)len;
	}
}

struct wrap_out {
	WINDOW *w;
	int y, x, h, skip, gap, line;
	attr_t a;
};

static void
wrap_emit(struct wrap_out *o, int dx, int maxw, const char *s, size_t len)
{
	if (o->w != NULL && o->line >= o->skip) {
		int row = (o->line - o->skip) * (1 + o->gap);

		if (row < o->h)
			draw_span(o->w, o->y + row, o->x + dx, maxw, o->a, s, len);
	}
	o->line++;
}

/* Rows of one line without newlines; continuation rows hang `hang` in. */
static void
wrap_line(struct wrap_out *o, const char *s, size_t n, int maxw, int hang)
{
	size_t pos = 0, end, next;

	if (n == 0)
		wrap_emit(o, 0, maxw, s, 0);
	for (int dx = 0; pos < n; dx = hang) {
		wrap_row(s, n, pos, maxw - dx, &end, &next);
		wrap_emit(o, dx, maxw - dx, s + pos, end - pos);
		pos = next;
	}
}

/* The lines of s[0, n) joined into one (a space between words, none next to
 * a CJK character) and wrapped again; line by line when out of memory. */
static void
wrap_joined(struct wrap_out *o, const char *s, size_t n, int maxw, int hang)
{
	char small[2048], *buf = n < sizeof small ? small : malloc(n + 1);
	size_t at = 0, pos = 0, e;

	for (;; pos = e + 1) {
		size_t a = pos;

		e = line_end(s, n, pos);
		if (buf == NULL) {
			wrap_line(o, s + pos, e - pos, maxw, hang);
		} else {
			if (at > 0) {
				a += (size_t)lead_of(s, a, e);
				while (at > 0 && buf[at - 1] == ' ')
					at--;
				if (at > 0 && a < e) {
					size_t last = at - 1;

					while (last > 0 && ((unsigned char)buf[last] & 0xc0) == 0x80)
						last--;
					if (!is_wide_at(buf, last, at) && !is_wide_at(s, a, e))
						buf[at++] = ' ';
				}
			}
			memcpy(buf + at, s + a, e - a);
			at += e - a;
		}
		if (e >= n)
			break;
	}
	if (buf != NULL)
		wrap_line(o, buf, at, maxw, hang);
	if (buf != small)
		free(buf);
}

/* The line [a, b) ends with "." or ")" (or their CJK forms). */
static int
ends_sentence(const char *s, size_t a, size_t b)
{
	while (b > a && s[b - 1] == ' ')
		b--;
	if (b == a)
		return 0;
	if (s[b - 1] == '.' || s[b - 1] == ')')
		return 1;
	/* U+3002 (。) and U+FF09 (）) end in 0x82 / 0x89 after 0xe3 0x80 / 0xef 0xbc */
	return b - a >= 3 && (((unsigned char)s[b - 3] == 0xe3 && (unsigned char)s[b - 2] == 0x80 &&
	                       (unsigned char)s[b - 1] == 0x82) ||
	                      ((unsigned char)s[b - 3] == 0xef && (unsigned char)s[b - 2] == 0xbc &&
	                       (unsigned char)s[b - 1] == 0x89));
}

int
ui_wrap(WINDOW *w, int y, int x, int h, int maxw, attr_t a, const char *s, int skip, int gap)
{
	struct wrap_out o = { w, y, x, h, skip, gap, 0, a };
	size_t n = strlen(s), pos = 0, blk_end = 0;
	int blk_w = 0;

	if (maxw <= 0)
		return 0;
	while (pos < n) {
		size_t pa = pos, pb = line_end(s, n, pos), b = pb;
		int hang = hang_of(s, pa, pb, maxw), fits = span_width(s + pa, pb - pa) <= maxw;

		if (pos >= blk_end)
			blk_w = block_width(s, n, pos, &blk_end);
		/* Gather the lines that continue this one (a line that ends a
		 * sentence ends its paragraph: lines listed one by one, as the
		 * step view's events, stay apart). */
		while (lead_of(s, pa, pb) < (int)(pb - pa) && b + 1 < n && !ends_sentence(s, pa, pb)) {
			size_t na = b + 1, nb = line_end(s, n, na);
			int lead = lead_of(s, na, nb);

			if (lead == (int)(nb - na) || lead != hang ||
			    span_width(s + pa, pb - pa) + 1 + first_word(s, na, nb) <= blk_w)
				break;
			fits &= span_width(s + na, nb - na) <= maxw;
			pa = na;
			pb = b = nb;
		}
		if (!fits) {
			wrap_joined(&o, s + pos, b - pos, maxw, hang);
		} else {
			for (size_t la = pos, lb; la <= b; la = lb + 1) {
				lb = line_end(s, n, la);
				wrap_line(&o, s + la, lb - la, maxw, hang);
				if (lb >= b)
					break;
			}
		}
		pos = b + 1;
	}
	return o.line;
}
