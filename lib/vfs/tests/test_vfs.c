/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The POSIX calls an app makes, with the errno values Linux gives: each
 * case in a fresh ramfs mounted on /posix-<case> (its current directory);
 * unmounting it at the end proves nothing leaked.
 */
#define _GNU_SOURCE		/* dup3 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <cairn/file.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_test.h>

/* -1 and errno as one value, for CN_EXPECT_EQ(ERR(call), -ENOENT). */
#define ERR(call) ((call) < 0 ? -errno : 0)

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CN_ASSERT_TRUE(fd >= 0);
	CN_ASSERT_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	CN_ASSERT_EQ(close(fd), 0);
}

CN_TEST(vfs, read_write_lseek_pread_pwrite)
{
	char buf[32];
	int fd;

	cn_vfs_test_scratch("posix", "rw");
	fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0644);
	CN_ASSERT_TRUE(fd >= 3);
	CN_EXPECT_EQ(write(fd, "hello world", 11), 11);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	CN_EXPECT_EQ(read(fd, buf, 5), 5);
	CN_EXPECT_EQ(memcmp(buf, "hello", 5), 0);
	CN_EXPECT_EQ(lseek(fd, -5, SEEK_END), 6);
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), 5);
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), 0);		/* EOF */
	CN_EXPECT_EQ(pwrite(fd, "W", 1, 6), 1);
	CN_EXPECT_EQ(pread(fd, buf, 5, 6), 5);
	CN_EXPECT_EQ(memcmp(buf, "World", 5), 0);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11);	/* p* keep it */
	CN_EXPECT_EQ(ERR(lseek(fd, -1, SEEK_SET)), -EINVAL);
	CN_EXPECT_EQ(ERR(lseek(fd, 0, 42)), -EINVAL);
	CN_EXPECT_EQ(ERR(pread(fd, buf, 1, -1)), -EINVAL);
	/* Past the end: a hole reads as zeros. */
	CN_EXPECT_EQ(lseek(fd, 100, SEEK_SET), 100);
	CN_EXPECT_EQ(write(fd, "x", 1), 1);
	CN_EXPECT_EQ(pread(fd, buf, 4, 50), 4);
	CN_EXPECT_EQ(buf[0] | buf[1] | buf[2] | buf[3], 0);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(ERR(close(fd)), -EBADF);
	CN_EXPECT_EQ(ERR(read(fd, buf, 1)), -EBADF);
	cn_vfs_test_done();
}

CN_TEST(vfs, access_modes_and_ebadf)
{
	char c;
	int fd;

	cn_vfs_test_scratch("posix", "acc");
	put("f", "abc");
	fd = open("f", O_RDONLY);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(ERR(write(fd, "x", 1)), -EBADF);
	CN_EXPECT_EQ(ERR(ftruncate(fd, 0)), -EBADF);
	close(fd);
	fd = open("f", O_WRONLY);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(ERR(read(fd, &c, 1)), -EBADF);
	close(fd);
	cn_vfs_test_done();
}

