/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * More file commands over the POSIX calls: cp, mv, touch, stat, and the
 * ones on whole file systems: df (statvfs), sync, mount and umount at
 * run time (cn_vfs_mount/umount, the same as vfs.mount= at boot).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <cairn/vfs.h>
#include <cairn/vfs_fs.h>		/* CN_MOUNT_RDONLY */
#include "shell_priv.h"

#define CP_BUF		(64 << 10)

/* dst, or dst/basename(src) when dst is a directory, into out. */
static int target(const char *src, const char *dst, char *out, size_t len)
{
	struct stat st;
	const char *base = strrchr(src, '/');

	base = base ? base + 1 : src;
	if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
		if ((size_t)snprintf(out, len, "%s/%s", dst, base) >= len)
			return -ENAMETOOLONG;
		return 0;
	}
	if ((size_t)snprintf(out, len, "%s", dst) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int copy_file(struct cn_shell *sh, const char *src, const char *dst,
		     char *buf)
{
	int in = open(src, O_RDONLY), out, rc = 0;
	struct stat st;
	ssize_t n, w;

	if (in < 0)
		return cn_shell_error(sh, "%s: %s", src, strerror(errno));
	if (fstat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(in);
		return cn_shell_error(sh, "%s: is a directory", src);
	}
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		rc = cn_shell_error(sh, "%s: %s", dst, strerror(errno));
		close(in);
		return rc;
	}
	while (!rc && (n = read(in, buf, CP_BUF)) != 0) {
		if (n < 0) {
			rc = cn_shell_error(sh, "%s: %s", src, strerror(errno));
			break;
		}
		for (w = 0; w < n && !rc;) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));

			if (k < 0)
				rc = cn_shell_error(sh, "%s: %s", dst,
						    strerror(errno));
			else
				w += k;
		}
		if (cn_shell_interrupted(sh))
			rc = 1;
	}
	close(in);
	if (close(out) && !rc)
		rc = cn_shell_error(sh, "%s: %s", dst, strerror(errno));
	return rc;
}

static int cmd_cp(struct cn_shell *sh, int argc, char **argv)
{
	char *buf, path[PATH_MAX];
	int i, rc = 0, r;

	if (argc < 3)
		return cn_shell_usage(sh);
	buf = malloc(CP_BUF);
	if (!buf)
		return cn_shell_error(sh, "out of memory");
	for (i = 1; i < argc - 1 && !rc; i++) {
		r = target(argv[i], argv[argc - 1], path, sizeof(path));
		rc = r ? cn_shell_error(sh, "%s: %s", argv[argc - 1],
					strerror(-r)) :
			 copy_file(sh, argv[i], path, buf);
	}
	free(buf);
	return rc;
}
CN_SHELL_CMD(cp, cmd_cp, "src... dst", "copy files (into dst if a folder)");

static int cmd_mv(struct cn_shell *sh, int argc, char **argv)
{
	char path[PATH_MAX];
	int i, rc = 0, r;

	if (argc < 3)
		return cn_shell_usage(sh);
	for (i = 1; i < argc - 1; i++) {
		r = target(argv[i], argv[argc - 1], path, sizeof(path));
		if (!r && rename(argv[i], path))
			r = -errno;
		if (r == -EXDEV)
			rc = cn_shell_error(sh, "%s: another file system (cp "
					    "it, then rm)", argv[i]);
		else if (r)
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(-r));
	}
	return rc;
}
CN_SHELL_CMD(mv, cmd_mv, "src... dst", "move or rename (into dst if a folder)");

