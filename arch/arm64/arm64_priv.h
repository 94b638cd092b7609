/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to arch/arm64. */
#ifndef ARM64_PRIV_H
#define ARM64_PRIV_H

#include <stdint.h>

/*
 * Prints "Backtrace:" and the frames of an interrupted context: pc first,
 * then lr when the function at pc has not saved it yet, then the callers
 * through the frame chain at fp.
 */
void cn_arm64_backtrace_trap(uint64_t pc, uint64_t lr, uint64_t fp);

/* Is addr inside the guard page under the boot stack? */
int cn_arm64_is_stack_guard(uint64_t addr);

/* Called by boot.S with the MMU off: builds the tables, turns it on. */
void cn_arm64_mmu_init(void);

#endif
