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
/* At off (EINVAL if negative; ESPIPE on pipes and sockets); the file
 * position does not move. */
ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off);
ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off);
/* flags must be 0 (else EOPNOTSUPP); off -1: at the file position. */
ssize_t preadv2(int fd, const struct iovec *iov, int cnt, off_t off,
		int flags);
ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off,
		 int flags);

/* Linux's RWF_* flags, for programs that name them (not supported). */
#define RWF_HIPRI	0x1
#define RWF_DSYNC	0x2
#define RWF_SYNC	0x4
#define RWF_NOWAIT	0x8
#define RWF_APPEND	0x10

#endif
