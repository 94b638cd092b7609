/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes, counting semaphores and condition variables on the scheduler's
 * wait queues. Static initialisers exist for all three; none allocates.
 * Ownership is handed to waiters in FIFO order (a mutex released while
 * others wait goes to the longest waiter), so no waiter starves.
 * Timeouts are absolute deadlines in cn_time_ns() nanoseconds (0: none).
 */
#ifndef CAIRN_SYNC_H
#define CAIRN_SYNC_H

#include <stdint.h>
#include <cairn/sched.h>

struct cn_mutex {
	struct cn_thread *owner;
	unsigned int depth;		/* recursive locks held */
	unsigned int flags;
	struct cn_waitq waiters;
};
#define CN_MUTEX_RECURSIVE	0x1
#define CN_MUTEX_INIT		{ NULL, 0, 0, CN_WAITQ_INIT }
#define CN_MUTEX_INIT_RECURSIVE	{ NULL, 0, CN_MUTEX_RECURSIVE, CN_WAITQ_INIT }

void cn_mutex_init(struct cn_mutex *m, unsigned int flags);
/* 0, -EDEADLK (non-recursive and already ours), -ETIMEDOUT, -EINTR. */
int cn_mutex_lock(struct cn_mutex *m);
int cn_mutex_lock_until(struct cn_mutex *m, uint64_t deadline);
/* 0 or -EBUSY. */
int cn_mutex_trylock(struct cn_mutex *m);
/* 0 or -EPERM (not the owner). */
int cn_mutex_unlock(struct cn_mutex *m);

struct cn_sem {
	unsigned int count;
	struct cn_waitq waiters;
};
#define CN_SEM_INIT(n)		{ (n), CN_WAITQ_INIT }

void cn_sem_init(struct cn_sem *s, unsigned int count);
/* 0, -ETIMEDOUT, -EINTR. */
int cn_sem_wait(struct cn_sem *s);
int cn_sem_wait_until(struct cn_sem *s, uint64_t deadline);
/* 0 or -EAGAIN (count is 0). */
int cn_sem_trywait(struct cn_sem *s);
/* IRQ-safe. */
void cn_sem_post(struct cn_sem *s);

struct cn_cond {
	struct cn_waitq waiters;
};
#define CN_COND_INIT		{ CN_WAITQ_INIT }

void cn_cond_init(struct cn_cond *c);
/*
 * Releases m, waits for a signal (or the deadline), takes m back. Returns
 * 0, -ETIMEDOUT (m is held again in both cases), -EPERM (m not ours).
 */
int cn_cond_wait(struct cn_cond *c, struct cn_mutex *m);
int cn_cond_wait_until(struct cn_cond *c, struct cn_mutex *m,
		       uint64_t deadline);
void cn_cond_signal(struct cn_cond *c);
void cn_cond_broadcast(struct cn_cond *c);

#endif
