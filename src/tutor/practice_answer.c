/* tutor/practice_answer.c: the answers of generated practice questions,
 * read off the steps the simulator produced, and the prompts and
 * explanations that go with them: the sequence templates ask a seq or ack,
 * the window, congestion and RTO templates read the sender's TCB as the
 * engine left it and explain the formula that gives it. Library code:
 * never prints. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim.h"
#include "tutor/practice_impl.h"
#include "tutor/quiz.h"

/* ---- text helpers ---- */

/* What an explanation adds after a sum that went past 2^32 - 1: the
 * sequence space is modulo 2^32 (RFC 9293 §3.4), so the field holds the
 * sum minus 2^32. Nothing when the sum fits. */
static const char *
wrap_en(uint64_t sum)
{
	return sum > UINT32_MAX ? " (mod 2^32)" : "";
}

static const char *
wrap_zh(uint64_t sum)
{
	return sum > UINT32_MAX ? "（模 2^32）" : "";
}

/* ---- reading the steps ---- */

/* The index of the first segment step at or after `from` sent by `dir`
 * whose flags include `need` and exclude `avoid`, with payload when
 * `data` is 1, without when -1; or -1. */
static long
find_seg(const struct tt_sim *sim, size_t from, int dir, unsigned need, unsigned avoid, int data)
{
	for (size_t i = from; i < tt_sim_nsteps(sim); i++) {
		const struct tt_step *st = tt_sim_step(sim, i);

		if (st->kind != TT_STEP_SEGMENT || st->dir != dir)
			continue;
		if ((st->seg.flags & need) != need || (st->seg.flags & avoid) != 0)
			continue;
		if ((data == 1 && st->seg.len == 0) || (data == -1 && st->seg.len != 0))
			continue;
		return (long)i;
	}
	return -1;
}

/* The first ACK (not a SYN) that `dir` sends after step d; -1 when there is
 * none or d is -1. */
static long
ack_after(const struct tt_sim *sim, long d, int dir)
{
	return d < 0 ? -1 : find_seg(sim, (size_t)d + 1, dir, TT_ACK, TT_SYN, 0);
}

static const char *const host_en[2] = { "client", "server" };
static const char *const host_zh[2] = { "客户端", "服务器" };

/* The index of the last step with an event of reason r at host h, or -1. */
static long
find_event(const struct tt_sim *sim, int h, enum tt_reason r)
{
	long at = -1;

	for (size_t i = 0; i < tt_sim_nsteps(sim); i++) {
		const struct tt_step *st = tt_sim_step(sim, i);

		for (unsigned e = 0; e < st->nev; e++)
			if (st->ev[e].host == h && st->ev[e].ev.reason == r)
				at = (long)i;
	}
	return at;
}

/* Milliseconds of a virtual-clock time (the RTO template's times are whole
 * milliseconds). */
static unsigned long
ms(tt_time t)
{
	return (unsigned long)(t / 1000);
}

