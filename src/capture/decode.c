/* capture/decode.c: one frame's bytes to a TCP segment description.
 *
 * cap_decode() is the only entry point and works on (link type, bytes,
 * caplen) alone: no globals, no allocation, no I/O. Every byte is read
 * through the getters below, which check the offset against caplen, or from
 * a fixed-size header they checked as a whole; a read past the end marks the
 * frame truncated instead of touching memory. The
 * layering follows tcpdump's: link layer, then IP (with tunnels: GRE, VXLAN,
 * Geneve, IP in IP, MPLS), then TCP (RFC 9293 §3.1 header, §3.2 options).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "capture/capture.h"
#include "i18n.h"

/* A bounds-checked view of the frame. Any read outside [0, len) sets bad
 * and returns 0; callers test bad after reading a header. A header of fixed
 * size is checked once with span() and its fields read from the span with
 * be16()/be32(), which never look past the bytes span() vouched for. */
struct cur {
	const uint8_t *p;
	uint32_t len;
	int bad;
};

static uint8_t
get_u8(struct cur *c, uint32_t off)
{
	if (off >= c->len) {
		c->bad = 1;
		return 0;
	}
	return c->p[off];
}

static uint16_t
get_be16(struct cur *c, uint32_t off)
{
	if (off > c->len || c->len - off < 2) {
		c->bad = 1;
		return 0;
	}
	return (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
}

static uint16_t
get_le16(struct cur *c, uint32_t off)
{
	if (off > c->len || c->len - off < 2) {
		c->bad = 1;
		return 0;
	}
	return (uint16_t)(c->p[off + 1] << 8 | c->p[off]);
}

static uint32_t
get_be32(struct cur *c, uint32_t off)
{
	if (off > c->len || c->len - off < 4) {
		c->bad = 1;
		return 0;
	}
	return (uint32_t)c->p[off] << 24 | (uint32_t)c->p[off + 1] << 16 |
	       (uint32_t)c->p[off + 2] << 8 | c->p[off + 3];
}

static uint32_t
get_le32(struct cur *c, uint32_t off)
{
	if (off > c->len || c->len - off < 4) {
		c->bad = 1;
		return 0;
	}
	return (uint32_t)c->p[off + 3] << 24 | (uint32_t)c->p[off + 2] << 16 |
	       (uint32_t)c->p[off + 1] << 8 | c->p[off];
}

static int
have(const struct cur *c, uint32_t off, uint32_t n)
{
	return off <= c->len && c->len - off >= n;
}

/* The n bytes at off, or NULL when the frame ends before them. */
static const uint8_t *
span(const struct cur *c, uint32_t off, uint32_t n)
{
	return have(c, off, n) ? c->p + off : NULL;
}

/* Fields inside a span: h + i + 1 (or + 3) lies within it. */
static uint16_t
be16(const uint8_t *h, uint32_t i)
{
	return (uint16_t)(h[i] << 8 | h[i + 1]);
}

static uint32_t
be32(const uint8_t *h, uint32_t i)
{
	return (uint32_t)h[i] << 24 | (uint32_t)h[i + 1] << 16 | (uint32_t)h[i + 2] << 8 | h[i + 3];
}

static void
get_bytes(struct cur *c, uint32_t off, uint8_t *dst, uint32_t n)
{
	if (!have(c, off, n)) {
		c->bad = 1;
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, c->p + off, n);
}

static enum cap_status
fail(struct cap_pkt *pkt, enum cap_status st, const char *why)
{
	pkt->status = st;
	pkt->why = why;
	return st;
}

/* Tunnels may nest; a bound keeps a crafted frame from recursing forever. */
#define MAX_DEPTH 8

static enum cap_status dec_link(struct cur *c, int linktype, uint32_t off, struct cap_pkt *pkt,
                                int depth);
static enum cap_status dec_ether(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth);
static enum cap_status dec_ip(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth);

/* RFC 9293 §3.2: the option list. Kinds 0 (end), 1 (no-op), 2 (MSS);
 * RFC 7323: 3 (window scale), 8 (timestamps); RFC 2018: 4, 5 (SACK). */
static void
dec_tcpopts(struct cur *c, uint32_t off, uint32_t end, struct cap_tcpopts *o)
{
	while (off < end) {
		uint8_t kind = get_u8(c, off), len;

		if (c->bad)
			return;
		if (kind == 0)
			return;
		if (kind == 1) {
			off++;
			continue;
		}
		len = get_u8(c, off + 1);
		if (c->bad || len < 2 || off + len > end) {
			o->bad = 1;
			return;
		}
		switch (kind) {
		case 2:
			if (len == 4)
				o->mss = get_be16(c, off + 2);
			break;
		case 3:
			if (len == 3)
				o->wscale = get_u8(c, off + 2);
			break;
		case 4:
			o->sack_ok = 1;
			break;
		case 5:
			for (uint32_t i = 2; i + 8 <= len && o->nsack < CAP_MAX_SACK; i += 8) {
				o->sack[o->nsack][0] = get_be32(c, off + i);
				o->sack[o->nsack][1] = get_be32(c, off + i + 4);
				o->nsack++;
			}
			break;
		case 8:
			if (len == 10) {
				o->has_ts = 1;
				o->tsval = get_be32(c, off + 2);
				o->tsecr = get_be32(c, off + 6);
			}
			break;
		default:
			if (o->nother < 255)
				o->nother++;
		}
		if (c->bad)
			return;
		off += len;
	}
}

/* RFC 9293 §3.1. `end` is where the IP datagram says the segment ends (it
 * may lie beyond the captured bytes when the capture was cut short). */
static enum cap_status
dec_tcp(struct cur *c, uint32_t off, uint32_t end, struct cap_pkt *pkt)
{
	const uint8_t *h = span(c, off, 20);
	uint32_t thlen, optend;

	if (h == NULL)
		return fail(pkt, CAP_TRUNCATED, N_("TCP header cut off by the capture length"));
	if (end < off + 20)
		return fail(pkt, CAP_MALFORMED, N_("IP payload too short for a TCP header"));
	pkt->sport = be16(h, 0);
	pkt->dport = be16(h, 2);
	pkt->seq = be32(h, 4);
	pkt->ack = be32(h, 8);
	pkt->flags = (uint16_t)(h[13] | ((h[12] & 0x01) ? TT_AE : 0));
	pkt->win = be16(h, 14);
	pkt->cksum = be16(h, 16);
	pkt->urp = be16(h, 18);
	thlen = (uint32_t)(h[12] >> 4) * 4;
	pkt->thlen = (uint8_t)thlen;
	if (thlen < 20)
		return fail(pkt, CAP_MALFORMED, N_("TCP data offset below 5"));
	if (off + thlen > end)
		return fail(pkt, CAP_MALFORMED, N_("TCP header longer than the IP payload"));
	pkt->len = end - off - thlen;
	pkt->payload_off = off + thlen;
	pkt->caplen_payload = c->len > pkt->payload_off ? c->len - pkt->payload_off : 0;
	if (pkt->caplen_payload > pkt->len)
		pkt->caplen_payload = pkt->len;
	optend = off + thlen;
	if (optend > c->len) {
		optend = c->len;
		pkt->opt.bad = 1;
	}
	dec_tcpopts(c, off + 20, optend, &pkt->opt);
	c->bad = 0;
	pkt->status = CAP_TCP;
	pkt->why = NULL;
	return CAP_TCP;
}

/* VXLAN (RFC 7348) and Geneve (RFC 8926) carry Ethernet frames in UDP. */
static enum cap_status
dec_udp(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t sport = get_be16(c, off), dport = get_be16(c, off + 2);

	if (c->bad)
		return fail(pkt, CAP_NOT_TCP, N_("UDP"));
	if (dport == 4789 || sport == 4789) {
		if (!have(c, off + 8, 8))
			return fail(pkt, CAP_NOT_TCP, N_("UDP"));
		return dec_ether(c, off + 16, pkt, depth + 1);
	}
	if (dport == 6081) {
		uint8_t optlen = get_u8(c, off + 8) & 0x3f;
		uint16_t proto = get_be16(c, off + 10);
		uint32_t inner = off + 16 + (uint32_t)optlen * 4;

		if (c->bad)
			return fail(pkt, CAP_NOT_TCP, N_("UDP"));
		if (proto == 0x6558)
			return dec_ether(c, inner, pkt, depth + 1);
		if (proto == 0x0800 || proto == 0x86dd)
			return dec_ip(c, inner, pkt, depth + 1);
	}
	return fail(pkt, CAP_NOT_TCP, N_("UDP"));
}

/* RFC 2784/2890 GRE, with PPTP's version 1 and WCCP redirection. */
static enum cap_status
dec_gre(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t fl = get_be16(c, off), proto = get_be16(c, off + 2);
	uint32_t p = off + 4;

	if (c->bad)
		return fail(pkt, CAP_TRUNCATED, N_("GRE header cut off"));
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
}

/* The transport layer or a tunnel inside it. */
static enum cap_status
dec_proto(struct cur *c, uint8_t proto, uint32_t off, uint32_t end, struct cap_pkt *pkt,
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
		uint8_t next = get_u8(c, off);
		uint32_t len = ((uint32_t)get_u8(c, off + 1) + 2) * 4;

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("IPsec AH header cut off"));
		return dec_proto(c, next, off + len, end, pkt, depth + 1);
	}
	default:
		return fail(pkt, CAP_NOT_TCP, N_("not TCP"));
	}
}

