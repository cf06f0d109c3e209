/* ui/svtext.c: what the step view says in words: the explanation of the
 * step on screen (what the hosts did and why, with the rule that says so;
 * the notes; an open checkpoint) and the full detail of a segment (Enter).
 * It reads the model and writes text; while the checkpoint after the step
 * on screen is still to be asked, its answer is kept out of the text. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ui/svdraw.h"

/* A short word for what happened at a host, for the ladder's event marks. */
const char *
sv_event_label(enum tt_reason r)
{
	switch (r) {
	case TT_R_OPEN_PASSIVE: return _("listen");
	case TT_R_OPEN_ACTIVE:
	case TT_R_OPEN_LISTEN_ACTIVE: return _("connect");
	case TT_R_SEND_QUEUED:
	case TT_R_SEND_DATA:
	case TT_R_SEND_URGENT:
	case TT_R_SEND_MORE: return _("send");
	case TT_R_SHUTDOWN_SEND_FIN: return _("shutdown");
	case TT_R_ACCEPT:
	case TT_R_ACCEPT_EMPTY: case TT_R_ACCEPT_INVALID: return _("accept");
	case TT_R_FIN_WAIT_2_TIMEOUT: return _("FIN-WAIT-2 timer");
	case TT_R_ZERO_WINDOW_GIVE_UP: return _("window probe");
	case TT_R_RECEIVE_DATA: case TT_R_RECEIVE_WAIT: return _("receive");
	case TT_R_CLOSE_LISTEN:
	case TT_R_CLOSE_SYN_SENT:
	case TT_R_CLOSE_SEND_FIN:
	case TT_R_CLOSE_QUEUED:
	case TT_R_CLOSE_UNREAD_RST: return _("close");
	case TT_R_ABORT:
	case TT_R_ABORT_QUIET: return _("abort");
	case TT_R_RTX_TIMEOUT:
	case TT_R_RTX_GIVE_UP: return _("retransmission timer");
	case TT_R_USER_TIMEOUT: return _("user timeout");
	case TT_R_TIME_WAIT_EXPIRED: return _("2MSL timer");
	case TT_R_KEEPALIVE_PROBE:
	case TT_R_KEEPALIVE_GIVE_UP: return _("keep-alive timer");
	case TT_R_DELAYED_ACK: return _("delayed-ACK timer");
	case TT_R_ZERO_WINDOW_PROBE: return _("window probe");
	case TT_R_HOST_CRASH: return _("crash");
	default: return _("error");
	}
}

static const char *
error_text(enum tt_error e)
{
	switch (e) {
	case TT_E_EXISTS: return _("connection already exists");
	case TT_E_NO_CONN: return _("connection does not exist");
	case TT_E_CLOSING: return _("connection closing");
	case TT_E_REFUSED: return _("connection refused");
	case TT_E_RESET: return _("connection reset");
	case TT_E_TIMEOUT: return _("connection aborted due to user or retransmission timeout");
	case TT_E_FOREIGN: return _("foreign socket unspecified");
	case TT_E_RESOURCES: return _("insufficient resources");
	default: return "";
	}
}

/* One line naming the segment: "SYN,ACK seq=0 ack=1 len=0". */
static void
seg_label(const struct sv *v, const struct tt_step *s, int terse, char *buf, size_t len)
{
	char fl[64];
	uint32_t seq, ack;
	size_t at;

	sv_seg_numbers(v, s, &seq, &ack);
	tt_flags_format(s->seg.flags, fl, sizeof fl);
	if (terse)
		at = (size_t)snprintf(buf, len, "%s %u", fl, seq);
	else
		at = (size_t)snprintf(buf, len, "%s seq=%u", fl, seq);
	if (at < len && (s->seg.flags & TT_ACK))
		at += (size_t)snprintf(buf + at, len - at, terse ? "/%u" : " ack=%u", ack);
	if (at < len && s->seg.len > 0)
		snprintf(buf + at, len - at, terse ? " +%u" : " len=%u", s->seg.len);
}

