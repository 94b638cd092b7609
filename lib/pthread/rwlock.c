/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Readers-writer locks, barriers and spin locks. The first two are a
 * cn_mutex guarding counts plus condition variables to wait on, so the
 * FIFO hand-over and deadline handling of lib/sched carry over; spin
 * locks are one word taken by compare-and-swap.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/sched.h>
#include <cairn/sync.h>
#include "pthread_priv.h"

static int check_pshared(int pshared)
{
	/* One process: every object is shared by all of its threads. */
	return pshared == PTHREAD_PROCESS_PRIVATE ||
	       pshared == PTHREAD_PROCESS_SHARED ? 0 : EINVAL;
}

int pthread_rwlockattr_init(pthread_rwlockattr_t *a)
{
	a->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *a, int pshared)
{
	if (check_pshared(pshared))
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *a,
				  int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	pthread_rwlock_t init = PTHREAD_RWLOCK_INITIALIZER;

	(void)a;
	*l = init;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	int busy;

	cn_mutex_lock(&l->m);
	busy = l->readers || l->writer || l->writers_waiting ||
	       l->readable.waiters.head;
	cn_mutex_unlock(&l->m);
	return busy ? EBUSY : 0;
}

/*
 * Takes l for reading (write 0) or writing. deadline: cn_time_ns() scale,
 * 0 none, or TRY (fail with EBUSY rather than wait). abs is
 * only checked when the caller would have to wait, as glibc does.
 */
#define TRY	UINT64_MAX

static int can_take(pthread_rwlock_t *l, int write)
{
	return write ? !l->writer && !l->readers : !l->writer;
}

static int rwlock_take(pthread_rwlock_t *l, int write, uint64_t deadline,
		       const struct timespec *abs)
{
	struct cn_thread *self = cn_thread_current();
	int rc = 0;

	cn_mutex_lock(&l->m);
	if (l->writer == self) {
		rc = deadline == TRY ? EBUSY : EDEADLK;
		goto out;
	}
	if (!can_take(l, write) && deadline == TRY) {
		rc = EBUSY;
		goto out;
	}
	if (!can_take(l, write) && abs) {
		if (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000) {
			rc = EINVAL;
			goto out;
		}
		deadline = cn_pthread_deadline(CLOCK_REALTIME, abs);
	}
	l->writers_waiting += write;
	/* Check again after each wake-up: another thread may have got in
	 * first; a timed-out waiter still takes a lock that came free. */
	while (!can_take(l, write) && !rc)
		rc = -cn_cond_wait_until(write ? &l->writable : &l->readable,
					 &l->m, deadline);
	l->writers_waiting -= write;
	if (can_take(l, write)) {
		rc = 0;
		if (write)
			l->writer = self;
		else
			l->readers++;
	}
out:
	cn_mutex_unlock(&l->m);
	return rc;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	return rwlock_take(l, 0, 0, NULL);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	return rwlock_take(l, 1, 0, NULL);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	return rwlock_take(l, 0, TRY, NULL);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	return rwlock_take(l, 1, TRY, NULL);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *l,
			       const struct timespec *abs)
{
	if (!abs)
		return EINVAL;
	return rwlock_take(l, 0, 0, abs);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *l,
			       const struct timespec *abs)
{
	if (!abs)
		return EINVAL;
	return rwlock_take(l, 1, 0, abs);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	struct cn_thread *self = cn_thread_current();
	int rc = 0;

	cn_mutex_lock(&l->m);
	if (l->writer == self) {
		l->writer = NULL;
		/* Readers first (the preference), and one writer in case
		 * no reader waits; whoever loses waits again. */
		cn_cond_broadcast(&l->readable);
		if (l->writers_waiting)
			cn_cond_signal(&l->writable);
	} else if (!l->writer && l->readers) {
		if (--l->readers == 0 && l->writers_waiting)
			cn_cond_signal(&l->writable);
	} else {
		rc = EPERM;
	}
	cn_mutex_unlock(&l->m);
	return rc;
}

int pthread_barrierattr_init(pthread_barrierattr_t *a)
{
	a->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int pshared)
{
	if (check_pshared(pshared))
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *a,
				   int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a,
			 unsigned int count)
{
	(void)a;
	if (count == 0)
		return EINVAL;
	cn_mutex_init(&b->m, 0);
	cn_cond_init(&b->round_done);
	b->count = count;
	b->waiting = 0;
	b->round = 0;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	int busy;

	cn_mutex_lock(&b->m);
	busy = b->waiting != 0;
	cn_mutex_unlock(&b->m);
	return busy ? EBUSY : 0;
}

/*
 * The last thread to arrive ends the round: it starts the next one (so
 * a thread that leaves and arrives again at once counts for the next
 * round) and wakes the others, which wait for the round number to move.
 */
int pthread_barrier_wait(pthread_barrier_t *b)
{
	unsigned int round;

	cn_mutex_lock(&b->m);
	round = b->round;
	if (++b->waiting == b->count) {
		b->waiting = 0;
		b->round++;
		cn_cond_broadcast(&b->round_done);
		cn_mutex_unlock(&b->m);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (b->round == round)
		cn_cond_wait(&b->round_done, &b->m);
	cn_mutex_unlock(&b->m);
	return 0;
}

int pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
	if (check_pshared(pshared))
		return EINVAL;
	*l = 0;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *l)
{
	return *l ? EBUSY : 0;
}

/* The lock word of the caller: its thread id + 1 (main's id is 0). */
static int spin_me(void)
{
	return cn_thread_id(cn_thread_current()) + 1;
}

/* 0 (taken), or the holder's word. */
static int spin_take(pthread_spinlock_t *l, int me)
{
	int holder = 0;

	if (__atomic_compare_exchange_n(l, &holder, me, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return 0;
	return holder;
}

int pthread_spin_trylock(pthread_spinlock_t *l)
{
	return spin_take(l, spin_me()) ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *l)
{
	int me = spin_me();
	unsigned int spins = 0;
	int holder;

	/*
	 * Spin a little (the holder may run on another CPU and be about to
	 * release), then yield: with one CPU or a cooperative scheduler the
	 * holder only runs when the spinner lets it.
	 */
	while ((holder = spin_take(l, me)) != 0) {
		if (holder == me)
			return EDEADLK;
		if (++spins < 100)
			cn_arch_cpu_relax();
		else
			cn_thread_yield();
	}
	return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *l)
{
	int me = spin_me();

	if (*l != me)
		return EPERM;
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
	return 0;
}
