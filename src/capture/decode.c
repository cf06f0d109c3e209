/* capture/decode.c: one frame's bytes to a TCP segment description.
 *
 * cap_decode() is the only entry point and works on (link type, bytes,
 * caplen) alone: no globals, no allocation, no I/O. The link types are one
 * table (number, name, decoder), as tcpdump's printers[]. Every byte is read
 * through the checked macros below, as tcpdump's GET_BE_U_2 and
 * ND_TCHECK_LEN: a read past the captured bytes never touches memory but
 * jumps to the reading function's `trunc` label, which says which header was
 * cut. The layering follows tcpdump's: link layer, then IP (with tunnels:
 * GRE, VXLAN, Geneve, IP in IP, MPLS), then TCP (RFC 9293 §3.1 header,
 * §3.2 options).
 */
#include "config.h"

#include <string.h>

#include "capture/capture.h"
#include "i18n.h"

/* The frame: its bytes and how many were captured. Passed by value, so
 * that the compiler keeps both in registers (no store through pkt can
 * change them). */
struct cur {
	const uint8_t *p;
	uint32_t len;
};

/* [off, off + n) lies within the frame (in 64 bits, where off + n cannot
 * wrap: one add and one compare). */
static inline int
have(struct cur c, uint32_t off, uint32_t n)
{
	return (uint64_t)off + n <= c.len;
}

/* Byte order, for the macros below only (at q they read what TCHECK has
 * vouched for; through a pointer, so that the compiler sees adjacent bytes
 * and loads them as one word). */
