/* ui/svkeys.c: the step view's keys: one table maps them to the model's
 * actions (ui/svmodel.h), and the help that '?' shows and the key bars
 * that name them are written next to it, so that a key is changed in one
 * place. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "ui/svdraw.h"

static const struct {
	int key;
	enum sv_action action;
	int arg;
} keymap[] = {
	{ 'n', SV_A_NEXT, 0 }, { ' ', SV_A_NEXT, 0 }, { UI_FN(KEY_RIGHT), SV_A_NEXT, 0 },
	{ 'p', SV_A_PREV, 0 }, { UI_FN(KEY_LEFT), SV_A_PREV, 0 },
	{ UI_FN(KEY_BACKSPACE), SV_A_PREV, 0 },
	{ UI_FN(KEY_HOME), SV_A_FIRST, 0 }, { UI_FN(KEY_END), SV_A_LAST, 0 },
	{ 'g', SV_A_GOTO, 0 },
	{ '\r', SV_A_DETAIL, 0 }, { '\n', SV_A_DETAIL, 0 }, { UI_FN(KEY_ENTER), SV_A_DETAIL, 0 },
	{ 'a', SV_A_AUTO, 0 }, { '+', SV_A_FASTER, 0 }, { '=', SV_A_FASTER, 0 },
	{ '-', SV_A_SLOWER, 0 },
	{ '\t', SV_A_FOCUS, 0 },
	{ UI_FN(KEY_UP), SV_A_UP, 0 }, { UI_FN(KEY_DOWN), SV_A_DOWN, 0 },
	{ UI_FN(KEY_PPAGE), SV_A_PAGE_UP, 0 }, { UI_FN(KEY_NPAGE), SV_A_PAGE_DOWN, 0 },
	{ 'v', SV_A_VIEW, 0 }, { 'b', SV_A_WINDOWS, 0 }, { 'm', SV_A_CHART, 0 },
	{ '/', SV_A_SEARCH, 0 },
	{ '?', SV_A_HELP, 0 }, { UI_FN(KEY_F(1)), SV_A_HELP, 0 },
	{ 'q', SV_A_QUIT, 0 }, { 27, SV_A_QUIT, 0 },
	{ UI_CTRL('l'), SV_A_REPAINT, 0 },
	/* only while a checkpoint is open; otherwise the extension's */
	{ '1', SV_A_ANSWER, 0 }, { '2', SV_A_ANSWER, 1 }, { '3', SV_A_ANSWER, 2 },
	{ '4', SV_A_ANSWER, 3 }, { '5', SV_A_ANSWER, 4 }, { '6', SV_A_ANSWER, 5 },
	{ '7', SV_A_ANSWER, 6 }, { '8', SV_A_ANSWER, 7 }, { '9', SV_A_ANSWER, 8 },
	{ 'r', SV_A_REVEAL, 0 },
};

enum sv_action
sv_key_action(int key, int *arg)
{
	for (size_t i = 0; i < sizeof keymap / sizeof keymap[0]; i++)
		if (keymap[i].key == key) {
			*arg = keymap[i].arg;
			return keymap[i].action;
		}
	*arg = 0;
	return SV_A_NONE;
}

