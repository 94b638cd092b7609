/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path resolution and the calls on names, through the cn_vfs_* API (no
 * descriptors: these cases also run on the host under ASan and UBSan,
 * tests/host/build_files.py). Each case works in a fresh ramfs mounted
 * on /vfstest-<case> and made the current directory; unmounting it at
 * the end also proves that no reference was leaked (it would be -EBUSY).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_fs.h>
#include "vfs_priv.h"

#define CWD CN_VFS_CWD

static char base[64];

static void scratch(const char *name)
{
	snprintf(base, sizeof(base), "/vfstest-%s", name);
	CN_ASSERT_EQ(cn_vfs_mkdir_p(base, 0755), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", base, 0, ""), 0);
	CN_ASSERT_EQ(cn_vfs_chdir(base), 0);
}

static void done(void)
{
	CN_EXPECT_EQ(cn_vfs_chdir("/"), 0);
	CN_EXPECT_EQ(cn_vfs_umount(base), 0);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, base, AT_REMOVEDIR), 0);
}

static int mkd(const char *p)
{
	return cn_vfs_mkdir(CWD, p, 0755);
}

/* Creates (or truncates) p with text; 0 or -errno. */
static int mkf(const char *p, const char *text)
{
	struct cn_file *f;
	size_t len = strlen(text);
	ssize_t n;
	int r = cn_vfs_open_file(CWD, p, O_WRONLY | O_CREAT | O_TRUNC, 0644,
				 &f);

	if (r)
		return r;
	n = len ? f->ops->write(f, text, len, 0) : 0;
	cn_file_put(f);
	return n == (ssize_t)len ? 0 : n < 0 ? (int)n : -EIO;
}

/* Reads p into buf (NUL-terminated); the length or -errno. */
static int cat(const char *p, char *buf, size_t len)
{
	struct cn_file *f;
	ssize_t n;
	int r = cn_vfs_open_file(CWD, p, O_RDONLY, 0, &f);

	if (r)
		return r;
	n = f->ops->read(f, buf, len - 1, 0);
	cn_file_put(f);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return (int)n;
}

static int stat_of(const char *p, struct stat *st)
{
	return cn_vfs_stat(CWD, p, st, 0);
}

/* The inode number of p (following symlinks), or -errno. */
static long ino(const char *p)
{
	struct stat st;
	int r = cn_vfs_stat(CWD, p, &st, 0);

	return r ? r : (long)st.st_ino;
}

static long lino(const char *p)
{
	struct stat st;
	int r = cn_vfs_stat(CWD, p, &st, AT_SYMLINK_NOFOLLOW);

	return r ? r : (long)st.st_ino;
}

CN_TEST(vfs_path, dots_and_repeated_slashes)
{
	scratch("dots");
	CN_ASSERT_EQ(mkd("a"), 0);
	CN_ASSERT_EQ(mkd("a/b"), 0);
	CN_ASSERT_EQ(mkd("a/b/c"), 0);
	CN_EXPECT_GT(ino("a/b/c"), 0);
	CN_EXPECT_EQ(ino("a//b///c/"), ino("a/b/c"));
	CN_EXPECT_EQ(ino("./a/./b/../b/c/."), ino("a/b/c"));
	CN_EXPECT_EQ(ino("a/b/c/../.."), ino("a"));
	CN_EXPECT_EQ(ino("."), ino(base));
	CN_EXPECT_EQ(ino("a/.."), ino("."));
	CN_EXPECT_EQ(ino(""), -ENOENT);
	CN_EXPECT_EQ(ino("a/x/.."), -ENOENT);	/* no lexical shortcut */
	done();
}

CN_TEST(vfs_path, dotdot_at_root_stays_at_root)
{
	CN_EXPECT_EQ(ino("/.."), ino("/"));
	CN_EXPECT_EQ(ino("/../../.."), ino("/"));
	CN_EXPECT_EQ(ino("//"), ino("/"));
}

