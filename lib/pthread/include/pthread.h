/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX threads on Cairn's threads (lib/sched). Functions return 0 or a
 * positive errno value, as POSIX says (they do not set errno). The GNU
 * affinity calls (and sched_getcpu(), sched_[gs]etaffinity() for the
 * calling thread) are: a thread runs only on the CPUs of its set.
 *
 * What one process with one scheduling class means here: the only policy
 * is SCHED_OTHER with priority 0 (a real-time request is EPERM, as for an
 * unprivileged Linux process; a bad policy or priority EINVAL);
 * process-shared objects are accepted (every thread is in the one
 * process); priority protocols are accepted (with one priority they have
 * nothing to do); robust mutexes are accepted but an owner's death is not
 * detected. Cancellation is deferred and acted on at the cancellation
 * points listed at pthread_testcancel(); asynchronous cancellation ends
 * the thread at its next switch without running its cleanup handlers.
 */
#ifndef CAIRN_PTHREAD_H
#define CAIRN_PTHREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <sched.h>
#include <sys/cpuset.h>
#include <cairn/sync.h>

typedef struct cn_thread *pthread_t;

/*
 * Zero-filled is what pthread_attr_init() sets, but for guardsize (0
 * reads as one page) and the scheduling fields (0 is SCHED_OTHER,
 * priority 0, inherit, system scope: the defaults).
 */
typedef struct {
	size_t stacksize;
	int detachstate;
	uint64_t cpu_mask;	/* CPUs 0-63 it may run on; 0: any */
	size_t guardsize;	/* as set; Cairn's guard is always one page */
	void *stackaddr;	/* as set by pthread_attr_setstack() */
	int policy, priority, inheritsched, scope;
} pthread_attr_t;

#define PTHREAD_CREATE_JOINABLE	0
#define PTHREAD_CREATE_DETACHED	1

#define PTHREAD_INHERIT_SCHED	0
#define PTHREAD_EXPLICIT_SCHED	1
#define PTHREAD_SCOPE_SYSTEM	0
#define PTHREAD_SCOPE_PROCESS	1
#define PTHREAD_PROCESS_PRIVATE	0
#define PTHREAD_PROCESS_SHARED	1
#define PTHREAD_PRIO_NONE	0
#define PTHREAD_PRIO_INHERIT	1
#define PTHREAD_PRIO_PROTECT	2
#define PTHREAD_MUTEX_STALLED	0
#define PTHREAD_MUTEX_ROBUST	1

#define PTHREAD_STACK_MIN	4096	/* what cn_thread_create() accepts */
#define PTHREAD_CANCEL_ENABLE	0
#define PTHREAD_CANCEL_DISABLE	1
#define PTHREAD_CANCEL_DEFERRED	0
#define PTHREAD_CANCEL_ASYNCHRONOUS 1
#define PTHREAD_CANCELED	((void *)(intptr_t)-1)
#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

typedef struct {
	struct cn_mutex m;
} pthread_mutex_t;

typedef struct {
	int type;
	int pshared, protocol, robust;
} pthread_mutexattr_t;

#define PTHREAD_MUTEX_NORMAL	0
#define PTHREAD_MUTEX_ERRORCHECK 1
#define PTHREAD_MUTEX_RECURSIVE	2
#define PTHREAD_MUTEX_DEFAULT	PTHREAD_MUTEX_NORMAL

#define PTHREAD_MUTEX_INITIALIZER { CN_MUTEX_INIT }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { CN_MUTEX_INIT_RECURSIVE }

typedef struct {
	struct cn_cond c;
	int monotonic;		/* timed waits on CLOCK_MONOTONIC */
} pthread_cond_t;

typedef struct {
	int clock;		/* 0 (zero-filled): CLOCK_REALTIME */
	int pshared;
} pthread_condattr_t;

#define PTHREAD_COND_INITIALIZER { CN_COND_INIT, 0 }

/*
 * Readers-writer lock: any number of readers or one writer. Readers are
 * preferred, as glibc's default: a reader gets in whenever no writer
 * holds the lock, so a thread may take it for reading again while it
 * holds it (POSIX allows that), and constant readers can starve writers.
 */
typedef struct {
	struct cn_mutex m;
	struct cn_cond readable, writable;
	unsigned int readers;		/* holding it for reading */
	unsigned int writers_waiting;
	struct cn_thread *writer;	/* holding it for writing */
} pthread_rwlock_t;

typedef struct {
	int pshared;
} pthread_rwlockattr_t;

#define PTHREAD_RWLOCK_INITIALIZER \
	{ CN_MUTEX_INIT, CN_COND_INIT, CN_COND_INIT, 0, 0, NULL }

typedef struct {
	struct cn_mutex m;
	struct cn_cond round_done;
	unsigned int count, waiting, round;
} pthread_barrier_t;