/* The handshake and data templates: an acknowledgment or sequence number. */
static long
answer_open(size_t t, struct build *b, const struct tt_sim *sim, uint32_t *vp)
{
	long i = -1, d;
	uint32_t v = 0;
	uint64_t sum = 0;   /* the arithmetic of the explanation, without the wrap */

	switch (t) {
	case P_SYNACK_ACK:
		i = find_seg(sim, 0, TT_SERVER, TT_SYN | TT_ACK, 0, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		tt_practice_add(&b->pen, "The client's initial sequence number (ISN) is %" PRIu32 ". Its SYN "
				"reaches the listening server, which answers with SYN,ACK.\nWhat acknowledgment "
				"number does the SYN,ACK carry?", b->x);
		tt_practice_add(&b->pzh, "客户端的初始序号（ISN）是 %" PRIu32 "。它的 SYN 到达处于 LISTEN 的服务器，"
				"服务器回复 SYN,ACK。\n这个 SYN,ACK 携带的确认号是多少？", b->x);
		sum = (uint64_t)b->x + 1;
		tt_practice_add(&b->een, "A SYN occupies one sequence number, so the next number the server "
				"expects is ISN + 1 = %" PRIu32 " + 1 = %" PRIu32 "%s.", b->x, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "SYN 本身占用一个序号，所以服务器期待的下一个序号是 ISN + 1 = %" PRIu32
				" + 1 = %" PRIu32 "%s。", b->x, v, wrap_zh(sum));
		break;
	case P_HANDSHAKE_ACK:
		i = find_seg(sim, 0, TT_CLIENT, TT_ACK, TT_SYN | TT_FIN | TT_RST, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		tt_practice_add(&b->pen, "The client's ISN is %" PRIu32 " and the server's ISN is %" PRIu32
				". The handshake runs without loss.\nWhat acknowledgment number does the "
				"client's third segment (the ACK) carry?", b->x, b->y);
		tt_practice_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "，服务器的 ISN 是 %" PRIu32 "，握手过程没有丢包。\n"
				"客户端发出的第三个报文段（ACK）携带的确认号是多少？", b->x, b->y);
		sum = (uint64_t)b->y + 1;
		tt_practice_add(&b->een, "The third segment acknowledges the server's SYN, which occupies one "
				"sequence number: server ISN + 1 = %" PRIu32 " + 1 = %" PRIu32 "%s. The client's "
				"own ISN does not matter here; it is a distractor.", b->y, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "第三个报文段确认的是服务器的 SYN，SYN 占一个序号：服务器 ISN + 1 = %" PRIu32
				" + 1 = %" PRIu32 "%s。客户端自己的 ISN 在这里无关，是干扰项。", b->y, v, wrap_zh(sum));
		break;
	case P_DATA_ACK:
		i = ack_after(sim, find_seg(sim, 0, TT_CLIENT, 0, TT_SYN, 1), TT_SERVER);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		tt_practice_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake the client sends "
				"%" PRIu32 " bytes in one segment.\nWhat acknowledgment number does the server's "
				"ACK carry?", b->x, b->n1);
		tt_practice_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手完成后，客户端用一个报文段发送 %" PRIu32
				" 字节。\n服务器回复的 ACK 携带的确认号是多少？", b->x, b->n1);
		sum = (uint64_t)b->x + 1 + b->n1;
		tt_practice_add(&b->een, "The first data byte has number ISN + 1 (the SYN used ISN). The server "
				"acknowledges the next byte it expects: ISN + 1 + %" PRIu32 " = %" PRIu32
				" + 1 + %" PRIu32 " = %" PRIu32 "%s.", b->n1, b->x, b->n1, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "第一个数据字节的序号是 ISN + 1（ISN 已被 SYN 占用）。服务器确认的是它期待的"
				"下一个字节：ISN + 1 + %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。",
				b->n1, b->x, b->n1, v, wrap_zh(sum));
		break;
	case P_DATA_SEQ2:
		d = find_seg(sim, 0, TT_CLIENT, 0, TT_SYN, 1);
		if (d < 0)
			break;
		i = find_seg(sim, (size_t)d + 1, TT_CLIENT, 0, TT_SYN, 1);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.seq;
		tt_practice_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake it sends %" PRIu32
				" bytes, then %" PRIu32 " more bytes in a second segment.\nWhat sequence number "
				"does the second data segment carry?", b->x, b->n1, b->n2);
		tt_practice_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手后它先发送 %" PRIu32 " 字节，再用第二个"
				"报文段发送 %" PRIu32 " 字节。\n第二个数据报文段的序号是多少？", b->x, b->n1, b->n2);
		sum = (uint64_t)b->x + 1 + b->n1;
		tt_practice_add(&b->een, "seq is the number of the segment's first byte. The first segment "
				"carried bytes ISN + 1 to ISN + %" PRIu32 ", so the second starts at ISN + 1 + "
				"%" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s. Its own length (%"
				PRIu32 ") does not matter.", b->n1, b->n1, b->x, b->n1, v, wrap_en(sum), b->n2);
		tt_practice_add(&b->ezh, "seq 是报文段第一个字节的序号。第一个报文段携带 ISN + 1 到 ISN + %" PRIu32
				" 的字节，所以第二个从 ISN + 1 + %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %"
				PRIu32 "%s%s开始，与它自己的长度（%" PRIu32 "）无关。", b->n1, b->n1, b->x, b->n1, v,
				wrap_zh(sum), *wrap_zh(sum) ? "" : " ", b->n2);
		break;
	}
	*vp = v;
	return i;
}

