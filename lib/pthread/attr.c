/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread attributes beyond size and detach state, scheduling parameters
 * (Cairn has one class: SCHED_OTHER, priority 0), thread names (lib/sched's,
 * so `ps` shows them), CPU-time clocks and pthread_atfork. Thread
 * handles are checked against lib/sched's thread list: ESRCH for one that
 * no longer exists, as Linux reports for a thread it can still tell is
 * gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/log.h>
#include <cairn/sched.h>
#include "pthread_priv.h"

/* The one process's pid (lib/posix-process's getpid(); see pthread.c). */
#define IMAGE_PID	1

/* What picolibc's <time.h> (and lib/time) call it, hidden without
 * _POSIX_THREAD_CPUTIME. */
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID	3
#endif

#define LINUX_NAME_MAX	16	/* TASK_COMM_LEN, with the NUL */

static int exists(pthread_t t)
{
	unsigned long flags = cn_big_lock();
	int there = cn_pthread_exists(t);

	cn_big_unlock(flags);
	return there;
}

/* Linux's priority range of policy; -1 for a policy it does not know. */
static int policy_range(int policy, int *min, int *max)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		*min = 1;
		*max = 99;
		return 0;
	case SCHED_OTHER:
#ifdef SCHED_BATCH
	case SCHED_BATCH:
	case SCHED_IDLE:
#endif
		*min = 0;
		*max = 0;
		return 0;
	}
	return -1;
}

/* 0 when Cairn can give policy/prio (it has it already), else errno. */
static int sched_request(int policy, const struct sched_param *p)
{
	int min, max;

	if (!p || policy_range(policy, &min, &max) ||
	    p->sched_priority < min || p->sched_priority > max)
		return EINVAL;
	return policy == SCHED_OTHER ? 0 : EPERM;
}

int sched_get_priority_max(int policy)
{
	int min, max;

	if (policy_range(policy, &min, &max)) {
		errno = EINVAL;
		return -1;
	}
	return max;
}

int sched_get_priority_min(int policy)
{
	int min, max;

	if (policy_range(policy, &min, &max)) {
		errno = EINVAL;
		return -1;
	}
	return min;
}

static int fail(int e)
{
	errno = e;
	return -1;
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *p)
{
	int rc;

	if (pid < 0 || !p)
		return fail(EINVAL);
	if (pid != 0 && pid != IMAGE_PID)
		return fail(ESRCH);
	rc = sched_request(policy, p);
	/* Linux returns the previous policy. */
	return rc ? fail(rc) : SCHED_OTHER;
}

int sched_getscheduler(pid_t pid)
{
	if (pid < 0)
		return fail(EINVAL);
	if (pid != 0 && pid != IMAGE_PID)
		return fail(ESRCH);
	return SCHED_OTHER;
}

int sched_setparam(pid_t pid, const struct sched_param *p)
{
	int rc;

	if (pid < 0 || !p)
		return fail(EINVAL);
	if (pid != 0 && pid != IMAGE_PID)
		return fail(ESRCH);
	rc = sched_request(SCHED_OTHER, p);
	return rc ? fail(rc) : 0;
}

int sched_getparam(pid_t pid, struct sched_param *p)
{
	if (pid < 0 || !p)
		return fail(EINVAL);
	if (pid != 0 && pid != IMAGE_PID)
		return fail(ESRCH);
	memset(p, 0, sizeof(*p));
	return 0;
}

int pthread_yield(void)
{
	cn_thread_yield();
	return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *a, size_t size)
{
	a->guardsize = size;	/* recorded: the guard is one page */
	return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *a, size_t *size)
{
	*size = a->guardsize;
	return 0;
}

int pthread_attr_setstack(pthread_attr_t *a, void *addr, size_t size)
{
	if (size < PTHREAD_STACK_MIN)
		return EINVAL;
	a->stackaddr = addr;
	a->stacksize = size;
	return 0;
}

int pthread_attr_getstack(const pthread_attr_t *a, void **addr,
			  size_t *size)
{
	*addr = a->stackaddr;
	return pthread_attr_getstacksize(a, size);
}

