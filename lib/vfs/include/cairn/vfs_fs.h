/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file-system side of lib/vfs: what a file system (lib/ramfs,
 * lib/devfs, a future 9pfs) implements and registers. Apps use
 * <cairn/vfs.h> and the POSIX calls instead.
 *
 * A file system type is an entry of a linker table:
 *
 *	CN_FS_TYPE(ramfs) = {
 *		.name = "ramfs", .mount = ramfs_mount,
 *		.unmount = ramfs_unmount, .check_opts = ramfs_check_opts,
 *	};
 *
 * mount() gives the new struct cn_vfs_mount its root vnode. A vnode is the
 * VFS's handle on a file, directory, symlink or device of a mounted file
 * system; the file system allocates it (usually embedded in its own node)
 * and fills ops, mnt, type and ino with cn_vnode_init().
 *
 * References: vn->refs counts the VFS's references (open files, the
 * current directory, mount points, walks in progress), never the file
 * system's own links. lookup() and create() return a vnode with one new
 * reference taken by cn_vnode_get(). When the last reference goes,
 * inactive() runs: a file system frees a node there once nothing links it
 * any more (so an unlinked file stays readable until its last close).
 *
 * Locking: every operation is called with the VFS lock held (one lock,
 * recursive, taken only when lib/sched is in the image), so a file system
 * needs no locking of its own - unless its ops table sets `unlocked`, in
 * which case read, write and ioctl are called without it (for files that
 * may block).
 *
 * Errors are negative errno values. Names passed to operations are not
 * NUL-terminated (name, len); they are never empty, ".", longer than
 * NAME_MAX, or contain '/'. ".." is passed only to lookup().
 */
#ifndef CAIRN_VFS_FS_H
#define CAIRN_VFS_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <time.h>
#include <cairn/file.h>
#include <cairn/table.h>

struct cn_vnode;
struct cn_vfs_mount;
struct statvfs;

/*
 * readdir() calls fill for each entry: name (len bytes), inode number,
 * DT_* type and the cookie that resumes after this entry. fill returns 0
 * to go on, nonzero to stop (its buffer is full): the entry was then not
 * taken and readdir must return with *cookie still naming it.
 */
typedef int (*cn_vfs_filldir_fn)(void *ctx, const char *name, size_t len,
				 uint64_t ino, unsigned int type, off_t next);

/* cn_vnode_ops.setattr: which fields of struct cn_vattr to apply. */
#define CN_VATTR_MODE	0x1	/* permission bits (07777) */
#define CN_VATTR_ATIME	0x2
#define CN_VATTR_MTIME	0x4
/* Owner and group: a file system that cannot store them returns -EPERM
 * when asked for other than 0 (as Linux's vfat without uid=). */
#define CN_VATTR_UID	0x8
#define CN_VATTR_GID	0x10

struct cn_vattr {
	unsigned int mask;
	mode_t mode;
	struct timespec atime, mtime;
	uid_t uid;
	gid_t gid;
};

struct cn_vnode_ops {
	/*
	 * Directories. lookup is required for a directory; it handles ".."
	 * (the root of a file system is its own parent). create makes a
	 * regular file, a directory, a symlink (target, NUL-terminated) or
	 * a device/fifo node, by mode's S_IFMT bits; it returns the new
	 * vnode with a reference in *out when out is not NULL; -EEXIST if
	 * the name is taken, -ENOSPC when full, -EPERM if this file system
	 * cannot make that kind. link adds a name for vn (never a
	 * directory). unlink removes a name: the VFS passes the vnode it
	 * found there and has checked the kind (rmdir vs unlink); a
	 * directory that is not empty gives -ENOTEMPTY. rename moves
	 * olddir/oldname to newdir/newname, replacing what is there (the VFS
	 * has checked kinds, emptiness of a replaced directory is the file
	 * system's -ENOTEMPTY, loops and mount points); both are on this
	 * file system. readdir: see cn_vfs_filldir_fn; cookies 0 and 1 are
	 * "." and "..", which the file system emits itself.
	 */
	int (*lookup)(struct cn_vnode *dir, const char *name, size_t len,
		      struct cn_vnode **out);
	int (*create)(struct cn_vnode *dir, const char *name, size_t len,
		      mode_t mode, const char *target, struct cn_vnode **out);
	int (*link)(struct cn_vnode *dir, const char *name, size_t len,
		    struct cn_vnode *vn);
	int (*unlink)(struct cn_vnode *dir, const char *name, size_t len,
		      struct cn_vnode *vn);
	int (*rename)(struct cn_vnode *olddir, const char *oldname,
		      size_t oldlen, struct cn_vnode *newdir,
		      const char *newname, size_t newlen);
	int (*readdir)(struct cn_vnode *dir, off_t *cookie,
		       cn_vfs_filldir_fn fill, void *ctx);

	/* Every vnode: getattr is required (the VFS fills st_dev). */
	int (*getattr)(struct cn_vnode *vn, struct stat *st);
	int (*setattr)(struct cn_vnode *vn, const struct cn_vattr *va);

