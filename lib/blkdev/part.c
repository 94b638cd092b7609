/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Partitions: "blk0p1" is partition 1 of blk0, found in its MBR or GPT
 * the first time someone asks for it by name (cn_blkdev_find), and then
 * registered as a block device of its own whose requests are the
 * parent's, shifted by the partition's start. Primary MBR entries are
 * partitions 1-4 and logical ones in an extended partition 5 onwards, as
 * Linux numbers them (the chain of extended boot records must move
 * forward inside the extended partition, so a loop ends); a protective MBR
 * (type 0xee) sends us to the GPT header in sector 1, whose entries are
 * partitions 1-128 in table order. Both are checked against the disk
 * size; anything that does not add up is no partition.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/blkdev_driver.h>
#include <cairn/log.h>
#include "blkdev_priv.h"

struct part_req {
	struct cn_blkreq child;		/* what the parent sees */
	struct cn_blkreq *orig;		/* NULL: free; claimed by a CAS */
};

struct part {
	struct cn_blkdev bd;
	struct cn_blkdev *parent;
	uint64_t start;
	struct part_req *reqs;		/* queue_depth of them */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void part_done(struct cn_blkreq *child)
{
	struct part_req *pr = child->arg;
	struct cn_blkreq *orig = pr->orig;
	struct part *p = orig->priv;
	int status = child->status;

