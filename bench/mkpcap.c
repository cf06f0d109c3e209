/* bench/mkpcap.c: writes a big synthetic pcap for `make bench` only (never
 * used as a test capture): N connections, each a handshake, request and
 * answer with their ACKs, and a FIN exchange (10 packets), interleaved
 * 64 at a time as on a busy server. Ethernet, IPv4, microsecond stamps.
 * Or a SYN flood over IPv6: N unanswered SYNs, each from its own source
 * address; `collide` picks the addresses [x, x, 0, 0] that an unkeyed XOR-fold
 * of the 4-tuple would put in one bucket, `syn` addresses that nothing
 * relates. Or one connection of N segments of 100 bytes, each answered by
 * an ACK: `unacked` ACKs that never cover one (the list of what is in
 * flight stays at Wireshark's 10,000), `acked` ACKs that cover each.
 * Usage: mkpcap FILE COUNT [syn|collide|unacked|acked]
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static void
be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

static uint64_t usec;

static void
packet(FILE *f, uint32_t conn, int from_server, unsigned flags, uint32_t seq, uint32_t ack,
       unsigned len)
{
	uint8_t b[16 + 14 + 20 + 20 + 200];
	uint8_t *e = b + 16, *ip = e + 14, *tcp = ip + 20;
	uint32_t cli = 0x0a000000u | (conn >> 14), srv = 0xc0000201u;
	unsigned cport = 1024 + (conn & 0x3fff), n = 14 + 20 + 20 + len;

	memset(b, 0, sizeof b);
	usec += 7;
	le32(b, (uint32_t)(1700000000 + usec / 1000000));
	le32(b + 4, (uint32_t)(usec % 1000000));
	le32(b + 8, n);
	le32(b + 12, n);
	e[5] = 1, e[11] = 2;
	be16(e + 12, 0x0800);
	ip[0] = 0x45;
	be16(ip + 2, 20 + 20 + len);
	ip[8] = 64, ip[9] = 6;
	be32(ip + 12, from_server ? srv : cli);
	be32(ip + 16, from_server ? cli : srv);
	be16(tcp, from_server ? 443 : cport);
	be16(tcp + 2, from_server ? cport : 443);
	be32(tcp + 4, seq);
	be32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = (uint8_t)flags;
	be16(tcp + 14, 502);
	fwrite(b, 1, 16 + n, f);
}

/* One IPv6 SYN from source number x to [2001:db8::1]:80. */
static void
syn6(FILE *f, uint32_t x, int collide)
{
	uint8_t b[16 + 14 + 40 + 20];
	uint8_t *e = b + 16, *ip = e + 14, *tcp = ip + 40;
	unsigned n = 14 + 40 + 20;

	memset(b, 0, sizeof b);
	usec += 3;
	le32(b, (uint32_t)(1700000000 + usec / 1000000));
	le32(b + 4, (uint32_t)(usec % 1000000));
	le32(b + 8, n);
	le32(b + 12, n);
	e[5] = 1, e[11] = 2;
	be16(e + 12, 0x86dd);
	ip[0] = 0x60;
	be16(ip + 4, 20);
	ip[6] = 6, ip[7] = 64;
	be32(ip + 8, collide ? x : 0x20010db8u);
	be32(ip + 12, collide ? x : 0xaa000000u + (x * 2654435761u >> 8));
	be32(ip + 20, collide ? 0 : x);
	ip[24] = 0x20, ip[25] = 0x01, ip[26] = 0x0d, ip[27] = 0xb8, ip[39] = 1;
	be16(tcp, 40000);
	be16(tcp + 2, 80);
	be32(tcp + 4, x * 7919u);
	tcp[12] = 5 << 4;
	tcp[13] = 0x02;
	be16(tcp + 14, 65535);
	fwrite(b, 1, 16 + n, f);
}

int
main(int argc, char **argv)
{
	uint8_t gh[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	FILE *f;
	uint32_t nconn;

	const char *mode = argc == 4 ? argv[3] : "";
	int flood = strcmp(mode, "collide") == 0 ? 2 : strcmp(mode, "syn") == 0;
	int one = strcmp(mode, "unacked") == 0 ? 1 : strcmp(mode, "acked") == 0 ? 2 : 0;

	if (argc < 3 || argc > 4 || (argc == 4 && flood == 0 && one == 0) ||
	    (nconn = (uint32_t)strtoul(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: mkpcap FILE COUNT [syn|collide|unacked|acked]\n");
		return 2;
	}
	f = fopen(argv[1], "wb");
	if (f == NULL) {
		perror(argv[1]);
		return 1;
	}
	le32(gh + 16, 262144);
	le32(gh + 20, 1);
	fwrite(gh, 1, sizeof gh, f);
	for (uint32_t c = 0; flood && c < nconn; c++)
		syn6(f, 0x01000000u + c, flood == 2);
	if (one) {
		packet(f, 0, 0, 0x02, 1000, 0, 0);
		packet(f, 0, 1, 0x12, 5000, 1001, 0);
		packet(f, 0, 0, 0x10, 1001, 5001, 0);
		for (uint32_t i = 0; i < nconn; i++) {
			packet(f, 0, 0, 0x18, 1001 + 100 * i, 5001, 100);
			packet(f, 0, 1, 0x10, 5001, one == 1 ? 1001 : 1101 + 100 * i, 0);
		}
	}
	for (uint32_t base = 0; !flood && !one && base < nconn; base += 64) {
		uint32_t end = base + 64 < nconn ? base + 64 : nconn;

		for (int step = 0; step < 15; step++) {
			for (uint32_t c = base; c < end; c++) {
				uint32_t ci = c * 7919u, si = c * 104729u;

				switch (step) {
				case 0: packet(f, c, 0, 0x02, ci, 0, 0); break;
				case 1: packet(f, c, 1, 0x12, si, ci + 1, 0); break;
				case 2: packet(f, c, 0, 0x10, ci + 1, si + 1, 0); break;
				case 3: packet(f, c, 0, 0x18, ci + 1, si + 1, 100); break;
				case 4: packet(f, c, 1, 0x10, si + 1, ci + 101, 0); break;
				case 5: packet(f, c, 1, 0x10, si + 1, ci + 101, 200); break;
				case 6: packet(f, c, 1, 0x10, si + 201, ci + 101, 200); break;
				case 7: packet(f, c, 0, 0x10, ci + 101, si + 401, 0); break;
				case 8: packet(f, c, 1, 0x18, si + 401, ci + 101, 200); break;
				case 9: packet(f, c, 0, 0x10, ci + 101, si + 601, 0); break;
				case 10: packet(f, c, 0, 0x18, ci + 101, si + 601, 50); break;
				case 11: packet(f, c, 1, 0x10, si + 601, ci + 151, 0); break;
				case 12: packet(f, c, 0, 0x11, ci + 151, si + 601, 0); break;
				case 13: packet(f, c, 1, 0x11, si + 601, ci + 152, 0); break;
				case 14: packet(f, c, 0, 0x10, ci + 152, si + 602, 0); break;
				}
			}
		}
	}
	return fclose(f) == 0 ? 0 : 1;
}
