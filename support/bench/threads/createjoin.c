/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread creation benchmark for Linux (the baseline for Cairn's threads).
 *
 * Creates a thread that does nothing and joins it, COUNT times in a row,
 * with default attributes.  One untimed round warms up (stack cache,
 * page faults), then RUNS timed rounds; the median time per create+join,
 * timed with clock_gettime(CLOCK_MONOTONIC), is printed as
 *   create_join_ns: Z
 *
 * Usage: createjoin [COUNT [RUNS]]   (defaults 2000 and 5)
 * Build: gcc -O2 -static -pthread -o createjoin createjoin.c
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long count = 2000;
static int runs = 5;

static void *nothing(void *arg)
{
	return arg;
}

static long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
		perror("createjoin: clock_gettime");
		exit(1);
	}
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double round_ns(void)
{
	long long t0 = now_ns();

	for (long i = 0; i < count; i++) {
		pthread_t t;
		int err = pthread_create(&t, NULL, nothing, NULL);

		if (err) {
			fprintf(stderr, "createjoin: pthread_create: %s\n",
				strerror(err));
			exit(1);
		}
		err = pthread_join(t, NULL);
		if (err) {
			fprintf(stderr, "createjoin: pthread_join: %s\n",
				strerror(err));
			exit(1);
		}
	}
	return (double)(now_ns() - t0) / (double)count;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		count = strtol(argv[1], NULL, 0);
	if (argc > 2)
		runs = atoi(argv[2]);
	if (argc > 3 || count < 1 || runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: createjoin [COUNT>=1 [RUNS 1..1000]]\n");
		return 2;
	}

	double v[runs];

	round_ns();                             /* warm-up */
	for (int r = 0; r < runs; r++)
		v[r] = round_ns();
	qsort(v, runs, sizeof(v[0]), cmp_double);
	printf("create_join_ns: %.1f\n",
	       runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2);
	return 0;
}
