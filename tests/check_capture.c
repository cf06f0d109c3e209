/* tests/check_capture.c: the capture part, layer by layer.
 *
 * Decoder: hand-built frames (each header spelled out byte by byte) for
 * every link type and the IP/TCP features, and every truncation of them.
 * Stream table: segments fed directly, checking stream numbers, relative
 * numbers, Wireshark's notes and the states the observer infers. Reader:
 * the recorded captures of tests/replay. Rows: the TSV printer that the
 * replay table goes through.
 */
#include "config.h"

#include <dirent.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "tt_check.h"
#include "capture/analysis.h"
#include "capture/capture.h"
#include "report/report.h"

/* ---- frame building ------------------------------------------------------ */

struct frame {
	uint8_t b[512];
	uint32_t n;
};

static void
put(struct frame *f, const void *p, uint32_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
put8(struct frame *f, unsigned v)
{
	f->b[f->n++] = (uint8_t)v;
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v & 255);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static const uint8_t A4[4] = { 192, 0, 2, 1 }, B4[4] = { 198, 51, 100, 7 };
static const uint8_t A6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t B6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };

/* TCP header with MSS 1460, SACK permitted, timestamps, window scale 7 and
 * one SACK block: 20 + 4 + 2 + 10 + 3 + 1(nop) + 10 = 50 -> pad to 52 */
static void
put_tcp(struct frame *f, unsigned flags, uint32_t seq, uint32_t ack, int opts)
{
	uint32_t hl = opts ? 52 : 20;

	put16(f, 40000);
	put16(f, 80);
	put32(f, seq);
	put32(f, ack);
	put8(f, (hl / 4) << 4);
	put8(f, flags);
	put16(f, 29200);
	put16(f, 0xbeef);
	put16(f, 0);
	if (opts) {
		put8(f, 2); put8(f, 4); put16(f, 1460);
		put8(f, 4); put8(f, 2);
		put8(f, 8); put8(f, 10); put32(f, 111); put32(f, 222);
		put8(f, 3); put8(f, 3); put8(f, 7);
		put8(f, 1);
		put8(f, 5); put8(f, 10); put32(f, 1000); put32(f, 2000);
		put8(f, 1); put8(f, 0);
	}
}

/* IPv4 with one option (4 bytes of NOPs... an RFC 791 "no operation" run),
 * total length computed from the TCP header and payload. */
static void
put_ip4(struct frame *f, uint32_t tcplen, uint16_t frag)
{
	put8(f, 0x46);
	put8(f, 0);
	put16(f, 24 + tcplen);
	put16(f, 0x1234);
	put16(f, frag);
	put8(f, 64);
	put8(f, 6);
	put16(f, 0);
	put(f, A4, 4);
	put(f, B4, 4);
	put32(f, 0x01010100);   /* NOP NOP NOP EOL */
}

static void
put_ip6(struct frame *f, uint32_t tcplen)
{
	put32(f, 0x60000000);
	put16(f, tcplen + 16);  /* hop-by-hop 8 + destination options 8 */
	put8(f, 0);             /* hop-by-hop */
	put8(f, 64);
	put(f, A6, 16);
	put(f, B6, 16);
	put8(f, 60); put8(f, 0); put16(f, 0x0104); put32(f, 0);  /* HBH: PadN */
	put8(f, 6); put8(f, 0); put16(f, 0x0104); put32(f, 0);   /* dest opts -> TCP */
}

static void
put_ether(struct frame *f, int ntags, unsigned type)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	put(f, mac, 12);
	if (ntags > 1) {
		put16(f, 0x88a8);
		put16(f, 100);
	}
	if (ntags > 0) {
		put16(f, 0x8100);
		put16(f, 200);
	}
	put16(f, type);
}

static void
check_tcp4(const struct cap_pkt *p)
{
	ck_assert_int_eq(p->status, CAP_TCP);
	ck_assert_uint_eq(p->ipver, 4);
	ck_assert_mem_eq(p->src, A4, 4);
	ck_assert_mem_eq(p->dst, B4, 4);
	ck_assert_uint_eq(p->ip_hlen, 24);
	ck_assert_uint_eq(p->sport, 40000);
	ck_assert_uint_eq(p->dport, 80);
	ck_assert_uint_eq(p->seq, 0x11223344);
	ck_assert_uint_eq(p->ack, 0x55667788);
	ck_assert_uint_eq(p->flags, TT_SYN | TT_ACK);
	ck_assert_uint_eq(p->win, 29200);
	ck_assert_uint_eq(p->thlen, 52);
	ck_assert_uint_eq(p->len, 5);
}

static void
check_opts(const struct cap_pkt *p)
{
	ck_assert_uint_eq(p->opt.mss, 1460);
	ck_assert_int_eq(p->opt.wscale, 7);
	ck_assert_uint_eq(p->opt.sack_ok, 1);
	ck_assert_uint_eq(p->opt.has_ts, 1);
	ck_assert_uint_eq(p->opt.tsval, 111);
	ck_assert_uint_eq(p->opt.tsecr, 222);
	ck_assert_uint_eq(p->opt.nsack, 1);
	ck_assert_uint_eq(p->opt.sack[0][0], 1000);
	ck_assert_uint_eq(p->opt.sack[0][1], 2000);
	ck_assert_uint_eq(p->opt.bad, 0);
}

/* Every shorter copy of a frame decodes to something other than a full
 * segment read past its end; the decoder must stay inside caplen (the
 * sanitizer build checks the "inside"). */
static void
check_truncations(int lt, const struct frame *f)
{
	struct cap_pkt p;

	for (uint32_t n = 0; n < f->n; n++) {
		uint8_t copy[512];
		enum cap_status st;

		memcpy(copy, f->b, n);
		st = cap_decode(lt, n ? copy : NULL, n, &p);
		if (st == CAP_TCP)
			ck_assert_uint_le(p.caplen_payload, n);
	}
}

START_TEST(test_ethernet_qinq_ipv4_options_tcp_options)
{
	struct frame f = { .n = 0 };
	struct cap_pkt p;

	put_ether(&f, 2, 0x0800);
	put_ip4(&f, 52 + 5, 0x4000);
	put_tcp(&f, TT_SYN | TT_ACK, 0x11223344, 0x55667788, 1);
	put(&f, "hello", 5);
	ck_assert_int_eq(cap_decode(CAP_LINK_ETHERNET, f.b, f.n, &p), CAP_TCP);
	check_tcp4(&p);
	check_opts(&p);
	ck_assert_uint_eq(p.nvlan, 2);
	ck_assert_uint_eq(p.vlan[0], 100);
	ck_assert_uint_eq(p.vlan[1], 200);
	ck_assert_uint_eq(p.caplen_payload, 5);
	ck_assert_mem_eq(f.b + p.payload_off, "hello", 5);
	check_truncations(CAP_LINK_ETHERNET, &f);
}
END_TEST

START_TEST(test_ipv6_extension_headers)
{
	struct frame f = { .n = 0 };
	struct cap_pkt p;
	char buf[64];

	put_ether(&f, 0, 0x86dd);
	put_ip6(&f, 20);
	put_tcp(&f, TT_FIN | TT_ACK, 7, 9, 0);
	ck_assert_int_eq(cap_decode(CAP_LINK_ETHERNET, f.b, f.n, &p), CAP_TCP);
	ck_assert_uint_eq(p.ipver, 6);
	ck_assert_uint_eq(p.ip_hlen, 56);
	ck_assert_uint_eq(p.len, 0);
	ck_assert_uint_eq(p.flags, TT_FIN | TT_ACK);
	ck_assert_str_eq(cap_endpoint(6, p.src, p.sport, buf, sizeof buf), "[2001:db8::1]:40000");
	check_truncations(CAP_LINK_ETHERNET, &f);
}
END_TEST

START_TEST(test_every_link_type_reaches_tcp)
{
	static const struct { int lt; uint8_t hdr[44]; uint32_t n; } links[] = {
		{ CAP_LINK_NULL, { 2, 0, 0, 0 }, 4 },            /* AF_INET, little endian */
		{ CAP_LINK_NULL, { 0, 0, 0, 2 }, 4 },            /* AF_INET, big endian */
		{ CAP_LINK_LOOP, { 0, 0, 0, 2 }, 4 },
		{ CAP_LINK_RAW, { 0 }, 0 },
		{ CAP_LINK_IPV4, { 0 }, 0 },
		{ CAP_LINK_SLL, { 0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00 }, 16 },
		{ CAP_LINK_SLL2, { 0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0 }, 20 },
		{ 9, { 0xff, 0x03, 0x00, 0x21 }, 4 },              /* PPP in HDLC framing */
	};

	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		struct frame f = { .n = 0 };
		struct cap_pkt p;

		put(&f, links[i].hdr, links[i].n);
		put_ip4(&f, 52 + 5, 0);
		put_tcp(&f, TT_SYN | TT_ACK, 0x11223344, 0x55667788, 1);
		put(&f, "hello", 5);
		ck_assert_msg(cap_decode(links[i].lt, f.b, f.n, &p) == CAP_TCP, "link %d (#%zu): %s",
		              links[i].lt, i, p.why ? p.why : "");
		check_tcp4(&p);
		check_truncations(links[i].lt, &f);
	}
}
END_TEST

START_TEST(test_fragment_is_noted_not_decoded)
{
	struct frame f = { .n = 0 };
	struct cap_pkt p;

	put_ip4(&f, 20, 0x2000);        /* more fragments */
	put_tcp(&f, TT_ACK, 1, 1, 0);
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f.b, f.n, &p), CAP_FRAGMENT);
	ck_assert_ptr_nonnull(p.why);
}
END_TEST

START_TEST(test_bad_headers_are_malformed)
{
	struct frame f = { .n = 0 };
	struct cap_pkt p;

	put_ip4(&f, 20, 0);
	put_tcp(&f, TT_ACK, 1, 1, 0);
	f.b[24 + 12] = 0x40;            /* TCP data offset 4 */
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f.b, f.n, &p), CAP_MALFORMED);
	f.b[24 + 12] = 0x50;
	f.b[0] = 0x44;                  /* IHL 4 */
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f.b, f.n, &p), CAP_MALFORMED);
	f.b[0] = 0x76;                  /* version 7 */
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f.b, f.n, &p), CAP_MALFORMED);
	ck_assert_int_eq(cap_decode(147, f.b, f.n, &p), CAP_UNSUPPORTED);
	ck_assert_ptr_null(cap_link_name(147));
}
END_TEST

/* An 802.11 data frame (QoS: a 26-byte header), LLC/SNAP, IPv4, TCP. Cut
 * anywhere in the 802.11 header it is a truncated 802.11 header; cut in
 * the LLC/SNAP header, a truncated LLC header: never "not IP". */
