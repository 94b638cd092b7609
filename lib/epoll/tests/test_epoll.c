/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/epoll: epoll over pipes and eventfds (level and edge triggered,
 * oneshot, MOD, DEL, timeouts, members that close, nesting), eventfd's
 * counter, bad arguments, and the ENOSYS stubs.
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
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <cairn/test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return ERR(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
}

static int mod(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return ERR(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev));
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

CN_TEST(epoll, create_and_bad_arguments)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[2];
	int ep, ep2, p[2];

	CN_EXPECT_EQ(ERR(epoll_create(0)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_create(-1)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_create1(O_NONBLOCK)), -EINVAL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	CN_ASSERT_TRUE(ep >= 0);
	CN_EXPECT_EQ(fcntl(ep, F_GETFD), FD_CLOEXEC);
	ep2 = epoll_create(1);
	CN_ASSERT_TRUE(ep2 >= 0);
	CN_EXPECT_EQ(fcntl(ep2, F_GETFD), 0);
	CN_ASSERT_EQ(pipe(p), 0);

	/* epoll_ctl */
	CN_EXPECT_EQ(ERR(epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev)), -EBADF);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev)), -EBADF);
	CN_EXPECT_EQ(ERR(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, 99, p[0], &ev)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL)), -EFAULT);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev)), -ENOENT);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)), -ENOENT);
	CN_EXPECT_EQ(add(ep, p[0], EPOLLIN, 1), 0);
	CN_EXPECT_EQ(add(ep, p[0], EPOLLIN, 1), -EEXIST);
	CN_EXPECT_EQ(mod(ep, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1), -EINVAL);
	CN_EXPECT_EQ(add(ep, p[1], EPOLLEXCLUSIVE | EPOLLONESHOT, 1), -EINVAL);
	CN_EXPECT_EQ(add(ep, p[1], EPOLLOUT | EPOLLEXCLUSIVE, 1), 0);
	CN_EXPECT_EQ(mod(ep, p[1], EPOLLOUT, 1), -EINVAL);
	/* Epolls in each other: a loop. */
	CN_EXPECT_EQ(add(ep2, ep, EPOLLIN, 2), 0);
	CN_EXPECT_EQ(add(ep, ep2, EPOLLIN, 2), -ELOOP);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)), 0);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)), -ENOENT);

	/* epoll_wait */
	CN_EXPECT_EQ(ERR(epoll_wait(ep, out, 0, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_wait(ep, out, -1, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_wait(-1, out, 2, 0)), -EBADF);
	CN_EXPECT_EQ(ERR(epoll_wait(p[0], out, 2, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(epoll_wait(ep, NULL, 2, 0)), -EFAULT);
	CN_EXPECT_EQ(ERR(epoll_pwait(ep, out, 0, 0, NULL)), -EINVAL);

	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(ep), 0);
	CN_EXPECT_EQ(close(ep2), 0);
}

CN_TEST(epoll, level_triggered_pipe)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2];
	char buf[8];

	CN_ASSERT_TRUE(ep >= 0);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(add(ep, p[0], EPOLLIN, 0x1122334455667788ull), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(write(p[1], "ab", 2), 2);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].events, EPOLLIN);
	CN_EXPECT_EQ(out[0].data.u64, 0x1122334455667788ull);
	/* Level: again while data is there, until it is read. */
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, -1), 1);
	CN_EXPECT_EQ(read(p[0], buf, 1), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(read(p[0], buf, 1), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* The write end: writable; data as given (a pointer). */
	{
		struct epoll_event ev = { .events = EPOLLOUT,
					  .data.ptr = buf };

		CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev)), 0);
	}
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].events, EPOLLOUT);
	CN_EXPECT_TRUE(out[0].data.ptr == buf);
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL)), 0);

	/* The writer gone: EPOLLHUP, asked for or not. */
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].events, EPOLLHUP);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(ep), 0);
}

CN_TEST(epoll, edge_triggered_pipe_and_eventfd)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2], efd = eventfd(0, EFD_NONBLOCK);
	char buf[8];
	eventfd_t v;

	CN_ASSERT_TRUE(ep >= 0);
	CN_ASSERT_TRUE(efd >= 0);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(add(ep, p[0], EPOLLIN | EPOLLET, 7), 0);
	CN_EXPECT_EQ(write(p[1], "abc", 3), 3);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].events, EPOLLIN);
	CN_EXPECT_EQ(out[0].data.u64, 7);
	/* Still readable, but no new edge. */
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 20), 0);
	/* More data is a new edge (as Linux), drained or not. */
	CN_EXPECT_EQ(write(p[1], "d", 1), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	/* Drained, then filled again between two waits: reported. */
	CN_EXPECT_EQ(read(p[0], buf, sizeof(buf)), 4);
	CN_EXPECT_EQ(write(p[1], "e", 1), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);

	/* MOD: what is ready now is reported again, edge or not. */
	CN_EXPECT_EQ(mod(ep, p[0], EPOLLIN | EPOLLET, 8), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].data.u64, 8);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	/* Drained: nothing, whatever happens elsewhere. */
	CN_EXPECT_EQ(read(p[0], buf, sizeof(buf)), 1);

	/* An eventfd, edge triggered, next to the pipe. */
	CN_EXPECT_EQ(add(ep, efd, EPOLLIN | EPOLLET, 9), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(eventfd_write(efd, 3), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].data.u64, 9);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(eventfd_read(efd, &v), 0);
	CN_EXPECT_EQ(v, 3);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);

	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(efd), 0);
	CN_EXPECT_EQ(close(ep), 0);
}

