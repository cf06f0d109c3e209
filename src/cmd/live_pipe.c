/* cmd/live_pipe.c: the pipeline of `tcptutor live` (cmd/live.h), shared
 * by its batch output (cmd/live.c) and its step view (cmd/live_tui.c).
 *
 * The replay pipeline fed by a live capture (cap_reader_open_live) instead
 * of a file, with the kernel's own states beside the inferred ones
 * (kernel/). Start-up, as tcpdump does it: open the capture and the
 * tracepoint while privileged, then drop to the invoking user before a
 * single packet is read, then start the command of `live -- COMMAND`.
 *
 * Rows come out of the stream table when final (cap_replay_row) and wait
 * here for the kernel's word: a row's kernel states are those of the
 * kernel when the next segment was captured (on loopback the receiver has
 * handled a segment before the next one is seen), or, when nothing came
 * for LIVE_IDLE_MS or the capture ended, LIVE_LAST_NS after the row's own.
 * Settled rows go to lv->emit. Nothing here prints (but a COMMAND that
 * cannot be started, from its child).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "capture/capture.h"
#include "cmd/cmd.h"
#include "cmd/live.h"
#include "i18n.h"
#include "kernel/kernel.h"

#define FRING 8192            /* frames remembered (addresses, time stamps) */
#define HOLD_MS 1000          /* a row waits this long for its receiver's answer
                               * while others come */
#define LIVE_LAST_NS 1000000  /* the kernel's word on a row no later frame bounds:
                               * this long after it (loopback handles a segment
                               * within microseconds) */

static struct live_frame *
frame_of(struct live *lv, uint64_t frame)
{
	struct live_frame *f = &lv->ring[frame % FRING];

	return f->frame == frame ? f : NULL;
}

/* The kernel's word on a row, and why it differs from the inference. */
static const char *
differs_why(int inferred, int kernel, int prev, int last)
{
	if (inferred == TT_SYN_RECEIVED && kernel == TT_LISTEN)
		return N_("Linux keeps a half-open connection as a request socket of the listener "
		          "(NEW_SYN_RECV): the connection's own socket appears only with the final ACK.");
	if (inferred == TT_TIME_WAIT && kernel == TT_CLOSED)
		return N_("Linux hands TIME-WAIT to a mini-socket: the tracepoint shows the socket "
		          "closing (FIN_WAIT2 -> CLOSE) while ss still lists TIME-WAIT, for a fixed 60 s.");
	if (inferred == TT_FIN_WAIT_2 && kernel == TT_CLOSED)
		return N_("Linux closes an orphaned FIN-WAIT-2 socket after net.ipv4.tcp_fin_timeout "
		          "(60 s by default) instead of waiting for the peer's FIN for ever.");
	if (prev >= 0 && prev == inferred && last)
		return N_("The kernel had moved on just after this segment, the last one captured.");
	if (prev >= 0 && prev == inferred)
		return N_("The kernel had moved on by the time the next segment was seen.");
	return N_("The kernel's word is read when the next segment is seen: it may have moved on "
	          "already, or the capture missed a segment.");
}

/* The next frame was sent by a:ap to b:bp with a FIN or RST: the
 * transition its sending made (FIN-WAIT-1, LAST-ACK, CLOSED) waits for its
 * own row. */
static unsigned
send_skip(const struct live_frame *next, int ipver, const uint8_t *a, uint16_t ap,
          const uint8_t *b, uint16_t bp)
{
	int l = ipver == 6 ? 16 : 4;

	if (next == NULL || next->pkt.ipver != ipver || next->pkt.sport != ap ||
	    next->pkt.dport != bp || memcmp(next->pkt.src, a, l) != 0 ||
	    memcmp(next->pkt.dst, b, l) != 0)
		return 0;
	if (next->pkt.flags & TT_RST)
		return 1u << TT_CLOSED;
	if (next->pkt.flags & TT_FIN)
		return 1u << TT_FIN_WAIT_1 | 1u << TT_LAST_ACK;
	return 0;
}