/* Host h's "addr:port" for step s: its connection's (live), else the
 * story's, with the port of the step's own connection where a simulation
 * has several. */
const char *
sv_endpoint_at(const struct sv *v, const struct tt_step *s, int h, char *buf, size_t len)
{
	const char *ep = v->st->endpoint[h & 1], *colon;

	if (s != NULL && v->st->endpoint_of != NULL) {
		const char *own = v->st->endpoint_of(v->st->ctx, (size_t)(s - v->st->steps), h & 1);

		if (own != NULL)
			return own;
	}
	if (ep == NULL || s == NULL || v->st->replay || s->port[h & 1] == 0 ||
	    (colon = strrchr(ep, ':')) == NULL)
		return ep;
	snprintf(buf, len, "%.*s:%u", (int)(colon - ep), ep, s->port[h & 1]);
	return buf;
}

static void
step_headline(const struct sv *v, const struct tt_step *s, size_t i, char *buf, size_t len)
{
	char lab[160], nt[128];

	if (s->kind == TT_STEP_SEGMENT) {
		seg_label(v, s, 0, lab, sizeof lab);
		tt_notes_format(s->notes, nt, sizeof nt);
		snprintf(buf, len, _("Step %zu of %zu: %s %s %s: %s%s%s%s"), i + 1, sv_nsteps(v),
		         ui_host_name(s->dir), ui_glyph(UI_G_RIGHTWARDS), ui_host_name(!s->dir),
		         lab, *nt ? "  [" : "", nt, *nt ? "]" : "");
	} else {
		snprintf(buf, len, _("Step %zu of %zu: at the %s"), i + 1, sv_nsteps(v), ui_host_name(s->dir));
	}
}

/* One sentence per annotation of a segment. */
static const char *
note_text(unsigned bit)
{
	switch (bit) {
	case TT_NOTE(RETRANSMISSION):
		return _("Retransmission: this segment carries sequence numbers sent before.");
	case TT_NOTE(OUT_OF_ORDER):
		return _("Out of order: it arrived after a segment with higher sequence numbers.");
	case TT_NOTE(LOST_SEGMENT):
		return _("A previous segment was not captured: there is a gap in the sequence numbers.");
	case TT_NOTE(DUP_ACK):
		return _("Duplicate ACK: the same acknowledgment again, nothing new acknowledged.");
	case TT_NOTE(KEEP_ALIVE):
		return _("Keep-alive probe: one byte (or none) below SND.NXT to ask whether the peer is still there.");
	case TT_NOTE(KEEP_ALIVE_ACK):
		return _("The answer to a keep-alive probe.");
	case TT_NOTE(ZERO_WINDOW):
		return _("Zero window: the sender's receive buffer is full; the peer must stop sending.");
	case TT_NOTE(WINDOW_UPDATE):
		return _("Window update: only the advertised window changed.");
	case TT_NOTE(MID_STREAM):
		return _("The capture starts after the handshake: the states are inferred from here on.");
	case TT_NOTE(TRUNCATED):
		return _("The packet was truncated in the capture.");
	case TT_NOTE(DROPPED):
		return _("The segment was lost on the wire: the receiver never saw it.");
	case TT_NOTE(DUPLICATE):
		return _("The wire delivered a second copy of this segment.");
	case TT_NOTE(DELAYED):
		return _("The wire held this segment back: it arrives later than sent.");
	case TT_NOTE(KERNEL_DIFFERS):
		return _("The kernel's own state differs from the inferred one (see above).");
	case TT_NOTE(SPOOFED):
		return _("A flood's SYN, from an address no host has (spoofed): nobody will answer its SYN,ACK.");
	case TT_NOTE(NO_HOST):
		return _("Sent to an address no host has: the segment is lost there, and nothing, not even a RST, comes back.");
	case TT_NOTE(QUEUE_FULL):
		return _("The bottleneck's queue was full: a drop-tail router threw this segment away.");
	case TT_NOTE(EVENTS_CUT):
		return _("More happened in this step than a step keeps: some of its events are not shown.");
	case TT_NOTE(CE):
		return _("The bottleneck's queue was long: the router marked this ECN-capable segment CE (Congestion Experienced, RFC 3168) instead of dropping it.");
	default:
		return "";
	}
}