CN_TEST(epoll, oneshot_mod_and_del)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), efd = eventfd(1, 0);

	CN_ASSERT_TRUE(ep >= 0);
	CN_ASSERT_TRUE(efd >= 0);
	CN_EXPECT_EQ(add(ep, efd, EPOLLIN | EPOLLONESHOT, 5), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	/* Off once reported, though still readable, until MOD. */
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(eventfd_write(efd, 1), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 10), 0);
	CN_EXPECT_EQ(mod(ep, efd, EPOLLIN | EPOLLONESHOT, 6), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].data.u64, 6);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	/* MOD to other events: EPOLLOUT only. */
	CN_EXPECT_EQ(mod(ep, efd, EPOLLOUT, 4), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].events, EPOLLOUT);
	/* DEL: never reported again. */
	CN_EXPECT_EQ(ERR(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL)), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(mod(ep, efd, EPOLLIN, 4), -ENOENT);
	CN_EXPECT_EQ(close(efd), 0);
	CN_EXPECT_EQ(close(ep), 0);
}

CN_TEST(epoll, timeout_and_maxevents)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), e[3], i, seen = 0;
	int64_t t0, dt;

	CN_ASSERT_TRUE(ep >= 0);
	t0 = now_ms();
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 60), 0);
	dt = now_ms() - t0;
	CN_EXPECT_GE(dt, 60);
	CN_EXPECT_LT(dt, 3000);
	{
		struct timespec ts = { 0, 30000000 };

		t0 = now_ms();
		CN_EXPECT_EQ(epoll_pwait2(ep, out, 4, &ts, NULL), 0);
		CN_EXPECT_GE(now_ms() - t0, 30);
		ts.tv_nsec = 1000000000;
		CN_EXPECT_EQ(ERR(epoll_pwait2(ep, out, 4, &ts, NULL)),
			     -EINVAL);
	}
	/* Three ready, two at a time: each gets its turn. */
	for (i = 0; i < 3; i++) {
		e[i] = eventfd(1, 0);
		CN_ASSERT_TRUE(e[i] >= 0);
		CN_EXPECT_EQ(add(ep, e[i], EPOLLIN, 1u << i), 0);
	}
	CN_ASSERT_EQ(epoll_wait(ep, out, 2, 0), 2);
	seen |= (int)(out[0].data.u64 | out[1].data.u64);
	CN_ASSERT_EQ(epoll_wait(ep, out, 2, 0), 2);
	seen |= (int)(out[0].data.u64 | out[1].data.u64);
	CN_EXPECT_EQ(seen, 7);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 3);
	for (i = 0; i < 3; i++)
		CN_EXPECT_EQ(close(e[i]), 0);
	CN_EXPECT_EQ(close(ep), 0);
}

CN_TEST(epoll, a_member_leaves_when_its_file_closes)
{
	struct epoll_event out[4];
	int ep = epoll_create1(0), p[2], q[2], d;

	CN_ASSERT_TRUE(ep >= 0);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(write(p[1], "x", 1), 1);
	CN_EXPECT_EQ(add(ep, p[0], EPOLLIN, 1), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	/* Closed (its last descriptor): gone from the list. */
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	/* A new pipe on the same numbers is not a member. */
	CN_ASSERT_EQ(pipe(q), 0);
	CN_EXPECT_EQ(q[0], p[0]);
	CN_EXPECT_EQ(write(q[1], "x", 1), 1);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(add(ep, q[0], EPOLLIN, 2), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1);
	/* Still open through a dup: stays, as on Linux. */
	d = dup(q[0]);
	CN_ASSERT_TRUE(d >= 0);
	CN_EXPECT_EQ(close(q[0]), 0);
	CN_ASSERT_EQ(epoll_wait(ep, out, 4, 0), 1);
	CN_EXPECT_EQ(out[0].data.u64, 2);
	CN_EXPECT_EQ(close(d), 0);
	CN_EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(q[1]), 0);
	CN_EXPECT_EQ(close(ep), 0);
}

