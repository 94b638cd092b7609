/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to arch/x86_64. */
#ifndef X86_64_PRIV_H
#define X86_64_PRIV_H

#include <stdint.h>

/* Prints "Backtrace:" and the frames starting at rip with frame rbp. */
void cn_x86_backtrace_from(uint64_t rip, uint64_t rbp);

#endif
