/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread switch benchmark for Linux (the baseline for Cairn's threads).
 *
 * Two threads, pinned to one CPU, hand the turn back and forth:
 *   (a) with sched_yield(): each waits for its turn by yielding, so on one
 *       CPU every yield is a switch to the other thread;
 *   (b) with a pair of POSIX semaphores: each waits on its own semaphore
 *       and posts the other's.
 * One hand-over is one switch.  Each test runs once untimed (warm-up),
 * then RUNS times; the median time per switch is printed as
 *   yield_ns_per_switch: X
 *   sem_ns_per_switch: Y
 * timed with clock_gettime(CLOCK_MONOTONIC).
 *
 * With a third argument `cross` the two threads are pinned to CPUs 0
 * and 1 instead (on both sides; needs two CPUs): every hand-over then
 * crosses CPUs, a wake-up of the other CPU (make bench-smp).
 *
 * Usage: pingpong [SWITCHES [RUNS [cross]]]   (defaults 100000, 5)
 * Build: gcc -O2 -static -pthread -o pingpong pingpong.c
 * The same source is Cairn's side (apps/bench-pingpong links to it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long switches = 100000;
static int runs = 5;
static int cross;		/* thread i pinned to CPU i */

static _Atomic int turn;
static atomic_long yields;
static sem_t sems[2];
#ifdef __linux__
static cpu_set_t one_cpu;	/* Cairn has one CPU: nothing to pin */
#endif

static void die(const char *what, int err)
{
	fprintf(stderr, "pingpong: %s: %s\n", what, strerror(err));
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime", errno);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Thread `me` (0 or 1) takes the turns me, me + 2, ... below `switches`. */
static void *yield_side(void *arg)
{
	int me = (int)(long)arg;
	long n = 0;

	for (long i = me; i < switches; i += 2) {
		while (atomic_load_explicit(&turn, memory_order_acquire) != i % 2) {
			sched_yield();
			n++;
		}
		atomic_store_explicit(&turn, (i + 1) % 2, memory_order_release);
	}
	atomic_fetch_add(&yields, n);
	return NULL;
}

static void *sem_side(void *arg)
{
	int me = (int)(long)arg;

	for (long i = me; i < switches; i += 2) {
		while (sem_wait(&sems[me]))
			if (errno != EINTR)
				die("sem_wait", errno);
		if (sem_post(&sems[!me]))
			die("sem_post", errno);
	}
	return NULL;
}

/*
 * Runs one round of `body` in two threads; returns ns per switch.  The
 * time includes creating and joining the two threads, which is under
 * 0.1% of a round of 100000 switches.
 */
static double round_ns(void *(*body)(void *))
{
	pthread_attr_t attr;
	pthread_t t[2];
	long long t0, t1;
	int err;

	atomic_store(&turn, 0);
	atomic_store(&yields, 0);
	if (sem_init(&sems[0], 0, 0) || sem_init(&sems[1], 0, 0))
		die("sem_init", errno);
	pthread_attr_init(&attr);
#ifdef __linux__
	err = pthread_attr_setaffinity_np(&attr, sizeof(one_cpu), &one_cpu);
	if (err)
		die("pthread_attr_setaffinity_np", err);
#endif

	t0 = now_ns();
	for (long i = 0; i < 2; i++) {
		if (cross) {
			cpu_set_t cpu;

			CPU_ZERO(&cpu);
			CPU_SET((int)i, &cpu);
			err = pthread_attr_setaffinity_np(&attr, sizeof(cpu),
							  &cpu);
			if (err)
				die("pthread_attr_setaffinity_np", err);
		}
		err = pthread_create(&t[i], &attr, body, (void *)i);
		if (err)
			die("pthread_create", err);
	}
	if (body == sem_side && sem_post(&sems[0]))
		die("sem_post", errno);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	t1 = now_ns();

	pthread_attr_destroy(&attr);
	sem_destroy(&sems[0]);
	sem_destroy(&sems[1]);
	return (double)(t1 - t0) / (double)switches;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_ns(void *(*body)(void *), double *calls_per_switch)
{
	double v[runs];
	long total_yields = 0;

	round_ns(body);                         /* warm-up */
	for (int r = 0; r < runs; r++) {
		v[r] = round_ns(body);
		total_yields += atomic_load(&yields);
	}
	if (calls_per_switch)
		*calls_per_switch = (double)total_yields / ((double)switches * runs);
	qsort(v, runs, sizeof(v[0]), cmp_double);
	return runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2;
}

int main(int argc, char **argv)
{
	double yield_ns, sem_ns, calls;

	if (argc > 1)
		switches = strtol(argv[1], NULL, 0);
	if (argc > 2)
		runs = atoi(argv[2]);
	if (argc > 3)
		cross = !strcmp(argv[3], "cross");
	if (argc > 4 || (argc > 3 && !cross) || switches < 2 || runs < 1 ||
	    runs > 1000) {
		fprintf(stderr, "usage: pingpong [SWITCHES>=2 [RUNS 1..1000 "
			"[cross]]]\n");
		return 2;
	}

	/* Both threads on the CPU main is on: a yield must switch. */
#ifdef __linux__
	CPU_ZERO(&one_cpu);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one_cpu);
#endif

	yield_ns = median_ns(yield_side, &calls);
	sem_ns = median_ns(sem_side, NULL);
	/*
	 * More than one yield per hand-over: the scheduler sometimes ran the
	 * yielding thread again (CFS may); the figure stays per hand-over.
	 */
	if (calls > 1.01)
		fprintf(stderr, "pingpong: note: %.2f sched_yield calls per "
			"switch\n", calls);
	printf("yield_ns_per_switch: %.1f\n", yield_ns);
	printf("sem_ns_per_switch: %.1f\n", sem_ns);
	return 0;
}
