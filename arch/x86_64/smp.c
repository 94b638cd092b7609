/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The architecture's half of starting an application processor (SMP):
 * its own stacks, GDT and TSS (with the double-fault and page-fault
 * stacks), a TLS block for the C code it runs, and the boot CPU's
 * control registers for ap_boot.S. The platform finds the CPUs and sends
 * INIT and start-up IPIs; it starts one CPU at a time, so one set of
 * variables below hands the prepared state to the CPU that comes up.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/arch/x86_64.h>
#include "x86_64_priv.h"

#define MSR_EFER	0xc0000080
#define AP_STACK	(16 * 1024)

struct x86_cpu {
	uint64_t gdt[CN_X86_GDT_ENTRIES] CN_ALIGNED(16);
	struct cn_x86_tss tss CN_ALIGNED(16);
	void *tp;
	uint8_t df_stack[CN_X86_IST_STACK] CN_ALIGNED(16);
	uint8_t pf_stack[CN_X86_IST_STACK] CN_ALIGNED(16);
	uint8_t stack[AP_STACK] CN_ALIGNED(16);
};

/* Read by ap_boot.S (32-bit loads: the first four must be below 4 GiB). */
uint32_t cn_x86_ap_cr0, cn_x86_ap_cr3, cn_x86_ap_cr4, cn_x86_ap_efer;
uint64_t cn_x86_ap_rsp;
static struct cn_cpu *volatile ap_cpu;

void cn_x86_ap_start64(void);

int cn_x86_ap_prepare(struct cn_cpu *c)
{
	struct x86_cpu *x = c->arch;
	uint64_t cr0, cr3, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr3 >> 32)
		return -ENOTSUP;
	if (!x) {
		x = malloc(sizeof(*x));
		if (!x)
			return -ENOMEM;
		memset(x, 0, offsetof(struct x86_cpu, df_stack));
		x->tp = malloc(cn_arch_tls_area_size());
		if (!x->tp) {
			free(x);
			return -ENOMEM;
		}
		x->tp = cn_arch_tls_init(x->tp);
		c->arch = x;
	}
	cn_x86_ap_cr0 = (uint32_t)cr0;
	cn_x86_ap_cr3 = (uint32_t)cr3;
	cn_x86_ap_cr4 = (uint32_t)cr4;
	cn_x86_ap_efer = (uint32_t)cn_rdmsr(MSR_EFER);
	cn_x86_ap_rsp = (uint64_t)(uintptr_t)(x->stack + sizeof(x->stack));
	ap_cpu = c;
	/* The start-up IPI that follows orders nothing: publish first. */
	cn_arch_mb();
	return 0;
}

/* The AP's first C code, on its own stack, interrupts off. */
void cn_x86_ap_start64(void)
{
	struct cn_cpu *c = ap_cpu;
	struct x86_cpu *x = c->arch;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(x->gdt) - 1,
					   (uint64_t)(uintptr_t)x->gdt };

	cn_arch_cpu_set_self(c);
	memcpy(x->gdt, cn_arch_gdt, sizeof(x->gdt));
	/* Same selectors as the boot GDT: no segment needs reloading. */
	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	cn_x86_tss_load(x->gdt, &x->tss, x->df_stack + sizeof(x->df_stack),
			x->pf_stack + sizeof(x->pf_stack));
	cn_x86_idt_load();
	cn_arch_tls_set(x->tp);
	cn_x86_lapic_enable();
	cn_cpu_ap_main();
}
