/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/time: clocks, sleeps, timers, the C library's time calls. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cairn/test.h>
#include <cairn/timer.h>

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

CN_TEST(time, monotonic_never_goes_back)
{
	int64_t prev = mono_ns(), now;
	int i;

	for (i = 0; i < 1000; i++) {
		now = mono_ns();
		CN_ASSERT_TRUE(now >= prev);
		prev = now;
	}
}

CN_TEST(time, sleep_of_10_ms_never_ends_early)
{
	struct timespec req = { .tv_sec = 0, .tv_nsec = 10000000 };
	int64_t t0, dt;
	int i;

	for (i = 0; i < 3; i++) {
		t0 = mono_ns();
		CN_EXPECT_EQ(nanosleep(&req, NULL), 0);
		dt = mono_ns() - t0;
		CN_EXPECT_GE(dt, 10000000);
		/* Informative only: TCG on a loaded host makes bounds flaky. */
		printf("# nanosleep 10 ms: overshoot %lld us\n",
		       (long long)(dt - 10000000) / 1000);
	}
	t0 = mono_ns();
	CN_EXPECT_EQ(usleep(2000), 0);
	CN_EXPECT_GE(mono_ns() - t0, 2000000);
	CN_EXPECT_EQ(sleep(0), 0);
}

CN_TEST(time, bad_arguments_are_einval)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000000 };

	errno = 0;
	CN_EXPECT_EQ(nanosleep(&ts, NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CN_EXPECT_EQ(nanosleep(&ts, NULL), -1);
	errno = 0;
	CN_EXPECT_EQ(clock_gettime((clockid_t)99, &ts), -1);
	CN_EXPECT_EQ(errno, EINVAL);
}

static char order[8];
static int fired;
static void record(struct cn_timer *t)
{
	order[fired++] = (char)(uintptr_t)t->arg;
}

CN_TEST(time, timers_fire_in_deadline_order_and_stop_works)
{
	struct cn_timer a = { .arg = (void *)'a' }, b = { .arg = (void *)'b' };
	struct cn_timer c = { .arg = (void *)'c' }, d = { .arg = (void *)'d' };
	uint64_t now = cn_time_ns();

	/*
	 * d and c sit far behind a and b, and a 100 ms ahead of b, so a
	 * vCPU that the host leaves unscheduled for a few milliseconds (TCG
	 * on a busy machine) cannot make the stops race their deadlines, or
	 * b fire before a is queued (it did, with 1 ms between them, in an
	 * arm64 unit run on 4 vCPUs beside other guests).  d is taken out of the middle
	 * of the queue; c is still pending after a and b have fired.
	 */
	fired = 0;
	cn_timer_start(&c, now + 20000000000ull, record);
	cn_timer_start(&b, now + 200000000, record);
	cn_timer_start(&d, now + 10000000000ull, record);
	cn_timer_start(&a, now + 100000000, record);
	CN_EXPECT_EQ(cn_timer_stop(&d), 1);
	CN_EXPECT_EQ(cn_timer_stop(&d), 0);
	cn_time_sleep_until(now + 400000000);
	order[fired] = '\0';
	CN_EXPECT_STREQ(order, "ab");
	CN_EXPECT_EQ(cn_timer_stop(&c), 1);
	CN_EXPECT_EQ(cn_timer_stop(&a), 0);
	order[fired] = '\0';
	CN_EXPECT_STREQ(order, "ab");
}

CN_TEST(time, realtime_comes_from_the_rtc)
{
	struct timeval tv;
	struct timespec ts;
	time_t t = time(NULL);

	CN_EXPECT_GT(t, 1600000000);		/* after 2020 */
	CN_EXPECT_EQ(gettimeofday(&tv, NULL), 0);
	CN_EXPECT_LE(tv.tv_sec - t, 1);
	ts.tv_sec = 1000000000;
	ts.tv_nsec = 0;
	CN_EXPECT_EQ(clock_settime(CLOCK_REALTIME, &ts), 0);
	CN_EXPECT_LT(time(NULL) - 1000000000, 2);
	ts.tv_sec = t;
	clock_settime(CLOCK_REALTIME, &ts);
}

CN_TEST(time, clock_counts_time)
{
	clock_t c0 = clock();

	usleep(20000);
	CN_EXPECT_GT(clock(), c0);
}

CN_TEST(time, clock_nanosleep_relative_and_absolute)
{
	struct timespec req = { 0, 10000000 }, rem = { 9, 9 }, now;
	int64_t t0, dt;

	t0 = mono_ns();
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), 0);
	dt = mono_ns() - t0;
	CN_EXPECT_GE(dt, 10000000);
	CN_EXPECT_EQ(rem.tv_sec, 9);	/* untouched when not interrupted */
	/* Absolute, 20 ms ahead on MONOTONIC, then on REALTIME. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 20000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	t0 = mono_ns();
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now,
				     NULL), 0);
	dt = mono_ns() - t0;
	CN_EXPECT_GE(dt, 15000000);
	CN_EXPECT_LT(dt, 1000000000);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += 1;
	now.tv_nsec = 0;		/* the next whole second: < 1 s away */
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &now,
				     NULL), 0);
	/* How late it woke, on the deadline's own clock: not early, and
	 * within a bound a vCPU descheduled by a loaded host stays under
	 * (a stopwatch started after the deadline was read counted the
	 * time already gone in the second against the bound). The bound
	 * is 5 s: in CI a 2-CPU image woke 3.1 s late while tests/
	 * test_smp.py booted 13 vCPUs side by side on 2 host cores; a
	 * deadline converted wrongly between the clocks is off by more. */
	clock_gettime(CLOCK_REALTIME, &req);
	dt = (int64_t)(req.tv_sec - now.tv_sec) * 1000000000 +
	     (req.tv_nsec - now.tv_nsec);
	CN_EXPECT_GE(dt, 0);
	CN_EXPECT_LT(dt, 5000000000ll);
	/* A deadline in the past returns at once. */
	now.tv_sec = 1;
	t0 = mono_ns();
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &now,
				     NULL), 0);
	CN_EXPECT_LT(mono_ns() - t0, 5000000);
}

