/* ui/term.c: terminal setup and restore, the one key loop, looks and
 * glyphs, the line-drawing helpers, the bars and the dialogs of term.h
 * (message box, one line of input, pager). Text itself is drawn by
 * ui/text.c, so that wide (CJK) characters, clipping and the ASCII
 * fallback live in one place. */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "i18n.h"
#include "trace/trace.h"
#include "ui/term.h"

/* ---- terminal ownership ------------------------------------------------ */

static char last_error[512];   /* ui_fail(), ui_error() */
static SCREEN *scr;            /* created once, kept for later ui_begin()s */
static int depth;              /* nesting of ui_begin() */
static int color_on, utf8_on;
/* The signal that ends us (got_signal), Ctrl-Z (got_stop) and a continue
 * (got_cont): the handler only notes them; ui_run() acts on them. */
static volatile sig_atomic_t got_signal, got_stop, got_cont;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT };
#define NCAUGHT (sizeof caught / sizeof caught[0])
static struct sigaction old_act[NCAUGHT];
static int installed;          /* our handlers are in place */

static void
on_signal(int sig)
{
	if (sig == SIGTSTP)
		got_stop = 1;
	else if (sig == SIGCONT)
		got_cont = 1;
	else
		got_signal = sig;
}

/* Takes the signals over while the terminal is ours (before newterm(), so
 * that curses leaves them to us); a signal the shell ignores stays ignored
 * (a background job without job control, nohup). */
static void
catch_signals(void)
{
	struct sigaction sa;

	if (installed)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;        /* no SA_RESTART: a blocked read returns */
	for (size_t i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &old_act[i]);
		if (old_act[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
	installed = 1;
}

static void
release_signals(void)
{
	if (!installed)
		return;
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &old_act[i], NULL);
	installed = 0;
}

static void
restore_now(void)
{
	if (scr != NULL && !isendwin()) {
		curs_set(1);
		endwin();
	}
}

static void
at_exit(void)
{
	restore_now();
}

long long
ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Colours per role, and the monochrome look of the same role. */
static const struct {
	short fg, bg;
	attr_t color_extra, mono;
} looks[UI_NROLES] = {
	[UI_R_NORMAL] = { -1, -1, 0, 0 },
	[UI_R_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[UI_R_BAR] = { COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE },
	[UI_R_KEY] = { COLOR_BLACK, COLOR_CYAN, 0, A_BOLD },
	[UI_R_CURRENT] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[UI_R_CHANGED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_R_DIM] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
	[UI_R_CLIENT] = { COLOR_GREEN, -1, A_BOLD, 0 },
	[UI_R_SERVER] = { COLOR_MAGENTA, -1, A_BOLD, 0 },
	[UI_R_DROP] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_R_OK] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[UI_R_BAD] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_R_HEADING] = { -1, -1, A_BOLD, A_BOLD },
	[UI_R_FOCUS] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_R_MARK] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_R_CLIENT_LIT] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[UI_R_SERVER_LIT] = { COLOR_BLACK, COLOR_MAGENTA, 0, A_REVERSE | A_UNDERLINE },
	[UI_R_BOTH_LIT] = { COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE | A_BOLD },
};

