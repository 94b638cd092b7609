/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/pthread: ordinary POSIX threaded code, as an app would write it. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>
#include <cairn/test.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static int queue[8], qn;
static long total;

static void *consumer(void *arg)
{
	int got = 0;

	while (got < 100) {
		pthread_mutex_lock(&lock);
		while (qn == 0)
			pthread_cond_wait(&ready, &lock);
		total += queue[--qn];
		got++;
		pthread_cond_broadcast(&ready);
		pthread_mutex_unlock(&lock);
	}
	return (void *)(intptr_t)got;
}

CN_TEST(pthread, producer_consumer_with_mutex_and_condition)
{
	pthread_t c;
	void *rv;
	int i;

	total = 0;
	qn = 0;
	CN_ASSERT_EQ(pthread_create(&c, NULL, consumer, NULL), 0);
	for (i = 1; i <= 100; i++) {
		pthread_mutex_lock(&lock);
		while (qn == 8)
			pthread_cond_wait(&ready, &lock);
		queue[qn++] = i;
		pthread_cond_signal(&ready);
		pthread_mutex_unlock(&lock);
	}
	CN_EXPECT_EQ(pthread_join(c, &rv), 0);
	CN_EXPECT_EQ((intptr_t)rv, 100);
	CN_EXPECT_EQ(total, 5050);
}

static pthread_key_t key;
static int destroyed;

static void key_dtor(void *v)
{
	destroyed += (int)(intptr_t)v;
}

static void *key_user(void *arg)
{
	pthread_setspecific(key, arg);
	sched_yield();				/* others set theirs meanwhile */
	return pthread_getspecific(key);
}

CN_TEST(pthread, keys_are_per_thread_with_destructors)
{
	pthread_t a, b;
	void *ra, *rb;

	destroyed = 0;
	CN_ASSERT_EQ(pthread_key_create(&key, key_dtor), 0);
	CN_ASSERT_EQ(pthread_create(&a, NULL, key_user, (void *)10), 0);
	CN_ASSERT_EQ(pthread_create(&b, NULL, key_user, (void *)20), 0);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	CN_EXPECT_EQ((intptr_t)ra, 10);
	CN_EXPECT_EQ((intptr_t)rb, 20);
	CN_EXPECT_EQ(destroyed, 30);
	CN_EXPECT_NULL(pthread_getspecific(key));	/* main set none */
	CN_EXPECT_EQ(pthread_key_delete(key), 0);
	CN_EXPECT_EQ(pthread_setspecific(key, NULL), EINVAL);
}

static int once_calls;
static void once_fn(void)
{
	once_calls++;
}

CN_TEST(pthread, once_runs_once)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, once_fn);
	pthread_once(&once, once_fn);
	CN_EXPECT_EQ(once_calls, 1);
}

/* Holds its thread until the test posts: a thread known to be alive. */
static void *wait_on(void *arg)
{
	sem_wait(arg);
	return NULL;
}

static void *self_id(void *arg)
{
	return pthread_self();
}

CN_TEST(pthread, self_detach_and_join_errors)
{
	pthread_t t, d;
	pthread_attr_t attr;
	static sem_t hold;	/* outlives the test: its threads may not */
	void *rv;
	int state;

	CN_ASSERT_EQ(pthread_create(&t, NULL, self_id, NULL), 0);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_TRUE(pthread_equal((pthread_t)rv, t));
	CN_EXPECT_EQ(pthread_join(pthread_self(), NULL), EDEADLK);
	pthread_attr_init(&attr);
	CN_EXPECT_EQ(pthread_attr_setdetachstate(&attr, 7), EINVAL);
	CN_EXPECT_EQ(pthread_attr_setdetachstate(&attr,
						 PTHREAD_CREATE_DETACHED), 0);
	pthread_attr_getdetachstate(&attr, &state);
	CN_EXPECT_EQ(state, PTHREAD_CREATE_DETACHED);
	CN_EXPECT_EQ(pthread_attr_setstacksize(&attr, 100), EINVAL);
	/*
	 * Asking about a detached thread is only defined while it lives:
	 * with SMP a thread that returns at once may already have exited and
	 * been freed on another CPU. So these threads wait on a semaphore.
	 */
	sem_init(&hold, 0, 0);
	CN_ASSERT_EQ(pthread_create(&d, &attr, wait_on, &hold), 0);
	CN_EXPECT_EQ(pthread_join(d, NULL), EINVAL);
	CN_ASSERT_EQ(pthread_create(&t, NULL, wait_on, &hold), 0);
	CN_EXPECT_EQ(pthread_detach(t), 0);
	CN_EXPECT_EQ(pthread_detach(t), EINVAL);
	sem_post(&hold);
	sem_post(&hold);
	/* A thread that may have exited already is freed by detach. */
	CN_ASSERT_EQ(pthread_create(&t, NULL, self_id, NULL), 0);
	CN_EXPECT_EQ(pthread_detach(t), 0);
	sched_yield();
}

