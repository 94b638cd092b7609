/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueues (virtio 1.x, section 2.7): the descriptor table, the
 * available ring (driver -> device) and the used ring (device -> driver),
 * with optional event-index notification suppression. This part knows
 * nothing of transports or of the CPU: it builds for the host too, where
 * its unit tests play the device.
 *
 * Not thread-safe: a driver serialises calls on one queue (interrupts off
 * or one thread).
 */
#ifndef CAIRN_VIRTQ_H
#define CAIRN_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CN_VIRTQ_DESC_F_NEXT	1
#define CN_VIRTQ_DESC_F_WRITE	2
#define CN_VIRTQ_AVAIL_F_NO_INTERRUPT	1
#define CN_VIRTQ_USED_F_NO_NOTIFY	1

struct cn_virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct cn_virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* size entries, then used_event */
};

struct cn_virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct cn_virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct cn_virtq_used_elem ring[];	/* size entries, then avail_event */
};

/* One buffer of a chain: device-readable (out) or device-writable (in). */
struct cn_virtq_buf {
	const void *addr;
	uint32_t len;
};

struct cn_virtq {
	uint16_t size;			/* entries, a power of 2 */
	uint16_t index;			/* queue number on the device */
	uint16_t num_free;
	uint16_t free_head;
	uint16_t last_used;		/* next used entry to consume */
	uint16_t kicked_avail;		/* avail idx at the last notify */
	bool event_idx;
	bool cb_enabled;
	bool broken;			/* the device misbehaved: queue stopped */
	bool broken_reported;
	struct cn_virtq_desc *desc;
	struct cn_virtq_avail *avail;
	struct cn_virtq_used *used;
	void **cookie;			/* per head descriptor */
	/* counters */
	uint64_t notifies, full;
	uint64_t syncs;			/* sync_reg reads (kick, enable_cb) */
	/* set by the owner */
	void (*notify)(struct cn_virtq *vq);	/* tell the device */
	/*
	 * Optional: a device register without read side effects. Reading
	 * it is the barrier of cn_virtq_enable_cb() and cn_virtq_kick()
	 * when sync_kick is set (see there).
	 */
	const volatile uint8_t *sync_reg;
	bool sync_kick;		/* fences may be dropped: read sync_reg */
	void (*callback)(struct cn_virtq *vq);	/* interrupt: used entries */
	void *owner;			/* transport/driver data */
	void *transport;
};

/*
 * Alignment of the ring memory and of the used ring inside it: the split
 * virtqueue layout of virtio 1.x 2.7 (legacy devices require it; modern
 * ones accept it). A property of the layout, not the CPU's page size.
 */
#define CN_VIRTQ_ALIGN	4096

/* Bytes of ring memory for size entries (a CN_VIRTQ_ALIGN-aligned block). */
size_t cn_virtq_mem_size(unsigned int size);

/*
 * Lays out the rings in mem (cn_virtq_mem_size(size) bytes, aligned to
 * CN_VIRTQ_ALIGN, zeroed here) and cookie (size pointers). Returns 0 or
 * -EINVAL (size not a power of 2 in 1..32768).
 */
int cn_virtq_init(struct cn_virtq *vq, unsigned int size, void *mem,
		  void **cookie, bool event_idx);

/*
 * Queues one chain: out device-readable buffers then in device-writable
 * ones, remembered by cookie (not NULL) until the device returns it.
 * Returns 0, -ENOSPC (not enough free descriptors: the ring is full),
 * -EIO (the queue is broken) or -EINVAL. The device sees it only after cn_virtq_kick().
 */
int cn_virtq_add(struct cn_virtq *vq, const struct cn_virtq_buf *bufs,
		 unsigned int out, unsigned int in, void *cookie);

/*
 * Publishes what was added and notifies the device unless it asked not
 * to be (event index or the NO_NOTIFY flag). Returns whether it notified.
 * With sync_kick, when the device's hint says no notification is
 * needed, reads sync_reg and then the hint again before trusting it (see
 * cn_virtq_enable_cb for why); a kick that notifies needs no such read.
 */
bool cn_virtq_kick(struct cn_virtq *vq);

/*
 * Notifies the device whatever its suppression hints say. For a driver
 * that knows the device may be idle waiting: under TCG with one vCPU,
 * QEMU drops the guest's memory barriers, so the event-index handshake
 * can miss and leave the device asleep with work queued (seen as a TX
 * ring that never drains). Drivers call this when a ring is full, when
 * they refill an empty one, and from their watchdogs.
 */
void cn_virtq_notify(struct cn_virtq *vq);

/*
 * Takes the next chain the device has used: returns its cookie and sets
 * *len to the bytes the device wrote, or returns NULL when none is ready.
 * A used entry naming a chain that is not outstanding marks the queue
 * broken: nothing more is added or taken (the chains still out are lost,
 * never handed out twice).
 */
void *cn_virtq_get(struct cn_virtq *vq, uint32_t *len);

/* Are used entries waiting? */
bool cn_virtq_pending(const struct cn_virtq *vq);

/*
 * Interrupt suppression: disable_cb asks the device not to interrupt;
 * enable_cb asks for an interrupt at the next used entry and returns false
 * when entries arrived meanwhile (the caller polls again instead of
 * waiting for an interrupt that may never come). When nothing has arrived
 * yet and sync_kick is set, enable_cb reads the transport's sync_reg (if
 * there is one) before it looks again: the only barrier QEMU honours
 * under TCG when it can run only one vCPU.
 */
void cn_virtq_disable_cb(struct cn_virtq *vq);
bool cn_virtq_enable_cb(struct cn_virtq *vq);

/* Free descriptors. */
static inline unsigned int cn_virtq_free(const struct cn_virtq *vq)
{
	return vq->num_free;
}

#endif
