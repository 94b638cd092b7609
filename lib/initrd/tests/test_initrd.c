/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unpacking archives into a fresh ramfs mounted on /initrdtest-<case>
 * (through the cn_vfs_* API, so these also run on the host).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cairn/initrd.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include "newc.h"

#define CWD CN_VFS_CWD

static unsigned char arc[8192];
static char base[64];

static void scratch(const char *name)
{
	snprintf(base, sizeof(base), "/initrdtest-%s", name);
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

static int cat(const char *p, char *buf, size_t len)
{
	struct cn_file *f;
	ssize_t n;
	int r = cn_vfs_open_file(CWD, p, O_RDONLY, 0, &f);

	if (r)
		return r;
	n = f->ops->read(f, buf, len - 1, 0);
	cn_file_put(f);
	buf[n > 0 ? n : 0] = '\0';
	return (int)n;
}

static struct newc start(void)
{
	struct newc a = { arc, 0, sizeof(arc), 0, false };

	return a;
}

CN_TEST(initrd, unpacks_files_directories_symlinks)
{
	struct newc a = start();
	struct cn_initrd_stats st;
	struct stat s;
	char buf[64];

	scratch("basic");
	newc_entry(&a, ".", 0040755, NULL);
	newc_entry(&a, "etc", 0040700, NULL);
	newc_entry(&a, "etc/motd", 0100640, "welcome\n");
	newc_entry(&a, "etc/empty", 0100600, "");
	newc_entry(&a, "bin", 0040755, NULL);
	newc_entry(&a, "bin/tool", 0100755, "#!");
	newc_entry(&a, "link", 0120777, "etc/motd");
	newc_trailer(&a);
	CN_ASSERT_EQ(cn_initrd_unpack(a.buf, a.len, base, &st, NULL, 0), 0);
	CN_EXPECT_EQ(st.files, 3);
	CN_EXPECT_EQ(st.dirs, 2);
	CN_EXPECT_EQ(st.symlinks, 1);
	CN_EXPECT_EQ(st.errors, 0);
	CN_EXPECT_EQ(st.bytes, 10);
	CN_EXPECT_EQ(cat("etc/motd", buf, sizeof(buf)), 8);
	CN_EXPECT_STREQ(buf, "welcome\n");
	CN_EXPECT_EQ(cat("link", buf, sizeof(buf)), 8);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "etc", &s, 0), 0);
	CN_EXPECT_EQ(s.st_mode, S_IFDIR | 0700);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "etc/motd", &s, 0), 0);
	CN_EXPECT_EQ(s.st_mode, S_IFREG | 0640);
	CN_EXPECT_EQ(s.st_mtim.tv_sec, 1700000000);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "bin/tool", &s, 0), 0);
	CN_EXPECT_EQ(s.st_mode, S_IFREG | 0755);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "etc/empty", &s, 0), 0);
	CN_EXPECT_EQ(s.st_size, 0);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "link", &s, AT_SYMLINK_NOFOLLOW), 0);
	CN_EXPECT_TRUE(S_ISLNK(s.st_mode));
	done();
}

CN_TEST(initrd, names_are_relative_and_dotdot_is_refused)
{
	struct newc a = start();
	struct cn_initrd_stats st;
	char buf[16];

	scratch("names");
	CN_ASSERT_EQ(cn_vfs_mkdir(CWD, "inside", 0755), 0);
	newc_entry(&a, "./a", 0100644, "a");
	newc_entry(&a, "/b", 0100644, "b");
	newc_entry(&a, "./././c/", 0040755, NULL);
	newc_entry(&a, "../evil", 0100644, "x");
	newc_entry(&a, "c/../../evil2", 0100644, "x");
	newc_entry(&a, "deep/er/file", 0100644, "d");	/* no parents */
	newc_trailer(&a);
	CN_ASSERT_EQ(cn_initrd_unpack(a.buf, a.len, "inside", &st, NULL, 0),
		     0);
	CN_EXPECT_EQ(st.errors, 2);
	CN_EXPECT_EQ(st.files, 3);
	CN_EXPECT_EQ(cat("inside/a", buf, sizeof(buf)), 1);
	CN_EXPECT_EQ(cat("inside/b", buf, sizeof(buf)), 1);
	CN_EXPECT_EQ(cat("inside/deep/er/file", buf, sizeof(buf)), 1);
	CN_EXPECT_EQ(cat("evil", buf, sizeof(buf)), -ENOENT);
	CN_EXPECT_EQ(cat("evil2", buf, sizeof(buf)), -ENOENT);
	done();
}