CN_TEST(pthread, mutex_types_and_timed_waits)
{
	pthread_mutex_t m, r;
	pthread_mutexattr_t ma;
	pthread_cond_t c;
	struct timespec abs;
	int type;

	pthread_mutexattr_init(&ma);
	CN_EXPECT_EQ(pthread_mutexattr_settype(&ma, 9), EINVAL);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutexattr_gettype(&ma, &type);
	CN_EXPECT_EQ(type, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&r, &ma);
	CN_EXPECT_EQ(pthread_mutex_lock(&r), 0);
	CN_EXPECT_EQ(pthread_mutex_lock(&r), 0);
	CN_EXPECT_EQ(pthread_mutex_destroy(&r), EBUSY);
	pthread_mutex_unlock(&r);
	pthread_mutex_unlock(&r);
	CN_EXPECT_EQ(pthread_mutex_destroy(&r), 0);
	pthread_mutex_init(&m, NULL);
	pthread_cond_init(&c, NULL);
	CN_EXPECT_EQ(pthread_mutex_unlock(&m), EPERM);
	pthread_mutex_lock(&m);
	CN_EXPECT_EQ(pthread_mutex_trylock(&m), EBUSY);
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 3000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	CN_EXPECT_EQ(pthread_cond_timedwait(&c, &m, &abs), ETIMEDOUT);
	CN_EXPECT_EQ(pthread_mutex_unlock(&m), 0);
	abs.tv_nsec = 2000000000;
	CN_EXPECT_EQ(pthread_cond_timedwait(&c, &m, &abs), EINVAL);
}

static sem_t s1, s2;
static void *sem_echo(void *arg)
{
	int i;

	for (i = 0; i < 50; i++) {
		sem_wait(&s1);
		sem_post(&s2);
	}
	return NULL;
}

CN_TEST(pthread, unnamed_semaphores)
{
	pthread_t t;
	struct timespec abs;
	int i, v;

	CN_ASSERT_EQ(sem_init(&s1, 0, 0), 0);
	CN_ASSERT_EQ(sem_init(&s2, 0, 0), 0);
	CN_EXPECT_EQ(sem_init(&s1, 1, 0), -1);
	CN_EXPECT_EQ(errno, ENOSYS);
	pthread_create(&t, NULL, sem_echo, NULL);
	for (i = 0; i < 50; i++) {
		sem_post(&s1);
		CN_EXPECT_EQ(sem_wait(&s2), 0);
	}
	pthread_join(t, NULL);
	CN_EXPECT_EQ(sem_trywait(&s2), -1);
	CN_EXPECT_EQ(errno, EAGAIN);
	clock_gettime(CLOCK_REALTIME, &abs);
	CN_EXPECT_EQ(sem_timedwait(&s2, &abs), -1);
	CN_EXPECT_EQ(errno, ETIMEDOUT);
	sem_post(&s2);
	sem_getvalue(&s2, &v);
	CN_EXPECT_EQ(v, 1);
}

static volatile int stay_wrong, stay_runs;
static void *stay(void *arg);

/*
 * Affinity (GNU calls): on however many CPUs the image has (the unit
 * image runs with SMP on 1, 2 and 4 CPUs in tests/test_smp.py).
 */
#include <sched.h>
#include <unistd.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>

static void set_all(cpu_set_t *s)
{
	unsigned int c;

	CPU_ZERO(s);
	for (c = 0; c < cn_cpu_count(); c++)
		CPU_SET(c, s);
}

CN_TEST(pthread, a_thread_pinned_to_a_cpu_runs_only_there)
{
	unsigned int c, n = cn_cpu_count();
	cpu_set_t s, got;

	CN_EXPECT_TRUE(sched_getcpu() >= 0 && sched_getcpu() < (int)n);
	CN_EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), (long)n);
	for (c = 0; c < n; c++) {
		int i, wrong = 0;

		CPU_ZERO(&s);
		CPU_SET(c, &s);
		CN_ASSERT_EQ(pthread_setaffinity_np(pthread_self(),
						    sizeof(s), &s), 0);
		for (i = 0; i < 200; i++) {	/* switches, maybe preemption */
			wrong += sched_getcpu() != (int)c;
			if (i % 50 == 0)
				cn_thread_sleep_ns(100000);
			else
				sched_yield();
		}
		CN_EXPECT_EQ(wrong, 0);
		CN_EXPECT_EQ(pthread_getaffinity_np(pthread_self(),
						    sizeof(got), &got), 0);
		CN_EXPECT_TRUE(CPU_EQUAL(&s, &got));
	}
	set_all(&s);
	CN_EXPECT_EQ(sched_setaffinity(0, sizeof(s), &s), 0);
	CN_EXPECT_EQ(sched_getaffinity(0, sizeof(got), &got), 0);
	CN_EXPECT_EQ(CPU_COUNT(&got), (int)n);
}

