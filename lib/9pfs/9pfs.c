/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 9pfs: a host folder mounted over a 9P2000.L channel (drivers/virtio-9p)
 * as a lib/vfs file system:
 *
 *	vfs.mount="9p:/www:tag=site"
 *
 * Every vnode holds a fid walked to its file (never opened), plus, once
 * it is read or written, an opened fid (one O_RDWR fid serves both ways;
 * a file the server will not open for both gets one fid per direction).
 * Live vnodes are kept in a list by qid path, so two walks to one file
 * give one vnode (the VFS compares vnodes). By default (cache=none)
 * nothing is cached: each read, write and stat asks the server, so a
 * file edited on the host is seen at once. With cache=loose each file
 * has one window of its bytes (up to a message's payload): small writes
 * gather there and go out as one Twrite, small reads are served from a
 * window read ahead in one Tread (see "the file cache" below).
 *
 * Every operation runs under the VFS lock (none sets `unlocked`: O_APPEND
 * needs the size and the write under one lock), so the mount's state
 * needs no lock of its own. Errors: the server's Rlerror becomes the
 * errno Linux would give; a reply that does not parse, has another tag or
 * size, or the channel failing gives -EIO and a log line; a server that
 * does not answer within the timeout makes the mount give -EIO from then
 * on (logged once), so nothing hangs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/9pfs_proto.h>
#include <cairn/9pfs_trans.h>
#include <cairn/errname.h>
#include <cairn/log.h>
#include <cairn/vfs_fs.h>
#if __has_include(<sys/statvfs.h>)
#include <sys/statvfs.h>
#define HAVE_STATVFS 1
#endif

#define DEFAULT_MSIZE	(512u * 1024)	/* the transport caps it */
#define DEFAULT_TIMEOUT	30		/* seconds */
#define TAG_MAX		64

struct p9_mount;

struct p9_node {
	struct cn_vnode vn;
	struct p9_mount *pm;
	uint32_t fid;			/* walked here, not opened; NOFID
					 * for a file we created: its
					 * opened fid serves instead */
	uint32_t rfid, wfid;		/* opened; CN_9P_NOFID if not */
	struct p9_node *next;		/* in pm->nodes */
	/* cache=loose: bytes [cpos, cpos + clen) of the file, in cbuf. */
	char *cbuf;
	uint64_t cpos;
	uint32_t clen;
	bool cdirty;			/* not on the server yet */
	int cerr;			/* a failed write-back, for fsync */
};

struct p9_mount {
	struct cn_9pfs_trans *t;
	uint32_t msize;
	uint64_t timeout_ns;
	struct p9_node *nodes;
	uint32_t next_fid;
	uint32_t *free_fids;
	unsigned int nr_free, cap_free;
	bool dead;
	bool loose;			/* cache=loose */
	uint32_t cwin;			/* its window: a message's payload */
	struct p9_mount *next_loose;	/* mounts written back at exit */
	char tag[TAG_MAX + 1];
};

#define PN(v) ((struct p9_node *)(v))

static const struct cn_vnode_ops p9_ops;

/* ------------------------------------------------------------------ fids */

static uint32_t fid_alloc(struct p9_mount *pm)
{
	if (pm->nr_free)
		return pm->free_fids[--pm->nr_free];
	return pm->next_fid++;
}

static void fid_free(struct p9_mount *pm, uint32_t fid)
{
	if (pm->nr_free == pm->cap_free) {
		unsigned int cap = pm->cap_free ? 2 * pm->cap_free : 32;
		uint32_t *n = realloc(pm->free_fids, cap * sizeof(*n));

		if (!n)
			return;	/* the number is lost, nothing else */
		pm->free_fids = n;
		pm->cap_free = cap;
	}
	pm->free_fids[pm->nr_free++] = fid;
}

/* ----------------------------------------------------------------- calls */

struct call {
	struct cn_9pfs_req *r;
	struct cn_9pfs_msg m;
	uint32_t extra;		/* bytes sent from r->tx_data */
	uint8_t type;
	uint16_t tag;
};

static const char *type_name(uint8_t t)
{
	switch (t) {
	case CN_9P_TVERSION: return "Tversion";
	case CN_9P_TATTACH: return "Tattach";
	case CN_9P_TWALK: return "Twalk";
	case CN_9P_TLOPEN: return "Tlopen";
	case CN_9P_TLCREATE: return "Tlcreate";
	case CN_9P_TREAD: return "Tread";
	case CN_9P_TWRITE: return "Twrite";
	case CN_9P_TCLUNK: return "Tclunk";
	case CN_9P_TGETATTR: return "Tgetattr";
	case CN_9P_TSETATTR: return "Tsetattr";
	case CN_9P_TREADDIR: return "Treaddir";
	case CN_9P_TMKDIR: return "Tmkdir";
	case CN_9P_TUNLINKAT: return "Tunlinkat";
	case CN_9P_TRENAMEAT: return "Trenameat";
	case CN_9P_TSYMLINK: return "Tsymlink";
	case CN_9P_TREADLINK: return "Treadlink";
	case CN_9P_TFSYNC: return "Tfsync";
	case CN_9P_TSTATFS: return "Tstatfs";
	case CN_9P_TLINK: return "Tlink";
	}
	return "T?";
}

/* Takes a request slot and starts a message of type: 0 or -EIO. */
static int call_begin(struct p9_mount *pm, struct call *c, uint8_t type)
{
	if (pm->dead)
		return -EIO;
	c->r = pm->t->ops->req_get(pm->t);
	if (!c->r)
		return -EIO;
	c->type = type;
	c->extra = 0;
	c->tag = type == CN_9P_TVERSION ? CN_9P_NOTAG : c->r->tag;
	cn_9pfs_msg_start(&c->m, c->r->tx, pm->msize, type, c->tag);
	return 0;
}

/*
 * Sends the message and opens the reply: 0 (c->m at the body), the
 * server's -errno, or -EIO (logged). The slot is kept: call_end().
 */
static int call_do(struct p9_mount *pm, struct call *c)
{
	const char *why = NULL;
	int r;

	c->r->txlen = cn_9pfs_msg_finish(&c->m);
	if (!c->r->txlen)
		return -ENAMETOOLONG;	/* names longer than the message */
	if (c->extra) {
		/* The size field counts the payload sent from elsewhere. */
		uint32_t size = c->r->txlen + c->extra;

		c->r->tx[0] = (uint8_t)size;
		c->r->tx[1] = (uint8_t)(size >> 8);
		c->r->tx[2] = (uint8_t)(size >> 16);
		c->r->tx[3] = (uint8_t)(size >> 24);
	}
	r = pm->t->ops->rpc(pm->t, c->r, pm->timeout_ns);
	if (r == -ETIMEDOUT) {
		pm->dead = true;
		cn_pr_err("%s: no reply to %s within %llu s: the server is "
			  "gone; every call on this mount fails with EIO now",
			  pm->tag, type_name(c->type),
			  (unsigned long long)(pm->timeout_ns / 1000000000));
		return -EIO;
	}
	if (r)
		return -EIO;
	r = cn_9pfs_reply_open(&c->m, c->r->rx, c->r->rxlen, c->type, c->tag,
			       &why);
	if (r == -EIO && why)
		cn_pr_err("%s: bad reply to %s: %s; EIO", pm->tag,
			  type_name(c->type), why);
	return r;
}

/* Checks the decoded body and gives the slot back: r, or -EIO. */
static int call_end(struct p9_mount *pm, struct call *c, int r)
{
	if (!r && cn_9pfs_msg_ok(&c->m)) {
		cn_pr_err("%s: truncated reply to %s; EIO", pm->tag,
			  type_name(c->type));
		r = -EIO;
	}
	pm->t->ops->req_put(pm->t, c->r);
	return r;
}

/* A call whose reply has no body. */
static int simple_end(struct p9_mount *pm, struct call *c)
{
	return call_end(pm, c, call_do(pm, c));
}

static void clunk(struct p9_mount *pm, uint32_t fid)
{
	struct call c;

	if (fid == CN_9P_NOFID)
		return;
	if (!call_begin(pm, &c, CN_9P_TCLUNK)) {
		cn_9pfs_put_u32(&c.m, fid);
		(void)simple_end(pm, &c);
	}
	/* Clunk frees the fid even when it fails (the 9P rule). */
	fid_free(pm, fid);
}

/* Walks fid by one name (or none: a clone) to a new fid. */
static int walk(struct p9_mount *pm, uint32_t fid, const char *name,
		size_t len, uint32_t *newfid, struct cn_9pfs_qid *qid)
{
	struct call c;
	uint32_t nf = fid_alloc(pm);
	uint16_t n;
	int r = call_begin(pm, &c, CN_9P_TWALK);

	if (r) {
		fid_free(pm, nf);
		return r;
	}
	cn_9pfs_put_u32(&c.m, fid);
	cn_9pfs_put_u32(&c.m, nf);
	cn_9pfs_put_u16(&c.m, name ? 1 : 0);
	if (name)
		cn_9pfs_put_str(&c.m, name, len);
	r = call_do(pm, &c);
	if (!r) {
		n = cn_9pfs_get_u16(&c.m);
		if (n != (name ? 1 : 0))
			r = -ENOENT;	/* a partial walk: fid not made */
		else if (name)
			cn_9pfs_get_qid(&c.m, qid);
	}
	r = call_end(pm, &c, r);
	if (r) {
		fid_free(pm, nf);
		return r;
	}
	*newfid = nf;
	return 0;
}

static int getattr_fid(struct p9_mount *pm, uint32_t fid,
		       struct cn_9pfs_attr *a)
{
	struct call c;
	int r = call_begin(pm, &c, CN_9P_TGETATTR);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, fid);
	cn_9pfs_put_u64(&c.m, CN_9P_GETATTR_BASIC);
	r = call_do(pm, &c);
	if (!r)
		cn_9pfs_get_attr(&c.m, a);
	return call_end(pm, &c, r);
}

