/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/posix-signal: sigwait and friends, sigqueue, sigaltstack,
 * siginterrupt, pthread_kill, setitimer/getitimer/alarm, the POSIX
 * timers (timer_create...), sigsetjmp/siglongjmp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cairn/sched.h>
#include <cairn/test.h>
#include <cairn/timer.h>

#define ERR(call) ((call) < 0 ? -errno : 0)
#define MS 1000000ull

static volatile int hits[_NSIG];
static volatile int got_code, got_value;

static void count(int sig)
{
	hits[sig]++;
}

static void info_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	hits[sig]++;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigaction(sig, &sa, NULL);
}

static void handle_info(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static sigset_t just(int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

/* Polls cond for up to ms milliseconds, without signals. */
#define WAIT_FOR(cond, ms)						\
	do {								\
		uint64_t _end = cn_time_ns() + (ms) * MS;		\
		while (!(cond) && cn_time_ns() < _end)			\
			cn_thread_sleep_ns(2 * MS);			\
	} while (0)

CN_TEST(signal_wait, sigwait_takes_a_blocked_pending_signal)
{
	sigset_t set = just(SIGUSR1), old, pend;
	struct timespec zero = { 0, 0 }, bad = { 0, 1000000000L };
	struct timespec neg = { -1, 0 }, short_ = { 0, 20000000L };
	siginfo_t info;
	uint64_t t0;
	int sig = 0;

	memset((void *)hits, 0, sizeof(hits));
	handle(SIGUSR1, count);
	CN_ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 0);
	CN_EXPECT_EQ(sigwait(&set, &sig), 0);
	CN_EXPECT_EQ(sig, SIGUSR1);
	CN_EXPECT_EQ(hits[SIGUSR1], 0);	/* taken, not delivered */
	sigpending(&pend);
	CN_EXPECT_EQ(sigismember(&pend, SIGUSR1), 0);
	/* Nothing pending: EAGAIN at once, or after the timeout. */
	CN_EXPECT_EQ(ERR(sigtimedwait(&set, &info, &zero)), -EAGAIN);
	t0 = cn_time_ns();
	CN_EXPECT_EQ(ERR(sigtimedwait(&set, &info, &short_)), -EAGAIN);
	CN_EXPECT_TRUE(cn_time_ns() - t0 >= 19 * MS);
	CN_EXPECT_EQ(ERR(sigtimedwait(&set, &info, &bad)), -EINVAL);
	CN_EXPECT_EQ(ERR(sigtimedwait(&set, &info, &neg)), -EINVAL);
	/* sigwaitinfo reports sigqueue's value. */
	CN_EXPECT_EQ(sigqueue(getpid(), SIGUSR1,
			      (union sigval){ .sival_int = 42 }), 0);
	memset(&info, 0, sizeof(info));
	CN_EXPECT_EQ(sigwaitinfo(&set, &info), SIGUSR1);
	CN_EXPECT_EQ(info.si_signo, SIGUSR1);
	CN_EXPECT_EQ(info.si_code, SI_QUEUE);
	CN_EXPECT_EQ(info.si_value.sival_int, 42);
	CN_EXPECT_EQ(info.si_pid, getpid());
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(sigtimedwait(&set, NULL, &zero), SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CN_EXPECT_EQ(hits[SIGUSR1], 0);
	signal(SIGUSR1, SIG_DFL);
}

static volatile int kill_how;		/* 0: kill(), 1: pthread_kill() */
static struct cn_thread *waiter;

/*
 * The senders block what they send: a signal sent before the main thread
 * waits then stays pending for it instead of running here.
 */
static void *sender(void *arg)
{
	sigset_t set = just(SIGUSR1);

	(void)arg;
	sigprocmask(SIG_BLOCK, &set, NULL);
	cn_thread_sleep_ns(10 * MS);	/* let the main thread wait */
	if (kill_how)
		pthread_kill(waiter, SIGUSR1);
	else
		kill(getpid(), SIGUSR1);
	return NULL;
}

static void *usr2_sender(void *arg)
{
	sigset_t set = just(SIGUSR2);

	(void)arg;
	sigprocmask(SIG_BLOCK, &set, NULL);
	cn_thread_sleep_ns(10 * MS);
	kill(getpid(), SIGUSR2);
	return NULL;
}

CN_TEST(signal_wait, sigwait_takes_a_signal_sent_by_another_thread)
{
	sigset_t set = just(SIGUSR1), old;
	struct timespec two = { 2, 0 };
	struct cn_thread *t;
	siginfo_t info;

	memset((void *)hits, 0, sizeof(hits));
	handle(SIGUSR1, count);
	CN_ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	waiter = cn_thread_current();
	for (kill_how = 0; kill_how < 2; kill_how++) {
		CN_ASSERT_EQ(cn_thread_create(&t, NULL, sender, NULL), 0);
		CN_EXPECT_EQ(sigtimedwait(&set, &info, &two), SIGUSR1);
		CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	}
	CN_EXPECT_EQ(hits[SIGUSR1], 0);	/* nobody ran the handler */
	/* A handler of another signal ends the wait with EINTR. */
	handle(SIGUSR2, count);
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, usr2_sender, NULL), 0);
	CN_EXPECT_EQ(ERR(sigtimedwait(&set, &info, &two)), -EINTR);
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

CN_TEST(signal_wait, sigqueue_value_reaches_an_siginfo_handler)
{
	union sigval v = { .sival_int = 1234 };

	memset((void *)hits, 0, sizeof(hits));
	handle_info(SIGUSR2);
	CN_EXPECT_EQ(sigqueue(getpid(), SIGUSR2, v), 0);
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	CN_EXPECT_EQ(got_code, SI_QUEUE);
	CN_EXPECT_EQ(got_value, 1234);
	CN_EXPECT_EQ(sigqueue(getpid(), 0, v), 0);	/* a check only */
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	CN_EXPECT_EQ(ERR(sigqueue(getpid(), _NSIG, v)), -EINVAL);
	CN_EXPECT_EQ(ERR(sigqueue(getpid(), -1, v)), -EINVAL);
	CN_EXPECT_EQ(ERR(sigqueue(getpid() + 1, SIGUSR2, v)), -ESRCH);
	CN_EXPECT_EQ(ERR(sigqueue(0, SIGUSR2, v)), -ESRCH);
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	signal(SIGUSR2, SIG_DFL);
}

CN_TEST(signal_wait, sigaltstack_is_stored_with_linux_checks)
{
	static char stack[MINSIGSTKSZ * 2];
	stack_t ss, old;

	CN_EXPECT_EQ(sigaltstack(NULL, &old), 0);
	CN_EXPECT_EQ(old.ss_flags, SS_DISABLE);
	ss.ss_sp = stack;
	ss.ss_flags = 0;
	ss.ss_size = MINSIGSTKSZ - 1;
	CN_EXPECT_EQ(ERR(sigaltstack(&ss, NULL)), -ENOMEM);
	ss.ss_size = sizeof(stack);
	ss.ss_flags = 0x10;
	CN_EXPECT_EQ(ERR(sigaltstack(&ss, NULL)), -EINVAL);
	ss.ss_flags = 0;
	CN_EXPECT_EQ(sigaltstack(&ss, NULL), 0);
	memset(&old, 0, sizeof(old));
	CN_EXPECT_EQ(sigaltstack(NULL, &old), 0);
	CN_EXPECT_TRUE(old.ss_sp == stack);
	CN_EXPECT_EQ(old.ss_size, sizeof(stack));
	CN_EXPECT_EQ(old.ss_flags, 0);
	/* SS_DISABLE needs no size; the old one is reported. */
	ss.ss_flags = SS_DISABLE;
	ss.ss_size = 0;
	CN_EXPECT_EQ(sigaltstack(&ss, &old), 0);
	CN_EXPECT_TRUE(old.ss_sp == stack);
	CN_EXPECT_EQ(sigaltstack(NULL, &old), 0);
	CN_EXPECT_EQ(old.ss_flags, SS_DISABLE);
}

CN_TEST(signal_wait, siginterrupt_sets_and_clears_sa_restart)
{
	struct sigaction sa;

	handle(SIGUSR1, count);		/* no SA_RESTART */
	CN_EXPECT_EQ(siginterrupt(SIGUSR1, 0), 0);
	sigaction(SIGUSR1, NULL, &sa);
	CN_EXPECT_TRUE(sa.sa_flags & SA_RESTART);
	CN_EXPECT_TRUE(sa.sa_handler == count);
	CN_EXPECT_EQ(siginterrupt(SIGUSR1, 1), 0);
	sigaction(SIGUSR1, NULL, &sa);
	CN_EXPECT_FALSE(sa.sa_flags & SA_RESTART);
	CN_EXPECT_EQ(ERR(siginterrupt(0, 1)), -EINVAL);
	CN_EXPECT_EQ(ERR(siginterrupt(_NSIG, 1)), -EINVAL);
	signal(SIGUSR1, SIG_DFL);
}

static volatile int thread_got, thread_ready;

static void *sigwaiter(void *arg)
{
	sigset_t set = just(SIGUSR1);
	int sig = 0;

	(void)arg;
	sigprocmask(SIG_BLOCK, &set, NULL);
	thread_ready = 1;
	if (sigwait(&set, &sig) == 0)
		thread_got = sig;
	return NULL;
}

static void *quit_at_once(void *arg)
{
	return arg;
}

CN_TEST(signal_wait, pthread_kill_reaches_one_thread)
{
	struct cn_thread *t;
	sigset_t pend;

	memset((void *)hits, 0, sizeof(hits));
	handle(SIGUSR1, count);
	/* The calling thread: at once. */
	CN_EXPECT_EQ(pthread_kill(cn_thread_current(), 0), 0);
	CN_EXPECT_EQ(pthread_kill(cn_thread_current(), SIGUSR1), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(pthread_kill(cn_thread_current(), _NSIG), EINVAL);
	/* Another thread, waiting in sigwait: it takes it, we do not. */
	thread_got = thread_ready = 0;
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, sigwaiter, NULL), 0);
	WAIT_FOR(thread_ready, 2000);
	cn_thread_sleep_ns(10 * MS);	/* most likely in sigwait now */
	CN_EXPECT_EQ(pthread_kill(t, SIGUSR1), 0);
	sigpending(&pend);
	CN_EXPECT_EQ(sigismember(&pend, SIGUSR1), 0);
	WAIT_FOR(thread_got, 2000);
	CN_EXPECT_EQ(thread_got, SIGUSR1);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	/* A thread that has ended: ESRCH, even for sig 0. */
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, quit_at_once, NULL), 0);
	WAIT_FOR(cn_thread_state(t) == CN_THREAD_EXITED, 2000);
	CN_EXPECT_EQ(pthread_kill(t, 0), ESRCH);
	CN_EXPECT_EQ(pthread_kill(t, SIGUSR1), ESRCH);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	signal(SIGUSR1, SIG_DFL);
}