/* What the hosts did in step s (prev: the step before, or NULL), one line
 * per event. Without events (a capture) the state changes are described. */
static void
step_events(const struct tt_step *s, const struct tt_step *prev, char *buf, size_t len)
{
	size_t at = 0;
	int said = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < s->nev && k < TT_STEP_EVENTS && at < len; k++) {
		const struct tt_event *e = &s->ev[k].ev;
		const char *why = tt_reason_text(e->reason);
		char src[96], chg[96];
		const char *rule;

		if (e->reason == TT_R_NONE)
			continue;
		said = 1;
		rule = *tt_reason_source(e->reason, src, sizeof src) ? _(src) : "";
		if (e->from != e->to)
			snprintf(chg, sizeof chg, _("%s %s %s. "), tt_state_name(e->from),
			         ui_glyph(UI_G_RIGHTWARDS), tt_state_name(e->to));
		else
			chg[0] = '\0';
		at += (size_t)snprintf(buf + at, len - at, "%s", at ? "\n" : "");
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, _("%s: "), ui_host_name(s->ev[k].host));
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", chg, *why ? _(why) : "");
		if (at < len && *rule)
			at += (size_t)snprintf(buf + at, len - at, _(" (%s)"), rule);
		if (at < len && e->error != TT_E_NONE)
			at += (size_t)snprintf(buf + at, len - at, _(" The application is told: %s."),
			                       error_text(e->error));
	}
	for (int h = 0; h < 2 && !said && at < len; h++) {
		enum tt_state was = prev != NULL ? prev->tcb[h].state : TT_CLOSED;

		if (s->tcb[h].state == was)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s", at ? "\n" : "");
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, _("%s: "), ui_host_name(h));
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, _("%s %s %s (inferred from the segments seen)."),
			                       tt_state_name(was), ui_glyph(UI_G_RIGHTWARDS),
			                       tt_state_name(s->tcb[h].state));
	}
	for (unsigned b = 0; b < TT_NNOTES && at < len; b++) {
		if (!(s->notes & (1u << b)))
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "\n" : "", note_text(1u << b));
	}
}

static int
word_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == ',' || c == '-' || c == '_';
}

/* Puts mark in place of every whole-word `word` in buf (in place: mark is
 * never longer than the words it stands for here); 1 when there was one. */
static int
mask_word(char *buf, const char *word, const char *mark)
{
	size_t al = strlen(word), ml = strlen(mark);
	int any = 0;

	if (al < ml)
		return 0;
	for (char *p = buf; (p = strstr(p, word)) != NULL;) {
		if ((p > buf && word_char((unsigned char)p[-1])) || word_char((unsigned char)p[al])) {
			p += al;
			continue;
		}
		memcpy(p, mark, ml);
		memmove(p + ml, p + al, strlen(p + al) + 1);
		p += ml;
		any = 1;
	}
	return any;
}

/* The engine's reasons say what a host sends ("SYN,ACK sent"): while the
 * checkpoint after the step on screen is still to be asked, its answer is
 * left out of them ("[?]" stands in, and a line under them says so),
 * unless it is a state that is on screen anyway. 1 when anything was. */
