/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's checksum routine (LWIP_CHKSUM), 8 bytes a step instead of lwIP's
 * own 2. Every TCP and UDP segment received on a device that does not
 * check checksums (QEMU's e1000 marks all frames "ignore checksum") is
 * summed here, all of it, so under emulation, where each guest
 * instruction costs many of the host's, the loop's length shows in the
 * receive rate.
 *
 * Why this is the same sum: the ones' complement sum does not depend on
 * how the words are grouped, so 32-bit little-endian words added into a
 * 64-bit accumulator (no carry is lost for 2^32 of them) and folded down
 * give the sum of the 16-bit words in memory order, which is what lwIP's
 * algorithms compute, on either byte order.
 */
#include <string.h>
#include <cairn/lwip_chksum.h>

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	/* An unaligned load where allowed. The builtin by name: under
	 * -ffreestanding a plain memcpy() stays a call, here one per 8
	 * bytes, each return an indirect branch that TCG looks up. */
	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

uint16_t cn_lwip_chksum(const void *data, int len)
{
	const uint8_t *p = data;
	size_t n = len > 0 ? (size_t)len : 0;
	uint64_t sum = 0, v;
	uint16_t w = 0;

	for (; n >= 32; n -= 32, p += 32) {
		uint64_t a = load64(p), b = load64(p + 8);
		uint64_t c = load64(p + 16), d = load64(p + 24);

		sum += (a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) +
		       (b >> 32) + (c & 0xffffffffu) + (c >> 32) +
		       (d & 0xffffffffu) + (d >> 32);
	}
	for (; n >= 8; n -= 8, p += 8) {
		v = load64(p);
		sum += (v & 0xffffffffu) + (v >> 32);
	}
	for (; n >= 2; n -= 2, p += 2) {
		__builtin_memcpy(&w, p, 2);
		sum += w;
	}
	if (n) {			/* the odd byte, first of its word */
		w = 0;
		__builtin_memcpy(&w, p, 1);
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}
