/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 instructions as inline functions: port I/O, MSRs, control
 * registers. For drivers and platform code on x86_64 only; portable code
 * uses <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_X86_64_H
#define CAIRN_ARCH_X86_64_H

#include <stdint.h>
#include <cairn/compiler.h>

#define CN_X86_MSR_FS_BASE	0xc0000100
#define CN_X86_MSR_GS_BASE	0xc0000101

static inline void cn_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t cn_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cn_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t cn_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t cn_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cn_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t cn_read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* CPUID leaf, subleaf: r = { eax, ebx, ecx, edx }. */
static inline void cn_x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* The highest basic (0) or extended (0x80000000) CPUID leaf. */
static inline uint32_t cn_x86_cpuid_max(uint32_t base)
{
	uint32_t r[4];

	cn_x86_cpuid(base, 0, r);
	return r[0];
}

/*
 * Resets the CPU the way every x86 machine honours: an empty IDT, then an
 * exception, which cannot be delivered (a triple fault). QEMU started
 * with -no-reboot exits instead. Interrupts off first.
 */
CN_NORETURN void cn_x86_triple_fault(void);

/*
 * The magic a Multiboot loader left in %eax at the image's entry (boot.S):
 * CN_X86_MB1_BOOT_MAGIC or CN_X86_MB2_BOOT_MAGIC, with the boot argument
 * then the information block's address; 0 when PVH started the image.
 */
extern uint32_t cn_x86_boot_magic;
#define CN_X86_MB1_BOOT_MAGIC	0x2badb002u
#define CN_X86_MB2_BOOT_MAGIC	0x36d76289u

/*
 * The local APIC timer (irq.c), for the platform's timer: one-shot after
 * ticks of the APIC timer clock (divide by 1) on vector; stop; read the
 * count left.
 */
void cn_x86_lapic_timer_oneshot(unsigned int vector, uint32_t ticks);
void cn_x86_lapic_timer_stop(void);
uint32_t cn_x86_lapic_timer_count(void);

/*
 * The local APIC of the calling CPU (irq.c): enable it, its id, send an
 * IPI (icr_lo: vector | delivery mode | level bits of the ICR).
 */
void cn_x86_lapic_enable(void);
uint32_t cn_x86_lapic_id(void);
void cn_x86_lapic_ipi(uint32_t apic_id, uint32_t icr_lo);
#define CN_X86_ICR_INIT		0x00004500u	/* INIT, assert, level */
#define CN_X86_ICR_STARTUP	0x00004600u	/* | page number of the code */

/*
 * Application processors (smp.c). cn_x86_ap_prepare() gives c its stacks,
 * GDT and TSS and makes it the CPU that the next start-up IPI starts;
 * cn_x86_ap_entry32 is where the platform's real-mode trampoline jumps
 * in 32-bit protected mode (flat segments, paging off). Returns 0 or
 * -ENOMEM, -ENOTSUP (page tables above 4 GiB).
 */
struct cn_cpu;
int cn_x86_ap_prepare(struct cn_cpu *c);
extern char cn_x86_ap_entry32[];

/* Saved by the exception entry stubs (traps.S), lowest address first. */
struct cn_arch_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

#endif