CN_TEST(vfs_path, dotdot_crosses_mount_points)
{
	struct stat a, b;

	scratch("mnt");
	CN_ASSERT_EQ(mkd("m"), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "m", 0, ""), 0);
	CN_ASSERT_EQ(mkd("m/inner"), 0);
	CN_EXPECT_EQ(ino("m/inner/../.."), ino("."));
	CN_EXPECT_EQ(stat_of("m", &a), 0);
	CN_EXPECT_EQ(stat_of(".", &b), 0);
	CN_EXPECT_NE(a.st_dev, b.st_dev);	/* another file system */
	CN_EXPECT_EQ(cn_vfs_umount("m"), 0);
	CN_EXPECT_EQ(ino("m/inner"), -ENOENT);	/* the mount point again */
	done();
}

CN_TEST(vfs_path, symlinks_relative_absolute_and_in_the_middle)
{
	char buf[64], abs[96];

	scratch("links");
	CN_ASSERT_EQ(mkd("d"), 0);
	CN_ASSERT_EQ(mkf("d/f", "data"), 0);
	CN_EXPECT_EQ(cn_vfs_symlink("d/f", CWD, "rel"), 0);
	CN_EXPECT_EQ(cn_vfs_symlink("d", CWD, "dir"), 0);
	snprintf(abs, sizeof(abs), "%s/d/f", base);
	CN_EXPECT_EQ(cn_vfs_symlink(abs, CWD, "abs"), 0);
	CN_EXPECT_EQ(cn_vfs_symlink("../d", CWD, "d/up"), 0);
	CN_EXPECT_EQ(ino("rel"), ino("d/f"));
	CN_EXPECT_EQ(ino("abs"), ino("d/f"));
	CN_EXPECT_EQ(ino("dir/f"), ino("d/f"));
	CN_EXPECT_EQ(ino("dir/up/up/up/f"), ino("d/f"));
	CN_EXPECT_NE(lino("rel"), ino("d/f"));
	CN_EXPECT_EQ(cat("dir/f", buf, sizeof(buf)), 4);
	CN_EXPECT_EQ(ino("dir/"), ino("d"));
	CN_EXPECT_EQ(ino("rel/"), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_readlink(CWD, "rel", buf, sizeof(buf)), 3);
	CN_EXPECT_EQ(memcmp(buf, "d/f", 3), 0);
	CN_EXPECT_EQ(cn_vfs_readlink(CWD, "rel", buf, 2), 2);	/* cut */
	CN_EXPECT_EQ(cn_vfs_readlink(CWD, "d/f", buf, sizeof(buf)), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_readlink(CWD, "rel", buf, 0), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_readlink(CWD, "nope", buf, 8), -ENOENT);
	done();
}

CN_TEST(vfs_path, dangling_symlink)
{
	struct stat st;

	scratch("dangle");
	CN_EXPECT_EQ(cn_vfs_symlink("nowhere", CWD, "l"), 0);
	CN_EXPECT_EQ(stat_of("l", &st), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "l", &st, AT_SYMLINK_NOFOLLOW), 0);
	CN_EXPECT_TRUE(S_ISLNK(st.st_mode));
	CN_EXPECT_EQ(st.st_size, 7);
	CN_EXPECT_EQ(mkd("l"), -EEXIST);
	CN_EXPECT_EQ(cn_vfs_symlink("", CWD, "e"), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_symlink("x", CWD, "l"), -EEXIST);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "l", 0), 0);	/* the link only */
	done();
}

CN_TEST(vfs_path, symlink_loops_give_eloop)
{
	char name[16], target[16];
	int i;

	scratch("loop");
	CN_EXPECT_EQ(cn_vfs_symlink("b", CWD, "a"), 0);
	CN_EXPECT_EQ(cn_vfs_symlink("a", CWD, "b"), 0);
	CN_EXPECT_EQ(cn_vfs_symlink("self", CWD, "self"), 0);
	CN_EXPECT_EQ(ino("a"), -ELOOP);
	CN_EXPECT_EQ(ino("self"), -ELOOP);
	CN_EXPECT_EQ(ino("self/x"), -ELOOP);
	CN_EXPECT_GT(lino("a"), 0);
	CN_EXPECT_EQ(mkf("a", "x"), -ELOOP);
	/* A chain of exactly CN_VFS_SYMLOOP_MAX links resolves; one more
	 * does not. */
	CN_ASSERT_EQ(mkf("end", "x"), 0);
	CN_ASSERT_EQ(cn_vfs_symlink("end", CWD, "c0"), 0);
	for (i = 1; i <= CN_VFS_SYMLOOP_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		CN_ASSERT_EQ(cn_vfs_symlink(target, CWD, name), 0);
	}
	snprintf(name, sizeof(name), "c%d", CN_VFS_SYMLOOP_MAX - 1);
	CN_EXPECT_EQ(ino(name), ino("end"));
	snprintf(name, sizeof(name), "c%d", CN_VFS_SYMLOOP_MAX);
	CN_EXPECT_EQ(ino(name), -ELOOP);
	done();
}

