/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open files and the descriptor table. A struct cn_file is anything a
 * descriptor can name: a file of lib/vfs, a socket of lib/lwip, the
 * console. Its owner fills the operations; lib/fdtab provides the POSIX
 * calls on descriptors (read, write, pread, pwrite, lseek, close, dup,
 * dup2, dup3, fcntl, ioctl, fstat, fsync, ftruncate, readv, writev, isatty,
 * poll, select, sendfile) on top of them.
 *
 * Operations return a count or a negative errno; the POSIX calls turn
 * that into -1 and errno. A missing operation gives the POSIX answer for
 * "not supported on this kind of file" (EINVAL for read/write, ESPIPE for
 * seeks, ENOTTY for ioctl...). Blocking operations may sleep; they check
 * O_NONBLOCK in f->flags themselves.
 *
 * Lifetime: cn_file_alloc() returns a file with one reference; each
 * descriptor naming it holds one; cn_fd_get() takes one for the duration
 * of a call. release() runs when the last goes (close of the last dup).
 */
#ifndef CAIRN_FILE_H
#define CAIRN_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stat;
struct cn_file;

/*
 * A range of a file's own memory lent without a copy (the pin operation
 * below), for senders that hand memory to a device or a protocol stack
 * and learn only later that it is no longer used (sendfile() into a TCP
 * socket: until the data is acknowledged and the device is done with
 * it). Reference counted; the last cn_file_pin_put() calls release.
 * Until then the lent bytes stay valid and unchanged whatever happens to
 * the file (written, truncated, unlinked): its owner copies on write.
 * get/put are IRQ-safe and never block; release runs in any thread,
 * under the pin lock below (the last put and the release are one step),
 * maybe with the network stack's lock held: it may free memory but must
 * not sleep or take locks of the file system.
 */
struct cn_file_pin {
	unsigned int refs;
	void (*release)(struct cn_file_pin *pin);
};

/* poll() events (the Linux values; <poll.h> has the same) */
#define CN_POLLIN	0x001
#define CN_POLLPRI	0x002
#define CN_POLLOUT	0x004
#define CN_POLLERR	0x008
#define CN_POLLHUP	0x010
#define CN_POLLNVAL	0x020
/*
 * From a file's poll op only: nothing will call cn_file_notify() when
 * what is missing becomes ready (a polled console, a full socket send
 * buffer); poll() looks again every 10 ms while it waits.
 */
#define CN_POLL_RECHECK	0x8000

struct cn_file_ops {
	/* off: where to read/write (files); -1 for read()/write() on a
	 * non-seekable file. Seekable files get f->pos for read()/write(). */
	ssize_t (*read)(struct cn_file *f, void *buf, size_t len, off_t off);
	ssize_t (*write)(struct cn_file *f, const void *buf, size_t len,
			 off_t off);
	/* New position for lseek (seekable files only). */
	off_t (*seek)(struct cn_file *f, off_t off, int whence);
	/* Events ready now (CN_POLL*); never blocks. */
	unsigned int (*poll)(struct cn_file *f);
	int (*ioctl)(struct cn_file *f, unsigned long req, void *arg);
	int (*stat)(struct cn_file *f, struct stat *st);
	int (*truncate)(struct cn_file *f, off_t len);
	int (*sync)(struct cn_file *f);
	/* F_SETFL changed O_NONBLOCK/O_APPEND: 0 or a negative errno. */
	int (*setfl)(struct cn_file *f, int flags);
	/* Frees the owner's state; the file itself is freed after. */
	void (*release)(struct cn_file *f);
	/*
	 * Optional (files whose data is in memory): lends up to len bytes
	 * at off: *data points at them, *pin holds them (one reference for
	 * the caller). Returns the count, which may be less than len (it
	 * stops at the end of a block of the file's memory; a hole lends
	 * zeros), 0 at or past the end, or a negative errno. Never blocks
	 * for long; not called with interrupts off.
	 */
	ssize_t (*pin)(struct cn_file *f, off_t off, size_t len,
		       const void **data, struct cn_file_pin **pin);
	/*
	 * Optional (sockets): sendfile()'s path without a copy: sends up to
	 * len bytes of in, which has a pin operation, from off. Returns the
	 * count sent (blocking sockets wait for room as send() does), or a
	 * negative errno; -EOPNOTSUPP: sendfile() copies instead.
	 */
	ssize_t (*sendfile)(struct cn_file *out, struct cn_file *in, off_t off,
			    size_t len);
};

struct cn_file {
	const struct cn_file_ops *ops;
	void *priv;			/* the owner's */
	int flags;			/* O_ACCMODE, O_APPEND, O_NONBLOCK */
	bool seekable;
	off_t pos;
	unsigned int refs;
};

