/* SPDX-License-Identifier: BSD-3-Clause */

#include "regs.h"
/*
 * Entry stubs for the 32 CPU exception vectors. Each stub makes the stack
 * look the same (an error code, 0 where the CPU pushes none, then the vector
 * number), the common path saves every general register into a
 * struct cn_arch_trap_frame and calls cn_arch_trap(frame). The frame is a
 * multiple of 16 bytes, so the C handler runs with the stack aligned as the
 * ABI requires. If the handler returns, the registers are restored and
 * iretq resumes the interrupted code.
 */

	.section .text.traps, "ax"
	.code64

.macro trap_noerr vec
	.balign 16
trap_\vec:
	pushq $0
	pushq $\vec
	jmp trap_common
.endm

.macro trap_err vec
	.balign 16
trap_\vec:
	pushq $\vec
	jmp trap_common
.endm

	trap_noerr 0
	trap_noerr 1
	trap_noerr 2
	trap_noerr 3
	trap_noerr 4
	trap_noerr 5
	trap_noerr 6
	trap_noerr 7
	trap_err 8
	trap_noerr 9
	trap_err 10
	trap_err 11
	trap_err 12
	trap_err 13
	trap_err 14
	trap_noerr 15
	trap_noerr 16
	trap_err 17
	trap_noerr 18
	trap_noerr 19
	trap_noerr 20
	trap_err 21
	trap_noerr 22
	trap_noerr 23
	trap_noerr 24
	trap_noerr 25
	trap_noerr 26
	trap_noerr 27
	trap_noerr 28
	trap_err 29
	trap_err 30
	trap_noerr 31

trap_common:
	save_regs
	movq %rsp, %rdi
	cld
	call cn_arch_trap
	restore_regs
	addq $16, %rsp			/* vector and error code */
	iretq

	/* Addresses of the stubs, in vector order, for the IDT. */
	.section .rodata.trap_stubs, "a"
	.balign 8
	.globl cn_arch_trap_stubs
cn_arch_trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_\v
	.endr

	.section .note.GNU-stack, "", @progbits
