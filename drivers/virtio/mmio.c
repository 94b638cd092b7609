/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-mmio transport (virtio 1.x, section 4.2), version 2 only.
 * The platform names the slots (cn_plat_virtio_mmio_slots(): microvm's
 * scan, or virtio_mmio.device= entries); a slot with the magic value and a
 * non-zero device ID holds a device. One interrupt line per device: the
 * handler reads InterruptStatus, acknowledges it and runs the queues.
 * QEMU makes these devices legacy (version 1) unless it is given
 * -global virtio-mmio.force-legacy=false, which `make run` passes; a
 * legacy device is skipped with a log line saying so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <cairn/arch.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/virtio.h>

#define MAGIC		0x000
#define VERSION		0x004
#define DEVICE_ID	0x008
#define DEV_FEATURES	0x010
#define DEV_FEATURES_SEL 0x014
#define DRV_FEATURES	0x020
#define DRV_FEATURES_SEL 0x024
#define QUEUE_SEL	0x030
#define QUEUE_NUM_MAX	0x034
#define QUEUE_NUM	0x038
#define QUEUE_READY	0x044
#define QUEUE_NOTIFY	0x050
#define INT_STATUS	0x060
#define INT_ACK		0x064
#define STATUS		0x070
#define QUEUE_DESC	0x080
#define QUEUE_DRIVER	0x090
#define QUEUE_DEVICE	0x0a0
#define CONFIG_GEN	0x0fc
#define CONFIG		0x100
#define MAGIC_VALUE	0x74726976u	/* "virt" */
#define MAX_SLOTS	32

struct vmmio {
	struct cn_virtio_dev vdev;
	volatile uint8_t *base;
	uint64_t size;
	unsigned int line, line_flags;
	int irq_ready;
	char line_name[12];
};

static inline uint32_t rd(struct vmmio *m, unsigned int off)
{
	return *(volatile uint32_t *)(m->base + off);
}

static inline void wr(struct vmmio *m, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(m->base + off) = v;
}

static struct vmmio *to_m(struct cn_virtio_dev *d)
{
	return d->transport;
}

static uint64_t get_features(struct cn_virtio_dev *d)
{
	struct vmmio *m = to_m(d);
	uint64_t f;

	wr(m, DEV_FEATURES_SEL, 0);
	f = rd(m, DEV_FEATURES);
	wr(m, DEV_FEATURES_SEL, 1);
	return f | (uint64_t)rd(m, DEV_FEATURES) << 32;
}

static void set_features(struct cn_virtio_dev *d, uint64_t f)
{
	struct vmmio *m = to_m(d);

	wr(m, DRV_FEATURES_SEL, 0);
	wr(m, DRV_FEATURES, (uint32_t)f);
	wr(m, DRV_FEATURES_SEL, 1);
	wr(m, DRV_FEATURES, (uint32_t)(f >> 32));
}

static uint8_t get_status(struct cn_virtio_dev *d)
{
	return (uint8_t)rd(to_m(d), STATUS);
}

static void set_status(struct cn_virtio_dev *d, uint8_t s)
{
	wr(to_m(d), STATUS, s);
}

static void read_config(struct cn_virtio_dev *d, unsigned int off, void *buf,
			unsigned int len)
{
	struct vmmio *m = to_m(d);
	uint8_t *out = buf;
	uint32_t gen;
	unsigned int i;

	do {
		gen = rd(m, CONFIG_GEN);
		for (i = 0; i < len; i++)
			out[i] = CONFIG + off + i < m->size ?
				 m->base[CONFIG + off + i] : 0;
	} while (gen != rd(m, CONFIG_GEN));
}

static void write_config(struct cn_virtio_dev *d, unsigned int off,
			 const void *buf, unsigned int len)
{
	struct vmmio *m = to_m(d);
	const uint8_t *in = buf;
	unsigned int i;

	for (i = 0; i < len && CONFIG + off + i < m->size; i++)
		m->base[CONFIG + off + i] = in[i];
}

static unsigned int queue_max(struct cn_virtio_dev *d, unsigned int idx)
{
	struct vmmio *m = to_m(d);

	wr(m, QUEUE_SEL, idx);
	if (rd(m, QUEUE_READY))
		return 0;
	return rd(m, QUEUE_NUM_MAX);
}

