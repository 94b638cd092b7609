/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The modern virtio-pci transport (virtio 1.x, section 4.1): a PCI driver
 * for vendor 0x1af4 devices 0x1000-0x107f that finds the common, notify,
 * ISR and device configuration structures through the vendor capabilities
 * and hands the device to the virtio core. Interrupts: MSI-X with entry 0
 * for configuration changes and one entry per queue when the table is big
 * enough, one shared entry otherwise, and INTx (with the ISR register)
 * when the device has no MSI-X or virtio_pci.msix=0.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/pci.h>
#include <cairn/virtio.h>

#define CAP_COMMON	1
#define CAP_NOTIFY	2
#define CAP_ISR		3
#define CAP_DEVICE	4

/* Common configuration structure offsets (4.1.4.3) */
#define C_DFSELECT	0x00
#define C_DF		0x04
#define C_GFSELECT	0x08
#define C_GF		0x0c
#define C_MSIX_CONFIG	0x10
#define C_NUM_QUEUES	0x12
#define C_STATUS	0x14
#define C_GENERATION	0x15
#define C_Q_SELECT	0x16
#define C_Q_SIZE	0x18
#define C_Q_MSIX	0x1a
#define C_Q_ENABLE	0x1c
#define C_Q_NOTIFY_OFF	0x1e
#define C_Q_DESC	0x20
#define C_Q_DRIVER	0x28
#define C_Q_DEVICE	0x30
#define NO_VECTOR	0xffff

enum irq_mode { IRQ_NONE, IRQ_MSIX_PER_QUEUE, IRQ_MSIX_SHARED, IRQ_INTX };

struct vpci {
	struct cn_virtio_dev vdev;
	struct cn_pci_dev *pci;
	volatile uint8_t *common, *isr, *device, *notify;
	uint32_t notify_mult;
	uint32_t device_len;
	enum irq_mode mode;
};

static bool use_msix = true;
CN_PARAM_BOOL(virtio_pci, msix, use_msix,
	      "use MSI-X when the device has it (0: INTx, for testing)");

#define R8(p, o)	(*(volatile uint8_t *)((p) + (o)))
#define R16(p, o)	(*(volatile uint16_t *)((p) + (o)))
#define R32(p, o)	(*(volatile uint32_t *)((p) + (o)))

static struct vpci *to_vpci(struct cn_virtio_dev *d)
{
	return d->transport;
}

static uint64_t get_features(struct cn_virtio_dev *d)
{
	volatile uint8_t *c = to_vpci(d)->common;
	uint64_t f;

	R32(c, C_DFSELECT) = 0;
	f = R32(c, C_DF);
	R32(c, C_DFSELECT) = 1;
	return f | (uint64_t)R32(c, C_DF) << 32;
}

static void set_features(struct cn_virtio_dev *d, uint64_t f)
{
	volatile uint8_t *c = to_vpci(d)->common;

	R32(c, C_GFSELECT) = 0;
	R32(c, C_GF) = (uint32_t)f;
	R32(c, C_GFSELECT) = 1;
	R32(c, C_GF) = (uint32_t)(f >> 32);
}

static uint8_t get_status(struct cn_virtio_dev *d)
{
	return R8(to_vpci(d)->common, C_STATUS);
}

static void set_status(struct cn_virtio_dev *d, uint8_t s)
{
	volatile uint8_t *c = to_vpci(d)->common;

	R8(c, C_STATUS) = s;
	if (s == 0)			/* reset completes when it reads 0 */
		while (R8(c, C_STATUS))
			cn_arch_mb();
}

static void read_config(struct cn_virtio_dev *d, unsigned int off, void *buf,
			unsigned int len)
{
	struct vpci *v = to_vpci(d);
	uint8_t gen, *out = buf;
	unsigned int i;

	do {
		gen = R8(v->common, C_GENERATION);
		for (i = 0; i < len; i++)
			out[i] = off + i < v->device_len ?
				 R8(v->device, off + i) : 0;
	} while (gen != R8(v->common, C_GENERATION));
}

static void write_config(struct cn_virtio_dev *d, unsigned int off,
			 const void *buf, unsigned int len)
{
	struct vpci *v = to_vpci(d);
	const uint8_t *in = buf;
	unsigned int i;

	for (i = 0; i < len && off + i < v->device_len; i++)
		R8(v->device, off + i) = in[i];
}

