/* capture/pcapfile.c: reading pcap and pcapng files through libpcap, and
 * writing pcap files (cap_dump_*).
 *
 * The only file that includes <pcap.h>. Files are opened with nanosecond
 * time stamps; "-" is standard input. A filter (tcpdump/BPF syntax) is
 * compiled by libpcap and applied here with pcap_offline_filter(), not
 * pcap_setfilter(), so that frame numbers still count every packet of the
 * file as Wireshark's frame.number does. Damage is reported as the frame
 * it hit; the frames before it were already handed out. The file is opened
 * here, not by libpcap, so that an empty one (or empty standard input) is
 * called empty rather than "tried to read 4 file header bytes, only got 0".
 * A file written is opened here too (its error is the system's reason, not
 * libpcap's sentence) and handed to pcap_dump_fopen(); a write error is
 * found by flushing it before pcap_dump_close().
 *
 * A live capture (cap_file_open_live) is the same reader over an interface:
 * pcap_create, immediate mode (each packet handed over at once),
 * nanosecond time stamps where the system has them, pcap_activate, the
 * filter in the kernel (pcap_setfilter: frame numbers count the packets
 * that pass it, as in a file tcpdump wrote with the same filter), and
 * non-blocking reads: cap_file_next returns CAP_AGAIN when no packet is
 * waiting, and the caller polls cap_file_fd().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap.h>
#include <stdio.h>
#ifdef HAVE_STDIO_EXT_H
#include <stdio_ext.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "i18n.h"

struct cap_file {
	pcap_t *p;
	struct bpf_program prog;
	int has_prog;
	int linktype;
	uint64_t number;
	int64_t first_sec, first_nsec;
	int started;
	int live;                /* an interface, read without blocking */
	int64_t unit;            /* nanoseconds per tv_usec unit: 1 or 1000 */
	char *iobuf;             /* the stream's buffer (IOBUF bytes), freed after it */
};

/* libpcap reads a file through stdio, two small reads per packet: with a
 * buffer this big that is a few hundred system calls for a big capture,
 * not one every 4 KiB (glibc's own size; it ignores the size passed to
 * setvbuf without a buffer). */
#define IOBUF (1 << 18)

/* libpcap hands out (and pcap_open_dead() takes) DLT_ values; the decoder
 * speaks LINKTYPE_ numbers, which differ only where DLT_ values differ
 * between systems: those are listed here, once for both directions. */
static const struct {
	int dlt, linktype;
} dlt_map[] = {
#ifdef DLT_RAW
	{ DLT_RAW, CAP_LINK_RAW },
#endif
#ifdef DLT_LOOP
	{ DLT_LOOP, CAP_LINK_LOOP },
#endif
	{ -1, -1 }
};

static int
linktype_of(int dlt)
{
	for (size_t i = 0; dlt_map[i].dlt != -1; i++)
		if (dlt_map[i].dlt == dlt)
			return dlt_map[i].linktype;
	return dlt;
}

static int
dlt_of(int linktype)
{
	for (size_t i = 0; dlt_map[i].dlt != -1; i++)
		if (dlt_map[i].linktype == linktype)
			return dlt_map[i].dlt;
	return linktype;
}

/* Opens path ("-": standard input) and makes sure it holds a byte; its
 * buffer goes in *buf (NULL: stdio's own), for the caller to free once
 * the stream is closed. */
static FILE *
open_stream(const char *path, char **buf, char *err, size_t errlen)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int c;

	*buf = NULL;
	if (fp == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	if (fp != stdin && (*buf = malloc(IOBUF)) != NULL && setvbuf(fp, *buf, _IOFBF, IOBUF) != 0) {
		free(*buf);     /* stdio keeps its own */
		*buf = NULL;
	}
	errno = 0;
	c = getc(fp);
	if (c == EOF) {
		if (ferror(fp))
			snprintf(err, errlen, "%s", errno ? strerror(errno) : _("cannot read the capture"));
		else
			snprintf(err, errlen, "%s", _("empty file"));
		if (fp != stdin)
			fclose(fp);
		free(*buf);
		*buf = NULL;
		return NULL;
	}
	ungetc(c, fp);
	return fp;
}

/* A handle just opened: its link type must be one the decoder reads, and
 * the filter is compiled for it. -1 with err, the handle closed and f
 * freed. */