typedef struct {
	int pshared;
} pthread_barrierattr_t;

/* 0: free, else the holder's thread id + 1. Spins, then yields so a
 * holder that is not running (one CPU, cooperative) gets to run. */
typedef volatile int pthread_spinlock_t;

typedef unsigned int pthread_key_t;
#define PTHREAD_KEYS_MAX	64

typedef struct {
	int done;
	struct cn_mutex m;
} pthread_once_t;
#define PTHREAD_ONCE_INIT	{ 0, CN_MUTEX_INIT }

int pthread_create(pthread_t *t, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg);
int pthread_join(pthread_t t, void **retval);
int pthread_detach(pthread_t t);
void pthread_exit(void *retval) __attribute__((noreturn));
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);

int pthread_attr_init(pthread_attr_t *a);
int pthread_attr_destroy(pthread_attr_t *a);
int pthread_attr_setstacksize(pthread_attr_t *a, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size);
int pthread_attr_setdetachstate(pthread_attr_t *a, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_mutexattr_init(pthread_mutexattr_t *a);
int pthread_mutexattr_destroy(pthread_mutexattr_t *a);
int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
/* abs is CLOCK_REALTIME, as POSIX says. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec *abs);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_condattr_init(pthread_condattr_t *a);
int pthread_condattr_destroy(pthread_condattr_t *a);

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

int pthread_once(pthread_once_t *once, void (*fn)(void));

int sched_yield(void);
/* glibc's old name for sched_yield(); always 0. */
int pthread_yield(void);

/* Stack and guard: setstack's address is recorded and reported back, but
 * the thread runs on a stack of that size that Cairn allocates (with its
 * own one-page guard). EINVAL for a size under PTHREAD_STACK_MIN. */
int pthread_attr_setguardsize(pthread_attr_t *a, size_t size);
int pthread_attr_getguardsize(const pthread_attr_t *a, size_t *size);
int pthread_attr_setstack(pthread_attr_t *a, void *addr, size_t size);
int pthread_attr_getstack(const pthread_attr_t *a, void **addr,
			  size_t *size);
/* Scheduling attributes: EINVAL for unknown values, ENOTSUP for
 * PTHREAD_SCOPE_PROCESS (as Linux); pthread_create() with
 * PTHREAD_EXPLICIT_SCHED and a policy other than SCHED_OTHER is EPERM. */
int pthread_attr_setschedpolicy(pthread_attr_t *a, int policy);
int pthread_attr_getschedpolicy(const pthread_attr_t *a, int *policy);
int pthread_attr_setschedparam(pthread_attr_t *a,
			       const struct sched_param *p);
int pthread_attr_getschedparam(const pthread_attr_t *a,
			       struct sched_param *p);
int pthread_attr_setinheritsched(pthread_attr_t *a, int inherit);
int pthread_attr_getinheritsched(const pthread_attr_t *a, int *inherit);
int pthread_attr_setscope(pthread_attr_t *a, int scope);
int pthread_attr_getscope(const pthread_attr_t *a, int *scope);
/* t's attributes (stack, detach state, affinity); ESRCH if t is gone. */
int pthread_getattr_np(pthread_t t, pthread_attr_t *a);
int pthread_getschedparam(pthread_t t, int *policy, struct sched_param *p);
int pthread_setschedparam(pthread_t t, int policy,
			  const struct sched_param *p);
/*
 * Names (GNU): at most 15 bytes and the NUL, as Linux (ERANGE beyond;
 * pthread_getname_np() wants a buffer of 16 or more). `ps` shows them.
 */
int pthread_setname_np(pthread_t t, const char *name);
int pthread_getname_np(pthread_t t, char *buf, size_t len);
/* The caller's CPU-time clock (CLOCK_THREAD_CPUTIME_ID); ENOENT for
 * another thread's (Cairn has no per-thread CPU clocks), ESRCH if gone. */
int pthread_getcpuclockid(pthread_t t, clockid_t *clock);
/* No fork() exists: nothing is recorded; always 0. */
int pthread_atfork(void (*prepare)(void), void (*parent)(void),
		   void (*child)(void));

int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int pshared);
int pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *pshared);
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *a, int protocol);
int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *a,
				  int *protocol);
int pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int robust);
int pthread_mutexattr_getrobust(const pthread_mutexattr_t *a, int *robust);
/* EINVAL: no mutex is ever left inconsistent (owner death is not seen). */
int pthread_mutex_consistent(pthread_mutex_t *m);
/* CLOCK_REALTIME or CLOCK_MONOTONIC (EINVAL otherwise, as glibc); the
 * clock pthread_cond_timedwait()'s deadline is on. */
int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clock);
int pthread_condattr_setpshared(pthread_condattr_t *a, int pshared);
int pthread_condattr_getpshared(const pthread_condattr_t *a, int *pshared);

