/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POSIX threads on Cairn's threads (lib/sched): the subset that ordinary
 * threaded C code uses. Functions return 0 or a positive errno value, as
 * POSIX says (they do not set errno). Not provided: cancellation,
 * scheduling policies, process-shared objects, robust mutexes. The GNU
 * affinity calls (and sched_getcpu(), sched_[gs]etaffinity() for the
 * calling thread) are: a thread runs only on the CPUs of its set.
 */
#ifndef CAIRN_PTHREAD_H
#define CAIRN_PTHREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <sys/cpuset.h>
#include <cairn/sync.h>

typedef struct cn_thread *pthread_t;

typedef struct {
	size_t stacksize;
	int detachstate;
	uint64_t cpu_mask;	/* CPUs 0-63 it may run on; 0: any */
} pthread_attr_t;

#define PTHREAD_CREATE_JOINABLE	0
#define PTHREAD_CREATE_DETACHED	1

typedef struct {
	struct cn_mutex m;
} pthread_mutex_t;

typedef struct {
	int type;
} pthread_mutexattr_t;

#define PTHREAD_MUTEX_NORMAL	0
#define PTHREAD_MUTEX_ERRORCHECK 1
#define PTHREAD_MUTEX_RECURSIVE	2
#define PTHREAD_MUTEX_DEFAULT	PTHREAD_MUTEX_NORMAL

#define PTHREAD_MUTEX_INITIALIZER { CN_MUTEX_INIT }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { CN_MUTEX_INIT_RECURSIVE }

typedef struct {
	struct cn_cond c;
} pthread_cond_t;

typedef struct {
	int unused;
} pthread_condattr_t;

#define PTHREAD_COND_INITIALIZER { CN_COND_INIT }

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
