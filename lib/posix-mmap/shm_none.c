/* SPDX-License-Identifier: BSD-3-Clause */
/* shm_open() and shm_unlink() without lib/vfs: no file to keep an object. */
#include <errno.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <cairn/log.h>
#include <cairn/posix_mmap.h>

static int nosys(void)
{
	static bool said;

	if (!said) {
		said = true;
		cn_pr_warn("shm_open() needs lib/vfs and a ramfs: ENOSYS");
	}
	errno = ENOSYS;
	return -1;
}

int shm_open(const char *name, int oflag, mode_t mode)
{
	(void)name, (void)oflag, (void)mode;
	return nosys();
}

int shm_unlink(const char *name)
{
	(void)name;
	return nosys();
}

const char *cn_posix_mmap_shm_dir(const char *dir)
{
	(void)dir;
	return NULL;
}
