/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File commands over the POSIX calls lib/vfs provides: ls, cat, mkdir,
 * rm, rmdir, cd, pwd, mounts; the `>` redirection and the completion of
 * paths. Errors name the path and say what went wrong in words.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cairn/vfs.h>
#include <cairn/vfs_fs.h>		/* CN_MOUNT_RDONLY */
#include "shell_priv.h"

/* cat reads files in chunks of this many bytes. */
#define CAT_BUF		4096

#define CONSOLE_RDEV	(5 << 8 | 1)	/* /dev/console, lib/fdtab's */
#define RM_DEPTH_MAX	64

/* ---- redirection and completion --------------------------------------- */

int cn_shell_redirect_open(const char *path, int append)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
		      (append ? O_APPEND : O_TRUNC), 0644);

	return fd >= 0 ? fd : -errno;
}

void cn_shell_redirect_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return;	/* the file is full: the rest is lost */
		p += n;
		len -= (size_t)n;
	}
}

void cn_shell_redirect_close(int fd)
{
	close(fd);
}

static int is_dir_entry(const char *dir, const struct dirent *d)
{
	char path[PATH_MAX];
	struct stat st;

	if (d->d_type == DT_DIR)
		return 1;
	if (d->d_type != DT_LNK && d->d_type != DT_UNKNOWN)
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) >=
	    (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void cn_shell_complete_path(struct cn_shell *sh, const char *word,
			    struct shell_comp *c)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(word, '/');
	struct dirent *d;
	DIR *dp;

	(void)sh;
	if (slash) {
		size_t n = (size_t)(slash - word);

		if (n >= sizeof(dir))
			return;
		memcpy(dir, word, n);
		dir[n] = '\0';
		if (n == 0)
			strcpy(dir, "/");
		c->base = slash + 1;
	} else {
		strcpy(dir, ".");
		c->base = word;
	}
	c->base_len = strlen(c->base);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' && c->base[0] != '.')
			continue;
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (strncmp(d->d_name, c->base, c->base_len) == 0)
			cn_shell_comp_add(c, d->d_name, is_dir_entry(dir, d));
	}
	closedir(dp);
}

/* ---- ls --------------------------------------------------------------- */

