/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The timer queue: a list sorted by deadline, the head armed on the
 * platform's one-shot timer. The interrupt handler runs every expired
 * timer, then re-arms for the new head (the platform may fire early for
 * far deadlines; nothing runs before its time).
 *
 * With SMP the queue has its own lock (a test-and-set lock, leaf: it is
 * taken under the scheduler's lock by timed waits and the preemptive
 * policy), released while a callback runs, so a callback may start and
 * stop timers. Callbacks run in the timer interrupt, which the
 * architecture's dispatch runs under the big lock: cn_timer_stop() takes
 * the big lock, so it returns only once no callback is running.
 */
#include <stddef.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/lockorder.h>
#include <cairn/plat.h>
#include <cairn/taslock.h>
#include <cairn/timer.h>

static struct cn_timer *queue;
static int handler_set;
/*
 * Callbacks taken off the queue and not yet returned (under the queue's
 * lock): a timer whose callback is under way on one CPU is still
 * pending, so the scheduler's deadlock check on another CPU cannot find
 * the timer gone from the queue before the thread it wakes is READY.
 */
static unsigned int running;

#ifdef CONFIG_SMP
static struct cn_tas_lock queue_lock = CN_TAS_LOCK_INIT;

static unsigned long queue_lock_irqsave(void)
{
	unsigned long flags = cn_arch_irq_save();

	cn_lockorder_acquire(&queue_lock, "lib/time: the timer queue", 0);
	cn_tas_acquire(&queue_lock);
	return flags;
}

static void queue_unlock_irqrestore(unsigned long flags)
{
	cn_lockorder_release(&queue_lock);
	cn_tas_release(&queue_lock);
	cn_arch_irq_restore(flags);
}
#else
static unsigned long queue_lock_irqsave(void)
{
	return cn_arch_irq_save();
}

static void queue_unlock_irqrestore(unsigned long flags)
{
	cn_arch_irq_restore(flags);
}
#endif

uint64_t cn_time_ns(void)
{
	return cn_plat_time_ns();
}

static void unlink_timer(struct cn_timer *t)
{
	struct cn_timer **pp;

	for (pp = &queue; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->queued = 0;
}

static void arm_head(void)
{
	cn_plat_timer_arm(queue ? (queue->deadline ? queue->deadline : 1) : 0);
}

static void timer_interrupt(void)
{
	unsigned long flags = queue_lock_irqsave();
	uint64_t now = cn_plat_time_ns();

	while (queue && queue->deadline <= now) {
		struct cn_timer *t = queue;
		cn_timer_fn fn = t->fn;

		queue = t->next;
		t->queued = 0;
		running++;
		queue_unlock_irqrestore(flags);
		fn(t);
		flags = queue_lock_irqsave();
		running--;
		now = cn_plat_time_ns();
	}
	arm_head();
	queue_unlock_irqrestore(flags);
}

void cn_timer_start(struct cn_timer *t, uint64_t deadline, cn_timer_fn fn)
{
	unsigned long flags = queue_lock_irqsave();
	struct cn_timer **pp;

	if (!handler_set) {
		cn_plat_timer_set_handler(timer_interrupt);
		handler_set = 1;
	}
	if (t->queued)
		unlink_timer(t);
	t->deadline = deadline;
	t->fn = fn;
	for (pp = &queue; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->queued = 1;
	if (queue == t)
		arm_head();
	queue_unlock_irqrestore(flags);
}

int cn_timer_cancel(struct cn_timer *t)
{
	unsigned long flags = queue_lock_irqsave();
	int was = t->queued;

	if (was) {
		int head = queue == t;

		unlink_timer(t);
		if (head)
			arm_head();
	}
	queue_unlock_irqrestore(flags);
	return was;
}

int cn_timer_stop(struct cn_timer *t)
{
	/* Callbacks run under the big lock: none runs while we hold it. */
	unsigned long flags = cn_big_lock();
	int was = cn_timer_cancel(t);

	cn_big_unlock(flags);
	return was;
}

int cn_timer_pending(void)
{
	unsigned long flags = queue_lock_irqsave();
	int pending = queue != NULL || running;

	queue_unlock_irqrestore(flags);
	return pending;
}

static int (*sleeper)(uint64_t deadline);

void cn_time_set_sleeper(int (*fn)(uint64_t deadline))
{
	sleeper = fn;
}

static void wake_flag(struct cn_timer *t)
{
	*(volatile int *)t->arg = 1;
}

int cn_time_sleep_until(uint64_t deadline)
{
	volatile int done = 0;
	struct cn_timer t = { .arg = (void *)&done };
	unsigned long flags;

	if (sleeper)
		return sleeper(deadline);
	if (cn_plat_time_ns() >= deadline)
		return 0;
	/* Before threads (no sleeper): this CPU's timer wakes this CPU. */
	flags = cn_arch_irq_save();
	cn_timer_start(&t, deadline, wake_flag);
	while (!done)
		cn_arch_wait_for_interrupt();
	cn_arch_irq_restore(flags);
	return 0;
}
