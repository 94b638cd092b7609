/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <unistd.h> and what lib/vfs adds to it from Linux's:
 * syncfs.
 */
#ifndef CAIRN_VFS_UNISTD_H
#define CAIRN_VFS_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes back the file system of fd (here: every one); EBADF. */
int syncfs(int fd);

#ifdef __cplusplus
}
#endif

#endif
