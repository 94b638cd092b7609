/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <termios.h> on the console (descriptors 0-2) and on what is not a
 * terminal, ttyname, and the pseudo-terminal calls (none exist).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <cairn/test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

CN_TEST(tty, console_keeps_its_settings)
{
	struct termios saved, t, back;

	CN_ASSERT_EQ(tcgetattr(0, &saved), 0);
	CN_EXPECT_TRUE(saved.c_lflag & ICANON);
	CN_EXPECT_TRUE(saved.c_iflag & ICRNL);
	CN_EXPECT_EQ(cfgetospeed(&saved), B115200);
	t = saved;
	cfmakeraw(&t);
	CN_EXPECT_FALSE(t.c_lflag & (ICANON | ECHO | ISIG));
	CN_EXPECT_FALSE(t.c_iflag & ICRNL);
	CN_EXPECT_EQ(t.c_cflag & CSIZE, CS8);
	CN_EXPECT_EQ(t.c_cc[VMIN], 1);
	CN_EXPECT_EQ(cfsetspeed(&t, B9600), 0);
	CN_EXPECT_EQ(tcsetattr(1, TCSANOW, &t), 0);
	/* One console: what fd 1 set, fd 0 and 2 read. */
	CN_EXPECT_EQ(tcgetattr(2, &back), 0);
	CN_EXPECT_FALSE(back.c_lflag & ICANON);
	CN_EXPECT_EQ(cfgetispeed(&back), B9600);
	CN_EXPECT_EQ(cfgetospeed(&back), B9600);
	CN_EXPECT_EQ(ERR(tcsetattr(0, 7, &saved)), -EINVAL);
	CN_EXPECT_EQ(tcsetattr(0, TCSAFLUSH, &saved), 0);
	CN_EXPECT_EQ(tcgetattr(0, &back), 0);
	CN_EXPECT_TRUE(back.c_lflag & ICANON);
	CN_EXPECT_EQ(cfgetospeed(&back), B115200);
	CN_EXPECT_EQ(ERR(cfsetospeed(&t, 12345)), -EINVAL);
	CN_EXPECT_EQ(ERR(cfsetispeed(&t, 0010020)), -EINVAL);
	CN_EXPECT_EQ(cfsetospeed(&t, B4000000), 0);
	CN_EXPECT_EQ(tcflush(0, TCIFLUSH), 0);
	CN_EXPECT_EQ(tcflush(1, TCOFLUSH), 0);
	CN_EXPECT_EQ(ERR(tcflush(0, 9)), -EINVAL);
	CN_EXPECT_EQ(tcdrain(1), 0);
	CN_EXPECT_EQ(tcsendbreak(1, 0), 0);
	CN_EXPECT_EQ(tcflow(1, TCOON), 0);
	CN_EXPECT_EQ(ERR(tcflow(1, 9)), -EINVAL);
}

CN_TEST(tty, not_a_terminal)
{
	struct termios t;
	char name[32];
	int p[2];

	CN_ASSERT_EQ(pipe(p), 0);
	CN_EXPECT_EQ(ERR(tcgetattr(p[0], &t)), -ENOTTY);
	CN_EXPECT_EQ(ERR(tcsetattr(p[1], TCSANOW, &t)), -ENOTTY);
	CN_EXPECT_EQ(ERR(tcflush(p[0], TCIFLUSH)), -ENOTTY);
	CN_EXPECT_EQ(ERR(tcdrain(p[1])), -ENOTTY);
	CN_EXPECT_NULL(ttyname(p[0]));
	CN_EXPECT_EQ(errno, ENOTTY);
	CN_EXPECT_EQ(ttyname_r(p[0], name, sizeof(name)), ENOTTY);
	CN_EXPECT_EQ(ERR(tcgetattr(99, &t)), -EBADF);
	CN_EXPECT_EQ(ERR(tcsendbreak(99, 0)), -EBADF);
	CN_EXPECT_EQ(ttyname_r(99, name, sizeof(name)), EBADF);
	CN_EXPECT_EQ(close(p[0]), 0);
	CN_EXPECT_EQ(close(p[1]), 0);
}

CN_TEST(tty, ttyname_is_the_console)
{
	char name[32], small[4];
	struct winsize ws = { 1, 2, 3, 4 };

	CN_EXPECT_STREQ(ttyname(0), "/dev/console");
	CN_EXPECT_EQ(ttyname_r(1, name, sizeof(name)), 0);
	CN_EXPECT_STREQ(name, "/dev/console");
	CN_EXPECT_EQ(ttyname_r(1, small, sizeof(small)), ERANGE);
	CN_EXPECT_EQ(ioctl(1, TIOCGWINSZ, &ws), 0);
	CN_EXPECT_EQ(ws.ws_row, 0);
	CN_EXPECT_EQ(ws.ws_col, 0);
}

CN_TEST(tty, no_pseudo_terminals)
{
	int m = -1, s = -1;
	char buf[32];

	CN_EXPECT_EQ(ERR(posix_openpt(O_RDWR | O_NOCTTY)), -ENOENT);
	CN_EXPECT_EQ(ERR(posix_openpt(O_RDWR | 0x40000000)), -EINVAL);
	CN_EXPECT_EQ(ERR(openpty(&m, &s, NULL, NULL, NULL)), -ENOENT);
	CN_EXPECT_EQ(ERR(grantpt(1)), -EINVAL);
	CN_EXPECT_EQ(ERR(unlockpt(1)), -EINVAL);
	CN_EXPECT_EQ(ERR(grantpt(99)), -EBADF);
	CN_EXPECT_NULL(ptsname(1));
	CN_EXPECT_EQ(errno, ENOTTY);
	CN_EXPECT_EQ(ptsname_r(1, buf, sizeof(buf)), ENOTTY);
	CN_EXPECT_EQ(ptsname_r(99, buf, sizeof(buf)), EBADF);
}
