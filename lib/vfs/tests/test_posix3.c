/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's and POSIX's further calls on files, on ramfs: getdents,
 * preadv/pwritev(2), statfs, syncfs, renameat2, mknod/mkfifo, fadvise,
 * fallocate, readahead, lockf, copy_file_range, splice, tee, euidaccess,
 * mkdtemp/mkostemp/tempnam, ftw/nftw, glob. Each case in a fresh ramfs
 * mounted on /p3-<case>.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

CN_TEST(posix3, getdents_continues_and_ends)
{
	char buf[512], small[8];
	int fd, names = 0, calls = 0;
	ssize_t n, off;

	cn_vfs_test_scratch("p3", "gd");
	CN_EXPECT_EQ(put("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", ""), 0);
	CN_EXPECT_EQ(put("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", ""), 0);
	CN_EXPECT_EQ(put("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3", ""), 0);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(ERR(getdents(fd, small, sizeof(small))), -EINVAL);
	/* 64 bytes hold one record of a 42-byte name: one call each. */
	while ((n = getdents(fd, buf, 64)) > 0) {
		calls++;
		for (off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);

			if (!strncmp(d->d_name, "aaaa", 4)) {
				names++;
				CN_EXPECT_EQ(d->d_type, DT_REG);
			}
			CN_EXPECT_TRUE(d->d_reclen % 8 == 0);
			off += d->d_reclen;
		}
	}
	CN_EXPECT_EQ(n, 0);
	CN_EXPECT_EQ(names, 3);
	CN_EXPECT_GE(calls, 3);
	CN_EXPECT_EQ(getdents(fd, buf, sizeof(buf)), 0);
	CN_EXPECT_EQ(ERR(getdents(99, buf, sizeof(buf))), -EBADF);
	CN_EXPECT_EQ(close(fd), 0);
	fd = open("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", O_RDONLY);
	CN_EXPECT_EQ(ERR(getdents(fd, buf, sizeof(buf))), -ENOTDIR);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, preadv_pwritev_at_offsets)
{
	char a[4] = { 0 }, b[8] = { 0 };
	struct iovec w[2] = { { "hello", 5 }, { " world", 6 } };
	struct iovec r[2] = { { a, 3 }, { b, 8 } };
	int fd, p[2];

	cn_vfs_test_scratch("p3", "pv");
	fd = open("f", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(pwritev(fd, w, 2, 2), 11);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);	/* position unmoved */
	CN_EXPECT_EQ(size_of("f"), 13);
	CN_EXPECT_EQ(preadv(fd, r, 2, 2), 11);
	CN_EXPECT_EQ(memcmp(a, "hel", 3), 0);
	CN_EXPECT_EQ(memcmp(b, "lo world", 8), 0);
	CN_EXPECT_EQ(preadv(fd, r, 2, 13), 0);		/* the end */
	/* preadv2/pwritev2: flags 0; offset -1 is the position. */
	CN_EXPECT_EQ(pwritev2(fd, w, 1, -1, 0), 5);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5);
	CN_EXPECT_EQ(preadv2(fd, r, 1, 0, 0), 3);
	CN_EXPECT_EQ(memcmp(a, "hel", 3), 0);
	CN_EXPECT_EQ(ERR(preadv2(fd, r, 1, 0, RWF_NOWAIT)), -EOPNOTSUPP);
	CN_EXPECT_EQ(ERR(pwritev2(fd, w, 1, 0, RWF_SYNC)), -EOPNOTSUPP);
	CN_EXPECT_EQ(ERR(preadv(fd, r, 2, -1)), -EINVAL);
	CN_EXPECT_EQ(ERR(preadv(fd, r, -1, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(preadv(99, r, 2, 0)), -EBADF);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(ERR(pwritev(p[1], w, 1, 0)), -ESPIPE);
	CN_EXPECT_EQ(ERR(preadv(p[0], r, 0, 0)), -ESPIPE);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, statfs_names_ramfs_and_syncfs)
{
	struct statfs sf;
	int fd, p[2];

	cn_vfs_test_scratch("p3", "sf");
	CN_EXPECT_EQ(statfs(".", &sf), 0);
	CN_EXPECT_EQ(sf.f_type, RAMFS_MAGIC);
	CN_EXPECT_EQ(sf.f_namelen, 255);
	CN_EXPECT_GT(sf.f_bsize, 0);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CN_ASSERT_TRUE(fd >= 0);
	memset(&sf, 0, sizeof(sf));
	CN_EXPECT_EQ(fstatfs(fd, &sf), 0);
	CN_EXPECT_EQ(sf.f_type, RAMFS_MAGIC);
	CN_EXPECT_EQ(syncfs(fd), 0);
	CN_EXPECT_EQ(ERR(syncfs(99)), -EBADF);
	CN_EXPECT_EQ(ERR(statfs("nope", &sf)), -ENOENT);
	CN_EXPECT_EQ(ERR(fstatfs(99, &sf)), -EBADF);
	if (statfs("/dev", &sf) == 0 && sf.f_type != RAMFS_MAGIC)
		CN_EXPECT_EQ(sf.f_type, DEVFS_SUPER_MAGIC);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(ERR(fstatfs(p[0], &sf)), -ENOSYS);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, renameat2_noreplace)
{
	char buf[8] = { 0 };
	int fd;

	cn_vfs_test_scratch("p3", "rn");
	CN_EXPECT_EQ(put("a", "A"), 0);
	CN_EXPECT_EQ(put("b", "B"), 0);
	CN_EXPECT_EQ(ERR(renameat2(AT_FDCWD, "a", AT_FDCWD, "b",
				   RENAME_NOREPLACE)), -EEXIST);
	CN_EXPECT_EQ(size_of("a"), 1);			/* both still there */
	CN_EXPECT_EQ(renameat2(AT_FDCWD, "a", AT_FDCWD, "c",
			       RENAME_NOREPLACE), 0);
	CN_EXPECT_EQ(size_of("a"), -1);
	CN_EXPECT_EQ(renameat2(AT_FDCWD, "c", AT_FDCWD, "b", 0), 0);
	fd = open("b", O_RDONLY);
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), 1);
	CN_EXPECT_EQ(buf[0], 'A');
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(ERR(renameat2(AT_FDCWD, "b", AT_FDCWD, "d",
				   RENAME_EXCHANGE)), -EINVAL);
	CN_EXPECT_EQ(ERR(renameat2(AT_FDCWD, "b", AT_FDCWD, "d", 0x80)),
		     -EINVAL);
	CN_EXPECT_EQ(ERR(renameat2(AT_FDCWD, "nope", AT_FDCWD, "d", 0)),
		     -ENOENT);
	cn_vfs_test_done();
}

