/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * blktest: sectors through blkdev (see Kconfig for the modes). The pattern
 * of sector s is 64 little-endian 64-bit words, word i being
 * (seed + s) * 0x9e3779b97f4a7c15 ^ i; the host test recomputes it to
 * check the disk image file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/biglock.h>
#include <cairn/blkdev.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>
#include <cairn/errname.h>

#define CHUNK	512			/* sectors per request: 256 KiB */

static struct cn_blkdev *bd;
static int failures;

static void fail(const char *what, int got, int want)
{
	printf("blktest: FAIL %s: got %s, expected %s\n", what,
	       got ? cn_errname(got) : "0", want ? cn_errname(want) : "0");
	failures++;
}

static void expect(const char *what, int got, int want)
{
	if (got != want)
		fail(what, got, want);
	else
		printf("blktest: ok %s (%s)\n", what, got ? cn_errname(got) : "0");
}

static void fill(uint64_t *w, uint64_t seed, uint64_t sector, uint32_t count)
{
	uint32_t s, i;

	for (s = 0; s < count; s++) {
		uint64_t base = (seed + sector + s) * 0x9e3779b97f4a7c15ull;

		for (i = 0; i < 64; i++)
			*w++ = base ^ i;
	}
}

static int do_write(uint64_t seed)
{
	static uint64_t buf[CHUNK * 64];
	uint64_t s;
	int rc;

	for (s = 0; s < bd->sectors; s += CHUNK) {
		uint32_t n = bd->sectors - s < CHUNK ? (uint32_t)(bd->sectors - s)
						     : CHUNK;

		fill(buf, seed, s, n);
		rc = cn_blkdev_write(bd, s, buf, n);
		if (rc) {
			fail("write", rc, 0);
			return 1;
		}
	}
	rc = cn_blkdev_flush(bd);
	expect("flush", rc, 0);
	printf("blktest: wrote %llu sectors\n", (unsigned long long)bd->sectors);
	return failures != 0;
}

static int do_verify(uint64_t seed)
{
	static uint64_t buf[CHUNK * 64], want[CHUNK * 64];
	uint64_t s, bad = 0;
	int rc;

	for (s = 0; s < bd->sectors; s += CHUNK) {
		uint32_t n = bd->sectors - s < CHUNK ? (uint32_t)(bd->sectors - s)
						     : CHUNK, i;

		rc = cn_blkdev_read(bd, s, buf, n);
		if (rc) {
			fail("read", rc, 0);
			return 1;
		}
		fill(want, seed, s, n);
		for (i = 0; i < n; i++)
			if (memcmp(buf + 64 * i, want + 64 * i, 512) &&
			    bad++ < 5)
				printf("blktest: sector %llu differs\n",
				       (unsigned long long)(s + i));
	}
	printf("blktest: verified %llu sectors, %llu differ\n",
	       (unsigned long long)bd->sectors, (unsigned long long)bad);
	return bad != 0;
}

static int do_errors(void)
{
	static uint8_t buf[4096];
	uint64_t end = bd->sectors;

	expect("read of the last sector", cn_blkdev_read(bd, end - 1, buf, 1), 0);
	expect("read at the end", cn_blkdev_read(bd, end, buf, 1), -EINVAL);
	expect("read across the end", cn_blkdev_read(bd, end - 1, buf, 2),
	       -EINVAL);
	expect("read far past the end", cn_blkdev_read(bd, ~0ull - 1, buf, 2),
	       -EINVAL);
	expect("read of 0 sectors", cn_blkdev_read(bd, 0, buf, 0), -EINVAL);
	expect("write across the end", cn_blkdev_write(bd, end - 1, buf, 8),
	       -EINVAL);
	expect("read of the first 8 sectors", cn_blkdev_read(bd, 0, buf, 8), 0);
	return failures != 0;
}

static int do_readonly(void)
{
	static uint8_t buf[512], before[512];

	printf("blktest: %s is %s\n", bd->name,
	       bd->read_only ? "read-only" : "read-write");
	expect("read", cn_blkdev_read(bd, 0, before, 1), 0);
	memset(buf, 0x5a, sizeof(buf));
	expect("write", cn_blkdev_write(bd, 0, buf, 1), -EROFS);
	expect("read again", cn_blkdev_read(bd, 0, buf, 1), 0);
	if (memcmp(buf, before, sizeof(buf)))
		fail("sector 0 unchanged", -EIO, 0);
	return failures != 0;
}

