/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/pthread: scheduling calls (one class, SCHED_OTHER priority 0),
 * thread attributes, names, the attribute setters of mutexes and
 * condition variables, CLOCK_MONOTONIC timed waits, CPU-time clocks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cairn/arch.h>
#include <cairn/sched.h>
#include <cairn/test.h>

CN_TEST(pthread, sched_calls_know_one_policy)
{
	struct sched_param p = { 0 };

	CN_EXPECT_EQ(sched_get_priority_max(SCHED_OTHER), 0);
	CN_EXPECT_EQ(sched_get_priority_min(SCHED_OTHER), 0);
	CN_EXPECT_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	CN_EXPECT_EQ(sched_get_priority_min(SCHED_RR), 1);
	errno = 0;
	CN_EXPECT_EQ(sched_get_priority_max(42), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_EQ(sched_get_priority_min(-3), -1);
	CN_EXPECT_EQ(errno, EINVAL);

	CN_EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
	CN_EXPECT_EQ(sched_getscheduler(1), SCHED_OTHER);	/* getpid() */
	CN_EXPECT_EQ(sched_getscheduler(4242), -1);
	CN_EXPECT_EQ(errno, ESRCH);
	CN_EXPECT_EQ(sched_getscheduler(-1), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sched_setscheduler(0, SCHED_OTHER, &p), SCHED_OTHER);
	p.sched_priority = 5;
	CN_EXPECT_EQ(sched_setscheduler(0, SCHED_OTHER, &p), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sched_setscheduler(0, SCHED_FIFO, &p), -1);
	CN_EXPECT_EQ(errno, EPERM);	/* valid, not granted */
	p.sched_priority = 0;
	CN_EXPECT_EQ(sched_setscheduler(0, SCHED_FIFO, &p), -1);
	CN_EXPECT_EQ(errno, EINVAL);	/* FIFO needs 1..99 */
	CN_EXPECT_EQ(sched_setscheduler(0, 77, &p), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sched_setscheduler(4242, SCHED_OTHER, &p), -1);
	CN_EXPECT_EQ(errno, ESRCH);
	CN_EXPECT_EQ(sched_setscheduler(0, SCHED_OTHER, NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);

	p.sched_priority = 9;
	CN_EXPECT_EQ(sched_getparam(0, &p), 0);
	CN_EXPECT_EQ(p.sched_priority, 0);
	CN_EXPECT_EQ(sched_getparam(4242, &p), -1);
	CN_EXPECT_EQ(errno, ESRCH);
	CN_EXPECT_EQ(sched_setparam(0, &p), 0);
	p.sched_priority = 1;
	CN_EXPECT_EQ(sched_setparam(0, &p), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sched_setparam(4242, &p), -1);
	CN_EXPECT_EQ(errno, ESRCH);
}

static void *nothing(void *arg)
{
	return arg;
}

CN_TEST(pthread, thread_scheduling_attributes)
{
	struct sched_param p = { 0 };
	pthread_attr_t a;
	pthread_t t;
	int v;

	pthread_attr_init(&a);
	pthread_attr_getschedpolicy(&a, &v);
	CN_EXPECT_EQ(v, SCHED_OTHER);
	pthread_attr_getinheritsched(&a, &v);
	CN_EXPECT_EQ(v, PTHREAD_INHERIT_SCHED);
	pthread_attr_getscope(&a, &v);
	CN_EXPECT_EQ(v, PTHREAD_SCOPE_SYSTEM);
	CN_EXPECT_EQ(pthread_attr_setscope(&a, PTHREAD_SCOPE_PROCESS),
		     ENOTSUP);
	CN_EXPECT_EQ(pthread_attr_setscope(&a, 9), EINVAL);
	CN_EXPECT_EQ(pthread_attr_setscope(&a, PTHREAD_SCOPE_SYSTEM), 0);
	CN_EXPECT_EQ(pthread_attr_setinheritsched(&a, 5), EINVAL);
	CN_EXPECT_EQ(pthread_attr_setschedpolicy(&a, 42), EINVAL);
	p.sched_priority = 3;
	CN_EXPECT_EQ(pthread_attr_setschedparam(&a, &p), EINVAL);
	CN_EXPECT_EQ(pthread_attr_setschedpolicy(&a, SCHED_FIFO), 0);
	CN_EXPECT_EQ(pthread_attr_setschedparam(&a, &p), 0);
	p.sched_priority = 0;
	pthread_attr_getschedparam(&a, &p);
	CN_EXPECT_EQ(p.sched_priority, 3);
	/* Inherited, the policy asked for is ignored: the thread starts. */
	CN_ASSERT_EQ(pthread_create(&t, &a, nothing, NULL), 0);
	pthread_join(t, NULL);
	CN_EXPECT_EQ(pthread_attr_setinheritsched(&a,
						  PTHREAD_EXPLICIT_SCHED), 0);
	CN_EXPECT_EQ(pthread_create(&t, &a, nothing, NULL), EPERM);
	pthread_attr_setschedpolicy(&a, SCHED_OTHER);
	p.sched_priority = 0;
	pthread_attr_setschedparam(&a, &p);
	CN_ASSERT_EQ(pthread_create(&t, &a, nothing, NULL), 0);
	pthread_join(t, NULL);

	CN_EXPECT_EQ(pthread_getschedparam(pthread_self(), &v, &p), 0);
	CN_EXPECT_EQ(v, SCHED_OTHER);
	CN_EXPECT_EQ(p.sched_priority, 0);
	CN_EXPECT_EQ(pthread_setschedparam(pthread_self(), SCHED_OTHER, &p),
		     0);
	p.sched_priority = 10;
	CN_EXPECT_EQ(pthread_setschedparam(pthread_self(), SCHED_RR, &p),
		     EPERM);
	CN_EXPECT_EQ(pthread_setschedparam(pthread_self(), SCHED_OTHER, &p),
		     EINVAL);
	CN_EXPECT_EQ(pthread_getschedparam(t, &v, &p), ESRCH); /* joined */
	CN_EXPECT_EQ(pthread_yield(), 0);
}

static void *stack_probe(void *arg)
{
	pthread_attr_t a;
	void *addr;
	size_t size;
	char here;
	intptr_t ok = 0;

	if (pthread_getattr_np(pthread_self(), &a))
		return (void *)-2;
	pthread_attr_getstack(&a, &addr, &size);
	if (size >= 65536 && (char *)addr <= &here &&
	    &here < (char *)addr + size)
		ok = 1;
	return (void *)ok;
}

CN_TEST(pthread, stack_and_guard_attributes)
{
	static char mine[65536];
	pthread_attr_t a;
	pthread_t t;
	void *addr, *rv;
	size_t size;

	pthread_attr_init(&a);
	pthread_attr_getguardsize(&a, &size);
	CN_EXPECT_EQ(size, (size_t)CN_PAGE_SIZE);
	CN_EXPECT_EQ(pthread_attr_setguardsize(&a, 3 * CN_PAGE_SIZE), 0);
	pthread_attr_getguardsize(&a, &size);
	CN_EXPECT_EQ(size, (size_t)3 * CN_PAGE_SIZE);
	CN_EXPECT_EQ(pthread_attr_setstack(&a, mine, 100), EINVAL);
	CN_EXPECT_EQ(pthread_attr_setstack(&a, mine, sizeof(mine)), 0);
	pthread_attr_getstack(&a, &addr, &size);
	CN_EXPECT_TRUE(addr == mine);
	CN_EXPECT_EQ(size, sizeof(mine));
	/* The thread runs on a stack of that size, and finds it. */
	CN_ASSERT_EQ(pthread_create(&t, &a, stack_probe, NULL), 0);
	pthread_join(t, &rv);
	CN_EXPECT_EQ((intptr_t)rv, 1);
	CN_EXPECT_EQ(pthread_getattr_np(t, &a), ESRCH);	/* joined */
}

static sem_t n_hold;

static void *named(void *arg)
{
	sem_wait(&n_hold);
	return NULL;
}

CN_TEST(pthread, names_as_linux_and_as_ps_shows)
{
	char buf[32], small[15];
	pthread_t t;

	sem_init(&n_hold, 0, 0);
	CN_ASSERT_EQ(pthread_create(&t, NULL, named, NULL), 0);
	CN_EXPECT_EQ(pthread_setname_np(t, "worker-7"), 0);
	CN_EXPECT_STREQ(cn_thread_name(t), "worker-7");	/* what ps lists */
	CN_EXPECT_EQ(pthread_getname_np(t, buf, sizeof(buf)), 0);
	CN_EXPECT_STREQ(buf, "worker-7");
	CN_EXPECT_EQ(pthread_setname_np(t, "sixteen-chars-xx"), ERANGE);
	CN_EXPECT_EQ(pthread_setname_np(t, "fifteen-chars-x"), 0);
	CN_EXPECT_EQ(pthread_getname_np(t, buf, 16), 0);
	CN_EXPECT_STREQ(buf, "fifteen-chars-x");
	CN_EXPECT_EQ(pthread_getname_np(t, small, sizeof(small)), ERANGE);
	CN_EXPECT_EQ(pthread_setname_np(t, NULL), EINVAL);
	sem_post(&n_hold);
	pthread_join(t, NULL);
	CN_EXPECT_EQ(pthread_setname_np(t, "gone"), ESRCH);
	CN_EXPECT_EQ(pthread_getname_np(t, buf, sizeof(buf)), ESRCH);
}

CN_TEST(pthread, mutex_and_cond_attributes)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutex_t m;
	clockid_t clk;
	int v;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_getpshared(&ma, &v);
	CN_EXPECT_EQ(v, PTHREAD_PROCESS_PRIVATE);
	CN_EXPECT_EQ(pthread_mutexattr_setpshared(&ma, 3), EINVAL);
	CN_EXPECT_EQ(pthread_mutexattr_setpshared(&ma,
						  PTHREAD_PROCESS_SHARED), 0);
	pthread_mutexattr_getpshared(&ma, &v);
	CN_EXPECT_EQ(v, PTHREAD_PROCESS_SHARED);
	CN_EXPECT_EQ(pthread_mutexattr_setprotocol(&ma, 8), EINVAL);
	CN_EXPECT_EQ(pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT),
		     0);
	pthread_mutexattr_getprotocol(&ma, &v);
	CN_EXPECT_EQ(v, PTHREAD_PRIO_INHERIT);
	CN_EXPECT_EQ(pthread_mutexattr_setrobust(&ma, 2), EINVAL);
	CN_EXPECT_EQ(pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST), 0);
	pthread_mutexattr_getrobust(&ma, &v);
	CN_EXPECT_EQ(v, PTHREAD_MUTEX_ROBUST);
	CN_ASSERT_EQ(pthread_mutex_init(&m, &ma), 0);
	CN_EXPECT_EQ(pthread_mutex_lock(&m), 0);
	CN_EXPECT_EQ(pthread_mutex_consistent(&m), EINVAL); /* consistent */
	CN_EXPECT_EQ(pthread_mutex_unlock(&m), 0);

	pthread_condattr_init(&ca);
	pthread_condattr_getclock(&ca, &clk);
	CN_EXPECT_EQ(clk, CLOCK_REALTIME);
	CN_EXPECT_EQ(pthread_condattr_setclock(&ca, CLOCK_THREAD_CPUTIME_ID),
		     EINVAL);
	CN_EXPECT_EQ(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), 0);
	pthread_condattr_getclock(&ca, &clk);
	CN_EXPECT_EQ(clk, CLOCK_MONOTONIC);
	CN_EXPECT_EQ(pthread_condattr_setpshared(&ca, 5), EINVAL);
	CN_EXPECT_EQ(pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED),
		     0);
	pthread_condattr_getpshared(&ca, &v);
	CN_EXPECT_EQ(v, PTHREAD_PROCESS_SHARED);
}

