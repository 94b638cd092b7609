/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI configuration access on pc (configuration mechanism #1, ports
 * 0xcf8/0xcfc), and the virtio-mmio slots of microvm: 512-byte windows
 * from 0xfeb00000, whose interrupt lines depend on the I/O APICs QEMU
 * built (24 slots on lines 24-47 with a second I/O APIC, else 8 slots on
 * lines 16-23 with ACPI, else on 5-12). Slots may also be named on the
 * command line the way Linux takes them: virtio_mmio.device=512@0xADDR:LINE
 * (repeatable); named slots replace the scan.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/boot.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>

#define CONF_ADDR	0xcf8
#define CONF_DATA	0xcfc
#define MMIO_BASE	0xfeb00000ull
#define MMIO_SLOT	512
#define MAX_NAMED	8

static int has_pci(void)
{
	return strcmp(cn_bootinfo()->machine, "pc") == 0;
}

static int conf_addr(unsigned int bus, unsigned int dev, unsigned int fn,
		     unsigned int off)
{
	if (bus > 255 || dev > 31 || fn > 7 || off > 252 || (off & 3))
		return -EINVAL;
	cn_outl(CONF_ADDR, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | off);
	return 0;
}

int cn_plat_pci_conf_read(unsigned int bus, unsigned int dev,
			  unsigned int fn, unsigned int off, uint32_t *val)
{
	int rc;

	if (!has_pci())
		return -ENODEV;
	rc = conf_addr(bus, dev, fn, off);
	if (rc)
		return rc;
	*val = cn_inl(CONF_DATA);
	return 0;
}

int cn_plat_pci_conf_write(unsigned int bus, unsigned int dev,
			   unsigned int fn, unsigned int off, uint32_t val)
{
	int rc;

	if (!has_pci())
		return -ENODEV;
	rc = conf_addr(bus, dev, fn, off);
	if (rc)
		return rc;
	cn_outl(CONF_DATA, val);
	return 0;
}

/* SeaBIOS has assigned every BAR and written every Interrupt Line. */
unsigned int cn_plat_pci_windows(struct cn_plat_pci_window *out,
				 unsigned int max)
{
	return 0;
}

int cn_plat_pci_intx(unsigned int bus, unsigned int dev, unsigned int fn,
		     unsigned int pin, unsigned int *line, unsigned int *flags)
{
	return -ENOENT;
}

static struct cn_plat_mmio_dev named[MAX_NAMED];
static unsigned int nr_named;

/* SIZE@ADDR:LINE, SIZE with an optional K suffix, numbers in C syntax. */
static int parse_mmio_device(const char *val)
{
	struct cn_plat_mmio_dev d = { 0 };
	char *end;

	d.size = strtoull(val, &end, 0);
	if (*end == 'K' || *end == 'k') {
		d.size <<= 10;
		end++;
	}
	if (*end != '@' || !d.size)
		return -EINVAL;
	d.base = strtoull(end + 1, &end, 0);
	if (*end != ':' || !d.base)
		return -EINVAL;
	d.line = (unsigned int)strtoul(end + 1, &end, 0);
	if (*end || nr_named == MAX_NAMED)
		return -EINVAL;
	d.line_flags = CN_IRQ_LEVEL;
	named[nr_named++] = d;
	return 0;
}
CN_PARAM_FN(virtio_mmio, device, parse_mmio_device,
	    "SIZE@ADDR:LINE, a virtio-mmio device (repeatable, at most 8)");

unsigned int cn_plat_virtio_mmio_slots(struct cn_plat_mmio_dev *out,
				       unsigned int max)
{
	unsigned int i, n, first_line;

	if (nr_named) {
		for (i = 0; i < nr_named && i < max; i++)
			out[i] = named[i];
		return nr_named;
	}
	if (strcmp(cn_bootinfo()->machine, "microvm") != 0)
		return 0;
	if (cn_plat_irq_nr_controllers() > 1) {
		n = 24;
		first_line = 24;
	} else {
		n = 8;
		first_line = cn_bootinfo()->acpi_rsdp ? 16 : 5;
	}
	for (i = 0; i < n && i < max; i++) {
		out[i].base = MMIO_BASE + i * MMIO_SLOT;
		out[i].size = MMIO_SLOT;
		out[i].line = first_line + i;
		out[i].line_flags = CN_IRQ_LEVEL;
	}
	return n;
}