START_TEST(test_cut_802_11_header_is_truncated_not_other_traffic)
{
	static const uint8_t snap[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };
	struct frame f = { .n = 0 };
	struct cap_pkt p;

	put8(&f, 0x88);                 /* frame control: QoS data, to the AP */
	put8(&f, 0x01);
	for (int i = 0; i < 26 - 2; i++)
		put8(&f, 0x10 + i);     /* duration, addresses, sequence, QoS */
	put(&f, snap, sizeof snap);
	put_ip4(&f, 52 + 5, 0);
	put_tcp(&f, TT_SYN | TT_ACK, 0x11223344, 0x55667788, 1);
	put(&f, "hello", 5);
	ck_assert_str_eq(cap_link_name(CAP_LINK_IEEE802_11), "IEEE 802.11");
	ck_assert_int_eq(cap_decode(CAP_LINK_IEEE802_11, f.b, f.n, &p), CAP_TCP);
	check_tcp4(&p);
	for (uint32_t n = 0; n < 26 + 8; n++) {
		ck_assert_msg(cap_decode(CAP_LINK_IEEE802_11, f.b, n, &p) == CAP_TRUNCATED,
		              "cut at %u: %d %s", n, p.status, p.why);
		ck_assert_str_eq(p.why, n < 26 ? "802.11 header cut off" : "LLC header cut off");
	}
	check_truncations(CAP_LINK_IEEE802_11, &f);
	f.b[26] = 0x42;                 /* not SNAP: other traffic, whole */
	ck_assert_int_eq(cap_decode(CAP_LINK_IEEE802_11, f.b, f.n, &p), CAP_NOT_TCP);
	ck_assert_str_eq(p.why, "not IP");
}
END_TEST

START_TEST(test_snaplen_cut_payload_keeps_ip_length)
{
	struct frame f = { .n = 0 };
	struct cap_pkt p;

	put_ip4(&f, 20 + 100, 0);
	put_tcp(&f, TT_PSH | TT_ACK, 1, 1, 0);
	put(&f, "abc", 3);              /* 100 bytes sent, 3 captured */
	ck_assert_int_eq(cap_decode(CAP_LINK_RAW, f.b, f.n, &p), CAP_TCP);
	ck_assert_uint_eq(p.len, 100);
	ck_assert_uint_eq(p.caplen_payload, 3);
}
END_TEST

START_TEST(test_ipv6_address_text_follows_rfc5952)
{
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 };
	static const uint8_t lo[16] = { [15] = 1 };
	static const uint8_t m[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 9 };
	char buf[64];

	ck_assert_str_eq(cap_endpoint(6, a, 443, buf, sizeof buf), "[2001:db8::1:0:0:1]:443");
	ck_assert_str_eq(cap_endpoint(6, lo, 1, buf, sizeof buf), "[::1]:1");
	ck_assert_str_eq(cap_endpoint(6, m, 2, buf, sizeof buf), "[::ffff:192.0.2.9]:2");
	ck_assert_str_eq(cap_endpoint(4, A4, 80, buf, sizeof buf), "192.0.2.1:80");
	ck_assert_str_eq(cap_endpoint(4, A4, 80, buf, 8), "192.0.2");    /* cut, never overrun */
	ck_assert_str_eq(cap_endpoint(6, a, 443, buf, 8), "[2001:d");
}
END_TEST

/* Written by hand, the text is what inet_ntop() writes, on addresses with
 * zero runs of every length and place (except the IPv4-compatible form,
 * ::a.b.c.d, which inet_ntop still writes and RFC 5952 does not), in
 * brackets with the port: the longest of them fills the buffer. */
START_TEST(test_ipv6_address_text_is_inet_ntops)
{
	uint32_t x = 12345;

	for (unsigned k = 0; k < 20000; k++) {
		uint8_t ad[16];
		char want[INET6_ADDRSTRLEN], full[64], buf[64];
		uint16_t port = (uint16_t)(k * 7919u);
		int zero6 = 1;

		for (int i = 0; i < 8; i++) {
			x = x * 1103515245u + 12345u;
			/* groups zero half the time, else 1 to 4 hex digits */
			uint16_t g = (x >> 16 & 1) ? 0 : (uint16_t)(x >> 8 >> (4 * (x >> 28 & 3)));

			ad[2 * i] = (uint8_t)(g >> 8);
			ad[2 * i + 1] = (uint8_t)g;
			if (i < 6 && g != 0)
				zero6 = 0;
		}
		if (k == 0)
			memset(ad, 0xff, sizeof ad);
		if (zero6 && (ad[12] | ad[13]) != 0)
			continue;
		ck_assert_ptr_nonnull(inet_ntop(AF_INET6, ad, want, sizeof want));
		snprintf(full, sizeof full, "[%s]:%u", want, port);
		ck_assert_str_eq(cap_endpoint(6, ad, port, buf, sizeof buf), full);
	}
}
END_TEST

/* IPv4 the same way: every octet value in every place, and every port. */
START_TEST(test_ipv4_address_text_is_inet_ntops)
{
	for (unsigned port = 0; port <= 65535; port++) {
		uint8_t ad[4] = { (uint8_t)port, (uint8_t)(port >> 8), (uint8_t)(port * 7),
			          (uint8_t)(255 - port) };
		char want[INET_ADDRSTRLEN], full[32], buf[64];

		ck_assert_ptr_nonnull(inet_ntop(AF_INET, ad, want, sizeof want));
		snprintf(full, sizeof full, "%s:%u", want, port);
		ck_assert_str_eq(cap_endpoint(4, ad, (uint16_t)port, buf, sizeof buf), full);
	}
}
END_TEST

/* ---- stream table --------------------------------------------------------- */

/* The table says a row's states only once they are final (a segment's
 * arrival waits for its receiver's next word), so what a test expects of
 * the frame just fed is noted and checked when the capture is over. */
static struct cap_replay *rp;
static uint64_t fno;
static int64_t tnow;

#define MAXEX 256
#define MAXROW 128
enum ex_kind { EX_STATES, EX_NOTES, EX_REL_SEQ, EX_REL_ACK, EX_DIR, EX_STREAM };
static struct expect {
	uint64_t frame;
	enum ex_kind kind;
	unsigned a, b;
	const char *text;
	int line;
} ex[MAXEX];
static unsigned nex;
static struct cap_seg rows[MAXROW + 1];

static void
st_setup(void)
{
	rp = cap_replay_new(CAP_ROWS);
	fno = 0;
	tnow = 0;
	nex = 0;
	memset(rows, 0, sizeof rows);
}

static void
take_rows(void)
{
	struct cap_seg row;

	while (cap_replay_row(rp, &row)) {
		ck_assert_uint_le(row.frame, MAXROW);
		rows[row.frame] = row;
	}
}

static void
expect(int line, enum ex_kind kind, unsigned a, unsigned b, const char *text)
{
	ck_assert_uint_lt(nex, MAXEX);
	ex[nex++] = (struct expect){ fno, kind, a, b, text, line };
}

/* The capture is over: every noted expectation against its row. */
static void
st_teardown(void)
{
	char got[160];

	cap_replay_finish(rp);
	take_rows();
	for (unsigned i = 0; i < nex; i++) {
		const struct expect *e = &ex[i];
		const struct cap_seg *r = &rows[e->frame];

		ck_assert_msg(r->frame == e->frame, "line %d: frame %llu never came out", e->line,
		              (unsigned long long)e->frame);
		switch (e->kind) {
		case EX_STATES:
			ck_assert_msg(r->state[0] == e->a && r->state[1] == e->b,
			              "line %d: frame %llu: %s/%s, want %s/%s", e->line,
			              (unsigned long long)e->frame, tt_state_name(r->state[0]),
			              tt_state_name(r->state[1]), tt_state_name(e->a), tt_state_name(e->b));
			break;
		case EX_NOTES:
			tt_notes_format(r->notes, got, sizeof got);
			ck_assert_msg(strcmp(got, e->text) == 0, "line %d: notes '%s', want '%s'",
			              e->line, got, e->text);
			break;
		case EX_REL_SEQ:
			ck_assert_msg(r->rel_seq == e->a, "line %d: rel seq %u", e->line, r->rel_seq);
			break;
		case EX_REL_ACK:
			ck_assert_msg(r->rel_ack == e->a, "line %d: rel ack %u", e->line, r->rel_ack);
			break;
		case EX_DIR:
			ck_assert_msg((unsigned)r->dir == e->a, "line %d: dir %d", e->line, r->dir);
			break;
		case EX_STREAM:
			ck_assert_msg(r->stream == e->a, "line %d: stream %u", e->line, r->stream);
			break;
		}
	}
	cap_replay_free(rp);
}

/* A segment from the client (dir 0) or the server (1) of 192.0.2.1:cport <->
 * 198.51.100.7:80, `gap` microseconds after the previous one. */
static void
seg_in(int dir, uint16_t cport, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
       uint16_t win, int64_t gap)
{
	static struct cap_pkt p;

	memset(&p, 0, sizeof p);
	p.status = CAP_TCP;
	p.ipver = 4;
	memcpy(dir ? p.dst : p.src, A4, 4);
	memcpy(dir ? p.src : p.dst, B4, 4);
	p.sport = dir ? 80 : cport;
	p.dport = dir ? cport : 80;
	p.flags = (uint16_t)flags;
	p.seq = seq;
	p.ack = ack;
	p.len = len;
	p.caplen_payload = len;
	p.win = win;
	p.opt.wscale = -1;
	tnow += gap * 1000;
	ck_assert_int_ge(cap_replay_frame(rp, ++fno, tnow, &p), 0);
	take_rows();
}

#define C 0
#define S 1
#define STATES(c, s) expect(__LINE__, EX_STATES, (c), (s), NULL)
#define NOTES(want) expect(__LINE__, EX_NOTES, 0, 0, (want))
#define REL_SEQ(v) expect(__LINE__, EX_REL_SEQ, (v), 0, NULL)
#define REL_ACK(v) expect(__LINE__, EX_REL_ACK, (v), 0, NULL)
#define DIR(v) expect(__LINE__, EX_DIR, (v), 0, NULL)
#define STREAM(v) expect(__LINE__, EX_STREAM, (v), 0, NULL)

/* client ISS 1000, server ISS 5000 */
static void
handshake(uint16_t cport)
{
	seg_in(C, cport, TT_SYN, 1000, 0, 0, 64240, 1000);
	STATES(TT_SYN_SENT, TT_SYN_RECEIVED);
	seg_in(S, cport, TT_SYN | TT_ACK, 5000, 1001, 0, 65160, 1000);
	STATES(TT_ESTABLISHED, TT_SYN_RECEIVED);
	seg_in(C, cport, TT_ACK, 1001, 5001, 0, 502, 1000);
	STATES(TT_ESTABLISHED, TT_ESTABLISHED);
}

