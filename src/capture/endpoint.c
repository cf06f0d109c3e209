/* capture/endpoint.c: an endpoint (address, port) as text.
 *
 * IPv4 as a.b.c.d:port, IPv6 as [addr]:port in RFC 5952's form (lower
 * case, the longest run of two or more zero groups as "::", IPv4-mapped
 * addresses with their dotted quad), as inet_ntop(3) writes them. Written
 * by hand: a table row needs two of these per segment.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "capture/capture.h"

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
			p = tt_put_decimal(p, a[i]);
			*p++ = i < 3 ? '.' : ':';
		}
		p = tt_put_decimal(p, port);
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
				n = (int)(tt_put_decimal(s + n, a[i]) - s);
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
		n = (int)(tt_put_decimal(s + n, port) - s);
		s[n] = '\0';
		if (len > (size_t)n)
			memcpy(buf, s, (size_t)n + 1);
		else if (len > 0)
			snprintf(buf, len, "%s", s);
	}
	return buf;
}