/* Opens a clone of fid with Linux flags: the new fid or -errno. */
static int lopen(struct p9_mount *pm, uint32_t fid, uint32_t flags,
		 uint32_t *out)
{
	struct cn_9pfs_qid qid;
	struct call c;
	uint32_t nf;
	int r = walk(pm, fid, NULL, 0, &nf, &qid);

	if (r)
		return r;
	r = call_begin(pm, &c, CN_9P_TLOPEN);
	if (r) {
		clunk(pm, nf);
		return r;
	}
	cn_9pfs_put_u32(&c.m, nf);
	cn_9pfs_put_u32(&c.m, flags);
	r = simple_end(pm, &c);
	if (r) {
		clunk(pm, nf);
		return r;
	}
	*out = nf;
	return 0;
}

/* ----------------------------------------------------------------- nodes */

static struct p9_node *node_find(struct p9_mount *pm, uint64_t path)
{
	struct p9_node *n;

	for (n = pm->nodes; n; n = n->next)
		if (n->vn.ino == path)
			return n;
	return NULL;
}

/* The vnode type a qid tells: directories and symlinks apart, the rest
 * are files (p9_getattr reports what the server says). */
static mode_t qid_type(const struct cn_9pfs_qid *qid)
{
	if (qid->type & CN_9P_QTDIR)
		return S_IFDIR;
	if (qid->type & CN_9P_QTSYMLINK)
		return S_IFLNK;
	return S_IFREG;
}

/*
 * The vnode for fid (walked to a file with qid; for a file just created,
 * its opened fid with walked NOFID), with a reference: the live one for
 * that file if there is one (the fids are then clunked or handed to it),
 * else a new one owning them. No Tgetattr: the qid has what the VFS
 * needs, which saves a round trip on every lookup.
 */
