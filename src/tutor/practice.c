/* tutor/practice.c: generated practice questions. Each template draws its
 * numbers from a seed, writes a scenario (the same action lines lessons
 * use), runs it in the simulator and reads the answer off the resulting
 * steps (practice_answer.c): the engine computes every answer, nothing is
 * typed in. The
 * question keeps the scenario and the step that shows the answer, so "show
 * me" can open it. The sequence templates ask a seq or ack; the window,
 * congestion and RTO templates read the sender's TCB as the engine left it
 * (SND.NXT moved by a SEND, cwnd and ssthresh, the RTO) and explain the
 * formula that gives it. Library code: never prints. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "sim/sim.h"
#include "tutor/practice_impl.h"
#include "tutor/quiz.h"

struct ptemplate {
	const char *id;
	enum tt_quiz_kind kind;
	const char *lesson;
	unsigned step;
	const char *title[TT_NLANG];
};

static const struct ptemplate templates[P_NTEMPLATES] = {
	[P_SYNACK_ACK] = { "practice-synack-ack", TT_QUIZ_NUMBER, "handshake", 4,
		{ "The acknowledgment number in the SYN,ACK",
		  "SYN,ACK 里的确认号" } },
	[P_HANDSHAKE_ACK] = { "practice-handshake-ack", TT_QUIZ_NUMBER, "handshake", 5,
		{ "The acknowledgment number in the handshake's third segment",
		  "握手第三个报文段的确认号" } },
	[P_DATA_ACK] = { "practice-data-ack", TT_QUIZ_NUMBER, "data", 8,
		{ "The ACK for the client's data",
		  "服务器确认客户端数据的确认号" } },
	[P_DATA_SEQ2] = { "practice-data-seq2", TT_QUIZ_NUMBER, "data", 10,
		{ "The sequence number of the second data segment",
		  "第二个数据报文段的序号" } },
	[P_FIN_SEQ] = { "practice-fin-seq", TT_QUIZ_NUMBER, "teardown", 18,
		{ "The sequence number of the FIN after data",
		  "发完数据后 FIN 的序号" } },
	[P_FIN_ACK] = { "practice-fin-ack", TT_QUIZ_NUMBER, "teardown", 19,
		{ "The acknowledgment number for a FIN",
		  "确认 FIN 的确认号" } },
	[P_HALFCLOSE_ACK] = { "practice-halfclose-ack", TT_QUIZ_NUMBER, "teardown", 15,
		{ "Acknowledging data sent in CLOSE-WAIT (half-close)",
		  "半关闭时确认 CLOSE-WAIT 一方发来的数据" } },
	[P_SERVER_DATA_ACK] = { "practice-server-data-ack", TT_QUIZ_NUMBER, "header", 11,
		{ "The client's ACK for the server's data",
		  "客户端确认服务器数据的确认号" } },
	[P_TEARDOWN_STATE] = { "practice-teardown-state", TT_QUIZ_STATE, "teardown", 11,
		{ "A host's state part way through the teardown",
		  "挥手进行到一半时某一端的状态" } },
	[P_USABLE_WND] = { "practice-usable-window", TT_QUIZ_NUMBER, "flow-control", 6,
		{ "The usable window: what the sender may send now",
		  "可用窗口：发送方现在还能发送多少" } },
	[P_SLOW_START] = { "practice-slow-start", TT_QUIZ_NUMBER, "congestion", 22,
		{ "cwnd after k round trips of slow start",
		  "慢启动 k 个往返之后的 cwnd" } },
	[P_SSTHRESH_LOSS] = { "practice-ssthresh-loss", TT_QUIZ_NUMBER, "congestion", 31,
		{ "ssthresh after a loss",
		  "丢包之后的 ssthresh" } },
	[P_CWND_LOSS] = { "practice-cwnd-loss", TT_QUIZ_NUMBER, "congestion", 52,
		{ "cwnd after a timeout or a fast retransmit",
		  "超时或快速重传之后的 cwnd" } },
	[P_RTO] = { "practice-rto", TT_QUIZ_NUMBER, "retransmission", 29,
		{ "The RTO from round-trip samples",
		  "由往返时间样本计算 RTO" } },
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
set_text(struct tt_quiz_text *t, const char *en, const char *zh)
{
	free(t->s[TT_EN]);
	free(t->s[TT_ZH]);
	t->s[TT_EN] = strdup(en);
	t->s[TT_ZH] = strdup(zh);
}

void
tt_practice_describe(size_t t, struct tt_quiz_question *q)
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
	return tt_next64(st);
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

/* ---- text ---- */

