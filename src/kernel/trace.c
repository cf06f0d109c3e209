/* kernel/trace.c: the kernel's TCP states from the sock:inet_sock_set_state
 * tracepoint (kernel.h), read from trace_pipe of a tracefs instance of our
 * own, set up while privileged; a helper keeps root only to undo it. */
#include "config.h"

#ifdef __linux__
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "i18n.h"
#include "kernel/kn.h"

static const char *const tracefs_dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

int
kn_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* The helper: keeps root only to undo the instance when we are gone. */
static void
helper_main(int rd, const char *inst)
{
	char path[512], c;
	int nul = open("/dev/null", O_RDWR);
	long maxfd = sysconf(_SC_OPEN_MAX);

	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
	}
	for (long fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 1024); fd++)
		if (fd != rd)
			close((int)fd);
	/* Ctrl-C on the terminal reaches the whole process group */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	for (;;) {
		ssize_t n = read(rd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/enable", inst);
	kn_write_file(path, "0");
	snprintf(path, sizeof path, "%s/events/tcp/tcp_probe/enable", inst);
	kn_write_file(path, "0");
	/* trace_pipe may still be closing: rmdir says EBUSY meanwhile */
	for (int i = 0; i < 100 && rmdir(inst) != 0 && errno == EBUSY; i++)
		usleep(50000);
	_exit(0);
}

int
kn_trace_open(struct kn *k, char *why, size_t whylen)
{
	const char *base = NULL;
	char inst[256], path[512];
	struct stat st;
	struct timespec rt, mo;
	int pfd[2], denied = 0;
	pid_t pid;

	for (size_t i = 0; i < sizeof tracefs_dirs / sizeof tracefs_dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/events", tracefs_dirs[i]);
		if (stat(path, &st) == 0) {
			base = tracefs_dirs[i];
			break;
		}
		denied |= errno == EACCES;
	}
	if (base == NULL && denied) {
		/* mounted, but only root may look in */
		snprintf(why, whylen, "%s", _("the tracepoint needs root (sudo tcptutor live ...)"));
		return -1;
	}
	if (base == NULL) {
		snprintf(why, whylen, "%s", _("tracefs is not mounted (as root: mount -t tracefs "
		                              "nodev /sys/kernel/tracing)"));
		return -1;
	}
	snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state", base);
	if (stat(path, &st) != 0) {
		snprintf(why, whylen, "%s", _("this kernel has no sock:inet_sock_set_state tracepoint"));
		return -1;
	}
	snprintf(inst, sizeof inst, "%s/instances/tcptutor-%ld", base, (long)getpid());
	if (mkdir(inst, 0700) != 0) {
		if (errno == EACCES || errno == EPERM)
			snprintf(why, whylen, "%s", _("the tracepoint needs root (sudo tcptutor live ...)"));
		else
			snprintf(why, whylen, _("cannot make a tracefs instance: %s"), strerror(errno));
		return -1;
	}
	if (pipe(pfd) != 0) {
		rmdir(inst);
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		rmdir(inst);
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(pfd[1]);
		helper_main(pfd[0], inst);
	}
	close(pfd[0]);
	fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
	k->helper = pfd[1];
	k->helper_pid = pid;
	/* from here on the helper undoes what is done */
	snprintf(path, sizeof path, "%s/trace_clock", inst);
	if (kn_write_file(path, "mono") != 0) {
		snprintf(why, whylen, "%s", _("the tracefs instance has no mono trace clock"));
		return -1;
	}
	/* real time - mono: the real clock read between two mono readings,
	 * the closest pair of a few (on a virtual machine each reading can be
	 * a system call of a microsecond or more, and reading one clock after
	 * the other would put every record that much late) */
	{
		int64_t best = INT64_MAX;

		for (int i = 0; i < 8; i++) {
			struct timespec m2;
			int64_t a, b, r;

			clock_gettime(CLOCK_MONOTONIC, &mo);
			clock_gettime(CLOCK_REALTIME, &rt);
			clock_gettime(CLOCK_MONOTONIC, &m2);
			a = (int64_t)mo.tv_sec * 1000000000 + mo.tv_nsec;
			b = (int64_t)m2.tv_sec * 1000000000 + m2.tv_nsec;
			r = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
			if (b - a < best) {
				best = b - a;
				k->mono_off = r - a - (b - a) / 2;
			}
		}
		/* a record's time: rounded to the microsecond (500 ns), the
		 * offset known to within half the pair's gap, and 500 ns more; a
		 * state change that happened just before a packet seen a fraction
		 * of a microsecond later (a SYN,ACK's ESTABLISHED, then its ACK)
		 * counts as before */
		k->slack = 1000 + best / 2;
	}
	snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/filter", inst);
	kn_write_file(path, "protocol == 6");
	snprintf(path, sizeof path, "%s/trace_pipe", inst);
	k->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/enable", inst);
	if (k->fd < 0 || kn_write_file(path, "1") != 0) {
		snprintf(why, whylen, _("cannot enable the tracepoint: %s"), strerror(errno));
		return -1;
	}
	kn_probe_open(k, base, inst);
	return 0;
}

static int
state_word(const char *s)
{
	static const char *const names[] = {
		"", "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1",
		"TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK",
		"TCP_LISTEN", "TCP_CLOSING", "TCP_NEW_SYN_RECV"
	};
	size_t n = strcspn(s, " \n");

	for (int i = 1; i < 13; i++)
		if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0)
			return kn_from_linux(i);
	return -1;
}