static void notify(struct cn_virtq *vq)
{
	struct vmmio *m = vq->transport;

	wr(m, QUEUE_NOTIFY, vq->index);
}

static void irq_handler(void *arg)
{
	struct vmmio *m = arg;
	uint32_t st = rd(m, INT_STATUS);
	unsigned int i;

	wr(m, INT_ACK, st);
	if (st & 1)
		for (i = 0; i < m->vdev.nr_vqs; i++)
			cn_virtio_queue_interrupt(m->vdev.vqs[i]);
	if (st & 2)
		cn_virtio_config_interrupt(&m->vdev);
}

static int irq_setup(struct vmmio *m)
{
	int vec = cn_arch_irq_alloc_vector(), rc;

	if (vec < 0)
		return vec;
	rc = cn_arch_irq_register((unsigned int)vec, irq_handler, m);
	if (!rc && m->vdev.irq_unlocked)	/* the line is the device's */
		cn_arch_irq_mark_unlocked((unsigned int)vec);
	if (!rc)
		rc = cn_plat_irq_route(m->line, (unsigned int)vec,
				       m->line_flags);
	if (rc)
		return rc;
	m->irq_ready = 1;
	return 0;
}

static void wr64(struct vmmio *m, unsigned int off, const void *p)
{
	wr(m, off, (uint32_t)(uintptr_t)p);
	wr(m, off + 4, (uint32_t)((uintptr_t)p >> 32));
}

static int queue_enable(struct cn_virtio_dev *d, struct cn_virtq *vq)
{
	struct vmmio *m = to_m(d);
	int rc;

	if (!m->irq_ready && (rc = irq_setup(m)))
		return rc;
	wr(m, QUEUE_SEL, vq->index);
	wr(m, QUEUE_NUM, vq->size);
	wr64(m, QUEUE_DESC, vq->desc);
	wr64(m, QUEUE_DRIVER, vq->avail);
	wr64(m, QUEUE_DEVICE, vq->used);
	vq->transport = m;
	vq->notify = notify;
	vq->sync_reg = m->base + CONFIG_GEN;	/* reading it changes nothing */
	wr(m, QUEUE_READY, 1);
	return 0;
}

static const struct cn_virtio_transport_ops vmmio_ops = {
	.get_features = get_features,
	.set_features = set_features,
	.get_status = get_status,
	.set_status = set_status,
	.read_config = read_config,
	.write_config = write_config,
	.queue_max = queue_max,
	.queue_enable = queue_enable,
};

static void probe_slot(const struct cn_plat_mmio_dev *s)
{
	volatile uint8_t *base = cn_arch_map_mmio(s->base, s->size);
	struct vmmio *m;
	uint32_t version, id;

	if (!base || s->size < CONFIG)
		return;
	if (*(volatile uint32_t *)(base + MAGIC) != MAGIC_VALUE)
		return;
	id = *(volatile uint32_t *)(base + DEVICE_ID);
	if (!id)
		return;				/* empty slot */
	version = *(volatile uint32_t *)(base + VERSION);
	if (version != 2) {
		cn_pr_err("mmio %#llx: virtio device %u is legacy (version "
			  "%u); skipped. Run QEMU with -global "
			  "virtio-mmio.force-legacy=false (make run does)",
			  (unsigned long long)s->base, id, version);
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		cn_pr_err("mmio %#llx: out of memory; device skipped",
			  (unsigned long long)s->base);
		return;
	}
	m->base = base;
	m->size = s->size;
	m->line = s->line;
	m->line_flags = s->line_flags;
	m->vdev.device_id = (uint16_t)id;
	m->vdev.ops = &vmmio_ops;
	m->vdev.transport = m;
	snprintf(m->line_name, sizeof(m->line_name), "line %u", s->line);
	m->vdev.irq_mode = m->line_name;
	snprintf(m->vdev.name, sizeof(m->vdev.name), "mmio %#llx [id %u]",
		 (unsigned long long)s->base, id);
	cn_virtio_dev_add(&m->vdev);
}

static int virtio_mmio_init(void)
{
	struct cn_plat_mmio_dev slots[MAX_SLOTS];
	unsigned int i, n = cn_plat_virtio_mmio_slots(slots, MAX_SLOTS);

	for (i = 0; i < n && i < MAX_SLOTS; i++)
		probe_slot(&slots[i]);
	return 0;
}
CN_INIT(virtio_mmio_init, CN_INIT_BUS);
