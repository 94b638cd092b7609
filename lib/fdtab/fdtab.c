/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The descriptor table and the POSIX calls on descriptors. One table for
 * the image (one process). The table has a lock of its own, a leaf held
 * for a few instructions with interrupts off (never across an operation
 * on a file), and the reference counts are atomic, so the lookup every
 * call on a descriptor makes does not wait for the big lock.
 */
#define _GNU_SOURCE		/* dup3 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <cairn/arch.h>
#include <cairn/file.h>
#include <cairn/spinlock.h>
#include "fdtab_priv.h"

#define NR_FDS	CONFIG_LIB_FDTAB_MAX
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

static struct {
	struct cn_file *file;
	bool cloexec;
} fds[NR_FDS] = {
	[0] = { &cn_fdtab_console_in },
	[1] = { &cn_fdtab_console_out },
	[2] = { &cn_fdtab_console_out },
};
static unsigned int nr_open = 3;
static struct cn_spinlock fds_lock = CN_SPINLOCK_INIT;	/* fds, nr_open */
static void (*close_hook)(struct cn_file *f);
static void (*release_hook)(struct cn_file *f);

void cn_file_set_close_hook(void (*fn)(struct cn_file *f))
{
	close_hook = fn;
}

void cn_file_set_release_hook(void (*fn)(struct cn_file *f))
{
	release_hook = fn;
}

/* A descriptor of f went: what POSIX ties to closing one. */
static void closed(struct cn_file *f)
{
	cn_fdtab_locks_close(f);
	if (close_hook)
		close_hook(f);
}

static long fail(long err)
{
	errno = (int)-err;
	return -1;
}

struct cn_file *cn_file_alloc(const struct cn_file_ops *ops, void *priv,
			      int flags)
{
	struct cn_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags;
	f->refs = 1;
	return f;
}

void cn_file_get(struct cn_file *f)
{
	__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
}

