/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's compiler and C library glue for Cairn. The C library's headers
 * come first so that lwIP takes their definitions (errno values,
 * O_NONBLOCK, FIONBIO, struct iovec, struct pollfd, struct timeval,
 * fd_set) instead of its own: sockets then speak the same constants as
 * the rest of the image.
 */
#ifndef CAIRN_LWIP_ARCH_CC_H
#define CAIRN_LWIP_ARCH_CC_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <cairn/panic.h>

#define LWIP_NO_INTTYPES_H	0
#include <limits.h>
#include <unistd.h>
#ifndef SSIZE_MAX
#define SSIZE_MAX	LONG_MAX	/* ssize_t is long here */
#endif
#define LWIP_TIMEVAL_PRIVATE	0

#define LWIP_PLATFORM_DIAG(x)	do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	cn_panic("lwIP assertion \"%s\" failed at %s:%d", \
					 x, __FILE__, __LINE__)

uint32_t cn_lwip_rand(void);
#define LWIP_RAND()		cn_lwip_rand()

#endif
