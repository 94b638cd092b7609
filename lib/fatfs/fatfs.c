/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fatfs: FAT12, FAT16 and FAT32 with VFAT long names on a block device of
 * lib/blkdev, mounted with vfs.mount="fat:/data:dev=blk0".
 *
 * Sectors go through a write-back cache (cache.c). A vnode (struct fnode)
 * lives while the VFS holds it; it is found again by where its short
 * directory entry is (parent directory's first cluster, entry index), so
 * one file has one vnode. The node keeps the first cluster, size and
 * attributes; every change is written into the cached directory entry
 * at once, so the cache always holds a consistent volume and write-back
 * order alone decides what a crash leaves (cache.c, README.md).
 *
 * Clusters a file gives up are not free at once: they go on a pending
 * list, marked free in the FAT only after the directory entries that
 * dropped them reached the disk. A crash therefore leaves lost clusters
 * at worst, never a directory entry pointing at a free or reused chain.
 *
 * Everything runs under the VFS lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cairn/blkdev.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include <cairn/vfs_fs.h>
#include "fatfs_priv.h"

#define MAX_DIR_ENTRIES	65536		/* as the FAT specification */
#define FILE_MAX	0xffffffffull

static const struct cn_vnode_ops dir_ops, file_ops;

static struct fnode *FN(struct cn_vnode *vn)
{
	return (struct fnode *)vn;
}

/* The first cluster a directory's entries start at (0: fixed root). */
static uint32_t dir_first(const struct fnode *d)
{
	return d->first;
}

static uint64_t make_ino(uint32_t pfirst, uint32_t idx)
{
	return ((uint64_t)pfirst << 20 | idx) + 2;
}

/* --- clusters ------------------------------------------------------- */

int fat_get(struct fatfs *fs, uint32_t n, uint32_t *v)
{
	uint64_t off = cn_fatfs_fat_offset(&fs->g, n);
	uint32_t ss = fs->g.sector_size, sec = fs->g.reserved +
		       (uint32_t)(off / ss), o = (uint32_t)(off % ss);
	unsigned int w = fs->g.type == 32 ? 4 : 2, i;
	uint8_t b[4] = { 0 };
	struct buf *bf;
	int r;

	if (!cn_fatfs_valid_cluster(&fs->g, n))
		return -EIO;
	for (i = 0; i < w; i++) {
		if (i == 0 || o + i == ss) {
			r = buf_get(fs, sec + (o + i) / ss, BUF_FAT, 0, &bf);
			if (r)
				return r;
		}
		b[i] = bf->data[(o + i) % ss];
	}
	*v = cn_fatfs_fat_decode(&fs->g, n, b);
	return 0;
}

int fat_set(struct fatfs *fs, uint32_t n, uint32_t v)
{
	uint64_t off = cn_fatfs_fat_offset(&fs->g, n);
	uint32_t ss = fs->g.sector_size, sec = fs->g.reserved +
		       (uint32_t)(off / ss), o = (uint32_t)(off % ss);
	unsigned int w = fs->g.type == 32 ? 4 : 2, i;
	struct buf *bf[4];
	uint8_t b[4];
	int r;

	if (!cn_fatfs_valid_cluster(&fs->g, n))
		return -EIO;
	for (i = 0; i < w; i++) {
		if (i == 0 || o + i == ss) {
			r = buf_get(fs, sec + (o + i) / ss, BUF_FAT, 0, &bf[i]);
			if (r)
				return r;
		} else {
			bf[i] = bf[i - 1];
		}
		b[i] = bf[i]->data[(o + i) % ss];
	}
	/* The two buffers of a straddling FAT12 entry may be one sector
	 * evicted by the other's read: read them again before writing. */
	cn_fatfs_fat_encode(&fs->g, n, b, v);
	for (i = 0; i < w; i++) {
		r = buf_get(fs, sec + (o + i) / ss, BUF_FAT, 0, &bf[i]);
		if (r)
			return r;
		bf[i]->data[(o + i) % ss] = b[i];
		buf_dirty(fs, bf[i]);
	}
	return 0;
}

static int corrupt(struct fatfs *fs, const char *what, uint32_t c)
{
	if (!fs->warned++)
		cn_pr_err("%s: corrupt volume: %s (cluster %u); run fsck.fat",
			  fs->bd->name, what, (unsigned int)c);
	return -EIO;
}

/* The next cluster after c: 0 at the end of the chain, -EIO if broken. */
static int next_cluster(struct fatfs *fs, uint32_t c, uint32_t *next)
{
	uint32_t v;
	int r = fat_get(fs, c, &v);

	if (r)
		return r;
	if (cn_fatfs_is_eoc(&fs->g, v)) {
		*next = 0;
		return 0;
	}
	if (!cn_fatfs_valid_cluster(&fs->g, v))
		return corrupt(fs, v ? "chain through a bad entry" :
			       "chain through a free cluster", c);
	*next = v;
	return 0;
}

/*
 * The cluster of index idx in the chain starting at first; the node's
 * hint makes sequential access linear. Returns 0, -ENOENT (chain shorter;
 * *last is its last cluster) or -EIO.
 */
static int chain_at(struct fatfs *fs, struct fnode *n, uint32_t first,
		    uint32_t idx, uint32_t *out, uint32_t *last)
{
	uint32_t c = first, i = 0, start, nx;
	int r;

	if (n && n->bad)
		return -EIO;
	if (!cn_fatfs_valid_cluster(&fs->g, first))
		return first ? corrupt(fs, "bad first cluster", first) :
			       -ENOENT;
	if (n && n->hint_clus && n->hint_idx <= idx) {
		c = n->hint_clus;
		i = n->hint_idx;
	}
	start = i;
	while (i < idx) {
		if (i - start > fs->g.nclusters)
			return corrupt(fs, "loop in a cluster chain", first);
		r = next_cluster(fs, c, &nx);
		if (r)
			return r;
		if (!nx) {
			if (last)
				*last = c;
			return -ENOENT;
		}
		c = nx;
		i++;
	}
	if (n) {
		n->hint_idx = idx;
		n->hint_clus = c;
	}
	*out = c;
	return 0;
}

/*
 * Walks the whole chain from first (Brent's cycle finding: linear time,
 * no memory) so that a loop is an error before anyone follows it: -EIO
 * for a loop or a broken link, 0 otherwise.
 */
static int check_chain(struct fatfs *fs, uint32_t first)
{
	uint32_t tortoise = first, hare = first, power = 1, lam = 1, steps = 0;
	int r;

	if (!first)
		return 0;
	if (!cn_fatfs_valid_cluster(&fs->g, first))
		return corrupt(fs, "bad first cluster", first);
	for (;;) {
		r = next_cluster(fs, hare, &hare);
		if (r || !hare)
			return r;
		if (hare == tortoise || ++steps > fs->g.nclusters)
			return corrupt(fs, "loop in a cluster chain", first);
		if (power == lam) {
			tortoise = hare;
			power *= 2;
			lam = 0;
		}
		lam++;
	}
}

static int alloc_cluster(struct fatfs *fs, uint32_t prev, uint32_t *out)
{
	uint32_t i, c, v;
	int r;

	if (!fs->free_count)
		return -ENOSPC;
	for (i = 0; i < fs->g.nclusters; i++) {
		c = 2 + (fs->next_free - 2 + i) % fs->g.nclusters;
		r = fat_get(fs, c, &v);
		if (r)
			return r;
		if (v)
			continue;
		r = fat_set(fs, c, fs->g.eoc | 0x7);
		if (!r && prev)
			r = fat_set(fs, prev, c);
		if (r)
			return r;
		fs->free_count--;
		fs->next_free = c + 1 < fs->g.nclusters + 2 ? c + 1 : 2;
		fs->fsinfo_dirty = true;
		*out = c;
		return 0;
	}
	fs->free_count = 0;
	return -ENOSPC;
}

/* Gives the chain from c back after the next directory write-back. */
static int release_chain(struct fatfs *fs, uint32_t c)
{
	int r;

	if (!cn_fatfs_valid_cluster(&fs->g, c))
		return 0;
	if (fs->npending == PENDING_MAX) {
		r = fs_writeback(fs);
		if (r)
			return r;
	}
	fs->pending[fs->npending++] = c;
	return 0;
}

/* Frees a whole chain now (cache.c calls this once directories are
 * written); a broken chain stops the walk: what is left is lost. */
int free_chain_now(struct fatfs *fs, uint32_t c)
{
	uint32_t nx, steps = 0;
	int r;

	while (cn_fatfs_valid_cluster(&fs->g, c) &&
	       steps++ <= fs->g.nclusters) {
		r = fat_get(fs, c, &nx);
		if (r)
			return r;
		if (!nx)
			break;		/* already free: a loop or a cross-link */
		r = fat_set(fs, c, 0);
		if (r)
			return r;
		fs->free_count++;
		fs->fsinfo_dirty = true;
		if (cn_fatfs_is_eoc(&fs->g, nx))
			break;
		c = nx;
	}
	return 0;
}

static uint32_t clus_sector(const struct fatfs *fs, uint32_t c)
{
	return fs->g.data_start + (c - 2) * fs->g.sec_per_clus;
}

static int zero_cluster(struct fatfs *fs, uint32_t c, int kind)
{
	struct buf *b;
	uint32_t i;
	int r;

	for (i = 0; i < fs->g.sec_per_clus; i++) {
		r = buf_get(fs, clus_sector(fs, c) + i, kind, BUF_NOREAD, &b);
		if (r)
			return r;
		buf_dirty(fs, b);
	}
	return 0;
}

/* --- directory entries ---------------------------------------------- */

/*
 * Entry idx of directory first (0: the fixed root): *de points into the
 * cached sector *sec at *off. 1 past the end of the directory, 0, -EIO.
 * w remembers the last cluster for a sequential scan.
 */
struct dwalk {
	uint32_t cidx, clus;
};

static int dir_entry(struct fatfs *fs, uint32_t first, uint32_t idx,
		     struct dwalk *w, uint8_t **de, struct dloc *loc)
{
	uint32_t epc = fs->g.cluster_size / FAT_DIRENT_SIZE, ci, c, nx;
	uint32_t eps = fs->g.sector_size / FAT_DIRENT_SIZE, sec;
	struct buf *b;
	int r;

	if (idx >= MAX_DIR_ENTRIES)
		return 1;
	if (!first) {
		if (idx >= fs->g.root_entries)
			return 1;
		sec = fs->g.root_start + idx / eps;
	} else {
		ci = idx / epc;
		if (w->clus && w->cidx <= ci) {
			c = w->clus;
		} else {
			if (!cn_fatfs_valid_cluster(&fs->g, first))
				return corrupt(fs, "bad directory cluster",
					       first);
			c = first;
			w->cidx = 0;
		}
		while (w->cidx < ci) {
			r = next_cluster(fs, c, &nx);
			if (r)
				return r;
			if (!nx)
				return 1;
			c = nx;
			w->cidx++;
		}
		w->clus = c;
		sec = clus_sector(fs, c) + (idx % epc) / eps;
	}
	r = buf_get(fs, sec, BUF_DIR, 0, &b);
	if (r)
		return r;
	loc->sec = sec;
	loc->off = (idx % eps) * FAT_DIRENT_SIZE;
	*de = b->data + loc->off;
	return 0;
}

/* The cached short entry of n (NULL for the root), marked dirty. */
static int node_dirent(struct fnode *n, uint8_t **de, bool dirty)
{
	struct buf *b;
	int r;

	*de = NULL;
	if (n->is_root || n->unlinked)
		return 0;
	r = buf_get(n->fs, n->loc.sec, BUF_DIR, 0, &b);
	if (r)
		return r;
	if (dirty)
		buf_dirty(n->fs, b);
	*de = b->data + n->loc.off;
	return 0;
}

static void now_fat(uint16_t *date, uint16_t *time)
{
	struct timespec ts;

	cn_vfs_now(&ts);
	cn_fatfs_time_to_fat(ts.tv_sec, date, time);
}

/* Writes n's first cluster, size, attributes (and mtime) to its entry. */
static int node_update(struct fnode *n, bool mtime)
{
	uint16_t d, t;
	uint8_t *de;
	int r = node_dirent(n, &de, true);

	if (r || !de)
		return r;
	cn_fatfs_dirent_set_cluster(de, n->first);
	cn_fatfs_put32(de + 28, n->type_dir ? 0 : n->size);
	de[11] = n->attr;
	if (mtime) {
		now_fat(&d, &t);
		cn_fatfs_put16(de + 22, t);
		cn_fatfs_put16(de + 24, d);
		cn_fatfs_put16(de + 18, d);
	}
	return 0;
}

static bool name_eq(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i;

	if (al != bl)
		return false;
	for (i = 0; i < al; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

/* One entry found by a scan. */
struct found {
	uint32_t idx, nslots;
	struct dloc loc;
	uint8_t de[FAT_DIRENT_SIZE];
};

/*
 * Calls fn for every live entry of directory first, with its name (the
 * long one, else the 8.3 one) and position; fn returns nonzero to stop,
 * which scan returns. 0 at the end, -EIO.
 */
typedef int (*scan_fn)(void *ctx, const char *name, size_t len,
		       const struct found *f);

static int scan(struct fatfs *fs, uint32_t first, uint32_t from, scan_fn fn,
		void *ctx)
{
	struct cn_fatfs_lfn *l = &fs->lfn;
	struct dwalk w = { 0, 0 };
	struct found f;
	uint32_t idx;
	uint8_t *de;
	size_t len;
	int r;

	cn_fatfs_lfn_reset(l);
	for (idx = from;; idx++) {
		r = dir_entry(fs, first, idx, &w, &de, &f.loc);
		if (r)
			return r < 0 ? r : 0;
		if (!de[0])
			return 0;
		if (de[0] == FAT_DELETED) {
			cn_fatfs_lfn_reset(l);
			continue;
		}
		if ((de[11] & 0x3f) == FAT_ATTR_LFN) {
			cn_fatfs_lfn_feed(l, de);
			continue;
		}
		if (de[11] & FAT_ATTR_VOLUME) {
			cn_fatfs_lfn_reset(l);
			continue;
		}
		memcpy(f.de, de, sizeof(f.de));
		len = cn_fatfs_entry_name(l, de, fs->name, sizeof(fs->name),
					  &f.nslots);
		cn_fatfs_lfn_reset(l);
		if (f.nslots > idx + 1)
			f.nslots = idx + 1;
		if (!len || (len == 1 && fs->name[0] == '.') ||
		    (len == 2 && fs->name[0] == '.' && fs->name[1] == '.'))
			continue;
		f.idx = idx;
		r = fn(ctx, fs->name, len, &f);
		if (r)
			return r;
	}
}

struct find_ctx {
	const char *name;
	size_t len;
	const uint8_t *sn;		/* or a short name to match */
	struct found f;
};

static int find_fn(void *ctx, const char *name, size_t len,
		   const struct found *f)
{
	struct find_ctx *c = ctx;
	char sname[16];
	unsigned int ns;
	struct cn_fatfs_lfn none = { .count = 0 };
	size_t sl;

	if (c->sn) {
		if (memcmp(f->de, c->sn, 11))
			return 0;
	} else if (!name_eq(name, len, c->name, c->len)) {
		sl = cn_fatfs_entry_name(&none, f->de, sname, sizeof(sname),
					 &ns);
		if (!name_eq(sname, sl, c->name, c->len))
			return 0;
	}
	c->f = *f;
	return 1;
}

/* Finds name in directory first: 1 found (*f), 0 not there, -EIO. */
static int find(struct fatfs *fs, uint32_t first, const char *name,
		size_t len, struct found *f)
{
	struct find_ctx c = { .name = name, .len = len };
	int r = scan(fs, first, 0, find_fn, &c);

	if (r == 1)
		*f = c.f;
	return r;
}

static bool short_taken(struct fatfs *fs, uint32_t first, const uint8_t *sn,
			int *err)
{
	struct find_ctx c = { .sn = sn };
	int r = scan(fs, first, 0, find_fn, &c);

	*err = r < 0 ? r : 0;
	return r != 0;
}

/* --- nodes ---------------------------------------------------------- */

static struct fnode *node_get(struct fatfs *fs, uint32_t pfirst,
			      const struct found *f)
{
	struct fnode *n;

	for (n = fs->nodes; n; n = n->next)
		if (!n->unlinked && n->pfirst == pfirst && n->idx == f->idx) {
			cn_vnode_get(&n->vn);
			return n;
		}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->fs = fs;
	n->pfirst = pfirst;
	n->idx = f->idx;
	n->nslots = f->nslots;
	n->loc = f->loc;
	n->attr = f->de[11];
	n->first = cn_fatfs_dirent_cluster(&fs->g, f->de);
	n->type_dir = f->de[11] & FAT_ATTR_DIR;
	n->size = n->type_dir ? 0 : cn_fatfs_le32(f->de + 28);
	if (n->type_dir && !n->first)		/* ".." style: the root */
		n->first = fs->root->first;
	cn_vnode_init(&n->vn, n->type_dir ? &dir_ops : &file_ops, fs->mnt,
		      n->type_dir ? S_IFDIR : S_IFREG,
		      make_ino(pfirst, f->idx));
	/* A broken chain makes the node unusable (-EIO), not the volume. */
	n->bad = check_chain(fs, n->first) != 0 ||
		 (n->type_dir && !n->first);
	n->next = fs->nodes;
	fs->nodes = n;
	cn_vnode_get(&n->vn);
	return n;
}

static void fat_inactive(struct cn_vnode *vn)
{
	struct fnode *n = FN(vn), **pp;
	struct fatfs *fs = n->fs;

	if (n->is_root)
		return;
	if (fs->ra_node == n)		/* the readahead's file is gone */
		fs->ra_node = NULL;
	if (n->unlinked && n->first && !n->bad)
		release_chain(fs, n->first);	/* a broken one stays lost */
	for (pp = &fs->nodes; *pp != n; pp = &(*pp)->next)
		;
	*pp = n->next;
	free(n);
}

/* Strips trailing dots, as Linux's vfat: -EINVAL if nothing is left. */
static int strip_name(const char *name, size_t *len)
{
	while (*len && name[*len - 1] == '.')
		(*len)--;
	return *len ? 0 : -EINVAL;
}

/* The node of directory cluster c (through its ".." entry). */
static int dir_node_of(struct fatfs *fs, uint32_t c, struct fnode **out);

static int fat_lookup(struct cn_vnode *dir, const char *name, size_t len,
		      struct cn_vnode **out)
{
	struct fnode *d = FN(dir), *n;
	struct fatfs *fs = d->fs;
	struct found f;
	int r;

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (d->is_root) {
			cn_vnode_get(dir);
			*out = dir;
			return 0;
		}
		r = dir_node_of(fs, d->pfirst, &n);
		if (r)
			return r;
		*out = &n->vn;
		return 0;
	}
	if (d->bad)
		return -EIO;
	if (strip_name(name, &len))
		return -ENOENT;
	r = find(fs, dir_first(d), name, len, &f);
	if (r <= 0)
		return r ? r : -ENOENT;
	n = node_get(fs, dir_first(d), &f);
	if (!n)
		return -ENOMEM;
	*out = &n->vn;
	return 0;
}

struct clus_ctx {
	const struct cn_fatfs_geom *g;
	uint32_t clus;
	struct found f;
};

static int clus_fn(void *ctx, const char *name, size_t len,
		   const struct found *f)
{
	struct clus_ctx *c = ctx;

	(void)name;
	(void)len;
	if (!(f->de[11] & FAT_ATTR_DIR) ||
	    cn_fatfs_dirent_cluster(c->g, f->de) != c->clus)
		return 0;
	c->f = *f;
	return 1;
}

static int dir_node_of(struct fatfs *fs, uint32_t c, struct fnode **out)
{
	struct clus_ctx cc = { .g = &fs->g, .clus = c };
	struct dwalk w = { 0, 0 };
	struct dloc loc;
	uint32_t gp;
	uint8_t *de;
	int r;

	if (!c || c == fs->root->first) {
		cn_vnode_get(&fs->root->vn);
		*out = fs->root;
		return 0;
	}
	/* Entry 1 of a subdirectory is "..": its parent's cluster. */
	r = dir_entry(fs, c, 1, &w, &de, &loc);
	if (r)
		return r < 0 ? r : corrupt(fs, "directory without ..", c);
	gp = cn_fatfs_dirent_cluster(&fs->g, de);
	if (!gp)
		gp = fs->root->first;
	r = scan(fs, gp, 0, clus_fn, &cc);
	if (r <= 0)
		return r ? r : corrupt(fs, "directory not in its parent", c);
	*out = node_get(fs, gp, &cc.f);
	return *out ? 0 : -ENOMEM;
}

/*
 * Adds name to directory d with the short entry tmpl (its name bytes and
 * case flags are set here): finds a run of free slots (growing the
 * directory by a zeroed cluster when needed), writes the long-name
 * entries then the short one. *f gets where it went.
 */
static int find_slots(struct fatfs *fs, struct fnode *d, uint32_t need,
		      uint32_t *start)
{
	struct dwalk w = { 0, 0 };
	uint32_t idx, run = 0, last = 0, nc;
	struct dloc loc;
	uint8_t *de;
	int r;

	for (idx = 0;; idx++) {
		r = dir_entry(fs, dir_first(d), idx, &w, &de, &loc);
		if (r < 0)
			return r;
		if (r)
			break;
		if (!de[0] || de[0] == FAT_DELETED) {
			if (++run == need) {
				*start = idx + 1 - need;
				return 0;
			}
		} else {
			run = 0;
		}
	}
	/* idx entries exist and none fit: one more cluster. */
	if (!dir_first(d) || idx >= MAX_DIR_ENTRIES)
		return -ENOSPC;
	r = chain_at(fs, NULL, dir_first(d), 0x7fffffff, &nc, &last);
	if (r != -ENOENT)
		return r ? r : -EIO;
	r = alloc_cluster(fs, last, &nc);
	if (r)
		return r;
	r = zero_cluster(fs, nc, BUF_DIR);
	if (r)
		return r;
	*start = idx - run;
	return 0;
}

static int dir_add(struct fnode *d, const char *name, size_t len,
		   uint8_t *tmpl, struct found *f)
{
	struct fatfs *fs = d->fs;
	uint16_t *u = fs->u16;
	struct dwalk w = { 0, 0 };
	uint32_t start, i, k;
	int n = 0, r;
	uint8_t sn[11], nt = 0, sum, *de;
	bool lfn = !cn_fatfs_is_short(name, len, sn, &nt);

	if (lfn) {
		n = cn_fatfs_utf16(name, len, u);
		if (n < 0)
			return n;
		for (k = 1;; k++) {
			uint32_t t = k <= 4 ? k : 10000 + (k * 7919 + (uint32_t)
				     len * 31 + (uint8_t)name[0]) % 890000;

			if (k > 200)
				return -EEXIST;
			cn_fatfs_short_tail(name, len, t, sn);
			if (!short_taken(fs, dir_first(d), sn, &r))
				break;
			if (r)
				return r;
		}
	} else if (short_taken(fs, dir_first(d), sn, &r)) {
		/* "A.TXT" when "a.txt"'s alias is taken: a long name. */
		return r ? r : -EEXIST;
	}
	f->nslots = lfn ? (uint32_t)(n + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS +
			  1 : 1;
	r = find_slots(fs, d, f->nslots, &start);
	if (r)
		return r;
	memcpy(tmpl, sn, 11);
	tmpl[12] = lfn ? 0 : nt;
	sum = cn_fatfs_lfn_checksum(sn);
	for (i = 0; i < f->nslots; i++) {
		r = dir_entry(fs, dir_first(d), start + i, &w, &de, &f->loc);
		if (r)
			return r < 0 ? r : -EIO;
		k = f->nslots - 1 - i;		/* long entry number */
		if (k)
			cn_fatfs_lfn_fill(de, u, (unsigned int)n, k,
					  i == 0, sum);
		else
			memcpy(de, tmpl, FAT_DIRENT_SIZE);
		r = buf_get(fs, f->loc.sec, BUF_DIR, 0, &fs->tmpbuf);
		if (r)
			return r;
		buf_dirty(fs, fs->tmpbuf);
	}
	f->idx = start + f->nslots - 1;
	memcpy(f->de, tmpl, FAT_DIRENT_SIZE);
	return 0;
}

/* Marks the entries of a name deleted. */
static int dir_del(struct fatfs *fs, uint32_t first, uint32_t idx,
		   uint32_t nslots)
{
	struct dwalk w = { 0, 0 };
	struct dloc loc;
	uint32_t i;
	uint8_t *de;
	int r;

	for (i = idx + 1 - nslots; i <= idx; i++) {
		r = dir_entry(fs, first, i, &w, &de, &loc);
		if (r)
			return r < 0 ? r : -EIO;
		de[0] = FAT_DELETED;
		r = buf_get(fs, loc.sec, BUF_DIR, 0, &fs->tmpbuf);
		if (r)
			return r;
		buf_dirty(fs, fs->tmpbuf);
	}
	return 0;
}

static int check_rw(struct fatfs *fs)
{
	if (fs->mnt->flags & CN_MOUNT_RDONLY)
		return -EROFS;
	return fs->error;
}

static int fat_create(struct cn_vnode *dir, const char *name, size_t len,
		      mode_t mode, const char *target, struct cn_vnode **out)
{
	struct fnode *d = FN(dir), *n;
	struct fatfs *fs = d->fs;
	uint8_t tmpl[FAT_DIRENT_SIZE];
	uint16_t date, time;
	uint32_t c = 0;
	struct found f;
	uint8_t *de;
	struct dwalk w = { 0, 0 };
	int r;

	(void)target;
	if (!S_ISREG(mode) && !S_ISDIR(mode))
		return -EPERM;		/* symlinks, devices: as vfat */
	r = check_rw(fs);
	if (r)
		return r;
	if (d->bad)
		return -EIO;
	if (strip_name(name, &len))
		return -EINVAL;
	r = find(fs, dir_first(d), name, len, &f);
	if (r)
		return r < 0 ? r : -EEXIST;
	memset(tmpl, 0, sizeof(tmpl));
	now_fat(&date, &time);
	tmpl[11] = S_ISDIR(mode) ? FAT_ATTR_DIR : FAT_ATTR_ARCHIVE;
	if (!(mode & 0222))
		tmpl[11] |= FAT_ATTR_RO;
	cn_fatfs_put16(tmpl + 14, time);
	cn_fatfs_put16(tmpl + 16, date);
	cn_fatfs_put16(tmpl + 18, date);
	cn_fatfs_put16(tmpl + 22, time);
	cn_fatfs_put16(tmpl + 24, date);
	if (S_ISDIR(mode)) {
		r = alloc_cluster(fs, 0, &c);
		if (r)
			return r;
		r = zero_cluster(fs, c, BUF_DIR);
		if (r)
			goto err_free;
		/* "." and "..": the parent is 0 when it is the root. */
		r = dir_entry(fs, c, 0, &w, &de, &f.loc);
		if (r)
			goto err_free;
		memcpy(de, tmpl, FAT_DIRENT_SIZE);
		memcpy(de, ".          ", 11);
		cn_fatfs_dirent_set_cluster(de, c);
		memcpy(de + 32, tmpl, FAT_DIRENT_SIZE);
		memcpy(de + 32, "..         ", 11);
		cn_fatfs_dirent_set_cluster(de + 32, d->is_root ? 0 : d->first);
		cn_fatfs_dirent_set_cluster(tmpl, c);
	}
	r = dir_add(d, name, len, tmpl, &f);
	if (r)
		goto err_free;
	if (out) {
		n = node_get(fs, dir_first(d), &f);
		if (!n)
			return -ENOMEM;
		*out = &n->vn;
	}
	return 0;
err_free:
	if (c)
		free_chain_now(fs, c);	/* nothing on disk names it */
	return r;
}

static int fat_link(struct cn_vnode *dir, const char *name, size_t len,
		    struct cn_vnode *vn)
{
	(void)dir, (void)name, (void)len, (void)vn;
	return -EPERM;
}

struct empty_ctx {
	int any;
};

static int empty_fn(void *ctx, const char *name, size_t len,
		    const struct found *f)
{
	(void)name, (void)len, (void)f;
	((struct empty_ctx *)ctx)->any = 1;
	return 1;
}

static int dir_empty(struct fnode *n)
{
	struct empty_ctx c = { 0 };
	int r = scan(n->fs, n->first, 0, empty_fn, &c);

	if (r < 0)
		return r;
	return c.any ? -ENOTEMPTY : 0;
}

/* Removes n's name; its clusters go when the last reference does. */
static int remove_node(struct fnode *n)
{
	int r;

	if (n->type_dir) {
		r = dir_empty(n);
		if (r)
			return r;
	}
	r = dir_del(n->fs, n->pfirst, n->idx, n->nslots);
	if (r)
		return r;
	n->unlinked = true;
	return 0;
}

static int fat_unlink(struct cn_vnode *dir, const char *name, size_t len,
		      struct cn_vnode *vn)
{
	struct fatfs *fs = FN(dir)->fs;
	int r = check_rw(fs);

	(void)name, (void)len;
	return r ? r : remove_node(FN(vn));
}

static int fat_rename(struct cn_vnode *olddir, const char *oldname,
		      size_t oldlen, struct cn_vnode *newdir,
		      const char *newname, size_t newlen)
{
	struct fnode *od = FN(olddir), *nd = FN(newdir), *n = NULL, *t = NULL;
	struct fatfs *fs = od->fs;
	uint8_t tmpl[FAT_DIRENT_SIZE], *de;
	struct cn_vnode *vn;
	struct dwalk w = { 0, 0 };
	struct dloc loc;
	struct found f;
	uint32_t oidx, onslots, opfirst;
	int r = check_rw(fs);

	if (r)
		return r;
	if (strip_name(newname, &newlen))
		return -EINVAL;
	r = fat_lookup(olddir, oldname, oldlen, &vn);
	if (r)
		return r;
	n = FN(vn);
	r = fat_lookup(newdir, newname, newlen, &vn);
	if (r == 0) {
		t = FN(vn);
		if (t == n) {
			/* Same file, maybe another case: rename the entry. */
			cn_vnode_put(vn);
			t = NULL;
		} else {
			r = remove_node(t);
			if (r)
				goto out;
		}
	} else if (r != -ENOENT) {
		goto out;
	}
	r = node_dirent(n, &de, false);
	if (r)
		goto out;
	memcpy(tmpl, de, sizeof(tmpl));
	oidx = n->idx;
	onslots = n->nslots;
	opfirst = n->pfirst;
	r = dir_add(nd, newname, newlen, tmpl, &f);
	if (r)
		goto out;
	r = dir_del(fs, opfirst, oidx, onslots);
	if (r)
		goto out;
	n->pfirst = dir_first(nd);
	n->idx = f.idx;
	n->nslots = f.nslots;
	n->loc = f.loc;
	n->vn.ino = make_ino(n->pfirst, n->idx);
	if (n->type_dir && od != nd) {
		r = dir_entry(fs, n->first, 1, &w, &de, &loc);
		if (r)
			goto out;
		cn_fatfs_dirent_set_cluster(de, nd->is_root ? 0 : nd->first);
		r = buf_get(fs, loc.sec, BUF_DIR, 0, &fs->tmpbuf);
		if (!r)
			buf_dirty(fs, fs->tmpbuf);
	}
out:
	if (t)
		cn_vnode_put(&t->vn);
	cn_vnode_put(&n->vn);
	return r;
}

struct rd_ctx {
	cn_vfs_filldir_fn fill;
	void *ctx;
	off_t *cookie;
	uint32_t pfirst;
	int refused;
};

static int rd_fn(void *ctx, const char *name, size_t len,
		 const struct found *f)
{
	struct rd_ctx *c = ctx;
	off_t next = (off_t)f->idx + 3;

	if (c->fill(c->ctx, name, len, make_ino(c->pfirst, f->idx),
		    f->de[11] & FAT_ATTR_DIR ? 4 : 8, next)) {
		*c->cookie = (off_t)(f->idx + 1 - f->nslots) + 2;
		c->refused = 1;
		return 1;
	}
	*c->cookie = next;
	return 0;
}

static int fat_readdir(struct cn_vnode *dir, off_t *cookie,
		       cn_vfs_filldir_fn fill, void *ctx)
{
	struct fnode *d = FN(dir);
	struct rd_ctx c = { fill, ctx, cookie, dir_first(d), 0 };
	int r;

	if (d->bad)
		return -EIO;
	if (*cookie == 0) {
		if (fill(ctx, ".", 1, dir->ino, 4, 1))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, d->is_root ? dir->ino : 1, 4, 2))
			return 0;
		*cookie = 2;
	}
	if (*cookie < 2 || *cookie > MAX_DIR_ENTRIES + 2)
		return 0;
	r = scan(d->fs, dir_first(d), (uint32_t)*cookie - 2, rd_fn, &c);
	if (r < 0)
		return r;
	if (!c.refused)
		*cookie = MAX_DIR_ENTRIES + 2;	/* the end, for good */
	return 0;
}

static void ts_of(struct timespec *ts, uint16_t date, uint16_t time)
{
	ts->tv_sec = cn_fatfs_fat_to_time(date, time);
	ts->tv_nsec = 0;
}

static int fat_getattr(struct cn_vnode *vn, struct stat *st)
{
	struct fnode *n = FN(vn);
	struct fatfs *fs = n->fs;
	uint8_t *de;
	int r = node_dirent(n, &de, false);

	if (r)
		return r;
	st->st_ino = (ino_t)vn->ino;
	st->st_mode = (n->type_dir ? S_IFDIR : S_IFREG) |
		      ((n->attr & FAT_ATTR_RO) ? 0555 : 0755);
	st->st_nlink = n->unlinked ? 0 : n->type_dir ? 2 : 1;
	st->st_size = n->type_dir ? fs->g.cluster_size : n->size;
	st->st_blksize = fs->g.cluster_size;
	st->st_blocks = (blkcnt_t)(((uint64_t)st->st_size + fs->g.cluster_size
				    - 1) / fs->g.cluster_size *
				   (fs->g.cluster_size / 512));
	if (de) {
		ts_of(&st->st_mtim, cn_fatfs_le16(de + 24),
		      cn_fatfs_le16(de + 22));
		st->st_ctim = st->st_mtim;
		ts_of(&st->st_atim, cn_fatfs_le16(de + 18), 0);
	}
	return 0;
}

static int fat_setattr(struct cn_vnode *vn, const struct cn_vattr *va)
{
	struct fnode *n = FN(vn);
	uint16_t d, t;
	uint8_t *de;
	int r = check_rw(n->fs);

	if (r)
		return r;
#ifdef CN_VATTR_UID
	if (((va->mask & CN_VATTR_UID) && va->uid != 0) ||
	    ((va->mask & CN_VATTR_GID) && va->gid != 0))
		return -EPERM;		/* FAT stores no owners (as vfat) */
#endif
	r = node_dirent(n, &de, true);
	if (r || !de)
		return r;
	if (va->mask & CN_VATTR_MODE) {
		n->attr = (uint8_t)((n->attr & ~FAT_ATTR_RO) |
				    (va->mode & 0222 ? 0 : FAT_ATTR_RO));
		de[11] = n->attr;
	}
	if (va->mask & CN_VATTR_MTIME) {
		cn_fatfs_time_to_fat(va->mtime.tv_sec, &d, &t);
		cn_fatfs_put16(de + 22, t);
		cn_fatfs_put16(de + 24, d);
	}
	if (va->mask & CN_VATTR_ATIME) {
		cn_fatfs_time_to_fat(va->atime.tv_sec, &d, &t);
		cn_fatfs_put16(de + 18, d);
	}
	return 0;
}

/* --- file data ------------------------------------------------------ */

#define DIRECT_MAX	(1u << 20)	/* bytes per direct request */
#define DIRECT_MIN	(64u << 10)	/* bytes: smaller writes are cached */
#define RA_MIN		(16u << 10)	/* first readahead window (bytes) */

/*
 * Whole sectors of n from byte pos (sector-aligned), len bytes at most,
 * straight between buf and the disk, over clusters that follow each
 * other on disk, when none of them is cached (a cached copy, dirty or
 * not, must stay the one truth). Returns the bytes done (0: use the
 * cache instead) or -errno. Writing data early is always crash-safe.
 */
static ssize_t direct(struct fnode *n, void *buf, size_t len, uint64_t pos,
		      bool write)
{
	struct fatfs *fs = n->fs;
	uint32_t ss = fs->g.sector_size, cs = fs->g.cluster_size, c, nx, i;
	uint32_t want = (uint32_t)((len < DIRECT_MAX ? len : DIRECT_MAX) / ss),
		 nsec, sec;
	int r;

	if (pos % ss || !want)
		return 0;
	r = chain_at(fs, n, n->first, (uint32_t)(pos / cs), &c, NULL);
	if (r)
		return r == -ENOENT ? 0 : r;
	sec = clus_sector(fs, c) + (uint32_t)(pos % cs) / ss;
	nsec = (cs - (uint32_t)(pos % cs)) / ss;
	while (nsec < want) {
		r = next_cluster(fs, c, &nx);
		if (r)
			return r;
		if (nx != c + 1)
			break;
		c = nx;
		nsec += fs->g.sec_per_clus;
	}
	if (nsec > want)
		nsec = want;
	for (i = 0; i < nsec; i++)
		if (buf_cached(fs, sec + i))
			break;
	nsec = i;
	if (!nsec)
		return 0;
	r = write ? fs_write_sectors(fs, sec, buf, nsec) :
		    fs_read_sectors(fs, sec, buf, nsec);
	return r ? r : (ssize_t)nsec * ss;
}

/* Forgets the readahead of n (its data changed or it is gone). */
static void ra_drop(struct fnode *n)
{
	if (n->fs->ra_node == n)
		n->fs->ra_node = NULL;
}

/*
 * A small read at pos (sector-aligned) missed the readahead and the
 * cache: the uncached sectors from there (up to the window, the file's
 * end rounded up, clusters that follow each other) are read in one
 * request into fs->ra. A miss just past the last window is a sequential
 * reader: the window doubles up to ra_max (as Linux's readahead grows to
 * its 128 KiB); any other miss starts again at RA_MIN. Returns 0 with
 * nothing read when the sector is cached (the caller uses the cache).
 */
static int readahead(struct fnode *n, uint64_t pos)
{
	struct fatfs *fs = n->fs;
	uint32_t ss = fs->g.sector_size;
	uint64_t end = ((uint64_t)n->size + ss - 1) / ss * ss;
	bool seq = fs->ra_node == n && pos == fs->ra_pos + fs->ra_len;
	uint32_t win = seq ? fs->ra_win * 2 : RA_MIN;
	size_t len;
	ssize_t got;

	if (win > fs->ra_max)
		win = fs->ra_max;
	if (win < ss)
		win = ss;
	len = end - pos < win ? (size_t)(end - pos) : win;
	fs->ra_node = NULL;
	got = direct(n, fs->ra, len, pos, false);
	if (got <= 0)
		return (int)got;
	fs->ra_node = n;
	fs->ra_pos = pos;
	fs->ra_len = (uint32_t)got;
	fs->ra_win = win;
	return 0;
}

/* Copies what fs->ra holds of n at pos: the bytes copied (0: none). */
static size_t ra_copy(struct fnode *n, void *buf, size_t len, uint64_t pos)
{
	struct fatfs *fs = n->fs;
	uint64_t o;

	if (fs->ra_node != n || pos < fs->ra_pos ||
	    pos >= fs->ra_pos + fs->ra_len)
		return 0;
	o = pos - fs->ra_pos;
	if (len > fs->ra_len - o)
		len = (size_t)(fs->ra_len - o);
	memcpy(buf, fs->ra + o, len);
	return len;
}

static ssize_t fat_read(struct cn_vnode *vn, void *buf, size_t len, off_t off)
{
	struct fnode *n = FN(vn);
	struct fatfs *fs = n->fs;
	uint32_t cs = fs->g.cluster_size, ss = fs->g.sector_size, c, in, o;
	size_t done = 0, k;
	struct buf *b;
	int r;

	if (off < 0)
		return -EINVAL;
	if (n->bad)
		return -EIO;
	if ((uint64_t)off >= n->size)
		return 0;
	if (len > n->size - (uint64_t)off)
		len = (size_t)(n->size - (uint64_t)off);
	while (done < len) {
		uint64_t pos = (uint64_t)off + done;
		ssize_t d = len - done >= DIRECT_MIN ?
			    direct(n, (char *)buf + done, len - done, pos,
				   false) : 0;

		if (d < 0)
			return done ? (ssize_t)done : d;
		if (d > 0) {
			done += (size_t)d;
			continue;
		}
		k = ra_copy(n, (char *)buf + done, len - done, pos);
		if (k) {
			done += k;
			continue;
		}
		r = chain_at(fs, n, n->first, (uint32_t)(pos / cs), &c, NULL);
		if (r)
			return done ? (ssize_t)done :
			       r == -ENOENT ? corrupt(fs, "file shorter than "
						      "its size", n->first) : r;
		in = (uint32_t)(pos % cs);
		if (fs->ra_max &&
		    !buf_cached(fs, clus_sector(fs, c) + in / ss)) {
			r = readahead(n, pos - pos % ss);
			if (r)
				return done ? (ssize_t)done : r;
			if (fs->ra_node == n)
				continue;
		}
		r = buf_get(fs, clus_sector(fs, c) + in / ss, BUF_DATA, 0, &b);
		if (r)
			return done ? (ssize_t)done : r;
		o = in % ss;
		k = ss - o < len - done ? ss - o : len - done;
		memcpy((char *)buf + done, b->data + o, k);
		done += k;
	}
	return (ssize_t)done;
}

/* Makes the chain of n at least `clusters` long: the count it reached. */
static uint32_t grow(struct fnode *n, uint32_t clusters, int *err)
{
	struct fatfs *fs = n->fs;
	uint32_t have = 0, last = 0, c;
	int r;

	*err = 0;
	if (!clusters)
		return 0;
	if (n->first) {
		r = chain_at(fs, n, n->first, clusters - 1, &c, &last);
		if (r == 0)
			return clusters;
		if (r != -ENOENT) {
			*err = r;
			return 0;
		}
		/* Count what there is: walk from the hint to the end. */
		have = n->hint_clus ? n->hint_idx + 1 : 1;
		if (!n->hint_clus) {
			n->hint_idx = 0;
			n->hint_clus = n->first;
		}
		c = n->hint_clus;
		while (c != last) {
			uint32_t nx;

			r = next_cluster(fs, c, &nx);
			if (r || !nx) {
				*err = r;
				break;
			}
			c = nx;
			n->hint_idx = have++;
			n->hint_clus = c;
		}
		if (*err)
			return 0;
	}
	/* The writer goes on from the first new cluster: keep the hint
	 * there, not at the end, or every write walks the chain again. */
	if (!n->hint_clus || n->hint_idx + 1 != have) {
		n->hint_idx = have ? have - 1 : 0;
		n->hint_clus = last;
	}
	while (have < clusters) {
		r = alloc_cluster(fs, last, &c);
		if (r) {
			*err = r;
			break;
		}
		if (!n->first) {
			n->first = c;
			n->hint_idx = 0;
			n->hint_clus = c;
			node_update(n, false);
		}
		last = c;
		have++;
	}
	return have;
}

static ssize_t write_at(struct fnode *n, const void *buf, size_t len,
			uint64_t off)
{
	struct fatfs *fs = n->fs;
	uint32_t cs = fs->g.cluster_size, ss = fs->g.sector_size, c, in, o;
	uint64_t end = off + len, cap;
	size_t done = 0, k;
	uint32_t have;
	struct buf *b;
	int r, err;

	ra_drop(n);
	have = grow(n, (uint32_t)((end + cs - 1) / cs), &err);
	cap = (uint64_t)have * cs;
	if (cap <= off)
		return err ? err : -ENOSPC;
	if (end > cap)
		len = (size_t)(cap - off);
	while (done < len) {
		uint64_t pos = off + done;
		/* Small writes gather in the cache, which writes them back
		 * in merged runs; large ones go straight to the disk. */
		ssize_t d = buf && len - done >= DIRECT_MIN ?
			    direct(n, (char *)buf + done, len - done, pos,
				   true) : 0;

		if (d < 0) {
			r = (int)d;
			break;
		}
		if (d > 0) {
			done += (size_t)d;
			if (pos + (uint64_t)d > n->size)
				n->size = (uint32_t)(pos + (uint64_t)d);
			continue;
		}
		r = chain_at(fs, n, n->first, (uint32_t)(pos / cs), &c, NULL);
		if (r)
			break;
		in = (uint32_t)(pos % cs);
		o = in % ss;
		k = ss - o < len - done ? ss - o : len - done;
		/* A whole sector, or one past the end: no need to read. */
		r = buf_get(fs, clus_sector(fs, c) + in / ss, BUF_DATA,
			    (k == ss || (o == 0 && pos >= n->size)) ?
			    BUF_NOREAD : 0, &b);
		if (r)
			break;
		if (buf)
			memcpy(b->data + o, (const char *)buf + done, k);
		else
			memset(b->data + o, 0, k);
		if (k < ss && o == 0 && pos >= n->size)
			memset(b->data + k, 0, ss - k);
		buf_dirty(fs, b);
		done += k;
		if (pos + k > n->size)
			n->size = (uint32_t)(pos + k);
	}
	if (!done)
		return r ? r : -ENOSPC;
	return (ssize_t)done;
}

static ssize_t fat_write(struct cn_vnode *vn, const void *buf, size_t len,
			 off_t off)
{
	struct fnode *n = FN(vn);
	ssize_t w = 0;
	int r = check_rw(n->fs);

	if (r)
		return r;
	if (off < 0)
		return -EINVAL;
	if (n->bad)
		return -EIO;
	if (!len)
		return 0;
	if ((uint64_t)off >= FILE_MAX)
		return -EFBIG;
	if (len > FILE_MAX - (uint64_t)off)
		len = (size_t)(FILE_MAX - (uint64_t)off);
	while (n->size < (uint64_t)off) {	/* a hole: zeros */
		w = write_at(n, NULL, (size_t)((uint64_t)off - n->size),
			     n->size);
		if (w < 0)
			break;
	}
	if (w >= 0)
		w = write_at(n, buf, len, (uint64_t)off);
	n->attr |= FAT_ATTR_ARCHIVE;
	r = node_update(n, true);
	return r && w >= 0 ? r : w;
}

static int fat_truncate(struct cn_vnode *vn, off_t len)
{
	struct fnode *n = FN(vn);
	struct fatfs *fs = n->fs;
	uint32_t cs = fs->g.cluster_size, keep, c, nx;
	ssize_t w;
	int r = check_rw(fs);

	if (r)
		return r;
	ra_drop(n);
	if (len < 0)
		return -EINVAL;
	if (n->bad)
		return -EIO;
	if ((uint64_t)len > FILE_MAX)
		return -EFBIG;
	if ((uint64_t)len > n->size) {
		while (n->size < (uint64_t)len) {
			w = write_at(n, NULL, (size_t)((uint64_t)len - n->size),
				     n->size);
			if (w < 0)
				return (int)w;
		}
		return node_update(n, true);
	}
	keep = (uint32_t)(((uint64_t)len + cs - 1) / cs);
	n->size = (uint32_t)len;
	n->hint_clus = 0;
	if (!n->first)
		return node_update(n, true);
	c = n->first;
	if (!keep) {
		n->first = 0;
		r = node_update(n, true);
		return r ? r : release_chain(fs, c);
	}
	/* The entry's new size reaches the disk before the chain is cut
	 * (README.md, crash safety). */
	r = node_update(n, true);
	if (!r)
		r = fs_writeback(fs);
	if (!r)
		r = chain_at(fs, NULL, n->first, keep - 1, &c, NULL);
	if (r)
		return r == -ENOENT ? 0 : r;
	r = next_cluster(fs, c, &nx);
	if (r || !nx)
		return r;
	r = fat_set(fs, c, fs->g.eoc | 0x7);
	return r ? r : release_chain(fs, nx);
}

static int fat_sync(struct cn_vnode *vn)
{
	return fs_sync(FN(vn)->fs);
}

static const struct cn_vnode_ops dir_ops = {
	.lookup = fat_lookup,
	.create = fat_create,
	.link = fat_link,
	.unlink = fat_unlink,
	.rename = fat_rename,
	.readdir = fat_readdir,
	.getattr = fat_getattr,
	.setattr = fat_setattr,
	.sync = fat_sync,
	.inactive = fat_inactive,
};

static const struct cn_vnode_ops file_ops = {
	.getattr = fat_getattr,
	.setattr = fat_setattr,
	.read = fat_read,
	.write = fat_write,
	.truncate = fat_truncate,
	.sync = fat_sync,
	.inactive = fat_inactive,
};

/* --- mount ---------------------------------------------------------- */

#define RA_MAX_KIB	16384u		/* largest readahead= */

/* A decimal count of KiB, 0 to RA_MAX_KIB, in s[0..n): 0 or -EINVAL. */
static int parse_kib(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > RA_MAX_KIB)
			return -EINVAL;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v > RA_MAX_KIB)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_opts(const char *opts, char *dev, size_t devlen,
		      uint32_t *ra_kib, char *msg, size_t len)
{
	const char *p = opts;

	snprintf(dev, devlen, "blk0");
	*ra_kib = CONFIG_LIB_FATFS_READAHEAD_KB;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n > 4 && !memcmp(p, "dev=", 4) && n - 4 < devlen) {
			memcpy(dev, p + 4, n - 4);
			dev[n - 4] = '\0';
		} else if (n > 10 && !memcmp(p, "readahead=", 10)) {
			if (parse_kib(p + 10, n - 10, ra_kib)) {
				snprintf(msg, len, "readahead=%.*s: a number "
					 "of KiB from 0 to %u expected",
					 (int)(n - 10), p + 10, RA_MAX_KIB);
				return -EINVAL;
			}
		} else if (n) {
			snprintf(msg, len, "unknown option '%.*s'", (int)n, p);
			return -EINVAL;
		}
		p += n + (e ? 1 : 0);
	}
	return 0;
}

