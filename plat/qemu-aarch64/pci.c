/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI on QEMU virt: the generic ECAM host bridge of the device tree
 * ("pci-host-ecam-generic"). Its reg is the ECAM window (1 MiB of
 * configuration space per bus, 4 KiB per function, plain memory
 * accesses), bus-range the buses behind it, ranges the windows the bus
 * may place BARs in (I/O, 32-bit and 64-bit memory) and interrupt-map
 * how each slot's INTx pins reach the GIC. Booted with -kernel, no
 * firmware has assigned anything: drivers/bus/pci assigns the BARs from
 * the windows given here, and a device's INTx line comes from the map,
 * not from its Interrupt Line register.
 */
#include <errno.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include "qemu_priv.h"

#define SPACE_IO	1	/* ranges' phys.hi space code (bits 24-25) */
#define SPACE_MEM32	2
#define SPACE_MEM64	3
#define MAP_MAX_CELLS	16

static struct {
	int state;			/* 0 not looked, 1 found, -1 none */
	int node;
	volatile uint8_t *ecam;
	unsigned int bus_first, bus_last;
} host;

static int host_setup(void)
{
	uint64_t base, size;
	uint32_t lo, hi;

	if (host.state)
		return host.state > 0 ? 0 : -ENODEV;
	host.state = -1;
	host.node = cn_fdt_find_compatible(&cn_qemu_fdt, -1,
					   "pci-host-ecam-generic");
	if (host.node < 0 ||
	    cn_fdt_reg(&cn_qemu_fdt, host.node, 0, &base, &size))
		return -ENODEV;
	if (cn_fdt_getprop_u32(&cn_qemu_fdt, host.node, "bus-range", 0, &lo) ||
	    cn_fdt_getprop_u32(&cn_qemu_fdt, host.node, "bus-range", 1, &hi)) {
		lo = 0;
		hi = (uint32_t)(size >> 20) - 1;
	}
	/* Never beyond the window, whatever bus-range says. */
	if (hi > 255 || ((uint64_t)(hi - lo) + 1) << 20 > size || lo > hi) {
		cn_pr_err("pci: ECAM window %#llx+%#llx too small for buses "
			  "%u-%u; no PCI", (unsigned long long)base,
			  (unsigned long long)size, lo, hi);
		return -ENODEV;
	}
	host.ecam = cn_arch_map_mmio(base, size);
	if (!host.ecam) {
		cn_pr_err("pci: ECAM window at %#llx cannot be mapped; no PCI",
			  (unsigned long long)base);
		return -ENODEV;
	}
	host.bus_first = lo;
	host.bus_last = hi;
	host.state = 1;
	cn_pr_debug("ECAM at %#llx, buses %u-%u", (unsigned long long)base,
		    lo, hi);
	return 0;
}

static volatile uint32_t *conf_addr(unsigned int bus, unsigned int dev,
				    unsigned int fn, unsigned int off)
{
	if (bus < host.bus_first || bus > host.bus_last || dev > 31 ||
	    fn > 7 || off > 252 || (off & 3))
		return NULL;
	return (volatile uint32_t *)(host.ecam +
				     ((bus - host.bus_first) << 20 |
				      dev << 15 | fn << 12 | off));
}

int cn_plat_pci_conf_read(unsigned int bus, unsigned int dev,
			  unsigned int fn, unsigned int off, uint32_t *val)
{
	volatile uint32_t *p;

	*val = 0xffffffffu;
	if (host_setup())
		return -ENODEV;
	p = conf_addr(bus, dev, fn, off);
	if (!p)
		return -EINVAL;
	*val = *p;
	return 0;
}

int cn_plat_pci_conf_write(unsigned int bus, unsigned int dev,
			   unsigned int fn, unsigned int off, uint32_t val)
{
	volatile uint32_t *p;

	if (host_setup())
		return -ENODEV;
	p = conf_addr(bus, dev, fn, off);
	if (!p)
		return -EINVAL;
	*p = val;
	return 0;
}

/* A cell of a property (-1 past its end), for ranges and interrupt-map. */
static int cells(int node, const char *name, unsigned int i, uint32_t *v)
{
	return cn_fdt_getprop_u32(&cn_qemu_fdt, node, name, i, v);
}

static unsigned int ncells(int node, const char *name, unsigned int dflt)
{
	uint32_t v;

	return cells(node, name, 0, &v) ? dflt : v;
}

/*
 * ranges: entries of the child's address (3 cells: phys.hi with the space
 * code, then the 64-bit bus address), the parent's address (the root's
 * #address-cells) and the size (the node's #size-cells).
 */
