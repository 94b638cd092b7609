/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Directory entries for picolibc's <dirent.h> (which includes this file
 * and declares opendir, readdir, closedir...; picolibc itself has no
 * implementation: lib/vfs provides them). struct dirent has Linux's
 * getdents64 layout, so cn_vfs_getdents() and posix_getdents() fill
 * buffers of them directly.
 */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14

#define IFTODT(mode)	(((mode) & 0170000) >> 12)
#define DTTOIF(type)	((type) << 12)

struct dirent {
	ino_t d_ino;
	off_t d_off;			/* cookie of the next entry */
	unsigned short d_reclen;	/* this record's size, 8-byte aligned */
	unsigned char d_type;		/* DT_* */
	char d_name[256];		/* NAME_MAX + 1 */
};

/* For posix_getdents() (POSIX 2024): the same record. */
#define posix_dent dirent

#define _DIRENT_HAVE_D_TYPE
#define _DIRENT_HAVE_D_OFF
#define _DIRENT_HAVE_D_RECLEN

typedef struct __cn_dir DIR;

/* Reads entries of a directory descriptor (POSIX 2024; flags must be 0). */
ssize_t posix_getdents(int fd, void *buf, size_t len, int flags);
/* Linux's name for the same (glibc 2.30); struct dirent is the record. */
ssize_t getdents64(int fd, void *buf, size_t len);

/*
 * Linux's getdents64 record under its kernel name: the same layout as
 * struct dirent (d_name is as long as d_reclen says).
 */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * getdents: the same as getdents64 (records are struct linux_dirent64,
 * not Linux's older struct linux_dirent: Cairn has one layout). EBADF,
 * ENOTDIR, EINVAL (buf too small for the next entry); 0 at the end.
 */
ssize_t getdents(int fd, void *buf, size_t len);

#endif
