/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timerfd: a timer read through a descriptor, with Linux's rules. The
 * expirations are counted from the clock when someone looks (read, poll,
 * gettime), not by a periodic interrupt: the deadline of the next one and
 * the interval give how many passed. One lib/time timer is queued for the
 * next expiration while none is pending, and its callback only calls
 * cn_file_notify() so that poll/select/epoll waiters look again; after a
 * read takes the count, the next expiration is queued.
 *
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are cn_time_ns() (the image never
 * suspends); CLOCK_REALTIME is that plus lib/time's offset to the wall
 * clock, read when the timer is set: an absolute CLOCK_REALTIME timer
 * does not move when the clock is set later (Linux's does), and
 * TFD_TIMER_CANCEL_ON_SET is accepted but never cancels.
 */
#define _GNU_SOURCE		/* CLOCK_BOOTTIME... */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <cairn/biglock.h>
#include <cairn/file.h>
#include <cairn/timer.h>
#include "epoll_priv.h"

#define NSEC	1000000000ll

struct tfd {
	struct cn_timer timer;		/* queued for next while none pending */
	bool realtime;
	bool armed;
	int64_t next;			/* cn_time_ns() of the next expiration */
	int64_t interval;		/* 0: one expiration */
	uint64_t ticks;			/* expirations not read yet */
};

static void fired(struct cn_timer *t)
{
	(void)t;
	cn_file_notify();		/* interrupt context: IRQ-safe */
}

/* Counts the expirations up to now. Big lock held. */
static void update(struct tfd *t, int64_t now)
{
	uint64_t n;

	if (!t->armed || now < t->next)
		return;
	if (!t->interval) {
		t->ticks++;
		t->armed = false;
		return;
	}
	n = (uint64_t)(now - t->next) / (uint64_t)t->interval + 1;
	t->ticks += n;
	t->next += (int64_t)n * t->interval;
}

/* Queues the lib/time timer for the next expiration. Big lock held. */
static void requeue(struct tfd *t)
{
	if (t->armed)
		cn_timer_start(&t->timer, t->next > 0 ? (uint64_t)t->next : 1,
			       fired);
	else
		cn_timer_stop(&t->timer);
}

static ssize_t tfd_read(struct cn_file *f, void *buf, size_t len, off_t off)
{
	struct tfd *t = f->priv;

	(void)off;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	for (;;) {
		unsigned long seen = cn_file_generation();
		unsigned long irq = cn_big_lock();
		uint64_t v, deadline;

		update(t, (int64_t)cn_time_ns());
		v = t->ticks;
		t->ticks = 0;
		if (v)
			requeue(t);
		deadline = t->armed && t->next > 0 ? (uint64_t)t->next : 0;
		cn_big_unlock(irq);
		if (v) {
			memcpy(buf, &v, sizeof(v));
			return sizeof(v);
		}
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		/* A disarmed timer's read waits for a settime (as Linux). */
		if (cn_file_wait(seen, deadline))
			return -EINTR;
	}
}

static unsigned int tfd_poll(struct cn_file *f)
{
	struct tfd *t = f->priv;
	unsigned long irq = cn_big_lock();
	unsigned int ev;

	update(t, (int64_t)cn_time_ns());
	ev = t->ticks ? CN_POLLIN : 0;
	cn_big_unlock(irq);
	return ev;
}

static int tfd_stat(struct cn_file *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IRUSR | S_IWUSR;	/* an anonymous inode's */
	return 0;
}

static void tfd_release(struct cn_file *f)
{
	struct tfd *t = f->priv;
	unsigned long irq = cn_big_lock();

	cn_timer_stop(&t->timer);
	cn_big_unlock(irq);
	free(t);
}

static const struct cn_file_ops tfd_ops = {
	.read = tfd_read,
	.poll = tfd_poll,
	.stat = tfd_stat,
	.release = tfd_release,
};

int timerfd_create(int clockid, int flags)
{
	struct cn_file *f;
	struct tfd *t;
	bool realtime;
	int fd;

	switch (clockid) {
	case CLOCK_REALTIME:
#ifdef CLOCK_REALTIME_ALARM
	case CLOCK_REALTIME_ALARM:
#endif
		realtime = true;
		break;
	case CLOCK_MONOTONIC:
#ifdef CLOCK_BOOTTIME
	case CLOCK_BOOTTIME:
#endif
#ifdef CLOCK_BOOTTIME_ALARM
	case CLOCK_BOOTTIME_ALARM:
#endif
		realtime = false;
		break;
	default:
		return cn_epoll_ret(-EINVAL);
	}
	if (flags & ~(TFD_NONBLOCK | TFD_CLOEXEC))
		return cn_epoll_ret(-EINVAL);
	t = calloc(1, sizeof(*t));
	f = t ? cn_file_alloc(&tfd_ops, t, O_RDWR | (flags & TFD_NONBLOCK))
	      : NULL;
	if (!f) {
		free(t);
		return cn_epoll_ret(-ENOMEM);
	}
	t->realtime = realtime;
	t->timer.arg = t;
	fd = cn_fd_install(f, flags & TFD_CLOEXEC);
	cn_file_put(f);			/* the table's now, or released */
	return cn_epoll_ret(fd);
}

/* The timerfd behind fd with a reference, or NULL and *err. */
static struct cn_file *tfd_get(int fd, int *err)
{
	struct cn_file *f = cn_fd_get(fd);

	*err = -EBADF;
	if (f && f->ops != &tfd_ops) {
		cn_file_put(f);
		*err = -EINVAL;
		f = NULL;
	}
	return f;
}

static bool ts_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC;
}

