/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ppoll() and pselect() (lib/fdtab) with lib/posix-signal: the mask they
 * are given holds only while they wait, as on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <cairn/test.h>

static volatile int usr1_hits;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_hits++;
}

static bool usr1_blocked(void)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, SIGUSR1);
}

static bool usr1_pending(void)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, SIGUSR1);
}

CN_TEST(signal, ppoll_and_pselect_mask_only_their_wait)
{
	struct sigaction sa, old;
	struct timespec five = { 5, 0 }, short_wait = { 0, 50000000 };
	struct timespec bad = { 0, 1000000000 };
	sigset_t none, usr1, saved;
	struct pollfd pf;
	fd_set rd;
	int p[2];
	char c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	CN_ASSERT_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	CN_ASSERT_EQ(sigprocmask(SIG_BLOCK, &usr1, &saved), 0);
	CN_ASSERT_EQ(pipe(p), 0);
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	usr1_hits = 0;

	/* Pending and blocked: an empty mask lets it end the wait. */
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(usr1_hits, 0);
	CN_EXPECT_EQ(ppoll(&pf, 1, &five, &none), -1);
	CN_EXPECT_EQ(errno, EINTR);
	CN_EXPECT_EQ(usr1_hits, 1);
	CN_EXPECT_TRUE(usr1_blocked());		/* the own mask is back */

	/* A mask that blocks it: the timeout, the signal still pending. */
	CN_EXPECT_EQ(raise(SIGUSR1), 0);
	CN_EXPECT_EQ(ppoll(&pf, 1, &short_wait, &usr1), 0);
	CN_EXPECT_EQ(usr1_hits, 1);
	CN_EXPECT_TRUE(usr1_pending());

	/* Ready at once: no wait, so nothing delivered (as Linux). */
	CN_ASSERT_EQ(write(p[1], "x", 1), 1);
	CN_EXPECT_EQ(ppoll(&pf, 1, &five, &none), 1);
	CN_EXPECT_EQ(pf.revents & POLLIN, POLLIN);
	CN_EXPECT_EQ(usr1_hits, 1);
	CN_ASSERT_EQ(read(p[0], &c, 1), 1);

	/* pselect the same way; NULL mask is select(). */
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CN_EXPECT_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &five, &none), -1);
	CN_EXPECT_EQ(errno, EINTR);
	CN_EXPECT_EQ(usr1_hits, 2);
	CN_EXPECT_TRUE(usr1_blocked());
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	CN_EXPECT_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &short_wait, NULL), 0);
	CN_EXPECT_EQ(short_wait.tv_nsec, 50000000);	/* not updated */

	/* Bad arguments. */
	CN_EXPECT_EQ(ppoll(&pf, 1, &bad, NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &bad, NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(pselect(-1, NULL, NULL, NULL, &short_wait, NULL), -1);
	CN_EXPECT_EQ(errno, EINVAL);

	close(p[0]);
	close(p[1]);
	CN_EXPECT_EQ(sigprocmask(SIG_SETMASK, &saved, NULL), 0);
	CN_EXPECT_EQ(usr1_hits, 2);
	sigaction(SIGUSR1, &old, NULL);
}
