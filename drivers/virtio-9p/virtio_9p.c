/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-9p (virtio 1.x, section 5.11 of the draft; QEMU's -virtfs) as a
 * lib/9pfs channel. The device has one request queue; a request is a
 * chain of the T-message (device-readable) and room for the R-message
 * (device-writable); the config space holds the mount tag.
 *
 * Requests live in slots, one per 9P tag, each with its two buffers (of
 * the msize lib/9pfs set, allocated at first use so an idle channel
 * costs little). A caller takes a slot, queues its chain and sleeps
 * until the queue's interrupt (or its own polling) sees the chain come
 * back. Reads and writes may name the caller's buffer for the payload (a
 * chain of up to four buffers), so data is not copied. A request that
 * gets no reply within the timeout resets the device, which then writes
 * no buffer any more (the caller's may be gone), and closes the channel;
 * so does a queue that broke (the device returned a chain it was not
 * given): every request fails with -EIO from then on.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/9pfs_trans.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/log.h>
#include <cairn/timer.h>
#include <cairn/virtio.h>
#include "v9p.h"

#define ID_9P		9
#define F_MOUNT_TAG	(1ull << 0)
#define CFG_TAG_LEN	0
#define CFG_TAG		2
#define TAG_MAX		64
#define NR_SLOTS	8
#define WATCHDOG_NS	(100ull * 1000000)	/* re-notify a silent one */
/* The largest message (Linux's virtio transport allows 512 KiB). */
#define MSIZE_MAX	(512u * 1024)

enum slot_state { FREE, OWNED, QUEUED, ABANDONED };

struct slot {
	struct cn_9pfs_req req;
	uint32_t bufsize;		/* of req.tx and req.rx */
	enum slot_state state;
	volatile bool done;
};

struct v9p {
	struct cn_9pfs_trans trans;
	struct cn_virtio_dev *vdev;
	struct cn_virtq *vq;
	struct cn_virtio_9p_waiters *waiters;
	struct slot slots[NR_SLOTS];
	bool dead;
	char tag[TAG_MAX + 1];
};

/* Interrupts off. */
static void reap(struct v9p *v)
{
	struct slot *s;
	uint32_t len;
	bool any = false;

	while ((s = cn_virtq_get(v->vq, &len))) {
		any = true;
		if (s->state == ABANDONED) {
			s->state = FREE;
			continue;
		}
		s->req.rxlen = len > s->bufsize ? s->bufsize : len;
		s->done = true;
	}
	if (v->vq->broken && !v->dead) {
		v->dead = true;
		cn_pr_err("%s: 9p device '%s' broke its queue; every request "
			  "fails with EIO from now on", v->vdev->name, v->tag);
		any = true;
	}
	if (any)
		cn_virtio_9p_wake(v->waiters);
}

static void vq_callback(struct cn_virtq *vq)
{
	reap(vq->owner);
}

static void v9p_req_put(struct cn_9pfs_trans *t, struct cn_9pfs_req *r)
{
	struct v9p *v = t->priv;
	struct slot *s = (struct slot *)r;
	unsigned long flags = cn_big_lock();

	s->state = s->state == QUEUED ? ABANDONED : FREE;
	if (s->state == FREE)
		cn_virtio_9p_wake(v->waiters);
	cn_big_unlock(flags);
}

static struct cn_9pfs_req *v9p_req_get(struct cn_9pfs_trans *t)
{
	struct v9p *v = t->priv;
	unsigned long flags = cn_big_lock();
	struct slot *s = NULL;
	unsigned int i;

	while (!v->dead) {
		for (i = 0; i < NR_SLOTS && !s; i++)
			if (v->slots[i].state == FREE)
				s = &v->slots[i];
		if (s)
			break;
		reap(v);
		cn_virtio_9p_wait(v->waiters, 0);
	}
	if (s)
		s->state = OWNED;
	cn_big_unlock(flags);
	if (!s)
		return NULL;
	/* Buffers of the size the mount agreed on, made at first use. */
	if (s->bufsize != t->msize) {
		free(s->req.tx);
		free(s->req.rx);
		s->req.tx = malloc(t->msize);
		s->req.rx = malloc(t->msize);
		s->bufsize = t->msize;
		if (!s->req.tx || !s->req.rx) {
			free(s->req.tx);
			free(s->req.rx);
			s->req.tx = s->req.rx = NULL;
			s->bufsize = 0;
			v9p_req_put(t, &s->req);
			cn_pr_err("%s: no memory for a 9p request of %u bytes",
				  v->vdev->name, t->msize);
			return NULL;
		}
	}
	s->req.tx_data = s->req.rx_data = NULL;
	s->req.tx_datalen = s->req.rx_datalen = s->req.rx_hdrlen = 0;
	return &s->req;
}

static int v9p_rpc(struct cn_9pfs_trans *t, struct cn_9pfs_req *r,
		   uint64_t timeout_ns)
{
	struct v9p *v = t->priv;
	struct slot *s = (struct slot *)r;
	struct cn_virtq_buf b[4];
	uint64_t deadline = cn_time_ns() + timeout_ns, now, next_notify;
	unsigned int out = 1, n = 0;
	unsigned long flags;
	int rc = 0;

	if (r->txlen > s->bufsize || r->rx_hdrlen > s->bufsize)
		return -EINVAL;
	b[n++] = (struct cn_virtq_buf){ r->tx, r->txlen };
	if (r->tx_data && r->tx_datalen) {
		b[n++] = (struct cn_virtq_buf){ r->tx_data, r->tx_datalen };
		out++;
	}
	if (r->rx_data) {
		b[n++] = (struct cn_virtq_buf){ r->rx, r->rx_hdrlen };
		if (r->rx_datalen)
			b[n++] = (struct cn_virtq_buf){ r->rx_data,
							r->rx_datalen };
	} else {
		b[n++] = (struct cn_virtq_buf){ r->rx, s->bufsize };
	}
	flags = cn_big_lock();
	s->done = false;
	for (;;) {
		rc = v->dead ? -EIO : cn_virtq_add(v->vq, b, out, n - out, s);
		if (rc != -ENOSPC)
			break;
		/* Cannot happen with 2 descriptors per slot; be safe. */
		reap(v);
		cn_virtio_9p_wait(v->waiters, deadline);
		if (cn_time_ns() >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
	}
	if (rc) {
		cn_big_unlock(flags);
		return rc == -ETIMEDOUT ? rc : -EIO;
	}
	s->state = QUEUED;
	cn_virtq_kick(v->vq);
	next_notify = cn_time_ns() + WATCHDOG_NS;
	while (!s->done && !v->dead) {
		reap(v);
		if (s->done || v->dead)
			break;
		now = cn_time_ns();
		if (now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		/*
		 * A watchdog: wakes the device if a notification was lost
		 * (virtq.h). Not at every round: each notify is a trap into
		 * QEMU, which a polling wait would make thousands of.
		 */
		if (now >= next_notify) {
			cn_virtq_notify(v->vq);
			next_notify = now + WATCHDOG_NS;
		}
		cn_virtio_9p_wait(v->waiters, deadline);
	}
	if (s->done) {
		s->state = OWNED;
		rc = 0;
	} else if (!rc) {
		rc = -EIO;
	}
	if (rc == -ETIMEDOUT && !v->dead) {
		/* Reset: the device lets go of every buffer it holds. */
		v->dead = true;
		v->vdev->ops->set_status(v->vdev, 0);
		cn_pr_err("%s: 9p device '%s' did not answer in time: reset, "
			  "every request fails with EIO from now on",
			  v->vdev->name, v->tag);
	}
	cn_big_unlock(flags);
	return rc;
}

static const struct cn_9pfs_trans_ops v9p_ops = {
	.req_get = v9p_req_get,
	.rpc = v9p_rpc,
	.req_put = v9p_req_put,
};

static int v9p_probe(struct cn_virtio_dev *d)
{
	struct v9p *v;
	uint16_t len = 0;
	unsigned int i;
	int rc;

	if (!cn_virtio_has(d, F_MOUNT_TAG)) {
		cn_pr_err("%s: 9p device without a mount tag; skipped",
			  d->name);
		return -EINVAL;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	cn_virtio_read_config(d, CFG_TAG_LEN, &len, 2);
	if (!len || len > TAG_MAX) {
		cn_pr_err("%s: 9p mount tag of %u bytes (1 to %u allowed); "
			  "skipped", d->name, len, TAG_MAX);
		free(v);
		return -EINVAL;
	}
	cn_virtio_read_config(d, CFG_TAG, v->tag, len);
	v->tag[len] = '\0';
	if (strlen(v->tag) != len) {
		cn_pr_err("%s: 9p mount tag holds a NUL byte; skipped",
			  d->name);
		free(v);
		return -EINVAL;
	}
	v->waiters = cn_virtio_9p_waiters_new();
	if (!v->waiters) {
		free(v);
		return -ENOMEM;
	}
	v->vdev = d;
	d->priv = v;
	v->vq = cn_virtio_queue_setup(d, 0, 4 * NR_SLOTS, vq_callback, v);
	if (!v->vq)
		return -EIO;
	cn_virtio_9p_wait_setup(v->vq);
	for (i = 0; i < NR_SLOTS; i++)
		v->slots[i].req.tag = (uint16_t)i;
	v->trans.tag = v->tag;
	v->trans.where = d->name;
	v->trans.msize_max = MSIZE_MAX;
	v->trans.msize = 8192;
	v->trans.ops = &v9p_ops;
	v->trans.priv = v;
	rc = cn_9pfs_trans_register(&v->trans);
	if (rc) {
		cn_pr_err("%s: 9p mount tag '%s' is already taken: %d",
			  d->name, v->tag, rc);
		return rc;
	}
	cn_pr_info("%s: virtio-9p at %s (%s), mount tag '%s'", v->tag,
		   d->name, d->irq_mode, v->tag);
	return 0;
}

CN_VIRTIO_DRIVER(virtio_9p) = {
	.name = "virtio-9p",
	.device_id = ID_9P,
	.features = F_MOUNT_TAG,
	.probe = v9p_probe,
};
