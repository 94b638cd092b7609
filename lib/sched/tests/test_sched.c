/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/sched: threads, the cooperative scheduler, wait queues, sync. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cairn/sched.h>
#include <cairn/sched_policy.h>
#include <cairn/sync.h>
#include <cairn/test.h>
#include <cairn/cpu.h>
#include <cairn/timer.h>

static void *ret_arg(void *arg)
{
	return arg;
}

/*
 * Waits (5 s at most) for t to reach state s. One yield is not enough
 * with SMP: a new thread may start on another CPU, later.
 */
static int wait_state(struct cn_thread *t, enum cn_thread_state s)
{
	uint64_t end = cn_time_ns() + 5000000000ull;

	while (cn_thread_state(t) != s && cn_time_ns() < end)
		cn_thread_sleep_ns(1000000);
	return cn_thread_state(t) == s;
}

CN_TEST(sched, create_and_join_returns_the_value)
{
	struct cn_thread *t;
	struct cn_thread_attr attr = { .name = "answer" };
	void *rv = NULL;

	CN_ASSERT_EQ(cn_thread_create(&t, &attr, ret_arg, (void *)42), 0);
	CN_EXPECT_STREQ(cn_thread_name(t), "answer");
	/* Cooperative on one CPU: it waits for this thread to block.
	 * Preemptive: a timer tick (late on a loaded host) may already have
	 * run it; with SMP another CPU may. */
	if (cn_cpu_count() == 1 &&
	    !strcmp(cn_sched_policy_name(), "cooperative"))
		CN_EXPECT_EQ(cn_thread_state(t), CN_THREAD_READY);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_EQ((intptr_t)rv, 42);
}

CN_TEST(sched, a_thousand_threads_created_and_joined)
{
	static struct cn_thread *t[1000];
	unsigned int i, bad = 0;
	void *rv;

	for (i = 0; i < 1000; i++)
		CN_ASSERT_EQ(cn_thread_create(&t[i], NULL, ret_arg,
					      (void *)(uintptr_t)i), 0);
	for (i = 0; i < 1000; i++) {
		CN_ASSERT_EQ(cn_thread_join(t[i], &rv), 0);
		bad += (uintptr_t)rv != i;
	}
	CN_EXPECT_EQ(bad, 0);
}

/* A bounded buffer of 4 slots, 2 producers and 2 consumers, 1000 items. */
enum { SLOTS = 4, ITEMS = 1000 };
static struct {
	int buf[SLOTS];
	unsigned int in, out;
	struct cn_sem free, used;
	struct cn_mutex lock;
	long sum;
} bb;

static void *sem_producer(void *arg)
{
	int i, base = (int)(intptr_t)arg;

	for (i = 0; i < ITEMS / 2; i++) {
		cn_sem_wait(&bb.free);
		cn_mutex_lock(&bb.lock);
		bb.buf[bb.in++ % SLOTS] = base + i;
		cn_mutex_unlock(&bb.lock);
		cn_sem_post(&bb.used);
		if (i % 7 == 0)
			cn_thread_yield();
	}
	return NULL;
}

static void *sem_consumer(void *arg)
{
	int i;

	for (i = 0; i < ITEMS / 2; i++) {
		cn_sem_wait(&bb.used);
		cn_mutex_lock(&bb.lock);
		bb.sum += bb.buf[bb.out++ % SLOTS];
		cn_mutex_unlock(&bb.lock);
		cn_sem_post(&bb.free);
	}
	return NULL;
}

CN_TEST(sched, producer_consumer_with_semaphores)
{
	struct cn_thread *t[4];
	long expect = 0;
	int i;

	cn_sem_init(&bb.free, SLOTS);
	cn_sem_init(&bb.used, 0);
	cn_mutex_init(&bb.lock, 0);
	bb.in = bb.out = 0;
	bb.sum = 0;
	CN_ASSERT_EQ(cn_thread_create(&t[0], NULL, sem_consumer, NULL), 0);
	CN_ASSERT_EQ(cn_thread_create(&t[1], NULL, sem_producer, (void *)0), 0);
	CN_ASSERT_EQ(cn_thread_create(&t[2], NULL, sem_consumer, NULL), 0);
	CN_ASSERT_EQ(cn_thread_create(&t[3], NULL, sem_producer,
				      (void *)100000), 0);
	for (i = 0; i < 4; i++)
		CN_EXPECT_EQ(cn_thread_join(t[i], NULL), 0);
	for (i = 0; i < ITEMS / 2; i++)
		expect += i + 100000 + i;
	CN_EXPECT_EQ(bb.sum, expect);
	CN_EXPECT_EQ(bb.in, ITEMS);
}

static struct {
	int buf[SLOTS];
	unsigned int n, in, out;
	struct cn_mutex m;
	struct cn_cond not_full, not_empty;
	long sum;
} cb;

static void *cond_producer(void *arg)
{
	int i;

	for (i = 1; i <= ITEMS; i++) {
		cn_mutex_lock(&cb.m);
		while (cb.n == SLOTS)
			cn_cond_wait(&cb.not_full, &cb.m);
		cb.buf[cb.in++ % SLOTS] = i;
		cb.n++;
		cn_cond_signal(&cb.not_empty);
		cn_mutex_unlock(&cb.m);
	}
	return NULL;
}

static void *cond_consumer(void *arg)
{
	int i;

	for (i = 0; i < ITEMS; i++) {
		cn_mutex_lock(&cb.m);
		while (cb.n == 0)
			cn_cond_wait(&cb.not_empty, &cb.m);
		cb.sum += cb.buf[cb.out++ % SLOTS];
		cb.n--;
		cn_cond_signal(&cb.not_full);
		cn_mutex_unlock(&cb.m);
	}
	return NULL;
}

CN_TEST(sched, producer_consumer_with_condition_variables)
{
	struct cn_thread *p, *c;

	cn_mutex_init(&cb.m, 0);
	cn_cond_init(&cb.not_full);
	cn_cond_init(&cb.not_empty);
	CN_ASSERT_EQ(cn_thread_create(&c, NULL, cond_consumer, NULL), 0);
	CN_ASSERT_EQ(cn_thread_create(&p, NULL, cond_producer, NULL), 0);
	CN_EXPECT_EQ(cn_thread_join(p, NULL), 0);
	CN_EXPECT_EQ(cn_thread_join(c, NULL), 0);
	CN_EXPECT_EQ(cb.sum, (long)ITEMS * (ITEMS + 1) / 2);
}