static const char *
field(const char *line, const char *name)
{
	const char *p = strstr(line, name);

	return p != NULL ? p + strlen(name) : NULL;
}

static int
addr_field(const char *line, const char *name, int family, uint8_t *out)
{
	const char *p = field(line, name);
	char a[64];
	size_t n;

	if (p == NULL)
		return -1;
	n = strcspn(p, " \n");
	if (n >= sizeof a)
		return -1;
	memcpy(a, p, n);
	a[n] = '\0';
	return inet_pton(family, a, out) == 1 ? 0 : -1;
}

int64_t
kn_trace_time(const struct kn *k, const char *line, const char *ev, int *pid)
{
	const char *p, *q;
	double sec;

	/* the time stamp ends at ev; the task-pid is before the "[cpu]" */
	for (p = ev; p > line && p[-1] != ' '; p--)
		;
	sec = strtod(p, NULL);
	*pid = 0;
	q = strchr(line, '[');
	if (q != NULL && q < ev) {
		for (p = q; p > line && p[-1] == ' '; p--)
			;
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		*pid = atoi(p);
	}
	return (int64_t)(sec * 1e6 + 0.5) * 1000 + k->mono_off;
}

/* "  curl-1234  [001] .....  8123.456789: inet_sock_set_state: family=AF_INET ..." */
static void
trace_line(struct kn *k, const char *line)
{
	const char *ts = strstr(line, ": inet_sock_set_state: "), *p, *q;
	struct kn_rec r;
	int v6;

	if (ts == NULL) {
		kn_probe_line(k, line);
		return;
	}
	memset(&r, 0, sizeof r);
	r.t = kn_trace_time(k, line, ts, &r.pid);
	v6 = strstr(ts, "family=AF_INET6") != NULL;
	r.ipver = v6 ? 6 : 4;
	if ((p = field(ts, " sport=")) == NULL)
		return;
	r.ap = (uint16_t)atoi(p);
	if ((p = field(ts, " dport=")) == NULL)
		return;
	r.bp = (uint16_t)atoi(p);
	if (v6 ? addr_field(ts, " saddrv6=", AF_INET6, r.a) < 0 || addr_field(ts, " daddrv6=", AF_INET6, r.b) < 0
	       : addr_field(ts, " saddr=", AF_INET, r.a) < 0 || addr_field(ts, " daddr=", AF_INET, r.b) < 0)
		return;
	if ((p = field(ts, " oldstate=")) == NULL || (q = field(ts, " newstate=")) == NULL)
		return;
	r.old = (int8_t)state_word(p);
	r.new = (int8_t)state_word(q);
	if (r.new < 0)
		return;
	kn_add_rec(k, &r);
}

int
kn_trace_read(struct kn *k, char *err, size_t errlen)
{
	for (;;) {
		ssize_t got = read(k->fd, k->buf + k->blen, sizeof k->buf - 1 - k->blen);
		char *nl, *line;

		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			snprintf(err, errlen, _("reading the trace: %s"), strerror(errno));
			return -1;
		}
		if (got == 0)
			return 0;
		k->blen += (size_t)got;
		k->buf[k->blen] = '\0';
		line = k->buf;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			trace_line(k, line);
			line = nl + 1;
		}
		k->blen -= (size_t)(line - k->buf);
		memmove(k->buf, line, k->blen);
		if (k->blen == sizeof k->buf - 1)
			k->blen = 0;    /* a line that long is none of ours */
	}
}

#endif