static int
take_handle(struct cap_file *f, const char *filter, char *err, size_t errlen)
{
	f->linktype = linktype_of(pcap_datalink(f->p));
	if (cap_link_name(f->linktype) == NULL) {
		snprintf(err, errlen, _("link type %d is not supported"), f->linktype);
		goto fail;
	}
	if (filter != NULL && *filter != '\0') {
		if (pcap_compile(f->p, &f->prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(err, errlen, _("bad filter '%s': %s"), filter, pcap_geterr(f->p));
			goto fail;
		}
		f->has_prog = 1;
	}
	return 0;
fail:
	pcap_close(f->p);
	free(f->iobuf);
	free(f);
	return -1;
}

int
cap_file_open(const char *path, const char *filter, struct cap_file **out, char *err,
              size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct cap_file *f = calloc(1, sizeof *f);
	FILE *fp;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	fp = open_stream(path, &f->iobuf, err, errlen);
	if (fp == NULL) {
		free(f);
		return -1;
	}
	ebuf[0] = '\0';
#ifdef HAVE___FSETLOCKING
	/* one thread reads it (the caller's, or read-ahead's): stdio need not
	 * lock it for every fread, which it would once a second thread runs */
	(void)__fsetlocking(fp, FSETLOCKING_BYCALLER);
#endif
	/* from here on pcap_close() closes fp (never standard input) */
	f->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (f->p == NULL) {
		if (ebuf[0])
			snprintf(err, errlen, _("cannot read the capture: %s"), ebuf);
		else
			snprintf(err, errlen, "%s", _("cannot read the capture"));
		if (fp != stdin)
			fclose(fp);
		free(f->iobuf);
		free(f);
		return -1;
	}
	f->unit = 1;
	if (take_handle(f, filter, err, errlen) < 0)
		return -1;
	*out = f;
	return 0;
}

int
cap_file_next(struct cap_file *f, struct cap_frame *fr, char *err, size_t errlen)
{
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int64_t sec, ns;
		int rc = pcap_next_ex(f->p, &h, &data);

		if (rc == PCAP_ERROR_BREAK)
			return 0;
		if (rc == 0 && f->live)
			return CAP_AGAIN;
		if (rc != 1) {
			snprintf(err, errlen, _("frame %llu: %s"), (unsigned long long)f->number + 1,
			         pcap_geterr(f->p));
			return -1;
		}
		f->number++;
		if (!f->started) {
			f->started = 1;
			f->first_sec = (int64_t)h->ts.tv_sec;
			f->first_nsec = (int64_t)h->ts.tv_usec * f->unit; /* nanoseconds */
		}
		/* relative time; a damaged time stamp saturates, never overflows */
		sec = (int64_t)((uint64_t)h->ts.tv_sec - (uint64_t)f->first_sec);
		if (sec > 9000000000 || sec < -9000000000)
			sec = sec > 0 ? 9000000000 : -9000000000;
		ns = sec * 1000000000 + ((int64_t)h->ts.tv_usec * f->unit - f->first_nsec);
		fr->abs_ns = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec * f->unit;
		if (f->has_prog && pcap_offline_filter(&f->prog, h, data) == 0)
			continue;
		fr->number = f->number;
		fr->time_ns = ns;
		fr->linktype = f->linktype;
		fr->data = data;
		fr->caplen = h->caplen;
		fr->wirelen = h->len;
		return 1;
	}
}

#define LIVE_SNAPLEN (65536 + 64)
#define LIVE_BUFFER (16 << 20)

