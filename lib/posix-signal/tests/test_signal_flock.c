/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/posix-signal with lib/fdtab's flock(): a thread waiting for an
 * exclusive flock() that another open of the file holds is interrupted
 * by a signal (EINTR), or with SA_RESTART waits on and gets the lock
 * once the handler released the other one, as on Linux. Built when a
 * ramfs is in the image to hold the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <cairn/sched.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include <cairn/vfs_test.h>

static int holder = -1, waiter_fd = -1;
static volatile int got, got_errno, handled;
static struct cn_sem done;

static void release_holder(int sig)
{
	(void)sig;
	handled++;
	flock(holder, LOCK_UN);
}

static void *waiter(void *arg)
{
	sigset_t none;

	(void)arg;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	got = flock(waiter_fd, LOCK_EX);
	got_errno = got < 0 ? errno : 0;
	cn_sem_post(&done);
	return NULL;
}

/* Interrupts a blocked flock(LOCK_EX); -4 if nothing did within 2 s. */
static void interrupt_flock(int flags)
{
	struct sigaction sa;
	struct cn_thread *t;
	sigset_t block;
	int tries;

	handled = 0;
	got = -2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = release_holder;
	sa.sa_flags = flags;
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	cn_sem_init(&done, 0);
	flock(holder, LOCK_EX);
	if (cn_thread_create(&t, NULL, waiter, NULL)) {
		got = -3;
		return;
	}
	for (tries = 0; tries < 2000 &&
	     cn_thread_state(t) != CN_THREAD_BLOCKED &&
	     cn_thread_state(t) != CN_THREAD_SLEEPING; tries++)
		cn_thread_sleep_ns(1000000);
	kill(getpid(), SIGUSR2);
	if (cn_sem_wait_until(&done, cn_time_ns() + 2000000000ull)) {
		flock(holder, LOCK_UN);		/* not interrupted */
		cn_sem_wait(&done);
		got = -4;
	}
	cn_thread_join(t, NULL);
	flock(waiter_fd, LOCK_UN);
	flock(holder, LOCK_UN);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	signal(SIGUSR2, SIG_DFL);
}

CN_TEST(signal, eintr_and_sa_restart_on_a_blocked_flock)
{
	cn_vfs_test_scratch("sig", "flock");
	holder = open("f", O_RDWR | O_CREAT, 0644);
	waiter_fd = open("f", O_RDONLY);
	CN_ASSERT_TRUE(holder >= 0 && waiter_fd >= 0);
	interrupt_flock(0);
	CN_EXPECT_EQ(got, -1);
	CN_EXPECT_EQ(got_errno, EINTR);
	CN_EXPECT_EQ(handled, 1);
	interrupt_flock(SA_RESTART);
	CN_EXPECT_EQ(got, 0);			/* restarted: got the lock */
	CN_EXPECT_EQ(handled, 1);
	CN_EXPECT_EQ(close(waiter_fd), 0);
	CN_EXPECT_EQ(close(holder), 0);
	cn_vfs_test_done();
}