CN_TEST(vfs, o_append_o_trunc_o_creat)
{
	struct stat st;
	char buf[16];
	int fd, fd2;

	cn_vfs_test_scratch("posix", "flags");
	put("f", "abc");
	fd = open("f", O_WRONLY | O_APPEND);
	fd2 = open("f", O_WRONLY | O_APPEND);
	CN_ASSERT_TRUE(fd >= 0 && fd2 >= 0);
	CN_EXPECT_EQ(write(fd, "d", 1), 1);
	CN_EXPECT_EQ(write(fd2, "e", 1), 1);	/* each at the real end */
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	CN_EXPECT_EQ(write(fd, "f", 1), 1);
	CN_EXPECT_EQ(fcntl(fd, F_GETFL) & O_APPEND, O_APPEND);
	close(fd);
	close(fd2);
	fd = open("f", O_RDONLY);
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), 6);
	CN_EXPECT_EQ(memcmp(buf, "abcdef", 6), 0);
	close(fd);
	fd = open("f", O_RDWR | O_TRUNC);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_size, 0);
	close(fd);
	CN_EXPECT_EQ(ERR(open("f", O_CREAT | O_EXCL | O_RDWR, 0644)), -EEXIST);
	CN_EXPECT_EQ(ERR(open("none", O_RDONLY)), -ENOENT);
	CN_EXPECT_EQ(ERR(open(".", O_WRONLY)), -EISDIR);
	CN_EXPECT_EQ(ERR(open("f", O_RDONLY | O_DIRECTORY)), -ENOTDIR);
	/* Flags that need no behaviour here are accepted. */
	fd = open("g", O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
		  O_SYNC, 0600);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CN_EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_mode & 0777, 0600);
	close(fd);
	fd = creat("h", 0640);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(ERR(read(fd, buf, 1)), -EBADF);	/* write-only */
	close(fd);
	cn_vfs_test_done();
}

CN_TEST(vfs, umask_applies_to_new_files)
{
	struct stat st;
	mode_t old;
	int fd;

	cn_vfs_test_scratch("posix", "umask");
	old = umask(077);
	fd = open("f", O_RDWR | O_CREAT, 0666);
	CN_ASSERT_TRUE(fd >= 0);
	close(fd);
	CN_EXPECT_EQ(mkdir("d", 0777), 0);
	CN_EXPECT_EQ(umask(old), 077);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_EQ(st.st_mode, S_IFREG | 0600);
	CN_EXPECT_EQ(stat("d", &st), 0);
	CN_EXPECT_EQ(st.st_mode, S_IFDIR | 0700);
	cn_vfs_test_done();
}

CN_TEST(vfs, dup_dup2_share_the_position)
{
	char buf[8];
	int fd, d1, d2;

	cn_vfs_test_scratch("posix", "dup");
	put("f", "0123456789");
	fd = open("f", O_RDONLY);
	CN_ASSERT_TRUE(fd >= 0);
	d1 = dup(fd);
	CN_ASSERT_TRUE(d1 > fd);
	CN_EXPECT_EQ(read(fd, buf, 3), 3);
	CN_EXPECT_EQ(read(d1, buf, 3), 3);
	CN_EXPECT_EQ(memcmp(buf, "345", 3), 0);
	d2 = dup2(fd, 100);
	CN_EXPECT_EQ(d2, 100);
	CN_EXPECT_EQ(lseek(100, 0, SEEK_CUR), 6);
	close(fd);
	close(d1);
	CN_EXPECT_EQ(read(100, buf, 4), 4);	/* the file is still open */
	close(100);
	CN_EXPECT_EQ(ERR(dup(fd)), -EBADF);
	cn_vfs_test_done();
}

CN_TEST(vfs, stat_fstat_lstat)
{
	struct stat a, b;
	int fd;

	cn_vfs_test_scratch("posix", "stat");
	put("f", "12345");
	CN_ASSERT_EQ(symlink("f", "l"), 0);
	CN_EXPECT_EQ(stat("f", &a), 0);
	CN_EXPECT_TRUE(S_ISREG(a.st_mode));
	CN_EXPECT_EQ(a.st_size, 5);
	CN_EXPECT_EQ(a.st_nlink, 1);
	CN_EXPECT_EQ(a.st_blksize, 4096);
	CN_EXPECT_EQ(stat("l", &b), 0);
	CN_EXPECT_EQ(b.st_ino, a.st_ino);
	CN_EXPECT_EQ(lstat("l", &b), 0);
	CN_EXPECT_TRUE(S_ISLNK(b.st_mode));
	CN_EXPECT_EQ(b.st_size, 1);
	fd = open("f", O_RDONLY);
	CN_EXPECT_EQ(fstat(fd, &b), 0);
	CN_EXPECT_EQ(b.st_ino, a.st_ino);
	CN_EXPECT_EQ(b.st_dev, a.st_dev);
	close(fd);
	CN_EXPECT_EQ(ERR(stat("none", &a)), -ENOENT);
	CN_EXPECT_EQ(ERR(stat("f/x", &a)), -ENOTDIR);
	CN_EXPECT_EQ(ERR(stat("", &a)), -ENOENT);
	CN_EXPECT_EQ(ERR(fstat(999, &a)), -EBADF);
	CN_EXPECT_EQ(fstatat(AT_FDCWD, "l", &b, AT_SYMLINK_NOFOLLOW), 0);
	CN_EXPECT_TRUE(S_ISLNK(b.st_mode));
	cn_vfs_test_done();
}

