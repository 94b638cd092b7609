/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt controller: an Arm GICv2 (QEMU virt's default), found in
 * the device tree ("arm,cortex-a15-gic": distributor, then CPU interface).
 * Set up on first use. Interrupt lines are GIC interrupt IDs (PPIs 16-31,
 * SPIs 32-1019); each routed line is mapped onto the Cairn vector its
 * driver registered (cn_arch_irq_register()), and the arch's IRQ entry
 * asks ack() which vector arrived. One CPU: every SPI targets CPU 0.
 * GICv3 (-M virt,gic-version=3) is not driven yet: the platform says so
 * at the first routing request.
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/arch/arm64.h>
#include "qemu_priv.h"

#define NR_INTID	1020
#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_BPR	0x008
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010

static volatile uint8_t *gicd, *gicc;
static uint8_t vector_of[NR_INTID];
static unsigned int nr_lines;
static int state;		/* 0 not tried, 1 ready, -1 none */

static inline void w32(volatile uint8_t *b, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

static inline uint32_t r32(volatile uint8_t *b, unsigned int off)
{
	return *(volatile uint32_t *)(b + off);
}

static int ack(uint32_t *token)
{
	uint32_t iar = r32(gicc, GICC_IAR);
	unsigned int id = iar & 0x3ff;

	if (id >= NR_INTID)
		return -1;		/* spurious: no end of interrupt */
	*token = iar;
	return vector_of[id];		/* 0: no handler, reported once */
}

static void eoi(uint32_t token)
{
	w32(gicc, GICC_EOIR, token);
}

static const struct cn_arm64_irqchip gicv2 = { .ack = ack, .eoi = eoi };

static int gic_setup(void)
{
	int node;
	uint64_t base, size;

	if (state)
		return state > 0 ? 0 : -ENODEV;
	state = -1;
	node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,cortex-a15-gic");
	if (node < 0)
		node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,gic-400");
	if (node < 0) {
		if (cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,gic-v3") >= 0)
			cn_pr_err("GICv3 is not supported yet: run with "
				  "-M virt,gic-version=2 (QEMU's default)");
		else
			cn_pr_err("no GIC in the device tree");
		return -ENODEV;
	}
	if (cn_fdt_reg(&cn_qemu_fdt, node, 0, &base, &size) ||
	    !(gicd = cn_arch_map_mmio(base, size)) ||
	    cn_fdt_reg(&cn_qemu_fdt, node, 1, &base, &size) ||
	    !(gicc = cn_arch_map_mmio(base, size)))
		return -ENODEV;
	nr_lines = 32 * ((r32(gicd, GICD_TYPER) & 0x1f) + 1);
	if (nr_lines > NR_INTID)
		nr_lines = NR_INTID;
	w32(gicd, GICD_CTLR, 1);
	w32(gicc, GICC_PMR, 0xff);	/* let every priority through */
	w32(gicc, GICC_BPR, 0);
	w32(gicc, GICC_CTLR, 1);
	cn_arm64_set_irqchip(&gicv2);
	state = 1;
	cn_pr_debug("GICv2 at %p/%p, %u interrupt lines", (void *)gicd,
		    (void *)gicc, nr_lines);
	return 0;
}

int cn_plat_irq_route(unsigned int line, unsigned int vector,
		      unsigned int flags)
{
	unsigned int shift = (line % 16) * 2;
	uint32_t cfg;

	if (vector < 32 || vector > 254)
		return -EINVAL;
	if (gic_setup() || line >= nr_lines)
		return -ENODEV;
	vector_of[line] = (uint8_t)vector;
	*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + line) = 0xa0;
	if (line >= 32)
		*(volatile uint8_t *)(gicd + GICD_ITARGETSR + line) = 1;
	if (line >= 16) {	/* SGIs' configuration is fixed */
		cfg = r32(gicd, GICD_ICFGR + line / 16 * 4);
		cfg &= ~(2u << shift);
		if (!(flags & CN_IRQ_LEVEL))
			cfg |= 2u << shift;	/* edge */
		w32(gicd, GICD_ICFGR + line / 16 * 4, cfg);
	}
	w32(gicd, GICD_ISENABLER + line / 32 * 4, 1u << (line % 32));
	return 0;
}

int cn_plat_irq_mask(unsigned int line, int masked)
{
	if (gic_setup() || line >= nr_lines)
		return -ENODEV;
	w32(gicd, (masked ? GICD_ICENABLER : GICD_ISENABLER) + line / 32 * 4,
	    1u << (line % 32));
	return 0;
}

/* No ISA bus: the line is taken as given. */
unsigned int cn_plat_isa_irq_line(unsigned int isa_irq, unsigned int *flags)
{
	if (flags)
		*flags = CN_IRQ_EDGE;
	return isa_irq;
}

unsigned int cn_plat_irq_nr_controllers(void)
{
	return gic_setup() ? 0 : 1;
}
