/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes, counting semaphores, condition variables, event counts and
 * mailboxes on the scheduler's wait queues. Static initialisers exist for
 * the first four; none allocates (a mailbox's slots are the caller's).
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

/*
 * Event counts (the futex idea): a count that only moves forward and the
 * threads waiting for it to move. A waiter reads the count, looks at its
 * condition and, if it must wait, calls cn_event_wait() with the count it
 * read, which returns at once when the count has moved since. Whoever
 * changes the condition calls cn_event_signal(), which moves the count
 * and wakes every waiter. So no lock needs to cover the condition and
 * the sleep together, and a signal that comes between a waiter's look
 * and its sleep is never lost. Neither call takes the big lock; a signal
 * with nobody waiting takes no lock at all.
 */
struct cn_event {
	unsigned long count;
	unsigned int waiting;		/* threads in cn_event_wait() */
	struct cn_waitq waiters;
};
#define CN_EVENT_INIT		{ 0, 0, CN_WAITQ_INIT }

unsigned long cn_event_read(const struct cn_event *e);
/*
 * Sleeps until the count is no longer seen, or deadline: 0 (moved),
 * -ETIMEDOUT, -EINTR (killed, or cn_waitq_interrupt() on e->waiters).
 */
int cn_event_wait(struct cn_event *e, unsigned long seen, uint64_t deadline);
/* IRQ-safe. */
void cn_event_signal(struct cn_event *e);

/*
 * Mailboxes: a bounded FIFO of pointers in a caller's array of size
 * slots, under the scheduler's lock (no big lock). A reader waits while
 * it is empty, a writer while it is full; each post wakes one reader and
 * each fetch one writer. Fetch and post return 0, -ETIMEDOUT or -EINTR
 * (killed, or cn_waitq_interrupt() on mb->readers / mb->writers); a
 * message that arrives as the wait ends is still taken (0).
 */
struct cn_mbox {
	void **slots;
	unsigned int size, head, count;
	struct cn_waitq readers, writers;
};

void cn_mbox_init(struct cn_mbox *mb, void **slots, unsigned int size);
int cn_mbox_post(struct cn_mbox *mb, void *msg, uint64_t deadline);
int cn_mbox_fetch(struct cn_mbox *mb, void **msg, uint64_t deadline);
/* 0, or -EAGAIN when full / empty. IRQ-safe. */
int cn_mbox_trypost(struct cn_mbox *mb, void *msg);
int cn_mbox_tryfetch(struct cn_mbox *mb, void **msg);
/* Messages queued now (a snapshot). */
unsigned int cn_mbox_count(const struct cn_mbox *mb);

#endif
