/* cmd/write.c: --write FILE, a run written as a real capture.
 *
 * The segments that crossed the simulated wire become a pcap file of raw IP
 * packets (LINKTYPE_RAW, so IPv4 and IPv6 hosts alike), each built by
 * capture/'s cap_encode_tcp() from the step's segment, the ports of its
 * stream and the payload the simulator kept (tt_sim_payload()), and written
 * through capture/'s cap_dump_*() (libpcap). Time stamps come from the
 * virtual clock, counted from the epoch: a segment that arrived at its
 * arrival, a lost one (note `dropped`) when it was sent, as a capture taken
 * at the sender would see it; the frames are in time order (stable: steps
 * at the same instant keep the trace's order). Each later simulation of the
 * same file (a lesson's next scene) starts its clock 1 s after the last
 * frame written before it, its client on the next port up. A capture lesson's frames are copied from its
 * capture as they are. Errors are printed here, as "tcptutor: FILE: reason".
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "capture/capture.h"
#include "cmd/cmd.h"
#include "i18n.h"
#include "sim/sim.h"

/* A scene starts this long after the last frame of the one before it. */
#define SCENE_GAP TT_SEC(1)

struct frame_at {
	tt_time t;
	size_t step;
};

static int
by_time(const void *a, const void *b)
{
	const struct frame_at *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->step < y->step ? -1 : x->step > y->step;
}

/* The hosts' addresses as bytes; -1 unless both are of one IP version. */
static int
host_addrs(const struct tt_sim *s, uint8_t (*addr)[16], uint8_t *ipver)
{
	const struct tt_sim_config *cfg = tt_sim_config(s);
	int v[2];

	for (int h = 0; h < 2; h++) {
		memset(addr[h], 0, 16);
		if (inet_pton(AF_INET, cfg->host[h].addr, addr[h]) == 1)
			v[h] = 4;
		else if (inet_pton(AF_INET6, cfg->host[h].addr, addr[h]) == 1)
			v[h] = 6;
		else
			v[h] = 0;
	}
	if (v[0] == 0 || v[0] != v[1])
		return -1;
	*ipver = (uint8_t)v[0];
	return 0;
}

static int
mixed(const char *path, const struct tt_sim *s)
{
	const struct tt_sim_config *cfg = tt_sim_config(s);

	tt_warn(_("%s: the client (%s) and the server (%s) cannot be in one capture: "
	          "one is IPv4, the other IPv6"), path, cfg->host[0].addr, cfg->host[1].addr);
	return -1;
}

struct writer {
	const char *path;
	struct cap_dump *d;
	uint8_t *buf;            /* one frame */
	tt_time base;            /* where the next simulation's clock starts */
	uint16_t ip_id[2];       /* the next IPv4 identification of each host */
	uint16_t scene;          /* simulations written so far */
};

/* Host h's port in step st. Each later scene's client comes from the next
 * port up, as a new connection would: the same ports and ISS again would be
 * one connection to Wireshark (and to replay), which reopens a stream only
 * for a SYN with another sequence number. */
static uint16_t
scene_port(const struct writer *w, const struct tt_step *st, int h)
{
	return (uint16_t)(st->port[h] + (h == TT_CLIENT ? w->scene : 0));
}

/* One simulation's segments; -1 after the message. */
/* A stream's own address for one host (a flood's spoofed source), when it
 * parses; else `to` keeps the host's. */
static void
stream_addr(const struct tt_sim *s, unsigned stream, int host, uint8_t *to)
{
	char a[48];
	uint8_t b[16] = { 0 };

	tt_sim_stream_addr(s, stream, host, a, sizeof a);
	if (inet_pton(AF_INET, a, b) == 1 || inet_pton(AF_INET6, a, b) == 1)
		memcpy(to, b, 16);
}

static int
write_sim(struct writer *w, const struct tt_sim *s)
{
	size_t n = tt_sim_nsteps(s), nf = 0;
	struct frame_at *fa;
	uint8_t addr[2][16], ipver = 0;
	tt_time last = -1;

	if (host_addrs(s, addr, &ipver) < 0)
		return mixed(w->path, s);
	if ((fa = malloc((n ? n : 1) * sizeof *fa)) == NULL) {
		tt_warn("%s: %s", w->path, _("out of memory"));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct tt_step *st = tt_sim_step(s, i);

		if (st->kind != TT_STEP_SEGMENT)
			continue;
		fa[nf].t = (st->notes & TT_NOTE(DROPPED)) ? st->time : st->arrival;
		fa[nf].step = i;
		nf++;
	}
	qsort(fa, nf, sizeof *fa, by_time);
	for (size_t k = 0; k < nf; k++) {
		const struct tt_step *st = tt_sim_step(s, fa[k].step);
		struct cap_tcp_out o;
		size_t len;

		memset(&o, 0, sizeof o);
		o.ipver = ipver;
		memcpy(o.src, addr[st->dir & 1], 16);
		memcpy(o.dst, addr[!(st->dir & 1)], 16);
		stream_addr(s, st->stream, st->dir & 1, o.src);
		stream_addr(s, st->stream, !(st->dir & 1), o.dst);
		o.sport = scene_port(w, st, st->dir & 1);
		o.dport = scene_port(w, st, !(st->dir & 1));
		o.ip_id = w->ip_id[st->dir & 1]++;
		o.seg = &st->seg;
		o.payload = tt_sim_payload(s, fa[k].step);
		if (st->seg.len > 0 && o.payload == NULL) {
			tt_warn("%s: %s", w->path, _("out of memory"));
			free(fa);
			return -1;
		}
		len = cap_encode_tcp(&o, w->buf, CAP_ENCODE_MAX);
		if (len == 0) {
			tt_warn(_("%s: segment %llu (%u bytes) does not fit in an IP datagram"), w->path,
			        (unsigned long long)st->frame, (unsigned)st->seg.len);
			free(fa);
			return -1;
		}
		if (cap_dump_write(w->d, w->base + fa[k].t, w->buf, (uint32_t)len) < 0)
			break;           /* cap_dump_close() tells why */
		last = w->base + fa[k].t;
	}
	if (last >= 0)
		w->base = last + SCENE_GAP;
	w->scene++;
	free(fa);
	return 0;
}

