/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <cairn/spinlock.h>'s SMP bodies on the host, with POSIX threads for
 * CPUs, under ASan and UBSan (tests/host/build.py "tests spinlock",
 * tests/test_smp.py): mutual exclusion under contention, trylock, and the
 * ticket order (waiters get the lock in the order they asked). Built for
 * the host only: the image has its own cases (test_smp.c), across real
 * vCPUs.
 */
#define CONFIG_SMP 1
#include <pthread.h>
#include <sched.h>
#include <cairn/spinlock.h>
#include <cairn/test.h>

/*
 * Few rounds: a ticket lock hands over only to the next ticket's thread,
 * and on a loaded host that thread may wait a whole time slice for a
 * core; 200,000 rounds took over two minutes there.
 */
#define THREADS	4
#define ROUNDS	5000

static struct cn_spinlock lock = CN_SPINLOCK_INIT;
static unsigned long count;		/* only the lock protects it */
static int inside;
static unsigned long overlaps;

static void *hammer(void *arg)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		cn_spin_lock(&lock);
		if (__atomic_exchange_n(&inside, 1, __ATOMIC_RELAXED))
			overlaps++;
		count++;
		__atomic_store_n(&inside, 0, __ATOMIC_RELAXED);
		cn_spin_unlock(&lock);
	}
	return arg;
}

CN_TEST(spinlock, no_increment_lost_under_contention)
{
	pthread_t t[THREADS];
	int i;

	for (i = 0; i < THREADS; i++)
		CN_ASSERT_EQ(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CN_EXPECT_EQ(count, (unsigned long)THREADS * ROUNDS);
	CN_EXPECT_EQ(overlaps, 0ul);
	CN_EXPECT_FALSE(cn_spin_is_locked(&lock));
}

CN_TEST(spinlock, trylock_only_when_free)
{
	struct cn_spinlock l = CN_SPINLOCK_INIT;

	CN_ASSERT_EQ(cn_spin_trylock(&l), 1);
	CN_EXPECT_EQ(cn_spin_trylock(&l), 0);
	CN_EXPECT_TRUE(cn_spin_is_locked(&l));
	cn_spin_unlock(&l);
	CN_EXPECT_EQ(cn_spin_trylock(&l), 1);
	cn_spin_unlock(&l);
	CN_EXPECT_FALSE(cn_spin_is_locked(&l));
}

static struct cn_spinlock order_lock = CN_SPINLOCK_INIT;
static int next_place;

static void *take_and_note(void *arg)
{
	int *place = arg;

	cn_spin_lock(&order_lock);
	*place = next_place++;
	cn_spin_unlock(&order_lock);
	return NULL;
}

/* Spins until n tickets have been handed out: the waiter is queued. */
static void wait_tickets(uint32_t n)
{
	while (__atomic_load_n(&order_lock.next, __ATOMIC_ACQUIRE) != n)
		sched_yield();
}

CN_TEST(spinlock, waiters_get_the_lock_in_ticket_order)
{
	pthread_t t[3];
	int place[3] = { -1, -1, -1 };
	int i;

	cn_spin_lock(&order_lock);		/* ticket 0: held here */
	for (i = 0; i < 3; i++) {
		CN_ASSERT_EQ(pthread_create(&t[i], NULL, take_and_note,
					    &place[i]), 0);
		wait_tickets((uint32_t)i + 2);
	}
	cn_spin_unlock(&order_lock);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 3; i++)
		CN_EXPECT_EQ(place[i], i);
}

CN_TEST(spinlock, irqsave_restores_the_flag)
{
	struct cn_spinlock l = CN_SPINLOCK_INIT;
	unsigned long flags;

	cn_arch_irq_enable();
	flags = cn_spin_lock_irqsave(&l);
	CN_EXPECT_EQ(cn_arch_irqs_enabled(), 0);
	CN_EXPECT_TRUE(cn_spin_is_locked(&l));
	cn_spin_unlock_irqrestore(&l, flags);
	CN_EXPECT_EQ(cn_arch_irqs_enabled(), 1);
	CN_EXPECT_FALSE(cn_spin_is_locked(&l));
}
