/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Waiting without lib/sched: there is one thread, so the caller spins,
 * reaping the queue between rounds, and the device is asked not to
 * interrupt (the caller sees every completion itself).
 */
#include <stdlib.h>
#include <cairn/arch.h>
#include <cairn/virtq.h>
#include "v9p.h"

/*
 * Pauses between two looks at the used ring. Under TCG a pause leaves
 * the translated code (QEMU's helper_pause), so 1000 of them were a
 * sleep of the order of a request's whole round trip; a look at the
 * ring is one load of memory.
 */
#define POLL_SPINS	10

struct cn_virtio_9p_waiters {
	int unused;
};

struct cn_virtio_9p_waiters *cn_virtio_9p_waiters_new(void)
{
	return calloc(1, sizeof(struct cn_virtio_9p_waiters));
}

void cn_virtio_9p_wait(struct cn_virtio_9p_waiters *w, uint64_t deadline)
{
	unsigned int i;

	(void)w, (void)deadline;
	for (i = 0; i < POLL_SPINS; i++)
		cn_arch_cpu_relax();
}

void cn_virtio_9p_wait_setup(struct cn_virtq *vq)
{
	cn_virtq_disable_cb(vq);
}

void cn_virtio_9p_wake(struct cn_virtio_9p_waiters *w)
{
	(void)w;
}
