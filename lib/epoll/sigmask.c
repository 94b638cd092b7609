/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll_pwait()'s signal mask, with lib/posix-signal: the calling
 * thread's mask is replaced for the wait and put back after it. A signal
 * already pending that the new mask unblocks runs its handler as the mask
 * changes (lib/posix-signal runs it in the thread that unblocks it), so
 * no wait will see it: the caller is told, and fails with EINTR at once,
 * as Linux does.
 */
#include <signal.h>
#include <stddef.h>
#include "epoll_priv.h"

bool cn_epoll_sigmask_set(const sigset_t *mask, sigset_t *old)
{
	sigset_t pending;
	bool ran = false;
	int sig;

	sigemptyset(&pending);
	sigpending(&pending);
	sigprocmask(SIG_SETMASK, mask, old);
	for (sig = 1; sig < _NSIG; sig++)
		if (sigismember(&pending, sig) == 1 &&
		    sigismember(mask, sig) != 1)
			ran = true;
	return ran;
}

void cn_epoll_sigmask_restore(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}
