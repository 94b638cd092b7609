/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs: a read-write file system in memory, for "/", /tmp and the
 * initrd's files. Every node (file, directory, symlink) is a struct rnode
 * with its vnode embedded; the VFS holds references on vnodes, the
 * directories hold links (nlink): a node is freed when both are gone.
 *
 * File data lives in 4 KiB blocks under a radix tree of 512-way index
 * blocks (height 0: the root is block 0 itself, allocated at the size the
 * file needs, so small files take little memory). Holes are NULL
 * pointers and read as zeros: a sparse file costs only what was written.
 * Directories are a hash table for lookups plus a list in creation order
 * for readdir, whose cookies (a per-directory counter) stay valid while
 * entries come and go.
 *
 * All operations run under the VFS lock. Memory is charged against the
 * mount's size= limit (none by default): data and index blocks, nodes and
 * names. Allocation failures are -ENOSPC, as tmpfs says.
 *
 * Data blocks can be lent (pinned) to sendfile(), which hands them to TCP
 * without a copy: see "pins" below.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <sys/statvfs.h>
#include <cairn/vfs_fs.h>

#define BLOCK_SHIFT	12
#define BLOCK_SIZE	(1u << BLOCK_SHIFT)
#define FAN_SHIFT	9
#define FAN		(1u << FAN_SHIFT)
#define MAX_HEIGHT	4
#define MAX_FILE	(1ull << (BLOCK_SHIFT + FAN_SHIFT * MAX_HEIGHT))
#define SMALL_ALIGN	64
#define DIR_LINK_MAX	65000	/* st_nlink is 16 bits in the C library */
#define BOGO_DIRENT	20	/* st_size of a directory per entry (tmpfs) */

struct rfs {
	uint64_t limit;		/* bytes; 0: none */
	uint64_t used;
	uint64_t next_ino;
	mode_t root_mode;
};

struct rnode;

struct rdirent {
	struct rdirent *hnext;		/* hash chain */
	struct rdirent *prev, *next;	/* creation order */
	struct rnode *node;
	uint64_t cookie;
	uint32_t hash;
	uint16_t len;
	char name[];
};

struct rdir {
	struct rdirent **buckets;
	unsigned int nbuckets;		/* a power of two; 0 before the first */
	unsigned int count;
	struct rdirent *head, *tail;
	struct rdirent *hint;		/* where the last readdir stopped */
	uint64_t next_cookie;
	struct rnode *parent;
};

struct rpin;

struct rfile {
	void *root;
	unsigned int height;
	size_t cap0;			/* height 0: bytes allocated in root */
	struct rpin *pins;		/* blocks lent out (see pins) */
};

struct rnode {
	struct cn_vnode vn;
	struct rfs *fs;
	mode_t mode;
	unsigned int nlink;
	uid_t uid;			/* chown's; 0 when made */
	gid_t gid;
	uint64_t size;			/* files; symlinks: target length */
	uint64_t data;			/* bytes of data blocks (st_blocks) */
	struct timespec atime, mtime, ctime;
	union {
		struct rfile f;
		struct rdir d;
		char *target;
	} u;
};

static const struct cn_vnode_ops dir_ops, file_ops, link_ops;

static struct rnode *RN(struct cn_vnode *vn)
{
	return (struct rnode *)vn;	/* the vnode is the first member */
}

static int charge(struct rfs *fs, uint64_t bytes)
{
	if (fs->limit && (fs->used + bytes > fs->limit ||
			  fs->used + bytes < fs->used))
		return -ENOSPC;
	fs->used += bytes;
	return 0;
}

static void uncharge(struct rfs *fs, uint64_t bytes)
{
	fs->used -= bytes;
}

/* ---------------------------------------------------------------- pins */

/*
 * A data block lent to sendfile() (lib/lwip hands it to TCP and the
 * device, and puts the pin when both are done, in whatever thread that
 * is, without the VFS lock). A pinned block is never changed or freed
 * in place: a write or a truncate into it copies it first and the copy
 * takes its place in the tree; freeing it (truncate, unlink, unmount)
 * hands it to the pin, which frees it with its last reference. Such a
 * handed-over block is no longer charged to the mount.
 *
 * A node's pins are a list (a few blocks of a file are in flight at a
 * time), walked and changed under lib/fdtab's pin lock
 * (cn_file_pin_lock(), not the big lock); the last put releases under
 * it too, so a pin found in the list is never one whose release is
 * under way.
 */