static void
setup_colors(void)
{
	const char *nc = getenv("NO_COLOR");

	color_on = 0;
	if (nc != NULL && *nc != '\0')
		return;
	if (!has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (int r = 1; r < UI_NROLES; r++)
		init_pair((short)r, looks[r].fg, looks[r].bg);
	color_on = 1;
}

int
ui_begin(char *err, size_t errlen)
{
	const char *term = getenv("TERM");

	last_error[0] = '\0';  /* a screen shown: no failure to report */
	if (depth > 0) {
		depth++;
		return 0;
	}
	if (term == NULL || *term == '\0') {
		snprintf(err, errlen, "%s", _("no terminal: TERM is not set (use --batch for plain output)"));
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "%s", _("no terminal: input or output is not a terminal (use --batch)"));
		return -1;
	}
	got_signal = got_stop = got_cont = 0;
	catch_signals();
	if (scr == NULL) {
		scr = newterm(NULL, stdout, stdin);
		if (scr == NULL) {
			release_signals();
			snprintf(err, errlen, _("no terminal: unknown terminal type '%s'"), term);
			return -1;
		}
		set_term(scr);
		atexit(at_exit);
		utf8_on = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
		setup_colors();
	} else {
		reset_prog_mode();
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	depth = 1;
	clear();
	refresh();
	return 0;
}

void
ui_retake(int clean)
{
	if (scr == NULL || depth == 0)
		return;
	if (!clean) {
		endwin();       /* the next refresh enters the screen again */
		refresh();
	}
	reset_prog_mode();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	clearok(curscr, TRUE);
}

void
ui_locale_changed(void)
{
	utf8_on = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

static void die_by_signal(void) __attribute__((noreturn));

void
ui_end(void)
{
	if (depth == 0)
		return;
	if (--depth > 0)
		return;
	restore_now();
	release_signals();
	/* What arrived outside ui_run() takes its course now, with the
	 * terminal already restored. */
	if (got_signal)
		die_by_signal();
	if (got_stop) {
		got_stop = 0;
		raise(SIGTSTP);
	}
	got_cont = 0;
}

void
ui_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
}

const char *
ui_host_name(int host)
{
	return host == TT_SERVER ? _("server") : _("client");
}

const char *
ui_error(void)
{
	return last_error;
}

static void (*fatal_say)(const char *msg);

void
ui_on_fatal(void (*say)(const char *msg))
{
	fatal_say = say;
}

void
ui_fatal(const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	depth = 0;
	restore_now();
	release_signals();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (fatal_say != NULL)
		fatal_say(msg);
	exit(1);
}

/* A signal arrived: the terminal goes back to normal, then the signal takes
 * its ordinary course (so the exit status says what ended us). */
static void
die_by_signal(void)
{
	int sig = got_signal;

	depth = 0;
	restore_now();
	release_signals();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* Back from a stop (or continued after a SIGSTOP that could not be caught):
 * the tty modes, keypad mode and cursor are the program's again, and the
 * whole screen is repainted from what curses holds. */
static void
resume_now(int cursor)
{
	got_cont = 0;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	keypad(stdscr, TRUE);    /* endwin() turned the keypad mode off */
	if (cursor != ERR)
		curs_set(cursor);
}

/* Ctrl-Z: the terminal is restored for the shell, the process stops as
 * SIGTSTP's default says, and on `fg` the screen comes back. */
static void
suspend_now(void)
{
	struct sigaction dfl, ours;
	sigset_t set, old;
	int cursor;

	got_stop = 0;
	cursor = curs_set(1);
	endwin();
	fflush(stdout);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &ours);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, &old);
	raise(SIGTSTP);          /* stopped here until SIGCONT */
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigaction(SIGTSTP, &ours, NULL);
	resume_now(cursor);
}

/* What the handler noted: returns 1 when the screen was repainted. */
static int
take_signals(void)
{
	if (got_signal)
		die_by_signal();
	if (got_stop) {
		suspend_now();
		return 1;
	}
	if (got_cont) {
		resume_now(ERR);
		return 1;
	}
	return 0;
}

enum ui_next
ui_run(const struct ui_screen *s)
{
	int need_draw = 1, blank = !s->overlay;

	for (;;) {
		wint_t wc;
		int r, t, key;
		enum ui_next next;

		take_signals();
		if (need_draw) {
			if (blank)
				erase();
			s->draw(s->ctx);
			refresh();
			need_draw = 0;
		}
		t = s->timer != NULL ? s->timer(s->ctx) : -1;
		timeout(t < 0 ? -1 : t);
		errno = 0;
		r = get_wch(&wc);
		if (take_signals() && r == ERR)
			continue;   /* stopped and resumed: the timer starts again */
		if (r == ERR) {
			if (t >= 0 && s->tick != NULL) {
				next = s->tick(s->ctx);
				goto handle;
			}
			continue;   /* interrupted by a signal we do not own */
		}
		if (r == KEY_CODE_YES) {
			if (wc == KEY_RESIZE) {
				need_draw = 1;
				blank = 1;
				clear();
				continue;
			}
			key = UI_FN((int)wc);
		} else {
			key = (int)wc;
		}
		next = s->key(s->ctx, key);
handle:
		switch (next) {
		case UI_STAY:
			break;
		case UI_REDRAW:
			need_draw = 1;
			break;
		case UI_BACK:
		case UI_DONE:
		case UI_QUIT:
			timeout(-1);
			return next;
		}
	}
}

/* ---- looks --------------------------------------------------------------- */

attr_t
ui_attr(enum ui_role r)
{
	if ((unsigned)r >= UI_NROLES)
		return 0;
	if (color_on)
		return r == UI_R_NORMAL ? 0 : (COLOR_PAIR(r) | looks[r].color_extra);
	return looks[r].mono;
}

static const char *const glyph_u[] = {
#define UI_GLYPH_U(id, u, a) u,
	UI_GLYPHS(UI_GLYPH_U)
#undef UI_GLYPH_U
};
static const char *const glyph_a[] = {
#define UI_GLYPH_A(id, u, a) a,
	UI_GLYPHS(UI_GLYPH_A)
#undef UI_GLYPH_A
};

