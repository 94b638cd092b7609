/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio devices: one core, several transports. A transport (virtio-pci,
 * virtio-mmio) finds a device, fills a struct cn_virtio_dev with its
 * operations and calls cn_virtio_dev_add(). The core resets the device,
 * finds the driver for its device ID in the cn_virtio_drivers table,
 * negotiates features (the device's offer AND the driver's wish; version
 * 1 is required) and calls the driver's probe(), which sets up its queues
 * with cn_virtio_queue_setup(); when probe() returns 0 the core sets
 * DRIVER_OK. A driver registers where it is defined:
 *
 *   CN_VIRTIO_DRIVER(vnet) = { .name = "virtio-net", .device_id = 1,
 *                             .features = ..., .probe = vnet_probe };
 *
 * Completions: each queue has a callback that the transport calls in
 * interrupt context (per-queue MSI-X vector, or the shared line after
 * reading the interrupt status). A driver can also poll with
 * cn_virtq_get() and leave the callback NULL.
 */
#ifndef CAIRN_VIRTIO_H
#define CAIRN_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include <cairn/table.h>
#include <cairn/virtq.h>

/* Device status bits (2.1) */
#define CN_VIRTIO_S_ACKNOWLEDGE	1
#define CN_VIRTIO_S_DRIVER	2
#define CN_VIRTIO_S_DRIVER_OK	4
#define CN_VIRTIO_S_FEATURES_OK	8
#define CN_VIRTIO_S_NEEDS_RESET	64
#define CN_VIRTIO_S_FAILED	128

/* Transport-independent feature bits (6) */
#define CN_VIRTIO_F_RING_INDIRECT_DESC	(1ull << 28)
#define CN_VIRTIO_F_RING_EVENT_IDX	(1ull << 29)
#define CN_VIRTIO_F_VERSION_1		(1ull << 32)
#define CN_VIRTIO_F_ACCESS_PLATFORM	(1ull << 33)

#define CN_VIRTIO_ID_NET	1
#define CN_VIRTIO_ID_BLOCK	2

#define CN_VIRTIO_MAX_QUEUES	8

struct cn_virtio_dev;

/* What a transport implements. */
struct cn_virtio_transport_ops {
	uint64_t (*get_features)(struct cn_virtio_dev *d);
	void (*set_features)(struct cn_virtio_dev *d, uint64_t f);
	uint8_t (*get_status)(struct cn_virtio_dev *d);
	void (*set_status)(struct cn_virtio_dev *d, uint8_t s);
	/* Device configuration space, byte-wise copy with generation check. */
	void (*read_config)(struct cn_virtio_dev *d, unsigned int off,
			    void *buf, unsigned int len);
	void (*write_config)(struct cn_virtio_dev *d, unsigned int off,
			     const void *buf, unsigned int len);
	/* Largest size of queue idx; 0 when the queue does not exist. */
	unsigned int (*queue_max)(struct cn_virtio_dev *d, unsigned int idx);
	/* Hands the rings of vq to the device, wires notify and interrupts. */
	int (*queue_enable)(struct cn_virtio_dev *d, struct cn_virtq *vq);
};

struct cn_virtio_dev {
	uint16_t device_id;
	uint64_t features;		/* negotiated */
	const struct cn_virtio_transport_ops *ops;
	const struct cn_virtio_driver *driver;
	char name[32];			/* where: "pci 00:03.0", "mmio 0x..." */
	const char *irq_mode;		/* "MSI-X", "INTx", "line 24" */
	void *transport;		/* the transport's data */
	void *priv;			/* the driver's */
	struct cn_virtq *vqs[CN_VIRTIO_MAX_QUEUES];
	unsigned int nr_vqs;
	void (*config_changed)(struct cn_virtio_dev *d);	/* driver's */
	/*
	 * Set by a driver's probe, before its queues are set up, whose
	 * queue callbacks and config_changed take locks of their own: with
	 * SMP the transport then runs them without the big lock where their
	 * interrupt is the device's alone (per-queue MSI-X, virtio-mmio).
	 */
	bool irq_unlocked;
	struct cn_virtio_dev *next;
};

struct cn_virtio_driver {
	const char *name;
	uint16_t device_id;
	uint64_t features;		/* device-specific bits it can use */
	/* Optional: narrows the offer (features & device's) at run time. */
	uint64_t (*select_features)(uint64_t offered);
	int (*probe)(struct cn_virtio_dev *d);
};

#define CN_VIRTIO_DRIVER(ident)						\
	CN_TABLE_ENTRY(cn_virtio_drivers, struct cn_virtio_driver, ident)

/* For transports: negotiate, bind, start. 0 or a negative errno. */
int cn_virtio_dev_add(struct cn_virtio_dev *d);

/* Every bound device, most recent last. */
struct cn_virtio_dev *cn_virtio_devices(void);

static inline int cn_virtio_has(const struct cn_virtio_dev *d, uint64_t f)
{
	return (d->features & f) == f;
}

/*
 * For drivers: sets up queue idx with at most size entries (0: the
 * device's maximum; capped by it), callback in interrupt context (NULL:
 * polled). Returns the queue or NULL (logged).
 */
struct cn_virtq *cn_virtio_queue_setup(struct cn_virtio_dev *d,
				       unsigned int idx, unsigned int size,
				       void (*callback)(struct cn_virtq *vq),
				       void *owner);

void cn_virtio_read_config(struct cn_virtio_dev *d, unsigned int off,
			   void *buf, unsigned int len);

/* For transports: the interrupt of the whole device (shared line). */
void cn_virtio_config_interrupt(struct cn_virtio_dev *d);
void cn_virtio_queue_interrupt(struct cn_virtq *vq);

#endif
