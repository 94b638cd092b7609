/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI enumeration and driver binding. Every bus reachable from bus 0
 * through PCI-PCI bridges is scanned (functions 1-7 only on multi-function
 * devices); each function gets a struct cn_pci_dev with its IDs, class,
 * INTx line and sized BARs. Then each device is offered to the drivers of
 * the cn_pci_drivers table. A device nobody claims is listed at debug
 * level; a probe that fails is logged and the boot goes on.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cairn/arch.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/pci.h>
#include <cairn/plat.h>

#define CFG_ID		0x00
#define CFG_COMMAND	0x04
#define CFG_CLASS	0x08
#define CFG_HEADER	0x0c
#define CFG_BAR0	0x10
#define CFG_BUSES	0x18
#define CFG_SUBSYS	0x2c
#define CFG_CAP_PTR	0x34
#define CFG_INTR	0x3c
#define CMD_IO		0x1
#define CMD_MEM		0x2
#define CMD_MASTER	0x4
#define CMD_INTX_OFF	0x400
#define STATUS_CAPS	0x10
#define MSIX_ENABLE	0x8000
#define MSIX_MASKALL	0x4000
#define MSI_PROBE_VECTOR	32

CN_TABLE_DECLARE(cn_pci_drivers, struct cn_pci_driver);

static struct cn_pci_dev *devices, **devices_tail = &devices;

struct cn_pci_dev *cn_pci_devices(void)
{
	return devices;
}

static uint32_t conf_read(unsigned int bus, unsigned int dev,
			  unsigned int fn, unsigned int off)
{
	uint32_t v;

	if (cn_plat_pci_conf_read(bus, dev, fn, off, &v))
		return 0xffffffff;
	return v;
}

uint32_t cn_pci_read32(const struct cn_pci_dev *d, unsigned int off)
{
	return conf_read(d->bus, d->dev, d->fn, off & ~3u);
}

