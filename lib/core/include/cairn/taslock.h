/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test-and-set locks for the locks every CPU takes all the time (the big
 * lock, the scheduler's lock, the timer queue's), with SMP only.
 *
 * Not a ticket lock (<cairn/spinlock.h>): under QEMU's TCG or a
 * hypervisor the vCPUs are host threads, often more of them than host
 * cores, and a ticket lock hands the lock to the next ticket even when
 * that vCPU is not running, stalling every CPU behind it. This one goes
 * to whichever CPU runs. On x86_64 (CN_ARCH_HAVE_LOCK_SLEEP) a waiter
 * that has spun 100 times halts, interrupts off, until the release kicks
 * it with an NMI (the protocol in arch/x86_64/locksleep.c): a section
 * held that long means a holder the host is not running, and a waiter
 * that spins on takes a host core from it. On arm64 a waiter waits in
 * WFE. The price is fairness: a CPU that releases and takes it again at
 * once can keep it from a waiter.
 *
 * The caller turns interrupts off first and does the lock-order
 * checker's bookkeeping (cn_lockorder_acquire()/_release()); these only
 * take and release the word. Not recursive.
 */
#ifndef CAIRN_TASLOCK_H
#define CAIRN_TASLOCK_H

#include <stdint.h>

#ifdef CONFIG_SMP
struct cn_tas_lock {
	uint32_t word;		/* 1: held */
	uint64_t sleepers;	/* bit n: CPU n halted waiting for it */
};
#define CN_TAS_LOCK_INIT	{ 0, 0 }

/* What an acquisition met, for the callers' counters. */
#define CN_TAS_CONTENDED	1u	/* the first try found it held */
#define CN_TAS_SLEPT		2u	/* and the waiter halted at least once */

/*
 * Takes l, interrupts off; returns 0 or CN_TAS_CONTENDED, with
 * CN_TAS_SLEPT or'ed in when it halted waiting.
 */
unsigned int cn_tas_acquire(struct cn_tas_lock *l);
/* 1 if l was free and is now taken by this CPU, else 0. */
int cn_tas_try(struct cn_tas_lock *l);
void cn_tas_release(struct cn_tas_lock *l);
#endif

#endif
