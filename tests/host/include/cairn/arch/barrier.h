/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "architecture" of host builds (tests/host/build.py): portable code
 * that includes <cairn/arch.h> compiles against these bodies when it is
 * built on the host for sanitizers and fuzzers. One thread, no devices:
 * compiler barriers are enough.
 */
#ifndef CAIRN_ARCH_BARRIER_H
#define CAIRN_ARCH_BARRIER_H

static inline void cn_arch_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void cn_arch_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void cn_arch_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void cn_arch_cpu_relax(void)
{
	__asm__ volatile("" : : : "memory");
}

#endif