/* The closing and server data templates. */
static long
answer_close(size_t t, struct build *b, const struct tt_sim *sim, uint32_t *vp)
{
	long i = -1;
	uint32_t v = 0;
	uint64_t sum = 0;   /* the arithmetic of the explanation, without the wrap */

	switch (t) {
	case P_FIN_SEQ:
		i = find_seg(sim, 0, TT_CLIENT, TT_FIN, 0, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.seq;
		tt_practice_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake it sends %" PRIu32
				" bytes, they are acknowledged, and then the client closes.\nWhat sequence number "
				"does the client's FIN carry?", b->x, b->n1);
		tt_practice_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手后它发送 %" PRIu32 " 字节并得到确认，"
				"然后客户端关闭连接。\n客户端 FIN 的序号是多少？", b->x, b->n1);
		sum = (uint64_t)b->x + 1 + b->n1;
		tt_practice_add(&b->een, "The FIN takes the number after the last data byte: ISN + 1 (the SYN) "
				"+ %" PRIu32 " (the data) = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s. The FIN "
				"itself then uses up that number.", b->n1, b->x, b->n1, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "FIN 使用最后一个数据字节之后的序号：ISN + 1（SYN）+ %" PRIu32 "（数据）= %"
				PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。FIN 自己随后占用这个序号。", b->n1, b->x,
				b->n1, v, wrap_zh(sum));
		break;
	case P_FIN_ACK:
		i = ack_after(sim, find_seg(sim, 0, TT_CLIENT, TT_FIN, 0, 0), TT_SERVER);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		tt_practice_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake it sends %" PRIu32
				" bytes and then closes.\nWhat acknowledgment number does the server send when "
				"the client's FIN arrives?", b->x, b->n1);
		tt_practice_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手后它发送 %" PRIu32 " 字节，然后关闭连接。\n"
				"客户端的 FIN 到达时，服务器发送的确认号是多少？", b->x, b->n1);
		sum = (uint64_t)b->x + 1 + b->n1 + 1;
		tt_practice_add(&b->een, "SYN and FIN each occupy one sequence number, like a byte of data: "
				"ISN + 1 (SYN) + %" PRIu32 " (data) + 1 (FIN) = %" PRIu32 " + 1 + %" PRIu32
				" + 1 = %" PRIu32 "%s.", b->n1, b->x, b->n1, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "SYN 和 FIN 各占一个序号，就像一个数据字节：ISN + 1（SYN）+ %" PRIu32
				"（数据）+ 1（FIN）= %" PRIu32 " + 1 + %" PRIu32 " + 1 = %" PRIu32 "%s。", b->n1, b->x,
				b->n1, v, wrap_zh(sum));
		break;
	case P_HALFCLOSE_ACK:
		i = ack_after(sim, find_seg(sim, 0, TT_SERVER, 0, TT_SYN, 1), TT_CLIENT);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		tt_practice_add(&b->pen, "The server's ISN is %" PRIu32 ". Right after the handshake the client "
				"calls shutdown(SHUT_WR); the server (now in CLOSE-WAIT) still sends %" PRIu32 " bytes.\nWhat "
				"acknowledgment number does the client (in FIN-WAIT-2) send for them?", b->y, b->n1);
		tt_practice_add(&b->pzh, "服务器的 ISN 是 %" PRIu32 "。握手一完成客户端就调用了 shutdown(SHUT_WR)；处于 CLOSE-WAIT 的"
				"服务器仍然发送了 %" PRIu32 " 字节。\n处于 FIN-WAIT-2 的客户端对这些数据回复的确认号是多少？",
				b->y, b->n1);
		sum = (uint64_t)b->y + 1 + b->n1;
		tt_practice_add(&b->een, "A half-closed connection still carries data the other way, and the "
				"client still acknowledges it: server ISN + 1 (its SYN) + %" PRIu32 " = %" PRIu32
				" + 1 + %" PRIu32 " = %" PRIu32 "%s.", b->n1, b->y, b->n1, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "半关闭的连接在另一个方向上仍可传数据，客户端也照常确认：服务器 ISN + 1（它的 SYN）"
				"+ %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。", b->n1, b->y, b->n1, v,
				wrap_zh(sum));
		break;
	case P_SERVER_DATA_ACK:
		i = ack_after(sim, find_seg(sim, 0, TT_SERVER, 0, TT_SYN, 1), TT_CLIENT);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		tt_practice_add(&b->pen, "The client's ISN is %" PRIu32 " and the server's ISN is %" PRIu32
				". After the handshake the server sends %" PRIu32 " bytes.\nWhat acknowledgment "
				"number does the client's ACK carry?", b->x, b->y, b->n1);
		tt_practice_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "，服务器的 ISN 是 %" PRIu32 "。握手后服务器发送 %"
				PRIu32 " 字节。\n客户端回复的 ACK 携带的确认号是多少？", b->x, b->y, b->n1);
		sum = (uint64_t)b->y + 1 + b->n1;
		tt_practice_add(&b->een, "Each direction has its own sequence numbers. The client acknowledges "
				"the server's bytes: server ISN + 1 + %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32
				" = %" PRIu32 "%s.", b->n1, b->y, b->n1, v, wrap_en(sum));
		tt_practice_add(&b->ezh, "两个方向各有各的序号。客户端确认的是服务器的字节：服务器 ISN + 1 + %" PRIu32
				" = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。", b->n1, b->y, b->n1, v, wrap_zh(sum));
		break;
	}
	*vp = v;
	return i;
}

