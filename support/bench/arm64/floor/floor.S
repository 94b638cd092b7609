/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The arm64 boot-time floor: the least a kernel can do and still be seen
 * to boot on QEMU -M virt. It is a Linux arm64 Image, like Cairn's, so
 * QEMU loads and enters both the same way: the 64-byte header, then one
 * '!' to the PL011 at 0x09000000 and Arm semihosting's SYS_EXIT with
 * subcode 1 (status 0 in the launcher's (status << 1) | 1 encoding).
 * Whatever Cairn adds to the time QEMU takes to run this is its boot cost.
 */
#define UART0		0x09000000
#define SYS_EXIT	0x18
#define APP_EXIT	0x20026

	.section .text, "ax"
	.globl _start
_start:
	b	entry
	.long	0
	.quad	0x200000		/* text_offset */
	.quad	end - _start		/* image_size */
	.quad	0x2			/* little-endian, 4 KiB pages */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0
entry:
	ldr	x1, =UART0
	mov	w2, #'!'
	str	w2, [x1]
	adr	x1, block
	mov	x0, #SYS_EXIT
	hlt	#0xf000
1:	wfi
	b	1b
	.ltorg
	.balign 8
block:	.quad	APP_EXIT, 1
end:

	.section .note.GNU-stack, "", %progbits