CN_TEST(signal_timer, setitimer_repeats_and_shares_alarm)
{
	struct itimerval v = { { 0, 20000 }, { 0, 20000 } }, old, now;

	memset((void *)hits, 0, sizeof(hits));
	handle(SIGALRM, count);
	CN_ASSERT_EQ(setitimer(ITIMER_REAL, &v, NULL), 0);
	CN_EXPECT_EQ(getitimer(ITIMER_REAL, &now), 0);
	CN_EXPECT_EQ(now.it_interval.tv_usec, 20000);
	CN_EXPECT_TRUE(now.it_value.tv_sec == 0 && now.it_value.tv_usec > 0 &&
		       now.it_value.tv_usec <= 20000);
	WAIT_FOR(hits[SIGALRM] >= 3, 3000);
	CN_EXPECT_TRUE(hits[SIGALRM] >= 3);
	/* alarm() is the same timer: it replaces the repeating one. */
	CN_EXPECT_EQ(alarm(5), 1);	/* < 1 s left: rounds to 1 */
	CN_EXPECT_EQ(getitimer(ITIMER_REAL, &now), 0);
	CN_EXPECT_EQ(now.it_interval.tv_sec, 0);
	CN_EXPECT_EQ(now.it_interval.tv_usec, 0);
	CN_EXPECT_TRUE(now.it_value.tv_sec >= 4 && now.it_value.tv_sec <= 5);
	memset(&v, 0, sizeof(v));
	CN_EXPECT_EQ(setitimer(ITIMER_REAL, &v, &old), 0);
	CN_EXPECT_TRUE(old.it_value.tv_sec >= 4);
	CN_EXPECT_EQ(alarm(0), 0);
	/* Errors. */
	v.it_value.tv_usec = 1000000;
	CN_EXPECT_EQ(ERR(setitimer(ITIMER_REAL, &v, NULL)), -EINVAL);
	v.it_value.tv_usec = -1;
	CN_EXPECT_EQ(ERR(setitimer(ITIMER_REAL, &v, NULL)), -EINVAL);
	v.it_value.tv_usec = 1000;
	CN_EXPECT_EQ(ERR(setitimer(7, &v, NULL)), -EINVAL);
	CN_EXPECT_EQ(ERR(getitimer(7, &now)), -EINVAL);
	/* No CPU-time timers: ENOSYS to arm, never armed. */
	CN_EXPECT_EQ(ERR(setitimer(ITIMER_PROF, &v, NULL)), -ENOSYS);
	CN_EXPECT_EQ(ERR(setitimer(ITIMER_VIRTUAL, &v, NULL)), -ENOSYS);
	CN_EXPECT_EQ(getitimer(ITIMER_PROF, &now), 0);
	CN_EXPECT_EQ(now.it_value.tv_usec, 0);
	memset(&v, 0, sizeof(v));
	CN_EXPECT_EQ(setitimer(ITIMER_PROF, &v, NULL), 0);
	signal(SIGALRM, SIG_DFL);
}

