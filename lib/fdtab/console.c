/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console as a file: descriptors 0-2 at boot. Reading waits for the
 * first byte, then takes what else has arrived, up to a newline (a
 * carriage return, the Enter key of a raw terminal, reads as one). poll
 * needs to know whether a byte is waiting without losing it: one byte of
 * look-ahead is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include "fdtab_priv.h"

static int ahead = -1;

static int next_byte(int nonblock)
{
	int c;

	if (ahead >= 0) {
		c = ahead;
		ahead = -1;
		return c;
	}
	return cn_plat_console_getc(nonblock);
}

ssize_t cn_console_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	unsigned char *p = buf;
	size_t n = 0;
	int c;

	(void)off;
	while (n < len) {
		c = next_byte(n > 0 || (f->flags & O_NONBLOCK));
		if (c < 0)
			break;
		p[n++] = c == '\r' ? '\n' : (unsigned char)c;
		if (c == '\r' || c == '\n')
			break;
	}
	return n || !len ? (ssize_t)n : -EAGAIN;
}

ssize_t cn_console_write(struct cn_file *f, const void *buf, size_t len,
			 off_t off)
{
	(void)f, (void)off;
	cn_plat_console_write(buf, len);
	return (ssize_t)len;
}

unsigned int cn_console_poll(struct cn_file *f)
{
	(void)f;
	if (ahead < 0)
		ahead = cn_plat_console_getc(1);
	return CN_POLLOUT | (ahead >= 0 ? CN_POLLIN : CN_POLL_RECHECK);
}

int cn_console_ioctl(struct cn_file *f, unsigned long req, void *arg)
{
	(void)f, (void)arg;
	return req == TCGETS ? 0 : -ENOTTY;
}

static int con_stat(struct cn_file *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFCHR | 0620;
	st->st_rdev = 5 << 8 | 1;	/* Linux's /dev/console */
	st->st_blksize = 1024;
	return 0;
}

static const struct cn_file_ops console_ops = {
	.read = cn_console_read,
	.write = cn_console_write,
	.poll = cn_console_poll,
	.ioctl = cn_console_ioctl,
	.stat = con_stat,
};

/* stdin reads, stdout and stderr write, as a shell would open them. */
struct cn_file cn_fdtab_console_in = {
	.ops = &console_ops,
	.flags = O_RDONLY,
	.refs = 1u << 30,
};

struct cn_file cn_fdtab_console_out = {
	.ops = &console_ops,
	.flags = O_WRONLY,
	.refs = 1u << 30,
};
