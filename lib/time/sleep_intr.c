/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/time's nanosleep/usleep/sleep with lib/posix-signal in the image:
 * a sleep a signal interrupts. The sleeper announces its wait
 * (<cairn/sigintr.h>) and sleeps on a wait queue with its deadline; a
 * signal it does not block wakes it, it runs the handler and the sleep
 * ends early, SA_RESTART or not (as Linux: nanosleep is never restarted,
 * it reports the time left instead).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <cairn/biglock.h>
#include <cairn/sched.h>
#include <cairn/sigintr.h>
#include <cairn/timer.h>
#include "time_priv.h"

static struct cn_waitq sleepers = CN_WAITQ_INIT;

/* Called with the big lock held: only wakes (a spurious wake-up is fine). */
static void wake_sleepers(void *arg)
{
	(void)arg;
	cn_waitq_wake_all(&sleepers);
}

int cn_time_posix_sleep(uint64_t deadline)
{
	for (;;) {
		unsigned long irq = cn_big_lock();

		cn_signal_intr_begin(wake_sleepers, NULL);
		if (!cn_signal_intr_pending() && cn_time_ns() < deadline)
			cn_waitq_wait(&sleepers, deadline);
		cn_big_unlock(irq);
		if (cn_signal_intr_end())	/* a handler ran, unlocked */
			return -EINTR;
		if (cn_time_ns() >= deadline)
			return 0;
	}
}
