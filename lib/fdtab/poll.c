/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * poll() and select() over any descriptors. Files report readiness
 * through their poll operation; whoever changes a file's readiness calls
 * cn_file_notify(), which bumps a generation count and wakes the waiters,
 * who then look at every descriptor again. One wait queue for all: with
 * one CPU and few waiters, a spurious look is cheaper than per-file wait
 * lists. A file whose readiness nobody announces (the console has no
 * interrupt) answers CN_POLL_RECHECK: the waiter then looks again every
 * 10 ms. A signal handler that runs in the waiting thread (lib/posix-signal)
 * ends the wait with EINTR, SA_RESTART or not, as on Linux.
 */
#define _GNU_SOURCE		/* ppoll()'s prototype, defined here */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <cairn/biglock.h>
#include <cairn/arch.h>
#include <cairn/timer.h>
#include "fdtab_priv.h"

#define RECHECK_NS	10000000ull

#ifdef CONFIG_LIB_SCHED
#include <cairn/sync.h>

/*
 * An event count (<cairn/sync.h>): a notification with nobody waiting
 * takes no lock, and one with pollers takes only the scheduler's lock,
 * never the big lock (lwIP notifies on every mailbox post).
 */
static struct cn_event changes = CN_EVENT_INIT;

void cn_file_notify(void)
{
	cn_event_signal(&changes);
}

unsigned long cn_file_generation(void)
{
	return cn_event_read(&changes);
}

/* Sleeps until a notification after seen, or deadline. */
static void wait_change(unsigned long seen, uint64_t deadline)
{
	cn_event_wait(&changes, seen, deadline);
}
#else
static volatile unsigned long generation;

void cn_file_notify(void)
{
	generation++;
}

unsigned long cn_file_generation(void)
{
	return generation;
}

static void wake_timer(struct cn_timer *t)
{
	(void)t;			/* the interrupt itself ends the halt */
}

/* Sleeps until a notification or deadline; interrupts are off. */
static void wait_change(unsigned long seen, uint64_t deadline)
{
	struct cn_timer t = { 0 };

	if (deadline)
		cn_timer_start(&t, deadline, wake_timer);
	while (generation == seen && (!deadline || cn_time_ns() < deadline))
		cn_arch_wait_for_interrupt();
	cn_timer_stop(&t);
}
#endif

static unsigned int file_events(struct cn_file *f)
{
	return f->ops->poll ? f->ops->poll(f) : CN_POLLIN | CN_POLLOUT;
}

/*
 * wait_change() that a signal interrupts: 0, 1 when a handler with
 * SA_RESTART ran, -EINTR when one without did. With the scheduler the
 * wait is on an event count and takes no big lock: a signal posted
 * after the look at what is pending moves the count past seen (the wake
 * function notifies), so the sleep ends at once. Without it, the halt
 * loop needs interrupts off from the look to the halt.
 */
static int wait_intr_mask(unsigned long seen, uint64_t deadline,
			  const sigset_t *mask)
{
#ifndef CONFIG_LIB_SCHED
	unsigned long irq = cn_big_lock();
#endif

	if (mask)
		cn_fdtab_intr_begin_mask(mask);
	else
		cn_fdtab_intr_begin();
	if (!cn_fdtab_intr_pending())
		wait_change(seen, deadline);
#ifndef CONFIG_LIB_SCHED
	cn_big_unlock(irq);
#endif
	return cn_fdtab_intr_end();	/* handlers run unlocked */
}

static int wait_intr(unsigned long seen, uint64_t deadline)
{
	return wait_intr_mask(seen, deadline, NULL);
}

int cn_file_wait(unsigned long seen, uint64_t deadline)
{
	return wait_intr(seen, deadline) < 0 ? -EINTR : 0;
}

int cn_file_wait_intr(unsigned long seen, uint64_t deadline)
{
	return wait_intr(seen, deadline);
}

