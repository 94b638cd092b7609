/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sendfile(): file data to another descriptor. When the source lends its
 * memory (a pin operation: ramfs) and the destination can send lent
 * memory (a sendfile operation: lwIP's TCP sockets), the bytes go out
 * without a copy into a socket buffer; the pins keep them valid until
 * the stack is done with them. Every other pair, and that one with
 * fdtab.zerocopy=0, goes through a bounce buffer: read, then write until
 * all is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <cairn/arch.h>
#include <cairn/param.h>
#include <cairn/spinlock.h>
#include "fdtab_priv.h"

#define BOUNCE	16384

static bool zerocopy = true;
static struct cn_sendfile_stats stats;
CN_PARAM_BOOL(fdtab, zerocopy, zerocopy,
	      "sendfile() lends file memory to sockets (0: copies)");

static struct cn_spinlock pin_lock = CN_SPINLOCK_INIT;

unsigned long cn_file_pin_lock(void)
{
	return cn_spin_lock_irqsave(&pin_lock);
}

void cn_file_pin_unlock(unsigned long flags)
{
	cn_spin_unlock_irqrestore(&pin_lock, flags);
}

void cn_file_pin_get(struct cn_file_pin *pin)
{
	unsigned long irq = cn_file_pin_lock();

	pin->refs++;
	cn_file_pin_unlock(irq);
}

/*
 * The last put and the release are one step with interrupts off: an
 * owner that finds a pin in its own lists (with interrupts off too) and
 * takes a reference never meets a pin whose release is already due.
 */
void cn_file_pin_put(struct cn_file_pin *pin)
{
	unsigned long irq = cn_file_pin_lock();

	if (!--pin->refs)
		pin->release(pin);
	cn_file_pin_unlock(irq);
}

/* Writes all of buf to out (a short write is retried); count or -errno. */
static ssize_t write_all(struct cn_file *out, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		off_t at = out->seekable ? out->pos : -1;
		ssize_t n = out->ops->write(out, buf + done, len - done, at);

		if (n <= 0)
			return done ? (ssize_t)done : n ? n : -EIO;
		if (out->seekable)
			out->pos += n;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static void add(uint64_t *c, ssize_t n)
{
	if (n > 0)
		__atomic_fetch_add(c, (uint64_t)n, __ATOMIC_RELAXED);
}

void cn_file_sendfile_stats(struct cn_sendfile_stats *st)
{
	st->lent = __atomic_load_n(&stats.lent, __ATOMIC_RELAXED);
	st->copied = __atomic_load_n(&stats.copied, __ATOMIC_RELAXED);
}

static ssize_t copy(struct cn_file *out, struct cn_file *in, off_t off,
		    size_t count)
{
	size_t done = 0, chunk = count < BOUNCE ? count : BOUNCE;
	char *buf = malloc(chunk ? chunk : 1);
	ssize_t n = 0;

	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t want = count - done < chunk ? count - done : chunk;

		n = in->ops->read(in, buf, want, in->seekable ? off + (off_t)done
							      : -1);
		if (n <= 0)
			break;
		want = (size_t)n;
		n = write_all(out, buf, want);
		if (n > 0)
			done += (size_t)n;
		if (n < 0 || (size_t)n < want)
			break;
	}
	free(buf);
	return done ? (ssize_t)done : n;
}

static ssize_t transfer(struct cn_file *out, struct cn_file *in, off_t off,
			size_t count)
{
	ssize_t n;

	if ((in->flags & O_ACCMODE) == O_WRONLY ||
	    (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!in->ops->read || !out->ops->write)
		return -EINVAL;
	if (out->flags & O_APPEND)
		return -EINVAL;		/* as Linux says */
	if (zerocopy && in->ops->pin && out->ops->sendfile && in->seekable) {
		n = out->ops->sendfile(out, in, off, count);
		if (n != -EOPNOTSUPP) {
			add(&stats.lent, n);
			return n;
		}
	}
	n = copy(out, in, off, count);
	add(&stats.copied, n);
	return n;
}

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	struct cn_file *in = cn_fd_get(in_fd), *out = cn_fd_get(out_fd);
	off_t off;
	ssize_t n;

	if (!in || !out) {
		n = -EBADF;
		goto out;
	}
	if (offset && (*offset < 0 || !in->seekable)) {
		n = *offset < 0 ? -EINVAL : -ESPIPE;
		goto out;
	}
	off = offset ? *offset : in->pos;
	n = transfer(out, in, off, count);
	if (n > 0) {
		if (offset)
			*offset += n;
		else if (in->seekable)
			in->pos += n;
	}
out:
	if (in)
		cn_file_put(in);
	if (out)
		cn_file_put(out);
	if (n < 0) {
		errno = (int)-n;
		return -1;
	}
	return n;
}
