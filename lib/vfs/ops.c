/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The calls on names: open, stat, mkdir, unlink/rmdir, rename, link,
 * symlink, readlink, truncate, access, chmod, utimens, chdir, getcwd,
 * realpath. Each takes the VFS lock, walks (path.c), checks what Linux
 * checks, in the order Linux does where the order shows in the error, and
 * calls the file system. Errors are negative errno values; posix.c turns
 * them into -1 and errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "vfs_priv.h"

#ifndef UTIME_NOW
#define UTIME_NOW	((1l << 30) - 1l)
#define UTIME_OMIT	((1l << 30) - 2l)
#endif

/* The files mode may make: permission bits minus the umask. */
static mode_t perms(mode_t mode)
{
	return mode & 07777 & ~cn_vfs_umask;
}

/*
 * A parent walk whose last component, when it names a symlink and follow
 * is set, is replaced by the link's target and walked again. *out is the
 * vnode the last component names (mounts crossed), or NULL if there is
 * none yet (nd->dir/last say where it would go).
 */
static int walk_last(struct nd *nd, int dirfd, const char *path,
		     struct cn_vnode **out, bool follow)
{
	struct cn_vnode *vn, *dir;
	int r = cn_vfs_walk(nd, dirfd, path, WALK_PARENT);

	*out = NULL;
	for (;;) {
		const char *p;

		if (r)
			return r;
		r = cn_vfs_lookup_last(nd, &vn);
		if (r == -ENOENT && nd->last_type == LAST_NORM)
			return 0;
		if (r)
			return r;
		cn_vfs_cross_mounts(&vn);
		if (vn->type != S_IFLNK || !follow) {
			*out = vn;
			return 0;
		}
		dir = nd->dir;
		nd->dir = NULL;
		r = cn_vfs_follow(nd, vn, nd->slash ? "/" : "", &p);
		cn_vnode_put(vn);
		if (!r && *p == '/') {
			cn_vnode_put(dir);
			dir = cn_vfs_root;
			cn_vnode_get(dir);
		}
		if (r) {
			cn_vnode_put(dir);
			return r;
		}
		r = cn_vfs_walk_from(nd, dir, p, WALK_PARENT);
	}
}

/* Makes the last component of a parent walk: -EEXIST if it exists. */
static int create_last(struct nd *nd, mode_t mode, const char *target,
		       struct cn_vnode **out)
{
	struct cn_vnode *vn;
	int r;

	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	r = cn_vfs_lookup_last(nd, &vn);
	if (!r) {
		cn_vnode_put(vn);
		return -EEXIST;
	}
	if (r != -ENOENT)
		return r;
	if (nd->slash && !S_ISDIR(mode))
		return -ENOENT;
	if (cn_vfs_is_rdonly(nd->dir))
		return -EROFS;
	if (!nd->dir->ops->create)
		return -EPERM;
	return nd->dir->ops->create(nd->dir, nd->last, nd->lastlen, mode,
				    target, out);
}

/* Checks opening vn with flags (Linux's may_open). */
static int may_open(struct cn_vnode *vn, int flags)
{
	bool wr = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);

	switch (vn->type) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (wr)
			return -EISDIR;
		return 0;
	case S_IFREG:
		break;
	default:
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		return 0;		/* devices: writable on a ro mount */
	}
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if (wr && cn_vfs_is_rdonly(vn))
		return -EROFS;
	return 0;
}