/* The teardown template: the state a host is in after some of the steps. */
static long
answer_teardown(struct build *b, const struct tt_sim *sim, struct tt_quiz_question *q)
{
	struct tt_tcb_view view;
	long i;
	const char *name;

	tt_sim_view(sim, b->host, &view);
	q->state = (int)view.state;
	name = tt_state_name(view.state);
	i = (long)tt_sim_nsteps(sim) - 1;
	tt_practice_add(&b->pen, "A connection is established. Then, in order:");
	tt_practice_add(&b->pzh, "连接已经建立。然后依次发生：");
	for (unsigned k = 0; k < b->stop; k++) {
		tt_practice_add(&b->pen, "\n  %u. %s", k + 1, tt_practice_teardown[k].en);
		tt_practice_add(&b->pzh, "\n  %u. %s", k + 1, tt_practice_teardown[k].zh);
	}
	tt_practice_add(&b->pen, "\nWhat state is the %s in now?", host_en[b->host]);
	tt_practice_add(&b->pzh, "\n此时%s处于什么状态？", host_zh[b->host]);
	tt_practice_add(&b->een, "Follow the %s through the steps:", host_en[b->host]);
	tt_practice_add(&b->ezh, "跟着%s一步步走：", host_zh[b->host]);
	for (size_t k = 0; k < tt_sim_nsteps(sim); k++) {
		const struct tt_step *s = tt_sim_step(sim, k);

		for (unsigned e = 0; e < s->nev; e++)
			if (s->ev[e].host == b->host && s->ev[e].ev.from != s->ev[e].ev.to) {
				tt_practice_add(&b->een, " %s -> %s;", tt_state_name(s->ev[e].ev.from),
						tt_state_name(s->ev[e].ev.to));
				tt_practice_add(&b->ezh, "%s -> %s；", tt_state_name(s->ev[e].ev.from),
						tt_state_name(s->ev[e].ev.to));
			}
	}
	tt_practice_add(&b->een, " so it is in %s.", name);
	tt_practice_add(&b->ezh, "所以它处于 %s。", name);
	return i;
}

