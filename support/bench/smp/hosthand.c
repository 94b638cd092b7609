/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * make bench-smp's scale for a cross-CPU hand-over, run on the host
 * itself: two host threads hand a turn back and forth through one shared
 * word, spinning with no call at all (no sched_yield, no futex). What is
 * left is about the host moving one cache line between two cores and
 * back, which a guest's hand-over under TCG pays too, whatever its OS
 * does: the vCPUs are host threads and the turn is host memory. (Not a
 * strict floor: a spin this tight also pays the host CPU's pipeline
 * flushes when the line is taken away, which TCG's slower loop pays
 * less often.)
 *
 * Usage: hosthand [SWITCHES [RUNS]]; prints host_ns_per_switch: N, the
 * median of RUNS rounds.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Atomic long turn;
static long switches = 2000000;

static void *side(void *arg)
{
	long me = (long)arg;

	for (long i = me; i < switches; i += 2) {
		while (atomic_load_explicit(&turn, memory_order_acquire) != i)
			;
		atomic_store_explicit(&turn, i + 1, memory_order_release);
	}
	return NULL;
}

static double round_ns(void)
{
	pthread_t t[2];
	struct timespec a, b;

	atomic_store(&turn, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, side, (void *)i)) {
			fprintf(stderr, "hosthand: pthread_create failed\n");
			exit(1);
		}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) /
	       (double)switches;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
	int runs = 5;
	double ns[100];

	if (argc > 1)
		switches = atol(argv[1]);
	if (argc > 2)
		runs = atoi(argv[2]);
	if (argc > 3 || switches < 2 || runs < 1 || runs > 100) {
		fprintf(stderr, "usage: hosthand [SWITCHES>=2 [RUNS 1..100]]\n");
		return 2;
	}
	for (int r = 0; r < runs; r++)
		ns[r] = round_ns();
	qsort(ns, runs, sizeof(ns[0]), cmp);
	printf("host_ns_per_switch: %.1f\n", ns[runs / 2]);
	return 0;
}