static struct cn_mutex fair = CN_MUTEX_INIT;
static char fair_log[301];
static unsigned int fair_n;
static struct cn_thread *volatile fair_t[3];

/* Every other contender waits for the mutex or is done. */
static int others_queued(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		struct cn_thread *t = fair_t[i];

		if (t == cn_thread_current())
			continue;
		if (!t || (cn_thread_state(t) != CN_THREAD_BLOCKED &&
			   cn_thread_state(t) != CN_THREAD_EXITED))
			return 0;
	}
	return 1;
}

static void *contender(void *arg)
{
	int i;

	for (i = 0; i < 100; i++) {
		cn_mutex_lock(&fair);
		fair_log[fair_n++] = (char)(uintptr_t)arg;
		/*
		 * The others queue up meanwhile: one yield on one CPU; with
		 * SMP they may still be on their way on other CPUs.
		 */
		do
			cn_thread_yield();
		while (!others_queued());
		cn_mutex_unlock(&fair);
	}
	return NULL;
}

CN_TEST(sched, mutex_is_handed_over_in_fifo_order)
{
	struct cn_thread *t[3];
	unsigned int i, repeats = 0;

	fair_n = 0;
	for (i = 0; i < 3; i++) {
		CN_ASSERT_EQ(cn_thread_create(&t[i], NULL, contender,
					      (void *)(uintptr_t)('a' + i)), 0);
		fair_t[i] = t[i];
	}
	for (i = 0; i < 3; i++)
		cn_thread_join(t[i], NULL);
	CN_ASSERT_EQ(fair_n, 300);
	for (i = 1; i < 297; i++)	/* all three contend until the end */
		repeats += fair_log[i] == fair_log[i - 1];
	CN_EXPECT_EQ(repeats, 0);
}

static volatile int ticks;

static void *ticker(void *arg)
{
	while (!*(volatile int *)arg) {
		ticks++;
		cn_thread_yield();
	}
	return NULL;
}

/*
 * The ticker is pinned to this CPU: its sleep must hand this CPU over.
 * (On another vCPU it would depend on the host running that vCPU within
 * the 10 ms, which a loaded 2-core host running 4 of them did not.)
 */
CN_TEST(sched, sleeping_lets_others_run_and_never_ends_early)
{
	struct timespec req = { .tv_sec = 0, .tv_nsec = 10000000 };
	struct cn_thread_attr a = { .name = "ticker" };
	volatile int stop = 0;
	struct cn_thread *t;
	uint64_t t0, dt;

	ticks = 0;
	if (cn_cpu_count() > 1)
		a.cpu_mask = 1ull << cn_cpu_id();
	CN_ASSERT_EQ(cn_thread_create(&t, &a, ticker, (void *)&stop), 0);
	t0 = cn_time_ns();
	CN_EXPECT_EQ(nanosleep(&req, NULL), 0);
	dt = cn_time_ns() - t0;
	CN_EXPECT_GE(dt, 10000000);
	printf("# thread sleep 10 ms: overshoot %llu us, %d ticks meanwhile\n",
	       (unsigned long long)(dt - 10000000) / 1000, ticks);
	CN_EXPECT_GT(ticks, 0);
	stop = 1;
	cn_thread_join(t, NULL);
}

CN_TEST(sched, condition_wait_times_out_holding_the_mutex)
{
	struct cn_mutex m = CN_MUTEX_INIT;
	struct cn_cond c = CN_COND_INIT;
	uint64_t t0;

	cn_mutex_lock(&m);
	t0 = cn_time_ns();
	CN_EXPECT_EQ(cn_cond_wait_until(&c, &m, t0 + 5000000), -ETIMEDOUT);
	CN_EXPECT_GE(cn_time_ns() - t0, 5000000);
	CN_EXPECT_EQ(cn_mutex_unlock(&m), 0);	/* we held it again */
	CN_EXPECT_EQ(cn_cond_wait(&c, &m), -EPERM);
}

static void *errno_setter(void *arg)
{
	errno = 42;
	cn_thread_yield();
	return (void *)(intptr_t)errno;
}

CN_TEST(sched, errno_is_per_thread)
{
	struct cn_thread *t;
	void *rv;

	CN_ASSERT_EQ(cn_thread_create(&t, NULL, errno_setter, NULL), 0);
	errno = 7;
	cn_thread_yield();
	CN_EXPECT_EQ(errno, 7);
	cn_thread_join(t, &rv);
	CN_EXPECT_EQ((intptr_t)rv, 42);
}

static void *long_sleeper(void *arg)
{
	cn_thread_sleep_ns(10000000000ull);
	return (void *)1;
}

CN_TEST(sched, killing_a_sleeping_thread)
{
	struct cn_thread *t;
	uint64_t t0 = cn_time_ns();
	void *rv = NULL;

	CN_ASSERT_EQ(cn_thread_create(&t, NULL, long_sleeper, NULL), 0);
	CN_EXPECT_TRUE(wait_state(t, CN_THREAD_SLEEPING));
	CN_EXPECT_EQ(cn_thread_kill(t), 0);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == CN_THREAD_KILLED);
	CN_EXPECT_LT(cn_time_ns() - t0, 1000000000ull);
}

static struct cn_sem d_hold;

static void *wait_posted(void *arg)
{
	cn_sem_wait(arg);
	return NULL;
}

CN_TEST(sched, joining_an_exited_thread_and_join_errors)
{
	struct cn_thread *t, *d;
	struct cn_thread_attr det = { .flags = CN_THREAD_DETACHED };
	void *rv;

	CN_ASSERT_EQ(cn_thread_create(&t, NULL, ret_arg, (void *)5), 0);
	CN_EXPECT_TRUE(wait_state(t, CN_THREAD_EXITED));
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_EQ((intptr_t)rv, 5);
	CN_EXPECT_EQ(cn_thread_join(cn_thread_current(), NULL), -EDEADLK);
	/* Alive until posted: with SMP a detached thread that returns at
	 * once may already be freed, and asking about it is undefined. */
	cn_sem_init(&d_hold, 0);
	CN_ASSERT_EQ(cn_thread_create(&d, &det, wait_posted, &d_hold), 0);
	CN_EXPECT_EQ(cn_thread_join(d, NULL), -EINVAL);
	cn_sem_post(&d_hold);
	cn_thread_yield();		/* d exits and is freed */
	CN_EXPECT_EQ(cn_thread_create(NULL, &(struct cn_thread_attr){
		.stack_size = 100 }, ret_arg, NULL), -EINVAL);
}

