/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sleeping on a lock instead of spinning (CN_ARCH_HAVE_LOCK_SLEEP, used
 * by the big lock in lib/core/biglock.c).
 *
 * Under a hypervisor, and under QEMU's TCG where each vCPU is a host
 * thread, a CPU that waits for a lock whose holder the host is not
 * running spins for the host's whole time slice and takes a host core
 * from the holder while it does. Linux's paravirtual spinlocks halt such
 * a waiter and have the releaser kick it; this is the same idea without
 * a hypercall. The waiter has interrupts off (the big lock is taken with
 * them off), so its HLT wakes only for an NMI: the releaser sends one.
 *
 * The protocol, with S the lock's word of sleeping CPUs:
 *   waiter: lock_kicked = 0; S |= me (a locked RMW, a full barrier);
 *           cn_arch_lock_sleep(word): HLT unless kicked or *word == 0;
 *           S &= ~me.
 *   holder: *word = 0; full barrier; for each CPU in S (taken and
 *           cleared at once): lock_kicks++, NMI.
 * Either the waiter sees the word free, or the holder sees the waiter's
 * bit and kicks it. The NMI may land before the HLT: the handler
 * (cn_x86_lock_nmi) sets lock_kicked, which the check reads, and if the
 * interrupted instruction lies between the check and the HLT it moves
 * it past the HLT, so a kick is never lost between look and sleep. An
 * NMI that finds no kick counted is not ours: the crash report gets it.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/arch/x86_64.h>
#include "x86_64_priv.h"

#define ICR_NMI		0x00004400u	/* delivery mode NMI, assert */

extern const char cn_x86_sleep_check[], cn_x86_sleep_hlt[],
	cn_x86_sleep_done[];

/* One copy only: the labels mark its instructions for the NMI handler. */
__attribute__((noinline, noclone))
void cn_arch_lock_sleep(const volatile uint32_t *word)
{
	struct cn_cpu *c = cn_cpu_self();

	__asm__ volatile(".globl cn_x86_sleep_check\n"
			 "cn_x86_sleep_check:\n\t"
			 "cmpb $0, %0\n\t"
			 "jne cn_x86_sleep_done\n\t"
			 "cmpl $0, %1\n\t"
			 "je cn_x86_sleep_done\n"
			 ".globl cn_x86_sleep_hlt\n"
			 "cn_x86_sleep_hlt:\n\t"
			 "hlt\n"
			 ".globl cn_x86_sleep_done\n"
			 "cn_x86_sleep_done:"
			 : : "m"(c->lock_kicked), "m"(*word) : "memory", "cc");
}

void cn_arch_lock_kick(struct cn_cpu *c)
{
	__atomic_fetch_add(&c->lock_kicks, 1, __ATOMIC_SEQ_CST);
	cn_x86_lapic_ipi(c->hw_id, ICR_NMI);
}

/*
 * From the NMI vector, before anything else: 1 when the NMI was a kick
 * (counted by the sender), 0 for any other NMI. Two kicks that meet may
 * arrive as one NMI (a CPU holds one NMI pending, not two): the count
 * then stays above zero and would take one later foreign NMI for a kick,
 * which only skips that crash report, never a wake-up.
 */
int cn_x86_lock_nmi(uint64_t *rip)
{
	struct cn_cpu *c = cn_cpu_self();
	uint32_t n = __atomic_load_n(&c->lock_kicks, __ATOMIC_RELAXED);

	do {
		if (!n)
			return 0;
	} while (!__atomic_compare_exchange_n(&c->lock_kicks, &n, n - 1, 0,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	c->lock_kicked = 1;
	if (*rip >= (uintptr_t)cn_x86_sleep_check &&
	    *rip <= (uintptr_t)cn_x86_sleep_hlt)
		*rip = (uintptr_t)cn_x86_sleep_done;
	return 1;
}