static int node_get(struct cn_vfs_mount *m, uint32_t fid, uint32_t ofid,
		    const struct cn_9pfs_qid *qid, struct cn_vnode **out)
{
	struct p9_mount *pm = m->priv;
	struct p9_node *n = node_find(pm, qid->path);

	if (n) {
		clunk(pm, fid);
		if (n->rfid == CN_9P_NOFID && n->wfid == CN_9P_NOFID)
			n->rfid = n->wfid = ofid;
		else
			clunk(pm, ofid);
		cn_vnode_get(&n->vn);
		*out = &n->vn;
		return 0;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		clunk(pm, fid);
		clunk(pm, ofid);
		return -ENOMEM;
	}
	cn_vnode_init(&n->vn, &p9_ops, m, qid_type(qid), qid->path);
	n->pm = pm;
	n->fid = fid;
	n->rfid = n->wfid = ofid;
	n->next = pm->nodes;
	pm->nodes = n;
	cn_vnode_get(&n->vn);
	*out = &n->vn;
	return 0;
}

/* A fid that reaches n for calls that take any fid (getattr, setattr,
 * link): the walked one, else the opened one. */
static uint32_t any_fid(const struct p9_node *n)
{
	return n->fid != CN_9P_NOFID ? n->fid :
	       n->rfid != CN_9P_NOFID ? n->rfid : n->wfid;
}

static void node_close(struct p9_node *n)
{
	if (n->wfid != n->rfid)
		clunk(n->pm, n->wfid);
	clunk(n->pm, n->rfid);
	n->rfid = n->wfid = CN_9P_NOFID;
}

static void cache_close(struct p9_node *n);

static void p9_inactive(struct cn_vnode *vn)
{
	struct p9_node *n = PN(vn), **pp;
	struct p9_mount *pm = n->pm;

	if (vn == vn->mnt->root)
		return;			/* freed by unmount */
	for (pp = &pm->nodes; *pp && *pp != n; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = n->next;
	cache_close(n);
	node_close(n);
	clunk(pm, n->fid);
	free(n);
}

/* The opened fid for reading (write 0) or writing (1). */
static int io_fid(struct p9_node *n, int write, uint32_t *out)
{
	uint32_t fid, want = write ? CN_9P_O_WRONLY : CN_9P_O_RDONLY;
	int r;

	if (n->vn.type == S_IFDIR)
		want = CN_9P_O_RDONLY | CN_9P_O_DIRECTORY;
	fid = write ? n->wfid : n->rfid;
	if (fid != CN_9P_NOFID) {
		*out = fid;
		return 0;
	}
	if (n->vn.type == S_IFREG &&
	    lopen(n->pm, n->fid, CN_9P_O_RDWR, &fid) == 0) {
		/* One fid both ways; an old one-way fid is dropped. */
		node_close(n);
		n->rfid = n->wfid = fid;
		*out = fid;
		return 0;
	}
	r = lopen(n->pm, n->fid, want, &fid);
	if (r)
		return r;
	if (write)
		n->wfid = fid;
	else
		n->rfid = fid;
	*out = fid;
	return 0;
}

/* ----------------------------------------------------------- directories */

static int p9_lookup(struct cn_vnode *dir, const char *name, size_t len,
		     struct cn_vnode **out)
{
	struct p9_mount *pm = dir->mnt->priv;
	struct cn_9pfs_qid qid;
	uint32_t fid;
	int r;

	if (dir == dir->mnt->root && len == 2 && !memcmp(name, "..", 2)) {
		cn_vnode_get(dir);
		*out = dir;
		return 0;
	}
	r = walk(pm, PN(dir)->fid, name, len, &fid, &qid);
	if (r)
		return r;
	return node_get(dir->mnt, fid, CN_9P_NOFID, &qid, out);
}

static int p9_create(struct cn_vnode *dir, const char *name, size_t len,
		     mode_t mode, const char *target, struct cn_vnode **out)
{
	struct p9_mount *pm = dir->mnt->priv;
	uint32_t dfid = PN(dir)->fid, nf = CN_9P_NOFID;
	struct cn_9pfs_qid qid;
	struct call c;
	int r;

	switch (mode & S_IFMT) {
	case S_IFREG:
		/* Tlcreate turns the fid it is given into the new file's. */
		r = walk(pm, dfid, NULL, 0, &nf, &qid);
		if (r)
			return r;
		r = call_begin(pm, &c, CN_9P_TLCREATE);
		if (r) {
			clunk(pm, nf);
			return r;
		}
		cn_9pfs_put_u32(&c.m, nf);
		cn_9pfs_put_str(&c.m, name, len);
		cn_9pfs_put_u32(&c.m, CN_9P_O_RDWR | CN_9P_O_CREAT |
				CN_9P_O_EXCL);
		cn_9pfs_put_u32(&c.m, mode & 07777);
		cn_9pfs_put_u32(&c.m, 0);
		r = call_do(pm, &c);
		if (!r)
			cn_9pfs_get_qid(&c.m, &qid);	/* then iounit */
		r = call_end(pm, &c, r);
		if (r) {
			clunk(pm, nf);
			return r;
		}
		if (!out) {
			clunk(pm, nf);
			return 0;
		}
		/* The opened fid is the new vnode's: no walk, no getattr. */
		return node_get(dir->mnt, CN_9P_NOFID, nf, &qid, out);
	case S_IFDIR:
		r = call_begin(pm, &c, CN_9P_TMKDIR);
		if (r)
			return r;
		cn_9pfs_put_u32(&c.m, dfid);
		cn_9pfs_put_str(&c.m, name, len);
		cn_9pfs_put_u32(&c.m, mode & 07777);
		cn_9pfs_put_u32(&c.m, 0);
		r = simple_end(pm, &c);
		break;
	case S_IFLNK:
		r = call_begin(pm, &c, CN_9P_TSYMLINK);
		if (r)
			return r;
		cn_9pfs_put_u32(&c.m, dfid);
		cn_9pfs_put_str(&c.m, name, len);
		cn_9pfs_put_str(&c.m, target, strlen(target));
		cn_9pfs_put_u32(&c.m, 0);
		r = simple_end(pm, &c);
		break;
	default:
		return -EPERM;
	}
	if (r || !out)
		return r;
	return p9_lookup(dir, name, len, out);
}

static int p9_link(struct cn_vnode *dir, const char *name, size_t len,
		   struct cn_vnode *vn)
{
	struct p9_mount *pm = dir->mnt->priv;
	struct call c;
	int r = call_begin(pm, &c, CN_9P_TLINK);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, PN(dir)->fid);
	cn_9pfs_put_u32(&c.m, any_fid(PN(vn)));
	cn_9pfs_put_str(&c.m, name, len);
	return simple_end(pm, &c);
}

