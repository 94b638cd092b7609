/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The preemptive policy: while other threads are READY a time slice runs
 * on a timer; when it ends, the interrupt's exit hook has lib/sched put
 * the running thread at the back of the queue. The switch happens on the
 * interrupted thread's stack, whose full state (FPU included) the
 * interrupt entry saved, so any code can be preempted that runs with
 * interrupts on.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/init.h>
#include <cairn/sched_policy.h>
#include <cairn/timer.h>

static struct cn_timer slice;
static volatile int slice_over;

static void slice_end(struct cn_timer *t)
{
	slice_over = 1;
}

/* A slice runs whenever someone else is waiting for the CPU. */
static void arm(void)
{
	if (cn_sched_others_ready() && !slice.queued)
		cn_timer_start(&slice, cn_time_ns() +
			       (uint64_t)CONFIG_LIB_SCHED_SLICE_US * 1000,
			       slice_end);
}

static void on_switch(void)
{
	slice_over = 0;
	cn_timer_stop(&slice);
	arm();
}

static void on_irq_exit(void)
{
	if (slice_over) {
		slice_over = 0;
		cn_sched_preempt();
	}
}

static void start(void)
{
	cn_arch_set_irq_exit_hook(on_irq_exit);
}

static const struct cn_sched_policy preempt = {
	.name = "preemptive",
	.start = start,
	.ready = arm,
	.switched = on_switch,
};

static int preempt_init(void)
{
	cn_sched_set_policy(&preempt);
	return 0;
}
CN_INIT(preempt_init, CN_INIT_LIB);
