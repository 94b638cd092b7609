/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/epoll: timerfd, one-shot and with an interval, relative and
 * absolute, read directly and through poll and epoll; bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <cairn/test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)
#define MS	1000000L

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct itimerspec its(long value_ns, long interval_ns)
{
	struct itimerspec t;

	memset(&t, 0, sizeof(t));
	t.it_value.tv_sec = value_ns / 1000000000L;
	t.it_value.tv_nsec = value_ns % 1000000000L;
	t.it_interval.tv_sec = interval_ns / 1000000000L;
	t.it_interval.tv_nsec = interval_ns % 1000000000L;
	return t;
}

CN_TEST(timerfd, bad_arguments)
{
	struct itimerspec t = its(MS, 0), cur;
	int fd, p[2];
	char small[4];

	CN_EXPECT_EQ(ERR(timerfd_create(12345, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(timerfd_create(CLOCK_MONOTONIC, 0x10)), -EINVAL);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CN_EXPECT_EQ(ERR(timerfd_settime(fd, 0, NULL, NULL)), -EFAULT);
	CN_EXPECT_EQ(ERR(timerfd_settime(fd, 0x10, &t, NULL)), -EINVAL);
	t.it_value.tv_nsec = 1000000000;
	CN_EXPECT_EQ(ERR(timerfd_settime(fd, 0, &t, NULL)), -EINVAL);
	t = its(MS, 0);
	t.it_interval.tv_sec = -1;
	CN_EXPECT_EQ(ERR(timerfd_settime(fd, 0, &t, NULL)), -EINVAL);
	t = its(MS, 0);
	CN_EXPECT_EQ(ERR(timerfd_settime(-1, 0, &t, NULL)), -EBADF);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(ERR(timerfd_settime(p[0], 0, &t, NULL)), -EINVAL);
	CN_EXPECT_EQ(ERR(timerfd_gettime(p[0], &cur)), -EINVAL);
	CN_EXPECT_EQ(ERR(timerfd_gettime(99, &cur)), -EBADF);
	/* Disarmed: zero, nothing to read. */
	CN_EXPECT_EQ(timerfd_gettime(fd, &cur), 0);
	CN_EXPECT_EQ(cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);
	CN_EXPECT_EQ(ERR(read(fd, small, sizeof(small))), -EINVAL);
	{
		uint64_t n;

		CN_EXPECT_EQ(ERR(read(fd, &n, sizeof(n))), -EAGAIN);
		CN_EXPECT_EQ(ERR(write(fd, &n, sizeof(n))), -EINVAL);
	}
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(fd), 0);
}

CN_TEST(timerfd, one_shot_read_and_polled)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec t = its(30 * MS, 0), cur, old;
	struct pollfd pf;
	uint64_t n = 0;
	int64_t t0;

	CN_ASSERT_TRUE(fd >= 0);
	t0 = now_ms();
	CN_EXPECT_EQ(timerfd_settime(fd, 0, &t, NULL), 0);
	CN_EXPECT_EQ(timerfd_gettime(fd, &cur), 0);
	CN_EXPECT_EQ(cur.it_value.tv_sec, 0);
	CN_EXPECT_GT(cur.it_value.tv_nsec, 0);
	CN_EXPECT_LE(cur.it_value.tv_nsec, 30 * MS);
	pf = (struct pollfd){ fd, POLLIN, 0 };
	CN_EXPECT_EQ(poll(&pf, 1, 0), 0);
	CN_EXPECT_EQ(poll(&pf, 1, 3000), 1);
	CN_EXPECT_GE(now_ms() - t0, 30);
	/* A blocking read, ready: one expiration, then disarmed. */
	CN_EXPECT_EQ(read(fd, &n, sizeof(n)), 8);
	CN_EXPECT_EQ(n, 1);
	CN_EXPECT_EQ(poll(&pf, 1, 0), 0);
	CN_EXPECT_EQ(timerfd_gettime(fd, &cur), 0);
	CN_EXPECT_EQ(cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);

	/* A blocking read waits for the expiration. */
	t = its(20 * MS, 0);
	t0 = now_ms();
	CN_EXPECT_EQ(timerfd_settime(fd, 0, &t, NULL), 0);
	CN_EXPECT_EQ(read(fd, &n, sizeof(n)), 8);
	CN_EXPECT_EQ(n, 1);
	CN_EXPECT_GE(now_ms() - t0, 20);

	/* Re-set before it fires: the old setting comes back; zero disarms. */
	t = its(5000 * MS, 100 * MS);
	CN_EXPECT_EQ(timerfd_settime(fd, 0, &t, NULL), 0);
	t = its(0, 0);
	CN_EXPECT_EQ(timerfd_settime(fd, 0, &t, &old), 0);
	CN_EXPECT_GE(old.it_value.tv_sec, 4);
	CN_EXPECT_EQ(old.it_interval.tv_nsec, 100 * MS);
	CN_EXPECT_EQ(timerfd_gettime(fd, &cur), 0);
	CN_EXPECT_EQ(cur.it_value.tv_sec + cur.it_value.tv_nsec, 0);
	CN_EXPECT_EQ(cur.it_interval.tv_sec + cur.it_interval.tv_nsec, 0);
	CN_EXPECT_EQ(close(fd), 0);
}

