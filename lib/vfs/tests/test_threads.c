/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Several threads on one directory and one O_APPEND file at once (with
 * the preemptive scheduler, the unit-preempt image, they interleave at
 * any point): names made and removed by one never disturb another's,
 * appended records never overwrite each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/sched.h>
#include <cairn/test.h>
#include <cairn/vfs.h>

#define THREADS 4
#define ROUNDS 150
#define RECORD 32

static int log_fd;

static void *worker(void *arg)
{
	long id = (long)arg, bad = 0;
	char name[32], rec[RECORD], back[RECORD];
	int i, fd;

	for (i = 0; i < ROUNDS; i++) {
		snprintf(name, sizeof(name), "t%ld-%d", id, i % 7);
		fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		memset(rec, 'a' + (int)id, sizeof(rec));
		snprintf(rec, sizeof(rec), "%ld:%d", id, i);
		bad += fd < 0 || write(fd, rec, sizeof(rec)) != RECORD ||
		       pread(fd, back, RECORD, 0) != RECORD ||
		       memcmp(rec, back, RECORD);
		close(fd);
		bad += write(log_fd, rec, RECORD) != RECORD;
		if (i % 3 == 0)
			bad += unlink(name) != 0;
		if (i % 10 == 0)
			cn_thread_yield();
	}
	return (void *)bad;
}

CN_TEST(vfs_threads, names_and_appends_from_several_threads)
{
	struct cn_thread *t[THREADS];
	char rec[RECORD];
	int counts[THREADS] = { 0 };
	void *ret;
	long i, bad = 0, id;
	struct stat st;

	CN_ASSERT_EQ(cn_vfs_mkdir_p("/threads-test", 0755), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "/threads-test", 0, ""), 0);
	CN_ASSERT_EQ(chdir("/threads-test"), 0);
	log_fd = open("log", O_RDWR | O_CREAT | O_APPEND, 0644);
	CN_ASSERT_TRUE(log_fd >= 0);
	for (i = 0; i < THREADS; i++)
		CN_ASSERT_EQ(cn_thread_create(&t[i], NULL, worker, (void *)i),
			     0);
	for (i = 0; i < THREADS; i++) {
		CN_EXPECT_EQ(cn_thread_join(t[i], &ret), 0);
		bad += (long)ret;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(fstat(log_fd, &st), 0);
	CN_EXPECT_EQ(st.st_size, THREADS * ROUNDS * RECORD);
	CN_EXPECT_EQ(lseek(log_fd, 0, SEEK_SET), 0);
	while (read(log_fd, rec, RECORD) == RECORD) {
		id = rec[0] - '0';
		if (id < 0 || id >= THREADS || rec[RECORD - 1] != 'a' + id)
			bad++;
		else
			counts[id]++;
	}
	CN_EXPECT_EQ(bad, 0);
	for (i = 0; i < THREADS; i++)
		CN_EXPECT_EQ(counts[i], ROUNDS);
	close(log_fd);
	CN_EXPECT_EQ(chdir("/"), 0);
	CN_EXPECT_EQ(cn_vfs_umount("/threads-test"), 0);
	CN_EXPECT_EQ(rmdir("/threads-test"), 0);
}
