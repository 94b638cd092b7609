/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where an application processor enters the image (SMP). The platform's
 * real-mode trampoline in low memory (the start-up IPI can only start a
 * CPU below 1 MiB, in real mode) switches to 32-bit protected mode with
 * flat segments and jumps here, paging off. From here the CPU takes the
 * boot CPU's control registers as cn_x86_ap_prepare() (smp.c) recorded
 * them (same page tables, no-execute, write protection, SSE), enters long
 * mode through the boot GDT and calls cn_x86_ap_start64() on the stack
 * prepared for it, which loads its own GDT, TSS and per-CPU pointer.
 */
#define MSR_EFER	0xc0000080

	.section .text.ap_boot, "ax"
	.code32
	.globl cn_x86_ap_entry32
cn_x86_ap_entry32:
	cli
	cld
	movl cn_x86_ap_cr4, %eax	/* PAE, OSFXSR, ... as the boot CPU */
	movl %eax, %cr4
	movl cn_x86_ap_cr3, %eax	/* below 4 GiB: checked by prepare */
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	movl cn_x86_ap_efer, %eax	/* LME and NXE */
	xorl %edx, %edx
	wrmsr
	lgdt ap_gdt_ptr
	movl cn_x86_ap_cr0, %eax	/* PG on: long mode is active now */
	movl %eax, %cr0
	ljmp $0x08, $ap_long

	.code64
ap_long:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq cn_x86_ap_rsp(%rip), %rsp
	xorl %ebp, %ebp
	fninit
	call cn_x86_ap_start64
1:	cli
	hlt
	jmp 1b

	/* The boot CPU's GDT, until the CPU loads its own copy. */
	.section .rodata.ap_boot, "a"
	.balign 4
	.word 0
ap_gdt_ptr:
	.word 5 * 8 - 1
	.long cn_arch_gdt

	.section .note.GNU-stack, "", @progbits
