/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cairn's side of lib/sqlite: nothing to patch (SQLite's unix VFS runs on
 * lib/vfs, lib/fdtab's record locks and lib/posix-mmap as on any POSIX
 * system), only SQLite's one-time set-up at boot, so that a failure is
 * reported with the other init steps rather than at the first query.
 */
#include <errno.h>
#include <sqlite3.h>
#include <cairn/init.h>
#include <cairn/log.h>

static int sqlite_init(void)
{
	int rc = sqlite3_initialize();

	if (rc != SQLITE_OK) {
		cn_pr_err("sqlite3_initialize: %s", sqlite3_errstr(rc));
		return -EIO;
	}
	cn_pr_debug("SQLite %s, threadsafe %d", sqlite3_libversion(),
		    sqlite3_threadsafe());
	return 0;
}
CN_INIT(sqlite_init, CN_INIT_LIB);