static unsigned int queue_max(struct cn_virtio_dev *d, unsigned int idx)
{
	volatile uint8_t *c = to_vpci(d)->common;

	if (idx >= R16(c, C_NUM_QUEUES))
		return 0;
	R16(c, C_Q_SELECT) = (uint16_t)idx;
	return R16(c, C_Q_SIZE);
}

static void notify(struct cn_virtq *vq)
{
	*(volatile uint16_t *)vq->transport = vq->index;
}

/* Interrupt handlers */
static void irq_queue(void *arg)
{
	cn_virtio_queue_interrupt(arg);
}

static void irq_config(void *arg)
{
	cn_virtio_config_interrupt(arg);
}

static void irq_shared(void *arg)
{
	struct vpci *v = arg;
	unsigned int i;

	for (i = 0; i < v->vdev.nr_vqs; i++)
		cn_virtio_queue_interrupt(v->vdev.vqs[i]);
}

static void irq_intx(void *arg)
{
	struct vpci *v = arg;
	uint8_t isr = R8(v->isr, 0);	/* reading acknowledges */

	if (isr & 1)
		irq_shared(v);
	if (isr & 2)
		cn_virtio_config_interrupt(&v->vdev);
}

static int new_vector(cn_arch_irq_fn fn, void *arg)
{
	int vec = cn_arch_irq_alloc_vector();

	if (vec < 0)
		return vec;
	return cn_arch_irq_register((unsigned int)vec, fn, arg) ?: vec;
}

/* A vector of this device's queues alone: unlocked if its driver says. */
static int queue_vector(struct vpci *v, cn_arch_irq_fn fn, void *arg)
{
	int vec = new_vector(fn, arg);

	if (vec >= 0 && v->vdev.irq_unlocked)
		cn_arch_irq_mark_unlocked((unsigned int)vec);
	return vec;
}

/* Chooses the interrupt mode on the first queue, knowing the queue count. */
static int irq_setup(struct vpci *v)
{
	volatile uint8_t *c = v->common;
	unsigned int nq = R16(c, C_NUM_QUEUES);
	int n = use_msix ? cn_pci_msix_enable(v->pci) : -ENOTSUP;
	int vec;

	if (n > 0) {
		vec = new_vector(irq_config, &v->vdev);
		if (vec < 0)
			return vec;
		cn_pci_msix_route(v->pci, 0, (unsigned int)vec);
		R16(c, C_MSIX_CONFIG) = 0;
		if (R16(c, C_MSIX_CONFIG) == NO_VECTOR) {
			cn_pr_warn("%s: MSI-X refused by the device; INTx",
				   v->vdev.name);
		} else if ((unsigned int)n > nq) {
			v->mode = IRQ_MSIX_PER_QUEUE;
			v->vdev.irq_mode = "MSI-X";
			return 0;
		} else {
			/* Too few entries: entry 1 serves every queue. */
			if (n < 2)
				goto intx;
			vec = queue_vector(v, irq_shared, v);
			if (vec < 0)
				return vec;
			cn_pci_msix_route(v->pci, 1, (unsigned int)vec);
			v->mode = IRQ_MSIX_SHARED;
			v->vdev.irq_mode = "MSI-X (shared)";
			return 0;
		}
	}
intx:
	vec = new_vector(irq_intx, v);
	if (vec < 0)
		return vec;
	if (cn_pci_intx_route(v->pci, (unsigned int)vec)) {
		cn_pr_warn("%s: no interrupt line assigned; queues are polled",
			   v->vdev.name);
		v->mode = IRQ_INTX;
		v->vdev.irq_mode = "none (polled)";
		return 0;
	}
	v->mode = IRQ_INTX;
	v->vdev.irq_mode = "INTx";
	return 0;
}

