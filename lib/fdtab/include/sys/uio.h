/* SPDX-License-Identifier: BSD-3-Clause */
/* Scatter/gather I/O (POSIX), from lib/fdtab. */
#ifndef _SYS_UIO_H
#define _SYS_UIO_H

#include <stddef.h>
#include <sys/types.h>

#ifndef CAIRN_IOVEC_DEFINED
#define CAIRN_IOVEC_DEFINED
#define iovec iovec		/* lwIP: the C library has one */
struct iovec {
	void *iov_base;
	size_t iov_len;
};
#endif

#define IOV_MAX 1024

ssize_t readv(int fd, const struct iovec *iov, int cnt);
ssize_t writev(int fd, const struct iovec *iov, int cnt);

#endif