static int p9_unlink(struct cn_vnode *dir, const char *name, size_t len,
		     struct cn_vnode *vn)
{
	struct p9_mount *pm = dir->mnt->priv;
	struct call c;
	int r = call_begin(pm, &c, CN_9P_TUNLINKAT);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, PN(dir)->fid);
	cn_9pfs_put_str(&c.m, name, len);
	cn_9pfs_put_u32(&c.m, vn->type == S_IFDIR ? CN_9P_AT_REMOVEDIR : 0);
	return simple_end(pm, &c);
}

static int p9_rename(struct cn_vnode *olddir, const char *oldname,
		     size_t oldlen, struct cn_vnode *newdir,
		     const char *newname, size_t newlen)
{
	struct p9_mount *pm = olddir->mnt->priv;
	struct call c;
	int r = call_begin(pm, &c, CN_9P_TRENAMEAT);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, PN(olddir)->fid);
	cn_9pfs_put_str(&c.m, oldname, oldlen);
	cn_9pfs_put_u32(&c.m, PN(newdir)->fid);
	cn_9pfs_put_str(&c.m, newname, newlen);
	return simple_end(pm, &c);
}

/*
 * Cookies are the server's offsets (where its readdir resumes; 0: the
 * start), and "." and ".." are the server's entries: a host file system's
 * offsets may be any 63-bit value (ext4's last one is INT64_MAX), so none
 * is free for entries of our own.
 */
static int p9_readdir(struct cn_vnode *dir, off_t *cookie,
		      cn_vfs_filldir_fn fill, void *ctx)
{
	struct p9_mount *pm = dir->mnt->priv;
	struct cn_9pfs_dirent e;
	struct call c;
	const void *data;
	uint32_t fid, count, pos;
	int r;

	if (*cookie < 0)
		return -EINVAL;
	r = io_fid(PN(dir), 0, &fid);
	if (r)
		return r;
	for (;;) {
		r = call_begin(pm, &c, CN_9P_TREADDIR);
		if (r)
			return r;
		cn_9pfs_put_u32(&c.m, fid);
		cn_9pfs_put_u64(&c.m, (uint64_t)*cookie);
		cn_9pfs_put_u32(&c.m, pm->msize - CN_9P_IOHDR);
		r = call_do(pm, &c);
		count = r ? 0 : cn_9pfs_get_u32(&c.m);
		data = r ? NULL : cn_9pfs_get_data(&c.m, count);
		if (!r && !data)
			r = -EIO;
		if (r || !count)
			return call_end(pm, &c, r);
		pos = 0;
		while ((r = cn_9pfs_dirent_next(data, count, &pos, &e)) > 0) {
			if (e.offset > (uint64_t)INT64_MAX) {
				r = -EOVERFLOW;
				break;
			}
			if (fill(ctx, e.name, e.namelen, e.qid.path, e.type,
				 (off_t)e.offset))
				return call_end(pm, &c, 0);
			*cookie = (off_t)e.offset;
		}
		if (r == -EIO)
			cn_pr_err("%s: bad entry in Rreaddir; EIO", pm->tag);
		r = call_end(pm, &c, r);
		if (r)
			return r;
	}
}

/* ------------------------------------------------------------ attributes */

static int cache_flush(struct p9_node *n);

static int p9_getattr(struct cn_vnode *vn, struct stat *st)
{
	struct p9_node *n = PN(vn);
	struct cn_9pfs_attr a;
	/* An opened fid still reaches a file unlinked since (fstat). */
	uint32_t fid = n->rfid != CN_9P_NOFID ? n->rfid :
		       n->wfid != CN_9P_NOFID ? n->wfid : n->fid;
	/* The size and times the server gives must count what is held. */
	int r = cache_flush(n);

	if (!r)
		r = getattr_fid(n->pm, fid, &a);
	if (r)
		return r;
	st->st_ino = (ino_t)vn->ino;
	/* Directories and symlinks are the vnode's type for life (a host
	 * change shows on the next lookup); what a qid calls a file may be
	 * a FIFO or a device: the server's type then. */
	st->st_mode = (vn->type == S_IFREG && (a.mode & S_IFMT) ?
		       a.mode & S_IFMT : vn->type) | (a.mode & 07777);
	st->st_nlink = (nlink_t)a.nlink;
	st->st_uid = (uid_t)a.uid;
	st->st_gid = (gid_t)a.gid;
	st->st_rdev = (dev_t)a.rdev;
	st->st_size = (off_t)a.size;
	st->st_blksize = (blksize_t)a.blksize;
	st->st_blocks = (blkcnt_t)a.blocks;
	st->st_atim.tv_sec = (time_t)a.atime_sec;
	st->st_atim.tv_nsec = (long)a.atime_nsec;
	st->st_mtim.tv_sec = (time_t)a.mtime_sec;
	st->st_mtim.tv_nsec = (long)a.mtime_nsec;
	st->st_ctim.tv_sec = (time_t)a.ctime_sec;
	st->st_ctim.tv_nsec = (long)a.ctime_nsec;
	return 0;
}