CN_TEST(timerfd, interval_timer_read_through_epoll)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	int ep = epoll_create1(0), i;
	struct itimerspec t = its(10 * MS, 10 * MS), cur;
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd }, out[2];
	uint64_t n, total = 0;
	int64_t t0;

	CN_ASSERT_TRUE(fd >= 0 && ep >= 0);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)), 0);
	CN_EXPECT_EQ(ERR(read(fd, &n, sizeof(n))), -EAGAIN);
	t0 = now_ms();
	CN_EXPECT_EQ(timerfd_settime(fd, 0, &t, NULL), 0);
	for (i = 0; i < 3; i++) {
		CN_ASSERT_EQ(epoll_wait(ep, out, 2, 3000), 1);
		CN_EXPECT_EQ(out[0].events, EPOLLIN);
		CN_EXPECT_EQ(out[0].data.fd, fd);
		CN_ASSERT_EQ(read(fd, &n, sizeof(n)), 8);
		CN_EXPECT_GE(n, 1);
		total += n;
	}
	CN_EXPECT_GE(now_ms() - t0, 30);
	CN_EXPECT_GE(total, 3);
	/* Unread expirations add up. */
	usleep(55000);
	CN_ASSERT_EQ(read(fd, &n, sizeof(n)), 8);
	CN_EXPECT_GE(n, 4);
	CN_EXPECT_EQ(timerfd_gettime(fd, &cur), 0);
	CN_EXPECT_EQ(cur.it_interval.tv_nsec, 10 * MS);
	CN_EXPECT_LE(cur.it_value.tv_nsec, 10 * MS);
	CN_EXPECT_EQ(close(fd), 0);
	/* Closed: no longer a member, nothing more to report. */
	CN_EXPECT_EQ(epoll_wait(ep, out, 2, 30), 0);
	CN_EXPECT_EQ(close(ep), 0);
}

CN_TEST(timerfd, absolute_deadlines)
{
	int mono = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	int real = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	struct itimerspec t;
	struct timespec now;
	struct pollfd pf;
	uint64_t n = 0;
	int64_t t0;

	CN_ASSERT_TRUE(mono >= 0 && real >= 0);
	/* 30 ms from now on the monotonic clock. */
	memset(&t, 0, sizeof(t));
	clock_gettime(CLOCK_MONOTONIC, &now);
	t.it_value = now;
	t.it_value.tv_nsec += 30 * MS;
	if (t.it_value.tv_nsec >= 1000000000L) {
		t.it_value.tv_sec++;
		t.it_value.tv_nsec -= 1000000000L;
	}
	/* From the same reading as the deadline: a stall between two
	 * readings (a host busy with other guests) would shorten the wait. */
	t0 = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	CN_EXPECT_EQ(timerfd_settime(mono, TFD_TIMER_ABSTIME, &t, NULL), 0);
	CN_EXPECT_EQ(ERR(read(mono, &n, sizeof(n))), -EAGAIN);
	pf = (struct pollfd){ mono, POLLIN, 0 };
	CN_EXPECT_EQ(poll(&pf, 1, 3000), 1);
	CN_EXPECT_GE(now_ms() - t0, 29);
	CN_EXPECT_EQ(read(mono, &n, sizeof(n)), 8);
	CN_EXPECT_EQ(n, 1);

	/* On the wall clock, 10 s in the past, every second: ten passed. */
	clock_gettime(CLOCK_REALTIME, &now);
	memset(&t, 0, sizeof(t));
	t.it_value.tv_sec = now.tv_sec - 10;
	t.it_value.tv_nsec = now.tv_nsec;
	t.it_interval.tv_sec = 1;
	CN_EXPECT_EQ(timerfd_settime(real, TFD_TIMER_ABSTIME, &t, NULL), 0);
	CN_EXPECT_EQ(read(real, &n, sizeof(n)), 8);
	CN_EXPECT_GE(n, 10);
	CN_EXPECT_LE(n, 12);
	CN_EXPECT_EQ(close(mono), 0);
	CN_EXPECT_EQ(close(real), 0);
}
