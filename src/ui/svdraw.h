/* ui/svdraw.h: the step view's screen, shared by its files: the key table
 * and help (svkeys.c), the explanation's text (svtext.c), the TCB panel
 * (svtcb.c) and the rest of the drawing (stepview.c). Everything here
 * reads the model (ui/svmodel.h) and never changes it; what a frame needs
 * of its own is in struct sv_frame. For ui/ only: includes curses. */
#ifndef TT_UI_SVDRAW_H
#define TT_UI_SVDRAW_H

#include <stddef.h>

#include "ui/svmodel.h"
#include "ui/term.h"

/* The most key hints the bars take. */
enum { SV_MAX_HINTS = 40 };

struct sv_para {
	const char *text;
	attr_t a;
};

struct ui_graph_cache;

/* What a frame computes before it draws, and the measurements it keeps. */
struct sv_frame {
	int big_rows;                 /* presenter: rows of big letters */
	/* The explanation of the step on screen, built before the layout so
	 * that the layout can give it the room it needs. */
	struct sv_para e_p[12];
	size_t e_np;
	char e_head[512], e_evs[2048], e_extra[1024], e_states[160], e_status[256], e_q[1024];
	char e_cross[512];
	/* The table's columns: their widths and which are on. */
	int width[SV_NCOLS], on[SV_NCOLS];
	int colw[SV_NCOLS];           /* replay: column widths over every row, once */
	int colw_ok;
	unsigned colw_grown;          /* sv.grown when they were measured */
	struct ui_graph_cache *gcache; /* replay: the charts drawn, kept while only the
	                               cursor moves (a story that grows or is run
	                               again has none) */
};

/* svkeys.c */
enum sv_action sv_key_action(int key, int *arg);
const char *sv_help_text(const struct sv *v, char *buf, size_t len);
size_t sv_key_hints(const struct sv *v, struct ui_keyhint *keys, size_t max);
int sv_key_bars(const struct sv *v);

/* svtext.c */
void sv_build_expl(const struct sv *v, struct sv_frame *f);
int sv_expl_need(const struct sv *v, const struct sv_frame *f, int w);
void sv_detail_text(const struct sv *v, const struct tt_step *s, char *buf, size_t len);
const char *sv_event_label(enum tt_reason r);
const char *sv_endpoint_at(const struct sv *v, const struct tt_step *s, int h, char *buf,
                           size_t len);

/* svtcb.c: both TCBs, and the rows the tall panel has. */
void sv_draw_tcb(const struct sv *v, const struct sv_rect *r);
int sv_tcb_rows(void);

/* stepview.c: a panel's heading. */
void sv_heading(const struct sv *v, const struct sv_rect *r, const char *title,
                const char *right);

#endif
