/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VFS lock with lib/sched in the image: one recursive mutex over the
 * name space and the data of every file system (whose operations may call
 * back into the VFS, an O_TRUNC open truncating for one). Contention is
 * rare in a one-app image; ops tables marked `unlocked` (devices that
 * block) run outside it.
 */
#include <cairn/sync.h>
#include <cairn/vfs_fs.h>

static struct cn_mutex vfs_mutex = CN_MUTEX_INIT_RECURSIVE;

void cn_vfs_lock(void)
{
	cn_mutex_lock(&vfs_mutex);
}

void cn_vfs_unlock(void)
{
	cn_mutex_unlock(&vfs_mutex);
}
