/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/blkdev against a RAM-backed fake driver whose completions wait for
 * its poll(), so the queue can be seen full.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/blkdev_driver.h>
#include <cairn/param.h>
#include <cairn/test.h>
#include <cairn/timer.h>
#include "blkdev_priv.h"

#define SECTORS	100
#define FAIL_AT	99			/* the fake fails requests touching it */

static uint8_t disk[SECTORS * 512];
static struct cn_blkreq *pending[8];
static unsigned int nr_pending, submits;

/* The fake's own lock over pending[] is the big lock. */
static int fake_submit(struct cn_blkdev *bd, struct cn_blkreq *req)
{
	unsigned long flags = cn_big_lock();
	int rc = -EAGAIN;

	(void)bd;
	if (nr_pending < CN_ARRAY_SIZE(pending)) {
		pending[nr_pending++] = req;
		submits++;
		rc = 0;
	}
	cn_big_unlock(flags);
	return rc;
}

static void fake_poll(struct cn_blkdev *bd)
{
	unsigned long flags = cn_big_lock();
	unsigned int i;

	for (i = 0; i < nr_pending; i++) {
		struct cn_blkreq *r = pending[i];
		uint8_t *at = disk + r->sector * 512;
		size_t n = (size_t)r->count * 512;
		int st = 0;

		if (r->op != CN_BLK_FLUSH && r->sector + r->count > FAIL_AT)
			st = -EIO;
		else if (r->op == CN_BLK_READ)
			memcpy(r->buf, at, n);
		else if (r->op == CN_BLK_WRITE)
			memcpy(at, r->buf, n);
		cn_blkdev_complete(bd, r, st);
	}
	nr_pending = 0;
	cn_big_unlock(flags);
}

static const struct cn_blkdev_ops fake_ops = {
	.submit = fake_submit,
	.poll = fake_poll,
};

static struct cn_blkdev *fake(bool ro)
{
	static struct cn_blkdev rw_dev, ro_dev;
	struct cn_blkdev *bd = ro ? &ro_dev : &rw_dev;

	if (!bd->ops) {
		bd->sector_size = 512;
		bd->sectors = SECTORS;
		bd->max_sectors = 4;
		bd->queue_depth = 2;
		bd->read_only = ro;
		bd->ops = &fake_ops;
		if (cn_blkdev_register(bd))
			return NULL;
	}
	return bd;
}

CN_TEST(blkdev, register_names_and_finds_devices)
{
	struct cn_blkdev bad = { .sector_size = 500, .queue_depth = 1,
				 .ops = &fake_ops };
	struct cn_blkdev *bd = fake(false);

	CN_ASSERT_TRUE(bd != NULL);
	CN_EXPECT_EQ(strncmp(bd->name, "blk", 3), 0);
	CN_EXPECT_TRUE(cn_blkdev_find(bd->name) == bd);
	CN_EXPECT_TRUE(cn_blkdev_find("nope") == NULL);
	CN_EXPECT_TRUE(cn_blkdev_get(cn_blkdev_count()) == NULL);
	CN_EXPECT_EQ(cn_blkdev_register(&bad), -EINVAL);
}

CN_TEST(blkdev, register_refuses_a_missing_submit_and_poll_is_optional)
{
	static const struct cn_blkdev_ops no_submit = { .poll = fake_poll };
	static const struct cn_blkdev_ops submit_only = {
		.submit = fake_submit,
	};
	static struct cn_blkdev no_poll_dev;
	struct cn_blkdev bad = { .sector_size = 512, .sectors = 8,
				 .queue_depth = 1, .ops = &no_submit };
	unsigned int n = cn_blkdev_count();

	CN_EXPECT_EQ(cn_blkdev_register(&bad), -EINVAL);
	CN_EXPECT_EQ(cn_blkdev_count(), n);
	CN_ASSERT_TRUE(fake(false) != NULL);
	CN_EXPECT_EQ(cn_blkdev_poll(fake(false)), 0);
	if (!no_poll_dev.ops) {
		no_poll_dev.sector_size = 512;
		no_poll_dev.sectors = 8;
		no_poll_dev.queue_depth = 1;
		no_poll_dev.ops = &submit_only;
		CN_ASSERT_EQ(cn_blkdev_register(&no_poll_dev), 0);
	}
	CN_EXPECT_EQ(cn_blkdev_poll(&no_poll_dev), -ENOTSUP);
}

