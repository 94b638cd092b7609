/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Advisory file locks: fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW)
 * and flock(), as Linux keeps them.
 *
 * A lock belongs to a file (its st_dev and st_ino, so every descriptor
 * and every open of the same file sees it) and to an owner. Record locks
 * are owned by the process: Cairn runs one, so they never conflict with
 * each other (F_GETLK answers F_UNLCK, F_SETLKW never waits), a new lock
 * replaces the owner's old one on the bytes it covers (splitting it), and
 * closing ANY descriptor of the file drops all of them, as POSIX says (the
 * trap SQLite works around). flock() locks are owned by the open file
 * description (one open(), shared by its dups): two opens of one file
 * conflict, LOCK_EX waits until the other goes (or EWOULDBLOCK with
 * LOCK_NB), and they go when the description's last descriptor closes.
 * The two kinds do not interact, as on Linux.
 *
 * One list for the image, under its own spinlock (never held long: the
 * nodes a change needs are allocated before, and those it frees are
 * freed after). Waiters sleep through cn_file_wait().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <cairn/file.h>
#include <cairn/spinlock.h>
#include "fdtab_priv.h"

#define END_MAX INT64_MAX	/* "to the end of the file, and beyond" */

struct lk {
	struct lk *next;
	uint64_t dev, ino;
	const struct cn_file *owner;	/* NULL: the process (fcntl) */
	bool flock;
	short type;			/* F_RDLCK / F_WRLCK */
	int64_t start, end;		/* inclusive */
};

static struct lk *locks;
static struct cn_spinlock locks_lock = CN_SPINLOCK_INIT;

/* The file's identity: its inode, or for files without one the file. */
static void key_of(struct cn_file *f, uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (f->ops->stat && f->ops->stat(f, &st) == 0 && st.st_ino) {
		*dev = (uint64_t)st.st_dev;
		*ino = (uint64_t)st.st_ino;
		return;
	}
	*dev = UINT64_MAX;
	*ino = (uintptr_t)f;
}

static bool conflicts(const struct lk *l, uint64_t dev, uint64_t ino,
		      const struct cn_file *owner, bool is_flock, short type,
		      int64_t start, int64_t end)
{
	return l->dev == dev && l->ino == ino && l->flock == is_flock &&
	       l->owner != owner && l->start <= end && start <= l->end &&
	       (l->type == F_WRLCK || type == F_WRLCK);
}

/* The first lock another owner holds that stops this one; lock held. */
static struct lk *find_conflict(uint64_t dev, uint64_t ino,
				const struct cn_file *owner, bool is_flock,
				short type, int64_t start, int64_t end)
{
	struct lk *l;

	for (l = locks; l; l = l->next)
		if (conflicts(l, dev, ino, owner, is_flock, type, start, end))
			return l;
	return NULL;
}

/*
 * Removes [start, end] from the owner's locks on the file (lock held);
 * a lock cut in the middle takes *spare for its right part. Unlinked
 * nodes go on *freed.
 */
static void carve(uint64_t dev, uint64_t ino, const struct cn_file *owner,
		  bool is_flock, int64_t start, int64_t end,
		  struct lk **spare, struct lk **freed)
{
	struct lk **pp = &locks, *l;

	while ((l = *pp)) {
		if (l->dev != dev || l->ino != ino || l->owner != owner ||
		    l->flock != is_flock || l->end < start || l->start > end) {
			pp = &l->next;
			continue;
		}
		if (l->start >= start && l->end <= end) {
			*pp = l->next;
			l->next = *freed;
			*freed = l;
			continue;
		}
		if (l->start < start && l->end > end) {
			struct lk *r = *spare;

			*spare = NULL;
			*r = *l;
			r->start = end + 1;
			l->end = start - 1;
			r->next = l->next;
			l->next = r;
			pp = &r->next;
			continue;
		}
		if (l->start < start)
			l->end = start - 1;
		else
			l->start = end + 1;
		pp = &l->next;
	}
}

static void free_list(struct lk *l)
{
	while (l) {
		struct lk *n = l->next;

		free(l);
		l = n;
	}
}

/*
 * Sets (type F_RDLCK/F_WRLCK) or clears (F_UNLCK) [start, end] for owner;
 * waits for conflicting locks to go when wait is set. 0, -EAGAIN (a
 * conflict and no wait), -ENOMEM, -EINTR never.
 */
