/* tutor/leitner.c: the quiz's Leitner boxes and its progress file.
 * Library code: never prints. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "tutor/leitner.h"
#include "tutor/store.h"

/* Every answer is applied to the boxes in memory and also kept in a list of
 * answers not yet saved. A save takes the file's lock, reads what is there
 * now (another sitting may have saved meanwhile), replays the unsaved
 * answers onto it, writes the result and adopts it; so two sittings at once
 * keep every answer. A damaged line costs only itself. */

struct prec {
	char id[48];
	unsigned line;           /* while parsing: where it was read */
	struct tt_leitner_record r;
};

struct panswer {             /* an answer not saved yet */
	char id[48];
	unsigned session;
	int right;
};

struct tt_leitner {
	unsigned session;
	struct prec *rec;
	size_t n, cap;
	struct panswer *pend;
	size_t npend, cappend;
};

#define PROGRESS_MAGIC "tcptutor-quiz-progress 1"
#define PROGRESS_FAMILY "tcptutor-quiz-progress "

struct tt_leitner *
tt_leitner_new(void)
{
	return calloc(1, sizeof(struct tt_leitner));
}

void
tt_leitner_free(struct tt_leitner *p)
{
	if (p == NULL)
		return;
	free(p->rec);
	free(p->pend);
	free(p);
}

unsigned
tt_leitner_session(const struct tt_leitner *p)
{
	return p->session;
}

void
tt_leitner_begin_session(struct tt_leitner *p)
{
	p->session++;
}

size_t
tt_leitner_count(const struct tt_leitner *p)
{
	return p->n;
}

static struct prec *
prec_find(const struct tt_leitner *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->rec[i].id, id) == 0)
			return &p->rec[i];
	return NULL;
}

static struct prec *
prec_add(struct tt_leitner *p, const char *id)
{
	if (TT_GROW(p->rec, p->n, p->cap, 64) < 0)
		return NULL;
	memset(&p->rec[p->n], 0, sizeof p->rec[p->n]);
	snprintf(p->rec[p->n].id, sizeof p->rec[p->n].id, "%s", id);
	p->rec[p->n].r.box = 1;
	return &p->rec[p->n++];
}

struct tt_leitner_record
tt_leitner_get(const struct tt_leitner *p, const char *id)
{
	struct prec *r = prec_find(p, id);
	struct tt_leitner_record none = { 1, 0, 0, 0 };

	return r != NULL ? r->r : none;
}

static void
apply_answer(struct tt_leitner_record *r, int right, unsigned session)
{
	r->asked++;
	if (right) {
		r->right++;
		if (r->box < TT_LEITNER_BOXES)
			r->box++;
	} else {
		r->box = 1;
	}
	r->last_session = session;
}

int
tt_leitner_answer(struct tt_leitner *p, const char *id, int right)
{
	struct prec *r = prec_find(p, id);
	struct panswer *a;

	if (TT_GROW(p->pend, p->npend, p->cappend, 16) < 0)
		return -1;
	if (r == NULL && (r = prec_add(p, id)) == NULL)
		return -1;
	apply_answer(&r->r, right, p->session);
	a = &p->pend[p->npend++];
	snprintf(a->id, sizeof a->id, "%s", id);
	a->session = p->session;
	a->right = right != 0;
	return 0;
}

int
tt_leitner_due(const struct tt_leitner_record *r, unsigned session)
{
	if (r->last_session == 0)
		return 1;
	return session - r->last_session >= (1u << (r->box - 1));
}

struct pparse {
	struct tt_leitner *p;
	unsigned bad, first_line, first_text;  /* first_text: the first line not blank */
	char first[96];
	int have_magic, have_session, have_end;
};

static void
damaged(struct pparse *ps, unsigned line, const char *why)
{
	if (ps->bad++ == 0) {
		ps->first_line = line;
		snprintf(ps->first, sizeof ps->first, "%s", why);
	}
}

/* One line (CR and LF gone). Returns -1 when the file is not ours to read:
 * another version of the format. */