static volatile int thread_calls, thread_value;

static void on_timer(union sigval v)
{
	thread_value = v.sival_int;
	thread_calls++;
}

CN_TEST(signal_timer, timer_create_sigev_thread_runs_the_function)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 10 * MS }, { 0, 10 * MS } }, cur;
	timer_t id;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = on_timer;
	ev.sigev_value.sival_int = 77;
	thread_calls = 0;
	CN_ASSERT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &id), 0);
	CN_EXPECT_EQ(timer_settime(id, 0, &its, NULL), 0);
	WAIT_FOR(thread_calls >= 3, 3000);
	CN_EXPECT_TRUE(thread_calls >= 3);
	CN_EXPECT_EQ(thread_value, 77);
	CN_EXPECT_EQ(timer_gettime(id, &cur), 0);
	CN_EXPECT_EQ(cur.it_interval.tv_nsec, (long)(10 * MS));
	CN_EXPECT_EQ(timer_delete(id), 0);
	CN_EXPECT_EQ(ERR(timer_delete(id)), -EINVAL);
	CN_EXPECT_EQ(ERR(timer_gettime(id, &cur)), -EINVAL);
	CN_EXPECT_EQ(ERR(timer_settime(id, 0, &its, NULL)), -EINVAL);
	CN_EXPECT_EQ(ERR(timer_getoverrun(id)), -EINVAL);
}

