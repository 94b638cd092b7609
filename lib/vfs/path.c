/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path resolution. A walk goes component by component from "/", the
 * current directory or a directory descriptor: repeated slashes are one,
 * "." stays, ".." goes up (across mount points; "/" is its own parent),
 * a symlink is replaced by its target followed by the rest of the path
 * (in a scratch buffer allocated on the first symlink only), at most
 * CN_VFS_SYMLOOP_MAX times per walk. A parent walk stops before the last
 * component, for the calls that create or remove names.
 *
 * Each step holds one reference on the directory it stands in. Callers
 * hold the VFS lock. Platform independent: also built for the host
 * (tests/host/build_files.py), where a fuzzer drives it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vfs_priv.h"

void cn_vfs_nd_init(struct nd *nd)
{
	memset(nd, 0, sizeof(*nd));
}

void cn_vfs_nd_done(struct nd *nd)
{
	cn_vnode_put(nd->vn);
	cn_vnode_put(nd->dir);
	free(nd->scratch);
	memset(nd, 0, sizeof(*nd));
}

struct cn_vnode *cn_vfs_fd_vnode(int fd, int *err)
{
	struct cn_file *f = cn_fd_get(fd);
	struct cn_vnode *vn = NULL;

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (f->ops == &cn_vfs_file_ops) {
		vn = f->priv;
		cn_vnode_get(vn);
	} else {
		*err = -ENOTDIR;	/* a socket or the console */
	}
	cn_file_put(f);
	return vn;
}

void cn_vfs_cross_mounts(struct cn_vnode **pvn)
{
	struct cn_vnode *vn = *pvn, *r;

	while (vn->mounted) {
		r = vn->mounted->root;
		cn_vnode_get(r);
		cn_vnode_put(vn);
		vn = r;
	}
	*pvn = vn;
}

int cn_vfs_dotdot(struct cn_vnode **pvn)
{
	struct cn_vnode *vn = *pvn, *up;
	int r;

	/* At the root of a mount, ".." is the parent of the mount point. */
	while (vn != cn_vfs_root && vn == vn->mnt->root && vn->mnt->covered) {
		up = vn->mnt->covered;
		cn_vnode_get(up);
		cn_vnode_put(vn);
		vn = up;
	}
	*pvn = vn;
	if (vn == cn_vfs_root)
		return 0;
	r = vn->ops->lookup(vn, "..", 2, &up);
	if (r)
		return r;
	cn_vnode_put(vn);
	cn_vfs_cross_mounts(&up);
	*pvn = up;
	return 0;
}

static int start_vnode(int dirfd, const char *path, struct cn_vnode **out)
{
	struct cn_vnode *vn;
	int err = 0;

	if (path[0] == '/' || dirfd == CN_VFS_CWD) {
		vn = path[0] != '/' && cn_vfs_cwd ? cn_vfs_cwd : cn_vfs_root;
		if (!vn)
			return -ENOENT;		/* nothing mounted on "/" */
		cn_vnode_get(vn);
	} else {
		vn = cn_vfs_fd_vnode(dirfd, &err);
		if (!vn)
			return err;
		if (vn->type != S_IFDIR) {
			cn_vnode_put(vn);
			return -ENOTDIR;
		}
	}
	*out = vn;
	return 0;
}

/*
 * Replaces the path being walked by link's target followed by rest (which
 * starts with '/' or is empty). *p points to the new path (in scratch).
 */
