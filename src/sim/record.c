/* sim/record.c: the simulation's trace: its streams (a pair of ports and
 * an incarnation each), the steps every action appends with both TCBs of
 * their stream after them, the payload arena beside the steps, and the
 * notes a sender-side observer would put on each segment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/internal.h"

/* ---- streams and sockets -------------------------------------------------- */

/* A new stream on these ports (the client's, the server's), or -1. */
int
sim_new_stream(struct tt_sim *s, uint16_t cport, uint16_t sport)
{
	struct stream *st;

	if (TT_GROW(s->streams, s->nstreams, s->capstreams, 4) < 0)
		return -1;
	st = &s->streams[s->nstreams];
	memset(st, 0, sizeof *st);
	st->port[0] = cport;
	st->port[1] = sport;
	st->sock[0] = st->sock[1] = -1;
	return (int)s->nstreams++;
}

/* Socket i of host h belongs to stream k from now on. */
void
sim_join(struct tt_sim *s, int h, int i, int k)
{
	s->host[h].socks[i].stream = k;
	s->streams[k].sock[h] = i;
}

/* The socket of host h in stream k (its listener before it has one), or
 * -1 for the TCB of ports nothing uses. */
static int
stream_sock(const struct tt_sim *s, unsigned k, int h)
{
	if (k < s->nstreams && s->streams[k].sock[h] >= 0)
		return s->streams[k].sock[h];
	if (k < s->nstreams && s->streams[k].spoof && h == TT_CLIENT)
		return -1;      /* a spoofed source: no TCB anywhere */
	return s->host[h].listener;
}

static const struct tt_conn *
sock_conn(const struct tt_sim *s, int h, int i)
{
	return i >= 0 ? s->host[h].socks[i].c : s->host[h].nobody;
}

/* The index of TCB c among host h's sockets, -1 for the unused ports' one. */
int
sim_sock_of(const struct tt_sim *s, int h, const struct tt_conn *c)
{
	for (size_t i = 0; i < s->host[h].nsocks; i++)
		if (s->host[h].socks[i].c == c)
			return (int)i;
	return -1;
}

/* ---- the trace ---------------------------------------------------------- */

