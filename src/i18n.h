/* i18n.h: the gettext macros every part uses for user-visible strings.
 * Library code marks strings with N_() and never translates on its own;
 * callers that print or draw pass them through _(). */
#ifndef TT_I18N_H
#define TT_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* The languages of content (lessons, the quiz): the index of a text that
 * content files give in both. */
enum tt_lang { TT_EN = 0, TT_ZH = 1, TT_NLANG = 2 };

#endif
