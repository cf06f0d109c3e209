/* ui/bigtext.h: big letters for the presenter mode, read from the back of a
 * room. A built-in font five dots high covers A-Z, 0-9, '-', ',', '.', '>',
 * '<' and the space (lower case is drawn as upper case); that is enough for
 * RFC 9293 state names and segment flags. For ui/ only. */
#ifndef TT_UI_BIGTEXT_H
#define TT_UI_BIGTEXT_H

#include "ui/term.h"

/* Rows the big letters take: one row per dot, or two dots per row drawn
 * with half blocks (UTF-8 only). */
enum { UI_BIG_TALL = 5, UI_BIG_SHORT = 3 };

/* Columns s takes in big letters, or -1 when the font lacks one of its
 * characters. */
int ui_big_width(const char *s);

/* Draws s at (y, x) in rows UI_BIG_TALL or UI_BIG_SHORT rows, with full
 * blocks, or '#' outside a UTF-8 locale (where UI_BIG_SHORT is refused).
 * Returns the columns used, or -1 without drawing anything when s does not
 * fit in maxw columns or cannot be drawn. */
int ui_big_draw(WINDOW *w, int y, int x, int maxw, int rows, attr_t a, const char *s);

#endif