CN_TEST(signal_timer, timer_create_sigev_signal_and_none)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 0 }, { 0, 20 * MS } }, cur, old;
	struct timespec now;
	sigset_t set = just(SIGUSR2), saved;
	siginfo_t info;
	timer_t id, id2;
	int sig;

	memset((void *)hits, 0, sizeof(hits));
	handle_info(SIGUSR2);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_value.sival_int = 5;
	CN_ASSERT_EQ(timer_create(CLOCK_REALTIME, &ev, &id), 0);
	CN_EXPECT_EQ(timer_settime(id, 0, &its, NULL), 0);
	WAIT_FOR(hits[SIGUSR2] >= 1, 3000);
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	CN_EXPECT_EQ(got_code, SI_TIMER);
	CN_EXPECT_EQ(got_value, 5);
	CN_EXPECT_EQ(timer_gettime(id, &cur), 0);	/* one shot: over */
	CN_EXPECT_EQ(cur.it_value.tv_sec, 0);
	CN_EXPECT_EQ(cur.it_value.tv_nsec, 0);
	/* TIMER_ABSTIME on CLOCK_REALTIME. */
	clock_gettime(CLOCK_REALTIME, &now);
	its.it_value = now;
	its.it_value.tv_nsec += 20 * MS;
	if (its.it_value.tv_nsec >= 1000000000L) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000L;
	}
	CN_EXPECT_EQ(timer_settime(id, TIMER_ABSTIME, &its, NULL), 0);
	WAIT_FOR(hits[SIGUSR2] >= 2, 3000);
	CN_EXPECT_EQ(hits[SIGUSR2], 2);
	/* Blocked: pending, and the expirations meanwhile are overruns. */
	sigprocmask(SIG_BLOCK, &set, &saved);
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 2 * MS;
	its.it_interval.tv_nsec = 2 * MS;
	CN_EXPECT_EQ(timer_settime(id, 0, &its, NULL), 0);
	WAIT_FOR(timer_getoverrun(id) > 0, 3000);
	CN_EXPECT_EQ(hits[SIGUSR2], 2);
	CN_EXPECT_TRUE(timer_getoverrun(id) > 0);
	sig = sigwaitinfo(&set, &info);
	CN_EXPECT_EQ(sig, SIGUSR2);
	CN_EXPECT_EQ(info.si_code, SI_TIMER);
	CN_EXPECT_EQ(info.si_value.sival_int, 5);
	memset(&its, 0, sizeof(its));
	CN_EXPECT_EQ(timer_settime(id, 0, &its, &old), 0);
	CN_EXPECT_EQ(old.it_interval.tv_nsec, (long)(2 * MS));
	sigtimedwait(&set, &info, &(struct timespec){ 0, 0 });
	sigprocmask(SIG_SETMASK, &saved, NULL);
	CN_EXPECT_EQ(timer_delete(id), 0);
	/* SIGEV_NONE: nothing happens, the time left is shown. */
	ev.sigev_notify = SIGEV_NONE;
	CN_ASSERT_EQ(timer_create(CLOCK_MONOTONIC, &ev, &id2), 0);
	its.it_value.tv_sec = 10;
	CN_EXPECT_EQ(timer_settime(id2, 0, &its, NULL), 0);
	CN_EXPECT_EQ(timer_gettime(id2, &cur), 0);
	CN_EXPECT_TRUE(cur.it_value.tv_sec == 9 || cur.it_value.tv_sec == 10);
	/* TIMER_ABSTIME on CLOCK_MONOTONIC, in the past: fires at once. */
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 1;
	CN_EXPECT_EQ(timer_settime(id2, TIMER_ABSTIME, &its, NULL), 0);
	WAIT_FOR(timer_gettime(id2, &cur) == 0 && !cur.it_value.tv_nsec &&
		 !cur.it_value.tv_sec, 3000);
	CN_EXPECT_EQ(timer_gettime(id2, &cur), 0);
	CN_EXPECT_EQ(cur.it_value.tv_sec, 0);
	CN_EXPECT_EQ(cur.it_value.tv_nsec, 0);
	CN_EXPECT_EQ(timer_delete(id2), 0);
	CN_EXPECT_EQ(hits[SIGUSR2], 2);
	signal(SIGUSR2, SIG_DFL);
}

