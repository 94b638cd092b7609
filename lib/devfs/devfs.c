/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * devfs: a flat directory of device nodes, mounted once (usually on /dev
 * by the default mount table). Nodes live for the whole run: a list
 * filled by cn_devfs_register(), before or after the mount. Opening a
 * node makes a struct cn_file whose operations call the device's
 * callbacks (devfs's open hook), so lib/vfs never sits between a device
 * and its reader.
 *
 * The name space cannot be changed from inside (creating, removing or
 * renaming a name is -EPERM); chmod and utimes work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cairn/devfs.h>
#include <cairn/vfs_fs.h>

/* st_blksize: the I/O size stdio buffers to (not a page). */
#define DEVFS_BLKSIZE	4096

#define NAME_LEN_MAX 31

struct dnode {
	struct cn_vnode vn;
	const struct cn_devfs_dev *dev;		/* NULL for the directory */
	mode_t mode;
	struct timespec mtime, ctime;
	struct dnode *next;
};

static const struct cn_vnode_ops dir_ops, dev_ops;
static struct dnode root;
static struct dnode *nodes, **tail = &nodes;
static unsigned int nr_nodes;
static struct cn_vfs_mount *mounted;

static struct dnode *DN(struct cn_vnode *vn)
{
	return (struct dnode *)vn;
}

void *cn_devfs_priv(struct cn_file *f)
{
	return ((const struct cn_devfs_dev *)f->priv)->priv;
}

static ssize_t df_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	const struct cn_devfs_dev *d = f->priv;

	return d->read ? d->read(f, buf, len, off) : 0;
}

static ssize_t df_write(struct cn_file *f, const void *buf, size_t len,
			off_t off)
{
	const struct cn_devfs_dev *d = f->priv;

	return d->write ? d->write(f, buf, len, off) : -EINVAL;
}

static off_t df_seek(struct cn_file *f, off_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return 0;		/* as Linux's null and zero: always at 0 */
}

static unsigned int df_poll(struct cn_file *f)
{
	const struct cn_devfs_dev *d = f->priv;

	return d->poll ? d->poll(f) : CN_POLLIN | CN_POLLOUT;
}

static int df_ioctl(struct cn_file *f, unsigned long req, void *arg)
{
	const struct cn_devfs_dev *d = f->priv;

	return d->ioctl ? d->ioctl(f, req, arg) : -ENOTTY;
}

static struct dnode *node_of(const struct cn_devfs_dev *dev)
{
	struct dnode *n;

	for (n = nodes; n && n->dev != dev; n = n->next)
		;
	return n;
}

static int d_getattr(struct cn_vnode *vn, struct stat *st)
{
	struct dnode *n = DN(vn);

	st->st_ino = (ino_t)vn->ino;
	st->st_mode = n->mode;
	st->st_nlink = n->dev ? 1 : 2;
	if (n->dev)
		st->st_rdev = (dev_t)(n->dev->major << 8 | n->dev->minor);
	st->st_blksize = DEVFS_BLKSIZE;
	st->st_atim = n->mtime;
	st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
	return 0;
}

static int df_stat(struct cn_file *f, struct stat *st)
{
	struct dnode *n = node_of(f->priv);
	int r;

	cn_vfs_lock();
	r = n ? d_getattr(&n->vn, st) : -EBADF;
	if (!r && n->vn.mnt)
		st->st_dev = (dev_t)n->vn.mnt->id;
	cn_vfs_unlock();
	return r;
}

static const struct cn_file_ops devfile_ops = {
	.read = df_read,
	.write = df_write,
	.seek = df_seek,
	.poll = df_poll,
	.ioctl = df_ioctl,
	.stat = df_stat,
};

