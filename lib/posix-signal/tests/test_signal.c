/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/posix-signal: handlers, masks, pending signals, sigsuspend, alarm,
 * blocking calls interrupted (EINTR) or restarted (SA_RESTART).
 * The default actions that end the image are tested by booting one
 * (tests/test_posix.py).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <poll.h>
#ifdef CONFIG_LIB_PTHREAD
#include <semaphore.h>
#endif
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
#include <cairn/sched.h>
#include <cairn/sync.h>
#include <cairn/test.h>
#include <cairn/timer.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

static volatile int hits[_NSIG];
static volatile int last_code, nested_blocked;

static void count(int sig)
{
	hits[sig]++;
}

static void info_handler(int sig, siginfo_t *si, void *ctx)
{
	sigset_t now;

	(void)ctx;
	hits[sig]++;
	last_code = si->si_code == SI_USER && si->si_pid == getpid();
	/* The signal itself is blocked while its handler runs. */
	sigprocmask(SIG_BLOCK, NULL, &now);
	nested_blocked = sigismember(&now, sig);
}

static void reset(void)
{
	memset((void *)hits, 0, sizeof(hits));
}

CN_TEST(signal, handlers_ignore_and_errors)
{
	struct sigaction sa, old;

	reset();
	CN_EXPECT_TRUE(signal(SIGUSR1, count) == SIG_DFL);
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(kill(getpid(), SIGUSR1), 0);
	CN_EXPECT_EQ(kill(0, SIGUSR1), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 3);
	CN_EXPECT_TRUE(signal(SIGUSR1, SIG_IGN) == count);
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 3);
	/* SA_SIGINFO and SA_RESETHAND. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	CN_EXPECT_EQ(sigaction(SIGUSR2, &sa, NULL), 0);
	CN_EXPECT_EQ(raise(SIGUSR2), 0);
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	CN_EXPECT_EQ(last_code, 1);
	CN_EXPECT_EQ(nested_blocked, 1);
	CN_EXPECT_EQ(sigaction(SIGUSR2, NULL, &old), 0);
	CN_EXPECT_TRUE(old.sa_handler == SIG_DFL);
	/* Linux's errors. */
	CN_EXPECT_EQ(ERR(raise(0)), -EINVAL);
	CN_EXPECT_EQ(ERR(raise(_NSIG)), -EINVAL);
	CN_EXPECT_TRUE(signal(SIGKILL, count) == SIG_ERR);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(ERR(sigaction(SIGSTOP, &sa, NULL)), -EINVAL);
	CN_EXPECT_EQ(ERR(kill(4242, SIGUSR1)), -ESRCH);
	CN_EXPECT_EQ(ERR(kill(getpid(), -1)), -EINVAL);
	CN_EXPECT_EQ(kill(getpid(), 0), 0);
	/* Ignored by default: nothing happens. */
	signal(SIGCHLD, SIG_DFL);
	CN_EXPECT_EQ(raise(SIGCHLD), 0);
	signal(SIGUSR1, SIG_DFL);
}

