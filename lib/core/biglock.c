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

#define NO_OWNER	(~0u)

static uint32_t big;
static unsigned int owner = NO_OWNER;

/*
 * Test and test-and-set rather than a ticket lock: under TCG the vCPUs
 * are host threads, usually more of them than host cores, and a ticket
 * lock hands the lock to the next ticket even when that vCPU's thread is
 * not running, stalling every CPU behind it (measured: the unit tests'
 * producer/consumer case with the preemptive policy on 4 vCPUs over 2
 * loaded cores went from minutes to seconds). This one goes to whichever
 * CPU runs. The big lock's sections are short, so starvation is not seen.
 */
#ifdef CN_ARCH_HAVE_LOCK_SLEEP
/*
 * A waiter that has spun this many times without the lock halts until
 * the holder's release kicks it (cn_arch_lock_sleep(), the protocol in
 * arch/x86_64/locksleep.c). A section held that long means, under a
 * hypervisor or TCG, a holder whose vCPU the host is not running (more
 * vCPUs than host cores): spinning on would take a host core from it.
 * What every release pays for it: an exchange instead of a store, and a
 * look at the sleepers word.
 */
#define SPINS_BEFORE_SLEEP	100
static uint64_t sleepers;	/* bit n: CPU n halted waiting */
_Static_assert(CONFIG_NR_CPUS <= 64, "one bit per CPU in sleepers");

static void big_wait(struct cn_cpu *c)
{
	unsigned int spins = 0;

	while (__atomic_load_n(&big, __ATOMIC_RELAXED)) {
		if (++spins < SPINS_BEFORE_SLEEP) {
			cn_arch_cpu_relax();
			continue;
		}
		c->lock_kicked = 0;
		__atomic_fetch_or(&sleepers, 1ull << c->id, __ATOMIC_SEQ_CST);
		cn_arch_lock_sleep(&big);
		__atomic_fetch_and(&sleepers, ~(1ull << c->id),
				   __ATOMIC_SEQ_CST);
		c->big_slept++;
		spins = 0;
	}
}

static void big_release(void)
{
	uint64_t s;

	/* A full barrier between the store and the look at sleepers. */
	__atomic_exchange_n(&big, 0, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&sleepers, __ATOMIC_SEQ_CST))
		return;
	s = __atomic_exchange_n(&sleepers, 0, __ATOMIC_SEQ_CST);
	while (s) {
		unsigned int i = (unsigned int)__builtin_ctzll(s);

		s &= s - 1;
		cn_arch_lock_kick(&cn_cpus[i]);
	}
}
#else
static void big_wait(struct cn_cpu *c)
{
	(void)c;
#ifdef CN_ARCH_HAVE_SPIN_WAIT
	cn_arch_spin_wait_eq32(&big, 0);	/* arm64: WFE */
#else
	while (__atomic_load_n(&big, __ATOMIC_RELAXED))
		cn_arch_cpu_relax();
#endif
}

static void big_release(void)
{
	__atomic_store_n(&big, 0, __ATOMIC_RELEASE);
}
#endif

/*
 * Counted per CPU by the CPU that takes it, so the counts share no line:
 * outermost acquisitions, and those whose first try found it held.
 */
static void big_acquire(struct cn_cpu *c)
{
	c->big_taken++;
	if (!__atomic_exchange_n(&big, 1, __ATOMIC_ACQUIRE))
		return;
	c->big_contended++;
	while (__atomic_exchange_n(&big, 1, __ATOMIC_ACQUIRE))
		big_wait(c);
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
		big_release();
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
		big_release();
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
