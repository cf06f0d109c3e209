/* tests/fuzz_decode.c: libFuzzer harness for the packet decoder.
 * Built only on demand: `make fuzz-decode && tests/fuzz_decode CORPUS/`.
 * The first input byte picks the link type; the rest is the frame. The
 * decoder must never read outside the frame (ASan watches) and must give a
 * consistent answer for a segment. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "capture/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = {
		CAP_LINK_NULL, CAP_LINK_ETHERNET, CAP_LINK_RAW, CAP_LINK_LOOP, CAP_LINK_SLL,
		CAP_LINK_IPV4, CAP_LINK_IPV6, CAP_LINK_SLL2, 9, 105, 129, 178, 192, 242
	};
	struct cap_pkt p;
	uint8_t *frame;

	if (size < 1)
		return 0;
	/* a copy of exactly the frame's size, so that ASan sees any overread */
	frame = malloc(size - 1 ? size - 1 : 1);
	if (frame == NULL)
		return 0;
	for (size_t i = 1; i < size; i++)
		frame[i - 1] = data[i];
	if (cap_decode(links[data[0] % (sizeof links / sizeof links[0])], frame,
	               (uint32_t)(size - 1), &p) == CAP_TCP) {
		if (p.caplen_payload > p.len || p.thlen < 20 ||
		    (p.caplen_payload > 0 && p.payload_off + p.caplen_payload > size - 1))
			abort();
	}
	free(frame);
	return 0;
}
