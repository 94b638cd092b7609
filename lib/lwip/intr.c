/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/lwip with lib/posix-signal in the image: recv(), recvfrom(),
 * recvmsg(), read() and accept() on a blocking socket end when a signal
 * the thread does not block arrives (lwip_priv.h). Only the mailbox wait
 * of the thread's own call is cut short, and only while it sleeps there:
 * a signal never wakes a thread out of lwIP's locks or out of a send or
 * connect whose message the tcpip thread still holds (those finish as
 * they would have, the handler running once they return).
 */
#include <errno.h>
#include <stddef.h>
#include <cairn/biglock.h>
#include <cairn/sigintr.h>
#include "lwip_priv.h"

struct intr_call {
	struct cn_thread *self;
	struct cn_waitq *q;		/* the mailbox it sleeps on, or NULL */
	bool armed;			/* in a socket call that may end */
	bool hit;			/* a signal ended a wait of it */
};

static __thread struct intr_call me;

/* With the big lock held, from the thread that posts the signal. */
static void interrupt(void *arg)
{
	struct intr_call *c = arg;

	if (c->q)
		cn_waitq_interrupt(c->q, c->self);
}

void cn_lwip_intr_begin(void)
{
	me.self = cn_thread_current();
	me.q = NULL;
	me.hit = false;
	me.armed = true;
	cn_signal_intr_begin(interrupt, &me);
}

int cn_lwip_intr_end(void)
{
	bool hit = me.hit;
	int r;

	me.armed = false;
	r = cn_signal_intr_end();	/* runs the handlers */
	if (!hit)
		return CN_LWIP_DONE;
	if (r < 0)
		return -EINTR;
	return r > 0 ? CN_LWIP_RESTART : CN_LWIP_AGAIN;
}

int cn_lwip_wait(struct cn_waitq *q, uint64_t deadline)
{
	int rc;

	if (!me.armed)
		return cn_waitq_wait(q, deadline);
	if (cn_signal_intr_pending()) {	/* the mailbox is empty */
		me.hit = true;
		return -EINTR;
	}
	me.q = q;
	rc = cn_waitq_wait(q, deadline);
	me.q = NULL;
	/*
	 * Interrupted: the caller looks at its mailbox again (a message may
	 * have come meanwhile, and then the call goes on with it) and gives
	 * up on the next wait, the signal still pending.
	 */
	return rc == -EINTR ? 0 : rc;
}