static inline uint16_t
be16(const uint8_t *q)
{
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t
be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

static inline uint32_t
le32(const uint8_t *q)
{
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
}

/* The checked reads. Each names the frame `c`, looks at [off, off + n)
 * only when the frame holds it, and otherwise jumps to the function's
 * `trunc` label. TCHECK vouches for a span without reading it. */
#define TCHECK(off, n) \
	do { \
		if (!have(c, (off), (n))) \
			goto trunc; \
	} while (0)
#define GET_U_1(dst, off) \
	do { \
		uint32_t o_ = (off); \
		TCHECK(o_, 1); \
		(dst) = c.p[o_]; \
	} while (0)
#define GET_BE_U_2(dst, off) \
	do { \
		uint32_t o_ = (off); \
		TCHECK(o_, 2); \
		(dst) = be16(c.p + o_); \
	} while (0)
#define GET_LE_U_2(dst, off) \
	do { \
		uint32_t o_ = (off); \
		TCHECK(o_, 2); \
		(dst) = (uint16_t)(c.p[o_ + 1] << 8 | c.p[o_]); \
	} while (0)
#define GET_BE_U_4(dst, off) \
	do { \
		uint32_t o_ = (off); \
		TCHECK(o_, 4); \
		(dst) = be32(c.p + o_); \
	} while (0)
#define GET_LE_U_4(dst, off) \
	do { \
		uint32_t o_ = (off); \
		TCHECK(o_, 4); \
		(dst) = le32(c.p + o_); \
	} while (0)
#define GET_BYTES(dst, off, n) \
	do { \
		uint32_t o_ = (off); \
		TCHECK(o_, (n)); \
		memcpy((dst), c.p + o_, (n)); \
	} while (0)

static enum cap_status
fail(struct cap_pkt *pkt, enum cap_status st, const char *why)
{
	pkt->status = st;
	pkt->why = why;
	return st;
}

/* Tunnels may nest; a bound keeps a crafted frame from recursing forever. */
#define MAX_DEPTH 8

/* What every decoder below takes: the frame, where its header starts, the
 * packet being filled, and how deep in tunnels it is. */
typedef enum cap_status dec_fn(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth);

static dec_fn dec_ether, dec_ip;
static enum cap_status dec_link(struct cur c, int linktype, uint32_t off, struct cap_pkt *pkt,
                                int depth);

/* ---- TCP ----------------------------------------------------------------- */

/* RFC 9293 §3.2: the option list in [off, end), end within the frame.
 * Kinds 0 (end), 1 (no-op), 2 (MSS); RFC 7323: 3 (window scale), 8
 * (timestamps); RFC 2018: 4, 5 (SACK). An option running past the header
 * (or the frame) marks the list bad. */
static void
dec_tcpopts(struct cur c, uint32_t off, uint32_t end, struct cap_tcpopts *o)
{
	while (off < end) {
		uint8_t kind, len;

		GET_U_1(kind, off);
		if (kind == 0)
			return;
		if (kind == 1) {
			off++;
			continue;
		}
		GET_U_1(len, off + 1);
		if (len < 2 || off + len > end)
			goto trunc;
		switch (kind) {
		case 2:
			if (len == 4)
				GET_BE_U_2(o->mss, off + 2);
			break;
		case 3:
			if (len == 3) {
				uint8_t shift;

				GET_U_1(shift, off + 2);
				o->wscale = shift;
			}
			break;
		case 4:
			o->sack_ok = 1;
			break;
		case 5:
			for (uint32_t i = 2; i + 8 <= len && o->nsack < CAP_MAX_SACK; i += 8) {
				GET_BE_U_4(o->sack[o->nsack][0], off + i);
				GET_BE_U_4(o->sack[o->nsack][1], off + i + 4);
				o->nsack++;
			}
			break;
		case 8:
			if (len == 10) {
				o->has_ts = 1;
				GET_BE_U_4(o->tsval, off + 2);
				GET_BE_U_4(o->tsecr, off + 6);
			}
			break;
		default:
			if (o->nother < 255)
				o->nother++;
		}
		off += len;
	}
	return;
trunc:
	o->bad = 1;
}

/* RFC 9293 §3.1. `end` is where the IP datagram says the segment ends (it
 * may lie beyond the captured bytes when the capture was cut short). */
static enum cap_status
dec_tcp(struct cur c, uint32_t off, uint32_t end, struct cap_pkt *pkt)
{
	uint32_t ports, seq, ack, w12, w16, thlen, optend;

	/* the fixed header in five words: ports, seq, ack, offset-flags-window,
	 * checksum-urgent pointer */
	GET_BE_U_4(ports, off);
	GET_BE_U_4(seq, off + 4);
	GET_BE_U_4(ack, off + 8);
	GET_BE_U_4(w12, off + 12);
	GET_BE_U_4(w16, off + 16);
	if (end < off + 20)
		return fail(pkt, CAP_MALFORMED, N_("IP payload too short for a TCP header"));
	pkt->sport = (uint16_t)(ports >> 16);
	pkt->dport = (uint16_t)ports;
	pkt->seq = seq;
	pkt->ack = ack;
	pkt->win = (uint16_t)w12;
	pkt->cksum = (uint16_t)(w16 >> 16);
	pkt->urp = (uint16_t)w16;
	pkt->flags = (uint16_t)((w12 >> 16 & 0xff) | ((w12 >> 24 & 0x01) ? TT_AE : 0));
	thlen = (w12 >> 28) * 4;
	pkt->thlen = (uint8_t)thlen;
	if (thlen < 20)
		return fail(pkt, CAP_MALFORMED, N_("TCP data offset below 5"));
	if (off + thlen > end)
		return fail(pkt, CAP_MALFORMED, N_("TCP header longer than the IP payload"));
	pkt->len = end - off - thlen;
	pkt->payload_off = off + thlen;
	pkt->caplen_payload = c.len > pkt->payload_off ? c.len - pkt->payload_off : 0;
	if (pkt->caplen_payload > pkt->len)
		pkt->caplen_payload = pkt->len;
	optend = off + thlen;
	if (optend > c.len) {
		optend = c.len;
		pkt->opt.bad = 1;
	}
	dec_tcpopts(c, off + 20, optend, &pkt->opt);
	pkt->status = CAP_TCP;
	pkt->why = NULL;
	return CAP_TCP;
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("TCP header cut off by the capture length"));
}