#define ASYNC_REQS	256
static unsigned int async_done;
static int async_status;

/* With SMP, completions may run on several CPUs at once. */
static void async_cb(struct cn_blkreq *req)
{
	if (req->status)
		__atomic_store_n(&async_status, req->status, __ATOMIC_RELAXED);
	__atomic_fetch_add(&async_done, 1, __ATOMIC_RELEASE);
}

/* Writes then reads back ASYNC_REQS 4 KiB requests, all queued at once. */
static int do_async(void)
{
	static struct cn_blkreq reqs[ASYNC_REQS];
	static uint64_t data[ASYNC_REQS][512], back[ASYNC_REQS][512];
	unsigned int i, submitted, again = 0, pass;

	for (pass = 0; pass < 2; pass++) {
		async_done = submitted = 0;
		for (i = 0; i < ASYNC_REQS; i++) {
			struct cn_blkreq *r = &reqs[i];
			int rc;

			if (!pass)
				fill(data[i], 42, i * 8, 8);
			memset(r, 0, sizeof(*r));
			r->op = pass ? CN_BLK_READ : CN_BLK_WRITE;
			r->sector = (uint64_t)i * 8;
			r->count = 8;
			r->buf = pass ? back[i] : data[i];
			r->done = async_cb;
			while ((rc = cn_blkdev_submit(bd, r)) == -EAGAIN) {
				again++;
				cn_blkdev_poll(bd);
			}
			if (rc) {
				fail("submit", rc, 0);
				return 1;
			}
			submitted++;
		}
		while (__atomic_load_n(&async_done, __ATOMIC_ACQUIRE) <
		       submitted)
			cn_blkdev_poll(bd);
	}
	printf("blktest: async: %u writes and %u reads, queue depth %u, "
	       "%u times full\n", ASYNC_REQS, ASYNC_REQS, bd->queue_depth, again);
	expect("async status", async_status, 0);
	if (memcmp(data, back, sizeof(data)))
		fail("async data read back", -EIO, 0);
	return failures != 0;
}

/*
 * 4 KiB writes until one fails (the device breaks under it: a fault, a
 * host that takes the drive away), then one read that must fail with
 * -EIO at once: a device that is gone answers errors, never a hang.
 */
static int do_until_error(void)
{
	static uint64_t buf[8 * 64];
	unsigned long n;
	int rc = 0;

	printf("blktest: writing until an error\n");
	for (n = 0; n < 1000000 && !rc; n++) {
		fill(buf, 7, (n * 8) % (bd->sectors - 8), 8);
		rc = cn_blkdev_write(bd, (n * 8) % (bd->sectors - 8), buf, 8);
	}
	if (!rc) {
		fail("an error in 1000000 writes", 0, -EIO);
		return 1;
	}
	printf("blktest: write %lu failed: %s\n", n, cn_errname(rc));
	expect("read after the error", cn_blkdev_read(bd, 0, buf, 8), -EIO);
	return failures ? 1 : 3;
}

/*
 * One thread per CPU (at least two), each writing its own stripe of the
 * disk with its own seed in 4 KiB to 64 KiB requests through the
 * blocking calls, then reading it back, THREAD_ROUNDS times. Even
 * threads are pinned to a CPU, odd ones may run anywhere (and move
 * while they sleep on a request), so with SMP the requests go through
 * every CPU's queue and complete on others. Afterwards the whole disk
 * holds each stripe's last pattern: the host checks it. It also says how
 * often the big lock was taken meanwhile (0 without SMP): block I/O does
 * not take it, so that is about the threads' creation and exit.
 */
#define THREADS_MAX	16
#define THREAD_ROUNDS	3

struct stripe {
	unsigned int idx;
	uint64_t first, count;		/* sectors */
	unsigned long requests, moved;
	int rc;
};

