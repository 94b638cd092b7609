/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The big lock (<cairn/biglock.h>): a spinlock, the CPU that owns it, and
 * a depth per CPU (in its struct cn_cpu). Only the owner changes
 * the depth or the owner; other CPUs compare the owner with their own id,
 * which it can never equal unless they own it, so a stale read is
 * harmless.
 */
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/panic.h>
#include <cairn/taslock.h>

#define NO_OWNER	(~0u)

static unsigned int owner = NO_OWNER;

/*
 * A test-and-set lock rather than a ticket lock, whose waiters halt on
 * x86_64 (<cairn/taslock.h> says why). Counted per CPU by the CPU that
 * takes it, so the counts share no line: outermost acquisitions, those
 * whose first try found it held, and those that halted waiting.
 */
static struct cn_tas_lock big = CN_TAS_LOCK_INIT;

static void big_acquire(struct cn_cpu *c)
{
	unsigned int r;

	c->big_taken++;
	r = cn_tas_acquire(&big);
	if (r & CN_TAS_CONTENDED)
		c->big_contended++;
#ifdef CN_ARCH_HAVE_LOCK_SLEEP
	if (r & CN_TAS_SLEPT)
		c->big_slept++;
#endif
}

unsigned long cn_big_lock_at(const char *site)
{
	unsigned long flags = cn_arch_irq_save();
	struct cn_cpu *c = cn_cpu_self();

	if (__atomic_load_n(&owner, __ATOMIC_RELAXED) == c->id) {
		c->big_depth++;
		return flags;
	}
	cn_lockorder_acquire(&big, site ? site : "cn_big_lock()", 0);
	big_acquire(c);
	__atomic_store_n(&owner, c->id, __ATOMIC_RELAXED);
	c->big_depth = 1;
	return flags;
}

void cn_big_unlock(unsigned long flags)
{
	struct cn_cpu *c = cn_cpu_self();

	/* An unbalanced unlock would corrupt every CPU's view: stop here. */
	if (!c->big_depth || owner != c->id)
		cn_panic("big lock released on CPU %u, which does not hold it "
			 "(depth %u)", c->id, c->big_depth);
	if (--c->big_depth == 0) {
		__atomic_store_n(&owner, NO_OWNER, __ATOMIC_RELAXED);
		cn_lockorder_release(&big);
		cn_tas_release(&big);
	}
	cn_arch_irq_restore(flags);
}

/* The exported function, for callers built without the site macro. */
unsigned long (cn_big_lock)(void)
{
	return cn_big_lock_at(NULL);
}

unsigned int cn_big_depth(void)
{
	return cn_cpu_self()->big_depth;
}

void cn_big_set_depth(unsigned int depth)
{
	cn_cpu_self()->big_depth = depth;
}

unsigned int cn_big_release_all(void)
{
	struct cn_cpu *c = cn_cpu_self();
	unsigned int depth = c->big_depth;

	if (__atomic_load_n(&owner, __ATOMIC_RELAXED) == c->id) {
		c->big_depth = 0;
		__atomic_store_n(&owner, NO_OWNER, __ATOMIC_RELAXED);
		cn_lockorder_release(&big);
		cn_tas_release(&big);
	}
	return depth;
}

void cn_big_reacquire(unsigned int depth)
{
	struct cn_cpu *c = cn_cpu_self();

	if (!depth)
		return;
	cn_lockorder_acquire(&big, "the scheduler, after a switch", 0);
	big_acquire(c);
	__atomic_store_n(&owner, c->id, __ATOMIC_RELAXED);
	c->big_depth = depth;
}

void cn_big_stats_read(struct cn_big_stats *st)
{
	unsigned int i;

	st->taken = st->contended = st->slept = 0;
	for (i = 0; i < cn_cpu_count(); i++) {
		st->taken += cn_cpus[i].big_taken;
		st->contended += cn_cpus[i].big_contended;
#ifdef CN_ARCH_HAVE_LOCK_SLEEP
		st->slept += cn_cpus[i].big_slept;
#endif
	}
}
