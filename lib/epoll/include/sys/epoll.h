/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/epoll.h> (Linux), from lib/epoll: an interest list of descriptors
 * and a wait for the ready ones, level or edge triggered, over any
 * descriptor of lib/fdtab that has a poll operation (pipes, sockets,
 * eventfd, timerfd, the console, another epoll). The values are Linux's,
 * except the flags that are open()'s (EPOLL_CLOEXEC is O_CLOEXEC, as on
 * Linux, with picolibc's value).
 */
#ifndef _SYS_EPOLL_H
#define _SYS_EPOLL_H

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EPOLL_CLOEXEC	O_CLOEXEC

#define EPOLLIN		0x001u
#define EPOLLPRI	0x002u
#define EPOLLOUT	0x004u
#define EPOLLERR	0x008u
#define EPOLLHUP	0x010u
#define EPOLLRDNORM	0x040u
#define EPOLLRDBAND	0x080u
#define EPOLLWRNORM	0x100u
#define EPOLLWRBAND	0x200u
#define EPOLLMSG	0x400u
#define EPOLLRDHUP	0x2000u
#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

typedef union epoll_data {
	void *ptr;
	int fd;
	uint32_t u32;
	uint64_t u64;
} epoll_data_t;

/* Packed on x86_64 as on Linux, so that programs see the same layout. */
struct epoll_event {
	uint32_t events;
	epoll_data_t data;
}
#ifdef __x86_64__
__attribute__((__packed__))
#endif
;

/*
 * A new epoll descriptor (size: > 0, otherwise unused; flags: 0 or
 * EPOLL_CLOEXEC). -1 and errno: EINVAL (size or flags), EMFILE, ENOMEM.
 */
int epoll_create(int size);
int epoll_create1(int flags);
/*
 * Adds (EPOLL_CTL_ADD), changes (MOD) or removes (DEL) fd in the interest
 * list of epfd; event (ignored for DEL) gives the events and the data
 * epoll_wait() returns. -1 and errno: EBADF, EEXIST (ADD of a member),
 * ENOENT (MOD/DEL of a non-member), EINVAL (epfd not an epoll, fd is
 * epfd, bad op or EPOLLEXCLUSIVE use), EPERM (fd is a regular file or a
 * directory: always ready), ELOOP (epolls in a loop or nested too deep),
 * EFAULT (event NULL), ENOMEM. An entry leaves the list by itself when
 * the file's last descriptor closes.
 */
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
/*
 * Waits up to timeout ms (-1: no limit, 0: just looks) for events of the
 * list: returns how many were stored in events (at most maxevents), 0 at
 * the timeout, or -1 and errno: EINVAL (maxevents <= 0, epfd not an
 * epoll), EBADF, EFAULT (events NULL), EINTR (a signal handler ran, with
 * SA_RESTART or not). epoll_pwait() sets the signal mask to *sigmask (if
 * not NULL) for the wait; epoll_pwait2() takes a timespec (NULL: no limit).
 */
int epoll_wait(int epfd, struct epoll_event *events, int maxevents,
	       int timeout);
int epoll_pwait(int epfd, struct epoll_event *events, int maxevents,
		int timeout, const sigset_t *sigmask);
int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
		 const struct timespec *timeout, const sigset_t *sigmask);

#ifdef __cplusplus
}
#endif

#endif
