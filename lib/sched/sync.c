/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mutexes, semaphores and condition variables on wait queues. Releasing a
 * mutex or posting a semaphore while others wait hands the mutex (or the
 * token) directly to the longest waiter, so a thread that keeps taking
 * and releasing cannot starve the others. An uncontended mutex is taken
 * and released with one compare-and-swap (see WAITING below); everything
 * else runs under the scheduler's lock (sched_priv.h; interrupts off on
 * one CPU), not the big lock: the lock that protects the wait queues
 * protects the counts and owners beside them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include "sched_priv.h"

void cn_mutex_init(struct cn_mutex *m, unsigned int flags)
{
	struct cn_mutex init = CN_MUTEX_INIT;

	*m = init;
	m->flags = flags;
}

/*
 * The owner word: the owning thread, with bit 0 (WAITING) set once a
 * thread has queued for the mutex. A free mutex is taken, and a mutex
 * nobody waits for is released, by one compare-and-swap and no
 * interrupts-off section: turning interrupts back on (sti) ends QEMU's
 * translated block and returns to its main loop, which made every
 * uncontended lock and unlock cost a trip there (SQLite takes several per
 * row; doc/bench/sqlite.md). Everything else (queueing, handing over)
 * stays under the scheduler's lock: a thread
 * sets WAITING under it before it sleeps, so the owner's compare-and-swap
 * fails and the release goes the slow way, which hands the mutex over.
 * depth is only touched by the owner.
 */
#define WAITING		((uintptr_t)1)

static struct cn_thread *owner_of(struct cn_mutex *m)
{
	uintptr_t o = (uintptr_t)__atomic_load_n(&m->owner, __ATOMIC_ACQUIRE);

	return (struct cn_thread *)(o & ~WAITING);
}

