/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <stdlib.h> and the pseudo-terminal calls it lacks (lib/fdtab:
 * there are none; posix_openpt fails with ENOENT).
 */
#ifndef CAIRN_FDTAB_STDLIB_H
#define CAIRN_FDTAB_STDLIB_H

#include_next <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

int posix_openpt(int flags);
int grantpt(int fd);
int unlockpt(int fd);
char *ptsname(int fd);
int ptsname_r(int fd, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
