/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <stdio.h> and what lib/vfs adds to it from Linux's:
 * renameat (POSIX), renameat2 with its RENAME_* flags, tempnam.
 */
#ifndef CAIRN_VFS_STDIO_H
#define CAIRN_VFS_STDIO_H

#include_next <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RENAME_NOREPLACE	(1 << 0)	/* EEXIST if new exists */
#define RENAME_EXCHANGE		(1 << 1)	/* not supported: EINVAL */
#define RENAME_WHITEOUT		(1 << 2)	/* not supported: EINVAL */

int renameat(int olddirfd, const char *old, int newdirfd, const char *new);
int renameat2(int olddirfd, const char *old, int newdirfd, const char *new,
	      unsigned int flags);
/* A fresh name in dir (else $TMPDIR, P_tmpdir, /tmp) starting with pfx
 * (at most 5 bytes of it), malloc()ed; NULL and errno on failure. */
char *tempnam(const char *dir, const char *pfx);

#ifdef __cplusplus
}
#endif

#endif