static int fat_check_opts(const char *opts, char *msg, size_t len)
{
	char dev[16];
	uint32_t ra_kib;

	return parse_opts(opts, dev, sizeof(dev), &ra_kib, msg, len);
}

/* Counts free clusters, reading the first FAT in large pieces. */
static int count_free(struct fatfs *fs)
{
	uint32_t chunk = 64, ss = fs->g.sector_size, i, s, n, count = 0;
	unsigned int w = fs->g.type == 32 ? 4 : 2;
	uint8_t *b = malloc((size_t)(chunk + 1) * ss);
	uint64_t off, lo = 0, hi = 0;
	int r = 0;

	if (!b)
		return -ENOMEM;
	for (i = 2; i < fs->g.nclusters + 2; i++) {
		off = cn_fatfs_fat_offset(&fs->g, i);
		if (off < lo || off + w > hi) {
			s = (uint32_t)(off / ss);
			n = fs->g.fat_sectors - s < chunk + 1 ?
			    fs->g.fat_sectors - s : chunk + 1;
			r = fs_read_sectors(fs, fs->g.reserved + s, b, n);
			if (r)
				break;
			lo = (uint64_t)s * ss;
			hi = lo + (uint64_t)n * ss;
		}
		if (!cn_fatfs_fat_decode(&fs->g, i, b + (off - lo)))
			count++;
	}
	free(b);
	fs->free_count = count;
	return r;
}

