/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The timer queue: a list sorted by deadline, the head armed on the
 * platform's one-shot timer. The interrupt handler runs every expired
 * timer, then re-arms for the new head (the platform may fire early for
 * far deadlines; nothing runs before its time).
 */
#include <stddef.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include <cairn/timer.h>

static struct cn_timer *queue;
static int handler_set;

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
	uint64_t now = cn_plat_time_ns();

	while (queue && queue->deadline <= now) {
		struct cn_timer *t = queue;

		queue = t->next;
		t->queued = 0;
		t->fn(t);
		now = cn_plat_time_ns();
	}
	arm_head();
}

void cn_timer_start(struct cn_timer *t, uint64_t deadline, cn_timer_fn fn)
{
	unsigned long flags = cn_big_lock();
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
	cn_big_unlock(flags);
}

int cn_timer_stop(struct cn_timer *t)
{
	unsigned long flags = cn_big_lock();
	int was = t->queued;

	if (was) {
		int head = queue == t;

		unlink_timer(t);
		if (head)
			arm_head();
	}
	cn_big_unlock(flags);
	return was;
}

int cn_timer_pending(void)
{
	return queue != NULL;
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
