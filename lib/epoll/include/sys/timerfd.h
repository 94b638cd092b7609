/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/timerfd.h> (Linux), from lib/epoll: a timer that a descriptor
 * reports: read() returns the number of expirations since the last read
 * (8 bytes), and poll/select/epoll see it readable once it expired.
 */
#ifndef _SYS_TIMERFD_H
#define _SYS_TIMERFD_H

#include <fcntl.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFD_NONBLOCK		O_NONBLOCK
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_TIMER_ABSTIME	1
#define TFD_TIMER_CANCEL_ON_SET	2

/*
 * A new disarmed timer on clockid (CLOCK_MONOTONIC, CLOCK_REALTIME,
 * CLOCK_BOOTTIME and their _ALARM forms). -1 and errno: EINVAL (clock or
 * flags), EMFILE, ENOMEM.
 */
int timerfd_create(int clockid, int flags);
/*
 * Arms (it_value not zero: relative, or absolute on the timer's clock
 * with TFD_TIMER_ABSTIME) or disarms (zero) the timer, repeating every
 * it_interval if not zero; the old setting goes to *old if not NULL.
 * -1 and errno: EBADF, EINVAL (not a timerfd, flags, a timespec out of
 * range), EFAULT (new NULL).
 */
int timerfd_settime(int fd, int flags, const struct itimerspec *new_value,
		    struct itimerspec *old_value);
/* Time to the next expiration (zero: disarmed) and the interval. */
int timerfd_gettime(int fd, struct itimerspec *curr_value);

#ifdef __cplusplus
}
#endif

#endif
