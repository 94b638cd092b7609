/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/epoll with lib/posix-signal (and lib/pthread): a signal handler
 * ends epoll_wait() with EINTR, SA_RESTART or not, as poll(); the mask
 * of epoll_pwait() holds it back; a blocking eventfd read fails with
 * EINTR. An alarm (ualarm) sends the signal; if nothing interrupts a
 * call, a rescuer thread ends it after 2 s, so a failure never hangs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <cairn/test.h>

static volatile int hits;
static volatile int rescue_stop, rescue_ready;

static void count(int sig)
{
	(void)sig;
	hits++;
}

static void *rescuer(void *arg)
{
	int fd = (int)(long)arg, i;
	sigset_t set;

	/* The alarm is for the caller: this thread blocks it. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	rescue_ready = 1;
	for (i = 0; i < 200 && !rescue_stop; i++)
		usleep(10000);
	if (!rescue_stop)
		eventfd_write(fd, 1);
	return NULL;
}

static void on_alarm(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
}

CN_TEST(epoll, a_signal_interrupts_epoll_wait)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[1];
	int ep = epoll_create1(0), efd = eventfd(0, 0), r, e;
	pthread_t t;
	sigset_t mask;

	CN_ASSERT_TRUE(ep >= 0 && efd >= 0);
	CN_EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), 0);
	hits = 0;
	rescue_stop = 0;
	rescue_ready = 0;
	CN_ASSERT_EQ(pthread_create(&t, NULL, rescuer, (void *)(long)efd), 0);
	while (!rescue_ready)
		usleep(1000);

	on_alarm(SA_RESTART);		/* never restarted all the same */
	CN_EXPECT_EQ(ualarm(30000, 0), 0);
	r = epoll_wait(ep, out, 1, 3000);
	e = errno;
	CN_EXPECT_EQ(r, -1);
	CN_EXPECT_EQ(e, EINTR);
	CN_EXPECT_EQ(hits, 1);

	/* With SIGALRM masked for the wait: a timeout, no EINTR. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGALRM);
	CN_EXPECT_EQ(ualarm(20000, 0), 0);
	r = epoll_pwait(ep, out, 1, 100, &mask);
	CN_EXPECT_EQ(r, 0);
	usleep(20000);
	CN_EXPECT_EQ(hits, 2);		/* ran once unmasked */

	/* Pending and blocked, unblocked by the wait's mask: EINTR at once. */
	{
		sigset_t none, old;

		sigemptyset(&none);
		CN_EXPECT_EQ(sigprocmask(SIG_BLOCK, &mask, &old), 0);
		raise(SIGALRM);
		CN_EXPECT_EQ(hits, 2);
		r = epoll_pwait(ep, out, 1, 2000, &none);
		e = errno;
		CN_EXPECT_EQ(r, -1);
		CN_EXPECT_EQ(e, EINTR);
		CN_EXPECT_EQ(hits, 3);
		CN_EXPECT_EQ(sigprocmask(SIG_SETMASK, &old, NULL), 0);
	}

	/* A blocking eventfd read, no SA_RESTART: EINTR. */
	on_alarm(0);
	CN_EXPECT_EQ(ualarm(30000, 0), 0);
	{
		eventfd_t v;

		r = eventfd_read(efd, &v);
		e = errno;
	}
	CN_EXPECT_EQ(r, -1);
	CN_EXPECT_EQ(e, EINTR);
	CN_EXPECT_EQ(hits, 4);

	rescue_stop = 1;
	CN_EXPECT_EQ(pthread_join(t, NULL), 0);
	ualarm(0, 0);
	signal(SIGALRM, SIG_DFL);
	CN_EXPECT_EQ(close(efd), 0);
	CN_EXPECT_EQ(close(ep), 0);
}