void
tt_practice_add(struct sbuf *b, const char *fmt, ...)
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

static void
common_head(struct build *b)
{
	tt_practice_add(&b->scen, "# generated practice scenario\n"
			"host client 192.0.2.1 49152 iss=%" PRIu32 "\n"
			"host server 198.51.100.2 80 iss=%" PRIu32 "\n"
			"listen server\nconnect client\nrun\n", b->x, b->y);
}

/* The teardown for the state question, action by action, with words. */
const struct tt_practice_step tt_practice_teardown[] = {
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
#define NTEARDOWN (sizeof tt_practice_teardown / sizeof tt_practice_teardown[0])

static void
write_scenario(size_t t, struct build *b)
{
	common_head(b);
	switch (t) {
	case P_SYNACK_ACK:
	case P_HANDSHAKE_ACK:
		break;
	case P_DATA_ACK:
		tt_practice_add(&b->scen, "send client %" PRIu32 "\nrun\n", b->n1);
		break;
	case P_DATA_SEQ2:
		tt_practice_add(&b->scen, "send client %" PRIu32 "\nrun\nsend client %" PRIu32 "\nrun\n",
				b->n1, b->n2);
		break;
	case P_FIN_SEQ:
	case P_FIN_ACK:
		tt_practice_add(&b->scen, "send client %" PRIu32 "\nrun\nclose client\nrun\n", b->n1);
		break;
	case P_HALFCLOSE_ACK:
		tt_practice_add(&b->scen, "shutdown client\nrun\nsend server %" PRIu32 "\nrun\n", b->n1);
		break;
	case P_SERVER_DATA_ACK:
		tt_practice_add(&b->scen, "send server %" PRIu32 "\nrun\n", b->n1);
		break;
	case P_TEARDOWN_STATE:
		for (unsigned i = 0; i < b->stop; i++)
			tt_practice_add(&b->scen, "%s\n", tt_practice_teardown[i].action);
		break;
	}
}

/* The window, congestion and RTO templates set their hosts up first. */
static void
write_scenario_cc(size_t t, struct build *b)
{
	const uint32_t *p = b->p;

	tt_practice_add(&b->scen, "# generated practice scenario\n"
			"host client 192.0.2.1 49152 iss=%" PRIu32 "\n"
			"host server 198.51.100.2 80 iss=%" PRIu32 "\n", b->x, b->y);
	switch (t) {
	case P_USABLE_WND:
		tt_practice_add(&b->scen, "set both mss %" PRIu32 "\nset server window %" PRIu32 "\n"
				"set client initial-window %" PRIu32 "\nlisten server\nconnect client\nrun\n"
				"send client %" PRIu32 "\ndeliver %" PRIu32 " to server\n", p[0], p[0] * p[1],
				p[2], p[0] * p[3], p[4]);
		if (p[5] > 0)
			tt_practice_add(&b->scen, "deliver %" PRIu32 " to client\n", p[5]);
		tt_practice_add(&b->scen, "send client 20000\n");
		break;
	case P_SLOW_START: {
		uint32_t segs = p[1] * ((1u << p[2]) - 1);

		tt_practice_add(&b->scen, "set both mss %" PRIu32 "\nset client initial-window %" PRIu32 "\n"
				"listen server\nconnect client\nrun\nsend client %" PRIu32 "\n", p[0], p[1],
				p[0] * segs);
		for (uint32_t k = 0; k < p[2]; k++)
			tt_practice_add(&b->scen, "deliver %" PRIu32 " to server\ndeliver %" PRIu32 " to client\n",
					p[1] << k, p[1] << k);
		break;
	}
	case P_SSTHRESH_LOSS:
	case P_CWND_LOSS:
		tt_practice_add(&b->scen, "set both mss %" PRIu32 "\nset client initial-window %" PRIu32 "\n"
				"listen server\nconnect client\nrun\ndrop to server #2\nsend client %" PRIu32
				"\nrun\n%s", p[0], p[1], p[0] * p[1], p[2] ? "" : "advance 1.5\n");
		break;
	case P_RTO:
		tt_practice_add(&b->scen, "set delay 0.032\n");
		if (p[0] > 64)
			tt_practice_add(&b->scen, "delay %.3f to client\n", (p[0] - 64) / 1000.0);
		tt_practice_add(&b->scen, "listen server\nconnect client\nrun\n");
		for (int k = 1; k < 3 && p[k] > 0; k++) {
			if (p[k] > 64)
				tt_practice_add(&b->scen, "delay %.3f to client\n", (p[k] - 64) / 1000.0);
			tt_practice_add(&b->scen, "send client 100\nrun\n");
		}
		break;
	}
}

/* The numbers of the window, congestion and RTO templates (struct build
 * says which is which); chosen so that nothing else gets in the way: whole
 * segments everywhere (no silly window avoidance), round trips shorter
 * than RTO.min (no retransmission), samples that are multiples of 64 ms
 * (every SRTT and RTTVAR a whole number of milliseconds). */
static void
draw_cc(size_t t, uint64_t *st, struct build *b)
{
	static const uint32_t msss[] = { 536, 1000, 1460 };
	uint32_t *p = b->p;

	memset(b->p, 0, sizeof b->p);
	p[0] = msss[next(st) % 3];
	switch (t) {
	case P_USABLE_WND:
		p[1] = 4 + (uint32_t)(next(st) % 5);                    /* window: 4..8 segments */
		p[2] = 2 + (uint32_t)(next(st) % 5);                    /* cwnd: 2..6 segments */
		p[3] = 1 + (uint32_t)(next(st) % min_u32(p[1], p[2])); /* sent */
		p[4] = 1 + (uint32_t)(next(st) % p[3]);                 /* arrived */
		p[5] = (uint32_t)(next(st) % (p[4] + 1));               /* ACKs back */
		break;
	case P_SLOW_START:
		p[1] = 1 + (uint32_t)(next(st) % 4);                    /* initial window */
		p[2] = 1 + (uint32_t)(next(st) % 3);                    /* round trips */
		break;
	case P_SSTHRESH_LOSS:
	case P_CWND_LOSS:
		p[2] = (uint32_t)(next(st) & 1);                        /* fast retransmit */
		p[1] = p[2] ? 5 + (uint32_t)(next(st) % 4) : 2 + (uint32_t)(next(st) % 3);
		break;
	case P_RTO: {
		unsigned n = 2 + (unsigned)(next(st) & 1);

		for (unsigned k = 0; k < 3; k++)
			p[k] = k < n ? 64 * (2 + (uint32_t)(next(st) % 13)) : 0; /* 128..896 ms */
		break;
	}
	default:
		break;
	}
}

struct tt_quiz_question *
tt_practice_new(size_t t, unsigned long seed, char *err, size_t errlen)
{
	uint64_t st = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 1;
	struct build *b = calloc(1, sizeof *b);
	struct tt_quiz_question *q = calloc(1, sizeof *q);
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
	draw_cc(t, &st, b);
	/* The engine starts NewReno's "recover" at 0, not at the ISS (RFC 6582
	 * §3.2 (1)), so a fast retransmit never begins while SND.UNA lies more
	 * than 2^31 past 0: the loss templates keep the client's ISS low. */
	if (t == P_SSTHRESH_LOSS || t == P_CWND_LOSS)
		b->x &= 0x3fffffffu;
	if (t >= P_USABLE_WND)
		write_scenario_cc(t, b);
	else
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
	memcpy(q->gen.p, b->p, sizeof q->gen.p);
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
	if (tt_practice_read_answer(t, b, sim, q, err, errlen) == -1)
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
	tt_quiz_question_free(q);
	return NULL;
}
