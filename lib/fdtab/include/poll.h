/* SPDX-License-Identifier: BSD-3-Clause */
/* poll() (POSIX), from lib/fdtab: on files, sockets and the console. */
#ifndef _POLL_H
#define _POLL_H

#include <cairn/file.h>

#define POLLIN		CN_POLLIN
#define POLLPRI		CN_POLLPRI
#define POLLOUT		CN_POLLOUT
#define POLLERR		CN_POLLERR
#define POLLHUP		CN_POLLHUP
#define POLLNVAL	CN_POLLNVAL
#define POLLRDNORM	0x040
#define POLLRDBAND	0x080
#define POLLWRNORM	0x100
#define POLLWRBAND	0x200

typedef unsigned int nfds_t;

struct pollfd {
	int fd;
	short events;
	short revents;
};

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);
/* poll() with a timespec and a signal mask for the wait (GNU, Linux). */
struct timespec;
#if defined(_GNU_SOURCE)
#include <signal.h>
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
	  const sigset_t *sigmask);
#endif

#endif
