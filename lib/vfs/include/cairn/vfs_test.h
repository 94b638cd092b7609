/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test support for in-image unit tests that work on files: a fresh ramfs
 * for one test case, removed again at its end. Used by the tests of
 * lib/vfs, lib/posix-mmap, lib/sqlite and any library whose tests need a
 * scratch folder. Only for test code: it uses lib/test's assertions, so
 * include it from files built when lib/test is in the image.
 *
 * Each case calls cn_vfs_test_scratch() first and cn_vfs_test_done()
 * last; unmounting at the end proves the case left no file open.
 */
#ifndef CAIRN_VFS_TEST_H
#define CAIRN_VFS_TEST_H

#include <stdio.h>
#include <unistd.h>
#include <cairn/test.h>
#include <cairn/vfs.h>

/* The scratch folder of this source file's current case. */
static inline char *cn_vfs_test_base_(void)
{
	static char base[64];

	return base;
}

/*
 * Makes /<prefix>-<name>, mounts a new ramfs on it and makes it the
 * current directory. Returns its absolute path (valid until the next
 * call). Ends the case (CN_ASSERT) if any step fails.
 */
static inline const char *cn_vfs_test_scratch(const char *prefix,
					      const char *name)
{
	char *base = cn_vfs_test_base_();

	snprintf(base, 64, "/%s-%s", prefix, name);
	CN_ASSERT_EQ(cn_vfs_mkdir_p(base, 0755), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", base, 0, ""), 0);
	CN_ASSERT_EQ(chdir(base), 0);
	return base;
}

/* Leaves the scratch folder, unmounts it (-EBUSY: a file left open is a
 * failure of the case) and removes the mount point. */
static inline void cn_vfs_test_done(void)
{
	char *base = cn_vfs_test_base_();

	CN_EXPECT_EQ(chdir("/"), 0);
	CN_EXPECT_EQ(cn_vfs_umount(base), 0);
	CN_EXPECT_EQ(rmdir(base), 0);
}

#endif
