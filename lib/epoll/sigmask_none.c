/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll_pwait()'s signal mask without lib/posix-signal: there are no
 * handlers to hold back, so the mask changes nothing.
 */
#include <signal.h>
#include "epoll_priv.h"

bool cn_epoll_sigmask_set(const sigset_t *mask, sigset_t *old)
{
	(void)mask, (void)old;
	return false;
}

void cn_epoll_sigmask_restore(const sigset_t *old)
{
	(void)old;
}
