/* kernel/probe.c: the kernel's own cwnd, ssthresh, srtt and snd_wnd from
 * the tcp:tcp_probe tracepoint (kernel.h), enabled in the tracefs instance
 * of trace.c when this kernel has it. Lines are kept in a ring (KN_PROBES);
 * each is taken by at most one row (kn_probe_take).
 *
 * A line: "family=AF_INET src=127.0.0.1:5000 dest=127.0.0.1:40000 mark=0x0
 * data_len=25 snd_nxt=0x... snd_una=0x... snd_cwnd=10 ssthresh=2147483647
 * snd_wnd=65536 srtt=17 rcv_wnd=65483 ..." (IPv6: src=[::1]:5000); src is
 * the receiving socket, dest its peer (the segment's sender).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kernel/kn.h"

#ifdef __linux__
#include <arpa/inet.h>
#include <sys/socket.h>

/* What we read of a line, as the format file names the fields. */
static const char *const probe_fields[] = {
	"data_len", "snd_nxt", "snd_una", "snd_cwnd", "ssthresh", "snd_wnd", "srtt", "rcv_wnd",
};

/* The format file names every field we read: 0, else -1 with the first
 * one missing in *missing. */
static int
format_ok(const char *path, const char **missing)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	*missing = NULL;
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0; i < sizeof probe_fields / sizeof probe_fields[0]; i++) {
		char want[64];

		snprintf(want, sizeof want, " %s;", probe_fields[i]);
		if (strstr(buf, want) == NULL) {
			*missing = probe_fields[i];
			return -1;
		}
	}
	if (strstr(buf, "src=%pISpc") == NULL || strstr(buf, "dest=%pISpc") == NULL) {
		*missing = "src, dest";
		return -1;
	}
	return 0;
}

void
kn_probe_open(struct kn *k, const char *base, const char *inst)
{
	char path[512];
	const char *missing = NULL;

	snprintf(path, sizeof path, "%s/events/tcp/tcp_probe/format", base);
	if (format_ok(path, &missing) < 0) {
		if (missing == NULL)
			snprintf(k->probe_why, sizeof k->probe_why, "%s",
			         _("this kernel has no tcp:tcp_probe tracepoint"));
		else
			snprintf(k->probe_why, sizeof k->probe_why,
			         _("this kernel's tcp:tcp_probe lacks the field %s"), missing);
		return;
	}
	if ((k->probes = calloc(KN_PROBES, sizeof *k->probes)) == NULL) {
		snprintf(k->probe_why, sizeof k->probe_why, "%s", _("out of memory"));
		return;
	}
	snprintf(path, sizeof path, "%s/events/tcp/tcp_probe/enable", inst);
	if (kn_write_file(path, "1") != 0) {
		snprintf(k->probe_why, sizeof k->probe_why, "%s",
		         _("tcp:tcp_probe could not be enabled"));
		free(k->probes);
		k->probes = NULL;
		return;
	}
	k->probe_on = 1;
}

/* "127.0.0.1:5000" or "[::1]:5000" after name: 0, or -1. */
static int
endpoint_field(const char *line, const char *name, uint8_t *ipver, uint8_t *addr,
               uint16_t *port)
{
	const char *p = strstr(line, name), *end, *colon;
	char a[64];
	size_t n;
	int v6;

	if (p == NULL)
		return -1;
	p += strlen(name);
	end = p + strcspn(p, " \n");
	v6 = *p == '[';
	if (v6) {
		p++;
		colon = memchr(p, ']', (size_t)(end - p));
		if (colon == NULL || colon[1] != ':')
			return -1;
		n = (size_t)(colon - p);
		colon++;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL)
			return -1;
		n = (size_t)(colon - p);
	}
	if (n >= sizeof a)
		return -1;
	memcpy(a, p, n);
	a[n] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, a, addr) != 1)
		return -1;
	*ipver = v6 ? 6 : 4;
	*port = (uint16_t)strtoul(colon + 1, NULL, 10);
	return 0;
}

