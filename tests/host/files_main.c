/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host main for the file libraries' unit tests (tests/host/build_files.py):
 * mounts a ramfs on "/" as an image's boot does, runs the CN_TEST cases
 * linked in (all, or those whose "suite.name" starts with argv[1]), then
 * unmounts "/": that fails (exit status 2) if a case leaked a reference,
 * and ASan's leak check then sees any memory not given back.
 */
#include <stdio.h>
#include <cairn/test.h>
#include <cairn/vfs.h>

int main(int argc, char *argv[])
{
	int failed, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (cn_vfs_mount("ramfs", "/", 0, "")) {
		fprintf(stderr, "cannot mount ramfs on /\n");
		return 2;
	}
	failed = cn_test_run(argc > 1 ? argv[1] : NULL);
	cn_vfs_chdir("/");
	r = cn_vfs_umount("/");
	if (r) {
		fprintf(stderr, "umount / after the tests: %d (a reference "
			"leaked)\n", r);
		return 2;
	}
	return failed ? 1 : 0;
}
