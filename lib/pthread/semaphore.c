/* SPDX-License-Identifier: BSD-3-Clause */
/* POSIX unnamed semaphores on cn_sem (errno and -1 on failure). */
#include <errno.h>
#include <semaphore.h>
#include <stdint.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include "pthread_priv.h"

static int fail(int rc)
{
	errno = rc;
	return -1;
}

int sem_init(sem_t *s, int pshared, unsigned int value)
{
	if (value > SEM_VALUE_MAX)
		return fail(EINVAL);
	if (pshared)
		return fail(ENOSYS);		/* one address space */
	cn_sem_init(&s->s, value);
	return 0;
}

int sem_destroy(sem_t *s)
{
	return s->s.waiters.head ? fail(EBUSY) : 0;
}

/* sem_wait and sem_timedwait are cancellation points on entry and on
 * return (a request does not wake a thread waiting for a token). */
int sem_wait(sem_t *s)
{
	int rc;

	cn_pthread_cancel_point();
	rc = cn_pthread_sem_block(&s->s, 0);
	cn_pthread_cancel_point();
	return rc ? fail(-rc) : 0;
}

int sem_trywait(sem_t *s)
{
	return cn_sem_trywait(&s->s) ? fail(EAGAIN) : 0;
}

int sem_timedwait(sem_t *s, const struct timespec *abs)
{
	struct timespec now;
	int64_t left;
	int rc;

	if (!abs || abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000)
		return fail(EINVAL);
	cn_pthread_cancel_point();
	clock_gettime(CLOCK_REALTIME, &now);
	left = (int64_t)(abs->tv_sec - now.tv_sec) * 1000000000 +
	       (abs->tv_nsec - now.tv_nsec);
	rc = cn_pthread_sem_block(&s->s, cn_time_ns() +
				  (left > 0 ? (uint64_t)left : 1));
	cn_pthread_cancel_point();
	return rc ? fail(-rc) : 0;
}

int sem_post(sem_t *s)
{
	cn_sem_post(&s->s);
	return 0;
}

int sem_getvalue(sem_t *s, int *value)
{
	*value = (int)s->s.count;
	return 0;
}