/* The figures tcp:tcp_probe reported when the segment reached its
 * receiver: it fires in tcp_rcv_established only, so only for a receiver
 * that was ESTABLISHED before the segment (as inferred); the probe is the
 * oldest one not taken yet of that socket (local = the segment's
 * destination, remote = its source), no earlier than 1 ms before the frame's
 * time stamp, of the same payload length, whose SND.UNA..SND.NXT holds the
 * segment's ACK. */
static int
receiver_probe(struct live *lv, const struct cap_seg *seg, const struct live_frame *f,
               struct kn_probe *out)
{
	int h = !seg->dir;
	enum tt_state before = seg->state[h];

	for (unsigned k = 0; k < seg->nev; k++)
		if (seg->ev[k].host == h && seg->ev[k].ev.from != seg->ev[k].ev.to) {
			before = seg->ev[k].ev.from;
			break;
		}
	if (before != TT_ESTABLISHED || !kn_is_local(lv->k, f->pkt.ipver, f->pkt.dst))
		return 0;
	return kn_probe_take(lv->k, f->pkt.ipver, f->pkt.dst, f->pkt.dport, f->pkt.src,
	                     f->pkt.sport, f->abs_ns - 1000000, f->pkt.len,
	                     (f->pkt.flags & TT_ACK) != 0, f->pkt.ack, out);
}

static void
settle(struct live *lv, struct cap_seg *seg, int64_t bound, const struct live_frame *next)
{
	struct live_frame *f = frame_of(lv, seg->frame);
	char ep[2][64];
	const char *kernel[2] = { NULL, NULL }, *why = NULL;
	struct cap_stream_info si;
	struct live_word kw;
	struct kn_probe pr;
	unsigned shown;

	if (seg->stream >= lv->nmap) {
		size_t n = lv->nmap ? lv->nmap : 64;
		int *m;

		while (n <= seg->stream)
			n *= 2;
		if ((m = realloc(lv->map, n * sizeof *m)) == NULL)
			return;
		for (size_t i = lv->nmap; i < n; i++)
			m[i] = LIVE_UNDECIDED;
		lv->map = m;
		lv->nmap = n;
	}
	/* live -- COMMAND: is this stream one of the command's connections? */
	if (lv->map[seg->stream] == LIVE_UNDECIDED) {
		int mine = 1;

		if (lv->following && f != NULL)
			mine = kn_followed(lv->k, f->pkt.ipver, f->pkt.src, f->pkt.sport, f->pkt.dst,
			                   f->pkt.dport, f->abs_ns);     /* its first row */
		lv->map[seg->stream] = mine ? (int)lv->nshown++ : LIVE_NOT_SHOWN;
	}
	if (lv->map[seg->stream] < 0)
		return;
	shown = (unsigned)lv->map[seg->stream];
	cap_replay_stream(lv->r, seg->stream, &si);
	if (lv->k != NULL && f != NULL) {
		kn_set_opened(lv->k, lv->first_abs + si.first_ns);
		for (int h = 0; h < 2; h++) {
			/* host h sent the segment when h == dir */
			int sent = h == seg->dir;
			const uint8_t *a = sent ? f->pkt.src : f->pkt.dst, *b = sent ? f->pkt.dst : f->pkt.src;
			uint16_t ap = sent ? f->pkt.sport : f->pkt.dport, bp = sent ? f->pkt.dport : f->pkt.sport;
			int st, prev;

			if (!kn_is_local(lv->k, f->pkt.ipver, a)) {
				kernel[h] = "-";
				continue;
			}
			st = kn_state_before(lv->k, f->pkt.ipver, a, ap, b, bp, bound, f->abs_ns,
			                     send_skip(next, f->pkt.ipver, a, ap, b, bp));
			prev = kn_prev_state(lv->k, f->pkt.ipver, a, ap, b, bp, bound);
			kernel[h] = st >= 0 ? tt_state_name((enum tt_state)st) : "-";
			if (st >= 0 && st != (int)seg->state[h]) {
				seg->notes |= TT_NOTE(KERNEL_DIFFERS);
				if (why == NULL)
					why = differs_why((int)seg->state[h], st, prev, next == NULL);
			}
		}
	} else if (lv->k != NULL) {
		kernel[0] = kernel[1] = "-";
	}
	memset(&kw, 0, sizeof kw);
	kw.state[0] = kernel[0];
	kw.state[1] = kernel[1];
	kw.why = why != NULL ? _(why) : NULL;
	if (lv->k != NULL && f != NULL && receiver_probe(lv, seg, f, &pr))
		kw.probe[!seg->dir] = &pr;
	snprintf(ep[0], sizeof ep[0], "%s", si.endpoint[0]);
	snprintf(ep[1], sizeof ep[1], "%s", si.endpoint[1]);
	lv->emit(lv, seg, shown, ep[seg->dir], ep[!seg->dir], lv->k != NULL ? &kw : NULL,
	         f != NULL ? &f->pkt : NULL);
}

