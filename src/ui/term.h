/* ui/term.h: the terminal, owned in one place, and the drawing helpers every
 * screen shares (for the ui/ files only: this header includes curses).
 *
 * ui_begin()/ui_end() set the terminal up and restore it; they nest, so a
 * screen opened from the menu does not flash the shell in between. While
 * the terminal is ours the signal handlers only set flags, and ui_run()
 * acts on them: on SIGINT/SIGTERM/SIGHUP/SIGQUIT it restores the terminal
 * and re-raises (the exit status says which signal); on SIGTSTP (Ctrl-Z) it
 * restores the terminal, stops, and on SIGCONT (fg) gives the program its
 * tty modes, keypad mode and cursor back and repaints the whole screen. A
 * signal the shell ignores stays ignored; at the last ui_end() the old
 * handlers come back, and what arrived meanwhile takes its course. The
 * terminal is also restored on exit() and on ui_fatal().
 *
 * A screen is init/draw/key: ui_run() is the only loop that reads keys and
 * handles KEY_RESIZE; it calls the screen's draw() whenever the screen must
 * be painted and hands each key to key(), whose answer says what happens
 * next. Nothing spins while idle: the loop blocks in get_wch(), and waits
 * with a timeout only while the screen asks for a timer (auto-play).
 *
 * Text is UTF-8 (gettext hands out UTF-8). ui_text() draws it clipped to a
 * number of columns, counting double-width (CJK) characters as two; in a
 * locale that is not UTF-8 every non-ASCII character becomes '?' and the
 * line-drawing glyphs fall back to ASCII. NO_COLOR (any value) turns colour
 * off; roles then map to bold/reverse/underline. */
#ifndef TT_UI_TERM_H
#define TT_UI_TERM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>

#include "ui/ui.h"

/* What a piece of text is, not how it looks: ui_attr() picks the look. */
#define UI_ROLES(_)                                                            \
	_(NORMAL) _(TITLE) _(BAR) _(KEY) _(CURRENT) _(CHANGED) _(DIM)           \
	_(CLIENT) _(SERVER) _(DROP) _(OK) _(BAD) _(HEADING) _(FOCUS) _(MARK)    \
	_(CLIENT_LIT) _(SERVER_LIT) _(BOTH_LIT)