/*
 * Mounted volumes, written back when the app exits (exit() or a return
 * from main; not cn_exit() or a crash): what an app wrote is then on
 * the disk even if it never called sync.
 */
static struct fatfs *volumes;

static void sync_at_exit(void)
{
	struct fatfs *fs;

	cn_vfs_lock();
	for (fs = volumes; fs; fs = fs->next_vol)
		if (fs_sync(fs))
			cn_pr_err("%s: write-back at exit failed",
				  fs->bd->name);
	cn_vfs_unlock();
}

static int fat_mount(struct cn_vfs_mount *m, const char *opts)
{
	static bool hooked;

	char dev[16], msg[80];
	struct cn_blkdev *bd;
	struct fatfs *fs;
	const char *why;
	uint8_t *sec;
	uint32_t bs, ra_kib;
	int r;

	r = parse_opts(opts, dev, sizeof(dev), &ra_kib, msg, sizeof(msg));
	if (r)
		return r;
	bd = cn_blkdev_find(dev);
	if (!bd) {
		cn_pr_err("mount: no block device %s", dev);
		return -ENODEV;
	}
	bs = bd->sector_size > 4096 ? bd->sector_size : 4096;
	sec = malloc(bs);
	fs = calloc(1, sizeof(*fs));
	if (!sec || !fs) {
		r = -ENOMEM;
		goto err;
	}
	r = cn_blkdev_read(bd, 0, sec, bs / bd->sector_size < bd->sectors ?
			   bs / bd->sector_size : (uint32_t)bd->sectors);
	if (r) {
		cn_pr_err("%s: cannot read the boot sector: %d (%s)", dev, r,
			  cn_errname(r));
		goto err;
	}
	r = cn_fatfs_parse_bpb(sec, bs, bd->sectors * bd->sector_size, &fs->g,
			       &why);
	if (!r && fs->g.sector_size < bd->sector_size) {
		why = "sectors smaller than the device's";
		r = -EINVAL;
	}
	if (r) {
		cn_pr_err("%s: not a usable FAT volume: %s", dev, why);
		goto err;
	}
	fs->bd = bd;
	fs->mnt = m;
	fs->dev_per_sec = fs->g.sector_size / bd->sector_size;
	fs->next_free = 2;
	if (bd->read_only && !(m->flags & CN_MOUNT_RDONLY)) {
		cn_pr_warn("%s is read-only: mounted read-only", dev);
		m->flags |= CN_MOUNT_RDONLY;
	}
	r = cache_init(fs);
	if (r)
		goto err;
	/* A window smaller than a sector reads the sector alone. */
	fs->ra_max = ra_kib * 1024u;
	if (fs->ra_max && fs->ra_max < fs->g.sector_size)
		fs->ra_max = fs->g.sector_size;
	fs->ra = fs->ra_max ? malloc(fs->ra_max) : NULL;
	if (fs->ra_max && !fs->ra) {
		r = -ENOMEM;
		goto err_cache;
	}
	r = count_free(fs);
	if (r) {
		cn_pr_err("%s: cannot read the FAT: %d (%s)", dev, r,
			  cn_errname(r));
		goto err_cache;
	}
	fs->root = calloc(1, sizeof(*fs->root));
	if (!fs->root) {
		r = -ENOMEM;
		goto err_cache;
	}
	fs->root->fs = fs;
	fs->root->is_root = true;
	fs->root->type_dir = true;
	fs->root->attr = FAT_ATTR_DIR;
	fs->root->first = fs->g.root_cluster;
	r = check_chain(fs, fs->root->first);
	if (r) {
		cn_pr_err("%s: the root directory's cluster chain is broken",
			  dev);
		free(fs->root);
		goto err_cache;
	}
	cn_vnode_init(&fs->root->vn, &dir_ops, m, S_IFDIR, 1);
	cn_vnode_get(&fs->root->vn);
	m->root = &fs->root->vn;
	m->priv = fs;
	fs->next_vol = volumes;
	volumes = fs;
	if (!hooked)
		hooked = atexit(sync_at_exit) == 0;
	free(sec);
	cn_pr_info("%s: FAT%u, %u clusters of %u bytes, %u free%s", dev,
		   fs->g.type, (unsigned int)fs->g.nclusters,
		   (unsigned int)fs->g.cluster_size,
		   (unsigned int)fs->free_count,
		   m->flags & CN_MOUNT_RDONLY ? ", read-only" : "");
	return 0;
err_cache:
	free(fs->ra);
	cache_free(fs);
err:
	free(fs);
	free(sec);
	return r;
}