/* Nanoseconds, saturated far past any uptime. */
static int64_t ts_ns(const struct timespec *ts)
{
	if (ts->tv_sec >= INT64_MAX / NSEC / 2)
		return INT64_MAX / 2;
	return (int64_t)ts->tv_sec * NSEC + ts->tv_nsec;
}

static void ns_ts(int64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC);
	ts->tv_nsec = (long)(ns % NSEC);
}

/* The current setting at now. Big lock held. */
static void get_setting(struct tfd *t, int64_t now, struct itimerspec *cur)
{
	update(t, now);
	ns_ts(t->armed ? t->next - now : 0, &cur->it_value);
	ns_ts(t->interval, &cur->it_interval);
}

/* Wall clock minus cn_time_ns(), for CLOCK_REALTIME deadlines. */
static int64_t realtime_offset(void)
{
	struct timespec ts;
	int64_t mono = (int64_t)cn_time_ns();

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return 0;
	return ts_ns(&ts) - mono;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *new_value,
		    struct itimerspec *old_value)
{
	struct cn_file *f;
	struct tfd *t;
	int64_t value, offset = 0, now;
	unsigned long irq;
	int err;

	if (!new_value)
		return cn_epoll_ret(-EFAULT);
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return cn_epoll_ret(-EINVAL);
	if (!ts_valid(&new_value->it_value) ||
	    !ts_valid(&new_value->it_interval))
		return cn_epoll_ret(-EINVAL);
	f = tfd_get(fd, &err);
	if (!f)
		return cn_epoll_ret(err);
	t = f->priv;
	if ((flags & TFD_TIMER_ABSTIME) && t->realtime)
		offset = realtime_offset();
	value = ts_ns(&new_value->it_value);
	irq = cn_big_lock();
	now = (int64_t)cn_time_ns();
	if (old_value)
		get_setting(t, now, old_value);
	t->ticks = 0;
	t->armed = value != 0;
	t->interval = t->armed ? ts_ns(&new_value->it_interval) : 0;
	t->next = flags & TFD_TIMER_ABSTIME ? value - offset : now + value;
	requeue(t);
	cn_big_unlock(irq);
	cn_file_put(f);
	return 0;
}

int timerfd_gettime(int fd, struct itimerspec *curr_value)
{
	struct cn_file *f;
	unsigned long irq;
	int err;

	if (!curr_value)
		return cn_epoll_ret(-EFAULT);
	f = tfd_get(fd, &err);
	if (!f)
		return cn_epoll_ret(err);
	irq = cn_big_lock();
	get_setting(f->priv, (int64_t)cn_time_ns(), curr_value);
	cn_big_unlock(irq);
	cn_file_put(f);
	return 0;
}
