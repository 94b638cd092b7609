/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to plat/qemu-x86_64. */
#ifndef QEMU_PRIV_H
#define QEMU_PRIV_H

/*
 * The page of low memory the application processors start in (SMP): the
 * memory map marks it reserved so that no allocator hands it out.
 * Included by trampoline.S too.
 */
#define CN_QEMU_TRAMPOLINE	0x8000
#define CN_QEMU_TRAMPOLINE_SIZE	0x1000

#ifndef __ASSEMBLY__
#include <stdint.h>

void cn_qemu_console_init(void);

/*
 * Fills bi's memory map, command line, initrd, RSDP, framebuffer and
 * boot_protocol from a Multiboot1 or Multiboot2 (magic) information block
 * (multiboot.c). A malformed block stops the image with a message.
 */
struct cn_bootinfo;
void cn_qemu_multiboot_read(uint32_t magic, uintptr_t info,
			    struct cn_bootinfo *bi);

/* An ACPI table by its 4-character signature, or NULL. irqchip.c */
const uint8_t *cn_qemu_acpi_table(const char *sig);
/* The MADT's CPU entries, each through fn; their number. irqchip.c */
int cn_qemu_madt_cpus(void (*fn)(uint32_t apic_id, int usable, void *arg),
		      void *arg);

/* trampoline.S: the code smp.c copies to CN_QEMU_TRAMPOLINE. */
extern const char cn_qemu_trampoline[], cn_qemu_trampoline_end[];
#endif

#endif