CN_TEST(sched, mutex_and_semaphore_errors)
{
	struct cn_mutex m = CN_MUTEX_INIT, r = CN_MUTEX_INIT_RECURSIVE;
	struct cn_sem s = CN_SEM_INIT(0);

	CN_EXPECT_EQ(cn_mutex_unlock(&m), -EPERM);
	CN_EXPECT_EQ(cn_mutex_lock(&m), 0);
	CN_EXPECT_EQ(cn_mutex_lock(&m), -EDEADLK);
	CN_EXPECT_EQ(cn_mutex_unlock(&m), 0);
	CN_EXPECT_EQ(cn_mutex_lock(&r), 0);
	CN_EXPECT_EQ(cn_mutex_lock(&r), 0);
	CN_EXPECT_EQ(cn_mutex_trylock(&r), 0);
	CN_EXPECT_EQ(cn_mutex_unlock(&r), 0);
	CN_EXPECT_EQ(cn_mutex_unlock(&r), 0);
	CN_EXPECT_EQ(cn_mutex_unlock(&r), 0);
	CN_EXPECT_EQ(cn_mutex_unlock(&r), -EPERM);
	CN_EXPECT_EQ(cn_sem_trywait(&s), -EAGAIN);
	CN_EXPECT_EQ(cn_sem_wait_until(&s, cn_time_ns() + 2000000), -ETIMEDOUT);
	cn_sem_post(&s);
	CN_EXPECT_EQ(cn_sem_trywait(&s), 0);
}

static void *printer(void *arg)
{
	int i;

	for (i = 0; i < 3; i++) {
		printf("# thread %s line %d\n",
		       cn_thread_name(cn_thread_current()), i);
		cn_thread_yield();
	}
	return NULL;
}

CN_TEST(sched, stdio_from_several_threads_and_stack_use)
{
	struct cn_thread *a, *b;

	CN_ASSERT_EQ(cn_thread_create(&a, &(struct cn_thread_attr){
		.name = "p1" }, printer, NULL), 0);
	CN_ASSERT_EQ(cn_thread_create(&b, &(struct cn_thread_attr){
		.name = "p2" }, printer, NULL), 0);
	cn_thread_yield();
	CN_EXPECT_GT(cn_thread_stack_used(a), 0);
	CN_EXPECT_LT(cn_thread_stack_used(a), cn_thread_stack_size(a));
	cn_thread_join(a, NULL);
	cn_thread_join(b, NULL);
}

#define ODD_STACK	(5 * 4096 + 4096)	/* a size no other thread has */

static void *dig(void *arg)
{
	volatile char deep[12 * 1024];
	size_t i;

	for (i = 0; i < sizeof(deep); i += 512)
		deep[i] = (char)i;
	return (void *)cn_thread_stack_base(cn_thread_current());
}

static void *stack_use_at_start(void *arg)
{
	(void)arg;
	return (void *)cn_thread_stack_used(cn_thread_current());
}

/*
 * A thread that used 12 KiB of its stack ends; the next thread of the
 * same size (with SMP, on the kept stack) starts with its stack reading
 * as unused, so `ps` and cn_thread_stack_used() stay right.
 */
CN_TEST(sched, a_thread_after_another_starts_with_its_stack_unused)
{
	struct cn_thread_attr attr = { .name = "odd", .stack_size = ODD_STACK };
	struct cn_thread *t;
	void *base = NULL, *used = NULL;

	CN_ASSERT_EQ(cn_thread_create(&t, &attr, dig, NULL), 0);
	CN_ASSERT_EQ(cn_thread_join(t, &base), 0);
	CN_ASSERT_EQ(cn_thread_create(&t, &attr, stack_use_at_start, NULL), 0);
#ifdef CONFIG_SMP
	CN_EXPECT_EQ(cn_thread_stack_base(t), base);	/* kept, reused */
#endif
	CN_ASSERT_EQ(cn_thread_join(t, &used), 0);
	CN_EXPECT_GT((size_t)used, 0);
	CN_EXPECT_LT((size_t)used, 4096);
}

#ifdef CONFIG_SMP
#define KEPT_STACK	(16 * 4096)	/* sizes no other thread has */
#define NEW_STACK	(7 * 4096)

static void *give_back(void *arg)
{
	return arg;
}

/*
 * With the heap full but for the new thread's structure, a thread still
 * starts while a stack of another size is kept: cn_thread_create()
 * frees the kept stacks and tries again, and the new stack is carved
 * from the kept one's memory.
 */
CN_TEST(sched, a_full_heap_takes_back_the_kept_stacks)
{
	struct cn_thread_attr kept = { .name = "kept",
				       .stack_size = KEPT_STACK };
	struct cn_thread_attr fresh = { .name = "fresh",
					.stack_size = NEW_STACK };
	struct cn_thread *t;
	void *reserve, *list = NULL, *p, *ret = NULL;
	unsigned char *old, *base = NULL;
	size_t size = (size_t)1 << 36;
	int err;

	cn_thread_stacks_release();
	CN_ASSERT_EQ(cn_thread_create(&t, &kept, give_back, NULL), 0);
	old = cn_thread_stack_base(t);
	CN_ASSERT_EQ(cn_thread_join(t, NULL), 0);	/* its stack is kept */
	reserve = malloc(16 * 1024);	/* room for the thread, not its stack */
	CN_ASSERT_NOT_NULL(reserve);
	while (size >= 16) {		/* the rest, largest blocks first */
		p = malloc(size);
		if (!p) {
			size /= 2;
			continue;
		}
		*(void **)p = list;
		list = p;
	}
	free(reserve);
	err = cn_thread_create(&t, &fresh, give_back, (void *)1);
	if (!err) {
		base = cn_thread_stack_base(t);
		cn_thread_join(t, &ret);
	}
	while (list) {
		p = *(void **)list;
		free(list);
		list = p;
	}
	CN_ASSERT_EQ(err, 0);
	CN_EXPECT_EQ(ret, (void *)1);
	CN_EXPECT_GE(base, old - 4096);
	CN_EXPECT_LT(base, old + KEPT_STACK);
}
#endif

#ifdef CONFIG_LIB_SCHED_PREEMPT
static volatile unsigned long spins[2];
static volatile int spin_stop;

static void *spinner(void *arg)
{
	while (!spin_stop)
		spins[(intptr_t)arg]++;		/* never yields */
	return NULL;
}