CN_TEST(signal_timer, timer_errors)
{
	struct sigevent ev;
	struct itimerspec its;
	timer_t id;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	CN_EXPECT_EQ(ERR(timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &id)),
		     -EINVAL);
	CN_EXPECT_EQ(ERR(timer_create(99, &ev, &id)), -EINVAL);
	ev.sigev_signo = 0;
	CN_EXPECT_EQ(ERR(timer_create(CLOCK_MONOTONIC, &ev, &id)), -EINVAL);
	ev.sigev_signo = _NSIG;
	CN_EXPECT_EQ(ERR(timer_create(CLOCK_MONOTONIC, &ev, &id)), -EINVAL);
	ev.sigev_notify = 42;
	CN_EXPECT_EQ(ERR(timer_create(CLOCK_MONOTONIC, &ev, &id)), -EINVAL);
	ev.sigev_notify = SIGEV_THREAD;	/* no function */
	CN_EXPECT_EQ(ERR(timer_create(CLOCK_MONOTONIC, &ev, &id)), -EINVAL);
	/* NULL: SIGALRM with the id as value; never armed here. */
	CN_ASSERT_EQ(timer_create(CLOCK_MONOTONIC, NULL, &id), 0);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_nsec = 1000000000L;
	CN_EXPECT_EQ(ERR(timer_settime(id, 0, &its, NULL)), -EINVAL);
	its.it_value.tv_nsec = -1;
	CN_EXPECT_EQ(ERR(timer_settime(id, 0, &its, NULL)), -EINVAL);
	its.it_value.tv_nsec = 0;
	its.it_interval.tv_sec = -1;
	CN_EXPECT_EQ(ERR(timer_settime(id, 0, &its, NULL)), -EINVAL);
	CN_EXPECT_EQ(ERR(timer_settime(id, 0, NULL, NULL)), -EFAULT);
	/* A time too far to count in ns is cut, not wrapped around. */
	its.it_interval.tv_sec = 0;
	its.it_value.tv_sec = (time_t)1 << 40;
	CN_EXPECT_EQ(timer_settime(id, 0, &its, NULL), 0);
	CN_EXPECT_EQ(timer_gettime(id, &its), 0);
	CN_EXPECT_TRUE(its.it_value.tv_sec > (time_t)1 << 31);
	memset(&its, 0, sizeof(its));
	CN_EXPECT_EQ(timer_settime(id, 0, &its, NULL), 0);
	CN_EXPECT_EQ(timer_getoverrun(id), 0);
	CN_EXPECT_EQ(timer_delete(id), 0);
	CN_EXPECT_EQ(ERR(timer_delete((timer_t)12345)), -EINVAL);
	CN_EXPECT_EQ(ERR(timer_delete((timer_t)0)), -EINVAL);
}

