/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * First instructions of every x86_64 image. QEMU's -kernel loader finds the
 * PVH entry in the ELF note below (on -M pc and -M microvm alike) and jumps
 * to pvh_entry32 in 32-bit protected mode, paging off, %ebx pointing at the
 * hvm_start_info structure. A Multiboot2 loader (GRUB's multiboot2) finds
 * the Multiboot2 header, a Multiboot1 loader (QEMU's -kernel given the flat
 * copy, GRUB's multiboot, syslinux's mboot.c32) the Multiboot1 header;
 * both jump to mb_entry32 in the same CPU state with %eax holding their
 * magic and %ebx the information block (see doc/booting.md for why the
 * Multiboot1 header is placed where an ELF loader cannot see it). The
 * magic goes to cn_x86_boot_magic for the platform, which parses the
 * block. From here: check that RAM covers the image (PVH),
 * zero .bss, identity-map the first 4 GiB (2 MiB pages, 4 KiB pages with
 * W^X for the image in the first 2 MiB, no-execute and write protection
 * on), enter long mode, enable SSE and call cn_arch_start() on the boot
 * stack.
 */

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)
#include "paging.h"
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PVH_MAGIC	0x336ec578

#define MB1_MAGIC	0x1badb002
#define MB1_PAGE_ALIGN	(1 << 0)	/* modules on page boundaries */
#define MB1_MEMORY_INFO	(1 << 1)	/* we need the memory map */
#define MB1_AOUT_KLUDGE	(1 << 16)	/* load addresses in the header */
#define MB1_FLAGS	(MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE)
#define MB2_MAGIC	0xe85250d6
#define MB2_ARCH_I386	0
#define MB2_TAG_END	0
#define MB2_TAG_INFO_REQ 1
#define MB2_TAG_ENTRY	3
#define MB2_TAG_CONSOLE	4
#define MB2_TAG_FB	5
#define MB2_TAG_ALIGN	6
#define MB2_OPTIONAL	1

	/* QEMU reads an 8-byte entry address from this note. */
	.section .note.pvh, "a", @note
	.balign 4
	.long 4				/* name size */
	.long 8				/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad pvh_entry32

	/*
	 * Multiboot2 header: within the first 32 KiB of the file, 8-byte
	 * aligned (link.ld puts it first). GRUB loads the ELF's segments and
	 * jumps to the entry tag's address.
	 */
	.section .text.boot.mb2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8
	/* Information we need: command line, modules, memory map, ACPI. */
	.word MB2_TAG_INFO_REQ, MB2_OPTIONAL
	.long 8 + 4 * 5
	.long 1, 3, 6, 14, 15
	.balign 8
	.word MB2_TAG_ENTRY, 0
	.long 12
	.long mb_entry32
	.balign 8
	/* Text mode is fine (the console is the serial port) ... */
	.word MB2_TAG_CONSOLE, MB2_OPTIONAL
	.long 12
	.long 2				/* EGA text supported */
	.balign 8
	/* ... and so is a linear framebuffer of any size (UEFI's GOP). */
	.word MB2_TAG_FB, MB2_OPTIONAL
	.long 20
	.long 0, 0, 32
	.balign 8
	.word MB2_TAG_ALIGN, 0		/* modules page-aligned */
	.long 8
	.word MB2_TAG_END, 0
	.long 8
mb2_header_end:

	/*
	 * Multiboot1 header with load addresses (the "a.out kludge"), so that
	 * a loader that cannot read ELF64 loads the flat copy of the image
	 * (<image>.mb, objcopy -O binary). link.ld places it exactly 4 KiB
	 * into the image: in the flat copy that is within the first 8 KiB as
	 * the spec asks, in the ELF file it is at offset 8 KiB, past where an
	 * ELF loader looks. That matters: QEMU's -kernel tries Multiboot
	 * before PVH, and refuses an ELF64 Multiboot kernel outright.
	 */
	.section .text.boot.mb1, "a"
	.balign 4
	.globl cn_x86_mb1_header
