/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-record backtraces shared by the architectures (<cairn/backtrace.h>).
 */
#include <stdbool.h>
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/backtrace.h>
#include <cairn/boot.h>
#include <cairn/panic.h>
#include <cairn/symbols.h>

#define MAX_FRAMES 32

bool cn_backtrace_in_ram(uint64_t addr, uint64_t len)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	unsigned int i;

	if (addr < CN_PAGE_SIZE)
		return false;
	if (!bi)		/* before the platform: trust the boot stack only */
		return true;
	for (i = 0; i < bi->nr_mem; i++) {
		const struct cn_mem_region *r = &bi->mem[i];

		if (r->type == CN_MEM_RAM && addr >= r->start &&
		    addr + len <= r->start + r->size)
			return true;
	}
	return false;
}

void cn_backtrace_frame(unsigned int n, uint64_t addr)
{
	uintptr_t off;
	/* A return address points after the call: look up the call itself. */
	const char *fn = cn_sym_lookup(n ? addr - 1 : addr, &off);

	if (fn)
		cn_crash_printf("  #%-2u 0x%016llx %s+0x%lx\n", n,
				(unsigned long long)addr, fn,
				(unsigned long)(n ? off + 1 : off));
	else
		cn_crash_printf("  #%-2u 0x%016llx ?\n", n,
				(unsigned long long)addr);
}

void cn_backtrace_walk(unsigned int n, uint64_t fp)
{
	while (n < MAX_FRAMES && fp && !(fp & 7) &&
	       cn_backtrace_in_ram(fp, 16)) {
		uint64_t next = ((const uint64_t *)fp)[0];
		uint64_t ret = ((const uint64_t *)fp)[1];

		if (!ret)
			break;
		cn_backtrace_frame(n++, ret);
		if (next <= fp)
			break;
		fp = next;
	}
}

void cn_backtrace_from(uint64_t fp, unsigned int skip)
{
	while (skip-- && fp && cn_backtrace_in_ram(fp, 16))
		fp = ((const uint64_t *)fp)[0];
	if (!fp || !cn_backtrace_in_ram(fp, 16))
		return;
	cn_crash_printf("Backtrace:\n");
	cn_backtrace_walk(0, fp);
}

void cn_backtrace_names_hint(uint64_t pc)
{
	if (!cn_sym_lookup(pc, 0))
		cn_crash_printf("  (no names in this image: addr2line -f -e "
				"<app>.elf <address>)\n");
}
