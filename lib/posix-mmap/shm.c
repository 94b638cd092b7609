/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * shm_open() and shm_unlink(): POSIX shared memory objects are files in
 * one directory, as glibc keeps them in /dev/shm (a tmpfs on Linux).
 * posix.shm_dir= names it (default /dev/shm): mount a ramfs there, or
 * point the parameter at one. Without that directory both calls fail with
 * ENOSYS, as glibc's do when no shm file system is mounted, and say so
 * once. An object is mapped with mmap() like any file (README.md says
 * what MAP_SHARED means here).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <cairn/log.h>
#include <cairn/param.h>
#include <cairn/posix_mmap.h>

static const char *shm_dir = "/dev/shm";
CN_PARAM_STR(posix, shm_dir, shm_dir,
	     "directory of shm_open() objects, a ramfs (default /dev/shm)");

const char *cn_posix_mmap_shm_dir(const char *dir)
{
	const char *old = shm_dir;

	shm_dir = dir;
	return old;
}

/* The file of object name in path, or -1 and errno as glibc sets it. */
static int object_path(const char *name, char *path, size_t size)
{
	static bool said;
	struct stat st;
	size_t len;

	if (!name) {
		errno = EINVAL;
		return -1;
	}
	while (*name == '/')
		name++;
	len = strlen(name);
	if (!len || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		errno = EINVAL;
		return -1;
	}
	if (len > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (stat(shm_dir, &st) || !S_ISDIR(st.st_mode)) {
		if (!said) {
			said = true;
			cn_pr_warn("shm_open(): no directory %s (mount a ramfs "
				   "there or set posix.shm_dir=): ENOSYS",
				   shm_dir);
		}
		errno = ENOSYS;
		return -1;
	}
	if ((size_t)snprintf(path, size, "%s/%s", shm_dir, name) >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int shm_open(const char *name, int oflag, mode_t mode)
{
	char path[PATH_MAX];

	if (object_path(name, path, sizeof(path)))
		return -1;
	return open(path, oflag | O_NOFOLLOW | O_CLOEXEC, mode);
}

int shm_unlink(const char *name)
{
	char path[PATH_MAX];

	if (object_path(name, path, sizeof(path)))
		return -1;
	return unlink(path);
}
