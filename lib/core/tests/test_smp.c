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
#include <cairn/cpu.h>
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
