/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Blocking calls that a signal interrupts (EINTR, or a restart with
 * SA_RESTART), for the libraries that own the waits (lib/fdtab's
 * cn_file_wait(): pipes, poll/select, F_SETLKW; lib/time's sleeps;
 * lib/pthread's sem_wait(); lib/lwip's recv, accept, send and connect).
 * Nothing interrupts a thread asynchronously: a thread that waits
 * announces it, and a signal posted for the process while it waits
 * (kill(), an alarm) is left pending for it and wakes it through the
 * function it gave; it then runs the handler itself before its call
 * returns, as on Linux.
 *
 *	cn_signal_intr_begin(wake, arg);
 *	if (!cn_signal_intr_pending())
 *		...sleep until woken...;
 *	r = cn_signal_intr_end();	(big lock not held: a handler runs)
 */
#ifndef CAIRN_SIGINTR_H
#define CAIRN_SIGINTR_H

#include <stdbool.h>

/*
 * The calling thread starts an interruptible wait: a signal it does not
 * block, posted from now on, stays pending for it and wake(arg) is called
 * (with the big lock and lib/posix-signal's lock of the waits held: it
 * must only wake, e.g. cn_file_notify(), or cn_waitq_interrupt() of the
 * queue the thread sleeps on). Neither this call nor
 * cn_signal_intr_pending() needs the big lock: a wait whose sleep ends
 * when wake() runs (an event count read before the begin) takes none. A
 * wait on a wait queue holds the big lock from the begin until it sleeps,
 * as the sender holds it to wake.
 */
void cn_signal_intr_begin(void (*wake)(void *), void *arg);
/*
 * cn_signal_intr_begin() with the thread's signal mask set to *set until
 * cn_signal_intr_end(), which runs the handlers under *set, puts the
 * thread's mask back and then runs what that lets through and *set held
 * back (ppoll and pselect; sigset_t as <signal.h> has it).
 */
#include <signal.h>
void cn_signal_intr_begin_mask(const sigset_t *set, void (*wake)(void *),
			       void *arg);
/* A signal the calling thread does not block is pending: do not sleep. */
bool cn_signal_intr_pending(void);
/*
 * Ends the wait and runs the action of each pending signal the thread
 * does not block. 0: no handler ran (none pending, or ignored); 1: the
 * handlers that ran all had SA_RESTART (the call goes on waiting);
 * -EINTR: a handler without SA_RESTART ran (the call fails with EINTR,
 * or returns what it did so far).
 */
int cn_signal_intr_end(void);

#endif
