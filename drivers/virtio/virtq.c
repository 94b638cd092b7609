/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueue logic. Free descriptors form a list threaded through
 * their next fields; a chain is returned to it whole when the device uses
 * it. Memory ordering: the ring entry and descriptors are written before
 * the index that publishes them (release), the used index is read before
 * the entries it covers (acquire), and a full barrier separates
 * publishing from reading the device's suppression hints (and re-enabling
 * interrupts from re-checking the used index), as section 2.7.10 asks.
 */
#include <errno.h>
#include <string.h>
#include <cairn/virtq.h>

#define ALIGN4K(x)	(((x) + CN_VIRTQ_ALIGN - 1) & ~(size_t)(CN_VIRTQ_ALIGN - 1))

static inline void mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline uint16_t read_once16(const volatile uint16_t *p)
{
	return *p;
}

static size_t avail_end(unsigned int size)
{
	return 16 * (size_t)size + 6 + 2 * (size_t)size;
}

size_t cn_virtq_mem_size(unsigned int size)
{
	return ALIGN4K(avail_end(size)) + ALIGN4K(6 + 8 * (size_t)size);
}

int cn_virtq_init(struct cn_virtq *vq, unsigned int size, void *mem,
		  void **cookie, bool event_idx)
{
	unsigned int i;

	if (!size || size > 32768 || (size & (size - 1)) || !mem || !cookie)
		return -EINVAL;
	memset(mem, 0, cn_virtq_mem_size(size));
	memset(cookie, 0, size * sizeof(*cookie));
	vq->size = (uint16_t)size;
	vq->desc = mem;
	vq->avail = (void *)((char *)mem + 16 * (size_t)size);
	vq->used = (void *)((char *)mem + ALIGN4K(avail_end(size)));
	vq->cookie = cookie;
	vq->event_idx = event_idx;
	vq->cb_enabled = true;
	vq->broken = vq->broken_reported = false;
	vq->num_free = (uint16_t)size;
	vq->free_head = 0;
	vq->last_used = 0;
	vq->kicked_avail = 0;
	vq->notifies = vq->full = vq->syncs = 0;
	vq->sync_reg = NULL;
	vq->sync_kick = false;
	for (i = 0; i < size; i++)
		vq->desc[i].next = (uint16_t)(i + 1 < size ? i + 1 : 0);
	return 0;
}

int cn_virtq_add(struct cn_virtq *vq, const struct cn_virtq_buf *bufs,
		 unsigned int out, unsigned int in, void *cookie)
{
	unsigned int n = out + in, i;
	uint16_t head, d = 0, slot;

	/* out and in each bounded first: their sum must not wrap. */
	if (!n || !cookie || out > vq->size || in > vq->size || n > vq->size)
		return -EINVAL;
	if (vq->broken)
		return -EIO;
	if (n > vq->num_free) {
		vq->full++;
		return -ENOSPC;
	}
	head = vq->free_head;
	d = head;
	for (i = 0; i < n; i++) {
		struct cn_virtq_desc *desc = &vq->desc[d];

		desc->addr = (uint64_t)(uintptr_t)bufs[i].addr;
		desc->len = bufs[i].len;
		desc->flags = (uint16_t)((i >= out ? CN_VIRTQ_DESC_F_WRITE : 0) |
				(i + 1 < n ? CN_VIRTQ_DESC_F_NEXT : 0));
		if (i + 1 < n)
			d = desc->next;
	}
	vq->free_head = vq->desc[d].next;
	vq->num_free = (uint16_t)(vq->num_free - n);
	vq->cookie[head] = cookie;
	slot = vq->avail->idx & (vq->size - 1);
	vq->avail->ring[slot] = head;
	wmb();			/* entry before the index that publishes it */
	vq->avail->idx++;
	return 0;
}

/* Would the device want a notification for new - old entries? (2.7.10) */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* The device's hint: does it want a notification for old..new_idx? */
static bool device_wants_kick(const struct cn_virtq *vq, uint16_t new_idx,
			      uint16_t old)
{
	if (vq->event_idx)
		return need_event(read_once16((volatile uint16_t *)
					      &vq->used->ring[vq->size]),
				  new_idx, old);
	return !(read_once16(&vq->used->flags) & CN_VIRTQ_USED_F_NO_NOTIFY);
}