static int scan(struct pollfd *fds, nfds_t n, bool *recheck)
{
	int ready = 0;
	nfds_t i;

	for (i = 0; i < n; i++) {
		struct cn_file *f;
		unsigned int ev;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = cn_fd_get(fds[i].fd);
		if (!f) {
			fds[i].revents = POLLNVAL;
			ready++;
			continue;
		}
		ev = file_events(f);
		if (ev & CN_POLL_RECHECK)
			*recheck = true;
		if (ev & CN_POLLIN)
			ev |= POLLRDNORM;
		if (ev & CN_POLLOUT)
			ev |= POLLWRNORM;
		fds[i].revents = (short)(ev & ((unsigned int)fds[i].events |
					       POLLERR | POLLHUP | POLLNVAL));
		cn_file_put(f);
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

/* timeout_ns < 0: none; mask: the signal mask while it waits, or NULL. */
static int do_poll(struct pollfd *fds, nfds_t n, int64_t timeout_ns,
		   const sigset_t *mask)
{
	uint64_t deadline = timeout_ns > 0 ? cn_time_ns() + (uint64_t)timeout_ns
					   : 0;

	for (;;) {
		unsigned long seen = cn_file_generation();
		bool recheck = false;
		uint64_t until = deadline;
		int ready = scan(fds, n, &recheck);

		if (ready || timeout_ns == 0)
			return ready;
		if (deadline && cn_time_ns() >= deadline)
			return 0;
		if (recheck) {
			uint64_t soon = cn_time_ns() + RECHECK_NS;

			if (!until || soon < until)
				until = soon;
		}
		/* Never restarted, SA_RESTART or not (as Linux). */
		if (wait_intr_mask(seen, until, mask))
			return -EINTR;
	}
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	if (n > CONFIG_LIB_FDTAB_MAX) {
		errno = EINVAL;
		return -1;
	}
	int r = do_poll(fds, n, timeout_ms < 0 ? -1
				: (int64_t)timeout_ms * 1000000, NULL);

	if (r < 0) {
		errno = -r;		/* EINTR: a signal handler ran */
		return -1;
	}
	return r;
}

/* select() and pselect() once their timeout is checked (< 0: none). */
static int do_select(int n, fd_set *rd, fd_set *wr, fd_set *ex,
		     int64_t timeout, const sigset_t *mask)
{
	struct pollfd pf[FD_SETSIZE];
	nfds_t np = 0, i;
	int fd, ready, count = 0;

	if (n < 0 || n > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	for (fd = 0; fd < n; fd++) {
		short ev = (short)((rd && FD_ISSET(fd, rd) ? POLLIN : 0) |
				   (wr && FD_ISSET(fd, wr) ? POLLOUT : 0) |
				   (ex && FD_ISSET(fd, ex) ? POLLPRI : 0));

		if (ev)
			pf[np++] = (struct pollfd){ fd, ev, 0 };
	}
	ready = do_poll(pf, np, timeout, mask);
	if (ready < 0) {
		errno = -ready;		/* EINTR; the sets are left as given */
		return -1;
	}
	for (i = 0; i < np; i++)
		if (pf[i].revents & POLLNVAL) {
			errno = EBADF;
			return -1;
		}
	if (rd)
		FD_ZERO(rd);
	if (wr)
		FD_ZERO(wr);
	if (ex)
		FD_ZERO(ex);
	for (i = 0; ready > 0 && i < np; i++) {
		short r = pf[i].revents;

		if (rd && (r & (POLLIN | POLLHUP | POLLERR)) &&
		    (pf[i].events & POLLIN)) {
			FD_SET(pf[i].fd, rd);
			count++;
		}
		if (wr && (r & (POLLOUT | POLLERR)) && (pf[i].events & POLLOUT)) {
			FD_SET(pf[i].fd, wr);
			count++;
		}
		if (ex && (r & POLLPRI)) {
			FD_SET(pf[i].fd, ex);
			count++;
		}
	}
	return count;
}

int select(int n, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	if (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 ||
		   tv->tv_usec >= 1000000)) {
		errno = EINVAL;
		return -1;
	}
	return do_select(n, rd, wr, ex, tv ? (int64_t)tv->tv_sec * 1000000000 +
				     (int64_t)tv->tv_usec * 1000 : -1, NULL);
}

/* A timespec timeout in ns (< 0: none), or -EINVAL. */
static int64_t timespec_ns(const struct timespec *ts)
{
	if (!ts)
		return -1;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	if (ts->tv_sec > INT64_MAX / 1000000000 - 1)
		return INT64_MAX;
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/*
 * ppoll() and pselect(): poll() and select() with a timespec (not
 * updated, as glibc's are not) and, if set is given, that signal mask
 * while they wait: a signal it lets through ends the wait with EINTR
 * after its handler ran; the thread's own mask is back when they return.
 */
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
	  const sigset_t *set)
{
	int64_t ns = timespec_ns(timeout);
	int r;

	if (ns == -EINVAL || n > CONFIG_LIB_FDTAB_MAX) {
		errno = EINVAL;
		return -1;
	}
	r = do_poll(fds, n, ns, set);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

int pselect(int n, fd_set *rd, fd_set *wr, fd_set *ex,
	    const struct timespec *timeout, const sigset_t *set)
{
	int64_t ns = timespec_ns(timeout);

	if (ns == -EINVAL) {
		errno = EINVAL;
		return -1;
	}
	return do_select(n, rd, wr, ex, ns, set);
}