/* An IPv4 header (h, hl bytes with options, checked by the caller) in pkt:
 * what it says of itself, then of the datagram it heads. Used by dec_ip
 * and by cap_decode's shortcut alike. */
static void
ipv4_header(struct cap_pkt *pkt, const uint8_t *h, uint32_t hl)
{
	pkt->ipver = 4;
	pkt->ip_hlen = (uint8_t)hl;
	pkt->ip_id = be16(h, 4);
	pkt->ttl = h[8];
	memset(pkt->src, 0, sizeof pkt->src);   /* an outer IPv6 header's */
	memset(pkt->dst, 0, sizeof pkt->dst);
	memcpy(pkt->src, h + 12, 4);
	memcpy(pkt->dst, h + 16, 4);
}

static void
ipv4_datagram(struct cap_pkt *pkt, uint8_t proto, uint32_t off, uint32_t tot)
{
	pkt->ipproto = proto;
	pkt->ip_off = off;
	pkt->ip_len = tot;
}

/* RFC 791 IPv4 (options skipped by IHL) and RFC 8200 IPv6 with extension
 * headers. `end` bounds the datagram for inner packets of tunnels. */
static enum cap_status
dec_ip(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint8_t v = get_u8(c, off);

	if (c->bad)
		return fail(pkt, CAP_TRUNCATED, N_("IP header cut off by the capture length"));
	if (depth > MAX_DEPTH)
		return fail(pkt, CAP_UNSUPPORTED, N_("too many nested tunnels"));
	if (v >> 4 == 4) {
		const uint8_t *h = span(c, off, 20);
		uint32_t hl = (uint32_t)(v & 15) * 4, tot, dend;
		uint16_t frag;
		uint8_t proto;

		if (h == NULL)
			return fail(pkt, CAP_TRUNCATED, N_("IPv4 header cut off by the capture length"));
		if (hl < 20)
			return fail(pkt, CAP_MALFORMED, N_("IPv4 header length below 20 bytes"));
		if (!have(c, off, hl))
			return fail(pkt, CAP_TRUNCATED, N_("IPv4 options cut off by the capture length"));
		tot = be16(h, 2);
		frag = be16(h, 6);
		proto = h[9];
		ipv4_header(pkt, h, hl);
		if (tot == 0)           /* TSO/GSO: the length is left to the NIC */
			tot = c->len - off;
		if (tot < hl)
			return fail(pkt, CAP_MALFORMED, N_("IPv4 total length shorter than its header"));
		dend = off + tot;
		if ((frag & 0x3fff) && proto != 6)
			return fail(pkt, CAP_NOT_TCP, N_("not TCP"));
		ipv4_datagram(pkt, proto, off, tot);
		if (frag & 0x3fff) {
			pkt->frag_off = (uint16_t)((frag & 0x1fff) * 8);
			pkt->frag_more = (frag & 0x2000) != 0;
			return fail(pkt, CAP_FRAGMENT, N_("IPv4 fragment (not reassembled)"));
		}
		return dec_proto(c, proto, off + hl, dend, pkt, depth);
	}
	if (v >> 4 == 6) {
		uint32_t plen, p, dend;
		uint8_t next;

		if (!have(c, off, 40))
			return fail(pkt, CAP_TRUNCATED, N_("IPv6 header cut off by the capture length"));
		plen = get_be16(c, off + 4);
		next = get_u8(c, off + 6);
		pkt->ipver = 6;
		pkt->ttl = get_u8(c, off + 7);
		get_bytes(c, off + 8, pkt->src, 16);
		get_bytes(c, off + 24, pkt->dst, 16);
		p = off + 40;
		dend = off + 40 + plen;
		for (int n = 0; n < 16; n++) {
			uint32_t hlen;

			switch (next) {
			case 0:         /* hop-by-hop: may carry a jumbo payload length */
			case 43:        /* routing */
			case 60:        /* destination options */
			case 135:       /* mobility */
				hlen = ((uint32_t)get_u8(c, p + 1) + 1) * 8;
				if (c->bad)
					return fail(pkt, CAP_TRUNCATED, N_("IPv6 extension header cut off"));
				if (next == 0 && plen == 0) {
					/* RFC 2675: option 0xC2 carries the length */
					for (uint32_t q = p + 2; q + 6 <= p + hlen;) {
						uint8_t t = get_u8(c, q);

						if (t == 0) {
							q++;
							continue;
						}
						if (t == 0xc2 && get_u8(c, q + 1) == 4) {
							dend = off + 40 + get_be32(c, q + 2);
							break;
						}
						q += 2u + get_u8(c, q + 1);
						if (c->bad)
							break;
					}
					c->bad = 0;
				}
				next = get_u8(c, p);
				p += hlen;
				break;
			case 44: {      /* fragment */
				uint16_t fo = get_be16(c, p + 2);

				if (c->bad)
					return fail(pkt, CAP_TRUNCATED, N_("IPv6 extension header cut off"));
				if ((fo & 0xfff9) && get_u8(c, p) != 6)
					return fail(pkt, CAP_NOT_TCP, N_("not TCP"));
				pkt->ipproto = 6;
				if (fo & 0xfff9)
					return fail(pkt, CAP_FRAGMENT, N_("IPv6 fragment (not reassembled)"));
				next = get_u8(c, p);
				p += 8;
				break;
			}
			case 51: {      /* AH inside IPv6 */
				hlen = ((uint32_t)get_u8(c, p + 1) + 2) * 4;
				next = get_u8(c, p);
				if (c->bad)
					return fail(pkt, CAP_TRUNCATED, N_("IPsec AH header cut off"));
				p += hlen;
				break;
			}
			default:
				pkt->ip_hlen = (uint8_t)(p - off > 255 ? 255 : p - off);
				if (p > dend)
					return fail(pkt, CAP_MALFORMED, N_("IPv6 extension headers longer than the payload"));
				return dec_proto(c, next, p, dend, pkt, depth);
			}
		}
		return fail(pkt, CAP_MALFORMED, N_("too many IPv6 extension headers"));
	}
	return fail(pkt, CAP_MALFORMED, N_("IP version neither 4 nor 6"));
}

