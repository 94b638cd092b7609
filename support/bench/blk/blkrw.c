/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sequential block I/O benchmark (make bench-blk): one program for both
 * sides. On Linux it reads and writes a block device with O_DIRECT
 * pread()/pwrite(), one request at a time, as `dd iflag=direct` or
 * `oflag=direct` would; on Cairn (apps/bench-blkdev links here) it does
 * the same with the synchronous blkdev calls cn_blkdev_read() and
 * cn_blkdev_write() on blk0. Only the four I/O primitives differ
 * (#ifdef __cairn__).
 *
 * A round, for each request size (4 KiB, 64 KiB): write MB bytes from the
 * start of the device, one request after the other, then one flush
 * (fdatasync on Linux, cn_blkdev_flush on Cairn: both a virtio-blk
 * FLUSH when the device has a write cache); then read them back the same
 * way. Each pass is timed with CLOCK_MONOTONIC (Linux) or cn_time_ns()
 * (Cairn) from its first request to its last completion. The first
 * round is a warm-up; then RUNS rounds. Output, one `key: value` a line,
 * the medians over the rounds in MB/s (10^6 bytes per second), with
 * the slowest and fastest round:
 *
 *   write_4k_mb_per_s: X   write_4k_mb_per_s_min: ..  ..._max: ..
 *   read_4k_mb_per_s: ...  write_64k_...  read_64k_...
 *
 * On Cairn the same passes then run asynchronously too, with DEPTH
 * requests in flight (cn_blkdev_submit(), completions counted in the
 * done callback): async_write_4k_mb_per_s ... (no Linux counterpart).
 *
 * Usage: blkrw [DEVICE [MB [RUNS [DEPTH]]]]
 *        (defaults /dev/vda, 32, 3, 16; DEVICE is ignored on Cairn)
 * The data on the device is overwritten. Exit status 0, 1 on an I/O
 * error, 2 on bad arguments or without a device.
 * Build (Linux): gcc -O2 -static -o blkrw blkrw.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS	100
#define MAX_DEPTH	64
#define MAX_REQ		(64 * 1024)

static const unsigned int req_sizes[] = { 4096, 65536 };
static uint64_t pass_bytes;
static uint8_t *buf;		/* MAX_REQ * MAX_DEPTH, 4 KiB aligned */

#ifdef __cairn__
#include <cairn/arch.h>
#include <cairn/blkdev.h>
#include <cairn/sched.h>
#include <cairn/timer.h>

static struct cn_blkdev *bd;

static long long now_ns(void)
{
	return (long long)cn_time_ns();
}

static int dev_open(const char *path, uint64_t *size)
{
	(void)path;
	bd = cn_blkdev_get(0);
	if (!bd) {
		printf("blkrw: no block device\n");
		return -ENODEV;
	}
	*size = bd->sectors * bd->sector_size;
	printf("blkrw: %s (%s at %s), %llu MiB, sectors of %u bytes, queue "
	       "depth %u, %s\n", bd->name, bd->driver, bd->bus,
	       (unsigned long long)(*size >> 20), bd->sector_size,
	       bd->queue_depth, bd->can_flush ? "write cache" : "no write cache");
	return 0;
}

static int dev_io(int write, uint64_t off, void *p, size_t len)
{
	uint64_t sector = off / bd->sector_size;
	uint32_t count = (uint32_t)(len / bd->sector_size);

	return write ? cn_blkdev_write(bd, sector, p, count)
		     : cn_blkdev_read(bd, sector, p, count);
}

static int dev_flush(void)
{
	return cn_blkdev_flush(bd);
}

/* ---- asynchronous passes (Cairn only) ---- */

static struct cn_waitq async_wq = CN_WAITQ_INIT;
static struct cn_blkreq reqs[MAX_DEPTH];
static struct cn_blkreq *free_reqs[MAX_DEPTH];	/* a stack */
static volatile unsigned int nr_free, async_done;
static volatile int async_err;

/* Interrupt context: the request's slot is free again. */
static void async_cb(struct cn_blkreq *req)
{
	if (req->status)
		async_err = req->status;
	free_reqs[nr_free++] = req;
	async_done++;
	cn_waitq_wake_all(&async_wq);
}

/*
 * One pass with up to depth requests in flight; returns ns or -errno.
 * Completions may come out of order: each request has its own slot (and
 * buffer), taken from free_reqs and put back by async_cb. Interrupts
 * stay off except while waiting, so async_cb never races the loop.
 */
static long long async_pass(int write, size_t req, unsigned int depth)
{
	uint64_t nreq = pass_bytes / req, sent = 0;
	uint32_t per = (uint32_t)(req / bd->sector_size);
	unsigned long flags;
	long long t0 = now_ns();
	unsigned int i;
	int rc = 0;

	async_done = 0;
	async_err = 0;
	for (i = 0; i < depth; i++)
		free_reqs[i] = &reqs[i];
	nr_free = depth;
	flags = cn_arch_irq_save();
	while (async_done < nreq && !async_err) {
		while (sent < nreq && nr_free) {
			struct cn_blkreq *r = free_reqs[--nr_free];

			memset(r, 0, sizeof(*r));
			r->op = write ? CN_BLK_WRITE : CN_BLK_READ;
			r->sector = sent * per;
			r->count = per;
			r->buf = buf + (size_t)(r - reqs) * MAX_REQ;
			r->done = async_cb;
			rc = cn_blkdev_submit(bd, r);
			if (rc) {
				free_reqs[nr_free++] = r;
				if (rc != -EAGAIN)
					goto out;
				break;		/* device queue full */
			}
			sent++;
		}
		if (async_done < sent)
			cn_waitq_wait(&async_wq, 0);
	}
	rc = 0;
out:
	/* On an error, let what is in flight finish before reusing slots. */
	while (async_done < sent)
		cn_waitq_wait(&async_wq, 0);
	cn_arch_irq_restore(flags);
	if (rc || async_err)
		return rc ? rc : async_err;
	if (write && (rc = dev_flush()))
		return rc;
	return now_ns() - t0;
}
#else /* Linux */
#include <linux/fs.h>
#include <sys/ioctl.h>

static int fd = -1;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int dev_open(const char *path, uint64_t *size)
{
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, size)) {
		fprintf(stderr, "blkrw: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	printf("blkrw: %s, %llu MiB, O_DIRECT\n", path,
	       (unsigned long long)(*size >> 20));
	return 0;
}