CN_TEST(sched, preemption_lets_two_busy_loops_progress)
{
	struct cn_thread *a, *b;

	spin_stop = 0;
	spins[0] = spins[1] = 0;
	CN_ASSERT_EQ(cn_thread_create(&a, NULL, spinner, (void *)0), 0);
	CN_ASSERT_EQ(cn_thread_create(&b, NULL, spinner, (void *)1), 0);
	cn_thread_sleep_ns(100000000);		/* 100 ms, several slices */
	spin_stop = 1;
	cn_thread_join(a, NULL);
	cn_thread_join(b, NULL);
	printf("# busy loops: %lu and %lu iterations\n", spins[0], spins[1]);
	CN_EXPECT_GT(spins[0], 0);
	CN_EXPECT_GT(spins[1], 0);
}
#endif

CN_TEST(sched, the_chosen_policy_is_installed)
{
#ifdef CONFIG_LIB_SCHED_PREEMPT
	CN_EXPECT_STREQ(cn_sched_policy_name(), "preemptive");
#else
	CN_EXPECT_STREQ(cn_sched_policy_name(), "cooperative");
#endif
}

static int ran_flag;
static struct cn_sem never_posted;

/* Sets the flag, then waits for ever: only a kill ends it. */
static void *set_ran(void *arg)
{
	ran_flag = 1;
	cn_sem_wait(&never_posted);
	return arg;
}

static void *sleep_on_through_eintr(void *arg)
{
	/* Ignores -EINTR: killing must still end it. */
	for (;;)
		cn_thread_sleep_ns(1000000);
	return arg;
}

CN_TEST(sched, killed_threads_end_even_before_running_or_ignoring_eintr)
{
	struct cn_thread *t;
	void *rv = NULL;

	ran_flag = 0;
	cn_sem_init(&never_posted, 0);
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, set_ran, NULL), 0);
	CN_EXPECT_EQ(cn_thread_kill(t), 0);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == CN_THREAD_KILLED);
	/* With more CPUs another one may have started it meanwhile. */
	if (cn_cpu_online() == 1)
		CN_EXPECT_EQ(ran_flag, 0);
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, sleep_on_through_eintr, NULL),
		     0);
	cn_thread_yield();
	CN_EXPECT_EQ(cn_thread_kill(t), 0);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == CN_THREAD_KILLED);
}

/*
 * cn_thread_stop()/cn_thread_resume(): a thread that sleeps in a loop and
 * counts stops at its next wake-up (STOPPED, the count stands still) and
 * goes on when resumed; the errors.
 */
static volatile unsigned long stop_ticks;

static void *stop_ticker(void *arg)
{
	while (cn_thread_sleep_ns(1000000) == 0)
		stop_ticks++;
	return arg;
}

CN_TEST(sched, a_stopped_thread_waits_for_resume)
{
	struct cn_thread *t, *done;
	unsigned long n;
	uint64_t end;

	stop_ticks = 0;
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, stop_ticker, NULL), 0);
	end = cn_time_ns() + 5000000000ull;
	while (stop_ticks < 3 && cn_time_ns() < end)
		cn_thread_sleep_ns(1000000);
	CN_ASSERT_EQ(cn_thread_stop(t), 0);
	CN_EXPECT_EQ(cn_thread_stop(t), -EALREADY);
	CN_ASSERT_TRUE(wait_state(t, CN_THREAD_STOPPED));
	CN_EXPECT_STREQ(cn_thread_state_name(CN_THREAD_STOPPED), "stopped");
	n = stop_ticks;
	cn_thread_sleep_ns(20000000);
	CN_EXPECT_EQ(stop_ticks, n);			/* it did not run */
	CN_EXPECT_EQ(cn_thread_state(t), CN_THREAD_STOPPED);
	CN_ASSERT_EQ(cn_thread_resume(t), 0);
	CN_EXPECT_EQ(cn_thread_resume(t), -EINVAL);
	end = cn_time_ns() + 5000000000ull;
	while (stop_ticks < n + 3 && cn_time_ns() < end)
		cn_thread_sleep_ns(1000000);
	CN_EXPECT_GE(stop_ticks, n + 3);		/* it runs again */
	/* A stopped thread that is killed runs to its end. */
	CN_ASSERT_EQ(cn_thread_stop(t), 0);
	CN_ASSERT_TRUE(wait_state(t, CN_THREAD_STOPPED));
	CN_EXPECT_EQ(cn_thread_kill(t), 0);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	CN_EXPECT_EQ(cn_thread_stop(cn_thread_current()), -EDEADLK);
	CN_ASSERT_EQ(cn_thread_create(&done, NULL, ret_arg, NULL), 0);
	CN_ASSERT_TRUE(wait_state(done, CN_THREAD_EXITED));
	CN_EXPECT_EQ(cn_thread_stop(done), -ESRCH);
	CN_EXPECT_EQ(cn_thread_resume(done), -ESRCH);
	CN_EXPECT_EQ(cn_thread_join(done, NULL), 0);
}

/* A READY thread that is stopped leaves the run queue at once. */
CN_TEST(sched, stopping_a_ready_thread_keeps_it_from_running)
{
	struct cn_thread *t;
	struct cn_thread_attr attr = { .cpu_mask = 1 };

	stop_ticks = 0;
	/* Pinned to this CPU (0): it cannot run before this thread blocks. */
	CN_ASSERT_EQ(cn_thread_set_affinity(cn_thread_current(), 1), 0);
	CN_ASSERT_EQ(cn_thread_create(&t, &attr, stop_ticker, NULL), 0);
	if (!strcmp(cn_sched_policy_name(), "cooperative")) {
		CN_EXPECT_EQ(cn_thread_state(t), CN_THREAD_READY);
		CN_ASSERT_EQ(cn_thread_stop(t), 0);
		CN_EXPECT_EQ(cn_thread_state(t), CN_THREAD_STOPPED);
		cn_thread_sleep_ns(10000000);
		CN_EXPECT_EQ(stop_ticks, 0);
	} else {
		CN_ASSERT_EQ(cn_thread_stop(t), 0);
		CN_EXPECT_TRUE(wait_state(t, CN_THREAD_STOPPED));
	}
	CN_EXPECT_EQ(cn_thread_set_affinity(cn_thread_current(), 0), 0);
	CN_EXPECT_EQ(cn_thread_kill(t), 0);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
}

