/* ui/live.c: the step view over a story that grows by itself (tcptutor
 * live): the step view's poll hook (stepview.h) behind the plain-C
 * ui_live() of ui.h. */
#include "config.h"

#include "ui/stepview.h"

int
ui_live(const struct ui_story *story, const struct ui_opts *opts, const struct ui_live *live)
{
	struct sv_ext ext = { 0 };

	ext.ctx = live->ctx;
	ext.poll = live->poll;
	ext.poll_ms = live->poll_ms > 0 ? live->poll_ms : 100;
	ext.status = live->status;
	ext.empty = live->empty;
	return sv_run(story, opts, &ext);
}