static void fat_unmount(struct cn_vfs_mount *m)
{
	struct fatfs *fs = m->priv, **pp;
	int r = fs_sync(fs);

	for (pp = &volumes; *pp != fs; pp = &(*pp)->next_vol)
		;
	*pp = fs->next_vol;
	if (r)
		cn_pr_err("%s: data not written at unmount: %d (%s)",
			  fs->bd->name, r, cn_errname(r));
	while (fs->nodes) {
		struct fnode *n = fs->nodes;

		fs->nodes = n->next;
		free(n);
	}
	free(fs->root);
	free(fs->ra);
	cache_free(fs);
	free(fs);
}

static int fat_statfs(struct cn_vfs_mount *m, struct statvfs *out)
{
	struct fatfs *fs = m->priv;

	out->f_bsize = fs->g.cluster_size;
	out->f_frsize = fs->g.cluster_size;
	out->f_blocks = fs->g.nclusters;
	out->f_bfree = fs->free_count;
	out->f_bavail = fs->free_count;
	out->f_namemax = 255;
	return 0;
}

CN_FS_TYPE(fat) = {
	.name = "fat",
	.mount = fat_mount,
	.unmount = fat_unmount,
	.check_opts = fat_check_opts,
	.statfs = fat_statfs,
	.opts_help = "dev=BLKDEV (blk0, blk0p1, ...), readahead=KIB",
};
