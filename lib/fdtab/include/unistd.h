/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <unistd.h> and what lib/fdtab adds to it from Linux's:
 * copy_file_range.
 */
#ifndef CAIRN_FDTAB_UNISTD_H
#define CAIRN_FDTAB_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Copies up to len bytes from fd_in to fd_out, both regular files: at
 * *off_in / *off_out (advanced), or at the file positions (moved) when
 * NULL. Returns the count (0 at the end of fd_in). flags must be 0;
 * EBADF (not readable / not writable / O_APPEND), EISDIR, EINVAL
 * (not regular files, overlapping ranges of one file, flags).
 */
ssize_t copy_file_range(int fd_in, off_t *off_in, int fd_out,
			off_t *off_out, size_t len, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif
