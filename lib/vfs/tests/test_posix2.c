/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calls SQLite's unix VFS and other ported programs make on files:
 * record locks and flock (lib/fdtab, on real files of ramfs), chown
 * family, utime family, getdents64. Each case in a fresh ramfs mounted
 * on /px-<case>.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <cairn/sched.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return ERR(fcntl(fd, cmd, &fl));
}

CN_TEST(posixfile, record_locks_of_one_process)
{
	struct flock fl;
	int a, b, ro;

	cn_vfs_test_scratch("px", "lk");
	a = open("db", O_RDWR | O_CREAT, 0644);
	b = open("db", O_RDWR);
	ro = open("db", O_RDONLY);
	CN_ASSERT_TRUE(a >= 0 && b >= 0 && ro >= 0);
	/* SQLite's pattern: pending, reserved and shared byte ranges. */
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_RDLCK, 1073741824, 1), 0);
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_WRLCK, 1073741825, 1), 0);
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_RDLCK, 1073741826, 510), 0);
	/* One process: its own locks never conflict, through any fd. */
	CN_EXPECT_EQ(setlk(b, F_SETLKW, F_WRLCK, 0, 0), 0);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET };
	CN_EXPECT_EQ(fcntl(b, F_GETLK, &fl), 0);
	CN_EXPECT_EQ(fl.l_type, F_UNLCK);
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_UNLCK, 0, 0), 0);
	/* Linux's errors. */
	CN_EXPECT_EQ(setlk(ro, F_SETLK, F_WRLCK, 0, 1), -EBADF);
	CN_EXPECT_EQ(setlk(a, F_SETLK, 42, 0, 1), -EINVAL);
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_RDLCK, -5, 1), -EINVAL);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = 7 };
	CN_EXPECT_EQ(ERR(fcntl(a, F_SETLK, &fl)), -EINVAL);
	CN_EXPECT_EQ(setlk(99, F_SETLK, F_RDLCK, 0, 1), -EBADF);
	/* A negative length locks the bytes before the start. */
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_RDLCK, 10, -5), 0);
	CN_EXPECT_EQ(setlk(a, F_SETLK, F_RDLCK, 3, -5), -EINVAL);
	CN_EXPECT_EQ(close(ro), 0);
	CN_EXPECT_EQ(close(b), 0);
	CN_EXPECT_EQ(close(a), 0);
	cn_vfs_test_done();
}

struct waiter {
	const char *path;
	int got;
};

static void *flock_waiter(void *arg)
{
	struct waiter *w = arg;
	int fd = open(w->path, O_RDONLY);

	if (fd < 0)
		return (void *)1;
	w->got = flock(fd, LOCK_EX) == 0 ? 1 : -1;
	close(fd);
	return NULL;
}

