/* capture/story.c: a capture loaded for stepping through one stream.
 *
 * Opening reads the file once and keeps the stream list. Selecting a
 * stream reads it again and keeps that stream's segments only, as
 * struct tt_step (what the step view shows for lessons too) plus the
 * decoded headers for the detail view, so memory follows the stream being
 * looked at, not the capture. Standard input is spooled to a temporary file
 * first, since it can be read only once.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "capture/capture.h"
#include "i18n.h"

struct cap_story {
	char *path;               /* the file read (the spool for stdin) */
	char *spool;              /* temporary file to remove, or NULL */
	char *filter;
	struct cap_stream_info *info;
	size_t ninfo;
	char *warning;
	uint64_t damage_frame;    /* where the warning's damage is */
	struct tt_step *steps;
	struct cap_pkt *pkts;     /* the decoded frame of each step */
	size_t nsteps, cap;
	int linktype;
	char detail[4096];
};

/* Copies standard input to a temporary file; returns its name or NULL. */
static char *
spool_stdin(char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	char *name;
	FILE *out;
	char buf[65536];
	size_t n;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	name = malloc(strlen(dir) + 32);
	if (name == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return NULL;
	}
	sprintf(name, "%s/tcptutor-stdin.XXXXXX", dir);
	fd = mkstemp(name);
	if (fd < 0 || (out = fdopen(fd, "wb")) == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(name);
		}
		free(name);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
		if (fwrite(buf, 1, n, out) != n)
			break;
	}
	if (ferror(stdin) || fclose(out) != 0) {
		snprintf(err, errlen, "%s", _("cannot read standard input"));
		unlink(name);
		free(name);
		return NULL;
	}
	return name;
}

void
cap_story_free(struct cap_story *s)
{
	if (s == NULL)
		return;
	if (s->spool != NULL)
		unlink(s->spool);
	free(s->spool);
	free(s->path);
	free(s->filter);
	free(s->info);
	free(s->warning);
	free(s->steps);
	free(s->pkts);
	free(s);
}

/* Room for one more step and its packet; -1 when out of memory. */
static int
grow(struct cap_story *s)
{
	size_t c[2] = { s->cap, s->cap };

	if (tt_grow(&s->steps, &c[0], s->cap + 1, sizeof *s->steps, 64) < 0 ||
	    tt_grow(&s->pkts, &c[1], s->cap + 1, sizeof *s->pkts, 64) < 0)
		return -1;
	s->cap = c[0];
	return 0;
}

