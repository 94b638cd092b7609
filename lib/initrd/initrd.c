/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot step: at CN_INIT_FS (after the mounts), the archive QEMU
 * loaded with -initrd (struct cn_bootinfo) or the one linked into the
 * image (blob.S) is unpacked into LIB_INITRD_TARGET. A corrupt archive
 * keeps what came before the fault and the boot goes on, with one error
 * line naming the entry - unless it is required (LIB_INITRD_REQUIRED,
 * or initrd.required=1 on the command line), where a missing, corrupt or
 * partly unpacked initrd stops the image with status
 * CN_INITRD_EXIT_STATUS. Afterwards the archive's pages go back to the
 * heap (giveback.c): its files are in ramfs now.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <cairn/boot.h>
#include <cairn/init.h>
#include <cairn/initrd.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/plat.h>
#include "initrd_priv.h"

#ifdef CONFIG_LIB_INITRD_REQUIRED
static bool required = true;
#else
static bool required;
#endif
CN_PARAM_BOOL(initrd, required, required,
	      "stop the image (status 65) when the initrd is missing or "
	      "corrupt (default: LIB_INITRD_REQUIRED)");

static void stop(const char *why)
{
	cn_pr_err("%s; the initrd is required (initrd.required, "
		  "LIB_INITRD_REQUIRED): stopping with status %d", why,
		  CN_INITRD_EXIT_STATUS);
	cn_exit(CN_INITRD_EXIT_STATUS);
}

static int initrd_boot(void)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	struct cn_initrd_stats st;
	const void *buf;
	size_t len;
	char msg[256];
	bool from_qemu = false;
	uint64_t t0;
	int r;

	if (cn_initrd_embedded(&buf, &len)) {
		/* linked in */
	} else if (bi && bi->initrd_size) {
		buf = (const void *)(uintptr_t)bi->initrd_start;
		len = (size_t)bi->initrd_size;
		from_qemu = true;
	} else {
		if (required)
			stop("no initrd (QEMU -initrd FILE; make run passes "
			     "the app's rootfs/)");
		cn_pr_debug("no initrd");
		return 0;
	}
	t0 = cn_plat_time_ns();
	r = cn_initrd_unpack(buf, len, CONFIG_LIB_INITRD_TARGET, &st, msg,
			     sizeof(msg));
	if (r)
		cn_pr_err("corrupt archive: %s; keeping the %u entries before "
			  "it", msg, st.files + st.dirs + st.symlinks +
			  st.hardlinks);
	cn_pr_info("%u files (%llu bytes), %u directories, %u symlinks%s "
		   "unpacked into %s in %llu ms", st.files + st.hardlinks,
		   (unsigned long long)st.bytes, st.dirs, st.symlinks,
		   st.errors ? " (some entries failed)" : "",
		   CONFIG_LIB_INITRD_TARGET,
		   (unsigned long long)((cn_plat_time_ns() - t0) / 1000000));
	if (required && (r || st.errors))
		stop(r ? "the initrd is corrupt" : "entries of the initrd "
		     "could not be unpacked");
	if (from_qemu)
		cn_initrd_give_back(bi->initrd_start, bi->initrd_size);
	return r;
}
CN_INIT_PRIO(initrd_boot, CN_INIT_FS, 5);
