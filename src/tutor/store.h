/* tutor/store.h: the learner's files under $XDG_DATA_HOME/tcptutor, read
 * whole and replaced atomically (write PATH.tmp.PID, fsync, rename), so a
 * crash or a kill never leaves a half-written file behind; temporaries of
 * writers that are gone are removed by the next write. A read-modify-write
 * holds PATH.lock (flock) from the read to the rename. Errors name the
 * file and what is wrong ("PATH is a directory, not a file"). */
#ifndef TT_STORE_H
#define TT_STORE_H

#include <stddef.h>

/* Replaces path with len bytes of data atomically (removing stale
 * temporaries first); 0, or -1 with err. */
int tt_store_write(const char *path, const void *data, size_t len, char *err, size_t errlen);
/* Reads a whole file into a new NUL-terminated buffer (free it); *len gets
 * its size. Returns NULL with err; a missing file sets *missing to 1. */
char *tt_store_read(const char *path, size_t *len, int *missing, char *err, size_t errlen);
/* Takes PATH.lock (creating it), waiting a few seconds at most for another
 * holder. Returns the descriptor to hand to tt_store_unlock(), or -1 with
 * err (e.g. "cannot write in DIR: Read-only file system"). */
int tt_store_lock(const char *path, char *err, size_t errlen);
void tt_store_unlock(int fd);
/* Moves a corrupt file aside to path.corrupt-N; 0, or -1 with err. Fills
 * moved_to with the new name. */
int tt_store_quarantine(const char *path, char *moved_to, size_t len, char *err, size_t errlen);
/* The next line of a learner file's text: from buf + *at (*at < len) to its
 * LF, into l without the LF or a CR before it, NUL-terminated; *at moves
 * past it. Returns its length (0: a blank line), or -1 when it does not fit
 * in lsize bytes (a damaged line). A NUL inside is left to the caller. */
int tt_store_line(const char *buf, size_t len, size_t *at, char *l, size_t lsize);
/* A save that keeps what another sitting saved meanwhile: under PATH.lock
 * it reads what the file holds now (nothing when `fresh`: the file is to
 * be forgotten) and hands it to merge (buf NULL when there is no file),
 * which puts the new text in *out (malloc'ed; freed here) and returns 0,
 * or -1 with err; the text then replaces the file atomically. 0, or -1
 * with err (a file that cannot be read is left as it is). */
int tt_store_update(const char *path, int fresh,
                    int (*merge)(void *ctx, const char *buf, size_t len, char **out,
                                 size_t *outlen, char *err, size_t errlen),
                    void *ctx, char *err, size_t errlen);
/* Reads the learner's file at path and hands its text to parse, which
 * returns how many lines it skipped as damaged (setting *first to the
 * first), -1 when nothing in it is the caller's (the file is then moved
 * aside and the caller starts afresh) or -2 when out of memory. Returns
 * what parse returned, or 0 when there was no file to read; warn says what
 * was skipped, moved aside or could not be read, else is empty. */
int tt_store_load(const char *path, int (*parse)(void *ctx, const char *buf, size_t len,
                                                 unsigned *first),
                  void *ctx, char *warn, size_t warnlen);

#endif