START_TEST(test_relative_numbers_count_from_each_isn)
{
	handshake(40000);
	seg_in(C, 40000, TT_PSH | TT_ACK, 1001, 5001, 10, 502, 1000);
	REL_SEQ(1);
	REL_ACK(1);
	seg_in(S, 40000, TT_ACK, 5001, 1011, 0, 509, 1000);
	REL_SEQ(1);
	REL_ACK(11);
	DIR(1);
	STREAM(0);
}
END_TEST

START_TEST(test_midstream_capture_starts_at_one_and_says_so)
{
	seg_in(S, 40000, TT_PSH | TT_ACK, 777, 333, 20, 500, 0);
	REL_SEQ(1);
	REL_ACK(1);
	NOTES("mid-stream");
	STATES(TT_ESTABLISHED, TT_ESTABLISHED);
}
END_TEST

/* Live: a SYN nobody answers holds its row, and every row after it (rows
 * come out in frame order), until cap_replay_settle_older() lets it go as
 * if no more evidence came; a row younger than the bound still waits. */
START_TEST(test_settle_older_lets_an_unanswered_segment_go)
{
	struct cap_replay *tab = cap_replay_new(CAP_ROWS);
	struct cap_seg row;
	struct cap_pkt p;

	ck_assert_ptr_nonnull(tab);
	for (unsigned i = 0; i < 2; i++) {
		memset(&p, 0, sizeof p);
		p.status = CAP_TCP;
		p.ipver = 4;
		memcpy(p.src, A4, 4);
		memcpy(p.dst, B4, 4);
		p.sport = (uint16_t)(10000 + i);
		p.dport = 80;
		p.flags = TT_SYN;
		p.seq = 1000;
		p.win = 1000;
		p.opt.wscale = -1;
		ck_assert_int_eq(cap_replay_frame(tab, i + 1, (int64_t)i * 1000000000, &p), (long)i);
	}
	ck_assert_int_eq(cap_replay_row(tab, &row), 0);         /* the first SYN waits */
	ck_assert_int_eq(cap_replay_settle_older(tab, 0), 0);   /* not older than 0 s */
	ck_assert_int_eq(cap_replay_settle_older(tab, 500000000), 1);
	ck_assert_int_eq(cap_replay_row(tab, &row), 1);
	ck_assert_uint_eq(row.frame, 1);
	ck_assert_int_eq(row.state[0], TT_SYN_SENT);
	ck_assert_int_eq(cap_replay_row(tab, &row), 0);         /* the second (1 s) still waits */
	ck_assert_int_eq(cap_replay_settle_older(tab, 500000000), 0);
	ck_assert_int_eq(cap_replay_settle_older(tab, 1500000000), 1);
	ck_assert_int_eq(cap_replay_row(tab, &row), 1);
	ck_assert_uint_eq(row.frame, 2);
	cap_replay_free(tab);
}
END_TEST

/* More connections at once than observers are kept (2048) and rows can
 * wait (4096): each phase of 6000 handshakes and closes goes round all of
 * them, so every observer rests and wakes several times, and rows are
 * settled before their receiver speaks. The states still end right. */
START_TEST(test_many_connections_at_once_rest_and_wake)
{
	enum { N = 6000 };
	struct cap_replay *tab = cap_replay_new(CAP_ROWS);
	static const struct { int dir; unsigned flags; uint32_t seq, ack; } ph[] = {
		{ 0, TT_SYN, 1000, 0 }, { 1, TT_SYN | TT_ACK, 5000, 1001 },
		{ 0, TT_ACK, 1001, 5001 }, { 0, TT_FIN | TT_ACK, 1001, 5001 },
		{ 1, TT_FIN | TT_ACK, 5001, 1002 }, { 0, TT_ACK, 1002, 5002 },
	};
	struct cap_stream_info si;
	struct cap_seg row;
	struct cap_pkt p;
	uint64_t f = 0, out = 0, last[N] = { 0 };
	enum tt_state lastst[N][2];

	ck_assert_ptr_nonnull(tab);
	for (size_t k = 0; k < sizeof ph / sizeof ph[0]; k++)
		for (unsigned i = 0; i < N; i++) {
			memset(&p, 0, sizeof p);
			p.status = CAP_TCP;
			p.ipver = 4;
			memcpy(ph[k].dir ? p.dst : p.src, A4, 4);
			memcpy(ph[k].dir ? p.src : p.dst, B4, 4);
			p.sport = ph[k].dir ? 80 : (uint16_t)(10000 + i);
			p.dport = ph[k].dir ? (uint16_t)(10000 + i) : 80;
			p.flags = (uint16_t)ph[k].flags;
			p.seq = ph[k].seq;
			p.ack = ph[k].ack;
			p.win = 1000;
			p.opt.wscale = -1;
			f++;
			ck_assert_int_eq(cap_replay_frame(tab, f, (int64_t)f * 1000, &p), (long)i);
			while (cap_replay_row(tab, &row)) {
				ck_assert_uint_eq(row.frame, ++out);    /* in frame order */
				last[row.stream] = row.frame;
				lastst[row.stream][0] = row.state[0];
				lastst[row.stream][1] = row.state[1];
			}
		}
	cap_replay_finish(tab);
	while (cap_replay_row(tab, &row)) {
		ck_assert_uint_eq(row.frame, ++out);
		last[row.stream] = row.frame;
		lastst[row.stream][0] = row.state[0];
		lastst[row.stream][1] = row.state[1];
	}
	ck_assert_uint_eq(out, f);
	for (unsigned i = 0; i < N; i++) {
		cap_replay_stream(tab, i, &si);
		ck_assert_msg(si.final[0] == TT_TIME_WAIT && si.final[1] == TT_CLOSED,
		              "stream %u ends %s/%s", i, tt_state_name(si.final[0]),
		              tt_state_name(si.final[1]));
		ck_assert_uint_eq(last[i], f - N + 1 + i);
		ck_assert_int_eq(lastst[i][0], TT_TIME_WAIT);
		ck_assert_int_eq(lastst[i][1], TT_CLOSED);
	}
	cap_replay_free(tab);
}
END_TEST

/* A stream that rests (more streams than observers are kept) after its
 * first, second or third segment, then goes on, has the rows and the end
 * of one that never rested: after its first it keeps that segment only,
 * after more its observer's ends. */
static void
rest_pkt(struct cap_pkt *p, unsigned conn, int dir, unsigned flags, uint32_t seq, uint32_t ack,
         uint32_t len)
{
	memset(p, 0, sizeof *p);
	p->status = CAP_TCP;
	p->ipver = 4;
	memcpy(dir ? p->dst : p->src, A4, 4);
	memcpy(dir ? p->src : p->dst, B4, 4);
	p->sport = dir ? 80 : (uint16_t)(10000 + conn);
	p->dport = dir ? (uint16_t)(10000 + conn) : 80;
	p->flags = (uint16_t)flags;
	p->seq = seq;
	p->ack = ack;
	p->len = p->caplen_payload = len;
	p->win = 1000;
	p->opt.mss = flags & TT_SYN ? 1460 : 0;
	p->opt.wscale = -1;
}

START_TEST(test_rest_after_one_or_more_segments_changes_nothing)
{
	static const struct { int dir; unsigned flags; uint32_t seq, ack, len; } ph[] = {
		{ 0, TT_SYN, 1000, 0, 0 }, { 1, TT_SYN | TT_ACK, 5000, 1001, 0 },
		{ 0, TT_ACK | TT_PSH, 1001, 5001, 100 }, { 1, TT_ACK, 5001, 1101, 0 },
		{ 1, TT_FIN | TT_ACK, 5001, 1101, 0 }, { 0, TT_FIN | TT_ACK, 1101, 5002, 0 },
		{ 1, TT_ACK, 5002, 1102, 0 },
	};
	const size_t nph = sizeof ph / sizeof ph[0];

	for (size_t after = 1; after <= 3; after++) {
		struct cap_replay *alone = cap_replay_new(CAP_ROWS), *busy = cap_replay_new(CAP_ROWS);
		struct cap_seg want[16], got[16], row;
		struct cap_stream_info a, b;
		struct cap_pkt p;
		size_t nw = 0, ng = 0;
		uint64_t f = 0;

		ck_assert(alone != NULL && busy != NULL);
		for (size_t k = 0; k < nph; k++) {
			rest_pkt(&p, 0, ph[k].dir, ph[k].flags, ph[k].seq, ph[k].ack, ph[k].len);
			ck_assert_int_ge(cap_replay_frame(alone, k + 1, (int64_t)k * 1000, &p), 0);
			while (cap_replay_row(alone, &row))
				want[nw++] = row;
		}
		cap_replay_finish(alone);
		while (cap_replay_row(alone, &row))
			want[nw++] = row;
		for (size_t k = 0; k < nph; k++) {
			rest_pkt(&p, 0, ph[k].dir, ph[k].flags, ph[k].seq, ph[k].ack, ph[k].len);
			ck_assert_int_ge(cap_replay_frame(busy, ++f, (int64_t)k * 1000, &p), 0);
			while (cap_replay_row(busy, &row))
				if (row.stream == 0)
					got[ng++] = row;
			if (k + 1 != after)
				continue;
			/* 3000 others, each a SYN: stream 0 is put to rest */
			for (unsigned c = 1; c <= 3000; c++) {
				rest_pkt(&p, c, 0, TT_SYN, 7000, 0, 0);
				ck_assert_int_ge(cap_replay_frame(busy, ++f, (int64_t)k * 1000, &p), 0);
				while (cap_replay_row(busy, &row))
					if (row.stream == 0)
						got[ng++] = row;
			}
		}
		cap_replay_finish(busy);
		while (cap_replay_row(busy, &row))
			if (row.stream == 0)
				got[ng++] = row;
		ck_assert_uint_eq(ng, nw);
		for (size_t i = 0; i < nw; i++) {
			ck_assert_msg(got[i].state[0] == want[i].state[0] &&
			              got[i].state[1] == want[i].state[1],
			              "rest after %zu: row %zu is %s/%s, not %s/%s", after, i,
			              tt_state_name(got[i].state[0]), tt_state_name(got[i].state[1]),
			              tt_state_name(want[i].state[0]), tt_state_name(want[i].state[1]));
			ck_assert_uint_eq(got[i].obs, want[i].obs);
			ck_assert_uint_eq(got[i].rel_seq, want[i].rel_seq);
			ck_assert_uint_eq(got[i].notes, want[i].notes);
		}
		cap_replay_stream(alone, 0, &a);
		cap_replay_stream(busy, 0, &b);
		ck_assert_int_eq(a.final[0], TT_CLOSED);      /* it took the server's FIN first */
		ck_assert_int_eq(a.final[1], TT_TIME_WAIT);
		ck_assert_int_eq(b.final[0], a.final[0]);
		ck_assert_int_eq(b.final[1], a.final[1]);
		/* the others rested after their one SYN, and say so */
		cap_replay_stream(busy, 1, &b);
		ck_assert_int_eq(b.final[0], TT_SYN_SENT);
		ck_assert_uint_eq(b.packets, 1);
		cap_replay_free(alone);
		cap_replay_free(busy);
	}
}
END_TEST

