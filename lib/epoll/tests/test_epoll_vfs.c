/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/epoll with lib/vfs: regular files and directories are always
 * ready, so epoll_ctl() refuses them with EPERM, as Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <cairn/test.h>
#include <cairn/vfs_test.h>

CN_TEST(epoll, regular_files_and_directories_are_eperm)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep, fd, dir;

	cn_vfs_test_scratch("ep", "perm");
	ep = epoll_create1(0);
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	dir = open(".", O_RDONLY | O_DIRECTORY);
	CN_ASSERT_TRUE(ep >= 0 && fd >= 0 && dir >= 0);
	CN_EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), -1);
	CN_EXPECT_EQ(errno, EPERM);
	CN_EXPECT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, dir, &ev), -1);
	CN_EXPECT_EQ(errno, EPERM);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(close(dir), 0);
	CN_EXPECT_EQ(close(ep), 0);
	cn_vfs_test_done();
}
