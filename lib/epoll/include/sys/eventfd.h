/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/eventfd.h> (Linux), from lib/epoll: a descriptor holding a 64-bit
 * counter that write() adds to and read() takes (all of it, or 1 with
 * EFD_SEMAPHORE), for waking a thread through poll/select/epoll.
 */
#ifndef _SYS_EVENTFD_H
#define _SYS_EVENTFD_H

#include <fcntl.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t eventfd_t;

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK

/*
 * A new eventfd whose counter starts at initval. -1 and errno: EINVAL
 * (unknown flags), EMFILE, ENOMEM. read() needs 8 bytes (EINVAL) and
 * blocks while the counter is 0 (EAGAIN with EFD_NONBLOCK); write() of 8
 * bytes adds the value (0xffffffffffffffff: EINVAL) and blocks while the
 * sum would pass 0xfffffffffffffffe.
 */
int eventfd(unsigned int initval, int flags);
/* read()/write() of the 8 bytes: 0, or -1 and errno as read()/write(). */
int eventfd_read(int fd, eventfd_t *value);
int eventfd_write(int fd, eventfd_t value);

#ifdef __cplusplus
}
#endif

#endif