START_TEST(test_port_reuse_after_close_starts_a_new_stream)
{
	struct cap_stream_info si;

	handshake(40000);
	seg_in(S, 40000, TT_FIN | TT_ACK, 5001, 1001, 0, 509, 1000);
	seg_in(C, 40000, TT_FIN | TT_ACK, 1001, 5002, 0, 502, 1000);
	seg_in(S, 40000, TT_ACK, 5002, 1002, 0, 509, 1000);
	STATES(TT_CLOSED, TT_TIME_WAIT);
	seg_in(C, 40000, TT_SYN, 9000, 0, 0, 64240, 1000);
	STREAM(1);
	REL_SEQ(0);
	STATES(TT_SYN_SENT, TT_SYN_RECEIVED);
	ck_assert_uint_eq(cap_replay_nstreams(rp), 2);
	cap_replay_stream(rp, 0, &si);
	ck_assert_int_eq(si.handshake, 1);
	ck_assert_int_eq(si.end, CAP_END_FIN);
	ck_assert_str_eq(si.endpoint[0], "192.0.2.1:40000");
	ck_assert_str_eq(si.endpoint[1], "198.51.100.7:80");
}
END_TEST

START_TEST(test_retransmitted_syn_stays_in_its_stream)
{
	seg_in(C, 40000, TT_SYN, 1000, 0, 0, 64240, 0);
	seg_in(C, 40000, TT_SYN, 1000, 0, 0, 64240, 1000000);
	STREAM(0);
	NOTES("retransmission");
}
END_TEST

START_TEST(test_simultaneous_open_and_close)
{
	seg_in(C, 40000, TT_SYN, 1000, 0, 0, 64240, 0);
	seg_in(S, 40000, TT_SYN, 5000, 0, 0, 64240, 10);   /* SYNs crossed */
	STATES(TT_SYN_RECEIVED, TT_SYN_RECEIVED);
	seg_in(C, 40000, TT_SYN | TT_ACK, 1000, 5001, 0, 64240, 10);
	seg_in(S, 40000, TT_SYN | TT_ACK, 5000, 1001, 0, 64240, 10);
	STATES(TT_ESTABLISHED, TT_ESTABLISHED);
	seg_in(C, 40000, TT_FIN | TT_ACK, 1001, 5001, 0, 64240, 10);
	seg_in(S, 40000, TT_FIN | TT_ACK, 5001, 1001, 0, 64240, 10); /* FINs crossed */
	STATES(TT_CLOSING, TT_CLOSING);
	seg_in(C, 40000, TT_ACK, 1002, 5002, 0, 64240, 10);
	seg_in(S, 40000, TT_ACK, 5002, 1002, 0, 64240, 10);
	STATES(TT_TIME_WAIT, TT_TIME_WAIT);
}
END_TEST

START_TEST(test_rst_in_syn_received_and_refused_connection)
{
	struct cap_stream_info si;

	seg_in(C, 40000, TT_SYN, 1000, 0, 0, 64240, 0);
	seg_in(S, 40000, TT_RST | TT_ACK, 0, 1001, 0, 0, 10);
	STATES(TT_CLOSED, TT_CLOSED);
	cap_replay_stream(rp, 0, &si);
	ck_assert_int_eq(si.end, CAP_END_REFUSED);
	ck_assert_int_eq(si.handshake, 0);
}
END_TEST

/* Segments the capture missed are inferred from what acknowledges them. */
START_TEST(test_missed_syn_ack_is_inferred_from_the_clients_ack)
{
	seg_in(C, 40000, TT_SYN, 1000, 0, 0, 64240, 0);
	seg_in(C, 40000, TT_ACK, 1001, 5001, 0, 502, 1000);       /* SYN,ACK not captured */
	STATES(TT_ESTABLISHED, TT_ESTABLISHED);
	seg_in(S, 40000, TT_FIN | TT_ACK, 5001, 1001, 0, 509, 1000);
	STATES(TT_CLOSE_WAIT, TT_FIN_WAIT_1);
}
END_TEST

START_TEST(test_missed_fin_is_inferred_from_its_ack)
{
	handshake(40000);
	seg_in(C, 40000, TT_FIN | TT_ACK, 1001, 5001, 0, 502, 1000);
	seg_in(S, 40000, TT_ACK, 5001, 1002, 0, 509, 1000);
	STATES(TT_FIN_WAIT_2, TT_CLOSE_WAIT);
	seg_in(C, 40000, TT_ACK, 1002, 5002, 0, 502, 1000);       /* server FIN not captured */
	STATES(TT_TIME_WAIT, TT_CLOSED);
}
END_TEST

START_TEST(test_missed_fin_acknowledged_by_the_peers_fin)
{
	handshake(40000);
	seg_in(S, 40000, TT_FIN | TT_ACK, 5001, 1002, 0, 509, 1000); /* client FIN not captured */
	STATES(TT_TIME_WAIT, TT_LAST_ACK);
	seg_in(C, 40000, TT_ACK, 1002, 5002, 0, 502, 1000);
	STATES(TT_TIME_WAIT, TT_CLOSED);
}
END_TEST

START_TEST(test_one_byte_beyond_is_not_a_fin_while_established)
{
	handshake(40000);
	seg_in(S, 40000, TT_ACK, 5001, 1002, 0, 509, 1000);  /* a 1-byte segment not captured */
	STATES(TT_ESTABLISHED, TT_ESTABLISHED);
}
END_TEST

START_TEST(test_analysis_notes_as_wireshark)
{
	handshake(40000);
	seg_in(C, 40000, TT_ACK, 1001, 5001, 100, 502, 1000);
	seg_in(C, 40000, TT_ACK, 1201, 5001, 100, 502, 1000);  /* 1101..1201 missing */
	NOTES("lost-segment");
	seg_in(S, 40000, TT_ACK, 5001, 1101, 0, 509, 1000);
	NOTES("");
	seg_in(S, 40000, TT_ACK, 5001, 1101, 0, 509, 1000);
	NOTES("dup-ack");
	seg_in(S, 40000, TT_ACK, 5001, 1101, 0, 509, 1000);
	NOTES("dup-ack");
	seg_in(C, 40000, TT_ACK, 1101, 5001, 100, 502, 100);    /* fast retransmission */
	NOTES("retransmission");
	seg_in(S, 40000, TT_ACK, 5001, 1301, 0, 0, 1000);
	NOTES("zero-window");
	seg_in(S, 40000, TT_ACK, 5001, 1301, 0, 509, 1000);
	NOTES("window-update");
	seg_in(C, 40000, TT_ACK, 1300, 5001, 0, 502, 2000000);
	NOTES("keep-alive");
	seg_in(S, 40000, TT_ACK, 5001, 1301, 0, 509, 100);
	NOTES("keep-alive-ack");
	seg_in(C, 40000, TT_ACK, 1301, 5001, 100, 502, 1000000);
	seg_in(C, 40000, TT_ACK, 1401, 5001, 100, 502, 1000);
	seg_in(C, 40000, TT_ACK, 1301, 5001, 100, 502, 1000);   /* within 3 ms */
	NOTES("out-of-order");
	seg_in(C, 40000, TT_ACK, 1301, 5001, 100, 502, 1000000);
	NOTES("retransmission");
}
END_TEST

/* ---- Wireshark's analysis rules, one segment at a time ------------------------ */

static struct cap_analysis an;
static int64_t an_now;

/* The notes cap_analysis gives a segment sent `gap` microseconds after the
 * previous one, by the client (C) or the server (S). */
static const char *
ana(int dir, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len, uint32_t win,
    int64_t gap)
{
	static char buf[160];

	an_now += gap * 1000;
	return tt_notes_format(cap_analysis_segment(&an, dir, an_now, seq, ack, len, flags, win),
	                       buf, sizeof buf);
}

/* client ISS 1000, server ISS 5000; the first RTT is 2 ms */
static void
ana_handshake(void)
{
	cap_analysis_init(&an);
	an_now = 1000000000;
	ck_assert_str_eq(ana(C, TT_SYN, 1000, 0, 0, 64240, 0), "");
	ck_assert_str_eq(ana(S, TT_SYN | TT_ACK, 5000, 1001, 0, 65160, 1000), "");
	ck_assert_str_eq(ana(C, TT_ACK, 1001, 5001, 0, 502, 1000), "");
}

START_TEST(test_analysis_spurious_before_out_of_order)
{
	ana_handshake();
	ck_assert_str_eq(ana(C, TT_ACK, 1001, 5001, 100, 502, 100), "");
	ck_assert_str_eq(ana(C, TT_ACK, 1101, 5001, 100, 502, 100), "");
	ck_assert_str_eq(ana(C, TT_ACK, 1201, 5001, 100, 502, 100), "");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 509, 100), "");
	/* within the first RTT of the highest segment, but acknowledged already:
	 * Wireshark 4.0 calls it a spurious retransmission, not out-of-order */
	ck_assert_str_eq(ana(C, TT_ACK, 1101, 5001, 100, 502, 100), "retransmission");
	/* not acknowledged yet and as soon: out-of-order */
	ck_assert_str_eq(ana(C, TT_ACK, 1401, 5001, 100, 502, 100), "lost-segment");
	ck_assert_str_eq(ana(C, TT_ACK, 1301, 5001, 100, 502, 100), "out-of-order");
}
END_TEST

START_TEST(test_analysis_dup_acks_count_through_data)
{
	ana_handshake();
	ck_assert_str_eq(ana(C, TT_ACK, 1001, 5001, 100, 502, 100), "");
	ck_assert_str_eq(ana(C, TT_ACK, 1201, 5001, 100, 502, 100), "lost-segment");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1101, 0, 509, 100), "");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1101, 0, 509, 100), "dup-ack");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1101, 0, 509, 100), "dup-ack");
	/* data with the same ACK does not reset the count of duplicates ... */
	ck_assert_str_eq(ana(S, TT_PSH | TT_ACK, 5001, 1101, 50, 509, 100), "");
	/* ... so this is a fast retransmission (2 dup ACKs, within 20 ms), not
	 * the out-of-order segment its timing would make it */
	ck_assert_str_eq(ana(C, TT_ACK, 1101, 5051, 100, 502, 100), "retransmission");
	/* the ACK moved: the count starts again */
	ck_assert_str_eq(ana(S, TT_ACK, 5051, 1301, 0, 509, 100), "");
	ck_assert_str_eq(ana(S, TT_ACK, 5051, 1301, 0, 509, 100), "dup-ack");
	ck_assert_str_eq(ana(C, TT_ACK, 1401, 5051, 100, 502, 100), "lost-segment");
	ck_assert_str_eq(ana(C, TT_ACK, 1301, 5051, 100, 502, 100), "out-of-order");
}
END_TEST