/* Rows out of the stream table wait in lv->pend until their bound is known. */
static int
take_rows(struct live *lv)
{
	struct cap_seg seg;

	while (cap_replay_row(lv->r, &seg)) {
		if (TT_GROW(lv->pend, lv->npend, lv->cappend, 64) < 0)
			return -1;
		lv->pend[lv->npend++] = seg;
	}
	return 0;
}

/* Settles the waiting rows whose next frame has been seen (all of them when
 * force: at time now). */
static void
settle_rows(struct live *lv, int force)
{
	size_t done = 0;
	int64_t now = kn_now();
	char err[256];

	if (lv->npend == 0)
		return;
	if (lv->k != NULL && kn_update(lv->k, err, sizeof err) < 0 && !lv->kernel_broke) {
		snprintf(lv->kernel_err, sizeof lv->kernel_err, "%s", err);
		lv->kernel_broke = 1;
	}
	for (; done < lv->npend; done++) {
		struct cap_seg *seg = &lv->pend[done];
		struct live_frame *next = NULL;
		int64_t bound = -1;

		/* up to the next frame: what the receiver did with this segment
		 * is in; what its sender did to send that one is left out
		 * (settle) */
		for (uint64_t g = seg->frame + 1; g <= lv->last_frame && g < seg->frame + 64; g++) {
			if (frame_of(lv, g) != NULL) {
				bound = frame_of(lv, g)->abs_ns;
				next = frame_of(lv, g);
				break;
			}
		}
		if (bound < 0 && seg->frame < lv->last_frame)
			bound = lv->last_abs;
		if (bound < 0) {
			const struct live_frame *f = frame_of(lv, seg->frame);

			if (!force)
				break;
			/* no later frame: the kernel just after this one, not now
			 * (with --count the connection goes on uncaptured, and a
			 * timer may have fired since) */
			bound = f != NULL && f->abs_ns + LIVE_LAST_NS < now ? f->abs_ns + LIVE_LAST_NS : now;
		}
		settle(lv, seg, bound, next);
	}
	memmove(lv->pend, lv->pend + done, (lv->npend - done) * sizeof *lv->pend);
	lv->npend -= done;
}