CN_TEST(vfs_path, enotdir_for_a_file_in_the_middle)
{
	struct cn_file *f;

	scratch("notdir");
	CN_ASSERT_EQ(mkf("f", "x"), 0);
	CN_EXPECT_EQ(ino("f/x"), -ENOTDIR);
	CN_EXPECT_EQ(ino("f/"), -ENOTDIR);
	CN_EXPECT_EQ(ino("f/."), -ENOTDIR);
	CN_EXPECT_EQ(mkd("f/d"), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "f/", O_RDONLY, 0, &f), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_chdir("f"), -ENOTDIR);
	done();
}

CN_TEST(vfs_path, names_and_paths_too_long)
{
	char *p = malloc(PATH_MAX + 2);

	CN_ASSERT_NOT_NULL(p);
	scratch("long");
	memset(p, 'n', NAME_MAX + 1);
	p[NAME_MAX + 1] = '\0';
	CN_EXPECT_EQ(mkd(p), -ENAMETOOLONG);		/* 256 bytes */
	CN_EXPECT_EQ(ino(p), -ENAMETOOLONG);
	p[NAME_MAX] = '\0';
	CN_EXPECT_EQ(mkd(p), 0);			/* 255 bytes */
	CN_EXPECT_GT(ino(p), 0);
	memset(p, '/', PATH_MAX);
	p[PATH_MAX] = '\0';
	CN_EXPECT_EQ(ino(p), -ENAMETOOLONG);		/* PATH_MAX bytes */
	p[PATH_MAX - 1] = '\0';
	CN_EXPECT_EQ(ino(p), ino("/"));			/* one less */
	/* A symlink whose expansion exceeds PATH_MAX. */
	memset(p, 'a', PATH_MAX - 1);
	p[0] = '/';
	p[PATH_MAX - 1] = '\0';
	CN_EXPECT_EQ(cn_vfs_symlink(p, CWD, "huge"), 0);
	CN_EXPECT_EQ(ino("huge/more"), -ENAMETOOLONG);
	memset(p, 'a', PATH_MAX);
	p[PATH_MAX] = '\0';
	CN_EXPECT_EQ(cn_vfs_symlink(p, CWD, "huger"), -ENAMETOOLONG);
	free(p);
	done();
}

/* Nested directories until the path is exactly PATH_MAX - 1 bytes. */
CN_TEST(vfs_path, deep_paths_up_to_path_max)
{
	char *p = malloc(PATH_MAX + 1), *cwd = malloc(PATH_MAX);
	size_t len, blen, n;
	struct cn_file *f = NULL;
	int depth = 0;

	CN_ASSERT_NOT_NULL(p);
	CN_ASSERT_NOT_NULL(cwd);
	scratch("deep");
	blen = strlen(base);
	strcpy(p, base);
	len = blen;
	/* Components of 9 + '/' bytes while they fit, then one to fill. */
	while (len + 1 + 9 < PATH_MAX - 1 - 12) {
		memcpy(p + len, "/d12345678", 10);
		len += 10;
		p[len] = '\0';
		CN_ASSERT_EQ(cn_vfs_mkdir(CWD, p, 0755), 0);
		depth++;
	}
	n = PATH_MAX - 1 - len - 1;		/* the last name fills it */
	p[len] = '/';
	memset(p + len + 1, 'f', n);
	p[PATH_MAX - 1] = '\0';
	CN_EXPECT_EQ(strlen(p), PATH_MAX - 1);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, p, O_RDWR | O_CREAT, 0644, &f), 0);
	if (f)
		cn_file_put(f);
	CN_EXPECT_GT(ino(p), 0);
	p[PATH_MAX - 1] = 'f';
	p[PATH_MAX] = '\0';			/* one byte more */
	CN_EXPECT_EQ(ino(p), -ENAMETOOLONG);
	CN_EXPECT_EQ(mkd(p), -ENAMETOOLONG);
	/* getcwd at the deepest directory: its path is len bytes. */
	p[len] = '\0';
	CN_EXPECT_EQ(cn_vfs_chdir(p), 0);
	CN_EXPECT_EQ(cn_vfs_getcwd(cwd, PATH_MAX), (int)len);
	CN_EXPECT_STREQ(cwd, p);
	CN_EXPECT_EQ(cn_vfs_getcwd(cwd, len), -ERANGE);
	CN_EXPECT_GT(depth, 50);
	free(p);
	free(cwd);
	done();
}

