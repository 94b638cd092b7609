/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/epoll with lib/pthread: a thread writes while another waits in
 * epoll_wait(), on a pipe and on an eventfd; a blocking eventfd read
 * woken by another thread's write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <cairn/test.h>

struct later {
	int fd;
	int kind;			/* 0: pipe write, 1: eventfd write */
};

static void *write_later(void *arg)
{
	struct later *l = arg;

	usleep(40000);
	if (l->kind == 0)
		return (void *)(intptr_t)(write(l->fd, "z", 1) != 1);
	return (void *)(intptr_t)(eventfd_write(l->fd, 42) != 0);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

CN_TEST(epoll, a_thread_writes_while_another_waits)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out[2];
	int ep = epoll_create1(0), p[2], efd = eventfd(0, 0);
	struct later l;
	pthread_t t;
	void *ret = (void *)1;
	int64_t t0;
	char c;

	CN_ASSERT_TRUE(ep >= 0 && efd >= 0);
	CN_ASSERT_EQ(pipe(p), 0);
	ev.data.u32 = 1;
	CN_EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), 0);
	ev.events = EPOLLIN;
	ev.data.u32 = 2;
	CN_EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), 0);

	l = (struct later){ p[1], 0 };
	t0 = now_ms();
	CN_ASSERT_EQ(pthread_create(&t, NULL, write_later, &l), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 2, 5000), 1);
	CN_EXPECT_GE(now_ms() - t0, 30);
	CN_EXPECT_EQ(out[0].data.u32, 1);
	CN_EXPECT_EQ(pthread_join(t, &ret), 0);
	CN_EXPECT_EQ((intptr_t)ret, 0);
	CN_EXPECT_EQ(read(p[0], &c, 1), 1);

	l = (struct later){ efd, 1 };
	CN_ASSERT_EQ(pthread_create(&t, NULL, write_later, &l), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 2, -1), 1);
	CN_EXPECT_EQ(out[0].data.u32, 2);
	CN_EXPECT_EQ(pthread_join(t, &ret), 0);
	CN_EXPECT_EQ((intptr_t)ret, 0);

	/* A blocking eventfd read, woken by the other thread's write. */
	{
		eventfd_t v = 0;

		CN_EXPECT_EQ(eventfd_read(efd, &v), 0);
		CN_EXPECT_EQ(v, 42);
		CN_ASSERT_EQ(pthread_create(&t, NULL, write_later, &l), 0);
		CN_EXPECT_EQ(eventfd_read(efd, &v), 0);
		CN_EXPECT_EQ(v, 42);
		CN_EXPECT_EQ(pthread_join(t, &ret), 0);
	}
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(efd), 0);
	CN_EXPECT_EQ(close(ep), 0);
}
