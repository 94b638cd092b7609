/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-blk (virtio 1.x, section 5.2) as a blkdev. One request queue;
 * each request is a chain: the 16-byte header (device-readable), the data
 * in one or more segments (readable for writes, writable for reads) and
 * the status byte (writable). Headers and status bytes live in a slot
 * array, one slot per request in flight. Completions are reaped in the
 * queue's interrupt and handed to cn_blkdev_complete().
 *
 * No big lock: the ring and the slots have the driver's own spinlock,
 * the queue's interrupt runs without the big lock (irq_unlocked), and
 * requests are completed after the lock is let go, since a completion
 * runs its submitter's done(), which may submit again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/blkdev_driver.h>
#include <cairn/log.h>
#include <cairn/spinlock.h>
#include <cairn/virtio.h>

#define F_SIZE_MAX	(1ull << 1)
#define F_SEG_MAX	(1ull << 2)
#define F_RO		(1ull << 5)
#define F_BLK_SIZE	(1ull << 6)
#define F_FLUSH		(1ull << 9)

#define CFG_CAPACITY	0
#define CFG_SIZE_MAX	8
#define CFG_SEG_MAX	12

#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define S_OK		0
#define S_IOERR		1
#define S_UNSUPP	2
#define SECTOR		512
#define MAX_SEGS	32

struct slot {
	struct {
		uint32_t type;
		uint32_t reserved;
		uint64_t sector;
	} hdr;
	uint8_t status;
	struct cn_blkreq *req;
	struct slot *next_free;
};

struct vblk {
	struct cn_blkdev bd;
	struct cn_virtio_dev *vdev;
	struct cn_virtq *vq;
	struct slot *slots, *free_slots;
	uint32_t size_max;		/* bytes per segment */
	unsigned int seg_max;
	struct cn_spinlock lock;	/* vq and the slots; irqsave */
};

/* Under the lock: moves what the device has finished onto l. */
static unsigned int reap(struct vblk *v, struct cn_blkreq_list *l)
{
	struct slot *s;
	unsigned int n = 0;
	uint32_t len;

	while ((s = cn_virtq_get(v->vq, &len))) {
		n++;
		cn_blkreq_list_add(l, s->req, s->status == S_OK ? 0 :
				   s->status == S_UNSUPP ? -ENOTSUP : -EIO);
		s->req = NULL;
		s->next_free = v->free_slots;
		v->free_slots = s;
	}
	return n;
}

/* The queue's interrupt, without the big lock (irq_unlocked). */
static void vq_callback(struct cn_virtq *vq)
{
	struct vblk *v = vq->owner;
	struct cn_blkreq_list l = CN_BLKREQ_LIST_INIT(l);

	cn_spin_lock(&v->lock);
	reap(v, &l);
	cn_spin_unlock(&v->lock);
	cn_blkdev_complete_list(&v->bd, &l);
}

/* blkdev's waits call this: a watchdog that also wakes a stuck device. */
static void vblk_poll(struct cn_blkdev *bd)
{
	struct vblk *v = bd->priv;
	struct cn_blkreq_list l = CN_BLKREQ_LIST_INIT(l);
	unsigned long flags = cn_spin_lock_irqsave(&v->lock);

	if (!reap(v, &l) && cn_virtq_free(v->vq) < v->vq->size)
		cn_virtq_notify(v->vq);
	cn_spin_unlock_irqrestore(&v->lock, flags);
	cn_blkdev_complete_list(&v->bd, &l);
}

/* Under the lock: puts req on the ring; 0, -EAGAIN or -EIO. */
static int queue_req(struct vblk *v, struct cn_blkreq *req)
{
	struct cn_virtq_buf b[MAX_SEGS + 2];
	struct slot *s = v->free_slots;
	unsigned int n = 1, out;
	uint64_t left;
	const uint8_t *p;
	int rc;

	if (!s)
		return -EAGAIN;
	s->hdr.type = req->op == CN_BLK_READ ? T_IN :
		      req->op == CN_BLK_WRITE ? T_OUT : T_FLUSH;
	s->hdr.reserved = 0;
	s->hdr.sector = req->op == CN_BLK_FLUSH ? 0 : req->sector;
	s->status = 0xff;
	b[0].addr = &s->hdr;
	b[0].len = sizeof(s->hdr);
	if (req->op != CN_BLK_FLUSH) {
		left = (uint64_t)req->count * SECTOR;
		for (p = req->buf; left; n++) {
			uint32_t len = left > v->size_max ? v->size_max
							  : (uint32_t)left;

			b[n].addr = p;
			b[n].len = len;
			p += len;
			left -= len;
		}
	}
	out = req->op == CN_BLK_READ ? 1 : n;
	b[n].addr = &s->status;
	b[n].len = 1;
	rc = cn_virtq_add(v->vq, b, out, n + 1 - out, s);
	if (rc)
		return rc == -ENOSPC ? -EAGAIN : -EIO;
	v->free_slots = s->next_free;
	s->req = req;
	cn_virtq_kick(v->vq);
	return 0;
}