cn_x86_mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long cn_x86_mb1_header		/* header_addr */
	.long __image_start		/* load_addr */
	.long __load_end		/* load_end_addr: end of the file's data */
	.long __image_end		/* bss_end_addr */
	.long mb_entry32		/* entry_addr */

	.section .text.boot, "ax"
	.code32
	/*
	 * Multiboot1 and Multiboot2 entry: %eax magic, %ebx information,
	 * no usable stack, no GDT of ours yet.
	 */
	.globl mb_entry32
mb_entry32:
	cli
	cld
	movl %eax, cn_x86_boot_magic
	rdtsc
	movl %eax, cn_arch_boot_tsc
	movl %edx, cn_arch_boot_tsc + 4
	movl %ebx, %esi			/* keep the information address */
	jmp boot_common

	.globl pvh_entry32
pvh_entry32:
	cli
	cld
	/* Boot-time measurement starts at the very first instruction. */
	rdtsc
	movl %eax, cn_arch_boot_tsc
	movl %edx, cn_arch_boot_tsc + 4
	movl %ebx, %esi			/* keep the start_info address */

	/*
	 * Nothing below may touch .bss (the stack lives there) until we know
	 * the RAM covers the whole image: with too small a -m, writes would
	 * vanish and the first `call` would crash without a word.
	 */
	cmpl $PVH_MAGIC, (%esi)
	jne 2f				/* not PVH: the platform says so */
	cmpl $1, 4(%esi)
	jb 2f				/* no memory map in version 0 */
	movl 40(%esi), %edi		/* memmap_paddr (low half) */
	movl 48(%esi), %ecx		/* memmap_entries */
1:	testl %ecx, %ecx
	jz no_memory
	cmpl $1, 16(%edi)		/* E820 RAM */
	jne 3f
	cmpl $0, 4(%edi)		/* starts below 4 GiB ... */
	jne 3f
	cmpl $__image_start, (%edi)	/* ... at or below the image ... */
	ja 3f
	movl (%edi), %eax		/* ... and ends past it */
	movl 12(%edi), %edx
	addl 8(%edi), %eax
	adcl $0, %edx
	jnz 2f
	cmpl $__image_end, %eax
	jae 2f
3:	addl $24, %edi
	decl %ecx
	jmp 1b
2:
boot_common:

	/* The loader zero-fills .bss, but C must not depend on a loader. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/*
	 * No-execute, when the CPU has it (CPUID 0x80000001 EDX bit 20):
	 * %ebp holds the high half of every no-execute entry (bit 63).
	 */
	xorl %ebp, %ebp
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb 1f
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 20), %edx
	jz 1f
	movl $0x80000000, %ebp
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_NXE, %eax
	wrmsr
1:
	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories. */
	movl $(boot_pdpt + PTE_P + PTE_RW), boot_pml4
	movl $(boot_pd + PTE_P + PTE_RW), %eax
	movl $boot_pdpt, %edi
	movl $4, %ecx
1:	movl %eax, (%edi)
	addl $PT_SIZE, %eax
	addl $8, %edi
	loop 1b

	/*
	 * 2048 large pages cover 0..4 GiB (RAM below the hole and MMIO),
	 * read/write and no-execute, except where they hold image code.
	 */
	movl $boot_pd, %edi
	xorl %eax, %eax
	movl $2048, %ecx
2:	movl %ebp, %edx
	cmpl $__rodata_start, %eax
	jae 1f
	leal 0x200000(%eax), %ebx
	cmpl $__image_start, %ebx
	jbe 1f
	xorl %edx, %edx			/* holds code: executable */
