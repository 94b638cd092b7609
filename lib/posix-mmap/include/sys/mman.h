/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <sys/mman.h> (lib/posix-mmap; picolibc has none), with Linux's numbers.
 * See lib/posix-mmap/README.md for what a mapping is on Cairn: memory of
 * the one address space, a copy of the file for file mappings, written
 * back by msync, munmap and close for MAP_SHARED.
 */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H

#include <sys/types.h>

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_ANON		MAP_ANONYMOUS
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_FIXED_NOREPLACE	0x100000

#define MAP_FAILED	((void *)-1)

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8
#define POSIX_MADV_NORMAL	0
#define POSIX_MADV_RANDOM	1
#define POSIX_MADV_SEQUENTIAL	2
#define POSIX_MADV_WILLNEED	3
#define POSIX_MADV_DONTNEED	4

#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4

#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);
int madvise(void *addr, size_t len, int advice);
int posix_madvise(void *addr, size_t len, int advice);
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...);
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int mlockall(int flags);
int munlockall(void);
/* Shared memory objects: files in posix.shm_dir= (default /dev/shm). */
int shm_open(const char *name, int oflag, mode_t mode);
int shm_unlink(const char *name);

#endif
