/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers: call a function at a time in the future, on the platform's one
 * one-shot timer (tickless: the hardware is armed for the earliest
 * deadline only). Callbacks run in interrupt context with interrupts off:
 * they may only do short work (wake a thread, set a flag, start a timer).
 * Deadlines are in cn_time_ns() nanoseconds.
 */
#ifndef CAIRN_TIMER_H
#define CAIRN_TIMER_H

#include <stdint.h>

struct cn_timer;
typedef void (*cn_timer_fn)(struct cn_timer *t);

struct cn_timer {
	uint64_t deadline;
	cn_timer_fn fn;
	void *arg;			/* for the callback's use */
	struct cn_timer *next;		/* queue link, kept by lib/time */
	int queued;
};

/* Nanoseconds since boot, monotonic (the platform's clock). */
uint64_t cn_time_ns(void);

/*
 * Queues t to run fn at deadline (a deadline in the past runs it at the
 * next timer interrupt, at once). Restarting a queued timer moves it.
 * Callbacks run from the timer interrupt, under the big lock
 * (<cairn/biglock.h>) with SMP. The queue has a leaf lock of its own, so
 * this may be called under any lock, the scheduler's included.
 */
void cn_timer_start(struct cn_timer *t, uint64_t deadline, cn_timer_fn fn);

/*
 * Removes t from the queue; returns 1 if it was queued, 0 otherwise.
 * When it returns, t's callback is not running on any CPU either (it
 * takes the big lock, under which callbacks run), so t and what its
 * callback uses may be freed. Not under a spinlock for that reason.
 */
int cn_timer_stop(struct cn_timer *t);

/*
 * Removes t from the queue like cn_timer_stop(), but does not wait for a
 * callback that another CPU has already begun: for callers that hold a
 * spinlock and whose callback checks, under that lock, whether it is
 * still wanted (the scheduler's timeouts). Returns 1 if it was queued.
 */
int cn_timer_cancel(struct cn_timer *t);

/*
 * 1 if a timer is queued or its callback is under way (something will
 * happen without outside help).
 */
int cn_timer_pending(void);

/*
 * Waits until deadline. Without a scheduler it halts the CPU until the
 * timer interrupt; a scheduler installs its own sleep with
 * cn_time_set_sleeper() so that other threads run meanwhile. Returns 0,
 * or the sleeper's -EINTR.
 */
int cn_time_sleep_until(uint64_t deadline);
void cn_time_set_sleeper(int (*fn)(uint64_t deadline));

#endif