/*
 * Per-CPU run queues (with SMP, on every CPU count; on one CPU they are
 * trivially true). A thread moved to another CPU while it sleeps wakes
 * there; a running thread whose mask changes moves at its next yield;
 * threads with masks never run elsewhere, however much stealing the busy
 * loops around them cause; wake-ups across CPUs under contention lose
 * nothing (the sums).
 */
CN_TEST(sched, a_thread_moved_while_sleeping_wakes_on_its_new_cpu)
{
	unsigned int n = cn_cpu_count(), i, bad = 0;
	struct cn_thread *self = cn_thread_current();

	for (i = 0; i < 40; i++) {
		unsigned int c = i % n;

		CN_ASSERT_EQ(cn_thread_set_affinity(self, 1ull << c), 0);
		bad += cn_cpu_id() != c;
		cn_thread_sleep_ns(200000);
		bad += cn_cpu_id() != c;
		bad += cn_thread_cpu(self) != c;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(cn_thread_set_affinity(self, 0), 0);
}

static struct cn_thread *sleeper_target;
static volatile unsigned int sleeper_cpu[64];

static void *mover_sleeper(void *arg)
{
	unsigned int i;

	for (i = 0; i < 64; i++) {
		cn_thread_sleep_ns(300000);
		sleeper_cpu[i] = cn_cpu_id();
	}
	return arg;
}

CN_TEST(sched, another_thread_moves_a_sleeper)
{
	unsigned int n = cn_cpu_count(), i, bad = 0;
	uint64_t mask;

	for (i = 0; i < 64; i++)
		sleeper_cpu[i] = ~0u;		/* each round writes its CPU */
	CN_ASSERT_EQ(cn_thread_create(&sleeper_target, NULL, mover_sleeper,
				      NULL), 0);
	/* Masks change while it sleeps, runs or waits for a CPU. */
	for (i = 0; i < 200; i++) {
		mask = 1ull << (i % n);
		CN_ASSERT_EQ(cn_thread_set_affinity(sleeper_target, mask), 0);
		cn_thread_sleep_ns(100000);
	}
	CN_ASSERT_EQ(cn_thread_set_affinity(sleeper_target, 1), 0);
	CN_ASSERT_EQ(cn_thread_join(sleeper_target, NULL), 0);
	for (i = 0; i < 64; i++)
		bad += sleeper_cpu[i] >= n;
	CN_EXPECT_EQ(bad, 0);
}

static volatile unsigned int run_cpu;
static volatile int run_stop;

static void *yielder(void *arg)
{
	while (!run_stop) {
		run_cpu = cn_cpu_id();
		cn_thread_yield();
	}
	return arg;
}

CN_TEST(sched, a_running_thread_follows_its_new_mask)
{
	unsigned int n = cn_cpu_count(), i, moved = 0;
	struct cn_thread *t;

	run_stop = 0;
	run_cpu = ~0u;
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, yielder, NULL), 0);
	for (i = 0; i < 60; i++) {
		unsigned int c = (i * 7 + 1) % n;
		uint64_t end = cn_time_ns() + 5000000000ull;

		CN_ASSERT_EQ(cn_thread_set_affinity(t, 1ull << c), 0);
		/* Once it has run on c, it runs nowhere else. */
		while (run_cpu != c && cn_time_ns() < end)
			cn_thread_sleep_ns(50000);
		moved += run_cpu == c;
		cn_thread_sleep_ns(100000);
		moved -= run_cpu != c;
	}
	run_stop = 1;
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	CN_EXPECT_EQ(moved, 60);
}

enum { PINNED = 8, PIN_ROUNDS = 300 };
static volatile unsigned int pin_bad, pin_spin_stop;
static struct cn_sem pin_sem[PINNED];
static volatile unsigned long pin_sum;
static struct cn_mutex pin_lock;

/* A thread with a mask: checks the CPU at every step, hands a token on. */
static void *pinned_worker(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg, i;
	uint64_t mask = cn_thread_affinity(cn_thread_current());

	for (i = 0; i < PIN_ROUNDS; i++) {
		cn_sem_wait(&pin_sem[me]);
		if (!((mask >> cn_cpu_id()) & 1))
			pin_bad++;
		cn_mutex_lock(&pin_lock);
		pin_sum += i;
		cn_mutex_unlock(&pin_lock);
		cn_sem_post(&pin_sem[(me + 1) % PINNED]);
		if (i % 5 == 0)
			cn_thread_yield();
		if (!((mask >> cn_cpu_id()) & 1))
			pin_bad++;
	}
	return NULL;
}

static void *pin_spinner(void *arg)
{
	while (!pin_spin_stop)
		cn_thread_yield();
	return arg;
}

CN_TEST(sched, stealing_never_runs_a_thread_outside_its_mask)
{
	unsigned int n = cn_cpu_count(), i;
	struct cn_thread *w[PINNED], *s[4];
	uint64_t all = n >= 64 ? ~0ull : (1ull << n) - 1;

	pin_bad = 0;
	pin_sum = 0;
	pin_spin_stop = 0;
	cn_mutex_init(&pin_lock, 0);
	for (i = 0; i < PINNED; i++)
		cn_sem_init(&pin_sem[i], i == 0);
	/* Unpinned busy threads keep queues long: idle CPUs steal. */
	for (i = 0; i < 4; i++)
		CN_ASSERT_EQ(cn_thread_create(&s[i], NULL, pin_spinner, NULL), 0);
	for (i = 0; i < PINNED; i++) {
		/* One CPU, or every CPU but one (when there are several). */
		uint64_t m = i % 2 ? 1ull << (i % n) :
			     (n > 1 ? all & ~(1ull << (i % n)) : all);
		struct cn_thread_attr attr = { .cpu_mask = m };

		CN_ASSERT_EQ(cn_thread_create(&w[i], &attr, pinned_worker,
					      (void *)(uintptr_t)i), 0);
	}
	for (i = 0; i < PINNED; i++)
		CN_EXPECT_EQ(cn_thread_join(w[i], NULL), 0);
	pin_spin_stop = 1;
	for (i = 0; i < 4; i++)
		CN_EXPECT_EQ(cn_thread_join(s[i], NULL), 0);
	CN_EXPECT_EQ(pin_bad, 0);
	CN_EXPECT_EQ(pin_sum, (unsigned long)PINNED * PIN_ROUNDS *
			      (PIN_ROUNDS - 1) / 2);
}

