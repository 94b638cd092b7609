/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mounts made at boot: the command line's vfs.mount= entries, or the
 * default table of menuconfig (LIB_VFS_MOUNTS) when there are none. An
 * entry is
 *
 *	FSTYPE:PATH[:OPTIONS]		e.g. ramfs:/  devfs:/dev
 *					     ramfs:/tmp:size=16M,mode=1777
 *
 * Several entries go in one value separated by spaces (quoted:
 * vfs.mount="ramfs:/ devfs:/dev") or in several vfs.mount= words;
 * vfs.mount=none mounts nothing. Every entry is checked when the
 * parameter is read (known type, absolute path without "." or "..", no
 * path twice, the type's own options), so a typo stops the image before
 * main with a line saying what is wrong. At CN_INIT_FS the entries are
 * mounted parents first; mount points are made (mkdir -p) if missing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/errname.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include "vfs_priv.h"

#define MAX_MOUNTS	16
#define SPEC_PATH_MAX	256
#define SPEC_OPTS_MAX	128

struct spec {
	const struct cn_fs_type *type;
	char path[SPEC_PATH_MAX];
	char opts[SPEC_OPTS_MAX];	/* without ro/rw */
	unsigned long flags;
	unsigned int depth;
};

static struct spec specs[MAX_MOUNTS];
static unsigned int nr_specs;
static bool given;			/* vfs.mount= was on the command line */

void cn_vfs_mount_specs_reset(void)
{
	nr_specs = 0;
	given = false;
}

struct names {
	char *buf;
	size_t len, used;
};

static void add_name(const struct cn_fs_type *t, void *arg)
{
	struct names *n = arg;
	int w = snprintf(n->buf + n->used, n->len - n->used, "%s%s",
			 n->used ? " " : "", t->name);

	if (w > 0 && (size_t)w < n->len - n->used)
		n->used += (size_t)w;
}

/* Checks a mount path: absolute, no "." or ".." component, short. */
static int check_path(const char *p, size_t len, unsigned int *depth)
{
	size_t i = 0, s;

	if (!len || p[0] != '/')
		return -EINVAL;
	if (len >= SPEC_PATH_MAX)
		return -ENAMETOOLONG;
	*depth = 0;
	while (i < len) {
		while (i < len && p[i] == '/')
			i++;
		s = i;
		while (i < len && p[i] != '/')
			i++;
		if (i == s)
			break;
		if ((i - s == 1 && p[s] == '.') ||
		    (i - s == 2 && p[s] == '.' && p[s + 1] == '.'))
			return -EINVAL;
		(*depth)++;
	}
	return 0;
}

/* Parses one FSTYPE:PATH[:OPTIONS] entry (len bytes) into *sp. */
static int parse_entry(const char *e, size_t len, struct spec *sp, char *msg,
		       size_t msglen)
{
	const char *c1 = memchr(e, ':', len), *c2, *path;
	size_t plen, olen;
	char opts[SPEC_OPTS_MAX], fsmsg[120];
	struct names names;
	unsigned int i;
	int r;

	if (!c1) {
		snprintf(msg, msglen, "'%.*s' is not FSTYPE:PATH[:OPTIONS]",
			 (int)len, e);
		return -EINVAL;
	}
	sp->type = cn_vfs_fs_type(e, (size_t)(c1 - e));
	if (!sp->type) {
		char list[96] = "";

		names = (struct names){ list, sizeof(list), 0 };
		cn_vfs_fs_types(add_name, &names);
		snprintf(msg, msglen, "unknown file system type '%.*s' (this "
			 "image has: %s)", (int)(c1 - e), e,
			 names.used ? list : "none");
		return -EINVAL;
	}
	path = c1 + 1;
	c2 = memchr(path, ':', len - (size_t)(path - e));
	plen = c2 ? (size_t)(c2 - path) : len - (size_t)(path - e);
	olen = c2 ? len - (size_t)(c2 + 1 - e) : 0;
	r = check_path(path, plen, &sp->depth);
	if (r) {
		snprintf(msg, msglen, "mount point '%.*s' must be an absolute "
			 "path without '.' or '..', shorter than %d bytes",
			 (int)plen, path, SPEC_PATH_MAX);
		return -EINVAL;
	}
	memcpy(sp->path, path, plen);
	sp->path[plen] = '\0';
	for (i = 0; i < nr_specs; i++) {
		if (!strcmp(specs[i].path, sp->path)) {
			snprintf(msg, msglen, "%s is mounted twice", sp->path);
			return -EINVAL;
		}
	}
	if (olen >= sizeof(opts)) {
		snprintf(msg, msglen, "options of %s are longer than %d bytes",
			 sp->path, SPEC_OPTS_MAX - 1);
		return -EINVAL;
	}
	memcpy(opts, c2 ? c2 + 1 : "", olen);
	opts[olen] = '\0';
	sp->flags = 0;
	if (cn_vfs_split_opts(opts, &sp->flags, sp->opts, sizeof(sp->opts)))
		return -EINVAL;
	if (sp->type->check_opts &&
	    sp->type->check_opts(sp->opts, fsmsg, sizeof(fsmsg))) {
		snprintf(msg, msglen, "%s on %s: %s (options: ro, rw%s%s)",
			 sp->type->name, sp->path, fsmsg,
			 sp->type->opts_help ? ", " : "",
			 sp->type->opts_help ? sp->type->opts_help : "");
		return -EINVAL;
	}
	return 0;
}

int cn_vfs_mount_specs_parse(const char *val, char *msg, size_t msglen)
{
	const char *p = val, *e;
	unsigned int n = nr_specs;
	int r;

	msg[0] = '\0';
	given = true;
	while (*p == ' ')
		p++;
	if (!strcmp(p, "none")) {
		nr_specs = 0;
		return 0;
	}
	if (!*p) {
		snprintf(msg, msglen, "empty value (none mounts nothing)");
		return -EINVAL;
	}
	while (*p) {
		for (e = p; *e && *e != ' '; e++)
			;
		if (n == MAX_MOUNTS) {
			snprintf(msg, msglen, "more than %d mounts",
				 MAX_MOUNTS);
			return -EINVAL;
		}
		r = parse_entry(p, (size_t)(e - p), &specs[n], msg, msglen);
		if (r)
			return r;
		nr_specs = ++n;
		for (p = e; *p == ' '; p++)
			;
	}
	return 0;
}

static int parse_param(const char *val)
{
	char msg[200];
	int r = cn_vfs_mount_specs_parse(val, msg, sizeof(msg));

	if (r)
		cn_pr_err("vfs.mount: %s", msg);
	return r;
}
CN_PARAM_FN(vfs, mount, parse_param,
	    "FSTYPE:PATH[:OPTIONS] entries, e.g. \"ramfs:/ devfs:/dev\", or "
	    "none");

static int by_depth(const void *a, const void *b)
{
	const struct spec *x = a, *y = b;

	return (int)x->depth - (int)y->depth;
}

int cn_vfs_mount_specs_apply(void)
{
	unsigned int i;
	int r, fails = 0;

	/* Stable enough: entries of equal depth are independent. */
	qsort(specs, nr_specs, sizeof(specs[0]), by_depth);
	for (i = 0; i < nr_specs; i++) {
		const struct spec *sp = &specs[i];
		char opts[SPEC_OPTS_MAX + 4];
		bool ro;

		if (sp->depth) {
			r = cn_vfs_mkdir_p(sp->path, 0755);
			if (r && r != -EROFS)
				cn_pr_warn("cannot make mount point %s: %d "
					   "(%s)", sp->path, r, cn_errname(r));
		}
		ro = sp->flags & CN_MOUNT_RDONLY;
		snprintf(opts, sizeof(opts), "%s%s%s", ro ? "ro" : "",
			 ro && sp->opts[0] ? "," : "", sp->opts);
		r = cn_vfs_mount(sp->type->name, sp->path, 0, opts);
		if (r) {
			cn_pr_err("mount %s on %s failed: %d (%s)",
				  sp->type->name, sp->path, r, cn_errname(r));
			fails++;
			continue;
		}
		cn_pr_debug("mounted %s on %s%s%s", sp->type->name, sp->path,
			    opts[0] ? " with " : "", opts);
	}
	return fails ? -EIO : 0;
}

static int vfs_boot_mounts(void)
{
	char msg[200];
	int r;

	if (!given && !CONFIG_LIB_VFS_MOUNTS[0])
		return 0;		/* an empty table: nothing to mount */
	if (!given) {
		r = cn_vfs_mount_specs_parse(CONFIG_LIB_VFS_MOUNTS, msg,
					     sizeof(msg));
		if (r) {
			cn_pr_err("default mounts (LIB_VFS_MOUNTS \"%s\"): %s",
				  CONFIG_LIB_VFS_MOUNTS, msg);
			return r;
		}
	}
	return cn_vfs_mount_specs_apply();
}
CN_INIT_PRIO(vfs_boot_mounts, CN_INIT_FS, 1);