bool cn_file_tryget(struct cn_file *f)
{
	unsigned int refs = __atomic_load_n(&f->refs, __ATOMIC_RELAXED);

	do {
		if (!refs)
			return false;
	} while (!__atomic_compare_exchange_n(&f->refs, &refs, refs + 1, true,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

void cn_file_put(struct cn_file *f)
{
	/* Acquire-release: every holder's use is seen before the release. */
	unsigned int left = __atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL);

	if (left)
		return;
	if (release_hook)
		release_hook(f);
	cn_fdtab_locks_release(f);
	if (f->ops->release)
		f->ops->release(f);
	free(f);
}

static int install_at(int min, struct cn_file *f, bool cloexec)
{
	unsigned long irq = cn_spin_lock_irqsave(&fds_lock);
	int fd;

	for (fd = min; fd < NR_FDS; fd++) {
		if (!fds[fd].file) {
			fds[fd].file = f;
			fds[fd].cloexec = cloexec;
			cn_file_get(f);
			nr_open++;
			cn_spin_unlock_irqrestore(&fds_lock, irq);
			return fd;
		}
	}
	cn_spin_unlock_irqrestore(&fds_lock, irq);
	return -EMFILE;
}

int cn_fd_install(struct cn_file *f, bool cloexec)
{
	return install_at(0, f, cloexec);
}

struct cn_file *cn_fd_get(int fd)
{
	unsigned long irq;
	struct cn_file *f = NULL;

	if (fd < 0 || fd >= NR_FDS)
		return NULL;
	irq = cn_spin_lock_irqsave(&fds_lock);
	f = fds[fd].file;
	if (f)
		cn_file_get(f);	/* the table's reference is still there */
	cn_spin_unlock_irqrestore(&fds_lock, irq);
	return f;
}

int cn_fd_close(int fd)
{
	unsigned long irq;
	struct cn_file *f;

	if (fd < 0 || fd >= NR_FDS)
		return -EBADF;
	irq = cn_spin_lock_irqsave(&fds_lock);
	f = fds[fd].file;
	fds[fd].file = NULL;
	if (f)
		nr_open--;
	cn_spin_unlock_irqrestore(&fds_lock, irq);
	if (!f)
		return -EBADF;
	closed(f);
	cn_file_put(f);
	cn_file_notify();	/* a poller may be waiting on it */
	return 0;
}

unsigned int cn_fd_count(void)
{
	return nr_open;
}

/* Read or write at off (-1: the file position, moved after). */
static ssize_t rw(int fd, void *buf, size_t len, off_t off, bool wr)
{
	struct cn_file *f = cn_fd_get(fd);
	int acc;
	ssize_t n;
	bool at_pos = off < 0;

	if (!f)
		return fail(-EBADF);
	acc = f->flags & O_ACCMODE;
	if ((wr && acc == O_RDONLY) || (!wr && acc == O_WRONLY))
		n = -EBADF;
	else if (!(wr ? (void *)f->ops->write : (void *)f->ops->read))
		n = -EINVAL;
	else if (!at_pos && !f->seekable)
		n = -ESPIPE;
	else {
		if (at_pos && f->seekable) {
			off = f->pos;
			/* O_APPEND: every write() goes to the current end. */
			if (wr && (f->flags & O_APPEND) && f->ops->seek)
				off = f->ops->seek(f, 0, SEEK_END);
		}
		n = off < -1 ? off
		    : wr ? f->ops->write(f, buf, len, off)
			 : f->ops->read(f, buf, len, off);
		if (n > 0 && at_pos && f->seekable)
			f->pos = off + n;
	}
	cn_file_put(f);
	if (wr && n == -EPIPE)
		cn_file_sigpipe();
	return n < 0 ? fail(n) : n;
}

ssize_t read(int fd, void *buf, size_t len)
{
	return rw(fd, buf, len, -1, false);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return rw(fd, (void *)buf, len, -1, true);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	if (off < 0)
		return fail(-EINVAL);
	return rw(fd, buf, len, off, false);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (off < 0)
		return fail(-EINVAL);
	return rw(fd, (void *)buf, len, off, true);
}

static ssize_t rwv(int fd, const struct iovec *iov, int cnt, bool wr)
{
	ssize_t total = 0, n;
	int i;

	if (cnt < 0 || cnt > 1024)
		return fail(-EINVAL);
	for (i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		n = rw(fd, iov[i].iov_base, iov[i].iov_len, -1, wr);
		if (n < 0)
			return total ? total : -1;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	return rwv(fd, iov, cnt, false);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	return rwv(fd, iov, cnt, true);
}

/* preadv/pwritev: one rw() per buffer, each at the offset after the last. */
static ssize_t prwv(int fd, const struct iovec *iov, int cnt, off_t off,
		    bool wr)
{
	struct cn_file *f = cn_fd_get(fd);
	ssize_t total = 0, n;
	int i;

	bool seekable;

	if (!f)
		return fail(-EBADF);
	seekable = f->seekable;
	cn_file_put(f);
	if (!seekable)
		return fail(-ESPIPE);	/* even with nothing to move */
	if (cnt < 0 || cnt > 1024 || off < 0)
		return fail(-EINVAL);
	for (i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		n = rw(fd, iov[i].iov_base, iov[i].iov_len, off + total, wr);
		if (n < 0)
			return total ? total : -1;
		total += n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return total;
}

ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return prwv(fd, iov, cnt, off, false);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return prwv(fd, iov, cnt, off, true);
}

/* Flags (RWF_*) other than 0: EOPNOTSUPP, as Linux for flags it lacks. An
 * offset of -1 is the file position, as readv/writev. */
ssize_t preadv2(int fd, const struct iovec *iov, int cnt, off_t off,
		int flags)
{
	if (flags)
		return fail(-EOPNOTSUPP);
	return off == -1 ? readv(fd, iov, cnt) : preadv(fd, iov, cnt, off);
}

ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off,
		 int flags)
{
	if (flags)
		return fail(-EOPNOTSUPP);
	return off == -1 ? writev(fd, iov, cnt) : pwritev(fd, iov, cnt, off);
}

off_t lseek(int fd, off_t off, int whence)
{
	struct cn_file *f = cn_fd_get(fd);
	off_t r;

	if (!f)
		return fail(-EBADF);
	if (!f->seekable || !f->ops->seek)
		r = -ESPIPE;
	else if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		r = -EINVAL;
	else {
		r = f->ops->seek(f, off, whence);
		if (r >= 0)
			f->pos = r;
	}
	cn_file_put(f);
	return r < 0 ? fail(r) : r;
}

int close(int fd)
{
	int rc = cn_fd_close(fd);

	return rc ? (int)fail(rc) : 0;
}

int dup(int fd)
{
	struct cn_file *f = cn_fd_get(fd);
	int n;

	if (!f)
		return (int)fail(-EBADF);
	n = install_at(0, f, false);
	cn_file_put(f);
	return n < 0 ? (int)fail(n) : n;
}

int dup3(int old, int new, int flags)
{
	struct cn_file *f, *prev;
	unsigned long irq;

	if (old == new || (flags & ~O_CLOEXEC))
		return (int)fail(-EINVAL);
	if (new < 0 || new >= NR_FDS)
		return (int)fail(-EBADF);
	f = cn_fd_get(old);
	if (!f)
		return (int)fail(-EBADF);
	irq = cn_spin_lock_irqsave(&fds_lock);
	prev = fds[new].file;
	fds[new].file = f;		/* our reference moves into the table */
	fds[new].cloexec = !!(flags & O_CLOEXEC);
	if (!prev)
		nr_open++;
	cn_spin_unlock_irqrestore(&fds_lock, irq);
	if (prev) {
		closed(prev);
		cn_file_put(prev);
	}
	return new;
}

int dup2(int old, int new)
{
	if (old == new) {
		struct cn_file *f = cn_fd_get(old);

		if (!f)
			return (int)fail(-EBADF);
		cn_file_put(f);
		return new;
	}
	return dup3(old, new, 0);
}

int fcntl(int fd, int cmd, ...)
{
	struct cn_file *f = cn_fd_get(fd);
	va_list ap;
	long arg, r = 0;

	if (!f)
		return (int)fail(-EBADF);
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = arg < 0 || arg >= NR_FDS ? -EINVAL
			: install_at((int)arg, f, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		r = fds[fd].cloexec ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fds[fd].cloexec = !!(arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL: {
		int nf = (f->flags & ~SETFL_MASK) | ((int)arg & SETFL_MASK);

		r = f->ops->setfl ? f->ops->setfl(f, nf) : 0;
		if (!r)
			f->flags = nf;
		break;
	}
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		r = cn_fdtab_fcntl_lock(f, cmd, (struct flock *)arg);
		break;
	default:
		r = -EINVAL;
	}
	cn_file_put(f);
	return r < 0 ? (int)fail(r) : (int)r;
}

int ioctl(int fd, unsigned long req, ...)
{
	struct cn_file *f = cn_fd_get(fd);
	va_list ap;
	void *arg;
	int r;

	if (!f)
		return (int)fail(-EBADF);
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	r = f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	cn_file_put(f);
	return r < 0 ? (int)fail(r) : r;
}

int fstat(int fd, struct stat *st)
{
	struct cn_file *f = cn_fd_get(fd);
	int r;

	if (!f)
		return (int)fail(-EBADF);
	memset(st, 0, sizeof(*st));
	r = f->ops->stat ? f->ops->stat(f, st) : 0;
	cn_file_put(f);
	return r < 0 ? (int)fail(r) : 0;
}

int ftruncate(int fd, off_t len)
{
	struct cn_file *f = cn_fd_get(fd);
	int r;

	if (!f)
		return (int)fail(-EBADF);
	if (len < 0)
		r = -EINVAL;
	else if ((f->flags & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else
		r = f->ops->truncate ? f->ops->truncate(f, len) : -EINVAL;
	cn_file_put(f);
	return r < 0 ? (int)fail(r) : 0;
}

int fsync(int fd)
{
	struct cn_file *f = cn_fd_get(fd);
	int r;

	if (!f)
		return (int)fail(-EBADF);
	r = f->ops->sync ? f->ops->sync(f) : 0;
	cn_file_put(f);
	return r < 0 ? (int)fail(r) : 0;
}

int fdatasync(int fd)
{
	return fsync(fd);
}

int isatty(int fd)
{
	struct cn_file *f = cn_fd_get(fd);
	int tty;

	if (!f) {
		errno = EBADF;
		return 0;
	}
	/* The console, or a file that answers a terminal's ioctl. */
	tty = cn_fdtab_is_console(f) ||
	      (f->ops->ioctl && f->ops->ioctl(f, TCGETS, NULL) == 0);
	cn_file_put(f);
	if (!tty)
		errno = ENOTTY;
	return tty;
}
