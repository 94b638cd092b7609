/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry of the qemu-aarch64 platform (QEMU -M virt). Everything about the
 * board comes from the device tree: booted as a Linux Image, QEMU passes
 * its address in x0; booted as an ELF, x0 is 0 and QEMU has put the tree
 * at the start of RAM (0x40000000), below the image. The tree is checked
 * (lib/fdt bounds-checks every read), the PL011 console comes up, and
 * the memory map, command line and initrd go into struct cn_bootinfo.
 * The tree's own pages are reported as reserved, so the heap never takes
 * them: the GIC, timer, RTC and virtio code read it later.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/arch/arm64.h>
#include "qemu_priv.h"

#define VIRT_RAM_BASE	0x40000000ull
#define DTB_MAX		(2u << 20)
#define CMDLINE_MAX	4096

struct cn_fdt cn_qemu_fdt;
static struct cn_bootinfo bootinfo;
static char cmdline[CMDLINE_MAX];

volatile void *cn_qemu_fdt_map(const char *compat, uint64_t *size)
{
	int node = cn_fdt_find_compatible(&cn_qemu_fdt, -1, compat);
	uint64_t base, len;

	if (node < 0 || cn_fdt_reg(&cn_qemu_fdt, node, 0, &base, &len))
		return NULL;
	if (size)
		*size = len;
	return cn_arch_map_mmio(base, len);
}

int cn_qemu_fdt_irq(int node, unsigned int i, unsigned int *intid,
		    unsigned int *flags)
{
	uint32_t type, num, trig;

	if (cn_fdt_getprop_u32(&cn_qemu_fdt, node, "interrupts", 3 * i,
			       &type) ||
	    cn_fdt_getprop_u32(&cn_qemu_fdt, node, "interrupts", 3 * i + 1,
			       &num) ||
	    cn_fdt_getprop_u32(&cn_qemu_fdt, node, "interrupts", 3 * i + 2,
			       &trig))
		return -ENOENT;
	*intid = num + (type == 1 ? 16 : 32);
	/* Trigger: 1/2 edge, 4/8 level; 2 and 8 active low. */
	*flags = (trig & 0xc ? CN_IRQ_LEVEL : CN_IRQ_EDGE) |
		 (trig & 0xa ? CN_IRQ_ACTIVE_LOW : 0);
	return 0;
}

static void add_mem(uint64_t start, uint64_t size, enum cn_mem_type type)
{
	struct cn_mem_region *r;

	if (!size)
		return;
	if (bootinfo.nr_mem == CN_BOOTINFO_MAX_MEM) {
		cn_crash_printf("qemu-aarch64: more than %d memory regions; "
				"rest ignored\n", CN_BOOTINFO_MAX_MEM);
		return;
	}
	r = &bootinfo.mem[bootinfo.nr_mem++];
	r->start = start;
	r->size = size;
	r->type = type;
}

/* The /memory nodes' RAM, with the device tree's pages cut out. */
static void read_memory(uint64_t dtb, uint64_t dtb_end)
{
	const struct cn_fdt *fdt = &cn_qemu_fdt;
	int node, depth = 0;

	dtb &= ~4095ull;
	dtb_end = CN_ALIGN_UP(dtb_end, 4096ull);
	for (node = cn_fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = cn_fdt_next_node(fdt, node, &depth)) {
		uint32_t len;
		const char *t = cn_fdt_getprop(fdt, node, "device_type", &len);
		uint64_t base, size;
		unsigned int i;

		if (!t || len < 7 || strncmp(t, "memory", len) != 0)
			continue;
		for (i = 0; !cn_fdt_reg(fdt, node, i, &base, &size); i++) {
			uint64_t end = base + size;

			if (dtb >= end || dtb_end <= base) {
				add_mem(base, size, CN_MEM_RAM);
				continue;
			}
			if (dtb > base)
				add_mem(base, dtb - base, CN_MEM_RAM);
			add_mem(dtb, dtb_end - dtb, CN_MEM_RESERVED);
			if (end > dtb_end)
				add_mem(dtb_end, end - dtb_end, CN_MEM_RAM);
		}
	}
	if (!bootinfo.nr_mem)
		cn_panic("qemu-aarch64: the device tree has no memory node");
}

/* linux,initrd-start/-end are 32 or 64 bits wide. */
static uint64_t chosen_addr(int chosen, const char *name)
{
	uint32_t len;
	const uint8_t *p = cn_fdt_getprop(&cn_qemu_fdt, chosen, name, &len);

	return !p ? 0 : len == 8 ? cn_fdt64(p) : len == 4 ? cn_fdt32(p) : 0;
}

static void read_chosen(void)
{
	int chosen = cn_fdt_path_offset(&cn_qemu_fdt, "/chosen");
	const char *args;
	uint32_t len;
	uint64_t start, end;

	bootinfo.cmdline = cmdline;
	if (chosen < 0)
		return;
	args = cn_fdt_getprop(&cn_qemu_fdt, chosen, "bootargs", &len);
	if (args && len) {
		size_t n = strnlen(args, len);

		if (n >= sizeof(cmdline))
			cn_panic("command line longer than %d bytes",
				 CMDLINE_MAX - 1);
		memcpy(cmdline, args, n);
	}
	start = chosen_addr(chosen, "linux,initrd-start");
	end = chosen_addr(chosen, "linux,initrd-end");
	if (start && end > start) {
		bootinfo.initrd_start = start;
		bootinfo.initrd_size = end - start;
	}
}

/* At the plat level, once log.level= from the command line is in force. */
static int memmap_log(void)
{
	cn_pr_debug("device tree at %p, %u bytes", (const void *)cn_qemu_fdt.blob,
		    cn_qemu_fdt.size);
	cn_bootinfo_log();
	return 0;
}
CN_INIT(memmap_log, CN_INIT_PLAT);

void cn_plat_start(uintptr_t dtb)
{
	int rc;

	if (!dtb)
		dtb = VIRT_RAM_BASE;
	rc = cn_fdt_init(&cn_qemu_fdt, (const void *)dtb, DTB_MAX);
	cn_qemu_console_init();
	if (rc)
		cn_panic("qemu-aarch64: no valid device tree at %#lx (%d): "
			 "boot this image with QEMU -M virt -kernel",
			 (unsigned long)dtb, rc);
	read_memory(dtb, dtb + cn_qemu_fdt.size);
	read_chosen();
	bootinfo.plat_name = "qemu-aarch64";
	bootinfo.machine = "virt";
	cn_boot_start(&bootinfo);
}
