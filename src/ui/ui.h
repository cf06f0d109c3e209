/* ui/ui.h: the terminal interface; the only part that includes curses. */
#ifndef TT_UI_H
#define TT_UI_H
#endif
