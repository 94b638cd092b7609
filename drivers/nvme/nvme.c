/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NVM Express (base specification 1.4) as a blkdev: the first namespace
 * of a controller on PCI (class 01:08:02).
 *
 * Set-up, polled with interrupts off in probe(): the controller disabled
 * (CC.EN 0, wait for CSTS.RDY 0), an admin queue pair of ADMIN_DEPTH
 * entries, enabled again, Identify controller and namespace 1, Set
 * Features "number of queues" (one I/O pair per CPU, as many as the
 * controller grants and MSI-X has entries for), then each I/O completion
 * queue and submission queue. Admin commands are always polled; I/O
 * completions arrive by MSI-X (one entry per I/O queue) or INTx (one
 * handler reaping every queue), and lib/blkdev's watchdog calls poll().
 *
 * A request is one command: its slot (the command identifier) holds the
 * request, its deadline and, without SGLs, a page for the PRP list when
 * the data spans more than two pages; with SGLs the data is one
 * descriptor in the command. Per request the only register access is
 * the submission doorbell: health (CSTS) is the watchdog's business.
 * Every command has a deadline: an admin command that does not
 * complete fails probe(); an I/O command that does not, or
 * a controller that reports Controller Fatal Status or reads as all ones
 * (gone), makes the driver give up on the controller: it logs why, ends
 * every request in flight with -ETIMEDOUT or -EIO and refuses new ones.
 * A completion that comes after its command was given up is ignored.
 *
 * No big lock: each I/O queue has its own spinlock, its MSI-X vector
 * runs without the big lock, and requests are completed after the
 * queue's lock is let go (a completion runs its submitter's done(),
 * which may submit again). Giving up is decided once (a CAS on dead)
 * and a submit looks at dead under its queue's lock, so no request
 * slips in after its queue was emptied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/blkdev_driver.h>
#include <cairn/cpu.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/pci.h>
#include <cairn/plat.h>
#include <cairn/spinlock.h>

/* Controller registers (BAR 0) */
#define REG_CAP		0x00
#define REG_VS		0x08
#define REG_CC		0x14
#define REG_CSTS	0x1c
#define REG_AQA		0x24
#define REG_ASQ		0x28
#define REG_ACQ		0x30
#define REG_DOORBELLS	0x1000
#define CC_EN		0x1
#define CC_IOSQES	(6u << 16)	/* 64-byte submission entries */
#define CC_IOCQES	(4u << 20)	/* 16-byte completion entries */
#define CSTS_RDY	0x1
#define CSTS_CFS	0x2

/* Commands */
#define ADM_CREATE_SQ	0x01
#define ADM_CREATE_CQ	0x05
#define ADM_IDENTIFY	0x06
#define ADM_SET_FEATURES 0x09
#define FEAT_NUM_QUEUES	0x07
#define IO_FLUSH	0x00
#define IO_WRITE	0x01
#define IO_READ		0x02

#define PAGE		4096u
#define ADMIN_DEPTH	32
#define IO_DEPTH_MAX	256		/* entries per I/O queue */
#define MAX_QUEUES	16
#define MAX_BYTES	(1u << 20)	/* per request: PRP list of 1 page */
#define PSDT_SGL	(1u << 14)	/* CDW0: data pointer is an SGL */
#define CHECK_NS	(10ull * 1000000) /* health checks at most this often */