struct rpin {
	struct cn_file_pin pin;
	struct rpin *next;
	struct rnode *node;		/* NULL: the block is the pin's own */
	void *block;
};

static void pin_unlink(struct rpin *rp)
{
	struct rpin **pp = &rp->node->u.f.pins;

	while (*pp != rp)
		pp = &(*pp)->next;
	*pp = rp->next;
	rp->node = NULL;
}

/* The last put: the pin lock is held. */
static void pin_release(struct cn_file_pin *pin)
{
	struct rpin *rp = (struct rpin *)pin;

	if (rp->node)
		pin_unlink(rp);
	else
		free(rp->block);
	free(rp);
}

/* The pin lock is held. */
static struct rpin *pin_find(struct rnode *n, const void *block)
{
	struct rpin *rp;

	for (rp = n->u.f.pins; rp; rp = rp->next)
		if (rp->block == block)
			return rp;
	return NULL;
}

/* Before block is freed: true if a pin took it (do not free it). */
static bool pin_take(struct rnode *n, void *block)
{
	unsigned long irq;
	struct rpin *rp;

	if (!n->u.f.pins)
		return false;
	irq = cn_file_pin_lock();
	rp = pin_find(n, block);
	if (rp)
		pin_unlink(rp);
	cn_file_pin_unlock(irq);
	return rp != NULL;
}

/* Before *slot (cap bytes) is changed: a pinned block is copied first. */
static int pin_cow(struct rnode *n, void **slot, size_t cap)
{
	unsigned long irq;
	bool pinned;
	void *b;

	if (!n->u.f.pins)
		return 0;
	irq = cn_file_pin_lock();
	pinned = pin_find(n, *slot) != NULL;
	cn_file_pin_unlock(irq);
	if (!pinned)
		return 0;
	b = malloc(cap);
	if (!b)
		return -ENOSPC;
	memcpy(b, *slot, cap);
	if (!pin_take(n, *slot))	/* released meanwhile: ours again */
		free(*slot);
	*slot = b;
	return 0;
}

/* ---------------------------------------------------------------- data */

static uint64_t span_blocks(unsigned int height)
{
	return 1ull << (FAN_SHIFT * height);
}

/* Frees the subtree p of height h (0: a data block). */
static void free_tree(struct rnode *n, void *p, unsigned int h)
{
	unsigned int i;

	if (!p)
		return;
	if (h) {
		for (i = 0; i < FAN; i++)
			free_tree(n, ((void **)p)[i], h - 1);
	} else {
		n->data -= BLOCK_SIZE;
		if (pin_take(n, p)) {
			uncharge(n->fs, BLOCK_SIZE);
			return;
		}
	}
	free(p);
	uncharge(n->fs, BLOCK_SIZE);
}

static void free_data(struct rnode *n)
{
	struct rfile *f = &n->u.f;

	if (f->height) {
		free_tree(n, f->root, f->height);
	} else if (f->root) {
		if (!pin_take(n, f->root))
			free(f->root);
		uncharge(n->fs, f->cap0);
		n->data -= f->cap0;
	}
	f->root = NULL;
	f->height = 0;
	f->cap0 = 0;
}

/* The block bi if it exists (and its allocated size), else NULL. */
static char *block_find(struct rnode *n, uint64_t bi, size_t *cap)
{
	struct rfile *f = &n->u.f;
	void *p = f->root;
	unsigned int h;

	if (bi >= span_blocks(f->height))
		return NULL;
	*cap = f->height ? BLOCK_SIZE : f->cap0;
	for (h = f->height; h && p; h--)
		p = ((void **)p)[(bi >> (FAN_SHIFT * (h - 1))) & (FAN - 1)];
	return p;
}

/* Where the tree points at block bi (NULL if no index leads there). */
static void **block_slot(struct rnode *n, uint64_t bi)
{
	struct rfile *f = &n->u.f;
	void **slot = &f->root;
	unsigned int h;

	if (bi >= span_blocks(f->height))
		return NULL;
	for (h = f->height; h && *slot; h--)
		slot = &((void **)*slot)[(bi >> (FAN_SHIFT * (h - 1))) &
					 (FAN - 1)];
	return h ? NULL : slot;
}

