/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU set-up after boot.S: the TSS (with a separate stack for double
 * faults, so that a stack overflow still gets reported), the IDT with the
 * exception stubs, then the platform's entry.
 */
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "x86_64_priv.h"

#define GDT_TSS_SEL	0x18
#define IDT_ENTRIES	256
#define IST_DF		1
#define IST_PF		2	/* a stack overflow must not fault again */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};

extern uint64_t cn_arch_gdt[];
extern const uint64_t cn_arch_trap_stubs[32];
extern const uint64_t cn_arch_irq_stubs[224];

static struct tss tss;
static struct idt_gate idt[IDT_ENTRIES];
static uint8_t df_stack[8192] CN_ALIGNED(16);	/* room for a report */
static uint8_t pf_stack[8192] CN_ALIGNED(16);

static void tss_init(void)
{
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	tss.ist[IST_DF - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.ist[IST_PF - 1] = (uint64_t)(pf_stack + sizeof(pf_stack));
	tss.iomap_base = sizeof(tss);
	/* 16-byte system descriptor: type 9 (available 64-bit TSS), present. */
	cn_arch_gdt[GDT_TSS_SEL / 8] = (limit & 0xffff) |
		((base & 0xffffff) << 16) | (0x89ull << 40) |
		((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	cn_arch_gdt[GDT_TSS_SEL / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(GDT_TSS_SEL));
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

static void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };
	unsigned int v;

	for (v = 0; v < 32; v++)
		idt_set(v, cn_arch_trap_stubs[v],
			v == 8 ? IST_DF : v == 14 ? IST_PF : 0);
	__asm__ volatile("lidt %0" : : "m"(idtr));
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