/* The usable window and slow start templates. */
static long
answer_window(size_t t, struct build *b, const struct tt_sim *sim, uint32_t *vp)
{
	const uint32_t *p = b->p;
	long i = -1;
	uint32_t v = 0;

	switch (t) {
	case P_USABLE_WND: {
		const struct tt_tcb_view *bf, *af;
		uint32_t flight, lim;
		uint64_t wide;

		i = find_event(sim, TT_CLIENT, TT_R_SEND_DATA);
		if (i < 1)
			break;
		bf = &tt_sim_step(sim, (size_t)i - 1)->tcb[TT_CLIENT];
		af = &tt_sim_step(sim, (size_t)i)->tcb[TT_CLIENT];
		v = af->snd_nxt - bf->snd_nxt;
		flight = bf->snd_nxt - bf->snd_una;
		lim = min_u32(bf->snd_wnd, bf->cwnd);
		wide = (uint64_t)bf->snd_una + flight;
		tt_practice_add(&b->pen, "A client's TCB reads SND.UNA = %" PRIu32 ", SND.NXT = %" PRIu32
				", SND.WND = %" PRIu32 " (the server's window) and cwnd = %" PRIu32 ". Its "
				"application now writes 20000 more bytes.\nHow many new bytes may the client "
				"send right away?", bf->snd_una, bf->snd_nxt, bf->snd_wnd, bf->cwnd);
		tt_practice_add(&b->pzh, "客户端的 TCB 中 SND.UNA = %" PRIu32 "，SND.NXT = %" PRIu32 "，SND.WND = %"
				PRIu32 "（服务器的窗口），cwnd = %" PRIu32 "。它的应用程序又写入 20000 字节。\n"
				"客户端现在最多能立即发送多少个新字节？", bf->snd_una, bf->snd_nxt, bf->snd_wnd,
				bf->cwnd);
		tt_practice_add(&b->een, "What may be in flight is the smaller of the receiver's window and "
				"the congestion window (RFC 5681 §3, RFC 9293 §3.8.6.2.1), less what is in flight "
				"already: usable = min(SND.WND, cwnd) - (SND.NXT - SND.UNA). In flight: %" PRIu32
				" - %" PRIu32 " = %" PRIu32 "%s bytes. Usable: min(%" PRIu32 ", %" PRIu32 ") - %"
				PRIu32 " = %" PRIu32 " - %" PRIu32 " = %" PRIu32 " bytes%s.", bf->snd_nxt,
				bf->snd_una, flight, wrap_en(wide), bf->snd_wnd, bf->cwnd, flight, lim, flight, v,
				v == 0 ? ": nothing may go until an ACK opens the window" : "");
		tt_practice_add(&b->ezh, "允许在途的数据量是接收方窗口和拥塞窗口中较小的那个（RFC 5681 §3、RFC 9293 "
				"§3.8.6.2.1），再减去已经在途的数据：可用窗口 = min(SND.WND, cwnd) - (SND.NXT - SND.UNA)。"
				"在途：%" PRIu32 " - %" PRIu32 " = %" PRIu32 "%s 字节。可用：min(%" PRIu32 ", %" PRIu32
				") - %" PRIu32 " = %" PRIu32 " - %" PRIu32 " = %" PRIu32 " 字节%s。", bf->snd_nxt,
				bf->snd_una, flight, wrap_zh(wide), bf->snd_wnd, bf->cwnd, flight, lim, flight, v,
				v == 0 ? "：在 ACK 打开窗口之前什么也不能发" : "");
		break;
	}
	case P_SLOW_START:
		i = (long)tt_sim_nsteps(sim) - 1;
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->tcb[TT_CLIENT].cwnd;
		tt_practice_add(&b->pen, "A client with SMSS = %" PRIu32 " bytes begins slow start with an initial "
				"window of %" PRIu32 " segment%s (cwnd = %" PRIu32 " bytes). ssthresh is still "
				"arbitrarily high, the server's window is large and nothing is lost: every round "
				"trip the client sends a full window, and every segment is acknowledged.\nWhat is "
				"cwnd, in bytes, after %" PRIu32 " round trip%s?", p[0], p[1], p[1] == 1 ? "" : "s",
				p[0] * p[1], p[2], p[2] == 1 ? "" : "s");
		tt_practice_add(&b->pzh, "客户端的 SMSS = %" PRIu32 " 字节，以 %" PRIu32 " 个报文段的初始窗口开始慢启动"
				"（cwnd = %" PRIu32 " 字节）。ssthresh 仍然任意大，服务器的窗口很大，也没有丢包：每个往返"
				"客户端都发出一整个窗口，每个报文段都得到确认。\n%" PRIu32 " 个往返之后，cwnd 是多少字节？",
				p[0], p[1], p[0] * p[1], p[2]);
		tt_practice_add(&b->een, "In slow start each ACK of new data adds min(N, SMSS) to cwnd, here one "
				"SMSS (RFC 5681 §3.1), so a window of W segments brings W ACKs and cwnd doubles "
				"every round trip: cwnd = IW × 2^k × SMSS = %" PRIu32 " × 2^%" PRIu32 " × %" PRIu32
				" = %" PRIu32 " bytes. Slow start lasts while cwnd < ssthresh; from ssthresh on, "
				"congestion avoidance adds about one SMSS per round trip (SMSS × SMSS / cwnd per "
				"ACK).", p[1], p[2], p[0], v);
		tt_practice_add(&b->ezh, "慢启动中，每个确认了新数据的 ACK 使 cwnd 增加 min(N, SMSS)，这里就是一个 SMSS"
				"（RFC 5681 §3.1），所以 W 个报文段的窗口带回 W 个 ACK，cwnd 每个往返翻一番：cwnd = IW × "
				"2^k × SMSS = %" PRIu32 " × 2^%" PRIu32 " × %" PRIu32 " = %" PRIu32 " 字节。cwnd < "
				"ssthresh 时才是慢启动；达到 ssthresh 之后进入拥塞避免，每个往返大约只增加一个 SMSS"
				"（每个 ACK 增加 SMSS × SMSS / cwnd）。", p[1], p[2], p[0], v);
		break;
	}
	*vp = v;
	return i;
}