int pthread_attr_setschedpolicy(pthread_attr_t *a, int policy)
{
	/* The policies glibc takes here. */
	if (policy != SCHED_OTHER && policy != SCHED_FIFO &&
	    policy != SCHED_RR)
		return EINVAL;
	a->policy = policy;
	return 0;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *a, int *policy)
{
	*policy = a->policy;
	return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *a,
			       const struct sched_param *p)
{
	int min = 0, max = 0;

	policy_range(a->policy, &min, &max);	/* a policy set is known */
	if (!p || p->sched_priority < min || p->sched_priority > max)
		return EINVAL;
	a->priority = p->sched_priority;
	return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *a,
			       struct sched_param *p)
{
	memset(p, 0, sizeof(*p));
	p->sched_priority = a->priority;
	return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *a, int inherit)
{
	if (inherit != PTHREAD_INHERIT_SCHED &&
	    inherit != PTHREAD_EXPLICIT_SCHED)
		return EINVAL;
	a->inheritsched = inherit;
	return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *a, int *inherit)
{
	*inherit = a->inheritsched;
	return 0;
}

int pthread_attr_setscope(pthread_attr_t *a, int scope)
{
	if (scope == PTHREAD_SCOPE_PROCESS)
		return ENOTSUP;		/* as Linux */
	if (scope != PTHREAD_SCOPE_SYSTEM)
		return EINVAL;
	a->scope = scope;
	return 0;
}

int pthread_attr_getscope(const pthread_attr_t *a, int *scope)
{
	*scope = a->scope;
	return 0;
}

/*
 * The detach state is not known to lib/sched's public interface: it is
 * reported joinable. main's boot stack has no known base: address NULL,
 * size 0.
 */
int pthread_getattr_np(pthread_t t, pthread_attr_t *a)
{
	if (!exists(t))
		return ESRCH;
	pthread_attr_init(a);
	a->stacksize = cn_thread_stack_size(t);
	a->stackaddr = cn_thread_stack_base(t);
	a->cpu_mask = cn_thread_affinity(t);
	return 0;
}

int pthread_getschedparam(pthread_t t, int *policy, struct sched_param *p)
{
	if (!exists(t))
		return ESRCH;
	*policy = SCHED_OTHER;
	memset(p, 0, sizeof(*p));
	return 0;
}

int pthread_setschedparam(pthread_t t, int policy,
			  const struct sched_param *p)
{
	if (!exists(t))
		return ESRCH;
	return sched_request(policy, p);
}

int pthread_setname_np(pthread_t t, const char *name)
{
	if (!name)
		return EINVAL;
	if (strlen(name) >= LINUX_NAME_MAX)
		return ERANGE;
	if (!exists(t))
		return ESRCH;
	return -cn_thread_set_name(t, name);
}

int pthread_getname_np(pthread_t t, char *buf, size_t len)
{
	unsigned long flags;
	int rc = 0;

	if (!buf || len < LINUX_NAME_MAX)
		return ERANGE;		/* glibc asks for 16 bytes, always */
	flags = cn_big_lock();
	if (cn_pthread_exists(t)) {
		strncpy(buf, cn_thread_name(t), LINUX_NAME_MAX - 1);
		buf[LINUX_NAME_MAX - 1] = '\0';
	} else {
		rc = ESRCH;
	}
	cn_big_unlock(flags);
	return rc;
}

int pthread_getcpuclockid(pthread_t t, clockid_t *clock)
{
	static int said;

	if (t == cn_thread_current()) {
		*clock = CLOCK_THREAD_CPUTIME_ID;
		return 0;
	}
	if (!exists(t))
		return ESRCH;
	if (!said) {
		said = 1;
		cn_pr_warn("pthread_getcpuclockid() of another thread is not "
			   "supported: ENOENT");
	}
	return ENOENT;
}

int pthread_atfork(void (*prepare)(void), void (*parent)(void),
		   void (*child)(void))
{
	/* No fork() exists, so none of these could ever be called. */
	(void)prepare, (void)parent, (void)child;
	return 0;
}