/* RFC 3032 MPLS: labels until the bottom of stack, then IP by its version. */
static enum cap_status
dec_mpls(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	for (int i = 0; i < 16; i++) {
		uint32_t l = get_be32(c, off);

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("MPLS label stack cut off"));
		off += 4;
		if (l & 0x100)
			return dec_ip(c, off, pkt, depth + 1);
	}
	return fail(pkt, CAP_MALFORMED, N_("MPLS label stack too deep"));
}

static enum cap_status
dec_ethertype(struct cur *c, uint16_t type, uint32_t off, struct cap_pkt *pkt, int depth)
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

/* IEEE 802.3 with 802.1Q / 802.1ad tags and LLC/SNAP. */
static enum cap_status
dec_ether(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t type;

	if (depth > MAX_DEPTH)
		return fail(pkt, CAP_UNSUPPORTED, N_("too many nested tunnels"));
	type = get_be16(c, off + 12);
	off += 14;
	while (!c->bad && (type == 0x8100 || type == 0x88a8 || type == 0x9100)) {
		if (pkt->nvlan < 2)
			pkt->vlan[pkt->nvlan] = get_be16(c, off) & 0x0fff;
		if (pkt->nvlan < 255)
			pkt->nvlan++;
		type = get_be16(c, off + 2);
		off += 4;
	}
	if (c->bad)
		return fail(pkt, CAP_TRUNCATED, N_("Ethernet header cut off by the capture length"));
	if (type <= 1500) {         /* 802.3 length: LLC, maybe SNAP */
		if (get_u8(c, off) == 0xaa && get_u8(c, off + 1) == 0xaa && !c->bad) {
			type = get_be16(c, off + 6);
			off += 8;
		} else {
			return fail(pkt, CAP_NOT_TCP, N_("not IP"));
		}
		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("LLC header cut off"));
	}
	return dec_ethertype(c, type, off, pkt, depth);
}

