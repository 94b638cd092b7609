/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blkdev, the driver side: the operations a block driver implements and
 * the calls only a driver makes. A driver includes this header (it
 * includes the user API, <cairn/blkdev.h>); users never need it.
 *
 * A driver fills a struct cn_blkdev (sector_size, sectors, max_sectors,
 * queue_depth, read_only, can_flush, driver and bus names, ops, priv) and
 * calls cn_blkdev_register(); it ends each request it accepted with
 * cn_blkdev_complete().
 */
#ifndef CAIRN_BLKDEV_DRIVER_H
#define CAIRN_BLKDEV_DRIVER_H

#include <cairn/blkdev.h>

/*
 * What a driver implements (see doc/drivers.md). cn_blkdev_register()
 * refuses a table without the required operations.
 */
struct cn_blkdev_ops {
	/*
	 * required: starts req, already checked against the device (range,
	 * count, read-only, flush support); 0, -EAGAIN (queue full) or -EIO.
	 * The driver calls cn_blkdev_complete() when the device is done.
	 */
	int (*submit)(struct cn_blkdev *bd, struct cn_blkreq *req);
	/*
	 * optional: completes what the device has finished, without its
	 * interrupt. Without it lib/blkdev relies on interrupts alone and
	 * cn_blkdev_poll() returns -ENOTSUP.
	 */
	void (*poll)(struct cn_blkdev *bd);
	/*
	 * optional: completes what the device has finished, cheaply: no
	 * register read, no health check (poll() does those). Called with
	 * interrupts off, in a loop, by a synchronous caller that spins for
	 * up to blkdev.poll_us before it sleeps; without it the caller
	 * sleeps at once.
	 */
	void (*reap)(struct cn_blkdev *bd);
	/*
	 * optional, with reap: true when reap() would find a completion.
	 * It only looks (no lock, no register read: the next completion
	 * entry in memory); a stale answer only delays the reap. With it a
	 * polling caller spins without lib/blkdev's lock (on SMP the big
	 * lock, which the other CPUs need) and takes it only to reap.
	 */
	bool (*ready)(struct cn_blkdev *bd);
};

/*
 * Adds bd to the registry and names it ("blk0", ...). Returns 0, -EINVAL
 * (no submit operation, a sector size that is not a power of two, a queue
 * depth of 0), -ENOSPC (registry full) or -ENOMEM.
 */
int cn_blkdev_register(struct cn_blkdev *bd);
/*
 * Completes req with status (counts, calls done, wakes the synchronous
 * waiters). IRQ-safe; takes no lock of lib/blkdev's but the scheduler's.
 * Call it without the driver's own locks: done() belongs to the
 * submitter and may submit again.
 */
void cn_blkdev_complete(struct cn_blkdev *bd, struct cn_blkreq *req,
			int status);

/*
 * Requests a driver has found finished under its own lock, to complete
 * after it lets the lock go: linked through req->priv (the driver's
 * until completion), in the order they were added.
 */
struct cn_blkreq_list {
	struct cn_blkreq *head, **tail;
};
#define CN_BLKREQ_LIST_INIT(l)	{ NULL, &(l).head }

static inline void cn_blkreq_list_add(struct cn_blkreq_list *l,
				      struct cn_blkreq *req, int status)
{
	req->status = status;
	req->priv = NULL;
	*l->tail = req;
	l->tail = (struct cn_blkreq **)&req->priv;
}

/* Completes every request of l, in order, with its status; empties l. */
void cn_blkdev_complete_list(struct cn_blkdev *bd, struct cn_blkreq_list *l);

#endif
