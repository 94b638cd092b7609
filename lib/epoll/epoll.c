/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll: an interest list of descriptors, itself a descriptor of
 * lib/fdtab. Files report readiness only through their poll operation
 * and announce changes through cn_file_notify(), which bumps one
 * generation count for the image (lib/fdtab/poll.c). So epoll_wait()
 * works as poll() does: it asks each member's poll operation, and when
 * nothing is ready it sleeps until the generation moves, then asks
 * again. With few members that is cheaper than per-file wait lists.
 *
 * Edge triggered (EPOLLET): Linux reports a member again each time its
 * file wakes its waiters while ready (new data on a readable pipe),
 * whether or not the program drained it. Here a member is reported when
 * it is ready and either an event bit appeared since the last look, or
 * the generation moved since it was last reported: nothing that Linux
 * reports is missed (a pipe drained and refilled between two waits is
 * reported), and a notification for another file may report it once
 * more, which edge-triggered programs, reading until EAGAIN, take in
 * their stride. EPOLLONESHOT turns a member off once reported, until
 * EPOLL_CTL_MOD.
 *
 * Members hold no reference on their file (a pipe end in a list must
 * still close): lib/fdtab's release hook drops a file from every list
 * when its last reference goes, as on Linux, so a member closed through
 * one descriptor but still open through a dup stays. Lists change under
 * lists_lock, a spinlock of epoll's own (not the big lock), under which
 * nothing else is taken; poll operations run outside it (a socket's
 * takes lwIP's lock), on a snapshot of the list holding a reference on
 * each member.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <cairn/file.h>
#include <cairn/spinlock.h>
#include <cairn/timer.h>
#include "epoll_priv.h"

/* Linux's limit on epolls inside epolls (EPOLL_MAX_NESTS). */
#define MAX_NESTS	4
/* A file nobody announces (CN_POLL_RECHECK) is asked again this often. */
#define RECHECK_NS	10000000ull

/* Interest bits a member may ask for; EPOLLERR/EPOLLHUP always count. */
#define EV_MASK (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDNORM | EPOLLRDBAND | \
		 EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP)
#define EV_ALWAYS (EPOLLERR | EPOLLHUP)
/* What EPOLLEXCLUSIVE may come with (Linux). */
#define EV_EXCL_OK (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
		    EPOLLET | EPOLLEXCLUSIVE)

struct item {
	struct item *next;		/* in its list */
	int fd;				/* with file, the member's key */
	struct cn_file *file;		/* no reference: see the top */
	uint32_t events;		/* interest and EPOLLET/ONESHOT... */
	uint64_t data;
	unsigned long gen;		/* EPOLLET: generation when reported */
	unsigned int last;		/* EPOLLET: ready bits at the last look */
	bool sock;			/* a socket: EPOLLHUP implies RDHUP */
	bool off;			/* EPOLLONESHOT reported: until MOD */
	bool gone;			/* out of the list */
	unsigned int refs;		/* the list's, and snapshots' */
};

struct ep {
	struct ep *next;		/* all lists, for the release hook */
	struct item *head;
	unsigned int count;
};

static struct ep *lists;		/* under lists_lock */
static struct cn_spinlock lists_lock = CN_SPINLOCK_INIT;
static bool hooked;

static unsigned int ep_poll(struct cn_file *f);
static void ep_release(struct cn_file *f);
static int ep_stat(struct cn_file *f, struct stat *st);

static const struct cn_file_ops ep_ops = {
	.poll = ep_poll,
	.stat = ep_stat,
	.release = ep_release,
};

static bool is_epoll(const struct cn_file *f)
{
	return f->ops == &ep_ops;
}

/* Drops a reference on it (lists_lock held): true when to be freed. */
static bool item_unref(struct item *it)
{
	return --it->refs == 0;
}

/* Takes it out of ep's list (lists_lock held): true when to be freed. */
static bool item_unlink(struct ep *ep, struct item *it)
{
	struct item **pp;

	for (pp = &ep->head; *pp; pp = &(*pp)->next) {
		if (*pp == it) {
			*pp = it->next;
			break;
		}
	}
	it->next = NULL;
	it->gone = true;
	ep->count--;
	return item_unref(it);
}

/* Moves a reported member to the end, so all get their turn. */
static void item_to_tail(struct ep *ep, struct item *it)
{
	struct item **pp = &ep->head;

	while (*pp && *pp != it)
		pp = &(*pp)->next;
	if (!*pp || !it->next)
		return;
	*pp = it->next;
	while (*pp)
		pp = &(*pp)->next;
	*pp = it;
	it->next = NULL;
}