CN_TEST(vfs_path, chdir_getcwd_and_a_removed_cwd)
{
	char buf[128], want[128];

	scratch("cwd");
	CN_ASSERT_EQ(mkd("x"), 0);
	CN_ASSERT_EQ(mkd("x/y"), 0);
	CN_EXPECT_EQ(cn_vfs_chdir("x/y"), 0);
	snprintf(want, sizeof(want), "%s/x/y", base);
	CN_EXPECT_EQ(cn_vfs_getcwd(buf, sizeof(buf)), (int)strlen(want));
	CN_EXPECT_STREQ(buf, want);
	CN_EXPECT_EQ(cn_vfs_getcwd(buf, 4), -ERANGE);
	CN_EXPECT_EQ(cn_vfs_chdir(".."), 0);
	CN_EXPECT_EQ(cn_vfs_chdir("nope"), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "y", AT_REMOVEDIR), 0);
	CN_EXPECT_EQ(cn_vfs_chdir("/"), 0);
	CN_EXPECT_EQ(cn_vfs_getcwd(buf, sizeof(buf)), 1);
	CN_EXPECT_STREQ(buf, "/");
	CN_EXPECT_EQ(cn_vfs_chdir(base), 0);
	CN_EXPECT_EQ(cn_vfs_chdir("x"), 0);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "../x", AT_REMOVEDIR), 0);
	CN_EXPECT_EQ(cn_vfs_getcwd(buf, sizeof(buf)), -ENOENT);
	CN_EXPECT_EQ(mkf("f", "x"), -ENOENT);	/* in a removed directory */
	CN_EXPECT_EQ(ino(".."), -ENOENT);
	done();
}

CN_TEST(vfs_path, realpath)
{
	char buf[128], want[128];

	scratch("real");
	CN_ASSERT_EQ(mkd("d"), 0);
	CN_ASSERT_EQ(mkf("d/f", "x"), 0);
	CN_ASSERT_EQ(cn_vfs_symlink("d", CWD, "l"), 0);
	CN_ASSERT_EQ(cn_vfs_symlink("l/f", CWD, "lf"), 0);
	snprintf(want, sizeof(want), "%s/d/f", base);
	CN_EXPECT_GT(cn_vfs_realpath("lf", buf, sizeof(buf)), 0);
	CN_EXPECT_STREQ(buf, want);
	CN_EXPECT_GT(cn_vfs_realpath("./l/../l//f", buf, sizeof(buf)), 0);
	CN_EXPECT_STREQ(buf, want);
	CN_EXPECT_GT(cn_vfs_realpath("l/.", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s/d", base);
	CN_EXPECT_STREQ(buf, want);
	CN_EXPECT_EQ(cn_vfs_realpath("d/none", buf, sizeof(buf)), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_realpath("d/f/", buf, sizeof(buf)), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_realpath("/", buf, sizeof(buf)), 1);
	CN_EXPECT_STREQ(buf, "/");
	done();
}

CN_TEST(vfs_path, mkdir_errors)
{
	scratch("mkdir");
	CN_EXPECT_EQ(mkd("d"), 0);
	CN_EXPECT_EQ(mkd("d"), -EEXIST);
	CN_EXPECT_EQ(mkd("d/"), -EEXIST);
	CN_EXPECT_EQ(mkd("e/"), 0);			/* trailing slash */
	CN_ASSERT_EQ(mkf("f", ""), 0);
	CN_EXPECT_EQ(mkd("f"), -EEXIST);
	CN_EXPECT_EQ(mkd("no/d"), -ENOENT);
	CN_EXPECT_EQ(mkd("."), -EEXIST);
	CN_EXPECT_EQ(mkd(".."), -EEXIST);
	CN_EXPECT_EQ(mkd("/"), -EEXIST);
	CN_EXPECT_EQ(cn_vfs_mkdir_p("p/q/r", 0755), 0);
	CN_EXPECT_EQ(cn_vfs_mkdir_p("p/q/r", 0755), 0);
	CN_EXPECT_EQ(cn_vfs_mkdir_p("f/q", 0755), -ENOTDIR);
	done();
}

CN_TEST(vfs_path, unlink_and_rmdir_errors)
{
	scratch("rm");
	CN_ASSERT_EQ(mkd("d"), 0);
	CN_ASSERT_EQ(mkd("full"), 0);
	CN_ASSERT_EQ(mkf("full/f", "x"), 0);
	CN_ASSERT_EQ(mkf("f", "x"), 0);
	CN_ASSERT_EQ(mkd("m"), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "m", 0, ""), 0);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "none", 0), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "d", 0), -EISDIR);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "f/", 0), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, ".", 0), -EISDIR);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "f", AT_REMOVEDIR), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "full", AT_REMOVEDIR), -ENOTEMPTY);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "m", AT_REMOVEDIR), -EBUSY);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "d/.", AT_REMOVEDIR), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "d/..", AT_REMOVEDIR), -ENOTEMPTY);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "/", AT_REMOVEDIR), -EBUSY);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "f", 0x4000), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "d/", AT_REMOVEDIR), 0);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "f", 0), 0);
	CN_EXPECT_EQ(ino("f"), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_umount("m"), 0);
	done();
}

