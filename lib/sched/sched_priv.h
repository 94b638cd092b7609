/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/sched: shared by thread.c, sync.c and locks.c. */
#ifndef SCHED_PRIV_H
#define SCHED_PRIV_H

#include <stdbool.h>
#include <cairn/sched.h>

/* Removes the first waiter of q and makes it READY; NULL if none. */
struct cn_thread *cn_sched_waitq_pop(struct cn_waitq *q);

/*
 * Whether t runs on a CPU now (a snapshot without the big lock, for a
 * mutex waiter deciding whether to spin; t must not have been freed).
 */
bool cn_sched_thread_running(const struct cn_thread *t);

#endif
