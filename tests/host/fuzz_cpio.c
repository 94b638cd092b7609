/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for lib/initrd (tests/host/build_files.py fuzz cpio):
 * each input is an archive, copied into a buffer of exactly its size (so
 * ASan sees any read past the end). The reader must walk it without
 * leaving the buffer, with every entry's name NUL-terminated at namelen,
 * indexes counting up, a message on every error and the same answer once
 * finished. Then the archive is unpacked into a fresh ramfs on "/", which
 * must unmount afterwards (no reference leaked); ASan's leak check sees
 * any memory not freed. Any violation calls abort() after saying which.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/cpio.h>
#include <cairn/initrd.h>
#include <cairn/log.h>
#include <cairn/vfs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_cpio: %s\n", what);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	cn_log_runtime_level = -1;		/* entries may be refused */
	return 0;
}

static void check_reader(const unsigned char *buf, size_t size)
{
	struct cn_cpio_entry e;
	struct cn_cpio c;
	unsigned int n = 0;
	int r;

	cn_cpio_init(&c, buf, size);
	while ((r = cn_cpio_next(&c, &e)) == 1) {
		const unsigned char *name = (const unsigned char *)e.name;
		const unsigned char *d = e.data;

		if (name < buf || name + e.namelen >= buf + size)
			fail("name outside the archive");
		if (name[e.namelen] || strlen(e.name) != e.namelen)
			fail("name not NUL-terminated at namelen");
		if (d < buf || d > buf + size ||
		    e.size > (size_t)(buf + size - d))
			fail("data outside the archive");
		if (e.index != n++)
			fail("indexes do not count up");
		if (n > size)
			fail("more entries than bytes");
	}
	if (r != 0 && r != -22)
		fail("cn_cpio_next returned something else than 1, 0, -EINVAL");
	if (r < 0 && !c.err[0])
		fail("an error without a message");
	if (cn_cpio_next(&c, &e) != r)
		fail("the end or the error did not stay");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	struct cn_initrd_stats st;
	char msg[256];

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	check_reader(buf, size);
	if (cn_vfs_mount("ramfs", "/", 0, ""))
		fail("cannot mount ramfs on /");
	cn_initrd_unpack(buf, size, "/", &st, msg, sizeof(msg));
	if (cn_vfs_chdir("/") || cn_vfs_umount("/"))
		fail("/ did not unmount after unpacking: a reference leaked");
	free(buf);
	return 0;
}
