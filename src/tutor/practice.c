/* tutor/practice.c: generated practice questions. Each template draws its
 * numbers from a seed, writes a scenario (the same action lines lessons
 * use), runs it in the simulator and reads the answer off the resulting
 * steps: the engine computes every answer, nothing is typed in. The
 * question keeps the scenario and the step that shows the answer, so "show
 * me" can open it. Library code: never prints. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "tutor/quiz.h"

enum {
	P_SYNACK_ACK, P_HANDSHAKE_ACK, P_DATA_ACK, P_DATA_SEQ2, P_FIN_SEQ, P_FIN_ACK,
	P_HALFCLOSE_ACK, P_SERVER_DATA_ACK, P_TEARDOWN_STATE, P_NTEMPLATES
};

struct ptemplate {
	const char *id;
	enum tt_quiz_kind kind;
	const char *lesson;
	unsigned step;
	const char *title[TT_NLANG];
};

static const struct ptemplate templates[P_NTEMPLATES] = {
	[P_SYNACK_ACK] = { "practice-synack-ack", TT_QK_NUMBER, "handshake", 4,
		{ "The acknowledgment number in the SYN,ACK",
		  "SYN,ACK 里的确认号" } },
	[P_HANDSHAKE_ACK] = { "practice-handshake-ack", TT_QK_NUMBER, "handshake", 5,
		{ "The acknowledgment number in the handshake's third segment",
		  "握手第三个报文段的确认号" } },
	[P_DATA_ACK] = { "practice-data-ack", TT_QK_NUMBER, "data", 8,
		{ "The ACK for the client's data",
		  "服务器确认客户端数据的确认号" } },
	[P_DATA_SEQ2] = { "practice-data-seq2", TT_QK_NUMBER, "data", 10,
		{ "The sequence number of the second data segment",
		  "第二个数据报文段的序号" } },
	[P_FIN_SEQ] = { "practice-fin-seq", TT_QK_NUMBER, "teardown", 18,
		{ "The sequence number of the FIN after data",
		  "发完数据后 FIN 的序号" } },
	[P_FIN_ACK] = { "practice-fin-ack", TT_QK_NUMBER, "teardown", 19,
		{ "The acknowledgment number for a FIN",
		  "确认 FIN 的确认号" } },
	[P_HALFCLOSE_ACK] = { "practice-halfclose-ack", TT_QK_NUMBER, "teardown", 15,
		{ "Acknowledging data sent in CLOSE-WAIT (half-close)",
		  "半关闭时确认 CLOSE-WAIT 一方发来的数据" } },
	[P_SERVER_DATA_ACK] = { "practice-server-data-ack", TT_QK_NUMBER, "header", 11,
		{ "The client's ACK for the server's data",
		  "客户端确认服务器数据的确认号" } },
	[P_TEARDOWN_STATE] = { "practice-teardown-state", TT_QK_STATE, "teardown", 11,
		{ "A host's state part way through the teardown",
		  "挥手进行到一半时某一端的状态" } },
};

size_t
tt_practice_ntemplates(void)
{
	return P_NTEMPLATES;
}

const char *
tt_practice_template_id(size_t t)
{
	return t < P_NTEMPLATES ? templates[t].id : "practice";
}

static void
set_text(struct tt_qtext *t, const char *en, const char *zh)
{
	free(t->s[TT_EN]);
	free(t->s[TT_ZH]);
	t->s[TT_EN] = strdup(en);
	t->s[TT_ZH] = strdup(zh);
}

void
tt_practice_describe(size_t t, struct tt_question *q)
{
	memset(q, 0, sizeof *q);
	if (t >= P_NTEMPLATES)
		return;
	snprintf(q->id, sizeof q->id, "%s", templates[t].id);
	snprintf(q->topic, sizeof q->topic, "%s", TT_PRACTICE_TOPIC);
	q->kind = templates[t].kind;
	snprintf(q->show_lesson, sizeof q->show_lesson, "%s", templates[t].lesson);
	q->show_step = templates[t].step;
	q->title.s[TT_EN] = (char *)templates[t].title[TT_EN];
	q->title.s[TT_ZH] = (char *)templates[t].title[TT_ZH];
	q->gen.template_ = (int)t;
}

/* ---- numbers ---- */