/* Grows the small block 0 of a height-0 file to hold need bytes. */
static int grow_small(struct rnode *n, size_t need)
{
	struct rfile *f = &n->u.f;
	size_t cap = f->cap0 * 2;
	char *b;

	if (cap < need)
		cap = need;
	cap = (cap + SMALL_ALIGN - 1) & ~(size_t)(SMALL_ALIGN - 1);
	if (cap > BLOCK_SIZE)
		cap = BLOCK_SIZE;
	if (charge(n->fs, cap - f->cap0))
		return -ENOSPC;
	if (f->root && n->u.f.pins && pin_cow(n, &f->root, f->cap0)) {
		uncharge(n->fs, cap - f->cap0);
		return -ENOSPC;
	}
	b = realloc(f->root, cap);
	if (!b) {
		uncharge(n->fs, cap - f->cap0);
		return -ENOSPC;
	}
	memset(b + f->cap0, 0, cap - f->cap0);
	n->data += cap - f->cap0;
	f->root = b;
	f->cap0 = cap;
	return 0;
}

/* Makes the tree tall enough for block bi. */
static int grow_height(struct rnode *n, uint64_t bi)
{
	struct rfile *f = &n->u.f;
	void **idx;
	int r;

	if (f->height == 0 && f->root && f->cap0 < BLOCK_SIZE) {
		r = grow_small(n, BLOCK_SIZE);	/* block 0 becomes a leaf */
		if (r)
			return r;
	}
	while (bi >= span_blocks(f->height)) {
		if (f->height == MAX_HEIGHT)
			return -EFBIG;
		if (charge(n->fs, BLOCK_SIZE))
			return -ENOSPC;
		idx = calloc(FAN, sizeof(void *));
		if (!idx) {
			uncharge(n->fs, BLOCK_SIZE);
			return -ENOSPC;
		}
		idx[0] = f->root;
		f->root = idx;
		f->height++;
	}
	return 0;
}

/*
 * The block bi for a write of [in, in + len) in it, allocated if missing
 * (a new block is zeroed outside that range).
 */
static int block_for_write(struct rnode *n, uint64_t bi, size_t in, size_t len,
			   char **out)
{
	struct rfile *f = &n->u.f;
	void **slot = &f->root;
	unsigned int h;
	int r;

	if (bi == 0 && f->height == 0) {
		if (in + len > f->cap0) {
			r = grow_small(n, in + len);
			if (r)
				return r;
		}
		r = pin_cow(n, &f->root, f->cap0);
		*out = f->root;
		return r;
	}
	r = grow_height(n, bi);
	if (r)
		return r;
	for (h = f->height; h; h--) {
		if (!*slot) {
			if (charge(n->fs, BLOCK_SIZE))
				return -ENOSPC;
			*slot = calloc(FAN, sizeof(void *));
			if (!*slot) {
				uncharge(n->fs, BLOCK_SIZE);
				return -ENOSPC;
			}
		}
		slot = &((void **)*slot)[(bi >> (FAN_SHIFT * (h - 1))) &
					 (FAN - 1)];
	}
	if (!*slot) {
		char *b;

		if (charge(n->fs, BLOCK_SIZE))
			return -ENOSPC;
		b = malloc(BLOCK_SIZE);
		if (!b) {
			uncharge(n->fs, BLOCK_SIZE);
			return -ENOSPC;
		}
		memset(b, 0, in);
		memset(b + in + len, 0, BLOCK_SIZE - in - len);
		n->data += BLOCK_SIZE;
		*slot = b;
	}
	r = pin_cow(n, slot, BLOCK_SIZE);
	*out = *slot;
	return r;
}

static ssize_t rf_read(struct cn_vnode *vn, void *buf, size_t len, off_t off)
{
	struct rnode *n = RN(vn);
	char *dst = buf, *b;
	size_t done = 0, chunk, in, cap, c;
	uint64_t pos;

	if (off < 0)
		return -EINVAL;
	if ((uint64_t)off >= n->size)
		return 0;
	if (len > n->size - (uint64_t)off)
		len = (size_t)(n->size - (uint64_t)off);
	while (done < len) {
		pos = (uint64_t)off + done;
		in = pos & (BLOCK_SIZE - 1);
		chunk = BLOCK_SIZE - in < len - done ? BLOCK_SIZE - in
						     : len - done;
		b = block_find(n, pos >> BLOCK_SHIFT, &cap);
		c = !b || in >= cap ? 0 : cap - in < chunk ? cap - in : chunk;
		if (c)
			memcpy(dst + done, b + in, c);
		if (c < chunk)
			memset(dst + done + c, 0, chunk - c);
		done += chunk;
	}
	return (ssize_t)len;
}

static void zero_release(struct cn_file_pin *pin)
{
	(void)pin;			/* never: its count starts at 1 */
}

static const char zeros[BLOCK_SIZE];
static struct cn_file_pin zero_pin = { .refs = 1, .release = zero_release };

