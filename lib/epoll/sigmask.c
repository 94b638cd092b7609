/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll_pwait()'s signal mask, with lib/posix-signal: the calling
 * thread's mask is replaced for the wait and put back after it. A signal
 * that the new mask unblocks and that is already pending runs its
 * handler as the mask changes (lib/posix-signal runs it in the thread
 * that unblocks it), so the wait then fails with EINTR (see epoll.c).
 */
#include <signal.h>
#include <stddef.h>
#include "epoll_priv.h"

void cn_epoll_sigmask_set(const sigset_t *mask, sigset_t *old)
{
	sigprocmask(SIG_SETMASK, mask, old);
}

void cn_epoll_sigmask_restore(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}