/*
 * lib/fdtab's release hook: f's last reference went; it leaves every
 * list. Any thread, no sleeping: the lists' lock only, and the freeing
 * is done after it (the allocator takes its own lock).
 */
static void file_gone(struct cn_file *f)
{
	struct item *dead = NULL, *it, *next;
	unsigned long irq = cn_spin_lock_irqsave(&lists_lock);
	struct ep *ep;

	for (ep = lists; ep; ep = ep->next) {
		for (it = ep->head; it; it = next) {
			next = it->next;
			if (it->file == f && item_unlink(ep, it)) {
				it->next = dead;
				dead = it;
			}
		}
	}
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	for (it = dead; it; it = next) {
		next = it->next;
		free(it);
	}
}

/* The events an item's file has now, in epoll's terms. */
static uint32_t file_events(struct item *it, bool *recheck)
{
	unsigned int ev = it->file->ops->poll(it->file);
	uint32_t r = ev & (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLERR | EPOLLHUP |
			   EPOLLRDNORM | EPOLLRDBAND | EPOLLWRNORM |
			   EPOLLWRBAND | EPOLLRDHUP);

	if (ev & CN_POLL_RECHECK)
		*recheck = true;
	if (r & EPOLLIN)
		r |= EPOLLRDNORM;
	if (r & EPOLLOUT)
		r |= EPOLLWRNORM;
	if (it->sock && (r & EPOLLHUP))
		r |= EPOLLRDHUP;	/* both ways shut: the peer's too */
	return r;
}

/*
 * Whether it is reported with ready (its events masked by its interest),
 * at generation seen; a report counts (consume) only from epoll_wait.
 * lists_lock held.
 */
static bool item_due(struct item *it, uint32_t ready, unsigned long seen,
		     bool consume)
{
	bool due = ready != 0;

	if (it->events & EPOLLET) {
		due = ready && ((ready & ~it->last) || it->gen != seen);
		if (consume)
			it->last = ready;
	}
	return due;
}

/* Takes a snapshot of ep's members that may be due (refs held). */
static unsigned int snapshot(struct ep *ep, struct item **snap,
			     unsigned int cap)
{
	unsigned long irq = cn_spin_lock_irqsave(&lists_lock);
	unsigned int n = 0;
	struct item *it;

	for (it = ep->head; it && n < cap; it = it->next) {
		/* A file at 0 references is being released: skip it. */
		if (it->off || !cn_file_tryget(it->file))
			continue;
		it->refs++;
		snap[n++] = it;
	}
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	return n;
}

/*
 * Looks at every member of ep: stores up to max due ones in out (NULL:
 * only counts, without consuming edges or oneshots, for poll() on the
 * epoll itself). Returns the count or -ENOMEM.
 */
static int collect(struct ep *ep, struct epoll_event *out, int max,
		   unsigned long seen, bool *recheck)
{
	struct item *stack[32], **snap = stack, *dead = NULL;
	unsigned int cap, n, i;
	unsigned long irq;
	int found = 0;

	irq = cn_spin_lock_irqsave(&lists_lock);
	cap = ep->count;
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	if (cap > 32 && !(snap = malloc(cap * sizeof(*snap))))
		return -ENOMEM;
	n = snapshot(ep, snap, cap < 32 ? 32 : cap);
	for (i = 0; i < n; i++) {
		struct item *it = snap[i];
		uint32_t ready = 0;

		if (found < max) {
			ready = file_events(it, recheck);
			ready &= (it->events & EV_MASK) | EV_ALWAYS;
		}
		cn_file_put(it->file);	/* may be the last: file_gone() */
		irq = cn_spin_lock_irqsave(&lists_lock);
		/* Past max: not looked at, left for the next wait. */
		if (found < max && !it->gone && !it->off &&
		    item_due(it, ready, seen, out != NULL)) {
			if (out) {
				out[found].events = ready;
				out[found].data.u64 = it->data;
				it->gen = seen;
				if (it->events & EPOLLONESHOT)
					it->off = true;
				item_to_tail(ep, it);
			}
			found++;
		}
		if (item_unref(it)) {
			it->next = dead;
			dead = it;
		}
		cn_spin_unlock_irqrestore(&lists_lock, irq);
	}
	while (dead) {
		struct item *next = dead->next;

		free(dead);
		dead = next;
	}
	if (snap != stack)
		free(snap);
	return found;
}

static unsigned int ep_poll(struct cn_file *f)
{
	bool recheck = false;
	int n = collect(f->priv, NULL, 1, cn_file_generation(), &recheck);

	return (n ? CN_POLLIN : 0) | (recheck ? CN_POLL_RECHECK : 0);
}

static int ep_stat(struct cn_file *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IRUSR | S_IWUSR;	/* an anonymous inode's */
	return 0;
}

