/* report/streams.h: a capture's stream table in batch form (replay and
 * live): its segments as rows of the segment table, and --streams. */
#ifndef TT_REPORT_STREAMS_H
#define TT_REPORT_STREAMS_H

#include <stdint.h>
#include <stdio.h>

#include "report/report.h"

struct cap_replay;
struct cap_seg;

/* What live adds to a row: the kernel's state names of the client and the
 * server ("-": not a local endpoint), why they differ from the inference
 * (NULL: they do not), and tcp:tcp_probe's figures per endpoint (NULL:
 * none). */
struct tt_seg_word {
	const char *kernel[2];
	const char *why;
	const struct tt_probe_fig *probe[2];
};

/* One row of the stream table as stream `stream` (live renumbers the
 * streams it follows), from src to dst, its numbers relative unless
 * absolute; kw NULL: no kernel view. */
void tt_report_seg(struct tt_report *rep, const struct cap_seg *seg, unsigned stream,
                   const char *src, const char *dst, int absolute, const struct tt_seg_word *kw);
/* --streams: the header (text, TSV), then one row per stream of r, only
 * stream `only` when it is not -1; map[i] the number to show for stream i
 * or -1 to leave it out (map NULL: all, as they are). */
void tt_report_streams(FILE *out, enum tt_format fmt, const struct cap_replay *r, int only,
                       const int *map);
/* live without packets: the kernel's transitions alone, each at t ns
 * since the start, between local and remote ("addr:port"); the header
 * (TSV only). */
void tt_report_kernel_header(FILE *out, enum tt_format fmt);
void tt_report_kernel_change(FILE *out, enum tt_format fmt, int64_t t, const char *local,
                             const char *remote, enum tt_state from, enum tt_state to);

#endif
