/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio core: device initialisation (3.1.1), feature negotiation,
 * driver binding through the cn_virtio_drivers table, queue memory.
 * Transports call in; drivers call cn_virtio_queue_setup().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include <cairn/virtio.h>

CN_TABLE_DECLARE(cn_virtio_drivers, struct cn_virtio_driver);

#ifdef CONFIG_DRV_VIRTIO_EVENT_IDX
static bool event_idx = true;
#else
static bool event_idx;
#endif
CN_PARAM_BOOL(virtio, event_idx, event_idx,
	      "negotiate event-index notification suppression");
/*
 * QEMU's TCG drops the guest's fences when the machine can only ever run
 * one vCPU (-smp 1 without maxcpus), and a kick that trusts the device's
 * "no notification needed" hint, or a sleep after re-checking the used
 * ring, without a real barrier can leave a ring stalled (see
 * cn_virtq_kick). A device register read is then the barrier. With
 * more possible CPUs (TCG translates fences for parallel vCPUs), under
 * KVM and on hardware, fences work and the read is pure cost: a wait
 * for QEMU's global lock per kick. -1 (the default): decided from the
 * board's possible CPUs (cn_plat_cpus_possible(); `make run` gives
 * QEMU -smp 1,maxcpus=2 on x86_64 for this); 1 always, 0 never.
 */
static int sync_kick = -1;
CN_PARAM_INT(virtio, sync_kick, sync_kick,
	     "read a device register before trusting a suppression hint "
	     "or sleeping: 1 always, 0 never, -1 (default) only when the "
	     "board has one possible CPU (QEMU TCG then drops fences)");

static bool sync_reads(void)
{
	static int decided = -1;

	if (sync_kick >= 0)
		return sync_kick > 0;
	if (decided < 0) {
		decided = cn_plat_cpus_possible() < 2;
		cn_pr_debug("%s", decided ?
			    "one possible CPU: a register read backs each "
			    "suppression hint" :
			    "several possible CPUs: fences suffice");
	}
	return decided;
}

static struct cn_virtio_dev *devices, **devices_tail = &devices;

struct cn_virtio_dev *cn_virtio_devices(void)
{
	return devices;
}

static const struct cn_virtio_driver *find_driver(uint16_t id)
{
	cn_table_foreach(cn_virtio_drivers, struct cn_virtio_driver, drv)
		if (drv->device_id == id)
			return drv;
	return NULL;
}

static void add_status(struct cn_virtio_dev *d, uint8_t s)
{
	d->ops->set_status(d, d->ops->get_status(d) | s);
}

static int fail(struct cn_virtio_dev *d, int rc, const char *why)
{
	add_status(d, CN_VIRTIO_S_FAILED);
	cn_pr_err("%s: virtio device %u: %s; device skipped", d->name,
		  d->device_id, why);
	return rc;
}

int cn_virtio_dev_add(struct cn_virtio_dev *d)
{
	const struct cn_virtio_driver *drv = find_driver(d->device_id);
	uint64_t offered, wanted;
	int rc;

	d->ops->set_status(d, 0);		/* reset */
	if (!drv) {
		cn_pr_debug("%s: virtio device %u: no driver in this image",
			    d->name, d->device_id);
		return -ENODEV;
	}
	add_status(d, CN_VIRTIO_S_ACKNOWLEDGE);
	add_status(d, CN_VIRTIO_S_DRIVER);
	offered = d->ops->get_features(d);
	if (!(offered & CN_VIRTIO_F_VERSION_1))
		return fail(d, -ENOTSUP, "legacy-only device (no VERSION_1)");
	wanted = drv->features | CN_VIRTIO_F_VERSION_1 |
		 (event_idx ? CN_VIRTIO_F_RING_EVENT_IDX : 0);
	d->features = offered & wanted;
	if (drv->select_features)
		d->features = drv->select_features(d->features) &
			      d->features;
	d->ops->set_features(d, d->features);
	add_status(d, CN_VIRTIO_S_FEATURES_OK);
	if (!(d->ops->get_status(d) & CN_VIRTIO_S_FEATURES_OK))
		return fail(d, -ENOTSUP, "features refused by the device");
	d->driver = drv;
	rc = drv->probe(d);
	if (rc) {
		d->driver = NULL;
		add_status(d, CN_VIRTIO_S_FAILED);
		cn_pr_err("%s: %s failed: %s; device skipped", d->name,
			  drv->name, cn_errname(rc));
		return rc;
	}
	add_status(d, CN_VIRTIO_S_DRIVER_OK);
	if (d->ops->get_status(d) & CN_VIRTIO_S_NEEDS_RESET)
		return fail(d, -EIO, "device needs a reset right after start");
	*devices_tail = d;
	devices_tail = &d->next;
	return 0;
}

struct cn_virtq *cn_virtio_queue_setup(struct cn_virtio_dev *d,
				       unsigned int idx, unsigned int size,
				       void (*callback)(struct cn_virtq *vq),
				       void *owner)
{
	unsigned int max = idx < CN_VIRTIO_MAX_QUEUES ?
			   d->ops->queue_max(d, idx) : 0;
	struct cn_virtq *vq;
	void *mem;
	void **cookie;
	int rc;

	if (!max) {
		cn_pr_err("%s: queue %u does not exist", d->name, idx);
		return NULL;
	}
	if (!size || size > max)
		size = max;
	while (size & (size - 1))		/* a power of 2 */
		size &= size - 1;
	if (size > 32768)
		size = 32768;
	vq = calloc(1, sizeof(*vq));
	mem = aligned_alloc(CN_VIRTQ_ALIGN, cn_virtq_mem_size(size));
	cookie = calloc(size, sizeof(*cookie));
	if (!vq || !mem || !cookie) {
		free(vq);
		free(mem);
		free(cookie);
		cn_pr_err("%s: no memory for queue %u (%u entries)", d->name,
			  idx, size);
		return NULL;
	}
	cn_virtq_init(vq, size, mem, cookie,
		      cn_virtio_has(d, CN_VIRTIO_F_RING_EVENT_IDX));
	vq->index = (uint16_t)idx;
	vq->sync_kick = sync_reads();
	vq->callback = callback;
	vq->owner = owner;
	rc = d->ops->queue_enable(d, vq);
	if (rc) {
		cn_pr_err("%s: queue %u: %s", d->name, idx, cn_errname(rc));
		free(vq);
		free(mem);
		free(cookie);
		return NULL;
	}
	d->vqs[idx] = vq;
	if (idx >= d->nr_vqs)
		d->nr_vqs = idx + 1;
	return vq;
}

void cn_virtio_read_config(struct cn_virtio_dev *d, unsigned int off,
			   void *buf, unsigned int len)
{
	d->ops->read_config(d, off, buf, len);
}

void cn_virtio_queue_interrupt(struct cn_virtq *vq)
{
	if (!vq)
		return;
	if (vq->callback)
		vq->callback(vq);
	if (vq->broken && !vq->broken_reported) {
		vq->broken_reported = true;
		cn_pr_err("queue %u: the device returned a buffer it was never "
			  "given; queue stopped", vq->index);
	}
}

void cn_virtio_config_interrupt(struct cn_virtio_dev *d)
{
	if (d->ops->get_status(d) & CN_VIRTIO_S_NEEDS_RESET)
		cn_pr_err("%s: the device reports an error (NEEDS_RESET); "
			  "its requests may fail", d->name);
	if (d->config_changed)
		d->config_changed(d);
}