static int
hide_next_answer(const struct sv *v, char *buf)
{
	const struct ui_checkpoint *cp;
	const struct tt_step *s = sv_step(v, v->cur);
	const char *mark = "[?]";
	size_t i = v->cur + 1, al, ml = strlen(mark);
	int hid;

	if (v->st->checkpoint == NULL || i >= sv_nsteps(v) || (i < v->nasked && v->asked[i]))
		return 0;
	cp = v->st->checkpoint(v->st->ctx, i);
	if (cp == NULL || cp->nchoices == 0 || cp->answer == NULL || (al = strlen(cp->answer)) < ml)
		return 0;
	if (strcmp(cp->answer, tt_state_name(s->tcb[0].state)) == 0 ||
	    strcmp(cp->answer, tt_state_name(s->tcb[1].state)) == 0)
		return 0;
	hid = mask_word(buf, cp->answer, mark);
	/* a flags answer ("RST,ACK"): each of its flags is part of the answer
	 * ("answered with a RST" would give half of it away), but not one the
	 * segment on screen carries itself ("SYN in LISTEN": its row says so) */
	if (strchr(cp->answer, ',') != NULL) {
		char flag[16];
		const char *a = cp->answer;
		int f;

		while (*a != '\0') {
			size_t n = strcspn(a, ",");

			if (n > 0 && n < sizeof flag) {
				memcpy(flag, a, n);
				flag[n] = '\0';
				f = tt_flags_parse(flag);
				if (s->kind != TT_STEP_SEGMENT || f <= 0 || (s->seg.flags & f) == 0)
					hid |= mask_word(buf, flag, mark);
			}
			a += n + (a[n] == ',');
		}
	}
	return hid;
}

/* Replay: where a segment crossed another on the wire (its receiver sent
 * the other one before this arrived, so its ACK does not cover it), or a
 * segment the capture missed was inferred. Returns 0 when none. */
static int
crossing(const struct sv *v, size_t i, char *buf, size_t len)
{
	const struct tt_step *s = sv_step(v, i);
	size_t at = 0;

	buf[0] = '\0';
	if (!v->st->replay || s->kind != TT_STEP_SEGMENT)
		return 0;
	if (s->crossed_after != 0)
		at += (size_t)snprintf(buf + at, len - at,
		                       _("Crossed on the wire: the %s sent frame %llu before this "
		                         "segment reached it (that frame's ACK does not cover it), "
		                         "so it arrives only after frame %llu."),
		                       ui_host_name(!s->dir), (unsigned long long)s->crossed_after,
		                       (unsigned long long)s->crossed_after);
	for (size_t k = 0; k < i && at < len; k++) {
		const struct tt_step *o = sv_step(v, k);

		if (o->kind == TT_STEP_SEGMENT && o->crossed_after == s->frame)
			at += (size_t)snprintf(buf + at, len - at,
			                       _("%sFrame %llu, which crossed this one on the wire, "
			                         "arrives at the %s now."), at ? " " : "",
			                       (unsigned long long)o->frame, ui_host_name(!o->dir));
	}
	for (unsigned k = 0; k < s->nev && at < len; k++)
		if (s->ev[k].ev.reason == TT_R_OPEN_PASSIVE) {
			at += (size_t)snprintf(buf + at, len - at,
			                       _("%sNo capture shows a listen(): the %s is taken to have "
			                         "been listening since it was sent a SYN (its first answer "
			                         "would show otherwise: a RST, or a SYN of its own)."),
			                       at ? " " : "", ui_host_name(s->ev[k].host));
			break;
		}
	if (s->lost && at < len)
		at += (size_t)snprintf(buf + at, len - at,
		                       _("%sLost on the way: the %s spoke afterwards without "
		                         "acknowledging it, and it was sent again."), at ? " " : "",
		                       ui_host_name(!s->dir));
	if (s->inferred && at < len)
		snprintf(buf + at, len - at,
		         _("%sThe capture missed a segment here: what acknowledges it shows it was "
		           "sent and received, so the engine takes it as if seen."), at ? " " : "");
	return buf[0] != '\0';
}