uint16_t cn_pci_read16(const struct cn_pci_dev *d, unsigned int off)
{
	return (uint16_t)(cn_pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t cn_pci_read8(const struct cn_pci_dev *d, unsigned int off)
{
	return (uint8_t)(cn_pci_read32(d, off) >> ((off & 3) * 8));
}

void cn_pci_write32(const struct cn_pci_dev *d, unsigned int off, uint32_t v)
{
	cn_plat_pci_conf_write(d->bus, d->dev, d->fn, off & ~3u, v);
}

void cn_pci_write16(const struct cn_pci_dev *d, unsigned int off, uint16_t v)
{
	unsigned int shift = (off & 2) * 8;
	uint32_t w = cn_pci_read32(d, off);

	/* The status register (0x06) clears bits written as 1: write 0s. */
	if ((off & ~3u) == CFG_COMMAND)
		w &= 0xffff;
	w = (w & ~(0xffffu << shift)) | (uint32_t)v << shift;
	cn_pci_write32(d, off, w);
}

unsigned int cn_pci_find_cap(const struct cn_pci_dev *d, uint8_t id,
			     unsigned int start)
{
	unsigned int off, guard = 48;

	if (!(cn_pci_read16(d, 0x06) & STATUS_CAPS))
		return 0;
	off = start ? cn_pci_read8(d, start + 1) : cn_pci_read8(d, CFG_CAP_PTR);
	while (off >= 0x40 && off < 256 && guard--) {
		off &= ~3u;
		if (cn_pci_read8(d, off) == id)
			return off;
		off = cn_pci_read8(d, off + 1);
	}
	return 0;
}

void cn_pci_enable(const struct cn_pci_dev *d)
{
	uint16_t cmd = cn_pci_read16(d, CFG_COMMAND);

	cn_pci_write16(d, CFG_COMMAND, cmd | CMD_IO | CMD_MEM | CMD_MASTER);
}

volatile void *cn_pci_bar_map(const struct cn_pci_dev *d, unsigned int i)
{
	const struct cn_pci_bar *b;

	if (i >= 6)
		return NULL;
	b = &d->bar[i];
	if (!b->size || b->io || !b->addr)
		return NULL;
	return cn_arch_map_mmio(b->addr, b->size);
}

/* Sizes the BARs with decoding off, so no sizing pattern ever decodes. */
static void read_bars(struct cn_pci_dev *d, unsigned int nr)
{
	uint16_t cmd = cn_pci_read16(d, CFG_COMMAND);
	unsigned int i;

	cn_pci_write16(d, CFG_COMMAND, cmd & ~(CMD_IO | CMD_MEM));
	for (i = 0; i < nr; i++) {
		struct cn_pci_bar *b = &d->bar[i];
		unsigned int off = CFG_BAR0 + 4 * i;
		uint32_t lo = cn_pci_read32(d, off), szlo, hi = 0, szhi = ~0u;
		uint64_t mask;

		cn_pci_write32(d, off, ~0u);
		szlo = cn_pci_read32(d, off);
		cn_pci_write32(d, off, lo);
		if (!szlo || szlo == ~0u)
			continue;
		if (lo & 1) {
			b->io = 1;
			b->addr = lo & ~3u;
			b->size = (uint16_t)~(szlo & ~3u) + 1;
			continue;
		}
		b->prefetch = !!(lo & 8);
		if (((lo >> 1) & 3) == 2 && i + 1 < nr) {
			b->is64 = 1;
			hi = cn_pci_read32(d, off + 4);
			cn_pci_write32(d, off + 4, ~0u);
			szhi = cn_pci_read32(d, off + 4);
			cn_pci_write32(d, off + 4, hi);
		}
		mask = ((uint64_t)szhi << 32) | (szlo & ~0xfu);
		b->addr = ((uint64_t)hi << 32) | (lo & ~0xfu);
		b->size = ~mask + 1;
		if (b->is64)
			i++;
	}
	cn_pci_write16(d, CFG_COMMAND, cmd);
}

/*
 * BAR assignment, on boards whose firmware leaves it to us (the platform
 * gives windows). Each BAR is naturally aligned (its size is a power of
 * two) in the first window of its kind with room: memory BARs in the
 * 32-bit window first, which needs no mapping above 4 GiB, then in the
 * 64-bit one for a 64-bit BAR; I/O BARs in the I/O window, skipping the
 * legacy ISA ports below 0x1000. Devices behind PCI-PCI bridges would
 * need the bridges' windows programmed too: not done (QEMU virt puts
 * devices on bus 0).
 */
#define MAX_WINDOWS	8
static struct cn_plat_pci_window windows[MAX_WINDOWS];
static uint64_t window_next[MAX_WINDOWS];
static unsigned int nr_windows;

static int window_alloc(unsigned int type, uint64_t size, uint64_t *bus,
			uint64_t *cpu)
{
	unsigned int i;

	for (i = 0; i < nr_windows; i++) {
		struct cn_plat_pci_window *w = &windows[i];
		uint64_t at = (window_next[i] + size - 1) & ~(size - 1);

		if (w->type != type || at < window_next[i] ||
		    at - w->bus > w->size || size > w->size - (at - w->bus))
			continue;
		window_next[i] = at + size;
		*bus = at;
		*cpu = w->cpu + (at - w->bus);
		return 0;
	}
	return -ENOSPC;
}

static void assign_bars(struct cn_pci_dev *d)
{
	uint16_t cmd = cn_pci_read16(d, CFG_COMMAND);
	unsigned int i;

	cn_pci_write16(d, CFG_COMMAND, cmd & ~(CMD_IO | CMD_MEM));
	for (i = 0; i < 6; i++) {
		struct cn_pci_bar *b = &d->bar[i];
		unsigned int off = CFG_BAR0 + 4 * i;
		uint64_t bus = 0, cpu = 0;
		int rc;

		if (!b->size)
			continue;
		if (b->io)
			rc = window_alloc(CN_PCI_WIN_IO, b->size, &bus, &cpu);
		else if ((rc = window_alloc(CN_PCI_WIN_MEM32, b->size, &bus,
					    &cpu)) && b->is64)
			rc = window_alloc(CN_PCI_WIN_MEM64, b->size, &bus,
					  &cpu);
		if (rc) {
			cn_pr_warn("pci %s: no room for BAR %u (%llu bytes); "
				   "left off", d->name, i,
				   (unsigned long long)b->size);
			b->addr = 0;
		} else {
			uint32_t type = cn_pci_read32(d, off) &
					(b->io ? 3u : 0xfu);

			cn_pci_write32(d, off, (uint32_t)bus | type);
			if (b->is64)
				cn_pci_write32(d, off + 4,
					       (uint32_t)(bus >> 32));
			/* I/O BARs keep the port; memory BARs the CPU's view. */
			b->addr = b->io ? bus : cpu;
		}
		if (b->is64)
			i++;
	}
	cn_pci_write16(d, CFG_COMMAND, cmd);
}

static void scan_bus(unsigned int bus, unsigned int depth);

static void add_function(unsigned int bus, unsigned int dev, unsigned int fn,
			 uint32_t id, unsigned int depth)
{
	struct cn_pci_dev *d = calloc(1, sizeof(*d));
	uint32_t class, hdr;

	if (!d) {
		cn_pr_err("%02x:%02x.%u: out of memory; device skipped",
			  bus, dev, fn);
		return;
	}
	d->bus = (uint8_t)bus;
	d->dev = (uint8_t)dev;
	d->fn = (uint8_t)fn;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	snprintf(d->name, sizeof(d->name), "%02x:%02x.%u", bus, dev, fn);
	class = cn_pci_read32(d, CFG_CLASS);
	d->class = class >> 24;
	d->subclass = (class >> 16) & 0xff;
	d->prog_if = (class >> 8) & 0xff;
	d->revision = class & 0xff;
	hdr = (cn_pci_read32(d, CFG_HEADER) >> 16) & 0x7f;
	if (hdr == 0) {
		uint32_t ss = cn_pci_read32(d, CFG_SUBSYS);
		uint32_t intr = cn_pci_read32(d, CFG_INTR);

		d->subsys_vendor = ss & 0xffff;
		d->subsys_device = ss >> 16;
		d->irq_line = intr & 0xff;
		d->irq_pin = (intr >> 8) & 0xff;
		read_bars(d, 6);
		if (nr_windows)
			assign_bars(d);
	}
	*devices_tail = d;
	devices_tail = &d->next;
	if (hdr == 1 && depth < 32) {		/* PCI-PCI bridge */
		unsigned int secondary = (cn_pci_read32(d, CFG_BUSES) >> 8) & 0xff;

		if (secondary > bus)
			scan_bus(secondary, depth + 1);
	}
}

static void scan_bus(unsigned int bus, unsigned int depth)
{
	unsigned int dev, fn, nfn;

	for (dev = 0; dev < 32; dev++) {
		uint32_t id = conf_read(bus, dev, 0, CFG_ID);

		if ((id & 0xffff) == 0xffff)
			continue;
		nfn = (conf_read(bus, dev, 0, CFG_HEADER) >> 16) & 0x80 ? 8 : 1;
		for (fn = 0; fn < nfn; fn++) {
			if (fn)
				id = conf_read(bus, dev, fn, CFG_ID);
			if ((id & 0xffff) != 0xffff)
				add_function(bus, dev, fn, id, depth);
		}
	}
}

static int matches(const struct cn_pci_driver *drv, const struct cn_pci_dev *d)
{
	const struct cn_pci_id *id;

	for (id = drv->ids; id && (id->vendor || id->device); id++)
		if ((id->vendor == CN_PCI_ANY || id->vendor == d->vendor) &&
		    (id->device == CN_PCI_ANY || id->device == d->device))
			return 1;
	return 0;
}

static void bind(struct cn_pci_dev *d)
{
	cn_table_foreach(cn_pci_drivers, struct cn_pci_driver, drv) {
		int rc;

		if (!matches(drv, d))
			continue;
		rc = drv->probe(d);
		if (rc == 0) {
			d->driver = drv;
			return;
		}
		if (rc != -ENODEV)
			cn_pr_err("pci %s %04x:%04x: driver %s failed: %s; "
				  "device skipped", d->name, d->vendor,
				  d->device, drv->name, cn_errname(rc));
	}
	cn_pr_debug("pci %s %04x:%04x class %02x.%02x: no driver", d->name,
		    d->vendor, d->device, d->class, d->subclass);
}

int cn_pci_msix_enable(struct cn_pci_dev *d)
{
	unsigned int cap = cn_pci_find_cap(d, CN_PCI_CAP_MSIX, 0), i;
	uint32_t tbl;
	uint16_t ctrl;
	volatile uint8_t *bar;
	uint64_t probe_addr;
	uint32_t probe_data;

	if (!cap)
		return -ENOTSUP;
	/* An address of 0: the machine has no MSI target (arm64 so far). */
	cn_arch_msi_compose(MSI_PROBE_VECTOR, &probe_addr, &probe_data);
	if (!probe_addr)
		return -ENOTSUP;
	ctrl = cn_pci_read16(d, cap + 2);
	tbl = cn_pci_read32(d, cap + 4);
	bar = cn_pci_bar_map(d, tbl & 7);
	if (!bar || (tbl & ~7u) >= d->bar[tbl & 7].size) {
		cn_pr_warn("pci %s: MSI-X table outside its BAR; not used",
			   d->name);
		return -ENOTSUP;
	}
	d->msix_cap = (uint8_t)cap;
	d->msix_size = (ctrl & 0x7ff) + 1;
	d->msix_table = (volatile uint32_t *)(bar + (tbl & ~7u));
	/* Function masked while the entries are set up, each entry masked. */
	cn_pci_write16(d, cap + 2, ctrl | MSIX_ENABLE | MSIX_MASKALL);
	for (i = 0; i < d->msix_size; i++)
		d->msix_table[4 * i + 3] = 1;
	cn_pci_write16(d, cap + 2, (ctrl | MSIX_ENABLE) & ~MSIX_MASKALL);
	/* INTx off: MSI-X replaces it. */
	cn_pci_write16(d, CFG_COMMAND,
		       cn_pci_read16(d, CFG_COMMAND) | CMD_INTX_OFF);
	return d->msix_size;
}

int cn_pci_msix_route(struct cn_pci_dev *d, unsigned int entry,
		      unsigned int vector)
{
	volatile uint32_t *e;
	uint64_t addr;
	uint32_t data;

	if (!d->msix_table || entry >= d->msix_size)
		return -EINVAL;
	cn_arch_msi_compose(vector, &addr, &data);
	e = d->msix_table + 4 * entry;
	e[3] = 1;
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = data;
	e[3] = 0;
	return 0;
}

int cn_pci_intx_route(struct cn_pci_dev *d, unsigned int vector)
{
	unsigned int flags, line;

	int rc;

	if (!d->irq_pin)
		return -ENODEV;
	/* The board's description first (virt's interrupt-map) ... */
	rc = cn_plat_pci_intx(d->bus, d->dev, d->fn, d->irq_pin, &line,
			      &flags);
	if (rc == -ENOENT) {
		/* ... else the line the firmware wrote into the device. */
		if (d->irq_line == 0 || d->irq_line == 0xff)
			return -ENODEV;
		/* An ISA-range line keeps the firmware's override (level). */
		line = cn_plat_isa_irq_line(d->irq_line, &flags);
		if (line == d->irq_line && flags == CN_IRQ_EDGE)
			flags = CN_IRQ_LEVEL;
	} else if (rc) {
		cn_pr_warn("pci %s: the board's INTx map is unreadable: %s",
			   d->name, cn_errname(rc));
		return -ENODEV;
	}
	cn_pci_write16(d, CFG_COMMAND,
		       cn_pci_read16(d, CFG_COMMAND) & ~CMD_INTX_OFF);
	return cn_plat_irq_route(line, vector, flags);
}

static int pci_init(void)
{
	uint32_t v;
	struct cn_pci_dev *d;
	unsigned int i;

	if (cn_plat_pci_conf_read(0, 0, 0, CFG_ID, &v) == -ENODEV) {
		cn_pr_debug("no PCI on this machine");
		return 0;
	}
	nr_windows = cn_plat_pci_windows(windows, MAX_WINDOWS);
	if (nr_windows > MAX_WINDOWS)
		nr_windows = MAX_WINDOWS;
	for (i = 0; i < nr_windows; i++) {
		window_next[i] = windows[i].bus;
		if (windows[i].type == CN_PCI_WIN_IO && window_next[i] < 0x1000)
			window_next[i] = 0x1000;
	}
	scan_bus(0, 0);
	for (d = devices; d; d = d->next)
		bind(d);
	return 0;
}
CN_INIT(pci_init, CN_INIT_BUS);