/* The stream list from the table; -1 when out of memory. */
static int
keep_streams(struct cap_story *s, const struct cap_replay *r)
{
	size_t n = cap_replay_nstreams(r);

	s->info = n ? calloc(n, sizeof *s->info) : NULL;
	if (n && s->info == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		cap_replay_stream(r, i, &s->info[i]);
	s->ninfo = n;
	return 0;
}

void
cap_step_fill(struct tt_step *st, const struct cap_seg *row, uint32_t base[2],
              unsigned char known[2])
{
	if (!known[row->dir]) {
		base[row->dir] = row->seq - row->rel_seq;
		known[row->dir] = 1;
	}
	if (!known[!row->dir] && (row->flags & TT_ACK)) {
		base[!row->dir] = row->ack - row->rel_ack;
		known[!row->dir] = 1;
	}
	st->dir = row->dir;
	st->notes = row->notes;
	st->nev = 0;
	for (unsigned k = 0; k < row->nev && k < TT_STEP_EVENTS; k++) {
		st->ev[st->nev].host = row->ev[k].host;
		st->ev[st->nev].sock = 0;
		st->ev[st->nev].ev = row->ev[k].ev;
		st->nev++;
	}
	st->ev_lost = row->lost_events;
	st->crossed_after = row->arrived_after;
	st->inferred = (row->obs & TT_OBS_INFERRED) != 0;
	st->lost = (row->obs & TT_OBS_LOST) != 0;
	st->flight = row->flight;
	for (int d = 0; d < 2; d++) {
		struct tt_tcb_view *v = &st->tcb[d];

		*v = row->tcb[d];
		if (known[d])
			v->iss = base[d];
		if (known[!d])
			v->irs = base[!d];
		v->rto = 0;
		v->rtx_at = v->tw_at = v->ka_at = v->delack_at = v->user_at = v->fw2_at = TT_NEVER;
	}
}

/* One pass over the file. With want == SIZE_MAX the stream list is built;
 * otherwise stream `want`'s steps are collected. */
static int
story_pass(struct cap_story *s, size_t want, char *err, size_t errlen)
{
	struct cap_reader *f;
	struct cap_replay *r;
	struct cap_frame fr;
	struct cap_pkt pkt;
	struct cap_seg row;
	uint32_t base[2] = { 0, 0 };
	unsigned char known[2] = { 0, 0 };
	size_t filled = 0;
	long got;
	int rc;

	if (cap_reader_open(s->path, s->filter, &f, err, errlen) < 0)
		return -1;
	s->linktype = cap_reader_linktype(f);
	/* the stream list needs no payload: read ahead (a stream's pass keeps
	 * the first bytes of each payload, which read-ahead does not) */
	if (want == SIZE_MAX)
		(void)cap_reader_read_ahead(f);
	r = cap_replay_new(want == SIZE_MAX ? 0 : CAP_ROWS | CAP_VIEWS);
	if (r == NULL) {
		cap_reader_close(f);
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	if (want != SIZE_MAX)
		cap_replay_follow(r, want);     /* the others are only numbered */
	for (;;) {
		struct tt_step *st;

		rc = cap_reader_next(f, &fr, &pkt, err, errlen);
		if (rc <= 0)
			break;
		if (rc != 1)
			continue;
		got = cap_replay_frame(r, fr.number, fr.time_ns, &pkt);
		if (got < 0) {
			snprintf(err, errlen, _("frame %" PRIu64 ": out of memory"), fr.number);
			s->damage_frame = fr.number;
			rc = -1;
			break;
		}
		if ((size_t)got != want)
			goto rows;
		if (s->nsteps == s->cap && grow(s) < 0) {
			snprintf(err, errlen, "%s", _("out of memory"));
			rc = -1;
			break;
		}
		s->pkts[s->nsteps] = pkt;
		st = &s->steps[s->nsteps++];
		memset(st, 0, sizeof *st);
		st->kind = TT_STEP_SEGMENT;
		st->frame = fr.number;
		st->time = tt_ns_to_us(fr.time_ns);
		st->arrival = st->time;
		st->seg.seq = pkt.seq;
		st->seg.ack = pkt.ack;
		st->seg.wnd = pkt.win;
		st->seg.flags = pkt.flags;
		st->seg.mss = pkt.opt.mss;
		st->seg.up = pkt.urp;
		st->seg.len = pkt.len;
		if (pkt.caplen_payload > 0) {
			uint32_t n = pkt.caplen_payload < TT_PREVIEW ? pkt.caplen_payload : TT_PREVIEW;

			if (pkt.payload_off <= fr.caplen && fr.caplen - pkt.payload_off >= n)
				memcpy(st->preview, fr.data + pkt.payload_off, n);
		}
rows:
		while (cap_replay_row(r, &row))
			if (row.stream == want && filled < s->nsteps)
				cap_step_fill(&s->steps[filled++], &row, base, known);
	}
	/* the rows still waiting are finished: no more evidence comes */
	if (want != SIZE_MAX) {
		cap_replay_finish(r);
		while (cap_replay_row(r, &row))
			if (row.stream == want && filled < s->nsteps)
				cap_step_fill(&s->steps[filled++], &row, base, known);
	}
	if (want == SIZE_MAX && keep_streams(s, r) < 0) {
		snprintf(err, errlen, "%s", _("out of memory"));
		rc = -2;
	}
	if (rc == -1 && s->damage_frame == 0)
		s->damage_frame = cap_reader_frames(f) + 1;
	cap_replay_free(r);
	cap_reader_close(f);
	if (rc == -1) {
		/* damage: keep what came before, remember the message */
		free(s->warning);
		s->warning = strdup(err);
		return 0;
	}
	return rc == -2 ? -1 : 0;
}

int
cap_story_open(const char *path, const char *filter, struct cap_story **out, char *err,
               size_t errlen)
{
	struct cap_story *s = calloc(1, sizeof *s);

	*out = NULL;
	if (s == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		return -1;
	}
	if (strcmp(path, "-") == 0) {
		s->spool = spool_stdin(err, errlen);
		if (s->spool == NULL) {
			free(s);
			return -1;
		}
		s->path = strdup(s->spool);
	} else {
		s->path = strdup(path);
	}
	s->filter = strdup(filter != NULL ? filter : "");
	if (s->path == NULL || s->filter == NULL) {
		snprintf(err, errlen, "%s", _("out of memory"));
		cap_story_free(s);
		return -1;
	}
	if (story_pass(s, SIZE_MAX, err, errlen) < 0) {
		cap_story_free(s);
		return -1;
	}
	if (s->ninfo == 0) {
		int rc = s->warning != NULL ? -1 : -2;

		if (s->warning != NULL)
			snprintf(err, errlen, "%s", s->warning);
		else
			snprintf(err, errlen, "%s", _("no TCP stream in the capture"));
		cap_story_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

size_t
cap_story_nstreams(const struct cap_story *s)
{
	return s->ninfo;
}

const struct cap_stream_info *
cap_story_stream(const struct cap_story *s, size_t i)
{
	return i < s->ninfo ? &s->info[i] : NULL;
}

const char *
cap_story_warning(const struct cap_story *s)
{
	return s->warning;
}

uint64_t
cap_story_damage_frame(const struct cap_story *s)
{
	return s->warning != NULL ? s->damage_frame : 0;
}

int
cap_story_select(struct cap_story *s, size_t i, char *err, size_t errlen)
{
	if (i >= s->ninfo) {
		snprintf(err, errlen, _("no stream %zu"), i);
		return -1;
	}
	s->nsteps = 0;
	return story_pass(s, i, err, errlen);
}

size_t
cap_story_nsteps(const struct cap_story *s)
{
	return s->nsteps;
}

const struct tt_step *
cap_story_steps(const struct cap_story *s)
{
	return s->steps;
}

#define ADD(...)                                                                    \
	do {                                                                        \
		if (at < len)                                                       \
			at += (size_t)snprintf(buf + at, len - at, __VA_ARGS__);    \
	} while (0)

const char *
cap_story_detail(struct cap_story *s, size_t i)
{
	if (i >= s->nsteps)
		return NULL;
	cap_pkt_detail(&s->pkts[i], &s->steps[i], s->linktype, s->detail, sizeof s->detail);
	return s->detail;
}

size_t
cap_pkt_detail(const struct cap_pkt *p, const struct tt_step *st, int linktype, char *buf,
               size_t len)
{
	char a[64], b[64], fl[64], when[32];
	size_t at = 0;

	buf[0] = '\0';
	cap_endpoint(p->ipver, p->src, p->sport, a, sizeof a);
	cap_endpoint(p->ipver, p->dst, p->dport, b, sizeof b);
	ADD(_("Frame %" PRIu64 ", %s s\n"), st->frame, tt_fmt_secs(st->time, when, sizeof when));
	ADD(_("Link: %s"), cap_link_name(linktype) ? cap_link_name(linktype) : "?");
	if (p->nvlan > 0)
		ADD(_(", VLAN %u"), p->vlan[0]);
	if (p->nvlan > 1)
		ADD(_(" in VLAN %u"), p->vlan[1]);
	ADD("\n");
	if (p->ipver == 4)
		ADD(_("IPv4: header %u bytes, id %u, TTL %u\n"), p->ip_hlen, p->ip_id, p->ttl);
	else
		ADD(_("IPv6: headers %u bytes, hop limit %u\n"), p->ip_hlen, p->ttl);
	ADD(_("TCP %s -> %s\n"), a, b);
	ADD(_("  sequence number        %" PRIu32 " (relative %" PRIu32 ")\n"), p->seq,
	    p->seq - st->tcb[st->dir].iss);
	if (p->flags & TT_ACK)
		ADD(_("  acknowledgment number  %" PRIu32 " (relative %" PRIu32 ")\n"), p->ack,
		    p->ack - st->tcb[!st->dir].iss);
	else
		ADD(_("  acknowledgment number  %" PRIu32 " (ACK not set: ignored)\n"), p->ack);
	ADD(_("  header length          %u bytes\n"), p->thlen);
	ADD(_("  flags                  0x%03x %s\n"), p->flags, tt_flags_format(p->flags, fl, sizeof fl));
	ADD(_("  window                 %u\n"), p->win);
	ADD(_("  checksum               0x%04x\n"), p->cksum);
	ADD(_("  urgent pointer         %u\n"), p->urp);
	ADD(_("  payload                %" PRIu32 " bytes"), p->len);
	if (p->caplen_payload < p->len)
		ADD(_(" (%" PRIu32 " captured)"), p->caplen_payload);
	ADD("\n");
	if (p->thlen > 20) {
		ADD("%s", _("Options:\n"));
		if (p->opt.mss)
			ADD(_("  MSS %u\n"), p->opt.mss);
		if (p->opt.wscale >= 0)
			ADD(_("  window scale %d (x%u)\n"), p->opt.wscale,
			    1u << (p->opt.wscale > 14 ? 14 : p->opt.wscale));
		if (p->opt.sack_ok)
			ADD("%s", _("  SACK permitted\n"));
		for (unsigned k = 0; k < p->opt.nsack; k++)
			ADD(_("  SACK block %" PRIu32 "-%" PRIu32 "\n"), p->opt.sack[k][0],
			    p->opt.sack[k][1]);
		if (p->opt.has_ts)
			ADD(_("  timestamps TSval %" PRIu32 " TSecr %" PRIu32 "\n"), p->opt.tsval,
			    p->opt.tsecr);
		if (p->opt.nother)
			ADD(_("  %u other option(s)\n"), p->opt.nother);
		if (p->opt.bad)
			ADD("%s", _("  (option list cut off or malformed)\n"));
	}
	return at < len ? at : len - 1;
}