/* IEEE 802.11 data frames (inside PPI): header, then LLC/SNAP. */
static enum cap_status
dec_wlan(struct cur *c, uint32_t off, struct cap_pkt *pkt, int depth)
{
	uint16_t fc = get_le16(c, off);
	uint32_t hl = 24;

	if (c->bad)
		return fail(pkt, CAP_TRUNCATED, N_("802.11 header cut off"));
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
	off += hl;
	if (get_u8(c, off) != 0xaa || get_u8(c, off + 1) != 0xaa)
		return fail(pkt, c->bad ? CAP_TRUNCATED : CAP_NOT_TCP, N_("not IP"));
	return dec_ethertype(c, get_be16(c, off + 6), off + 8, pkt, depth);
}

/* BSD loopback: the address family, in host order for NULL (either byte
 * order is accepted), network order for LOOP. */
static enum cap_status
dec_af(struct cur *c, uint32_t af, uint32_t off, struct cap_pkt *pkt, int depth)
{
	switch (af) {
	case 2:                     /* AF_INET */
	case 10: case 24: case 28: case 30: /* AF_INET6: Linux, BSDs, macOS */
		return dec_ip(c, off, pkt, depth);
	default:
		return fail(pkt, CAP_NOT_TCP, N_("not IP"));
	}
}

