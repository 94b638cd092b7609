/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64's crash trap, behind the name <cairn/arch.h> declares: an invalid opcode (ud2): the trap handler reports vector 6 under cn_crash_message().
 * Included only through <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_CRASH_H
#define CAIRN_ARCH_CRASH_H

static inline CN_NORETURN void cn_arch_crash_trap(void)
{
	__asm__ volatile("ud2" : : : "memory");
	__builtin_unreachable();
}

#endif
