/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX threads, mutexes, condition variables, keys and once on lib/sched.
 * Errors come back as positive errno values (POSIX), translated from the
 * -errno of the Cairn calls. Thread-specific data lives in a TLS array,
 * so each thread has its own; destructors run when the thread ends.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>
#include <cairn/sync.h>
#include <cairn/log.h>
#include <cairn/timer.h>
#include "pthread_priv.h"
#ifdef CONFIG_LIB_POSIX_SIGNAL
#include <signal.h>
#endif

static void (*key_dtor[PTHREAD_KEYS_MAX])(void *);
static unsigned char key_used[PTHREAD_KEYS_MAX];
static __thread void *key_value[PTHREAD_KEYS_MAX];

void cn_pthread_keys_run(void)
{
	unsigned int k, round;

	/* POSIX: repeat while destructors set values again (bounded). */
	for (round = 0; round < 4; round++) {
		int again = 0;

		for (k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void *v = key_value[k];

			if (v && key_used[k] && key_dtor[k]) {
				key_value[k] = NULL;
				key_dtor[k](v);
				again = 1;
			}
		}
		if (!again)
			break;
	}
}

struct start {
	void *(*fn)(void *);
	void *arg;
#ifdef CONFIG_LIB_POSIX_SIGNAL
	sigset_t sigmask;		/* the creator's, inherited (POSIX) */
#endif
};

static void *trampoline(void *p)
{
	struct start s = *(struct start *)p;
	void *rv;

	free(p);
#ifdef CONFIG_LIB_POSIX_SIGNAL
	pthread_sigmask(SIG_SETMASK, &s.sigmask, NULL);
#endif
	rv = s.fn(s.arg);
	cn_pthread_keys_run();
	cn_pthread_thread_end();
	return rv;
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	struct cn_thread_attr a = { 0 };
	struct start *s;
	int rc;

	/* The one scheduling class is all a thread can be given. */
	if (attr && attr->inheritsched == PTHREAD_EXPLICIT_SCHED &&
	    attr->policy != SCHED_OTHER)
		return EPERM;
	s = malloc(sizeof(*s));
	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
#ifdef CONFIG_LIB_POSIX_SIGNAL
	/*
	 * A new thread starts with its creator's signal mask: the usual
	 * server blocks SIGINT and SIGTERM, creates its workers and takes
	 * the signals with sigwait() in one thread; workers that started
	 * with nothing blocked would run the handlers instead.
	 */
	pthread_sigmask(SIG_SETMASK, NULL, &s->sigmask);
#endif
	if (attr) {
		a.stack_size = attr->stacksize;
		if (attr->detachstate == PTHREAD_CREATE_DETACHED)
			a.flags = CN_THREAD_DETACHED;
		a.cpu_mask = attr->cpu_mask;
	}
	rc = cn_thread_create(t, &a, trampoline, s);
	if (rc) {
		free(s);
		return rc == -ENOMEM ? EAGAIN : -rc;
	}
	return 0;
}

/* A cancellation point on entry only: cn_thread_join() waits on a queue
 * that is lib/sched's own. */
int pthread_join(pthread_t t, void **retval)
{
	int rc;

	cn_pthread_cancel_point();
	rc = cn_thread_join(t, retval);
	if (!rc) {
		cn_pthread_forget(t);
		if (retval && *retval == CN_THREAD_KILLED)
			*retval = PTHREAD_CANCELED;
	}
	return -rc;
}

int pthread_detach(pthread_t t)
{
	return -cn_thread_detach(t);
}

void pthread_exit(void *retval)
{
	cn_pthread_cleanup_run();
	cn_pthread_keys_run();
	cn_pthread_thread_end();
	cn_thread_exit(retval);
}

