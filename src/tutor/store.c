/* tutor/store.c: the learner's small files (progress, quiz boxes).
 *
 * A file is replaced atomically: the new content goes to PATH.tmp.PID in
 * the same folder, is flushed to disk, then renamed over the old one; the
 * folder is synced after. A writer killed midway leaves its temporary file
 * behind; the next write removes those of writers that are gone (or that
 * are older than STALE_SECONDS, whoever owns the number now). A
 * read-modify-write holds PATH.lock (flock), so two tcptutors at once take
 * turns instead of overwriting each other's answers. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "i18n.h"
#include "tutor/store.h"

#define STALE_SECONDS (10 * 60)
#define LOCK_WAIT_MS 10000

/* "PATH is a directory, not a file" and the like, or 0 when path is a
 * regular file or does not exist. */
static int
not_a_file(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) == -1 || S_ISREG(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode))
		snprintf(err, errlen, _("%s is a directory, not a file"), path);
	else
		snprintf(err, errlen, _("%s is not a regular file"), path);
	return -1;
}

/* The folder of path into dir (len bytes). */
static const char *
folder_of(const char *path, char *dir, size_t len)
{
	snprintf(dir, len, "%s", path);
	return dirname(dir);
}

/* Says that nothing can be written next to path. */
static void
cannot_write(const char *path, int e, char *err, size_t errlen)
{
	char dir[4096];

	snprintf(err, errlen,
	         _("cannot write in %s: %s"), folder_of(path, dir, sizeof dir), strerror(e));
}

/* Removes BASE.tmp.PID files of writers that are gone (kill(PID, 0) says
 * no such process) or that were last written STALE_SECONDS ago. Our own
 * number and anything not named exactly so are left alone. */
static void
remove_stale(const char *path)
{
	char dir[4096], base[4096], full[8300];
	const char *b;
	size_t blen;
	DIR *d;
	struct dirent *de;
	time_t now = time(NULL);

	snprintf(base, sizeof base, "%s", path);
	b = basename(base);
	blen = strlen(b);
	if ((d = opendir(folder_of(path, dir, sizeof dir))) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *num = de->d_name + blen + 5;
		char *end;
		long pid;
		struct stat st;

		if (strncmp(de->d_name, b, blen) != 0 || strncmp(de->d_name + blen, ".tmp.", 5) != 0 ||
		    *num < '1' || *num > '9')
			continue;
		errno = 0;
		pid = strtol(num, &end, 10);
		if (*end != '\0' || errno != 0 || pid <= 0 || pid == (long)getpid())
			continue;
		snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
		if (lstat(full, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if ((kill((pid_t)pid, 0) == -1 && errno == ESRCH) || now - st.st_mtime > STALE_SECONDS)
			unlink(full);
	}
	closedir(d);
}

int
tt_store_write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	const char *p = data;
	int fd, dfd;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp) {
		snprintf(err, errlen, _("%s: path too long"), path);
		return -1;
	}
	if (not_a_file(path, err, errlen) == -1)
		return -1;
	remove_stale(path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EACCES || errno == EROFS || errno == EPERM)
			cannot_write(path, errno, err, errlen);
		else
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", tmp, strerror(n == 0 ? EIO : errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	dfd = open(folder_of(path, dir, sizeof dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

char *
tt_store_read(const char *path, size_t *len, int *missing, char *err, size_t errlen)
{
	char *buf;
	struct stat st;
	FILE *f;
	int fd;

	*missing = 0;
	/* O_NONBLOCK: a FIFO in the way must not hang us before fstat(). */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		*missing = errno == ENOENT;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (not_a_file(path, err, errlen) == 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	buf = tt_read_stream(f, SIZE_MAX, len);
	if (buf == NULL && errno == ENOMEM)
		snprintf(err, errlen, _("%s: out of memory"), path);
	else if (buf == NULL)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	fclose(f);
	return buf;
}

int
tt_store_lock(const char *path, char *err, size_t errlen)
{
	char lock[4096];
	int fd;

	if ((size_t)snprintf(lock, sizeof lock, "%s.lock", path) >= sizeof lock) {
		snprintf(err, errlen, _("%s: path too long"), path);
		return -1;
	}
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		int e = errno;

		fd = open(lock, O_RDONLY | O_CLOEXEC);  /* flock() needs no write access */
		if (fd == -1) {
			cannot_write(path, e, err, errlen);
			return -1;
		}
	}
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", lock, strerror(errno));
		return -1;
	}
	/* Holders keep it for a read and a write; waiting long means a stuck one. */
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) == -1; waited += 10) {
		struct timespec ts = { 0, 10 * 1000000L };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "%s: %s", lock, strerror(errno));
			close(fd);
			return -1;
		}
		if (waited >= LOCK_WAIT_MS) {
			snprintf(err, errlen,
			         _("%s: another tcptutor has held its lock for %d seconds"),
			         path, LOCK_WAIT_MS / 1000);
			close(fd);
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return fd;
}

