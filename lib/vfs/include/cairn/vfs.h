/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtual file system: one name space of mounted file systems, a
 * current directory, and files opened into lib/fdtab's descriptor table.
 * Ordinary C code uses the POSIX calls (open, stat, mkdir, opendir, fopen,
 * ...), which lib/vfs provides on top of these. Libraries (the initrd
 * unpacker, httpd) may call these directly: same semantics, but errors
 * come back as negative errno values and errno is left alone.
 *
 * Paths: absolute or relative to dirfd (CN_VFS_CWD for the current
 * directory); repeated slashes, "." and ".." are handled; ".." at "/"
 * stays at "/"; symlinks are followed (at most CN_VFS_SYMLOOP_MAX of
 * them per call, then -ELOOP); a path of PATH_MAX bytes or more, or a
 * component longer than NAME_MAX, is -ENAMETOOLONG; "" is -ENOENT.
 *
 * Every call may sleep on the VFS lock (when lib/sched is in the image);
 * none may be called from an interrupt handler.
 */
#ifndef CAIRN_VFS_H
#define CAIRN_VFS_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <cairn/file.h>

#define CN_VFS_CWD		AT_FDCWD
#define CN_VFS_SYMLOOP_MAX	40	/* as Linux */

/* atflags (the AT_* values of <fcntl.h>): AT_SYMLINK_NOFOLLOW,
 * AT_SYMLINK_FOLLOW (link), AT_REMOVEDIR (unlink), AT_EACCESS (access). */

/*
 * Opens path: returns the new descriptor or -ENOENT, -EEXIST (O_CREAT|
 * O_EXCL), -EISDIR (a directory for writing, O_CREAT on one), -ENOTDIR
 * (O_DIRECTORY on a file, or a path component), -ELOOP (O_NOFOLLOW on a
 * symlink, or too many), -EMFILE, -EROFS, -EINVAL (bad flags), -ENOSPC,
 * -ENAMETOOLONG. mode applies to a file O_CREAT makes (minus the umask).
 * Accepted flags: O_RDONLY/O_WRONLY/O_RDWR, O_CREAT, O_EXCL, O_TRUNC,
 * O_APPEND, O_NONBLOCK, O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW, O_NOCTTY,
 * O_SYNC/O_DSYNC (accepted, no effect: fsync() writes back).
 */
int cn_vfs_open(int dirfd, const char *path, int flags, mode_t mode);

/* The same, without a descriptor: *out is the file with one reference. */
int cn_vfs_open_file(int dirfd, const char *path, int flags, mode_t mode,
		     struct cn_file **out);

/* stat/lstat (atflags AT_SYMLINK_NOFOLLOW); an empty path is -ENOENT. */
int cn_vfs_stat(int dirfd, const char *path, struct stat *st, int atflags);

/* -EEXIST, -ENOENT (parent), -ENOTDIR, -EROFS, -ENOSPC. */
int cn_vfs_mkdir(int dirfd, const char *path, mode_t mode);

/* Makes path and its missing parents (as mkdir -p); existing is fine. */
int cn_vfs_mkdir_p(const char *path, mode_t mode);

/*
 * unlink, or rmdir with AT_REMOVEDIR. unlink: -EISDIR on a directory.
 * rmdir: -ENOTDIR, -ENOTEMPTY, -EBUSY (a mount point or "/"), -EINVAL
 * (path ends in "."). An open file stays usable until its last close.
 */
int cn_vfs_unlink(int dirfd, const char *path, int atflags);

/*
 * Moves old to new, replacing new (a file by a file, a directory by an
 * empty directory). -EISDIR, -ENOTDIR, -ENOTEMPTY, -EINVAL (a directory
 * into itself), -EXDEV (another mount), -EBUSY (a mount point, "." or
 * ".."). old and new naming the same file is a success that does nothing.
 */
int cn_vfs_rename(int olddirfd, const char *old, int newdirfd,
		  const char *new);

/*
 * renameat2(): cn_vfs_rename(), and with CN_VFS_RENAME_NOREPLACE -EEXIST
 * when new exists (checked atomically). Other flags: -EINVAL.
 */
#define CN_VFS_RENAME_NOREPLACE	0x1	/* Linux's RENAME_NOREPLACE */
int cn_vfs_renameat2(int olddirfd, const char *old, int newdirfd,
		     const char *new, unsigned int flags);

/*
 * mknod(): a regular file (type 0 or S_IFREG) is created empty, as by
 * open(O_CREAT|O_EXCL). FIFOs, devices and sockets: -EEXIST if path
 * exists, else -EPERM (no file system here makes them). S_IFDIR: -EPERM;
 * an unknown type: -EINVAL.
 */