static enum cap_status
dec_link(struct cur *c, int linktype, uint32_t off, struct cap_pkt *pkt, int depth)
{
	switch (linktype) {
	case CAP_LINK_ETHERNET:
		return dec_ether(c, off, pkt, depth);
	case CAP_LINK_NULL: {
		uint32_t af = get_le32(c, off);

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("loopback header cut off"));
		if (af > 0xffff)
			af = get_be32(c, off);
		return dec_af(c, af, off + 4, pkt, depth);
	}
	case CAP_LINK_LOOP: {
		uint32_t af = get_be32(c, off);

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("loopback header cut off"));
		return dec_af(c, af, off + 4, pkt, depth);
	}
	case CAP_LINK_RAW:
	case 12:                    /* DLT_RAW on most systems */
	case 14:                    /* DLT_RAW on OpenBSD */
	case CAP_LINK_IPV4:
	case CAP_LINK_IPV6:
		return dec_ip(c, off, pkt, depth);
	case CAP_LINK_SLL: {        /* 16 bytes: ..., protocol at 14 */
		uint16_t proto = get_be16(c, off + 14);

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("Linux cooked header cut off"));
		return dec_ethertype(c, proto, off + 16, pkt, depth);
	}
	case CAP_LINK_SLL2: {       /* 20 bytes: protocol first */
		uint16_t proto = get_be16(c, off);

		if (!have(c, off, 20))
			return fail(pkt, CAP_TRUNCATED, N_("Linux cooked header cut off"));
		return dec_ethertype(c, proto, off + 20, pkt, depth);
	}
	case 9: {                   /* PPP, RFC 1661/1662 */
		uint16_t proto;

		if (get_u8(c, off) == 0xff && get_u8(c, off + 1) == 0x03)
			off += 2;
		proto = get_u8(c, off);
		if (proto & 1)
			off += 1;
		else {
			proto = get_be16(c, off);
			off += 2;
		}
		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("PPP header cut off"));
		switch (proto) {
		case 0x21: return dec_ip(c, off, pkt, depth);
		case 0x57: return dec_ip(c, off, pkt, depth);
		case 0x281: case 0x283: return dec_mpls(c, off, pkt, depth);
		default: return fail(pkt, CAP_NOT_TCP, N_("not IP"));
		}
	}
	case 105:                   /* IEEE 802.11 */
		return dec_wlan(c, off, pkt, depth);
	case 129: {                 /* ARCNET (Linux): src, dst, offset[2], type */
		uint8_t t = get_u8(c, off + 4);
		uint32_t hl = 8;

		if (t == 0xf0 || t == 0xf1)
			hl = 5;             /* RFC 1051 */
		else if (get_u8(c, off + 5) == 0xff)
			hl = 12;            /* RFC 1201 exception packet */
		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("ARCNET header cut off"));
		if (t != 0xd4 && t != 0xf0)
			return fail(pkt, CAP_NOT_TCP, N_("not IP"));
		return dec_ip(c, off + hl, pkt, depth);
	}
	case 192: {                 /* PPI: version, flags, length (LE), DLT (LE) */
		uint16_t hl = get_le16(c, off + 2);
		uint32_t dlt = get_le32(c, off + 4);

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("PPI header cut off"));
		if (depth > 0 || dlt == 192 || hl < 8)
			return fail(pkt, CAP_MALFORMED, N_("bad PPI header"));
		return dec_link(c, (int)dlt, off + hl, pkt, depth + 1);
	}
	case 242: {                 /* IP over InfiniBand: 40 bytes of addresses,
	                             * type, reserved */
		uint16_t proto = get_be16(c, off + 40);

		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("IPoIB header cut off"));
		return dec_ethertype(c, proto, off + 44, pkt, depth);
	}
	case 178: {                 /* Juniper Ethernet: "MGC", flags, extensions */
		uint8_t fl = get_u8(c, off + 3);
		uint32_t hl = 4;

		if (get_u8(c, off) != 'M' || get_u8(c, off + 1) != 'G' || get_u8(c, off + 2) != 'C')
			return fail(pkt, c->bad ? CAP_TRUNCATED : CAP_MALFORMED,
			            N_("bad Juniper header"));
		if (fl & 0x80)
			hl += 2u + get_be16(c, off + 4);
		if (c->bad)
			return fail(pkt, CAP_TRUNCATED, N_("Juniper header cut off"));
		if (fl & 0x02)      /* no layer 2: a 4-byte family, then IP */
			return dec_ip(c, off + hl + 4, pkt, depth);
		return dec_ether(c, off + hl, pkt, depth);
	}
	default:
		return fail(pkt, CAP_UNSUPPORTED, N_("unsupported link type"));
	}
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
	struct cur c = { bytes, bytes == NULL ? 0 : caplen, 0 };

	fresh_pkt(out);
	return dec_link(&c, linktype, 0, out, 0);
}

