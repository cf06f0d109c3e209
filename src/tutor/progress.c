/* tutor/progress.c: the learner's lesson progress file.
 *
 * Format (line-oriented, written whole and replaced atomically):
 *     tcptutor-progress 1
 *     lesson NAME finished=N best=C last=C of=T
 * Anything else makes the file corrupt: it is moved aside, never trusted in
 * part, so a damaged file cannot turn into a wrong score. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/progress.h"
#include "tutor/store.h"

#define PROGRESS_MAGIC "tcptutor-progress 1"

struct entry {
	char name[64];
	struct lesson_record r;
};

struct lesson_progress {
	char path[4096];
	struct entry *e;
	size_t n, cap;
};

static struct entry *
find(const struct lesson_progress *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->e[i].name, name) == 0)
			return &p->e[i];
	return NULL;
}

static struct entry *
add(struct lesson_progress *p, const char *name)
{
	struct entry *e = find(p, name);

	if (e != NULL)
		return e;
	if (strlen(name) >= sizeof e->name)
		return NULL;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct entry *ne = realloc(p->e, cap * sizeof *ne);

		if (ne == NULL)
			return NULL;
		p->e = ne;
		p->cap = cap;
	}
	e = &p->e[p->n++];
	memset(e, 0, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", name);
	return e;
}

static int
valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* 0 when the whole buffer is a good progress file. */
static int
parse(struct lesson_progress *p, char *buf)
{
	char *save = NULL, *line;
	int first = 1;

	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned f, b, l, o;
		int used = 0;
		struct entry *e;

		if (first) {
			if (strcmp(line, PROGRESS_MAGIC) != 0)
				return -1;
			first = 0;
			continue;
		}
		if (sscanf(line, "lesson %63s finished=%u best=%u last=%u of=%u%n", name, &f, &b, &l,
		           &o, &used) != 5 || line[used] != '\0')
			return -1;
		if (!valid_name(name) || b > o || l > o || find(p, name) != NULL)
			return -1;
		if ((e = add(p, name)) == NULL)
			return -1;
		e->r.finished = f;
		e->r.best = b;
		e->r.last = l;
		e->r.of = o;
	}
	return first ? -1 : 0;
}

struct lesson_progress *
lesson_progress_load(const char *dir, char *warn, size_t warnlen)
{
	struct lesson_progress *p = calloc(1, sizeof *p);
	char err[512], moved[4200];
	size_t len;
	int missing = 0;
	char *buf;

	if (warnlen > 0)
		warn[0] = '\0';
	if (p == NULL)
		return NULL;
	snprintf(p->path, sizeof p->path, "%s/progress", dir);
	buf = tt_store_read(p->path, &len, &missing, err, sizeof err);
	if (buf == NULL) {
		if (!missing)
			snprintf(warn, warnlen, "%s", err);
		return p;
	}
	if (memchr(buf, '\0', len) != NULL || parse(p, buf) < 0) {
		p->n = 0;
		if (tt_store_quarantine(p->path, moved, sizeof moved, err, sizeof err) == 0)
			snprintf(warn, warnlen, "%s: corrupt progress file moved to %s; starting afresh",
			         p->path, moved);
		else
			snprintf(warn, warnlen, "%s: corrupt progress file ignored (%s)", p->path, err);
	}
	free(buf);
	return p;
}

void
lesson_progress_free(struct lesson_progress *p)
{
	if (p == NULL)
		return;
	free(p->e);
	free(p);
}

int
lesson_progress_get(const struct lesson_progress *p, const char *name, struct lesson_record *r)
{
	const struct entry *e = find(p, name);

	memset(r, 0, sizeof *r);
	if (e == NULL)
		return 0;
	*r = e->r;
	return 1;
}

int
lesson_progress_finish(struct lesson_progress *p, const char *name, unsigned correct, unsigned of)
{
	struct entry *e;

	if (!valid_name(name) || correct > of)
		return -1;
	if ((e = add(p, name)) == NULL)
		return -1;
	e->r.finished++;
	e->r.last = correct;
	if (e->r.of != of)      /* the lesson changed: the old best no longer compares */
		e->r.best = 0;
	e->r.of = of;
	if (correct > e->r.best)
		e->r.best = correct;
	return 0;
}

size_t
lesson_progress_nfinished(const struct lesson_progress *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->e[i].r.finished > 0;
	return n;
}

int
lesson_progress_save(const struct lesson_progress *p, char *err, size_t errlen)
{
	size_t cap = 64 + p->n * 128, at = 0;
	char *buf = malloc(cap);
	int rc;

	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	at += (size_t)snprintf(buf + at, cap - at, "%s\n", PROGRESS_MAGIC);
	for (size_t i = 0; i < p->n; i++) {
		const struct entry *e = &p->e[i];

		at += (size_t)snprintf(buf + at, cap - at, "lesson %s finished=%u best=%u last=%u of=%u\n",
		                       e->name, e->r.finished, e->r.best, e->r.last, e->r.of);
	}
	rc = tt_store_write(p->path, buf, at, err, errlen);
	free(buf);
	return rc;
}
