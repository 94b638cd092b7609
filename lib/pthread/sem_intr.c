/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sem_wait() and sem_timedwait() with lib/posix-signal in the image: a
 * signal the waiting thread does not block interrupts the wait (as
 * <cairn/sigintr.h> describes); the thread runs the handler, then the
 * call fails with EINTR or, when every handler that ran had SA_RESTART,
 * waits on until the same deadline (Linux since 2.6.22, signal(7)).
 *
 * The waiter is taken off the semaphore's queue only if it is still on
 * it: a post and an interruption both run under the big lock, so a
 * token handed to the waiter is never lost (the call then succeeds, the
 * handler having run).
 */
#include <errno.h>
#include <stddef.h>
#include <cairn/biglock.h>
#include <cairn/sched.h>
#include <cairn/sigintr.h>
#include "pthread_priv.h"

struct sem_waiter {
	struct cn_thread *self;
	struct cn_waitq *q;		/* while it sleeps there */
};

/* With the big lock held, from the thread that posts the signal. */
static void interrupt(void *arg)
{
	struct sem_waiter *w = arg;

	if (w->q)
		cn_waitq_interrupt(w->q, w->self);
}

int cn_pthread_sem_block(struct cn_sem *s, uint64_t deadline)
{
	struct sem_waiter w = { cn_thread_current(), NULL };

	for (;;) {
		unsigned long irq = cn_big_lock();
		int rc, handled;

		cn_signal_intr_begin(interrupt, &w);
		if (cn_signal_intr_pending()) {
			rc = -EINTR;
		} else {
			w.q = &s->waiters;
			rc = cn_sem_wait_until(s, deadline);
			w.q = NULL;
		}
		cn_big_unlock(irq);
		handled = cn_signal_intr_end();	/* runs the handlers */
		if (rc != -EINTR)
			return rc;		/* a token, or the deadline */
		if (handled < 0)
			return -EINTR;
		/* SA_RESTART, or the signal was ignored: wait on. */
	}
}
