/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VFS core: vnode references, file system types, the mount table and
 * the global name space state (root, current directory, umask). Paths are
 * walked in path.c, the calls on names are in ops.c, open files in
 * file.c; POSIX names on top in posix.c and dir.c.
 *
 * Everything here runs under the VFS lock (lock.c). Mounts are few: a
 * list is enough.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <cairn/log.h>
#include "vfs_priv.h"

CN_TABLE_DECLARE(cn_fs_types, struct cn_fs_type);

/*
 * The table's bounds, hidden from the optimiser: the markers are distinct
 * zero-length objects, and a compiler may reason that no pointer walks
 * from one to the other (the host builds' sanitizers do).
 */
static void fs_table(const struct cn_fs_type **begin,
		     const struct cn_fs_type **end)
{
	const struct cn_fs_type *b = __cn_table_start_cn_fs_types;
	const struct cn_fs_type *e = __cn_table_end_cn_fs_types;

	__asm__("" : "+r"(b), "+r"(e));
	*begin = b;
	*end = e;
}

struct cn_vnode *cn_vfs_root;
struct cn_vnode *cn_vfs_cwd;
mode_t cn_vfs_umask = 022;

static struct cn_vfs_mount *mounts;
static unsigned int next_mount_id = 1;

void cn_vnode_init(struct cn_vnode *vn, const struct cn_vnode_ops *ops,
		   struct cn_vfs_mount *mnt, mode_t type, uint64_t ino)
{
	vn->ops = ops;
	vn->mnt = mnt;
	vn->mounted = NULL;
	vn->refs = 0;
	vn->type = type & S_IFMT;
	vn->ino = ino;
}

void cn_vnode_get(struct cn_vnode *vn)
{
	vn->refs++;
	vn->mnt->vnode_refs++;
}

void cn_vnode_put(struct cn_vnode *vn)
{
	if (!vn)
		return;
	vn->mnt->vnode_refs--;
	if (--vn->refs == 0 && vn->ops->inactive)
		vn->ops->inactive(vn);
}

void cn_vfs_now(struct timespec *ts)
{
	if (clock_gettime(CLOCK_REALTIME, ts) != 0)
		ts->tv_sec = ts->tv_nsec = 0;
}

unsigned int cn_vfs_dtype(mode_t mode)
{
	return (mode & S_IFMT) >> 12;	/* DT_* are the S_IFMT bits >> 12 */
}

int cn_vfs_parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	size_t i = 0;

	if (len && (s[len - 1] | 0x20) == 'k')
		mult = 1ull << 10;
	else if (len && (s[len - 1] | 0x20) == 'm')
		mult = 1ull << 20;
	else if (len && (s[len - 1] | 0x20) == 'g')
		mult = 1ull << 30;
	if (mult != 1)
		len--;
	if (!len)
		return -EINVAL;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

struct cn_vfs_mount *cn_vfs_mount_of(const struct cn_vnode *vn)
{
	return vn->mnt;
}

bool cn_vfs_is_rdonly(const struct cn_vnode *vn)
{
	return vn->mnt->flags & CN_MOUNT_RDONLY;
}

int cn_vfs_getattr(struct cn_vnode *vn, struct stat *st)
{
	int r;

	memset(st, 0, sizeof(*st));
	r = vn->ops->getattr(vn, st);
	st->st_dev = (dev_t)vn->mnt->id;
	return r;
}

const struct cn_fs_type *cn_vfs_fs_type(const char *name, size_t len)
{
	const struct cn_fs_type *t, *end;

	for (fs_table(&t, &end); t < end; t++)
		if (strlen(t->name) == len && !memcmp(t->name, name, len))
			return t;
	return NULL;
}

void cn_vfs_fs_types(void (*fn)(const struct cn_fs_type *t, void *arg),
		     void *arg)
{
	const struct cn_fs_type *t, *end;

	for (fs_table(&t, &end); t < end; t++)
		fn(t, arg);
}

/*
 * Splits the generic options ("ro", "rw") off opts into *flags; the rest,
 * comma-separated, goes to out (size len). -EINVAL if it does not fit.
 */
