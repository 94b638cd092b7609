/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every architecture provides to the rest of Cairn. The architecture's
 * own details (registers, descriptor tables) stay in arch/<name>/.
 */
#ifndef CAIRN_ARCH_H
#define CAIRN_ARCH_H

#include <stdint.h>
#include <cairn/compiler.h>

/* Cycle counter value at the first instruction of the image. */
extern uint64_t cn_arch_boot_tsc;

/* Current value of the CPU's cycle counter (TSC on x86_64). */
uint64_t cn_arch_cycles(void);

/* Stops this CPU for good, interrupts off. */
CN_NORETURN void cn_arch_halt_cpu(void);

/*
 * Unmaps page 0 so that a NULL access faults. The platform calls it once
 * it has copied what the firmware left in low memory.
 */
void cn_arch_unmap_page0(void);

/*
 * Prints a backtrace of the caller's stack to the console, one frame per
 * line with function+offset when the image has names. skip drops the
 * innermost frames (0 starts at the caller of cn_arch_backtrace()).
 */
void cn_arch_backtrace(unsigned int skip);

/*
 * Interrupts. Handlers run with interrupts off, on the interrupted stack,
 * and may only do short work (wake a thread, arm a timer). vector is an
 * architecture number (32-254 on x86_64); cn_arch_irq_alloc_vector() hands
 * out a free one. Register returns 0, -EINVAL or -EBUSY.
 */
typedef void (*cn_arch_irq_fn)(void *arg);
int cn_arch_irq_register(unsigned int vector, cn_arch_irq_fn fn, void *arg);
int cn_arch_irq_alloc_vector(void);
/*
 * Handlers that can wake a waiting thread: every registered handler but
 * the ones marked as the platform's timer (which lib/time accounts for).
 * The scheduler's deadlock check uses it.
 */
unsigned int cn_arch_irq_wake_sources(void);
void cn_arch_irq_mark_timer(unsigned int vector);
/* How often vector arrived without a handler (spurious: 255). */
uint64_t cn_arch_irq_unhandled(unsigned int vector);

/*
 * Message-signalled interrupts: the address and data a device writes to
 * raise vector on this CPU (edge, fixed delivery).
 */
void cn_arch_msi_compose(unsigned int vector, uint64_t *addr, uint32_t *data);

/*
 * Identity-maps [phys, phys + size) for device registers (read/write, no
 * execute) and returns its address, or NULL when it cannot (no memory for
 * page tables). Memory below 4 GiB is mapped from boot.
 */
void *cn_arch_map_mmio(uint64_t phys, uint64_t size);

/*
 * Ordering of memory accesses as another agent (a device doing DMA) sees
 * them: all (mb), stores (wmb), loads (rmb).
 *
 * Stopgap until the x86_64 bodies below move to arch/x86_64 (h14-layers):
 * another architecture brings its inline bodies in
 * arch/<arch>/include/cairn/arch/{barrier,irqflags}.h.
 */
#ifndef __x86_64__
#include <cairn/arch/barrier.h>
#include <cairn/arch/irqflags.h>
#else
static inline void cn_arch_mb(void)
{
	__asm__ volatile("mfence" : : : "memory");
}

static inline void cn_arch_wmb(void)
{
	__asm__ volatile("" : : : "memory");	/* x86 keeps stores ordered */
}

static inline void cn_arch_rmb(void)
{
	__asm__ volatile("" : : : "memory");	/* x86 keeps loads ordered */
}

/* Interrupt flag: save-and-disable / restore, for short critical sections. */
static inline unsigned long cn_arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}
#endif

/*
 * Called at the end of every interrupt, after the end-of-interrupt, on the
 * interrupted context's stack with interrupts off: a preemptive scheduler
 * switches threads here. One hook.
 */
void cn_arch_set_irq_exit_hook(void (*fn)(void));

/* Readies interrupt delivery; call it once before enabling interrupts. */
void cn_arch_irq_setup(void);

#ifdef __x86_64__
static inline void cn_arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void cn_arch_irq_restore(unsigned long flags)
{
	if (flags & 0x200)
		__asm__ volatile("sti" : : : "memory");
}

/*
 * Enables interrupts and halts until one has been handled, atomically
 * (no wake-up lost between the check and the halt); returns with them
 * disabled again. The idle loop and sleeps use it.
 */
static inline void cn_arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}
#endif

/*
 * Threads. cn_arch_ctx_init() prepares a new stack (top, any alignment)
 * so that switching to the returned stack pointer calls entry(arg) with
 * interrupts on; entry must never return. cn_arch_ctx_switch() saves the
 * current context into *save_sp and continues the one at load_sp.
 */
void *cn_arch_ctx_init(void *stack_top, void (*entry)(void *), void *arg);
void cn_arch_ctx_switch(void **save_sp, void *load_sp);

/*
 * Makes the 4 KiB page at page (identity-mapped, page aligned) a guard
 * page (guard 1: any access faults) or ordinary memory again (0). Returns
 * 0, -EINVAL, -EFAULT (not mapped) or -ENOMEM (splitting a large page).
 */
int cn_arch_page_guard(void *page, int guard);

/*
 * Crash-report hooks a scheduler sets: the running thread's name, and the
 * thread whose stack guard page holds addr (NULL if none).
 */
struct cn_arch_crash_hooks {
	const char *(*current_thread)(void);
	const char *(*guard_owner)(uintptr_t addr);
};
void cn_arch_set_crash_hooks(const struct cn_arch_crash_hooks *hooks);
/* The running thread's name, for crash reports: "main" without threads. */
const char *cn_arch_crash_thread(void);

/*
 * Thread-local storage. cn_arch_tls_area_size() is the size of the area a
 * thread needs for the image's __thread variables (picolibc's errno among
 * them); cn_arch_tls_init() lays out an area of that size (any alignment),
 * copying the initial values, and returns its thread pointer;
 * cn_arch_tls_set() makes a thread pointer current on this CPU.
 */
#include <stddef.h>
size_t cn_arch_tls_area_size(void);
void *cn_arch_tls_init(void *area);
void cn_arch_tls_set(void *tp);
/* The thread pointer in force on this CPU. */
void *cn_arch_tls_get(void);

#endif