/* Takes m if it is free: one compare-and-swap. */
static bool take_free(struct cn_mutex *m, struct cn_thread *self)
{
	struct cn_thread *free_owner = NULL;

	if (!__atomic_compare_exchange_n(&m->owner, &free_owner, self, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	m->depth = 1;
	return true;
}

/* Already ours: 0 (recursive, one level deeper) or -EDEADLK. */
static int take_again(struct cn_mutex *m)
{
	if (!(m->flags & CN_MUTEX_RECURSIVE))
		return -EDEADLK;
	m->depth++;
	return 0;
}

/*
 * Under the scheduler's lock (flags from cn_sched_lock()), m held by
 * another thread: marks it WAITING and sleeps until it is handed to self
 * (0) or deadline passes (the thread's timer started). Returns 0 or the
 * wait's error, with the lock released and interrupts restored; a thread
 * handed the mutex does not take the lock again.
 */
static int wait_for(struct cn_mutex *m, struct cn_thread *self,
		    uint64_t deadline, unsigned long flags)
{
	int rc = 0;

	for (;;) {
		struct cn_thread *o = __atomic_load_n(&m->owner,
						      __ATOMIC_ACQUIRE);
		struct cn_thread *marked;

		if (!o) {
			if (take_free(m, self)) {
				rc = 0;
				break;
			}
			continue;
		}
		if ((struct cn_thread *)((uintptr_t)o & ~WAITING) == self) {
			rc = 0;		/* handed over */
			break;
		}
		if (rc)
			break;
		marked = (struct cn_thread *)((uintptr_t)o | WAITING);
		if (o != marked &&
		    !__atomic_compare_exchange_n(&m->owner, &o, marked, false,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;	/* released meanwhile: look again */
		rc = cn_sched_wait(&m->waiters, deadline, flags);
		if (!rc)
			return 0;	/* woken by hand_over(): ours */
		flags = cn_sched_lock();
	}
	cn_sched_unlock(flags);
	return rc;
}

#ifdef CONFIG_SMP
/*
 * Spinning before sleeping (Linux's optimistic spinning): with several
 * CPUs, a mutex held by a thread that runs on another CPU is usually
 * released within a short section (lwIP's core lock, taken by every
 * socket call and by its thread, is the common case), far sooner than
 * sleeping and being woken costs: a lock twice, a switch away, a
 * wake-up of this CPU and a switch back. So a thread that finds the
 * mutex taken watches the owner word, without a lock and without
 * `pause` (under TCG it leaves translated code for QEMU's global lock),
 * and takes the mutex when it is freed. It stops and queues when the
 * owner is no longer running (it sleeps or was preempted: the wait may
 * be long), when others already queue (WAITING: the release hands the
 * mutex to the first of them, so spinning could only steal it from
 * them), or after SPIN_NS. Returns true when it took the mutex.
 *
 * The owner's state is read without a lock, so the owner must
 * not have been freed: it is not while it owns the mutex, unless it
 * exited owning it, which leaves the mutex owned for ever (undefined for
 * a POSIX mutex, and a deadlock report here once every thread waits).
 */
#define SPIN_NS		20000

static bool spin_for(struct cn_mutex *m, struct cn_thread *self)
{
	uint64_t until = 0;
	unsigned int i;

	/* With one CPU online the owner is never running: no spin. */
	for (i = 0;; i++) {
		uintptr_t o = (uintptr_t)__atomic_load_n(&m->owner,
							 __ATOMIC_RELAXED);

		if (!o) {
			if (take_free(m, self))
				return true;
			continue;
		}
		if ((o & WAITING) ||
		    !cn_sched_thread_running((struct cn_thread *)o))
			return false;
		if (!(i & 63)) {
			uint64_t now = cn_time_ns();

			if (!until)
				until = now + SPIN_NS;
			else if (now >= until)
				return false;
		}
	}
}
#else
static bool spin_for(struct cn_mutex *m, struct cn_thread *self)
{
	(void)m, (void)self;
	return false;			/* the owner cannot run meanwhile */
}
#endif

int cn_mutex_lock_until(struct cn_mutex *m, uint64_t deadline)
{
	struct cn_thread *self = cn_thread_current();
	unsigned long flags;
	int rc;

	if (take_free(m, self))
		return 0;
	if (owner_of(m) == self)
		return take_again(m);
	if (spin_for(m, self))
		return 0;
	if (deadline)
		cn_sched_timer_arm(deadline);
	flags = cn_sched_lock();
	rc = wait_for(m, self, deadline, flags);
	if (deadline)
		cn_sched_timer_disarm();
	return rc;
}

int cn_mutex_lock(struct cn_mutex *m)
{
	return cn_mutex_lock_until(m, 0);
}

int cn_mutex_trylock(struct cn_mutex *m)
{
	struct cn_thread *self = cn_thread_current();

	if (take_free(m, self))
		return 0;
	if (owner_of(m) == self && take_again(m) == 0)
		return 0;
	return -EBUSY;
}

/* Under the scheduler's lock: gives m to the first waiter (marked WAITING, as
 * more may wait), or frees it. */
static void hand_over(struct cn_mutex *m)
{
	struct cn_thread *next = cn_sched_waitq_pop(&m->waiters);

	m->depth = next ? 1 : 0;
	__atomic_store_n(&m->owner, next ? (struct cn_thread *)
			 ((uintptr_t)next | WAITING) : NULL,
			 __ATOMIC_RELEASE);
}

int cn_mutex_unlock(struct cn_mutex *m)
{
	struct cn_thread *self = cn_thread_current();
	unsigned long flags;

	if (owner_of(m) != self)
		return -EPERM;
	if (m->depth > 1) {
		m->depth--;
		return 0;
	}
	m->depth = 0;
	if (__atomic_compare_exchange_n(&m->owner, &self, NULL, false,
					__ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return 0;
	flags = cn_sched_lock();	/* WAITING: someone queued */
	hand_over(m);
	cn_sched_unlock(flags);
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
	unsigned long flags = cn_sched_lock();
	int rc = 0;

	if (s->count) {
		s->count--;
		cn_sched_unlock(flags);
		return 0;
	}
	if (deadline) {			/* the timer first, outside the lock */
		cn_sched_unlock(flags);
		cn_sched_timer_arm(deadline);
		flags = cn_sched_lock();
	}
	if (s->count) {
		s->count--;
		cn_sched_unlock(flags);
	} else {
		rc = cn_sched_wait(&s->waiters, deadline, flags); /* 0: token */
	}
	if (deadline)
		cn_sched_timer_disarm();
	return rc;
}

int cn_sem_wait(struct cn_sem *s)
{
	return cn_sem_wait_until(s, 0);
}

int cn_sem_trywait(struct cn_sem *s)
{
	unsigned long flags = cn_sched_lock();
	int rc = s->count ? 0 : -EAGAIN;

	if (!rc)
		s->count--;
	cn_sched_unlock(flags);
	return rc;
}

void cn_sem_post(struct cn_sem *s)
{
	unsigned long flags = cn_sched_lock();

	if (!cn_sched_waitq_pop(&s->waiters))
		s->count++;
	cn_sched_unlock(flags);
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
	unsigned long flags;
	unsigned int depth;
	int rc;

	if (owner_of(m) != self)
		return -EPERM;
	if (deadline)
		cn_sched_timer_arm(deadline);
	flags = cn_sched_lock();
	depth = m->depth;
	hand_over(m);
	rc = cn_sched_wait(&c->waiters, deadline, flags);
	if (deadline)
		cn_sched_timer_disarm();
	while (cn_mutex_lock(m))	/* as any locker: free, spin, queue */
		;
	m->depth = depth;
	return rc == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

int cn_cond_wait(struct cn_cond *c, struct cn_mutex *m)
{
	return cn_cond_wait_until(c, m, 0);
}

/*
 * The scheduler's lock alone: a waiter gives up the mutex and queues
 * under it in one section, so a signal sent after the mutex was taken
 * finds it queued.
 */
void cn_cond_signal(struct cn_cond *c)
{
	unsigned long flags = cn_sched_lock();

	cn_sched_waitq_pop(&c->waiters);
	cn_sched_unlock(flags);
}

void cn_cond_broadcast(struct cn_cond *c)
{
	unsigned long flags = cn_sched_lock();

	while (cn_sched_waitq_pop(&c->waiters))
		;
	cn_sched_unlock(flags);
}

unsigned long cn_event_read(const struct cn_event *e)
{
	return __atomic_load_n(&e->count, __ATOMIC_SEQ_CST);
}

/*
 * A waiter counts itself in (waiting) before it looks at the count, and
 * a signal moves the count before it looks at waiting, both sequentially
 * consistent: so either the signal sees the waiter and wakes the queue
 * under the scheduler's lock, or the waiter sees the count moved. Under
 * that lock a waiter looks at the count and queues in one section, so
 * a signal that saw it finds it queued or finds it gone.
 */
int cn_event_wait(struct cn_event *e, unsigned long seen, uint64_t deadline)
{
	unsigned long flags;
	int rc = 0;

	if (cn_event_read(e) != seen)
		return 0;
	__atomic_add_fetch(&e->waiting, 1, __ATOMIC_SEQ_CST);
	if (deadline)
		cn_sched_timer_arm(deadline);
	flags = cn_sched_lock();
	if (cn_event_read(e) != seen)
		cn_sched_unlock(flags);
	else
		rc = cn_sched_wait(&e->waiters, deadline, flags);
	if (deadline)
		cn_sched_timer_disarm();
	__atomic_sub_fetch(&e->waiting, 1, __ATOMIC_SEQ_CST);
	return rc;
}

void cn_event_signal(struct cn_event *e)
{
	unsigned long flags;

	__atomic_add_fetch(&e->count, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&e->waiting, __ATOMIC_SEQ_CST))
		return;
	flags = cn_sched_lock();
	while (cn_sched_waitq_pop(&e->waiters))
		;
	cn_sched_unlock(flags);
}

void cn_mbox_init(struct cn_mbox *mb, void **slots, unsigned int size)
{
	struct cn_mbox init = { slots, size, 0, 0, CN_WAITQ_INIT,
				CN_WAITQ_INIT };

	*mb = init;
}

/* The scheduler's lock held, for the two below. */
static void put(struct cn_mbox *mb, void *msg)
{
	mb->slots[(mb->head + mb->count) % mb->size] = msg;
	mb->count++;
	cn_sched_waitq_pop(&mb->readers);
}

static void *take(struct cn_mbox *mb)
{
	void *msg = mb->slots[mb->head];

	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	cn_sched_waitq_pop(&mb->writers);
	return msg;
}

static bool ready(const struct cn_mbox *mb, bool for_room)
{
	return for_room ? mb->count < mb->size : mb->count > 0;
}

/*
 * Under the scheduler's lock (*flags): waits on q until mb has room
 * (for_room) or a message, or deadline; returns 0 when it has, with the
 * lock held. The timer is started only when a wait is needed (outside
 * the lock, then the look is repeated). A thread woken but beaten to the
 * message or the slot by another waits again; one whose wait ended
 * (timed out, interrupted) still takes what came meanwhile.
 */
static int mbox_wait(struct cn_mbox *mb, struct cn_waitq *q, bool for_room,
		     uint64_t deadline, unsigned long *flags)
{
	bool armed = false;
	int rc = 0;

	while (!rc && !ready(mb, for_room)) {
		if (deadline && !armed) {
			cn_sched_unlock(*flags);
			cn_sched_timer_arm(deadline);
			armed = true;
			*flags = cn_sched_lock();
			continue;
		}
		rc = cn_sched_wait(q, deadline, *flags);
		*flags = cn_sched_lock();
	}
	if (armed)
		cn_sched_timer_disarm();
	return ready(mb, for_room) ? 0 : rc;
}

int cn_mbox_post(struct cn_mbox *mb, void *msg, uint64_t deadline)
{
	unsigned long flags = cn_sched_lock();
	int rc = mbox_wait(mb, &mb->writers, true, deadline, &flags);

	if (!rc)
		put(mb, msg);
	cn_sched_unlock(flags);
	return rc;
}

int cn_mbox_fetch(struct cn_mbox *mb, void **msg, uint64_t deadline)
{
	unsigned long flags = cn_sched_lock();
	int rc = mbox_wait(mb, &mb->readers, false, deadline, &flags);

	if (!rc)
		*msg = take(mb);
	cn_sched_unlock(flags);
	return rc;
}

int cn_mbox_trypost(struct cn_mbox *mb, void *msg)
{
	unsigned long flags = cn_sched_lock();
	int rc = ready(mb, true) ? 0 : -EAGAIN;

	if (!rc)
		put(mb, msg);
	cn_sched_unlock(flags);
	return rc;
}

int cn_mbox_tryfetch(struct cn_mbox *mb, void **msg)
{
	unsigned long flags = cn_sched_lock();
	int rc = ready(mb, false) ? 0 : -EAGAIN;

	if (!rc)
		*msg = take(mb);
	cn_sched_unlock(flags);
	return rc;
}

unsigned int cn_mbox_count(const struct cn_mbox *mb)
{
	return __atomic_load_n(&mb->count, __ATOMIC_RELAXED);
}
