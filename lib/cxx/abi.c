/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The parts of the C++ ABI (the Itanium C++ ABI that g++ follows on
 * x86_64 and aarch64) that are the system's to provide, whatever the
 * exception setting:
 *
 *  - __cxa_guard_acquire/release/abort: a function-local static is
 *    initialised once even when several threads reach it. The first byte
 *    of the guard says "done" (read without the lock on the fast path);
 *    one recursive lock serialises initialisations, so an initialiser may
 *    itself start another (nested statics) in the same thread.
 *  - __cxa_pure_virtual, __cxa_deleted_virtual: a call through a vtable
 *    slot that has no function is a programmer error: the crash report.
 *
 * __cxa_atexit and __dso_handle come from picolibc (global destructors
 * run at exit()); constructors run from lib/picolibc at the app level.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/lock.h>
#include <cairn/init.h>
#include <cairn/panic.h>
#include "cxx_priv.h"

int __cxa_guard_acquire(uint64_t *guard);
void __cxa_guard_release(uint64_t *guard);
void __cxa_guard_abort(uint64_t *guard);
void __cxa_pure_virtual(void);
void __cxa_deleted_virtual(void);

static _LOCK_T guard_lock;

/* Before this runs (init level LIB) no thread but the boot one exists
 * and no C++ code has run: the NULL lock is a no-op until then. */
static int cxx_guard_init(void)
{
	__lock_init_recursive(guard_lock);
#ifdef CONFIG_LIB_SCHED
	if (!guard_lock)
		return -ENOMEM;
#endif
	return 0;	/* no threads: picolibc's locks are no-ops (NULL) */
}
CN_INIT_PRIO(cxx_guard_init, CN_INIT_LIB, 0);

static int guard_done(uint64_t *guard)
{
	return __atomic_load_n((uint8_t *)guard, __ATOMIC_ACQUIRE) != 0;
}

/* 1: the caller initialises, then calls release (or abort on a throw);
 * 0: already done. */
int __cxa_guard_acquire(uint64_t *guard)
{
	if (guard_done(guard))
		return 0;
	__lock_acquire_recursive(guard_lock);
	if (guard_done(guard)) {
		__lock_release_recursive(guard_lock);
		return 0;
	}
	return 1;
}

void __cxa_guard_release(uint64_t *guard)
{
	__atomic_store_n((uint8_t *)guard, 1, __ATOMIC_RELEASE);
	__lock_release_recursive(guard_lock);
}

/* The initialiser threw: not done, the next caller tries again. */
void __cxa_guard_abort(uint64_t *guard)
{
	(void)guard;
	__lock_release_recursive(guard_lock);
}

void __cxa_pure_virtual(void)
{
	cn_crash("pure virtual function called");
}

void __cxa_deleted_virtual(void)
{
	cn_crash("deleted virtual function called");
}

void cn_cxx_out_of_memory(size_t size)
{
	cn_crash("operator new: out of memory (%zu bytes)", size);
}

void cn_cxx_fatal(const char *what, const char *msg)
{
	cn_crash("C++ exception %s (exceptions are off): %s", what, msg);
}