1:	movl %eax, %ebx
	orl $(PTE_P + PTE_RW + PTE_PS), %ebx
	movl %ebx, (%edi)
	movl %edx, 4(%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 2b

	/*
	 * The first 2 MiB through a page table, W^X for the image: text
	 * read+execute, rodata read-only, the rest read/write no-execute,
	 * the guard page under the boot stack not present. Page 0 stays
	 * mapped until the platform has copied the boot information (the
	 * firmware may leave it there); cn_arch_unmap_page0() then makes
	 * NULL fault. An image past 2 MiB gets its own tables in paging.c.
	 */
	movl $(boot_pt0 + PTE_P + PTE_RW), boot_pd
	movl $boot_pt0, %edi
	xorl %eax, %eax
	movl $512, %ecx
3:	movl %eax, %ebx
	movl %ebp, %edx
	cmpl $cn_arch_boot_stack_guard, %eax
	je 7f
	cmpl $__image_start, %eax
	jb 6f
	cmpl $__rodata_start, %eax
	jb 8f
	cmpl $__data_start, %eax
	jb 9f
6:	orl $(PTE_P + PTE_RW), %ebx	/* data, bss, RAM: RW, NX */
	jmp 4f
8:	orl $PTE_P, %ebx		/* text: R, X */
	xorl %edx, %edx
	jmp 4f
9:	orl $PTE_P, %ebx		/* rodata: R, NX */
	jmp 4f
7:	xorl %ebx, %ebx			/* guard page: not present */
	xorl %edx, %edx
4:	movl %ebx, (%edi)
	movl %edx, 4(%edi)
	addl $PT_PAGE_SIZE, %eax
	addl $8, %edi
	loop 3b

	lgdt boot_gdt_ptr
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG + CR0_PE + CR0_WP), %eax	/* WP: read-only for ring 0 too */
	movl %eax, %cr0
	ljmp $0x08, $long_entry

no_memory:
	movl $no_memory_msg, %esi
4:	movb (%esi), %al
	testb %al, %al
	jz 5f
	movw $0x3f8, %dx
	outb %al, %dx
	incl %esi
	jmp 4b
5:	movw $0xf4, %dx
	movl $64, %eax			/* CN_EXIT_USAGE */
	outl %eax, %dx
6:	hlt
	jmp 6b

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	leaq cn_arch_boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp

	/* SSE on: the compiler and picolibc use it for doubles and copies. */
	movq %cr0, %rax
	andq $~CR0_EM, %rax
	orq $(CR0_MP + CR0_NE), %rax
	movq %rax, %cr0
	movq %cr4, %rax
	orq $(CR4_OSFXSR + CR4_OSXMMEXCPT), %rax
	movq %rax, %cr4
	fninit

	movl %esi, %edi			/* zero-extends: start_info address */
	call cn_arch_start
4:	cli
	hlt
	jmp 4b

	.section .rodata.boot_msg, "a"
no_memory_msg:
	.ascii "cairn: the guest's RAM does not cover this image; "
	.asciz "give QEMU more memory (make run MEM=..., QEMU -m)\n"

	.section .data.boot_gdt, "aw"
	.balign 16
	.globl cn_arch_gdt
cn_arch_gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00209a0000000000	/* 0x08 kernel code, 64-bit */
	.quad 0x0000920000000000	/* 0x10 kernel data */
	.quad 0, 0			/* 0x18 TSS, filled by gdt_init() */
cn_arch_gdt_end:
	.balign 4
	.word 0
boot_gdt_ptr:
	.word cn_arch_gdt_end - cn_arch_gdt - 1
	.long cn_arch_gdt

	/* Partly filled: they must start zeroed. */
	.section .bss.boot_tables, "aw", @nobits
	.balign PT_SIZE
boot_pml4:	.skip PT_SIZE
boot_pdpt:	.skip PT_SIZE

	/*
	 * Written in full before use (every directory and table entry, and
	 * a stack needs no zeroes): .noinit is not cleared, which saves
	 * boot time (each `rep stos` step is a dispatch under TCG).
	 */
	.section .noinit, "aw", @nobits
	.balign PT_SIZE
boot_pd:	.skip 4 * PT_SIZE
	.globl cn_arch_boot_pt0
cn_arch_boot_pt0:
boot_pt0:	.skip PT_SIZE
	/* Unmapped once paging.c has run: an overflow faults here. */
	.globl cn_arch_boot_stack_guard
cn_arch_boot_stack_guard:
	.skip PT_PAGE_SIZE
	.globl cn_arch_boot_stack_bottom, cn_arch_boot_stack_top
cn_arch_boot_stack_bottom:
	.skip CONFIG_ARCH_X86_64_BOOT_STACK_KB * 1024
cn_arch_boot_stack_top:

	.section .data.boot_tsc, "aw"
	.balign 8
	.globl cn_arch_boot_tsc
cn_arch_boot_tsc:	.quad 0
	/* The Multiboot loader's magic (%eax at entry); 0 after PVH. */
	.globl cn_x86_boot_magic
cn_x86_boot_magic:	.long 0

	.section .note.GNU-stack, "", @progbits