unsigned int cn_plat_pci_windows(struct cn_plat_pci_window *out,
				 unsigned int max)
{
	unsigned int pac, sc, step, i, n = 0;
	uint32_t len;
	int parent;

	if (host_setup() ||
	    !cn_fdt_getprop(&cn_qemu_fdt, host.node, "ranges", &len))
		return 0;
	parent = cn_fdt_parent(&cn_qemu_fdt, host.node);
	pac = parent >= 0 ? ncells(parent, "#address-cells", 2) : 2;
	sc = ncells(host.node, "#size-cells", 2);
	if (pac < 1 || pac > 2 || sc < 1 || sc > 2)
		return 0;
	step = 3 + pac + sc;
	for (i = 0; (i + 1) * step * 4 <= len && n < max; i++) {
		uint32_t c[7];
		unsigned int k, space;
		uint64_t cpu = 0, size = 0;

		for (k = 0; k < step; k++)
			if (cells(host.node, "ranges", i * step + k, &c[k]))
				return n;
		space = (c[0] >> 24) & 3;
		if (space != SPACE_IO && space != SPACE_MEM32 &&
		    space != SPACE_MEM64)
			continue;
		for (k = 0; k < pac; k++)
			cpu = cpu << 32 | c[3 + k];
		for (k = 0; k < sc; k++)
			size = size << 32 | c[3 + pac + k];
		out[n].type = space == SPACE_IO ? CN_PCI_WIN_IO :
			      space == SPACE_MEM32 ? CN_PCI_WIN_MEM32 :
						     CN_PCI_WIN_MEM64;
		out[n].bus = (uint64_t)c[1] << 32 | c[2];
		out[n].cpu = cpu;
		out[n].size = size;
		n++;
	}
	return n;
}

/* The node whose phandle is ph, or -ENOENT. */
static int by_phandle(uint32_t ph)
{
	int node = -1, depth = 0;
	uint32_t v;

	while ((node = cn_fdt_next_node(&cn_qemu_fdt, node, &depth)) >= 0)
		if (!cells(node, "phandle", 0, &v) && v == ph)
			return node;
	return -ENOENT;
}

/*
 * interrupt-map: entries of the child's unit address (3 cells) and pin
 * (#interrupt-cells, 1), the parent controller's phandle, its unit
 * address (its #address-cells) and its interrupt specifier (its
 * #interrupt-cells: the GIC's three). The child side is compared after
 * and-ing with interrupt-map-mask.
 */
int cn_plat_pci_intx(unsigned int bus, unsigned int dev, unsigned int fn,
		     unsigned int pin, unsigned int *line, unsigned int *flags)
{
	uint32_t key[4] = { bus << 16 | dev << 11 | fn << 8, 0, 0, pin };
	uint32_t mask[4], len, v;
	unsigned int i = 0, k;

	if (host_setup() || pin < 1 || pin > 4 ||
	    !cn_fdt_getprop(&cn_qemu_fdt, host.node, "interrupt-map", &len))
		return -ENOENT;
	for (k = 0; k < 4; k++)
		mask[k] = cells(host.node, "interrupt-map-mask", k, &v) ? ~0u
									  : v;
	while ((i + 5) * 4 <= len) {
		unsigned int pac, pic, match = 1;
		uint32_t spec[3];
		int parent;

		for (k = 0; k < 4; k++)
			if (cells(host.node, "interrupt-map", i + k, &v) ||
			    (v & mask[k]) != (key[k] & mask[k]))
				match = 0;
		if (cells(host.node, "interrupt-map", i + 4, &v) ||
		    (parent = by_phandle(v)) < 0)
			return -EINVAL;
		pac = ncells(parent, "#address-cells", 0);
		pic = ncells(parent, "#interrupt-cells", 3);
		if (pac > MAP_MAX_CELLS || pic != 3)
			return -EINVAL;	/* only the GIC's 3-cell form */
		for (k = 0; k < 3; k++)
			if (cells(host.node, "interrupt-map",
				  i + 5 + pac + k, &spec[k]))
				return -EINVAL;
		i += 5 + pac + pic;
		if (!match)
			continue;
		*line = spec[1] + (spec[0] == 1 ? 16 : 32);
		*flags = (spec[2] & 0xc ? CN_IRQ_LEVEL : CN_IRQ_EDGE) |
			 (spec[2] & 0xa ? CN_IRQ_ACTIVE_LOW : 0);
		return 0;
	}
	return -ENOENT;
}
