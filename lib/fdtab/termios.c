/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <termios.h> on descriptors, ttyname, and the pseudo-terminal calls.
 * A terminal is a file whose ioctl answers TCGETS (the console, also as
 * /dev/console); the calls are its ioctls, as in a C library on Linux.
 * There are no pseudo-terminals (Linux without devpts): posix_openpt and
 * openpty fail with ENOENT and say so once; the calls on a master get the
 * errors of a descriptor that is not one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <cairn/file.h>
#include <cairn/log.h>
#include "fdtab_priv.h"

#define CONSOLE_NAME	"/dev/console"

/* ioctl on a terminal: -EBADF, -ENOTTY, or the request's answer. */
static int tty_ioctl(int fd, unsigned long req, void *arg)
{
	struct cn_file *f = cn_fd_get(fd);
	int r;

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl || f->ops->ioctl(f, TCGETS, NULL))
		r = -ENOTTY;
	else
		r = f->ops->ioctl(f, req, arg);
	cn_file_put(f);
	return r;
}

static int ret(int r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

int tcgetattr(int fd, struct termios *t)
{
	if (!t)
		return ret(-EFAULT);
	return ret(tty_ioctl(fd, TCGETS, t));
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	static const unsigned long req[] = { TCSETS, TCSETSW, TCSETSF };

	if (action < TCSANOW || action > TCSAFLUSH)
		return ret(-EINVAL);
	if (!t)
		return ret(-EFAULT);
	return ret(tty_ioctl(fd, req[action], (void *)t));
}

int tcflush(int fd, int queue)
{
	return ret(tty_ioctl(fd, TCFLSH, (void *)(uintptr_t)queue));
}

int tcdrain(int fd)
{
	return ret(tty_ioctl(fd, TCSBRK, (void *)1));
}

int tcsendbreak(int fd, int duration)
{
	(void)duration;
	return ret(tty_ioctl(fd, TCSBRK, (void *)0));
}

int tcflow(int fd, int action)
{
	return ret(tty_ioctl(fd, TCXONC, (void *)(uintptr_t)action));
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_cflag & CBAUD;
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_cflag & CBAUD;
}

static bool valid_speed(speed_t s)
{
	return s <= B38400 || (s >= B57600 && s <= B4000000);
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	if (!valid_speed(speed))
		return ret(-EINVAL);
	t->c_cflag = (t->c_cflag & ~CBAUD) | speed;
	t->c_ospeed = speed;
	return 0;
}

/* One speed for both directions, as Linux; B0 keeps the output's. */
int cfsetispeed(struct termios *t, speed_t speed)
{
	if (!valid_speed(speed))
		return ret(-EINVAL);
	if (speed)
		t->c_cflag = (t->c_cflag & ~CBAUD) | speed;
	t->c_ispeed = speed;
	return 0;
}

int cfsetspeed(struct termios *t, speed_t speed)
{
	if (cfsetospeed(t, speed))
		return -1;
	return cfsetispeed(t, speed);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			ICRNL | IXON);
	t->c_oflag &= ~OPOST;
	t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

/* The console is the one terminal: every terminal descriptor is it. */
int ttyname_r(int fd, char *buf, size_t len)
{
	int r = tty_ioctl(fd, TCGETS, NULL);

	if (r)
		return -r;
	if (len < sizeof(CONSOLE_NAME))
		return ERANGE;
	memcpy(buf, CONSOLE_NAME, sizeof(CONSOLE_NAME));
	return 0;
}

char *ttyname(int fd)
{
	static char name[sizeof(CONSOLE_NAME)];
	int r = ttyname_r(fd, name, sizeof(name));

	if (r) {
		errno = r;
		return NULL;
	}
	return name;
}

static void no_pty(const char *call)
{
	static bool said;

	if (!said) {
		said = true;
		cn_pr_warn("%s(): no pseudo-terminals (no devpts): ENOENT",
			   call);
	}
}

int posix_openpt(int flags)
{
	if (flags & ~(O_ACCMODE | O_NOCTTY | O_CLOEXEC))
		return ret(-EINVAL);
	no_pty("posix_openpt");
	return ret(-ENOENT);
}

int openpty(int *master, int *slave, char *name, const struct termios *t,
	    const struct winsize *ws)
{
	(void)master, (void)slave, (void)name, (void)t, (void)ws;
	no_pty("openpty");
	return ret(-ENOENT);
}

/* No descriptor is a pseudo-terminal master: EBADF or, as glibc, EINVAL. */
static int not_master(int fd)
{
	struct cn_file *f = cn_fd_get(fd);

	if (!f)
		return -EBADF;
	cn_file_put(f);
	return -EINVAL;
}

int grantpt(int fd)
{
	return ret(not_master(fd));
}

int unlockpt(int fd)
{
	return ret(not_master(fd));
}

int ptsname_r(int fd, char *buf, size_t len)
{
	int r = not_master(fd);

	(void)len;
	if (!buf)
		return EINVAL;
	return r == -EBADF ? EBADF : ENOTTY;
}

char *ptsname(int fd)
{
	static char none[1];

	errno = ptsname_r(fd, none, sizeof(none));
	return NULL;
}