/* ---- tunnels --------------------------------------------------------------- */

/* VXLAN (RFC 7348) and Geneve (RFC 8926) carry Ethernet frames in UDP. */
static enum cap_status
dec_udp(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t sport, dport;

	GET_BE_U_2(sport, off);
	GET_BE_U_2(dport, off + 2);
	if (dport == 4789 || sport == 4789) {
		TCHECK(off + 8, 8);
		return dec_ether(c, off + 16, pkt, depth + 1);
	}
	if (dport == 6081) {
		uint8_t optlen;
		uint16_t proto;
		uint32_t inner;

		GET_U_1(optlen, off + 8);
		GET_BE_U_2(proto, off + 10);
		inner = off + 16 + (uint32_t)(optlen & 0x3f) * 4;
		if (proto == 0x6558)
			return dec_ether(c, inner, pkt, depth + 1);
		if (proto == 0x0800 || proto == 0x86dd)
			return dec_ip(c, inner, pkt, depth + 1);
	}
trunc:  /* a UDP datagram all the same */
	return fail(pkt, CAP_NOT_TCP, N_("UDP"));
}

/* RFC 2784/2890 GRE, with PPTP's version 1 and WCCP redirection. */
static enum cap_status
dec_gre(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t fl, proto;
	uint32_t p = off + 4;

	GET_BE_U_2(fl, off);
	GET_BE_U_2(proto, off + 2);
	if (fl & 0x8000)
		p += 4;             /* checksum + reserved */
	if (fl & 0x2000)
		p += 4;             /* key */
	if (fl & 0x1000)
		p += 4;             /* sequence number */
	if ((fl & 7) == 1 && (fl & 0x0080))
		p += 4;             /* PPTP acknowledgment */
	switch (proto) {
	case 0x0800:
	case 0x86dd:
		return dec_ip(c, p, pkt, depth + 1);
	case 0x6558:
		return dec_ether(c, p, pkt, depth + 1);
	case 0x883e:                /* WCCP: a 4-byte redirect header, then IP */
		return dec_ip(c, p + 4, pkt, depth + 1);
	default:
		return fail(pkt, CAP_NOT_TCP, N_("GRE payload other than IP"));
	}
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("GRE header cut off"));
}

/* The transport layer or a tunnel inside it. */
static enum cap_status
dec_proto(struct cur c, uint8_t proto, uint32_t off, uint32_t end, struct cap_pkt *pkt,
          int depth)
{
	pkt->ipproto = proto;
	if (depth > MAX_DEPTH)
		return fail(pkt, CAP_UNSUPPORTED, N_("too many nested tunnels"));
	switch (proto) {
	case 6:
		return dec_tcp(c, off, end, pkt);
	case 4:
	case 41:
		return dec_ip(c, off, pkt, depth + 1);
	case 17:
		return dec_udp(c, off, pkt, depth);
	case 47:
		return dec_gre(c, off, pkt, depth);
	case 51: {      /* RFC 4302 AH: (payload length + 2) 32-bit words */
		uint8_t next, words;

		GET_U_1(next, off);
		GET_U_1(words, off + 1);
		return dec_proto(c, next, off + ((uint32_t)words + 2) * 4, end, pkt, depth + 1);
	}
	default:
		return fail(pkt, CAP_NOT_TCP, N_("not TCP"));
	}
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("IPsec AH header cut off"));
}

/* ---- IP -------------------------------------------------------------------- */

/* An IPv4 header's first three words: version-IHL-TOS-length,
 * id-fragment, TTL-protocol-checksum; and the addresses after them. */
#define GET_IPV4_WORDS(w, off) \
	do { \
		GET_BE_U_4((w)[0], (off)); \
		GET_BE_U_4((w)[1], (off) + 4); \
		GET_BE_U_4((w)[2], (off) + 8); \
	} while (0)
