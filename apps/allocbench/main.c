/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * allocbench: the in-image side of the allocator benchmark
 * (support/bench/alloc/bench.py). Generates the trace of
 * support/bench/alloc/trace.h from its seed (the host generates the same
 * one), then replays it on malloc and free, i.e. on the default allocator
 * chosen in menuconfig, writing the first byte of every block, and prints
 *
 *	allocbench: default allocator tlsf
 *	ops: 2000000
 *	checksum: 00cf5e8ec9326a04
 *	peak_live: 15856111
 *	failed: 0
 *	ns: 812345678
 *	ops/s: 2462000
 *
 * Time comes from the TSC (__builtin_ia32_rdtsc) converted with the
 * platform's calibration (cn_plat_cycles_to_ns). When an allocation
 * fails (the region allocator never reuses freed memory) it says after
 * how many operations, prints `ops/s: N/A` and exits with status 3.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cairn/alloc.h>
#include <cairn/plat.h>
#include "trace.h"

static struct atrace trace;
static void *live[ATRACE_MAX_LIVE];

int main(void)
{
	uint64_t t0, t1, ns, failed = 0, first_failed = 0;
	struct cn_alloc_stats st;
	uint32_t *ops, i, n = 0;

	printf("allocbench: default allocator %s\n",
	       cn_alloc_name(cn_alloc_default()));
	ops = malloc(sizeof(*ops) * ATRACE_OPS);
	if (!ops) {
		printf("allocbench: no memory for the trace\n");
		return 2;
	}
	atrace_init(&trace, ATRACE_SEED);
	for (i = 0; i < ATRACE_OPS; i++)
		ops[i] = atrace_next(&trace);
	cn_plat_cycles_to_ns(0);	/* calibrate before timing */

	t0 = __builtin_ia32_rdtsc();
	for (i = 0; i < ATRACE_OPS; i++) {
		uint32_t op = ops[i];

		if (op & ATRACE_FREE) {
			uint32_t k = op & ~ATRACE_FREE;

			free(live[k]);
			live[k] = live[--n];
		} else {
			unsigned char *p = malloc(op);

			if (p)
				p[0] = (unsigned char)i;
			else if (!failed++)
				first_failed = i;
			live[n++] = p;
		}
	}
	t1 = __builtin_ia32_rdtsc();
	ns = cn_plat_cycles_to_ns(t1 - t0);

	cn_alloc_stats(cn_alloc_default(), &st);
	printf("ops: %u\n", ATRACE_OPS);
	printf("checksum: %016llx\n", (unsigned long long)trace.checksum);
	printf("peak_live: %llu\n", (unsigned long long)trace.peak_bytes);
	printf("managed: %zu\n", st.total);
	printf("failed: %llu\n", (unsigned long long)failed);
	printf("ns: %llu\n", (unsigned long long)ns);
	if (failed) {
		printf("allocbench: out of memory after %llu operations "
		       "(%zu bytes managed)\n",
		       (unsigned long long)first_failed, st.total);
		printf("ops/s: N/A\n");
		return 3;
	}
	printf("ops/s: %llu\n", (unsigned long long)(ns ?
	       (uint64_t)ATRACE_OPS * 1000000000u / ns : 0));
	return 0;
}