int cn_vfs_split_opts(const char *opts, unsigned long *flags, char *out,
		      size_t len)
{
	size_t o = 0;
	const char *p = opts ? opts : "";

	out[0] = '\0';
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && !memcmp(p, "ro", 2)) {
			*flags |= CN_MOUNT_RDONLY;
		} else if (n == 2 && !memcmp(p, "rw", 2)) {
			*flags &= ~(unsigned long)CN_MOUNT_RDONLY;
		} else if (n) {
			if (o + n + 2 > len)
				return -EINVAL;
			if (o)
				out[o++] = ',';
			memcpy(out + o, p, n);
			o += n;
			out[o] = '\0';
		}
		p += n + (e ? 1 : 0);
	}
	return 0;
}

static int do_mount(const struct cn_fs_type *t, struct cn_vnode *covered,
		    unsigned long flags, const char *opts)
{
	struct cn_vfs_mount *m = calloc(1, sizeof(*m)), **pp;
	int r;

	if (!m)
		return -ENOMEM;
	m->type = t;
	m->flags = flags;
	m->id = next_mount_id++;
	r = t->mount(m, opts);
	if (r) {
		free(m);
		return r;
	}
	if (!m->root || m->root->type != S_IFDIR) {
		cn_pr_err("%s: mount gave no root directory", t->name);
		free(m);
		return -EIO;
	}
	m->covered = covered;		/* keeps the walk's reference */
	if (covered)
		covered->mounted = m;
	else
		cn_vfs_root = m->root;
	for (pp = &mounts; *pp; pp = &(*pp)->next)
		;
	*pp = m;
	return 0;
}

