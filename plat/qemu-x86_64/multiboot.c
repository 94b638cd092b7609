/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot information from a Multiboot1 or Multiboot2 loader (GRUB's
 * multiboot/multiboot2, syslinux's mboot.c32, QEMU's -kernel given the
 * flat copy of the image), beside pvh.c which reads PVH's start_info.
 * boot.S saved the loader's magic in cn_x86_boot_magic; the information
 * block is wherever the loader left it, identity-mapped like all of the
 * first 4 GiB.
 *
 * The loader is trusted to be a loader, not to be bug-free: every length
 * is checked against the block it sits in, and a block that does not add
 * up stops the image with a message naming the field, rather than being
 * read past its end.
 */
#include <stdint.h>
#include <string.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/arch/x86_64.h>
#include "qemu_priv.h"

/* Multiboot1 information: flags say which fields are valid. */
#define MB1_INFO_MEMORY		(1u << 0)
#define MB1_INFO_CMDLINE	(1u << 2)
#define MB1_INFO_MODS		(1u << 3)
#define MB1_INFO_MMAP		(1u << 6)
#define MB1_INFO_LOADER		(1u << 9)
#define MB1_INFO_FB		(1u << 12)

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;	/* KiB below 1 MiB, above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe[4];
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp, fb_type;
} __attribute__((packed));

struct mb1_mmap {
	uint32_t size;			/* of the rest of the entry */
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct mb1_module {
	uint32_t start, end, string, reserved;
};

/* Multiboot2: a size-prefixed list of 8-byte aligned tags. */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MODULE		3
#define MB2_TAG_MEMINFO		4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FB		8
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_INFO_MAX		(1u << 20)	/* a sanity bound */

struct mb2_tag {
	uint32_t type, size;
};

#define E820_RAM		1
#define FB_TYPE_RGB		1
#define RSDP_MAX		36		/* ACPI 2.0 RSDP */

static char cmdline[4096];
/* The loader's copy of the RSDP lives in its block; ours outlives it. */
static uint8_t rsdp[RSDP_MAX];

CN_NORETURN static void bad(const char *proto, const char *what,
			    uint64_t value)
{
	cn_panic("%s boot information is malformed: %s (%#llx); "
		 "boot this image with a Multiboot-compliant loader", proto,
		 what, (unsigned long long)value);
}

static void add_region(struct cn_bootinfo *bi, uint64_t start, uint64_t len,
		       uint32_t type)
{
	static int warned;
	struct cn_mem_region *r;

	if (bi->nr_mem == CN_BOOTINFO_MAX_MEM) {
		if (!warned++)
			cn_crash_printf("qemu-x86_64: memory map has more than "
					"%d entries; rest ignored\n",
					CN_BOOTINFO_MAX_MEM);
		return;
	}
	r = &bi->mem[bi->nr_mem++];
	r->start = start;
	r->size = len;
	r->type = type == E820_RAM ? CN_MEM_RAM : CN_MEM_RESERVED;
}

/* Copies a NUL-terminated string of at most max bytes (max: its space). */
static void copy_cmdline(const char *proto, const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && n < sizeof(cmdline) && s[n])
		n++;
	if (n == sizeof(cmdline))
		cn_panic("command line longer than %zu bytes",
			 sizeof(cmdline) - 1);
	if (n == max)
		bad(proto, "command line not terminated within its tag", max);
	memcpy(cmdline, s, n);
	cmdline[n] = '\0';
}

static void set_fb(struct cn_bootinfo *bi, uint64_t addr, uint32_t pitch,
		   uint32_t width, uint32_t height, uint8_t bpp, uint8_t type)
{
	/* Only a direct-colour framebuffer the console could draw into. */
	if (type != FB_TYPE_RGB || !addr || !width || !height || !bpp ||
	    (uint64_t)pitch < (uint64_t)width * ((bpp + 7) / 8))
		return;
	bi->fb_addr = addr;
	bi->fb_pitch = pitch;
	bi->fb_width = width;
	bi->fb_height = height;
	bi->fb_bpp = bpp;
}

/*
 * QEMU's own Multiboot loader passes "<kernel file> <-append text>" (as
 * GRUB legacy did); GRUB 2 passes only the arguments. The file name is
 * no parameter: drop it when QEMU is the loader.
 */
static void drop_file_name(const struct mb1_info *mi)
{
	const char *name = (const char *)(uintptr_t)mi->boot_loader_name;
	char *sp;

	if (!(mi->flags & MB1_INFO_LOADER) || !name ||
	    strncmp(name, "qemu", 5) != 0)
		return;
	sp = strchr(cmdline, ' ');
	if (sp)
		memmove(cmdline, sp + 1, strlen(sp + 1) + 1);
	else
		cmdline[0] = '\0';
}