struct tt_step *
sim_new_step(struct tt_sim *s, enum tt_step_kind kind, int dir, int stream)
{
	struct tt_step *st;

	if (TT_GROW(s->steps, s->nsteps, s->capsteps, 64) < 0 ||
	    TT_GROW(s->payload, s->nsteps, s->cappayload, 64) < 0)
		return NULL;
	s->payload[s->nsteps] = NO_PAYLOAD;
	if (stream >= 0)
		s->last_stream = (unsigned)stream;
	st = &s->steps[s->nsteps++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	st->action = s->action;
	st->time = s->now;
	st->arrival = s->now;
	st->dir = dir;
	st->stream = s->last_stream;
	st->port[0] = s->cfg.host[0].port;
	st->port[1] = s->cfg.host[1].port;
	if (st->stream < s->nstreams) {
		st->port[0] = s->streams[st->stream].port[0];
		st->port[1] = s->streams[st->stream].port[1];
	}
	return st;
}

void
sim_finish_step(struct tt_sim *s, struct tt_step *st)
{
	for (int h = 0; h < 2; h++) {
		st->sock[h] = stream_sock(s, st->stream, h);
		tt_conn_view(sock_conn(s, h, st->sock[h]), &st->tcb[h]);
	}
}

void
sim_add_events(struct tt_step *st, int host, int sock, const struct tt_out *out)
{
	for (unsigned i = 0; i < out->nev; i++) {
		if (st->nev == TT_STEP_EVENTS) {
			/* never silently: the step says it lost some */
			st->ev_lost += out->nev - i;
			st->notes |= TT_NOTE(EVENTS_CUT);
			return;
		}
		st->ev[st->nev].host = host;
		st->ev[st->nev].sock = sock;
		st->ev[st->nev].ev = out->ev[i];
		st->nev++;
	}
}

/* Keeps a copy of step i's payload in the arena (none when out of memory:
 * tt_sim_payload() then says NULL). */
static void
keep_payload(struct tt_sim *s, size_t i, const uint8_t *data, size_t len)
{
	if (len > SIZE_MAX - s->nbytes ||
	    tt_grow(&s->bytes, &s->capbytes, s->nbytes + len, 1, 4096) < 0)
		return;
	memcpy(s->bytes + s->nbytes, data, len);
	s->payload[i] = s->nbytes;
	s->nbytes += len;
}

void
sim_segment_step_fill(struct tt_sim *s, struct tt_step *st, const struct flight *f)
{
	st->time = f->sent;
	st->arrival = f->arrive;
	st->dir = f->from;
	st->seg = f->seg;
	st->seg.data = NULL;
	st->notes = f->notes;
	if (s->streams[f->stream].spoof && f->from == TT_CLIENT)
		st->notes |= TT_NOTE(SPOOFED);
	st->frame = ++s->rows;
	if (f->data != NULL)
		memcpy(st->preview, f->data, f->seg.len < TT_PREVIEW ? f->seg.len : TT_PREVIEW);
	if (f->data != NULL && f->seg.len > 0)
		keep_payload(s, (size_t)(st - s->steps), f->data, f->seg.len);
}

/* Notes a sender-side observer would make (Wireshark's analysis terms),
 * from what this side sent before in the same stream. */
unsigned
sim_sender_notes(struct stream *k, int from, const struct tt_seg *seg, int probe)
{
	uint32_t end = seg->seq + tt_seg_seqlen(seg);
	unsigned notes = 0;
	int pure_ack = (seg->flags & TT_ACK) && !(seg->flags & (TT_SYN | TT_FIN | TT_RST)) &&
	               seg->len == 0;

	/* a zero window probe (one byte at the next seq into a closed window):
	 * no note, and the next seq stays where it is, as tshark takes it */
	int zwp = seg->len == 1 && !(seg->flags & (TT_SYN | TT_FIN | TT_RST)) &&
	          k->sent_any[from] && k->sent_any[!from] && k->last_wnd[!from] == 0 &&
	          seg->seq == k->sent_max[from];

	if (probe) {
		notes |= TT_NOTE(KEEP_ALIVE);
	} else if (zwp) {
		/* nothing: see above */
	} else if (tt_seg_seqlen(seg) > 0 && k->sent_any[from] && TT_SEQ_LT(seg->seq, k->sent_max[from]) &&
	           !(seg->flags & TT_RST) &&
	           /* simultaneous open: SYN,ACK repeats the SYN's number, not its segment */
	           !((seg->flags & TT_SYN) && (seg->flags & TT_ACK) && !(k->last_flags[from] & TT_ACK))) {
		notes |= TT_NOTE(RETRANSMISSION);
	}
	if (!zwp && (!k->sent_any[from] || TT_SEQ_GT(end, k->sent_max[from])))
		k->sent_max[from] = end;
	k->sent_any[from] = 1;
	k->last_flags[from] = seg->flags;
	if (!(seg->flags & TT_RST) && seg->wnd == 0 && !(seg->flags & (TT_SYN | TT_FIN)))
		notes |= TT_NOTE(ZERO_WINDOW);
	if (pure_ack && !probe) {
		if (k->probe_out[!from]) {
			notes |= TT_NOTE(KEEP_ALIVE_ACK);
			k->probe_out[!from] = 0;
		} else if (k->last_ack_valid[from] && k->last_ack[from] == seg->ack && seg->wnd != 0) {
			if (k->last_wnd[from] == seg->wnd)
				notes |= TT_NOTE(DUP_ACK);
			else
				notes |= TT_NOTE(WINDOW_UPDATE);
		}
	}
	k->last_ack[from] = seg->ack;
	k->last_wnd[from] = seg->wnd;
	k->last_ack_valid[from] = pure_ack;
	if (probe)
		k->probe_out[from] = 1;
	return notes;
}

