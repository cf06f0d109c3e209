/* ui/bigtext.c: a block font five dots high, drawn one dot per cell (5 rows)
 * or two dots per cell with the upper and lower half blocks (3 rows). The
 * glyphs are written as pictures: '#' a dot, '.' none; a glyph is as wide as
 * its rows, and one blank column separates glyphs. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "ui/bigtext.h"

struct glyph {
	char c;
	const char *row[UI_BIG_TALL];
};

static const struct glyph font[] = {
	{ 'A', { ".##.", "#..#", "####", "#..#", "#..#" } },
	{ 'B', { "###.", "#..#", "###.", "#..#", "###." } },
	{ 'C', { ".###", "#...", "#...", "#...", ".###" } },
	{ 'D', { "###.", "#..#", "#..#", "#..#", "###." } },
	{ 'E', { "####", "#...", "###.", "#...", "####" } },
	{ 'F', { "####", "#...", "###.", "#...", "#..." } },
	{ 'G', { ".###", "#...", "#.##", "#..#", ".###" } },
	{ 'H', { "#..#", "#..#", "####", "#..#", "#..#" } },
	{ 'I', { "###", ".#.", ".#.", ".#.", "###" } },
	{ 'J', { "...#", "...#", "...#", "#..#", ".##." } },
	{ 'K', { "#..#", "#.#.", "##..", "#.#.", "#..#" } },
	{ 'L', { "#...", "#...", "#...", "#...", "####" } },
	{ 'M', { "#...#", "##.##", "#.#.#", "#...#", "#...#" } },
	{ 'N', { "#...#", "##..#", "#.#.#", "#..##", "#...#" } },
	{ 'O', { ".##.", "#..#", "#..#", "#..#", ".##." } },
	{ 'P', { "###.", "#..#", "###.", "#...", "#..." } },
	{ 'Q', { ".##.", "#..#", "#..#", "#.#.", ".#.#" } },
	{ 'R', { "###.", "#..#", "###.", "#.#.", "#..#" } },
	{ 'S', { ".###", "#...", ".##.", "...#", "###." } },
	{ 'T', { "#####", "..#..", "..#..", "..#..", "..#.." } },
	{ 'U', { "#..#", "#..#", "#..#", "#..#", ".##." } },
	{ 'V', { "#...#", "#...#", "#...#", ".#.#.", "..#.." } },
	{ 'W', { "#...#", "#...#", "#.#.#", "##.##", "#...#" } },
	{ 'X', { "#...#", ".#.#.", "..#..", ".#.#.", "#...#" } },
	{ 'Y', { "#...#", ".#.#.", "..#..", "..#..", "..#.." } },
	{ 'Z', { "####", "...#", ".##.", "#...", "####" } },
	{ '0', { ".##.", "#.##", "#..#", "##.#", ".##." } },
	{ '1', { ".#.", "##.", ".#.", ".#.", "###" } },
	{ '2', { "###.", "...#", ".##.", "#...", "####" } },
	{ '3', { "###.", "...#", ".##.", "...#", "###." } },
	{ '4', { "#..#", "#..#", "####", "...#", "...#" } },
	{ '5', { "####", "#...", "###.", "...#", "###." } },
	{ '6', { ".##.", "#...", "###.", "#..#", ".##." } },
	{ '7', { "####", "...#", "..#.", ".#..", ".#.." } },
	{ '8', { ".##.", "#..#", ".##.", "#..#", ".##." } },
	{ '9', { ".##.", "#..#", ".###", "...#", ".##." } },
	{ '-', { "...", "...", "###", "...", "..." } },
	{ ',', { "..", "..", "..", ".#", "#." } },
	{ '.', { ".", ".", ".", ".", "#" } },
	{ '>', { "#..", ".#.", "..#", ".#.", "#.." } },
	{ '<', { "..#", ".#.", "#..", ".#.", "..#" } },
	{ ' ', { "..", "..", "..", "..", ".." } },
};

static const struct glyph *
glyph_of(char c)
{
	c = (char)toupper((unsigned char)c);
	for (size_t i = 0; i < sizeof font / sizeof font[0]; i++)
		if (font[i].c == c)
			return &font[i];
	return NULL;
}

int
ui_big_width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++) {
		const struct glyph *g = glyph_of(*s);

		if (g == NULL)
			return -1;
		w += (w > 0) + (int)strlen(g->row[0]);
	}
	return w;
}

/* Dot (row r, column col) of the text, where col counts across glyphs and
 * their gaps; rows past the font's height are blank. */
static int
dot(const char *s, int r, int col)
{
	if (r >= UI_BIG_TALL)
		return 0;
	for (; *s != '\0'; s++) {
		const struct glyph *g = glyph_of(*s);
		int gw = (int)strlen(g->row[0]);

		if (col < gw)
			return g->row[r][col] == '#';
		col -= gw + 1;
		if (col < 0)
			return 0;
	}
	return 0;
}

int
ui_big_draw(WINDOW *w, int y, int x, int maxw, int rows, attr_t a, const char *s)
{
	int wd = ui_big_width(s), uni = ui_unicode();
	char line[1024];

	if (wd < 0 || wd > maxw || (rows != UI_BIG_TALL && rows != UI_BIG_SHORT) ||
	    (rows == UI_BIG_SHORT && !uni) || wd * 3 >= (int)sizeof line)
		return -1;
	for (int r = 0; r < rows; r++) {
		size_t at = 0;

		for (int c = 0; c < wd; c++) {
			const char *cell;

			if (rows == UI_BIG_TALL) {
				cell = dot(s, r, c) ? (uni ? "\u2588" : "#") : " ";
			} else {
				int up = dot(s, 2 * r, c), down = dot(s, 2 * r + 1, c);

				cell = up && down ? "\u2588" : up ? "\u2580" : down ? "\u2584" : " ";
			}
			memcpy(line + at, cell, strlen(cell));
			at += strlen(cell);
		}
		line[at] = '\0';
		ui_text(w, y + r, x, wd, a, line);
	}
	return wd;
}