const char *
ui_glyph(enum ui_glyph g)
{
	if ((unsigned)g >= UI_NGLYPHS)
		return "?";
	return utf8_on ? glyph_u[g] : glyph_a[g];
}

int
ui_has_color(void)
{
	return color_on;
}

int
ui_unicode(void)
{
	return utf8_on;
}

/* ---- lines and bars ------------------------------------------------------ */

void
ui_hline(WINDOW *w, int y, int x, int n, attr_t a)
{
	const char *g = ui_glyph(UI_G_HLINE);

	for (int i = 0; i < n; i++)
		ui_text(w, y, x + i, 1, a, g);
}

void
ui_vline(WINDOW *w, int y, int x, int n, attr_t a)
{
	const char *g = ui_glyph(UI_G_VLINE);

	for (int i = 0; i < n; i++)
		ui_text(w, y + i, x, 1, a, g);
}

void
ui_frame(WINDOW *w, int y, int x, int h, int wd, const char *title, int focused)
{
	attr_t a = focused ? ui_attr(UI_R_FOCUS) : ui_attr(UI_R_DIM);

	if (h < 2 || wd < 2)
		return;
	ui_text(w, y, x, 1, a, ui_glyph(UI_G_TL));
	ui_hline(w, y, x + 1, wd - 2, a);
	ui_text(w, y, x + wd - 1, 1, a, ui_glyph(UI_G_TR));
	ui_vline(w, y + 1, x, h - 2, a);
	ui_vline(w, y + 1, x + wd - 1, h - 2, a);
	ui_text(w, y + h - 1, x, 1, a, ui_glyph(UI_G_BL));
	ui_hline(w, y + h - 1, x + 1, wd - 2, a);
	ui_text(w, y + h - 1, x + wd - 1, 1, a, ui_glyph(UI_G_BR));
	if (title != NULL && *title != '\0' && wd > 6) {
		char buf[256];

		snprintf(buf, sizeof buf, " %s ", title);
		ui_text(w, y, x + 2, wd - 4, focused ? ui_attr(UI_R_FOCUS) : ui_attr(UI_R_HEADING), buf);
	}
}

void
ui_titlebar(const char *left, const char *right)
{
	int cols = COLS, rw = right != NULL ? ui_width(right) : 0;
	attr_t a = ui_attr(UI_R_TITLE);

	ui_fill(stdscr, 0, 0, cols, a);
	if (rw > 0 && rw + 2 < cols)
		ui_text(stdscr, 0, cols - rw - 1, rw, a, right);
	else
		rw = -2;
	ui_text(stdscr, 0, 1, cols - rw - 3, a, left != NULL ? left : "");
}

void
ui_keybar(int y, const struct ui_keyhint *k, size_t n)
{
	int x = 0, cols = COLS;
	attr_t ak = ui_attr(UI_R_KEY), al = ui_attr(UI_R_BAR);

	ui_fill(stdscr, y, 0, cols, al);
	for (size_t i = 0; i < n; i++) {
		int need = ui_width(k[i].key) + 1 + ui_width(k[i].label) + 1;

		if (x + need > cols)
			break;
		x += ui_text(stdscr, y, x, cols - x, ak, k[i].key);
		x += ui_text(stdscr, y, x, 1, al, " ");
		x += ui_text(stdscr, y, x, cols - x, al, k[i].label);
		x += ui_text(stdscr, y, x, 1, al, " ");
	}
}

/* Lays the hints out over rows from y (y < 0: only counts); a hint with a
 * NULL key starts a new row when `breaks` is set. Returns the rows used. */
static int
keyflow(int y, int rows, const struct ui_keyhint *k, size_t n, int breaks)
{
	int x = 0, row = 0, cols = COLS;
	attr_t ak = ui_attr(UI_R_KEY), al = ui_attr(UI_R_BAR);

	for (size_t i = 0; i < n; i++) {
		int need;

		if (k[i].key == NULL) {
			if (breaks && x > 0 && i + 1 < n) {
				if (row + 1 >= rows)
					break;
				row++;
				x = 0;
			}
			continue;
		}
		need = ui_width(k[i].key) + 1 + ui_width(k[i].label) + 1;
		if (x + need > cols + 1 && x > 0) {
			if (row + 1 >= rows)
				break;
			row++;
			x = 0;
		}
		if (y >= 0) {
			x += ui_text(stdscr, y + row, x, cols - x, ak, k[i].key);
			x += ui_text(stdscr, y + row, x, 1, al, " ");
			x += ui_text(stdscr, y + row, x, cols - x, al, k[i].label);
			x += ui_text(stdscr, y + row, x, 1, al, " ");
		} else {
			x += need;
		}
	}
	return row + 1;
}

