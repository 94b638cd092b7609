/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The POSIX calls on names, for apps and for picolibc (whose fopen,
 * freopen, tmpfile, mkstemp and remove call open and unlink): each is the
 * cn_vfs_* call of ops.c with a negative errno turned into -1 and errno.
 * Calls on descriptors (read, write, lseek, close, fstat, ...) are
 * lib/fdtab's; fchdir, fchmod and futimens are here because only the VFS
 * knows what a descriptor's vnode is. Linux's additions: renameat2,
 * statfs, fstatfs, syncfs, euidaccess/eaccess; mknod makes regular files
 * only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <utime.h>
#include <cairn/log.h>
#include <cairn/vfs.h>
#include "vfs_priv.h"

static int ret(int r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return ret(cn_vfs_open(dirfd, path, flags, mode));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return ret(cn_vfs_open(AT_FDCWD, path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	return ret(cn_vfs_open(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC,
			       mode));
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return ret(cn_vfs_stat(dirfd, path, st, flags));
}

int stat(const char *path, struct stat *st)
{
	return ret(cn_vfs_stat(AT_FDCWD, path, st, 0));
}

int lstat(const char *path, struct stat *st)
{
	return ret(cn_vfs_stat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return ret(cn_vfs_mkdir(dirfd, path, mode));
}

int mkdir(const char *path, mode_t mode)
{
	return ret(cn_vfs_mkdir(AT_FDCWD, path, mode));
}

int unlinkat(int dirfd, const char *path, int flags)
{
	return ret(cn_vfs_unlink(dirfd, path, flags));
}

int unlink(const char *path)
{
	return ret(cn_vfs_unlink(AT_FDCWD, path, 0));
}

int rmdir(const char *path)
{
	return ret(cn_vfs_unlink(AT_FDCWD, path, AT_REMOVEDIR));
}

/* As C and POSIX say (picolibc's own only unlinks): rmdir a directory. */
int remove(const char *path)
{
	int r = cn_vfs_unlink(AT_FDCWD, path, 0);

	if (r == -EISDIR)
		r = cn_vfs_unlink(AT_FDCWD, path, AT_REMOVEDIR);
	return ret(r);
}

/* POSIX, but picolibc's <stdio.h> does not declare it. */
int renameat(int olddirfd, const char *old, int newdirfd, const char *new);

int renameat(int olddirfd, const char *old, int newdirfd, const char *new)
{
	return ret(cn_vfs_rename(olddirfd, old, newdirfd, new));
}

int rename(const char *old, const char *new)
{
	return ret(cn_vfs_rename(AT_FDCWD, old, AT_FDCWD, new));
}

int linkat(int olddirfd, const char *old, int newdirfd, const char *new,
	   int flags)
{
	return ret(cn_vfs_link(olddirfd, old, newdirfd, new, flags));
}

int link(const char *old, const char *new)
{
	return ret(cn_vfs_link(AT_FDCWD, old, AT_FDCWD, new, 0));
}

int symlinkat(const char *target, int dirfd, const char *path)
{
	return ret(cn_vfs_symlink(target, dirfd, path));
}

int symlink(const char *target, const char *path)
{
	return ret(cn_vfs_symlink(target, AT_FDCWD, path));
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t r = cn_vfs_readlink(dirfd, path, buf, len);

	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

ssize_t readlink(const char *path, char *buf, size_t len)
{
	return readlinkat(AT_FDCWD, path, buf, len);
}

int truncate(const char *path, off_t len)
{
	return ret(cn_vfs_truncate(path, len));
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	return ret(cn_vfs_access(dirfd, path, mode, flags));
}

int access(const char *path, int mode)
{
	return ret(cn_vfs_access(AT_FDCWD, path, mode, 0));
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	return ret(cn_vfs_chmod(dirfd, path, mode, flags));
}

int chmod(const char *path, mode_t mode)
{
	return ret(cn_vfs_chmod(AT_FDCWD, path, mode, 0));
}

int fchmod(int fd, mode_t mode)
{
	return ret(cn_vfs_fchmod(fd, mode));
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	return ret(cn_vfs_chown(dirfd, path, uid, gid, flags));
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return ret(cn_vfs_chown(AT_FDCWD, path, uid, gid, 0));
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return ret(cn_vfs_chown(AT_FDCWD, path, uid, gid,
				AT_SYMLINK_NOFOLLOW));
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	return ret(cn_vfs_fchown(fd, uid, gid));
}

/* struct timeval[2] (NULL: now) to timespec; -EINVAL past a second. */
static int tv_to_ts(const struct timeval tv[2], struct timespec ts[2])
{
	int i;

	for (i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return 0;
}

int utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	int r = tv ? tv_to_ts(tv, ts) : 0;

	return ret(r ? r : cn_vfs_utimens(AT_FDCWD, path, tv ? ts : NULL, 0));
}

int lutimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	int r = tv ? tv_to_ts(tv, ts) : 0;

	return ret(r ? r : cn_vfs_utimens(AT_FDCWD, path, tv ? ts : NULL,
					  AT_SYMLINK_NOFOLLOW));
}

int futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];
	int r = tv ? tv_to_ts(tv, ts) : 0;

	return ret(r ? r : cn_vfs_futimens(fd, tv ? ts : NULL));
}

int utime(const char *path, const struct utimbuf *times)
{
	struct timespec ts[2];

	if (times) {
		ts[0] = (struct timespec){ times->actime, 0 };
		ts[1] = (struct timespec){ times->modtime, 0 };
	}
	return ret(cn_vfs_utimens(AT_FDCWD, path, times ? ts : NULL, 0));
}

int utimensat(int dirfd, const char *path, const struct timespec ts[2],
	      int flags)
{
	return ret(cn_vfs_utimens(dirfd, path, ts, flags));
}

int futimens(int fd, const struct timespec ts[2])
{
	return ret(cn_vfs_futimens(fd, ts));
}

int chdir(const char *path)
{
	return ret(cn_vfs_chdir(path));
}

int fchdir(int fd)
{
	return ret(cn_vfs_fchdir(fd));
}

/* getcwd(NULL, size) allocates the buffer, as glibc and musl do. */
char *getcwd(char *buf, size_t size)
{
	char *mem = NULL;
	int r;

	if (!buf) {
		if (!size)
			size = PATH_MAX;
		buf = mem = malloc(size);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
	} else if (!size) {
		errno = EINVAL;
		return NULL;
	}
	r = cn_vfs_getcwd(buf, size);
	if (r < 0) {
		free(mem);
		errno = -r;
		return NULL;
	}
	return buf;
}

char *realpath(const char *path, char *resolved)
{
	char *mem = NULL;
	int r;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	if (!resolved) {
		resolved = mem = malloc(PATH_MAX);
		if (!resolved) {
			errno = ENOMEM;
			return NULL;
		}
	}
	r = cn_vfs_realpath(path, resolved, PATH_MAX);
	if (r < 0) {
		free(mem);
		errno = r == -ERANGE ? ENAMETOOLONG : -r;
		return NULL;
	}
	return resolved;
}

mode_t umask(mode_t mask)
{
	mode_t old;

	cn_vfs_lock();
	old = cn_vfs_umask;
	cn_vfs_umask = mask & 0777;
	cn_vfs_unlock();
	return old;
}

void sync(void)
{
	cn_vfs_sync();
}

int statvfs(const char *path, struct statvfs *buf)
{
	return ret(cn_vfs_statvfs(path, buf));
}

int fstatvfs(int fd, struct statvfs *buf)
{
	return ret(cn_vfs_fstatvfs(fd, buf));
}

int renameat2(int olddirfd, const char *old, int newdirfd, const char *new,
	      unsigned int flags)
{
	return ret(cn_vfs_renameat2(olddirfd, old, newdirfd, new, flags));
}

/* FIFOs and device nodes: no file system here makes them (EPERM, as a
 * Linux file system without them); said once. */
static int mknod_ret(int r, mode_t mode)
{
	static bool said;

	if (r == -EPERM && (mode & S_IFMT) != S_IFDIR && !said) {
		said = true;
		cn_pr_warn("mknod/mkfifo: FIFOs and device nodes are not "
			   "supported: EPERM");
	}
	return ret(r);
}

int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	(void)dev;
	return mknod_ret(cn_vfs_mknod(dirfd, path, mode), mode);
}

