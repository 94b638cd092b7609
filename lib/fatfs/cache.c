/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sector cache of a FAT volume: LRU, write-back, hashed by sector.
 *
 * Crash safety rests on the order in which dirty sectors reach the disk
 * (fs_writeback): file data first, then the FAT (all copies), a flush,
 * then directory sectors, a flush, and only then the clusters files gave
 * up are marked free (their FAT sectors written once more). So at any
 * instant the disk holds either the old directory entry with its old,
 * still allocated chain, or the new one whose data and chain are already
 * there: a crash costs lost clusters, not a directory entry pointing at
 * garbage or at a chain another file reuses. Evicting a dirty FAT or
 * directory sector runs the whole ordered write-back first; data sectors
 * go out alone (writing data early is always safe).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/blkdev.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include "fatfs_priv.h"

/* Merged writes are at most this long (and never longer than the cache). */
#define STAGE_MAX	(1u << 20)

int cache_init(struct fatfs *fs)
{
	unsigned int i, n = (CONFIG_LIB_FATFS_CACHE_KB * 1024u) /
			    fs->g.sector_size;

	if (n < 16)
		n = 16;
	fs->nbufs = n;
	fs->bufs = calloc(n, sizeof(*fs->bufs));
	fs->hash = malloc(n * sizeof(*fs->hash));
	fs->stage_bytes = n * fs->g.sector_size < STAGE_MAX ?
			  n * fs->g.sector_size : STAGE_MAX;
	fs->stage = malloc(fs->stage_bytes);
	if (!fs->bufs || !fs->hash || !fs->stage)
		goto err;
	for (i = 0; i < n; i++) {
		fs->hash[i] = -1;
		fs->bufs[i].data = malloc(fs->g.sector_size);
		if (!fs->bufs[i].data)
			goto err;
	}
	return 0;
err:
	cache_free(fs);
	return -ENOMEM;
}

void cache_free(struct fatfs *fs)
{
	unsigned int i;

	if (fs->bufs)
		for (i = 0; i < fs->nbufs; i++)
			free(fs->bufs[i].data);
	free(fs->bufs);
	free(fs->hash);
	free(fs->stage);
	fs->bufs = NULL;
	fs->hash = NULL;
	fs->stage = NULL;
}

int fs_read_sectors(struct fatfs *fs, uint32_t sec, void *buf, uint32_t n)
{
	return cn_blkdev_read(fs->bd, (uint64_t)sec * fs->dev_per_sec, buf,
			      n * fs->dev_per_sec);
}

static int write_sectors(struct fatfs *fs, uint32_t sec, const void *buf,
			 uint32_t n)
{
	int r = cn_blkdev_write(fs->bd, (uint64_t)sec * fs->dev_per_sec, buf,
				n * fs->dev_per_sec);

	if (r && !fs->error) {
		cn_pr_err("%s: write of sector %u failed: %d (%s); the volume "
			  "is now read-only", fs->bd->name, (unsigned int)sec,
			  r, cn_errname(r));
		fs->error = -EIO;
	}
	return r ? -EIO : 0;
}

static unsigned int hash_of(const struct fatfs *fs, uint32_t sec)
{
	return (sec * 2654435761u) % fs->nbufs;
}

static void unhash(struct fatfs *fs, struct buf *b)
{
	int *pp = &fs->hash[hash_of(fs, b->sec)], i = (int)(b - fs->bufs);

	while (*pp != -1 && *pp != i)
		pp = &fs->bufs[*pp].hnext;
	if (*pp == i)
		*pp = b->hnext;
	b->valid = false;
}

/* How many times sector sec is on disk: a FAT sector once per FAT. */
static uint32_t copies_of(const struct fatfs *fs, const struct buf *b)
{
	return b->kind == BUF_FAT && b->sec >= fs->g.reserved &&
	       b->sec < fs->g.reserved + fs->g.fat_sectors ? fs->g.nfats : 1;
}

/*
 * Writes n cached sectors that follow each other on disk (list[0] the
 * first) in one request per copy: a FAT sector goes to every FAT, and
 * only the sectors that changed (the dirty ones) are written.
 */