int
ui_keyflow(int y, int rows, const struct ui_keyhint *k, size_t n)
{
	/* Groups get rows of their own when that costs no extra row. */
	int flowed = keyflow(-1, 100, k, n, 0), grouped = keyflow(-1, 100, k, n, 1);
	int breaks = grouped <= flowed;

	if (y >= 0) {
		for (int r = 0; r < rows; r++)
			ui_fill(stdscr, y + r, 0, COLS, ui_attr(UI_R_BAR));
		keyflow(y, rows, k, n, breaks);
	}
	return (breaks ? grouped : flowed) < rows ? (breaks ? grouped : flowed) : rows;
}

/* A box's width: `usual` columns, wider (up to the whole screen) when the
 * text's longest line needs it, so that text broken for 76 columns is not
 * wrapped again at 80x24. */
static int
box_width(const char *s, int usual)
{
	int want = ui_widest_line(s) + 4;   /* frame and a space on each side */
	if (want > usual)
		usual = want < COLS ? want : COLS;
	return usual < 10 ? COLS : usual;
}

void
ui_box_text(const char *title, const char *s, const char *footer)
{
	int wd = box_width(s, COLS - 4 > 72 ? 72 : COLS - 4), lines, h, y, x;

	lines = ui_wrap(NULL, 0, 0, 0, wd - 4, 0, s, 0, 0);
	h = lines + 2 + (footer != NULL ? 2 : 0);
	if (h > LINES)
		h = LINES;
	y = (LINES - h) / 2;
	x = (COLS - wd) / 2;
	for (int r = 0; r < h; r++)
		ui_fill(stdscr, y + r, x, wd, 0);
	ui_frame(stdscr, y, x, h, wd, title, 1);
	ui_wrap(stdscr, y + 1, x + 2, h - 2 - (footer != NULL ? 2 : 0), wd - 4, 0, s, 0, 0);
	if (footer != NULL)
		ui_text(stdscr, y + h - 2, x + 2, wd - 4, ui_attr(UI_R_DIM), footer);
}

/* ---- one line of input ---------------------------------------------------- */

struct ask {
	const char *title, *prompt;
	wchar_t buf[256];
	size_t len;
	int proposed;           /* buf is the caller's proposal, still untouched:
	                           the first key typed replaces it */
};

static void
ask_draw(void *ctx)
{
	struct ask *k = ctx;
	int wd = COLS - 4 > 64 ? 64 : COLS - 4, pl, h, y, x = (COLS - wd) / 2, cx;
	char text[1024];
	const char *show = text;
	int room = wd - 6;

	pl = ui_wrap(NULL, 0, 0, 0, wd - 4, 0, k->prompt, 0, 0);
	if (pl > 3)
		pl = 3;
	h = pl + 4;
	y = (LINES - h) / 2;
	for (int r = 0; r < h; r++)
		ui_fill(stdscr, y + r, x, wd, 0);
	ui_frame(stdscr, y, x, h, wd, k->title, 1);
	ui_wrap(stdscr, y + 1, x + 2, pl, wd - 4, 0, k->prompt, 0, 0);
	if (wcstombs(text, k->buf, sizeof text) == (size_t)-1)
		text[0] = '\0';
	/* Keep the end of a long answer in view. */
	while (ui_width(show) > room && *show != '\0') {
		show++;
		while ((*show & 0xc0) == 0x80)
			show++;
	}
	ui_text_pad(stdscr, y + 1 + pl, x + 2, wd - 4, ui_attr(UI_R_CURRENT), "");
	/* a proposal is shown marked, as text a key will replace */
	cx = x + 2 + ui_text(stdscr, y + 1 + pl, x + 2, room,
	                     k->proposed ? ui_attr(UI_R_MARK) : ui_attr(UI_R_CURRENT), show);
	ui_text(stdscr, y + 2 + pl, x + 2, wd - 4, ui_attr(UI_R_DIM),
	        k->proposed ? _("Enter: OK   typing replaces it   Right: edit   Esc: cancel")
	                    : _("Enter: OK   Esc: cancel"));
	move(y + 1 + pl, cx);
}