CN_TEST(vfs_path, rename_cases)
{
	char buf[16];
	struct stat st;

	scratch("rename");
	CN_ASSERT_EQ(mkf("a", "A"), 0);
	CN_ASSERT_EQ(mkf("b", "B"), 0);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "a", CWD, "b"), 0);	/* over */
	CN_EXPECT_EQ(ino("a"), -ENOENT);
	CN_EXPECT_EQ(cat("b", buf, sizeof(buf)), 1);
	CN_EXPECT_STREQ(buf, "A");
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "b", CWD, "b"), 0);	/* itself */
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "none", CWD, "x"), -ENOENT);
	CN_ASSERT_EQ(mkd("d1"), 0);
	CN_ASSERT_EQ(mkd("d2"), 0);
	CN_ASSERT_EQ(mkd("d3"), 0);
	CN_ASSERT_EQ(mkf("d3/f", "x"), 0);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "b", CWD, "d1"), -EISDIR);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "d1", CWD, "b"), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "d1", CWD, "d3"), -ENOTEMPTY);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "d1", CWD, "d1/sub"), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "d1", CWD, "d2"), 0);	/* empty */
	CN_EXPECT_EQ(ino("d1"), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "d3", CWD, "d2/d3"), 0);
	CN_EXPECT_EQ(cat("d2/d3/f", buf, sizeof(buf)), 1);
	CN_EXPECT_EQ(ino("d2/d3/.."), ino("d2"));
	CN_EXPECT_EQ(stat_of("d2", &st), 0);
	CN_EXPECT_EQ(st.st_nlink, 3);		/* ., its name, d3's .. */
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "d2/d3", CWD, "d2/d3/x"), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, ".", CWD, "x"), -EBUSY);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "b", CWD, ".."), -EBUSY);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "b/", CWD, "c"), -ENOTDIR);
	CN_ASSERT_EQ(mkd("m"), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "m", 0, ""), 0);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "b", CWD, "m/b"), -EXDEV);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "m", CWD, "mm"), -EBUSY);
	CN_EXPECT_EQ(cn_vfs_umount("m"), 0);
	/* Two names of one file: nothing happens. */
	CN_ASSERT_EQ(cn_vfs_link(CWD, "b", CWD, "b2", 0), 0);
	CN_EXPECT_EQ(cn_vfs_rename(CWD, "b", CWD, "b2"), 0);
	CN_EXPECT_GT(ino("b"), 0);
	CN_EXPECT_EQ(ino("b"), ino("b2"));
	done();
}