pthread_t pthread_self(void)
{
	return cn_thread_current();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int pthread_attr_init(pthread_attr_t *a)
{
	memset(a, 0, sizeof(*a));
	a->guardsize = CN_PAGE_SIZE;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	if (size < CN_PAGE_SIZE)	/* what cn_thread_create() accepts */
		return EINVAL;
	a->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
	*size = a->stacksize ? a->stacksize :
		(size_t)CONFIG_LIB_SCHED_STACK_KB * 1024;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE &&
	    state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	a->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
	*state = a->detachstate;
	return 0;
}

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	memset(a, 0, sizeof(*a));
	a->type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

static int check_pshared(int pshared)
{
	/* One process: every object is shared by all of its threads. */
	return pshared == PTHREAD_PROCESS_PRIVATE ||
	       pshared == PTHREAD_PROCESS_SHARED ? 0 : EINVAL;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int pshared)
{
	if (check_pshared(pshared))
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

/* With a single priority, inheriting or raising to a ceiling changes
 * nothing: each protocol is met as it stands. */
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *a, int protocol)
{
	if (protocol != PTHREAD_PRIO_NONE && protocol != PTHREAD_PRIO_INHERIT &&
	    protocol != PTHREAD_PRIO_PROTECT)
		return EINVAL;
	a->protocol = protocol;
	return 0;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *a,
				  int *protocol)
{
	*protocol = a->protocol;
	return 0;
}

int pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int robust)
{
	static int said;

	if (robust != PTHREAD_MUTEX_STALLED && robust != PTHREAD_MUTEX_ROBUST)
		return EINVAL;
	if (robust == PTHREAD_MUTEX_ROBUST && !said) {
		said = 1;
		cn_pr_warn("pthread_mutexattr_setrobust(): an owner's death "
			   "is not detected (no EOWNERDEAD)");
	}
	a->robust = robust;
	return 0;
}

int pthread_mutexattr_getrobust(const pthread_mutexattr_t *a, int *robust)
{
	*robust = a->robust;
	return 0;
}

/* Only a robust mutex whose owner died is inconsistent: never here. */
int pthread_mutex_consistent(pthread_mutex_t *m)
{
	(void)m;
	return EINVAL;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_RECURSIVE)
		return EINVAL;
	a->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
	*type = a->type;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	cn_mutex_init(&m->m, a && a->type == PTHREAD_MUTEX_RECURSIVE ?
		      CN_MUTEX_RECURSIVE : 0);
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->m.owner ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	return -cn_mutex_lock(&m->m);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	return -cn_mutex_trylock(&m->m);
}

uint64_t cn_pthread_deadline(clockid_t clock, const struct timespec *abs)
{
	struct timespec now;
	int64_t left;

	clock_gettime(clock, &now);
	left = (int64_t)(abs->tv_sec - now.tv_sec) * 1000000000 +
	       (abs->tv_nsec - now.tv_nsec);
	return cn_time_ns() + (left > 0 ? (uint64_t)left : 1);
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
	if (!abs || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000)
		return EINVAL;
	return -cn_mutex_lock_until(&m->m,
				    cn_pthread_deadline(CLOCK_REALTIME, abs));
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	return -cn_mutex_unlock(&m->m);
}

int pthread_condattr_init(pthread_condattr_t *a)
{
	a->clock = CLOCK_REALTIME;
	a->pshared = PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	a->clock = clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clock)
{
	*clock = a->clock == CLOCK_MONOTONIC ? CLOCK_MONOTONIC :
		 CLOCK_REALTIME;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *a, int pshared)
{
	if (check_pshared(pshared))
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *a, int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	cn_cond_init(&c->c);
	c->monotonic = a && a->clock == CLOCK_MONOTONIC;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	return c->c.waiters.head ? EBUSY : 0;
}

/*
 * A cancellation point: a request that comes while the thread waits
 * wakes it (a spurious wake-up for cn_cond), and it acts once it holds
 * the mutex again, as POSIX says, so cleanup handlers can unlock it.
 */
static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline)
{
	unsigned long flags;
	int rc;

	cn_pthread_cancel_point();
	flags = cn_big_lock();
	rc = cn_pthread_cancel_wait_begin(&c->c.waiters);
	if (!rc)
		rc = cn_cond_wait_until(&c->c, &m->m, deadline);
	cn_pthread_cancel_wait_end();
	cn_big_unlock(flags);
	cn_pthread_cancel_point();
	return -rc;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait(c, m, 0);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec *abs)
{
	if (!abs || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000)
		return EINVAL;
	return cond_wait(c, m, cn_pthread_deadline(c->monotonic ?
			 CLOCK_MONOTONIC : CLOCK_REALTIME, abs));
}

