/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-rng (virtio 1.x, section 5.4: the entropy device) as a source of
 * lib/random. One request queue; a request is one device-writable buffer
 * that the device fills with entropy (QEMU's from the host's getrandom()
 * by default) and returns with the count written.
 *
 * The generator asks from a thread with its lock held (<cairn/random.h>):
 * read() posts the buffer, waits for the queue's interrupt with a
 * deadline, and copies out. A request that misses the deadline stays
 * posted (the device owns the buffer until it answers), so the next
 * read() does not post again but waits for that one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/log.h>
#include <cairn/random.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include <cairn/virtio.h>

#define VIRTIO_ID_RNG	4
#define CHUNK		64
#define WAIT_NS		(1000ull * 1000000ull)	/* a second */

struct vrng {
	struct cn_random_source src;
	struct cn_virtio_dev *vdev;
	struct cn_virtq *vq;
	struct cn_sem done;
	bool posted;			/* the device owns buf */
	uint8_t buf[CHUNK];
	uint64_t bytes;			/* delivered, for the log */
};

static void vq_callback(struct cn_virtq *vq)
{
	struct vrng *v = vq->owner;

	cn_sem_post(&v->done);
}

/* The answer to the posted request: its length, or -EAGAIN if none yet. */
static int reap(struct vrng *v)
{
	unsigned long flags = cn_big_lock();
	uint32_t len = 0;
	void *cookie = cn_virtq_get(v->vq, &len);

	cn_big_unlock(flags);
	if (!cookie)
		return -EAGAIN;
	v->posted = false;
	return len > CHUNK ? CHUNK : (int)len;
}

static ssize_t vrng_read(struct cn_random_source *s, void *buf, size_t len)
{
	struct vrng *v = s->priv;
	uint64_t deadline = cn_time_ns() + WAIT_NS;
	struct cn_virtq_buf b = { v->buf, CHUNK };
	unsigned long flags;
	int n, rc;

	if (!v->posted) {
		flags = cn_big_lock();
		rc = cn_virtq_add(v->vq, &b, 0, 1, v);
		if (!rc)
			cn_virtq_kick(v->vq);
		cn_big_unlock(flags);
		if (rc)
			return rc;
		v->posted = true;
	}
	/* The interrupt may be lost to a missed post race: poll too. */
	while ((n = reap(v)) == -EAGAIN) {
		if (cn_sem_wait_until(&v->done, deadline) == -ETIMEDOUT &&
		    (n = reap(v)) == -EAGAIN) {
			cn_pr_warn("%s: no answer within a second",
				   v->vdev->name);
			return -ETIMEDOUT;
		}
		if (n != -EAGAIN)
			break;
	}
	if ((size_t)n > len)
		n = (int)len;
	memcpy(buf, v->buf, (size_t)n);
	memset(v->buf, 0, sizeof(v->buf));
	v->bytes += (uint64_t)n;
	return n;
}

static int vrng_probe(struct cn_virtio_dev *d)
{
	struct vrng *v = calloc(1, sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	v->vdev = d;
	d->priv = v;
	cn_sem_init(&v->done, 0);
	v->vq = cn_virtio_queue_setup(d, 0, 8, vq_callback, v);
	if (!v->vq)
		return -EIO;
	v->src.name = "virtio-rng";
	v->src.read = vrng_read;
	v->src.priv = v;
	rc = cn_random_source_register(&v->src);
	if (rc)
		return rc;
	cn_pr_info("virtio-rng at %s (%s): an entropy source for the "
		   "random generator", d->name, d->irq_mode);
	return 0;
}

CN_VIRTIO_DRIVER(virtio_rng) = {
	.name = "virtio-rng",
	.device_id = VIRTIO_ID_RNG,
	.probe = vrng_probe,
};
