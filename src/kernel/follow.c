/* kernel/follow.c: following a command's connections (kn_follow,
 * kn_followed of kernel.h): its processes by their parents in /proc, their
 * sockets by inode against a sock_diag dump, the tracepoint's tasks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "engine/tcp.h"
#include "kernel/kn.h"

#ifdef __linux__
#include <dirent.h>
#include <unistd.h>

/* A connect() seen before its port was chosen is followed by its SYN at
 * once: a stream that opened before it (beyond what the trace clock and
 * the capture's time stamps can differ) or a second after it is not its.
 * (Its next transition names the port, and decides by the whole 4-tuple
 * wherever this window is too narrow.) */
#define CONNECT_SLACK 2000000           /* ns */
#define CONNECT_WINDOW 1000000000       /* ns */

static int
followed_pid(const struct kn *k, pid_t p)
{
	for (size_t i = 0; i < k->npids; i++)
		if (k->pids[i] == p)
			return 1;
	return 0;
}

/* The parent of process p, or -1. */
static pid_t
parent_of(pid_t p)
{
	char path[64], buf[512], *q;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)p);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	q = strrchr(buf, ')');
	if (q == NULL)
		return -1;
	/* ") S PPID ..." */
	return (pid_t)atol(q + 4);
}

/* Adds the socket inodes of process p's descriptors. */
static void
add_inodes(struct kn *k, pid_t p, size_t *cap)
{
	char path[64], link[96], target[64];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof path, "/proc/%ld/fd", (long)p);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof link, "%s/%.16s", path, e->d_name);
		n = readlink(link, target, sizeof target - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, "socket:[", 8) != 0)
			continue;
		if (tt_grow(&k->inodes, cap, k->ninodes + 1, sizeof *k->inodes, 64) < 0)
			break;
		k->inodes[k->ninodes++] = (uint32_t)strtoul(target + 8, NULL, 10);
	}
	closedir(d);
}

void
kn_follow(struct kn *k, pid_t pid)
{
	DIR *d;
	struct dirent *e;
	size_t cap = 0;

	if (k == NULL)
		return;
	if (pid > 0) {
		k->root_pid = pid;
		if (!followed_pid(k, pid) && k->npids < KN_PIDS)
			k->pids[k->npids++] = pid;
	}
	/* descendants: any process whose parent chain reaches a followed one */
	if ((d = opendir("/proc")) != NULL) {
		while ((e = readdir(d)) != NULL) {
			pid_t p = (pid_t)atol(e->d_name), q;
			int depth = 0;

			if (p <= 0 || followed_pid(k, p))
				continue;
			for (q = parent_of(p); q > 1 && depth < 32; q = parent_of(q), depth++)
				if (followed_pid(k, q)) {
					if (k->npids < KN_PIDS)
						k->pids[k->npids++] = p;
					break;
				}
		}
		closedir(d);
	}
	/* their sockets, by inode, against the last dump */
	k->ninodes = 0;
	for (size_t i = 0; i < k->npids; i++)
		add_inodes(k, k->pids[i], &cap);
	if (k->src == KN_TRACE)
		kn_diag_poll(k, 0, 0);    /* the tracepoint's records are enough */
	for (size_t i = 0; i < k->nsocks; i++)
		for (size_t j = 0; j < k->ninodes; j++)
			if (k->socks[i].inode != 0 && k->socks[i].inode == k->inodes[j] &&
			    k->nmine < KN_SOCKS) {
				k->mine[k->nmine++] = k->socks[i];
				break;
			}
}

int
kn_followed(struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
            uint16_t pport, int64_t opened)
{
	int l = kn_alen(ipver);

	if (k == NULL)
		return 0;
	/* what a followed process did itself, by the tracepoint's task (also
	 * when it was found to be followed only after the record came) */
	for (size_t i = 0; i < k->n; i++) {
		const struct kn_rec *r = kn_rec_back(k, i);

		if (r->pid <= 0 || r->ipver != ipver || !followed_pid(k, r->pid))
			continue;
		for (int side = 0; side < 2; side++) {
			const uint8_t *a = side ? peer : addr, *b = side ? addr : peer;
			uint16_t ap = side ? pport : port, bp = side ? port : pport;

			if (r->ap == ap && r->bp == bp && memcmp(r->b, b, l) == 0 &&
			    memcmp(r->a, a, l) == 0)
				return 1;
			/* Linux enters SYN-SENT before it picks the local port:
			 * such a record is the connection whose SYN follows it, not
			 * one to the same peer that began before it (another
			 * process's) or long after */
			if (r->ap == 0 && r->bp == bp && memcmp(r->b, b, l) == 0 &&
			    opened >= r->t - CONNECT_SLACK && opened - r->t <= CONNECT_WINDOW)
				return 1;
			if (r->bp == 0 && r->ap == ap && r->new == TT_LISTEN)
				return 1;
		}
	}
	for (int side = 0; side < 2; side++) {
		const uint8_t *a = side ? peer : addr, *b = side ? addr : peer;
		uint16_t ap = side ? pport : port, bp = side ? port : pport;

		for (size_t i = 0; i < k->nmine; i++) {
			const struct kn_sock *s = &k->mine[i];

			if (s->ipver != ipver)
				continue;
			/* a connection of theirs, a connect() before its port was
			 * chosen, or a listener of theirs */
			if (s->ap == ap && s->bp == bp && memcmp(s->a, a, l) == 0 && memcmp(s->b, b, l) == 0)
				return 1;
			if (s->ap == 0 && s->bp == bp && memcmp(s->b, b, l) == 0)
				return 1;
			if (s->bp == 0 && s->ap == ap && kn_is_any(ipver, s->b) &&
			    (kn_is_any(ipver, s->a) || memcmp(s->a, a, l) == 0))
				return 1;
		}
	}
	return 0;
}

#else /* not Linux */

void
kn_follow(struct kn *k, pid_t pid)
{
	(void)k;
	(void)pid;
}

int
kn_followed(struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
            uint16_t pport, int64_t opened)
{
	(void)k;
	(void)opened;
	(void)ipver;
	(void)addr;
	(void)port;
	(void)peer;
	(void)pport;
	return 1;
}

#endif
