/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-local storage, AArch64 ELF variant I: the thread pointer
 * (TPIDR_EL0) points at a 16-byte thread control block, and the TLS block
 * follows it at the next multiple of the PT_TLS alignment. The linker
 * computes every __thread variable's offset from the thread pointer that
 * way (local-exec), so the area is laid out the same way here. Cairn puts
 * nothing in the control block; it is zeroed.
 */
#include <string.h>
#include <cairn/arch.h>
#include <cairn/arch/arm64.h>

#define TCB_SIZE	16

extern const char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern const char __tls_align[];	/* a value, given as a symbol */

static size_t tls_align(void)
{
	size_t a = (size_t)__tls_align;

	return a > TCB_SIZE ? a : TCB_SIZE;
}

static size_t block_offset(void)
{
	return CN_ALIGN_UP((size_t)TCB_SIZE, tls_align());
}

size_t cn_arch_tls_area_size(void)
{
	return tls_align() + block_offset() +
	       (size_t)(__tbss_end - __tdata_start);
}

void *cn_arch_tls_init(void *area)
{
	char *tp = (char *)CN_ALIGN_UP((uintptr_t)area, tls_align());
	char *base = tp + block_offset();
	size_t tdata = (size_t)(__tdata_end - __tdata_start);
	size_t block = (size_t)(__tbss_end - __tdata_start);

	memset(tp, 0, block_offset());
	memcpy(base, __tdata_start, tdata);
	memset(base + tdata, 0, block - tdata);
	return tp;
}

void cn_arch_tls_set(void *tp)
{
	cn_arm64_write_sysreg(tpidr_el0, (uintptr_t)tp);
}

void *cn_arch_tls_get(void)
{
	return (void *)(uintptr_t)cn_arm64_read_sysreg(tpidr_el0);
}
