/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/epoll. */
#ifndef EPOLL_PRIV_H
#define EPOLL_PRIV_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>

/*
 * sigmask.c / sigmask_none.c: epoll_pwait() sets the calling thread's
 * signal mask to *mask for its wait (old: what to put back after). True
 * when a pending signal it unblocked had its handler run meanwhile: the
 * call fails with EINTR.
 */
bool cn_epoll_sigmask_set(const sigset_t *mask, sigset_t *old);
void cn_epoll_sigmask_restore(const sigset_t *old);

/* The POSIX layer's answer: a count as it is, a negative errno as -1. */
static inline int cn_epoll_ret(int r)
{
	if (r >= 0)
		return r;
	errno = -r;
	return -1;
}

#endif