static int
number_field(const char *line, const char *name, uint32_t *out)
{
	char want[32];
	const char *p;

	snprintf(want, sizeof want, " %s=", name);
	if ((p = strstr(line, want)) == NULL)
		return -1;
	*out = (uint32_t)strtoul(p + strlen(want), NULL, 0);
	return 0;
}

int
kn_probe_line(struct kn *k, const char *line)
{
	const char *ev = strstr(line, ": tcp_probe: ");
	struct kn_probe_rec r;
	int pid;

	if (ev == NULL || k->probes == NULL)
		return 0;
	memset(&r, 0, sizeof r);
	r.p.t = kn_trace_time(k, line, ev, &pid);
	if (endpoint_field(ev, " src=", &r.ipver, r.a, &r.ap) < 0 ||
	    endpoint_field(ev, " dest=", &r.ipver, r.b, &r.bp) < 0 ||
	    number_field(ev, "data_len", &r.p.data_len) < 0 ||
	    number_field(ev, "snd_nxt", &r.p.snd_nxt) < 0 ||
	    number_field(ev, "snd_una", &r.p.snd_una) < 0 ||
	    number_field(ev, "snd_cwnd", &r.p.cwnd) < 0 ||
	    number_field(ev, "ssthresh", &r.p.ssthresh) < 0 ||
	    number_field(ev, "snd_wnd", &r.p.snd_wnd) < 0 ||
	    number_field(ev, "srtt", &r.p.srtt_us) < 0 ||
	    number_field(ev, "rcv_wnd", &r.p.rcv_wnd) < 0)
		return 1;
	k->probes[k->phead] = r;
	k->phead = (k->phead + 1) % KN_PROBES;
	if (k->pn < KN_PROBES)
		k->pn++;
	return 1;
}

int
kn_probe_take(struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
              uint16_t pport, int64_t from, uint32_t len, int has_ack, uint32_t ack,
              struct kn_probe *out)
{
	int l = kn_alen(ipver);

	if (k == NULL || !k->probe_on)
		return 0;
	/* the oldest first */
	for (size_t i = k->pn; i-- > 0;) {
		struct kn_probe_rec *r = &k->probes[(k->phead + KN_PROBES - 1 - i) % KN_PROBES];

		if (r->taken || r->p.t < from || r->ipver != ipver || r->ap != port ||
		    r->bp != pport || r->p.data_len != len || memcmp(r->a, addr, l) != 0 ||
		    memcmp(r->b, peer, l) != 0)
			continue;
		/* SND.UNA =< SEG.ACK =< SND.NXT, mod 2^32 */
		if (has_ack && ack - r->p.snd_una > r->p.snd_nxt - r->p.snd_una)
			continue;
		r->taken = 1;
		*out = r->p;
		return 1;
	}
	return 0;
}

#endif

int
kn_has_probe(const struct kn *k, char *why, size_t whylen)
{
	if (k != NULL && k->probe_on)
		return 1;
	if (k == NULL || k->src != KN_TRACE)
		snprintf(why, whylen, "%s", _("tcp:tcp_probe needs the tracepoint view (run it as root)"));
	else
		snprintf(why, whylen, "%s", k->probe_why[0] != '\0' ? k->probe_why :
		         _("this kernel has no tcp:tcp_probe tracepoint"));
	return 0;
}

#ifndef __linux__
int
kn_probe_take(struct kn *k, int ipver, const uint8_t *addr, uint16_t port, const uint8_t *peer,
              uint16_t pport, int64_t from, uint32_t len, int has_ack, uint32_t ack,
              struct kn_probe *out)
{
	(void)k, (void)ipver, (void)addr, (void)port, (void)peer, (void)pport, (void)from;
	(void)len, (void)has_ack, (void)ack, (void)out;
	return 0;
}
#endif