/* The loss templates: ssthresh or cwnd after a fast retransmit or a timeout. */
static long
answer_loss(size_t t, struct build *b, const struct tt_sim *sim, uint32_t *vp)
{
	const uint32_t *p = b->p;
	const struct tt_tcb_view *bf, *af;
	uint32_t flight, v, dup = p[1] - 2;
	int fr = p[2] != 0;
	long i;

	i = find_event(sim, TT_CLIENT, fr ? TT_R_FAST_RETRANSMIT : TT_R_RTX_TIMEOUT);
	if (i < 1)
		return -1;
	bf = &tt_sim_step(sim, (size_t)i - 1)->tcb[TT_CLIENT];
	af = &tt_sim_step(sim, (size_t)i)->tcb[TT_CLIENT];
	flight = bf->snd_nxt - bf->snd_una;
	v = t == P_SSTHRESH_LOSS ? af->ssthresh : af->cwnd;
	tt_practice_add(&b->pen, "A client with SMSS = %" PRIu32 " bytes sends %" PRIu32 " segments at once "
			"(%" PRIu32 " bytes); the second one is lost. The others arrive: the first is "
			"acknowledged, and each one after the hole brings a duplicate ACK. ", p[0], p[1],
			p[0] * p[1]);
	tt_practice_add(&b->pzh, "客户端的 SMSS = %" PRIu32 " 字节，一次发出 %" PRIu32 " 个报文段（%" PRIu32
			" 字节），其中第二个丢失了。其余的都到达了：第一个得到确认，空洞之后的每一个都带回一个"
			"重复确认。", p[0], p[1], p[0] * p[1]);
	if (fr) {
		tt_practice_add(&b->pen, "The third duplicate ACK triggers a fast retransmit (Reno).");
		tt_practice_add(&b->pzh, "第三个重复确认触发快速重传（Reno）。");
	} else {
		tt_practice_add(&b->pen, "%" PRIu32 " duplicate ACK%s %s too few for a fast retransmit, so the "
				"retransmission timer expires.", dup, dup == 1 ? "" : "s",
				dup == 1 ? "is" : "are");
		tt_practice_add(&b->pzh, "%" PRIu32 " 个重复确认不足以触发快速重传，所以重传计时器超时。", dup);
	}
	if (t == P_SSTHRESH_LOSS) {
		tt_practice_add(&b->pen, "\nWhat is ssthresh right after the %s, in bytes?",
				fr ? "fast retransmit" : "timeout");
		tt_practice_add(&b->pzh, "\n%s之后，ssthresh 是多少字节？", fr ? "快速重传" : "超时");
	} else {
		tt_practice_add(&b->pen, "\nWhat is cwnd right after the %s, in bytes?",
				fr ? "fast retransmit" : "timeout");
		tt_practice_add(&b->pzh, "\n%s之后，cwnd 是多少字节？", fr ? "快速重传" : "超时");
	}
	tt_practice_add(&b->een, "FlightSize = SND.NXT - SND.UNA = %" PRIu32 " bytes: the first segment "
			"was acknowledged, %" PRIu32 " are still unacknowledged. RFC 5681 equation 4: "
			"ssthresh = max(FlightSize / 2, 2 × SMSS) = max(%" PRIu32 ", %" PRIu32 ") = %" PRIu32
			". ", flight, p[1] - 1, flight / 2, 2 * p[0], af->ssthresh);
	tt_practice_add(&b->ezh, "FlightSize = SND.NXT - SND.UNA = %" PRIu32 " 字节：第一个报文段已被确认，还有 %"
			PRIu32 " 个没有确认。RFC 5681 公式 4：ssthresh = max(FlightSize / 2, 2 × SMSS) = max(%"
			PRIu32 ", %" PRIu32 ") = %" PRIu32 "。", flight, p[1] - 1, flight / 2, 2 * p[0],
			af->ssthresh);
	if (fr) {
		tt_practice_add(&b->een, "After a fast retransmit, cwnd = ssthresh + 3 × SMSS = %" PRIu32
				" + %" PRIu32 " = %" PRIu32 " (RFC 5681 §3.2: the three duplicate ACKs stand "
				"for three segments that have left the network). A timeout would instead "
				"have set cwnd to the loss window, 1 SMSS = %" PRIu32 ".", af->ssthresh,
				3 * p[0], af->cwnd, p[0]);
		tt_practice_add(&b->ezh, "快速重传之后，cwnd = ssthresh + 3 × SMSS = %" PRIu32 " + %" PRIu32
				" = %" PRIu32 "（RFC 5681 §3.2：三个重复确认代表有三个报文段已经离开网络）。如果是超时，"
				"cwnd 则会降到丢失窗口，即 1 个 SMSS = %" PRIu32 "。", af->ssthresh, 3 * p[0],
				af->cwnd, p[0]);
	} else {
		tt_practice_add(&b->een, "After a timeout, cwnd = the loss window, 1 SMSS = %" PRIu32 " (RFC "
				"5681 §3.1), and slow start begins again. A fast retransmit would instead "
				"have set cwnd = ssthresh + 3 × SMSS.", af->cwnd);
		tt_practice_add(&b->ezh, "超时之后，cwnd = 丢失窗口，即 1 个 SMSS = %" PRIu32 "（RFC 5681 §3.1），"
				"重新开始慢启动。如果是快速重传，则 cwnd = ssthresh + 3 × SMSS。", af->cwnd);
	}
	*vp = v;
	return i;
}

