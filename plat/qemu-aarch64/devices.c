/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Devices the board describes: the virtio-mmio slots of the device tree
 * ("virtio,mmio" nodes; QEMU virt has 32, most of them empty), for the
 * virtio MMIO transport. PCI (virt's generic ECAM host bridge) is in
 * pci.c.
 */
#include <string.h>
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

/*
 * The /cpus children with device_type "cpu", in order: fn(node, arg) for
 * each when fn is given. Their number; -1 without /cpus.
 */
int cn_qemu_fdt_cpus(void (*fn)(int node, void *arg), void *arg)
{
	const struct cn_fdt *fdt = &cn_qemu_fdt;
	int cpus = cn_fdt_path_offset(fdt, "/cpus"), node, depth = 0, n = 0;

	if (cpus < 0)
		return -1;
	for (node = cn_fdt_next_node(fdt, cpus, &depth);
	     node >= 0 && depth > 0;
	     node = cn_fdt_next_node(fdt, node, &depth)) {
		uint32_t len;
		const char *t = cn_fdt_getprop(fdt, node, "device_type", &len);

		if (depth != 1 || !t || len < 4 || strncmp(t, "cpu", len))
			continue;
		if (fn)
			fn(node, arg);
		n++;
	}
	return n;
}

/* QEMU's virt lists the CPUs it starts (-smp N), not maxcpus: at least 1. */
unsigned int cn_plat_cpus_possible(void)
{
	int n = cn_qemu_fdt_cpus(NULL, NULL);

	return n > 0 ? (unsigned int)n : 1;
}

unsigned int cn_plat_cpus_present(void)
{
	return cn_plat_cpus_possible();
}
