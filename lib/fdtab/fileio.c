/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's calls that move or promise file data between descriptors, and
 * the advice calls: copy_file_range, splice, tee, posix_fallocate,
 * fallocate, posix_fadvise, readahead, lockf. Each works on the struct
 * cn_file behind the descriptor with the errno Linux gives, checked in
 * Linux's order where the order shows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/file.h>
#include "fdtab_priv.h"

#define COPY_CHUNK	65536

static long fail(long err)
{
	errno = (int)-err;
	return -1;
}

/*
 * The file behind fd and its type (S_IFMT; S_IFIFO for every file that
 * is not seekable and says nothing else), or NULL: -EBADF.
 */
static struct cn_file *get(int fd, mode_t *type)
{
	struct cn_file *f = cn_fd_get(fd);
	struct stat st;

	if (!f)
		return NULL;
	memset(&st, 0, sizeof(st));
	if (f->ops->stat)
		f->ops->stat(f, &st);
	*type = st.st_mode & S_IFMT;
	if (!*type && !f->seekable)
		*type = S_IFIFO;
	return f;
}

static int fallocate_file(struct cn_file *f, mode_t type, off_t off,
			  off_t len, int mode)
{
	struct stat st;
	int r;

	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG)
		return -ENODEV;
	if (off > INT64_MAX - len)
		return -EFBIG;
	/* Files here take memory or clusters as they are written: nothing
	 * to reserve ahead, only the size to extend (with zeros). */
	if (mode & FALLOC_FL_KEEP_SIZE)
		return 0;
	memset(&st, 0, sizeof(st));
	r = f->ops->stat ? f->ops->stat(f, &st) : -EOPNOTSUPP;
	if (r)
		return r;
	if (st.st_size >= off + len)
		return 0;
	return f->ops->truncate ? f->ops->truncate(f, off + len) : -EOPNOTSUPP;
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	mode_t type;
	struct cn_file *f = get(fd, &type);
	int r;

	if (!f)
		return (int)fail(-EBADF);
	r = fallocate_file(f, type, off, len, mode);
	cn_file_put(f);
	return r ? (int)fail(r) : 0;
}

/* Returns the error number; errno is left alone (POSIX). */
int posix_fallocate(int fd, off_t off, off_t len)
{
	mode_t type;
	struct cn_file *f = get(fd, &type);
	int r;

	if (!f)
		return EBADF;
	r = fallocate_file(f, type, off, len, 0);
	cn_file_put(f);
	return -r;
}

/* Advice is checked and taken as a hint: there is no page cache. */
int posix_fadvise(int fd, off_t off, off_t len, int advice)
{
	mode_t type;
	struct cn_file *f = get(fd, &type);
	int r = 0;

	if (!f)
		return EBADF;
	if (type == S_IFIFO)
		r = ESPIPE;
	else if (len < 0 || advice < POSIX_FADV_NORMAL ||
		 advice > POSIX_FADV_NOREUSE)
		r = EINVAL;
	(void)off;
	cn_file_put(f);
	return r;
}

ssize_t readahead(int fd, off_t off, size_t count)
{
	mode_t type;
	struct cn_file *f = get(fd, &type);
	int r = 0;

	if (!f)
		return fail(-EBADF);
	/* Linux: only files that can be read at offsets. */
	if (type != S_IFREG || (f->flags & O_ACCMODE) == O_WRONLY)
		r = -EINVAL;
	(void)off, (void)count;
	cn_file_put(f);
	return r ? fail(r) : 0;
}

/* The position to use: *off (checked) or the file's; -errno. */
static off_t start_of(int fd, const off_t *off)
{
	off_t pos;

	if (off)
		return *off < 0 ? -EINVAL : *off;
	pos = lseek(fd, 0, SEEK_CUR);
	return pos < 0 ? -errno : pos;
}

static int cfr_checks(struct cn_file *in, mode_t ti, struct cn_file *out,
		      mode_t to, unsigned int flags)
{
	if (flags)
		return -EINVAL;
	if ((in->flags & O_ACCMODE) == O_WRONLY ||
	    (out->flags & O_ACCMODE) == O_RDONLY || (out->flags & O_APPEND))
		return -EBADF;
	if (ti == S_IFDIR || to == S_IFDIR)
		return -EISDIR;
	if (ti != S_IFREG || to != S_IFREG)
		return -EINVAL;
	return 0;
}

/* Reads from in at *pi and writes it all to out at *po (-1: positions). */
static ssize_t copy(int in, off_t pi, int out, off_t po, size_t len)
{
	char *buf = malloc(len < COPY_CHUNK ? (len ? len : 1) : COPY_CHUNK);
	size_t done = 0;
	ssize_t n, w, put;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (done < len) {
		size_t want = len - done < COPY_CHUNK ? len - done : COPY_CHUNK;

		n = pi < 0 ? read(in, buf, want)
			   : pread(in, buf, want, pi + (off_t)done);
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		for (put = 0; put < n; put += w) {
			w = po < 0 ? write(out, buf + put, (size_t)(n - put))
				   : pwrite(out, buf + put, (size_t)(n - put),
					    po + (off_t)(done + put));
			if (w <= 0) {
				err = w < 0 ? -errno : -EIO;
				break;
			}
		}
		done += (size_t)put;
		if (err || (size_t)n < want)
			break;
	}
	free(buf);
	return done ? (ssize_t)done : err;
}

