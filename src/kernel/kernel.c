/* kernel/kernel.c: the kernel's own TCP states (kernel.h), from the
 * sock:inet_sock_set_state tracepoint or from sock_diag polling; and the
 * privilege drop of tcptutor live.
 *
 * Records are kept in a ring (KN_RING), newest last; a lookup walks back
 * from the newest. An endpoint with no record of its own is in SYN-SENT
 * when a connect() of that address to that peer was traced (the
 * tracepoint's CLOSE -> SYN_SENT comes before the port is chosen: sport
 * is 0 there), else LISTEN when a listener holds its port (Linux keeps a
 * half-open connection as a request socket of the listener, which the
 * tracepoint never shows), else CLOSED. Linux only; elsewhere kn_open()
 * fails with "not available on this system".
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/tcp.h"
#include "i18n.h"
#include "kernel/kernel.h"

#ifdef __linux__
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#endif

#define KN_RING 16384
#define KN_ADDRS 64
#define KN_PIDS 256
#define KN_SOCKS 4096

struct kn_rec {
	int64_t t;
	uint8_t ipver;
	int8_t old, new;          /* enum tt_state; old -1: unknown (a snapshot) */
	uint16_t ap, bp;          /* local, remote port (ap 0: connect() before bind) */
	uint8_t a[16], b[16];     /* local, remote address */
	int pid;                  /* the task in whose context it happened, 0 */
};

struct kn_sock {                  /* a socket of the last sock_diag dump */
	uint8_t ipver;
	uint8_t a[16], b[16];
	uint16_t ap, bp;
	int8_t state;
	uint32_t inode;
};

struct kn {
	enum kn_source src;
	struct kn_rec *ring;
	size_t head, n;           /* next slot, records held */
	uint64_t total;           /* records ever added */
	int fd;                   /* trace_pipe */
	int helper;               /* write end of the cleanup helper's pipe */
	pid_t helper_pid;
	int diag;                 /* NETLINK_SOCK_DIAG socket */
	int64_t mono_off;         /* real time - trace clock (ns) */
	int64_t opened;           /* kn_set_opened, 0: none */
	char buf[65536];
	size_t blen;
	struct kn_sock *socks;    /* last dump, for sock_diag polling */
	size_t nsocks;
	struct {
		uint8_t ipver, a[16];
	} addr[KN_ADDRS];
	size_t naddr;
	pid_t pids[KN_PIDS];      /* followed processes */
	size_t npids;
	pid_t root_pid;
	uint32_t *inodes;         /* followed processes' socket inodes */
	size_t ninodes;
	struct kn_sock *mine;     /* their connections (4-tuples) seen so far */
	size_t nmine;
};

int64_t
kn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

enum kn_source
kn_source_of(const struct kn *k)
{
	return k != NULL ? k->src : KN_NONE;
}

int
kn_fd(const struct kn *k)
{
	return k != NULL && k->src == KN_TRACE ? k->fd : -1;
}

static const struct kn_rec *
rec_back(const struct kn *k, size_t i)   /* i = 0: the newest */
{
	return &k->ring[(k->head + KN_RING - 1 - i) % KN_RING];
}

static int
alen(int ipver)
{
	return ipver == 6 ? 16 : 4;
}

static int
is_any(int ipver, const uint8_t *a)
{
	for (int i = 0; i < alen(ipver); i++)
		if (a[i] != 0)
			return 0;
	return 1;
}

static const struct kn_rec *
find(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
     uint16_t pport, int64_t t)
{
	int l = alen(ipver);

	if (k == NULL)
		return NULL;
	for (size_t i = 0; i < k->n; i++) {
		const struct kn_rec *r = rec_back(k, i);

		if (r->t > t || r->ipver != ipver || r->ap != port || r->bp != pport ||
		    memcmp(r->a, addr, l) != 0 || memcmp(r->b, peer, l) != 0)
			continue;
		return r;
	}
	return NULL;
}

