/* kernel/diag.c: the kernel's TCP states by polling NETLINK_SOCK_DIAG
 * (kernel.h): no privilege, but what is shorter than a poll is missed. */
#include "config.h"

#ifdef __linux__
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "base/base.h"
#include "engine/tcp.h"
#include "kernel/kn.h"

/* Linux's TCP_* states (include/net/tcp_states.h) as RFC 9293's. */
int
kn_from_linux(int s)
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
			if (tt_grow(out, cap, *n + 1, sizeof **out, 256) < 0)
				return -1;
			s = &(*out)[(*n)++];
			memset(s, 0, sizeof *s);
			s->ipver = family == AF_INET6 ? 6 : 4;
			memcpy(s->a, m->id.idiag_src, kn_alen(s->ipver));
			memcpy(s->b, m->id.idiag_dst, kn_alen(s->ipver));
			s->ap = ntohs(m->id.idiag_sport);
			s->bp = ntohs(m->id.idiag_dport);
			s->state = (int8_t)kn_from_linux(m->idiag_state);
			s->inode = m->idiag_inode;
		}
	}
}

/* Dumps both families and turns what changed since the last dump into
 * records at time now (first: the state as it is, old unknown). */
int
kn_diag_poll(struct kn *k, int first, int records)
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
		kn_add_rec(k, &r);
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
		kn_add_rec(k, &r);
	}
	free(k->socks);
	k->socks = cur;
	k->nsocks = n;
	return 0;
}

#endif