CN_TEST(blkdev, write_and_read_back_split_at_max_sectors)
{
	struct cn_blkdev *bd = fake(false);
	static uint8_t out[10 * 512], in[10 * 512];
	unsigned int i, before = submits;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 13 + 1);
	CN_ASSERT_EQ(cn_blkdev_write(bd, 5, out, 10), 0);
	CN_EXPECT_EQ(submits - before, 3);	/* 4 + 4 + 2 sectors */
	CN_ASSERT_EQ(cn_blkdev_read(bd, 5, in, 10), 0);
	CN_EXPECT_EQ(memcmp(in, out, sizeof(in)), 0);
	CN_EXPECT_EQ(memcmp(disk + 5 * 512, out, sizeof(out)), 0);
	CN_EXPECT_GE(bd->stats.written_bytes, 10 * 512);
}

CN_TEST(blkdev, out_of_range_is_einval_and_writes_nothing)
{
	struct cn_blkdev *bd = fake(false);
	static uint8_t buf[8 * 512], before[sizeof(disk)];
	unsigned int n = submits;

	memset(buf, 0xee, sizeof(buf));
	memcpy(before, disk, sizeof(disk));
	CN_EXPECT_EQ(cn_blkdev_read(bd, SECTORS, buf, 1), -EINVAL);
	CN_EXPECT_EQ(cn_blkdev_read(bd, 0, buf, 0), -EINVAL);
	CN_EXPECT_EQ(cn_blkdev_read(bd, UINT64_MAX, buf, 2), -EINVAL);
	/* 8 sectors from 95: the first chunk would fit, nothing is written. */
	CN_EXPECT_EQ(cn_blkdev_write(bd, 95, buf, 8), -EINVAL);
	CN_EXPECT_EQ(memcmp(before, disk, sizeof(disk)), 0);
	CN_EXPECT_EQ(submits, n);
	/* submit() does not split: more than max_sectors is refused. */
	struct cn_blkreq r = { .op = CN_BLK_READ, .count = 5, .buf = buf };
	CN_EXPECT_EQ(cn_blkdev_submit(bd, &r), -EINVAL);
}

CN_TEST(blkdev, read_only_device_refuses_writes)
{
	struct cn_blkdev *bd = fake(true);
	static uint8_t buf[512];
	unsigned int n = submits;

	CN_ASSERT_TRUE(bd != NULL);
	CN_EXPECT_EQ(cn_blkdev_write(bd, 0, buf, 1), -EROFS);
	CN_EXPECT_EQ(submits, n);
	CN_EXPECT_EQ(cn_blkdev_read(bd, 0, buf, 1), 0);
}

static unsigned int done_calls;
static int last_status;

static void count_done(struct cn_blkreq *r)
{
	done_calls++;
	last_status = r->status;
}

CN_TEST(blkdev, queue_depth_gives_eagain_then_completions_run)
{
	struct cn_blkdev *bd = fake(false);
	static uint8_t buf[3][512];
	struct cn_blkreq r[3];
	unsigned int i;

	done_calls = 0;
	for (i = 0; i < 3; i++)
		r[i] = (struct cn_blkreq){ .op = CN_BLK_READ, .sector = i,
					   .count = 1, .buf = buf[i],
					   .done = count_done };
	CN_EXPECT_EQ(cn_blkdev_submit(bd, &r[0]), 0);
	CN_EXPECT_EQ(cn_blkdev_submit(bd, &r[1]), 0);
	CN_EXPECT_EQ(cn_blkdev_submit(bd, &r[2]), -EAGAIN);
	CN_EXPECT_EQ(done_calls, 0);
	fake_poll(bd);
	CN_EXPECT_EQ(done_calls, 2);
	CN_EXPECT_EQ(bd->state->in_flight, 0);
	CN_EXPECT_EQ(cn_blkdev_submit(bd, &r[2]), 0);
	fake_poll(bd);
	CN_EXPECT_EQ(done_calls, 3);
}