int
kn_state(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
         uint16_t pport, int64_t t)
{
	const struct kn_rec *r = find(k, ipver, addr, port, peer, pport, t);
	int l = alen(ipver), listening = 0, connecting = 0;

	if (k == NULL)
		return -1;
	if (r != NULL)
		return r->new;
	for (size_t i = 0; i < k->n; i++) {
		const struct kn_rec *x = rec_back(k, i);

		if (x->t > t || x->ipver != ipver)
			continue;
		/* connect() traced before the port was chosen */
		if (!connecting && x->ap == 0 && x->new == TT_SYN_SENT && x->bp == pport &&
		    memcmp(x->b, peer, l) == 0 && (is_any(ipver, x->a) || memcmp(x->a, addr, l) == 0))
			connecting = 1;
		/* a listener on this port (the latest word on it counts) */
		if (!listening && (k->opened == 0 || x->t <= k->opened) && x->ap == port && x->bp == 0 && is_any(ipver, x->b) &&
		    (is_any(ipver, x->a) || memcmp(x->a, addr, l) == 0))
			listening = x->new == TT_LISTEN ? 1 : -1;
	}
	if (connecting)
		return TT_SYN_SENT;
	if (listening > 0)
		return TT_LISTEN;
	return TT_CLOSED;
}

void
kn_set_opened(struct kn *k, int64_t opened)
{
	if (k != NULL)
		k->opened = opened;
}

int
kn_state_before(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
                const uint8_t *peer, uint16_t pport, int64_t t, int64_t after, unsigned skip)
{
	const struct kn_rec *r = find(k, ipver, addr, port, peer, pport, t);

	if (r != NULL && r->t > after && r->new >= 0 && (skip & (1u << r->new)) && r->old >= 0)
		return r->old;
	return kn_state(k, ipver, addr, port, peer, pport, t);
}

int
kn_prev_state(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port,
              const uint8_t *peer, uint16_t pport, int64_t t)
{
	const struct kn_rec *r = find(k, ipver, addr, port, peer, pport, t);

	return r != NULL ? r->old : -1;
}

int
kn_next_record(const struct kn *k, uint64_t *cursor, struct kn_record *out)
{
	const struct kn_rec *r;

	if (k == NULL || *cursor >= k->total)
		return 0;
	if (k->total - *cursor > k->n)
		*cursor = k->total - k->n;
	r = rec_back(k, (size_t)(k->total - *cursor - 1));
	(*cursor)++;
	out->t = r->t;
	out->ipver = r->ipver;
	memcpy(out->addr, r->a, 16);
	memcpy(out->peer, r->b, 16);
	out->port = r->ap;
	out->pport = r->bp;
	out->old = r->old;
	out->now = r->new;
	return 1;
}

int
kn_is_local(const struct kn *k, int ipver, const uint8_t *addr)
{
	if (k == NULL)
		return 0;
	if (ipver == 4 && addr[0] == 127)
		return 1;
	for (size_t i = 0; i < k->naddr; i++)
		if (k->addr[i].ipver == ipver && memcmp(k->addr[i].a, addr, alen(ipver)) == 0)
			return 1;
	return 0;
}

/* ---- privileges ------------------------------------------------------------ */

