/* ui/challenge.c: the sandbox's challenge: take every transition of RFC
 * 9293's state diagram, and the RST, ABORT and timeout edges beside it,
 * both hosts together. The list and the coverage are tutor/cover.c's; the
 * progress file is kept as lesson progress is (a folder that cannot be
 * made or written leaves the challenge working, progress not kept). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ui/challenge.h"
#include "ui/term.h"

static tt_cover_set
covered(const struct ui_chal *c)
{
	return (c->prog != NULL ? tt_cover_progress_get(c->prog) : c->local) | c->run;
}

static void
load(struct ui_chal *c)
{
	char dir[4096], err[256], warn[512];

	if (c->prog != NULL || c->warn[0] != '\0')
		return;
	if (c->ch->statedir(dir, sizeof dir, err, sizeof err) != 0) {
		snprintf(c->warn, sizeof c->warn, _("progress will not be kept: %s"), err);
		return;
	}
	c->prog = tt_cover_progress_load(dir, warn, sizeof warn);
	if (c->prog == NULL)
		ui_fatal("%s", _("out of memory"));
	if (warn[0] != '\0')
		snprintf(c->warn, sizeof c->warn, "%s", warn);
}

void
ui_chal_line(const struct ui_chal *c, char *buf, size_t len)
{
	tt_cover_set s = covered(c);

	if (s == tt_cover_all())
		snprintf(buf, len, _("Challenge: all %zu transitions taken. Well done! (R starts again)"),
		         tt_cover_nitems());
	else
		snprintf(buf, len, _("Challenge: %zu of %zu transitions taken (i: which remain)."),
		         tt_cover_count(s), tt_cover_nitems());
}

/* The status: the count, then a warning or what is new. */
static void
say(const struct ui_chal *c, const char *news, char *status, size_t len)
{
	ui_chal_line(c, status, len);
	if (c->warn[0] != '\0')
		snprintf(status + strlen(status), len - strlen(status), " %s", c->warn);
	else if (news != NULL && news[0] != '\0')
		snprintf(status + strlen(status), len - strlen(status), " %s", news);
}

void
ui_chal_update(struct ui_chal *c, const struct tt_step *steps, size_t n, char *status,
               size_t len)
{
	tt_cover_set fresh;
	char news[512] = "", err[512];

	if (!c->on)
		return;
	if (c->skip > n)
		c->skip = n;
	c->run = tt_cover_steps(steps + c->skip, n - c->skip, NULL, NULL);
	if (c->prog == NULL) {
		fresh = c->run & ~c->local;
		c->local |= c->run;
	} else {
		fresh = tt_cover_progress_add(c->prog, c->run);
	}
	for (size_t i = 0; i < tt_cover_nitems(); i++)
		if ((fresh >> i) & 1) {
			const struct tt_cover_item *t = tt_cover_item(i);

			snprintf(news, sizeof news, _("New: %s %s %s, %s."), tt_cover_item_from(t),
			         ui_glyph(UI_G_RIGHTWARDS), tt_state_name(t->to), _(t->label));
		}
	if (fresh != 0 && c->prog != NULL) {
		if (tt_cover_progress_save(c->prog, err, sizeof err) != 0)
			snprintf(c->warn, sizeof c->warn, _("progress not saved: %s"), err);
		else
			c->warn[0] = '\0';
	}
	if (status[0] == '\0' || fresh != 0 || c->warn[0] != '\0')
		say(c, news, status, len);
}

void
ui_chal_toggle(struct ui_chal *c, const struct tt_step *steps, size_t n, char *status,
               size_t len)
{
	if (c->ch == NULL)
		return;
	c->on = !c->on;
	if (!c->on) {
		snprintf(status, len, "%s", _("Challenge closed; its progress is kept (o opens it)."));
		return;
	}
	load(c);
	status[0] = '\0';
	ui_chal_update(c, steps, n, status, len);
	say(c, _("Taken edges are underlined in the state diagram."), status, len);
}

void
ui_chal_hint(const struct ui_chal *c)
{
	static char buf[8192];
	tt_cover_set s = covered(c);
	int next = tt_cover_next(s);
	size_t at;

	ui_chal_line(c, buf, sizeof buf);
	at = strlen(buf);
	at += (size_t)snprintf(buf + at, sizeof buf - at, "\n\n%s\n\n",
	                       _("Both hosts together take every transition of RFC 9293's state\n"
	                         "diagram (Figure 5) and the RST, ABORT and timeout edges beside it.\n"
	                         "The state diagram (v on small screens) underlines the edges taken;\n"
	                         "those marked * below are not drawn there. Progress is kept between\n"
	                         "runs; R forgets it."));
	if (next >= 0) {
		const struct tt_cover_item *t = tt_cover_item((size_t)next);

		at += (size_t)snprintf(buf + at, sizeof buf - at, _("Next: %s %s %s, %s\n  Try: %s.\n\n"),
		                       tt_cover_item_from(t), ui_glyph(UI_G_RIGHTWARDS),
		                       tt_state_name(t->to), _(t->label), _(t->how));
	}
	for (size_t i = 0; i < tt_cover_nitems() && at < sizeof buf; i++) {
		const struct tt_cover_item *t = tt_cover_item(i);

		at += (size_t)snprintf(buf + at, sizeof buf - at, _("[%s] %s %s %s, %s%s\n"),
		                       (s >> i) & 1 ? "x" : " ",
		                       t->from_name != NULL ? _(t->from_name) : tt_cover_item_from(t),
		                       ui_glyph(UI_G_RIGHTWARDS), tt_state_name(t->to), _(t->label),
		                       t->drawn ? "" : " *");
	}
	ui_pager(_("Challenge: cover every transition"), buf);
}

void
ui_chal_reset(struct ui_chal *c, size_t nsteps, char *status, size_t len)
{
	char answer[16] = "", err[512];

	if (ui_ask(_("Forget the challenge"),
	           _("Forget every transition taken so far? Type yes to confirm:"), answer,
	           sizeof answer) != 0 || strcmp(answer, _("yes")) != 0) {
		snprintf(status, len, "%s", _("The challenge's progress is kept."));
		return;
	}
	c->local = 0;
	c->run = 0;
	c->skip = nsteps;
	if (c->prog != NULL) {
		tt_cover_progress_reset(c->prog);
		if (tt_cover_progress_save(c->prog, err, sizeof err) != 0)
			snprintf(c->warn, sizeof c->warn, _("progress not saved: %s"), err);
	}
	say(c, _("Forgotten: what you do from now on counts."), status, len);
}

size_t
ui_chal_count(const struct ui_chal *c)
{
	return tt_cover_count(covered(c));
}

int
ui_chal_edge(const struct ui_chal *c, enum tt_state from, enum tt_state to)
{
	return c->on && tt_cover_edge(covered(c), from, to);
}

void
ui_chal_free(struct ui_chal *c)
{
	tt_cover_progress_free(c->prog);
	c->prog = NULL;
}
