/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /dev as mounted by the default table: each built-in device, what
 * cannot be done inside /dev, a device of our own, the generator.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/devfs.h>
#include <cairn/test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

CN_TEST(devfs, null_zero_full)
{
	char buf[64];
	struct stat st;
	int fd;

	fd = open("/dev/null", O_RDWR);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), 0);
	CN_EXPECT_EQ(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	CN_EXPECT_EQ(lseek(fd, 100, SEEK_SET), 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_TRUE(S_ISCHR(st.st_mode));
	CN_EXPECT_EQ(st.st_rdev, 1 << 8 | 3);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	CN_EXPECT_EQ(buf[0] | buf[31] | buf[63], 0);
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	CN_EXPECT_EQ(ERR(write(fd, "x", 1)), -ENOSPC);
	close(fd);
	/* A shell's "> /dev/null": O_CREAT and O_TRUNC leave devices be. */
	fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CN_EXPECT_TRUE(fd >= 0);
	close(fd);
	CN_EXPECT_EQ(stat("/dev/console", &st), 0);
	CN_EXPECT_EQ(st.st_rdev, 5 << 8 | 1);
}

CN_TEST(devfs, urandom_gives_different_bytes)
{
	uint8_t a[256], b[256];
	unsigned int ones = 0, same = 0, i;
	int fd = open("/dev/urandom", O_RDONLY);

	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(read(fd, a, sizeof(a)), (ssize_t)sizeof(a));
	CN_EXPECT_EQ(read(fd, b, sizeof(b)), (ssize_t)sizeof(b));
	close(fd);
	for (i = 0; i < sizeof(a); i++) {
		same += a[i] == b[i];
		ones += (unsigned int)__builtin_popcount(a[i]);
	}
	CN_EXPECT_LT(same, 8);
	/* 2048 bits: about 1024 ones, 6 sigma is about 136. */
	CN_EXPECT_GT(ones, 888);
	CN_EXPECT_LT(ones, 1160);
	CN_EXPECT_EQ(getentropy(a, 256), 0);
	CN_EXPECT_EQ(ERR(getentropy(a, 257)), -EIO);
	fd = open("/dev/random", O_RDONLY | O_NONBLOCK);
	CN_EXPECT_EQ(read(fd, a, 16), 16);		/* never blocks */
	close(fd);
}

CN_TEST(devfs, the_name_space_is_fixed)
{
	CN_EXPECT_EQ(ERR(open("/dev/new", O_RDWR | O_CREAT, 0644)), -EPERM);
	CN_EXPECT_EQ(ERR(mkdir("/dev/d", 0755)), -EPERM);
	CN_EXPECT_EQ(ERR(unlink("/dev/null")), -EPERM);
	CN_EXPECT_EQ(ERR(rename("/dev/null", "/dev/nil")), -EPERM);
	CN_EXPECT_EQ(ERR(open("/dev/none", O_RDONLY)), -ENOENT);
	CN_EXPECT_EQ(ERR(open("/dev/null", O_RDONLY | O_DIRECTORY)), -ENOTDIR);
	CN_EXPECT_EQ(chmod("/dev/null", 0600), 0);
	CN_EXPECT_EQ(chmod("/dev/null", 0666), 0);
}

static int pings;

static ssize_t ping_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	int *n = cn_devfs_priv(f);

	(*n)++;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	memcpy(buf, "pong", len < 4 ? len : 4);
	return len < 4 ? (ssize_t)len : 4;
}

static const struct cn_devfs_dev ping_dev = {
	.name = "ping", .mode = 0644, .major = 240, .minor = 0,
	.stream = true, .read = ping_read, .priv = &pings,
};

CN_TEST(devfs, a_device_of_our_own)
{
	static const struct cn_devfs_dev bad = { .name = "a/b" };
	static const struct cn_devfs_dev dup = { .name = "null" };
	char buf[8];
	int fd;

	CN_EXPECT_EQ(cn_devfs_register(&ping_dev), 0);
	CN_EXPECT_EQ(cn_devfs_register(&ping_dev), -EEXIST);
	CN_EXPECT_EQ(cn_devfs_register(&bad), -EINVAL);
	CN_EXPECT_EQ(cn_devfs_register(&dup), -EEXIST);
	fd = open("/dev/ping", O_RDONLY);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(read(fd, buf, sizeof(buf)), 4);
	CN_EXPECT_EQ(memcmp(buf, "pong", 4), 0);
	CN_EXPECT_EQ(ERR(lseek(fd, 0, SEEK_SET)), -ESPIPE);	/* a stream */
	CN_EXPECT_EQ(ERR(write(fd, "x", 1)), -EBADF);
	CN_EXPECT_EQ(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	CN_EXPECT_EQ(ERR(read(fd, buf, sizeof(buf))), -EAGAIN);
	CN_EXPECT_EQ(pings, 2);
	close(fd);
}

CN_TEST(devfs, console_writes_and_polls)
{
	struct pollfd p;
	int fd = open("/dev/console", O_WRONLY);

	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(write(fd, "# devfs: hello from /dev/console\n", 33), 33);
	p.fd = fd;
	p.events = POLLOUT;
	CN_EXPECT_EQ(poll(&p, 1, 0), 1);
	CN_EXPECT_EQ(ERR(lseek(fd, 0, SEEK_CUR)), -ESPIPE);
	close(fd);
}

CN_TEST(devfs, console_is_a_terminal_and_null_is_not)
{
	int con = open("/dev/console", O_RDWR), null = open("/dev/null", O_RDWR);

	CN_ASSERT_TRUE(con >= 0);
	CN_ASSERT_TRUE(null >= 0);
	CN_EXPECT_EQ(isatty(con), 1);
	CN_EXPECT_EQ(isatty(null), 0);
	CN_EXPECT_EQ(errno, ENOTTY);
	close(con);
	close(null);
}
