/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * devfs: the device files of /dev. Built in: null, zero, full, random,
 * urandom and console. A driver or an app adds its own with
 * cn_devfs_register(); it appears in /dev at once (mounted or not yet).
 *
 * An open device is a struct cn_file of lib/fdtab whose operations are
 * the device's callbacks: they see the open flags in f->flags (O_NONBLOCK
 * included) and the device's priv through cn_devfs_priv(f). fstat, lseek
 * and close are devfs's. Callbacks run without the VFS lock, so they may
 * block.
 */
#ifndef CAIRN_DEVFS_H
#define CAIRN_DEVFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <cairn/file.h>

struct cn_devfs_dev {
	const char *name;	/* in /dev: at most 31 bytes, no '/' */
	mode_t mode;		/* permission bits (character device) */
	unsigned int major, minor;	/* st_rdev, Linux's numbers if any */
	bool stream;		/* not seekable: read/write get off = -1 */
	/*
	 * Missing read: reads return 0 (end of file); missing write:
	 * -EINVAL. off is the file position (0 for seekable devices,
	 * whose position always stays 0, as Linux's /dev/null) or -1.
	 */
	ssize_t (*read)(struct cn_file *f, void *buf, size_t len, off_t off);
	ssize_t (*write)(struct cn_file *f, const void *buf, size_t len,
			 off_t off);
	unsigned int (*poll)(struct cn_file *f);	/* CN_POLL*; no wait */
	int (*ioctl)(struct cn_file *f, unsigned long req, void *arg);
	void *priv;
};

/*
 * Adds dev (which must stay valid: usually static) as /dev/<name>.
 * Returns 0, -EEXIST (name taken), -EINVAL (bad name), -ENOMEM.
 */
int cn_devfs_register(const struct cn_devfs_dev *dev);

/* The priv of the device an open file belongs to. */
void *cn_devfs_priv(struct cn_file *f);

#endif
