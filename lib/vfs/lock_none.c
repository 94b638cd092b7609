/* SPDX-License-Identifier: BSD-3-Clause */
/* The VFS lock without lib/sched: one thread, nothing to exclude. */
#include <cairn/vfs_fs.h>

void cn_vfs_lock(void)
{
}

void cn_vfs_unlock(void)
{
}
