/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/sched: shared by thread.c, sync.c and locks.c. */
#ifndef SCHED_PRIV_H
#define SCHED_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <cairn/lockorder.h>
#include <cairn/sched.h>

/*
 * The scheduler's lock (thread.c's top comment): run queues, wait queues'
 * lists, thread states. Saves and turns interrupts off; with SMP also a
 * test-and-set lock. The big lock, when both are held, is taken first.
 */
unsigned long cn_sched_lock_at(const char *site);
#define cn_sched_lock()	cn_sched_lock_at(CN_LOCK_SITE)
void cn_sched_unlock(unsigned long flags);

/*
 * Waits on q, called with the scheduler's lock held (flags from
 * cn_sched_lock()); returns with it released and interrupts restored to
 * flags: 0 when woken, -ETIMEDOUT once deadline (0: none) has passed,
 * -EINTR. Not taking the lock again on the way out matters: the thread
 * that woke this one usually holds it then (switching away itself), so
 * a woken thread that wanted it back would wait for that switch. A
 * deadline needs the thread's timer started first, before the lock:
 * cn_sched_timer_arm(deadline), and cn_sched_timer_disarm() after.
 */
int cn_sched_wait(struct cn_waitq *q, uint64_t deadline, unsigned long flags);
void cn_sched_timer_arm(uint64_t deadline);
void cn_sched_timer_disarm(void);

/*
 * Removes the first waiter of q and makes it READY; NULL if none. The
 * scheduler's lock held.
 */
struct cn_thread *cn_sched_waitq_pop(struct cn_waitq *q);

/*
 * Whether t runs on a CPU now (a snapshot without a lock, for a
 * mutex waiter deciding whether to spin; t must not have been freed).
 */
bool cn_sched_thread_running(const struct cn_thread *t);

#endif
