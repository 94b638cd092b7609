/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lock-order checker (CONFIG_LOCK_ORDER_CHECK): orders met in both
 * directions are reported once with the sites of both, one order taken
 * again and again is not, nor a trylock, and cn_spin_init() forgets a
 * lock. The locks are this file's own, so every report these cases
 * cause names this file (tests/test_smp.py checks that the console has
 * no other report: the rest of the image takes its locks in one order).
 * Each case runs with interrupts off, so that a preemptive scheduler
 * cannot move it to another CPU between a lock and its unlock: the
 * checker keeps what each CPU holds.
 */
#include <string.h>
#include <cairn/arch.h>
#include <cairn/lockorder.h>
#include <cairn/spinlock.h>
#include <cairn/test.h>

static struct cn_spinlock a = CN_SPINLOCK_INIT, b = CN_SPINLOCK_INIT,
			  c = CN_SPINLOCK_INIT, d = CN_SPINLOCK_INIT;

static int from_here(const char *site)
{
	return site && strstr(site, "test_lockorder.c:") != NULL;
}

CN_TEST(lockorder, one_order_again_and_again_is_not_reported)
{
	unsigned int before = cn_lockorder_reports();
	int i;
	unsigned long irq = cn_arch_irq_save();

	for (i = 0; i < 3; i++) {
		cn_spin_lock(&a);
		cn_spin_lock(&b);
		cn_spin_unlock(&b);
		cn_spin_unlock(&a);
	}
	CN_EXPECT_EQ(cn_lockorder_reports(), before);
	cn_arch_irq_restore(irq);
}

CN_TEST(lockorder, both_orders_are_reported_once_with_four_sites)
{
	struct cn_lockorder_report r;
	unsigned int before = cn_lockorder_reports();
	int i;
	unsigned long irq = cn_arch_irq_save();

	cn_spin_init(&a);
	cn_spin_init(&b);
	cn_spin_lock(&a);
	cn_spin_lock(&b);
	cn_spin_unlock(&b);
	cn_spin_unlock(&a);
	CN_EXPECT_EQ(cn_lockorder_reports(), before);
	for (i = 0; i < 2; i++) {	/* the second time: no new report */
		unsigned long flags = cn_spin_lock_irqsave(&b);

		cn_spin_lock(&a);
		cn_spin_unlock(&a);
		cn_spin_unlock_irqrestore(&b, flags);
	}
	CN_EXPECT_EQ(cn_lockorder_reports(), before + 1);
	cn_lockorder_last(&r);
	CN_EXPECT_TRUE(r.held == &b);
	CN_EXPECT_TRUE(r.taken == &a);
	CN_EXPECT_EQ(r.cycle_len, 2u);
	CN_EXPECT_TRUE(from_here(r.held_site));
	CN_EXPECT_TRUE(from_here(r.taken_site));
	CN_EXPECT_TRUE(from_here(r.before_first_site));
	CN_EXPECT_TRUE(from_here(r.before_second_site));
	/* Different lines: each site is where that lock was taken. */
	if (r.held_site && r.taken_site && r.before_first_site &&
	    r.before_second_site) {
		CN_EXPECT_TRUE(strcmp(r.held_site, r.taken_site) != 0);
		CN_EXPECT_TRUE(strcmp(r.before_first_site,
				      r.before_second_site) != 0);
		CN_EXPECT_TRUE(strcmp(r.held_site,
				      r.before_second_site) != 0);
	}
	cn_arch_irq_restore(irq);
}

CN_TEST(lockorder, a_cycle_of_three_is_reported)
{
	struct cn_lockorder_report r;
	unsigned int before = cn_lockorder_reports();
	unsigned long irq = cn_arch_irq_save();

	cn_spin_init(&b);
	cn_spin_init(&c);
	cn_spin_init(&d);
	cn_spin_lock(&b);	/* b before c */
	cn_spin_lock(&c);
	cn_spin_unlock(&c);
	cn_spin_unlock(&b);
	cn_spin_lock(&c);	/* c before d */
	cn_spin_lock(&d);
	cn_spin_unlock(&d);
	cn_spin_unlock(&c);
	CN_EXPECT_EQ(cn_lockorder_reports(), before);
	cn_spin_lock(&d);	/* d before b closes the cycle */
	cn_spin_lock(&b);
	cn_spin_unlock(&b);
	cn_spin_unlock(&d);
	CN_EXPECT_EQ(cn_lockorder_reports(), before + 1);
	cn_lockorder_last(&r);
	CN_EXPECT_TRUE(r.held == &d);
	CN_EXPECT_TRUE(r.taken == &b);
	CN_EXPECT_EQ(r.cycle_len, 3u);
	cn_arch_irq_restore(irq);
}

CN_TEST(lockorder, a_trylock_adds_no_order)
{
	unsigned int before = cn_lockorder_reports();
	int got;
	unsigned long irq = cn_arch_irq_save();

	cn_spin_init(&a);
	cn_spin_init(&b);
	cn_spin_lock(&a);
	got = cn_spin_trylock(&b);		/* a then b, by trylock */
	CN_EXPECT_TRUE(got);
	if (got)
		cn_spin_unlock(&b);
	cn_spin_unlock(&a);
	cn_spin_lock(&b);			/* b then a: never waits on a */
	cn_spin_lock(&a);			/* while b is held by trylock */
	cn_spin_unlock(&a);
	cn_spin_unlock(&b);
	CN_EXPECT_EQ(cn_lockorder_reports(), before);
	cn_arch_irq_restore(irq);
}

CN_TEST(lockorder, init_forgets_a_lock)
{
	unsigned int before = cn_lockorder_reports();
	unsigned long irq = cn_arch_irq_save();

	cn_spin_init(&a);
	cn_spin_init(&b);
	cn_spin_lock(&a);
	cn_spin_lock(&b);
	cn_spin_unlock(&b);
	cn_spin_unlock(&a);
	cn_spin_init(&a);	/* as if a's memory became another lock */
	cn_spin_lock(&b);
	cn_spin_lock(&a);
	cn_spin_unlock(&a);
	cn_spin_unlock(&b);
	CN_EXPECT_EQ(cn_lockorder_reports(), before);
	cn_arch_irq_restore(irq);
}