void
sv_build_expl(const struct sv *v, struct sv_frame *f)
{
	struct sv_para *p = f->e_p;
	size_t np = 0;
	char *head = f->e_head, *evs = f->e_evs, *extra = f->e_extra, *states = f->e_states;
	char *status = f->e_status;
	int present = v->o->present;
	attr_t big = present ? A_BOLD : 0;

	if (v->ext != NULL && v->ext->status != NULL && v->cur + 1 >= sv_nsteps(v)) {
		v->ext->status(v->ext->ctx, status, sizeof f->e_status);
		if (status[0])
			p[np++] = (struct sv_para){ status, ui_attr(UI_R_MARK) };
	}
	/* what the last key did not do ("No segment matches"): first, where
	 * it is seen however long the text under it */
	if (v->msg[0])
		p[np++] = (struct sv_para){ v->msg, ui_attr(UI_R_BAD) };
	if (v->ask >= 0) {
		const struct ui_checkpoint *cp = v->st->checkpoint(v->st->ctx, (size_t)v->ask);
		char *q = f->e_q;
		size_t at = 0;

		p[np++] = (struct sv_para){ _("Checkpoint: predict what happens next."), ui_attr(UI_R_MARK) };
		p[np++] = (struct sv_para){ cp->question, A_BOLD };
		q[0] = '\0';
		for (size_t k = 0; k < cp->nchoices && at < sizeof f->e_q; k++)
			at += (size_t)snprintf(q + at, sizeof f->e_q - at, "%s%zu) %s", k ? "   " : "", k + 1,
			                       cp->choices[k]);
		if (cp->nchoices > 0)
			p[np++] = (struct sv_para){ q, 0 };
		if (v->ask_state == 0) {
			if (present)
				p[np++] = (struct sv_para){ _("Press r to reveal the answer."), ui_attr(UI_R_DIM) };
			else if (cp->nchoices > 0)
				p[np++] = (struct sv_para){ _("Press the number of your answer (r: reveal)."), ui_attr(UI_R_DIM) };
			else
				p[np++] = (struct sv_para){ _("Press Enter to type your answer (r: reveal)."), ui_attr(UI_R_DIM) };
		} else {
			if (v->ask_state == 1)
				snprintf(extra, sizeof f->e_extra, _("Right: %s."), cp->answer);
			else if (v->ask_state == 2)
				snprintf(extra, sizeof f->e_extra, _("Not quite: the answer is %s."), cp->answer);
			else
				snprintf(extra, sizeof f->e_extra, _("The answer: %s."), cp->answer);
			p[np++] = (struct sv_para){ extra, ui_attr(v->ask_state == 2 ? UI_R_BAD : UI_R_OK) };
			if (cp->why != NULL)
				p[np++] = (struct sv_para){ cp->why, 0 };
			p[np++] = (struct sv_para){ _("Press n to see what happens."), ui_attr(UI_R_DIM) };
		}
	} else if (sv_shown(v) == 0) {
		p[np++] = (struct sv_para){ v->ext != NULL && v->ext->empty != NULL ? v->ext->empty :
		                         _("Nothing has happened yet."), 0 };
	} else {
		const struct tt_step *s = sv_step(v, v->cur);
		const char *nar = v->st->narration != NULL ? v->st->narration(v->st->ctx, v->cur) : NULL;
		int hid;

		/* past the last step: the summary first, the step just read under it */
		if (v->at_end && (v->ext == NULL || v->ext->more == NULL)) {
			const char *sum = v->st->summary != NULL ? v->st->summary(v->st->ctx) : NULL;

			p[np++] = (struct sv_para){ sum != NULL ? sum : _("This is the last step. Press p to go back, q to leave."),
			                         ui_attr(UI_R_OK) };
		}
		if (present && f->big_rows == 0) {
			snprintf(states, sizeof f->e_states, "%s: %s    %s: %s", _("client"),
			         tt_state_name(s->tcb[0].state), _("server"), tt_state_name(s->tcb[1].state));
			p[np++] = (struct sv_para){ states, ui_attr(UI_R_MARK) };
		}
		if (nar != NULL && *nar != '\0')
			p[np++] = (struct sv_para){ nar, big };
		step_headline(v, s, v->cur, head, sizeof f->e_head);
		p[np++] = (struct sv_para){ head, ui_attr(UI_R_HEADING) };
		step_events(s, v->cur > 0 ? sv_step(v, v->cur - 1) : NULL, evs, sizeof f->e_evs);
		hid = hide_next_answer(v, evs);
		if (evs[0])
			p[np++] = (struct sv_para){ evs, big };
		if (hid)
			p[np++] = (struct sv_para){ _("[?]: left out until the next question is answered."),
			                         ui_attr(UI_R_DIM) };
		if (crossing(v, v->cur, f->e_cross, sizeof f->e_cross))
			p[np++] = (struct sv_para){ f->e_cross, ui_attr(UI_R_MARK) };
	}
	f->e_np = np;
}