#define GET_IPV4_ADDRS(pkt, off) \
	do { \
		GET_BYTES((pkt)->src, (off) + 12, 4); \
		GET_BYTES((pkt)->dst, (off) + 16, 4); \
	} while (0)

/* What an IPv4 header says of itself, from its first words and its length
 * with options (the addresses are the caller's to read, over zeros). */
static inline void
ipv4_header(struct cap_pkt *pkt, const uint32_t w[3], uint32_t hl)
{
	pkt->ipver = 4;
	pkt->ip_hlen = (uint8_t)hl;
	pkt->ip_id = (uint16_t)(w[1] >> 16);
	pkt->ttl = (uint8_t)(w[2] >> 24);
}

/* ... and of the datagram it heads: protocol, where it starts, its length. */
static inline void
ipv4_datagram(struct cap_pkt *pkt, uint8_t proto, uint32_t off, uint32_t tot)
{
	pkt->ipproto = proto;
	pkt->ip_off = off;
	pkt->ip_len = tot;
}

/* RFC 791 IPv4, its options skipped by IHL. */
static enum cap_status
dec_ipv4(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	const char *cut = N_("IPv4 header cut off by the capture length");
	uint32_t w[3], hl, tot;
	uint16_t frag;
	uint8_t proto;

	GET_IPV4_WORDS(w, off);
	TCHECK(off + 12, 8);
	hl = (w[0] >> 24 & 15) * 4;
	if (hl < 20)
		return fail(pkt, CAP_MALFORMED, N_("IPv4 header length below 20 bytes"));
	cut = N_("IPv4 options cut off by the capture length");
	TCHECK(off, hl);
	frag = (uint16_t)w[1];
	proto = (uint8_t)(w[2] >> 16);
	ipv4_header(pkt, w, hl);
	memset(pkt->src, 0, sizeof pkt->src);   /* an outer IPv6 header's */
	memset(pkt->dst, 0, sizeof pkt->dst);
	GET_IPV4_ADDRS(pkt, off);
	tot = w[0] & 0xffff;
	if (tot == 0)               /* TSO/GSO: the length is left to the NIC */
		tot = c.len - off;
	if (tot < hl)
		return fail(pkt, CAP_MALFORMED, N_("IPv4 total length shorter than its header"));
	if ((frag & 0x3fff) && proto != 6)
		return fail(pkt, CAP_NOT_TCP, N_("not TCP"));
	ipv4_datagram(pkt, proto, off, tot);
	if (frag & 0x3fff) {
		pkt->frag_off = (uint16_t)((frag & 0x1fff) * 8);
		pkt->frag_more = (frag & 0x2000) != 0;
		return fail(pkt, CAP_FRAGMENT, N_("IPv4 fragment (not reassembled)"));
	}
	return dec_proto(c, proto, off + hl, off + tot, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, cut);
}

/* RFC 2675: a hop-by-hop header [p, p + hlen) may carry the jumbo payload
 * length (option 0xC2); the datagram's end by it (from start, the end of
 * the fixed header), or dend when the option is absent or cut off. */
static uint32_t
jumbo_end(struct cur c, uint32_t p, uint32_t hlen, uint32_t start, uint32_t dend)
{
	for (uint32_t q = p + 2; q + 6 <= p + hlen;) {
		uint8_t t, l;

		GET_U_1(t, q);
		if (t == 0) {       /* Pad1 */
			q++;
			continue;
		}
		GET_U_1(l, q + 1);
		if (t == 0xc2 && l == 4) {
			uint32_t jumbo;

			GET_BE_U_4(jumbo, q + 2);
			return start + jumbo;
		}
		q += 2u + l;
	}
	return dend;
trunc:
	return dend;
}