int cn_vfs_mknod(int dirfd, const char *path, mode_t mode);

/* Hard link: -EPERM for a directory, -EXDEV, -EEXIST. */
int cn_vfs_link(int olddirfd, const char *old, int newdirfd,
		const char *new, int atflags);

/* -EEXIST; an empty target is -ENOENT. */
int cn_vfs_symlink(const char *target, int dirfd, const char *path);

/* Copies at most len bytes of the target (no NUL); -EINVAL: not a link. */
ssize_t cn_vfs_readlink(int dirfd, const char *path, char *buf, size_t len);

/* -EISDIR, -EINVAL (len < 0), -EFBIG, -EROFS. */
int cn_vfs_truncate(const char *path, off_t len);

/* F_OK or R_OK|W_OK|X_OK: -EINVAL (bad mode), -EACCES, -EROFS. */
int cn_vfs_access(int dirfd, const char *path, int mode, int atflags);

/* Permission bits: -EROFS, -EOPNOTSUPP (a symlink, AT_SYMLINK_NOFOLLOW). */
int cn_vfs_chmod(int dirfd, const char *path, mode_t mode, int atflags);
int cn_vfs_fchmod(int fd, mode_t mode);
/*
 * Owner and group (chown, lchown with AT_SYMLINK_NOFOLLOW): (uid_t)-1 and
 * (gid_t)-1 leave one as it is. -EROFS, -EPERM (the file system keeps no
 * owners: only 0 is accepted), -EINVAL (bad atflags).
 */
int cn_vfs_chown(int dirfd, const char *path, uid_t uid, gid_t gid,
		 int atflags);
int cn_vfs_fchown(int fd, uid_t uid, gid_t gid);
/* ts NULL: now; UTIME_NOW / UTIME_OMIT in tv_nsec as utimensat(). */
int cn_vfs_utimens(int dirfd, const char *path, const struct timespec ts[2],
		   int atflags);
int cn_vfs_futimens(int fd, const struct timespec ts[2]);

/* The current directory: -ENOTDIR, -ENOENT. fd variant: -EBADF. */
int cn_vfs_chdir(const char *path);
int cn_vfs_fchdir(int fd);

/*
 * Writes the current directory's absolute path into buf (len bytes with
 * the NUL): returns its length, -ERANGE (too small), -ENOENT (removed).
 */
int cn_vfs_getcwd(char *buf, size_t len);

/* The canonical absolute path of path (every symlink resolved). */
int cn_vfs_realpath(const char *path, char *buf, size_t len);

/*
 * Reads directory entries of fd into buf as Linux's getdents64 does
 * (struct dirent of <dirent.h>, records 8-byte aligned): returns bytes
 * used, 0 at the end, -EINVAL (buf too small for the next entry),
 * -ENOTDIR, -EBADF.
 */
ssize_t cn_vfs_getdents(int fd, void *buf, size_t len);

/*
 * Mounts a file system of type fstype ("ramfs", "devfs", ...) on target,
 * an existing directory (or "/" when nothing is mounted yet). flags:
 * CN_MOUNT_RDONLY. opts: options for the file system (e.g. "size=16M";
 * "ro" is the same as CN_MOUNT_RDONLY). -ENODEV (no such type), -EINVAL
 * (bad options), -ENOTDIR, -EBUSY (already a mount point).
 */
int cn_vfs_mount(const char *fstype, const char *target, unsigned long flags,
		 const char *opts);

/* -EBUSY while files, directories or mounts inside are in use; -EINVAL
 * if target is not a mount point. */
int cn_vfs_umount(const char *target);

/*
 * What the file system holding path (or fd) has: sizes and free space
 * from the file system (zeros when it keeps none), f_fsid (the mount's
 * st_dev), f_flag (ST_RDONLY), f_namemax. -ENOENT, -ENOTDIR, -EBADF;
 * fstatvfs on a socket or the console: -ENOSYS.
 */
struct statvfs;
int cn_vfs_statvfs(const char *path, struct statvfs *out);
int cn_vfs_fstatvfs(int fd, struct statvfs *out);

/* Writes back every mounted file system that caches (sync()): 0 or the
 * first error. */
int cn_vfs_sync(void);

/* Calls fn for each mount, in mount order, with its path and type. */
void cn_vfs_mounts(void (*fn)(const char *path, const char *fstype,
			      unsigned long flags, void *arg), void *arg);

#endif
