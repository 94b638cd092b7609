/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Spinlocks: mutual exclusion between CPUs for short sections that must
 * not sleep. Ticket locks: each locker takes the next ticket and spins
 * until the owner field reaches it, so CPUs get the lock in the order
 * they asked for it (no starvation under contention, unlike a plain
 * test-and-set).
 *
 * Rules (doc/architecture.md, "SMP and locking"):
 * - A holder never blocks, sleeps or yields, and holds for a short time.
 * - A lock that an interrupt handler also takes is always taken with
 *   cn_spin_lock_irqsave() outside handlers; otherwise the handler could
 *   interrupt its own CPU's holder and spin forever.
 * - Not recursive: taking a lock one already holds spins forever.
 *
 * With CONFIG_SMP off there is one CPU: the plain variants compile to
 * nothing and the irqsave ones to the interrupt-flag save and restore
 * that every single-CPU section already used, so single-CPU images pay
 * nothing. The bodies use the compiler's __atomic builtins, which GCC
 * turns into the architecture's atomic instructions (lock xadd on
 * x86_64, ldaxr/stlxr on arm64, the unlock a store-release STLR); the
 * wait is the architecture's cn_arch_spin_wait_eq32() where it has one
 * (arm64: LDAXR + WFE, woken by the holder's store), otherwise a loop
 * with cn_arch_cpu_relax().
 *
 * Every function here may be called from any context, interrupt handlers
 * included (with the irqsave rule above). With CONFIG_LOCK_ORDER_CHECK
 * each lock and unlock also tells the lock-order checker
 * (<cairn/lockorder.h>), which reports two locks taken in both orders.
 */
#ifndef CAIRN_SPINLOCK_H
#define CAIRN_SPINLOCK_H

#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/lockorder.h>

#ifdef CONFIG_SMP

struct cn_spinlock {
	uint32_t next;		/* the ticket the next locker takes */
	uint32_t owner;		/* the ticket that holds the lock */
};
#define CN_SPINLOCK_INIT	{ 0, 0 }

static inline void cn_spin_init(struct cn_spinlock *l)
{
	cn_lockorder_forget(l);
	l->next = 0;
	l->owner = 0;
}

static inline void cn_spin_lock_at(struct cn_spinlock *l, const char *site)
{
	uint32_t ticket;

	cn_lockorder_acquire(l, site, 0);
	ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	/* Acquire: the holder's section is seen complete before ours. */
#ifdef CN_ARCH_HAVE_SPIN_WAIT
	cn_arch_spin_wait_eq32(&l->owner, ticket);	/* arm64: WFE */
#else
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cn_arch_cpu_relax();
#endif
}

/* Takes the lock only if nobody holds or waits for it: 1 taken, 0 not. */
static inline int cn_spin_trylock_at(struct cn_spinlock *l, const char *site)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t expect = owner;

	if (!__atomic_compare_exchange_n(&l->next, &expect, owner + 1, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	cn_lockorder_acquire(l, site, 1);
	return 1;
}

static inline void cn_spin_unlock(struct cn_spinlock *l)
{
	cn_lockorder_release(l);
	/* Only the holder writes owner: a plain increment, released. */
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

/* 1 if some CPU holds l (a snapshot, for assertions and reports). */
static inline int cn_spin_is_locked(struct cn_spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

#else /* !CONFIG_SMP: one CPU, nothing to exclude but interrupts */

struct cn_spinlock {
};
#define CN_SPINLOCK_INIT	{ }

static inline void cn_spin_init(struct cn_spinlock *l)
{
	(void)l;
}

static inline void cn_spin_lock_at(struct cn_spinlock *l, const char *site)
{
	(void)l, (void)site;
	__asm__ volatile("" : : : "memory");
}

static inline int cn_spin_trylock_at(struct cn_spinlock *l, const char *site)
{
	(void)l, (void)site;
	__asm__ volatile("" : : : "memory");
	return 1;
}

static inline void cn_spin_unlock(struct cn_spinlock *l)
{
	(void)l;
	__asm__ volatile("" : : : "memory");
}

static inline int cn_spin_is_locked(struct cn_spinlock *l)
{
	(void)l;
	return 0;
}

#endif /* CONFIG_SMP */

/*
 * The interrupt-safe variants: this CPU's interrupts off, then the lock.
 * Returns the flags word for cn_spin_unlock_irqrestore().
 */
static inline unsigned long cn_spin_lock_irqsave_at(struct cn_spinlock *l,
						    const char *site)
{
	unsigned long flags = cn_arch_irq_save();

	cn_spin_lock_at(l, site);
	return flags;
}

/*
 * The calls: macros, so that the lock-order checker (<cairn/lockorder.h>)
 * learns where each lock was taken; without it the site is never used
 * and compiles away.
 */
#define cn_spin_lock(l)		cn_spin_lock_at((l), CN_LOCK_SITE)
#define cn_spin_trylock(l)	cn_spin_trylock_at((l), CN_LOCK_SITE)
#define cn_spin_lock_irqsave(l)	cn_spin_lock_irqsave_at((l), CN_LOCK_SITE)

static inline void cn_spin_unlock_irqrestore(struct cn_spinlock *l,
					     unsigned long flags)
{
	cn_spin_unlock(l);
	cn_arch_irq_restore(flags);
}

#endif