CN_TEST(vfs_path, hard_links)
{
	struct stat st;

	scratch("link");
	CN_ASSERT_EQ(mkf("f", "x"), 0);
	CN_ASSERT_EQ(mkd("d"), 0);
	CN_EXPECT_EQ(cn_vfs_link(CWD, "f", CWD, "g", 0), 0);
	CN_EXPECT_EQ(ino("g"), ino("f"));
	CN_EXPECT_EQ(stat_of("f", &st), 0);
	CN_EXPECT_EQ(st.st_nlink, 2);
	CN_EXPECT_EQ(cn_vfs_link(CWD, "f", CWD, "g", 0), -EEXIST);
	CN_EXPECT_EQ(cn_vfs_link(CWD, "d", CWD, "e", 0), -EPERM);
	CN_EXPECT_EQ(cn_vfs_link(CWD, "none", CWD, "e", 0), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_link(CWD, "f", CWD, "none/e", 0), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "f", 0), 0);
	CN_EXPECT_EQ(stat_of("g", &st), 0);
	CN_EXPECT_EQ(st.st_nlink, 1);
	/* A link to a symlink is the symlink unless told to follow. */
	CN_ASSERT_EQ(cn_vfs_symlink("g", CWD, "s"), 0);
	CN_EXPECT_EQ(cn_vfs_link(CWD, "s", CWD, "s2", 0), 0);
	CN_EXPECT_EQ(lino("s2"), lino("s"));
	CN_EXPECT_EQ(cn_vfs_link(CWD, "s", CWD, "g2", AT_SYMLINK_FOLLOW), 0);
	CN_EXPECT_EQ(lino("g2"), ino("g"));
	done();
}

CN_TEST(vfs_path, open_flags)
{
	struct cn_file *f = NULL;
	char buf[16];

	scratch("open");
	CN_ASSERT_EQ(mkd("d"), 0);
	CN_ASSERT_EQ(mkf("f", "hello"), 0);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "f", O_CREAT | O_EXCL | O_WRONLY,
				      0644, &f), -EEXIST);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "f", O_RDONLY | O_DIRECTORY, 0,
				      &f), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "d", O_WRONLY, 0, &f), -EISDIR);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "d", O_RDWR, 0, &f), -EISDIR);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "d", O_RDONLY | O_CREAT, 0, &f),
		     -EISDIR);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "new/", O_RDWR | O_CREAT, 0, &f),
		     -EISDIR);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "f", O_ACCMODE, 0, &f), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "g", O_CREAT | O_DIRECTORY, 0,
				      &f), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "none", O_RDONLY, 0, &f), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "none/x", O_RDWR | O_CREAT, 0,
				      &f), -ENOENT);
	CN_ASSERT_EQ(cn_vfs_open_file(CWD, "d", O_RDONLY | O_DIRECTORY, 0,
				      &f), 0);
	CN_EXPECT_EQ(f->ops->read(f, buf, 1, 0), -EISDIR);
	cn_file_put(f);
	/* Symlinks: O_NOFOLLOW refuses, O_EXCL never follows, O_CREAT
	 * through a dangling link makes its target. */
	CN_ASSERT_EQ(cn_vfs_symlink("f", CWD, "lf"), 0);
	CN_ASSERT_EQ(cn_vfs_symlink("made", CWD, "dangling"), 0);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "lf", O_RDONLY | O_NOFOLLOW, 0,
				      &f), -ELOOP);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "lf", O_RDWR | O_CREAT | O_EXCL,
				      0, &f), -EEXIST);
	CN_EXPECT_EQ(cn_vfs_open_file(CWD, "dangling", O_RDWR | O_CREAT |
				      O_EXCL, 0, &f), -EEXIST);
	CN_ASSERT_EQ(cn_vfs_open_file(CWD, "dangling", O_RDWR | O_CREAT,
				      0600, &f), 0);
	cn_file_put(f);
	CN_EXPECT_EQ(ino("made"), lino("made"));
	CN_EXPECT_GT(ino("made"), 0);
	/* O_TRUNC empties; O_CREAT on an existing file keeps it. */
	CN_ASSERT_EQ(cn_vfs_open_file(CWD, "lf", O_RDWR | O_CREAT, 0, &f), 0);
	cn_file_put(f);
	CN_EXPECT_EQ(cat("f", buf, sizeof(buf)), 5);
	CN_ASSERT_EQ(cn_vfs_open_file(CWD, "lf", O_WRONLY | O_TRUNC, 0, &f),
		     0);
	cn_file_put(f);
	CN_EXPECT_EQ(cat("f", buf, sizeof(buf)), 0);
	done();
}

