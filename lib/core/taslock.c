/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-and-set locks whose waiters halt (<cairn/taslock.h>). */
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/taslock.h>

#ifdef CN_ARCH_HAVE_LOCK_SLEEP
/*
 * A waiter that has spun this many times without the lock halts until
 * the holder's release kicks it (cn_arch_lock_sleep()). What every
 * release pays for it: an exchange instead of a store, and a look at the
 * sleepers word. Under TCG a spin with `pause` costs about a
 * microsecond, so 100 is about 100 us (2,000 slept only after
 * milliseconds and gained little; doc/bench/smp.md).
 */
#define SPINS_BEFORE_SLEEP	100
_Static_assert(CONFIG_NR_CPUS <= 64, "one bit per CPU in sleepers");

static unsigned int tas_wait(struct cn_tas_lock *l)
{
	struct cn_cpu *c = cn_cpu_self();
	unsigned int spins = 0, slept = 0;

	while (__atomic_load_n(&l->word, __ATOMIC_RELAXED)) {
		if (++spins < SPINS_BEFORE_SLEEP) {
			cn_arch_cpu_relax();
			continue;
		}
		c->lock_kicked = 0;
		__atomic_fetch_or(&l->sleepers, 1ull << c->id,
				  __ATOMIC_SEQ_CST);
		cn_arch_lock_sleep(&l->word);
		__atomic_fetch_and(&l->sleepers, ~(1ull << c->id),
				   __ATOMIC_SEQ_CST);
		slept = CN_TAS_SLEPT;
		spins = 0;
	}
	return slept;
}

void cn_tas_release(struct cn_tas_lock *l)
{
	uint64_t s;

	/* A full barrier between the store and the look at sleepers. */
	__atomic_exchange_n(&l->word, 0, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&l->sleepers, __ATOMIC_SEQ_CST))
		return;
	s = __atomic_exchange_n(&l->sleepers, 0, __ATOMIC_SEQ_CST);
	while (s) {
		unsigned int i = (unsigned int)__builtin_ctzll(s);

		s &= s - 1;
		cn_arch_lock_kick(&cn_cpus[i]);
	}
}
#else
static unsigned int tas_wait(struct cn_tas_lock *l)
{
#ifdef CN_ARCH_HAVE_SPIN_WAIT
	cn_arch_spin_wait_eq32(&l->word, 0);	/* arm64: WFE */
#else
	while (__atomic_load_n(&l->word, __ATOMIC_RELAXED))
		cn_arch_cpu_relax();
#endif
	return 0;
}

void cn_tas_release(struct cn_tas_lock *l)
{
	__atomic_store_n(&l->word, 0, __ATOMIC_RELEASE);
}
#endif

unsigned int cn_tas_acquire(struct cn_tas_lock *l)
{
	unsigned int r = 0;

	if (!__atomic_exchange_n(&l->word, 1, __ATOMIC_ACQUIRE))
		return 0;
	r = CN_TAS_CONTENDED;
	while (__atomic_exchange_n(&l->word, 1, __ATOMIC_ACQUIRE))
		r |= tas_wait(l);
	return r;
}

int cn_tas_try(struct cn_tas_lock *l)
{
	return !__atomic_load_n(&l->word, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&l->word, 1, __ATOMIC_ACQUIRE);
}