static void read_mb1(const struct mb1_info *mi, struct cn_bootinfo *bi)
{
	static const char proto[] = "Multiboot1";

	if (mi->flags & MB1_INFO_CMDLINE && mi->cmdline) {
		copy_cmdline(proto, (const char *)(uintptr_t)mi->cmdline,
			     sizeof(cmdline));
		drop_file_name(mi);
	}
	if (mi->flags & MB1_INFO_MMAP) {
		uintptr_t p = mi->mmap_addr, end = p + mi->mmap_length;

		if (end < p)
			bad(proto, "memory map wraps", mi->mmap_addr);
		while (p < end) {
			const struct mb1_mmap *e = (const void *)p;

			if (end - p < sizeof(*e) ||
			    e->size < sizeof(*e) - 4 ||
			    e->size > end - p - 4)
				bad(proto, "memory map entry size", e->size);
			add_region(bi, e->addr, e->len, e->type);
			p += e->size + 4;
		}
	} else if (mi->flags & MB1_INFO_MEMORY) {
		/* The old two-number form: below 1 MiB and above. */
		add_region(bi, 0, (uint64_t)mi->mem_lower << 10, E820_RAM);
		add_region(bi, 1 << 20, (uint64_t)mi->mem_upper << 10,
			   E820_RAM);
	}
	if (!bi->nr_mem)
		cn_panic("the Multiboot1 loader gave no memory map");
	if (mi->flags & MB1_INFO_MODS && mi->mods_count) {
		const struct mb1_module *m =
			(const void *)(uintptr_t)mi->mods_addr;

		if (m->end < m->start)
			bad(proto, "module ends before it starts", m->end);
		bi->initrd_start = m->start;
		bi->initrd_size = m->end - m->start;
		if (mi->mods_count > 1)
			cn_crash_printf("qemu-x86_64: %u boot modules; the "
					"first is the initrd, the rest are "
					"ignored\n", mi->mods_count);
	}
	if (mi->flags & MB1_INFO_FB)
		set_fb(bi, mi->fb_addr, mi->fb_pitch, mi->fb_width,
		       mi->fb_height, mi->fb_bpp, mi->fb_type);
	/* No RSDP in Multiboot1: irqchip.c scans the BIOS area for it. */
	bi->boot_protocol = "multiboot";
}

static void read_mb2_mmap(const uint8_t *t, uint32_t size,
			  struct cn_bootinfo *bi)
{
	uint32_t esize, off;

	if (size < 16)
		bad("Multiboot2", "memory map tag size", size);
	memcpy(&esize, t + 8, 4);
	if (esize < 24 || esize > size)
		bad("Multiboot2", "memory map entry size", esize);
	for (off = 16; size - off >= esize; off += esize) {
		uint64_t addr, len;
		uint32_t type;

		memcpy(&addr, t + off, 8);
		memcpy(&len, t + off + 8, 8);
		memcpy(&type, t + off + 16, 4);
		add_region(bi, addr, len, type);
	}
}

static void read_mb2(const uint8_t *info, struct cn_bootinfo *bi)
{
	static const char proto[] = "Multiboot2";
	uint32_t total, off, nr_mods = 0;
	int have_rsdp_v2 = 0;

	memcpy(&total, info, 4);
	if (total < 16 || total > MB2_INFO_MAX || total % 8)
		bad(proto, "total size", total);
	for (off = 8;; ) {
		struct mb2_tag tag;
		const uint8_t *t = info + off;

		if (total - off < sizeof(tag))
			bad(proto, "no end tag", off);
		memcpy(&tag, t, sizeof(tag));
		if (tag.size < sizeof(tag) || tag.size > total - off)
			bad(proto, "tag size", tag.size);
		switch (tag.type) {
		case MB2_TAG_END:
			goto done;
		case MB2_TAG_CMDLINE:
			copy_cmdline(proto, (const char *)t + 8, tag.size - 8);
			break;
		case MB2_TAG_MODULE: {
			uint32_t s, e;

			if (tag.size < 16)
				bad(proto, "module tag size", tag.size);
			memcpy(&s, t + 8, 4);
			memcpy(&e, t + 12, 4);
			if (e < s)
				bad(proto, "module ends before it starts", e);
			if (nr_mods++ == 0) {
				bi->initrd_start = s;
				bi->initrd_size = e - s;
			}
			break;
		}
		case MB2_TAG_MMAP:
			read_mb2_mmap(t, tag.size, bi);
			break;
		case MB2_TAG_FB: {
			uint64_t addr;
			uint32_t pitch, w, h;

			if (tag.size < 30)
				bad(proto, "framebuffer tag size", tag.size);
			memcpy(&addr, t + 8, 8);
			memcpy(&pitch, t + 16, 4);
			memcpy(&w, t + 20, 4);
			memcpy(&h, t + 24, 4);
			set_fb(bi, addr, pitch, w, h, t[28], t[29]);
			break;
		}
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			uint32_t n = tag.size - 8;

			if (n < 20)
				bad(proto, "ACPI tag size", tag.size);
			/* A 2.0 RSDP (new) wins over a 1.0 copy (old). */
			if (have_rsdp_v2 && tag.type == MB2_TAG_ACPI_OLD)
				break;
			memset(rsdp, 0, sizeof(rsdp));
			memcpy(rsdp, t + 8, n < RSDP_MAX ? n : RSDP_MAX);
			bi->acpi_rsdp = (uintptr_t)rsdp;
			have_rsdp_v2 = tag.type == MB2_TAG_ACPI_NEW;
			break;
		}
		default:
			break;		/* boot device, loader name, ... */
		}
		off += (tag.size + 7) & ~7u;
		if (off >= total)
			bad(proto, "no end tag", off);
	}
done:
	if (!bi->nr_mem)
		cn_panic("the Multiboot2 loader gave no memory map");
	if (nr_mods > 1)
		cn_crash_printf("qemu-x86_64: %u boot modules; the first is "
				"the initrd, the rest are ignored\n", nr_mods);
	bi->boot_protocol = "multiboot2";
}

void cn_qemu_multiboot_read(uint32_t magic, uintptr_t info,
			    struct cn_bootinfo *bi)
{
	if (!info)
		cn_panic("Multiboot loader passed no information block");
	bi->cmdline = cmdline;
	if (magic == CN_X86_MB2_BOOT_MAGIC)
		read_mb2((const uint8_t *)info, bi);
	else
		read_mb1((const struct mb1_info *)info, bi);
}
