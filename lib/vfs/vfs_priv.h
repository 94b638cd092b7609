/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/vfs: the walk, the global state, the file operations. */
#ifndef VFS_PRIV_H
#define VFS_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <cairn/vfs.h>
#include <cairn/vfs_fs.h>

/* Kinds of the last component of a parent walk (as Linux's LAST_*). */
enum { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

/* Walk flags. */
#define WALK_PARENT	0x1	/* stop before the last component */
#define WALK_FOLLOW	0x2	/* follow a symlink in the last component */

/*
 * A walk in progress. After a full walk, vn is the vnode found (with a
 * reference). After a parent walk, dir is the directory (with a
 * reference) and last/lastlen its last component (pointing into the
 * caller's path or into scratch: valid until nd_done).
 */
struct nd {
	struct cn_vnode *vn;
	struct cn_vnode *dir;
	const char *last;
	size_t lastlen;
	int last_type;
	bool slash;		/* the path ended with '/' */
	unsigned int links;	/* symlinks followed */
	char *scratch;		/* 2 * PATH_MAX, for symlink expansion */
};

/* vfs.c: global state (under the VFS lock). */
extern struct cn_vnode *cn_vfs_root;	/* NULL until "/" is mounted */
extern struct cn_vnode *cn_vfs_cwd;	/* NULL: the root */
extern mode_t cn_vfs_umask;
extern const struct cn_file_ops cn_vfs_file_ops;

/* path.c */
void cn_vfs_nd_init(struct nd *nd);
void cn_vfs_nd_done(struct nd *nd);
/* Walks path from dirfd (or "/"); flags WALK_*. */
int cn_vfs_walk(struct nd *nd, int dirfd, const char *path, int flags);
/* Walks path from start (its reference is consumed). */
int cn_vfs_walk_from(struct nd *nd, struct cn_vnode *start, const char *path,
		     int flags);
/*
 * Replaces the path being walked by link's target followed by rest (which
 * starts with '/' or is empty, and is not in nd->scratch's second half):
 * *p is the new path, in nd->scratch. -ELOOP past CN_VFS_SYMLOOP_MAX.
 */
int cn_vfs_follow(struct nd *nd, struct cn_vnode *link, const char *rest,
		  const char **p);
/* After a parent walk: the vnode named by the last component (with a
 * reference), mounts not crossed; -ENOENT if there is none. */
int cn_vfs_lookup_last(struct nd *nd, struct cn_vnode **out);
/* Replaces *vn by what is mounted on it, recursively. */
void cn_vfs_cross_mounts(struct cn_vnode **vn);
/* One ".." step from *vn (mount-aware; stays at the root). */
int cn_vfs_dotdot(struct cn_vnode **vn);
/* The absolute path of directory vn into buf: its length or -ERANGE,
 * -ENOENT (removed). */
int cn_vfs_path_of(struct cn_vnode *vn, char *buf, size_t len);
/* The vnode of an open VFS file (with a reference), or NULL: -EBADF if
 * fd is not open, the vnode may be NULL with *err = -ENOTDIR etc. */
struct cn_vnode *cn_vfs_fd_vnode(int fd, int *err);

/* mounts.c: the boot mount table (vfs.mount=, LIB_VFS_MOUNTS). */
void cn_vfs_mount_specs_reset(void);
int cn_vfs_mount_specs_parse(const char *val, char *msg, size_t msglen);
int cn_vfs_mount_specs_apply(void);

/* vfs.c */
const struct cn_fs_type *cn_vfs_fs_type(const char *name, size_t len);
void cn_vfs_fs_types(void (*fn)(const struct cn_fs_type *t, void *arg),
		     void *arg);
int cn_vfs_split_opts(const char *opts, unsigned long *flags, char *out,
		      size_t len);
struct cn_vfs_mount *cn_vfs_mount_of(const struct cn_vnode *vn);
int cn_vfs_getattr(struct cn_vnode *vn, struct stat *st);
bool cn_vfs_is_rdonly(const struct cn_vnode *vn);
/* statfs(path) or, path NULL, fstatfs(fd): statvfs's counts and the file
 * system's Linux magic number in *type (0: none known). */
int cn_vfs_statfs_at(const char *path, int fd, struct statvfs *out,
		     long *type);

#endif