struct sqe {
	uint32_t cdw0;			/* opcode, command identifier */
	uint32_t nsid;
	uint64_t rsvd;
	uint64_t mptr;
	uint64_t prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

struct cqe {
	uint32_t dw0;
	uint32_t rsvd;
	uint16_t sqhd, sqid;
	uint16_t cid;
	uint16_t status;		/* bit 0: phase tag */
};

struct slot {
	struct cn_blkreq *req;
	uint64_t deadline;
	uint64_t *prp_list;
	struct slot *next_free;
	uint8_t abandoned;		/* given up: a late completion frees it */
};

struct nvme;

struct queue {
	struct nvme *n;
	uint16_t id, size;
	volatile struct sqe *sq;
	volatile struct cqe *cq;
	volatile uint32_t *sq_db, *cq_db;
	uint16_t sq_tail, cq_head;
	uint8_t phase;
	uint8_t lazy_cq_db;		/* MSI-X: head doorbell every size/2 */
	uint16_t unreported;		/* completions since the head doorbell */
	struct slot *slots, *free_slots;
	struct cn_spinlock lock;
};

struct nvme {
	struct cn_blkdev bd;
	struct cn_pci_dev *pci;
	volatile uint8_t *regs;
	uint32_t db_stride;
	uint64_t timeout_ns;
	struct queue admin;
	struct queue io[MAX_QUEUES];
	unsigned int nq;
	uint32_t nsid;
	int dead;			/* 0, or why we gave up (-errno) */
	unsigned long submitted;	/* I/O commands, for nvme.fault=gone */
	uint64_t next_check;		/* of CSTS and deadlines, by poll() */
	uint8_t sgl;			/* SGLS bits 1:0 when nvme.sgl, or 0 */
	const char *irq_mode;
	char name[48];
};

static bool use_msix = true;
CN_PARAM_BOOL(nvme, msix, use_msix,
	      "use MSI-X when the controller has it (0: INTx)");

static bool lazy_cq = true;
CN_PARAM_BOOL(nvme, lazy_cq, lazy_cq,
	      "with MSI-X, write the completion head doorbell once per half "
	      "queue (0: after every reap, as with INTx)");
static bool use_sgl = true;
CN_PARAM_BOOL(nvme, sgl, use_sgl,
	      "describe data with one SGL descriptor when the controller "
	      "has SGLs (0: PRP entries and lists)");

static int timeout_ms = 30000;
CN_PARAM_INT(nvme, timeout_ms, timeout_ms,
	     "milliseconds a command may take before the controller is "
	     "given up (1-600000)");

/*
 * For tests only: a device QEMU cannot imitate. "ones": every register
 * reads as all ones from the start (a BAR that answers nothing); "gone":
 * after GONE_AFTER I/O commands the registers read as all ones and the
 * doorbells are lost, as when a device is pulled out of a real slot
 * (QEMU 7.2 removes a PCI device only when the guest ejects it).
 */
#define GONE_AFTER	64
enum { FAULT_NONE, FAULT_ONES, FAULT_GONE };
static int fault;

static int parse_fault(const char *val)
{
	if (strcmp(val, "ones") == 0)
		fault = FAULT_ONES;
	else if (strcmp(val, "gone") == 0)
		fault = FAULT_GONE;
	else
		return -EINVAL;
	return 0;
}
CN_PARAM_FN(nvme, fault, parse_fault,
	    "for tests only: ones (registers read all ones) or gone (the "
	    "device disappears after 64 I/O commands)");

static bool faulty(struct nvme *n)
{
	return fault == FAULT_ONES ||
	       (fault == FAULT_GONE && n->submitted > GONE_AFTER);
}

static uint32_t rd32(struct nvme *n, unsigned int off)
{
	if (faulty(n))
		return 0xffffffffu;
	return *(volatile uint32_t *)(n->regs + off);
}

static void wr32(struct nvme *n, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(n->regs + off) = v;
}

static uint64_t rd64(struct nvme *n, unsigned int off)
{
	return rd32(n, off) | (uint64_t)rd32(n, off + 4) << 32;
}

static void wr64(struct nvme *n, unsigned int off, uint64_t v)
{
	wr32(n, off, (uint32_t)v);
	wr32(n, off + 4, (uint32_t)(v >> 32));
}

static size_t sq_bytes(uint16_t size)
{
	return (size * sizeof(struct sqe) + PAGE - 1) & ~(size_t)(PAGE - 1);
}

static size_t cq_bytes(uint16_t size)
{
	return (size * sizeof(struct cqe) + PAGE - 1) & ~(size_t)(PAGE - 1);
}

static int queue_alloc(struct nvme *n, struct queue *q, uint16_t id,
		       uint16_t size)
{
	unsigned int i;

	q->n = n;
	q->id = id;
	q->size = size;
	/* Physically contiguous (RAM is identity-mapped): 256 entries are
	 * 16 KiB of submissions and 4 KiB of completions. */
	q->sq = aligned_alloc(PAGE, sq_bytes(size));
	q->cq = aligned_alloc(PAGE, cq_bytes(size));
	q->slots = calloc(size, sizeof(*q->slots));
	if (!q->sq || !q->cq || !q->slots)
		return -ENOMEM;
	memset((void *)q->sq, 0, sq_bytes(size));
	memset((void *)q->cq, 0, cq_bytes(size));
	q->sq_db = (volatile uint32_t *)(n->regs + REG_DOORBELLS +
					 2u * id * n->db_stride);
	q->cq_db = (volatile uint32_t *)(n->regs + REG_DOORBELLS +
					 (2u * id + 1) * n->db_stride);
	q->sq_tail = q->cq_head = 0;
	q->phase = 1;
	cn_spin_init(&q->lock);
	/* size - 1 commands: a full submission queue is one entry short */
	for (i = size - 1; i-- > 0;) {
		q->slots[i].next_free = q->free_slots;
		q->free_slots = &q->slots[i];
	}
	return 0;
}

static void push(struct queue *q, struct sqe *e, struct slot *s)
{
	e->cdw0 |= (uint32_t)(s - q->slots) << 16;
	memcpy((void *)&q->sq[q->sq_tail], e, sizeof(*e));
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->size);
	cn_arch_wmb();		/* the entry before the doorbell */
	if (q->id && fault == FAULT_GONE &&
	    __atomic_add_fetch(&q->n->submitted, 1, __ATOMIC_RELAXED) >
	    GONE_AFTER)
		return;		/* test fault: the device is gone */
	*q->sq_db = q->sq_tail;
}

