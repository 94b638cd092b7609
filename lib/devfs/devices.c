/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The built-in devices, with Linux's numbers: null (1,3), zero (1,5),
 * full (1,7), random (1,8), urandom (1,9) and console (5,1). random and
 * urandom are the same generator (lib/random), which never blocks, as on
 * Linux since 5.6 once seeded. The console is descriptor 0-2's console:
 * the same operations of lib/fdtab (<cairn/file.h>), one look-ahead byte.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <string.h>
#include <cairn/devfs.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/random.h>

static ssize_t null_write(struct cn_file *f, const void *buf, size_t len,
			  off_t off)
{
	return (ssize_t)len;
}

static ssize_t zero_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	memset(buf, 0, len);
	return (ssize_t)len;
}

static ssize_t full_write(struct cn_file *f, const void *buf, size_t len,
			  off_t off)
{
	return len ? -ENOSPC : 0;
}

static ssize_t random_read(struct cn_file *f, void *buf, size_t len,
			   off_t off)
{
	cn_random_bytes(buf, len);
	return (ssize_t)len;
}

static const struct cn_devfs_dev builtin[] = {
	{ .name = "null", .mode = 0666, .major = 1, .minor = 3,
	  .write = null_write },
	{ .name = "zero", .mode = 0666, .major = 1, .minor = 5,
	  .read = zero_read, .write = null_write },
	{ .name = "full", .mode = 0666, .major = 1, .minor = 7,
	  .read = zero_read, .write = full_write },
	{ .name = "random", .mode = 0666, .major = 1, .minor = 8,
	  .read = random_read, .write = null_write },
	{ .name = "urandom", .mode = 0666, .major = 1, .minor = 9,
	  .read = random_read, .write = null_write },
	{ .name = "console", .mode = 0600, .major = 5, .minor = 1,
	  .stream = true, .read = cn_console_read, .write = cn_console_write,
	  .poll = cn_console_poll, .ioctl = cn_console_ioctl },
};

static int devfs_builtin(void)
{
	unsigned int i;
	int r;

	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		r = cn_devfs_register(&builtin[i]);
		if (r) {
			cn_pr_err("cannot add /dev/%s: %d (%s)",
				  builtin[i].name, r, cn_errname(r));
			return r;
		}
	}
	return 0;
}
CN_INIT_PRIO(devfs_builtin, CN_INIT_FS, 0);