/*
 * Wake-ups across CPUs under contention: pairs of threads, each side
 * pinned to a different CPU where there are several, hand a semaphore
 * back and forth 2,000 times while all contend on one mutex; a lost
 * wake-up would hang the pair (the deadline fails it instead).
 */
enum { PAIRS = 3, HANDS = 2000 };
static struct cn_sem ping[PAIRS], pong[PAIRS];
static volatile unsigned long hands_done, hand_timeouts;

static void *hand_side(void *arg)
{
	unsigned int v = (unsigned int)(uintptr_t)arg, p = v / 2, i;
	struct cn_sem *mine = v % 2 ? &pong[p] : &ping[p];
	struct cn_sem *theirs = v % 2 ? &ping[p] : &pong[p];

	for (i = 0; i < HANDS; i++) {
		if (cn_sem_wait_until(mine, cn_time_ns() + 10000000000ull)) {
			hand_timeouts++;
			return NULL;
		}
		cn_mutex_lock(&pin_lock);
		hands_done++;
		cn_mutex_unlock(&pin_lock);
		cn_sem_post(theirs);
	}
	return NULL;
}

CN_TEST(sched, wakeups_across_cpus_under_contention_are_not_lost)
{
	unsigned int n = cn_cpu_count(), i;
	struct cn_thread *t[2 * PAIRS];

	hands_done = 0;
	hand_timeouts = 0;
	cn_mutex_init(&pin_lock, 0);
	for (i = 0; i < PAIRS; i++) {
		cn_sem_init(&ping[i], 1);
		cn_sem_init(&pong[i], 0);
	}
	for (i = 0; i < 2 * PAIRS; i++) {
		struct cn_thread_attr attr = { .cpu_mask = 1ull << (i % n) };

		CN_ASSERT_EQ(cn_thread_create(&t[i], &attr, hand_side,
					      (void *)(uintptr_t)i), 0);
	}
	for (i = 0; i < 2 * PAIRS; i++)
		CN_EXPECT_EQ(cn_thread_join(t[i], NULL), 0);
	CN_EXPECT_EQ(hand_timeouts, 0);
	CN_EXPECT_EQ(hands_done, 2ul * PAIRS * HANDS);
}

/*
 * Idle polling (sched.idle_poll_us): a CPU whose thread blocks spins
 * for a while before it halts, and the CPU that hands it a thread sets
 * its flag instead of sending an IPI. Semaphore hand-overs between CPU 0
 * and CPU 1 with a long poll are taken while polling (poll_hits); with
 * polling off no CPU polls; no hand-over is lost either way.
 */
enum { POLL_HANDS = 100 };
static struct cn_sem poll_a, poll_b;

static void *poll_side(void *arg)
{
	unsigned int i;

	for (i = 0; i < POLL_HANDS; i++) {
		if (cn_sem_wait_until(&poll_a, cn_time_ns() + 10000000000ull))
			return (void *)1;
		cn_sem_post(&poll_b);
	}
	return NULL;
}

/*
 * Waits (CPU 0 spinning on yields) until t is blocked and, when CPU 1
 * may poll, until CPU 1 has begun a poll since polls_before, for at most
 * 20 ms: a hand-over posted then is one a poll can catch. Without the
 * wait the round measured a race: when CPU 1's thread came back to its
 * semaphore after CPU 0 had already posted it, it never blocked, CPU 1
 * never polled, and a round could end with no hit at all (about one
 * preemptive arm64 run in ten). 20 ms keeps a CPU whose window is
 * closed (the adaptive case) within the bound, so its next idle period
 * polls again.
 */
static void await_blocked(struct cn_thread *t, int polling,
			  unsigned long long polls_before)
{
	uint64_t end = cn_time_ns() + 2000000000ull, poll_end = 0;
	struct cn_sched_cpu_stats st;

	while (cn_time_ns() < end) {
		if (cn_thread_state(t) == CN_THREAD_BLOCKED) {
			if (!polling)
				return;
			if (!poll_end)
				poll_end = cn_time_ns() + 20000000ull;
			cn_sched_cpu_stats_read(1, &st);
			if (st.polls > polls_before || cn_time_ns() >= poll_end)
				return;
		}
		cn_thread_yield();
	}
}

/*
 * POLL_HANDS hand-overs with polling set to us (negative: left as it
 * is), each posted once CPU 1's thread waits for it; CPU 1's stats delta.
 */
static void poll_round(int us, struct cn_sched_cpu_stats *d)
{
	struct cn_sched_cpu_stats before, after, now;
	struct cn_thread_attr attr = { .cpu_mask = 2 };
	struct cn_thread *t;
	unsigned int i, timeouts = 0;
	void *rv = (void *)1;
	int polling;

	if (us >= 0)
		cn_sched_idle_poll_us(us);
	polling = cn_sched_idle_poll_us(-1) > 0;
	cn_sem_init(&poll_a, 0);
	cn_sem_init(&poll_b, 0);
	cn_sched_cpu_stats_read(1, &before);
	CN_ASSERT_EQ(cn_thread_create(&t, &attr, poll_side, NULL), 0);
	for (i = 0; i < POLL_HANDS; i++) {
		cn_sched_cpu_stats_read(1, &now);
		await_blocked(t, polling, now.polls);
		cn_sem_post(&poll_a);
		timeouts += cn_sem_wait_until(&poll_b, cn_time_ns() +
					      10000000000ull) != 0;
	}
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_NULL(rv);
	CN_EXPECT_EQ(timeouts, 0);
	cn_sched_cpu_stats_read(1, &after);
	d->polls = after.polls - before.polls;
	d->poll_hits = after.poll_hits - before.poll_hits;
}

CN_TEST(sched, an_idle_cpu_polls_for_a_handover_before_it_halts)
{
	struct cn_thread *self = cn_thread_current();
	struct cn_sched_cpu_stats d;
	int old = cn_sched_idle_poll_us(-1);

	CN_EXPECT_EQ(cn_sched_idle_poll_us(old), old);
	if (cn_cpu_count() < 2 || cn_cpu_online() < 2)
		return;			/* one CPU: nothing to hand over to */
	CN_ASSERT_EQ(cn_thread_set_affinity(self, 1), 0);
	/*
	 * Off first: a CPU decides to poll and counts it under the big
	 * lock, which the stats read takes after the setting changed.
	 */
	poll_round(0, &d);
	CN_EXPECT_EQ(d.polls, 0);
	/*
	 * A poll begun before the round (the previous setting's) may
	 * still catch its first hand-over: one hit at most.
	 */
	CN_EXPECT_LE(d.poll_hits, 1);
	/*
	 * 200 ms: longer than any hand-over, even on a loaded host. Each
	 * hand-over is posted while CPU 1 polls, so nearly all are hits
	 * (one poll more: CPU 1 idles once its thread has ended).
	 */
	poll_round(200000, &d);
	CN_EXPECT_GE(d.poll_hits, POLL_HANDS / 2);
	CN_EXPECT_LE(d.poll_hits, d.polls);
	cn_sched_idle_poll_us(old);
	CN_EXPECT_EQ(cn_thread_set_affinity(self, 0), 0);
}

