/* report/streams.c: a capture's stream table in batch form (replay,
 * live): each segment as a row of the segment table, and --streams, one
 * row per stream. Writes only to the FILE * it is given (through the
 * report for rows). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/pipe.h"
#include "capture/capture.h"
#include "i18n.h"
#include "report/report.h"
#include "report/streams.h"

void
tt_report_seg(struct tt_report *rep, const struct cap_seg *seg, unsigned stream, const char *src,
              const char *dst, int absolute, const struct tt_seg_word *kw)
{
	char notes[160];
	struct tt_row row;
	struct tt_transition tr[TT_STEP_EVENTS];
	unsigned ntr = 0;

	row = (struct tt_row){
		.stream = stream,
		.frame = seg->frame,
		.time_ns = seg->time_ns,
		.dir = seg->dir,
		.src = src,
		.dst = dst,
		.flags = seg->flags,
		.seq = absolute ? seg->seq : seg->rel_seq,
		.ack = absolute ? seg->ack : seg->rel_ack,
		.len = seg->len,
		.win = seg->win,
		.cstate = seg->state[0],
		.sstate = seg->state[1],
		.notes = seg->notes ? tt_notes_format(seg->notes, notes, sizeof notes) : "",
		.trans = tr,
		.kernel = { kw != NULL ? kw->kernel[0] : NULL, kw != NULL ? kw->kernel[1] : NULL },
		.kernel_why = kw != NULL ? kw->why : NULL,
		.probe = { kw != NULL ? kw->probe[0] : NULL, kw != NULL ? kw->probe[1] : NULL },
	};
	for (unsigned k = 0; k < seg->nev; k++) {
		const struct cap_event *ce = &seg->ev[k];

		if (ce->ev.from == ce->ev.to)
			continue;
		tr[ntr++] = (struct tt_transition){
			.host = ce->host, .from = ce->ev.from, .to = ce->ev.to,
			.reason = ce->ev.reason,
			.crossed = (ce->flags & TT_OBS_CROSSED) ? ce->arrived : 0,
			.inferred = (ce->flags & TT_OBS_INFERRED) != 0,
		};
	}
	row.ntrans = ntr;
	/* --tcb (read only when the report shows them): the observer's TCBs
	 * (absolute) on the row's relative bases: the sender's from its seq,
	 * the receiver's from the ack, when it has one */
	row.tcb[0] = &seg->tcb[0];
	row.tcb[1] = &seg->tcb[1];
	row.tcb_wire = 1;
	row.tcb_flight = seg->flight;
	row.tcb_base[seg->dir] = seg->seq - row.seq;
	row.tcb_base[!seg->dir] = seg->ack - row.ack;
	row.tcb_nobase[!seg->dir] = !(seg->flags & TT_ACK);
	tt_report_row(rep, &row);
}

/* One --streams TSV line, put together without printf (a busy capture has
 * a hundred thousand streams, a flood a million, and fprintf took most of
 * their time), at line, which has STREAM_LINE bytes; returns its length. */
#define STREAM_LINE 512

static size_t
stream_tsv(char *line, const struct cap_stream_info *si)
{
	char num[2][TT_DECIMAL];
	const char *f[] = {
		tt_fmt_decimal(num[0], si->index), si->endpoint[0], si->endpoint[1],
		tt_fmt_decimal(num[1], si->packets), si->handshake ? "yes" : "no", cap_end_name(si->end),
		tt_state_name(si->final[0]), tt_state_name(si->final[1])
	};
	const size_t nf = sizeof f / sizeof f[0];
	size_t n = 0;

	/* each field is at most 56 bytes: the line always fits */
	for (size_t i = 0; i < nf; i++) {
		size_t k = strnlen(f[i], 63);

		memcpy(line + n, f[i], k);
		n += k;
		line[n++] = i + 1 < nf ? '\t' : '\n';
	}
	return n;
}

/* A big table's TSV lines are made by two threads, a chunk of CHUNK
 * streams each in turn: the caller's makes and writes the even chunks, a
 * second makes the odd ones into the blocks of a pipe, which the caller
 * writes in their place. The table is only read. (A chunk's lines fill a
 * slot at most: a line is under STREAM_LINE bytes.) */
#define CHUNK 256
#define CHUNK_BLOCKS 4
#define TWO_THREADS (16 * CHUNK)        /* streams, at least */

struct chunk {
	size_t len;
	char text[CHUNK * STREAM_LINE];
};

struct halves {
	const struct cap_replay *r;
	size_t n;
	struct tt_pipe *p;
};

/* The lines of streams [from, from + CHUNK), at most n, at text. */
static size_t
chunk_tsv(const struct cap_replay *r, size_t from, size_t n, char *text)
{
	struct cap_stream_info si;
	size_t len = 0;

	for (size_t i = from; i < n && i < from + CHUNK; i++) {
		cap_replay_stream(r, i, &si);
		len += stream_tsv(text + len, &si);
	}
	return len;
}