int mknod(const char *path, mode_t mode, dev_t dev)
{
	return mknodat(AT_FDCWD, path, mode, dev);
}

int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return mknodat(dirfd, path, S_IFIFO | (mode & 07777), 0);
}

int mkfifo(const char *path, mode_t mode)
{
	return mkfifoat(AT_FDCWD, path, mode);
}

static int to_statfs(int r, const struct statvfs *v, long type,
		     struct statfs *buf)
{
	if (r)
		return ret(r);
	memset(buf, 0, sizeof(*buf));
	buf->f_type = type;
	buf->f_bsize = (long)v->f_bsize;
	buf->f_frsize = (long)v->f_frsize;
	buf->f_blocks = v->f_blocks;
	buf->f_bfree = v->f_bfree;
	buf->f_bavail = v->f_bavail;
	buf->f_files = v->f_files;
	buf->f_ffree = v->f_ffree;
	buf->f_fsid.__val[0] = (int)v->f_fsid;
	buf->f_namelen = (long)v->f_namemax;
	buf->f_flags = (long)v->f_flag;
	return 0;
}

int statfs(const char *path, struct statfs *buf)
{
	struct statvfs v;
	long type = 0;
	int r;

	if (!path)
		return ret(-EFAULT);
	r = cn_vfs_statfs_at(path, -1, &v, &type);
	return to_statfs(r, &v, type, buf);
}

int fstatfs(int fd, struct statfs *buf)
{
	struct statvfs v;
	long type = 0;
	int r = cn_vfs_statfs_at(NULL, fd, &v, &type);

	return to_statfs(r, &v, type, buf);
}

/* Writes back every file system (there is no cheaper per-mount sync that
 * Linux would not also do in full); EBADF for a bad descriptor. */
int syncfs(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return -1;
	return ret(cn_vfs_sync());
}

/* One user, root: the effective and the real IDs are the same. */
int euidaccess(const char *path, int mode)
{
	return ret(cn_vfs_access(AT_FDCWD, path, mode, AT_EACCESS));
}

int eaccess(const char *path, int mode)
{
	return euidaccess(path, mode);
}