/* RFC 8200 IPv6 and its extension headers. */
static enum cap_status
dec_ipv6(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	const char *cut = N_("IPv6 header cut off by the capture length");
	uint32_t p = off + 40, dend;
	uint16_t plen;
	uint8_t next;

	TCHECK(off, 40);
	GET_BE_U_2(plen, off + 4);
	GET_U_1(next, off + 6);
	GET_U_1(pkt->ttl, off + 7);
	pkt->ipver = 6;
	GET_BYTES(pkt->src, off + 8, 16);
	GET_BYTES(pkt->dst, off + 24, 16);
	dend = off + 40 + plen;
	for (int n = 0; n < 16; n++) {
		uint8_t words;
		uint16_t fo;

		cut = N_("IPv6 extension header cut off");
		switch (next) {
		case 0:         /* hop-by-hop: may carry a jumbo payload length */
		case 43:        /* routing */
		case 60:        /* destination options */
		case 135:       /* mobility */
			GET_U_1(words, p + 1);
			if (next == 0 && plen == 0)
				dend = jumbo_end(c, p, ((uint32_t)words + 1) * 8, off + 40, dend);
			GET_U_1(next, p);
			p += ((uint32_t)words + 1) * 8;
			break;
		case 44:        /* fragment */
			GET_BE_U_2(fo, p + 2);
			GET_U_1(next, p);
			if ((fo & 0xfff9) && next != 6)
				return fail(pkt, CAP_NOT_TCP, N_("not TCP"));
			pkt->ipproto = 6;
			if (fo & 0xfff9)
				return fail(pkt, CAP_FRAGMENT, N_("IPv6 fragment (not reassembled)"));
			p += 8;
			break;
		case 51:        /* AH inside IPv6 */
			cut = N_("IPsec AH header cut off");
			GET_U_1(words, p + 1);
			GET_U_1(next, p);
			p += ((uint32_t)words + 2) * 4;
			break;
		default:
			pkt->ip_hlen = (uint8_t)(p - off > 255 ? 255 : p - off);
			if (p > dend)
				return fail(pkt, CAP_MALFORMED, N_("IPv6 extension headers longer than the payload"));
			return dec_proto(c, next, p, dend, pkt, depth);
		}
	}
	return fail(pkt, CAP_MALFORMED, N_("too many IPv6 extension headers"));
trunc:
	return fail(pkt, CAP_TRUNCATED, cut);
}

/* IPv4 or IPv6, by the version in the first byte. */
static enum cap_status
dec_ip(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint8_t v;

	GET_U_1(v, off);
	if (depth > MAX_DEPTH)
		return fail(pkt, CAP_UNSUPPORTED, N_("too many nested tunnels"));
	if (v >> 4 == 4)
		return dec_ipv4(c, off, pkt, depth);
	if (v >> 4 == 6)
		return dec_ipv6(c, off, pkt, depth);
	return fail(pkt, CAP_MALFORMED, N_("IP version neither 4 nor 6"));
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("IP header cut off by the capture length"));
}

/* RFC 3032 MPLS: labels until the bottom of stack, then IP by its version. */
static enum cap_status
dec_mpls(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	for (int i = 0; i < 16; i++) {
		uint32_t l;

		GET_BE_U_4(l, off);
		off += 4;
		if (l & 0x100)
			return dec_ip(c, off, pkt, depth + 1);
	}
	return fail(pkt, CAP_MALFORMED, N_("MPLS label stack too deep"));
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("MPLS label stack cut off"));
}

/* ---- link layers ----------------------------------------------------------- */

static enum cap_status
dec_ethertype(struct cur c, uint16_t type, uint32_t off, struct cap_pkt *pkt, int depth)
{
	switch (type) {
	case 0x0800:
	case 0x86dd:
		return dec_ip(c, off, pkt, depth);
	case 0x8847:
	case 0x8848:
		return dec_mpls(c, off, pkt, depth);
	default:
		return fail(pkt, CAP_NOT_TCP, N_("not IP"));
	}
}

/* IEEE 802.2 LLC with a SNAP header (aa aa 03, OUI, ethertype); anything
 * else carries no IP here. */
