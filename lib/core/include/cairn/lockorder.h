/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lock-order checker (CONFIG_LOCK_ORDER_CHECK, a debug option of SMP
 * images): it remembers, for every pair of locks one CPU ever held at
 * once, which was taken first and where, and reports the first time a
 * CPU takes them the other way round, or closes any longer cycle
 * (A then B, B then C, C then A). Two CPUs doing that at the same moment
 * deadlock; the checker says so the first time the orders meet, on one
 * CPU, whether or not the timing ever made them collide.
 *
 * It watches spinlocks (<cairn/spinlock.h>) and the big lock
 * (<cairn/biglock.h>): with the option on, cn_spin_lock() and its
 * variants are macros that pass their call site ("file.c:123"), and a
 * report names both sites of both orders:
 *
 *	LOCK ORDER: CPU 1 takes lock 0x1f2e40 at lib/x/a.c:88
 *	  while holding lock 0x1f2e80, taken at lib/x/a.c:80;
 *	  before, 0x1f2e40 was held (taken at lib/y/b.c:41) when 0x1f2e80
 *	  was taken at lib/y/b.c:47: the two orders can deadlock.
 *
 * A lock is known by its address: cn_spin_init() forgets what was
 * learnt about a lock at that address, so a lock in memory that is
 * freed and used again for another lock starts clean. Mutexes and
 * semaphores are not watched (a thread blocked on one is a deadlock the
 * scheduler reports when every thread waits). Trylocks are recorded as
 * held but add no order (they never wait). Each pair is reported once.
 *
 * The functions below are the hooks the lock code calls; apps and tests
 * read the count and the last report.
 */
#ifndef CAIRN_LOCKORDER_H
#define CAIRN_LOCKORDER_H

#include <stdint.h>

#define CN_LOCK_STR_(x)	#x
#define CN_LOCK_STR(x)	CN_LOCK_STR_(x)
/* The call site a lock macro passes: "file.c:123". */
#define CN_LOCK_SITE	(__FILE__ ":" CN_LOCK_STR(__LINE__))

#ifdef CONFIG_LOCK_ORDER_CHECK
/* The hooks, any context (they run with this CPU's interrupts off). */
void cn_lockorder_acquire(const void *lock, const char *site, int trylock);
void cn_lockorder_release(const void *lock);
void cn_lockorder_forget(const void *lock);

/* What was found: a count of reports, and the last one's four sites. */
struct cn_lockorder_report {
	const void *held, *taken;	/* now: held, then taken */
	const char *held_site, *taken_site;
	const char *before_first_site;	/* before: taken first, at */
	const char *before_second_site;	/* and then the other, at */
	unsigned int cycle_len;		/* 2 for A-B B-A; more for a cycle */
};
unsigned int cn_lockorder_reports(void);
void cn_lockorder_last(struct cn_lockorder_report *r);
#else
static inline void cn_lockorder_acquire(const void *lock, const char *site,
					int trylock)
{
	(void)lock, (void)site, (void)trylock;
}

static inline void cn_lockorder_release(const void *lock)
{
	(void)lock;
}

static inline void cn_lockorder_forget(const void *lock)
{
	(void)lock;
}
#endif

#endif