int cn_vfs_mount(const char *fstype, const char *target, unsigned long flags,
		 const char *opts)
{
	const struct cn_fs_type *t;
	char rest[256], msg[160];
	struct stat st;
	struct nd nd;
	int r;

	if (!fstype || !target)
		return -EINVAL;
	t = cn_vfs_fs_type(fstype, strlen(fstype));
	if (!t)
		return -ENODEV;
	if (cn_vfs_split_opts(opts, &flags, rest, sizeof(rest)))
		return -EINVAL;
	if (t->check_opts && t->check_opts(rest, msg, sizeof(msg))) {
		cn_pr_err("mount %s on %s: %s", fstype, target, msg);
		return -EINVAL;
	}
	cn_vfs_lock();
	if (!cn_vfs_root) {
		/* The first mount makes "/". */
		r = strcmp(target, "/") ? -ENOENT : do_mount(t, NULL, flags,
							     rest);
		cn_vfs_unlock();
		return r;
	}
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, CN_VFS_CWD, target, WALK_FOLLOW);
	if (!r)		/* "." in a covered directory: on top of its mounts */
		cn_vfs_cross_mounts(&nd.vn);
	if (!r && nd.vn->type != S_IFDIR)
		r = -ENOTDIR;
	else if (!r && nd.vn == cn_vfs_root)
		r = -EBUSY;		/* "/" stays what it is */
	else if (!r && (cn_vfs_getattr(nd.vn, &st) || !st.st_nlink))
		r = -ENOENT;		/* removed, as Linux says */
	if (!r) {
		r = do_mount(t, nd.vn, flags, rest);
		if (!r)
			nd.vn = NULL;	/* the mount keeps the reference */
	}
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_umount(const char *target)
{
	struct cn_vfs_mount *m, **pp;
	struct nd nd;
	int r;

	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, CN_VFS_CWD, target, WALK_FOLLOW);
	if (r)
		goto out;
	m = nd.vn->mnt;
	if (nd.vn != m->root) {
		r = -EINVAL;
		goto out;
	}
	/* Our walk's reference and the mount's own: anything else is busy. */
	if (m->vnode_refs != 2 || m->root->mounted) {
		r = -EBUSY;
		goto out;
	}
	if (cn_vfs_cwd == m->root) {
		r = -EBUSY;
		goto out;
	}
	cn_vnode_put(nd.vn);
	nd.vn = NULL;
	for (pp = &mounts; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	if (m->covered)
		m->covered->mounted = NULL;
	else
		cn_vfs_root = NULL;
	cn_vnode_put(m->root);
	m->type->unmount(m);
	cn_vnode_put(m->covered);
	free(m);
out:
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

void cn_vfs_mounts(void (*fn)(const char *path, const char *fstype,
			      unsigned long flags, void *arg), void *arg)
{
	char *buf = malloc(PATH_MAX);
	struct cn_vfs_mount *m;

	if (!buf)
		return;
	cn_vfs_lock();
	for (m = mounts; m; m = m->next) {
		if (cn_vfs_path_of(m->root, buf, PATH_MAX) < 0)
			strcpy(buf, "?");
		fn(buf, m->type->name, m->flags, arg);
	}
	cn_vfs_unlock();
	free(buf);
}

/* Fills out for the mount of vn: the file system's counts and ours. */
static int statfs_of(struct cn_vnode *vn, struct statvfs *out)
{
	struct cn_vfs_mount *m = vn->mnt;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (m->type->statfs)
		r = m->type->statfs(m, out);
	out->f_fsid = m->id;
	out->f_flag = (m->flags & CN_MOUNT_RDONLY) ? ST_RDONLY : 0;
	if (!out->f_namemax)
		out->f_namemax = NAME_MAX;
	if (!out->f_bsize)
		out->f_bsize = 4096;
	if (!out->f_frsize)
		out->f_frsize = out->f_bsize;
	return r;
}

int cn_vfs_statvfs(const char *path, struct statvfs *out)
{
	struct nd nd;
	int r;

	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	r = cn_vfs_walk(&nd, CN_VFS_CWD, path, WALK_FOLLOW);
	if (!r)
		r = statfs_of(nd.vn, out);
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_fstatvfs(int fd, struct statvfs *out)
{
	struct cn_vnode *vn;
	int r = 0;

	cn_vfs_lock();
	vn = cn_vfs_fd_vnode(fd, &r);
	if (vn) {
		r = statfs_of(vn, out);
		cn_vnode_put(vn);
	} else if (r == -ENOTDIR) {
		r = -ENOSYS;	/* a socket or the console, as Linux */
	}
	cn_vfs_unlock();
	return r;
}

/* Linux's magic numbers (<sys/statfs.h>) by Cairn's file system names. */
static long fs_magic(const char *name)
{
	static const struct {
		const char *name;
		long magic;
	} magic[] = {
		{ "ramfs", RAMFS_MAGIC },
		{ "fat", MSDOS_SUPER_MAGIC },
		{ "9p", V9FS_MAGIC },
		{ "devfs", DEVFS_SUPER_MAGIC },
	};
	size_t i;

	for (i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if (!strcmp(name, magic[i].name))
			return magic[i].magic;
	return 0;
}

int cn_vfs_statfs_at(const char *path, int fd, struct statvfs *out,
		     long *type)
{
	struct cn_vnode *vn;
	struct nd nd;
	int r = 0;

	cn_vfs_lock();
	cn_vfs_nd_init(&nd);
	if (path) {
		r = cn_vfs_walk(&nd, CN_VFS_CWD, path, WALK_FOLLOW);
		vn = r ? NULL : nd.vn;
		if (vn)
			cn_vnode_get(vn);
	} else {
		vn = cn_vfs_fd_vnode(fd, &r);
		if (!vn && r == -ENOTDIR)
			r = -ENOSYS;	/* a socket or the console */
	}
	if (vn) {
		r = statfs_of(vn, out);
		*type = fs_magic(vn->mnt->type->name);
		cn_vnode_put(vn);
	}
	cn_vfs_nd_done(&nd);
	cn_vfs_unlock();
	return r;
}

int cn_vfs_sync(void)
{
	struct cn_vfs_mount *m;
	int r, first = 0;

	cn_vfs_lock();
	for (m = mounts; m; m = m->next) {
		if (!m->root->ops->sync)
			continue;
		r = m->root->ops->sync(m->root);
		if (r && !first)
			first = r;
	}
	cn_vfs_unlock();
	return first;
}
