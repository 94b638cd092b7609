/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sem_wait() without lib/posix-signal: nothing interrupts the wait but
 * its deadline.
 */
#include "pthread_priv.h"

int cn_pthread_sem_block(struct cn_sem *s, uint64_t deadline)
{
	return cn_sem_wait_until(s, deadline);
}
