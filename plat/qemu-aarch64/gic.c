/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt controller, chosen from the device tree and set up on
 * first use: a GICv2 ("arm,cortex-a15-gic", QEMU virt's default:
 * distributor and memory-mapped CPU interface) or a GICv3 ("arm,gic-v3",
 * -M virt,gic-version=3: distributor, a redistributor per CPU, and the
 * CPU interface in system registers). Interrupt lines are GIC interrupt
 * IDs (PPIs 16-31, SPIs 32-1019); each routed line is mapped onto the
 * Cairn vector its driver registered (cn_arch_irq_register()), and the
 * arch's IRQ entry asks ack() which vector arrived. Every SPI goes to
 * CPU 0. Every interrupt is in group 1 (non-secure), priority 0xa0.
 *
 * SMP: each CPU readies its own interface (cpu_init(): the banked GICv2
 * CPU interface and distributor registers of SGIs and PPIs, or its GICv3
 * redistributor, found by affinity, and ICC registers), taking the boot
 * CPU's per-CPU interrupts (the timer's PPI, routed before the other
 * CPUs start: a GICv2 CPU can only reach its own banked registers). IPIs
 * are SGIs 0-15, enabled on every CPU; the first IPI sent for a vector
 * gives it the next free SGI.
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include <cairn/spinlock.h>
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
#define GICD_SGIR	0xf00
#define NR_SGI		16
#define GICC_CTLR	0x000
#define GICC_PMR	0x004
#define GICC_BPR	0x008
#define GICC_IAR	0x00c
#define GICC_EOIR	0x010
#define GICD_IGROUPR	0x080
#define GICD_IROUTER	0x6000
#define GICD_CTLR_RWP	(1u << 31)
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_STRIDE	0x20000		/* RD_base + SGI_base frames */
#define GICR_TYPER_VLPIS (1u << 1)	/* two more frames (GICv4) */
#define GICR_TYPER_LAST	(1u << 4)
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
#define ICC_SGI1R_EL1	"S3_0_C12_C11_5"

static volatile uint8_t *gicd, *gicc, *gicr;	/* gicr: v3 only, CPU 0's */
static volatile uint8_t *gicr_all;	/* v3: every redistributor frame */
static uint64_t gicr_size;
static volatile uint8_t *gicr_of[CONFIG_NR_CPUS];	/* v3, per CPU */
static uint8_t v2_mask[CONFIG_NR_CPUS];	/* v2: CPU interface bit */
static struct cn_spinlock sgi_lock = CN_SPINLOCK_INIT;
static volatile uint8_t vector_of[NR_INTID];
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

static void cpu_init2(void);
static void send_ipi2(unsigned int cpu, uint32_t aff, unsigned int vector);
static const struct cn_arm64_irqchip gicv2 = {
	.ack = ack, .eoi = eoi, .cpu_init = cpu_init2, .send_ipi = send_ipi2,
};

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

static void cpu_init3(void);
static void send_ipi3(unsigned int cpu, uint32_t aff, unsigned int vector);
static const struct cn_arm64_irqchip gicv3 = {
	.ack = ack3, .eoi = eoi3, .cpu_init = cpu_init3, .send_ipi = send_ipi3,
};

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

/* The SGI that carries vector, given on first use (0-15; -1: all taken). */
static int sgi_of(unsigned int vector)
{
	unsigned long flags;
	int i;

	for (i = 0; i < NR_SGI; i++)
		if (vector_of[i] == vector)
			return i;
	flags = cn_spin_lock_irqsave(&sgi_lock);
	for (i = 0; i < NR_SGI && vector_of[i] != vector; i++)
		;
	if (i == NR_SGI)
		for (i = 0; i < NR_SGI && vector_of[i]; i++)
			;
	if (i < NR_SGI)
		vector_of[i] = (uint8_t)vector;
	cn_spin_unlock_irqrestore(&sgi_lock, flags);
	return i < NR_SGI ? i : -1;
}

/*
 * The redistributor frame whose affinity is this CPU's (GICR_TYPER's
 * upper half is Aff3.Aff2.Aff1.Aff0, the packing of hw_id), or NULL.
 */
