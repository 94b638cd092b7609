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

/* The PT_TLS alignment: the linker rounds the block to it, not more. */
static size_t tls_align(void)
{
	size_t a = (size_t)__tls_align;

	return a ? a : 1;
}

static size_t tls_block_size(void)
{
	return CN_ALIGN_UP((size_t)(__tbss_end - __tdata_start), tls_align());
}

/* The thread pointer is aligned for the block and for the self pointer. */
static size_t tp_align(void)
{
	return tls_align() > sizeof(void *) ? tls_align() : sizeof(void *);
}

size_t cn_arch_tls_area_size(void)
{
	return tls_block_size() + tp_align() + sizeof(void *);
}

void *cn_arch_tls_init(void *area)
{
	size_t block = tls_block_size();
	char *tp = (char *)CN_ALIGN_UP((uintptr_t)area + block, tp_align());
	char *base = tp - block;
	size_t tdata = (size_t)(__tdata_end - __tdata_start);

	memcpy(base, __tdata_start, tdata);
	memset(base + tdata, 0, block - tdata);
	*(void **)tp = tp;
	return tp;
}

void cn_arch_tls_set(void *tp)
{
	cn_wrmsr(CN_X86_MSR_FS_BASE, (uint64_t)tp);
}

void *cn_arch_tls_get(void)
{
	return (void *)(uintptr_t)cn_rdmsr(CN_X86_MSR_FS_BASE);
}