static uint64_t
next(uint64_t *st)
{
	uint64_t x = (*st += 0x9e3779b97f4a7c15ULL);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* An ISN: anywhere in the 32-bit space, and one time in four close to its
 * end so that the arithmetic wraps around (RFC 9293 §3.4: modulo 2^32). */
static uint32_t
draw_isn(uint64_t *st)
{
	uint64_t r = next(st);

	if ((r & 3) == 0)
		return (uint32_t)(UINT32_MAX - (next(st) % 2000));
	return (uint32_t)(r >> 32);
}

static uint32_t
draw_len(uint64_t *st)
{
	static const uint32_t lens[] = { 10, 20, 100, 200, 300, 500, 536, 1000, 1200, 1460 };

	return lens[next(st) % (sizeof lens / sizeof lens[0])];
}

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

struct sbuf {
	char s[2048];
	size_t n;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->n >= sizeof b->s - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->n += (size_t)n < sizeof b->s - b->n ? (size_t)n : sizeof b->s - b->n - 1;
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

static const char *const host_en[2] = { "client", "server" };
static const char *const host_zh[2] = { "客户端", "服务器" };

struct build {
	struct sbuf scen, pen, pzh, een, ezh;
	uint32_t x, y, n1, n2;   /* client ISS, server ISS, byte counts */
	int host;
	unsigned stop;
};

static void
common_head(struct build *b)
{
	sb_add(&b->scen, "# generated practice scenario\n"
	       "host client 192.0.2.1 49152 iss=%" PRIu32 "\n"
	       "host server 198.51.100.2 80 iss=%" PRIu32 "\n"
	       "listen server\nconnect client\nrun\n", b->x, b->y);
}

/* The teardown for the state question, action by action, with words. */
static const struct {
	const char *action, *en, *zh;
} teardown[] = {
	{ "close client", "the client application closes (its FIN goes out)",
	  "客户端应用调用 close()（FIN 发出）" },
	{ "deliver", "the client's FIN arrives at the server",
	  "客户端的 FIN 到达服务器" },
	{ "deliver", "the server's ACK of that FIN arrives at the client",
	  "服务器对这个 FIN 的 ACK 到达客户端" },
	{ "close server", "the server application closes too (its FIN goes out)",
	  "服务器应用也调用 close()（它的 FIN 发出）" },
	{ "deliver", "the server's FIN arrives at the client",
	  "服务器的 FIN 到达客户端" },
	{ "deliver", "the client's ACK of it arrives at the server",
	  "客户端对它的 ACK 到达服务器" },
};
#define NTEARDOWN (sizeof teardown / sizeof teardown[0])

static void
write_scenario(size_t t, struct build *b)
{
	common_head(b);
	switch (t) {
	case P_SYNACK_ACK:
	case P_HANDSHAKE_ACK:
		break;
	case P_DATA_ACK:
		sb_add(&b->scen, "send client %" PRIu32 "\nrun\n", b->n1);
		break;
	case P_DATA_SEQ2:
		sb_add(&b->scen, "send client %" PRIu32 "\nrun\nsend client %" PRIu32 "\nrun\n",
		       b->n1, b->n2);
		break;
	case P_FIN_SEQ:
	case P_FIN_ACK:
		sb_add(&b->scen, "send client %" PRIu32 "\nrun\nclose client\nrun\n", b->n1);
		break;
	case P_HALFCLOSE_ACK:
		sb_add(&b->scen, "shutdown client\nrun\nsend server %" PRIu32 "\nrun\n", b->n1);
		break;
	case P_SERVER_DATA_ACK:
		sb_add(&b->scen, "send server %" PRIu32 "\nrun\n", b->n1);
		break;
	case P_TEARDOWN_STATE:
		for (unsigned i = 0; i < b->stop; i++)
			sb_add(&b->scen, "%s\n", teardown[i].action);
		break;
	}
}

/* Reads the answer off the steps and writes prompt and explanation. */
static int
read_answer(size_t t, struct build *b, const struct tt_sim *sim, struct tt_question *q, char *err,
            size_t errlen)
{
	long i = -1, d;
	const struct tt_step *st;
	uint32_t v = 0;
	uint64_t sum = 0;   /* the arithmetic of the explanation, without the wrap */

	switch (t) {
	case P_SYNACK_ACK:
		i = find_seg(sim, 0, TT_SERVER, TT_SYN | TT_ACK, 0, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		sb_add(&b->pen, "The client's initial sequence number (ISN) is %" PRIu32 ". Its SYN "
		       "reaches the listening server, which answers with SYN,ACK.\nWhat acknowledgment "
		       "number does the SYN,ACK carry?", b->x);
		sb_add(&b->pzh, "客户端的初始序号（ISN）是 %" PRIu32 "。它的 SYN 到达处于 LISTEN 的服务器，"
		       "服务器回复 SYN,ACK。\n这个 SYN,ACK 携带的确认号是多少？", b->x);
		sum = (uint64_t)b->x + 1;
		sb_add(&b->een, "A SYN occupies one sequence number, so the next number the server "
		       "expects is ISN + 1 = %" PRIu32 " + 1 = %" PRIu32 "%s.", b->x, v, wrap_en(sum));
		sb_add(&b->ezh, "SYN 本身占用一个序号，所以服务器期待的下一个序号是 ISN + 1 = %" PRIu32
		       " + 1 = %" PRIu32 "%s。", b->x, v, wrap_zh(sum));
		break;
	case P_HANDSHAKE_ACK:
		i = find_seg(sim, 0, TT_CLIENT, TT_ACK, TT_SYN | TT_FIN | TT_RST, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		sb_add(&b->pen, "The client's ISN is %" PRIu32 " and the server's ISN is %" PRIu32
		       ". The handshake runs without loss.\nWhat acknowledgment number does the "
		       "client's third segment (the ACK) carry?", b->x, b->y);
		sb_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "，服务器的 ISN 是 %" PRIu32 "，握手过程没有丢包。\n"
		       "客户端发出的第三个报文段（ACK）携带的确认号是多少？", b->x, b->y);
		sum = (uint64_t)b->y + 1;
		sb_add(&b->een, "The third segment acknowledges the server's SYN, which occupies one "
		       "sequence number: server ISN + 1 = %" PRIu32 " + 1 = %" PRIu32 "%s. The client's "
		       "own ISN does not matter here; it is a distractor.", b->y, v, wrap_en(sum));
		sb_add(&b->ezh, "第三个报文段确认的是服务器的 SYN，SYN 占一个序号：服务器 ISN + 1 = %" PRIu32
		       " + 1 = %" PRIu32 "%s。客户端自己的 ISN 在这里无关，是干扰项。", b->y, v, wrap_zh(sum));
		break;
	case P_DATA_ACK:
		d = find_seg(sim, 0, TT_CLIENT, 0, TT_SYN, 1);
		if (d < 0)
			break;
		i = find_seg(sim, (size_t)d + 1, TT_SERVER, TT_ACK, TT_SYN, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		sb_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake the client sends "
		       "%" PRIu32 " bytes in one segment.\nWhat acknowledgment number does the server's "
		       "ACK carry?", b->x, b->n1);
		sb_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手完成后，客户端用一个报文段发送 %" PRIu32
		       " 字节。\n服务器回复的 ACK 携带的确认号是多少？", b->x, b->n1);
		sum = (uint64_t)b->x + 1 + b->n1;
		sb_add(&b->een, "The first data byte has number ISN + 1 (the SYN used ISN). The server "
		       "acknowledges the next byte it expects: ISN + 1 + %" PRIu32 " = %" PRIu32
		       " + 1 + %" PRIu32 " = %" PRIu32 "%s.", b->n1, b->x, b->n1, v, wrap_en(sum));
		sb_add(&b->ezh, "第一个数据字节的序号是 ISN + 1（ISN 已被 SYN 占用）。服务器确认的是它期待的"
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
		sb_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake it sends %" PRIu32
		       " bytes, then %" PRIu32 " more bytes in a second segment.\nWhat sequence number "
		       "does the second data segment carry?", b->x, b->n1, b->n2);
		sb_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手后它先发送 %" PRIu32 " 字节，再用第二个"
		       "报文段发送 %" PRIu32 " 字节。\n第二个数据报文段的序号是多少？", b->x, b->n1, b->n2);
		sum = (uint64_t)b->x + 1 + b->n1;
		sb_add(&b->een, "seq is the number of the segment's first byte. The first segment "
		       "carried bytes ISN + 1 to ISN + %" PRIu32 ", so the second starts at ISN + 1 + "
		       "%" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s. Its own length (%"
		       PRIu32 ") does not matter.", b->n1, b->n1, b->x, b->n1, v, wrap_en(sum), b->n2);
		sb_add(&b->ezh, "seq 是报文段第一个字节的序号。第一个报文段携带 ISN + 1 到 ISN + %" PRIu32
		       " 的字节，所以第二个从 ISN + 1 + %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %"
		       PRIu32 "%s%s开始，与它自己的长度（%" PRIu32 "）无关。", b->n1, b->n1, b->x, b->n1, v,
		       wrap_zh(sum), *wrap_zh(sum) ? "" : " ", b->n2);
		break;
	case P_FIN_SEQ:
		i = find_seg(sim, 0, TT_CLIENT, TT_FIN, 0, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.seq;
		sb_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake it sends %" PRIu32
		       " bytes, they are acknowledged, and then the client closes.\nWhat sequence number "
		       "does the client's FIN carry?", b->x, b->n1);
		sb_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手后它发送 %" PRIu32 " 字节并得到确认，"
		       "然后客户端关闭连接。\n客户端 FIN 的序号是多少？", b->x, b->n1);
		sum = (uint64_t)b->x + 1 + b->n1;
		sb_add(&b->een, "The FIN takes the number after the last data byte: ISN + 1 (the SYN) "
		       "+ %" PRIu32 " (the data) = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s. The FIN "
		       "itself then uses up that number.", b->n1, b->x, b->n1, v, wrap_en(sum));
		sb_add(&b->ezh, "FIN 使用最后一个数据字节之后的序号：ISN + 1（SYN）+ %" PRIu32 "（数据）= %"
		       PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。FIN 自己随后占用这个序号。", b->n1, b->x,
		       b->n1, v, wrap_zh(sum));
		break;
	case P_FIN_ACK:
		d = find_seg(sim, 0, TT_CLIENT, TT_FIN, 0, 0);
		if (d < 0)
			break;
		i = find_seg(sim, (size_t)d + 1, TT_SERVER, TT_ACK, TT_SYN, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		sb_add(&b->pen, "The client's ISN is %" PRIu32 ". After the handshake it sends %" PRIu32
		       " bytes and then closes.\nWhat acknowledgment number does the server send when "
		       "the client's FIN arrives?", b->x, b->n1);
		sb_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "。握手后它发送 %" PRIu32 " 字节，然后关闭连接。\n"
		       "客户端的 FIN 到达时，服务器发送的确认号是多少？", b->x, b->n1);
		sum = (uint64_t)b->x + 1 + b->n1 + 1;
		sb_add(&b->een, "SYN and FIN each occupy one sequence number, like a byte of data: "
		       "ISN + 1 (SYN) + %" PRIu32 " (data) + 1 (FIN) = %" PRIu32 " + 1 + %" PRIu32
		       " + 1 = %" PRIu32 "%s.", b->n1, b->x, b->n1, v, wrap_en(sum));
		sb_add(&b->ezh, "SYN 和 FIN 各占一个序号，就像一个数据字节：ISN + 1（SYN）+ %" PRIu32
		       "（数据）+ 1（FIN）= %" PRIu32 " + 1 + %" PRIu32 " + 1 = %" PRIu32 "%s。", b->n1, b->x,
		       b->n1, v, wrap_zh(sum));
		break;
	case P_HALFCLOSE_ACK:
		d = find_seg(sim, 0, TT_SERVER, 0, TT_SYN, 1);
		if (d < 0)
			break;
		i = find_seg(sim, (size_t)d + 1, TT_CLIENT, TT_ACK, TT_SYN, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		sb_add(&b->pen, "The server's ISN is %" PRIu32 ". Right after the handshake the client "
		       "calls shutdown(SHUT_WR); the server (now in CLOSE-WAIT) still sends %" PRIu32 " bytes.\nWhat "
		       "acknowledgment number does the client (in FIN-WAIT-2) send for them?", b->y, b->n1);
		sb_add(&b->pzh, "服务器的 ISN 是 %" PRIu32 "。握手一完成客户端就调用了 shutdown(SHUT_WR)；处于 CLOSE-WAIT 的"
		       "服务器仍然发送了 %" PRIu32 " 字节。\n处于 FIN-WAIT-2 的客户端对这些数据回复的确认号是多少？",
		       b->y, b->n1);
		sum = (uint64_t)b->y + 1 + b->n1;
		sb_add(&b->een, "A half-closed connection still carries data the other way, and the "
		       "client still acknowledges it: server ISN + 1 (its SYN) + %" PRIu32 " = %" PRIu32
		       " + 1 + %" PRIu32 " = %" PRIu32 "%s.", b->n1, b->y, b->n1, v, wrap_en(sum));
		sb_add(&b->ezh, "半关闭的连接在另一个方向上仍可传数据，客户端也照常确认：服务器 ISN + 1（它的 SYN）"
		       "+ %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。", b->n1, b->y, b->n1, v,
		       wrap_zh(sum));
		break;
	case P_SERVER_DATA_ACK:
		d = find_seg(sim, 0, TT_SERVER, 0, TT_SYN, 1);
		if (d < 0)
			break;
		i = find_seg(sim, (size_t)d + 1, TT_CLIENT, TT_ACK, TT_SYN, 0);
		if (i < 0)
			break;
		v = tt_sim_step(sim, (size_t)i)->seg.ack;
		sb_add(&b->pen, "The client's ISN is %" PRIu32 " and the server's ISN is %" PRIu32
		       ". After the handshake the server sends %" PRIu32 " bytes.\nWhat acknowledgment "
		       "number does the client's ACK carry?", b->x, b->y, b->n1);
		sb_add(&b->pzh, "客户端的 ISN 是 %" PRIu32 "，服务器的 ISN 是 %" PRIu32 "。握手后服务器发送 %"
		       PRIu32 " 字节。\n客户端回复的 ACK 携带的确认号是多少？", b->x, b->y, b->n1);
		sum = (uint64_t)b->y + 1 + b->n1;
		sb_add(&b->een, "Each direction has its own sequence numbers. The client acknowledges "
		       "the server's bytes: server ISN + 1 + %" PRIu32 " = %" PRIu32 " + 1 + %" PRIu32
		       " = %" PRIu32 "%s.", b->n1, b->y, b->n1, v, wrap_en(sum));
		sb_add(&b->ezh, "两个方向各有各的序号。客户端确认的是服务器的字节：服务器 ISN + 1 + %" PRIu32
		       " = %" PRIu32 " + 1 + %" PRIu32 " = %" PRIu32 "%s。", b->n1, b->y, b->n1, v, wrap_zh(sum));
		break;
	case P_TEARDOWN_STATE: {
		struct tt_tcb_view view;
		const char *name;

		tt_sim_view(sim, b->host, &view);
		q->state = (int)view.state;
		name = tt_state_name(view.state);
		i = (long)tt_sim_nsteps(sim) - 1;
		sb_add(&b->pen, "A connection is established. Then, in order:");
		sb_add(&b->pzh, "连接已经建立。然后依次发生：");
		for (unsigned k = 0; k < b->stop; k++) {
			sb_add(&b->pen, "\n  %u. %s", k + 1, teardown[k].en);
			sb_add(&b->pzh, "\n  %u. %s", k + 1, teardown[k].zh);
		}
		sb_add(&b->pen, "\nWhat state is the %s in now?", host_en[b->host]);
		sb_add(&b->pzh, "\n此时%s处于什么状态？", host_zh[b->host]);
		sb_add(&b->een, "Follow the %s through the steps:", host_en[b->host]);
		sb_add(&b->ezh, "跟着%s一步步走：", host_zh[b->host]);
		for (size_t k = 0; k < tt_sim_nsteps(sim); k++) {
			const struct tt_step *s = tt_sim_step(sim, k);

			for (unsigned e = 0; e < s->nev; e++)
				if (s->ev[e].host == b->host && s->ev[e].ev.from != s->ev[e].ev.to) {
					sb_add(&b->een, " %s -> %s;", tt_state_name(s->ev[e].ev.from),
					       tt_state_name(s->ev[e].ev.to));
					sb_add(&b->ezh, "%s -> %s；", tt_state_name(s->ev[e].ev.from),
					       tt_state_name(s->ev[e].ev.to));
				}
		}
		sb_add(&b->een, " so it is in %s.", name);
		sb_add(&b->ezh, "所以它处于 %s。", name);
		break;
	}
	}
	if (i < 0 || (size_t)i >= tt_sim_nsteps(sim)) {
		snprintf(err, errlen, "%s: the scenario did not produce the expected segment",
		         templates[t].id);
		return -1;
	}
	st = tt_sim_step(sim, (size_t)i);
	(void)st;
	q->answer_num = v;
	q->scenario_step = (unsigned)i + 1;
	return 0;
}

struct tt_question *
tt_practice_new(size_t t, unsigned long seed, char *err, size_t errlen)
{
	uint64_t st = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 1;
	struct build *b = calloc(1, sizeof *b);
	struct tt_question *q = calloc(1, sizeof *q);
	struct tt_scenario *sc = NULL;
	struct tt_sim *sim = NULL;
	char e[256];

	if (b == NULL || q == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (t == (size_t)-1)
		t = (size_t)(next(&st) % P_NTEMPLATES);
	if (t >= P_NTEMPLATES) {
		snprintf(err, errlen, "no practice template %zu", t);
		goto fail;
	}
	b->x = draw_isn(&st);
	b->y = draw_isn(&st);
	b->n1 = draw_len(&st);
	b->n2 = draw_len(&st);
	b->host = (int)(next(&st) & 1);
	b->stop = 1 + (unsigned)(next(&st) % NTEARDOWN);
	write_scenario(t, b);

	snprintf(q->id, sizeof q->id, "%s-%lu", templates[t].id, seed % 100000);
	snprintf(q->topic, sizeof q->topic, "%s", TT_PRACTICE_TOPIC);
	q->kind = templates[t].kind;
	q->state = -1;
	snprintf(q->show_lesson, sizeof q->show_lesson, "%s", templates[t].lesson);
	q->show_step = templates[t].step;
	q->gen.template_ = (int)t;
	q->gen.iss[0] = b->x;
	q->gen.iss[1] = b->y;
	q->gen.n[0] = b->n1;
	q->gen.n[1] = b->n2;
	q->gen.host = b->host;
	q->gen.stop = b->stop;
	if ((q->scenario = strdup(b->scen.s)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}

	sc = tt_scenario_parse(b->scen.s, b->scen.n, templates[t].id, e, sizeof e);
	if (sc == NULL) {
		snprintf(err, errlen, "%s", e);
		goto fail;
	}
	sim = tt_scenario_run(sc, NULL, e, sizeof e);
	if (sim == NULL) {
		snprintf(err, errlen, "%s: %s", templates[t].id, e);
		goto fail;
	}
	if (read_answer(t, b, sim, q, err, errlen) == -1)
		goto fail;
	set_text(&q->title, templates[t].title[TT_EN], templates[t].title[TT_ZH]);
	set_text(&q->prompt, b->pen.s, b->pzh.s);
	set_text(&q->explain, b->een.s, b->ezh.s);
	if (q->title.s[TT_ZH] == NULL || q->prompt.s[TT_ZH] == NULL || q->explain.s[TT_ZH] == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	tt_sim_free(sim);
	tt_scenario_free(sc);
	free(b);
	return q;
fail:
	tt_sim_free(sim);
	tt_scenario_free(sc);
	free(b);
	tt_question_free(q);
	return NULL;
}