CN_TEST(pthread, affinity_rejects_sets_naming_no_online_cpu)
{
	pthread_attr_t a;
	cpu_set_t s;

	CPU_ZERO(&s);
	CN_EXPECT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(s), &s),
		     EINVAL);
	CPU_SET(cn_cpu_count(), &s);		/* no such CPU */
	CN_EXPECT_EQ(pthread_setaffinity_np(pthread_self(), sizeof(s), &s),
		     EINVAL);
	CN_EXPECT_EQ(pthread_setaffinity_np(pthread_self(), 4, &s), EINVAL);
	CN_EXPECT_EQ(sched_setaffinity(0, sizeof(s), &s), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sched_setaffinity(42, sizeof(s), &s), -1);
	CN_EXPECT_EQ(errno, ESRCH);
	CN_ASSERT_EQ(pthread_attr_init(&a), 0);
	CN_EXPECT_EQ(pthread_attr_setaffinity_np(&a, sizeof(s), &s), 0);
	CN_EXPECT_EQ(pthread_create(&(pthread_t){0}, &a, stay, NULL), EINVAL);
}

/* Records its CPU across sleeps and yields; arg: the CPU expected. */
static void *stay(void *arg)
{
	int i, want = (int)(intptr_t)arg;

	for (i = 0; i < 100; i++) {
		stay_wrong += sched_getcpu() != want;
		stay_runs++;
		if (i % 10 == 0)
			cn_thread_sleep_ns(50000);
		else
			sched_yield();
	}
	return NULL;
}

CN_TEST(pthread, attr_affinity_holds_from_the_first_instruction)
{
	int last = (int)cn_cpu_count() - 1;
	pthread_attr_t a;
	pthread_t t;
	cpu_set_t s;

	stay_wrong = stay_runs = 0;
	CPU_ZERO(&s);
	CPU_SET(last, &s);
	CN_ASSERT_EQ(pthread_attr_init(&a), 0);
	CN_ASSERT_EQ(pthread_attr_setaffinity_np(&a, sizeof(s), &s), 0);
	CN_ASSERT_EQ(pthread_create(&t, &a, stay, (void *)(intptr_t)last), 0);
	CN_ASSERT_EQ(pthread_join(t, NULL), 0);
	CN_EXPECT_EQ(stay_runs, 100);
	CN_EXPECT_EQ(stay_wrong, 0);
}

static volatile int moved_to = -1;
static volatile int sleeper_asleep, sleeper_moved;

/* Sleeps in 1 ms naps until told it was moved, then says where it woke:
 * never judged before the move, however late the host runs the mover. */
static void *sleep_then_report(void *arg)
{
	sleeper_asleep = 1;
	while (!sleeper_moved)
		cn_thread_sleep_ns(1000000);
	cn_thread_sleep_ns(1000000);		/* one more nap after the move */
	moved_to = sched_getcpu();
	return arg;
}

/* A sleeping thread's affinity changed: it wakes on the new CPU. */
CN_TEST(pthread, a_thread_migrates_while_sleeping)
{
	int last = (int)cn_cpu_count() - 1;
	pthread_attr_t a;
	pthread_t t;
	cpu_set_t s;

	moved_to = -1;
	sleeper_asleep = sleeper_moved = 0;
	CPU_ZERO(&s);
	CPU_SET(0, &s);
	CN_ASSERT_EQ(pthread_attr_init(&a), 0);
	CN_ASSERT_EQ(pthread_attr_setaffinity_np(&a, sizeof(s), &s), 0);
	CN_ASSERT_EQ(pthread_create(&t, &a, sleep_then_report, NULL), 0);
	while (!sleeper_asleep)
		sched_yield();
	CPU_ZERO(&s);
	CPU_SET(last, &s);
	CN_EXPECT_EQ(pthread_setaffinity_np(t, sizeof(s), &s), 0);
	sleeper_moved = 1;
	CN_ASSERT_EQ(pthread_join(t, NULL), 0);
	CN_EXPECT_EQ(moved_to, last);
}
