/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot-time floor: the least a kernel can do and still be seen to boot.
 * QEMU's -kernel loader finds the 32-bit entry in the Xen PVH note below
 * (on -M pc and -M microvm alike) and jumps there in protected mode with
 * paging off. The entry writes one '!' to COM1 and powers off through
 * isa-debug-exit (writing 0 makes QEMU exit with status 1). Whatever a
 * real kernel adds to the time QEMU takes to run this is its boot cost.
 */

#define COM1			0x3f8
#define ISA_DEBUG_EXIT		0xf4
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.pvh, "a", @note
	.balign 4
	.long 2f - 1f			/* name size, with the NUL */
	.long 4f - 3f			/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.quad floor_entry32		/* physical address, 8 bytes */
4:

	.section .text, "ax"
	.code32
	.globl floor_entry32
floor_entry32:
	cli
	movw $COM1, %dx
	movb $'!', %al
	outb %al, %dx
	movw $ISA_DEBUG_EXIT, %dx
	xorl %eax, %eax
	outl %eax, %dx
1:	hlt
	jmp 1b

	.section .note.GNU-stack, "", @progbits
