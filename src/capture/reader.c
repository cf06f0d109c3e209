/* capture/reader.c: from a capture file to the TCP segments in it.
 *
 * Reads frames (pcapfile.c), decodes them (decode.c) and puts IPv4
 * fragments back together (RFC 791 §3.2, "reassembly"), so that callers see
 * one TCP segment at a time, at the frame that completed it, as Wireshark
 * does. Reassembly keeps a few datagrams at once in fixed buffers; a
 * fragment that cannot join one (cut off by the capture, overlapping the
 * 64 KiB limit, pushed out by newer datagrams, or still incomplete at the
 * end of the file) becomes a note naming its frame.
 *
 * Read-ahead (cap_reader_read_ahead, doc/design.md "Performance"): a
 * thread of the reader's own runs the same loop into a pipe of blocks of
 * results (base/pipe.h), so that libpcap's reading and the decoding of one
 * block go on while the caller's thread takes the block before. The
 * results are the same, in the same order; only the frames' bytes are not
 * kept.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pipe.h"
#include "capture/capture.h"
#include "i18n.h"

#define NDGRAM 16                 /* datagrams reassembled at once */
#define MAXDATA 65535             /* an IPv4 datagram's payload can't be longer */
#define NBLOCK ((MAXDATA + 7) / 8)

struct dgram {
	int used;
	uint64_t first_frame, age;
	uint8_t src[4], dst[4], proto;
	uint16_t id;
	uint32_t total;           /* payload length, known from the last fragment */
	uint32_t hlen;            /* header of the first fragment, once seen */
	uint8_t hdr[60];
	uint8_t got[(NBLOCK + 7) / 8]; /* 8-byte blocks received */
	uint8_t data[MAXDATA];
};

/* Read-ahead: blocks of AHEAD_SLOTS results, AHEAD_BLOCKS of them. */
#define AHEAD_SLOTS 256
#define AHEAD_BLOCKS 8

/* What the stream table reads (cap_pkt's first fields and options, the
 * result, the frame's number and time) lies in three cache lines of the
 * four: only those go from one processor to the other. */
struct ahead_slot {
	_Alignas(64) struct cap_pkt pkt;
	int rc;
	struct cap_frame fr;
};

struct cap_reader {
	struct cap_file *f;
	struct tt_pipe *ahead;          /* read-ahead: results from its thread */
	const struct ahead_slot *last;  /* ... and its last one (end or damage) */
	char ahead_err[256];            /* the thread's message of a last result -1 */
	struct cap_frame fr;            /* cap_reader_take's, without read-ahead */
	struct cap_pkt pkt;
	struct dgram *dg[NDGRAM];
	uint64_t clock;
	uint8_t out[60 + MAXDATA];
	/* a note to hand out before reading on */
	uint64_t note_frame;
	const char *note_why;
	int at_eof;
};