static int setattr(struct p9_node *n, uint32_t valid, uint32_t mode,
		   uint64_t size, const struct cn_vattr *va)
{
	struct call c;
	int r = call_begin(n->pm, &c, CN_9P_TSETATTR);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, any_fid(n));
	cn_9pfs_put_u32(&c.m, valid);
	cn_9pfs_put_u32(&c.m, mode);
	cn_9pfs_put_u32(&c.m, 0);
	cn_9pfs_put_u32(&c.m, 0);
	cn_9pfs_put_u64(&c.m, size);
	cn_9pfs_put_u64(&c.m, va ? (uint64_t)va->atime.tv_sec : 0);
	cn_9pfs_put_u64(&c.m, va ? (uint64_t)va->atime.tv_nsec : 0);
	cn_9pfs_put_u64(&c.m, va ? (uint64_t)va->mtime.tv_sec : 0);
	cn_9pfs_put_u64(&c.m, va ? (uint64_t)va->mtime.tv_nsec : 0);
	return simple_end(n->pm, &c);
}

static int p9_setattr(struct cn_vnode *vn, const struct cn_vattr *va)
{
	uint32_t valid = 0;
	int r;

	if (va->mask & CN_VATTR_MODE)
		valid |= CN_9P_SETATTR_MODE;
	if (va->mask & CN_VATTR_ATIME)
		valid |= CN_9P_SETATTR_ATIME | CN_9P_SETATTR_ATIME_SET;
	if (va->mask & CN_VATTR_MTIME)
		valid |= CN_9P_SETATTR_MTIME | CN_9P_SETATTR_MTIME_SET;
	if (!valid)
		return 0;
	/* Held writes first: they would change the times set here. */
	r = cache_flush(PN(vn));
	return r ? r : setattr(PN(vn), valid, va->mode & 07777, 0, va);
}

static int p9_truncate(struct cn_vnode *vn, off_t len)
{
	int r = cache_flush(PN(vn));

	PN(vn)->clen = 0;		/* bytes past len would come back */
	return r ? r : setattr(PN(vn), CN_9P_SETATTR_SIZE, 0, (uint64_t)len,
			       NULL);
}

/* ----------------------------------------------------------------- files */

/* Rread's header: size[4] type[1] tag[2] count[4]; Twrite's: + 12. */
#define RREAD_HDR	11
#define TWRITE_HDR	23

static ssize_t read_through(struct cn_vnode *vn, void *buf, size_t len,
			    off_t off)
{
	struct p9_mount *pm = PN(vn)->pm;
	uint32_t fid, chunk, got = 0;
	size_t done = 0;
	struct call c;
	int r = io_fid(PN(vn), 0, &fid);

	if (r)
		return r;
	while (done < len) {
		chunk = len - done > pm->msize - CN_9P_IOHDR ?
			pm->msize - CN_9P_IOHDR : (uint32_t)(len - done);
		r = call_begin(pm, &c, CN_9P_TREAD);
		if (r)
			break;
		cn_9pfs_put_u32(&c.m, fid);
		cn_9pfs_put_u64(&c.m, (uint64_t)off + done);
		cn_9pfs_put_u32(&c.m, chunk);
		/* The payload lands in buf itself (an Rlerror fits rx). */
		c.r->rx_data = (char *)buf + done;
		c.r->rx_datalen = chunk;
		c.r->rx_hdrlen = RREAD_HDR;
		r = call_do(pm, &c);
		if (!r) {
			got = cn_9pfs_get_u32(&c.m);
			if (got > chunk || c.r->rxlen != RREAD_HDR + got) {
				cn_pr_err("%s: Rread of %u bytes for %u asked "
					  "in %u received; EIO", pm->tag, got,
					  chunk, c.r->rxlen);
				r = -EIO;
			}
		}
		r = call_end(pm, &c, r);
		if (r)
			break;
		done += got;
		if (got < chunk)
			break;		/* the end of the file */
	}
	return done ? (ssize_t)done : r;
}

static ssize_t write_through(struct cn_vnode *vn, const void *buf,
			     size_t len, off_t off)
{
	struct p9_mount *pm = PN(vn)->pm;
	uint32_t fid, chunk, got;
	size_t done = 0;
	struct call c;
	int r = io_fid(PN(vn), 1, &fid);

	if (r)
		return r;
	while (done < len) {
		chunk = len - done > pm->msize - CN_9P_IOHDR ?
			pm->msize - CN_9P_IOHDR : (uint32_t)(len - done);
		r = call_begin(pm, &c, CN_9P_TWRITE);
		if (r)
			break;
		cn_9pfs_put_u32(&c.m, fid);
		cn_9pfs_put_u64(&c.m, (uint64_t)off + done);
		cn_9pfs_put_u32(&c.m, chunk);
		/* The payload goes from buf itself, after the header. */
		c.r->tx_data = (const char *)buf + done;
		c.r->tx_datalen = chunk;
		c.extra = chunk;
		r = call_do(pm, &c);
		got = r ? 0 : cn_9pfs_get_u32(&c.m);
		if (!r && (got > chunk || !got)) {
			cn_pr_err("%s: Rwrite of %u bytes for %u sent; EIO",
				  pm->tag, got, chunk);
			r = -EIO;
		}
		r = call_end(pm, &c, r);
		if (r)
			break;
		done += got;
	}
	return done ? (ssize_t)done : r;
}

/* ------------------------------------------------------ the file cache */

