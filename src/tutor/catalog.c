/* tutor/catalog.c: the lesson catalogue, the one place that knows where
 * lessons live in the data folder and in which order they come. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "tutor/catalog.h"
#include "tutor/lesson.h"

void
tt_catalog_path(const char *datadir, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/lessons/%s.lesson", datadir, name);
}

struct tt_lesson *
tt_catalog_open(const char *path, const char *datadir, char *err, size_t errlen)
{
	struct tt_lesson *l = tt_lesson_load(path, err, errlen);

	if (l == NULL || tt_lesson_run(l, datadir, err, errlen) < 0) {
		tt_lesson_free(l);
		return NULL;
	}
	return l;
}

static int
by_order(const void *a, const void *b)
{
	const struct tt_lesson *x = *(struct tt_lesson *const *)a, *y = *(struct tt_lesson *const *)b;

	if (tt_lesson_order(x) != tt_lesson_order(y))
		return tt_lesson_order(x) < tt_lesson_order(y) ? -1 : 1;
	return strcmp(tt_lesson_name(x), tt_lesson_name(y));
}

void
tt_catalog_free(struct tt_lesson **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tt_lesson_free(v[i]);
	free(v);
}

static int
is_lesson_file(const char *name)
{
	size_t len = strlen(name);

	return len > 7 && strcmp(name + len - 7, ".lesson") == 0 && name[0] != '.';
}

int
tt_catalog_load(const char *datadir, struct tt_lesson ***out, size_t *nout, char *err,
                size_t errlen)
{
	char dir[4096], path[4400];
	struct tt_lesson **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof dir, "%s/lessons", datadir);
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, _("%s: no lessons found"), dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct tt_lesson *l;

		if (!is_lesson_file(de->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((l = tt_catalog_open(path, datadir, err, errlen)) == NULL) {
			closedir(d);
			tt_catalog_free(v, n);
			return -1;
		}
		if (TT_GROW(v, n, cap, 16) < 0) {
			tt_lesson_free(l);
			closedir(d);
			tt_catalog_free(v, n);
			snprintf(err, errlen, "%s", _("out of memory"));
			return -1;
		}
		v[n++] = l;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, by_order);
	*out = v;
	*nout = n;
	return 0;
}
