/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ftw() and nftw() over opendir/readdir/stat. The path grows in one
 * PATH_MAX buffer as the walk goes down; one DIR is open per level.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

struct walk {
	char *path;			/* PATH_MAX bytes */
	int flags;			/* FTW_* */
	dev_t dev;			/* of the start, for FTW_MOUNT */
	int (*nfn)(const char *, const struct stat *, int, struct FTW *);
	int (*fn)(const char *, const struct stat *, int);
};

static int call(struct walk *w, const struct stat *st, int type, int base,
		int level)
{
	struct FTW f = { .base = base, .level = level };

	if (w->nfn)
		return w->nfn(w->path, st, type, &f);
	/* ftw() knows no FTW_SL, FTW_SLN or FTW_DP. */
	if (type == FTW_SLN)
		type = FTW_NS;
	return w->fn(w->path, st, type == FTW_SL ? FTW_F : type);
}

static int walk(struct walk *w, size_t len, int base, int level);

static int walk_dir(struct walk *w, size_t len, int level)
{
	struct dirent *de;
	DIR *d = opendir(w->path);
	/* Names go after a '/' at "at" (the start "/" has one already). */
	size_t at = w->path[len - 1] == '/' ? len : len + 1, n;
	int r = 0;

	if (!d)
		return -2;	/* unreadable: the caller says FTW_DNR */
	while (!r && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n = strlen(de->d_name);
		if (at + n >= PATH_MAX) {
			errno = ENAMETOOLONG;
			r = -1;
			break;
		}
		w->path[at - 1] = '/';
		memcpy(w->path + at, de->d_name, n + 1);
		r = walk(w, at + n, (int)at, level + 1);
		w->path[len] = '\0';
	}
	closedir(d);
	return r;
}

static int walk(struct walk *w, size_t len, int base, int level)
{
	bool phys = w->flags & FTW_PHYS;
	struct stat st;
	int type, r;

	if ((phys ? lstat : stat)(w->path, &st)) {
		if (level == 0 && errno != EACCES)
			return -1;	/* the start itself: an error */
		if (!phys && !lstat(w->path, &st) && S_ISLNK(st.st_mode))
			type = FTW_SLN;
		else
			type = FTW_NS;
		return call(w, &st, type, base, level);
	}
	if ((w->flags & FTW_MOUNT) && st.st_dev != w->dev)
		return 0;
	if (S_ISLNK(st.st_mode))
		return call(w, &st, FTW_SL, base, level);
	if (!S_ISDIR(st.st_mode))
		return call(w, &st, FTW_F, base, level);
	if (!(w->flags & FTW_DEPTH)) {
		r = call(w, &st, FTW_D, base, level);
		if (r)
			return r;
	}
	r = walk_dir(w, len, level);
	if (r == -2)
		return call(w, &st, FTW_DNR, base, level);
	if (r)
		return r;
	return (w->flags & FTW_DEPTH) ? call(w, &st, FTW_DP, base, level) : 0;
}

static int start(struct walk *w, const char *path)
{
	struct stat st;
	size_t len;
	int base, r;

	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	len = strlen(path);
	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	w->path = malloc(PATH_MAX);
	if (!w->path) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(w->path, path, len + 1);
	while (len > 1 && w->path[len - 1] == '/')
		w->path[--len] = '\0';
	for (base = (int)len; base > 0 && w->path[base - 1] != '/'; base--)
		;
	if (len == 1 && w->path[0] == '/')
		base = 0;
	if ((w->flags & FTW_MOUNT) && !stat(w->path, &st))
		w->dev = st.st_dev;
	r = walk(w, len, base, 0);
	free(w->path);
	return r;
}

int nftw(const char *path,
	 int (*fn)(const char *, const struct stat *, int, struct FTW *),
	 int nopenfd, int flags)
{
	struct walk w = { .flags = flags, .nfn = fn };

	(void)nopenfd;
	return start(&w, path);
}

int ftw(const char *path, int (*fn)(const char *, const struct stat *, int),
	int nopenfd)
{
	struct walk w = { .fn = fn };

	(void)nopenfd;
	return start(&w, path);
}