static int
parse_progress_line(struct pparse *ps, const char *l, unsigned line)
{
	char id[64];
	unsigned a, b, c, d;
	int used = 0;
	struct prec *r;

	if (l[0] == '#' || l[0] == '\0')
		return 0;
	if (ps->first_text == 0)
		ps->first_text = line;
	if (strcmp(l, PROGRESS_MAGIC) == 0 && !ps->have_magic) {
		ps->have_magic = 1;
	} else if (strncmp(l, PROGRESS_FAMILY, strlen(PROGRESS_FAMILY)) == 0 && !ps->have_magic &&
	           ps->p->n == 0) {
		return -1;
	} else if (sscanf(l, "session %u %n", &a, &used) == 1 && l[used] == '\0') {
		if (ps->have_session)
			damaged(ps, line, "a second session line");
		else
			ps->p->session = a;
		ps->have_session = 1;
	} else if (sscanf(l, "q %47s %u %u %u %u %n", id, &a, &b, &c, &d, &used) == 5 &&
	           l[used] == '\0') {
		if (a < 1 || a > TT_LEITNER_BOXES || d > c) {
			damaged(ps, line, "impossible record");
		} else if (prec_find(ps->p, id) != NULL) {
			damaged(ps, line, "recorded twice");
		} else if ((r = prec_add(ps->p, id)) == NULL) {
			return -2;
		} else {
			r->line = line;
			r->r.box = a;
			r->r.last_session = b;
			r->r.asked = c;
			r->r.right = d;
		}
	} else if (strcmp(l, "end") == 0) {
		ps->have_end = 1;
	} else {
		damaged(ps, line, "not a progress line");
	}
	return 0;
}

/* After the last line: records from a session still to come are damaged
 * (the session line, if it is the damaged one, is rebuilt from them). */
static void
parse_progress_end(struct pparse *ps, unsigned lines)
{
	struct tt_leitner *p = ps->p;
	size_t k = 0;

	if (!ps->have_session) {
		for (size_t i = 0; i < p->n; i++)
			if (p->rec[i].r.last_session > p->session)
				p->session = p->rec[i].r.last_session;
		if (p->n > 0)
			damaged(ps, lines, "no session line");
	}
	for (size_t i = 0; i < p->n; i++) {
		if (p->rec[i].r.last_session > p->session)
			damaged(ps, p->rec[i].line, "impossible record");
		else
			p->rec[k++] = p->rec[i];
	}
	p->n = k;
	if (!ps->have_magic && ps->bad == 0)
		damaged(ps, 1, "not a tcptutor quiz progress file");
	if (!ps->have_end)
		damaged(ps, lines, "no end line (the file was cut short)");
}

int
tt_leitner_parse(struct tt_leitner *p, const char *buf, size_t len, char *err, size_t errlen)
{
	struct pparse ps;
	size_t at = 0;
	unsigned line = 0;

	memset(&ps, 0, sizeof ps);
	ps.p = p;
	p->n = 0;
	p->npend = 0;
	p->session = 0;
	while (at < len) {
		char l[256];
		int n = tt_store_line(buf, len, &at, l, sizeof l), rc;

		line++;
		if (n < 0 || memchr(l, '\0', (size_t)n) != NULL) {
			damaged(&ps, line, "not a progress line");
			continue;
		}
		if ((rc = parse_progress_line(&ps, l, line)) == -2) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (rc == -1) {
			snprintf(err, errlen, "line %u: a progress file of another version", line);
			p->n = 0;
			return -1;
		}
	}
	if (!ps.have_magic && p->n == 0 && !ps.have_session) {
		if (ps.first_text == 0)
			snprintf(err, errlen, "empty");
		else
			snprintf(err, errlen, "line %u: not a tcptutor quiz progress file", ps.first_text);
		return -1;
	}
	parse_progress_end(&ps, line);
	if (ps.bad == 1)
		snprintf(err, errlen, "line %u: %s", ps.first_line, ps.first);
	else if (ps.bad > 1)
		snprintf(err, errlen, "line %u: %s (and %u more damaged line%s)", ps.first_line,
		         ps.first, ps.bad - 1, ps.bad == 2 ? "" : "s");
	return (int)ps.bad;
}