	/*
	 * Files: read and write at off, return the count or a negative
	 * errno; a read at or past the end returns 0. truncate sets the
	 * size. poll (optional) says what is ready, without blocking.
	 */
	ssize_t (*read)(struct cn_vnode *vn, void *buf, size_t len, off_t off);
	ssize_t (*write)(struct cn_vnode *vn, const void *buf, size_t len,
			 off_t off);
	int (*truncate)(struct cn_vnode *vn, off_t len);
	int (*sync)(struct cn_vnode *vn);
	int (*ioctl)(struct cn_vnode *vn, unsigned long req, void *arg);
	unsigned int (*poll)(struct cn_vnode *vn);
	/*
	 * Optional (file data in memory): lends up to len bytes at off
	 * without a copy, as cn_file_ops.pin in <cairn/file.h> says (the
	 * bytes stay unchanged until the pin's last put, whatever happens
	 * to the file). Not for `unlocked` file systems.
	 */
	ssize_t (*pin)(struct cn_vnode *vn, off_t off, size_t len,
		       const void **data, struct cn_file_pin **pin);

	/* Symlinks: copies at most len bytes of the target, returns them. */
	ssize_t (*readlink)(struct cn_vnode *vn, char *buf, size_t len);

	/*
	 * Optional (devices): makes the open file itself, after the VFS
	 * checked the path and the mode: *out gets a struct cn_file with
	 * one reference and the file system's own cn_file_ops (which see
	 * f->flags, O_NONBLOCK included). flags are open()'s. Without it
	 * the VFS makes a file whose operations call read/write/... above.
	 */
	int (*open)(struct cn_vnode *vn, int flags, struct cn_file **out);

	/* The last VFS reference went away. */
	void (*inactive)(struct cn_vnode *vn);

	/* read/write/ioctl run without the VFS lock (may block). */
	bool unlocked;
};

struct cn_vnode {
	const struct cn_vnode_ops *ops;
	struct cn_vfs_mount *mnt;
	struct cn_vfs_mount *mounted;	/* a file system mounted on this */
	unsigned int refs;
	mode_t type;			/* S_IFMT bits; fixed for life */
	uint64_t ino;			/* unique in its mount (ino_t may
					 * be 16 bits in the C library) */
};

/* Mount flags. */
#define CN_MOUNT_RDONLY		0x1

struct cn_vfs_mount {
	const struct cn_fs_type *type;
	struct cn_vnode *root;		/* set by the file system's mount() */
	struct cn_vnode *covered;	/* the vnode it hides; NULL for "/" */
	struct cn_vfs_mount *next;
	unsigned long flags;		/* CN_MOUNT_* */
	unsigned int id;		/* st_dev of its files */
	unsigned long vnode_refs;	/* references held on its vnodes */
	void *priv;			/* the file system's */
};

struct cn_fs_type {
	const char *name;
	/*
	 * Sets m->root (with a reference, cn_vnode_get) and m->priv. opts is
	 * the option string without the generic "ro"/"rw" (may be "").
	 * m->flags is already set.
	 */
	int (*mount)(struct cn_vfs_mount *m, const char *opts);
	/* Frees everything; no vnode of m is referenced any more. */
	void (*unmount)(struct cn_vfs_mount *m);
	/* Optional: 0 if opts are valid, else -EINVAL after saying why in
	 * msg (size len). Used to check vfs.mount= before boot goes on. */
	int (*check_opts)(const char *opts, char *msg, size_t len);
	/* Optional: fills *out for statvfs()/fstatvfs() (f_fsid, f_flag are the VFS's). */
	int (*statfs)(struct cn_vfs_mount *m, struct statvfs *out);
	const char *opts_help;		/* e.g. "size=BYTES[K|M|G],mode=OCTAL" */
};

#define CN_FS_TYPE(ident) CN_TABLE_ENTRY(cn_fs_types, struct cn_fs_type, ident)

/* Sets up a vnode the file system allocated (refs 0). */
void cn_vnode_init(struct cn_vnode *vn, const struct cn_vnode_ops *ops,
		   struct cn_vfs_mount *mnt, mode_t type, uint64_t ino);
/* Takes / drops a reference; the last put calls ops->inactive. */
void cn_vnode_get(struct cn_vnode *vn);
void cn_vnode_put(struct cn_vnode *vn);

/* Current time (CLOCK_REALTIME) for timestamps. */
void cn_vfs_now(struct timespec *ts);

/* DT_* type of a mode (Linux values). */
unsigned int cn_vfs_dtype(mode_t mode);

/*
 * Parses a size option ("123", "64K", "16M", "1G"): 0 or -EINVAL /
 * -ERANGE. For check_opts and mount of file systems.
 */
int cn_vfs_parse_size(const char *s, size_t len, uint64_t *out);

/* The VFS lock, for a file system's own callbacks outside its ops. */
void cn_vfs_lock(void);
void cn_vfs_unlock(void);

#endif