/*
 * Polling adapts: a CPU whose idle periods all outlast the bound (a
 * thread pinned there sleeping 250 ms at a time, the bound 200 ms)
 * stops polling after four of them, and hand-overs that come within the
 * bound make it poll again, with no change of the setting.
 */
enum { LONG_SLEEPS = 7, LONG_SLEEP_NS = 250000000 };

static void *long_idler(void *arg)
{
	struct cn_sched_cpu_stats *st = arg;
	int i;

	for (i = 0; i < LONG_SLEEPS; i++) {
		if (i == 4)		/* four long idle periods so far */
			cn_sched_cpu_stats_read(1, &st[0]);
		cn_thread_sleep_ns(LONG_SLEEP_NS);
	}
	cn_sched_cpu_stats_read(1, &st[1]);
	return NULL;
}

CN_TEST(sched, an_idle_cpu_stops_polling_when_polls_never_pay)
{
	struct cn_thread *self = cn_thread_current(), *t;
	struct cn_thread_attr attr = { .cpu_mask = 2 };
	struct cn_sched_cpu_stats st[2], first, d;
	int old = cn_sched_idle_poll_us(-1);

	if (cn_cpu_count() < 2 || cn_cpu_online() < 2)
		return;			/* one CPU: nothing polls */
	CN_ASSERT_EQ(cn_thread_set_affinity(self, 1), 0);
	cn_sched_idle_poll_us(200000);
	cn_sched_cpu_stats_read(1, &first);
	CN_ASSERT_EQ(cn_thread_create(&t, &attr, long_idler, st), 0);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	/* It polled at first, then the last three sleeps were halts. */
	CN_EXPECT_GT(st[0].polls - first.polls, 0);
	CN_EXPECT_EQ(st[1].polls - st[0].polls, 0);
	/* Hand-overs within the bound: polling again, and catching them. */
	poll_round(-1, &d);
	CN_EXPECT_GT(d.polls, 0);
	CN_EXPECT_GT(d.poll_hits, 0);
	cn_sched_idle_poll_us(old);
	CN_EXPECT_EQ(cn_thread_set_affinity(self, 0), 0);
}

/*
 * A yield with nothing else READY returns without the scheduler's lock;
 * a thread spinning on such yields is still stopped, resumed and
 * killed at its next yield.
 */
static volatile unsigned long lone_yields;

static void *lone_yielder(void *arg)
{
	for (;;) {
		cn_thread_yield();
		lone_yields++;
	}
	return arg;
}

CN_TEST(sched, a_thread_yielding_alone_is_stopped_and_killed)
{
	struct cn_thread *t;
	uint64_t end;
	unsigned long seen;
	void *rv = NULL;

	lone_yields = 0;
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, lone_yielder, NULL), 0);
	end = cn_time_ns() + 5000000000ull;
	while (lone_yields < 100 && cn_time_ns() < end)
		cn_thread_sleep_ns(1000000);
	CN_EXPECT_GE(lone_yields, 100ul);
	CN_EXPECT_EQ(cn_thread_stop(t), 0);
	end = cn_time_ns() + 5000000000ull;
	while (cn_thread_state(t) != CN_THREAD_STOPPED && cn_time_ns() < end)
		cn_thread_sleep_ns(1000000);
	CN_EXPECT_EQ(cn_thread_state(t), CN_THREAD_STOPPED);
	seen = lone_yields;
	cn_thread_sleep_ns(5000000);
	CN_EXPECT_EQ(lone_yields, seen);	/* it does not run */
	CN_EXPECT_EQ(cn_thread_resume(t), 0);
	end = cn_time_ns() + 5000000000ull;
	while (lone_yields == seen && cn_time_ns() < end)
		cn_thread_sleep_ns(1000000);
	CN_EXPECT_GT(lone_yields, seen);
	CN_EXPECT_EQ(cn_thread_kill(t), 0);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == CN_THREAD_KILLED);
}

/*
 * Mailboxes: two producers on different CPUs post numbered messages
 * through a 4-slot mailbox to two consumers; none is lost or doubled,
 * and each consumer sees each producer's messages in order (FIFO).
 */
enum { MB_ITEMS = 3000, MB_SLOTS = 4 };
static struct cn_mbox mbq;
static void *mbq_slots[MB_SLOTS];
static unsigned long mb_sum[2], mb_got[2], mb_disorder, mb_fails;

