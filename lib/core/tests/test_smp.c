/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/core: the per-CPU areas, cross-CPU calls and spinlocks. They run on
 * however many CPUs the image has (and on any of them: with SMP the test
 * thread itself may run on any CPU) (tests/test_smp.py boots the unit image
 * built with SMP on 1, 2 and 4 CPUs; without SMP there is CPU 0 only):
 * each CPU's work is checked by what it leaves behind.
 */
#include <errno.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/cpu.h>
#include <cairn/plat.h>
#include <cairn/spinlock.h>
#include <cairn/test.h>

#define ROUNDS	2000

CN_TEST(smp, every_cpu_has_its_own_area)
{
	unsigned long flags = cn_arch_irq_save();	/* stay on one CPU */
	unsigned int i, me = cn_cpu_id();
	struct cn_cpu *self = cn_cpu_self();

	cn_arch_irq_restore(flags);
	CN_ASSERT_TRUE(cn_cpu_count() >= 1);
	CN_ASSERT_TRUE(me < cn_cpu_count());
	CN_EXPECT_TRUE(self == &cn_cpus[me]);
	CN_EXPECT_EQ(cn_cpu_online(), cn_cpu_count());
	for (i = 0; i < cn_cpu_count(); i++) {
		CN_EXPECT_TRUE(cn_cpus[i].self == &cn_cpus[i]);
		CN_EXPECT_EQ(cn_cpus[i].id, i);
		CN_EXPECT_EQ((int)cn_cpus[i].state, (int)CN_CPU_ONLINE);
	}
}

static void record_cpu(void *arg)
{
	*(volatile unsigned int *)arg = cn_cpu_id();
}

CN_TEST(smp, a_call_runs_on_the_cpu_it_names)
{
	unsigned int i;

	for (i = 0; i < cn_cpu_count(); i++) {
		volatile unsigned int where = 9999;

		CN_EXPECT_EQ(cn_cpu_call(i, record_cpu, (void *)&where), 0);
		CN_EXPECT_EQ(where, i);
	}
}

CN_TEST(smp, a_call_to_no_cpu_is_refused)
{
	unsigned int where;

	CN_EXPECT_EQ(cn_cpu_call(cn_cpu_count(), record_cpu, &where),
		     -EINVAL);
	CN_EXPECT_EQ(cn_cpu_call(0, NULL, NULL), -EINVAL);
}

struct contend {
	struct cn_spinlock lock;
	unsigned long count;		/* plain: only the lock protects it */
	int inside;
	unsigned long overlaps;
};

/* ROUNDS increments under the lock; an overlap is two CPUs inside. */
static void contend(void *arg)
{
	struct contend *c = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		unsigned long flags = cn_spin_lock_irqsave(&c->lock);

		if (__atomic_exchange_n(&c->inside, 1, __ATOMIC_RELAXED))
			c->overlaps++;
		c->count++;
		__atomic_store_n(&c->inside, 0, __ATOMIC_RELAXED);
		cn_spin_unlock_irqrestore(&c->lock, flags);
	}
}

CN_TEST(smp, a_spinlock_excludes_every_other_cpu)
{
	static struct contend c = { .lock = CN_SPINLOCK_INIT };
	unsigned int i, n = cn_cpu_count();

	/* The caller's own CPU runs its share inline, the others at once. */
	for (i = 0; i < n; i++)
		CN_ASSERT_EQ(cn_cpu_call_async(i, contend, &c), 0);
	for (i = 0; i < n; i++)
		cn_cpu_call_wait(i);
	CN_EXPECT_EQ(c.count, (unsigned long)ROUNDS * n);
	CN_EXPECT_EQ(c.overlaps, 0ul);
	CN_EXPECT_FALSE(cn_spin_is_locked(&c.lock));
}

CN_TEST(smp, trylock_fails_while_held)
{
	struct cn_spinlock l = CN_SPINLOCK_INIT;

	CN_ASSERT_EQ(cn_spin_trylock(&l), 1);
#ifdef CONFIG_SMP
	CN_EXPECT_EQ(cn_spin_trylock(&l), 0);
	CN_EXPECT_TRUE(cn_spin_is_locked(&l));
#endif
	cn_spin_unlock(&l);
	CN_EXPECT_FALSE(cn_spin_is_locked(&l));
	CN_EXPECT_EQ(cn_spin_trylock(&l), 1);
	cn_spin_unlock(&l);
}

CN_TEST(smp, irqsave_turns_interrupts_off_and_back)
{
	struct cn_spinlock l = CN_SPINLOCK_INIT;
	int was = cn_arch_irqs_enabled();
	unsigned long flags = cn_spin_lock_irqsave(&l);

	CN_EXPECT_EQ(cn_arch_irqs_enabled(), 0);
	cn_spin_unlock_irqrestore(&l, flags);
	CN_EXPECT_EQ(cn_arch_irqs_enabled(), was);
}

#ifdef CONFIG_SMP
struct big_waiter {
	volatile int started, got;
};

static void take_big(void *arg)
{
	struct big_waiter *w = arg;
	unsigned long flags;

	w->started = 1;
	flags = cn_big_lock();
	w->got = 1;
	cn_big_unlock(flags);
}

static uint64_t ms_since(uint64_t t0)
{
	return cn_plat_cycles_to_ns(cn_arch_cycles() - t0) / 1000000;
}

/*
 * Another CPU waits for the big lock while this one holds it for 20 ms:
 * far past the spins after which a waiter halts where the architecture
 * can (CN_ARCH_HAVE_LOCK_SLEEP: x86_64 halts and is kicked by an NMI).
 * It must get the lock once it is released (a lost kick would hang the
 * call) and, where it can sleep, have slept.
 */
CN_TEST(smp, a_long_wait_for_the_big_lock_ends_when_it_is_freed)
{
	static struct big_waiter w;
	struct cn_big_stats before, after;
	unsigned long flags;
	unsigned int other;
	uint64_t t0;

	if (cn_cpu_count() < 2)
		return;			/* nobody to wait */
	w.started = w.got = 0;
	flags = cn_big_lock();		/* interrupts off: this CPU stays */
	other = cn_cpu_id() ? 0 : 1;
	cn_big_stats_read(&before);
	CN_ASSERT_EQ(cn_cpu_call_async(other, take_big, &w), 0);
	t0 = cn_arch_cycles();
	while (!w.started && ms_since(t0) < 2000)
		cn_arch_cpu_relax();
	t0 = cn_arch_cycles();
	while (ms_since(t0) < 20)
		cn_arch_cpu_relax();
	CN_EXPECT_EQ(w.got, 0);		/* it waits while this CPU holds it */
	cn_big_unlock(flags);
	cn_cpu_call_wait(other);
	CN_EXPECT_EQ(w.started, 1);
	CN_EXPECT_EQ(w.got, 1);
	cn_big_stats_read(&after);
	CN_EXPECT_TRUE(after.contended > before.contended);
#ifdef CN_ARCH_HAVE_LOCK_SLEEP
	CN_EXPECT_TRUE(after.slept > before.slept);
#endif
}
#endif
