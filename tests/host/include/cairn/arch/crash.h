/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host build's crash trap behind <cairn/arch.h>: a host test that
 * declares a crash stops the process the way abort() does.
 */
#ifndef CAIRN_ARCH_CRASH_H
#define CAIRN_ARCH_CRASH_H

static inline CN_NORETURN void cn_arch_crash_trap(void)
{
	__builtin_trap();
}

#endif