static void ep_release(struct cn_file *f)
{
	struct ep *ep = f->priv, **pp;
	struct item *dead = NULL, *it;
	unsigned long irq = cn_spin_lock_irqsave(&lists_lock);

	for (pp = &lists; *pp; pp = &(*pp)->next) {
		if (*pp == ep) {
			*pp = ep->next;
			break;
		}
	}
	while ((it = ep->head)) {
		if (item_unlink(ep, it)) {
			it->next = dead;
			dead = it;
		}
	}
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	while (dead) {
		it = dead->next;
		free(dead);
		dead = it;
	}
	free(ep);
}

int epoll_create1(int flags)
{
	struct cn_file *f;
	struct ep *ep;
	unsigned long irq;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return cn_epoll_ret(-EINVAL);
	if (!hooked) {
		hooked = true;
		cn_file_set_release_hook(file_gone);
	}
	ep = calloc(1, sizeof(*ep));
	f = ep ? cn_file_alloc(&ep_ops, ep, O_RDWR) : NULL;
	if (!f) {
		free(ep);
		return cn_epoll_ret(-ENOMEM);
	}
	irq = cn_spin_lock_irqsave(&lists_lock);
	ep->next = lists;
	lists = ep;
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	fd = cn_fd_install(f, flags & EPOLL_CLOEXEC);
	cn_file_put(f);			/* the table's now, or released */
	return cn_epoll_ret(fd);
}

int epoll_create(int size)
{
	if (size <= 0)
		return cn_epoll_ret(-EINVAL);
	return epoll_create1(0);
}

/* The member (fd, file) of ep, or NULL. lists_lock held. */
static struct item *find(struct ep *ep, int fd, struct cn_file *file)
{
	struct item *it;

	for (it = ep->head; it; it = it->next)
		if (it->fd == fd && it->file == file)
			return it;
	return NULL;
}

/*
 * Whether putting the epoll inner into target would close a loop or nest
 * epolls deeper than Linux allows. lists_lock held: the members' files
 * cannot go meanwhile (their release hook waits for it).
 */
static bool too_deep(struct ep *inner, struct cn_file *target, int depth)
{
	struct item *it;

	if (depth >= MAX_NESTS)
		return true;
	for (it = inner->head; it; it = it->next) {
		if (!is_epoll(it->file))
			continue;
		if (it->file == target ||
		    too_deep(it->file->priv, target, depth + 1))
			return true;
	}
	return false;
}

/* Files whose readiness never changes: Linux refuses them (EPERM). */
static bool always_ready(struct cn_file *f)
{
	struct stat st;

	if (!f->ops->poll)
		return true;
	memset(&st, 0, sizeof(st));
	return f->ops->stat && f->ops->stat(f, &st) == 0 &&
	       (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
}

static bool is_socket(struct cn_file *f)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	return f->ops->stat && f->ops->stat(f, &st) == 0 &&
	       S_ISSOCK(st.st_mode);
}

static int ctl_add(struct ep *ep, struct cn_file *self, int fd,
		   struct cn_file *tf, const struct epoll_event *ev)
{
	struct item *it = calloc(1, sizeof(*it)), **pp;
	unsigned long irq;

	if (!it)
		return -ENOMEM;
	it->fd = fd;
	it->file = tf;
	it->events = ev->events;
	it->data = ev->data.u64;
	it->sock = is_socket(tf);
	it->refs = 1;
	irq = cn_spin_lock_irqsave(&lists_lock);
	if (find(ep, fd, tf)) {
		cn_spin_unlock_irqrestore(&lists_lock, irq);
		free(it);
		return -EEXIST;
	}
	if (is_epoll(tf) && (tf == self || too_deep(tf->priv, self, 1))) {
		cn_spin_unlock_irqrestore(&lists_lock, irq);
		free(it);
		return -ELOOP;
	}
	/* At the end: the members are reported in the order added. */
	for (pp = &ep->head; *pp; pp = &(*pp)->next)
		;
	*pp = it;
	ep->count++;
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	return 0;
}

static int ctl(struct cn_file *self, int op, int fd, struct cn_file *tf,
	       const struct epoll_event *ev)
{
	struct ep *ep = self->priv;
	struct item *it;
	unsigned long irq;
	bool free_it = false;
	int r = 0;

	if (op == EPOLL_CTL_ADD)
		return ctl_add(ep, self, fd, tf, ev);
	irq = cn_spin_lock_irqsave(&lists_lock);
	it = find(ep, fd, tf);
	if (!it)
		r = -ENOENT;
	else if (op == EPOLL_CTL_DEL)
		free_it = item_unlink(ep, it);
	else if (it->events & EPOLLEXCLUSIVE)
		r = -EINVAL;		/* Linux: an exclusive one is fixed */
	else {
		/* As a new member: ready now is reported, edge or not. */
		it->events = ev->events;
		it->data = ev->data.u64;
		it->off = false;
		it->last = 0;
	}
	cn_spin_unlock_irqrestore(&lists_lock, irq);
	if (free_it)
		free(it);
	return r;
}