int
live_open(struct live *lv, const struct tt_cli *cli, int argc, char **argv, char *err,
          size_t errlen)
{
	char why[512], kerr[256];
	const char *iface = cli->iface != NULL ? cli->iface : "lo";
	char *filter = tt_join_words(argc, argv);
	int rc, dropped;

	memset(lv, 0, sizeof *lv);
	lv->cli = cli;
	lv->iface = iface;
	lv->child = -1;
	lv->ring = calloc(FRING, sizeof *lv->ring);
	lv->r = cap_replay_new(CAP_ROWS | CAP_VIEWS);
	if (filter == NULL || lv->ring == NULL || lv->r == NULL) {
		free(filter);
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	lv->filter = filter;
	/* privileged part: the capture and the tracepoint */
	rc = cap_reader_open_live(iface, filter, &lv->rd, err, errlen);
	if (rc == -2) {
		snprintf(lv->no_capture, sizeof lv->no_capture,
		         _("cannot capture on %s: capturing needs CAP_NET_RAW (run it with sudo, or "
		           "once: sudo setcap cap_net_raw+ep %s)"), iface, cli->exe != NULL ? cli->exe :
		         "tcptutor");
	} else if (rc < 0) {
		return -1;
	}
	if (kn_open(1, &lv->k, why, sizeof why, kerr, sizeof kerr) < 0) {
		snprintf(lv->kernel_note, sizeof lv->kernel_note, "%s", kerr);
		lv->k = NULL;
	} else if (why[0] != '\0') {
		snprintf(lv->kernel_note, sizeof lv->kernel_note,
		         _("kernel states from sock_diag polling, which can miss short-lived states: %s"),
		         why);
	}
	if (lv->k != NULL && !kn_has_probe(lv->k, why, sizeof why))
		snprintf(lv->probe_note, sizeof lv->probe_note,
		         _("no kernel cwnd, ssthresh or SRTT: %s"), why);
	if (lv->rd == NULL && lv->k == NULL) {
		snprintf(err, errlen, "%s", lv->no_capture);
		return -1;
	}
	/* then nothing but the invoking user, before a single packet is read */
	if (kn_drop_privileges(cli->user, &dropped, err, errlen) < 0)
		return -1;
	if (lv->rd != NULL)
		lv->linktype = cap_reader_linktype(lv->rd);
	return 0;
}

int
live_start_command(struct live *lv, char **command, int quiet, char *err, size_t errlen)
{
	int ready[2];
	pid_t pid;
	char c;

	lv->following = 1;
	if (lv->k == NULL) {
		snprintf(err, errlen, "%s", _("following a command needs the kernel's socket view"));
		return -1;
	}
	/* the child waits until it is followed, so its first SYN counts */
	if (pipe(ready) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(ready[1]);
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
		close(ready[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		{
			int nul = open("/dev/null", O_RDWR);

			if (nul >= 0) {
				dup2(nul, 0);
				if (quiet) {
					dup2(nul, 1);
					dup2(nul, 2);
				} else {
					dup2(2, 1);     /* rows alone on standard output */
				}
				if (nul > 2)
					close(nul);
			}
		}
		execvp(command[0], command);
		tt_warn(_("cannot run '%s': %s"), command[0], strerror(errno));
		_exit(127);
	}
	close(ready[0]);
	lv->child = pid;
	kn_follow(lv->k, pid);
	close(ready[1]);
	return 0;
}

/* Reads what is waiting (waiting up to wait_ms for it); -1 on a broken
 * capture (message in err). */
int
live_pump(struct live *lv, int wait_ms, char *err, size_t errlen)
{
	struct pollfd pfd[2];
	nfds_t n = 0;
	int64_t now;
	int idle;

	if (lv->rd != NULL && !lv->capture_done) {
		pfd[n].fd = cap_reader_fd(lv->rd);
		pfd[n++].events = POLLIN;
	}
	if (kn_fd(lv->k) >= 0) {
		pfd[n].fd = kn_fd(lv->k);
		pfd[n++].events = POLLIN;
	}
	if (lv->k != NULL && kn_fd(lv->k) < 0 && (wait_ms < 0 || wait_ms > KN_DIAG_MS))
		wait_ms = KN_DIAG_MS;
	if (lv->npend > 0 && (wait_ms < 0 || wait_ms > LIVE_IDLE_MS))
		wait_ms = LIVE_IDLE_MS;
	if (poll(pfd, n, wait_ms) < 0 && errno != EINTR) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	now = kn_now();
	for (int budget = 0; lv->rd != NULL && !lv->capture_done && budget < 4096; budget++) {
		struct cap_frame fr;
		struct cap_pkt pkt;
		int rc = cap_reader_next(lv->rd, &fr, &pkt, err, errlen);
		struct live_frame *f;

		if (rc == CAP_AGAIN || rc == 0)
			break;
		if (rc < 0)
			return -1;
		if (rc == 2) {
			if (lv->odd++ < LIVE_MAX_NOTES && lv->note != NULL)
				lv->note(lv, fr.number, pkt.why);
			continue;
		}
		f = &lv->ring[fr.number % FRING];
		f->frame = fr.number;
		f->abs_ns = fr.abs_ns;
		f->pkt = pkt;
		f->caplen = fr.caplen;
		memset(f->preview, 0, sizeof f->preview);
		if (pkt.caplen_payload > 0 && pkt.payload_off <= fr.caplen) {
			uint32_t k = pkt.caplen_payload < sizeof f->preview ? pkt.caplen_payload :
			             (uint32_t)sizeof f->preview;

			if (fr.caplen - pkt.payload_off >= k)
				memcpy(f->preview, fr.data + pkt.payload_off, k);
		}
		if (lv->nframes == 0)
			lv->first_abs = fr.abs_ns - fr.time_ns;
		lv->last_frame = fr.number;
		lv->last_abs = fr.abs_ns;
		lv->last_wall = now;
		if (cap_replay_frame(lv->r, fr.number, fr.time_ns, &pkt) < 0 || take_rows(lv) < 0) {
			snprintf(err, errlen, _("frame %" PRIu64 ": out of memory"), fr.number);
			return -1;
		}
		lv->nframes++;
		if (lv->cli->count && lv->nframes >= lv->cli->count) {
			lv->capture_done = 1;
			break;
		}
	}
	if (lv->k != NULL && lv->rd == NULL && kn_update(lv->k, err, errlen) < 0)
		return -1;
	/* a segment whose receiver never answers (lost, or a peer gone) would
	 * hold every later row: after HOLD_MS, or when nothing comes for
	 * LIVE_IDLE_MS, its stream settles as if no more evidence came */
	idle = now - lv->last_wall > (int64_t)LIVE_IDLE_MS * 1000000;
	if (lv->nframes > 0) {
		int64_t before = idle ? INT64_MAX
		                      : lv->last_abs - lv->first_abs - (int64_t)HOLD_MS * 1000000;

		while (cap_replay_settle_older(lv->r, before))
			if (take_rows(lv) < 0) {
				snprintf(err, errlen, "%s", _("out of memory"));
				return -1;
			}
	}
	settle_rows(lv, idle);
	live_reap(lv, now);
	return 0;
}

void
live_reap(struct live *lv, int64_t now)
{
	int st;

	if (lv->child > 0 && waitpid(lv->child, &st, WNOHANG) == lv->child) {
		lv->child = -1;
		lv->child_status = st;
		lv->child_done = 1;
		lv->child_done_at = now;
	}
}

/* No more packets: every row is settled. */
void
live_finish(struct live *lv)
{
	struct pollfd pfd;

	char err[256];

	/* what the capture holds already (Ctrl-C came after the last packet) */
	while (lv->rd != NULL && !lv->capture_done && lv->last_wall >= 0) {
		uint64_t before = lv->nframes;

		if (live_pump(lv, 0, err, sizeof err) < 0 || lv->nframes == before)
			break;
	}
	/* the kernel may still be handling the last segment */
	if (kn_fd(lv->k) >= 0) {
		pfd.fd = kn_fd(lv->k);
		pfd.events = POLLIN;
		poll(&pfd, 1, 100);
	}
	cap_replay_finish(lv->r);
	take_rows(lv);
	settle_rows(lv, 1);
}

void
live_close(struct live *lv)
{
	if (lv->child > 0) {
		kill(lv->child, SIGTERM);
		waitpid(lv->child, NULL, 0);
	}
	if (lv->rd != NULL)
		cap_reader_close(lv->rd);
	kn_close(lv->k);
	cap_replay_free(lv->r);
	free(lv->ring);
	free(lv->pend);
	free(lv->map);
	free(lv->filter);
}
