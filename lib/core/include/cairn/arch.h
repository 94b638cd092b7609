/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every architecture provides to the rest of Cairn: the contract.
 * The architecture's own details (registers, descriptor tables) stay in
 * arch/<name>/; the bodies of the short functions below that must inline
 * (barriers, the interrupt flag, the page size) are in the selected
 * architecture's include/cairn/arch/{barrier,irqflags,page}.h, which only
 * this header includes. A second architecture supplies the same three
 * files and the out-of-line functions; nothing in lib/ names a CPU.
 */
#ifndef CAIRN_ARCH_H
#define CAIRN_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cairn/compiler.h>

/*
 * The architecture's inline bodies. Each must define, as static inline:
 *
 * barrier.h
 *   void cn_arch_mb(void)    orders all earlier loads and stores before
 *                            all later ones, as another agent (a device
 *                            doing DMA, another CPU) sees them
 *   void cn_arch_wmb(void)   the same for stores only
 *   void cn_arch_rmb(void)   the same for loads only
 *   void cn_arch_cpu_relax(void)  a hint inside a spin-wait loop; also a
 *                            compiler barrier
 *
 * irqflags.h (this CPU's interrupt enable; each is a compiler barrier)
 *   unsigned long cn_arch_irq_save(void)  disables interrupts and returns
 *                            an opaque word saying whether they were on
 *   void cn_arch_irq_restore(unsigned long flags)  re-enables them iff
 *                            they were on when flags was saved
 *   void cn_arch_irq_enable(void), void cn_arch_irq_disable(void)
 *   int cn_arch_irqs_enabled(void)  1 if interrupts are on, else 0
 *   void cn_arch_wait_for_interrupt(void)  called with interrupts off:
 *                            enables them and halts until one has been
 *                            handled, atomically (no wake-up lost between
 *                            the caller's check and the halt); returns
 *                            with them off again. The idle loop and sleeps
 *                            use it.
 *
 * page.h
 *   CN_ARCH_PAGE_SHIFT       log2 of the smallest page the MMU maps
 */
#include <cairn/arch/barrier.h>
#include <cairn/arch/irqflags.h>
#include <cairn/arch/page.h>
#include <cairn/arch/crash.h>

/* The base page: the unit of cn_arch_page_guard() and of stack guards. */
#define CN_PAGE_SHIFT	CN_ARCH_PAGE_SHIFT
#define CN_PAGE_SIZE	(1ul << CN_PAGE_SHIFT)
/* x rounded up / down to a multiple of CN_PAGE_SIZE. */
#define CN_PAGE_ALIGN_UP(x)	(((x) + CN_PAGE_SIZE - 1) & ~(CN_PAGE_SIZE - 1))
#define CN_PAGE_ALIGN_DOWN(x)	((x) & ~(CN_PAGE_SIZE - 1))

/* Cycle counter value at the first instruction of the image. */
extern uint64_t cn_arch_boot_tsc;

/* Current value of the CPU's cycle counter (monotonic, per CPU). */
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
 * static inline CN_NORETURN void cn_arch_crash_trap(void):
 * raises the CPU exception that stands for a crash the program declares
 * (cn_crash(): abort(), a failed assert()): an invalid opcode (ud2) on
 * x86_64, a BRK on arm64. The trap handler reports it under
 * cn_crash_message() when that is set, as that exception otherwise.
 * Body in <cairn/arch/crash.h>.
 */

/*
 * Interrupts. Handlers run with interrupts off, on the interrupted stack,
 * and may only do short work (wake a thread, arm a timer). vector is an
 * architecture number (x86_64: 32-254); cn_arch_irq_alloc_vector() hands
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
/*
 * SMP: the handler of vector runs without the big lock that every other
 * handler runs under (<cairn/biglock.h>), as it touches only its own
 * CPU's state (the cross-CPU call IPI) or takes its driver's own locks
 * (a virtio queue of a driver with cn_virtio_dev.irq_unlocked).
 */
void cn_arch_irq_mark_unlocked(unsigned int vector);
/* How often vector arrived without a handler (spurious: 255). */
uint64_t cn_arch_irq_unhandled(unsigned int vector);

/*
 * Message-signalled interrupts: the address and data a device writes to
 * raise vector on this CPU (edge, fixed delivery). *addr 0: this machine
 * has no MSI target (arm64 until GICv2m/ITS are driven); do not use MSI.
 */
void cn_arch_msi_compose(unsigned int vector, uint64_t *addr, uint32_t *data);