CN_TEST(initrd, hard_links_share_one_file)
{
	struct newc a = start();
	struct cn_initrd_stats st;
	struct stat s1, s2;
	char buf[16];

	scratch("links");
	/* GNU cpio: data with the last name. */
	newc_entry_ino(&a, "x1", 0100644, NULL, 0, 77, 2);
	newc_entry_ino(&a, "x2", 0100644, "shared", 6, 77, 2);
	/* Data with the first name. */
	newc_entry_ino(&a, "y1", 0100644, "first", 5, 78, 2);
	newc_entry_ino(&a, "y2", 0100644, NULL, 0, 78, 2);
	newc_trailer(&a);
	CN_ASSERT_EQ(cn_initrd_unpack(a.buf, a.len, base, &st, NULL, 0), 0);
	CN_EXPECT_EQ(st.errors, 0);
	CN_EXPECT_EQ(st.hardlinks, 2);
	CN_EXPECT_EQ(cat("x1", buf, sizeof(buf)), 6);
	CN_EXPECT_STREQ(buf, "shared");
	CN_EXPECT_EQ(cat("y2", buf, sizeof(buf)), 5);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "x1", &s1, 0), 0);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "x2", &s2, 0), 0);
	CN_EXPECT_EQ(s1.st_ino, s2.st_ino);
	CN_EXPECT_EQ(s1.st_nlink, 2);
	done();
}

CN_TEST(initrd, a_symlink_in_the_way_is_replaced_not_followed)
{
	struct newc a = start();
	struct stat s;
	char buf[16];

	scratch("replace");
	CN_ASSERT_EQ(cn_vfs_symlink("victim", CWD, "t"), 0);
	CN_ASSERT_EQ(cn_vfs_mkdir(CWD, "d", 0755), 0);
	newc_entry(&a, "t", 0100644, "file");
	newc_entry(&a, "d", 0040711, NULL);		/* exists: fine */
	newc_entry(&a, "t", 0120777, "again");		/* file -> link */
	newc_trailer(&a);
	CN_ASSERT_EQ(cn_initrd_unpack(a.buf, a.len, base, NULL, NULL, 0), 0);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "victim", &s, 0), -ENOENT);
	CN_EXPECT_EQ(cn_vfs_readlink(CWD, "t", buf, sizeof(buf)), 5);
	CN_EXPECT_EQ(cn_vfs_stat(CWD, "d", &s, 0), 0);
	CN_EXPECT_TRUE(S_ISDIR(s.st_mode));
	done();
}

CN_TEST(initrd, corrupt_archive_keeps_what_came_before)
{
	struct newc a = start();
	struct cn_initrd_stats st;
	char msg[256], buf[16];
	size_t cut;

	scratch("corrupt");
	newc_entry(&a, "one", 0100644, "1");
	newc_entry(&a, "two", 0100644, "22");
	cut = a.len;
	newc_entry(&a, "three", 0100644, "a longer file");
	newc_trailer(&a);
	CN_EXPECT_EQ(cn_initrd_unpack(a.buf, cut + 120, base, &st, msg,
				      sizeof(msg)), -EINVAL);
	CN_EXPECT_EQ(st.files, 2);
	CN_EXPECT_TRUE(strstr(msg, "entry 2 'three'") != NULL);
	CN_EXPECT_TRUE(strstr(msg, "file data cut short") != NULL);
	CN_EXPECT_EQ(cat("two", buf, sizeof(buf)), 2);
	CN_EXPECT_EQ(cat("three", buf, sizeof(buf)), -ENOENT);
	done();
}

CN_TEST(initrd, device_nodes_are_skipped)
{
	struct newc a = start();
	struct cn_initrd_stats st;

	scratch("dev");
	newc_entry(&a, "null", 0020666, NULL);
	newc_entry(&a, "fifo", 0010644, NULL);
	newc_entry(&a, "ok", 0100644, "x");
	newc_trailer(&a);
	CN_ASSERT_EQ(cn_initrd_unpack(a.buf, a.len, base, &st, NULL, 0), 0);
	CN_EXPECT_EQ(st.skipped, 2);
	CN_EXPECT_EQ(st.files, 1);
	done();
}