int
kn_drop_privileges(const char *user, int *dropped, char *err, size_t errlen)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	uid_t uid, ru, eu, xu;
	gid_t gid, rg, eg, xg;
	struct passwd *pw = NULL;
	char *end;

	*dropped = 0;
	if (user != NULL) {
		pw = getpwnam(user);
		if (pw == NULL) {
			snprintf(err, errlen, _("no such user '%s'"), user);
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else if (su != NULL && *su != '\0') {
		unsigned long u = strtoul(su, &end, 10), g;

		if (*end != '\0') {
			snprintf(err, errlen, _("SUDO_UID is not a number: '%s'"), su);
			return -1;
		}
		uid = (uid_t)u;
		gid = (gid_t)-1;
		if (sg != NULL && *sg != '\0') {
			g = strtoul(sg, &end, 10);
			if (*end != '\0') {
				snprintf(err, errlen, _("SUDO_GID is not a number: '%s'"), sg);
				return -1;
			}
			gid = (gid_t)g;
		}
		pw = getpwuid(uid);
		if (gid == (gid_t)-1)
			gid = pw != NULL ? pw->pw_gid : (gid_t)uid;
	} else {
		return 0;               /* nobody else to be */
	}
	if (geteuid() == uid && getuid() == uid && getegid() == gid && getgid() == gid)
		return 0;
	/* the groups first, while we may still change them */
	if ((pw != NULL ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) != 0 ||
	    setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0) {
		snprintf(err, errlen, _("cannot drop privileges to uid %lu: %s"), (unsigned long)uid,
		         strerror(errno));
		return -1;
	}
	if (getresuid(&ru, &eu, &xu) != 0 || getresgid(&rg, &eg, &xg) != 0 || ru != uid ||
	    eu != uid || xu != uid || rg != gid || eg != gid || xg != gid ||
	    (uid != 0 && setresuid(0, 0, 0) == 0)) {
		snprintf(err, errlen, "%s", _("the privileges could not be dropped for good"));
		return -1;
	}
	*dropped = 1;
	return 0;
}

#ifdef __linux__

static void
add_rec(struct kn *k, const struct kn_rec *r)
{
	k->ring[k->head] = *r;
	k->head = (k->head + 1) % KN_RING;
	if (k->n < KN_RING)
		k->n++;
	k->total++;
}

/* ---- sock_diag --------------------------------------------------------------- */

/* Linux's TCP_* states (include/net/tcp_states.h) as RFC 9293's. */
static int
from_linux(int s)
{
	switch (s) {
	case 1: return TT_ESTABLISHED;
	case 2: return TT_SYN_SENT;
	case 3: return TT_SYN_RECEIVED;
	case 4: return TT_FIN_WAIT_1;
	case 5: return TT_FIN_WAIT_2;
	case 6: return TT_TIME_WAIT;
	case 7: return TT_CLOSED;
	case 8: return TT_CLOSE_WAIT;
	case 9: return TT_LAST_ACK;
	case 10: return TT_LISTEN;
	case 11: return TT_CLOSING;
	case 12: return TT_SYN_RECEIVED;   /* NEW_SYN_RECV: a request socket */
	default: return -1;
	}
}

static int
sock_cmp(const void *x, const void *y)
{
	const struct kn_sock *a = x, *b = y;
	int c;

	if (a->ipver != b->ipver)
		return a->ipver - b->ipver;
	if ((c = memcmp(a->a, b->a, 16)) != 0 || (c = memcmp(a->b, b->b, 16)) != 0)
		return c;
	if (a->ap != b->ap)
		return a->ap - b->ap;
	return a->bp - b->bp;
}

/* One dump of every TCP socket of one family into *out (grown); -1 on error. */
static int
diag_dump(struct kn *k, int family, struct kn_sock **out, size_t *n, size_t *cap)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req;
	struct sockaddr_nl sa;
	static char buf[32768];

	memset(&req, 0, sizeof req);
	req.nlh.nlmsg_len = sizeof req;
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = IPPROTO_TCP;
	req.r.idiag_states = ~0u;
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	if (sendto(k->diag, &req, sizeof req, 0, (struct sockaddr *)&sa, sizeof sa) < 0)
		return -1;
	for (;;) {
		ssize_t got = recv(k->diag, buf, sizeof buf, 0);
		struct nlmsghdr *h;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)got); h = NLMSG_NEXT(h, got)) {
			struct inet_diag_msg *m;
			struct kn_sock *s;

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			m = NLMSG_DATA(h);
			if (*n == *cap) {
				size_t c = *cap ? *cap * 2 : 256;
				struct kn_sock *ns = realloc(*out, c * sizeof *ns);

				if (ns == NULL)
					return -1;
				*out = ns;
				*cap = c;
			}
			s = &(*out)[(*n)++];
			memset(s, 0, sizeof *s);
			s->ipver = family == AF_INET6 ? 6 : 4;
			memcpy(s->a, m->id.idiag_src, alen(s->ipver));
			memcpy(s->b, m->id.idiag_dst, alen(s->ipver));
			s->ap = ntohs(m->id.idiag_sport);
			s->bp = ntohs(m->id.idiag_dport);
			s->state = (int8_t)from_linux(m->idiag_state);
			s->inode = m->idiag_inode;
		}
	}
}

/* Dumps both families and turns what changed since the last dump into
 * records at time now (first: the state as it is, old unknown). */
