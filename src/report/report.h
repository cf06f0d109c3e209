/* report/report.h: the segment table in batch form (text, TSV, JSON lines).
 * Columns and their meaning are doc/design.md's; this is the one place that
 * prints them, for lessons, the sandbox and replay alike. No curses. */
#ifndef TT_REPORT_H
#define TT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "engine/tcp.h"
#include "trace/trace.h"

enum tt_format { TT_FMT_TEXT, TT_FMT_TSV, TT_FMT_JSON };

struct tt_row {
	unsigned stream;
	uint64_t frame;
	int64_t time_ns;        /* since the first packet / scenario start */
	int dir;                /* 0: C>S, 1: S>C */
	const char *src, *dst;  /* "addr:port" / "[addr]:port" */
	unsigned flags;         /* TT_FIN ... TT_CWR */
	uint32_t seq, ack;      /* already relative (or absolute) as wanted */
	uint32_t len;
	uint32_t win;           /* raw window field */
	enum tt_state cstate, sstate;
	const char *notes;      /* comma-joined, "" for none */
	/* replay: the state changes in this row, in order (text: a line each
	 * under the row; JSON: "transitions"); NULL for none */
	unsigned ntrans;
	const struct tt_transition {
		int host;               /* 0 client, 1 server */
		enum tt_state from, to;
		enum tt_reason reason;
		uint64_t crossed;       /* the segment of this frame crossed (arrived after
		                           the row it is shown on), else 0 */
		int inferred;           /* caused by a segment the capture missed */
	} *trans;
	/* live with the kernel's view (tt_report_kernel): what the kernel says
	 * of the client and the server ("-": not a local endpoint), and, when
	 * it differs from the inference, why (text: a line under the row) */
	const char *kernel[2];
	const char *kernel_why;
	/* and what tcp:tcp_probe said at the endpoint the segment reached
	 * (NULL: it did not fire there, or is not available) */
	const struct tt_probe_fig {
		uint32_t cwnd;          /* segments */
		uint32_t ssthresh;      /* segments; TT_PROBE_NO_SSTHRESH: not set */
		uint32_t srtt_us;       /* 0: no sample yet */
		uint32_t snd_wnd;       /* bytes */
	} *probe[2];
	/* --tcb (tt_report_tcb): each host's TCB after the row, NULL for none
	 * yet; tcb_base[h] is subtracted from that host's sequence numbers (the
	 * row's relative base, 0 when absolute), tcb_nobase[h] set when it is
	 * not known (those columns then say "-"); tcb_wire: the figures come
	 * from a capture, which shows no cwnd, ssthresh, SRTT or RTO, and
	 * whose bytes in flight are tcb_flight: the sender's after the row as
	 * Wireshark counts them, -1 where it has none (the other host: none) */
	const struct tt_tcb_view *tcb[2];
	uint32_t tcb_base[2];
	unsigned char tcb_nobase[2];
	int tcb_wire;
	int32_t tcb_flight;
};
#define TT_PROBE_NO_SSTHRESH 0x7fffffffu

struct tt_report;

struct tt_report *tt_report_new(FILE *out, enum tt_format fmt);
/* Flushes (tt_report_flush) and frees. */
void tt_report_free(struct tt_report *r);
/* TSV rows are gathered and written 64 KiB at a time rather than one by
 * one (for a file read in batch, not for rows that must show as they
 * come): tt_report_flush before anything else writes to the stream. */
void tt_report_buffer(struct tt_report *r);
/* Writes the rows gathered so far to the stream (not fflush). */
void tt_report_flush(struct tt_report *r);
/* Rows carry the kernel's view: TSV and JSON get client_kernel,
 * server_kernel, client_probe and server_probe after notes (call before
 * the header). A probe is "cwnd/ssthresh/srtt_us/snd_wnd" in TSV ("-" for
 * none, and for an unset ssthresh), an object in JSON (null for none). */
void tt_report_kernel(struct tt_report *r);
/* Rows carry both TCBs (--tcb): TSV and JSON get, after every other
 * column, c_ and s_ followed by snd_una, snd_nxt, snd_wnd, cwnd, ssthresh,
 * srtt, rto and in_flight ("-" / null where not known); text a line per
 * host under the row. Call before the header. */
void tt_report_tcb(struct tt_report *r);
/* The TSV header / text column heads; JSON prints none. */
void tt_report_header(struct tt_report *r);
void tt_report_row(struct tt_report *r, const struct tt_row *row);
/* "client" or "server" (TT_CLIENT, TT_SERVER), translated. */
const char *tt_report_host(int h);
/* Writes s as a JSON string literal (with quotes) to f. */
void tt_json_string(FILE *f, const char *s);

/* Prints every segment step of a trace (a simulation's: tt_sim_trace()) as
 * a table row (frame = row number, relative numbers by tt_trace_bases()
 * unless absolute). Event steps are printed as comment lines in text format
 * only, when events is set. */
void tt_report_trace(struct tt_report *r, const struct tt_trace *t, int absolute, int events);

#endif