CN_TEST(vfs, mkdir_rmdir_unlink_rename_errno)
{
	cn_vfs_test_scratch("posix", "names");
	CN_EXPECT_EQ(mkdir("d", 0755), 0);
	CN_EXPECT_EQ(ERR(mkdir("d", 0755)), -EEXIST);
	CN_EXPECT_EQ(ERR(mkdir("x/y", 0755)), -ENOENT);
	put("d/f", "x");
	CN_EXPECT_EQ(ERR(rmdir("d")), -ENOTEMPTY);
	CN_EXPECT_EQ(ERR(rmdir("d/f")), -ENOTDIR);
	CN_EXPECT_EQ(ERR(unlink("d")), -EISDIR);
	CN_EXPECT_EQ(ERR(unlink("d/none")), -ENOENT);
	CN_EXPECT_EQ(rename("d/f", "g"), 0);
	CN_EXPECT_EQ(ERR(rename("g", "g/h")), -ENOTDIR);
	CN_EXPECT_EQ(rmdir("d"), 0);
	put("h", "y");
	CN_EXPECT_EQ(rename("h", "g"), 0);		/* over an existing file */
	CN_EXPECT_EQ(ERR(access("h", F_OK)), -ENOENT);
	CN_EXPECT_EQ(unlink("g"), 0);
	CN_EXPECT_EQ(mkdir("e", 0755), 0);
	CN_EXPECT_EQ(remove("e"), 0);			/* a directory too */
	put("e", "z");
	CN_EXPECT_EQ(remove("e"), 0);
	CN_EXPECT_EQ(ERR(remove("e")), -ENOENT);
	cn_vfs_test_done();
}