CN_TEST(posix3, mknod_regular_and_fifo_refused)
{
	struct stat st;
	mode_t old;

	cn_vfs_test_scratch("p3", "mn");
	old = umask(022);
	CN_EXPECT_EQ(mknod("r", S_IFREG | 0666, 0), 0);
	CN_EXPECT_EQ(stat("r", &st), 0);
	CN_EXPECT_TRUE(S_ISREG(st.st_mode));
	CN_EXPECT_EQ(st.st_mode & 0777, 0644);
	CN_EXPECT_EQ(st.st_size, 0);
	CN_EXPECT_EQ(mknodat(AT_FDCWD, "r0", 0600, 0), 0);	/* type 0 */
	CN_EXPECT_EQ(ERR(mknod("r", S_IFREG | 0644, 0)), -EEXIST);
	CN_EXPECT_EQ(ERR(mkfifo("r", 0644)), -EEXIST);
	CN_EXPECT_EQ(ERR(mkfifo("fifo", 0644)), -EPERM);
	CN_EXPECT_EQ(ERR(mkfifoat(AT_FDCWD, "fifo", 0644)), -EPERM);
	CN_EXPECT_EQ(ERR(mknod("chr", S_IFCHR | 0644, 0x101)), -EPERM);
	CN_EXPECT_EQ(ERR(mknod("d", S_IFDIR | 0755, 0)), -EPERM);
	CN_EXPECT_EQ(ERR(mknod("x", 0170000 | 0644, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(mknod("no/r", S_IFREG | 0644, 0)), -ENOENT);
	CN_EXPECT_EQ(size_of("fifo"), -1);
	umask(old);
	cn_vfs_test_done();
}

CN_TEST(posix3, fadvise_fallocate_readahead)
{
	char buf[16];
	int fd, ro, p[2];

	cn_vfs_test_scratch("p3", "fa");
	fd = open("f", O_RDWR | O_CREAT, 0644);
	ro = open("f", O_RDONLY);
	CN_ASSERT_TRUE(fd >= 0 && ro >= 0);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	CN_EXPECT_EQ(posix_fadvise(fd, 0, 100, POSIX_FADV_DONTNEED), 0);
	CN_EXPECT_EQ(posix_fadvise(fd, 0, 0, 42), EINVAL);
	CN_EXPECT_EQ(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL);
	CN_EXPECT_EQ(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL), ESPIPE);
	CN_EXPECT_EQ(posix_fadvise(99, 0, 0, POSIX_FADV_NORMAL), EBADF);
	/* Extends with zeros, never shrinks. */
	CN_EXPECT_EQ(write(fd, "abc", 3), 3);
	CN_EXPECT_EQ(posix_fallocate(fd, 2, 10), 0);
	CN_EXPECT_EQ(size_of("f"), 12);
	CN_EXPECT_EQ(pread(fd, buf, sizeof(buf), 0), 12);
	CN_EXPECT_EQ(memcmp(buf, "abc\0\0\0\0\0\0\0\0\0", 12), 0);
	CN_EXPECT_EQ(posix_fallocate(fd, 0, 4), 0);
	CN_EXPECT_EQ(size_of("f"), 12);
	CN_EXPECT_EQ(fallocate(fd, 0, 20, 4), 0);
	CN_EXPECT_EQ(size_of("f"), 24);
	CN_EXPECT_EQ(fallocate(fd, FALLOC_FL_KEEP_SIZE, 100, 4), 0);
	CN_EXPECT_EQ(size_of("f"), 24);
	CN_EXPECT_EQ(posix_fallocate(fd, 0, 0), EINVAL);
	CN_EXPECT_EQ(posix_fallocate(fd, -1, 4), EINVAL);
	CN_EXPECT_EQ(posix_fallocate(ro, 0, 4), EBADF);
	CN_EXPECT_EQ(posix_fallocate(99, 0, 4), EBADF);
	CN_EXPECT_EQ(posix_fallocate(p[1], 0, 4), ESPIPE);
	CN_EXPECT_EQ(ERR(fallocate(fd, FALLOC_FL_PUNCH_HOLE |
					   FALLOC_FL_KEEP_SIZE, 0, 4)),
		     -EOPNOTSUPP);
	CN_EXPECT_EQ(ERR(fallocate(fd, 0, 0, -4)), -EINVAL);
	CN_EXPECT_EQ(ERR(fallocate(99, 0, 0, 4)), -EBADF);
	CN_EXPECT_EQ(readahead(fd, 0, 4096), 0);
	CN_EXPECT_EQ(ERR(readahead(p[0], 0, 4096)), -EINVAL);
	CN_EXPECT_EQ(ERR(readahead(99, 0, 4096)), -EBADF);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(ro), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, lockf_over_record_locks)
{
	int fd, ro;

	cn_vfs_test_scratch("p3", "lf");
	fd = open("f", O_RDWR | O_CREAT, 0644);
	ro = open("f", O_RDONLY);
	CN_ASSERT_TRUE(fd >= 0 && ro >= 0);
	CN_EXPECT_EQ(lockf(fd, F_LOCK, 10), 0);
	CN_EXPECT_EQ(lockf(fd, F_TLOCK, 10), 0);	/* ours: no conflict */
	CN_EXPECT_EQ(lockf(fd, F_TEST, 0), 0);
	CN_EXPECT_EQ(lockf(fd, F_ULOCK, 0), 0);
	CN_EXPECT_EQ(ERR(lockf(fd, 42, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(lockf(ro, F_LOCK, 0)), -EBADF);	/* write lock */
	CN_EXPECT_EQ(ERR(lockf(99, F_LOCK, 0)), -EBADF);
	CN_EXPECT_EQ(close(ro), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, copy_file_range_copies)
{
	char buf[32] = { 0 };
	off_t oi = 2, oo = 1;
	int in, out, ro, p[2];

	cn_vfs_test_scratch("p3", "cf");
	CN_EXPECT_EQ(put("src", "0123456789"), 0);
	in = open("src", O_RDONLY);
	out = open("dst", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(in >= 0 && out >= 0);
	/* With offsets: the positions do not move. */
	CN_EXPECT_EQ(copy_file_range(in, &oi, out, &oo, 4, 0), 4);
	CN_EXPECT_EQ(oi, 6);
	CN_EXPECT_EQ(oo, 5);
	CN_EXPECT_EQ(lseek(in, 0, SEEK_CUR), 0);
	CN_EXPECT_EQ(pread(out, buf, sizeof(buf), 0), 5);
	CN_EXPECT_EQ(memcmp(buf, "\0" "2345", 5), 0);
	/* Without: from the positions, moved; stops at the end. */
	CN_EXPECT_EQ(lseek(in, 7, SEEK_SET), 7);
	CN_EXPECT_EQ(copy_file_range(in, NULL, out, NULL, 100, 0), 3);
	CN_EXPECT_EQ(lseek(in, 0, SEEK_CUR), 10);
	CN_EXPECT_EQ(lseek(out, 0, SEEK_CUR), 3);
	CN_EXPECT_EQ(copy_file_range(in, NULL, out, NULL, 100, 0), 0);
	CN_EXPECT_EQ(pread(out, buf, sizeof(buf), 0), 5);
	CN_EXPECT_EQ(memcmp(buf, "789" "45", 5), 0);
	/* Linux's errors. */
	ro = open("dst", O_RDONLY);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(ERR(copy_file_range(in, NULL, out, NULL, 1, 1)),
		     -EINVAL);
	CN_EXPECT_EQ(ERR(copy_file_range(in, NULL, ro, NULL, 1, 0)),
		     -EBADF);
	CN_EXPECT_EQ(ERR(copy_file_range(99, NULL, out, NULL, 1, 0)),
		     -EBADF);
	CN_EXPECT_EQ(ERR(copy_file_range(p[0], NULL, out, NULL, 1, 0)),
		     -EINVAL);
	oi = 0;
	oo = 2;
	CN_EXPECT_EQ(ERR(copy_file_range(out, &oi, out, &oo, 4, 0)),
		     -EINVAL);				/* overlapping */
	oi = -1;
	CN_EXPECT_EQ(ERR(copy_file_range(in, &oi, out, NULL, 1, 0)),
		     -EINVAL);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(close(ro), 0);
	CN_EXPECT_EQ(close(in), 0);
	CN_EXPECT_EQ(close(out), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, splice_and_tee_through_pipes)
{
	char buf[16] = { 0 };
	off_t off = 3;
	int fd, p[2], q[2], f2;

	cn_vfs_test_scratch("p3", "sp");
	CN_EXPECT_EQ(put("src", "abcdefgh"), 0);
	fd = open("src", O_RDONLY);
	f2 = open("dst", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0 && f2 >= 0);
	CN_ASSERT_EQ(pipe(p), 0);
	CN_ASSERT_EQ(pipe(q), 0);
	/* File to pipe at an offset, then pipe to file. */
	CN_EXPECT_EQ(splice(fd, &off, p[1], NULL, 4, 0), 4);
	CN_EXPECT_EQ(off, 7);
	/* tee: q gets a copy, p keeps its data. */
	CN_EXPECT_EQ(tee(p[0], q[1], 100, 0), 4);
	CN_EXPECT_EQ(read(q[0], buf, sizeof(buf)), 4);
	CN_EXPECT_EQ(memcmp(buf, "defg", 4), 0);
	CN_EXPECT_EQ(splice(p[0], NULL, f2, NULL, 100, 0), 4);
	CN_EXPECT_EQ(pread(f2, buf, sizeof(buf), 0), 4);
	CN_EXPECT_EQ(memcmp(buf, "defg", 4), 0);
	CN_EXPECT_EQ(ERR(tee(p[0], q[1], 1, SPLICE_F_NONBLOCK)), -EAGAIN);
	CN_EXPECT_EQ(ERR(splice(p[0], NULL, f2, NULL, 4, SPLICE_F_NONBLOCK)),
		     -EAGAIN);				/* empty pipe */
	/* Linux's errors. */
	CN_EXPECT_EQ(ERR(splice(fd, NULL, f2, NULL, 4, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(splice(p[0], &off, f2, NULL, 4, 0)), -ESPIPE);
	CN_EXPECT_EQ(ERR(splice(99, NULL, p[1], NULL, 4, 0)), -EBADF);
	CN_EXPECT_EQ(ERR(tee(fd, q[1], 4, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(tee(p[0], p[1], 4, 0)), -EINVAL);
	CN_EXPECT_EQ(ERR(tee(p[0], 99, 4, 0)), -EBADF);
	CN_EXPECT_EQ(close(p[1]), 0);
	CN_EXPECT_EQ(tee(p[0], q[1], 4, 0), 0);		/* no writer: end */
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(q[0]), 0);
	CN_EXPECT_EQ(close(q[1]), 0);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(close(f2), 0);
	cn_vfs_test_done();
}

CN_TEST(posix3, euidaccess_is_access)
{
	cn_vfs_test_scratch("p3", "ea");
	CN_EXPECT_EQ(put("f", ""), 0);
	CN_EXPECT_EQ(chmod("f", 0644), 0);
	CN_EXPECT_EQ(euidaccess("f", R_OK | W_OK), 0);
	CN_EXPECT_EQ(eaccess("f", F_OK), 0);
	CN_EXPECT_EQ(ERR(euidaccess("f", X_OK)), -EACCES);
	CN_EXPECT_EQ(ERR(eaccess("nope", F_OK)), -ENOENT);
	CN_EXPECT_EQ(ERR(euidaccess("f", 0100)), -EINVAL);
	cn_vfs_test_done();
}

CN_TEST(posix3, temporary_names)
{
	char d[] = "dirXXXXXX", f[] = "fileXXXXXX", bad[] = "dirXXXXX";
	char bad2[] = "XXXXXXy";
	struct stat st;
	char *t;
	int fd;

	cn_vfs_test_scratch("p3", "tm");
	CN_ASSERT_NOT_NULL(mkdtemp(d));
	CN_EXPECT_EQ(strncmp(d, "dir", 3), 0);
	CN_EXPECT_EQ(strlen(d), 9);
	CN_EXPECT_NE(strcmp(d + 3, "XXXXXX"), 0);	/* X's replaced */
	CN_EXPECT_EQ(stat(d, &st), 0);
	CN_EXPECT_TRUE(S_ISDIR(st.st_mode));
	CN_EXPECT_EQ(st.st_mode & 0777, 0700);
	CN_EXPECT_NULL(mkdtemp(bad));
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_NULL(mkdtemp(bad2));
	CN_EXPECT_EQ(errno, EINVAL);
	fd = mkostemp(f, O_CLOEXEC);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CN_EXPECT_EQ(write(fd, "x", 1), 1);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_mode & 0777, 0600);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(size_of(f), 1);
	CN_EXPECT_EQ(ERR(mkostemp(bad, 0)), -EINVAL);
	t = tempnam(".", "pre");
	CN_ASSERT_NOT_NULL(t);
	CN_EXPECT_EQ(strncmp(t, "./pre", 5), 0);
	CN_EXPECT_EQ(strlen(t), 11);
	CN_EXPECT_EQ(ERR(stat(t, &st)), -ENOENT);
	free(t);
	cn_vfs_test_done();
}

static char walked[256];
static int stop_at = -1;	/* the type whose call returns 7 */

static int nfn(const char *path, const struct stat *st, int type,
	       struct FTW *ftw)
{
	char one[64];

	(void)st;
	snprintf(one, sizeof(one), "%s:%d:%d:%s ", path + ftw->base, type,
		 ftw->level, path);
	strncat(walked, one, sizeof(walked) - strlen(walked) - 1);
	return type == stop_at ? 7 : 0;
}

static int count;

static int fn(const char *path, const struct stat *st, int type)
{
	(void)path, (void)st, (void)type;
	count++;
	return 0;
}

CN_TEST(posix3, nftw_walks_the_tree)
{
	cn_vfs_test_scratch("p3", "fw");
	CN_EXPECT_EQ(mkdir("t", 0755), 0);
	CN_EXPECT_EQ(mkdir("t/d", 0755), 0);
	CN_EXPECT_EQ(put("t/d/f", ""), 0);
	CN_EXPECT_EQ(symlink("gone", "t/l"), 0);
	walked[0] = '\0';
	stop_at = -1;
	CN_EXPECT_EQ(nftw("t", nfn, 4, FTW_PHYS), 0);
	CN_EXPECT_NOT_NULL(strstr(walked, "t:1:0:t "));
	CN_EXPECT_NOT_NULL(strstr(walked, "d:1:1:t/d f:0:2:t/d/f "));
	CN_EXPECT_NOT_NULL(strstr(walked, "f:0:2:t/d/f "));
	CN_EXPECT_NOT_NULL(strstr(walked, "l:4:1:t/l "));	/* FTW_SL */
	/* FTW_DEPTH: a directory after its entries; a link to nothing. */
	walked[0] = '\0';
	CN_EXPECT_EQ(nftw("t/", nfn, 4, FTW_DEPTH), 0);
	CN_EXPECT_NOT_NULL(strstr(walked, "f:0:2:t/d/f d:5:1:t/d "));
	CN_EXPECT_NOT_NULL(strstr(walked, "l:6:1:t/l "));	/* FTW_SLN */
	CN_EXPECT_EQ(strcmp(walked + strlen(walked) - 8, "t:5:0:t "), 0);
	/* A callback's non-zero return stops the walk and is returned. */
	walked[0] = '\0';
	stop_at = FTW_F;
	CN_EXPECT_EQ(nftw("t", nfn, 4, FTW_PHYS), 7);
	CN_EXPECT_STREQ(walked + strlen(walked) - 12, "f:0:2:t/d/f ");
	count = 0;
	CN_EXPECT_EQ(ftw("t", fn, 4), 0);
	CN_EXPECT_EQ(count, 4);
	CN_EXPECT_EQ(ERR(nftw("nope", nfn, 4, 0)), -ENOENT);
	CN_EXPECT_EQ(ERR(ftw("", fn, 4)), -ENOENT);
	cn_vfs_test_done();
}

CN_TEST(posix3, glob_matches_sorted)
{
	glob_t g;

	cn_vfs_test_scratch("p3", "gl");
	CN_EXPECT_EQ(mkdir("d1", 0755), 0);
	CN_EXPECT_EQ(mkdir("d2", 0755), 0);
	CN_EXPECT_EQ(put("d1/b.c", ""), 0);
	CN_EXPECT_EQ(put("d1/a.c", ""), 0);
	CN_EXPECT_EQ(put("d2/c.c", ""), 0);
	CN_EXPECT_EQ(put("d2/c.h", ""), 0);
	CN_EXPECT_EQ(put("d2/.h.c", ""), 0);
	CN_ASSERT_EQ(glob("d?/*.c", 0, NULL, &g), 0);
	CN_ASSERT_EQ(g.gl_pathc, 3);
	CN_EXPECT_STREQ(g.gl_pathv[0], "d1/a.c");
	CN_EXPECT_STREQ(g.gl_pathv[1], "d1/b.c");
	CN_EXPECT_STREQ(g.gl_pathv[2], "d2/c.c");
	CN_EXPECT_NULL(g.gl_pathv[3]);
	globfree(&g);
	CN_ASSERT_EQ(glob("d[2-9]/c.[ch]", 0, NULL, &g), 0);
	CN_EXPECT_EQ(g.gl_pathc, 2);
	globfree(&g);
	CN_ASSERT_EQ(glob("d*", GLOB_MARK, NULL, &g), 0);
	CN_ASSERT_EQ(g.gl_pathc, 2);
	CN_EXPECT_STREQ(g.gl_pathv[0], "d1/");
	globfree(&g);
	CN_ASSERT_EQ(glob("d1/a.c", 0, NULL, &g), 0);		/* no magic */
	CN_EXPECT_EQ(g.gl_pathc, 1);
	globfree(&g);
	CN_ASSERT_EQ(glob("/p3-gl/d2/*.h", 0, NULL, &g), 0);
	CN_ASSERT_EQ(g.gl_pathc, 1);
	CN_EXPECT_STREQ(g.gl_pathv[0], "/p3-gl/d2/c.h");
	globfree(&g);
	CN_EXPECT_EQ(glob("*.none", 0, NULL, &g), GLOB_NOMATCH);
	CN_ASSERT_EQ(glob("*.none", GLOB_NOCHECK, NULL, &g), 0);
	CN_ASSERT_EQ(g.gl_pathc, 1);
	CN_EXPECT_STREQ(g.gl_pathv[0], "*.none");
	globfree(&g);
	cn_vfs_test_done();
}