CN_TEST(vfs_path, unlinked_file_stays_readable_until_closed)
{
	struct cn_file *f;
	char buf[16];

	scratch("unl");
	CN_ASSERT_EQ(mkf("f", "still here"), 0);
	CN_ASSERT_EQ(cn_vfs_open_file(CWD, "f", O_RDWR, 0, &f), 0);
	CN_EXPECT_EQ(cn_vfs_unlink(CWD, "f", 0), 0);
	CN_EXPECT_EQ(ino("f"), -ENOENT);
	CN_EXPECT_EQ(f->ops->read(f, buf, sizeof(buf), 0), 10);
	CN_EXPECT_EQ(memcmp(buf, "still here", 10), 0);
	CN_EXPECT_EQ(f->ops->write(f, "!", 1, 10), 1);
	CN_EXPECT_EQ(f->ops->read(f, buf, sizeof(buf), 0), 11);
	CN_EXPECT_EQ(cn_vfs_umount(base), -EBUSY);	/* still open */
	cn_file_put(f);
	done();
}

CN_TEST(vfs_path, mount_and_umount_errors)
{
	struct cn_file *f;

	scratch("mount");
	CN_ASSERT_EQ(mkd("m"), 0);
	CN_ASSERT_EQ(mkf("f", "x"), 0);
	CN_EXPECT_EQ(cn_vfs_mount("nosuchfs", "m", 0, ""), -ENODEV);
	CN_EXPECT_EQ(cn_vfs_mount("ramfs", "f", 0, ""), -ENOTDIR);
	CN_EXPECT_EQ(cn_vfs_mount("ramfs", "none", 0, ""), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_mount("ramfs", "m", 0, "bogus=1"), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_mount("ramfs", "/", 0, ""), -EBUSY);
	CN_EXPECT_EQ(cn_vfs_umount("f"), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_umount("m"), -EINVAL);
	/* Not on a directory that was removed (it could never go away). */
	CN_ASSERT_EQ(mkd("gone"), 0);
	CN_ASSERT_EQ(cn_vfs_chdir("gone"), 0);
	CN_ASSERT_EQ(cn_vfs_unlink(CWD, "../gone", AT_REMOVEDIR), 0);
	CN_EXPECT_EQ(cn_vfs_mount("ramfs", ".", 0, ""), -ENOENT);
	CN_ASSERT_EQ(cn_vfs_chdir(base), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "m", 0, "ro"), 0);
	CN_EXPECT_EQ(mkd("m/x"), -EROFS);
	CN_EXPECT_EQ(mkf("m/x", "y"), -EROFS);
	CN_EXPECT_EQ(cn_vfs_symlink("x", CWD, "m/l"), -EROFS);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "m", W_OK, 0), -EROFS);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "m", R_OK | X_OK, 0), 0);
	CN_EXPECT_EQ(cn_vfs_chmod(CWD, "m", 0700, 0), -EROFS);
	CN_ASSERT_EQ(cn_vfs_open_file(CWD, "m", O_RDONLY, 0, &f), 0);
	CN_EXPECT_EQ(cn_vfs_umount("m"), -EBUSY);	/* open inside */
	cn_file_put(f);
	CN_EXPECT_EQ(cn_vfs_chdir("m"), 0);
	CN_EXPECT_EQ(cn_vfs_umount("."), -EBUSY);	/* current dir */
	CN_EXPECT_EQ(cn_vfs_chdir(".."), 0);
	CN_EXPECT_EQ(cn_vfs_umount("m"), 0);
	/* Stacked mounts: the top one goes first. */
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "m", 0, ""), 0);
	CN_ASSERT_EQ(mkd("m/lower"), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "m", 0, ""), 0);
	CN_EXPECT_EQ(ino("m/lower"), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_umount("m"), 0);
	CN_EXPECT_GT(ino("m/lower"), 0);
	CN_EXPECT_EQ(cn_vfs_umount("m"), 0);
	done();
}