/* A new file with one reference (NULL: no memory). */
struct cn_file *cn_file_alloc(const struct cn_file_ops *ops, void *priv,
			      int flags);
void cn_file_get(struct cn_file *f);
void cn_file_put(struct cn_file *f);
/*
 * A reference unless the file is being released (its count reached 0):
 * for a list that holds files without a reference of its own (epoll's
 * interest lists, emptied by the release hook). Returns false then.
 */
bool cn_file_tryget(struct cn_file *f);

void cn_file_pin_get(struct cn_file_pin *pin);
void cn_file_pin_put(struct cn_file_pin *pin);
/*
 * The pin lock: counts change and release runs under it (a spinlock,
 * interrupts off; not the big lock). A file system that keeps its pins
 * in lists of its own changes them under it too (lib/ramfs); nothing
 * under it sleeps or takes another lock but the allocator's.
 */
unsigned long cn_file_pin_lock(void);
void cn_file_pin_unlock(unsigned long flags);

/* Bytes sendfile() has sent since boot: lent without a copy, copied. */
struct cn_sendfile_stats {
	uint64_t lent, copied;
};
void cn_file_sendfile_stats(struct cn_sendfile_stats *st);

/*
 * Installs f at the lowest free descriptor (taking a reference): returns
 * it, or -EMFILE. cloexec is accepted and recorded (there is no exec).
 */
int cn_fd_install(struct cn_file *f, bool cloexec);
/* The file behind fd with a reference (put it after), or NULL (EBADF). */
struct cn_file *cn_fd_get(int fd);
int cn_fd_close(int fd);
unsigned int cn_fd_count(void);		/* descriptors open */

/*
 * The console's operations (descriptors 0-2 use them), for other files
 * that are the console too (devfs's /dev/console): one look-ahead byte
 * for poll, shared by all of them, so no input is lost between them.
 */
ssize_t cn_console_read(struct cn_file *f, void *buf, size_t len, off_t off);
ssize_t cn_console_write(struct cn_file *f, const void *buf, size_t len,
			 off_t off);
unsigned int cn_console_poll(struct cn_file *f);
int cn_console_ioctl(struct cn_file *f, unsigned long req, void *arg);

/*
 * Readiness changed somewhere (data arrived, space freed, a peer closed):
 * wakes every poll()/select() waiter to look again. IRQ-safe.
 */
void cn_file_notify(void);

/*
 * For blocking operations of files (a pipe's read, a lock's wait): take
 * the generation, try, and if it must wait call cn_file_wait(seen,
 * deadline) (0: none), which returns once cn_file_notify() was called
 * after the generation was taken, or at the deadline; then try again.
 * Sleeps (other threads run, with lib/sched); never from an interrupt.
 */
unsigned long cn_file_generation(void);
/*
 * A write found no reader (EPIPE): raises SIGPIPE when lib/posix-signal is
 * in the image (its default action ends the image, as on Linux; a
 * program that ignores SIGPIPE gets EPIPE), does nothing otherwise.
 * write()/writev() on any descriptor call it; so do send(), sendto() and
 * sendmsg() without MSG_NOSIGNAL. Keeps errno.
 */
void cn_file_sigpipe(void);

/*
 * Sets the one function called each time a descriptor is closed (close,
 * dup2/dup3 over it), with the file it named, before that descriptor's
 * reference goes: lib/posix-mmap writes MAP_SHARED mappings of the file
 * back there. NULL removes it.
 */
void cn_file_set_close_hook(void (*fn)(struct cn_file *f));
/*
 * Sets the one function called when a file's last reference goes, before
 * its release operation, in the thread that put it: lib/epoll drops the
 * file from its interest lists there (as Linux does when a file's last
 * reference goes). It must not sleep. NULL removes it.
 */
void cn_file_set_release_hook(void (*fn)(struct cn_file *f));
/*
 * cn_file_wait() (see cn_file_generation()): 0, or -EINTR when a signal
 * handler without SA_RESTART ran in this thread while it waited (with
 * lib/posix-signal): the blocking call then fails with EINTR (or returns
 * what it did so far). After a handler with SA_RESTART it returns 0 and
 * the call tries again, i.e. it is restarted.
 */
int cn_file_wait(unsigned long seen, uint64_t deadline);
/*
 * cn_file_wait() for calls that a restart does not simply repeat (a send
 * that already queued part of its data returns that count, SA_RESTART or
 * not, as on Linux): 0 when no handler ran, 1 when the handlers that ran
 * all had SA_RESTART, -EINTR when one without did.
 */
int cn_file_wait_intr(unsigned long seen, uint64_t deadline);

#endif