ssize_t copy_file_range(int fd_in, off_t *off_in, int fd_out,
			off_t *off_out, size_t len, unsigned int flags)
{
	mode_t ti, to;
	struct cn_file *in = get(fd_in, &ti), *out = get(fd_out, &to);
	off_t pi, po;
	ssize_t r;

	r = !in || !out ? -EBADF : cfr_checks(in, ti, out, to, flags);
	pi = r ? 0 : start_of(fd_in, off_in);
	po = r ? 0 : start_of(fd_out, off_out);
	if (!r && (pi < 0 || po < 0))
		r = pi < 0 ? pi : po;
	/* The same file: overlapping ranges are refused, as Linux. */
	if (!r && in->priv == out->priv && in->ops == out->ops &&
	    pi < po + (off_t)len && po < pi + (off_t)len)
		r = -EINVAL;
	if (in)
		cn_file_put(in);
	if (out)
		cn_file_put(out);
	if (!r && len)
		r = copy(fd_in, pi, fd_out, po, len);
	if (r < 0)
		return fail(r);
	if (off_in)
		*off_in += r;
	else
		lseek(fd_in, pi + r, SEEK_SET);
	if (off_out)
		*off_out += r;
	else
		lseek(fd_out, po + r, SEEK_SET);
	return r;
}

/*
 * splice: one end must be a pipe (else EINVAL, as Linux); the data is
 * copied through a buffer, not moved by reference.
 */
ssize_t splice(int fd_in, off_t *off_in, int fd_out, off_t *off_out,
	       size_t len, unsigned int flags)
{
	mode_t ti = 0, to = 0;
	struct cn_file *in = get(fd_in, &ti), *out = get(fd_out, &to);
	ssize_t r = 0;

	if (!in || !out)
		r = -EBADF;
	else if ((in->flags & O_ACCMODE) == O_WRONLY ||
		 (out->flags & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else if (ti != S_IFIFO && to != S_IFIFO)
		r = -EINVAL;
	else if ((ti == S_IFIFO && off_in) || (to == S_IFIFO && off_out))
		r = -ESPIPE;
	else if ((off_in && *off_in < 0) || (off_out && *off_out < 0))
		r = -EINVAL;
	else if (flags & ~(SPLICE_F_MOVE | SPLICE_F_NONBLOCK |
			   SPLICE_F_MORE | SPLICE_F_GIFT))
		r = -EINVAL;
	/* SPLICE_F_NONBLOCK: the pipe ends do not wait. */
	else if ((flags & SPLICE_F_NONBLOCK) && len &&
		 ((ti == S_IFIFO && in->ops->poll &&
		   !(in->ops->poll(in) & (CN_POLLIN | CN_POLLHUP))) ||
		  (to == S_IFIFO && out->ops->poll &&
		   !(out->ops->poll(out) & (CN_POLLOUT | CN_POLLERR)))))
		r = -EAGAIN;
	if (in)
		cn_file_put(in);
	if (out)
		cn_file_put(out);
	if (!r && len)
		r = copy(fd_in, off_in ? *off_in : -1, fd_out,
			 off_out ? *off_out : -1,
			 len < COPY_CHUNK ? len : COPY_CHUNK);
	if (r < 0)
		return fail(r);
	if (off_in)
		*off_in += r;
	if (off_out)
		*off_out += r;
	return r;
}

ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags)
{
	struct cn_file *in = cn_fd_get(fd_in), *out = cn_fd_get(fd_out);
	ssize_t r;

	if (!in || !out)
		r = -EBADF;
	else if (flags & ~(SPLICE_F_MOVE | SPLICE_F_NONBLOCK |
			   SPLICE_F_MORE | SPLICE_F_GIFT))
		r = -EINVAL;
	else
		r = cn_fdtab_pipe_tee(in, out, len,
				      flags & SPLICE_F_NONBLOCK);
	if (in)
		cn_file_put(in);
	if (out)
		cn_file_put(out);
	return r < 0 ? fail(r) : r;
}

/* lockf: the record locks of fcntl over [position, position + len). */
int lockf(int fd, int cmd, off_t len)
{
	struct flock fl = { .l_whence = SEEK_CUR, .l_start = 0, .l_len = len };

	switch (cmd) {
	case F_ULOCK:
		fl.l_type = F_UNLCK;
		return fcntl(fd, F_SETLK, &fl);
	case F_LOCK:
		fl.l_type = F_WRLCK;
		return fcntl(fd, F_SETLKW, &fl);
	case F_TLOCK:
		fl.l_type = F_WRLCK;
		return fcntl(fd, F_SETLK, &fl);
	case F_TEST:
		fl.l_type = F_RDLCK;
		if (fcntl(fd, F_GETLK, &fl))
			return -1;
		if (fl.l_type == F_UNLCK)	/* one process: never ours */
			return 0;
		errno = EACCES;
		return -1;
	default:
		errno = EINVAL;
		return -1;
	}
}