static int
diag_poll(struct kn *k, int first, int records)
{
	struct kn_sock *cur = NULL;
	size_t n = 0, cap = 0;
	int64_t now = kn_now();

	if (diag_dump(k, AF_INET, &cur, &n, &cap) < 0 || diag_dump(k, AF_INET6, &cur, &n, &cap) < 0) {
		free(cur);
		return -1;
	}
	qsort(cur, n, sizeof *cur, sock_cmp);
	for (size_t i = 0; records && i < n; i++) {
		struct kn_sock *o = k->nsocks ? bsearch(&cur[i], k->socks, k->nsocks, sizeof *o,
		                                        sock_cmp) : NULL;
		struct kn_rec r;

		if (o != NULL && o->state == cur[i].state)
			continue;
		memset(&r, 0, sizeof r);
		r.t = first ? now - 1 : now;
		r.ipver = cur[i].ipver;
		memcpy(r.a, cur[i].a, 16);
		memcpy(r.b, cur[i].b, 16);
		r.ap = cur[i].ap;
		r.bp = cur[i].bp;
		r.old = (int8_t)(o != NULL ? o->state : first ? -1 : TT_CLOSED);
		r.new = cur[i].state;
		add_rec(k, &r);
	}
	/* gone since the last dump: closed (TIME-WAIT ended, ...) */
	for (size_t i = 0; records && i < k->nsocks; i++) {
		struct kn_rec r;

		if (n && bsearch(&k->socks[i], cur, n, sizeof *cur, sock_cmp) != NULL)
			continue;
		memset(&r, 0, sizeof r);
		r.t = now;
		r.ipver = k->socks[i].ipver;
		memcpy(r.a, k->socks[i].a, 16);
		memcpy(r.b, k->socks[i].b, 16);
		r.ap = k->socks[i].ap;
		r.bp = k->socks[i].bp;
		r.old = k->socks[i].state;
		r.new = TT_CLOSED;
		add_rec(k, &r);
	}
	free(k->socks);
	k->socks = cur;
	k->nsocks = n;
	return 0;
}

/* ---- the tracepoint ------------------------------------------------------------ */

static const char *const tracefs_dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

static int
write_file(const char *path, const char *s)
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
	write_file(path, "0");
	/* trace_pipe may still be closing: rmdir says EBUSY meanwhile */
	for (int i = 0; i < 100 && rmdir(inst) != 0 && errno == EBUSY; i++)
		usleep(50000);
	_exit(0);
}

static int
trace_open(struct kn *k, char *why, size_t whylen)
{
	const char *base = NULL;
	char inst[256], path[512];
	struct stat st;
	struct timespec rt, mo;
	int pfd[2];
	pid_t pid;

	for (size_t i = 0; i < sizeof tracefs_dirs / sizeof tracefs_dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/events", tracefs_dirs[i]);
		if (stat(path, &st) == 0) {
			base = tracefs_dirs[i];
			break;
		}
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
	if (write_file(path, "mono") != 0) {
		snprintf(why, whylen, "%s", _("the tracefs instance has no mono trace clock"));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &mo);
	clock_gettime(CLOCK_REALTIME, &rt);
	k->mono_off = ((int64_t)rt.tv_sec - mo.tv_sec) * 1000000000 + (rt.tv_nsec - mo.tv_nsec);
	snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/filter", inst);
	write_file(path, "protocol == 6");
	snprintf(path, sizeof path, "%s/trace_pipe", inst);
	k->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/enable", inst);
	if (k->fd < 0 || write_file(path, "1") != 0) {
		snprintf(why, whylen, _("cannot enable the tracepoint: %s"), strerror(errno));
		return -1;
	}
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
			return from_linux(i);
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

/* "  curl-1234  [001] .....  8123.456789: inet_sock_set_state: family=AF_INET ..." */
static void
trace_line(struct kn *k, const char *line)
{
	const char *ts = strstr(line, ": inet_sock_set_state: "), *p, *q;
	struct kn_rec r;
	double sec;
	int v6;

	if (ts == NULL)
		return;
	memset(&r, 0, sizeof r);
	/* the time stamp ends at ts; the task-pid is before the "[cpu]" */
	for (p = ts; p > line && p[-1] != ' '; p--)
		;
	sec = strtod(p, NULL);
	r.t = (int64_t)(sec * 1e6 + 0.5) * 1000 + k->mono_off;
	q = strchr(line, '[');
	if (q != NULL) {
		for (p = q; p > line && p[-1] == ' '; p--)
			;
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		r.pid = atoi(p);
	}
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
	add_rec(k, &r);
}

static int
trace_read(struct kn *k, char *err, size_t errlen)
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

static void
local_addrs(struct kn *k)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) != 0)
		return;
	for (i = ifa; i != NULL && k->naddr < KN_ADDRS; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			k->addr[k->naddr].ipver = 4;
			memcpy(k->addr[k->naddr++].a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			k->addr[k->naddr].ipver = 6;
			memcpy(k->addr[k->naddr++].a, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		}
	}
	freeifaddrs(ifa);
}