START_TEST(test_analysis_keep_alives_of_zero_and_one_byte)
{
	ana_handshake();
	ck_assert_str_eq(ana(C, TT_PSH | TT_ACK, 1001, 5001, 300, 502, 100), "");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 509, 100), "");
	/* seq = next - 1 with no data, or with the last byte again (as Windows
	 * sends them): keep-alives, tested before retransmission, so never one */
	ck_assert_str_eq(ana(C, TT_ACK, 1300, 5001, 0, 502, 2000000), "keep-alive");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 509, 100), "keep-alive-ack");
	ck_assert_str_eq(ana(C, TT_ACK, 1300, 5001, 1, 502, 2000000), "keep-alive");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 509, 100), "keep-alive-ack");
	/* two in a row, both keep-alives; an answer with another window is a
	 * window update, not a keep-alive ACK */
	ck_assert_str_eq(ana(C, TT_ACK, 1300, 5001, 0, 502, 2000000), "keep-alive");
	ck_assert_str_eq(ana(C, TT_ACK, 1300, 5001, 0, 502, 1000000), "keep-alive");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 600, 100), "window-update");
	/* two bytes, or a FIN, one before the next seq: not keep-alives */
	ck_assert_str_eq(ana(C, TT_ACK, 1299, 5001, 2, 502, 2000000), "retransmission");
	ck_assert_str_eq(ana(C, TT_FIN | TT_ACK, 1300, 5001, 0, 502, 2000000), "retransmission");
}
END_TEST

START_TEST(test_analysis_data_from_next_seq_minus_one_is_new)
{
	ana_handshake();
	ck_assert_str_eq(ana(C, TT_PSH | TT_ACK, 1001, 5001, 300, 502, 100), "");
	/* tshark 4.0: 2 bytes or more starting where a keep-alive would (next
	 * seq - 1) are neither a retransmission nor out of order, however soon */
	ck_assert_str_eq(ana(C, TT_PSH | TT_ACK, 1300, 5001, 50, 502, 100), "");
	ck_assert_str_eq(ana(C, TT_ACK, 1349, 5001, 2, 502, 2000000), "");
	/* so also the data after a keep-alive that carried the last byte */
	ck_assert_str_eq(ana(C, TT_ACK, 1350, 5001, 1, 502, 2000000), "keep-alive");
	ck_assert_str_eq(ana(C, TT_ACK, 1350, 5001, 100, 502, 2000000), "");
	/* one byte earlier, or a FIN of 0 or 1 byte there: retransmissions */
	ck_assert_str_eq(ana(C, TT_ACK, 1448, 5001, 2, 502, 2000000), "retransmission");
	ck_assert_str_eq(ana(C, TT_FIN | TT_ACK, 1449, 5001, 0, 502, 2000000), "retransmission");
	ck_assert_str_eq(ana(C, TT_FIN | TT_ACK, 1449, 5001, 1, 502, 2000000), "retransmission");
	/* but all of it acknowledged already: a spurious retransmission */
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1452, 0, 509, 100), "");
	ck_assert_str_eq(ana(C, TT_ACK, 1450, 5001, 2, 502, 100), "retransmission");
}
END_TEST

START_TEST(test_analysis_zero_window_probes)
{
	ana_handshake();
	ck_assert_str_eq(ana(C, TT_PSH | TT_ACK, 1001, 5001, 300, 502, 100), "");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 0, 100), "zero-window");
	/* one byte at the next seq into a closed window: a zero window probe,
	 * which notes nothing of ours and does not move the next seq */
	ck_assert_str_eq(ana(C, TT_ACK, 1301, 5001, 1, 502, 300000), "");
	/* its ACK: still a zero window, not a duplicate ACK */
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 0, 100), "zero-window");
	ck_assert_str_eq(ana(C, TT_ACK, 1301, 5001, 1, 502, 600000), "");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 0, 100), "zero-window");
	ck_assert_str_eq(ana(S, TT_ACK, 5001, 1301, 0, 509, 100000), "window-update");
	/* the byte probed sent for real: no retransmission */
	ck_assert_str_eq(ana(C, TT_ACK, 1301, 5001, 100, 502, 100), "");
}
END_TEST

/* ---- bytes in flight as Wireshark counts them, one segment at a time ---------- */

static struct cap_flights fl;

/* The bytes in flight cap_flights gives a segment (base 1000 for the
 * client, 5000 for the server; no SACK unless given). */
static int64_t
flight(int dir, uint32_t seq, uint32_t ack, uint32_t len, unsigned flags, unsigned notes)
{
	return cap_flights_segment(&fl, dir, dir ? 5000 : 1000, seq, ack, len, flags, notes, NULL, 0);
}

START_TEST(test_flight_counts_what_is_unacknowledged)
{
	cap_flights_init(&fl);
	/* the handshake: no payload, no count; the SYN is in the list until acked */
	ck_assert_int_eq(flight(0, 1000, 0, 0, TT_SYN, 0), -1);
	ck_assert_int_eq(flight(1, 5000, 1001, 0, TT_SYN | TT_ACK, 0), -1);
	ck_assert_int_eq(flight(0, 1001, 5001, 0, TT_ACK, 0), -1);
	/* three segments out: 100, 200, 300 */
	ck_assert_int_eq(flight(0, 1001, 5001, 100, TT_ACK, 0), 100);
	ck_assert_int_eq(flight(0, 1101, 5001, 100, TT_ACK, 0), 200);
	ck_assert_int_eq(flight(0, 1201, 5001, 100, TT_ACK, 0), 300);
	/* an ACK of part of the second trims it: 1151..1301 left */
	ck_assert_int_eq(flight(1, 5001, 1151, 0, TT_ACK, 0), -1);
	ck_assert_int_eq(flight(0, 1301, 5001, 50, TT_ACK, 0), 200);
	/* all acknowledged: the next counts only itself */
	ck_assert_int_eq(flight(1, 5001, 1351, 0, TT_ACK, 0), -1);
	ck_assert_int_eq(flight(0, 1351, 5001, 10, TT_ACK, 0), 10);
	/* a FIN with data counts one in the list, not in the figure */
	ck_assert_int_eq(flight(0, 1361, 5001, 10, TT_FIN | TT_ACK, 0), 20);
	cap_flights_free(&fl);
}
END_TEST

START_TEST(test_flight_after_a_hole_and_with_sack)
{
	const uint32_t sack[1][2] = { { 1201, 1301 } };

	cap_flights_init(&fl);
	ck_assert_int_eq(flight(0, 1001, 5001, 100, TT_ACK, 0), 100);
	/* 1101..1201 was not captured: Wireshark counts nothing on this row */
	ck_assert_int_eq(flight(0, 1201, 5001, 100, TT_ACK, TT_NOTE(LOST_SEGMENT)), -1);
	/* the next one counts again, from the lowest seq still unacked to the
	 * highest end, the hole included */
	ck_assert_int_eq(flight(0, 1301, 5001, 100, TT_ACK, 0), 400);
	/* the peer's last segment said it holds 1201..1301: that is not in flight */
	ck_assert_int_eq(cap_flights_segment(&fl, 1, 5000, 5001, 1001, 0, TT_ACK, 0, sack, 1), -1);
	ck_assert_int_eq(flight(0, 1401, 5001, 100, TT_ACK, 0), 400);
	/* a segment of the peer's without SACK blocks forgets them (tshark 4.0) */
	ck_assert_int_eq(flight(1, 5001, 1001, 0, TT_ACK, 0), -1);
	ck_assert_int_eq(flight(0, 1501, 5001, 100, TT_ACK, 0), 600);
	cap_flights_free(&fl);
}
END_TEST

START_TEST(test_flight_list_stops_at_wiresharks_limit)
{
	cap_flights_init(&fl);
	/* never acknowledged: the list keeps CAP_FLIGHT_MAX segments, no more */
	for (uint32_t i = 0; i < CAP_FLIGHT_MAX + 5; i++)
		flight(0, 1001 + i, 5001, 1, TT_ACK, 0);
	ck_assert_uint_eq(fl.dir[0].n, CAP_FLIGHT_MAX);
	ck_assert_int_eq(flight(0, 1001 + CAP_FLIGHT_MAX + 5, 5001, 1, TT_ACK, 0), CAP_FLIGHT_MAX);
	cap_flights_free(&fl);
}
END_TEST

/* Wireshark's rule as it walks its list (the reference the ordered sets
 * of capture/flight.c are held to): per direction the unacknowledged
 * spans in arrival order. */
struct ref_flight {
	uint32_t seq[CAP_FLIGHT_MAX], next[CAP_FLIGHT_MAX];
	size_t n;
	uint32_t sacked;
};

static int64_t
ref_segment(struct ref_flight *f, int dir, uint32_t base, uint32_t seq, uint32_t ack,
            uint32_t seglen, unsigned flags, unsigned notes, const uint32_t (*sack)[2],
            unsigned nsack)
{
	struct ref_flight *fwd = &f[dir], *rev = &f[!dir];
	int64_t out = -1;

	if ((seglen || (flags & (TT_SYN | TT_FIN))) && fwd->n < CAP_FLIGHT_MAX) {
		fwd->seq[fwd->n] = seq;
		fwd->next[fwd->n] = seq + seglen + !!(flags & (TT_SYN | TT_FIN));
		fwd->n++;
	}
	if (flags & TT_ACK) {
		size_t k = 0;

		for (size_t i = 0; i < rev->n; i++) {
			uint32_t s = rev->seq[i], e = rev->next[i];

			if (!TT_SEQ_GT(e, ack))
				continue;
			if (TT_SEQ_GT(ack, s))
				s = ack;
			rev->seq[k] = s;
			rev->next[k++] = e;
		}
		rev->n = k;
	}
	if (seglen && fwd->n && !(notes & TT_NOTE(LOST_SEGMENT))) {
		uint32_t lo = fwd->seq[0] - base, hi = fwd->next[0] - base, in;

		for (size_t i = 1; i < fwd->n; i++) {
			if (fwd->seq[i] - base < lo)
				lo = fwd->seq[i] - base;
			if (fwd->next[i] - base > hi)
				hi = fwd->next[i] - base;
		}
		in = hi - lo - rev->sacked;
		if (in > 0 && in < 2000000000)
			out = (int64_t)in - !!(flags & (TT_SYN | TT_FIN));
	}
	fwd->sacked = 0;
	for (unsigned i = 0; i < nsack && i < CAP_FLIGHT_SACK; i++)
		fwd->sacked += sack[i][1] - sack[i][0];
	return out;
}