void
tt_store_unlock(int fd)
{
	if (fd >= 0)
		close(fd);          /* closing drops the flock */
}

int
tt_store_quarantine(const char *path, char *moved_to, size_t len, char *err, size_t errlen)
{
	struct stat st;

	for (int i = 1; i < 1000; i++) {
		snprintf(moved_to, len, "%s.corrupt-%d", path, i);
		if (stat(moved_to, &st) == -1 && errno == ENOENT) {
			if (rename(path, moved_to) == -1) {
				snprintf(err, errlen, "%s: %s", path, strerror(errno));
				return -1;
			}
			return 0;
		}
	}
	snprintf(err, errlen, _("%s: too many corrupt copies already"), path);
	return -1;
}

int
tt_store_load(const char *path, int (*parse)(void *ctx, const char *buf, size_t len,
                                             unsigned *first),
              void *ctx, char *warn, size_t warnlen)
{
	char err[512], moved[4200];
	size_t len;
	int missing = 0, bad;
	unsigned first = 0;
	char *buf;

	if (warnlen > 0)
		warn[0] = '\0';
	buf = tt_store_read(path, &len, &missing, err, sizeof err);
	if (buf == NULL) {
		if (!missing)
			snprintf(warn, warnlen, "%s", err);
		return 0;
	}
	bad = parse(ctx, buf, len, &first);
	free(buf);
	if (bad > 0) {
		char what[256];

		/* FILE:LINE: as it is, the message in the user's language */
		if (bad == 1)
			snprintf(what, sizeof what, "%s",
			         _("1 damaged line skipped; every other record kept"));
		else
			snprintf(what, sizeof what,
			         _("%d damaged lines skipped; every other record kept"), bad);
		snprintf(warn, warnlen, "%s:%u: %s", path, first, what);
	} else if (bad == -1) {
		if (tt_store_quarantine(path, moved, sizeof moved, err, sizeof err) == 0)
			snprintf(warn, warnlen,
			         _("%s: corrupt progress file moved to %s; starting afresh"),
			         path, moved);
		else
			snprintf(warn, warnlen, _("%s: corrupt progress file ignored (%s)"), path, err);
	}
	return bad;
}

int
tt_store_update(const char *path, int fresh,
                int (*merge)(void *ctx, const char *buf, size_t len, char **out, size_t *outlen,
                             char *err, size_t errlen),
                void *ctx, char *err, size_t errlen)
{
	char *buf = NULL, *out = NULL;
	size_t len = 0, outlen = 0;
	int lock, missing = 1, rc = -1;

	if ((lock = tt_store_lock(path, err, errlen)) == -1)
		return -1;
	/* what the file holds now: another sitting may have saved since */
	if (!fresh && (buf = tt_store_read(path, &len, &missing, err, errlen)) == NULL && !missing) {
		tt_store_unlock(lock);
		return -1;
	}
	if (merge(ctx, buf, len, &out, &outlen, err, errlen) == 0)
		rc = tt_store_write(path, out, outlen, err, errlen);
	tt_store_unlock(lock);
	free(buf);
	free(out);
	return rc;
}

int
tt_store_line(const char *buf, size_t len, size_t *at, char *l, size_t lsize)
{
	const char *s = buf + *at, *nl = memchr(s, '\n', len - *at);
	size_t n = nl ? (size_t)(nl - s) : len - *at;

	*at += n + (nl != NULL);
	if (n >= lsize)
		return -1;
	memcpy(l, s, n);
	if (n > 0 && l[n - 1] == '\r')
		n--;
	l[n] = '\0';
	return (int)n;
}