/* The next completion, or NULL; consumes it. Lock held. */
static volatile struct cqe *next_cqe(struct queue *q)
{
	volatile struct cqe *c = &q->cq[q->cq_head];

	if ((c->status & 1) != q->phase)
		return NULL;
	cn_arch_rmb();		/* the entry after its phase bit */
	if (++q->cq_head == q->size) {
		q->cq_head = 0;
		q->phase ^= 1;
	}
	return c;
}

/* Runs one admin command, polled; returns 0, -EIO (its status) or
 * -ETIMEDOUT. dw0 gets the completion's command-specific word. */
static int admin(struct nvme *n, struct sqe *e, uint32_t *dw0)
{
	struct queue *q = &n->admin;
	struct slot *s = q->free_slots;
	volatile struct cqe *c;
	uint64_t end = cn_plat_time_ns() + n->timeout_ns;
	uint16_t status;

	if (!s)
		return -EBUSY;
	push(q, e, s);
	while (!(c = next_cqe(q))) {
		if (cn_plat_time_ns() > end ||
		    (rd32(n, REG_CSTS) & CSTS_CFS))
			return -ETIMEDOUT;
		cn_arch_cpu_relax();
	}
	status = c->status >> 1;
	if (dw0)
		*dw0 = c->dw0;
	*q->cq_db = q->cq_head;
	if (status) {
		cn_pr_err("%s: admin command 0x%02x failed: status 0x%03x",
			  n->name, e->cdw0 & 0xff, status);
		return -EIO;
	}
	return 0;
}

static int wait_ready(struct nvme *n, uint32_t want, uint64_t limit_ns)
{
	uint64_t end = cn_plat_time_ns() + limit_ns;
	uint32_t csts;

	while (((csts = rd32(n, REG_CSTS)) & CSTS_RDY) != want) {
		if (csts == 0xffffffffu)
			return -ENODEV;
		if (want && (csts & CSTS_CFS))
			return -EIO;
		if (cn_plat_time_ns() > end)
			return -ETIMEDOUT;
		cn_arch_cpu_relax();
	}
	return 0;
}

