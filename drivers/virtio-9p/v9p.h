/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to drivers/virtio-9p: how a request waits for its reply, with
 * lib/sched (sleep on a wait queue that the queue's interrupt wakes) or
 * without it (poll the queue), chosen in lib.mk.
 */
#ifndef V9P_H
#define V9P_H

#include <stdint.h>

struct cn_virtio_9p_waiters;
struct cn_virtq;

/* Allocates what waiting needs: NULL when out of memory. */
struct cn_virtio_9p_waiters *cn_virtio_9p_waiters_new(void);

/*
 * Called with interrupts off when the awaited event has not happened:
 * waits until woken, until deadline (cn_time_ns) or a short while (the
 * caller checks again); returns with interrupts off.
 */
void cn_virtio_9p_wait(struct cn_virtio_9p_waiters *w, uint64_t deadline);

/*
 * Called once the request queue is set up: without a scheduler the
 * caller polls, so the device is asked not to interrupt (under TCG an
 * interrupt per request costs its delivery, the handler and the EOI).
 */
void cn_virtio_9p_wait_setup(struct cn_virtq *vq);

/* Wakes every waiter; interrupt-safe. */
void cn_virtio_9p_wake(struct cn_virtio_9p_waiters *w);

#endif
