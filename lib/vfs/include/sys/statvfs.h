/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * statvfs()/fstatvfs(): what a mounted file system holds and has free
 * (picolibc has no <sys/statvfs.h>; lib/vfs provides the calls). The
 * fields are POSIX's; f_fsid is the mount's st_dev, f_flag its ST_*
 * flags. A file system that keeps no counts reports zeros.
 */
#ifndef _SYS_STATVFS_H
#define _SYS_STATVFS_H

#include <sys/types.h>

#define ST_RDONLY	0x1
#define ST_NOSUID	0x2


struct statvfs {
	unsigned long f_bsize;		/* preferred I/O size */
	unsigned long f_frsize;		/* unit of f_blocks, f_bfree */
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsfilcnt_t f_files;
	fsfilcnt_t f_ffree;
	fsfilcnt_t f_favail;
	unsigned long f_fsid;
	unsigned long f_flag;
	unsigned long f_namemax;
};

int statvfs(const char *path, struct statvfs *buf);
int fstatvfs(int fd, struct statvfs *buf);

#endif
