/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU set-up after boot.S: the TSS (with a separate stack for double
 * faults, so that a stack overflow still gets reported), the IDT with the
 * exception stubs, then the platform's entry.
 */
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "x86_64_priv.h"

#define GDT_TSS_SEL	0x18
#define IDT_ENTRIES	256
#define IST_DF		1
#define IST_PF		2	/* a stack overflow must not fault again */

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};

extern const uint64_t cn_arch_trap_stubs[32];
extern const uint64_t cn_arch_irq_stubs[224];

static struct cn_x86_tss tss;
static struct idt_gate idt[IDT_ENTRIES];
static uint8_t df_stack[CN_X86_IST_STACK] CN_ALIGNED(16); /* room for a report */
static uint8_t pf_stack[CN_X86_IST_STACK] CN_ALIGNED(16);

/*
 * The TSS of the calling CPU in its GDT (the boot CPU's is cn_arch_gdt,
 * every other CPU has a copy: a TSS descriptor is marked busy once
 * loaded, so CPUs cannot share one), with the double-fault and
 * page-fault stacks.
 */
void cn_x86_tss_load(uint64_t *gdt, struct cn_x86_tss *t, void *df_top,
		     void *pf_top)
{
	uint64_t base = (uint64_t)t;
	uint64_t limit = sizeof(*t) - 1;

	t->ist[IST_DF - 1] = (uint64_t)df_top;
	t->ist[IST_PF - 1] = (uint64_t)pf_top;
	t->iomap_base = sizeof(*t);
	/* 16-byte system descriptor: type 9 (available 64-bit TSS), present. */
	gdt[GDT_TSS_SEL / 8] = (limit & 0xffff) |
		((base & 0xffffff) << 16) | (0x89ull << 40) |
		((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt[GDT_TSS_SEL / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS_SEL));
}

static void tss_init(void)
{
	cn_x86_tss_load(cn_arch_gdt, &tss, df_stack + sizeof(df_stack),
			pf_stack + sizeof(pf_stack));
}

static void idt_set(unsigned int vec, uint64_t handler, unsigned int ist)
{
	idt[vec] = (struct idt_gate){
		.off_lo = handler & 0xffff,
		.sel = 0x08,
		.ist = ist,
		.type = 0x8e,		/* present, ring 0, interrupt gate */
		.off_mid = handler >> 16 & 0xffff,
		.off_hi = handler >> 32,
	};
}

/* One IDT for every CPU. */
void cn_x86_idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < 32; v++)
		idt_set(v, cn_arch_trap_stubs[v],
			v == 8 ? IST_DF : v == 14 ? IST_PF : 0);
	cn_x86_idt_load();
}

void cn_arch_cpu_set_self(struct cn_cpu *c)
{
	cn_wrmsr(CN_X86_MSR_GS_BASE, (uint64_t)c);
}

extern uint64_t cn_arch_boot_pt0[512];

void cn_arch_unmap_page0(void)
{
	cn_arch_boot_pt0[0] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(0ul) : "memory");
}

/* Vectors 32-255 (the IDT itself is loaded at boot with 256 entries). */
void cn_x86_idt_install_irqs(void)
{
	unsigned int v;

	for (v = 32; v < IDT_ENTRIES; v++)
		idt_set(v, cn_arch_irq_stubs[v - 32], 0);
}

uint64_t cn_arch_cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void cn_x86_triple_fault(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	__asm__ volatile("cli; lidt %0; int3" : : "m"(no_idt));
	cn_arch_halt_cpu();
}

void cn_arch_halt_cpu(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void cn_arch_start(uint32_t boot_arg);
void cn_arch_start(uint32_t boot_arg)
{
	/* Per-CPU area first: cn_cpu_id() works from the first C call on. */
	cn_arch_cpu_set_self(&cn_cpus[0]);
	tss_init();
	idt_init();
	/*
	 * The legacy PIC delivers on vectors 8-15 after the firmware, which
	 * are exceptions here (IRQ0 would look like a double fault): mask it
	 * before anything can enable interrupts.
	 */
	cn_outb(0x21, 0xff);
	cn_outb(0xa1, 0xff);
	cn_plat_start(boot_arg);
}
