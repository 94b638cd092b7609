/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eventfd: a descriptor holding a 64-bit counter, with Linux's rules.
 * write() of 8 bytes adds their value; read() of 8 bytes or more takes
 * the whole count (or 1 with EFD_SEMAPHORE) and waits while it is 0;
 * a write that would pass 0xfffffffffffffffe waits for a read. Readable
 * while the count is not 0, writable while 1 more fits. O_NONBLOCK gives
 * EAGAIN instead of waiting; a signal handler gives EINTR, or with
 * SA_RESTART the wait goes on (Linux restarts eventfd's read and write).
 * The count changes under the big lock; waiters sleep in cn_file_wait().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cairn/biglock.h>
#include <cairn/file.h>
#include "epoll_priv.h"

#define COUNT_MAX	0xfffffffffffffffeull

struct efd {
	uint64_t count;
	bool semaphore;
};

static ssize_t efd_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	struct efd *e = f->priv;

	(void)off;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		unsigned long seen = cn_file_generation();
		unsigned long irq = cn_big_lock();
		uint64_t v = e->semaphore && e->count ? 1 : e->count;

		e->count -= v;
		cn_big_unlock(irq);
		if (v) {
			memcpy(buf, &v, sizeof(v));
			cn_file_notify();	/* room for writers */
			return sizeof(v);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (cn_file_wait(seen, 0))
			return -EINTR;
	}
}

static ssize_t efd_write(struct cn_file *f, const void *buf, size_t len,
			 off_t off)
{
	struct efd *e = f->priv;
	uint64_t v;

	(void)off;
	if (len < sizeof(v))
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v > COUNT_MAX)
		return -EINVAL;
	for (;;) {
		unsigned long seen = cn_file_generation();
		unsigned long irq = cn_big_lock();
		bool fits = COUNT_MAX - e->count >= v;

		if (fits)
			e->count += v;
		cn_big_unlock(irq);
		if (fits) {
			if (v)
				cn_file_notify();	/* data for readers */
			return sizeof(v);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (cn_file_wait(seen, 0))
			return -EINTR;
	}
}

static unsigned int efd_poll(struct cn_file *f)
{
	struct efd *e = f->priv;
	unsigned long irq = cn_big_lock();
	unsigned int ev = (e->count ? CN_POLLIN : 0) |
			  (e->count < COUNT_MAX ? CN_POLLOUT : 0);

	cn_big_unlock(irq);
	return ev;
}

static int efd_stat(struct cn_file *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IRUSR | S_IWUSR;	/* an anonymous inode's */
	st->st_blksize = 4096;
	return 0;
}

static void efd_release(struct cn_file *f)
{
	free(f->priv);
}

static const struct cn_file_ops efd_ops = {
	.read = efd_read,
	.write = efd_write,
	.poll = efd_poll,
	.stat = efd_stat,
	.release = efd_release,
};

int eventfd(unsigned int initval, int flags)
{
	struct efd *e;
	struct cn_file *f;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return cn_epoll_ret(-EINVAL);
	e = calloc(1, sizeof(*e));
	f = e ? cn_file_alloc(&efd_ops, e,
			      O_RDWR | (flags & EFD_NONBLOCK)) : NULL;
	if (!f) {
		free(e);
		return cn_epoll_ret(-ENOMEM);
	}
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	fd = cn_fd_install(f, flags & EFD_CLOEXEC);
	cn_file_put(f);			/* the table's now, or released */
	return cn_epoll_ret(fd);
}

int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}