/*
 * cache=loose, as Linux's 9p mount option of that name: the mount
 * assumes no one else changes its files while they are open here. Each
 * file has one window (pm->cwin bytes, a message's payload: 512 KiB -
 * 24 at the default msize), made at its first small read or write and
 * freed when its last reference goes (close):
 *
 * - a write smaller than the window that starts inside the held bytes
 *   or right after them is copied there; any other small write first
 *   writes the held bytes back (one Twrite); a write of a window or more
 *   goes straight to the server after them;
 * - a small read served by held bytes is a copy; otherwise held writes
 *   go back first, then a window from the read's offset is read in one
 *   Tread; a short one marks the end of the file until the window goes
 *   (a host append to an open file is not seen, as the size Linux's
 *   loose mode keeps);
 * - held writes go back before fsync (then Tfsync), stat, setattr,
 *   truncate, at the last close, at unmount and when the image exits
 *   (exit() or a return from main);
 * - a write-back that fails is returned by the call that caused it or by
 *   the next fsync; at the last close, unmount or exit it is only
 *   logged, and the held bytes are lost (as with Linux's write-back,
 *   fsync is the call that reports).
 *
 * So a host edit of a file open here is seen once the window moves past
 * the changed bytes, and for sure at the next open after the last close.
 */

/* Writes back what n holds: 0 or -errno (also kept in n->cerr). */
static int cache_flush(struct p9_node *n)
{
	ssize_t w = 0;
	uint32_t done = 0;

	if (!n->cdirty)
		return 0;
	while (done < n->clen) {
		w = write_through(&n->vn, n->cbuf + done, n->clen - done,
				  (off_t)(n->cpos + done));
		if (w <= 0)
			break;
		done += (uint32_t)w;
	}
	n->cdirty = false;
	if (done < n->clen) {
		n->cerr = w < 0 ? (int)w : -EIO;
		n->clen = 0;	/* dropped: reads must not see them */
		return n->cerr;
	}
	return 0;
}

/* Whether n may use a window (allocated here); false: go through. */
static bool cache_ready(struct p9_node *n)
{
	if (!n->pm->loose || n->vn.type != S_IFREG)
		return false;
	if (!n->cbuf)
		n->cbuf = malloc(n->pm->cwin);
	return n->cbuf != NULL;
}

static void cache_close(struct p9_node *n)
{
	int r = cache_flush(n);

	if (r || n->cerr)
		cn_pr_err("%s: writing back a closed file failed: %d (%s); "
			  "its last writes are lost", n->pm->tag,
			  r ? r : n->cerr, cn_errname(r ? r : n->cerr));
	free(n->cbuf);
	n->cbuf = NULL;
	n->clen = 0;
}

static ssize_t p9_read(struct cn_vnode *vn, void *buf, size_t len, off_t off)
{
	struct p9_node *n = PN(vn);
	uint64_t pos;
	size_t done = 0, k;
	ssize_t got;
	int r;

	if (!cache_ready(n))
		return read_through(vn, buf, len, off);
	while (done < len) {
		pos = (uint64_t)off + done;
		if (n->clen && pos >= n->cpos && pos < n->cpos + n->clen) {
			k = (size_t)(n->cpos + n->clen - pos);
			k = k < len - done ? k : len - done;
			memcpy((char *)buf + done, n->cbuf + (pos - n->cpos),
			       k);
			done += k;
			continue;
		}
		/* A short clean window ended at the end of the file. */
		if (!n->cdirty && n->clen && n->clen < n->pm->cwin &&
		    pos >= n->cpos + n->clen)
			return (ssize_t)done;
		r = cache_flush(n);
		if (r)
			return done ? (ssize_t)done : r;
		if (len - done >= n->pm->cwin) {
			got = read_through(vn, (char *)buf + done, len - done,
					   (off_t)pos);
			return got < 0 && !done ? got :
			       (ssize_t)done + (got > 0 ? got : 0);
		}
		n->clen = 0;
		got = read_through(vn, n->cbuf, n->pm->cwin, (off_t)pos);
		if (got <= 0)
			return done ? (ssize_t)done : got;
		n->cpos = pos;
		n->clen = (uint32_t)got;
	}
	return (ssize_t)done;
}

static ssize_t p9_write(struct cn_vnode *vn, const void *buf, size_t len,
			off_t off)
{
	struct p9_node *n = PN(vn);
	uint64_t pos = (uint64_t)off, end = pos + len;
	int r;

	if (!cache_ready(n))
		return write_through(vn, buf, len, off);
	if (n->cdirty && pos >= n->cpos && pos <= n->cpos + n->clen &&
	    end - n->cpos <= n->pm->cwin) {
		memcpy(n->cbuf + (pos - n->cpos), buf, len);
		if (end - n->cpos > n->clen)
			n->clen = (uint32_t)(end - n->cpos);
		return (ssize_t)len;
	}
	r = cache_flush(n);
	n->clen = 0;
	if (r)
		return r;
	if (len >= n->pm->cwin)
		return write_through(vn, buf, len, off);
	memcpy(n->cbuf, buf, len);
	n->cpos = pos;
	n->clen = (uint32_t)len;
	n->cdirty = true;
	return (ssize_t)len;
}

/* Every held write of every cache=loose mount, at the image's exit. */
static struct p9_mount *loose_mounts;

static void flush_at_exit(void)
{
	struct p9_mount *pm;
	struct p9_node *n;
	int r;

	for (pm = loose_mounts; pm; pm = pm->next_loose)
		for (n = pm->nodes; n; n = n->next) {
			r = cache_flush(n);
			if (r)
				cn_pr_err("%s: writing back at exit failed: "
					  "%d (%s)", pm->tag, r,
					  cn_errname(r));
		}
}

static int p9_sync(struct cn_vnode *vn)
{
	struct p9_node *n = PN(vn);
	uint32_t fid = n->wfid != CN_9P_NOFID ? n->wfid : n->rfid;
	struct call c;
	int r = cache_flush(n);

	if (r || n->cerr) {
		r = r ? r : n->cerr;
		n->cerr = 0;
		return r;
	}
	if (fid == CN_9P_NOFID)
		return 0;		/* never written through us */
	r = call_begin(n->pm, &c, CN_9P_TFSYNC);
	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, fid);
	cn_9pfs_put_u32(&c.m, 0);
	return simple_end(n->pm, &c);
}

