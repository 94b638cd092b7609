/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interface between lib/sched's mechanics and a scheduling policy
 * library (sched-coop, sched-preempt): the policy registers its hooks at
 * an init level, lib/sched calls them. All hooks run with interrupts off;
 * ready() may run in interrupt context. Each hook is optional.
 */
#ifndef CAIRN_SCHED_POLICY_H
#define CAIRN_SCHED_POLICY_H

struct cn_sched_policy {
	const char *name;
	void (*start)(void);	/* at lib/sched's init step (CN_INIT_LIB, 9) */
	void (*ready)(void);	/* a thread became READY */
	void (*switched)(void);	/* a thread is about to run */
};

/* Installs the policy (one per image; before threads are created). */
void cn_sched_set_policy(const struct cn_sched_policy *p);

/* The installed policy's name ("cooperative" when none). */
const char *cn_sched_policy_name(void);

/* 1 if some thread other than the running one is READY. */
int cn_sched_others_ready(void);

/*
 * From an interrupt's exit hook (interrupts off, on the interrupted
 * thread's stack): puts the running thread at the back of the run queue
 * and runs the next one. Returns when the interrupted thread runs again.
 */
void cn_sched_preempt(void);

#endif
