/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Temporary names: mkdtemp, mkostemp and tempnam, which picolibc lacks
 * (its mkstemp, mkstemps and mkostemps run on open() here). The six
 * trailing X's become letters and digits from a generator seeded with
 * the clock; a name that exists is retried with the next ones.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/vfs.h>
#include "vfs_priv.h"

#define TRIES 1000

static const char chars[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/* Six new characters at p (xorshift64, seeded once from the clock). */
static void fill_x(char *p)
{
	static uint64_t state;
	struct timespec now;
	int i;

	cn_vfs_lock();
	if (!state) {
		cn_vfs_now(&now);
		state = ((uint64_t)now.tv_sec << 30 ^ (uint64_t)now.tv_nsec ^
			 (uintptr_t)p) | 1;
	}
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	for (i = 0; i < 6; i++)
		p[i] = chars[(state >> (6 * i)) % (sizeof(chars) - 1)];
	cn_vfs_unlock();
}

/* The six X's of tmpl, or NULL (EINVAL) when it does not end in them. */
static char *xs(char *tmpl)
{
	size_t len = tmpl ? strlen(tmpl) : 0;

	if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX")) {
		errno = EINVAL;
		return NULL;
	}
	return tmpl + len - 6;
}

char *mkdtemp(char *tmpl)
{
	char *x = xs(tmpl);
	int i;

	if (!x)
		return NULL;
	for (i = 0; i < TRIES; i++) {
		fill_x(x);
		if (!mkdir(tmpl, 0700))
			return tmpl;
		if (errno != EEXIST)
			break;
	}
	memcpy(x, "XXXXXX", 6);		/* as glibc leaves it on failure */
	return NULL;
}

int mkostemp(char *tmpl, int flags)
{
	char *x = xs(tmpl);
	int i, fd;

	if (!x)
		return -1;
	flags &= ~O_ACCMODE;
	for (i = 0; i < TRIES; i++) {
		fill_x(x);
		fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | flags, 0600);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			break;
	}
	memcpy(x, "XXXXXX", 6);
	return -1;
}

static int is_dir(const char *path)
{
	struct stat st;

	return path && *path && !stat(path, &st) && S_ISDIR(st.st_mode);
}

char *tempnam(const char *dir, const char *pfx)
{
	const char *env = getenv("TMPDIR");
	struct stat st;
	size_t plen = pfx ? strnlen(pfx, 5) : 0, n;
	char *name;
	int i;

	if (is_dir(env))
		dir = env;
	else if (!is_dir(dir))
		dir = is_dir(P_tmpdir) ? P_tmpdir : "/tmp";
	if (!is_dir(dir)) {
		errno = ENOENT;
		return NULL;
	}
	name = malloc(strlen(dir) + 1 + plen + 7);
	if (!name) {
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < TRIES; i++) {
		n = (size_t)sprintf(name, "%s%s%.*s", dir,
				    dir[strlen(dir) - 1] == '/' ? "" : "/",
				    (int)plen, pfx ? pfx : "");
		fill_x(name + n);
		name[n + 6] = '\0';
		if (lstat(name, &st) && errno == ENOENT)
			return name;
	}
	free(name);
	errno = EEXIST;
	return NULL;
}