static sigjmp_buf jump;

static void jump_out(int sig)
{
	siglongjmp(jump, sig);
}

static bool blocked(int sig)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

CN_TEST(signal_jmp, siglongjmp_out_of_a_handler_restores_the_mask)
{
	volatile int rounds = 0;
	int r;

	handle(SIGUSR1, jump_out);
	r = sigsetjmp(jump, 1);
	if (r == 0) {
		rounds++;
		CN_EXPECT_FALSE(blocked(SIGUSR1));
		raise(SIGUSR1);
		CN_ASSERT_TRUE(!"the handler returned");
	}
	CN_EXPECT_EQ(r, SIGUSR1);
	CN_EXPECT_EQ(rounds, 1);
	/* Restored: not blocked as it was in the handler. */
	CN_EXPECT_FALSE(blocked(SIGUSR1));
	/* savemask 0: the handler's mask stays (SIGUSR1 blocked). */
	r = sigsetjmp(jump, 0);
	if (r == 0) {
		rounds++;
		raise(SIGUSR1);
		CN_ASSERT_TRUE(!"the handler returned");
	}
	CN_EXPECT_EQ(rounds, 2);
	CN_EXPECT_TRUE(blocked(SIGUSR1));
	sigset_t set = just(SIGUSR1);

	sigprocmask(SIG_UNBLOCK, &set, NULL);
	/* siglongjmp's value 0 arrives as 1. */
	r = sigsetjmp(jump, 1);
	if (r == 0)
		siglongjmp(jump, 0);
	CN_EXPECT_EQ(r, 1);
	signal(SIGUSR1, SIG_DFL);
}