static int write_run(struct fatfs *fs, struct buf **list, unsigned int n)
{
	uint32_t i, copies = copies_of(fs, list[0]), ss = fs->g.sector_size;
	const uint8_t *src = list[0]->data;
	int r = 0;

	if (n > 1) {
		for (i = 0; i < n; i++)
			memcpy(fs->stage + (size_t)i * ss, list[i]->data, ss);
		src = fs->stage;
	}
	for (i = 0; i < copies && !r; i++)
		r = write_sectors(fs, list[0]->sec + i * fs->g.fat_sectors, src,
				  n);
	for (i = 0; i < n && !r; i++) {
		list[i]->dirty = false;
		fs->ndirty[list[i]->kind]--;
	}
	return r;
}

static int write_buf(struct fatfs *fs, struct buf *b)
{
	return write_run(fs, &b, 1);
}

static int by_sector(const void *x, const void *y)
{
	const struct buf *a = *(struct buf *const *)x;
	const struct buf *b = *(struct buf *const *)y;

	return a->sec < b->sec ? -1 : a->sec > b->sec;
}

/*
 * Writes every dirty buffer of kind, sorted by sector, each run of
 * sectors that follow each other (up to the stage's size, all with the
 * same number of copies) in one request per copy: a sequential file's
 * data and the FAT sectors its chain touched cost a few large requests,
 * not one per sector.
 */
static int write_kind(struct fatfs *fs, int kind)
{
	struct buf **list;
	unsigned int i, j, n = 0, max = fs->stage_bytes / fs->g.sector_size;
	int r = 0;

	if (!fs->ndirty[kind])
		return 0;
	list = malloc(fs->nbufs * sizeof(*list));
	if (!list)
		return -ENOMEM;
	for (i = 0; i < fs->nbufs; i++)
		if (fs->bufs[i].valid && fs->bufs[i].dirty &&
		    fs->bufs[i].kind == kind)
			list[n++] = &fs->bufs[i];
	qsort(list, n, sizeof(*list), by_sector);
	for (i = 0; i < n && !r; i = j) {
		j = i + 1;
		while (j < n && j - i < max &&
		       list[j]->sec == list[i]->sec + (j - i) &&
		       copies_of(fs, list[j]) == copies_of(fs, list[i]))
			j++;
		r = write_run(fs, list + i, j - i);
	}
	free(list);
	return r;
}

static int flush(struct fatfs *fs)
{
	int r = cn_blkdev_flush(fs->bd);

	if (r && !fs->error) {
		cn_pr_err("%s: flush failed: %d (%s)", fs->bd->name, r,
			  cn_errname(r));
		fs->error = -EIO;
	}
	return r ? -EIO : 0;
}

static int write_fsinfo(struct fatfs *fs)
{
	struct buf *b;
	int r;

	if (!fs->fsinfo_dirty || fs->g.type != 32 || !fs->g.fsinfo)
		return 0;
	r = buf_get(fs, fs->g.fsinfo, BUF_FAT, 0, &b);
	if (r)
		return r;
	fs->fsinfo_dirty = false;
	if (cn_fatfs_le32(b->data) != 0x41615252 ||
	    cn_fatfs_le32(b->data + 484) != 0x61417272)
		return 0;		/* no valid FSInfo: leave it alone */
	cn_fatfs_put32(b->data + 488, fs->free_count);
	cn_fatfs_put32(b->data + 492, fs->next_free);
	return write_sectors(fs, b->sec, b->data, 1);
}

int fs_writeback(struct fatfs *fs)
{
	unsigned int i;
	int r;

	if (fs->in_writeback)
		return 0;
	if (fs->error)
		return fs->error;
	fs->in_writeback = true;
	r = write_kind(fs, BUF_DATA);
	if (!r)
		r = write_kind(fs, BUF_FAT);
	if (!r && (fs->ndirty[BUF_DIR] || fs->npending)) {
		r = flush(fs);
		if (!r)
			r = write_kind(fs, BUF_DIR);
	}
	if (!r && fs->npending) {
		r = flush(fs);
		for (i = 0; i < fs->npending && !r; i++)
			r = free_chain_now(fs, fs->pending[i]);
		fs->npending = 0;
		if (!r)
			r = write_kind(fs, BUF_FAT);
	}
	if (!r)
		r = write_fsinfo(fs);
	fs->in_writeback = false;
	return r;
}