int pthread_cond_signal(pthread_cond_t *c)
{
	cn_cond_signal(&c->c);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	cn_cond_broadcast(&c->c);
	return 0;
}

static struct cn_mutex key_lock = CN_MUTEX_INIT;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	unsigned int k;

	cn_mutex_lock(&key_lock);
	for (k = 0; k < PTHREAD_KEYS_MAX && key_used[k]; k++)
		;
	if (k == PTHREAD_KEYS_MAX) {
		cn_mutex_unlock(&key_lock);
		return EAGAIN;
	}
	key_used[k] = 1;
	key_dtor[k] = destructor;
	cn_mutex_unlock(&key_lock);
	*key = k;
	return 0;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !key_used[key])
		return EINVAL;
	key_used[key] = 0;
	key_dtor[key] = NULL;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	return key < PTHREAD_KEYS_MAX && key_used[key] ? key_value[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX || !key_used[key])
		return EINVAL;
	key_value[key] = (void *)value;
	return 0;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (once->done)
		return 0;
	cn_mutex_lock(&once->m);
	if (!once->done) {
		fn();
		once->done = 1;
	}
	cn_mutex_unlock(&once->m);
	return 0;
}

int sched_yield(void)
{
	cn_thread_yield();
	return 0;
}

/*
 * The image is one process; lib/posix-process's getpid() says 1 (not
 * called: lib/pthread does not need that library).
 */
#define IMAGE_PID	1

/* CPUs 0-63 of set, or -1 for a size too small to hold them. */
static int64_t set_to_mask(size_t size, const cpu_set_t *set)
{
	uint64_t m = 0;
	unsigned int c;

	if (size < sizeof(uint64_t) || !set)
		return -1;
	for (c = 0; c < 64; c++)
		if (CPU_ISSET(c, set))
			m |= 1ull << c;
	return (int64_t)m;
}

static int mask_to_set(uint64_t m, size_t size, cpu_set_t *set)
{
	unsigned int c;

	if (size < sizeof(uint64_t) || !set)
		return EINVAL;
	memset(set, 0, size < sizeof(*set) ? size : sizeof(*set));
	for (c = 0; c < 64; c++)
		if ((m >> c) & 1)
			CPU_SET(c, set);
	return 0;
}

int pthread_setaffinity_np(pthread_t t, size_t size, const cpu_set_t *set)
{
	int64_t m = set_to_mask(size, set);

	if (m <= 0)
		return EINVAL;
	return -cn_thread_set_affinity(t, (uint64_t)m);
}

int pthread_getaffinity_np(pthread_t t, size_t size, cpu_set_t *set)
{
	return mask_to_set(cn_thread_affinity(t), size, set);
}

int pthread_attr_setaffinity_np(pthread_attr_t *a, size_t size,
				const cpu_set_t *set)
{
	int64_t m = set_to_mask(size, set);

	if (m <= 0)
		return EINVAL;
	a->cpu_mask = (uint64_t)m;	/* checked against online CPUs at create */
	return 0;
}

int pthread_attr_getaffinity_np(const pthread_attr_t *a, size_t size,
				cpu_set_t *set)
{
	return mask_to_set(a->cpu_mask ? a->cpu_mask : ~0ull >> (64 -
			   (cn_cpu_count() < 64 ? cn_cpu_count() : 64)),
			   size, set);
}

int sched_getcpu(void)
{
	return (int)cn_cpu_id();
}

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
	int rc;

	if (pid != 0 && pid != IMAGE_PID) {
		errno = ESRCH;
		return -1;
	}
	rc = pthread_setaffinity_np(cn_thread_current(), size, set);
	if (rc) {
		errno = rc;
		return -1;
	}
	return 0;
}

int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
	int rc;

	if (pid != 0 && pid != IMAGE_PID) {
		errno = ESRCH;
		return -1;
	}
	rc = pthread_getaffinity_np(cn_thread_current(), size, set);
	if (rc) {
		errno = rc;
		return -1;
	}
	return 0;
}