static int set_lock(struct cn_file *f, const struct cn_file *owner,
		    bool is_flock, short type, int64_t start, int64_t end,
		    bool wait)
{
	struct lk *nl = NULL, *spare = malloc(sizeof(*spare)), *freed = NULL;
	uint64_t dev, ino;
	unsigned long irq;

	if (type != F_UNLCK)
		nl = malloc(sizeof(*nl));
	if (!spare || (type != F_UNLCK && !nl)) {
		free(spare);
		free(nl);
		return -ENOMEM;
	}
	key_of(f, &dev, &ino);
	for (;;) {
		unsigned long seen = cn_file_generation();

		irq = cn_spin_lock_irqsave(&locks_lock);
		if (type == F_UNLCK || !find_conflict(dev, ino, owner,
						      is_flock, type, start,
						      end))
			break;
		cn_spin_unlock_irqrestore(&locks_lock, irq);
		if (!wait) {
			free(spare);
			free(nl);
			return -EAGAIN;
		}
		if (cn_file_wait(seen, 0)) {	/* a signal handler ran */
			free(spare);
			free(nl);
			return -EINTR;
		}
	}
	carve(dev, ino, owner, is_flock, start, end, &spare, &freed);
	if (nl) {
		*nl = (struct lk){ locks, dev, ino, owner, is_flock, type,
				   start, end };
		locks = nl;
	}
	cn_spin_unlock_irqrestore(&locks_lock, irq);
	free(spare);
	free_list(freed);
	if (freed || type == F_UNLCK)
		cn_file_notify();	/* waiters look again */
	return 0;
}

/* Drops the locks matching (file, owner, kind); for close. */
static void drop(uint64_t dev, uint64_t ino, const struct cn_file *owner,
		 bool is_flock, bool any_file)
{
	struct lk **pp = &locks, *l, *freed = NULL;
	unsigned long irq = cn_spin_lock_irqsave(&locks_lock);

	while ((l = *pp)) {
		if (l->owner == owner && l->flock == is_flock &&
		    (any_file || (l->dev == dev && l->ino == ino))) {
			*pp = l->next;
			l->next = freed;
			freed = l;
		} else {
			pp = &l->next;
		}
	}
	cn_spin_unlock_irqrestore(&locks_lock, irq);
	if (freed) {
		free_list(freed);
		cn_file_notify();
	}
}

void cn_fdtab_locks_close(struct cn_file *f)
{
	uint64_t dev, ino;

	if (!locks)
		return;
	key_of(f, &dev, &ino);
	drop(dev, ino, NULL, false, false);
}

void cn_fdtab_locks_release(struct cn_file *f)
{
	if (locks)
		drop(0, 0, f, true, true);
}

/* struct flock to [start, end] of the file: 0 or -EINVAL. */
static int lock_range(struct cn_file *f, const struct flock *fl,
		      int64_t *start, int64_t *end)
{
	int64_t base, s, len = fl->l_len;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END: {
		struct stat st;

		memset(&st, 0, sizeof(st));
		if (f->ops->stat && f->ops->stat(f, &st) < 0)
			return -EINVAL;
		base = st.st_size;
		break;
	}
	default:
		return -EINVAL;
	}
	s = base + fl->l_start;
	if (len < 0) {			/* POSIX: the len bytes before start */
		s += len;
		len = -len;
	}
	if (s < 0)
		return -EINVAL;
	*start = s;
	*end = len ? s + len - 1 : END_MAX;
	if (*end < s)
		return -EOVERFLOW;
	return 0;
}

int cn_fdtab_fcntl_lock(struct cn_file *f, int cmd, struct flock *fl)
{
	int64_t start, end;
	int acc = f->flags & O_ACCMODE, r;

	if (!fl)
		return -EFAULT;
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK &&
	    fl->l_type != F_UNLCK)
		return -EINVAL;
	r = lock_range(f, fl, &start, &end);
	if (r)
		return r;
	if (cmd == F_GETLK) {
		unsigned long irq;
		uint64_t dev, ino;
		struct lk *c;

		key_of(f, &dev, &ino);
		irq = cn_spin_lock_irqsave(&locks_lock);
		c = find_conflict(dev, ino, NULL, false, fl->l_type, start,
				  end);
		if (c) {
			fl->l_type = c->type;
			fl->l_start = c->start;
			fl->l_len = c->end == END_MAX ? 0
				    : c->end - c->start + 1;
		}
		cn_spin_unlock_irqrestore(&locks_lock, irq);
		if (c) {
			fl->l_whence = SEEK_SET;
			fl->l_pid = -1;
		} else {
			fl->l_type = F_UNLCK;
		}
		return 0;
	}
	/* Linux: a read lock needs a readable, a write lock a writable fd. */
	if ((fl->l_type == F_RDLCK && acc == O_WRONLY) ||
	    (fl->l_type == F_WRLCK && acc == O_RDONLY))
		return -EBADF;
	return set_lock(f, NULL, false, fl->l_type, start, end,
			cmd == F_SETLKW);
}

int flock(int fd, int op)
{
	struct cn_file *f = cn_fd_get(fd);
	int r, kind = op & ~LOCK_NB;

	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (kind == LOCK_SH || kind == LOCK_EX)
		r = set_lock(f, f, true, kind == LOCK_SH ? F_RDLCK : F_WRLCK,
			     0, END_MAX, !(op & LOCK_NB));
	else if (kind == LOCK_UN)
		r = set_lock(f, f, true, F_UNLCK, 0, END_MAX, false);
	else
		r = -EINVAL;
	cn_file_put(f);
	if (r == -EAGAIN)
		r = -EWOULDBLOCK;
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}