CN_TEST(signal, blocked_signals_wait_until_unblocked)
{
	sigset_t set, old, pend;

	reset();
	signal(SIGUSR1, count);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);		/* cannot be blocked */
	CN_EXPECT_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(raise(SIGUSR1), 0);	/* not queued: one pending */
	CN_EXPECT_EQ(hits[SIGUSR1], 0);
	CN_EXPECT_EQ(sigpending(&pend), 0);
	CN_EXPECT_TRUE(sigismember(&pend, SIGUSR1));
	CN_EXPECT_EQ(sigprocmask(SIG_SETMASK, NULL, &set), 0);
	CN_EXPECT_TRUE(sigismember(&set, SIGUSR1));
	CN_EXPECT_TRUE(!sigismember(&set, SIGKILL));
	CN_EXPECT_EQ(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(pthread_sigmask(99, &old, NULL), EINVAL);
	CN_EXPECT_EQ(ERR(sigprocmask(99, &old, NULL)), -EINVAL);
	CN_EXPECT_EQ(ERR((sigaddset)(&set, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR((sigismember)(&set, 99)), -EINVAL);
	signal(SIGUSR1, SIG_DFL);
}

/*
 * Blocks SIGUSR2 itself: a lib/sched thread starts with nothing blocked
 * (pthread_create() would give it the creator's mask), and a kill() from
 * a thread that does not block the signal runs the handler there when no
 * thread waits for it yet. On a loaded host the main thread can take
 * longer than the 10 ms to reach sigsuspend(); the handler then ran here
 * and the main thread waited for ever (seen once in about fifty 2-CPU
 * arm64 runs: the deadlock report).
 */
static void *sender(void *arg)
{
	sigset_t set;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	cn_thread_sleep_ns(10000000);
	kill(getpid(), SIGUSR2);
	return NULL;
}

CN_TEST(signal, sigsuspend_waits_for_another_thread)
{
	struct cn_thread *t;
	sigset_t block, wait_mask;

	reset();
	signal(SIGUSR2, count);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	CN_EXPECT_EQ(sigprocmask(SIG_BLOCK, &block, NULL), 0);
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, sender, NULL), 0);
	sigemptyset(&wait_mask);
	CN_EXPECT_EQ(ERR(sigsuspend(&wait_mask)), -EINTR);
	CN_EXPECT_EQ(hits[SIGUSR2], 1);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	CN_EXPECT_EQ(sigprocmask(SIG_UNBLOCK, &block, NULL), 0);
	signal(SIGUSR2, SIG_DFL);
}

CN_TEST(signal, sigpipe_on_a_write_nobody_reads)
{
	int p[2];

	reset();
	signal(SIGPIPE, count);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(ERR(write(p[1], "x", 1)), -EPIPE);
	CN_EXPECT_EQ(hits[SIGPIPE], 1);
	signal(SIGPIPE, SIG_IGN);
	CN_EXPECT_EQ(ERR(write(p[1], "x", 1)), -EPIPE);
	CN_EXPECT_EQ(hits[SIGPIPE], 1);
	CN_EXPECT_EQ(close(p[1]), 0);
	signal(SIGPIPE, SIG_DFL);
}

CN_TEST(signal, alarm_wakes_pause)
{
	reset();
	signal(SIGALRM, count);
	CN_EXPECT_EQ(alarm(0), 0);
	CN_EXPECT_EQ(alarm(100), 0);
	CN_EXPECT_EQ(alarm(1), 100);		/* replaced, 100 s were left */
	CN_EXPECT_EQ(ERR(pause()), -EINTR);
	CN_EXPECT_EQ(hits[SIGALRM], 1);
	CN_EXPECT_EQ(alarm(0), 0);
	/* An alarm nobody waits for runs its handler anyway. */
	CN_EXPECT_EQ(ualarm(20000, 0), 0);
	cn_thread_sleep_ns(100000000);
	CN_EXPECT_EQ(hits[SIGALRM], 2);
	signal(SIGALRM, SIG_DFL);
}

/*
 * The classic time-out of a blocking call: alarm() (here ualarm) and a
 * handler without SA_RESTART around a read that nothing would end. A
 * rescuer thread writes a byte after 3 s should the read not be
 * interrupted, so that the case fails instead of hanging.
 */
static struct cn_sem rescue_stop;
static int rescue_fd;

static void *rescuer(void *arg)
{
	(void)arg;
	if (cn_sem_wait_until(&rescue_stop, cn_time_ns() + 3000000000ull))
		(void)!write(rescue_fd, "r", 1);
	return NULL;
}

CN_TEST(signal, alarm_times_out_a_blocking_read)
{
	struct sigaction sa;
	struct cn_thread *t;
	int p[2], e;
	ssize_t r;
	char c;

	reset();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	CN_ASSERT_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	CN_ASSERT_EQ(pipe(p), 0);
	cn_sem_init(&rescue_stop, 0);
	rescue_fd = p[1];
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, rescuer, NULL), 0);
	CN_EXPECT_EQ(ualarm(50000, 0), 0);
	r = read(p[0], &c, 1);
	e = errno;
	cn_sem_post(&rescue_stop);
	cn_thread_join(t, NULL);
	CN_EXPECT_EQ(r, -1);
	CN_EXPECT_EQ(e, EINTR);
	CN_EXPECT_EQ(hits[SIGALRM], 1);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	signal(SIGALRM, SIG_DFL);
}

