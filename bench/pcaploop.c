/* bench/pcaploop.c: the floor for `make bench`: a bare libpcap read loop
 * over a file, touching one byte of each packet so nothing is optimized
 * away. (Outside src/, so the one-<pcap.h>-user rule of the program holds.)
 */
#include "config.h"

#include <pcap.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long n = 0, sum = 0;
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcaploop FILE\n");
		return 2;
	}
	p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
	if (p == NULL) {
		fprintf(stderr, "pcaploop: %s\n", err);
		return 1;
	}
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		sum += d[h->caplen - 1];
	}
	pcap_close(p);
	printf("%lu packets (%lu)\n", n, sum);
	return 0;
}