/*
 * Readers-writer locks. EDEADLK when the caller holds it for writing
 * already (the try calls: EBUSY), EBUSY (try, or destroy while held), ETIMEDOUT (timed: abs is
 * CLOCK_REALTIME; EINVAL for a bad abs when it would have to wait),
 * EPERM (unlock of a lock the caller does not hold: Cairn checks writers
 * exactly, readers only by count).
 */
int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int pthread_rwlock_destroy(pthread_rwlock_t *l);
int pthread_rwlock_rdlock(pthread_rwlock_t *l);
int pthread_rwlock_wrlock(pthread_rwlock_t *l);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l);
int pthread_rwlock_trywrlock(pthread_rwlock_t *l);
int pthread_rwlock_timedrdlock(pthread_rwlock_t *l,
			       const struct timespec *abs);
int pthread_rwlock_timedwrlock(pthread_rwlock_t *l,
			       const struct timespec *abs);
int pthread_rwlock_unlock(pthread_rwlock_t *l);
int pthread_rwlockattr_init(pthread_rwlockattr_t *a);
int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a);
int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *a, int pshared);
int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *a,
				  int *pshared);

/* Barriers: count 0 is EINVAL; wait returns PTHREAD_BARRIER_SERIAL_THREAD
 * to exactly one thread of each round, 0 to the others; destroy while
 * threads wait is EBUSY. */
int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a,
			 unsigned int count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);
int pthread_barrierattr_init(pthread_barrierattr_t *a);
int pthread_barrierattr_destroy(pthread_barrierattr_t *a);
int pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int pshared);
int pthread_barrierattr_getpshared(const pthread_barrierattr_t *a,
				   int *pshared);

/* Spin locks: EDEADLK when the caller holds it, EBUSY (trylock), EPERM
 * (unlock by a thread that does not hold it). */
int pthread_spin_init(pthread_spinlock_t *l, int pshared);
int pthread_spin_destroy(pthread_spinlock_t *l);
int pthread_spin_lock(pthread_spinlock_t *l);
int pthread_spin_trylock(pthread_spinlock_t *l);
int pthread_spin_unlock(pthread_spinlock_t *l);

/*
 * Cancellation (deferred; PTHREAD_CANCEL_ASYNCHRONOUS ends the target at
 * its next switch without cleanup handlers or key destructors). A
 * pending request is acted on at these cancellation points only:
 * pthread_testcancel(), pthread_join() (on entry), pthread_cond_wait()
 * and pthread_cond_timedwait() (a waiting thread is woken; it acts with
 * the mutex held, as POSIX says), sem_wait() and sem_timedwait() (on
 * entry and on return). Acting runs the cleanup handlers (last pushed
 * first), then the key destructors, and ends the thread with
 * PTHREAD_CANCELED. pthread_cancel() returns ESRCH for a thread that
 * does not exist; the set calls EINVAL for unknown values.
 */
int pthread_cancel(pthread_t t);
void pthread_testcancel(void);
int pthread_setcancelstate(int state, int *old);
int pthread_setcanceltype(int type, int *old);

struct cn_pthread_cleanup {
	void (*fn)(void *);
	void *arg;
	struct cn_pthread_cleanup *prev;
};
void cn_pthread_cleanup_push(struct cn_pthread_cleanup *c,
			     void (*fn)(void *), void *arg);
void cn_pthread_cleanup_pop(struct cn_pthread_cleanup *c, int execute);
/* Lexically paired, as POSIX requires; run by pthread_exit() too. */
#define pthread_cleanup_push(fn, arg)					\
	do {								\
		struct cn_pthread_cleanup __cn_cleanup;			\
		cn_pthread_cleanup_push(&__cn_cleanup, (fn), (arg));
#define pthread_cleanup_pop(execute)					\
		cn_pthread_cleanup_pop(&__cn_cleanup, (execute));	\
	} while (0)

/*
 * Affinity (GNU): size is the bytes of *set (at least 8); CPUs past 63
 * are ignored. EINVAL for a set naming no online CPU or a size too small,
 * ESRCH never (threads are not looked up). A thread moved off its CPU
 * goes at its next switch (at once for the caller).
 */
int pthread_setaffinity_np(pthread_t t, size_t size, const cpu_set_t *set);
int pthread_getaffinity_np(pthread_t t, size_t size, cpu_set_t *set);
int pthread_attr_setaffinity_np(pthread_attr_t *a, size_t size,
				const cpu_set_t *set);
int pthread_attr_getaffinity_np(const pthread_attr_t *a, size_t size,
				cpu_set_t *set);
/* The calling thread's CPU (it may move right after). */
int sched_getcpu(void);
/* pid 0 or getpid(): the calling thread; -1 and errno, as Linux. */
int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set);
int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set);

#endif
