/* SPDX-License-Identifier: BSD-3-Clause */
/* pipe, pipe2 and socketpair: data, EOF, EPIPE, O_NONBLOCK, threads. */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>
#include <cairn/test.h>

int pipe2(int fd[2], int flags);
int socketpair(int domain, int type, int protocol, int sv[2]);

CN_TEST(pipe, data_eof_and_epipe)
{
	int p[2], n = 0;
	char buf[16];
	struct stat st;
	struct pollfd pf;

	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CN_EXPECT_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	CN_EXPECT_EQ(fstat(p[0], &st), 0);
	CN_EXPECT_TRUE(S_ISFIFO(st.st_mode));
	CN_EXPECT_EQ(write(p[1], "hello", 5), 5);
	CN_EXPECT_EQ(ioctl(p[0], FIONREAD, &n), 0);
	CN_EXPECT_EQ(n, 5);
	CN_EXPECT_EQ(lseek(p[0], 0, SEEK_SET), -1);
	CN_EXPECT_EQ(errno, ESPIPE);
	CN_EXPECT_EQ(write(p[0], "x", 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(read(p[0], buf, 3), 3);
	CN_EXPECT_EQ(memcmp(buf, "hel", 3), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	/* The rest, then end of file once no writer is left. */
	CN_EXPECT_EQ(read(p[0], buf, sizeof(buf)), 2);
	CN_EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	CN_EXPECT_EQ(poll(&pf, 1, 0), 1);
	CN_EXPECT_TRUE(pf.revents & POLLHUP);
	CN_EXPECT_EQ(close(p[0]), 0);

	/* EPIPE; with lib/posix-signal, SIGPIPE first (ignored here). */
	signal(SIGPIPE, SIG_IGN);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(write(p[1], "x", 1), -1);
	CN_EXPECT_EQ(errno, EPIPE);
	CN_EXPECT_EQ(close(p[1]), 0);
	signal(SIGPIPE, SIG_DFL);
}

CN_TEST(pipe, pipe2_flags_and_nonblocking)
{
	static char big[70000];
	int p[2];
	char c;

	CN_EXPECT_EQ(pipe2(p, O_APPEND), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	CN_EXPECT_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	CN_EXPECT_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	CN_EXPECT_EQ(read(p[0], &c, 1), -1);
	CN_EXPECT_EQ(errno, EAGAIN);
	/* 64 KiB fit; the rest of a big write is refused, not waited for. */
	CN_EXPECT_EQ(write(p[1], big, sizeof(big)), 65536);
	CN_EXPECT_EQ(write(p[1], big, 1), -1);
	CN_EXPECT_EQ(errno, EAGAIN);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
}

struct feed {
	int fd;
	size_t total;
};

static void *writer(void *arg)
{
	struct feed *fd = arg;
	char chunk[1000];
	size_t i, sent = 0;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)i;
	while (sent < fd->total) {
		size_t n = fd->total - sent < sizeof(chunk) ? fd->total - sent
							     : sizeof(chunk);

		if (write(fd->fd, chunk, n) != (ssize_t)n)
			return (void *)1;
		sent += n;
	}
	close(fd->fd);
	return NULL;
}

CN_TEST(pipe, blocking_transfer_between_threads)
{
	struct cn_thread *t;
	struct feed fd = { 0, 300000 };	/* well past the ring's size */
	unsigned char buf[777];
	size_t got = 0, bad = 0;
	void *ret = (void *)2;
	int p[2];
	ssize_t n;

	CN_ASSERT_EQ(pipe(p), 0);
	fd.fd = p[1];
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, writer, &fd), 0);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		ssize_t i;

		for (i = 0; i < n; i++)
			if (buf[i] != (unsigned char)((got + i) % 1000))
				bad++;
		got += (size_t)n;
	}
	CN_EXPECT_EQ(n, 0);
	CN_EXPECT_EQ(got, fd.total);
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(cn_thread_join(t, &ret), 0);
	CN_EXPECT_EQ((long)ret, 0);
	CN_EXPECT_EQ(close(p[0]), 0);
}

