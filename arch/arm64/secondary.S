/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a secondary CPU starts (SMP), from PSCI CPU_ON: MMU and caches
 * off, interrupts masked, x0 = the context smp.c prepared for it (struct
 * arm64_boot, identity-mapped, cleaned to memory so an uncached read sees
 * it). Like boot.S: drop from EL2 if started there, FP/SIMD on, the
 * shared vector table, its own exception stack (SP_EL1) and thread stack
 * (SP_EL0, SPSel = 0 from here on); then the MMU on with the boot CPU's
 * MAIR, TCR, TTBR0 and SCTLR (so the same page tables and W^X), its
 * per-CPU pointer in TPIDR_EL1, and C.
 */
#define HCR_EL2_RW	(1 << 31)
#define SCTLR_EL1_RES1	0x30d00800
#define SPSR_EL1H_MASKED 0x3c5

/* struct arm64_boot (smp.c) */
#define B_MAIR		0
#define B_TCR		8
#define B_TTBR0		16
#define B_SCTLR		24
#define B_VBAR		32
#define B_SP_EL1	40
#define B_SP_EL0	48
#define B_CPU		56

	.section .text, "ax"
	.globl cn_arm64_secondary_entry
cn_arm64_secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	1f
	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	adr	x1, 1f
	msr	elr_el2, x1
	eret
1:	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN */
	msr	cpacr_el1, x1
	isb
	ldr	x1, [x19, #B_VBAR]
	msr	vbar_el1, x1
	msr	spsel, #1
	ldr	x1, [x19, #B_SP_EL1]
	mov	sp, x1
	ldr	x1, [x19, #B_SP_EL0]
	msr	sp_el0, x1
	msr	spsel, #0
	ldr	x1, [x19, #B_MAIR]
	msr	mair_el1, x1
	ldr	x1, [x19, #B_TCR]
	msr	tcr_el1, x1
	ldr	x1, [x19, #B_TTBR0]
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x1, [x19, #B_SCTLR]
	msr	sctlr_el1, x1
	isb
	ldr	x1, [x19, #B_CPU]
	msr	tpidr_el1, x1
	mov	x29, #0			/* the end of every backtrace */
	mov	x30, #0
	mov	x0, x19
	ldr	x1, =cn_arm64_secondary_start
	br	x1
	.ltorg

	.section .note.GNU-stack, "", %progbits
