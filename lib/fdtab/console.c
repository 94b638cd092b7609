/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console as a file: descriptors 0-2 at boot. Reading waits for the
 * first byte, then takes what else has arrived, up to a newline (a
 * carriage return, the Enter key of a raw terminal, reads as one). poll
 * needs to know whether a byte is waiting without losing it: one byte of
 * look-ahead is kept.
 *
 * Its terminal settings (tcgetattr/tcsetattr through TCGETS/TCSETS*) are
 * kept for every console file alike. Two of them change reads: without
 * ICRNL a carriage return reads as itself, without ICANON a read does
 * not stop at a newline. The rest (ECHO, ISIG, speeds...) are stored
 * only: the console neither echoes nor edits lines.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include "fdtab_priv.h"

static int ahead = -1;

/* Linux's defaults for a serial console (stty sane, 115200 baud). */
static struct termios tio = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21,
		  [VEOF] = 4, [VTIME] = 0, [VMIN] = 1, [VSTART] = 17,
		  [VSTOP] = 19, [VSUSP] = 26, [VREPRINT] = 18,
		  [VDISCARD] = 15, [VWERASE] = 23, [VLNEXT] = 22 },
	.c_ispeed = B115200,
	.c_ospeed = B115200,
};

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
	bool crnl = tio.c_iflag & ICRNL, canon = tio.c_lflag & ICANON;
	unsigned char *p = buf;
	size_t n = 0;
	int c;

	(void)off;
	while (n < len) {
		c = next_byte(n > 0 || (f->flags & O_NONBLOCK));
		if (c < 0)
			break;
		if (c == '\r' && crnl)
			c = '\n';
		p[n++] = (unsigned char)c;
		if (canon && c == '\n')
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

/* Drops input that arrived and was not read. */
static void flush_input(void)
{
	ahead = -1;
	while (cn_plat_console_getc(1) >= 0)
		;
}

int cn_console_ioctl(struct cn_file *f, unsigned long req, void *arg)
{
	long v = (long)(uintptr_t)arg;

	(void)f;
	switch (req) {
	case TCGETS:		/* isatty() asks with NULL */
		if (arg)
			*(struct termios *)arg = tio;
		return 0;
	case TCSETSF:
		flush_input();
		/* fall through */
	case TCSETS:
	case TCSETSW:		/* output is written at once: drained */
		if (!arg)
			return -EFAULT;
		tio = *(const struct termios *)arg;
		return 0;
	case TCSBRK:		/* drain (done) or a break (nowhere to send) */
		return 0;
	case TCXONC:
		return v >= TCOOFF && v <= TCION ? 0 : -EINVAL;
	case TCFLSH:
		if (v < TCIFLUSH || v > TCIOFLUSH)
			return -EINVAL;
		if (v != TCOFLUSH)
			flush_input();
		return 0;
	case TIOCGWINSZ:	/* a serial line does not know its size */
		if (!arg)
			return -EFAULT;
		*(struct winsize *)arg = (struct winsize){ 0 };
		return 0;
	default:
		return -ENOTTY;
	}
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