CN_TEST(vfs, at_calls_with_a_directory_descriptor)
{
	struct stat st;
	int dfd, fd;

	cn_vfs_test_scratch("posix", "at");
	CN_ASSERT_EQ(mkdir("d", 0755), 0);
	dfd = open("d", O_RDONLY | O_DIRECTORY);
	CN_ASSERT_TRUE(dfd >= 0);
	fd = openat(dfd, "f", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	close(fd);
	CN_EXPECT_EQ(stat("d/f", &st), 0);
	CN_EXPECT_EQ(mkdirat(dfd, "sub", 0755), 0);
	CN_EXPECT_EQ(faccessat(dfd, "sub", F_OK, 0), 0);
	CN_EXPECT_EQ(unlinkat(dfd, "sub", AT_REMOVEDIR), 0);
	CN_EXPECT_EQ(symlinkat("f", dfd, "l"), 0);
	CN_EXPECT_EQ(fstatat(dfd, "l", &st, 0), 0);
	CN_EXPECT_TRUE(S_ISREG(st.st_mode));
	CN_EXPECT_EQ(unlinkat(dfd, "l", 0), 0);
	CN_EXPECT_EQ(unlinkat(dfd, "f", 0), 0);
	fd = open("d", O_RDONLY);
	CN_EXPECT_EQ(fchdir(fd), 0);
	CN_EXPECT_EQ(ERR(openat(1, "x", O_RDONLY)), -ENOTDIR); /* console */
	CN_EXPECT_EQ(ERR(openat(555, "x", O_RDONLY)), -EBADF);
	close(fd);
	close(dfd);
	cn_vfs_test_done();
}

CN_TEST(vfs, getcwd_chdir)
{
	char buf[PATH_MAX], *p;
	const char *base;

	base = cn_vfs_test_scratch("posix", "cwd");
	CN_ASSERT_EQ(mkdir("a", 0755), 0);
	CN_EXPECT_EQ(chdir("a"), 0);
	CN_ASSERT_NOT_NULL(getcwd(buf, sizeof(buf)));
	CN_EXPECT_TRUE(strncmp(buf, base, strlen(base)) == 0);
	CN_EXPECT_STREQ(buf + strlen(base), "/a");
	p = getcwd(NULL, 0);				/* allocated */
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_STREQ(p, buf);
	free(p);
	p = realpath("../a/./", NULL);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_STREQ(p, buf);
	CN_EXPECT_NULL(getcwd(buf, 3));
	CN_EXPECT_EQ(errno, ERANGE);
	CN_EXPECT_NULL(getcwd(buf, 0));
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(ERR(chdir("none")), -ENOENT);
	free(p);
	CN_EXPECT_NULL(realpath("none", buf));
	CN_EXPECT_EQ(errno, ENOENT);
	cn_vfs_test_done();
}

CN_TEST(vfs, truncate_ftruncate)
{
	struct stat st;
	char buf[8];
	int fd;

	cn_vfs_test_scratch("posix", "trunc");
	put("f", "abcdefgh");
	CN_EXPECT_EQ(truncate("f", 3), 0);
	fd = open("f", O_RDWR);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_size, 3);
	CN_EXPECT_EQ(ftruncate(fd, 6), 0);		/* grows with zeros */
	CN_EXPECT_EQ(read(fd, buf, 8), 6);
	CN_EXPECT_EQ(memcmp(buf, "abc\0\0\0", 6), 0);
	CN_EXPECT_EQ(ERR(ftruncate(fd, -1)), -EINVAL);
	close(fd);
	CN_EXPECT_EQ(ERR(truncate(".", 0)), -EISDIR);
	CN_EXPECT_EQ(ERR(truncate("none", 0)), -ENOENT);
	cn_vfs_test_done();
}

CN_TEST(vfs, symlink_readlink_errno)
{
	char buf[16];
	int fd;

	cn_vfs_test_scratch("posix", "sym");
	CN_EXPECT_EQ(symlink("target", "l"), 0);
	CN_EXPECT_EQ(readlink("l", buf, sizeof(buf)), 6);
	CN_EXPECT_EQ(memcmp(buf, "target", 6), 0);
	CN_EXPECT_EQ(ERR(symlink("x", "l")), -EEXIST);
	CN_EXPECT_EQ(ERR(readlink("none", buf, 4)), -ENOENT);
	put("f", "x");
	CN_EXPECT_EQ(ERR(readlink("f", buf, 4)), -EINVAL);
	CN_EXPECT_EQ(symlink("l2", "l1"), 0);
	CN_EXPECT_EQ(symlink("l1", "l2"), 0);
	CN_EXPECT_EQ(ERR(open("l1", O_RDONLY)), -ELOOP);
	CN_EXPECT_EQ(ERR(open("l", O_RDONLY | O_NOFOLLOW)), -ELOOP);
	fd = open("f", O_RDONLY | O_NOFOLLOW);
	CN_EXPECT_TRUE(fd >= 0);
	close(fd);
	cn_vfs_test_done();
}