static void *
odd_chunks(void *arg)
{
	struct halves *h = arg;
	struct chunk *c;

	for (size_t from = CHUNK; from < h->n; from += 2 * CHUNK) {
		if ((c = tt_pipe_slot(h->p)) == NULL)
			return NULL;    /* stopped */
		c->len = chunk_tsv(h->r, from, h->n, c->text);
		tt_pipe_push(h->p);
		tt_pipe_publish(h->p);
	}
	return NULL;
}

/* Every stream's line, by two threads; -1 (nothing written) when no
 * second thread could start. */
static int
streams_tsv_two(FILE *out, const struct cap_replay *r, size_t n)
{
	struct halves h = { r, n, tt_pipe_new(sizeof(struct chunk), 1, CHUNK_BLOCKS) };
	struct chunk *mine = malloc(sizeof *mine);

	if (h.p == NULL || mine == NULL || tt_pipe_run(h.p, odd_chunks, &h) < 0) {
		tt_pipe_free(h.p);
		free(mine);
		return -1;
	}
	for (size_t from = 0; from < n; from += 2 * CHUNK) {
		const struct chunk *theirs;

		fwrite(mine->text, 1, chunk_tsv(r, from, n, mine->text), out);
		if (from + CHUNK < n && (theirs = tt_pipe_next(h.p)) != NULL)
			fwrite(theirs->text, 1, theirs->len, out);
	}
	tt_pipe_free(h.p);
	free(mine);
	return 0;
}

void
tt_report_streams(FILE *out, enum tt_format fmt, const struct cap_replay *r, int only,
                  const int *map)
{
	size_t n = cap_replay_nstreams(r);
	struct cap_stream_info si;
	char line[STREAM_LINE];

	if (fmt == TT_FMT_TSV)
		fputs("stream\tclient\tserver\tpackets\thandshake\tend\tclient_state\tserver_state\n",
		      out);
	if (fmt == TT_FMT_TSV && only < 0 && map == NULL && n >= TWO_THREADS &&
	    streams_tsv_two(out, r, n) == 0)
		return;
	if (fmt == TT_FMT_TEXT)
		fprintf(out, "%6s  %-24s %-24s %7s %-9s %-10s  %-12s %s\n", "stream", "client",
		        "server", "packets", "handshake", "end", "client_state", "server_state");
	for (size_t i = 0; i < n; i++) {
		if (only >= 0 && (size_t)only != i)
			continue;
		if (map != NULL && map[i] < 0)
			continue;
		cap_replay_stream(r, i, &si);
		if (map != NULL)
			si.index = (unsigned)map[i];
		switch (fmt) {
		case TT_FMT_TSV:
			fwrite(line, 1, stream_tsv(line, &si), out);
			break;
		case TT_FMT_JSON:
			fprintf(out, "{\"stream\":%u,\"client\":", si.index);
			tt_json_string(out, si.endpoint[0]);
			fputs(",\"server\":", out);
			tt_json_string(out, si.endpoint[1]);
			fprintf(out, ",\"packets\":%" PRIu64 ",\"handshake\":%s,\"end\":\"%s\","
			        "\"client_state\":\"%s\",\"server_state\":\"%s\"}\n",
			        si.packets, si.handshake ? "true" : "false", cap_end_name(si.end),
			        tt_state_name(si.final[0]), tt_state_name(si.final[1]));
			break;
		case TT_FMT_TEXT:
			fprintf(out, "%6u  %-24s %-24s %7" PRIu64 " %-9s %-10s  %-12s %s\n", si.index,
			        si.endpoint[0], si.endpoint[1], si.packets,
			        /* the words of the TSV and JSON tables, in every
			         * language, as the column heads and states are */
			        si.handshake ? "yes" : "no", cap_end_name(si.end),
			        tt_state_name(si.final[0]), tt_state_name(si.final[1]));
			break;
		}
	}
}

void
tt_report_kernel_header(FILE *out, enum tt_format fmt)
{
	if (fmt == TT_FMT_TSV)
		fputs("time\tlocal\tremote\tfrom\tto\n", out);
}

void
tt_report_kernel_change(FILE *out, enum tt_format fmt, int64_t t, const char *local,
                        const char *remote, enum tt_state from, enum tt_state to)
{
	char when[32];

	tt_fmt_secs(t / 1000, when, sizeof when);
	if (fmt == TT_FMT_TSV)
		fprintf(out, "%s\t%s\t%s\t%s\t%s\n", when, local, remote, tt_state_name(from),
		        tt_state_name(to));
	else if (fmt == TT_FMT_JSON)
		fprintf(out, "{\"time\":%s,\"local\":\"%s\",\"remote\":\"%s\","
		        "\"from\":\"%s\",\"to\":\"%s\"}\n", when, local, remote,
		        tt_state_name(from), tt_state_name(to));
	else
		fprintf(out, "%13s %-24s %-24s %s -> %s\n", when, local, remote, tt_state_name(from),
		        tt_state_name(to));
}