CN_TEST(pipe, socketpair_is_two_way)
{
	int sv[2];
	char buf[8];
	struct stat st;

	CN_EXPECT_EQ(socketpair(2 /* AF_INET */, 1, 0, sv), -1);
	CN_EXPECT_EQ(errno, EAFNOSUPPORT);
	CN_EXPECT_EQ(socketpair(1, 2 /* SOCK_DGRAM */, 0, sv), -1);
	CN_EXPECT_EQ(errno, EOPNOTSUPP);
	CN_EXPECT_EQ(socketpair(1, 1, 6, sv), -1);
	CN_EXPECT_EQ(errno, EPROTONOSUPPORT);
	CN_ASSERT_EQ(socketpair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, sv),
		     0);
	CN_EXPECT_EQ(fstat(sv[0], &st), 0);
	CN_EXPECT_TRUE(S_ISSOCK(st.st_mode));
	CN_EXPECT_EQ(write(sv[0], "ping", 4), 4);
	CN_EXPECT_EQ(write(sv[1], "pong", 4), 4);
	CN_EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 4);
	CN_EXPECT_EQ(memcmp(buf, "ping", 4), 0);
	CN_EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 4);
	CN_EXPECT_EQ(memcmp(buf, "pong", 4), 0);
	CN_EXPECT_EQ(close(sv[1]), 0);
	CN_EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 0);
	signal(SIGPIPE, SIG_IGN);
	CN_EXPECT_EQ(write(sv[0], "x", 1), -1);
	CN_EXPECT_EQ(errno, EPIPE);
	signal(SIGPIPE, SIG_DFL);
	CN_EXPECT_EQ(close(sv[0]), 0);
}

/*
 * A socket pair between two threads on two CPUs (where there are two):
 * 2,000 round trips of a counter, each checked. Pipes have a lock per
 * ring and wait on poll's event count, so with SMP the trips take the
 * big lock only for the thread's creation and exit, not per message.
 */
#define ECHO_ROUNDS	2000

static void *echo(void *arg)
{
	int fd = *(int *)arg;
	unsigned int v;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v)) {
		v++;
		if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
			return (void *)1;
	}
	return NULL;
}

CN_TEST(pipe, round_trips_across_cpus_leave_the_big_lock_alone)
{
	struct cn_thread_attr a = { .name = "echo" };
	struct cn_big_stats before, after;
	struct cn_thread *t;
	void *ret = (void *)2;
	unsigned int i, v, bad = 0;
	int sv[2];

	if (cn_cpu_count() >= 2)
		a.cpu_mask = 1ull << (cn_cpu_id() ? 0 : 1);
	CN_ASSERT_EQ(socketpair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, sv),
		     0);
	cn_big_stats_read(&before);
	CN_ASSERT_EQ(cn_thread_create(&t, &a, echo, &sv[1]), 0);
	for (i = 0; i < ECHO_ROUNDS; i++) {
		v = i * 2;
		if (write(sv[0], &v, sizeof(v)) != (ssize_t)sizeof(v) ||
		    read(sv[0], &v, sizeof(v)) != (ssize_t)sizeof(v)) {
			bad = ECHO_ROUNDS;
			break;
		}
		bad += v != i * 2 + 1;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(close(sv[0]), 0);
	CN_EXPECT_EQ(cn_thread_join(t, &ret), 0);
	CN_EXPECT_EQ((long)ret, 0);
	cn_big_stats_read(&after);
	printf("# socket pair: %u round trips, big lock taken %llu times\n",
	       ECHO_ROUNDS, (unsigned long long)(after.taken - before.taken));
	CN_EXPECT_LT(after.taken - before.taken, ECHO_ROUNDS / 10);
	CN_EXPECT_EQ(close(sv[1]), 0);
}
