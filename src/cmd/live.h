/* cmd/live.h: the pipeline of `tcptutor live` (cmd/live_pipe.c), shared by its
 * batch output and its step view (cmd/live_tui.c): a live capture through
 * the stream table, each row settled with the kernel's word. */
#ifndef TT_LIVE_H
#define TT_LIVE_H

#include <stdint.h>
#include <sys/types.h>

#include "capture/capture.h"
#include "cmd/cmd.h"
#include "kernel/kernel.h"

enum { LIVE_UNDECIDED = -2, LIVE_NOT_SHOWN = -1 };
/* A row waits at most LIVE_IDLE_MS for the next one; at most LIVE_MAX_NOTES
 * frames that cannot be shown are noted one by one, the rest counted. */
enum { LIVE_IDLE_MS = 300, LIVE_MAX_NOTES = 10 };

struct live_frame {               /* a frame read lately */
	uint64_t frame;
	int64_t abs_ns;
	uint32_t caplen;
	struct cap_pkt pkt;
	uint8_t preview[TT_PREVIEW];
};

struct live_word {                /* the kernel's word on a row */
	const char *state[2];         /* the client's, the server's state names, "-" */
	const char *why;              /* translated, when they differ from the inference */
	const struct kn_probe *probe[2]; /* tcp:tcp_probe where the segment arrived, NULL */
};

struct live {
	const struct tt_cli *cli;
	const char *iface;
	char *filter;
	struct cap_reader *rd;        /* NULL: no privilege to capture */
	int linktype;
	struct cap_replay *r;
	struct kn *k;                 /* NULL: no kernel view */
	struct live_frame *ring;
	struct cap_seg *pend;         /* rows waiting for the kernel's word */
	size_t npend, cappend;
	uint64_t last_frame, nframes;
	int64_t last_abs, last_wall, start_ns, first_abs;
	int *map;                     /* stream -> number shown, LIVE_* */
	size_t nmap;
	unsigned nshown;
	unsigned long odd;            /* frames with notes */
	int capture_done;             /* --count reached */
	int following;                /* live -- COMMAND */
	pid_t child;
	int child_done, child_status;
	int64_t child_done_at;
	int kernel_broke;
	char kernel_err[256];
	char no_capture[512];         /* why there are no packets, or "" */
	char kernel_note[640];        /* what the kernel view lacks, or "" */
	char probe_note[384];         /* why there are no tcp:tcp_probe figures, or "" */
	/* where settled rows go, with the kernel's word (kw NULL: no kernel view) */
	void (*emit)(struct live *lv, const struct cap_seg *seg, unsigned stream, const char *src,
	             const char *dst, const struct live_word *kw, const struct cap_pkt *pkt);
	void (*note)(struct live *lv, uint64_t frame, const char *why);
	void *ctx;
};

/* Opens the capture and the kernel view, then drops privileges. */
int live_open(struct live *lv, const struct tt_cli *cli, int argc, char **argv, char *err,
              size_t errlen);
/* Starts COMMAND as the (unprivileged) user and follows only its
 * connections; quiet: its output goes to /dev/null (the step view). */
int live_start_command(struct live *lv, char **command, int quiet, char *err, size_t errlen);
/* Waits up to wait_ms (-1: until something comes) and takes what came. */
int live_pump(struct live *lv, int wait_ms, char *err, size_t errlen);
/* Notes (without waiting) that the command has ended, at time now. */
void live_reap(struct live *lv, int64_t now);
void live_finish(struct live *lv);
void live_close(struct live *lv);
int live_tui(const struct tt_cli *cli, struct live *lv);

#endif