static ssize_t p9_readlink(struct cn_vnode *vn, char *buf, size_t len)
{
	struct p9_mount *pm = PN(vn)->pm;
	struct call c;
	const char *s;
	uint16_t n = 0;
	int r = call_begin(pm, &c, CN_9P_TREADLINK);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, PN(vn)->fid);
	r = call_do(pm, &c);
	if (!r) {
		n = cn_9pfs_get_str(&c.m, &s);
		if (n > len)
			n = (uint16_t)len;
		memcpy(buf, s, n);
	}
	r = call_end(pm, &c, r);
	return r ? r : (ssize_t)n;
}

static const struct cn_vnode_ops p9_ops = {
	.lookup = p9_lookup,
	.create = p9_create,
	.link = p9_link,
	.unlink = p9_unlink,
	.rename = p9_rename,
	.readdir = p9_readdir,
	.getattr = p9_getattr,
	.setattr = p9_setattr,
	.read = p9_read,
	.write = p9_write,
	.truncate = p9_truncate,
	.sync = p9_sync,
	.readlink = p9_readlink,
	.inactive = p9_inactive,
};

/* ---------------------------------------------------------------- mounts */

struct opts {
	char tag[TAG_MAX + 1];
	uint64_t msize, timeout;
	bool loose;
};

static int parse_opts(const char *s, struct opts *o, char *msg, size_t len)
{
	const char *p = s, *e, *eq;
	size_t n;

	o->tag[0] = '\0';
	o->msize = DEFAULT_MSIZE;
	o->timeout = DEFAULT_TIMEOUT;
#ifdef CONFIG_LIB_9PFS_CACHE_LOOSE
	o->loose = true;
#else
	o->loose = false;
#endif
	while (*p) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		eq = memchr(p, '=', n);
		if (eq && eq - p == 3 && !memcmp(p, "tag", 3)) {
			size_t tl = n - 4;

			if (!tl || tl > TAG_MAX) {
				snprintf(msg, len, "tag= takes 1 to %d bytes",
					 TAG_MAX);
				return -EINVAL;
			}
			memcpy(o->tag, eq + 1, tl);
			o->tag[tl] = '\0';
		} else if (eq && eq - p == 5 && !memcmp(p, "msize", 5)) {
			if (cn_vfs_parse_size(eq + 1, n - 6, &o->msize) ||
			    o->msize < CN_9P_MIN_MSIZE ||
			    o->msize > (1u << 30)) {
				snprintf(msg, len, "msize=%.*s is not a size "
					 "of 4K or more", (int)(n - 6),
					 eq + 1);
				return -EINVAL;
			}
		} else if (eq && eq - p == 7 && !memcmp(p, "timeout", 7)) {
			if (cn_vfs_parse_size(eq + 1, n - 8, &o->timeout) ||
			    !o->timeout || o->timeout > 3600) {
				snprintf(msg, len, "timeout=%.*s is not 1 to "
					 "3600 seconds", (int)(n - 8), eq + 1);
				return -EINVAL;
			}
		} else if (eq && eq - p == 5 && !memcmp(p, "cache", 5)) {
			if (n == 10 && !memcmp(eq + 1, "none", 4)) {
				o->loose = false;
			} else if (n == 11 && !memcmp(eq + 1, "loose", 5)) {
				o->loose = true;
			} else {
				snprintf(msg, len, "cache=%.*s: none or loose "
					 "expected", (int)(n - 6), eq + 1);
				return -EINVAL;
			}
		} else {
			snprintf(msg, len, "unknown option '%.*s'", (int)n, p);
			return -EINVAL;
		}
		p = e ? e + 1 : p + n;
	}
	if (!o->tag[0]) {
		snprintf(msg, len, "tag=NAME is required (the device's mount "
			 "tag, QEMU's mount_tag=)");
		return -EINVAL;
	}
	return 0;
}

static int p9_check_opts(const char *opts, char *msg, size_t len)
{
	struct opts o;

	return parse_opts(opts, &o, msg, len);
}

/* Tversion: agrees on the message size, or says why not. */
static int version(struct p9_mount *pm)
{
	struct call c;
	const char *v;
	uint32_t msize;
	uint16_t n;
	int r = call_begin(pm, &c, CN_9P_TVERSION);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, pm->msize);
	cn_9pfs_put_str(&c.m, "9P2000.L", 8);
	r = call_do(pm, &c);
	if (!r) {
		msize = cn_9pfs_get_u32(&c.m);
		n = cn_9pfs_get_str(&c.m, &v);
		if (n != 8 || memcmp(v, "9P2000.L", 8)) {
			cn_pr_err("%s: the server speaks '%.*s', not 9P2000.L",
				  pm->tag, (int)n, v);
			r = -EPROTONOSUPPORT;
		} else if (msize < CN_9P_MIN_MSIZE || msize > pm->msize) {
			cn_pr_err("%s: the server's msize %u is outside %u..%u",
				  pm->tag, msize, CN_9P_MIN_MSIZE, pm->msize);
			r = -EIO;
		} else {
			pm->msize = msize;
		}
	}
	return call_end(pm, &c, r);
}

