/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PCI bus: bus -> device -> driver. The bus is enumerated at
 * CN_INIT_BUS; each device found is offered to the registered drivers in
 * link order and bound to the first whose match table names it and whose
 * probe() returns 0. A driver registers where it is defined:
 *
 *   static const struct cn_pci_id ids[] = {
 *           { 0x1af4, 0x1041 }, { 0 } };
 *   CN_PCI_DRIVER(mydrv) = { .name = "mydrv", .ids = ids,
 *                            .probe = mydrv_probe };
 *
 * probe() runs in the init thread with interrupts off; it returns 0 (bound)
 * or a negative errno (logged; the device stays unbound).
 */
#ifndef CAIRN_PCI_H
#define CAIRN_PCI_H

#include <stdint.h>
#include <cairn/table.h>

#define CN_PCI_ANY		0xffff
#define CN_PCI_CAP_MSIX		0x11
#define CN_PCI_CAP_VENDOR	0x09

struct cn_pci_bar {
	uint64_t addr;		/* memory: CPU physical address; I/O: port */
	uint64_t size;		/* 0: not implemented */
	uint8_t io;		/* I/O ports rather than memory */
	uint8_t is64;
	uint8_t prefetch;
};

struct cn_pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_device;
	uint8_t class, subclass, prog_if, revision;
	uint8_t irq_line, irq_pin;	/* INTx: firmware's line (x86), pin 1-4 */
	struct cn_pci_bar bar[6];
	char name[8];			/* "00:03.0" */
	const struct cn_pci_driver *driver;
	void *priv;			/* the driver's */
	struct cn_pci_dev *next;
	/* MSI-X, when the device has it */
	uint8_t msix_cap;
	uint16_t msix_size;
	volatile uint32_t *msix_table;
};

struct cn_pci_id {
	uint16_t vendor, device;	/* CN_PCI_ANY matches all */
};

struct cn_pci_driver {
	const char *name;
	const struct cn_pci_id *ids;	/* ends with { 0, 0 } */
	int (*probe)(struct cn_pci_dev *d);
};

#define CN_PCI_DRIVER(ident)						\
	CN_TABLE_ENTRY(cn_pci_drivers, struct cn_pci_driver, ident)

/* Every device found, in bus order (NULL before enumeration). */
struct cn_pci_dev *cn_pci_devices(void);

/* Configuration space of d. Offsets must be aligned to the width. */
uint32_t cn_pci_read32(const struct cn_pci_dev *d, unsigned int off);
uint16_t cn_pci_read16(const struct cn_pci_dev *d, unsigned int off);
uint8_t cn_pci_read8(const struct cn_pci_dev *d, unsigned int off);
void cn_pci_write32(const struct cn_pci_dev *d, unsigned int off,
		    uint32_t v);
void cn_pci_write16(const struct cn_pci_dev *d, unsigned int off,
		    uint16_t v);

/*
 * Offset of the next capability with id after offset start (0: from the
 * first), or 0 when there is none.
 */
unsigned int cn_pci_find_cap(const struct cn_pci_dev *d, uint8_t id,
			     unsigned int start);

/* Turns on memory and I/O decoding and bus mastering (DMA). */
void cn_pci_enable(const struct cn_pci_dev *d);

/*
 * Address of memory BAR i, mapped for register access; NULL when the BAR
 * is missing, an I/O BAR, or unassigned (by the firmware on pc; on a
 * board where the bus assigns BARs, when its windows had no room).
 */
volatile void *cn_pci_bar_map(const struct cn_pci_dev *d, unsigned int i);

/*
 * Interrupts. MSI-X: cn_pci_msix_enable() turns it on (every entry masked)
 * and returns the table size, or -ENOTSUP without the capability or on a
 * machine without an MSI target (arm64 so far);
 * cn_pci_msix_route() points entry at vector and unmasks it. INTx:
 * cn_pci_intx_route() routes the device's line (the board's interrupt-map
 * where it has one, else the firmware's Interrupt Line) to vector, or
 * returns -ENODEV when there is none. Handlers: cn_arch_irq_register().
 */
int cn_pci_msix_enable(struct cn_pci_dev *d);
int cn_pci_msix_route(struct cn_pci_dev *d, unsigned int entry,
		      unsigned int vector);
int cn_pci_intx_route(struct cn_pci_dev *d, unsigned int vector);

#endif
