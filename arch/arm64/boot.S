/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The first instructions of an arm64 image. The file starts with the
 * 64-byte header of a Linux arm64 Image, so the same bytes boot as an
 * Image (QEMU -kernel, other VMMs: the device tree address arrives in x0)
 * and, through the ELF's entry point, as an ELF (QEMU places the device
 * tree at the start of RAM and leaves x0 zero; the platform looks there).
 *
 * Steps: read the counter (boot time), mask interrupts, drop from EL2 to
 * EL1 when started at EL2, let FP/SIMD run without traps, install the
 * exception vectors, set up the two stacks (SP_EL1: the exception stack,
 * SP_EL0: the boot thread's stack, used from here on with SPSel = 0),
 * clear .bss, with SMP point TPIDR_EL1 at CPU 0's per-CPU area, turn
 * the MMU on (mmu.c) and call cn_arch_start(x0).
 */
#define SCTLR_EL1_RES1	0x30d00800	/* the RES1 bits of SCTLR_EL1 */
#define HCR_EL2_RW	(1 << 31)	/* EL1 runs AArch64 */
#define SPSR_EL1H_MASKED 0x3c5		/* EL1 with SP_EL1, DAIF masked */

	.section .text.boot, "ax"
	.globl _start
_start:
	/* Image header (Linux Documentation/arch/arm64/booting.rst). */
	b	primary			/* code0 */
	.long	0			/* code1 */
	.quad	0x200000		/* text_offset: 2 MiB into RAM */
	.quad	__cn_image_size		/* image_size, .bss included */
	.quad	0x2			/* flags: little-endian, 4 KiB pages */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 (no PE/COFF header) */

primary:
	mrs	x20, cntvct_el0
	mov	x19, x0			/* device tree address or 0 */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	at_el1
	/* EL2: EL1 is AArch64, may read the counters, owns FP/SIMD. */
	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3		/* EL1PCTEN, EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff		/* CPTR_EL2: no traps (RES1 bits) */
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	adr	x1, at_el1
	msr	elr_el2, x1
	eret

at_el1:
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x1
	isb
	ldr	x1, =cn_arm64_vectors
	msr	vbar_el1, x1
	ldr	x1, =exc_stack_top
	mov	sp, x1			/* SP_EL1: exceptions */
	ldr	x1, =boot_stack_top
	msr	sp_el0, x1		/* SP_EL0: the boot thread */
	msr	spsel, #0
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	ldr	x1, =cn_arch_boot_tsc
	str	x20, [x1]
#ifdef CONFIG_SMP
	ldr	x1, =cn_cpus		/* CPU 0's area: <cairn/cpu.h> */
	msr	tpidr_el1, x1
#endif
	mov	x29, #0			/* the end of every backtrace */
	mov	x30, #0
	bl	cn_arm64_mmu_init
	mov	x0, x19
	bl	cn_arch_start
3:	wfi
	b	3b
	.ltorg

	/*
	 * Stacks and the boot time: .noinit is not cleared (a stack needs no
	 * zeroes). The page under the boot stack is left unmapped by mmu.c,
	 * so an overflow faults with a report; the exception stack is where
	 * that report runs.
	 */
	.section .noinit, "aw", %nobits
	.balign 4096
	.globl cn_arch_boot_stack_guard
cn_arch_boot_stack_guard:
	.skip	4096
	.skip	CONFIG_ARCH_ARM64_BOOT_STACK_KB * 1024
boot_stack_top:
	.skip	16384
	.globl cn_arm64_exc_stack_top
cn_arm64_exc_stack_top:
exc_stack_top:

	.data
	.balign 8
	.globl cn_arch_boot_tsc
cn_arch_boot_tsc:	.quad 0

	.section .note.GNU-stack, "", %progbits
