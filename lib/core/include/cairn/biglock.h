/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The big lock: what every interrupts-off section of the single-CPU
 * design becomes with SMP (doc/architecture.md, "SMP and locking"). A
 * section that protected shared state by turning this CPU's interrupts
 * off now also holds one global lock, so it excludes the other CPUs too;
 * code outside the sections (an application's computation, most of a
 * library's work) runs on every CPU in parallel.
 *
 * It keeps the semantics those sections had, which is why it is safe to
 * put in their place without reading each one again:
 * - recursive per CPU: a section may call code that opens another one
 *   (cn_waitq_wake_one() inside a driver's section);
 * - interrupt handlers run inside it (the architecture's dispatch takes
 *   it), as they ran atomically with respect to interrupts-off sections;
 * - a thread that blocks inside a section (cn_waitq_wait()) releases it
 *   at the switch (the scheduler keeps the depth in the thread) and
 *   finds it held again, as deep, when it continues, so the section
 *   looks atomic to it as it did on one CPU; the scheduler itself has
 *   its own lock (lib/sched), taken after this one when both are held.
 *
 * Without CONFIG_SMP it is exactly the interrupt-flag save and restore
 * the sections used before: single-CPU images do not change.
 *
 * Any context. Never wait for another CPU (cn_cpu_call_wait()) while
 * holding it: that CPU may be spinning for it with interrupts off.
 */
#ifndef CAIRN_BIGLOCK_H
#define CAIRN_BIGLOCK_H

#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/lockorder.h>

/*
 * How much the big lock is used, summed over the CPUs: outermost
 * acquisitions, and those whose first try found another CPU holding it
 * (then it spun), and those in which the waiter gave up spinning and
 * halted until the holder kicked it (architectures with
 * CN_ARCH_HAVE_LOCK_SLEEP: a holder the host was not running). Each CPU counts its own, so
 * reading them while others run gives a count that may be a few behind.
 * Without SMP all are 0.
 */
struct cn_big_stats {
	uint64_t taken, contended, slept;
};

#ifdef CONFIG_SMP
void cn_big_stats_read(struct cn_big_stats *st);

/*
 * Interrupts off, then the lock; returns the flags for cn_big_unlock().
 * cn_big_lock_at() names the call site for the lock-order checker
 * (<cairn/lockorder.h>), which cn_big_lock() does by itself when the
 * checker is on.
 */
unsigned long cn_big_lock(void);
unsigned long cn_big_lock_at(const char *site);
void cn_big_unlock(unsigned long flags);
#ifdef CONFIG_LOCK_ORDER_CHECK
#define cn_big_lock()	cn_big_lock_at(CN_LOCK_SITE)
#endif

/*
 * For the scheduler (interrupts off). The calling CPU's depth (0: it does
 * not hold the lock); set it after a switch; release the lock whatever
 * the depth, returning it; take it back with a depth.
 */
unsigned int cn_big_depth(void);
void cn_big_set_depth(unsigned int depth);
unsigned int cn_big_release_all(void);
void cn_big_reacquire(unsigned int depth);
#else
static inline void cn_big_stats_read(struct cn_big_stats *st)
{
	st->taken = st->contended = st->slept = 0;
}

static inline unsigned long cn_big_lock(void)
{
	return cn_arch_irq_save();
}

static inline void cn_big_unlock(unsigned long flags)
{
	cn_arch_irq_restore(flags);
}

static inline unsigned int cn_big_depth(void)
{
	return 0;
}

static inline void cn_big_set_depth(unsigned int depth)
{
	(void)depth;
}

static inline unsigned int cn_big_release_all(void)
{
	return 0;
}

static inline void cn_big_reacquire(unsigned int depth)
{
	(void)depth;
}
#endif

#endif