/* Lends data up to the end of one block (a hole lends zeros). */
static ssize_t rf_pin(struct cn_vnode *vn, off_t off, size_t len,
		      const void **data, struct cn_file_pin **out)
{
	struct rnode *n = RN(vn);
	uint64_t pos = (uint64_t)off;
	size_t in = pos & (BLOCK_SIZE - 1), cap;
	unsigned long irq;
	struct rpin *rp;
	char *b;

	if (pos >= n->size)
		return 0;
	if (len > n->size - pos)
		len = (size_t)(n->size - pos);
	if (len > BLOCK_SIZE - in)
		len = BLOCK_SIZE - in;
	b = block_find(n, pos >> BLOCK_SHIFT, &cap);
	if (!b || in >= cap) {
		cn_file_pin_get(&zero_pin);
		*data = zeros + in;
		*out = &zero_pin;
		return (ssize_t)len;
	}
	if (len > cap - in)
		len = cap - in;
	irq = cn_file_pin_lock();
	rp = pin_find(n, b);
	if (rp)
		rp->pin.refs++;
	cn_file_pin_unlock(irq);
	if (!rp) {
		rp = malloc(sizeof(*rp));
		if (!rp)
			return -ENOMEM;
		rp->pin.refs = 1;
		rp->pin.release = pin_release;
		rp->node = n;
		rp->block = b;
		irq = cn_file_pin_lock();
		rp->next = n->u.f.pins;
		n->u.f.pins = rp;
		cn_file_pin_unlock(irq);
	}
	*data = b + in;
	*out = &rp->pin;
	return (ssize_t)len;
}

