/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pthread: cancellation (deferred at the cancellation points, state
 * and type, asynchronous) and cleanup handlers.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <cairn/sched.h>
#include <cairn/test.h>

static sem_t c_ready, c_go;
static int c_order[4], c_n;
static volatile int c_spun;

static void note(void *arg)
{
	if (c_n < 4)
		c_order[c_n++] = (int)(intptr_t)arg;
}

static void *at_testcancel(void *arg)
{
	pthread_cleanup_push(note, (void *)1);
	pthread_cleanup_push(note, (void *)2);
	sem_post(&c_ready);
	for (;;) {
		c_spun++;
		pthread_testcancel();
		sched_yield();
	}
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

CN_TEST(pthread, cancel_acts_at_testcancel_running_cleanups_last_first)
{
	pthread_t t;
	void *rv = NULL;

	sem_init(&c_ready, 0, 0);
	c_n = 0;
	CN_ASSERT_EQ(pthread_create(&t, NULL, at_testcancel, NULL), 0);
	sem_wait(&c_ready);
	CN_EXPECT_EQ(pthread_cancel(t), 0);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == PTHREAD_CANCELED);
	CN_EXPECT_EQ(c_n, 2);
	CN_EXPECT_EQ(c_order[0], 2);
	CN_EXPECT_EQ(c_order[1], 1);
	/* Gone and joined: nothing to cancel. */
	CN_EXPECT_EQ(pthread_cancel(t), ESRCH);
}

static int c_passed_disabled;

static void *disabled_then_enabled(void *arg)
{
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	sem_post(&c_ready);
	sem_wait(&c_go);		/* cancelled meanwhile */
	pthread_testcancel();		/* disabled: goes on */
	c_passed_disabled = 1;
	pthread_setcancelstate(old, NULL);
	pthread_testcancel();
	return (void *)42;		/* not reached */
}

CN_TEST(pthread, cancel_waits_while_disabled)
{
	pthread_t t;
	void *rv = NULL;
	int old;

	sem_init(&c_ready, 0, 0);
	sem_init(&c_go, 0, 0);
	c_passed_disabled = 0;
	CN_ASSERT_EQ(pthread_create(&t, NULL, disabled_then_enabled, NULL),
		     0);
	sem_wait(&c_ready);
	CN_EXPECT_EQ(pthread_cancel(t), 0);
	sem_post(&c_go);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == PTHREAD_CANCELED);
	CN_EXPECT_EQ(c_passed_disabled, 1);

	CN_EXPECT_EQ(pthread_setcancelstate(7, &old), EINVAL);
	CN_EXPECT_EQ(pthread_setcanceltype(7, &old), EINVAL);
	CN_EXPECT_EQ(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old), 0);
	CN_EXPECT_EQ(old, PTHREAD_CANCEL_ENABLE);
	CN_EXPECT_EQ(pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old), 0);
	CN_EXPECT_EQ(old, PTHREAD_CANCEL_DEFERRED);
}

static pthread_mutex_t c_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c_c = PTHREAD_COND_INITIALIZER;
static int c_waiting;

static void unlock_m(void *arg)
{
	note(arg);
	pthread_mutex_unlock(&c_m);
}

static void *in_cond_wait(void *arg)
{
	pthread_mutex_lock(&c_m);
	pthread_cleanup_push(unlock_m, (void *)3);
	c_waiting = 1;
	for (;;)			/* nothing ever signals it */
		pthread_cond_wait(&c_c, &c_m);
	pthread_cleanup_pop(1);
	return NULL;
}

CN_TEST(pthread, cancel_wakes_a_cond_wait_which_acts_with_the_mutex)
{
	pthread_t t;
	void *rv = NULL;
	int waiting;

	c_n = 0;
	c_waiting = 0;
	CN_ASSERT_EQ(pthread_create(&t, NULL, in_cond_wait, NULL), 0);
	do {			/* c_waiting set and c_m free: it waits */
		pthread_mutex_lock(&c_m);
		waiting = c_waiting;
		pthread_mutex_unlock(&c_m);
		if (!waiting)
			cn_thread_sleep_ns(100000);
	} while (!waiting);
	CN_EXPECT_EQ(pthread_cancel(t), 0);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == PTHREAD_CANCELED);
	CN_EXPECT_EQ(c_n, 1);
	CN_EXPECT_EQ(c_order[0], 3);
	/* The handler ran holding c_m and released it. */
	CN_EXPECT_EQ(pthread_mutex_trylock(&c_m), 0);
	pthread_mutex_unlock(&c_m);
}

static sem_t c_never;

static void *at_sem_wait(void *arg)
{
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	sem_post(&c_ready);
	sem_wait(&c_go);
	pthread_setcancelstate(old, NULL);
	sem_wait(&c_never);		/* a point: acts on entry */
	return (void *)42;
}

CN_TEST(pthread, sem_wait_is_a_cancellation_point)
{
	pthread_t t;
	void *rv = NULL;

	sem_init(&c_ready, 0, 0);
	sem_init(&c_go, 0, 0);
	sem_init(&c_never, 0, 0);
	CN_ASSERT_EQ(pthread_create(&t, NULL, at_sem_wait, NULL), 0);
	sem_wait(&c_ready);
	pthread_cancel(t);
	sem_post(&c_go);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == PTHREAD_CANCELED);
}

static void *exits_with_cleanup(void *arg)
{
	pthread_cleanup_push(note, (void *)5);
	pthread_cleanup_push(note, (void *)6);
	pthread_cleanup_pop(0);		/* not run */
	pthread_cleanup_push(note, (void *)7);
	pthread_cleanup_pop(1);		/* run now */
	pthread_exit((void *)9);	/* runs 5 */
	pthread_cleanup_pop(0);
	return NULL;
}

CN_TEST(pthread, exit_runs_cleanup_handlers)
{
	pthread_t t;
	void *rv = NULL;

	c_n = 0;
	CN_ASSERT_EQ(pthread_create(&t, NULL, exits_with_cleanup, NULL), 0);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_EQ((intptr_t)rv, 9);
	CN_EXPECT_EQ(c_n, 2);
	CN_EXPECT_EQ(c_order[0], 7);
	CN_EXPECT_EQ(c_order[1], 5);
}

static void *spins_async(void *arg)
{
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	sem_post(&c_ready);
	for (;;) {			/* no cancellation point here */
		c_spun++;
		sched_yield();
	}
	return NULL;
}

CN_TEST(pthread, asynchronous_cancel_ends_a_thread_without_points)
{
	pthread_t t;
	void *rv = NULL;

	sem_init(&c_ready, 0, 0);
	CN_ASSERT_EQ(pthread_create(&t, NULL, spins_async, NULL), 0);
	sem_wait(&c_ready);
	CN_EXPECT_EQ(pthread_cancel(t), 0);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == PTHREAD_CANCELED);
}
