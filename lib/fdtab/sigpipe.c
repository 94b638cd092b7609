/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fdtab's signal glue with lib/posix-signal in the image: SIGPIPE,
 * and waits that a signal interrupts (EINTR, SA_RESTART).
 */
#include <errno.h>
#include <signal.h>
#include <cairn/file.h>
#include <cairn/sigintr.h>
#include "fdtab_priv.h"

void cn_file_sigpipe(void)
{
	int e = errno;

	raise(SIGPIPE);
	errno = e;
}

static void notify(void *arg)
{
	(void)arg;
	cn_file_notify();
}

void cn_fdtab_intr_begin(void)
{
	cn_signal_intr_begin(notify, NULL);
}

void cn_fdtab_intr_begin_mask(const sigset_t *set)
{
	cn_signal_intr_begin_mask(set, notify, NULL);
}

bool cn_fdtab_intr_pending(void)
{
	return cn_signal_intr_pending();
}

int cn_fdtab_intr_end(void)
{
	return cn_signal_intr_end();
}