CN_TEST(epoll, nested_and_polled)
{
	struct epoll_event out[2];
	struct pollfd pf;
	int outer = epoll_create1(0), inner = epoll_create1(0);
	int efd = eventfd(0, 0);

	CN_ASSERT_TRUE(outer >= 0 && inner >= 0 && efd >= 0);
	CN_EXPECT_EQ(add(inner, efd, EPOLLIN, 1), 0);
	CN_EXPECT_EQ(add(outer, inner, EPOLLIN, 2), 0);
	pf = (struct pollfd){ inner, POLLIN, 0 };
	CN_EXPECT_EQ(poll(&pf, 1, 0), 0);
	CN_EXPECT_EQ(epoll_wait(outer, out, 2, 0), 0);
	CN_EXPECT_EQ(eventfd_write(efd, 1), 0);
	CN_EXPECT_EQ(poll(&pf, 1, 0), 1);
	CN_EXPECT_EQ(pf.revents, POLLIN);
	CN_ASSERT_EQ(epoll_wait(outer, out, 2, 0), 1);
	CN_EXPECT_EQ(out[0].data.u64, 2);
	CN_ASSERT_EQ(epoll_wait(inner, out, 2, 0), 1);
	CN_EXPECT_EQ(out[0].data.u64, 1);
	/* The inner one closed: the outer one forgets it. */
	CN_EXPECT_EQ(close(inner), 0);
	CN_EXPECT_EQ(epoll_wait(outer, out, 2, 0), 0);
	CN_EXPECT_EQ(close(efd), 0);
	CN_EXPECT_EQ(close(outer), 0);
}

CN_TEST(eventfd, counter_semaphore_and_errors)
{
	int fd, sem;
	eventfd_t v;
	uint64_t big = UINT64_MAX;
	char small[4];

	CN_EXPECT_EQ(ERR(eventfd(0, 0x10)), -EINVAL);
	fd = eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CN_EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	CN_EXPECT_EQ(eventfd_write(fd, 2), 0);
	CN_EXPECT_EQ(eventfd_read(fd, &v), 0);
	CN_EXPECT_EQ(v, 7);			/* all of it */
	CN_EXPECT_EQ(ERR(eventfd_read(fd, &v)), -EAGAIN);
	/* The 8-byte rule. */
	CN_EXPECT_EQ(ERR(read(fd, small, sizeof(small))), -EINVAL);
	CN_EXPECT_EQ(ERR(write(fd, small, sizeof(small))), -EINVAL);
	CN_EXPECT_EQ(ERR(write(fd, &big, sizeof(big))), -EINVAL);
	/* Full at 0xfffffffffffffffe: one more would wait. */
	CN_EXPECT_EQ(eventfd_write(fd, 0xfffffffffffffffeull), 0);
	CN_EXPECT_EQ(ERR(eventfd_write(fd, 1)), -EAGAIN);
	CN_EXPECT_EQ(eventfd_write(fd, 0), 0);
	{
		struct pollfd pf = { fd, POLLIN | POLLOUT, 0 };

		CN_EXPECT_EQ(poll(&pf, 1, 0), 1);
		CN_EXPECT_EQ(pf.revents, POLLIN);	/* not writable */
	}
	CN_EXPECT_EQ(eventfd_read(fd, &v), 0);
	CN_EXPECT_EQ(v, 0xfffffffffffffffeull);
	CN_EXPECT_EQ(close(fd), 0);

	sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	CN_ASSERT_TRUE(sem >= 0);
	CN_EXPECT_EQ(eventfd_read(sem, &v), 0);
	CN_EXPECT_EQ(v, 1);
	CN_EXPECT_EQ(eventfd_read(sem, &v), 0);
	CN_EXPECT_EQ(v, 1);
	CN_EXPECT_EQ(ERR(eventfd_read(sem, &v)), -EAGAIN);
	CN_EXPECT_EQ(close(sem), 0);
	CN_EXPECT_EQ(ERR(eventfd_read(sem, &v)), -EBADF);
}

CN_TEST(eventfd, poll_and_select)
{
	int fd = eventfd(0, 0);
	struct pollfd pf;
	fd_set rd, wr;
	struct timeval tv = { 0, 0 };

	CN_ASSERT_TRUE(fd >= 0);
	pf = (struct pollfd){ fd, POLLIN | POLLOUT, 0 };
	CN_EXPECT_EQ(poll(&pf, 1, 0), 1);
	CN_EXPECT_EQ(pf.revents, POLLOUT);
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	CN_EXPECT_EQ(select(fd + 1, &rd, NULL, NULL, &tv), 0);
	CN_EXPECT_EQ(eventfd_write(fd, 1), 0);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	CN_EXPECT_EQ(select(fd + 1, &rd, &wr, NULL, &tv), 2);
	CN_EXPECT_TRUE(FD_ISSET(fd, &rd));
	CN_EXPECT_TRUE(FD_ISSET(fd, &wr));
	CN_EXPECT_EQ(close(fd), 0);
}

CN_TEST(epoll, signalfd_and_inotify_are_enosys)
{
	sigset_t set;

	sigemptyset(&set);
	CN_EXPECT_EQ(ERR(signalfd(-1, &set, 0)), -ENOSYS);
	CN_EXPECT_EQ(ERR(inotify_init()), -ENOSYS);
	CN_EXPECT_EQ(ERR(inotify_init1(IN_CLOEXEC)), -ENOSYS);
	CN_EXPECT_EQ(ERR(inotify_add_watch(3, "/", IN_ALL_EVENTS)), -ENOSYS);
	CN_EXPECT_EQ(ERR(inotify_rm_watch(3, 1)), -ENOSYS);
}
