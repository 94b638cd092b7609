/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * memmove, memcpy and memset for x86_64 in 16-byte SSE moves, linked
 * ahead of picolibc's (the linker takes the first definition; libc.a's
 * members are only pulled for what is still undefined).
 *
 * Why: picolibc's memmove.c copies byte by byte as soon as source or
 * destination is not 8-byte aligned, which is most of SQLite's b-tree
 * cell moves, and its memcpy.S/memset.S use `rep movs`/`rep stos`, which
 * QEMU's TCG runs one element per loop turn. Profiling SQLite inserts
 * (doc/bench/sqlite.md) found these three at about 11% of the time.
 *
 * Each function loads before it stores wherever the two ranges may
 * overlap, so memmove is safe in both directions: short copies load
 * everything first, long ones keep the first (or last) 16 bytes in a
 * register and walk away from them. Unaligned 16-byte loads and stores
 * (movdqu) cost the same as aligned ones on every CPU this runs on.
 * The kernel keeps SSE enabled and saves it on context switches.
 */
#include <stddef.h>
#include <stdint.h>

/* Unaligned, may-alias vector and scalar types: plain moves, no calls. */
typedef uint8_t v16 __attribute__((vector_size(16), aligned(1), may_alias));
typedef uint64_t u64u __attribute__((aligned(1), may_alias));
typedef uint32_t u32u __attribute__((aligned(1), may_alias));
typedef uint16_t u16u __attribute__((aligned(1), may_alias));
typedef uint64_t v2x64 __attribute__((vector_size(16)));

/* Keep GCC from turning the loops below into calls to themselves. */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

void *memmove(void *dst, const void *src, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);

/* n < 16: every load before any store. */
static inline void copy_small(uint8_t *d, const uint8_t *s, size_t n)
{
	if (n >= 8) {
		uint64_t a = *(const u64u *)s, b = *(const u64u *)(s + n - 8);

		*(u64u *)d = a;
		*(u64u *)(d + n - 8) = b;
	} else if (n >= 4) {
		uint32_t a = *(const u32u *)s, b = *(const u32u *)(s + n - 4);

		*(u32u *)d = a;
		*(u32u *)(d + n - 4) = b;
	} else if (n >= 2) {
		uint16_t a = *(const u16u *)s, b = *(const u16u *)(s + n - 2);

		*(u16u *)d = a;
		*(u16u *)(d + n - 2) = b;
	} else if (n) {
		*d = *s;
	}
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	size_t i;

	if (n < 16) {
		copy_small(d, s, n);
		return dst;
	}
	if (n <= 32) {
		v16 a = *(const v16 *)s, b = *(const v16 *)(s + n - 16);

		*(v16 *)d = a;
		*(v16 *)(d + n - 16) = b;
		return dst;
	}
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* Forward: d is below s or clear of it. The last 16 bytes are
		 * loaded first: the loop may overwrite them when d < s. */
		v16 tail = *(const v16 *)(s + n - 16);

		for (i = 0; i + 16 < n; i += 16)
			*(v16 *)(d + i) = *(const v16 *)(s + i);
		*(v16 *)(d + n - 16) = tail;
	} else {
		/* Backward: d overlaps s from above. */
		v16 head = *(const v16 *)s;

		for (i = n - 16; i > 16; i -= 16)
			*(v16 *)(d + i) = *(const v16 *)(s + i);
		*(v16 *)(d + i) = *(const v16 *)(s + i);
		*(v16 *)d = head;
	}
	return dst;
}

/* Overlap is undefined for memcpy: the same code is right either way. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	return memmove(dst, src, n);
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint64_t w = 0x0101010101010101ull * (uint8_t)c;
	v2x64 w2 = { w, w };
	v16 v = (v16)w2;
	size_t i;

	if (n < 16) {
		if (n >= 8) {
			*(u64u *)d = w;
			*(u64u *)(d + n - 8) = w;
		} else {
			for (i = 0; i < n; i++)
				d[i] = (uint8_t)c;
		}
		return dst;
	}
	for (i = 0; i + 16 < n; i += 16)
		*(v16 *)(d + i) = v;
	*(v16 *)(d + n - 16) = v;
	return dst;
}
