/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/lwip without lib/posix-signal: nothing interrupts a socket call. */
#include "lwip_priv.h"

void cn_lwip_intr_begin(void)
{
}

int cn_lwip_intr_end(void)
{
	return CN_LWIP_DONE;
}

int cn_lwip_wait(struct cn_waitq *q, uint64_t deadline)
{
	return cn_waitq_wait(q, deadline);
}