int cn_vfs_follow(struct nd *nd, struct cn_vnode *link, const char *rest,
		  const char **p)
{
	size_t restlen = strlen(rest);
	ssize_t n;
	char *tmp;

	if (++nd->links > CN_VFS_SYMLOOP_MAX)
		return -ELOOP;
	if (!link->ops->readlink)
		return -EINVAL;
	if (!nd->scratch) {
		nd->scratch = malloc(2 * PATH_MAX);
		if (!nd->scratch)
			return -ENOMEM;
	}
	tmp = nd->scratch + PATH_MAX;	/* rest is never in this half */
	n = link->ops->readlink(link, tmp, PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;		/* as Linux, for an empty target */
	if ((size_t)n + restlen + 1 > PATH_MAX)
		return -ENAMETOOLONG;
	memmove(nd->scratch + n, rest, restlen + 1);
	memcpy(nd->scratch, tmp, (size_t)n);
	*p = nd->scratch;
	return 0;
}

/* Restarts at "/" for an absolute path (a symlink's target). */
static int restart_if_absolute(const char *p, struct cn_vnode **cur)
{
	if (*p != '/')
		return 0;
	if (!cn_vfs_root)
		return -ENOENT;
	cn_vnode_put(*cur);
	*cur = cn_vfs_root;
	cn_vnode_get(*cur);
	return 0;
}

static int last_type(const char *s, size_t len)
{
	if (len == 1 && s[0] == '.')
		return LAST_DOT;
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

/*
 * One component s (len bytes) of the walk, looked up in *cur. Returns 0
 * with *next set (the component's vnode, mounts crossed), or an error.
 */
static int step(struct cn_vnode **cur, const char *s, size_t len,
		struct cn_vnode **next)
{
	int t = last_type(s, len), r;

	if (t == LAST_DOT) {
		cn_vnode_get(*cur);
		*next = *cur;
		return 0;
	}
	if (t == LAST_DOTDOT) {
		cn_vnode_get(*cur);
		*next = *cur;
		r = cn_vfs_dotdot(next);
		if (r) {
			cn_vnode_put(*next);
			*next = NULL;
		}
		return r;
	}
	if (!(*cur)->ops->lookup)
		return -ENOTDIR;
	r = (*cur)->ops->lookup(*cur, s, len, next);
	if (!r)
		cn_vfs_cross_mounts(next);
	return r;
}

int cn_vfs_walk_from(struct nd *nd, struct cn_vnode *cur, const char *p,
		     int flags)
{
	struct cn_vnode *vn;
	const char *s, *e, *q;
	bool last, slash;
	size_t len;
	int r;

	for (;;) {
		while (*p == '/')
			p++;
		if (!*p) {
			/* Nothing left: "/" itself, or a link to a directory. */
			if (flags & WALK_PARENT) {
				nd->dir = cur;
				nd->last = NULL;
				nd->lastlen = 0;
				nd->last_type = LAST_ROOT;
			} else {
				nd->vn = cur;
			}
			return 0;
		}
		for (e = s = p; *e && *e != '/'; e++)
			;
		len = (size_t)(e - s);
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		for (q = e; *q == '/'; q++)
			;
		last = !*q;
		slash = q > e;
		if (last && (flags & WALK_PARENT)) {
			nd->dir = cur;
			nd->last = s;
			nd->lastlen = len;
			nd->last_type = last_type(s, len);
			nd->slash = slash;
			return 0;
		}
		r = step(&cur, s, len, &vn);
		if (r)
			break;
		if (vn->type == S_IFLNK &&
		    (!last || slash || (flags & WALK_FOLLOW))) {
			r = cn_vfs_follow(nd, vn, e, &p);
			cn_vnode_put(vn);
			if (!r)
				r = restart_if_absolute(p, &cur);
			if (r)
				break;
			continue;
		}
		if ((!last || slash) && vn->type != S_IFDIR) {
			cn_vnode_put(vn);
			r = -ENOTDIR;
			break;
		}
		cn_vnode_put(cur);
		cur = vn;
		if (last) {
			nd->vn = cur;
			nd->slash = slash;
			return 0;
		}
		p = q;
	}
	cn_vnode_put(cur);
	return r;
}

int cn_vfs_walk(struct nd *nd, int dirfd, const char *path, int flags)
{
	struct cn_vnode *start = NULL;
	int r;

	if (!path)
		return -EFAULT;
	if (!*path)
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	r = start_vnode(dirfd, path, &start);
	if (r)
		return r;
	return cn_vfs_walk_from(nd, start, path, flags);
}

int cn_vfs_lookup_last(struct nd *nd, struct cn_vnode **out)
{
	struct cn_vnode *vn = nd->dir;
	int r;

	switch (nd->last_type) {
	case LAST_NORM:
		if (!vn->ops->lookup)
			return -ENOTDIR;
		return vn->ops->lookup(vn, nd->last, nd->lastlen, out);
	case LAST_DOTDOT:
		cn_vnode_get(vn);
		r = cn_vfs_dotdot(&vn);
		if (r) {
			cn_vnode_put(vn);
			return r;
		}
		*out = vn;
		return 0;
	default:			/* ".", or "/" */
		cn_vnode_get(vn);
		*out = vn;
		return 0;
	}
}

struct find_name {
	uint64_t ino;
	char *name;
	size_t len;
	bool found;
};

static int find_fill(void *ctx, const char *name, size_t len, uint64_t ino,
		     unsigned int type, off_t next)
{
	struct find_name *f = ctx;

	(void)type, (void)next;
	if (ino != f->ino || last_type(name, len) != LAST_NORM)
		return 0;
	memcpy(f->name, name, len);
	f->len = len;
	f->found = true;
	return 1;
}

/* Prepends "/name" of cur (in its parent *up) at buf[*pos]. */
static int prepend_name(struct cn_vnode *cur, struct cn_vnode *up, char *buf,
			size_t *pos)
{
	char name[NAME_MAX + 1];
	struct find_name f = { .ino = cur->ino, .name = name };
	off_t cookie = 0;
	int r;

	if (!up->ops->readdir)
		return -ENOENT;
	r = up->ops->readdir(up, &cookie, find_fill, &f);
	if (r)
		return r;
	if (!f.found)
		return -ENOENT;
	if (*pos < f.len + 1)
		return -ERANGE;
	*pos -= f.len;
	memcpy(buf + *pos, name, f.len);
	buf[--*pos] = '/';
	return 0;
}

int cn_vfs_path_of(struct cn_vnode *vn, char *buf, size_t len)
{
	struct cn_vnode *cur = vn, *up;
	size_t pos = len;
	struct stat st;
	int r = 0;

	if (len < 2)
		return -ERANGE;
	buf[--pos] = '\0';
	cn_vnode_get(cur);
	if (cn_vfs_getattr(cur, &st) == 0 && st.st_nlink == 0)
		r = -ENOENT;		/* a removed directory */
	while (!r && cur != cn_vfs_root) {
		if (cur == cur->mnt->root) {
			up = cur->mnt->covered;
			if (!up) {
				r = -ENOENT;	/* not below "/" any more */
				break;
			}
			cn_vnode_get(up);
		} else {
			r = cur->ops->lookup(cur, "..", 2, &up);
			if (r)
				break;
			r = prepend_name(cur, up, buf, &pos);
		}
		cn_vnode_put(cur);
		cur = up;
	}
	cn_vnode_put(cur);
	if (r)
		return r;
	if (pos == len - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, len - pos);
	return (int)(len - pos - 1);
}