CN_TEST(vfs, chmod_fchmod_utimensat)
{
	struct timespec ts[2] = { { 10, 0 }, { 20, 0 } };
	struct stat st;
	int fd;

	cn_vfs_test_scratch("posix", "chmod");
	put("f", "x");
	CN_EXPECT_EQ(chmod("f", 0700), 0);
	CN_EXPECT_EQ(stat("f", &st), 0);
	CN_EXPECT_EQ(st.st_mode & 07777, 0700);
	fd = open("f", O_RDONLY);
	CN_EXPECT_EQ(fchmod(fd, 0444), 0);
	CN_EXPECT_EQ(utimensat(AT_FDCWD, "f", ts, 0), 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_mode & 07777, 0444);
	CN_EXPECT_EQ(st.st_mtime, 20);
	CN_EXPECT_EQ(futimens(fd, NULL), 0);		/* now */
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_NE(st.st_mtime, 20);
	close(fd);
	CN_EXPECT_EQ(ERR(chmod("none", 0)), -ENOENT);
	CN_EXPECT_EQ(ERR(fchmod(0, 0)), -EINVAL);	/* the console */
	cn_vfs_test_done();
}

/* Every entry shows up once, with its type; cookies survive removal. */
CN_TEST(vfs, opendir_readdir_closedir)
{
	int seen_f = 0, seen_d = 0, seen_l = 0, dots = 0, n = 0;
	struct dirent *de;
	long pos;
	DIR *d;

	cn_vfs_test_scratch("posix", "dir");
	put("f", "x");
	CN_ASSERT_EQ(mkdir("sub", 0755), 0);
	CN_ASSERT_EQ(symlink("f", "l"), 0);
	d = opendir(".");
	CN_ASSERT_NOT_NULL(d);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			dots += de->d_type == DT_DIR;
		seen_f += !strcmp(de->d_name, "f") && de->d_type == DT_REG;
		seen_d += !strcmp(de->d_name, "sub") && de->d_type == DT_DIR;
		seen_l += !strcmp(de->d_name, "l") && de->d_type == DT_LNK;
		n++;
	}
	CN_EXPECT_EQ(errno, 0);
	CN_EXPECT_EQ(n, 5);
	CN_EXPECT_EQ(dots + seen_f + seen_d + seen_l, 5);
	rewinddir(d);
	CN_ASSERT_NOT_NULL(readdir(d));			/* "." */
	pos = telldir(d);
	de = readdir(d);				/* ".." */
	CN_ASSERT_NOT_NULL(de);
	CN_EXPECT_STREQ(de->d_name, "..");
	seekdir(d, pos);
	de = readdir(d);
	CN_ASSERT_NOT_NULL(de);
	CN_EXPECT_STREQ(de->d_name, "..");
	CN_EXPECT_TRUE(dirfd(d) >= 3);
	CN_EXPECT_EQ(closedir(d), 0);
	CN_EXPECT_NULL(opendir("none"));
	CN_EXPECT_EQ(errno, ENOENT);
	CN_EXPECT_NULL(opendir("f"));
	CN_EXPECT_EQ(errno, ENOTDIR);
	cn_vfs_test_done();
}

CN_TEST(vfs, scandir_sorted)
{
	struct dirent **list;
	int n, i;

	cn_vfs_test_scratch("posix", "scan");
	put("b", "");
	put("a", "");
	put("c", "");
	n = scandir(".", &list, NULL, alphasort);
	CN_ASSERT_EQ(n, 5);
	CN_EXPECT_STREQ(list[0]->d_name, ".");
	CN_EXPECT_STREQ(list[1]->d_name, "..");
	CN_EXPECT_STREQ(list[2]->d_name, "a");
	CN_EXPECT_STREQ(list[4]->d_name, "c");
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	CN_EXPECT_EQ(scandir("none", &list, NULL, NULL), -1);
	CN_EXPECT_EQ(errno, ENOENT);
	cn_vfs_test_done();
}

