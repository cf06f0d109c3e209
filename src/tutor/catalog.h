/* tutor/catalog.h: the lessons of the data folder (DATADIR/lessons/
 * NAME.lesson), found, loaded and run in one place for every command that
 * lists or opens them. Nothing here prints. */
#ifndef TT_CATALOG_H
#define TT_CATALOG_H

#include <stddef.h>

struct tt_lesson;

/* The file of the lesson called name: DATADIR/lessons/NAME.lesson. */
void tt_catalog_path(const char *datadir, const char *name, char *buf, size_t len);
/* Loads the lesson file at path and runs it (its capture and scenarios are
 * found from datadir); NULL with the message in err. */
struct tt_lesson *tt_catalog_open(const char *path, const char *datadir, char *err, size_t errlen);
/* Every lesson of DATADIR/lessons, run, in their order (then by name):
 * 0 with *out (free with tt_catalog_free) and *n, or -1 with the message
 * in err (the folder, a lesson that does not load, out of memory). */
int tt_catalog_load(const char *datadir, struct tt_lesson ***out, size_t *n, char *err,
                    size_t errlen);
void tt_catalog_free(struct tt_lesson **v, size_t n);

#endif