CN_TEST(time, clock_nanosleep_returns_errors_without_errno)
{
	struct timespec ts = { 0, 1000 }, bad = { 0, 1000000000 };
	clockid_t id = 0;

	errno = 0;
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_REALTIME, 0, &bad, NULL), EINVAL);
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, NULL, NULL), EINVAL);
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0x80, &ts, NULL),
		     EINVAL);
	CN_EXPECT_EQ(clock_nanosleep((clockid_t)99, 0, &ts, NULL), EINVAL);
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL),
		     EINVAL);
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &ts, NULL),
		     ENOTSUP);
	CN_EXPECT_EQ(errno, 0);
	CN_EXPECT_EQ(clock_getcpuclockid(0, &id), 0);
	CN_EXPECT_EQ(id, CLOCK_PROCESS_CPUTIME_ID);
	id = 0;
	CN_EXPECT_EQ(clock_getcpuclockid(1, &id), 0);
	CN_EXPECT_EQ(id, CLOCK_PROCESS_CPUTIME_ID);
	CN_EXPECT_EQ(clock_getcpuclockid(42, &id), ESRCH);
	CN_EXPECT_EQ(clock_getcpuclockid(0, NULL), EINVAL);
	CN_EXPECT_EQ(clock_gettime(id, &ts), 0);	/* the clock reads */
	CN_EXPECT_EQ(errno, 0);
}

#ifdef CONFIG_LIB_POSIX_SIGNAL
static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A signal handler ends the sleep: EINTR and the time left. */
CN_TEST(time, clock_nanosleep_interrupted_gives_the_time_left)
{
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	struct sigaction sa = { 0 };
	int64_t t0;

	sa.sa_handler = on_alarm;
	CN_ASSERT_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	alarms = 0;
	t0 = mono_ns();
	CN_EXPECT_EQ(ualarm(30000, 0), 0);
	CN_EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem), EINTR);
	CN_EXPECT_LT(mono_ns() - t0, 1000000000);
	CN_EXPECT_EQ(alarms, 1);
	CN_EXPECT_EQ(rem.tv_sec, 1);	/* about 1.97 s were left */
	CN_EXPECT_GT(rem.tv_nsec, 500000000);
	signal(SIGALRM, SIG_DFL);
}
#endif