static int64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static pthread_mutex_t mc_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mc_c;
static int mc_flag;

static void *mc_signal(void *arg)
{
	cn_thread_sleep_ns(5000000);
	pthread_mutex_lock(&mc_m);
	mc_flag = 1;
	pthread_cond_signal(&mc_c);
	pthread_mutex_unlock(&mc_m);
	return NULL;
}

CN_TEST(pthread, cond_timedwait_honours_clock_monotonic)
{
	pthread_condattr_t ca;
	struct timespec abs;
	int64_t start, took;
	pthread_t t;
	int rc = 0;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	CN_ASSERT_EQ(pthread_cond_init(&mc_c, &ca), 0);
	/* 20 ms ahead on the monotonic clock: as a CLOCK_REALTIME time
	 * (decades earlier) it would time out at once. */
	start = mono_ns();
	abs.tv_sec = (start + 20000000) / 1000000000;
	abs.tv_nsec = (start + 20000000) % 1000000000;
	pthread_mutex_lock(&mc_m);
	CN_EXPECT_EQ(pthread_cond_timedwait(&mc_c, &mc_m, &abs), ETIMEDOUT);
	pthread_mutex_unlock(&mc_m);
	took = mono_ns() - start;
	CN_EXPECT_GE(took, 20000000);
	CN_EXPECT_LT(took, 2000000000);
	/* And a signal before the deadline ends the wait. */
	mc_flag = 0;
	start = mono_ns();
	abs.tv_sec = (start + 2000000000) / 1000000000;
	abs.tv_nsec = (start + 2000000000) % 1000000000;
	CN_ASSERT_EQ(pthread_create(&t, NULL, mc_signal, NULL), 0);
	pthread_mutex_lock(&mc_m);
	while (!mc_flag && rc == 0)
		rc = pthread_cond_timedwait(&mc_c, &mc_m, &abs);
	pthread_mutex_unlock(&mc_m);
	pthread_join(t, NULL);
	CN_EXPECT_EQ(rc, 0);
	CN_EXPECT_EQ(mc_flag, 1);
	CN_EXPECT_LT(mono_ns() - start, 1500000000);
}

static void *hold_n(void *arg)
{
	sem_wait(&n_hold);
	return NULL;
}

CN_TEST(pthread, cpu_clocks_and_atfork)
{
	struct timespec ts;
	clockid_t clk;
	pthread_t t;

	CN_EXPECT_EQ(pthread_getcpuclockid(pthread_self(), &clk), 0);
	CN_EXPECT_EQ(clock_gettime(clk, &ts), 0);
	sem_init(&n_hold, 0, 0);
	CN_ASSERT_EQ(pthread_create(&t, NULL, hold_n, NULL), 0);
	CN_EXPECT_EQ(pthread_getcpuclockid(t, &clk), ENOENT);
	sem_post(&n_hold);
	pthread_join(t, NULL);
	CN_EXPECT_EQ(pthread_getcpuclockid(t, &clk), ESRCH);
	CN_EXPECT_EQ(pthread_atfork(NULL, NULL, NULL), 0);
}