static enum ui_next
ask_key(void *ctx, int key)
{
	struct ask *k = ctx;

	switch (key) {
	case '\r':
	case '\n':
	case UI_FN(KEY_ENTER):
		return UI_DONE;
	case 27:
	case UI_CTRL('g'):
		return UI_BACK;
	case UI_FN(KEY_BACKSPACE):
	case 127:
	case UI_CTRL('h'):
		if (k->proposed)
			k->len = 0;     /* the proposal goes whole */
		else if (k->len > 0)
			k->len--;
		k->buf[k->len] = 0;
		k->proposed = 0;
		return UI_REDRAW;
	case UI_CTRL('u'):
		k->len = 0;
		k->buf[0] = 0;
		k->proposed = 0;
		return UI_REDRAW;
	case UI_FN(KEY_RIGHT):
	case UI_FN(KEY_END):
	case UI_CTRL('e'):
		k->proposed = 0;        /* keep the proposal, to edit it */
		return UI_REDRAW;
	default:
		if (UI_IS_FN(key) || key < 0x20)
			return UI_STAY;
		if (k->proposed) {
			k->len = 0;
			k->proposed = 0;
		}
		if (k->len + 1 < sizeof k->buf / sizeof k->buf[0]) {
			k->buf[k->len++] = (wchar_t)key;
			k->buf[k->len] = 0;
		}
		return UI_REDRAW;
	}
}

int
ui_ask(const char *title, const char *prompt, char *buf, size_t len)
{
	struct ask k;
	struct ui_screen s = { &k, ask_draw, ask_key, NULL, NULL, 1 };
	enum ui_next r;
	size_t got;

	memset(&k, 0, sizeof k);
	k.title = title;
	k.prompt = prompt;
	got = mbstowcs(k.buf, buf, sizeof k.buf / sizeof k.buf[0] - 1);
	k.len = got == (size_t)-1 ? 0 : got;
	k.buf[k.len] = 0;
	k.proposed = k.len > 0;
	curs_set(1);
	r = ui_run(&s);
	curs_set(0);
	if (r != UI_DONE)
		return -1;
	if (wcstombs(buf, k.buf, len) == (size_t)-1 || len == 0)
		return -1;
	buf[len - 1] = '\0';
	return 0;
}

/* ---- pager ------------------------------------------------------------------ */

struct pager {
	const char *title, *text;
	int top, total, page;
};

static void
pager_draw(void *ctx)
{
	struct pager *p = ctx;
	int wd = box_width(p->text, COLS - 2 > 100 ? 100 : COLS - 2), h = LINES - 2, y = 1;
	int x = (COLS - wd) / 2;
	char foot[128];

	if (wd < 10 || h < 4)
		return;
	p->page = h - 3;
	p->total = ui_wrap(NULL, 0, 0, 0, wd - 4, 0, p->text, 0, 0);
	if (p->top > p->total - p->page)
		p->top = p->total - p->page;
	if (p->top < 0)
		p->top = 0;
	for (int r = 0; r < h; r++)
		ui_fill(stdscr, y + r, x, wd, 0);
	ui_frame(stdscr, y, x, h, wd, p->title, 1);
	ui_wrap(stdscr, y + 1, x + 2, p->page, wd - 4, 0, p->text, p->top, 0);
	if (p->total > p->page)
		snprintf(foot, sizeof foot, _("lines %d-%d of %d   arrows/PgUp/PgDn: scroll   q: close"),
		         p->top + 1, p->top + p->page, p->total);
	else
		snprintf(foot, sizeof foot, "%s", _("q: close"));
	ui_text(stdscr, y + h - 2, x + 2, wd - 4, ui_attr(UI_R_DIM), foot);
}

static enum ui_next
pager_key(void *ctx, int key)
{
	struct pager *p = ctx;

	switch (key) {
	case 'q':
	case 27:
	case '\r':
	case '\n':
	case UI_FN(KEY_ENTER):
	case '?':
		return UI_BACK;
	case UI_FN(KEY_DOWN):
	case 'j':
		p->top++;
		return UI_REDRAW;
	case UI_FN(KEY_UP):
	case 'k':
		p->top--;
		return UI_REDRAW;
	case UI_FN(KEY_NPAGE):
	case ' ':
		p->top += p->page;
		return UI_REDRAW;
	case UI_FN(KEY_PPAGE):
		p->top -= p->page;
		return UI_REDRAW;
	case UI_FN(KEY_HOME):
		p->top = 0;
		return UI_REDRAW;
	case UI_FN(KEY_END):
		p->top = p->total;
		return UI_REDRAW;
	default:
		return UI_STAY;
	}
}

void
ui_pager(const char *title, const char *text)
{
	struct pager p = { title, text, 0, 0, 1 };
	struct ui_screen s = { &p, pager_draw, pager_key, NULL, NULL, 1 };

	ui_run(&s);
}
