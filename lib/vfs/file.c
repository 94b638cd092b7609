/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open files of the VFS: a struct cn_file of lib/fdtab whose priv is the
 * vnode (with a reference, so an unlinked file lives until its last
 * close). lib/fdtab provides read/write/lseek/fstat/... on descriptors and
 * calls these operations; the position is fdtab's f->pos. A directory's
 * position is the file system's readdir cookie.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <cairn/compiler.h>
#include "vfs_priv.h"

#define OFF_MAX ((off_t)INT64_MAX)

_Static_assert(sizeof(off_t) == 8, "64-bit file offsets");

static ssize_t vf_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	struct cn_vnode *vn = f->priv;
	ssize_t r;

	if (vn->type == S_IFDIR)
		return -EISDIR;
	if (!vn->ops->read)
		return -EINVAL;
	if (vn->ops->unlocked)
		return vn->ops->read(vn, buf, len, off);
	cn_vfs_lock();
	r = vn->ops->read(vn, buf, len, off);
	cn_vfs_unlock();
	return r;
}

static ssize_t vf_write(struct cn_file *f, const void *buf, size_t len,
			off_t off)
{
	struct cn_vnode *vn = f->priv;
	struct stat st;
	ssize_t r;

	if (!vn->ops->write)
		return -EINVAL;
	if (vn->ops->unlocked)
		return vn->ops->write(vn, buf, len, off);
	cn_vfs_lock();
	/* O_APPEND: the end is taken under the lock, so appends never
	 * overwrite each other (and pwrite appends too, as on Linux). */
	if ((f->flags & O_APPEND) && vn->type == S_IFREG &&
	    cn_vfs_getattr(vn, &st) == 0)
		off = st.st_size;
	r = vn->ops->write(vn, buf, len, off);
	cn_vfs_unlock();
	return r;
}

static off_t vf_seek(struct cn_file *f, off_t off, int whence)
{
	struct cn_vnode *vn = f->priv;
	struct stat st;
	off_t base;

	if (vn->type == S_IFDIR) {
		/* Cookies: only positions telldir() gave make sense. */
		if (whence == SEEK_SET && off >= 0)
			return off;
		if (whence == SEEK_CUR && off == 0)
			return f->pos;
		return -EINVAL;
	}
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		cn_vfs_lock();
		base = cn_vfs_getattr(vn, &st) ? 0 : st.st_size;
		cn_vfs_unlock();
		break;
	default:
		return -EINVAL;
	}
	if (off > 0 && base > OFF_MAX - off)
		return -EOVERFLOW;
	if (base + off < 0)
		return -EINVAL;
	return base + off;
}

static unsigned int vf_poll(struct cn_file *f)
{
	struct cn_vnode *vn = f->priv;

	return vn->ops->poll ? vn->ops->poll(vn) : CN_POLLIN | CN_POLLOUT;
}

static int vf_ioctl(struct cn_file *f, unsigned long req, void *arg)
{
	struct cn_vnode *vn = f->priv;
	int r;

	if (!vn->ops->ioctl)
		return -ENOTTY;
	if (vn->ops->unlocked)
		return vn->ops->ioctl(vn, req, arg);
	cn_vfs_lock();
	r = vn->ops->ioctl(vn, req, arg);
	cn_vfs_unlock();
	return r;
}

static int vf_stat(struct cn_file *f, struct stat *st)
{
	int r;

	cn_vfs_lock();
	r = cn_vfs_getattr(f->priv, st);
	cn_vfs_unlock();
	return r;
}

static int vf_truncate(struct cn_file *f, off_t len)
{
	struct cn_vnode *vn = f->priv;
	int r;

	if (vn->type != S_IFREG || !vn->ops->truncate)
		return -EINVAL;
	cn_vfs_lock();
	r = vn->ops->truncate(vn, len);
	cn_vfs_unlock();
	return r;
}

static int vf_sync(struct cn_file *f)
{
	struct cn_vnode *vn = f->priv;
	int r;

	if (!vn->ops->sync)
		return 0;		/* nothing to write back */
	cn_vfs_lock();
	r = vn->ops->sync(vn);
	cn_vfs_unlock();
	return r;
}

static void vf_release(struct cn_file *f)
{
	if (!f->priv)
		return;
	cn_vfs_lock();
	cn_vnode_put(f->priv);
	cn_vfs_unlock();
}

static ssize_t vf_pin(struct cn_file *f, off_t off, size_t len,
		      const void **data, struct cn_file_pin **pin)
{
	struct cn_vnode *vn = f->priv;
	ssize_t r;

	if (vn->type != S_IFREG || !vn->ops->pin || vn->ops->unlocked)
		return -EOPNOTSUPP;
	if (off < 0)
		return -EINVAL;
	cn_vfs_lock();
	r = vn->ops->pin(vn, off, len, data, pin);
	cn_vfs_unlock();
	return r;
}

const struct cn_file_ops cn_vfs_file_ops = {
	.read = vf_read,
	.write = vf_write,
	.seek = vf_seek,
	.poll = vf_poll,
	.ioctl = vf_ioctl,
	.stat = vf_stat,
	.truncate = vf_truncate,
	.sync = vf_sync,
	.release = vf_release,
	.pin = vf_pin,
};

struct dents {
	char *buf;
	size_t len, used;
	bool refused;
};

static int fill_dirent(void *ctx, const char *name, size_t len, uint64_t ino,
		       unsigned int type, off_t next)
{
	struct dents *d = ctx;
	size_t rec = CN_ALIGN_UP(offsetof(struct dirent, d_name) + len + 1,
				 (size_t)8);
	struct dirent *de;

	if (d->used + rec > d->len) {
		d->refused = true;
		return 1;
	}
	de = (struct dirent *)(d->buf + d->used);
	de->d_ino = (ino_t)ino;
	de->d_off = next;
	de->d_reclen = (unsigned short)rec;
	de->d_type = (unsigned char)type;
	memcpy(de->d_name, name, len);
	de->d_name[len] = '\0';
	d->used += rec;
	return 0;
}

ssize_t cn_vfs_getdents(int fd, void *buf, size_t len)
{
	struct cn_file *f = cn_fd_get(fd);
	struct dents d = { .buf = buf, .len = len };
	struct cn_vnode *vn;
	off_t cookie;
	int r;

	if (!f)
		return -EBADF;
	vn = f->priv;
	if (f->ops != &cn_vfs_file_ops || vn->type != S_IFDIR ||
	    !vn->ops->readdir) {
		cn_file_put(f);
		return -ENOTDIR;
	}
	cn_vfs_lock();
	cookie = f->pos;
	r = vn->ops->readdir(vn, &cookie, fill_dirent, &d);
	f->pos = cookie;
	cn_vfs_unlock();
	cn_file_put(f);
	if (r < 0)
		return r;
	if (!d.used && d.refused)
		return -EINVAL;
	return (ssize_t)d.used;
}