static uint32_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (uint32_t)(*x >> 16);
}

/* Random conversations, tame and crafted (numbers around the sequence
 * circle's far side, ACKs on the edges of the half circle, old spans sent
 * again, runs that fill the list to its limit), give what the walk gives,
 * segment by segment. */
START_TEST(test_flight_sets_give_what_the_walk_gives)
{
	static struct ref_flight ref[2];
	unsigned seeds = 300, checked = 0;
	size_t most = 0, treesteps = 0;

	for (unsigned seed = 1; seed <= seeds; seed++) {
		uint64_t x = seed * 0x9e3779b97f4a7c15ull;
		uint32_t base[2], cur[2];
		unsigned steps = seed % 100 == 50 ? 30000 : 1500;
		int crafted = seed % 3 == 0, sparse_acks = seed % 100 == 50;
		int rare_acks = seed % 5 == 1;  /* lists of some tens: short and long in turn */

		memset(ref, 0, sizeof ref);
		cap_flights_init(&fl);
		for (int d = 0; d < 2; d++)
			base[d] = cur[d] = rnd(&x) * 65536u + rnd(&x);
		for (unsigned i = 0; i < steps; i++) {
			int d = rnd(&x) & 1;
			uint32_t len = rnd(&x) % 4 == 0 && !sparse_acks ? 0 : 1 + rnd(&x) % 1460;
			uint32_t seq = cur[d];
			uint32_t ack = cur[!d] - rnd(&x) % 3000, sack[2][2];
			unsigned flags = TT_ACK, notes = 0, nsack = 0, r = rnd(&x) % 100;
			int64_t a, b;

			if ((sparse_acks && (i < 22000 || r < 95)) || (rare_acks && rnd(&x) % 40 != 0))
				ack = base[!d] - 30000; /* old: the list fills up */
			if (r < 3)
				flags = 0;
			else if (r < 5)
				flags |= TT_FIN;
			else if (r < 6)
				flags = TT_SYN;
			if (rnd(&x) % 10 == 0)
				seq -= rnd(&x) % 20000;         /* sent again */
			if (crafted) {
				uint32_t c = rnd(&x) % 8;

				if (c == 0)
					seq = rnd(&x) * 65536u + rnd(&x);       /* anywhere */
				else if (c == 1)
					ack = cur[!d] + 0x80000000u - rnd(&x) % 3;     /* the far edge */
				else if (c == 2)
					ack = cur[!d] - 0x80000000u + rnd(&x) % 3;
				else if (c == 3)
					ack = rnd(&x) * 65536u + rnd(&x);
			}
			if (rnd(&x) % 20 == 0)
				notes = TT_NOTE(LOST_SEGMENT);
			if (rnd(&x) % 8 == 0) {
				nsack = 1 + rnd(&x) % 2;
				for (unsigned k = 0; k < nsack; k++) {
					sack[k][0] = ack + rnd(&x) % 5000;
					sack[k][1] = sack[k][0] + rnd(&x) % 3000;
				}
			}
			a = ref_segment(ref, d, base[d], seq, ack, len, flags, notes,
			                (const uint32_t(*)[2])sack, nsack);
			b = cap_flights_segment(&fl, d, base[d], seq, ack, len, flags, notes,
			                        (const uint32_t(*)[2])sack, nsack);
			ck_assert_msg(a == b, "seed %u step %u: walk %lld, sets %lld", seed, i,
			              (long long)a, (long long)b);
			ck_assert_uint_eq(ref[d].n, fl.dir[d].n);
			if (fl.dir[d].tree && steps < 2000)
				treesteps++;
			if (fl.dir[d].n > most)
				most = fl.dir[d].n;
			ck_assert_msg(ref[!d].n == fl.dir[!d].n, "seed %u step %u: n %zu vs %zu ack %u", seed, i, ref[!d].n, fl.dir[!d].n, ack);
			if (seq == cur[d] && rnd(&x) % 8 != 0)
				cur[d] += len + !!(flags & (TT_SYN | TT_FIN));
			if (crafted && rnd(&x) % 500 == 0)
				base[d] = rnd(&x) * 65536u + rnd(&x);   /* a base learnt late */
			checked++;
		}
		cap_flights_free(&fl);
	}
	ck_assert_uint_gt(checked, 400000);
	ck_assert_uint_eq(most, CAP_FLIGHT_MAX);        /* the full list was tried too */
	ck_assert_uint_gt(treesteps, 1000);      /* and long lists going short and back */
}
END_TEST

/* ---- the file reader -------------------------------------------------------- */

/* Writes frames (raw IPv4) into a pcap file in the test's scratch space. */
static void
write_pcap(const char *path, const struct frame *fr, size_t n)
{
	static const uint8_t gh[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
	                                0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0 };
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	fwrite(gh, 1, sizeof gh, f);
	for (size_t i = 0; i < n; i++) {
		uint8_t rh[16] = { 0 };

		rh[0] = (uint8_t)i;     /* one second apart */
		rh[8] = rh[12] = (uint8_t)fr[i].n;
		rh[9] = rh[13] = (uint8_t)(fr[i].n >> 8);
		fwrite(rh, 1, sizeof rh, f);
		fwrite(fr[i].b, 1, fr[i].n, f);
	}
	fclose(f);
}

/* A fragment of a datagram with id 77 carrying `tcp` (n bytes), holding
 * tcp[off .. off+len). */
static void
put_fragment(struct frame *f, const uint8_t *tcp, uint32_t off, uint32_t len, int more)
{
	f->n = 0;
	put8(f, 0x45);
	put8(f, 0);
	put16(f, 20 + len);
	put16(f, 77);
	put16(f, (more ? 0x2000 : 0) | off / 8);
	put8(f, 64);
	put8(f, 6);
	put16(f, 0);
	put(f, A4, 4);
	put(f, B4, 4);
	put(f, tcp + off, len);
}

START_TEST(test_ipv4_fragments_are_reassembled_at_the_last_one)
{
	char err[256], path[] = "tests/out/frag-XXXXXX";
	struct frame tcpf = { .n = 0 }, fr[5];
	struct cap_reader *r;
	struct cap_frame cf;
	struct cap_pkt p;
	int fd;

	put_tcp(&tcpf, TT_PSH | TT_ACK, 1000, 2000, 0);
	for (int i = 0; i < 100; i++)
		put8(&tcpf, 'a' + i % 26);                      /* 120 bytes of TCP */
	/* out of order: the middle, the last, a stray, then the first */
	put_fragment(&fr[0], tcpf.b, 48, 40, 1);
	put_fragment(&fr[1], tcpf.b, 88, 32, 0);
	put_fragment(&fr[2], tcpf.b, 0, 48, 1);
	fr[2].b[5] = 78;                                        /* another datagram */
	put_fragment(&fr[3], tcpf.b, 0, 48, 1);
	put_fragment(&fr[4], tcpf.b, 0, 16, 0);                 /* cut: 16 of 20 header bytes */
	fr[4].b[3] = 20 + 16;
	fr[4].b[6] = 0x20;                                      /* ... with MF */
	fr[4].b[5] = 79;
	fr[4].n -= 8;                                           /* and the capture cut it short */
	mkdir("tests/out", 0777);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	write_pcap(path, fr, 5);

	ck_assert_int_eq(cap_reader_open(path, NULL, &r, err, sizeof err), 0);
	ck_assert_int_eq(cap_reader_next(r, &cf, &p, err, sizeof err), 1);
	ck_assert_uint_eq(cf.number, 4);                        /* where it became whole */
	ck_assert_uint_eq(p.len, 100);
	ck_assert_uint_eq(p.seq, 1000);
	ck_assert_mem_eq(cf.data + p.payload_off, "abcdefghij", 10);
	ck_assert_int_eq(cap_reader_next(r, &cf, &p, err, sizeof err), 2);
	ck_assert_uint_eq(cf.number, 5);
	ck_assert_str_eq(p.why, "IPv4 fragment cut off by the capture length");
	ck_assert_int_eq(cap_reader_next(r, &cf, &p, err, sizeof err), 2);
	ck_assert_uint_eq(cf.number, 3);                        /* never completed */
	ck_assert_str_eq(p.why, "IPv4 fragment (not reassembled)");
	ck_assert_int_eq(cap_reader_next(r, &cf, &p, err, sizeof err), 0);
	cap_reader_close(r);
	unlink(path);
}
END_TEST


START_TEST(test_reader_counts_every_frame_and_filters)
{
	char err[256];
	struct cap_file *f;
	struct cap_frame fr;
	uint64_t n = 0, last = 0;

	ck_assert_int_eq(cap_file_open(TT_SRCDIR "/tests/replay/lo/lo-normal.pcap", NULL, &f, err,
	                               sizeof err), 0);
	ck_assert_int_eq(cap_file_linktype(f), CAP_LINK_ETHERNET);
	while (cap_file_next(f, &fr, err, sizeof err) == 1)
		n++;
	cap_file_close(f);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(cap_file_open(TT_SRCDIR "/tests/replay/lo/lo-normal.pcap",
	                               "tcp[tcpflags] & tcp-fin != 0", &f, err, sizeof err), 0);
	n = 0;
	while (cap_file_next(f, &fr, err, sizeof err) == 1) {
		n++;
		last = fr.number;
	}
	cap_file_close(f);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(last, 9);
	ck_assert_int_eq(cap_file_open(TT_SRCDIR "/tests/replay/lo/lo-normal.pcap", "port fish", &f,
	                               err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "port fish"));
}
END_TEST

/* The decoder's shortcut for Ethernet/IPv4/TCP gives what the general path
 * gives, on every frame of every test capture and on every shorter copy of
 * the frames it takes. */