static ssize_t rf_write(struct cn_vnode *vn, const void *buf, size_t len,
			off_t off)
{
	struct rnode *n = RN(vn);
	const char *src = buf;
	size_t done = 0, chunk, in;
	uint64_t pos;
	char *b;
	int r = 0;

	if (off < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if ((uint64_t)off >= MAX_FILE)
		return -EFBIG;
	if (len > MAX_FILE - (uint64_t)off)
		len = (size_t)(MAX_FILE - (uint64_t)off);
	while (done < len) {
		pos = (uint64_t)off + done;
		in = pos & (BLOCK_SIZE - 1);
		chunk = BLOCK_SIZE - in < len - done ? BLOCK_SIZE - in
						     : len - done;
		r = block_for_write(n, pos >> BLOCK_SHIFT, in, chunk, &b);
		if (r)
			break;
		memcpy(b + in, src + done, chunk);
		done += chunk;
	}
	if (!done)
		return r;
	if ((uint64_t)off + done > n->size)
		n->size = (uint64_t)off + done;
	cn_vfs_now(&n->mtime);
	n->ctime = n->mtime;
	return (ssize_t)done;
}

/*
 * Frees the blocks from first on in the subtree *slot of height h whose
 * first block is base. Returns true when the subtree is gone.
 */
static bool trim(struct rnode *n, void **slot, unsigned int h, uint64_t base,
		 uint64_t first)
{
	uint64_t sub = span_blocks(h) / FAN;
	bool empty = true;
	void **idx = *slot;
	unsigned int i;

	if (!idx)
		return true;
	if (base >= first) {
		free_tree(n, idx, h);
		*slot = NULL;
		return true;
	}
	if (!h)
		return false;
	for (i = 0; i < FAN; i++) {
		if (base + (i + 1) * sub <= first)
			empty = empty && !idx[i];
		else
			empty = trim(n, &idx[i], h - 1, base + i * sub,
				     first) && empty;
	}
	if (empty) {
		free(idx);
		uncharge(n->fs, BLOCK_SIZE);
		*slot = NULL;
	}
	return empty;
}

/* Lowers the tree while only its first branch is used. */
static void collapse(struct rnode *n)
{
	struct rfile *f = &n->u.f;
	void **idx;
	unsigned int i;

	while (f->height) {
		idx = f->root;
		if (idx) {
			for (i = 1; i < FAN && !idx[i]; i++)
				;
			if (i < FAN)
				return;
			f->root = idx[0];
			free(idx);
			uncharge(n->fs, BLOCK_SIZE);
		}
		f->height--;
	}
	f->cap0 = f->root ? BLOCK_SIZE : 0;
}

static int rf_truncate(struct cn_vnode *vn, off_t len)
{
	struct rnode *n = RN(vn);
	struct rfile *f = &n->u.f;
	uint64_t size = (uint64_t)len, first;
	size_t cap, in;
	void **slot;
	char *b;

	if (len < 0)
		return -EINVAL;
	if (size > MAX_FILE)
		return -EFBIG;
	if (size < n->size) {
		first = (size + BLOCK_SIZE - 1) >> BLOCK_SHIFT;
		if (!size)
			free_data(n);
		else if (f->height)
			trim(n, &f->root, f->height, 0, first);
		/* The kept part of the last block must read as zeros later. */
		in = size & (BLOCK_SIZE - 1);
		b = in ? block_find(n, size >> BLOCK_SHIFT, &cap) : NULL;
		if (b && in < cap) {
			slot = block_slot(n, size >> BLOCK_SHIFT);
			if (pin_cow(n, slot, cap))
				return -ENOSPC;
			memset((char *)*slot + in, 0, cap - in);
		}
		if (f->height)
			collapse(n);
	}
	n->size = size;
	cn_vfs_now(&n->mtime);
	n->ctime = n->mtime;
	return 0;
}

/* ---------------------------------------------------------- directories */

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (len--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct rdirent *dir_find(struct rdir *d, const char *name, size_t len)
{
	uint32_t h;
	struct rdirent *e;

	if (!d->nbuckets)
		return NULL;
	h = name_hash(name, len);
	for (e = d->buckets[h & (d->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->len == len &&
		    !memcmp(e->name, name, len))
			return e;
	return NULL;
}

static int dir_rehash(struct rnode *dn, unsigned int nb)
{
	struct rdir *d = &dn->u.d;
	struct rdirent **b, *e;
	size_t bytes = nb * sizeof(*b), old = d->nbuckets * sizeof(*b);

	if (bytes > old && charge(dn->fs, bytes - old))
		return -ENOSPC;
	b = calloc(nb, sizeof(*b));
	if (!b) {
		if (bytes > old)
			uncharge(dn->fs, bytes - old);
		return -ENOSPC;
	}
	for (e = d->head; e; e = e->next) {
		e->hnext = b[e->hash & (nb - 1)];
		b[e->hash & (nb - 1)] = e;
	}
	free(d->buckets);
	d->buckets = b;
	d->nbuckets = nb;
	return 0;
}

static int dir_add(struct rnode *dn, const char *name, size_t len,
		   struct rnode *node)
{
	struct rdir *d = &dn->u.d;
	struct rdirent *e;
	size_t sz = sizeof(*e) + len;
	int r;

	if (d->count + 1 > d->nbuckets * 2) {
		r = dir_rehash(dn, d->nbuckets ? d->nbuckets * 2 : 8);
		if (r)
			return r;
	}
	if (charge(dn->fs, sz))
		return -ENOSPC;
	e = malloc(sz);
	if (!e) {
		uncharge(dn->fs, sz);
		return -ENOSPC;
	}
	memcpy(e->name, name, len);
	e->len = (uint16_t)len;
	e->hash = name_hash(name, len);
	e->node = node;
	e->cookie = d->next_cookie++;
	e->hnext = d->buckets[e->hash & (d->nbuckets - 1)];
	d->buckets[e->hash & (d->nbuckets - 1)] = e;
	e->next = NULL;
	e->prev = d->tail;
	if (d->tail)
		d->tail->next = e;
	else
		d->head = e;
	d->tail = e;
	d->count++;
	cn_vfs_now(&dn->mtime);
	dn->ctime = dn->mtime;
	return 0;
}

static void dir_del(struct rnode *dn, struct rdirent *e)
{
	struct rdir *d = &dn->u.d;
	struct rdirent **pp = &d->buckets[e->hash & (d->nbuckets - 1)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		d->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		d->tail = e->prev;
	if (d->hint == e)
		d->hint = e->next;
	d->count--;
	uncharge(dn->fs, sizeof(*e) + e->len);
	free(e);
	cn_vfs_now(&dn->mtime);
	dn->ctime = dn->mtime;
}

/* ---------------------------------------------------------------- nodes */

static struct rnode *node_new(struct rfs *fs, struct cn_vfs_mount *m,
			      mode_t mode)
{
	const struct cn_vnode_ops *ops;
	struct rnode *n;

	switch (mode & S_IFMT) {
	case S_IFREG:
		ops = &file_ops;
		break;
	case S_IFDIR:
		ops = &dir_ops;
		break;
	case S_IFLNK:
		ops = &link_ops;
		break;
	default:
		return NULL;
	}
	if (charge(fs, sizeof(*n)))
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n) {
		uncharge(fs, sizeof(*n));
		return NULL;
	}
	cn_vnode_init(&n->vn, ops, m, mode, ++fs->next_ino);
	n->fs = fs;
	n->mode = mode;
	if (S_ISDIR(mode)) {
		n->nlink = 2;
		n->u.d.next_cookie = 2;
		n->u.d.parent = n;
	} else {
		n->nlink = 1;
	}
	cn_vfs_now(&n->mtime);
	n->atime = n->ctime = n->mtime;
	return n;
}

/* Frees a node nothing links or references. A directory is empty. */
static void node_free(struct rnode *n)
{
	if (S_ISREG(n->mode)) {
		free_data(n);
	} else if (S_ISDIR(n->mode)) {
		uncharge(n->fs, n->u.d.nbuckets * sizeof(struct rdirent *));
		free(n->u.d.buckets);
	} else if (S_ISLNK(n->mode) && n->u.target) {
		uncharge(n->fs, n->size + 1);
		free(n->u.target);
	}
	uncharge(n->fs, sizeof(*n));
	free(n);
}

static void maybe_free(struct rnode *n)
{
	if (!n->nlink && !n->vn.refs)
		node_free(n);
}

static void r_inactive(struct cn_vnode *vn)
{
	maybe_free(RN(vn));
}

static int r_lookup(struct cn_vnode *dir, const char *name, size_t len,
		    struct cn_vnode **out)
{
	struct rnode *dn = RN(dir);
	struct rdirent *e;
	struct rnode *n;

	if (!dn->nlink)
		return -ENOENT;		/* removed while in use */
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		n = dn->u.d.parent;
	} else {
		e = dir_find(&dn->u.d, name, len);
		if (!e)
			return -ENOENT;
		n = e->node;
	}
	cn_vnode_get(&n->vn);
	*out = &n->vn;
	return 0;
}

static int r_create(struct cn_vnode *dir, const char *name, size_t len,
		    mode_t mode, const char *target, struct cn_vnode **out)
{
	struct rnode *dn = RN(dir), *n;
	size_t tlen = 0;
	int r;

	if (!dn->nlink)
		return -ENOENT;
	if (dir_find(&dn->u.d, name, len))
		return -EEXIST;
	if (!S_ISREG(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		return -EPERM;		/* no device nodes or fifos here */
	if (S_ISDIR(mode) && dn->nlink >= DIR_LINK_MAX)
		return -EMLINK;
	n = node_new(dn->fs, dir->mnt, mode);
	if (!n)
		return -ENOSPC;
	if (S_ISLNK(mode)) {
		tlen = strlen(target);
		if (charge(dn->fs, tlen + 1) ||
		    !(n->u.target = malloc(tlen + 1))) {
			node_free(n);
			return -ENOSPC;
		}
		memcpy(n->u.target, target, tlen + 1);
		n->size = tlen;
	}
	r = dir_add(dn, name, len, n);
	if (r) {
		node_free(n);
		return r;
	}
	if (S_ISDIR(mode)) {
		n->u.d.parent = dn;
		dn->nlink++;
	}
	if (out) {
		cn_vnode_get(&n->vn);
		*out = &n->vn;
	}
	return 0;
}

static int r_link(struct cn_vnode *dir, const char *name, size_t len,
		  struct cn_vnode *vn)
{
	struct rnode *dn = RN(dir), *n = RN(vn);
	int r;

	if (!dn->nlink || !n->nlink)
		return -ENOENT;
	if (dir_find(&dn->u.d, name, len))
		return -EEXIST;
	if (n->nlink >= DIR_LINK_MAX)
		return -EMLINK;
	r = dir_add(dn, name, len, n);
	if (r)
		return r;
	n->nlink++;
	cn_vfs_now(&n->ctime);
	return 0;
}

/* Drops one link of n (a name gone); dir lost it as a child. */
static void drop_link(struct rnode *dn, struct rnode *n)
{
	if (S_ISDIR(n->mode)) {
		n->nlink = 0;
		dn->nlink--;
	} else {
		n->nlink--;
	}
	cn_vfs_now(&n->ctime);
	maybe_free(n);
}

static int r_unlink(struct cn_vnode *dir, const char *name, size_t len,
		    struct cn_vnode *vn)
{
	struct rnode *dn = RN(dir), *n;
	struct rdirent *e = dir_find(&dn->u.d, name, len);

	if (!e)
		return -ENOENT;
	n = e->node;
	if (S_ISDIR(n->mode) && n->u.d.count)
		return -ENOTEMPTY;
	dir_del(dn, e);
	drop_link(dn, n);
	return 0;
}

static int r_rename(struct cn_vnode *olddir, const char *oldname,
		    size_t oldlen, struct cn_vnode *newdir, const char *newname,
		    size_t newlen)
{
	struct rnode *od = RN(olddir), *nd = RN(newdir), *n, *t;
	struct rdirent *oe = dir_find(&od->u.d, oldname, oldlen);
	struct rdirent *ne = dir_find(&nd->u.d, newname, newlen);
	int r;

	if (!oe || !nd->nlink)
		return -ENOENT;
	n = oe->node;
	if (ne) {
		t = ne->node;
		if (S_ISDIR(t->mode) && t->u.d.count)
			return -ENOTEMPTY;
		ne->node = n;		/* the name now names n */
		cn_vfs_now(&nd->mtime);
		nd->ctime = nd->mtime;
		drop_link(nd, t);
	} else {
		if (S_ISDIR(n->mode) && od != nd && nd->nlink >= DIR_LINK_MAX)
			return -EMLINK;
		r = dir_add(nd, newname, newlen, n);
		if (r)
			return r;
	}
	dir_del(od, oe);
	if (S_ISDIR(n->mode) && od != nd) {
		od->nlink--;
		nd->nlink++;
		n->u.d.parent = nd;
	}
	cn_vfs_now(&n->ctime);
	return 0;
}

static int r_readdir(struct cn_vnode *dir, off_t *cookie,
		     cn_vfs_filldir_fn fill, void *ctx)
{
	struct rnode *dn = RN(dir);
	struct rdir *d = &dn->u.d;
	struct rdirent *e;

	if (!dn->nlink)
		return 0;		/* removed: empty, as on Linux */
	if (*cookie == 0) {
		if (fill(ctx, ".", 1, dir->ino, cn_vfs_dtype(S_IFDIR), 1))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, d->parent->vn.ino,
			 cn_vfs_dtype(S_IFDIR), 2))
			return 0;
		*cookie = 2;
	}
	/* Resume where the last call stopped, else search from the start. */
	e = d->hint;
	if (!e || e->cookie < (uint64_t)*cookie ||
	    (e->prev && e->prev->cookie >= (uint64_t)*cookie))
		for (e = d->head; e && e->cookie < (uint64_t)*cookie;)
			e = e->next;
	for (; e; e = e->next) {
		if (fill(ctx, e->name, e->len, e->node->vn.ino,
			 cn_vfs_dtype(e->node->mode), (off_t)e->cookie + 1)) {
			d->hint = e;
			return 0;
		}
		*cookie = (off_t)e->cookie + 1;
	}
	d->hint = NULL;
	return 0;
}

/* ---------------------------------------------------------- attributes */

static int r_getattr(struct cn_vnode *vn, struct stat *st)
{
	struct rnode *n = RN(vn);

	st->st_ino = (ino_t)vn->ino;
	st->st_mode = n->mode;
	st->st_nlink = (nlink_t)n->nlink;
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	if (S_ISDIR(n->mode))
		st->st_size = (off_t)(n->u.d.count + 2) * BOGO_DIRENT;
	else
		st->st_size = (off_t)n->size;
	st->st_blksize = BLOCK_SIZE;
	st->st_blocks = (blkcnt_t)((n->data + 511) / 512);
	st->st_atim = n->atime;
	st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
	return 0;
}

static int r_setattr(struct cn_vnode *vn, const struct cn_vattr *va)
{
	struct rnode *n = RN(vn);

	if (va->mask & CN_VATTR_MODE)
		n->mode = (n->mode & S_IFMT) | (va->mode & 07777);
	if (va->mask & CN_VATTR_ATIME)
		n->atime = va->atime;
	if (va->mask & CN_VATTR_MTIME)
		n->mtime = va->mtime;
	if (va->mask & CN_VATTR_UID)
		n->uid = va->uid;
	if (va->mask & CN_VATTR_GID)
		n->gid = va->gid;
	cn_vfs_now(&n->ctime);
	return 0;
}

static ssize_t r_readlink(struct cn_vnode *vn, char *buf, size_t len)
{
	struct rnode *n = RN(vn);
	size_t c = n->size < len ? (size_t)n->size : len;

	memcpy(buf, n->u.target, c);
	return (ssize_t)c;
}

static const struct cn_vnode_ops dir_ops = {
	.lookup = r_lookup,
	.create = r_create,
	.link = r_link,
	.unlink = r_unlink,
	.rename = r_rename,
	.readdir = r_readdir,
	.getattr = r_getattr,
	.setattr = r_setattr,
	.inactive = r_inactive,
};

static const struct cn_vnode_ops file_ops = {
	.getattr = r_getattr,
	.setattr = r_setattr,
	.read = rf_read,
	.write = rf_write,
	.truncate = rf_truncate,
	.pin = rf_pin,
	.inactive = r_inactive,
};

static const struct cn_vnode_ops link_ops = {
	.getattr = r_getattr,
	.setattr = r_setattr,
	.readlink = r_readlink,
	.inactive = r_inactive,
};

/* --------------------------------------------------------------- mounts */

/* Parses size= and mode=; the message says what is wrong. */
static int parse_opts(const char *opts, struct rfs *fs, char *msg, size_t len)
{
	const char *p = opts;

	fs->limit = 0;
	fs->root_mode = 0755;
	while (*p) {
		const char *e = strchr(p, ','), *v;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *end;

		v = memchr(p, '=', n);
		if (v && v - p == 4 && !memcmp(p, "size", 4)) {
			if (cn_vfs_parse_size(v + 1, n - 5, &fs->limit)) {
				snprintf(msg, len, "bad size '%.*s' (a number "
					 "of bytes with K, M or G)",
					 (int)(n - 5), v + 1);
				return -EINVAL;
			}
		} else if (v && v - p == 4 && !memcmp(p, "mode", 4)) {
			unsigned long m = strtoul(v + 1, &end, 8);

			if (end != p + n || n == 5 || m > 07777) {
				snprintf(msg, len, "bad mode '%.*s' (octal, "
					 "at most 7777)", (int)(n - 5), v + 1);
				return -EINVAL;
			}
			fs->root_mode = (mode_t)m;
		} else {
			snprintf(msg, len, "unknown option '%.*s'", (int)n, p);
			return -EINVAL;
		}
		p += n + (e ? 1 : 0);
	}
	return 0;
}

static int ramfs_check_opts(const char *opts, char *msg, size_t len)
{
	struct rfs fs;

	return parse_opts(opts, &fs, msg, len);
}

static int ramfs_mount(struct cn_vfs_mount *m, const char *opts)
{
	struct rfs *fs = calloc(1, sizeof(*fs));
	struct rnode *root;
	char msg[96];

	if (!fs)
		return -ENOMEM;
	if (parse_opts(opts, fs, msg, sizeof(msg))) {
		free(fs);
		return -EINVAL;
	}
	root = node_new(fs, m, S_IFDIR | fs->root_mode);
	if (!root) {
		free(fs);
		return -ENOSPC;
	}
	cn_vnode_get(&root->vn);
	m->root = &root->vn;
	m->priv = fs;
	return 0;
}

/* Frees the whole tree without recursion (paths may be deep). */
static void ramfs_unmount(struct cn_vfs_mount *m)
{
	struct rnode *root = RN(m->root), *n = root, *c, *up;
	struct rdirent *e;

	while (n) {
		if (S_ISDIR(n->mode) && n->u.d.head) {
			e = n->u.d.head;
			c = e->node;
			dir_del(n, e);
			if (S_ISDIR(c->mode)) {
				n = c;		/* empty it first */
				continue;
			}
			c->nlink--;
			maybe_free(c);
			continue;
		}
		up = n == root ? NULL : n->u.d.parent;
		n->nlink = 0;
		node_free(n);
		n = up;
	}
	free(m->priv);
}

/* Blocks of 4 KiB: the size= limit and what is left of it; without a
 * limit, what is used and nothing counted as free (as f_bfree cannot
 * say "the heap"). */
static int ramfs_statfs(struct cn_vfs_mount *m, struct statvfs *out)
{
	struct rfs *fs = m->priv;
	uint64_t used = (fs->used + BLOCK_SIZE - 1) / BLOCK_SIZE;

	out->f_bsize = out->f_frsize = BLOCK_SIZE;
	out->f_blocks = fs->limit ? fs->limit / BLOCK_SIZE : used;
	out->f_bfree = out->f_bavail = out->f_blocks > used ?
				       out->f_blocks - used : 0;
	out->f_namemax = NAME_MAX;
	return 0;
}

CN_FS_TYPE(ramfs) = {
	.name = "ramfs",
	.mount = ramfs_mount,
	.unmount = ramfs_unmount,
	.check_opts = ramfs_check_opts,
	.statfs = ramfs_statfs,
	.opts_help = "size=BYTES[K|M|G] (0: no limit), mode=OCTAL (of the "
		     "root directory)",
};