int
cap_reader_open(const char *path, const char *filter, struct cap_reader **out, char *err,
                size_t errlen)
{
	struct cap_reader *r = calloc(1, sizeof *r);

	*out = NULL;
	if (r == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	if (cap_file_open(path, filter, &r->f, err, errlen) < 0) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int
cap_reader_open_live(const char *iface, const char *filter, struct cap_reader **out,
                     char *err, size_t errlen)
{
	struct cap_reader *r = calloc(1, sizeof *r);
	int rc;

	*out = NULL;
	if (r == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	if ((rc = cap_file_open_live(iface, filter, &r->f, err, errlen)) < 0) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int
cap_reader_fd(const struct cap_reader *r)
{
	return cap_file_fd(r->f);
}

uint64_t
cap_reader_drops(const struct cap_reader *r)
{
	return cap_file_drops(r->f);
}

static void ahead_end(struct cap_reader *r);

void
cap_reader_close(struct cap_reader *r)
{
	if (r == NULL)
		return;
	ahead_end(r);
	for (int i = 0; i < NDGRAM; i++)
		free(r->dg[i]);
	cap_file_close(r->f);
	free(r);
}

uint64_t
cap_reader_frames(const struct cap_reader *r)
{
	return cap_file_frames(r->f);
}

int
cap_reader_linktype(const struct cap_reader *r)
{
	return cap_file_linktype(r->f);
}

static int
block_set(const struct dgram *d, uint32_t b)
{
	return d->got[b / 8] & (1u << (b % 8));
}

/* The first fragment (its header), the last (the length) and everything
 * between have come. */
static int
complete(const struct dgram *d)
{
	if (d->hlen == 0 || d->total == 0)
		return 0;
	for (uint32_t b = 0; b < (d->total + 7) / 8; b++)
		if (!block_set(d, b))
			return 0;
	return 1;
}

static void
note(struct cap_reader *r, uint64_t frame, const char *why)
{
	r->note_frame = frame;
	r->note_why = why;
}

/* Takes one fragment. Returns the reassembled datagram's length in r->out
 * when this fragment completed it, 0 when it was kept, and -1 (with a note
 * set) when it could not be used. */
static long
add_fragment(struct cap_reader *r, const struct cap_frame *fr, const struct cap_pkt *p)
{
	struct dgram *d = NULL, *oldest = NULL;
	uint32_t len, end;
	int free_slot = -1;

	if (p->ip_len > fr->caplen || p->ip_off > fr->caplen - p->ip_len) {
		note(r, fr->number, N_("IPv4 fragment cut off by the capture length"));
		return -1;
	}
	len = p->ip_len - p->ip_hlen;
	end = (uint32_t)p->frag_off + len;
	if (end > MAXDATA || (p->frag_more && len % 8 != 0)) {
		note(r, fr->number, N_("bad IPv4 fragment (not reassembled)"));
		return -1;
	}
	for (int i = 0; i < NDGRAM; i++) {
		struct dgram *x = r->dg[i];

		if (x == NULL || !x->used) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (x->id == p->ip_id && x->proto == p->ipproto && memcmp(x->src, p->src, 4) == 0 &&
		    memcmp(x->dst, p->dst, 4) == 0) {
			d = x;
			break;
		}
		if (oldest == NULL || x->age < oldest->age)
			oldest = x;
	}
	if (d == NULL) {
		if (free_slot < 0) {
			/* full: the oldest datagram gives way, and is noted */
			note(r, oldest->first_frame, N_("IPv4 fragment (not reassembled)"));
			d = oldest;
		} else {
			if (r->dg[free_slot] == NULL && (r->dg[free_slot] = malloc(sizeof *d)) == NULL) {
				note(r, fr->number, N_("IPv4 fragment (not reassembled)"));
				return -1;
			}
			d = r->dg[free_slot];
		}
		memset(d, 0, offsetof(struct dgram, data));
		d->used = 1;
		d->first_frame = fr->number;
		memcpy(d->src, p->src, 4);
		memcpy(d->dst, p->dst, 4);
		d->proto = p->ipproto;
		d->id = p->ip_id;
	}
	d->age = ++r->clock;
	memcpy(d->data + p->frag_off, fr->data + p->ip_off + p->ip_hlen, len);
	for (uint32_t b = p->frag_off / 8u; b < (end + 7) / 8; b++)
		d->got[b / 8] |= (uint8_t)(1u << (b % 8));
	if (!p->frag_more)
		d->total = end;
	if (p->frag_off == 0) {
		d->hlen = p->ip_hlen;
		memcpy(d->hdr, fr->data + p->ip_off, p->ip_hlen);
	}
	if (!complete(d))
		return 0;
	if (d->total + d->hlen > 65535) {
		d->used = 0;
		note(r, fr->number, N_("bad IPv4 fragment (not reassembled)"));
		return -1;
	}
	/* the first fragment's header, made whole: total length, no fragment bits */
	memcpy(r->out, d->hdr, d->hlen);
	r->out[2] = (uint8_t)((d->hlen + d->total) >> 8);
	r->out[3] = (uint8_t)(d->hlen + d->total);
	r->out[6] = r->out[7] = 0;
	memcpy(r->out + d->hlen, d->data, d->total);
	d->used = 0;
	return (long)(d->hlen + d->total);
}

static int
reader_next(struct cap_reader *r, struct cap_frame *fr, struct cap_pkt *pkt, char *err,
            size_t errlen)
{
	for (;;) {
		enum cap_status st;
		int rc;
		long n;

		if (r->note_why != NULL) {
			memset(pkt, 0, sizeof *pkt);
			pkt->status = CAP_FRAGMENT;
			pkt->why = r->note_why;
			pkt->ipproto = 6;
			fr->number = r->note_frame;
			r->note_why = NULL;
			return 2;
		}
		if (r->at_eof) {
			/* datagrams still missing pieces */
			for (int i = 0; i < NDGRAM; i++)
				if (r->dg[i] != NULL && r->dg[i]->used) {
					r->dg[i]->used = 0;
					note(r, r->dg[i]->first_frame, N_("IPv4 fragment (not reassembled)"));
					break;
				}
			if (r->note_why != NULL)
				continue;
			return 0;
		}
		rc = cap_file_next(r->f, fr, err, errlen);
		if (rc == 0) {
			r->at_eof = 1;
			continue;
		}
		if (rc == CAP_AGAIN)
			return CAP_AGAIN;
		if (rc < 0)
			return -1;
		st = cap_decode(fr->linktype, fr->data, fr->caplen, pkt);
		if (st == CAP_TCP)
			return 1;
		if (st == CAP_FRAGMENT && pkt->ipver == 4) {
			n = add_fragment(r, fr, pkt);
			if (n == 0)
				continue;
			if (n > 0) {
				fr->data = r->out;
				fr->caplen = (uint32_t)n;
				fr->linktype = CAP_LINK_RAW;
				if (cap_decode(CAP_LINK_RAW, r->out, (uint32_t)n, pkt) == CAP_TCP)
					return 1;
				if (pkt->ipproto != 6)
					continue;
				return 2;
			}
			continue;       /* the note goes out first */
		}
		/* a TCP segment that cannot be shown: the caller notes it */
		if (pkt->ipproto == 6 && st != CAP_NOT_TCP)
			return 2;
	}
}

/* ---- read-ahead ------------------------------------------------------------ */

static void *
ahead_main(void *arg)
{
	struct cap_reader *r = arg;
	struct ahead_slot *s;

	while ((s = tt_pipe_slot(r->ahead)) != NULL) {
		s->rc = reader_next(r, &s->fr, &s->pkt, r->ahead_err, sizeof r->ahead_err);
		s->fr.data = NULL;
		tt_pipe_push(r->ahead);
		if (s->rc <= 0) {
			tt_pipe_publish(r->ahead);
			break;
		}
	}
	return NULL;
}

int
cap_reader_read_ahead(struct cap_reader *r)
{
	if (r->ahead != NULL)
		return 0;
	if (cap_reader_fd(r) >= 0)
		return -1;              /* live: each packet as it comes */
	if ((r->ahead = tt_pipe_new(sizeof(struct ahead_slot), AHEAD_SLOTS, AHEAD_BLOCKS)) == NULL)
		return -1;
	if (tt_pipe_run(r->ahead, ahead_main, r) < 0) {
		tt_pipe_free(r->ahead);
		r->ahead = NULL;
		return -1;
	}
	return 0;
}

/* The thread stops where it is and is gone. */
static void
ahead_end(struct cap_reader *r)
{
	tt_pipe_free(r->ahead);
	r->ahead = NULL;
	r->last = NULL;
}

/* The next result the thread made, in its slot; the last one (end or
 * damage) stays, as reading past the end does. */
static int
ahead_next(struct cap_reader *r, const struct cap_frame **fr, const struct cap_pkt **pkt,
           char *err, size_t errlen)
{
	const struct ahead_slot *s = r->last;

	if (s == NULL && (s = tt_pipe_next(r->ahead)) == NULL)
		return 0;               /* cannot happen: the pipe stops only here */
	if (s->rc <= 0)
		r->last = s;
	if (s->rc < 0)
		snprintf(err, errlen, "%s", r->ahead_err);      /* written before s */
	*fr = &s->fr;
	*pkt = &s->pkt;
	return s->rc;
}

int
cap_reader_take(struct cap_reader *r, const struct cap_frame **fr, const struct cap_pkt **pkt,
                char *err, size_t errlen)
{
	if (r->ahead != NULL)
		return ahead_next(r, fr, pkt, err, errlen);
	*fr = &r->fr;
	*pkt = &r->pkt;
	return reader_next(r, &r->fr, &r->pkt, err, errlen);
}

int
cap_reader_next(struct cap_reader *r, struct cap_frame *fr, struct cap_pkt *pkt, char *err,
                size_t errlen)
{
	const struct cap_frame *f;
	const struct cap_pkt *p;
	int rc;

	if (r->ahead == NULL)
		return reader_next(r, fr, pkt, err, errlen);
	if ((rc = ahead_next(r, &f, &p, err, errlen)) > 0) {
		*fr = *f;
		*pkt = *p;
	}
	return rc;
}