/* Linux's checks on op and the events, in its order, after the fds'. */
static int check_events(int op, struct cn_file *tf,
			const struct epoll_event *ev)
{
	if (op != EPOLL_CTL_ADD && op != EPOLL_CTL_MOD &&
	    op != EPOLL_CTL_DEL)
		return -EINVAL;
	if (op == EPOLL_CTL_DEL || !(ev->events & EPOLLEXCLUSIVE))
		return 0;
	if (op == EPOLL_CTL_MOD || is_epoll(tf) ||
	    (ev->events & ~EV_EXCL_OK))
		return -EINVAL;
	return 0;
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	struct cn_file *ef, *tf = NULL;
	int r;

	if (op != EPOLL_CTL_DEL && !event)
		return cn_epoll_ret(-EFAULT);
	ef = cn_fd_get(epfd);
	if (!ef)
		return cn_epoll_ret(-EBADF);
	tf = cn_fd_get(fd);
	if (!tf)
		r = -EBADF;
	else if (always_ready(tf))
		r = -EPERM;
	else if (!is_epoll(ef) || ef == tf)
		r = -EINVAL;
	else
		r = check_events(op, tf, event);
	if (!r)
		r = ctl(ef, op, fd, tf, event);
	if (tf)
		cn_file_put(tf);
	cn_file_put(ef);
	if (!r && op != EPOLL_CTL_DEL)
		cn_file_notify();	/* a waiter looks at the new member */
	return cn_epoll_ret(r);
}

/* epoll_wait() on an epoll file; timeout_ns < 0: none. */
static int wait_events(struct cn_file *f, struct epoll_event *out, int max,
		       int64_t timeout_ns)
{
	uint64_t deadline = timeout_ns > 0
				    ? cn_time_ns() + (uint64_t)timeout_ns : 0;

	for (;;) {
		unsigned long seen = cn_file_generation();
		bool recheck = false;
		uint64_t until = deadline;
		int n = collect(f->priv, out, max, seen, &recheck);

		if (n || timeout_ns == 0)
			return n;
		if (deadline && cn_time_ns() >= deadline)
			return 0;
		if (recheck) {
			uint64_t soon = cn_time_ns() + RECHECK_NS;

			if (!until || soon < until)
				until = soon;
		}
		/* Never restarted, SA_RESTART or not (as Linux). */
		if (cn_file_wait_intr(seen, until))
			return -EINTR;
	}
}

static int do_wait(int epfd, struct epoll_event *events, int maxevents,
		   int64_t timeout_ns, const sigset_t *sigmask)
{
	struct cn_file *f;
	sigset_t old;
	int r;

	if (maxevents <= 0 ||
	    (size_t)maxevents > INT_MAX / sizeof(struct epoll_event))
		return -EINVAL;
	if (!events)
		return -EFAULT;
	f = cn_fd_get(epfd);
	if (!f)
		return -EBADF;
	if (!is_epoll(f)) {
		cn_file_put(f);
		return -EINVAL;
	}
	if (sigmask && cn_epoll_sigmask_set(sigmask, &old))
		r = -EINTR;
	else
		r = wait_events(f, events, maxevents, timeout_ns);
	if (sigmask)
		cn_epoll_sigmask_restore(&old);
	cn_file_put(f);
	return r;
}

int epoll_pwait(int epfd, struct epoll_event *events, int maxevents,
		int timeout, const sigset_t *sigmask)
{
	return cn_epoll_ret(do_wait(epfd, events, maxevents,
				    timeout < 0 ? -1
						: (int64_t)timeout * 1000000,
				    sigmask));
}

int epoll_wait(int epfd, struct epoll_event *events, int maxevents,
	       int timeout)
{
	return epoll_pwait(epfd, events, maxevents, timeout, NULL);
}

int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
		 const struct timespec *timeout, const sigset_t *sigmask)
{
	int64_t ns = -1;

	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
		    timeout->tv_nsec >= 1000000000)
			return cn_epoll_ret(-EINVAL);
		ns = timeout->tv_sec > INT64_MAX / 1000000000 - 1
			     ? INT64_MAX
			     : (int64_t)timeout->tv_sec * 1000000000 +
				       timeout->tv_nsec;
	}
	return cn_epoll_ret(do_wait(epfd, events, maxevents, ns, sigmask));
}
