/* bench/pcaploop.c: the floor for `make bench`: a bare libpcap read loop
 * over a file, touching one byte of each packet so nothing is optimized
 * away; with -u, on a stdio stream set not to lock, as replay reads it
 * (doc/design.md, "Performance"). (Outside src/, so the one-<pcap.h>-user
 * rule of the program holds.)
 */
#include "config.h"

#include <pcap.h>
#include <stdio.h>
#include <string.h>
#ifdef HAVE_STDIO_EXT_H
#include <stdio_ext.h>
#endif

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long n = 0, sum = 0;
	int unlocked = argc == 3 && strcmp(argv[1], "-u") == 0;
	const char *path = argv[argc - 1];
	pcap_t *p;

	if (argc != 2 && !unlocked) {
		fprintf(stderr, "usage: pcaploop [-u] FILE\n");
		return 2;
	}
	if (unlocked) {
		FILE *f = fopen(path, "rb");

		if (f == NULL) {
			perror(path);
			return 1;
		}
#ifdef HAVE___FSETLOCKING
		(void)__fsetlocking(f, FSETLOCKING_BYCALLER);
#endif
		p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
	} else {
		p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	}
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
