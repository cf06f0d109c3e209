/* tutor/store.h: the learner's files under $XDG_DATA_HOME/tcptutor, read
 * whole and replaced atomically (write a temporary file, fsync, rename), so
 * a crash or a kill never leaves a half-written file behind. */
#ifndef TT_STORE_H
#define TT_STORE_H

#include <stddef.h>

/* Replaces path with len bytes of data atomically; 0, or -1 with err. */
int tt_store_write(const char *path, const void *data, size_t len, char *err, size_t errlen);
/* Reads a whole file into a new NUL-terminated buffer (free it); *len gets
 * its size. Returns NULL with err; a missing file sets *missing to 1. */
char *tt_store_read(const char *path, size_t *len, int *missing, char *err, size_t errlen);
/* Moves a corrupt file aside to path.corrupt-N; 0, or -1 with err. Fills
 * moved_to with the new name. */
int tt_store_quarantine(const char *path, char *moved_to, size_t len, char *err, size_t errlen);

#endif