int fs_sync(struct fatfs *fs)
{
	int r;

	if (fs->mnt->flags & CN_MOUNT_RDONLY)
		return 0;
	r = fs_writeback(fs);
	return r ? r : flush(fs);
}

/*
 * CLOCK: the hand clears recently used marks until it finds none. Dirty
 * FAT and directory sectors are passed over while anything else can go:
 * evicting one runs the whole ordered write-back, flushes included, so
 * a long sequential write would otherwise pay a flush every time the
 * hand came round to the FAT sector its allocations keep dirtying. They
 * are few (a FAT sector maps 128 clusters or more; buf_get writes the
 * FAT out before it fills a quarter of the cache) and wait for fsync.
 */
static struct buf *victim(struct fatfs *fs)
{
	unsigned int i;

	for (i = 0; i < 2 * fs->nbufs; i++) {
		struct buf *b = &fs->bufs[fs->hand];

		fs->hand = (fs->hand + 1) % fs->nbufs;
		if (!b->valid)
			return b;
		if (b->dirty && b->kind != BUF_DATA)
			continue;
		if (!b->ref)
			return b;
		b->ref = false;
	}
	return &fs->bufs[fs->hand];
}

bool buf_cached(struct fatfs *fs, uint32_t sec)
{
	int i;

	for (i = fs->hash[hash_of(fs, sec)]; i != -1; i = fs->bufs[i].hnext)
		if (fs->bufs[i].sec == sec)
			return true;
	return false;
}

int fs_write_sectors(struct fatfs *fs, uint32_t sec, const void *buf,
		     uint32_t n)
{
	return write_sectors(fs, sec, buf, n);
}

int buf_get(struct fatfs *fs, uint32_t sec, int kind, int flags,
	    struct buf **out)
{
	unsigned int h = hash_of(fs, sec);
	struct buf *b;
	int i, r;

	if (sec >= fs->g.total_sectors)
		return -EIO;
	if (sec < fs->g.data_start)
		kind = sec < fs->g.root_start ? BUF_FAT : BUF_DIR;
again:
	for (i = fs->hash[h]; i != -1; i = fs->bufs[i].hnext) {
		b = &fs->bufs[i];
		if (b->sec == sec) {
			if (b->dirty && b->kind != kind) {
				fs->ndirty[b->kind]--;
				fs->ndirty[kind]++;
			}
			b->kind = (uint8_t)kind;
			b->ref = true;
			if (flags & BUF_NOREAD)
				memset(b->data, 0, fs->g.sector_size);
			*out = b;
			return 0;
		}
	}
	if (!fs->in_writeback && fs->ndirty[BUF_FAT] > fs->nbufs / 4) {
		/*
		 * The FAT sectors a long write dirties would crowd the data
		 * out (and make the hand's search long): write the data and
		 * the FAT now. That is the start of the ordered write-back,
		 * so it leaves the disk in a state a crash may leave anyway.
		 */
		r = write_kind(fs, BUF_DATA);
		if (!r)
			r = write_kind(fs, BUF_FAT);
		if (r)
			return r;
	}
	b = victim(fs);
	if (b->valid && b->dirty) {
		if (fs->in_writeback) {
			r = write_buf(fs, b);
		} else if (b->kind == BUF_DATA) {
			/* All dirty data at once, in merged runs. */
			r = write_kind(fs, BUF_DATA);
		} else {
			/* May use the cache itself: look again after it. */
			r = fs_writeback(fs);
			if (!r)
				goto again;
		}
		if (r)
			return r;
	}
	if (b->valid)
		unhash(fs, b);
	if (flags & BUF_NOREAD) {
		memset(b->data, 0, fs->g.sector_size);
	} else {
		r = fs_read_sectors(fs, sec, b->data, 1);
		if (r)
			return r;
	}
	b->sec = sec;
	b->kind = (uint8_t)kind;
	b->dirty = false;
	b->valid = true;
	b->ref = true;
	b->hnext = fs->hash[h];
	fs->hash[h] = (int)(b - fs->bufs);
	*out = b;
	return 0;
}

void buf_dirty(struct fatfs *fs, struct buf *b)
{
	if (!b->dirty) {
		b->dirty = true;
		fs->ndirty[b->kind]++;
	}
}
