/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread benchmark, Cairn side: the same three measurements as
 * support/bench/threads/{pingpong,createjoin}.c run in a Linux guest:
 *   yield_ns_per_switch  two threads hand the turn over with yield
 *   sem_ns_per_switch    two threads hand it over with a semaphore pair
 *   create_join_ns       create + join of a thread that does nothing
 * Each is run once to warm up, then RUNS times; the median is printed.
 * argv: [SWITCHES [RUNS [CREATES]]], defaults 100000 5 2000.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cairn/sched.h>
#include <cairn/sync.h>
#include <cairn/timer.h>

static long switches = 100000, creates = 2000;
static int runs = 5;
static volatile int turn;
static struct cn_sem sems[2];

static void *yielder(void *arg)
{
	int me = (int)(intptr_t)arg;
	long i;

	for (i = 0; i < switches / 2; i++) {
		while (turn != me)
			cn_thread_yield();
		turn = !me;
	}
	return NULL;
}

static void *sem_player(void *arg)
{
	int me = (int)(intptr_t)arg;
	long i;

	for (i = 0; i < switches / 2; i++) {
		cn_sem_wait(&sems[me]);
		cn_sem_post(&sems[!me]);
	}
	return NULL;
}

static uint64_t pair(void *(*fn)(void *))
{
	struct cn_thread *a, *b;
	uint64_t t0;

	turn = 0;
	cn_sem_init(&sems[0], 1);
	cn_sem_init(&sems[1], 0);
	t0 = cn_time_ns();
	if (cn_thread_create(&a, NULL, fn, (void *)0) ||
	    cn_thread_create(&b, NULL, fn, (void *)1)) {
		fprintf(stderr, "threadbench: cannot create threads\n");
		exit(1);
	}
	cn_thread_join(a, NULL);
	cn_thread_join(b, NULL);
	return cn_time_ns() - t0;
}

static void *nothing(void *arg)
{
	return arg;
}

static uint64_t create_join(void)
{
	uint64_t t0 = cn_time_ns();
	struct cn_thread *t;
	long i;

	for (i = 0; i < creates; i++) {
		if (cn_thread_create(&t, NULL, nothing, NULL)) {
			fprintf(stderr, "threadbench: create failed\n");
			exit(1);
		}
		cn_thread_join(t, NULL);
	}
	return cn_time_ns() - t0;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median(uint64_t (*fn)(void), long per)
{
	uint64_t t[32];
	int i;

	fn();				/* warm-up */
	for (i = 0; i < runs; i++)
		t[i] = fn();
	qsort(t, (size_t)runs, sizeof(t[0]), cmp);
	return (double)t[runs / 2] / (double)per;
}

static uint64_t yield_run(void)
{
	return pair(yielder);
}

static uint64_t sem_run(void)
{
	return pair(sem_player);
}

int main(int argc, char *argv[])
{
	if (argc > 1)
		switches = atol(argv[1]);
	if (argc > 2)
		runs = atoi(argv[2]);
	if (argc > 3)
		creates = atol(argv[3]);
	if (switches < 2 || runs < 1 || runs > 32 || creates < 1) {
		fprintf(stderr, "usage: threadbench [SWITCHES [RUNS [CREATES]]]\n");
		return 2;
	}
	printf("yield_ns_per_switch: %.1f\n", median(yield_run, switches));
	printf("sem_ns_per_switch: %.1f\n", median(sem_run, switches));
	printf("create_join_ns: %.1f\n", median(create_join, creates));
	return 0;
}
