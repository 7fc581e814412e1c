/*
 * flowmeter-pcaploop: the benchmark reference, a bare libpcap read loop
 * (pcap_open_offline + pcap_next_ex) that touches every record and prints
 * the packet count and the sum of captured bytes.
 */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t n = 0, bytes = 0, x = 0;
	pcap_t *pc;

	if (argc != 2) {
		fprintf(stderr, "usage: flowmeter-pcaploop FILE\n");
		return 2;
	}
	pc = pcap_open_offline(argv[1], errbuf);
	if (!pc) {
		fprintf(stderr, "flowmeter-pcaploop: '%s': %s\n", argv[1], errbuf);
		return 1;
	}
	while (pcap_next_ex(pc, &h, &data) == 1) {
		n++;
		bytes += h->caplen;
		if (h->caplen)
			x += data[0];
	}
	pcap_close(pc);
	printf("%" PRIu64 " packets %" PRIu64 " bytes (%" PRIu64 ")\n", n, bytes, x);
	return 0;
}
