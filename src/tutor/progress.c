/* tutor/progress.c: the learner's lesson progress file.
 *
 * Format (line-oriented, LF or CRLF, written whole and replaced atomically):
 *     tcptutor-progress 1
 *     lesson NAME finished=N best=C last=C of=T
 * Each line stands alone: a damaged one is skipped (and reported once), the
 * others are kept, so one bad byte costs one lesson's record, never all of
 * them. A file with nothing of ours in it is moved aside. A save takes the
 * file's lock, reads what is there now, replays the runs finished since the
 * last save onto it and writes that, so two lessons at once keep both. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "i18n.h"
#include "tutor/progress.h"
#include "tutor/store.h"

#define PROGRESS_MAGIC "tcptutor-progress 1"
#define PROGRESS_FAMILY "tcptutor-progress "

struct entry {
	char name[64];
	struct tt_lesson_progress_record r;
};

struct finish {              /* a finished run not saved yet */
	char name[64];
	unsigned correct, of;
};

struct tt_lesson_progress {
	char path[4096];
	struct entry *e;
	size_t n, cap;
	struct finish *pend;
	size_t npend, cappend;
};

static struct entry *
find(const struct tt_lesson_progress *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->e[i].name, name) == 0)
			return &p->e[i];
	return NULL;
}

