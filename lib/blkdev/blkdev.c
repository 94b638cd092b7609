/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The blkdev registry, request checks, counters and the synchronous
 * wrappers. A synchronous call may first poll its driver (when it can
 * reap completions cheaply and polling has been the faster way on this
 * device: poll_choose()), then sleeps on the device's wait queue, which
 * every completion wakes; it also waits there for room when the device
 * queue is full.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/blkdev_driver.h>
#include <cairn/cpu.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/sched.h>
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
 * WAY_MEASURED when its time counts for its way. Under the big lock.
 */
static int poll_choose(struct cn_blkdev *bd)
{
	struct cn_blkdev_state *st = bd->state;
	struct cn_sched_cpu_stats cpu;
	unsigned int i, epoch;

	if (!bd->ops->reap || !poll_max_ns())
		return WAY_SLEEP;
	cn_sched_cpu_stats_read(cn_cpu_id(), &cpu);
	if (cpu.queued)
		return WAY_SLEEP;
	i = st->nr_sync++ % (POLL_EPOCH * POLL_CYCLE);
	epoch = i / POLL_EPOCH;
	if (epoch < 2)
		return (epoch ? WAY_SLEEP : WAY_POLL) |
		       (i % POLL_EPOCH >= POLL_EPOCH / 2 ? WAY_MEASURED : 0);
	if (i == 2 * POLL_EPOCH) {
		/* Means compared as sums over counts, on integers. */
		st->poll_wins = st->probe_n[WAY_POLL] && st->probe_n[WAY_SLEEP] &&
				st->probe_ns[WAY_POLL] * st->probe_n[WAY_SLEEP] <
				st->probe_ns[WAY_SLEEP] * st->probe_n[WAY_POLL];
		st->probe_ns[0] = st->probe_ns[1] = 0;
		st->probe_n[0] = st->probe_n[1] = 0;
	}
	return st->poll_wins ? WAY_POLL : WAY_SLEEP;
}

/* Counts a measured request's time for its way. */
static void poll_learn(struct cn_blkdev_state *st, int way, uint64_t ns)
{
	if (!(way & WAY_MEASURED))
		return;
	st->probe_ns[way & WAY_POLL] += ns < POLL_SAMPLE_MAX ? ns :
					POLL_SAMPLE_MAX;
	st->probe_n[way & WAY_POLL]++;
}

static struct cn_blkdev *devs[MAX_BLKDEVS];
static unsigned int nr_devs;

/* Registers bd under the name it already has (or blkN when empty). */
int cn_blkdev_register_named(struct cn_blkdev *bd)
{
	if (!bd->ops || !bd->ops->submit || !bd->sector_size ||
	    (bd->sector_size & (bd->sector_size - 1)) || !bd->queue_depth)
		return -EINVAL;
	if (nr_devs == MAX_BLKDEVS)
		return -ENOSPC;
	bd->state = calloc(1, sizeof(*bd->state));
	if (!bd->state)
		return -ENOMEM;
	if (!bd->name[0])
		snprintf(bd->name, sizeof(bd->name), "blk%u", nr_devs);
	devs[nr_devs++] = bd;
	return 0;
}

int cn_blkdev_register(struct cn_blkdev *bd)
{
	bd->name[0] = '\0';
	return cn_blkdev_register_named(bd);
}

unsigned int cn_blkdev_count(void)
{
	return nr_devs;
}

struct cn_blkdev *cn_blkdev_get(unsigned int index)
{
	return index < nr_devs ? devs[index] : NULL;
}

struct cn_blkdev *cn_blkdev_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		if (strcmp(devs[i]->name, name) == 0)
			return devs[i];
	return cn_blkdev_find_part(name);
}

void cn_blkdev_complete(struct cn_blkdev *bd, struct cn_blkreq *req,
			int status)
{
	uint64_t bytes = (uint64_t)req->count * bd->sector_size;

	req->status = status;
	if (status)
		bd->stats.errors++;
	else if (req->op == CN_BLK_READ) {
		bd->stats.reads++;
		bd->stats.read_bytes += bytes;
	} else if (req->op == CN_BLK_WRITE) {
		bd->stats.writes++;
		bd->stats.written_bytes += bytes;
	} else {
		bd->stats.flushes++;
	}
	bd->state->in_flight--;
	if (req->done)
		req->done(req);
	cn_waitq_wake_all(&bd->state->waitq);
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
		flags = cn_big_lock();
		bd->state->in_flight++;
		cn_blkdev_complete(bd, req, 0);
		cn_big_unlock(flags);
		return 0;
	}
	flags = cn_big_lock();
	if (bd->state->in_flight >= bd->queue_depth) {
		rc = -EAGAIN;
	} else {
		bd->state->in_flight++;
		rc = bd->ops->submit(bd, req);
		if (rc)
			bd->state->in_flight--;
	}
	cn_big_unlock(flags);
	return rc;
}

struct sync_req {
	struct cn_blkreq req;
	volatile int done;
};

static void sync_done(struct cn_blkreq *req)
{
	((struct sync_req *)req)->done = 1;
}

/*
 * Reaps until *done or blkdev.poll_us have passed; true when done.
 * Called with the big lock (interrupts off); with a ready() it spins
 * without it, so the other CPUs go on, and takes it back to reap.
 */
static bool poll_done(struct cn_blkdev *bd, volatile int *done,
		      uint64_t start)
{
	uint64_t end = start + poll_max_ns();

	/*
	 * No cpu_relax() (pause) in these loops: under QEMU's TCG a pause
	 * leaves the translated code and takes QEMU's big lock, which the
	 * device model needs to finish this very request.
	 */
	do {
		if (bd->ops->ready) {
			unsigned int depth = cn_big_release_all();

			while (!*done && !bd->ops->ready(bd) &&
			       cn_time_ns() < end)
				;
			cn_big_reacquire(depth);
		}
		bd->ops->reap(bd);
		if (*done) {
			bd->stats.polled++;
			return true;
		}
	} while (cn_time_ns() < end);
	return false;
}

/*
 * Waits until *done, polling first when poll_choose() says so, then
 * sleeping; interrupts are off around it. The driver's poll() (its
 * watchdog: health checks, deadlines, which may read registers) runs
 * before the first sleep only when the driver has no cheap reap(), and
 * then after each wake-up, at least every POLL_NS.
 */
static void wait_event(struct cn_blkdev *bd, volatile int *done)
{
	uint64_t start = cn_time_ns();
	bool watchdog = !bd->ops->reap;
	int warned = 0, way = poll_choose(bd);

	if ((way & WAY_POLL) && poll_done(bd, done, start))
		goto out;
	while (!*done) {
		if (watchdog && bd->ops->poll)
			bd->ops->poll(bd);
		if (*done)
			break;
		watchdog = true;
		cn_waitq_wait(&bd->state->waitq, cn_time_ns() + POLL_NS);
		if (!*done && cn_time_ns() - start > SLOW_NS && !warned++)
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
		flags = cn_big_lock();
		while ((rc = cn_blkdev_submit(bd, &s.req)) == -EAGAIN) {
			if (bd->ops->poll)
				bd->ops->poll(bd);
			cn_waitq_wait(&bd->state->waitq, cn_time_ns() + POLL_NS);
		}
		if (rc == 0) {
			wait_event(bd, &s.done);
			rc = s.req.status;
		}
		cn_big_unlock(flags);
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
