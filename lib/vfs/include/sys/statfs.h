/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * statfs()/fstatfs() (Linux; picolibc has no <sys/statfs.h>): statvfs's
 * counts plus f_type, the file system's Linux magic number (below), so
 * that programs that ask "is this tmpfs/NFS/FAT?" get an answer they
 * know. From lib/vfs.
 */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

#include <sys/types.h>

/* f_type of Cairn's file systems: Linux's magic for the same kind. */
#define RAMFS_MAGIC		0x858458f6	/* lib/ramfs */
#define MSDOS_SUPER_MAGIC	0x4d44		/* lib/fatfs */
#define V9FS_MAGIC		0x01021997	/* lib/9pfs */
#define DEVFS_SUPER_MAGIC	0x1373		/* lib/devfs */

#ifndef __GLIBC__	/* glibc's <sys/types.h> has it (host-side tests) */
typedef struct {
	int __val[2];
} fsid_t;
#endif

struct statfs {
	long f_type;
	long f_bsize;
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsfilcnt_t f_files;
	fsfilcnt_t f_ffree;
	fsid_t f_fsid;			/* the mount's st_dev in __val[0] */
	long f_namelen;
	long f_frsize;
	long f_flags;			/* ST_RDONLY */
	long f_spare[4];
};

int statfs(const char *path, struct statfs *buf);
int fstatfs(int fd, struct statfs *buf);

#endif