CN_TEST(vfs_path, access_chmod_utimens)
{
	struct timespec ts[2] = { { 1000, 5 }, { 2000, 7 } };
	struct stat st;

	scratch("attr");
	CN_ASSERT_EQ(mkf("f", "x"), 0);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "f", F_OK, 0), 0);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "f", R_OK | W_OK, 0), 0);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "f", X_OK, 0), -EACCES);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "f", 0x40, 0), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "none", F_OK, 0), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_chmod(CWD, "f", 0755, 0), 0);
	CN_EXPECT_EQ(cn_vfs_access(CWD, "f", X_OK, 0), 0);
	CN_EXPECT_EQ(stat_of("f", &st), 0);
	CN_EXPECT_EQ(st.st_mode, S_IFREG | 0755);
	CN_EXPECT_EQ(cn_vfs_utimens(CWD, "f", ts, 0), 0);
	CN_EXPECT_EQ(stat_of("f", &st), 0);
	CN_EXPECT_EQ(st.st_mtim.tv_sec, 2000);
	CN_EXPECT_EQ(st.st_atim.tv_nsec, 5);
	ts[0].tv_nsec = 1000000000;
	CN_EXPECT_EQ(cn_vfs_utimens(CWD, "f", ts, 0), -EINVAL);
	CN_ASSERT_EQ(cn_vfs_symlink("f", CWD, "l"), 0);
	CN_EXPECT_EQ(cn_vfs_chmod(CWD, "l", 0700, AT_SYMLINK_NOFOLLOW),
		     -EOPNOTSUPP);
	done();
}

CN_TEST(vfs_path, truncate_by_name)
{
	struct stat st;

	scratch("trunc");
	CN_ASSERT_EQ(mkf("f", "0123456789"), 0);
	CN_ASSERT_EQ(mkd("d"), 0);
	CN_EXPECT_EQ(cn_vfs_truncate("f", 4), 0);
	CN_EXPECT_EQ(stat_of("f", &st), 0);
	CN_EXPECT_EQ(st.st_size, 4);
	CN_EXPECT_EQ(cn_vfs_truncate("f", -1), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_truncate("d", 0), -EISDIR);
	CN_EXPECT_EQ(cn_vfs_truncate("none", 0), -ENOENT);
	done();
}

/* The vfs.mount= values, as the command line gives them. */
CN_TEST(vfs_path, mount_parameter_values)
{
	char msg[200];

	cn_vfs_mount_specs_reset();
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/ ramfs:/tmp:size=1M",
					      msg, sizeof(msg)), 0);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("none", msg, sizeof(msg)), 0);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/x:ro,mode=700", msg,
					      sizeof(msg)), 0);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/x", msg, sizeof(msg)),
		     -EINVAL);
	CN_EXPECT_TRUE(strstr(msg, "/x is mounted twice") != NULL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("nfs:/n", msg, sizeof(msg)),
		     -EINVAL);
	CN_EXPECT_TRUE(strstr(msg, "unknown file system type 'nfs'") != NULL);
	CN_EXPECT_TRUE(strstr(msg, "ramfs") != NULL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs", msg, sizeof(msg)),
		     -EINVAL);
	CN_EXPECT_TRUE(strstr(msg, "FSTYPE:PATH") != NULL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:rel", msg, sizeof(msg)),
		     -EINVAL);
	CN_EXPECT_TRUE(strstr(msg, "absolute") != NULL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/a/../b", msg,
					      sizeof(msg)), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/y:size=lots", msg,
					      sizeof(msg)), -EINVAL);
	CN_EXPECT_TRUE(strstr(msg, "bad size 'lots'") != NULL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/y:mode=999", msg,
					      sizeof(msg)), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:/y:color=red", msg,
					      sizeof(msg)), -EINVAL);
	CN_EXPECT_TRUE(strstr(msg, "unknown option 'color=red'") != NULL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("", msg, sizeof(msg)), -EINVAL);
	CN_EXPECT_EQ(cn_vfs_mount_specs_parse("ramfs:", msg, sizeof(msg)),
		     -EINVAL);
	cn_vfs_mount_specs_reset();
}