/*
 * Identity-maps [phys, phys + size) for device registers (read/write, no
 * execute) and returns its address, or NULL when it cannot (no memory for
 * page tables). Memory below 4 GiB is mapped from boot.
 */
void *cn_arch_map_mmio(uint64_t phys, uint64_t size);

/*
 * Called at the end of every interrupt, after the end-of-interrupt, on the
 * interrupted context's stack with interrupts off: a preemptive scheduler
 * switches threads here. One hook.
 */
void cn_arch_set_irq_exit_hook(void (*fn)(void));

/* Readies interrupt delivery; call it once before enabling interrupts. */
void cn_arch_irq_setup(void);

/*
 * Threads. cn_arch_ctx_init() prepares a new stack (top, any alignment)
 * so that switching to the returned stack pointer calls entry(arg) with
 * interrupts off (the scheduler still holds its lock then, and turns
 * them on once it has released it); entry must never return. cn_arch_ctx_switch() saves the
 * current context into *save_sp and continues the one at load_sp.
 */
void *cn_arch_ctx_init(void *stack_top, void (*entry)(void *), void *arg);
void cn_arch_ctx_switch(void **save_sp, void *load_sp);

/*
 * Makes the CN_PAGE_SIZE page at page (identity-mapped, aligned) a guard
 * page (guard 1: any access faults) or ordinary memory again (0). Returns
 * 0, -EINVAL, -EFAULT (not mapped) or -ENOMEM (splitting a large page).
 */
int cn_arch_page_guard(void *page, int guard);

/*
 * Makes the CN_PAGE_SIZE page at page (identity-mapped, aligned)
 * read-only (ro 1: a write faults, with a crash report) or writable again
 * (0); independent of cn_arch_page_guard(). Returns 0, -EINVAL, -EFAULT
 * (not mapped) or -ENOMEM (splitting a large page).
 */
int cn_arch_page_readonly(void *page, int ro);

/*
 * Bytes of the default heap held by page tables that the two calls above
 * split out of large pages. A table stays once made (it is not merged
 * back when the guard goes), so this only grows, up to one table per
 * large page of the heap: a bound, not a leak. Memory accounting that
 * compares the heap before and after threads came and went subtracts it
 * (and, with tables non-NULL, the number of tables: heap allocations
 * never freed).
 */
size_t cn_arch_page_tables_on_heap(unsigned long *tables);

/*
 * Crash-report hooks a scheduler sets: the running thread's name, and the
 * thread whose stack guard page holds addr (NULL if none).
 */
struct cn_arch_crash_hooks {
	const char *(*current_thread)(void);
	const char *(*guard_owner)(uintptr_t addr);
	/* The name of a thread another CPU runs (struct cn_cpu's thread). */
	const char *(*thread_name)(const void *thread);
};
void cn_arch_set_crash_hooks(const struct cn_arch_crash_hooks *hooks);
/* The running thread's name, for crash reports: "main" without threads. */
const char *cn_arch_crash_thread(void);
/* The name of thread (a CPU's cn_cpu.thread), or NULL if none is known. */
const char *cn_arch_crash_thread_name(const void *thread);

/*
 * Thread-local storage. cn_arch_tls_area_size() is the size of the area a
 * thread needs for the image's __thread variables (picolibc's errno among
 * them); cn_arch_tls_init() lays out an area of that size (any alignment),
 * copying the initial values, and returns its thread pointer;
 * cn_arch_tls_set() makes a thread pointer current on this CPU.
 */
size_t cn_arch_tls_area_size(void);
void *cn_arch_tls_init(void *area);
void cn_arch_tls_set(void *tp);
/* The thread pointer in force on this CPU. */
void *cn_arch_tls_get(void);

/*
 * Hardware random numbers (RDSEED/RDRAND on x86_64, RNDR on arm64):
 * stores 64 random bits from the CPU's own generator in *out and returns
 * true; returns false, *out unspecified, when the CPU has none or it
 * keeps failing after a few retries. Does not block; any context.
 */
bool cn_arch_random_u64(uint64_t *out);

/*
 * SMP (CONFIG_SMP only; <cairn/cpu.h> is the interface for everyone
 * else). cn_arch_cpu_set_self() points the calling CPU's per-CPU register
 * (GS base, TPIDR_EL1) at c, once as the CPU starts; the inline
 * cn_arch_cpu_self() that reads it back is in <cairn/arch/percpu.h>.
 * cn_arch_send_ipi() raises vector on CPU c (any context).
 */
struct cn_cpu;
void cn_arch_cpu_set_self(struct cn_cpu *c);
void cn_arch_send_ipi(const struct cn_cpu *c, unsigned int vector);

#endif