/* Makes the open file for vn (whose reference it takes over). */
static int make_file(struct cn_vnode *vn, int flags, struct cn_file **out)
{
	struct cn_file *f;
	int r;

	if (vn->ops->open) {
		r = vn->ops->open(vn, flags, out);
		if (!r)
			cn_vnode_put(vn);	/* the file system's file now */
		return r;
	}
	f = cn_file_alloc(&cn_vfs_file_ops, vn,
			  flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	if (!f)
		return -ENOMEM;
	f->seekable = vn->type != S_IFIFO && vn->type != S_IFSOCK;
	*out = f;
	return 0;
}

static int open_locked(struct nd *nd, int dirfd, const char *path, int flags,
		       mode_t mode, struct cn_vnode **pvn)
{
	struct cn_vnode *vn = NULL;
	bool created = false;
	int r;

	if (flags & O_CREAT) {
		r = walk_last(nd, dirfd, path, &vn,
			      !(flags & (O_EXCL | O_NOFOLLOW)));
		if (r)
			return r;
		if (nd->last_type == LAST_NORM && nd->slash)
			r = -EISDIR;
		else if (vn && (flags & O_EXCL))
			r = -EEXIST;
		else if (vn && vn->type == S_IFDIR)
			r = -EISDIR;
		else if (!vn) {
			r = create_last(nd, S_IFREG | perms(mode), NULL, &vn);
			created = !r;
		}
	} else {
		r = cn_vfs_walk(nd, dirfd, path,
				(flags & O_NOFOLLOW) ? 0 : WALK_FOLLOW);
		if (!r) {
			vn = nd->vn;
			nd->vn = NULL;
		}
	}
	if (!r)
		r = may_open(vn, flags);
	if (!r && (flags & O_TRUNC) && vn->type == S_IFREG && !created)
		r = vn->ops->truncate ? vn->ops->truncate(vn, 0) : -EINVAL;
	if (r) {
		cn_vnode_put(vn);
		return r;
	}
	*pvn = vn;
	return 0;
}

int cn_vfs_open_file(int dirfd, const char *path, int flags, mode_t mode,
		     struct cn_file **out)
{
	struct cn_vnode *vn;
	struct nd nd;
	int r;

	if ((flags & O_ACCMODE) == O_ACCMODE ||
	    ((flags & O_CREAT) && (flags & O_DIRECTORY)))
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = open_locked(&nd, dirfd, path, flags, mode, &vn);
	cn_vfs_nd_done(&nd);
	if (!r) {
		r = make_file(vn, flags, out);
		if (r)
			cn_vnode_put(vn);
	}
	cn_vfs_unlock();
	return r;
}

int cn_vfs_open(int dirfd, const char *path, int flags, mode_t mode)
{
	struct cn_file *f;
	int r = cn_vfs_open_file(dirfd, path, flags, mode, &f);

	if (r)
		return r;
	r = cn_fd_install(f, flags & O_CLOEXEC);
	cn_file_put(f);			/* the table holds it now */
	return r;
}

int cn_vfs_stat(int dirfd, const char *path, struct stat *st, int atflags)
{
	struct nd nd;
	int r;

	if (atflags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path,
			(atflags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW);
	if (!r)
		r = cn_vfs_getattr(nd.vn, st);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_mkdir(int dirfd, const char *path, mode_t mode)
{
	struct nd nd;
	int r;

	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path, WALK_PARENT);
	if (!r)
		r = create_last(&nd, S_IFDIR | perms(mode), NULL, NULL);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_mkdir_p(const char *path, mode_t mode)
{
	char *buf;
	size_t i, len;
	struct stat st;
	int r = 0;

	if (!path || !*path)
		return -ENOENT;
	len = strnlen(path, PATH_MAX);
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len && !r; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		if (buf[i - 1] == '/')
			continue;
		buf[i] = '\0';
		r = cn_vfs_mkdir(CN_VFS_CWD, buf, mode);
		if (r == -EEXIST) {
			r = cn_vfs_stat(CN_VFS_CWD, buf, &st, 0);
			if (!r && !S_ISDIR(st.st_mode))
				r = -ENOTDIR;
		}
		buf[i] = i < len ? '/' : '\0';
	}
	free(buf);
	return r;
}

static int unlink_checks(struct nd *nd, struct cn_vnode *vn, bool rmdir)
{
	if (rmdir) {
		if (vn->type != S_IFDIR)
			return -ENOTDIR;
		if (vn->mounted)
			return -EBUSY;
	} else {
		if (vn->type == S_IFDIR)
			return -EISDIR;
		if (nd->slash)
			return -ENOTDIR;
	}
	if (cn_vfs_is_rdonly(nd->dir))
		return -EROFS;
	return nd->dir->ops->unlink ? 0 : -EPERM;
}

int cn_vfs_unlink(int dirfd, const char *path, int atflags)
{
	bool rmdir = atflags & AT_REMOVEDIR;
	struct cn_vnode *vn = NULL;
	struct nd nd;
	int r;

	if (atflags & ~AT_REMOVEDIR)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path, WALK_PARENT);
	if (r)
		goto out;
	switch (nd.last_type) {
	case LAST_ROOT:
		r = rmdir ? -EBUSY : -EISDIR;
		goto out;
	case LAST_DOT:
		r = rmdir ? -EINVAL : -EISDIR;
		goto out;
	case LAST_DOTDOT:
		r = rmdir ? -ENOTEMPTY : -EISDIR;
		goto out;
	}
	r = cn_vfs_lookup_last(&nd, &vn);
	if (!r)
		r = unlink_checks(&nd, vn, rmdir);
	if (!r)
		r = nd.dir->ops->unlink(nd.dir, nd.last, nd.lastlen, vn);
	cn_vnode_put(vn);
out:
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

/* -EINVAL if dir is vn or inside it (a directory moved into itself). */
static int not_inside(struct cn_vnode *vn, struct cn_vnode *dir)
{
	struct cn_vnode *cur = dir, *up;
	int r = 0;

	cn_vnode_get(cur);
	for (;;) {
		if (cur == vn) {
			r = -EINVAL;
			break;
		}
		if (cur == cur->mnt->root)
			break;
		r = cur->ops->lookup(cur, "..", 2, &up);
		if (r)
			break;
		cn_vnode_put(cur);
		cur = up;
	}
	cn_vnode_put(cur);
	return r;
}

static int rename_checks(struct nd *a, struct nd *b, struct cn_vnode *ov,
			 struct cn_vnode *nv)
{
	if (ov->type != S_IFDIR && (a->slash || b->slash))
		return -ENOTDIR;
	if (ov->mounted || (nv && nv->mounted))
		return -EBUSY;
	if (nv && ov->type == S_IFDIR && nv->type != S_IFDIR)
		return -ENOTDIR;
	if (nv && ov->type != S_IFDIR && nv->type == S_IFDIR)
		return -EISDIR;
	if (ov->type == S_IFDIR && not_inside(ov, b->dir))
		return -EINVAL;
	if (cn_vfs_is_rdonly(a->dir))
		return -EROFS;
	return a->dir->ops->rename ? 0 : -EPERM;
}

int cn_vfs_rename(int olddirfd, const char *old, int newdirfd,
		  const char *new)
{
	return cn_vfs_renameat2(olddirfd, old, newdirfd, new, 0);
}

int cn_vfs_renameat2(int olddirfd, const char *old, int newdirfd,
		     const char *new, unsigned int flags)
{
	struct cn_vnode *ov = NULL, *nv = NULL;
	struct nd a, b;
	int r;

	if (flags & ~CN_VFS_RENAME_NOREPLACE)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&a);
	cn_vfs_nd_init(&b);
	r = cn_vfs_walk(&a, olddirfd, old, WALK_PARENT);
	if (!r)
		r = cn_vfs_walk(&b, newdirfd, new, WALK_PARENT);
	if (r)
		goto out;
	if (a.dir->mnt != b.dir->mnt) {
		r = -EXDEV;
		goto out;
	}
	if (a.last_type != LAST_NORM || b.last_type != LAST_NORM) {
		r = -EBUSY;
		goto out;
	}
	r = cn_vfs_lookup_last(&a, &ov);
	if (r)
		goto out;
	r = cn_vfs_lookup_last(&b, &nv);
	if (r == -ENOENT)
		r = 0;
	if (r)
		goto out;
	/* Checked under the lock: no one can make new in between. */
	if (nv && (flags & CN_VFS_RENAME_NOREPLACE)) {
		r = -EEXIST;
		goto out;
	}
	if (ov == nv) {
		r = ov->type != S_IFDIR && (a.slash || b.slash) ? -ENOTDIR : 0;
		goto out;		/* one file under both names */
	}
	r = rename_checks(&a, &b, ov, nv);
	if (!r)
		r = a.dir->ops->rename(a.dir, a.last, a.lastlen, b.dir, b.last,
				       b.lastlen);
out:
	cn_vnode_put(ov);
	cn_vnode_put(nv);
	cn_vfs_nd_done(&a);
	cn_vfs_nd_done(&b);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_mknod(int dirfd, const char *path, mode_t mode)
{
	mode_t type = mode & S_IFMT;
	struct cn_vnode *vn = NULL;
	struct nd nd;
	int r;

	switch (type) {
	case 0:
	case S_IFREG:
	case S_IFIFO:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path, WALK_PARENT);
	if (!r && (type == 0 || type == S_IFREG)) {
		r = create_last(&nd, S_IFREG | perms(mode), NULL, &vn);
		cn_vnode_put(vn);
	} else if (!r) {
		/* Linux's EEXIST comes first; then no file system here makes
		 * special files. */
		if (nd.last_type != LAST_NORM)
			r = -EEXIST;
		else if (!cn_vfs_lookup_last(&nd, &vn))
			r = -EEXIST;
		else
			r = -EPERM;
		cn_vnode_put(vn);
	}
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_link(int olddirfd, const char *old, int newdirfd, const char *new,
		int atflags)
{
	struct cn_vnode *nv;
	struct nd a, b;
	int r;

	if (atflags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&a);
	cn_vfs_nd_init(&b);
	r = cn_vfs_walk(&a, olddirfd, old,
			(atflags & AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0);
	if (!r)
		r = cn_vfs_walk(&b, newdirfd, new, WALK_PARENT);
	if (r)
		goto out;
	if (b.last_type != LAST_NORM) {
		r = -EEXIST;
		goto out;
	}
	r = cn_vfs_lookup_last(&b, &nv);
	if (!r) {
		cn_vnode_put(nv);
		r = -EEXIST;
	} else if (r == -ENOENT) {
		r = 0;
	}
	if (!r && a.vn->mnt != b.dir->mnt)
		r = -EXDEV;
	else if (!r && a.vn->type == S_IFDIR)
		r = -EPERM;
	else if (!r && (a.slash || b.slash))
		r = -ENOENT;
	else if (!r && cn_vfs_is_rdonly(b.dir))
		r = -EROFS;
	if (!r)
		r = b.dir->ops->link ? b.dir->ops->link(b.dir, b.last,
							b.lastlen, a.vn)
				     : -EPERM;
out:
	cn_vfs_nd_done(&a);
	cn_vfs_nd_done(&b);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_symlink(const char *target, int dirfd, const char *path)
{
	struct nd nd;
	int r;

	if (!target)
		return -EFAULT;
	if (!*target)
		return -ENOENT;
	if (strnlen(target, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path, WALK_PARENT);
	if (!r)
		r = create_last(&nd, S_IFLNK | 0777, target, NULL);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

ssize_t cn_vfs_readlink(int dirfd, const char *path, char *buf, size_t len)
{
	struct nd nd;
	ssize_t r;

	if (!len)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path, 0);
	if (!r && (nd.vn->type != S_IFLNK || !nd.vn->ops->readlink))
		r = -EINVAL;
	if (!r)
		r = nd.vn->ops->readlink(nd.vn, buf, len);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_truncate(const char *path, off_t len)
{
	struct nd nd;
	int r;

	if (len < 0)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, CN_VFS_CWD, path, WALK_FOLLOW);
	if (!r && nd.vn->type == S_IFDIR)
		r = -EISDIR;
	else if (!r && (nd.vn->type != S_IFREG || !nd.vn->ops->truncate))
		r = -EINVAL;
	else if (!r && cn_vfs_is_rdonly(nd.vn))
		r = -EROFS;
	if (!r)
		r = nd.vn->ops->truncate(nd.vn, len);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_access(int dirfd, const char *path, int mode, int atflags)
{
	struct stat st;
	struct nd nd;
	int r;

	if (mode & ~(R_OK | W_OK | X_OK | F_OK))
		return -EINVAL;
	if (atflags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path,
			(atflags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW);
	if (!r)
		r = cn_vfs_getattr(nd.vn, &st);
	/* One user, root: only a read-only mount and missing x bits say no. */
	if (!r && (mode & W_OK) && cn_vfs_is_rdonly(nd.vn) &&
	    (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) ||
	     S_ISLNK(st.st_mode)))
		r = -EROFS;
	else if (!r && (mode & X_OK) && !S_ISDIR(st.st_mode) &&
		 !(st.st_mode & 0111))
		r = -EACCES;
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

static int setattr(struct cn_vnode *vn, const struct cn_vattr *va)
{
	if (vn->type == S_IFLNK && (va->mask & CN_VATTR_MODE))
		return -EOPNOTSUPP;
	if (cn_vfs_is_rdonly(vn))
		return -EROFS;
	return vn->ops->setattr ? vn->ops->setattr(vn, va) : -EPERM;
}

static int setattr_at(int dirfd, const char *path, int atflags,
		      const struct cn_vattr *va)
{
	struct nd nd;
	int r;

	if (atflags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, dirfd, path,
			(atflags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW);
	if (!r)
		r = setattr(nd.vn, va);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

static int setattr_fd(int fd, const struct cn_vattr *va)
{
	struct cn_vnode *vn;
	int r = 0;

	cn_vfs_lock();
	vn = cn_vfs_fd_vnode(fd, &r);
	if (vn) {
		r = setattr(vn, va);
		cn_vnode_put(vn);
	} else if (r == -ENOTDIR) {
		r = -EINVAL;	/* not a file of the VFS */
	}
	cn_vfs_unlock();
	return r;
}

int cn_vfs_chmod(int dirfd, const char *path, mode_t mode, int atflags)
{
	struct cn_vattr va = { .mask = CN_VATTR_MODE, .mode = mode & 07777 };

	return setattr_at(dirfd, path, atflags, &va);
}

int cn_vfs_fchmod(int fd, mode_t mode)
{
	struct cn_vattr va = { .mask = CN_VATTR_MODE, .mode = mode & 07777 };

	return setattr_fd(fd, &va);
}

static void owner_attr(uid_t uid, gid_t gid, struct cn_vattr *va)
{
	memset(va, 0, sizeof(*va));
	if (uid != (uid_t)-1) {
		va->mask |= CN_VATTR_UID;
		va->uid = uid;
	}
	if (gid != (gid_t)-1) {
		va->mask |= CN_VATTR_GID;
		va->gid = gid;
	}
}

int cn_vfs_chown(int dirfd, const char *path, uid_t uid, gid_t gid,
		 int atflags)
{
	struct cn_vattr va;

	owner_attr(uid, gid, &va);
	return setattr_at(dirfd, path, atflags, &va);
}

int cn_vfs_fchown(int fd, uid_t uid, gid_t gid)
{
	struct cn_vattr va;

	owner_attr(uid, gid, &va);
	return setattr_fd(fd, &va);
}

static int times_attr(const struct timespec ts[2], struct cn_vattr *va)
{
	struct timespec now;
	int i;

	cn_vfs_now(&now);
	memset(va, 0, sizeof(*va));
	for (i = 0; i < 2; i++) {
		struct timespec t = ts ? ts[i] : now;

		if (t.tv_nsec == UTIME_OMIT)
			continue;
		if (t.tv_nsec == UTIME_NOW)
			t = now;
		else if (t.tv_nsec < 0 || t.tv_nsec >= 1000000000)
			return -EINVAL;
		if (i == 0) {
			va->mask |= CN_VATTR_ATIME;
			va->atime = t;
		} else {
			va->mask |= CN_VATTR_MTIME;
			va->mtime = t;
		}
	}
	return 0;
}

int cn_vfs_utimens(int dirfd, const char *path, const struct timespec ts[2],
		   int atflags)
{
	struct cn_vattr va;
	int r = times_attr(ts, &va);

	return r ? r : setattr_at(dirfd, path, atflags, &va);
}

int cn_vfs_futimens(int fd, const struct timespec ts[2])
{
	struct cn_vattr va;
	int r = times_attr(ts, &va);

	return r ? r : setattr_fd(fd, &va);
}

/* Takes over vn's reference. "/" is kept as NULL, holding nothing, so
 * that a current directory at the root never keeps "/" busy. */
static void set_cwd(struct cn_vnode *vn)
{
	struct cn_vnode *old = cn_vfs_cwd;

	if (vn == cn_vfs_root) {
		cn_vnode_put(vn);
		vn = NULL;
	}
	cn_vfs_cwd = vn;
	cn_vnode_put(old);
}

int cn_vfs_chdir(const char *path)
{
	struct nd nd;
	int r;

	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, CN_VFS_CWD, path, WALK_FOLLOW);
	if (!r && nd.vn->type != S_IFDIR)
		r = -ENOTDIR;
	if (!r) {
		set_cwd(nd.vn);
		nd.vn = NULL;
	}
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_fchdir(int fd)
{
	struct cn_vnode *vn;
	int r = 0;

	cn_vfs_lock();
	vn = cn_vfs_fd_vnode(fd, &r);
	if (vn && vn->type != S_IFDIR) {
		cn_vnode_put(vn);
		r = -ENOTDIR;
	} else if (vn) {
		set_cwd(vn);
	}
	cn_vfs_unlock();
	return r;
}

int cn_vfs_getcwd(char *buf, size_t len)
{
	struct cn_vnode *vn;
	int r;

	cn_vfs_lock();
	vn = cn_vfs_cwd ? cn_vfs_cwd : cn_vfs_root;
	r = vn ? cn_vfs_path_of(vn, buf, len) : -ENOENT;
	cn_vfs_unlock();
	return r;
}

int cn_vfs_realpath(const char *path, char *buf, size_t len)
{
	struct cn_vnode *vn;
	struct nd nd;
	int r, n;

	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = walk_last(&nd, CN_VFS_CWD, path, &vn, true);
	if (!r && !vn)
		r = -ENOENT;
	if (!r && vn->type != S_IFDIR && nd.slash)
		r = -ENOTDIR;
	if (!r && vn->type == S_IFDIR) {
		r = cn_vfs_path_of(vn, buf, len);
	} else if (!r) {
		/* A file: its directory's path, then its name. */
		n = cn_vfs_path_of(nd.dir, buf, len);
		r = n;
		if (n >= 0 && (size_t)n + (n > 1) + nd.lastlen + 1 > len)
			r = -ERANGE;
		else if (n >= 0) {
			if (n > 1)
				buf[n++] = '/';
			memcpy(buf + n, nd.last, nd.lastlen);
			buf[n + nd.lastlen] = '\0';
			r = n + (int)nd.lastlen;
		}
	}
	cn_vnode_put(vn);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}
