/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The application processors' first instructions (SMP). smp.c copies
 * this code to CN_QEMU_TRAMPOLINE (a page below 1 MiB, the only place a
 * start-up IPI can start a CPU) and the CPU starts here in real mode with
 * CS:IP = (page << 8):0. It loads a flat GDT of its own, enters 32-bit
 * protected mode and jumps to the architecture's cn_x86_ap_entry32, in
 * the image, which does the rest. Position: every address below is
 * computed from the copy's fixed place, never from where the image holds
 * the original.
 */
#include "qemu_priv.h"

#define T(label)	(CN_QEMU_TRAMPOLINE + (label) - cn_qemu_trampoline)

	.section .rodata.trampoline, "a"
	.code16
	.globl cn_qemu_trampoline, cn_qemu_trampoline_end
cn_qemu_trampoline:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl gdt_ptr - cn_qemu_trampoline
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl $0x08, $T(pm32)

	.code32
pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $cn_x86_ap_entry32, %eax
	jmp *%eax

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08 code, 32-bit, flat */
	.quad 0x00cf92000000ffff	/* 0x10 data, flat */
gdt_ptr:
	.word gdt_ptr - gdt - 1
	.long T(gdt)
cn_qemu_trampoline_end:

	.section .note.GNU-stack, "", @progbits
