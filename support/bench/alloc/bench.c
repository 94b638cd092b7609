/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host side of the allocator benchmark (support/bench/alloc/bench.py): replays
 * the trace of trace.h on one Cairn allocator backend, built with
 * -DBACKEND_CREATE=cn_<name>_create and lib/alloc/alloc.c, over a fresh
 * 4 GiB anonymous mapping (reserved lazily: only the pages touched count),
 * or with -DBENCH_GLIBC on the host's malloc and free. Built at -O2
 * without sanitizers by tests/host/build.py bench <name>.
 *
 *   bench            one timed replay (CLOCK_MONOTONIC), the trace made
 *                    beforehand; each block gets its first byte written
 *   bench --measure  an untimed replay that samples the allocator after
 *                    every operation for the peak bytes held (total -
 *                    free from cn_alloc_stats: the blocks with their
 *                    headers and rounding; glibc: mallinfo2's uordblks +
 *                    hblkhd, the same thing), and the growth of the
 *                    process's resident memory over the replay (peak RSS
 *                    minus RSS before it, after the allocator was made):
 *                    pages touched, fragmentation included
 *
 * Output is `key: value` lines for the driver.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#ifdef BENCH_GLIBC
#include <malloc.h>
#else
#include <cairn/alloc.h>
#endif
#include "trace.h"

#define ARENA_SIZE (4ull << 30)

#ifdef BENCH_GLIBC
#define BACKEND_NAME "glibc"
#define ALLOC(n) malloc(n)
#define FREE(p) free(p)
#else
struct cn_alloc *BACKEND_CREATE(void *base, size_t len);
static struct cn_alloc *heap;
static unsigned char *arena;
#define ALLOC(n) cn_alloc_malloc(heap, n)
#define FREE(p) cn_alloc_free(heap, p)
#endif

static struct atrace trace;
static uint32_t *ops;
static void *live[ATRACE_MAX_LIVE];

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("bench: mmap");
		exit(2);
	}
	return p;
}

static void setup(void)
{
#ifndef BENCH_GLIBC
	arena = map(ARENA_SIZE);
	heap = BACKEND_CREATE(arena, ARENA_SIZE);
	if (!heap) {
		fprintf(stderr, "bench: cannot create the allocator\n");
		exit(2);
	}
#endif
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t held_now(void)
{
#ifdef BENCH_GLIBC
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#else
	struct cn_alloc_stats st;

	cn_alloc_stats(heap, &st);
	return st.total - st.free;
#endif
}

/* Resident bytes now (from /proc/self/statm). */
static uint64_t rss_now(void)
{
	unsigned long long size, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%llu %llu", &size, &resident) != 2) {
		perror("bench: /proc/self/statm");
		exit(2);
	}
	fclose(f);
	return resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* The highest resident size the process had (getrusage). */
static uint64_t rss_peak(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)ru.ru_maxrss << 10;
}

int main(int argc, char *argv[])
{
	int measure = argc > 1 && !strcmp(argv[1], "--measure");
	uint64_t failed = 0, first_failed = 0, held = 0, h, rss0;
	uint64_t t0, t1;
	uint32_t i, n = 0;

	ops = map(sizeof(*ops) * ATRACE_OPS);
	atrace_init(&trace, ATRACE_SEED);
	for (i = 0; i < ATRACE_OPS; i++)
		ops[i] = atrace_next(&trace);
	setup();

	rss0 = rss_now();
	t0 = now_ns();
	for (i = 0; i < ATRACE_OPS; i++) {
		uint32_t op = ops[i];

		if (op & ATRACE_FREE) {
			uint32_t k = op & ~ATRACE_FREE;

			FREE(live[k]);
			live[k] = live[--n];
		} else {
			unsigned char *p = ALLOC(op);

			if (p)
				p[0] = (unsigned char)i;
			else if (!failed++)
				first_failed = i;
			live[n++] = p;
		}
		if (measure) {
			h = held_now();
			if (h > held)
				held = h;
		}
	}
	t1 = now_ns();

	printf("backend: %s\n", BACKEND_NAME);
	printf("ops: %u\n", ATRACE_OPS);
	printf("checksum: %016llx\n", (unsigned long long)trace.checksum);
	printf("peak_live: %llu\n", (unsigned long long)trace.peak_bytes);
	printf("failed: %llu\n", (unsigned long long)failed);
	if (failed)
		printf("first_failed: %llu\n",
		       (unsigned long long)first_failed);
	if (measure) {
		printf("held_peak: %llu\n", (unsigned long long)held);
		printf("rss_growth: %llu\n",
		       (unsigned long long)(rss_peak() - rss0));
	} else {
		printf("ns: %llu\n", (unsigned long long)(t1 - t0));
	}
	return 0;
}