static struct entry *
add(struct tt_lesson_progress *p, const char *name)
{
	struct entry *e = find(p, name);

	if (e != NULL)
		return e;
	if (strlen(name) >= sizeof e->name)
		return NULL;
	if (TT_GROW(p->e, p->n, p->cap, 16) < 0)
		return NULL;
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

/* One line (without CR LF): 1 a good record or the header, 0 damaged, -1
 * the header of another version (not ours to read), -2 out of memory. */
static int
parse_line(struct tt_lesson_progress *p, const char *line, int *magic)
{
	char name[64];
	unsigned f, b, l, o;
	int used = 0;
	struct entry *e;

	if (strcmp(line, PROGRESS_MAGIC) == 0 && !*magic) {
		*magic = 1;
		return 1;
	}
	if (strncmp(line, PROGRESS_FAMILY, strlen(PROGRESS_FAMILY)) == 0 && !*magic && p->n == 0)
		return -1;
	if (sscanf(line, "lesson %63s finished=%u best=%u last=%u of=%u%n", name, &f, &b, &l, &o,
	           &used) != 5 || line[used] != '\0')
		return 0;
	if (!valid_name(name) || b > o || l > o || find(p, name) != NULL)
		return 0;
	if ((e = add(p, name)) == NULL)
		return -2;
	e->r.finished = f;
	e->r.best = b;
	e->r.last = l;
	e->r.of = o;
	return 1;
}

/* Reads a file's text into p: the number of damaged lines (*first the
 * first of them), or -1 when nothing in it is lesson progress, -2 when out
 * of memory. */
static int
parse(struct tt_lesson_progress *p, const char *buf, size_t len, unsigned *first)
{
	size_t at = 0;
	unsigned line = 0;
	int magic = 0, bad = 0;

	p->n = 0;
	p->npend = 0;
	while (at < len) {
		char l[256];
		int n = tt_store_line(buf, len, &at, l, sizeof l), rc = 0;

		line++;
		if (n == 0)
			rc = 1;         /* a blank line harms nothing */
		else if (n > 0 && memchr(l, '\0', (size_t)n) == NULL)
			rc = parse_line(p, l, &magic);
		if (rc == -1 || rc == -2)
			return rc;
		if (rc == 0 && bad++ == 0)
			*first = line;
	}
	if (!magic && p->n == 0)
		return -1;
	if (!magic && bad == 0) {  /* the header line is gone: nothing else is lost */
		bad = 1;
		*first = 1;
	}
	return bad;
}

static int
parse_into(void *ctx, const char *buf, size_t len, unsigned *first)
{
	return parse(ctx, buf, len, first);
}

struct tt_lesson_progress *
tt_lesson_progress_load(const char *dir, char *warn, size_t warnlen)
{
	struct tt_lesson_progress *p = calloc(1, sizeof *p);
	int bad;

	if (warnlen > 0)
		warn[0] = '\0';
	if (p == NULL)
		return NULL;
	snprintf(p->path, sizeof p->path, "%s/progress", dir);
	bad = tt_store_load(p->path, parse_into, p, warn, warnlen);
	if (bad == -2) {
		tt_lesson_progress_free(p);
		return NULL;
	}
	if (bad == -1)
		p->n = 0;
	return p;
}

void
tt_lesson_progress_free(struct tt_lesson_progress *p)
{
	if (p == NULL)
		return;
	free(p->e);
	free(p->pend);
	free(p);
}

int
tt_lesson_progress_get(const struct tt_lesson_progress *p, const char *name, struct tt_lesson_progress_record *r)
{
	const struct entry *e = find(p, name);

	memset(r, 0, sizeof *r);
	if (e == NULL)
		return 0;
	*r = e->r;
	return 1;
}

static void
apply_finish(struct tt_lesson_progress_record *r, unsigned correct, unsigned of)
{
	r->finished++;
	r->last = correct;
	if (r->of != of)        /* the lesson changed: the old best no longer compares */
		r->best = 0;
	r->of = of;
	if (correct > r->best)
		r->best = correct;
}

int
tt_lesson_progress_finish(struct tt_lesson_progress *p, const char *name, unsigned correct, unsigned of)
{
	struct entry *e;
	struct finish *f;

	if (!valid_name(name) || correct > of)
		return -1;
	if (TT_GROW(p->pend, p->npend, p->cappend, 8) < 0)
		return -1;
	if ((e = add(p, name)) == NULL)
		return -1;
	apply_finish(&e->r, correct, of);
	f = &p->pend[p->npend++];
	snprintf(f->name, sizeof f->name, "%s", name);
	f->correct = correct;
	f->of = of;
	return 0;
}

size_t
tt_lesson_progress_nfinished(const struct tt_lesson_progress *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->e[i].r.finished > 0;
	return n;
}

/* d (the file as it is now) gets p's unsaved runs; lessons the file does not
 * know come from p as they are (they already hold p's runs). */
static int
merge_into(struct tt_lesson_progress *d, const struct tt_lesson_progress *p)
{
	size_t ondisk = d->n;

	for (size_t i = 0; i < p->npend; i++) {
		struct entry *e = find(d, p->pend[i].name);

		if (e != NULL && (size_t)(e - d->e) < ondisk)
			apply_finish(&e->r, p->pend[i].correct, p->pend[i].of);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct entry *e;

		if (find(d, p->e[i].name) != NULL)
			continue;
		if ((e = add(d, p->e[i].name)) == NULL)
			return -1;
		e->r = p->e[i].r;
	}
	return 0;
}

static char *
format(const struct tt_lesson_progress *p, size_t *len)
{
	size_t cap = 64 + p->n * 128, at = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	at += (size_t)snprintf(buf + at, cap - at, "%s\n", PROGRESS_MAGIC);
	for (size_t i = 0; i < p->n; i++) {
		const struct entry *e = &p->e[i];

		at += (size_t)snprintf(buf + at, cap - at, "lesson %s finished=%u best=%u last=%u of=%u\n",
		                       e->name, e->r.finished, e->r.best, e->r.last, e->r.of);
	}
	*len = at;
	return buf;
}

struct save {
	struct tt_lesson_progress *d;     /* the file as it is now, then merged */
	const struct tt_lesson_progress *p;
};

/* tt_store_update(): what the file holds now (a missing file is empty),
 * plus p's unsaved runs, as the new text. */
static int
save_merge(void *ctx, const char *buf, size_t len, char **out, size_t *outlen, char *err,
           size_t errlen)
{
	struct save *sv = ctx;
	unsigned first;
	int rc = buf != NULL ? parse(sv->d, buf, len, &first) : 0;

	if (rc == -1) {
		snprintf(err, errlen, _("%s: not a progress file any more; left as it is"), sv->p->path);
		return -1;
	}
	if (rc == -2) {
		snprintf(err, errlen, _("%s: out of memory"), sv->p->path);
		return -1;
	}
	if (merge_into(sv->d, sv->p) == -1 || (*out = format(sv->d, outlen)) == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

int
tt_lesson_progress_save(struct tt_lesson_progress *p, char *err, size_t errlen)
{
	struct tt_lesson_progress *d = calloc(1, sizeof *d);
	struct save sv = { d, p };
	int rc;

	if (d == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	rc = tt_store_update(p->path, 0, save_merge, &sv, err, errlen);
	if (rc == 0) {          /* p becomes what the file holds now */
		struct entry *old = p->e;

		p->e = d->e;
		p->n = d->n;
		p->cap = d->cap;
		p->npend = 0;
		d->e = old;
	}
	free(d->e);
	free(d->pend);
	free(d);
	return rc;
}
