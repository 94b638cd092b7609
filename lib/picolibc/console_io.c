/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Descriptors 0-2 on the console, for images without lib/fdtab (which
 * brings the real descriptor table and these calls with it). picolibc's
 * stdin/stdout/stderr use them. POSIX conventions: -1 and errno.
 */
#include <errno.h>
#include <unistd.h>
#include <cairn/plat.h>

ssize_t write(int fd, const void *buf, size_t len)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	cn_plat_console_write(buf, len);
	return (ssize_t)len;
}

/*
 * Waits for the first byte, then takes what else has arrived. A carriage
 * return (the Enter key on a terminal in raw mode) reads as a newline.
 */
ssize_t read(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t n = 0;
	int c;

	if (fd != STDIN_FILENO) {
		errno = EBADF;
		return -1;
	}
	while (n < len) {
		c = cn_plat_console_getc(n > 0);
		if (c < 0)
			break;
		p[n++] = c == '\r' ? '\n' : (unsigned char)c;
		if (c == '\r' || c == '\n')
			break;
	}
	return (ssize_t)n;
}

off_t lseek(int fd, off_t off, int whence)
{
	errno = fd >= 0 && fd <= 2 ? ESPIPE : EBADF;
	return -1;
}

int close(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 0;
	errno = EBADF;
	return -1;
}

int isatty(int fd)
{
	if (fd >= 0 && fd <= 2)
		return 1;
	errno = EBADF;
	return 0;
}

