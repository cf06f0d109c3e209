/* capture/pcapfile.c: reading pcap and pcapng files through libpcap.
 *
 * The only file that includes <pcap.h>. Files are opened with nanosecond
 * time stamps; "-" is standard input. A filter (tcpdump/BPF syntax) is
 * compiled by libpcap and applied here with pcap_offline_filter(), not
 * pcap_setfilter(), so that frame numbers still count every packet of the
 * file as Wireshark's frame.number does. Damage is reported as the frame
 * it hit; the frames before it were already handed out. The file is opened
 * here, not by libpcap, so that an empty one (or empty standard input) is
 * called empty rather than "tried to read 4 file header bytes, only got 0".
 */
#include "config.h"

#include <errno.h>
#include <pcap.h>
#include <stdio.h>
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
};

/* libpcap hands out DLT_ values; the decoder speaks LINKTYPE_ numbers,
 * which differ only where DLT_ values differ between systems. */
static int
linktype_of(int dlt)
{
#ifdef DLT_RAW
	if (dlt == DLT_RAW)
		return CAP_LINK_RAW;
#endif
#ifdef DLT_LOOP
	if (dlt == DLT_LOOP)
		return CAP_LINK_LOOP;
#endif
	return dlt;
}

/* Opens path ("-": standard input) and makes sure it holds a byte. */
static FILE *
open_stream(const char *path, char *err, size_t errlen)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int c;

	if (fp == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
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
		return NULL;
	}
	ungetc(c, fp);
	return fp;
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
	fp = open_stream(path, err, errlen);
	if (fp == NULL) {
		free(f);
		return -1;
	}
	ebuf[0] = '\0';
	/* from here on pcap_close() closes fp (never standard input) */
	f->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (f->p == NULL) {
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : _("cannot read the capture"));
		if (fp != stdin)
			fclose(fp);
		free(f);
		return -1;
	}
	f->linktype = linktype_of(pcap_datalink(f->p));
	if (cap_link_name(f->linktype) == NULL) {
		snprintf(err, errlen, _("link type %d is not supported"), f->linktype);
		pcap_close(f->p);
		free(f);
		return -1;
	}
	if (filter != NULL && *filter != '\0') {
		if (pcap_compile(f->p, &f->prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			snprintf(err, errlen, _("bad filter '%s': %s"), filter, pcap_geterr(f->p));
			pcap_close(f->p);
			free(f);
			return -1;
		}
		f->has_prog = 1;
	}
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
		if (rc != 1) {
			snprintf(err, errlen, _("frame %llu: %s"), (unsigned long long)f->number + 1,
			         pcap_geterr(f->p));
			return -1;
		}
		f->number++;
		if (!f->started) {
			f->started = 1;
			f->first_sec = (int64_t)h->ts.tv_sec;
			f->first_nsec = (int64_t)h->ts.tv_usec;  /* nanoseconds, as asked */
		}
		/* relative time; a damaged time stamp saturates, never overflows */
		sec = (int64_t)((uint64_t)h->ts.tv_sec - (uint64_t)f->first_sec);
		if (sec > 9000000000 || sec < -9000000000)
			sec = sec > 0 ? 9000000000 : -9000000000;
		ns = sec * 1000000000 + ((int64_t)h->ts.tv_usec - f->first_nsec);
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

void
cap_file_close(struct cap_file *f)
{
	if (f == NULL)
		return;
	if (f->has_prog)
		pcap_freecode(&f->prog);
	pcap_close(f->p);
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
