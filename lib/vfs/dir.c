/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <dirent.h>: opendir, fdopendir, readdir, readdir_r, telldir, seekdir,
 * rewinddir, closedir, dirfd, scandir, alphasort, posix_getdents,
 * getdents64, getdents.
 * picolibc declares them and implements none. A DIR is a descriptor and a
 * buffer refilled with cn_vfs_getdents(); positions are the file system's
 * cookies (each entry's d_off is the cookie after it), so telldir and
 * seekdir survive entries being added and removed in between.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/vfs.h>

#define DIR_BUF 4096

struct __cn_dir {
	int fd;
	size_t pos, len;
	off_t next;		/* cookie of the entry readdir returns next */
	union {
		struct dirent align;
		char buf[DIR_BUF];
	} u;
};

DIR *fdopendir(int fd)
{
	struct stat st;
	DIR *d;

	if (fstat(fd, &st))
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	d->next = lseek(fd, 0, SEEK_CUR);
	if (d->next < 0)
		d->next = 0;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	int err;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		err = errno;
		close(fd);
		errno = err;
	}
	return d;
}

int closedir(DIR *d)
{
	int r;

	if (!d) {
		errno = EBADF;
		return -1;
	}
	r = close(d->fd);
	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *de;
	ssize_t n;

	if (d->pos >= d->len) {
		n = cn_vfs_getdents(d->fd, d->u.buf, sizeof(d->u.buf));
		if (n < 0) {
			errno = (int)-n;
			return NULL;
		}
		if (n == 0)
			return NULL;	/* the end; errno untouched */
		d->len = (size_t)n;
		d->pos = 0;
	}
	de = (struct dirent *)(d->u.buf + d->pos);
	d->pos += de->d_reclen;
	d->next = de->d_off;
	return de;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	int saved = errno, err;
	struct dirent *de;

	errno = 0;
	de = readdir(d);
	err = errno;
	errno = saved;
	if (!de) {
		*result = NULL;
		return err;
	}
	memcpy(entry, de, de->d_reclen < sizeof(*entry) ? de->d_reclen
							: sizeof(*entry));
	*result = entry;
	return 0;
}

long telldir(DIR *d)
{
	return (long)d->next;
}

void seekdir(DIR *d, long loc)
{
	if (lseek(d->fd, (off_t)loc, SEEK_SET) < 0)
		return;
	d->pos = d->len = 0;
	d->next = loc;
}

void rewinddir(DIR *d)
{
	seekdir(d, 0);
}

ssize_t posix_getdents(int fd, void *buf, size_t len, int flags)
{
	ssize_t n;

	if (flags) {
		errno = EINVAL;
		return -1;
	}
	n = cn_vfs_getdents(fd, buf, len);
	if (n < 0) {
		errno = (int)-n;
		return -1;
	}
	return n;
}

ssize_t getdents64(int fd, void *buf, size_t len)
{
	return posix_getdents(fd, buf, len, 0);
}

_Static_assert(offsetof(struct dirent, d_off) ==
		       offsetof(struct linux_dirent64, d_off) &&
	       offsetof(struct dirent, d_reclen) ==
		       offsetof(struct linux_dirent64, d_reclen) &&
	       offsetof(struct dirent, d_name) ==
		       offsetof(struct linux_dirent64, d_name),
	       "struct dirent is struct linux_dirent64");

ssize_t getdents(int fd, void *buf, size_t len)
{
	return posix_getdents(fd, buf, len, 0);
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcoll((*a)->d_name, (*b)->d_name);
}

static int scan_grow(struct dirent ***list, size_t *cap, size_t n)
{
	struct dirent **l;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 16;
	l = realloc(*list, *cap * sizeof(*l));
	if (!l)
		return -1;
	*list = l;
	return 0;
}

int scandir(const char *path, struct dirent ***out,
	    int (*filter)(const struct dirent *),
	    int (*cmp)(const struct dirent **, const struct dirent **))
{
	struct dirent **list = NULL, *de, *copy;
	size_t n = 0, cap = 0;
	DIR *d = opendir(path);
	int err = 0;

	if (!d)
		return -1;
	errno = 0;
	while ((de = readdir(d))) {
		if (filter && !filter(de))
			continue;
		copy = malloc(de->d_reclen);
		if (!copy || scan_grow(&list, &cap, n)) {
			free(copy);
			err = ENOMEM;
			break;
		}
		memcpy(copy, de, de->d_reclen);
		list[n++] = copy;
	}
	if (!err)
		err = errno;
	closedir(d);
	if (err || n > 0x7fffffff) {
		while (n)
			free(list[--n]);
		free(list);
		errno = err ? err : EOVERFLOW;
		return -1;
	}
	if (cmp && n > 1)
		qsort(list, n, sizeof(*list),
		      (int (*)(const void *, const void *))cmp);
	*out = list;
	return (int)n;
}