/* Called by blkdev with interrupts off and the request checked. */
static int vblk_submit(struct cn_blkdev *bd, struct cn_blkreq *req)
{
	struct vblk *v = bd->priv;
	unsigned long flags = cn_spin_lock_irqsave(&v->lock);
	int rc = queue_req(v, req);

	cn_spin_unlock_irqrestore(&v->lock, flags);
	return rc;
}

static const struct cn_blkdev_ops vblk_ops = {
	.submit = vblk_submit,
	.poll = vblk_poll,
};

static int vblk_probe(struct cn_virtio_dev *d)
{
	struct vblk *v = calloc(1, sizeof(*v));
	uint64_t cap;
	unsigned int i, depth;
	int rc;

	if (!v)
		return -ENOMEM;
	v->vdev = d;
	d->priv = v;
	cn_spin_init(&v->lock);
	d->irq_unlocked = true;		/* vq_callback() takes v->lock */
	cn_virtio_read_config(d, CFG_CAPACITY, &cap, 8);
	v->size_max = 1u << 30;
	if (cn_virtio_has(d, F_SIZE_MAX)) {
		uint32_t sm;

		cn_virtio_read_config(d, CFG_SIZE_MAX, &sm, 4);
		if (sm >= SECTOR)
			v->size_max = sm & ~(uint32_t)(SECTOR - 1);
	}
	v->seg_max = MAX_SEGS;
	if (cn_virtio_has(d, F_SEG_MAX)) {
		uint32_t sm;

		cn_virtio_read_config(d, CFG_SEG_MAX, &sm, 4);
		if (sm && sm < MAX_SEGS)
			v->seg_max = sm;
	}
	if (!cap) {
		cn_pr_err("%s: virtio-blk reports a capacity of 0", d->name);
		return -EINVAL;
	}
	v->vq = cn_virtio_queue_setup(d, 0, 256, vq_callback, v);
	if (!v->vq)
		return -EIO;
	if (v->vq->size < 3) {
		cn_pr_err("%s: queue of %u entries is too small", d->name,
			  v->vq->size);
		return -EINVAL;
	}
	/* A request takes header + segments + status descriptors. */
	depth = v->vq->size / 3;
	if (v->seg_max > v->vq->size - 2u)
		v->seg_max = v->vq->size - 2u;
	v->slots = calloc(depth, sizeof(*v->slots));
	if (!v->slots)
		return -ENOMEM;
	for (i = 0; i < depth; i++) {
		v->slots[i].next_free = v->free_slots;
		v->free_slots = &v->slots[i];
	}
	v->bd.sector_size = SECTOR;
	v->bd.sectors = cap;
	v->bd.queue_depth = depth;
	/* A full-size request must fit the ring whatever else is queued. */
	v->bd.max_sectors = (uint32_t)(((uint64_t)v->size_max *
					(v->seg_max < 1 ? 1 : v->seg_max)) /
				       SECTOR);
	if (v->bd.max_sectors > (1u << 16))
		v->bd.max_sectors = 1u << 16;
	v->bd.read_only = cn_virtio_has(d, F_RO);
	v->bd.can_flush = cn_virtio_has(d, F_FLUSH);
	v->bd.driver = "virtio-blk";
	v->bd.bus = d->name;
	v->bd.ops = &vblk_ops;
	v->bd.priv = v;
	rc = cn_blkdev_register(&v->bd);
	if (rc)
		return rc;
	cn_pr_info("%s: virtio-blk at %s (%s), %llu sectors of %u bytes "
		   "(%llu MiB), %s%s, queue depth %u", v->bd.name, d->name,
		   d->irq_mode, (unsigned long long)cap, SECTOR,
		   (unsigned long long)(cap * SECTOR >> 20),
		   v->bd.read_only ? "read-only" : "read-write",
		   v->bd.can_flush ? ", write cache (flush)" : "", depth);
	return 0;
}

CN_VIRTIO_DRIVER(virtio_blk) = {
	.name = "virtio-blk",
	.device_id = CN_VIRTIO_ID_BLOCK,
	.features = F_SIZE_MAX | F_SEG_MAX | F_RO | F_BLK_SIZE | F_FLUSH,
	.probe = vblk_probe,
};