static int d_open(struct cn_vnode *vn, int flags, struct cn_file **out)
{
	const struct cn_devfs_dev *d = DN(vn)->dev;
	struct cn_file *f;

	f = cn_file_alloc(&devfile_ops, (void *)d,
			  flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	if (!f)
		return -ENOMEM;
	f->seekable = !d->stream;
	*out = f;
	return 0;
}

static int d_setattr(struct cn_vnode *vn, const struct cn_vattr *va)
{
	struct dnode *n = DN(vn);

	/* Device nodes belong to root, and stay so. */
	if (((va->mask & CN_VATTR_UID) && va->uid) ||
	    ((va->mask & CN_VATTR_GID) && va->gid))
		return -EPERM;
	if (va->mask & CN_VATTR_MODE)
		n->mode = (n->mode & S_IFMT) | (va->mode & 07777);
	if (va->mask & CN_VATTR_MTIME)
		n->mtime = va->mtime;
	cn_vfs_now(&n->ctime);
	return 0;
}

static struct dnode *find(const char *name, size_t len)
{
	struct dnode *n;

	for (n = nodes; n; n = n->next)
		if (strlen(n->dev->name) == len &&
		    !memcmp(n->dev->name, name, len))
			break;
	return n;
}

static int d_lookup(struct cn_vnode *dir, const char *name, size_t len,
		    struct cn_vnode **out)
{
	struct dnode *n;

	if (len == 2 && name[0] == '.' && name[1] == '.')
		n = &root;
	else if (!(n = find(name, len)))
		return -ENOENT;
	cn_vnode_get(&n->vn);
	*out = &n->vn;
	return 0;
}

static int d_readdir(struct cn_vnode *dir, off_t *cookie,
		     cn_vfs_filldir_fn fill, void *ctx)
{
	struct dnode *n;
	off_t i;

	if (*cookie == 0) {
		if (fill(ctx, ".", 1, root.vn.ino, cn_vfs_dtype(S_IFDIR), 1))
			return 0;
		*cookie = 1;
	}
	if (*cookie == 1) {
		if (fill(ctx, "..", 2, root.vn.ino, cn_vfs_dtype(S_IFDIR), 2))
			return 0;
		*cookie = 2;
	}
	/* Nodes are never removed: the cookie is 2 + the list index. */
	for (n = nodes, i = 2; n && i < *cookie; n = n->next, i++)
		;
	for (; n; n = n->next, i++) {
		if (fill(ctx, n->dev->name, strlen(n->dev->name), n->vn.ino,
			 cn_vfs_dtype(S_IFCHR), i + 1))
			return 0;
		*cookie = i + 1;
	}
	return 0;
}

static int d_unlink(struct cn_vnode *dir, const char *name, size_t len,
		    struct cn_vnode *vn)
{
	return -EPERM;
}

static const struct cn_vnode_ops dir_ops = {
	.lookup = d_lookup,
	.readdir = d_readdir,
	.unlink = d_unlink,
	.getattr = d_getattr,
	.setattr = d_setattr,
};

static const struct cn_vnode_ops dev_ops = {
	.getattr = d_getattr,
	.setattr = d_setattr,
	.open = d_open,
};

int cn_devfs_register(const struct cn_devfs_dev *dev)
{
	struct dnode *n;
	size_t len = dev && dev->name ? strlen(dev->name) : 0;

	if (!len || len > NAME_LEN_MAX || strchr(dev->name, '/') ||
	    !strcmp(dev->name, ".") || !strcmp(dev->name, ".."))
		return -EINVAL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	cn_vfs_lock();
	if (find(dev->name, len)) {
		cn_vfs_unlock();
		free(n);
		return -EEXIST;
	}
	cn_vnode_init(&n->vn, &dev_ops, mounted, S_IFCHR, ++nr_nodes + 1);
	n->dev = dev;
	n->mode = S_IFCHR | (dev->mode & 07777);
	cn_vfs_now(&n->mtime);
	n->ctime = n->mtime;
	*tail = n;
	tail = &n->next;
	cn_vfs_unlock();
	return 0;
}

static int devfs_mount(struct cn_vfs_mount *m, const char *opts)
{
	struct dnode *n;

	if (opts[0])
		return -EINVAL;
	if (mounted)
		return -EBUSY;		/* one instance: nodes are global */
	mounted = m;
	cn_vnode_init(&root.vn, &dir_ops, m, S_IFDIR, 1);
	root.mode = S_IFDIR | 0755;
	cn_vfs_now(&root.mtime);
	root.ctime = root.mtime;
	for (n = nodes; n; n = n->next)
		n->vn.mnt = m;
	cn_vnode_get(&root.vn);
	m->root = &root.vn;
	return 0;
}

static void devfs_unmount(struct cn_vfs_mount *m)
{
	struct dnode *n;

	(void)m;
	for (n = nodes; n; n = n->next)
		n->vn.mnt = NULL;
	mounted = NULL;
}

static int devfs_check_opts(const char *opts, char *msg, size_t len)
{
	if (!opts[0])
		return 0;
	strncpy(msg, "devfs takes no options besides ro and rw", len);
	msg[len - 1] = '\0';
	return -EINVAL;
}

CN_FS_TYPE(devfs) = {
	.name = "devfs",
	.mount = devfs_mount,
	.unmount = devfs_unmount,
	.check_opts = devfs_check_opts,
};
