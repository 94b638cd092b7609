/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pipe(), pipe2() and socketpair(AF_UNIX, SOCK_STREAM): byte channels
 * between threads of the image, with Linux's semantics. A pipe is a
 * 64 KiB ring; a socket pair is two of them crossed. Each end is a
 * struct cn_file reading from one ring (rx) and writing to another (tx).
 *
 * read blocks while the ring is empty and a writer is left, then returns
 * what there is; 0 once every writer closed. write blocks until all of it
 * went in (a write of at most PIPE_BUF bytes goes in whole, never
 * interleaved), and fails with EPIPE when no reader is left. O_NONBLOCK
 * gives EAGAIN instead of waiting (or the part that fitted); a signal
 * handler that runs while it waits gives EINTR (or the part written), or
 * with SA_RESTART it waits on. Each ring has its own spinlock (no big
 * lock: a pipe between threads on two CPUs involves only them); tee()
 * holds two, the lower address first. Waiters sleep through
 * cn_file_wait().
 */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <cairn/file.h>
#include <cairn/spinlock.h>
#include "fdtab_priv.h"

#define RING_SIZE	65536u

/* Linux's numbers: lwIP's headers may not be in the image. */
#define CN_AF_UNIX	1
#define CN_SOCK_STREAM	1
#define CN_SOCK_NONBLOCK 04000
#define CN_SOCK_CLOEXEC	02000000

int socketpair(int domain, int type, int protocol, int sv[2]);

struct ring {
	struct cn_spinlock lock;	/* the fields below; irqsave */
	char *buf;
	size_t head, len;		/* read from head, len bytes held */
	unsigned int readers, writers;
};

struct end {
	struct ring *rx, *tx;
};

static struct ring *ring_new(void)
{
	struct ring *r = calloc(1, sizeof(*r));

	if (r && !(r->buf = malloc(RING_SIZE))) {
		free(r);
		r = NULL;
	}
	if (r) {
		cn_spin_init(&r->lock);
		r->readers = r->writers = 1;
	}
	return r;
}

static void ring_drop(struct ring *r, bool reader)
{
	unsigned long irq = cn_spin_lock_irqsave(&r->lock);
	bool last;

	if (reader)
		r->readers--;
	else
		r->writers--;
	last = !r->readers && !r->writers;
	cn_spin_unlock_irqrestore(&r->lock, irq);
	if (last) {
		free(r->buf);
		free(r);
	}
}

/* Copies out at most len bytes; lock held. */
static size_t ring_get(struct ring *r, char *dst, size_t len)
{
	size_t n = len < r->len ? len : r->len, first;

	first = RING_SIZE - r->head < n ? RING_SIZE - r->head : n;
	memcpy(dst, r->buf + r->head, first);
	memcpy(dst + first, r->buf, n - first);
	r->head = (r->head + n) % RING_SIZE;
	r->len -= n;
	return n;
}

/* Copies in at most len bytes; lock held. */
static size_t ring_put(struct ring *r, const char *src, size_t len)
{
	size_t room = RING_SIZE - r->len, tail, n, first;

	n = len < room ? len : room;
	tail = (r->head + r->len) % RING_SIZE;
	first = RING_SIZE - tail < n ? RING_SIZE - tail : n;
	memcpy(r->buf + tail, src, first);
	memcpy(r->buf, src + first, n - first);
	r->len += n;
	return n;
}

static ssize_t p_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	struct ring *r = ((struct end *)f->priv)->rx;

	(void)off;
	if (!r)
		return -EBADF;
	if (!len)
		return 0;
	for (;;) {
		unsigned long seen = cn_file_generation();
		unsigned long irq = cn_spin_lock_irqsave(&r->lock);
		size_t n = ring_get(r, buf, len);
		unsigned int writers = r->writers;

		cn_spin_unlock_irqrestore(&r->lock, irq);
		if (n) {
			cn_file_notify();	/* room for writers */
			return (ssize_t)n;
		}
		if (!writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (cn_file_wait(seen, 0))
			return -EINTR;
	}
}