/* The help for the keys above ('?'), the extension's keys after them. */
const char *
sv_help_text(const struct sv *v, char *buf, size_t len)
{
	const char *extra = v->ext != NULL && v->ext->help != NULL ? v->ext->help(v->ext->ctx) : NULL;
	int n;

	n = snprintf(buf, len,
	             _("Keys of the step view\n"
	               "\n"
	               "  n, Space, Right   next step\n"
	               "  p, Left           previous step (shows exactly the earlier state)\n"
	               "  Home, End         first / last step\n"
	               "  g                 go to a frame (the # column) or step number\n"
	               "  Enter             full header and options of the current segment\n"
	               "  a                 auto-play on/off;  + / -  faster / slower\n"
	               "  Tab               move the focus between panels\n"
	               "  Up, Down          in the focused panel: table rows, ladder or text scroll\n"
	               "  PgUp, PgDn        scroll the explanation\n"
	               "  v                 small screens: switch the middle panel (ladder, states, TCBs)\n"
	               "  b                 the windows over the bytes (RFC 9293 Figures 3 and 4) in\n"
	               "                    the ladder's place, again: back\n"
	               "  m                 charts in the ladder's place: cwnd and ssthresh over time,\n"
	               "                    again: the time-sequence graph, again: back\n"
	               "  /                 search segments (flags, notes, states), again: next match\n"
	               "  ?                 this help\n"
	               "  q                 back / quit\n"
	               "\n"
	               "The table shows one row per segment: # (step or frame), time, direction\n"
	               "(C>S client to server), flags, relative seq and ack (the sender's initial\n"
	               "sequence number counts as 0), payload length, window, and both endpoints'\n"
	               "RFC 9293 states after the segment. The line under it writes the flags as\n"
	               "the classic texts do (SYN=1,ACK=0).\n"
	               "\n"
	               "In the ladder time runs downwards; a cross marks a segment lost on the\n"
	               "wire. Each arrow is labelled with its flags and numbers, as in\n"
	               "\"PSH,ACK seq=1 ack=1 len=100\". A short arrow writes them narrow:\n"
	               "\"PSH,ACK 1/1 +100\" is seq 1, ack 1 (after the slash, only with ACK) and\n"
	               "100 bytes of data (after the +, only when there are any). Where even that\n"
	               "does not fit, the last parts are left out and %s says so; Enter shows\n"
	               "the whole segment.\n"
	               "\n"
	               "In the state diagram the client's state is lit in one colour (marked C\n"
	               "without colours), the server's in another (marked S), a state both are in\n"
	               "in a third (marked CS), and the transition just taken is highlighted. In\n"
	               "the TCBs, values that changed in this step are highlighted; a short panel\n"
	               "writes the numbers relative to ISS and IRS when they would not fit (its\n"
	               "heading says so), and a capture shows - for what it cannot know.\n"
	               "\n"
	               "The windows (b) draw each host's send sequence space as RFC 9293 Figure 3\n"
	               "does: acknowledged, sent and not yet acknowledged, the usable window, and\n"
	               "what is not yet allowed, with SND.UNA, SND.NXT, SND.UNA+SND.WND and, with\n"
	               "congestion control, the limit cwnd sets (usable = min(SND.WND, cwnd) minus\n"
	               "the bytes in flight); and its receive sequence space as Figure 4 does,\n"
	               "with RCV.NXT and RCV.NXT+RCV.WND. Between the marks the bytes are to\n"
	               "scale; the acknowledged part and what lies beyond the window are not.\n"
	               "The charts (m) put a cursor at the current step. A capture cannot know\n"
	               "cwnd: its chart shows the bytes in flight and the window offered instead.\n"),
	             ui_glyph(UI_G_ELLIPSIS));
	if (extra != NULL && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "\n%s", extra);
	return buf;
}


/* The key bars: the extension's keys first (the sandbox's actions), then
 * the step view's; small screens keep the essential ones. */
size_t
sv_key_hints(const struct sv *v, struct ui_keyhint *keys, size_t max)
{
	size_t nk = 0;

	if (v->ext != NULL && v->ext->hints != NULL)
		nk = v->ext->hints(v->ext->ctx, keys, max > 12 ? max - 12 : 0);
	/* Beside the sandbox's keys, small screens keep the essential ones. */
	int all = nk == 0 || COLS >= 100;

	if (nk > 0)
		keys[nk++] = (struct ui_keyhint){ NULL, NULL };   /* the sandbox's own bar */

	keys[nk++] = (struct ui_keyhint){ "n", _("next") };
	keys[nk++] = (struct ui_keyhint){ "p", _("back") };
	if (all)
		keys[nk++] = (struct ui_keyhint){ "g", _("go to") };
	if (all) {
		keys[nk++] = (struct ui_keyhint){ "Enter", _("detail") };
		keys[nk++] = (struct ui_keyhint){ "a", v->auto_on ? _("stop") : _("auto") };
	}
	if (!(COLS >= 120 && LINES >= 40) || v->o->present)
		keys[nk++] = (struct ui_keyhint){ "v", _("view") };
	keys[nk++] = (struct ui_keyhint){ "?", _("help") };
	keys[nk++] = (struct ui_keyhint){ "q", _("quit") };
	keys[nk++] = (struct ui_keyhint){ "b", _("window") };
	keys[nk++] = (struct ui_keyhint){ "m", _("chart") };
	if (all) {
		keys[nk++] = (struct ui_keyhint){ "Tab", _("focus") };
		keys[nk++] = (struct ui_keyhint){ "/", _("search") };
	}
	return nk;
}

/* Rows of key bars: one, or as many as the sandbox's extra keys need. */
int
sv_key_bars(const struct sv *v)
{
	struct ui_keyhint keys[SV_MAX_HINTS];
	size_t nk;
	int rows;

	if (v->ext == NULL || v->ext->hints == NULL)
		return 1;
	nk = sv_key_hints(v, keys, sizeof keys / sizeof keys[0]);
	rows = ui_keyflow(-1, 4, keys, nk);
	return rows < 1 ? 1 : rows;
}