static int queue_enable(struct cn_virtio_dev *d, struct cn_virtq *vq)
{
	struct vpci *v = to_vpci(d);
	volatile uint8_t *c = v->common;
	uint16_t entry = NO_VECTOR;
	int rc;

	if (v->mode == IRQ_NONE && (rc = irq_setup(v)))
		return rc;
	if (v->mode == IRQ_MSIX_PER_QUEUE) {
		int vec = queue_vector(v, irq_queue, vq);

		if (vec < 0)
			return vec;
		entry = (uint16_t)(1 + vq->index);
		cn_pci_msix_route(v->pci, entry, (unsigned int)vec);
	} else if (v->mode == IRQ_MSIX_SHARED) {
		entry = 1;
	}
	R16(c, C_Q_SELECT) = vq->index;
	R16(c, C_Q_SIZE) = vq->size;
	*(volatile uint64_t *)(c + C_Q_DESC) = (uintptr_t)vq->desc;
	*(volatile uint64_t *)(c + C_Q_DRIVER) = (uintptr_t)vq->avail;
	*(volatile uint64_t *)(c + C_Q_DEVICE) = (uintptr_t)vq->used;
	if (entry != NO_VECTOR) {
		R16(c, C_Q_MSIX) = entry;
		if (R16(c, C_Q_MSIX) != entry)
			return -EIO;
	}
	vq->transport = (void *)(v->notify +
				 (uintptr_t)R16(c, C_Q_NOTIFY_OFF) *
				 v->notify_mult);
	vq->notify = notify;
	vq->sync_reg = c + C_GENERATION;	/* reading it changes nothing */
	R16(c, C_Q_ENABLE) = 1;
	return 0;
}

static const struct cn_virtio_transport_ops vpci_ops = {
	.get_features = get_features,
	.set_features = set_features,
	.get_status = get_status,
	.set_status = set_status,
	.read_config = read_config,
	.write_config = write_config,
	.queue_max = queue_max,
	.queue_enable = queue_enable,
};

/* The structure of a capability: its BAR, mapped, plus offset. */
static volatile uint8_t *cap_map(struct cn_pci_dev *p, unsigned int cap,
				 uint32_t *len)
{
	uint8_t bar = cn_pci_read8(p, cap + 4);
	uint32_t off = cn_pci_read32(p, cap + 8);
	volatile uint8_t *base;

	*len = cn_pci_read32(p, cap + 12);
	if (bar > 5 || (uint64_t)off + *len > p->bar[bar].size)
		return NULL;
	base = cn_pci_bar_map(p, bar);
	return base ? base + off : NULL;
}

static int vpci_probe(struct cn_pci_dev *p)
{
	struct vpci *v;
	unsigned int cap = 0;
	uint32_t len;
	uint16_t id = p->device >= 0x1040 ? p->device - 0x1040
					  : p->subsys_device;

	if (p->device < 0x1000 || p->device > 0x107f)
		return -ENODEV;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->pci = p;
	while ((cap = cn_pci_find_cap(p, CN_PCI_CAP_VENDOR, cap))) {
		uint8_t type = cn_pci_read8(p, cap + 3);
		volatile uint8_t *m;

		/* The first structure of each type is the preferred one. */
		if (type == CAP_COMMON && !v->common)
			v->common = cap_map(p, cap, &len);
		else if (type == CAP_ISR && !v->isr)
			v->isr = cap_map(p, cap, &len);
		else if (type == CAP_DEVICE && !v->device) {
			v->device = cap_map(p, cap, &len);
			v->device_len = len;
		} else if (type == CAP_NOTIFY && !v->notify) {
			m = cap_map(p, cap, &len);
			v->notify = m;
			v->notify_mult = cn_pci_read32(p, cap + 16);
		}
	}
	if (!v->common || !v->isr || !v->notify) {
		cn_pr_err("pci %s %04x:%04x: no virtio 1.0 capabilities "
			  "(legacy-only device); skipped", p->name, p->vendor,
			  p->device);
		free(v);
		return -ENOTSUP;
	}
	cn_pci_enable(p);
	v->vdev.device_id = id;
	v->vdev.ops = &vpci_ops;
	v->vdev.transport = v;
	snprintf(v->vdev.name, sizeof(v->vdev.name), "pci %s [%04x:%04x]",
		 p->name, p->vendor, p->device);
	p->priv = v;
	return cn_virtio_dev_add(&v->vdev) == 0 ? 0 : -ENODEV;
}

/* All of Red Hat's; probe keeps 0x1000-0x107f, the virtio range. */
static const struct cn_pci_id vpci_ids[] = {
	{ 0x1af4, CN_PCI_ANY },
	{ 0, 0 },
};

CN_PCI_DRIVER(virtio_pci) = {
	.name = "virtio-pci",
	.ids = vpci_ids,
	.probe = vpci_probe,
};
