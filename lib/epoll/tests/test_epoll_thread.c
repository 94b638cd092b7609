/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/epoll with lib/pthread: a thread writes while another waits in
 * epoll_wait(), on a pipe and on an eventfd; a blocking eventfd read
 * woken by another thread's write; round trips between two CPUs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <cairn/biglock.h>
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

/*
 * Two threads, on two CPUs where there are two, each waiting in
 * epoll_wait() on its end of a socket pair and answering: 1,000 round
 * trips of a counter, each checked. The interest lists have epoll's own
 * lock and the waits sleep on poll's event count, so with SMP the trips
 * take the big lock only for the thread's creation and exit.
 */
#define EP_ROUNDS	1000

/* lib/fdtab's; Linux's numbers, as lwIP's headers may not be here. */
int socketpair(int domain, int type, int protocol, int sv[2]);
#define PAIR_UNIX	1
#define PAIR_STREAM_NONBLOCK	(1 | 04000)

/* Waits in epoll_wait() on fd's own epoll, then reads one value. */
static int ep_read(int ep, int fd, unsigned int *v)
{
	struct epoll_event out;
	ssize_t n;

	while ((n = read(fd, v, sizeof(*v))) < 0 && errno == EAGAIN)
		if (epoll_wait(ep, &out, 1, 10000) != 1)
			return -1;
	return n == (ssize_t)sizeof(*v) ? 0 : n == 0 ? 1 : -1;
}

static void *ep_echo(void *arg)
{
	int fd = *(int *)arg, ep = epoll_create1(0), r;
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int v;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
		return (void *)1;
	while ((r = ep_read(ep, fd, &v)) == 0) {
		v++;
		if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
			return (void *)2;
	}
	close(ep);
	return (void *)(intptr_t)(r < 0);
}

CN_TEST(epoll, round_trips_across_cpus_leave_the_big_lock_alone)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct cn_big_stats before, after;
	pthread_attr_t a;
	cpu_set_t cpus;
	pthread_t t;
	void *ret = (void *)3;
	unsigned int i, v, bad = 0;
	int sv[2], ep = epoll_create1(0);

	CN_ASSERT_TRUE(ep >= 0);
	CN_ASSERT_EQ(socketpair(PAIR_UNIX, PAIR_STREAM_NONBLOCK, 0, sv),
		     0);
	CN_ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev), 0);
	CN_ASSERT_EQ(pthread_attr_init(&a), 0);
	if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
		CPU_ZERO(&cpus);
		CPU_SET(sched_getcpu() ? 0 : 1, &cpus);
		CN_ASSERT_EQ(pthread_attr_setaffinity_np(&a, sizeof(cpus),
							 &cpus), 0);
	}
	cn_big_stats_read(&before);
	CN_ASSERT_EQ(pthread_create(&t, &a, ep_echo, &sv[1]), 0);
	for (i = 0; i < EP_ROUNDS && !bad; i++) {
		v = i * 2;
		if (write(sv[0], &v, sizeof(v)) != (ssize_t)sizeof(v) ||
		    ep_read(ep, sv[0], &v) || v != i * 2 + 1)
			bad = i + 1;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(close(sv[0]), 0);
	CN_EXPECT_EQ(pthread_join(t, &ret), 0);
	CN_EXPECT_EQ((intptr_t)ret, 0);
	cn_big_stats_read(&after);
	printf("# epoll: %u round trips, big lock taken %llu times\n",
	       EP_ROUNDS, (unsigned long long)(after.taken - before.taken));
	CN_EXPECT_LT(after.taken - before.taken, EP_ROUNDS / 10);
	CN_EXPECT_EQ(close(sv[1]), 0);
	CN_EXPECT_EQ(close(ep), 0);
	pthread_attr_destroy(&a);
}