/* Most frames are Ethernet, IPv4 without options or fragments, then TCP:
 * the general path's result for them comes straight from here (dec_ether,
 * dec_ip and dec_proto would each find nothing else to do); the TCP header
 * goes through dec_tcp as always. tests/check_capture.c holds the two
 * paths equal on every frame of the test captures. */
enum cap_status
cap_decode(int linktype, const uint8_t *bytes, uint32_t caplen, struct cap_pkt *out)
{
	struct cur c = { bytes, caplen, 0 };
	const uint8_t *h;
	uint32_t tot;

	if (linktype != CAP_LINK_ETHERNET || bytes == NULL || caplen < 14 + 20 + 20)
		return cap_decode_general(linktype, bytes, caplen, out);
	h = bytes + 14;
	if (bytes[12] != 0x08 || bytes[13] != 0x00 || h[0] != 0x45 || h[9] != 6 ||
	    (be16(h, 6) & 0x3fff) != 0 || (tot = be16(h, 2)) < 20)
		return cap_decode_general(linktype, bytes, caplen, out);
	fresh_pkt(out);
	ipv4_header(out, h, 20);
	ipv4_datagram(out, 6, 14, tot);
	return dec_tcp(&c, 14 + 20, 14 + tot, out);
}

const char *
cap_link_name(int linktype)
{
	switch (linktype) {
	case CAP_LINK_NULL: return "BSD loopback (NULL)";
	case CAP_LINK_ETHERNET: return "Ethernet";
	case CAP_LINK_RAW: case 12: case 14: return "raw IP";
	case CAP_LINK_LOOP: return "BSD loopback (LOOP)";
	case CAP_LINK_SLL: return "Linux cooked (SLL)";
	case CAP_LINK_SLL2: return "Linux cooked (SLL2)";
	case CAP_LINK_IPV4: return "IPv4";
	case CAP_LINK_IPV6: return "IPv6";
	case 9: return "PPP";
	case 105: return "IEEE 802.11";
	case 129: return "ARCNET (Linux)";
	case 192: return "PPI";
	case 242: return "IP over InfiniBand";
	case 178: return "Juniper Ethernet";
	default: return NULL;
	}
}

