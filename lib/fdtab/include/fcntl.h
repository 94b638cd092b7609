/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <fcntl.h> and what lib/fdtab adds to it from POSIX and
 * Linux: posix_fadvise, posix_fallocate, fallocate, readahead, splice,
 * tee, with their flag values (Linux's).
 */
#ifndef CAIRN_FDTAB_FCNTL_H
#define CAIRN_FDTAB_FCNTL_H

#include_next <fcntl.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define POSIX_FADV_NORMAL	0
#define POSIX_FADV_RANDOM	1
#define POSIX_FADV_SEQUENTIAL	2
#define POSIX_FADV_WILLNEED	3
#define POSIX_FADV_DONTNEED	4
#define POSIX_FADV_NOREUSE	5

#define FALLOC_FL_KEEP_SIZE	0x01	/* accepted: nothing to reserve */
#define FALLOC_FL_PUNCH_HOLE	0x02	/* not supported: EOPNOTSUPP */
#define FALLOC_FL_ZERO_RANGE	0x10	/* not supported: EOPNOTSUPP */

#define SPLICE_F_MOVE		0x01
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08

/*
 * advice POSIX_FADV_*: 0, EBADF, EINVAL (bad advice or len < 0), ESPIPE
 * (a pipe). A hint only: there is no page cache. Returns the error
 * number (errno untouched), as posix_fallocate.
 */
int posix_fadvise(int fd, off_t off, off_t len, int advice);
/*
 * Makes the file at least off + len bytes long (zeros); never shrinks.
 * EBADF (bad or read-only fd), EINVAL (off < 0, len <= 0), ESPIPE (a
 * pipe), EISDIR, ENODEV (not a regular file), EFBIG.
 */
int posix_fallocate(int fd, off_t off, off_t len);
/* The same with -1 and errno; mode 0 or FALLOC_FL_KEEP_SIZE (a no-op),
 * others EOPNOTSUPP. */
int fallocate(int fd, int mode, off_t off, off_t len);
/* 0 on a readable regular file (a hint); EBADF, EINVAL otherwise. */
ssize_t readahead(int fd, off_t off, size_t count);
/*
 * Copies up to len bytes (at most 64 KiB a call) between fd_in and
 * fd_out, one of which must be a pipe (else EINVAL); an offset pointer
 * for a pipe is ESPIPE. Data is copied, not moved by reference.
 */
ssize_t splice(int fd_in, off_t *off_in, int fd_out, off_t *off_out,
	       size_t len, unsigned int flags);
/* Duplicates up to len bytes waiting in pipe fd_in into pipe fd_out
 * without consuming them; EINVAL unless both are pipes (different). */
ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif
