/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devices the board describes: the virtio-mmio slots of the device tree
 * ("virtio,mmio" nodes; QEMU virt has 32, most of them empty), for the
 * virtio MMIO transport. PCI (virt's generic ECAM host bridge) is in
 * pci.c.
 */
#include <cairn/plat.h>
#include "qemu_priv.h"

unsigned int cn_plat_virtio_mmio_slots(struct cn_plat_mmio_dev *out,
				       unsigned int max)
{
	unsigned int n = 0;
	int node = -1;

	while ((node = cn_fdt_find_compatible(&cn_qemu_fdt, node,
					      "virtio,mmio")) >= 0) {
		uint64_t base, size;
		unsigned int intid, flags;

		if (cn_fdt_reg(&cn_qemu_fdt, node, 0, &base, &size) ||
		    cn_qemu_fdt_irq(node, 0, &intid, &flags))
			continue;
		if (n < max) {
			out[n].base = base;
			out[n].size = size;
			out[n].line = intid;
			out[n].line_flags = flags;
		}
		n++;
	}
	return n;
}
