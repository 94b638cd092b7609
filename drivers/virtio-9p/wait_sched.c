/* SPDX-License-Identifier: BSD-3-Clause */
/* Waiting with lib/sched: the thread sleeps, the interrupt wakes it. */
#include <stdlib.h>
#include <cairn/sched.h>
#include <cairn/timer.h>
#include "v9p.h"

/* Also a watchdog period: the caller reaps and re-notifies each time. */
#define POLL_NS	(100ull * 1000000)

struct cn_virtio_9p_waiters {
	struct cn_waitq q;
};

struct cn_virtio_9p_waiters *cn_virtio_9p_waiters_new(void)
{
	return calloc(1, sizeof(struct cn_virtio_9p_waiters));
}

void cn_virtio_9p_wait(struct cn_virtio_9p_waiters *w, uint64_t deadline)
{
	uint64_t step = cn_time_ns() + POLL_NS;

	cn_waitq_wait(&w->q, deadline && deadline < step ? deadline : step);
}

void cn_virtio_9p_wait_setup(struct cn_virtq *vq)
{
	(void)vq;			/* the interrupt wakes the sleeper */
}

void cn_virtio_9p_wake(struct cn_virtio_9p_waiters *w)
{
	cn_waitq_wake_all(&w->q);
}
