/* SPDX-License-Identifier: BSD-3-Clause */
/* picolibc's stdio on VFS files: fopen and friends, tmpfile, mkstemp. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_test.h>

CN_TEST(vfs_stdio, fopen_write_read_seek)
{
	char line[64];
	FILE *f;
	int i, v;

	cn_vfs_test_scratch("stdio", "rw");
	f = fopen("t.txt", "w");
	CN_ASSERT_NOT_NULL(f);
	for (i = 0; i < 100; i++)
		fprintf(f, "line %d\n", i);
	CN_EXPECT_EQ(fclose(f), 0);
	f = fopen("t.txt", "r");
	CN_ASSERT_NOT_NULL(f);
	CN_ASSERT_NOT_NULL(fgets(line, sizeof(line), f));
	CN_EXPECT_STREQ(line, "line 0\n");
	CN_EXPECT_EQ(fseek(f, -8, SEEK_END), 0);
	CN_ASSERT_NOT_NULL(fgets(line, sizeof(line), f));
	CN_EXPECT_STREQ(line, "line 99\n");
	CN_EXPECT_NULL(fgets(line, sizeof(line), f));
	CN_EXPECT_TRUE(feof(f));
	rewind(f);
	CN_EXPECT_EQ(fscanf(f, "line %d", &v), 1);
	CN_EXPECT_EQ(v, 0);
	CN_EXPECT_EQ(ftell(f), 6);
	CN_EXPECT_EQ(fclose(f), 0);
	cn_vfs_test_done();
}

CN_TEST(vfs_stdio, modes_append_truncate_update)
{
	char buf[32];
	FILE *f;

	cn_vfs_test_scratch("stdio", "modes");
	CN_EXPECT_NULL(fopen("none", "r"));
	CN_EXPECT_EQ(errno, ENOENT);
	f = fopen("a", "w");
	fputs("first", f);
	fclose(f);
	f = fopen("a", "a");
	fputs("+more", f);
	fclose(f);
	f = fopen("a", "r+");
	CN_ASSERT_NOT_NULL(f);
	CN_EXPECT_EQ(fread(buf, 1, sizeof(buf), f), 10);
	CN_EXPECT_EQ(memcmp(buf, "first+more", 10), 0);
	CN_EXPECT_EQ(fseek(f, 0, SEEK_SET), 0);
	CN_EXPECT_EQ(fputc('F', f), 'F');
	fclose(f);
	f = fopen("a", "w+");			/* truncates */
	CN_ASSERT_NOT_NULL(f);
	CN_EXPECT_EQ(fread(buf, 1, sizeof(buf), f), 0);
	fclose(f);
	CN_EXPECT_NULL(fopen(".", "w"));
	CN_EXPECT_EQ(errno, EISDIR);
	CN_EXPECT_NULL(fopen("x/y", "w"));
	CN_EXPECT_EQ(errno, ENOENT);
	cn_vfs_test_done();
}

CN_TEST(vfs_stdio, tmpfile_mkstemp_rename_remove)
{
	char tmpl[] = "tmpXXXXXX", buf[8];
	struct stat st;
	FILE *f;
	int fd;

	cn_vfs_test_scratch("stdio", "tmp");
	f = tmpfile();		/* made in the current directory, unlinked */
	CN_ASSERT_NOT_NULL(f);
	CN_EXPECT_EQ(fputs("temp", f) >= 0, 1);
	rewind(f);
	CN_EXPECT_EQ(fread(buf, 1, 4, f), 4);
	CN_EXPECT_EQ(memcmp(buf, "temp", 4), 0);
	fclose(f);
	fd = mkstemp(tmpl);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_TRUE(strncmp(tmpl, "tmp", 3) == 0);
	CN_EXPECT_STRNE(tmpl, "tmpXXXXXX");
	CN_EXPECT_EQ(stat(tmpl, &st), 0);
	close(fd);
	CN_EXPECT_EQ(rename(tmpl, "kept"), 0);
	CN_EXPECT_EQ(remove("kept"), 0);
	CN_EXPECT_EQ(stat("kept", &st), -1);
	cn_vfs_test_done();
}

CN_TEST(vfs_stdio, fdopen_on_an_open_descriptor)
{
	char buf[8] = "";
	FILE *f;
	int fd;

	cn_vfs_test_scratch("stdio", "fdopen");
	fd = open("f", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	f = fdopen(fd, "w+");
	CN_ASSERT_NOT_NULL(f);
	fprintf(f, "%d", 12345);
	fflush(f);
	CN_EXPECT_EQ(pread(fd, buf, 5, 0), 5);
	CN_EXPECT_EQ(memcmp(buf, "12345", 5), 0);
	fclose(f);				/* closes fd */
	CN_EXPECT_EQ(close(fd), -1);
	cn_vfs_test_done();
}