int
kn_open(int try_trace, struct kn **out, char *why, size_t whylen, char *err, size_t errlen)
{
	struct kn *k = calloc(1, sizeof *k);

	*out = NULL;
	why[0] = '\0';
	if (k == NULL || (k->ring = calloc(KN_RING, sizeof *k->ring)) == NULL ||
	    (k->mine = calloc(KN_SOCKS, sizeof *k->mine)) == NULL) {
		if (k != NULL) {
			free(k->ring);
			free(k);
		}
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	k->fd = k->helper = -1;
	k->diag = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	local_addrs(k);
	if (k->diag < 0 || diag_poll(k, 1, 1) < 0) {
		snprintf(err, errlen, _("sock_diag: %s"), strerror(errno));
		kn_close(k);
		return -1;
	}
	if (try_trace && trace_open(k, why, whylen) == 0) {
		k->src = KN_TRACE;
	} else {
		if (k->fd >= 0)
			close(k->fd);
		if (k->helper >= 0)
			close(k->helper);   /* the helper undoes what was done */
		k->fd = k->helper = -1;
		k->src = KN_DIAG;
	}
	*out = k;
	return 0;
}

int
kn_update(struct kn *k, char *err, size_t errlen)
{
	if (k == NULL)
		return 0;
	if (k->npids > 0)
		kn_follow(k, 0);
	if (k->src == KN_TRACE)
		return trace_read(k, err, errlen);
	if (diag_poll(k, 0, 1) < 0) {
		snprintf(err, errlen, _("sock_diag: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

void
kn_close(struct kn *k)
{
	if (k == NULL)
		return;
	if (k->fd >= 0)
		close(k->fd);
	if (k->helper >= 0)
		close(k->helper);
	if (k->diag >= 0)
		close(k->diag);
	free(k->ring);
	free(k->socks);
	free(k->inodes);
	free(k->mine);
	free(k);
}

/* ---- following a command ------------------------------------------------------ */

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
		if (k->ninodes == *cap) {
			size_t c = *cap ? *cap * 2 : 64;
			uint32_t *ni = realloc(k->inodes, c * sizeof *ni);

			if (ni == NULL)
				break;
			k->inodes = ni;
			*cap = c;
		}
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
		diag_poll(k, 0, 0);    /* the tracepoint's records are enough */
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
            uint16_t pport)
{
	int l = alen(ipver);

	if (k == NULL)
		return 0;
	/* what a followed process did itself, by the tracepoint's task (also
	 * when it was found to be followed only after the record came) */
	for (size_t i = 0; i < k->n; i++) {
		const struct kn_rec *r = rec_back(k, i);

		if (r->pid <= 0 || r->ipver != ipver || !followed_pid(k, r->pid))
			continue;
		for (int side = 0; side < 2; side++) {
			const uint8_t *a = side ? peer : addr, *b = side ? addr : peer;
			uint16_t ap = side ? pport : port, bp = side ? port : pport;

			if ((r->ap == ap || r->ap == 0) && r->bp == bp && memcmp(r->b, b, l) == 0 &&
			    (r->ap == 0 || memcmp(r->a, a, l) == 0))
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
			if (s->bp == 0 && s->ap == ap && is_any(ipver, s->b) &&
			    (is_any(ipver, s->a) || memcmp(s->a, a, l) == 0))
				return 1;
		}
	}
	return 0;
}

#else /* not Linux */

int
kn_open(int try_trace, struct kn **out, char *why, size_t whylen, char *err, size_t errlen)
{
	(void)try_trace;
	*out = NULL;
	why[0] = '\0';
	snprintf(err, errlen, "%s", _("the kernel's states are not available on this system"));
	return -1;
}

int
kn_update(struct kn *k, char *err, size_t errlen)
{
	(void)k;
	(void)err;
	(void)errlen;
	return 0;
}

void
kn_close(struct kn *k)
{
	free(k);
}

void
kn_follow(struct kn *k, pid_t pid)
{
	(void)k;
	(void)pid;
}

int
kn_followed(struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
            uint16_t pport)
{
	(void)k;
	(void)ipver;
	(void)addr;
	(void)port;
	(void)peer;
	(void)pport;
	return 1;
}

#endif
