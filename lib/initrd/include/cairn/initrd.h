/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The initrd: a cpio (newc) archive unpacked into the VFS at boot, from
 * QEMU's -initrd or from the image itself (menuconfig). The boot step is
 * automatic; cn_initrd_unpack() is there for apps and tests that unpack
 * an archive of their own.
 */
#ifndef CAIRN_INITRD_H
#define CAIRN_INITRD_H

#include <stddef.h>
#include <stdint.h>

/* Exit status when a required initrd (LIB_INITRD_REQUIRED) is missing
 * or corrupt: sysexits' EX_DATAERR. */
#define CN_INITRD_EXIT_STATUS	65

struct cn_initrd_stats {
	unsigned int files, dirs, symlinks, hardlinks;
	unsigned int skipped;	/* device nodes, fifos, sockets */
	unsigned int errors;	/* entries that could not be made */
	uint64_t bytes;		/* of file data */
};

/*
 * Unpacks the archive buf (len bytes) into the directory target
 * (missing parents of entries are made): regular files with their
 * data, directories, symlinks and hard links, with their permission bits
 * and modification times. Names are taken relative to target ("./a",
 * "/a" and "a" are the same); a name with a ".." component, or that
 * cannot be made (-ENOSPC...), is logged with the entry's name and
 * skipped. Returns 0, or -EINVAL when the archive is corrupt: what came
 * before the fault is kept, and msg (msglen bytes, may be NULL) says
 * which entry and what is wrong. *st (may be NULL) gets the counts.
 */
int cn_initrd_unpack(const void *buf, size_t len, const char *target,
		     struct cn_initrd_stats *st, char *msg, size_t msglen);

#endif
