/* ui/stepview.h: the step view's inside, for the screens that extend it
 * (the sandbox adds host actions and faults, and grows the story as the
 * user acts: struct sv_ext, in ui/svmodel.h). Not for use outside ui/. */
#ifndef TT_UI_STEPVIEW_H
#define TT_UI_STEPVIEW_H

#include <stddef.h>

#include "ui/svmodel.h"
#include "ui/term.h"

/* The step view over a story that may grow (ext may be NULL). */
int sv_run(const struct ui_story *story, const struct ui_opts *o, const struct sv_ext *ext);

/* For make bench: paints the step view `frames` times (a different step
 * each time) at cols x rows onto a terminal whose output goes to /dev/null,
 * with graph in the ladder's place (0 the ladder, 1 the windows, 2 the cwnd
 * chart, 3 the time-sequence graph: the keys b and m); returns the mean
 * milliseconds per frame, or -1 when no terminal type is known. Not for use
 * while ui_begin() holds the terminal. */
double sv_bench(const struct ui_story *story, int cols, int rows, int frames, int present,
                int graph);

#endif