static void *stripe_main(void *arg)
{
	static uint64_t bufs[THREADS_MAX][128 * 64];
	struct stripe *st = arg;
	uint64_t *buf = bufs[st->idx], s;
	unsigned int round, cpu = cn_cpu_id();

	for (round = 0; round < THREAD_ROUNDS; round++) {
		uint64_t seed = 1000 + st->idx * 16 + round;
		uint32_t n;

		for (s = 0; s < st->count; s += n) {
			n = 8u << ((s / 8 + round) % 5);	/* 8..128 */
			if (n > st->count - s)
				n = (uint32_t)(st->count - s);
			fill(buf, seed, st->first + s, n);
			st->rc = cn_blkdev_write(bd, st->first + s, buf, n);
			if (st->rc)
				return NULL;
			st->requests++;
			if (cn_cpu_id() != cpu) {
				st->moved++;
				cpu = cn_cpu_id();
			}
		}
		for (s = 0; s < st->count; s += n) {
			uint64_t want[64];
			uint32_t i, j;

			n = 128;
			if (n > st->count - s)
				n = (uint32_t)(st->count - s);
			st->rc = cn_blkdev_read(bd, st->first + s, buf, n);
			if (st->rc)
				return NULL;
			st->requests++;
			for (i = 0; i < n; i++) {
				fill(want, seed, st->first + s + i, 1);
				for (j = 0; j < 64; j++)
					if (buf[i * 64 + j] != want[j]) {
						printf("blktest: thread %u: sector "
						       "%llu differs\n", st->idx,
						       (unsigned long long)
						       (st->first + s + i));
						st->rc = -EIO;
						return NULL;
					}
			}
		}
	}
	st->rc = cn_blkdev_flush(bd);
	return NULL;
}

static int do_threads(void)
{
	static struct stripe st[THREADS_MAX];
	struct cn_thread *t[THREADS_MAX];
	unsigned int cpus = cn_cpu_online(), n = cpus < 2 ? 2 : cpus, i;
	unsigned long requests = 0, moved = 0;
	struct cn_big_stats big0, big1;
	uint64_t per;

	if (n > THREADS_MAX)
		n = THREADS_MAX;
	per = bd->sectors / n / 8 * 8;
	cn_big_stats_read(&big0);
	for (i = 0; i < n; i++) {
		struct cn_thread_attr a = {
			.name = "stripe",
			.cpu_mask = i % 2 ? 0 : 1ull << (i / 2 % cpus),
		};
		int rc;

		st[i].idx = i;
		st[i].first = i * per;
		st[i].count = i == n - 1 ? bd->sectors - i * per : per;
		rc = cn_thread_create(&t[i], &a, stripe_main, &st[i]);
		if (rc) {
			fail("thread create", rc, 0);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		cn_thread_join(t[i], NULL);
		if (st[i].rc)
			fail("a stripe's writes and reads", st[i].rc, 0);
		requests += st[i].requests;
		moved += st[i].moved;
	}
	cn_big_stats_read(&big1);
	printf("blktest: threads: %u threads on %u CPUs, %lu requests, "
	       "%lu moved to another CPU\n", n, cpus, requests, moved);
	printf("blktest: threads: big lock taken %llu times\n",
	       (unsigned long long)(big1.taken - big0.taken));
	return failures != 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	int rc;

	bd = cn_blkdev_get(0);
	if (!bd) {
		printf("blktest: no block device\n");
		return 2;
	}
	if (strcmp(mode, "write") == 0)
		rc = do_write(seed);
	else if (strcmp(mode, "verify") == 0)
		rc = do_verify(seed);
	else if (strcmp(mode, "errors") == 0)
		rc = do_errors();
	else if (strcmp(mode, "readonly") == 0)
		rc = do_readonly();
	else if (strcmp(mode, "async") == 0)
		rc = do_async();
	else if (strcmp(mode, "until-error") == 0)
		rc = do_until_error();
	else if (strcmp(mode, "threads") == 0)
		rc = do_threads();
	else {
		printf("blktest: usage: blktest write|verify SEED | errors | "
		       "readonly | async | until-error | threads\n");
		return 1;
	}
	printf("blktest: %s: %s reads %llu writes %llu flushes %llu errors %llu "
	       "polled %llu\n", mode, bd->name,
	       (unsigned long long)bd->stats.reads,
	       (unsigned long long)bd->stats.writes,
	       (unsigned long long)bd->stats.flushes,
	       (unsigned long long)bd->stats.errors,
	       (unsigned long long)bd->stats.polled);
	return rc;
}
