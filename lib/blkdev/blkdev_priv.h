/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/blkdev (and its tests): its state of a registered device. */
#ifndef BLKDEV_PRIV_H
#define BLKDEV_PRIV_H

#include <cairn/blkdev.h>
#include <cairn/spinlock.h>
#include <cairn/sync.h>

/*
 * No big lock: in_flight and the stats are atomics, completions are
 * counted by an event count, and lock covers only the polling choice.
 */
struct cn_blkdev_state {
	struct cn_event done;		/* moves at every completion */
	unsigned int in_flight;		/* requests the driver holds; atomic */
	struct cn_spinlock lock;	/* the fields below */
	/* synchronous requests: how many; the time and number of measured
	 * ones that slept [0] and polled [1]; see poll_choose() */
	unsigned int nr_sync;
	uint64_t probe_ns[2];
	unsigned int probe_n[2];
	bool poll_wins;
};

/*
 * blkdev.c: registers bd under bd->name (part.c's "blk0p1"); -EEXIST
 * when a device has that name already.
 */
int cn_blkdev_register_named(struct cn_blkdev *bd);
/* part.c: the partition device called name, made on first use, or NULL. */
struct cn_blkdev *cn_blkdev_find_part(const char *name);

#endif
