/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64's crash trap, behind the name <cairn/arch.h> declares: a BRK (ESR class 0x3c): the trap handler reports it under cn_crash_message().
 * Included only through <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_CRASH_H
#define CAIRN_ARCH_CRASH_H

static inline CN_NORETURN void cn_arch_crash_trap(void)
{
	__asm__ volatile("brk #0x3c" : : : "memory");
	__builtin_unreachable();
}

#endif