/* Appends the decimal digits of v (a port or an octet: at most 65535) at
 * p; returns the end. Straight into place, most significant first. */
static char *
put_dec(char *p, unsigned v)
{
	if (v >= 10000)
		*p++ = (char)('0' + v / 10000);
	if (v >= 1000)
		*p++ = (char)('0' + v / 1000 % 10);
	if (v >= 100)
		*p++ = (char)('0' + v / 100 % 10);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* Appends the lower-case hex digits of a 16-bit group (no leading zeros). */
static char *
put_hex(char *p, unsigned v)
{
	static const char hex[] = "0123456789abcdef";

	if (v >= 0x1000)
		*p++ = hex[v >> 12 & 15];
	if (v >= 0x100)
		*p++ = hex[v >> 8 & 15];
	if (v >= 0x10)
		*p++ = hex[v >> 4 & 15];
	*p++ = hex[v & 15];
	return p;
}

char *
cap_endpoint(int ipver, const uint8_t *a, uint16_t port, char *buf, size_t len)
{
	if (ipver == 4) {
		/* by hand: a table row needs two of these per segment */
		char t[24], *p = t;

		for (int i = 0; i < 4; i++) {
			p = put_dec(p, a[i]);
			*p++ = i < 3 ? '.' : ':';
		}
		p = put_dec(p, port);
		*p = '\0';
		if (len > (size_t)(p - t))
			memcpy(buf, t, (size_t)(p - t) + 1);
		else if (len > 0)
			snprintf(buf, len, "%s", t);
		return buf;
	}
	/* RFC 5952: lower case, longest run of two or more zero groups as "::" */
	{
		char s[48];
		unsigned g[8];
		int best = -1, bestlen = 1, i, n = 0;

		for (i = 0; i < 8; i++)
			g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		for (i = 0; i < 8; i++) {
			int j = i;

			while (j < 8 && g[j] == 0)
				j++;
			if (j - i > bestlen) {
				best = i;
				bestlen = j - i;
			}
			if (j > i)
				i = j - 1;
		}
		/* by hand too (a SYN flood's streams each have a new address):
		 * "[", the groups, "]:port" */
		s[n++] = '[';
		if (best == 0 && bestlen == 5 && g[5] == 0xffff) {
			/* IPv4-mapped ::ffff:a.b.c.d */
			memcpy(s + n, "::ffff:", 7);
			n += 7;
			for (i = 12; i < 16; i++) {
				n = (int)(put_dec(s + n, a[i]) - s);
				if (i < 15)
					s[n++] = '.';
			}
		} else {
			for (i = 0; i < 8; i++) {
				if (i == best) {
					s[n++] = ':';
					s[n++] = ':';
					i += bestlen - 1;
					continue;
				}
				if (n > 1 && s[n - 1] != ':')
					s[n++] = ':';
				n = (int)(put_hex(s + n, g[i]) - s);
			}
		}
		s[n++] = ']';
		s[n++] = ':';
		n = (int)(put_dec(s + n, port) - s);
		s[n] = '\0';
		if (len > (size_t)n)
			memcpy(buf, s, (size_t)n + 1);
		else if (len > 0)
			snprintf(buf, len, "%s", s);
	}
	return buf;
}
