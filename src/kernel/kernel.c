/* kernel/kernel.c: the kernel's own TCP states (kernel.h): the source's
 * opening, updating and closing, and the lookups in its records. The
 * sources themselves are in diag.c (sock_diag) and trace.c (tracefs), the
 * following of a command in follow.c, the privilege drop in privs.c.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/tcp.h"
#include "i18n.h"
#include "kernel/kernel.h"
#include "kernel/kn.h"

#ifdef __linux__
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

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

const struct kn_rec *
kn_rec_back(const struct kn *k, size_t i)   /* i = 0: the newest */
{
	return &k->ring[(k->head + KN_RING - 1 - i) % KN_RING];
}

int
kn_alen(int ipver)
{
	return ipver == 6 ? 16 : 4;
}

int
kn_is_any(int ipver, const uint8_t *a)
{
	for (int i = 0; i < kn_alen(ipver); i++)
		if (a[i] != 0)
			return 0;
	return 1;
}

static const struct kn_rec *
find(const struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
     uint16_t pport, int64_t t)
{
	int l = kn_alen(ipver);

	if (k == NULL)
		return NULL;
	for (size_t i = 0; i < k->n; i++) {
		const struct kn_rec *r = kn_rec_back(k, i);

		if (r->t > t + k->slack || r->ipver != ipver || r->ap != port || r->bp != pport ||
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
	int l = kn_alen(ipver), listening = 0, connecting = 0;

	if (k == NULL)
		return -1;
	if (r != NULL)
		return r->new;
	for (size_t i = 0; i < k->n; i++) {
		const struct kn_rec *x = kn_rec_back(k, i);

		if (x->t > t + k->slack || x->ipver != ipver)
			continue;
		/* connect() traced before the port was chosen */
		if (!connecting && x->ap == 0 && x->new == TT_SYN_SENT && x->bp == pport &&
		    memcmp(x->b, peer, l) == 0 && (kn_is_any(ipver, x->a) || memcmp(x->a, addr, l) == 0))
			connecting = 1;
		/* a listener on this port (the latest word on it counts) */
		if (!listening && (k->opened == 0 || x->t <= k->opened) && x->ap == port && x->bp == 0 && kn_is_any(ipver, x->b) &&
		    (kn_is_any(ipver, x->a) || memcmp(x->a, addr, l) == 0))
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
	r = kn_rec_back(k, (size_t)(k->total - *cursor - 1));
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
		if (k->addr[i].ipver == ipver && memcmp(k->addr[i].a, addr, kn_alen(ipver)) == 0)
			return 1;
	return 0;
}

void
kn_add_rec(struct kn *k, const struct kn_rec *r)
{
	k->ring[k->head] = *r;
	k->head = (k->head + 1) % KN_RING;
	if (k->n < KN_RING)
		k->n++;
	k->total++;
}

#ifdef __linux__

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
	if (k->diag < 0 || kn_diag_poll(k, 1, 1) < 0) {
		snprintf(err, errlen, _("sock_diag: %s"), strerror(errno));
		kn_close(k);
		return -1;
	}
	if (try_trace && kn_trace_open(k, why, whylen) == 0) {
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
		return kn_trace_read(k, err, errlen);
	if (kn_diag_poll(k, 0, 1) < 0) {
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
	free(k->probes);
	free(k);
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

#endif
