/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes, semaphores and condition variables on wait queues. Releasing a
 * mutex or posting a semaphore while others wait hands the mutex (or the
 * token) directly to the longest waiter, so a thread that keeps taking
 * and releasing cannot starve the others. Interrupts are disabled around
 * each operation: on one CPU that makes it atomic.
 */
#include <errno.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/sync.h>
#include "sched_priv.h"

void cn_mutex_init(struct cn_mutex *m, unsigned int flags)
{
	struct cn_mutex init = CN_MUTEX_INIT;

	*m = init;
	m->flags = flags;
}

/*
 * With interrupts disabled: takes m if it is free or ours (recursive).
 * Returns 0, -EDEADLK (ours, not recursive) or -EBUSY (someone else's).
 */
static int try_take(struct cn_mutex *m, struct cn_thread *self)
{
	if (!m->owner) {
		m->owner = self;
		m->depth = 1;
		return 0;
	}
	if (m->owner != self)
		return -EBUSY;
	if (!(m->flags & CN_MUTEX_RECURSIVE))
		return -EDEADLK;
	m->depth++;
	return 0;
}

int cn_mutex_lock_until(struct cn_mutex *m, uint64_t deadline)
{
	struct cn_thread *self = cn_thread_current();
	unsigned long flags = cn_big_lock();
	int rc = try_take(m, self);

	if (rc == -EBUSY) {
		rc = 0;
		/* Woken means handed over: the owner is already us. */
		while (m->owner != self && !rc)
			rc = cn_waitq_wait(&m->waiters, deadline);
		if (m->owner == self)
			rc = 0;
	}
	cn_big_unlock(flags);
	return rc;
}

int cn_mutex_lock(struct cn_mutex *m)
{
	return cn_mutex_lock_until(m, 0);
}

int cn_mutex_trylock(struct cn_mutex *m)
{
	unsigned long flags = cn_big_lock();
	int rc = try_take(m, cn_thread_current());

	cn_big_unlock(flags);
	return rc ? -EBUSY : 0;
}

/* With interrupts disabled: gives m to the first waiter, or frees it. */
static void hand_over(struct cn_mutex *m)
{
	struct cn_thread *next = cn_sched_waitq_pop(&m->waiters);

	m->owner = next;
	m->depth = next ? 1 : 0;
}

int cn_mutex_unlock(struct cn_mutex *m)
{
	unsigned long flags = cn_big_lock();

	if (m->owner != cn_thread_current()) {
		cn_big_unlock(flags);
		return -EPERM;
	}
	if (--m->depth == 0)
		hand_over(m);
	cn_big_unlock(flags);
	return 0;
}

void cn_sem_init(struct cn_sem *s, unsigned int count)
{
	struct cn_sem init = CN_SEM_INIT(0);

	*s = init;
	s->count = count;
}

int cn_sem_wait_until(struct cn_sem *s, uint64_t deadline)
{
	unsigned long flags = cn_big_lock();
	int rc = 0;

	if (s->count)
		s->count--;
	else
		rc = cn_waitq_wait(&s->waiters, deadline);	/* 0: token */
	cn_big_unlock(flags);
	return rc;
}

int cn_sem_wait(struct cn_sem *s)
{
	return cn_sem_wait_until(s, 0);
}

int cn_sem_trywait(struct cn_sem *s)
{
	unsigned long flags = cn_big_lock();
	int rc = s->count ? 0 : -EAGAIN;

	if (!rc)
		s->count--;
	cn_big_unlock(flags);
	return rc;
}

void cn_sem_post(struct cn_sem *s)
{
	unsigned long flags = cn_big_lock();

	if (!cn_sched_waitq_pop(&s->waiters))
		s->count++;
	cn_big_unlock(flags);
}

void cn_cond_init(struct cn_cond *c)
{
	struct cn_cond init = CN_COND_INIT;

	*c = init;
}

int cn_cond_wait_until(struct cn_cond *c, struct cn_mutex *m,
		       uint64_t deadline)
{
	struct cn_thread *self = cn_thread_current();
	unsigned long flags = cn_big_lock();
	unsigned int depth;
	int rc;

	if (m->owner != self) {
		cn_big_unlock(flags);
		return -EPERM;
	}
	depth = m->depth;
	hand_over(m);
	rc = cn_waitq_wait(&c->waiters, deadline);
	while (m->owner != self) {
		if (!m->owner) {
			m->owner = self;
			break;
		}
		cn_waitq_wait(&m->waiters, 0);
	}
	m->depth = depth;
	cn_big_unlock(flags);
	return rc == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

int cn_cond_wait(struct cn_cond *c, struct cn_mutex *m)
{
	return cn_cond_wait_until(c, m, 0);
}

void cn_cond_signal(struct cn_cond *c)
{
	cn_waitq_wake_one(&c->waiters);
}

void cn_cond_broadcast(struct cn_cond *c)
{
	cn_waitq_wake_all(&c->waiters);
}
