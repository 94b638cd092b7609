/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry of the qemu-x86_64 platform: reads QEMU's PVH start_info (memory
 * map, command line, initrd module) or, when a Multiboot loader started
 * the image, has multiboot.c read its information; brings up the serial
 * console and hands a struct cn_bootinfo to the generic boot code.
 */
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "qemu_priv.h"

#define PVH_MAGIC	0x336ec578
#define CMDLINE_MAX	4096
#define E820_RAM	1
#ifdef CONFIG_SMP
#define IS_SMP		1
#else
#define IS_SMP		0
#endif

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;		/* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

static struct cn_bootinfo bootinfo;
static char cmdline[CMDLINE_MAX];

/* The PCI host bridge answers on pc; microvm has no PCI at all. */
static const char *detect_machine(void)
{
	cn_outl(0xcf8, 0x80000000);
	return cn_inl(0xcfc) == 0xffffffff ? "microvm" : "pc";
}

static void read_memmap(const struct pvh_start_info *si)
{
	const struct pvh_memmap_entry *e;
	uint32_t i;

	if (si->version < 1 || !si->memmap_paddr)
		cn_panic("PVH start_info version %u has no memory map",
			 si->version);
	e = (const struct pvh_memmap_entry *)(uintptr_t)si->memmap_paddr;
	for (i = 0; i < si->memmap_entries; i++) {
		struct cn_mem_region *r;

		if (bootinfo.nr_mem == CN_BOOTINFO_MAX_MEM) {
			cn_crash_printf("qemu-x86_64: memory map has more "
					"than %d entries; rest ignored\n",
					CN_BOOTINFO_MAX_MEM);
			break;
		}
		r = &bootinfo.mem[bootinfo.nr_mem++];
		r->start = e[i].addr;
		r->size = e[i].size;
		r->type = e[i].type == E820_RAM ? CN_MEM_RAM : CN_MEM_RESERVED;
	}
}

/*
 * SMP: the application processors' trampoline page leaves the RAM, as a
 * reserved region between the two halves of the RAM region that held it,
 * so that no allocator hands it out (lib/pmem takes RAM from the map).
 */
static void reserve_trampoline(void)
{
	const uint64_t s = CN_QEMU_TRAMPOLINE;
	const uint64_t e = s + CN_QEMU_TRAMPOLINE_SIZE;
	unsigned int i;

	for (i = 0; i < bootinfo.nr_mem; i++) {
		struct cn_mem_region *r = &bootinfo.mem[i];
		uint64_t end = r->start + r->size;

		if (r->type != CN_MEM_RAM || r->start > s || end < e)
			continue;
		if (bootinfo.nr_mem + 2 > CN_BOOTINFO_MAX_MEM) {
			r->size = r->start < s ? s - r->start : 0;
			return;		/* the RAM above is lost, not the page */
		}
		memmove(r + 3, r + 1, (bootinfo.nr_mem - i - 1) * sizeof(*r));
		bootinfo.nr_mem += 2;
		r->size = s - r->start;
		r[1] = (struct cn_mem_region){ s, e - s, CN_MEM_RESERVED };
		r[2] = (struct cn_mem_region){ e, end - e, CN_MEM_RAM };
		return;
	}
}

/* At the plat level, once log.level= from the command line is in force. */
static int memmap_log(void)
{
	cn_bootinfo_log();
	return 0;
}
CN_INIT(memmap_log, CN_INIT_PLAT);

static void read_pvh(const struct pvh_start_info *si)
{
	if (!si || si->magic != PVH_MAGIC)
		cn_panic("not started through PVH (start_info %p, magic "
			 "0x%x) nor Multiboot: boot this image with QEMU "
			 "-kernel or a Multiboot loader",
			 (const void *)si, si ? si->magic : 0);
	read_memmap(si);
	if (si->cmdline_paddr) {
		const char *c = (const char *)(uintptr_t)si->cmdline_paddr;
		size_t n = 0;

		while (n < sizeof(cmdline) - 1 && c[n])
			n++;
		if (c[n])
			cn_panic("command line longer than %d bytes",
				 CMDLINE_MAX - 1);
		memcpy(cmdline, c, n);
	}
	bootinfo.cmdline = cmdline;
	bootinfo.acpi_rsdp = si->rsdp_paddr;
	if (si->nr_modules && si->modlist_paddr) {
		const struct pvh_module *m =
			(const void *)(uintptr_t)si->modlist_paddr;

		bootinfo.initrd_start = m->paddr;
		bootinfo.initrd_size = m->size;
	}
	bootinfo.boot_protocol = "pvh";
}

void cn_plat_start(uintptr_t boot_arg)
{
	cn_qemu_console_init();
	if (cn_x86_boot_magic == CN_X86_MB1_BOOT_MAGIC ||
	    cn_x86_boot_magic == CN_X86_MB2_BOOT_MAGIC)
		cn_qemu_multiboot_read(cn_x86_boot_magic, boot_arg, &bootinfo);
	else
		read_pvh((const void *)boot_arg);
	if (IS_SMP)
		reserve_trampoline();
	bootinfo.plat_name = "qemu-x86_64";
	bootinfo.machine = detect_machine();
	/* Everything the firmware left in low memory is copied now. */
	cn_arch_unmap_page0();
	cn_boot_start(&bootinfo);
}