int
cap_file_open_live(const char *iface, const char *filter, struct cap_file **out, char *err,
                   size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct cap_file *f = calloc(1, sizeof *f);
	int rc, fd;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	ebuf[0] = '\0';
	f->p = pcap_create(iface, ebuf);
	if (f->p == NULL) {
		if (ebuf[0])
			snprintf(err, errlen, _("cannot capture on %s: %s"), iface, ebuf);
		else
			snprintf(err, errlen, "%s", _("cannot open the interface"));
		free(f);
		return -1;
	}
	f->live = 1;
	f->unit = 1000;
	/* Immediate mode gives each packet a ring frame as large as the
	 * snapshot length: the largest loopback frame (MTU 65536 and a link
	 * header) rather than libpcap's 256 KiB, and a ring of 16 MiB, so that
	 * a burst of some 250 full-sized packets waits for the reader instead
	 * of being dropped (cap_file_drops() counts what still is). */
	pcap_set_snaplen(f->p, LIVE_SNAPLEN);
	pcap_set_buffer_size(f->p, LIVE_BUFFER);
	pcap_set_immediate_mode(f->p, 1);
	pcap_set_timeout(f->p, 100);
	if (pcap_set_tstamp_precision(f->p, PCAP_TSTAMP_PRECISION_NANO) == 0)
		f->unit = 1;
	rc = pcap_activate(f->p);
	if (rc < 0) {
		/* PERM_DENIED: the caller says how to get the privilege */
		int perm = rc == PCAP_ERROR_PERM_DENIED;

		if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			snprintf(err, errlen, _("no such interface '%s'"), iface);
		else
			snprintf(err, errlen, _("cannot capture on %s: %s"), iface, pcap_geterr(f->p));
		pcap_close(f->p);
		free(f);
		return perm ? -2 : -1;
	}
	if (f->unit == 1 && pcap_get_tstamp_precision(f->p) != PCAP_TSTAMP_PRECISION_NANO)
		f->unit = 1000;
	if (take_handle(f, filter, err, errlen) < 0)
		return -1;
	if (f->has_prog) {
		if (pcap_setfilter(f->p, &f->prog) < 0) {
			snprintf(err, errlen, _("bad filter '%s': %s"), filter, pcap_geterr(f->p));
			pcap_freecode(&f->prog);
			pcap_close(f->p);
			free(f);
			return -1;
		}
		/* applied in the kernel: not again for each packet */
		pcap_freecode(&f->prog);
		f->has_prog = 0;
	}
	if (pcap_setnonblock(f->p, 1, ebuf) < 0) {
		snprintf(err, errlen, _("cannot capture on %s: %s"), iface, ebuf);
		pcap_close(f->p);
		free(f);
		return -1;
	}
	/* a command run under `live -- COMMAND` must not inherit the socket */
	fd = pcap_get_selectable_fd(f->p);
	if (fd >= 0)
		fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	*out = f;
	return 0;
}

int
cap_file_fd(const struct cap_file *f)
{
	return f->live ? pcap_get_selectable_fd(f->p) : -1;
}

uint64_t
cap_file_drops(const struct cap_file *f)
{
	struct pcap_stat st;

	if (!f->live || pcap_stats(f->p, &st) != 0)
		return 0;
	return st.ps_drop;
}

void
cap_file_close(struct cap_file *f)
{
	if (f == NULL)
		return;
	if (f->has_prog)
		pcap_freecode(&f->prog);
	pcap_close(f->p);
	free(f->iobuf);         /* after the stream it buffered */
	free(f);
}

uint64_t
cap_file_frames(const struct cap_file *f)
{
	return f->number;
}

int
cap_file_linktype(const struct cap_file *f)
{
	return f->linktype;
}

/* ---- writing ----------------------------------------------------------------- */

struct cap_dump {
	pcap_t *p;
	pcap_dumper_t *d;
	FILE *fp;
	int err;                 /* errno of the first write error, -1 unknown */
};

struct cap_dump *
cap_dump_open(const char *path, int linktype, char *err, size_t errlen)
{
	struct cap_dump *d = calloc(1, sizeof *d);

	if (d == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	d->p = pcap_open_dead_with_tstamp_precision(dlt_of(linktype), 262144,
	                                            PCAP_TSTAMP_PRECISION_MICRO);
	if (d->p == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		free(d);
		return NULL;
	}
	if ((d->fp = fopen(path, "wb")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		pcap_close(d->p);
		free(d);
		return NULL;
	}
	/* writes the file header; from here on pcap_dump_close() closes fp */
	if ((d->d = pcap_dump_fopen(d->p, d->fp)) == NULL) {
		snprintf(err, errlen, "%s", pcap_geterr(d->p));
		fclose(d->fp);
		pcap_close(d->p);
		free(d);
		return NULL;
	}
	return d;
}

int
cap_dump_write(struct cap_dump *d, int64_t time_us, const uint8_t *bytes, uint32_t len)
{
	struct pcap_pkthdr h;

	if (d->err != 0)
		return -1;
	if (time_us < 0)
		time_us = 0;
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(time_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(time_us % 1000000);
	h.caplen = h.len = len;
	errno = 0;
	pcap_dump((u_char *)d->d, &h, bytes);
	if (ferror(d->fp)) {
		d->err = errno ? errno : -1;
		return -1;
	}
	return 0;
}

int
cap_dump_close(struct cap_dump *d, char *err, size_t errlen)
{
	int e;

	if (d == NULL)
		return 0;
	errno = 0;
	if (d->err == 0 && (pcap_dump_flush(d->d) != 0 || ferror(d->fp)))
		d->err = errno ? errno : -1;
	e = d->err;
	pcap_dump_close(d->d);
	pcap_close(d->p);
	free(d);
	if (e != 0) {
		snprintf(err, errlen, "%s", e > 0 ? strerror(e) : _("cannot write the capture"));
		return -1;
	}
	return 0;
}