static volatile uint8_t *gicr_find(uint32_t aff)
{
	uint64_t off = 0, typer;

	while (off + GICR_STRIDE <= gicr_size) {
		typer = *(volatile uint64_t *)(gicr_all + off + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			return gicr_all + off;
		if (typer & GICR_TYPER_LAST)
			break;
		off += typer & GICR_TYPER_VLPIS ? 2 * GICR_STRIDE :
		       GICR_STRIDE;
	}
	return NULL;
}

static void gicr_wake(volatile uint8_t *rd)
{
	unsigned int spins = 0;

	w32(rd, GICR_WAKER, r32(rd, GICR_WAKER) & ~WAKER_SLEEP);
	while ((r32(rd, GICR_WAKER) & WAKER_ASLEEP) && ++spins < 1000000)
		;
}

/* SGIs 0-15 at priority 0xa0, enabled (base: GICv2's banked distributor
 * registers or a GICv3 redistributor's SGI frame). */
static void sgis_on(volatile uint8_t *base)
{
	unsigned int i;

	for (i = 0; i < NR_SGI; i++)
		*(volatile uint8_t *)(base + GICD_IPRIORITYR + i) = 0xa0;
	w32(base, GICD_ISENABLER, 0xffffu);
}

static void icc_on(void)
{
	sysreg_write(0, 1);		/* SRE: system register interface */
	sysreg_write(1, 0xff);
	sysreg_write(2, 0);
	sysreg_write(3, 1);
}

/*
 * GICv3: affinity routing on, group 1; this CPU's redistributor woken;
 * the CPU interface through system registers.
 */
static int gicv3_setup(int node)
{
	uint64_t base, size;
	uint32_t aff = cn_arm64_aff_pack(cn_arm64_read_sysreg(mpidr_el1));

	if (cn_fdt_reg(&cn_qemu_fdt, node, 0, &base, &size) ||
	    !(gicd = cn_arch_map_mmio(base, size)) ||
	    cn_fdt_reg(&cn_qemu_fdt, node, 1, &base, &size) ||
	    !(gicr_all = cn_arch_map_mmio(base, size)))
		return -ENODEV;
	gicr_size = size;
	gicr = gicr_find(aff);
	if (!gicr) {
		cn_pr_err("GICv3: no redistributor for this CPU (affinity "
			  "%#x)", aff);
		return -ENODEV;
	}
	gicr_of[0] = gicr;
	nr_lines = 32 * ((r32(gicd, GICD_TYPER) & 0x1f) + 1);
	if (nr_lines > NR_INTID)
		nr_lines = NR_INTID;
	w32(gicd, GICD_CTLR, 0);
	wait_rwp();
	w32(gicd, GICD_CTLR, (1u << 4) | (1u << 1) | 1u);  /* ARE, grp 1, 0 */
	wait_rwp();
	gicr_wake(gicr);
	w32(gicr + GICR_SGI, GICD_IGROUPR, 0xffffffffu);
	sgis_on(gicr + GICR_SGI);
	icc_on();
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
	sgis_on(gicd);
	/* Reads of ITARGETSR0-7 give this CPU's own bit (0: one CPU). */
	v2_mask[0] = *(volatile uint8_t *)(gicd + GICD_ITARGETSR);
	cn_arm64_set_irqchip(&gicv2);
	state = 1;
	cn_pr_debug("GICv2 at %p/%p, %u interrupt lines", (void *)gicd,
		    (void *)gicc, nr_lines);
	return 0;
}

/*
 * A secondary CPU's GICv2 interface: its banked registers for SGIs and
 * PPIs copied from the boot CPU's settings (vector_of says which PPIs
 * are routed; the trigger of a PPI is the same on every CPU).
 */
static void cpu_init2(void)
{
	unsigned int cpu = cn_cpu_id(), i;

	sgis_on(gicd);
	for (i = NR_SGI; i < 32; i++) {
		if (!vector_of[i])
			continue;
		*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + i) = 0xa0;
		w32(gicd, GICD_ISENABLER, 1u << i);
	}
	w32(gicc, GICC_PMR, 0xff);
	w32(gicc, GICC_BPR, 0);
	w32(gicc, GICC_CTLR, 1);
	if (cpu < CONFIG_NR_CPUS)
		v2_mask[cpu] = *(volatile uint8_t *)(gicd + GICD_ITARGETSR);
}

static void send_ipi2(unsigned int cpu, uint32_t aff, unsigned int vector)
{
	int sgi = sgi_of(vector);
	uint32_t mask = cpu < CONFIG_NR_CPUS ? v2_mask[cpu] : 0;

	(void)aff;
	if (sgi < 0 || !mask)
		return;
	cn_arch_wmb();		/* what the IPI announces, before it */
	w32(gicd, GICD_SGIR, mask << 16 | (uint32_t)sgi);
}

/*
 * A secondary CPU's GICv3 redistributor (found by its affinity), woken,
 * with the boot CPU's SGI and PPI settings; then its ICC registers.
 */
static void cpu_init3(void)
{
	unsigned int cpu = cn_cpu_id(), i;
	volatile uint8_t *rd = gicr_find(cn_arm64_aff_pack(
					 cn_arm64_read_sysreg(mpidr_el1)));

	if (!rd || cpu >= CONFIG_NR_CPUS) {
		cn_pr_err("GICv3: no redistributor for CPU %u", cpu);
		return;
	}
	gicr_of[cpu] = rd;
	gicr_wake(rd);
	w32(rd + GICR_SGI, GICD_IGROUPR, 0xffffffffu);
	for (i = NR_SGI; i < 32; i++)
		*(volatile uint8_t *)(rd + GICR_SGI + GICD_IPRIORITYR + i) =
			*(volatile uint8_t *)(gicr + GICR_SGI +
					      GICD_IPRIORITYR + i);
	w32(rd + GICR_SGI, GICD_ICFGR + 4, r32(gicr + GICR_SGI, GICD_ICFGR + 4));
	sgis_on(rd + GICR_SGI);
	w32(rd + GICR_SGI, GICD_ISENABLER, r32(gicr + GICR_SGI, GICD_ISENABLER));
	icc_on();
}

static void send_ipi3(unsigned int cpu, uint32_t aff, unsigned int vector)
{
	int sgi = sgi_of(vector);
	uint64_t v;

	(void)cpu;
	if (sgi < 0 || (aff & 0xff) >= 16)
		return;
	/* Aff3 [55:48], Aff2 [39:32], INTID [27:24], Aff1 [23:16], list */
	v = (uint64_t)(aff >> 24) << 48 | (uint64_t)((aff >> 16) & 0xff) << 32 |
	    (uint64_t)sgi << 24 | (uint64_t)((aff >> 8) & 0xff) << 16 |
	    1u << (aff & 0xff);
	__asm__ volatile("dsb ishst; msr " ICC_SGI1R_EL1 ", %0; isb"
			 : : "r"(v) : "memory");
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