static enum cap_status
dec_snap(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint8_t dsap, ssap;
	uint16_t type;

	GET_U_1(dsap, off);
	GET_U_1(ssap, off + 1);
	if (dsap != 0xaa || ssap != 0xaa)
		return fail(pkt, CAP_NOT_TCP, N_("not IP"));
	GET_BE_U_2(type, off + 6);
	return dec_ethertype(c, type, off + 8, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("LLC header cut off"));
}

/* IEEE 802.3 with 802.1Q / 802.1ad tags and LLC/SNAP. */
static enum cap_status
dec_ether(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t type;

	if (depth > MAX_DEPTH)
		return fail(pkt, CAP_UNSUPPORTED, N_("too many nested tunnels"));
	GET_BE_U_2(type, off + 12);
	off += 14;
	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		uint16_t tci;

		GET_BE_U_2(tci, off);
		if (pkt->nvlan < 2)
			pkt->vlan[pkt->nvlan] = tci & 0x0fff;
		if (pkt->nvlan < 255)
			pkt->nvlan++;
		GET_BE_U_2(type, off + 2);
		off += 4;
	}
	if (type <= 1500)           /* 802.3 length: LLC, maybe SNAP */
		return dec_snap(c, off, pkt, depth);
	return dec_ethertype(c, type, off, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("Ethernet header cut off by the capture length"));
}

/* The common case first: Ethernet without tags, IPv4 without options or
 * fragments, then TCP. For it the general path (dec_ether, dec_ip,
 * dec_ipv4, dec_proto) would find nothing else to do: its result comes
 * straight from here, through the same header helpers and dec_tcp. Any
 * other frame, cut ones too, takes the general path; tests/check_capture.c
 * holds the two equal on every frame of the test captures. */
static enum cap_status
dec_ether_fast(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint32_t w[3], ip = off + 14, tot;
	uint16_t type;

	GET_BE_U_2(type, off + 12);
	GET_IPV4_WORDS(w, ip);
	TCHECK(ip + 12, 8);
	tot = w[0] & 0xffff;
	if (type != 0x0800 || w[0] >> 24 != 0x45 || (w[2] >> 16 & 0xff) != 6 ||
	    (w[1] & 0x3fff) != 0 || tot < 20)
		goto trunc;
	ipv4_header(pkt, w, 20);
	GET_IPV4_ADDRS(pkt, ip);        /* the outermost header: over zeros */
	ipv4_datagram(pkt, 6, ip, tot);
	return dec_tcp(c, ip + 20, ip + tot, pkt);
trunc:  /* anything else */
	return dec_ether(c, off, pkt, depth);
}

/* IEEE 802.11 data frames (inside PPI): header, then LLC/SNAP. */
static enum cap_status
dec_wlan(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t fc;
	uint32_t hl = 24;

	GET_LE_U_2(fc, off);
	if (((fc >> 2) & 3) != 2)
		return fail(pkt, CAP_NOT_TCP, N_("802.11 frame without data"));
	if ((fc & 0x0300) == 0x0300)
		hl += 6;                /* four addresses */
	if (fc & 0x0080)
		hl += 2;                /* QoS control */
	if ((fc & 0x8080) == 0x8080)
		hl += 4;                /* HT control */
	if (fc & 0x4000)
		return fail(pkt, CAP_NOT_TCP, N_("encrypted 802.11 frame"));
	TCHECK(off, hl);
	return dec_snap(c, off + hl, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("802.11 header cut off"));
}

/* BSD loopback: the address family. */
static enum cap_status
dec_af(struct cur c, uint32_t af, uint32_t off, struct cap_pkt *pkt, int depth)
{
	switch (af) {
	case 2:                     /* AF_INET */
	case 10: case 24: case 28: case 30: /* AF_INET6: Linux, BSDs, macOS */
		return dec_ip(c, off, pkt, depth);
	default:
		return fail(pkt, CAP_NOT_TCP, N_("not IP"));
	}
}

