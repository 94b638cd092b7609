/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-local storage, x86_64 ELF variant II: the thread pointer (the fs
 * base) points just past the TLS block and the word it points at holds
 * its own address (what %fs:0 loads). The linker computes every __thread
 * variable's offset as negative from there, rounded to the PT_TLS
 * alignment, so the block is laid out the same way here.
 */
#include <string.h>
#include <cairn/arch.h>
#include <cairn/arch/x86_64.h>

extern const char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern const char __tls_align[];	/* a value, given as a symbol */

static size_t tls_align(void)
{
	size_t a = (size_t)__tls_align;

	return a < 16 ? 16 : a;
}

static size_t tls_block_size(void)
{
	return CN_ALIGN_UP((size_t)(__tbss_end - __tdata_start), tls_align());
}

size_t cn_arch_tls_area_size(void)
{
	/* block + self pointer + slack to align an arbitrary area */
	return tls_block_size() + sizeof(void *) + tls_align();
}

void *cn_arch_tls_init(void *area)
{
	char *base = (char *)CN_ALIGN_UP((uintptr_t)area, tls_align());
	size_t tdata = (size_t)(__tdata_end - __tdata_start);
	char *tp = base + tls_block_size();

	memcpy(base, __tdata_start, tdata);
	memset(base + tdata, 0, (size_t)(tp - base) - tdata);
	*(void **)tp = tp;
	return tp;
}

void cn_arch_tls_set(void *tp)
{
	cn_wrmsr(CN_X86_MSR_FS_BASE, (uint64_t)tp);
}