static unsigned
same_decodes(const char *dir)
{
	unsigned fast = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024], err[256];
		struct cap_file *f;
		struct cap_frame fr;
		size_t n = strlen(e->d_name);

		if (n < 5 || (strcmp(e->d_name + n - 5, ".pcap") != 0 &&
		              (n < 7 || strcmp(e->d_name + n - 7, ".pcapng") != 0)))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (cap_file_open(path, NULL, &f, err, sizeof err) < 0)
			continue;       /* a damaged file the reader refuses */
		while (cap_file_next(f, &fr, err, sizeof err) == 1) {
			struct cap_pkt a, b;
			int lt = fr.linktype;

			ck_assert_int_eq(cap_decode(lt, fr.data, fr.caplen, &a),
			                 cap_decode_general(lt, fr.data, fr.caplen, &b));
			ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "%s: frame %llu decodes apart",
			              path, (unsigned long long)fr.number);
			if (lt != CAP_LINK_ETHERNET || a.ipver != 4 || a.nvlan != 0 ||
			    a.ip_hlen != 20 || a.status != CAP_TCP)
				continue;
			fast++;
			for (uint32_t k = 0; k < fr.caplen; k++) {
				cap_decode(lt, fr.data, k, &a);
				cap_decode_general(lt, fr.data, k, &b);
				ck_assert_msg(memcmp(&a, &b, sizeof a) == 0,
				              "%s: frame %llu cut at %u decodes apart", path,
				              (unsigned long long)fr.number, k);
			}
		}
		cap_file_close(f);
	}
	closedir(d);
	return fast;
}

START_TEST(test_decoder_shortcut_agrees_with_general_path)
{
	unsigned fast = same_decodes(TT_SRCDIR "/tests/replay/good") +
	                same_decodes(TT_SRCDIR "/tests/replay/bad") +
	                same_decodes(TT_SRCDIR "/tests/replay/lo");

	ck_assert_uint_gt(fast, 500);   /* the shortcut was taken, often */
}
END_TEST

/* A table without events (CAP_NO_EVENTS, for TSV) gives the same rows as
 * one with them, field for field, on every test capture: only nev is 0. */
static unsigned
same_rows_without_events(const char *dir)
{
	unsigned events = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024], err[256];
		struct cap_reader *f;
		struct cap_replay *t[2];
		struct cap_frame fr;
		struct cap_pkt p;
		size_t n = strlen(e->d_name);
		int rc, got[2];

		if (n < 5 || (strcmp(e->d_name + n - 5, ".pcap") != 0 &&
		              (n < 7 || strcmp(e->d_name + n - 7, ".pcapng") != 0)))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (cap_reader_open(path, NULL, &f, err, sizeof err) < 0)
			continue;
		t[0] = cap_replay_new(CAP_ROWS);
		t[1] = cap_replay_new(CAP_ROWS | CAP_NO_EVENTS);
		ck_assert(t[0] != NULL && t[1] != NULL);
		for (;;) {
			static struct cap_seg a, b;

			rc = cap_reader_next(f, &fr, &p, err, sizeof err);
			if (rc == 1)
				for (int k = 0; k < 2; k++)
					ck_assert_int_ge(cap_replay_frame(t[k], fr.number, fr.time_ns, &p), 0);
			if (rc == 0 || rc < 0)
				for (int k = 0; k < 2; k++)
					cap_replay_finish(t[k]);
			for (;;) {
				got[0] = cap_replay_row(t[0], &a);
				got[1] = cap_replay_row(t[1], &b);
				ck_assert_int_eq(got[0], got[1]);
				if (!got[0])
					break;
				ck_assert_uint_eq(b.nev, 0);
				events += a.nev;
				a.nev = 0;
				a.lost_events = 0;
				a.notes &= ~TT_NOTE(EVENTS_CUT);   /* only rows with events cut them */
				memset(a.ev, 0, sizeof a.ev);
				memset(b.ev, 0, sizeof b.ev);
				ck_assert_msg(memcmp(&a, &b, offsetof(struct cap_seg, tcb)) == 0,
				              "%s: frame %llu: rows apart", path,
				              (unsigned long long)a.frame);
			}
			if (rc <= 0)
				break;
		}
		for (int k = 0; k < 2; k++)
			cap_replay_free(t[k]);
		cap_reader_close(f);
	}
	closedir(d);
	return events;
}

START_TEST(test_rows_without_events_keep_their_states)
{
	unsigned events = same_rows_without_events(TT_SRCDIR "/tests/replay/good") +
	                  same_rows_without_events(TT_SRCDIR "/tests/replay/lo");

	ck_assert_uint_gt(events, 100);  /* the other table had events to leave out */
}
END_TEST

START_TEST(test_story_steps_of_one_stream)
{
	char err[256];
	struct cap_story *s;
	const struct tt_step *st;

	ck_assert_int_eq(cap_story_open(TT_SRCDIR "/tests/replay/lo/lo-reuse.pcap", NULL, &s, err,
	                                sizeof err), 0);
	ck_assert_uint_eq(cap_story_nstreams(s), 2);
	ck_assert_int_eq(cap_story_select(s, 1, err, sizeof err), 0);
	ck_assert_uint_eq(cap_story_nsteps(s), 8);
	st = cap_story_steps(s);
	ck_assert_uint_eq(st[0].frame, 9);
	ck_assert_int_eq(st[0].kind, TT_STEP_SEGMENT);
	ck_assert_uint_eq(st[0].seg.flags, TT_SYN);
	ck_assert_uint_eq(st[0].tcb[0].iss, st[0].seg.seq);     /* absolute, ISS as base */
	ck_assert_int_eq(st[7].tcb[1].state, TT_TIME_WAIT);
	ck_assert_int_eq(st[7].tcb[0].state, TT_CLOSED);
	ck_assert_ptr_nonnull(strstr(cap_story_detail(s, 0), "MSS 65495"));
	ck_assert_ptr_null(cap_story_warning(s));
	cap_story_free(s);

	ck_assert_int_eq(cap_story_open(TT_SRCDIR "/tests/replay/lo/lo-refused.pcap", NULL, &s, err,
	                                sizeof err), 0);
	ck_assert_int_eq(cap_story_select(s, 0, err, sizeof err), 0);
	/* the server never listened: CLOSED all along, not SYN-RECEIVED */
	ck_assert_int_eq(cap_story_steps(s)[0].tcb[1].state, TT_CLOSED);
	cap_story_free(s);
}
END_TEST

/* ---- a stream table no capture can make slow ------------------------------ */

/* The hash this table used before it was keyed: XOR-folded endpoints, so
 * that every IPv6 address [x, x, 0, 0] folds to the same word. */
static uint32_t
old_end_hash(const uint8_t *a, uint16_t port)
{
	uint32_t w = 0, x;

	for (int i = 0; i < 16; i += 4) {
		memcpy(&x, a + i, 4);
		w ^= x;
	}
	return (w ^ port) * 0x9e3779b1u + port;
}

static void
syn_from(struct cap_pkt *p, uint32_t x, uint16_t sport)
{
	memset(p, 0, sizeof *p);
	p->status = CAP_TCP;
	p->ipver = 6;
	memcpy(p->src, &x, 4);
	memcpy(p->src + 4, &x, 4);
	p->dst[0] = 0x20;
	p->dst[15] = 1;
	p->sport = sport;
	p->dport = 80;
	p->seq = x;
	p->flags = TT_SYN;
	p->win = 65535;
}

/* Feeds n SYNs from the tuples made by next(i) and returns the stats. */
static void
feed(struct cap_replay *tab, unsigned n, void (*next)(struct cap_pkt *, unsigned),
     struct cap_probe_stats *st)
{
	struct cap_pkt p;

	for (unsigned i = 0; i < n; i++) {
		next(&p, i);
		ck_assert_int_eq(cap_replay_frame(tab, i + 1, i, &p), (long)i);
	}
	cap_replay_probe_stats(tab, st);
}

static void
old_collider(struct cap_pkt *p, unsigned i)
{
	syn_from(p, 0x01000000u + i, 40000);
}

/* 20,000 streams crafted so that the old hash gave every one the same
 * value (quadratic probing: 80 s for 100,000 of them) probe as any others. */
START_TEST(test_streams_crafted_against_the_old_hash_probe_briefly)
{
	struct cap_replay *tab = cap_replay_new(0);
	struct cap_probe_stats st;
	struct cap_pkt a, b;

	old_collider(&a, 1);
	old_collider(&b, 2);
	ck_assert_uint_eq(old_end_hash(a.src, a.sport), old_end_hash(b.src, b.sport));
	feed(tab, 20000, old_collider, &st);
	ck_assert_uint_le(st.longest, 48);
	ck_assert_uint_lt(st.probes, 3 * st.lookups);
	cap_replay_free(tab);
}
END_TEST

/* Tuples crafted against a known key (all in one bucket of a 4096-slot
 * table) make the table take a new key; probes stay short. */
static uint32_t craft_sport[1500];

static void
key_collider(struct cap_pkt *p, unsigned i)
{
	syn_from(p, 7, 0);
	p->sport = (uint16_t)craft_sport[i];
	p->src[15] = (uint8_t)(craft_sport[i] >> 16);
}

START_TEST(test_streams_crafted_against_a_known_key_make_a_new_key)
{
	static const uint8_t key[CAP_REPLAY_KEY] = "fixed test key!";
	struct cap_replay *tab = cap_replay_new(0);
	struct cap_probe_stats st;
	struct cap_pkt p;
	unsigned n = 0;

	cap_replay_set_key(tab, key);
	for (uint32_t c = 1; n < 1500 && c < (1u << 24); c++) {
		syn_from(&p, 7, 0);
		p.sport = (uint16_t)c;
		p.src[15] = (uint8_t)(c >> 16);
		if (p.sport != 0 && (cap_replay_hash(tab, &p) & 4095) == 0)
			craft_sport[n++] = c;
	}
	ck_assert_uint_eq(n, 1500);
	feed(tab, 1500, key_collider, &st);
	ck_assert_uint_ge(st.rekeys, 1);
	ck_assert_uint_le(st.longest, 64);
	ck_assert_uint_lt(st.probes, 5 * st.lookups);
	cap_replay_free(tab);
}
END_TEST

/* The TSV printer writes its digits by hand: every digit count, 32 bits
 * and past them, must read as printf writes them, and a buffered report
 * must write the same bytes as one that writes each row. */
static size_t
tsv_rows(char *buf, size_t len, int buffered, const uint64_t *v, size_t n)
{
	FILE *f = tmpfile();
	struct tt_report *rep;
	size_t got;

	ck_assert_ptr_nonnull(f);
	rep = tt_report_new(f, TT_FMT_TSV);
	ck_assert_ptr_nonnull(rep);
	if (buffered)
		tt_report_buffer(rep);
	for (size_t i = 0; i < n; i++) {
		struct tt_row row = {
			.stream = (unsigned)v[i], .frame = v[i], .time_ns = (int64_t)(v[i] / 2),
			.dir = (int)(i & 1), .src = "10.0.0.1:1024", .dst = "[2001:db8::1]:443",
			.flags = TT_SYN | TT_ACK, .seq = (uint32_t)v[i], .ack = (uint32_t)(v[i] >> 32),
			.len = (uint32_t)v[i] / 3, .win = (uint32_t)v[i] & 0xffff,
			.cstate = TT_SYN_SENT, .sstate = TT_SYN_RECEIVED, .notes = i & 1 ? "" : "x,y",
		};

		tt_report_row(rep, &row);
		/* 2,000 rows are more than the buffer holds: it is written meanwhile */
		for (int k = 0; k < 10 && i + 1 == n; k++)
			tt_report_row(rep, &row);
	}
	tt_report_free(rep);
	rewind(f);
	got = fread(buf, 1, len - 1, f);
	buf[got] = '\0';
	fclose(f);
	return got;
}