CN_TEST(blkdev, device_errors_reach_the_caller)
{
	struct cn_blkdev *bd = fake(false);
	static uint8_t buf[512];
	uint64_t errors = bd->stats.errors;

	CN_EXPECT_EQ(cn_blkdev_read(bd, FAIL_AT, buf, 1), -EIO);
	CN_EXPECT_EQ(bd->stats.errors, errors + 1);
	CN_EXPECT_EQ(cn_blkdev_read(bd, FAIL_AT - 1, buf, 1), 0);
}

CN_TEST(blkdev, flush_without_a_cache_completes_at_once)
{
	struct cn_blkdev *bd = fake(false);
	struct cn_blkreq r = { .op = CN_BLK_FLUSH, .done = count_done };
	unsigned int n = submits;

	done_calls = 0;
	last_status = -1;
	CN_EXPECT_EQ(cn_blkdev_submit(bd, &r), 0);
	CN_EXPECT_EQ(done_calls, 1);
	CN_EXPECT_EQ(last_status, 0);
	CN_EXPECT_EQ(cn_blkdev_flush(bd), 0);
	CN_EXPECT_EQ(submits, n);
}

/*
 * A fake whose reap() finds the request done at once: a case that needs
 * a later call would depend on the host not stalling the vCPU for the
 * whole polling window (it did, in CI).
 */
static unsigned int reaps, polls;

static void fake_reap(struct cn_blkdev *bd)
{
	reaps++;
	fake_poll(bd);
}

static void counting_poll(struct cn_blkdev *bd)
{
	polls++;
	fake_poll(bd);
}

/* A one-request device of 8 sectors with ops, registered on first use. */
static int register_once(struct cn_blkdev *dev,
			 const struct cn_blkdev_ops *ops)
{
	if (dev->ops)
		return 0;
	dev->sector_size = 512;
	dev->sectors = 8;
	dev->queue_depth = 1;
	dev->ops = ops;
	return cn_blkdev_register(dev);
}

CN_TEST(blkdev, a_synchronous_request_polls_reap_for_blkdev_poll_us)
{
	static const struct cn_blkdev_ops reap_ops = {
		.submit = fake_submit, .poll = counting_poll,
		.reap = fake_reap,
	};
	static struct cn_blkdev dev;
	static uint8_t buf[512];
	char on[] = "blkdev.poll_us=10000", off[] = "blkdev.poll_us=0";
	char dflt[] = "blkdev.poll_us=100";

	CN_ASSERT_EQ(register_once(&dev, &reap_ops), 0);
	/* Polling on: reap() until done, no sleep, no watchdog poll(). */
	reaps = polls = 0;
	CN_ASSERT_EQ(cn_param_set(on), 0);
	CN_EXPECT_EQ(cn_blkdev_read(&dev, 0, buf, 1), 0);
	CN_EXPECT_EQ(reaps, 1);
	CN_EXPECT_EQ(polls, 0);
	CN_EXPECT_EQ(dev.stats.polled, 1);
	/* Off: no reap(); the watchdog's poll() after the first 100 ms
	 * sleep completes it. */
	reaps = 0;
	CN_ASSERT_EQ(cn_param_set(off), 0);
	CN_EXPECT_EQ(cn_blkdev_read(&dev, 0, buf, 1), 0);
	CN_EXPECT_EQ(reaps, 0);
	CN_EXPECT_GE(polls, 1);
	CN_EXPECT_EQ(dev.stats.polled, 1);
	CN_EXPECT_EQ(dev.stats.reads, 2);
	CN_ASSERT_EQ(cn_param_set(dflt), 0);
}

/*
 * A fake whose ready() says so, and whose reap() finds the request done
 * only once ready() has been asked: the caller asks ready() (spinning on
 * it without the big lock on SMP) before it reaps, and reaps once.
 */
static unsigned int readies;

static bool fake_ready(struct cn_blkdev *bd)
{
	(void)bd;
	readies++;
	return true;
}

static void ready_reap(struct cn_blkdev *bd)
{
	reaps++;
	if (readies)
		fake_poll(bd);
}