/* Moves every request of q in flight onto l with status. Lock held. */
static void fail_all(struct queue *q, int status, struct cn_blkreq_list *l)
{
	unsigned int i;

	for (i = 0; i + 1 < q->size; i++) {
		struct slot *s = &q->slots[i];

		if (s->req && !s->abandoned) {
			s->abandoned = 1;
			cn_blkreq_list_add(l, s->req, status);
		}
	}
}

/* Once, on whichever CPU finds it first. No queue lock held. */
static void give_up(struct nvme *n, int why, const char *what)
{
	int alive = 0;
	unsigned int i;

	if (!__atomic_compare_exchange_n(&n->dead, &alive, why, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		return;
	cn_pr_err("%s: %s: giving the controller up; its requests fail",
		  n->bd.name, what);
	for (i = 0; i < n->nq; i++) {
		struct queue *q = &n->io[i];
		struct cn_blkreq_list l = CN_BLKREQ_LIST_INIT(l);
		unsigned long flags = cn_spin_lock_irqsave(&q->lock);

		fail_all(q, why, &l);
		cn_spin_unlock_irqrestore(&q->lock, flags);
		cn_blkdev_complete_list(&n->bd, &l);
	}
}

/* Moves what the controller has finished onto l. Lock held. */
static unsigned int reap(struct queue *q, struct cn_blkreq_list *l)
{
	volatile struct cqe *c;
	unsigned int done = 0;

	while ((c = next_cqe(q))) {
		uint16_t cid = c->cid, status = c->status >> 1;
		struct slot *s;
		struct cn_blkreq *req;

		done++;
		if (cid >= q->size - 1u)
			continue;	/* garbage: not ours */
		s = &q->slots[cid];
		req = s->req;
		if (!req)
			continue;
		s->req = NULL;
		s->next_free = q->free_slots;
		q->free_slots = s;
		if (s->abandoned) {
			s->abandoned = 0;
			continue;
		}
		cn_blkreq_list_add(l, req, status ? -EIO : 0);
	}
	/*
	 * The head doorbell only tells the controller that completion
	 * entries are free again (and, with INTx, lowers the line): with
	 * MSI-X it is written once half the queue has been consumed, not
	 * once per request, which saves one MMIO write per request. The
	 * controller never sees the queue full while we wait: its view
	 * lags ours by less than size/2 entries, and a reap that finds
	 * entries the controller still counts brings the count past size/2.
	 */
	q->unreported = (uint16_t)(q->unreported + done);
	if (done && (!q->lazy_cq_db || q->unreported >= q->size / 2)) {
		*q->cq_db = q->cq_head;
		q->unreported = 0;
	}
	return done;
}

/* Reaps q and completes what it found. */
static void reap_complete(struct queue *q)
{
	struct cn_blkreq_list l = CN_BLKREQ_LIST_INIT(l);
	unsigned long flags = cn_spin_lock_irqsave(&q->lock);

	reap(q, &l);
	cn_spin_unlock_irqrestore(&q->lock, flags);
	cn_blkdev_complete_list(&q->n->bd, &l);
}

/* A queue's MSI-X vector, without the big lock; or INTx, under it. */
static void irq_queue(void *arg)
{
	reap_complete(arg);
}

static void irq_intx(void *arg)
{
	struct nvme *n = arg;
	unsigned int i;

	for (i = 0; i < n->nq; i++)
		irq_queue(&n->io[i]);
}

/*
 * lib/blkdev's watchdog, also called before a synchronous caller sleeps:
 * completions without an interrupt, and at most every CHECK_NS the
 * deadlines and the controller's health. Reading CSTS is an MMIO exit
 * to the hypervisor; once per request it cost as much as the doorbell.
 */
static void nvme_poll(struct cn_blkdev *bd)
{
	struct nvme *n = bd->priv;
	uint64_t now = cn_plat_time_ns();
	uint64_t next = __atomic_load_n(&n->next_check, __ATOMIC_RELAXED);
	bool late = false;
	uint32_t csts;
	unsigned int i, j;

	/* One CPU at a time checks: the one that moves next_check. */
	if (now < next ||
	    !__atomic_compare_exchange_n(&n->next_check, &next,
					 now + CHECK_NS, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		for (i = 0; i < n->nq; i++)
			reap_complete(&n->io[i]);
		return;
	}
	csts = rd32(n, REG_CSTS);
	for (i = 0; i < n->nq; i++) {
		struct queue *q = &n->io[i];
		struct cn_blkreq_list l = CN_BLKREQ_LIST_INIT(l);
		unsigned long flags = cn_spin_lock_irqsave(&q->lock);

		reap(q, &l);
		for (j = 0; j + 1 < q->size; j++)
			if (q->slots[j].req && !q->slots[j].abandoned &&
			    now > q->slots[j].deadline)
				late = true;
		cn_spin_unlock_irqrestore(&q->lock, flags);
		cn_blkdev_complete_list(bd, &l);
	}
	if (csts == 0xffffffffu)
		give_up(n, -EIO, "the controller is gone (registers read all "
			"ones)");
	else if (csts & CSTS_CFS)
		give_up(n, -EIO, "controller fatal status (CSTS.CFS)");
	else if (late)
		give_up(n, -ETIMEDOUT, "a command did not complete in "
			"nvme.timeout_ms");
}

/*
 * blkdev's ready, called in a loop without locks: whether nvme_reap()
 * would find a completion on this CPU's queue (its phase bit only).
 */
static bool nvme_ready(struct cn_blkdev *bd)
{
	struct nvme *n = bd->priv;
	struct queue *q = &n->io[cn_cpu_id() % n->nq];

	return (q->cq[q->cq_head].status & 1) == q->phase;
}

/*
 * blkdev's reap, called in a loop: this CPU's queue only, where its
 * requests went. It looks at the next completion's phase bit before
 * taking the lock: a stale look only delays the reap to the next call.
 */
static void nvme_reap(struct cn_blkdev *bd)
{
	struct nvme *n = bd->priv;

	if (nvme_ready(bd))
		reap_complete(&n->io[cn_cpu_id() % n->nq]);
}

/*
 * Data by one SGL Data Block descriptor (address, length; identifier 0)
 * in the data pointer: RAM is identity-mapped, so a buffer is one
 * physically contiguous range. QEMU then maps one range for the command
 * instead of one per page and reads no PRP list from guest memory.
 */
static int map_sgl(struct nvme *n, struct sqe *e, void *buf, uint32_t len)
{
	if (n->sgl == 2 && ((uintptr_t)buf & 3))
		return -EINVAL;
	e->cdw0 |= PSDT_SGL;
	e->prp1 = (uintptr_t)buf;
	e->prp2 = len;
	return 0;
}

/* PRP entries for buf: the first page, then the second or a list. */
static int map_prp(struct slot *s, struct sqe *e, void *buf, uint32_t len)
{
	uintptr_t p = (uintptr_t)buf;
	uint32_t first = PAGE - (uint32_t)(p & (PAGE - 1)), rem;
	unsigned int i = 0;

	if (p & 3)
		return -EINVAL;		/* PRP entries are dword-aligned */
	e->prp1 = p;
	if (len <= first)
		return 0;
	rem = len - first;
	p += first;
	if (rem <= PAGE) {
		e->prp2 = p;
		return 0;
	}
	if (!s->prp_list && !(s->prp_list = aligned_alloc(PAGE, PAGE)))
		return -ENOMEM;
	for (; rem; i++) {
		s->prp_list[i] = p;
		p += PAGE;
		rem = rem > PAGE ? rem - PAGE : 0;
	}
	e->prp2 = (uintptr_t)s->prp_list;
	return 0;
}

/* Called by blkdev with interrupts off and the request checked. */
static int nvme_submit(struct cn_blkdev *bd, struct cn_blkreq *req)
{
	struct nvme *n = bd->priv;
	struct queue *q = &n->io[cn_cpu_id() % n->nq];
	struct sqe e = { .nsid = n->nsid };
	struct slot *s;
	int rc = 0;

	cn_spin_lock(&q->lock);
	/* Under the lock: give_up() empties each queue after setting it. */
	if (__atomic_load_n(&n->dead, __ATOMIC_SEQ_CST)) {
		cn_spin_unlock(&q->lock);
		return -EIO;
	}
	s = q->free_slots;
	if (!s) {
		cn_spin_unlock(&q->lock);
		return -EAGAIN;
	}
	if (req->op == CN_BLK_FLUSH) {
		e.cdw0 = IO_FLUSH;
	} else {
		e.cdw0 = req->op == CN_BLK_READ ? IO_READ : IO_WRITE;
		e.cdw10 = (uint32_t)req->sector;
		e.cdw11 = (uint32_t)(req->sector >> 32);
		e.cdw12 = req->count - 1;
		if (n->sgl)
			rc = map_sgl(n, &e, req->buf,
				     req->count * bd->sector_size);
		else
			rc = map_prp(s, &e, req->buf,
				     req->count * bd->sector_size);
	}
	if (!rc) {
		q->free_slots = s->next_free;
		s->req = req;
		s->abandoned = 0;
		s->deadline = cn_plat_time_ns() + n->timeout_ns;
		push(q, &e, s);
	}
	cn_spin_unlock(&q->lock);
	return rc ? -EIO : 0;
}

static const struct cn_blkdev_ops nvme_ops = {
	.submit = nvme_submit,
	.poll = nvme_poll,
	.reap = nvme_reap,
	.ready = nvme_ready,
};

static int new_vector(cn_arch_irq_fn fn, void *arg)
{
	int vec = cn_arch_irq_alloc_vector();

	if (vec < 0)
		return vec;
	return cn_arch_irq_register((unsigned int)vec, fn, arg) ?: vec;
}

static int create_io_queue(struct nvme *n, unsigned int i, uint16_t size,
			   int msix)
{
	struct queue *q = &n->io[i];
	uint16_t id = (uint16_t)(i + 1);
	struct sqe e;
	int rc = queue_alloc(n, q, id, size);

	if (rc)
		return rc;
	q->lazy_cq_db = (uint8_t)(msix && lazy_cq);
	if (msix) {
		int vec = new_vector(irq_queue, q);

		if (vec < 0)
			return vec;
		/* The vector is this queue's alone: irq_queue() takes only
		 * its lock. (INTx, one handler for all, stays under the big
		 * lock like any shared line.) */
		cn_arch_irq_mark_unlocked((unsigned int)vec);
		cn_pci_msix_route(n->pci, id, (unsigned int)vec);
	}
	e = (struct sqe){ .cdw0 = ADM_CREATE_CQ, .prp1 = (uintptr_t)q->cq,
			  .cdw10 = (uint32_t)(size - 1) << 16 | id,
			  .cdw11 = (uint32_t)(msix ? id : 0) << 16 | 0x3 };
	rc = admin(n, &e, NULL);
	if (rc)
		return rc;
	e = (struct sqe){ .cdw0 = ADM_CREATE_SQ, .prp1 = (uintptr_t)q->sq,
			  .cdw10 = (uint32_t)(size - 1) << 16 | id,
			  .cdw11 = (uint32_t)id << 16 | 0x1 };
	return admin(n, &e, NULL);
}

static int enable(struct nvme *n, uint64_t cap)
{
	uint64_t limit = ((cap >> 24) & 0xff) * 500000000ull;
	int rc;

	if (limit < 500000000ull)
		limit = 500000000ull;
	if (rd32(n, REG_CC) & CC_EN) {
		wr32(n, REG_CC, rd32(n, REG_CC) & ~CC_EN);
		if ((rc = wait_ready(n, 0, limit)))
			return rc;
	}
	rc = queue_alloc(n, &n->admin, 0, ADMIN_DEPTH);
	if (rc)
		return rc;
	wr32(n, REG_AQA, (ADMIN_DEPTH - 1) << 16 | (ADMIN_DEPTH - 1));
	wr64(n, REG_ASQ, (uintptr_t)n->admin.sq);
	wr64(n, REG_ACQ, (uintptr_t)n->admin.cq);
	wr32(n, REG_CC, CC_IOCQES | CC_IOSQES | CC_EN);
	return wait_ready(n, CSTS_RDY, limit);
}

/* Identify controller and namespace 1 into bd; buf is one page. */
static int identify(struct nvme *n, uint8_t *buf, unsigned int *mdts_bytes)
{
	struct sqe e = { .cdw0 = ADM_IDENTIFY, .prp1 = (uintptr_t)buf,
			 .cdw10 = 1 };
	uint32_t nn, lbaf;
	uint8_t lbads;
	int rc = admin(n, &e, NULL);

	if (rc)
		return rc;
	*mdts_bytes = buf[77] ? PAGE << buf[77] : 0;
	memcpy(n->name + 24, buf + 24, 20);	/* the model, cut */
	for (nn = 44; nn > 24 && n->name[nn - 1] == ' '; nn--)
		;
	n->name[nn] = '\0';
	n->bd.can_flush = buf[525] & 1;
	/* SGLS bits 1:0: SGLs for the NVM command set, any alignment (1)
	 * or dword-aligned data (2): blkdev buffers are both. */
	n->sgl = use_sgl && (buf[536] & 3) != 3 ? buf[536] & 3 : 0;
	memcpy(&nn, buf + 516, 4);
	if (nn < 1) {
		cn_pr_err("%s: the controller has no namespace", n->name);
		return -ENODEV;
	}
	n->nsid = 1;
	e = (struct sqe){ .cdw0 = ADM_IDENTIFY, .nsid = 1,
			  .prp1 = (uintptr_t)buf, .cdw10 = 0 };
	rc = admin(n, &e, NULL);
	if (rc)
		return rc;
	memcpy(&n->bd.sectors, buf, 8);
	memcpy(&lbaf, buf + 128 + 4 * (buf[26] & 0xf), 4);
	lbads = (uint8_t)(lbaf >> 16);
	if (!n->bd.sectors || lbads < 9 || lbads > 16) {
		cn_pr_err("%s: namespace 1 has %llu blocks of 2^%u bytes",
			  n->name, (unsigned long long)n->bd.sectors, lbads);
		return -EINVAL;
	}
	n->bd.sector_size = 1u << lbads;
	n->bd.read_only = buf[99] & 1;	/* NSATTR: write protected */
	return 0;
}

static int queues_setup(struct nvme *n, uint64_t cap)
{
	unsigned int want = cn_cpu_count(), i;
	uint16_t size = (uint16_t)((cap & 0xffff) + 1);
	int msix = use_msix ? cn_pci_msix_enable(n->pci) : -ENOTSUP;
	uint32_t got;
	struct sqe e;
	int rc;

	if (want > MAX_QUEUES)
		want = MAX_QUEUES;
	if (msix > 1 && want > (unsigned int)msix - 1)
		want = (unsigned int)msix - 1;
	e = (struct sqe){ .cdw0 = ADM_SET_FEATURES, .cdw10 = FEAT_NUM_QUEUES,
			  .cdw11 = (want - 1) << 16 | (want - 1) };
	if ((rc = admin(n, &e, &got)))
		return rc;
	if ((got & 0xffff) + 1 < want)
		want = (got & 0xffff) + 1;
	if ((got >> 16) + 1 < want)
		want = (got >> 16) + 1;
	if (size > IO_DEPTH_MAX || size < 2)
		size = IO_DEPTH_MAX;
	n->irq_mode = msix > 1 ? "MSI-X" : "INTx";
	if (msix <= 1) {
		int vec = new_vector(irq_intx, n);

		if (vec < 0)
			return vec;
		if (cn_pci_intx_route(n->pci, (unsigned int)vec))
			n->irq_mode = "none (polled)";
	}
	for (i = 0; i < want; i++) {
		rc = create_io_queue(n, i, size, msix > 1);
		if (rc)
			return rc;
		n->nq = i + 1;
	}
	n->bd.queue_depth = size - 1u;
	return 0;
}

static int nvme_setup(struct nvme *n)
{
	uint64_t cap = rd64(n, REG_CAP);
	uint32_t vs = rd32(n, REG_VS);
	unsigned int mdts;
	uint8_t *page;
	int rc;

	/* All ones: the BAR answers nothing; no NVM command set: not ours. */
	if (cap == ~0ull || vs == ~0u || !(cap >> 37 & 1) ||
	    (cap >> 48 & 0xf) != 0) {
		cn_pr_err("%s: unusable registers (CAP 0x%016llx, VS 0x%08x)",
			  n->name, (unsigned long long)cap, vs);
		return -ENODEV;
	}
	n->db_stride = 4u << (cap >> 32 & 0xf);
	rc = enable(n, cap);
	if (rc) {
		cn_pr_err("%s: the controller did not become ready: %d (%s)",
			  n->name, rc, cn_errname(rc));
		return rc;
	}
	page = aligned_alloc(PAGE, PAGE);
	if (!page)
		return -ENOMEM;
	rc = identify(n, page, &mdts);
	free(page);
	if (rc)
		return rc;
	rc = queues_setup(n, cap);
	if (rc)
		return rc;
	n->bd.max_sectors = (mdts && mdts < MAX_BYTES ? mdts : MAX_BYTES) /
			    n->bd.sector_size;
	return 0;
}

static int nvme_probe(struct cn_pci_dev *d)
{
	struct nvme *n;
	int rc;

	if (d->class != 0x01 || d->subclass != 0x08 || d->prog_if != 0x02)
		return -ENODEV;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->pci = d;
	snprintf(n->name, 24, "nvme %s", d->name);
	if (timeout_ms < 1 || timeout_ms > 600000) {
		cn_pr_warn("nvme.timeout_ms=%d is not 1-600000: 30000 it is",
			   timeout_ms);
		timeout_ms = 30000;
	}
	n->timeout_ns = (uint64_t)timeout_ms * 1000000;
	cn_pci_enable(d);
	n->regs = cn_pci_bar_map(d, 0);
	if (!n->regs) {
		cn_pr_err("%s: BAR 0 is not mapped", n->name);
		return -ENODEV;
	}
	rc = nvme_setup(n);
	if (rc) {
		/* -ENODEV: nvme_setup() said why in its one line. */
		if (rc != -ENODEV)
			cn_pr_err("%s: given up: %d (%s)", n->name, rc,
				  cn_errname(rc));
		wr32(n, REG_CC, 0);
		return rc == -ENODEV ? -EIO : rc;
	}
	d->priv = n;
	n->bd.driver = "nvme";
	n->bd.bus = d->name;
	n->bd.ops = &nvme_ops;
	n->bd.priv = n;
	rc = cn_blkdev_register(&n->bd);
	if (rc)
		return rc;
	cn_pr_info("%s: nvme at pci %s [%04x:%04x] (%s), %llu sectors of %u "
		   "bytes (%llu MiB), %s%s, %u I/O queue%s of %u, model %s",
		   n->bd.name, d->name, d->vendor, d->device, n->irq_mode,
		   (unsigned long long)n->bd.sectors, n->bd.sector_size,
		   (unsigned long long)(n->bd.sectors * n->bd.sector_size >>
					20),
		   n->bd.read_only ? "read-only" : "read-write",
		   n->bd.can_flush ? ", write cache (flush)" : "", n->nq,
		   n->nq == 1 ? "" : "s", n->bd.queue_depth, n->name + 24);
	return 0;
}

static const struct cn_pci_id nvme_ids[] = {
	{ CN_PCI_ANY, CN_PCI_ANY }, { 0, 0 } };

CN_PCI_DRIVER(nvme) = {
	.name = "nvme",
	.ids = nvme_ids,
	.probe = nvme_probe,
};
