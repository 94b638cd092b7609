/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ftw() and nftw(): walk a directory tree (picolibc has neither; lib/vfs
 * provides them). The values are glibc's.
 */
#ifndef _FTW_H
#define _FTW_H

#include <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the callback is shown. */
#define FTW_F	0	/* a file */
#define FTW_D	1	/* a directory (before its contents) */
#define FTW_DNR	2	/* a directory that cannot be read */
#define FTW_NS	3	/* stat() failed */
#define FTW_SL	4	/* a symbolic link (nftw with FTW_PHYS) */
#define FTW_DP	5	/* a directory after its contents (FTW_DEPTH) */
#define FTW_SLN	6	/* a symbolic link to nothing (nftw) */

/* nftw() flags. */
#define FTW_PHYS	1	/* do not follow symbolic links */
#define FTW_MOUNT	2	/* stay in the file system of the start */
#define FTW_CHDIR	4	/* accepted, not done: the callback gets
				 * paths from the starting directory */
#define FTW_DEPTH	8	/* directories after their contents */

struct FTW {
	int base;		/* offset of the name in the path */
	int level;		/* depth below the start (0) */
};

/*
 * Calls fn for path and everything below it; a non-zero return from fn
 * stops the walk and is returned. -1 and errno when path cannot be
 * stat()ed (ENOENT, ENOTDIR...) or memory runs out; 0 at the end.
 * nopenfd is accepted (one descriptor per level is used).
 */
int ftw(const char *path,
	int (*fn)(const char *path, const struct stat *st, int type),
	int nopenfd);
int nftw(const char *path,
	 int (*fn)(const char *path, const struct stat *st, int type,
		   struct FTW *ftw),
	 int nopenfd, int flags);

#ifdef __cplusplus
}
#endif

#endif
