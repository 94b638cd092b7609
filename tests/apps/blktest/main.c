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
#include <cairn/blkdev.h>
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
static volatile unsigned int async_done;
static int async_status;

static void async_cb(struct cn_blkreq *req)
{
	if (req->status)
		async_status = req->status;
	async_done++;
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
		while (async_done < submitted)
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
	else {
		printf("blktest: usage: blktest write|verify SEED | errors | "
		       "readonly | async | until-error\n");
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