CN_TEST(blkdev, a_polling_request_spins_on_ready_and_reaps_once)
{
	static const struct cn_blkdev_ops ops = {
		.submit = fake_submit, .poll = fake_poll,
		.reap = ready_reap, .ready = fake_ready,
	};
	static struct cn_blkdev dev;
	static uint8_t buf[512];
	char on[] = "blkdev.poll_us=10000", dflt[] = "blkdev.poll_us=100";

	CN_ASSERT_EQ(register_once(&dev, &ops), 0);
	readies = reaps = 0;
	CN_ASSERT_EQ(cn_param_set(on), 0);
	CN_EXPECT_EQ(cn_blkdev_read(&dev, 0, buf, 1), 0);
	CN_EXPECT_EQ(readies, 1);
	CN_EXPECT_EQ(reaps, 1);
	CN_EXPECT_EQ(dev.stats.polled, 1);
	CN_ASSERT_EQ(cn_param_set(dflt), 0);
}

/*
 * Each device measures whether polling or sleeping is faster for it: 32
 * requests poll, 32 sleep, then 448 take the faster way, and again. The
 * fake's completion comes from a timer 1 ms after the submit, or, when
 * reap_finds, from the first reap(). A poller never sees the timer's
 * completion: the timer completes only once the reading thread sleeps,
 * which it does after a poll has given up (with SMP another CPU may run
 * the timer meanwhile; until then it looks again every 200 us).
 */
static struct cn_blkdev adapt_dev;
static bool reap_finds;
static struct cn_thread *adapt_reader;

static void adapt_reap(struct cn_blkdev *bd)
{
	reaps++;
	if (reap_finds)
		fake_poll(bd);
}

static void complete_by_timer(struct cn_timer *t)
{
	enum cn_thread_state st = cn_thread_state(adapt_reader);

	if (st != CN_THREAD_BLOCKED && st != CN_THREAD_SLEEPING) {
		cn_timer_start(t, cn_time_ns() + 200000, complete_by_timer);
		return;
	}
	fake_poll(&adapt_dev);
}

/* Reads once with the timer armed; true when the read polled. */
static bool adapt_read(void)
{
	static struct cn_timer timer;
	static uint8_t buf[512];
	unsigned int before;

	reaps = 0;
	adapt_reader = cn_thread_current();
	cn_timer_start(&timer, cn_time_ns() + 1000000, complete_by_timer);
	CN_EXPECT_EQ(cn_blkdev_read(&adapt_dev, 0, buf, 1), 0);
	cn_timer_stop(&timer);
	before = reaps;
	reaps = 0;
	return before != 0;
}

CN_TEST(blkdev, each_device_learns_whether_polling_or_sleeping_is_faster)
{
	static const struct cn_blkdev_ops ops = {
		.submit = fake_submit, .poll = fake_poll, .reap = adapt_reap,
	};
	char bound[] = "blkdev.poll_us=5000", dflt[] = "blkdev.poll_us=100";
	struct cn_blkdev *bd = &adapt_dev;
	unsigned int i, polled = 0;

	CN_ASSERT_EQ(register_once(bd, &ops), 0);
	CN_ASSERT_EQ(cn_param_set(bound), 0);
	/*
	 * Polling, interrupts off, holds the timer off for its 5 ms window;
	 * sleeping takes 1 ms: 32 poll, 32 sleep, then they sleep.
	 */
	reap_finds = false;
	for (i = 0; i < 32; i++)
		polled += adapt_read();
	CN_EXPECT_EQ(polled, 32);
	for (i = 0, polled = 0; i < 32 + 448; i++)
		polled += adapt_read();
	CN_EXPECT_EQ(polled, 0);
	CN_EXPECT_EQ(bd->stats.polled, 0);
	/*
	 * Now reap() finds the request at once: the next cycle's polls are
	 * faster than its sleeps, and the 448 after them poll.
	 */
	reap_finds = true;
	for (i = 0, polled = 0; i < 32; i++)
		polled += adapt_read();
	CN_EXPECT_EQ(polled, 32);
	for (i = 0, polled = 0; i < 32; i++)
		polled += adapt_read();
	CN_EXPECT_EQ(polled, 0);
	for (i = 0, polled = 0; i < 448; i++)
		polled += adapt_read();
	CN_EXPECT_EQ(polled, 448);
	CN_EXPECT_EQ(bd->stats.polled, 32 + 448);
	CN_ASSERT_EQ(cn_param_set(dflt), 0);
}
