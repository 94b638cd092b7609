/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dprintf and vdprintf: printf to a descriptor. The text is formatted
 * first (on the stack when short) and then written whole, looping over
 * short writes, so that it reaches the descriptor in as few writes as
 * possible and one call's text is not split by another stream's buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define STACK_MAX 256

static int write_all(int fd, const char *s, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, s + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char small[STACK_MAX], *buf = small;
	va_list again;
	int len, r;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (!fmt) {
		errno = EINVAL;
		return -1;
	}
	va_copy(again, ap);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	if (len >= (int)sizeof(small)) {
		buf = malloc((size_t)len + 1);
		if (!buf) {
			va_end(again);
			errno = ENOMEM;
			return -1;
		}
		vsnprintf(buf, (size_t)len + 1, fmt, again);
	}
	va_end(again);
	r = len < 0 ? -1 : write_all(fd, buf, (size_t)len);
	if (buf != small)
		free(buf);
	return r < 0 ? -1 : len;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}
