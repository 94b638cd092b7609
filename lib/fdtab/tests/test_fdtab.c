/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/fdtab with a test file: a 64-byte buffer, seekable or a pipe. */
#define _GNU_SOURCE		/* dup3 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <cairn/file.h>
#include <cairn/sched.h>
#include <cairn/test.h>
#include <cairn/timer.h>

struct tfile {
	char data[64];
	size_t len;
	int released;
	int tryget_in_release;		/* what cn_file_tryget() gave then */
};

static ssize_t t_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	struct tfile *t = f->priv;

	if (off < 0) {				/* pipe: consume */
		if (!t->len)
			return -EAGAIN;
		len = len < t->len ? len : t->len;
		memcpy(buf, t->data, len);
		memmove(t->data, t->data + len, t->len - len);
		t->len -= len;
		return (ssize_t)len;
	}
	if ((size_t)off >= t->len)
		return 0;
	len = len < t->len - (size_t)off ? len : t->len - (size_t)off;
	memcpy(buf, t->data + off, len);
	return (ssize_t)len;
}

static ssize_t t_write(struct cn_file *f, const void *buf, size_t len,
		       off_t off)
{
	struct tfile *t = f->priv;

	if (off < 0)
		off = (off_t)t->len;
	if ((size_t)off + len > sizeof(t->data))
		return -ENOSPC;
	memcpy(t->data + off, buf, len);
	if ((size_t)off + len > t->len)
		t->len = (size_t)off + len;
	cn_file_notify();
	return (ssize_t)len;
}

static off_t t_seek(struct cn_file *f, off_t off, int whence)
{
	struct tfile *t = f->priv;
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos
					    : (off_t)t->len;

	return base + off < 0 ? -EINVAL : base + off;
}

static unsigned int t_poll(struct cn_file *f)
{
	struct tfile *t = f->priv;

	return (t->len ? CN_POLLIN : 0) |
	       (t->len < sizeof(t->data) ? CN_POLLOUT : 0);
}

static void t_release(struct cn_file *f)
{
	struct tfile *t = f->priv;

	t->released++;
	/* What a list holding f without a reference (epoll's) meets. */
	t->tryget_in_release = cn_file_tryget(f) ? 1 : 0;
}

static const struct cn_file_ops t_ops = {
	.read = t_read, .write = t_write, .seek = t_seek, .poll = t_poll,
	.release = t_release,
};

static int open_t(struct tfile *t, int flags, bool seekable)
{
	struct cn_file *f = cn_file_alloc(&t_ops, t, flags);
	int fd;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -1;
	f->seekable = seekable;
	fd = cn_fd_install(f, false);
	cn_file_put(f);			/* the descriptor holds it now */
	return fd;
}

