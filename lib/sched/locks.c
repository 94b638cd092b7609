/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's retargetable locks on Cairn mutexes, so stdio and the other
 * shared C library state are safe with several threads. All of them are
 * defined here (with the global lock object), so picolibc's no-op
 * versions are never linked. A lock is a recursive-capable mutex; the
 * non-recursive calls simply never nest.
 */
#include <stdlib.h>
#include <sys/lock.h>
#include <cairn/sync.h>

struct __lock {
	struct cn_mutex m;
};

struct __lock __lock___libc_recursive_mutex = {
	CN_MUTEX_INIT_RECURSIVE
};

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(**lock));
	if (*lock)
		cn_mutex_init(&(*lock)->m, 0);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(**lock));
	if (*lock)
		cn_mutex_init(&(*lock)->m, CN_MUTEX_RECURSIVE);
}

void __retarget_lock_close(_LOCK_T lock)
{
	if (lock != &__lock___libc_recursive_mutex)
		free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	__retarget_lock_close(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (lock)
		cn_mutex_lock(&lock->m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	__retarget_lock_acquire(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock)
		cn_mutex_unlock(&lock->m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	__retarget_lock_release(lock);
}
