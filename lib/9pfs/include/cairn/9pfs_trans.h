/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport side of lib/9pfs: what a 9P channel (drivers/virtio-9p)
 * implements and registers, found by its mount tag when a 9p file system
 * is mounted (vfs.mount="9p:/www:tag=site").
 *
 * A request is a slot of the transport's, with buffers for the message
 * and for the reply of msize bytes each and the 9P tag that belongs to
 * the slot. lib/9pfs takes a slot (req_get), encodes into tx, calls
 * rpc and decodes rx, then gives the slot back (req_put). Several
 * threads may have requests in flight at once, up to the transport's
 * number of slots (req_get waits for one).
 */
#ifndef CAIRN_9PFS_TRANS_H
#define CAIRN_9PFS_TRANS_H

#include <stdint.h>

struct cn_9pfs_req {
	uint8_t *tx;		/* the request, txlen bytes */
	uint8_t *rx;		/* the reply, rxlen bytes after rpc's 0 */
	uint32_t txlen, rxlen;
	uint16_t tag;		/* the 9P tag of this slot (never NOTAG) */
	/*
	 * Optional, set per call (req_get clears them): reads and writes
	 * without a copy. tx_data (tx_datalen bytes) is sent after tx (a
	 * Twrite's payload); with rx_data, the reply's first rx_hdrlen
	 * bytes go to rx and the rest (at most rx_datalen) to rx_data (an
	 * Rread's payload), rxlen counting both. The transport guarantees
	 * that neither is touched once rpc has returned, whatever it
	 * returned.
	 */
	const void *tx_data;
	void *rx_data;
	uint32_t tx_datalen, rx_datalen, rx_hdrlen;
};

struct cn_9pfs_trans;

struct cn_9pfs_trans_ops {
	/*
	 * Required. A free slot, waiting until one is; NULL when the
	 * channel is dead (the log said why). May block.
	 */
	struct cn_9pfs_req *(*req_get)(struct cn_9pfs_trans *t);
	/*
	 * Required. Sends r->tx and blocks until the reply is in r->rx
	 * (r->rxlen set): 0; -EIO when the channel failed, -ETIMEDOUT when
	 * no reply came within timeout_ns (the channel is then closed: a
	 * late reply must not land in the caller's buffers). Either way
	 * the caller still calls req_put. May block.
	 */
	int (*rpc)(struct cn_9pfs_trans *t, struct cn_9pfs_req *r,
		   uint64_t timeout_ns);
	/* Required. Gives the slot back. */
	void (*req_put)(struct cn_9pfs_trans *t, struct cn_9pfs_req *r);
};

struct cn_9pfs_trans {
	const char *tag;		/* the mount tag */
	const char *where;		/* for log lines: "pci 00:04.0" */
	uint32_t msize_max;		/* the largest message it carries */
	/*
	 * Set by lib/9pfs before its first request on the channel (at
	 * most msize_max): the size of tx and rx from then on.
	 */
	uint32_t msize;
	const struct cn_9pfs_trans_ops *ops;
	void *priv;
	struct cn_9pfs_trans *next;	/* lib/9pfs's */
	unsigned int users;		/* mounts on it (lib/9pfs's) */
};

/* Makes t findable by its tag: 0, -EEXIST (the tag is taken), -EINVAL. */
int cn_9pfs_trans_register(struct cn_9pfs_trans *t);

/* The channel with that tag, or NULL. */
struct cn_9pfs_trans *cn_9pfs_trans_find(const char *tag);

#endif
