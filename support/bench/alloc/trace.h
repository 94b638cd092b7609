/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocation trace of the allocator benchmark (support/bench/alloc/bench.py),
 * generated from a seed, identically on the host (support/bench/alloc/
 * bench.c) and inside a Cairn image (apps/allocbench), so the trace itself
 * is never shipped. Header only, no library calls: it builds with glibc
 * and with picolibc.
 *
 * The trace is ATRACE_OPS operations. Each is an allocation of 16 B to
 * 64 KiB (an exponent 4..15 drawn as 4 + u1 * u2 / 11 with u1, u2 uniform
 * in 0..11, which favours small sizes, then a size uniform in
 * [2^e, 2^(e+1)]: median about 64 B, about 70 % at most 256 B, 7 % over
 * 4 KiB) or the free of a live block. Allocation has probability
 * 1 - live / (2 * ATRACE_LIVE), so the live set stays near ATRACE_LIVE
 * blocks. An operation is one 32-bit word:
 *
 *	bit 31 clear: allocate (word) bytes, append the block to the live array
 *	bit 31 set:   free live[word & 0x7fffffff], then move the last live
 *	              block into that place (live[i] = live[--n])
 *
 * atrace_next() also keeps the live bytes requested, their peak, and a
 * checksum of the trace (FNV-1a over the words), which both sides print so
 * that the driver can see they ran the same trace.
 */
#ifndef CAIRN_BENCH_ALLOC_TRACE_H
#define CAIRN_BENCH_ALLOC_TRACE_H

#include <stdint.h>

#define ATRACE_SEED	0x43616972u	/* "Cair" */
#define ATRACE_OPS	2000000u
#define ATRACE_LIVE	10000u
#define ATRACE_MAX_LIVE	(2 * ATRACE_LIVE)
#define ATRACE_FREE	0x80000000u

struct atrace {
	uint64_t rng;
	uint32_t nr_live;
	uint64_t live_bytes, peak_bytes;
	uint64_t checksum;
	uint32_t size[ATRACE_MAX_LIVE];	/* of each live block, same order */
};

static inline void atrace_init(struct atrace *t, uint64_t seed)
{
	t->rng = seed;
	t->nr_live = 0;
	t->live_bytes = t->peak_bytes = 0;
	t->checksum = 0xcbf29ce484222325ull;
}

/* splitmix64: a full-period 64-bit generator, cheap and well mixed. */
static inline uint64_t atrace_rand(struct atrace *t)
{
	uint64_t z = (t->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint32_t atrace_next(struct atrace *t)
{
	uint32_t op;

	if (atrace_rand(t) % (2 * ATRACE_LIVE) >= t->nr_live) {
		uint32_t e = 4 + (uint32_t)(atrace_rand(t) % 12) *
			(uint32_t)(atrace_rand(t) % 12) / 11;

		op = (1u << e) + (uint32_t)(atrace_rand(t) % ((1u << e) + 1));
		t->size[t->nr_live++] = op;
		t->live_bytes += op;
		if (t->live_bytes > t->peak_bytes)
			t->peak_bytes = t->live_bytes;
	} else {
		uint32_t i = (uint32_t)(atrace_rand(t) % t->nr_live);

		t->live_bytes -= t->size[i];
		t->size[i] = t->size[--t->nr_live];
		op = ATRACE_FREE | i;
	}
	t->checksum = (t->checksum ^ op) * 0x100000001b3ull;
	return op;
}

#endif