START_TEST(test_tsv_rows_numbers_read_as_printf_writes_them)
{
	static uint64_t v[2000];
	static char a[1 << 20], b[1 << 20];
	size_t n = 0, la, lb;
	char want[512];
	const char *p;

	for (uint64_t x = 1; n < 60; x *= 10) {
		v[n++] = x - 1;
		v[n++] = x;
		v[n++] = x + 1;
		if (x > UINT64_MAX / 10)
			break;
	}
	v[n++] = UINT32_MAX;
	v[n++] = (uint64_t)UINT32_MAX + 1;
	v[n++] = UINT64_MAX;
	while (n < 2000) {
		v[n] = v[n - 1] * 2862933555777941757u + 3037000493u;
		n++;
	}
	la = tsv_rows(a, sizeof a, 0, v, n);
	lb = tsv_rows(b, sizeof b, 1, v, n);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	p = a;
	for (size_t i = 0; i < n; i++) {
		uint64_t us = (v[i] / 2 + 500) / 1000;
		uint32_t len = (uint32_t)v[i] / 3, win = (uint32_t)v[i] & 0xffff;
		int k = snprintf(want, sizeof want,
		                 "%u\t%" PRIu64 "\t%" PRIu64 ".%06" PRIu64 "\t%s\t%s\t%s\tSYN,ACK\t%" PRIu32
		                 "\t%" PRIu32 "\t%" PRIu32 "\t%" PRIu32 "\tSYN-SENT\tSYN-RECEIVED\t%s\n",
		                 (unsigned)v[i], v[i], us / 1000000, us % 1000000, i & 1 ? "S>C" : "C>S",
		                 "10.0.0.1:1024", "[2001:db8::1]:443",
		                 (uint32_t)v[i], (uint32_t)(v[i] >> 32), len, win, i & 1 ? "" : "x,y");

		ck_assert_msg(strncmp(p, want, (size_t)k) == 0, "row %zu: %.*s, want %s", i,
		              (int)strcspn(p, "\n"), p, want);
		p += k;
	}
}
END_TEST

/* Read-ahead hands out what reading in the caller's thread does, result
 * by result (frames without their bytes), on every test capture, on one
 * cut short in a frame, and on one closed long before its end. */
static unsigned
same_reads(const char *path)
{
	struct cap_reader *a, *b;
	char ea[256] = "", eb[256] = "";
	unsigned n = 0;
	int ra, rb;

	if (cap_reader_open(path, NULL, &a, ea, sizeof ea) < 0)
		return 0;       /* a damaged file the reader refuses */
	ck_assert_int_eq(cap_reader_open(path, NULL, &b, eb, sizeof eb), 0);
	ck_assert_int_eq(cap_reader_read_ahead(b), 0);
	do {
		struct cap_frame fa, fb;
		struct cap_pkt pa, pb;

		memset(&pa, 0, sizeof pa);
		memset(&pb, 0, sizeof pb);
		ra = cap_reader_next(a, &fa, &pa, ea, sizeof ea);
		rb = cap_reader_next(b, &fb, &pb, eb, sizeof eb);
		ck_assert_int_eq(ra, rb);
		if (ra < 0)
			ck_assert_str_eq(ea, eb);
		if (ra <= 0)
			break;
		ck_assert_ptr_null(fb.data);
		ck_assert_uint_eq(fa.number, fb.number);
		ck_assert_int_eq(fa.time_ns, fb.time_ns);
		ck_assert_uint_eq(fa.caplen, fb.caplen);
		ck_assert_msg(memcmp(&pa, &pb, sizeof pa) == 0, "%s: result %u differs", path, n);
		n++;
	} while (1);
	/* the end stays the end */
	{
		const struct cap_frame *f;
		const struct cap_pkt *p;

		ck_assert_int_eq(cap_reader_take(b, &f, &p, eb, sizeof eb), rb);
	}
	cap_reader_close(a);
	cap_reader_close(b);
	return n;
}

START_TEST(test_read_ahead_reads_as_the_caller_would)
{
	const char *dirs[] = { TT_SRCDIR "/tests/replay/good", TT_SRCDIR "/tests/replay/lo",
		               TT_SRCDIR "/tests/replay/bad" };
	char cut[] = "tests/out/cutXXXXXX";
	unsigned total = 0;
	struct cap_reader *r;
	struct cap_frame fr;
	struct cap_pkt p;
	char err[256];
	FILE *in, *out;
	long size;
	int fd;

	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;

		ck_assert_ptr_nonnull(dir);
		while ((e = readdir(dir)) != NULL) {
			char path[1024];
			size_t n = strlen(e->d_name);

			if (n < 5 || (strcmp(e->d_name + n - 5, ".pcap") != 0 &&
			              (n < 7 || strcmp(e->d_name + n - 7, ".pcapng") != 0)))
				continue;
			snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
			total += same_reads(path);
		}
		closedir(dir);
	}
	ck_assert_uint_gt(total, 2 * 256);      /* more than a block of results */
	/* a copy cut in the middle of a frame: the same rows, then the same damage */
	mkdir("tests/out", 0777);
	ck_assert_int_ge(fd = mkstemp(cut), 0);
	ck_assert_ptr_nonnull(in = fopen(TT_SRCDIR "/tests/replay/lo/lo-normal.pcap", "rb"));
	ck_assert_ptr_nonnull(out = fdopen(fd, "wb"));
	fseek(in, 0, SEEK_END);
	size = ftell(in);
	rewind(in);
	for (long k = 0; k < size - 10; k++)
		fputc(fgetc(in), out);
	fclose(in);
	fclose(out);
	ck_assert_uint_gt(same_reads(cut), 0);
	unlink(cut);
	/* closed with the thread waiting for room: it stops and is gone */
	ck_assert_int_eq(cap_reader_open(TT_SRCDIR "/tests/replay/good/wire-random.pcap", NULL, &r,
	                                 err, sizeof err), 0);
	ck_assert_int_eq(cap_reader_read_ahead(r), 0);
	ck_assert_int_eq(cap_reader_next(r, &fr, &p, err, sizeof err), 1);
	ck_assert_uint_eq(fr.number, 1);
	cap_reader_close(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, test_ethernet_qinq_ipv4_options_tcp_options);
	tcase_add_test(tc, test_ipv6_extension_headers);
	tcase_add_test(tc, test_every_link_type_reaches_tcp);
	tcase_add_test(tc, test_fragment_is_noted_not_decoded);
	tcase_add_test(tc, test_bad_headers_are_malformed);
	tcase_add_test(tc, test_cut_802_11_header_is_truncated_not_other_traffic);
	tcase_add_test(tc, test_snaplen_cut_payload_keeps_ip_length);
	tcase_add_test(tc, test_ipv6_address_text_follows_rfc5952);
	tcase_add_test(tc, test_ipv6_address_text_is_inet_ntops);
	tcase_add_test(tc, test_ipv4_address_text_is_inet_ntops);
	suite_add_tcase(s, tc);
	tc = tcase_create("streams");
	tcase_add_checked_fixture(tc, st_setup, st_teardown);
	tcase_add_test(tc, test_relative_numbers_count_from_each_isn);
	tcase_add_test(tc, test_midstream_capture_starts_at_one_and_says_so);
	tcase_add_test(tc, test_port_reuse_after_close_starts_a_new_stream);
	tcase_add_test(tc, test_many_connections_at_once_rest_and_wake);
	tcase_add_test(tc, test_rest_after_one_or_more_segments_changes_nothing);
	tcase_add_test(tc, test_settle_older_lets_an_unanswered_segment_go);
	tcase_add_test(tc, test_retransmitted_syn_stays_in_its_stream);
	tcase_add_test(tc, test_simultaneous_open_and_close);
	tcase_add_test(tc, test_rst_in_syn_received_and_refused_connection);
	tcase_add_test(tc, test_analysis_notes_as_wireshark);
	tcase_add_test(tc, test_missed_syn_ack_is_inferred_from_the_clients_ack);
	tcase_add_test(tc, test_missed_fin_is_inferred_from_its_ack);
	tcase_add_test(tc, test_missed_fin_acknowledged_by_the_peers_fin);
	tcase_add_test(tc, test_one_byte_beyond_is_not_a_fin_while_established);
	suite_add_tcase(s, tc);
	tc = tcase_create("analysis");
	tcase_add_test(tc, test_analysis_spurious_before_out_of_order);
	tcase_add_test(tc, test_analysis_dup_acks_count_through_data);
	tcase_add_test(tc, test_analysis_keep_alives_of_zero_and_one_byte);
	tcase_add_test(tc, test_analysis_data_from_next_seq_minus_one_is_new);
	tcase_add_test(tc, test_analysis_zero_window_probes);
	tcase_add_test(tc, test_flight_counts_what_is_unacknowledged);
	tcase_add_test(tc, test_flight_after_a_hole_and_with_sack);
	tcase_add_test(tc, test_flight_list_stops_at_wiresharks_limit);
	suite_add_tcase(s, tc);
	/* the walk it is held to is slow by design (under sanitizers, some
	 * seconds): a time limit against a hang only */
	tc = tcase_create("flight");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_flight_sets_give_what_the_walk_gives);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_set_timeout(tc, 300);     /* whole directories of captures, under ASan on a busy machine */
	tcase_add_test(tc, test_decoder_shortcut_agrees_with_general_path);
	tcase_add_test(tc, test_rows_without_events_keep_their_states);
	tcase_add_test(tc, test_reader_counts_every_frame_and_filters);
	tcase_add_test(tc, test_read_ahead_reads_as_the_caller_would);
	tcase_add_test(tc, test_ipv4_fragments_are_reassembled_at_the_last_one);
	tcase_add_test(tc, test_story_steps_of_one_stream);
	tcase_add_test(tc, test_streams_crafted_against_the_old_hash_probe_briefly);
	tcase_add_test(tc, test_streams_crafted_against_a_known_key_make_a_new_key);
	suite_add_tcase(s, tc);
	tc = tcase_create("rows");
	tcase_add_test(tc, test_tsv_rows_numbers_read_as_printf_writes_them);
	suite_add_tcase(s, tc);
	return tt_check_run(s);
}