/*
 * EINTR and SA_RESTART. A caller thread that does not block SIGUSR1
 * (unless told to) blocks in one call; this thread, which blocks SIGUSR1,
 * waits until the caller is blocked and sends it with kill(): the caller
 * runs the handler, which makes the call able to finish (a byte in the
 * empty pipe, room in the full one), then its call fails with EINTR or,
 * with SA_RESTART where POSIX restarts it, goes on and completes. If
 * nothing interrupts the call, this thread ends it after 2 s (result -4:
 * the case fails) rather than hang.
 */
enum intr_call { INTR_READ, INTR_WRITE, INTR_POLL, INTR_SELECT,
		 INTR_NANOSLEEP, INTR_SLEEP, INTR_SEM_WAIT, INTR_SEM_TIMEDWAIT };

#ifdef CONFIG_LIB_PTHREAD
static sem_t intr_sem;
#endif

static int intr_pipe[2];
static volatile int intr_result, intr_errno, intr_handler_self;
static volatile int intr_call_now, intr_caller_blocks;
static struct timespec intr_rem;
static struct cn_thread *volatile intr_caller;
static struct cn_sem intr_done;

/* What lets the call finish: a byte to read, or room to write. */
static void intr_unblock(int call)
{
	char buf[512];

	if (call == INTR_WRITE)
		(void)!read(intr_pipe[0], buf, sizeof(buf));
#ifdef CONFIG_LIB_PTHREAD
	else if (call == INTR_SEM_WAIT || call == INTR_SEM_TIMEDWAIT)
		sem_post(&intr_sem);
#endif
	else if (call != INTR_NANOSLEEP && call != INTR_SLEEP)
		(void)!write(intr_pipe[1], "s", 1);
}

static void intr_handler(int sig)
{
	hits[sig]++;
	intr_handler_self = cn_thread_current() == intr_caller;
	intr_unblock(intr_call_now);
}

static int intr_do(enum intr_call call)
{
	struct pollfd pf = { intr_pipe[0], POLLIN, 0 };
	struct timespec ts = { 3, 0 };
	fd_set rd;
	char c;

	switch (call) {
	case INTR_READ:
		return (int)read(intr_pipe[0], &c, 1);
	case INTR_WRITE:
		return (int)write(intr_pipe[1], "w", 1);
	case INTR_POLL:
		return poll(&pf, 1, -1);
	case INTR_SELECT:
		FD_ZERO(&rd);
		FD_SET(intr_pipe[0], &rd);
		return select(intr_pipe[0] + 1, &rd, NULL, NULL, NULL);
	case INTR_NANOSLEEP:
		return nanosleep(&ts, &intr_rem);
	case INTR_SLEEP:
		return (int)sleep(3);
#ifdef CONFIG_LIB_PTHREAD
	case INTR_SEM_WAIT:
		return sem_wait(&intr_sem);
	case INTR_SEM_TIMEDWAIT:
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 3;
		return sem_timedwait(&intr_sem, &ts);
#else
	case INTR_SEM_WAIT:
	case INTR_SEM_TIMEDWAIT:
		break;
#endif
	}
	return -5;
}

static void *intr_caller_fn(void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	if (intr_caller_blocks)
		sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	intr_result = intr_do((enum intr_call)(intptr_t)arg);
	intr_errno = intr_result < 0 ? errno : 0;
	cn_sem_post(&intr_done);
	return NULL;
}

/* A pipe (full for INTR_WRITE, with a blocking write end). */
static int intr_pipe_open(enum intr_call call)
{
	char buf[512];

	memset(buf, 'f', sizeof(buf));
	if (pipe2(intr_pipe, call == INTR_WRITE ? O_NONBLOCK : 0))
		return -1;
	if (call == INTR_WRITE) {
		while (write(intr_pipe[1], buf, sizeof(buf)) > 0)
			;
		if (fcntl(intr_pipe[1], F_SETFL, 0))
			return -1;
	}
	return 0;
}

static void intr_pipe_close(void)
{
	close(intr_pipe[0]);
	close(intr_pipe[1]);
}

