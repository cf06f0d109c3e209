/* capture/encode.c: one TCP segment to the bytes of a raw IP packet.
 *
 * The writer's counterpart of decode.c: an IPv4 header (version 4, IHL 5,
 * DF, TTL 64, protocol 6, header checksum) or an IPv6 header (hop limit 64,
 * next header 6), then a TCP header with the MSS and window scale options
 * when the segment carries them (each padded to 4 bytes) and the checksum over the
 * pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1), then the payload. The result
 * is a LINKTYPE_RAW frame. No pcap, no I/O, nothing allocated.
 */
#include "config.h"

#include <string.h>

#include "capture/capture.h"

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The Internet checksum's running sum (RFC 1071) of n bytes, as if the
 * bytes were padded with a zero to an even length. */
static uint32_t
sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (i < n)
		sum += (uint32_t)(p[i] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static unsigned
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

size_t
cap_encode_tcp(const struct cap_tcp_out *t, uint8_t *out, size_t outlen)
{
	const struct tt_seg *seg = t->seg;
	size_t iplen = t->ipver == 6 ? 40 : 20;
	/* MSS (4 bytes), then NOP and window scale (RFC 7323 §2.2: 3 bytes) */
	size_t optlen = (seg->mss != 0 ? 4 : 0) + (seg->wsopt != 0 ? 4 : 0);
	size_t thlen = 20 + optlen, tcplen = thlen + seg->len, total = iplen + tcplen;
	uint8_t *ip = out, *th = out + iplen;
	uint32_t sum;

	if ((t->ipver != 4 && t->ipver != 6) || (seg->len > 0 && t->payload == NULL))
		return 0;
	/* IPv4 total length and IPv6 payload length are 16 bits */
	if (total > outlen || (t->ipver == 4 ? total : tcplen) > 0xffff)
		return 0;
	memset(out, 0, iplen + thlen);
	if (t->ipver == 4) {
		ip[0] = 0x45;                       /* version 4, IHL 5 */
		ip[1] = seg->ecn & 3;               /* DSCP 0, the ECN field (RFC 3168 §5) */
		put16(ip + 2, (unsigned)total);
		put16(ip + 4, t->ip_id);
		put16(ip + 6, 0x4000);              /* DF, no fragment offset */
		ip[8] = 64;                         /* TTL */
		ip[9] = 6;                          /* TCP */
		memcpy(ip + 12, t->src, 4);
		memcpy(ip + 16, t->dst, 4);
		put16(ip + 10, fold(sum_bytes(0, ip, 20)));
	} else {
		ip[0] = 0x60;                       /* version 6, no flow label; the traffic */
		ip[1] = (uint8_t)((seg->ecn & 3) << 4);     /* class's low bits: the ECN field */
		put16(ip + 4, (unsigned)tcplen);
		ip[6] = 6;                          /* next header: TCP */
		ip[7] = 64;                         /* hop limit */
		memcpy(ip + 8, t->src, 16);
		memcpy(ip + 24, t->dst, 16);
	}
	put16(th, t->sport);
	put16(th + 2, t->dport);
	put32(th + 4, seg->seq);
	put32(th + 8, seg->ack);
	/* data offset in the high 4 bits; AE is the bit below them (RFC 9768),
	 * then CWR, ECE, URG, ACK, PSH, RST, SYN, FIN */
	put16(th + 12, (unsigned)(thlen / 4) << 12 | (seg->flags & 0x1ffu));
	put16(th + 14, seg->wnd > 0xffff ? 0xffff : (unsigned)seg->wnd);
	put16(th + 18, seg->up);
	if (seg->mss != 0) {
		th[20] = 2;                         /* MSS, RFC 9293 §3.2 */
		th[21] = 4;
		put16(th + 22, seg->mss);
	}
	if (seg->wsopt != 0) {
		uint8_t *o = th + 20 + (seg->mss != 0 ? 4 : 0);

		o[0] = 1;                           /* NOP, so the next option ends aligned */
		o[1] = 3;                           /* window scale: kind 3, length 3 */
		o[2] = 3;
		o[3] = (uint8_t)(seg->wsopt - 1);
	}
	if (seg->len > 0)
		memcpy(th + thlen, t->payload, seg->len);
	/* the pseudo-header: addresses, protocol, TCP length */
	if (t->ipver == 4) {
		sum = sum_bytes(0, ip + 12, 8);
	} else {
		sum = sum_bytes(0, ip + 8, 32);
		sum += (uint32_t)(tcplen >> 16);
	}
	sum += 6 + (uint32_t)(tcplen & 0xffff);
	sum = sum_bytes(sum, th, tcplen);
	put16(th + 16, fold(sum));
	return total;
}