enum ui_role {
#define UI_ROLE_ENUM(id) UI_R_##id,
	UI_ROLES(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	UI_NROLES
};

/* Line-drawing glyphs, Unicode or ASCII as the locale allows. */
#define UI_GLYPHS(_)                                                           \
	_(HLINE, "\u2500", "-") _(VLINE, "\u2502", "|")                          \
	_(TL, "\u250c", "+") _(TR, "\u2510", "+") _(BL, "\u2514", "+")            \
	_(BR, "\u2518", "+") _(TEE_L, "\u251c", "+") _(TEE_R, "\u2524", "+")     \
	_(ARROW_R, "\u25b6", ">") _(ARROW_L, "\u25c0", "<")                       \
	_(ARROW_U, "\u25b2", "^") _(ARROW_D, "\u25bc", "v")                       \
	_(CROSS, "\u2715", "X") _(DOT, "\u25cf", "*") _(RIGHTWARDS, "\u2192", "->") \
	_(LEFTWARDS, "\u2190", "<-") _(DOWN_R, "\u256e", ".") _(UP_R, "\u2570", "`") \
	_(DOWN_L, "\u256d", ".") _(UP_L, "\u256f", "'") _(ELLIPSIS, "\u2026", "~") \
	_(CURSOR, "\u25b8", ">") _(INFINITY, "\u221e", "inf")                      \
	_(BLOCK_FULL, "\u2588", "#") _(BLOCK_DARK, "\u2593", "=")                  \
	_(BLOCK_LIGHT, "\u2591", "-") _(BLOCK_MEDIUM, "\u2592", ":") _(MIDDOT, "\u00b7", ".")                     \
	_(TICK, "\u2502", "|") _(DASH, "\u2504", "-") _(MARK_UP, "\u25b2", "^")   \
	_(BLANK, " ", " ") _(CROSSING, "\u253c", "+")

enum ui_glyph {
#define UI_GLYPH_ENUM(id, u, a) UI_G_##id,
	UI_GLYPHS(UI_GLYPH_ENUM)
#undef UI_GLYPH_ENUM
	UI_NGLYPHS
};

/* What a key handler (or a tick) wants next. */
enum ui_next {
	UI_STAY,      /* nothing to repaint */
	UI_REDRAW,    /* paint again */
	UI_BACK,      /* leave this screen (q) */
	UI_DONE,      /* leave this screen: a choice was made */
	UI_QUIT       /* leave everything */
};

/* Keys reach handlers as one int: a character's code point, or UI_FN(k) for
 * curses function keys (UI_FN(KEY_LEFT), ...), so the two never collide. */
#define UI_FN(k) ((k) | 0x01000000)
#define UI_IS_FN(k) (((k) & 0x01000000) != 0)
#define UI_CTRL(c) ((c) & 0x1f)

struct ui_screen {
	void *ctx;
	void (*draw)(void *ctx);                 /* paints the whole screen */
	enum ui_next (*key)(void *ctx, int key); /* one key */
	/* Optional: milliseconds until tick() is due, or -1 for no timer. */
	int (*timer)(void *ctx);
	enum ui_next (*tick)(void *ctx);
	/* Nonzero: drawn over what is on the screen (a dialog), not on a blank one. */
	int overlay;
};

/* Runs a screen until its key() or tick() answers UI_BACK, UI_DONE or
 * UI_QUIT, and returns that answer. On SIGINT/SIGTERM/SIGHUP/SIGQUIT the
 * terminal is restored and the signal re-raised (the process ends as the
 * signal says); Ctrl-Z suspends and fg resumes (see above). */
enum ui_next ui_run(const struct ui_screen *s);

/* Milliseconds on a monotonic clock, for timers (auto-play). */
long long ui_now_ms(void);

/* Restores the terminal, hands the message to the handler of ui_on_fatal()
 * (the command says it) and exits 1. */
void ui_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* A screen could not be shown: the message ui_error() returns (the ui
 * library prints nothing; its callers say it). */
void ui_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "client" or "server" (TT_CLIENT, TT_SERVER), translated. */
const char *ui_host_name(int host);

/* Looks and glyphs. */
attr_t ui_attr(enum ui_role r);
const char *ui_glyph(enum ui_glyph g);
int ui_has_color(void);
int ui_unicode(void);           /* the locale is UTF-8 */

/* Text. Every function clips at maxw columns (maxw <= 0: nothing) and never
 * writes past the right edge of the window. They return the columns used. */
int ui_text(WINDOW *w, int y, int x, int maxw, attr_t a, const char *utf8);
int ui_textf(WINDOW *w, int y, int x, int maxw, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Like ui_text, but a text wider than maxw (2 or more) is cut one column
 * short and ends in an ellipsis drawn with attribute more: it says so. */
int ui_text_cut(WINDOW *w, int y, int x, int maxw, attr_t a, attr_t more, const char *utf8);
/* Like ui_text, but pads with spaces to exactly maxw columns. */
int ui_text_pad(WINDOW *w, int y, int x, int maxw, attr_t a, const char *utf8);
/* Right-aligned / centred in maxw columns. */
int ui_text_right(WINDOW *w, int y, int x, int maxw, attr_t a, const char *utf8);
int ui_text_center(WINDOW *w, int y, int x, int maxw, attr_t a, const char *utf8);
/* Columns s takes on the screen (CJK count two). */
int ui_width(const char *utf8);
/* Columns the longest of s's lines takes. */
int ui_widest_line(const char *utf8);
/* Word-wraps s (spaces, newlines, and between CJK characters, never before
 * closing CJK punctuation) into the box at (y, x) of h rows and maxw
 * columns, starting `skip` wrapped lines down; returns the number of
 * wrapped lines the whole text needs. With w NULL it only counts. `gap`
 * blank rows are left between lines (presenter mode). Lines that fit are
 * drawn as written; a paragraph with a line that does not fit (text broken
 * for a wider box) is joined and wrapped again as a whole, and an indented
 * "key   text" or "- text" line wraps under its text. */
int ui_wrap(WINDOW *w, int y, int x, int h, int maxw, attr_t a, const char *utf8,
            int skip, int gap);
/* Fills a row span with spaces in attribute a. */
void ui_fill(WINDOW *w, int y, int x, int n, attr_t a);
/* A frame with a title in the top border; focused frames are drawn bright. */
void ui_frame(WINDOW *w, int y, int x, int h, int wd, const char *title, int focused);
/* A horizontal / vertical line of glyphs. */
void ui_hline(WINDOW *w, int y, int x, int n, attr_t a);
void ui_vline(WINDOW *w, int y, int x, int n, attr_t a);

/* The bars. The key bar shows "key label" pairs; keys drawn in UI_R_KEY. */
struct ui_keyhint {
	const char *key;    /* "n", "Space", ... (not translated) */
	const char *label;  /* already translated */
};
void ui_titlebar(const char *left, const char *right);
void ui_keybar(int y, const struct ui_keyhint *k, size_t n);
/* Flows the hints over up to `rows` bars from row y (y < 0: only counts);
 * returns the rows needed. A hint with a NULL key ends a group: the next
 * group starts a bar of its own when that needs no more bars. */
int ui_keyflow(int y, int rows, const struct ui_keyhint *k, size_t n);

/* A framed message box in the middle of the screen, over whatever is there;
 * the caller's next draw() repaints below it. It is 72 columns wide, wider
 * (up to the screen) when a line of the text needs it; so is the pager
 * (100). */
void ui_box_text(const char *title, const char *utf8, const char *footer);

/* Reads one line in a box in the middle of the screen (its own little loop:
 * Enter accepts, Esc cancels). buf holds the initial text and receives the
 * answer; returns 0, or -1 when cancelled. */
int ui_ask(const char *title, const char *prompt, char *buf, size_t len);

/* Shows a long text (help, detail) in a scrollable box until q/Esc/Enter. */
void ui_pager(const char *title, const char *utf8);

#endif