/* Runs call in a caller thread and interrupts it: intr_result, _errno. */
static void interrupt_call(enum intr_call call, int flags)
{
	struct sigaction sa;
	struct cn_thread *t;
	sigset_t block;
	int tries;

	reset();
	intr_handler_self = 0;
	intr_call_now = call;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = intr_handler;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	cn_sem_init(&intr_done, 0);
	intr_result = -2;
	intr_caller = NULL;
	if (cn_thread_create(&t, NULL, intr_caller_fn,
			     (void *)(intptr_t)call)) {
		intr_result = -3;
		return;
	}
	intr_caller = t;
	for (tries = 0; tries < 2000 &&
	     cn_thread_state(t) != CN_THREAD_BLOCKED &&
	     cn_thread_state(t) != CN_THREAD_SLEEPING; tries++)
		cn_thread_sleep_ns(1000000);
	kill(getpid(), SIGUSR1);
	if (cn_sem_wait_until(&intr_done, cn_time_ns() + 2000000000ull)) {
		/* Not interrupted: end the call and report it. */
		intr_unblock(call);
		cn_sem_wait(&intr_done);
		intr_errno = intr_result;
		intr_result = -4;
	}
	cn_thread_join(t, NULL);
	sigprocmask(SIG_UNBLOCK, &block, NULL);	/* runs what is pending */
	signal(SIGUSR1, SIG_DFL);
}

/* The call fails with EINTR after the handler ran in the caller. */
#define EXPECT_EINTR()							\
	do {								\
		CN_EXPECT_EQ(intr_result, -1);				\
		CN_EXPECT_EQ(intr_errno, EINTR);			\
		CN_EXPECT_EQ(hits[SIGUSR1], 1);				\
		CN_EXPECT_EQ(intr_handler_self, 1);			\
	} while (0)

CN_TEST(signal, eintr_and_sa_restart_on_a_pipe_read)
{
	char c = 0;

	CN_ASSERT_EQ(intr_pipe_open(INTR_READ), 0);
	interrupt_call(INTR_READ, 0);
	EXPECT_EINTR();
	CN_EXPECT_EQ(read(intr_pipe[0], &c, 1), 1);	/* the handler's */
	CN_EXPECT_EQ(c, 's');
	interrupt_call(INTR_READ, SA_RESTART);
	CN_EXPECT_EQ(intr_result, 1);		/* restarted: got the byte */
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(intr_handler_self, 1);
	intr_pipe_close();
}

CN_TEST(signal, eintr_and_sa_restart_on_a_full_pipe_write)
{
	CN_ASSERT_EQ(intr_pipe_open(INTR_WRITE), 0);
	interrupt_call(INTR_WRITE, 0);
	EXPECT_EINTR();
	intr_pipe_close();			/* the handler made room */
	CN_ASSERT_EQ(intr_pipe_open(INTR_WRITE), 0);
	interrupt_call(INTR_WRITE, SA_RESTART);
	CN_EXPECT_EQ(intr_result, 1);		/* restarted: went in */
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(intr_handler_self, 1);
	intr_pipe_close();
}

CN_TEST(signal, eintr_on_poll_and_select_even_with_sa_restart)
{
	char c = 0;

	CN_ASSERT_EQ(intr_pipe_open(INTR_POLL), 0);
	interrupt_call(INTR_POLL, SA_RESTART);
	EXPECT_EINTR();
	CN_EXPECT_EQ(read(intr_pipe[0], &c, 1), 1);
	interrupt_call(INTR_SELECT, SA_RESTART);
	EXPECT_EINTR();
	CN_EXPECT_EQ(read(intr_pipe[0], &c, 1), 1);
	interrupt_call(INTR_SELECT, 0);
	EXPECT_EINTR();
	intr_pipe_close();
}

CN_TEST(signal, eintr_on_nanosleep_and_sleep_with_the_time_left)
{
	interrupt_call(INTR_NANOSLEEP, SA_RESTART);	/* never restarted */
	EXPECT_EINTR();
	CN_EXPECT_TRUE(intr_rem.tv_sec >= 1 && intr_rem.tv_sec <= 2);
	interrupt_call(INTR_SLEEP, 0);
	CN_EXPECT_TRUE(intr_result >= 2 && intr_result <= 3); /* s left */
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(intr_handler_self, 1);
}