static void *mb_producer(void *arg)
{
	uintptr_t who = (uintptr_t)arg, i;

	for (i = 1; i <= MB_ITEMS; i++)
		if (cn_mbox_post(&mbq, (void *)(who << 24 | i),
				 cn_time_ns() + 10000000000ull))
			__atomic_add_fetch(&mb_fails, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void *mb_consumer(void *arg)
{
	uintptr_t me = (uintptr_t)arg, last[2] = { 0, 0 }, i;

	for (i = 0; i < MB_ITEMS; i++) {
		void *m;
		uintptr_t v, who;

		if (cn_mbox_fetch(&mbq, &m, cn_time_ns() + 10000000000ull)) {
			__atomic_add_fetch(&mb_fails, 1, __ATOMIC_RELAXED);
			continue;
		}
		v = (uintptr_t)m;
		who = v >> 24;
		if (who > 1 || (v & 0xffffff) <= last[who])
			__atomic_add_fetch(&mb_disorder, 1, __ATOMIC_RELAXED);
		else
			last[who] = v & 0xffffff;
		mb_sum[me] += v & 0xffffff;
		mb_got[me]++;
	}
	return NULL;
}

CN_TEST(sched, a_mailbox_carries_every_message_in_order_across_cpus)
{
	unsigned int n = cn_cpu_count(), i;
	struct cn_thread *t[4];
	void *(*fn[4])(void *) = { mb_producer, mb_consumer, mb_producer,
				    mb_consumer };

	cn_mbox_init(&mbq, mbq_slots, MB_SLOTS);
	mb_sum[0] = mb_sum[1] = mb_got[0] = mb_got[1] = 0;
	mb_disorder = mb_fails = 0;
	for (i = 0; i < 4; i++) {
		struct cn_thread_attr attr = { .cpu_mask = 1ull << (i % n) };

		CN_ASSERT_EQ(cn_thread_create(&t[i], &attr, fn[i],
					      (void *)(uintptr_t)(i / 2)), 0);
	}
	for (i = 0; i < 4; i++)
		CN_EXPECT_EQ(cn_thread_join(t[i], NULL), 0);
	CN_EXPECT_EQ(mb_fails, 0ul);
	CN_EXPECT_EQ(mb_disorder, 0ul);
	CN_EXPECT_EQ(mb_got[0] + mb_got[1], 2ul * MB_ITEMS);
	CN_EXPECT_EQ(mb_sum[0] + mb_sum[1],
		     (unsigned long)MB_ITEMS * (MB_ITEMS + 1));
	CN_EXPECT_EQ(cn_mbox_count(&mbq), 0u);
}

static void *mb_fetch_one(void *arg)
{
	void *m = NULL;
	int rc = cn_mbox_fetch(arg, &m, 0);

	return rc ? (void *)(intptr_t)rc : m;
}

CN_TEST(sched, mailbox_full_empty_timeouts_and_interruption)
{
	struct cn_mbox mb;
	void *slots[2], *m = NULL, *rv = NULL;
	struct cn_thread *t;
	uint64_t start, deadline;

	cn_mbox_init(&mb, slots, 2);
	CN_EXPECT_EQ(cn_mbox_tryfetch(&mb, &m), -EAGAIN);
	CN_EXPECT_EQ(cn_mbox_trypost(&mb, (void *)1), 0);
	CN_EXPECT_EQ(cn_mbox_post(&mb, (void *)2, 0), 0);
	CN_EXPECT_EQ(cn_mbox_trypost(&mb, (void *)3), -EAGAIN);
	CN_EXPECT_EQ(cn_mbox_count(&mb), 2u);
	start = cn_time_ns();
	deadline = start + 20000000;
	CN_EXPECT_EQ(cn_mbox_post(&mb, (void *)3, deadline), -ETIMEDOUT);
	CN_EXPECT_GE(cn_time_ns(), deadline);
	CN_EXPECT_EQ(cn_mbox_fetch(&mb, &m, 0), 0);
	CN_EXPECT_TRUE(m == (void *)1);
	CN_EXPECT_EQ(cn_mbox_tryfetch(&mb, &m), 0);
	CN_EXPECT_TRUE(m == (void *)2);
	deadline = cn_time_ns() + 20000000;
	CN_EXPECT_EQ(cn_mbox_fetch(&mb, &m, deadline), -ETIMEDOUT);
	CN_EXPECT_GE(cn_time_ns(), deadline);

	/* A reader asleep on it: interrupted, then one that gets a post. */
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, mb_fetch_one, &mb), 0);
	CN_ASSERT_TRUE(wait_state(t, CN_THREAD_BLOCKED));
	CN_EXPECT_EQ(cn_waitq_interrupt(&mb.readers, t), 1);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_EQ((intptr_t)rv, -EINTR);
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, mb_fetch_one, &mb), 0);
	CN_ASSERT_TRUE(wait_state(t, CN_THREAD_BLOCKED));
	CN_EXPECT_EQ(cn_mbox_trypost(&mb, (void *)7), 0);
	CN_EXPECT_EQ(cn_thread_join(t, &rv), 0);
	CN_EXPECT_TRUE(rv == (void *)7);
	CN_EXPECT_EQ(cn_mbox_count(&mb), 0u);
}

/*
 * Event counts: a waiter whose count has moved does not sleep, one
 * whose count stays times out; and across CPUs, a value raised then
 * signalled is never missed by a waiter that read the count before
 * looking at the value (no round times out).
 */
enum { EV_ROUNDS = 2000 };
static struct cn_event ev;
static unsigned long ev_value, ev_ack, ev_timeouts;
static struct cn_event ev_back;

static void *ev_waiter(void *arg)
{
	unsigned long i;

	for (i = 1; i <= EV_ROUNDS; i++) {
		for (;;) {
			unsigned long seen = cn_event_read(&ev);

			if (__atomic_load_n(&ev_value, __ATOMIC_ACQUIRE) >= i)
				break;
			if (cn_event_wait(&ev, seen, cn_time_ns() +
					  10000000000ull) == -ETIMEDOUT)
				ev_timeouts++;
		}
		__atomic_store_n(&ev_ack, i, __ATOMIC_RELEASE);
		cn_event_signal(&ev_back);
	}
	return arg;
}

CN_TEST(sched, an_event_count_never_loses_a_signal)
{
	unsigned int n = cn_cpu_count();
	struct cn_thread_attr attr = { .cpu_mask = 1ull << (1 % n) };
	struct cn_event e = CN_EVENT_INIT;
	struct cn_thread *t;
	unsigned long seen, i, back_timeouts = 0;
	uint64_t deadline;

	seen = cn_event_read(&e);
	cn_event_signal(&e);
	CN_EXPECT_EQ(cn_event_wait(&e, seen, 0), 0);	/* moved: no sleep */
	deadline = cn_time_ns() + 20000000;
	CN_EXPECT_EQ(cn_event_wait(&e, cn_event_read(&e), deadline),
		     -ETIMEDOUT);
	CN_EXPECT_GE(cn_time_ns(), deadline);

	ev_value = ev_ack = ev_timeouts = 0;
	CN_ASSERT_EQ(cn_thread_create(&t, &attr, ev_waiter, NULL), 0);
	for (i = 1; i <= EV_ROUNDS; i++) {
		__atomic_store_n(&ev_value, i, __ATOMIC_RELEASE);
		cn_event_signal(&ev);
		for (;;) {
			seen = cn_event_read(&ev_back);
			if (__atomic_load_n(&ev_ack, __ATOMIC_ACQUIRE) >= i)
				break;
			if (cn_event_wait(&ev_back, seen, cn_time_ns() +
					  10000000000ull) == -ETIMEDOUT)
				back_timeouts++;
		}
	}
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	CN_EXPECT_EQ(ev_timeouts, 0ul);
	CN_EXPECT_EQ(back_timeouts, 0ul);
	CN_EXPECT_EQ(ev_ack, (unsigned long)EV_ROUNDS);
}
