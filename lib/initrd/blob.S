/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The initrd linked into the image (LIB_INITRD_EMBED): the archive the
 * build packed ($(O)/initrd.cpio, from the app's rootfs/ or
 * LIB_INITRD_EMBED_DIR), as read-only data between two symbols.
 */
	.section .rodata.cn_initrd, "a"
	.balign 16
	.globl cn_initrd_blob_start
	.globl cn_initrd_blob_end
cn_initrd_blob_start:
	.incbin CN_INITRD_FILE
cn_initrd_blob_end:
	.section .note.GNU-stack, "", @progbits
