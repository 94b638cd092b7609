/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to plat/qemu-aarch64. */
#ifndef QEMU_AARCH64_PRIV_H
#define QEMU_AARCH64_PRIV_H

#include <stdint.h>
#include <cairn/fdt.h>

/* The device tree QEMU passed, checked by start.c before anything else. */
extern struct cn_fdt cn_qemu_fdt;

/* The console on the device tree's PL011 (or virt's usual address). */
void cn_qemu_console_init(void);

/*
 * The first node compatible with compat, its first reg entry mapped:
 * returns the address, NULL when there is no such node.
 */
volatile void *cn_qemu_fdt_map(const char *compat, uint64_t *size);
/* The /cpus children with device_type "cpu", each through fn; their
 * number, -1 without /cpus. devices.c */
int cn_qemu_fdt_cpus(void (*fn)(int node, void *arg), void *arg);

/*
 * The interrupt ID (GIC INTID) and CN_IRQ_* flags of entry i of node's
 * "interrupts" (three cells: SPI 0 / PPI 1, number, trigger). 0 or -ENOENT.
 */
int cn_qemu_fdt_irq(int node, unsigned int i, unsigned int *intid,
		    unsigned int *flags);

/*
 * Routes the generic timer's interrupt now rather than on first use
 * (smp.c, before the other CPUs copy this CPU's GIC settings). 0 or
 * -ENODEV.
 */
int cn_qemu_timer_setup(void);

#endif