/* Rows the explanation needs at width w. */
int
sv_expl_need(const struct sv *v, const struct sv_frame *f, int w)
{
	int lines = 0;

	for (size_t i = 0; i < f->e_np; i++)
		lines += ui_wrap(NULL, 0, 0, 0, w, 0, f->e_p[i].text, 0, 0);
	return lines * (v->o->present ? 2 : 1);
}

void
sv_detail_text(const struct sv *v, const struct tt_step *s, char *buf, size_t len)
{
	char fl[64], bits[64], nt[128], evs[2048], hex[3 * TT_PREVIEW + 1], asc[TT_PREVIEW + 1];
	char opts[32], acks[64];
	uint32_t seq, ack;
	size_t at, np = s->seg.len < TT_PREVIEW ? s->seg.len : TT_PREVIEW;
	char epf[96], ept[96];
	const char *from = sv_endpoint_at(v, s, s->dir == TT_SERVER, epf, sizeof epf);
	const char *to = sv_endpoint_at(v, s, s->dir != TT_SERVER, ept, sizeof ept);

	if (s->seg.mss)
		snprintf(opts, sizeof opts, "MSS=%u", s->seg.mss);
	else
		snprintf(opts, sizeof opts, "%s", _("none"));
	sv_seg_numbers(v, s, &seq, &ack);
	/* without ACK the field means nothing (RFC 9293 §3.1): no relative
	 * number is made of it */
	if (s->seg.flags & TT_ACK)
		snprintf(acks, sizeof acks, "%u", ack);
	else
		snprintf(acks, sizeof acks, "%s", _("- (ACK not set: ignored)"));
	tt_flags_format(s->seg.flags, fl, sizeof fl);
	tt_flags_format_bits(s->seg.flags, bits, sizeof bits);
	tt_notes_format(s->notes, nt, sizeof nt);
	for (size_t i = 0; i < np; i++) {
		snprintf(hex + 3 * i, 4, "%02x ", s->preview[i]);
		asc[i] = s->preview[i] >= 0x20 && s->preview[i] < 0x7f ? (char)s->preview[i] : '.';
	}
	hex[3 * np] = '\0';
	asc[np] = '\0';
	at = (size_t)snprintf(buf, len,
	                      _("Segment #%llu: %s %s %s (%s %s %s)\n"
	                        "Sent at %.6f s, arrives at %.6f s\n\n"
	                        "Flags:             %s   (%s)\n"
	                        "Sequence number:   %u   (absolute %u)\n"
	                        "Acknowledgment:    %s   (absolute %u)\n"
	                        "Window:            %u\n"
	                        "Payload length:    %u   (sequence space used: %u)\n"
	                        "Urgent pointer:    %u\n"
	                        "Options:           %s\n"),
	                      (unsigned long long)s->frame, from ? from : ui_host_name(s->dir),
	                      ui_glyph(UI_G_RIGHTWARDS), to ? to : ui_host_name(!s->dir),
	                      ui_host_name(s->dir), ui_glyph(UI_G_RIGHTWARDS),
	                      ui_host_name(!s->dir), sv_secs(s->time), sv_secs(s->arrival), fl, bits, seq,
	                      s->seg.seq, acks, s->seg.ack,
	                      s->seg.wnd, s->seg.len, tt_seg_seqlen(&s->seg), s->seg.up, opts);
	if (at < len && np > 0)
		at += (size_t)snprintf(buf + at, len - at, _("Payload (first %zu bytes): %s |%s|\n"), np, hex, asc);
	if (at < len && nt[0])
		at += (size_t)snprintf(buf + at, len - at, _("Notes:             %s\n"), nt);
	step_events(s, NULL, evs, sizeof evs);
	if (at < len && evs[0])
		snprintf(buf + at, len - at, "\n%s\n", evs);
}