/* The RTO template: RFC 6298 over two or three samples. */
static long
answer_rto(struct build *b, const struct tt_sim *sim, uint32_t *vp)
{
	const uint32_t *p = b->p;
	const struct tt_tcb_view *c = NULL;
	long i = -1;
	uint32_t v;
	unsigned k = 0;

	tt_practice_add(&b->pen, "A client measures these round-trip times, in order:");
	tt_practice_add(&b->pzh, "客户端依次测得这些往返时间：");
	for (int j = 0; j < 3 && p[j] > 0; j++) {
		tt_practice_add(&b->pen, "%s %" PRIu32 " ms", j ? "," : "", p[j]);
		tt_practice_add(&b->pzh, "%s%" PRIu32 " 毫秒", j ? "、" : "", p[j]);
	}
	tt_practice_add(&b->pen, " (the first from its SYN). It follows RFC 6298 with a clock granularity "
			"G of 1 microsecond and RTO.min = 1 s.\nWhat is its RTO now, in milliseconds?");
	tt_practice_add(&b->pzh, "（第一个来自它的 SYN）。它按 RFC 6298 计算，时钟粒度 G 为 1 微秒，RTO.min = 1 秒。\n"
			"它现在的 RTO 是多少毫秒？");
	/* the client's TCB after each segment that reached it: the
	 * SYN,ACK and the ACK of each 100 bytes, one sample each */
	for (size_t j = 0; j < tt_sim_nsteps(sim) && k < 3; j++) {
		const struct tt_step *st = tt_sim_step(sim, j);

		if (st->kind != TT_STEP_SEGMENT || st->dir != TT_SERVER)
			continue;
		c = &st->tcb[TT_CLIENT];
		if (k == 0) {
			tt_practice_add(&b->een, "RFC 6298 §2.2, the first sample R = %" PRIu32 ": SRTT = R = %lu, "
					"RTTVAR = R / 2 = %lu.", p[0], ms(c->srtt), ms(c->rttvar));
			tt_practice_add(&b->ezh, "RFC 6298 §2.2，第一个样本 R = %" PRIu32 "：SRTT = R = %lu，RTTVAR = R / 2 = "
					"%lu。", p[0], ms(c->srtt), ms(c->rttvar));
		} else {
			tt_practice_add(&b->een, " §2.3, the sample R = %" PRIu32 ": RTTVAR = 3/4 × RTTVAR + 1/4 × "
					"|SRTT - R| (with the old SRTT) = %lu, then SRTT = 7/8 × SRTT + 1/8 × R = "
					"%lu.", p[k], ms(c->rttvar), ms(c->srtt));
			tt_practice_add(&b->ezh, "§2.3，样本 R = %" PRIu32 "：RTTVAR = 3/4 × RTTVAR + 1/4 × |SRTT - R|"
					"（用旧的 SRTT）= %lu，然后 SRTT = 7/8 × SRTT + 1/8 × R = %lu。", p[k],
					ms(c->rttvar), ms(c->srtt));
		}
		i = (long)j;
		k++;
	}
	if (c == NULL || k != (p[2] > 0 ? 3u : 2u)) {
		i = -1;
		return -1;
	}
	v = (uint32_t)ms(c->rto);
	tt_practice_add(&b->een, " RTO = SRTT + max(G, 4 × RTTVAR) = %lu + %lu = %lu ms", ms(c->srtt),
			4 * ms(c->rttvar), ms(c->srtt) + 4 * ms(c->rttvar));
	tt_practice_add(&b->ezh, "RTO = SRTT + max(G, 4 × RTTVAR) = %lu + %lu = %lu 毫秒", ms(c->srtt),
			4 * ms(c->rttvar), ms(c->srtt) + 4 * ms(c->rttvar));
	if (ms(c->srtt) + 4 * ms(c->rttvar) < v) {
		tt_practice_add(&b->een, ", less than RTO.min (§2.4), so RTO = %" PRIu32 " ms.", v);
		tt_practice_add(&b->ezh, "，小于 RTO.min（§2.4），所以 RTO = %" PRIu32 " 毫秒。", v);
	} else {
		tt_practice_add(&b->een, ", not below RTO.min (1000 ms, §2.4), so RTO = %" PRIu32 " ms.", v);
		tt_practice_add(&b->ezh, "，不低于 RTO.min（1000 毫秒，§2.4），所以 RTO = %" PRIu32 " 毫秒。", v);
	}
	*vp = v;
	return i;
}

