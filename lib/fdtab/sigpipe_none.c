/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fdtab's signal glue without lib/posix-signal: no SIGPIPE, EPIPE
 * only (picolibc's raise() would end the image with no word why), and
 * no signal ever interrupts a wait.
 */
#include <cairn/file.h>
#include "fdtab_priv.h"

void cn_file_sigpipe(void)
{
}

void cn_fdtab_intr_begin(void)
{
}

void cn_fdtab_intr_begin_mask(const sigset_t *set)
{
	(void)set;
}

bool cn_fdtab_intr_pending(void)
{
	return false;
}

int cn_fdtab_intr_end(void)
{
	return 0;
}
