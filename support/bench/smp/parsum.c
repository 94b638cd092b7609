/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU-bound parallel sums, for SMP scaling (make bench-smp).
 *
 * One thread per online CPU (sysconf(_SC_NPROCESSORS_ONLN)) sums a
 * mixing function over its share of ITEMS numbers; the main thread joins
 * them and adds the partial sums. No memory traffic and no locks while
 * summing: the time is computation, so it should divide by the number
 * of CPUs. Each round runs once untimed (warm-up), then RUNS times; the
 * median is printed as
 *   cpus: N
 *   sum_ms: X
 *   sum_ms_min: X, sum_ms_max: X (the fastest and slowest round)
 *   checksum: C        (the same on every machine and CPU count)
 * timed with clock_gettime(CLOCK_MONOTONIC).
 *
 * Usage: parsum [ITEMS [RUNS]]   (defaults 20000000 and 5)
 * Build: gcc -O2 -static -pthread -o parsum parsum.c
 * The same source is Cairn's side (apps/bench-parsum links to it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	64

static unsigned long long items = 20000000ull;
static int runs = 5;

struct share {
	uint64_t from, to, sum;
	pthread_t t;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "parsum: %s: %s\n", what, strerror(err));
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime", errno);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A few multiplies and shifts per item (splitmix64's finaliser). */
static void *sum_share(void *arg)
{
	struct share *s = arg;
	uint64_t i, sum = 0;

	for (i = s->from; i < s->to; i++) {
		uint64_t z = i + 0x9e3779b97f4a7c15ull;

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		sum += z ^ (z >> 31);
	}
	s->sum = sum;
	return NULL;
}

static uint64_t one_round(int n)
{
	struct share sh[MAX_THREADS];
	uint64_t total = 0;
	int i, rc;

	for (i = 0; i < n; i++) {
		sh[i].from = items * (uint64_t)i / (uint64_t)n;
		sh[i].to = items * (uint64_t)(i + 1) / (uint64_t)n;
		rc = pthread_create(&sh[i].t, NULL, sum_share, &sh[i]);
		if (rc)
			die("pthread_create", rc);
	}
	for (i = 0; i < n; i++) {
		rc = pthread_join(sh[i].t, NULL);
		if (rc)
			die("pthread_join", rc);
		total += sh[i].sum;
	}
	return total;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long long t[101];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t check;
	int i, n;

	if (argc > 1)
		items = strtoull(argv[1], NULL, 10);
	if (argc > 2)
		runs = atoi(argv[2]);
	if (items < 1 || runs < 1 || runs > 100) {
		fprintf(stderr, "usage: parsum [ITEMS >= 1 [RUNS 1-100]]\n");
		return 2;
	}
	n = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;
	check = one_round(n);			/* warm-up */
	for (i = 0; i < runs; i++) {
		long long t0 = now_ns();

		if (one_round(n) != check) {
			fprintf(stderr, "parsum: sums differ between rounds\n");
			return 1;
		}
		t[i] = now_ns() - t0;
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_ll);
	printf("cpus: %d\n", n);
	printf("sum_ms: %.2f\n", t[runs / 2] / 1e6);
	printf("sum_ms_min: %.2f\n", t[0] / 1e6);
	printf("sum_ms_max: %.2f\n", t[runs - 1] / 1e6);
	printf("checksum: %llu\n", (unsigned long long)check);
	return 0;
}