CN_TEST(posixfile, flock_between_open_files)
{
	struct cn_thread *t;
	struct waiter w = { NULL, 0 };
	char path[80];
	const char *base;
	int a, b, d;

	base = cn_vfs_test_scratch("px", "fl");
	a = open("f", O_RDWR | O_CREAT, 0644);
	b = open("f", O_RDONLY);
	CN_ASSERT_TRUE(a >= 0 && b >= 0);
	d = dup(a);
	CN_EXPECT_EQ(flock(a, LOCK_SH), 0);
	CN_EXPECT_EQ(flock(b, LOCK_SH | LOCK_NB), 0);
	/* b's shared lock stops a from taking it exclusively... */
	CN_EXPECT_EQ(ERR(flock(a, LOCK_EX | LOCK_NB)), -EWOULDBLOCK);
	CN_EXPECT_EQ(flock(b, LOCK_UN), 0);
	/* ...and once it went, it converts; a dup shares it. */
	CN_EXPECT_EQ(flock(a, LOCK_EX | LOCK_NB), 0);
	CN_EXPECT_EQ(ERR(flock(b, LOCK_SH | LOCK_NB)), -EWOULDBLOCK);
	CN_EXPECT_EQ(flock(d, LOCK_EX | LOCK_NB), 0);
	CN_EXPECT_EQ(ERR(flock(a, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(flock(77, LOCK_SH)), -EBADF);
	/* A thread waits for it; closing one dup keeps it, the last frees. */
	snprintf(path, sizeof(path), "%s/f", base);
	w.path = path;
	CN_ASSERT_EQ(cn_thread_create(&t, NULL, flock_waiter, &w), 0);
	cn_thread_sleep_ns(20000000);
	CN_EXPECT_EQ(w.got, 0);
	CN_EXPECT_EQ(close(a), 0);
	cn_thread_sleep_ns(20000000);
	CN_EXPECT_EQ(w.got, 0);
	CN_EXPECT_EQ(close(d), 0);
	CN_EXPECT_EQ(cn_thread_join(t, NULL), 0);
	CN_EXPECT_EQ(w.got, 1);
	CN_EXPECT_EQ(flock(b, LOCK_EX | LOCK_NB), 0);
	CN_EXPECT_EQ(close(b), 0);
	cn_vfs_test_done();
}

CN_TEST(posixfile, chown_family)
{
	struct stat st;
	int fd;

	cn_vfs_test_scratch("px", "own");
	fd = open("f", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(symlink("f", "l"), 0);
	CN_EXPECT_EQ(chown("f", 1000, 100), 0);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_EQ(st.st_uid, 1000);
	CN_EXPECT_EQ(st.st_gid, 100);
	/* -1 keeps one; fchown works on the descriptor. */
	CN_EXPECT_EQ(fchown(fd, (uid_t)-1, 7), 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_uid, 1000);
	CN_EXPECT_EQ(st.st_gid, 7);
	/* lchown changes the link, chown through it the file. */
	CN_EXPECT_EQ(lchown("l", 5, 5), 0);
	CN_EXPECT_EQ(lstat("l", &st), 0);
	CN_EXPECT_EQ(st.st_uid, 5);
	CN_EXPECT_EQ(stat("l", &st), 0);
	CN_EXPECT_EQ(st.st_uid, 1000);
	CN_EXPECT_EQ(fchownat(AT_FDCWD, "f", 0, 0, 0), 0);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_EQ(st.st_uid, 0);
	CN_EXPECT_EQ(ERR(chown("nope", 0, 0)), -ENOENT);
	CN_EXPECT_EQ(ERR(fchown(99, 0, 0)), -EBADF);
	CN_EXPECT_EQ(ERR(fchownat(AT_FDCWD, "f", 0, 0, 0x4000)), -EINVAL);
	/* devfs keeps no owners: only root. */
	if (stat("/dev/null", &st) == 0) {
		CN_EXPECT_EQ(ERR(chown("/dev/null", 1, 1)), -EPERM);
		CN_EXPECT_EQ(chown("/dev/null", 0, 0), 0);
	}
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posixfile, utime_family)
{
	struct timeval tv[2] = { { 1000, 500000 }, { 2000, 250000 } };
	struct utimbuf ub = { 3000, 4000 };
	struct stat st;
	int fd;

	cn_vfs_test_scratch("px", "ut");
	fd = open("f", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(utimes("f", tv), 0);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_EQ(st.st_atim.tv_sec, 1000);
	CN_EXPECT_EQ(st.st_atim.tv_nsec, 500000000);
	CN_EXPECT_EQ(st.st_mtim.tv_sec, 2000);
	CN_EXPECT_EQ(st.st_mtim.tv_nsec, 250000000);
	CN_EXPECT_EQ(utime("f", &ub), 0);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_EQ(st.st_atim.tv_sec, 3000);
	CN_EXPECT_EQ(st.st_mtim.tv_sec, 4000);
	CN_EXPECT_EQ(st.st_mtim.tv_nsec, 0);
	tv[1].tv_sec = 5000;
	CN_EXPECT_EQ(futimes(fd, tv), 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_mtim.tv_sec, 5000);
	/* NULL is now: well after 1970 + 5000 s. */
	CN_EXPECT_EQ(utime("f", NULL), 0);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_TRUE(st.st_mtim.tv_sec != 5000);
	tv[0].tv_usec = 1000000;
	CN_EXPECT_EQ(ERR(utimes("f", tv)), -EINVAL);
	CN_EXPECT_EQ(ERR(utimes("nope", NULL)), -ENOENT);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posixfile, getdents64_reads_entries)
{
	char buf[1024];
	ssize_t n, off;
	int fd, seen = 0;

	cn_vfs_test_scratch("px", "gd");
	CN_EXPECT_EQ(mkdir("sub", 0755), 0);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CN_ASSERT_TRUE(fd >= 0);
	n = getdents64(fd, buf, sizeof(buf));
	CN_EXPECT_TRUE(n > 0);
	for (off = 0; off < n;) {
		struct dirent *d = (struct dirent *)(buf + off);

		if (!strcmp(d->d_name, "sub") && d->d_type == DT_DIR)
			seen++;
		off += d->d_reclen;
	}
	CN_EXPECT_EQ(seen, 1);
	CN_EXPECT_EQ(getdents64(fd, buf, sizeof(buf)), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}