char *
tt_leitner_format(const struct tt_leitner *p, size_t *len)
{
	size_t cap = 160 + p->n * 96, at = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	at += (size_t)snprintf(buf + at, cap - at,
	                       "# tcptutor quiz progress: Leitner box, last session, asked, right\n"
	                       PROGRESS_MAGIC "\nsession %u\n", p->session);
	for (size_t i = 0; i < p->n; i++)
		at += (size_t)snprintf(buf + at, cap - at, "q %s %u %u %u %u\n", p->rec[i].id,
		                       p->rec[i].r.box, p->rec[i].r.last_session, p->rec[i].r.asked,
		                       p->rec[i].r.right);
	at += (size_t)snprintf(buf + at, cap - at, "end\n");
	*len = at;
	return buf;
}

/* What is in the file now, plus p's unsaved answers; records the file does
 * not have come from p as they are (they already hold p's answers). */
static int
merge_into(struct tt_leitner *d, const struct tt_leitner *p)
{
	size_t ondisk = d->n;

	if (p->session > d->session)
		d->session = p->session;
	for (size_t i = 0; i < p->npend; i++) {
		struct prec *r = prec_find(d, p->pend[i].id);

		if (r != NULL && (size_t)(r - d->rec) < ondisk)
			apply_answer(&r->r, p->pend[i].right, p->pend[i].session);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct prec *r;

		if (prec_find(d, p->rec[i].id) != NULL)
			continue;
		if ((r = prec_add(d, p->rec[i].id)) == NULL)
			return -1;
		r->r = p->rec[i].r;
	}
	return 0;
}

struct save {
	struct tt_leitner *d;         /* the file as it is now, then merged */
	const struct tt_leitner *p;
	const char *path;
};

/* tt_store_update(): what the file holds now (a missing file is empty
 * progress), plus p's unsaved answers, as the new text. */
static int
save_merge(void *ctx, const char *buf, size_t len, char **out, size_t *outlen, char *err,
           size_t errlen)
{
	struct save *sv = ctx;
	char why[160];

	if (buf != NULL && tt_leitner_parse(sv->d, buf, len, why, sizeof why) == -1) {
		snprintf(err, errlen, "%s: %s; left as it is", sv->path, why);
		return -1;
	}
	if (merge_into(sv->d, sv->p) == -1 || (*out = tt_leitner_format(sv->d, outlen)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", sv->path);
		return -1;
	}
	return 0;
}

int
tt_leitner_save(struct tt_leitner *p, const char *path, char *err, size_t errlen)
{
	struct save sv = { tt_leitner_new(), p, path };
	struct tt_leitner *d = sv.d;
	int rc;

	if (d == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	rc = tt_store_update(path, 0, save_merge, &sv, err, errlen);
	if (rc == 0) {          /* p becomes what the file holds now */
		struct prec *old = p->rec;

		p->rec = d->rec;
		p->n = d->n;
		p->cap = d->cap;
		p->session = d->session;
		p->npend = 0;
		d->rec = old;
	}
	tt_leitner_free(d);
	return rc;
}

struct tt_leitner *
tt_leitner_load(const char *path, char *warn, size_t warnlen, char *moved_to, size_t movedlen,
                 char *err, size_t errlen)
{
	struct tt_leitner *p = tt_leitner_new();
	size_t len;
	int missing, bad;
	char *buf, why[200], moved[4096];

	warn[0] = '\0';
	moved_to[0] = '\0';
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	buf = tt_store_read(path, &len, &missing, err, errlen);
	if (buf == NULL) {
		if (missing)
			return p;
		tt_leitner_free(p);
		return NULL;
	}
	bad = tt_leitner_parse(p, buf, len, why, sizeof why);
	free(buf);
	if (bad > 0) {          /* kept what could be read; the next save is clean */
		snprintf(warn, warnlen, "%s: %s", path, why);
	} else if (bad == -1) {
		p->n = 0;
		p->session = 0;
		if (tt_store_quarantine(path, moved, sizeof moved, err, errlen) == -1) {
			tt_leitner_free(p);
			return NULL;
		}
		snprintf(warn, warnlen, "%s: %s", path, why);
		snprintf(moved_to, movedlen, "%s", moved);
	}
	return p;
}

