/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sqlite-shell: mounts the disk, if there is one, then hands the command
 * line to SQLite's own shell (shell.c, whose main is renamed
 * cn_sqlite_shell_main by app.mk). Its exit status is the image's.
 *
 * lib/sqlite initialised SQLite at boot; the shell configures it
 * (sqlite3_config) before initialising it itself, which SQLite accepts
 * only while it is shut down: so it is shut down first.
 */
#include <errno.h>
#include <stdio.h>
#include <sqlite3.h>
#include <cairn/blkdev.h>
#include <cairn/errname.h>
#include <cairn/vfs.h>

int cn_sqlite_shell_main(int argc, char **argv);

static void mount_disk(const char *where)
{
	int r;

	if (!*where || !cn_blkdev_find("blk0"))
		return;		/* no disk attached: ramfs only */
	r = cn_vfs_mkdir_p(where, 0755);
	if (r == 0)
		r = cn_vfs_mount("fat", where, 0, "dev=blk0");
	if (r < 0)
		fprintf(stderr, "sqlite-shell: the disk is not mounted on %s: "
			"%d (%s); `make disk FAT=32` makes a FAT one\n", where,
			r, cn_errname(r));
}

int main(int argc, char **argv)
{
	mount_disk(CONFIG_APP_SQLITE_SHELL_MOUNT);
	sqlite3_shutdown();
	return cn_sqlite_shell_main(argc, argv);
}