bool cn_virtq_kick(struct cn_virtq *vq)
{
	uint16_t old = vq->kicked_avail, new_idx = vq->avail->idx;
	bool need;

	mb();			/* publish before reading the device's hint */
	if (old == new_idx)
		return false;
	/*
	 * The same handshake as cn_virtq_enable_cb's, the other way round:
	 * the device re-enables notifications, fences and looks at the
	 * available index once more before it goes idle. Without a real
	 * barrier here, we may read its old hint while our index still
	 * waits in the store buffer; it then sleeps, we do not notify, and
	 * every later kick compares against its stale hint too: the ring
	 * stays full of unsent frames until a driver's watchdog notifies
	 * (issue 15: a second without answers on every connection).
	 *
	 * Only a hint that says "no notification" can be stale that way:
	 * a notification is itself a register access that QEMU serialises,
	 * after which the device sees the new index. So the register read
	 * (a wait for QEMU's global lock, held by its I/O thread while it
	 * moves frames) is paid only to confirm a "no", and the hint is
	 * read again after it.
	 */
	need = device_wants_kick(vq, new_idx, old);
	if (!need && vq->sync_kick && vq->sync_reg) {
		vq->syncs++;
		(void)*vq->sync_reg;
		need = device_wants_kick(vq, new_idx, old);
	}
	vq->kicked_avail = new_idx;
	if (need && vq->notify) {
		vq->notifies++;
		vq->notify(vq);
	}
	return need;
}

void cn_virtq_notify(struct cn_virtq *vq)
{
	mb();
	vq->kicked_avail = vq->avail->idx;
	if (vq->notify) {
		vq->notifies++;
		vq->notify(vq);
	}
}

bool cn_virtq_pending(const struct cn_virtq *vq)
{
	return !vq->broken && read_once16(&vq->used->idx) != vq->last_used;
}

void *cn_virtq_get(struct cn_virtq *vq, uint32_t *len)
{
	const struct cn_virtq_used_elem *e;
	uint16_t head, d, n = 1;
	uint32_t id;
	void *cookie;

	if (!cn_virtq_pending(vq))
		return NULL;
	rmb();			/* the index before the entries it covers */
	e = &vq->used->ring[vq->last_used & (vq->size - 1)];
	/* Range-check the device's 32-bit id before narrowing it. */
	id = e->id;
	if (id >= vq->size || !vq->cookie[id]) {
		/* Device error: not a chain we gave. Stop the queue. */
		vq->broken = true;
		return NULL;
	}
	head = (uint16_t)id;
	if (len)
		*len = e->len;
	cookie = vq->cookie[head];
	vq->cookie[head] = NULL;
	for (d = head; vq->desc[d].flags & CN_VIRTQ_DESC_F_NEXT;
	     d = vq->desc[d].next)
		n++;
	vq->desc[d].next = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + n);
	vq->last_used++;
	if (vq->event_idx && vq->cb_enabled) {
		/* Interrupt again at the next entry after this one. */
		*(volatile uint16_t *)&vq->avail->ring[vq->size] = vq->last_used;
	}
	return cookie;
}

void cn_virtq_disable_cb(struct cn_virtq *vq)
{
	vq->cb_enabled = false;
	if (!vq->event_idx)
		vq->avail->flags |= CN_VIRTQ_AVAIL_F_NO_INTERRUPT;
	/*
	 * With the event index, used_event stays where it is: the device
	 * interrupts at most once more, when it passes it.
	 */
}

/*
 * The request (used_event or the flag) must reach the device before the
 * used index is read again: the device does the mirror image (publish
 * the index, fence, read the request), so one of the two sees the
 * other's write and either the driver polls again or the device
 * interrupts. Under TCG with a single vCPU, QEMU translates the guest's
 * fences to nothing (it assumes nothing else runs beside the vCPU), yet
 * the device model runs in QEMU's I/O thread at the same time: the host
 * CPU may let the re-check read the old index while the request still
 * sits in its store buffer, the device reads the old request too, and
 * the driver sleeps with frames waiting and no interrupt coming. A read
 * of a device register is a real barrier there (QEMU takes its global
 * lock for it, an atomic operation on the host), so it follows the
 * fence, which does the job on hardware and KVM. It costs one register
 * read per sleep, not per frame.
 */
bool cn_virtq_enable_cb(struct cn_virtq *vq)
{
	vq->cb_enabled = true;
	if (vq->event_idx)
		*(volatile uint16_t *)&vq->avail->ring[vq->size] = vq->last_used;
	else
		vq->avail->flags &= (uint16_t)~CN_VIRTQ_AVAIL_F_NO_INTERRUPT;
	mb();			/* the request before the re-check */
	if (cn_virtq_pending(vq))	/* no sleep: nothing to make safe */
		return false;
	if (vq->sync_kick && vq->sync_reg) {
		vq->syncs++;
		(void)*vq->sync_reg;
	}
	return !cn_virtq_pending(vq);
}