/* 1,000 files in one directory: made, listed, found, removed. */
CN_TEST(vfs, a_thousand_files_in_one_directory)
{
	static char seen[1000];
	char name[32];
	struct dirent *de;
	struct stat st;
	int i, fd, n = 0, bad = 0;
	DIR *d;

	cn_vfs_test_scratch("posix", "many");
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "file-%04d", i);
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, name, 9) != 9)
			bad++;
		close(fd);
	}
	CN_EXPECT_EQ(bad, 0);
	memset(seen, 0, sizeof(seen));
	d = opendir(".");
	CN_ASSERT_NOT_NULL(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		i = atoi(de->d_name + 5);
		if (i < 0 || i >= 1000 || seen[i]++)
			bad++;
		n++;
	}
	closedir(d);
	CN_EXPECT_EQ(n, 1000);
	CN_EXPECT_EQ(bad, 0);
	for (i = 0; i < 1000; i += 37) {
		snprintf(name, sizeof(name), "file-%04d", i);
		bad += stat(name, &st) || st.st_size != 9;
	}
	CN_EXPECT_EQ(stat(".", &st), 0);
	CN_EXPECT_EQ(st.st_nlink, 2);
	/* Remove every other one while listing: no entry twice or lost. */
	d = opendir(".");
	n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		i = atoi(de->d_name + 5);
		if (i % 2 == 0)
			bad += unlink(de->d_name) != 0;
		n++;
	}
	closedir(d);
	CN_EXPECT_EQ(n, 1000);
	for (i = 1; i < 1000; i += 2) {
		snprintf(name, sizeof(name), "file-%04d", i);
		bad += unlink(name) != 0;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(rmdir("."), -1);		/* "." is EINVAL */
	CN_EXPECT_EQ(errno, EINVAL);
	cn_vfs_test_done();
}

CN_TEST(vfs, emfile_when_the_table_is_full)
{
	static int fds[CONFIG_LIB_FDTAB_MAX];
	int n = 0, fd;

	cn_vfs_test_scratch("posix", "emfile");
	put("f", "");
	while ((fd = open("f", O_RDONLY)) >= 0)
		fds[n++] = fd;
	CN_EXPECT_EQ(errno, EMFILE);
	CN_EXPECT_GT(n, 8);
	CN_EXPECT_EQ(ERR(open("g", O_RDWR | O_CREAT, 0644)), -EMFILE);
	while (n)
		close(fds[--n]);
	cn_vfs_test_done();
}

CN_TEST(vfs, unlink_while_open_frees_at_last_close)
{
	static char block[64 << 10];
	char buf[16];
	int fd, fd2;

	cn_vfs_test_scratch("posix", "unlinkopen");
	memset(block, 'u', sizeof(block));
	fd = open("f", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(write(fd, block, sizeof(block)), (ssize_t)sizeof(block));
	fd2 = dup(fd);
	CN_EXPECT_EQ(unlink("f"), 0);
	CN_EXPECT_EQ(ERR(open("f", O_RDONLY)), -ENOENT);
	CN_EXPECT_EQ(pread(fd, buf, 4, 1000), 4);
	CN_EXPECT_EQ(memcmp(buf, "uuuu", 4), 0);
	/* A new file of the same name is another file. */
	put("f", "new");
	CN_EXPECT_EQ(pread(fd, buf, 4, 0), 4);
	CN_EXPECT_EQ(memcmp(buf, "uuuu", 4), 0);
	close(fd);
	CN_EXPECT_EQ(pread(fd2, buf, 4, sizeof(block) - 4), 4);
	close(fd2);
	cn_vfs_test_done();		/* the unmount would be -EBUSY if anything lived on */
}

CN_TEST(vfs, isatty_poll_fsync_on_files)
{
	struct pollfd p;
	int fd;

	cn_vfs_test_scratch("posix", "misc");
	put("f", "x");
	fd = open("f", O_RDWR);
	CN_EXPECT_EQ(isatty(fd), 0);
	CN_EXPECT_EQ(errno, ENOTTY);
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	CN_EXPECT_EQ(poll(&p, 1, 0), 1);
	CN_EXPECT_EQ(p.revents, POLLIN | POLLOUT);
	CN_EXPECT_EQ(fsync(fd), 0);
	CN_EXPECT_EQ(ERR(ioctl(fd, 0x5401)), -ENOTTY);
	close(fd);
	CN_EXPECT_EQ(isatty(1), 1);		/* still the console */
	cn_vfs_test_done();
}
