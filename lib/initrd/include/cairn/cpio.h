/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A reader of cpio archives in the "newc" format (magic 070701, and
 * 070702 with checksums), the format of Linux's initramfs and of
 * support/mkinitrd.py. It never allocates and never reads outside the
 * buffer: every length in a header is checked against what is left. A
 * corrupt or truncated archive stops the walk with a message naming the
 * entry (its number, its name when readable, its offset) and what is
 * wrong; entries before it were good.
 *
 * Platform independent (also built for the host, with a fuzzer:
 * tests/host/fuzz_cpio.c).
 *
 *	struct cn_cpio c;
 *	struct cn_cpio_entry e;
 *	int r;
 *
 *	cn_cpio_init(&c, buf, len);
 *	while ((r = cn_cpio_next(&c, &e)) == 1)
 *		use(e.name, e.mode, e.data, e.size);
 *	if (r < 0)
 *		report(c.err);
 */
#ifndef CAIRN_CPIO_H
#define CAIRN_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CN_CPIO_NAME_MAX 4096	/* bytes of a name, with its NUL */

struct cn_cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	size_t namelen;		/* without the NUL */
	const void *data;	/* file contents, symlink target (no NUL) */
	size_t size;
	uint32_t mode;		/* type and permission bits (S_IF*) */
	uint32_t uid, gid, nlink, mtime, ino;
	uint32_t dev_major, dev_minor, rdev_major, rdev_minor;
	size_t offset;		/* of its header in the archive */
	unsigned int index;	/* 0 for the first entry */
};

struct cn_cpio {
	const unsigned char *buf;
	size_t len, off;
	unsigned int index;
	int state;		/* private */
	char err[256];		/* what went wrong, after -EINVAL */
};

void cn_cpio_init(struct cn_cpio *c, const void *buf, size_t len);

/*
 * The next entry. Returns 1 with *e filled; 0 at the end (the
 * "TRAILER!!!" entry, then only zero padding, or more archives after it,
 * which are read on as Linux does); -EINVAL when the archive is corrupt
 * or cut short (c->err says where and why). After 0 or -EINVAL every
 * further call returns the same.
 */
int cn_cpio_next(struct cn_cpio *c, struct cn_cpio_entry *e);

#endif
