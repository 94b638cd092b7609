/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The preemptive policy: while other threads are READY a time slice runs
 * on a timer; when a CPU's thread has used up its slice, that CPU's next
 * interrupt exit has lib/sched put the thread at the back of the queue.
 * The switch happens on the interrupted thread's stack, whose full state
 * (FPU included) the interrupt entry saved, so any code can be preempted
 * that runs with interrupts on.
 *
 * Slices are per CPU: each CPU notes when its running thread started
 * (on_switch). One timer serves them all, since lib/time's queue is
 * global and fires on whichever CPU armed it: when it goes off it marks
 * every CPU whose slice is over and sends the others an IPI, so their
 * interrupt exit preempts them, then re-arms for the next slice to end.
 * A switch on one CPU must not restart the others' slices (a CPU that
 * switches often would otherwise keep a busy loop on another CPU from
 * ever being preempted). The hooks run under the scheduler's lock.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/init.h>
#include <cairn/sched_policy.h>
#include <cairn/timer.h>

#define SLICE_NS	((uint64_t)CONFIG_LIB_SCHED_SLICE_US * 1000)

static struct cn_timer slice;
static uint64_t started[CONFIG_NR_CPUS];	/* its thread's, in ns */
static volatile unsigned char slice_over[CONFIG_NR_CPUS];

static void slice_end(struct cn_timer *t)
{
	uint64_t now = cn_time_ns(), next = now + SLICE_NS;
	unsigned int self = cn_cpu_id(), c;

	for (c = 0; c < cn_cpu_count() && c < CONFIG_NR_CPUS; c++) {
		if (started[c] + SLICE_NS > now) {
			if (started[c] + SLICE_NS < next)
				next = started[c] + SLICE_NS;
			continue;
		}
		slice_over[c] = 1;
#ifdef CONFIG_SMP
		if (c != self)
			cn_cpu_kick(c);	/* its interrupt exit preempts */
#endif
	}
	(void)self;
	if (cn_sched_others_ready())
		cn_timer_start(&slice, next, slice_end);
}

/* A slice runs whenever someone else is waiting for a CPU. */
static void arm(void)
{
	if (cn_sched_others_ready() && !slice.queued)
		cn_timer_start(&slice, cn_time_ns() + SLICE_NS, slice_end);
}

static void on_switch(void)
{
	unsigned int self = cn_cpu_id();

	started[self] = cn_time_ns();
	slice_over[self] = 0;
	arm();
}

static void on_irq_exit(void)
{
	unsigned int self = cn_cpu_id();

	if (slice_over[self]) {
		slice_over[self] = 0;
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
