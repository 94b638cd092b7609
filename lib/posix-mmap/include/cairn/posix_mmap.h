/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/posix-mmap's own calls, beside <sys/mman.h>. */
#ifndef CAIRN_POSIX_MMAP_H
#define CAIRN_POSIX_MMAP_H

/*
 * Sets the directory of shm_open() objects (what posix.shm_dir= sets;
 * default /dev/shm), a ramfs or any file system; returns the one before.
 * The string must stay valid.
 */
const char *cn_posix_mmap_shm_dir(const char *dir);

#endif
