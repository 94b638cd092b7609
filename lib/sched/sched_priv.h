/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/sched: shared by thread.c, sync.c and locks.c. */
#ifndef SCHED_PRIV_H
#define SCHED_PRIV_H

#include <cairn/sched.h>

/* Removes the first waiter of q and makes it READY; NULL if none. */
struct cn_thread *cn_sched_waitq_pop(struct cn_waitq *q);

#endif
