/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * alarm() and ualarm(): one real-time timer for the process. A thread of
 * this library ("sigalrm", made at the first alarm) sleeps until the
 * deadline and then posts SIGALRM: a thread in sigsuspend/pause that
 * lets it through runs the action; otherwise the action runs in the
 * sigalrm thread itself, unless the thread that set the alarm blocked
 * SIGALRM then (it stays pending). With no handler, the default action
 * ends the image (status 71, "terminated by signal 14 (SIGALRM)"), as
 * Linux ends the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/log.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "signal_priv.h"

static struct cn_thread *thread;
static struct cn_waitq sleeper = CN_WAITQ_INIT;
static uint64_t deadline;		/* 0: no alarm */
static sigset_t blocked_then;

static void *alarm_thread(void *arg)
{
	(void)arg;
	for (;;) {
		unsigned long irq = cn_big_lock();
		uint64_t when = deadline;
		bool due = when && cn_time_ns() >= when;

		if (due)
			deadline = 0;
		else
			cn_waitq_wait(&sleeper, when);
		cn_big_unlock(irq);
		if (due)
			cn_signal_post(SIGALRM, blocked_then, true);
	}
	return NULL;
}

/* Sets the alarm ns from now (0: cancels); returns what was left, ns. */
static uint64_t set_alarm(uint64_t ns)
{
	struct cn_thread_attr attr = { .name = "sigalrm",
				       .flags = CN_THREAD_DETACHED };
	uint64_t now = cn_time_ns(), left;
	unsigned long irq;

	if (ns && !thread && cn_thread_create(&thread, &attr, alarm_thread,
					      NULL) < 0) {
		cn_pr_err("alarm: no thread for SIGALRM: out of memory");
		return 0;
	}
	irq = cn_big_lock();
	left = deadline > now ? deadline - now : deadline ? 1 : 0;
	deadline = ns ? now + ns : 0;
	blocked_then = cn_signal_mask();
	cn_waitq_wake_all(&sleeper);
	cn_big_unlock(irq);
	return left;
}

unsigned int alarm(unsigned int seconds)
{
	uint64_t left = set_alarm((uint64_t)seconds * 1000000000ull);

	/* Linux rounds what was left to the nearest second, at least 1. */
	return left ? (unsigned int)((left + 500000000ull) / 1000000000ull) ?: 1
		    : 0;
}

useconds_t ualarm(useconds_t usecs, useconds_t interval)
{
	if (interval) {
		errno = EINVAL;		/* no repeating timer */
		return (useconds_t)-1;
	}
	return (useconds_t)(set_alarm((uint64_t)usecs * 1000) / 1000);
}
