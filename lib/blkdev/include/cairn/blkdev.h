/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blkdev: block devices, between drivers and file systems or apps.
 *
 * A request names an operation, a starting sector (in the device's
 * sector_size units), a count of sectors and a buffer. Requests are
 * asynchronous: cn_blkdev_submit() queues one and returns at once; the
 * driver calls req->done(req) when it has finished, in interrupt context
 * (keep it short), with req->status 0 or a negative errno. Until then the
 * request and its buffer belong to the driver. With SMP, done() runs on
 * any CPU and without the big lock, possibly at the same time as other
 * requests' done(): state it shares needs an atomic or a lock of its own.
 * It may submit again. The synchronous wrappers
 * (cn_blkdev_read/write/flush) submit and sleep until completion.
 *
 * Checked before any driver sees a request (the wrapper returns the same
 * errors): a range past the end of the device, a count of 0, or (for
 * submit; the wrappers split) more than max_sectors gives -EINVAL; a
 * flush on a device without a write cache completes at once with 0;
 * a write to a read-only device gives -EROFS; a device that has
 * failed gives -EIO. When the device queue is full, submit returns
 * -EAGAIN and the caller retries after a completion (the synchronous
 * wrappers wait for room themselves).
 *
 * This header is the API for users (file systems, apps, tests); drivers
 * include <cairn/blkdev_driver.h>, which adds the operations a driver
 * implements and the calls only drivers make.
 */
#ifndef CAIRN_BLKDEV_H
#define CAIRN_BLKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cn_blk_op {
	CN_BLK_READ,
	CN_BLK_WRITE,
	CN_BLK_FLUSH,		/* sector and count ignored */
};

struct cn_blkreq {
	enum cn_blk_op op;
	uint64_t sector;
	uint32_t count;		/* sectors */
	void *buf;		/* count * sector_size bytes */
	void (*done)(struct cn_blkreq *req);
	void *arg;		/* free for the submitter */
	int status;		/* set before done() runs */
	void *priv;		/* the driver's while it owns the request */
};

struct cn_blkdev;

struct cn_blkdev_stats {
	uint64_t reads, writes, flushes;	/* requests completed */
	uint64_t read_bytes, written_bytes;
	uint64_t errors;
	/* synchronous requests whose completion the waiting thread found
	 * by polling (blkdev.poll_us) instead of sleeping until the
	 * interrupt */
	uint64_t polled;
};

/* The driver's operations: <cairn/blkdev_driver.h>. */
struct cn_blkdev_ops;
/* lib/blkdev's own state of a registered device. */
struct cn_blkdev_state;

/*
 * A block device. The driver fills it in and registers it
 * (<cairn/blkdev_driver.h>); for users every field is read-only.
 */
struct cn_blkdev {
	char name[8];			/* "blk0": set by register */
	uint32_t sector_size;		/* bytes, a power of 2 >= 512 */
	uint64_t sectors;		/* capacity */
	uint32_t max_sectors;		/* per request (0: no limit) */
	unsigned int queue_depth;	/* requests in flight at most */
	bool read_only;
	bool can_flush;			/* the device has a write cache */
	const char *driver;		/* "virtio-blk" */
	const char *bus;
	struct cn_blkdev_stats stats;	/* counted by lib/blkdev */
	const struct cn_blkdev_ops *ops; /* the driver's */
	void *priv;			/* the driver's */
	struct cn_blkdev_state *state;	/* lib/blkdev's, set by register */
};

unsigned int cn_blkdev_count(void);
struct cn_blkdev *cn_blkdev_get(unsigned int index);	/* NULL: none */
/*
 * The device called name, or NULL. "blk0p1" is partition 1 of blk0 in
 * its MBR (1-4) or GPT (1-128): made on the first call (which reads the
 * table, so it may sleep) and registered as a device of its own.
 */
struct cn_blkdev *cn_blkdev_find(const char *name);
int cn_blkdev_submit(struct cn_blkdev *bd, struct cn_blkreq *req);
/* Synchronous: 0 or a negative errno. The thread sleeps meanwhile. */
int cn_blkdev_read(struct cn_blkdev *bd, uint64_t sector, void *buf,
		   uint32_t count);
int cn_blkdev_write(struct cn_blkdev *bd, uint64_t sector, const void *buf,
		    uint32_t count);
int cn_blkdev_flush(struct cn_blkdev *bd);
/*
 * Completes what the device has finished without waiting for its
 * interrupt (for callers that spin on a request's status). Returns 0, or
 * -ENOTSUP when the driver cannot poll.
 */
int cn_blkdev_poll(struct cn_blkdev *bd);

#endif
