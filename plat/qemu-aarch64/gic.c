/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt controller, chosen from the device tree and set up on
 * first use: a GICv2 ("arm,cortex-a15-gic", QEMU virt's default:
 * distributor and memory-mapped CPU interface) or a GICv3 ("arm,gic-v3",
 * -M virt,gic-version=3: distributor, a redistributor per CPU, and the
 * CPU interface in system registers). Interrupt lines are GIC interrupt
 * IDs (PPIs 16-31, SPIs 32-1019); each routed line is mapped onto the
 * Cairn vector its driver registered (cn_arch_irq_register()), and the
 * arch's IRQ entry asks ack() which vector arrived. One CPU: every SPI
 * goes to CPU 0. Every interrupt is in group 1 (non-secure), priority
 * 0xa0.
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
#define GICD_IGROUPR	0x080
#define GICD_IROUTER	0x6000
#define GICD_CTLR_RWP	(1u << 31)
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000		/* SGI/PPI frame of a redistributor */
#define WAKER_SLEEP	(1u << 1)
#define WAKER_ASLEEP	(1u << 2)

/* GICv3 CPU interface registers, by encoding (any assembler knows them). */
#define ICC_IAR1_EL1	"S3_0_C12_C12_0"
#define ICC_EOIR1_EL1	"S3_0_C12_C12_1"
#define ICC_SRE_EL1	"S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1	"S3_0_C12_C12_7"
#define ICC_PMR_EL1	"S3_0_C4_C6_0"
#define ICC_BPR1_EL1	"S3_0_C12_C12_3"

static volatile uint8_t *gicd, *gicc, *gicr;	/* gicr: v3 only */
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

static int ack3(uint32_t *token)
{
	uint64_t iar;
	unsigned int id;

	__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
	id = iar & 0xffffff;
	if (id >= NR_INTID)
		return -1;		/* 1020-1023: spurious */
	*token = (uint32_t)iar;
	return vector_of[id];
}

static void eoi3(uint32_t token)
{
	uint64_t v = token;

	__asm__ volatile("msr " ICC_EOIR1_EL1 ", %0; isb" : : "r"(v));
}

static const struct cn_arm64_irqchip gicv3 = { .ack = ack3, .eoi = eoi3 };

static void sysreg_write(int which, uint64_t v)
{
	switch (which) {
	case 0: __asm__ volatile("msr " ICC_SRE_EL1 ", %0" : : "r"(v)); break;
	case 1: __asm__ volatile("msr " ICC_PMR_EL1 ", %0" : : "r"(v)); break;
	case 2: __asm__ volatile("msr " ICC_BPR1_EL1 ", %0" : : "r"(v)); break;
	case 3: __asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0" : : "r"(v));
		break;
	}
	cn_arm64_isb();
}

static void wait_rwp(void)
{
	unsigned int spins = 0;

	while ((r32(gicd, GICD_CTLR) & GICD_CTLR_RWP) && ++spins < 1000000)
		;
}

/*
 * GICv3: affinity routing on, group 1; this CPU's redistributor (the
 * first: one CPU) woken; the CPU interface through system registers.
 */
static int gicv3_setup(int node)
{
	uint64_t base, size;
	unsigned int spins = 0;

	if (cn_fdt_reg(&cn_qemu_fdt, node, 0, &base, &size) ||
	    !(gicd = cn_arch_map_mmio(base, size)) ||
	    cn_fdt_reg(&cn_qemu_fdt, node, 1, &base, &size) ||
	    !(gicr = cn_arch_map_mmio(base, size)))
		return -ENODEV;
	nr_lines = 32 * ((r32(gicd, GICD_TYPER) & 0x1f) + 1);
	if (nr_lines > NR_INTID)
		nr_lines = NR_INTID;
	w32(gicd, GICD_CTLR, 0);
	wait_rwp();
	w32(gicd, GICD_CTLR, (1u << 4) | (1u << 1) | 1u);  /* ARE, grp 1, 0 */
	wait_rwp();
	w32(gicr, GICR_WAKER, r32(gicr, GICR_WAKER) & ~WAKER_SLEEP);
	while ((r32(gicr, GICR_WAKER) & WAKER_ASLEEP) && ++spins < 1000000)
		;
	w32(gicr + GICR_SGI, GICD_IGROUPR, 0xffffffffu);
	sysreg_write(0, 1);		/* SRE: system register interface */
	sysreg_write(1, 0xff);
	sysreg_write(2, 0);
	sysreg_write(3, 1);
	cn_arm64_set_irqchip(&gicv3);
	cn_pr_debug("GICv3 at %p, redistributor %p, %u interrupt lines",
		    (void *)gicd, (void *)gicr, nr_lines);
	return 0;
}

static int gic_setup(void)
{
	int node;
	uint64_t base, size;

	if (state)
		return state > 0 ? 0 : -ENODEV;
	state = -1;
	node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,gic-v3");
	if (node >= 0) {
		if (gicv3_setup(node))
			return -ENODEV;
		state = 1;
		return 0;
	}
	node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,cortex-a15-gic");
	if (node < 0)
		node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, "arm,gic-400");
	if (node < 0) {
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
	volatile uint8_t *base;
	uint32_t cfg;

	if (vector < 32 || vector > 254)
		return -EINVAL;
	if (gic_setup() || line >= nr_lines)
		return -ENODEV;
	/* On GICv3, SGIs and PPIs are the redistributor's. */
	base = gicr && line < 32 ? gicr + GICR_SGI : gicd;
	vector_of[line] = (uint8_t)vector;
	*(volatile uint8_t *)(base + GICD_IPRIORITYR + line) = 0xa0;
	if (gicr && line >= 32) {
		w32(gicd, GICD_IGROUPR + line / 32 * 4,
		    r32(gicd, GICD_IGROUPR + line / 32 * 4) |
		    1u << (line % 32));
		*(volatile uint64_t *)(gicd + GICD_IROUTER + 8 * line) = 0;
	} else if (line >= 32) {
		*(volatile uint8_t *)(gicd + GICD_ITARGETSR + line) = 1;
	}
	if (line >= 16) {	/* SGIs' configuration is fixed */
		cfg = r32(base, GICD_ICFGR + line / 16 * 4);
		cfg &= ~(2u << shift);
		if (!(flags & CN_IRQ_LEVEL))
			cfg |= 2u << shift;	/* edge */
		w32(base, GICD_ICFGR + line / 16 * 4, cfg);
	}
	w32(base, GICD_ISENABLER + line / 32 * 4, 1u << (line % 32));
	return 0;
}

int cn_plat_irq_mask(unsigned int line, int masked)
{
	if (gic_setup() || line >= nr_lines)
		return -ENODEV;
	w32(gicr && line < 32 ? gicr + GICR_SGI : gicd,
	    (masked ? GICD_ICENABLER : GICD_ISENABLER) + line / 32 * 4,
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