CN_TEST(fdtab, lowest_free_descriptor_and_release_on_last_close)
{
	struct tfile t;
	int fd = open_t(&t, O_RDWR, false), fd2;

	CN_ASSERT_TRUE(fd >= 3);
	fd2 = dup(fd);
	CN_EXPECT_EQ(fd2, fd + 1);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(t.released, 0);		/* the dup still holds it */
	CN_EXPECT_EQ(write(fd2, "ab", 2), 2);
	CN_EXPECT_EQ(close(fd2), 0);
	CN_EXPECT_EQ(t.released, 1);
	CN_EXPECT_EQ(close(fd2), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(write(fd2, "x", 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
}

CN_TEST(fdtab, a_file_being_released_refuses_new_references)
{
	struct tfile t;
	int fd = open_t(&t, O_RDWR, false);
	struct cn_file *f;

	CN_ASSERT_TRUE(fd >= 3);
	t.tryget_in_release = -1;
	f = cn_fd_get(fd);
	CN_ASSERT_TRUE(f != NULL);
	CN_EXPECT_TRUE(cn_file_tryget(f));	/* alive: one more */
	cn_file_put(f);
	cn_file_put(f);
	CN_EXPECT_EQ(t.released, 0);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(t.released, 1);
	CN_EXPECT_EQ(t.tryget_in_release, 0);
}

/*
 * Threads on every CPU look up, duplicate and close descriptors of one
 * file at once: the file is released exactly once, after the last close,
 * and the table's count comes back.
 */
#define SHARERS		4
#define SHARE_ROUNDS	2000

static void *share_fd(void *arg)
{
	int fd = *(int *)arg, i, bad = 0;

	for (i = 0; i < SHARE_ROUNDS; i++) {
		struct cn_file *f = cn_fd_get(fd);
		int d = dup(fd);

		if (!f || d < 0) {
			bad++;
		} else {
			cn_file_put(f);
			if (close(d))
				bad++;
		}
		if (!(i & 63))
			cn_thread_yield();
	}
	return (void *)(long)bad;
}

CN_TEST(fdtab, descriptors_shared_by_threads_on_every_cpu)
{
	struct cn_thread *th[SHARERS];
	unsigned int before = cn_fd_count();
	struct tfile t;
	int fd = open_t(&t, O_RDWR, false), i;
	void *ret;

	CN_ASSERT_TRUE(fd >= 3);
	for (i = 0; i < SHARERS; i++)
		CN_ASSERT_EQ(cn_thread_create(&th[i], NULL, share_fd, &fd), 0);
	for (i = 0; i < SHARERS; i++) {
		CN_EXPECT_EQ(cn_thread_join(th[i], &ret), 0);
		CN_EXPECT_EQ((long)ret, 0);
	}
	CN_EXPECT_EQ(t.released, 0);
	CN_EXPECT_EQ(cn_fd_count(), before + 1);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(t.released, 1);
	CN_EXPECT_EQ(cn_fd_count(), before);
}

CN_TEST(fdtab, access_modes_and_unsupported_operations)
{
	struct tfile t;
	int fd = open_t(&t, O_RDONLY, false);
	char c;

	CN_EXPECT_EQ(write(fd, "x", 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_SET), -1);
	CN_EXPECT_EQ(errno, ESPIPE);
	CN_EXPECT_EQ(pread(fd, &c, 1, 0), -1);
	CN_EXPECT_EQ(errno, ESPIPE);
	CN_EXPECT_EQ(ioctl(fd, 0x5401, NULL), -1);
	CN_EXPECT_EQ(errno, ENOTTY);
	CN_EXPECT_EQ(ftruncate(fd, 0), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(read(fd, &c, 1), -1);
	CN_EXPECT_EQ(errno, EAGAIN);
	CN_EXPECT_EQ(isatty(fd), 0);
	CN_EXPECT_EQ(errno, ENOTTY);
	close(fd);
}

CN_TEST(fdtab, positions_pread_pwrite_append_and_vectors)
{
	struct tfile t;
	int fd = open_t(&t, O_RDWR, true);
	char buf[16] = { 0 };
	struct iovec iov[2] = { { "hello ", 6 }, { "world", 5 } };

	CN_EXPECT_EQ(writev(fd, iov, 2), 11);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11);
	CN_EXPECT_EQ(pread(fd, buf, 5, 6), 5);
	CN_EXPECT_STREQ(buf, "world");
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11);	/* pread did not move */
	CN_EXPECT_EQ(pwrite(fd, "W", 1, 6), 1);
	CN_EXPECT_EQ(lseek(fd, -5, SEEK_END), 6);
	memset(buf, 0, sizeof(buf));
	CN_EXPECT_EQ(read(fd, buf, 16), 5);
	CN_EXPECT_STREQ(buf, "World");
	CN_EXPECT_EQ(lseek(fd, -1, SEEK_SET), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(lseek(fd, 0, 42), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	CN_EXPECT_EQ(fcntl(fd, F_SETFL, O_APPEND), 0);
	CN_EXPECT_EQ(write(fd, "!", 1), 1);		/* at the end */
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 12);
	CN_EXPECT_EQ(t.data[11], '!');
	CN_EXPECT_EQ(fcntl(fd, F_GETFL) & O_APPEND, O_APPEND);
	close(fd);
}

CN_TEST(fdtab, dup2_dup3_and_fcntl)
{
	struct tfile a, b;
	int fa = open_t(&a, O_RDWR, false), fb = open_t(&b, O_RDWR, false);

	CN_EXPECT_EQ(dup2(fa, fb), fb);			/* closes b */
	CN_EXPECT_EQ(b.released, 1);
	CN_EXPECT_EQ(write(fb, "x", 1), 1);
	CN_EXPECT_EQ(a.len, 1);
	CN_EXPECT_EQ(dup2(fa, fa), fa);
	CN_EXPECT_EQ(dup3(fa, fa, 0), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(dup2(fa, -1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(dup2(999999, fa), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(fcntl(fa, F_DUPFD, 100), 100);
	CN_EXPECT_EQ(fcntl(fa, F_GETFD), 0);
	CN_EXPECT_EQ(fcntl(fa, F_SETFD, FD_CLOEXEC), 0);
	CN_EXPECT_EQ(fcntl(fa, F_GETFD), FD_CLOEXEC);
	CN_EXPECT_EQ(fcntl(fa, 9999), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	close(100);
	close(fb);
	close(fa);
	CN_EXPECT_EQ(a.released, 1);
}

CN_TEST(fdtab, emfile_when_the_table_is_full)
{
	struct tfile t;
	int fd = open_t(&t, O_RDWR, false), n = 0, last = -1, r;
	unsigned int before = cn_fd_count();

	while ((r = dup(fd)) >= 0) {
		last = r;
		n++;
	}
	CN_EXPECT_EQ(errno, EMFILE);
	CN_EXPECT_EQ(last, CONFIG_LIB_FDTAB_MAX - 1);
	CN_EXPECT_EQ(cn_fd_count(), CONFIG_LIB_FDTAB_MAX);
	while (n)
		close(fd + n--);
	CN_EXPECT_EQ(cn_fd_count(), before);
	close(fd);
	CN_EXPECT_EQ(t.released, 1);
}

static int writer_fd;

static void *late_writer(void *arg)
{
	cn_time_sleep_until(cn_time_ns() + 5000000);
	write(writer_fd, "z", 1);
	return arg;
}

CN_TEST(fdtab, poll_waits_for_a_notification_or_the_timeout)
{
	struct tfile t;
	int fd = open_t(&t, O_RDWR, false);
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { 12345, POLLIN, 0 } };
	struct cn_thread *th;
	uint64_t t0;

	CN_EXPECT_EQ(poll(p, 1, 0), 0);
	CN_EXPECT_EQ(p[0].revents, 0);
	t0 = cn_time_ns();
	CN_EXPECT_EQ(poll(p, 1, 20), 0);
	CN_EXPECT_GE(cn_time_ns() - t0, 20000000ull);
	writer_fd = fd;
	CN_ASSERT_EQ(cn_thread_create(&th, NULL, late_writer, NULL), 0);
	t0 = cn_time_ns();
	CN_EXPECT_EQ(poll(p, 1, 5000), 1);
	CN_EXPECT_LT(cn_time_ns() - t0, 1000000000ull);
	CN_EXPECT_EQ(p[0].revents, POLLIN);
	cn_thread_join(th, NULL);
	CN_EXPECT_EQ(poll(p, 2, 0), 2);
	CN_EXPECT_EQ(p[1].revents, POLLNVAL);
	close(fd);
}

CN_TEST(fdtab, select_reports_ready_descriptors)
{
	struct tfile t;
	int fd = open_t(&t, O_RDWR, false);
	fd_set rd, wr;
	struct timeval tv = { 0, 0 };

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	CN_EXPECT_EQ(select(fd + 1, &rd, &wr, NULL, &tv), 1);
	CN_EXPECT_FALSE(FD_ISSET(fd, &rd));
	CN_EXPECT_TRUE(FD_ISSET(fd, &wr));
	write(fd, "q", 1);
	FD_SET(fd, &rd);
	FD_SET(fd, &wr);
	CN_EXPECT_EQ(select(fd + 1, &rd, &wr, NULL, &tv), 2);
	tv.tv_usec = 2000000;
	CN_EXPECT_EQ(select(fd + 1, &rd, NULL, NULL, &tv), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	close(fd);
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	tv.tv_usec = 0;
	CN_EXPECT_EQ(select(fd + 1, &rd, NULL, NULL, &tv), -1);
	CN_EXPECT_EQ(errno, EBADF);
}

CN_TEST(fdtab, console_descriptors)
{
	struct stat st;

	CN_EXPECT_EQ(isatty(0), 1);
	CN_EXPECT_EQ(isatty(1), 1);
	CN_EXPECT_EQ(fstat(1, &st), 0);
	CN_EXPECT_TRUE(S_ISCHR(st.st_mode));
	CN_EXPECT_EQ(fcntl(0, F_GETFL) & O_ACCMODE, O_RDONLY);
	CN_EXPECT_EQ(fcntl(1, F_GETFL) & O_ACCMODE, O_WRONLY);
	CN_EXPECT_EQ(write(2, "", 0), 0);
}