static ssize_t p_write(struct cn_file *f, const void *buf, size_t len,
		       off_t off)
{
	struct ring *r = ((struct end *)f->priv)->tx;
	size_t done = 0;

	(void)off;
	if (!r)
		return -EBADF;
	while (done < len || !len) {
		unsigned long seen = cn_file_generation();
		unsigned long irq = cn_spin_lock_irqsave(&r->lock);
		size_t n = 0;
		unsigned int readers = r->readers;

		/* Up to PIPE_BUF bytes go in whole or not at all. */
		if (readers && (len > PIPE_BUF ||
				RING_SIZE - r->len >= len - done))
			n = ring_put(r, (const char *)buf + done, len - done);
		cn_spin_unlock_irqrestore(&r->lock, irq);
		if (!readers)
			return done ? (ssize_t)done : -EPIPE;
		if (!len)
			return 0;
		if (n) {
			done += n;
			cn_file_notify();	/* data for readers */
			continue;
		}
		if (f->flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		if (cn_file_wait(seen, 0))
			return done ? (ssize_t)done : -EINTR;
	}
	return (ssize_t)done;
}

static unsigned int p_poll(struct cn_file *f)
{
	struct end *e = f->priv;
	unsigned int ev = 0;
	unsigned long irq;

	if (e->rx) {
		irq = cn_spin_lock_irqsave(&e->rx->lock);
		if (e->rx->len)
			ev |= CN_POLLIN;
		if (!e->rx->writers)
			ev |= CN_POLLHUP;
		cn_spin_unlock_irqrestore(&e->rx->lock, irq);
	}
	if (e->tx) {
		irq = cn_spin_lock_irqsave(&e->tx->lock);
		if (!e->tx->readers)
			ev |= CN_POLLERR;
		else if (RING_SIZE - e->tx->len >= PIPE_BUF)
			ev |= CN_POLLOUT;
		cn_spin_unlock_irqrestore(&e->tx->lock, irq);
	}
	return ev;
}

static int p_ioctl(struct cn_file *f, unsigned long req, void *arg)
{
	struct end *e = f->priv;

	if (req != FIONREAD)
		return -ENOTTY;
	*(int *)arg = e->rx ? (int)__atomic_load_n(&e->rx->len,
						   __ATOMIC_RELAXED) : 0;
	return 0;
}

static int p_stat(struct cn_file *f, struct stat *st)
{
	struct end *e = f->priv;

	st->st_mode = (e->rx && e->tx ? S_IFSOCK | 0777 : S_IFIFO | 0600);
	st->st_blksize = PIPE_BUF;
	return 0;
}

static void p_release(struct cn_file *f)
{
	struct end *e = f->priv;

	if (e->rx)
		ring_drop(e->rx, true);
	if (e->tx)
		ring_drop(e->tx, false);
	free(e);
	cn_file_notify();	/* the other end sees EOF / EPIPE */
}

static const struct cn_file_ops pipe_ops = {
	.read = p_read,
	.write = p_write,
	.poll = p_poll,
	.ioctl = p_ioctl,
	.stat = p_stat,
	.release = p_release,
};

/* tee(): copies from in's ring into out's without consuming. Both
 * locks held. */
static size_t ring_peek_into(struct ring *from, struct ring *to, size_t len)
{
	size_t room = RING_SIZE - to->len, n, first;

	n = len < from->len ? len : from->len;
	n = n < room ? n : room;
	first = RING_SIZE - from->head < n ? RING_SIZE - from->head : n;
	ring_put(to, from->buf + from->head, first);
	ring_put(to, from->buf, n - first);
	return n;
}

ssize_t cn_fdtab_pipe_tee(struct cn_file *in, struct cn_file *out,
			  size_t len, bool nonblock)
{
	struct end *ei = in->priv, *eo = out->priv;
	struct ring *first, *second;

	if (in->ops != &pipe_ops || out->ops != &pipe_ops || !ei->rx ||
	    ei->tx || !eo->tx || eo->rx || ei->rx == eo->tx)
		return -EINVAL;		/* two ends of two different pipes */
	/* Two locks: the lower address first, as everywhere. */
	first = ei->rx < eo->tx ? ei->rx : eo->tx;
	second = ei->rx < eo->tx ? eo->tx : ei->rx;
	while (len) {
		unsigned long seen = cn_file_generation();
		unsigned long irq = cn_spin_lock_irqsave(&first->lock);
		unsigned int readers, writers;
		size_t held, n;

		cn_spin_lock(&second->lock);
		readers = eo->tx->readers;
		writers = ei->rx->writers;
		held = ei->rx->len;
		n = readers ? ring_peek_into(ei->rx, eo->tx, len) : 0;
		cn_spin_unlock(&second->lock);
		cn_spin_unlock_irqrestore(&first->lock, irq);
		if (!readers)
			return -EPIPE;
		if (n) {
			cn_file_notify();	/* data for out's readers */
			return (ssize_t)n;
		}
		if (!held && !writers)
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (cn_file_wait(seen, 0))
			return -EINTR;
	}
	return 0;
}

static struct cn_file *end_new(struct ring *rx, struct ring *tx, int flags)
{
	struct end *e = malloc(sizeof(*e));
	struct cn_file *f;

	if (!e)
		return NULL;
	e->rx = rx;
	e->tx = tx;
	f = cn_file_alloc(&pipe_ops, e, flags);
	if (!f)
		free(e);
	return f;
}

/*
 * Makes the two ends and installs them in fd[0], fd[1]; a failure undoes
 * everything. rx/tx of end 0 and end 1 as given (end 1's ends crossed).
 */
static int make_pair(struct ring *a, struct ring *b, int flags[2],
		     bool cloexec, int fd[2])
{
	struct cn_file *f0 = end_new(a, b, flags[0]);
	struct cn_file *f1 = f0 ? end_new(b, a, flags[1]) : NULL;
	int r0, r1;

	if (!f1) {
		/* Nothing holds the rings yet but the ends' counts. */
		if (f0) {
			free(f0->priv);
			free(f0);
		}
		return -ENOMEM;
	}
	r0 = cn_fd_install(f0, cloexec);
	r1 = r0 < 0 ? r0 : cn_fd_install(f1, cloexec);
	cn_file_put(f0);		/* the table holds them now */
	cn_file_put(f1);
	if (r1 < 0) {
		if (r0 >= 0)
			cn_fd_close(r0);
		return r1;
	}
	fd[0] = r0;
	fd[1] = r1;
	return 0;
}

static int fail(int err)
{
	errno = -err;
	return -1;
}

int pipe2(int fd[2], int flags)
{
	struct ring *r;
	int fl[2], rc;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return fail(-EINVAL);
	r = ring_new();
	if (!r)
		return fail(-ENOMEM);
	fl[0] = O_RDONLY | (flags & O_NONBLOCK);
	fl[1] = O_WRONLY | (flags & O_NONBLOCK);
	/* End 0 reads r, end 1 writes it. */
	rc = make_pair(r, NULL, fl, flags & O_CLOEXEC, fd);
	if (rc == -ENOMEM) {
		free(r->buf);
		free(r);
	}
	return rc ? fail(rc) : 0;
}

int pipe(int fd[2])
{
	return pipe2(fd, 0);
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
	int kind = type & ~(CN_SOCK_NONBLOCK | CN_SOCK_CLOEXEC);
	int fl[2], rc;
	struct ring *a, *b;

	if (domain != CN_AF_UNIX)
		return fail(-EAFNOSUPPORT);
	if (kind != CN_SOCK_STREAM)
		return fail(-EOPNOTSUPP);
	if (protocol != 0)
		return fail(-EPROTONOSUPPORT);
	a = ring_new();
	b = a ? ring_new() : NULL;
	if (!b) {
		if (a) {
			free(a->buf);
			free(a);
		}
		return fail(-ENOMEM);
	}
	fl[0] = fl[1] = O_RDWR |
			(type & CN_SOCK_NONBLOCK ? O_NONBLOCK : 0);
	rc = make_pair(a, b, fl, type & CN_SOCK_CLOEXEC, sv);
	if (rc == -ENOMEM) {
		free(a->buf);
		free(a);
		free(b->buf);
		free(b);
	}
	return rc ? fail(rc) : 0;
}