/* NULL: the family in the writer's byte order (either is accepted). */
static enum cap_status
dec_null(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint32_t af;

	GET_LE_U_4(af, off);
	if (af > 0xffff)
		GET_BE_U_4(af, off);
	return dec_af(c, af, off + 4, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("loopback header cut off"));
}

/* LOOP: the family in network order. */
static enum cap_status
dec_loop(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint32_t af;

	GET_BE_U_4(af, off);
	return dec_af(c, af, off + 4, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("loopback header cut off"));
}

/* Linux cooked v1: 16 bytes, the protocol at 14. */
static enum cap_status
dec_sll(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t proto;

	GET_BE_U_2(proto, off + 14);
	return dec_ethertype(c, proto, off + 16, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("Linux cooked header cut off"));
}

/* Linux cooked v2: 20 bytes, the protocol first. */
static enum cap_status
dec_sll2(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t proto;

	TCHECK(off, 20);
	GET_BE_U_2(proto, off);
	return dec_ethertype(c, proto, off + 20, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("Linux cooked header cut off"));
}

/* PPP, RFC 1661/1662: HDLC address and control maybe, then the protocol
 * in one byte (odd) or two. */
static enum cap_status
dec_ppp(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint8_t a, ctl;
	uint16_t proto;

	GET_U_1(a, off);
	if (a == 0xff) {
		GET_U_1(ctl, off + 1);
		if (ctl == 0x03)
			off += 2;
	}
	GET_U_1(proto, off);
	if (proto & 1) {
		off += 1;
	} else {
		GET_BE_U_2(proto, off);
		off += 2;
	}
	switch (proto) {
	case 0x21: return dec_ip(c, off, pkt, depth);
	case 0x57: return dec_ip(c, off, pkt, depth);
	case 0x281: case 0x283: return dec_mpls(c, off, pkt, depth);
	default: return fail(pkt, CAP_NOT_TCP, N_("not IP"));
	}
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("PPP header cut off"));
}

/* ARCNET (Linux): src, dst, offset[2], type. */
static enum cap_status
dec_arcnet(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint8_t t, x;
	uint32_t hl = 8;

	GET_U_1(t, off + 4);
	if (t == 0xf0 || t == 0xf1) {
		hl = 5;             /* RFC 1051 */
	} else {
		GET_U_1(x, off + 5);
		if (x == 0xff)
			hl = 12;    /* RFC 1201 exception packet */
	}
	if (t != 0xd4 && t != 0xf0)
		return fail(pkt, CAP_NOT_TCP, N_("not IP"));
	return dec_ip(c, off + hl, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("ARCNET header cut off"));
}

/* PPI: version, flags, length (LE), DLT (LE), then a frame of that DLT. */
static enum cap_status
dec_ppi(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t hl;
	uint32_t dlt;

	GET_LE_U_2(hl, off + 2);
	GET_LE_U_4(dlt, off + 4);
	if (depth > 0 || dlt == CAP_LINK_PPI || hl < 8)
		return fail(pkt, CAP_MALFORMED, N_("bad PPI header"));
	return dec_link(c, (int)dlt, off + hl, pkt, depth + 1);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("PPI header cut off"));
}

/* IP over InfiniBand: 40 bytes of addresses, type, reserved. */
static enum cap_status
dec_ipoib(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t proto;

	GET_BE_U_2(proto, off + 40);
	return dec_ethertype(c, proto, off + 44, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("IPoIB header cut off"));
}

/* Juniper Ethernet: "MGC", flags, extensions (a length, then them). */
static enum cap_status
dec_juniper(struct cur c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint8_t magic[3], fl;
	uint16_t ext;
	uint32_t hl = 4;

	TCHECK(off, 4);
	GET_BYTES(magic, off, 3);
	GET_U_1(fl, off + 3);
	if (memcmp(magic, "MGC", 3) != 0)
		return fail(pkt, CAP_MALFORMED, N_("bad Juniper header"));
	if (fl & 0x80) {
		GET_BE_U_2(ext, off + 4);
		hl += 2u + ext;
	}
	if (fl & 0x02)      /* no layer 2: a 4-byte family, then IP */
		return dec_ip(c, off + hl + 4, pkt, depth);
	return dec_ether(c, off + hl, pkt, depth);
trunc:
	return fail(pkt, CAP_TRUNCATED, N_("Juniper header cut off"));
}

