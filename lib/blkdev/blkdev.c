/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The blkdev registry, request checks, counters and the synchronous
 * wrappers. A synchronous call may first poll its driver (when it can
 * reap completions cheaply and polling has been the faster way on this
 * device: poll_choose()), then sleeps on the device's event count, which
 * every completion moves; it also waits there for room when the device
 * queue is full.
 *
 * None of it takes the big lock (doc/architecture.md, "SMP and
 * locking"): the count of requests in flight and the statistics are
 * atomics, a completion signals an event count (no lock when nobody
 * waits), the registry has a spinlock and so has each device's polling
 * choice. A driver's submit() is called with interrupts off, so its
 * requests stay on the CPU (and queue) that submitted them while the
 * caller polls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/blkdev_driver.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/sched.h>
#include <cairn/spinlock.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include "blkdev_priv.h"

#define MAX_BLKDEVS	16
#define SLOW_NS		(30ull * 1000000000)	/* report a stuck request */
#define POLL_NS		(100ull * 1000000)	/* driver watchdog period */

#define POLL_US_MAX	10000

/*
 * A request on an emulated device (TCG) takes 30-200 us; sleeping for it
 * costs an interrupt that wakes a halted vCPU (a host thread woken by
 * another) and a thread switch, polling costs neither but holds a host
 * CPU the device model may need. Which wins depends on the host, not on
 * the guest (doc/bench/blk.md: on an idle host polling made 4 KiB reads
 * 1.6x-2x faster, with the host's cores all busy sleeping was 3x
 * faster), so each device measures it. Its synchronous requests go in
 * cycles of POLL_CYCLE epochs of POLL_EPOCH requests: the first epoch
 * polls, the second sleeps, the rest take the way whose requests were
 * faster on average in the second half of their epoch (the first half
 * lets the host's scheduler settle: a vCPU that has been spinning is
 * woken more slowly than one that has been sleeping, so requests just
 * after a change of way say little). A polling caller spins at most
 * blkdev.poll_us with interrupts off, then sleeps (Linux's io_poll,
 * bounded; that time counts against polling). It never polls while a
 * thread is READY on its CPU: that CPU has better work than spinning.
 */
#define POLL_US_DEFAULT	100
#define POLL_EPOCH	32
#define POLL_CYCLE	16
#define POLL_SAMPLE_MAX	1000000ull	/* ns: one stall does not decide */
static int poll_us = POLL_US_DEFAULT;
CN_PARAM_UINT(blkdev, poll_us, poll_us,
	      "most microseconds a synchronous request polls the driver for "
	      "its completion before sleeping, when polling has been the "
	      "faster way on this device (0: never poll; at most 10000; "
	      "default 100)");

static uint64_t poll_max_ns(void)
{
	int us = poll_us;

	return us <= 0 ? 0 : (uint64_t)(us < POLL_US_MAX ? us : POLL_US_MAX) *
			     1000;
}

enum { WAY_SLEEP, WAY_POLL, WAY_MEASURED = 2 };

/*
 * How this synchronous request waits: WAY_POLL or WAY_SLEEP, with
 * WAY_MEASURED when its time counts for its way.
 */
static int poll_choose(struct cn_blkdev *bd)
{
	struct cn_blkdev_state *st = bd->state;
	struct cn_sched_cpu_stats cpu;
	unsigned long flags;
	unsigned int i, epoch;
	int way;

	if (!bd->ops->reap || !poll_max_ns())
		return WAY_SLEEP;
	cn_sched_cpu_stats_read(cn_cpu_id(), &cpu);
	if (cpu.queued)
		return WAY_SLEEP;
	flags = cn_spin_lock_irqsave(&st->lock);
	i = st->nr_sync++ % (POLL_EPOCH * POLL_CYCLE);
	epoch = i / POLL_EPOCH;
	if (epoch < 2) {
		way = (epoch ? WAY_SLEEP : WAY_POLL) |
		      (i % POLL_EPOCH >= POLL_EPOCH / 2 ? WAY_MEASURED : 0);
	} else {
		if (i == 2 * POLL_EPOCH) {
			/* Means compared as sums over counts, on integers. */
			st->poll_wins =
				st->probe_n[WAY_POLL] && st->probe_n[WAY_SLEEP] &&
				st->probe_ns[WAY_POLL] * st->probe_n[WAY_SLEEP] <
				st->probe_ns[WAY_SLEEP] * st->probe_n[WAY_POLL];
			st->probe_ns[0] = st->probe_ns[1] = 0;
			st->probe_n[0] = st->probe_n[1] = 0;
		}
		way = st->poll_wins ? WAY_POLL : WAY_SLEEP;
	}
	cn_spin_unlock_irqrestore(&st->lock, flags);
	return way;
}

/* Counts a measured request's time for its way. */
static void poll_learn(struct cn_blkdev_state *st, int way, uint64_t ns)
{
	unsigned long flags;

	if (!(way & WAY_MEASURED))
		return;
	flags = cn_spin_lock_irqsave(&st->lock);
	st->probe_ns[way & WAY_POLL] += ns < POLL_SAMPLE_MAX ? ns :
					POLL_SAMPLE_MAX;
	st->probe_n[way & WAY_POLL]++;
	cn_spin_unlock_irqrestore(&st->lock, flags);
}

static void stat_add(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/*
 * The registry only grows: a device is published (release) after it is
 * complete, and readers that take no lock load the count with acquire.
 */
static struct cn_blkdev *devs[MAX_BLKDEVS];
static unsigned int nr_devs;
static struct cn_spinlock reg_lock = CN_SPINLOCK_INIT;

/* Registers bd under the name it already has (or blkN when empty). */
int cn_blkdev_register_named(struct cn_blkdev *bd)
{
	struct cn_blkdev_state *st;
	unsigned long flags;
	unsigned int i;
	int rc = 0;

	if (!bd->ops || !bd->ops->submit || !bd->sector_size ||
	    (bd->sector_size & (bd->sector_size - 1)) || !bd->queue_depth)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->done = (struct cn_event)CN_EVENT_INIT;
	cn_spin_init(&st->lock);
	bd->state = st;
	flags = cn_spin_lock_irqsave(&reg_lock);
	if (nr_devs == MAX_BLKDEVS)
		rc = -ENOSPC;
	for (i = 0; i < nr_devs && !rc; i++)
		if (bd->name[0] && strcmp(devs[i]->name, bd->name) == 0)
			rc = -EEXIST;
	if (!rc) {
		if (!bd->name[0])
			snprintf(bd->name, sizeof(bd->name), "blk%u", nr_devs);
		devs[nr_devs] = bd;
		__atomic_store_n(&nr_devs, nr_devs + 1, __ATOMIC_RELEASE);
	}
	cn_spin_unlock_irqrestore(&reg_lock, flags);
	if (rc) {
		bd->state = NULL;
		free(st);
	}
	return rc;
}

int cn_blkdev_register(struct cn_blkdev *bd)
{
	bd->name[0] = '\0';
	return cn_blkdev_register_named(bd);
}

unsigned int cn_blkdev_count(void)
{
	return __atomic_load_n(&nr_devs, __ATOMIC_ACQUIRE);
}

struct cn_blkdev *cn_blkdev_get(unsigned int index)
{
	return index < cn_blkdev_count() ? devs[index] : NULL;
}

struct cn_blkdev *cn_blkdev_find(const char *name)
{
	unsigned int i, n = cn_blkdev_count();

	for (i = 0; i < n; i++)
		if (strcmp(devs[i]->name, name) == 0)
			return devs[i];
	return cn_blkdev_find_part(name);
}

void cn_blkdev_complete(struct cn_blkdev *bd, struct cn_blkreq *req,
			int status)
{
	uint64_t bytes = (uint64_t)req->count * bd->sector_size;

	req->status = status;
	if (status) {
		stat_add(&bd->stats.errors, 1);
	} else if (req->op == CN_BLK_READ) {
		stat_add(&bd->stats.reads, 1);
		stat_add(&bd->stats.read_bytes, bytes);
	} else if (req->op == CN_BLK_WRITE) {
		stat_add(&bd->stats.writes, 1);
		stat_add(&bd->stats.written_bytes, bytes);
	} else {
		stat_add(&bd->stats.flushes, 1);
	}
	__atomic_fetch_sub(&bd->state->in_flight, 1, __ATOMIC_RELEASE);
	if (req->done)
		req->done(req);
	cn_event_signal(&bd->state->done);
}

void cn_blkdev_complete_list(struct cn_blkdev *bd, struct cn_blkreq_list *l)
{
	struct cn_blkreq *req = l->head;

	while (req) {
		struct cn_blkreq *next = req->priv;

		cn_blkdev_complete(bd, req, req->status);
		req = next;
	}
	l->head = NULL;
	l->tail = &l->head;
}

/* Takes a place in the device queue: false when it is full. */
static bool reserve(struct cn_blkdev *bd)
{
	unsigned int n = __atomic_load_n(&bd->state->in_flight,
					 __ATOMIC_RELAXED);

	do {
		if (n >= bd->queue_depth)
			return false;
	} while (!__atomic_compare_exchange_n(&bd->state->in_flight, &n,
					      n + 1, true, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

static int check(struct cn_blkdev *bd, const struct cn_blkreq *req,
		 uint32_t max_sectors)
{
	switch (req->op) {
	case CN_BLK_READ:
	case CN_BLK_WRITE:
		if (!req->count || !req->buf || req->sector >= bd->sectors ||
		    req->count > bd->sectors - req->sector ||
		    (max_sectors && req->count > max_sectors))
			return -EINVAL;
		if (req->op == CN_BLK_WRITE && bd->read_only)
			return -EROFS;
		return 0;
	case CN_BLK_FLUSH:
		return 0;
	}
	return -EINVAL;
}

int cn_blkdev_submit(struct cn_blkdev *bd, struct cn_blkreq *req)
{
	unsigned long flags;
	int rc = check(bd, req, bd->max_sectors);

	if (rc)
		return rc;
	if (req->op == CN_BLK_FLUSH && !bd->can_flush) {
		__atomic_fetch_add(&bd->state->in_flight, 1, __ATOMIC_RELAXED);
		cn_blkdev_complete(bd, req, 0);
		return 0;
	}
	if (!reserve(bd))
		return -EAGAIN;
	flags = cn_arch_irq_save();
	rc = bd->ops->submit(bd, req);
	cn_arch_irq_restore(flags);
	if (rc) {
		__atomic_fetch_sub(&bd->state->in_flight, 1, __ATOMIC_RELAXED);
		/* A completion may have waited for the place just taken. */
		cn_event_signal(&bd->state->done);
	}
	return rc;
}

struct sync_req {
	struct cn_blkreq req;
	int done;			/* set (release) after req.status */
};

static void sync_done(struct cn_blkreq *req)
{
	__atomic_store_n(&((struct sync_req *)req)->done, 1, __ATOMIC_RELEASE);
}

static bool is_done(const int *done)
{
	return __atomic_load_n(done, __ATOMIC_ACQUIRE);
}

/*
 * Reaps until *done or blkdev.poll_us have passed; true when done.
 * Called with interrupts off; with a ready() it spins on that and calls
 * reap() only when there is something to reap. If the caller holds the
 * big lock, it is let go meanwhile, so the other CPUs go on.
 */
static bool poll_done(struct cn_blkdev *bd, const int *done, uint64_t start)
{
	uint64_t end = start + poll_max_ns();
	unsigned int depth = cn_big_release_all();
	bool ok = false;

	/*
	 * No cpu_relax() (pause) in these loops: under QEMU's TCG a pause
	 * leaves the translated code and takes QEMU's big lock, which the
	 * device model needs to finish this very request.
	 */
	do {
		if (bd->ops->ready)
			while (!is_done(done) && !bd->ops->ready(bd) &&
			       cn_time_ns() < end)
				;
		bd->ops->reap(bd);
		if (is_done(done)) {
			stat_add(&bd->stats.polled, 1);
			ok = true;
			break;
		}
	} while (cn_time_ns() < end);
	cn_big_reacquire(depth);
	return ok;
}

/*
 * Waits until *done, polling first when poll_choose() says so, then
 * sleeping on the device's event count; interrupts are off around it.
 * The driver's poll() (its watchdog: health checks, deadlines, which may
 * read registers) runs before the first sleep only when the driver has
 * no cheap reap(), and then after each wake-up, at least every POLL_NS.
 * A wait that ends early (-EINTR) only goes round again: the request and
 * its buffer are the driver's until it completes.
 */
static void wait_event(struct cn_blkdev *bd, const int *done)
{
	uint64_t start = cn_time_ns();
	bool watchdog = !bd->ops->reap;
	int warned = 0, way = poll_choose(bd);

	if ((way & WAY_POLL) && poll_done(bd, done, start))
		goto out;
	while (!is_done(done)) {
		unsigned long seen = cn_event_read(&bd->state->done);

		if (watchdog && bd->ops->poll)
			bd->ops->poll(bd);
		if (is_done(done))
			break;
		watchdog = true;
		cn_event_wait(&bd->state->done, seen, cn_time_ns() + POLL_NS);
		if (!is_done(done) && cn_time_ns() - start > SLOW_NS &&
		    !warned++)
			cn_pr_warn("%s: a request has not finished after 30 s; "
				   "still waiting", bd->name);
	}
out:
	if (bd->ops->reap)
		poll_learn(bd->state, way, cn_time_ns() - start);
}

static int sync_io(struct cn_blkdev *bd, enum cn_blk_op op, uint64_t sector,
		   void *buf, uint32_t count)
{
	uint32_t chunk = bd->max_sectors ? bd->max_sectors : count;
	unsigned long flags;
	int rc = 0;

	struct cn_blkreq whole = { .op = op, .sector = sector, .buf = buf,
				   .count = count };

	/* The whole range first: no partial write before an error. */
	rc = check(bd, &whole, 0);
	if (rc)
		return rc;
	do {
		struct sync_req s = { .req = { .op = op, .sector = sector,
					       .buf = buf, .done = sync_done } };

		s.req.count = count < chunk ? count : chunk;
		/* Interrupts off: a polling caller stays on the CPU whose
		 * queue its request went to. */
		flags = cn_arch_irq_save();
		for (;;) {
			unsigned long seen = cn_event_read(&bd->state->done);

			rc = cn_blkdev_submit(bd, &s.req);
			if (rc != -EAGAIN)
				break;
			if (bd->ops->poll)
				bd->ops->poll(bd);
			cn_event_wait(&bd->state->done, seen,
				      cn_time_ns() + POLL_NS);
		}
		if (rc == 0) {
			wait_event(bd, &s.done);
			rc = s.req.status;
		}
		cn_arch_irq_restore(flags);
		if (rc || op == CN_BLK_FLUSH)
			return rc;
		sector += s.req.count;
		buf = (char *)buf + (size_t)s.req.count * bd->sector_size;
		count -= s.req.count;
	} while (count);
	return 0;
}

int cn_blkdev_read(struct cn_blkdev *bd, uint64_t sector, void *buf,
		   uint32_t count)
{
	return sync_io(bd, CN_BLK_READ, sector, buf, count);
}

int cn_blkdev_write(struct cn_blkdev *bd, uint64_t sector, const void *buf,
		    uint32_t count)
{
	return sync_io(bd, CN_BLK_WRITE, sector, (void *)buf, count);
}

int cn_blkdev_flush(struct cn_blkdev *bd)
{
	return sync_io(bd, CN_BLK_FLUSH, 0, NULL, 0);
}

int cn_blkdev_poll(struct cn_blkdev *bd)
{
	if (!bd->ops->poll)
		return -ENOTSUP;
	bd->ops->poll(bd);
	return 0;
}