static int cmd_touch(struct cn_shell *sh, int argc, char **argv)
{
	int i, fd, rc = 0;

	if (argc < 2)
		return cn_shell_usage(sh);
	for (i = 1; i < argc; i++) {
		fd = open(argv[i], O_WRONLY | O_CREAT, 0644);
		if (fd < 0 && errno == EISDIR)
			fd = open(argv[i], O_RDONLY);
		if (fd < 0 || futimens(fd, NULL))
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return rc;
}
CN_SHELL_CMD(touch, cmd_touch, "file...",
	     "make empty files or set their time to now");

static const char *kind(mode_t m)
{
	return S_ISDIR(m) ? "directory" : S_ISREG(m) ? "regular file" :
	       S_ISLNK(m) ? "symbolic link" : S_ISCHR(m) ? "character device" :
	       S_ISFIFO(m) ? "fifo" : S_ISSOCK(m) ? "socket" : "other";
}

static int cmd_stat(struct cn_shell *sh, int argc, char **argv)
{
	struct stat st;
	char when[32];
	struct tm tm;
	int i, rc = 0;

	if (argc < 2)
		return cn_shell_usage(sh);
	for (i = 1; i < argc; i++) {
		if (lstat(argv[i], &st)) {
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(errno));
			continue;
		}
		gmtime_r(&st.st_mtime, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		cn_shell_printf(sh, "  File: %s\n  Size: %lld\tBlocks: %lld\t"
				"%s\nDevice: %lu\tInode: %llu\tLinks: %lu\n"
				"Access: %04o\nModify: %s UTC\n", argv[i],
				(long long)st.st_size, (long long)st.st_blocks,
				kind(st.st_mode), (unsigned long)st.st_dev,
				(unsigned long long)st.st_ino,
				(unsigned long)st.st_nlink,
				(unsigned int)(st.st_mode & 07777), when);
	}
	return rc;
}
CN_SHELL_CMD(stat, cmd_stat, "path...", "size, kind, inode, mode, time");

struct df_list {
	char paths[16][128];
	char types[16][16];
	int n;
};

/* Called under the VFS lock: copy now, statvfs after. */
static void take(const char *path, const char *fstype, unsigned long flags,
		 void *arg)
{
	struct df_list *l = arg;

	(void)flags;
	if (l->n == 16)
		return;
	snprintf(l->paths[l->n], sizeof(l->paths[0]), "%s", path);
	snprintf(l->types[l->n], sizeof(l->types[0]), "%s", fstype);
	l->n++;
}

static int cmd_df(struct cn_shell *sh, int argc, char **argv)
{
	struct df_list *l;
	struct statvfs sv;
	unsigned long long k, total, freek;
	int i;

	if (argc > 1)
		return cn_shell_usage(sh);
	l = calloc(1, sizeof(*l));
	if (!l)
		return cn_shell_error(sh, "out of memory");
	cn_vfs_mounts(take, l);
	cn_shell_printf(sh, "%-10s %10s %10s %10s %4s  %s\n", "TYPE",
			"1K-BLOCKS", "USED", "AVAIL", "USE%", "MOUNTED ON");
	for (i = 0; i < l->n; i++) {
		if (statvfs(l->paths[i], &sv))
			continue;
		k = sv.f_frsize;
		total = sv.f_blocks * k / 1024;
		freek = sv.f_bavail * k / 1024;
		cn_shell_printf(sh, "%-10s %10llu %10llu %10llu %3llu%%  %s\n",
				l->types[i], total, total - freek, freek,
				total ? (total - freek) * 100 / total : 0,
				l->paths[i]);
	}
	free(l);
	return 0;
}
CN_SHELL_CMD(df, cmd_df, "", "size and free space of each file system");

static int cmd_sync(struct cn_shell *sh, int argc, char **argv)
{
	int r;

	if (argc > 1)
		return cn_shell_usage(sh);
	r = cn_vfs_sync();
	return r ? cn_shell_error(sh, "%s", strerror(-r)) : 0;
}
CN_SHELL_CMD(sync, cmd_sync, "", "write cached data to the disks");

static int cmd_mount(struct cn_shell *sh, int argc, char **argv)
{
	const char *opts = "";
	int r;

	if (argc == 5 && !strcmp(argv[1], "-o"))
		opts = argv[2];
	else if (argc != 3)
		return cn_shell_usage(sh);
	r = cn_vfs_mount(argv[argc - 2], argv[argc - 1], 0, opts);
	if (r == -ENOENT || r == -ENOTDIR)
		r = cn_vfs_mkdir_p(argv[argc - 1], 0755) ? r :
		    cn_vfs_mount(argv[argc - 2], argv[argc - 1], 0, opts);
	if (r)
		return cn_shell_error(sh, "mount %s on %s: %s%s", argv[argc - 2],
				      argv[argc - 1], strerror(-r),
				      r == -ENODEV ? " (no such file system "
				      "type, or no such device: see the log)" :
				      "");
	return 0;
}
CN_SHELL_CMD(mount, cmd_mount, "[-o OPTIONS] FSTYPE DIR",
	     "mount a file system (e.g. mount -o dev=blk0 fat /data)");

static int cmd_umount(struct cn_shell *sh, int argc, char **argv)
{
	int r;

	if (argc != 2)
		return cn_shell_usage(sh);
	r = cn_vfs_umount(argv[1]);
	if (r)
		return cn_shell_error(sh, "%s: %s", argv[1], r == -EBUSY ?
				      "in use (open files, cd, mounts inside)" :
				      strerror(-r));
	return 0;
}
CN_SHELL_CMD(umount, cmd_umount, "DIR", "unmount (writes cached data first)");