static int attach(struct cn_vfs_mount *m, struct p9_mount *pm)
{
	struct cn_9pfs_qid qid;
	struct p9_node *root;
	struct call c;
	uint32_t fid = fid_alloc(pm);
	int r = call_begin(pm, &c, CN_9P_TATTACH);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, fid);
	cn_9pfs_put_u32(&c.m, CN_9P_NOFID);
	cn_9pfs_put_str(&c.m, "root", 4);
	cn_9pfs_put_str(&c.m, "", 0);
	cn_9pfs_put_u32(&c.m, 0);
	r = call_do(pm, &c);
	if (!r)
		cn_9pfs_get_qid(&c.m, &qid);
	r = call_end(pm, &c, r);
	if (r)
		return r;
	if (!(qid.type & CN_9P_QTDIR)) {
		cn_pr_err("%s: the shared path is not a directory", pm->tag);
		clunk(pm, fid);
		return -ENOTDIR;
	}
	root = calloc(1, sizeof(*root));
	if (!root) {
		clunk(pm, fid);
		return -ENOMEM;
	}
	cn_vnode_init(&root->vn, &p9_ops, m, S_IFDIR, qid.path);
	root->pm = pm;
	root->fid = fid;
	root->rfid = root->wfid = CN_9P_NOFID;
	root->next = pm->nodes;
	pm->nodes = root;
	cn_vnode_get(&root->vn);
	m->root = &root->vn;
	return 0;
}

static int p9_mount(struct cn_vfs_mount *m, const char *opts)
{
	struct p9_mount *pm;
	struct opts o;
	char msg[96];
	int r;

	if (parse_opts(opts, &o, msg, sizeof(msg)))
		return -EINVAL;
	pm = calloc(1, sizeof(*pm));
	if (!pm)
		return -ENOMEM;
	memcpy(pm->tag, o.tag, sizeof(pm->tag));
	pm->t = cn_9pfs_trans_find(o.tag);
	if (!pm->t) {
		cn_pr_err("no 9p device with mount tag '%s' (QEMU: -virtfs "
			  "local,path=DIR,mount_tag=%s,security_model=none; "
			  "make run SHARE=DIR)", o.tag, o.tag);
		free(pm);
		return -ENODEV;
	}
	if (pm->t->users) {
		/* A second Tversion would end the first mount's session. */
		cn_pr_err("%s: the 9p channel is mounted already", o.tag);
		free(pm);
		return -EBUSY;
	}
	pm->msize = (uint32_t)(o.msize < pm->t->msize_max ? o.msize
							  : pm->t->msize_max);
	pm->t->msize = pm->msize;	/* the server may agree on less */
	pm->timeout_ns = o.timeout * 1000000000ull;
	m->priv = pm;
	r = version(pm);
	if (!r)
		r = attach(m, pm);
	if (r) {
		free(pm->free_fids);
		free(pm);
		m->priv = NULL;
		return r;
	}
	pm->t->users++;
	pm->loose = o.loose;
	pm->cwin = pm->msize - CN_9P_IOHDR;
	if (pm->loose) {
		static bool hooked;

		pm->next_loose = loose_mounts;
		loose_mounts = pm;
		if (!hooked)
			hooked = atexit(flush_at_exit) == 0;
	}
	cn_pr_info("%s: 9P2000.L at %s, msize %u%s", o.tag, pm->t->where,
		   pm->msize, pm->loose ? ", cache=loose" : "");
	return 0;
}

static void p9_unmount(struct cn_vfs_mount *m)
{
	struct p9_mount *pm = m->priv;
	struct p9_node *root = PN(m->root), *n;
	struct p9_mount **pp;

	for (pp = &loose_mounts; *pp && *pp != pm; pp = &(*pp)->next_loose)
		;
	if (*pp)
		*pp = pm->next_loose;
	while ((n = pm->nodes)) {
		pm->nodes = n->next;
		cache_close(n);
		node_close(n);
		clunk(pm, n->fid);
		if (n != root)
			free(n);
	}
	free(root);
	pm->t->users--;
	free(pm->free_fids);
	free(pm);
}

#ifdef HAVE_STATVFS
static int p9_statfs(struct cn_vfs_mount *m, struct statvfs *out)
{
	struct p9_mount *pm = m->priv;
	struct cn_9pfs_statfs s;
	struct call c;
	int r = call_begin(pm, &c, CN_9P_TSTATFS);

	if (r)
		return r;
	cn_9pfs_put_u32(&c.m, PN(m->root)->fid);
	r = call_do(pm, &c);
	if (!r)
		cn_9pfs_get_statfs(&c.m, &s);
	r = call_end(pm, &c, r);
	if (r)
		return r;
	memset(out, 0, sizeof(*out));
	out->f_bsize = s.bsize;
	out->f_frsize = s.bsize;
	out->f_blocks = s.blocks;
	out->f_bfree = s.bfree;
	out->f_bavail = s.bavail;
	out->f_files = s.files;
	out->f_ffree = s.ffree;
	out->f_favail = s.ffree;
	out->f_namemax = s.namelen;
	return 0;
}
#endif

CN_FS_TYPE(ninep) = {
	.name = "9p",
	.mount = p9_mount,
	.unmount = p9_unmount,
	.check_opts = p9_check_opts,
#ifdef HAVE_STATVFS
	.statfs = p9_statfs,
#endif
	.opts_help = "tag=NAME (required), msize=BYTES (default 512K), "
		     "timeout=SECONDS (default 30), cache=none|loose",
};

/* ------------------------------------------------------------ transports */

static struct cn_9pfs_trans *channels;

int cn_9pfs_trans_register(struct cn_9pfs_trans *t)
{
	if (!t->tag || !t->tag[0] || !t->ops || !t->ops->req_get ||
	    !t->ops->rpc || !t->ops->req_put ||
	    t->msize_max < CN_9P_MIN_MSIZE)
		return -EINVAL;
	if (cn_9pfs_trans_find(t->tag))
		return -EEXIST;
	t->users = 0;
	t->next = channels;
	channels = t;
	return 0;
}

struct cn_9pfs_trans *cn_9pfs_trans_find(const char *tag)
{
	struct cn_9pfs_trans *t;

	for (t = channels; t; t = t->next)
		if (!strcmp(t->tag, tag))
			return t;
	return NULL;
}