static int
writer_open(struct writer *w, const char *path, int linktype)
{
	char err[512];

	memset(w, 0, sizeof *w);
	w->path = path;
	w->ip_id[0] = w->ip_id[1] = 1;
	if ((w->buf = malloc(CAP_ENCODE_MAX)) == NULL) {
		tt_warn("%s: %s", path, _("out of memory"));
		return -1;
	}
	if ((w->d = cap_dump_open(path, linktype, err, sizeof err)) == NULL) {
		tt_warn("%s: %s", path, err);
		free(w->buf);
		return -1;
	}
	return 0;
}

/* Closes the file; rc is what happened before: TT_EXIT_OK or TT_EXIT_FAIL. */
static int
writer_close(struct writer *w, int rc)
{
	char err[512];

	if (cap_dump_close(w->d, err, sizeof err) < 0 && rc == TT_EXIT_OK) {
		tt_warn("%s: %s", w->path, err);
		rc = TT_EXIT_FAIL;
	}
	free(w->buf);
	return rc;
}

int
tt_write_sims(const char *path, const struct tt_sim *const *sims, size_t n)
{
	struct writer w;
	int rc = TT_EXIT_OK;
	uint8_t addr[2][16], ipver;

	/* what cannot be written is said before the file is made */
	for (size_t i = 0; i < n; i++)
		if (host_addrs(sims[i], addr, &ipver) < 0) {
			mixed(path, sims[i]);
			return TT_EXIT_FAIL;
		}
	if (writer_open(&w, path, CAP_LINK_RAW) < 0)
		return TT_EXIT_FAIL;
	for (size_t i = 0; i < n && rc == TT_EXIT_OK; i++)
		if (write_sim(&w, sims[i]) < 0)
			rc = TT_EXIT_FAIL;
	return writer_close(&w, rc);
}

int
tt_write_scenarios(const char *path, const struct tt_scenario *const *scs, size_t n)
{
	struct tt_sim **sims = calloc(n ? n : 1, sizeof *sims);
	char err[1024];
	int rc = TT_EXIT_OK;

	if (sims == NULL) {
		tt_warn("%s: %s", path, _("out of memory"));
		return TT_EXIT_FAIL;
	}
	for (size_t i = 0; i < n && rc == TT_EXIT_OK; i++)
		if ((sims[i] = tt_scenario_run(scs[i], NULL, err, sizeof err)) == NULL) {
			tt_warn("%s", err);
			rc = TT_EXIT_FAIL;
		}
	if (rc == TT_EXIT_OK)
		rc = tt_write_sims(path, (const struct tt_sim *const *)sims, n);
	for (size_t i = 0; i < n; i++)
		tt_sim_free(sims[i]);
	free(sims);
	return rc;
}

static int
by_frame(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
tt_write_frames(const char *path, const char *capture, const struct tt_step *steps, size_t n)
{
	struct cap_file *f;
	struct cap_frame fr;
	struct writer w;
	uint64_t *want;
	size_t nw = 0, k = 0;
	char err[512];
	int rc = TT_EXIT_OK, r;

	if ((want = malloc((n ? n : 1) * sizeof *want)) == NULL) {
		tt_warn("%s: %s", path, _("out of memory"));
		return TT_EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		if (steps[i].kind == TT_STEP_SEGMENT)
			want[nw++] = steps[i].frame;
	qsort(want, nw, sizeof *want, by_frame);
	if (cap_file_open(capture, NULL, &f, err, sizeof err) < 0) {
		tt_warn("%s: %s", capture, err);
		free(want);
		return TT_EXIT_FAIL;
	}
	if (writer_open(&w, path, cap_file_linktype(f)) < 0) {
		cap_file_close(f);
		free(want);
		return TT_EXIT_FAIL;
	}
	while (k < nw && (r = cap_file_next(f, &fr, err, sizeof err)) != 0) {
		if (r < 0) {
			tt_warn("%s: %s", capture, err);
			rc = TT_EXIT_FAIL;
			break;
		}
		while (k < nw && want[k] < fr.number)
			k++;
		if (k < nw && want[k] == fr.number &&
		    cap_dump_write(w.d, tt_ns_to_us(fr.time_ns), fr.data, fr.caplen) < 0)
			break;
	}
	cap_file_close(f);
	free(want);
	return writer_close(&w, rc);
}