static int dev_io(int write, uint64_t off, void *p, size_t len)
{
	ssize_t n = write ? pwrite(fd, p, len, (off_t)off)
			  : pread(fd, p, len, (off_t)off);

	if (n == (ssize_t)len)
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int dev_flush(void)
{
	return fdatasync(fd) ? -errno : 0;
}
#endif

/* One synchronous pass; returns ns or -errno. */
static long long sync_pass(int write, size_t req)
{
	long long t0 = now_ns();
	uint64_t off;
	int rc;

	for (off = 0; off + req <= pass_bytes; off += req) {
		rc = dev_io(write, off, buf, req);
		if (rc)
			return rc;
	}
	if (write && (rc = dev_flush()))
		return rc;
	return now_ns() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *prefix, const char *op, unsigned int req,
		   double *v, int n)
{
	double med;

	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	printf("%s%s_%uk_mb_per_s: %.2f\n", prefix, op, req / 1024, med);
	printf("%s%s_%uk_mb_per_s_min: %.2f\n", prefix, op, req / 1024, v[0]);
	printf("%s%s_%uk_mb_per_s_max: %.2f\n", prefix, op, req / 1024,
	       v[n - 1]);
}

/*
 * Runs warm-up + runs rounds of (write, read) per request size with
 * pass(); prints the figures under prefix. 0 or 1 (an I/O error).
 */
static int measure(const char *prefix, long long (*pass)(int, size_t),
		   int runs)
{
	double mbps[2][2][MAX_RUNS];	/* [size][write?][round] */
	unsigned int s;
	int r, w;

	for (r = -1; r < runs; r++) {
		for (s = 0; s < 2; s++) {
			for (w = 1; w >= 0; w--) {
				long long ns = pass(w, req_sizes[s]);

				if (ns < 0) {
					printf("blkrw: %s%s of %u bytes failed: "
					       "%lld\n", prefix, w ? "write" :
					       "read", req_sizes[s], ns);
					return 1;
				}
				if (r >= 0)
					mbps[s][w][r] = (double)pass_bytes * 1e3
							/ (double)ns;
			}
		}
	}
	for (s = 0; s < 2; s++) {
		report(prefix, "write", req_sizes[s], mbps[s][1], runs);
		report(prefix, "read", req_sizes[s], mbps[s][0], runs);
	}
	return 0;
}

#ifdef __cairn__
static unsigned int async_depth;

static long long async_pass_depth(int write, size_t req)
{
	return async_pass(write, req, async_depth);
}
#endif

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/vda";
	long mb = argc > 2 ? strtol(argv[2], NULL, 0) : 32;
	int runs = argc > 3 ? atoi(argv[3]) : 3;
	int depth = argc > 4 ? atoi(argv[4]) : 16;
	uint64_t size;
	int rc;

	if (argc > 5 || mb < 1 || runs < 1 || runs > MAX_RUNS || depth < 1 ||
	    depth > MAX_DEPTH) {
		printf("blkrw: usage: blkrw [DEVICE [MB [RUNS 1-%d [DEPTH "
		       "1-%d]]]]\n", MAX_RUNS, MAX_DEPTH);
		return 2;
	}
	if (dev_open(dev, &size))
		return 2;
	pass_bytes = (uint64_t)mb << 20;
	if (pass_bytes > size) {
		printf("blkrw: the device has %llu MiB, fewer than %ld\n",
		       (unsigned long long)(size >> 20), mb);
		return 2;
	}
	buf = aligned_alloc(4096, (size_t)MAX_REQ * MAX_DEPTH);
	if (!buf) {
		printf("blkrw: out of memory\n");
		return 1;
	}
	memset(buf, 0xa5, (size_t)MAX_REQ * MAX_DEPTH);
	printf("blkrw: %ld MiB a pass, requests of 4 and 64 KiB, warm-up + "
	       "%d rounds, synchronous (one request at a time)\n", mb, runs);
	rc = measure("", sync_pass, runs);
#ifdef __cairn__
	if (!rc) {
		async_depth = (unsigned int)depth;
		if (async_depth > bd->queue_depth)
			async_depth = bd->queue_depth;
		printf("blkrw: asynchronous: cn_blkdev_submit() with %u "
		       "requests in flight\n", async_depth);
		printf("async_depth: %u\n", async_depth);
		rc = measure("async_", async_pass_depth, runs);
	}
	printf("blkrw: %s: %llu reads (%llu MiB), %llu writes (%llu MiB), "
	       "%llu flushes, %llu errors, %llu found by polling\n", bd->name,
	       (unsigned long long)bd->stats.reads,
	       (unsigned long long)(bd->stats.read_bytes >> 20),
	       (unsigned long long)bd->stats.writes,
	       (unsigned long long)(bd->stats.written_bytes >> 20),
	       (unsigned long long)bd->stats.flushes,
	       (unsigned long long)bd->stats.errors,
	       (unsigned long long)bd->stats.polled);
#endif
	return rc;
}