	__atomic_store_n(&pr->orig, NULL, __ATOMIC_RELEASE);
	cn_blkdev_complete(&p->bd, orig, status);
}

static int part_submit(struct cn_blkdev *bd, struct cn_blkreq *req)
{
	struct part *p = bd->priv;
	unsigned int i;
	int r;

	/* Other CPUs submit too: a free entry is taken by a CAS. */
	for (i = 0; i < bd->queue_depth; i++) {
		struct cn_blkreq *none = NULL;

		if (__atomic_compare_exchange_n(&p->reqs[i].orig, &none, req,
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
	}
	if (i == bd->queue_depth)
		return -EAGAIN;
	req->priv = p;
	p->reqs[i].child = (struct cn_blkreq){
		.op = req->op, .sector = req->sector + p->start,
		.count = req->count, .buf = req->buf, .done = part_done,
		.arg = &p->reqs[i],
	};
	r = cn_blkdev_submit(p->parent, &p->reqs[i].child);
	if (r)
		__atomic_store_n(&p->reqs[i].orig, NULL, __ATOMIC_RELEASE);
	return r;
}

static void part_poll(struct cn_blkdev *bd)
{
	struct part *p = bd->priv;

	cn_blkdev_poll(p->parent);
}

static void part_reap(struct cn_blkdev *bd)
{
	struct part *p = bd->priv;

	p->parent->ops->reap(p->parent);
}

/* Without the disk's ready(), the caller reaps in its loop. */
static bool part_ready(struct cn_blkdev *bd)
{
	struct part *p = bd->priv;

	return !p->parent->ops->ready || p->parent->ops->ready(p->parent);
}

static const struct cn_blkdev_ops part_ops = {
	.submit = part_submit,
	.poll = part_poll,
};

/* The same, for a disk whose driver reaps cheaply (blkdev.poll_us). */
static const struct cn_blkdev_ops part_reap_ops = {
	.submit = part_submit,
	.poll = part_poll,
	.reap = part_reap,
	.ready = part_ready,
};

static int is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/*
 * Logical partition n (5 onwards) of the MBR in b (a sector buffer that
 * is reused): the extended partition's first EBR describes partition 5
 * (start relative to that EBR) and links to the next EBR (start relative
 * to the extended partition), and so on.
 */
static int find_logical(struct cn_blkdev *disk, uint8_t *b, unsigned int n,
			uint64_t *start, uint64_t *count)
{
	uint64_t ext = 0, end = 0, ebr, next, first, len;
	unsigned int i, k;
	uint8_t *e;

	for (i = 0; i < 4 && !ext; i++) {
		e = b + 446 + i * 16;
		if (is_extended(e[4])) {
			ext = le32(e + 8);
			end = ext + le32(e + 12);
		}
	}
	if (!ext || end <= ext || end > disk->sectors)
		return -ENOENT;
	for (ebr = ext, k = 5;; k++) {
		if (cn_blkdev_read(disk, ebr, b, 1) || b[510] != 0x55 ||
		    b[511] != 0xaa)
			return -ENOENT;
		e = b + 446;
		if (k == n) {
			first = le32(e + 8);
			len = le32(e + 12);
			if (!e[4] || is_extended(e[4]) || !first || !len ||
			    ebr + first + len > end)
				return -ENOENT;
			*start = ebr + first;
			*count = len;
			return 0;
		}
		e += 16;
		next = ext + le32(e + 8);
		if (!is_extended(e[4]) || next <= ebr || next >= end)
			return -ENOENT;		/* end of the chain, or a loop */
		ebr = next;
	}
}

/* Finds partition n of disk: 0 with *start, *count (sectors), or -ENOENT. */
static int find_part(struct cn_blkdev *disk, unsigned int n, uint64_t *start,
		     uint64_t *count)
{
	uint32_t ss = disk->sector_size;
	uint8_t *b = malloc(ss), *e;
	uint64_t lba, first, last;
	uint32_t num, esz;
	int r = -ENOENT;

	if (!b)
		return -ENOMEM;
	if (cn_blkdev_read(disk, 0, b, 1) || b[510] != 0x55 || b[511] != 0xaa)
		goto out;
	e = b + 446;
	if (e[4] == 0xee) {		/* GPT */
		if (cn_blkdev_read(disk, 1, b, 1) || memcmp(b, "EFI PART", 8))
			goto out;
		lba = le64(b + 72);
		num = le32(b + 80);
		esz = le32(b + 84);
		if (!n || n > num || esz < 128 || esz > ss || ss % esz)
			goto out;
		lba += (uint64_t)(n - 1) * esz / ss;
		if (lba >= disk->sectors || cn_blkdev_read(disk, lba, b, 1))
			goto out;
		e = b + (uint64_t)(n - 1) * esz % ss;
		first = le64(e + 32);
		last = le64(e + 40);
		if (!memcmp(e, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) ||
		    first > last || last >= disk->sectors)
			goto out;
		*start = first;
		*count = last - first + 1;
		r = 0;
		goto out;
	}
	if (n > 4) {
		r = find_logical(disk, b, n, start, count);
		goto out;
	}
	if (!n)
		goto out;
	e = b + 446 + (n - 1) * 16;
	first = le32(e + 8);
	last = le32(e + 12);		/* a count */
	if ((e[0] & 0x7f) || !e[4] || !first || !last ||
	    first + last > disk->sectors)
		goto out;
	*start = first;
	*count = last;
	r = 0;
out:
	free(b);
	return r;
}

/* cn_blkdev_find's fallback for "<disk>p<N>". */
struct cn_blkdev *cn_blkdev_find_part(const char *name)
{
	const char *pp = strrchr(name, 'p');
	struct cn_blkdev *disk;
	char dname[sizeof(disk->name)];
	unsigned long n;
	uint64_t start, count;
	struct part *p;
	char *end;
	int r;

	if (!pp || pp == name || (size_t)(pp - name) >= sizeof(dname) ||
	    pp[1] < '1' || pp[1] > '9')
		return NULL;
	n = strtoul(pp + 1, &end, 10);
	if (*end || n > 128)
		return NULL;
	memcpy(dname, name, (size_t)(pp - name));
	dname[pp - name] = '\0';
	disk = cn_blkdev_find(dname);
	if (!disk || find_part(disk, (unsigned int)n, &start, &count))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->reqs = calloc(disk->queue_depth, sizeof(*p->reqs));
	if (!p->reqs)
		goto err;
	p->parent = disk;
	p->start = start;
	p->bd = (struct cn_blkdev){
		.sector_size = disk->sector_size, .sectors = count,
		.max_sectors = disk->max_sectors,
		.queue_depth = disk->queue_depth,
		.read_only = disk->read_only, .can_flush = disk->can_flush,
		.driver = "partition", .bus = disk->name,
		.ops = disk->ops->reap ? &part_reap_ops : &part_ops,
		.priv = p,
	};
	snprintf(p->bd.name, sizeof(p->bd.name), "%s", name);
	r = cn_blkdev_register_named(&p->bd);
	if (r == -EEXIST) {
		/* Another thread made it meanwhile: that one (registered,
		 * so the lookup does not come back here). */
		free(p->reqs);
		free(p);
		return cn_blkdev_find(name);
	}
	if (r)
		goto err;
	cn_pr_info("%s: partition %lu of %s, sectors %llu-%llu", name, n,
		   disk->name, (unsigned long long)start,
		   (unsigned long long)(start + count - 1));
	return &p->bd;
err:
	free(p->reqs);
	free(p);
	return NULL;
}
