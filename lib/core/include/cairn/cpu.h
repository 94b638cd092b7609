/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPUs: the per-CPU areas, which CPU runs the caller, and calls run on
 * another CPU. CPU 0 is the one that booted; the others (application
 * processors, secondaries) are numbered 1.. in the order the platform
 * found them (ACPI MADT on x86_64). With CONFIG_SMP off there is CPU 0
 * only and these are constants.
 *
 * Each CPU finds its own area through a register the architecture
 * reserves for it (the GS base on x86_64, TPIDR_EL1 on arm64), set once
 * when the CPU starts: cn_cpu_self() is one load.
 *
 * With lib/sched every CPU runs threads (doc/architecture.md, "SMP and
 * locking").
 */
#ifndef CAIRN_CPU_H
#define CAIRN_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/compiler.h>
#include <cairn/spinlock.h>

/* Set by the platform as it starts a CPU; read-only for everyone else. */
enum cn_cpu_state {
	CN_CPU_ABSENT,		/* no such CPU, or past CONFIG_NR_CPUS */
	CN_CPU_STARTING,	/* the platform asked it to start */
	CN_CPU_ONLINE,		/* running Cairn's code */
	CN_CPU_FAILED,		/* did not answer: left alone */
};

struct cn_cpu {
	struct cn_cpu *self;	/* first: the per-CPU register reads it */
	void *thread;		/* the scheduler's running thread */
	unsigned int big_depth;	/* the big lock's (<cairn/biglock.h>) */
	uint64_t big_taken, big_contended;	/* its counts (biglock.c) */
	unsigned int id;	/* 0 .. cn_cpu_count() - 1 */
	uint32_t hw_id;		/* APIC id (x86_64), MPIDR affinity (arm64) */
	volatile enum cn_cpu_state state;
	void *arch;		/* the architecture's per-CPU data */
	/* A pending cross-CPU call (cpu.c); seq counts calls posted. */
	struct cn_spinlock call_lock;	/* serialises posters */
	void (*volatile call_fn)(void *arg);
	void *volatile call_arg;
	volatile uint64_t call_seq, call_done;
	/* Statistics for `cpus`. */
	volatile uint64_t nr_irqs, nr_calls;
	uint64_t online_cycles;		/* cn_arch_cycles() when it came up */
	volatile uint64_t idle_cycles;	/* halted in the idle loop since */
	volatile uint64_t halted_since;	/* cycles; 0 while it works */
#ifdef CN_ARCH_HAVE_LOCK_SLEEP
	/* Lock sleep (biglock.c, the architecture's): kicks sent, seen. */
	volatile uint32_t lock_kicks;
	volatile uint8_t lock_kicked;
	uint64_t big_slept;	/* big lock acquisitions that halted */
#endif
};

/* Every CPU's area; entries past cn_cpu_count() are CN_CPU_ABSENT. */
extern struct cn_cpu cn_cpus[CONFIG_NR_CPUS];

#ifdef CONFIG_SMP
#include <cairn/arch/percpu.h>

/* The calling CPU's area. Any context. */
static inline struct cn_cpu *cn_cpu_self(void)
{
	return cn_arch_cpu_self();
}

/* The calling CPU's number. Any context; may change when a thread moves. */
static inline unsigned int cn_cpu_id(void)
{
	return cn_arch_cpu_self()->id;
}

/* The scheduler's thread on this CPU, read in one instruction. */
static inline void *cn_cpu_thread(void)
{
	return cn_arch_cpu_thread();
}

/* CPUs found (online, starting or failed), CPU 0 included. At least 1. */
unsigned int cn_cpu_count(void);
/* CPUs that are online now. */
unsigned int cn_cpu_online(void);

/*
 * For the scheduler. cn_cpu_kick() ends the halt of CPU cpu (an IPI);
 * cn_cpu_run_calls() runs the calls posted to this CPU (its idle loop
 * calls it, interrupts off); cn_cpu_set_idle_hook() gives the other CPUs'
 * idle loop to fn, which never returns (it becomes their idle thread).
 */
void cn_cpu_kick(unsigned int cpu);
void cn_cpu_run_calls(void);
/* cn_arch_wait_for_interrupt(), counted as this CPU's idle time. */
void cn_cpu_halt(void);
void cn_cpu_set_idle_hook(void (*fn)(void));

#else

static inline struct cn_cpu *cn_cpu_self(void)
{
	return &cn_cpus[0];
}

static inline unsigned int cn_cpu_id(void)
{
	return 0;
}

static inline unsigned int cn_cpu_count(void)
{
	return 1;
}

static inline unsigned int cn_cpu_online(void)
{
	return 1;
}

#endif

/*
 * Runs fn(arg) on CPU cpu, in interrupt context (the call IPI; without
 * the big lock) or from its idle loop, with interrupts off, and returns
 * without waiting (cn_cpu_call_wait() waits). fn must be short and must
 * not block. One call at a time per target: a second call to a CPU waits for the first to finish. On
 * the caller's own CPU fn runs at once. Returns 0, -EINVAL (no such CPU)
 * or -ENODEV (that CPU is not online). May spin; not from an interrupt
 * handler.
 */
int cn_cpu_call_async(unsigned int cpu, void (*fn)(void *), void *arg);

/* Waits until the last call posted to cpu has returned. */
void cn_cpu_call_wait(unsigned int cpu);

/* cn_cpu_call_async() then cn_cpu_call_wait(). */
int cn_cpu_call(unsigned int cpu, void (*fn)(void *), void *arg);

/*
 * For the platform. cn_cpu_add() records a CPU found in the firmware's
 * tables (CPU 0 first, the boot CPU) and returns its area, or NULL past
 * CONFIG_NR_CPUS. cn_cpu_ap_main() is where a started CPU goes once
 * its architecture state (stacks, descriptor tables, the per-CPU
 * register) is set: it marks the CPU online and runs the idle loop.
 */
struct cn_cpu *cn_cpu_add(uint32_t hw_id);
CN_NORETURN void cn_cpu_ap_main(void);

#endif
