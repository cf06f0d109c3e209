/* i18n.h: the gettext macros every part uses for user-visible strings.
 * A message a library writes into its caller's buffer (an error, "frame
 * N: ...") is translated as it is written: its format goes through _(),
 * the words it quotes stay as they were. A string a library hands out by
 * pointer (a reason, a note's why, a name) is marked N_() and translated
 * by whoever prints or draws it, with _(). */
#ifndef TT_I18N_H
#define TT_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* The languages of content (lessons, the quiz): the index of a text that
 * content files give in both. */
enum tt_lang { TT_EN = 0, TT_ZH = 1, TT_NLANG = 2 };

#endif