int
tt_practice_read_answer(size_t t, struct build *b, const struct tt_sim *sim, struct tt_quiz_question *q,
                        char *err, size_t errlen)
{
	long i = -1;
	uint32_t v = 0;

	switch (t) {
	case P_SYNACK_ACK:
	case P_HANDSHAKE_ACK:
	case P_DATA_ACK:
	case P_DATA_SEQ2:
		i = answer_open(t, b, sim, &v);
		break;
	case P_FIN_SEQ:
	case P_FIN_ACK:
	case P_HALFCLOSE_ACK:
	case P_SERVER_DATA_ACK:
		i = answer_close(t, b, sim, &v);
		break;
	case P_TEARDOWN_STATE:
		i = answer_teardown(b, sim, q);
		break;
	/* The window, congestion and RTO templates: the answer is what the
	 * engine left in the client's TCB; the explanation gives the rule
	 * that made it. */
	case P_USABLE_WND:
	case P_SLOW_START:
		i = answer_window(t, b, sim, &v);
		break;
	case P_SSTHRESH_LOSS:
	case P_CWND_LOSS:
		i = answer_loss(t, b, sim, &v);
		break;
	case P_RTO:
		i = answer_rto(b, sim, &v);
		break;
	}
	if (i < 0 || (size_t)i >= tt_sim_nsteps(sim)) {
		snprintf(err, errlen, "%s: the scenario did not produce the expected %s",
		         tt_practice_template_id(t), t >= P_USABLE_WND ? "steps" : "segment");
		return -1;
	}
	q->answer_num = v;
	q->scenario_step = (unsigned)i + 1;
	return 0;
}