static void mode_str(mode_t m, char s[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	for (i = 0; i < 9; i++)
		s[1 + i] = m & (0400 >> i) ? rwx[i] : '-';
	s[10] = '\0';
}

/* One entry: name as given; path to stat it. */
static void ls_entry(struct cn_shell *sh, const char *path, const char *name,
		     int lng)
{
	struct stat st;
	char mode[11], when[24], target[PATH_MAX];
	struct tm tm;
	time_t t;
	ssize_t n;

	if (lstat(path, &st) != 0) {
		cn_shell_error(sh, "%s: %s", path, strerror(errno));
		return;
	}
	if (!lng) {
		cn_shell_printf(sh, "%s%s\n", name, S_ISDIR(st.st_mode) ? "/" :
				"");
		return;
	}
	mode_str(st.st_mode, mode);
	t = st.st_mtime;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	else
		strcpy(when, "?");
	cn_shell_printf(sh, "%s %3u %10lld %s %s", mode,
			(unsigned int)st.st_nlink, (long long)st.st_size,
			when, name);
	if (S_ISLNK(st.st_mode) &&
	    (n = readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		cn_shell_printf(sh, " -> %s", target);
	}
	cn_shell_printf(sh, "\n");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in dir, sorted; *out is freed by the caller. */
static int read_names(const char *dir, char ***out, size_t *count)
{
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		if (!(names[n] = strdup(d->d_name)))
			break;
		n++;
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	*count = n;
	return 0;
}

static int ls_dir(struct cn_shell *sh, const char *dir, int lng)
{
	char **names, path[PATH_MAX];
	size_t n, i;
	int rc = read_names(dir, &names, &n);

	if (rc)
		return cn_shell_error(sh, "%s: %s", dir, strerror(-rc));
	for (i = 0; i < n; i++) {
		if (!cn_shell_interrupted(sh)) {
			snprintf(path, sizeof(path), "%s%s%s", dir,
				 dir[strlen(dir) - 1] == '/' ? "" : "/",
				 names[i]);
			ls_entry(sh, path, names[i], lng);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

static int cmd_ls(struct cn_shell *sh, int argc, char **argv)
{
	int i = 1, lng = 0, rc = 0, many;
	struct stat st;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-l"))
			return cn_shell_usage(sh);
		lng = 1;
	}
	if (i == argc)
		return ls_dir(sh, ".", lng);
	many = argc - i > 1;
	for (; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			ls_entry(sh, argv[i], argv[i], lng);
			continue;
		}
		if (many)
			cn_shell_printf(sh, "%s:\n", argv[i]);
		rc |= ls_dir(sh, argv[i], lng);
	}
	return rc;
}
CN_SHELL_CMD(ls, cmd_ls, "[-l] [path...]",
	     "list directories (a / ends directory names)");

/* ---- cat -------------------------------------------------------------- */

static int cat_one(struct cn_shell *sh, const char *path, char *buf,
		   size_t size)
{
	struct stat st = { 0 };
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return cn_shell_error(sh, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return cn_shell_error(sh, "%s: is a directory (ls lists it)",
				      path);
	}
	if (S_ISCHR(st.st_mode) && st.st_rdev == CONSOLE_RDEV) {
		close(fd);
		return cn_shell_error(sh, "%s: the console is the shell's "
				      "input", path);
	}
	while (!cn_shell_interrupted(sh) && (n = read(fd, buf, size)) > 0)
		cn_shell_write(sh, buf, (size_t)n);
	if (n < 0 && !sh->interrupted) {
		cn_shell_error(sh, "%s: %s", path, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

static int cmd_cat(struct cn_shell *sh, int argc, char **argv)
{
	char *buf;
	int i, rc = 0;

	if (argc < 2)
		return cn_shell_usage(sh);
	buf = malloc(CAT_BUF);
	if (!buf)
		return cn_shell_error(sh, "out of memory");
	for (i = 1; i < argc && !sh->interrupted; i++)
		rc |= cat_one(sh, argv[i], buf, CAT_BUF);
	free(buf);
	return rc;
}
CN_SHELL_CMD(cat, cmd_cat, "file...", "print files (Ctrl-C stops)");

/* ---- mkdir, rm, rmdir ------------------------------------------------- */

static int cmd_mkdir(struct cn_shell *sh, int argc, char **argv)
{
	int i = 1, parents = 0, rc = 0;

	if (argc > 1 && strcmp(argv[1], "-p") == 0) {
		parents = 1;
		i++;
	}
	if (i == argc)
		return cn_shell_usage(sh);
	for (; i < argc; i++) {
		int r = parents ? cn_vfs_mkdir_p(argv[i], 0755) :
			mkdir(argv[i], 0755) ? -errno : 0;

		if (r)
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(-r));
	}
	return rc;
}
CN_SHELL_CMD(mkdir, cmd_mkdir, "[-p] dir...",
	     "make directories (-p: and their parents)");

/* Removes path and, for a directory, what it holds. path has PATH_MAX. */
static int rm_tree(struct cn_shell *sh, char *path, int depth)
{
	struct stat st;
	char **names;
	size_t n, i, len = strlen(path);
	int rc = 0;

	if (lstat(path, &st) != 0)
		return cn_shell_error(sh, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? cn_shell_error(sh, "%s: %s", path,
						     strerror(errno)) : 0;
	if (depth >= RM_DEPTH_MAX)
		return cn_shell_error(sh, "%s: more than %d levels deep",
				      path, RM_DEPTH_MAX);
	if ((rc = read_names(path, &names, &n)) != 0)
		return cn_shell_error(sh, "%s: %s", path, strerror(-rc));
	for (i = 0; i < n; i++) {
		if (!rc && !cn_shell_interrupted(sh) &&
		    len + 1 + strlen(names[i]) < PATH_MAX) {
			snprintf(path + len, PATH_MAX - len, "/%s", names[i]);
			rc |= rm_tree(sh, path, depth + 1);
			path[len] = '\0';
		}
		free(names[i]);
	}
	free(names);
	if (!rc && !sh->interrupted && rmdir(path))
		rc = cn_shell_error(sh, "%s: %s", path, strerror(errno));
	return rc;
}

static int cmd_rm(struct cn_shell *sh, int argc, char **argv)
{
	struct stat st;
	char *path;
	int i = 1, rec = 0, rc = 0;

	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		rec = 1;
		i++;
	}
	if (i == argc)
		return cn_shell_usage(sh);
	path = malloc(PATH_MAX);
	if (!path)
		return cn_shell_error(sh, "out of memory");
	for (; i < argc && !sh->interrupted; i++) {
		if (lstat(argv[i], &st) != 0) {
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(errno));
		} else if (S_ISDIR(st.st_mode) && !rec) {
			rc = cn_shell_error(sh, "%s: is a directory (rm -r, or "
					    "rmdir)", argv[i]);
		} else if (rec) {
			snprintf(path, PATH_MAX, "%s", argv[i]);
			rc |= rm_tree(sh, path, 0);
		} else if (unlink(argv[i])) {
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(errno));
		}
	}
	free(path);
	return rc;
}
CN_SHELL_CMD(rm, cmd_rm, "[-r] path...",
	     "remove files (-r: directories with what they hold)");

static int cmd_rmdir(struct cn_shell *sh, int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 2)
		return cn_shell_usage(sh);
	for (i = 1; i < argc; i++)
		if (rmdir(argv[i]))
			rc = cn_shell_error(sh, "%s: %s", argv[i],
					    strerror(errno));
	return rc;
}
CN_SHELL_CMD(rmdir, cmd_rmdir, "dir...", "remove empty directories");

/* ---- cd, pwd, mounts -------------------------------------------------- */

static int cmd_cd(struct cn_shell *sh, int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/";

	if (argc > 2)
		return cn_shell_usage(sh);
	if (chdir(dir))
		return cn_shell_error(sh, "%s: %s", dir, strerror(errno));
	return 0;
}
CN_SHELL_CMD(cd, cmd_cd, "[dir]", "change the current directory (/)");

static int cmd_pwd(struct cn_shell *sh, int argc, char **argv)
{
	char dir[PATH_MAX];

	if (argc > 1)
		return cn_shell_usage(sh);
	if (!getcwd(dir, sizeof(dir)))
		return cn_shell_error(sh, "%s", strerror(errno));
	cn_shell_printf(sh, "%s\n", dir);
	return 0;
}
CN_SHELL_CMD(pwd, cmd_pwd, "", "print the current directory");

struct mount_list {
	char buf[2048];
	size_t len;
};

/* Called under the VFS lock: copy now, print after. */
static void take_mount(const char *path, const char *fstype,
		       unsigned long flags, void *arg)
{
	struct mount_list *m = arg;
	int n;

	if (m->len >= sizeof(m->buf))
		return;
	n = snprintf(m->buf + m->len, sizeof(m->buf) - m->len,
		     "%-24s %-10s %s\n", path, fstype,
		     flags & CN_MOUNT_RDONLY ? "ro" : "rw");
	m->len += n > 0 ? (size_t)n : 0;
	if (m->len > sizeof(m->buf))
		m->len = sizeof(m->buf);
}

static int cmd_mounts(struct cn_shell *sh, int argc, char **argv)
{
	struct mount_list *m;

	if (argc > 1)
		return cn_shell_usage(sh);
	m = calloc(1, sizeof(*m));
	if (!m)
		return cn_shell_error(sh, "out of memory");
	cn_vfs_mounts(take_mount, m);
	cn_shell_printf(sh, "%-24s %-10s %s\n", "PATH", "TYPE", "MODE");
	if (m->len)
		cn_shell_write(sh, m->buf, m->len);
	else
		cn_shell_printf(sh, "(nothing mounted)\n");
	free(m);
	return 0;
}
CN_SHELL_CMD(mounts, cmd_mounts, "", "mounted file systems");