CN_TEST(signal, a_blocked_signal_does_not_interrupt)
{
	char c = 0;

	CN_ASSERT_EQ(intr_pipe_open(INTR_READ), 0);
	intr_caller_blocks = 1;
	interrupt_call(INTR_READ, 0);
	intr_caller_blocks = 0;
	CN_EXPECT_EQ(intr_result, -4);		/* waited for the byte */
	CN_EXPECT_EQ(intr_errno, 1);
	/* Left pending, it ran when this thread unblocked it. */
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(intr_handler_self, 0);
	CN_EXPECT_EQ(read(intr_pipe[0], &c, 1), 1);	/* the handler's */
	intr_pipe_close();
}

#ifdef CONFIG_LIB_PTHREAD
/*
 * sem_wait() and sem_timedwait(): EINTR, or with SA_RESTART the wait
 * goes on and takes the token the handler posted; no token is lost
 * either way.
 */
CN_TEST(signal, eintr_and_sa_restart_on_sem_wait)
{
	int v = -1;

	CN_ASSERT_EQ(sem_init(&intr_sem, 0, 0), 0);
	interrupt_call(INTR_SEM_WAIT, 0);
	EXPECT_EINTR();
	CN_EXPECT_EQ(sem_getvalue(&intr_sem, &v), 0);
	CN_EXPECT_EQ(v, 1);			/* the handler's token */
	CN_EXPECT_EQ(sem_trywait(&intr_sem), 0);
	interrupt_call(INTR_SEM_WAIT, SA_RESTART);
	CN_EXPECT_EQ(intr_result, 0);		/* restarted: took it */
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(intr_handler_self, 1);
	CN_EXPECT_EQ(sem_getvalue(&intr_sem, &v), 0);
	CN_EXPECT_EQ(v, 0);
	interrupt_call(INTR_SEM_TIMEDWAIT, 0);
	EXPECT_EINTR();
	CN_EXPECT_EQ(sem_trywait(&intr_sem), 0);
	interrupt_call(INTR_SEM_TIMEDWAIT, SA_RESTART);
	CN_EXPECT_EQ(intr_result, 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);
	CN_EXPECT_EQ(sem_getvalue(&intr_sem, &v), 0);
	CN_EXPECT_EQ(v, 0);
	/* A blocked signal leaves the wait alone. */
	intr_caller_blocks = 1;
	interrupt_call(INTR_SEM_WAIT, 0);
	intr_caller_blocks = 0;
	CN_EXPECT_EQ(intr_result, -4);		/* waited for the token */
	CN_EXPECT_EQ(intr_errno, 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);		/* ran here on unblock */
	CN_EXPECT_EQ(intr_handler_self, 0);
	CN_EXPECT_EQ(sem_trywait(&intr_sem), 0);	/* the handler's */
	CN_EXPECT_EQ(sem_destroy(&intr_sem), 0);
}
#endif

#ifdef CONFIG_LIB_PTHREAD
#include <pthread.h>

static void *mask_child(void *arg)
{
	sigset_t now;

	(void)arg;
	pthread_sigmask(SIG_BLOCK, NULL, &now);
	/* Blocked here too: it stays pending, no handler runs here. */
	kill(getpid(), SIGUSR1);
	return (void *)(intptr_t)(sigismember(&now, SIGUSR1) * 2 +
				  sigismember(&now, SIGUSR2));
}

/*
 * pthread_create() gives the new thread its creator's mask (POSIX): a
 * signal the new thread sends stays pending rather than running the
 * handler there, until the creator unblocks it.
 */
CN_TEST(signal, a_new_pthread_inherits_the_signal_mask)
{
	sigset_t set, old;
	pthread_t t;
	void *rv = NULL;

	reset();
	signal(SIGUSR1, count);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CN_ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
	CN_ASSERT_EQ(pthread_create(&t, NULL, mask_child, NULL), 0);
	CN_EXPECT_EQ(pthread_join(t, &rv), 0);
	CN_EXPECT_EQ((intptr_t)rv, 2);		/* SIGUSR1 only */
	CN_EXPECT_EQ(hits[SIGUSR1], 0);
	CN_EXPECT_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	CN_EXPECT_EQ(hits[SIGUSR1], 1);		/* delivered here */
	signal(SIGUSR1, SIG_DFL);
}
#endif