/* ---- the link types ---------------------------------------------------------- */

/* Every link type the decoder knows, LINKTYPE_ numbering; the most common
 * first (the table is searched in order). */
static const struct link_type {
	int type;
	const char *name;
	dec_fn *decode;
} link_types[] = {
	{ CAP_LINK_ETHERNET, "Ethernet", dec_ether },
	{ CAP_LINK_SLL, "Linux cooked (SLL)", dec_sll },
	{ CAP_LINK_SLL2, "Linux cooked (SLL2)", dec_sll2 },
	{ CAP_LINK_RAW, "raw IP", dec_ip },
	{ CAP_LINK_NULL, "BSD loopback (NULL)", dec_null },
	{ CAP_LINK_LOOP, "BSD loopback (LOOP)", dec_loop },
	{ CAP_LINK_IPV4, "IPv4", dec_ip },
	{ CAP_LINK_IPV6, "IPv6", dec_ip },
	{ CAP_LINK_RAW_DLT12, "raw IP", dec_ip },
	{ CAP_LINK_RAW_DLT14, "raw IP", dec_ip },
	{ CAP_LINK_PPP, "PPP", dec_ppp },
	{ CAP_LINK_IEEE802_11, "IEEE 802.11", dec_wlan },
	{ CAP_LINK_ARCNET_LINUX, "ARCNET (Linux)", dec_arcnet },
	{ CAP_LINK_PPI, "PPI", dec_ppi },
	{ CAP_LINK_IPOIB, "IP over InfiniBand", dec_ipoib },
	{ CAP_LINK_JUNIPER_ETHER, "Juniper Ethernet", dec_juniper },
};

static const struct link_type *
link_type(int linktype)
{
	for (size_t i = 0; i < sizeof link_types / sizeof link_types[0]; i++)
		if (link_types[i].type == linktype)
			return &link_types[i];
	return NULL;
}

static enum cap_status
dec_link(struct cur c, int linktype, uint32_t off, struct cap_pkt *pkt, int depth)
{
	const struct link_type *lt = link_type(linktype);

	if (lt == NULL)
		return fail(pkt, CAP_UNSUPPORTED, N_("unsupported link type"));
	return lt->decode(c, off, pkt, depth);
}

const char *
cap_link_name(int linktype)
{
	const struct link_type *lt = link_type(linktype);

	return lt != NULL ? lt->name : NULL;
}

/* Zeros to start each frame's struct from. Copied rather than cleared with
 * memset: compilers clear a struct this size in place with a string
 * instruction that is slow to start, and this runs once a frame. (An
 * all-zero template is copied as it is; one with other values compilers
 * turn back into memset.) */
static const struct cap_pkt zero_pkt;

static void
fresh_pkt(struct cap_pkt *p)
{
	memcpy(p, &zero_pkt, sizeof *p);
	p->opt.wscale = -1;
}

enum cap_status
cap_decode_general(int linktype, const uint8_t *bytes, uint32_t caplen, struct cap_pkt *out)
{
	struct cur c = { bytes, bytes == NULL ? 0 : caplen };

	fresh_pkt(out);
	return dec_link(c, linktype, 0, out, 0);
}

enum cap_status
cap_decode(int linktype, const uint8_t *bytes, uint32_t caplen, struct cap_pkt *out)
{
	struct cur c = { bytes, bytes == NULL ? 0 : caplen };

	fresh_pkt(out);
	/* most frames: no look-up, and a call the compiler can inline */
	if (linktype == CAP_LINK_ETHERNET)
		return dec_ether_fast(c, 0, out, 0);
	return dec_link(c, linktype, 0, out, 0);
}
