/* cmd/paths.h: where the program finds its data and translations, installed or
 * run from the build tree, and where it keeps the learner's progress. */
#ifndef TT_PATHS_H
#define TT_PATHS_H

#include <stddef.h>

/* The folder that holds lessons/, quiz/ and assets/. */
const char *tt_path_datadir(void);
/* The folder that holds zh_CN/LC_MESSAGES/tcptutor.mo. */
const char *tt_path_localedir(void);
/* $XDG_DATA_HOME/tcptutor (or ~/.local/share/tcptutor), created on demand;
 * returns 0 and fills buf, or -1 with a message in err. */
int tt_path_statedir(char *buf, size_t len, char *err, size_t errlen);

#endif
